//! The QuickBooks Time emulator refuses what QuickBooks Time refuses, as it
//! refuses it: one test per rule of `docs/contracts/quickbooks-time.md`.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use timebridge_emulators::quickbooks_time::{
    CLIENT_ID, CLIENT_SECRET, Company, CompanySpec, Emulator, EmulatorOptions,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date")
}

async fn emulator(options: EmulatorOptions) -> Emulator {
    let company = Company::generate(&CompanySpec::demo(today()), Utc::now());
    Emulator::start(company, options)
        .await
        .expect("the emulator starts")
}

async fn unlimited() -> (Emulator, String) {
    let emulator = emulator(EmulatorOptions::unlimited()).await;
    let token = emulator.issue_token();
    (emulator, token)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// GETs `path_and_query` with `token`; the status and the JSON body.
async fn get(emulator: &Emulator, token: &str, path_and_query: &str) -> (u16, Value) {
    let response = client()
        .get(format!("{}{path_and_query}", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the request is answered");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Asserts a 417 in QuickBooks Time's error shape whose message names `word`.
fn assert_refused(answer: &(u16, Value), word: &str, why: &str) {
    let (status, body) = answer;
    assert_eq!(*status, 417, "{why}: {body}");
    assert_eq!(
        body["error"]["code"], 417,
        "the body is QuickBooks Time's {{\"error\":{{\"code\",\"message\"}}}}: {body}"
    );
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(word),
        "the message names {word}: {message}"
    );
}

// --- signing in and tokens -------------------------------------------------

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

// --- every list --------------------------------------------------------------

#[tokio::test]
async fn a_parameter_the_reference_does_not_list_is_refused() {
    // contract: QBT-LIST-1
    let (emulator, token) = unlimited().await;
    let answer = get(&emulator, &token, "/users?per_page=50").await;
    assert_refused(
        &answer,
        "per_page",
        "the deprecated per_page is not sent by new code",
    );
}

#[tokio::test]
async fn a_limit_outside_1_to_200_is_refused() {
    // contract: QBT-LIST-2
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/users?limit=201").await,
        "limit",
        "over 200",
    );
    assert_refused(
        &get(&emulator, &token, "/users?limit=0").await,
        "limit",
        "under 1",
    );
    assert_eq!(
        get(&emulator, &token, "/users?limit=200").await.0,
        200,
        "200 is the maximum"
    );
}

#[tokio::test]
async fn a_page_below_1_is_refused() {
    // contract: QBT-LIST-3
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/users?page=0").await,
        "page",
        "pages start at 1",
    );
}

#[tokio::test]
async fn a_modified_since_without_a_numeric_offset_is_refused() {
    // contract: QBT-LIST-4
    let (emulator, token) = unlimited().await;
    let answer = get(
        &emulator,
        &token,
        "/users?modified_since=2026-11-20T08:00:00Z",
    )
    .await;
    assert_refused(&answer, "modified_since", "the reference's form is ±hh:mm");
    let answer = get(
        &emulator,
        &token,
        "/users?modified_since=2026-11-20T08:00:00%2B00:00",
    )
    .await;
    assert_eq!(answer.0, 200, "YYYY-MM-DDThh:mm:ss+00:00 is accepted");
}

#[tokio::test]
async fn a_date_not_written_yyyy_mm_dd_is_refused() {
    // contract: QBT-LIST-5
    let (emulator, token) = unlimited().await;
    let answer = get(&emulator, &token, "/timesheets?start_date=11/20/2026").await;
    assert_refused(&answer, "start_date", "dates are YYYY-MM-DD");
}

#[tokio::test]
async fn active_takes_yes_no_or_both_and_defaults_to_yes() {
    // contract: QBT-LIST-6
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/users?active=true").await,
        "active",
        "not a boolean",
    );
    emulator.update(|company| company.users.values_mut().for_each(|u| u.active = false));
    let (_, default) = get(&emulator, &token, "/users").await;
    assert_eq!(
        default["results"]["users"],
        serde_json::json!([]),
        "archived users are left out by default"
    );
    let (_, both) = get(&emulator, &token, "/users?active=both").await;
    assert_eq!(
        both["results"]["users"].as_object().map(|u| u.len()),
        Some(12),
        "active=both shows them"
    );
}

#[tokio::test]
async fn supplemental_data_takes_yes_or_no() {
    // contract: QBT-LIST-7
    let (emulator, token) = unlimited().await;
    let answer = get(&emulator, &token, "/users?supplemental_data=false").await;
    assert_refused(&answer, "supplemental_data", "yes or no");
}

