//! The values of an export's cells: dates, times of day, clock cells (a
//! time, a date and a time, or ISO 8601 with an offset), hours and minutes.
//! Each parser accepts only what `docs/contracts/clockshark.md` lists and
//! answers `None` for anything else; nothing is guessed.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// A clock-in or clock-out cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClockValue {
    /// A time of day alone: its day comes from the row.
    Time(NaiveTime),
    /// A date and a time, in the company's time zone.
    Local(NaiveDateTime),
    /// A date and a time with its own offset.
    Fixed(DateTime<FixedOffset>),
}

/// A year of two digits is this century's.
fn year(text: &str) -> Option<i32> {
    let year: i32 = digits(text)?;
    match text.len() {
        4 => Some(year),
        2 => Some(2000 + year),
        _ => None,
    }
}

/// A number written with ASCII digits only (no sign, no spaces).
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Month/day/year (`6/12/2026`, `06/12/26`, `06-12-2026`) or
/// year-month-day (`2026-06-12`).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let small = |t: &str| {
        (1..=2)
            .contains(&t.len())
            .then(|| digits::<u32>(t))
            .flatten()
    };
    if a.len() == 4 && text.contains('-') && !text.contains('/') {
        return NaiveDate::from_ymd_opt(year(a)?, small(b)?, small(c)?);
    }
    NaiveDate::from_ymd_opt(year(c)?, small(a)?, small(b)?)
}

/// `7:00 AM`, `7:00:30pm`, `19:00`, `07:00:00`.
pub(super) fn parse_time(text: &str) -> Option<NaiveTime> {
    let upper = text.trim().to_ascii_uppercase();
    let (clock, half) = match upper
        .strip_suffix("AM")
        .or_else(|| upper.strip_suffix("PM"))
    {
        Some(rest) => (rest.trim_end(), Some(upper.ends_with("PM"))),
        None => (upper.as_str(), None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hour, minute, second) = match parts.as_slice() {
        [h, m] => (*h, *m, "00"),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 || second.len() != 2 {
        return None;
    }
    let (hour, minute, second): (u32, u32, u32) = (digits(hour)?, digits(minute)?, digits(second)?);
    let hour = match half {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// A clock cell: a time, a date and a time separated by a space, or ISO
/// 8601 (`T` or a space between) with an optional offset (`Z`, `-06:00`).
pub(super) fn parse_clock(text: &str) -> Option<ClockValue> {
    let text = text.trim();
    if let Some(time) = parse_time(text) {
        return Some(ClockValue::Time(time));
    }
    if let Ok(fixed) = DateTime::parse_from_rfc3339(text) {
        return Some(ClockValue::Fixed(fixed));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%:z",
    ] {
        if let Ok(fixed) = DateTime::parse_from_str(text, format) {
            return Some(ClockValue::Fixed(fixed));
        }
    }
    let (date, time) = text.split_once(['T', ' '])?;
    Some(ClockValue::Local(
        parse_date(date)?.and_time(parse_time(time)?),
    ))
}

/// A decimal number, not negative (`8`, `8.5`, `.5`).
fn parse_decimal(text: &str) -> Option<f64> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|b| *b == b'.').count() <= 1
        && text != ".";
    valid.then(|| text.parse().ok()).flatten()
}

/// `h:mm` as seconds.
fn parse_hours_minutes(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    let two_digit_minutes = m.len() == 2;
    let (h, m): (i64, i64) = (digits(h)?, digits(m)?);
    (two_digit_minutes && m < 60).then_some(h * 3600 + m * 60)
}

/// Hours as `8.5` or `8:30`, in seconds.
pub(super) fn parse_hours(text: &str) -> Option<i64> {
    let text = text.trim();
    parse_hours_minutes(text).or_else(|| Some((parse_decimal(text)? * 3600.0).round() as i64))
}

/// Minutes as `30` or `0:30`, in seconds.
pub(super) fn parse_minutes(text: &str) -> Option<i64> {
    let text = text.trim();
    parse_hours_minutes(text).or_else(|| Some((parse_decimal(text)? * 60.0).round() as i64))
}

/// A time-off amount: only whether it is zero matters (its unit is not
/// published). Empty is zero.
pub(super) fn is_nonzero_amount(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.is_empty() {
        return Some(false);
    }
    parse_hours(text).map(|seconds| seconds != 0)
}

/// A length of time as `8:30`.
pub(super) fn show_length(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// A local date and time as the export writes it: `06/12/2026 7:00 AM`.
pub(super) fn show_local(at: NaiveDateTime) -> String {
    at.format("%m/%d/%Y %-I:%M %p").to_string()
}

/// Money as `12500`, `12,500.00` or `$12,500.5`, not negative, in cents.
pub(super) fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_prefix('$').unwrap_or(text).trim_start();
    let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || cents.len() > 2 || (text.contains('.') && cents.is_empty()) {
        return None;
    }
    let whole: i64 = digits(&groups.concat())?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => digits::<i64>(cents)? * 10,
        _ => digits(cents)?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}
