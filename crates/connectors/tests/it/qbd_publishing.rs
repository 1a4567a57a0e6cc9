//! A publication sent into an emulated QuickBooks company file the way the
//! Web Connector carries it, cut at every step: whatever step an update
//! stops at (before a document is run, or after QuickBooks ran it and its
//! answer was lost), the next update finishes the publication and
//! QuickBooks holds each line exactly once. Corrections change or delete
//! the transactions made before and touch nothing else.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use timebridge_connectors::quickbooks_desktop::time_tracking::publishing::Publishing;
use timebridge_connectors::quickbooks_desktop::time_tracking::{
    ListRef, Marker, TimeLine, TxnRef, parse_duration,
};
use timebridge_core::payroll::publish::LineResult;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, List};

const VERSION: (u32, u32) = (13, 0);

/// A company with employees who all use time data for paychecks.
fn company() -> Company {
    Company::generate(&CompanySpec {
        employees: 5,
        customers: 2,
        jobs_per_customer: 2,
        ..CompanySpec::default()
    })
}

fn text(record: &Value, field: &str) -> String {
    record[field].as_str().unwrap_or_default().to_owned()
}

/// Publication `publication`'s lines: every employee, every day of two
/// weeks, each job: more than two batches.
fn lines(company: &Company, publication: i64) -> Vec<TimeLine> {
    let employees: Vec<ListRef> = company
        .list(List::Employees)
        .iter()
        .map(|e| ListRef::by_id(&text(e, "ListID"), &text(e, "Name")))
        .collect();
    let jobs: Vec<ListRef> = company
        .list(List::Customers)
        .iter()
        .filter(|c| c.get("ParentRef").is_some())
        .map(|c| ListRef::by_id(&text(c, "ListID"), &text(c, "FullName")))
        .collect();
    let item = &company.list(List::ServiceItems)[0];
    let wage = &company.list(List::PayrollWageItems)[0];
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date");
    let mut out = Vec::new();
    for day in 0..14 {
        for employee in &employees {
            for job in &jobs {
                out.push(TimeLine {
                    marker: Marker {
                        publication_id: publication,
                        line_no: out.len() as i64 + 1,
                    },
                    date: start + chrono::Days::new(day),
                    employee: employee.clone(),
                    customer_job: Some(job.clone()),
                    service_item: Some(ListRef::by_id(
                        &text(item, "ListID"),
                        &text(item, "FullName"),
                    )),
                    seconds: 3600 + 60 * out.len() as i64 % 3600,
                    class: None,
                    wage_item: Some(ListRef::by_id(&text(wage, "ListID"), &text(wage, "Name"))),
                    notes: None,
                    billable: None,
                    earlier: None,
                });
            }
        }
    }
    out
}

/// Where one update stops.
#[derive(Debug, Clone, Copy)]
enum Cut {
    /// The update runs to its end.
    Never,
    /// The Web Connector stops before handing document `n` (0-based) to
    /// QuickBooks.
    Before(usize),
    /// QuickBooks runs document `n`, and its answer never reaches
    /// Timebridge.
    AnswerLost(usize),
}

/// One update: documents handed to `company` until the publication has
/// nothing more to send or the cut; every line answer recorded in
/// `recorded`, as the engine records them. Returns the documents sent.
fn update(
    company: &mut Company,
    publishing: &mut Publishing,
    cut: Cut,
    recorded: &mut BTreeMap<i64, LineResult>,
) -> usize {
    let mut sent = 0;
    loop {
        for answer in publishing.answers() {
            if let Some(result) = answer.result() {
                recorded.insert(result.line_no, result);
            }
        }
        let Some(document) = publishing.next_request() else {
            return sent;
        };
        if matches!(cut, Cut::Before(n) if n == sent) {
            return sent;
        }
        let answer = company
            .answer(&document)
            .expect("QuickBooks runs the document");
        sent += 1;
        if matches!(cut, Cut::AnswerLost(n) if n + 1 == sent) {
            return sent;
        }
        publishing.receive(&answer).expect("the answer is read");
    }
}

/// Timebridge's transactions in the company, by marker.
fn held(company: &Company) -> BTreeMap<Marker, Vec<i64>> {
    let mut out: BTreeMap<Marker, Vec<i64>> = BTreeMap::new();
    for txn in &company.time_tracking {
        let notes = txn["Notes"].as_str().unwrap_or_default();
        if let Some(marker) =
            timebridge_connectors::quickbooks_desktop::time_tracking::Marker::find(notes)
        {
            let seconds =
                parse_duration(txn["Duration"].as_str().unwrap_or_default()).expect("a duration");
            out.entry(marker).or_default().push(seconds);
        }
    }
    out
}

