//! QuickBooks Desktop, through the QuickBooks Web Connector.
//!
//! QuickBooks Desktop has no web API. The Web Connector, a Windows program
//! beside QuickBooks, calls Timebridge (a SOAP server on this computer) on
//! its own schedule or when the admin clicks *Update Selected*: it signs in
//! with the username in the `.qwc` file and the password the admin typed,
//! then asks Timebridge for qbXML requests one at a time, runs each in
//! QuickBooks and hands back the answer (vendor-apis.md §5).
//!
//! - Employees become employees (`AccountNumber` is the employee number).
//! - Customers become customers; their jobs (sub-customers) become jobs of
//!   the top customer.
//! - Service items become tasks.
//! - Wage payroll items become pay items, their category from the wage type.
//!
//! Every update reads each list whole (inactive records too), so a record
//! missing from an update was deleted in QuickBooks. Nothing is written
//! until every list has been read ([`session::Session`]).

pub mod qbxml;
pub mod qwc;
pub mod session;
pub mod soap;
pub mod time_tracking;
pub mod xml;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use timebridge_core::middleware::{
    Incoming, Module, PlatformField, StagedCustomer, StagedEmployee, StagedJob, StagedPayItem,
    StagedTask,
};
use timebridge_core::platforms::Platform;
use timebridge_core::records::pay_ids::PayCategory;

use crate::{Connector, PlatformInfo, lenient};
use qbxml::List;

/// Where Timebridge answers the Web Connector unless told otherwise.
pub const DEFAULT_URL: &str = "http://localhost:52089/qbwc";

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::QuickBooksDesktop,
    name: Platform::QuickBooksDesktop.name(),
    default_base_url: DEFAULT_URL,
    rate_limit: None,
    rate_limit_window: Duration::from_secs(1),
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

pub struct QuickBooksDesktop;

impl Connector for QuickBooksDesktop {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn web_connector(&self) -> bool {
        true
    }
}

/// The modules a list's records become.
pub fn modules_of(list: List) -> &'static [Module] {
    match list {
        List::Employees => &[Module::Employees],
        List::Customers => &[Module::Customers, Module::Jobs],
        List::ServiceItems => &[Module::Tasks],
        List::PayrollWageItems => &[Module::PayItems],
    }
}

fn text(raw: &Value, field: &str) -> Option<String> {
    lenient::text(raw.get(field))
}

fn list_id(raw: &Value, field: &str) -> Option<String> {
    raw.get(field).and_then(|r| lenient::id(r.get("ListID")))
}

fn active(raw: &Value) -> bool {
    lenient::boolean(raw.get("IsActive"), true)
}

/// An `EmployeeRet` as a staged employee.
pub fn map_employee(raw: &Value) -> Option<Incoming> {
    let id = text(raw, "ListID")?;
    let name = text(raw, "Name").unwrap_or_default();
    let (mut first, mut last) = (
        text(raw, "FirstName").unwrap_or_default(),
        text(raw, "LastName").unwrap_or_default(),
    );
    if first.is_empty() && last.is_empty() {
        match name.rsplit_once(' ') {
            Some((f, l)) => (first, last) = (f.to_owned(), l.to_owned()),
            None => last = name.clone(),
        }
    }
    let label = if name.is_empty() {
        format!("{first} {last}").trim().to_owned()
    } else {
        name
    };
    let employee = StagedEmployee {
        first_name: first,
        last_name: last,
        employee_number: text(raw, "AccountNumber"),
        email: text(raw, "Email"),
        phone: text(raw, "Mobile").or_else(|| text(raw, "Phone")),
        hire_date: lenient::date(raw.get("HiredDate")),
        payroll_id: PlatformField::NotOnPlatform,
        active: active(raw),
        wages: Vec::new(),
    };
    Some(Incoming::new(id, label, employee, None))
}

