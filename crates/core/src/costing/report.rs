//! The costing report: every job with its tasks, and one job in detail.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AT_RISK_PERCENT, load_settings};
use crate::error::{Error, Result};
use crate::payroll::settings as payroll_settings;

/// Where a job (or task) stands against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CostStatus {
    /// Nothing budgeted.
    NoBudget,
    /// Below 80 % used.
    OnTrack,
    /// 80 % to 100 % used.
    AtRisk,
    /// Past 100 %.
    Over,
}

/// A job's or a task's budget beside what was worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CostFigures {
    pub budget_seconds: Option<i64>,
    pub budget_cents: Option<i64>,
    pub actual_seconds: i64,
    /// Hours × each employee's wage on the day, with the burden.
    pub labour_cents: i64,
    /// Worked by employees with no wage on the day: in the hours, not in
    /// the cost.
    pub unpriced_seconds: i64,
    pub entries: i64,
    /// Hours over budgeted hours (or cost over budgeted cost where only a
    /// cost is budgeted), to one decimal: "82.5".
    #[ts(type = "string | null")]
    pub used_percent: Option<Decimal>,
    pub remaining_seconds: Option<i64>,
    pub remaining_cents: Option<i64>,
    pub status: CostStatus,
}

/// One task's line of a job (`task_id` `None`: time on the job with no task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaskCosting {
    pub task_id: Option<i64>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub figures: CostFigures,
}

/// A job, its figures and its tasks'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JobCosting {
    pub job_id: i64,
    pub job: String,
    pub job_number: Option<String>,
    pub customer: Option<String>,
    pub active: bool,
    pub figures: CostFigures,
    pub tasks: Vec<TaskCosting>,
}

/// Which jobs the report holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CostingQuery {
    /// Only this job.
    pub job_id: Option<i64>,
    /// Inactive jobs too.
    pub include_inactive: bool,
}

/// Every job with a budget or time, by customer and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CostingReport {
    #[ts(type = "string")]
    pub burden_percent: Decimal,
    pub jobs: Vec<JobCosting>,
    /// How many jobs are at risk and over.
    pub at_risk: usize,
    pub over: usize,
}

/// One week of a job: its hours and cost, and the hours to date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WeekHours {
    #[ts(type = "string")]
    pub week_start: NaiveDate,
    pub seconds: i64,
    pub labour_cents: i64,
    pub cumulative_seconds: i64,
}

/// One employee's time on a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkerCost {
    pub employee_id: i64,
    pub name: String,
    pub seconds: i64,
    pub labour_cents: i64,
    pub unpriced_seconds: i64,
    pub entries: i64,
}

/// A job in detail: its figures, its hours week by week against the
/// budget, and who worked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JobDetail {
    pub costing: JobCosting,
    #[ts(type = "string")]
    pub burden_percent: Decimal,
    pub weeks: Vec<WeekHours>,
    pub workers: Vec<WorkerCost>,
}

/// What was worked on a line: seconds, cent-seconds (seconds × cents an
/// hour) and unpriced seconds, entries.
#[derive(Debug, Clone, Copy, Default)]
struct Worked {
    seconds: i64,
    cent_seconds: i64,
    unpriced: i64,
    entries: i64,
}

