//! Hours: a pay period's time entries split into pay IDs by the company's
//! overtime rules. Pure: the entries and settings go in, the hours and the
//! explanation of each come out.
//!
//! - **Days** are the company time zone's days: a DST day is 23 or 25 hours
//!   long. With [`OvernightRule::SplitAtMidnight`] a clocked entry is cut at
//!   each local midnight, so a shift over the period's end counts partly in
//!   each period; with [`OvernightRule::StartDay`] it counts whole on the day
//!   it started.
//! - **Worked time** is an entry with no pay ID or a regular one. It is
//!   allocated in time order, so the overtime lands on the job being worked
//!   when a threshold is crossed:
//!   - seventh consecutive day worked in the workweek (if on): the first 8
//!     hours overtime, the rest double time;
//!   - daily: beyond the double-time threshold double time, beyond the
//!     overtime threshold overtime;
//!   - weekly: regular hours beyond the weekly threshold are overtime. Only
//!     regular hours count towards it (daily overtime is not counted twice),
//!     and the days of the workweek before the period count too.
//! - **Other pay IDs** (PTO, sick, holiday, or an entry marked overtime) are
//!   paid as entered. Overtime and double-time entries are worked hours of
//!   their day; PTO, sick, holiday and other are not worked and count
//!   towards no threshold.
//! - A manual (duration-only) entry has no clock time; it counts after the
//!   clocked time of its day.
//! - A still-running entry is left out (and listed), or counts up to now.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

use super::periods::PayPeriod;
use super::settings::{OvernightRule, OvertimePolicy, PayrollSettings};
use crate::records::pay_ids::PayCategory;
use crate::records::time_entries::TimeSpan;

const SEVENTH_DAY_DOUBLE_AFTER: i64 = 8 * 3600;

/// A live (not voided) time entry, as payroll reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkEntry {
    pub id: i64,
    pub employee_id: i64,
    pub job_id: Option<i64>,
    pub task_id: Option<i64>,
    pub pay_id: Option<i64>,
    pub span: TimeSpan,
}

/// The company's pay IDs by category, and which pay ID overtime and double
/// time go to.
#[derive(Debug, Clone)]
pub struct PayIdBook {
    pub categories: HashMap<i64, PayCategory>,
    pub regular: i64,
    pub overtime: i64,
    pub double_time: i64,
}

/// Why a piece of time went to its pay ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Regular,
    DailyOvertime,
    DailyDoubleTime,
    WeeklyOvertime,
    SeventhDayOvertime,
    SeventhDayDoubleTime,
    /// The entry names its pay ID (PTO, holiday, ...).
    AsEntered,
}

/// A piece of one entry, paid as one pay ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Piece {
    pub entry_id: i64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// When the piece began and ended (clocked entries only).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub seconds: i64,
    pub pay_id: i64,
    pub basis: Basis,
    pub job_id: Option<i64>,
    pub task_id: Option<i64>,
}

/// Hours of one employee on one day, job and task, as one pay ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HoursLine {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub job_id: Option<i64>,
    pub task_id: Option<i64>,
    pub pay_id: i64,
    pub seconds: i64,
    /// The entries these hours came from.
    pub entry_ids: Vec<i64>,
}

/// One employee's hours in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EmployeeHours {
    pub employee_id: i64,
    pub lines: Vec<HoursLine>,
    /// Seconds per pay ID, in pay ID order.
    pub totals: Vec<PayTotal>,
    pub total_seconds: i64,
    /// Which entries made which hours, in time order.
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PayTotal {
    pub pay_id: i64,
    pub seconds: i64,
}

/// What [`compute`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Computed {
    /// Employees with time in the period, by employee id.
    pub employees: Vec<EmployeeHours>,
    /// Still-running entries that were left out.
    pub open_entries: Vec<i64>,
}

/// A stretch of one entry on one day.
#[derive(Debug, Clone)]
struct Segment<'a> {
    entry: &'a WorkEntry,
    date: NaiveDate,
    from: Option<DateTime<Utc>>,
    seconds: i64,
}

impl Segment<'_> {
    /// Time order within an employee's workweek: by day, clocked time by
    /// its start, manual entries after the clocked time of their day.
    fn order(&self) -> (NaiveDate, i64, i64) {
        let at = self.from.map_or(i64::MAX, |t| t.timestamp());
        (self.date, at, self.entry.id)
    }
}

/// The first instant of `date` in `zone` (the first that exists, on a day
/// whose midnight is skipped by a DST change).
pub fn start_of_day(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for hours in 0..=3 {
        let local = midnight + Duration::hours(hours);
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&midnight)
}

