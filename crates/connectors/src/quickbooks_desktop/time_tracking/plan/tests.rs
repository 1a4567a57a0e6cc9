use super::*;
use crate::quickbooks_desktop::time_tracking::TxnRef;
use crate::quickbooks_desktop::time_tracking::tests::{held, sample_line};

fn action(plan: &Plan) -> &Action {
    &plan.lines[0].action
}

#[test]
fn a_line_quickbooks_does_not_have_is_added() {
    let plan = plan(&[sample_line(1)], &[]);
    assert_eq!(action(&plan), &Action::Add, "nothing found: send it");
}

#[test]
fn an_add_whose_answer_was_lost_is_found_by_its_marker_and_not_added_again() {
    let line = sample_line(1);
    let plan = plan(std::slice::from_ref(&line), &[held(&line, "T-1")]);
    assert!(
        matches!(action(&plan), Action::AlreadyThere(t) if t.txn_id == "T-1"),
        "QuickBooks ran the add before the Web Connector dropped: record T-1, send nothing"
    );
    assert!(plan.changes().is_empty(), "nothing is sent twice");
}

#[test]
fn a_line_found_with_other_hours_is_modified_with_its_current_edit_sequence() {
    let line = sample_line(1);
    let mut changed = held(&line, "T-1");
    changed.seconds = Some(3600);
    changed.edit_sequence = "1700000999".into();
    let plan = plan(std::slice::from_ref(&line), &[changed]);
    assert!(
        matches!(action(&plan), Action::Modify(t) if t.edit_sequence == "1700000999"),
        "the hours differ: change them on top of what QuickBooks has now"
    );
}

#[test]
fn hours_within_a_minute_count_as_the_same() {
    let line = sample_line(1);
    let mut rounded = held(&line, "T-1");
    rounded.seconds = Some(line.seconds - 15);
    let plan = plan(std::slice::from_ref(&line), &[rounded]);
    assert!(
        matches!(action(&plan), Action::AlreadyThere(_)),
        "QuickBooks keeps time to the minute"
    );
}

#[test]
fn a_correction_finds_the_earlier_transaction_by_its_txn_id() {
    let first = sample_line(1);
    let mut correction = sample_line(5);
    correction.marker.publication_id = 43;
    correction.earlier = Some(TxnRef {
        txn_id: "T-1".into(),
        edit_sequence: "1".into(),
    });
    let plan = plan(std::slice::from_ref(&correction), &[held(&first, "T-1")]);
    assert!(
        matches!(action(&plan), Action::Modify(t) if t.txn_id == "T-1"),
        "the earlier publication's transaction is changed (its marker moves to the correction), not added beside"
    );
}

#[test]
fn a_modify_whose_answer_was_lost_is_found_done() {
    let mut correction = sample_line(5);
    correction.marker.publication_id = 43;
    correction.earlier = Some(TxnRef {
        txn_id: "T-1".into(),
        edit_sequence: "1".into(),
    });
    let plan = plan(
        std::slice::from_ref(&correction),
        &[held(&correction, "T-1")],
    );
    assert!(
        matches!(action(&plan), Action::AlreadyThere(_)),
        "QuickBooks already holds the change"
    );
}

#[test]
fn a_line_gone_to_zero_is_deleted_and_a_lost_delete_is_not_sent_again() {
    let mut zero = sample_line(1);
    zero.seconds = 0;
    let there = plan(std::slice::from_ref(&zero), &[held(&sample_line(1), "T-1")]);
    assert!(
        matches!(action(&there), Action::Delete(t) if t.txn_id == "T-1"),
        "its hours are removed"
    );
    let gone = plan(std::slice::from_ref(&zero), &[]);
    assert_eq!(
        action(&gone),
        &Action::AlreadyGone,
        "the delete ran before its answer was lost"
    );
}

#[test]
fn time_that_is_not_timebridges_is_left_alone() {
    let mut by_hand = held(&sample_line(1), "T-H");
    by_hand.notes = Some("entered in QuickBooks".into());
    let plan = plan(&[sample_line(1)], &[by_hand]);
    assert_eq!(
        action(&plan),
        &Action::Add,
        "no marker, no recorded TxnID: not this line"
    );
}

#[test]
fn a_second_transaction_with_the_same_marker_is_reported_not_touched() {
    let line = sample_line(1);
    let plan = plan(
        std::slice::from_ref(&line),
        &[held(&line, "T-1"), held(&line, "T-2")],
    );
    assert_eq!(
        plan.duplicates.len(),
        1,
        "the admin decides which copy is right"
    );
    assert_eq!(plan.duplicates[0].1.txn_id, "T-2");
    assert!(
        plan.changes().is_empty(),
        "and nothing is sent for the line, which is there"
    );
}
