//! Guessing a layout from a file's first rows: whether the first line is a
//! header, each column's field from its header (the words tracker exports
//! use, `docs/contracts/csv-files.md` lists them) or, in a file without a
//! header, from its values; then the date, time and duration formats the
//! values are written in. Nothing here reads a row for good: the admin
//! confirms the guess.

use timebridge_core::middleware::csv_layouts::{CsvColumn, CsvDuration, CsvField, CsvLayout};

use super::text::Line;
use super::values::{self, Clock};

/// How many data rows a guess looks at.
const SAMPLE: usize = 200;

/// The date formats tried, the US month-first one before day-first.
const DATE_FORMATS: [&str; 10] = [
    "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m-%d-%Y", "%d-%m-%Y", "%Y/%m/%d", "%m/%d/%y",
    "%d/%m/%y", "%d.%m.%y",
];

/// The time formats tried.
const TIME_FORMATS: [&str; 5] = ["%I:%M %p", "%I:%M:%S %p", "%I:%M%p", "%H:%M", "%H:%M:%S"];

/// Each field and the headers tracker exports name it with, normalized
/// (lower case, words split on anything but letters, digits, `#` and `:`).
const HEADERS: [(CsvField, &[&str]); 11] = [
    (
        CsvField::Employee,
        &[
            "employee", "worker", "name", "employee name", "full name", "user", "user name",
            "staff", "staff name", "member", "team member", "person", "technician", "worker name",
        ],
    ),
    (
        CsvField::EmployeeNumber,
        &[
            "emp #", "emp#", "emp id", "emp no", "employee #", "employee id", "employee number",
            "employee no", "payroll id", "badge", "badge #", "worker id", "user id", "staff id",
            "employee code",
        ],
    ),
    (
        CsvField::Date,
        &["date", "work date", "day", "shift date", "entry date", "date worked", "job date"],
    ),
    (
        CsvField::Start,
        &[
            "clock in", "start time", "in", "start", "time in", "punch in", "started", "clock in time",
            "start date", "started at", "clocked in",
        ],
    ),
    (
        CsvField::End,
        &[
            "clock out", "end", "out", "end time", "time out", "punch out", "ended", "stop",
            "clock out time", "end date", "ended at", "clocked out",
        ],
    ),
    (
        CsvField::Hours,
        &[
            "hours", "total hours", "duration", "regular", "regular hours", "reg hours", "total",
            "hours worked", "total time", "paid hours", "time", "minutes", "total minutes",
            "duration minutes", "worked",
        ],
    ),
    (
        CsvField::Break,
        &[
            "break", "lunch", "break time", "unpaid break", "break minutes", "lunch break",
            "breaks", "meal", "break hours", "meal break",
        ],
    ),
    (
        CsvField::Job,
        &[
            "job", "project", "job name", "customer:job", "customer job", "project name", "job #",
            "job number", "job code", "project #", "project code", "site",
        ],
    ),
    (
        CsvField::Task,
        &[
            "task", "cost code", "activity", "service item", "task name", "phase", "work type",
            "service", "item", "task code", "phase code",
        ],
    ),
    (
        CsvField::PayId,
        &[
            "pay item", "pay type", "earning code", "earnings code", "pay code", "payroll item",
            "wage type", "pay id", "earning type",
        ],
    ),
    (
        CsvField::Notes,
        &["notes", "comments", "description", "note", "comment", "memo", "remarks", "details"],
    ),
];

/// A header as compared: its parenthesized part dropped, lower case,
/// words split on anything but letters, digits, `#` and `:`.
pub(super) fn normalized(header: &str) -> String {
    let without = match (header.find('('), header.rfind(')')) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &header[..a], &header[b + 1..]),
        _ => header.to_owned(),
    };
    without
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '#' || c == ':'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header names, if it is one of the known words.
pub(super) fn field_of_header(header: &str) -> Option<CsvField> {
    let header = normalized(header);
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&header.as_str()))
        .map(|(field, _)| *field)
}

/// What a column's values look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Date,
    DateTime,
    Time,
    Duration,
    Integer,
    Decimal,
    Text,
    Empty,
}