/// Splits `entries` into pay IDs for `period`. `workweek_entries` must hold
/// every live entry from the first day of the workweek the period starts
/// in to the period's end (and may hold more; it is cut exactly here).
pub fn compute(
    settings: &PayrollSettings,
    zone: Tz,
    period: PayPeriod,
    entries: &[WorkEntry],
    book: &PayIdBook,
    now: DateTime<Utc>,
) -> Computed {
    let first_day = settings.week_start.week_of(period.start);
    let mut open_entries = Vec::new();
    let mut by_employee: BTreeMap<i64, Vec<Segment<'_>>> = BTreeMap::new();
    for entry in entries {
        let segments = match &entry.span {
            TimeSpan::Manual {
                date,
                duration_seconds,
            } => vec![Segment {
                entry,
                date: *date,
                from: None,
                seconds: *duration_seconds,
            }],
            TimeSpan::Clock { start, end } => {
                let start = start.with_timezone(&Utc);
                let end = match end {
                    Some(end) => end.with_timezone(&Utc),
                    None if settings.leave_out_open_entries => {
                        let start_date = start.with_timezone(&zone).date_naive();
                        if first_day <= start_date && start_date <= period.end {
                            open_entries.push(entry.id);
                        }
                        continue;
                    }
                    None => now.max(start),
                };
                clocked_segments(entry, zone, settings.overnight, start, end)
            }
        };
        by_employee.entry(entry.employee_id).or_default().extend(
            segments
                .into_iter()
                .filter(|s| first_day <= s.date && s.date <= period.end && s.seconds > 0),
        );
    }
    open_entries.sort_unstable();
    let employees = by_employee
        .into_iter()
        .filter_map(|(employee_id, mut segments)| {
            segments.sort_by_key(Segment::order);
            let pieces = allocate(settings, &settings.overtime, book, &segments, period);
            (!pieces.is_empty()).then(|| summarize(employee_id, pieces))
        })
        .collect();
    Computed {
        employees,
        open_entries,
    }
}

fn clocked_segments(
    entry: &WorkEntry,
    zone: Tz,
    rule: OvernightRule,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<Segment<'_>> {
    let date_of = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
    if rule == OvernightRule::StartDay {
        return vec![Segment {
            entry,
            date: date_of(start),
            from: Some(start),
            seconds: (end - start).num_seconds(),
        }];
    }
    let mut segments = Vec::new();
    let mut at = start;
    while at < end {
        let date = date_of(at);
        let next_day = date.succ_opt().map_or(end, |d| start_of_day(zone, d));
        let until = end.min(next_day.max(at + Duration::seconds(1)));
        segments.push(Segment {
            entry,
            date,
            from: Some(at),
            seconds: (until - at).num_seconds(),
        });
        at = until;
    }
    segments
}

