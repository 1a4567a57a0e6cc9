use super::*;
use crate::quickbooks_desktop::time_tracking::tests::{held, sample_line};

#[test]
fn an_add_writes_the_schemas_order_escaped_with_the_marker_as_request_id() {
    let mut line = sample_line(7);
    line.notes = Some("Smith & Sons <north>".into());
    let built = batches(vec![TimeChange::Add(line)], (13, 0));
    let doc = &built.batches[0].document;
    assert!(
        doc.contains(r#"onError="continueOnError""#),
        "a refused line does not stop the rest: {doc}"
    );
    let order = [
        "<TxnDate>",
        "<EntityRef>",
        "<CustomerRef>",
        "<ItemServiceRef>",
        "<Duration>PT8H30M</Duration>",
        "<PayrollItemWageRef>",
        "<Notes>",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| doc.find(t).unwrap_or_else(|| panic!("{t} in {doc}")))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "elements in the XSD's order: {doc}"
    );
    assert!(
        doc.contains(r#"<TimeTrackingAddRq requestID="42-7">"#),
        "the answer ties back to the line"
    );
    assert!(
        doc.contains("Smith &amp; Sons &lt;north&gt; [TB:42-7]"),
        "notes escaped, marker last: {doc}"
    );
}

#[test]
fn a_modify_sends_the_required_fields_and_only_what_changed() {
    let before = sample_line(7);
    let current = Box::new(held(&before, "T-1"));
    let mut after = before.clone();
    after.seconds = 6 * 3600;
    let doc = &batches(
        vec![TimeChange::Modify {
            line: after,
            current,
        }],
        (13, 0),
    )
    .batches[0]
        .document;
    assert!(
        doc.contains("<TxnID>T-1</TxnID><EditSequence>1700000100</EditSequence><EntityRef>"),
        "TxnID and EditSequence first: {doc}"
    );
    assert!(
        doc.contains("<Duration>PT6H0M</Duration>"),
        "the new hours: {doc}"
    );
    assert!(
        !doc.contains("<CustomerRef>") && !doc.contains("<Notes>"),
        "unchanged fields are left out: {doc}"
    );
}

#[test]
fn a_delete_names_the_time_tracking_transaction() {
    let doc = &batches(
        vec![TimeChange::Delete {
            line: sample_line(3),
            txn_id: "T-9".into(),
        }],
        (13, 0),
    )
    .batches[0]
        .document;
    assert!(doc.contains(r#"<TxnDelRq requestID="42-3"><TxnDelType>TimeTracking</TxnDelType><TxnID>T-9</TxnID></TxnDelRq>"#), "{doc}");
}

#[test]
fn lines_go_in_documents_of_at_most_a_batch() {
    let changes: Vec<TimeChange> = (1..=BATCH as i64 * 2 + 1)
        .map(|n| TimeChange::Add(sample_line(n)))
        .collect();
    let built = batches(changes, (13, 0));
    let sizes: Vec<usize> = built.batches.iter().map(|b| b.changes.len()).collect();
    assert_eq!(
        sizes,
        vec![BATCH, BATCH, 1],
        "201 lines make three documents"
    );
}

#[test]
fn a_name_too_long_for_the_schema_is_held_back_and_the_others_are_sent() {
    let mut long = sample_line(1);
    long.wage_item = Some(ListRef::by_name(&"P".repeat(40)));
    let built = batches(
        vec![TimeChange::Add(long), TimeChange::Add(sample_line(2))],
        (13, 0),
    );
    assert_eq!(
        built.held_back.len(),
        1,
        "the line would make QuickBooks refuse the whole document"
    );
    assert_eq!(
        built.batches[0].changes.len(),
        1,
        "the other line is still sent"
    );
}

#[test]
fn queries_ask_by_list_id_or_by_name_never_both_and_for_earlier_transactions() {
    let mut by_name = sample_line(2);
    by_name.employee = ListRef::by_name("Bo Chen");
    let mut earlier = sample_line(3);
    earlier.earlier = Some(super::super::TxnRef {
        txn_id: "T-5".into(),
        edit_sequence: "1".into(),
    });
    let found = queries(&[sample_line(1), by_name, earlier]);
    assert_eq!(
        found.len(),
        3,
        "ListIDs, names, and the earlier transaction: {found:?}"
    );
    let doc = found[0].render((13, 0));
    assert!(doc.contains("<TxnDateRangeFilter><FromTxnDate>2026-11-03</FromTxnDate><ToTxnDate>2026-11-03</ToTxnDate></TxnDateRangeFilter><TimeTrackingEntityFilter><ListID>"), "{doc}");
    assert_eq!(found[2], TimeQuery::Transactions(vec!["T-5".into()]));
}
