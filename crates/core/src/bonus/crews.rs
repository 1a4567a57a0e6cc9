//! Crew bonuses: one plan on one job (or one of its tasks), open while the
//! job runs (computed live from the time imported so far), approved with
//! its figures and each worker's amount frozen, paid once published.
//!
//! The crew is everyone with time on the job (or task): voided and running
//! entries left out, as job costing counts them. Each worker's wage is their
//! labour cost on the job over their hours (so a wage change mid-job is
//! weighed by the hours at each), in whole cents an hour; hours of an
//! employee with no wage count at $0.00 and are said. The budget is the
//! bonus's own hours where set, else the job's (or task's) budget as job
//! costing reads it. A loss carried in is what the plan's last approved
//! bonus carried out.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::plans::{self, PlanRecord};
use super::{BonusInput, BonusOutcome, CrewWorker, compute};
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::costing::{self, CostingQuery};
use crate::error::{Error, Result};
use crate::payroll::settings as payroll_settings;
use crate::time;

/// Where a bonus is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BonusState {
    /// The job runs: its value is projected from the time so far.
    Open,
    /// Approved: its figures are frozen, to be paid with its pay period.
    Approved,
    /// Published with its pay period.
    Paid,
}

impl BonusState {
    fn parse(text: &str) -> BonusState {
        match text {
            "approved" => BonusState::Approved,
            "paid" => BonusState::Paid,
            _ => BonusState::Open,
        }
    }
}

/// A bonus to set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewBonus {
    pub plan_id: i64,
    pub job_id: i64,
    /// One task of the job, or `None` for the whole job.
    #[serde(default)]
    pub task_id: Option<i64>,
    /// The hours it is measured against, in seconds; `None` for the job's
    /// (or task's) budget.
    #[serde(default)]
    pub budget_seconds: Option<i64>,
}

/// One worker's share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BonusWorker {
    pub employee_id: i64,
    pub name: String,
    pub seconds: i64,
    pub wage_cents_per_hour: i64,
    /// Hours of theirs with no wage on the day (counted at $0.00).
    pub unpriced_seconds: i64,
    pub amount_cents: i64,
}

/// A bonus with its working: projected while open, frozen once approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Bonus {
    pub id: i64,
    pub plan_id: i64,
    pub plan: String,
    pub job_id: i64,
    pub job: String,
    pub customer: Option<String>,
    pub task_id: Option<i64>,
    pub task: Option<String>,
    pub state: BonusState,
    /// The hours it is measured against; `None` while the job has no budget.
    pub budget_seconds: Option<i64>,
    /// Set on the bonus rather than taken from the budget.
    pub budget_set: bool,
    pub carried_in_loss_cents: i64,
    /// The working, unless it cannot be computed yet (then `problem` says why).
    pub outcome: Option<BonusOutcome>,
    pub problem: Option<String>,
    pub workers: Vec<BonusWorker>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    /// The day whose pay period it is paid in.
    #[ts(type = "string | null")]
    pub approved_on: Option<NaiveDate>,
    pub paid_at: Option<DateTime<Utc>>,
    /// How it was paid: the publication that paid it, or the admin's note
    /// when it was paid outside Timebridge.
    pub paid_through: Option<String>,
    /// The publication that paid it.
    pub publication_id: Option<i64>,
}

/// What an approval freezes, as stored in `bonuses.figures`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Frozen {
    budget_seconds: i64,
    outcome: BonusOutcome,
    workers: Vec<BonusWorker>,
}

struct Stored {
    id: i64,
    plan_id: i64,
    job_id: i64,
    task_id: Option<i64>,
    budget_seconds: Option<i64>,
    state: BonusState,
    approved_at: Option<DateTime<Utc>>,
    approved_by: Option<String>,
    approved_on: Option<String>,
    carried_in: i64,
    figures: Option<String>,
    paid_at: Option<DateTime<Utc>>,
    publication_id: Option<i64>,
    paid_note: Option<String>,
}

const SELECT: &str = "SELECT id, plan_id, job_id, task_id, budget_seconds, state, approved_at,
    approved_by, approved_on, carried_in_loss_cents, figures, paid_at, publication_id, paid_note
    FROM bonuses";

fn stored(row: &Row<'_>) -> rusqlite::Result<Stored> {
    let state: String = row.get(5)?;
    Ok(Stored {
        id: row.get(0)?,
        plan_id: row.get(1)?,
        job_id: row.get(2)?,
        task_id: row.get(3)?,
        budget_seconds: row.get(4)?,
        state: BonusState::parse(&state),
        approved_at: time::optional_column(row, "approved_at")?,
        approved_by: row.get(7)?,
        approved_on: row.get(8)?,
        carried_in: row.get(9)?,
        figures: row.get(10)?,
        paid_at: time::optional_column(row, "paid_at")?,
        publication_id: row.get(12)?,
        paid_note: row.get(13)?,
    })
}

