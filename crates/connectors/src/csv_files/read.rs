//! A file's rows read with a saved layout: its columns found (by header, or
//! by position in a file without one), then each row as a time entry: the
//! employee (by number, else by name), the day, the start and end placed in
//! the layout's time zone (an end before the start crosses midnight), the
//! hours (end − start − break, or the Hours column; both, and they must
//! agree within a minute), the job, task, pay ID and notes. Each bad value
//! is said by line and column, written the way the layout expects.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use timebridge_core::middleware::csv_layouts::{CsvField, CsvLayout};
use timebridge_core::records::time_entries::TimeSpan;

use super::guess::normalized;
use super::text::Line;
use super::values::{self, Clock};

/// The most a row's hours and its clock times may disagree by.
const TOLERANCE_SECONDS: i64 = 60;

/// A shift longer than this is a mistake in the file.
const LONGEST_SECONDS: i64 = 24 * 3600;

/// Where each field's column is in this file.
pub(super) struct Columns {
    index: [Option<usize>; CsvField::ALL.len()],
    headers: Vec<String>,
    width: usize,
    /// Where the data rows start in the file's records.
    pub first_row: usize,
}

impl Columns {
    /// The columns of `layout` in a file whose records are `lines`; `Err`
    /// says which of the layout's columns the file lacks.
    pub fn find(layout: &CsvLayout, lines: &[Line]) -> Result<Columns, String> {
        let mut index = [None; CsvField::ALL.len()];
        let slot = |field: CsvField| CsvField::ALL.iter().position(|f| *f == field);
        if !layout.has_header {
            let width = lines.first().map_or(layout.columns.len(), |(_, r)| r.len());
            if width != layout.columns.len() {
                return Err(format!(
                    "it has {width} columns where the layout has {}",
                    layout.columns.len()
                ));
            }
            for (i, column) in layout.columns.iter().enumerate() {
                if let Some(s) = column.field.and_then(slot) {
                    index[s] = Some(i);
                }
            }
            let headers = layout.columns.iter().map(|c| c.header.clone()).collect();
            return Ok(Columns {
                index,
                headers,
                width,
                first_row: 0,
            });
        }
        let header: Vec<String> = lines.first().map(|(_, r)| r.clone()).unwrap_or_default();
        let found: Vec<String> = header.iter().map(|h| normalized(h)).collect();
        let mut missing = Vec::new();
        for column in &layout.columns {
            let Some(s) = column.field.and_then(slot) else {
                continue;
            };
            match found.iter().position(|h| *h == normalized(&column.header)) {
                Some(i) => index[s] = Some(i),
                None => missing.push(format!("“{}”", column.header)),
            }
        }
        if !missing.is_empty() {
            return Err(format!(
                "its header has no {} column{}",
                missing.join(", "),
                if missing.len() == 1 { "" } else { "s" }
            ));
        }
        Ok(Columns {
            index,
            width: header.len(),
            headers: header,
            first_row: 1,
        })
    }

    fn of(&self, field: CsvField) -> Option<usize> {
        let slot = CsvField::ALL.iter().position(|f| *f == field)?;
        self.index[slot]
    }
}

/// One row, read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub name: Option<String>,
    pub number: Option<String>,
    pub date: NaiveDate,
    pub span: TimeSpan,
    /// The start as written in the file's zone, for the row's key.
    pub start: Option<NaiveDateTime>,
    pub job: Option<String>,
    pub task: Option<String>,
    pub pay_id: Option<String>,
    pub notes: String,
}

/// What a row is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    Entry(Box<Row>),
    /// Dated before the pull date: left out, not a problem.
    BeforePullDate(NaiveDate),
    /// No time (zero hours): left out, said.
    NoTime(NaiveDate),
}

/// A bad row: its date when that could be read, and each bad value.
pub(super) struct Refused {
    pub date: Option<NaiveDate>,
    pub problems: Vec<String>,
}

/// What reading rows needs besides the row.
pub(super) struct Reader<'a> {
    pub layout: &'a CsvLayout,
    pub columns: &'a Columns,
    pub zone: chrono_tz::Tz,
    pub pull_from: NaiveDate,
    /// The layout's date and time formats, parsed once.
    pub formats: values::Formats,
}

