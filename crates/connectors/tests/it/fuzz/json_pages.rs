//! Each platform's JSON pages and GraphQL answers (QuickBooks Time,
//! Aspire's OData, busybusy's GraphQL), read the way a sync reads them:
//! the body parsed, its records taken from where the stream says, each
//! mapped (or the cache derived), and a GraphQL answer's `errors` read.
//! Seeds: pages of the records each platform's emulator serves, mutated as
//! text, or record by record with values of the wrong type, huge numbers,
//! giant strings and deep nesting.

use std::collections::HashMap;

use chrono::Utc;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};
use timebridge_connectors::http::graphql_errors;
use timebridge_connectors::{CacheView, Connector, Output, Stream, lenient};
use timebridge_emulators::{aspire, busybusy, quickbooks_time};

use super::{apply, assert_refusal, config, timed};

const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "\"\"",
    "{\"errors\":[{\"message\":\"Invalid cursor\"}],\"data\":null}",
    "\"errors\":[{}]",
    "\"value\":[]",
    "\"id\":",
    "\"id\":null",
    "\"id\":{}",
    "1e999999",
    "-1e-999999",
    "123456789012345678901234567890",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "\"2026-02-30T25:61:00Z\"",
    "\"9999-12-31T23:59:59.9999999999+14:00\"",
    "\"America/Nowhere\"",
];

/// One stream's page: the platform's connector, the stream, its records.
#[derive(Debug, Clone)]
struct Page {
    platform: usize,
    stream: usize,
    records: Vec<Value>,
}

fn connectors() -> [&'static dyn Connector; 3] {
    [
        &timebridge_connectors::quickbooks_time::QuickBooksTime,
        &timebridge_connectors::aspire::Aspire,
        &timebridge_connectors::busybusy::Busybusy,
    ]
}

/// The emulators' records, by platform and stream name.
fn pools() -> [HashMap<&'static str, Vec<Value>>; 3] {
    let now = Utc::now();
    let today = now.date_naive();
    let qbt = quickbooks_time::Company::generate(&quickbooks_time::CompanySpec::demo(today), now);
    let few = |all: Vec<Value>| all.into_iter().take(6).collect::<Vec<_>>();
    let time = HashMap::from([
        (
            "users",
            few(qbt.users.values().map(|u| u.to_json()).collect()),
        ),
        (
            "jobcodes",
            few(qbt.jobcodes.values().map(|j| j.to_json(false)).collect()),
        ),
        (
            "timesheets",
            few(qbt.timesheets.values().map(|t| t.to_json()).collect()),
        ),
        (
            "timesheets_deleted",
            vec![json!({"id": 7, "date": "2026-06-01"})],
        ),
        (
            "projects",
            few(qbt.projects.values().map(|p| p.to_json()).collect()),
        ),
        (
            "estimates",
            few(qbt.estimates.values().map(|e| e.to_json()).collect()),
        ),
        (
            "estimate_items",
            few(qbt.estimate_items.values().map(|e| e.to_json()).collect()),
        ),
    ]);
    let asp = aspire::Company::generate(&aspire::CompanySpec {
        employees: 3,
        opportunities: 2,
        days: 3,
        today,
        modified: now,
    });
    let aspire = HashMap::from([
        ("contacts", few(asp.contacts)),
        ("properties", few(asp.properties)),
        ("opportunities", few(asp.opportunities)),
        ("work_tickets", few(asp.work_tickets)),
        ("pay_codes", few(asp.pay_codes)),
        ("work_ticket_times", few(asp.work_ticket_times)),
    ]);
    let org = busybusy::Organization::generate(&busybusy::OrganizationSpec::demo(now));
    let busy = HashMap::from([
        ("members", few(org.members)),
        ("cost_codes", few(org.cost_codes)),
        ("projects", few(org.projects)),
        ("time_entries", few(org.time_entries.clone())),
        ("deleted_time_entries", few(org.time_entries)),
        ("budget_hours", few(org.budget_hours)),
        ("budget_costs", few(org.budget_costs)),
    ]);
    [time, aspire, busy]
}

/// A value of any shape: the leaves a mapper may be handed instead of the
/// one it expects, nested a little.
fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        proptest::sample::select(super::COMMON).prop_map(Value::from),
        proptest::sample::select(JSON).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        (1usize..100_000).prop_map(|n| Value::from("x".repeat(n))),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::hash_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change to a record: a field set to an odd value, or removed.
fn record_edit() -> impl Strategy<Value = (Index, Option<Value>)> {
    (any::<Index>(), proptest::option::weighted(0.8, odd_value()))
}

