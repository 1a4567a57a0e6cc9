//! New versions of Timebridge: the update status the Settings page shows,
//! turning the background check on or off, and installing on an
//! administrator's click.
//!
//! Finding, verifying and installing an update is the desktop shell's (it
//! needs Tauri's updater plugin); it plugs in through [`Updates`]. Without
//! it (the CLI, tests) the status says this copy cannot update itself. The
//! setting lives in the core ([`timebridge_core::update_settings`]), so an
//! office that turns checks off is never asked again, on any start.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use timebridge_core::update_settings::{self, UpdateSettings};
use timebridge_core::{Error, Result};
use ts_rs::TS;

use crate::Ctx;

/// Where the check for a new version stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateState {
    /// Checks are turned off in Settings: no request is made.
    Off,
    /// This copy cannot update itself (built without the updater, or run
    /// from the command line); `reason` says so in the user's words.
    Unsupported {
        reason: String,
    },
    /// Not checked yet since the app started.
    NotChecked,
    Checking,
    /// No newer version was offered.
    UpToDate {
        checked_at: DateTime<Utc>,
    },
    /// A newer version, with what is new in it.
    Available {
        version: String,
        notes: Option<String>,
        /// When it was published (RFC 3339), if the manifest says.
        published: Option<String>,
    },
    /// Downloading, checking the signature and installing.
    Installing {
        version: String,
    },
    /// Installed; it runs from the next start (the app restarts itself
    /// right after, unless it was told not to).
    Installed {
        version: String,
    },
    /// The check or the install failed; `message` says why, plainly.
    Failed {
        message: String,
    },
}

/// What the Settings page shows about updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateStatus {
    pub current_version: String,
    pub check_for_updates: bool,
    pub update: UpdateState,
}

/// The shell's updater, as the command layer sees it. Every method returns
/// at once; checks and installs run in the background and
/// [`Updates::state`] reports them.
pub trait Updates: Send + Sync {
    fn state(&self) -> UpdateState;
    /// Turns checks on (and starts one) or off (and forgets any update found).
    fn set_enabled(&self, enabled: bool);
    /// Starts a check now.
    fn check(&self);
    /// Starts installing the update that was found; refused when there is none.
    fn install(&self) -> Result<()>;
}

/// Used until the shell plugs in its updater.
pub(crate) struct NoUpdater;

impl Updates for NoUpdater {
    fn state(&self) -> UpdateState {
        UpdateState::Unsupported {
            reason: "This copy of Timebridge does not update itself; install the new version from its package.".into(),
        }
    }
    fn set_enabled(&self, _: bool) {}
    fn check(&self) {}
    fn install(&self) -> Result<()> {
        Err(Error::Conflict(
            "This copy of Timebridge does not update itself.".into(),
        ))
    }
}

pub(crate) type SharedUpdates = Arc<dyn Updates>;

fn status(ctx: &Ctx<'_>) -> Result<UpdateStatus> {
    let settings = ctx.store().read(update_settings::load)?;
    let update = if settings.check_for_updates {
        ctx.api.updates().state()
    } else {
        UpdateState::Off
    };
    Ok(UpdateStatus {
        current_version: env!("CARGO_PKG_VERSION").to_owned(),
        check_for_updates: settings.check_for_updates,
        update,
    })
}

pub fn update_status(ctx: &mut Ctx<'_>, (): ()) -> Result<UpdateStatus> {
    status(ctx)
}

pub fn save_update_settings(ctx: &mut Ctx<'_>, settings: UpdateSettings) -> Result<UpdateStatus> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    ctx.store()
        .write(|tx| update_settings::save(tx, settings, &actor, now))?;
    ctx.api.updates().set_enabled(settings.check_for_updates);
    status(ctx)
}

/// Refuses while checks are off: then nothing may reach the network.
fn require_checks_on(ctx: &Ctx<'_>) -> Result<()> {
    if ctx.store().read(update_settings::load)?.check_for_updates {
        Ok(())
    } else {
        Err(Error::Conflict(
            "Checking for updates is turned off; turn it on first.".into(),
        ))
    }
}

pub fn check_for_updates(ctx: &mut Ctx<'_>, (): ()) -> Result<UpdateStatus> {
    require_checks_on(ctx)?;
    ctx.api.updates().check();
    status(ctx)
}

pub fn install_update(ctx: &mut Ctx<'_>, (): ()) -> Result<UpdateStatus> {
    require_checks_on(ctx)?;
    ctx.api.updates().install()?;
    status(ctx)
}
