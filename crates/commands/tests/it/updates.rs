//! The update commands: the setting that turns checks off, and what they
//! ask of the shell's updater (stood in for here; the real one is tested
//! against a loopback release server in src-tauri).

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use timebridge_commands::{UpdateState, Updates};
use timebridge_core::ErrorCode;

use crate::common;

/// An updater that offers one version and records what it was asked.
#[derive(Default)]
struct StandIn {
    asked: Mutex<Vec<String>>,
}

impl Updates for StandIn {
    fn state(&self) -> UpdateState {
        UpdateState::Available {
            version: "9.0.0".into(),
            notes: Some("New things.".into()),
            published: None,
        }
    }
    fn set_enabled(&self, enabled: bool) {
        self.record(format!("enabled {enabled}"));
    }
    fn check(&self) {
        self.record("check".into());
    }
    fn install(&self) -> timebridge_core::Result<()> {
        self.record("install".into());
        Ok(())
    }
}

impl StandIn {
    fn record(&self, what: String) {
        self.asked.lock().expect("lock").push(what);
    }
    fn asked(&self) -> Vec<String> {
        self.asked.lock().expect("lock").clone()
    }
}

fn harness_with_updater() -> (common::Harness, Arc<StandIn>) {
    let h = common::harness();
    let updater = Arc::new(StandIn::default());
    h.api.set_updates(updater.clone());
    (h, updater)
}

#[test]
fn checks_are_on_until_turned_off_and_a_copy_without_an_updater_says_so() {
    let mut h = common::harness();

    let status = h.admin_call("update_status", Value::Null);

    assert_eq!(
        (&status["check_for_updates"], &status["update"]["state"]),
        (&json!(true), &json!("unsupported")),
        "checks default to on; with no updater plugged in the status says it cannot update: {status}"
    );
}

#[test]
fn the_found_version_and_its_notes_are_shown() {
    let (mut h, _) = harness_with_updater();

    let status = h.admin_call("update_status", Value::Null);

    assert_eq!(
        (&status["update"]["version"], &status["update"]["notes"]),
        (&json!("9.0.0"), &json!("New things.")),
        "the Settings page gets what the updater found: {status}"
    );
}

#[test]
fn turning_checks_off_is_saved_audited_and_stops_the_updater() {
    let (mut h, updater) = harness_with_updater();

    let status = h.admin_call(
        "save_update_settings",
        json!({ "check_for_updates": false }),
    );

    assert_eq!(
        (&status["check_for_updates"], &status["update"]["state"]),
        (&json!(false), &json!("off")),
        "the status says off, whatever the updater found: {status}"
    );
    assert_eq!(
        updater.asked(),
        vec!["enabled false".to_owned()],
        "the updater is told at once"
    );
    let log = h.admin_call("list_audit_log", json!({"page": 1, "page_size": 50}));
    assert!(
        log["rows"].as_array().is_some_and(|items| items
            .iter()
            .any(|e| e["action"] == "app.update_checks_changed")),
        "who turned checks off is in the audit log: {log}"
    );
}

#[test]
fn with_checks_off_neither_a_check_nor_an_install_reaches_the_updater() {
    let (mut h, updater) = harness_with_updater();
    h.admin_call(
        "save_update_settings",
        json!({ "check_for_updates": false }),
    );

    let check = h.admin_try("check_for_updates", Value::Null);
    let install = h.admin_try("install_update", Value::Null);

    assert_eq!(
        (check.map_err(|e| e.code), install.map_err(|e| e.code)),
        (Err(ErrorCode::Conflict), Err(ErrorCode::Conflict)),
        "an office that turned checks off is not contacted"
    );
    assert_eq!(
        updater.asked(),
        vec!["enabled false".to_owned()],
        "nothing else was asked"
    );
}

#[test]
fn an_administrator_s_click_starts_the_install() {
    let (mut h, updater) = harness_with_updater();

    h.admin_call("install_update", Value::Null);

    assert_eq!(
        updater.asked(),
        vec!["install".to_owned()],
        "the updater was asked to install"
    );
}
