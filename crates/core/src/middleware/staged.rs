//! Staged records: writing what the planner decided, and reading it back
//! for review.
//!
//! [`apply_page`] takes one page of incoming records, looks up their staged
//! rows and bindings in two queries, plans each record and writes only what
//! changed. The caller runs it inside the transaction that also moves the
//! stream's cursor, so a page and its cursor land together or not at all.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::planner::{self, Change, FieldChange, StagedState, StagedStatus, Write};
use super::{Incoming, Module, Serialized, StagedPayload};
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::records::date_column;
use crate::time;

pub(super) use super::staged_list::filter_for;
#[cfg(test)]
pub(crate) use super::staged_list::key_field;
pub use super::staged_list::{
    SORTED_AT_MOST, StagedCursor, StagedFilter, StagedPage, StagedQuery, StagedSort, list,
};
pub use super::staged_missing::{Staging, mark_unseen_removed};
pub use super::staged_search::{index_after as index_for_search_after, index_queued};
pub use super::staged_time::{
    DayHours, HOURS_CHART_DAYS, NOT_IMPORTED, UnimportedTimeEntry, hours_per_day, imported_as,
    staged_data, unimported_time_entries,
};

/// How many ids go into one `IN (…)` list.
pub(super) const CHUNK: usize = 500;

/// What one page did to the staged records of its module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PageCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Staged records by external id: their state and row id.
type StagedRows = HashMap<String, (StagedState, i64)>;

/// The staged state and row id, and the bound checksum, of each of `ids`
/// that has them.
fn existing(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    ids: &[&str],
) -> Result<(StagedRows, HashMap<String, String>)> {
    let mut staged = HashMap::with_capacity(ids.len());
    let mut bound = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut args: Vec<SqlValue> =
            vec![integration_id.into(), module.as_str().to_owned().into()];
        args.extend(chunk.iter().map(|id| SqlValue::from((*id).to_owned())));
        let marks = placeholders(chunk.len());
        let mut statement = conn.prepare_cached(&format!(
            "SELECT external_id, checksum, status, archived, removed_at_source, id FROM staged_records
             WHERE integration_id = ? AND module = ? AND external_id IN ({marks})"
        ))?;
        let mut rows = statement.query(params_from_iter(&args))?;
        while let Some(row) = rows.next()? {
            let status: String = row.get(2)?;
            let state = StagedState {
                checksum: row.get(1)?,
                status: StagedStatus::parse(&status).unwrap_or(StagedStatus::New),
                archived: row.get(3)?,
                removed_at_source: row.get(4)?,
            };
            staged.insert(row.get(0)?, (state, row.get(5)?));
        }
        let mut statement = conn.prepare_cached(&format!(
            "SELECT external_id, checksum FROM bindings
             WHERE integration_id = ? AND module = ? AND external_id IN ({marks})"
        ))?;
        let mut rows = statement.query(params_from_iter(&args))?;
        while let Some(row) = rows.next()? {
            bound.insert(row.get(0)?, row.get(1)?);
        }
    }
    Ok((staged, bound))
}

/// Plans and writes one page of incoming records of `module`.
pub fn apply_page(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    run_id: Option<i64>,
    records: &[Incoming],
    now: DateTime<Utc>,
) -> Result<PageCounts> {
    let page = (integration_id, module, run_id);
    apply_incoming(tx, page, records, now, Staging::default())
}

/// [`apply_page`] for one page of a list read page by page, each in its own
/// transaction: the records written are queued for search, indexed by
/// [`index_queued`] once the list is read (until then a search does not
/// find them).
pub fn apply_page_queued(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    run_id: Option<i64>,
    records: &[Incoming],
    now: DateTime<Utc>,
) -> Result<PageCounts> {
    let mut staging = Staging::default();
    staging.queue_for_search = true;
    apply_incoming(tx, (integration_id, module, run_id), records, now, staging)
}

fn apply_incoming(
    tx: &Transaction<'_>,
    (integration_id, module, run_id): (i64, Module, Option<i64>),
    records: &[Incoming],
    now: DateTime<Utc>,
    mut staging: Staging,
) -> Result<PageCounts> {
    let records: Vec<Serialized> = records.iter().map(Serialized::of).collect();
    apply_serialized(
        tx,
        integration_id,
        module,
        run_id,
        &records,
        now,
        &mut staging,
    )
}