/// The lines not answered yet, as the engine hands them to the next
/// update.
fn pending(lines: &[TimeLine], recorded: &BTreeMap<i64, LineResult>) -> Vec<TimeLine> {
    lines
        .iter()
        .filter(|l| !recorded.contains_key(&l.marker.line_no))
        .cloned()
        .collect()
}

#[test]
fn a_publication_in_one_update_adds_every_line_once_in_batches() {
    let mut company = company();
    let lines = lines(&company, 7);
    let mut publishing = Publishing::new(7, lines.clone(), false, VERSION);
    let mut recorded = BTreeMap::new();
    let sent = update(&mut company, &mut publishing, Cut::Never, &mut recorded);
    assert_eq!(
        sent,
        lines.len().div_ceil(100),
        "a first publication asks nothing and sends {} lines in batches of 100",
        lines.len()
    );
    assert!(publishing.is_settled(), "every line was answered");
    assert!(
        recorded
            .values()
            .all(|r| r.accepted && r.remote_id.is_some()),
        "every line was added with its TxnID: {:?}",
        recorded.values().find(|r| !r.accepted)
    );
    let held = held(&company);
    assert_eq!(held.len(), lines.len(), "one transaction per line");
    for line in &lines {
        assert_eq!(
            held[&line.marker],
            vec![line.seconds],
            "{:?} holds its hours once",
            line.marker
        );
    }
}

#[test]
fn an_update_cut_at_any_step_is_finished_by_the_next_with_nothing_twice() {
    let documents = {
        let mut company = company();
        let lines = lines(&company, 7);
        let mut publishing = Publishing::new(7, lines, false, VERSION);
        update(
            &mut company,
            &mut publishing,
            Cut::Never,
            &mut BTreeMap::new(),
        )
    };
    for step in 0..documents {
        for cut in [Cut::Before(step), Cut::AnswerLost(step)] {
            let mut company = company();
            let lines = lines(&company, 7);
            let mut recorded = BTreeMap::new();
            let mut first = Publishing::new(7, lines.clone(), false, VERSION);
            update(&mut company, &mut first, cut, &mut recorded);
            // The next update: the publication was handed over before.
            let mut second = Publishing::new(7, pending(&lines, &recorded), true, VERSION);
            update(&mut company, &mut second, Cut::Never, &mut recorded);
            assert_eq!(
                recorded.len(),
                lines.len(),
                "{cut:?}: every line is answered after the next update"
            );
            let held = held(&company);
            for line in &lines {
                assert_eq!(
                    held.get(&line.marker),
                    Some(&vec![line.seconds]),
                    "{cut:?}: {:?} is in QuickBooks exactly once",
                    line.marker
                );
            }
            assert!(
                recorded
                    .values()
                    .all(|r| r.accepted && r.remote_id.is_some()),
                "{cut:?}: every line has its TxnID, found again when its answer was lost"
            );
        }
    }
}

/// The company with publication 7 sent whole in one update: its lines and
/// the answers recorded.
fn published() -> (Company, Vec<TimeLine>, BTreeMap<i64, LineResult>) {
    let mut company = company();
    let lines = lines(&company, 7);
    let mut recorded = BTreeMap::new();
    update(
        &mut company,
        &mut Publishing::new(7, lines.clone(), false, VERSION),
        Cut::Never,
        &mut recorded,
    );
    (company, lines, recorded)
}

/// Lines of correction publication 8 for `published` (recorded under 7):
/// the first line's hours change, the second's go to zero, the rest stay
/// as they were and are not part of the correction.
fn correction(published: &[TimeLine], recorded: &BTreeMap<i64, LineResult>) -> Vec<TimeLine> {
    published
        .iter()
        .take(2)
        .enumerate()
        .map(|(i, line)| {
            let answer = &recorded[&line.marker.line_no];
            TimeLine {
                marker: Marker {
                    publication_id: 8,
                    line_no: i as i64 + 1,
                },
                seconds: if i == 0 { line.seconds + 1800 } else { 0 },
                earlier: Some(TxnRef {
                    txn_id: answer.remote_id.clone().expect("a TxnID"),
                    edit_sequence: answer.edit_sequence.clone().expect("an EditSequence"),
                }),
                ..line.clone()
            }
        })
        .collect()
}

