//! The Sandbox's payroll receiver: not part of QuickBooks Time, which
//! receives no payroll, but modelled on QuickBooks Desktop's, so the demo
//! company can take a publication end to end.
//!
//! - `GET /payroll_items`: the company's wage items, as QuickBooks
//!   Desktop's `PayrollItemWageQuery` lists them (name and wage type).
//! - `POST /payroll_time` with `{"lines": [...]}`: each line is one
//!   employee's hours on a day (as `TimeTrackingAdd`): `request_id`,
//!   `user_id`, `date`, optional `jobcode_id`, `payroll_item_id` or
//!   `payroll_item`, and `duration_seconds` (negative to take hours back).
//!   An item whose wage type is `Bonus` or `Commission` is paid as an
//!   amount, as QuickBooks Desktop pays those on a paycheck: its line has
//!   `amount_cents` (negative to take an amount back) and no duration; an
//!   hourly item's line has a duration and no amount.
//!   The answer has one result per line, `created`, `duplicate` (that
//!   `request_id` was recorded before; its first id is returned) or
//!   `error` with the reason. A rejected line records nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::company::Company;

#[derive(Debug, Clone, PartialEq)]
pub struct PayrollItem {
    pub id: i64,
    pub name: String,
    /// QuickBooks Desktop's `WageType`, e.g. `HourlyRegular`.
    pub wage_type: String,
    pub active: bool,
}

/// Hours the company received.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedTime {
    pub id: i64,
    pub request_id: String,
    pub user_id: i64,
    pub date: NaiveDate,
    pub jobcode_id: Option<i64>,
    pub payroll_item_id: i64,
    /// 0 on an amount line.
    pub duration_seconds: i64,
    /// An amount line's amount (0 on a line of hours).
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Default)]
pub struct PayrollInbox {
    pub items: BTreeMap<i64, PayrollItem>,
    pub received: Vec<ReceivedTime>,
}

impl PayrollInbox {
    /// The wage items of a small construction company.
    pub fn demo(first_id: i64) -> PayrollInbox {
        let items = [
            ("Hourly Rate", "HourlyRegular"),
            ("Overtime Rate", "HourlyOvertime"),
            ("Double-time Rate", "HourlyOvertime"),
            ("Vacation Hourly", "HourlyVacation"),
            ("Sick Hourly", "HourlySick"),
            ("Holiday Hourly", "HourlyRegular"),
            ("Crew Bonus", "Bonus"),
        ];
        PayrollInbox {
            items: items
                .iter()
                .enumerate()
                .map(|(i, (name, wage_type))| {
                    let id = first_id + i as i64;
                    (
                        id,
                        PayrollItem {
                            id,
                            name: (*name).to_owned(),
                            wage_type: (*wage_type).to_owned(),
                            active: true,
                        },
                    )
                })
                .collect(),
            received: Vec::new(),
        }
    }

    /// Hours received per (user, date, jobcode, payroll item), summed.
    pub fn totals(&self) -> BTreeMap<(i64, NaiveDate, Option<i64>, i64), i64> {
        self.sum(|time| time.duration_seconds)
    }

    /// Amounts received per (user, date, jobcode, payroll item), summed.
    pub fn amounts(&self) -> BTreeMap<(i64, NaiveDate, Option<i64>, i64), i64> {
        self.sum(|time| time.amount_cents)
    }

    fn sum(
        &self,
        value: impl Fn(&ReceivedTime) -> i64,
    ) -> BTreeMap<(i64, NaiveDate, Option<i64>, i64), i64> {
        let mut out = BTreeMap::new();
        for time in &self.received {
            *out.entry((
                time.user_id,
                time.date,
                time.jobcode_id,
                time.payroll_item_id,
            ))
            .or_insert(0) += value(time);
        }
        out
    }
}

pub(super) fn items_json(company: &Company) -> Value {
    let items: serde_json::Map<String, Value> = company
        .payroll
        .items
        .values()
        .map(|item| {
            (
                item.id.to_string(),
                json!({"id": item.id, "name": item.name, "wage_type": item.wage_type, "active": item.active}),
            )
        })
        .collect();
    json!({"results": {"payroll_items": items}, "more": false})
}

