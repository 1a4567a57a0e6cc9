//! ClockShark, from its timesheet exports. ClockShark has no public API;
//! an admin exports timesheets (TimeSheets → Export, as CSV) into a folder,
//! and each sync reads every export in it.
//!
//! No export layout is published, so columns are found by their header, in
//! any order, under the names ClockShark and spreadsheet edits give them
//! (case, spaces and `#` aside): the employee (`Employee`, or `First Name`
//! and `Last Name`), `Employee ID`, `Date`, `Clock In` and `Clock Out` (a
//! time, or a date and time), `Hours` (when there are no clock times),
//! `Job`, `Job #`, `Customer`, `Task`, `Task Code`, `Notes`, and a
//! timesheet id when there is one. A file missing the employee, the date or
//! both clock times and hours is refused, naming the file and the columns.
//!
//! Employees, customers, jobs and tasks are the ones the time rows name,
//! keyed by their id or number when the export has one, else by name.
//! A time row keeps its timesheet id, or is keyed by who, when, and on
//! what, so a re-export of the same days finds the same rows. Clock times
//! carry no offset and are placed in the company's payroll time zone. Files
//! are read as UTF-8, bytes that are not becoming "�" rather than failing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde_json::json;
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::records::time_entries::TimeSpan;

use crate::error::ConnectorError;
use crate::folder::{FolderRead, FolderSource, problem};
use crate::{AuthKind, Connector, PlatformInfo};

pub struct ClockShark;

pub static INFO: PlatformInfo = PlatformInfo {
    id: "clockshark",
    name: "ClockShark",
    auth: &[AuthKind::Folder],
    modules: &[
        Module::Employees,
        Module::Customers,
        Module::Jobs,
        Module::Tasks,
        Module::TimeEntries,
    ],
    publishes_payroll: false,
    default_base_url: "",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(1),
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

impl Connector for ClockShark {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    /// Never used: there are no streams to page.
    fn folder(&self) -> Option<&dyn FolderSource> {
        Some(self)
    }
}

/// The columns Timebridge reads, by what they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Employee,
    FirstName,
    LastName,
    EmployeeId,
    Date,
    ClockIn,
    ClockOut,
    Hours,
    Job,
    JobNumber,
    Customer,
    Task,
    TaskCode,
    Notes,
    Id,
}

/// A header as a column: lower case, letters and digits only, `#` read as
/// "number".
fn column(header: &str) -> Option<Column> {
    let key: String = header
        .trim_start_matches('\u{feff}')
        .replace('#', "number")
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Some(match key.as_str() {
        "employee" | "employeename" | "name" | "worker" => Column::Employee,
        "firstname" => Column::FirstName,
        "lastname" => Column::LastName,
        "employeeid" | "employeenumber" | "employeeno" | "employeecode" => Column::EmployeeId,
        "date" | "workdate" | "clockindate" | "shiftdate" => Column::Date,
        "clockin" | "clockintime" | "timein" | "starttime" | "start" => Column::ClockIn,
        "clockout" | "clockouttime" | "timeout" | "endtime" | "end" => Column::ClockOut,
        "hours" | "totalhours" | "duration" => Column::Hours,
        "job" | "jobname" => Column::Job,
        "jobnumber" | "jobno" | "jobcode" => Column::JobNumber,
        "customer" | "customername" | "client" => Column::Customer,
        "task" | "taskname" => Column::Task,
        "taskcode" | "tasknumber" | "costcode" => Column::TaskCode,
        "notes" | "note" | "comments" | "comment" | "description" => Column::Notes,
        "timesheetid" | "entryid" | "id" | "shiftid" => Column::Id,
        _ => return None,
    })
}

/// Where each known column is in a file.
struct Layout(BTreeMap<Column, usize>);

impl Layout {
    fn of(path: &Path, headers: &csv::ByteRecord) -> Result<Layout, ConnectorError> {
        let mut columns = BTreeMap::new();
        for (at, header) in headers.iter().enumerate() {
            if let Some(c) = column(&String::from_utf8_lossy(header)) {
                columns.entry(c).or_insert(at);
            }
        }
        let layout = Layout(columns);
        let has = |c| layout.0.contains_key(&c);
        let mut missing = Vec::new();
        if !(has(Column::Employee) || (has(Column::FirstName) && has(Column::LastName))) {
            missing.push("Employee (or First Name and Last Name)");
        }
        if !has(Column::Date) && !has(Column::ClockIn) {
            missing.push("Date");
        }
        if !(has(Column::Hours) || (has(Column::ClockIn) && has(Column::ClockOut))) {
            missing.push("Clock In and Clock Out (or Hours)");
        }
        if !missing.is_empty() {
            return Err(problem(format!(
                "“{}” is not a ClockShark timesheet export: it lacks {}. Export the timesheets \
                 again from ClockShark (TimeSheets → Export, as CSV), or move this file out of the folder.",
                file_name(path),
                missing.join("; ")
            )));
        }
        Ok(layout)
    }

