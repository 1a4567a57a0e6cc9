//! Sage's rows as staged records, each keyed by the Sage keys the Import
//! Time file names:
//!
//! | Sage list | module | external id | fields |
//! |---|---|---|---|
//! | employee | Employees | employee number (`104`) | names, number, active unless Inactive or Terminated |
//! | job | Jobs | job (`03-003`) | description as name, job as job number, status; active unless Closed |
//! | extra | Jobs | job `~` extra (`03-003~01`) | “job · extra” descriptions, the job as job number, the job's status |
//! | cost code | Tasks | job key `~` cost code (`03-003~~1-065`, `03-003~01~1-065`) | cost code as code, description, the job (or extra) as job |
//! | category | Tasks | cost code's id `~` category (`03-003~~1-065~L`) | the same, with the category's description |
//! | pay ID | PayItems | pay ID (`REG`) | description, kind of pay from its type |
//!
//! A job key is the job's id, or its extra's; a cost code's and a
//! category's id are built on it with an empty extra (`~~`) when none, so
//! every id splits back into the Sage keys it was made from (the key
//! functions are the payroll target's,
//! `timebridge_core::payroll::targets::sage300_cre`).
//!
//! Rows without their key are left out and reported; two rows with one key,
//! or an extra, cost code or category of a job (or extra, or cost code) the
//! lists do not have, refuse the read: the lists contradict each other.

use std::collections::BTreeMap;

use timebridge_core::middleware::payloads::{
    PlatformField, StagedEmployee, StagedJob, StagedPayItem, StagedTask,
};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::payroll::targets::sage300_cre::{category_key, cost_code_key, job_key};
use timebridge_core::records::pay_ids::PayCategory;

use super::Raw;
use super::tables::{Field, List, table};
use crate::lists::ListsRead;

/// A Sage employee status that means no longer employed (assumed words).
fn employed(status: &str) -> bool {
    !matches!(
        status.trim().to_ascii_lowercase().as_str(),
        "inactive" | "terminated"
    )
}

/// A job status that means closed (TBL lists `Closed`).
fn open(status: &str) -> bool {
    !status.trim().eq_ignore_ascii_case("closed")
}

fn pay_category(kind: &str) -> PayCategory {
    match kind.trim().to_ascii_lowercase().as_str() {
        "regular" | "hourly" => PayCategory::Regular,
        "overtime" => PayCategory::Overtime,
        "double time" | "doubletime" => PayCategory::DoubleTime,
        "vacation" | "pto" => PayCategory::Pto,
        "sick" => PayCategory::Sick,
        "holiday" => PayCategory::Holiday,
        _ => PayCategory::Other,
    }
}

