//! busybusy's records as Timebridge's (`docs/contracts/busybusy.md`, "What
//! Timebridge reads").
//!
//! - A member is an employee, numbered by `memberNumber`; an archived or
//!   deleted member is inactive.
//! - Projects nest up to seven levels (`BB-PROJ-1`). Each is a job named
//!   by its path from the top (`Harbor Dental 100 / Phase 1 / Building 2`),
//!   of the customer its top-level project names (`projectInfo.customer`),
//!   numbered by its own `projectInfo.number`. The path is read from the
//!   whole cache of projects (each by its `parentProjectId`), so renaming a
//!   project renames the jobs under it. A project archived, or under an
//!   archived one, is inactive; a customer is active while one of its
//!   top-level projects is.
//! - A cost code is a task of any job.
//! - A time entry is clocked `startTime`–`endTime` (UTC); paid time is the
//!   span less its breaks. An entry with breaks is staged as its paid
//!   duration on its day with the clocked span in its notes, as a clocked
//!   entry cannot carry a break. An entry still running (no `endTime`) is
//!   left for the next sync.
//! - The budgets in force (`isLatest`) of hours and of cost are one budget
//!   per project (and cost code, and member, where set).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use timebridge_core::middleware::{
    Incoming, PlatformField, StagedBudget, StagedCustomer, StagedEmployee, StagedJob, StagedTask,
    StagedTimeEntry, StagedWage, WagePeriod,
};
use timebridge_core::records::time_entries::TimeSpan;

use crate::lenient;

/// How deep projects nest (`BB-PROJ-1`); a longer chain of parents is a
/// loop in the data.
const MAX_DEPTH: usize = 7;

fn text(raw: &Value, field: &str) -> Option<String> {
    lenient::text(raw.get(field))
}

fn set(raw: &Value, field: &str) -> bool {
    raw.get(field).is_some_and(|v| !v.is_null())
}

/// A member's name: first and last, else the username.
pub fn member_name(raw: &Value) -> String {
    let name = [text(raw, "firstName"), text(raw, "lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        text(raw, "username").unwrap_or_default()
    } else {
        name
    }
}

/// A member as a staged employee.
pub fn map_member(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("id"))?;
    let employee = StagedEmployee {
        first_name: text(raw, "firstName").unwrap_or_default(),
        last_name: text(raw, "lastName").unwrap_or_default(),
        employee_number: text(raw, "memberNumber"),
        email: text(raw, "email"),
        phone: text(raw, "phone"),
        hire_date: None,
        payroll_id: PlatformField::NotOnPlatform,
        active: !set(raw, "archivedOn") && !set(raw, "deletedOn"),
        wages: wages(raw),
    };
    Some(Incoming::new(id, member_name(raw), employee, None))
}

/// A member's wage history, oldest first: each wage not deleted, from the
/// day of its `changeDate` (UTC, as work dates are). A wage of a rate
/// busybusy does not document (`wageRate` other than 10 hourly, 30 weekly,
/// 40 monthly, 50 yearly) or without an amount is left out.
fn wages(raw: &Value) -> Vec<StagedWage> {
    let mut wages: Vec<StagedWage> = raw
        .get("wageHistories")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|wage| !set(wage, "deletedOn"))
        .filter_map(|wage| {
            let per = match lenient::integer(wage.get("wageRate"))? {
                10 => WagePeriod::Hour,
                30 => WagePeriod::Week,
                40 => WagePeriod::Month,
                50 => WagePeriod::Year,
                _ => return None,
            };
            Some(StagedWage {
                from: instant(wage, "changeDate")?.naive_utc().date(),
                amount: amount(wage.get("wage")?.as_number()?),
                per,
            })
        })
        .collect();
    wages.sort_by_key(|wage| wage.from);
    wages
}

/// A wage as busybusy sent it, with at least two decimals ("23.5" →
/// "23.50"), read from its text so no cent is lost to floating point.
fn amount(number: &serde_json::Number) -> String {
    let text = number.to_string();
    if text.contains(['e', 'E']) {
        return format!("{:.2}", number.as_f64().unwrap_or_default());
    }
    match text.split_once('.') {
        None => format!("{text}.00"),
        Some((_, decimals)) if decimals.len() < 2 => format!("{text}0"),
        Some(_) => text,
    }
}