/// [`apply_page`] of records whose data is already text: the same rows
/// written (for the same data, the same text and checksum). The row id of
/// each record's staged row is added to `staging`'s rows.
pub fn apply_serialized(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    run_id: Option<i64>,
    records: &[Serialized],
    now: DateTime<Utc>,
    staging: &mut Staging,
) -> Result<PageCounts> {
    // A platform may repeat a record within a page; the last one wins.
    let mut latest: HashMap<&str, usize> = HashMap::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        latest.insert(record.external_id.as_str(), i);
    }
    let page: Vec<&Serialized> = records
        .iter()
        .enumerate()
        .filter(|(i, r)| latest[r.external_id.as_str()] == *i)
        .map(|(_, r)| r)
        .collect();
    let ids: Vec<&str> = page.iter().map(|r| r.external_id.as_str()).collect();
    let (staged, bound) = if staging.unstaged(&ids) {
        Default::default()
    } else {
        existing(tx, integration_id, module, &ids)?
    };
    let stamp = time::to_db(now);
    let mut insert = tx.prepare_cached(
        "INSERT INTO staged_records (integration_id, module, external_id, data, checksum, status,
             label, record_date, first_seen_run, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE staged_records SET data = ?1, checksum = ?2, status = ?3, label = ?4,
             record_date = ?5, removed_at_source = 0, changed_at = ?6
         WHERE integration_id = ?7 AND module = ?8 AND external_id = ?9",
    )?;
    let mut counts = PageCounts::default();
    // New rows per status, added to staged_counts once for the page.
    let mut inserted: HashMap<&'static str, i64> = HashMap::new();
    // Rows to index for search, once for the page.
    let (mut new_rows, mut changed_rows) = (Vec::new(), Vec::new());
    for record in page {
        let id = record.external_id.as_str();
        let (text, checksum) = (&record.text, &record.checksum);
        let (state, row) = staged.get(id).map(|(s, row)| (s, *row)).unzip();
        let plan = planner::plan(checksum, state, bound.get(id).map(String::as_str));
        match plan.change {
            Change::New => counts.new += 1,
            Change::Updated => counts.updated += 1,
            Change::Unchanged => counts.unchanged += 1,
        }
        let date = record.record_date.map(|d| d.to_string());
        match plan.write {
            Write::Insert => {
                insert.execute(params![
                    integration_id,
                    module.as_str(),
                    id,
                    text,
                    checksum,
                    plan.status.as_str(),
                    record.label,
                    date,
                    run_id,
                    stamp,
                ])?;
                staging.rows.push(tx.last_insert_rowid());
                new_rows.push(tx.last_insert_rowid());
                *inserted.entry(plan.status.as_str()).or_default() += 1;
            }
            Write::Update => {
                update.execute(params![
                    text,
                    checksum,
                    plan.status.as_str(),
                    record.label,
                    date,
                    stamp,
                    integration_id,
                    module.as_str(),
                    id,
                ])?;
                changed_rows.extend(row);
            }
            Write::Nothing => {}
        }
        staging.rows.extend(row);
    }
    let mut count = tx.prepare_cached(
        "INSERT INTO staged_counts (integration_id, module, status, removed_at_source, n)
         VALUES (?1, ?2, ?3, 0, ?4)
         ON CONFLICT (integration_id, module, status, removed_at_source) DO UPDATE SET n = n + excluded.n",
    )?;
    for (status, n) in inserted {
        count.execute(params![integration_id, module.as_str(), status, n])?;
    }
    if staging.queue_for_search {
        new_rows.extend(&changed_rows);
        super::staged_search::queue(tx, &new_rows)?;
    } else {
        super::staged_search::index(tx, &new_rows, &changed_rows)?;
    }
    Ok(counts)
}

