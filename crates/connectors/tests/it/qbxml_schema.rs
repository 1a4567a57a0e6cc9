//! Every qbXML request the QuickBooks Desktop connector builds and every
//! answer the emulated company file gives, validated with `xmllint`
//! against Intuit's qbXML schema (13.0, and 12.0 for the versions it
//! covers), read from `../shared/vendor/` beside the workspace. Skipped,
//! with a note, where that folder or `xmllint` is missing.

use timebridge_connectors::quickbooks_desktop::qbxml::{self, Iterator, List, Request};
use timebridge_connectors::quickbooks_desktop::session::{Offer, Session};
use timebridge_connectors::quickbooks_desktop::time_tracking as tt;
use timebridge_connectors::quickbooks_desktop::time_tracking::requests::{
    TimeChange, batches, queries,
};
use timebridge_emulators::quickbooks_desktop::schema::{Validator, Verdict};
use timebridge_emulators::quickbooks_desktop::{self as emulated, Company, CompanySpec, Edition};

fn validator() -> Option<Validator> {
    match Validator::find() {
        Ok(validator) => Some(validator),
        Err(why) => {
            eprintln!("SKIPPED: the qbXML schema tests need Intuit's schema and xmllint: {why}");
            None
        }
    }
}

/// Validates the documents against `xsd`, failing with every one that
/// does not validate.
#[track_caller]
fn assert_valid(validator: &Validator, xsd: &std::path::Path, documents: &[(String, String)]) {
    assert!(!documents.is_empty(), "there is something to validate");
    let dir = tempfile::tempdir().expect("a temp folder");
    if let Err(report) = validator.check(xsd, dir.path(), documents) {
        panic!("{report}");
    }
}

fn named(prefix: &str, texts: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("{prefix}-{i:03}.xml"), text))
        .collect()
}

/// Every request shape the connector can write: each list in each
/// iterator state it uses, and the company query, in `version`.
fn rendered(version: (u32, u32)) -> Vec<String> {
    let mut out = vec![qbxml::render(&Request::Company, 1, version)];
    for list in List::ALL {
        out.push(qbxml::render(
            &Request::List {
                list,
                iterator: Iterator::None,
            },
            2,
            version,
        ));
        if list.iterates() {
            for iterator in [
                Iterator::Start,
                Iterator::Continue("{eb05f701-e727-472f-8ade-6753c4f67a46}".into()),
            ] {
                out.push(qbxml::render(&Request::List { list, iterator }, 3, version));
            }
        }
    }
    out
}

/// Runs a whole session against `company`; the requests it sent.
pub(crate) fn session_requests(company: &mut Company) -> Vec<String> {
    let mut session = Session::new(&List::ALL);
    let hcp = company.hcp_response();
    let (country, (major, minor)) = (company.edition.country.clone(), company.edition.newest());
    for call in 0..10_000 {
        session
            .offered(&Offer {
                country: &country,
                major,
                minor,
                hcp_response: if call == 0 { &hcp } else { "" },
            })
            .expect("QuickBooks is new enough");
        let Some(request) = session.next_request() else {
            break;
        };
        let answer = company.answer(&request).expect("the emulator reads it");
        if session.receive(&answer).expect("the connector reads it") == 100 {
            break;
        }
    }
    company.requests.clone()
}

fn big_company(edition: Edition) -> Company {
    Company::generate(&CompanySpec {
        employees: 120,
        customers: 40,
        jobs_per_customer: 4,
        service_items: 130,
        edition,
        ..CompanySpec::default()
    })
}

#[test]
fn the_validator_accepts_intuits_samples_and_refuses_a_broken_document() {
    let Some(validator) = validator() else {
        return;
    };
    let samples = [
        "qbwc-qbxml_customer_query_rs.xml",
        "qbwc-qbxml_customer_query_iterator_rs.xml",
        "jsgoupil_employee_query_rs.xml",
    ]
    .map(|name| validator.sample(name));
    let verdicts = validator
        .validate_files(&validator.qbxml13(), &samples)
        .expect("xmllint runs");
    let valid = |verdict: &Verdict| verdict.errors.is_none();
    assert!(
        valid(&verdicts[0]) && valid(&verdicts[1]),
        "real CustomerQueryRs answers (one an iterator page) validate: {verdicts:?}"
    );
    assert!(
        !valid(&verdicts[2]),
        "an EmployeeRet of a newer QuickBooks (IsCoveredByQualifiedPensionPlan) does not"
    );
    let broken = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><EmployeeQueryRq requestID="2" iterator="Start"><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus></EmployeeQueryRq></QBXMLMsgsRq></QBXML>"#;
    let dir = tempfile::tempdir().expect("a temp folder");
    let verdict = validator
        .validate(
            &validator.qbxml13(),
            dir.path(),
            &[("employee-iterator.xml".into(), broken.into())],
        )
        .expect("xmllint runs");
    let errors = verdict[0].errors.clone().unwrap_or_default();
    assert!(
        errors.contains("iterator"),
        "the request Timebridge used to send is refused for its iterator: {errors}"
    );
}

