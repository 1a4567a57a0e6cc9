//! Employees' wages, dated: set by hand in Timebridge, or imported from a
//! platform that keeps a wage history (busybusy).
//!
//! A wage is paid from its day until the employee's next one; on the same
//! day a wage set by hand wins over an imported one. A time entry is costed
//! at its wage when it is written (its INSERT and UPDATE derive it); setting
//! or removing a wage re-costs that employee's entries ([`recost`]), and an
//! import re-costs the employees whose wages it changed once, at its end.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::middleware::payloads::{StagedWage, WagePeriod};
use crate::records::employees;
use crate::time;

/// The highest wage taken: $10,000 an hour.
pub const MAX_CENTS_PER_HOUR: i64 = 1_000_000;

/// Hours a salaried wage is spread over (*assumed*: a 40-hour week, 52
/// weeks a year, where the platform says no more).
const HOURS_PER_WEEK: i64 = 40;
const HOURS_PER_YEAR: i64 = 2080;

/// Where a wage comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WageSource {
    /// Set in Timebridge.
    Manual,
    /// Imported with the employee.
    Imported,
}

impl WageSource {
    fn as_str(self) -> &'static str {
        match self {
            WageSource::Manual => "manual",
            WageSource::Imported => "imported",
        }
    }
}

/// A wage paid from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Wage {
    pub id: i64,
    pub employee_id: i64,
    #[ts(type = "string")]
    pub from: NaiveDate,
    pub cents_per_hour: i64,
    pub source: WageSource,
    /// The integration an imported wage came from.
    pub integration_id: Option<i64>,
    pub updated_by: String,
}

/// A wage to set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WageDraft {
    pub employee_id: i64,
    #[ts(type = "string")]
    pub from: NaiveDate,
    pub cents_per_hour: i64,
}

const SELECT: &str = "SELECT id, employee_id, effective_from, cents_per_hour, source_kind,
    source_integration_id, updated_by FROM employee_wages";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Wage> {
    let source: String = row.get("source_kind")?;
    Ok(Wage {
        id: row.get("id")?,
        employee_id: row.get("employee_id")?,
        from: super::day_column(row, 2)?,
        cents_per_hour: row.get("cents_per_hour")?,
        source: if source == "manual" {
            WageSource::Manual
        } else {
            WageSource::Imported
        },
        integration_id: row.get("source_integration_id")?,
        updated_by: row.get("updated_by")?,
    })
}

/// An employee's wages, newest first (a hand-set one before an imported
/// one of the same day).
pub fn list(conn: &Connection, employee_id: i64) -> Result<Vec<Wage>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} WHERE employee_id = ?1
         ORDER BY effective_from DESC, source_kind = 'manual' DESC"
    ))?;
    let wages = statement
        .query_map([employee_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(wages)
}

/// The wage an employee is paid on `day`, if any.
pub fn on(conn: &Connection, employee_id: i64, day: NaiveDate) -> Result<Option<Wage>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT} WHERE employee_id = ?1 AND effective_from <= ?2
             ORDER BY effective_from DESC, source_kind = 'manual' DESC LIMIT 1"
        ))?
        .query_row(params![employee_id, day.to_string()], from_row)
        .optional()?)
}

fn get(conn: &Connection, id: i64) -> Result<Wage> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound("That wage no longer exists.".into()))
}

/// Costs `employees`' time entries again at their wages: after their wages
/// changed. One pass over the time entries, however many employees.
pub(crate) fn recost(tx: &Transaction<'_>, employees: &[i64]) -> Result<()> {
    if employees.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(employees)
        .map_err(|e| Error::Internal(format!("employee ids could not be listed: {e}")))?;
    tx.prepare_cached(
        "UPDATE time_entries SET wage_cents_per_hour = (
             SELECT w.cents_per_hour FROM employee_wages w
             WHERE w.employee_id = time_entries.employee_id
               AND w.effective_from <= time_entries.work_date
             ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1)
         WHERE employee_id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([ids])?;
    Ok(())
}

/// "$23.50/h".
pub fn said(cents_per_hour: i64) -> String {
    format!(
        "${}.{:02}/h",
        cents_per_hour / 100,
        (cents_per_hour % 100).abs()
    )
}

fn employee_name(conn: &Connection, employee_id: i64) -> Result<String> {
    match employees::get(conn, employee_id) {
        Ok(employee) => Ok(format!("{} {}", employee.first_name, employee.last_name)),
        Err(Error::NotFound(_)) => Err(Error::invalid(
            "employee_id",
            "That employee no longer exists.",
        )),
        Err(other) => Err(other),
    }
}

