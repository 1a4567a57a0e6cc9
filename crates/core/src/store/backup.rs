//! Backups of the database, and restoring one.
//!
//! A backup is a whole, checked copy of the database in one file, made with
//! SQLite's online backup API while the app keeps working: written beside
//! its destination under a temporary name, checked (`PRAGMA
//! integrity_check`, and that it is a Timebridge database), then renamed
//! into place, so a backup file is never half written. The daily backups
//! live in a `backups/` folder beside the database, named by the day
//! (`timebridge-2025-03-14.db`), and are kept for [`KEEP_DAYS`] days (the
//! newest is kept whatever its age). Restoring checks the file the same
//! way, keeps a copy of the database it replaces in that folder
//! (`timebridge-2025-03-14-before-restore-101500.db`), and swaps the file
//! in atomically.
//!
//! This module also checks a database when it is opened
//! ([`check_on_open`]); [`Store`] refuses to write to one that fails.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use super::{Store, latest_version};
use crate::error::{Error, Result};

/// How many days of daily backups are kept.
pub const KEEP_DAYS: i64 = 14;

/// The folder the backups of the database at `database` are kept in.
pub const FOLDER: &str = "backups";

/// Tables every Timebridge database has had since its first version.
const MARKER_TABLES: [&str; 3] = ["integrations", "employees", "time_entries"];

/// Lines of SQLite's integrity report kept for a message.
const PROBLEMS_KEPT: usize = 5;

/// Which kind of copy a backup file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Made by the daily backup.
    Daily,
    /// The database as it was just before a backup was restored over it.
    BeforeRestore,
}

/// One backup file in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupFile {
    pub path: String,
    pub kind: BackupKind,
    /// The day it was made, from its name.
    pub day: NaiveDate,
    /// When it was written, from the file system.
    pub made_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreReport {
    /// The backup restored.
    pub restored_from: String,
    /// Where the database it replaced was kept, if there was one.
    pub kept_current: Option<String>,
    /// The backup's schema version, and the version it was migrated to.
    pub from_version: i64,
    pub to_version: i64,
}

/// What checking a backup file found: it can be restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub schema_version: i64,
}

/// The backups folder of the database at `database`: beside it.
pub fn folder(database: &Path) -> PathBuf {
    database.with_file_name(FOLDER)
}

/// The database's file name without its extension: backups are named
/// after it, so two databases in one folder keep their backups apart.
fn stem(database: &Path) -> String {
    database
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "timebridge".to_owned())
}

/// The daily backup of `day`.
pub fn daily_path(database: &Path, day: NaiveDate) -> PathBuf {
    folder(database).join(format!("{}-{}.db", stem(database), day.format("%Y-%m-%d")))
}

/// Whether the daily backup of `day` is still to be made.
pub fn daily_due(database: &Path, day: NaiveDate) -> bool {
    !daily_path(database, day).exists()
}

/// Makes the daily backup of `day` unless it exists, then deletes daily
/// backups older than [`KEEP_DAYS`] (never the newest). `None` when the
/// day's backup was already made. A damaged database is not backed up
/// (its copy would be damaged too): that is its [`Error::DatabaseDamaged`].
pub fn daily(store: &Store, day: NaiveDate) -> Result<Option<BackupFile>> {
    let path = daily_path(store.path(), day);
    if path.exists() {
        return Ok(None);
    }
    let made = BackupFile {
        day,
        ..write_copy(store, &path)?
    };
    for pruned in prune(store.path(), day)? {
        tracing::info!(backup = %pruned.display(), "deleted a daily backup older than {KEEP_DAYS} days");
    }
    tracing::info!(backup = %path.display(), "saved the daily backup");
    Ok(Some(made))
}

