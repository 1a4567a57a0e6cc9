//! The employee, job and task lists beside the timesheets: each kind told
//! by its columns, files of no kind skipped, the lists' rows checked, and
//! their records over the timesheets' (`CSK-KIND-*`, `CSK-LIST-*`).

use super::*;

const TIMESHEETS: &str = "Employee,Employee ID,Date,Hours,Job,Job #,Task\nAna Ortiz,E1,06/12/2026,8,Maple Court,J-100,Mowing\n";
const EMPLOYEES: &str = "First Name,Last Name,Employee ID,Email,Phone,Status\n\
Ana,Ortiz,E1,ana@example.com,555-0100,Active\nBen,Nguyen,E2,,,Inactive\n";
const JOBS: &str = "Job Name,Job Number,Customer,Total Hours Budgeted,Budget Cost,Status\n\
Maple Court,J-100,Maple HOA,120.5,\"$12,500.00\",Active\nCedar Ridge,J-200,,40,,Inactive\nShop,J-300,,,,\n";
const TASKS: &str = "Task,Task Code\nMowing,\nPruning,PR\n";

fn read_files(files: &[(&str, &str)]) -> Result<FolderRead, String> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    read_folder(folder_with(&files).path())
}

fn read_with_jobs(jobs: &str) -> Result<FolderRead, String> {
    read_files(&[("jobs.csv", jobs)])
}

#[test]
fn each_kind_of_export_is_told_by_its_columns() {
    // contract: CSK-KIND-1
    let summary = check(&[
        ("a-timesheets.csv", TIMESHEETS.as_bytes()),
        ("b-employees.csv", EMPLOYEES.as_bytes()),
        ("c-jobs.csv", JOBS.as_bytes()),
        ("d-tasks.csv", TASKS.as_bytes()),
    ])
    .expect("a folder of the four kinds");
    assert_eq!(
        summary,
        "4 export files (1 timesheet export, 1 employee list, 1 job list, 1 task list), 8 rows",
        "the folder check counts each kind"
    );
}

#[test]
fn a_file_of_no_kind_is_skipped_and_named_with_nothing_of_it_read() {
    // contract: CSK-KIND-2
    let read = read_files(&[
        ("timesheets.csv", TIMESHEETS),
        ("vehicles.csv", "Vehicle,Miles\nTruck 4,120\n"),
    ])
    .expect("the timesheets are read");
    assert_eq!(
        (read.files_skipped.len(), entries(&read).len()),
        (1, 1),
        "the vehicle log is skipped, the timesheet read: {:?}",
        read.files_skipped
    );
    assert!(
        read.files_skipped[0].starts_with(
            "“vehicles.csv” was skipped: its columns (A “Vehicle”, B “Miles”) are not those of a ClockShark"
        ),
        "the file is named, and why: {}",
        read.files_skipped[0]
    );
    let summary = check(&[
        ("timesheets.csv", TIMESHEETS.as_bytes()),
        ("vehicles.csv", b"Vehicle,Miles\nTruck 4,120\n"),
    ])
    .expect("a folder with a file of no kind can be used");
    assert!(
        summary.starts_with("1 export file, 1 rows. “vehicles.csv” was skipped"),
        "the connect dialog names it too: {summary}"
    );
}

#[test]
fn a_list_without_its_required_columns_or_values_is_refused() {
    // contract: CSK-LIST-1
    let error = read_files(&[("people.csv", "First Name,Email\nAna,ana@example.com\n")])
        .expect_err("an employee list without last names");
    assert!(
        error.contains(
            "“people.csv” is an employee list without Employee (or First Name and Last Name)"
        ),
        "the missing column is named: {error}"
    );
    let error = read_with_jobs("Job,Job Number,Customer\nMaple Court,J-100,\n,,Maple HOA\n")
        .expect_err("a row naming no job");
    assert!(
        error.contains("“jobs.csv” row 3, column A (Job): the row names no job"),
        "by file, row and column: {error}"
    );
}

#[test]
fn a_status_is_active_or_inactive() {
    // contract: CSK-LIST-2
    let read = read_files(&[("employees.csv", EMPLOYEES)]).expect("read");
    let active: Vec<&Value> = records(&read, Module::Employees)
        .iter()
        .map(|e| &e.data["active"])
        .collect();
    assert_eq!(
        active,
        [&json!(true), &json!(false)],
        "Ben is inactive in ClockShark"
    );
    let error = read_with_jobs("Job,Status\nMaple Court,closed\n").expect_err("an unknown status");
    assert!(
        error.contains("“jobs.csv” row 2, column B (Status): “closed” is not Active or Inactive."),
        "by file, row and column: {error}"
    );
}