#[tokio::test]
async fn ids_are_comma_separated_integers() {
    // contract: QBT-LIST-8
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/users?ids=1,x").await,
        "ids",
        "x is not an id",
    );
    assert_eq!(
        get(&emulator, &token, "/users?ids=1,2").await.0,
        200,
        "a list of ids"
    );
}

#[tokio::test]
async fn results_are_keyed_by_id_paged_with_more_and_empty_as_an_array() {
    // contract: QBT-LIST-9
    let (emulator, token) = unlimited().await;
    let (_, first) = get(&emulator, &token, "/users?limit=5&page=1").await;
    let users = first["results"]["users"]
        .as_object()
        .expect("an object keyed by id");
    assert_eq!(users.len(), 5, "limit=5 gives 5");
    assert!(
        users
            .iter()
            .all(|(id, user)| user["id"].as_i64().map(|n| n.to_string()).as_ref() == Some(id)),
        "keys are the ids"
    );
    assert_eq!(first["more"], true, "12 users do not fit on a page of 5");
    let (_, last) = get(&emulator, &token, "/users?limit=5&page=3").await;
    assert_eq!(last["more"], false, "the third page of 5 is the last");
    let (_, none) = get(&emulator, &token, "/users?limit=5&page=9").await;
    assert_eq!(
        none["results"]["users"],
        serde_json::json!([]),
        "an empty page is []"
    );
}

#[tokio::test]
async fn a_list_is_read_with_get_only() {
    // contract: QBT-LIST-10
    let (emulator, token) = unlimited().await;
    let response = client()
        .delete(format!("{}/users?ids=1", emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(
        response.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "Timebridge only reads"
    );
}

#[tokio::test]
async fn past_300_requests_in_5_minutes_a_token_gets_429_without_retry_after() {
    // contract: QBT-RATE-1
    let emulator = emulator(EmulatorOptions {
        rate_limit: Some((3, Duration::from_secs(60))),
        ..Default::default()
    })
    .await;
    let token = emulator.issue_token();
    for _ in 0..3 {
        assert_eq!(
            get(&emulator, &token, "/current_user").await.0,
            200,
            "within the limit"
        );
    }
    let response = client()
        .get(format!("{}/current_user", emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answered");
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "over the limit"
    );
    assert!(
        response.headers().get("retry-after").is_none(),
        "QuickBooks Time sends no Retry-After"
    );
    let other = emulator.issue_token();
    assert_eq!(
        get(&emulator, &other, "/current_user").await.0,
        200,
        "the limit is per access token"
    );
}

// --- per endpoint ----------------------------------------------------------------

#[tokio::test]
async fn current_user_takes_no_parameters() {
    // contract: QBT-CUR-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/current_user?limit=1").await,
        "limit",
        "none are listed",
    );
}

#[tokio::test]
async fn users_refuses_a_filter_of_another_endpoint() {
    // contract: QBT-USR-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/users?type=all").await,
        "type",
        "type is a jobcodes filter",
    );
}

#[tokio::test]
async fn jobcodes_refuses_a_filter_of_another_endpoint() {
    // contract: QBT-JOB-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/jobcodes?user_ids=1").await,
        "user_ids",
        "not a jobcodes filter",
    );
}

