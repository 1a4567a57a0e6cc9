//! Job costing on the command line: `timebridge jobs costing [--job J]`,
//! `timebridge jobs burden [PERCENT]`, and the wages labour is costed at,
//! `timebridge wages list|set|remove`.

use std::str::FromStr;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use timebridge_core::audit::Actor;
use timebridge_core::costing::wages::{self, WageDraft};
use timebridge_core::costing::{
    self, CostFigures, CostStatus, CostingQuery, CostingSettings, JobDetail,
};
use timebridge_core::rusqlite::{Connection, OptionalExtension};
use timebridge_core::{Error, Store};

use crate::integrations::to_json;
use crate::table::Table;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Each job's budgeted hours and cost beside the hours worked and their
    /// labour cost (at each employee's wage, plus the burden), % used, what
    /// remains and its status. With --job, that job's tasks, weeks and workers.
    Costing(CostingArgs),
    /// The labour burden % added on top of wages: shows it, or sets it.
    Burden {
        /// The new burden, e.g. 22.5 (0 to 500).
        percent: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CostingArgs {
    /// One job: its id, its job number, or its name.
    #[arg(long)]
    job: Option<String>,
    /// Deactivated jobs too.
    #[arg(long)]
    include_inactive: bool,
}

#[derive(Debug, Subcommand)]
pub enum WagesCommand {
    /// An employee's wages, newest first.
    List {
        /// The employee: their id or employee number.
        employee: String,
    },
    /// Pay an employee a wage from a day on (their time from that day is
    /// costed at it).
    Set {
        /// The employee: their id or employee number.
        employee: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        /// Dollars an hour, e.g. 23.50.
        #[arg(long)]
        rate: String,
    },
    /// Remove a wage set in Timebridge, by its id (`wages list` shows it).
    Remove { id: i64 },
}

pub fn run_jobs(store: &Store, command: JobsCommand, json: bool) -> Result<String, Error> {
    match command {
        JobsCommand::Costing(args) => costing_of(store, args, json),
        JobsCommand::Burden { percent: None } => {
            let settings = store.read(costing::load_settings)?;
            if json {
                return to_json(settings);
            }
            Ok(format!(
                "Labour is costed at each wage plus {} % burden.",
                settings.burden_percent
            ))
        }
        JobsCommand::Burden {
            percent: Some(percent),
        } => {
            let burden_percent =
                Decimal::from_str(percent.trim().trim_end_matches('%')).map_err(|_| {
                    Error::invalid(
                        "burden_percent",
                        format!("“{percent}” is not a percentage: enter a number such as 22.5."),
                    )
                })?;
            let saved = store.write(|tx| {
                costing::save_settings(
                    tx,
                    CostingSettings { burden_percent },
                    &Actor::cli(),
                    Utc::now(),
                )
            })?;
            if json {
                return to_json(saved);
            }
            Ok(format!(
                "Labour is now costed at each wage plus {} % burden.",
                saved.burden_percent
            ))
        }
    }
}

/// A job named by id, job number or name.
pub(crate) fn find_job(conn: &Connection, text: &str) -> Result<i64, Error> {
    let text = text.trim();
    let found: Option<i64> = match text.parse::<i64>() {
        Ok(id) => conn
            .query_row("SELECT id FROM jobs WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        Err(_) => None,
    };
    if let Some(id) = found {
        return Ok(id);
    }
    let mut statement = conn.prepare(
        "SELECT id FROM jobs WHERE job_number = ?1 COLLATE NOCASE
         UNION SELECT id FROM jobs WHERE name = ?1 COLLATE NOCASE",
    )?;
    let ids = statement
        .query_map([text], |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    match ids.as_slice() {
        [id] => Ok(*id),
        [] => Err(Error::NotFound(format!(
            "No job has the id, number or name “{text}”. `timebridge records list jobs` lists them."
        ))),
        _ => Err(Error::invalid(
            "job",
            format!("More than one job is called “{text}”: name it by its id or job number."),
        )),
    }
}

/// An employee named by id or employee number.
pub(crate) fn find_employee(conn: &Connection, text: &str) -> Result<i64, Error> {
    let text = text.trim();
    let by_number: Option<i64> = conn
        .query_row(
            "SELECT id FROM employees WHERE employee_number = ?1 COLLATE NOCASE",
            [text],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = by_number {
        return Ok(id);
    }
    let by_id: Option<i64> = match text.parse::<i64>() {
        Ok(id) => conn
            .query_row("SELECT id FROM employees WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        Err(_) => None,
    };
    by_id.ok_or_else(|| {
        Error::NotFound(format!(
            "No employee has the id or employee number “{text}”. `timebridge records list \
             employees` lists them."
        ))
    })
}

fn hours(seconds: i64) -> String {
    format!("{:.2}", seconds as f64 / 3600.0)
}

/// "$12,345.67", "-$5.00".
fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let whole = (cents.abs() / 100).to_string();
    let mut grouped = String::new();
    for (n, digit) in whole.chars().enumerate() {
        if n > 0 && (whole.len() - n).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}${grouped}.{:02}", cents.abs() % 100)
}

fn status(status: CostStatus) -> &'static str {
    match status {
        CostStatus::NoBudget => "no budget",
        CostStatus::OnTrack => "on track",
        CostStatus::AtRisk => "at risk",
        CostStatus::Over => "over",
    }
}

/// The cells every line shows: budget, actual, used, labour, remaining, status.
fn cells(f: &CostFigures) -> [String; 7] {
    let unpriced = if f.unpriced_seconds > 0 {
        format!(" ({} h no wage)", hours(f.unpriced_seconds))
    } else {
        String::new()
    };
    [
        f.budget_seconds.map(hours).unwrap_or_default(),
        hours(f.actual_seconds),
        f.used_percent.map(|p| format!("{p} %")).unwrap_or_default(),
        f.budget_cents.map(dollars).unwrap_or_default(),
        format!("{}{unpriced}", dollars(f.labour_cents)),
        f.remaining_seconds.map(hours).unwrap_or_default(),
        status(f.status).to_owned(),
    ]
}

const HEADINGS: [&str; 7] = [
    "Budget h", "Actual h", "Used", "Budget $", "Labour", "Left h", "Status",
];

fn costing_of(store: &Store, args: CostingArgs, json: bool) -> Result<String, Error> {
    let Some(job) = args.job else {
        let report = store.read(|conn| {
            costing::report(
                conn,
                &CostingQuery {
                    job_id: None,
                    include_inactive: args.include_inactive,
                },
            )
        })?;
        if json {
            return to_json(report);
        }
        if report.jobs.is_empty() {
            return Ok(
                "No job has a budget or time yet. Import budgets and time entries from \
                       an integration, or add them under Records."
                    .into(),
            );
        }
        let mut table =
            Table::new(["ID", "Job", "Customer"].into_iter().chain(HEADINGS)).numbers_from(3);
        for j in &report.jobs {
            table.row(
                [
                    j.job_id.to_string(),
                    j.job.clone(),
                    j.customer.clone().unwrap_or_default(),
                ]
                .into_iter()
                .chain(cells(&j.figures)),
            );
        }
        return Ok(format!(
            "{}\n{} jobs, {} at risk, {} over; labour costed with {} % burden.",
            table.render(),
            report.jobs.len(),
            report.at_risk,
            report.over,
            report.burden_percent
        ));
    };
    let today = Utc::now().date_naive();
    let detail = store.read(|conn| {
        let id = find_job(conn, &job)?;
        costing::job_detail(conn, id, today)
    })?;
    if json {
        return to_json(detail);
    }
    Ok(detail_text(&detail))
}

fn detail_text(detail: &JobDetail) -> String {
    let job = &detail.costing;
    let mut out = format!(
        "{}{}: {}\n",
        job.job,
        job.customer
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        status(job.figures.status)
    );
    let mut lines = Table::new(["Task"].into_iter().chain(HEADINGS)).numbers_from(1);
    lines.row(
        ["Whole job".to_owned()]
            .into_iter()
            .chain(cells(&job.figures)),
    );
    for t in &job.tasks {
        let name = match (&t.code, &t.name) {
            (Some(code), Some(name)) => format!("{code} {name}"),
            _ => "(no task)".to_owned(),
        };
        lines.row([name].into_iter().chain(cells(&t.figures)));
    }
    out.push_str(&lines.render());
    let mut weeks = Table::new(["Week of", "Hours", "Labour", "To date"]).numbers_from(1);
    for w in &detail.weeks {
        weeks.row([
            w.week_start.to_string(),
            hours(w.seconds),
            dollars(w.labour_cents),
            hours(w.cumulative_seconds),
        ]);
    }
    out.push_str("\n\n");
    out.push_str(&weeks.render());
    let mut workers = Table::new(["Employee", "Hours", "Labour", "Entries"]).numbers_from(1);
    for w in &detail.workers {
        let labour = if w.unpriced_seconds > 0 {
            format!(
                "{} ({} h no wage)",
                dollars(w.labour_cents),
                hours(w.unpriced_seconds)
            )
        } else {
            dollars(w.labour_cents)
        };
        workers.row([
            w.name.clone(),
            hours(w.seconds),
            labour,
            w.entries.to_string(),
        ]);
    }
    out.push_str("\n\n");
    out.push_str(&workers.render());
    out
}

pub fn run_wages(store: &Store, command: WagesCommand, json: bool) -> Result<String, Error> {
    match command {
        WagesCommand::List { employee } => {
            let list = store.read(|conn| {
                let id = find_employee(conn, &employee)?;
                wages::list(conn, id)
            })?;
            if json {
                return to_json(list);
            }
            if list.is_empty() {
                return Ok(format!(
                    "No wages for employee {employee}: their time is in the hours but not the \
                     labour cost. Set one with `timebridge wages set {employee} --from DATE \
                     --rate 23.50`."
                ));
            }
            let mut table = Table::new(["ID", "From", "Wage", "Source"]);
            for w in list {
                table.row([
                    w.id.to_string(),
                    w.from.to_string(),
                    wages::said(w.cents_per_hour),
                    match w.integration_id {
                        Some(id) => format!("imported (integration {id})"),
                        None if w.source == wages::WageSource::Imported => "imported".into(),
                        None => format!("set by {}", w.updated_by),
                    },
                ]);
            }
            Ok(table.render())
        }
        WagesCommand::Set {
            employee,
            from,
            rate,
        } => {
            let cents = wages::hourly_cents(
                rate.trim().trim_start_matches('$'),
                timebridge_core::middleware::payloads::WagePeriod::Hour,
            )
            .ok_or_else(|| {
                Error::invalid(
                    "cents_per_hour",
                    format!("“{rate}” is not a wage: enter dollars an hour, such as 23.50."),
                )
            })?;
            let wage = store.write(|tx| {
                let employee_id = find_employee(tx, &employee)?;
                wages::set(
                    tx,
                    &WageDraft {
                        employee_id,
                        from,
                        cents_per_hour: cents,
                    },
                    &Actor::cli(),
                    Utc::now(),
                )
            })?;
            if json {
                return to_json(wage);
            }
            Ok(format!(
                "Employee {employee} is paid {} from {} (wage {}); their time from that day is \
                 costed at it.",
                wages::said(wage.cents_per_hour),
                wage.from,
                wage.id
            ))
        }
        WagesCommand::Remove { id } => {
            store.write(|tx| wages::remove(tx, id, &Actor::cli(), Utc::now()))?;
            Ok(format!("Removed wage {id}."))
        }
    }
}
