//! Staged records listed for review: filters, search, sorting and paging
//! that stay fast at a million rows.
//!
//! * A search reads the full-text index `staged_search` (migration 13):
//!   each word is a prefix of a word of the record's name, id at the source
//!   or notes, or of the name of the employee, job or task it names.
//! * Every sortable column but the name and a time entry's length has an
//!   index in its order, so a page is read from it in order instead of
//!   sorting the module (why not those two: migration 13). A filter that keeps
//!   few records (a rare status, the records removed at the source, a
//!   search) is read from its own index and sorted instead: the list knows
//!   how many it keeps before it reads a row (see [`Narrow`]).
//! * The next and the previous page are read from where the page shown
//!   ends (keyset paging, [`StagedCursor`]), so page 5,000 costs what page 2
//!   does; a page jumped to far from the start is counted from the nearer
//!   end.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Module;
use super::planner::StagedStatus;
use super::staged::{COLUMNS, StagedRecord, record_from_row};
use super::staged_time::NOT_IMPORTED;
use crate::error::Result;
use crate::payroll::periods::PayPeriod;
use crate::records::{Filter, clamp_page};

/// Which staged records: by status, removal at the source, search, and
/// the time entries a pay period's payroll leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StagedFilter {
    pub status: Option<StagedStatus>,
    /// Only records removed at the source.
    pub removed_at_source: bool,
    /// Words that must each begin a word of the record's name, its id at
    /// the source or its notes, or of the name of the employee, job or task
    /// it names.
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

/// Where a page shown begins or ends in its list's order: the values the
/// list sorts by and the id of that record. Given back as `after` (the next
/// page) or `before` (the previous one), the page is read from there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedCursor {
    #[ts(type = "Array<string | number>")]
    pub values: Vec<serde_json::Value>,
    pub id: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StagedQuery {
    pub page: u32,
    pub page_size: u32,
    pub filter: StagedFilter,
    pub sort: StagedSort,
    pub descending: bool,
    /// The page after this record (the `last` of the page before `page`).
    pub after: Option<StagedCursor>,
    /// The page before this record (the `first` of the page after `page`).
    pub before: Option<StagedCursor>,
}

/// One page of a staged list, with where it begins and ends for the pages
/// beside it (none where the list cannot be read from a record: a sort
/// with empty values).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StagedPage {
    pub rows: Vec<StagedRecord>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    pub first: Option<StagedCursor>,
    pub last: Option<StagedCursor>,
}

/// At most this many records matching a filter are sorted to show a page
/// of them; more are read from the sort's index in order.
pub const SORTED_AT_MOST: i64 = 5_000;

/// How a list's filter narrows the module, known before a row is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Narrow {
    /// The filter is read from its own index (status, removals, search)
    /// and what it keeps is sorted: it keeps few records.
    Few,
    /// The sort's index is read in order and the filter checked on each
    /// record: it keeps many.
    Many,
}

/// The prefix that keeps SQLite from reading a term from an index, so
/// that it reads the sort's index in order instead.
fn unindexed(narrow: Narrow) -> &'static str {
    match narrow {
        Narrow::Few => "",
        Narrow::Many => "+",
    }
}

pub(super) fn filter_for(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    filter: &StagedFilter,
) -> Result<Filter> {
    let words = search_query(conn, integration_id, module, filter.search.as_deref())?;
    filter_narrowed(conn, integration_id, module, filter, None, words.as_deref())
}

