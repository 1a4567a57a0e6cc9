//! `timebridge records list KIND`: one page of a kind of record, as a table
//! or as JSON (the same JSON the app's commands return).

use clap::{Args, Subcommand};
use serde::de::DeserializeOwned;
use serde_json::Value;
use timebridge_core::records::{
    ListQuery, RecordKind, SourceFilter, budgets, customers, employees, jobs, pay_ids, tasks,
    time_entries,
};
use timebridge_core::{Error, Store};

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// List records of one kind: employees, customers, jobs, tasks,
    /// time-entries, budgets or pay-ids.
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
            let kind = RecordKind::from_plural_slug(&args.kind).ok_or_else(|| {
                let known: Vec<_> = RecordKind::ALL.iter().map(|k| k.plural_slug()).collect();
                Error::invalid(
                    "kind",
                    format!(
                        "There is no kind of record called “{}”. Use one of: {}.",
                        args.kind,
                        known.join(", ")
                    ),
                )
            })?;
            let page = store.read(|conn| list(conn, kind, &args))?;
            Ok(if json {
                page.to_string()
            } else {
                table(kind, &page)
            })
        }
    }
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

fn table(kind: RecordKind, page: &Value) -> String {
    let mut headings: Vec<&str> = columns(kind).iter().map(|(h, _)| *h).collect();
    headings.extend(["Active", "Synced status"]);
    let empty = Vec::new();
    let rows: Vec<Vec<String>> = page["rows"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|row| {
            let mut cells: Vec<String> = columns(kind)
                .iter()
                .map(|(_, p)| cell(row.pointer(p)))
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
            cells
        })
        .collect();
    let widths: Vec<usize> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([h.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(headings.iter().map(|h| (*h).to_owned()).collect())];
    out.extend(rows.into_iter().map(line));
    out.push(format!(
        "{} of {} {} (page {})",
        page["rows"].as_array().map_or(0, Vec::len),
        page["total"],
        kind.plural_slug(),
        page["page"]
    ));
    out.join("\n")
}
