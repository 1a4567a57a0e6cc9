//! Jobs: job sites, where time is worked. A job may belong to a customer.

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

const KIND: RecordKind = RecordKind::Job;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JobDraft {
    pub customer_id: Option<i64>,
    pub name: String,
    pub job_number: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Job {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub name: String,
    /// "Customer:Job", the way QuickBooks names a job.
    pub full_name: String,
    pub job_number: Option<String>,
    pub address: Option<String>,
    pub active: bool,
    pub meta: RecordMeta,
}

impl Job {
    pub fn draft(&self) -> JobDraft {
        JobDraft {
            customer_id: self.customer_id,
            name: self.name.clone(),
            job_number: self.job_number.clone(),
            address: self.address.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobSort {
    Name,
    JobNumber,
    Customer,
    Source,
    UpdatedAt,
}

impl SortColumns for JobSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            JobSort::Name => &["r.name"],
            JobSort::JobNumber => &["r.job_number"],
            JobSort::Customer => &["c.name", "r.name"],
            JobSort::Source => &["r.source_kind", "si.name"],
            JobSort::UpdatedAt => &["r.updated_at"],
        }
    }
}

const SPEC: ListSpec = ListSpec {
    from: "jobs r LEFT JOIN integrations si ON si.id = r.source_integration_id
           LEFT JOIN customers c ON c.id = r.customer_id",
    stored: &COLUMNS.names,
    shown: "c.name AS customer_name, r.active",
    search_columns: &["r.name", "r.job_number", "c.name", "r.address"],
    active_condition: "r.active = 1",
    job_column: None,
};

/// The columns a job's draft is stored in.
static COLUMNS: Columns<4> = Columns::new("jobs", ["customer_id", "name", "job_number", "address"]);

/// A draft's values, in [`COLUMNS`] order.
fn values(d: &JobDraft) -> rusqlite::Result<[ToSqlOutput<'_>; 4]> {
    Ok([
        d.customer_id.to_sql()?,
        d.name.to_sql()?,
        d.job_number.to_sql()?,
        d.address.to_sql()?,
    ])
}

/// The draft a row selecting [`COLUMNS`] holds.
fn stored_draft(row: &Row<'_>) -> rusqlite::Result<JobDraft> {
    let [customer_id, name, job_number, address] = COLUMNS.names;
    Ok(JobDraft {
        customer_id: row.get(customer_id)?,
        name: row.get(name)?,
        job_number: row.get(job_number)?,
        address: row.get(address)?,
    })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    let JobDraft {
        customer_id,
        name,
        job_number,
        address,
    } = stored_draft(row)?;
    let customer_name: Option<String> = row.get("customer_name")?;
    Ok(Job {
        id: row.get("id")?,
        customer_id,
        full_name: match &customer_name {
            Some(customer) => format!("{customer}:{name}"),
            None => name.clone(),
        },
        customer_name,
        name,
        job_number,
        address,
        active: row.get("active")?,
        meta: RecordMeta::from_row(row)?,
    })
}

pub fn list(conn: &Connection, query: &ListQuery<JobSort>) -> Result<Page<Job>> {
    run_list(
        conn,
        &SPEC,
        query,
        JobSort::Name,
        Filter::default(),
        from_row,
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Job> {
    get_one(conn, KIND, &SPEC, id, from_row)
}

fn clean(conn: &Connection, draft: &JobDraft, id: Option<i64>, by: WrittenBy) -> Result<JobDraft> {
    let mut checks = Checks::default();
    let name = checks.required("name", "the job's name", &draft.name, 100);
    if let Some(customer_id) = draft.customer_id {
        let must_be_active = by.references_must_be_active(id);
        if let Some(problem) =
            reference_problem(conn, RecordKind::Customer, customer_id, must_be_active)?
        {
            checks.problem("customer_id", problem);
        }
    }
    if !name.is_empty() && !checks.has_problem("customer_id") {
        let taken = conn
            .prepare_cached(
                "SELECT 1 FROM jobs WHERE ifnull(customer_id, 0) = ifnull(?1, 0) AND name = ?2
                 AND id IS NOT ?3",
            )?
            .query_row(params![draft.customer_id, name, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            checks.problem(
                "name",
                format!("This customer already has a job named “{name}”."),
            );
        }
    }
    let job_number = checks.optional(
        "job_number",
        "the job number",
        draft.job_number.as_deref(),
        30,
    );
    if let Some(number) = &job_number {
        let taken = conn
            .prepare_cached("SELECT 1 FROM jobs WHERE job_number = ?1 AND id IS NOT ?2")?
            .query_row(params![number, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            checks.problem(
                "job_number",
                format!("Job number {number} is already used by another job."),
            );
        }
    }
    let address = checks.optional("address", "the address", draft.address.as_deref(), 300);
    checks.finish()?;
    Ok(JobDraft {
        customer_id: draft.customer_id,
        name,
        job_number,
        address,
    })
}

/// The shared create/edit/deactivate code's view of this kind.
pub(crate) struct Jobs;

impl LocalRecord for Jobs {
    const KIND: RecordKind = KIND;
    const UNIQUE_WHAT: &'static str = "A job with that name or number";
    type Draft = JobDraft;
    type Row = Job;

    fn get(conn: &Connection, id: i64) -> Result<Job> {
        get(conn, id)
    }

    fn clean(
        conn: &Connection,
        draft: &JobDraft,
        id: Option<i64>,
        by: WrittenBy,
    ) -> Result<JobDraft> {
        clean(conn, draft, id, by)
    }

    fn name(row: &Job) -> String {
        row.full_name.clone()
    }

    fn draft_of(row: &Job) -> JobDraft {
        row.draft()
    }

    fn insert(tx: &Transaction<'_>, d: &JobDraft, meta: &InsertMeta<'_>) -> rusqlite::Result<()> {
        COLUMNS.insert(tx, values(d)?, meta)
    }

    fn update(
        tx: &Transaction<'_>,
        id: i64,
        d: &JobDraft,
        stamp: &UpdateStamp,
    ) -> rusqlite::Result<()> {
        COLUMNS.update(tx, id, values(d)?, stamp)
    }
}

/// The names the generic command layer uses for this kind.
pub type Sort = JobSort;
pub type Draft = JobDraft;
pub type Record = Job;

write_functions!(Jobs, Job, JobDraft);
