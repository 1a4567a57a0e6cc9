//! The database's health and its backups, for the warning the window shows
//! when the database failed its check at start, and restoring a backup.
//!
//! Both commands are public: a damaged database may not even let an
//! operator sign in (signing in writes), so restoring over one needs no
//! session. Restoring over a sound database is an administrator's (Manage
//! Users and Roles), checked here. Only a backup Timebridge lists can be
//! restored from the window; any other file goes through
//! `timebridge restore FILE`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use timebridge_core::permissions::Permission;
use timebridge_core::store::backup::{self, BackupFile, RestoreReport};
use timebridge_core::{Error, Result};
use ts_rs::TS;

use crate::Ctx;

/// Whether the database is sound, and the backups it could be restored from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DatabaseStatus {
    /// The database failed its integrity check at start: it is read-only.
    pub damaged: bool,
    /// What the check found (a few lines of SQLite's report).
    pub problems: Vec<String>,
    /// The newest backup that passes its own check, offered for restoring.
    pub latest_good_backup: Option<BackupFile>,
    /// Every kept backup, newest first.
    pub backups: Vec<BackupFile>,
    pub backups_folder: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct RestoreBackupArgs {
    /// The backup's path, as `database_status` listed it.
    pub path: String,
}

pub fn database_status(ctx: &mut Ctx<'_>, (): ()) -> Result<DatabaseStatus> {
    let store = ctx.store();
    let damage = store.damage();
    let backups = backup::list(store.path())?;
    let latest_good_backup = match &damage {
        Some(damage) => damage.latest_backup.as_ref().and_then(|latest| {
            backups
                .iter()
                .find(|b| Path::new(&b.path) == latest)
                .cloned()
        }),
        None => None,
    };
    Ok(DatabaseStatus {
        damaged: damage.is_some(),
        problems: damage.map(|d| d.problems).unwrap_or_default(),
        latest_good_backup,
        backups,
        backups_folder: backup::folder(store.path()).display().to_string(),
    })
}

/// Restores one of the listed backups under the running app, keeping the
/// current database in the backups folder. The session ends: the
/// restored database has its own operators, so everyone signs in again.
pub fn restore_backup(ctx: &mut Ctx<'_>, args: RestoreBackupArgs) -> Result<RestoreReport> {
    if ctx.store().damage().is_none()
        && !ctx.permissions().contains(&Permission::ManageUsersAndRoles)
    {
        ctx.operator()?;
        return Err(Error::PermissionDenied(Permission::ManageUsersAndRoles));
    }
    if ctx.api.engine().scheduled_elsewhere() {
        return Err(Error::Conflict(
            "The background service is running on this database, so nothing was restored. Stop \
             it first (`timebridge service uninstall`, or in the system's service manager), then \
             restore again."
                .to_owned(),
        ));
    }
    let listed = backup::list(ctx.store().path())?
        .into_iter()
        .any(|b| b.path == args.path);
    if !listed {
        return Err(Error::invalid(
            "path",
            format!(
                "{} is not one of the backups kept beside the database. To restore another \
                 file, close Timebridge and run `timebridge restore FILE`.",
                args.path
            ),
        ));
    }
    let report = ctx.store().restore(Path::new(&args.path), ctx.now)?;
    ctx.api.sessions.end(ctx.client);
    Ok(report)
}
