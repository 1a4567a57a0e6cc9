//! The emulator answers as busybusy's contract says: each test shows one
//! rule of `docs/contracts/busybusy.md` enforced (signing in, the key, the
//! request body, and the document held to the schema). The lists' rules
//! are in `list_tests.rs`.

use base64::Engine;
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use super::*;

pub(super) fn spec() -> OrganizationSpec {
    OrganizationSpec {
        members: 6,
        projects: 3,
        depth: 7,
        cost_codes: 5,
        days: 14,
        today: NaiveDate::from_ymd_opt(2026, 6, 15).expect("a date"),
        modified: Utc
            .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
            .single()
            .expect("an instant"),
    }
}

pub(super) async fn started() -> Emulator {
    Emulator::start(Organization::generate(&spec()), EmulatorOptions::default())
        .await
        .expect("the emulator starts")
}

pub(super) struct Answer {
    pub status: u16,
    pub body: Value,
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// POSTs a GraphQL body with `key` as `key-authorization`.
pub(super) async fn post(emulator: &Emulator, key: &str, body: &Value) -> Answer {
    let response = reqwest::Client::new()
        .post(format!("{}/", emulator.base_url()))
        .header("key-authorization", key)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request sent");
    answer(response).await
}

/// Runs `query` with `variables` under the integration key.
pub(super) async fn query(emulator: &Emulator, query: &str, variables: Value) -> Answer {
    post(
        emulator,
        INTEGRATION_KEY,
        &json!({"query": query, "variables": variables}),
    )
    .await
}

/// The messages of an answer's `errors`, joined.
pub(super) fn messages(answer: &Answer) -> String {
    answer.body["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|e| e["message"].as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// The document is refused as GraphQL refuses it: HTTP 200, an `errors`
/// array whose message says `says`, and no `data`.
pub(super) fn assert_refused(answer: &Answer, says: &str, why: &str) {
    assert_eq!(
        answer.status, 200,
        "{why}: GraphQL errors come with HTTP 200"
    );
    assert!(
        messages(answer).contains(says),
        "{why}: the error says \"{says}\", got {}",
        answer.body
    );
    assert!(
        answer.body["data"].is_null(),
        "{why}: nothing is answered: {}",
        answer.body
    );
}

async fn sign_in(emulator: &Emulator, query: &str, basic: Option<String>) -> Answer {
    let mut request = reqwest::Client::new().get(format!("{}/member?{query}", emulator.base_url()));
    if let Some(basic) = basic {
        request = request.header("Authorization", format!("Basic {basic}"));
    }
    answer(request.send().await.expect("request sent")).await
}

fn basic(username: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
}

const MEMBER_IDS: &str = "query Members($filter: MemberFilter!, $first: Int) { members(filter: $filter, first: $first) { id } }";

#[tokio::test]
async fn a_sign_in_sends_the_sha256_of_the_password_and_answers_a_session_token() {
    // contract: BB-AUTH-1
    let emulator = started().await;
    let query = format!("username={ADMIN_USERNAME}&_version=3.2");
    let signed = sign_in(
        &emulator,
        &query,
        Some(basic(ADMIN_USERNAME, &sha256_hex(PASSWORD))),
    )
    .await;
    assert_eq!(
        signed.status, 200,
        "the admin's username and hashed password sign in: {}",
        signed.body
    );
    let token = signed.body["public_key"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let listed = post(
        &emulator,
        &token,
        &json!({"query": MEMBER_IDS, "variables": {"filter": {}}}),
    )
    .await;
    assert_eq!(
        listed.status, 200,
        "the answer's public_key is the session token"
    );
    for (why, username, credentials) in [
        (
            "the password itself, not its SHA-256, is refused",
            ADMIN_USERNAME,
            Some(basic(ADMIN_USERNAME, PASSWORD)),
        ),
        (
            "a wrong password is refused",
            ADMIN_USERNAME,
            Some(basic(ADMIN_USERNAME, &sha256_hex("guess"))),
        ),
        (
            "an unknown member is refused",
            "nobody",
            Some(basic("nobody", &sha256_hex(PASSWORD))),
        ),
        ("no credentials are refused", ADMIN_USERNAME, None),
    ] {
        let query = format!("username={username}&_version=3.2");
        let refused = sign_in(&emulator, &query, credentials).await;
        assert_eq!(refused.status, 401, "{why}");
        assert_eq!(
            refused.body["success"], false,
            "{why}: the envelope says so: {}",
            refused.body
        );
    }
}

#[tokio::test]
async fn a_sign_in_names_the_member_and_the_api_version() {
    // contract: BB-AUTH-2
    let emulator = started().await;
    let credentials = basic(ADMIN_USERNAME, &sha256_hex(PASSWORD));
    for (why, query) in [
        ("without _version", format!("username={ADMIN_USERNAME}")),
        (
            "another _version",
            format!("username={ADMIN_USERNAME}&_version=3.1"),
        ),
        ("without username", "_version=3.2".to_owned()),
        (
            "another member's username",
            format!("username={WORKER_USERNAME}&_version=3.2"),
        ),
    ] {
        let refused = sign_in(&emulator, &query, Some(credentials.clone())).await;
        assert_eq!(
            refused.status, 400,
            "a sign-in {why} is refused: {}",
            refused.body
        );
    }
}

#[tokio::test]
async fn graphql_needs_a_bare_key_authorization_header_busybusy_issued() {
    // contract: BB-AUTH-3
    let emulator = started().await;
    let body = json!({"query": MEMBER_IDS, "variables": {"filter": {}}});
    let token = emulator
        .sign_in(ADMIN_USERNAME)
        .expect("the admin signs in");
    for (why, key) in [
        ("an unknown key", "0123".to_owned()),
        ("a Bearer prefix", format!("Bearer {token}")),
        ("an empty key", String::new()),
    ] {
        let refused = post(&emulator, &key, &body).await;
        assert_eq!(refused.status, 401, "{why} is refused with HTTP 401");
    }
    let unsent = reqwest::Client::new()
        .post(format!("{}/", emulator.base_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("request sent");
    assert_eq!(
        unsent.status().as_u16(),
        401,
        "a request without the header is refused"
    );
    assert_eq!(
        post(&emulator, &token, &body).await.status,
        200,
        "a session token works"
    );
    assert_eq!(
        post(&emulator, INTEGRATION_KEY, &body).await.status,
        200,
        "the integration key works"
    );
}

#[tokio::test]
async fn a_revoked_session_is_refused_with_401_and_the_integration_key_still_works() {
    // contract: BB-AUTH-4
    let emulator = started().await;
    let body = json!({"query": MEMBER_IDS, "variables": {"filter": {}}});
    let token = emulator
        .sign_in(ADMIN_USERNAME)
        .expect("the admin signs in");
    emulator.revoke_sessions();
    assert_eq!(
        post(&emulator, &token, &body).await.status,
        401,
        "a revoked session is refused"
    );
    assert_eq!(
        post(&emulator, INTEGRATION_KEY, &body).await.status,
        200,
        "the key is not a session"
    );
    let again = emulator
        .sign_in(ADMIN_USERNAME)
        .expect("the admin signs in again");
    emulator.inject(Fault::RevokeSessions);
    assert_eq!(
        post(&emulator, &again, &body).await.status,
        401,
        "the fault revokes sessions mid-sync"
    );
}

#[tokio::test]
async fn the_permissions_filter_answers_members_only_to_an_admin() {
    // contract: BB-AUTH-5
    let emulator = started().await;
    let filter = json!({"filter": {"permissions": {"permissions": ["manageEmployees", "manageTimeEntries"], "operationType": "and"}}});
    let body = json!({"query": MEMBER_IDS, "variables": filter});
    let admin = emulator
        .sign_in(ADMIN_USERNAME)
        .expect("the admin signs in");
    let worker = emulator
        .sign_in(WORKER_USERNAME)
        .expect("the worker signs in");
    let seen = |answer: Answer| {
        answer.body["data"]["members"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(
        seen(post(&emulator, &admin, &body).await),
        spec().members,
        "an admin manages every member"
    );
    assert_eq!(
        seen(post(&emulator, &worker, &body).await),
        0,
        "a worker manages nobody"
    );
}

#[tokio::test]
async fn graphql_is_a_json_post_with_a_query() {
    // contract: BB-HTTP-1
    let emulator = started().await;
    let client = reqwest::Client::new();
    let url = format!("{}/", emulator.base_url());
    let got = client
        .get(&url)
        .header("key-authorization", INTEGRATION_KEY)
        .send()
        .await
        .expect("sent");
    assert_eq!(got.status().as_u16(), 405, "GET is not served");
    let text = client
        .post(&url)
        .header("key-authorization", INTEGRATION_KEY)
        .header("Content-Type", "text/plain")
        .body(json!({"query": MEMBER_IDS}).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(
        text.status().as_u16(),
        400,
        "a body not sent as JSON is refused"
    );
    for (why, body) in [
        ("a body without a query", json!({"variables": {}})),
        ("a query that is not text", json!({"query": 7})),
        (
            "variables that are not an object",
            json!({"query": MEMBER_IDS, "variables": [1]}),
        ),
        ("a body that is not an object", json!(["query"])),
    ] {
        let refused = post(&emulator, INTEGRATION_KEY, &body).await;
        assert_eq!(refused.status, 400, "{why} is refused");
        assert!(
            !messages(&refused).is_empty(),
            "{why}: the errors array says why"
        );
    }
}

#[tokio::test]
async fn a_document_that_does_not_parse_is_answered_with_errors_and_http_200() {
    // contract: BB-GQL-1
    let emulator = started().await;
    let refused = query(&emulator, "query { members(filter: {}) { id }", json!({})).await;
    assert_refused(&refused, "Syntax Error", "an unclosed selection");
    assert_eq!(
        refused.body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "the error's code names a parse failure"
    );
    let apollo = Emulator::start(
        Organization::generate(&spec()),
        EmulatorOptions {
            invalid_document_status: 400,
        },
    )
    .await
    .expect("starts");
    let refused = query(&apollo, "query {", json!({})).await;
    assert_eq!(
        refused.status, 400,
        "Apollo Server 4's status can be chosen, with the same errors body"
    );
    assert!(
        messages(&refused).contains("Syntax Error"),
        "the body still says why"
    );
}

#[tokio::test]
async fn a_field_the_type_lacks_is_refused() {
    // contract: BB-GQL-2
    let emulator = started().await;
    let refused = query(&emulator, "{ members(filter: {}) { id hours } }", json!({})).await;
    assert_refused(
        &refused,
        "Cannot query field \"hours\" on type \"Member\".",
        "members have no hours",
    );
    let refused = query(&emulator, "{ timeSheets(filter: {}) { id } }", json!({})).await;
    assert_refused(
        &refused,
        "Cannot query field \"timeSheets\" on type \"Query\".",
        "no such list",
    );
}

#[tokio::test]
async fn unknown_arguments_and_missing_required_ones_are_refused() {
    // contract: BB-GQL-3
    let emulator = started().await;
    let refused = query(
        &emulator,
        "{ members(filter: {}, limit: 5) { id } }",
        json!({}),
    )
    .await;
    assert_refused(
        &refused,
        "Unknown argument \"limit\" on field \"Query.members\".",
        "members page with first",
    );
    let refused = query(&emulator, "{ members { id } }", json!({})).await;
    assert_refused(
        &refused,
        "argument \"filter\" of type \"MemberFilter!\" is required",
        "members need a filter",
    );
    let refused = query(&emulator, "{ timeEntries(first: 5) { id } }", json!({})).await;
    assert_refused(
        &refused,
        "argument \"filter\" of type \"TimeEntryFilter!\" is required",
        "time entries need a filter",
    );
}

#[tokio::test]
async fn objects_need_a_selection_and_scalars_take_none() {
    // contract: BB-GQL-4
    let emulator = started().await;
    let refused = query(
        &emulator,
        "{ members(filter: {}) { id position } }",
        json!({}),
    )
    .await;
    assert_refused(
        &refused,
        "must have a selection of subfields",
        "position is an object",
    );
    let refused = query(
        &emulator,
        "{ members(filter: {}) { id { value } } }",
        json!({}),
    )
    .await;
    assert_refused(&refused, "must not have a selection", "id is a scalar");
}

#[tokio::test]
async fn filter_and_sort_values_are_held_to_their_input_types() {
    // contract: BB-GQL-5
    let emulator = started().await;
    for (document, says, why) in [
        (
            "{ members(filter: {nickname: {equal: \"x\"}}) { id } }",
            "Field \"nickname\" is not defined by type \"MemberFilter\".",
            "an unknown filter field",
        ),
        (
            "{ members(filter: {updatedOn: {after: \"2026-06-01T00:00:00Z\"}}) { id } }",
            "Field \"after\" is not defined by type \"TimestampFilter\".",
            "an unknown operator",
        ),
        (
            "{ members(filter: {updatedOn: {greaterThanOrEqual: \"last week\"}}) { id } }",
            "Expected value of type \"Timestamp\"",
            "a timestamp that is not ISO 8601",
        ),
        (
            "{ members(filter: {}, first: \"10\") { id } }",
            "Expected value of type \"Int\"",
            "a page size as text",
        ),
        (
            "{ members(filter: {}, sort: [{firstName: ascending}]) { id } }",
            "does not exist in \"SortOrder\" enum",
            "an order that is not asc or desc",
        ),
        (
            "{ members(filter: {}, sort: [{firstName: \"asc\"}]) { id } }",
            "does not exist in \"SortOrder\" enum",
            "an enum written as text in the document",
        ),
        (
            "{ members(filter: {permissions: {permissions: [manageEmployees]}}) { id } }",
            "MemberPermissionFilter.operationType",
            "a required input field left out",
        ),
    ] {
        assert_refused(&query(&emulator, document, json!({})).await, says, why);
    }
}

#[tokio::test]
async fn variables_are_declared_fit_where_used_and_given_values_of_their_type() {
    // contract: BB-GQL-6
    let emulator = started().await;
    for (document, variables, says, why) in [
        (
            "query { members(filter: $filter) { id } }",
            json!({"filter": {}}),
            "Variable \"$filter\" is not defined.",
            "an undeclared variable",
        ),
        (
            "query Q($filter: MemberFilter) { members(filter: $filter) { id } }",
            json!({"filter": {}}),
            "used in position expecting type \"MemberFilter!\"",
            "a nullable variable for a required argument",
        ),
        (
            "query Q($first: String) { members(filter: {}, first: $first) { id } }",
            json!({"first": "5"}),
            "used in position expecting type \"Int\"",
            "a variable of another type",
        ),
        (
            MEMBER_IDS,
            json!({}),
            "Variable \"$filter\" of required type \"MemberFilter!\" was not provided.",
            "a required variable not given",
        ),
        (
            MEMBER_IDS,
            json!({"filter": {"archivedOn": {"isNull": "yes"}}}),
            "Variable \"$filter\" got invalid value",
            "a value of the wrong type",
        ),
        (
            "query Q($t: Widget) { members(filter: {}) { id } }",
            json!({}),
            "Unknown type \"Widget\".",
            "a type the schema lacks",
        ),
    ] {
        assert_refused(&query(&emulator, document, variables).await, says, why);
    }
    let sorted = query(
        &emulator,
        "query Q($filter: MemberFilter!, $sort: [MemberSort!]) { members(filter: $filter, sort: $sort) { id } }",
        json!({"filter": {}, "sort": [{"lastName": "asc"}]}),
    )
    .await;
    assert!(
        sorted.body["data"]["members"].is_array(),
        "enums are text in variables: {}",
        sorted.body
    );
}

#[tokio::test]
async fn only_queries_run_and_several_operations_need_a_name() {
    // contract: BB-GQL-7
    let emulator = started().await;
    let refused = query(&emulator, "mutation { createTimeEntry { id } }", json!({})).await;
    assert_refused(
        &refused,
        "not configured to execute mutation",
        "Timebridge never writes to busybusy",
    );
    let two = "query A { members(filter: {}) { id } } query B { costCodes { id } }";
    assert_refused(
        &query(&emulator, two, json!({})).await,
        "Must provide operation name",
        "two operations, none named",
    );
    let named = post(
        &emulator,
        INTEGRATION_KEY,
        &json!({"query": two, "operationName": "B"}),
    )
    .await;
    assert!(
        named.body["data"]["costCodes"].is_array(),
        "the named one runs: {}",
        named.body
    );
    let unknown = post(
        &emulator,
        INTEGRATION_KEY,
        &json!({"query": two, "operationName": "C"}),
    )
    .await;
    assert_refused(
        &unknown,
        "Unknown operation named \"C\".",
        "a name the document lacks",
    );
}

#[tokio::test]
async fn fragments_exist_and_are_spread_on_their_own_type() {
    // contract: BB-GQL-8
    let emulator = started().await;
    let refused = query(
        &emulator,
        "{ members(filter: {}) { ...Missing } }",
        json!({}),
    )
    .await;
    assert_refused(
        &refused,
        "Unknown fragment \"Missing\".",
        "a fragment the document lacks",
    );
    let wrong = "{ members(filter: {}) { ...P } } fragment P on Project { id }";
    assert_refused(
        &query(&emulator, wrong, json!({})).await,
        "can never be of type \"Project\"",
        "a project fragment on a member",
    );
    let right = "{ projects(first: 1) { ...P } } fragment P on Project { id title }";
    let answered = query(&emulator, right, json!({})).await;
    assert!(
        answered.body["data"]["projects"][0]["title"].is_string(),
        "a fragment on its type is spread: {}",
        answered.body
    );
}

#[tokio::test]
async fn declared_variables_and_fragments_are_used_and_directives_are_not_served() {
    // contract: BB-GQL-9
    let emulator = started().await;
    let unused = "query Q($first: Int) { costCodes { id } }";
    assert_refused(
        &query(&emulator, unused, json!({"first": 5})).await,
        "Variable \"$first\" is never used.",
        "a declared variable left unused",
    );
    let spare = "{ costCodes { id } } fragment C on CostCode { title }";
    assert_refused(
        &query(&emulator, spare, json!({})).await,
        "Fragment \"C\" is never used.",
        "a fragment never spread",
    );
    let skip = "query Q($no: Boolean!) { costCodes { id title @skip(if: $no) } }";
    assert_refused(
        &query(&emulator, skip, json!({"no": true})).await,
        "Unknown directive \"@skip\".",
        "the emulator serves no directives",
    );
}

#[tokio::test]
async fn faults_are_injected_on_the_next_request() {
    let emulator = started().await;
    let body = json!({"query": MEMBER_IDS, "variables": {"filter": {}}});
    emulator.inject(Fault::Status(503));
    assert_eq!(
        post(&emulator, INTEGRATION_KEY, &body).await.status,
        503,
        "the status is answered"
    );
    emulator.inject(Fault::Delay(std::time::Duration::from_millis(60)));
    let started = std::time::Instant::now();
    assert_eq!(
        post(&emulator, INTEGRATION_KEY, &body).await.status,
        200,
        "a delayed answer is whole"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(60),
        "the answer waits"
    );
    emulator.inject(Fault::Malformed);
    let malformed = post(&emulator, INTEGRATION_KEY, &body).await;
    assert!(malformed.body.is_null(), "the body is not JSON");
    emulator.inject(Fault::CutOff);
    let cut = reqwest::Client::new()
        .post(format!("{}/", emulator.base_url()))
        .header("key-authorization", INTEGRATION_KEY)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await;
    let read = match cut {
        Ok(response) => response.text().await.is_ok(),
        Err(_) => false,
    };
    assert!(!read, "an answer cut off mid-body cannot be read whole");
    assert_eq!(
        post(&emulator, INTEGRATION_KEY, &body).await.status,
        200,
        "faults are used up"
    );
}
