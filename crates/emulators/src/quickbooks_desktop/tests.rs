//! The emulated company file refuses what QuickBooks refuses, the way it
//! does: one test per rule of `docs/contracts/quickbooks-desktop.md`.

use super::answer::{self, PARSE_ERROR};
use super::*;

fn company() -> Company {
    Company::generate(&CompanySpec::default())
}

/// A request document of `version` holding `body`.
pub(super) fn doc(version: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>"#
    )
}

pub(super) fn rq13(body: &str) -> String {
    doc("13.0", body)
}

/// QuickBooks' parse error for `request`, or a failure naming what came.
#[track_caller]
pub(super) fn assert_parse_error(company: &mut Company, request: &str, why: &str) {
    match company.answer(request) {
        Err((hresult, message)) => {
            assert_eq!(
                (hresult.as_str(), message.as_str()),
                PARSE_ERROR,
                "{why}: QuickBooks' parse error"
            );
        }
        Ok(answer) => panic!("{why}: QuickBooks refuses it, the emulator answered {answer}"),
    }
}

#[track_caller]
pub(super) fn answered(company: &mut Company, request: &str) -> String {
    company
        .answer(request)
        .unwrap_or_else(|e| panic!("QuickBooks answers {request}: {e:?}"))
}

/// An attribute of the first `rs` element of an answer.
pub(super) fn attribute(answer: &str, rs: &str, name: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(answer).expect("the emulator writes well-formed XML");
    doc.descendants()
        .find(|n| n.has_tag_name(rs))
        .and_then(|n| n.attribute(name))
        .map(str::to_owned)
}

pub(super) fn status(answer: &str, rs: &str) -> Option<String> {
    attribute(answer, rs, "statusCode")
}

const EMPLOYEES_ALL: &str =
    r#"<EmployeeQueryRq requestID="2"><ActiveStatus>All</ActiveStatus></EmployeeQueryRq>"#;

fn customers(iterator: &str, max: u32) -> String {
    rq13(&format!(
        r#"<CustomerQueryRq requestID="3" {iterator}><MaxReturned>{max}</MaxReturned><ActiveStatus>All</ActiveStatus></CustomerQueryRq>"#
    ))
}

