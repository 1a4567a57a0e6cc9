//! A cell's value read as a layout says it is written: a date with its
//! chrono format, a time with its format (or a date and a time, the two
//! formats joined by a space), a duration as decimal hours, hours and
//! minutes, or minutes. Each answers why a value does not read, with an
//! example written the way the layout expects.

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use timebridge_core::middleware::csv_layouts::{CsvDuration, CsvLayout};

/// A start or end cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Clock {
    /// A time of day: its day is the row's date.
    Time(NaiveTime),
    /// A date and a time.
    Dated(NaiveDateTime),
}

/// The day examples are written with: 31 March 2026, 5:30 PM.
fn example_day() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 31)
        .and_then(|d| d.and_hms_opt(17, 30, 0))
        .unwrap_or_default()
}

/// The earliest year read: a two-digit year under a four-digit format is
/// not year 26.
const FIRST_YEAR: i32 = 1900;

/// `format` written out on the example day, or the format itself when it
/// does not write (a layout saved by hand).
fn example(format: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    match write!(out, "{}", example_day().format(format)) {
        Ok(()) => out,
        Err(_) => format.to_owned(),
    }
}

pub(super) fn date_example(layout: &CsvLayout) -> String {
    example(&layout.date_format)
}

pub(super) fn time_example(layout: &CsvLayout) -> String {
    example(&layout.time_format)
}

/// A date written as `format`, from 1900 on.
pub(super) fn date(text: &str, format: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), format)
        .ok()
        .filter(|d| d.year() >= FIRST_YEAR)
}

/// A time written as `time_format`, or a date and a time written as
/// `date_format time_format`.
pub(super) fn clock(text: &str, date_format: &str, time_format: &str) -> Option<Clock> {
    let text = text.trim();
    if let Ok(time) = NaiveTime::parse_from_str(text, time_format) {
        return Some(Clock::Time(time));
    }
    NaiveDateTime::parse_from_str(text, &format!("{date_format} {time_format}"))
        .ok()
        .filter(|t| t.year() >= FIRST_YEAR)
        .map(Clock::Dated)
}

/// A chrono format, its items parsed once for every value it reads.
enum Format {
    Items(Vec<Item<'static>>),
    /// A format chrono does not read: its text, read each time as before.
    Text(String),
}

impl Format {
    fn of(format: &str) -> Format {
        match StrftimeItems::new(format).parse_to_owned() {
            Ok(items) => Format::Items(items),
            Err(_) => Format::Text(format.to_owned()),
        }
    }

    /// What `text` holds as the format reads it (as `parse_from_str` does).
    fn parsed(&self, text: &str) -> Option<Parsed> {
        let mut parsed = Parsed::new();
        match self {
            Format::Items(items) => chrono::format::parse(&mut parsed, text, items.iter()),
            Format::Text(format) => {
                chrono::format::parse(&mut parsed, text, StrftimeItems::new(format))
            }
        }
        .ok()?;
        Some(parsed)
    }
}

/// A layout's date and time formats, parsed once for all its rows:
/// [`Formats::date`] and [`Formats::clock`] read as [`date`] and [`clock`]
/// do.
pub(super) struct Formats {
    date: Format,
    time: Format,
    dated: Format,
}

impl Formats {
    pub fn of(date_format: &str, time_format: &str) -> Formats {
        Formats {
            date: Format::of(date_format),
            time: Format::of(time_format),
            dated: Format::of(&format!("{date_format} {time_format}")),
        }
    }

    pub fn date(&self, text: &str) -> Option<NaiveDate> {
        self.date
            .parsed(text.trim())?
            .to_naive_date()
            .ok()
            .filter(|d| d.year() >= FIRST_YEAR)
    }

    pub fn clock(&self, text: &str) -> Option<Clock> {
        let text = text.trim();
        if let Some(time) = self.time.parsed(text).and_then(|p| p.to_naive_time().ok()) {
            return Some(Clock::Time(time));
        }
        self.dated
            .parsed(text)?
            .to_naive_datetime_with_offset(0)
            .ok()
            .filter(|t| t.year() >= FIRST_YEAR)
            .map(Clock::Dated)
    }
}

/// A duration in seconds, written as `how`; a decimal comma is read where
/// the file's delimiter is not a comma. Negative durations do not read.
pub(super) fn duration(text: &str, how: CsvDuration, decimal_comma: bool) -> Option<i64> {
    let text = text.trim();
    match how {
        CsvDuration::DecimalHours => {
            let text = if decimal_comma {
                text.replace(',', ".")
            } else {
                text.to_owned()
            };
            let valid = !text.is_empty()
                && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && text.bytes().filter(|b| *b == b'.').count() <= 1
                && text != ".";
            let hours: f64 = valid.then(|| text.parse().ok()).flatten()?;
            Some((hours * 3600.0).round() as i64)
        }
        CsvDuration::HoursMinutes => {
            let mut parts = text.split(':');
            let hours: i64 = number(parts.next()?)?;
            let minutes: i64 = number(parts.next()?)?;
            let seconds: i64 = match parts.next() {
                Some(s) => number(s)?,
                None => 0,
            };
            if parts.next().is_some() || minutes >= 60 || seconds >= 60 {
                return None;
            }
            hours.checked_mul(3600)?.checked_add(minutes * 60 + seconds)
        }
        CsvDuration::Minutes => number::<i64>(text)?.checked_mul(60),
    }
}

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// How a duration is written, for a message: "7:30", "7.5", "450".
pub(super) fn duration_example(how: CsvDuration, decimal_comma: bool) -> &'static str {
    match (how, decimal_comma) {
        (CsvDuration::DecimalHours, false) => "7.5",
        (CsvDuration::DecimalHours, true) => "7,5",
        (CsvDuration::HoursMinutes, _) => "7:30",
        (CsvDuration::Minutes, _) => "450 (minutes)",
    }
}

