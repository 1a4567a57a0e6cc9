//! `timebridge payroll settings show [--json]` and `timebridge payroll
//! settings set --KEY VALUE …`: every payroll setting the window has (pay
//! periods, overtime, and the CSV, IIF and Sage 300 CRE file layouts), so an
//! IIF or Sage file can be exported without the window.
//!
//! `set` changes only the settings given. They are saved through the same
//! core functions as the window's two forms (`settings::save`, which checks
//! them with the same messages, and `files::save`), in one transaction (a
//! refused value saves nothing) and logged as the window's changes are, as
//! made by the command line. Hours are read as the window reads them: a
//! number like 40 or 7.5, or `none`.

use chrono::Utc;
use clap::{Args, Subcommand};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use timebridge_core::audit::Actor;
use timebridge_core::payroll::files::{self, CsvColumn, FileSettings, NameOrder, SageColumn};
use timebridge_core::payroll::settings::{self, PayrollSettings};
use timebridge_core::{Error, FieldProblem, Store};

use crate::integrations::to_json;
use crate::table::Table;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every payroll setting, with the flag that changes it (--json: the
    /// window's pay period and file layout settings).
    Show,
    /// Changes the settings given; the others stay as they are.
    Set(Box<SetArgs>),
}

#[derive(Debug, Default, Args)]
pub struct SetArgs {
    /// The time zone payroll days are counted in (IANA), e.g. America/Chicago.
    #[arg(long, value_name = "ZONE", help_heading = "Pay periods")]
    time_zone: Option<String>,
    /// The first day of the workweek: monday to sunday.
    #[arg(long, value_name = "DAY", help_heading = "Pay periods")]
    week_start: Option<String>,
    /// How often the company pays: weekly, biweekly, semi-monthly or monthly.
    #[arg(long, value_name = "FREQUENCY", help_heading = "Pay periods")]
    pay_frequency: Option<String>,
    /// The first day of any one pay period (YYYY-MM-DD); the others follow.
    #[arg(long, value_name = "DATE", help_heading = "Pay periods")]
    period_start: Option<String>,

    /// Weekly overtime after this many hours, or none.
    #[arg(long, value_name = "HOURS", help_heading = "Overtime")]
    weekly_overtime_after: Option<String>,
    /// Daily overtime after this many hours, or none.
    #[arg(long, value_name = "HOURS", help_heading = "Overtime")]
    daily_overtime_after: Option<String>,
    /// Daily double time after this many hours, or none.
    #[arg(long, value_name = "HOURS", help_heading = "Overtime")]
    daily_double_time_after: Option<String>,
    /// On the seventh consecutive day worked, the first 8 hours are
    /// overtime and the rest double time: yes or no.
    #[arg(long, value_name = "YES|NO", help_heading = "Overtime")]
    seventh_day: Option<String>,
    /// A shift that crosses midnight counts split-at-midnight or on its
    /// start-day.
    #[arg(long, value_name = "RULE", help_heading = "Overtime")]
    overnight: Option<String>,
    /// Leave entries still running out of payroll (yes), or count them up
    /// to now (no).
    #[arg(long, value_name = "YES|NO", help_heading = "Overtime")]
    leave_out_running: Option<String>,

    /// The CSV file's columns, in order: employee, employee-number, date,
    /// customer, job, job-number, task, task-code, pay-id, pay-item, hours.
    #[arg(
        long,
        value_name = "COLUMNS",
        value_delimiter = ',',
        help_heading = "Payroll files"
    )]
    csv_columns: Option<Vec<String>>,
    /// The QuickBooks company name, exactly as QuickBooks shows it.
    #[arg(long, value_name = "NAME", help_heading = "Payroll files")]
    iif_company_name: Option<String>,
    /// The company file's creation time (COMPANYCREATETIME in an exported
    /// Timer List).
    #[arg(long, value_name = "NUMBER", help_heading = "Payroll files")]
    iif_company_create_time: Option<String>,
    /// How QuickBooks names employees: first-last or last-first.
    #[arg(long, value_name = "ORDER", help_heading = "Payroll files")]
    iif_employee_names: Option<String>,
    /// The class on every IIF row; "" for none.
    #[arg(long, value_name = "CLASS", help_heading = "Payroll files")]
    iif_class: Option<String>,
    /// Mark the IIF hours billable to the customer: yes or no.
    #[arg(long, value_name = "YES|NO", help_heading = "Payroll files")]
    iif_billable: Option<String>,
    /// The columns of the Sage 300 CRE Time Entry View, in order: date,
    /// period-end, employee, job, extra, cost-code, category, pay-id,
    /// units, rate, amount, blank, or fixed=TEXT.
    #[arg(
        long,
        value_name = "COLUMNS",
        value_delimiter = ',',
        help_heading = "Payroll files"
    )]
    sage_time_entry_view: Option<Vec<String>>,
}