fn address(raw: &Value) -> Option<String> {
    let block = raw.get("ShipAddress").or_else(|| raw.get("BillAddress"))?;
    let parts: Vec<String> = ["Addr1", "City", "State"]
        .into_iter()
        .filter_map(|f| text(block, f))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Every `CustomerRet`, as customers (top level) and jobs (sub-customers,
/// each under its top customer).
pub fn map_customers(all: &[Value]) -> (Vec<Incoming>, Vec<Incoming>) {
    let parents: HashMap<String, String> = all
        .iter()
        .filter_map(|raw| Some((text(raw, "ListID")?, list_id(raw, "ParentRef")?)))
        .collect();
    let top = |mut id: String| {
        for _ in 0..parents.len() {
            match parents.get(&id) {
                Some(parent) => id = parent.clone(),
                None => break,
            }
        }
        id
    };
    let (mut customers, mut jobs) = (Vec::new(), Vec::new());
    for raw in all {
        let Some(id) = text(raw, "ListID") else {
            continue;
        };
        let name = text(raw, "Name").unwrap_or_else(|| format!("Customer {id}"));
        let full_name = text(raw, "FullName").unwrap_or_else(|| name.clone());
        match list_id(raw, "ParentRef") {
            None => {
                let customer = StagedCustomer {
                    name: text(raw, "CompanyName").unwrap_or_else(|| name.clone()),
                    email: PlatformField::Sent(text(raw, "Email")),
                    phone: PlatformField::Sent(text(raw, "Phone")),
                    active: active(raw),
                };
                customers.push(Incoming::new(id, name, customer, None));
            }
            Some(parent) => {
                let status = text(raw, "JobStatus");
                let closed = status.as_deref() == Some("Closed");
                let job = StagedJob {
                    name,
                    customer_external_id: Some(top(parent)),
                    job_number: None,
                    address: PlatformField::Sent(address(raw)),
                    property: PlatformField::NotOnPlatform,
                    status: PlatformField::Sent(status),
                    active: active(raw) && !closed,
                };
                jobs.push(Incoming::new(id, full_name, job, None));
            }
        }
    }
    (customers, jobs)
}

/// An `ItemServiceRet` as a staged task (a cost code for any job).
pub fn map_service_item(raw: &Value) -> Option<Incoming> {
    let id = text(raw, "ListID")?;
    let name = text(raw, "Name").unwrap_or_else(|| format!("Item {id}"));
    let description = ["SalesOrPurchase", "SalesAndPurchase"]
        .into_iter()
        .filter_map(|block| raw.get(block))
        .find_map(|b| text(b, "Desc").or_else(|| text(b, "SalesDesc")));
    let task = StagedTask {
        code: name.clone(),
        name: description.unwrap_or_else(|| name.clone()),
        job_external_id: None,
        pay_item_external_id: PlatformField::NotOnPlatform,
        active: active(raw),
    };
    Some(Incoming::new(
        id,
        text(raw, "FullName").unwrap_or(name),
        task,
        None,
    ))
}

/// The pay category and multiplier of a wage payroll item.
fn wage_category(wage_type: &str, name: &str) -> (&'static str, f64) {
    let named = crate::aspire::pay_category(name);
    match wage_type {
        "HourlyOvertime" if named.0 == "double_time" => named,
        "HourlyOvertime" => ("overtime", 1.5),
        "HourlySick" | "SalarySick" => ("sick", 1.0),
        "HourlyVacation" | "SalaryVacation" => ("pto", 1.0),
        "Bonus" | "Commission" => ("other", 1.0),
        _ if named.0 == "holiday" => named,
        _ => ("regular", 1.0),
    }
}

/// A `PayrollItemWageRet` as a staged pay item.
pub fn map_wage_item(raw: &Value) -> Option<Incoming> {
    let id = text(raw, "ListID")?;
    let name = text(raw, "Name").unwrap_or_else(|| format!("Payroll item {id}"));
    let (category, multiplier) = wage_category(&text(raw, "WageType").unwrap_or_default(), &name);
    let pay_item = StagedPayItem {
        code: name.clone(),
        name: name.clone(),
        // Every name `wage_category` gives is a category's.
        category: PayCategory::parse(category).unwrap_or(PayCategory::Other),
        multiplier: PlatformField::Sent(multiplier),
        active: active(raw),
    };
    Some(Incoming::new(id, name, pay_item, None))
}

/// A list's raw records as staged records, per module; records without a
/// ListID are counted as skipped.
pub fn map_list(list: List, records: &[Value]) -> (Vec<(Module, Vec<Incoming>)>, usize) {
    let single = |map: fn(&Value) -> Option<Incoming>| {
        let mapped: Vec<Incoming> = records.iter().filter_map(map).collect();
        let skipped = records.len() - mapped.len();
        (mapped, skipped)
    };
    match list {
        List::Employees => {
            let (mapped, skipped) = single(map_employee);
            (vec![(Module::Employees, mapped)], skipped)
        }
        List::Customers => {
            let (customers, jobs) = map_customers(records);
            let skipped = records.len() - customers.len() - jobs.len();
            (
                vec![(Module::Customers, customers), (Module::Jobs, jobs)],
                skipped,
            )
        }
        List::ServiceItems => {
            let (mapped, skipped) = single(map_service_item);
            (vec![(Module::Tasks, mapped)], skipped)
        }
        List::PayrollWageItems => {
            let (mapped, skipped) = single(map_wage_item);
            (vec![(Module::PayItems, mapped)], skipped)
        }
    }
}

#[cfg(test)]
mod tests;