/// Deletes the daily backups made before the last [`KEEP_DAYS`] days up to
/// `today`, keeping the newest whatever its age; the paths deleted.
pub fn prune(database: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    let oldest_kept = today - chrono::Duration::days(KEEP_DAYS - 1);
    let mut daily: Vec<BackupFile> = list(database)?
        .into_iter()
        .filter(|backup| backup.kind == BackupKind::Daily)
        .collect();
    daily.sort_by_key(|backup| backup.day);
    // The newest is kept whatever its age.
    daily.pop();
    let mut deleted = Vec::new();
    for backup in daily.into_iter().filter(|b| b.day < oldest_kept) {
        let path = PathBuf::from(&backup.path);
        std::fs::remove_file(&path).map_err(|source| {
            Error::io(
                format!("Could not delete the old backup {}", path.display()),
                source,
            )
        })?;
        deleted.push(path);
    }
    Ok(deleted)
}

/// The backups of the database at `database`, newest first (by when they
/// were written). Files in the folder that Timebridge did not name are
/// left out.
pub fn list(database: &Path) -> Result<Vec<BackupFile>> {
    let dir = folder(database);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::io(
                format!("Could not read the backups folder {}", dir.display()),
                source,
            ));
        }
    };
    let prefix = format!("{}-", stem(database));
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, day)) = parse_name(&name, &prefix) else {
            continue;
        };
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        found.push(BackupFile {
            path: entry.path().display().to_string(),
            kind,
            day,
            made_at: metadata.modified().ok().map(DateTime::<Utc>::from),
            size_bytes: metadata.len(),
        });
    }
    found.sort_by(|a, b| (b.made_at, b.day, &b.path).cmp(&(a.made_at, a.day, &a.path)));
    Ok(found)
}

/// `timebridge-2025-03-14.db` is a daily backup;
/// `timebridge-2025-03-14-before-restore-101500.db` a copy kept by a restore.
fn parse_name(name: &str, prefix: &str) -> Option<(BackupKind, NaiveDate)> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(".db")?;
    let day = NaiveDate::parse_from_str(rest.get(..10)?, "%Y-%m-%d").ok()?;
    match rest.get(10..)? {
        "" => Some((BackupKind::Daily, day)),
        time if time.starts_with("-before-restore-") => Some((BackupKind::BeforeRestore, day)),
        _ => None,
    }
}

/// The newest backup that passes [`verify`], if any.
pub fn latest_good(database: &Path) -> Option<BackupFile> {
    list(database)
        .ok()?
        .into_iter()
        .find(|backup| verify(Path::new(&backup.path)).is_ok())
}

/// Writes a checked copy of the open database to `out` (replacing a file
/// there), made while the app keeps working; described as a backup made
/// today. Refused for a damaged database, and for `out` being the
/// database itself.
pub fn write_copy(store: &Store, out: &Path) -> Result<BackupFile> {
    store.refuse_if_damaged()?;
    if same_file(out, store.path()) {
        return Err(Error::invalid(
            "out",
            format!(
                "{} is the database itself. Choose another file for the backup.",
                out.display()
            ),
        ));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| {
            Error::io(
                format!("Could not create the folder {}", parent.display()),
                source,
            )
        })?;
    }
    store.read(|conn| online_copy(conn, out))?;
    if let Err(error) = verify(out) {
        let _ = std::fs::remove_file(out);
        return Err(error);
    }
    let metadata = std::fs::metadata(out)
        .map_err(|source| Error::io(format!("Could not read {}", out.display()), source))?;
    Ok(BackupFile {
        path: out.display().to_string(),
        kind: BackupKind::Daily,
        day: Utc::now().date_naive(),
        made_at: metadata.modified().ok().map(DateTime::<Utc>::from),
        size_bytes: metadata.len(),
    })
}

