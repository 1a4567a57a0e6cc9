//! A database file in its own temporary folder, deleted with it.

use std::path::PathBuf;

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
