//! What a read does with the folder: refused whole, checked before it is
//! saved, the pull date, the days each file covers, rows left out
//! (`CSK-READ-*`).

use super::*;

#[test]
fn one_bad_row_refuses_the_read_naming_every_problem() {
    // contract: CSK-READ-1
    let rows: String = (1..=7)
        .map(|d| {
            format!(
                "Ana Ortiz,06/{d:02}/2026,{}\n",
                if d == 1 { "8" } else { "x" }
            )
        })
        .collect();
    let error = refused(&format!("Employee,Date,Hours\n{rows}"));
    assert!(
        error.starts_with("Nothing was read from the export folder, and what was synced before is kept: the exports have 6 problems.")
            && error.contains("row 3: its hours “x”")
            && error.contains("row 7: its hours “x”")
            && !error.contains("row 8")
            && error.ends_with("(and 1 more)"),
        "the read is refused whole; five problems shown, the sixth counted: {error}"
    );
}

#[test]
fn the_folder_check_applies_the_row_rules() {
    // contract: CSK-READ-2
    let error = check(&[(
        "timesheets.csv",
        b"Employee,Date,Hours\nAna Ortiz,13/45/2026,8\n",
    )])
    .expect_err("a folder its sync would refuse");
    assert!(
        error.starts_with("This folder cannot be used yet")
            && error.contains("“timesheets.csv” row 2: its date “13/45/2026” is not a date"),
        "refused before it is saved: {error}"
    );
}

#[test]
fn time_before_the_pull_date_is_left_out() {
    // contract: CSK-READ-3
    let read = read("Employee,Date,Hours\nAna Ortiz,05/30/2026,8\nAna Ortiz,06/02/2026,8\n");
    assert_eq!(
        (entries(&read).len(), read.skipped.len()),
        (1, 0),
        "only June 2 is on or after the June 1 pull date; May 30 is not reported"
    );
}

#[test]
fn each_file_covers_its_own_days() {
    // contract: CSK-READ-4
    let week = |d: u32| {
        format!(
            "Employee,Date,Hours\nAna Ortiz,06/{d:02}/2026,8\nAna Ortiz,06/{:02}/2026,8\n",
            d + 4
        )
    };
    let dir = folder_with(&[
        ("week1.csv", week(1).as_bytes()),
        ("week3.csv", week(15).as_bytes()),
    ]);
    let read = read_folder(dir.path()).expect("read");
    assert_eq!(
        read.dates,
        vec![
            (day("2026-06-01"), day("2026-06-05")),
            (day("2026-06-15"), day("2026-06-19"))
        ],
        "the second week, between them, is covered by neither"
    );
}

#[test]
fn rows_left_out_are_reported_with_file_and_row() {
    // contract: CSK-READ-5
    let dir = folder_with(&[("timesheet-export.csv", &fixture())]);
    let read = read_folder(dir.path()).expect("read");
    assert_eq!(
        read.skipped,
        ["“timesheet-export.csv” row 6: it is unpaid time off, which is not paid; left out."],
        "the run counts it as skipped and the log says where and why"
    );
}
