//! Aspire (landscape business software), through its External API.
//!
//! Signs in with a client id and secret (`POST /Authorization`, see
//! [`crate::client_credentials`]); every call carries the token as a bearer.
//!
//! - `/Contacts` whose type is Employee become employees.
//! - `/Opportunities` (the contracts and work orders crews work on) become
//!   jobs, with the property's name and address.
//! - `/WorkTickets` are cached: a ticket's time belongs to its opportunity.
//! - `/PayCodes` become pay items, their category read from the name.
//! - `/WorkTicketTimes` become time entries. The first sync reads what is
//!   dated from the attendance pull date; later ones what was modified since
//!   (`LastModifiedDateTime`) and everything dated in the look-back window.
//!   Aspire has no feed of deletions: a time missing from a look-back read
//!   that the run made whole is removed at the source, within that window.
//!   Times come without an offset, in the branch's time zone: they are
//!   placed in `BranchTimeZone` when it names one, and kept as the date and
//!   hours worked when it does not (never guessed into UTC).
//!
//! Lists are OData: `$filter`, and pages of `$limit` (at most 1,000) by
//! `$pageNumber`, ending with a short page. An answer is a bare array or an
//! OData envelope (`{"value": [...]}`); both are read. Fields are PascalCase.
//! No rate limit is documented; a 429 is waited out a minute.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde_json::{Value, json};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::records::time_entries::TimeSpan;

use crate::lenient;
use crate::{
    AuthKind, CacheView, Connector, Incremental, Mapper, Output, Paging, PlatformInfo, Stream,
};

pub struct Aspire;

pub static INFO: PlatformInfo = PlatformInfo {
    id: "aspire",
    name: "Aspire",
    auth: &[AuthKind::ClientCredentials],
    modules: &[
        Module::Employees,
        Module::Jobs,
        Module::TimeEntries,
        Module::PayItems,
    ],
    publishes_payroll: false,
    default_base_url: "https://cloud-api.youraspire.com",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(60),
    probe_path: "/Branches",
    authorize_path: None,
    token_path: Some("/Authorization"),
};

/// Records a page asks for; Aspire answers at most 1,000.
pub const PAGE_SIZE: u32 = 500;

static STREAMS: [Stream; 5] = [
    Stream {
        name: "contacts",
        path: "/Contacts",
        records_at: "",
        record_key: "ContactID",
        params: &[("$filter", "ContactTypeName eq 'Employee'")],
        incremental: Incremental::FullRefresh,
        output: Output::Records(Module::Employees),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Employees,
    },
    Stream {
        name: "opportunities",
        path: "/Opportunities",
        records_at: "",
        record_key: "OpportunityID",
        params: &[],
        incremental: Incremental::FullRefresh,
        output: Output::Records(Module::Jobs),
        cache: false,
        needs_cache: &[],
        counts_as: Module::Jobs,
    },
    Stream {
        name: "work_tickets",
        path: "/WorkTickets",
        records_at: "",
        record_key: "WorkTicketID",
        params: &[],
        incremental: Incremental::FullRefresh,
        output: Output::Derive(&[]),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Jobs,
    },
    Stream {
        name: "pay_codes",
        path: "/PayCodes",
        records_at: "",
        record_key: "PayCodeID",
        params: &[],
        incremental: Incremental::FullRefresh,
        output: Output::Records(Module::PayItems),
        cache: false,
        needs_cache: &[],
        counts_as: Module::PayItems,
    },
    Stream {
        name: "work_ticket_times",
        path: "/WorkTicketTimes",
        records_at: "",
        record_key: "WorkTicketTimeID",
        params: &[],
        incremental: Incremental::ODataModifiedSince {
            modified_field: "LastModifiedDateTime",
            date_field: "WorkTicketTimeDate",
        },
        output: Output::Records(Module::TimeEntries),
        cache: false,
        needs_cache: &["contacts", "work_tickets"],
        counts_as: Module::TimeEntries,
    },
];

