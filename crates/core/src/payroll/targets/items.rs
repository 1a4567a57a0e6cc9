//! A target's payroll items (as last read from it), and each local pay
//! ID's item there, company-wide or for one employee.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Target, TargetProfile, profile};
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::platforms::Platform;
use crate::time;

/// A payroll item at a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TargetItem {
    pub external_id: String,
    pub name: String,
    /// The target's kind of item, e.g. "HourlyOvertime".
    pub wage_type: Option<String>,
    pub active: bool,
}

const ITEMS_STREAM: &str = "payroll_items";

/// The payroll items last read from integration `id`, by name (Sage 300
/// CRE's: its pay IDs as last synced, named by their codes).
pub fn items(conn: &Connection, id: i64) -> Result<Vec<TargetItem>> {
    if super::integration_row(conn, id)?.platform == Platform::Sage300Cre.id() {
        return sage_pay_ids(conn, id);
    }
    let mut statement = conn.prepare_cached(
        "SELECT data FROM source_cache WHERE integration_id = ?1 AND stream = ?2",
    )?;
    let rows = statement.query_map(params![id, ITEMS_STREAM], |r| r.get::<_, String>(0))?;
    let mut items = Vec::new();
    for row in rows {
        if let Ok(item) = serde_json::from_str::<TargetItem>(&row?) {
            items.push(item);
        }
    }
    items.sort_by_key(|a| a.name.to_lowercase());
    Ok(items)
}

/// A Sage 300 CRE integration's pay IDs, as last synced: each named by
/// its code (what Import Time takes), what it is called as its kind.
fn sage_pay_ids(conn: &Connection, id: i64) -> Result<Vec<TargetItem>> {
    let mut items: Vec<TargetItem> = crate::payroll::synced_items::synced_items(conn, id)?
        .into_iter()
        .map(|item| TargetItem {
            name: item.external_id.clone(),
            wage_type: Some(item.name),
            ..item
        })
        .collect();
    items.sort_by_key(|a| a.name.to_lowercase());
    Ok(items)
}

/// Replaces the remembered payroll items of integration `id` with what it
/// sent just now.
pub fn save_items(tx: &Transaction<'_>, id: i64, items: &[TargetItem]) -> Result<()> {
    tx.execute(
        "DELETE FROM source_cache WHERE integration_id = ?1 AND stream = ?2",
        params![id, ITEMS_STREAM],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO source_cache (integration_id, stream, external_id, data)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for item in items {
        let data = serde_json::to_string(item)
            .map_err(|e| Error::Internal(format!("a payroll item could not be kept: {e}")))?;
        insert.execute(params![id, ITEMS_STREAM, item.external_id, data])?;
    }
    Ok(())
}

/// One local pay ID's item at a target, for everyone or for one employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PayItemMap {
    pub pay_id: i64,
    /// `None`: the company-wide mapping.
    pub employee_id: Option<i64>,
    pub item: String,
    /// Set when picked from the target's list.
    pub item_external_id: Option<String>,
}

/// A target's pay item mappings: company-wide ones, then overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayItemBook {
    pub company: HashMap<i64, PayItemMap>,
    pub overrides: HashMap<(i64, i64), PayItemMap>,
}

impl PayItemBook {
    /// The item `pay_id` is sent as for `employee_id`.
    pub fn item(&self, pay_id: i64, employee_id: i64) -> Option<&PayItemMap> {
        self.overrides
            .get(&(pay_id, employee_id))
            .or_else(|| self.company.get(&pay_id))
    }

    pub fn all(&self) -> Vec<PayItemMap> {
        let mut all: Vec<PayItemMap> = self
            .company
            .values()
            .chain(self.overrides.values())
            .cloned()
            .collect();
        all.sort_by_key(|m| (m.pay_id, m.employee_id.unwrap_or(0)));
        all
    }
}

