//! QuickBooks Time (formerly TSheets), through its public REST API v1.
//!
//! - `/users` become employees. `active=both` is sent so archived users
//!   arrive (as inactive) instead of silently vanishing.
//! - `/jobcodes` (`type=all`) form a tree, cached whole and then placed:
//!   a top-level jobcode with children is a customer, any other top-level
//!   one a job; a jobcode one level down is a job of its customer; deeper
//!   ones are tasks of the job above them. PTO jobcodes are pay items.
//! - `/timesheets` become time entries, regular ones with their offsets and
//!   manual ones as a date and duration, placed on the jobcode tree. Running
//!   entries (`on_the_clock`) are left until they are closed. The first sync
//!   reads from the attendance pull date; later ones read what was modified
//!   since, plus everything dated in the look-back window.
//! - `/timesheets_deleted` marks deleted time entries removed at the source:
//!   the first sync asks for the dates from the pull date to tomorrow (the
//!   endpoint takes `start_date` only with `end_date`), later ones for what
//!   was deleted since.
//! - `/projects`, `/estimates` and `/estimate_items` become budgets (hours).
//!   `/projects` answers every project at once: it has no paging and no
//!   `modified_since`.
//!
//! Every request is held to `docs/contracts/quickbooks-time.md`. Pages are
//! `limit=200` until `more` is false; results are objects keyed
//! by id; empty objects arrive as `[]` or `""` and empty dates as
//! `0000-00-00`, all read leniently. The limit is 300 requests per 5
//! minutes per token, without `Retry-After`.

mod jobcodes;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedBudget, StagedEmployee, StagedTimeEntry,
};
use timebridge_core::platforms::Platform;
use timebridge_core::records::time_entries::TimeSpan;

use crate::lenient;
use crate::{
    CacheView, Connector, Incremental, Mapper, Output, Paging, PlatformInfo, RateLimit, Stream,
};
use jobcodes::{JobcodeTree, Placement};

pub struct QuickBooksTime;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::QuickBooksTime,
    name: Platform::QuickBooksTime.name(),
    default_base_url: "https://rest.tsheets.com/api/v1",
    rate_limit: Some(RateLimit {
        requests: 300,
        per: Duration::from_secs(300),
    }),
    rate_limit_window: Duration::from_secs(300),
    probe_path: "/current_user",
    authorize_path: Some("/authorize"),
    token_path: Some("/grant"),
};

const MODIFIED_SINCE: Incremental = Incremental::ModifiedSince {
    param: "modified_since",
    first_sync_from: None,
    first_sync_to: None,
    look_back_param: None,
};

