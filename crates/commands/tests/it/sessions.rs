//! Signing in and out through the commands, and sessions following changes
//! made by an administrator.

use crate::common;

use chrono::Duration;
use serde_json::{Value, json};
use timebridge_commands::Client;
use timebridge_core::ErrorCode;

#[test]
fn the_first_start_asks_for_an_administrator_then_never_again() {
    let dir = tempfile::tempdir().expect("temp folder");
    let store = timebridge_core::Store::open(&dir.path().join("t.db")).expect("opens");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let api = timebridge_commands::Api::new(
        std::sync::Arc::new(store),
        std::sync::Arc::new(timebridge_core::time::SystemClock),
        std::sync::Arc::new(timebridge_connectors::secrets::MemorySecrets::default()),
        runtime.handle().clone(),
    );
    let mut client = Client::new();
    let before = api
        .call(&mut client, "app_status", Value::Null)
        .expect("status");
    assert_eq!(
        before["needs_first_administrator"], true,
        "a new database needs an administrator"
    );

    let session = api
        .call(
            &mut client,
            "create_first_administrator",
            json!({"username": "ada", "display_name": "Ada", "password": "long enough pw"}),
        )
        .expect("created");
    assert_eq!(
        session["operator"]["username"], "ada",
        "the new administrator is signed in"
    );
    let after = api
        .call(&mut client, "app_status", Value::Null)
        .expect("status");
    assert_eq!(
        after["needs_first_administrator"], false,
        "setup happens once"
    );
    assert_eq!(
        after["session"]["operator"]["username"], "ada",
        "the status shows who is signed in"
    );
}

#[test]
fn signing_out_ends_the_session() {
    let mut h = common::harness();
    h.admin_call("sign_out", Value::Null);
    let error = h
        .admin_try("list_employees", json!({}))
        .expect_err("signed out");
    assert_eq!(
        error.code,
        ErrorCode::NotSignedIn,
        "after sign-out nothing but public commands work"
    );
}

#[test]
fn a_deactivated_operator_is_signed_out_at_their_next_call() {
    let mut h = common::harness();
    let viewer = h.builtin_role("viewer");
    let mut vic = h.operator("vic", viewer);
    let vic_id = h.admin_call("list_operators", Value::Null)[1]["id"].clone();
    h.admin_call(
        "update_operator",
        json!({"id": vic_id, "draft": {"display_name": "vic", "role_id": viewer, "active": false}}),
    );

    let error = h
        .call(&mut vic, "list_employees", json!({}))
        .expect_err("deactivated");
    assert_eq!(
        error.code,
        ErrorCode::NotSignedIn,
        "deactivation ends the session at once"
    );
}

#[test]
fn a_role_change_takes_effect_at_the_next_call() {
    let mut h = common::harness();
    let manager = h.builtin_role("payroll_manager");
    let viewer = h.builtin_role("viewer");
    let mut pam = h.operator("pam", manager);
    let draft = json!({"first_name": "Rosa", "last_name": "Diaz"});
    h.call(&mut pam, "create_employee", draft.clone())
        .expect("a payroll manager can edit records");

    let pam_id = h
        .admin_call("list_operators", Value::Null)
        .as_array()
        .expect("array")
        .iter()
        .find(|o| o["username"] == "pam")
        .expect("pam listed")["id"]
        .clone();
    h.admin_call(
        "update_operator",
        json!({"id": pam_id, "draft": {"display_name": "pam", "role_id": viewer, "active": true}}),
    );

    let error = h
        .call(&mut pam, "create_employee", draft)
        .expect_err("now a viewer");
    assert_eq!(
        error.code,
        ErrorCode::PermissionDenied,
        "the new role applies without signing in again"
    );
}

#[test]
fn an_idle_session_ends_after_twelve_hours() {
    let mut h = common::harness();
    h.clock.advance(Duration::hours(13));
    let error = h
        .admin_try("list_employees", json!({}))
        .expect_err("idle too long");
    assert_eq!(
        error.code,
        ErrorCode::NotSignedIn,
        "a forgotten session must not stay open"
    );
}

#[test]
fn a_wrong_password_is_reported_as_exactly_that() {
    let h = common::harness();
    let error = h
        .call(
            &mut Client::new(),
            "sign_in",
            json!({"username": "ada", "password": "nope"}),
        )
        .expect_err("wrong password");
    assert_eq!(
        (error.code, error.message.as_str()),
        (ErrorCode::AuthFailed, "Wrong username or password."),
        "said plainly, with the code the sign-in screen acts on"
    );
}
