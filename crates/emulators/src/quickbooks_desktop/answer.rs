//! The emulated company file's answers: each request read ([`super::check`])
//! answered as QuickBooks answers it, records written with their fields in
//! the schema's order (`qbxml130.xsd`: `EmployeeRet`, `CustomerRet`,
//! `ItemServiceRet`, `PayrollItemWageRet`, `CompanyRet`, `HostRet`), and
//! faults as statuses of the `…Rs` element (QBD-RS, QBD-ITER, QBD-STAT).
//! Time-tracking requests are answered by [`super::time_answer`] (QBD-TT).

use serde_json::Value;

use super::check::{self, Iterator, OnError, Query, Refusal, Request};
use super::{Company, Iteration, List, escape};

/// What QuickBooks hands the Web Connector for a request it cannot parse.
pub const PARSE_ERROR: (&str, &str) = (
    "0x80040400",
    "QuickBooks found an error when parsing the provided XML text stream.",
);

/// A field of a `…Ret` element and, for an aggregate, its own fields.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub fields: &'static [Field],
}

pub(super) const fn text(name: &'static str) -> Field {
    Field { name, fields: &[] }
}

pub(super) const fn group(name: &'static str, fields: &'static [Field]) -> Field {
    Field { name, fields }
}

/// `ListRef` and its kin: `ListID`, `FullName`.
pub(super) const REF: &[Field] = &[text("ListID"), text("FullName")];

/// `AddressData`.
const ADDRESS: &[Field] = &[
    text("Addr1"),
    text("Addr2"),
    text("Addr3"),
    text("Addr4"),
    text("Addr5"),
    text("City"),
    text("State"),
    text("PostalCode"),
    text("Country"),
    text("Note"),
];

const EARNINGS: &[Field] = &[
    group("PayrollItemWageRef", REF),
    text("Rate"),
    text("RatePercent"),
];

const PAYROLL_INFO: &[Field] = &[
    text("PayPeriod"),
    group("ClassRef", REF),
    text("ClearEarnings"),
    group("Earnings", EARNINGS),
    text("UseTimeDataToCreatePaychecks"),
];

/// `EmployeeRet`: `ListCore`, then its own fields (the ones emulated).
pub const EMPLOYEE: &[Field] = &[
    text("ListID"),
    text("TimeCreated"),
    text("TimeModified"),
    text("EditSequence"),
    text("Name"),
    text("IsActive"),
    text("Salutation"),
    text("FirstName"),
    text("MiddleName"),
    text("LastName"),
    text("JobTitle"),
    text("PrintAs"),
    text("Phone"),
    text("Mobile"),
    text("Pager"),
    text("PagerPIN"),
    text("AltPhone"),
    text("Fax"),
    text("Email"),
    text("EmployeeType"),
    text("Gender"),
    text("HiredDate"),
    text("ReleasedDate"),
    text("BirthDate"),
    text("AccountNumber"),
    text("Notes"),
    group("BillingRateRef", REF),
    group("EmployeePayrollInfo", PAYROLL_INFO),
];

/// `CustomerRet` (customers, and jobs: sub-customers).
pub const CUSTOMER: &[Field] = &[
    text("ListID"),
    text("TimeCreated"),
    text("TimeModified"),
    text("EditSequence"),
    text("Name"),
    text("FullName"),
    text("IsActive"),
    group("ClassRef", REF),
    group("ParentRef", REF),
    text("Sublevel"),
    text("CompanyName"),
    text("Salutation"),
    text("FirstName"),
    text("MiddleName"),
    text("LastName"),
    text("JobTitle"),
    group("BillAddress", ADDRESS),
    group("ShipAddress", ADDRESS),
    text("PrintAs"),
    text("Phone"),
    text("Mobile"),
    text("Pager"),
    text("AltPhone"),
    text("Fax"),
    text("Email"),
    text("Cc"),
    text("Contact"),
    text("AltContact"),
    text("Balance"),
    text("TotalBalance"),
    text("AccountNumber"),
    text("JobStatus"),
    text("JobStartDate"),
    text("JobProjectedEndDate"),
    text("JobEndDate"),
    text("JobDesc"),
    text("Notes"),
];

