//! The qbXML requests for time: `TimeTrackingAddRq`, `TimeTrackingModRq`
//! and `TxnDelRq` in batches, and the `TimeTrackingQueryRq`s that find what
//! QuickBooks already has. Every element comes in the order of Intuit's
//! schema (`qbxml130.xsd`: `TimeTrackingAdd`, `TimeTrackingMod`,
//! `TxnDel`, `TimeTrackingTxnQuery`) and every text is escaped.
//!
//! A line that would break the schema (a name longer than its reference
//! allows, an id longer than `IDTYPE`) is held back rather than sent: one
//! such line would make QuickBooks refuse the whole document as a parse
//! error (`0x80040400`), and with it every other line of the batch.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::answers::{LineAnswer, Outcome, Reason, Refusal};
use super::{
    EDIT_SEQUENCE_MAX, ENTITY_NAME_MAX, ID_MAX, ITEM_NAME_MAX, ListRef, TimeLine, TimeTracking,
    WAGE_ITEM_NAME_MAX, duration,
};
use crate::quickbooks_desktop::qbxml::{self, OnError};
use crate::quickbooks_desktop::xml::escape;

/// Lines per qbXML document. A document is one `sendRequestXML` and one
/// `receiveResponseXML`: 100 lines keep a publication of 20,000 lines at
/// 200 round trips, keep each document near 60 KB (QuickBooks runs a
/// document whole before it answers, so a much larger one risks the Web
/// Connector's timeout; the limit is not documented, so 100 is *assumed*
/// safe), and bound what one dropped answer leaves unknown to 100 lines,
/// found again by one query.
pub const BATCH: usize = 100;

/// Employees per `TimeTrackingQueryRq`. The query is not paged (an
/// iterator exists only in US editions, and `MaxReturned` alone would cut
/// the answer silently, hiding markers), so its size is bounded by asking
/// for at most this many employees over one pay period at a time.
pub const QUERY_EMPLOYEES: usize = 100;

/// `TxnID`s looked up per document, each in its own `TimeTrackingQueryRq`
/// so that one transaction deleted in QuickBooks does not hide the others.
pub const QUERY_TRANSACTIONS: usize = 100;

/// What is sent for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeChange {
    /// `TimeTrackingAddRq`.
    Add(TimeLine),
    /// `TimeTrackingModRq` of `current` (its `TxnID` and `EditSequence`),
    /// with the fields of `line` that differ from it.
    Modify {
        line: TimeLine,
        current: Box<TimeTracking>,
    },
    /// `TxnDelRq` of the transaction `txn_id`.
    Delete { line: TimeLine, txn_id: String },
}

impl TimeChange {
    pub fn line(&self) -> &TimeLine {
        match self {
            TimeChange::Add(line)
            | TimeChange::Modify { line, .. }
            | TimeChange::Delete { line, .. } => line,
        }
    }

