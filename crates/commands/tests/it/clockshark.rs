//! ClockShark through the commands: a folder of timesheet exports connected,
//! synced, and refused (`docs/contracts/clockshark.md`), as the
//! Integrations page does it.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;

fn folder_args(folder: &std::path::Path) -> Value {
    json!({"platform": "clockshark",
           "settings": {"folder": folder, "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}})
}

fn time_counts(h: &mut common::Harness, id: &Value) -> Value {
    let modules = h.admin_call("staged_overview", json!({"id": id}));
    modules
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["module"] == "time_entries")
        .expect("time tab")["counts"]
        .clone()
}

const WEEK_ONE: &str = "Employee,Employee ID,Date,Clock In,Clock Out,Job,Task\n\
Ana Ortiz,E1,11/16/2026,7:00 AM,3:30 PM,Maple Court,Mowing\n\
Ana Ortiz,E1,11/17/2026,7:00 AM,3:30 PM,Maple Court,Mowing\n\
Ben Nguyen,E2,11/17/2026,8:00 AM,4:00 PM,Cedar Ridge,Pruning\n";

/// How many time entries are New, and how many removed at the source.
fn new_and_removed(h: &mut common::Harness, id: &Value) -> (Value, Value) {
    let counts = time_counts(h, id);
    (counts["new"].clone(), counts["removed_at_source"].clone())
}

/// A ClockShark integration on a folder holding `WEEK_ONE`, synced once.
fn clockshark_synced(h: &mut common::Harness) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("week-one.csv"), WEEK_ONE).expect("export written");
    let connected = h.admin_call("connect_folder", folder_args(dir.path()));
    h.admin_call("sync_now", json!({"id": connected["id"]}));
    let summary = h.wait_until_synced(&connected["id"]);
    assert_eq!(
        summary["health"], "ok",
        "the first read succeeds: {summary}"
    );
    (dir, connected)
}

#[test]
fn a_folder_that_does_not_exist_is_marked_on_the_folder_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let error = h
        .admin_try("connect_folder", folder_args(&dir.path().join("missing")))
        .expect_err("refused");
    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "folder"),
        "a missing folder is a problem on the folder field"
    );
    assert!(
        error.fields[0].message.contains("does not exist"),
        "it says what is wrong: {}",
        error.fields[0].message
    );
    assert_eq!(
        h.admin_call("list_integrations", Value::Null),
        json!([]),
        "nothing was saved"
    );
}

