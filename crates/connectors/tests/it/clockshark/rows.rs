//! Each row's values: the employee, dates, clock times in the company's zone,
//! hours, breaks, shifts still running and time off (`CSK-ROW-*`).

use super::*;

#[test]
fn a_row_without_its_employee_is_refused() {
    // contract: CSK-ROW-1
    let error =
        refused("First Name,Last Name,Date,Hours\nAna,Ortiz,06/12/2026,8\n , ,06/12/2026,8\n");
    assert!(
        error.contains("“timesheets.csv” row 3: it names no employee"),
        "the file, the row, what is wrong: {error}"
    );
}

#[test]
fn a_date_that_is_not_month_day_year_is_refused() {
    // contract: CSK-ROW-2
    let error = refused("Employee,Date,Hours\nAna Ortiz,13/45/2026,8\n");
    assert!(
        error.contains("row 2: its date “13/45/2026” is not a date (month/day/year")
            && error.contains("export the timesheets again"),
        "what it should be and what to do: {error}"
    );
}

#[test]
fn a_two_digit_year_is_this_century() {
    // contract: CSK-ROW-2
    let read = read("Employee,Date,Hours\nAna Ortiz,6/12/26,8\n");
    assert_eq!(
        only_entry(&read).record_date,
        Some(day("2026-06-12")),
        "June 12, 2026: not the year 26, which the pull date would drop"
    );
}

#[test]
fn an_unreadable_clock_time_is_refused_not_replaced_by_the_hours() {
    // contract: CSK-ROW-3
    let error =
        refused("Employee,Date,Clock In,Clock Out,Hours\nAna Ortiz,06/12/2026,7:00 XM,3:00 PM,8\n");
    assert!(
        error.contains("its clock-in “7:00 XM” is not a time"),
        "the bad cell is named, and the row's Hours do not stand in: {error}"
    );
}

#[test]
fn an_iso_time_with_an_offset_keeps_it() {
    // contract: CSK-ROW-3, CSK-ROW-4
    let read = read(
        "Employee,Clock In,Clock Out\nAna Ortiz,2026-06-12T07:00:00-04:00,2026-06-12T15:00:00-04:00\n",
    );
    assert_eq!(
        span(&read)["start"],
        "2026-06-12T07:00:00-04:00",
        "an offset given is the instant, whatever the company's zone"
    );
}

#[test]
fn clock_times_are_placed_in_the_company_zone() {
    // contract: CSK-ROW-4
    let read = read(&format!(
        "{CLOCKED}Ana Ortiz,E1,12/14/2026,7:00 AM,3:30 PM,,\n"
    ));
    assert_eq!(
        span(&read)["start"],
        "2026-12-14T07:00:00-07:00",
        "7:00 AM in Denver in December is UTC-7"
    );
}

#[test]
fn a_clock_time_the_zone_skips_is_refused() {
    // contract: CSK-ROW-4
    let error = refused(&format!(
        "{CLOCKED}Ana Ortiz,E1,03/08/2026,2:30 AM,10:00 AM,,\n"
    ));
    assert!(
        error.contains("its clock-in 03/08/2026 2:30 AM does not exist in America/Denver"),
        "the clocks skipped 2 to 3 AM that morning: {error}"
    );
}

#[test]
fn a_clock_out_earlier_in_the_day_is_the_next_morning() {
    // contract: CSK-ROW-5
    let read = read(&format!(
        "{CLOCKED}Ben Nguyen,E2,06/12/2026,10:00 PM,6:00 AM,,\n"
    ));
    assert_eq!(
        span(&read)["end"],
        "2026-06-13T06:00:00-06:00",
        "10 PM to 6 AM is eight hours into the next morning"
    );
}

#[test]
fn a_dated_clock_out_before_the_clock_in_is_refused() {
    // contract: CSK-ROW-5
    let error = refused("Employee,Start,End\nAna Ortiz,06/12/2026 3:00 PM,06/12/2026 7:00 AM\n");
    assert!(
        error.contains(
            "it clocks out (06/12/2026 7:00 AM) before it clocks in (06/12/2026 3:00 PM)"
        ),
        "a clock-out with its own date is not moved to the next day: {error}"
    );
}

#[test]
fn a_clock_out_equal_to_the_clock_in_is_refused() {
    // contract: CSK-ROW-5
    let error = refused(&format!(
        "{CLOCKED}Ana Ortiz,E1,06/12/2026,7:00 AM,7:00 AM,,\n"
    ));
    assert!(
        error.contains("it clocks out when it clocks in (06/12/2026 7:00 AM)"),
        "not read as a 24-hour shift: {error}"
    );
}

#[test]
fn a_shift_or_hours_longer_than_a_day_is_refused() {
    // contract: CSK-ROW-6
    let error = refused("Employee,Start,End\nAna Ortiz,06/12/2026 7:00 AM,06/13/2026 2:00 PM\n");
    assert!(
        error.contains("its shift is 31:00 hours long"),
        "ClockShark ends forgotten shifts within a day: {error}"
    );
    let error = refused("Employee,Date,Hours\nAna Ortiz,06/12/2026,25\n");
    assert!(
        error.contains("its hours (25:00) are more than a day"),
        "hours too: {error}"
    );
}

