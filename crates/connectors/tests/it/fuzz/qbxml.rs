//! qbXML answers (QuickBooks' side of the Web Connector): the answer
//! reader, a sync session taking an answer, the time-tracking query
//! answers, `HostQueryRs` versions, `Duration`s and the notes' markers.
//! Seeds: every answer the emulated company file gives a whole session.

use proptest::prelude::*;
use timebridge_connectors::quickbooks_desktop::qbxml::{self, List};
use timebridge_connectors::quickbooks_desktop::session::{Offer, Session};
use timebridge_connectors::quickbooks_desktop::time_tracking::{
    self as tt, Marker, TimeTracking, answers,
};
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec};

use super::{assert_refusal, config, text_input, timed};

pub const XML: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<QBXML>",
    "</QBXML>",
    "<QBXMLMsgsRs>",
    "</QBXMLMsgsRs>",
    "<EmployeeRet>",
    "</EmployeeRet>",
    "<TimeTrackingRet>",
    "<E><E><E><E><E><E><E><E>",
    " statusCode=\"0\"",
    " statusCode=\"x\"",
    " statusCode=\"99999999999999999999\"",
    " iteratorRemainingCount=\"18446744073709551615\"",
    " iteratorID=\"\"",
    " requestID=\"1\"",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x10FFFF;",
    "&#xD800;",
    "&unknown;",
    "<![CDATA[",
    "]]>",
    "<!-- ",
    " -->",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "<!DOCTYPE QBXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>",
    "<?qbxml version=\"13.0\"?>",
    " xmlns:q=\"urn:q\"",
    "<q:QBXML>",
    "<Duration>PT-9223372036854775808S</Duration>",
    "-PT-9223372036854775808S",
    "PT9223372036854775807H",
    "<TxnDate>2026-13-45</TxnDate>",
    "<Notes>[TB:1-2]</Notes>",
    "[TB:",
    "[TB:9223372036854775807-9223372036854775807]",
    "<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion>",
    "<SupportedQBXMLVersion>99999999999.1</SupportedQBXMLVersion>",
];

/// Every answer of a whole session against a small emulated company, and
/// its `HostQueryRs`, as seeds.
pub fn answers_seeds() -> Vec<Vec<u8>> {
    let mut company = Company::generate(&CompanySpec {
        employees: 3,
        customers: 2,
        jobs_per_customer: 2,
        service_items: 3,
        ..CompanySpec::default()
    });
    let hcp = company.hcp_response();
    crate::qbxml_schema::session_requests(&mut company);
    let mut seeds: Vec<Vec<u8>> = company.responses.iter().map(|r| r.clone().into()).collect();
    seeds.push(hcp.into());
    seeds.push(time_answer().into());
    seeds
}

fn time_answer() -> String {
    r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><TimeTrackingQueryRs requestID="q1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><TimeTrackingRet><TxnID>T-1</TxnID><EditSequence>2</EditSequence><TxnDate>2026-11-03</TxnDate><EntityRef><ListID>80000001-1</ListID><FullName>Ana Ortiz</FullName></EntityRef><CustomerRef><FullName>Maple:Court</FullName></CustomerRef><ItemServiceRef><FullName>Mowing</FullName></ItemServiceRef><Duration>PT8H30M0S</Duration><PayrollItemWageRef><FullName>Regular</FullName></PayrollItemWageRef><Notes>front lawn [TB:42-1]</Notes><BillableStatus>NotBillable</BillableStatus></TimeTrackingRet></TimeTrackingQueryRs></QBXMLMsgsRs></QBXML>"#.into()
}

/// A session that has sent its first request and waits for the answer.
fn waiting_session() -> Session {
    let mut session = Session::new(&List::ALL);
    session
        .offered(&Offer {
            country: "US",
            major: 13,
            minor: 0,
            hcp_response: "",
        })
        .expect("13.0 is read");
    session.next_request().expect("a first request");
    session
}

