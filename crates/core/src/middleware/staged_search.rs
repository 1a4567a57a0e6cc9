//! Keeping the full-text index of staged records (`staged_search`,
//! migration 13) in step with them: a page of records written is indexed
//! in one statement, which FTS5 takes about five times faster than the
//! same rows one statement at a time (a per-row trigger would have cost a
//! sync four fifths of its speed). Reading the index is `staged_list`'s.

use rusqlite::Connection;

use crate::error::Result;

/// Indexes the staged records a query's `WHERE` picks: their words (label,
/// id at the source, notes), the records they name, and their integration
/// and module. The same expressions as migration 13's first fill.
const INDEX_ROWS: &str = "INSERT INTO staged_search (rowid, words, refs, kind)
     SELECT id,
            label || ' ' || external_id || ' ' || coalesce(json_extract(data, '$.notes'), ''),
            'e' || hex(coalesce(json_extract(data, '$.employee_external_id'), ''))
                || ' j' || hex(coalesce(json_extract(data, '$.job_external_id'), ''))
                || ' t' || hex(coalesce(json_extract(data, '$.task_external_id'), '')),
            'm' || integration_id || replace(module, '_', '')
     FROM staged_records";

fn id_list(ids: &[i64]) -> String {
    serde_json::Value::from(ids).to_string()
}

/// Indexes the staged records `inserted` (never indexed) and `updated`
/// (indexed as they were): one statement each, whatever their number.
pub(super) fn index(conn: &Connection, inserted: &[i64], updated: &[i64]) -> Result<()> {
    if !updated.is_empty() {
        conn.prepare_cached(
            "DELETE FROM staged_search WHERE rowid IN (SELECT value FROM json_each(?1))",
        )?
        .execute([id_list(updated)])?;
    }
    let all: Vec<i64> = inserted.iter().chain(updated).copied().collect();
    if !all.is_empty() {
        conn.prepare_cached(&format!(
            "{INDEX_ROWS} WHERE id IN (SELECT value FROM json_each(?1))"
        ))?
        .execute([id_list(&all)])?;
    }
    Ok(())
}

/// Queues the staged records `rows` (inserted or updated) to be indexed
/// by [`index_queued`].
pub(super) fn queue(conn: &Connection, rows: &[i64]) -> Result<()> {
    if !rows.is_empty() {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO staged_search_queue (id) SELECT value FROM json_each(?1)",
        )?
        .execute([id_list(rows)])?;
    }
    Ok(())
}

/// Indexes every queued staged record (as it is now; a record queued and
/// since deleted is dropped) in one statement, and empties the queue.
/// Returns how many were indexed.
pub fn index_queued(conn: &Connection) -> Result<usize> {
    conn.prepare_cached(
        "DELETE FROM staged_search WHERE rowid IN (SELECT id FROM staged_search_queue)",
    )?
    .execute([])?;
    let indexed = conn
        .prepare_cached(&format!(
            "{INDEX_ROWS} WHERE id IN (SELECT id FROM staged_search_queue)"
        ))?
        .execute([])?;
    conn.prepare_cached("DELETE FROM staged_search_queue")?
        .execute([])?;
    Ok(indexed)
}

/// Indexes every staged record with an id above `after` (records written
/// straight into the table in bulk, as the review bench grows its
/// million). Returns how many.
pub fn index_after(conn: &Connection, after: i64) -> Result<usize> {
    Ok(conn.execute(&format!("{INDEX_ROWS} WHERE id > ?1"), [after])?)
}