/// `ItemServiceRet`.
pub const SERVICE_ITEM: &[Field] = &[
    text("ListID"),
    text("TimeCreated"),
    text("TimeModified"),
    text("EditSequence"),
    text("Name"),
    text("FullName"),
    text("BarCodeValue"),
    text("IsActive"),
    group("ClassRef", REF),
    group("ParentRef", REF),
    text("Sublevel"),
    group("SalesTaxCodeRef", REF),
    group(
        "SalesOrPurchase",
        &[
            text("Desc"),
            text("Price"),
            text("PricePercent"),
            group("AccountRef", REF),
        ],
    ),
    group(
        "SalesAndPurchase",
        &[
            text("SalesDesc"),
            text("SalesPrice"),
            group("IncomeAccountRef", REF),
            text("PurchaseDesc"),
            text("PurchaseCost"),
            group("PurchaseTaxCodeRef", REF),
            group("ExpenseAccountRef", REF),
            group("PrefVendorRef", REF),
        ],
    ),
];

/// `PayrollItemWageRet`.
pub const WAGE_ITEM: &[Field] = &[
    text("ListID"),
    text("TimeCreated"),
    text("TimeModified"),
    text("EditSequence"),
    text("Name"),
    text("IsActive"),
    text("WageType"),
    group("ExpenseAccountRef", REF),
];

/// The fields a list's records are written with, in order.
pub fn shape(list: List) -> &'static [Field] {
    match list {
        List::Employees => EMPLOYEE,
        List::Customers => CUSTOMER,
        List::ServiceItems => SERVICE_ITEM,
        List::PayrollWageItems => WAGE_ITEM,
    }
}

/// Whether a list's `…Ret` has a top-level field named `field`.
pub fn has_field(list: List, field: &str) -> bool {
    shape(list).iter().any(|f| f.name == field)
}

/// A record's fields as elements, in `fields`' order. Keys the shape does
/// not name are not written (see [`unwritten`]).
pub fn write(out: &mut String, record: &Value, fields: &[Field]) {
    for field in fields {
        let values = match record.get(field.name) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(items)) => items.iter().collect(),
            Some(value) => vec![value],
        };
        for value in values {
            out.push('<');
            out.push_str(field.name);
            out.push('>');
            if field.fields.is_empty() {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                out.push_str(&escape(&text));
            } else {
                write(out, value, field.fields);
            }
            out.push_str("</");
            out.push_str(field.name);
            out.push('>');
        }
    }
}

/// The keys of `record` (at any depth) its shape does not write.
pub fn unwritten(record: &Value, fields: &[Field]) -> Vec<String> {
    let Value::Object(map) = record else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        match fields.iter().find(|f| f.name == key) {
            None => out.push(key.clone()),
            Some(field) if !field.fields.is_empty() => {
                let items = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    out.extend(
                        unwritten(item, field.fields)
                            .into_iter()
                            .map(|k| format!("{key}/{k}")),
                    );
                }
            }
            Some(_) => {}
        }
    }
    out
}

/// A `{GUID}`, as QuickBooks writes iterator ids.
fn guid() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// One `…Rs`: its status, its iterator, its records.
pub(super) struct Answer {
    pub(super) code: u32,
    pub(super) message: String,
    pub(super) iterator: Option<(usize, String)>,
    /// The elements inside the `…Rs`, written.
    pub(super) records: String,
}

impl Answer {
    pub(super) fn status(code: u32, message: impl Into<String>) -> Answer {
        Answer {
            code,
            message: message.into(),
            iterator: None,
            records: String::new(),
        }
    }

    fn is_error(&self) -> bool {
        self.code >= 1000
    }

