//! `timebridge records list KIND`: one page of a kind of record, as a table
//! or as JSON (the same JSON the app's commands return). A time entry's
//! employee shows with their number, so two with one name are told apart.

use std::collections::{BTreeSet, HashMap};

use clap::{Args, Subcommand};
use serde::de::DeserializeOwned;
use serde_json::Value;
use timebridge_core::records::{
    ListQuery, RecordKind, SourceFilter, budgets, customers, employees, jobs, pay_ids, tasks,
    time_entries,
};
use timebridge_core::{Error, Store};

use crate::names;
use crate::table::{self, Table};

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// List records of one kind: employees, customers, jobs, tasks,
    /// time-entries, budgets or pay-ids (time_entries and pay_ids work too).
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// employees, customers, jobs, tasks, time-entries, budgets or pay-ids
    kind: String,
    /// Words that must all appear in the record.
    #[arg(long)]
    search: Option<String>,
    /// all, manual, imported, or integration:ID
    #[arg(long, default_value = "all")]
    source: String,
    /// Include deactivated records (voided time entries).
    #[arg(long)]
    include_inactive: bool,
    /// A sort key of the kind (for example name, employee_number, date).
    #[arg(long)]
    sort: Option<String>,
    #[arg(long)]
    descending: bool,
    #[arg(long, default_value_t = 1)]
    page: u32,
    #[arg(long, default_value_t = 100)]
    page_size: u32,
}

pub fn run(store: &Store, command: RecordsCommand, json: bool) -> Result<String, Error> {
    match command {
        RecordsCommand::List(args) => {
            let kind = names::record_kind(&args.kind)?;
            let (page, numbers) = store.read(|conn| {
                let page = list(conn, kind, &args)?;
                let numbers = if kind == RecordKind::TimeEntry {
                    employee_numbers(conn, &page)?
                } else {
                    HashMap::new()
                };
                Ok((page, numbers))
            })?;
            Ok(if json {
                page.to_string()
            } else {
                table(kind, &page, &numbers)
            })
        }
    }
}

/// The employee numbers of the employees on a page of time entries.
fn employee_numbers(
    conn: &timebridge_core::rusqlite::Connection,
    page: &Value,
) -> Result<HashMap<i64, Option<String>>, Error> {
    let ids: BTreeSet<i64> = page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["employee_id"].as_i64())
        .collect();
    ids.into_iter()
        .map(|id| Ok((id, employees::get(conn, id)?.employee_number)))
        .collect()
}

fn query<S: DeserializeOwned>(args: &ListArgs) -> Result<ListQuery<S>, Error> {
    let sort = args
        .sort
        .as_ref()
        .map(|key| {
            serde_json::from_value::<S>(Value::String(key.clone())).map_err(|_| {
                Error::invalid(
                    "sort",
                    format!("“{key}” is not a sort key for {}.", args.kind),
                )
            })
        })
        .transpose()?;
    Ok(ListQuery {
        page: args.page,
        page_size: args.page_size,
        sort,
        descending: args.descending,
        search: args.search.clone(),
        source: source_filter(&args.source)?,
        include_inactive: args.include_inactive,
        job_id: None,
    })
}

fn source_filter(text: &str) -> Result<SourceFilter, Error> {
    match text {
        "all" => Ok(SourceFilter::All),
        "manual" => Ok(SourceFilter::Manual),
        "imported" => Ok(SourceFilter::Imported),
        other => other
            .strip_prefix("integration:")
            .and_then(|id| id.parse().ok())
            .map(|integration_id| SourceFilter::Integration { integration_id })
            .ok_or_else(|| {
                Error::invalid(
                    "source",
                    format!("Use all, manual, imported or integration:ID, not “{other}”."),
                )
            }),
    }
}

fn to_json(value: impl serde::Serialize) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::Internal(format!("could not encode the page: {e}")))
}

fn list(
    conn: &timebridge_core::rusqlite::Connection,
    kind: RecordKind,
    args: &ListArgs,
) -> Result<Value, Error> {
    match kind {
        RecordKind::Employee => to_json(employees::list(conn, &query(args)?)?),
        RecordKind::Customer => to_json(customers::list(conn, &query(args)?)?),
        RecordKind::Job => to_json(jobs::list(conn, &query(args)?)?),
        RecordKind::Task => to_json(tasks::list(conn, &query(args)?)?),
        RecordKind::TimeEntry => to_json(time_entries::list(conn, &query(args)?)?),
        RecordKind::Budget => to_json(budgets::list(conn, &query(args)?)?),
        RecordKind::PayId => to_json(pay_ids::list(conn, &query(args)?)?),
    }
}

/// Columns for the plain-text table: heading and JSON pointer.
fn columns(kind: RecordKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        RecordKind::Employee => &[
            ("ID", "/id"),
            ("Name", "/display_name"),
            ("Number", "/employee_number"),
            ("E-mail", "/email"),
        ],
        RecordKind::Customer => &[
            ("ID", "/id"),
            ("Name", "/name"),
            ("E-mail", "/email"),
            ("Jobs", "/job_count"),
        ],
        RecordKind::Job => &[
            ("ID", "/id"),
            ("Job", "/full_name"),
            ("Number", "/job_number"),
        ],
        RecordKind::Task => &[
            ("ID", "/id"),
            ("Code", "/code"),
            ("Name", "/name"),
            ("Job", "/job_name"),
        ],
        RecordKind::TimeEntry => &[
            ("ID", "/id"),
            ("Date", "/work_date"),
            ("Employee", "/employee_name"),
            ("Seconds", "/duration_seconds"),
            ("Job", "/job_name"),
        ],
        RecordKind::Budget => &[
            ("ID", "/id"),
            ("Job", "/job_name"),
            ("Task", "/task_label"),
            ("Seconds", "/budget_seconds"),
            ("Cents", "/amount_cents"),
        ],
        RecordKind::PayId => &[
            ("ID", "/id"),
            ("Code", "/code"),
            ("Name", "/name"),
            ("Category", "/category"),
        ],
    }
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn table(kind: RecordKind, page: &Value, numbers: &HashMap<i64, Option<String>>) -> String {
    let mut headings: Vec<&str> = columns(kind).iter().map(|(h, _)| *h).collect();
    headings.extend(["Active", "Synced status"]);
    let mut out = Table::new(headings);
    let empty = Vec::new();
    let rows = page["rows"].as_array().unwrap_or(&empty);
    for row in rows {
        let mut cells: Vec<String> = columns(kind)
            .iter()
            .map(|(_, p)| match (*p, row["employee_id"].as_i64()) {
                ("/employee_name", Some(id)) => table::employee(
                    &cell(row.pointer(p)),
                    numbers.get(&id).cloned().flatten().as_deref(),
                    id,
                ),
                _ => cell(row.pointer(p)),
            })
            .collect();
        cells.push(
            if row["active"] == Value::Bool(true) {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
        );
        cells.push(cell(row.pointer("/meta/synced_status")));
        out.row(cells);
    }
    format!(
        "{}\n{} of {} {} (page {})",
        out.render(),
        rows.len(),
        page["total"],
        kind.plural_slug(),
        page["page"]
    )
}
