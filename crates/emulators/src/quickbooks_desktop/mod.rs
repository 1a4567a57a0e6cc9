//! QuickBooks Desktop and its Web Connector, emulated, held to
//! `docs/contracts/quickbooks-desktop.md`.
//!
//! With QuickBooks Desktop the roles are turned around: Timebridge is the
//! SOAP server and the Web Connector (a Windows program beside QuickBooks)
//! is the client. So this emulates both ends Timebridge talks to:
//!
//! - [`Company`]: a QuickBooks company file answering qbXML as QuickBooks
//!   does. A request its schema refuses (an attribute or element the
//!   request type does not have, elements out of order, a bad
//!   `ActiveStatus` or `MaxReturned`, a qbXML version this QuickBooks does
//!   not offer) is a parse error, HRESULT `0x80040400`, as QuickBooks
//!   answers a request it cannot read ([`check`]); other faults are
//!   statuses in the `…Rs` element: 3391 for an iterator that is not
//!   valid, 3250 for payroll items of a company file without payroll, 3260
//!   for a list the user may not see ([`answer`]). It answers
//!   `HostQueryRq`, `CompanyQueryRq`, `EmployeeQueryRq`,
//!   `CustomerQueryRq` (jobs are sub-customers), `ItemServiceQueryRq` and
//!   `PayrollItemWageQueryRq`, each record's fields in the schema's order.
//!   It keeps time-tracking transactions: `TimeTrackingAddRq`,
//!   `TimeTrackingModRq`, `TimeTrackingQueryRq` and `TxnDelRq` are read by
//!   [`time_check`] and answered by [`time_answer`], refusing a reference
//!   that does not exist or is inactive, a bad date or duration, a payroll
//!   item on an employee who does not use time data for paychecks, a date
//!   in the closed period and a stale edit sequence, as QuickBooks does.
//!   Valid criteria it does not emulate (`ListID`, `NameFilter`,
//!   `IncludeRetElement`, …, none of which Timebridge sends) are refused
//!   with `0x80040402` saying so, never silently ignored.
//! - [`WebConnector`]: the Web Connector's calls over real HTTP, in its
//!   order, refusing an answer the real one could not use
//!   ([`web_connector`]), with faults on demand.
//!
//! [`schema`] validates documents against Intuit's schema and the Web
//! Connector's WSDL with `xmllint`, for tests.

pub mod answer;
pub mod check;
pub mod schema;
pub mod time_answer;
pub mod time_check;
pub mod web_connector;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Value, json};

pub use web_connector::{Faults, SoapExchange, Update, WEB_CONNECTOR_VERSION, WebConnector};

/// A list of the company file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Employees,
    Customers,
    ServiceItems,
    PayrollWageItems,
}

impl List {
    pub const ALL: [List; 4] = [
        List::Employees,
        List::Customers,
        List::ServiceItems,
        List::PayrollWageItems,
    ];

    /// The list a query request reads.
    pub fn of_request(name: &str) -> Option<List> {
        Some(match name {
            "EmployeeQueryRq" => List::Employees,
            "CustomerQueryRq" => List::Customers,
            "ItemServiceQueryRq" => List::ServiceItems,
            "PayrollItemWageQueryRq" => List::PayrollWageItems,
            _ => return None,
        })
    }

    /// The element each record comes in.
    pub fn ret(self) -> &'static str {
        match self {
            List::Employees => "EmployeeRet",
            List::Customers => "CustomerRet",
            List::ServiceItems => "ItemServiceRet",
            List::PayrollWageItems => "PayrollItemWageRet",
        }
    }

    /// Whether the schema gives the list's query `iterator` and
    /// `iteratorID` (`CustomerQueryRqType`, `ItemServiceQueryRqType`).
    pub fn iterates(self) -> bool {
        matches!(self, List::Customers | List::ServiceItems)
    }
}

/// Every qbXML version QuickBooks has offered, oldest first.
pub const QBXML_VERSIONS: [(u32, u32); 19] = [
    (1, 0),
    (1, 1),
    (2, 0),
    (2, 1),
    (3, 0),
    (4, 0),
    (4, 1),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 0),
    (12, 0),
    (13, 0),
    (14, 0),
    (15, 0),
    (16, 0),
];

/// Which QuickBooks the company file is open in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub product: String,
    /// `US`, `CA`, `UK` or `AU`: what `qbXMLCountry` and `HostRet` say.
    pub country: String,
    /// The qbXML versions it reads (`HostRet/SupportedQBXMLVersion`).
    pub versions: Vec<(u32, u32)>,
}

