//! Publishing payroll to the Sandbox over real HTTP, through the commands
//! the payroll page calls: map the pay IDs, fix what blocks, publish, edit
//! a time entry in the locked period, publish the correction. And what a
//! period leaves out: the Sandbox's time synced but not imported is counted
//! on the review and the hours, the staged review lists exactly those
//! entries, importing them adds exactly those hours, and publishing without
//! them needs the admin's confirmation.

use crate::common;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_core::permissions::Permission;
use timebridge_core::records::time_entries::{self, TimeSpan};

const DAY: &str = "2026-10-28";

/// The pay IDs worked time goes to, and the Sandbox's items for them.
pub(crate) const WORKED: &[(&str, &str)] = &[
    ("REG", "Hourly Rate"),
    ("OT", "Overtime Rate"),
    ("DT", "Double-time Rate"),
];

/// The Sandbox connected and synced (nothing imported yet), with weekly
/// Chicago payroll from Monday 26 October and daily overtime after 8 hours.
pub(crate) fn synced_sandbox(h: &mut common::Harness) -> i64 {
    let id = h.admin_call("connect_sandbox", json!({}))["id"]
        .as_i64()
        .expect("id");
    h.runtime
        .block_on(
            h.api
                .engine()
                .runs()
                .sync(id, timebridge_core::middleware::runs::RunTrigger::Manual),
        )
        .expect("synced");
    let mut settings = h.admin_call("payroll_settings", Value::Null);
    settings["time_zone"] = json!("America/Chicago");
    settings["frequency"] = json!("weekly");
    settings["anchor"] = json!("2026-10-26");
    settings["overtime"]["daily_after_seconds"] = json!(8 * 3600);
    h.admin_call("save_payroll_settings", settings);
    id
}

/// [`synced_sandbox`], with every New time entry imported.
pub(crate) fn sandbox_company(h: &mut common::Harness) -> i64 {
    let id = synced_sandbox(h);
    h.admin_call(
        "import_staged",
        json!({"integration_id": id, "module": "time_entries",
               "selection": {"kind": "matching", "filter": {"status": "new"}},
               "options": {"import_dependencies": true}}),
    );
    id
}

pub(crate) fn target(id: i64) -> Value {
    json!({"kind": "integration", "id": id})
}

fn review(h: &mut common::Harness, id: i64) -> Value {
    h.admin_call("payroll_review", json!({"date": DAY, "target": target(id)}))
}

/// Maps REG, OT and DT to the Sandbox's items, picked from its list.
pub(crate) fn map_pay_ids(h: &mut common::Harness, id: i64, codes: &[(&str, &str)]) {
    let items = h.admin_call("refresh_payroll_items", json!({"integration_id": id}));
    let mapping = h.admin_call("payroll_mapping", json!({"target": target(id)}));
    for (code, item) in codes {
        let pay_id = mapping["pay_ids"]
            .as_array()
            .expect("pay IDs")
            .iter()
            .find(|p| p["code"] == *code)
            .expect("the pay ID exists")["id"]
            .clone();
        let external = items
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["name"] == *item)
            .expect("the Sandbox has the item")["external_id"]
            .clone();
        h.admin_call(
            "set_pay_item",
            json!({"target": target(id), "map": {"pay_id": pay_id, "employee_id": null, "item": item, "item_external_id": external}}),
        );
    }
}

/// What the Sandbox's payroll received, summed per (user, date, item).
fn received(h: &common::Harness, id: i64) -> BTreeMap<(i64, String, i64), i64> {
    let emulator = h
        .runtime
        .block_on(h.api.engine().sandbox().emulator(id, chrono::Utc::now(), 0))
        .expect("the sandbox runs");
    emulator.update(|company| {
        let mut out = BTreeMap::new();
        for r in &company.payroll.received {
            *out.entry((r.user_id, r.date.to_string(), r.payroll_item_id))
                .or_insert(0) += r.duration_seconds;
        }
        out.retain(|_, s| *s != 0);
        out
    })
}

/// The period's lines as the Sandbox should hold them, from the review.
fn expected(review: &Value) -> BTreeMap<(i64, String, i64), i64> {
    let mut out = BTreeMap::new();
    for line in review["prepared"]["lines"].as_array().expect("lines") {
        let user: i64 = line["employee_ref"]
            .as_str()
            .expect("matched")
            .parse()
            .expect("a user id");
        let item: i64 = line["item_external_id"]
            .as_str()
            .expect("picked from the list")
            .parse()
            .expect("an item id");
        *out.entry((user, line["date"].as_str().expect("date").to_owned(), item))
            .or_insert(0) += line["seconds"].as_i64().expect("seconds");
    }
    out.retain(|_, s| *s != 0);
    out
}

