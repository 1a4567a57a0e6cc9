//! Bonus plans: a crew bonus's rules, kept by name, and the pay ID its
//! bonuses are paid as.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{BonusPlan, LossPolicy, SplitMethod};
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::records::pay_ids;
use crate::time;
use crate::validate::Checks;

/// A saved plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlanRecord {
    pub id: i64,
    pub name: String,
    pub rules: BonusPlan,
    /// The pay ID the plan's bonuses are paid as.
    pub pay_id: i64,
    pub pay_code: String,
    pub active: bool,
    pub updated_by: String,
}

/// A plan to save (a new one, or `id`'s new rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanDraft {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    pub rules: BonusPlan,
    pub pay_id: i64,
}

fn split_text(split: SplitMethod) -> &'static str {
    match split {
        SplitMethod::ByHours => "by_hours",
        SplitMethod::ByWageHours => "by_wage_hours",
        SplitMethod::Equal => "equal",
    }
}

fn loss_text(policy: LossPolicy) -> &'static str {
    match policy {
        LossPolicy::Carry => "carry",
        LossPolicy::Absorb => "absorb",
    }
}

fn bad(index: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("“{text}” is not a bonus rule").into(),
    )
}

const SELECT: &str = "SELECT b.id, b.name, b.share_percent, b.split, b.cap_cents, b.loss_policy,
    b.pay_id, p.code, b.active, b.updated_by FROM bonus_plans b JOIN pay_ids p ON p.id = b.pay_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<PlanRecord> {
    let share: String = row.get(2)?;
    let split: String = row.get(3)?;
    let loss: String = row.get(5)?;
    Ok(PlanRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        rules: BonusPlan {
            share_percent: share.parse().map_err(|_| bad(2, &share))?,
            split: match split.as_str() {
                "by_hours" => SplitMethod::ByHours,
                "by_wage_hours" => SplitMethod::ByWageHours,
                "equal" => SplitMethod::Equal,
                _ => return Err(bad(3, &split)),
            },
            cap_cents: row.get(4)?,
            loss_policy: match loss.as_str() {
                "carry" => LossPolicy::Carry,
                "absorb" => LossPolicy::Absorb,
                _ => return Err(bad(5, &loss)),
            },
        },
        pay_id: row.get(6)?,
        pay_code: row.get(7)?,
        active: row.get(8)?,
        updated_by: row.get(9)?,
    })
}

/// Every plan, by name.
pub fn list(conn: &Connection) -> Result<Vec<PlanRecord>> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} ORDER BY b.name"))?;
    let plans = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(plans)
}

pub fn get(conn: &Connection, id: i64) -> Result<PlanRecord> {
    conn.prepare_cached(&format!("{SELECT} WHERE b.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("No bonus plan has the id {id}.")))
}

/// A plan by its name, in any case.
pub fn find(conn: &Connection, name: &str) -> Result<Option<PlanRecord>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE b.name = ?1"))?
        .query_row([name.trim()], from_row)
        .optional()?)
}

/// Checks a draft: every bad field is named at once.
fn check(conn: &Connection, draft: &PlanDraft) -> Result<String> {
    let mut checks = Checks::default();
    let name = checks.required("name", "a name for the plan", &draft.name, 80);
    let share = draft.rules.share_percent;
    if share.is_sign_negative() || share > Decimal::ONE_HUNDRED {
        checks.problem("share_percent", "Enter the crew's share from 0 to 100 %.");
    } else if share.scale() > 2 {
        checks.problem(
            "share_percent",
            "Enter the share with at most two decimals, e.g. 33.33.",
        );
    }
    if draft.rules.cap_cents.is_some_and(|c| c < 0) {
        checks.problem(
            "cap_cents",
            "A cap is 0 or more; leave it empty for no cap.",
        );
    }
    match pay_ids::get(conn, draft.pay_id) {
        Ok(pay) if pay.active => {}
        Ok(pay) => checks.problem(
            "pay_id",
            format!(
                "The pay ID {} is deactivated: choose an active one.",
                pay.code
            ),
        ),
        Err(Error::NotFound(_)) => checks.problem(
            "pay_id",
            "Choose the pay ID the bonuses are paid as (for example a BONUS pay ID).",
        ),
        Err(other) => return Err(other),
    }
    if !checks.has_problem("name")
        && let Some(same) = find(conn, &name)?
        && Some(same.id) != draft.id
    {
        checks.problem("name", format!("A plan is already called “{}”.", same.name));
    }
    checks.finish()?;
    Ok(name)
}

/// Saves a plan (new, or new rules for `draft.id`), logging it. Bonuses
/// already approved keep the figures they were approved with; open ones
/// follow the new rules.
pub fn save(
    tx: &Transaction<'_>,
    draft: &PlanDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PlanRecord> {
    let name = check(tx, draft)?;
    let rules = &draft.rules;
    let at = time::to_db(now);
    let id = match draft.id {
        Some(id) => {
            get(tx, id)?;
            tx.execute(
                "UPDATE bonus_plans SET name = ?2, share_percent = ?3, split = ?4, cap_cents = ?5,
                     loss_policy = ?6, pay_id = ?7, updated_at = ?8, updated_by = ?9
                 WHERE id = ?1",
                params![
                    id,
                    name,
                    rules.share_percent.normalize().to_string(),
                    split_text(rules.split),
                    rules.cap_cents,
                    loss_text(rules.loss_policy),
                    draft.pay_id,
                    at,
                    actor.updated_by()
                ],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO bonus_plans (name, share_percent, split, cap_cents, loss_policy,
                     pay_id, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                params![
                    name,
                    rules.share_percent.normalize().to_string(),
                    split_text(rules.split),
                    rules.cap_cents,
                    loss_text(rules.loss_policy),
                    draft.pay_id,
                    at,
                    actor.updated_by()
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    let saved = get(tx, id)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::BonusPlanSaved,
            format!(
                "Saved the bonus plan “{}”: {} % to the crew, paid as {}",
                saved.name, saved.rules.share_percent, saved.pay_code
            ),
        )
        .target(format!("bonus plan #{id}"))
        .details(serde_json::to_value(&saved.rules).unwrap_or_default()),
        now,
    )?;
    Ok(saved)
}