/// The records a read makes, per module, with what was left out; `Err`:
/// every contradiction found.
pub(super) fn records(raw: Raw) -> Result<ListsRead, Vec<String>> {
    let mut read = ListsRead {
        skipped: raw.skipped,
        ..ListsRead::default()
    };
    let mut problems = Vec::new();
    // Every id once; `what` names it in a message.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut unique = |module: Module, id: &str, at: &str, problems: &mut Vec<String>| {
        let previous = seen.insert(format!("{}|{id}", module.as_str()), at.to_owned());
        match previous {
            Some(first) => {
                problems.push(format!(
                    "{at} repeats {first}'s key “{id}”. Correct the list in Sage 300 CRE."
                ));
                false
            }
            None => true,
        }
    };
    // Jobs (and extras) by id: their name and whether open.
    let mut jobs: BTreeMap<String, (String, String, bool)> = BTreeMap::new();
    let mut cost_codes: BTreeMap<String, String> = BTreeMap::new();
    let (mut employees, mut job_records, mut tasks, mut pay_items) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (list, rows) in raw.tables {
        let table = table(list);
        let count = rows.len();
        for row in rows {
            let get = |field: Field| -> &str {
                table
                    .at(field)
                    .and_then(|at| row.values.get(at))
                    .map_or("", |v| v.as_str())
            };
            let keys: &[Field] = match list {
                List::Employees => &[Field::Employee],
                List::Jobs => &[Field::Job],
                List::Extras => &[Field::Job, Field::Extra],
                List::CostCodes => &[Field::Job, Field::CostCode],
                List::Categories => &[Field::Job, Field::CostCode, Field::Category],
                List::PayIds => &[Field::PayId],
            };
            let blank: Vec<&str> = table
                .columns
                .iter()
                .filter(|c| keys.contains(&c.field) && get(c.field).is_empty())
                .map(|c| c.name)
                .collect();
            if !blank.is_empty() {
                read.skipped.push(format!(
                    "{} has no {}; it was left out.",
                    row.at,
                    blank.join(" or ")
                ));
                continue;
            }
            let description = get(Field::Description);
            match list {
                List::Employees => {
                    let number = get(Field::Employee);
                    if !unique(Module::Employees, number, &row.at, &mut problems) {
                        continue;
                    }
                    let (first, last) = (get(Field::FirstName), get(Field::LastName));
                    let name = format!("{first} {last}").trim().to_owned();
                    let label = if name.is_empty() {
                        number.to_owned()
                    } else {
                        name
                    };
                    employees.push(Incoming::new(
                        number,
                        label,
                        StagedEmployee {
                            first_name: first.to_owned(),
                            last_name: last.to_owned(),
                            employee_number: Some(number.to_owned()),
                            email: None,
                            phone: None,
                            hire_date: None,
                            payroll_id: PlatformField::NotOnPlatform,
                            active: employed(get(Field::Status)),
                            wages: Vec::new(),
                        },
                        None,
                    ));
                }
                List::Jobs | List::Extras => {
                    let job = get(Field::Job);
                    let extra = if list == List::Extras {
                        get(Field::Extra)
                    } else {
                        ""
                    };
                    let id = job_key(job, extra);
                    if !unique(Module::Jobs, &id, &row.at, &mut problems) {
                        continue;
                    }
                    let (name, status, active) = if list == List::Jobs {
                        let status = get(Field::Status).to_owned();
                        let name = if description.is_empty() {
                            job
                        } else {
                            description
                        };
                        (name.to_owned(), status.clone(), open(&status))
                    } else {
                        let Some((job_name, status, active)) = jobs.get(job).cloned() else {
                            problems.push(format!(
                                "{} is an extra of job {job}, which the job list does not have.",
                                row.at
                            ));
                            continue;
                        };
                        let own = if description.is_empty() {
                            extra
                        } else {
                            description
                        };
                        (format!("{job_name} · {own}"), status, active)
                    };
                    jobs.insert(id.clone(), (name.clone(), status.clone(), active));
                    job_records.push(Incoming::new(
                        id,
                        name.clone(),
                        StagedJob {
                            name,
                            customer_external_id: None,
                            job_number: Some(job.to_owned()),
                            address: PlatformField::NotOnPlatform,
                            property: PlatformField::NotOnPlatform,
                            status: PlatformField::Sent((!status.is_empty()).then_some(status)),
                            active,
                        },
                        None,
                    ));
                }
                List::CostCodes | List::Categories => {
                    let (job, extra, code) =
                        (get(Field::Job), get(Field::Extra), get(Field::CostCode));
                    let parent = job_key(job, extra);
                    let Some((_, _, active)) = jobs.get(&parent).cloned() else {
                        problems.push(format!(
                            "{} is for job {parent}, which the job and extra lists do not have.",
                            row.at
                        ));
                        continue;
                    };
                    let (id, name) = if list == List::CostCodes {
                        let name = if description.is_empty() {
                            code
                        } else {
                            description
                        };
                        cost_codes.insert(cost_code_key(job, extra, code), name.to_owned());
                        (cost_code_key(job, extra, code), name.to_owned())
                    } else {
                        let category = get(Field::Category);
                        let Some(code_name) = cost_codes.get(&cost_code_key(job, extra, code))
                        else {
                            problems.push(format!(
                                "{} is a category of cost code {code} of job {parent}, which the cost \
                                 code list does not have.",
                                row.at
                            ));
                            continue;
                        };
                        let own = if description.is_empty() {
                            category
                        } else {
                            description
                        };
                        (
                            category_key(job, extra, code, category),
                            format!("{code_name} · {own}"),
                        )
                    };
                    if !unique(Module::Tasks, &id, &row.at, &mut problems) {
                        continue;
                    }
                    tasks.push(Incoming::new(
                        id,
                        format!("{code} {name}"),
                        StagedTask {
                            code: code.to_owned(),
                            name,
                            job_external_id: Some(parent),
                            pay_item_external_id: PlatformField::NotOnPlatform,
                            active,
                        },
                        None,
                    ));
                }
                List::PayIds => {
                    let code = get(Field::PayId);
                    if !unique(Module::PayItems, code, &row.at, &mut problems) {
                        continue;
                    }
                    let name = if description.is_empty() {
                        code
                    } else {
                        description
                    };
                    pay_items.push(Incoming::new(
                        code,
                        name,
                        StagedPayItem {
                            code: code.to_owned(),
                            name: name.to_owned(),
                            category: pay_category(get(Field::PayType)),
                            multiplier: PlatformField::NotOnPlatform,
                            active: true,
                        },
                        None,
                    ));
                }
            }
        }
        read.counts.push(format!("{count} {}", list.plural()));
        read.sources += 1;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    read.modules = vec![
        (Module::Employees, employees),
        (Module::Jobs, job_records),
        (Module::Tasks, tasks),
        (Module::PayItems, pay_items),
    ];
    Ok(read)
}
