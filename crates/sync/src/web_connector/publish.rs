//! Publications waiting for QuickBooks Desktop, sent in a Web Connector
//! update: after the company query and before the lists are read, each
//! waiting publication goes through its [`Publishing`] (ask, plan, send,
//! read). Every batch's answers are recorded as they come, in their own
//! transaction, so an update cut anywhere keeps what QuickBooks answered;
//! a publication is finished once every line has an answer, and otherwise
//! waits for the next update, which asks QuickBooks about the lines left
//! before sending any of them again.

use std::collections::VecDeque;
use std::sync::Arc;

use timebridge_connectors::quickbooks_desktop::time_tracking::publishing::Publishing;
use timebridge_connectors::quickbooks_desktop::time_tracking::{
    Billable, ListRef, Marker, TimeLine, TxnRef,
};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::payroll::publish::{self, LineResult, Outgoing, OutgoingLine};
use timebridge_core::payroll::targets::Target;

use crate::shared::Shared;

/// The publications one update sends.
pub(super) struct Publisher {
    integration_name: String,
    /// How the connection's time is written: its class and billable status.
    writes: Writes,
    waiting: VecDeque<Outgoing>,
    current: Option<Publishing>,
    /// Lines to send in all, and lines answered, over this update.
    total: usize,
    /// What the Web Connector's log is told at the end.
    notes: Vec<String>,
}

/// What every line of a connection is sent with.
#[derive(Debug, Clone, Default)]
struct Writes {
    class: Option<ListRef>,
    billable: Option<Billable>,
}

/// What the admin is told while a publication waits.
pub(crate) fn waiting_message(integration: &str) -> String {
    format!(
        "Waiting for the QuickBooks Web Connector: the lines are sent at its next update of \
         “{integration}” (on its schedule, or click Update Selected in the Web Connector on the \
         QuickBooks computer)."
    )
}

/// `line` of publication `publication_id` as QuickBooks time.
fn time_line(publication_id: i64, line: &OutgoingLine, writes: &Writes) -> TimeLine {
    let reference = |id: &Option<String>, name: Option<&str>| match (id, name) {
        (Some(id), name) => Some(ListRef::by_id(id, name.unwrap_or_default())),
        (None, Some(name)) => Some(ListRef::by_name(name)),
        (None, None) => None,
    };
    TimeLine {
        marker: Marker {
            publication_id,
            line_no: line.line_no,
        },
        date: line.date,
        employee: reference(&line.employee_ref, Some(&line.employee_name))
            .unwrap_or_else(|| ListRef::by_name(&line.employee_name)),
        customer_job: reference(&line.job_ref, line.job_label.as_deref()),
        service_item: reference(&line.task_ref, line.task_label.as_deref()),
        seconds: line.holds_seconds,
        class: writes.class.clone(),
        wage_item: reference(&line.item_external_id, Some(&line.item)),
        notes: None,
        billable: writes.billable,
        earlier: line.earlier.as_ref().map(|e| TxnRef {
            txn_id: e.id.clone(),
            edit_sequence: e.edit_sequence.clone().unwrap_or_default(),
        }),
    }
}

impl Publisher {
    /// The publications waiting for `integration`, if it publishes and any
    /// wait; `None` otherwise (the update only reads).
    pub(super) fn waiting(shared: &Shared, integration: &Integration) -> Option<Publisher> {
        let settings = integration.settings.web_connector.as_ref()?;
        if !settings.publishing {
            return None;
        }
        let writes = Writes {
            class: settings
                .class
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(ListRef::by_name),
            billable: settings.billable.map(|b| {
                if b {
                    Billable::Billable
                } else {
                    Billable::NotBillable
                }
            }),
        };
        let target = Target::Integration { id: integration.id }.key();
        let waiting = match shared.store.read(|c| publish::waiting(c, &target)) {
            Ok(waiting) => waiting,
            Err(error) => {
                tracing::warn!(%error, "could not read the publications waiting for QuickBooks");
                return None;
            }
        };
        if waiting.is_empty() {
            return None;
        }
        Some(Publisher {
            integration_name: integration.name.clone(),
            writes,
            total: waiting
                .iter()
                .map(|o| o.lines.iter().filter(|l| !l.answered).count())
                .sum(),
            waiting: waiting.into(),
            current: None,
            notes: Vec::new(),
        })
    }

