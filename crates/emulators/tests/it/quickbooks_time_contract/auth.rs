//! Signing in and tokens: the QBT-AUTH and QBT-OAUTH rules.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use timebridge_emulators::quickbooks_time::{CLIENT_ID, CLIENT_SECRET, Emulator, EmulatorOptions};

use super::{client, emulator, get, unlimited};

#[tokio::test]
async fn a_request_without_a_bearer_token_is_unauthorized() {
    // contract: QBT-AUTH-1
    let (emulator, _) = unlimited().await;
    let response = client()
        .get(format!("{}/users", emulator.base_url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "no token, no data"
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["error"]["code"], 401,
        "the documented error body: {body}"
    );
}

#[tokio::test]
async fn an_access_token_stops_working_when_its_lifetime_ends() {
    // contract: QBT-AUTH-2
    let emulator = emulator(EmulatorOptions {
        rate_limit: None,
        token_lifetime_seconds: 1,
        ..Default::default()
    })
    .await;
    let token = emulator.issue_token();
    assert_eq!(
        get(&emulator, &token, "/current_user").await.0,
        200,
        "fresh"
    );
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        get(&emulator, &token, "/current_user").await.0,
        401,
        "after expires_in seconds the token is refused"
    );
}

#[tokio::test]
async fn a_token_without_permission_for_a_list_gets_the_same_401_while_current_user_answers() {
    // contract: QBT-AUTH-3
    let emulator = emulator(EmulatorOptions::unlimited()).await;
    let token = emulator.issue_token_without(&["/timesheets"]);
    let (status, body) = get(&emulator, &token, "/timesheets?start_date=2026-11-01").await;
    assert_eq!(status, 401, "not permitted is a 401 too");
    assert_eq!(
        body["error"]["message"], "Unauthorized",
        "the same words as an expired token"
    );
    assert_eq!(
        get(&emulator, &token, "/current_user").await.0,
        200,
        "the sign-in itself still works"
    );
}

fn authorize_url(emulator: &Emulator, pairs: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{}/authorize", emulator.base_url())).expect("url");
    url.query_pairs_mut().extend_pairs(pairs);
    url.into()
}

/// The redirect address `/authorize` sends the browser to, parsed.
async fn authorize(emulator: &Emulator, pairs: &[(&str, &str)]) -> (u16, Option<url::Url>) {
    let response = client()
        .get(authorize_url(emulator, pairs))
        .send()
        .await
        .expect("answered");
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .and_then(|l| url::Url::parse(l).ok());
    (response.status().as_u16(), location)
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

const REDIRECT: &str = "http://127.0.0.1:47290/callback";

#[tokio::test]
async fn authorize_without_a_state_or_with_another_response_type_is_sent_back_with_an_error() {
    // contract: QBT-OAUTH-1
    let (emulator, _) = unlimited().await;
    let (status, location) = authorize(
        &emulator,
        &[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    let location = location.expect("a malformed request is still redirected back");
    assert_eq!(status, 302);
    assert_eq!(
        param(&location, "error").as_deref(),
        Some("invalid_request"),
        "state is required"
    );
    assert!(
        param(&location, "code").is_none(),
        "no code without a state"
    );
    let (_, location) = authorize(
        &emulator,
        &[
            ("response_type", "token"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("state", "s"),
        ],
    )
    .await;
    assert_eq!(
        location.and_then(|l| param(&l, "error")).as_deref(),
        Some("invalid_request"),
        "response_type must be code"
    );
}

#[tokio::test]
async fn authorize_never_redirects_to_an_unregistered_address() {
    // contract: QBT-OAUTH-2
    let (emulator, _) = unlimited().await;
    let (status, location) = authorize(
        &emulator,
        &[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "http://127.0.0.1:9999/elsewhere"),
            ("state", "s"),
        ],
    )
    .await;
    assert_eq!(status, 400, "an unregistered address gets an error page");
    assert!(
        location.is_none(),
        "and no redirect, which would leak the code"
    );
}

#[tokio::test]
async fn only_https_or_loopback_http_can_be_registered_as_the_redirect() {
    // contract: QBT-OAUTH-3
    let (emulator, _) = unlimited().await;
    assert!(
        emulator
            .register_redirect_uri("http://example.com/callback")
            .is_err(),
        "plain http to another computer is refused"
    );
    assert!(
        emulator
            .register_redirect_uri("https://example.com/callback")
            .is_ok()
    );
    assert!(
        emulator
            .register_redirect_uri("http://localhost:3000/callback")
            .is_ok(),
        "loopback http, as public desktop clients register"
    );
    let (status, location) = authorize(
        &emulator,
        &[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", "http://example.com/callback"),
            ("state", "s"),
        ],
    )
    .await;
    assert_eq!(
        (status, location),
        (400, None),
        "the refused address is never redirected to"
    );
}

#[tokio::test]
async fn authorize_returns_the_callers_state_unchanged_with_the_code() {
    // contract: QBT-OAUTH-4
    let (emulator, _) = unlimited().await;
    let state = "a b&c=d";
    let (_, location) = authorize(
        &emulator,
        &[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("state", state),
        ],
    )
    .await;
    let location = location.expect("redirected");
    assert_eq!(
        param(&location, "state").as_deref(),
        Some(state),
        "state comes back as sent"
    );
    assert!(param(&location, "code").is_some(), "with a code");
    assert_eq!(
        format!(
            "{}://{}{}",
            location.scheme(),
            location.authority(),
            location.path()
        ),
        REDIRECT,
        "to the registered address"
    );
}

async fn code(emulator: &Emulator) -> String {
    let (_, location) = authorize(
        emulator,
        &[
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("state", "s"),
        ],
    )
    .await;
    location.and_then(|l| param(&l, "code")).expect("a code")
}

async fn grant(emulator: &Emulator, form: &[(&str, &str)]) -> (u16, Value) {
    let response = client()
        .post(format!("{}/grant", emulator.base_url()))
        .form(form)
        .send()
        .await
        .expect("answered");
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_code_is_traded_only_with_the_client_and_the_same_redirect_address() {
    // contract: QBT-OAUTH-5
    let (emulator, _) = unlimited().await;
    let first = code(&emulator).await;
    let (status, body) = grant(
        &emulator,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", "wrong"),
            ("code", &first),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let second = code(&emulator).await;
    let (status, body) = grant(
        &emulator,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &second),
            ("redirect_uri", "http://127.0.0.1:47290/other"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "redirect_uri must be identical to step 1: {body}"
    );
    let third = code(&emulator).await;
    let (status, body) = grant(
        &emulator,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &third),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(status, 200, "the documented request is granted: {body}");
    assert_eq!(body["expires_in"], 864_000, "tokens last 10 days");
}

#[tokio::test]
async fn a_code_works_once() {
    // contract: QBT-OAUTH-6
    let (emulator, _) = unlimited().await;
    let code = code(&emulator).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    assert_eq!(grant(&emulator, &form).await.0, 200, "the first trade");
    let (status, body) = grant(&emulator, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "a spent code"
    );
}

#[tokio::test]
async fn a_refresh_token_stops_working_after_its_lifetime() {
    // contract: QBT-OAUTH-8
    let emulator = emulator(EmulatorOptions {
        rate_limit: None,
        refresh_token_lifetime_seconds: 1,
        ..Default::default()
    })
    .await;
    let (_, refresh) = emulator.issue_token_pair();
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, body) = grant(
        &emulator,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("refresh_token", &refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
}
