//! The SQLite store: one database file, opened with WAL, a busy timeout and
//! foreign keys on, migrated on open.
//!
//! Callers borrow a connection for a read with [`Store::read`], or run a write
//! in one transaction with [`Store::write`], which commits when the closure
//! returns `Ok` and rolls back when it returns `Err` (or panics). Writes start
//! `IMMEDIATE`, so two writers queue on the busy timeout instead of failing.
//! Connections are pooled: WAL lets readers run while a write is going on.
//!
//! Opening checks the file (`PRAGMA quick_check`). A database that fails is
//! opened read-only and never migrated: [`Store::damage`] says so, every
//! [`Store::write`] is refused with the latest good backup to restore, and
//! [`Store::restore`] replaces the file with a backup ([`backup`]).

pub mod backup;
mod migrations;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use migrations::{MIGRATIONS, Migration, apply_migrations, latest_version, schema_version};

use crate::error::{Error, Result};

/// How long a connection waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Each connection's page cache, in KiB.
const CACHE_KIB: i64 = 16_000;

/// The page cache of a bulk write ([`Store::write_bulk`]), in KiB.
pub const BULK_CACHE_KIB: i64 = 128_000;

/// Idle connections kept for reuse.
const POOL_SIZE: usize = 4;

/// The open database.
pub struct Store {
    path: PathBuf,
    pool: Mutex<Pool>,
    /// Set when the file failed its check at open: nothing is written.
    damage: RwLock<Option<Damage>>,
    /// `PRAGMA max_page_count` of every connection; 0 for SQLite's own.
    page_limit: AtomicU64,
}

/// The connections not in use, and how many are.
struct Pool {
    idle: Vec<Connection>,
    /// Bumped when the file is replaced: a connection to the old file that
    /// comes back is closed, not reused.
    generation: u64,
    checked_out: usize,
}

/// Why a database is open read-only: it failed its integrity check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// What SQLite's check reported (its first few lines).
    pub problems: Vec<String>,
    /// The newest backup that passed its own check, if any.
    pub latest_backup: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// What [`Store::open`] did to the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    pub from_version: i64,
    pub to_version: i64,
    /// A copy of the database as it was before migrating, when there was data.
    pub backup: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date. Refuses a database written by a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with_report(path).map(|(store, _)| store)
    }

    /// [`Store::open`], also saying what migrating did.
    pub fn open_with_report(path: &Path) -> Result<(Store, OpenReport)> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| {
                Error::io(
                    format!("Could not create the data folder {}", parent.display()),
                    source,
                )
            })?;
        }
        if let Some(problems) = backup::check_on_open(path)? {
            let latest_backup = backup::latest_good(path).map(|found| PathBuf::from(found.path));
            tracing::error!(
                database = %path.display(),
                ?problems,
                latest_backup = ?latest_backup,
                "the database failed its integrity check; opened read-only"
            );
            let conn = connect(path, true, 0)?;
            let version = schema_version(&conn)?;
            let store = Store::with_connection(path, conn);
            *store.damage.write().unwrap_or_else(|p| p.into_inner()) = Some(Damage {
                problems,
                latest_backup,
            });
            let report = OpenReport {
                from_version: version,
                to_version: version,
                backup: None,
            };
            return Ok((store, report));
        }
        let mut conn = connect(path, false, 0)?;
        let report = migrations::migrate(&mut conn, path)?;
        Ok((Store::with_connection(path, conn), report))
    }

    fn with_connection(path: &Path, conn: Connection) -> Store {
        Store {
            path: path.to_path_buf(),
            pool: Mutex::new(Pool {
                idle: vec![conn],
                generation: 0,
                checked_out: 0,
            }),
            damage: RwLock::new(None),
            page_limit: AtomicU64::new(0),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the database failed its integrity check when it was opened
    /// (then it is read-only until a backup is restored).
    pub fn damage(&self) -> Option<Damage> {
        self.damage
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The refusal of a write to a damaged database.
    fn refuse_if_damaged(&self) -> Result<()> {
        match self.damage() {
            None => Ok(()),
            Some(damage) => Err(Error::DatabaseDamaged {
                path: self.path.display().to_string(),
                latest_backup: damage
                    .latest_backup
                    .map(|backup| backup.display().to_string()),
            }),
        }
    }

    /// Caps the database's size at `pages` pages (`PRAGMA max_page_count`) on
    /// every connection, idle and new, or lifts the cap (`None`): a write
    /// that needs more fails as on a full disk. For tests of a full disk.
    pub fn set_page_limit(&self, pages: Option<u64>) -> Result<()> {
        let limit = pages.unwrap_or(0);
        self.page_limit.store(limit, Ordering::SeqCst);
        for conn in &self.lock_pool().idle {
            apply_page_limit(conn, limit)?;
        }
        Ok(())
    }

    /// Replaces the database with the backup `file`, under this open store:
    /// checks the file ([`backup::restore_file`] says what it refuses),
    /// keeps a copy of the current database in the backups folder, puts the
    /// backup in its place and migrates it as [`Store::open`] does. The
    /// store is then healthy and writable. Refused while a read or a write
    /// is under way on this store; another process on the same file must be
    /// stopped first (the caller checks: [`backup`] cannot see it).
    pub fn restore(
        &self,
        file: &Path,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<backup::RestoreReport> {
        let mut pool = self.lock_pool();
        if pool.checked_out > 0 {
            return Err(Error::Conflict(
                "Timebridge is still reading or saving data (a sync or an import may be running). \
                 Wait for it to finish, then restore again."
                    .to_owned(),
            ));
        }
        // Closed before the file is replaced: nothing reads the old file.
        pool.idle.clear();
        pool.generation += 1;
        let mut report = backup::restore_file(&self.path, file, now)?;
        let mut conn = connect(&self.path, false, self.page_limit.load(Ordering::SeqCst))?;
        let migrated = migrations::migrate(&mut conn, &self.path)?;
        report.to_version = migrated.to_version;
        *self.damage.write().unwrap_or_else(|p| p.into_inner()) = None;
        pool.idle.push(conn);
        Ok(report)
    }

    /// Runs `f` with a connection for reading.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.checkout()?;
        f(&conn)
    }

    /// Runs `f` in one transaction: committed if `f` returns `Ok`, rolled back
    /// if it returns `Err` or panics.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.refuse_if_damaged()?;
        let mut conn = self.checkout()?;
        with_tx(&mut conn, f)
    }

    /// [`Store::write`] of many rows at once (a whole export staged): the
    /// connection's page cache holds up to [`BULK_CACHE_KIB`] for it, so
    /// the pages it writes are not spilled and read back, then it is the
    /// usual size again.
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.refuse_if_damaged()?;
        let mut conn = self.checkout()?;
        conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        let written = with_tx(&mut conn, f);
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        written
    }

    fn checkout(&self) -> Result<PooledConnection<'_>> {
        let (pooled, generation) = {
            let mut pool = self.lock_pool();
            pool.checked_out += 1;
            (pool.idle.pop(), pool.generation)
        };
        let mut checked_out = PooledConnection {
            store: self,
            conn: pooled,
            generation,
        };
        if checked_out.conn.is_none() {
            checked_out.conn = Some(connect(
                &self.path,
                self.damage().is_some(),
                self.page_limit.load(Ordering::SeqCst),
            )?);
        }
        Ok(checked_out)
    }

    fn lock_pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        // A panic while holding the lock cannot leave the pool inconsistent.
        self.pool
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs `f` in an `IMMEDIATE` transaction on `conn`: commit on `Ok`, roll back
/// on `Err`.
pub fn with_tx<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