    fn get<'r>(&self, row: &'r [String], c: Column) -> Option<&'r str> {
        let value = row.get(*self.0.get(&c)?)?.trim();
        (!value.is_empty()).then_some(value)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, ConnectorError> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| problem(format!("“{}” could not be read ({e}).", file_name(path))))
}

fn headers(path: &Path, reader: &mut csv::Reader<std::fs::File>) -> Result<Layout, ConnectorError> {
    let headers = reader
        .byte_headers()
        .map_err(|e| problem(format!("“{}” could not be read ({e}).", file_name(path))))?
        .clone();
    Layout::of(path, &headers)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    ["%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.to_ascii_uppercase();
    ["%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(&text, f).ok())
}

/// A clock time: a date and time, or a time on `date`.
fn parse_clock(text: &str, date: Option<NaiveDate>) -> Option<NaiveDateTime> {
    let upper = text.to_ascii_uppercase();
    let full = [
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %I:%M %p",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(&upper, f).ok());
    full.or_else(|| Some(date?.and_time(parse_time(text)?)))
}

/// Hours as `8.5` or `8:30`.
fn parse_hours(text: &str) -> Option<i64> {
    if let Some((h, m)) = text.split_once(':') {
        let (h, m): (i64, i64) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
        return (m < 60 && h >= 0).then_some(h * 3600 + m * 60);
    }
    let hours: f64 = text.parse().ok()?;
    (hours.is_finite() && hours >= 0.0).then(|| (hours * 3600.0).round() as i64)
}

fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The records the rows name, each once (the last row wins).
#[derive(Default)]
struct Collected {
    employees: BTreeMap<String, Incoming>,
    customers: BTreeMap<String, Incoming>,
    jobs: BTreeMap<String, Incoming>,
    tasks: BTreeMap<String, Incoming>,
    times: BTreeMap<String, Incoming>,
    dates: Option<(NaiveDate, NaiveDate)>,
}

impl Collected {
    /// One time row; `Err` says why it was skipped.
    fn row(
        &mut self,
        layout: &Layout,
        row: &[String],
        zone: chrono_tz::Tz,
        pull_from: NaiveDate,
    ) -> Result<(), String> {
        let get = |c| layout.get(row, c);
        let name = match get(Column::Employee) {
            Some(name) => name.to_owned(),
            None => format!(
                "{} {}",
                get(Column::FirstName).unwrap_or_default(),
                get(Column::LastName).unwrap_or_default()
            )
            .trim()
            .to_owned(),
        };
        if name.is_empty() {
            return Err("it names no employee".into());
        }
        let date =
            get(Column::Date).map(|d| parse_date(d).ok_or(format!("its date “{d}” is not a date")));
        let date = date.transpose()?;
        let clock_in = get(Column::ClockIn).and_then(|t| parse_clock(t, date));
        let clock_out =
            get(Column::ClockOut).and_then(|t| parse_clock(t, date.or(clock_in.map(|c| c.date()))));
        let span = match (clock_in, clock_out) {
            (Some(start), Some(mut end)) => {
                if end <= start {
                    end += chrono::Duration::days(1); // clocked out after midnight
                }
                let place = |at: NaiveDateTime| {
                    zone.from_local_datetime(&at)
                        .earliest()
                        .map(|t| t.fixed_offset())
                        .ok_or(format!("{at} does not exist in {zone}"))
                };
                TimeSpan::Clock {
                    start: place(start)?,
                    end: Some(place(end)?),
                }
            }
            (Some(_), None) if get(Column::ClockOut).is_none() && get(Column::Hours).is_none() => {
                return Err("it is still clocked in".into());
            }
            _ => {
                let date = date.ok_or("it has no date")?;
                let hours = get(Column::Hours)
                    .ok_or("its clock times could not be read and it has no hours")?;
                TimeSpan::Manual {
                    date,
                    duration_seconds: parse_hours(hours)
                        .ok_or(format!("its hours “{hours}” are not a number"))?,
                }
            }
        };
        let work_date = date.unwrap_or_else(|| span.work_date());
        if work_date < pull_from {
            return Ok(());
        }
        self.dates = Some(match self.dates {
            None => (work_date, work_date),
            Some((a, b)) => (a.min(work_date), b.max(work_date)),
        });

        let employee = get(Column::EmployeeId).map_or_else(|| key(&name), str::to_owned);
        let (first, last) = match (get(Column::FirstName), get(Column::LastName)) {
            (Some(f), Some(l)) => (f.to_owned(), l.to_owned()),
            _ => match name.rsplit_once(' ') {
                Some((f, l)) => (f.to_owned(), l.to_owned()),
                None => (name.clone(), String::new()),
            },
        };
        self.employees.insert(employee.clone(), Incoming {
            external_id: employee.clone(),
            label: name.clone(),
            data: json!({"first_name": first, "last_name": last, "employee_number": get(Column::EmployeeId),
                         "email": null, "phone": null, "hire_date": null, "active": true}),
            record_date: None,
        });
        let customer = get(Column::Customer).map(|c| {
            let id = format!("customer:{}", key(c));
            self.customers.insert(
                id.clone(),
                Incoming {
                    external_id: id.clone(),
                    label: c.to_owned(),
                    data: json!({"name": c, "email": null, "phone": null, "active": true}),
                    record_date: None,
                },
            );
            id
        });
        let job = match (get(Column::Job), get(Column::JobNumber)) {
            (None, None) => None,
            (name, number) => {
                let id = number.map_or_else(|| key(name.unwrap_or_default()), str::to_owned);
                let label = name.or(number).unwrap_or_default().to_owned();
                self.jobs.insert(id.clone(), Incoming {
                    external_id: id.clone(),
                    label: label.clone(),
                    data: json!({"name": label, "customer_external_id": customer, "job_number": number, "active": true}),
                    record_date: None,
                });
                Some(id)
            }
        };
        let task = match (get(Column::Task), get(Column::TaskCode)) {
            (None, None) => None,
            (name, code) => {
                let id = code.map_or_else(|| key(name.unwrap_or_default()), str::to_owned);
                let label = name.or(code).unwrap_or_default().to_owned();
                self.tasks.insert(id.clone(), Incoming {
                    external_id: id.clone(),
                    label: label.clone(),
                    data: json!({"code": code.unwrap_or(&label), "name": label, "job_external_id": null, "active": true}),
                    record_date: None,
                });
                Some(id)
            }
        };
        let when = match &span {
            TimeSpan::Clock { start, .. } => start.to_rfc3339(),
            TimeSpan::Manual {
                date,
                duration_seconds,
            } => format!("{date}+{duration_seconds}"),
        };
        let id = get(Column::Id).map_or_else(
            || {
                let fingerprint = format!(
                    "{employee}\u{1f}{when}\u{1f}{}\u{1f}{}",
                    job.as_deref().unwrap_or_default(),
                    task.as_deref().unwrap_or_default()
                );
                format!(
                    "row-{:016x}",
                    xxhash_rust::xxh3::xxh3_64(fingerprint.as_bytes())
                )
            },
            str::to_owned,
        );
        self.times.insert(
            id.clone(),
            Incoming {
                external_id: id,
                label: format!("{name} · {work_date}"),
                data: json!({
                    "employee_external_id": employee,
                    "job_external_id": job,
                    "task_external_id": task,
                    "pay_item_external_id": null,
                    "span": span,
                    "notes": get(Column::Notes).unwrap_or_default(),
                }),
                record_date: Some(work_date),
            },
        );
        Ok(())
    }
}

fn rows(
    path: &Path,
    reader: &mut csv::Reader<std::fs::File>,
) -> impl Iterator<Item = (u64, Result<Vec<String>, ConnectorError>)> {
    let name = file_name(path);
    reader.byte_records().enumerate().map(move |(i, record)| {
        let line = i as u64 + 2;
        (
            line,
            record
                .map(|r| {
                    r.iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect()
                })
                .map_err(|e| problem(format!("“{name}” could not be read at line {line} ({e})."))),
        )
    })
}

impl FolderSource for ClockShark {
    fn is_export(&self, path: &Path) -> bool {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }

    fn check_file(&self, path: &Path) -> Result<usize, ConnectorError> {
        let mut reader = open(path)?;
        headers(path, &mut reader)?;
        let mut count = 0;
        for (_, row) in rows(path, &mut reader) {
            row?;
            count += 1;
        }
        Ok(count)
    }

    fn read(
        &self,
        files: &[PathBuf],
        zone: chrono_tz::Tz,
        pull_from: NaiveDate,
    ) -> Result<FolderRead, ConnectorError> {
        let mut collected = Collected::default();
        let mut skipped = Vec::new();
        for path in files {
            let mut reader = open(path)?;
            let layout = headers(path, &mut reader)?;
            for (line, row) in rows(path, &mut reader) {
                let row = row?;
                if row.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if let Err(why) = collected.row(&layout, &row, zone, pull_from) {
                    skipped.push(format!("{} line {line}: {why}", file_name(path)));
                }
            }
        }
        let values = |map: BTreeMap<String, Incoming>| map.into_values().collect::<Vec<_>>();
        Ok(FolderRead {
            dates: collected.dates,
            modules: vec![
                (Module::Employees, values(collected.employees)),
                (Module::Customers, values(collected.customers)),
                (Module::Jobs, values(collected.jobs)),
                (Module::Tasks, values(collected.tasks)),
                (Module::TimeEntries, values(collected.times)),
            ],
            skipped,
        })
    }
}

#[cfg(test)]
mod tests;
