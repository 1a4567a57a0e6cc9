//! What every list endpoint takes: the QBT-LIST and QBT-RATE rules.

use std::time::Duration;

use reqwest::StatusCode;
use timebridge_emulators::quickbooks_time::EmulatorOptions;

use super::{assert_refused, client, emulator, get, unlimited};

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
