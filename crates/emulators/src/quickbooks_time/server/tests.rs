//! The emulator answers as QuickBooks Time documents.

use chrono::{NaiveDate, Utc};
use serde_json::Value;

use super::*;
use crate::quickbooks_time::CompanySpec;
use crate::quickbooks_time::{CLIENT_ID, CLIENT_SECRET};

async fn start(options: EmulatorOptions) -> (Emulator, String) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let company = Company::generate(&CompanySpec::demo(today), Utc::now());
    let emulator = Emulator::start(company, options)
        .await
        .expect("emulator starts");
    let token = emulator.issue_token();
    (emulator, token)
}

async fn get(emulator: &Emulator, token: &str, path_and_query: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path_and_query}", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn results_are_keyed_by_id_and_paged_with_more() {
    let (emulator, token) = start(EmulatorOptions::unlimited()).await;
    let (status, body) = get(&emulator, &token, "/users?limit=5&page=1").await;
    assert_eq!(status, 200, "a signed-in request succeeds");
    let users = body["results"]["users"]
        .as_object()
        .expect("results are an object keyed by id");
    assert_eq!(users.len(), 5, "limit=5 gives 5");
    assert_eq!(body["more"], true, "12 users do not fit on a page of 5");
}

#[tokio::test]
async fn a_limit_over_200_is_refused_like_the_real_api() {
    let (emulator, token) = start(EmulatorOptions::unlimited()).await;
    let (status, body) = get(&emulator, &token, "/users?limit=201").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (417, &serde_json::json!(417)),
        "limit is 1..200"
    );
}

#[tokio::test]
async fn timesheets_without_a_required_filter_are_refused() {
    let (emulator, token) = start(EmulatorOptions::unlimited()).await;
    let (status, _) = get(&emulator, &token, "/timesheets").await;
    assert_eq!(
        status, 417,
        "timesheets needs ids, start_date or modified_since"
    );
}

#[tokio::test]
async fn an_unknown_token_gets_401() {
    let (emulator, _) = start(EmulatorOptions::unlimited()).await;
    let (status, _) = get(&emulator, "S.wrong", "/users").await;
    assert_eq!(status, 401, "an unknown token is unauthorized");
}

#[tokio::test]
async fn the_rate_limit_answers_429_once_the_window_is_full() {
    let (emulator, token) = start(EmulatorOptions {
        rate_limit: Some((3, Duration::from_secs(60))),
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            get(&emulator, &token, "/users").await.0,
            200,
            "within the limit"
        );
    }
    assert_eq!(
        get(&emulator, &token, "/users").await.0,
        429,
        "the fourth request in the window is refused"
    );
}

#[tokio::test]
async fn a_refresh_token_works_once_and_rotates() {
    // contract: QBT-OAUTH-7
    let (emulator, _) = start(EmulatorOptions::unlimited()).await;
    let (_, refresh) = emulator.issue_token_pair();
    let client = reqwest::Client::new();
    let grant = |token: String| {
        client
            .post(format!("{}/grant", emulator.base_url()))
            .form(&[
                ("grant_type", "refresh_token".to_owned()),
                ("client_id", CLIENT_ID.to_owned()),
                ("client_secret", CLIENT_SECRET.to_owned()),
                ("refresh_token", token),
            ])
            .send()
    };
    let first: Value = grant(refresh.clone())
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(
        first["refresh_token"]
            .as_str()
            .is_some_and(|r| r != refresh),
        "a new refresh token comes back"
    );
    let again = grant(refresh).await.expect("sent");
    assert_eq!(
        again.status().as_u16(),
        400,
        "the used refresh token no longer works"
    );
}

#[tokio::test]
async fn an_archived_user_appears_only_with_active_both() {
    let (emulator, token) = start(EmulatorOptions::unlimited()).await;
    emulator.update(|company| company.users.values_mut().for_each(|u| u.active = false));
    let (_, default) = get(&emulator, &token, "/users").await;
    let (_, both) = get(&emulator, &token, "/users?active=both").await;
    assert_eq!(
        default["results"]["users"],
        serde_json::json!([]),
        "active defaults to yes; empty results are []"
    );
    assert_eq!(
        both["results"]["users"].as_object().map(|u| u.len()),
        Some(12),
        "active=both shows them"
    );
}

#[tokio::test]
async fn a_timesheet_is_served_as_the_same_json_either_way() {
    let (emulator, token) = start(EmulatorOptions::unlimited()).await;
    let (_, body) = get(
        &emulator,
        &token,
        "/timesheets?start_date=2026-01-01&limit=1",
    )
    .await;
    let served = body["results"]["timesheets"]
        .as_object()
        .and_then(|m| m.values().next().cloned())
        .expect("a timesheet");
    let id = served["id"].as_i64().expect("id");
    let tree = emulator.update(|c| c.timesheets[&id].to_json());
    assert_eq!(
        served, tree,
        "the fast writer and the JSON tree agree field for field"
    );
}
