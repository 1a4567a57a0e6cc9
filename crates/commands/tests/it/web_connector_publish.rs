//! Publishing payroll into QuickBooks Desktop through the commands the
//! window calls: turning publishing on saves a read-write `.qwc` and says
//! what to do; a publish waits for the Web Connector; the progress the
//! payroll page polls fills in once an emulated Web Connector updates.

use crate::common;

use serde_json::{Value, json};
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, WebConnector};

const PASSWORD: &str = "Yard-Office-2026";
const DAY: &str = "2026-11-03";

/// A QuickBooks Desktop connection whose first update ran, and the Web
/// Connector in front of its company file.
fn connected(h: &mut common::Harness) -> (i64, WebConnector) {
    let started = h.admin_call(
        "connect_web_connector",
        json!({
            "platform": "quickbooks_desktop",
            "username": "office",
            "password": PASSWORD,
            "settings": {"base_url": "http://localhost:0/qbwc", "pull_from": "2026-10-19",
                         "interval_minutes": 60, "look_back_days": 14},
            "qwc_folder": h.dir.path().join("qwc").display().to_string(),
        }),
    );
    let wc = WebConnector::new(
        started["app_url"].as_str().expect("address"),
        Company::generate(&CompanySpec::default()),
    );
    update(h, &wc);
    let status = h.admin_call("web_connector_status", json!({"flow": started["flow"]}));
    let id = status["integration"]["id"].clone();
    h.wait_until_synced(&id);
    (id.as_i64().expect("an id"), wc)
}

/// One Web Connector update, to its end (the run too).
fn update(h: &mut common::Harness, wc: &WebConnector) {
    let answer = h
        .runtime
        .block_on(wc.update("office", PASSWORD))
        .expect("the Web Connector reaches Timebridge");
    assert_eq!(answer.auth_status, "", "signed in");
}

fn turn_publishing_on(h: &mut common::Harness, id: i64) -> Value {
    h.admin_call(
        "set_web_connector_publishing",
        json!({"id": id, "on": true, "folder": h.dir.path().join("again").display().to_string()}),
    )
}

/// The employees and pay items imported, 8 hours each on [`DAY`], every
/// pay ID mapped to QuickBooks' Hourly Rate.
fn payroll_to_publish(h: &mut common::Harness, id: i64) {
    for module in ["employees", "pay_items"] {
        h.admin_call(
            "import_staged",
            json!({"integration_id": id, "module": module,
                   "selection": {"kind": "matching", "filter": {"status": "new"}}}),
        );
    }
    let employees = h.admin_call("list_employees", json!({}));
    for employee in employees["rows"].as_array().expect("rows") {
        h.admin_call(
            "create_time_entry",
            json!({"employee_id": employee["id"],
                   "span": {"kind": "manual", "date": DAY, "duration_seconds": 8 * 3600}}),
        );
    }
    let items = h.admin_call("refresh_payroll_items", json!({"integration_id": id}));
    let hourly = items
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["name"] == "Hourly Rate")
        .expect("QuickBooks' wage item")
        .clone();
    let target = json!({"kind": "integration", "id": id});
    let mapping = h.admin_call("payroll_mapping", json!({"target": target}));
    for pay_id in mapping["pay_ids"].as_array().expect("pay IDs") {
        h.admin_call(
            "set_pay_item",
            json!({"target": target, "map": {"pay_id": pay_id["id"], "employee_id": null,
                   "item": "Hourly Rate", "item_external_id": hourly["external_id"]}}),
        );
    }
}

fn progress(h: &mut common::Harness, publication: &Value) -> Value {
    h.admin_call("publication_progress", json!({"id": publication}))
}

#[test]
fn turning_publishing_on_saves_a_read_write_qwc_and_says_what_to_do() {
    let mut h = common::harness();
    let (id, _wc) = connected(&mut h);
    let changed = turn_publishing_on(&mut h, id);
    let text = std::fs::read_to_string(changed["qwc_path"].as_str().expect("a path"))
        .expect("the new .qwc was saved");
    assert!(
        text.contains("<IsReadOnly>false</IsReadOnly>"),
        "the new file asks QuickBooks for write access: {text}"
    );
    assert_eq!(
        changed["integration"]["settings"]["web_connector"]["publishing"], true,
        "the connection now publishes"
    );
    let next = changed["next_step"].as_str().unwrap_or_default();
    assert!(
        next.contains("Add an application")
            && next.contains(changed["qwc_path"].as_str().unwrap_or("?")),
        "the admin is told to add that file to the Web Connector: {next}"
    );
    assert!(
        !text.contains(PASSWORD) && !next.contains(PASSWORD),
        "no password anywhere"
    );
}

#[test]
fn a_publication_waits_for_the_web_connector_then_its_progress_shows_every_answer() {
    let mut h = common::harness();
    let (id, wc) = connected(&mut h);
    turn_publishing_on(&mut h, id);
    payroll_to_publish(&mut h, id);
    let result = h.admin_call(
        "publish_payroll",
        json!({"date": DAY, "integration_id": id}),
    );
    let queued = &result["publications"][0];
    assert_eq!(
        (queued["outcome"].as_str(), queued["attempts"].as_i64()),
        (Some("sending"), Some(0)),
        "the publish result carries the publication waiting for the Web Connector: {result}"
    );
    let waiting = progress(&mut h, &queued["id"]);
    assert!(
        waiting["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .all(|l| l["accepted"].is_null()),
        "no line is answered before the Web Connector calls: {waiting}"
    );

    update(&mut h, &wc);
    h.wait_until_synced(&json!(id));
    let sent = progress(&mut h, &queued["id"]);
    assert_eq!(sent["publication"]["outcome"], "sent", "{sent}");
    let lines = sent["lines"].as_array().expect("lines");
    assert!(
        !lines.is_empty()
            && lines.iter().all(|l| l["accepted"] == true
                && l["remote_id"].is_string()
                && l["edit_sequence"].is_string()),
        "each line's answer carries its TxnID and EditSequence: {sent}"
    );
}