/// [`filter_for`], its terms written so that SQLite reads the index
/// `narrow` and `sort` call for (`None`: as SQLite chooses).
fn filter_narrowed(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    filter: &StagedFilter,
    narrow: Option<(Narrow, StagedSort)>,
    words: Option<&str>,
) -> Result<Filter> {
    let plus = narrow.map_or("", |(n, _)| unindexed(n));
    // Sorted by id alone (a module without that key field), many records
    // are read in the table's own order.
    let by_id = narrow.is_some_and(|(_, s)| sort_values(module, s).is_empty());
    let table_order = if by_id { plus } else { "" };
    let mut f = Filter::default();
    f.clause(
        &format!("{table_order}integration_id = ?"),
        [integration_id.into()],
    );
    // The module as a literal: a partial index of one module (say, of time
    // entries) is used only where the query says so.
    f.clause(&format!("{table_order}module = '{}'", module.as_str()), []);
    if let Some(status) = filter.status {
        // By date or status, the status index is also in the list's order.
        let in_order =
            narrow.is_some_and(|(_, s)| matches!(s, StagedSort::Date | StagedSort::Status));
        let plus = if in_order { "" } else { plus };
        f.clause(
            &format!("{plus}status = ?"),
            [status.as_str().to_owned().into()],
        );
    }
    if filter.removed_at_source {
        f.clause(&format!("{plus}removed_at_source = 1"), []);
    }
    if let Some(words) = words {
        f.clause(
            &format!("{plus}id IN (SELECT rowid FROM staged_search WHERE staged_search MATCH ?)"),
            [words.to_owned().into()],
        );
    }
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

/// The search words searched for, at most this many.
const SEARCH_WORDS: usize = 8;

/// At most this many employees, jobs and tasks named like a word are
/// looked for in the records that name them.
const NAMED_AT_MOST: usize = 100;

/// The full-text query of a search within `module`, or `None` when the
/// text has no word to look for. Each word must begin a word of the
/// record's own text, or name (as a prefix of a word of its name) an
/// employee, job or task the record refers to.
fn search_query(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    text: Option<&str>,
) -> Result<Option<String>> {
    let words: Vec<&str> = text
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(SEARCH_WORDS)
        .collect();
    if words.is_empty() {
        return Ok(None);
    }
    let refers = matches!(module, Module::TimeEntries | Module::Budgets);
    let mut terms = vec![format!("kind : {}", kind_token(integration_id, module))];
    for word in words {
        let prefix = phrase(word);
        let named = if refers {
            named_like(conn, integration_id, &prefix)?
        } else {
            Vec::new()
        };
        if named.is_empty() {
            terms.push(format!("words : {prefix}"));
        } else {
            terms.push(format!(
                "(words : {prefix} OR refs : ({}))",
                named.join(" OR ")
            ));
        }
    }
    Ok(Some(terms.join(" AND ")))
}

/// `text` as one full-text phrase, quoted so that nothing in it is read
/// as query syntax, that begins a word. A single
/// letter or digit is only ever a whole word (an initial, a "B" shift):
/// as the beginning of every word it begins, it would find most records.
fn phrase(text: &str) -> String {
    let quoted = format!("\"{}\"", text.replace('"', "\"\""));
    let one = text.chars().filter(|c| c.is_alphanumeric()).count() == 1;
    if one { quoted } else { quoted + "*" }
}

/// The reference tokens of the employees, jobs and tasks of an
/// integration whose own words match `prefix`.
fn named_like(conn: &Connection, integration_id: i64, prefix: &str) -> Result<Vec<String>> {
    let query = format!(
        "kind : ({} OR {} OR {}) AND words : {prefix}",
        kind_token(integration_id, Module::Employees),
        kind_token(integration_id, Module::Jobs),
        kind_token(integration_id, Module::Tasks),
    );
    let mut statement = conn.prepare_cached(
        "SELECT module, external_id FROM staged_records
         WHERE id IN (SELECT rowid FROM staged_search WHERE staged_search MATCH ?1)
         LIMIT ?2",
    )?;
    let rows = statement.query_map(params![query, NAMED_AT_MOST as i64], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut tokens = Vec::new();
    for row in rows {
        let (module, external_id) = row?;
        let field = match Module::parse(&module) {
            Some(Module::Employees) => 'e',
            Some(Module::Jobs) => 'j',
            _ => 't',
        };
        tokens.push(format!("\"{}\"", reference_token(field, &external_id)));
    }
    Ok(tokens)
}

/// How the full-text index holds a record's integration and module: one
/// token, as migration 13's triggers write it.
fn kind_token(integration_id: i64, module: Module) -> String {
    format!("m{integration_id}{}", module.as_str().replace('_', ""))
}

/// How the full-text index holds a reference to another record: the
/// field's letter (`e`mployee, `j`ob, `t`ask) and the hex of its id at the
/// source, as migration 13's triggers write it.
pub(super) fn reference_token(field: char, external_id: &str) -> String {
    let mut token = String::with_capacity(1 + external_id.len() * 2);
    token.push(field);
    for byte in external_id.bytes() {
        token.push_str(&format!("{byte:02X}"));
    }
    token
}

/// The SQL values a list sorts by, before the id that breaks ties.
fn sort_values(module: Module, sort: StagedSort) -> Vec<&'static str> {
    match sort {
        StagedSort::Label => vec!["label COLLATE NOCASE"],
        StagedSort::Date => vec!["record_date"],
        StagedSort::Key | StagedSort::Key2 => match key_field(module, sort == StagedSort::Key2) {
            "id" => Vec::new(),
            key => vec![key],
        },
        StagedSort::ExternalId => vec!["external_id"],
        StagedSort::Status => vec!["status", "record_date"],
        StagedSort::ChangedAt => vec!["changed_at"],
    }
}

/// Whether a list of `module` sorted by `sort` is read from an index in
/// order (by name and by a time entry's length it is not: migration 13).
fn indexed(module: Module, sort: StagedSort) -> bool {
    match sort {
        StagedSort::Label => false,
        StagedSort::Key | StagedSort::Key2 => sort_values(module, sort).is_empty(),
        _ => true,
    }
}

/// The ORDER BY of a staged list: its values, then the id. By date,
/// status, id at the source and change it is read from an index in order
/// (a test checks the plans).
fn order_by(module: Module, sort: StagedSort, descending: bool) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    sort_values(module, sort)
        .into_iter()
        .chain(["id"])
        .map(|v| format!("{v} {direction}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL value a list sorts by for a module's first (or `second`) key
/// field, as the list shows them: an employee's number or e-mail, a job's
/// number, a task's code, a pay item's code or category (text ignoring
/// case), a time entry's length in seconds (-1 while it runs: first, as
/// no length would be), a budget's seconds. A module without one sorts in
/// the order records arrived.
pub(crate) fn key_field(module: Module, second: bool) -> &'static str {
    match (module, second) {
        (Module::Employees, false) => "lower(json_extract(data, '$.employee_number'))",
        (Module::Employees, true) => "lower(json_extract(data, '$.email'))",
        (Module::Jobs, false) => "lower(json_extract(data, '$.job_number'))",
        (Module::Tasks | Module::PayItems, false) => "lower(json_extract(data, '$.code'))",
        (Module::PayItems, true) => "lower(json_extract(data, '$.category'))",
        (Module::Budgets, false) => "json_extract(data, '$.budget_seconds')",
        (Module::TimeEntries, false) => {
            "coalesce(CASE json_extract(data, '$.span.kind') WHEN 'manual' THEN json_extract(data, '$.span.duration_seconds')
             ELSE unixepoch(json_extract(data, '$.span.end')) - unixepoch(json_extract(data, '$.span.start')) END, -1)"
        }
        _ => "id",
    }
}

/// Whether some record of the module has no value to sort by, so that
/// the list cannot be read from a record's values (SQLite puts records
/// without one first, or last when descending).
fn some_unsorted(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    sort: StagedSort,
) -> Result<bool> {
    if sort_values(module, sort).is_empty() {
        return Ok(false);
    }
    let empty = match sort {
        StagedSort::Label | StagedSort::ExternalId | StagedSort::ChangedAt => return Ok(false),
        StagedSort::Key if module == Module::TimeEntries => return Ok(false),
        StagedSort::Key2 if module == Module::TimeEntries => return Ok(false),
        StagedSort::Date | StagedSort::Status => "record_date IS NULL".to_owned(),
        StagedSort::Key | StagedSort::Key2 => {
            format!("{} IS NULL", key_field(module, sort == StagedSort::Key2))
        }
    };
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM staged_records WHERE integration_id = ?1 AND module = '{}' AND {empty})",
        module.as_str()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([integration_id], |r| r.get(0))?)
}

