//! Integrations: the connected platform accounts.
//!
//! An integration has a platform (`quickbooks_time`, `sandbox`, …), a name,
//! and settings: where to reach it, the attendance pull date (how far back
//! the first sync reads time), the sync interval and the look-back window.
//! Secrets are not here; they live in the OS keyring under the integration's
//! id. At most one integration is the *sync source*; making another one the
//! source turns the previous one's scheduled sync off.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::middleware::Module;
use crate::platforms::{Platform, SandboxCompany};
use crate::time;
use crate::validate::Checks;

pub const DEFAULT_INTERVAL_MINUTES: u32 = 120;
pub const MIN_INTERVAL_MINUTES: u32 = 15;
pub const MAX_INTERVAL_MINUTES: u32 = 24 * 60;
pub const DEFAULT_LOOK_BACK_DAYS: u32 = 14;
pub const DEFAULT_PULL_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IntegrationSettings {
    /// Another address for the platform's API: its emulator, a sandbox
    /// account or a proxy. `None` uses the platform's own.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The first sync reads time from this date (default two weeks back).
    pub pull_from: NaiveDate,
    #[serde(default = "default_interval")]
    pub interval_minutes: u32,
    /// Each sync re-reads time dated in the last this-many days.
    #[serde(default = "default_look_back")]
    pub look_back_days: u32,
    /// The folder a file-based platform's exports are read from (for CSV
    /// files, a single file too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub folder: Option<String>,
    /// The ODBC data source a platform is read through (Sage 300 CRE): a
    /// DSN's name, or a whole connection string. Its password, if any, is
    /// in the keyring, never here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dsn: Option<String>,
    /// The folder payroll files are written into for the platform to
    /// import them (Sage 300 CRE's Payroll → Import Time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub import_folder: Option<String>,
    /// How the QuickBooks Web Connector signs in, for QuickBooks Desktop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub web_connector: Option<WebConnectorSettings>,
    /// The saved CSV layout (its name) files of a CSV files integration
    /// are read with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub csv_layout: Option<String>,
    /// The demo company a Sandbox serves, chosen when it was connected and
    /// fixed after (its staged records are that company's). `None`: a
    /// Sandbox saved before there was a choice, which is QuickBooks Time.
    /// Only a Sandbox has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sandbox_company: Option<SandboxCompany>,
}

/// What a QuickBooks Desktop connection's `.qwc` file says. The password
/// is in the keyring, never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WebConnectorSettings {
    /// The username the Web Connector signs in with.
    pub username: String,
    /// The `.qwc` file's `{GUID}`s, fixed at connection.
    pub owner_id: String,
    pub file_id: String,
    /// The application's name in the Web Connector's list.
    #[serde(default)]
    pub app_name: String,
    /// Payroll is published into this company file: the `.qwc` asks for
    /// read-write access. Off, it asks for read-only access.
    #[serde(default)]
    pub publishing: bool,
    /// The class QuickBooks tracks published time by (`ClassRef`), for a
    /// company file with class tracking on; `None` sends no class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub class: Option<String>,
    /// Whether published time is billable to its customer
    /// (`BillableStatus`); `None` leaves it to QuickBooks' own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub billable: Option<bool>,
}

fn default_interval() -> u32 {
    DEFAULT_INTERVAL_MINUTES
}

fn default_look_back() -> u32 {
    DEFAULT_LOOK_BACK_DAYS
}

impl IntegrationSettings {
    /// The defaults for a new connection made at `now`.
    pub fn defaults(now: DateTime<Utc>) -> IntegrationSettings {
        IntegrationSettings {
            base_url: None,
            pull_from: (now - Duration::days(DEFAULT_PULL_DAYS)).date_naive(),
            interval_minutes: DEFAULT_INTERVAL_MINUTES,
            look_back_days: DEFAULT_LOOK_BACK_DAYS,
            folder: None,
            dsn: None,
            import_folder: None,
            web_connector: None,
            csv_layout: None,
            sandbox_company: None,
        }
    }

