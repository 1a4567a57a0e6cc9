use super::*;
use crate::quickbooks_desktop::time_tracking::requests::batches;
use crate::quickbooks_desktop::time_tracking::tests::sample_line;

fn rs(body: &str) -> String {
    format!(r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>{body}</QBXMLMsgsRs></QBXML>"#)
}

fn refused(code: i64, message: &str) -> Refusal {
    explain(code, message, &TimeChange::Add(sample_line(7)))
}

#[test]
fn each_line_gets_its_own_answer_and_a_refusal_does_not_hide_the_others() {
    let batch = batches(
        vec![
            TimeChange::Add(sample_line(1)),
            TimeChange::Add(sample_line(2)),
            TimeChange::Add(sample_line(3)),
        ],
        (13, 0),
    )
    .batches
    .remove(0);
    let answer = rs(
        r#"<TimeTrackingAddRs requestID="42-1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><TimeTrackingRet><TxnID>T-1</TxnID><EditSequence>17</EditSequence><TxnDate>2026-11-03</TxnDate><Duration>PT8H30M0S</Duration></TimeTrackingRet></TimeTrackingAddRs>
        <TimeTrackingAddRs requestID="42-2" statusCode="3140" statusSeverity="Error" statusMessage="There is an invalid reference to QuickBooks Customer &quot;Lakeside Builders:Deck&quot; in the TimeTracking."/>"#,
    );
    let answers = batch.read(&answer).expect("qbXML");
    assert!(
        matches!(&answers[0].outcome, Outcome::Added(t) if t.txn_id == "T-1" && t.edit_sequence == "17"),
        "TxnID and EditSequence to store"
    );
    assert!(
        matches!(&answers[1].outcome, Outcome::Refused(r) if r.reason == Reason::NameNotFound(Some(Referred::CustomerJob)))
    );
    assert_eq!(
        answers[2].outcome,
        Outcome::Unanswered,
        "no answer: it may have run, so it is queried first"
    );
}

#[test]
fn a_name_not_found_names_the_line_and_the_record() {
    let r = refused(
        3140,
        r#"There is an invalid reference to QuickBooks Employee "Ana Li" in the TimeTracking."#,
    );
    assert!(
        r.message
            .starts_with("Ana Li, 2026-11-03, Lakeside Builders:Deck, 8.50 h:"),
        "the line: {}",
        r.message
    );
    assert!(
        r.message.contains("employee “Ana Li”") && r.message.contains("3140"),
        "the record and the code: {}",
        r.message
    );
}

#[test]
fn an_inactive_record_says_to_make_it_active() {
    let r = refused(3140, "The item Framing is inactive.");
    assert_eq!(r.reason, Reason::Inactive(Some(Referred::ServiceItem)));
    assert!(
        r.message.contains("service item “Framing” is inactive"),
        "{}",
        r.message
    );
}

#[test]
fn a_stale_edit_sequence_is_read_again_not_shown_as_the_admins_problem() {
    let r = refused(3200, r#"The provided edit sequence "1" is out-of-date."#);
    assert_eq!(r.reason, Reason::EditSequenceOutOfDate);
    assert!(
        r.reason.reread_helps(),
        "re-reading the transaction gets the change through"
    );
}

#[test]
fn a_closing_date_refusal_says_where_to_move_it() {
    let r = refused(
        3171,
        "An attempt was made to modify a TimeTracking with a date that is on or before the closing date of the company.",
    );
    assert_eq!(r.reason, Reason::ClosingDate);
    assert!(
        r.message.contains("closing date") && r.message.contains("Preferences"),
        "{}",
        r.message
    );
}

#[test]
fn an_employee_not_using_time_data_is_told_how_to_turn_it_on() {
    let r = refused(
        3180,
        "There was an error when saving a TimeTracking. QuickBooks error message: The employee is not set up to use time data to create paychecks.",
    );
    assert_eq!(r.reason, Reason::NotUsingTimeData);
    assert!(
        r.message.contains("Use time data to create paychecks"),
        "{}",
        r.message
    );
}

#[test]
fn other_codes_keep_quickbooks_words_and_the_code() {
    let r = refused(3999, "Something new.");
    assert_eq!(r.reason, Reason::Other);
    assert!(
        r.message.contains("3999") && r.message.contains("Something new"),
        "{}",
        r.message
    );
    assert_eq!(refused(3250, "").reason, Reason::FeatureOff);
    assert_eq!(
        refused(3260, "Insufficient permission level").reason,
        Reason::NoPermission
    );
    assert_eq!(
        refused(3120, "Object not found").reason,
        Reason::TransactionGone
    );
    assert_eq!(refused(3170, "").reason, Reason::InUse);
}

#[test]
fn deleting_what_quickbooks_no_longer_has_counts_as_deleted() {
    let batch = batches(
        vec![TimeChange::Delete {
            line: sample_line(1),
            txn_id: "T-1".into(),
        }],
        (13, 0),
    )
    .batches
    .remove(0);
    let answers = batch.read(&rs(r#"<TxnDelRs requestID="42-1" statusCode="3120" statusSeverity="Error" statusMessage="Object not found"/>"#)).expect("qbXML");
    assert_eq!(
        answers[0].outcome,
        Outcome::Deleted,
        "what was wanted is so"
    );
}

#[test]
fn a_query_that_matches_nothing_finds_nothing_and_a_refused_one_is_an_error() {
    let none = read_found(&rs(
        r#"<TimeTrackingQueryRs requestID="q1" statusCode="1" statusSeverity="Info" statusMessage="No match"/>"#,
    ));
    assert_eq!(none, Ok(Vec::new()), "status 1 is an empty answer");
    let found = read_found(&rs(r#"<TimeTrackingQueryRs requestID="q1" statusCode="0" statusSeverity="Info"><TimeTrackingRet><TxnID>T-1</TxnID><EditSequence>2</EditSequence><Notes>[TB:42-1]</Notes></TimeTrackingRet></TimeTrackingQueryRs>"#)).expect("read");
    assert_eq!(
        found[0].marker().map(|m| m.line_no),
        Some(1),
        "markers come back"
    );
    let refused = read_found(&rs(
        r#"<TimeTrackingQueryRs requestID="q1" statusCode="3260" statusSeverity="Error" statusMessage="Insufficient permission level"/>"#,
    ));
    assert!(
        refused.is_err(),
        "a plan on a partial answer could add hours twice"
    );
}

#[test]
fn an_answer_that_is_not_qbxml_answers_no_line() {
    let batch = batches(vec![TimeChange::Add(sample_line(1))], (13, 0))
        .batches
        .remove(0);
    let error = batch.read("<html>busy</html>").expect_err("not qbXML");
    assert!(
        error.contains("could not be read"),
        "said in words: {error}"
    );
    assert_eq!(
        batch.unanswered()[0].outcome,
        Outcome::Unanswered,
        "every line is then queried before it is sent again"
    );
}

#[test]
fn transactions_asked_for_by_id_that_quickbooks_no_longer_has_are_just_absent() {
    let answer = rs(
        r#"<TimeTrackingQueryRs requestID="q1" statusCode="3120" statusSeverity="Error" statusMessage="Object not found"/>
        <TimeTrackingQueryRs requestID="q2" statusCode="0" statusSeverity="Info"><TimeTrackingRet><TxnID>T-2</TxnID><EditSequence>2</EditSequence></TimeTrackingRet></TimeTrackingQueryRs>"#,
    );
    let found = read_found(&answer).expect("one gone transaction does not hide the others");
    assert_eq!(found.len(), 1, "T-2 is there, the other one is not");
}
