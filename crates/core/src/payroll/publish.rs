//! Publishing a pay period's hours to a target, and what was published.
//!
//! A publish sends only what the target has not accepted yet: for each
//! line (employee, day, job, task, pay ID), today's hours minus the hours
//! the target accepted for it in earlier publications. The first publish
//! of a period sends everything; once anything was accepted the period is
//! *locked* for that target, later edits show as changes since
//! publication, and the next publish is a correction that sends only the
//! differences (negative where hours went down). Publishing the same hours
//! twice sends nothing the second time.
//!
//! Sending is in three steps so that a crash or a cut network never sends
//! hours twice: [`begin`] records the publication and its lines, each with
//! a request id derived from what was accepted before it, then the caller
//! sends them, then [`finish`] records the target's answer per line. A
//! publication left `sending` (the app stopped mid-send) is resent as it
//! was, with the same request ids, so the target recognises lines it
//! already has.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::lines::{PayrollLine, Prepared};
use super::periods::PayPeriod;
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::time;

/// One line to send: the difference to what the target has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub line: PayrollLine,
    /// Seconds the target accepted for this line before.
    pub published_seconds: i64,
    /// Seconds today.
    pub current_seconds: i64,
}

impl Change {
    pub fn difference(&self) -> i64 {
        self.current_seconds - self.published_seconds
    }
}

/// A line the target accepted, summed over publications.
#[derive(Debug, Clone)]
struct Accepted {
    seconds: i64,
    /// The line as last sent, to reverse it if it is gone today.
    last: PayrollLine,
}

fn accepted(
    conn: &Connection,
    target: &str,
    period: PayPeriod,
) -> Result<BTreeMap<String, Accepted>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_key, l.seconds, l.employee_id, l.work_date, l.job_id, l.task_id, l.pay_id,
                l.employee_name, l.job_label, l.task_label, l.employee_ref, l.job_ref, l.task_ref,
                l.item
         FROM publication_lines l JOIN publications p ON p.id = l.publication_id
         WHERE p.target = ?1 AND p.period_start = ?2 AND l.result = 'accepted'
         ORDER BY p.id, l.line_no",
    )?;
    let rows = statement.query_map(params![target, period.start.to_string()], |r| {
        let date: String = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            PayrollLine {
                employee_id: r.get(2)?,
                date: date.parse().unwrap_or(period.start),
                job_id: r.get(4)?,
                task_id: r.get(5)?,
                pay_id: r.get(6)?,
                seconds: 0,
                employee: r.get(7)?,
                first_name: String::new(),
                last_name: String::new(),
                employee_number: None,
                customer: None,
                job: r.get(8)?,
                job_number: None,
                task_code: None,
                task: r.get(9)?,
                pay_code: String::new(),
                item: r.get(13)?,
                item_external_id: None,
                employee_ref: r.get(10)?,
                job_ref: r.get(11)?,
                task_ref: r.get(12)?,
            },
        ))
    })?;
    let mut out: BTreeMap<String, Accepted> = BTreeMap::new();
    for row in rows {
        let (key, seconds, line) = row?;
        let entry = out.entry(key).or_insert(Accepted {
            seconds: 0,
            last: line.clone(),
        });
        entry.seconds += seconds;
        entry.last = line;
    }
    Ok(out)
}

