//! The company's payroll settings: its time zone, week, pay frequency and
//! overtime policy.
//!
//! They are kept as one JSON value in `company_settings` (key `payroll`),
//! checked as a whole before they are saved, and logged when changed.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::time;
use crate::validate::Checks;

const HOUR: i64 = 3600;

/// How often the company pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PayFrequency {
    /// Every 7 days from the anchor date.
    Weekly,
    /// Every 14 days from the anchor date.
    Biweekly,
    /// The 1st to the 15th, and the 16th to the month's last day.
    SemiMonthly,
    /// A month from the anchor's day of the month (the 1st: calendar months).
    Monthly,
}

/// The first day of the company's workweek.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl WeekStart {
    pub fn weekday(self) -> Weekday {
        match self {
            WeekStart::Monday => Weekday::Mon,
            WeekStart::Tuesday => Weekday::Tue,
            WeekStart::Wednesday => Weekday::Wed,
            WeekStart::Thursday => Weekday::Thu,
            WeekStart::Friday => Weekday::Fri,
            WeekStart::Saturday => Weekday::Sat,
            WeekStart::Sunday => Weekday::Sun,
        }
    }

    /// The first day of the workweek `date` falls in.
    pub fn week_of(self, date: NaiveDate) -> NaiveDate {
        let back =
            (date.weekday().num_days_from_monday() + 7 - self.weekday().num_days_from_monday()) % 7;
        date - chrono::Duration::days(i64::from(back))
    }
}

/// Which day a shift that crosses midnight counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OvernightRule {
    /// Each part counts on the day it was worked (split at midnight, and so
    /// at a period's end too).
    SplitAtMidnight,
    /// The whole shift counts on the day it started.
    StartDay,
}

/// When worked hours become overtime and double time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OvertimePolicy {
    /// Regular hours in a workweek beyond this are overtime (default 40 h).
    pub weekly_after_seconds: Option<i64>,
    /// Hours in a day beyond this are overtime (e.g. 8 h).
    pub daily_after_seconds: Option<i64>,
    /// Hours in a day beyond this are double time (e.g. 12 h).
    pub daily_double_after_seconds: Option<i64>,
    /// On the seventh consecutive day worked in a workweek, the first 8
    /// hours are overtime and the rest double time.
    pub seventh_day: bool,
}

impl Default for OvertimePolicy {
    fn default() -> Self {
        OvertimePolicy {
            weekly_after_seconds: Some(40 * HOUR),
            daily_after_seconds: None,
            daily_double_after_seconds: None,
            seventh_day: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PayrollSettings {
    /// The IANA zone payroll days are counted in, e.g. `America/Chicago`.
    pub time_zone: String,
    pub week_start: WeekStart,
    pub frequency: PayFrequency,
    /// The first day of any one pay period; the others follow from it.
    #[ts(type = "string")]
    pub anchor: NaiveDate,
    pub overtime: OvertimePolicy,
    pub overnight: OvernightRule,
    /// Leave still-running entries out of payroll (the admin is told how
    /// many); otherwise they count up to now.
    pub leave_out_open_entries: bool,
}

impl PayrollSettings {
    /// What a new company starts with: the computer's time zone, Monday
    /// weeks, biweekly pay from the Monday on or before `today`, 40 hours a
    /// week, and open entries left out.
    pub fn defaults(today: NaiveDate) -> PayrollSettings {
        let time_zone = iana_time_zone::get_timezone()
            .ok()
            .filter(|zone| zone.parse::<chrono_tz::Tz>().is_ok())
            .unwrap_or_else(|| "UTC".to_owned());
        PayrollSettings {
            time_zone,
            week_start: WeekStart::Monday,
            frequency: PayFrequency::Biweekly,
            anchor: WeekStart::Monday.week_of(today),
            overtime: OvertimePolicy::default(),
            overnight: OvernightRule::SplitAtMidnight,
            leave_out_open_entries: true,
        }
    }

    /// The time zone, parsed.
    pub fn zone(&self) -> Result<chrono_tz::Tz> {
        self.time_zone
            .parse()
            .map_err(|_| Error::invalid("time_zone", self.unknown_zone()))
    }

    fn unknown_zone(&self) -> String {
        format!(
            "“{}” is not a time zone. Pick one from the list, e.g. America/Chicago.",
            self.time_zone
        )
    }

    /// Every problem with these settings at once.
    pub fn check(&self) -> Result<()> {
        let mut checks = Checks::default();
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            checks.problem("time_zone", self.unknown_zone());
        }
        let o = &self.overtime;
        let hours = |field: &str, value: Option<i64>, max_hours: i64, checks: &mut Checks| {
            if let Some(seconds) = value
                && !(1..=max_hours * HOUR).contains(&seconds)
            {
                checks.problem(
                    field,
                    format!("Enter a number of hours between 0 and {max_hours}, or leave it off."),
                );
            }
        };
        hours(
            "weekly_after_seconds",
            o.weekly_after_seconds,
            168,
            &mut checks,
        );
        hours(
            "daily_after_seconds",
            o.daily_after_seconds,
            24,
            &mut checks,
        );
        hours(
            "daily_double_after_seconds",
            o.daily_double_after_seconds,
            24,
            &mut checks,
        );
        if let (Some(ot), Some(dt)) = (o.daily_after_seconds, o.daily_double_after_seconds)
            && dt <= ot
        {
            checks.problem(
                "daily_double_after_seconds",
                "Double time must start after daily overtime does.",
            );
        }
        if self.frequency == PayFrequency::Monthly && self.anchor.day() > 28 {
            checks.problem(
                "anchor",
                "Monthly periods must start on a day every month has: the 1st to the 28th.",
            );
        }
        checks.finish()
    }
}

const KEY: &str = "payroll";

/// The company setting `key`, if saved. `what` names it in messages.
pub(crate) fn load_value<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    key: &str,
    what: &str,
) -> Result<Option<T>> {
    let saved: Option<String> = conn
        .query_row(
            "SELECT value FROM company_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    saved
        .map(|text| {
            serde_json::from_str(&text).map_err(|e| {
                Error::Internal(format!(
                    "the saved {what} could not be read ({e}); save them again"
                ))
            })
        })
        .transpose()
}

/// Saves the company setting `key`.
pub(crate) fn store_value<T: Serialize>(
    tx: &Transaction<'_>,
    key: &str,
    value: &T,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let value = serde_json::to_string(value)
        .map_err(|e| Error::Internal(format!("the {key} settings could not be written: {e}")))?;
    tx.execute(
        "INSERT INTO company_settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![key, value, time::to_db(now), actor.updated_by()],
    )?;
    Ok(())
}

/// The saved settings, or the defaults when none were saved yet.
pub fn load(conn: &Connection, today: NaiveDate) -> Result<PayrollSettings> {
    Ok(load_value(conn, KEY, "payroll settings")?
        .unwrap_or_else(|| PayrollSettings::defaults(today)))
}

/// Checks and saves the settings, and logs what changed.
pub fn save(
    tx: &Transaction<'_>,
    settings: &PayrollSettings,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PayrollSettings> {
    settings.check()?;
    let before = load(tx, now.date_naive())?;
    store_value(tx, KEY, settings, actor, now)?;
    let changes = crate::records::changed_fields(&before, settings);
    audit::record(
        tx,
        actor,
        AuditEvent {
            action: AuditAction::PayrollSettingsChanged,
            target: Some("payroll settings".into()),
            summary: "Changed the payroll settings".into(),
            details: Some(changes),
        },
        now,
    )?;
    Ok(settings.clone())
}
