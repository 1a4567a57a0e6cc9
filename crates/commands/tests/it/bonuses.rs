//! Job costing and crew bonuses through the command table: the figures, the
//! wages they are costed at, and approval held to the Approve Bonuses
//! permission.

use serde_json::{Value, json};
use timebridge_core::ErrorCode;

use crate::common::{self, Harness};

/// A job budgeted 100 h, worked 40 h each by two employees paid $30 and
/// $20 an hour; its id.
fn costed_job(h: &mut Harness) -> i64 {
    let job = h.admin_call("create_job", json!({"name": "Maple Court"}))["id"].clone();
    h.admin_call(
        "create_budget",
        json!({"job_id": job, "budget_seconds": 100 * 3600}),
    );
    for (first, cents) in [("Ana", 3000), ("Ben", 2000)] {
        let employee = h.admin_call(
            "create_employee",
            json!({"first_name": first, "last_name": "Crew"}),
        )["id"]
            .clone();
        h.admin_call(
            "set_employee_wage",
            json!({"employee_id": employee, "from": "2026-01-01", "cents_per_hour": cents}),
        );
        for day in ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"] {
            h.admin_call(
                "create_time_entry",
                json!({"employee_id": employee, "job_id": job,
                       "span": {"kind": "manual", "date": day, "duration_seconds": 10 * 3600}}),
            );
        }
    }
    job.as_i64().expect("a job id")
}

fn open_bonus(h: &mut Harness, job: i64) -> Value {
    let pay = h.admin_call(
        "create_pay_id",
        json!({"code": "BONUS", "name": "Production bonus", "category": "other", "multiplier": 1.0}),
    );
    let plan = h.admin_call(
        "save_bonus_plan",
        json!({"name": "Crew half", "pay_id": pay["id"],
               "rules": {"share_percent": "50", "split": "by_hours", "cap_cents": null,
                         "loss_policy": "carry"}}),
    );
    h.admin_call(
        "create_bonus",
        json!({"plan_id": plan["id"], "job_id": job}),
    )
}

#[test]
fn job_costing_reads_the_hours_and_their_labour_cost() {
    let mut h = common::harness();
    let job = costed_job(&mut h);
    let report = h.admin_call("job_costing", json!({}));
    let figures = &report["jobs"][0]["figures"];
    assert_eq!(
        (
            report["jobs"][0]["job_id"].as_i64(),
            figures["actual_seconds"].as_i64(),
            figures["labour_cents"].as_i64(),
            figures["status"].as_str()
        ),
        (Some(job), Some(80 * 3600), Some(200_000), Some("at_risk")),
        "80 of 100 h, $1,200 + $800 of labour: {report}"
    );
}

#[test]
fn approving_a_bonus_needs_approve_bonuses() {
    let mut h = common::harness();
    let job = costed_job(&mut h);
    let bonus = open_bonus(&mut h, job);
    assert_eq!(
        bonus["outcome"]["pool_cents"], 25_000,
        "20 h saved at $25/h, half to the crew: {bonus}"
    );
    let role = h.builtin_role("payroll_manager");
    let mut manager = h.operator("manager", role);
    let refused = h
        .call(&mut manager, "approve_bonus", json!({"id": bonus["id"]}))
        .expect_err("a payroll manager does not approve bonuses unless granted");
    assert_eq!(
        refused.code,
        ErrorCode::PermissionDenied,
        "refused: {refused:?}"
    );
    let approved = h.admin_call("approve_bonus", json!({"id": bonus["id"]}));
    assert_eq!(approved["state"], "approved", "an administrator approves");
    let log = h.admin_call("list_audit_log", json!({"action": "bonus.approved"}));
    assert_eq!(
        log["total"], 1,
        "the approval is in the activity log: {log}"
    );
}

#[test]
fn statements_are_saved_as_one_pdf() {
    let mut h = common::harness();
    let job = costed_job(&mut h);
    let bonus = open_bonus(&mut h, job);
    let path = h.dir.path().join("statements.pdf");
    let saved = h.admin_call(
        "save_bonus_statements",
        json!({"id": bonus["id"], "path": path.display().to_string()}),
    );
    assert_eq!(saved, json!(path.display().to_string()), "says where");
    let bytes = std::fs::read(&path).expect("written");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let relative = h
        .admin_try(
            "save_bonus_statements",
            json!({"id": bonus["id"], "path": "statements.pdf"}),
        )
        .expect_err("a path that is not whole is refused");
    assert_eq!(
        relative.fields.first().map(|f| f.field.as_str()),
        Some("path"),
        "on the path field"
    );
}
