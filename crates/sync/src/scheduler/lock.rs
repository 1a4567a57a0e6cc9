//! The scheduler lock: one process per database schedules syncs, recovers
//! interrupted runs and answers the Web Connector. It holds an exclusive
//! lock on `<database>.scheduler.lock` next to the database for as long as
//! it schedules, and writes in it who it is, for `timebridge service
//! status`. Another process on the same database (the window beside the
//! service, or the service beside the window) finds the lock taken and
//! leaves scheduling to the holder. The lock is the operating system's
//! (`File::try_lock`), so it is released when the holder stops or crashes.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The lock file for the database at `database`: beside it, named after it,
/// so two databases in one folder have a scheduler each.
pub fn path(database: &Path) -> PathBuf {
    let mut name = database
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".scheduler.lock");
    database.with_file_name(name)
}

/// This process's hold on scheduling for one database; released when
/// dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct SchedulerLock {
    _file: File,
}

fn open(database: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path(database))
}

/// Takes the lock for `database`, writing `holder` (who this is, such as
/// "the window") and this process's id in it; `None` when another process
/// holds it.
pub fn try_take(database: &Path, holder: &str) -> io::Result<Option<SchedulerLock>> {
    let mut file = open(database)?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            writeln!(file, "{holder} (process {})", std::process::id())?;
            file.flush()?;
            Ok(Some(SchedulerLock { _file: file }))
        }
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(error)) => Err(error),
    }
}

/// Who holds the lock for `database`, as the holder wrote it; `None` when
/// nobody schedules it now.
pub fn holder(database: &Path) -> io::Result<Option<String>> {
    if !path(database).exists() {
        return Ok(None);
    }
    let mut file = open(database)?;
    match file.try_lock() {
        // Free: this check held it for a moment and lets it go at once.
        Ok(()) => Ok(None),
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            // Windows forbids reading a locked file: the holder is unnamed.
            let named = file.read_to_string(&mut text).is_ok() && !text.trim().is_empty();
            Ok(Some(if named {
                text.trim().to_owned()
            } else {
                "another process".to_owned()
            }))
        }
        Err(TryLockError::Error(error)) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_while_the_first_holds_and_names_it() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let database = dir.path().join("timebridge.db");
        let first = try_take(&database, "the service").expect("a writable temp folder");
        assert!(first.is_some(), "the first taker of a free lock holds it");
        assert!(
            try_take(&database, "the window")
                .expect("a writable temp folder")
                .is_none(),
            "a second process must not schedule the same database"
        );
        let named = holder(&database).expect("a readable lock file");
        assert_eq!(
            named,
            Some(format!("the service (process {})", std::process::id())),
            "status names the holder as it wrote itself"
        );
    }

    #[test]
    fn the_lock_is_free_again_once_its_holder_lets_go() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let database = dir.path().join("timebridge.db");
        drop(try_take(&database, "the window").expect("a writable temp folder"));
        assert_eq!(
            holder(&database).expect("a readable lock file"),
            None,
            "a stopped holder leaves nobody scheduling"
        );
    }

    #[test]
    fn the_lock_file_is_named_after_its_database() {
        assert_eq!(
            path(Path::new("/srv/tb/office.db")),
            Path::new("/srv/tb/office.db.scheduler.lock"),
            "two databases in one folder must not share a scheduler"
        );
    }
}
