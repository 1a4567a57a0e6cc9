//! The payroll page says what a pay period leaves out, through the
//! commands the UI calls: the Sandbox's time synced but not imported is
//! counted on the review and the hours, the staged review lists exactly
//! those entries, and importing them adds exactly those hours.

mod common;

use serde_json::{Value, json};

const DAY: &str = "2026-10-28";

/// The Sandbox connected and synced (nothing imported), with weekly
/// Chicago payroll from Monday 26 October.
fn synced_sandbox(h: &mut common::Harness) -> i64 {
    let id = h.admin_call("connect_sandbox", json!({}))["id"]
        .as_i64()
        .expect("id");
    h.runtime
        .block_on(
            h.api
                .engine()
                .sync(id, timebridge_core::middleware::runs::RunTrigger::Manual),
        )
        .expect("synced");
    let mut settings = h.admin_call("payroll_settings", Value::Null);
    settings["time_zone"] = json!("America/Chicago");
    settings["frequency"] = json!("weekly");
    settings["anchor"] = json!("2026-10-26");
    h.admin_call("save_payroll_settings", settings);
    id
}

fn review(h: &mut common::Harness, id: i64) -> Value {
    h.admin_call(
        "payroll_review",
        json!({"date": DAY, "target": {"kind": "integration", "id": id}}),
    )
}

/// The period's left-out entries, as the warning's link lists them.
fn left_out_filter(report: &Value) -> Value {
    json!({"left_out_of_payroll": report["period"]})
}

#[test]
fn the_review_and_the_hours_count_the_synced_time_not_imported_and_whose_it_is() {
    let mut h = common::harness();
    let id = synced_sandbox(&mut h);

    let review = review(&mut h, id);
    let report = &review["report"];
    let left_out = &report["unimported_staged"];
    let count = left_out["count"].as_i64().expect("a count");
    assert!(
        count > 0,
        "the Sandbox's synced week is staged, none imported: {left_out}"
    );
    assert_eq!(
        report["total_seconds"], 0,
        "nothing imported, so the payroll has no hours"
    );
    assert!(
        left_out["seconds"].as_i64().is_some_and(|s| s > 0),
        "with their hours: {left_out}"
    );
    assert_eq!(
        left_out["integrations"][0]["integration_id"], id,
        "where to review them: {left_out}"
    );
    assert!(
        left_out["employees"]
            .as_array()
            .is_some_and(|e| !e.is_empty()
                && e.iter()
                    .all(|e| e["name"].as_str().is_some_and(|n| !n.is_empty()))),
        "and whose, by name: {left_out}"
    );
    let hours = h.admin_call("payroll_hours", json!({"date": DAY}));
    assert_eq!(
        hours["unimported_staged"], *left_out,
        "payroll_hours says the same as the review"
    );
}

#[test]
fn the_staged_review_lists_exactly_the_entries_left_out_and_importing_them_adds_their_hours() {
    let mut h = common::harness();
    let id = synced_sandbox(&mut h);
    let before = review(&mut h, id)["report"].clone();
    let left_out = before["unimported_staged"].clone();

    let listed = h.admin_call(
        "list_staged",
        json!({"integration_id": id, "module": "time_entries",
               "query": {"filter": left_out_filter(&before), "page_size": 500}}),
    );
    assert_eq!(
        listed["total"], left_out["count"],
        "the link's list holds as many entries as the warning says"
    );
    let all_new = h.admin_call(
        "list_staged",
        json!({"integration_id": id, "module": "time_entries",
               "query": {"filter": {"status": "new"}, "page_size": 1}}),
    );
    assert!(
        all_new["total"].as_i64() > listed["total"].as_i64(),
        "the Sandbox has time of other periods too, which the list leaves out: {} of {}",
        listed["total"],
        all_new["total"]
    );

    let summary = h.admin_call(
        "import_staged",
        json!({"integration_id": id, "module": "time_entries",
               "selection": {"kind": "matching", "filter": left_out_filter(&before)}}),
    );
    assert_eq!(
        summary["skipped"],
        json!([]),
        "every listed entry imports: {summary}"
    );
    let after = review(&mut h, id)["report"].clone();
    assert_eq!(
        after["total_seconds"], left_out["seconds"],
        "the hours counted as left out are exactly the hours the payroll gains when they are imported"
    );
    assert_eq!(
        after["unimported_staged"]["count"], 0,
        "and nothing is left out any more: {}",
        after["unimported_staged"]
    );
}
