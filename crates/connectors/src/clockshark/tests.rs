use super::*;
use crate::folder;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

fn denver() -> chrono_tz::Tz {
    "America/Denver".parse().expect("a zone")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

const EXPORT: &str = "\u{feff}Employee,Employee ID,Date,Clock In,Clock Out,Hours,Job,Job #,Customer,Task,Notes\n\
Ana Ortiz,E1,06/12/2026,7:00 AM,3:30 PM,8.5,Maple Court,J-100,Maple HOA,Mowing,front lawn\n\
Ben Nguyen,E2,06/12/2026,10:00 PM,6:00 AM,8,Maple Court,J-100,Maple HOA,Snow removal,\n\
Ana Ortiz,E1,06/13/2026,,,4:30,Shop,,,,\n";

fn read(text: &str) -> FolderRead {
    let dir = tempfile::tempdir().expect("temp folder");
    let path = write(dir.path(), "timesheets.csv", text);
    ClockShark
        .read(&[path], denver(), day("2026-06-01"))
        .expect("readable")
}

fn records(read: &FolderRead, module: Module) -> &[Incoming] {
    read.modules
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[], |(_, r)| r.as_slice())
}

#[test]
fn a_clocked_row_is_placed_in_the_company_zone() {
    let read = read(EXPORT);
    let ana = records(&read, Module::TimeEntries)
        .iter()
        .find(|t| t.data["notes"] == "front lawn")
        .expect("Ana's clocked row");
    assert_eq!(
        ana.data["span"]["start"], "2026-06-12T07:00:00-06:00",
        "7:00 AM in Denver in June is UTC-6"
    );
}

#[test]
fn a_shift_that_clocks_out_after_midnight_ends_the_next_day() {
    let read = read(EXPORT);
    let ben = records(&read, Module::TimeEntries)
        .iter()
        .find(|t| t.data["employee_external_id"] == "E2")
        .expect("Ben's row");
    assert_eq!(
        ben.data["span"]["end"], "2026-06-13T06:00:00-06:00",
        "10 PM to 6 AM is eight hours into the next morning"
    );
}

#[test]
fn a_row_with_hours_but_no_clock_times_is_hours_on_its_date() {
    let read = read(EXPORT);
    let shop = records(&read, Module::TimeEntries)
        .iter()
        .find(|t| {
            t.record_date == Some(day("2026-06-13")) && t.data["employee_external_id"] == "E1"
        })
        .expect("the shop row");
    assert_eq!(
        shop.data["span"],
        json!({"kind": "manual", "date": "2026-06-13", "duration_seconds": 16_200}),
        "4:30 is four and a half hours"
    );
}

#[test]
fn the_rows_name_each_employee_job_customer_and_task_once() {
    let read = read(EXPORT);
    let count = |m| records(&read, m).len();
    assert_eq!(
        (
            count(Module::Employees),
            count(Module::Customers),
            count(Module::Jobs),
            count(Module::Tasks)
        ),
        (2, 1, 2, 2),
        "Ana and Ben; Maple HOA; Maple Court (J-100) and the shop; mowing and snow removal"
    );
    let job = records(&read, Module::Jobs)
        .iter()
        .find(|j| j.external_id == "J-100")
        .expect("keyed by its number");
    assert_eq!(
        job.data["customer_external_id"], "customer:maple hoa",
        "the job is its customer's"
    );
}

#[test]
fn the_same_row_in_a_later_export_keeps_its_key() {
    let first = read(EXPORT);
    let again = read(&EXPORT.replace("front lawn", "front and back lawn"));
    let key = |r: &FolderRead| {
        records(r, Module::TimeEntries)
            .iter()
            .find(|t| t.data["employee_external_id"] == "E1" && t.data["span"]["kind"] == "clock")
            .map(|t| t.external_id.clone())
    };
    assert_eq!(
        key(&first),
        key(&again),
        "an edited note is the same time entry, so the next sync shows it changed, not new"
    );
}

#[test]
fn a_row_that_cannot_be_read_is_skipped_with_its_line_and_reason() {
    let read = read("Employee,Date,Hours\nAna Ortiz,13/45/2026,8\nBen Nguyen,06/12/2026,8\n");
    assert_eq!(
        records(&read, Module::TimeEntries).len(),
        1,
        "the good row is kept"
    );
    assert_eq!(
        read.skipped,
        ["timesheets.csv line 2: its date “13/45/2026” is not a date"],
        "the bad row is reported with where it is and why"
    );
}

#[test]
fn time_before_the_pull_date_stays_out() {
    let read = read("Employee,Date,Hours\nAna Ortiz,05/30/2026,8\nAna Ortiz,06/02/2026,8\n");
    assert_eq!(
        records(&read, Module::TimeEntries).len(),
        1,
        "only June 2 is on or after the June 1 pull date"
    );
}

#[test]
fn a_file_with_the_wrong_columns_is_refused_by_name_with_what_it_lacks() {
    let dir = tempfile::tempdir().expect("temp folder");
    write(
        dir.path(),
        "a.csv",
        "Employee,Date,Hours\nAna,06/12/2026,8\n",
    );
    write(dir.path(), "invoices.csv", "Invoice,Amount\n1,20\n");
    let error = folder::check(&ClockShark, dir.path()).expect_err("one file is not an export");
    assert!(
        error.message.contains("“invoices.csv”")
            && error
                .message
                .contains("it lacks Employee (or First Name and Last Name); Date;"),
        "the message names the file and the missing columns: {}",
        error.message
    );
}

#[test]
fn a_folder_that_does_not_exist_is_said_plainly() {
    let dir = tempfile::tempdir().expect("temp folder");
    let missing = dir.path().join("nope");
    let error = folder::check(&ClockShark, &missing).expect_err("missing");
    assert!(
        error.message.contains("does not exist"),
        "the admin is told the folder is missing: {}",
        error.message
    );
}

#[test]
fn a_good_folder_reports_its_files_and_rows() {
    let dir = tempfile::tempdir().expect("temp folder");
    write(dir.path(), "week1.csv", EXPORT);
    write(dir.path(), "readme.txt", "not an export");
    let summary = folder::check(&ClockShark, dir.path()).expect("a good folder");
    assert_eq!(
        summary.describe(),
        "1 export file, 3 rows",
        "only .csv files count, and their rows are counted"
    );
}