fn shape(values: &[&str]) -> Shape {
    let values: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return Shape::Empty;
    }
    let all = |f: &dyn Fn(&str) -> bool| values.iter().all(|v| f(v));
    let is_date = |v: &str| DATE_FORMATS.iter().any(|f| values::date(v, f).is_some());
    let is_time = |v: &str| TIME_FORMATS.iter().any(|f| values::clock(v, "%Y", f).is_some());
    let is_dated = |v: &str| {
        v.split_once(' ')
            .is_some_and(|(d, t)| is_date(d) && is_time(t.trim()))
    };
    let is_integer = |v: &str| v.bytes().all(|b| b.is_ascii_digit());
    let is_decimal = |v: &str| v.replace(',', ".").parse::<f64>().is_ok_and(|n| n >= 0.0);
    if all(&is_date) {
        Shape::Date
    } else if all(&is_dated) {
        Shape::DateTime
    } else if all(&|v| values::duration(v, CsvDuration::HoursMinutes, false).is_some())
        && !values.iter().any(|v| v.to_ascii_uppercase().ends_with('M'))
        && values
            .iter()
            .any(|v| v.split(':').next().is_some_and(|h| h.len() == 1))
    {
        Shape::Duration
    } else if all(&is_time) {
        Shape::Time
    } else if all(&is_integer) {
        Shape::Integer
    } else if all(&is_decimal) {
        Shape::Decimal
    } else {
        Shape::Text
    }
}

/// Whether the first line names the columns: one of its cells is a known
/// header, or none of them is a date, time or number where the next
/// line's are.
fn has_header(first: &[String], second: Option<&[String]>) -> bool {
    if first.iter().any(|h| field_of_header(h).is_some()) {
        return true;
    }
    let typed = |row: &[String]| {
        row.iter()
            .filter(|v| !matches!(shape(&[v.as_str()]), Shape::Text | Shape::Empty))
            .count()
    };
    second.is_some_and(|second| typed(first) == 0 && typed(second) > 0)
}

/// The fields of a file without a header, from each column's values:
/// dates, then start and end times, then durations (hours, then break),
/// then text (employee, job, task, notes) and whole numbers (an employee
/// number) in the order they come.
fn fields_from_values(columns: &[Vec<&str>]) -> Vec<Option<CsvField>> {
    let mut taken: Vec<CsvField> = Vec::new();
    let mut take = |wanted: &[CsvField]| {
        let field = wanted.iter().copied().find(|f| !taken.contains(f));
        taken.extend(field);
        field
    };
    let shapes: Vec<Shape> = columns.iter().map(|values| shape(values)).collect();
    let mut fields: Vec<Option<CsvField>> = shapes
        .iter()
        .map(|shape| match shape {
            Shape::Date => take(&[CsvField::Date]),
            Shape::DateTime | Shape::Time => take(&[CsvField::Start, CsvField::End]),
            // 7:30 is a time of day or a duration: a start and an end first.
            Shape::Duration => take(&[
                CsvField::Start,
                CsvField::End,
                CsvField::Hours,
                CsvField::Break,
            ]),
            Shape::Decimal => take(&[CsvField::Hours, CsvField::Break]),
            Shape::Integer => take(&[CsvField::EmployeeNumber, CsvField::Break]),
            Shape::Text => take(&[
                CsvField::Employee,
                CsvField::Job,
                CsvField::Task,
                CsvField::Notes,
            ]),
            Shape::Empty => None,
        })
        .collect();
    // A lone "start" of durations with no end is the hours.
    let has = |fields: &[Option<CsvField>], f| fields.contains(&Some(f));
    if !has(&fields, CsvField::End) && !has(&fields, CsvField::Hours) {
        for (field, shape) in fields.iter_mut().zip(&shapes) {
            if *field == Some(CsvField::Start) && *shape == Shape::Duration {
                *field = Some(CsvField::Hours);
            }
        }
    }
    fields
}

/// The values of a column of the data rows (empty where a row is short).
fn column<'a>(rows: &'a [Line], index: usize) -> Vec<&'a str> {
    rows.iter()
        .map(|(_, row)| row.get(index).map_or("", String::as_str))
        .filter(|v| !v.is_empty())
        .collect()
}

