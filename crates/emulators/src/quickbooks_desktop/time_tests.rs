//! The emulated company file's time tracking refuses what QuickBooks
//! refuses, the way it does: one test per QBD-TT rule of
//! `docs/contracts/quickbooks-desktop.md`, and every answer validated
//! against Intuit's schema.

use chrono::NaiveDate;

use super::tests::{answered, assert_parse_error, attribute, rq13, status};
use super::*;

/// A company with a former employee, a finished customer, a retired item
/// and a salaried sixth employee, closed through 2026-10-31.
fn company() -> Company {
    Company::generate(&CompanySpec {
        employees: 6,
        inactive_employees: 1,
        inactive_customers: 1,
        inactive_service_items: 1,
        closing_date: NaiveDate::from_ymd_opt(2026, 10, 31),
        ..CompanySpec::default()
    })
}

/// A `TimeTrackingAdd` body from its fields, in the schema's order.
fn add(fields: &str) -> String {
    rq13(&format!(
        r#"<TimeTrackingAddRq requestID="7"><TimeTrackingAdd>{fields}</TimeTrackingAdd></TimeTrackingAddRq>"#
    ))
}

const LINE: &str = "<TxnDate>2026-11-03</TxnDate><EntityRef><FullName>Maria Garcia</FullName></EntityRef><CustomerRef><FullName>Harbor View Condos:Phase 1</FullName></CustomerRef><ItemServiceRef><FullName>Framing</FullName></ItemServiceRef><Duration>PT8H30M</Duration><ClassRef><FullName>Residential</FullName></ClassRef><PayrollItemWageRef><FullName>Hourly Rate</FullName></PayrollItemWageRef><Notes>tb:line-1</Notes><BillableStatus>Billable</BillableStatus>";

fn added(company: &mut Company, fields: &str) -> (String, String) {
    let answer = answered(company, &add(fields));
    assert_eq!(
        status(&answer, "TimeTrackingAddRs").as_deref(),
        Some("0"),
        "{answer}"
    );
    let doc = roxmltree::Document::parse(&answer).expect("well-formed");
    let field = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .expect("the answer carries it")
            .to_owned()
    };
    (field("TxnID"), field("EditSequence"))
}

#[track_caller]
fn refused(company: &mut Company, request: &str, rs: &str, code: &str, why: &str) -> String {
    let answer = answered(company, request);
    assert_eq!(
        status(&answer, rs).as_deref(),
        Some(code),
        "{why}: {answer}"
    );
    attribute(&answer, rs, "statusMessage").unwrap_or_default()
}

#[test]
fn a_time_tracking_add_holds_its_elements_in_the_schemas_order() {
    // contract: QBD-TT-1
    let mut company = company();
    for (fields, why) in [
        (
            "<Duration>PT1H</Duration><EntityRef><FullName>Maria Garcia</FullName></EntityRef>",
            "Duration after EntityRef",
        ),
        (
            "<EntityRef><FullName>Maria Garcia</FullName></EntityRef>",
            "Duration is required",
        ),
        ("<Duration>PT1H</Duration>", "EntityRef is required"),
        (
            "<EntityRef><FullName>M</FullName><ListID>1</ListID></EntityRef><Duration>PT1H</Duration>",
            "ListID before FullName",
        ),
        (
            "<EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration><BillableStatus>Yes</BillableStatus>",
            "BillableStatus is an enumeration",
        ),
        (
            "<EntityRef><FullName>Maria Garcia</FullName></EntityRef><Hours>1</Hours>",
            "no such element",
        ),
    ] {
        assert_parse_error(&mut company, &add(fields), why);
    }
    added(&mut company, LINE);
}

#[test]
fn a_reference_must_name_a_record_of_its_list() {
    // contract: QBD-TT-2
    let mut company = company();
    let message = refused(
        &mut company,
        &add(&LINE.replace("Harbor View Condos:Phase 1", "Harbor View Condos:Phase 9")),
        "TimeTrackingAddRs",
        "3140",
        "a job that does not exist",
    );
    assert!(
        message.starts_with(
            "There is an invalid reference to QuickBooks Customer \"Harbor View Condos:Phase 9\""
        ),
        "QuickBooks names the reference: {message}"
    );
    let id = company.employees[0]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    let by_id = LINE.replace(
        "<FullName>Maria Garcia</FullName>",
        &format!("<ListID>{id}</ListID>"),
    );
    added(&mut company, &by_id);
    let mismatched = LINE.replace(
        "<FullName>Maria Garcia</FullName>",
        &format!("<ListID>{id}</ListID><FullName>James O'Neil</FullName>"),
    );
    refused(
        &mut company,
        &add(&mismatched),
        "TimeTrackingAddRs",
        "3140",
        "ListID and FullName name two records",
    );
    assert_eq!(
        company.time_tracking.len(),
        1,
        "a refused add stores nothing"
    );
}

