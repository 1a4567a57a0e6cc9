//! Payroll: pay periods, hours split by the overtime rules, and (built on
//! these) pay item mapping, publishing and payroll files.
//!
//! [`settings`] holds the company's time zone, week, pay frequency and
//! overtime policy; [`periods`] says which days a payroll covers; [`hours`]
//! is the pure calculation; [`hours_for_period`] reads a period's entries
//! from the store and names what the calculation returns, with the staged
//! time entries of the period it leaves out because they are not imported
//! ([`unimported`]).

pub mod files;
pub mod hours;
pub mod lines;
pub mod periods;
pub mod publish;
pub mod settings;
pub mod synced_items;
pub mod targets;
pub mod unimported;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::records::pay_ids::PayCategory;
use hours::{EmployeeHours, PayIdBook, PayTotal, WorkEntry};
use periods::PayPeriod;
use settings::PayrollSettings;

/// A pay ID as payroll shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PayIdRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: PayCategory,
}

/// A job or task as payroll shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NameRef {
    pub id: i64,
    /// The job's number or the task's code.
    pub code: Option<String>,
    pub name: String,
    /// A job's customer.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EmployeeReport {
    pub employee_id: i64,
    pub name: String,
    pub employee_number: Option<String>,
    pub hours: EmployeeHours,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct DaySeconds {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub seconds: i64,
}

/// A period's hours, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HoursReport {
    pub period: PayPeriod,
    pub time_zone: String,
    /// By name.
    pub employees: Vec<EmployeeReport>,
    /// Still-running entries left out of the period.
    pub open_entries: Vec<i64>,
    /// The pay IDs with hours, in the order the grid shows them.
    pub pay_ids: Vec<PayIdRef>,
    pub jobs: Vec<NameRef>,
    pub tasks: Vec<NameRef>,
    /// Seconds per pay ID over everyone.
    pub totals: Vec<PayTotal>,
    pub total_seconds: i64,
    /// Every day of the period with its hours, for the chart.
    pub days: Vec<DaySeconds>,
    /// Staged time entries of the period that are not imported (New or
    /// Updated), so these hours leave them out.
    pub unimported_staged: unimported::UnimportedStaged,
}

impl HoursReport {
    pub fn pay_id(&self, id: i64) -> Option<&PayIdRef> {
        self.pay_ids.iter().find(|p| p.id == id)
    }

    pub fn job(&self, id: i64) -> Option<&NameRef> {
        self.jobs.iter().find(|j| j.id == id)
    }

