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

mod history;

pub use history::{
    PeriodLock, Publication, PublishedLine, history, is_locked, period_lock, publication,
    publication_lines,
};

/// One line to send: the difference to what the target has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    pub line: PayrollLine,
    /// Seconds the target accepted for this line before.
    pub published_seconds: i64,
    /// Seconds today.
    pub current_seconds: i64,
    /// Cents the target accepted for this line before (a bonus line).
    pub published_cents: i64,
    /// Cents today.
    pub current_cents: i64,
    /// The target's record of this line, as the last accepted publication
    /// of it left it (for a target that changes its record instead of
    /// adding the difference).
    #[serde(skip)]
    #[ts(skip)]
    pub earlier: Option<RemoteRecord>,
    /// How many times the target accepted this line before: part of the
    /// request id, so a line sent back to hours it once had (8 h, then
    /// 0, then 8 h again) is not taken for the first send's duplicate.
    #[serde(skip)]
    #[ts(skip)]
    pub sends: i64,
}

/// A target's own record of a line: its id there and, where the target
/// versions records (QuickBooks' `EditSequence`), the version last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RemoteRecord {
    pub id: String,
    pub edit_sequence: Option<String>,
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
    cents: i64,
    /// The line as last sent, to reverse it if it is gone today.
    last: PayrollLine,
    /// The target's record as the last accepted line left it (`None` once
    /// a line deleted it).
    remote: Option<RemoteRecord>,
    /// How many of its sends the target accepted.
    sends: i64,
}

fn accepted(
    conn: &Connection,
    target: &str,
    period: PayPeriod,
) -> Result<BTreeMap<String, Accepted>> {
    let mut statement = conn.prepare_cached(
        "SELECT l.line_key, l.seconds, l.employee_id, l.work_date, l.job_id, l.task_id, l.pay_id,
                l.employee_name, l.job_label, l.task_label, l.employee_ref, l.job_ref, l.task_ref,
                l.item, l.remote_id, l.edit_sequence, l.cents, l.bonus_id
         FROM publication_lines l JOIN publications p ON p.id = l.publication_id
         WHERE p.target = ?1 AND p.period_start = ?2 AND l.result = 'accepted'
         ORDER BY p.id, l.line_no",
    )?;
    let rows = statement.query_map(params![target, period.start.to_string()], |r| {
        let date: String = r.get(3)?;
        let remote = r.get::<_, Option<String>>(14)?.map(|id| RemoteRecord {
            id,
            edit_sequence: r.get(15).ok().flatten(),
        });
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)?, r.get::<_, i64>(16)?),
            remote,
            PayrollLine {
                employee_id: r.get(2)?,
                date: date.parse().unwrap_or(period.start),
                job_id: r.get(4)?,
                task_id: r.get(5)?,
                pay_id: r.get(6)?,
                seconds: 0,
                cents: 0,
                bonus_id: r.get(17)?,
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
        let (key, (seconds, cents), remote, line) = row?;
        let entry = out.entry(key).or_insert(Accepted {
            seconds: 0,
            cents: 0,
            last: line.clone(),
            remote: None,
            sends: 0,
        });
        entry.sends += 1;
        entry.seconds += seconds;
        entry.cents += cents;
        entry.last = line;
        entry.remote = remote;
    }
    Ok(out)
}