fn id_field(line: &Value, name: &str) -> Option<i64> {
    match line.get(name)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Records the lines of a `POST /payroll_time` body and answers each.
pub(super) fn receive(company: &mut Company, body: &Value) -> Result<Value, String> {
    let lines = body
        .get("lines")
        .and_then(Value::as_array)
        .ok_or_else(|| "the body needs a \"lines\" array".to_owned())?;
    if lines.len() > 500 {
        return Err("at most 500 lines per request".into());
    }
    let mut results = Vec::with_capacity(lines.len());
    for line in lines {
        let request_id = line
            .get("request_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let answer = |status: &str, id: Option<i64>, message: Option<String>| json!({"request_id": request_id, "status": status, "id": id, "message": message});
        if request_id.is_empty() {
            results.push(answer("error", None, Some("request_id is required".into())));
            continue;
        }
        if let Some(previous) = company
            .payroll
            .received
            .iter()
            .find(|r| r.request_id == request_id)
        {
            results.push(answer("duplicate", Some(previous.id), None));
            continue;
        }
        let checked = (|| -> Result<ReceivedTime, String> {
            let user_id = id_field(line, "user_id").ok_or("user_id is required")?;
            match company.users.get(&user_id) {
                None => return Err(format!("no employee has id {user_id}")),
                Some(user) if !user.active => {
                    return Err(format!(
                        "{} {} is inactive and cannot be paid",
                        user.first_name, user.last_name
                    ));
                }
                Some(_) => {}
            }
            let date = line
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| d.parse::<NaiveDate>().ok())
                .ok_or("date must be YYYY-MM-DD")?;
            let jobcode_id = id_field(line, "jobcode_id");
            if let Some(id) = jobcode_id
                && !company.jobcodes.contains_key(&id)
            {
                return Err(format!("no job has id {id}"));
            }
            let item = match id_field(line, "payroll_item_id") {
                Some(id) => company.payroll.items.get(&id),
                None => line
                    .get("payroll_item")
                    .and_then(Value::as_str)
                    .and_then(|name| {
                        company
                            .payroll
                            .items
                            .values()
                            .find(|i| i.name.eq_ignore_ascii_case(name.trim()))
                    }),
            }
            .ok_or("the payroll item is not on the company's list")?;
            if !item.active {
                return Err(format!("payroll item {} is inactive", item.name));
            }
            let given = |name: &str| line.get(name).is_some_and(|v| !v.is_null());
            let amount_item = matches!(item.wage_type.as_str(), "Bonus" | "Commission");
            let (duration_seconds, amount_cents) = if amount_item {
                if given("duration_seconds") {
                    return Err(format!(
                        "{} is paid as an amount: send amount_cents, not duration_seconds",
                        item.name
                    ));
                }
                let cents = line
                    .get("amount_cents")
                    .and_then(Value::as_i64)
                    .filter(|c| *c != 0 && c.abs() <= 100_000_000)
                    .ok_or("amount_cents must be a non-zero number of cents up to $1,000,000")?;
                (0, cents)
            } else {
                if given("amount_cents") {
                    return Err(format!(
                        "{} is an hourly item: send duration_seconds, not amount_cents",
                        item.name
                    ));
                }
                let seconds = line
                    .get("duration_seconds")
                    .and_then(Value::as_i64)
                    .filter(|d| *d != 0 && d.abs() <= 7 * 24 * 3600)
                    .ok_or("duration_seconds must be a non-zero number of seconds")?;
                (seconds, 0)
            };
            Ok(ReceivedTime {
                id: 0,
                request_id: request_id.clone(),
                user_id,
                date,
                jobcode_id,
                payroll_item_id: item.id,
                duration_seconds,
                amount_cents,
            })
        })();
        match checked {
            Ok(mut time) => {
                time.id = company.next_id();
                results.push(answer("created", Some(time.id), None));
                company.payroll.received.push(time);
            }
            Err(message) => results.push(answer("error", None, Some(message))),
        }
    }
    Ok(json!({"results": results}))
}