static STREAMS: [Stream; 7] = [
    Stream {
        name: "users",
        path: "/users",
        records_at: "/results/users",
        record_key: "id",
        params: &[("active", "both"), ("supplemental_data", "no")],
        incremental: MODIFIED_SINCE,
        output: Output::Records(Module::Employees),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Employees,
    },
    Stream {
        name: "jobcodes",
        path: "/jobcodes",
        records_at: "/results/jobcodes",
        record_key: "id",
        params: &[
            ("active", "both"),
            ("type", "all"),
            ("supplemental_data", "no"),
        ],
        incremental: MODIFIED_SINCE,
        output: Output::Derive(&[
            Module::Customers,
            Module::Jobs,
            Module::Tasks,
            Module::PayItems,
        ]),
        cache: true,
        needs_cache: &["jobcodes"],
        counts_as: Module::Jobs,
    },
    Stream {
        name: "timesheets",
        path: "/timesheets",
        records_at: "/results/timesheets",
        record_key: "id",
        params: &[("on_the_clock", "no"), ("supplemental_data", "no")],
        incremental: Incremental::ModifiedSince {
            param: "modified_since",
            first_sync_from: Some("start_date"),
            first_sync_to: None,
            look_back_param: Some("start_date"),
        },
        output: Output::Records(Module::TimeEntries),
        cache: false,
        needs_cache: &["jobcodes", "users"],
        counts_as: Module::TimeEntries,
    },
    Stream {
        name: "timesheets_deleted",
        path: "/timesheets_deleted",
        records_at: "/results/timesheets_deleted",
        record_key: "id",
        params: &[("supplemental_data", "no")],
        // The reference takes `start_date` only with `end_date`
        // (QBT-TSD-2, QBT-TSD-3).
        incremental: Incremental::ModifiedSince {
            param: "modified_since",
            first_sync_from: Some("start_date"),
            first_sync_to: Some("end_date"),
            look_back_param: None,
        },
        output: Output::Removals(Module::TimeEntries),
        cache: false,
        needs_cache: &[],
        counts_as: Module::TimeEntries,
    },
    Stream {
        name: "projects",
        path: "/projects",
        records_at: "/results/projects",
        record_key: "id",
        // One answer: `/projects` has no paging and no `modified_since`
        // (QBT-PRJ-1).
        params: &[("active", "both")],
        incremental: Incremental::FullRefresh,
        output: Output::Derive(&[]),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Budgets,
    },
    Stream {
        name: "estimates",
        path: "/estimates",
        records_at: "/results/estimates",
        record_key: "id",
        params: &[("active", "both"), ("supplemental_data", "no")],
        incremental: MODIFIED_SINCE,
        output: Output::Derive(&[]),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Budgets,
    },
    Stream {
        name: "estimate_items",
        path: "/estimate_items",
        records_at: "/results/estimate_items",
        record_key: "id",
        params: &[("active", "both"), ("supplemental_data", "no")],
        incremental: MODIFIED_SINCE,
        output: Output::Derive(&[Module::Budgets]),
        cache: true,
        needs_cache: &["projects", "estimates", "estimate_items"],
        counts_as: Module::Budgets,
    },
];

impl Connector for QuickBooksTime {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn streams(&self) -> &'static [Stream] {
        &STREAMS
    }

    fn paging(&self) -> Option<Paging> {
        Some(Paging::PageNumber {
            page_param: "page",
            limit_param: "limit",
            limit: 200,
            more_at: "/more",
        })
    }

    fn paging_of(&self, stream: &Stream) -> Option<Paging> {
        match stream.name {
            "projects" => Some(Paging::Unpaged),
            _ => self.paging(),
        }
    }

    fn mapper(&self, stream: &Stream, cache: &CacheView) -> Mapper {
        match stream.name {
            "users" => Box::new(|raw| Ok(map_user(raw))),
            "timesheets" => {
                let tree = JobcodeTree::from_cache(cache.records("jobcodes"));
                let names: HashMap<String, String> = cache
                    .records("users")
                    .iter()
                    .map(|(id, user)| (id.clone(), user_name(user)))
                    .collect();
                Box::new(move |raw| map_timesheet(raw, &tree, &names))
            }
            other => {
                let other = other.to_owned();
                Box::new(move |_| Err(format!("the {other} stream has no mapper")))
            }
        }
    }

    fn account_label(&self, probe: &Value) -> String {
        let user = lenient::records(probe, "/results/users")
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        let company = lenient::text(user.get("company_name"));
        match company {
            Some(company) => format!("{} at {company}", user_name(&user)),
            None => user_name(&user),
        }
    }

    fn derive(&self, stream: &Stream, cache: &CacheView) -> Vec<(Module, Vec<Incoming>)> {
        match stream.name {
            "jobcodes" => JobcodeTree::from_cache(cache.records("jobcodes")).derive(),
            "estimate_items" => vec![(Module::Budgets, derive_budgets(cache))],
            _ => Vec::new(),
        }
    }
}

fn user_name(user: &Value) -> String {
    let first = lenient::text(user.get("first_name")).unwrap_or_default();
    let last = lenient::text(user.get("last_name")).unwrap_or_default();
    format!("{first} {last}").trim().to_owned()
}

/// A user as a staged employee.
pub fn map_user(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("id"))?;
    let employee = StagedEmployee {
        first_name: lenient::text(raw.get("first_name")).unwrap_or_default(),
        last_name: lenient::text(raw.get("last_name")).unwrap_or_default(),
        employee_number: lenient::id(raw.get("employee_number")),
        email: lenient::text(raw.get("email")),
        phone: lenient::text(raw.get("mobile_number")),
        hire_date: lenient::date(raw.get("hire_date")),
        payroll_id: PlatformField::Sent(lenient::text(raw.get("payroll_id"))),
        active: lenient::boolean(raw.get("active"), true),
        wages: Vec::new(),
    };
    Some(Incoming::new(id, user_name(raw), employee, None))
}

