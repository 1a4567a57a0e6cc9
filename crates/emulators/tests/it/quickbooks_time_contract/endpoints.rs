//! Each endpoint's own parameters: QBT-CUR, -USR, -JOB, -TS, -TSD, -PRJ,
//! -EST and -ESI.

use serde_json::Value;

use super::{assert_refused, get, unlimited};

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