    fn render(&self, rs: &str, request_id: Option<&str>) -> String {
        let severity = match self.code {
            0..=499 => "Info",
            500..=999 => "Warn",
            _ => "Error",
        };
        let mut out = format!("<{rs}");
        if let Some(id) = request_id {
            out.push_str(&format!(r#" requestID="{}""#, escape(id)));
        }
        out.push_str(&format!(
            r#" statusCode="{}" statusSeverity="{severity}" statusMessage="{}""#,
            self.code,
            escape(&self.message)
        ));
        if let Some((remaining, id)) = &self.iterator {
            out.push_str(&format!(
                r#" iteratorRemainingCount="{remaining}" iteratorID="{}""#,
                escape(id)
            ));
        }
        if self.records.is_empty() {
            out.push_str("/>");
        } else {
            out.push_str(&format!(">{}</{rs}>", self.records));
        }
        out
    }
}

pub(super) const NO_MATCH: &str = "A query request did not find a matching object in QuickBooks";

impl Company {
    /// QuickBooks' answer to a qbXML request document, or the HRESULT and
    /// message the Web Connector passes on for one it could not run.
    pub fn answer(&mut self, request: &str) -> Result<String, (String, String)> {
        self.requests.push(request.to_owned());
        let document = match check::read(request, &self.edition) {
            Ok(document) => document,
            Err(Refusal::Parse(_)) => {
                return Err((PARSE_ERROR.0.to_owned(), PARSE_ERROR.1.to_owned()));
            }
            Err(Refusal::Unemulated(what)) => {
                return Err((
                    "0x80040402".to_owned(),
                    format!(
                        "Unexpected error. The emulated company file does not emulate {what} (Timebridge does not send it)."
                    ),
                ));
            }
        };
        if document.on_error == OnError::Rollback
            && document.requests.iter().any(|rq| rq.query.writes())
        {
            return Err((
                "0x80040402".to_owned(),
                "Unexpected error. The emulated company file does not emulate rollbackOnError for requests that change it (Timebridge sends continueOnError)."
                    .to_owned(),
            ));
        }
        let mut out = String::new();
        for rq in &document.requests {
            let answer = self.answer_one(rq);
            let rs = rq.name.trim_end_matches("Rq").to_owned() + "Rs";
            out.push_str(&answer.render(&rs, rq.request_id.as_deref()));
            if answer.is_error() && document.on_error != OnError::Continue {
                break;
            }
        }
        let response =
            format!(r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>{out}</QBXMLMsgsRs></QBXML>"#);
        self.responses.push(response.clone());
        Ok(response)
    }

    fn answer_one(&mut self, rq: &Request) -> Answer {
        if let Some(id) = &rq.request_id
            && id.chars().count() > 50
        {
            return Answer::status(
                1060,
                format!("The request ID \"{id}\" is invalid, possibly too long, max 50 chars."),
            );
        }
        match &rq.query {
            Query::Host => Answer {
                records: format!("<HostRet>{}</HostRet>", self.host_ret()),
                ..Answer::status(0, "Status OK")
            },
            Query::Company => Answer {
                records: format!("<CompanyRet>{}</CompanyRet>", self.company_ret()),
                ..Answer::status(0, "Status OK")
            },
            Query::List {
                list,
                iterator,
                max,
                active,
            } => {
                if self.denied.contains(list) {
                    return Answer::status(
                        3260,
                        "Insufficient permission level to perform this action.",
                    );
                }
                if *list == List::PayrollWageItems && !self.payroll {
                    return Answer::status(
                        3250,
                        "This feature is not enabled or not available in this version of QuickBooks.",
                    );
                }
                self.read_list(*list, iterator.as_ref(), *max, *active)
            }
            Query::TimeAdd(_) | Query::TimeMod { .. } | Query::TxnDel { .. } if self.read_only => {
                // *assumed*: the code and words of a permission refusal.
                Answer::status(
                    3260,
                    "Insufficient permission level to perform this action.",
                )
            }
            Query::TimeAdd(entry) => self.add_time(entry),
            Query::TimeMod {
                txn_id,
                edit_sequence,
                entry,
            } => self.modify_time(txn_id, edit_sequence, entry),
            Query::TimeQuery(query) => self.query_time(query),
            Query::TxnDel { txn_id } => self.delete_time(txn_id),
        }
    }

    fn read_list(
        &mut self,
        list: List,
        iterator: Option<&Iterator>,
        max: Option<u32>,
        active: check::Active,
    ) -> Answer {
        let max = max.map_or(usize::MAX, |m| m as usize);
        let matching = || -> Vec<Value> {
            self.list(list)
                .iter()
                .filter(|r| active.keeps(r))
                .cloned()
                .collect()
        };
        let invalid =
            |id: &str| Answer::status(3391, format!("The iteratorID \"{id}\" is not valid."));
        let (page, iterator) = match iterator {
            None => {
                let mut page = matching();
                page.truncate(max);
                (page, None)
            }
            Some(Iterator::Start) => {
                let mut page = matching();
                let rest = page.split_off(max.min(page.len()));
                let id = guid();
                let remaining = rest.len();
                if remaining > 0 {
                    let session = self.session;
                    self.iterators.insert(
                        id.clone(),
                        Iteration {
                            list,
                            rest,
                            session,
                        },
                    );
                }
                (page, Some((remaining, id)))
            }
            Some(Iterator::Continue(id)) => {
                let session = self.session;
                let Some(iteration) = self
                    .iterators
                    .get_mut(id)
                    .filter(|i| i.list == list && i.session == session)
                else {
                    return invalid(id);
                };
                let take = max.min(iteration.rest.len());
                let page: Vec<Value> = iteration.rest.drain(..take).collect();
                let remaining = iteration.rest.len();
                if remaining == 0 {
                    self.iterators.remove(id);
                }
                (page, Some((remaining, id.clone())))
            }
            Some(Iterator::Stop(id)) => {
                let session = self.session;
                let known = self
                    .iterators
                    .get(id)
                    .is_some_and(|i| i.list == list && i.session == session);
                if !known {
                    return invalid(id);
                }
                self.iterators.remove(id);
                (Vec::new(), Some((0, id.clone())))
            }
        };
        let mut records = String::new();
        let ret = list.ret();
        for record in &page {
            records.push_str(&format!("<{ret}>"));
            write(&mut records, record, shape(list));
            records.push_str(&format!("</{ret}>"));
        }
        let (code, message) = if page.is_empty() {
            (1, NO_MATCH)
        } else {
            (0, "Status OK")
        };
        Answer {
            code,
            message: message.into(),
            iterator,
            records,
        }
    }

    fn host_ret(&self) -> String {
        let versions: String = self
            .edition
            .versions
            .iter()
            .map(|(major, minor)| {
                format!("<SupportedQBXMLVersion>{major}.{minor}</SupportedQBXMLVersion>")
            })
            .collect();
        format!(
            "<ProductName>{}</ProductName><MajorVersion>34</MajorVersion><MinorVersion>0</MinorVersion><Country>{}</Country>{versions}<IsAutomaticLogin>false</IsAutomaticLogin><QBFileMode>SingleUser</QBFileMode>",
            escape(&self.edition.product),
            escape(&self.edition.country)
        )
    }

    fn company_ret(&self) -> String {
        let name = escape(&self.name);
        format!(
            "<IsSampleCompany>false</IsSampleCompany><CompanyName>{name}</CompanyName><LegalCompanyName>{name}</LegalCompanyName>"
        )
    }

    /// The HostQuery, CompanyQuery and PreferencesQuery answer the Web
    /// Connector hands over on its first `sendRequestXML`.
    pub fn hcp_response(&self) -> String {
        format!(
            r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet>{}</HostRet></HostQueryRs><CompanyQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet>{}</CompanyRet></CompanyQueryRs><PreferencesQueryRs requestID="3" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><PreferencesRet><TimeTrackingPreferences><FirstDayOfWeek>Monday</FirstDayOfWeek></TimeTrackingPreferences></PreferencesRet></PreferencesQueryRs></QBXMLMsgsRs></QBXML>"#,
            self.host_ret(),
            self.company_ret()
        )
    }
}
