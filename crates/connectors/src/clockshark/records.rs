//! The staged records the exports' shifts make (`CSK-MAP-*`): each
//! employee, customer, job, task and time entry once, the days each file
//! covers, and the rows that cannot be told apart (`CSK-DUP-*`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedCustomer, StagedEmployee, StagedJob, StagedPayItem,
    StagedTask, StagedTimeEntry,
};
use timebridge_core::records::pay_ids::PayCategory;

use super::file::Export;
use super::rows::{self, Context, Outcome, Shift};
use crate::folder::FolderRead;

/// The pay item of paid time off.
const TIME_OFF: &str = "time-off";

/// A name as a key: lower case, single spaces.
fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A job or task's id and label: keyed by its number or code, else by its
/// name; labelled by its name, else by its number or code.
fn named(name: &Option<String>, code: &Option<String>) -> Option<(String, String)> {
    let label = name.as_ref().or(code.as_ref())?.clone();
    let id = code.clone().unwrap_or_else(|| key(&label));
    Some((id, label))
}

/// A time entry and the row it was read from.
struct Seen {
    file: String,
    row: usize,
    record: Incoming,
}

/// Within one file, what each Employee ID, Job Number and Task Code names,
/// and on which row (`CSK-DUP-3`).
#[derive(Default)]
struct Names {
    seen: BTreeMap<(&'static str, String), (String, usize)>,
}

impl Names {
    fn check(&mut self, shift: &Shift, row: usize) -> Result<(), String> {
        let pairs = [
            ("Employee ID", &shift.employee_id, Some(&shift.name)),
            ("Job Number", &shift.job_number, shift.job.as_ref()),
            ("Task Code", &shift.task_code, shift.task.as_ref()),
        ];
        for (what, id, name) in pairs {
            let (Some(id), Some(name)) = (id, name) else {
                continue;
            };
            let (first, at) = self
                .seen
                .entry((what, id.clone()))
                .or_insert_with(|| (name.clone(), row));
            if key(first) != key(name) {
                return Err(format!(
                    "{what} {id} is {name} here but {first} on row {at}. One {what} names one \
                     record: correct it in ClockShark and export the timesheets again, or fix the file."
                ));
            }
        }
        Ok(())
    }
}

/// Everything the exports hold, and what is wrong with them.
#[derive(Default)]
pub(super) struct Collected {
    employees: BTreeMap<String, Incoming>,
    customers: BTreeMap<String, Incoming>,
    jobs: BTreeMap<String, Incoming>,
    tasks: BTreeMap<String, Incoming>,
    times: BTreeMap<String, Seen>,
    time_off: bool,
    /// The first and last day of each file read.
    covered: Vec<(NaiveDate, NaiveDate)>,
    skipped: Vec<String>,
    pub problems: Vec<String>,
}

impl Collected {
    /// Reads every row of `export`.
    pub fn file(&mut self, export: &Export, context: Context) {
        self.problems.extend(export.problems.iter().cloned());
        let mut names = Names::default();
        let mut days: Option<(NaiveDate, NaiveDate)> = None;
        for (row, values) in &export.rows {
            let at = |why: String| format!("“{}” row {row}: {why}", export.name);
            match rows::read(&export.layout, values, context) {
                Err(why) => self.problems.push(at(why)),
                Ok(Outcome::BeforePullDate) => {}
                Ok(Outcome::LeftOut(why)) => self.skipped.push(at(why)),
                Ok(Outcome::Shift(shift)) => {
                    if let Err(why) = names.check(&shift, *row) {
                        self.problems.push(at(why));
                        continue;
                    }
                    let day = shift.work_date;
                    days = Some(days.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
                    if let Err(why) = self.shift(&export.name, *row, &shift) {
                        self.problems.push(why);
                    }
                }
            }
        }
        self.covered.extend(days);
    }

    /// The records one shift names.
    fn shift(&mut self, file: &str, row: usize, shift: &Shift) -> Result<(), String> {
        let employee = shift
            .employee_id
            .clone()
            .unwrap_or_else(|| key(&shift.name));
        let person = StagedEmployee {
            first_name: shift.first.clone(),
            last_name: shift.last.clone(),
            employee_number: shift.employee_id.clone(),
            email: shift.email.clone(),
            phone: None,
            hire_date: None,
            payroll_id: PlatformField::NotOnPlatform,
            active: true,
        };
        self.employees.insert(
            employee.clone(),
            Incoming::new(employee.clone(), shift.name.clone(), person, None),
        );
        let customer = shift.customer.as_deref().map(|name| {
            let id = format!("customer:{}", key(name));
            let customer = StagedCustomer {
                name: name.to_owned(),
                email: PlatformField::Sent(None),
                phone: PlatformField::Sent(None),
                active: true,
            };
            self.customers
                .insert(id.clone(), Incoming::new(id.clone(), name, customer, None));
            id
        });
        let job = named(&shift.job, &shift.job_number).map(|(id, label)| {
            let job = StagedJob {
                name: label.clone(),
                customer_external_id: customer,
                job_number: shift.job_number.clone(),
                address: PlatformField::NotOnPlatform,
                property: PlatformField::NotOnPlatform,
                status: PlatformField::NotOnPlatform,
                active: true,
            };
            self.jobs
                .insert(id.clone(), Incoming::new(id.clone(), label, job, None));
            id
        });
        let task = named(&shift.task, &shift.task_code).map(|(id, label)| {
            let task = StagedTask {
                code: shift.task_code.clone().unwrap_or_else(|| label.clone()),
                name: label.clone(),
                job_external_id: None,
                pay_item_external_id: PlatformField::NotOnPlatform,
                active: true,
            };
            self.tasks
                .insert(id.clone(), Incoming::new(id.clone(), label, task, None));
            id
        });
        self.time_off |= shift.time_off;
        let id = shift.timesheet_id.clone().unwrap_or_else(|| {
            let fingerprint = format!(
                "{employee}\u{1f}{}\u{1f}{}\u{1f}{}",
                shift.when,
                job.as_deref().unwrap_or_default(),
                task.as_deref().unwrap_or_default()
            );
            format!(
                "row-{:016x}",
                xxhash_rust::xxh3::xxh3_64(fingerprint.as_bytes())
            )
        });
        let entry = StagedTimeEntry {
            employee_external_id: employee,
            job_external_id: job,
            task_external_id: task,
            pay_item_external_id: shift.time_off.then(|| TIME_OFF.to_owned()),
            span: shift.span.clone(),
            notes: shift.notes.clone(),
        };
        let record = Incoming::new(
            id.clone(),
            format!("{} · {}", shift.name, shift.work_date),
            entry,
            Some(shift.work_date),
        );
        let what = match &shift.timesheet_id {
            Some(id) => format!("Timesheet ID {id}"),
            None => shift.described.clone(),
        };
        match self.times.get(&id) {
            None => {
                self.times.insert(
                    id,
                    Seen {
                        file: file.to_owned(),
                        row,
                        record,
                    },
                );
                Ok(())
            }
            Some(seen) if seen.file == file => Err(format!(
                "“{file}” rows {} and {row} are the same shift ({what}). Remove one of them, or \
                 export the timesheets again from ClockShark.",
                seen.row
            )),
            Some(seen) if seen.record.data == record.data && seen.record.label == record.label => {
                Ok(())
            }
            Some(seen) => Err(format!(
                "“{}” row {} and “{file}” row {row} are the same shift ({what}) with different \
                 values. Move the older export out of the folder.",
                seen.file, seen.row
            )),
        }
    }

    /// The records read, per module, with the days each file covers and
    /// the rows left out.
    pub fn into_read(self) -> FolderRead {
        let values = |map: BTreeMap<String, Incoming>| map.into_values().collect::<Vec<_>>();
        let pay_items = if self.time_off {
            let time_off = StagedPayItem {
                code: "Time Off".into(),
                name: "Time Off".into(),
                category: PayCategory::Pto,
                multiplier: PlatformField::NotOnPlatform,
                active: true,
            };
            vec![Incoming::new(TIME_OFF, "Time Off", time_off, None)]
        } else {
            Vec::new()
        };
        FolderRead {
            dates: self.covered,
            modules: vec![
                (Module::Employees, values(self.employees)),
                (Module::Customers, values(self.customers)),
                (Module::Jobs, values(self.jobs)),
                (Module::Tasks, values(self.tasks)),
                (Module::PayItems, pay_items),
                (
                    Module::TimeEntries,
                    self.times.into_values().map(|s| s.record).collect(),
                ),
            ],
            skipped: self.skipped,
        }
    }
}