impl Connector for Aspire {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn streams(&self) -> &'static [Stream] {
        &STREAMS
    }

    fn paging(&self) -> Option<Paging> {
        Some(Paging::PageNumberUntilShort {
            page_param: "$pageNumber",
            limit_param: "$limit",
            limit: PAGE_SIZE,
        })
    }

    fn mapper(&self, stream: &Stream, cache: &CacheView) -> Mapper {
        match stream.name {
            "contacts" => Box::new(|raw| Ok(map_contact(raw))),
            "opportunities" => Box::new(|raw| Ok(map_opportunity(raw))),
            "pay_codes" => Box::new(|raw| Ok(map_pay_code(raw))),
            "work_ticket_times" => {
                let tickets: HashMap<String, String> = cache
                    .records("work_tickets")
                    .iter()
                    .filter_map(|(id, ticket)| {
                        lenient::id(ticket.get("OpportunityID")).map(|o| (id.clone(), o))
                    })
                    .collect();
                let names: HashMap<String, String> = cache
                    .records("contacts")
                    .iter()
                    .map(|(id, contact)| (id.clone(), contact_name(contact)))
                    .collect();
                Box::new(move |raw| map_time(raw, &tickets, &names))
            }
            other => {
                let other = other.to_owned();
                Box::new(move |_| Err(format!("the {other} stream has no mapper")))
            }
        }
    }

    fn account_label(&self, probe: &Value) -> String {
        let mut body = probe.clone();
        let branches: Vec<String> = lenient::take_records(&mut body, "")
            .iter()
            .filter_map(|b| lenient::text(b.get("BranchName")))
            .collect();
        match branches.as_slice() {
            [] => INFO.name.to_owned(),
            [one] => format!("Aspire · {one}"),
            [first, rest @ ..] => format!("Aspire · {first} and {} more branches", rest.len()),
        }
    }
}

fn contact_name(contact: &Value) -> String {
    let first = lenient::text(contact.get("FirstName")).unwrap_or_default();
    let last = lenient::text(contact.get("LastName")).unwrap_or_default();
    let name = format!("{first} {last}").trim().to_owned();
    if name.is_empty() {
        lenient::text(contact.get("ContactName")).unwrap_or_default()
    } else {
        name
    }
}

/// A date, or the date part of a date-time (`2026-06-12T00:00:00`).
fn day(value: Option<&Value>) -> Option<NaiveDate> {
    let text = value?.as_str()?.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// An employee contact as a staged employee.
pub fn map_contact(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("ContactID"))?;
    let data = json!({
        "first_name": lenient::text(raw.get("FirstName")).unwrap_or_default(),
        "last_name": lenient::text(raw.get("LastName")).unwrap_or_default(),
        "employee_number": lenient::text(raw.get("EmployeeNumber")),
        "email": lenient::text(raw.get("Email")),
        "phone": lenient::text(raw.get("MobilePhone")).or_else(|| lenient::text(raw.get("OfficePhone"))),
        "hire_date": day(raw.get("HireDate")),
        "active": lenient::boolean(raw.get("Active"), true),
    });
    Some(Incoming {
        external_id: id,
        label: contact_name(raw),
        data,
        record_date: None,
    })
}

/// An opportunity as a staged job. Lost and cancelled ones are inactive.
pub fn map_opportunity(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("OpportunityID"))?;
    let name =
        lenient::text(raw.get("OpportunityName")).unwrap_or_else(|| format!("Opportunity {id}"));
    let status = lenient::text(raw.get("OpportunityStatus")).unwrap_or_default();
    let closed = matches!(
        status.to_ascii_lowercase().as_str(),
        "lost" | "canceled" | "cancelled"
    );
    let address = [
        raw.get("PropertyAddressLine1"),
        raw.get("PropertyAddressCity"),
        raw.get("PropertyAddressStateProvinceCode"),
    ]
    .into_iter()
    .filter_map(lenient::text)
    .collect::<Vec<_>>()
    .join(", ");
    let data = json!({
        "name": name,
        "customer_external_id": null,
        "job_number": lenient::id(raw.get("OpportunityNumber")),
        "address": (!address.is_empty()).then_some(address),
        "property": lenient::text(raw.get("PropertyName")),
        "status": (!status.is_empty()).then_some(status),
        "active": lenient::boolean(raw.get("Active"), true) && !closed,
    });
    Some(Incoming {
        external_id: id,
        label: name,
        data,
        record_date: None,
    })
}