/// How many records `filter` keeps, known without reading them where the
/// trigger-kept counts answer.
fn count(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    filter: &StagedFilter,
    words: Option<&str>,
    (where_sql, params): (&str, &[SqlValue]),
) -> Result<i64> {
    let narrowed = filter.status.is_some() || filter.removed_at_source;
    if let (Some(words), false, None) = (words, narrowed, filter.left_out_of_payroll) {
        // The search alone: the index counts what it finds, its integration
        // and module included, without reading a record.
        return Ok(conn
            .prepare_cached("SELECT count(*) FROM staged_search WHERE staged_search MATCH ?1")?
            .query_row([words], |r| r.get(0))?);
    }
    if words.is_some() || filter.left_out_of_payroll.is_some() {
        // A search with a status: only the records found are looked at.
        let found = if words.is_some() { "NOT INDEXED" } else { "" };
        let sql = format!("SELECT count(*) FROM staged_records {found} {where_sql}");
        return Ok(conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params), |r| r.get(0))?);
    }
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(n), 0) FROM staged_counts
             WHERE integration_id = ?1 AND module = ?2
               AND (?3 IS NULL OR status = ?3) AND (?4 = 0 OR removed_at_source = 1)",
        )?
        .query_row(
            params![
                integration_id,
                module.as_str(),
                filter.status.map(StagedStatus::as_str),
                filter.removed_at_source
            ],
            |row| row.get(0),
        )?)
}

