//! busybusy (construction time tracking), through its GraphQL API, as its
//! contract (`docs/contracts/busybusy.md`) describes it.
//!
//! Signs in as a member with a username and password ([`sign_in`]); every
//! GraphQL request carries the session token as `key-authorization`. Only
//! an admin connects: the `members` list filtered by the admin permissions
//! answers nobody to anyone else (`BB-AUTH-5`).
//!
//! - `members` become employees ([`mapping`]), also cached to name time.
//! - `costCodes` become tasks.
//! - `projects` are cached; jobs (named by their path) and the customers
//!   their top-level projects name are derived from the whole cache.
//! - `timeEntries` become time entries; a second read of the deleted ones
//!   (`deletedOn` set, `BB-DEL-1`) marks them removed at the source. The
//!   first sync reads entries started from the attendance pull date
//!   (`BB-FILTER-2`); later ones what was updated since the last sync
//!   (`updatedOn`, `BB-FILTER-1`) and everything started in the look-back
//!   window.
//! - `budgetHours` and `budgetCosts` in force (`isLatest`) become one
//!   budget of hours and cost per project.
//!
//! Members, projects and cost codes are read whole on the first sync and
//! by `updatedOn` after (archiving moves it). Every list pages by cursor,
//! 1,000 records a page ([`crate::Paging::GraphQlCursor`]); the documents
//! and variables are in [`queries`]. No rate limit is published.

pub mod mapping;
pub mod queries;
pub mod sign_in;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::platforms::Platform;

use crate::{
    CacheView, Connector, Incremental, Mapper, Output, PageAsk, Paging, PlatformInfo, Stream,
};

pub struct Busybusy;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::Busybusy,
    name: Platform::Busybusy.name(),
    default_base_url: "https://graphql.busybusy.io",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(60),
    // GraphQL has no cheap GET: a 401 is a lost session.
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

/// busybusy's sign-in, on its REST host (the GraphQL host is another).
pub const SIGN_IN_URL: &str = "https://api.busybusy.io/member";

/// Where members sign in: busybusy's REST host (for its own GraphQL host
/// too), or `/member` of another base URL (the emulator serves both APIs
/// on one).
pub fn sign_in_url(base_url: Option<&str>) -> String {
    match base_url.map(|b| b.trim_end_matches('/')) {
        Some(base) if base != INFO.default_base_url => format!("{base}/member"),
        _ => SIGN_IN_URL.to_owned(),
    }
}

/// Records a page asks for: busybusy's most (`BB-PAGE-1`).
pub const PAGE_SIZE: u32 = 1000;

/// Read whole first, then what was updated since (archiving included).
const UPDATED_SINCE: Incremental = Incremental::ModifiedSince {
    param: "updatedOn",
    first_sync_from: None,
    first_sync_to: None,
    look_back_param: None,
};

/// A list read from `/`; `Derive` lists are cached whatever `cache` says.
const fn list(
    name: &'static str,
    cache: bool,
    records_at: &'static str,
    incremental: Incremental,
    output: Output,
    needs_cache: &'static [&'static str],
    counts_as: Module,
) -> Stream {
    Stream {
        name,
        path: "/",
        records_at,
        record_key: "id",
        params: &[],
        incremental,
        output,
        cache,
        needs_cache,
        counts_as,
    }
}

static STREAMS: [Stream; 7] = [
    list(
        "members",
        true,
        "/data/members",
        UPDATED_SINCE,
        Output::Records(Module::Employees),
        &[],
        Module::Employees,
    ),
    list(
        "cost_codes",
        false,
        "/data/costCodes",
        UPDATED_SINCE,
        Output::Records(Module::Tasks),
        &[],
        Module::Tasks,
    ),
    list(
        "projects",
        false,
        "/data/projects",
        UPDATED_SINCE,
        Output::Derive(&[Module::Customers, Module::Jobs]),
        &["projects"],
        Module::Jobs,
    ),
    list(
        "time_entries",
        false,
        "/data/timeEntries",
        Incremental::ModifiedSince {
            param: "updatedOn",
            first_sync_from: Some("startTime"),
            first_sync_to: None,
            look_back_param: Some("startTime"),
        },
        Output::Records(Module::TimeEntries),
        &["members"],
        Module::TimeEntries,
    ),
    list(
        "deleted_time_entries",
        false,
        "/data/timeEntries",
        Incremental::ModifiedSince {
            param: "updatedOn",
            first_sync_from: Some("startTime"),
            first_sync_to: None,
            look_back_param: None,
        },
        Output::Removals(Module::TimeEntries),
        &[],
        Module::TimeEntries,
    ),
    list(
        "budget_hours",
        false,
        "/data/budgetHours",
        Incremental::FullRefresh,
        Output::Derive(&[]),
        &[],
        Module::Budgets,
    ),
    list(
        "budget_costs",
        false,
        "/data/budgetCosts",
        Incremental::FullRefresh,
        Output::Derive(&[Module::Budgets]),
        &["budget_hours", "budget_costs", "projects"],
        Module::Budgets,
    ),
];

impl Connector for Busybusy {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn streams(&self) -> &'static [Stream] {
        &STREAMS
    }

    fn paging(&self) -> Option<Paging> {
        Some(Paging::GraphQlCursor { first: PAGE_SIZE })
    }

    fn page_request(&self, stream: &Stream, page: PageAsk<'_>) -> Option<Value> {
        let (document, fixed) = match stream.name {
            "members" => (queries::MEMBERS, queries::admin_filter()),
            "cost_codes" => (queries::COST_CODES, json!({})),
            "projects" => (queries::PROJECTS, json!({})),
            "time_entries" => (
                queries::TIME_ENTRIES,
                json!({"deletedOn": {"isNull": true}}),
            ),
            "deleted_time_entries" => (
                queries::DELETED_TIME_ENTRIES,
                json!({"deletedOn": {"isNull": false}}),
            ),
            "budget_hours" => (queries::BUDGET_HOURS, json!({"isLatest": {"equal": true}})),
            "budget_costs" => (queries::BUDGET_COSTS, json!({"isLatest": {"equal": true}})),
            _ => return None,
        };
        Some(json!({"query": document, "variables": queries::variables(fixed, page)}))
    }

    fn mapper(&self, stream: &Stream, cache: &CacheView) -> Mapper {
        match stream.name {
            "members" => Box::new(|raw| Ok(mapping::map_member(raw))),
            "cost_codes" => Box::new(|raw| Ok(mapping::map_cost_code(raw))),
            "time_entries" => {
                let members: HashMap<String, String> = cache
                    .records("members")
                    .iter()
                    .map(|(id, m)| (id.clone(), mapping::member_name(m)))
                    .collect();
                Box::new(move |raw| mapping::map_time_entry(raw, &members))
            }
            other => {
                let other = other.to_owned();
                Box::new(move |_| Err(format!("the {other} stream has no mapper")))
            }
        }
    }

    fn derive(&self, stream: &Stream, cache: &CacheView) -> Vec<(Module, Vec<Incoming>)> {
        match stream.name {
            "projects" => {
                let (customers, jobs) = mapping::derive_projects(cache.records("projects"));
                vec![(Module::Customers, customers), (Module::Jobs, jobs)]
            }
            "budget_costs" => {
                let (_, jobs) = mapping::derive_projects(cache.records("projects"));
                let names = jobs.into_iter().map(|j| (j.external_id, j.label)).collect();
                let budgets = mapping::derive_budgets(
                    cache.records("budget_hours"),
                    cache.records("budget_costs"),
                    &names,
                );
                vec![(Module::Budgets, budgets)]
            }
            _ => Vec::new(),
        }
    }
}