fn load(conn: &Connection, id: i64) -> Result<Stored> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], stored)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("No bonus has the id {id}.")))
}

/// The crew's time on the job (or task), by worker, most hours first.
fn crew(conn: &Connection, job_id: i64, task_id: Option<i64>) -> Result<Vec<BonusWorker>> {
    let task = if task_id.is_some() {
        " AND t.task_id = ?2"
    } else {
        ""
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT t.employee_id, e.first_name || ' ' || e.last_name, SUM(t.duration_seconds),
                SUM(t.duration_seconds * t.wage_cents_per_hour),
                SUM(CASE WHEN t.wage_cents_per_hour IS NULL THEN t.duration_seconds ELSE 0 END)
         FROM time_entries t JOIN employees e ON e.id = t.employee_id
         WHERE t.job_id = ?1 AND t.job_id IS NOT NULL AND t.voided_at IS NULL
           AND t.duration_seconds IS NOT NULL{task}
         GROUP BY t.employee_id"
    ))?;
    let read = |r: &Row<'_>| {
        let seconds: i64 = r.get(2)?;
        let cent_seconds: Option<i64> = r.get(3)?;
        let wage = if seconds > 0 {
            (Decimal::from(cent_seconds.unwrap_or(0)) / Decimal::from(seconds))
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        } else {
            Decimal::ZERO
        };
        Ok(BonusWorker {
            employee_id: r.get(0)?,
            name: r.get(1)?,
            seconds,
            wage_cents_per_hour: i64::try_from(wage).unwrap_or(0),
            unpriced_seconds: r.get(4)?,
            amount_cents: 0,
        })
    };
    let mut workers = match task_id {
        Some(task) => statement.query_map(params![job_id, task], read)?,
        None => statement.query_map(params![job_id], read)?,
    }
    .collect::<rusqlite::Result<Vec<_>>>()?;
    workers.sort_by(|a, b| b.seconds.cmp(&a.seconds).then(a.name.cmp(&b.name)));
    Ok(workers)
}

/// The job's (or task's) budgeted hours, as job costing reads them.
fn budgeted(conn: &Connection, job_id: i64, task_id: Option<i64>) -> Result<Option<i64>> {
    let report = costing::report(
        conn,
        &CostingQuery {
            job_id: Some(job_id),
            include_inactive: true,
        },
    )?;
    let Some(job) = report.jobs.into_iter().next() else {
        return Ok(None);
    };
    Ok(match task_id {
        None => job.figures.budget_seconds,
        Some(task) => job
            .tasks
            .into_iter()
            .find(|t| t.task_id == Some(task))
            .and_then(|t| t.figures.budget_seconds),
    })
}

