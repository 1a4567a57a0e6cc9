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
use crate::payroll::periods::PayPeriod;
use crate::records::{Filter, Page, clamp_page, date_column};
use crate::time;

pub use super::staged_missing::{Staging, mark_unseen_removed};
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
    let records: Vec<Serialized> = records.iter().map(Serialized::of).collect();
    apply_serialized(
        tx,
        integration_id,
        module,
        run_id,
        &records,
        now,
        &mut Staging::default(),
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

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<StagedRecord> {
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

const COLUMNS: &str = "id, integration_id, module, external_id, status, removed_at_source, label,
    record_date, data, changed_at";

/// Which staged records: by status, removal at the source, search, and
/// the time entries a pay period's payroll leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StagedFilter {
    pub status: Option<StagedStatus>,
    /// Only records removed at the source.
    pub removed_at_source: bool,
    /// Words that must all appear in the label or the external id.
    pub search: Option<String>,
    /// Only the time entries of this pay period that are not imported as
    /// they are now, so its payroll leaves them out: exactly those
    /// `payroll::unimported` counts (by the company's days). Other modules
    /// have none.
    pub left_out_of_payroll: Option<PayPeriod>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StagedSort {
    #[default]
    Label,
    Date,
    /// The module's first key field (see `key_field`).
    Key,
    /// The module's second key field: an employee's e-mail, a pay item's
    /// category.
    Key2,
    ExternalId,
    Status,
    ChangedAt,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StagedQuery {
    pub page: u32,
    pub page_size: u32,
    pub filter: StagedFilter,
    pub sort: StagedSort,
    pub descending: bool,
}

pub(super) fn filter_for(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    filter: &StagedFilter,
) -> Result<Filter> {
    let mut f = Filter::default();
    f.clause("integration_id = ?", [integration_id.into()]);
    f.clause("module = ?", [module.as_str().to_owned().into()]);
    if let Some(status) = filter.status {
        f.clause("status = ?", [status.as_str().to_owned().into()]);
    }
    if filter.removed_at_source {
        f.clause("removed_at_source = 1", []);
    }
    f.search(filter.search.as_deref(), &["label", "external_id"]);
    if let Some(period) = filter.left_out_of_payroll {
        let ids = if module == Module::TimeEntries {
            crate::payroll::unimported::staged_ids(conn, integration_id, period)?
        } else {
            Vec::new()
        };
        // The status and dates repeat what the ids already say, so SQLite
        // reads them from the status index instead of walking a list's
        // index in order looking for them (a test checks the plan).
        let (from, to) = crate::payroll::unimported::dates_read(period);
        f.clause(
            &format!("{NOT_IMPORTED} AND record_date BETWEEN ? AND ?"),
            [from.to_string().into(), to.to_string().into()],
        );
        f.clause(
            "id IN (SELECT value FROM json_each(?))",
            [serde_json::Value::from(ids).to_string().into()],
        );
    }
    Ok(f)
}

/// The ORDER BY of a staged list. By date, status (then date) and id at the
/// source, a page is read from an index in order (a test checks the plans);
/// by name, key field or change, SQLite keeps the best page while it reads
/// the module once.
fn order_by(module: Module, sort: StagedSort, descending: bool) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    let by = |expression: &str| format!("{expression} {direction}, id {direction}");
    match sort {
        StagedSort::Label => by("label COLLATE NOCASE"),
        StagedSort::Date => by("record_date"),
        StagedSort::Key | StagedSort::Key2 => by(key_field(module, sort == StagedSort::Key2)),
        // Unique within a module: the index's order needs no tie-break.
        StagedSort::ExternalId => format!("external_id {direction}"),
        StagedSort::Status => {
            format!("status {direction}, record_date {direction}, id {direction}")
        }
        StagedSort::ChangedAt => by("changed_at"),
    }
}

/// The SQL value a list sorts by for a module's first (or `second`) key
/// field, as the list shows them: an employee's number or e-mail, a job's
/// number, a task's code, a pay item's code or category (text ignoring
/// case), a time entry's length in seconds (running: none yet), a budget's
/// seconds. A module without one sorts in the order records arrived.
pub(super) fn key_field(module: Module, second: bool) -> &'static str {
    match (module, second) {
        (Module::Employees, false) => "lower(json_extract(data, '$.employee_number'))",
        (Module::Employees, true) => "lower(json_extract(data, '$.email'))",
        (Module::Jobs, false) => "lower(json_extract(data, '$.job_number'))",
        (Module::Tasks | Module::PayItems, false) => "lower(json_extract(data, '$.code'))",
        (Module::PayItems, true) => "lower(json_extract(data, '$.category'))",
        (Module::Budgets, false) => "json_extract(data, '$.budget_seconds')",
        (Module::TimeEntries, false) => {
            "CASE json_extract(data, '$.span.kind') WHEN 'manual' THEN json_extract(data, '$.span.duration_seconds')
             ELSE unixepoch(json_extract(data, '$.span.end')) - unixepoch(json_extract(data, '$.span.start')) END"
        }
        _ => "id",
    }
}

/// One page of an integration's staged records of one module.
pub fn list(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    query: &StagedQuery,
) -> Result<Page<StagedRecord>> {
    let (page, page_size) = clamp_page(query.page, query.page_size);
    let filter = filter_for(conn, integration_id, module, &query.filter)?;
    let where_sql = filter.where_sql();
    let search = query
        .filter
        .search
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty());
    let total: i64 = if search || query.filter.left_out_of_payroll.is_some() {
        conn.prepare_cached(&format!("SELECT count(*) FROM staged_records {where_sql}"))?
            .query_row(params_from_iter(filter.params()), |row| row.get(0))?
    } else {
        // Without a search, the trigger-kept counts answer at once.
        conn.prepare_cached(
            "SELECT coalesce(sum(n), 0) FROM staged_counts
             WHERE integration_id = ?1 AND module = ?2
               AND (?3 IS NULL OR status = ?3) AND (?4 = 0 OR removed_at_source = 1)",
        )?
        .query_row(
            params![
                integration_id,
                module.as_str(),
                query.filter.status.map(StagedStatus::as_str),
                query.filter.removed_at_source
            ],
            |row| row.get(0),
        )?
    };
    let order = order_by(module, query.sort, query.descending);
    let offset = (i64::from(page) - 1) * i64::from(page_size);
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM staged_records {where_sql} ORDER BY {order} LIMIT {page_size} OFFSET {offset}"
    ))?;
    let rows = statement
        .query_map(params_from_iter(filter.params()), record_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        rows,
        total,
        page,
        page_size,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// How SQLite would read the first page of a list: "SCAN …" and
    /// "SEARCH …" lines, and "USE TEMP B-TREE FOR ORDER BY" when it has to
    /// sort the whole filtered set first.
    fn plan(
        conn: &Connection,
        module: Module,
        filter: &StagedFilter,
        sort: StagedSort,
        descending: bool,
    ) -> String {
        let filter_sql = filter_for(conn, 1, module, filter).expect("the filter is built");
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM staged_records {} ORDER BY {} LIMIT 100",
            filter_sql.where_sql(),
            order_by(module, sort, descending)
        );
        let mut statement = conn.prepare(&sql).expect("the list query prepares");
        let rows = statement
            .query_map(params_from_iter(filter_sql.params()), |r| {
                r.get::<_, String>(3)
            })
            .expect("the plan is read");
        rows.map(|r| r.expect("a plan row"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[test]
    fn a_time_entry_list_by_date_status_or_source_id_reads_an_index_in_order() {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = crate::Store::open(&dir.path().join("plan.db")).expect("database");
        let sorts = [StagedSort::Date, StagedSort::ExternalId, StagedSort::Status];
        store
            .read(|conn| {
                for sort in sorts {
                    for descending in [false, true] {
                        let plan = plan(conn, Module::TimeEntries, &StagedFilter::default(), sort, descending);
                        assert!(
                            !plan.contains("TEMP B-TREE"),
                            "sorting a million time entries by {sort:?} (descending: {descending}) must read an index in order, not sort them all: {plan}"
                        );
                    }
                }
                Ok(())
            })
            .expect("plans read");
    }

    #[test]
    fn the_entries_a_payroll_leaves_out_are_listed_from_a_range_of_dates_in_every_order() {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = crate::Store::open(&dir.path().join("plan.db")).expect("database");
        let filter = StagedFilter {
            left_out_of_payroll: Some(PayPeriod {
                start: NaiveDate::from_ymd_opt(2026, 10, 26).expect("a date"),
                end: NaiveDate::from_ymd_opt(2026, 11, 8).expect("a date"),
            }),
            ..StagedFilter::default()
        };
        let sorts = [
            StagedSort::Label,
            StagedSort::Date,
            StagedSort::Key,
            StagedSort::ExternalId,
            StagedSort::Status,
            StagedSort::ChangedAt,
        ];
        store
            .read(|conn| {
                for sort in sorts {
                    let plan = plan(conn, Module::TimeEntries, &filter, sort, true);
                    assert!(
                        plan.contains("record_date>? AND record_date<?") && !plan.contains("SCAN staged_records"),
                        "the review of a period's left-out entries, sorted by {sort:?}, reads only the period's dates of a million staged entries: {plan}"
                    );
                }
                Ok(())
            })
            .expect("plans read");
    }
}
