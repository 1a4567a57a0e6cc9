//! Time entries: who worked when, on which job and task.
//!
//! A *clocked* entry has a start and (once finished) an end, each an instant
//! with the UTC offset it was recorded in; it is stored as UTC seconds plus
//! that offset, so it sorts and compares exactly and still shows the local
//! time the worker saw. A *manual* entry has a work date and a duration.
//! An entry without an end is still running. Entries are voided, never
//! deleted: a voided entry stays visible and leaves payroll.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, get_one, reference_problem, run_list, task_problem,
    write_functions,
};
use crate::error::Result;
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::TimeEntry;

/// The longest a single entry may be. Longer shifts are two entries.
pub const MAX_ENTRY_SECONDS: i64 = 24 * 60 * 60;

/// When the time was worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeSpan {
    /// Clocked in and out; `end` is `None` while still running.
    Clock {
        start: DateTime<FixedOffset>,
        end: Option<DateTime<FixedOffset>>,
    },
    /// Entered as a duration on a date.
    Manual {
        date: NaiveDate,
        duration_seconds: i64,
    },
}

impl TimeSpan {
    /// The local date the entry counts on: the start's date in its own offset.
    pub fn work_date(&self) -> NaiveDate {
        match self {
            TimeSpan::Clock { start, .. } => start.date_naive(),
            TimeSpan::Manual { date, .. } => *date,
        }
    }

