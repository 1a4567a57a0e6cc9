//! A pay period's lines as QuickBooks time-tracking transactions: what a
//! line is in QuickBooks' terms ([`TimeLine`]), what QuickBooks holds
//! ([`TimeTracking`]), the requests that add, change, delete and find them
//! ([`requests`]), the plan that keeps anything from being sent twice
//! ([`plan`]), and QuickBooks' answers in plain words ([`answers`]).
//!
//! # Nothing twice
//!
//! QuickBooks has no idempotency key: a `TimeTrackingAddRq` sent twice adds
//! the hours twice. The Web Connector can stop mid-update (the PC sleeps,
//! QuickBooks closes) after QuickBooks ran a batch but before its answer
//! reached Timebridge, so "sent, answer lost" is a state Timebridge has to
//! recover from without re-adding.
//!
//! Every transaction Timebridge adds carries a **marker** at the end of its
//! `Notes`: `[TB:<publication>-<line>]` ([`Marker`]), after the admin's own
//! notes. `Notes` is `STRTYPE` with `maxLength 4095` in `TimeTrackingAdd`
//! and `TimeTrackingMod` (`qbxml130.xsd`); the marker is at most 44
//! characters, and the admin's notes are cut to fit before it
//! ([`notes_with_marker`]). `ExternalGUID` would be the schema's own field
//! for this, but it exists only from qbXML 9.0 (Timebridge writes 8.0 too)
//! and `TimeTrackingQueryRq` cannot filter on it, so it would be read back
//! no more easily than `Notes`.
//!
//! Before lines whose answer was lost are sent again, Timebridge asks
//! QuickBooks what it has ([`requests::queries`]): a `TimeTrackingQueryRq`
//! by `TxnDateRangeFilter` (the lines' days) and `TimeTrackingEntityFilter`
//! (their employees), and one by `TxnID` for every transaction an earlier
//! publication made. [`plan::plan`], a pure function, reads the markers
//! back and decides per line: add it, it is already there (record its
//! `TxnID` and `EditSequence`), change it (`TimeTrackingModRq`, only the
//! fields that differ), delete it (`TxnDelRq`, a line whose hours went to
//! zero) or nothing (already gone). A marker removed by hand in QuickBooks
//! cannot be read back: that transaction is then found only through the
//! `TxnID` Timebridge recorded, if its answer arrived.
//!
//! # Durations
//!
//! `Duration` is `TIMEINTERVALTYPE`, `[+-]?PT(nH)?(nM)?(nS)?`
//! (`qbxmltypes130.xsd`). Whole minutes are written `PT8H30M`, as Intuit's
//! samples do; seconds that are not whole minutes are written too
//! (`PT8H30M15S`), so nothing is rounded away on Timebridge's side.
//! QuickBooks shows time to the minute and its documents do not say whether
//! it keeps the seconds, so a duration read back counts as the same when it
//! is within a minute of the line's.

pub mod answers;
pub mod plan;
pub mod publishing;
pub mod requests;

use std::fmt;

use chrono::NaiveDate;
use serde_json::Value;

use crate::lenient;

/// `Notes`' longest text in `TimeTrackingAdd` / `TimeTrackingMod`
/// (`qbxml130.xsd`: `maxLength 4095`), in characters.
pub const NOTES_MAX: usize = 4095;

/// The longest `FullName` of `EntityRef` and `CustomerRef` (the schema's
/// `CustomerListRef` group).
pub const ENTITY_NAME_MAX: usize = 209;

/// The longest `FullName` of `ItemServiceRef` and `ClassRef` (`ListRef`).
pub const ITEM_NAME_MAX: usize = 159;

/// The longest `FullName` of `PayrollItemWageRef` (`SimpleListRef`).
pub const WAGE_ITEM_NAME_MAX: usize = 31;

/// The longest `ListID` or `TxnID` (`IDTYPE`).
pub const ID_MAX: usize = 36;

/// The longest `EditSequence` (`TxnCoreMod`).
pub const EDIT_SEQUENCE_MAX: usize = 16;

/// A reference to a QuickBooks list record (employee, customer or job,
/// service item, class, payroll item): by `ListID` when the mapping has
/// one, else by `FullName`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRef {
    pub list_id: Option<String>,
    /// The name QuickBooks shows (`Customer:Job` for a job); what the
    /// admin is told, and what is sent when there is no `ListID`.
    pub full_name: String,
}

impl ListRef {
    pub fn by_id(list_id: &str, full_name: &str) -> ListRef {
        ListRef {
            list_id: Some(list_id.to_owned()),
            full_name: full_name.to_owned(),
        }
    }

    pub fn by_name(full_name: &str) -> ListRef {
        ListRef {
            list_id: None,
            full_name: full_name.to_owned(),
        }
    }