    /// Checks the settings, reporting every bad field.
    pub fn check(&self, now: DateTime<Utc>) -> Result<()> {
        let mut checks = Checks::default();
        if !(MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&self.interval_minutes) {
            checks.problem(
                "interval_minutes",
                "Sync every 15 minutes at the most often, and at least once a day.",
            );
        }
        if self.pull_from > now.date_naive() {
            checks.problem(
                "pull_from",
                "The attendance pull date cannot be in the future.",
            );
        }
        if self.look_back_days > 92 {
            checks.problem(
                "look_back_days",
                "Re-read at most 92 days of time on each sync.",
            );
        }
        if let Some(url) = &self.base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            checks.problem(
                "base_url",
                "The address must start with https:// (or http:// for a local emulator).",
            );
        }
        checks.finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Integration {
    pub id: i64,
    /// The platform's id as stored: text, so that a connection of a
    /// platform this version does not know (a newer one's) still lists.
    pub platform: String,
    pub name: String,
    pub settings: IntegrationSettings,
    pub is_sync_source: bool,
    pub sync_enabled: bool,
    pub publish_target: bool,
    pub created_at: DateTime<Utc>,
    pub next_sync_at: Option<DateTime<Utc>>,
}

impl Integration {
    /// Its platform, unless this version does not know it.
    pub fn known_platform(&self) -> Option<Platform> {
        Platform::from_id(&self.platform)
    }

    /// The demo company a Sandbox serves (QuickBooks Time unless it was
    /// connected as another); `None` for any other platform.
    pub fn sandbox_company(&self) -> Option<SandboxCompany> {
        (self.known_platform() == Some(Platform::Sandbox))
            .then(|| self.settings.sandbox_company.unwrap_or_default())
    }

    /// The platform whose API it is read with, so whose connector reads
    /// it: its platform's (`Capabilities::read_as`), or a Sandbox's demo
    /// company's. `None`: this version cannot read it. Every caller asks
    /// this rather than the platform table, so a Sandbox is read as what it
    /// was connected as.
    pub fn read_as(&self) -> Option<Platform> {
        match self.sandbox_company() {
            Some(company) => Some(company.platform()),
            None => self.known_platform().and_then(|p| p.capabilities().read_as),
        }
    }

    /// The modules it syncs (its Records tabs): its platform's, or its
    /// demo company's.
    pub fn modules(&self) -> &'static [Module] {
        match self.sandbox_company() {
            Some(company) => company.modules(),
            None => self.known_platform().map_or(&[], Platform::modules),
        }
    }

    /// Payroll can be published to it: its platform takes payroll, and a
    /// Sandbox's demo company does too.
    pub fn publishes_payroll(&self) -> bool {
        match self.sandbox_company() {
            Some(company) => company.publishes_payroll(),
            None => self
                .known_platform()
                .is_some_and(Platform::publishes_payroll),
        }
    }
}

/// A demo company is a Sandbox's alone.
fn check_sandbox_company(checks: &mut Checks, platform: &str, settings: &IntegrationSettings) {
    if settings.sandbox_company.is_some() && platform != Platform::Sandbox.id() {
        checks.problem("sandbox_company", "Only the Sandbox serves a demo company.");
    }
}

const SELECT: &str = "SELECT id, platform, name, settings, is_sync_source, sync_enabled,
    publish_target, created_at, next_sync_at FROM integrations";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Integration> {
    let settings: String = row.get("settings")?;
    let created_at = time::column(row, "created_at")?;
    Ok(Integration {
        id: row.get("id")?,
        platform: row.get("platform")?,
        name: row.get("name")?,
        settings: serde_json::from_str(&settings)
            .unwrap_or_else(|_| IntegrationSettings::defaults(created_at)),
        is_sync_source: row.get("is_sync_source")?,
        sync_enabled: row.get("sync_enabled")?,
        publish_target: row.get("publish_target")?,
        created_at,
        next_sync_at: time::optional_column(row, "next_sync_at")?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Integration>> {
    let mut statement =
        conn.prepare_cached(&format!("{SELECT} ORDER BY name COLLATE NOCASE, id"))?;
    let rows = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> Result<Integration> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "No integration with id {id}; it may have been disconnected. Refresh and try again."
            ))
        })
}

