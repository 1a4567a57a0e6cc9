//! Budgets: hours and/or money planned for a job, or for one task of a job.

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, get_one, reference_problem, run_list, task_problem,
    write_functions,
};
use crate::error::Result;
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::Budget;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BudgetDraft {
    pub job_id: i64,
    /// `None` budgets the whole job.
    pub task_id: Option<i64>,
    pub budget_seconds: Option<i64>,
    pub amount_cents: Option<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Budget {
    pub id: i64,
    pub job_id: i64,
    pub job_name: String,
    pub task_id: Option<i64>,
    pub task_label: Option<String>,
    pub budget_seconds: Option<i64>,
    pub amount_cents: Option<i64>,
    pub notes: String,
    pub active: bool,
    pub meta: RecordMeta,
}

impl Budget {
    pub fn draft(&self) -> BudgetDraft {
        BudgetDraft {
            job_id: self.job_id,
            task_id: self.task_id,
            budget_seconds: self.budget_seconds,
            amount_cents: self.amount_cents,
            notes: self.notes.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetSort {
    Job,
    Task,
    Hours,
    Amount,
    Source,
    UpdatedAt,
}

impl SortColumns for BudgetSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            BudgetSort::Job => &["j.name", "t.code"],
            BudgetSort::Task => &["t.code", "j.name"],
            BudgetSort::Hours => &["r.budget_seconds"],
            BudgetSort::Amount => &["r.amount_cents"],
            BudgetSort::Source => &["r.source_kind", "si.name"],
            BudgetSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "budgets r LEFT JOIN integrations si ON si.id = r.source_integration_id
           JOIN jobs j ON j.id = r.job_id LEFT JOIN tasks t ON t.id = r.task_id",
    stored: &COLUMNS.names,
    shown: "j.name AS job_name, t.code AS task_code, t.name AS task_name, r.active",
    search_columns: &["j.name", "t.code", "t.name", "r.notes"],
    active_condition: "r.active = 1",
    job_column: Some("r.job_id"),
};

/// The columns a budget's draft is stored in.
static COLUMNS: Columns<5> = Columns::new(
    "budgets",
    [
        "job_id",
        "task_id",
        "budget_seconds",
        "amount_cents",
        "notes",
    ],
);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &BudgetDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 5]> {
    Ok([
        d.job_id.to_sql()?,
        d.task_id.to_sql()?,
        d.budget_seconds.to_sql()?,
        d.amount_cents.to_sql()?,
        d.notes.to_sql()?,
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<BudgetDraft> {
    let [job_id, task_id, budget_seconds, amount_cents, notes] = COLUMNS.names;
    Ok(BudgetDraft {
        job_id: row.get(job_id)?,
        task_id: row.get(task_id)?,
        budget_seconds: row.get(budget_seconds)?,
        amount_cents: row.get(amount_cents)?,
        notes: row.get(notes)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Budget> {
    let BudgetDraft {
        job_id,
        task_id,
        budget_seconds,
        amount_cents,
        notes,
    } = stored_draft(row)?;
    let task_code: Option<String> = row.get("task_code")?;
    let task_name: Option<String> = row.get("task_name")?;
    Ok(Budget {
        id: row.get("id")?,
        job_id,
        job_name: row.get("job_name")?,
        task_id,
        task_label: task_code.map(|code| format!("{code} {}", task_name.unwrap_or_default())),
        budget_seconds,
        amount_cents,
        notes,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<BudgetSort>) -> Result<Page<Budget>> {
    run_list(
        conn,
        &SPEC,
        query,
        BudgetSort::Job,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Budget> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

fn clean(
    conn: &Connection,
    draft: &BudgetDraft,
    id: Option<i64>,
    by: WrittenBy,
) -> Result<BudgetDraft> {
    let mut checks = Checks::default();
    let must_be_active = by.references_must_be_active(id);
    if draft.job_id <= 0 {
        checks.problem("job_id", "Pick the job this budget is for.");
    } else if let Some(problem) =
        reference_problem(conn, RecordKind::Job, draft.job_id, must_be_active)?
    {
        checks.problem("job_id", problem);
    }
    if let Some(task_id) = draft.task_id
        && let Some(problem) = task_problem(conn, task_id, Some(draft.job_id), must_be_active)?
    {
        checks.problem("task_id", problem);
    }
    match (draft.budget_seconds, draft.amount_cents) {
        (None, None) => checks.problem(
            "budget_seconds",
            "Enter budgeted hours, an amount, or both.",
        ),
        (Some(seconds), _) if seconds < 0 => {
            checks.problem("budget_seconds", "Budgeted hours cannot be negative.")
        }
        (_, Some(cents)) if cents < 0 => {
            checks.problem("amount_cents", "The budgeted amount cannot be negative.")
        }
        _ => {}
    }
    let notes = checks
        .optional("notes", "the notes", Some(&draft.notes), 2000)
        .unwrap_or_default();
    if !checks.has_problem("job_id") && !checks.has_problem("task_id") {
        let taken = conn
            .prepare_cached(
                "SELECT 1 FROM budgets WHERE job_id = ?1 AND ifnull(task_id, 0) = ifnull(?2, 0)
                 AND id IS NOT ?3",
            )?
            .query_row(params![draft.job_id, draft.task_id, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            checks.problem(
                "task_id",
                "This job already has a budget for that task. Edit that budget instead.",
            );
        }
    }
    checks.finish()?;
    Ok(BudgetDraft {
        notes,
        ..draft.clone()
    })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct Budgets;

impl LocalRecord for Budgets {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "A budget for that job and task";
    type Draft = BudgetDraft;
    type Row = Budget;

    fn get(conn: &Connection, id: i64) -> Result<Budget> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &BudgetDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<BudgetDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &Budget) -> String {
        match &row.task_label {
            Some(task) => format!("{} / {task}", row.job_name),
            None => row.job_name.clone(),
        }
    }

    fn draft_of(row: &Budget) -> BudgetDraft {
        row.draft()
    }

    fn insert(
        tx: &Transaction<'_>,
        d: &BudgetDraft,
        meta: &InsertMeta<'_>,
    ) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &BudgetDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = BudgetSort;
pub type Draft = BudgetDraft;
pub type Record = Budget;

write_functions!(Budgets, Budget, BudgetDraft);