/// A cursor's values as SQL values; `None` when one is empty (no keyset).
fn cursor_values(cursor: &StagedCursor, expected: usize) -> Option<Vec<SqlValue>> {
    if cursor.values.len() != expected {
        return None;
    }
    cursor
        .values
        .iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Some(SqlValue::Text(s.clone())),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(SqlValue::Integer)
                .or_else(|| n.as_f64().map(SqlValue::Real)),
            _ => None,
        })
        .collect()
}

fn json_of(value: SqlValue) -> Option<serde_json::Value> {
    match value {
        SqlValue::Text(s) => Some(s.into()),
        SqlValue::Integer(i) => Some(i.into()),
        SqlValue::Real(f) => serde_json::Number::from_f64(f).map(Into::into),
        SqlValue::Null | SqlValue::Blob(_) => None,
    }
}

/// What one page query reads: after or before a record, or from an offset.
enum Start {
    Offset(i64),
    After(Vec<SqlValue>, i64),
    Before(Vec<SqlValue>, i64),
}

/// One page of an integration's staged records of one module.
pub fn list(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    query: &StagedQuery,
) -> Result<StagedPage> {
    let (page, page_size) = clamp_page(query.page, query.page_size);
    // The search's query (and the names it looks up) once for the call.
    let words = search_query(conn, integration_id, module, query.filter.search.as_deref())?;
    let words = words.as_deref();
    let plain = filter_narrowed(conn, integration_id, module, &query.filter, None, words)?;
    let (where_sql, params) = (plain.where_sql(), plain.params());
    let total = count(
        conn,
        integration_id,
        module,
        &query.filter,
        words,
        (&where_sql, params),
    )?;
    let read = page_read(conn, integration_id, module, query, total, words)?;
    let mut statement = conn.prepare_cached(&read.sql)?;
    let mut rows = Vec::new();
    let mut cursors = Vec::new();
    let mut found = statement.query(params_from_iter(&read.args))?;
    while let Some(row) = found.next()? {
        let record = record_from_row(row)?;
        let mut sorted = Vec::with_capacity(read.values);
        for i in 0..read.values {
            sorted.push(json_of(
                row.get::<_, SqlValue>(format!("sort_{i}").as_str())?,
            ));
        }
        let cursor = sorted
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .filter(|_| read.keyset)
            .map(|values| StagedCursor {
                values,
                id: record.id,
            });
        rows.push(record);
        cursors.push(cursor);
    }
    if read.backward {
        rows.reverse();
        cursors.reverse();
    }
    Ok(StagedPage {
        rows,
        total,
        page,
        page_size,
        first: cursors.first().cloned().flatten(),
        last: cursors.last().cloned().flatten(),
    })
}