#[test]
fn a_reference_to_an_inactive_record_is_refused() {
    // contract: QBD-TT-3
    let mut company = company();
    for (from, to) in [
        ("Maria Garcia", "Maria Garcia"),
        ("Harbor View Condos:Phase 1", "Old Mill Renovation"),
        ("Framing", "Demolition"),
        ("Residential", "Government"),
    ] {
        let mut line = LINE.replace(from, to);
        if from == "Maria Garcia" {
            let former = company.employees[6]["Name"]
                .as_str()
                .expect("a name")
                .to_owned();
            line = LINE.replace(from, &former);
        }
        let message = refused(
            &mut company,
            &add(&line),
            "TimeTrackingAddRs",
            "3140",
            "an inactive record",
        );
        assert!(
            message.ends_with("is inactive."),
            "QuickBooks says why: {message}"
        );
    }
}

#[test]
fn a_duration_is_an_iso_interval_of_more_than_zero() {
    // contract: QBD-TT-4
    let mut company = company();
    for value in ["8:30", "PT", "P1D", "PT30M8H", "-PT1H", "PT0H0M", "8"] {
        refused(
            &mut company,
            &add(&LINE.replace("PT8H30M", value)),
            "TimeTrackingAddRs",
            "3035",
            &format!("Duration “{value}”"),
        );
    }
    let answer = answered(&mut company, &add(&LINE.replace("PT8H30M", "PT7H90M")));
    assert!(
        answer.contains("<Duration>PT8H30M0S</Duration>"),
        "QuickBooks answers PT#H#M#S: {answer}"
    );
}

#[test]
fn a_txn_date_is_a_calendar_date() {
    // contract: QBD-TT-5
    let mut company = company();
    for value in ["2026-02-30", "11/03/2026", "2026-1-5", "tomorrow"] {
        let message = refused(
            &mut company,
            &add(&LINE.replace("2026-11-03", value)),
            "TimeTrackingAddRs",
            "3020",
            &format!("TxnDate “{value}”"),
        );
        assert_eq!(
            message,
            format!(
                "There was an error when converting the date value \"{value}\" in the field \"TxnDate\"."
            ),
            "QuickBooks' words"
        );
    }
    let undated = LINE.replace("<TxnDate>2026-11-03</TxnDate>", "");
    added(&mut company, &undated);
    assert_eq!(
        company.time_tracking[0]["TxnDate"],
        chrono::Local::now().date_naive().to_string(),
        "no TxnDate is today"
    );
}

#[test]
fn a_payroll_item_needs_an_employee_who_uses_time_data() {
    // contract: QBD-TT-6
    let mut company = company();
    let salaried = company.employees[5]["Name"]
        .as_str()
        .expect("a name")
        .to_owned();
    assert_eq!(
        company.employees[5]["EmployeePayrollInfo"]["UseTimeDataToCreatePaychecks"],
        "DoNotUseTimeData",
        "the sixth generated employee is salaried"
    );
    let line = LINE.replace("Maria Garcia", &salaried);
    let message = refused(
        &mut company,
        &add(&line),
        "TimeTrackingAddRs",
        "3180",
        "no time data for paychecks",
    );
    assert!(
        message.contains("use time data to create paychecks"),
        "{message}"
    );
    let without = line.replace(
        "<PayrollItemWageRef><FullName>Hourly Rate</FullName></PayrollItemWageRef>",
        "",
    );
    added(&mut company, &without);
}

#[test]
fn time_on_or_before_the_closing_date_is_refused() {
    // contract: QBD-TT-7
    let mut company = company();
    let message = refused(
        &mut company,
        &add(&LINE.replace("2026-11-03", "2026-10-31")),
        "TimeTrackingAddRs",
        "3180",
        "dated on the closing date",
    );
    assert!(message.contains("closing date 10/31/2026"), "{message}");
    let (id, sequence) = added(&mut company, LINE);
    let back = format!(
        r#"<TimeTrackingModRq><TimeTrackingMod><TxnID>{id}</TxnID><EditSequence>{sequence}</EditSequence><TxnDate>2026-10-15</TxnDate><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration></TimeTrackingMod></TimeTrackingModRq>"#
    );
    refused(
        &mut company,
        &rq13(&back),
        "TimeTrackingModRs",
        "3170",
        "moved into the closed period",
    );
    let open = Company::generate(&CompanySpec::default());
    assert_eq!(open.closing_date, None, "no closing date by default");
}