fn problems(review: &Value, severity: &str) -> Vec<String> {
    review["prepared"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["severity"] == severity)
        .map(|p| p["kind"].as_str().expect("kind").to_owned())
        .collect()
}

#[test]
fn unmapped_pay_ids_block_until_they_are_mapped() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    let before = review(&mut h, id);
    map_pay_ids(
        &mut h,
        id,
        &[("REG", "Hourly Rate"), ("OT", "Overtime Rate")],
    );
    let after = review(&mut h, id);
    assert!(
        problems(&before, "blocking")
            .iter()
            .all(|k| k == "pay_id_not_mapped")
            && !problems(&before, "blocking").is_empty(),
        "before mapping, only the pay IDs block: {:?}",
        problems(&before, "blocking")
    );
    assert_eq!(
        problems(&after, "blocking"),
        Vec::<String>::new(),
        "mapped, nothing blocks (imported employees are the Sandbox's own)"
    );
}

/// Edits a clocked entry's start and end through the command the form calls.
fn edit_clock(
    h: &mut common::Harness,
    entry_id: i64,
    edit: impl FnOnce(
        &mut chrono::DateTime<chrono::FixedOffset>,
        &mut chrono::DateTime<chrono::FixedOffset>,
    ),
) {
    let mut draft = h
        .api
        .store()
        .read(|conn| time_entries::get(conn, entry_id))
        .expect("the entry")
        .draft();
    if let TimeSpan::Clock {
        start,
        end: Some(end),
    } = &mut draft.span
    {
        edit(start, end);
    } else {
        panic!("the Sandbox's entries are clocked");
    }
    h.admin_call(
        "update_time_entry",
        json!({"id": entry_id, "draft": serde_json::to_value(&draft).expect("json")}),
    );
}

#[test]
fn hours_taken_off_a_line_and_put_back_reach_the_sandbox_again() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let period = review(&mut h, id);
    let entry_id = period["report"]["employees"][0]["hours"]["pieces"][0]["entry_id"]
        .as_i64()
        .expect("an entry");

    // The entry moves out of the period, a year back (its line goes to 0 h),
    // and back (the line has its first hours again, from 0 as at its first
    // send).
    let year = chrono::Duration::days(364);
    for shift in [-year, year] {
        edit_clock(&mut h, entry_id, |start, end| {
            *start += shift;
            *end += shift;
        });
        let correction = h.admin_call(
            "publish_payroll",
            json!({"date": DAY, "integration_id": id}),
        );
        assert_eq!(
            correction["publications"][0]["outcome"], "sent",
            "the correction is accepted: {correction}"
        );
    }
    assert_eq!(
        received(&h, id),
        expected(&review(&mut h, id)),
        "the hours put back are added again, not taken for the first send's duplicate"
    );
}

#[test]
fn publishing_sends_every_line_once_and_a_correction_sends_only_the_edit() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    let first = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let period = review(&mut h, id);
    assert_eq!(first["publications"][0]["outcome"], "sent", "{first}");
    assert_eq!(
        received(&h, id),
        expected(&period),
        "the Sandbox holds exactly the period's lines"
    );

    let again = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    assert_eq!(again["nothing_to_send"], true, "{again}");
    assert_eq!(
        received(&h, id),
        expected(&period),
        "publishing again sent nothing more"
    );

    // Edit one published entry: it ends an hour earlier.
    let entry_id = period["report"]["employees"][0]["hours"]["pieces"][0]["entry_id"]
        .as_i64()
        .expect("an entry");
    edit_clock(&mut h, entry_id, |start, end| {
        *end -= chrono::Duration::hours(1);
        let _ = start;
    });
    let locked = review(&mut h, id);
    let changes = locked["changes"].as_array().expect("changes").clone();
    let change_total: i64 = changes
        .iter()
        .map(|c| c["line"]["seconds"].as_i64().expect("seconds"))
        .sum();
    assert!(locked["locked"] == true, "the published period is locked");
    assert_eq!(
        change_total, -3600,
        "the changes since publication are the hour taken off"
    );

    let correction = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let publication = &correction["publications"][0];
    assert_eq!(publication["kind"], "correction");
    assert_eq!(
        publication["lines"].as_i64(),
        Some(changes.len() as i64),
        "the correction sends only the changed lines"
    );
    assert_eq!(
        received(&h, id),
        expected(&review(&mut h, id)),
        "after the correction the Sandbox holds the edited hours"
    );
}