pub fn run(store: &Store, command: SettingsCommand, json: bool) -> Result<String, Error> {
    let today = Utc::now().date_naive();
    match command {
        SettingsCommand::Show => {
            let (pay, layouts) =
                store.read(|conn| Ok((settings::load(conn, today)?, files::load(conn)?)))?;
            show(&pay, &layouts, json)
        }
        SettingsCommand::Set(args) => {
            let now = Utc::now();
            let (pay, layouts) = store.write(|tx| {
                let mut pay = settings::load(tx, now.date_naive())?;
                let mut layouts = files::load(tx)?;
                let (pay_changed, files_changed) = (args.changes_pay(), args.changes_files());
                if !pay_changed && !files_changed {
                    return Err(Error::invalid(
                        "settings",
                        "Give at least one setting to change, e.g. --time-zone America/Chicago \
                         (`timebridge payroll settings set --help` lists them).",
                    ));
                }
                let mut problems = args.apply(&mut pay, &mut layouts);
                if pay_changed && let Err(Error::Validation(found)) = pay.check() {
                    // The window's checks too, for the values that could be read.
                    let unread: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
                    problems.extend(found.into_iter().filter(|p| !unread.contains(&p.field)));
                }
                if !problems.is_empty() {
                    return Err(Error::Validation(problems));
                }
                if pay_changed {
                    pay = settings::save(tx, &pay, &Actor::cli(), now)?;
                }
                if files_changed {
                    layouts = files::save(tx, &layouts, &Actor::cli(), now)?;
                }
                Ok((pay, layouts))
            })?;
            if json {
                return show(&pay, &layouts, true);
            }
            Ok(format!(
                "Saved the payroll settings.\n{}",
                show(&pay, &layouts, false)?
            ))
        }
    }
}

fn show(pay: &PayrollSettings, layouts: &FileSettings, json: bool) -> Result<String, Error> {
    if json {
        return to_json(json!({ "payroll": pay, "files": layouts }));
    }
    let o = &pay.overtime;
    let sections: [(&str, Vec<[String; 3]>); 5] = [
        (
            "Pay periods",
            vec![
                row("Time zone", pay.time_zone.clone(), "time-zone"),
                row("Workweek starts on", slug(&pay.week_start), "week-start"),
                row("Pay frequency", slug(&pay.frequency), "pay-frequency"),
                row("A period starts on", pay.anchor.to_string(), "period-start"),
            ],
        ),
        (
            "Overtime",
            vec![
                row(
                    "Weekly overtime after",
                    hours(o.weekly_after_seconds),
                    "weekly-overtime-after",
                ),
                row(
                    "Daily overtime after",
                    hours(o.daily_after_seconds),
                    "daily-overtime-after",
                ),
                row(
                    "Daily double time after",
                    hours(o.daily_double_after_seconds),
                    "daily-double-time-after",
                ),
                row(
                    "Seventh consecutive day",
                    yes_no(o.seventh_day),
                    "seventh-day",
                ),
                row("A shift across midnight", slug(&pay.overnight), "overnight"),
                row(
                    "Leave out running entries",
                    yes_no(pay.leave_out_open_entries),
                    "leave-out-running",
                ),
            ],
        ),
        (
            "CSV file",
            vec![row(
                "Columns",
                layouts
                    .csv
                    .columns
                    .iter()
                    .map(slug)
                    .collect::<Vec<_>>()
                    .join(","),
                "csv-columns",
            )],
        ),
        (
            "QuickBooks Desktop IIF file",
            vec![
                row(
                    "Company name",
                    layouts.iif.company_name.clone(),
                    "iif-company-name",
                ),
                row(
                    "Company creation time",
                    layouts.iif.company_create_time.clone(),
                    "iif-company-create-time",
                ),
                row(
                    "Employee names as",
                    slug(&layouts.iif.employee_names),
                    "iif-employee-names",
                ),
                row("Class", layouts.iif.class.clone(), "iif-class"),
                row("Billable", yes_no(layouts.iif.billable), "iif-billable"),
            ],
        ),
        (
            "Sage 300 CRE Import Time file",
            vec![row(
                "Time Entry View columns",
                layouts
                    .sage300_cre
                    .time_entry_view
                    .iter()
                    .map(sage_name)
                    .collect::<Vec<_>>()
                    .join(","),
                "sage-time-entry-view",
            )],
        ),
    ];
    let mut out = Vec::new();
    for (heading, rows) in sections {
        let mut table = Table::new([heading, "", "Change with"]);
        for r in rows {
            table.row(r);
        }
        out.push(table.render());
    }
    Ok(out.join("\n\n"))
}