#[test]
fn a_correction_modifies_and_deletes_what_it_changed_and_nothing_else() {
    let (mut company, lines, recorded) = published();
    let untouched: Vec<Value> = company.time_tracking[2..].to_vec();
    let fix = correction(&lines, &recorded);
    let mut answers = BTreeMap::new();
    update(
        &mut company,
        &mut Publishing::new(8, fix.clone(), false, VERSION),
        Cut::Never,
        &mut answers,
    );
    let requests = company.requests.join("\n");
    assert!(
        requests.contains("<TimeTrackingModRq") && requests.contains("<TxnDelRq"),
        "the changed line is modified and the zeroed one deleted"
    );
    let first = company
        .time_tracking
        .iter()
        .find(|t| t["TxnID"] == recorded[&1].remote_id.clone().expect("id").as_str())
        .expect("the first line's transaction is still there");
    assert_eq!(
        parse_duration(first["Duration"].as_str().unwrap_or_default()),
        Some(fix[0].seconds),
        "it holds the corrected hours"
    );
    assert!(
        !company
            .time_tracking
            .iter()
            .any(|t| t["TxnID"] == recorded[&2].remote_id.clone().expect("id").as_str()),
        "the second line's transaction was deleted"
    );
    let after: Vec<&Value> = company
        .time_tracking
        .iter()
        .filter(|t| untouched.iter().any(|u| u["TxnID"] == t["TxnID"]))
        .collect();
    assert_eq!(
        after.len(),
        untouched.len(),
        "no other transaction was removed"
    );
    assert!(
        after.iter().zip(&untouched).all(|(a, b)| *a == b),
        "no other transaction changed"
    );
    assert!(
        answers.values().all(|r| r.accepted),
        "both corrections were taken: {answers:?}"
    );
    assert_eq!(
        answers[&1].remote_id, recorded[&1].remote_id,
        "the modified line keeps its transaction"
    );
    assert_ne!(
        answers[&1].edit_sequence, recorded[&1].edit_sequence,
        "with QuickBooks' new EditSequence"
    );
}

#[test]
fn a_correction_cut_after_quickbooks_ran_it_is_not_run_twice() {
    let (mut company, lines, recorded) = published();
    let fix = correction(&lines, &recorded);
    let mut answers = BTreeMap::new();
    // The one batch of the correction (after its TxnID query) ran; its
    // answer was lost.
    update(
        &mut company,
        &mut Publishing::new(8, fix.clone(), false, VERSION),
        Cut::AnswerLost(1),
        &mut answers,
    );
    assert!(answers.is_empty(), "no answer arrived");
    let modified_before = company
        .requests
        .iter()
        .filter(|r| r.contains("<TimeTrackingModRq"))
        .count();
    update(
        &mut company,
        &mut Publishing::new(8, fix.clone(), true, VERSION),
        Cut::Never,
        &mut answers,
    );
    let modified_after = company
        .requests
        .iter()
        .filter(|r| r.contains("<TimeTrackingModRq"))
        .count();
    assert_eq!(
        modified_before, modified_after,
        "QuickBooks already holds the change: it is not sent again"
    );
    assert!(
        answers.values().all(|r| r.accepted) && answers.len() == 2,
        "both lines are settled from what QuickBooks holds: {answers:?}"
    );
}

#[test]
fn a_transaction_edited_in_quickbooks_is_read_before_it_is_changed() {
    let (mut company, lines, recorded) = published();
    // Someone changes the first line's transaction in QuickBooks: its
    // EditSequence moves on from the one Timebridge recorded.
    let txn_id = recorded[&1].remote_id.clone().expect("a TxnID");
    let txn = company
        .time_tracking
        .iter_mut()
        .find(|t| t["TxnID"] == txn_id.as_str())
        .expect("there");
    txn["EditSequence"] = Value::String("1799999999".into());
    let fix = correction(&lines, &recorded);
    let mut answers = BTreeMap::new();
    update(
        &mut company,
        &mut Publishing::new(8, fix, false, VERSION),
        Cut::Never,
        &mut answers,
    );
    assert!(
        answers[&1].accepted,
        "the change is sent with the EditSequence QuickBooks has now: {:?}",
        answers[&1]
    );
}
