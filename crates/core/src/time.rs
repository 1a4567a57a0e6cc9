//! Time as the store keeps it, and the clock the app reads it from.
//!
//! Core functions take `now` as an argument instead of reading the system
//! clock, so tests can pin time; the [`Clock`] trait is how the layers above
//! get it.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Row;

/// Formats an instant the way every table stores it: RFC 3339, UTC,
/// milliseconds (`2026-11-22T14:03:07.125Z`), so text order is time order.
pub fn to_db(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a stored instant.
pub fn from_db(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Reads a stored instant from a row, failing the row (not panicking) when
/// the text is not an instant.
pub fn column(row: &Row<'_>, name: &str) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(name)?;
    from_db(&text).ok_or_else(|| bad_column(name, &text))
}

/// Like [`column`] for a nullable column.
pub fn optional_column(row: &Row<'_>, name: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(name)?;
    text.map(|text| from_db(&text).ok_or_else(|| bad_column(name, &text)))
        .transpose()
}

fn bad_column(name: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("column {name} holds {text:?}, which is not an RFC 3339 instant").into(),
    )
}

/// Where the app reads the time from.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stays where it is put; for tests.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(std::sync::Mutex::new(start))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stored_instants_sort_as_text_in_time_order() {
        let earlier = Utc.with_ymd_and_hms(2026, 9, 30, 23, 59, 59).single();
        let later = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).single();
        let (earlier, later) = (earlier.expect("valid"), later.expect("valid"));
        assert!(
            to_db(earlier) < to_db(later),
            "text order must be time order so ORDER BY on the column is chronological"
        );
        assert_eq!(
            from_db(&to_db(later)),
            Some(later),
            "round trip must be exact"
        );
    }
}