impl Worked {
    fn add(&mut self, other: Worked) {
        self.seconds += other.seconds;
        self.cent_seconds += other.cent_seconds;
        self.unpriced += other.unpriced;
        self.entries += other.entries;
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Budgeted {
    seconds: Option<i64>,
    cents: Option<i64>,
}

fn add_option(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

impl Budgeted {
    fn add(&mut self, other: Budgeted) {
        self.seconds = add_option(self.seconds, other.seconds);
        self.cents = add_option(self.cents, other.cents);
    }

    fn is_some(self) -> bool {
        self.seconds.is_some() || self.cents.is_some()
    }
}

/// Cent-seconds as whole cents, with the burden, rounded once.
fn labour_cents(cent_seconds: i64, burden: Decimal) -> i64 {
    let factor = (Decimal::ONE_HUNDRED + burden) / Decimal::ONE_HUNDRED;
    let cents = Decimal::from(cent_seconds) / Decimal::from(3600) * factor;
    i64::try_from(cents.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .unwrap_or(i64::MAX)
}

fn figures(worked: Worked, budget: Budgeted, burden: Decimal) -> CostFigures {
    let labour = labour_cents(worked.cent_seconds, burden);
    let percent = |used: i64, of: i64| -> Option<Decimal> {
        (of > 0).then(|| {
            (Decimal::from(used) * Decimal::ONE_HUNDRED / Decimal::from(of))
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        })
    };
    let used_percent = match (budget.seconds, budget.cents) {
        (Some(seconds), _) if seconds > 0 => percent(worked.seconds, seconds),
        (_, Some(cents)) if cents > 0 => percent(labour, cents),
        _ => None,
    };
    let status = match used_percent {
        None if !budget.is_some() => CostStatus::NoBudget,
        // A budget of nothing, worked: over; not worked: on track.
        None if worked.seconds > 0 => CostStatus::Over,
        None => CostStatus::OnTrack,
        Some(p) if p > Decimal::ONE_HUNDRED => CostStatus::Over,
        Some(p) if p >= Decimal::from(AT_RISK_PERCENT) => CostStatus::AtRisk,
        Some(_) => CostStatus::OnTrack,
    };
    CostFigures {
        budget_seconds: budget.seconds,
        budget_cents: budget.cents,
        actual_seconds: worked.seconds,
        labour_cents: labour,
        unpriced_seconds: worked.unpriced,
        entries: worked.entries,
        used_percent,
        remaining_seconds: budget.seconds.map(|b| b - worked.seconds),
        remaining_cents: budget.cents.map(|b| b - labour),
        status,
    }
}

/// `select` (which ends in its WHERE) narrowed to one job when one is
/// asked for, grouped by job and task. Written out rather than `?1 IS NULL
/// OR job_id = ?1`, which would stop SQLite using the index for one job.
fn for_job(select: &str, job: Option<i64>) -> String {
    let narrowed = if job.is_some() {
        " AND job_id = ?1"
    } else {
        ""
    };
    format!("{select}{narrowed} GROUP BY job_id, task_id")
}

fn query_for_job<'s>(
    statement: &'s mut rusqlite::CachedStatement<'_>,
    job: Option<i64>,
) -> rusqlite::Result<rusqlite::Rows<'s>> {
    match job {
        Some(id) => statement.query([id]),
        None => statement.query([]),
    }
}

struct JobRow {
    job: String,
    job_number: Option<String>,
    customer: Option<String>,
    active: bool,
}

/// The costing of every job `query` asks for.
pub fn report(conn: &Connection, query: &CostingQuery) -> Result<CostingReport> {
    let burden = load_settings(conn)?.burden_percent;
    let job = query.job_id;
    // What was worked, per job and task: one scan of the job index.
    let mut worked: BTreeMap<i64, BTreeMap<Option<i64>, Worked>> = BTreeMap::new();
    // Its WHERE is the costing index's, so the scan reads the index alone.
    let mut statement = conn.prepare_cached(&for_job(
        "SELECT job_id, task_id, SUM(duration_seconds),
                SUM(duration_seconds * wage_cents_per_hour),
                SUM(CASE WHEN wage_cents_per_hour IS NULL THEN duration_seconds ELSE 0 END),
                COUNT(*)
         FROM time_entries
         WHERE job_id IS NOT NULL AND voided_at IS NULL AND duration_seconds IS NOT NULL",
        job,
    ))?;
    let mut rows = query_for_job(&mut statement, job)?;
    while let Some(row) = rows.next()? {
        let line = Worked {
            seconds: row.get(2)?,
            cent_seconds: row.get::<_, Option<i64>>(3)?.unwrap_or(0),
            unpriced: row.get(4)?,
            entries: row.get(5)?,
        };
        worked
            .entry(row.get(0)?)
            .or_default()
            .insert(row.get(1)?, line);
    }
    // The active budgets, per job and task.
    let mut budgets: HashMap<i64, BTreeMap<Option<i64>, Budgeted>> = HashMap::new();
    let mut statement = conn.prepare_cached(&for_job(
        "SELECT job_id, task_id, SUM(budget_seconds), SUM(amount_cents) FROM budgets
         WHERE active = 1",
        job,
    ))?;
    let mut rows = query_for_job(&mut statement, job)?;
    while let Some(row) = rows.next()? {
        budgets.entry(row.get(0)?).or_default().insert(
            row.get(1)?,
            Budgeted {
                seconds: row.get(2)?,
                cents: row.get(3)?,
            },
        );
    }
    let jobs = job_rows(conn, job)?;
    let tasks = task_names(conn)?;
    let mut out = Vec::new();
    for (job_id, row) in jobs {
        if !row.active && !query.include_inactive && job.is_none() {
            continue;
        }
        let worked = worked.remove(&job_id).unwrap_or_default();
        let budget = budgets.remove(&job_id).unwrap_or_default();
        if worked.is_empty() && budget.is_empty() && job.is_none() {
            continue;
        }
        out.push(job_costing(job_id, row, &worked, &budget, &tasks, burden));
    }
    if let Some(id) = job
        && out.is_empty()
    {
        return Err(Error::NotFound(format!("No job has the id {id}.")));
    }
    out.sort_by(|a, b| {
        (a.customer.as_deref().unwrap_or(""), a.job.as_str())
            .cmp(&(b.customer.as_deref().unwrap_or(""), b.job.as_str()))
            .then(a.job_id.cmp(&b.job_id))
    });
    let count = |status: CostStatus| out.iter().filter(|j| j.figures.status == status).count();
    Ok(CostingReport {
        burden_percent: burden,
        at_risk: count(CostStatus::AtRisk),
        over: count(CostStatus::Over),
        jobs: out,
    })
}

fn job_rows(conn: &Connection, job: Option<i64>) -> Result<Vec<(i64, JobRow)>> {
    let mut statement = conn.prepare_cached(
        "SELECT j.id, j.name, j.job_number, c.name, j.active FROM jobs j
         LEFT JOIN customers c ON c.id = j.customer_id
         WHERE ?1 IS NULL OR j.id = ?1",
    )?;
    let rows = statement
        .query_map(params![job], |r| {
            Ok((
                r.get(0)?,
                JobRow {
                    job: r.get(1)?,
                    job_number: r.get(2)?,
                    customer: r.get(3)?,
                    active: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn task_names(conn: &Connection) -> Result<HashMap<i64, (String, String)>> {
    let mut statement = conn.prepare_cached("SELECT id, code, name FROM tasks")?;
    let names = statement
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(names)
}

fn job_costing(
    job_id: i64,
    row: JobRow,
    worked: &BTreeMap<Option<i64>, Worked>,
    budget: &BTreeMap<Option<i64>, Budgeted>,
    tasks: &HashMap<i64, (String, String)>,
    burden: Decimal,
) -> JobCosting {
    let mut total = Worked::default();
    for line in worked.values() {
        total.add(*line);
    }
    // The job-wide budget, else its tasks' together.
    let job_budget = budget.get(&None).copied().unwrap_or_else(|| {
        let mut sum = Budgeted::default();
        for b in budget.values() {
            sum.add(*b);
        }
        sum
    });
    let mut ids: Vec<Option<i64>> = worked.keys().copied().collect();
    ids.extend(budget.keys().copied().filter(|k| k.is_some()));
    ids.sort();
    ids.dedup();
    let mut lines: Vec<TaskCosting> = ids
        .into_iter()
        .filter(|id| id.is_some() || worked.contains_key(&None))
        .map(|task_id| {
            let names = task_id.and_then(|id| tasks.get(&id));
            let task_budget = match task_id {
                Some(_) => budget.get(&task_id).copied().unwrap_or_default(),
                None => Budgeted::default(),
            };
            TaskCosting {
                task_id,
                code: names.map(|(code, _)| code.clone()),
                name: names.map(|(_, name)| name.clone()),
                figures: figures(
                    worked.get(&task_id).copied().unwrap_or_default(),
                    task_budget,
                    burden,
                ),
            }
        })
        .collect();
    // Tasks by code; time with no task last.
    lines.sort_by(|a, b| {
        (a.task_id.is_none(), a.code.as_deref().unwrap_or(""))
            .cmp(&(b.task_id.is_none(), b.code.as_deref().unwrap_or("")))
    });
    JobCosting {
        job_id,
        job: row.job,
        job_number: row.job_number,
        customer: row.customer,
        active: row.active,
        figures: figures(total, job_budget, burden),
        tasks: lines,
    }
}

/// The first day of the week holding `day`, for weeks starting on `start`.
fn week_of(day: NaiveDate, start: chrono::Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - start.num_days_from_monday()) % 7;
    day - Duration::days(i64::from(back))
}

/// One job in detail; weeks start on the payroll week's first day.
pub fn job_detail(conn: &Connection, job_id: i64, today: NaiveDate) -> Result<JobDetail> {
    let report = report(
        conn,
        &CostingQuery {
            job_id: Some(job_id),
            include_inactive: true,
        },
    )?;
    let burden = report.burden_percent;
    let Some(costing) = report.jobs.into_iter().next() else {
        return Err(Error::NotFound(format!("No job has the id {job_id}.")));
    };
    let start = payroll_settings::load(conn, today)?.week_start.weekday();
    let mut weeks: BTreeMap<NaiveDate, Worked> = BTreeMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT work_date, SUM(duration_seconds), SUM(duration_seconds * wage_cents_per_hour)
         FROM time_entries
         WHERE job_id = ?1 AND job_id IS NOT NULL AND voided_at IS NULL
           AND duration_seconds IS NOT NULL
         GROUP BY work_date",
    )?;
    let mut rows = statement.query([job_id])?;
    while let Some(row) = rows.next()? {
        let day = super::day_column(row, 0)?;
        weeks.entry(week_of(day, start)).or_default().add(Worked {
            seconds: row.get(1)?,
            cent_seconds: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
            ..Worked::default()
        });
    }
    let mut cumulative = 0;
    let weeks = weeks
        .into_iter()
        .map(|(week_start, worked)| {
            cumulative += worked.seconds;
            WeekHours {
                week_start,
                seconds: worked.seconds,
                labour_cents: labour_cents(worked.cent_seconds, burden),
                cumulative_seconds: cumulative,
            }
        })
        .collect();
    let mut statement = conn.prepare_cached(
        "SELECT t.employee_id, e.first_name || ' ' || e.last_name, SUM(t.duration_seconds),
                SUM(t.duration_seconds * t.wage_cents_per_hour),
                SUM(CASE WHEN t.wage_cents_per_hour IS NULL THEN t.duration_seconds ELSE 0 END),
                COUNT(*)
         FROM time_entries t JOIN employees e ON e.id = t.employee_id
         WHERE t.job_id = ?1 AND t.job_id IS NOT NULL AND t.voided_at IS NULL
           AND t.duration_seconds IS NOT NULL
         GROUP BY t.employee_id",
    )?;
    let mut workers = statement
        .query_map([job_id], |r| {
            Ok(WorkerCost {
                employee_id: r.get(0)?,
                name: r.get(1)?,
                seconds: r.get(2)?,
                labour_cents: labour_cents(r.get::<_, Option<i64>>(3)?.unwrap_or(0), burden),
                unpriced_seconds: r.get(4)?,
                entries: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    workers.sort_by(|a, b| b.seconds.cmp(&a.seconds).then(a.name.cmp(&b.name)));
    Ok(JobDetail {
        costing,
        burden_percent: burden,
        weeks,
        workers,
    })
}