/// Walks one employee's segments in time order and cuts them into pieces.
fn allocate(
    settings: &PayrollSettings,
    policy: &OvertimePolicy,
    book: &PayIdBook,
    segments: &[Segment<'_>],
    period: PayPeriod,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut week = None;
    let mut day = None;
    let mut day_worked = 0i64;
    let mut week_regular = 0i64;
    let mut worked_days: HashSet<NaiveDate> = HashSet::new();
    for segment in segments {
        let week_of = settings.week_start.week_of(segment.date);
        if week != Some(week_of) {
            week = Some(week_of);
            week_regular = 0;
            worked_days.clear();
        }
        if day != Some(segment.date) {
            day = Some(segment.date);
            day_worked = 0;
        }
        let entry = segment.entry;
        let category = entry
            .pay_id
            .and_then(|id| book.categories.get(&id).copied());
        let in_period = period.contains(segment.date);
        let mut push = |seconds: i64, pay_id: i64, basis: Basis, offset: i64| {
            if in_period && seconds > 0 {
                let from = segment.from.map(|t| t + Duration::seconds(offset));
                pieces.push(Piece {
                    entry_id: entry.id,
                    date: segment.date,
                    from,
                    to: from.map(|t| t + Duration::seconds(seconds)),
                    seconds,
                    pay_id,
                    basis,
                    job_id: entry.job_id,
                    task_id: entry.task_id,
                });
            }
        };
        let worked = matches!(category, None | Some(PayCategory::Regular));
        if !worked {
            // Paid as entered; overtime and double time entries are still
            // hours worked that day.
            if let Some(pay_id) = entry.pay_id {
                push(segment.seconds, pay_id, Basis::AsEntered, 0);
            }
            if matches!(
                category,
                Some(PayCategory::Overtime | PayCategory::DoubleTime)
            ) {
                day_worked += segment.seconds;
                worked_days.insert(segment.date);
            }
            continue;
        }
        let regular_pay_id = entry.pay_id.unwrap_or(book.regular);
        let seventh = policy.seventh_day
            && (segment.date - week_of).num_days() == 6
            && (0..6).all(|i| worked_days.contains(&(week_of + Duration::days(i))));
        worked_days.insert(segment.date);
        let mut done = 0i64;
        while done < segment.seconds {
            let (basis, room) = classify(policy, seventh, day_worked, week_regular);
            let take = (segment.seconds - done).min(room.max(1));
            let pay_id = match basis {
                Basis::Regular | Basis::AsEntered => regular_pay_id,
                Basis::DailyOvertime | Basis::WeeklyOvertime | Basis::SeventhDayOvertime => {
                    book.overtime
                }
                Basis::DailyDoubleTime | Basis::SeventhDayDoubleTime => book.double_time,
            };
            push(take, pay_id, basis, done);
            day_worked += take;
            if basis == Basis::Regular {
                week_regular += take;
            }
            done += take;
        }
    }
    merge_adjacent(pieces)
}

/// The basis the next worked second is paid on, and for how many seconds
/// that stays so.
fn classify(
    policy: &OvertimePolicy,
    seventh: bool,
    day_worked: i64,
    week_regular: i64,
) -> (Basis, i64) {
    const ALWAYS: i64 = i64::MAX;
    if seventh {
        return if day_worked < SEVENTH_DAY_DOUBLE_AFTER {
            (
                Basis::SeventhDayOvertime,
                SEVENTH_DAY_DOUBLE_AFTER - day_worked,
            )
        } else {
            (Basis::SeventhDayDoubleTime, ALWAYS)
        };
    }
    let until = |threshold: Option<i64>| threshold.map_or(ALWAYS, |t| t - day_worked);
    let to_double = until(policy.daily_double_after_seconds);
    if to_double <= 0 {
        return (Basis::DailyDoubleTime, ALWAYS);
    }
    let to_daily = until(policy.daily_after_seconds);
    if to_daily <= 0 {
        return (Basis::DailyOvertime, to_double);
    }
    match policy.weekly_after_seconds {
        Some(weekly) if week_regular >= weekly => (Basis::WeeklyOvertime, to_daily.min(to_double)),
        Some(weekly) => (
            Basis::Regular,
            to_daily.min(to_double).min(weekly - week_regular),
        ),
        None => (Basis::Regular, to_daily.min(to_double)),
    }
}

/// Joins consecutive pieces of one entry paid the same way on the same
/// basis (a threshold that changes only the reason splits nothing).
fn merge_adjacent(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut merged: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let Some(last) = merged.last_mut()
            && last.entry_id == piece.entry_id
            && last.date == piece.date
            && last.pay_id == piece.pay_id
            && last.basis == piece.basis
            && last.to == piece.from
        {
            last.seconds += piece.seconds;
            last.to = piece.to;
            continue;
        }
        merged.push(piece);
    }
    merged
}

fn summarize(employee_id: i64, pieces: Vec<Piece>) -> EmployeeHours {
    type Key = (NaiveDate, Option<i64>, Option<i64>, i64);
    let mut lines: BTreeMap<Key, (i64, Vec<i64>)> = BTreeMap::new();
    let mut totals: BTreeMap<i64, i64> = BTreeMap::new();
    for piece in &pieces {
        let line = lines
            .entry((piece.date, piece.job_id, piece.task_id, piece.pay_id))
            .or_default();
        line.0 += piece.seconds;
        if !line.1.contains(&piece.entry_id) {
            line.1.push(piece.entry_id);
        }
        *totals.entry(piece.pay_id).or_default() += piece.seconds;
    }
    EmployeeHours {
        employee_id,
        lines: lines
            .into_iter()
            .map(
                |((date, job_id, task_id, pay_id), (seconds, entry_ids))| HoursLine {
                    date,
                    job_id,
                    task_id,
                    pay_id,
                    seconds,
                    entry_ids,
                },
            )
            .collect(),
        total_seconds: totals.values().sum(),
        totals: totals
            .into_iter()
            .map(|(pay_id, seconds)| PayTotal { pay_id, seconds })
            .collect(),
        pieces,
    }
}