#[tokio::test]
async fn jobcode_type_is_one_of_the_five_and_defaults_to_regular() {
    // contract: QBT-JOB-2
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/jobcodes?type=job").await,
        "type",
        "not a jobcode type",
    );
    let kinds = |body: &Value| -> Vec<String> {
        body["results"]["jobcodes"]
            .as_object()
            .map(|m| {
                m.values()
                    .filter_map(|j| j["type"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (_, default) = get(&emulator, &token, "/jobcodes").await;
    assert!(
        kinds(&default).iter().all(|k| k == "regular"),
        "the default leaves PTO out"
    );
    let (_, all) = get(&emulator, &token, "/jobcodes?type=all").await;
    assert!(
        kinds(&all).iter().any(|k| k == "pto"),
        "type=all brings PTO jobcodes"
    );
}

#[tokio::test]
async fn timesheets_refuses_a_filter_of_another_endpoint() {
    // contract: QBT-TS-1
    let (emulator, token) = unlimited().await;
    let answer = get(
        &emulator,
        &token,
        "/timesheets?start_date=2026-11-01&active=both",
    )
    .await;
    assert_refused(&answer, "active", "timesheets have no active filter");
}

#[tokio::test]
async fn timesheets_need_ids_a_start_date_or_a_modified_filter() {
    // contract: QBT-TS-2
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/timesheets?on_the_clock=no").await,
        "Missing required parameter",
        "no filter that narrows the list",
    );
    let by_modified = get(
        &emulator,
        &token,
        "/timesheets?modified_before=2030-01-01T00:00:00%2B00:00",
    )
    .await;
    assert_eq!(by_modified.0, 200, "modified_before alone is enough");
}

#[tokio::test]
async fn on_the_clock_takes_yes_no_or_both() {
    // contract: QBT-TS-3
    let (emulator, token) = unlimited().await;
    let answer = get(
        &emulator,
        &token,
        "/timesheets?start_date=2026-11-01&on_the_clock=false",
    )
    .await;
    assert_refused(&answer, "on_the_clock", "yes, no or both");
}

#[tokio::test]
async fn timesheets_deleted_refuses_a_filter_of_another_endpoint() {
    // contract: QBT-TSD-1
    let (emulator, token) = unlimited().await;
    let answer = get(
        &emulator,
        &token,
        "/timesheets_deleted?modified_since=2026-11-01T00:00:00%2B00:00&on_the_clock=no",
    )
    .await;
    assert_refused(&answer, "on_the_clock", "not a timesheets_deleted filter");
}

#[tokio::test]
async fn timesheets_deleted_needs_a_modified_filter_ids_or_a_whole_date_range() {
    // contract: QBT-TSD-2
    let (emulator, token) = unlimited().await;
    let answer = get(
        &emulator,
        &token,
        "/timesheets_deleted?supplemental_data=no",
    )
    .await;
    assert_refused(&answer, "Missing required parameter", "no filter at all");
    let range = get(
        &emulator,
        &token,
        "/timesheets_deleted?start_date=2026-11-01&end_date=2026-11-21",
    )
    .await;
    assert_eq!(range.0, 200, "start_date with end_date is enough");
    let since = get(
        &emulator,
        &token,
        "/timesheets_deleted?modified_since=2026-11-01T00:00:00%2B00:00",
    )
    .await;
    assert_eq!(since.0, 200, "modified_since alone is enough");
}

#[tokio::test]
async fn timesheets_deleted_takes_start_date_only_with_end_date() {
    // contract: QBT-TSD-3, QBT-TSD-2
    let (emulator, token) = unlimited().await;
    let alone = get(
        &emulator,
        &token,
        "/timesheets_deleted?start_date=2026-11-01",
    )
    .await;
    assert_refused(
        &alone,
        "end_date",
        "what Timebridge used to send on a first sync",
    );
    let beside = get(
        &emulator,
        &token,
        "/timesheets_deleted?modified_since=2026-11-01T00:00:00%2B00:00&start_date=2026-11-01",
    )
    .await;
    assert_refused(
        &beside,
        "end_date",
        "the pair comes together even beside modified_since",
    );
}

#[tokio::test]
async fn projects_take_neither_paging_nor_modified_since_and_answer_everything_at_once() {
    // contract: QBT-PRJ-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/projects?page=1").await,
        "page",
        "projects do not page",
    );
    assert_refused(
        &get(&emulator, &token, "/projects?limit=200").await,
        "limit",
        "no limit either",
    );
    assert_refused(
        &get(
            &emulator,
            &token,
            "/projects?modified_since=2026-11-01T00:00:00%2B00:00",
        )
        .await,
        "modified_since",
        "no incremental filter",
    );
    let (status, body) = get(&emulator, &token, "/projects?active=both").await;
    assert_eq!(status, 200, "the documented request");
    assert!(
        body.get("more").is_none(),
        "the answer has no more flag: {body}"
    );
    assert!(
        body["results"]["projects"]
            .as_object()
            .is_some_and(|p| !p.is_empty()),
        "every project"
    );
}

#[tokio::test]
async fn estimates_refuse_a_filter_of_estimate_items() {
    // contract: QBT-EST-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/estimates?estimate_ids=1").await,
        "estimate_ids",
        "an estimate_items filter",
    );
}

#[tokio::test]
async fn estimate_items_refuse_a_filter_they_do_not_have() {
    // contract: QBT-ESI-1
    let (emulator, token) = unlimited().await;
    assert_refused(
        &get(&emulator, &token, "/estimate_items?project_ids=1").await,
        "project_ids",
        "not listed",
    );
}