/// What a guess found, with what it could not settle.
pub(super) struct Guess {
    pub layout: CsvLayout,
    /// The header row, or "Column 1", … without one.
    pub headers: Vec<String>,
    /// Where the data rows start in the records.
    pub first_row: usize,
    /// What the admin should check (a date order still ambiguous).
    pub notes: Vec<String>,
}

/// The date format all `dates` read with, the US one when it and the
/// day-first one both do; a note when they both do and a date says
/// different things in each.
fn date_format(dates: &[&str], header: &str) -> (String, Option<String>) {
    let reading: Vec<&str> = DATE_FORMATS
        .into_iter()
        .filter(|f| dates.iter().all(|d| values::date(d, f).is_some()))
        .collect();
    let Some(first) = reading.first() else {
        return ("%m/%d/%Y".into(), None);
    };
    let swapped = first.replace("%m", "%M").replace("%d", "%m").replace("%M", "%d");
    let ambiguous = reading.contains(&swapped.as_str())
        && dates.iter().any(|d| values::date(d, first) != values::date(d, &swapped));
    let note = ambiguous.then(|| {
        format!(
            "The dates in “{header}” read both month first and day first (no day after the 12th, \
             e.g. “{}”): they are read month first ({first}). If they are day first, change the \
             date format to {swapped}.",
            dates.first().copied().unwrap_or_default()
        )
    });
    (first.to_string(), note)
}

/// The time format all `times` read with (each may carry a date).
fn time_format(times: &[&str]) -> String {
    let time_part = |t: &str| -> String {
        match t.split_once(' ') {
            Some((d, rest)) if DATE_FORMATS.iter().any(|f| values::date(d, f).is_some()) => {
                rest.trim().to_owned()
            }
            _ => t.to_owned(),
        }
    };
    let parts: Vec<String> = times.iter().map(|t| time_part(t)).collect();
    TIME_FORMATS
        .into_iter()
        .find(|f| {
            parts
                .iter()
                .all(|t| matches!(values::clock(t, "%Y", f), Some(Clock::Time(_))))
        })
        .unwrap_or(if parts.is_empty() { "%H:%M" } else { "%I:%M %p" })
        .to_owned()
}

/// How `durations` are written: hours and minutes when one has a colon,
/// minutes when the header says so or a whole number passes a day's hours,
/// else decimal hours.
fn duration_format(durations: &[&str], header: &str) -> CsvDuration {
    if durations.iter().any(|d| d.contains(':')) {
        CsvDuration::HoursMinutes
    } else if header.to_lowercase().contains("min")
        || (durations.iter().all(|d| d.bytes().all(|b| b.is_ascii_digit()))
            && durations.iter().any(|d| d.parse::<u32>().is_ok_and(|n| n > 24)))
    {
        CsvDuration::Minutes
    } else {
        CsvDuration::DecimalHours
    }
}

