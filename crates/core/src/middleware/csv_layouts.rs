//! CSV layouts: how the columns of a time tracker's CSV export map to
//! Timebridge's fields.
//!
//! A CSV files integration reads any tracker's export. The admin points at a
//! file, Timebridge shows its first rows with a guessed [`CsvLayout`] (a
//! [`CsvPreview`]), the admin confirms or changes the mapping, and the layout
//! is saved under a name later files (and other integrations) reuse. This
//! module owns the types, their checks, and the `csv_layouts` table; the
//! connector (`timebridge_connectors::csv_files`) guesses and reads with them.

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::time;
use crate::validate::Checks;

/// What a column of the file says, in Timebridge's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvField {
    /// The employee's name, "First Last" or "Last, First".
    Employee,
    /// The employee's number or payroll ID in the tracker.
    EmployeeNumber,
    /// The day worked.
    Date,
    /// When the work started (a time, or a date and time).
    Start,
    /// When the work ended.
    End,
    /// How long was worked, break excluded.
    Hours,
    /// How long the unpaid break was.
    Break,
    /// The job (project, customer:job) the time is for.
    Job,
    /// The task (cost code, activity, service item).
    Task,
    /// The pay item (pay type, earning code).
    PayId,
    /// Notes.
    Notes,
}

impl CsvField {
    pub const ALL: [CsvField; 11] = [
        CsvField::Employee,
        CsvField::EmployeeNumber,
        CsvField::Date,
        CsvField::Start,
        CsvField::End,
        CsvField::Hours,
        CsvField::Break,
        CsvField::Job,
        CsvField::Task,
        CsvField::PayId,
        CsvField::Notes,
    ];

    /// Its name as stored and typed on the command line (`employee_number`).
    pub fn as_str(self) -> &'static str {
        match self {
            CsvField::Employee => "employee",
            CsvField::EmployeeNumber => "employee_number",
            CsvField::Date => "date",
            CsvField::Start => "start",
            CsvField::End => "end",
            CsvField::Hours => "hours",
            CsvField::Break => "break",
            CsvField::Job => "job",
            CsvField::Task => "task",
            CsvField::PayId => "pay_id",
            CsvField::Notes => "notes",
        }
    }

    /// Reads [`CsvField::as_str`], with dashes or underscores.
    pub fn parse(text: &str) -> Option<CsvField> {
        let normalized = text.trim().to_lowercase().replace(['-', ' '], "_");
        CsvField::ALL.into_iter().find(|f| f.as_str() == normalized)
    }

    /// What the admin calls it.
    pub fn label(self) -> &'static str {
        match self {
            CsvField::Employee => "Employee name",
            CsvField::EmployeeNumber => "Employee number",
            CsvField::Date => "Date",
            CsvField::Start => "Start time",
            CsvField::End => "End time",
            CsvField::Hours => "Hours",
            CsvField::Break => "Break",
            CsvField::Job => "Job",
            CsvField::Task => "Task",
            CsvField::PayId => "Pay ID",
            CsvField::Notes => "Notes",
        }
    }
}

/// One column of the file, in file order: its header (or "Column 3" in a
/// file without one) and the field it holds, `None` for a column not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "CsvLayoutColumn")]
pub struct CsvColumn {
    pub header: String,
    pub field: Option<CsvField>,
}

/// How Hours and Break are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvDuration {
    /// "7.5" (or "7,5" in a `;`-delimited file).
    DecimalHours,
    /// "7:30".
    HoursMinutes,
    /// "450".
    Minutes,
}