    /// The next document of the publications, or `None` when they have
    /// nothing more to send in this update.
    pub(super) fn next_request(
        &mut self,
        shared: &Arc<Shared>,
        version: (u32, u32),
    ) -> Option<String> {
        loop {
            if self.current.is_none() {
                let outgoing = self.waiting.pop_front()?;
                let handed_before = match shared
                    .store
                    .write(|tx| publish::handed_over(tx, outgoing.publication_id))
                {
                    Ok(before) => before > 0 || outgoing.resumed,
                    Err(error) => {
                        tracing::warn!(%error, "could not record a publication handed to QuickBooks");
                        return None;
                    }
                };
                let lines: Vec<TimeLine> = outgoing
                    .lines
                    .iter()
                    .filter(|l| !l.answered)
                    .map(|l| time_line(outgoing.publication_id, l, &self.writes))
                    .collect();
                let publishing =
                    Publishing::new(outgoing.publication_id, lines, handed_before, version);
                self.current = Some(publishing);
                self.record(shared);
            }
            let current = self.current.as_mut()?;
            if let Some(document) = current.next_request() {
                return Some(document);
            }
            self.settle(shared);
        }
    }

    /// Takes QuickBooks' answer to the last document.
    pub(super) fn receive(&mut self, shared: &Arc<Shared>, answer: &str) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        if let Err(error) = current.receive(answer) {
            self.notes.push(error);
        }
        self.record(shared);
        if self.current.as_ref().is_some_and(Publishing::is_done) {
            self.settle(shared);
        }
    }

    /// QuickBooks could not run the last document, or the update ended:
    /// what was answered is kept, and the rest waits for the next update.
    pub(super) fn stop(&mut self, shared: &Arc<Shared>) {
        if let Some(current) = self.current.as_mut() {
            current.failed();
            self.settle(shared);
        }
        self.waiting.clear();
    }

    /// Whether it still has a document to send in this update.
    pub(super) fn is_active(&self) -> bool {
        self.current.is_some() || !self.waiting.is_empty()
    }

    /// How far the publications are, 0–100.
    pub(super) fn percent(&self) -> i32 {
        let waiting: usize = self
            .waiting
            .iter()
            .map(|o| o.lines.iter().filter(|l| !l.answered).count())
            .sum();
        let current = self
            .current
            .as_ref()
            .map_or(0, |c| c.progress().1 - c.progress().0);
        let total = self.total.max(1);
        let done = total - (waiting + current).min(total);
        (done * 100 / total) as i32
    }

    /// What the Web Connector's log is told about the publications.
    pub(super) fn note(&self) -> Option<String> {
        (!self.notes.is_empty()).then(|| self.notes.join(" "))
    }

    /// Records the answers the current publication gave since last time.
    fn record(&mut self, shared: &Arc<Shared>) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        let results: Vec<LineResult> = current
            .answers()
            .iter()
            .filter_map(|a| a.result())
            .collect();
        if results.is_empty() {
            return;
        }
        let id = current.publication_id();
        if let Err(error) = shared.store.write(|tx| publish::record(tx, id, &results)) {
            tracing::warn!(%error, "could not record QuickBooks' answers to a publication");
            self.notes.push(format!(
                "Timebridge could not record QuickBooks' answers ({error}); the next update asks \
                 QuickBooks what it holds before sending anything again."
            ));
            current.failed();
        }
    }

    /// Ends the current publication's part of this update: finished when
    /// every line has an answer, else left waiting with how far it got.
    fn settle(&mut self, shared: &Arc<Shared>) {
        self.record(shared);
        let Some(current) = self.current.take() else {
            return;
        };
        let id = current.publication_id();
        let (answered, total) = current.progress();
        let duplicates = current.duplicates().len();
        let now = shared.now();
        let outcome = shared.store.write(|tx| {
            let publication = publish::publication(tx, id)?;
            if current.is_settled() {
                let actor = Actor {
                    operator_id: None,
                    name: format!("{} (through the Web Connector)", publication.operator),
                };
                let mut finished = publish::finish(tx, id, &[], None, &actor, now)?;
                if duplicates > 0 {
                    let note = format!(
                        "QuickBooks holds {duplicates} more transactions carrying the mark of a \
                         line Timebridge sent (copied there by hand?): they were left alone. \
                         Check the employees' time for these days in QuickBooks."
                    );
                    finished = publish::add_note(tx, id, &note)?;
                }
                Ok(Some(finished))
            } else {
                publish::set_message(
                    tx,
                    id,
                    &format!(
                        "The Web Connector's update ended after QuickBooks answered {answered} of \
                         {total} lines. The next update of “{}” asks QuickBooks about the other {} \
                         before sending any of them, so nothing is added twice.",
                        self.integration_name,
                        total - answered
                    ),
                )?;
                Ok(None)
            }
        });
        match outcome {
            Ok(Some(publication)) => {
                if let Some(message) = publication.message {
                    self.notes.push(message);
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "could not finish a publication sent to QuickBooks");
            }
        }
    }
}
