//! Connecting QuickBooks Time by signing in in the browser, through the
//! commands the window uses, against the emulator. The "system browser" is
//! an HTTP client that follows the emulator's sign-in redirect.

use crate::common;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use timebridge_connectors::secrets::{Credentials, SecretStore};
use timebridge_core::ErrorCode;
use timebridge_emulators::quickbooks_time::{
    CLIENT_ID, CLIENT_SECRET, Company, CompanySpec, Emulator, EmulatorOptions, Fault,
};

/// A harness whose system browser follows the sign-in page at once.
fn harness_with_browser() -> common::Harness {
    common::harness_with(|api, runtime| {
        let runtime = runtime.clone();
        api.with_browser(move |url| {
            let url = url.to_owned();
            // The page is opened as soon as the sign-in begins, which may be
            // before the test has registered its redirect address with the
            // emulator: like an admin, the browser reloads a refused page.
            runtime.spawn(async move {
                for _ in 0..100 {
                    match reqwest::get(&url).await {
                        Ok(page) if page.status().is_success() => return,
                        _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                    }
                }
            });
            true
        })
    })
}

fn emulator(h: &common::Harness) -> Emulator {
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

/// Starts a sign-in; the admin has registered the redirect address the
/// dialog shows with the QuickBooks Time app.
fn begin(h: &mut common::Harness, emulator: &Emulator, client_id: &str) -> Value {
    let started = h.admin_call(
        "begin_browser_sign_in",
        json!({
            "platform": "quickbooks_time", "client_id": client_id, "client_secret": CLIENT_SECRET,
            "redirect_port": 0,
            "settings": {"base_url": emulator.base_url(), "pull_from": "2026-10-20",
                         "interval_minutes": 120, "look_back_days": 14},
        }),
    );
    if let Some(redirect) = started["redirect_uri"].as_str() {
        emulator
            .register_redirect_uri(redirect)
            .expect("a loopback address can be registered");
    }
    started
}

/// Asks for the sign-in's status until it is no longer waiting.
fn settle(h: &mut common::Harness, flow: &Value) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = h.admin_call("browser_sign_in_status", json!({"flow": flow}));
        if status["state"] != "waiting" || Instant::now() > deadline {
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn signing_in_in_the_browser_connects_with_the_tokens_in_the_secret_store() {
    let mut h = harness_with_browser();
    let emulator = emulator(&h);

    let started = begin(&mut h, &emulator, CLIENT_ID);
    let status = settle(&mut h, &started["flow"]);
    let id = status["integration"]["id"]
        .as_i64()
        .expect("an integration id");
    let saved = Credentials::load(h.secrets.as_ref() as &dyn SecretStore, id)
        .expect("readable")
        .expect("the sign-in is saved");

    assert_eq!(started["browser_opened"], true, "the browser was opened");
    assert_eq!(status["state"], "connected", "connected: {status}");
    assert!(
        saved.refresh_token.is_some(),
        "the renewable sign-in is in the secret store"
    );
    assert_eq!(
        h.admin_call("list_integrations", Value::Null)[0]["integration"]["platform"],
        "quickbooks_time",
        "the integration is listed"
    );
}

#[test]
fn the_connection_made_in_the_browser_syncs() {
    let mut h = harness_with_browser();
    let emulator = emulator(&h);
    let started = begin(&mut h, &emulator, CLIENT_ID);
    let id = settle(&mut h, &started["flow"])["integration"]["id"].clone();

    let run = h.runtime.block_on(h.api.engine().runs().sync(
        id.as_i64().expect("id"),
        timebridge_core::middleware::runs::RunTrigger::Manual,
    ));

    assert_eq!(
        run.expect("the sync ran").outcome,
        timebridge_core::middleware::runs::RunOutcome::Succeeded,
        "the browser sign-in's token reads the company"
    );
}

#[test]
fn a_sign_in_left_in_the_browser_can_be_cancelled_and_leaves_nothing_behind() {
    // This browser never comes back.
    let mut h = common::harness();
    let emulator = emulator(&h);

    let started = begin(&mut h, &emulator, CLIENT_ID);
    let cancelled = h.admin_call("cancel_browser_sign_in", json!({"flow": started["flow"]}));
    let status = settle(&mut h, &started["flow"]);

    assert_eq!(
        started["browser_opened"], false,
        "no browser opened, so the window shows the link: {started}"
    );
    assert_eq!(cancelled, true, "it was waiting");
    assert_eq!(status["state"], "cancelled", "ends as cancelled");
    assert_eq!(
        h.admin_call("list_integrations", Value::Null),
        json!([]),
        "no integration was made"
    );
    assert!(h.secrets.is_empty(), "and nothing was saved");
}

#[test]
fn a_declined_sign_in_fails_with_the_reason_and_saves_nothing() {
    let mut h = harness_with_browser();
    let emulator = emulator(&h);
    emulator.inject(None, Fault::DeclineSignIn);

    let started = begin(&mut h, &emulator, CLIENT_ID);
    let status = settle(&mut h, &started["flow"]);

    assert_eq!(status["state"], "failed", "not connected: {status}");
    assert_eq!(
        status["error"]["code"], "auth_failed",
        "a sign-in problem, in plain words: {status}"
    );
    assert!(h.secrets.is_empty(), "nothing was saved");
}

#[test]
fn a_second_sign_in_replaces_the_one_still_waiting() {
    let mut h = common::harness();
    let emulator = emulator(&h);

    let first = begin(&mut h, &emulator, CLIENT_ID);
    let second = begin(&mut h, &emulator, CLIENT_ID);

    assert_eq!(
        settle(&mut h, &first["flow"])["state"],
        "cancelled",
        "the first one stopped waiting"
    );
    assert_eq!(
        h.admin_call("browser_sign_in_status", json!({"flow": second["flow"]}))["state"],
        "waiting",
        "the new one waits for the browser"
    );
}

#[test]
fn missing_application_details_are_marked_on_their_fields() {
    let mut h = common::harness();

    let error = h
        .admin_try(
            "begin_browser_sign_in",
            json!({"platform": "quickbooks_time", "client_id": " ", "client_secret": ""}),
        )
        .expect_err("refused");
    let fields: Vec<_> = error.fields.iter().map(|f| f.field.as_str()).collect();

    assert_eq!(error.code, ErrorCode::Validation, "a form problem");
    assert_eq!(
        fields,
        ["client_id", "client_secret"],
        "both empty fields are marked at once"
    );
}
