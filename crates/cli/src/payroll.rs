//! `timebridge payroll hours --period DATE`: a pay period's hours per
//! employee and pay ID, as a table or as JSON (the same JSON the app's
//! payroll page gets).

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use clap::Subcommand;
use timebridge_core::payroll;
use timebridge_core::{Error, Store};

#[derive(Debug, Subcommand)]
pub enum PayrollCommand {
    /// The hours of the pay period containing a date, split by the overtime rules.
    Hours {
        /// Any day of the period, as YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        period: Option<String>,
    },
}

pub fn run(store: &Store, command: PayrollCommand, json: bool) -> Result<String, Error> {
    match command {
        PayrollCommand::Hours { period } => {
            let day = period
                .map(|text| {
                    text.trim().parse::<NaiveDate>().map_err(|_| {
                        Error::invalid(
                            "period",
                            format!("“{text}” is not a date. Give a day of the period as YYYY-MM-DD, e.g. 2026-11-02."),
                        )
                    })
                })
                .transpose()?;
            let report = store.read(|conn| payroll::hours_for_day(conn, day, Utc::now()))?;
            if json {
                return serde_json::to_string(&report)
                    .map_err(|e| Error::Internal(format!("the hours could not be written: {e}")));
            }
            Ok(table(&report))
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
    let codes: Vec<&str> = report.pay_ids.iter().map(|p| p.code.as_str()).collect();
    out.push_str(&format!("{:<30}", "Employee"));
    for code in &codes {
        out.push_str(&format!("{code:>9}"));
    }
    out.push_str(&format!("{:>9}\n", "Total"));
    for employee in &report.employees {
        let by_pay: BTreeMap<i64, i64> = employee
            .hours
            .totals
            .iter()
            .map(|t| (t.pay_id, t.seconds))
            .collect();
        out.push_str(&format!("{:<30}", employee.name));
        for pay_id in &report.pay_ids {
            out.push_str(&format!(
                "{:>9}",
                hours(by_pay.get(&pay_id.id).copied().unwrap_or(0))
            ));
        }
        out.push_str(&format!("{:>9}\n", hours(employee.hours.total_seconds)));
    }
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
    out
}
