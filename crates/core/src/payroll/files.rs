//! Payroll files for manual upload: CSV with configurable columns, the
//! QuickBooks Desktop IIF timer import, and Sage 300 CRE's Import Time.
//!
//! - **CSV**: a header row, then one row per line; the columns and their
//!   order are the company's choice.
//! - **IIF** (File › Utilities › Import › Timer Activities): tab-delimited.
//!   The `!TIMERHDR` block carries the company name and creation time
//!   exactly as QuickBooks has them (from an exported Timer List), then a
//!   `!TIMEACT` row per line: date `MM/DD/YY`, job as `Customer:Job`, the
//!   employee as QuickBooks names them, service item (the task), payroll
//!   item, duration `H:MM` (a line over 23:59 is split, as QuickBooks takes
//!   no more), class, note, transfer to payroll, billing status. Written in
//!   Windows-1252, the encoding QuickBooks reads; a character it cannot
//!   hold becomes `?`.
//! - **Sage 300 CRE Import Time**: comma-delimited, no header, one row per
//!   line, the columns in the order of the company's Time Entry View, dates
//!   `M/D/YYYY`, units in hours.
//!
//! Bad settings are refused, with what to fix, before a file is written.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::lines::{PayrollLine, Prepared};
use super::periods::PayPeriod;
use super::settings::{load_value, store_value};
use super::targets::FileFormat;
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::validate::Checks;

/// A CSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvColumn {
    Employee,
    EmployeeNumber,
    Date,
    Customer,
    Job,
    JobNumber,
    Task,
    TaskCode,
    PayId,
    PayItem,
    Hours,
    /// A bonus line's amount, in dollars (empty on a line of hours).
    Amount,
}