/// A timesheet as a staged time entry, placed on the jobcode tree.
fn map_timesheet(
    raw: &Value,
    tree: &JobcodeTree,
    names: &HashMap<String, String>,
) -> Result<Option<Incoming>, String> {
    let Some(id) = lenient::id(raw.get("id")) else {
        return Ok(None);
    };
    if lenient::boolean(raw.get("on_the_clock"), false) {
        return Ok(None);
    }
    let user =
        lenient::id(raw.get("user_id")).ok_or_else(|| format!("timesheet {id} has no user"))?;
    let date = lenient::date(raw.get("date"));
    let span = if raw.get("type").and_then(Value::as_str) == Some("manual") {
        let date = date.ok_or_else(|| format!("manual timesheet {id} has no date"))?;
        let seconds = lenient::integer(raw.get("duration")).unwrap_or(0);
        TimeSpan::Manual {
            date,
            duration_seconds: seconds,
        }
    } else {
        let start = lenient::instant(raw.get("start"))
            .ok_or_else(|| format!("timesheet {id} has no readable start"))?;
        let Some(end) = lenient::instant(raw.get("end")) else {
            return Ok(None); // still running
        };
        TimeSpan::Clock {
            start,
            end: Some(end),
        }
    };
    let work_date = date.unwrap_or_else(|| span.work_date());
    let jobcode = lenient::id(raw.get("jobcode_id"));
    let (job, task, pay_item) = match jobcode.as_deref().map(|j| (j, tree.place(j))) {
        Some((j, Placement::Job { .. })) => (Some(j.to_owned()), None, None),
        Some((j, Placement::Task { job })) => (Some(job), Some(j.to_owned()), None),
        Some((j, Placement::PayItem)) => (None, None, Some(j.to_owned())),
        _ => (None, None, None),
    };
    let who = names
        .get(&user)
        .cloned()
        .unwrap_or_else(|| format!("User {user}"));
    let entry = StagedTimeEntry {
        employee_external_id: user,
        job_external_id: job,
        task_external_id: task,
        pay_item_external_id: pay_item,
        span,
        notes: lenient::text(raw.get("notes")).unwrap_or_default(),
    };
    Ok(Some(Incoming::new(
        id,
        format!("{who} · {work_date}"),
        entry,
        Some(work_date),
    )))
}

/// Estimates of projects as budgets: the hours of an estimate's active items.
fn derive_budgets(cache: &CacheView) -> Vec<Incoming> {
    let projects: HashMap<String, &Value> = cache
        .records("projects")
        .iter()
        .map(|(id, v)| (id.clone(), v))
        .collect();
    let mut seconds: HashMap<String, i64> = HashMap::new();
    for (_, item) in cache.records("estimate_items") {
        if !lenient::boolean(item.get("active"), true) {
            continue;
        }
        if let Some(estimate) = lenient::id(item.get("estimate_id")) {
            *seconds.entry(estimate).or_default() +=
                lenient::integer(item.get("estimated_seconds")).unwrap_or(0);
        }
    }
    let mut budgets = Vec::new();
    for (id, estimate) in cache.records("estimates") {
        if !lenient::boolean(estimate.get("active"), true) {
            continue;
        }
        let Some(project) =
            lenient::id(estimate.get("project_id")).and_then(|p| projects.get(&p).copied())
        else {
            continue;
        };
        let name = lenient::text(project.get("name")).unwrap_or_default();
        let budget = StagedBudget {
            job_external_id: lenient::id(project.get("jobcode_id")),
            task_external_id: None,
            budget_seconds: Some(seconds.get(id).copied().unwrap_or(0)),
            amount_cents: None,
            notes: name.clone(),
        };
        budgets.push(Incoming::new(id.clone(), name, budget, None));
    }
    budgets
}

#[cfg(test)]
mod tests;
