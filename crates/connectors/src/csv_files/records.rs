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

use std::collections::HashMap;
use std::fmt::Write as _;

use timebridge_core::middleware::{
    Module, PlatformField, Serialized, StagedEmployee, StagedJob, StagedPayItem, StagedTask,
    StagedTimeEntry,
};
use timebridge_core::records::pay_ids::PayCategory;

use super::read::Row;

/// A name as a key: lower case, single spaces.
fn key(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    if joined.is_ascii() {
        joined.make_ascii_lowercase();
        joined
    } else {
        joined.to_lowercase()
    }
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

/// The records of the files read so far, each under its key (a time
/// entry under the hash its id is written from).
#[derive(Default)]
pub(super) struct Collected {
    employees: HashMap<String, Serialized>,
    jobs: HashMap<String, Serialized>,
    tasks: HashMap<String, Serialized>,
    pay_items: HashMap<String, Serialized>,
    times: HashMap<u64, Serialized>,
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

    /// These rows, then `more`.
    pub fn extend(&mut self, more: FileRows) {
        self.rows.extend(more.rows);
    }
}

/// A row's key columns: the employee's id and the names as keys.
struct Keys {
    employee: String,
    job: Option<String>,
    task: Option<String>,
    pay_id: Option<String>,
}

impl Keys {
    fn of(row: &Row) -> Keys {
        Keys {
            employee: employee_id(row),
            job: row.job.as_deref().map(key),
            task: row.task.as_deref().map(key),
            pay_id: row.pay_id.as_deref().map(key),
        }
    }

    /// The key columns joined (the day and start as chrono writes them),
    /// written into `out`.
    fn fingerprint(&self, row: &Row, out: &mut String) {
        const SEPARATOR: char = '\u{1f}';
        out.clear();
        let _ = write!(out, "{}{SEPARATOR}{}{SEPARATOR}", self.employee, row.date);
        if let Some(start) = row.start {
            let _ = write!(out, "{start}");
        }
        for part in [&self.job, &self.task, &self.pay_id] {
            out.push(SEPARATOR);
            out.push_str(part.as_deref().unwrap_or_default());
        }
    }
}

impl Collected {
    /// Keeps every row of a file read whole.
    pub fn keep(&mut self, file: FileRows) {
        let mut occurrences: HashMap<String, usize> = HashMap::with_capacity(file.rows.len());
        let mut fingerprint = String::new();
        let mut pending = Vec::with_capacity(file.rows.len());
        for row in file.rows {
            let keys = Keys::of(&row);
            self.name(&row, &keys);
            keys.fingerprint(&row, &mut fingerprint);
            let n = match occurrences.get_mut(fingerprint.as_str()) {
                Some(n) => {
                    *n += 1;
                    *n
                }
                None => {
                    occurrences.insert(fingerprint.clone(), 1);
                    1
                }
            };
            let hash = match n {
                1 => xxhash_rust::xxh3::xxh3_64(fingerprint.as_bytes()),
                n => xxhash_rust::xxh3::xxh3_64(format!("{fingerprint}\u{1f}#{n}").as_bytes()),
            };
            let label = format!("{} · {}", self.shown(&keys.employee), row.date);
            let entry = StagedTimeEntry {
                employee_external_id: keys.employee,
                job_external_id: keys.job,
                task_external_id: keys.task,
                pay_item_external_id: keys.pay_id,
                span: row.span,
                notes: row.notes,
            };
            pending.push((hash, label, entry, row.date));
        }
        // A later file (by name) over an earlier one of the same row.
        self.times.extend(serialize_all(pending));
    }

    /// Stages what one row names (each record once: the first row naming
    /// it).
    fn name(&mut self, row: &Row, keys: &Keys) {
        let employee = &keys.employee;
        if !self.employees.contains_key(employee) {
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
                Serialized::new(employee.clone(), shown, person, None),
            );
        }
        let named = |map: &mut HashMap<String, Serialized>,
                     name: &Option<String>,
                     key: &Option<String>,
                     make: &dyn Fn(&str, &str) -> Serialized| {
            if let (Some(name), Some(key)) = (name, key)
                && !map.contains_key(key)
            {
                map.insert(key.clone(), make(key, name));
            }
        };
        named(&mut self.jobs, &row.job, &keys.job, &|key, name| {
            let job = StagedJob {
                name: name.to_owned(),
                customer_external_id: None,
                job_number: None,
                address: PlatformField::NotOnPlatform,
                property: PlatformField::NotOnPlatform,
                status: PlatformField::NotOnPlatform,
                active: true,
            };
            Serialized::new(key, name, job, None)
        });
        named(&mut self.tasks, &row.task, &keys.task, &|key, name| {
            let task = StagedTask {
                code: name.to_owned(),
                name: name.to_owned(),
                job_external_id: None,
                pay_item_external_id: PlatformField::NotOnPlatform,
                active: true,
            };
            Serialized::new(key, name, task, None)
        });
        named(
            &mut self.pay_items,
            &row.pay_id,
            &keys.pay_id,
            &|key, name| {
                let item = StagedPayItem {
                    code: name.to_owned(),
                    name: name.to_owned(),
                    category: PayCategory::Regular,
                    multiplier: PlatformField::NotOnPlatform,
                    active: true,
                };
                Serialized::new(key, name, item, None)
            },
        );
    }

    /// The employee's name as lists show it.
    fn shown<'a>(&'a self, employee: &'a str) -> &'a str {
        self.employees
            .get(employee)
            .map_or(employee, |e| e.label.as_str())
    }

    /// The records, per module, each module's in the order of its keys.
    pub fn into_modules(self) -> Vec<(Module, Vec<Serialized>)> {
        fn sorted<K: Ord>(map: HashMap<K, Serialized>) -> Vec<Serialized> {
            let mut records: Vec<(K, Serialized)> = map.into_iter().collect();
            records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            records.into_iter().map(|(_, r)| r).collect()
        }
        vec![
            (Module::Employees, sorted(self.employees)),
            (Module::Jobs, sorted(self.jobs)),
            (Module::Tasks, sorted(self.tasks)),
            (Module::PayItems, sorted(self.pay_items)),
            (Module::TimeEntries, sorted(self.times)),
        ]
    }
}