    /// The answer's element: `TimeTrackingAddRs`, `TimeTrackingModRs` or
    /// `TxnDelRs`.
    pub fn answer_name(&self) -> &'static str {
        match self {
            TimeChange::Add(_) => "TimeTrackingAddRs",
            TimeChange::Modify { .. } => "TimeTrackingModRs",
            TimeChange::Delete { .. } => "TxnDelRs",
        }
    }

    /// Why the change cannot be written within the schema, if it cannot.
    fn unsendable(&self) -> Option<String> {
        let line = self.line();
        let refs = [
            ("employee", Some(&line.employee), ENTITY_NAME_MAX),
            ("job", line.customer_job.as_ref(), ENTITY_NAME_MAX),
            ("service item", line.service_item.as_ref(), ITEM_NAME_MAX),
            ("class", line.class.as_ref(), ITEM_NAME_MAX),
            ("payroll item", line.wage_item.as_ref(), WAGE_ITEM_NAME_MAX),
        ];
        for (what, reference, longest) in refs {
            let Some(reference) = reference else { continue };
            match &reference.list_id {
                Some(id) if id.chars().count() > ID_MAX => {
                    return Some(format!(
                        "the {what}'s QuickBooks id “{id}” is longer than QuickBooks' ids \
                         ({ID_MAX} characters); sync QuickBooks Desktop and match it again"
                    ));
                }
                None if reference.full_name.chars().count() > longest => {
                    return Some(format!(
                        "the {what} name “{}” is longer than QuickBooks takes ({longest} \
                         characters); shorten it, or match it to a QuickBooks record",
                        reference.full_name
                    ));
                }
                None if reference.full_name.trim().is_empty() => {
                    return Some(format!(
                        "the {what} has no QuickBooks name or id; match it to a QuickBooks record"
                    ));
                }
                _ => {}
            }
        }
        let (txn_id, edit_sequence) = match self {
            TimeChange::Add(_) => (None, None),
            TimeChange::Modify { current, .. } => {
                (Some(&current.txn_id), Some(&current.edit_sequence))
            }
            TimeChange::Delete { txn_id, .. } => (Some(txn_id), None),
        };
        if txn_id.is_some_and(|id| id.is_empty() || id.chars().count() > ID_MAX)
            || edit_sequence.is_some_and(|e| e.is_empty() || e.chars().count() > EDIT_SEQUENCE_MAX)
        {
            return Some(
                "the QuickBooks transaction recorded for it has no usable TxnID or \
                 EditSequence; publish again so Timebridge reads it from QuickBooks"
                    .to_owned(),
            );
        }
        if !matches!(self, TimeChange::Delete { .. }) && line.seconds <= 0 {
            return Some("it has no hours to send".to_owned());
        }
        None
    }

    /// The request, its `requestID` the line's marker.
    fn render(&self) -> String {
        let line = self.line();
        let id = line.marker.request_id();
        match self {
            TimeChange::Add(line) => {
                let mut body = String::with_capacity(600);
                body.push_str(&format!("<TxnDate>{}</TxnDate>", line.date));
                body.push_str(&reference("EntityRef", &line.employee));
                optional_reference(&mut body, "CustomerRef", line.customer_job.as_ref());
                optional_reference(&mut body, "ItemServiceRef", line.service_item.as_ref());
                body.push_str(&format!("<Duration>{}</Duration>", duration(line.seconds)));
                optional_reference(&mut body, "ClassRef", line.class.as_ref());
                optional_reference(&mut body, "PayrollItemWageRef", line.wage_item.as_ref());
                body.push_str(&format!("<Notes>{}</Notes>", escape(&line.notes_text())));
                if let Some(billable) = line.billable {
                    body.push_str(&format!(
                        "<BillableStatus>{}</BillableStatus>",
                        billable.as_str()
                    ));
                }
                format!(
                    r#"<TimeTrackingAddRq requestID="{id}"><TimeTrackingAdd>{body}</TimeTrackingAdd></TimeTrackingAddRq>"#
                )
            }
            TimeChange::Modify { line, current } => {
                let body = modification(line, current);
                format!(
                    r#"<TimeTrackingModRq requestID="{id}"><TimeTrackingMod>{body}</TimeTrackingMod></TimeTrackingModRq>"#
                )
            }
            TimeChange::Delete { txn_id, .. } => format!(
                r#"<TxnDelRq requestID="{id}"><TxnDelType>TimeTracking</TxnDelType><TxnID>{}</TxnID></TxnDelRq>"#,
                escape(txn_id)
            ),
        }
    }
}

/// A reference element: `ListID` when known, else `FullName`.
fn reference(tag: &str, list_ref: &ListRef) -> String {
    match &list_ref.list_id {
        Some(id) => format!("<{tag}><ListID>{}</ListID></{tag}>", escape(id)),
        None => format!(
            "<{tag}><FullName>{}</FullName></{tag}>",
            escape(&list_ref.full_name)
        ),
    }
}

fn optional_reference(body: &mut String, tag: &str, list_ref: Option<&ListRef>) {
    if let Some(list_ref) = list_ref {
        body.push_str(&reference(tag, list_ref));
    }
}

