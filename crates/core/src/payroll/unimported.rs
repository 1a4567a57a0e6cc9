//! What a pay period's payroll leaves out: the staged time entries of that
//! period that are not imported as they are now, from every integration.
//!
//! - **Which.** New entries (never imported, including ones an import
//!   skipped or held back for a decision) and Updated ones (changed at the
//!   source since their import: the payroll counts the imported copy, not
//!   the newer version). Imported and Archived entries, and entries removed
//!   at the source, are not counted.
//! - **In the period** by the days payroll would count the entry on once
//!   imported: the company's time zone and overnight rule, computed by
//!   [`hours::compute`] itself, so an entry over the period's edge counts
//!   only its part inside. A still-running entry counts when payroll counts
//!   running entries, by the day it started. An entry whose time cannot be
//!   read counts (with no hours) on its staged date.
//! - **Fast.** Only the staged rows of the period's dates (and a margin for
//!   other offsets) are read, from the status index; a million staged
//!   entries elsewhere cost nothing.
//!
//! [`summary`] counts them per employee and per integration;
//! [`staged_ids`] names exactly those records, for the review's filter.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::hours::{self, PayIdBook, WorkEntry};
use super::periods::PayPeriod;
use super::settings::{self, PayrollSettings};
use crate::error::{Error, Result};
use crate::middleware::Module;
use crate::middleware::planner::StagedStatus;
use crate::middleware::staged::{self, UnimportedTimeEntry};
use crate::records::time_entries::TimeSpan;

/// How many entries, and their seconds in the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct CountSeconds {
    pub count: i64,
    pub seconds: i64,
}

/// Entries changed at the source since they were imported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct UpdatedEntries {
    pub count: i64,
    /// The newer versions' seconds in the period: not in the payroll.
    pub seconds: i64,
    /// What the payroll counts for them instead: their imported copies'
    /// seconds in the period.
    pub imported_seconds: i64,
}

/// One employee's time the payroll leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnimportedEmployee {
    /// The local employee the source's employee was imported as; `None`
    /// when the employee is not imported either.
    pub employee_id: Option<i64>,
    pub name: String,
    pub employee_number: Option<String>,
    pub count: i64,
    pub seconds: i64,
}

/// One integration's entries the payroll leaves out: where to review them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnimportedSource {
    pub integration_id: i64,
    pub name: String,
    pub count: i64,
    pub seconds: i64,
}

/// The staged time entries of a pay period that its payroll leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct UnimportedStaged {
    /// Every such entry: New and Updated.
    pub count: i64,
    /// Their seconds in the period (of an Updated entry, its newer version).
    pub seconds: i64,
    /// Never imported, or held back or skipped by an import.
    pub new: CountSeconds,
    pub updated: UpdatedEntries,
    /// By name.
    pub employees: Vec<UnimportedEmployee>,
    /// By integration id.
    pub integrations: Vec<UnimportedSource>,
}

impl UnimportedStaged {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// In words, for the command line and a refusal to publish: how many,
    /// how many hours, for whom, and how the payroll differs.
    pub fn describe(&self) -> String {
        if self.is_empty() {
            return "Every staged time entry of this pay period is imported.".to_owned();
        }
        let one = self.count == 1;
        let mut text = format!(
            "{} in this pay period {} not imported ({} h), so the payroll leaves {} out: {}.",
            entries(self.count, "staged time entry", "staged time entries"),
            if one { "is" } else { "are" },
            hours(self.seconds),
            if one { "it" } else { "them" },
            self.whom(5),
        );
        if self.updated.count > 0 {
            let one = self.updated.count == 1;
            text.push_str(&format!(
                " {} changed at the source since {} imported: the payroll counts {} imported {} ({} h), not the newer {} ({} h).",
                if self.count == 1 {
                    "It".to_owned()
                } else {
                    format!("{} of them", self.updated.count)
                },
                if one { "it was" } else { "they were" },
                if one { "its" } else { "their" },
                if one { "copy" } else { "copies" },
                hours(self.updated.imported_seconds),
                if one { "version" } else { "versions" },
                hours(self.updated.seconds),
            ));
        }
        text
    }

