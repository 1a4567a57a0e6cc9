//! A work ticket time (`WorkTicketTime`) as a staged time entry.
//!
//! Paid time is `EndTime − StartTime − BreakTime` (`BreakTime` in hours, as
//! `Hours` is). Times come without an offset, in the branch's time zone
//! (`BranchTimeZone`, an IANA or a Windows zone name).
//!
//! - Without a break, a time is staged clocked: its start and end placed in
//!   the branch's zone.
//! - With a break, it is staged as its paid duration on its day, and the
//!   clocked span is noted: a clocked entry is paid end − start, and cannot
//!   say a break was taken inside it, so staging the span would pay the
//!   break. Inventing an earlier end instead would put a time on the entry
//!   that nobody clocked.
//! - When the zone is unknown the times cannot be placed: the paid
//!   duration is staged on the day, never guessed into UTC.
//! - A time with neither start nor end is its `Hours` on its date; one with
//!   a start and no end is still running and waits for its end.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde_json::Value;
use timebridge_core::middleware::{Incoming, StagedTimeEntry};
use timebridge_core::records::time_entries::TimeSpan;

use crate::lenient;

/// Windows zone names as .NET writes them, and the IANA zone each is
/// (CLDR `windowsZones.xml`, the territory-001 zone of each).
const WINDOWS_ZONES: [(&str, &str); 17] = [
    ("Eastern Standard Time", "America/New_York"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Central Standard Time", "America/Chicago"),
    ("Canada Central Standard Time", "America/Regina"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("GMT Standard Time", "Europe/London"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("UTC", "Etc/UTC"),
];

/// A branch's time zone, named the IANA way or the Windows way.
pub(crate) fn zone(name: &str) -> Option<chrono_tz::Tz> {
    let name = name.trim();
    name.parse().ok().or_else(|| {
        WINDOWS_ZONES
            .iter()
            .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
            .and_then(|(_, iana)| iana.parse().ok())
    })
}

/// A date, or the date part of a date-time (`2026-06-12T00:00:00`).
pub(crate) fn day(value: Option<&Value>) -> Option<NaiveDate> {
    let text = value?.as_str()?.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// A time as Aspire wrote it, and as an instant when it can be placed.
#[derive(Debug, Clone, Copy)]
struct Moment {
    local: NaiveDateTime,
    at: Option<DateTime<FixedOffset>>,
}

/// A time with its own offset, or local to the branch's zone.
fn moment(value: Option<&Value>, zone: Option<chrono_tz::Tz>) -> Option<Moment> {
    if let Some(at) = lenient::instant(value) {
        return Some(Moment {
            local: at.naive_local(),
            at: Some(at),
        });
    }
    let text = value?.as_str()?.trim();
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    let at = zone
        .and_then(|z| z.from_local_datetime(&local).earliest())
        .map(|t| t.fixed_offset());
    Some(Moment { local, at })
}

/// The break taken, in seconds (`BreakTime`, hours; none when absent).
fn break_seconds(raw: &Value, id: &str) -> Result<i64, String> {
    match super::decimal(raw.get("BreakTime")) {
        None => Ok(0),
        Some(h) if h < 0.0 => Err(format!("time {id} has a negative break ({h} h)")),
        Some(h) => Ok((h * 3600.0).round() as i64),
    }
}

/// A work ticket's time as a staged time entry, on the ticket's opportunity.
pub(crate) fn map_time(
    raw: &Value,
    tickets: &HashMap<String, String>,
    names: &HashMap<String, String>,
) -> Result<Option<Incoming>, String> {
    let Some(id) = lenient::id(raw.get("WorkTicketTimeID")) else {
        return Ok(None);
    };
    let contact =
        lenient::id(raw.get("ContactID")).ok_or_else(|| format!("time {id} has no contact"))?;
    let zone = lenient::text(raw.get("BranchTimeZone")).and_then(|z| zone(&z));
    let date = day(raw.get("WorkTicketTimeDate"));
    let start = moment(raw.get("StartTime"), zone);
    let end = moment(raw.get("EndTime"), zone);
    let taken = break_seconds(raw, &id)?;
    let mut clocked_note = None;
    let span = match (start, end) {
        (Some(start), Some(end)) => {
            let clocked = match (start.at, end.at) {
                (Some(a), Some(b)) => (b - a).num_seconds(),
                _ => (end.local - start.local).num_seconds(),
            };
            if clocked < 0 {
                return Err(format!("time {id} ends before it starts"));
            }
            if taken > clocked {
                return Err(format!(
                    "time {id}'s break is longer than the {:.2} hours clocked",
                    clocked as f64 / 3600.0
                ));
            }
            match (start.at, end.at) {
                (Some(start), Some(end)) if taken == 0 => TimeSpan::Clock {
                    start,
                    end: Some(end),
                },
                _ => {
                    let mut note = format!(
                        "clocked {}–{}",
                        start.local.format("%H:%M"),
                        end.local.format("%H:%M")
                    );
                    if taken > 0 {
                        note.push_str(&format!(", less a {:.2} h break", taken as f64 / 3600.0));
                    }
                    clocked_note = Some(note);
                    TimeSpan::Manual {
                        date: date.unwrap_or(start.local.date()),
                        duration_seconds: clocked - taken,
                    }
                }
            }
        }
        (Some(_), None) if raw.get("EndTime").is_none_or(Value::is_null) => {
            return Ok(None); // still clocked in
        }
        _ => {
            let date = date
                .or_else(|| day(raw.get("StartTime")))
                .ok_or_else(|| format!("time {id} has no date"))?;
            let worked = super::decimal(raw.get("Hours"))
                .ok_or_else(|| format!("time {id} has neither times nor hours"))?;
            TimeSpan::Manual {
                date,
                duration_seconds: (worked * 3600.0).round() as i64,
            }
        }
    };
    let work_date = date.unwrap_or_else(|| span.work_date());
    let ticket = lenient::id(raw.get("WorkTicketID"));
    let job = ticket.as_ref().and_then(|t| tickets.get(t).cloned());
    let notes = [
        lenient::text(raw.get("WorkTicketNumber")).map(|n| format!("Work ticket {n}")),
        clocked_note,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let who = names
        .get(&contact)
        .cloned()
        .or_else(|| lenient::text(raw.get("ContactName")))
        .unwrap_or_else(|| format!("Contact {contact}"));
    let entry = StagedTimeEntry {
        employee_external_id: contact,
        job_external_id: job,
        task_external_id: None,
        pay_item_external_id: lenient::id(raw.get("PayCodeID")),
        span,
        notes,
    };
    Ok(Some(Incoming::new(
        id,
        format!("{who} · {work_date}"),
        entry,
        Some(work_date),
    )))
}
