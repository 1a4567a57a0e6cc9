//! The audit log: who did what and when.
//!
//! Entries are written in the same transaction as the change they describe,
//! so the log never claims a change that was rolled back, and never misses
//! one that was made. The [`Actor`] is whoever made the change: an operator,
//! the CLI, or Timebridge itself.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::records::{Page, clamp_page};
use crate::time;

/// Who is making a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub operator_id: Option<i64>,
    /// As shown in the log: "Ann Smith (ann)", "CLI", "Timebridge".
    pub name: String,
}

impl Actor {
    pub fn operator(id: i64, username: &str, display_name: &str) -> Actor {
        Actor {
            operator_id: Some(id),
            name: format!("{display_name} ({username})"),
        }
    }

    /// The headless `timebridge` command, run by whoever can open the file.
    pub fn cli() -> Actor {
        Actor {
            operator_id: None,
            name: "Command line".to_owned(),
        }
    }

    /// Timebridge itself (scheduled syncs, first-run setup).
    pub fn system() -> Actor {
        Actor {
            operator_id: None,
            name: "Timebridge".to_owned(),
        }
    }

    /// The `updated_by` value stored on records this actor changes.
    pub fn updated_by(&self) -> String {
        match self.operator_id {
            Some(id) => format!("operator:{id}"),
            None => self.name.to_lowercase().replace(' ', "_"),
        }
    }
}

/// What was done. Stored as its dotted name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum AuditAction {
    #[serde(rename = "sign_in.succeeded")]
    SignInSucceeded,
    #[serde(rename = "sign_in.failed")]
    SignInFailed,
    #[serde(rename = "sign_in.locked")]
    SignInLocked,
    #[serde(rename = "sign_out")]
    SignOut,
    #[serde(rename = "operator.created")]
    OperatorCreated,
    #[serde(rename = "operator.updated")]
    OperatorUpdated,
    #[serde(rename = "operator.password_reset")]
    OperatorPasswordReset,
    #[serde(rename = "operator.password_changed")]
    OperatorPasswordChanged,
    #[serde(rename = "role.created")]
    RoleCreated,
    #[serde(rename = "role.updated")]
    RoleUpdated,
    #[serde(rename = "role.deleted")]
    RoleDeleted,
    #[serde(rename = "record.created")]
    RecordCreated,
    #[serde(rename = "record.updated")]
    RecordUpdated,
    #[serde(rename = "record.deactivated")]
    RecordDeactivated,
    #[serde(rename = "record.reactivated")]
    RecordReactivated,
    #[serde(rename = "integration.connected")]
    IntegrationConnected,
    #[serde(rename = "integration.changed")]
    IntegrationChanged,
    #[serde(rename = "integration.disconnected")]
    IntegrationDisconnected,
    #[serde(rename = "integration.sync_source")]
    SyncSourceChanged,
    #[serde(rename = "staged.archived")]
    StagedArchived,
    #[serde(rename = "staged.unarchived")]
    StagedUnarchived,
    #[serde(rename = "staged.imported")]
    StagedImported,
    #[serde(rename = "payroll.settings_changed")]
    PayrollSettingsChanged,
    #[serde(rename = "payroll.mapping_changed")]
    PayrollMappingChanged,
    #[serde(rename = "payroll.published")]
    PayrollPublished,
    #[serde(rename = "payroll.exported")]
    PayrollExported,
    #[serde(rename = "csv_layout.saved")]
    CsvLayoutSaved,
    #[serde(rename = "csv_layout.deleted")]
    CsvLayoutDeleted,
    #[serde(rename = "app.update_checks_changed")]
    UpdateChecksChanged,
    #[serde(rename = "wage.set")]
    WageSet,
    #[serde(rename = "wage.removed")]
    WageRemoved,
    #[serde(rename = "job_costing.settings_changed")]
    JobCostingSettingsChanged,
    #[serde(rename = "bonus.plan_saved")]
    BonusPlanSaved,
    #[serde(rename = "bonus.created")]
    BonusCreated,
    #[serde(rename = "bonus.approved")]
    BonusApproved,
    #[serde(rename = "bonus.paid")]
    BonusPaid,
}

