//! One row of an export as a shift (`CSK-ROW-*`): who, when, for how long
//! and on what, each value checked against the contract, with the clock
//! times placed in the company's payroll time zone. A row that breaks a
//! rule answers what is wrong and what to do; a shift still running and
//! unpaid time off are left out and said so.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use timebridge_core::records::time_entries::TimeSpan;

use super::columns::{Column, Layout};
use super::values::{
    ClockValue, is_nonzero_amount, parse_clock, parse_date, parse_hours, parse_minutes,
    show_length, show_local,
};

/// What to do about most rows refused.
pub(super) const FIX: &str =
    "Correct it in ClockShark and export the timesheets again, or fix the row in the file.";

const DAY: i64 = 24 * 3600;

/// Where the rows' clock times are and which days are read.
#[derive(Debug, Clone, Copy)]
pub(super) struct Context {
    pub zone: chrono_tz::Tz,
    pub pull_from: NaiveDate,
}

/// A shift read from a row.
#[derive(Debug)]
pub(super) struct Shift {
    pub name: String,
    pub first: String,
    pub last: String,
    pub employee_id: Option<String>,
    pub email: Option<String>,
    pub customer: Option<String>,
    pub job: Option<String>,
    pub job_number: Option<String>,
    pub task: Option<String>,
    pub task_code: Option<String>,
    pub notes: String,
    pub timesheet_id: Option<String>,
    pub span: TimeSpan,
    /// When it started, for its key: the clock-in instant, or the date and
    /// the hours.
    pub when: String,
    pub work_date: NaiveDate,
    pub time_off: bool,
    /// The shift in the admin's words: "Ana Ortiz, 06/12/2026 7:00 AM".
    pub described: String,
}

/// What a row is.
#[derive(Debug)]
pub(super) enum Outcome {
    Shift(Box<Shift>),
    /// Not read, for the reason given (reported, counted as skipped).
    LeftOut(String),
    /// Dated before the pull date, this day: not read, only counted.
    BeforePullDate(NaiveDate),
}

/// A clock cell on its day.
#[derive(Debug, Clone, Copy)]
struct Moment {
    local: NaiveDateTime,
    /// The cell (or the End Date) gave its own date.
    dated: bool,
    fixed: Option<DateTime<FixedOffset>>,
}

impl Moment {
    /// `value` on `day` when it is a time alone; `None` without a day.
    fn of(value: ClockValue, day: Option<NaiveDate>, day_given: bool) -> Option<Moment> {
        Some(match value {
            ClockValue::Time(time) => Moment {
                local: day?.and_time(time),
                dated: day_given,
                fixed: None,
            },
            ClockValue::Local(local) => Moment {
                local,
                dated: true,
                fixed: None,
            },
            ClockValue::Fixed(fixed) => Moment {
                local: fixed.naive_local(),
                dated: true,
                fixed: Some(fixed),
            },
        })
    }

    /// The instant, in `zone` when the cell had no offset.
    fn place(self, zone: chrono_tz::Tz, what: &str) -> Result<DateTime<FixedOffset>, String> {
        if let Some(fixed) = self.fixed {
            return Ok(fixed);
        }
        zone.from_local_datetime(&self.local)
            .earliest()
            .map(|t| t.fixed_offset())
            .ok_or_else(|| {
                format!(
                    "its {what} {} does not exist in {zone} (the clocks skipped that hour). {FIX}",
                    show_local(self.local)
                )
            })
    }
}

/// The row's value in `c` read by `parse`, refused as `what` when it
/// cannot be read.
fn cell<T>(
    layout: &Layout,
    row: &[String],
    c: Column,
    parse: impl Fn(&str) -> Option<T>,
    refused: impl Fn(&str) -> String,
) -> Result<Option<T>, String> {
    layout
        .get(row, c)
        .map(|text| parse(text).ok_or_else(|| format!("{}. {FIX}", refused(text))))
        .transpose()
}

