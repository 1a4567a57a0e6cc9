//! The Sandbox's payroll receiver (`POST /payroll_time`), modelled on
//! QuickBooks Desktop: hours go on hourly items, amounts (a crew bonus) on
//! bonus items, and a line that mixes them up is refused, recording nothing.

use serde_json::{Value, json};

use crate::quickbooks_time_contract::{client, unlimited};

/// Posts one line; its answer.
async fn send(line: Value) -> (Value, i64) {
    let (emulator, token) = unlimited().await;
    let user = emulator.update(|c| *c.users.keys().next().expect("a user"));
    let mut line = line;
    line["request_id"] = json!("r-1");
    line["user_id"] = json!(user);
    line["date"] = json!("2026-11-02");
    let answer: Value = client()
        .post(format!("{}/payroll_time", emulator.base_url()))
        .bearer_auth(&token)
        .json(&json!({"lines": [line]}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let received = emulator.update(|c| c.payroll.received.len() as i64);
    (answer["results"][0].clone(), received)
}

#[tokio::test]
async fn a_bonus_item_takes_an_amount() {
    let (answer, received) =
        send(json!({"payroll_item": "Crew Bonus", "amount_cents": 5_250})).await;
    assert_eq!(
        (answer["status"].as_str(), received),
        (Some("created"), 1),
        "an amount on a bonus item is recorded: {answer}"
    );
}

#[tokio::test]
async fn a_bonus_item_refuses_hours() {
    let (answer, received) =
        send(json!({"payroll_item": "Crew Bonus", "duration_seconds": 3600})).await;
    assert!(
        answer["status"] == "error"
            && answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("amount_cents"))
            && received == 0,
        "a bonus is paid as an amount; nothing recorded: {answer}"
    );
}

#[tokio::test]
async fn an_hourly_item_refuses_an_amount() {
    let (answer, received) =
        send(json!({"payroll_item": "Hourly Rate", "amount_cents": 100})).await;
    assert!(
        answer["status"] == "error"
            && answer["message"]
                .as_str()
                .is_some_and(|m| m.contains("duration_seconds"))
            && received == 0,
        "hours go on an hourly item; nothing recorded: {answer}"
    );
}

#[tokio::test]
async fn a_bonus_line_without_an_amount_is_refused() {
    let (answer, received) = send(json!({"payroll_item": "Crew Bonus"})).await;
    assert!(
        answer["status"] == "error" && received == 0,
        "an amount line needs its amount: {answer}"
    );
}