impl AuditAction {
    pub const ALL: [AuditAction; 36] = [
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignOut,
        AuditAction::OperatorCreated,
        AuditAction::OperatorUpdated,
        AuditAction::OperatorPasswordReset,
        AuditAction::OperatorPasswordChanged,
        AuditAction::RoleCreated,
        AuditAction::RoleUpdated,
        AuditAction::RoleDeleted,
        AuditAction::RecordCreated,
        AuditAction::RecordUpdated,
        AuditAction::RecordDeactivated,
        AuditAction::RecordReactivated,
        AuditAction::IntegrationConnected,
        AuditAction::IntegrationChanged,
        AuditAction::IntegrationDisconnected,
        AuditAction::SyncSourceChanged,
        AuditAction::StagedArchived,
        AuditAction::StagedUnarchived,
        AuditAction::StagedImported,
        AuditAction::PayrollSettingsChanged,
        AuditAction::PayrollMappingChanged,
        AuditAction::PayrollPublished,
        AuditAction::PayrollExported,
        AuditAction::CsvLayoutSaved,
        AuditAction::CsvLayoutDeleted,
        AuditAction::UpdateChecksChanged,
        AuditAction::WageSet,
        AuditAction::WageRemoved,
        AuditAction::JobCostingSettingsChanged,
        AuditAction::BonusPlanSaved,
        AuditAction::BonusCreated,
        AuditAction::BonusApproved,
        AuditAction::BonusPaid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignInSucceeded => "sign_in.succeeded",
            AuditAction::SignInFailed => "sign_in.failed",
            AuditAction::SignInLocked => "sign_in.locked",
            AuditAction::SignOut => "sign_out",
            AuditAction::OperatorCreated => "operator.created",
            AuditAction::OperatorUpdated => "operator.updated",
            AuditAction::OperatorPasswordReset => "operator.password_reset",
            AuditAction::OperatorPasswordChanged => "operator.password_changed",
            AuditAction::RoleCreated => "role.created",
            AuditAction::RoleUpdated => "role.updated",
            AuditAction::RoleDeleted => "role.deleted",
            AuditAction::RecordCreated => "record.created",
            AuditAction::RecordUpdated => "record.updated",
            AuditAction::RecordDeactivated => "record.deactivated",
            AuditAction::RecordReactivated => "record.reactivated",
            AuditAction::IntegrationConnected => "integration.connected",
            AuditAction::IntegrationChanged => "integration.changed",
            AuditAction::IntegrationDisconnected => "integration.disconnected",
            AuditAction::SyncSourceChanged => "integration.sync_source",
            AuditAction::StagedArchived => "staged.archived",
            AuditAction::StagedUnarchived => "staged.unarchived",
            AuditAction::StagedImported => "staged.imported",
            AuditAction::PayrollSettingsChanged => "payroll.settings_changed",
            AuditAction::PayrollMappingChanged => "payroll.mapping_changed",
            AuditAction::PayrollPublished => "payroll.published",
            AuditAction::PayrollExported => "payroll.exported",
            AuditAction::CsvLayoutSaved => "csv_layout.saved",
            AuditAction::CsvLayoutDeleted => "csv_layout.deleted",
            AuditAction::UpdateChecksChanged => "app.update_checks_changed",
            AuditAction::WageSet => "wage.set",
            AuditAction::WageRemoved => "wage.removed",
            AuditAction::JobCostingSettingsChanged => "job_costing.settings_changed",
            AuditAction::BonusPlanSaved => "bonus.plan_saved",
            AuditAction::BonusCreated => "bonus.created",
            AuditAction::BonusApproved => "bonus.approved",
            AuditAction::BonusPaid => "bonus.paid",
        }
    }

    fn parse(stored: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == stored)
    }
}

