//! ClockShark's exports (timesheets, and the employee, job and task
//! lists), through the folder source a sync and the connect dialog use:
//! each case writes one mutated export into a folder and checks it, then
//! reads it. Seeds: the timesheet fixture and each list as exported.

use std::path::Path;

use proptest::prelude::*;
use timebridge_connectors::clockshark::ClockShark;
use timebridge_connectors::folder::{FolderOptions, FolderRead, FolderSource};

use super::{assert_refusal, config, input, timed};

pub const CSV: &[&str] = &[
    ",",
    ";",
    "\t",
    "\"",
    "\"\"",
    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
    "\n\n\n",
    "Employee,Date,Hours\n",
    "First Name,Last Name,Employee ID,",
    "Start,End,",
    "Job,Job Number,Task,Task Code,",
    "Hours,Regular,Overtime,Double Time,Time Off,Unpaid Time Off",
    "06/08/2026 7:00 AM",
    "06/08/2026 11:59 PM",
    "13/45/2026",
    "02/29/2025",
    "12:00 AM",
    "7:00 XM",
    "$12,500.00",
    "-480",
    "1e400",
    "999999999999999",
    "Yes",
    "No",
];

/// Real exports: the timesheet fixture and the lists beside it.
pub fn seeds() -> Vec<Vec<u8>> {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clockshark/timesheet-export.csv"
    );
    vec![
        std::fs::read(fixture).expect("the fixture is there"),
        b"Employee,Employee ID,Date,Hours,Job,Job #,Task\nAna Ortiz,E1,06/12/2026,8,Maple Court,J-100,Mowing\n".to_vec(),
        b"First Name,Last Name,Employee ID,Email,Phone,Status\nAna,Ortiz,E1,ana@example.com,555-0100,Active\nBen,Nguyen,E2,,,Inactive\n".to_vec(),
        b"Job Name,Job Number,Customer,Total Hours Budgeted,Budget Cost,Status\nMaple Court,J-100,Maple HOA,120.5,\"$12,500.00\",Active\nShop,J-300,,,,\n".to_vec(),
        b"Task,Task Code\nMowing,\nPruning,PR\n".to_vec(),
    ]
}

/// What a read made stays in proportion to the file: no record, skipped
/// row or date range without a byte of it behind.
pub fn assert_bounded(read: &FolderRead, bytes: usize) {
    let records: usize = read.modules.iter().map(|(_, r)| r.len()).sum();
    assert!(
        records + read.skipped.len() + read.dates.len() <= 8 * (bytes + 1),
        "a read makes no more than a few records per byte: {records} from {bytes} bytes"
    );
}

fn check_and_read(source: &dyn FolderSource, path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("the export is written");
    let options = FolderOptions::any();
    if let Err(error) = timed("check_file", || source.check_file(path, &options)) {
        assert_refusal(&error.message, &[]);
    }
    match timed("read", || source.read(&[path.to_path_buf()], &options)) {
        Ok(read) => assert_bounded(&read, bytes.len()),
        Err(error) => assert_refusal(&error.message, &[]),
    }
}

proptest! {
    #![proptest_config(config("clockshark_exports", 1))]

    #[test]
    fn any_export_is_read_or_refused_in_words(bytes in input(seeds(), CSV)) {
        let dir = tempfile::tempdir().expect("a temp folder");
        check_and_read(&ClockShark, &dir.path().join("timesheets.csv"), &bytes);
    }
}