/// A cost code as a staged task of any job.
pub fn map_cost_code(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("id"))?;
    let title = text(raw, "title").unwrap_or_default();
    let code = text(raw, "costCode").unwrap_or_else(|| title.clone());
    let task = StagedTask {
        code: code.clone(),
        name: title.clone(),
        job_external_id: None,
        pay_item_external_id: PlatformField::NotOnPlatform,
        active: !set(raw, "archivedOn"),
    };
    let label = if title.is_empty() {
        code
    } else {
        format!("{code} {title}")
    };
    Some(Incoming::new(id, label, task, None))
}

/// The customer's id: busybusy names a project's customer, it has no list
/// of them.
fn customer_id(name: &str) -> String {
    format!("customer:{name}")
}

/// A project's street address on one line.
fn address(info: &Value) -> Option<String> {
    let region = [text(info, "state"), text(info, "postalCode")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<String> = [
        text(info, "address1"),
        text(info, "address2"),
        text(info, "city"),
        Some(region).filter(|r| !r.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Every cached project as a job, and the customers their top-level
/// projects name.
pub fn derive_projects(projects: &[(String, Value)]) -> (Vec<Incoming>, Vec<Incoming>) {
    let by_id: HashMap<&str, &Value> = projects.iter().map(|(id, p)| (id.as_str(), p)).collect();
    let mut customers: BTreeMap<String, bool> = BTreeMap::new();
    let mut jobs = Vec::with_capacity(projects.len());
    for (id, project) in projects {
        // The chain from this project up to its top-level one.
        let mut chain = vec![project];
        while let Some(parent) = chain
            .last()
            .and_then(|p| lenient::id(p.get("parentProjectId")))
            .and_then(|parent| by_id.get(parent.as_str()))
            .filter(|_| chain.len() < MAX_DEPTH)
        {
            chain.push(parent);
        }
        let top = chain.last().copied().unwrap_or(project);
        let path = chain
            .iter()
            .rev()
            .map(|p| text(p, "title").unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" / ");
        let active = chain.iter().all(|p| !set(p, "archivedOn"));
        let info = project.get("projectInfo").cloned().unwrap_or(Value::Null);
        let customer = top
            .get("projectInfo")
            .and_then(|i| lenient::text(i.get("customer")));
        if let Some(name) = &customer {
            let any_active = customers.entry(name.clone()).or_default();
            *any_active |= active && std::ptr::eq(top, project);
        }
        let job = StagedJob {
            name: path.clone(),
            customer_external_id: customer.as_deref().map(customer_id),
            job_number: text(&info, "number"),
            address: PlatformField::Sent(address(&info)),
            property: PlatformField::NotOnPlatform,
            status: PlatformField::NotOnPlatform,
            active,
        };
        jobs.push(Incoming::new(id.clone(), path, job, None));
    }
    let customers = customers
        .into_iter()
        .map(|(name, active)| {
            let customer = StagedCustomer {
                name: name.clone(),
                email: PlatformField::NotOnPlatform,
                phone: PlatformField::NotOnPlatform,
                active,
            };
            Incoming::new(customer_id(&name), name, customer, None)
        })
        .collect();
    (customers, jobs)
}

fn instant(raw: &Value, field: &str) -> Option<DateTime<FixedOffset>> {
    lenient::instant(raw.get(field))
}

/// The seconds of `entry`'s breaks, each within the span.
fn break_seconds(raw: &Value, id: &str) -> Result<i64, String> {
    let mut total = 0;
    for b in raw
        .get("breaks")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
    {
        let (Some(start), Some(end)) = (instant(b, "startTime"), instant(b, "endTime")) else {
            return Err(format!(
                "time entry {id} has a break without its start or end"
            ));
        };
        let seconds = (end - start).num_seconds();
        if seconds < 0 {
            return Err(format!(
                "time entry {id} has a break that ends before it starts"
            ));
        }
        total += seconds;
    }
    Ok(total)
}

/// A time entry as a staged one; `None` for one still running or deleted.
/// `members` names the employees for the label.
pub fn map_time_entry(
    raw: &Value,
    members: &HashMap<String, String>,
) -> Result<Option<Incoming>, String> {
    let Some(id) = lenient::id(raw.get("id")) else {
        return Ok(None);
    };
    if set(raw, "deletedOn") {
        return Ok(None);
    }
    let member =
        lenient::id(raw.get("memberId")).ok_or_else(|| format!("time entry {id} has no member"))?;
    let start = instant(raw, "startTime").ok_or_else(|| format!("time entry {id} has no start"))?;
    let Some(end) = instant(raw, "endTime") else {
        return Ok(None); // still clocked in: the next sync reads it closed
    };
    let clocked = (end - start).num_seconds();
    if clocked < 0 {
        return Err(format!("time entry {id} ends before it starts"));
    }
    let taken = break_seconds(raw, &id)?;
    if taken > clocked {
        return Err(format!(
            "time entry {id}'s breaks are longer than the {:.2} hours clocked",
            clocked as f64 / 3600.0
        ));
    }
    let mut notes: Vec<String> = text(raw, "description").into_iter().collect();
    let span = if taken == 0 {
        TimeSpan::Clock {
            start,
            end: Some(end),
        }
    } else {
        notes.push(format!(
            "clocked {}–{} UTC, less {:.2} h of breaks",
            start.format("%H:%M"),
            end.format("%H:%M"),
            taken as f64 / 3600.0
        ));
        TimeSpan::Manual {
            date: start.date_naive(),
            duration_seconds: clocked - taken,
        }
    };
    let work_date = span.work_date();
    let who = members
        .get(&member)
        .cloned()
        .unwrap_or_else(|| format!("Member {member}"));
    let entry = StagedTimeEntry {
        employee_external_id: member,
        job_external_id: lenient::id(raw.get("projectId")),
        task_external_id: lenient::id(raw.get("costCodeId")),
        pay_item_external_id: None,
        span,
        notes: notes.join(" · "),
    };
    Ok(Some(Incoming::new(
        id,
        format!("{who} · {work_date}"),
        entry,
        Some(work_date),
    )))
}

/// What a budget is for: its project, and its cost code and member where
/// set; also its id.
fn budget_key(raw: &Value) -> Option<(String, Option<String>, Option<String>)> {
    Some((
        lenient::id(raw.get("projectId"))?,
        lenient::id(raw.get("costCodeId")),
        lenient::id(raw.get("memberId")),
    ))
}

/// The budgets in force of hours and of cost, one per project (cost code,
/// member). `jobs` names the projects for the label.
pub fn derive_budgets(
    hours: &[(String, Value)],
    costs: &[(String, Value)],
    jobs: &HashMap<String, String>,
) -> Vec<Incoming> {
    type Key = (String, Option<String>, Option<String>);
    let mut budgets: BTreeMap<Key, (Option<i64>, Option<i64>)> = BTreeMap::new();
    let latest = |raw: &&Value| lenient::boolean(raw.get("isLatest"), true);
    for raw in hours.iter().map(|(_, r)| r).filter(latest) {
        if let Some(key) = budget_key(raw) {
            budgets.entry(key).or_default().0 = lenient::integer(raw.get("budgetSeconds"));
        }
    }
    for raw in costs.iter().map(|(_, r)| r).filter(latest) {
        if let Some(key) = budget_key(raw) {
            let cents = raw
                .get("costBudget")
                .and_then(Value::as_f64)
                .map(|c| (c * 100.0).round() as i64);
            budgets.entry(key).or_default().1 = cents;
        }
    }
    budgets
        .into_iter()
        .map(|((project, code, member), (seconds, cents))| {
            let id = [Some(project.clone()), code.clone(), member.clone()]
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect::<Vec<_>>()
                .join(":");
            let name = jobs
                .get(&project)
                .cloned()
                .unwrap_or_else(|| format!("Project {project}"));
            let budget = StagedBudget {
                job_external_id: Some(project),
                task_external_id: code,
                budget_seconds: seconds,
                amount_cents: cents,
                notes: member
                    .map(|m| format!("for member {m}"))
                    .unwrap_or_default(),
            };
            Incoming::new(id, name.clone(), budget, None)
        })
        .collect()
}
