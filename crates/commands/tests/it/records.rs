//! Records through the commands: what the Records page does.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;

#[test]
fn a_record_created_through_the_commands_is_manual_and_audited() {
    let mut h = common::harness();
    h.admin_call(
        "create_employee",
        json!({"first_name": "Rosa", "last_name": "Diaz", "employee_number": "104"}),
    );

    let page = h.admin_call("list_employees", json!({"page": 1, "page_size": 50}));
    assert_eq!(
        page["rows"][0]["meta"]["synced_status"], "Manual",
        "hand-made records say Manual"
    );
    let log = h.admin_call("list_audit_log", json!({"action": "record.created"}));
    assert_eq!(
        log["rows"][0]["actor"], "Ada Admin (ada)",
        "the audit log names who created it"
    );
}

#[test]
fn a_validation_error_has_the_exact_shape_the_ui_reads() {
    let mut h = common::harness();
    let error = h
        .admin_try(
            "create_employee",
            json!({"first_name": " ", "last_name": "", "email": "nope"}),
        )
        .expect_err("invalid");
    let value = serde_json::to_value(&error).expect("serializes");
    assert_eq!(
        value,
        json!({
            "code": "validation",
            "message": "Enter a first or last name. (and 1 more problem)",
            "fields": [
                {"field": "last_name", "message": "Enter a first or last name."},
                {"field": "email", "message": "“nope” is not an e-mail address (expected name@example.com)."}
            ],
            "retry_after_seconds": null
        }),
        "the UI's forms read code, message and fields; this pins the JSON"
    );
}

#[test]
fn a_time_entry_saved_from_the_form_lists_with_its_employee_and_job() {
    let mut h = common::harness();
    let rosa = h.admin_call(
        "create_employee",
        json!({"first_name": "Rosa", "last_name": "Diaz"}),
    );
    let job = h.admin_call("create_job", json!({"name": "Main St"}));
    h.admin_call(
        "create_time_entry",
        json!({
            "employee_id": rosa["id"], "job_id": job["id"],
            "span": {"kind": "clock", "start": "2026-11-02T07:00:00-06:00", "end": "2026-11-02T15:30:00-06:00"},
            "notes": "framing"
        }),
    );

    let page = h.admin_call(
        "list_time_entries",
        json!({"sort": "date", "descending": true}),
    );
    let entry = &page["rows"][0];
    assert_eq!(
        (
            &entry["employee_name"],
            &entry["job_name"],
            &entry["duration_seconds"]
        ),
        (&json!("Rosa Diaz"), &json!("Main St"), &json!(30600)),
        "the list shows who, where and how long"
    );
    assert_eq!(
        entry["span"]["start"], "2026-11-02T07:00:00-06:00",
        "the offset comes back as entered"
    );
}

#[test]
fn an_unknown_command_is_an_internal_error_not_a_crash() {
    let mut h = common::harness();
    let error = h
        .admin_try("drop_all_tables", Value::Null)
        .expect_err("no such command");
    assert_eq!(
        error.code,
        ErrorCode::Internal,
        "a bad name from the UI is a bug, reported as such"
    );
}
