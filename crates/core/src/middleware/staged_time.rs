//! Staged time entries read as time: the hours per day of a filtered set
//! (the review's chart), and the entries that are not imported as they are
//! now over a range of dates, as payroll reads them to say what a pay
//! period leaves out (see `payroll::unimported`).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params, params_from_iter};
use serde::Serialize;
use ts_rs::TS;

use super::Module;
use super::planner::StagedStatus;
use super::staged::{StagedFilter, filter_for};
use crate::error::Result;
use crate::records::date_column;
use crate::records::time_entries::TimeSpan;

/// Hours of staged time on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DayHours {
    pub date: NaiveDate,
    pub seconds: i64,
    pub entries: i64,
}

/// How many days [`hours_per_day`] covers, back from the newest.
pub const HOURS_CHART_DAYS: i64 = 62;

/// Staged time entries matching `filter`, summed per day over the newest
/// [`HOURS_CHART_DAYS`] days of the set. Computed in SQLite.
pub fn hours_per_day(
    conn: &Connection,
    integration_id: i64,
    filter: &StagedFilter,
) -> Result<Vec<DayHours>> {
    let f = filter_for(conn, integration_id, Module::TimeEntries, filter)?;
    let where_sql = f.where_sql();
    let newest: Option<String> = conn
        .prepare_cached(&format!(
            "SELECT max(record_date) FROM staged_records {where_sql}"
        ))?
        .query_row(params_from_iter(f.params()), |r| r.get(0))?;
    let Some(newest) = newest else {
        return Ok(Vec::new());
    };
    let mut args: Vec<SqlValue> = f.params().to_vec();
    args.push(newest.clone().into());
    args.push(newest.into());
    let sql = format!(
        "SELECT record_date,
                sum(CASE json_extract(data, '$.span.kind')
                      WHEN 'manual' THEN coalesce(json_extract(data, '$.span.duration_seconds'), 0)
                      ELSE coalesce(CAST(round((julianday(json_extract(data, '$.span.end'))
                                             - julianday(json_extract(data, '$.span.start'))) * 86400) AS INTEGER), 0)
                    END),
                count(*)
         FROM staged_records {where_sql}
           AND record_date > date(?, '-{} days') AND record_date <= ?
         GROUP BY record_date ORDER BY record_date",
        HOURS_CHART_DAYS
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let days = statement
        .query_map(params_from_iter(&args), |r| {
            Ok(DayHours {
                date: date_column(r, "record_date")?.unwrap_or_default(),
                seconds: r.get(1)?,
                entries: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(days)
}

/// The condition, on `staged_records`, of a record that is not imported as
/// it is now: New (never imported, including one an import skipped or held
/// back for a decision) or Updated (changed at the source since it was
/// imported), and not removed at the source (there is nothing of it to
/// import). Archived records were set aside by the admin.
pub const NOT_IMPORTED: &str = "status IN ('new', 'updated') AND removed_at_source = 0";

/// A staged time entry that is not imported as it is now (see
/// [`NOT_IMPORTED`]), as payroll reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnimportedTimeEntry {
    pub id: i64,
    pub status: StagedStatus,
    /// Its date in its own offset, as staged.
    pub record_date: Option<NaiveDate>,
    /// Whose time it is: the employee's id at the source.
    pub employee_external_id: Option<String>,
    /// When it was worked; `None` when the staged data has no readable
    /// start, end or duration (an import would skip it).
    pub span: Option<TimeSpan>,
    /// For an Updated entry: the local time entry its earlier version was
    /// imported as, which payroll counts meanwhile.
    pub imported_as: Option<i64>,
}

/// The staged time entries of an integration dated `from` to `to` that
/// are not imported as they are now. Read by the `staged_records_status`
/// index (integration, module, status, date): only the rows of those dates
/// and statuses are visited, however many are staged (a test checks the
/// plan).
pub fn unimported_time_entries(
    conn: &Connection,
    integration_id: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<UnimportedTimeEntry>> {
    let mut statement = conn.prepare_cached(UNIMPORTED_SQL)?;
    let rows = statement.query_map(
        params![integration_id, from.to_string(), to.to_string()],
        |r| {
            let status: String = r.get("status")?;
            let span: Option<String> = r.get("span")?;
            Ok(UnimportedTimeEntry {
                id: r.get("id")?,
                status: StagedStatus::parse(&status).unwrap_or(StagedStatus::New),
                record_date: date_column(r, "record_date")?,
                employee_external_id: external_id(r.get("employee")?),
                span: span.and_then(|text| serde_json::from_str(&text).ok()),
                imported_as: r.get("local_id")?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const UNIMPORTED_SQL: &str = "SELECT s.id, s.status, s.record_date,
        json_extract(s.data, '$.employee_external_id') AS employee,
        json(json_extract(s.data, '$.span')) AS span, b.local_id
     FROM staged_records s
     LEFT JOIN bindings b ON b.integration_id = s.integration_id AND b.module = s.module
                         AND b.external_id = s.external_id
     WHERE s.integration_id = ?1 AND s.module = 'time_entries'
       AND s.status IN ('new', 'updated') AND s.removed_at_source = 0
       AND s.record_date BETWEEN ?2 AND ?3";

/// An id at the source as the importer reads a reference: text, or a
/// number written as text; empty is none.
fn external_id(value: SqlValue) -> Option<String> {
    match value {
        SqlValue::Text(text) if !text.is_empty() => Some(text),
        SqlValue::Integer(n) => Some(n.to_string()),
        SqlValue::Real(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The local ids the records `external_ids` of `module` were imported as.
pub fn imported_as(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    external_ids: &[String],
) -> Result<HashMap<String, i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT external_id, local_id FROM bindings
         WHERE integration_id = ?1 AND module = ?2 AND external_id IN (SELECT value FROM json_each(?3))",
    )?;
    let rows = statement.query_map(
        params![integration_id, module.as_str(), json_list(external_ids)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The staged data of the records `external_ids` of `module` (those staged).
pub fn staged_data(
    conn: &Connection,
    integration_id: i64,
    module: Module,
    external_ids: &[String],
) -> Result<HashMap<String, serde_json::Value>> {
    let mut statement = conn.prepare_cached(
        "SELECT external_id, data FROM staged_records
         WHERE integration_id = ?1 AND module = ?2 AND external_id IN (SELECT value FROM json_each(?3))",
    )?;
    let rows = statement.query_map(
        params![integration_id, module.as_str(), json_list(external_ids)],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )?;
    let mut found = HashMap::new();
    for row in rows {
        let (id, text) = row?;
        found.insert(
            id,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        );
    }
    Ok(found)
}

fn json_list(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unimported_entries_of_a_period_are_read_from_the_status_index() {
        let dir = tempfile::tempdir().expect("temp folder");
        let store = crate::Store::open(&dir.path().join("plan.db")).expect("database");
        let plan = store
            .read(|conn| {
                let mut statement =
                    conn.prepare(&format!("EXPLAIN QUERY PLAN {UNIMPORTED_SQL}"))?;
                let rows = statement
                    .query_map(params![1, "2026-10-24", "2026-11-10"], |r| {
                        r.get::<_, String>(3)
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows.join("; "))
            })
            .expect("plan read");
        assert!(
            plan.contains("USING INDEX staged_records_status (integration_id=? AND module=? AND status=? AND record_date>? AND record_date<?)"),
            "a pay period's unimported entries are a range of the status index, not a read of a million staged entries: {plan}"
        );
        assert!(
            !plan.contains("SCAN"),
            "nothing is scanned whole, not staged records nor bindings: {plan}"
        );
    }
}
