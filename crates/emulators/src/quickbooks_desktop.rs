//! QuickBooks Desktop and its Web Connector, emulated.
//!
//! With QuickBooks Desktop the roles are turned around: Timebridge is the
//! SOAP server and the Web Connector (a Windows program beside QuickBooks)
//! is the client. So this emulates both ends Timebridge talks to:
//!
//! - [`Company`]: a QuickBooks company file answering qbXML —
//!   `CompanyQueryRq`, `EmployeeQueryRq`, `CustomerQueryRq` (jobs are
//!   sub-customers), `ItemServiceQueryRq` and `PayrollItemWageQueryRq` —
//!   with `ActiveStatus` (ActiveOnly by default, as QuickBooks does),
//!   `MaxReturned`, and iterators (`Start`/`Continue`, `iteratorID`,
//!   `iteratorRemainingCount`) on every list but payroll items, whose
//!   schema has none: an iterator there is an XML parse error
//!   (`0x80040400`), as QuickBooks answers a request it cannot read.
//! - [`WebConnector`]: the Web Connector's calls over real HTTP, in its
//!   order — `serverVersion`, `clientVersion`, `authenticate`, then
//!   `sendRequestXML` / `receiveResponseXML` until 100 %, `getLastError`
//!   on an empty request or a negative percentage, `connectionError` when
//!   QuickBooks cannot be opened, and `closeConnection` — with faults on
//!   demand (QuickBooks failing a request, a garbled answer, the Web
//!   Connector vanishing mid-update).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::serve::{lock, random_token};
use serde_json::{Value, json};

/// The Web Connector version the emulated one reports.
pub const WEB_CONNECTOR_VERSION: &str = "2.3.0.215";

/// A list of the company file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Employees,
    Customers,
    ServiceItems,
    PayrollWageItems,
}

impl List {
    fn from_request(name: &str) -> Option<List> {
        Some(match name {
            "EmployeeQueryRq" => List::Employees,
            "CustomerQueryRq" => List::Customers,
            "ItemServiceQueryRq" => List::ServiceItems,
            "PayrollItemWageQueryRq" => List::PayrollWageItems,
            _ => return None,
        })
    }

    fn ret(self) -> &'static str {
        match self {
            List::Employees => "EmployeeRet",
            List::Customers => "CustomerRet",
            List::ServiceItems => "ItemServiceRet",
            List::PayrollWageItems => "PayrollItemWageRet",
        }
    }
}

/// The size of a generated company.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub name: String,
    pub employees: usize,
    pub customers: usize,
    /// Jobs (sub-customers) under each customer.
    pub jobs_per_customer: usize,
    pub service_items: usize,
}

