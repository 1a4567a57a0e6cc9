//! qbXML: the requests Timebridge hands the Web Connector for QuickBooks,
//! and reading QuickBooks' answers, held to Intuit's qbXML schema
//! (`docs/contracts/quickbooks-desktop.md`).
//!
//! Lists are read whole on every update (`ActiveStatus` All, so inactive
//! records are seen and records missing from a read were deleted).
//! Customers and service items, whose queries the schema gives an
//! iterator, are read in pages (`iterator="Start"`, then `"Continue"` with
//! its id until nothing remains) in US editions; employees and payroll
//! items, whose queries have no iterator, come in one answer.

use serde_json::Value;

use super::xml::{self, escape};

/// The qbXML versions Timebridge writes, newest first: its requests are
/// the same in each (QuickBooks 2009 and later).
pub const SUPPORTED: [(u32, u32); 6] = [(13, 0), (12, 0), (11, 0), (10, 0), (9, 0), (8, 0)];

/// The newest qbXML version Timebridge writes.
pub const NEWEST: (u32, u32) = SUPPORTED[0];

/// The oldest qbXML version Timebridge writes.
pub const OLDEST: (u32, u32) = SUPPORTED[SUPPORTED.len() - 1];

/// Records asked for per iterator page.
pub const PAGE_SIZE: u32 = 100;

/// A QuickBooks list Timebridge reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    Employees,
    /// Customers and their jobs (sub-customers).
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

    /// The request's element, without `Rq`.
    pub fn query(self) -> &'static str {
        match self {
            List::Employees => "EmployeeQuery",
            List::Customers => "CustomerQuery",
            List::ServiceItems => "ItemServiceQuery",
            List::PayrollWageItems => "PayrollItemWageQuery",
        }
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

    /// What the admin calls it.
    pub fn describe(self) -> &'static str {
        match self {
            List::Employees => "employees",
            List::Customers => "customers and jobs",
            List::ServiceItems => "service items",
            List::PayrollWageItems => "payroll items",
        }
    }

    /// Whether the list's query takes an iterator: only `CustomerQueryRq`
    /// and `ItemServiceQueryRq` do (`qbxmlops130.xsd`).
    pub fn iterates(self) -> bool {
        matches!(self, List::Customers | List::ServiceItems)
    }
}

/// Where an iterated read is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Iterator {
    /// Read the whole list in one answer.
    None,
    Start,
    Continue(String),
}

/// One request Timebridge sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Who the company is (its name), first in every update.
    Company,
    List {
        list: List,
        iterator: Iterator,
    },
}

/// The version to write: the newest Timebridge writes that is not newer
/// than the one the Web Connector reports (`qbXMLMajorVers`.
/// `qbXMLMinorVers`; `(0, 0)` when it reported none) and that QuickBooks
/// lists in its `HostQueryRs` (when the Web Connector passed one). `None`
/// when there is none: an older QuickBooks.
pub fn choose_version(reported: (u32, u32), listed: Option<&[(u32, u32)]>) -> Option<(u32, u32)> {
    if reported == (0, 0) && listed.is_none() {
        return None;
    }
    SUPPORTED
        .into_iter()
        .find(|v| (reported == (0, 0) || *v <= reported) && listed.is_none_or(|l| l.contains(v)))
}

