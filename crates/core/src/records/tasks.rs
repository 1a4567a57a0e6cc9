//! Tasks: cost codes. A task is company-wide, or belongs to one job.

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Columns, Filter, InsertMeta, ListQuery, ListSpec, LocalRecord, Page, RecordKind, RecordMeta,
    SortColumns, UpdateStamp, WrittenBy, get_one, reference_problem, run_list, write_functions,
};
use crate::error::Result;
use crate::validate::Checks;

const KIND: RecordKind = RecordKind::Task;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TaskDraft {
    /// `None` for a company-wide cost code.
    pub job_id: Option<i64>,
    pub code: String,
    pub name: String,
    /// The pay ID this task's time is paid as, unless an entry names one.
    pub pay_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Task {
    pub id: i64,
    pub job_id: Option<i64>,
    pub job_name: Option<String>,
    pub code: String,
    pub name: String,
    /// "code name", as pickers show it.
    pub label: String,
    pub pay_id: Option<i64>,
    pub pay_id_code: Option<String>,
    pub active: bool,
    pub meta: RecordMeta,
}

impl Task {
    pub fn draft(&self) -> TaskDraft {
        TaskDraft {
            job_id: self.job_id,
            code: self.code.clone(),
            name: self.name.clone(),
            pay_id: self.pay_id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskSort {
    Code,
    Name,
    Job,
    Source,
    UpdatedAt,
}

impl SortColumns for TaskSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            TaskSort::Code => &["r.code"],
            TaskSort::Name => &["r.name COLLATE NOCASE"],
            TaskSort::Job => &["j.name", "r.code"],
            TaskSort::Source => &["r.source_kind", "si.name"],
            TaskSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "tasks r LEFT JOIN integrations si ON si.id = r.source_integration_id
           LEFT JOIN jobs j ON j.id = r.job_id
           LEFT JOIN pay_ids p ON p.id = r.pay_id",
    stored: &COLUMNS.names,
    shown: "j.name AS job_name, p.code AS pay_id_code, r.active",
    search_columns: &["r.code", "r.name", "j.name"],
    active_condition: "r.active = 1",
    job_column: Some("r.job_id"),
};

/// The columns a task's draft is stored in.
static COLUMNS: Columns<4> = Columns::new("tasks", ["job_id", "code", "name", "pay_id"]);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &TaskDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 4]> {
    Ok([
        d.job_id.to_sql()?,
        d.code.to_sql()?,
        d.name.to_sql()?,
        d.pay_id.to_sql()?,
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<TaskDraft> {
    let [job_id, code, name, pay_id] = COLUMNS.names;
    Ok(TaskDraft {
        job_id: row.get(job_id)?,
        code: row.get(code)?,
        name: row.get(name)?,
        pay_id: row.get(pay_id)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    let TaskDraft {
        job_id,
        code,
        name,
        pay_id,
    } = stored_draft(row)?;
    Ok(Task {
        id: row.get("id")?,
        job_id,
        job_name: row.get("job_name")?,
        label: format!("{code} {name}"),
        code,
        name,
        pay_id,
        pay_id_code: row.get("pay_id_code")?,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<TaskSort>) -> Result<Page<Task>> {
    run_list(
        conn,
        &SPEC,
        query,
        TaskSort::Code,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Task> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

fn clean(
    conn: &Connection,
    draft: &TaskDraft,
    id: Option<i64>,
    by: WrittenBy,
) -> Result<TaskDraft> {
    let mut checks = Checks::default();
    let code = checks.required("code", "the cost code", &draft.code, 30);
    let name = checks.required("name", "the task's name", &draft.name, 100);
    let must_be_active = by.references_must_be_active(id);
    if let Some(job_id) = draft.job_id
        && let Some(problem) = reference_problem(conn, RecordKind::Job, job_id, must_be_active)?
    {
        checks.problem("job_id", problem);
    }
    if let Some(pay_id) = draft.pay_id
        && let Some(problem) = reference_problem(conn, RecordKind::PayId, pay_id, must_be_active)?
    {
        checks.problem("pay_id", problem);
    }
    if !code.is_empty() && !checks.has_problem("job_id") {
        let taken = conn
            .prepare_cached(
                "SELECT 1 FROM tasks WHERE ifnull(job_id, 0) = ifnull(?1, 0) AND code = ?2
                 AND id IS NOT ?3",
            )?
            .query_row(params![draft.job_id, code, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            let scope = if draft.job_id.is_some() {
                "this job"
            } else {
                "the company-wide cost codes"
            };
            checks.problem(
                "code",
                format!("Cost code {code} already exists in {scope}."),
            );
        }
    }
    checks.finish()?;
    Ok(TaskDraft {
        job_id: draft.job_id,
        code,
        name,
        pay_id: draft.pay_id,
    })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct Tasks;

impl LocalRecord for Tasks {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "A task with that code";
    type Draft = TaskDraft;
    type Row = Task;

    fn get(conn: &Connection, id: i64) -> Result<Task> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &TaskDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<TaskDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &Task) -> String {
        row.label.clone()
    }

    fn draft_of(row: &Task) -> TaskDraft {
        row.draft()
    }

    fn insert(tx: &Transaction<'_>, d: &TaskDraft, meta: &InsertMeta<'_>) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &TaskDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = TaskSort;
pub type Draft = TaskDraft;
pub type Record = Task;

write_functions!(Tasks, Task, TaskDraft);
