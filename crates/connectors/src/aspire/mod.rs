//! Aspire (landscape business software), through its External API, as its
//! contract (`docs/contracts/aspire.md`) describes it.
//!
//! Signs in with a client id and secret (`POST /Authorization`, see
//! [`crate::client_credentials`]); every call carries the token as a bearer.
//!
//! - `/Contacts` whose type is Employee become employees.
//! - `/Properties` are cached: the sites jobs are done at, with their
//!   addresses.
//! - `/Opportunities` (the contracts and work orders crews work on) become
//!   jobs, with the name and address of the property each names.
//! - `/WorkTickets` are cached: a ticket's time belongs to its opportunity.
//! - `/PayCodes` become pay items, their category read from the fields
//!   Aspire documents for it ([`pay_codes`]).
//! - `/WorkTicketTimes` become time entries, paid end − start − break
//!   ([`times`]). The first sync reads what is dated from the attendance
//!   pull date; later ones what was modified since (`LastModifiedDateTime`)
//!   and everything dated in the look-back window. Aspire has no feed of
//!   deletions: a time missing from a look-back read that the run made
//!   whole is removed at the source, within that window.
//!
//! Lists are OData: `$filter`, `$orderby` on the record key (so pages do not
//! overlap), and pages of `$limit` (at most 1,000) by `$pageNumber`, ending
//! with a short page. An answer is a bare array (or an OData envelope,
//! `{"value": [...]}`; both are read). Fields are PascalCase. No rate limit
//! is documented; a 429 is waited out a minute.

mod pay_codes;
mod times;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use timebridge_core::middleware::{Incoming, Module, PlatformField, StagedEmployee, StagedJob};
use timebridge_core::platforms::Platform;

use crate::lenient;
use crate::{CacheView, Connector, Incremental, Mapper, Output, Paging, PlatformInfo, Stream};
pub use pay_codes::map_pay_code;
pub(crate) use pay_codes::pay_category;
use times::map_time;

pub struct Aspire;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::Aspire,
    name: Platform::Aspire.name(),
    default_base_url: "https://cloud-api.youraspire.com",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(60),
    probe_path: "/Branches",
    authorize_path: None,
    token_path: Some("/Authorization"),
};

/// Records a page asks for; Aspire answers at most 1,000.
pub const PAGE_SIZE: u32 = 500;

static STREAMS: [Stream; 6] = [
    Stream {
        name: "contacts",
        path: "/Contacts",
        records_at: "",
        record_key: "ContactID",
        params: &[
            ("$filter", "ContactTypeName eq 'Employee'"),
            ("$orderby", "ContactID"),
        ],
        incremental: Incremental::FullRefresh,
        output: Output::Records(Module::Employees),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Employees,
    },
    Stream {
        name: "properties",
        path: "/Properties",
        records_at: "",
        record_key: "PropertyID",
        params: &[("$orderby", "PropertyID")],
        incremental: Incremental::FullRefresh,
        output: Output::Derive(&[]),
        cache: true,
        needs_cache: &[],
        counts_as: Module::Jobs,
    },
    Stream {
        name: "opportunities",
        path: "/Opportunities",
        records_at: "",
        record_key: "OpportunityID",
        params: &[("$orderby", "OpportunityID")],
        incremental: Incremental::FullRefresh,
        output: Output::Records(Module::Jobs),
        cache: false,
        needs_cache: &["properties"],
        counts_as: Module::Jobs,
    },
    Stream {
        name: "work_tickets",
        path: "/WorkTickets",
        records_at: "",
        record_key: "WorkTicketID",
        params: &[("$orderby", "WorkTicketID")],
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
        params: &[("$orderby", "PayCodeID")],
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
        params: &[("$orderby", "WorkTicketTimeID")],
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
            "opportunities" => {
                let properties: HashMap<String, Value> =
                    cache.records("properties").iter().cloned().collect();
                Box::new(move |raw| Ok(map_opportunity(raw, &properties)))
            }
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

/// A decimal (hours, a percent) from a number or a numeric string.
fn decimal(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
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

/// An employee contact as a staged employee. Aspire's contacts have no
/// hire date (only `TerminationDate`), so none is staged.
pub fn map_contact(raw: &Value) -> Option<Incoming> {
    let id = lenient::id(raw.get("ContactID"))?;
    let employee = StagedEmployee {
        first_name: lenient::text(raw.get("FirstName")).unwrap_or_default(),
        last_name: lenient::text(raw.get("LastName")).unwrap_or_default(),
        employee_number: lenient::text(raw.get("EmployeeNumber")),
        email: lenient::text(raw.get("Email")),
        phone: lenient::text(raw.get("MobilePhone"))
            .or_else(|| lenient::text(raw.get("OfficePhone"))),
        hire_date: None,
        payroll_id: PlatformField::NotOnPlatform,
        active: lenient::boolean(raw.get("Active"), true),
        wages: Vec::new(),
    };
    Some(Incoming::new(id, contact_name(raw), employee, None))
}

/// A property's street address on one line: `100 Main St, Building B,
/// Denver, CO 80202`.
fn property_address(property: &Value) -> Option<String> {
    let text = |field: &str| lenient::text(property.get(field));
    let region = [
        text("PropertyAddressStateProvinceCode"),
        text("PropertyAddressZipCode"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let parts: Vec<String> = [
        text("PropertyAddressLine1"),
        text("PropertyAddressLine2"),
        text("PropertyAddressCity"),
        (!region.is_empty()).then_some(region),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An opportunity as a staged job, at the property it names (`PropertyID`):
/// the job's site and address are the property's, as an opportunity holds
/// only billing addresses. Lost and canceled ones are inactive.
pub fn map_opportunity(raw: &Value, properties: &HashMap<String, Value>) -> Option<Incoming> {
    let id = lenient::id(raw.get("OpportunityID"))?;
    let name =
        lenient::text(raw.get("OpportunityName")).unwrap_or_else(|| format!("Opportunity {id}"));
    let status = lenient::text(raw.get("OpportunityStatus")).unwrap_or_default();
    let closed = matches!(
        status.to_ascii_lowercase().as_str(),
        "lost" | "canceled" | "cancelled"
    );
    let property = lenient::id(raw.get("PropertyID")).and_then(|p| properties.get(&p));
    let site = property
        .and_then(|p| lenient::text(p.get("PropertyName")))
        .or_else(|| lenient::text(raw.get("PropertyName")));
    let job = StagedJob {
        name: name.clone(),
        customer_external_id: None,
        job_number: lenient::id(raw.get("OpportunityNumber")),
        address: PlatformField::Sent(property.and_then(property_address)),
        property: PlatformField::Sent(site),
        status: PlatformField::Sent((!status.is_empty()).then_some(status)),
        active: !closed,
    };
    Some(Incoming::new(id, name, job, None))
}

#[cfg(test)]
mod tests;