/// The versions a `HostQueryRs` lists (`HostRet/SupportedQBXMLVersion`),
/// from the Web Connector's `strHCPResponse`; `None` when it holds none.
pub fn listed_versions(hcp_response: &str) -> Option<Vec<(u32, u32)>> {
    let responses = parse(hcp_response).ok()?;
    let host = responses.iter().find(|r| r.name == "HostQueryRs")?;
    let listed = host.records.first()?.get("SupportedQBXMLVersion")?;
    let texts: Vec<&str> = match listed {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // Old non-US editions list versions like "CA3.0"; they are not read.
    let versions: Vec<(u32, u32)> = texts
        .into_iter()
        .filter_map(|t| {
            let (major, minor) = t.trim().split_once('.')?;
            Some((major.parse().ok()?, minor.parse().ok()?))
        })
        .collect();
    (!versions.is_empty()).then_some(versions)
}

/// A qbXML document holding `request`.
pub fn render(request: &Request, request_id: u32, version: (u32, u32)) -> String {
    let body = match request {
        Request::Company => format!(r#"<CompanyQueryRq requestID="{request_id}"/>"#),
        Request::List { list, iterator } => {
            let query = list.query();
            let (attributes, max) = match iterator {
                Iterator::None => (String::new(), String::new()),
                Iterator::Start => (
                    r#" iterator="Start""#.to_owned(),
                    format!("<MaxReturned>{PAGE_SIZE}</MaxReturned>"),
                ),
                Iterator::Continue(id) => (
                    format!(r#" iterator="Continue" iteratorID="{}""#, escape(id)),
                    format!("<MaxReturned>{PAGE_SIZE}</MaxReturned>"),
                ),
            };
            // The schema's order: MaxReturned, then ActiveStatus.
            format!(
                r#"<{query}Rq requestID="{request_id}"{attributes}>{max}<ActiveStatus>All</ActiveStatus></{query}Rq>"#
            )
        }
    };
    document(&body, version, OnError::Stop)
}

/// What QuickBooks does with the rest of a document after one of its
/// requests fails (`QBXMLMsgsRq onError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// The requests after it are not run (`stopOnError`).
    Stop,
    /// Every request is run and answered on its own (`continueOnError`).
    Continue,
}

/// A qbXML document of `version` holding `body`, one or more requests.
pub fn document(body: &str, version: (u32, u32), on_error: OnError) -> String {
    let on_error = match on_error {
        OnError::Stop => "stopOnError",
        OnError::Continue => "continueOnError",
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="{}.{}"?><QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>"#,
        version.0, version.1
    )
}

/// Statuses QuickBooks answers for one list that leave the rest of the
/// company file readable: 3250 (the feature is not turned on, e.g.
/// payroll) and 3260 (the QuickBooks user may not see the list).
pub const LIST_NOT_AVAILABLE: [i64; 2] = [3250, 3260];

/// QuickBooks' answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The answer's element, e.g. `EmployeeQueryRs`.
    pub name: String,
    pub request_id: Option<String>,
    pub status_code: i64,
    pub status_severity: String,
    pub status_message: String,
    pub iterator_id: Option<String>,
    pub remaining: Option<u64>,
    /// Each `…Ret` element, as JSON.
    pub records: Vec<Value>,
}

impl Response {
    /// Status 0 is success, 1 "nothing matched" (an empty list), 500–999
    /// warnings with the records still given; anything else is an error.
    pub fn is_error(&self) -> bool {
        !(self.status_code == 0
            || self.status_code == 1
            || (500..1000).contains(&self.status_code)
            || self.status_severity.eq_ignore_ascii_case("info")
            || self.status_severity.eq_ignore_ascii_case("warn"))
    }
}

/// Reads a qbXML answer: every `…Rs` inside `QBXMLMsgsRs`.
pub fn parse(text: &str) -> Result<Vec<Response>, String> {
    let doc = xml::parse(text.trim_start_matches('\u{feff}').trim())?;
    let root = doc.root_element();
    if root.tag_name().name() != "QBXML" {
        return Err(format!(
            "it is not a qbXML answer (it starts with <{}>)",
            root.tag_name().name()
        ));
    }
    let messages = root
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "QBXMLMsgsRs")
        .ok_or("it holds no QBXMLMsgsRs")?;
    let mut responses = Vec::new();
    for rs in messages.children().filter(|c| c.is_element()) {
        let attribute = |name: &str| rs.attribute(name).map(str::to_owned);
        let status_code = match rs.attribute("statusCode") {
            Some(code) => code
                .trim()
                .parse()
                .map_err(|_| format!("its statusCode “{code}” is not a number"))?,
            None => return Err(format!("<{}> has no statusCode", rs.tag_name().name())),
        };
        let records = rs
            .children()
            .filter(|c| c.is_element() && c.tag_name().name().ends_with("Ret"))
            .map(xml::to_json)
            .collect();
        responses.push(Response {
            name: rs.tag_name().name().to_owned(),
            request_id: attribute("requestID"),
            status_code,
            status_severity: attribute("statusSeverity").unwrap_or_default(),
            status_message: attribute("statusMessage").unwrap_or_default(),
            iterator_id: attribute("iteratorID").filter(|i| !i.is_empty()),
            remaining: rs
                .attribute("iteratorRemainingCount")
                .and_then(|n| n.trim().parse().ok()),
            records,
        });
    }
    Ok(responses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_continued_read_names_its_iterator_and_page_size() {
        let xml = render(
            &Request::List {
                list: List::Customers,
                iterator: Iterator::Continue("{abc}".into()),
            },
            7,
            (13, 0),
        );
        assert!(
            xml.contains(r#"<CustomerQueryRq requestID="7" iterator="Continue" iteratorID="{abc}"><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus>"#),
            "the iterator and MaxReturned come in the schema's order: {xml}"
        );
        assert!(xml.contains(r#"<?qbxml version="13.0"?>"#), "{xml}");
    }

    #[test]
    fn the_newest_version_both_quickbooks_and_timebridge_read_is_chosen() {
        assert_eq!(
            choose_version((16, 0), None),
            Some((13, 0)),
            "a newer QuickBooks reads Timebridge's newest"
        );
        assert_eq!(
            choose_version((12, 0), None),
            Some((12, 0)),
            "QuickBooks reporting 12.0 gets 12.0"
        );
        assert_eq!(
            choose_version((16, 0), Some(&[(8, 0), (10, 0), (11, 0)])),
            Some((11, 0)),
            "the newest of what HostQuery lists"
        );
        assert_eq!(
            choose_version((0, 0), Some(&[(12, 0), (13, 0)])),
            Some((13, 0)),
            "HostQuery alone decides when no version was reported"
        );
        assert_eq!(
            choose_version((7, 0), None),
            None,
            "QuickBooks 2008 is older than Timebridge reads"
        );
        assert_eq!(choose_version((0, 0), None), None, "nothing known");
    }

    #[test]
    fn the_versions_listed_in_the_hcp_response_are_read() {
        let hcp = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0" statusSeverity="Info"><HostRet><ProductName>QuickBooks Pro 2012</ProductName><SupportedQBXMLVersion>CA3.0</SupportedQBXMLVersion><SupportedQBXMLVersion>10.0</SupportedQBXMLVersion><SupportedQBXMLVersion>11.0</SupportedQBXMLVersion></HostRet></HostQueryRs></QBXMLMsgsRs></QBXML>"#;
        assert_eq!(
            listed_versions(hcp),
            Some(vec![(10, 0), (11, 0)]),
            "numeric versions, in order; CA3.0 is not one Timebridge reads"
        );
        assert_eq!(listed_versions(""), None, "no HCP response");
        assert_eq!(listed_versions("<QBXML><QBXMLMsgsRs/></QBXML>"), None);
    }

    #[test]
    fn an_answer_reads_its_status_iterator_and_records() {
        let answer = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>
            <CustomerQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"
                iteratorRemainingCount="3" iteratorID="{it-1}">
              <CustomerRet><ListID>80000001-1</ListID><Name>Ana &amp; Co</Name></CustomerRet>
              <CustomerRet><ListID>80000002-1</ListID><Name>Bo</Name></CustomerRet>
            </CustomerQueryRs></QBXMLMsgsRs></QBXML>"#;
        let responses = parse(answer).expect("a well-formed answer");
        let rs = &responses[0];
        assert_eq!(rs.remaining, Some(3), "three records are left to read");
        assert_eq!(rs.iterator_id.as_deref(), Some("{it-1}"));
        assert_eq!(rs.records.len(), 2, "both CustomerRet are read");
        assert_eq!(rs.records[0]["Name"], "Ana & Co", "entities are resolved");
        assert!(!rs.is_error());
    }

    #[test]
    fn an_error_status_is_an_error_and_no_match_is_not() {
        let answer = r#"<QBXML><QBXMLMsgsRs>
            <EmployeeQueryRs requestID="1" statusCode="1" statusSeverity="Info" statusMessage="No match"/>
            <CustomerQueryRs requestID="2" statusCode="3120" statusSeverity="Error" statusMessage="Object not found"/>
            </QBXMLMsgsRs></QBXML>"#;
        let responses = parse(answer).expect("well-formed");
        assert!(!responses[0].is_error(), "no match is an empty list");
        assert!(responses[1].is_error(), "3120 is an error");
    }

    #[test]
    fn a_page_that_is_not_qbxml_is_refused_with_a_reason() {
        let error = parse("<html><body>Error</body></html>").expect_err("not qbXML");
        assert!(
            error.contains("<html>"),
            "the reason names what came: {error}"
        );
        let error = parse("<QBXML><QBXMLMsgsRs><Emp").expect_err("cut off");
        assert!(error.contains("not well-formed"), "{error}");
    }
}