/// Copies the database `source` is connected to into `dest`, through SQLite's
/// online backup: into `dest` plus `.partial`, then renamed over `dest`.
/// The copy is one self-contained file (rollback journal, not WAL).
pub(super) fn online_copy(source: &Connection, dest: &Path) -> Result<()> {
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    remove_if_present(&partial)?;
    let copied = (|| -> Result<()> {
        let mut target = Connection::open(&partial)?;
        {
            let backup = Backup::new(source, &mut target)?;
            // All pages in one step: one consistent read of the source,
            // which WAL lets writers go on beside.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More | StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        }
        target.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        target.close().map_err(|(_, error)| Error::from(error))?;
        Ok(())
    })();
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, dest).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        Error::io(
            format!("Could not save the backup as {}", dest.display()),
            source,
        )
    })
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::io(
            format!("Could not remove {}", path.display()),
            source,
        )),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(conn)
}

/// SQLite's integrity check (`quick` skips comparing indexes with their
/// tables); its complaints, none when the file is sound. A page too damaged
/// to read is one complaint.
fn integrity_problems(conn: &Connection, quick: bool) -> Result<Vec<String>> {
    let pragma = if quick {
        "PRAGMA quick_check"
    } else {
        "PRAGMA integrity_check"
    };
    let rows = conn.prepare(pragma).and_then(|mut statement| {
        statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    });
    match rows {
        Ok(rows) if rows == ["ok"] => Ok(Vec::new()),
        Ok(mut rows) => {
            rows.truncate(PROBLEMS_KEPT);
            Ok(rows)
        }
        Err(rusqlite::Error::SqliteFailure(failure, message))
            if failure.code == rusqlite::ErrorCode::DatabaseCorrupt =>
        {
            Ok(vec![message.unwrap_or_else(|| {
                "database disk image is malformed".to_owned()
            })])
        }
        Err(error) => Err(super::not_a_database(Path::new(""), error)),
    }
}

/// Checks the database at `path` before it is opened (`PRAGMA
/// quick_check`): what is wrong with it, `None` when it is sound or new.
/// A file that is not a database at all is [`Error::NotADatabase`].
pub(super) fn check_on_open(path: &Path) -> Result<Option<Vec<String>>> {
    let is_empty = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    if is_empty {
        return Ok(None);
    }
    let conn = open_read_only(path).map_err(|error| match error {
        Error::Database(error) => super::not_a_database(path, error),
        other => other,
    })?;
    let problems = match integrity_problems(&conn, true) {
        Ok(problems) => problems,
        Err(Error::NotADatabase { reason, .. }) => {
            return Err(Error::NotADatabase {
                path: path.display().to_string(),
                reason,
            });
        }
        Err(other) => return Err(other),
    };
    Ok((!problems.is_empty()).then_some(problems))
}

/// Checks that `file` can be restored: an SQLite database, a Timebridge
/// one, of a schema this version knows, that passes `PRAGMA
/// integrity_check`. Each refusal says which, and what to do.
pub fn verify(file: &Path) -> Result<Verified> {
    let shown = file.display();
    if !file.is_file() {
        return Err(Error::invalid(
            "file",
            format!("There is no backup file at {shown}. Check the name and try again."),
        ));
    }
    let not_timebridge = |why: &str| {
        Error::invalid(
            "file",
            format!(
                "{shown} is not a Timebridge database ({why}), so it was not restored. Choose a \
                 backup Timebridge made: `timebridge backup list` shows them."
            ),
        )
    };
    let conn = open_read_only(file).map_err(|_| not_timebridge("it cannot be opened"))?;
    let version: i64 = match conn.query_row("PRAGMA user_version", [], |row| row.get(0)) {
        Ok(version) => version,
        Err(rusqlite::Error::SqliteFailure(failure, _))
            if failure.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(not_timebridge("it is not an SQLite database at all"));
        }
        Err(error) => return Err(Error::from(error)),
    };
    let markers: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?1, ?2, ?3)",
            MARKER_TABLES,
            |row| row.get(0),
        )
        .unwrap_or(0);
    if version < 1 || markers != MARKER_TABLES.len() as i64 {
        return Err(not_timebridge("it has none of Timebridge's tables"));
    }
    if version > latest_version() {
        return Err(Error::DatabaseTooNew {
            path: shown.to_string(),
            found: version,
            supported: latest_version(),
        });
    }
    let problems = integrity_problems(&conn, false)?;
    if let Some(first) = problems.first() {
        return Err(Error::invalid(
            "file",
            format!(
                "{shown} is damaged: it failed SQLite's integrity check ({first}), so it was not \
                 restored. Choose another backup."
            ),
        ));
    }
    Ok(Verified {
        schema_version: version,
    })
}