    pub fn task(&self, id: i64) -> Option<&NameRef> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

/// The company's pay IDs, with the built-in regular, overtime and double
/// time ones that computed hours go to.
pub fn pay_id_book(conn: &Connection) -> Result<(PayIdBook, Vec<PayIdRef>)> {
    let mut statement = conn.prepare_cached(
        "SELECT id, code, name, category, builtin FROM pay_ids ORDER BY builtin DESC, id",
    )?;
    let rows = statement.query_map([], |r| {
        let category: String = r.get(3)?;
        Ok((
            PayIdRef {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                category: PayCategory::parse(&category).unwrap_or(PayCategory::Other),
            },
            r.get::<_, bool>(4)?,
        ))
    })?;
    let mut refs = Vec::new();
    let mut builtin: HashMap<PayCategory, i64> = HashMap::new();
    for row in rows {
        let (pay_id, is_builtin) = row?;
        if is_builtin {
            builtin.entry(pay_id.category).or_insert(pay_id.id);
        }
        refs.push(pay_id);
    }
    let of = |category: PayCategory| {
        builtin.get(&category).copied().ok_or_else(|| {
            Error::Internal(format!(
                "the built-in {category:?} pay ID is missing from the database"
            ))
        })
    };
    let book = PayIdBook {
        categories: refs.iter().map(|p| (p.id, p.category)).collect(),
        regular: of(PayCategory::Regular)?,
        overtime: of(PayCategory::Overtime)?,
        double_time: of(PayCategory::DoubleTime)?,
    };
    Ok((book, refs))
}

/// How many days before and after the dates it needs payroll reads
/// entries by their own date: a clocked entry's date is in its own offset,
/// which may differ from the company's zone.
pub(crate) const DATE_MARGIN_DAYS: i64 = 2;

/// The live entries payroll needs for `period`: from a little before the
/// workweek it starts in to a little after its end (a clocked entry's date
/// is in its own offset, which may differ from the company's zone), and
/// every running entry.
pub fn entries_for(
    conn: &Connection,
    settings: &PayrollSettings,
    period: PayPeriod,
) -> Result<Vec<WorkEntry>> {
    let from = settings.week_start.week_of(period.start) - Duration::days(DATE_MARGIN_DAYS);
    let to = period.end + Duration::days(DATE_MARGIN_DAYS);
    // An entry's own pay ID wins; otherwise its task's.
    let columns = "e.id, e.employee_id, e.job_id, e.task_id, coalesce(e.pay_id, t.pay_id) AS pay_id, e.kind, \
                   e.start_utc, e.start_offset, e.end_utc, e.end_offset, e.work_date, e.duration_seconds";
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {columns} FROM time_entries e LEFT JOIN tasks t ON t.id = e.task_id
         WHERE e.voided_at IS NULL AND e.work_date BETWEEN ?1 AND ?2
         UNION
         SELECT {columns} FROM time_entries e LEFT JOIN tasks t ON t.id = e.task_id
         WHERE e.kind = 'clock' AND e.voided_at IS NULL AND e.end_utc IS NULL"
    ))?;
    let rows = statement.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok(WorkEntry {
            id: r.get("id")?,
            employee_id: r.get("employee_id")?,
            job_id: r.get("job_id")?,
            task_id: r.get("task_id")?,
            pay_id: r.get("pay_id")?,
            span: crate::records::time_entries::span_from_row(r)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Computes and names the hours of `period`.
pub fn hours_for_period(
    conn: &Connection,
    settings: &PayrollSettings,
    period: PayPeriod,
    now: DateTime<Utc>,
) -> Result<HoursReport> {
    let zone = settings.zone()?;
    let (book, pay_id_refs) = pay_id_book(conn)?;
    let entries = entries_for(conn, settings, period)?;
    let computed = hours::compute(settings, zone, period, &entries, &book, now);

    let mut employee_ids = BTreeSet::new();
    let mut job_ids = BTreeSet::new();
    let mut task_ids = BTreeSet::new();
    let mut totals: BTreeMap<i64, i64> = BTreeMap::new();
    let mut days: BTreeMap<NaiveDate, i64> = period.days().map(|d| (d, 0)).collect();
    for employee in &computed.employees {
        employee_ids.insert(employee.employee_id);
        for line in &employee.lines {
            job_ids.extend(line.job_id);
            task_ids.extend(line.task_id);
            *totals.entry(line.pay_id).or_default() += line.seconds;
            *days.entry(line.date).or_default() += line.seconds;
        }
    }
    let names = employee_names(conn, &employee_ids)?;
    let mut employees: Vec<EmployeeReport> = computed
        .employees
        .into_iter()
        .map(|hours| {
            let (name, employee_number) = names.get(&hours.employee_id).map_or_else(
                || (format!("Employee #{}", hours.employee_id), None),
                |n| (n.full(), n.number.clone()),
            );
            EmployeeReport {
                employee_id: hours.employee_id,
                name,
                employee_number,
                hours,
            }
        })
        .collect();
    employees.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.employee_id.cmp(&b.employee_id))
    });
    let pay_ids = pay_id_refs
        .into_iter()
        .filter(|p| totals.contains_key(&p.id))
        .collect();
    Ok(HoursReport {
        period,
        time_zone: settings.time_zone.clone(),
        employees,
        open_entries: computed.open_entries,
        pay_ids,
        jobs: name_refs(conn, JOB_REFS, &job_ids)?,
        tasks: name_refs(conn, TASK_REFS, &task_ids)?,
        total_seconds: totals.values().sum(),
        totals: totals
            .into_iter()
            .map(|(pay_id, seconds)| PayTotal { pay_id, seconds })
            .collect(),
        days: days
            .into_iter()
            .filter(|(date, _)| period.contains(*date))
            .map(|(date, seconds)| DaySeconds { date, seconds })
            .collect(),
        unimported_staged: unimported::summary(conn, settings, period, now)?,
    })
}