impl CsvColumn {
    pub fn header(self) -> &'static str {
        match self {
            CsvColumn::Employee => "Employee",
            CsvColumn::EmployeeNumber => "Employee number",
            CsvColumn::Date => "Date",
            CsvColumn::Customer => "Customer",
            CsvColumn::Job => "Job",
            CsvColumn::JobNumber => "Job number",
            CsvColumn::Task => "Task",
            CsvColumn::TaskCode => "Task code",
            CsvColumn::PayId => "Pay ID",
            CsvColumn::PayItem => "Pay item",
            CsvColumn::Hours => "Hours",
            CsvColumn::Amount => "Amount",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CsvSettings {
    pub columns: Vec<CsvColumn>,
}

/// How QuickBooks names an employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NameOrder {
    /// "Marcus Bell", QuickBooks' default.
    FirstLast,
    /// "Bell, Marcus".
    LastFirst,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IifSettings {
    /// The company name, exactly as in QuickBooks.
    pub company_name: String,
    /// The company file's creation time from an exported Timer List (the
    /// `COMPANYCREATETIME` number).
    pub company_create_time: String,
    pub employee_names: NameOrder,
    /// The class (`PROJ`) on every row; empty for none.
    pub class: String,
    /// Billable hours (status 1) or not (0).
    pub billable: bool,
}

/// A column of a Sage 300 CRE Time Entry View.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "column", rename_all = "snake_case")]
pub enum SageColumn {
    Date,
    /// The period end date, on every row.
    PeriodEnd,
    /// The employee number.
    Employee,
    /// The job number.
    Job,
    Extra,
    /// The task's code.
    CostCode,
    Category,
    /// The mapped item, else the pay ID's code.
    PayId,
    /// Hours.
    Units,
    Rate,
    Amount,
    /// An empty column the view has but Timebridge does not fill.
    Blank,
    /// The same text on every row (e.g. `N` for Certified?).
    Fixed {
        value: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SageSettings {
    /// The columns of the company's Time Entry View, in order.
    pub time_entry_view: Vec<SageColumn>,
}

/// How the company's payroll files are laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileSettings {
    pub csv: CsvSettings,
    pub iif: IifSettings,
    pub sage300_cre: SageSettings,
}

impl Default for FileSettings {
    fn default() -> Self {
        use CsvColumn as C;
        FileSettings {
            csv: CsvSettings {
                columns: vec![
                    C::Employee,
                    C::EmployeeNumber,
                    C::Date,
                    C::Job,
                    C::Task,
                    C::PayItem,
                    C::Hours,
                    C::Amount,
                ],
            },
            iif: IifSettings {
                company_name: String::new(),
                company_create_time: String::new(),
                employee_names: NameOrder::FirstLast,
                class: String::new(),
                billable: false,
            },
            sage300_cre: SageSettings {
                time_entry_view: vec![
                    SageColumn::Date,
                    SageColumn::Employee,
                    SageColumn::Job,
                    SageColumn::Extra,
                    SageColumn::CostCode,
                    SageColumn::PayId,
                    SageColumn::Units,
                ],
            },
        }
    }
}

impl FileSettings {
    /// Every problem with the settings `format` needs.
    pub fn check(&self, format: FileFormat) -> Result<()> {
        let mut checks = Checks::default();
        match format {
            FileFormat::Csv => {
                if self.csv.columns.is_empty() {
                    checks.problem(
                        "csv.columns",
                        "Choose at least one column for the CSV file.",
                    );
                }
            }
            FileFormat::Iif => {
                if self.iif.company_name.trim().is_empty() {
                    checks.problem(
                        "iif.company_name",
                        "Enter the company name exactly as QuickBooks shows it (Company › My Company); \
                         QuickBooks refuses a timer file for another company.",
                    );
                }
                let time = self.iif.company_create_time.trim();
                if time.is_empty() || !time.chars().all(|c| c.is_ascii_digit()) {
                    checks.problem(
                        "iif.company_create_time",
                        "Enter the company's creation time: in QuickBooks use File › Utilities › Export › \
                         Timer Lists, open the file, and copy the number under COMPANYCREATETIME.",
                    );
                }
            }
            FileFormat::Sage300Cre => {
                let view = &self.sage300_cre.time_entry_view;
                if view.is_empty() {
                    checks.problem(
                        "sage300_cre.time_entry_view",
                        "List the columns of your Time Entry View (Payroll › Tools › Customize Time Entry), in order.",
                    );
                } else {
                    for (needed, name) in [
                        (SageColumn::Employee, "Employee"),
                        (SageColumn::Units, "Units"),
                    ] {
                        if !view.contains(&needed) {
                            checks.problem(
                                "sage300_cre.time_entry_view",
                                format!("The Time Entry View needs a {name} column for Import Time to place the hours."),
                            );
                        }
                    }
                }
            }
        }
        checks.finish()
    }
}

const KEY: &str = "payroll_files";

pub fn load(conn: &Connection) -> Result<FileSettings> {
    Ok(load_value(conn, KEY, "payroll file settings")?.unwrap_or_default())
}

/// Saves the file settings. Each format is checked when a file is written,
/// so an admin can save a half-done IIF setup and finish it later.
pub fn save(
    tx: &Transaction<'_>,
    settings: &FileSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<FileSettings> {
    let before = load(tx)?;
    store_value(tx, KEY, settings, actor, now)?;
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollSettingsChanged,
            target: Some("payroll file settings".into()),
            summary: "Changed the payroll file settings".into(),
            details: Some(crate::records::changed_fields(&before, settings)),
        },
        now,
    )?;
    Ok(settings.clone())
}

/// A written payroll file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayrollFile {
    pub format: FileFormat,
    pub period: PayPeriod,
    /// What to name it, e.g. `payroll-2026-11-01-to-2026-11-14.iif`.
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub lines: usize,
    pub seconds: i64,
    /// The bonus amounts it holds.
    pub cents: i64,
}

/// Writes the payroll file of `prepared` (for `format`'s target), or
/// refuses with every problem of the settings or the lines.
pub fn write(
    format: FileFormat,
    settings: &FileSettings,
    period: PayPeriod,
    prepared: &Prepared,
) -> Result<PayrollFile> {
    settings.check(format)?;
    prepared.ensure_ready()?;
    let lines = &prepared.lines;
    let bytes = match format {
        FileFormat::Csv => csv(&settings.csv, lines).into_bytes(),
        FileFormat::Iif => windows_1252(&iif(&settings.iif, lines)),
        FileFormat::Sage300Cre => sage(&settings.sage300_cre, period, lines).into_bytes(),
    };
    Ok(PayrollFile {
        format,
        period,
        file_name: format!(
            "payroll-{}-to-{}.{}",
            period.start,
            period.end,
            format.extension()
        ),
        bytes,
        lines: lines.len(),
        seconds: lines.iter().map(|l| l.seconds).sum(),
        cents: lines.iter().map(|l| l.cents).sum(),
    })
}

/// Writes `bytes` to `path` whole or not at all: a half-written payroll
/// file is never left behind.
pub fn save_to(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !folder.is_dir() {
        return Err(Error::invalid(
            "path",
            format!(
                "The folder {} does not exist. Choose another place to save the file.",
                folder.display()
            ),
        ));
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            Error::invalid(
                "path",
                format!(
                    "The file could not be written to {} ({e}). Choose a folder you can write to.",
                    path.display()
                ),
            )
        })
}