#[test]
fn a_time_tracking_mod_needs_its_txn_id_and_edit_sequence() {
    // contract: QBD-TT-8
    let mut company = company();
    for body in [
        "<TimeTrackingMod><EditSequence>1</EditSequence><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration></TimeTrackingMod>",
        "<TimeTrackingMod><TxnID>1</TxnID><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration></TimeTrackingMod>",
        "<TimeTrackingMod><EditSequence>1</EditSequence><TxnID>1</TxnID><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration></TimeTrackingMod>",
        "<TimeTrackingMod><TxnID>1</TxnID><EditSequence>12345678901234567</EditSequence><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>PT1H</Duration></TimeTrackingMod>",
    ] {
        assert_parse_error(
            &mut company,
            &rq13(&format!("<TimeTrackingModRq>{body}</TimeTrackingModRq>")),
            body,
        );
    }
}

fn modify(id: &str, sequence: &str, duration: &str) -> String {
    rq13(&format!(
        r#"<TimeTrackingModRq requestID="8"><TimeTrackingMod><TxnID>{id}</TxnID><EditSequence>{sequence}</EditSequence><EntityRef><FullName>Maria Garcia</FullName></EntityRef><Duration>{duration}</Duration></TimeTrackingMod></TimeTrackingModRq>"#
    ))
}

#[test]
fn a_mod_of_an_unknown_txn_or_at_a_stale_edit_sequence_is_refused() {
    // contract: QBD-TT-9
    let mut company = company();
    refused(
        &mut company,
        &modify("FFFF-1", "1", "PT1H"),
        "TimeTrackingModRs",
        "3120",
        "no such TxnID",
    );
    let (id, first) = added(&mut company, LINE);
    let answer = answered(&mut company, &modify(&id, &first, "PT6H"));
    let second = attribute(&answer, "TimeTrackingModRs", "statusCode");
    assert_eq!(second.as_deref(), Some("0"), "{answer}");
    assert!(
        !answer.contains(&format!("<EditSequence>{first}<")),
        "every mod changes the edit sequence"
    );
    assert!(
        answer.contains("<Notes>tb:line-1</Notes>"),
        "an element left out keeps its value"
    );
    let message = refused(
        &mut company,
        &modify(&id, &first, "PT5H"),
        "TimeTrackingModRs",
        "3200",
        "a stale edit sequence",
    );
    assert_eq!(
        message,
        format!("The provided edit sequence \"{first}\" is out-of-date.")
    );
}

#[test]
fn a_txn_del_names_its_type_then_its_txn_id() {
    // contract: QBD-TT-10
    let mut company = company();
    assert_parse_error(
        &mut company,
        &rq13("<TxnDelRq><TxnID>1</TxnID><TxnDelType>TimeTracking</TxnDelType></TxnDelRq>"),
        "TxnDelType first",
    );
    assert_parse_error(
        &mut company,
        &rq13("<TxnDelRq><TxnDelType>Timesheet</TxnDelType><TxnID>1</TxnID></TxnDelRq>"),
        "TxnDelType is an enumeration",
    );
    assert_parse_error(
        &mut company,
        &rq13("<TxnDelRq><TxnDelType>TimeTracking</TxnDelType></TxnDelRq>"),
        "TxnID is required",
    );
    let (hresult, _) = company
        .answer(&rq13(
            "<TxnDelRq><TxnDelType>Invoice</TxnDelType><TxnID>1</TxnID></TxnDelRq>",
        ))
        .expect_err("deleting another kind is not emulated, not ignored");
    assert_eq!(hresult, "0x80040402");
}

#[test]
fn a_txn_del_removes_the_time_and_an_unknown_txn_id_is_refused() {
    // contract: QBD-TT-11
    let mut company = company();
    let delete = |id: &str| {
        rq13(&format!(
            "<TxnDelRq requestID=\"9\"><TxnDelType>TimeTracking</TxnDelType><TxnID>{id}</TxnID></TxnDelRq>"
        ))
    };
    refused(
        &mut company,
        &delete("FFFF-1"),
        "TxnDelRs",
        "3120",
        "no such TxnID",
    );
    let (id, _) = added(&mut company, LINE);
    let answer = answered(&mut company, &delete(&id));
    assert!(
        answer.contains(&format!(
            "<TxnDelType>TimeTracking</TxnDelType><TxnID>{id}</TxnID><TimeDeleted>"
        )),
        "{answer}"
    );
    assert!(company.time_tracking.is_empty(), "the time is gone");
    refused(
        &mut company,
        &delete(&id),
        "TxnDelRs",
        "3120",
        "deleted twice",
    );
}

