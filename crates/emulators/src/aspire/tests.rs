//! The emulator answers as Aspire's contract says: each test shows one rule
//! of `docs/contracts/aspire.md` enforced, or the served data in Aspire's
//! shape.

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use super::*;

fn spec() -> CompanySpec {
    CompanySpec {
        employees: 6,
        opportunities: 4,
        days: 10,
        today: NaiveDate::from_ymd_opt(2026, 6, 15).expect("date"),
        modified: Utc::now() - Duration::hours(2),
    }
}

async fn start(options: EmulatorOptions) -> Emulator {
    Emulator::start(Company::generate(&spec()), options)
        .await
        .expect("emulator starts")
}

fn token(emulator: &Emulator) -> String {
    issue(&emulator.inner)["Token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// An emulator of the default options, and a token it issued.
async fn started() -> (Emulator, String) {
    let emulator = start(EmulatorOptions::default()).await;
    let token = token(&emulator);
    (emulator, token)
}

async fn status(emulator: &Emulator, token: &str, path_and_query: &str) -> u16 {
    get(emulator, token, path_and_query).await.status
}

/// How many records a list request answers (`None`: not a list).
async fn count(emulator: &Emulator, token: &str, path_and_query: &str) -> Option<usize> {
    get(emulator, token, path_and_query)
        .await
        .body
        .as_array()
        .map(Vec::len)
}

/// Each request is refused 400, because `why`.
async fn assert_refused(
    emulator: &Emulator,
    token: &str,
    requests: impl IntoIterator<Item = String>,
    why: &str,
) {
    for request in requests {
        assert_eq!(
            status(emulator, token, &request).await,
            400,
            "{request}: {why}"
        );
    }
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn get(emulator: &Emulator, token: &str, path_and_query: &str) -> Answer {
    let response = reqwest::Client::new()
        .get(format!("{}{path_and_query}", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent");
    answer(response).await
}

async fn post(emulator: &Emulator, path: &str, content_type: &str, body: &str) -> Answer {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", emulator.base_url()))
        .header("Content-Type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .expect("request sent");
    answer(response).await
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// The OData error message of a 400, or a note that there was none.
fn odata_message(answer: &Answer) -> String {
    answer.body["error"]["message"]
        .as_str()
        .unwrap_or("(no OData error body)")
        .to_owned()
}

/// POSTs `body` as JSON to `path`.
async fn post_json(emulator: &Emulator, path: &str, body: &Value) -> Answer {
    post(emulator, path, "application/json", &body.to_string()).await
}

fn sign_in_body() -> String {
    json!({"ClientId": CLIENT_ID, "Secret": SECRET}).to_string()
}

#[tokio::test]
async fn the_sign_in_answers_a_token_and_a_refresh_token() {
    let emulator = start(EmulatorOptions::default()).await;
    let signed = post(
        &emulator,
        "/Authorization",
        "application/json; charset=utf-8",
        &sign_in_body(),
    )
    .await;
    assert_eq!(signed.status, 200, "the emulator's application signs in");
    let token = signed.body["Token"].as_str().unwrap_or_default();
    assert!(
        !token.is_empty() && signed.body["RefreshToken"].is_string(),
        "the answer is {{\"Token\", \"RefreshToken\"}}: {}",
        signed.body
    );
    assert_eq!(
        get(&emulator, token, "/Branches").await.status,
        200,
        "the token reads a list"
    );
}

#[tokio::test]
async fn a_sign_in_that_is_not_json_is_refused_as_an_unsupported_media_type() {
    // contract: ASP-AUTH-1
    let emulator = start(EmulatorOptions::default()).await;
    let form = format!("ClientId={CLIENT_ID}&Secret={SECRET}");
    for path in ["/Authorization", "/Authorization/RefreshToken"] {
        let refused = post(&emulator, path, "application/x-www-form-urlencoded", &form).await;
        assert_eq!(
            (refused.status, refused.body["status"].as_u64()),
            (415, Some(415)),
            "{path} takes only a JSON body, answered with problem details"
        );
    }
}

#[tokio::test]
async fn a_sign_in_without_both_fields_fails_validation() {
    // contract: ASP-AUTH-2
    let emulator = start(EmulatorOptions::default()).await;
    let missing = post_json(&emulator, "/Authorization", &json!({"ClientId": CLIENT_ID})).await;
    assert_eq!(missing.status, 400, "Secret is required");
    assert!(
        missing.body["errors"]["Secret"].is_array(),
        "the validation problem names the missing field: {}",
        missing.body
    );
    let wrong_case = post_json(
        &emulator,
        "/Authorization",
        &json!({"clientId": CLIENT_ID, "secret": SECRET}),
    )
    .await;
    assert_eq!(
        wrong_case.status, 400,
        "the fields are PascalCase, as the OpenAPI document spells them"
    );
    for broken in ["not json", "[]", "\"ClientId\""] {
        assert_eq!(
            post(&emulator, "/Authorization", "application/json", broken)
                .await
                .status,
            400,
            "{broken:?} is not a JSON object"
        );
    }
}

#[tokio::test]
async fn a_wrong_secret_is_answered_404_with_no_body() {
    // contract: ASP-AUTH-3
    let emulator = start(EmulatorOptions::default()).await;
    let refused = post_json(
        &emulator,
        "/Authorization",
        &json!({"ClientId": CLIENT_ID, "Secret": "not-it"}),
    )
    .await;
    assert_eq!(
        (refused.status, refused.body),
        (404, Value::Null),
        "Aspire answers unknown credentials 404, not 401"
    );
}

#[tokio::test]
async fn a_refresh_without_its_token_fails_validation() {
    // contract: ASP-AUTH-4
    let emulator = start(EmulatorOptions::default()).await;
    for body in [json!({}), json!({"RefreshToken": 12})] {
        let refused = post_json(&emulator, "/Authorization/RefreshToken", &body).await;
        assert_eq!(
            (
                refused.status,
                refused.body["errors"]["RefreshToken"].is_array()
            ),
            (400, true),
            "{body} holds no RefreshToken text"
        );
    }
}

#[tokio::test]
async fn a_refresh_token_works_once_and_not_after_its_life() {
    // contract: ASP-AUTH-5
    let emulator = start(EmulatorOptions::default()).await;
    let refresh = issue(&emulator.inner)["RefreshToken"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let body = json!({"RefreshToken": refresh}).to_string();
    let first = post(
        &emulator,
        "/Authorization/RefreshToken",
        "application/json",
        &body,
    )
    .await;
    assert_eq!(first.status, 200, "a fresh refresh token is honoured");
    assert_ne!(
        first.body["RefreshToken"],
        json!(refresh),
        "the answer rotates the refresh token"
    );
    let again = post(
        &emulator,
        "/Authorization/RefreshToken",
        "application/json",
        &body,
    )
    .await;
    assert_eq!(again.status, 404, "a used refresh token is refused");

    let next = first.body["RefreshToken"].as_str().unwrap_or_default();
    emulator.advance(Duration::hours(25));
    let late = post_json(
        &emulator,
        "/Authorization/RefreshToken",
        &json!({"RefreshToken": next}),
    )
    .await;
    assert_eq!(
        late.status, 404,
        "a refresh token older than a day is refused"
    );
}

#[tokio::test]
async fn a_list_without_a_token_aspire_issued_is_unauthorized() {
    // contract: ASP-AUTH-6
    let emulator = start(EmulatorOptions::default()).await;
    let none = answer(
        reqwest::Client::new()
            .get(format!("{}/Contacts", emulator.base_url()))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(none.status, 401, "no Authorization header");
    assert_eq!(
        none.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "the JWT bearer handler's challenge"
    );
    assert_eq!(
        get(&emulator, "eyJ.made-up", "/Contacts").await.status,
        401,
        "a token Aspire never issued"
    );
    let basic = answer(
        reqwest::Client::new()
            .get(format!("{}/Contacts", emulator.base_url()))
            .header("Authorization", format!("Basic {}", token(&emulator)))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(basic.status, 401, "the token is a Bearer token only");
}

#[tokio::test]
async fn an_access_token_expires_after_a_day() {
    // contract: ASP-AUTH-7
    let (emulator, token) = started().await;
    emulator.advance(Duration::hours(23));
    assert_eq!(
        status(&emulator, &token, "/Contacts").await,
        200,
        "a 23-hour-old token still works"
    );
    emulator.advance(Duration::hours(1));
    let expired = get(&emulator, &token, "/Contacts").await;
    assert_eq!(expired.status, 401, "a day-old token is expired");
    assert!(
        expired
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("invalid_token")),
        "the challenge says the token is invalid: {:?}",
        expired.headers
    );
}

#[tokio::test]
async fn a_list_outside_the_applications_scope_is_forbidden() {
    // contract: ASP-AUTH-8
    let emulator = start(EmulatorOptions {
        scope: Some(vec!["/Contacts".to_owned()]),
        ..EmulatorOptions::default()
    })
    .await;
    let token = token(&emulator);
    assert_eq!(
        status(&emulator, &token, "/Contacts").await,
        200,
        "the scope names Contacts"
    );
    assert_eq!(
        status(&emulator, &token, "/Properties").await,
        403,
        "the scope does not name Properties"
    );
}

#[tokio::test]
async fn an_unknown_path_is_not_found() {
    // contract: ASP-PATH-1
    let (emulator, token) = started().await;
    for path in ["/Employees", "/api/Contacts", "/TimeEntries"] {
        assert_eq!(
            status(&emulator, &token, path).await,
            404,
            "{path} is not an Aspire list"
        );
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_not_allowed() {
    // contract: ASP-PATH-2
    let (emulator, token) = started().await;
    assert_eq!(
        status(&emulator, &token, "/Authorization").await,
        405,
        "the sign-in is POST only"
    );
    let deleted = reqwest::Client::new()
        .delete(format!("{}/Contacts", emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 405, "lists are read with GET");
}

#[tokio::test]
async fn a_query_option_a_list_does_not_take_is_refused() {
    // contract: ASP-QUERY-1
    let (emulator, token) = started().await;
    for query in ["limit=10", "$count=true", "$pagenumber=1", "page=2"] {
        let refused = get(&emulator, &token, &format!("/Contacts?{query}")).await;
        assert_eq!(
            refused.status, 400,
            "{query} is not a documented option (options are exact and case-sensitive)"
        );
        assert!(
            odata_message(&refused).contains("not supported"),
            "the OData error says so: {}",
            odata_message(&refused)
        );
    }
    assert_eq!(
        status(&emulator, &token, "/Contacts?api-version=1.0").await,
        200,
        "api-version is documented"
    );
}

#[tokio::test]
async fn a_query_option_given_twice_is_refused() {
    // contract: ASP-QUERY-2
    let (emulator, token) = started().await;
    let refused = get(&emulator, &token, "/Contacts?$limit=5&$limit=6").await;
    assert_eq!(
        (
            refused.status,
            odata_message(&refused).contains("more than once")
        ),
        (400, true),
        "an option appears at most once: {}",
        odata_message(&refused)
    );
}

#[tokio::test]
async fn a_limit_outside_1_to_1000_is_refused() {
    // contract: ASP-PAGE-1
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        ["0", "1001", "-5", "ten", "2.5", ""].map(|limit| format!("/Contacts?$limit={limit}")),
        "$limit is a whole number from 1 to 1000",
    )
    .await;
    let largest = get(&emulator, &token, "/WorkTicketTimes?$limit=1000").await;
    assert_eq!(largest.status, 200, "1000 is the maximum, allowed");
    assert_eq!(
        count(&emulator, &token, "/WorkTicketTimes").await,
        Some(query::DEFAULT_LIMIT),
        "without $limit a page holds 25"
    );
}

#[tokio::test]
async fn a_page_number_below_1_is_refused() {
    // contract: ASP-PAGE-2
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        ["0", "-1", "first"].map(|page| format!("/Contacts?$pageNumber={page}")),
        "pages are numbered from 1",
    )
    .await;
    let second = get(
        &emulator,
        &token,
        "/Contacts?$orderby=ContactID&$pageNumber=2&$limit=3",
    )
    .await;
    let ids: Vec<i64> = second
        .body
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["ContactID"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [102, 103, 104], "page 2 of 3 holds the 4th to 6th");
}

#[tokio::test]
async fn top_and_skip_are_not_mixed_with_page_numbers() {
    // contract: ASP-PAGE-3
    let (emulator, token) = started().await;
    assert_eq!(
        status(&emulator, &token, "/Contacts?$top=5&$pageNumber=1").await,
        400,
        "one way of paging at a time"
    );
    assert_eq!(
        status(&emulator, &token, "/Contacts?$skip=-1").await,
        400,
        "$skip is a whole number"
    );
    let top = get(
        &emulator,
        &token,
        "/Contacts?$orderby=ContactID&$top=2&$skip=1",
    )
    .await;
    assert_eq!(
        top.body.as_array().map(|a| a
            .iter()
            .filter_map(|c| c["ContactID"].as_i64())
            .collect::<Vec<_>>()),
        Some(vec![100, 101]),
        "$skip=1&$top=2 holds the 2nd and 3rd"
    );
}

#[tokio::test]
async fn a_filter_on_a_field_the_entity_does_not_have_is_refused() {
    // contract: ASP-FILTER-1
    let (emulator, token) = started().await;
    for (path, filter) in [
        ("/Contacts", "HireDate ge 2024-01-01"),
        ("/Contacts", "contacttypename eq 'Employee'"),
        ("/Opportunities", "PropertyAddressLine1 eq '100 Main St'"),
        ("/Contacts", "LastModifiedDateTime ge 2024-01-01"),
    ] {
        let refused = get(&emulator, &token, &format!("{path}?$filter={filter}")).await;
        assert_eq!(
            (
                refused.status,
                odata_message(&refused).contains("Could not find a property")
            ),
            (400, true),
            "{path} has no property in “{filter}”: {}",
            odata_message(&refused)
        );
    }
}

#[tokio::test]
async fn a_filter_is_comparisons_joined_by_and_or() {
    // contract: ASP-FILTER-2
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        [
            "ContactID gte 100",
            "ContactID = 100",
            "(ContactID eq 100",
            "ContactID eq 100 ContactID eq 101",
            "ContactID eq 100 and",
            "startswith(LastName,'O')",
            "ContactID",
        ]
        .map(|filter| format!("/Contacts?$filter={filter}")),
        "not an OData comparison expression",
    )
    .await;
    assert_eq!(
        count(
            &emulator,
            &token,
            "/Contacts?$filter=(ContactID eq 100 or ContactID eq 101) and Active eq true",
        )
        .await,
        Some(2),
        "or inside parentheses, then and"
    );
}

#[tokio::test]
async fn a_filter_value_must_have_its_fields_type() {
    // contract: ASP-FILTER-3
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        [
            "ContactTypeName eq Employee",
            "ContactID eq 'one hundred'",
            "ContactID eq 100.5",
            "Active eq yes",
            "ContactTypeName eq 'Employee",
        ]
        .map(|filter| format!("/Contacts?$filter={filter}")),
        "compares a field with a value of another type",
    )
    .await;
    assert_eq!(
        count(
            &emulator,
            &token,
            "/Contacts?$filter=ContactTypeName eq 'Employee' and ContactID eq '100'",
        )
        .await,
        Some(1),
        "text in quotes; a quoted number is still a number"
    );
    assert_eq!(
        count(
            &emulator,
            &token,
            "/Contacts?$filter=EmployeeNumber eq null"
        )
        .await,
        Some(1),
        "only the customer contact has no employee number"
    );
}

#[tokio::test]
async fn a_malformed_date_in_a_filter_is_refused() {
    // contract: ASP-FILTER-4
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        [
            "2026-13-01",
            "06/10/2026",
            "2026-06-10T25:00:00",
            "yesterday",
        ]
        .map(|date| format!("/WorkTicketTimes?$filter=WorkTicketTimeDate ge {date}")),
        "not an ISO 8601 date or date-time",
    )
    .await;
    let friday = "/WorkTicketTimes?$limit=1000&$filter=WorkTicketTimeDate ge";
    assert_eq!(
        (
            count(&emulator, &token, &format!("{friday} 2026-06-12")).await,
            count(
                &emulator,
                &token,
                &format!("{friday} '2026-06-12T00:00:00'")
            )
            .await
        ),
        (Some(6), Some(6)),
        "a date or a quoted date-time: Friday 12 June's time for 6 employees"
    );
    let utc = get(
        &emulator,
        &token,
        "/WorkTicketTimes?$filter=LastModifiedDateTime ge 2020-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(utc.status, 200, "a date-time with Z is an instant");
}

#[tokio::test]
async fn orderby_takes_one_known_field_and_a_direction() {
    // contract: ASP-ORDER-1
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        [
            "ContactID,LastName",
            "HireDate",
            "ContactID up",
            "ContactTags",
        ]
        .map(|order| format!("/Contacts?$orderby={order}")),
        "not one sortable property with asc or desc",
    )
    .await;
    let newest = get(
        &emulator,
        &token,
        "/Contacts?$orderby=ContactID desc&$top=1",
    )
    .await;
    assert_eq!(
        newest.body[0]["ContactID"], 105,
        "desc puts the highest id first"
    );
}

#[tokio::test]
async fn select_and_expand_name_the_entitys_properties() {
    // contract: ASP-SELECT-1
    let (emulator, token) = started().await;
    assert_refused(
        &emulator,
        &token,
        ["$select=HireDate", "$expand=FirstName", "$expand=Employees"]
            .map(|query| format!("/Contacts?{query}")),
        "names no property of the right kind",
    )
    .await;
    let selected = get(
        &emulator,
        &token,
        "/Contacts?$select=ContactID,LastName&$expand=ContactTags&$top=1",
    )
    .await;
    assert_eq!(
        selected.body[0].as_object().map(|o| o.len()),
        Some(2),
        "$select keeps only the fields named: {}",
        selected.body
    );
}

#[tokio::test]
async fn every_served_field_is_a_field_of_its_entity_with_its_type() {
    let company = Company::generate(&spec());
    for path in schema::paths() {
        let entity = schema::entity(path).expect("an entity");
        for record in company.list(path).expect("a list") {
            for (field, value) in record.as_object().expect("records are objects") {
                let kind = entity.kind(field);
                assert!(
                    kind.is_some(),
                    "{path} serves {field}, which Aspire's {} does not have",
                    entity.model
                );
                let typed = match (kind, value) {
                    (_, Value::Null) => true,
                    (Some(schema::Kind::Integer), v) => v.is_i64(),
                    (Some(schema::Kind::Number), v) => v.is_number(),
                    (Some(schema::Kind::Boolean), v) => v.is_boolean(),
                    (Some(schema::Kind::Text), v) => v.is_string(),
                    (Some(schema::Kind::DateTime), Value::String(s)) => {
                        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
                    }
                    _ => false,
                };
                assert!(
                    typed,
                    "{path}'s {field} is {value}, not of its type (date-times have no offset)"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_injected_fault_answers_the_next_request_only() {
    let (emulator, token) = started().await;
    emulator.fail_next(503);
    assert_eq!(
        status(&emulator, &token, "/Branches").await,
        503,
        "the fault answers the next request"
    );
    assert_eq!(
        status(&emulator, &token, "/Branches").await,
        200,
        "and only that one"
    );
}