    /// "Rosa Diaz (2 entries, 16.00 h), Sam Lee (1 entry, 8.00 h) and 3
    /// others".
    pub fn whom(&self, at_most: usize) -> String {
        let mut names: Vec<String> = self
            .employees
            .iter()
            .take(at_most)
            .map(|e| {
                format!(
                    "{} ({}, {} h)",
                    e.name,
                    entries(e.count, "entry", "entries"),
                    hours(e.seconds)
                )
            })
            .collect();
        let others = self.employees.len().saturating_sub(at_most);
        if others > 0 {
            names.push(format!(
                "{others} other{}",
                if others == 1 { "" } else { "s" }
            ));
        }
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

fn entries(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn hours(seconds: i64) -> String {
    format!("{:.2}", seconds as f64 / 3600.0)
}

/// The staged dates read for `period`: a margin either side, as payroll
/// reads its own entries, for a staged date in an offset other than the
/// company's and a shift over midnight.
pub fn dates_read(period: PayPeriod) -> (NaiveDate, NaiveDate) {
    (
        period.start - Duration::days(super::DATE_MARGIN_DAYS),
        period.end + Duration::days(super::DATE_MARGIN_DAYS),
    )
}

/// A staged entry of the period, with its seconds in it.
struct Counted {
    integration_id: i64,
    entry: UnimportedTimeEntry,
    seconds: i64,
}

/// The book `hours::compute` needs; only the total of each entry is read,
/// which does not depend on which pay IDs its time goes to.
fn any_book() -> PayIdBook {
    PayIdBook {
        categories: HashMap::new(),
        regular: 0,
        overtime: 0,
        double_time: 0,
    }
}

/// Seconds of each span on the period's days, as payroll counts them, by
/// the span's index in `spans` (absent: none in the period).
fn seconds_in_period(
    settings: &PayrollSettings,
    zone: Tz,
    period: PayPeriod,
    spans: &[(usize, TimeSpan)],
    now: DateTime<Utc>,
) -> HashMap<usize, i64> {
    // Each entry is its own "employee", so no threshold of one touches
    // another; the totals are what payroll would count.
    let work: Vec<WorkEntry> = spans
        .iter()
        .map(|(index, span)| WorkEntry {
            id: *index as i64,
            employee_id: *index as i64,
            job_id: None,
            task_id: None,
            pay_id: None,
            span: span.clone(),
        })
        .collect();
    hours::compute(settings, zone, period, &work, &any_book(), now)
        .employees
        .into_iter()
        .map(|e| (e.employee_id as usize, e.total_seconds))
        .collect()
}

/// The entries of one integration that the payroll of `period` leaves out.
/// `now` only changes the seconds of a running entry, never which entries.
fn left_out(
    conn: &Connection,
    settings: &PayrollSettings,
    zone: Tz,
    period: PayPeriod,
    integration_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Counted>> {
    let staged = staged::unimported_time_entries(conn, integration_id, dates_read(period))?;
    let spans: Vec<(usize, TimeSpan)> = staged
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.span.clone().map(|span| (i, span)))
        .collect();
    let seconds = seconds_in_period(settings, zone, period, &spans, now);
    let mut counted = Vec::new();
    for (i, entry) in staged.into_iter().enumerate() {
        let member = match &entry.span {
            None => entry.record_date.is_some_and(|d| period.contains(d)),
            Some(TimeSpan::Clock { start, end: None }) => {
                !settings.leave_out_open_entries
                    && period.contains(start.with_timezone(&zone).date_naive())
            }
            Some(_) => seconds.contains_key(&i),
        };
        if member {
            counted.push(Counted {
                integration_id,
                seconds: seconds.get(&i).copied().unwrap_or(0),
                entry,
            });
        }
    }
    Ok(counted)
}

fn integrations(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut statement = conn.prepare_cached("SELECT id, name FROM integrations ORDER BY id")?;
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of the staged time entries of integration `integration_id`
/// that the payroll of `period` leaves out, in id order: exactly those
/// [`summary`] counts. Days are the saved payroll settings' days.
pub fn staged_ids(conn: &Connection, integration_id: i64, period: PayPeriod) -> Result<Vec<i64>> {
    let settings = settings::load(conn, period.start)?;
    let zone = settings.zone()?;
    let now = hours::start_of_day(zone, period.start);
    let mut ids: Vec<i64> = left_out(conn, &settings, zone, period, integration_id, now)?
        .into_iter()
        .map(|c| c.entry.id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Who an employee at the source is: the local employee imported as, or
/// the staged employee.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Whom {
    Local(i64),
    Source(i64, Option<String>),
}

/// Counts the staged time entries the payroll of `period` leaves out, of
/// every integration.
pub fn summary(
    conn: &Connection,
    settings: &PayrollSettings,
    period: PayPeriod,
    now: DateTime<Utc>,
) -> Result<UnimportedStaged> {
    let zone = settings.zone()?;
    let mut found = UnimportedStaged::default();
    let mut all = Vec::new();
    for (integration_id, name) in integrations(conn)? {
        let counted = left_out(conn, settings, zone, period, integration_id, now)?;
        if counted.is_empty() {
            continue;
        }
        found.integrations.push(UnimportedSource {
            integration_id,
            name,
            count: counted.len() as i64,
            seconds: counted.iter().map(|c| c.seconds).sum(),
        });
        all.extend(counted);
    }
    if all.is_empty() {
        return Ok(found);
    }
    found.count = all.len() as i64;
    found.seconds = all.iter().map(|c| c.seconds).sum();
    for c in &all {
        if c.entry.status == StagedStatus::Updated {
            found.updated.count += 1;
            found.updated.seconds += c.seconds;
        } else {
            found.new.count += 1;
            found.new.seconds += c.seconds;
        }
    }
    found.updated.imported_seconds =
        imported_copies_seconds(conn, settings, zone, period, &all, now)?;
    found.employees = by_employee(conn, &all)?;
    Ok(found)
}

/// The seconds in the period of the local copies the Updated entries were
/// imported as (voided copies count none): what the payroll counts now.
fn imported_copies_seconds(
    conn: &Connection,
    settings: &PayrollSettings,
    zone: Tz,
    period: PayPeriod,
    all: &[Counted],
    now: DateTime<Utc>,
) -> Result<i64> {
    let ids: BTreeSet<i64> = all
        .iter()
        .filter(|c| c.entry.status == StagedStatus::Updated)
        .filter_map(|c| c.entry.imported_as)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let mut statement = conn.prepare_cached(
        "SELECT id, kind, start_utc, start_offset, end_utc, end_offset, work_date, duration_seconds
         FROM time_entries WHERE voided_at IS NULL AND id IN (SELECT value FROM json_each(?1))",
    )?;
    let spans = statement
        .query_map([super::id_list(&ids)], |r| {
            crate::records::time_entries::span_from_row(r)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let spans: Vec<(usize, TimeSpan)> = spans.into_iter().enumerate().collect();
    Ok(seconds_in_period(settings, zone, period, &spans, now)
        .values()
        .sum())
}

/// The entries per employee, named by the local employee they were
/// imported as, else by the staged employee, by name.
fn by_employee(conn: &Connection, all: &[Counted]) -> Result<Vec<UnimportedEmployee>> {
    // The employees' ids at the source, per integration.
    let mut at_source: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for c in all {
        if let Some(id) = &c.entry.employee_external_id {
            at_source
                .entry(c.integration_id)
                .or_default()
                .insert(id.clone());
        }
    }
    let mut bound: HashMap<(i64, String), i64> = HashMap::new();
    let mut staged_names: HashMap<(i64, String), (String, Option<String>)> = HashMap::new();
    for (integration_id, ids) in &at_source {
        let ids: Vec<String> = ids.iter().cloned().collect();
        for (external_id, local_id) in
            staged::imported_as(conn, *integration_id, Module::Employees, &ids)?
        {
            bound.insert((*integration_id, external_id), local_id);
        }
        for (external_id, data) in
            staged::staged_data(conn, *integration_id, Module::Employees, &ids)?
        {
            let text = |field: &str| {
                data.get(field)
                    .and_then(serde_json::Value::as_str)
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
            };
            let name = crate::records::employees::display_name(
                &text("first_name").unwrap_or_default(),
                &text("last_name").unwrap_or_default(),
            );
            staged_names.insert(
                (*integration_id, external_id),
                (name, text("employee_number")),
            );
        }
    }
    let local_ids: BTreeSet<i64> = bound.values().copied().collect();
    let local_names = super::employee_names(conn, &local_ids)?;

    let mut groups: BTreeMap<Whom, UnimportedEmployee> = BTreeMap::new();
    for c in all {
        let external = c.entry.employee_external_id.clone();
        let key = external.as_ref().map(|e| (c.integration_id, e.clone()));
        let local = key.as_ref().and_then(|k| bound.get(k)).copied();
        let whom = match local {
            Some(id) => Whom::Local(id),
            None => Whom::Source(c.integration_id, external.clone()),
        };
        let group = groups.entry(whom).or_insert_with(|| {
            let (name, employee_number) = match local.and_then(|id| local_names.get(&id)) {
                Some(n) => (n.full(), n.number.clone()),
                None => match key.as_ref().and_then(|k| staged_names.get(k)) {
                    Some((name, number)) if !name.is_empty() => (name.clone(), number.clone()),
                    _ => (
                        match &external {
                            Some(id) => format!("Employee {id} at the source"),
                            None => "No employee".to_owned(),
                        },
                        None,
                    ),
                },
            };
            UnimportedEmployee {
                employee_id: local,
                name,
                employee_number,
                count: 0,
                seconds: 0,
            }
        });
        group.count += 1;
        group.seconds += c.seconds;
    }
    let mut employees: Vec<UnimportedEmployee> = groups.into_values().collect();
    employees.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.employee_id.cmp(&b.employee_id))
    });
    Ok(employees)
}

/// Publishing leaves these entries out: refused unless the admin
/// confirmed it (`confirmed`). `how_to_confirm` says how, in the caller's
/// words (a button, a command-line flag).
pub fn check_publish(
    found: &UnimportedStaged,
    confirmed: bool,
    how_to_confirm: &str,
) -> Result<()> {
    if confirmed || found.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "confirm_unimported",
        format!(
            "Not published: {} Import them first, or {how_to_confirm}.",
            found.describe()
        ),
    ))
}
