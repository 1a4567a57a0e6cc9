//! Payroll through the commands the UI calls: settings, and a period's
//! hours from the company's own time entries.

use crate::common;

use serde_json::{Value, json};

/// Rosa works 07:00-17:00 (10 hours) on Monday 2 November 2026 in Chicago,
/// and has a second, voided entry the same evening.
fn rosa_monday(h: &mut common::Harness) -> Value {
    let rosa = h.admin_call(
        "create_employee",
        json!({"first_name": "Rosa", "last_name": "Diaz", "employee_number": "104"}),
    );
    let job = h.admin_call("create_job", json!({"name": "Main St"}));
    h.admin_call(
        "create_time_entry",
        json!({
            "employee_id": rosa["id"], "job_id": job["id"],
            "span": {"kind": "clock", "start": "2026-11-02T07:00:00-06:00", "end": "2026-11-02T17:00:00-06:00"},
        }),
    );
    let voided = h.admin_call(
        "create_time_entry",
        json!({
            "employee_id": rosa["id"], "job_id": job["id"],
            "span": {"kind": "clock", "start": "2026-11-02T18:00:00-06:00", "end": "2026-11-02T20:00:00-06:00"},
        }),
    );
    h.admin_call(
        "set_time_entry_active",
        json!({"id": voided["id"], "active": false}),
    );
    rosa
}

fn chicago_daily_8(h: &mut common::Harness) {
    let mut settings = h.admin_call("payroll_settings", Value::Null);
    settings["time_zone"] = json!("America/Chicago");
    settings["frequency"] = json!("weekly");
    settings["anchor"] = json!("2026-11-02");
    settings["overtime"]["daily_after_seconds"] = json!(8 * 3600);
    h.admin_call("save_payroll_settings", settings);
}

#[test]
fn a_periods_hours_follow_the_saved_rules_and_leave_voided_time_out() {
    let mut h = common::harness();
    let rosa = rosa_monday(&mut h);
    chicago_daily_8(&mut h);

    let report = h.admin_call("payroll_hours", json!({"date": "2026-11-04"}));

    let codes: Vec<(String, i64)> = report["employees"][0]["hours"]["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .map(|t| {
            let code = report["pay_ids"]
                .as_array()
                .expect("pay ids")
                .iter()
                .find(|p| p["id"] == t["pay_id"])
                .expect("named")["code"]
                .as_str()
                .expect("code")
                .to_owned();
            (code, t["seconds"].as_i64().expect("seconds") / 3600)
        })
        .collect();
    assert_eq!(
        (
            &report["period"],
            &report["employees"][0]["employee_id"],
            codes
        ),
        (
            &json!({"start": "2026-11-02", "end": "2026-11-08"}),
            &rosa["id"],
            vec![("REG".to_owned(), 8), ("OT".to_owned(), 2)]
        ),
        "the week of 2 November: 8 regular and 2 daily overtime; the voided 2 hours are not paid"
    );
}

#[test]
fn the_period_chart_has_every_day_of_the_period() {
    let mut h = common::harness();
    rosa_monday(&mut h);
    chicago_daily_8(&mut h);

    let report = h.admin_call("payroll_hours", json!({"date": "2026-11-02"}));

    let days: Vec<(String, i64)> = report["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().expect("date").to_owned(),
                d["seconds"].as_i64().expect("seconds") / 3600,
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("2026-11-02".to_owned(), 10),
            ("2026-11-03".to_owned(), 0),
            ("2026-11-04".to_owned(), 0),
            ("2026-11-05".to_owned(), 0),
            ("2026-11-06".to_owned(), 0),
            ("2026-11-07".to_owned(), 0),
            ("2026-11-08".to_owned(), 0),
        ],
        "seven days, empty ones included, so the chart has no gaps"
    );
}

#[test]
fn saving_settings_with_an_unknown_time_zone_is_refused_and_keeps_the_old_ones() {
    let mut h = common::harness();
    chicago_daily_8(&mut h);
    let mut settings = h.admin_call("payroll_settings", Value::Null);
    settings["time_zone"] = json!("Chicago");

    let error = h
        .admin_try("save_payroll_settings", settings)
        .expect_err("not an IANA zone");
    let kept = h.admin_call("payroll_settings", Value::Null);

    assert_eq!(
        (
            serde_json::to_value(&error).expect("serializes")["fields"][0]["field"].clone(),
            kept["time_zone"].clone()
        ),
        (json!("time_zone"), json!("America/Chicago")),
        "the field is named, and the saved zone is unchanged"
    );
}

#[test]
fn changing_the_payroll_settings_is_in_the_activity_log() {
    let mut h = common::harness();
    chicago_daily_8(&mut h);

    let log = h.admin_call("list_audit_log", json!({"page": 1, "page_size": 5}));

    assert_eq!(
        log["rows"][0]["action"], "payroll.settings_changed",
        "the newest entry is the settings change: {log}"
    );
}