#[test]
fn every_request_the_connector_builds_is_valid_qbxml() {
    let Some(validator) = validator() else {
        return;
    };
    let mut all = Vec::new();
    for version in qbxml::SUPPORTED {
        all.extend(rendered(version));
    }
    for edition in [
        Edition::default(),
        Edition::up_to("QuickBooks Pro 2012", "US", (11, 0)),
        Edition::up_to("QuickBooks Pro 2009", "US", (8, 0)),
        Edition::up_to("QuickBooks Premier 2024 (Canada)", "CA", (16, 0)),
    ] {
        all.extend(session_requests(&mut big_company(edition)));
    }
    assert_valid(&validator, &validator.qbxml13(), &named("rq", all.clone()));
    // qbXML 12.0 and older are checked against the 12.0 schema too.
    let older: Vec<String> = all
        .into_iter()
        .filter(|r| {
            qbxml::SUPPORTED
                .iter()
                .filter(|v| **v <= (12, 0))
                .any(|(major, minor)| r.contains(&format!("<?qbxml version=\"{major}.{minor}\"?>")))
        })
        .collect();
    assert_valid(&validator, &validator.qbxml12(), &named("rq12", older));
}

/// A request document of 13.0 holding `body`.
fn rq(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">{body}</QBXMLMsgsRq></QBXML>"#
    )
}

fn ask(answers: &mut Vec<String>, company: &mut Company, body: &str) {
    answers.push(company.answer(&rq(body)).expect("answered"));
}