/// Guesses the layout of `lines` (a file's records), named `name`.
pub(super) fn guess(name: &str, lines: &[Line], delimiter: u8) -> Guess {
    let width = lines.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let header = lines
        .first()
        .is_some_and(|(_, first)| has_header(first, lines.get(1).map(|(_, r)| r.as_slice())));
    let first_row = usize::from(header);
    let rows = &lines[first_row.min(lines.len())..];
    let rows = &rows[..rows.len().min(SAMPLE)];
    let headers: Vec<String> = (0..width)
        .map(|i| match (header, lines.first()) {
            (true, Some((_, first))) => first.get(i).cloned().unwrap_or_default(),
            _ => format!("Column {}", i + 1),
        })
        .collect();
    let fields: Vec<Option<CsvField>> = if header {
        let mut seen = Vec::new();
        headers
            .iter()
            .map(|h| {
                field_of_header(h)
                    .filter(|f| !seen.contains(f))
                    .inspect(|f| seen.push(*f))
            })
            .collect()
    } else {
        let columns: Vec<Vec<&str>> = (0..width).map(|i| column(rows, i)).collect();
        fields_from_values(&columns)
    };
    let of = |field| fields.iter().position(|f| *f == Some(field));
    let mut notes = Vec::new();
    let times: Vec<&str> = [CsvField::Start, CsvField::End]
        .into_iter()
        .filter_map(of)
        .flat_map(|i| column(rows, i))
        .collect();
    let dates: Vec<&str> = match of(CsvField::Date) {
        Some(i) => column(rows, i),
        None => times
            .iter()
            .filter_map(|t| t.split_once(' ').map(|(d, _)| d))
            .collect(),
    };
    let date_header = of(CsvField::Date)
        .or(of(CsvField::Start))
        .map_or("", |i| headers[i].as_str());
    let (date_format, note) = date_format(&dates, date_header);
    notes.extend(note);
    let (durations, duration_header) = match of(CsvField::Hours).or(of(CsvField::Break)) {
        Some(i) => (column(rows, i), headers[i].as_str()),
        None => (Vec::new(), ""),
    };
    let layout = CsvLayout {
        name: name.to_owned(),
        columns: headers
            .iter()
            .zip(&fields)
            .map(|(header, field)| CsvColumn {
                header: header.clone(),
                field: *field,
            })
            .collect(),
        has_header: header,
        delimiter: char::from(delimiter).to_string(),
        date_format,
        time_format: time_format(&times),
        duration_format: duration_format(&durations, duration_header),
        time_zone: None,
    };
    Guess {
        layout,
        headers,
        first_row,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &[&[&str]]) -> Vec<Line> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i + 1, r.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    #[test]
    fn headers_are_known_in_the_words_trackers_use() {
        assert_eq!(field_of_header("Emp #"), Some(CsvField::EmployeeNumber));
        assert_eq!(field_of_header("Customer:Job"), Some(CsvField::Job));
        assert_eq!(field_of_header(" Total Hours (h) "), Some(CsvField::Hours));
        assert_eq!(field_of_header("Earning Code"), Some(CsvField::PayId));
        assert_eq!(field_of_header("Approved"), None, "not every column is read");
    }

    #[test]
    fn a_day_after_the_12th_settles_the_date_order() {
        let file = lines(&[&["Name", "Date", "Hours"], &["Ana", "03/04/2026", "8"], &[
            "Ana",
            "13/04/2026",
            "8",
        ]]);
        let guess = guess("t", &file, b',');
        assert_eq!(guess.layout.date_format, "%d/%m/%Y", "13 is a day");
        assert!(guess.notes.is_empty(), "nothing is left ambiguous");
    }

    #[test]
    fn dates_that_read_either_way_are_month_first_and_said() {
        let file = lines(&[&["Name", "Date", "Hours"], &["Ana", "03/04/2026", "8"]]);
        let guess = guess("t", &file, b',');
        assert_eq!(guess.layout.date_format, "%m/%d/%Y", "US month first");
        assert_eq!(guess.notes.len(), 1, "the admin is told to check it");
    }

    #[test]
    fn a_file_without_a_header_is_guessed_from_its_values() {
        let file = lines(&[
            &["Ana Ortiz", "2026-06-08", "7:00 AM", "3:30 PM", "Maple Court"],
            &["Ben Nguyen", "2026-06-09", "10:00 PM", "6:00 AM", "Cedar Ridge"],
        ]);
        let guess = guess("t", &file, b',');
        let fields: Vec<_> = guess.layout.columns.iter().map(|c| c.field).collect();
        assert!(!guess.layout.has_header, "the first line holds a date");
        assert_eq!(
            fields,
            [
                Some(CsvField::Employee),
                Some(CsvField::Date),
                Some(CsvField::Start),
                Some(CsvField::End),
                Some(CsvField::Job)
            ],
            "text, a date, two times, text"
        );
        assert_eq!(
            (guess.layout.date_format.as_str(), guess.layout.time_format.as_str()),
            ("%Y-%m-%d", "%I:%M %p")
        );
    }

    #[test]
    fn durations_with_a_colon_are_hours_and_minutes() {
        assert_eq!(duration_format(&["7:30", "8"], "Hours"), CsvDuration::HoursMinutes);
        assert_eq!(duration_format(&["450"], "Duration"), CsvDuration::Minutes);
        assert_eq!(duration_format(&["30"], "Break (min)"), CsvDuration::Minutes);
        assert_eq!(duration_format(&["7.5"], "Hours"), CsvDuration::DecimalHours);
    }
}
