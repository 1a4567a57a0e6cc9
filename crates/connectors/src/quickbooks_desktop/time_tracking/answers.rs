//! QuickBooks' answers to time requests, line by line and in plain words.
//!
//! Each `TimeTrackingAddRs`, `TimeTrackingModRs` and `TxnDelRs` is tied
//! back to its line by `requestID` (the line's marker). A success gives the
//! transaction's `TxnID` and `EditSequence`; a refusal gives QuickBooks'
//! `statusCode` and words, and a message naming the line (employee, day,
//! job, hours) and what to do. The batch is sent `continueOnError`, so a
//! refused line never holds up the others.
//!
//! The status codes read, from Intuit's "Status codes in response
//! messages" and the OSR's error code table, and for the codes those
//! pages explain only in general, from what integrators have logged:
//!
//! | code | meaning | source |
//! |---|---|---|
//! | 0 | OK | Intuit |
//! | 1 | no match (a query found nothing) | Intuit |
//! | 500–999 | a warning; the request was run | Intuit (ranges) |
//! | 1060 | the request id is not valid | Intuit |
//! | 3000 | an object id is not valid | Intuit |
//! | 3020 | a date is not valid | Intuit |
//! | 3035 | a time interval (`Duration`) is not valid | QODBC's copy of Intuit's table |
//! | 3100 | a name is already in use (list adds; not expected for time) | InterWeave's code sheet |
//! | 3120 | the object (here: the transaction) is not found | consolibyte/quickbooks-php `Errors.php`; InterWeave |
//! | 3140 | an invalid reference: the employee, job, item, class or payroll item named is not in QuickBooks (deleted, renamed or inactive) | At Your Service's export guide; ISoft wiki; InterWeave |
//! | 3170 | the record could not be changed (someone has it open) | InterWeave's code sheet |
//! | 3171 | the day is on or before the company's closing date | At Your Service's export guide |
//! | 3180 | QuickBooks could not save it, with its own reason | At Your Service's export guide |
//! | 3200 | the edit sequence is out of date | consolibyte `Errors.php`; logs quoted in flowlink and others |
//! | 3250 | the feature is not turned on | Intuit; consolibyte `Errors.php` |
//! | 3260 | the QuickBooks user may not do this | Intuit; consolibyte `Errors.php` |
//!
//! No source names the code QuickBooks gives a `PayrollItemWageRef` for an
//! employee not set to use time data for paychecks, nor one for an
//! inactive name apart from 3140: both are *assumed* to be told by
//! QuickBooks' words (`statusMessage` naming "time data", "inactive" or
//! the "closing date"), which are read whatever the code. Any other code
//! is passed on in QuickBooks' own words with the code.

use std::collections::HashMap;

use super::requests::{Batch, TimeChange};
use super::{Marker, TimeLine, TimeTracking};
use crate::quickbooks_desktop::qbxml::{self, Response};

/// QuickBooks' answer to one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAnswer {
    pub marker: Marker,
    pub outcome: Outcome,
    /// A warning QuickBooks gave with a success, or what Timebridge
    /// noticed about it, in words.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Added: the transaction as QuickBooks holds it.
    Added(TimeTracking),
    /// Changed: the transaction with its new `EditSequence`.
    Modified(TimeTracking),
    /// Deleted (or QuickBooks no longer had it: see the note).
    Deleted,
    Refused(Refusal),
    /// No answer came for it (the document's answer was cut short, or
    /// QuickBooks answered without the transaction). It may have been run:
    /// query before sending it again ([`super::plan`]).
    Unanswered,
}

/// Why QuickBooks (or Timebridge, before sending) refused a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `None` when Timebridge held the line back.
    pub status_code: Option<i64>,
    /// QuickBooks' own words.
    pub status_message: String,
    pub reason: Reason,
    /// The line, what went wrong and what to do.
    pub message: String,
}

/// A record a line refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referred {
    Employee,
    CustomerJob,
    ServiceItem,
    Class,
    PayrollItem,
}