#[test]
fn hours_may_be_written_as_hours_and_minutes() {
    // contract: CSK-ROW-7
    let read = read("Employee,Date,Hours\nAna Ortiz,06/13/2026,4:30\n");
    assert_eq!(
        span(&read),
        json!({"kind": "manual", "date": "2026-06-13", "duration_seconds": 16_200}),
        "4:30 is four and a half hours on the row's date"
    );
}

#[test]
fn negative_hours_are_refused() {
    // contract: CSK-ROW-7
    let error = refused("Employee,Date,Hours\nAna Ortiz,06/13/2026,-2\n");
    assert!(
        error.contains("its hours “-2” are not a number of hours"),
        "{error}"
    );
}

#[test]
fn hours_that_are_not_the_clock_times_are_refused() {
    // contract: CSK-ROW-7
    let error =
        refused("Employee,Date,Clock In,Clock Out,Hours\nAna Ortiz,06/12/2026,7:00 AM,3:00 PM,7\n");
    assert!(
        error.contains("its Hours (7.00) are not its clock times (8:00)")
            && error.contains("remove the Hours column"),
        "paying either would be a guess: {error}"
    );
    let read = read(
        "Employee,Date,Clock In,Clock Out,Break,Hours\nAna Ortiz,06/12/2026,7:00 AM,3:30 PM,30,8.5\n",
    );
    assert_eq!(
        span(&read)["duration_seconds"],
        28_800,
        "Hours counting the break too agree with the clock times; the break is still not paid"
    );
}

#[test]
fn a_break_is_taken_out_of_the_shift() {
    // contract: CSK-ROW-8
    let read = read(
        "Employee,Date,Clock In,Clock Out,Break Minutes\nAna Ortiz,06/12/2026,7:00 AM,3:30 PM,30\n",
    );
    assert_eq!(
        span(&read),
        json!({"kind": "manual", "date": "2026-06-12", "duration_seconds": 28_800}),
        "8:30 on the clock less a 30-minute break is eight paid hours on its day"
    );
}

#[test]
fn a_break_as_long_as_the_shift_is_refused() {
    // contract: CSK-ROW-8
    let error = refused(
        "Employee,Date,Clock In,Clock Out,Break\nAna Ortiz,06/12/2026,7:00 AM,3:30 PM,9:00\n",
    );
    assert!(
        error.contains("its break (540 minutes) is not shorter than its shift (8:30)"),
        "{error}"
    );
}

#[test]
fn a_shift_still_running_is_left_out_and_said_so() {
    // contract: CSK-ROW-9
    let read = read(&format!(
        "{CLOCKED}Ana Ortiz,E1,06/12/2026,7:00 AM,,,\nBen Nguyen,E2,06/12/2026,7:00 AM,3:00 PM,,\n"
    ));
    assert_eq!(
        (entries(&read).len(), read.skipped.clone()),
        (
            1,
            vec!["“timesheets.csv” row 2: Ana Ortiz is still clocked in (since 06/12/2026 7:00 AM); it is left out until the shift ends and is exported again.".to_owned()]
        ),
        "Ben's finished shift is read; Ana's is reported, not refused"
    );
}

#[test]
fn a_row_without_a_clock_in_or_any_time_is_refused() {
    // contract: CSK-ROW-9
    let error = refused(&format!("{CLOCKED}Ana Ortiz,E1,06/12/2026,,3:00 PM,,\n"));
    assert!(
        error.contains("it clocks out but never clocks in"),
        "{error}"
    );
    let error = refused("Employee,Date,Clock In,Clock Out,Hours\nAna Ortiz,06/12/2026,,,\n");
    assert!(
        error.contains("it has no clock times and no hours"),
        "{error}"
    );
}

#[test]
fn a_date_that_is_not_the_clock_in_s_day_is_refused() {
    // contract: CSK-ROW-10
    let error = refused(
        "Employee,Date,Start,End\nAna Ortiz,06/13/2026,06/12/2026 7:00 AM,06/12/2026 3:00 PM\n",
    );
    assert!(
        error.contains("its date (06/13/2026) is not the day it clocks in (06/12/2026)"),
        "{error}"
    );
}

#[test]
fn time_off_is_paid_time_off_and_unpaid_time_off_is_left_out() {
    // contract: CSK-ROW-11
    let read = read(
        "Employee,Date,Hours,Time Off,Unpaid Time Off\nAna Ortiz,06/12/2026,8,480,0\nBen Nguyen,06/12/2026,8,0,480\n",
    );
    assert_eq!(
        (
            only_entry(&read).data["pay_item_external_id"].clone(),
            records(&read, Module::PayItems)[0].data["category"].clone(),
            read.skipped.clone()
        ),
        (
            json!("time-off"),
            json!("pto"),
            vec![
                "“timesheets.csv” row 3: it is unpaid time off, which is not paid; left out."
                    .to_owned()
            ]
        ),
        "Ana's day off is paid as time off; Ben's unpaid day is left out and said so"
    );
}

#[test]
fn time_off_that_is_not_a_number_is_refused() {
    // contract: CSK-ROW-11
    let error = refused("Employee,Date,Hours,Time Off\nAna Ortiz,06/12/2026,8,yes\n");
    assert!(
        error.contains("its time off “yes” is not a number"),
        "{error}"
    );
}