/// Restores the backup `file` over the database at `database`, which no
/// process may have open, then opens it (migrating it as [`Store::open`]
/// does). See [`restore_file`].
pub fn restore(database: &Path, file: &Path, now: DateTime<Utc>) -> Result<RestoreReport> {
    let mut report = restore_file(database, file, now)?;
    let (_, opened) = Store::open_with_report(database)?;
    report.to_version = opened.to_version;
    Ok(report)
}

/// Checks `file` ([`verify`]), keeps a copy of the database at `database`
/// (if there is one) in the backups folder, and puts a copy of `file` in
/// its place: written beside it first, then renamed over it. The database
/// is not opened or migrated here.
pub(super) fn restore_file(
    database: &Path,
    file: &Path,
    now: DateTime<Utc>,
) -> Result<RestoreReport> {
    let verified = verify(file)?;
    if same_file(file, database) {
        return Err(Error::invalid(
            "file",
            format!(
                "{} is the database itself. Choose a backup of it.",
                file.display()
            ),
        ));
    }
    let incoming = suffixed(database, ".restoring");
    {
        let source = open_read_only(file)?;
        online_copy(&source, &incoming)?;
    }
    let kept_current = if database.exists() {
        match keep_current(database, now) {
            Ok(kept) => Some(kept),
            Err(error) => {
                let _ = std::fs::remove_file(&incoming);
                return Err(error);
            }
        }
    } else {
        None
    };
    // The old database's write-ahead log must not be replayed into the
    // restored file; its content is in the copy just kept.
    remove_if_present(&suffixed(database, "-wal"))?;
    remove_if_present(&suffixed(database, "-shm"))?;
    std::fs::rename(&incoming, database).map_err(|source| {
        Error::io(
            format!(
                "Could not put the backup in place of {} (is Timebridge still open on it?)",
                database.display()
            ),
            source,
        )
    })?;
    tracing::warn!(
        database = %database.display(),
        backup = %file.display(),
        kept = ?kept_current,
        "restored the database from a backup"
    );
    Ok(RestoreReport {
        restored_from: file.display().to_string(),
        kept_current: kept_current.map(|kept| kept.display().to_string()),
        from_version: verified.schema_version,
        to_version: verified.schema_version,
    })
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Saves the database about to be replaced in the backups folder: through
/// SQLite when it can read it, else the files as they are (a damaged
/// database is kept as found).
fn keep_current(database: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let dir = folder(database);
    std::fs::create_dir_all(&dir).map_err(|source| {
        Error::io(
            format!("Could not create the backups folder {}", dir.display()),
            source,
        )
    })?;
    let kept = dir.join(format!(
        "{}-{}-before-restore-{}.db",
        stem(database),
        now.format("%Y-%m-%d"),
        now.format("%H%M%S")
    ));
    let through_sqlite = open_read_only(database).and_then(|conn| online_copy(&conn, &kept));
    if let Err(error) = through_sqlite {
        tracing::warn!(%error, "could not copy the database through SQLite; copying its files");
        let copy = |from: &Path, to: &Path| {
            std::fs::copy(from, to).map(|_| ()).map_err(|source| {
                Error::io(
                    format!(
                        "Could not keep a copy of {} before restoring, so nothing was changed",
                        from.display()
                    ),
                    source,
                )
            })
        };
        copy(database, &kept)?;
        let wal = suffixed(database, "-wal");
        if wal.exists() {
            copy(&wal, &suffixed(&kept, "-wal"))?;
        }
    }
    Ok(kept)
}
