//! The SQLite store: one database file, opened with WAL, a busy timeout and
//! foreign keys on, migrated on open.
//!
//! Callers borrow a connection for a read with [`Store::read`], or run a write
//! in one transaction with [`Store::write`], which commits when the closure
//! returns `Ok` and rolls back when it returns `Err` (or panics). Writes start
//! `IMMEDIATE`, so two writers queue on the busy timeout instead of failing.
//! Connections are pooled: WAL lets readers run while a write is going on.

mod migrations;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    idle: Mutex<Vec<Connection>>,
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
        let mut conn = connect(path)?;
        let report = migrations::migrate(&mut conn, path)?;
        let store = Store {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![conn]),
        };
        Ok((store, report))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with a connection for reading.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.checkout()?;
        f(&conn)
    }

    /// Runs `f` in one transaction: committed if `f` returns `Ok`, rolled back
    /// if it returns `Err` or panics.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.checkout()?;
        with_tx(&mut conn, f)
    }

    /// [`Store::write`] of many rows at once (a whole export staged): the
    /// connection's page cache holds up to [`BULK_CACHE_KIB`] for it, so
    /// the pages it writes are not spilled and read back, then it is the
    /// usual size again.
    pub fn write_bulk<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.checkout()?;
        conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        let written = with_tx(&mut conn, f);
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        written
    }

    fn checkout(&self) -> Result<PooledConnection<'_>> {
        let pooled = self.lock_idle().pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => connect(&self.path)?,
        };
        Ok(PooledConnection {
            store: self,
            conn: Some(conn),
        })
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while holding the lock cannot leave the Vec inconsistent.
        self.idle
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
        if let Some(conn) = self.conn.take() {
            // A connection left inside a transaction (a panic mid-write) is
            // not reused.
            if !conn.is_autocommit() {
                return;
            }
            let mut idle = self.store.lock_idle();
            if idle.len() < POOL_SIZE {
                idle.push(conn);
            }
        }
    }
}

/// Opens one connection with the settings every connection needs.
fn connect(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
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
    Ok(conn)
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
        other => Error::Database(other),
    }
}