/// Which index a page of few records is read from: the full-text index
/// (only rowids are then looked up), the removals' or the statuses'. SQLite,
/// knowing nothing of how many records each keeps, would rather walk the
/// sort's index.
fn read_from(
    filter: &StagedFilter,
    searched: bool,
    narrow: Narrow,
    sort: StagedSort,
) -> &'static str {
    match narrow {
        Narrow::Many => "",
        _ if filter.left_out_of_payroll.is_some() => "",
        _ if searched => "NOT INDEXED",
        _ if filter.removed_at_source => "INDEXED BY staged_records_removed",
        _ if filter.status.is_some() && !matches!(sort, StagedSort::Date | StagedSort::Status) => {
            "INDEXED BY staged_records_status"
        }
        _ => "",
    }
}

/// The query of one page, once its filter's count is known.
struct PageRead {
    sql: String,
    args: Vec<SqlValue>,
    /// Read in the list's reverse order (rows come back last first).
    backward: bool,
    /// Whether the page's records can say where it begins and ends.
    keyset: bool,
    /// How many sort values each row carries (`sort_0`, …).
    values: usize,
}

fn page_read(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    query: &StagedQuery,
    total: i64,
    words: Option<&str>,
) -> Result<PageRead> {
    let (page, page_size) = clamp_page(query.page, query.page_size);
    // Without an index in the sort's order, what the filter keeps is
    // sorted whatever its number: read it from the filter's own index.
    let narrow = if total <= SORTED_AT_MOST || !indexed(module, query.sort) {
        Narrow::Few
    } else {
        Narrow::Many
    };
    let filter = filter_narrowed(
        conn,
        integration_id,
        module,
        &query.filter,
        Some((narrow, query.sort)),
        words,
    )?;
    let values = sort_values(module, query.sort);
    let keyset = !some_unsorted(conn, integration_id, module, query.sort)?;
    let start = match (&query.after, &query.before) {
        (Some(c), _) if keyset => cursor_values(c, values.len()).map(|v| Start::After(v, c.id)),
        (None, Some(c)) if keyset => cursor_values(c, values.len()).map(|v| Start::Before(v, c.id)),
        _ => None,
    }
    .unwrap_or(Start::Offset((i64::from(page) - 1) * i64::from(page_size)));
    let limit = i64::from(page_size);
    // Read forward (in the list's order) or backward, from where.
    let (backward, offset, limit, seek) = match start {
        Start::After(v, id) => (false, 0, limit, Some((v, id))),
        Start::Before(v, id) => (true, 0, limit, Some((v, id))),
        // Far from the start, count from the end: read backward.
        Start::Offset(offset) if offset > total / 2 && offset < total => {
            let rows = limit.min(total - offset);
            (true, total - offset - rows, rows, None)
        }
        Start::Offset(offset) => (false, offset, limit, None),
    };
    let descending = query.descending != backward;
    let mut args: Vec<SqlValue> = filter.params().to_vec();
    let mut where_sql = filter.where_sql();
    if let Some((cursor, id)) = seek {
        // The values alone (inclusive) are what SQLite seeks the index to;
        // with the id, what leaves out the records up to the cursor's.
        let columns = values.join(", ");
        let marks = vec!["?"; values.len()].join(", ");
        let (op, op_or_equal) = if descending { ("<", "<=") } else { (">", ">=") };
        if values.is_empty() {
            where_sql.push_str(&format!(" AND id {op} ?"));
        } else {
            where_sql.push_str(&format!(
                " AND ({columns}) {op_or_equal} ({marks}) AND ({columns}, id) {op} ({marks}, ?)"
            ));
            args.extend(cursor.iter().cloned());
            args.extend(cursor);
        }
        args.push(id.into());
    }
    let picked: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!(", {v} AS sort_{i}"))
        .collect();
    let order = order_by(module, query.sort, descending);
    let from = read_from(&query.filter, words.is_some(), narrow, query.sort);
    Ok(PageRead {
        sql: format!(
            "SELECT {COLUMNS}{picked} FROM staged_records {from} {where_sql}
             ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        ),
        args,
        backward,
        keyset,
        values: values.len(),
    })
}

#[cfg(test)]
#[path = "staged_list_tests.rs"]
mod tests;
