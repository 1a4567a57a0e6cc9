//! The QuickBooks Time emulator refuses what QuickBooks Time refuses, as it
//! refuses it: one test per rule of `docs/contracts/quickbooks-time.md`,
//! by part of the contract (signing in, every list, each endpoint).

mod auth;
mod endpoints;
mod lists;

use chrono::{NaiveDate, Utc};
use serde_json::Value;
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};

pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date")
}

pub(crate) async fn emulator(options: EmulatorOptions) -> Emulator {
    let company = Company::generate(&CompanySpec::demo(today()), Utc::now());
    Emulator::start(company, options)
        .await
        .expect("the emulator starts")
}

pub(crate) async fn unlimited() -> (Emulator, String) {
    let emulator = emulator(EmulatorOptions::unlimited()).await;
    let token = emulator.issue_token();
    (emulator, token)
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// GETs `path_and_query` with `token`; the status and the JSON body.
pub(crate) async fn get(emulator: &Emulator, token: &str, path_and_query: &str) -> (u16, Value) {
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
pub(crate) fn assert_refused(answer: &(u16, Value), word: &str, why: &str) {
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
