//! The GraphQL documents Timebridge sends busybusy, one per list, and the
//! variables of one page: the pass's lower bounds as `TimestampFilter`s
//! (`greaterThanOrEqual`, `BB-GQL-5`), the list's fixed filter, `first`
//! and `after` (`BB-PAGE-*`). Every document declares and uses exactly
//! the variables it is sent (`BB-GQL-6`, `BB-GQL-9`) and selects the fields
//! "What Timebridge reads" lists (`docs/contracts/busybusy.md`).

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::PageAsk;

/// The permissions an admin holds over every member (`BB-AUTH-5`).
pub const ADMIN_PERMISSIONS: [&str; 5] = [
    "manageEmployees",
    "manageProjects",
    "manageCostCode",
    "manageTimeEntries",
    "manageBudgets",
];

pub const MEMBERS: &str = "query Members($filter: MemberFilter!, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) { id cursor firstName lastName username email phone memberNumber wageHistories { wage wageRate changeDate deletedOn } archivedOn deletedOn updatedOn } }";

pub const PROJECTS: &str = "query Projects($filter: ProjectFilter, $first: Int, $after: String) { projects(filter: $filter, first: $first, after: $after) { id cursor title depth parentProjectId ancestors { id title depth } projectInfo { number customer address1 address2 city state postalCode } archivedOn updatedOn } }";

pub const COST_CODES: &str = "query CostCodes($filter: CostCodeFilter, $first: Int, $after: String) { costCodes(filter: $filter, first: $first, after: $after) { id cursor costCode title archivedOn updatedOn } }";

pub const TIME_ENTRIES: &str = "query TimeEntries($filter: TimeEntryFilter!, $first: Int, $after: String) { timeEntries(filter: $filter, first: $first, after: $after) { id cursor memberId projectId costCodeId startTime endTime breaks { id startTime endTime } description deletedOn updatedOn } }";

/// Deleted entries: only what removes them is read.
pub const DELETED_TIME_ENTRIES: &str = "query DeletedTimeEntries($filter: TimeEntryFilter!, $first: Int, $after: String) { timeEntries(filter: $filter, first: $first, after: $after) { id cursor deletedOn updatedOn } }";

pub const BUDGET_HOURS: &str = "query BudgetHours($filter: BudgetHoursFilter, $first: Int, $after: String) { budgetHours(filter: $filter, first: $first, after: $after) { id cursor projectId costCodeId memberId budgetSeconds isLatest } }";

pub const BUDGET_COSTS: &str = "query BudgetCosts($filter: BudgetCostFilter, $first: Int, $after: String) { budgetCosts(filter: $filter, first: $first, after: $after) { id cursor projectId costCodeId memberId costBudget isLatest } }";

/// Members over whom the signed-in member holds every admin permission.
pub fn admin_filter() -> Value {
    json!({"permissions": {"permissions": ADMIN_PERMISSIONS, "operationType": "and"}})
}

/// A pass's lower bound as busybusy takes it: an instant as sent, a day as
/// its first instant in UTC.
fn instant(bound: &str) -> String {
    match NaiveDate::parse_from_str(bound, "%Y-%m-%d") {
        Ok(day) => format!("{day}T00:00:00Z"),
        Err(_) => bound.to_owned(),
    }
}

/// The variables of one page: `fixed` (the list's own filter) with the
/// pass's bounds added.
pub fn variables(fixed: Value, page: PageAsk<'_>) -> Value {
    let mut filter = match fixed {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for (field, bound) in page.filters {
        filter.insert(field.clone(), json!({"greaterThanOrEqual": instant(bound)}));
    }
    json!({"filter": filter, "first": page.first, "after": page.after})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_bound_becomes_a_timestamp_filter_and_a_day_its_utc_midnight() {
        let filters = [
            (
                "updatedOn".to_owned(),
                "2026-06-10T08:00:00+00:00".to_owned(),
            ),
            ("startTime".to_owned(), "2026-06-01".to_owned()),
        ];
        let page = PageAsk {
            filters: &filters,
            first: 1000,
            after: Some("c1"),
        };
        assert_eq!(
            variables(json!({"deletedOn": {"isNull": true}}), page),
            json!({
                "filter": {
                    "deletedOn": {"isNull": true},
                    "updatedOn": {"greaterThanOrEqual": "2026-06-10T08:00:00+00:00"},
                    "startTime": {"greaterThanOrEqual": "2026-06-01T00:00:00Z"},
                },
                "first": 1000,
                "after": "c1",
            }),
            "busybusy takes ISO 8601 instants with an offset (BB-GQL-5)"
        );
    }
}