/// What publishing now would send to `prepared`'s target: every line whose
/// hours differ from what the target accepted.
pub fn changes(conn: &Connection, prepared: &Prepared, period: PayPeriod) -> Result<Vec<Change>> {
    let mut accepted = accepted(conn, &prepared.target.key, period)?;
    let mut out = Vec::new();
    for line in &prepared.lines {
        let before = accepted.remove(&line.key()).map_or(0, |a| a.seconds);
        if line.seconds != before {
            let mut sent = line.clone();
            sent.seconds = line.seconds - before;
            out.push(Change {
                line: sent,
                published_seconds: before,
                current_seconds: line.seconds,
            });
        }
    }
    // Lines the target has that are gone today (an entry voided or moved).
    for (_, gone) in accepted {
        if gone.seconds != 0 {
            let mut line = gone.last;
            line.seconds = -gone.seconds;
            out.push(Change {
                line,
                published_seconds: gone.seconds,
                current_seconds: 0,
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PublicationKind {
    Original,
    Correction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PublicationOutcome {
    /// Being sent (or the app stopped while sending; it is resent first).
    Sending,
    Sent,
    PartlySent,
    Failed,
}

impl PublicationOutcome {
    fn as_str(self) -> &'static str {
        match self {
            PublicationOutcome::Sending => "sending",
            PublicationOutcome::Sent => "sent",
            PublicationOutcome::PartlySent => "partly_sent",
            PublicationOutcome::Failed => "failed",
        }
    }

    fn parse(text: &str) -> PublicationOutcome {
        match text {
            "sent" => PublicationOutcome::Sent,
            "partly_sent" => PublicationOutcome::PartlySent,
            "failed" => PublicationOutcome::Failed,
            _ => PublicationOutcome::Sending,
        }
    }
}

/// A line as sent to a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutgoingLine {
    pub line_no: i64,
    /// The line's idempotency key.
    pub request_id: String,
    pub employee_ref: Option<String>,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub job_ref: Option<String>,
    pub task_ref: Option<String>,
    pub item: String,
    pub item_external_id: Option<String>,
    pub seconds: i64,
}

/// A publication recorded and ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub publication_id: i64,
    pub kind: PublicationKind,
    pub lines: Vec<OutgoingLine>,
    /// Resending a publication the app stopped in the middle of.
    pub resumed: bool,
}

/// The target's answer to one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LineResult {
    pub line_no: i64,
    pub accepted: bool,
    /// The target's id of the hours it recorded.
    pub remote_id: Option<String>,
    /// Why it was rejected, in the target's words.
    pub message: Option<String>,
}

fn request_id(target: &str, period: PayPeriod, key: &str, before: i64, seconds: i64) -> String {
    crate::middleware::checksum_of_text(&format!(
        "{target}|{}|{key}|{before}|{seconds}",
        period.start
    ))
}

/// Records a publication of `prepared`'s changes, or returns the one left
/// mid-send, to send now. `None`: nothing to send.
pub fn begin(
    tx: &Transaction<'_>,
    prepared: &Prepared,
    period: PayPeriod,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<Outgoing>> {
    let target = &prepared.target;
    if !target.publishes {
        return Err(Error::invalid(
            "target",
            format!("{} is written as a file, not published.", target.name),
        ));
    }
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM publications WHERE target = ?1 AND period_start = ?2 AND outcome = 'sending'
             ORDER BY id LIMIT 1",
            params![target.key, period.start.to_string()],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
    {
        let kind = publication(tx, id)?.kind;
        return Ok(Some(Outgoing {
            publication_id: id,
            kind,
            lines: outgoing_lines(tx, id)?,
            resumed: true,
        }));
    }
    prepared.ensure_ready()?;
    let changes = changes(tx, prepared, period)?;
    if changes.is_empty() {
        return Ok(None);
    }
    let was_published: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM publication_lines l JOIN publications p ON p.id = l.publication_id
         WHERE p.target = ?1 AND p.period_start = ?2 AND l.result = 'accepted')",
        params![target.key, period.start.to_string()],
        |r| r.get(0),
    )?;
    let kind = if was_published {
        PublicationKind::Correction
    } else {
        PublicationKind::Original
    };
    tx.execute(
        "INSERT INTO publications (target, integration_id, target_name, period_start, period_end, kind,
           operator, started_at, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'sending')",
        params![
            target.key,
            target.target.integration_id(),
            target.name,
            period.start.to_string(),
            period.end.to_string(),
            match kind {
                PublicationKind::Original => "original",
                PublicationKind::Correction => "correction",
            },
            actor.name,
            time::to_db(now),
        ],
    )?;
    let publication_id = tx.last_insert_rowid();
    let mut insert = tx.prepare_cached(
        "INSERT INTO publication_lines (publication_id, line_no, line_key, request_id, employee_id,
           work_date, job_id, task_id, pay_id, seconds, employee_name, job_label, task_label,
           employee_ref, job_ref, task_ref, item, result)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'pending')",
    )?;
    let mut lines = Vec::with_capacity(changes.len());
    for (index, change) in changes.iter().enumerate() {
        let line = &change.line;
        let line_no = index as i64 + 1;
        let key = line.key();
        let request_id = request_id(
            &target.key,
            period,
            &key,
            change.published_seconds,
            line.seconds,
        );
        let item = line.item_or_code().to_owned();
        insert.execute(params![
            publication_id,
            line_no,
            key,
            request_id,
            line.employee_id,
            line.date.to_string(),
            line.job_id,
            line.task_id,
            line.pay_id,
            line.seconds,
            line.employee,
            line.customer_job(),
            line.task,
            line.employee_ref,
            line.job_ref,
            line.task_ref,
            item,
        ])?;
        lines.push(OutgoingLine {
            line_no,
            request_id,
            employee_ref: line.employee_ref.clone(),
            date: line.date,
            job_ref: line.job_ref.clone(),
            task_ref: line.task_ref.clone(),
            item,
            item_external_id: line.item_external_id.clone(),
            seconds: line.seconds,
        });
    }
    Ok(Some(Outgoing {
        publication_id,
        kind,
        lines,
        resumed: false,
    }))
}