impl Edition {
    /// A QuickBooks of `country` reading every qbXML version up to `newest`.
    pub fn up_to(product: &str, country: &str, newest: (u32, u32)) -> Edition {
        Edition {
            product: product.to_owned(),
            country: country.to_owned(),
            versions: QBXML_VERSIONS
                .into_iter()
                .filter(|v| *v <= newest)
                .collect(),
        }
    }

    /// The newest version it reads: what the Web Connector reports in
    /// `qbXMLMajorVers` / `qbXMLMinorVers`.
    pub fn newest(&self) -> (u32, u32) {
        self.versions.iter().copied().max().unwrap_or((1, 0))
    }

    pub fn offers(&self, version: (u32, u32)) -> bool {
        self.versions.contains(&version)
    }

    pub fn is_us(&self) -> bool {
        self.country.eq_ignore_ascii_case("US")
    }
}

impl Default for Edition {
    /// QuickBooks Enterprise 24 (US), reading qbXML 1.0 to 16.0.
    fn default() -> Self {
        Edition::up_to("QuickBooks Enterprise Solutions 24.0", "US", (16, 0))
    }
}

/// The size and setup of a generated company.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub name: String,
    pub employees: usize,
    pub customers: usize,
    /// Jobs (sub-customers) under each customer.
    pub jobs_per_customer: usize,
    pub service_items: usize,
    /// Payroll turned on; without it payroll items are answered 3250.
    pub payroll: bool,
    pub edition: Edition,
    /// The closing date (Edit → Preferences → Accounting): time dated on or
    /// before it is refused. None by default.
    pub closing_date: Option<NaiveDate>,
    /// Former employees (inactive, released), after the active ones.
    pub inactive_employees: usize,
    /// Finished customers (inactive, their job closed), after the active ones.
    pub inactive_customers: usize,
    /// Retired service items (inactive), after the active ones.
    pub inactive_service_items: usize,
}

impl Default for CompanySpec {
    fn default() -> Self {
        CompanySpec {
            name: "Lakeside Builders LLC".into(),
            employees: 5,
            customers: 3,
            jobs_per_customer: 2,
            service_items: 4,
            payroll: true,
            edition: Edition::default(),
            closing_date: None,
            inactive_employees: 0,
            inactive_customers: 0,
            inactive_service_items: 0,
        }
    }
}

const FIRST: [&str; 7] = ["Maria", "James", "Aisha", "Tomasz", "Lena", "Omar", "Priya"];
const LAST: [&str; 5] = ["Garcia", "O'Neil", "Okafor", "Nowak", "Fischer"];
const CUSTOMERS: [&str; 4] = [
    "Harbor View Condos",
    "Smith & Sons",
    "Elm Street School",
    "Northgate Mall",
];
const JOBS: [&str; 3] = ["Phase 1", "Roof repair", "Parking lot"];
const ITEMS: [&str; 5] = ["Framing", "Drywall", "Electrical", "Cleanup", "Concrete"];
const RETIRED_ITEMS: [&str; 2] = ["Demolition", "Asbestos removal"];
const FINISHED_CUSTOMERS: [&str; 2] = ["Old Mill Renovation", "Riverside Clinic"];
/// Classes (Edit → Preferences → Accounting → class tracking); the last is
/// inactive.
const CLASSES: [(&str, bool); 3] = [
    ("Residential", true),
    ("Commercial", true),
    ("Government", false),
];
/// One employee in this many is paid without time data (salaried).
const SALARIED_EVERY: usize = 6;
const WAGE_ITEMS: [(&str, &str); 5] = [
    ("Hourly Rate", "HourlyRegular"),
    ("Overtime Rate", "HourlyOvertime"),
    ("Double-time Rate", "HourlyOvertime"),
    ("Sick Hourly", "HourlySick"),
    ("Vacation Hourly", "HourlyVacation"),
];

/// An iterator QuickBooks keeps between pages.
#[derive(Debug, Clone)]
struct Iteration {
    list: List,
    rest: Vec<Value>,
    session: u64,
}