impl Referred {
    fn describe(self) -> &'static str {
        match self {
            Referred::Employee => "employee",
            Referred::CustomerJob => "customer or job",
            Referred::ServiceItem => "service item",
            Referred::Class => "class",
            Referred::PayrollItem => "payroll item",
        }
    }

    fn name(self, line: &TimeLine) -> Option<&str> {
        let reference = match self {
            Referred::Employee => Some(&line.employee),
            Referred::CustomerJob => line.customer_job.as_ref(),
            Referred::ServiceItem => line.service_item.as_ref(),
            Referred::Class => line.class.as_ref(),
            Referred::PayrollItem => line.wage_item.as_ref(),
        };
        reference.map(|r| r.full_name.as_str())
    }

    /// The record QuickBooks' words name ("invalid reference to
    /// QuickBooks Customer …").
    fn named_in(message: &str) -> Option<Referred> {
        let lower = message.to_ascii_lowercase();
        // The order matters: "payroll item" before "item".
        [
            ("payroll", Referred::PayrollItem),
            ("employee", Referred::Employee),
            ("entity", Referred::Employee),
            ("customer", Referred::CustomerJob),
            ("job", Referred::CustomerJob),
            ("item", Referred::ServiceItem),
            ("class", Referred::Class),
        ]
        .into_iter()
        .find(|(word, _)| lower.contains(word))
        .map(|(_, referred)| referred)
    }
}

/// What kind of refusal it is, for the engine to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A name the line refers to is not in QuickBooks (3140); which one,
    /// when QuickBooks' words say.
    NameNotFound(Option<Referred>),
    /// A name the line refers to is inactive in QuickBooks.
    Inactive(Option<Referred>),
    /// The transaction to change is no longer in QuickBooks (3120).
    TransactionGone,
    /// The transaction was changed in QuickBooks since Timebridge read it
    /// (3200): read it again, then send the change.
    EditSequenceOutOfDate,
    /// The day is on or before the company's closing date (3171).
    ClosingDate,
    /// The employee is not set to use time data to create paychecks.
    NotUsingTimeData,
    /// Someone has the record open in QuickBooks (3170).
    InUse,
    /// Time tracking (or payroll) is not turned on (3250).
    FeatureOff,
    /// The QuickBooks user the Web Connector signs in as may not (3260).
    NoPermission,
    /// An id Timebridge sent is not one of this company file's (3000).
    InvalidId,
    /// Any other refusal, in QuickBooks' words.
    Other,
    /// Timebridge held the line back: it could not be written within the
    /// schema.
    NotSent,
}

impl Reason {
    /// Whether reading the line from QuickBooks again and re-planning
    /// (without the admin doing anything) can get it through.
    pub fn reread_helps(self) -> bool {
        matches!(
            self,
            Reason::EditSequenceOutOfDate | Reason::TransactionGone
        )
    }
}