#[test]
fn a_clockshark_folder_syncs_and_a_row_gone_from_a_re_export_is_removed_at_the_source() {
    // contract: CSK-READ-4
    let mut h = common::harness();
    let (dir, connected) = clockshark_synced(&mut h);
    assert_eq!(
        time_counts(&mut h, &connected["id"])["new"],
        3,
        "three rows, three New entries"
    );

    // Ben's row was deleted in ClockShark and the week exported again.
    let without_ben: String = WEEK_ONE
        .lines()
        .filter(|l| !l.starts_with("Ben"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("week-one.csv"), without_ben).expect("export rewritten");
    sync_again(&mut h, &connected["id"]);
    assert_eq!(
        time_counts(&mut h, &connected["id"])["removed_at_source"],
        1,
        "the row missing from the re-export of its days is removed at the source"
    );
}

#[test]
fn moving_old_exports_out_of_the_folder_removes_nothing() {
    // contract: CSK-READ-4
    let mut h = common::harness();
    let (dir, connected) = clockshark_synced(&mut h);

    std::fs::remove_file(dir.path().join("week-one.csv")).expect("moved away");
    std::fs::write(
        dir.path().join("week-two.csv"),
        "Employee,Employee ID,Date,Hours\nAna Ortiz,E1,11/24/2026,8\n",
    )
    .expect("next export");
    sync_again(&mut h, &connected["id"]);
    assert_eq!(
        new_and_removed(&mut h, &connected["id"]),
        (json!(4), json!(0)),
        "the first week's entries stay; only the days read now can lose rows"
    );
}

#[test]
fn an_export_with_the_wrong_columns_fails_the_sync_by_name_and_keeps_what_was_staged() {
    // contract: CSK-COL-3, CSK-READ-1
    let mut h = common::harness();
    let (dir, connected) = clockshark_synced(&mut h);

    std::fs::write(
        dir.path().join("payroll-summary.csv"),
        "Name,Total\nAna,16\n",
    )
    .expect("a stray file");
    let summary = sync_again(&mut h, &connected["id"]);
    assert_eq!(summary["health"], "failed", "the run fails: {summary}");
    let message = summary["last_run"]["error_message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("“payroll-summary.csv”")
            && message.contains("move this file out of the folder"),
        "the message names the file and what to do: {message}"
    );
    assert_eq!(
        time_counts(&mut h, &connected["id"])["new"],
        3,
        "the entries staged before are intact"
    );
}

/// Syncs the integration a second time and waits for that run to finish.
fn sync_again(h: &mut common::Harness, id: &Value) -> Value {
    h.admin_call("sync_now", json!({"id": id}));
    wait_until_next_run(h, id, 2)
}

/// Waits until the integration's `n`th run has finished.
fn wait_until_next_run(h: &mut common::Harness, id: &Value, n: i64) -> Value {
    for _ in 0..400 {
        // The runs first: once the nth exists, the summary read after it
        // is about that run (read the other way round, the summary could
        // still be about the one before).
        let runs = h.admin_call(
            "list_sync_runs",
            json!({"integration_id": id, "page": 1, "page_size": 10}),
        );
        let summary = h.admin_call("get_integration", json!({"id": id}));
        if summary["health"] != "running"
            && runs["total"].as_i64() == Some(n)
            && summary["last_run"]["finished_at"].is_string()
        {
            return summary;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("run {n} did not finish in 10 seconds");
}

#[test]
fn an_export_with_a_row_it_cannot_read_fails_the_sync_by_row_and_keeps_what_was_staged() {
    // contract: CSK-READ-1
    let mut h = common::harness();
    let (dir, connected) = clockshark_synced(&mut h);

    // The week is exported again and a clock time was mistyped in a spreadsheet.
    std::fs::write(
        dir.path().join("week-one.csv"),
        WEEK_ONE.replace("11/17/2026,8:00 AM", "11/17/2026,8:00 XM"),
    )
    .expect("export rewritten");
    let summary = sync_again(&mut h, &connected["id"]);
    let message = summary["last_run"]["error_message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        summary["health"] == "failed"
            && message.contains("“week-one.csv” row 4: its clock-in “8:00 XM” is not a time")
            && message.contains("export the timesheets again"),
        "the run fails naming the file, the row, the value and what to do: {message}"
    );
    assert_eq!(
        new_and_removed(&mut h, &connected["id"]),
        (json!(3), json!(0)),
        "Ben's entry is not removed at the source for being unreadable; nothing changed"
    );
}

#[test]
fn moving_an_export_out_from_between_two_others_removes_nothing() {
    // contract: CSK-READ-4
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    for (name, day) in [("week-1.csv", 2), ("week-2.csv", 9), ("week-3.csv", 16)] {
        let export = format!(
            "Employee,Employee ID,Date,Hours\nAna Ortiz,E1,11/{day:02}/2026,8\nAna Ortiz,E1,11/{:02}/2026,8\n",
            day + 4
        );
        std::fs::write(dir.path().join(name), export).expect("export written");
    }
    let connected = h.admin_call("connect_folder", folder_args(dir.path()));
    h.admin_call("sync_now", json!({"id": connected["id"]}));
    h.wait_until_synced(&connected["id"]);

    std::fs::remove_file(dir.path().join("week-2.csv")).expect("moved away");
    sync_again(&mut h, &connected["id"]);
    assert_eq!(
        new_and_removed(&mut h, &connected["id"]),
        (json!(6), json!(0)),
        "the second week lies between the first and the third, but neither file covers its days"
    );
}

/// The jobs `WEEK_ONE` names (keyed by name: neither file has job numbers),
/// with their budgets.
const JOB_LIST: &str = "Job Name,Customer,Total Hours Budgeted,Budget Cost\n\
Maple Court,Maple HOA,120,\"$12,500.00\"\nCedar Ridge,,40,\n";

/// A ClockShark integration on a folder holding `WEEK_ONE` and `JOB_LIST`,
/// synced once.
fn with_job_list(h: &mut common::Harness) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("week-one.csv"), WEEK_ONE).expect("export written");
    std::fs::write(dir.path().join("jobs.csv"), JOB_LIST).expect("job list written");
    let connected = h.admin_call("connect_folder", folder_args(dir.path()));
    h.admin_call("sync_now", json!({"id": connected["id"]}));
    let summary = h.wait_until_synced(&connected["id"]);
    assert_eq!(
        summary["health"], "ok",
        "the first read succeeds: {summary}"
    );
    (dir, connected)
}

/// The latest run's counts of `module`.
fn last_run_counts(h: &mut common::Harness, id: &Value, module: &str) -> Value {
    let summary = h.admin_call("get_integration", json!({"id": id}));
    summary["last_run"]["counts"][module].clone()
}

#[test]
fn a_job_list_syncs_its_budgets_and_a_re_sync_with_no_change_writes_nothing() {
    // contract: CSK-LIST-6
    let mut h = common::harness();
    let (_dir, connected) = with_job_list(&mut h);
    assert_eq!(
        (
            &last_run_counts(&mut h, &connected["id"], "budgets")["new"],
            &last_run_counts(&mut h, &connected["id"], "jobs")["new"]
        ),
        (&json!(2), &json!(2)),
        "each job with a budget stages one; the jobs the list and the shifts both name are one each"
    );
    sync_again(&mut h, &connected["id"]);
    for module in [
        "employees",
        "customers",
        "jobs",
        "tasks",
        "budgets",
        "time_entries",
    ] {
        let counts = last_run_counts(&mut h, &connected["id"], module);
        assert_eq!(
            (&counts["new"], &counts["updated"], &counts["removed"]),
            (&json!(0), &json!(0), &json!(0)),
            "the same folder read again changes no {module}: {counts}"
        );
    }
}

#[test]
fn a_job_gone_from_the_job_list_is_removed_at_the_source() {
    // contract: CSK-LIST-6
    let mut h = common::harness();
    let (dir, connected) = with_job_list(&mut h);
    let without_cedar: String = JOB_LIST
        .lines()
        .filter(|l| !l.starts_with("Cedar"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("jobs.csv"), without_cedar).expect("list rewritten");
    // Cedar Ridge is named by Ben's shift too: move that week out as well.
    std::fs::remove_file(dir.path().join("week-one.csv")).expect("moved away");
    sync_again(&mut h, &connected["id"]);
    let (jobs, budgets) = (
        last_run_counts(&mut h, &connected["id"], "jobs"),
        last_run_counts(&mut h, &connected["id"], "budgets"),
    );
    assert_eq!(
        (&jobs["removed"], &budgets["removed"]),
        (&json!(1), &json!(1)),
        "Cedar Ridge and its budget are removed at the source, Maple Court kept: {jobs} {budgets}"
    );
}