/// A named mapping of a tracker export's columns, with its formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CsvLayout {
    pub name: String,
    /// One per file column, in file order.
    pub columns: Vec<CsvColumn>,
    /// The first non-empty line names the columns.
    pub has_header: bool,
    /// One character: "," ";" "\t" or "|".
    pub delimiter: String,
    /// A chrono strftime format, e.g. "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y".
    pub date_format: String,
    /// E.g. "%I:%M %p", "%H:%M". Start and end may also carry the date:
    /// they are then read as `date_format + " " + time_format`.
    pub time_format: String,
    /// How Hours and Break are written.
    pub duration_format: CsvDuration,
    /// An IANA zone the times are in; `None` is the company's time zone
    /// (the payroll settings).
    pub time_zone: Option<String>,
}

/// The first rows of a file and the layout guessed for it, for the admin to
/// confirm or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CsvPreview {
    /// The file read (a folder's first export file).
    pub file: String,
    /// The header row, or "Column 1", "Column 2", … in a file without one.
    pub headers: Vec<String>,
    /// The first 10 data rows, as written.
    pub rows: Vec<Vec<String>>,
    /// The data rows in the whole file.
    pub row_count: usize,
    pub guess: CsvLayout,
    /// Required fields the guess could not find, in the admin's words.
    pub missing: Vec<String>,
    /// Rows among the first ones that do not read with the guess:
    /// "line 4, column “Date”: …".
    pub problems: Vec<String>,
}

/// The delimiters a layout may name.
pub const DELIMITERS: [&str; 4] = [",", ";", "\t", "|"];

const MAX_NAME: usize = 60;

impl CsvLayout {
    /// The column holding `field`, by position in the file.
    pub fn column_of(&self, field: CsvField) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(field))
    }

    /// The delimiter as a byte, if it is one the layout may name.
    pub fn delimiter_byte(&self) -> Option<u8> {
        DELIMITERS
            .contains(&self.delimiter.as_str())
            .then(|| self.delimiter.as_bytes()[0])
    }

    /// The required fields this layout does not map, in the admin's words:
    /// an employee (name or number), a date (or a start carrying its date),
    /// and hours (or a start and an end).
    pub fn missing(&self) -> Vec<String> {
        let has = |field| self.column_of(field).is_some();
        let mut missing = Vec::new();
        if !has(CsvField::Employee) && !has(CsvField::EmployeeNumber) {
            missing.push("the employee (a name or an employee number)".to_owned());
        }
        if !has(CsvField::Date) && !has(CsvField::Start) {
            missing.push("the date (or a start time with its date)".to_owned());
        }
        let hours_from_times = has(CsvField::Start) && has(CsvField::End);
        if !has(CsvField::Hours) && !hours_from_times {
            missing.push("the hours (or a start and an end time)".to_owned());
        }
        missing
    }

    /// Checks the layout, reporting every bad field.
    pub fn check(&self) -> Result<()> {
        let mut checks = Checks::default();
        checks.required("name", "a name for the layout", &self.name, MAX_NAME);
        if self.delimiter_byte().is_none() {
            checks.problem(
                "delimiter",
                "Choose the character between columns: a comma, a semicolon, a tab or |.",
            );
        }
        if let Some(problem) = format_problem(&self.date_format, "date") {
            checks.problem("date_format", problem);
        }
        if let Some(problem) = format_problem(&self.time_format, "time") {
            checks.problem("time_format", problem);
        }
        if let Some(zone) = &self.time_zone
            && zone.parse::<chrono_tz::Tz>().is_err()
        {
            checks.problem(
                "time_zone",
                format!("“{zone}” is not a time zone (expected one like America/Chicago)."),
            );
        }
        let mut problems = Vec::new();
        if self.columns.is_empty() {
            problems.push("The layout has no columns.".to_owned());
        }
        for field in CsvField::ALL {
            let holding: Vec<&str> = self
                .columns
                .iter()
                .filter(|c| c.field == Some(field))
                .map(|c| c.header.as_str())
                .collect();
            if holding.len() > 1 {
                problems.push(format!(
                    "{} is mapped to {} columns (“{}”): map it to one.",
                    field.label(),
                    holding.len(),
                    holding.join("”, “")
                ));
            }
        }
        let missing = self.missing();
        if !missing.is_empty() {
            problems.push(format!("Map {}.", missing.join(", ")));
        }
        if !problems.is_empty() {
            checks.problem("columns", problems.join(" "));
        }
        checks.finish()
    }
}