/// A QuickBooks company file: each list's records as QuickBooks returns
/// them (`…Ret` elements, kept as JSON in QuickBooks' own field names and
/// written in the schema's order, [`answer`]).
#[derive(Debug, Clone, Default)]
pub struct Company {
    pub name: String,
    pub employees: Vec<Value>,
    pub customers: Vec<Value>,
    pub service_items: Vec<Value>,
    pub wage_items: Vec<Value>,
    /// Classes, which time can be tracked by (`ClassRef`). Not queried:
    /// `ClassQueryRq` is not emulated.
    pub classes: Vec<Value>,
    /// Time-tracking transactions (`TimeTrackingRet`, as JSON), in the
    /// order they were added.
    pub time_tracking: Vec<Value>,
    /// Transactions dated on or before it cannot be added, changed or
    /// deleted.
    pub closing_date: Option<NaiveDate>,
    pub edition: Edition,
    /// Payroll turned on (Edit → Preferences → Payroll & Employees).
    pub payroll: bool,
    /// Lists the QuickBooks user the Web Connector signs in as may not see.
    pub denied: Vec<List>,
    /// The application was allowed read-only access (its `.qwc` said
    /// `IsReadOnly` true): requests that change the file are refused.
    pub read_only: bool,
    next_id: u64,
    /// The last TxnID number and edit sequence given to a transaction.
    next_txn: u64,
    iterators: HashMap<String, Iteration>,
    /// The Web Connector session (one update); iterators live for one.
    session: u64,
    /// The qbXML requests asked, in order.
    pub requests: Vec<String>,
    /// The qbXML answers given, in order (parse errors give none).
    pub responses: Vec<String>,
}

fn stamp() -> &'static str {
    "2026-11-02T09:15:00-06:00"
}

impl Company {
    /// A builder's company: wage payroll items (when payroll is on),
    /// employees paid by the hour, customers each with jobs, and service
    /// items.
    pub fn generate(spec: &CompanySpec) -> Company {
        let mut company = Company {
            name: spec.name.clone(),
            edition: spec.edition.clone(),
            payroll: spec.payroll,
            closing_date: spec.closing_date,
            ..Company::default()
        };
        if spec.payroll {
            for (name, wage_type) in WAGE_ITEMS {
                let id = company.new_id();
                company.wage_items.push(json!({
                    "ListID": id, "TimeCreated": stamp(), "TimeModified": stamp(),
                    "EditSequence": "1700000000", "Name": name, "IsActive": "true",
                    "WageType": wage_type,
                    "ExpenseAccountRef": {"FullName": "Payroll Expenses:Wages"},
                }));
            }
        }
        for i in 0..spec.employees + spec.inactive_employees {
            let (first, last) = (FIRST[i % FIRST.len()], LAST[i % LAST.len()]);
            let id = company.add_employee(first, last, &format!("E{:03}", i + 1));
            let record = company.employees.last_mut().expect("just added");
            if (i + 1) % SALARIED_EVERY == 0 && record["EmployeePayrollInfo"].is_object() {
                record["EmployeePayrollInfo"]["UseTimeDataToCreatePaychecks"] =
                    json!("DoNotUseTimeData");
            }
            if i >= spec.employees {
                record["ReleasedDate"] = json!("2025-06-30");
                company.edit(&id, "IsActive", "false");
            }
        }
        for c in 0..spec.customers {
            let name = CUSTOMERS
                .get(c)
                .map_or_else(|| format!("Customer {}", c + 1), |n| (*n).to_owned());
            let parent = company.add_customer(&name, None);
            for j in 0..spec.jobs_per_customer {
                let job = JOBS[j % JOBS.len()];
                let job = if j < JOBS.len() {
                    job.to_owned()
                } else {
                    format!("{job} {}", j + 1)
                };
                company.add_customer(&job, Some(&parent));
            }
        }
        for c in 0..spec.inactive_customers {
            let name = FINISHED_CUSTOMERS.get(c).map_or_else(
                || format!("Finished customer {}", c + 1),
                |n| (*n).to_owned(),
            );
            let id = company.add_customer(&name, None);
            company.edit(&id, "JobStatus", "Closed");
            company.edit(&id, "IsActive", "false");
        }
        for i in 0..spec.service_items + spec.inactive_service_items {
            let name = if i < spec.service_items {
                ITEMS.get(i).map(|n| (*n).to_owned())
            } else {
                RETIRED_ITEMS
                    .get(i - spec.service_items)
                    .map(|n| (*n).to_owned())
            }
            .unwrap_or_else(|| format!("Service {}", i + 1));
            let id = company.new_id();
            company.service_items.push(json!({
                "ListID": id, "TimeCreated": stamp(), "TimeModified": stamp(),
                "EditSequence": "1700000000", "Name": name, "FullName": name,
                "IsActive": if i < spec.service_items { "true" } else { "false" },
                "SalesOrPurchase": {"Desc": format!("{name} labor"), "Price": "65.00"},
            }));
        }
        for (name, active) in CLASSES {
            let id = company.new_id();
            company.classes.push(json!({
                "ListID": id, "Name": name, "FullName": name,
                "IsActive": if active { "true" } else { "false" },
            }));
        }
        company
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{:X}-1700000000", 0x8000_0000_u64 + self.next_id)
    }