/// Marks records the platform says it deleted. Returns how many were newly
/// marked; ids never staged are ignored.
pub fn mark_removed(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    external_ids: &[String],
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut marked = 0;
    for chunk in external_ids.chunks(CHUNK) {
        let mut args: Vec<SqlValue> = vec![
            time::to_db(now).into(),
            integration_id.into(),
            module.as_str().to_owned().into(),
        ];
        args.extend(chunk.iter().map(|id| SqlValue::from(id.clone())));
        marked += tx.execute(
            &format!(
                "UPDATE staged_records SET removed_at_source = 1, changed_at = ?
                 WHERE integration_id = ? AND module = ? AND removed_at_source = 0
                   AND external_id IN ({})",
                placeholders(chunk.len())
            ),
            params_from_iter(&args),
        )? as u64;
    }
    Ok(marked)
}

/// After a full read of a module, marks the staged records that were not in
/// it as removed at the source.
pub fn mark_missing_removed(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    seen: &HashSet<String>,
    now: DateTime<Utc>,
) -> Result<u64> {
    missing_removed(tx, integration_id, module, seen, None, now)
}

/// Like [`mark_missing_removed`], for a read that covers only the records
/// dated `from` to `to` (a folder of exports): records dated outside it, or
/// undated, are left alone.
pub fn mark_missing_removed_between(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    seen: &HashSet<String>,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<u64> {
    missing_removed(tx, integration_id, module, seen, Some((from, to)), now)
}

fn missing_removed(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    seen: &HashSet<String>,
    dates: Option<(NaiveDate, NaiveDate)>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let missing: Vec<String> = {
        let mut statement = tx.prepare_cached(
            "SELECT external_id FROM staged_records
             WHERE integration_id = ?1 AND module = ?2 AND removed_at_source = 0
               AND (?3 IS NULL OR record_date BETWEEN ?3 AND ?4)",
        )?;
        let (from, to) = dates.map(|(f, t)| (f.to_string(), t.to_string())).unzip();
        let ids = statement
            .query_map(params![integration_id, module.as_str(), from, to], |row| {
                row.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().filter(|id| !seen.contains(id)).collect()
    };
    mark_removed(tx, integration_id, module, &missing, now)
}

/// One staged record as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StagedRecord {
    pub id: i64,
    pub integration_id: i64,
    pub module: Module,
    pub external_id: String,
    pub status: StagedStatus,
    pub removed_at_source: bool,
    pub label: String,
    pub record_date: Option<NaiveDate>,
    /// Its module's payload as stored (null when unreadable).
    #[ts(as = "Option<StagedPayload>")]
    pub data: serde_json::Value,
    /// When the source last changed the record: first sent it, sent it
    /// changed, removed it or sent it back. Importing and archiving, the
    /// admin's own acts, show in the status instead.
    pub changed_at: DateTime<Utc>,
}

pub(super) fn record_from_row(row: &Row<'_>) -> rusqlite::Result<StagedRecord> {
    let module: String = row.get("module")?;
    let status: String = row.get("status")?;
    let data: String = row.get("data")?;
    Ok(StagedRecord {
        id: row.get("id")?,
        integration_id: row.get("integration_id")?,
        module: Module::parse(&module).unwrap_or(Module::Employees),
        external_id: row.get("external_id")?,
        status: StagedStatus::parse(&status).unwrap_or(StagedStatus::New),
        removed_at_source: row.get("removed_at_source")?,
        label: row.get("label")?,
        record_date: date_column(row, "record_date")?,
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        changed_at: time::column(row, "changed_at")?,
    })
}

pub(super) const COLUMNS: &str =
    "id, integration_id, module, external_id, status, removed_at_source, label,
    record_date, data, changed_at";

/// How many staged records of a module have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct StatusCounts {
    pub new: i64,
    pub updated: i64,
    pub imported: i64,
    pub archived: i64,
    pub removed_at_source: i64,
}

pub fn status_counts(
    conn: &Connection,
    integration_id: i64,
    module: Module,
) -> Result<StatusCounts> {
    let mut counts = StatusCounts::default();
    let mut statement = conn.prepare_cached(
        "SELECT status, sum(n), sum(CASE WHEN removed_at_source = 1 THEN n ELSE 0 END)
         FROM staged_counts WHERE integration_id = ?1 AND module = ?2 GROUP BY status",
    )?;
    let mut rows = statement.query(params![integration_id, module.as_str()])?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let count: i64 = row.get(1)?;
        counts.removed_at_source += row.get::<_, Option<i64>>(2)?.unwrap_or(0);
        match StagedStatus::parse(&status) {
            Some(StagedStatus::New) => counts.new = count,
            Some(StagedStatus::Updated) => counts.updated = count,
            Some(StagedStatus::Imported) => counts.imported = count,
            Some(StagedStatus::Archived) => counts.archived = count,
            None => {}
        }
    }
    Ok(counts)
}

