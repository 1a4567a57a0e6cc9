//! A database file in its own temporary folder, deleted with it.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use timebridge_core::Store;

/// Where a test's database lives: `timebridge.db` in a new temporary
/// folder. Nothing is created until the database is opened, so a test can
/// also hand the path to something that creates it (the command line).
pub struct TempDb {
    /// The database file.
    pub path: PathBuf,
    /// Its folder, removed when this is dropped.
    pub dir: TempDir,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("a temporary folder can be made");
        TempDb {
            path: dir.path().join("timebridge.db"),
            dir,
        }
    }

    /// The store over the database, created and migrated if it is new.
    pub fn store(&self) -> Store {
        Store::open(&self.path).expect("the database opens")
    }
}

impl Default for TempDb {
    fn default() -> TempDb {
        TempDb::new()
    }
}

/// An open store, with the temporary folder its database is in.
pub struct TestStore {
    pub store: Store,
    /// Kept so the database outlives the store.
    pub dir: TempDir,
}

/// A new, empty database in its own temporary folder, opened.
pub fn store() -> TestStore {
    let db = TempDb::new();
    TestStore {
        store: db.store(),
        dir: db.dir,
    }
}

/// Damages the database at `path` as a failing disk would: writes garbage
/// over the root page of `table` (its data is folded into the file first,
/// so nothing is left in the write-ahead log). No store may have it open.
pub fn damage_table(path: &Path, table: &str) {
    let (page_size, root): (i64, i64) = {
        let conn = timebridge_core::rusqlite::Connection::open(path).expect("the database opens");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("the log is folded into the file");
        let page_size = conn
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .expect("a page size");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |row| row.get(0),
            )
            .expect("the table exists");
        (page_size, root)
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("the database file opens for writing");
    let (page_size, root) = (page_size as u64, root as u64);
    file.seek(SeekFrom::Start((root - 1) * page_size))
        .expect("the page is in the file");
    let garbage: Vec<u8> = (0..page_size).map(|i| (i * 7 + 241) as u8).collect();
    file.write_all(&garbage).expect("the garbage is written");
    file.sync_all().expect("the garbage reaches the disk");
}
