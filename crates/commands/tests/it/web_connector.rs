//! Connecting QuickBooks Desktop through the commands the connect dialog
//! calls, with an emulated Web Connector calling Timebridge over HTTP.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, WebConnector};

const PASSWORD: &str = "Yard-Office-2026";

fn connect(
    h: &mut common::Harness,
    username: &str,
    password: &str,
) -> Result<Value, timebridge_core::ApiError> {
    let folder = h.dir.path().join("qwc");
    h.admin_try(
        "connect_web_connector",
        json!({
            "platform": "quickbooks_desktop",
            "username": username,
            "password": password,
            "settings": {
                "base_url": "http://localhost:0/qbwc",
                "pull_from": "2026-10-19",
                "interval_minutes": 60,
                "look_back_days": 14
            },
            "qwc_folder": folder.display().to_string(),
        }),
    )
}

fn status(h: &mut common::Harness, flow: &Value) -> Value {
    h.admin_call("web_connector_status", json!({"flow": flow}))
}

fn update(h: &common::Harness, wc: &WebConnector, username: &str, password: &str) -> String {
    h.runtime
        .block_on(wc.update(username, password))
        .expect("the Web Connector reaches Timebridge")
        .auth_status
}

/// The Web Connector in front of a generated company, at the address a
/// connection waits at.
fn web_connector(started: &Value) -> WebConnector {
    WebConnector::new(
        started["app_url"].as_str().expect("address"),
        Company::generate(&CompanySpec::default()),
    )
}

/// Connects as "office", lets the first update run; the integration's id.
fn connected(h: &mut common::Harness, started: &Value) -> Value {
    update(h, &web_connector(started), "office", PASSWORD);
    let id = status(h, &started["flow"])["integration"]["id"].clone();
    h.wait_until_synced(&id);
    id
}

#[test]
fn an_empty_username_and_a_short_password_are_both_marked() {
    let mut h = common::harness();
    let error = connect(&mut h, "  ", "short").expect_err("refused");
    assert_eq!(error.code, ErrorCode::Validation);
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["username", "password"], "both fields, at once");
}

#[test]
fn the_qwc_file_names_the_address_and_username_but_never_the_password() {
    let mut h = common::harness();
    let started = connect(&mut h, " office ", PASSWORD).expect("waiting");
    assert_eq!(started["username"], "office", "the username is trimmed");
    let text = std::fs::read_to_string(started["qwc_path"].as_str().expect("a path"))
        .expect("the .qwc file was saved");
    let app_url = started["app_url"].as_str().expect("an address");
    assert!(
        text.contains(&format!("<AppURL>{app_url}</AppURL>")),
        "the Web Connector is told where Timebridge answers: {text}"
    );
    assert!(text.contains("<UserName>office</UserName>"));
    assert!(
        !text.contains(PASSWORD),
        "the password stays out of the file"
    );
}

#[test]
fn the_web_connectors_first_update_connects_after_a_wrong_password_is_told_plainly() {
    let mut h = common::harness();
    let started = connect(&mut h, "office", PASSWORD).expect("waiting");
    let wc = web_connector(&started);

    assert_eq!(update(&h, &wc, "office", "yard-office-2026"), "nvu");
    let waiting = status(&mut h, &started["flow"]);
    assert_eq!(
        waiting["state"], "waiting",
        "still waiting for the right password"
    );
    assert!(
        waiting["refused"]
            .as_str()
            .unwrap_or_default()
            .contains("wrong username or password"),
        "the dialog says it plainly: {waiting}"
    );
    assert!(
        h.admin_call("list_integrations", Value::Null)
            .as_array()
            .expect("array")
            .is_empty(),
        "nothing is saved before QuickBooks has answered"
    );

    assert_eq!(update(&h, &wc, "office", PASSWORD), "");
    let connected = status(&mut h, &started["flow"]);
    assert_eq!(connected["state"], "connected", "{connected}");
    let id = connected["integration"]["id"].clone();
    assert_eq!(connected["integration"]["name"], "Lakeside Builders LLC");
    let summary = h.wait_until_synced(&id);
    assert_eq!(summary["health"], "ok", "{summary}");
    assert_eq!(
        h.staged_counts(&id, "employees")["new"],
        5,
        "the first update read the employees"
    );
    let db = std::fs::read(h.dir.path().join("timebridge.db")).expect("database file");
    assert!(
        !db.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()),
        "the password never reaches the database"
    );
}

#[test]
fn a_username_already_used_by_another_connection_is_refused() {
    let mut h = common::harness();
    let started = connect(&mut h, "office", PASSWORD).expect("waiting");
    connected(&mut h, &started);
    let error = connect(&mut h, "Office", PASSWORD).expect_err("taken");
    assert_eq!(error.fields[0].field, "username");
}

#[test]
fn sync_now_says_to_update_from_the_web_connector() {
    let mut h = common::harness();
    let started = connect(&mut h, "office", PASSWORD).expect("waiting");
    let id = connected(&mut h, &started);
    let error = h
        .admin_try("sync_now", json!({"id": id}))
        .expect_err("Timebridge cannot call QuickBooks Desktop");
    assert!(
        error.message.contains("Update Selected"),
        "says what to click: {}",
        error.message
    );
}

#[test]
fn the_qwc_file_can_be_saved_again_with_the_same_ids() {
    let mut h = common::harness();
    let started = connect(&mut h, "office", PASSWORD).expect("waiting");
    let first =
        std::fs::read_to_string(started["qwc_path"].as_str().expect("path")).expect("saved");
    let id = connected(&mut h, &started);
    let again = h.dir.path().join("again");
    let path = h.admin_call(
        "save_web_connector_file",
        json!({"id": id, "folder": again.display().to_string()}),
    );
    let second = std::fs::read_to_string(path.as_str().expect("path")).expect("saved again");
    assert_eq!(
        first, second,
        "the same application, so the Web Connector sees no new one"
    );
}

#[test]
fn a_cancelled_wait_says_so() {
    let mut h = common::harness();
    let started = connect(&mut h, "office", PASSWORD).expect("waiting");
    assert_eq!(
        h.admin_call("cancel_web_connector", json!({"flow": started["flow"]})),
        true
    );
    assert_eq!(status(&mut h, &started["flow"])["state"], "cancelled");
}
