//! Bonuses paid through payroll. An approved bonus enters the pay period
//! that contains its approval day (`approved_on`, in the company's time
//! zone) as one amount line per worker with a share: the worker, that day,
//! the bonus's job and task, and the plan's pay ID, mapped at each target
//! like any other pay ID. It publishes with the period and follows the same
//! rules as hours: what a target accepted is never sent to it again, and a
//! correction sends only differences.
//!
//! Nothing is paid twice:
//! - once any line of a bonus is accepted by (or being sent to) a target,
//!   the bonus goes to that target only; every other target leaves it out;
//! - a bonus is *paid* when its target accepted every worker's amount
//!   ([`settle`], called as a publication finishes);
//! - where a target takes no amounts (QuickBooks Desktop takes hours only),
//!   the admin enters the bonus on the paychecks there and marks it paid
//!   ([`mark_paid`]); from then on no target receives it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::crews::{self, Bonus, BonusState};
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::payroll::periods::PayPeriod;
use crate::time;

/// One worker's share of an approved bonus, as payroll pays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BonusPay {
    pub bonus_id: i64,
    pub employee_id: i64,
    /// The day it is paid in the period of: the approval day.
    pub date: NaiveDate,
    pub job_id: i64,
    pub task_id: Option<i64>,
    /// The plan's pay ID.
    pub pay_id: i64,
    pub cents: i64,
    /// The plan's name, for messages.
    pub plan: String,
}

/// The bonus amounts of `period` that `target` (a target key) may receive:
/// approved bonuses approved in the period, and paid ones that this target
/// was paid (so a correction never reverses them), without those another
/// target has or those paid outside Timebridge.
pub fn for_period(conn: &Connection, period: PayPeriod, target: &str) -> Result<Vec<BonusPay>> {
    let mut statement = conn.prepare_cached(
        "SELECT b.id, l.employee_id, b.approved_on, b.job_id, b.task_id, p.pay_id, l.amount_cents, p.name
         FROM bonuses b
         JOIN bonus_plans p ON p.id = b.plan_id
         JOIN bonus_lines l ON l.bonus_id = b.id
         WHERE b.state IN ('approved', 'paid') AND b.approved_on BETWEEN ?1 AND ?2
           AND l.amount_cents > 0
           AND NOT (b.state = 'paid' AND b.publication_id IS NULL)
           AND NOT EXISTS (
             SELECT 1 FROM publication_lines pl JOIN publications pu ON pu.id = pl.publication_id
             WHERE pl.bonus_id = b.id AND pl.result IN ('accepted', 'pending') AND pu.target <> ?3)
         ORDER BY b.id, l.employee_id",
    )?;
    let rows = statement.query_map(
        params![period.start.to_string(), period.end.to_string(), target],
        |r| {
            let date: String = r.get(2)?;
            Ok(BonusPay {
                bonus_id: r.get(0)?,
                employee_id: r.get(1)?,
                date: date.parse().unwrap_or(period.start),
                job_id: r.get(3)?,
                task_id: r.get(4)?,
                pay_id: r.get(5)?,
                cents: r.get(6)?,
                plan: r.get(7)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks paid each approved bonus of publication `publication_id` whose
/// target now holds every worker's amount, naming the publication, and
/// logs it. Returns the bonuses it marked.
pub fn settle(
    tx: &Transaction<'_>,
    publication_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let (target, target_name): (String, String) = tx.query_row(
        "SELECT target, target_name FROM publications WHERE id = ?1",
        [publication_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let candidates: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT l.bonus_id FROM publication_lines l JOIN bonuses b ON b.id = l.bonus_id
             WHERE l.publication_id = ?1 AND l.result = 'accepted' AND b.state = 'approved'
             ORDER BY l.bonus_id",
        )?
        .query_map([publication_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut paid = Vec::new();
    for bonus_id in candidates {
        // Every worker's amount, against what the target accepted for them.
        let short: i64 = tx.query_row(
            "SELECT count(*) FROM bonus_lines w
             WHERE w.bonus_id = ?1 AND w.amount_cents > 0
               AND w.amount_cents <> (
                 SELECT ifnull(sum(l.cents), 0) FROM publication_lines l
                 JOIN publications p ON p.id = l.publication_id
                 WHERE l.bonus_id = w.bonus_id AND l.employee_id = w.employee_id
                   AND l.result = 'accepted' AND p.target = ?2)",
            params![bonus_id, target],
            |r| r.get(0),
        )?;
        if short > 0 {
            continue;
        }
        tx.execute(
            "UPDATE bonuses SET state = 'paid', paid_at = ?2, publication_id = ?3, paid_by = ?4
             WHERE id = ?1 AND state = 'approved'",
            params![
                bonus_id,
                time::to_db(now),
                publication_id,
                actor.updated_by()
            ],
        )?;
        let bonus = crews::get(tx, bonus_id)?;
        audit::record(
            tx,
            actor,
            AuditEvent::new(
                AuditAction::BonusPaid,
                format!(
                    "Paid the “{}” bonus on {} ({}) through {target_name}",
                    bonus.plan,
                    bonus.job,
                    dollars(pool(&bonus))
                ),
            )
            .target(format!("bonus #{bonus_id}"))
            .details(serde_json::json!({"publication_id": publication_id, "target": target})),
            now,
        )?;
        paid.push(bonus_id);
    }
    Ok(paid)
}

fn pool(bonus: &Bonus) -> i64 {
    bonus.workers.iter().map(|w| w.amount_cents).sum()
}

pub use super::statement::dollars;

/// Marks an approved bonus paid outside Timebridge (entered by hand on the
/// paychecks of a target that takes no amounts), with the admin's note,
/// and logs it. From then on no target receives it. Refused while any
/// target has any of it: that target pays it.
pub fn mark_paid(
    tx: &Transaction<'_>,
    id: i64,
    note: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Bonus> {
    let bonus = crews::get(tx, id)?;
    match bonus.state {
        BonusState::Open => {
            return Err(Error::Conflict(format!(
                "Bonus {id} is not approved yet: approve it, then pay it."
            )));
        }
        BonusState::Paid => {
            return Err(Error::Conflict(format!(
                "Bonus {id} was paid already{}.",
                bonus
                    .paid_through
                    .as_deref()
                    .map(|how| format!(" ({how})"))
                    .unwrap_or_default()
            )));
        }
        BonusState::Approved => {}
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::invalid(
            "note",
            "Say where the bonus was paid (e.g. “Added to the Dec 12 paychecks in QuickBooks”).",
        ));
    }
    if note.chars().count() > 500 {
        return Err(Error::invalid("note", "Keep the note to 500 characters."));
    }
    let held: Option<String> = tx
        .query_row(
            "SELECT pu.target_name FROM publication_lines pl JOIN publications pu ON pu.id = pl.publication_id
             WHERE pl.bonus_id = ?1 AND pl.result IN ('accepted', 'pending') LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(target) = held {
        return Err(Error::Conflict(format!(
            "{target} has part of bonus {id} already, so it is paid there: publish the period \
             to {target} to send the rest."
        )));
    }
    tx.execute(
        "UPDATE bonuses SET state = 'paid', paid_at = ?2, paid_by = ?3, paid_note = ?4
         WHERE id = ?1 AND state = 'approved'",
        params![id, time::to_db(now), actor.updated_by(), note],
    )?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::BonusPaid,
            format!(
                "Marked the “{}” bonus on {} ({}) paid outside Timebridge: {note}",
                bonus.plan,
                bonus.job,
                dollars(pool(&bonus))
            ),
        )
        .target(format!("bonus #{id}")),
        now,
    )?;
    crews::get(tx, id)
}
