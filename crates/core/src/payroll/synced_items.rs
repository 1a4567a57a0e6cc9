//! A target's payroll items as synced from it: for a platform whose
//! payroll items arrive with its lists (QuickBooks Desktop's wage payroll
//! items, read by the Web Connector's updates) rather than from a call of
//! their own, the mapping picks from what the last sync staged.

use rusqlite::Connection;

use super::targets::TargetItem;
use crate::error::Result;
use crate::middleware::{Module, StagedPayItem};

/// Integration `id`'s staged pay items (removed at the source left out),
/// as payroll items to map to, by name.
pub fn synced_items(conn: &Connection, id: i64) -> Result<Vec<TargetItem>> {
    let mut statement = conn.prepare_cached(
        "SELECT external_id, data FROM staged_records
         WHERE integration_id = ?1 AND module = ?2 AND removed_at_source = 0
         ORDER BY label COLLATE NOCASE",
    )?;
    let rows = statement.query_map(rusqlite::params![id, Module::PayItems.as_str()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (external_id, data) = row?;
        let Ok(item) = serde_json::from_str::<StagedPayItem>(&data) else {
            continue;
        };
        out.push(TargetItem {
            external_id,
            name: item.name,
            wage_type: Some(item.category.as_str().to_owned()),
            active: item.active,
        });
    }
    Ok(out)
}
