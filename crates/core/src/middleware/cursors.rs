//! Where each stream of an integration got to, and the raw platform records
//! a connector keeps to read later (the jobcode tree). Both are written in
//! the transaction of the page they follow.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Error, Result};
use crate::time;

/// The stored cursor of a stream, as JSON the connector defines.
pub fn get(
    conn: &Connection,
    integration_id: i64,
    stream: &str,
) -> Result<Option<serde_json::Value>> {
    let text: Option<String> = conn
        .prepare_cached(
            "SELECT cursor FROM sync_cursors WHERE integration_id = ?1 AND stream = ?2",
        )?
        .query_row(params![integration_id, stream], |row| row.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| Error::Internal(format!("the cursor of {stream} is unreadable: {e}")))
    })
    .transpose()
}

pub fn set(
    tx: &Transaction<'_>,
    integration_id: i64,
    stream: &str,
    cursor: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_cursors (integration_id, stream, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (integration_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
    )?
    .execute(params![integration_id, stream, cursor.to_string(), time::to_db(now)])?;
    Ok(())
}

/// Keeps raw platform records of a stream for later reads.
pub fn cache_put(
    tx: &Transaction<'_>,
    integration_id: i64,
    stream: &str,
    records: &[(String, serde_json::Value)],
) -> Result<()> {
    let mut statement = tx.prepare_cached(
        "INSERT INTO source_cache (integration_id, stream, external_id, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (integration_id, stream, external_id) DO UPDATE SET data = excluded.data
         WHERE data <> excluded.data",
    )?;
    for (id, data) in records {
        statement.execute(params![integration_id, stream, id, data.to_string()])?;
    }
    Ok(())
}

/// Forgets a stream's cached records: a full read starts over, so the cache
/// holds what the platform has now, not what it once had.
pub fn cache_clear(tx: &Transaction<'_>, integration_id: i64, stream: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM source_cache WHERE integration_id = ?1 AND stream = ?2")?
        .execute(params![integration_id, stream])?;
    Ok(())
}

/// Every cached record of a stream.
pub fn cache_all(
    conn: &Connection,
    integration_id: i64,
    stream: &str,
) -> Result<Vec<(String, serde_json::Value)>> {
    let mut statement = conn.prepare_cached(
        "SELECT external_id, data FROM source_cache WHERE integration_id = ?1 AND stream = ?2",
    )?;
    let rows = statement
        .query_map(params![integration_id, stream], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, text)| serde_json::from_str(&text).ok().map(|v| (id, v)))
        .collect())
}
