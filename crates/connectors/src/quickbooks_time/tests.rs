//! Mapping QuickBooks Time records, from the documented example shapes.

use serde_json::json;

use super::jobcodes::{JobcodeTree, Placement};
use super::*;

fn tree() -> JobcodeTree {
    let records = vec![
        (
            "10".to_owned(),
            json!({"id": 10, "parent_id": 0, "name": "Acme Builders", "type": "regular", "active": true}),
        ),
        (
            "11".to_owned(),
            json!({"id": 11, "parent_id": 10, "name": "Main St", "short_code": "J-100", "type": "regular", "active": true}),
        ),
        (
            "12".to_owned(),
            json!({"id": 12, "parent_id": 11, "name": "Framing", "short_code": "01-100", "type": "regular", "active": true}),
        ),
        (
            "20".to_owned(),
            json!({"id": 20, "parent_id": 0, "name": "Shop time", "type": "regular", "active": true}),
        ),
        (
            "30".to_owned(),
            json!({"id": 30, "parent_id": 0, "name": "Vacation", "type": "pto", "active": true}),
        ),
        (
            "40".to_owned(),
            json!({"id": 40, "parent_id": 0, "name": "Lunch", "type": "unpaid_break", "active": true}),
        ),
    ];
    JobcodeTree::from_cache(&records)
}

#[test]
fn the_jobcode_tree_places_customers_jobs_tasks_and_pay_items() {
    let tree = tree();
    assert_eq!(
        tree.place("10"),
        Placement::Customer,
        "a top-level jobcode with children is a customer"
    );
    assert_eq!(
        tree.place("11"),
        Placement::Job {
            customer: Some("10".into())
        },
        "its child is a job of that customer"
    );
    assert_eq!(
        tree.place("12"),
        Placement::Task { job: "11".into() },
        "a grandchild is a task of the job"
    );
    assert_eq!(
        tree.place("20"),
        Placement::Job { customer: None },
        "a top-level jobcode without children is a job"
    );
    assert_eq!(
        tree.place("30"),
        Placement::PayItem,
        "a PTO jobcode is a pay item"
    );
    assert_eq!(tree.place("40"), Placement::Other, "breaks are not staged");
}

#[test]
fn a_user_with_placeholder_fields_maps_to_an_employee_without_them() {
    let user = json!({
        "id": 933849, "first_name": "Mary", "last_name": "Samsonite", "employee_number": 0,
        "email": "", "hire_date": "0000-00-00", "active": "1", "payroll_id": "", "mobile_number": "2087231456"
    });
    let employee = map_user(&user).expect("a user with an id maps");
    assert_eq!(employee.external_id, "933849", "the id is the external id");
    assert_eq!(
        employee.data,
        json!({"first_name": "Mary", "last_name": "Samsonite", "employee_number": null, "email": null,
               "phone": "2087231456", "hire_date": null, "payroll_id": null, "active": true}),
        "0, \"\" and 0000-00-00 read as nothing; \"1\" reads as true"
    );
}

#[test]
fn a_regular_timesheet_keeps_its_offset_and_lands_on_its_job_and_task() {
    let raw = json!({
        "id": 135288482, "user_id": 1242123, "jobcode_id": 12, "start": "2026-11-02T07:00:00-06:00",
        "end": "2026-11-02T15:30:00-06:00", "duration": 30600, "date": "2026-11-02", "tz": -6,
        "type": "regular", "on_the_clock": false, "notes": "east wall", "customfields": ""
    });
    let entry = map_timesheet(&raw, &tree(), &HashMap::new())
        .expect("maps")
        .expect("not skipped");
    assert_eq!(
        entry.data["span"]["start"], "2026-11-02T07:00:00-06:00",
        "the offset is kept as sent"
    );
    assert_eq!(
        (
            &entry.data["job_external_id"],
            &entry.data["task_external_id"]
        ),
        (&json!("11"), &json!("12")),
        "a task-level jobcode puts the time on the task's job"
    );
}

#[test]
fn a_manual_timesheet_is_a_date_and_a_duration() {
    let raw = json!({"id": 5, "user_id": 7, "jobcode_id": 30, "start": "", "end": "", "duration": 28800,
                     "date": "2026-11-03", "type": "manual", "on_the_clock": false});
    let entry = map_timesheet(&raw, &tree(), &HashMap::new())
        .expect("maps")
        .expect("not skipped");
    assert_eq!(
        entry.data["span"],
        json!({"kind": "manual", "date": "2026-11-03", "duration_seconds": 28800}),
        "manual time"
    );
    assert_eq!(
        entry.data["pay_item_external_id"], "30",
        "time on a PTO jobcode is that pay item"
    );
}

#[test]
fn a_running_timesheet_is_skipped_until_it_is_closed() {
    let raw = json!({"id": 6, "user_id": 7, "jobcode_id": 11, "start": "2026-11-02T07:00:00-06:00", "end": "",
                     "date": "2026-11-02", "type": "regular", "on_the_clock": true});
    assert_eq!(
        map_timesheet(&raw, &tree(), &HashMap::new()),
        Ok(None),
        "open entries wait until closed"
    );
}
