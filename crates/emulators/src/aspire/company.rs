//! The emulated Aspire company: its lists as Aspire sends them (PascalCase
//! fields of the OpenAPI models only, date-times without an offset), and a
//! generated landscaping company to serve.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Map, Value, json};

/// One company's lists: records as Aspire sends them.
#[derive(Debug, Clone, Default)]
pub struct Company {
    pub branches: Vec<Value>,
    pub contacts: Vec<Value>,
    pub properties: Vec<Value>,
    pub opportunities: Vec<Value>,
    pub work_tickets: Vec<Value>,
    pub pay_codes: Vec<Value>,
    pub work_ticket_times: Vec<Value>,
}

/// The size of a generated company.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub employees: usize,
    pub opportunities: usize,
    /// Days of time, ending the day before `today`.
    pub days: i64,
    pub today: NaiveDate,
    /// When the records were last modified.
    pub modified: DateTime<Utc>,
}

const FIRST: [&str; 8] = [
    "Ana", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hugo",
];
const LAST: [&str; 6] = ["Ortiz", "Nguyen", "Brooks", "Kowalski", "Haddad", "Lund"];
const SITES: [&str; 5] = [
    "Maple Court",
    "Cedar Ridge HOA",
    "Riverside Office Park",
    "Pine Hollow",
    "Summit Medical",
];

/// An instant as Aspire writes date-times: ISO 8601 without an offset (the
/// emulator keeps modification times in UTC).
pub fn aspire_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

impl Company {
    /// A landscaping company: employees (and one customer contact, which is
    /// not an employee), a property per site, opportunities on them with two
    /// work tickets each, pay codes, and one ticket's time per employee per
    /// weekday. Every other employee takes a half-hour break inside a
    /// 07:00–16:00 span; the others work 07:00–15:30 straight. Both are 8.5
    /// paid hours.
    pub fn generate(spec: &CompanySpec) -> Company {
        let stamp = aspire_time(spec.modified);
        let zone = "America/Denver";
        let mut company = Company {
            branches: vec![json!({
                "BranchID": 1, "BranchName": "Denver", "Active": true, "TimeZone": zone,
                "BranchAddressCity": "Denver", "BranchAddressStateProvinceCode": "CO",
            })],
            ..Company::default()
        };
        for i in 0..spec.employees {
            let first = FIRST[i % FIRST.len()];
            let again = if i >= FIRST.len() {
                format!(" {}", i / FIRST.len() + 1)
            } else {
                String::new()
            };
            company.contacts.push(json!({
                "ContactID": 100 + i,
                "FirstName": first,
                "LastName": format!("{}{again}", LAST[i % LAST.len()]),
                "ContactTypeID": 3,
                "ContactTypeName": "Employee",
                "BranchID": 1,
                "BranchName": "Denver",
                "EmployeeNumber": format!("A{:03}", i + 1),
                "Email": format!("{}.{}@greenscape.example", first.to_lowercase(), i + 1),
                "MobilePhone": format!("303-555-{:04}", 1000 + i),
                "Active": true,
                "CreatedDateTime": "2024-03-01T00:00:00",
                "ModifiedDate": stamp,
            }));
        }
        company.contacts.push(json!({
            "ContactID": 99,
            "FirstName": "Pat",
            "LastName": "Customer",
            "ContactTypeID": 1,
            "ContactTypeName": "Customer",
            "Active": true,
            "ModifiedDate": stamp,
        }));
        for (s, site) in SITES.iter().enumerate() {
            company.properties.push(json!({
                "PropertyID": 300 + s,
                "PropertyName": site,
                "PropertyAddressLine1": format!("{} Main St", 100 + s),
                "PropertyAddressLine2": if s == 2 { json!("Building B") } else { Value::Null },
                "PropertyAddressCity": "Denver",
                "PropertyAddressStateProvinceCode": "CO",
                "PropertyAddressZipCode": format!("8020{s}"),
                "BranchID": 1,
                "BranchName": "Denver",
                "Active": true,
                "ModifiedDate": stamp,
            }));
        }
        for o in 0..spec.opportunities {
            let s = o % SITES.len();
            company.opportunities.push(json!({
                "OpportunityID": 500 + o,
                "OpportunityNumber": 1000 + o,
                "OpportunityName": format!("{} maintenance {}", SITES[s], 2026 + o / SITES.len()),
                "OpportunityType": "Contract",
                "OpportunityStatus": "Won",
                "OpportunityStatusName": "Won",
                "PropertyID": 300 + s,
                "PropertyName": SITES[s],
                "BillingAddressLine1": "PO Box 77",
                "BillingAddressCity": "Denver",
                "BranchID": 1,
                "BranchName": "Denver",
                "ModifiedDate": stamp,
            }));
            for t in 0..2 {
                company.work_tickets.push(json!({
                    "WorkTicketID": 5000 + o * 2 + t,
                    "WorkTicketNumber": 40000 + o * 2 + t,
                    "OpportunityID": 500 + o,
                    "WorkTicketStatus": "Open",
                    "BranchID": 1,
                    "LastModifiedDateTime": stamp,
                }));
            }
        }
        company.pay_codes = vec![
            json!({"PayCodeID": 1, "PayCodeName": "Standard Hourly", "PayCode": "REG", "OTPaycode": false,
                   "ExcludeFromOT": false, "Active": true}),
            json!({"PayCodeID": 2, "PayCodeName": "Hourly Overtime", "PayCode": "OT", "OTPaycode": true,
                   "PremiumPercent": 50, "ExcludeFromOT": false, "Active": true}),
            json!({"PayCodeID": 3, "PayCodeName": "Holiday", "PayCode": "HOL", "OTPaycode": false,
                   "ExcludeFromOT": true, "Active": true}),
        ];
        company.add_times(spec, &stamp, zone);
        company
    }