/// A time entry to stage: its id's hash, label, data and day.
type Pending = (u64, String, StagedTimeEntry, chrono::NaiveDate);

/// Below this many entries they are written as staged text on one thread.
const PARALLEL_FROM: usize = 8_192;

/// Each entry as the text it is staged as, in order. Writing an entry
/// depends on nothing but the entry, so many are written on every core
/// (at most four) and joined in order.
fn serialize_all(pending: Vec<Pending>) -> Vec<(u64, Serialized)> {
    let one = |(hash, label, entry, day): Pending| {
        (
            hash,
            Serialized::new(format!("row-{hash:016x}"), label, entry, Some(day)),
        )
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(4);
    if threads < 2 || pending.len() < PARALLEL_FROM {
        return pending.into_iter().map(one).collect();
    }
    let run = pending.len().div_ceil(threads);
    let mut runs: Vec<Vec<Pending>> = Vec::with_capacity(threads);
    let mut rest = pending;
    while rest.len() > run {
        let tail = rest.split_off(run);
        runs.push(rest);
        rest = tail;
    }
    runs.push(rest);
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.into_iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
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
    fn entries_written_on_several_threads_are_the_text_one_thread_writes_in_order() {
        use timebridge_core::records::time_entries::TimeSpan;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
        let pending: Vec<Pending> = (0..(3 * PARALLEL_FROM as u64 + 5))
            .map(|n| {
                let entry = StagedTimeEntry {
                    employee_external_id: format!("E{}", n % 97),
                    job_external_id: Some(format!("job {}", n % 13)),
                    task_external_id: None,
                    pay_item_external_id: None,
                    span: TimeSpan::Manual {
                        date: day,
                        duration_seconds: 3600 + n as i64,
                    },
                    notes: format!("row {n}"),
                };
                (n, format!("E{n} · {day}"), entry, day)
            })
            .collect();
        let one: Vec<(u64, Serialized)> = pending
            .iter()
            .cloned()
            .map(|(hash, label, entry, day)| {
                (
                    hash,
                    Serialized::new(format!("row-{hash:016x}"), label, entry, Some(day)),
                )
            })
            .collect();
        assert_eq!(
            serialize_all(pending),
            one,
            "the same records, in the same order, as written one by one"
        );
    }

    #[test]
    fn a_name_splits_as_last_comma_first_or_first_last() {
        assert_eq!(names("Ortiz, Ana"), ("Ana".into(), "Ortiz".into()));
        assert_eq!(names("Mary Ann Lee"), ("Mary Ann".into(), "Lee".into()));
        assert_eq!(names("Cher"), (String::new(), "Cher".into()));
    }

    #[test]
    fn a_key_is_the_name_lower_case_with_single_spaces() {
        let joined = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for name in [
            "",
            "  ",
            "Job 7",
            "  Deck \t\u{b}Repair\r\n ",
            "ÉTÉ  Øst",
            "İstanbul",
            "a\u{a0}b",
            "MIXED case  Words",
        ] {
            assert_eq!(key(name), joined(name), "{name:?}");
        }
    }
}
