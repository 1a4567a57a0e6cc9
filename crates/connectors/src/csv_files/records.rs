//! The staged records a file's rows make: each time entry under a stable
//! id, and the employees, jobs, tasks and pay items the rows name (each
//! once, as ClockShark's timesheet rows make them), with the days each file
//! covers.
//!
//! A time entry's id is a hash of its key columns: the employee (number,
//! else name), the day, the start, the job, task and pay ID, and which
//! occurrence of that key it is in its file. A re-export of the same rows in
//! another order makes the same ids; an edit of an end, hours, break or
//! notes updates the entry; an edit of a key column makes another entry (and
//! removes the old one within the days the file covers).

use std::collections::BTreeMap;

use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedEmployee, StagedJob, StagedPayItem, StagedTask,
    StagedTimeEntry,
};
use timebridge_core::records::pay_ids::PayCategory;

use super::read::Row;

/// A name as a key: lower case, single spaces.
fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "Last, First" or "First Last" as its first and last names.
fn names(name: &str) -> (String, String) {
    if let Some((last, first)) = name.split_once(',') {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    match name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.to_owned()),
        None => (String::new(), name.trim().to_owned()),
    }
}

/// The records of the files read so far.
#[derive(Default)]
pub(super) struct Collected {
    employees: BTreeMap<String, Incoming>,
    jobs: BTreeMap<String, Incoming>,
    tasks: BTreeMap<String, Incoming>,
    pay_items: BTreeMap<String, Incoming>,
    times: BTreeMap<String, Incoming>,
}

/// One file's rows, before they are kept (all of them, or none).
#[derive(Default)]
pub(super) struct FileRows {
    rows: Vec<Row>,
}

impl FileRows {
    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

impl Collected {
    /// Keeps every row of a file read whole.
    pub fn keep(&mut self, file: FileRows) {
        let mut occurrences: BTreeMap<String, usize> = BTreeMap::new();
        for row in file.rows {
            let fingerprint = self.row(&row);
            let n = occurrences.entry(fingerprint.clone()).or_default();
            *n += 1;
            let fingerprint = match *n {
                1 => fingerprint,
                n => format!("{fingerprint}\u{1f}#{n}"),
            };
            let id = format!(
                "row-{:016x}",
                xxhash_rust::xxh3::xxh3_64(fingerprint.as_bytes())
            );
            let employee = employee_id(&row);
            let entry = StagedTimeEntry {
                employee_external_id: employee.clone(),
                job_external_id: row.job.as_deref().map(key),
                task_external_id: row.task.as_deref().map(key),
                pay_item_external_id: row.pay_id.as_deref().map(key),
                span: row.span,
                notes: row.notes,
            };
            let record = Incoming::new(
                id.clone(),
                format!("{} · {}", self.shown(&employee), row.date),
                entry,
                Some(row.date),
            );
            // A later file (by name) over an earlier one of the same row.
            self.times.insert(id, record);
        }
    }

    /// Stages what one row names (each record once: the first row naming
    /// it); its key columns, joined.
    fn row(&mut self, row: &Row) -> String {
        let employee = employee_id(row);
        if !self.employees.contains_key(&employee) {
            let (first, last) = match &row.name {
                Some(name) => names(name),
                None => (String::new(), row.number.clone().unwrap_or_default()),
            };
            let shown = format!("{first} {last}").trim().to_owned();
            let person = StagedEmployee {
                first_name: first,
                last_name: last,
                employee_number: row.number.clone(),
                email: None,
                phone: None,
                hire_date: None,
                payroll_id: PlatformField::NotOnPlatform,
                active: true,
                wages: Vec::new(),
            };
            self.employees.insert(
                employee.clone(),
                Incoming::new(employee.clone(), shown, person, None),
            );
        }
        let named = |map: &mut BTreeMap<String, Incoming>,
                     name: &Option<String>,
                     make: &dyn Fn(&str) -> Incoming| {
            if let Some(name) = name
                && !map.contains_key(&key(name))
            {
                map.insert(key(name), make(name));
            }
        };
        named(&mut self.jobs, &row.job, &|name| {
            let job = StagedJob {
                name: name.to_owned(),
                customer_external_id: None,
                job_number: None,
                address: PlatformField::NotOnPlatform,
                property: PlatformField::NotOnPlatform,
                status: PlatformField::NotOnPlatform,
                active: true,
            };
            Incoming::new(key(name), name, job, None)
        });
        named(&mut self.tasks, &row.task, &|name| {
            let task = StagedTask {
                code: name.to_owned(),
                name: name.to_owned(),
                job_external_id: None,
                pay_item_external_id: PlatformField::NotOnPlatform,
                active: true,
            };
            Incoming::new(key(name), name, task, None)
        });
        named(&mut self.pay_items, &row.pay_id, &|name| {
            let item = StagedPayItem {
                code: name.to_owned(),
                name: name.to_owned(),
                category: PayCategory::Regular,
                multiplier: PlatformField::NotOnPlatform,
                active: true,
            };
            Incoming::new(key(name), name, item, None)
        });
        let start = row.start.map(|s| s.to_string()).unwrap_or_default();
        [
            employee.as_str(),
            &row.date.to_string(),
            &start,
            &row.job.as_deref().map(key).unwrap_or_default(),
            &row.task.as_deref().map(key).unwrap_or_default(),
            &row.pay_id.as_deref().map(key).unwrap_or_default(),
        ]
        .join("\u{1f}")
    }

    /// The employee's name as lists show it.
    fn shown(&self, employee: &str) -> String {
        self.employees
            .get(employee)
            .map(|e| e.label.clone())
            .unwrap_or_else(|| employee.to_owned())
    }

    /// The records, per module.
    pub fn into_modules(self) -> Vec<(Module, Vec<Incoming>)> {
        let values = |map: BTreeMap<String, Incoming>| map.into_values().collect::<Vec<_>>();
        vec![
            (Module::Employees, values(self.employees)),
            (Module::Jobs, values(self.jobs)),
            (Module::Tasks, values(self.tasks)),
            (Module::PayItems, values(self.pay_items)),
            (Module::TimeEntries, values(self.times)),
        ]
    }
}

/// The employee's id: its number, else its name as a key.
fn employee_id(row: &Row) -> String {
    match (&row.number, &row.name) {
        (Some(number), _) => number.clone(),
        (None, Some(name)) => key(name),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_splits_as_last_comma_first_or_first_last() {
        assert_eq!(names("Ortiz, Ana"), ("Ana".into(), "Ortiz".into()));
        assert_eq!(names("Mary Ann Lee"), ("Mary Ann".into(), "Lee".into()));
        assert_eq!(names("Cher"), (String::new(), "Cher".into()));
    }
}
