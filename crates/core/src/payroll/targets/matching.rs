//! Which of a target's records (as synced from it) a local employee, job
//! or task is: imported from it, confirmed by an admin, or suggested.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::items::log_mapping;
use super::{Target, profile};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::time;

/// A kind of record matched to a target's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Employee,
    Job,
    Task,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Employee => "employee",
            MatchKind::Job => "job",
            MatchKind::Task => "task",
        }
    }

    fn module(self) -> &'static str {
        match self {
            MatchKind::Employee => "employees",
            MatchKind::Job => "jobs",
            MatchKind::Task => "tasks",
        }
    }

    fn table(self) -> &'static str {
        match self {
            MatchKind::Employee => "employees",
            MatchKind::Job => "jobs",
            MatchKind::Task => "tasks",
        }
    }
}

/// The ids of the company's active records of `kind`.
pub fn active_ids(conn: &Connection, kind: MatchKind) -> Result<Vec<i64>> {
    let sql = match kind {
        MatchKind::Employee => "SELECT id FROM employees WHERE active = 1",
        MatchKind::Job => "SELECT id FROM jobs WHERE active = 1",
        MatchKind::Task => "SELECT id FROM tasks WHERE active = 1",
    };
    let mut statement = conn.prepare_cached(sql)?;
    let ids = statement.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// A record of a target, as synced from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TargetRecord {
    pub external_id: String,
    pub label: String,
    /// Employee number, job number or cost code.
    pub number: Option<String>,
}

/// The target's live records of one kind, from what was synced from it.
pub fn target_records(conn: &Connection, id: i64, kind: MatchKind) -> Result<Vec<TargetRecord>> {
    let mut statement = conn.prepare_cached(
        "SELECT external_id, label, data FROM staged_records
         WHERE integration_id = ?1 AND module = ?2 AND removed_at_source = 0
         ORDER BY label COLLATE NOCASE",
    )?;
    let rows = statement.query_map(params![id, kind.module()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let number_field = match kind {
        MatchKind::Employee => "employee_number",
        MatchKind::Job => "job_number",
        MatchKind::Task => "code",
    };
    let mut out = Vec::new();
    for row in rows {
        let (external_id, label, data) = row?;
        let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
        let number = data
            .get(number_field)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let label = match kind {
            MatchKind::Employee => {
                let part = |f: &str| data.get(f).and_then(Value::as_str).unwrap_or("").trim();
                let name = format!("{} {}", part("first_name"), part("last_name"));
                let name = name.trim();
                if name.is_empty() {
                    label
                } else {
                    name.to_owned()
                }
            }
            MatchKind::Job | MatchKind::Task => data
                .get("name")
                .and_then(Value::as_str)
                .map_or(label, str::to_owned),
        };
        out.push(TargetRecord {
            external_id,
            label,
            number,
        });
    }
    Ok(out)
}

/// How a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// The local record was imported from this target.
    ImportedFromTarget,
    /// An admin confirmed it.
    Confirmed,
    /// Suggested: same employee number, job number or cost code.
    SameNumber,
    /// Suggested: same name.
    SameName,
    /// Nothing found.
    None,
}

/// A local record and what it is (or may be) at the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecordMatch {
    pub kind: MatchKind,
    pub local_id: i64,
    pub local_label: String,
    pub local_number: Option<String>,
    pub external_id: Option<String>,
    pub external_label: Option<String>,
    pub basis: MatchBasis,
}

impl RecordMatch {
    /// Settled: imported from the target or confirmed, not just suggested.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.basis,
            MatchBasis::ImportedFromTarget | MatchBasis::Confirmed
        )
    }
}