struct PooledConnection<'a> {
    store: &'a Store,
    conn: Option<Connection>,
    generation: u64,
}

impl Deref for PooledConnection<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("present until drop")
    }
}

impl DerefMut for PooledConnection<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("present until drop")
    }
}

impl Drop for PooledConnection<'_> {
    fn drop(&mut self) {
        let mut pool = self.store.lock_pool();
        pool.checked_out = pool.checked_out.saturating_sub(1);
        if let Some(conn) = self.conn.take() {
            // A connection left inside a transaction (a panic mid-write), or
            // to a file since replaced, is not reused.
            if !conn.is_autocommit() || pool.generation != self.generation {
                return;
            }
            if pool.idle.len() < POOL_SIZE {
                pool.idle.push(conn);
            }
        }
    }
}

/// Opens one connection with the settings every connection needs:
/// read-only for a damaged database, capped at `page_limit` pages when it
/// is not 0.
fn connect(path: &Path, read_only: bool, page_limit: u64) -> Result<Connection> {
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
    };
    let flags = access | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Only per-connection settings here: nothing that writes to the file, so
    // a database this version must refuse is left exactly as it was. WAL,
    // which is stored in the file, is switched on by the migrator once the
    // version has been checked.
    conn.execute_batch(&format!(
        "PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA wal_autocheckpoint = 8000;
         PRAGMA journal_size_limit = 67108864;"
    ))
    .map_err(|error| not_a_database(path, error))?;
    // A stable plan per statement. Without it SQLite re-plans a cached
    // statement each time a bound value changes whenever that value was
    // weighed against a partial index's condition (the overlap check of
    // every imported time entry was re-planned: a third of the import).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    if page_limit > 0 {
        apply_page_limit(&conn, page_limit)?;
    }
    Ok(conn)
}

/// SQLite's own cap when none is set: its largest page count.
const NO_PAGE_LIMIT: u64 = 4_294_967_294;

fn apply_page_limit(conn: &Connection, limit: u64) -> Result<()> {
    let pages = if limit == 0 { NO_PAGE_LIMIT } else { limit };
    conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    Ok(())
}

/// Names the "file is not a database" failure in words; passes others on.
pub(super) fn not_a_database(path: &Path, error: rusqlite::Error) -> Error {
    match error {
        rusqlite::Error::SqliteFailure(failure, message)
            if failure.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Error::NotADatabase {
                path: path.display().to_string(),
                reason: message.unwrap_or_else(|| "file is not a database".to_owned()),
            }
        }
        other => Error::from(other),
    }
}