    /// Whether `other` (as QuickBooks gave it) is the same record: the
    /// same `ListID` when both have one, else the same name (QuickBooks'
    /// names are unique regardless of case).
    pub fn same_record(&self, other: &ListRef) -> bool {
        match (&self.list_id, &other.list_id) {
            (Some(mine), Some(theirs)) => mine == theirs,
            _ => self.full_name.eq_ignore_ascii_case(&other.full_name),
        }
    }

    fn from_json(raw: Option<&Value>) -> Option<ListRef> {
        let raw = raw?;
        let list_id = lenient::text(raw.get("ListID"));
        let full_name = lenient::text(raw.get("FullName"));
        if list_id.is_none() && full_name.is_none() {
            return None;
        }
        Some(ListRef {
            list_id,
            full_name: full_name.unwrap_or_default(),
        })
    }
}

/// `BillableStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billable {
    Billable,
    NotBillable,
    /// Already on an invoice (QuickBooks sets it; Timebridge never sends it).
    HasBeenBilled,
}

impl Billable {
    pub fn as_str(self) -> &'static str {
        match self {
            Billable::Billable => "Billable",
            Billable::NotBillable => "NotBillable",
            Billable::HasBeenBilled => "HasBeenBilled",
        }
    }

    pub fn parse(text: &str) -> Option<Billable> {
        match text.trim() {
            "Billable" => Some(Billable::Billable),
            "NotBillable" => Some(Billable::NotBillable),
            "HasBeenBilled" => Some(Billable::HasBeenBilled),
            _ => None,
        }
    }
}

/// Which publication line a QuickBooks transaction came from, as written
/// at the end of its `Notes`: `[TB:<publication>-<line>]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Marker {
    pub publication_id: i64,
    pub line_no: i64,
}

const MARKER_OPEN: &str = "[TB:";

impl Marker {
    /// The `requestID` of the line's request: `<publication>-<line>`, at
    /// most 39 characters (QuickBooks refuses more than 50, status 1060).
    pub fn request_id(self) -> String {
        format!("{}-{}", self.publication_id, self.line_no)
    }

    /// A marker written as [`Marker::request_id`].
    pub fn parse_request_id(text: &str) -> Option<Marker> {
        let (publication, line) = text.trim().split_once('-')?;
        Some(Marker {
            publication_id: publication.parse().ok()?,
            line_no: line.parse().ok()?,
        })
    }

    /// The last marker in `notes`, if any.
    pub fn find(notes: &str) -> Option<Marker> {
        markers(notes).last().map(|(marker, _)| *marker)
    }
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MARKER_OPEN}{}]", self.request_id())
    }
}

/// Every well-formed marker in `notes`, with the byte range it takes.
fn markers(notes: &str) -> Vec<(Marker, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = notes[from..].find(MARKER_OPEN).map(|i| i + from) {
        let body_start = start + MARKER_OPEN.len();
        from = body_start;
        let Some(end) = notes[body_start..].find(']').map(|i| i + body_start) else {
            break;
        };
        if let Some(marker) = Marker::parse_request_id(&notes[body_start..end]) {
            out.push((marker, start..end + 1));
            from = end + 1;
        }
    }
    out
}

/// The admin's notes without any marker (one copied from another entry,
/// or one Timebridge wrote before), and without the characters XML 1.0
/// cannot hold.
pub fn admin_notes(notes: &str) -> String {
    let mut kept = String::with_capacity(notes.len());
    let mut at = 0;
    for (_, range) in markers(notes) {
        kept.push_str(&notes[at..range.start]);
        at = range.end;
    }
    kept.push_str(&notes[at..]);
    kept.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `Notes` as Timebridge writes it: the admin's notes, cut to fit, then
/// the marker; never longer than [`NOTES_MAX`] characters.
pub fn notes_with_marker(notes: Option<&str>, marker: Marker) -> String {
    let marker = marker.to_string();
    let own = admin_notes(notes.unwrap_or_default());
    if own.is_empty() {
        return marker;
    }
    let room = NOTES_MAX - marker.chars().count() - 1;
    let cut: String = own.chars().take(room).collect();
    format!("{} {marker}", cut.trim_end())
}

/// Seconds as a `Duration`: `PT8H30M`, or `PT8H30M15S` when they are not
/// whole minutes.
pub fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let total = seconds.unsigned_abs();
    let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60);
    if rest == 0 {
        format!("{sign}PT{hours}H{minutes}M")
    } else {
        format!("{sign}PT{hours}H{minutes}M{rest}S")
    }
}