/// Logs a written file.
pub fn log_export(
    tx: &Transaction<'_>,
    actor: &Actor,
    file: &PayrollFile,
    now: DateTime<Utc>,
) -> Result<()> {
    let period = file.period;
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollExported,
            target: Some(format!("file:{}", file.format.as_str())),
            summary: format!(
                "Exported payroll {} to {} as {} ({} lines, {:.2} h{})",
                period.start,
                period.end,
                file.format.label(),
                file.lines,
                file.seconds as f64 / 3600.0,
                if file.cents == 0 {
                    String::new()
                } else {
                    format!(", {} in bonuses", crate::bonus::pay::dollars(file.cents))
                }
            ),
            details: Some(serde_json::json!({"file_name": file.file_name})),
        },
        now,
    )
}

fn decimal_hours(seconds: i64) -> String {
    format!("{:.2}", seconds as f64 / 3600.0)
}

/// An amount in dollars with two decimals, `-` before a negative one:
/// `125.00`, `-12.50`.
pub fn decimal_dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv(settings: &CsvSettings, lines: &[PayrollLine]) -> String {
    let mut out = String::with_capacity(lines.len() * 80);
    let header: Vec<&str> = settings.columns.iter().map(|c| c.header()).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for line in lines {
        let fields: Vec<String> = settings
            .columns
            .iter()
            .map(|column| match column {
                CsvColumn::Employee => line.employee.clone(),
                CsvColumn::EmployeeNumber => line.employee_number.clone().unwrap_or_default(),
                CsvColumn::Date => line.date.to_string(),
                CsvColumn::Customer => line.customer.clone().unwrap_or_default(),
                CsvColumn::Job => line.job.clone().unwrap_or_default(),
                CsvColumn::JobNumber => line.job_number.clone().unwrap_or_default(),
                CsvColumn::Task => line.task.clone().unwrap_or_default(),
                CsvColumn::TaskCode => line.task_code.clone().unwrap_or_default(),
                CsvColumn::PayId => line.pay_code.clone(),
                CsvColumn::PayItem => line.item_or_code().to_owned(),
                // A line is hours or an amount; the other stays empty.
                CsvColumn::Hours if line.bonus_id.is_some() => String::new(),
                CsvColumn::Hours => decimal_hours(line.seconds),
                CsvColumn::Amount if line.bonus_id.is_some() => decimal_dollars(line.cents),
                CsvColumn::Amount => String::new(),
            })
            .map(|f| csv_field(&f))
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// An IIF field: tabs and line breaks would break the row.
fn iif_field(text: &str) -> String {
    text.replace(['\t', '\r', '\n'], " ").trim().to_owned()
}

/// QuickBooks takes at most 23:59 on one timer row.
const IIF_MAX_MINUTES: i64 = 23 * 60 + 59;

pub fn iif_employee_name(order: NameOrder, line: &PayrollLine) -> String {
    match order {
        NameOrder::FirstLast => line.employee.clone(),
        NameOrder::LastFirst if line.first_name.is_empty() => line.last_name.clone(),
        NameOrder::LastFirst => format!("{}, {}", line.last_name, line.first_name),
    }
}

fn iif(settings: &IifSettings, lines: &[PayrollLine]) -> String {
    let mut out = String::with_capacity(200 + lines.len() * 90);
    out.push_str(
        "!TIMERHDR\tVER\tREL\tCOMPANYNAME\tIMPORTEDBEFORE\tFROMTIMER\tCOMPANYCREATETIME\r\n",
    );
    let _ = write!(
        out,
        "TIMERHDR\t8\t0\t{}\tN\tY\t{}\r\n",
        iif_field(&settings.company_name),
        settings.company_create_time.trim()
    );
    out.push_str(
        "!TIMEACT\tDATE\tJOB\tEMP\tITEM\tPITEM\tDURATION\tPROJ\tNOTE\tXFERTOPAYROLL\tBILLINGSTATUS\r\n",
    );
    let billing = if settings.billable { "1" } else { "0" };
    // A timer file carries hours only; review leaves bonus lines out.
    for line in lines.iter().filter(|l| l.bonus_id.is_none()) {
        let mut minutes = (line.seconds + 30) / 60;
        let date = line.date.format("%m/%d/%y").to_string();
        let job = iif_field(&line.customer_job().unwrap_or_default());
        let employee = iif_field(&iif_employee_name(settings.employee_names, line));
        let item = iif_field(line.task.as_deref().unwrap_or_default());
        let payroll_item = iif_field(line.item_or_code());
        let class = iif_field(&settings.class);
        while minutes > 0 {
            let part = minutes.min(IIF_MAX_MINUTES);
            minutes -= part;
            let _ = write!(
                out,
                "TIMEACT\t{date}\t{job}\t{employee}\t{item}\t{payroll_item}\t{}:{:02}\t{class}\t\tY\t{billing}\r\n",
                part / 60,
                part % 60
            );
        }
    }
    out
}

/// Windows-1252 bytes of `text`; a character it has no byte for becomes `?`.
pub fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0..=0x7F | 0xA0..=0xFF => c as u32 as u8,
            _ => WINDOWS_1252_HIGH
                .iter()
                .position(|&h| h == c)
                .map_or(b'?', |i| 0x80 + i as u8),
        })
        .collect()
}