/// Why `format` is not a chrono format of a `what`, if it is not one.
fn format_problem(format: &str, what: &str) -> Option<String> {
    if format.trim().is_empty() {
        return Some(format!(
            "Enter how the {what} is written (a format like %m/%d/%Y or %I:%M %p)."
        ));
    }
    let bad = StrftimeItems::new(format).any(|item| matches!(item, Item::Error));
    let any_field =
        StrftimeItems::new(format).any(|item| matches!(item, Item::Numeric(..) | Item::Fixed(..)));
    (bad || !any_field).then(|| {
        format!(
            "“{format}” is not a {what} format: use chrono's % codes, like %m/%d/%Y or %I:%M %p."
        )
    })
}

fn from_json(name: &str, json: &str) -> Result<CsvLayout> {
    serde_json::from_str(json).map_err(|e| {
        Error::Internal(format!(
            "the saved CSV layout “{name}” could not be read ({e}); save it again"
        ))
    })
}

/// Every saved layout, by name.
pub fn list(conn: &Connection) -> Result<Vec<CsvLayout>> {
    let mut statement =
        conn.prepare_cached("SELECT name, layout FROM csv_layouts ORDER BY name COLLATE NOCASE")?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.iter()
        .map(|(name, json)| from_json(name, json))
        .collect()
}

/// The layout named `name` (in any case), if one is saved.
pub fn get(conn: &Connection, name: &str) -> Result<Option<CsvLayout>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT layout FROM csv_layouts WHERE name = ?1")?
        .query_row([name.trim()], |row| row.get(0))
        .optional()?;
    json.map(|json| from_json(name, &json)).transpose()
}

/// Checks and saves `layout`, replacing the one of the same name (in any
/// case), and logs it.
pub fn save(
    tx: &Transaction<'_>,
    layout: &CsvLayout,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    layout.check()?;
    let mut layout = layout.clone();
    layout.name = layout.name.trim().to_owned();
    let before = get(tx, &layout.name)?;
    let json = serde_json::to_string(&layout)
        .map_err(|e| Error::Internal(format!("the CSV layout could not be written: {e}")))?;
    // Deleted first, so that a rename of its case takes the new spelling.
    tx.execute("DELETE FROM csv_layouts WHERE name = ?1", [&layout.name])?;
    tx.execute(
        "INSERT INTO csv_layouts (name, layout, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)",
        params![layout.name, json, time::to_db(now), actor.updated_by()],
    )?;
    let summary = match before {
        Some(_) => format!("Changed the CSV layout {}", layout.name),
        None => format!("Saved the CSV layout {}", layout.name),
    };
    audit::record(
        tx,
        actor,
        AuditEvent::new(AuditAction::CsvLayoutSaved, summary)
            .target(format!("CSV layout “{}”", layout.name))
            .details(serde_json::json!({
                "from": before.map(|b| serde_json::to_value(b).unwrap_or_default()),
                "to": serde_json::to_value(&layout).unwrap_or_default(),
            })),
        now,
    )
}

/// Deletes the layout named `name`. Integrations that named it are refused
/// at their next sync until another layout is chosen.
pub fn delete(tx: &Transaction<'_>, name: &str, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    let Some(layout) = get(tx, name)? else {
        return Err(Error::NotFound(format!(
            "No CSV layout is called “{}”; `timebridge csv-layout list` shows them.",
            name.trim()
        )));
    };
    tx.execute("DELETE FROM csv_layouts WHERE name = ?1", [&layout.name])?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::CsvLayoutDeleted,
            format!("Deleted the CSV layout {}", layout.name),
        )
        .target(format!("CSV layout “{}”", layout.name)),
        now,
    )
}