/// What publishing now would send to `prepared`'s target: every line whose
/// hours (or amount) differ from what the target accepted.
pub fn changes(conn: &Connection, prepared: &Prepared, period: PayPeriod) -> Result<Vec<Change>> {
    let mut accepted = accepted(conn, &prepared.target.key, period)?;
    let mut out = Vec::new();
    for line in &prepared.lines {
        let (before, before_cents, earlier, sends) = accepted
            .remove(&line.key())
            .map_or((0, 0, None, 0), |a| (a.seconds, a.cents, a.remote, a.sends));
        if line.seconds != before || line.cents != before_cents {
            let mut sent = line.clone();
            sent.seconds = line.seconds - before;
            sent.cents = line.cents - before_cents;
            out.push(Change {
                line: sent,
                published_seconds: before,
                current_seconds: line.seconds,
                published_cents: before_cents,
                current_cents: line.cents,
                earlier,
                sends,
            });
        }
    }
    // Lines the target has that are gone today (an entry voided or moved).
    for (_, gone) in accepted {
        if gone.seconds != 0 || gone.cents != 0 {
            let mut line = gone.last;
            line.seconds = -gone.seconds;
            line.cents = -gone.cents;
            out.push(Change {
                line,
                published_seconds: gone.seconds,
                current_seconds: 0,
                published_cents: gone.cents,
                current_cents: 0,
                earlier: gone.remote,
                sends: gone.sends,
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
    /// The difference sent: what the target should add.
    pub seconds: i64,
    /// What the target should hold for this line once it is accepted:
    /// the hours accepted before plus [`OutgoingLine::seconds`].
    pub holds_seconds: i64,
    /// A bonus line's amount: the difference sent, in cents.
    pub cents: i64,
    /// What the target should hold for this bonus line once accepted.
    pub holds_cents: i64,
    /// The bonus a line of an amount pays (its hours are then 0).
    pub bonus_id: Option<i64>,
    /// The line as the admin reads it.
    pub employee_name: String,
    pub job_label: Option<String>,
    pub task_label: Option<String>,
    /// The target's record of this line from the last accepted
    /// publication of it.
    pub earlier: Option<RemoteRecord>,
    /// The target already answered this line (a publication resumed after
    /// an update was cut short): it is not sent again.
    pub answered: bool,
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
    /// The target's version of that record (QuickBooks' `EditSequence`).
    pub edit_sequence: Option<String>,
    /// Why it was rejected, in the target's words.
    pub message: Option<String>,
}

/// A line's request id: the same for every retry of one send (so the
/// target answers a resend "duplicate"), different for each new send of the
/// line. A line's first send keeps the id it always had.
fn request_id(
    target: &str,
    period: PayPeriod,
    key: &str,
    before: i64,
    seconds: i64,
    sends: i64,
) -> String {
    crate::middleware::checksum_of_text(&format!(
        "{target}|{}|{key}|{before}|{seconds}{}",
        period.start,
        resend_said(sends)
    ))
}

/// The part of a request id that tells the `sends`-th resend of a line
/// from its first send: nothing for the first.
fn resend_said(sends: i64) -> String {
    if sends == 0 {
        String::new()
    } else {
        format!("|send{sends}")
    }
}

/// A bonus line's request id: from the cents accepted before and sent.
fn amount_request_id(
    target: &str,
    period: PayPeriod,
    key: &str,
    before_cents: i64,
    cents: i64,
    sends: i64,
) -> String {
    crate::middleware::checksum_of_text(&format!(
        "{target}|{}|{key}|cents|{before_cents}|{cents}{}",
        period.start,
        resend_said(sends)
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
           employee_ref, job_ref, task_ref, item, result, holds_seconds, earlier_remote_id,
           earlier_edit_sequence, cents, holds_cents, bonus_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'pending',
           ?18, ?19, ?20, ?21, ?22, ?23)",
    )?;
    let mut lines = Vec::with_capacity(changes.len());
    for (index, change) in changes.iter().enumerate() {
        let line = &change.line;
        let line_no = index as i64 + 1;
        let key = line.key();
        let request_id = match line.bonus_id {
            Some(_) => amount_request_id(
                &target.key,
                period,
                &key,
                change.published_cents,
                line.cents,
                change.sends,
            ),
            None => request_id(
                &target.key,
                period,
                &key,
                change.published_seconds,
                line.seconds,
                change.sends,
            ),
        };
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
            change.current_seconds,
            change.earlier.as_ref().map(|e| &e.id),
            change
                .earlier
                .as_ref()
                .and_then(|e| e.edit_sequence.as_ref()),
            line.cents,
            change.current_cents,
            line.bonus_id,
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
            holds_seconds: change.current_seconds,
            cents: line.cents,
            holds_cents: change.current_cents,
            bonus_id: line.bonus_id,
            employee_name: line.employee.clone(),
            job_label: line.customer_job(),
            task_label: line.task.clone(),
            earlier: change.earlier.clone(),
            answered: false,
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
                m.item_external_id, l.seconds, l.holds_seconds, l.employee_name, l.job_label,
                l.task_label, l.earlier_remote_id, l.earlier_edit_sequence, l.result,
                l.cents, l.holds_cents, l.bonus_id
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
            // Written before holds_seconds existed: the difference alone.
            holds_seconds: r.get::<_, Option<i64>>(9)?.unwrap_or(r.get(8)?),
            cents: r.get(16)?,
            holds_cents: r.get(17)?,
            bonus_id: r.get(18)?,
            employee_name: r.get(10)?,
            job_label: r.get(11)?,
            task_label: r.get(12)?,
            earlier: r.get::<_, Option<String>>(13)?.map(|id| RemoteRecord {
                id,
                edit_sequence: r.get(14).ok().flatten(),
            }),
            answered: r.get::<_, String>(15)? != "pending",
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores one line's answer.
fn store_answer(tx: &Transaction<'_>, publication_id: i64, answer: &LineResult) -> Result<()> {
    let (result, message) = if answer.accepted {
        // A note the target gave with its success, if any.
        ("accepted", answer.message.clone())
    } else {
        (
            "rejected",
            Some(
                answer
                    .message
                    .clone()
                    .unwrap_or_else(|| "Rejected without a reason.".into()),
            ),
        )
    };
    tx.prepare_cached(
        "UPDATE publication_lines SET result = ?3, remote_id = ?4, edit_sequence = ?5, message = ?6
         WHERE publication_id = ?1 AND line_no = ?2",
    )?
    .execute(params![
        publication_id,
        answer.line_no,
        result,
        answer.remote_id.as_ref().filter(|_| answer.accepted),
        answer.edit_sequence.as_ref().filter(|_| answer.accepted),
        message
    ])?;
    Ok(())
}

/// Records the target's answers to some lines as they come (a target
/// answering batch by batch), leaving the publication `sending`: a crash
/// after this keeps them, and the lines answered are not sent again.
pub fn record(tx: &Transaction<'_>, publication_id: i64, results: &[LineResult]) -> Result<()> {
    for answer in results {
        store_answer(tx, publication_id, answer)?;
    }
    Ok(())
}

/// Counts one more handing of publication `id` to its target (a Web
/// Connector update that began sending it); returns how many there were
/// before this one.
pub fn handed_over(tx: &Transaction<'_>, id: i64) -> Result<i64> {
    let before: i64 = tx.query_row(
        "UPDATE publications SET attempts = attempts + 1 WHERE id = ?1 RETURNING attempts - 1",
        [id],
        |r| r.get(0),
    )?;
    Ok(before)
}

/// The publications to `target` (a target key) recorded and not yet
/// finished, oldest first, each with its lines: what a target that
/// collects its publications itself (the Web Connector) sends next.
pub fn waiting(conn: &Connection, target: &str) -> Result<Vec<Outgoing>> {
    let ids: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT id, attempts FROM publications WHERE target = ?1 AND outcome = 'sending' ORDER BY id",
        )?
        .query_map([target], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|(id, attempts)| {
            Ok(Outgoing {
                publication_id: id,
                kind: publication(conn, id)?.kind,
                lines: outgoing_lines(conn, id)?,
                resumed: attempts > 0,
            })
        })
        .collect()
}

/// Sets what a publication not yet finished tells the admin (that it waits
/// for the Web Connector, or how far it got).
pub fn set_message(tx: &Transaction<'_>, id: i64, message: &str) -> Result<()> {
    tx.execute(
        "UPDATE publications SET message = ?2 WHERE id = ?1 AND outcome = 'sending'",
        params![id, message],
    )?;
    Ok(())
}

/// Adds `note` to what a publication tells the admin.
pub fn add_note(tx: &Transaction<'_>, id: i64, note: &str) -> Result<Publication> {
    tx.execute(
        "UPDATE publications SET message = trim(ifnull(message, '') || ' ' || ?2) WHERE id = ?1",
        params![id, note],
    )?;
    publication(tx, id)
}

/// Records the target's answers (or, with `failure`, that the send failed:
/// its lines are sent again next time, under the same request ids), and
/// logs the publication. Lines answered before (through [`record`]) keep
/// their answers.
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
    for line in &lines {
        let answer = match (by_line.get(&line.line_no), failure) {
            (Some(answer), _) => (*answer).clone(),
            (None, _) if line.answered => continue,
            (None, Some(failure)) => LineResult {
                line_no: line.line_no,
                accepted: false,
                remote_id: None,
                edit_sequence: None,
                message: Some(failure.to_owned()),
            },
            (None, None) => LineResult {
                line_no: line.line_no,
                accepted: false,
                remote_id: None,
                edit_sequence: None,
                message: Some(
                    "The target did not answer for this line; publish again to resend it.".into(),
                ),
            },
        };
        store_answer(tx, publication_id, &answer)?;
    }
    let (accepted, rejected): (i64, i64) = tx.query_row(
        "SELECT count(*) FILTER (WHERE result = 'accepted'), count(*) FILTER (WHERE result = 'rejected')
         FROM publication_lines WHERE publication_id = ?1",
        [publication_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
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
    // Bonuses whose every share the target now holds are paid.
    crate::bonus::pay::settle(tx, publication_id, actor, now)?;
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollPublished,
            target: Some(publication.target.clone()),
            summary: format!(
                "Published {} payroll {} to {} to {}: {accepted} lines accepted, {rejected} rejected ({:+.2} h{} sent)",
                match publication.kind {
                    PublicationKind::Original => "the",
                    PublicationKind::Correction => "a correction to the",
                },
                publication.period.start,
                publication.period.end,
                publication.target_name,
                publication.accepted_seconds as f64 / 3600.0,
                if publication.accepted_cents == 0 {
                    String::new()
                } else {
                    format!(
                        " and {} in bonuses",
                        crate::bonus::pay::dollars(publication.accepted_cents)
                    )
                }
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