#[test]
fn a_bad_budget_in_a_job_list_refuses_the_read_by_file_row_and_column() {
    // contract: CSK-LIST-3
    let error = read_files(&[
        (
            "jobs.csv",
            "Job,Job Number,Total Hours Budgeted\nMaple Court,J-100,ten\n",
        ),
        ("timesheets.csv", TIMESHEETS),
    ])
    .expect_err("hours that are not a number");
    assert!(
        error.starts_with("Nothing was read from the export folder")
            && error.contains(
                "“jobs.csv” row 2, column C (Total Hours Budgeted): “ten” is not a number of hours"
            ),
        "the read is refused whole, naming the file, row and column: {error}"
    );
    let error =
        read_with_jobs("Job,Budget\nMaple Court,12.5.0\n").expect_err("a cost that is not money");
    assert!(
        error.contains("row 2, column B (Budget): “12.5.0” is not an amount"),
        "{error}"
    );
}

#[test]
fn budgets_are_staged_with_hours_and_cost_beside_their_jobs() {
    // contract: CSK-LIST-3
    let read = read_with_jobs(JOBS).expect("read");
    let budgets: Vec<(&str, &Value)> = records(&read, Module::Budgets)
        .iter()
        .map(|b| (b.external_id.as_str(), &b.data))
        .collect();
    assert_eq!(
        budgets,
        [
            (
                "budget:J-100",
                &json!({"job_external_id": "J-100", "task_external_id": null,
                        "budget_seconds": 433_800, "amount_cents": 1_250_000, "notes": "Maple Court"})
            ),
            (
                "budget:J-200",
                &json!({"job_external_id": "J-200", "task_external_id": null,
                        "budget_seconds": 144_000, "amount_cents": null, "notes": "Cedar Ridge"})
            ),
        ],
        "120.5 hours and $12,500.00; 40 hours alone; the shop has no budget"
    );
}

#[test]
fn a_record_is_on_one_row_and_a_folder_holds_one_list_of_a_kind() {
    // contract: CSK-LIST-4
    let error = read_with_jobs("Job,Job Number\nMaple Court,J-100\nMaple Ct,J-100\n")
        .expect_err("one job on two rows");
    assert!(
        error.contains("“jobs.csv” rows 2 and 3 are the same job (J-100)"),
        "{error}"
    );
    let error =
        read_files(&[("jobs (1).csv", JOBS), ("jobs.csv", JOBS)]).expect_err("two job lists");
    assert!(
        error.contains("“jobs (1).csv” and “jobs.csv” are both job lists"),
        "which list is whole cannot be told: {error}"
    );
}

#[test]
fn a_record_in_a_list_and_the_timesheets_is_one_record_the_lists() {
    // contract: CSK-LIST-5
    let read =
        read_files(&[("employees.csv", EMPLOYEES), ("timesheets.csv", TIMESHEETS)]).expect("read");
    let employees = records(&read, Module::Employees);
    let ana: Vec<&Incoming> = employees.iter().filter(|e| e.external_id == "E1").collect();
    assert_eq!(
        (ana.len(), &ana[0].data["phone"], &ana[0].data["email"]),
        (1, &json!("555-0100"), &json!("ana@example.com")),
        "Ana is one employee, with the list's phone and e-mail"
    );
}

#[test]
fn a_list_fills_its_modules_whole() {
    // contract: CSK-LIST-6
    let read = read_files(&[("jobs.csv", JOBS), ("tasks.csv", TASKS)]).expect("read");
    assert_eq!(
        read.whole,
        [
            Module::Jobs,
            Module::Budgets,
            Module::Customers,
            Module::Tasks
        ],
        "a job list with customers is whole for jobs, budgets and customers; a task list for tasks"
    );
    let timesheets = read_files(&[("timesheets.csv", TIMESHEETS)]).expect("read");
    assert!(
        timesheets.whole.is_empty(),
        "timesheets alone are whole for nothing: they keep their per-day rule"
    );
}

#[test]
fn a_bad_list_row_refuses_the_timesheets_too() {
    // contract: CSK-LIST-7
    let error = read_files(&[
        ("employees.csv", "Employee,Status\nAna Ortiz,gone\n"),
        ("timesheets.csv", TIMESHEETS),
    ])
    .expect_err("refused");
    assert!(
        error.starts_with("Nothing was read from the export folder, and what was synced before is kept: the exports have 1 problem. “employees.csv” row 2, column B (Status)"),
        "{error}"
    );
}
