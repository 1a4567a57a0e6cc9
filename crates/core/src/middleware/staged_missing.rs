//! What the pages of one whole read staged ([`Staging`]), and the staged
//! records it did not return, found by the row ids of
//! the records it did ([`apply_serialized`](super::staged::apply_serialized)
//! gives them) instead of
//! by their external ids: the ids of a module's rows within a span of days
//! are read from an index alone, not from each row.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Transaction, params, params_from_iter};

use super::Module;
use super::staged::{CHUNK, placeholders};
use crate::error::Result;
use crate::time;

/// What the pages of one whole read of a module staged so far: each
/// record's row id (for [`mark_unseen_removed`]), and, while the module had
/// nothing staged or imported before the read and no page repeats an id of
/// an earlier one, that no page needs its staged rows looked up.
#[derive(Debug, Default)]
pub struct Staging {
    /// The row id of each record staged.
    pub rows: Vec<i64>,
    /// The hashes of the ids staged, while nothing was staged before.
    fresh: Option<HashSet<u64>>,
    /// Queue the records written for search (`staged::index_queued`)
    /// instead of indexing each page.
    pub queue_for_search: bool,
}

impl Staging {
    /// Staging a whole read of `module`: looks once whether anything of it
    /// is staged or imported.
    pub fn begin(conn: &Connection, integration_id: i64, module: Module) -> Result<Staging> {
        let known: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM staged_records WHERE integration_id = ?1 AND module = ?2)
                     OR EXISTS (SELECT 1 FROM bindings WHERE integration_id = ?1 AND module = ?2)",
            )?
            .query_row(params![integration_id, module.as_str()], |row| row.get(0))?;
        Ok(Staging {
            rows: Vec::new(),
            fresh: (!known).then(HashSet::new),
            queue_for_search: false,
        })
    }

    /// Whether none of `ids` (one page's, each once) can be staged or
    /// imported yet: nothing was before the read, and no earlier page had
    /// any of them (a hash seen before looks them up). Remembers them.
    pub(super) fn unstaged(&mut self, ids: &[&str]) -> bool {
        let Some(staged) = &mut self.fresh else {
            return false;
        };
        let hashes: Vec<u64> = ids
            .iter()
            .map(|id| xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
            .collect();
        if hashes.iter().any(|h| staged.contains(h)) {
            self.fresh = None;
            return false;
        }
        staged.extend(hashes);
        true
    }
}

/// Marks the staged records of `module` whose rows are not `seen` removed
/// at the source (those dated within `dates`, when given): what
/// [`mark_missing_removed`](super::staged::mark_missing_removed) (or
/// `_between`) marks for a read whose
/// records are the rows `seen`. Returns how many were newly marked.
pub fn mark_unseen_removed(
    tx: &Transaction<'_>,
    integration_id: i64,
    module: Module,
    seen: &HashSet<i64>,
    dates: Option<(NaiveDate, NaiveDate)>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let rows = match dates {
        None => tx
            .prepare_cached(
                "SELECT id FROM staged_records WHERE integration_id = ?1 AND module = ?2",
            )?
            .query_map(params![integration_id, module.as_str()], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?,
        Some((from, to)) => tx
            .prepare_cached(
                "SELECT id FROM staged_records
                 WHERE integration_id = ?1 AND module = ?2 AND record_date BETWEEN ?3 AND ?4",
            )?
            .query_map(
                params![
                    integration_id,
                    module.as_str(),
                    from.to_string(),
                    to.to_string()
                ],
                |row| row.get(0),
            )?
            .collect::<rusqlite::Result<Vec<i64>>>()?,
    };
    let unseen: Vec<i64> = rows.into_iter().filter(|id| !seen.contains(id)).collect();
    let mut marked = 0;
    for chunk in unseen.chunks(CHUNK) {
        let mut args: Vec<SqlValue> = vec![time::to_db(now).into()];
        args.extend(chunk.iter().map(|id| SqlValue::from(*id)));
        marked += tx.execute(
            &format!(
                "UPDATE staged_records SET removed_at_source = 1, changed_at = ?
                 WHERE removed_at_source = 0 AND id IN ({})",
                placeholders(chunk.len())
            ),
            params_from_iter(&args),
        )? as u64;
    }
    Ok(marked)
}
