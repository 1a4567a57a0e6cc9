//! What to send for each line, given what QuickBooks already holds: the
//! pure half of "nothing twice" (the module doc of
//! [`super`] has the design). [`plan`] looks only at its arguments, so
//! every way an update can be cut short is one call with the state it
//! left behind.

use std::collections::HashMap;

use super::requests::{TimeChange, duration_differs, reference_differs};
use super::{Marker, TimeLine, TimeTracking};

/// What becomes of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// QuickBooks has no transaction for it: `TimeTrackingAddRq`.
    Add,
    /// QuickBooks has it as it should be (an add whose answer was lost, or
    /// a line sent before): nothing to send; record its `TxnID` and
    /// `EditSequence`.
    AlreadyThere(TimeTracking),
    /// QuickBooks has it with other hours, notes or references:
    /// `TimeTrackingModRq` with its current `EditSequence`.
    Modify(TimeTracking),
    /// Its hours went to zero and QuickBooks still has it: `TxnDelRq`.
    Delete(TimeTracking),
    /// Its hours went to zero and QuickBooks has none (never added, or a
    /// delete whose answer was lost): nothing to send.
    AlreadyGone,
}

/// One line and what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLine {
    pub line: TimeLine,
    pub action: Action,
}

/// What to send for a set of lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Every line, in the order given.
    pub lines: Vec<PlannedLine>,
    /// Further transactions carrying the marker of a line that already has
    /// one (copied by hand in QuickBooks, or added twice before this plan
    /// existed). They are left alone and shown to the admin: which of two
    /// copies is right is theirs to say.
    pub duplicates: Vec<(Marker, TimeTracking)>,
}

impl Plan {
    /// The requests to send, in line order.
    pub fn changes(&self) -> Vec<TimeChange> {
        self.lines
            .iter()
            .filter_map(|planned| {
                let line = planned.line.clone();
                match &planned.action {
                    Action::Add => Some(TimeChange::Add(line)),
                    Action::Modify(current) => Some(TimeChange::Modify {
                        line,
                        current: Box::new(current.clone()),
                    }),
                    Action::Delete(current) => Some(TimeChange::Delete {
                        line,
                        txn_id: current.txn_id.clone(),
                    }),
                    Action::AlreadyThere(_) | Action::AlreadyGone => None,
                }
            })
            .collect()
    }

    /// The lines QuickBooks already holds as they should be, with their
    /// transactions: to record without sending.
    pub fn already_there(&self) -> impl Iterator<Item = (&TimeLine, &TimeTracking)> {
        self.lines.iter().filter_map(|p| match &p.action {
            Action::AlreadyThere(txn) => Some((&p.line, txn)),
            _ => None,
        })
    }
}

/// Whether QuickBooks' `current` holds `line` as Timebridge would write
/// it: the same day, employee, references Timebridge sends, hours (to the
/// minute), notes and billable status.
pub fn holds(current: &TimeTracking, line: &TimeLine) -> bool {
    current.date == Some(line.date)
        && current
            .employee
            .as_ref()
            .is_some_and(|e| line.employee.same_record(e))
        && !reference_differs(line.customer_job.as_ref(), current.customer_job.as_ref())
        && !reference_differs(line.service_item.as_ref(), current.service_item.as_ref())
        && !reference_differs(line.class.as_ref(), current.class.as_ref())
        && !reference_differs(line.wage_item.as_ref(), current.wage_item.as_ref())
        && !duration_differs(line.seconds, current.seconds)
        && current.notes.as_deref().map(str::trim) == Some(line.notes_text().as_str())
        && line.billable.is_none_or(|b| current.billable == Some(b))
}

/// What to send for `lines`, given `found`: every transaction the
/// [`super::requests::queries`] for them returned.
///
/// A line's transaction is the first found carrying its marker, else the
/// one its earlier publication recorded (`TimeLine::earlier`), if
/// QuickBooks still has it. Transactions that are neither (time entered
/// in QuickBooks by hand, or by another program) are not Timebridge's and
/// are left alone.
pub fn plan(lines: &[TimeLine], found: &[TimeTracking]) -> Plan {
    let mut by_marker: HashMap<Marker, Vec<&TimeTracking>> = HashMap::new();
    let mut by_txn: HashMap<&str, &TimeTracking> = HashMap::new();
    for txn in found {
        if let Some(marker) = txn.marker() {
            let copies = by_marker.entry(marker).or_default();
            // The same transaction from two queries is one transaction.
            if !copies.iter().any(|c| c.txn_id == txn.txn_id) {
                copies.push(txn);
            }
        }
        by_txn.entry(txn.txn_id.as_str()).or_insert(txn);
    }
    let mut out = Plan::default();
    for line in lines {
        let marked = by_marker
            .get(&line.marker)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let current = marked.first().copied().or_else(|| {
            line.earlier
                .as_ref()
                .and_then(|t| by_txn.get(t.txn_id.as_str()).copied())
        });
        out.duplicates.extend(
            marked
                .iter()
                .skip(1)
                .map(|copy| (line.marker, (*copy).clone())),
        );
        // The earlier transaction still there beside one carrying this
        // line's marker: the hours are in QuickBooks twice.
        if let (Some(chosen), Some(earlier)) = (
            marked.first(),
            line.earlier
                .as_ref()
                .and_then(|t| by_txn.get(t.txn_id.as_str())),
        ) && chosen.txn_id != earlier.txn_id
        {
            out.duplicates.push((line.marker, (*earlier).clone()));
        }
        let action = match (current, line.seconds > 0) {
            (None, true) => Action::Add,
            (None, false) => Action::AlreadyGone,
            (Some(txn), false) => Action::Delete(txn.clone()),
            (Some(txn), true) if holds(txn, line) => Action::AlreadyThere(txn.clone()),
            (Some(txn), true) => Action::Modify(txn.clone()),
        };
        out.lines.push(PlannedLine {
            line: line.clone(),
            action,
        });
    }
    out
}

#[cfg(test)]
mod tests;
