//! Importing from the window: a terminated employee's last hours come in
//! and are paid, and the source's Sick can be linked to the built-in SICK.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::middleware::{Incoming, Module, staged};
use timebridge_core::time::Clock;

/// Rosa, deactivated at the source after her last day, and her last 8 hours
/// on 2026-10-30, staged in a new Sandbox connection; its id.
fn terminated_rosa(h: &mut common::Harness) -> Value {
    let id = h.admin_call("connect_sandbox", json!({}))["id"].clone();
    let integration = id.as_i64().expect("id");
    let now = h.clock.now();
    let rosa = Incoming {
        external_id: "u1".into(),
        label: "Rosa Diaz".into(),
        data: json!({"first_name": "Rosa", "last_name": "Diaz", "employee_number": "E-7", "email": null,
                     "phone": null, "hire_date": null, "active": false}),
        record_date: None,
    };
    let last_day = Incoming {
        external_id: "t1".into(),
        label: "Rosa Diaz · 2026-10-30".into(),
        data: json!({"employee_external_id": "u1", "job_external_id": null, "task_external_id": null,
                     "pay_item_external_id": null, "notes": "",
                     "span": {"kind": "manual", "date": "2026-10-30", "duration_seconds": 8 * 3600}}),
        record_date: "2026-10-30".parse().ok(),
    };
    h.api
        .store()
        .write(|tx| {
            staged::apply_page(tx, integration, Module::Employees, None, &[rosa], now)?;
            staged::apply_page(tx, integration, Module::TimeEntries, None, &[last_day], now)
        })
        .expect("staged");
    id
}

#[test]
fn the_window_imports_a_terminated_employees_last_hours_and_the_period_pays_them() {
    let mut h = common::harness();
    let id = terminated_rosa(&mut h);

    let summary = h.admin_call(
        "import_staged",
        json!({"integration_id": id, "module": "time_entries",
               "selection": {"kind": "matching", "filter": {"status": "new"}}}),
    );
    let hours = h.admin_call("payroll_hours", json!({"date": "2026-10-30"}));
    let employees = h.admin_call(
        "list_employees",
        json!({"include_inactive": true, "page_size": 10}),
    );

    assert_eq!(
        (summary["created"].clone(), summary["skipped"].clone()),
        (json!(2), json!([])),
        "her entry comes in with her, not skipped as deactivated: {summary}"
    );
    assert_eq!(
        employees["rows"][0]["active"],
        json!(false),
        "she is created deactivated, as the source has her"
    );
    assert_eq!(
        hours["employees"][0]["hours"]["total_seconds"],
        json!(8 * 3600),
        "and the period's payroll has her 8 hours: {hours}"
    );
}

#[test]
fn the_window_links_the_sandboxs_sick_to_the_built_in_sick() {
    let mut h = common::harness();
    let id = h.admin_call("connect_sandbox", json!({}))["id"].clone();
    h.runtime
        .block_on(h.api.engine().runs().sync(
            id.as_i64().expect("id"),
            timebridge_core::middleware::runs::RunTrigger::Manual,
        ))
        .expect("synced");
    let offered = h.admin_call(
        "import_staged",
        json!({"integration_id": id, "module": "pay_items",
               "selection": {"kind": "matching", "filter": {"status": "new"}}}),
    );
    let sick = offered["needs_link"]
        .as_array()
        .expect("look-alikes")
        .iter()
        .find(|l| l["label"] == "Sick")
        .cloned()
        .expect("the Sandbox's Sick looks like SICK");

    // What the dialog sends when the admin keeps "Link to SICK".
    let linked = h.admin_call(
        "import_staged",
        json!({"integration_id": id, "module": "pay_items",
               "selection": {"kind": "ids", "ids": [sick["staged_id"]]},
               "options": {"include_dependencies": true, "resolutions": {},
                           "links": {sick["staged_id"].to_string(): {"kind": "existing", "local_id": sick["local_id"]}}}}),
    );

    assert_eq!(
        (linked["linked"].clone(), linked["skipped"].clone()),
        (json!(1), json!([])),
        "the link is made, not refused for the built-in's category: {linked}"
    );
}
