//! The overtime rules, table-driven: each case is a few entries of one
//! employee in America/Chicago and the hours per day and pay ID they must
//! make. Pay IDs: 1 REG, 2 OT, 3 DT, 4 PTO, 5 a second regular pay ID.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use timebridge_core::payroll::hours::{self, Basis, PayIdBook, WorkEntry};
use timebridge_core::payroll::periods::{self, PayPeriod};
use timebridge_core::payroll::settings::{
    OvernightRule, OvertimePolicy, PayFrequency, PayrollSettings, WeekStart,
};
use timebridge_core::records::pay_ids::PayCategory;
use timebridge_core::records::time_entries::TimeSpan;

const ZONE: Tz = chrono_tz::America::Chicago;
const H: i64 = 3600;

fn book() -> PayIdBook {
    PayIdBook {
        categories: [
            (1, PayCategory::Regular),
            (2, PayCategory::Overtime),
            (3, PayCategory::DoubleTime),
            (4, PayCategory::Pto),
            (5, PayCategory::Regular),
        ]
        .into_iter()
        .collect(),
        regular: 1,
        overtime: 2,
        double_time: 3,
    }
}

fn code(pay_id: i64) -> &'static str {
    match pay_id {
        1 => "REG",
        2 => "OT",
        3 => "DT",
        4 => "PTO",
        5 => "REG2",
        _ => "?",
    }
}

/// Weekly pay from Monday 2026-03-02, Monday weeks, 40 hours a week.
fn settings() -> PayrollSettings {
    PayrollSettings {
        time_zone: "America/Chicago".into(),
        week_start: WeekStart::Monday,
        frequency: PayFrequency::Weekly,
        anchor: date("2026-03-02"),
        overtime: OvertimePolicy::default(),
        overnight: OvernightRule::SplitAtMidnight,
        leave_out_open_entries: true,
    }
}

fn daily(mut s: PayrollSettings, ot: i64, dt: Option<i64>) -> PayrollSettings {
    s.overtime.daily_after_seconds = Some(ot * H);
    s.overtime.daily_double_after_seconds = dt.map(|h| h * H);
    s
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A local Chicago time, "2026-03-02 08:00".
fn at(text: &str) -> DateTime<FixedOffset> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a local time");
    ZONE.from_local_datetime(&local)
        .earliest()
        .expect("exists in Chicago")
        .fixed_offset()
}

struct Entries(Vec<WorkEntry>);

impl Entries {
    fn new() -> Self {
        Entries(Vec::new())
    }

    fn push(mut self, job: i64, pay_id: Option<i64>, span: TimeSpan) -> Self {
        let id = self.0.len() as i64 + 1;
        self.0.push(WorkEntry {
            id,
            employee_id: 7,
            job_id: Some(job),
            task_id: None,
            pay_id,
            span,
        });
        self
    }

    /// Clocked on job 1 from `start` to `end` (local times).
    fn clock(self, start: &str, end: &str) -> Self {
        self.clock_on(1, start, end)
    }

    fn clock_on(self, job: i64, start: &str, end: &str) -> Self {
        self.push(
            job,
            None,
            TimeSpan::Clock {
                start: at(start),
                end: Some(at(end)),
            },
        )
    }

    /// `hours` clocked from 07:00 on each day from `first` for `days` days.
    fn days(mut self, first: &str, days: i64, hours: i64) -> Self {
        for d in 0..days {
            let day = date(first) + chrono::Duration::days(d);
            let start = format!("{day} 07:00");
            let end = (at(&start) + chrono::Duration::hours(hours))
                .format("%Y-%m-%d %H:%M")
                .to_string();
            self = self.clock(&start, &end);
        }
        self
    }

    fn manual(self, job: i64, on: &str, hours: i64, pay_id: Option<i64>) -> Self {
        self.push(
            job,
            pay_id,
            TimeSpan::Manual {
                date: date(on),
                duration_seconds: hours * H,
            },
        )
    }
}

/// Hours per (date, pay code), as "2026-03-06 OT" -> hours.
fn run(settings: &PayrollSettings, period: PayPeriod, entries: &Entries) -> BTreeMap<String, f64> {
    let computed = hours::compute(
        settings,
        ZONE,
        period,
        &entries.0,
        &book(),
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
    );
    let mut out = BTreeMap::new();
    for employee in computed.employees {
        for line in employee.lines {
            *out.entry(format!("{} {}", line.date, code(line.pay_id)))
                .or_insert(0.0) += line.seconds as f64 / H as f64;
        }
    }
    out
}

