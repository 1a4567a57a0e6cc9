//! Job costing: each job's (and each of its tasks') budgeted hours and cost
//! beside the hours worked and their labour cost.
//!
//! The figures follow the company's own records: imported (and hand-made)
//! time entries, voided ones and running ones left out, against the active
//! budgets. Labour cost is each entry's seconds at its employee's wage on
//! its day ([`wages`]), plus the company's burden % ([`CostingSettings`]);
//! an entry whose employee has no wage that day adds hours but no cost,
//! and is counted as *unpriced* so the page can say the cost is short.
//!
//! Each time entry carries the wage it is costed at, kept by triggers in
//! the schema (`0010_job_costing.sql`) whenever an entry or a wage changes,
//! so the whole report is one scan of the job index. Money is summed as
//! cent-seconds and rounded once, to whole cents, per figure.
//!
//! # Budgets and status
//!
//! A job's budget is its job-wide budget (no task) where it has one, else
//! the sum of its tasks' budgets. *Used* is the hours worked over the
//! budgeted hours, or the labour cost over the budgeted cost where only a
//! cost is budgeted. The status is *on track* below
//! [`AT_RISK_PERCENT`] %, *at risk* from it up to 100 %, and *over* past
//! 100 %.

mod report;
pub mod wages;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::payroll::settings::{load_value, store_value};

pub use report::{
    CostFigures, CostStatus, CostingQuery, CostingReport, JobCosting, JobDetail, TaskCosting,
    WeekHours, WorkerCost, job_detail, report,
};

/// A day column (`YYYY-MM-DD`) of `row`.
fn day_column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<chrono::NaiveDate> {
    let text: String = row.get(index)?;
    text.parse().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            Box::new(error),
        )
    })
}

/// Used from this share of the budget, a job is at risk.
pub const AT_RISK_PERCENT: i64 = 80;

/// The highest burden % taken (five times the wage on top of it).
pub const MAX_BURDEN_PERCENT: i64 = 500;

const KEY: &str = "job_costing";

/// How labour is costed, company-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CostingSettings {
    /// Added on top of wages for taxes, insurance and benefits: 0 to 500,
    /// e.g. "22.5".
    #[ts(type = "string")]
    pub burden_percent: Decimal,
}

/// The saved settings, or none (no burden).
pub fn load_settings(conn: &Connection) -> Result<CostingSettings> {
    Ok(load_value(conn, KEY, "job costing settings")?.unwrap_or_default())
}

/// Checks and saves the settings, logging the change.
pub fn save_settings(
    tx: &Transaction<'_>,
    settings: CostingSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<CostingSettings> {
    let burden = settings.burden_percent;
    if burden.is_sign_negative() || burden > Decimal::from(MAX_BURDEN_PERCENT) {
        return Err(Error::invalid(
            "burden_percent",
            format!("Enter a burden from 0 to {MAX_BURDEN_PERCENT} %."),
        ));
    }
    if burden.scale() > 2 {
        return Err(Error::invalid(
            "burden_percent",
            "Enter the burden with at most two decimals, e.g. 22.5.",
        ));
    }
    let settings = CostingSettings {
        burden_percent: burden.normalize(),
    };
    let before = load_settings(tx)?;
    store_value(tx, KEY, &settings, actor, now)?;
    if before != settings {
        audit::record(
            tx,
            actor,
            AuditEvent::new(
                AuditAction::JobCostingSettingsChanged,
                format!(
                    "Set the labour burden to {} % (was {} %)",
                    settings.burden_percent, before.burden_percent
                ),
            )
            .target("job costing settings"),
            now,
        )?;
    }
    Ok(settings)
}