pub fn pay_item_book(conn: &Connection, target: Target) -> Result<PayItemBook> {
    let mut statement = conn.prepare_cached(
        "SELECT pay_id, employee_id, item, item_external_id FROM pay_item_maps WHERE target = ?1",
    )?;
    let rows = statement.query_map([target.key()], |r| {
        let employee: i64 = r.get(1)?;
        Ok(PayItemMap {
            pay_id: r.get(0)?,
            employee_id: (employee != 0).then_some(employee),
            item: r.get(2)?,
            item_external_id: r.get(3)?,
        })
    })?;
    let mut book = PayItemBook::default();
    for row in rows {
        let map = row?;
        match map.employee_id {
            None => drop(book.company.insert(map.pay_id, map)),
            Some(employee) => drop(book.overrides.insert((map.pay_id, employee), map)),
        }
    }
    Ok(book)
}

/// Sets (or, with an empty item, clears) one mapping. An item picked from
/// the target's list must be on it; a typed one must fit the target.
pub fn set_pay_item(
    tx: &Transaction<'_>,
    target: Target,
    map: &PayItemMap,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<PayItemMap>> {
    let profile = profile(tx, target)?;
    let pay_code: String = tx
        .query_row(
            "SELECT code FROM pay_ids WHERE id = ?1",
            [map.pay_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::invalid("pay_id", "That pay ID does not exist any more."))?;
    let employee = match map.employee_id {
        None => None,
        Some(id) => Some(
            tx.query_row(
                "SELECT trim(first_name || ' ' || last_name) FROM employees WHERE id = ?1",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .ok_or_else(|| Error::invalid("employee_id", "That employee does not exist."))?,
        ),
    };
    let item = map.item.trim().to_owned();
    let key = target.key();
    let whom = employee
        .as_ref()
        .map_or_else(String::new, |name| format!(" for {name}"));
    if item.is_empty() {
        tx.execute(
            "DELETE FROM pay_item_maps WHERE target = ?1 AND pay_id = ?2 AND employee_id = ?3",
            params![key, map.pay_id, map.employee_id.unwrap_or(0)],
        )?;
        log_mapping(
            tx,
            actor,
            &profile,
            format!("Cleared the {} item of {pay_code}{whom}", profile.name),
            now,
        )?;
        return Ok(None);
    }
    if let Some(max) = profile.limits.item
        && item.chars().count() > max
    {
        return Err(Error::invalid(
            "item",
            format!(
                "{} accepts payroll item names of at most {max} characters; “{item}” has {}.",
                profile.name,
                item.chars().count()
            ),
        ));
    }
    let external_id = match (&map.item_external_id, target) {
        (Some(external), Target::Integration { id }) => {
            let listed = items(tx, id)?;
            let found = listed
                .iter()
                .find(|i| &i.external_id == external)
                .ok_or_else(|| {
                    Error::invalid(
                        "item",
                        format!(
                            "“{item}” is not on {}'s list of payroll items any more. Refresh the list and pick again.",
                            profile.name
                        ),
                    )
                })?;
            Some(found.external_id.clone())
        }
        (None, Target::Integration { id }) => {
            // Typed: take the listed item of that name, if there is one.
            items(tx, id)?
                .into_iter()
                .find(|i| i.name.eq_ignore_ascii_case(&item))
                .map(|i| i.external_id)
        }
        _ => None,
    };
    tx.execute(
        "INSERT INTO pay_item_maps (target, pay_id, employee_id, item, item_external_id, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (target, pay_id, employee_id) DO UPDATE SET item = excluded.item,
           item_external_id = excluded.item_external_id, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by",
        params![
            key,
            map.pay_id,
            map.employee_id.unwrap_or(0),
            item,
            external_id,
            time::to_db(now),
            actor.updated_by()
        ],
    )?;
    log_mapping(
        tx,
        actor,
        &profile,
        format!("Mapped {pay_code}{whom} to “{item}” at {}", profile.name),
        now,
    )?;
    Ok(Some(PayItemMap {
        pay_id: map.pay_id,
        employee_id: map.employee_id,
        item,
        item_external_id: external_id,
    }))
}

pub(super) fn log_mapping(
    tx: &Transaction<'_>,
    actor: &Actor,
    profile: &TargetProfile,
    summary: String,
    now: DateTime<Utc>,
) -> Result<()> {
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollMappingChanged,
            target: Some(profile.key.clone()),
            summary,
            details: None,
        },
        now,
    )
}
