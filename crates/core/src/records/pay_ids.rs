//! Pay IDs: the company's kinds of paid time (REG, OT, DT, PTO, SICK, HOL and
//! any it adds). Payroll splits hours by pay ID and maps each to a target's
//! payroll item.
//!
//! The six built-in pay IDs are preloaded by the first migration. Their code
//! and category are fixed (payroll relies on them); REG, OT and DT cannot be
//! deactivated.

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, get_one, run_list, write_functions,
};
use crate::error::{Error, Result};
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::PayId;

/// What kind of pay a pay ID is; payroll's overtime rules use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum PayCategory {
    #[default]
    Regular,
    Overtime,
    DoubleTime,
    Pto,
    Sick,
    Holiday,
    Other,
}

impl PayCategory {
    pub const ALL: [PayCategory; 7] = [
        PayCategory::Regular,
        PayCategory::Overtime,
        PayCategory::DoubleTime,
        PayCategory::Pto,
        PayCategory::Sick,
        PayCategory::Holiday,
        PayCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayCategory::Regular => "regular",
            PayCategory::Overtime => "overtime",
            PayCategory::DoubleTime => "double_time",
            PayCategory::Pto => "pto",
            PayCategory::Sick => "sick",
            PayCategory::Holiday => "holiday",
            PayCategory::Other => "other",
        }
    }

    /// A category by its stored name (`double_time`).
    pub fn parse(stored: &str) -> Option<PayCategory> {
        PayCategory::ALL.into_iter().find(|c| c.as_str() == stored)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PayIdDraft {
    pub code: String,
    pub name: String,
    pub category: PayCategory,
    /// The pay rate factor: 1 for regular time, 1.5 for overtime, 2 for double time.
    pub multiplier: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PayId {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: PayCategory,
    pub multiplier: f64,
    pub builtin: bool,
    pub active: bool,
    pub meta: RecordMeta,
}

impl PayId {
    pub fn draft(&self) -> PayIdDraft {
        PayIdDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            category: self.category,
            multiplier: self.multiplier,
        }
    }

    /// Payroll cannot work without it: REG, OT and DT.
    fn required_by_payroll(&self) -> bool {
        self.builtin
            && matches!(
                self.category,
                PayCategory::Regular | PayCategory::Overtime | PayCategory::DoubleTime
            )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PayIdSort {
    Code,
    Name,
    Category,
    Source,
    UpdatedAt,
}

impl SortColumns for PayIdSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            PayIdSort::Code => &["r.code"],
            PayIdSort::Name => &["r.name COLLATE NOCASE"],
            PayIdSort::Category => &["r.category", "r.code"],
            PayIdSort::Source => &["r.source_kind", "si.name"],
            PayIdSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "pay_ids r LEFT JOIN integrations si ON si.id = r.source_integration_id",
    stored: &COLUMNS.names,
    shown: "r.builtin, r.active",
    search_columns: &["r.code", "r.name"],
    active_condition: "r.active = 1",
    job_column: None,
};

/// The columns a pay ID's draft is stored in.
static COLUMNS: Columns<4> = Columns::new("pay_ids", ["code", "name", "category", "multiplier"]);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &PayIdDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 4]> {
    Ok([
        d.code.to_sql()?,
        d.name.to_sql()?,
        ToSqlOutput::from(d.category.as_str()),
        d.multiplier.to_sql()?,
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<PayIdDraft> {
    let [code, name, category, multiplier] = COLUMNS.names;
    Ok(PayIdDraft {
        code: row.get(code)?,
        name: row.get(name)?,
        category: PayCategory::parse(&row.get::<_, String>(category)?)
            .unwrap_or(PayCategory::Other),
        multiplier: row.get(multiplier)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<PayId> {
    let PayIdDraft {
        code,
        name,
        category,
        multiplier,
    } = stored_draft(row)?;
    Ok(PayId {
        id: row.get("id")?,
        code,
        name,
        category,
        multiplier,
        builtin: row.get("builtin")?,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<PayIdSort>) -> Result<Page<PayId>> {
    run_list(
        conn,
        &SPEC,
        query,
        PayIdSort::Code,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<PayId> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

/// Looks a pay ID up by its code (any case).
pub fn find_by_code(conn: &Connection, code: &str) -> Result<Option<PayId>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM pay_ids WHERE code = ?1")?
        .query_row([code.trim()], |row| row.get(0))
        .optional()?;
    id.map(|id| get(conn, id)).transpose()
}

fn clean(
    conn: &Connection,
    draft: &PayIdDraft,
    id: Option<i64>,
    _by: WrittenBy,
) -> Result<PayIdDraft> {
    let mut checks = Checks::default();
    let code = checks
        .required("code", "a code", &draft.code, 10)
        .to_uppercase();
    if !code.is_empty()
        && !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        checks.problem(
            "code",
            "Use only letters, digits, - and _ in a pay ID code (payroll files reject others).",
        );
    }
    let name = checks.required("name", "a name", &draft.name, 60);
    if !(0.0..=10.0).contains(&draft.multiplier) || draft.multiplier.is_nan() {
        checks.problem(
            "multiplier",
            "The multiplier must be between 0 and 10 (1 for regular time, 1.5 for overtime).",
        );
    }
    if !code.is_empty() {
        let holder: Option<String> = conn
            .prepare_cached("SELECT name FROM pay_ids WHERE code = ?1 AND id IS NOT ?2")?
            .query_row(params![code, id], |row| row.get(0))
            .optional()?;
        if let Some(holder) = holder {
            checks.problem("code", format!("Pay ID {code} already exists ({holder})."));
        }
    }
    if let Some(id) = id {
        let before = get(conn, id)?;
        if before.builtin && (before.code != code || before.category != draft.category) {
            checks.problem(
                "code",
                format!(
                    "{} is built in: its code and category cannot change (its name and multiplier can).",
                    before.code
                ),
            );
        }
    }
    checks.finish()?;
    Ok(PayIdDraft {
        code,
        name,
        category: draft.category,
        multiplier: draft.multiplier,
    })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct PayIds;

impl LocalRecord for PayIds {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "A pay ID with that code";
    type Draft = PayIdDraft;
    type Row = PayId;

    fn get(conn: &Connection, id: i64) -> Result<PayId> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &PayIdDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<PayIdDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &PayId) -> String {
        format!("{} ({})", row.code, row.name)
    }

    fn draft_of(row: &PayId) -> PayIdDraft {
        row.draft()
    }

    fn insert(tx: &Transaction<'_>, d: &PayIdDraft, meta: &InsertMeta<'_>) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &PayIdDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }

    fn check_active_change(_conn: &Connection, row: &PayId, active: bool) -> Result<()> {
        if !active && row.required_by_payroll() {
            return Err(Error::Conflict(format!(
                "{} is built in and payroll needs it, so it cannot be deactivated.",
                row.code
            )));
        }
        Ok(())
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = PayIdSort;
pub type Draft = PayIdDraft;
pub type Record = PayId;

write_functions!(PayIds, PayId, PayIdDraft);