fn mutate(record: &mut Value, edits: &[(Index, Option<Value>)]) {
    for (at, value) in edits {
        let Value::Object(map) = record else {
            *record = value.clone().unwrap_or(Value::Null);
            continue;
        };
        if map.is_empty() {
            continue;
        }
        let key = map
            .keys()
            .nth(at.index(map.len()))
            .cloned()
            .unwrap_or_default();
        match value {
            Some(v) => map.insert(key, v.clone()),
            None => map.remove(&key),
        };
    }
}

fn pages() -> impl Strategy<Value = Page> {
    let pools = pools();
    let streams: Vec<(usize, usize)> = connectors()
        .iter()
        .enumerate()
        .flat_map(|(p, c)| (0..c.streams().len()).map(move |s| (p, s)))
        .collect();
    (
        proptest::sample::select(streams),
        proptest::collection::vec(proptest::collection::vec(record_edit(), 0..4), 1..6),
    )
        .prop_map(move |((platform, stream), edits)| {
            let name = connectors()[platform].streams()[stream].name;
            let pool = pools[platform].get(name).cloned().unwrap_or_default();
            let records = edits
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let mut record = pool
                        .get(i % pool.len().max(1))
                        .cloned()
                        .unwrap_or(json!({}));
                    mutate(&mut record, e);
                    record
                })
                .collect();
            Page {
                platform,
                stream,
                records,
            }
        })
}

/// `records` placed where `stream` finds them, as its platform answers.
fn body(stream: &Stream, records: Vec<Value>) -> Value {
    let mut body = Value::Array(records);
    for key in stream.records_at.rsplit('/').filter(|k| !k.is_empty()) {
        body = json!({ key: body });
    }
    body
}

/// Reads `body` as the sync does: its records mapped, or derived.
fn read(connector: &dyn Connector, stream: &Stream, mut body: Value) {
    if let Some(error) = graphql_errors(connector.info().name, stream.name, &body) {
        assert_refusal(&error.message, &[]);
        assert!(
            error.message.len() < 4_000,
            "the platform's messages are cut short"
        );
    }
    let records = lenient::take_records(&mut body, stream.records_at);
    let count = records.len();
    let keyed: Vec<(String, Value)> = records
        .into_iter()
        .map(|r| (lenient::id(r.get(stream.record_key)).unwrap_or_default(), r))
        .collect();
    let mut cache = CacheView::default();
    cache.streams.insert(stream.name.to_owned(), keyed.clone());
    match stream.output {
        Output::Records(_) => {
            let mapper = connector.mapper(stream, &cache);
            for (_, record) in &keyed {
                if let Err(why) = timed("mapper", || mapper(record)) {
                    assert_refusal(&why, &[]);
                }
            }
        }
        Output::Derive(_) => {
            let derived = timed("derive", || connector.derive(stream, &cache));
            let made: usize = derived.iter().map(|(_, r)| r.len()).sum();
            assert!(
                made <= 4 * count + 4,
                "derived records in proportion: {made} from {count}"
            );
        }
        Output::Removals(_) => {}
    }
}

proptest! {
    #![proptest_config(config("json_pages", 1))]

    #[test]
    fn any_page_of_odd_records_is_mapped_or_refused_in_words(page in pages()) {
        let connector = connectors()[page.platform];
        let stream = &connector.streams()[page.stream];
        read(connector, stream, body(stream, page.records));
    }

    #[test]
    fn any_page_text_is_parsed_then_read_or_refused(
        page in pages(),
        edits in proptest::collection::vec(super::edit(JSON), 0..8),
    ) {
        let connector = connectors()[page.platform];
        let stream = &connector.streams()[page.stream];
        let text = serde_json::to_vec(&body(stream, page.records)).expect("JSON");
        let bytes = apply(&text, &edits, super::Encoding::AsIs);
        // As the HTTP client does: an unreadable body is retried, then refused.
        if let Ok(body) = serde_json::from_slice::<Value>(&bytes) {
            read(connector, stream, body);
        }
    }
}

#[test]
fn a_graphql_answer_with_giant_errors_is_refused_in_few_words() {
    let errors: Vec<Value> = (0..1_000)
        .map(|_| json!({"message": "e".repeat(100_000)}))
        .collect();
    let error = graphql_errors("busybusy", "members", &json!({ "errors": errors }))
        .expect("an answer with errors is refused");
    assert!(
        error.message.len() < 4_000,
        "three messages of at most 200 characters are shown: {} bytes",
        error.message.len()
    );
}