/// A duration written as `how`, the way a file Timebridge writes has it.
#[cfg(test)]
pub(super) fn write_duration(seconds: i64, how: CsvDuration) -> String {
    match how {
        CsvDuration::DecimalHours => format!("{}", seconds as f64 / 3600.0),
        CsvDuration::HoursMinutes => format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60),
        CsvDuration::Minutes => format!("{}", seconds / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_hour_times_read_in_any_case_with_one_or_two_digit_hours() {
        let at = |h, m| {
            Some(Clock::Time(
                NaiveTime::from_hms_opt(h, m, 0).expect("a time"),
            ))
        };
        assert_eq!(
            clock("7:05 am", "%m/%d/%Y", "%I:%M %p"),
            at(7, 5),
            "lower case am"
        );
        assert_eq!(
            clock("05:30 PM", "%m/%d/%Y", "%I:%M %p"),
            at(17, 30),
            "two-digit hour"
        );
    }

    #[test]
    fn a_start_may_carry_its_date() {
        let expected = NaiveDate::from_ymd_opt(2026, 6, 8)
            .and_then(|d| d.and_hms_opt(19, 0, 0))
            .map(Clock::Dated);
        assert_eq!(
            clock("06/08/2026 7:00 PM", "%m/%d/%Y", "%I:%M %p"),
            expected,
            "the date format, a space, the time format"
        );
    }

    #[test]
    fn a_two_digit_year_is_not_read_by_a_four_digit_format() {
        assert_eq!(date("06/08/26", "%m/%d/%Y"), None, "not the year 26");
        assert!(date("06/08/26", "%m/%d/%y").is_some(), "%y reads it");
    }

    #[test]
    fn formats_parsed_once_read_every_value_as_the_format_text_does() {
        let formats = [
            ("%m/%d/%Y", "%I:%M %p"),
            ("%d.%m.%Y", "%H:%M"),
            ("%Y-%m-%d", "%H:%M:%S"),
            ("%m/%d/%y", "%l:%M%P"),
            ("%b %e, %Y", "%I:%M:%S %p"),
            ("%Q", "%"),
        ];
        let values = [
            "",
            " ",
            "03/31/2026",
            "3/1/2026",
            " 12/31/1899 ",
            "13/01/2026",
            "02/30/2024",
            "31.03.2026",
            "2026-03-31",
            "03/31/26",
            "Mar  1, 2026",
            "7:00 AM",
            "07:00 am",
            "12:00 PM",
            "12:59 AM",
            "13:00 PM",
            "0:30 AM",
            "7:5 PM",
            "17:30",
            "24:00",
            "17:30:59",
            "7:00pm",
            " 7:00:01 PM",
            "03/31/2026 7:00 PM",
            "31.03.2026 17:30",
            "2026-03-31 23:59:60",
            "03/31/2026 7:00",
            "7:00 AM extra",
            "abc",
        ];
        for (date_format, time_format) in formats {
            let parsed = Formats::of(date_format, time_format);
            for value in values {
                assert_eq!(
                    parsed.date(value),
                    date(value, date_format),
                    "{value:?} as {date_format}"
                );
                assert_eq!(
                    parsed.clock(value),
                    clock(value, date_format, time_format),
                    "{value:?} as {date_format} {time_format}"
                );
            }
        }
    }

    #[test]
    fn durations_read_as_each_way_of_writing_them() {
        assert_eq!(
            duration("7:30", CsvDuration::HoursMinutes, false),
            Some(27_000)
        );
        assert_eq!(
            duration("7.5", CsvDuration::DecimalHours, false),
            Some(27_000)
        );
        assert_eq!(
            duration("7,5", CsvDuration::DecimalHours, true),
            Some(27_000)
        );
        assert_eq!(duration("450", CsvDuration::Minutes, false), Some(27_000));
        assert_eq!(
            duration("-1", CsvDuration::DecimalHours, false),
            None,
            "no negative time"
        );
        assert_eq!(
            duration("7:75", CsvDuration::HoursMinutes, false),
            None,
            "minutes under 60"
        );
    }

    #[test]
    fn a_duration_too_large_to_hold_does_not_read() {
        // Found by the fuzz suite: multiplying these overflowed (a panic).
        assert_eq!(
            duration("999999999999999999", CsvDuration::Minutes, false),
            None,
            "minutes beyond i64 seconds are refused, not wrapped"
        );
        assert_eq!(
            duration("9999999999999999:00", CsvDuration::HoursMinutes, false),
            None,
            "hours beyond i64 seconds are refused, not wrapped"
        );
    }

    #[test]
    fn examples_are_written_the_way_the_layout_expects() {
        assert_eq!(example("%I:%M %p"), "05:30 PM");
        assert_eq!(example("%d.%m.%Y"), "31.03.2026");
    }
}
