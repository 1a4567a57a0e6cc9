//! Which files are read, and their bytes: CSV text in UTF-8, comma-separated,
//! every row as wide as the header (`CSK-FILE-*`).

use super::*;

#[test]
fn only_csv_files_are_read_and_counted() {
    // contract: CSK-FILE-1
    let summary = check(&[
        ("week.CSV", b"Employee,Date,Hours\nAna Ortiz,06/12/2026,8\n"),
        (
            "notes.txt",
            b"Employee,Date,Hours\nBen Nguyen,06/12/2026,8\n",
        ),
        ("summary.pdf", b"%PDF-1.7"),
    ]);
    assert_eq!(
        summary.as_deref(),
        Ok("1 export file, 1 rows"),
        "the .CSV is read (any case); the text and PDF files beside it are left alone"
    );
}

#[test]
fn an_excel_workbook_in_the_folder_is_refused_by_name() {
    // contract: CSK-FILE-2
    let error = check(&[
        ("week.csv", b"Employee,Date,Hours\nAna Ortiz,06/12/2026,8\n"),
        ("timesheets.xlsx", b"PK\x03\x04 a workbook"),
    ])
    .expect_err("a workbook is not passed over");
    assert!(
        error.contains("“timesheets.xlsx” is an Excel workbook")
            && error.contains("export the timesheets again as CSV"),
        "the admin is told which file and to export CSV instead: {error}"
    );
}

#[test]
fn a_workbook_saved_with_a_csv_name_is_refused() {
    // contract: CSK-FILE-2
    let error = check(&[(
        "timesheets.csv",
        b"PK\x03\x04\x14\x00\x06\x00 xl/workbook.xml",
    )])
    .expect_err("its bytes are a workbook");
    assert!(
        error.contains("“timesheets.csv” is an Excel workbook"),
        "the bytes, not the name, tell: {error}"
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_header() {
    // contract: CSK-FILE-3
    let read = read("\u{feff}Employee,Date,Hours\nAna Ortiz,06/12/2026,8\n");
    assert_eq!(
        only_entry(&read).label,
        "Ana Ortiz · 2026-06-12",
        "the first column is Employee, the mark before it set aside"
    );
}

#[test]
fn clockshark_s_per_shift_export_is_read_whole() {
    // contract: CSK-FILE-3, CSK-COL-1, CSK-ROW-3
    let dir = folder_with(&[("timesheet-export.csv", &fixture())]);
    let read = read_folder(dir.path()).expect("the export is read");
    assert_eq!(
        (entries(&read).len(), read.skipped.len()),
        (4, 1),
        "four shifts of paid time; the unpaid leave is left out and said so"
    );
    let night = entries(&read)
        .iter()
        .find(|e| e.data["notes"] == "night shift")
        .expect("Ben's night shift");
    assert_eq!(
        night.data["span"],
        json!({"kind": "clock", "start": "2026-06-09T22:00:00-06:00", "end": "2026-06-10T06:00:00-06:00"}),
        "Start and End cells each hold a date and a time"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_the_line() {
    // contract: CSK-FILE-4
    let error = check(&[(
        "timesheets.csv",
        b"Employee,Date,Hours\nAna Ortiz,06/12/2026,8\nJos\xE9 Ruiz,06/12/2026,8\n",
    )])
    .expect_err("Windows-1252 bytes");
    assert!(
        error.contains("“timesheets.csv” is not UTF-8 text")
            && error.contains("line 3")
            && error.contains("CSV UTF-8"),
        "the file, the line, and how to save it: {error}"
    );
}

#[test]
fn a_utf16_file_is_refused() {
    // contract: CSK-FILE-4
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Employee,Date,Hours\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let error = check(&[("timesheets.csv", &utf16)]).expect_err("UTF-16");
    assert!(
        error.contains("is not UTF-8 text (it is UTF-16"),
        "named as what it is: {error}"
    );
}

#[test]
fn an_empty_file_is_refused_as_empty() {
    // contract: CSK-FILE-5
    for bytes in [&b""[..], b"\xEF\xBB\xBF\r\n", b"   \n"] {
        let error = check(&[("timesheets.csv", bytes)]).expect_err("nothing in it");
        assert!(
            error.contains("“timesheets.csv” is empty"),
            "said to be empty, not to lack columns: {error}"
        );
    }
}

#[test]
fn a_file_with_only_its_header_is_days_without_time() {
    // contract: CSK-FILE-5
    let read = read("Employee,Date,Hours\n");
    assert_eq!(
        (entries(&read).len(), read.dates.len()),
        (0, 0),
        "no time, and no days covered (so nothing is removed)"
    );
}

#[test]
fn a_file_separated_by_semicolons_is_refused_saying_so() {
    // contract: CSK-FILE-6
    let error = refused("Employee;Date;Hours\nAna Ortiz;06/12/2026;8\n");
    assert!(
        error.contains("is separated by semicolons, not commas"),
        "the separator is named: {error}"
    );
}

#[test]
fn a_quoted_value_may_hold_commas_quotes_and_line_breaks() {
    // contract: CSK-FILE-6
    let read = read(
        "Employee,Date,Hours,Notes\nAna Ortiz,06/12/2026,8,\"front, \"\"back\"\"\nand side\"\n",
    );
    assert_eq!(
        only_entry(&read).data["notes"],
        "front, \"back\"\nand side",
        "RFC 4180 quoting"
    );
}

#[test]
fn a_row_wider_or_narrower_than_the_header_is_refused() {
    // contract: CSK-FILE-7
    let error = refused(
        "Employee,Date,Hours,Job\nAna Ortiz,06/12/2026,8,Maple Court\nBen Nguyen,06/12/2026,8,Maple, Court\nCara Diaz,06/12/2026,8\n",
    );
    assert!(
        error.contains("row 3 has 5 values but the header has 4")
            && error.contains("row 4 has 3 values but the header has 4")
            && error.contains("must be in double quotes"),
        "both rows, and why a row grows: {error}"
    );
}