proptest! {
    #![proptest_config(config("qbxml_answers", 1))]

    #[test]
    fn any_answer_is_read_or_refused_in_words(text in text_input(answers_seeds(), XML)) {
        match timed("qbxml::parse", || qbxml::parse(&text)) {
            Ok(responses) => {
                let records: usize = responses.iter().map(|r| r.records.len()).sum();
                prop_assert!(
                    responses.len() + records <= text.len(),
                    "every response and record takes some of the input's bytes"
                );
            }
            Err(why) => assert_refusal(&why, &[]),
        }
    }

    #[test]
    fn a_session_takes_any_answer_without_panicking(text in text_input(answers_seeds(), XML)) {
        let mut session = waiting_session();
        match timed("Session::receive", || session.receive(&text)) {
            Ok(percent) => prop_assert!((0..=100).contains(&percent), "a percentage: {percent}"),
            Err(why) => assert_refusal(&why, &[]),
        }
    }

    #[test]
    fn any_time_query_answer_is_read_or_refused_in_words(text in text_input(answers_seeds(), XML)) {
        match timed("read_found", || answers::read_found(&text)) {
            Ok(found) => {
                prop_assert!(found.len() <= text.len(), "no more transactions than bytes");
                for t in &found {
                    let _ = (t.marker(), tt::admin_notes(t.notes.as_deref().unwrap_or_default()));
                }
            }
            Err(why) => assert_refusal(&why, &[]),
        }
    }

    #[test]
    fn any_hcp_response_lists_versions_or_none(text in text_input(answers_seeds(), XML)) {
        if let Some(versions) = timed("listed_versions", || qbxml::listed_versions(&text)) {
            prop_assert!(!versions.is_empty(), "Some means at least one version");
        }
    }

    #[test]
    fn any_duration_reads_or_is_none(text in text_input(vec![b"PT8H30M0S".to_vec(), b"-PT45M".to_vec()], XML)) {
        if let Some(seconds) = tt::parse_duration(&text) {
            prop_assert!(
                text.contains("PT") || seconds == 0,
                "only a PT… duration reads as seconds: {seconds}"
            );
        }
    }

    #[test]
    fn any_notes_give_their_marker_quickly(text in text_input(vec![b"front lawn [TB:42-1]".to_vec()], XML)) {
        let marker = timed("Marker::find", || Marker::find(&text));
        let kept = timed("admin_notes", || tt::admin_notes(&text));
        prop_assert!(kept.len() <= text.len(), "the notes lose their markers, never grow");
        if let Some(marker) = marker {
            prop_assert!(text.contains("[TB:"), "a marker found is in the notes: {marker}");
        }
    }
}

/// A transaction with `duration`, as QuickBooks would answer it.
fn with_duration(duration: &str) -> Option<TimeTracking> {
    TimeTracking::from_json(&serde_json::json!({"TxnID": "T-1", "Duration": duration}))
}

#[test]
fn the_most_negative_duration_is_not_read() {
    // Found writing this target: `-` times i64::MIN seconds overflowed
    // (a panic in a debug build, a wrong sign in a release one).
    assert_eq!(
        tt::parse_duration("-PT-9223372036854775808S"),
        None,
        "a duration out of range is not a duration"
    );
    assert_eq!(
        with_duration("-PT-9223372036854775808S").and_then(|t| t.seconds),
        None,
        "the transaction is read without a duration"
    );
}

#[test]
fn notes_full_of_unfinished_markers_are_read_quickly() {
    let notes = format!("{}]", "[TB:".repeat(60_000));
    let kept = timed("admin_notes", || tt::admin_notes(&notes));
    assert_eq!(
        kept, notes,
        "no marker is well-formed, so the notes stay whole"
    );
}

#[test]
fn an_answer_nested_beyond_any_qbxml_depth_is_refused_not_overflowed() {
    // Found writing this target: each `…Ret` is read into JSON
    // recursively, so a record nested a hundred thousand deep overflowed
    // the stack (an abort, not even a panic).
    let depth = 100_000;
    let answer = format!(
        r#"<QBXML><QBXMLMsgsRs><EmployeeQueryRs statusCode="0"><EmployeeRet>{}{}</EmployeeRet></EmployeeQueryRs></QBXMLMsgsRs></QBXML>"#,
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let why = match qbxml::parse(&answer) {
        Ok(_) => panic!("a record nested {depth} deep is read"),
        Err(why) => why,
    };
    assert!(
        why.contains("nested"),
        "the refusal says the elements nest too deeply: {why}"
    );
}