/// The employee's name, and its first and last parts.
pub(super) fn names(layout: &Layout, row: &[String]) -> (String, String, String) {
    let get = |c| layout.get(row, c);
    let joined = get(Column::Employee).map_or_else(
        || {
            format!(
                "{} {}",
                get(Column::FirstName).unwrap_or_default(),
                get(Column::LastName).unwrap_or_default()
            )
            .trim()
            .to_owned()
        },
        str::to_owned,
    );
    let name = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    let (first, last) = match (get(Column::FirstName), get(Column::LastName)) {
        (Some(f), Some(l)) => (f.to_owned(), l.to_owned()),
        _ => match name.rsplit_once(' ') {
            Some((f, l)) => (f.to_owned(), l.to_owned()),
            None => (name.clone(), String::new()),
        },
    };
    (name, first, last)
}

/// The time of a row: its span, its key, its day and how it is described.
struct When {
    span: TimeSpan,
    key: String,
    day: NaiveDate,
    described: String,
}

/// The time of a row with both clock times.
fn clocked(
    start: Moment,
    mut end: Moment,
    (break_seconds, hours): (i64, Option<i64>),
    zone: chrono_tz::Tz,
) -> Result<When, String> {
    if !end.dated && end.local <= start.local {
        if end.local == start.local {
            return Err(format!(
                "it clocks out when it clocks in ({}). {FIX}",
                show_local(start.local)
            ));
        }
        end.local += Duration::days(1); // clocked out after midnight
    }
    let (start_at, end_at) = (
        start.place(zone, "clock-in")?,
        end.place(zone, "clock-out")?,
    );
    if end_at <= start_at {
        let how = if end_at == start_at { "when" } else { "before" };
        return Err(format!(
            "it clocks out ({}) {how} it clocks in ({}). {FIX}",
            show_local(end.local),
            show_local(start.local)
        ));
    }
    let length = (end_at - start_at).num_seconds();
    if length > DAY {
        return Err(format!(
            "its shift is {} hours long; ClockShark ends a shift after at most a day. Correct its \
             clock times in ClockShark and export again.",
            show_length(length)
        ));
    }
    if break_seconds >= length {
        return Err(format!(
            "its break ({} minutes) is not shorter than its shift ({}). {FIX}",
            break_seconds / 60,
            show_length(length)
        ));
    }
    let paid = length - break_seconds;
    if let Some(hours) = hours
        && (hours - paid).abs() > 60
        && (hours - length).abs() > 60
    {
        return Err(format!(
            "its Hours ({:.2}) are not its clock times ({}{}). Correct the row in ClockShark and \
             export again; if ClockShark rounds the hours, remove the Hours column to pay the \
             clock times.",
            hours as f64 / 3600.0,
            show_length(length),
            if break_seconds > 0 {
                format!(", {} less its break", show_length(paid))
            } else {
                String::new()
            }
        ));
    }
    let day = start.local.date();
    let span = if break_seconds > 0 {
        TimeSpan::Manual {
            date: day,
            duration_seconds: paid,
        }
    } else {
        TimeSpan::Clock {
            start: start_at,
            end: Some(end_at),
        }
    };
    Ok(When {
        span,
        key: start_at.to_rfc3339(),
        day,
        described: show_local(start.local),
    })
}

/// Hours on a day.
fn manual(day: NaiveDate, seconds: i64) -> When {
    When {
        span: TimeSpan::Manual {
            date: day,
            duration_seconds: seconds,
        },
        key: format!("{day}+{seconds}"),
        day,
        described: format!("{}, {} hours", day.format("%m/%d/%Y"), show_length(seconds)),
    }
}

