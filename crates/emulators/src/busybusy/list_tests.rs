//! The lists answer as busybusy's contract says: pages by cursor, filters
//! (`updatedOn` above all), time entries bounded, deletions kept and
//! marked, projects nested. Each test shows one rule of
//! `docs/contracts/busybusy.md`.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::tests::{assert_refused, messages, query, spec, started};
use super::*;

const ENTRIES: &str = "query Entries($filter: TimeEntryFilter!, $first: Int, $after: String) {
  timeEntries(filter: $filter, first: $first, after: $after) {
    id cursor startTime endTime updatedOn deletedOn breaks { id startTime endTime }
  }
}";

fn since(at: &str) -> Value {
    json!({"updatedOn": {"greaterThanOrEqual": at}})
}

fn ids(answer: &Value, list: &str) -> Vec<String> {
    answer["data"][list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn first_is_a_page_size_from_1_to_1000() {
    // contract: BB-PAGE-1
    let emulator = started().await;
    for first in [0, -1, 1001] {
        let refused = query(
            &emulator,
            ENTRIES,
            json!({"filter": since("2026-01-01T00:00:00Z"), "first": first}),
        )
        .await;
        assert_refused(
            &refused,
            "first must be from 1 to 1000",
            &format!("first: {first}"),
        );
        assert_eq!(
            refused.body["errors"][0]["path"],
            json!(["timeEntries"]),
            "the error names the list"
        );
    }
    let full = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-01-01T00:00:00Z"), "first": 1000}),
    )
    .await;
    assert!(
        full.body["data"]["timeEntries"].is_array(),
        "1000 is allowed: {}",
        messages(&full)
    );
}

#[tokio::test]
async fn after_takes_a_cursor_of_the_same_list_and_pages_read_every_record_once() {
    // contract: BB-PAGE-2
    let emulator = started().await;
    let total = emulator.update(|org| org.time_entries.len());
    let filter = since("2026-01-01T00:00:00Z");
    let (mut seen, mut after) = (Vec::new(), Value::Null);
    loop {
        let page = query(
            &emulator,
            ENTRIES,
            json!({"filter": filter, "first": 7, "after": after}),
        )
        .await;
        let items = page.body["data"]["timeEntries"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        seen.extend(ids(&page.body, "timeEntries"));
        if items.len() < 7 {
            break;
        }
        after = items[6]["cursor"].clone();
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        (seen.len(), unique.len()),
        (total, total),
        "every entry comes once across the pages"
    );
    let project = query(&emulator, "{ projects(first: 1) { cursor } }", json!({})).await;
    let foreign = project.body["data"]["projects"][0]["cursor"].clone();
    for (why, cursor) in [
        ("a project's cursor", foreign),
        ("a made-up cursor", json!("zz-not-a-cursor")),
    ] {
        let refused = query(
            &emulator,
            ENTRIES,
            json!({"filter": filter, "first": 5, "after": cursor}),
        )
        .await;
        assert_refused(&refused, "Invalid cursor", why);
    }
}

#[tokio::test]
async fn updated_on_answers_only_what_changed_since() {
    // contract: BB-FILTER-1
    let emulator = started().await;
    let later = Utc
        .with_ymd_and_hms(2026, 6, 10, 9, 0, 0)
        .single()
        .expect("an instant");
    let changed = emulator.update(|org| {
        let entry = &mut org.time_entries[3];
        entry["description"] = json!("moved to the right job");
        entry["updatedOn"] = json!(busy_time(later));
        entry["id"].as_str().map(str::to_owned).unwrap_or_default()
    });
    let fresh = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-06-10T00:00:00Z")}),
    )
    .await;
    assert_eq!(
        ids(&fresh.body, "timeEntries"),
        vec![changed.clone()],
        "only the edited entry is newer"
    );
    let offset = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-06-10T02:30:00-06:00")}),
    )
    .await;
    assert_eq!(
        ids(&offset.body, "timeEntries"),
        vec![changed],
        "an offset is the same instant in UTC"
    );
    let none = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-06-10T09:00:01Z")}),
    )
    .await;
    assert!(
        ids(&none.body, "timeEntries").is_empty(),
        "nothing changed after the edit"
    );
}