/// The local records of `kind` with `ids`, each with its match at
/// integration `target_id`: settled, suggested, or none.
pub fn matches(
    conn: &Connection,
    target_id: i64,
    kind: MatchKind,
    ids: &[i64],
) -> Result<Vec<RecordMatch>> {
    let list = serde_json::Value::from(ids.to_vec()).to_string();
    let (label_sql, number_sql) = match kind {
        MatchKind::Employee => (
            "trim(r.first_name || ' ' || r.last_name)",
            "r.employee_number",
        ),
        MatchKind::Job => ("r.name", "r.job_number"),
        MatchKind::Task => ("r.name", "r.code"),
    };
    let sql = format!(
        "SELECT r.id, {label_sql}, {number_sql}, r.source_integration_id, r.source_external_id,
                m.external_id
         FROM {table} r
         LEFT JOIN target_matches m ON m.integration_id = ?2 AND m.kind = ?3 AND m.local_id = r.id
         WHERE r.id IN (SELECT value FROM json_each(?1))
         ORDER BY {label_sql} COLLATE NOCASE, r.id",
        table = kind.table()
    );
    let mut statement = conn.prepare_cached(&sql)?;
    type Row = (
        i64,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = statement
        .query_map(params![list, target_id, kind.as_str()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let records = target_records(conn, target_id, kind)?;
    let by_id: HashMap<&str, &TargetRecord> = records
        .iter()
        .map(|r| (r.external_id.as_str(), r))
        .collect();
    let mut by_number: BTreeMap<String, Vec<&TargetRecord>> = BTreeMap::new();
    let mut by_name: BTreeMap<String, Vec<&TargetRecord>> = BTreeMap::new();
    for record in &records {
        if let Some(number) = &record.number {
            by_number
                .entry(number.to_lowercase())
                .or_default()
                .push(record);
        }
        by_name
            .entry(record.label.trim().to_lowercase())
            .or_default()
            .push(record);
    }
    // A suggestion only when exactly one target record has that number or name.
    let only = |found: Option<&Vec<&TargetRecord>>| -> Option<TargetRecord> {
        match found.map(Vec::as_slice) {
            Some([one]) => Some((*one).clone()),
            _ => None,
        }
    };
    Ok(rows
        .into_iter()
        .map(
            |(local_id, local_label, local_number, source, source_external, confirmed)| {
                // A settled id, named from the target's records when synced.
                let settled = |id: String| {
                    by_id.get(id.as_str()).map_or_else(
                        || TargetRecord {
                            external_id: id.clone(),
                            label: local_label.clone(),
                            number: None,
                        },
                        |r| (*r).clone(),
                    )
                };
                let imported = source_external.filter(|_| source == Some(target_id));
                let (external, basis) = if let Some(id) = imported {
                    (Some(settled(id)), MatchBasis::ImportedFromTarget)
                } else if let Some(id) = confirmed {
                    (Some(settled(id)), MatchBasis::Confirmed)
                } else if let Some(record) = local_number
                    .as_ref()
                    .and_then(|n| only(by_number.get(&n.to_lowercase())))
                {
                    (Some(record), MatchBasis::SameNumber)
                } else if let Some(record) = only(by_name.get(&local_label.trim().to_lowercase())) {
                    (Some(record), MatchBasis::SameName)
                } else {
                    (None, MatchBasis::None)
                };
                RecordMatch {
                    kind,
                    local_id,
                    local_label,
                    local_number,
                    external_label: external.as_ref().map(|r| r.label.clone()),
                    external_id: external.map(|r| r.external_id),
                    basis,
                }
            },
        )
        .collect())
}

/// Confirms (or, with no external id, forgets) which target record a
/// local record is.
pub fn confirm_match(
    tx: &Transaction<'_>,
    target_id: i64,
    kind: MatchKind,
    local_id: i64,
    external_id: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let profile = profile(tx, Target::Integration { id: target_id })?;
    let Some(external_id) = external_id.map(str::trim).filter(|e| !e.is_empty()) else {
        tx.execute(
            "DELETE FROM target_matches WHERE integration_id = ?1 AND kind = ?2 AND local_id = ?3",
            params![target_id, kind.as_str(), local_id],
        )?;
        return log_mapping(
            tx,
            actor,
            &profile,
            format!(
                "Forgot the {} match of {} #{local_id}",
                profile.name,
                kind.as_str()
            ),
            now,
        );
    };
    let record = target_records(tx, target_id, kind)?
        .into_iter()
        .find(|r| r.external_id == external_id)
        .ok_or_else(|| {
            Error::invalid(
                "external_id",
                format!(
                    "{} has no such {} any more. Sync it, then pick again.",
                    profile.name,
                    kind.as_str()
                ),
            )
        })?;
    tx.execute(
        "INSERT INTO target_matches (integration_id, kind, local_id, external_id, confirmed_at, confirmed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (integration_id, kind, local_id) DO UPDATE SET external_id = excluded.external_id,
           confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by",
        params![
            target_id,
            kind.as_str(),
            local_id,
            external_id,
            time::to_db(now),
            actor.updated_by()
        ],
    )?;
    log_mapping(
        tx,
        actor,
        &profile,
        format!(
            "Matched {} #{local_id} to {} “{}”",
            kind.as_str(),
            profile.name,
            record.label
        ),
        now,
    )
}
