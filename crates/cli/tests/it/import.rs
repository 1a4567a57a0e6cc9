//! `timebridge import`, run as a script would: look-alikes held back with
//! how to go on, `--link-suggested` importing everything, and one summary
//! however many chunks the import is written in.

use crate::common;

use serde_json::json;
use timebridge_core::middleware::Module;

#[test]
fn the_sandbox_pay_items_like_the_built_in_ones_are_held_back_with_how_to_go_on() {
    let db = common::db();
    db.json(&["connect", "sandbox"]);
    db.json(&["sync", "sandbox"]);

    let printed = db.ok(&["import", "sandbox", "pay-items", "--status", "new"]);

    assert!(
        printed
            .lines()
            .next()
            .unwrap_or_default()
            .ends_with("2 held back."),
        "the summary says how many were held back (Sick beside SICK, Holiday beside HOL): {printed}"
    );
    assert!(
        printed.contains("looks like SICK Sick") && printed.contains("--link-suggested"),
        "and names what each looks like and how to go on: {printed}"
    );
}

#[test]
fn link_suggested_imports_the_sandbox_pay_items_onto_the_built_in_ones() {
    let db = common::db();
    db.json(&["connect", "sandbox"]);
    db.json(&["sync", "sandbox"]);

    let summary = db.json(&[
        "import",
        "sandbox",
        "pay-items",
        "--status",
        "new",
        "--link-suggested",
    ]);
    let pay_ids = db.json(&["records", "list", "pay-ids", "--sort", "code"]);
    let sick = pay_ids["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|p| p["code"] == "SICK")
        .cloned()
        .unwrap_or_default();

    assert_eq!(
        (summary["linked"].clone(), summary["needs_link"].clone()),
        (json!(2), json!([])),
        "Sick and Holiday are linked, nothing is left to decide: {summary}"
    );
    assert_eq!(
        (
            pay_ids["total"].clone(),
            sick["meta"]["synced_status"].clone()
        ),
        (json!(7), json!("Imported from Sandbox (demo data)")),
        "no second SICK or HOL: the built-in SICK is now the Sandbox's Sick"
    );
}

/// An integration with Rosa, the source's pay item `Sick` (filed as paid
/// time off) and `entries` time entries of hers on it.
fn sick_days(db: &common::Db, entries: usize) -> i64 {
    let integration = db.integration("quickbooks_time", "Field crew");
    db.stage(
        integration,
        Module::Employees,
        &[common::staged_employee("u1", "Rosa", "Diaz")],
    );
    db.stage(
        integration,
        Module::PayItems,
        &[common::incoming(
            "p1",
            "Sick",
            json!({"code": "Sick", "name": "Sick", "category": "pto", "multiplier": 1.0, "active": true}),
        )],
    );
    let days: Vec<_> = (0..entries)
        .map(|i| {
            common::time_entry(
                &format!("t{i}"),
                "u1",
                &format!("2026-10-{:02}", 1 + i % 28),
                1,
                Some("p1"),
            )
        })
        .collect();
    db.stage(integration, Module::TimeEntries, &days);
    integration
}

#[test]
fn time_held_back_by_its_pay_item_says_which_link_lets_it_in() {
    let db = common::db();
    sick_days(&db, 3);
    let pay_item = db.json(&["staged", "list", "field crew", "pay-items"])["rows"][0]["id"].clone();

    let printed = db.ok(&["import", "Field crew", "time-entries", "--status", "new"]);

    assert!(
        printed
            .lines()
            .next()
            .unwrap_or_default()
            .ends_with("0 skipped, 3 held back."),
        "the three entries are held back, not counted as plain skips: {printed}"
    );
    assert!(
        printed.contains(&format!("Sick (#{pay_item}) looks like SICK Sick"))
            && printed.contains(&format!("--link {pay_item}:"))
            && printed.contains("3 time entries need this pay item"),
        "the report names the pay item to link, with the flag to do it: {printed}"
    );
}

#[test]
fn link_suggested_imports_the_time_held_back_by_its_pay_item() {
    let db = common::db();
    sick_days(&db, 3);

    let summary = db.json(&[
        "import",
        "FIELD CREW",
        "time_entries",
        "--status",
        "new",
        "--link-suggested",
    ]);

    assert_eq!(
        (
            summary["created"].clone(),
            summary["linked"].clone(),
            summary["skipped"].clone()
        ),
        (json!(4), json!(1), json!([])),
        "the entries and Rosa are created, Sick linked to SICK, nothing skipped: {summary}"
    );
}

#[test]
fn an_import_of_several_chunks_prints_one_summary_line() {
    let db = common::db();
    let entries = timebridge_core::middleware::import::CHUNK + 1;
    sick_days(&db, entries);

    let printed = db.ok(&[
        "import",
        "Field crew",
        "time-entries",
        "--status",
        "new",
        "--link-suggested",
    ]);
    let summaries: Vec<&str> = printed
        .lines()
        .filter(|l| l.contains(" created, "))
        .collect();

    assert_eq!(
        summaries,
        [format!(
            "{} created, 0 updated, 1 linked, 0 deactivated, 0 already imported, 0 skipped, 0 held back.",
            entries + 1
        )],
        "one line for the whole import, counting both chunks: {printed}"
    );
}

#[test]
fn records_skipped_for_one_reason_across_chunks_are_reported_together() {
    let db = common::db();
    let integration = db.integration("quickbooks_time", "Field crew");
    let entries = timebridge_core::middleware::import::CHUNK + 1;
    let orphans: Vec<_> = (0..entries)
        .map(|i| common::time_entry(&format!("t{i}"), "u9", "2026-10-01", 1, None))
        .collect();
    db.stage(integration, Module::TimeEntries, &orphans);

    let printed = db.ok(&["import", "Field crew", "time-entries", "--status", "new"]);
    let skip_lines: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("Skipped"))
        .collect();

    assert_eq!(
        skip_lines.len(),
        1,
        "one line for one reason, not one per record or per chunk: {printed}"
    );
    assert!(
        skip_lines[0].starts_with(&format!("Skipped {entries} time entries"))
            && skip_lines[0].contains("has not been synced"),
        "it counts them all and gives the reason: {}",
        skip_lines[0]
    );
}