fn row(label: &str, value: String, flag: &str) -> [String; 3] {
    [format!("  {label}"), value, format!("--{flag}")]
}

/// An enum value as the command line spells it: `semi-monthly`.
fn slug(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text.replace('_', "-"),
        _ => String::new(),
    }
}

fn sage_name(column: &SageColumn) -> String {
    match column {
        SageColumn::Fixed { value } => format!("fixed={value}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v["column"].as_str().map(|c| c.replace('_', "-")))
            .unwrap_or_default(),
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// Seconds as the window's hours field shows them: 40, 7.5, or none.
fn hours(seconds: Option<i64>) -> String {
    seconds.map_or("none".to_owned(), |s| {
        format!("{}", (s as f64 / 3600.0 * 100.0).round() / 100.0)
    })
}

/// An enum value typed on the command line (`semi-monthly`, any case).
fn choice<T: DeserializeOwned>(field: &str, text: &str, allowed: &str) -> Result<T, Error> {
    let normalized = text.trim().to_lowercase().replace('-', "_");
    serde_json::from_value(Value::String(normalized))
        .map_err(|_| Error::invalid(field, format!("Use {allowed}, not “{text}”.")))
}

fn yes(field: &str, text: &str) -> Result<bool, Error> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "on" => Ok(true),
        "no" | "n" | "false" | "off" => Ok(false),
        _ => Err(Error::invalid(
            field,
            format!("Use yes or no, not “{text}”."),
        )),
    }
}

/// An hours field, read as the window reads it: blank or `none` for none,
/// else a number of hours, rounded to the second.
fn hours_field(field: &str, text: &str) -> Result<Option<i64>, Error> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(hours) if hours.is_finite() => Ok(Some((hours * 3600.0).round() as i64)),
        _ => Err(Error::invalid(
            field,
            "Enter hours as a number, like 40 or 7.5, or leave it empty.",
        )),
    }
}

fn sage_column(text: &str) -> Result<SageColumn, Error> {
    let field = "sage300_cre.time_entry_view";
    if let Some(value) = text.trim().strip_prefix("fixed=") {
        return Ok(SageColumn::Fixed {
            value: value.to_owned(),
        });
    }
    let name = text.trim().to_lowercase().replace('-', "_");
    serde_json::from_value(json!({ "column": name })).map_err(|_| {
        Error::invalid(
            field,
            format!(
                "“{text}” is not a Time Entry View column. Use date, period-end, employee, job, \
                 extra, cost-code, category, pay-id, units, rate, amount, blank or fixed=TEXT."
            ),
        )
    })
}

impl SetArgs {
    /// Whether any pay period or overtime setting is given.
    fn changes_pay(&self) -> bool {
        [
            &self.time_zone,
            &self.week_start,
            &self.pay_frequency,
            &self.period_start,
            &self.weekly_overtime_after,
            &self.daily_overtime_after,
            &self.daily_double_time_after,
            &self.seventh_day,
            &self.overnight,
            &self.leave_out_running,
        ]
        .iter()
        .any(|given| given.is_some())
    }

