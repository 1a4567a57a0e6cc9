//! The company's own records: employees, customers, jobs, tasks, time entries,
//! budgets and pay IDs. Imports fill them; payroll reads them; operators can
//! also create and edit them by hand.
//!
//! Every record carries its [`RecordSource`]: created manually, or imported
//! from an integration with the record's external id there. Lists page, sort,
//! search and filter by source in SQLite; nothing loads a whole table.
//!
//! Each kind has its own module with the same shape: a `…Draft` (what a form
//! or an import supplies), the row type (what a list shows), a `…Sort` enum of
//! sortable columns, and `list`, `get`, `create`, `update` and `set_active`.
//! Writes take the transaction they run in and write their audit entry in it.

pub mod budgets;
pub mod customers;
pub mod employees;
pub mod jobs;
pub mod pay_ids;
pub mod tasks;
pub mod time_entries;

mod columns;
mod list;

pub(crate) use columns::Columns;
pub use list::{DEFAULT_PAGE_SIZE, ListQuery, MAX_PAGE_SIZE, Page, SourceFilter};
pub(crate) use list::{Filter, ListSpec, SortColumns, clamp_page, get_one, run_list};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::time;

/// The kinds of local record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Employee,
    Customer,
    Job,
    Task,
    TimeEntry,
    Budget,
    PayId,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Employee,
        RecordKind::Customer,
        RecordKind::Job,
        RecordKind::Task,
        RecordKind::TimeEntry,
        RecordKind::Budget,
        RecordKind::PayId,
    ];

    /// In a sentence: "employee", "time entry".
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Employee => "employee",
            RecordKind::Customer => "customer",
            RecordKind::Job => "job",
            RecordKind::Task => "task",
            RecordKind::TimeEntry => "time entry",
            RecordKind::Budget => "budget",
            RecordKind::PayId => "pay ID",
        }
    }

    /// The plural used on the command line: `employees`, `time-entries`.
    pub fn plural_slug(self) -> &'static str {
        match self {
            RecordKind::Employee => "employees",
            RecordKind::Customer => "customers",
            RecordKind::Job => "jobs",
            RecordKind::Task => "tasks",
            RecordKind::TimeEntry => "time-entries",
            RecordKind::Budget => "budgets",
            RecordKind::PayId => "pay-ids",
        }
    }

    pub fn from_plural_slug(slug: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.plural_slug() == slug)
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            RecordKind::Employee => "employees",
            RecordKind::Customer => "customers",
            RecordKind::Job => "jobs",
            RecordKind::Task => "tasks",
            RecordKind::TimeEntry => "time_entries",
            RecordKind::Budget => "budgets",
            RecordKind::PayId => "pay_ids",
        }
    }

    /// How the audit log names one record: "employee #12".
    pub(crate) fn target(self, id: i64) -> String {
        format!("{} #{id}", self.label())
    }

    pub(crate) fn not_found(self, id: i64) -> Error {
        Error::NotFound(format!(
            "No {} with id {id} exists; it may have been removed. Refresh the list and try again.",
            self.label()
        ))
    }
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordSource {
    /// Created by hand in Timebridge.
    Manual,
    /// Imported from an integration. `integration_id` is `None` when that
    /// integration has since been removed.
    Imported {
        integration_id: Option<i64>,
        integration_name: Option<String>,
        external_id: String,
    },
}

impl RecordSource {
    /// The *Synced status* column: "Manual", "Imported from QuickBooks Time".
    pub fn synced_status(&self) -> String {
        match self {
            RecordSource::Manual => "Manual".to_owned(),
            RecordSource::Imported {
                integration_name: Some(name),
                ..
            } => format!("Imported from {name}"),
            RecordSource::Imported { .. } => "Imported (integration removed)".to_owned(),
        }
    }
}

/// The source to give a record being created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRecordSource {
    Manual,
    Imported {
        integration_id: i64,
        external_id: String,
    },
}

impl NewRecordSource {
    fn columns(&self) -> (&'static str, Option<i64>, Option<&str>) {
        match self {
            NewRecordSource::Manual => ("manual", None, None),
            NewRecordSource::Imported {
                integration_id,
                external_id,
            } => (
                "imported",
                Some(*integration_id),
                Some(external_id.as_str()),
            ),
        }
    }
}

/// Source and change tracking, the same on every kind of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecordMeta {
    pub source: RecordSource,
    pub synced_status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// "operator:3", "command_line", "timebridge", "integration:2".
    pub updated_by: String,
}

/// The select list for [`RecordMeta`]; every list query aliases its table `r`
/// and joins `integrations` as `si`.
const META_COLUMNS: &str = "r.source_kind, r.source_integration_id, si.name AS source_integration_name, \
     r.source_external_id, r.created_at, r.updated_at, r.updated_by";