    fn add_times(&mut self, spec: &CompanySpec, stamp: &str, zone: &str) {
        let mut id = 90_000;
        for d in (1..=spec.days).rev() {
            let date = spec.today - Duration::days(d);
            if chrono::Datelike::weekday(&date).number_from_monday() > 5 {
                continue;
            }
            for (i, contact) in self.contacts.iter().enumerate() {
                if contact["ContactTypeName"] != "Employee" || self.work_tickets.is_empty() {
                    continue;
                }
                let ticket = &self.work_tickets[(i + d as usize) % self.work_tickets.len()];
                let with_break = i % 2 == 1;
                id += 1;
                self.work_ticket_times.push(json!({
                    "WorkTicketTimeID": id,
                    "ContactID": contact["ContactID"],
                    "ContactName": format!("{} {}", contact["FirstName"].as_str().unwrap_or_default(), contact["LastName"].as_str().unwrap_or_default()),
                    "WorkTicketID": ticket["WorkTicketID"],
                    "WorkTicketNumber": ticket["WorkTicketNumber"],
                    "WorkTicketTimeDate": format!("{date}T00:00:00"),
                    "StartTime": format!("{date}T07:00:00"),
                    "EndTime": format!("{date}T{}:00", if with_break { "16:00" } else { "15:30" }),
                    "Hours": 8.5,
                    "OTHours": 0,
                    "BreakTime": if with_break { 0.5 } else { 0.0 },
                    "HasBreakTime": with_break,
                    "PayCodeID": 1,
                    "PayCodeName": "Standard Hourly",
                    "BranchID": 1,
                    "BranchName": "Denver",
                    "BranchTimeZone": zone,
                    "LastModifiedDateTime": stamp,
                }));
            }
        }
    }

    /// The records served at `path` (`/Contacts`).
    pub(crate) fn list(&self, path: &str) -> Option<&[Value]> {
        Some(match path {
            "/Branches" => &self.branches,
            "/Contacts" => &self.contacts,
            "/Properties" => &self.properties,
            "/Opportunities" => &self.opportunities,
            "/WorkTickets" => &self.work_tickets,
            "/PayCodes" => &self.pay_codes,
            "/WorkTicketTimes" => &self.work_ticket_times,
            _ => return None,
        })
    }

    /// Changes a work ticket time as if edited in Aspire at `at`.
    pub fn edit_time(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> bool {
        let Some(Value::Object(time)) = self
            .work_ticket_times
            .iter_mut()
            .find(|t| t["WorkTicketTimeID"] == id)
        else {
            return false;
        };
        change(time);
        time.insert("LastModifiedDateTime".into(), json!(aspire_time(at)));
        true
    }
}
