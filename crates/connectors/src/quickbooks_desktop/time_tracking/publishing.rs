//! One publication sent in one Web Connector update: ask what QuickBooks
//! holds, plan, send the batches, read each answer. [`Publishing`] is a
//! state machine with no I/O: the engine hands it QuickBooks' answers and
//! records the line answers it gives back, batch by batch, so an update cut
//! anywhere leaves every answered line recorded and the others to be asked
//! about on the next update (see the module doc of [`super`]).
//!
//! The order of one update's publishing:
//!
//! 1. **Ask** (`TimeTrackingQueryRq`), when anything may already be in
//!    QuickBooks: by `TxnID` for each line an earlier publication sent, and
//!    by day and employee for every line when this publication was handed
//!    to the Web Connector before (an answer may have been lost).
//! 2. **Plan** ([`super::plan::plan`]): lines already there are answered at
//!    once; the others become adds, changes and deletes.
//! 3. **Send** the batches, `continueOnError`, reading each answer.
//! 4. **Once more** for lines QuickBooks refused because the transaction
//!    changed or went since it was read (`EditSequence` out of date,
//!    transaction gone): they are asked about and planned again, one time.

use std::collections::VecDeque;

use timebridge_core::payroll::publish::LineResult;

use super::answers::{LineAnswer, Outcome, read_found};
use super::plan::{self, Action};
use super::requests::{Batch, TimeQuery, batches, queries};
use super::{Marker, TimeLine, TimeTracking};

/// What the answer in flight answers.
#[derive(Debug)]
enum Awaiting {
    Query,
    Batch(Batch),
}

/// One publication's lines on their way into QuickBooks.
#[derive(Debug)]
pub struct Publishing {
    publication_id: i64,
    version: (u32, u32),
    /// Every line still to be settled this update.
    lines: Vec<TimeLine>,
    queries: VecDeque<TimeQuery>,
    found: Vec<TimeTracking>,
    planned: bool,
    batches: VecDeque<Batch>,
    awaiting: Option<Awaiting>,
    /// Answers not yet handed to the engine.
    ready: Vec<LineAnswer>,
    /// Lines refused in a way that asking again can fix, for the retry.
    retry: Vec<TimeLine>,
    retried: bool,
    /// Transactions carrying a line's marker more than once.
    duplicates: Vec<(Marker, TimeTracking)>,
    total: usize,
    settled: usize,
    /// The update stopped this publication (an answer could not be read):
    /// nothing more is sent in this update.
    stopped: bool,
}

impl Publishing {
    /// Publication `publication_id`'s `lines` (those not answered yet),
    /// written in qbXML `version`. `handed_before`: an earlier update began
    /// sending it, so its lines may be in QuickBooks already without their
    /// answers recorded.
    pub fn new(
        publication_id: i64,
        lines: Vec<TimeLine>,
        handed_before: bool,
        version: (u32, u32),
    ) -> Publishing {
        let mut asked: VecDeque<TimeQuery> = queries(&lines).into();
        if !handed_before {
            // Nothing can carry this publication's markers yet: only the
            // transactions earlier publications made are asked about.
            asked.retain(|q| matches!(q, TimeQuery::Transactions(_)));
        }
        let mut publishing = Publishing {
            publication_id,
            version,
            total: lines.len(),
            lines,
            queries: asked,
            found: Vec::new(),
            planned: false,
            batches: VecDeque::new(),
            awaiting: None,
            ready: Vec::new(),
            retry: Vec::new(),
            retried: false,
            duplicates: Vec::new(),
            settled: 0,
            stopped: false,
        };
        publishing.plan_when_asked();
        publishing
    }

    pub fn publication_id(&self) -> i64 {
        self.publication_id
    }

    /// The next qbXML document to hand the Web Connector, or `None` when
    /// this publication has nothing more to send in this update.
    pub fn next_request(&mut self) -> Option<String> {
        if self.stopped || self.awaiting.is_some() {
            return None;
        }
        if self.planned && self.batches.is_empty() && !self.retry.is_empty() && !self.retried {
            self.retried = true;
            self.lines = std::mem::take(&mut self.retry);
            self.found.clear();
            self.planned = false;
            self.queries = queries(&self.lines).into();
        }
        if let Some(query) = self.queries.pop_front() {
            self.awaiting = Some(Awaiting::Query);
            return Some(query.render(self.version));
        }
        let batch = self.batches.pop_front()?;
        let document = batch.document.clone();
        self.awaiting = Some(Awaiting::Batch(batch));
        Some(document)
    }