    /// Adds an employee; returns its ListID. With payroll on, the employee
    /// is paid the first wage item by the hour, from time data.
    pub fn add_employee(&mut self, first: &str, last: &str, account: &str) -> String {
        let id = self.new_id();
        let email = format!("{}.{}@example.com", first, last.replace('\'', "")).to_lowercase();
        let mut record = json!({
            "ListID": id, "TimeCreated": stamp(), "TimeModified": stamp(),
            "EditSequence": "1700000000", "Name": format!("{first} {last}"), "IsActive": "true",
            "FirstName": first, "LastName": last, "Phone": "555-0100", "Email": email,
            "EmployeeType": "Regular", "HiredDate": "2023-03-01", "AccountNumber": account,
        });
        if let Some(wage) = self.wage_items.first() {
            record["EmployeePayrollInfo"] = json!({
                "PayPeriod": "Weekly",
                "Earnings": {
                    "PayrollItemWageRef": {"ListID": wage["ListID"], "FullName": wage["Name"]},
                    "Rate": "28.50",
                },
                "UseTimeDataToCreatePaychecks": "UseTimeData",
            });
        }
        self.employees.push(record);
        id
    }

    /// Adds a customer, or a job under `parent` (a ListID); returns its ListID.
    pub fn add_customer(&mut self, name: &str, parent: Option<&str>) -> String {
        let id = self.new_id();
        let mut record = json!({
            "ListID": id, "TimeCreated": stamp(), "TimeModified": stamp(),
            "EditSequence": "1700000000", "Name": name, "FullName": name, "IsActive": "true",
            "Sublevel": "0", "Phone": "555-0142",
        });
        if let Some(parent_id) = parent {
            let parent = self
                .customers
                .iter()
                .find(|c| c["ListID"] == parent_id)
                .cloned()
                .unwrap_or_default();
            let parent_name = parent["FullName"].as_str().unwrap_or_default();
            let level: u32 = parent["Sublevel"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            record["FullName"] = json!(format!("{parent_name}:{name}"));
            record["Sublevel"] = json!((level + 1).to_string());
            record["ParentRef"] = json!({"ListID": parent_id, "FullName": parent_name});
            record["JobStatus"] = json!("InProgress");
            record["ShipAddress"] =
                json!({"Addr1": "100 Main St", "City": "Duluth", "State": "MN"});
        }
        self.customers.push(record);
        id
    }

    /// Changes one field of a record (by ListID, in any list); `false` when
    /// no record has that id or its `…Ret` has no such field.
    pub fn edit(&mut self, list_id: &str, field: &str, value: &str) -> bool {
        for list in List::ALL {
            if !answer::has_field(list, field) {
                continue;
            }
            if let Some(record) = self
                .list_mut(list)
                .iter_mut()
                .find(|r| r["ListID"] == list_id)
            {
                record[field] = json!(value);
                record["TimeModified"] = json!("2026-11-20T10:00:00-06:00");
                return true;
            }
        }
        false
    }

    /// Deletes a record (by ListID) from whichever list holds it.
    pub fn delete(&mut self, list_id: &str) -> bool {
        for list in List::ALL {
            let records = self.list_mut(list);
            if let Some(at) = records.iter().position(|r| r["ListID"] == list_id) {
                records.remove(at);
                return true;
            }
        }
        false
    }

    pub fn list(&self, list: List) -> &[Value] {
        match list {
            List::Employees => &self.employees,
            List::Customers => &self.customers,
            List::ServiceItems => &self.service_items,
            List::PayrollWageItems => &self.wage_items,
        }
    }

    fn list_mut(&mut self, list: List) -> &mut Vec<Value> {
        match list {
            List::Employees => &mut self.employees,
            List::Customers => &mut self.customers,
            List::ServiceItems => &mut self.service_items,
            List::PayrollWageItems => &mut self.wage_items,
        }
    }

    /// The Web Connector closed its session with QuickBooks: the
    /// session's iterators are gone.
    pub fn end_session(&mut self) {
        self.iterators.clear();
        self.session += 1;
    }
}

/// Text escaped for an XML element or attribute.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod time_tests;
#[cfg(test)]
mod web_connector_tests;
