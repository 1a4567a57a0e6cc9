//! The same shift twice, in one file or two, and one ID naming two records
//! (`CSK-DUP-*`).

use super::*;

#[test]
fn the_same_shift_twice_in_one_file_is_refused() {
    // contract: CSK-DUP-1
    let row = "Ana Ortiz,E1,06/12/2026,7:00 AM,3:30 PM,Maple Court,Mowing\n";
    let error = refused(&format!("{CLOCKED}{row}{row}"));
    assert!(
        error.contains(
            "“timesheets.csv” rows 2 and 3 are the same shift (Ana Ortiz, 06/12/2026 7:00 AM)"
        ),
        "reading both would pay it twice: {error}"
    );
    let error = refused(
        "Timesheet ID,Employee,Date,Hours\n77,Ana Ortiz,06/12/2026,8\n77,Ben Nguyen,06/12/2026,6\n",
    );
    assert!(
        error.contains("rows 2 and 3 are the same shift (Timesheet ID 77)"),
        "one Timesheet ID is one shift: {error}"
    );
}

#[test]
fn the_same_shift_in_two_files_is_read_once() {
    // contract: CSK-DUP-2
    let export = format!("{CLOCKED}Ana Ortiz,E1,06/12/2026,7:00 AM,3:30 PM,Maple Court,Mowing\n");
    let dir = folder_with(&[
        ("week.csv", export.as_bytes()),
        ("week (1).csv", export.as_bytes()),
    ]);
    let read = read_folder(dir.path()).expect("a re-export beside the first is fine");
    assert_eq!(entries(&read).len(), 1, "one shift, read once");
}

#[test]
fn the_same_shift_with_different_values_in_two_files_is_refused() {
    // contract: CSK-DUP-2
    let export = "Timesheet ID,Employee,Date,Hours,Notes\n77,Ana Ortiz,06/12/2026,8,front lawn\n";
    let edited = export.replace("front lawn", "front and back lawn");
    let dir = folder_with(&[
        ("week.csv", export.as_bytes()),
        ("week (1).csv", edited.as_bytes()),
    ]);
    let error = read_folder(dir.path()).expect_err("which copy is right cannot be told");
    assert!(
        error.contains("“week (1).csv” row 2 and “week.csv” row 2 are the same shift (Timesheet ID 77) with different values")
            && error.contains("Move the older export out of the folder"),
        "{error}"
    );
}

#[test]
fn one_employee_id_naming_two_people_is_refused() {
    // contract: CSK-DUP-3
    let error = refused(&format!(
        "{CLOCKED}Ana Ortiz,E1,06/12/2026,7:00 AM,3:30 PM,,\nBen Nguyen,E1,06/12/2026,8:00 AM,4:00 PM,,\n"
    ));
    assert!(
        error.contains("row 3: Employee ID E1 is Ben Nguyen here but Ana Ortiz on row 2"),
        "{error}"
    );
    let error = refused(
        "Employee,Date,Hours,Job,Job #\nAna Ortiz,06/12/2026,8,Maple Court,J-1\nAna Ortiz,06/13/2026,8,Cedar Ridge,J-1\n",
    );
    assert!(
        error.contains("Job Number J-1 is Cedar Ridge here but Maple Court on row 2"),
        "{error}"
    );
}