/// The saved settings and the hours of the pay period containing `day`
/// (default: today in the company's time zone).
pub fn hours_for_day(
    conn: &Connection,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<HoursReport> {
    let (settings, period) = period_for_day(conn, day, now)?;
    hours_for_period(conn, &settings, period, now)
}

/// The saved settings and the pay period containing `day` (default: today
/// in the company's time zone).
fn period_for_day(
    conn: &Connection,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(PayrollSettings, PayPeriod)> {
    let settings = settings::load(conn, now.date_naive())?;
    let zone = settings.zone()?;
    let day = day.unwrap_or_else(|| now.with_timezone(&zone).date_naive());
    let period = periods::containing(&settings, day);
    Ok((settings, period))
}

/// The pay period containing `day`, by the saved settings.
pub fn period_of_day(conn: &Connection, day: NaiveDate, now: DateTime<Utc>) -> Result<PayPeriod> {
    Ok(period_for_day(conn, Some(day), now)?.1)
}

/// The staged time entries the payroll of the period containing `day`
/// (default: today in the company's time zone) leaves out.
pub fn unimported_for_day(
    conn: &Connection,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<unimported::UnimportedStaged> {
    let (settings, period) = period_for_day(conn, day, now)?;
    unimported::summary(conn, &settings, period, now)
}

fn id_list(ids: &BTreeSet<i64>) -> String {
    serde_json::Value::from(ids.iter().copied().collect::<Vec<_>>()).to_string()
}

/// An employee's name parts and number, as payroll files need them.
pub(crate) struct EmployeeName {
    pub first: String,
    pub last: String,
    pub number: Option<String>,
}

impl EmployeeName {
    /// "First Last".
    pub fn full(&self) -> String {
        crate::records::employees::display_name(&self.first, &self.last)
    }
}

/// Employees by id, "First Last", in id order: whom a list of overrides
/// or matches is for.
pub fn employee_labels(conn: &Connection, ids: &BTreeSet<i64>) -> Result<Vec<(i64, String)>> {
    let names = employee_names(conn, ids)?;
    Ok(ids
        .iter()
        .filter_map(|id| names.get(id).map(|n| (*id, n.full())))
        .collect())
}

pub(crate) fn employee_names(
    conn: &Connection,
    ids: &BTreeSet<i64>,
) -> Result<HashMap<i64, EmployeeName>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, first_name, last_name, employee_number FROM employees
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = statement.query_map([id_list(ids)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            EmployeeName {
                first: r.get::<_, String>(1)?.trim().to_owned(),
                last: r.get::<_, String>(2)?.trim().to_owned(),
                number: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const JOB_REFS: &str = "SELECT j.id, j.job_number, j.name, c.name FROM jobs j
     LEFT JOIN customers c ON c.id = j.customer_id
     WHERE j.id IN (SELECT value FROM json_each(?1))";

const TASK_REFS: &str =
    "SELECT id, code, name, NULL FROM tasks WHERE id IN (SELECT value FROM json_each(?1))";

/// Jobs by id, as payroll names them.
pub(crate) fn job_refs(conn: &Connection, ids: &BTreeSet<i64>) -> Result<HashMap<i64, NameRef>> {
    Ok(name_refs(conn, JOB_REFS, ids)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

/// Tasks by id, as payroll names them.
pub(crate) fn task_refs(conn: &Connection, ids: &BTreeSet<i64>) -> Result<HashMap<i64, NameRef>> {
    Ok(name_refs(conn, TASK_REFS, ids)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

fn name_refs(conn: &Connection, sql: &str, ids: &BTreeSet<i64>) -> Result<Vec<NameRef>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([id_list(ids)], |r| {
        Ok(NameRef {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            parent: r.get(3)?,
        })
    })?;
    let mut refs = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    refs.sort_by_key(|r| r.id);
    Ok(refs)
}

/// A period's payroll for one target, as the payroll page shows it: the
/// hours, their lines at the target with every problem, what publishing
/// would send now, and what was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PayrollReview {
    pub report: HoursReport,
    pub prepared: lines::Prepared,
    /// What publishing now would send (after a publication: the changes
    /// since it).
    pub changes: Vec<publish::Change>,
    /// Some target accepted this period's hours.
    pub locked: bool,
    /// Newest first.
    pub publications: Vec<publish::Publication>,
}

/// The review of the period containing `day` for `target`.
pub fn review(
    conn: &Connection,
    day: Option<NaiveDate>,
    target: targets::Target,
    now: DateTime<Utc>,
) -> Result<PayrollReview> {
    let report = hours_for_day(conn, day, now)?;
    let prepared = lines::prepare(conn, &report, target)?;
    let changes = if prepared.target.publishes {
        publish::changes(conn, &prepared, report.period)?
    } else {
        Vec::new()
    };
    Ok(PayrollReview {
        locked: publish::is_locked(conn, report.period)?,
        publications: publish::history(conn, report.period)?,
        report,
        prepared,
        changes,
    })
}

/// Whether the period containing `day` was published, and where.
pub fn period_lock(
    conn: &Connection,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<publish::PeriodLock> {
    let settings = settings::load(conn, now.date_naive())?;
    publish::period_lock(conn, periods::containing(&settings, day))
}

/// The payroll file of the period containing `day`, or every reason it
/// cannot be written.
pub fn export(
    conn: &Connection,
    day: Option<NaiveDate>,
    format: targets::FileFormat,
    now: DateTime<Utc>,
) -> Result<files::PayrollFile> {
    let settings = files::load(conn)?;
    settings.check(format)?;
    let report = hours_for_day(conn, day, now)?;
    let prepared = lines::prepare(conn, &report, targets::Target::File { format })?;
    files::write(format, &settings, report.period, &prepared)
}
