//! The header: columns by name, those a timesheet export must have, one of
//! each kind, and those not read (`CSK-COL-*`).

use super::*;

#[test]
fn columns_are_found_by_name_in_any_order_and_spelling() {
    // contract: CSK-COL-1
    let read = read(
        "clock OUT,EMPLOYEE NAME,Job #,clock-in,  date \n3:30 PM,Ana Ortiz,J-100,7:00 AM,06/12/2026\n",
    );
    assert_eq!(
        (
            only_entry(&read).data["job_external_id"].clone(),
            span(&read)["end"].clone()
        ),
        (json!("J-100"), json!("2026-06-12T15:30:00-06:00")),
        "Job # is the job number and clock OUT the clock-out, wherever they stand"
    );
}

#[test]
fn a_file_without_the_employee_is_refused_naming_what_it_lacks() {
    // contract: CSK-COL-2
    let error = refused("First Name,Date,Hours\nAna,06/12/2026,8\n");
    assert!(
        error.contains(
            "is not a ClockShark timesheet export: it lacks Employee (or First Name and Last Name)"
        ) && error.contains("move this file out of the folder"),
        "a first name alone is not enough: {error}"
    );
}

#[test]
fn a_file_without_the_time_is_refused_naming_what_it_lacks() {
    // contract: CSK-COL-3
    let error = refused("Name,Total\nAna,16\n");
    assert!(
        error.contains("it lacks Date; Clock In and Clock Out (or Hours)"),
        "a payroll summary has no shifts: {error}"
    );
    let error = refused("Employee,Date,Clock In\nAna Ortiz,06/12/2026,7:00 AM\n");
    assert!(
        error.contains("it lacks Clock In and Clock Out (or Hours)"),
        "a clock-in alone is not a shift's time: {error}"
    );
}

#[test]
fn two_columns_of_one_kind_are_refused() {
    // contract: CSK-COL-4
    let error =
        refused("Employee,Hours,Date,Job,Work Date\nAna Ortiz,8,06/12/2026,Shop,06/13/2026\n");
    assert!(
        error.contains("has two Date columns (C “Date” and E “Work Date”)"),
        "both columns, by letter and header: {error}"
    );
}

#[test]
fn overtime_columns_are_not_read() {
    // contract: CSK-COL-5
    let read = read(
        "Employee,Start,End,Regular,Overtime,Double Time,Total Time\nAna Ortiz,06/12/2026 6:00 AM,06/12/2026 6:00 PM,eight,four,none,??\n",
    );
    assert_eq!(
        (
            span(&read)["kind"].clone(),
            only_entry(&read).data["pay_item_external_id"].clone()
        ),
        (json!("clock"), Value::Null),
        "the twelve clocked hours are read as they are; payroll splits overtime itself"
    );
}
