//! Where payroll goes: publish targets (integrations that receive payroll,
//! and payroll files), what each accepts, each local pay ID's payroll item
//! there (with per-employee overrides), and which of a target's records a
//! local employee, job or task is.
//!
//! A record imported from the target is that record there. For a target
//! that is not where a record came from, the admin confirms a match,
//! suggested by employee number (or job number, or cost code) and then
//! exact name, and it is remembered.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::platforms::Platform;
use crate::time;

/// A payroll file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Iif,
    #[serde(rename = "sage300_cre")]
    Sage300Cre,
}

impl FileFormat {
    pub const ALL: [FileFormat; 3] = [FileFormat::Csv, FileFormat::Iif, FileFormat::Sage300Cre];

    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Iif => "iif",
            FileFormat::Sage300Cre => "sage300_cre",
        }
    }

    pub fn parse(text: &str) -> Option<FileFormat> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "csv" => Some(FileFormat::Csv),
            "iif" => Some(FileFormat::Iif),
            "sage300_cre" | "sage300cre" | "sage" => Some(FileFormat::Sage300Cre),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV file",
            FileFormat::Iif => "QuickBooks Desktop IIF file",
            FileFormat::Sage300Cre => "Sage 300 CRE Import Time file",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Iif => "iif",
            FileFormat::Sage300Cre => "txt",
        }
    }
}

/// Where a pay period's hours go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A connected integration that receives payroll.
    Integration { id: i64 },
    /// A payroll file for manual upload.
    File { format: FileFormat },
}

impl Target {
    /// As stored: `integration:<id>` or `file:<format>`.
    pub fn key(self) -> String {
        match self {
            Target::Integration { id } => format!("integration:{id}"),
            Target::File { format } => format!("file:{}", format.as_str()),
        }
    }

    pub fn parse_key(key: &str) -> Option<Target> {
        if let Some(id) = key.strip_prefix("integration:") {
            return id.parse().ok().map(|id| Target::Integration { id });
        }
        key.strip_prefix("file:")
            .and_then(FileFormat::parse)
            .map(|format| Target::File { format })
    }

    pub fn integration_id(self) -> Option<i64> {
        match self {
            Target::Integration { id } => Some(id),
            Target::File { .. } => None,
        }
    }
}

/// How a target names employees, jobs and tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordRefs {
    /// By name (CSV, IIF): nothing to match.
    Names,
    /// By employee number, job number and cost code (Sage 300 CRE).
    Numbers,
    /// By the target's own ids: imported from it, or matched.
    External,
}

/// The longest names a target accepts, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct NameLimits {
    pub employee: Option<usize>,
    /// Each level of `Customer:Job`.
    pub job: Option<usize>,
    pub task: Option<usize>,
    pub item: Option<usize>,
}

/// QuickBooks Desktop's list name limits: 41 characters for names
/// (employees, customers, jobs), 31 for items and payroll items.
pub const QUICKBOOKS_LIMITS: NameLimits = NameLimits {
    employee: Some(41),
    job: Some(41),
    task: Some(31),
    item: Some(31),
};

/// What a target is and accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TargetProfile {
    pub target: Target,
    /// As stored in mappings and publications: `integration:3`, `file:iif`.
    pub key: String,
    pub name: String,
    pub refs: RecordRefs,
    /// Every pay ID needs an item here (else its code is sent).
    pub needs_item: bool,
    /// The target has a list of payroll items to pick from.
    pub has_item_list: bool,
    pub limits: NameLimits,
    /// Hours can be sent to it (files are written instead).
    pub publishes: bool,
}

/// The integration's platform and name, if it receives payroll.
fn integration_row(conn: &Connection, id: i64) -> Result<(String, String)> {
    conn.query_row(
        "SELECT platform, name FROM integrations WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("Integration #{id} is not connected any more.")))
}

/// Whether integrations of the platform stored as `platform` receive
/// payroll (the platform table's answer; an unknown platform does not).
pub fn platform_publishes(platform: &str) -> bool {
    Platform::from_id(platform).is_some_and(Platform::publishes_payroll)
}

pub fn profile(conn: &Connection, target: Target) -> Result<TargetProfile> {
    let key = target.key();
    Ok(match target {
        Target::Integration { id } => {
            let (platform, name) = integration_row(conn, id)?;
            if !platform_publishes(&platform) {
                return Err(Error::invalid(
                    "target",
                    format!(
                        "{name} does not receive payroll. Publish to another target, or export a payroll file."
                    ),
                ));
            }
            TargetProfile {
                target,
                key,
                name,
                refs: RecordRefs::External,
                needs_item: true,
                has_item_list: true,
                // The Sandbox receives payroll as QuickBooks Desktop does.
                limits: QUICKBOOKS_LIMITS,
                publishes: true,
            }
        }
        Target::File { format } => TargetProfile {
            target,
            key,
            name: format.label().to_owned(),
            refs: match format {
                FileFormat::Csv | FileFormat::Iif => RecordRefs::Names,
                FileFormat::Sage300Cre => RecordRefs::Numbers,
            },
            needs_item: format == FileFormat::Iif,
            has_item_list: false,
            limits: if format == FileFormat::Iif {
                QUICKBOOKS_LIMITS
            } else {
                NameLimits::default()
            },
            publishes: false,
        },
    })
}

/// Every target payroll can go to: each connected integration that
/// receives payroll, then the file formats.
pub fn all(conn: &Connection) -> Result<Vec<TargetProfile>> {
    let ids: Vec<(i64, String)> = conn
        .prepare("SELECT id, platform FROM integrations ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (id, platform) in ids {
        if platform_publishes(&platform) {
            out.push(profile(conn, Target::Integration { id })?);
        }
    }
    for format in FileFormat::ALL {
        out.push(profile(conn, Target::File { format })?);
    }
    Ok(out)
}

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

/// The payroll items last read from integration `id`, by name.
pub fn items(conn: &Connection, id: i64) -> Result<Vec<TargetItem>> {
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

fn log_mapping(
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