#[tokio::test]
async fn time_entries_are_asked_for_from_a_time() {
    // contract: BB-FILTER-2
    let emulator = started().await;
    for (why, filter) in [
        ("an empty filter", json!({})),
        (
            "a filter on the member only",
            json!({"memberId": {"equal": uuid(1, 0)}}),
        ),
        (
            "an upper bound only",
            json!({"startTime": {"lessThan": "2026-06-15T00:00:00Z"}}),
        ),
    ] {
        let refused = query(&emulator, ENTRIES, json!({"filter": filter})).await;
        assert_refused(
            &refused,
            "timeEntries needs a filter on startTime or updatedOn",
            why,
        );
    }
    let dated = query(
        &emulator,
        ENTRIES,
        json!({"filter": {"startTime": {"greaterThanOrEqual": "2026-06-08T00:00:00Z"}}}),
    )
    .await;
    assert!(
        !ids(&dated.body, "timeEntries").is_empty(),
        "a start from a date is enough: {}",
        messages(&dated)
    );
}

#[tokio::test]
async fn a_deleted_time_entry_stays_with_deleted_on_and_a_new_updated_on() {
    // contract: BB-DEL-1
    let emulator = started().await;
    let at = Utc
        .with_ymd_and_hms(2026, 6, 12, 16, 0, 0)
        .single()
        .expect("an instant");
    let gone = uuid(12, 2);
    assert!(
        emulator.update(|org| org.delete_time_entry(&gone, at)),
        "the entry exists"
    );
    let changed = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-06-12T00:00:00Z")}),
    )
    .await;
    let entries = changed.body["data"]["timeEntries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        entries.len(),
        1,
        "the deletion is a change: {}",
        changed.body
    );
    assert_eq!(
        entries[0]["deletedOn"],
        json!(busy_time(at)),
        "the entry says when it was deleted"
    );
    let live = query(
        &emulator,
        ENTRIES,
        json!({"filter": {"startTime": {"greaterThanOrEqual": "2026-01-01T00:00:00Z"}, "deletedOn": {"isNull": true}}}),
    )
    .await;
    assert!(
        !ids(&live.body, "timeEntries").contains(&gone),
        "deletedOn: {{isNull: true}} leaves it out"
    );
    let archived = Utc
        .with_ymd_and_hms(2026, 6, 13, 8, 0, 0)
        .single()
        .expect("an instant");
    assert!(
        emulator.update(|org| org.archive(&uuid(1, 2), archived)),
        "the member exists"
    );
    let members = query(
        &emulator,
        "{ members(filter: {archivedOn: {isNull: false}}) { id archivedOn } }",
        json!({}),
    )
    .await;
    assert!(
        ids(&members.body, "members").contains(&uuid(1, 2)),
        "an archived member is answered, marked: {}",
        members.body
    );
}