/// Sets the wage an employee is paid from a day (replacing a wage set by
/// hand on that day), logging it; the employee's time entries from that
/// day are re-costed.
pub fn set(
    tx: &Transaction<'_>,
    draft: &WageDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Wage> {
    if !(0..=MAX_CENTS_PER_HOUR).contains(&draft.cents_per_hour) {
        return Err(Error::invalid(
            "cents_per_hour",
            format!(
                "Enter a wage from $0.00 to {} an hour.",
                said(MAX_CENTS_PER_HOUR).trim_end_matches("/h")
            ),
        ));
    }
    let name = employee_name(tx, draft.employee_id)?;
    tx.prepare_cached(
        "INSERT INTO employee_wages (employee_id, effective_from, cents_per_hour, source_kind,
             created_at, updated_by)
         VALUES (?1, ?2, ?3, 'manual', ?4, ?5)
         ON CONFLICT (employee_id, effective_from, source_kind)
         DO UPDATE SET cents_per_hour = excluded.cents_per_hour,
             updated_by = excluded.updated_by",
    )?
    .execute(params![
        draft.employee_id,
        draft.from.to_string(),
        draft.cents_per_hour,
        time::to_db(now),
        actor.updated_by()
    ])?;
    let id: i64 = tx.query_row(
        "SELECT id FROM employee_wages
         WHERE employee_id = ?1 AND effective_from = ?2 AND source_kind = 'manual'",
        params![draft.employee_id, draft.from.to_string()],
        |r| r.get(0),
    )?;
    recost(tx, &[draft.employee_id])?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::WageSet,
            format!(
                "Set {name}'s wage to {} from {}",
                said(draft.cents_per_hour),
                draft.from
            ),
        )
        .target(format!("employee #{}", draft.employee_id)),
        now,
    )?;
    get(tx, id)
}

/// Removes a wage set by hand, logging it. An imported wage is refused:
/// it changes when the platform's does.
pub fn remove(tx: &Transaction<'_>, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    let wage = get(tx, id)?;
    if wage.source == WageSource::Imported {
        return Err(Error::Conflict(
            "This wage was imported with the employee: it changes when the platform's wage \
             history does. Set a wage by hand from the same day to use another."
                .into(),
        ));
    }
    let name = employee_name(tx, wage.employee_id)?;
    tx.execute("DELETE FROM employee_wages WHERE id = ?1", [id])?;
    recost(tx, &[wage.employee_id])?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::WageRemoved,
            format!(
                "Removed {name}'s wage of {} from {}",
                said(wage.cents_per_hour),
                wage.from
            ),
        )
        .target(format!("employee #{}", wage.employee_id)),
        now,
    )?;
    Ok(())
}

/// A platform's wage as cents per hour: a weekly wage over 40 hours, a
/// monthly or yearly one over 2,080 hours a year, rounded once to the cent.
/// `None` for an amount that is not a non-negative number.
pub fn hourly_cents(amount: &str, per: WagePeriod) -> Option<i64> {
    let amount = Decimal::from_str(amount.trim()).ok()?;
    if amount.is_sign_negative() {
        return None;
    }
    let cents = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    let hourly = match per {
        WagePeriod::Hour => cents,
        WagePeriod::Week => cents.checked_div(Decimal::from(HOURS_PER_WEEK))?,
        WagePeriod::Month => cents
            .checked_mul(Decimal::from(12))?
            .checked_div(Decimal::from(HOURS_PER_YEAR))?,
        WagePeriod::Year => cents.checked_div(Decimal::from(HOURS_PER_YEAR))?,
    };
    let rounded = hourly.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded)
        .ok()
        .filter(|c| *c <= MAX_CENTS_PER_HOUR)
}

/// Makes an employee's imported wages from `integration_id` the ones the
/// platform sent (oldest first), writing only when they differ; `true` when
/// they did, and the employee's time is then to be re-costed ([`recost`]).
/// Wages that do not read are left out; other integrations' wages stay.
pub(crate) fn replace_imported(
    tx: &Transaction<'_>,
    employee_id: i64,
    integration_id: i64,
    wages: &[StagedWage],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool> {
    // One wage a day: the last one sent for a day is the one paid.
    let sent: Vec<(NaiveDate, i64)> = wages
        .iter()
        .filter_map(|w| Some((w.from, hourly_cents(&w.amount, w.per)?)))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let held: Vec<(NaiveDate, i64)> = tx
        .prepare_cached(
            "SELECT effective_from, cents_per_hour FROM employee_wages
             WHERE employee_id = ?1 AND source_kind = 'imported' AND source_integration_id = ?2
             ORDER BY effective_from",
        )?
        .query_map([employee_id, integration_id], |r| {
            Ok((super::day_column(r, 0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if held == sent {
        return Ok(false);
    }
    tx.prepare_cached(
        "DELETE FROM employee_wages
         WHERE employee_id = ?1 AND source_kind = 'imported' AND source_integration_id = ?2",
    )?
    .execute([employee_id, integration_id])?;
    // Another platform's wage of the same day gives way to this import's.
    let mut insert = tx.prepare_cached(
        "INSERT INTO employee_wages (employee_id, effective_from, cents_per_hour, source_kind,
             source_integration_id, created_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (employee_id, effective_from, source_kind) DO UPDATE SET
             cents_per_hour = excluded.cents_per_hour,
             source_integration_id = excluded.source_integration_id,
             updated_by = excluded.updated_by",
    )?;
    for (day, cents) in &sent {
        insert.execute(params![
            employee_id,
            day.to_string(),
            cents,
            WageSource::Imported.as_str(),
            integration_id,
            time::to_db(now),
            actor.updated_by()
        ])?;
    }
    Ok(true)
}