#[test]
fn a_document_that_is_not_well_formed_qbxml_is_a_parse_error() {
    // contract: QBD-DOC-1
    let mut company = company();
    assert_parse_error(&mut company, &rq13("<EmployeeQueryRq>"), "cut off");
    assert_parse_error(
        &mut company,
        r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXMLRq><QBXMLMsgsRq onError="stopOnError"/></QBXMLRq>"#,
        "the root is not QBXML",
    );
    assert_parse_error(
        &mut company,
        &rq13(r#"<EmployeeQueryRq requestID="Smith & Sons"/>"#),
        "an unescaped ampersand",
    );
}

#[test]
fn the_message_set_needs_its_on_error_attribute() {
    // contract: QBD-DOC-2
    let mut company = company();
    let without = r#"<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq><CompanyQueryRq/></QBXMLMsgsRq></QBXML>"#;
    assert_parse_error(&mut company, without, "onError is required");
    let wrong = without.replace("<QBXMLMsgsRq>", r#"<QBXMLMsgsRq onError="ignore">"#);
    assert_parse_error(&mut company, &wrong, "ignore is not an onError value");
    let unknown = without.replace(
        "<QBXMLMsgsRq>",
        r#"<QBXMLMsgsRq onError="stopOnError" mode="fast">"#,
    );
    assert_parse_error(&mut company, &unknown, "mode is not an attribute");
}

#[test]
fn the_message_set_holds_only_requests() {
    // contract: QBD-DOC-3
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13("<Employees/>"),
        "an element that is no request",
    );
    let (hresult, message) = company
        .answer(&rq13("<VendorQueryRq/>"))
        .expect_err("a request the emulator does not emulate is refused, not ignored");
    assert_eq!(hresult, "0x80040402");
    assert!(message.contains("VendorQueryRq"), "{message}");
}

#[test]
fn elements_inside_a_request_carry_no_attributes_and_values_hold_text() {
    // contract: QBD-DOC-4
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13(r#"<EmployeeQueryRq><ActiveStatus kind="x">All</ActiveStatus></EmployeeQueryRq>"#),
        "an attribute on ActiveStatus",
    );
    assert_parse_error(
        &mut company,
        &rq13("<CustomerQueryRq><MaxReturned><n>5</n></MaxReturned></CustomerQueryRq>"),
        "an element inside MaxReturned",
    );
}

#[test]
fn a_document_without_its_qbxml_version_is_a_parse_error() {
    // contract: QBD-VER-1
    let mut company = company();
    let request = format!(
        r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">{EMPLOYEES_ALL}</QBXMLMsgsRq></QBXML>"#
    );
    assert_parse_error(&mut company, &request, "no <?qbxml version?>");
    let nameless = request.replace("<QBXML>", "<?qbxml release=\"13.0\"?><QBXML>");
    assert_parse_error(&mut company, &nameless, "a qbxml PI without version");
}

#[test]
fn a_version_this_quickbooks_does_not_offer_is_a_parse_error() {
    // contract: QBD-VER-2
    let mut company = Company::generate(&CompanySpec {
        edition: Edition::up_to("QuickBooks Pro 2014", "US", (13, 0)),
        ..CompanySpec::default()
    });
    assert_parse_error(
        &mut company,
        &doc("14.0", EMPLOYEES_ALL),
        "14.0 is newer than this QuickBooks",
    );
    assert_parse_error(
        &mut company,
        &doc("13.5", EMPLOYEES_ALL),
        "13.5 is no version it lists",
    );
    let answer = answered(&mut company, &doc("13.0", EMPLOYEES_ALL));
    assert_eq!(status(&answer, "EmployeeQueryRs").as_deref(), Some("0"));
    answered(&mut company, &doc("8.0", EMPLOYEES_ALL));
}

#[test]
fn iterators_are_unknown_before_qbxml_5() {
    // contract: QBD-VER-3
    let mut company = company();
    let request = |version: &str| {
        doc(
            version,
            r#"<CustomerQueryRq iterator="Start"><MaxReturned>2</MaxReturned></CustomerQueryRq>"#,
        )
    };
    assert_parse_error(&mut company, &request("4.0"), "no iterator in qbXML 4.0");
    let answer = answered(&mut company, &request("5.0"));
    assert!(
        attribute(&answer, "CustomerQueryRs", "iteratorID").is_some(),
        "5.0 iterates: {answer}"
    );
}

#[test]
fn the_company_query_takes_no_iterator_and_no_filter() {
    // contract: QBD-CO-1
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13(r#"<CompanyQueryRq requestID="1" iterator="Start"/>"#),
        "CompanyQueryRqType has only requestID",
    );
    assert_parse_error(
        &mut company,
        &rq13(r#"<CompanyQueryRq metaData="NoMetaData"/>"#),
        "no metaData on CompanyQueryRq",
    );
    assert_parse_error(
        &mut company,
        &rq13("<CompanyQueryRq><MaxReturned>1</MaxReturned></CompanyQueryRq>"),
        "group CompanyQuery has no MaxReturned",
    );
    let answer = answered(&mut company, &rq13(r#"<CompanyQueryRq requestID="1"/>"#));
    assert!(
        answer.contains("<CompanyName>Lakeside Builders LLC</CompanyName>"),
        "{answer}"
    );
}

#[test]
fn the_host_query_takes_no_list_filter() {
    // contract: QBD-HOST-1
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13("<HostQueryRq><ActiveStatus>All</ActiveStatus></HostQueryRq>"),
        "group HostQuery has no ActiveStatus",
    );
    let answer = answered(&mut company, &rq13(r#"<HostQueryRq requestID="1"/>"#));
    assert!(
        answer.contains("<SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>"),
        "lists the versions it reads: {answer}"
    );
}

#[test]
fn an_employee_query_with_an_iterator_is_a_parse_error() {
    // contract: QBD-EMP-1, QBD-ITER-1
    let mut company = company();
    for iterator in [
        r#"iterator="Start""#,
        r#"iterator="Continue" iteratorID="{1}""#,
        r#"iteratorID="{1}""#,
    ] {
        assert_parse_error(
            &mut company,
            &rq13(&format!(
                r#"<EmployeeQueryRq requestID="2" {iterator}><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus></EmployeeQueryRq>"#
            )),
            "EmployeeQueryRqType has only requestID and metaData",
        );
    }
    let answer = answered(&mut company, &rq13(EMPLOYEES_ALL));
    assert_eq!(
        answer.matches("<EmployeeRet>").count(),
        5,
        "every employee in one answer"
    );
}

#[test]
fn a_payroll_item_query_with_an_iterator_is_a_parse_error() {
    // contract: QBD-WAGE-1, QBD-ITER-1
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13(
            r#"<PayrollItemWageQueryRq requestID="5" iterator="Start"><MaxReturned>5</MaxReturned></PayrollItemWageQueryRq>"#,
        ),
        "PayrollItemWageQueryRqType has no iterator",
    );
    let answer = answered(
        &mut company,
        &rq13(
            r#"<PayrollItemWageQueryRq requestID="5"><ActiveStatus>All</ActiveStatus></PayrollItemWageQueryRq>"#,
        ),
    );
    assert_eq!(answer.matches("<PayrollItemWageRet>").count(), 5);
}

#[test]
fn meta_data_has_three_values_and_a_request_id_fifty_characters() {
    // contract: QBD-ATTR-1
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13(r#"<EmployeeQueryRq metaData="Everything"/>"#),
        "metaData is an enumeration",
    );
    let long = "r".repeat(51);
    let answer = answered(
        &mut company,
        &rq13(&format!(r#"<EmployeeQueryRq requestID="{long}"/>"#)),
    );
    assert_eq!(
        status(&answer, "EmployeeQueryRs").as_deref(),
        Some("1060"),
        "a request id over 50 characters: {answer}"
    );
}

#[test]
fn list_query_elements_come_in_the_schemas_order() {
    // contract: QBD-LIST-1
    let mut company = company();
    let cases = [
        (
            "<EmployeeQueryRq><ActiveStatus>All</ActiveStatus><MaxReturned>5</MaxReturned></EmployeeQueryRq>",
            "ActiveStatus after MaxReturned",
        ),
        (
            "<EmployeeQueryRq><MaxReturned>5</MaxReturned><MaxReturned>6</MaxReturned></EmployeeQueryRq>",
            "MaxReturned once",
        ),
        (
            "<EmployeeQueryRq><Limit>5</Limit></EmployeeQueryRq>",
            "an element the schema does not have",
        ),
        (
            "<EmployeeQueryRq><ListID>80000001-1</ListID><MaxReturned>5</MaxReturned></EmployeeQueryRq>",
            "ListID and the filter are alternatives",
        ),
        (
            "<PayrollItemWageQueryRq><OwnerID>0</OwnerID></PayrollItemWageQueryRq>",
            "group ListQuery has no OwnerID",
        ),
        (
            "<EmployeeQueryRq><ClassFilter/></EmployeeQueryRq>",
            "ClassFilter belongs to ItemService and Customer queries",
        ),
        (
            "<CustomerQueryRq><ClassFilter/><TotalBalanceFilter/></CustomerQueryRq>",
            "CustomerListFilter: TotalBalanceFilter before ClassFilter",
        ),
    ];
    for (body, why) in cases {
        assert_parse_error(&mut company, &rq13(body), why);
    }
}

#[test]
fn max_returned_is_a_whole_number_from_one() {
    // contract: QBD-LIST-2
    let mut company = company();
    for value in ["0", "-3", "ten", "2.5", "3000000000", ""] {
        assert_parse_error(
            &mut company,
            &rq13(&format!(
                "<EmployeeQueryRq><MaxReturned>{value}</MaxReturned></EmployeeQueryRq>"
            )),
            &format!("MaxReturned “{value}”"),
        );
    }
    let answer = answered(
        &mut company,
        &rq13("<EmployeeQueryRq><MaxReturned>2</MaxReturned></EmployeeQueryRq>"),
    );
    assert_eq!(
        answer.matches("<EmployeeRet>").count(),
        2,
        "at most MaxReturned"
    );
}

#[test]
fn active_status_has_three_values_and_leaves_inactive_records_out_by_default() {
    // contract: QBD-LIST-3
    let mut company = company();
    for value in ["Both", "all", " All"] {
        assert_parse_error(
            &mut company,
            &rq13(&format!(
                "<EmployeeQueryRq><ActiveStatus>{value}</ActiveStatus></EmployeeQueryRq>"
            )),
            &format!("ActiveStatus “{value}”"),
        );
    }
    let id = company.employees[0]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert!(company.edit(&id, "IsActive", "false"));
    let default = answered(&mut company, &rq13("<EmployeeQueryRq/>"));
    assert_eq!(
        default.matches("<EmployeeRet>").count(),
        4,
        "ActiveOnly by default"
    );
    let all = answered(&mut company, &rq13(EMPLOYEES_ALL));
    assert_eq!(all.matches("<EmployeeRet>").count(), 5, "All reads it too");
    let inactive = answered(
        &mut company,
        &rq13("<EmployeeQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></EmployeeQueryRq>"),
    );
    assert_eq!(inactive.matches("<EmployeeRet>").count(), 1);
}

#[test]
fn an_iterator_is_started_continued_or_stopped() {
    // contract: QBD-ITER-2
    let mut company = company();
    assert_parse_error(
        &mut company,
        &customers(r#"iterator="Next""#, 2),
        "Next is not an iterator value",
    );
}

#[test]
fn an_iterator_id_that_is_not_valid_is_answered_3391() {
    // contract: QBD-ITER-3
    let mut company = company();
    let invalid = |company: &mut Company, request: &str, why: &str| {
        let answer = answered(company, request);
        let rs = if request.contains("ItemService") {
            "ItemServiceQueryRs"
        } else {
            "CustomerQueryRs"
        };
        assert_eq!(
            status(&answer, rs).as_deref(),
            Some("3391"),
            "{why}: {answer}"
        );
        assert_eq!(
            attribute(&answer, rs, "statusSeverity").as_deref(),
            Some("Error")
        );
        let message = attribute(&answer, rs, "statusMessage").unwrap_or_default();
        assert!(
            message.starts_with("The iteratorID \"{") && message.ends_with("\" is not valid."),
            "QuickBooks' words: {message}"
        );
    };
    let continue_with =
        |id: &str| customers(&format!(r#"iterator="Continue" iteratorID="{id}""#), 2);
    invalid(
        &mut company,
        &continue_with("{00000000-0000-0000-0000-000000000000}"),
        "an id QuickBooks never gave",
    );

    let first = answered(&mut company, &customers(r#"iterator="Start""#, 5));
    let id = attribute(&first, "CustomerQueryRs", "iteratorID").expect("an iterator id");
    let items = rq13(&format!(
        r#"<ItemServiceQueryRq iterator="Continue" iteratorID="{id}"><MaxReturned>2</MaxReturned></ItemServiceQueryRq>"#
    ));
    invalid(&mut company, &items, "the id of another query's iterator");
    let last = answered(&mut company, &continue_with(&id));
    assert_eq!(
        attribute(&last, "CustomerQueryRs", "iteratorRemainingCount").as_deref(),
        Some("2"),
        "9 customers and jobs: 5, 2, 2"
    );
    answered(&mut company, &continue_with(&id));
    invalid(&mut company, &continue_with(&id), "an iterator that ended");

    let first = answered(&mut company, &customers(r#"iterator="Start""#, 2));
    let id = attribute(&first, "CustomerQueryRs", "iteratorID").expect("an iterator id");
    company.end_session();
    invalid(
        &mut company,
        &continue_with(&id),
        "an iterator of an earlier session",
    );

    let first = answered(&mut company, &customers(r#"iterator="Start""#, 2));
    let id = attribute(&first, "CustomerQueryRs", "iteratorID").expect("an iterator id");
    answered(
        &mut company,
        &customers(&format!(r#"iterator="Stop" iteratorID="{id}""#), 2),
    );
    invalid(&mut company, &continue_with(&id), "a stopped iterator");
}

#[test]
fn an_iterator_pages_through_the_list_until_nothing_remains() {
    // contract: QBD-ITER-4
    let mut company = company();
    let first = answered(&mut company, &customers(r#"iterator="Start""#, 4));
    assert_eq!(
        first.matches("<CustomerRet>").count(),
        4,
        "MaxReturned a page"
    );
    assert_eq!(
        attribute(&first, "CustomerQueryRs", "iteratorRemainingCount").as_deref(),
        Some("5")
    );
    let id = attribute(&first, "CustomerQueryRs", "iteratorID").expect("an iterator id");
    let second = answered(
        &mut company,
        &customers(&format!(r#"iterator="Continue" iteratorID="{id}""#), 10),
    );
    assert_eq!(second.matches("<CustomerRet>").count(), 5);
    assert_eq!(
        attribute(&second, "CustomerQueryRs", "iteratorRemainingCount").as_deref(),
        Some("0"),
        "the rest came in the second page"
    );
    assert_eq!(
        attribute(&second, "CustomerQueryRs", "iteratorID").as_deref(),
        Some(id.as_str()),
        "the same iterator"
    );
    let mut empty = Company::generate(&CompanySpec {
        service_items: 0,
        ..CompanySpec::default()
    });
    let none = answered(
        &mut empty,
        &rq13(
            r#"<ItemServiceQueryRq iterator="Start"><MaxReturned>10</MaxReturned></ItemServiceQueryRq>"#,
        ),
    );
    assert_eq!(status(&none, "ItemServiceQueryRs").as_deref(), Some("1"));
    assert_eq!(
        attribute(&none, "ItemServiceQueryRs", "iteratorRemainingCount").as_deref(),
        Some("0")
    );
}

#[test]
fn an_edition_outside_the_us_offers_no_iterator() {
    // contract: QBD-ITER-5
    let mut company = Company::generate(&CompanySpec {
        edition: Edition::up_to("QuickBooks Premier 2024 (Canada)", "CA", (16, 0)),
        ..CompanySpec::default()
    });
    assert_parse_error(
        &mut company,
        &customers(r#"iterator="Start""#, 2),
        "no iterators in Canada",
    );
    let whole = answered(
        &mut company,
        &rq13("<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>"),
    );
    assert_eq!(whole.matches("<CustomerRet>").count(), 9, "read whole");
}

#[test]
fn only_customer_and_service_item_answers_carry_iterator_attributes() {
    // contract: QBD-RS-1
    let mut company = company();
    let answer = answered(&mut company, &rq13(EMPLOYEES_ALL));
    assert_eq!(
        attribute(&answer, "EmployeeQueryRs", "requestID").as_deref(),
        Some("2"),
        "the request's id comes back"
    );
    assert_eq!(
        attribute(&answer, "EmployeeQueryRs", "statusSeverity").as_deref(),
        Some("Info")
    );
    for name in ["iteratorID", "iteratorRemainingCount"] {
        assert_eq!(
            attribute(&answer, "EmployeeQueryRs", name),
            None,
            "EmployeeQueryRsType has no {name}"
        );
    }
    let nameless = answered(&mut company, &rq13("<EmployeeQueryRq/>"));
    assert_eq!(
        attribute(&nameless, "EmployeeQueryRs", "requestID"),
        None,
        "no requestID asked, none answered"
    );
}

#[test]
fn record_fields_come_in_the_schemas_order() {
    // contract: QBD-RS-2
    let mut company = company();
    for (list, request) in [
        (List::Employees, EMPLOYEES_ALL.to_owned()),
        (
            List::Customers,
            "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>".to_owned(),
        ),
        (List::ServiceItems, "<ItemServiceQueryRq/>".to_owned()),
        (
            List::PayrollWageItems,
            "<PayrollItemWageQueryRq/>".to_owned(),
        ),
    ] {
        let answer = answered(&mut company, &rq13(&request));
        let doc = roxmltree::Document::parse(&answer).expect("well-formed");
        let order: Vec<&str> = answer::shape(list).iter().map(|f| f.name).collect();
        for ret in doc.descendants().filter(|n| n.has_tag_name(list.ret())) {
            let positions: Vec<usize> = ret
                .children()
                .filter(|c| c.is_element())
                .map(|c| {
                    order
                        .iter()
                        .position(|n| *n == c.tag_name().name())
                        .expect("every field is one of the schema's")
                })
                .collect();
            assert!(
                positions.windows(2).all(|w| w[0] < w[1]),
                "{} fields in the schema's order: {positions:?}",
                list.ret()
            );
            assert_eq!(
                ret.children()
                    .find(|c| c.is_element())
                    .map(|c| c.tag_name().name()),
                Some("ListID"),
                "ListCore comes first"
            );
        }
        for record in company.list(list) {
            assert_eq!(
                answer::unwritten(record, answer::shape(list)),
                Vec::<String>::new(),
                "every field of a generated {} is written",
                list.ret()
            );
        }
    }
    assert!(
        !company.edit("80000001-1700000000", "FavouriteColour", "blue"),
        "a field no Ret has cannot be set"
    );
}

#[test]
fn a_query_that_matches_nothing_answers_status_1() {
    // contract: QBD-RS-3
    let mut company = Company::generate(&CompanySpec {
        employees: 0,
        ..CompanySpec::default()
    });
    let answer = answered(&mut company, &rq13(EMPLOYEES_ALL));
    assert_eq!(status(&answer, "EmployeeQueryRs").as_deref(), Some("1"));
    assert_eq!(
        attribute(&answer, "EmployeeQueryRs", "statusMessage").as_deref(),
        Some("A query request did not find a matching object in QuickBooks")
    );
    assert!(!answer.contains("<EmployeeRet>"));
}

#[test]
fn payroll_items_of_a_company_without_payroll_are_answered_3250() {
    // contract: QBD-STAT-1
    let mut company = Company::generate(&CompanySpec {
        payroll: false,
        ..CompanySpec::default()
    });
    let answer = answered(&mut company, &rq13("<PayrollItemWageQueryRq/>"));
    assert_eq!(
        status(&answer, "PayrollItemWageQueryRs").as_deref(),
        Some("3250")
    );
    assert_eq!(
        attribute(&answer, "PayrollItemWageQueryRs", "statusMessage").as_deref(),
        Some("This feature is not enabled or not available in this version of QuickBooks.")
    );
    let employees = answered(&mut company, &rq13(EMPLOYEES_ALL));
    assert_eq!(
        status(&employees, "EmployeeQueryRs").as_deref(),
        Some("0"),
        "the other lists are still read"
    );
    assert!(
        !employees.contains("EmployeePayrollInfo"),
        "no payroll, no pay details"
    );
}

#[test]
fn a_list_the_user_may_not_see_is_answered_3260() {
    // contract: QBD-STAT-2
    let mut company = company();
    company.denied.push(List::Customers);
    let answer = answered(&mut company, &customers(r#"iterator="Start""#, 100));
    assert_eq!(status(&answer, "CustomerQueryRs").as_deref(), Some("3260"));
    assert_eq!(
        attribute(&answer, "CustomerQueryRs", "statusMessage").as_deref(),
        Some("Insufficient permission level to perform this action.")
    );
}

#[test]
fn stop_on_error_leaves_later_requests_unanswered() {
    let mut company = Company::generate(&CompanySpec {
        payroll: false,
        ..CompanySpec::default()
    });
    let body = format!("<PayrollItemWageQueryRq/>{EMPLOYEES_ALL}");
    let stopped = answered(&mut company, &rq13(&body));
    assert!(
        !stopped.contains("EmployeeQueryRs"),
        "stopOnError stops at the 3250: {stopped}"
    );
    let going_on = rq13(&body).replace("stopOnError", "continueOnError");
    let answer = answered(&mut company, &going_on);
    assert!(
        answer.contains("EmployeeQueryRs"),
        "continueOnError goes on"
    );
}

#[test]
fn a_valid_criterion_the_emulator_does_not_emulate_is_refused_not_ignored() {
    let mut company = company();
    for body in [
        "<EmployeeQueryRq><ListID>80000001-1</ListID></EmployeeQueryRq>",
        "<EmployeeQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>M</Name></NameFilter></EmployeeQueryRq>",
        "<CustomerQueryRq><FromModifiedDate>2026-01-01T00:00:00</FromModifiedDate></CustomerQueryRq>",
        r#"<ItemServiceQueryRq metaData="MetaDataOnly"/>"#,
        "<CompanyQueryRq><OwnerID>0</OwnerID></CompanyQueryRq>",
    ] {
        let (hresult, message) = company
            .answer(&rq13(body))
            .expect_err("answering the whole list instead would hide a bug");
        assert_eq!(hresult, "0x80040402", "{body}");
        assert!(message.contains("does not emulate"), "{message}");
    }
}