/// One line of the log, as the Activity page shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub operator_id: Option<i64>,
    pub actor: String,
    /// `None` only for an action written by a newer version of Timebridge.
    pub action: Option<AuditAction>,
    pub target: Option<String>,
    pub summary: String,
    #[ts(type = "unknown")]
    pub details: Option<serde_json::Value>,
}

/// A change to record in the log.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: AuditAction,
    /// What was acted on, e.g. "employee #12".
    pub target: Option<String>,
    pub summary: String,
    pub details: Option<serde_json::Value>,
}

impl AuditEvent {
    pub fn new(action: AuditAction, summary: impl Into<String>) -> Self {
        AuditEvent {
            action,
            target: None,
            summary: summary.into(),
            details: None,
        }
    }

    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// Writes one entry. Call it inside the transaction that makes the change.
pub fn record(
    conn: &Connection,
    actor: &Actor,
    event: AuditEvent,
    now: DateTime<Utc>,
) -> Result<()> {
    let details = event.details.map(|d| d.to_string());
    conn.prepare_cached(
        "INSERT INTO audit_log (at, operator_id, actor, action, target, summary, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        time::to_db(now),
        actor.operator_id,
        actor.name,
        event.action.as_str(),
        event.target,
        event.summary,
        details,
    ])?;
    Ok(())
}

/// Brings entry `id` up to `event` (its action, target, summary and
/// details), for a change made in steps that each commit (an import chunk
/// by chunk): the one entry says what the committed steps did. Call it in
/// the transaction of the step.
pub fn amend(conn: &Connection, id: i64, event: &AuditEvent) -> Result<()> {
    conn.prepare_cached(
        "UPDATE audit_log SET action = ?2, target = ?3, summary = ?4, details = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        event.action.as_str(),
        event.target,
        event.summary,
        event.details.as_ref().map(|d| d.to_string()),
    ])?;
    Ok(())
}

/// Which entries to show, newest first.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
    /// Words that must all appear in the actor, target or summary.
    pub search: Option<String>,
    pub action: Option<AuditAction>,
    pub operator_id: Option<i64>,
}

pub fn list(conn: &Connection, query: &AuditQuery) -> Result<Page<AuditEntry>> {
    let (page, page_size) = clamp_page(query.page, query.page_size);
    let mut filter = crate::records::Filter::default();
    if let Some(action) = query.action {
        filter.clause("action = ?", [action.as_str().to_owned().into()]);
    }
    if let Some(operator_id) = query.operator_id {
        filter.clause("operator_id = ?", [operator_id.into()]);
    }
    filter.search(query.search.as_deref(), &["actor", "target", "summary"]);
    let where_sql = filter.where_sql();
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM audit_log {where_sql}"),
        rusqlite::params_from_iter(filter.params()),
        |row| row.get(0),
    )?;
    let sql = format!(
        "SELECT id, at, operator_id, actor, action, target, summary, details FROM audit_log
         {where_sql} ORDER BY at DESC, id DESC LIMIT {page_size} OFFSET {}",
        (i64::from(page) - 1) * i64::from(page_size)
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(filter.params()), entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        rows,
        total,
        page,
        page_size,
    })
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let action: String = row.get("action")?;
    let details: Option<String> = row.get("details")?;
    Ok(AuditEntry {
        id: row.get("id")?,
        at: time::column(row, "at")?,
        operator_id: row.get("operator_id")?,
        actor: row.get("actor")?,
        action: AuditAction::parse(&action),
        target: row.get("target")?,
        summary: row.get("summary")?,
        details: details.and_then(|d| serde_json::from_str(&d).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_action_names_match_the_serialized_names() {
        for action in AuditAction::ALL {
            let json = serde_json::to_value(action).expect("an enum serializes");
            assert_eq!(
                json.as_str(),
                Some(action.as_str()),
                "the log filter in the UI sends the serialized name of {action:?}"
            );
        }
    }
}