#[test]
fn every_answer_the_emulator_gives_is_valid_qbxml() {
    // contract: QBD-RS-1, QBD-RS-2
    let Some(validator) = validator() else {
        return;
    };
    let mut answers = Vec::new();
    // Each list, whole and through iterator pages, as the connector reads.
    let mut company = big_company(Edition::default());
    let id = company.employees[3]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    company.edit(&id, "IsActive", "false");
    company.edit(&id, "ReleasedDate", "2026-10-30");
    session_requests(&mut company);
    answers.extend(company.responses.clone());
    answers.push(company.hcp_response());
    ask(
        &mut answers,
        &mut company,
        r#"<HostQueryRq requestID="1"/>"#,
    );
    ask(
        &mut answers,
        &mut company,
        r#"<EmployeeQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></EmployeeQueryRq>"#,
    );
    // An iterator stopped, and one that is not valid (3391).
    let first = company
        .answer(&rq(
            r#"<CustomerQueryRq iterator="Start"><MaxReturned>10</MaxReturned></CustomerQueryRq>"#,
        ))
        .expect("answered");
    let iterator = first
        .split("iteratorID=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an iterator id")
        .to_owned();
    answers.push(first);
    ask(
        &mut answers,
        &mut company,
        &format!(r#"<CustomerQueryRq iterator="Stop" iteratorID="{iterator}"/>"#),
    );
    ask(
        &mut answers,
        &mut company,
        &format!(
            r#"<CustomerQueryRq iterator="Continue" iteratorID="{iterator}"><MaxReturned>10</MaxReturned></CustomerQueryRq>"#
        ),
    );
    // A request id too long (1060).
    ask(
        &mut answers,
        &mut company,
        &format!(r#"<EmployeeQueryRq requestID="{}"/>"#, "r".repeat(60)),
    );
    // Empty lists (1), payroll off (3250), a list denied (3260).
    let mut empty = Company::generate(&CompanySpec {
        employees: 0,
        customers: 0,
        service_items: 0,
        payroll: false,
        ..CompanySpec::default()
    });
    empty.denied.push(emulated::List::Customers);
    for body in [
        r#"<EmployeeQueryRq requestID="2"><ActiveStatus>All</ActiveStatus></EmployeeQueryRq>"#,
        r#"<ItemServiceQueryRq requestID="3" iterator="Start"><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus></ItemServiceQueryRq>"#,
        r#"<ItemServiceQueryRq requestID="4"/>"#,
        r#"<PayrollItemWageQueryRq requestID="5"><ActiveStatus>All</ActiveStatus></PayrollItemWageQueryRq>"#,
        r#"<CustomerQueryRq requestID="6" iterator="Start"><MaxReturned>100</MaxReturned></CustomerQueryRq>"#,
    ] {
        ask(&mut answers, &mut empty, body);
    }
    // A Canadian edition, read whole.
    let mut canadian = big_company(Edition::up_to(
        "QuickBooks Premier 2024 (Canada)",
        "CA",
        (16, 0),
    ));
    session_requests(&mut canadian);
    answers.extend(canadian.responses.clone());
    answers.push(canadian.hcp_response());

    for code in [
        "statusCode=\"1\"",
        "3250",
        "3260",
        "3391",
        "1060",
        "iteratorRemainingCount=\"0\"",
    ] {
        assert!(
            answers.iter().any(|a| a.contains(code)),
            "the answers include {code}"
        );
    }
    assert_valid(&validator, &validator.qbxml13(), &named("rs", answers));
}

#[test]
fn intuits_osr_samples_agree_on_which_queries_take_an_iterator() {
    // The OSR samples are Intuit's placeholders (IDTYPE, ENUMTYPE…), so they
    // are read for their attributes rather than validated.
    let Some(validator) = validator() else {
        return;
    };
    for (file, list) in [
        ("osr130_EmployeeQuery.xml", List::Employees),
        ("osr130_CustomerQuery.xml", List::Customers),
        ("osr130_ItemServiceQuery.xml", List::ServiceItems),
        ("osr130_PayrollItemWageQuery.xml", List::PayrollWageItems),
    ] {
        let text = std::fs::read_to_string(validator.sample(file)).expect("a vendored sample");
        let doc = roxmltree::Document::parse(&text).expect("the sample is XML");
        let attributes = |element: &str| -> Vec<String> {
            doc.descendants()
                .find(|n| n.has_tag_name(element))
                .unwrap_or_else(|| panic!("{file} holds <{element}>"))
                .attributes()
                .map(|a| a.name().to_owned())
                .collect()
        };
        let query = list.query();
        let rq = attributes(&format!("{query}Rq"));
        let rs = attributes(&format!("{query}Rs"));
        assert_eq!(
            rq.contains(&"iterator".to_owned()),
            list.iterates(),
            "{query}Rq takes an iterator in Intuit's sample exactly when the connector iterates it: {rq:?}"
        );
        assert_eq!(
            rs.contains(&"iteratorID".to_owned()),
            list.iterates(),
            "{query}Rs carries iterator attributes exactly then: {rs:?}"
        );
    }
}

/// A line of publication 42 as QuickBooks time, by ListID or by name.
fn time_line(line_no: i64, by_name: bool) -> tt::TimeLine {
    let reference = |id: &str, name: &str| {
        if by_name {
            tt::ListRef::by_name(name)
        } else {
            tt::ListRef::by_id(id, name)
        }
    };
    tt::TimeLine {
        marker: tt::Marker {
            publication_id: 42,
            line_no,
        },
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).expect("a date"),
        employee: reference("80000001-1700000001", "Ana Li"),
        customer_job: Some(reference(
            "80000010-1700000010",
            "Smith & Sons:Deck <North>",
        )),
        service_item: Some(reference("80000020-1700000020", "Framing")),
        seconds: 8 * 3600 + 30 * 60 + 15,
        class: Some(reference("80000040-1700000040", "Field")),
        wage_item: Some(reference("80000030-1700000030", "Regular Pay")),
        notes: Some("North yard \"A\"".into()),
        billable: Some(tt::Billable::NotBillable),
        earlier: Some(tt::TxnRef {
            txn_id: "1A2B-1700000200".into(),
            edit_sequence: "1700000201".into(),
        }),
    }
}

#[test]
fn every_time_request_the_connector_builds_is_valid_qbxml() {
    let Some(validator) = validator() else {
        return;
    };
    let mut all = Vec::new();
    for version in qbxml::SUPPORTED {
        for by_name in [false, true] {
            let line = time_line(1, by_name);
            let mut changed = line.clone();
            changed.seconds = 6 * 3600;
            changed.notes = None;
            changed.customer_job = Some(tt::ListRef::by_name("Other:Job"));
            let current = Box::new(line.as_added(line.earlier.clone().expect("an earlier txn")));
            let changes = vec![
                TimeChange::Add(line.clone()),
                TimeChange::Modify {
                    line: changed,
                    current,
                },
                TimeChange::Delete {
                    line: time_line(2, by_name),
                    txn_id: "1A2B-1700000200".into(),
                },
            ];
            let built = batches(changes, version);
            assert!(built.held_back.is_empty(), "every line fits the schema");
            all.extend(built.batches.into_iter().map(|b| b.document));
            all.extend(queries(&[line]).iter().map(|q| q.render(version)));
        }
    }
    assert_valid(&validator, &validator.qbxml13(), &named("tt", all.clone()));
    let older: Vec<String> = all
        .into_iter()
        .filter(|r| !r.contains("<?qbxml version=\"13.0\"?>"))
        .collect();
    assert_valid(&validator, &validator.qbxml12(), &named("tt12", older));
}