    /// Whether any payroll file setting is given.
    fn changes_files(&self) -> bool {
        self.csv_columns.is_some()
            || self.sage_time_entry_view.is_some()
            || [
                &self.iif_company_name,
                &self.iif_company_create_time,
                &self.iif_employee_names,
                &self.iif_class,
                &self.iif_billable,
            ]
            .iter()
            .any(|given| given.is_some())
    }

    /// Writes the given settings over `pay` and `layouts`, and returns the
    /// problem with each value that could not be read (it is left as it was).
    fn apply(&self, pay: &mut PayrollSettings, layouts: &mut FileSettings) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut keep = |result: Result<(), Error>| {
            if let Err(Error::Validation(found)) = result {
                problems.extend(found);
            }
        };
        if let Some(zone) = &self.time_zone {
            pay.time_zone = zone.trim().to_owned();
        }
        if let Some(day) = &self.week_start {
            let days = "monday, tuesday, wednesday, thursday, friday, saturday or sunday";
            keep(choice("week_start", day, days).map(|d| pay.week_start = d));
        }
        if let Some(frequency) = &self.pay_frequency {
            let allowed = "weekly, biweekly, semi-monthly or monthly";
            keep(choice("frequency", frequency, allowed).map(|f| pay.frequency = f));
        }
        if let Some(date) = &self.period_start {
            keep(date.trim().parse().map(|d| pay.anchor = d).map_err(|_| {
                Error::invalid(
                    "anchor",
                    format!("“{date}” is not a date. Give it as YYYY-MM-DD, e.g. 2026-11-02."),
                )
            }));
        }
        let overtime = &mut pay.overtime;
        for (given, field, slot) in [
            (
                &self.weekly_overtime_after,
                "weekly_after_seconds",
                &mut overtime.weekly_after_seconds,
            ),
            (
                &self.daily_overtime_after,
                "daily_after_seconds",
                &mut overtime.daily_after_seconds,
            ),
            (
                &self.daily_double_time_after,
                "daily_double_after_seconds",
                &mut overtime.daily_double_after_seconds,
            ),
        ] {
            if let Some(text) = given {
                keep(hours_field(field, text).map(|h| *slot = h));
            }
        }
        if let Some(text) = &self.seventh_day {
            keep(yes("seventh_day", text).map(|v| overtime.seventh_day = v));
        }
        if let Some(text) = &self.overnight {
            let allowed = "split-at-midnight or start-day";
            keep(choice("overnight", text, allowed).map(|v| pay.overnight = v));
        }
        if let Some(text) = &self.leave_out_running {
            keep(yes("leave_out_open_entries", text).map(|v| pay.leave_out_open_entries = v));
        }

        if let Some(columns) = &self.csv_columns {
            let allowed = "employee, employee-number, date, customer, job, job-number, task, \
                           task-code, pay-id, pay-item or hours";
            let read: Result<Vec<CsvColumn>, Error> = columns
                .iter()
                .map(|c| choice("csv.columns", c, allowed))
                .collect();
            keep(read.map(|c| layouts.csv.columns = c));
        }
        let iif = &mut layouts.iif;
        if let Some(name) = &self.iif_company_name {
            iif.company_name = name.clone();
        }
        if let Some(time) = &self.iif_company_create_time {
            iif.company_create_time = time.trim().to_owned();
        }
        if let Some(order) = &self.iif_employee_names {
            let allowed = "first-last or last-first";
            keep(
                choice::<NameOrder>("iif.employee_names", order, allowed)
                    .map(|o| iif.employee_names = o),
            );
        }
        if let Some(class) = &self.iif_class {
            iif.class = class.clone();
        }
        if let Some(text) = &self.iif_billable {
            keep(yes("iif.billable", text).map(|v| iif.billable = v));
        }
        if let Some(columns) = &self.sage_time_entry_view {
            let read: Result<Vec<SageColumn>, Error> =
                columns.iter().map(|c| sage_column(c)).collect();
            keep(read.map(|c| layouts.sage300_cre.time_entry_view = c));
        }
        problems
    }
}
