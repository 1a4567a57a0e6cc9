//! The reader's rules seen whole: a file Timebridge writes from a layout is
//! guessed back as that layout and reads back the same rows; a bad row
//! leaves its file out; the days of a left-out file are not covered.

use std::path::PathBuf;

use chrono::NaiveDate;
use timebridge_core::middleware::csv_layouts::{CsvColumn, CsvDuration, CsvField, CsvLayout};

use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn layout(
    delimiter: &str,
    date_format: &str,
    time_format: &str,
    duration: CsvDuration,
) -> CsvLayout {
    let column = |header: &str, field| CsvColumn {
        header: header.into(),
        field: Some(field),
    };
    CsvLayout {
        name: "written".into(),
        columns: vec![
            column("Employee", CsvField::Employee),
            column("Emp #", CsvField::EmployeeNumber),
            column("Date", CsvField::Date),
            column("Clock In", CsvField::Start),
            column("Clock Out", CsvField::End),
            column("Break", CsvField::Break),
            column("Hours", CsvField::Hours),
            column("Job", CsvField::Job),
            column("Task", CsvField::Task),
            column("Pay Type", CsvField::PayId),
            column("Notes", CsvField::Notes),
        ],
        has_header: true,
        delimiter: delimiter.into(),
        date_format: date_format.into(),
        time_format: time_format.into(),
        duration_format: duration,
        time_zone: None,
    }
}

/// Rows as Timebridge would write them from `layout`: (employee, number,
/// day, start hour and minute, length in minutes, break in minutes).
fn write(layout: &CsvLayout, dir: &Path) -> PathBuf {
    let shifts = [
        ("Ana Ortiz", "E1", "2026-03-02", (7, 0), 510, 30),
        ("Ben Nguyen", "E2", "2026-03-13", (22, 0), 480, 0),
        ("Ana Ortiz", "E1", "2026-03-04", (6, 45), 300, 0),
    ];
    let d = layout.delimiter.as_str();
    let mut text = layout
        .columns
        .iter()
        .map(|c| c.header.clone())
        .collect::<Vec<_>>()
        .join(d);
    text.push('\n');
    for (name, number, date, (h, m), minutes, break_minutes) in shifts {
        let date = day(date);
        let start = date.and_hms_opt(h, m, 0).expect("a time");
        let end = start + chrono::Duration::minutes(minutes);
        let worked = (minutes - break_minutes) * 60;
        let cells = [
            name.to_owned(),
            number.to_owned(),
            date.format(&layout.date_format).to_string(),
            start.format(&layout.time_format).to_string(),
            end.format(&layout.time_format).to_string(),
            values::write_duration(break_minutes * 60, layout.duration_format),
            values::write_duration(worked, layout.duration_format),
            "Maple Court".to_owned(),
            "Mowing".to_owned(),
            "Regular".to_owned(),
            "front lawn".to_owned(),
        ];
        // A decimal comma in the durations of a `;` file.
        let cells: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                5 | 6 if layout.delimiter == ";" => c.replace('.', ","),
                _ => c.clone(),
            })
            .collect();
        text.push_str(&cells.join(d));
        text.push('\n');
    }
    let path = dir.join("written.csv");
    std::fs::write(&path, text).expect("written");
    path
}

fn options(layout: CsvLayout) -> FolderOptions {
    FolderOptions {
        zone: chrono_tz::America::Chicago,
        pull_from: day("2026-01-01"),
        layout: Some(layout),
    }
}