fn expect(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn week(start: &str) -> PayPeriod {
    periods::containing(&settings(), date(start))
}

/// A case's name, settings, period, entries and expected hours.
type Case = (
    &'static str,
    PayrollSettings,
    PayPeriod,
    Entries,
    BTreeMap<String, f64>,
);

#[test]
fn the_overtime_rules_make_the_expected_hours() {
    let mon = "2026-03-02";
    let cases: Vec<Case> = vec![
        (
            "weekly 40: five 9-hour days make 40 regular and 5 overtime, on Friday",
            settings(),
            week(mon),
            Entries::new().days(mon, 5, 9),
            expect(&[
                ("2026-03-02 REG", 9.0),
                ("2026-03-03 REG", 9.0),
                ("2026-03-04 REG", 9.0),
                ("2026-03-05 REG", 9.0),
                ("2026-03-06 REG", 4.0),
                ("2026-03-06 OT", 5.0),
            ]),
        ),
        (
            "daily 8 and 12: a 13-hour day is 8 regular, 4 overtime, 1 double time",
            daily(settings(), 8, Some(12)),
            week(mon),
            Entries::new().days(mon, 1, 13),
            expect(&[
                ("2026-03-02 REG", 8.0),
                ("2026-03-02 OT", 4.0),
                ("2026-03-02 DT", 1.0),
            ]),
        ),
        (
            "daily thresholds count every entry of the day: 4.5 + 8 hours",
            daily(settings(), 8, Some(12)),
            week(mon),
            Entries::new()
                .clock("2026-03-02 06:30", "2026-03-02 11:00")
                .clock_on(2, "2026-03-02 11:00", "2026-03-02 19:00"),
            expect(&[
                ("2026-03-02 REG", 8.0),
                ("2026-03-02 OT", 4.0),
                ("2026-03-02 DT", 0.5),
            ]),
        ),
        (
            "daily overtime does not count towards the weekly 40: five 10-hour days are 40 + 10",
            daily(settings(), 8, None),
            week(mon),
            Entries::new().days(mon, 5, 10),
            expect(&[
                ("2026-03-02 REG", 8.0),
                ("2026-03-02 OT", 2.0),
                ("2026-03-03 REG", 8.0),
                ("2026-03-03 OT", 2.0),
                ("2026-03-04 REG", 8.0),
                ("2026-03-04 OT", 2.0),
                ("2026-03-05 REG", 8.0),
                ("2026-03-05 OT", 2.0),
                ("2026-03-06 REG", 8.0),
                ("2026-03-06 OT", 2.0),
            ]),
        ),
        (
            "seventh consecutive day: first 8 hours overtime, the rest double time",
            {
                let mut s = daily(settings(), 8, Some(12));
                s.overtime.seventh_day = true;
                s
            },
            week(mon),
            Entries::new().days(mon, 6, 8).days("2026-03-08", 1, 10),
            expect(&[
                ("2026-03-02 REG", 8.0),
                ("2026-03-03 REG", 8.0),
                ("2026-03-04 REG", 8.0),
                ("2026-03-05 REG", 8.0),
                ("2026-03-06 REG", 8.0),
                ("2026-03-07 OT", 8.0),
                ("2026-03-08 OT", 8.0),
                ("2026-03-08 DT", 2.0),
            ]),
        ),
        (
            "without the seventh-day rule the seventh day is weekly overtime only",
            daily(settings(), 8, Some(12)),
            week(mon),
            Entries::new().days(mon, 6, 8).days("2026-03-08", 1, 10),
            expect(&[
                ("2026-03-02 REG", 8.0),
                ("2026-03-03 REG", 8.0),
                ("2026-03-04 REG", 8.0),
                ("2026-03-05 REG", 8.0),
                ("2026-03-06 REG", 8.0),
                ("2026-03-07 OT", 8.0),
                ("2026-03-08 OT", 10.0),
            ]),
        ),
        (
            "an overnight shift split at midnight counts on both days",
            daily(settings(), 8, None),
            week(mon),
            Entries::new().clock("2026-03-03 20:00", "2026-03-04 06:00"),
            expect(&[("2026-03-03 REG", 4.0), ("2026-03-04 REG", 6.0)]),
        ),
        (
            "an overnight shift under the start-day rule counts whole on its first day",
            {
                let mut s = daily(settings(), 8, None);
                s.overnight = OvernightRule::StartDay;
                s
            },
            week(mon),
            Entries::new().clock("2026-03-03 20:00", "2026-03-04 06:00"),
            expect(&[("2026-03-03 REG", 8.0), ("2026-03-03 OT", 2.0)]),
        ),
        (
            "a shift over the period's end: only the part before midnight is in this period",
            settings(),
            week(mon),
            Entries::new().clock("2026-03-08 20:00", "2026-03-09 04:00"),
            expect(&[("2026-03-08 REG", 4.0)]),
        ),
        (
            "the same shift's part after midnight is in the next period",
            settings(),
            week("2026-03-09"),
            Entries::new().clock("2026-03-08 20:00", "2026-03-09 04:00"),
            expect(&[("2026-03-09 REG", 4.0)]),
        ),
        (
            "spring forward: the whole of 8 March is 23 hours (daily 8/12: 8 + 4 + 11)",
            daily(settings(), 8, Some(12)),
            week(mon),
            Entries::new().clock("2026-03-08 00:00", "2026-03-09 00:00"),
            expect(&[
                ("2026-03-08 REG", 8.0),
                ("2026-03-08 OT", 4.0),
                ("2026-03-08 DT", 11.0),
            ]),
        ),
        (
            "spring forward overnight: 22:00 to 08:00 is 9 hours worked, 2 + 7",
            settings(),
            week(mon),
            Entries::new().clock("2026-03-07 22:00", "2026-03-08 08:00"),
            expect(&[("2026-03-07 REG", 2.0), ("2026-03-08 REG", 7.0)]),
        ),
        (
            "fall back: 1 November is 25 hours; 22:00 to 06:00 overnight is 2 + 7",
            settings(),
            week("2026-10-26"),
            Entries::new().clock("2026-10-31 22:00", "2026-11-01 06:00"),
            expect(&[("2026-10-31 REG", 2.0), ("2026-11-01 REG", 7.0)]),
        ),
        (
            "a manual entry counts after the clocked time of its day",
            settings(),
            week(mon),
            Entries::new()
                .days(mon, 4, 9)
                .manual(2, "2026-03-06", 3, None)
                .clock("2026-03-06 07:00", "2026-03-06 10:00"),
            expect(&[
                ("2026-03-02 REG", 9.0),
                ("2026-03-03 REG", 9.0),
                ("2026-03-04 REG", 9.0),
                ("2026-03-05 REG", 9.0),
                ("2026-03-06 REG", 4.0),
                ("2026-03-06 OT", 2.0),
            ]),
        ),
        (
            "PTO is paid as entered and counts towards no threshold",
            settings(),
            week(mon),
            Entries::new()
                .manual(1, mon, 8, Some(4))
                .days("2026-03-03", 4, 10),
            expect(&[
                ("2026-03-02 PTO", 8.0),
                ("2026-03-03 REG", 10.0),
                ("2026-03-04 REG", 10.0),
                ("2026-03-05 REG", 10.0),
                ("2026-03-06 REG", 10.0),
            ]),
        ),
        (
            "an entry with a second regular pay ID keeps it for its regular hours",
            settings(),
            week(mon),
            Entries::new().days(mon, 4, 10).push(
                1,
                Some(5),
                TimeSpan::Clock {
                    start: at("2026-03-06 07:00"),
                    end: Some(at("2026-03-06 09:00")),
                },
            ),
            expect(&[
                ("2026-03-02 REG", 10.0),
                ("2026-03-03 REG", 10.0),
                ("2026-03-04 REG", 10.0),
                ("2026-03-05 REG", 10.0),
                ("2026-03-06 OT", 2.0),
            ]),
        ),
        (
            "semi-monthly: the workweek's days in the previous period count towards its 40",
            {
                let mut s = settings();
                s.frequency = PayFrequency::SemiMonthly;
                s
            },
            PayPeriod {
                start: date("2026-04-16"),
                end: date("2026-04-30"),
            },
            // Monday 13 April to Friday 17 April, 10 hours a day.
            Entries::new().days("2026-04-13", 5, 10),
            expect(&[("2026-04-16 REG", 10.0), ("2026-04-17 OT", 10.0)]),
        ),
    ];
    let mut failures = Vec::new();
    for (name, settings, period, entries, expected) in cases {
        let got = run(&settings, period, &entries);
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "each case's hours follow its rules:\n{}",
        failures.join("\n")
    );
}

#[test]
fn overtime_goes_to_the_job_being_worked_when_the_threshold_is_crossed() {
    let entries = Entries::new()
        .days("2026-03-02", 4, 9) // 36 hours on job 1
        .clock_on(1, "2026-03-06 07:00", "2026-03-06 09:00") // 38
        .clock_on(2, "2026-03-06 09:00", "2026-03-06 13:00"); // crosses 40 on job 2
    let computed = hours::compute(
        &settings(),
        ZONE,
        week("2026-03-02"),
        &entries.0,
        &book(),
        Utc::now(),
    );
    let friday: Vec<(Option<i64>, &str, i64)> = computed.employees[0]
        .lines
        .iter()
        .filter(|l| l.date == date("2026-03-06"))
        .map(|l| (l.job_id, code(l.pay_id), l.seconds / H))
        .collect();
    assert_eq!(
        friday,
        [(Some(1), "REG", 2), (Some(2), "REG", 2), (Some(2), "OT", 2)],
        "the overtime belongs to job 2, worked when the week passed 40 hours"
    );
}

#[test]
fn the_explanation_says_which_entry_made_which_hours_and_why() {
    let entries = Entries::new().days("2026-03-02", 1, 13);
    let computed = hours::compute(
        &daily(settings(), 8, Some(12)),
        ZONE,
        week("2026-03-02"),
        &entries.0,
        &book(),
        Utc::now(),
    );
    let pieces: Vec<(i64, Basis, i64, String)> = computed.employees[0]
        .pieces
        .iter()
        .map(|p| {
            (
                p.entry_id,
                p.basis,
                p.seconds / H,
                p.from
                    .expect("clocked")
                    .with_timezone(&ZONE)
                    .format("%H:%M")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        pieces,
        [
            (1, Basis::Regular, 8, "07:00".to_owned()),
            (1, Basis::DailyOvertime, 4, "15:00".to_owned()),
            (1, Basis::DailyDoubleTime, 1, "19:00".to_owned()),
        ],
        "one 13-hour entry: regular from 07:00, overtime from 15:00, double time from 19:00"
    );
}

#[test]
fn a_running_entry_is_left_out_and_listed() {
    let entries = Entries::new().days("2026-03-02", 1, 8).push(
        1,
        None,
        TimeSpan::Clock {
            start: at("2026-03-03 07:00"),
            end: None,
        },
    );
    let computed = hours::compute(
        &settings(),
        ZONE,
        week("2026-03-02"),
        &entries.0,
        &book(),
        Utc::now(),
    );
    assert_eq!(
        (computed.open_entries, computed.employees[0].total_seconds),
        (vec![2], 8 * H),
        "the running entry is listed as left out and adds no hours"
    );
}

#[test]
fn a_running_entry_counts_up_to_now_when_the_company_includes_open_entries() {
    let mut s = settings();
    s.leave_out_open_entries = false;
    let entries = Entries::new().push(
        1,
        None,
        TimeSpan::Clock {
            start: at("2026-03-03 07:00"),
            end: None,
        },
    );
    let now = at("2026-03-03 10:30").with_timezone(&Utc);
    let computed = hours::compute(&s, ZONE, week("2026-03-02"), &entries.0, &book(), now);
    assert_eq!(
        (
            computed.open_entries.len(),
            computed.employees[0].total_seconds
        ),
        (0, 3 * H + 1800),
        "three and a half hours so far"
    );
}

#[test]
fn pay_periods_follow_the_frequency_and_anchor() {
    let mut s = settings();
    let cases = [
        (
            PayFrequency::Weekly,
            "2026-03-02",
            "2026-03-12",
            ("2026-03-09", "2026-03-15"),
        ),
        (
            PayFrequency::Biweekly,
            "2026-03-02",
            "2026-03-12",
            ("2026-03-02", "2026-03-15"),
        ),
        (
            PayFrequency::Biweekly,
            "2026-03-02",
            "2026-02-27",
            ("2026-02-16", "2026-03-01"),
        ),
        (
            PayFrequency::SemiMonthly,
            "2026-03-02",
            "2026-02-20",
            ("2026-02-16", "2026-02-28"),
        ),
        (
            PayFrequency::SemiMonthly,
            "2026-03-02",
            "2026-03-15",
            ("2026-03-01", "2026-03-15"),
        ),
        (
            PayFrequency::Monthly,
            "2026-01-01",
            "2026-02-28",
            ("2026-02-01", "2026-02-28"),
        ),
        (
            PayFrequency::Monthly,
            "2026-01-20",
            "2026-03-05",
            ("2026-02-20", "2026-03-19"),
        ),
    ];
    for (frequency, anchor, day, (start, end)) in cases {
        s.frequency = frequency;
        s.anchor = date(anchor);
        assert_eq!(
            periods::containing(&s, date(day)),
            PayPeriod {
                start: date(start),
                end: date(end)
            },
            "{frequency:?} from {anchor}: {day} is in {start} to {end}"
        );
    }
}

#[test]
fn bad_settings_are_refused_with_every_problem_named() {
    let mut s = daily(settings(), 12, Some(8));
    s.time_zone = "Mars/Olympus".into();
    let Err(timebridge_core::Error::Validation(problems)) = s.check() else {
        panic!("an unknown zone and double time before overtime must be refused");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["time_zone", "daily_double_after_seconds"],
        "both problems are listed at once"
    );
}