/// Whether `wanted` differs from what QuickBooks has. A field Timebridge
/// does not send is never a difference: QuickBooks may fill it in itself
/// (a class or billable status from its own defaults), and a
/// `TimeTrackingMod` cannot clear a reference anyway.
pub(super) fn reference_differs(wanted: Option<&ListRef>, current: Option<&ListRef>) -> bool {
    match (wanted, current) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(wanted), Some(current)) => !wanted.same_record(current),
    }
}

/// Whether two durations differ by a minute or more.
pub(super) fn duration_differs(wanted: i64, current: Option<i64>) -> bool {
    current.is_none_or(|current| (wanted - current).abs() >= 60)
}

/// The body of a `TimeTrackingMod`: `TxnID`, `EditSequence`, the
/// required `EntityRef` and `Duration`, and each other field only when it
/// differs from `current` (a field left out keeps its value in QuickBooks).
fn modification(line: &TimeLine, current: &TimeTracking) -> String {
    let mut body = format!(
        "<TxnID>{}</TxnID><EditSequence>{}</EditSequence>",
        escape(&current.txn_id),
        escape(&current.edit_sequence)
    );
    if current.date != Some(line.date) {
        body.push_str(&format!("<TxnDate>{}</TxnDate>", line.date));
    }
    body.push_str(&reference("EntityRef", &line.employee));
    fn changed<'a>(wanted: Option<&'a ListRef>, now: Option<&ListRef>) -> Option<&'a ListRef> {
        wanted.filter(|_| reference_differs(wanted, now))
    }
    optional_reference(
        &mut body,
        "CustomerRef",
        changed(line.customer_job.as_ref(), current.customer_job.as_ref()),
    );
    optional_reference(
        &mut body,
        "ItemServiceRef",
        changed(line.service_item.as_ref(), current.service_item.as_ref()),
    );
    body.push_str(&format!("<Duration>{}</Duration>", duration(line.seconds)));
    optional_reference(
        &mut body,
        "ClassRef",
        changed(line.class.as_ref(), current.class.as_ref()),
    );
    optional_reference(
        &mut body,
        "PayrollItemWageRef",
        changed(line.wage_item.as_ref(), current.wage_item.as_ref()),
    );
    let notes = line.notes_text();
    if current.notes.as_deref().map(str::trim) != Some(notes.as_str()) {
        body.push_str(&format!("<Notes>{}</Notes>", escape(&notes)));
    }
    if let Some(billable) = line.billable.filter(|b| current.billable != Some(*b)) {
        body.push_str(&format!(
            "<BillableStatus>{}</BillableStatus>",
            billable.as_str()
        ));
    }
    body
}

/// One qbXML document of changes, and what it holds, to read its answer.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The document to hand the Web Connector.
    pub document: String,
    pub changes: Vec<TimeChange>,
}

/// Changes as documents to send, and the lines held back.
#[derive(Debug, Clone, Default)]
pub struct Batches {
    pub batches: Vec<Batch>,
    /// Lines that cannot be written within the schema, each with why.
    pub held_back: Vec<LineAnswer>,
}

/// `changes` as documents of at most [`BATCH`] requests each, every
/// document `onError="continueOnError"` so that a line QuickBooks refuses
/// does not stop the lines after it.
pub fn batches(changes: Vec<TimeChange>, version: (u32, u32)) -> Batches {
    let mut out = Batches::default();
    let mut sendable = Vec::with_capacity(changes.len());
    for change in changes {
        match change.unsendable() {
            None => sendable.push(change),
            Some(why) => {
                let line = change.line();
                out.held_back.push(LineAnswer {
                    marker: line.marker,
                    outcome: Outcome::Refused(Refusal {
                        status_code: None,
                        status_message: String::new(),
                        reason: Reason::NotSent,
                        message: format!("{}: not sent: {why}.", line.describe()),
                    }),
                    note: None,
                });
            }
        }
    }
    let mut rest = sendable.into_iter().peekable();
    while rest.peek().is_some() {
        let changes: Vec<TimeChange> = rest.by_ref().take(BATCH).collect();
        let body: String = changes.iter().map(TimeChange::render).collect();
        out.batches.push(Batch {
            document: qbxml::document(&body, version, OnError::Continue),
            changes,
        });
    }
    out
}