impl Reader<'_> {
    fn decimal_comma(&self) -> bool {
        self.layout.delimiter != ","
    }

    /// Reads one data row (`line` is where it starts in the file).
    pub fn row(&self, line: usize, row: &[String]) -> Result<Outcome, Refused> {
        let mut problems = Vec::new();
        let refuse = |problems: Vec<String>, date| Err(Refused { date, problems });
        if row.len() != self.columns.width {
            return refuse(
                vec![format!(
                    "line {line}: it has {} values where the header has {} (a value holding the \
                     delimiter must be in double quotes)",
                    row.len(),
                    self.columns.width
                )],
                None,
            );
        }
        let cell = |field| {
            self.columns
                .of(field)
                .map(|i| row[i].trim())
                .filter(|v| !v.is_empty())
        };
        let at = |field: CsvField, why: String| {
            let header = self
                .columns
                .of(field)
                .map_or(field.label(), |i| self.columns.headers[i].as_str());
            format!("line {line}, column “{header}”: {why}")
        };
        let text = |field| cell(field).map(str::to_owned);
        let (name, number) = (text(CsvField::Employee), text(CsvField::EmployeeNumber));
        if name.is_none() && number.is_none() {
            let field = match self.columns.of(CsvField::EmployeeNumber) {
                Some(_) if self.columns.of(CsvField::Employee).is_none() => {
                    CsvField::EmployeeNumber
                }
                _ => CsvField::Employee,
            };
            problems.push(at(field, "it names no employee".into()));
        }
        let mut date = None;
        if let Some(value) = cell(CsvField::Date) {
            date = self.formats.date(value);
            if date.is_none() {
                problems.push(at(
                    CsvField::Date,
                    format!(
                        "“{value}” is not a date written like {}",
                        values::date_example(self.layout)
                    ),
                ));
            }
        }
        let clock = |field: CsvField, problems: &mut Vec<String>| {
            let value = cell(field)?;
            let read = self.formats.clock(value);
            if read.is_none() {
                problems.push(at(
                    field,
                    format!(
                        "“{value}” is not a time written like {} (or {} {})",
                        values::time_example(self.layout),
                        values::date_example(self.layout),
                        values::time_example(self.layout)
                    ),
                ));
            }
            read
        };
        let (start, end) = (
            clock(CsvField::Start, &mut problems),
            clock(CsvField::End, &mut problems),
        );
        if let (None, Some(Clock::Dated(at))) = (date, start) {
            date = Some(at.date());
        }
        let duration = |field: CsvField, problems: &mut Vec<String>| {
            let value = cell(field)?;
            let read = values::duration(value, self.layout.duration_format, self.decimal_comma());
            if read.is_none() {
                problems.push(at(
                    field,
                    format!(
                        "“{value}” is not a duration written like {}",
                        values::duration_example(self.layout.duration_format, self.decimal_comma())
                    ),
                ));
            }
            read
        };
        let hours = duration(CsvField::Hours, &mut problems);
        let break_seconds = duration(CsvField::Break, &mut problems).unwrap_or(0);
        let Some(day) = date else {
            if problems.is_empty() {
                problems.push(at(CsvField::Date, "it has no date".into()));
            }
            return refuse(problems, None);
        };
        if !problems.is_empty() {
            return refuse(problems, Some(day));
        }
        if day < self.pull_from {
            return Ok(Outcome::BeforePullDate(day));
        }
        let local = |clock: Clock| match clock {
            Clock::Time(time) => day.and_time(time),
            Clock::Dated(at) => at,
        };
        let span = match (start, end) {
            (Some(start), Some(end)) => {
                let (start_at, mut end_at) = (local(start), local(end));
                if end_at <= start_at && matches!(end, Clock::Time(_)) {
                    end_at += Duration::days(1); // worked past midnight
                }
                match self.clocked(start_at, end_at, break_seconds, hours) {
                    Ok(span) => span,
                    Err((field, why)) => return refuse(vec![at(field, why)], Some(day)),
                }
            }
            (Some(_), None) | (None, Some(_)) | (None, None) => match hours {
                Some(seconds) if seconds > break_seconds || break_seconds == 0 => {
                    TimeSpan::Manual {
                        date: day,
                        duration_seconds: seconds,
                    }
                }
                Some(_) => {
                    return refuse(
                        vec![at(
                            CsvField::Break,
                            "its break is not shorter than its hours".into(),
                        )],
                        Some(day),
                    );
                }
                None => {
                    let field = if start.is_some() {
                        CsvField::End
                    } else {
                        CsvField::Hours
                    };
                    return refuse(
                        vec![at(field, "it has no end time and no hours".into())],
                        Some(day),
                    );
                }
            },
        };
        if span.duration_seconds() == Some(0) {
            return Ok(Outcome::NoTime(day));
        }
        Ok(Outcome::Entry(Box::new(Row {
            name,
            number,
            date: day,
            span,
            start: start.map(local),
            job: text(CsvField::Job),
            task: text(CsvField::Task),
            pay_id: text(CsvField::PayId),
            notes: text(CsvField::Notes).unwrap_or_default(),
        })))
    }

    /// A start and end in the zone, less the break, checked against the
    /// Hours column; `Err` is the column at fault and why.
    fn clocked(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        break_seconds: i64,
        hours: Option<i64>,
    ) -> Result<TimeSpan, (CsvField, String)> {
        let place =
            |at: NaiveDateTime, field| -> Result<DateTime<FixedOffset>, (CsvField, String)> {
                self.zone
                    .from_local_datetime(&at)
                    .earliest()
                    .map(|t| t.fixed_offset())
                    .ok_or_else(|| {
                        (
                            field,
                            format!(
                                "{} does not exist in {} (the clocks skipped that hour)",
                                at.format("%Y-%m-%d %H:%M"),
                                self.zone
                            ),
                        )
                    })
            };
        let (start_at, end_at) = (place(start, CsvField::Start)?, place(end, CsvField::End)?);
        let length = (end_at - start_at).num_seconds();
        if length <= 0 {
            return Err((CsvField::End, "it ends before it starts".into()));
        }
        if length > LONGEST_SECONDS {
            return Err((
                CsvField::End,
                format!("its shift is {} hours long, more than a day", length / 3600),
            ));
        }
        if break_seconds >= length {
            return Err((
                CsvField::Break,
                "its break is not shorter than its shift".into(),
            ));
        }
        let worked = length - break_seconds;
        if let Some(hours) = hours
            && (hours - worked).abs() > TOLERANCE_SECONDS
        {
            return Err((
                CsvField::Hours,
                format!(
                    "its hours ({:.2}) are not its start to end less its break ({:.2})",
                    hours as f64 / 3600.0,
                    worked as f64 / 3600.0
                ),
            ));
        }
        Ok(if break_seconds > 0 {
            TimeSpan::Manual {
                date: start.date(),
                duration_seconds: worked,
            }
        } else {
            TimeSpan::Clock {
                start: start_at,
                end: Some(end_at),
            }
        })
    }
}
