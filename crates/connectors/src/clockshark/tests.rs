//! The cell parsers, value by value (the files' rules are tested against
//! the reader in `crates/connectors/tests/it/clockshark.rs`).

use chrono::{NaiveDate, NaiveTime};

use super::values::{
    ClockValue, is_nonzero_amount, parse_clock, parse_date, parse_hours, parse_minutes, parse_time,
};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time")
}

#[test]
fn dates_are_month_first_with_or_without_leading_zeros() {
    assert_eq!(
        ["6/1/2026", "06/01/2026", "6-1-2026", "2026-06-01", "6/1/26"].map(parse_date),
        [Some(day("2026-06-01")); 5],
        "each spelling of June 1"
    );
}

#[test]
fn a_two_digit_year_is_this_century_not_the_first() {
    assert_eq!(
        parse_date("06/12/26"),
        Some(day("2026-06-12")),
        "26 is 2026, not the year 26"
    );
}

#[test]
fn dates_that_are_not_month_day_year_are_refused() {
    assert_eq!(
        [
            "13/45/2026",
            "31/12/2026",
            "12.06.2026",
            "2026/06/12",
            "June 12",
            "06/12/226",
            ""
        ]
        .map(parse_date),
        [None; 7],
        "no guessing: day-first, dotted, year-first with slashes, words and odd years"
    );
}

#[test]
fn times_are_twelve_or_twenty_four_hour() {
    assert_eq!(
        [
            "7:00 AM",
            "7:00am",
            "07:00:00 AM",
            "12:30 AM",
            "12:30 PM",
            "19:00",
            "7:05 pm"
        ]
        .map(parse_time),
        [
            Some(at(7, 0)),
            Some(at(7, 0)),
            Some(at(7, 0)),
            Some(at(0, 30)),
            Some(at(12, 30)),
            Some(at(19, 0)),
            Some(at(19, 5))
        ],
        "12:30 AM is half past midnight, 12:30 PM half past noon"
    );
}

#[test]
fn times_out_of_range_or_misspelt_are_refused() {
    assert_eq!(
        [
            "13:00 PM", "0:30 AM", "24:00", "7:0", "7 AM", "7:00 XM", "7h00"
        ]
        .map(parse_time),
        [None; 7],
        "an hour past 12 with AM/PM, minutes of one digit, words"
    );
}

#[test]
fn a_clock_cell_may_hold_a_date_and_a_time_or_an_offset() {
    let local = |d: &str, h, m| ClockValue::Local(day(d).and_time(at(h, m)));
    assert_eq!(
        parse_clock("06/12/2026 3:30 PM"),
        Some(local("2026-06-12", 15, 30)),
        "a US date and a time"
    );
    assert_eq!(
        parse_clock("2026-06-12T15:30:00"),
        Some(local("2026-06-12", 15, 30)),
        "ISO 8601 without an offset is local"
    );
    let Some(ClockValue::Fixed(fixed)) = parse_clock("2026-06-12T15:30:00-04:00") else {
        panic!("an ISO 8601 time with an offset keeps it");
    };
    assert_eq!(
        fixed.to_rfc3339(),
        "2026-06-12T15:30:00-04:00",
        "the offset given"
    );
}

#[test]
fn hours_are_decimal_or_hours_and_minutes() {
    assert_eq!(
        ["8", "8.5", "8.50", ".25", "8:30", "08:05"].map(parse_hours),
        [
            Some(28_800),
            Some(30_600),
            Some(30_600),
            Some(900),
            Some(30_600),
            Some(29_100)
        ],
        "8:30 is eight and a half hours"
    );
    assert_eq!(
        ["-2", "8,5", "8:75", "8:5", "eight", "1e3"].map(parse_hours),
        [None; 6],
        "negative, comma decimals, minutes past 59 or of one digit, words, exponents"
    );
}

#[test]
fn breaks_are_minutes() {
    assert_eq!(
        ["30", "0:30", "7.5"].map(parse_minutes),
        [Some(1800), Some(1800), Some(450)],
        "a plain number counts minutes"
    );
}

#[test]
fn time_off_is_zero_empty_or_a_number() {
    assert_eq!(
        ["", "0", "0.00", "0:00", "480", "8.00", "yes"].map(is_nonzero_amount),
        [
            Some(false),
            Some(false),
            Some(false),
            Some(false),
            Some(true),
            Some(true),
            None
        ],
        "only whether it is zero matters; words are refused"
    );
}

#[test]
fn budget_amounts_are_dollars_with_optional_sign_separators_and_cents() {
    assert_eq!(
        ["12500", "12,500.00", "$12,500.5", "$ 0.75"].map(super::values::parse_amount),
        [Some(1_250_000), Some(1_250_000), Some(1_250_050), Some(75)],
        "each spelling of an amount, in cents"
    );
}

#[test]
fn amounts_that_are_not_money_are_refused() {
    assert_eq!(
        ["12.5.0", "1,25,000", "-40", "12.345", "12.", "ten", ""].map(super::values::parse_amount),
        [None; 7],
        "no guessing: two points, misplaced separators, a sign, fractions of a cent, words"
    );
}