/// The pay category a pay code's name says, and its multiplier.
pub(crate) fn pay_category(name: &str) -> (&'static str, f64) {
    let words: Vec<String> = name
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("double") || has("dt") {
        ("double_time", 2.0)
    } else if has("overtime") || has("ot") {
        ("overtime", 1.5)
    } else if has("sick") {
        ("sick", 1.0)
    } else if has("holiday") {
        ("holiday", 1.0)
    } else if has("pto") || has("vacation") {
        ("pto", 1.0)
    } else {
        ("regular", 1.0)
    }
}

/// A pay code as a staged pay item.
pub fn map_pay_code(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("PayCodeID"))?;
    let name = lenient::text(raw.get("PayCodeName")).unwrap_or_else(|| format!("Pay code {id}"));
    let (category, multiplier) = pay_category(&name);
    let data = json!({
        "code": name,
        "name": name,
        "category": category,
        "multiplier": multiplier,
        "active": lenient::boolean(raw.get("Active"), true),
    });
    Some(Incoming {
        external_id: id,
        label: name,
        data,
        record_date: None,
    })
}

/// A time of day as an instant: with its own offset, or placed in the
/// branch's time zone.
fn instant(value: Option<&Value>, zone: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    if let Some(at) = lenient::instant(value) {
        return Some(at);
    }
    let text = value?.as_str()?.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    let local = zone?.from_local_datetime(&naive).earliest()?;
    Some(local.fixed_offset())
}

/// A work ticket's time as a staged time entry, on the ticket's opportunity.
fn map_time(
    raw: &Value,
    tickets: &HashMap<String, String>,
    names: &HashMap<String, String>,
) -> Result<Option<Incoming>, String> {
    let Some(id) = lenient::id(raw.get("WorkTicketTimeID")) else {
        return Ok(None);
    };
    let contact =
        lenient::id(raw.get("ContactID")).ok_or_else(|| format!("time {id} has no contact"))?;
    let zone: Option<chrono_tz::Tz> =
        lenient::text(raw.get("BranchTimeZone")).and_then(|z| z.parse().ok());
    let date = day(raw.get("WorkTicketTimeDate"));
    let start = instant(raw.get("StartTime"), zone);
    let end = instant(raw.get("EndTime"), zone);
    let span = match (start, end) {
        (Some(start), Some(end)) => TimeSpan::Clock {
            start,
            end: Some(end),
        },
        (Some(_), None) if raw.get("EndTime").is_none_or(Value::is_null) => {
            return Ok(None); // still clocked in
        }
        _ => {
            let date = date
                .or_else(|| day(raw.get("StartTime")))
                .ok_or_else(|| format!("time {id} has no date"))?;
            let hours = raw
                .get("Hours")
                .and_then(|h| h.as_f64().or_else(|| h.as_str()?.trim().parse().ok()))
                .ok_or_else(|| format!("time {id} has neither times nor hours"))?;
            TimeSpan::Manual {
                date,
                duration_seconds: (hours * 3600.0).round() as i64,
            }
        }
    };
    let work_date = date.unwrap_or_else(|| span.work_date());
    let ticket = lenient::id(raw.get("WorkTicketID"));
    let job = ticket.as_ref().and_then(|t| tickets.get(t).cloned());
    let notes = match lenient::text(raw.get("WorkTicketNumber")) {
        Some(number) => format!("Work ticket {number}"),
        None => String::new(),
    };
    let data = json!({
        "employee_external_id": contact,
        "job_external_id": job,
        "task_external_id": null,
        "pay_item_external_id": lenient::id(raw.get("PayCodeID")),
        "span": span,
        "notes": notes,
    });
    let who = names
        .get(&contact)
        .cloned()
        .or_else(|| lenient::text(raw.get("ContactName")))
        .unwrap_or_else(|| format!("Contact {contact}"));
    Ok(Some(Incoming {
        external_id: id,
        label: format!("{who} · {work_date}"),
        data,
        record_date: Some(work_date),
    }))
}

#[cfg(test)]
mod tests;