#[test]
fn a_time_tracking_query_holds_a_txn_id_list_or_the_filter_in_order() {
    // contract: QBD-TT-12
    let mut company = company();
    for body in [
        "<TxnID>1</TxnID><MaxReturned>5</MaxReturned>",
        "<TimeTrackingEntityFilter><FullName>Maria Garcia</FullName></TimeTrackingEntityFilter><MaxReturned>5</MaxReturned>",
        "<ModifiedDateRangeFilter/><TxnDateRangeFilter/>",
        "<TimeTrackingEntityFilter/>",
        "<MaxReturned>0</MaxReturned>",
    ] {
        assert_parse_error(
            &mut company,
            &rq13(&format!(
                "<TimeTrackingQueryRq>{body}</TimeTrackingQueryRq>"
            )),
            body,
        );
    }
    let (hresult, _) = company
        .answer(&rq13(r#"<TimeTrackingQueryRq iterator="Start"/>"#))
        .expect_err("an iterator is valid but not emulated");
    assert_eq!(hresult, "0x80040402");
}

#[test]
fn a_time_tracking_query_answers_what_its_criteria_match() {
    // contract: QBD-TT-13
    let mut company = company();
    let (first, _) = added(&mut company, LINE);
    added(&mut company, &LINE.replace("2026-11-03", "2026-11-04"));
    added(&mut company, &LINE.replace("Maria Garcia", "James O'Neil"));
    let query = |body: &str| {
        rq13(&format!(
            "<TimeTrackingQueryRq requestID=\"4\">{body}</TimeTrackingQueryRq>"
        ))
    };
    let count = |answer: &str| answer.matches("<TimeTrackingRet>").count();
    let by_id = answered(
        &mut company,
        &query(&format!("<TxnID>{first}</TxnID><TxnID>FFFF-9</TxnID>")),
    );
    assert_eq!(
        (
            status(&by_id, "TimeTrackingQueryRs").as_deref(),
            count(&by_id)
        ),
        (Some("500"), 1),
        "a missing TxnID is a warning: {by_id}"
    );
    let dated = answered(
        &mut company,
        &query(
            "<TxnDateRangeFilter><FromTxnDate>2026-11-04</FromTxnDate><ToTxnDate>2026-11-04</ToTxnDate></TxnDateRangeFilter>",
        ),
    );
    assert_eq!(count(&dated), 1, "From and To are inclusive");
    let whose = answered(
        &mut company,
        &query(
            "<MaxReturned>1</MaxReturned><TimeTrackingEntityFilter><FullName>Maria Garcia</FullName></TimeTrackingEntityFilter>",
        ),
    );
    assert_eq!(count(&whose), 1, "MaxReturned caps Maria's two");
    let later = answered(
        &mut company,
        &query(
            "<ModifiedDateRangeFilter><FromModifiedDate>2999-01-01</FromModifiedDate></ModifiedDateRangeFilter>",
        ),
    );
    assert_eq!(
        status(&later, "TimeTrackingQueryRs").as_deref(),
        Some("1"),
        "nothing matched: {later}"
    );
    let backwards = query(
        "<TxnDateRangeFilter><FromTxnDate>2026-11-05</FromTxnDate><ToTxnDate>2026-11-01</ToTxnDate></TxnDateRangeFilter>",
    );
    refused(
        &mut company,
        &backwards,
        "TimeTrackingQueryRs",
        "3030",
        "From after To",
    );
}

#[test]
fn each_request_gets_its_answer_and_stop_on_error_runs_no_more() {
    // contract: QBD-TT-14
    let mut company = company();
    let bad = format!(
        r#"<TimeTrackingAddRq requestID="1"><TimeTrackingAdd>{}</TimeTrackingAdd></TimeTrackingAddRq>"#,
        LINE.replace("Framing", "Roofing")
    );
    let good = |n: u32| {
        format!(
            r#"<TimeTrackingAddRq requestID="{n}"><TimeTrackingAdd>{LINE}</TimeTrackingAdd></TimeTrackingAddRq>"#
        )
    };
    let body = format!("{}{bad}{}", good(0), good(2));
    let stopped = answered(&mut company, &rq13(&body));
    assert_eq!(
        stopped.matches("<TimeTrackingAddRs").count(),
        2,
        "stopOnError answers up to the error: {stopped}"
    );
    assert_eq!(
        company.time_tracking.len(),
        1,
        "the request after the error is not run"
    );
    let going_on = answered(
        &mut company,
        &rq13(&body).replace("stopOnError", "continueOnError"),
    );
    assert_eq!(
        going_on.matches("<TimeTrackingAddRs").count(),
        3,
        "continueOnError answers each"
    );
    assert_eq!(company.time_tracking.len(), 3, "and runs each");
    let (hresult, _) = company
        .answer(&rq13(&body).replace("stopOnError", "rollbackOnError"))
        .expect_err("rolling back writes is not emulated, not faked");
    assert_eq!(hresult, "0x80040402");
}

#[test]
fn time_tracking_ret_fields_come_in_the_schemas_order() {
    // contract: QBD-TT-15
    let mut company = company();
    let answer = answered(&mut company, &add(LINE));
    let doc = roxmltree::Document::parse(&answer).expect("well-formed");
    let ret = doc
        .descendants()
        .find(|n| n.has_tag_name("TimeTrackingRet"))
        .expect("a TimeTrackingRet");
    let names: Vec<&str> = ret
        .children()
        .filter(|c| c.is_element())
        .map(|c| c.tag_name().name())
        .collect();
    let order: Vec<&str> = time_answer::TIME_TRACKING.iter().map(|f| f.name).collect();
    assert_eq!(names, order, "every field, in TimeTrackingRet's order");
    assert!(
        answer.contains("<EntityRef><ListID>"),
        "references carry ListID and FullName"
    );
}

#[test]
fn every_time_tracking_answer_validates_against_the_qbxml_schema() {
    let validator = match schema::Validator::find() {
        Ok(validator) => validator,
        Err(why) => {
            eprintln!(
                "SKIPPED: the time-tracking schema test needs Intuit's schema and xmllint: {why}"
            );
            return;
        }
    };
    let mut company = company();
    let (id, sequence) = added(&mut company, LINE);
    for request in [
        add(&LINE.replace("Framing", "Roofing")),
        add(&LINE.replace("PT8H30M", "PT0M")),
        modify(&id, &sequence, "PT4H"),
        modify(&id, &sequence, "PT4H"),
        rq13(&format!(
            "<TimeTrackingQueryRq><TxnID>{id}</TxnID><TxnID>FFFF-1</TxnID></TimeTrackingQueryRq>"
        )),
        rq13(
            "<TimeTrackingQueryRq><MaxReturned>10</MaxReturned><TxnDateRangeFilter><FromTxnDate>2026-11-01</FromTxnDate></TxnDateRangeFilter></TimeTrackingQueryRq>",
        ),
        rq13(
            "<TimeTrackingQueryRq><ModifiedDateRangeFilter><FromModifiedDate>2999-01-01</FromModifiedDate></ModifiedDateRangeFilter></TimeTrackingQueryRq>",
        ),
        rq13(&format!(
            "<TxnDelRq><TxnDelType>TimeTracking</TxnDelType><TxnID>{id}</TxnID></TxnDelRq>"
        )),
        rq13(&format!(
            "<TxnDelRq><TxnDelType>TimeTracking</TxnDelType><TxnID>{id}</TxnID></TxnDelRq>"
        )),
    ] {
        answered(&mut company, &request);
    }
    let dir = std::env::temp_dir().join(format!("timebridge-qbd-tt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    let documents: Vec<(String, String)> = company
        .responses
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("tt-{i:02}.xml"), text.clone()))
        .collect();
    assert_eq!(documents.len(), 10, "every answer is kept");
    let checked = validator.check(&validator.qbxml13(), &dir, &documents);
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(report) = checked {
        panic!("QuickBooks' answers validate against qbxmlops130.xsd: {report}");
    }
}

#[test]
fn an_application_allowed_read_only_access_may_not_enter_time() {
    // contract: QBD-TT-16
    let mut company = company();
    company.read_only = true;
    refused(
        &mut company,
        &add(LINE),
        "TimeTrackingAddRs",
        "3260",
        "a read-only application adds nothing",
    );
    assert!(
        company.time_tracking.is_empty(),
        "nothing was added to the company file"
    );
}