impl RecordMeta {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<RecordMeta> {
        let kind: String = row.get("source_kind")?;
        let source = if kind == "imported" {
            RecordSource::Imported {
                integration_id: row.get("source_integration_id")?,
                integration_name: row.get("source_integration_name")?,
                external_id: row
                    .get::<_, Option<String>>("source_external_id")?
                    .unwrap_or_default(),
            }
        } else {
            RecordSource::Manual
        };
        Ok(RecordMeta {
            synced_status: source.synced_status(),
            source,
            created_at: time::column(row, "created_at")?,
            updated_at: time::column(row, "updated_at")?,
            updated_by: row.get("updated_by")?,
        })
    }
}

/// An integration records can come from, for the Source filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecordSourceOption {
    pub integration_id: i64,
    pub name: String,
}

/// Every integration, by name, for the Source filter.
pub fn source_options(conn: &Connection) -> Result<Vec<RecordSourceOption>> {
    let mut statement =
        conn.prepare_cached("SELECT id, name FROM integrations ORDER BY name COLLATE NOCASE, id")?;
    let options = statement
        .query_map([], |row| {
            Ok(RecordSourceOption {
                integration_id: row.get(0)?,
                name: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(options)
}

/// The `(source_kind, source_integration_id, source_external_id, created_at,
/// updated_at, updated_by)` values for an INSERT.
pub(crate) struct InsertMeta<'a> {
    pub source_kind: &'static str,
    pub integration_id: Option<i64>,
    pub external_id: Option<&'a str>,
    pub now: String,
    pub updated_by: String,
}

impl<'a> InsertMeta<'a> {
    pub fn new(source: &'a NewRecordSource, actor: &Actor, now: DateTime<Utc>) -> Self {
        let (source_kind, integration_id, external_id) = source.columns();
        InsertMeta {
            source_kind,
            integration_id,
            external_id,
            now: time::to_db(now),
            updated_by: actor.updated_by(),
        }
    }
}

/// The SQL column list matching [`InsertMeta`].
pub(crate) const INSERT_META_COLUMNS: &str =
    "source_kind, source_integration_id, source_external_id, created_at, updated_at, updated_by";

/// Who writes a record, which decides whether a new one may point at a
/// deactivated record. Typed by hand, a new time entry (job, task, budget)
/// must pick active records: a deactivated employee is no longer someone to
/// enter time for. Imported, it may: the source says the hours were worked,
/// and a terminated employee's last hours (or a closed job's) must still be
/// paid. An edit never has to, so an old record stays editable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WrittenBy {
    Hand,
    Import,
}

impl WrittenBy {
    /// Whether the references of the record `id` (`None`: a new one) must
    /// be active.
    pub fn references_must_be_active(self, id: Option<i64>) -> bool {
        self == WrittenBy::Hand && id.is_none()
    }
}

/// Checks a referenced record exists (and is active, for new references).
/// Returns the problem message, if any, for the form field.
pub(crate) fn reference_problem(
    conn: &Connection,
    kind: RecordKind,
    id: i64,
    must_be_active: bool,
) -> Result<Option<String>> {
    Ok(active_problem(
        kind,
        id,
        is_active(conn, kind, id)?,
        must_be_active,
    ))
}

/// Whether a record is active (a time entry: not voided); `None` if there
/// is no such record. Checked for every reference of every imported record,
/// so the statements are fixed strings, not built each time.
pub(crate) fn is_active(
    conn: &Connection,
    kind: RecordKind,
    id: i64,
) -> rusqlite::Result<Option<bool>> {
    let sql = match kind {
        RecordKind::Employee => "SELECT active FROM employees WHERE id = ?1",
        RecordKind::Customer => "SELECT active FROM customers WHERE id = ?1",
        RecordKind::Job => "SELECT active FROM jobs WHERE id = ?1",
        RecordKind::Task => "SELECT active FROM tasks WHERE id = ?1",
        RecordKind::TimeEntry => "SELECT voided_at IS NULL FROM time_entries WHERE id = ?1",
        RecordKind::Budget => "SELECT active FROM budgets WHERE id = ?1",
        RecordKind::PayId => "SELECT active FROM pay_ids WHERE id = ?1",
    };
    conn.prepare_cached(sql)?
        .query_row([id], |row| row.get(0))
        .optional()
}

fn active_problem(
    kind: RecordKind,
    id: i64,
    active: Option<bool>,
    must_be_active: bool,
) -> Option<String> {
    match active {
        None => Some(format!(
            "There is no {} with id {id}. Pick one from the list.",
            kind.label()
        )),
        Some(false) if must_be_active => Some(format!(
            "That {} is deactivated. Reactivate it first, or pick another.",
            kind.label()
        )),
        _ => None,
    }
}

/// Checks a task reference: it exists, is active if `must_be_active`, and is
/// company-wide or belongs to `job_id`.
pub(crate) fn task_problem(
    conn: &Connection,
    task_id: i64,
    job_id: Option<i64>,
    must_be_active: bool,
) -> Result<Option<String>> {
    let found: Option<(bool, Option<i64>)> = conn
        .prepare_cached("SELECT active, job_id FROM tasks WHERE id = ?1")?
        .query_row([task_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let active = found.map(|(active, _)| active);
    if let Some(problem) = active_problem(RecordKind::Task, task_id, active, must_be_active) {
        return Ok(Some(problem));
    }
    Ok(match found.and_then(|(_, job)| job) {
        Some(task_job) if Some(task_job) != job_id => Some(
            "That task belongs to another job. Pick a task of this job, or a company-wide one."
                .to_owned(),
        ),
        _ => None,
    })
}

/// The fields that differ between two drafts of a record, as
/// `{"field": {"from": old, "to": new}}`, for the audit log.
pub(crate) fn changed_fields(old: &impl Serialize, new: &impl Serialize) -> serde_json::Value {
    let (Ok(serde_json::Value::Object(old)), Ok(serde_json::Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return serde_json::Value::Null;
    };
    let changes = new
        .iter()
        .filter(|(field, value)| old.get(*field) != Some(value))
        .map(|(field, value)| {
            (
                field.clone(),
                serde_json::json!({ "from": old.get(field), "to": value }),
            )
        })
        .collect::<serde_json::Map<_, _>>();
    serde_json::Value::Object(changes)
}

/// What each kind of record supplies so that creating, editing and
/// (de)activating work the same way for all of them: checked drafts, audit
/// entries with the changed fields, no write when nothing changed.
pub(crate) trait LocalRecord {
    const KIND: RecordKind;
    /// What the unique indexes protect, for the message when two writers race.
    const UNIQUE_WHAT: &'static str;
    type Draft: Serialize;
    type Row;

    fn get(conn: &Connection, id: i64) -> Result<Self::Row>;
    /// Checks a draft and returns it tidied; `id` is the record being edited.
    fn clean(
        conn: &Connection,
        draft: &Self::Draft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<Self::Draft>;
    /// How the audit log names the record.
    fn name(row: &Self::Row) -> String;
    fn draft_of(row: &Self::Row) -> Self::Draft;
    fn insert(
        tx: &Transaction<'_>,
        draft: &Self::Draft,
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()>;
    fn update(
        tx: &Transaction<'_>,
        id: i64,
        draft: &Self::Draft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()>;
    /// Refuses a (de)activation the kind does not allow.
    fn check_active_change(_conn: &Connection, _row: &Self::Row, _active: bool) -> Result<()> {
        Ok(())
    }
}

/// `updated_at` and `updated_by` for an UPDATE.
pub(crate) struct UpdateStamp {
    pub now: String,
    pub updated_by: String,
}

pub(crate) fn create_record<K: LocalRecord>(
    tx: &Transaction<'_>,
    draft: &K::Draft,
    source: &NewRecordSource,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<K::Row> {
    let draft = K::clean(tx, draft, None, WrittenBy::Hand)?;
    K::insert(tx, &draft, &InsertMeta::new(source, actor, now))
        .map_err(|e| map_unique(e, K::UNIQUE_WHAT))?;
    let id = tx.last_insert_rowid();
    let row = K::get(tx, id)?;
    log_created(tx, K::KIND, id, &K::name(&row), &draft, actor, now)?;
    Ok(row)
}

/// Checks the draft and inserts it, without reading the row back or
/// logging it: for imports, which log one entry for the whole import. Its
/// references may be deactivated (see [`WrittenBy`]).
pub(crate) fn insert_record<K: LocalRecord>(
    tx: &Transaction<'_>,
    draft: &K::Draft,
    source: &NewRecordSource,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64> {
    let draft = K::clean(tx, draft, None, WrittenBy::Import)?;
    K::insert(tx, &draft, &InsertMeta::new(source, actor, now))
        .map_err(|e| map_unique(e, K::UNIQUE_WHAT))?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn update_record<K: LocalRecord>(
    tx: &Transaction<'_>,
    id: i64,
    draft: &K::Draft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<K::Row> {
    let before = K::get(tx, id)?;
    let draft = K::clean(tx, draft, Some(id), WrittenBy::Hand)?;
    let changes = changed_fields(&K::draft_of(&before), &draft);
    if is_unchanged(&changes) {
        return Ok(before);
    }
    let stamp = UpdateStamp {
        now: time::to_db(now),
        updated_by: actor.updated_by(),
    };
    K::update(tx, id, &draft, &stamp).map_err(|e| map_unique(e, K::UNIQUE_WHAT))?;
    let row = K::get(tx, id)?;
    log_updated(tx, K::KIND, id, &K::name(&row), changes, actor, now)?;
    Ok(row)
}

pub(crate) fn set_record_active<K: LocalRecord>(
    tx: &Transaction<'_>,
    id: i64,
    active: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<K::Row> {
    let row = K::get(tx, id)?;
    K::check_active_change(tx, &row, active)?;
    set_active_flag(tx, K::KIND, id, active, &K::name(&row), actor, now)?;
    K::get(tx, id)
}

/// The public `create`, `update` and `set_active` of a kind's module, over
/// the shared implementations above.
macro_rules! write_functions {
    ($kind:ty, $row:ty, $draft:ty) => {
        /// Checks the draft and creates the record, logging it.
        pub fn create(
            tx: &rusqlite::Transaction<'_>,
            draft: &$draft,
            source: &$crate::records::NewRecordSource,
            actor: &$crate::audit::Actor,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::error::Result<$row> {
            $crate::records::create_record::<$kind>(tx, draft, source, actor, now)
        }

        /// Checks the draft and saves it over the record, logging the fields
        /// that changed. Writes nothing when nothing changed.
        pub fn update(
            tx: &rusqlite::Transaction<'_>,
            id: i64,
            draft: &$draft,
            actor: &$crate::audit::Actor,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::error::Result<$row> {
            $crate::records::update_record::<$kind>(tx, id, draft, actor, now)
        }

        /// Deactivates (`false`) or reactivates (`true`) the record; for time
        /// entries, voids or restores it. Records are never deleted.
        pub fn set_active(
            tx: &rusqlite::Transaction<'_>,
            id: i64,
            active: bool,
            actor: &$crate::audit::Actor,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::error::Result<$row> {
            $crate::records::set_record_active::<$kind>(tx, id, active, actor, now)
        }
    };
}
pub(crate) use write_functions;

/// Logs the creation of a record, with the values it was created with.
pub(crate) fn log_created(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
    name: &str,
    draft: &impl Serialize,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::RecordCreated,
            format!("Created {} {name}", kind.label()),
        )
        .target(kind.target(id))
        .details(serde_json::to_value(draft).unwrap_or_default()),
        now,
    )
}

/// Logs an edit, with the fields that changed.
pub(crate) fn log_updated(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
    name: &str,
    changes: serde_json::Value,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::RecordUpdated,
            format!("Edited {} {name}", kind.label()),
        )
        .target(kind.target(id))
        .details(changes),
        now,
    )
}

/// True when [`changed_fields`] found nothing to change.
pub(crate) fn is_unchanged(changes: &serde_json::Value) -> bool {
    changes.as_object().is_none_or(|fields| fields.is_empty())
}

/// Sets `active` on a record (for time entries: voids or restores) and logs it.
pub(crate) fn set_active_flag(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
    active: bool,
    name: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let stamp = time::to_db(now);
    let changed = if kind == RecordKind::TimeEntry {
        let voided_at = if active { None } else { Some(stamp.clone()) };
        tx.execute(
            "UPDATE time_entries SET voided_at = ?1, updated_at = ?2, updated_by = ?3
             WHERE id = ?4 AND (voided_at IS NULL) = ?5",
            params![voided_at, stamp, actor.updated_by(), id, !active],
        )?
    } else {
        tx.execute(
            &format!(
                "UPDATE {} SET active = ?1, updated_at = ?2, updated_by = ?3
                 WHERE id = ?4 AND active <> ?1",
                kind.table()
            ),
            params![active, stamp, actor.updated_by(), id],
        )?
    };
    if changed == 0 {
        return Ok(());
    }
    let (action, verb) = match (active, kind) {
        (true, RecordKind::TimeEntry) => (AuditAction::RecordReactivated, "Restored"),
        (false, RecordKind::TimeEntry) => (AuditAction::RecordDeactivated, "Voided"),
        (true, _) => (AuditAction::RecordReactivated, "Reactivated"),
        (false, _) => (AuditAction::RecordDeactivated, "Deactivated"),
    };
    audit::record(
        tx,
        actor,
        AuditEvent::new(action, format!("{verb} {} {name}", kind.label())).target(kind.target(id)),
        now,
    )
}

/// Turns a unique-index violation that slipped past the checks (two writers
/// at once) into a plain conflict.
pub(crate) fn map_unique(error: rusqlite::Error, what: &str) -> Error {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::Conflict(format!(
                "{what} was just created or changed by someone else. Refresh the list and try again."
            ))
        }
        _ => Error::from(error),
    }
}

pub(crate) fn date_column(row: &Row<'_>, name: &str) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(name)?;
    text.map(|text| {
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("column {name} holds {text:?}: {error}").into(),
            )
        })
    })
    .transpose()
}