/// Finds an integration for the command line: by id, by name (any case),
/// or by platform (`quickbooks-time`, `quickbooks_time`, or `QuickBooks
/// Desktop`) where exactly one of that platform is connected. Several of
/// one platform are refused with their ids and names, so the command can
/// name one of them.
pub fn find(conn: &Connection, text: &str) -> Result<Integration> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>() {
        return get(conn, id);
    }
    let all = list(conn)?;
    let wanted = text.to_lowercase();
    if let Some(named) = all.iter().find(|i| i.name.to_lowercase() == wanted) {
        return Ok(named.clone());
    }
    let mut platform = wanted.replace(['-', ' '], "_");
    if platform == "csv" {
        // As `timebridge connect csv` names it.
        platform = Platform::CsvFiles.id().to_owned();
    }
    let mut of_platform: Vec<Integration> =
        all.into_iter().filter(|i| i.platform == platform).collect();
    match of_platform.len() {
        0 => Err(Error::NotFound(format!(
            "No integration is called “{text}”, and none of that platform is connected. \
             `timebridge integrations list` shows them."
        ))),
        1 => Ok(of_platform.remove(0)),
        n => Err(Error::invalid(
            "integration",
            format!(
                "{n} integrations are {platform} connections: {}. Name one by its id or its name.",
                of_platform
                    .iter()
                    .map(|i| format!("{} (“{}”)", i.id, i.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// Records a new connection. The first integration becomes the sync source.
pub fn create(
    tx: &Transaction<'_>,
    platform: &str,
    name: &str,
    settings: &IntegrationSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Integration> {
    settings.check(now)?;
    let mut checks = Checks::default();
    check_sandbox_company(&mut checks, platform, settings);
    let name = checks.required("name", "a name for the integration", name, 60);
    let taken = tx
        .prepare_cached("SELECT 1 FROM integrations WHERE name = ?1 COLLATE NOCASE")?
        .query_row([&name], |_| Ok(()))
        .optional()?
        .is_some();
    if taken {
        checks.problem(
            "name",
            format!("An integration named “{name}” is already connected."),
        );
    }
    checks.finish()?;
    let has_source: bool = tx.query_row(
        "SELECT count(*) > 0 FROM integrations WHERE is_sync_source = 1",
        [],
        |row| row.get(0),
    )?;
    let settings_json = serde_json::to_string(settings)
        .map_err(|e| Error::Internal(format!("settings do not encode: {e}")))?;
    tx.execute(
        "INSERT INTO integrations (platform, name, created_at, settings, is_sync_source, next_sync_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3)",
        params![platform, name, time::to_db(now), settings_json, !has_source],
    )?;
    let integration = get(tx, tx.last_insert_rowid())?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::IntegrationConnected,
            format!("Connected {name} ({platform})"),
        )
        .target(format!("integration #{}", integration.id)),
        now,
    )?;
    Ok(integration)
}

pub fn update_settings(
    tx: &Transaction<'_>,
    id: i64,
    settings: &IntegrationSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Integration> {
    let before = get(tx, id)?;
    settings.check(now)?;
    let settings = &kept_sandbox_company(&before, settings)?;
    let json = serde_json::to_string(settings)
        .map_err(|e| Error::Internal(format!("settings do not encode: {e}")))?;
    tx.execute(
        "UPDATE integrations SET settings = ?1 WHERE id = ?2",
        params![json, id],
    )?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::IntegrationChanged,
            format!("Changed the settings of {}", before.name),
        )
        .target(format!("integration #{id}"))
        .details(serde_json::json!({
            "from": serde_json::to_value(&before.settings).unwrap_or_default(),
            "to": serde_json::to_value(settings).unwrap_or_default(),
        })),
        now,
    )?;
    get(tx, id)
}

/// `settings` with the demo company `before` was connected as: a Sandbox's
/// company cannot change (its staged records, bindings and cursors are that
/// company's), so a draft naming another is refused, and one naming none
/// keeps it.
fn kept_sandbox_company(
    before: &Integration,
    settings: &IntegrationSettings,
) -> Result<IntegrationSettings> {
    let mut checks = Checks::default();
    check_sandbox_company(&mut checks, &before.platform, settings);
    if let (Some(wanted), Some(company)) = (settings.sandbox_company, before.sandbox_company())
        && wanted != company
    {
        checks.problem(
            "sandbox_company",
            format!(
                "{} is a {} demo company, chosen when it was connected. To try {}, connect another Sandbox.",
                before.name,
                company.name(),
                wanted.name()
            ),
        );
    }
    checks.finish()?;
    Ok(IntegrationSettings {
        sandbox_company: before.settings.sandbox_company,
        ..settings.clone()
    })
}

/// Makes `id` the one sync source; the previous source stops syncing on its
/// schedule (it stays connected and can still be a publish target).
pub fn set_sync_source(
    tx: &Transaction<'_>,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Integration> {
    let target = get(tx, id)?;
    if target.is_sync_source {
        return Ok(target);
    }
    let previous: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, name FROM integrations WHERE is_sync_source = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    tx.execute(
        "UPDATE integrations SET is_sync_source = 0, sync_enabled = 0 WHERE is_sync_source = 1",
        [],
    )?;
    tx.execute(
        "UPDATE integrations SET is_sync_source = 1, sync_enabled = 1 WHERE id = ?1",
        [id],
    )?;
    let summary = match &previous {
        Some((_, name)) => format!(
            "Made {} the sync source instead of {name} (whose sync is now off)",
            target.name
        ),
        None => format!("Made {} the sync source", target.name),
    };
    audit::record(
        tx,
        actor,
        AuditEvent::new(AuditAction::SyncSourceChanged, summary)
            .target(format!("integration #{id}")),
        now,
    )?;
    get(tx, id)
}

/// Turns scheduled syncing of an integration on or off.
pub fn set_sync_enabled(tx: &Transaction<'_>, id: i64, enabled: bool) -> Result<()> {
    get(tx, id)?;
    tx.execute(
        "UPDATE integrations SET sync_enabled = ?1 WHERE id = ?2",
        params![enabled, id],
    )?;
    Ok(())
}

pub fn set_next_sync(tx: &Transaction<'_>, id: i64, at: Option<DateTime<Utc>>) -> Result<()> {
    tx.execute(
        "UPDATE integrations SET next_sync_at = ?1 WHERE id = ?2",
        params![at.map(time::to_db), id],
    )?;
    Ok(())
}

/// Disconnects: removes the integration with its staged records, bindings,
/// cursors and runs. Local records it imported stay, marked as imported from
/// a removed integration. The caller deletes its secrets.
pub fn remove(tx: &Transaction<'_>, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    let integration = get(tx, id)?;
    tx.execute("DELETE FROM integrations WHERE id = ?1", [id])?;
    tx.execute("DELETE FROM staged_counts WHERE integration_id = ?1", [id])?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::IntegrationDisconnected,
            format!("Disconnected {}", integration.name),
        )
        .target(format!("integration #{id}")),
        now,
    )
}

/// Rounds of simulated activity asked of a Sandbox integration.
pub fn sandbox_rounds(conn: &Connection, id: i64) -> Result<u32> {
    conn.query_row(
        "SELECT sandbox_rounds FROM integrations WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("No integration with id {id}.")))
}

/// Records one more round of simulated activity; returns its number.
pub fn add_sandbox_round(tx: &Transaction<'_>, id: i64) -> Result<u32> {
    tx.execute(
        "UPDATE integrations SET sandbox_rounds = sandbox_rounds + 1 WHERE id = ?1 AND platform = 'sandbox'",
        [id],
    )?;
    sandbox_rounds(tx, id)
}