#[test]
fn a_publish_the_target_refuses_is_recorded_and_goes_again_without_doubling() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    let emulator = h
        .runtime
        .block_on(h.api.engine().sandbox().emulator(id, chrono::Utc::now(), 0))
        .expect("the sandbox runs");
    emulator.inject(
        Some("payroll_time"),
        timebridge_emulators::quickbooks_time::Fault::Status(400),
    );
    let failed = h.admin_try(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let failed = failed.expect("the publish itself answers");
    assert_eq!(failed["publications"][0]["outcome"], "failed", "{failed}");
    assert!(
        failed["message"]
            .as_str()
            .expect("message")
            .contains("sent again when you publish again"),
        "the message says what happens next: {failed}"
    );
    let retry = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    assert_eq!(retry["publications"][0]["outcome"], "sent", "{retry}");
    assert_eq!(received(&h, id), expected(&review(&mut h, id)));
}

#[test]
fn publishing_needs_publish_payroll_and_is_in_the_activity_log() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    let role = h.role("Payroll clerk", &[Permission::ManagePayroll]);
    let mut clerk = h.operator("clerk", role);
    let refused = h
        .call(
            &mut clerk,
            "publish_payroll",
            json!({"date": DAY, "integration_id": id}),
        )
        .expect_err("a clerk cannot publish");
    h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let log = h.admin_call("list_audit_log", json!({"action": "payroll.published"}));
    assert_eq!(refused.code, ErrorCode::PermissionDenied);
    assert_eq!(log["total"], 1, "the publish is in the log: {log}");
}

/// Stages one more New entry of the period for the Sandbox's first
/// employee, as a sync would: two hours on the 28th.
fn stage_unimported_entry(h: &common::Harness, id: i64) {
    use timebridge_core::middleware::{Incoming, Module, staged};
    let store = h.api.store();
    let employee: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT external_id FROM bindings WHERE integration_id = ?1 AND module = 'employees' ORDER BY local_id LIMIT 1",
                [id],
                |r| r.get(0),
            )?)
        })
        .expect("an imported employee");
    let record = Incoming {
        external_id: "late-timesheet".into(),
        data: json!({"employee_external_id": employee, "job_external_id": null, "task_external_id": null,
                     "pay_item_external_id": null, "notes": "",
                     "span": {"kind": "manual", "date": DAY, "duration_seconds": 2 * 3600}}),
        label: format!("late timesheet · {DAY}"),
        record_date: Some(DAY.parse().expect("a date")),
    };
    store
        .write(|tx| {
            staged::apply_page(
                tx,
                id,
                Module::TimeEntries,
                None,
                &[record],
                chrono::Utc::now(),
            )
        })
        .expect("staged");
}

#[test]
fn publishing_while_staged_time_is_not_imported_is_refused_until_confirmed() {
    let mut h = common::harness();
    let id = sandbox_company(&mut h);
    map_pay_ids(&mut h, id, WORKED);
    stage_unimported_entry(&h, id);
    let left_out = review(&mut h, id)["report"]["unimported_staged"].clone();
    assert_eq!(
        (left_out["count"].as_i64(), left_out["seconds"].as_i64()),
        (Some(1), Some(2 * 3600)),
        "the late entry is the only one left out: {left_out}"
    );

    let refused = h
        .admin_try(
            "publish_payroll",
            json!({"date": DAY, "integration_id": id}),
        )
        .expect_err("unconfirmed, the publish stops");
    assert_eq!(
        (refused.code, refused.fields[0].field.as_str()),
        (ErrorCode::Validation, "confirm_unimported"),
        "a refusal the page answers by asking to confirm: {refused:?}"
    );
    assert!(
        refused.message.contains("1 staged time entry") && refused.message.contains("2.00 h"),
        "it says how many and how many hours: {}",
        refused.message
    );
    assert!(
        received(&h, id).is_empty(),
        "nothing was sent to the Sandbox"
    );

    let published = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id, "confirm_unimported": true}),
    );
    assert_eq!(
        published["publications"][0]["outcome"], "sent",
        "{published}"
    );
    assert_eq!(
        received(&h, id),
        expected(&review(&mut h, id)),
        "confirmed, the period's imported hours go, without the entry left out"
    );
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