    /// Worked seconds; `None` while a clocked entry is running.
    pub fn duration_seconds(&self) -> Option<i64> {
        match self {
            TimeSpan::Clock { start, end } => end.map(|end| (end - *start).num_seconds()),
            TimeSpan::Manual {
                duration_seconds, ..
            } => Some(*duration_seconds),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimeEntryDraft {
    pub employee_id: i64,
    #[serde(default)]
    pub job_id: Option<i64>,
    #[serde(default)]
    pub task_id: Option<i64>,
    /// `None` lets payroll's overtime rules decide (regular time first).
    #[serde(default)]
    pub pay_id: Option<i64>,
    pub span: TimeSpan,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimeEntry {
    pub id: i64,
    pub employee_id: i64,
    pub employee_name: String,
    pub job_id: Option<i64>,
    pub job_name: Option<String>,
    pub task_id: Option<i64>,
    pub task_label: Option<String>,
    pub pay_id: Option<i64>,
    pub pay_code: Option<String>,
    pub span: TimeSpan,
    pub work_date: NaiveDate,
    /// `None` while running.
    pub duration_seconds: Option<i64>,
    pub notes: String,
    /// `false` once voided.
    pub active: bool,
    pub meta: RecordMeta,
}

impl TimeEntry {
    pub fn draft(&self) -> TimeEntryDraft {
        TimeEntryDraft {
            employee_id: self.employee_id,
            job_id: self.job_id,
            task_id: self.task_id,
            pay_id: self.pay_id,
            span: self.span.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeEntrySort {
    Date,
    Employee,
    Job,
    Duration,
    Source,
    UpdatedAt,
}

impl SortColumns for TimeEntrySort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            TimeEntrySort::Date => &["r.work_date", "r.start_utc"],
            TimeEntrySort::Employee => &[
                "e.last_name COLLATE NOCASE",
                "e.first_name COLLATE NOCASE",
                "r.work_date",
            ],
            TimeEntrySort::Job => &["j.name", "r.work_date"],
            TimeEntrySort::Duration => &["r.duration_seconds"],
            TimeEntrySort::Source => &["r.source_kind", "si.name"],
            TimeEntrySort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "time_entries r LEFT JOIN integrations si ON si.id = r.source_integration_id
           JOIN employees e ON e.id = r.employee_id
           LEFT JOIN jobs j ON j.id = r.job_id
           LEFT JOIN tasks t ON t.id = r.task_id
           LEFT JOIN pay_ids p ON p.id = r.pay_id",
    stored: &COLUMNS.names,
    shown: "e.first_name, e.last_name, j.name AS job_name, t.code AS task_code, \
            t.name AS task_name, p.code AS pay_code, r.voided_at IS NULL AS active",
    search_columns: &[
        "e.first_name",
        "e.last_name",
        "j.name",
        "t.code",
        "t.name",
        "r.notes",
    ],
    active_condition: "r.voided_at IS NULL",
    job_column: Some("r.job_id"),
};

/// The columns a time entry's draft is stored in; its span takes seven.
static COLUMNS: Columns<12> = Columns::new(
    "time_entries",
    [
        "employee_id",
        "job_id",
        "task_id",
        "pay_id",
        "kind",
        "start_utc",
        "start_offset",
        "end_utc",
        "end_offset",
        "work_date",
        "duration_seconds",
        "notes",
    ],
)
// The wage the entry is costed at: its employee's (?1) on its day (?10);
// see `crate::costing::wages`.
.deriving(
    "wage_cents_per_hour",
    "(SELECT w.cents_per_hour FROM employee_wages w WHERE w.employee_id = ?1 \
     AND w.effective_from <= ?10 ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC \
     LIMIT 1)",
);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &TimeEntryDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 12]> {
    let (kind, start_utc, start_offset, end_utc, end_offset, work_date, duration) =
        span_columns(&d.span);
    Ok([
        d.employee_id.to_sql()?,
        d.job_id.to_sql()?,
        d.task_id.to_sql()?,
        d.pay_id.to_sql()?,
        ToSqlOutput::from(kind),
        ToSqlOutput::Owned(start_utc.into()),
        ToSqlOutput::Owned(start_offset.into()),
        ToSqlOutput::Owned(end_utc.into()),
        ToSqlOutput::Owned(end_offset.into()),
        ToSqlOutput::Owned(work_date.into()),
        ToSqlOutput::Owned(duration.into()),
        d.notes.to_sql()?,
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<TimeEntryDraft> {
    let [employee_id, job_id, task_id, pay_id, .., notes] = COLUMNS.names;
    Ok(TimeEntryDraft {
        employee_id: row.get(employee_id)?,
        job_id: row.get(job_id)?,
        task_id: row.get(task_id)?,
        pay_id: row.get(pay_id)?,
        span: span_from_row(row)?,
        notes: row.get(notes)?,
    })
}

fn instant(utc: i64, offset: i64) -> Option<DateTime<FixedOffset>> {
    FixedOffset::east_opt(i32::try_from(offset).ok()?)?
        .timestamp_opt(utc, 0)
        .single()
}

/// The span a row holding its [`COLUMNS`] stores (payroll's queries
/// select them too).
pub(crate) fn span_from_row(row: &Row<'_>) -> rusqlite::Result<TimeSpan> {
    let [
        ..,
        kind,
        start_utc,
        start_offset,
        end_utc,
        end_offset,
        work_date,
        duration_seconds,
        _,
    ] = COLUMNS.names;
    let kind: String = row.get(kind)?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Integer,
            format!("time entry has an invalid {what}").into(),
        )
    };
    if kind == "manual" {
        let date = super::date_column(row, work_date)?.ok_or_else(|| bad("work date"))?;
        return Ok(TimeSpan::Manual {
            date,
            duration_seconds: row.get::<_, Option<i64>>(duration_seconds)?.unwrap_or(0),
        });
    }
    let start = instant(row.get(start_utc)?, row.get(start_offset)?).ok_or_else(|| bad("start"))?;
    let end_utc: Option<i64> = row.get(end_utc)?;
    let end_offset: Option<i64> = row.get(end_offset)?;
    let end = match (end_utc, end_offset) {
        (Some(utc), Some(offset)) => Some(instant(utc, offset).ok_or_else(|| bad("end"))?),
        _ => None,
    };
    Ok(TimeSpan::Clock { start, end })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<TimeEntry> {
    let TimeEntryDraft {
        employee_id,
        job_id,
        task_id,
        pay_id,
        span,
        notes,
    } = stored_draft(row)?;
    let [.., duration_seconds, _] = COLUMNS.names;
    let first: String = row.get("first_name")?;
    let last: String = row.get("last_name")?;
    let task_code: Option<String> = row.get("task_code")?;
    let task_name: Option<String> = row.get("task_name")?;
    Ok(TimeEntry {
        id: row.get("id")?,
        employee_id,
        employee_name: super::employees::display_name(&first, &last),
        job_id,
        job_name: row.get("job_name")?,
        task_id,
        task_label: task_code.map(|code| format!("{code} {}", task_name.unwrap_or_default())),
        pay_id,
        pay_code: row.get("pay_code")?,
        work_date: span.work_date(),
        duration_seconds: row.get(duration_seconds)?,
        span,
        notes,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<TimeEntrySort>) -> Result<Page<TimeEntry>> {
    run_list(
        conn,
        &SPEC,
        query,
        TimeEntrySort::Date,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<TimeEntry> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

fn clean(
    conn: &Connection,
    draft: &TimeEntryDraft,
    id: Option<i64>,
    by: WrittenBy,
) -> Result<TimeEntryDraft> {
    let mut checks = Checks::default();
    let must_be_active = by.references_must_be_active(id);
    if draft.employee_id <= 0 {
        checks.problem("employee_id", "Pick the employee who worked this time.");
    } else if let Some(problem) = reference_problem(
        conn,
        RecordKind::Employee,
        draft.employee_id,
        must_be_active,
    )? {
        checks.problem("employee_id", problem);
    }
    if let Some(job_id) = draft.job_id
        && let Some(problem) = reference_problem(conn, RecordKind::Job, job_id, must_be_active)?
    {
        checks.problem("job_id", problem);
    }
    if let Some(task_id) = draft.task_id
        && let Some(problem) = task_problem(conn, task_id, draft.job_id, must_be_active)?
    {
        checks.problem("task_id", problem);
    }
    if let Some(pay_id) = draft.pay_id
        && let Some(problem) = reference_problem(conn, RecordKind::PayId, pay_id, must_be_active)?
    {
        checks.problem("pay_id", problem);
    }
    check_span(&mut checks, &draft.span);
    let notes = checks
        .optional("notes", "the notes", Some(&draft.notes), 2000)
        .unwrap_or_default();
    if !checks.has_problem("employee_id") && !checks.has_problem("end") {
        check_overlap(conn, &mut checks, draft, id)?;
    }
    checks.finish()?;
    Ok(TimeEntryDraft {
        notes,
        ..draft.clone()
    })
}

fn check_span(checks: &mut Checks, span: &TimeSpan) {
    match span {
        TimeSpan::Clock {
            start,
            end: Some(end),
        } if end < start => checks.problem(
            "end",
            format!(
                "The end ({}) is before the start ({}). Check the date and the times.",
                end.format("%b %-d %H:%M"),
                start.format("%b %-d %H:%M")
            ),
        ),
        TimeSpan::Clock {
            start,
            end: Some(end),
        } if (*end - *start).num_seconds() > MAX_ENTRY_SECONDS => checks.problem(
            "end",
            "An entry can be at most 24 hours long. Split a longer shift into two entries.",
        ),
        TimeSpan::Manual {
            duration_seconds, ..
        } if *duration_seconds <= 0 => {
            checks.problem("duration_seconds", "Enter a duration longer than zero.")
        }
        TimeSpan::Manual {
            duration_seconds, ..
        } if *duration_seconds > MAX_ENTRY_SECONDS => checks.problem(
            "duration_seconds",
            "An entry can be at most 24 hours long. Split it into two entries.",
        ),
        _ => {}
    }
}

/// A clocked entry may not overlap another live clocked entry of the same
/// employee, and an employee has at most one running entry.
fn check_overlap(
    conn: &Connection,
    checks: &mut Checks,
    draft: &TimeEntryDraft,
    id: Option<i64>,
) -> Result<()> {
    let TimeSpan::Clock { start, end } = &draft.span else {
        return Ok(());
    };
    let start_utc = start.timestamp();
    let end_utc = end.map(|end| end.timestamp());
    if end_utc == Some(start_utc) {
        return Ok(());
    }
    // The clashing entry's id, its start, and its end (None while running).
    type Clash = (
        i64,
        Option<DateTime<FixedOffset>>,
        Option<DateTime<FixedOffset>>,
    );
    let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<Clash> {
        let end = match (row.get::<_, Option<i64>>(3)?, row.get::<_, Option<i64>>(4)?) {
            (Some(utc), Some(offset)) => instant(utc, offset),
            _ => None,
        };
        Ok((row.get(0)?, instant(row.get(1)?, row.get(2)?), end))
    };
    // Finished entries last at most a day, so a finished clash starts within
    // a day before this one: an index range, whatever the employee's history.
    let finished: Option<Clash> = conn
        .prepare_cached(
            "SELECT id, start_utc, start_offset, end_utc, end_offset FROM time_entries
             WHERE employee_id = ?1 AND kind = 'clock' AND voided_at IS NULL AND id IS NOT ?2
               AND start_utc > ?4 - 86400 AND start_utc < ifnull(?3, 9223372036854775807)
               AND ifnull(end_utc, 9223372036854775807) > ?4
               AND ifnull(end_utc, start_utc + 1) > start_utc
             ORDER BY start_utc LIMIT 1",
        )?
        .query_row(params![draft.employee_id, id, end_utc, start_utc], read)
        .optional()?;
    // A running entry may have started any time (there is at most one).
    let running: Option<Clash> = conn
        .prepare_cached(
            "SELECT id, start_utc, start_offset, end_utc, end_offset FROM time_entries
             WHERE employee_id = ?1 AND kind = 'clock' AND voided_at IS NULL AND end_utc IS NULL
               AND id IS NOT ?2 AND +start_utc < ifnull(?3, 9223372036854775807)
             LIMIT 1",
        )?
        .query_row(params![draft.employee_id, id, end_utc], read)
        .optional()?;
    let clash = match (finished, running) {
        (Some(a), Some(b)) => Some(if b.1 < a.1 { b } else { a }),
        (a, b) => a.or(b),
    };
    let Some((other, other_start, other_end)) = clash else {
        return Ok(());
    };
    let from = other_start
        .map(|t| t.format("%b %-d %H:%M").to_string())
        .unwrap_or_default();
    let until = other_end.map_or_else(
        || "still running".to_owned(),
        |t| t.format("%H:%M").to_string(),
    );
    checks.problem(
        if end.is_none() { "start" } else { "end" },
        format!(
            "This overlaps time entry #{other} ({from}–{until}) of the same employee. \
             Change the times, or void the other entry first."
        ),
    );
    Ok(())
}

/// Column values for a span: (kind, start_utc, start_offset, end_utc,
/// end_offset, work_date, duration_seconds).
type SpanColumns = (
    &'static str,
    Option<i64>,
    Option<i32>,
    Option<i64>,
    Option<i32>,
    String,
    Option<i64>,
);

fn span_columns(span: &TimeSpan) -> SpanColumns {
    let work_date = span.work_date().to_string();
    let duration = span.duration_seconds();
    match span {
        TimeSpan::Clock { start, end } => (
            "clock",
            Some(start.timestamp()),
            Some(start.offset().local_minus_utc()),
            end.map(|end| end.timestamp()),
            end.map(|end| end.offset().local_minus_utc()),
            work_date,
            duration,
        ),
        TimeSpan::Manual { .. } => ("manual", None, None, None, None, work_date, duration),
    }
}

/// The shared create/edit/void code's view of this kind.
pub(crate) struct TimeEntries;

impl LocalRecord for TimeEntries {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "That time entry";
    type Draft = TimeEntryDraft;
    type Row = TimeEntry;

    fn get(conn: &Connection, id: i64) -> Result<TimeEntry> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &TimeEntryDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<TimeEntryDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &TimeEntry) -> String {
        format!("of {} on {}", row.employee_name, row.work_date)
    }

    fn draft_of(row: &TimeEntry) -> TimeEntryDraft {
        row.draft()
    }

    fn insert(
        tx: &Transaction<'_>,
        d: &TimeEntryDraft,
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &TimeEntryDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }

    /// Restoring a voided entry must not make it overlap another.
    fn check_active_change(conn: &Connection, row: &TimeEntry, active: bool) -> Result<()> {
        if active && !row.active {
            let mut checks = Checks::default();
            check_overlap(conn, &mut checks, &row.draft(), Some(row.id))?;
            checks.finish()?;
        }
        Ok(())
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = TimeEntrySort;
pub type Draft = TimeEntryDraft;
pub type Record = TimeEntry;

write_functions!(TimeEntries, TimeEntry, TimeEntryDraft);