/// The reason and the words for QuickBooks' `code` and `message` on
/// `change`.
pub fn explain(code: i64, message: &str, change: &TimeChange) -> Refusal {
    let line = change.line();
    let lower = message.to_ascii_lowercase();
    let referred = Referred::named_in(message);
    let which = |referred: Option<Referred>| match referred.and_then(|r| Some((r, r.name(line)?))) {
        Some((r, name)) => format!("the {} “{name}”", r.describe()),
        None => {
            "a name this line uses (employee, job, service item, class or payroll item)".to_owned()
        }
    };
    let (reason, words) = if lower.contains("time data") || lower.contains("paycheck") {
        (
            Reason::NotUsingTimeData,
            format!(
                "QuickBooks will not take a payroll item for {}: the employee is not set to use \
                 time data to create paychecks. In QuickBooks turn on “Use time data to create \
                 paychecks” in the employee's payroll info, or map this pay ID to no payroll \
                 item, then publish again.",
                line.employee.full_name
            ),
        )
    } else if code == 3171 || lower.contains("closing date") {
        (
            Reason::ClosingDate,
            format!(
                "{} is on or before the company's closing date in QuickBooks, so QuickBooks \
                 takes no time for it. A QuickBooks admin can move the closing date (Edit → \
                 Preferences → Accounting → Company Preferences); then publish again.",
                line.date
            ),
        )
    } else if lower.contains("in use") && code != 3100 {
        (
            Reason::InUse,
            "QuickBooks could not change it because someone has it open. Close it in \
             QuickBooks, then publish again."
                .to_owned(),
        )
    } else if lower.contains("inactive") {
        (
            Reason::Inactive(referred),
            format!(
                "{} is inactive in QuickBooks. Make it active there (or match this line to \
                 another record in Timebridge), then publish again.",
                which(referred)
            ),
        )
    } else {
        match code {
            3140 => (
                Reason::NameNotFound(referred),
                format!(
                    "QuickBooks does not know {}: it was deleted, renamed or made inactive \
                     there. Sync QuickBooks Desktop and match the line again (or make the \
                     record active), then publish again.",
                    which(referred)
                ),
            ),
            3120 => (
                Reason::TransactionGone,
                "the time Timebridge sent before is no longer in QuickBooks (deleted there). \
                 Publish again: Timebridge adds it anew."
                    .to_owned(),
            ),
            3200 => (
                Reason::EditSequenceOutOfDate,
                "the time was changed in QuickBooks after Timebridge sent it. Publish again: \
                 Timebridge reads it from QuickBooks first and sends the change on top of it."
                    .to_owned(),
            ),
            3170 => (
                Reason::InUse,
                "QuickBooks could not change it, most likely because someone has it open. \
                 Close it in QuickBooks, then publish again."
                    .to_owned(),
            ),
            3250 => (
                Reason::FeatureOff,
                "time tracking is not turned on in this company file. Turn it on in \
                 QuickBooks (Edit → Preferences → Time & Expenses), then publish again."
                    .to_owned(),
            ),
            3260 => (
                Reason::NoPermission,
                "QuickBooks does not let Timebridge enter time: either the Web Connector still \
                 has the read-only .qwc file (add the one Timebridge saved when publishing was \
                 turned on, and allow access in QuickBooks), or the QuickBooks user it signs in as \
                 may not enter time (give that user access to time tracking). Then publish again."
                    .to_owned(),
            ),
            3000 => (
                Reason::InvalidId,
                "an id Timebridge sent is not one of this company file's (the matches may come \
                 from another company file). Sync QuickBooks Desktop, check the matches, then \
                 publish again."
                    .to_owned(),
            ),
            3180 => (
                Reason::Other,
                "QuickBooks could not save it for the reason it gives. Fix that in QuickBooks \
                 or Timebridge, then publish again."
                    .to_owned(),
            ),
            _ => (
                Reason::Other,
                "QuickBooks refused it. Check the line in Timebridge and in QuickBooks, then \
                 publish again."
                    .to_owned(),
            ),
        }
    };
    let quickbooks = message.trim().trim_end_matches('.');
    let message = if quickbooks.is_empty() {
        format!("{}: {words} (QuickBooks status {code}.)", line.describe())
    } else {
        format!(
            "{}: {words} (QuickBooks status {code}: “{quickbooks}”.)",
            line.describe()
        )
    };
    Refusal {
        status_code: Some(code),
        status_message: quickbooks.to_owned(),
        reason,
        message,
    }
}

fn is_success(response: &Response) -> bool {
    !response.is_error()
}

fn warning(response: &Response) -> Option<String> {
    (response.status_code != 0 && !response.status_message.trim().is_empty()).then(|| {
        format!(
            "QuickBooks warned: “{}” (status {}).",
            response.status_message.trim().trim_end_matches('.'),
            response.status_code
        )
    })
}

