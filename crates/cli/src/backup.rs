//! `timebridge backup` and `timebridge restore`: a checked copy of the
//! database now, the backups kept beside it, and putting one back.
//!
//! A restore replaces the file under any process that has it open, so it
//! is refused while the window or the background service runs on the
//! database (the scheduler lock and the window's lock on its data folder
//! say so), and it asks before it replaces anything unless `--yes`.

use std::fs::{OpenOptions, TryLockError};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use timebridge_core::store::backup::{self, BackupFile, BackupKind};
use timebridge_core::{Error, Store};
use timebridge_sync::scheduler::lock;

use crate::table::Table;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct BackupCommand {
    /// Write the backup to this file. Without it, today's backup is made
    /// in the backups folder beside the database (if not made yet).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<BackupSubcommand>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BackupSubcommand {
    /// The backups kept beside the database, newest first.
    List,
}

pub(crate) fn run(database: &Path, command: BackupCommand, json: bool) -> Result<String, Error> {
    if let Some(BackupSubcommand::List) = command.command {
        return list(database, json);
    }
    let store = crate::open_store(database)?;
    let made = match command.out {
        Some(out) => backup::write_copy(&store, &out)?,
        None => {
            let today = chrono::Local::now().date_naive();
            match backup::daily(&store, today)? {
                Some(made) => made,
                None => {
                    let path = backup::daily_path(database, today);
                    return Ok(if json {
                        serde_json::json!({ "backup": path, "made": false }).to_string()
                    } else {
                        format!("Today's backup was already made: {}.", path.display())
                    });
                }
            }
        }
    };
    Ok(if json {
        serde_json::json!({ "backup": made.path, "made": true, "size_bytes": made.size_bytes })
            .to_string()
    } else {
        format!(
            "Saved a checked backup of {} to {} ({}).",
            database.display(),
            made.path,
            size(made.size_bytes)
        )
    })
}

fn list(database: &Path, json: bool) -> Result<String, Error> {
    let backups = backup::list(database)?;
    if json {
        return serde_json::to_string(&backups).map_err(|e| Error::Internal(e.to_string()));
    }
    if backups.is_empty() {
        return Ok(format!(
            "No backups yet in {}.",
            backup::folder(database).display()
        ));
    }
    let mut table = Table::new(["Made", "Kind", "Size", "File"]);
    for found in &backups {
        table.row([
            made(found),
            match found.kind {
                BackupKind::Daily => "daily".to_owned(),
                BackupKind::BeforeRestore => "before a restore".to_owned(),
            },
            size(found.size_bytes),
            found.path.clone(),
        ]);
    }
    Ok(table.render())
}

fn made(found: &BackupFile) -> String {
    found.made_at.map_or_else(
        || found.day.to_string(),
        |at| {
            at.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        },
    )
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// `timebridge restore FILE`.
pub(crate) fn restore(database: &Path, file: &Path, yes: bool) -> Result<String, Error> {
    refuse_while_open(database)?;
    // Checked before asking, so a wrong file is refused at once.
    backup::verify(file)?;
    if !yes && !confirmed(database, file)? {
        return Err(Error::Conflict(
            "Nothing was restored: the restore was not confirmed.".to_owned(),
        ));
    }
    let report = backup::restore(database, file, chrono::Utc::now())?;
    let kept = report.kept_current.map_or_else(String::new, |kept| {
        format!(" The database it replaced was kept as {kept}.")
    });
    Ok(format!(
        "Restored {} from {}.{kept}",
        database.display(),
        report.restored_from
    ))
}

/// Asks on the terminal; refuses when there is none to ask on.
fn confirmed(database: &Path, file: &Path) -> Result<bool, Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Error::invalid(
            "yes",
            "Restoring replaces the database; run again with --yes to confirm it.",
        ));
    }
    eprint!(
        "Replace {} with the backup {}? The current database is kept in {}. Type yes to restore: ",
        database.display(),
        file.display(),
        backup::folder(database).display()
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::io("Could not read the answer", e))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "yes" | "y"))
}

/// Refuses while the window or the background service has the database
/// open: replacing the file under them would lose what they write next.
fn refuse_while_open(database: &Path) -> Result<(), Error> {
    let scheduler = lock::holder(database).ok().flatten();
    let window = window_open(database).then(|| "the Timebridge window".to_owned());
    if let Some(holder) = scheduler.or(window) {
        return Err(Error::Conflict(format!(
            "Timebridge is running on this database ({holder}), so nothing was restored. Close \
             the Timebridge window and stop the background service (`timebridge service \
             uninstall`, or stop it in the system's service manager), then run the restore again."
        )));
    }
    Ok(())
}

/// Whether a window holds the data folder the database is in (its
/// `instance.lock`, held for as long as it runs).
fn window_open(database: &Path) -> bool {
    let folder = database.parent().unwrap_or(Path::new("."));
    let Ok(file) = OpenOptions::new()
        .write(true)
        .open(folder.join("instance.lock"))
    else {
        return false;
    };
    matches!(file.try_lock(), Err(TryLockError::WouldBlock))
}

/// Warns on standard error when the database opened damaged (read-only);
/// the commands that write are refused by the store itself.
pub(crate) fn warn_if_damaged(store: &Store) {
    if store.damage().is_some() {
        let refusal = Error::DatabaseDamaged {
            path: store.path().display().to_string(),
            latest_backup: store
                .damage()
                .and_then(|d| d.latest_backup)
                .map(|p| p.display().to_string()),
        };
        eprintln!("warning: {refusal}");
    }
}