#[test]
fn a_file_written_from_a_layout_is_guessed_back_and_reads_the_same_rows() {
    let layouts = [
        layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes),
        layout(";", "%d.%m.%Y", "%H:%M", CsvDuration::DecimalHours),
        layout("\t", "%Y-%m-%d", "%H:%M:%S", CsvDuration::Minutes),
        layout("|", "%d/%m/%Y", "%I:%M %p", CsvDuration::HoursMinutes),
    ];
    for written in layouts {
        let dir = tempfile::tempdir().expect("a folder");
        let path = write(&written, dir.path());
        let preview = preview(&path).expect("the file previews");
        let mut guessed = preview.guess.clone();
        guessed.name = written.name.clone();
        assert_eq!(
            guessed, written,
            "the guess of a file written from a layout is that layout"
        );
        assert!(preview.problems.is_empty(), "{:?}", preview.problems);
        let by_written = CsvFiles.read(std::slice::from_ref(&path), &options(written.clone()));
        let by_guess = CsvFiles.read(&[path], &options(guessed));
        let records =
            |read: Result<FolderRead, ConnectorError>| read.expect("the file reads").modules;
        let (a, b) = (records(by_written), records(by_guess));
        assert_eq!(a, b, "the guess reads back the same rows");
        let times = &a
            .iter()
            .find(|(m, _)| *m == Module::TimeEntries)
            .expect("time")
            .1;
        assert_eq!(
            times.len(),
            3,
            "every row is a time entry ({})",
            written.delimiter
        );
    }
}

use timebridge_core::middleware::Module;

#[test]
fn a_bad_row_leaves_its_file_out_and_the_other_files_still_read() {
    let dir = tempfile::tempdir().expect("a folder");
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let good = write(&written, dir.path());
    let bad = dir.path().join("timesheet.csv");
    let text = std::fs::read_to_string(&good)
        .expect("read")
        .replace("03/04/2026,06:45 AM,11:45 AM", "03/04/2026,06:45 AM,25:10");
    std::fs::write(&bad, text).expect("written");
    let read = CsvFiles
        .read(&[bad, good], &options(written))
        .expect("the folder reads");
    assert_eq!(read.files_left_out.len(), 1, "one file is left out");
    assert!(
        read.files_left_out[0].contains(
            "timesheet.csv, line 4, column “Clock Out”: “25:10” is not a time written like 05:30 PM"
        ),
        "the file, line and column are named: {}",
        read.files_left_out[0]
    );
    assert!(
        read.dates.is_empty(),
        "the good file's days are the left-out file's too: none are covered ({:?})",
        read.dates
    );
}

#[test]
fn a_left_out_file_uncovers_only_its_own_days() {
    let spans = vec![(day("2026-03-01"), day("2026-03-31"))];
    let holes = [(day("2026-03-10"), day("2026-03-12"))];
    assert_eq!(
        without(spans, &holes),
        [
            (day("2026-03-01"), day("2026-03-09")),
            (day("2026-03-13"), day("2026-03-31"))
        ],
        "the days before and after stay covered"
    );
}

#[test]
fn a_file_without_the_layouts_columns_is_skipped_by_name() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("other.csv");
    std::fs::write(&path, "Worker,Day,Total\nAna,03/02/2026,8\n").expect("written");
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let read = CsvFiles.read(&[path], &options(written)).expect("read");
    assert!(
        read.files_skipped.len() == 1 && read.files_skipped[0].contains("“other.csv” was skipped"),
        "the file is named: {:?}",
        read.files_skipped
    );
}

#[test]
fn a_workbook_is_left_out_saying_to_save_it_as_csv() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("time.csv");
    std::fs::write(&path, b"PK\x03\x04 not really a sheet").expect("written");
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let read = CsvFiles.read(&[path], &options(written)).expect("read");
    assert!(
        read.files_left_out.len() == 1 && read.files_left_out[0].contains("save it as CSV"),
        "the admin is told what to do: {:?}",
        read.files_left_out
    );
}

#[test]
fn an_empty_file_is_zero_rows_not_a_file_of_other_columns() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("time.csv");
    std::fs::write(&path, "\n\n").expect("written");
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let read = CsvFiles.read(&[path], &options(written)).expect("read");
    assert!(
        read.files_skipped.is_empty() && read.files_left_out.is_empty(),
        "nothing to read is not a problem"
    );
}