/// A `Duration` QuickBooks gave (`PT8H30M0S`, `PT45M`, …) in seconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut rest = rest.strip_prefix("PT")?;
    let mut seconds = 0i64;
    let mut any = false;
    for (unit, scale) in [('H', 3600), ('M', 60), ('S', 1)] {
        if let Some(at) = rest.find(unit) {
            let number: i64 = rest[..at].parse().ok()?;
            seconds = seconds.checked_add(number.checked_mul(scale)?)?;
            rest = &rest[at + 1..];
            any = true;
        }
    }
    // `-PT-9223372036854775808S` is out of range, not a duration.
    seconds.checked_mul(sign).filter(|_| any && rest.is_empty())
}

/// How a QuickBooks transaction is identified for a change: its `TxnID`
/// and the `EditSequence` it had when Timebridge last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnRef {
    pub txn_id: String,
    pub edit_sequence: String,
}

/// One payroll line as QuickBooks time: what `TimeTrackingAdd` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLine {
    /// The publication line it comes from (the marker and `requestID`).
    pub marker: Marker,
    pub date: NaiveDate,
    /// `EntityRef`.
    pub employee: ListRef,
    /// `CustomerRef`: the `Customer:Job`.
    pub customer_job: Option<ListRef>,
    /// `ItemServiceRef`.
    pub service_item: Option<ListRef>,
    /// The hours QuickBooks should hold for this line. Zero or less: it
    /// should hold none (a correction removed them).
    pub seconds: i64,
    pub class: Option<ListRef>,
    /// `PayrollItemWageRef`.
    pub wage_item: Option<ListRef>,
    /// The admin's notes (the marker is added when written).
    pub notes: Option<String>,
    pub billable: Option<Billable>,
    /// The transaction an earlier publication of this line made in
    /// QuickBooks, if its answer arrived.
    pub earlier: Option<TxnRef>,
}

impl TimeLine {
    /// `Notes` as written for this line.
    pub fn notes_text(&self) -> String {
        notes_with_marker(self.notes.as_deref(), self.marker)
    }

    /// The line as the admin reads it: employee, day, job and hours.
    pub fn describe(&self) -> String {
        let job = self
            .customer_job
            .as_ref()
            .map(|c| format!(", {}", c.full_name))
            .unwrap_or_default();
        format!(
            "{}, {}{job}, {:.2} h",
            self.employee.full_name,
            self.date,
            self.seconds as f64 / 3600.0
        )
    }

    /// The transaction QuickBooks holds once this line was added as
    /// `txn`: what a correction changes when nothing was read back.
    pub fn as_added(&self, txn: TxnRef) -> TimeTracking {
        TimeTracking {
            txn_id: txn.txn_id,
            edit_sequence: txn.edit_sequence,
            date: Some(self.date),
            employee: Some(self.employee.clone()),
            customer_job: self.customer_job.clone(),
            service_item: self.service_item.clone(),
            seconds: Some(self.seconds),
            class: self.class.clone(),
            wage_item: self.wage_item.clone(),
            notes: Some(self.notes_text()),
            billable: self.billable,
        }
    }
}

/// A time-tracking transaction QuickBooks holds (`TimeTrackingRet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeTracking {
    pub txn_id: String,
    pub edit_sequence: String,
    pub date: Option<NaiveDate>,
    pub employee: Option<ListRef>,
    pub customer_job: Option<ListRef>,
    pub service_item: Option<ListRef>,
    pub seconds: Option<i64>,
    pub class: Option<ListRef>,
    pub wage_item: Option<ListRef>,
    pub notes: Option<String>,
    pub billable: Option<Billable>,
}

impl TimeTracking {
    /// A `TimeTrackingRet` read as JSON ([`super::xml::to_json`]); `None`
    /// without a `TxnID`.
    pub fn from_json(raw: &Value) -> Option<TimeTracking> {
        let text = |field: &str| lenient::text(raw.get(field));
        Some(TimeTracking {
            txn_id: text("TxnID")?,
            edit_sequence: text("EditSequence").unwrap_or_default(),
            date: text("TxnDate").and_then(|d| d.parse().ok()),
            employee: ListRef::from_json(raw.get("EntityRef")),
            customer_job: ListRef::from_json(raw.get("CustomerRef")),
            service_item: ListRef::from_json(raw.get("ItemServiceRef")),
            seconds: text("Duration").as_deref().and_then(parse_duration),
            class: ListRef::from_json(raw.get("ClassRef")),
            wage_item: ListRef::from_json(raw.get("PayrollItemWageRef")),
            // Notes may be all spaces; they are kept as QuickBooks has them.
            notes: raw.get("Notes").and_then(Value::as_str).map(str::to_owned),
            billable: text("BillableStatus").as_deref().and_then(Billable::parse),
        })
    }

    /// The publication line it came from, if its notes say.
    pub fn marker(&self) -> Option<Marker> {
        self.notes.as_deref().and_then(Marker::find)
    }

    /// Its `TxnID` and `EditSequence`.
    pub fn txn(&self) -> TxnRef {
        TxnRef {
            txn_id: self.txn_id.clone(),
            edit_sequence: self.edit_sequence.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