fn outgoing_lines(conn: &Connection, publication_id: i64) -> Result<Vec<OutgoingLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_no, l.request_id, l.employee_ref, l.work_date, l.job_ref, l.task_ref, l.item,
                m.item_external_id, l.seconds
         FROM publication_lines l
         JOIN publications p ON p.id = l.publication_id
         LEFT JOIN pay_item_maps m ON m.target = p.target AND m.pay_id = l.pay_id
              AND m.employee_id = 0 AND m.item = l.item
         WHERE l.publication_id = ?1 ORDER BY l.line_no",
    )?;
    let rows = statement.query_map([publication_id], |r| {
        let date: String = r.get(3)?;
        Ok(OutgoingLine {
            line_no: r.get(0)?,
            request_id: r.get(1)?,
            employee_ref: r.get(2)?,
            date: date.parse().unwrap_or_default(),
            job_ref: r.get(4)?,
            task_ref: r.get(5)?,
            item: r.get(6)?,
            item_external_id: r.get(7)?,
            seconds: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records the target's answers (or, with `failure`, that the send failed:
/// its lines are sent again next time, under the same request ids), and
/// logs the publication.
pub fn finish(
    tx: &Transaction<'_>,
    publication_id: i64,
    results: &[LineResult],
    failure: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Publication> {
    let by_line: HashMap<i64, &LineResult> = results.iter().map(|r| (r.line_no, r)).collect();
    let lines = outgoing_lines(tx, publication_id)?;
    let mut update = tx.prepare_cached(
        "UPDATE publication_lines SET result = ?3, remote_id = ?4, message = ?5
         WHERE publication_id = ?1 AND line_no = ?2",
    )?;
    let (mut accepted, mut rejected) = (0usize, 0usize);
    for line in &lines {
        let (result, remote_id, message) = match (by_line.get(&line.line_no), failure) {
            (Some(answer), _) if answer.accepted => {
                accepted += 1;
                ("accepted", answer.remote_id.clone(), None)
            }
            (Some(answer), _) => {
                rejected += 1;
                (
                    "rejected",
                    None,
                    Some(
                        answer
                            .message
                            .clone()
                            .unwrap_or_else(|| "Rejected without a reason.".into()),
                    ),
                )
            }
            (None, Some(failure)) => {
                rejected += 1;
                ("rejected", None, Some(failure.to_owned()))
            }
            (None, None) => {
                rejected += 1;
                (
                    "rejected",
                    None,
                    Some(
                        "The target did not answer for this line; publish again to resend it."
                            .into(),
                    ),
                )
            }
        };
        update.execute(params![
            publication_id,
            line.line_no,
            result,
            remote_id,
            message
        ])?;
    }
    let outcome = if rejected == 0 {
        PublicationOutcome::Sent
    } else if accepted == 0 {
        PublicationOutcome::Failed
    } else {
        PublicationOutcome::PartlySent
    };
    let message = failure.map(str::to_owned).or_else(|| {
        (rejected > 0).then(|| {
            format!(
                "{rejected} of {} lines were rejected; see each line for why. Fix them, then publish again to send only those.",
                lines.len()
            )
        })
    });
    tx.execute(
        "UPDATE publications SET outcome = ?2, finished_at = ?3, message = ?4 WHERE id = ?1",
        params![publication_id, outcome.as_str(), time::to_db(now), message],
    )?;
    let publication = publication(tx, publication_id)?;
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollPublished,
            target: Some(publication.target.clone()),
            summary: format!(
                "Published {} payroll {} to {} to {}: {accepted} lines accepted, {rejected} rejected ({:+.2} h sent)",
                match publication.kind {
                    PublicationKind::Original => "the",
                    PublicationKind::Correction => "a correction to the",
                },
                publication.period.start,
                publication.period.end,
                publication.target_name,
                publication.accepted_seconds as f64 / 3600.0
            ),
            details: Some(serde_json::json!({
                "publication_id": publication_id,
                "outcome": outcome.as_str(),
                "lines": lines.len(),
            })),
        },
        now,
    )?;
    Ok(publication)
}

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
}

const PUBLICATION_SQL: &str = "SELECT p.id, p.target, p.target_name, p.period_start, p.period_end, p.kind,
        p.operator, p.started_at, p.finished_at, p.outcome, p.message,
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id),
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'accepted'),
        (SELECT count(*) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'rejected'),
        (SELECT ifnull(sum(seconds), 0) FROM publication_lines l WHERE l.publication_id = p.id AND l.result = 'accepted')
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
    })
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
    pub accepted: Option<bool>,
    pub remote_id: Option<String>,
    pub message: Option<String>,
}

pub fn publication_lines(conn: &Connection, id: i64) -> Result<Vec<PublishedLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT line_no, employee_name, work_date, job_label, task_label, item, seconds, result,
                remote_id, message
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
            accepted: match result.as_str() {
                "accepted" => Some(true),
                "rejected" => Some(false),
                _ => None,
            },
            remote_id: r.get(8)?,
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