impl Default for CompanySpec {
    fn default() -> Self {
        CompanySpec {
            name: "Lakeside Builders LLC".into(),
            employees: 5,
            customers: 3,
            jobs_per_customer: 2,
            service_items: 4,
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

/// A QuickBooks company file: each list's records as QuickBooks returns
/// them (`…Ret` elements, kept as JSON in QuickBooks' own field names).
#[derive(Debug, Clone, Default)]
pub struct Company {
    pub name: String,
    pub employees: Vec<Value>,
    pub customers: Vec<Value>,
    pub service_items: Vec<Value>,
    pub wage_items: Vec<Value>,
    next_id: u64,
    iterators: HashMap<String, (List, Vec<Value>)>,
    /// The qbXML requests asked, in order.
    pub requests: Vec<String>,
}

fn stamp() -> &'static str {
    "2026-11-02T09:15:00-06:00"
}

impl Company {
    /// A builder's company: employees, customers each with jobs, service
    /// items and the usual wage payroll items.
    pub fn generate(spec: &CompanySpec) -> Company {
        let mut company = Company {
            name: spec.name.clone(),
            ..Company::default()
        };
        for i in 0..spec.employees {
            let (first, last) = (FIRST[i % FIRST.len()], LAST[i % LAST.len()]);
            company.add_employee(first, last, &format!("E{:03}", i + 1));
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
        for i in 0..spec.service_items {
            let name = ITEMS
                .get(i)
                .map_or_else(|| format!("Service {}", i + 1), |n| (*n).to_owned());
            let id = company.new_id();
            company.service_items.push(json!({
                "ListID": id, "TimeModified": stamp(), "EditSequence": "1700000000",
                "Name": name, "FullName": name, "IsActive": "true",
                "SalesOrPurchase": {"Desc": format!("{name} labor"), "Price": "65.00"},
            }));
        }
        for (name, wage_type) in [
            ("Hourly Rate", "HourlyRegular"),
            ("Overtime Rate", "HourlyOvertime"),
            ("Double-time Rate", "HourlyOvertime"),
            ("Sick Hourly", "HourlySick"),
            ("Vacation Hourly", "HourlyVacation"),
        ] {
            let id = company.new_id();
            company.wage_items.push(json!({
                "ListID": id, "TimeModified": stamp(), "EditSequence": "1700000000",
                "Name": name, "IsActive": "true", "WageType": wage_type,
                "ExpenseAccountRef": {"FullName": "Payroll Expenses:Wages"},
            }));
        }
        company
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{:X}-1700000000", 0x8000_0000_u64 + self.next_id)
    }

    /// Adds an employee; returns its ListID.
    pub fn add_employee(&mut self, first: &str, last: &str, account: &str) -> String {
        let id = self.new_id();
        let email = format!("{}.{}@example.com", first, last.replace('\'', "")).to_lowercase();
        self.employees.push(json!({
            "ListID": id, "TimeCreated": stamp(), "TimeModified": stamp(),
            "EditSequence": "1700000000", "Name": format!("{first} {last}"), "IsActive": "true",
            "FirstName": first, "LastName": last, "Email": email, "Phone": "555-0100",
            "AccountNumber": account, "EmployeeType": "Regular", "HiredDate": "2023-03-01",
        }));
        id
    }

    /// Adds a customer, or a job under `parent` (a ListID); returns its ListID.
    pub fn add_customer(&mut self, name: &str, parent: Option<&str>) -> String {
        let id = self.new_id();
        let mut record = json!({
            "ListID": id, "TimeModified": stamp(), "EditSequence": "1700000000",
            "Name": name, "FullName": name, "IsActive": "true", "Sublevel": "0",
            "Phone": "555-0142",
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

    /// Changes one field of a record (by ListID, in any list).
    pub fn edit(&mut self, list_id: &str, field: &str, value: &str) -> bool {
        for list in [
            &mut self.employees,
            &mut self.customers,
            &mut self.service_items,
            &mut self.wage_items,
        ] {
            if let Some(record) = list.iter_mut().find(|r| r["ListID"] == list_id) {
                record[field] = json!(value);
                record["TimeModified"] = json!("2026-11-20T10:00:00-06:00");
                return true;
            }
        }
        false
    }

    /// Deletes a record (by ListID) from whichever list holds it.
    pub fn delete(&mut self, list_id: &str) -> bool {
        for list in [
            &mut self.employees,
            &mut self.customers,
            &mut self.service_items,
            &mut self.wage_items,
        ] {
            if let Some(at) = list.iter().position(|r| r["ListID"] == list_id) {
                list.remove(at);
                return true;
            }
        }
        false
    }

    fn list(&self, list: List) -> &[Value] {
        match list {
            List::Employees => &self.employees,
            List::Customers => &self.customers,
            List::ServiceItems => &self.service_items,
            List::PayrollWageItems => &self.wage_items,
        }
    }

    /// A list's records by `ActiveStatus` (ActiveOnly when not given).
    fn matching(&self, list: List, status: Option<&str>) -> Vec<Value> {
        self.list(list)
            .iter()
            .filter(|r| match status.unwrap_or("ActiveOnly") {
                "All" => true,
                "InactiveOnly" => r["IsActive"] == "false",
                _ => r["IsActive"] != "false",
            })
            .cloned()
            .collect()
    }

    /// The HostQuery, CompanyQuery and PreferencesQuery answer the Web
    /// Connector hands over on its first `sendRequestXML`.
    pub fn hcp_response(&self) -> String {
        format!(
            r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet><ProductName>QuickBooks Enterprise Solutions 24.0</ProductName><MajorVersion>34</MajorVersion><Country>US</Country><SupportedQBXMLVersion>13.0</SupportedQBXMLVersion><SupportedQBXMLVersion>16.0</SupportedQBXMLVersion></HostRet></HostQueryRs><CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet><CompanyName>{}</CompanyName></CompanyRet></CompanyQueryRs></QBXMLMsgsRs></QBXML>"#,
            escape(&self.name)
        )
    }

    /// QuickBooks' answer to a qbXML request, or the HRESULT and message
    /// of a request it could not read.
    pub fn answer(&mut self, request: &str) -> Result<String, (String, String)> {
        self.requests.push(request.to_owned());
        let parse_error = || {
            (
                "0x80040400".to_owned(),
                "QuickBooks found an error when parsing the provided XML text stream.".to_owned(),
            )
        };
        let doc = roxmltree::Document::parse(request).map_err(|_| parse_error())?;
        let msgs = doc
            .descendants()
            .find(|n| n.has_tag_name("QBXMLMsgsRq"))
            .ok_or_else(parse_error)?;
        let mut out = String::new();
        for rq in msgs.children().filter(|c| c.is_element()) {
            out.push_str(&self.answer_one(rq).ok_or_else(parse_error)?);
        }
        Ok(format!(
            r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>{out}</QBXMLMsgsRs></QBXML>"#
        ))
    }

    /// One `…Rs`; `None` for a request QuickBooks' schema refuses.
    fn answer_one(&mut self, rq: roxmltree::Node<'_, '_>) -> Option<String> {
        let name = rq.tag_name().name();
        let id = rq.attribute("requestID").unwrap_or("0");
        let rs = name.strip_suffix("Rq")?.to_owned() + "Rs";
        if name == "CompanyQueryRq" {
            return Some(format!(
                r#"<{rs} requestID="{id}" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet><IsSampleCompany>false</IsSampleCompany><CompanyName>{}</CompanyName><LegalCompanyName>{}</LegalCompanyName></CompanyRet></{rs}>"#,
                escape(&self.name),
                escape(&self.name)
            ));
        }
        let list = List::from_request(name)?;
        let child = |tag: &str| {
            rq.children()
                .find(|c| c.has_tag_name(tag))
                .and_then(|c| c.text())
        };
        let iterator = rq.attribute("iterator");
        if iterator.is_some() && list == List::PayrollWageItems {
            return None;
        }
        let max: Option<usize> = child("MaxReturned").and_then(|m| m.trim().parse().ok());
        let (records, iterator_id) = match iterator {
            None => {
                let mut page = self.matching(list, child("ActiveStatus"));
                page.truncate(max.unwrap_or(page.len()));
                (page, None)
            }
            Some("Start") => {
                let mut page = self.matching(list, child("ActiveStatus"));
                let rest = page.split_off(max.unwrap_or(page.len()).min(page.len()));
                let iterator_id = format!("{{{}}}", random_token(""));
                self.iterators.insert(iterator_id.clone(), (list, rest));
                (page, Some(iterator_id))
            }
            Some("Continue") => {
                let iterator_id = rq.attribute("iteratorID").unwrap_or_default().to_owned();
                let Some((_, rest)) = self.iterators.get_mut(&iterator_id) else {
                    return Some(format!(
                        r#"<{rs} requestID="{id}" statusCode="3" statusSeverity="Error" statusMessage="The iterator {} is not valid or has expired."/>"#,
                        escape(&iterator_id)
                    ));
                };
                let take = max.unwrap_or(rest.len()).min(rest.len());
                let page: Vec<Value> = rest.drain(..take).collect();
                (page, Some(iterator_id))
            }
            Some(_) => return None,
        };
        let remaining = iterator_id
            .as_ref()
            .and_then(|i| self.iterators.get(i))
            .map(|(_, rest)| rest.len());
        let mut attributes = format!(
            r#"requestID="{id}" statusCode="{}" statusSeverity="Info" statusMessage="{}""#,
            if records.is_empty() { 1 } else { 0 },
            if records.is_empty() {
                "A query request did not find a matching object in QuickBooks"
            } else {
                "Status OK"
            }
        );
        if let (Some(iterator_id), Some(remaining)) = (&iterator_id, remaining) {
            attributes.push_str(&format!(
                r#" iteratorRemainingCount="{remaining}" iteratorID="{}""#,
                escape(iterator_id)
            ));
            if remaining == 0 {
                self.iterators.remove(iterator_id);
            }
        }
        let ret = list.ret();
        let body: String = records
            .iter()
            .map(|r| format!("<{ret}>{}</{ret}>", to_xml(r)))
            .collect();
        Some(format!("<{rs} {attributes}>{body}</{rs}>"))
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A JSON object as elements: objects nest, arrays repeat, the rest is text.
fn to_xml(value: &Value) -> String {
    let Value::Object(map) = value else {
        return escape(
            &value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned),
        );
    };
    let mut out = String::new();
    for (key, value) in map {
        match value {
            Value::Array(items) => {
                for item in items {
                    out.push_str(&format!("<{key}>{}</{key}>", to_xml(item)));
                }
            }
            other => out.push_str(&format!("<{key}>{}</{key}>", to_xml(other))),
        }
    }
    out
}

/// Faults the emulated Web Connector or QuickBooks produce on demand.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// QuickBooks is not open: `connectionError` instead of requests.
    pub quickbooks_closed: bool,
    /// QuickBooks fails the n-th request (1-based) with this HRESULT.
    pub fail_request: Option<(usize, String, String)>,
    /// The n-th answer is cut off mid-document.
    pub garble_answer: Option<usize>,
    /// The Web Connector stops calling after answering n requests
    /// (closed, crashed, network cut): no `closeConnection`.
    pub vanish_after: Option<usize>,
    /// The admin stops the update after n answers: `closeConnection` at once.
    pub close_after: Option<usize>,
}

/// What one update did, as the Web Connector's log would show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    pub server_version: String,
    /// `authenticate`'s status: "" (go), "nvu", "none", "busy"…
    pub auth_status: String,
    /// Each `receiveResponseXML` result.
    pub percents: Vec<i32>,
    /// What `getLastError` said, if it was asked.
    pub last_error: Option<String>,
    /// What `connectionError` answered, if it was called.
    pub connection_error_reply: Option<String>,
    /// `closeConnection`'s message; `None` when it was never called.
    pub closed_with: Option<String>,
}

/// The QuickBooks Web Connector, calling a Timebridge over HTTP.
#[derive(Clone)]
pub struct WebConnector {
    url: String,
    http: reqwest::Client,
    pub company: Arc<Mutex<Company>>,
    pub faults: Arc<Mutex<Faults>>,
    /// What `sendRequestXML` says QuickBooks offers.
    pub country: String,
    pub qbxml_version: (u32, u32),
}

impl WebConnector {
    /// A Web Connector with the AppURL of a `.qwc` file, in front of `company`.
    pub fn new(url: &str, company: Company) -> WebConnector {
        WebConnector {
            url: url.to_owned(),
            http: reqwest::Client::new(),
            company: Arc::new(Mutex::new(company)),
            faults: Arc::new(Mutex::new(Faults::default())),
            country: "US".into(),
            qbxml_version: (16, 0),
        }
    }

    pub fn update_company<T>(&self, change: impl FnOnce(&mut Company) -> T) -> T {
        change(&mut lock(&self.company))
    }

    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }

    /// One SOAP call; the strings of its result.
    async fn call(&self, method: &str, fields: &[(&str, &str)]) -> Result<Vec<String>, String> {
        let fields: String = fields
            .iter()
            .map(|(name, value)| format!("<{name}>{}</{name}>", escape(value)))
            .collect();
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{method} xmlns="http://developer.intuit.com/">{fields}</{method}></soap:Body></soap:Envelope>"#
        );
        let answer = self
            .http
            .post(&self.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header(
                "SOAPAction",
                format!("\"http://developer.intuit.com/{method}\""),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{method}: {e}"))?;
        let status = answer.status();
        let text = answer.text().await.map_err(|e| format!("{method}: {e}"))?;
        if !status.is_success() {
            return Err(format!("{method} answered {status}: {text}"));
        }
        let doc = roxmltree::Document::parse(&text)
            .map_err(|e| format!("{method} answered malformed XML: {e}"))?;
        let result = doc
            .descendants()
            .find(|n| n.tag_name().name() == format!("{method}Result"))
            .ok_or_else(|| format!("{method} answered without a result: {text}"))?;
        let strings: Vec<String> = result
            .children()
            .filter(|c| c.tag_name().name() == "string")
            .map(|c| c.text().unwrap_or_default().to_owned())
            .collect();
        Ok(if strings.is_empty() {
            vec![result.text().unwrap_or_default().to_owned()]
        } else {
            strings
        })
    }

    async fn last_error(&self, ticket: &str) -> Result<String, String> {
        Ok(self
            .call("getLastError", &[("ticket", ticket)])
            .await?
            .remove(0))
    }

    /// One update, as *Update Selected* runs it, signing in with `username`
    /// and `password`.
    pub async fn update(&self, username: &str, password: &str) -> Result<Update, String> {
        let faults = lock(&self.faults).clone();
        let mut update = Update {
            server_version: self.call("serverVersion", &[]).await?.remove(0),
            ..Update::default()
        };
        let client = self
            .call("clientVersion", &[("strVersion", WEB_CONNECTOR_VERSION)])
            .await?
            .remove(0);
        if client.starts_with("E:") {
            update.last_error = Some(client);
            return Ok(update);
        }
        let auth = self
            .call(
                "authenticate",
                &[("strUserName", username), ("strPassword", password)],
            )
            .await?;
        let ticket = auth.first().cloned().unwrap_or_default();
        update.auth_status = auth.get(1).cloned().unwrap_or_default();
        if matches!(update.auth_status.as_str(), "nvu" | "busy") {
            return Ok(update);
        }
        if update.auth_status != "none" {
            self.exchange(&ticket, &faults, &mut update).await?;
            if faults.vanish_after.is_some() && update.closed_with.is_none() {
                return Ok(update);
            }
        }
        update.closed_with = Some(
            self.call("closeConnection", &[("ticket", &ticket)])
                .await?
                .remove(0),
        );
        Ok(update)
    }

    async fn exchange(
        &self,
        ticket: &str,
        faults: &Faults,
        update: &mut Update,
    ) -> Result<(), String> {
        if faults.quickbooks_closed {
            let reply = self
                .call(
                    "connectionError",
                    &[
                        ("ticket", ticket),
                        ("hresult", "0x80040408"),
                        ("message", "Could not start QuickBooks."),
                    ],
                )
                .await?
                .remove(0);
            update.connection_error_reply = Some(reply);
            return Ok(());
        }
        let (hcp, file) = {
            let company = lock(&self.company);
            (
                company.hcp_response(),
                format!("C:\\Company Files\\{}.QBW", company.name),
            )
        };
        let (major, minor) = (
            self.qbxml_version.0.to_string(),
            self.qbxml_version.1.to_string(),
        );
        for n in 1..=100_000 {
            let request = self
                .call(
                    "sendRequestXML",
                    &[
                        ("ticket", ticket),
                        ("strHCPResponse", if n == 1 { &hcp } else { "" }),
                        ("strCompanyFileName", &file),
                        ("qbXMLCountry", &self.country),
                        ("qbXMLMajorVers", &major),
                        ("qbXMLMinorVers", &minor),
                    ],
                )
                .await?
                .remove(0);
            if request.is_empty() {
                update.last_error = Some(self.last_error(ticket).await?);
                return Ok(());
            }
            let answer = match &faults.fail_request {
                Some((at, hresult, message)) if *at == n => Err((hresult.clone(), message.clone())),
                _ => lock(&self.company).answer(&request),
            };
            let (mut response, hresult, message) = match answer {
                Ok(response) => (response, String::new(), String::new()),
                Err((hresult, message)) => (String::new(), hresult, message),
            };
            if faults.garble_answer == Some(n) {
                response.truncate(response.len() / 2);
            }
            if faults.vanish_after == Some(n) {
                return Ok(());
            }
            let percent: i32 = self
                .call(
                    "receiveResponseXML",
                    &[
                        ("ticket", ticket),
                        ("response", &response),
                        ("hresult", &hresult),
                        ("message", &message),
                    ],
                )
                .await?
                .remove(0)
                .trim()
                .parse()
                .map_err(|_| "receiveResponseXML answered a non-number".to_owned())?;
            update.percents.push(percent);
            if percent < 0 {
                update.last_error = Some(self.last_error(ticket).await?);
                return Ok(());
            }
            if percent >= 100 || faults.close_after == Some(n) {
                return Ok(());
            }
        }
        Err("the update never finished".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn employee_query(iterator: &str, max: usize) -> String {
        format!(
            r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><EmployeeQueryRq requestID="1" {iterator}><MaxReturned>{max}</MaxReturned><ActiveStatus>All</ActiveStatus></EmployeeQueryRq></QBXMLMsgsRq></QBXML>"#
        )
    }

    fn attribute(answer: &str, name: &str) -> Option<String> {
        let doc = roxmltree::Document::parse(answer).expect("the emulator writes valid XML");
        doc.descendants()
            .find(|n| n.has_tag_name("EmployeeQueryRs"))
            .and_then(|n| n.attribute(name))
            .map(str::to_owned)
    }

    #[test]
    fn an_iterator_pages_through_the_list_until_nothing_remains() {
        let mut company = Company::generate(&CompanySpec {
            employees: 5,
            ..CompanySpec::default()
        });
        let first = company
            .answer(&employee_query(r#"iterator="Start""#, 2))
            .expect("answered");
        assert_eq!(
            attribute(&first, "iteratorRemainingCount").as_deref(),
            Some("3")
        );
        let id = attribute(&first, "iteratorID").expect("an iterator id");
        let second = company
            .answer(&employee_query(
                &format!(r#"iterator="Continue" iteratorID="{id}""#),
                10,
            ))
            .expect("answered");
        assert_eq!(
            attribute(&second, "iteratorRemainingCount").as_deref(),
            Some("0"),
            "the rest came in the second page"
        );
        assert_eq!(second.matches("<EmployeeRet>").count(), 3);
    }

    #[test]
    fn an_iterator_on_payroll_items_is_a_parse_error_as_in_quickbooks() {
        let mut company = Company::generate(&CompanySpec::default());
        let request = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><PayrollItemWageQueryRq requestID="1" iterator="Start"><MaxReturned>5</MaxReturned></PayrollItemWageQueryRq></QBXMLMsgsRq></QBXML>"#;
        let (hresult, _) = company
            .answer(request)
            .expect_err("the schema has no iterator");
        assert_eq!(hresult, "0x80040400");
    }
}
