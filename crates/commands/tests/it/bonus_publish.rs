//! An approved crew bonus paid through payroll to the Sandbox over real
//! HTTP, through the commands the windows call: the bonus pay ID mapped to
//! the Sandbox's Crew Bonus item, the bonus approved, its period published;
//! the Sandbox holds each worker's share as an amount, the bonus is paid,
//! and publishing again sends nothing.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::{self, Harness};
use crate::payroll_publish::{WORKED, map_pay_ids, sandbox_company, target};

/// The pinned day the bonus is approved on, and so paid in the week of.
const TODAY: &str = "2026-11-02";

/// A bonus of the Sandbox's busiest job, measured against 1,000 hours,
/// approved; returns it.
fn approved_bonus(h: &mut Harness, id: i64) -> Value {
    let pay = h.admin_call(
        "create_pay_id",
        json!({"code": "BONUS", "name": "Production bonus", "category": "other", "multiplier": 1.0}),
    );
    let items = h.admin_call("refresh_payroll_items", json!({"integration_id": id}));
    let crew_bonus = items
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["name"] == "Crew Bonus")
        .expect("the Sandbox has a bonus item")
        .clone();
    h.admin_call(
        "set_pay_item",
        json!({"target": target(id), "map": {"pay_id": pay["id"], "employee_id": null,
               "item": "Crew Bonus", "item_external_id": crew_bonus["external_id"]}}),
    );
    let costing = h.admin_call("job_costing", json!({}));
    let job = costing["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .max_by_key(|j| j["figures"]["actual_seconds"].as_i64().unwrap_or(0))
        .expect("the Sandbox's time is on jobs")["job_id"]
        .clone();
    let employees = h.admin_call("list_employees", json!({"page": 1, "page_size": 200}));
    for employee in employees["rows"].as_array().expect("employees") {
        h.admin_call(
            "set_employee_wage",
            json!({"employee_id": employee["id"], "from": "2026-01-01", "cents_per_hour": 2500}),
        );
    }
    let plan = h.admin_call(
        "save_bonus_plan",
        json!({"name": "Crew half", "pay_id": pay["id"],
               "rules": {"share_percent": "50", "split": "by_hours", "cap_cents": null,
                         "loss_policy": "carry"}}),
    );
    let bonus = h.admin_call(
        "create_bonus",
        json!({"plan_id": plan["id"], "job_id": job, "budget_seconds": 1000 * 3600}),
    );
    h.admin_call("approve_bonus", json!({"id": bonus["id"]}))
}

/// Each worker's share, by the Sandbox user they are, from the bonus.
fn shares(h: &mut Harness, bonus: &Value, id: i64) -> BTreeMap<i64, i64> {
    let review = h.admin_call(
        "payroll_review",
        json!({"date": TODAY, "target": target(id)}),
    );
    let mut out = BTreeMap::new();
    for line in review["prepared"]["lines"].as_array().expect("lines") {
        if line["bonus_id"] == bonus["id"] {
            let user: i64 = line["employee_ref"]
                .as_str()
                .expect("matched")
                .parse()
                .expect("a user id");
            *out.entry(user).or_insert(0) += line["cents"].as_i64().expect("cents");
        }
    }
    out
}

/// The amounts the Sandbox received, by user.
fn received_amounts(h: &Harness, id: i64) -> BTreeMap<i64, i64> {
    let emulator = h
        .runtime
        .block_on(h.api.engine().sandbox().emulator(id, chrono::Utc::now(), 0))
        .expect("the sandbox runs");
    emulator.update(|company| {
        let mut out = BTreeMap::new();
        for r in company
            .payroll
            .received
            .iter()
            .filter(|r| r.amount_cents != 0)
        {
            *out.entry(r.user_id).or_insert(0) += r.amount_cents;
        }
        out
    })
}

#[test]
fn an_approved_bonus_is_published_as_amounts_and_is_then_paid() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    let bonus = approved_bonus(&mut h, id);
    let pool = bonus["outcome"]["pool_cents"].as_i64().expect("a pool");
    assert!(pool > 0, "the crew came in under 1,000 h: {bonus}");
    let expected = shares(&mut h, &bonus, id);
    assert_eq!(
        expected.values().sum::<i64>(),
        pool,
        "the period's bonus lines are the whole pool"
    );

    let published = h.admin_call(
        "publish_payroll",
        json!({"date": TODAY, "integration_id": id, "confirm_unimported": true}),
    );
    assert_eq!(
        published["publications"][0]["outcome"], "sent",
        "{published}"
    );
    assert_eq!(
        received_amounts(&h, id),
        expected,
        "the Sandbox holds each worker's share as an amount on its bonus item"
    );
    let paid = h.admin_call("get_bonus", json!({"id": bonus["id"]}));
    assert_eq!(paid["state"], "paid", "published is paid: {paid}");

    let again = h.admin_call(
        "publish_payroll",
        json!({"date": TODAY, "integration_id": id, "confirm_unimported": true}),
    );
    assert_eq!(again["nothing_to_send"], true, "{again}");
    assert_eq!(
        received_amounts(&h, id),
        expected,
        "publishing again paid nothing twice"
    );
}

#[test]
fn marking_a_bonus_paid_by_hand_needs_approve_bonuses_and_a_note() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    let bonus = approved_bonus(&mut h, id);
    let refused = h
        .api
        .call(
            &mut h.admin,
            "mark_bonus_paid",
            json!({"id": bonus["id"], "note": "  "}),
        )
        .expect_err("a note is needed");
    assert_eq!(
        refused.code,
        timebridge_core::ErrorCode::Validation,
        "where it was paid is asked for: {refused:?}"
    );
    let paid = h.admin_call(
        "mark_bonus_paid",
        json!({"id": bonus["id"], "note": "On the Nov 6 paychecks"}),
    );
    assert_eq!(paid["state"], "paid", "{paid}");
    assert!(
        paid["paid_through"]
            .as_str()
            .is_some_and(|s| s.contains("Nov 6")),
        "the note is kept: {paid}"
    );
    assert!(
        shares(&mut h, &bonus, id).is_empty(),
        "no target receives a bonus paid by hand"
    );
}