/// What the plan's last approved bonus (other than `except`) carried out.
fn carried_in(conn: &Connection, plan_id: i64, except: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT loss_carried_out_cents FROM bonuses
             WHERE plan_id = ?1 AND id <> ?2 AND approved_at IS NOT NULL
             ORDER BY approved_at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![plan_id, except], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

fn names(conn: &Connection, b: &Stored) -> Result<(String, Option<String>, Option<String>)> {
    let (job, customer): (String, Option<String>) = conn.query_row(
        "SELECT j.name, c.name FROM jobs j LEFT JOIN customers c ON c.id = j.customer_id
         WHERE j.id = ?1",
        [b.job_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let task = match b.task_id {
        Some(id) => Some(conn.query_row(
            "SELECT code || ' ' || name FROM tasks WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?),
        None => None,
    };
    Ok((job, customer, task))
}

/// The working of an open bonus now: its budget, carry and crew, computed.
fn project(conn: &Connection, b: &Stored, plan: &PlanRecord) -> Result<Projection> {
    let budget = match b.budget_seconds {
        Some(seconds) => Some(seconds),
        None => budgeted(conn, b.job_id, b.task_id)?,
    };
    let carried = carried_in(conn, b.plan_id, b.id)?;
    let mut workers = crew(conn, b.job_id, b.task_id)?;
    let Some(budget_seconds) = budget else {
        return Ok(Projection {
            budget: None,
            carried,
            workers,
            outcome: Err(
                "The job has no budgeted hours yet: import or add its budget, or set \
                          the hours this bonus is measured against."
                    .into(),
            ),
        });
    };
    if workers.iter().all(|w| w.seconds == 0) {
        return Ok(Projection {
            budget,
            carried,
            workers,
            outcome: Err(
                "No time is on the job yet: the bonus is projected once time comes in.".into(),
            ),
        });
    }
    let input = BonusInput {
        plan: plan.rules.clone(),
        budget_seconds,
        workers: workers
            .iter()
            .map(|w| CrewWorker {
                employee_id: w.employee_id,
                seconds: w.seconds,
                wage_cents_per_hour: w.wage_cents_per_hour,
            })
            .collect(),
        carried_in_loss_cents: carried,
    };
    let outcome = match compute(&input) {
        Ok(outcome) => outcome,
        Err(error) => {
            return Ok(Projection {
                budget,
                carried,
                workers,
                outcome: Err(error.to_string()),
            });
        }
    };
    for worker in &mut workers {
        worker.amount_cents = outcome
            .workers
            .iter()
            .find(|w| w.employee_id == worker.employee_id)
            .map_or(0, |w| w.amount_cents);
    }
    Ok(Projection {
        budget,
        carried,
        workers,
        outcome: Ok(outcome),
    })
}

struct Projection {
    budget: Option<i64>,
    carried: i64,
    workers: Vec<BonusWorker>,
    outcome: std::result::Result<BonusOutcome, String>,
}

fn view(conn: &Connection, b: Stored) -> Result<Bonus> {
    let plan = plans::get(conn, b.plan_id)?;
    let (job, customer, task) = names(conn, &b)?;
    let (budget, carried, workers, outcome, problem) = match &b.figures {
        Some(text) if b.state != BonusState::Open => {
            let frozen: Frozen = serde_json::from_str(text).map_err(|e| {
                Error::Internal(format!("bonus {} has figures that do not read: {e}", b.id))
            })?;
            (
                Some(frozen.budget_seconds),
                b.carried_in,
                frozen.workers,
                Some(frozen.outcome),
                None,
            )
        }
        _ => {
            let p = project(conn, &b, &plan)?;
            let (outcome, problem) = match p.outcome {
                Ok(outcome) => (Some(outcome), None),
                Err(problem) => (None, Some(problem)),
            };
            (p.budget, p.carried, p.workers, outcome, problem)
        }
    };
    let paid_through = match (b.publication_id, &b.paid_note) {
        (Some(publication), _) => {
            let target: Option<String> = conn
                .query_row(
                    "SELECT target_name FROM publications WHERE id = ?1",
                    [publication],
                    |r| r.get(0),
                )
                .optional()?;
            Some(format!(
                "Published to {} (publication {publication})",
                target.unwrap_or_else(|| "a payroll target".into())
            ))
        }
        (None, Some(note)) => Some(format!("Paid outside Timebridge: {note}")),
        (None, None) => None,
    };
    let unpriced: i64 = workers.iter().map(|w| w.unpriced_seconds).sum();
    let problem = problem.or_else(|| {
        (unpriced > 0 && b.state == BonusState::Open).then(|| {
            format!(
                "{:.1} h of the crew's time have no wage and count at $0.00: set wages to \
                 value them.",
                unpriced as f64 / 3600.0
            )
        })
    });
    Ok(Bonus {
        id: b.id,
        plan_id: b.plan_id,
        plan: plan.name,
        job_id: b.job_id,
        job,
        customer,
        task_id: b.task_id,
        task,
        state: b.state,
        budget_seconds: budget,
        budget_set: b.budget_seconds.is_some(),
        carried_in_loss_cents: carried,
        outcome,
        problem,
        workers,
        approved_at: b.approved_at,
        approved_by: b.approved_by,
        approved_on: b.approved_on.and_then(|d| d.parse().ok()),
        paid_at: b.paid_at,
        paid_through,
        publication_id: b.publication_id,
    })
}

/// One bonus, projected or frozen.
pub fn get(conn: &Connection, id: i64) -> Result<Bonus> {
    let b = load(conn, id)?;
    view(conn, b)
}

/// Every bonus: open ones first (projected now), then approved, then paid,
/// each by job.
pub fn list(conn: &Connection) -> Result<Vec<Bonus>> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} ORDER BY id"))?;
    let all = statement
        .query_map([], stored)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut bonuses = all
        .into_iter()
        .map(|b| view(conn, b))
        .collect::<Result<Vec<_>>>()?;
    let rank = |s: BonusState| match s {
        BonusState::Open => 0,
        BonusState::Approved => 1,
        BonusState::Paid => 2,
    };
    bonuses.sort_by(|a, b| {
        (rank(a.state), a.job.as_str(), a.id).cmp(&(rank(b.state), b.job.as_str(), b.id))
    });
    Ok(bonuses)
}

/// Sets up a bonus of a plan on a job (or task), logging it; it is open.
pub fn create(
    tx: &Transaction<'_>,
    new: &NewBonus,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Bonus> {
    let plan = plans::get(tx, new.plan_id).map_err(|_| {
        Error::invalid(
            "plan_id",
            "Choose the bonus plan this bonus is measured by.",
        )
    })?;
    let job: Option<String> = tx
        .query_row("SELECT name FROM jobs WHERE id = ?1", [new.job_id], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(job) = job else {
        return Err(Error::invalid("job_id", "Choose the job the bonus is for."));
    };
    if let Some(task) = new.task_id {
        let of: Option<Option<i64>> = tx
            .query_row("SELECT job_id FROM tasks WHERE id = ?1", [task], |r| {
                r.get(0)
            })
            .optional()?;
        match of {
            None => return Err(Error::invalid("task_id", "That task no longer exists.")),
            Some(Some(other)) if other != new.job_id => {
                return Err(Error::invalid(
                    "task_id",
                    "That task belongs to another job.",
                ));
            }
            Some(_) => {}
        }
    }
    if new.budget_seconds.is_some_and(|s| s < 0) {
        return Err(Error::invalid(
            "budget_seconds",
            "Enter the budgeted hours as 0 or more, or leave them empty for the job's budget.",
        ));
    }
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM bonuses WHERE plan_id = ?1 AND job_id = ?2
             AND ifnull(task_id, 0) = ifnull(?3, 0)",
            params![new.plan_id, new.job_id, new.task_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exists {
        return Err(Error::Conflict(format!(
            "The plan “{}” already has bonus {id} on this job{}.",
            plan.name,
            if new.task_id.is_some() {
                " and task"
            } else {
                ""
            }
        )));
    }
    tx.execute(
        "INSERT INTO bonuses (plan_id, job_id, task_id, budget_seconds, created_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new.plan_id,
            new.job_id,
            new.task_id,
            new.budget_seconds,
            time::to_db(now),
            actor.updated_by()
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::BonusCreated,
            format!("Set up a “{}” bonus on {job}", plan.name),
        )
        .target(format!("bonus #{id}")),
        now,
    )?;
    get(tx, id)
}

/// Approves an open bonus: its figures and each worker's amount are frozen
/// as they stand, it is to be paid in the pay period of today (in the
/// company's time zone), and the approval is logged with the figures.
pub fn approve(tx: &Transaction<'_>, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<Bonus> {
    let b = load(tx, id)?;
    if b.state != BonusState::Open {
        return Err(Error::Conflict(format!(
            "Bonus {id} was approved already{}: its figures are frozen.",
            b.approved_by
                .as_deref()
                .map(|by| format!(" by {by}"))
                .unwrap_or_default()
        )));
    }
    let plan = plans::get(tx, b.plan_id)?;
    let projection = project(tx, &b, &plan)?;
    let outcome = projection
        .outcome
        .map_err(|why| Error::Conflict(format!("Bonus {id} cannot be approved yet. {why}")))?;
    let budget_seconds = projection.budget.unwrap_or_default();
    let zone = payroll_settings::load(tx, now.date_naive())?.zone()?;
    let today = now.with_timezone(&zone).date_naive();
    let frozen = Frozen {
        budget_seconds,
        outcome: outcome.clone(),
        workers: projection.workers.clone(),
    };
    let figures = serde_json::to_string(&frozen)
        .map_err(|e| Error::Internal(format!("a bonus's figures do not encode: {e}")))?;
    tx.execute(
        "UPDATE bonuses SET state = 'approved', approved_at = ?2, approved_by = ?3,
             approved_on = ?4, carried_in_loss_cents = ?5, loss_carried_out_cents = ?6,
             figures = ?7, updated_by = ?3
         WHERE id = ?1",
        params![
            id,
            time::to_db(now),
            actor.updated_by(),
            today.to_string(),
            projection.carried,
            outcome.loss_carried_out_cents,
            figures
        ],
    )?;
    let mut line = tx.prepare_cached(
        "INSERT INTO bonus_lines (bonus_id, employee_id, seconds, wage_cents_per_hour, amount_cents)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for w in &projection.workers {
        line.execute(params![
            id,
            w.employee_id,
            w.seconds,
            w.wage_cents_per_hour,
            w.amount_cents
        ])?;
    }
    let (job, _, _) = names(tx, &b)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::BonusApproved,
            format!(
                "Approved the “{}” bonus on {job}: ${}.{:02} to {} workers",
                plan.name,
                outcome.pool_cents / 100,
                outcome.pool_cents % 100,
                projection
                    .workers
                    .iter()
                    .filter(|w| w.amount_cents > 0)
                    .count()
            ),
        )
        .target(format!("bonus #{id}"))
        .details(serde_json::to_value(&frozen).unwrap_or_default()),
        now,
    )?;
    get(tx, id)
}
