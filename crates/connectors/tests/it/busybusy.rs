//! busybusy's records as Timebridge's: members, sub-projects named by their
//! path, time with breaks, running and deleted entries, budgets.

use std::collections::HashMap;

use serde_json::{Value, json};
use timebridge_connectors::busybusy::mapping::{
    derive_budgets, derive_projects, map_member, map_time_entry,
};

fn project(id: &str, title: &str, parent: Option<&str>, customer: Option<&str>) -> (String, Value) {
    (
        id.to_owned(),
        json!({"id": id, "title": title, "parentProjectId": parent, "archivedOn": null,
               "projectInfo": {"number": format!("N-{id}"), "customer": customer, "address1": "1 Main St",
                               "city": "Provo", "state": "UT", "postalCode": "84601"}}),
    )
}

fn entry(breaks: Value, end: Value) -> Value {
    json!({"id": "t1", "memberId": "m1", "projectId": "p3", "costCodeId": "c1",
           "startTime": "2026-06-12T14:00:00.000Z", "endTime": end, "breaks": breaks,
           "description": "Pour", "deletedOn": null})
}

fn names() -> HashMap<String, String> {
    HashMap::from([("m1".to_owned(), "Alex Admin".to_owned())])
}

#[test]
fn a_sub_project_is_a_job_named_by_its_path_of_its_top_projects_customer() {
    let projects = [
        project("p1", "Harbor Dental 100", None, Some("Harbor Dental")),
        project("p2", "Phase 1", Some("p1"), None),
        project("p3", "Building 2", Some("p2"), None),
    ];
    let (customers, jobs) = derive_projects(&projects);
    let deepest = jobs.iter().find(|j| j.external_id == "p3").expect("p3");
    assert_eq!(
        deepest.data["name"], "Harbor Dental 100 / Phase 1 / Building 2",
        "a sub-project's name is its path from the top"
    );
    assert_eq!(
        deepest.data["customer_external_id"], "customer:Harbor Dental",
        "its customer is the one its top-level project names"
    );
    assert_eq!(customers.len(), 1, "one customer for the three projects");
}

#[test]
fn a_project_under_an_archived_one_is_inactive() {
    let mut projects = vec![
        project("p1", "Harbor Dental 100", None, Some("Harbor Dental")),
        project("p2", "Phase 1", Some("p1"), None),
    ];
    projects[0].1["archivedOn"] = json!("2026-06-01T00:00:00.000Z");
    let (customers, jobs) = derive_projects(&projects);
    assert!(
        jobs.iter().all(|j| j.data["active"] == false),
        "archiving a project closes the jobs under it"
    );
    assert_eq!(
        customers[0].data["active"], false,
        "and its customer has no open project"
    );
}

#[test]
fn paid_time_is_the_span_less_its_breaks_noting_the_clocked_span() {
    let breaks = json!([{"id": "b1", "startTime": "2026-06-12T18:00:00.000Z", "endTime": "2026-06-12T18:30:00.000Z"}]);
    let staged = map_time_entry(&entry(breaks, json!("2026-06-12T22:30:00.000Z")), &names())
        .expect("readable")
        .expect("closed");
    assert_eq!(
        staged.data["span"]["duration_seconds"],
        8 * 3600,
        "8.5 h clocked less a half-hour break is 8 h paid"
    );
    let notes = staged.data["notes"].as_str().unwrap_or_default();
    assert!(
        notes.contains("clocked 14:00–22:30 UTC"),
        "the clocked span is noted: {notes}"
    );
    assert_eq!(
        staged.label, "Alex Admin · 2026-06-12",
        "labelled by the member and day"
    );
}

#[test]
fn an_entry_without_breaks_is_staged_clocked() {
    let staged = map_time_entry(
        &entry(json!([]), json!("2026-06-12T22:30:00.000Z")),
        &names(),
    )
    .expect("readable")
    .expect("closed");
    assert_eq!(
        staged.data["span"]["start"], "2026-06-12T14:00:00Z",
        "clocked in at the start"
    );
    assert_eq!(
        staged.data["task_external_id"], "c1",
        "its cost code is the task"
    );
}

#[test]
fn an_entry_still_running_is_left_for_the_next_sync() {
    let running = map_time_entry(&entry(json!([]), Value::Null), &names()).expect("readable");
    assert!(
        running.is_none(),
        "no endTime: the member is still clocked in"
    );
}

#[test]
fn breaks_longer_than_the_entry_are_refused_with_a_reason() {
    let breaks = json!([{"id": "b1", "startTime": "2026-06-12T10:00:00.000Z", "endTime": "2026-06-12T20:00:00.000Z"}]);
    let problem = map_time_entry(&entry(breaks, json!("2026-06-12T15:00:00.000Z")), &names())
        .expect_err("unpayable");
    assert!(
        problem.contains("longer than"),
        "the skip says why: {problem}"
    );
}

#[test]
fn an_archived_member_is_an_inactive_employee_numbered_by_member_number() {
    let member = json!({"id": "m1", "firstName": "Alex", "lastName": "Admin", "memberNumber": "E1001",
                        "archivedOn": "2026-06-01T00:00:00.000Z", "deletedOn": null});
    let staged = map_member(&member).expect("mapped");
    assert_eq!(
        staged.data["employee_number"], "E1001",
        "memberNumber is the employee number"
    );
    assert_eq!(staged.data["active"], false, "archived is inactive");
}

#[test]
fn a_members_wage_history_is_staged_oldest_first_without_deleted_wages() {
    let member = json!({"id": "m1", "firstName": "Alex", "lastName": "Admin", "wageHistories": [
        {"wage": 24.5, "wageRate": 10, "changeDate": "2026-03-01T05:00:00.000Z", "deletedOn": null},
        {"wage": 22, "wageRate": 10, "changeDate": "2025-03-01T05:00:00.000Z", "deletedOn": null},
        {"wage": 99, "wageRate": 10, "changeDate": "2025-09-01T05:00:00.000Z", "deletedOn": "2025-09-02T00:00:00.000Z"},
        {"wage": 52000, "wageRate": 50, "changeDate": "2026-06-01T05:00:00.000Z", "deletedOn": null}]});
    let staged = map_member(&member).expect("mapped");
    assert_eq!(
        staged.data["wages"],
        json!([{"from": "2025-03-01", "amount": "22.00", "per": "hour"},
               {"from": "2026-03-01", "amount": "24.50", "per": "hour"},
               {"from": "2026-06-01", "amount": "52000.00", "per": "year"}]),
        "each wage in force from its change date, in cents, the deleted one left out"
    );
}

#[test]
fn the_latest_hours_and_cost_budgets_of_a_project_are_one_budget() {
    let hours = [
        (
            "h1".to_owned(),
            json!({"projectId": "p1", "budgetSeconds": 7200, "isLatest": true}),
        ),
        (
            "h0".to_owned(),
            json!({"projectId": "p1", "budgetSeconds": 3600, "isLatest": false}),
        ),
    ];
    let costs = [(
        "c1".to_owned(),
        json!({"projectId": "p1", "costBudget": 1250.5, "isLatest": true}),
    )];
    let budgets = derive_budgets(&hours, &costs, &HashMap::new());
    assert_eq!(budgets.len(), 1, "one budget for the project");
    assert_eq!(
        (
            budgets[0].data["budget_seconds"].clone(),
            budgets[0].data["amount_cents"].clone()
        ),
        (json!(7200), json!(125_050)),
        "the budget in force: its hours and its cost in cents"
    );
}
