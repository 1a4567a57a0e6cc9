//! Whether Timebridge looks for new versions of itself.
//!
//! On by default. An office without internet turns it off, and then the app
//! makes no request for updates at all. Kept in `company_settings` (key
//! `updates`) like the other settings of this installation; changing it is
//! audited.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::Result;
use crate::payroll::settings::{load_value, store_value};

const KEY: &str = "updates";

/// The update settings, as the Settings page edits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateSettings {
    /// Check for a new version in the background after each start.
    pub check_for_updates: bool,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        UpdateSettings {
            check_for_updates: true,
        }
    }
}

/// The saved settings, or the defaults (checks on) when none were saved.
pub fn load(conn: &Connection) -> Result<UpdateSettings> {
    Ok(load_value(conn, KEY, "update settings")?.unwrap_or_default())
}

/// Saves the settings and logs the change (nothing is logged when nothing changed).
pub fn save(
    tx: &Transaction<'_>,
    settings: UpdateSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<UpdateSettings> {
    let before = load(tx)?;
    store_value(tx, KEY, &settings, actor, now)?;
    if before != settings {
        let summary = if settings.check_for_updates {
            "Turned checking for updates on"
        } else {
            "Turned checking for updates off"
        };
        audit::record(
            tx,
            actor,
            AuditEvent {
                action: AuditAction::UpdateChecksChanged,
                target: Some("update settings".into()),
                summary: summary.into(),
                details: None,
            },
            now,
        )?;
    }
    Ok(settings)
}
