//! Connecting busybusy from the window's command: a member's username and
//! password, admins only; the password and session kept in the keyring,
//! never in the database; refusals marked on the form's field.

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_emulators::busybusy::{
    ADMIN_USERNAME, Emulator, EmulatorOptions, Organization, OrganizationSpec, PASSWORD,
    WORKER_USERNAME,
};

use crate::common;

fn emulator(h: &common::Harness) -> Emulator {
    let now = timebridge_core::time::Clock::now(h.clock.as_ref());
    h.runtime.block_on(async {
        Emulator::start(
            Organization::generate(&OrganizationSpec {
                members: 4,
                projects: 2,
                depth: 2,
                cost_codes: 3,
                days: 10,
                today: now.date_naive(),
                modified: now - chrono::Duration::hours(1),
            }),
            EmulatorOptions::default(),
        )
        .await
        .expect("emulator starts")
    })
}

fn args(h: &common::Harness, base_url: &str, username: &str, password: &str) -> Value {
    let now = timebridge_core::time::Clock::now(h.clock.as_ref());
    let pull_from = (now.date_naive() - chrono::Duration::days(14)).to_string();
    json!({"platform": "busybusy", "username": username, "password": password,
           "settings": {"base_url": base_url, "pull_from": pull_from, "interval_minutes": 120, "look_back_days": 14}})
}

#[test]
fn an_admin_connects_busybusy_syncs_it_and_the_password_stays_out_of_the_database() {
    let mut h = common::harness();
    let emulator = emulator(&h);
    let connected = h.admin_call(
        "connect_with_password",
        args(
            &h,
            &emulator.base_url(),
            &format!(" {ADMIN_USERNAME} "),
            PASSWORD,
        ),
    );
    assert_eq!(connected["platform"], "busybusy", "connected: {connected}");
    assert_eq!(h.secrets.len(), 1, "the sign-in is in the secret store");
    let settings = h
        .api
        .store()
        .read(|c| {
            Ok(c.query_row("SELECT settings FROM integrations", [], |r| {
                r.get::<_, String>(0)
            })?)
        })
        .expect("row");
    assert!(!settings.contains(PASSWORD), "and not in the database");
    h.admin_call("sync_now", json!({"id": connected["id"]}));
    let summary = h.wait_until_synced(&connected["id"]);
    assert_eq!(
        summary["health"], "ok",
        "the first sync succeeds: {summary}"
    );
}

#[test]
fn a_wrong_password_is_marked_on_the_password_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let emulator = emulator(&h);
    let error = h
        .admin_try(
            "connect_with_password",
            args(&h, &emulator.base_url(), ADMIN_USERNAME, "wrong-password"),
        )
        .expect_err("refused");
    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "password"),
        "a refused sign-in is a problem on the password"
    );
    assert!(
        !error.message.contains("wrong-password")
            && !error.fields[0].message.contains("wrong-password"),
        "the password is never echoed"
    );
    h.assert_nothing_saved();
}

#[test]
fn a_member_who_is_not_an_admin_is_refused_on_the_username_field() {
    let mut h = common::harness();
    let emulator = emulator(&h);
    let error = h
        .admin_try(
            "connect_with_password",
            args(&h, &emulator.base_url(), WORKER_USERNAME, PASSWORD),
        )
        .expect_err("refused");
    assert_eq!(
        error.fields[0].field, "username",
        "only an admin may connect (BB-AUTH-5): {error:?}"
    );
    assert!(
        error.fields[0].message.contains("not a busybusy admin"),
        "{:?}",
        error.fields[0]
    );
    h.assert_nothing_saved();
}