/// One staged record with what was imported from it and what changed since.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StagedDetail {
    pub record: StagedRecord,
    /// The payload as last imported, if it was.
    #[ts(as = "Option<StagedPayload>")]
    pub imported: Option<serde_json::Value>,
    pub changes: Vec<FieldChange>,
}

pub fn detail(conn: &Connection, id: i64) -> Result<StagedDetail> {
    let record = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM staged_records WHERE id = ?1"
        ))?
        .query_row([id], record_from_row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "No staged record with id {id}; run the sync again."
            ))
        })?;
    let imported: Option<serde_json::Value> = conn
        .prepare_cached(
            "SELECT snapshot FROM bindings WHERE integration_id = ?1 AND module = ?2 AND external_id = ?3",
        )?
        .query_row(
            params![record.integration_id, record.module.as_str(), record.external_id],
            |row| row.get::<_, String>(0),
        )
        .optional()?
        .and_then(|text| serde_json::from_str(&text).ok());
    let changes = imported
        .as_ref()
        .map(|old| planner::diff(old, &record.data))
        .unwrap_or_default();
    Ok(StagedDetail {
        record,
        imported,
        changes,
    })
}

/// Which staged records an action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    Ids {
        ids: Vec<i64>,
    },
    /// Everything matching a filter, for "all 40,000 New time entries".
    Matching {
        filter: StagedFilter,
    },
}

/// The ids of the staged records `selection` picks in one module, in id
/// order (a filter is resolved in SQLite, never by loading the records).
pub fn selected_ids(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    selection: &Selection,
) -> Result<Vec<i64>> {
    match selection {
        Selection::Ids { ids } => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        }
        Selection::Matching { filter } => {
            let filter = filter_for(conn, integration_id, module, filter)?;
            let mut statement = conn.prepare(&format!(
                "SELECT id FROM staged_records {} ORDER BY id",
                filter.where_sql()
            ))?;
            let ids = statement
                .query_map(params_from_iter(filter.params()), |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        }
    }
}

/// Archives (`true`) or unarchives records of one module. Unarchiving
/// recomputes each record's status from its binding. Returns how many
/// records changed.
pub fn set_archived(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    selection: &Selection,
    archived: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut filter = match selection {
        Selection::Matching { filter } => filter_for(tx, integration_id, module, filter)?,
        Selection::Ids { ids } => {
            let mut f = filter_for(tx, integration_id, module, &StagedFilter::default())?;
            if ids.is_empty() {
                return Ok(0);
            }
            f.clause(
                &format!("id IN ({})", placeholders(ids.len())),
                ids.iter().map(|id| SqlValue::from(*id)),
            );
            f
        }
    };
    filter.clause("archived = ?", [(!archived).into()]);
    let set = if archived {
        "archived = 1, status = 'archived'"
    } else {
        "archived = 0, status = coalesce(
            (SELECT CASE WHEN b.checksum = staged_records.checksum THEN 'imported' ELSE 'updated' END
             FROM bindings b WHERE b.integration_id = staged_records.integration_id
               AND b.module = staged_records.module AND b.external_id = staged_records.external_id),
            'new')"
    };
    // `changed_at` stays: it is when the source last changed the record.
    let changed = tx.execute(
        &format!("UPDATE staged_records SET {set} {}", filter.where_sql()),
        params_from_iter(filter.params()),
    )? as u64;
    if changed > 0 {
        let (action, verb) = if archived {
            (AuditAction::StagedArchived, "Archived")
        } else {
            (AuditAction::StagedUnarchived, "Unarchived")
        };
        audit::record(
            tx,
            actor,
            AuditEvent::new(
                action,
                format!("{verb} {changed} staged {}", module.label().to_lowercase()),
            )
            .target(format!("integration #{integration_id}")),
            now,
        )?;
    }
    Ok(changed)
}