/// Text from Windows-1252 bytes.
pub fn from_windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Windows-1252's characters at bytes 0x80 to 0x9F (unassigned ones kept
/// as their C1 code points).
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Hours as Sage 300 CRE units: up to two decimals, no trailing zeros.
fn units(seconds: i64) -> String {
    let text = format!("{:.2}", seconds as f64 / 3600.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// One line of an Import Time file, in Sage's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SageRow {
    pub date: NaiveDate,
    pub employee: String,
    pub job: String,
    pub extra: String,
    pub cost_code: String,
    pub category: String,
    pub pay_id: String,
    /// Negative in a correction.
    pub seconds: i64,
    /// A bonus line's amount (then `seconds` is 0); negative in a correction.
    pub cents: i64,
    /// An amount line rather than hours.
    pub amount: bool,
}

impl SageRow {
    /// A line as the exported file has it: its numbers, no extra or
    /// category (Timebridge's records have none).
    fn of(line: &PayrollLine) -> SageRow {
        SageRow {
            date: line.date,
            employee: line.employee_number.clone().unwrap_or_default(),
            job: line.job_number.clone().unwrap_or_default(),
            extra: String::new(),
            cost_code: line.task_code.clone().unwrap_or_default(),
            category: String::new(),
            pay_id: line.item_or_code().to_owned(),
            seconds: line.seconds,
            cents: line.cents,
            amount: line.bonus_id.is_some(),
        }
    }
}

fn sage(settings: &SageSettings, period: PayPeriod, lines: &[PayrollLine]) -> String {
    let rows: Vec<SageRow> = lines.iter().map(SageRow::of).collect();
    import_time(settings, period, &rows)
}

/// An Import Time file of `rows`: comma-delimited, no header, the values
/// in the order of the Time Entry View.
pub fn import_time(settings: &SageSettings, period: PayPeriod, rows: &[SageRow]) -> String {
    let mut out = String::with_capacity(rows.len() * 50);
    for row in rows {
        let fields: Vec<String> = settings
            .time_entry_view
            .iter()
            .map(|column| match column {
                SageColumn::Date => sage_date(row.date),
                SageColumn::PeriodEnd => sage_date(period.end),
                SageColumn::Employee => row.employee.clone(),
                SageColumn::Job => row.job.clone(),
                SageColumn::Extra => row.extra.clone(),
                SageColumn::CostCode => row.cost_code.clone(),
                SageColumn::Category => row.category.clone(),
                SageColumn::PayId => row.pay_id.clone(),
                // An amount line (a bonus) has no units: Sage pays its amount.
                SageColumn::Units if row.amount => String::new(),
                SageColumn::Units => units(row.seconds),
                SageColumn::Amount if row.amount => decimal_dollars(row.cents),
                SageColumn::Rate | SageColumn::Amount | SageColumn::Blank => String::new(),
                SageColumn::Fixed { value } => value.clone(),
            })
            .map(|f| csv_field(&f))
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A date as Sage writes it, `M/D/YYYY`.
pub fn sage_date(date: NaiveDate) -> String {
    date.format("%-m/%-d/%Y").to_string()
}

/// The Time Entry View's columns, as Sage names them.
pub fn view_names(settings: &SageSettings) -> Vec<String> {
    settings
        .time_entry_view
        .iter()
        .map(|column| match column {
            SageColumn::Date => "Date".to_owned(),
            SageColumn::PeriodEnd => "Period End Date".into(),
            SageColumn::Employee => "Employee".into(),
            SageColumn::Job => "Job".into(),
            SageColumn::Extra => "Extra".into(),
            SageColumn::CostCode => "Cost Code".into(),
            SageColumn::Category => "Category".into(),
            SageColumn::PayId => "Pay ID".into(),
            SageColumn::Units => "Units".into(),
            SageColumn::Rate => "Rate".into(),
            SageColumn::Amount => "Amount".into(),
            SageColumn::Blank => "(blank)".into(),
            SageColumn::Fixed { value } => format!("“{value}”"),
        })
        .collect()
}

/// A `TIMEACT` row read back from an IIF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerActivity {
    pub date: NaiveDate,
    pub job: String,
    pub employee: String,
    pub item: String,
    pub payroll_item: String,
    pub minutes: i64,
    pub class: String,
    pub note: String,
    pub transfer_to_payroll: bool,
    pub billing_status: u8,
}

/// The header and activities of an IIF timer file, as QuickBooks reads
/// them: columns found by the `!` header rows' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerFile {
    pub company_name: String,
    pub company_create_time: String,
    pub activities: Vec<TimerActivity>,
}

/// Reads an IIF timer file back.
pub fn parse_iif(bytes: &[u8]) -> Result<TimerFile> {
    let text = from_windows_1252(bytes);
    let bad = |row: usize, what: String| {
        Error::invalid("file", format!("Row {row} of the IIF file: {what}"))
    };
    let mut header: Vec<String> = Vec::new();
    let mut timer_header: Vec<String> = Vec::new();
    let mut file = TimerFile {
        company_name: String::new(),
        company_create_time: String::new(),
        activities: Vec::new(),
    };
    for (index, row) in text.split("\r\n").enumerate() {
        let row_no = index + 1;
        if row.is_empty() {
            continue;
        }
        let cells: Vec<&str> = row.split('\t').collect();
        let get = |names: &[String], cells: &[&str], name: &str| -> String {
            names
                .iter()
                .position(|n| n == name)
                .and_then(|i| cells.get(i))
                .map(|s| (*s).to_owned())
                .unwrap_or_default()
        };
        match cells[0] {
            "!TIMERHDR" => timer_header = cells.iter().map(|s| (*s).to_owned()).collect(),
            "!TIMEACT" => header = cells.iter().map(|s| (*s).to_owned()).collect(),
            "TIMERHDR" => {
                file.company_name = get(&timer_header, &cells, "COMPANYNAME");
                file.company_create_time = get(&timer_header, &cells, "COMPANYCREATETIME");
            }
            "TIMEACT" => {
                if header.is_empty() {
                    return Err(bad(
                        row_no,
                        "a TIMEACT row before its !TIMEACT header".into(),
                    ));
                }
                let date_text = get(&header, &cells, "DATE");
                let date = NaiveDate::parse_from_str(&date_text, "%m/%d/%y")
                    .map_err(|_| bad(row_no, format!("“{date_text}” is not a MM/DD/YY date")))?;
                let duration = get(&header, &cells, "DURATION");
                let minutes = duration
                    .split_once(':')
                    .and_then(|(h, m)| {
                        // Checked: a file's hours may be past what minutes count.
                        let hours = h.parse::<i64>().ok()?.checked_mul(60)?;
                        hours.checked_add(m.parse::<i64>().ok()?)
                    })
                    .ok_or_else(|| bad(row_no, format!("“{duration}” is not an H:MM duration")))?;
                file.activities.push(TimerActivity {
                    date,
                    job: get(&header, &cells, "JOB"),
                    employee: get(&header, &cells, "EMP"),
                    item: get(&header, &cells, "ITEM"),
                    payroll_item: get(&header, &cells, "PITEM"),
                    minutes,
                    class: get(&header, &cells, "PROJ"),
                    note: get(&header, &cells, "NOTE"),
                    transfer_to_payroll: get(&header, &cells, "XFERTOPAYROLL") == "Y",
                    billing_status: get(&header, &cells, "BILLINGSTATUS").parse().unwrap_or(0),
                });
            }
            other => return Err(bad(row_no, format!("unexpected row type “{other}”"))),
        }
    }
    Ok(file)
}