/// Reads one row; `Err` says what is wrong and what to do.
pub(super) fn read(layout: &Layout, row: &[String], context: Context) -> Result<Outcome, String> {
    let get = |c| layout.get(row, c).map(str::to_owned);
    let (name, first, last) = names(layout, row);
    if name.is_empty() {
        return Err(
            "it names no employee. Fill in the employee, or export the timesheets again from ClockShark."
                .into(),
        );
    }
    let amount = |c, what: &'static str| {
        cell(layout, row, c, is_nonzero_amount, |t| {
            format!("its {what} “{t}” is not a number")
        })
        .map(|v| v.unwrap_or(false))
    };
    let (unpaid, time_off) = (
        amount(Column::UnpaidTimeOff, "unpaid time off")?,
        amount(Column::TimeOff, "time off")?,
    );
    let date = cell(layout, row, Column::Date, parse_date, |t| {
        format!("its date “{t}” is not a date (month/day/year, e.g. 06/12/2026)")
    })?;
    let end_date = cell(layout, row, Column::EndDate, parse_date, |t| {
        format!("its end date “{t}” is not a date (month/day/year, e.g. 06/12/2026)")
    })?;
    let clock = |c, what: &'static str| {
        cell(layout, row, c, parse_clock, |t| {
            format!("its {what} “{t}” is not a time (e.g. 7:00 AM, 19:00, or 06/12/2026 7:00 AM)")
        })
    };
    let (clock_in, clock_out) = (
        clock(Column::ClockIn, "clock-in")?,
        clock(Column::ClockOut, "clock-out")?,
    );
    if unpaid {
        let day = date.or(clock_in.and_then(|c| Some(Moment::of(c, None, false)?.local.date())));
        return Ok(match day {
            Some(day) if day < context.pull_from => Outcome::BeforePullDate(day),
            _ => Outcome::LeftOut("it is unpaid time off, which is not paid; left out.".into()),
        });
    }
    let hours = cell(layout, row, Column::Hours, parse_hours, |t| {
        format!("its hours “{t}” are not a number of hours (e.g. 8.5 or 8:30)")
    })?;
    if let Some(hours) = hours.filter(|h| *h > DAY) {
        return Err(format!(
            "its hours ({}) are more than a day; ClockShark ends a shift after at most a day. {FIX}",
            show_length(hours)
        ));
    }
    let break_seconds = cell(layout, row, Column::Break, parse_minutes, |t| {
        format!("its break “{t}” is not a number of minutes (e.g. 30 or 0:30)")
    })?
    .unwrap_or(0);
    let no_day = |what: &str| format!("its {what} has no date, and the row has no Date. {FIX}");
    let start = clock_in
        .map(|c| Moment::of(c, date, date.is_some()).ok_or_else(|| no_day("clock-in")))
        .transpose()?;
    if let (Some(start), Some(date)) = (start, date)
        && start.dated
        && start.local.date() != date
    {
        return Err(format!(
            "its date ({}) is not the day it clocks in ({}). {FIX}",
            date.format("%m/%d/%Y"),
            start.local.date().format("%m/%d/%Y")
        ));
    }
    let end_day = end_date.or(start.map(|s| s.local.date())).or(date);
    let end = clock_out
        .map(|c| Moment::of(c, end_day, end_date.is_some()).ok_or_else(|| no_day("clock-out")))
        .transpose()?;
    let when = match (start, end, hours) {
        (Some(start), Some(end), _) => clocked(start, end, (break_seconds, hours), context.zone)?,
        (Some(start), None, None) => {
            return Ok(if start.local.date() < context.pull_from {
                Outcome::BeforePullDate(start.local.date())
            } else {
                Outcome::LeftOut(format!(
                    "{name} is still clocked in (since {}); it is left out until the shift ends \
                     and is exported again.",
                    show_local(start.local)
                ))
            });
        }
        (None, Some(_), None) => {
            return Err(format!("it clocks out but never clocks in. {FIX}"));
        }
        (None, None, None) => return Err(format!("it has no clock times and no hours. {FIX}")),
        (start, end, Some(hours)) => {
            let day = date
                .or(start.map(|s| s.local.date()))
                .or(end.map(|e| e.local.date()))
                .ok_or_else(|| format!("it has hours but no date. {FIX}"))?;
            manual(day, hours)
        }
    };
    if when.day < context.pull_from {
        return Ok(Outcome::BeforePullDate(when.day));
    }
    Ok(Outcome::Shift(Box::new(Shift {
        described: format!("{name}, {}", when.described),
        name,
        first,
        last,
        employee_id: get(Column::EmployeeId),
        email: get(Column::Email),
        customer: get(Column::Customer),
        job: get(Column::Job),
        job_number: get(Column::JobNumber),
        task: get(Column::Task),
        task_code: get(Column::TaskCode),
        notes: get(Column::Notes).unwrap_or_default(),
        timesheet_id: get(Column::Id),
        span: when.span,
        when: when.key,
        work_date: when.day,
        time_off,
    })))
}
