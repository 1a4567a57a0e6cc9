//! Sync runs: every run's start, end, outcome, counts per module and error.
//!
//! Counts are written with each page, in its transaction, so they are right
//! even for a run that was cut off. A run still marked running when the app
//! starts was interrupted (the app stopped or crashed); [`mark_interrupted`]
//! says so, and the next run resumes from the cursors.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::records::{Page, clamp_page};
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    /// "Sync now".
    Manual,
    Schedule,
    CommandLine,
    /// Due while the app was closed, started at launch.
    Startup,
    /// The QuickBooks Web Connector called (its schedule, or Update Selected).
    WebConnector,
}

impl RunTrigger {
    /// The trigger as stored (`schedule`, `startup`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RunTrigger::Manual => "manual",
            RunTrigger::Schedule => "schedule",
            RunTrigger::CommandLine => "command_line",
            RunTrigger::Startup => "startup",
            RunTrigger::WebConnector => "web_connector",
        }
    }

    fn parse(text: &str) -> RunTrigger {
        match text {
            "schedule" => RunTrigger::Schedule,
            "command_line" => RunTrigger::CommandLine,
            "startup" => RunTrigger::Startup,
            "web_connector" => RunTrigger::WebConnector,
            _ => RunTrigger::Manual,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
}

impl RunOutcome {
    /// The outcome as stored (`running`, `succeeded`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Running => "running",
            RunOutcome::Succeeded => "succeeded",
            RunOutcome::Failed => "failed",
            RunOutcome::Cancelled => "cancelled",
            RunOutcome::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> RunOutcome {
        match text {
            "running" => RunOutcome::Running,
            "succeeded" => RunOutcome::Succeeded,
            "cancelled" => RunOutcome::Cancelled,
            "interrupted" => RunOutcome::Interrupted,
            _ => RunOutcome::Failed,
        }
    }
}

/// What a run did to one module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuleCounts {
    pub pages: u64,
    pub fetched: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Records the platform sent that could not be read (logged).
    pub skipped: u64,
}

impl ModuleCounts {
    pub fn add(&mut self, other: &ModuleCounts) {
        self.pages += other.pages;
        self.fetched += other.fetched;
        self.new += other.new;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.removed += other.removed;
        self.skipped += other.skipped;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncRun {
    pub id: i64,
    pub integration_id: i64,
    pub trigger: RunTrigger,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: RunOutcome,
    /// Per module name ("employees", "time_entries", …).
    pub counts: BTreeMap<String, ModuleCounts>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

const SELECT: &str = "SELECT id, integration_id, trigger, started_at, finished_at, outcome,
    counts, error_code, error_message FROM sync_runs";

fn from_row(row: &Row<'_>) -> rusqlite::Result<SyncRun> {
    let trigger: String = row.get("trigger")?;
    let outcome: String = row.get("outcome")?;
    let counts: String = row.get("counts")?;
    Ok(SyncRun {
        id: row.get("id")?,
        integration_id: row.get("integration_id")?,
        trigger: RunTrigger::parse(&trigger),
        started_at: time::column(row, "started_at")?,
        finished_at: time::optional_column(row, "finished_at")?,
        outcome: RunOutcome::parse(&outcome),
        counts: serde_json::from_str(&counts).unwrap_or_default(),
        error_code: row.get("error_code")?,
        error_message: row.get("error_message")?,
    })
}

pub fn start(
    tx: &Transaction<'_>,
    integration_id: i64,
    trigger: RunTrigger,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO sync_runs (integration_id, trigger, started_at, outcome) VALUES (?1, ?2, ?3, 'running')",
        params![integration_id, trigger.as_str(), time::to_db(now)],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn save_counts(
    tx: &Transaction<'_>,
    run_id: i64,
    counts: &BTreeMap<String, ModuleCounts>,
) -> Result<()> {
    let json =
        serde_json::to_string(counts).map_err(|e| Error::Internal(format!("counts: {e}")))?;
    tx.prepare_cached("UPDATE sync_runs SET counts = ?1 WHERE id = ?2")?
        .execute(params![json, run_id])?;
    Ok(())
}

pub fn finish(
    tx: &Transaction<'_>,
    run_id: i64,
    outcome: RunOutcome,
    error: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE sync_runs SET outcome = ?1, finished_at = ?2, error_code = ?3, error_message = ?4 WHERE id = ?5",
        params![outcome.as_str(), time::to_db(now), error.map(|e| e.0), error.map(|e| e.1), run_id],
    )?;
    Ok(())
}

/// Marks runs left running by a stopped app as interrupted. Returns how many.
pub fn mark_interrupted(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE sync_runs SET outcome = 'interrupted', finished_at = ?1, error_code = 'interrupted',
             error_message = 'Timebridge stopped during this sync. Nothing synced was lost; the next sync continues where this one stopped.'
         WHERE outcome = 'running'",
        [time::to_db(now)],
    )?)
}

pub fn get(conn: &Connection, id: i64) -> Result<SyncRun> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("No sync run with id {id}.")))
}

pub fn latest(conn: &Connection, integration_id: i64) -> Result<Option<SyncRun>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT} WHERE integration_id = ?1 ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([integration_id], from_row)
        .optional()?)
}

/// The latest run the scheduler started (at launch or on schedule), of any
/// integration.
pub fn latest_scheduled(conn: &Connection) -> Result<Option<SyncRun>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT} WHERE trigger IN ('startup', 'schedule') ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([], from_row)
        .optional()?)
}

/// An integration's runs, newest first.
pub fn list(
    conn: &Connection,
    integration_id: i64,
    page: u32,
    page_size: u32,
) -> Result<Page<SyncRun>> {
    let (page, page_size) = clamp_page(page, page_size);
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM sync_runs WHERE integration_id = ?1",
        [integration_id],
        |row| row.get(0),
    )?;
    let offset = (i64::from(page) - 1) * i64::from(page_size);
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} WHERE integration_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = statement
        .query_map(params![integration_id, page_size, offset], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        rows,
        total,
        page,
        page_size,
    })
}