    /// Plans once every question was answered. Lines already settled by
    /// what QuickBooks holds are answered at once, to be taken with
    /// [`Publishing::answers`].
    fn plan_when_asked(&mut self) {
        if self.planned || !self.queries.is_empty() {
            return;
        }
        self.planned = true;
        let plan = plan::plan(&self.lines, &self.found);
        self.duplicates.extend(plan.duplicates.iter().cloned());
        for planned in &plan.lines {
            let note = match &planned.action {
                Action::AlreadyThere(txn) => Some((
                    Outcome::Added(txn.clone()),
                    "QuickBooks already had it as it should be (an earlier update's answer was \
                     lost): nothing was sent again.",
                )),
                Action::AlreadyGone => Some((
                    Outcome::Deleted,
                    "QuickBooks holds none of these hours: nothing to remove.",
                )),
                _ => None,
            };
            if let Some((outcome, note)) = note {
                self.settled += 1;
                self.ready.push(LineAnswer {
                    marker: planned.line.marker,
                    outcome,
                    note: Some(note.to_owned()),
                });
            }
        }
        let planned = batches(plan.changes(), self.version);
        self.settled += planned.held_back.len();
        self.ready.extend(planned.held_back);
        self.batches = planned.batches.into();
    }

    /// Takes QuickBooks' answer to the last document. An error: the answer
    /// could not be read (or QuickBooks refused the question), so nothing
    /// more of this publication is sent in this update; the lines of an
    /// unread batch stay unanswered, to be asked about next time.
    pub fn receive(&mut self, answer: &str) -> Result<(), String> {
        match self.awaiting.take() {
            None => Err("QuickBooks answered a question Timebridge did not ask".into()),
            Some(Awaiting::Query) => match read_found(answer) {
                Ok(found) => {
                    self.found.extend(found);
                    self.plan_when_asked();
                    Ok(())
                }
                Err(error) => {
                    self.stopped = true;
                    Err(error)
                }
            },
            Some(Awaiting::Batch(batch)) => match batch.read(answer) {
                Ok(answers) => {
                    for answer in answers {
                        self.take(answer);
                    }
                    Ok(())
                }
                Err(error) => {
                    self.stopped = true;
                    Err(error)
                }
            },
        }
    }

    fn take(&mut self, answer: LineAnswer) {
        match &answer.outcome {
            Outcome::Unanswered => {}
            Outcome::Refused(refusal) if refusal.reason.reread_helps() && !self.retried => {
                if let Some(line) = self.lines.iter().find(|l| l.marker == answer.marker) {
                    self.retry.push(line.clone());
                }
            }
            _ => {
                self.settled += 1;
                self.ready.push(answer);
            }
        }
    }

    /// QuickBooks could not run the last document (the Web Connector gave
    /// an `hresult`): its lines stay unanswered, and nothing more is sent
    /// in this update.
    pub fn failed(&mut self) {
        self.awaiting = None;
        self.stopped = true;
    }

    /// The line answers since the last call, to record.
    pub fn answers(&mut self) -> Vec<LineAnswer> {
        std::mem::take(&mut self.ready)
    }

    /// Transactions carrying one line's marker twice (copied in
    /// QuickBooks): left alone, for the admin to check.
    pub fn duplicates(&self) -> &[(Marker, TimeTracking)] {
        &self.duplicates
    }

    /// Every line got an answer.
    pub fn is_settled(&self) -> bool {
        self.settled >= self.total
    }

    /// Nothing more is sent for it in this update.
    pub fn is_done(&self) -> bool {
        self.awaiting.is_none()
            && (self.stopped
                || (self.planned
                    && self.queries.is_empty()
                    && self.batches.is_empty()
                    && (self.retry.is_empty() || self.retried)))
    }

    /// Lines answered, out of those it had to send.
    pub fn progress(&self) -> (usize, usize) {
        (self.settled.min(self.total), self.total)
    }
}

impl LineAnswer {
    /// The answer as the publication line's result; `None` while the line
    /// is unanswered (it is asked about on the next update).
    pub fn result(&self) -> Option<LineResult> {
        let with_note = |text: String| match &self.note {
            Some(note) => format!("{text} {note}"),
            None => text,
        };
        let (accepted, txn, message) = match &self.outcome {
            Outcome::Unanswered => return None,
            Outcome::Added(txn) | Outcome::Modified(txn) => (true, Some(txn), self.note.clone()),
            Outcome::Deleted => (true, None, self.note.clone()),
            Outcome::Refused(refusal) => (false, None, Some(with_note(refusal.message.clone()))),
        };
        Some(LineResult {
            line_no: self.marker.line_no,
            accepted,
            remote_id: txn.map(|t| t.txn_id.clone()),
            edit_sequence: txn.map(|t| t.edit_sequence.clone()),
            message,
        })
    }
}
