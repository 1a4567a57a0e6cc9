//! Integrations through the commands: what the Integrations page does.

mod common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};

/// A QuickBooks Time emulator serving the demo company, on the harness's runtime.
fn demo_emulator(h: &common::Harness) -> Emulator {
    let now = chrono::Utc::now();
    h.runtime.block_on(async {
        Emulator::start(
            Company::generate(&CompanySpec::demo(now.date_naive()), now),
            EmulatorOptions::default(),
        )
        .await
        .expect("emulator")
    })
}

fn wait_until_synced(h: &mut common::Harness, id: &Value) -> Value {
    for _ in 0..400 {
        let summary = h.admin_call("get_integration", json!({"id": id}));
        if summary["health"] != "running" && summary["last_run"].is_object() {
            return summary;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the sync did not finish in 10 seconds");
}

#[test]
fn the_overview_lists_every_platform_with_what_it_syncs_and_publishes() {
    let mut h = common::harness();
    let platforms = h.admin_call("list_platforms", Value::Null);
    let qbd = platforms
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["id"] == "quickbooks_desktop")
        .expect("listed");
    assert_eq!(
        qbd["publishes_payroll"], true,
        "QuickBooks Desktop can receive payroll"
    );
    let sandbox = platforms
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["id"] == "sandbox")
        .expect("listed");
    assert_eq!(
        (&sandbox["demo"], &sandbox["available"]),
        (&json!(true), &json!(true)),
        "the Sandbox is labelled demo data and can be connected"
    );
}

#[test]
fn connecting_the_sandbox_and_syncing_now_fills_its_modules_with_new_records() {
    let mut h = common::harness();
    let sandbox = h.admin_call("connect_sandbox", json!({}));
    let started = h.admin_call("sync_now", json!({"id": sandbox["id"]}));
    assert_eq!(started, true, "a sync starts");

    let summary = wait_until_synced(&mut h, &sandbox["id"]);
    assert_eq!(summary["health"], "ok", "the status turns green: {summary}");
    let modules = h.admin_call("staged_overview", json!({"id": sandbox["id"]}));
    let employees = modules
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["module"] == "employees")
        .expect("employees tab");
    assert_eq!(
        employees["counts"]["new"], 12,
        "the employees tab fills with the demo crew, all New"
    );
}

#[test]
fn a_token_the_platform_refuses_is_marked_on_the_token_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let emulator = demo_emulator(&h);
    let error = h
        .admin_try(
            "connect_with_token",
            json!({"platform": "quickbooks_time", "token": "S.wrong",
                   "settings": {"base_url": emulator.base_url(), "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}}),
        )
        .expect_err("refused");
    assert_eq!(
        error.code,
        ErrorCode::Validation,
        "a wrong token is a form problem"
    );
    assert_eq!(error.fields[0].field, "token", "the token field is marked");
    assert_eq!(
        h.admin_call("list_integrations", Value::Null),
        json!([]),
        "nothing was saved"
    );
    assert!(h.secrets.is_empty(), "and no secret was stored");
}

#[test]
fn a_good_token_is_saved_to_the_secret_store_and_disconnecting_deletes_it() {
    let mut h = common::harness();
    let emulator = demo_emulator(&h);
    let token = emulator.issue_token();
    let connected = h.admin_call(
        "connect_with_token",
        json!({"platform": "quickbooks_time", "token": token,
               "settings": {"base_url": emulator.base_url(), "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}}),
    );
    assert_eq!(h.secrets.len(), 1, "the token is in the secret store");
    let row = h
        .api
        .store()
        .read(|c| {
            Ok(c.query_row("SELECT settings FROM integrations", [], |r| {
                r.get::<_, String>(0)
            })?)
        })
        .expect("row");
    assert!(!row.contains(&token), "and not in the database");

    h.admin_call("disconnect_integration", json!({"id": connected["id"]}));

    assert!(
        h.secrets.is_empty(),
        "removing the integration deleted its secret"
    );
}
