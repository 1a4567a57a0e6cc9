//! `timebridge payroll`: a pay period's hours (`hours`), its payroll file
//! (`export`), publishing it to an integration (`publish`; QuickBooks
//! Desktop's, and `publishing on|off`, in [`crate::quickbooks_desktop`]),
//! and the payroll settings (`settings`, in [`crate::payroll_settings`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use clap::Subcommand;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations;
use timebridge_core::payroll::targets::{self, FileFormat, PayItemMap, Target};
use timebridge_core::payroll::unimported::UnimportedStaged;
use timebridge_core::payroll::{self, files, unimported};
use timebridge_core::{Error, Store};

use crate::integrations::{engine, runtime, to_json};
use crate::payroll_settings::SettingsCommand;
use crate::table::{self, Table};

#[derive(Debug, Subcommand)]
pub enum PayrollCommand {
    /// The hours of the pay period containing a date, split by the overtime rules.
    Hours {
        /// Any day of the period, as YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        period: Option<String>,
    },
    /// Writes the period's payroll file: csv, iif (QuickBooks Desktop) or
    /// sage300-cre (Sage 300 CRE Import Time).
    Export {
        #[arg(long, value_name = "DATE")]
        period: Option<String>,
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Maps a pay ID to a target's payroll item: TARGET is an integration's
    /// id or name, or csv, iif or sage300-cre. An empty ITEM clears it.
    Map {
        target: String,
        /// The pay ID's code, e.g. REG.
        pay_id: String,
        item: String,
    },
    /// The payroll settings: pay periods, overtime, and the payroll files'
    /// layouts (`show`, `set --KEY VALUE`).
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Publishes the period to an integration: everything the first time,
    /// then only what changed since. Refused while staged time entries of
    /// the period are not imported, unless --confirm-unimported.
    Publish {
        #[arg(long, value_name = "DATE")]
        period: Option<String>,
        /// The integration: its id, its name, or its platform where one of
        /// that platform is connected.
        #[arg(long, value_name = "INTEGRATION")]
        to: String,
        /// Publish although staged time entries of the period are not
        /// imported: their hours are left out (`payroll hours` lists them).
        #[arg(long)]
        confirm_unimported: bool,
        /// QuickBooks Desktop: answer the Web Connector until the
        /// publication is sent, at most this many minutes, then print each
        /// line's answer. Without it the publication waits for the Web
        /// Connector's next update.
        #[arg(long, value_name = "N")]
        wait_minutes: Option<u64>,
    },
    /// Turns publishing payroll into QuickBooks Desktop on or off for a
    /// connection, and saves its .qwc file again (asking QuickBooks for
    /// read-write access only when on) to add to the Web Connector.
    Publishing {
        state: OnOff,
        /// The QuickBooks Desktop connection: its id or name.
        integration: String,
        /// Where the new .qwc file is saved.
        #[arg(long, value_name = "PATH", default_value = ".")]
        qwc_folder: PathBuf,
    },
}

/// `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

pub(crate) fn day(period: Option<String>) -> Result<Option<NaiveDate>, Error> {
    period
        .map(|text| {
            text.trim().parse::<NaiveDate>().map_err(|_| {
                Error::invalid(
                    "period",
                    format!("“{text}” is not a date. Give a day of the period as YYYY-MM-DD, e.g. 2026-11-02."),
                )
            })
        })
        .transpose()
}

pub fn run(store: Arc<Store>, command: PayrollCommand, json: bool) -> Result<String, Error> {
    match command {
        PayrollCommand::Settings { command } => crate::payroll_settings::run(&store, command, json),
        PayrollCommand::Hours { period } => {
            let day = day(period)?;
            let report = store.read(|conn| payroll::hours_for_day(conn, day, Utc::now()))?;
            if json {
                return to_json(&report);
            }
            Ok(table(&report))
        }
        PayrollCommand::Export {
            period,
            format,
            out,
        } => {
            let day = day(period)?;
            let format = FileFormat::parse(&format).ok_or_else(|| {
                Error::invalid(
                    "format",
                    format!(
                        "“{format}” is not a payroll file format. Use csv, iif or sage300-cre."
                    ),
                )
            })?;
            let now = Utc::now();
            let file = store.read(|conn| payroll::export(conn, day, format, now))?;
            let period = file.period;
            files::save_to(&out, &file.bytes)?;
            store.write(|tx| files::log_export(tx, &Actor::cli(), &file, now))?;
            if json {
                return to_json(serde_json::json!({
                    "path": out,
                    "format": format,
                    "period": period,
                    "lines": file.lines,
                    "seconds": file.seconds,
                    "cents": file.cents,
                }));
            }
            let bonuses = if file.cents == 0 {
                String::new()
            } else {
                format!(
                    " and {} in bonuses",
                    timebridge_core::bonus::pay::dollars(file.cents)
                )
            };
            let mut text = format!(
                "Wrote {} ({} lines, {} h{bonuses}) for {} to {}.",
                out.display(),
                file.lines,
                hours(file.seconds),
                period.start,
                period.end
            );
            if format == FileFormat::Sage300Cre {
                text.push_str(&format!(
                    "\nIn Sage 300 CRE's Import Time, enter the period end date {}.",
                    period.end.format("%m/%d/%Y")
                ));
            }
            Ok(text)
        }
        PayrollCommand::Map {
            target,
            pay_id,
            item,
        } => {
            let target = match FileFormat::parse(&target) {
                Some(format) => Target::File { format },
                None => {
                    let integration = store.read(|conn| integrations::find(conn, &target))?;
                    let target = Target::Integration { id: integration.id };
                    // The list is read so a typed name is matched to its item.
                    let engine = engine(store.clone());
                    runtime()?
                        .block_on(engine.payroll().refresh_items(integration.id))
                        .map_err(timebridge_commands::sync_error)?;
                    target
                }
            };
            let pay = store.read(|conn| {
                let (_, pay_ids) = payroll::pay_id_book(conn)?;
                pay_ids
                    .into_iter()
                    .find(|p| p.code.eq_ignore_ascii_case(pay_id.trim()))
                    .ok_or_else(|| {
                        Error::invalid("pay_id", format!("There is no pay ID “{pay_id}”."))
                    })
            })?;
            let saved = store.write(|tx| {
                targets::set_pay_item(
                    tx,
                    target,
                    &PayItemMap {
                        pay_id: pay.id,
                        employee_id: None,
                        item,
                        item_external_id: None,
                    },
                    &Actor::cli(),
                    Utc::now(),
                )
            })?;
            if json {
                return to_json(&saved);
            }
            Ok(match saved {
                Some(map) => format!("{} is sent as “{}”.", pay.code, map.item),
                None => format!("{} is not mapped any more.", pay.code),
            })
        }
        PayrollCommand::Publishing {
            state,
            integration,
            qwc_folder,
        } => crate::quickbooks_desktop::set_publishing(
            store,
            &integration,
            state == OnOff::On,
            &qwc_folder,
            json,
        ),
        PayrollCommand::Publish {
            period,
            to,
            confirm_unimported,
            wait_minutes,
        } => {
            let day = day(period)?;
            let integration = store.read(|conn| integrations::find(conn, &to))?;
            let left_out = store.read(|conn| payroll::unimported_for_day(conn, day, Utc::now()))?;
            unimported::check_publish(
                &left_out,
                confirm_unimported,
                "run again with --confirm-unimported to publish without them",
            )?;
            if timebridge_connectors::through_web_connector(&integration.platform) {
                return crate::quickbooks_desktop::publish(
                    store,
                    &integration,
                    day,
                    wait_minutes.map(|m| std::time::Duration::from_secs(m * 60)),
                    &left_out,
                    json,
                );
            }
            let engine = engine(store);
            let result = runtime()?
                .block_on(engine.payroll().publish(integration.id, day, &Actor::cli()))
                .map_err(timebridge_commands::sync_error)?;
            let failed = result
                .publications
                .iter()
                .any(|p| p.outcome != timebridge_core::payroll::publish::PublicationOutcome::Sent);
            let text = if json {
                to_json(&result)?
            } else if left_out.is_empty() {
                result.message.clone()
            } else {
                format!(
                    "{}\nLeft out as confirmed: {}",
                    result.message,
                    left_out.describe()
                )
            };
            if failed {
                Err(Error::Source(text))
            } else {
                Ok(text)
            }
        }
    }
}

fn hours(seconds: i64) -> String {
    format!("{:.2}", seconds as f64 / 3600.0)
}

fn table(report: &payroll::HoursReport) -> String {
    let mut out = format!(
        "Pay period {} to {} ({})\n",
        report.period.start, report.period.end, report.time_zone
    );
    let mut grid = Table::new(
        std::iter::once("Employee")
            .chain(report.pay_ids.iter().map(|p| p.code.as_str()))
            .chain(["Total"]),
    )
    .numbers_from(1);
    for employee in &report.employees {
        let by_pay: BTreeMap<i64, i64> = employee
            .hours
            .totals
            .iter()
            .map(|t| (t.pay_id, t.seconds))
            .collect();
        grid.row(
            std::iter::once(table::employee(
                &employee.name,
                employee.employee_number.as_deref(),
                employee.employee_id,
            ))
            .chain(
                report
                    .pay_ids
                    .iter()
                    .map(|p| hours(by_pay.get(&p.id).copied().unwrap_or(0))),
            )
            .chain([hours(employee.hours.total_seconds)]),
        );
    }
    out.push_str(&grid.render());
    out.push('\n');
    if !report.open_entries.is_empty() {
        out.push_str(&format!(
            "{} running time entr{} left out until clocked out.\n",
            report.open_entries.len(),
            if report.open_entries.len() == 1 {
                "y"
            } else {
                "ies"
            }
        ));
    }
    out.push_str(&left_out_lines(
        &report.unimported_staged,
        report.period.start,
    ));
    out
}

/// The warning under the hours: the staged time entries these hours leave
/// out, whose, how the payroll differs for Updated ones, and the command
/// that lists them.
fn left_out_lines(left_out: &UnimportedStaged, period_start: NaiveDate) -> String {
    if left_out.is_empty() {
        return String::new();
    }
    let one = left_out.count == 1;
    let mut out = format!(
        "\nNot in these hours: {} staged time entr{} of this period {} not imported ({} h).\n",
        left_out.count,
        if one { "y" } else { "ies" },
        if one { "is" } else { "are" },
        hours(left_out.seconds)
    );
    for employee in &left_out.employees {
        let name = match &employee.employee_number {
            Some(number) => format!("{} ({number})", employee.name),
            None => employee.name.clone(),
        };
        out.push_str(&format!(
            "  {name:<38}{:>4} entr{}{:>9} h\n",
            employee.count,
            if employee.count == 1 { "y  " } else { "ies" },
            hours(employee.seconds)
        ));
    }
    let updated = &left_out.updated;
    if updated.count > 0 {
        out.push_str(&format!(
            "  {} of them changed at the source since imported: these hours count the imported {} ({} h), not the newer {} ({} h).\n",
            updated.count,
            if updated.count == 1 { "copy" } else { "copies" },
            hours(updated.imported_seconds),
            if updated.count == 1 { "version" } else { "versions" },
            hours(updated.seconds)
        ));
    }
    for source in &left_out.integrations {
        out.push_str(&format!(
            "  Review {} from {}: timebridge staged list {} time-entries --left-out-of-payroll {period_start}\n",
            source.count, source.name, source.integration_id
        ));
    }
    out.push_str("  Import them to pay them, or archive any that should not be paid.\n");
    out
}
