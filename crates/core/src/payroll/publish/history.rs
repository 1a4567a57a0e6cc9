//! What was published: publications and their lines as the payroll page
//! lists them, and whether a period is locked by them.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{PublicationKind, PublicationOutcome};
use crate::error::{Error, Result};
use crate::payroll::periods::PayPeriod;

/// A publication, as the payroll page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Publication {
    pub id: i64,
    pub target: String,
    pub target_name: String,
    pub period: PayPeriod,
    pub kind: PublicationKind,
    pub operator: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: PublicationOutcome,
    pub message: Option<String>,
    pub lines: i64,
    pub accepted_lines: i64,
    pub rejected_lines: i64,
    /// The hours accepted (signed, for a correction).
    pub accepted_seconds: i64,
    /// The bonus amounts accepted, in cents (signed, for a correction).
    pub accepted_cents: i64,
    /// How many times it was handed to the target: 0 while a Web
    /// Connector publication waits for QuickBooks' next update.
    pub attempts: i64,
    /// Its target collects it itself: QuickBooks Desktop's Web Connector,
    /// on its next update. Otherwise a publication still `sending` was
    /// interrupted, and is resent when publishing again.
    pub through_web_connector: bool,
}

const PUBLICATION_SQL: &str = "SELECT p.id, p.target, p.target_name, p.period_start, p.period_end, p.kind,
        p.operator, p.started_at, p.finished_at, p.outcome, p.message,
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id),
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'accepted'),
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'rejected'),
        (SELECT ifnull(sum(seconds), 0) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'accepted'),
        p.attempts,
        (SELECT ifnull(sum(cents), 0) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'accepted'),
        EXISTS (SELECT 1 FROM integrations i
                WHERE i.id = p.integration_id AND i.platform = 'quickbooks_desktop')
     FROM publications p";

fn publication_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Publication> {
    let date = |i: usize| -> rusqlite::Result<NaiveDate> {
        let text: String = r.get(i)?;
        text.parse().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, "date".into())
        })
    };
    let instant = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        let text: Option<String> = r.get(i)?;
        Ok(text.and_then(|t| DateTime::parse_from_rfc3339(&t).ok().map(|d| d.to_utc())))
    };
    let kind: String = r.get(5)?;
    let outcome: String = r.get(9)?;
    Ok(Publication {
        id: r.get(0)?,
        target: r.get(1)?,
        target_name: r.get(2)?,
        period: PayPeriod {
            start: date(3)?,
            end: date(4)?,
        },
        kind: if kind == "correction" {
            PublicationKind::Correction
        } else {
            PublicationKind::Original
        },
        operator: r.get(6)?,
        started_at: instant(7)?.unwrap_or_default(),
        finished_at: instant(8)?,
        outcome: PublicationOutcome::parse(&outcome),
        message: r.get(10)?,
        lines: r.get(11)?,
        accepted_lines: r.get(12)?,
        rejected_lines: r.get(13)?,
        accepted_seconds: r.get(14)?,
        attempts: r.get(15)?,
        accepted_cents: r.get(16)?,
        through_web_connector: r.get(17)?,
    })
}

impl Publication {
    /// What it delivered, in words: `+8.00 h`, or `+8.00 h and $52.50 in
    /// bonuses`.
    pub fn accepted_said(&self) -> String {
        let hours = format!("{:+.2} h", self.accepted_seconds as f64 / 3600.0);
        if self.accepted_cents == 0 {
            hours
        } else {
            format!(
                "{hours} and {} in bonuses",
                crate::bonus::pay::dollars(self.accepted_cents)
            )
        }
    }
}

pub fn publication(conn: &Connection, id: i64) -> Result<Publication> {
    conn.prepare_cached(&format!("{PUBLICATION_SQL} WHERE p.id = ?1"))?
        .query_row([id], publication_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Publication #{id} does not exist.")))
}

/// The publications of a period, newest first.
pub fn history(conn: &Connection, period: PayPeriod) -> Result<Vec<Publication>> {
    let mut statement = conn.prepare_cached(&format!(
        "{PUBLICATION_SQL} WHERE p.period_start = ?1 ORDER BY p.id DESC"
    ))?;
    let rows = statement.query_map([period.start.to_string()], publication_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One line of a publication, with the target's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublishedLine {
    pub line_no: i64,
    pub employee_name: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub job: Option<String>,
    pub task: Option<String>,
    pub item: String,
    pub seconds: i64,
    /// A bonus line's amount, in cents.
    pub cents: i64,
    /// The bonus it pays.
    pub bonus_id: Option<i64>,
    pub accepted: Option<bool>,
    pub remote_id: Option<String>,
    /// The target's version of its record (QuickBooks' `EditSequence`).
    pub edit_sequence: Option<String>,
    pub message: Option<String>,
}

pub fn publication_lines(conn: &Connection, id: i64) -> Result<Vec<PublishedLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_no, employee_name, work_date, job_label, task_label, item, seconds, result,
                remote_id, message, edit_sequence, cents, bonus_id
         FROM publication_lines WHERE publication_id = ?1 ORDER BY line_no",
    )?;
    let rows = statement.query_map([id], |r| {
        let date: String = r.get(2)?;
        let result: String = r.get(7)?;
        Ok(PublishedLine {
            line_no: r.get(0)?,
            employee_name: r.get(1)?,
            date: date.parse().unwrap_or_default(),
            job: r.get(3)?,
            task: r.get(4)?,
            item: r.get(5)?,
            seconds: r.get(6)?,
            cents: r.get(11)?,
            bonus_id: r.get(12)?,
            accepted: match result.as_str() {
                "accepted" => Some(true),
                "rejected" => Some(false),
                _ => None,
            },
            remote_id: r.get(8)?,
            edit_sequence: r.get(10)?,
            message: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the hours of a period were published, and where: what the time
/// entry form warns about before an entry in it is changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PeriodLock {
    pub period: PayPeriod,
    /// Some target accepted this period's hours.
    pub locked: bool,
    /// The targets that accepted them, by name.
    pub published_to: Vec<String>,
    /// When the latest of those publications finished (UTC).
    pub published_at: Option<String>,
}

/// The lock of `period`: which targets accepted its hours, and when.
pub fn period_lock(conn: &Connection, period: PayPeriod) -> Result<PeriodLock> {
    let mut statement = conn.prepare_cached(
        "SELECT p.target_name, max(p.finished_at) FROM publications p
         WHERE p.period_start = ?1
           AND EXISTS (SELECT 1 FROM publication_lines l
                       WHERE l.publication_id = p.id AND l.result = 'accepted')
         GROUP BY p.target_name ORDER BY p.target_name",
    )?;
    let rows = statement.query_map([period.start.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PeriodLock {
        period,
        locked: !rows.is_empty(),
        published_at: rows.iter().filter_map(|(_, at)| at.clone()).max(),
        published_to: rows.into_iter().map(|(name, _)| name).collect(),
    })
}

/// Whether a period is locked: some target accepted its hours.
pub fn is_locked(conn: &Connection, period: PayPeriod) -> Result<bool> {
    Ok(period_lock(conn, period)?.locked)
}
