//! qbXML: the requests Timebridge hands the Web Connector for QuickBooks,
//! and reading QuickBooks' answers.
//!
//! Lists are read whole on every update (`ActiveStatus` All, so inactive
//! records are seen and records missing from a read were deleted). Long
//! lists are read in pages through an iterator (`iterator="Start"`, then
//! `"Continue"` with its id until nothing remains); QuickBooks offers
//! iterators only in US editions and not for payroll items, which are read
//! in one answer.

use serde_json::Value;

use super::xml::{self, escape};

/// The newest qbXML version Timebridge writes; an older QuickBooks gets
/// the version it offers (no iterators before 5.0).
pub const NEWEST: (u32, u32) = (13, 0);

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

    /// Whether QuickBooks pages this list with an iterator.
    pub fn iterates(self) -> bool {
        !matches!(self, List::PayrollWageItems)
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

/// The qbXML version to write for a QuickBooks that offers `offered`.
pub fn version_for(offered: (u32, u32)) -> (u32, u32) {
    if offered.0 == 0 || offered > NEWEST {
        NEWEST
    } else {
        offered
    }
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
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="{}.{}"?><QBXML><QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>"#,
        version.0, version.1
    )
}

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
    fn an_older_quickbooks_gets_the_version_it_offers() {
        assert_eq!(
            version_for((8, 0)),
            (8, 0),
            "QuickBooks offering 8.0 gets 8.0"
        );
        assert_eq!(
            version_for((16, 0)),
            NEWEST,
            "a newer QuickBooks still reads Timebridge's newest"
        );
    }

    #[test]
    fn an_answer_reads_its_status_iterator_and_records() {
        let answer = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>
            <EmployeeQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"
                iteratorRemainingCount="3" iteratorID="{it-1}">
              <EmployeeRet><ListID>80000001-1</ListID><Name>Ana &amp; Co</Name></EmployeeRet>
              <EmployeeRet><ListID>80000002-1</ListID><Name>Bo</Name></EmployeeRet>
            </EmployeeQueryRs></QBXMLMsgsRs></QBXML>"#;
        let responses = parse(answer).expect("a well-formed answer");
        let rs = &responses[0];
        assert_eq!(rs.remaining, Some(3), "three records are left to read");
        assert_eq!(rs.iterator_id.as_deref(), Some("{it-1}"));
        assert_eq!(rs.records.len(), 2, "both EmployeeRet are read");
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
