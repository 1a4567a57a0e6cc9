//! Shifts dated before the pull date: not read, but counted, so the
//! connect check and a sync that reads nothing can say why.

use super::*;

fn options(pull_from: &str) -> FolderOptions {
    FolderOptions {
        zone: denver(),
        pull_from: day(pull_from),
        layout: None,
    }
}

fn summary(pull_from: &str) -> String {
    let dir = folder_with(&[("timesheets.csv", &fixture())]);
    folder::check(&ClockShark, dir.path(), &options(pull_from))
        .expect("the fixture checks")
        .describe()
}

fn read_with(pull_from: &str) -> FolderRead {
    let dir = folder_with(&[("timesheets.csv", &fixture())]);
    let files = folder::export_files(&ClockShark, dir.path()).expect("the export is listed");
    ClockShark
        .read(&files, &options(pull_from))
        .expect("the fixture reads")
}

#[test]
fn the_check_counts_the_shifts_before_the_pull_date_and_says_the_date_that_reads_them() {
    let said = summary("2026-06-10");
    assert!(
        said.contains("5 rows. 3 of the 5 rows are dated before the pull date, Jun 10, 2026")
            && said.contains("set the pull date to Jun 8, 2026 (2026-06-08)"),
        "three shifts are before June 10; the earliest is June 8: {said}"
    );
}

#[test]
fn the_check_says_nothing_of_the_pull_date_when_every_shift_is_after_it() {
    let said = summary("2026-06-01");
    assert!(
        !said.contains("pull date"),
        "every shift is read, so nothing is said of the date: {said}"
    );
}

#[test]
fn a_read_with_every_shift_before_the_pull_date_notes_why_no_time_was_read() {
    let read = read_with("2026-07-01");
    assert_eq!(read.before_pull.rows, 5, "all five shifts are counted");
    assert_eq!(
        read.before_pull.earliest,
        Some(day("2026-06-08")),
        "the earliest shift's day"
    );
    let note = read
        .before_pull_note(day("2026-07-01"), 7)
        .expect("a note, since no time was read");
    assert!(
        note.contains("all 5 rows") && note.contains("integrations set 7 --pull-from 2026-06-08"),
        "the note counts the rows and gives the command that reads them: {note}"
    );
}

#[test]
fn a_read_that_found_some_time_has_no_pull_date_note() {
    let read = read_with("2026-06-10");
    assert_eq!(read.before_pull.rows, 3, "three shifts are before June 10");
    assert!(
        read.before_pull_note(day("2026-06-10"), 7).is_none(),
        "time was read, so the run does not repeat the count"
    );
}
