//! The staged records the importer reads and the bindings it writes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::Importer;
use crate::error::{Error, Result};
use crate::middleware::Module;
use crate::middleware::planner::StagedStatus;
use crate::time;

/// One staged row, as the importer reads it.
#[derive(Debug, Clone)]
pub(super) struct Staged {
    pub(super) id: i64,
    pub(super) external_id: String,
    pub(super) label: String,
    pub(super) status: StagedStatus,
    pub(super) removed: bool,
    pub(super) data: Value,
    /// `data` as stored, kept for the binding's snapshot.
    pub(super) data_text: String,
    pub(super) checksum: String,
}

#[derive(Debug, Clone)]
pub(super) struct Binding {
    pub(super) local_id: i64,
    pub(super) snapshot: Value,
    pub(super) imported_at: DateTime<Utc>,
}

impl<'a> Importer<'a> {
    pub(super) fn binding(
        &self,
        module: Module,
        external_id: &str,
    ) -> rusqlite::Result<Option<Binding>> {
        self.tx
            .prepare_cached(
                "SELECT local_id, snapshot, imported_at FROM bindings
                 WHERE integration_id = ?1 AND module = ?2 AND external_id = ?3",
            )?
            .query_row(
                params![self.integration_id, module.as_str(), external_id],
                |r| {
                    let snapshot: String = r.get(1)?;
                    Ok(Binding {
                        local_id: r.get(0)?,
                        snapshot: serde_json::from_str(&snapshot).unwrap_or(Value::Null),
                        imported_at: time::column(r, "imported_at")?,
                    })
                },
            )
            .optional()
    }

    /// Records what was imported; the staged record is marked Imported with
    /// the rest of the transaction's.
    pub(super) fn bind(
        &mut self,
        module: Module,
        staged: &Staged,
        local_id: i64,
    ) -> rusqlite::Result<()> {
        let now = time::to_db(self.now);
        self.tx
            .prepare_cached(
                "INSERT INTO bindings (integration_id, module, external_id, local_id, checksum, snapshot, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (integration_id, module, external_id) DO UPDATE SET
                   local_id = excluded.local_id, checksum = excluded.checksum,
                   snapshot = excluded.snapshot, imported_at = excluded.imported_at",
            )?
            .execute(params![
                self.integration_id,
                module.as_str(),
                staged.external_id,
                local_id,
                staged.checksum,
                staged.data_text,
                now
            ])?;
        self.imported.push(staged.id);
        Ok(())
    }

    /// The staged records `ids` of `module`, read in one statement (one
    /// query per record was a twelfth of a large import).
    pub(super) fn staged_by_ids(
        &self,
        module: Module,
        ids: &[i64],
    ) -> Result<HashMap<i64, Staged>> {
        let list = serde_json::to_string(ids)
            .map_err(|e| Error::Internal(format!("staged ids could not be listed: {e}")))?;
        let mut statement = self.tx.prepare_cached(
            "SELECT s.id, s.external_id, s.label, s.status, s.removed_at_source, s.data, s.checksum
             FROM json_each(?3) AS wanted CROSS JOIN staged_records AS s ON s.id = wanted.value
             WHERE s.integration_id = ?1 AND s.module = ?2",
        )?;
        let rows = statement.query_map(
            params![self.integration_id, module.as_str(), list],
            staged_row,
        )?;
        let mut staged = HashMap::with_capacity(ids.len());
        for row in rows {
            let row = row?;
            staged.insert(row.id, row);
        }
        Ok(staged)
    }

    pub(super) fn staged_by_external_id(
        &self,
        module: Module,
        external_id: &str,
    ) -> rusqlite::Result<Option<Staged>> {
        self.staged_where(
            "SELECT id, external_id, label, status, removed_at_source, data, checksum
             FROM staged_records WHERE integration_id = ?1 AND module = ?2 AND external_id = ?3",
            module,
            external_id,
        )
    }

    /// One staged record, by `sql` over (integration, module, `value`).
    fn staged_where(
        &self,
        sql: &'static str,
        module: Module,
        value: impl rusqlite::ToSql,
    ) -> rusqlite::Result<Option<Staged>> {
        self.tx
            .prepare_cached(sql)?
            .query_row(
                params![self.integration_id, module.as_str(), value],
                staged_row,
            )
            .optional()
    }
}

/// A staged record from `SELECT id, external_id, label, status,
/// removed_at_source, data, checksum`.
fn staged_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Staged> {
    let status: String = r.get(3)?;
    let data: String = r.get(5)?;
    Ok(Staged {
        id: r.get(0)?,
        external_id: r.get(1)?,
        label: r.get(2)?,
        status: StagedStatus::parse(&status).unwrap_or(StagedStatus::New),
        removed: r.get(4)?,
        data: serde_json::from_str(&data).unwrap_or(Value::Null),
        data_text: data,
        checksum: r.get(6)?,
    })
}
