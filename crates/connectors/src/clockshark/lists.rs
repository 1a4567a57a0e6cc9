//! The employee, job and task lists (`CSK-LIST-*`): each row a record, its
//! values checked (`CSK-LIST-1` to `CSK-LIST-3`), one row per record
//! (`CSK-LIST-4`), the job list's budgets beside its jobs. A list is whole,
//! so the modules it fills are said to be (`CSK-LIST-6`).

use std::collections::BTreeMap;

use timebridge_core::middleware::{Incoming, Module, PlatformField, StagedBudget};

use super::columns::{Column, Kind, Layout};
use super::file::Export;
use super::records::{self, Job, Person, key, named};
use super::rows;
use super::values::{parse_amount, parse_hours};

/// What to do about a list's row refused.
const FIX: &str = "Correct it in ClockShark and export the list again, or fix the row in the file.";

/// What one list holds.
#[derive(Default)]
pub(super) struct Listed {
    pub records: BTreeMap<Module, BTreeMap<String, Incoming>>,
    /// The modules the list holds whole.
    pub whole: Vec<Module>,
    pub problems: Vec<String>,
}

/// A row of a list, with what it is refused for.
struct Row<'a> {
    layout: &'a Layout,
    values: &'a [String],
}

impl Row<'_> {
    fn get(&self, c: Column) -> Option<String> {
        self.layout.get(self.values, c).map(str::to_owned)
    }

    /// The row refused at column `c`.
    fn refused(&self, c: Column, why: String) -> String {
        format!("{}: {why} {FIX}", self.layout.place(c))
    }

    /// Active unless its Status says Inactive (`CSK-LIST-2`).
    fn active(&self) -> Result<bool, String> {
        match self.get(Column::Status) {
            None => Ok(true),
            Some(s) if s.eq_ignore_ascii_case("active") => Ok(true),
            Some(s) if s.eq_ignore_ascii_case("inactive") => Ok(false),
            Some(s) => {
                Err(self.refused(Column::Status, format!("“{s}” is not Active or Inactive.")))
            }
        }
    }

    /// The value of `c` read by `parse` (`CSK-LIST-3`).
    fn number(
        &self,
        c: Column,
        parse: fn(&str) -> Option<i64>,
        example: &str,
    ) -> Result<Option<i64>, String> {
        self.get(c)
            .map(|text| {
                parse(&text).ok_or_else(|| self.refused(c, format!("“{text}” is not {example}.")))
            })
            .transpose()
    }
}

/// One record a row makes, the row's own record first.
struct Made {
    module: Module,
    record: Incoming,
}

fn employee(row: &Row) -> Result<Vec<Made>, String> {
    let (name, first, last) = rows::names(row.layout, row.values);
    if name.is_empty() {
        let at = if row.layout.has(Column::Employee) {
            Column::Employee
        } else {
            Column::FirstName
        };
        return Err(row.refused(at, "the row names no employee. Fill in the name.".into()));
    }
    let number = row.get(Column::EmployeeId);
    let person = Person {
        id: number.clone().unwrap_or_else(|| key(&name)),
        name,
        first,
        last,
        number,
        email: row.get(Column::Email),
        phone: row.get(Column::Phone),
        active: row.active()?,
    };
    Ok(vec![Made {
        module: Module::Employees,
        record: person.staged(),
    }])
}

fn job(row: &Row) -> Result<Vec<Made>, String> {
    let number = row.get(Column::JobNumber);
    let Some((id, label)) = named(&row.get(Column::Job), &number) else {
        return Err(row.refused(
            Column::Job,
            "the row names no job. Fill in Job or Job Number.".into(),
        ));
    };
    let hours = row.number(
        Column::BudgetHours,
        parse_hours,
        "a number of hours (e.g. 120 or 120.5)",
    )?;
    let cost = row.number(
        Column::BudgetCost,
        parse_amount,
        "an amount (e.g. 12500.00 or $12,500.00)",
    )?;
    let mut made = Vec::new();
    let customer = row.get(Column::Customer).map(|name| {
        let customer = records::customer(&name);
        let id = customer.external_id.clone();
        made.push(Made {
            module: Module::Customers,
            record: customer,
        });
        id
    });
    let address = if row.layout.has(Column::Address) {
        PlatformField::Sent(row.get(Column::Address))
    } else {
        PlatformField::NotOnPlatform
    };
    let job = Job {
        customer,
        number,
        address,
        active: row.active()?,
    };
    made.insert(
        0,
        Made {
            module: Module::Jobs,
            record: job.staged(&id, &label),
        },
    );
    if hours.is_some() || cost.is_some() {
        let budget = StagedBudget {
            job_external_id: Some(id.clone()),
            task_external_id: None,
            budget_seconds: hours,
            amount_cents: cost,
            notes: label.clone(),
        };
        made.push(Made {
            module: Module::Budgets,
            record: Incoming::new(format!("budget:{id}"), label, budget, None),
        });
    }
    Ok(made)
}

fn task(row: &Row) -> Result<Vec<Made>, String> {
    let code = row.get(Column::TaskCode);
    let Some((id, label)) = named(&row.get(Column::Task), &code) else {
        return Err(row.refused(
            Column::Task,
            "the row names no task. Fill in Task or Task Code.".into(),
        ));
    };
    Ok(vec![Made {
        module: Module::Tasks,
        record: records::task(&id, &label, code.as_ref(), row.active()?),
    }])
}

/// What a row of one kind of list makes, or the message refusing it.
type Maker = fn(&Row) -> Result<Vec<Made>, String>;

/// Reads every row of a list.
pub(super) fn read(export: &Export) -> Listed {
    let layout = &export.layout;
    let (make, whole): (Maker, Vec<Module>) = match layout.kind {
        Kind::Employees => (employee, vec![Module::Employees]),
        Kind::Jobs if layout.has(Column::Customer) => {
            (job, vec![Module::Jobs, Module::Budgets, Module::Customers])
        }
        Kind::Jobs => (job, vec![Module::Jobs, Module::Budgets]),
        Kind::Tasks => (task, vec![Module::Tasks]),
        Kind::Timesheets => return Listed::default(), // read as shifts
    };
    let mut listed = Listed {
        whole,
        ..Listed::default()
    };
    // The row each record is on, for two rows alike (`CSK-LIST-4`).
    let mut on: BTreeMap<(Module, String), usize> = BTreeMap::new();
    for (row, values) in &export.rows {
        let at = |why: String| format!("“{}” row {row}, {why}", export.name);
        let made = match make(&Row { layout, values }) {
            Ok(made) => made,
            Err(why) => {
                listed.problems.push(at(why));
                continue;
            }
        };
        // The row's own record is first: a second row of it is refused whole.
        let own = &made[0];
        let id = own.record.external_id.clone();
        if let Some(first) = on.insert((own.module, id.clone()), *row) {
            let what = match own.module {
                Module::Employees => "employee",
                Module::Jobs => "job",
                _ => "task",
            };
            listed.problems.push(format!(
                "“{}” rows {first} and {row} are the same {what} ({id}). Remove one of them, or \
                 export the list again from ClockShark.",
                export.name
            ));
            continue;
        }
        for Made { module, record } in made {
            let id = record.external_id.clone();
            listed.records.entry(module).or_default().insert(id, record);
        }
    }
    listed
}