#[test]
fn a_left_out_file_of_unknown_days_covers_no_day_of_the_others() {
    let dir = tempfile::tempdir().expect("a folder");
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let good = write(&written, dir.path());
    let workbook = dir.path().join("old.csv");
    std::fs::write(&workbook, b"PK\x03\x04").expect("written");
    let read = CsvFiles
        .read(&[workbook, good], &options(written))
        .expect("read");
    assert!(
        read.dates.is_empty(),
        "the workbook may hold any day: nothing is removed at the source ({:?})",
        read.dates
    );
}

/// A large export's lines (past the size read on several threads): every
/// tenth row a repeat of the one before, one row before the pull date, one
/// of no time, and bad rows near the start, the middle and the end.
fn large_file(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from(
        "Employee,Emp #,Date,Clock In,Clock Out,Break,Hours,Job,Task,Pay Type,Notes\n",
    );
    for n in 0..rows {
        let day = 1 + n % 28;
        let line = match n {
            5 => "Ana Ortiz,E1,02/03/2026,7:00 AM,31:00 PM,,,Maple,Mow,Regular,\n".to_owned(),
            n if n == rows / 2 => "Ana Ortiz,E1,02/03/2026,,,,lots,Maple,Mow,Regular,\n".to_owned(),
            n if n == rows - 3 => {
                "Ana Ortiz,E1,13/45/2026,7:00 AM,3:00 PM,,,Maple,Mow,Regular,\n".to_owned()
            }
            7 => "Ben Nguyen,E2,12/30/2025,7:00 AM,3:00 PM,,,Maple,Mow,Regular,\n".to_owned(),
            9 => "Ben Nguyen,E2,03/02/2026,,,,0:00,Maple,Mow,Regular,\n".to_owned(),
            n if n % 10 == 1 => format!(
                "Worker {w},W{w},03/{day:02}/2026,6:00 AM,2:00 PM,0:30,,Job {j},Task {t},Regular,again\n",
                w = (n - 1) % 300,
                j = (n - 1) % 40,
                t = (n - 1) % 7
            ),
            n => format!(
                "Worker {w},W{w},03/{day:02}/2026,6:00 AM,2:00 PM,0:30,,Job {j},Task {t},Regular,row {n}\n",
                w = n % 300,
                j = n % 40,
                t = n % 7
            ),
        };
        text.push_str(&line);
    }
    let path = dir.join("large.csv");
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn a_large_file_read_on_several_threads_reads_as_one_thread_reads_it() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = large_file(dir.path(), 3 * PARALLEL_FROM);
    let written = layout(",", "%m/%d/%Y", "%I:%M %p", CsvDuration::HoursMinutes);
    let options = options(written.clone());
    let (lines, _) = text::read(&path, written.delimiter_byte()).expect("the file reads");
    let columns = Columns::find(&written, &lines).expect("its columns");
    let reader = Reader {
        layout: &written,
        columns: &columns,
        zone: options.zone,
        pull_from: options.pull_from,
        formats: Formats::of(&written.date_format, &written.time_format),
    };
    let body = &lines[columns.first_row..];
    let (many, one) = (
        read_rows(&reader, body, "large.csv"),
        read_run(&reader, body, "large.csv"),
    );
    assert_eq!(
        many.problems, one.problems,
        "the same problems, in line order"
    );
    assert!(
        many.problems.len() == 3 && many.problems[0].contains("line 7"),
        "the three bad rows, the first one first: {:?}",
        many.problems
    );
    assert_eq!(
        (many.first, many.last, many.no_time, many.before_pull),
        (one.first, one.last, one.no_time, one.before_pull),
        "the same days, rows of no time and rows before the pull date"
    );
    assert_eq!(
        (many.no_time, many.before_pull.rows),
        (1, 1),
        "the row of no time and the row before the pull date are counted once"
    );
    let staged = |rows: FileRows| {
        let mut collected = Collected::default();
        collected.keep(rows);
        collected.into_modules()
    };
    assert_eq!(
        staged(many.rows),
        staged(one.rows),
        "the same records, with the same ids, staged from either"
    );
}
