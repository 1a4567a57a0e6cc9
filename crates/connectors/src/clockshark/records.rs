//! The staged records the exports make (`CSK-MAP-*`): each employee,
//! customer, job, task and time entry once, the days each file covers, and
//! the rows that cannot be told apart (`CSK-DUP-*`); the lists' records
//! over the ones the timesheets name (`CSK-LIST-4` to `CSK-LIST-6`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedCustomer, StagedEmployee, StagedJob, StagedPayItem,
    StagedTask, StagedTimeEntry,
};
use timebridge_core::records::pay_ids::PayCategory;

use super::columns::Kind;
use super::file::{Export, Opened};
use super::lists;
use super::rows::{self, Context, Outcome, Shift};
use crate::folder::{BeforePull, FolderRead};

/// The pay item of paid time off.
const TIME_OFF: &str = "time-off";

/// A name as a key: lower case, single spaces.
pub(super) fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A job or task's id and label: keyed by its number or code, else by its
/// name; labelled by its name, else by its number or code.
pub(super) fn named(name: &Option<String>, code: &Option<String>) -> Option<(String, String)> {
    let label = name.as_ref().or(code.as_ref())?.clone();
    let id = code.clone().unwrap_or_else(|| key(&label));
    Some((id, label))
}

/// An employee as staged.
pub(super) struct Person {
    pub id: String,
    pub name: String,
    pub first: String,
    pub last: String,
    pub number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

impl Person {
    pub fn staged(self) -> Incoming {
        let person = StagedEmployee {
            first_name: self.first,
            last_name: self.last,
            employee_number: self.number,
            email: self.email,
            phone: self.phone,
            hire_date: None,
            payroll_id: PlatformField::NotOnPlatform,
            active: self.active,
            wages: Vec::new(),
        };
        Incoming::new(self.id, self.name, person, None)
    }
}

/// A customer as staged, keyed `customer:` and its name.
pub(super) fn customer(name: &str) -> Incoming {
    let id = format!("customer:{}", key(name));
    let customer = StagedCustomer {
        name: name.to_owned(),
        email: PlatformField::Sent(None),
        phone: PlatformField::Sent(None),
        active: true,
    };
    Incoming::new(id, name, customer, None)
}

/// A job as staged.
pub(super) struct Job {
    pub customer: Option<String>,
    pub number: Option<String>,
    pub address: PlatformField<Option<String>>,
    pub active: bool,
}

impl Job {
    pub fn staged(self, id: &str, label: &str) -> Incoming {
        let job = StagedJob {
            name: label.to_owned(),
            customer_external_id: self.customer,
            job_number: self.number,
            address: self.address,
            property: PlatformField::NotOnPlatform,
            status: PlatformField::NotOnPlatform,
            active: self.active,
        };
        Incoming::new(id, label, job, None)
    }
}

/// A task as staged, under no job (S7).
pub(super) fn task(id: &str, label: &str, code: Option<&String>, active: bool) -> Incoming {
    let task = StagedTask {
        code: code.cloned().unwrap_or_else(|| label.to_owned()),
        name: label.to_owned(),
        job_external_id: None,
        pay_item_external_id: PlatformField::NotOnPlatform,
        active,
    };
    Incoming::new(id, label, task, None)
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
    /// The file each kind of list was read from (one of each, `CSK-LIST-4`).
    lists: BTreeMap<Kind, String>,
    /// The lists' records, per module: over the timesheets' (`CSK-LIST-5`).
    listed: BTreeMap<Module, BTreeMap<String, Incoming>>,
    /// The modules read from a whole list (`CSK-LIST-6`).
    whole: Vec<Module>,
    /// The files of no kind read (`CSK-KIND-2`).
    files_skipped: Vec<String>,
    /// The shifts dated before the pull date.
    pub before_pull: BeforePull,
    pub problems: Vec<String>,
}

impl Collected {
    /// Reads a file of the folder, as its kind.
    pub fn opened(&mut self, opened: &Opened, context: Context) {
        match opened {
            Opened::Skipped(why) => self.files_skipped.push(why.clone()),
            Opened::Export(export) if export.layout.kind == Kind::Timesheets => {
                self.file(export, context);
            }
            Opened::Export(export) => self.list(export),
        }
    }

    /// Reads an employee, job or task list; one of each kind.
    fn list(&mut self, export: &Export) {
        let kind = export.layout.kind;
        if let Some(first) = self.lists.get(&kind) {
            self.problems.push(format!(
                "“{first}” and “{}” are both {}s: Timebridge reads one list of each kind. Move the \
                 older one out of the folder.",
                export.name,
                kind.name()
            ));
            return;
        }
        self.lists.insert(kind, export.name.clone());
        self.problems.extend(export.problems.iter().cloned());
        let read = lists::read(export);
        self.problems.extend(read.problems);
        for (module, records) in read.records {
            self.listed.entry(module).or_default().extend(records);
        }
        self.whole.extend(read.whole);
    }

    /// Reads every row of a timesheet export.
    fn file(&mut self, export: &Export, context: Context) {
        self.problems.extend(export.problems.iter().cloned());
        let mut names = Names::default();
        let mut days: Option<(NaiveDate, NaiveDate)> = None;
        for (row, values) in &export.rows {
            let at = |why: String| format!("“{}” row {row}: {why}", export.name);
            match rows::read(&export.layout, values, context) {
                Err(why) => self.problems.push(at(why)),
                Ok(Outcome::BeforePullDate(day)) => self.before_pull.add(day),
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
        let person = Person {
            id: employee.clone(),
            name: shift.name.clone(),
            first: shift.first.clone(),
            last: shift.last.clone(),
            number: shift.employee_id.clone(),
            email: shift.email.clone(),
            phone: None,
            active: true,
        };
        self.employees.insert(employee.clone(), person.staged());
        let customer = shift.customer.as_deref().map(|name| {
            let customer = customer(name);
            let id = customer.external_id.clone();
            self.customers.insert(id.clone(), customer);
            id
        });
        let job = named(&shift.job, &shift.job_number).map(|(id, label)| {
            let job = Job {
                customer,
                number: shift.job_number.clone(),
                address: PlatformField::NotOnPlatform,
                active: true,
            };
            self.jobs.insert(id.clone(), job.staged(&id, &label));
            id
        });
        let task = named(&shift.task, &shift.task_code).map(|(id, label)| {
            let task = task(&id, &label, shift.task_code.as_ref(), true);
            self.tasks.insert(id.clone(), task);
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
    pub fn into_read(mut self) -> FolderRead {
        let mut listed = std::mem::take(&mut self.listed);
        let mut values = |module: Module, mut map: BTreeMap<String, Incoming>| {
            map.extend(listed.remove(&module).unwrap_or_default());
            map.into_values().collect::<Vec<_>>()
        };
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
        let mut modules = vec![
            (Module::Employees, values(Module::Employees, self.employees)),
            (Module::Customers, values(Module::Customers, self.customers)),
            (Module::Jobs, values(Module::Jobs, self.jobs)),
            (Module::Tasks, values(Module::Tasks, self.tasks)),
        ];
        if self.whole.contains(&Module::Budgets) {
            modules.push((Module::Budgets, values(Module::Budgets, BTreeMap::new())));
        }
        modules.push((Module::PayItems, pay_items));
        let times = self.times.into_values().map(|s| s.record).collect();
        modules.push((Module::TimeEntries, times));
        FolderRead {
            dates: self.covered,
            modules,
            skipped: self.skipped,
            whole: self.whole,
            files_skipped: self.files_skipped,
            files_left_out: Vec::new(),
            before_pull: self.before_pull,
        }
    }
}