/// Which employees a query asks about: the schema's
/// `TimeTrackingEntityFilter` takes `ListID`s or `FullName`s, not both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Employees {
    ListIds(Vec<String>),
    FullNames(Vec<String>),
}

/// A question to QuickBooks about the time it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeQuery {
    /// Every transaction of `employees` dated `from` to `to`.
    Dated {
        from: NaiveDate,
        to: NaiveDate,
        employees: Employees,
    },
    /// These transactions, each asked for on its own.
    Transactions(Vec<String>),
}

impl TimeQuery {
    /// The document asking it, `continueOnError` so each transaction of
    /// [`TimeQuery::Transactions`] is answered on its own.
    pub fn render(&self, version: (u32, u32)) -> String {
        let body = match self {
            TimeQuery::Dated {
                from,
                to,
                employees,
            } => {
                let (tag, names) = match employees {
                    Employees::ListIds(ids) => ("ListID", ids),
                    Employees::FullNames(names) => ("FullName", names),
                };
                let filter: String = names
                    .iter()
                    .map(|n| format!("<{tag}>{}</{tag}>", escape(n)))
                    .collect();
                format!(
                    r#"<TimeTrackingQueryRq requestID="q1"><TxnDateRangeFilter><FromTxnDate>{from}</FromTxnDate><ToTxnDate>{to}</ToTxnDate></TxnDateRangeFilter><TimeTrackingEntityFilter>{filter}</TimeTrackingEntityFilter></TimeTrackingQueryRq>"#
                )
            }
            TimeQuery::Transactions(ids) => ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    format!(
                        r#"<TimeTrackingQueryRq requestID="q{}"><TxnID>{}</TxnID></TimeTrackingQueryRq>"#,
                        i + 1,
                        escape(id)
                    )
                })
                .collect(),
        };
        qbxml::document(&body, version, OnError::Continue)
    }
}

/// The queries that find every transaction QuickBooks may already hold
/// for `lines`: their employees (at most [`QUERY_EMPLOYEES`] a query) over
/// the days the lines span, and the transactions earlier publications
/// made (they may have been moved to another day or employee in
/// QuickBooks since).
pub fn queries(lines: &[TimeLine]) -> Vec<TimeQuery> {
    let (Some(from), Some(to)) = (
        lines.iter().map(|l| l.date).min(),
        lines.iter().map(|l| l.date).max(),
    ) else {
        return Vec::new();
    };
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for line in lines {
        match &line.employee.list_id {
            Some(id) => ids.insert(id.clone()),
            None => names.insert(line.employee.full_name.clone()),
        };
    }
    let chunks = |set: BTreeSet<String>| -> Vec<Vec<String>> {
        let all: Vec<String> = set.into_iter().collect();
        all.chunks(QUERY_EMPLOYEES)
            .map(<[String]>::to_vec)
            .collect()
    };
    let mut out: Vec<TimeQuery> = chunks(ids)
        .into_iter()
        .map(Employees::ListIds)
        .chain(chunks(names).into_iter().map(Employees::FullNames))
        .map(|employees| TimeQuery::Dated {
            from,
            to,
            employees,
        })
        .collect();
    let earlier: BTreeSet<String> = lines
        .iter()
        .filter_map(|l| l.earlier.as_ref().map(|t| t.txn_id.clone()))
        .collect();
    let earlier: Vec<String> = earlier.into_iter().collect();
    out.extend(
        earlier
            .chunks(QUERY_TRANSACTIONS)
            .map(|ids| TimeQuery::Transactions(ids.to_vec())),
    );
    out
}

#[cfg(test)]
mod tests;