fn line_answer(change: &TimeChange, response: Option<&Response>) -> LineAnswer {
    let marker = change.line().marker;
    let Some(response) = response else {
        return LineAnswer {
            marker,
            outcome: Outcome::Unanswered,
            note: None,
        };
    };
    let txn = || response.records.first().and_then(TimeTracking::from_json);
    let (outcome, note) = match change {
        TimeChange::Delete { .. } if is_success(response) => (Outcome::Deleted, warning(response)),
        // A delete of what QuickBooks no longer has leaves what was wanted.
        TimeChange::Delete { .. } if response.status_code == 3120 => (
            Outcome::Deleted,
            Some("QuickBooks no longer had it (deleted there before).".to_owned()),
        ),
        TimeChange::Add(_) | TimeChange::Modify { .. } if is_success(response) => match txn() {
            Some(txn) if matches!(change, TimeChange::Add(_)) => {
                (Outcome::Added(txn), warning(response))
            }
            Some(txn) => (Outcome::Modified(txn), warning(response)),
            None => (
                Outcome::Unanswered,
                Some("QuickBooks answered without the transaction.".to_owned()),
            ),
        },
        _ => (
            Outcome::Refused(explain(
                response.status_code,
                &response.status_message,
                change,
            )),
            None,
        ),
    };
    LineAnswer {
        marker,
        outcome,
        note,
    }
}

impl Batch {
    /// Every line's answer, from QuickBooks' answer to the batch, in the
    /// batch's order. An error: the answer is not qbXML at all (then no
    /// line is known to be answered).
    pub fn read(&self, answer: &str) -> Result<Vec<LineAnswer>, String> {
        let responses = qbxml::parse(answer)
            .map_err(|e| format!("QuickBooks' answer to the time sent could not be read: {e}"))?;
        let by_id: HashMap<(&str, &str), &Response> = responses
            .iter()
            .filter_map(|r| Some(((r.name.as_str(), r.request_id.as_deref()?), r)))
            .collect();
        Ok(self
            .changes
            .iter()
            .map(|change| {
                let id = change.line().marker.request_id();
                line_answer(
                    change,
                    by_id.get(&(change.answer_name(), id.as_str())).copied(),
                )
            })
            .collect())
    }

    /// Every line unanswered: the Web Connector reported that QuickBooks
    /// could not run the document (an `hresult` instead of an answer).
    pub fn unanswered(&self) -> Vec<LineAnswer> {
        self.changes
            .iter()
            .map(|change| LineAnswer {
                marker: change.line().marker,
                outcome: Outcome::Unanswered,
                note: None,
            })
            .collect()
    }
}

/// The transactions QuickBooks gave for a [`super::requests::TimeQuery`].
/// "No match" (1), "not all found" (500) and, for a transaction asked for
/// by `TxnID`, "not found" (3120) or an id QuickBooks does not know (3000)
/// are answers: nothing there. Any other refusal is an error, since
/// planning on a partial answer could add lines twice.
pub fn read_found(answer: &str) -> Result<Vec<TimeTracking>, String> {
    let responses = qbxml::parse(answer).map_err(|e| {
        format!("QuickBooks' answer about the time it holds could not be read: {e}")
    })?;
    let mut found = Vec::new();
    for response in responses.iter().filter(|r| r.name == "TimeTrackingQueryRs") {
        let nothing = matches!(response.status_code, 1 | 500 | 3000 | 3120);
        if response.is_error() && !nothing {
            let why = match response.status_code {
                3250 => "time tracking is not turned on in this company file",
                3260 => "the QuickBooks user the Web Connector signs in as may not see time",
                _ => "QuickBooks refused the question",
            };
            return Err(format!(
                "Timebridge could not read which time QuickBooks already has, so it sent \
                 nothing (that could add hours twice): {why} (QuickBooks status {}: “{}”).",
                response.status_code,
                response.status_message.trim().trim_end_matches('.')
            ));
        }
        found.extend(response.records.iter().filter_map(TimeTracking::from_json));
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