#[tokio::test]
async fn projects_nest_seven_levels_with_children_and_ancestors() {
    // contract: BB-PROJ-1
    let emulator = started().await;
    let roots = query(
        &emulator,
        "{ projects(filter: {depth: {equal: 1}}) { id depth children { depth children { depth children { depth children { depth children { depth children { depth children { id } } } } } } } } }",
        json!({}),
    )
    .await;
    let mut node = roots.body["data"]["projects"][0].clone();
    let mut depth = 1;
    while let Some(child) = node["children"].get(0).cloned() {
        depth += 1;
        node = child;
    }
    assert_eq!(
        depth, 7,
        "sub-projects go seven levels deep: {}",
        roots.body
    );
    assert_eq!(
        node["children"],
        json!([]),
        "the seventh level has none under it"
    );
    let deepest = query(
        &emulator,
        "{ projects(filter: {depth: {equal: 7}}, first: 1) { title ancestors { title depth } } }",
        json!({}),
    )
    .await;
    let ancestors = deepest.body["data"]["projects"][0]["ancestors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let depths: Vec<i64> = ancestors
        .iter()
        .filter_map(|a| a["depth"].as_i64())
        .collect();
    assert_eq!(
        depths,
        vec![1, 2, 3, 4, 5, 6],
        "ancestors run from the top: {}",
        deepest.body
    );
}

#[tokio::test]
async fn budgets_answer_the_latest_hours_and_cost_per_project() {
    let emulator = started().await;
    let latest = json!({"filter": {"isLatest": {"equal": true}}});
    let hours = query(
        &emulator,
        "query H($filter: BudgetHoursFilter) { budgetHours(filter: $filter) { projectId budgetSeconds isLatest } }",
        latest.clone(),
    )
    .await;
    let hours = hours.body["data"]["budgetHours"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        hours.len(),
        spec().projects,
        "one latest hours budget per top-level project"
    );
    assert_eq!(
        hours[0]["budgetSeconds"],
        json!(400 * 3600),
        "the latest, not the superseded one"
    );
    let costs = query(
        &emulator,
        "query C($filter: BudgetCostFilter) { budgetCosts(filter: $filter) { costBudget } }",
        latest,
    )
    .await;
    assert_eq!(
        costs.body["data"]["budgetCosts"][0]["costBudget"],
        json!(18000.0),
        "cost budgets too"
    );
}

#[tokio::test]
async fn a_generated_day_pays_span_less_breaks_and_today_is_still_open() {
    let emulator = started().await;
    let all = query(
        &emulator,
        ENTRIES,
        json!({"filter": since("2026-01-01T00:00:00Z"), "first": 1000}),
    )
    .await;
    let entries = all.body["data"]["timeEntries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let open: Vec<&Value> = entries.iter().filter(|e| e["endTime"].is_null()).collect();
    assert_eq!(open.len(), 1, "one entry of today is still running");
    let with_break = entries
        .iter()
        .find(|e| e["breaks"].as_array().is_some_and(|b| !b.is_empty()));
    let with_break = with_break.expect("every other entry has a break");
    let parse =
        |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default()).ok();
    let span = parse(&with_break["endTime"])
        .zip(parse(&with_break["startTime"]))
        .map(|(e, s)| e - s);
    let pause = parse(&with_break["breaks"][0]["endTime"])
        .zip(parse(&with_break["breaks"][0]["startTime"]))
        .map(|(e, s)| e - s);
    assert_eq!(
        span.zip(pause).map(|(s, p)| s - p),
        Some(Duration::hours(8)),
        "8.5 h span less a 30 min break"
    );
}

/// The queries `docs/contracts/busybusy.md` says Timebridge sends, as the
/// connector will write them: each is answered without an error.
#[tokio::test]
async fn the_queries_timebridge_sends_are_answered_without_errors() {
    let emulator = started().await;
    let admin = emulator
        .sign_in(ADMIN_USERNAME)
        .expect("the admin signs in");
    let permissions = json!({"permissions": ["manageEmployees", "manageProjects", "manageCostCode", "manageTimeEntries", "manageBudgets"], "operationType": "and"});
    let since = "2026-06-01T00:00:00Z";
    for (document, variables) in [
        (
            "query Members($filter: MemberFilter!, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) { id cursor firstName lastName username email phone memberNumber wageHistories { wage wageRate changeDate deletedOn } archivedOn deletedOn updatedOn } }",
            json!({"filter": {"permissions": permissions, "updatedOn": {"greaterThanOrEqual": since}}, "first": 1000, "after": null}),
        ),
        (
            "query Projects($filter: ProjectFilter, $first: Int, $after: String) { projects(filter: $filter, first: $first, after: $after) { id cursor title depth parentProjectId ancestors { id title depth } projectInfo { number customer address1 address2 city state postalCode } archivedOn updatedOn } }",
            json!({"filter": {}, "first": 1000}),
        ),
        (
            "query CostCodes($filter: CostCodeFilter, $first: Int, $after: String) { costCodes(filter: $filter, first: $first, after: $after) { id cursor costCode title archivedOn updatedOn } }",
            json!({"filter": {"updatedOn": {"greaterThanOrEqual": since}}, "first": 1000}),
        ),
        (
            "query TimeEntries($filter: TimeEntryFilter!, $first: Int, $after: String) { timeEntries(filter: $filter, first: $first, after: $after) { id cursor memberId projectId costCodeId startTime endTime breaks { id startTime endTime } description deletedOn updatedOn } }",
            json!({"filter": {"startTime": {"greaterThanOrEqual": since}}, "first": 1000}),
        ),
        (
            "query BudgetHours($filter: BudgetHoursFilter, $first: Int, $after: String) { budgetHours(filter: $filter, first: $first, after: $after) { id cursor projectId costCodeId memberId budgetSeconds isLatest } }",
            json!({"filter": {"isLatest": {"equal": true}}, "first": 1000}),
        ),
        (
            "query BudgetCosts($filter: BudgetCostFilter, $first: Int, $after: String) { budgetCosts(filter: $filter, first: $first, after: $after) { id cursor projectId costCodeId memberId costBudget isLatest } }",
            json!({"filter": {"isLatest": {"equal": true}}, "first": 1000}),
        ),
    ] {
        let answered = super::tests::post(
            &emulator,
            &admin,
            &json!({"query": document, "variables": variables}),
        )
        .await;
        assert_eq!(
            (answered.status, messages(&answered)),
            (200, String::new()),
            "{document}"
        );
    }
    assert!(
        emulator
            .recorded()
            .iter()
            .all(|r| r.off_contract().is_none()),
        "every request kept to the contract"
    );
}
