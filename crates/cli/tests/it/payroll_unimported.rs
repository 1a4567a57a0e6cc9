//! `timebridge payroll hours` and `payroll publish` say what a pay period
//! leaves out: the Sandbox's time synced but not imported, run as a script
//! would run the binary.

use std::path::Path;
use std::process::{Command, Output};

fn timebridge(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIMEBRIDGE_DB")
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    assert!(
        output.status.success(),
        "the command succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&text(output)).expect("stdout is JSON")
}

/// The Sandbox connected and synced, nothing imported; returns a day a
/// week back, whose period has synced working days.
fn synced_sandbox(db: &Path) -> String {
    json(&timebridge(db, &["--json", "connect", "sandbox"]));
    json(&timebridge(db, &["--json", "sync", "1"]));
    (chrono::Utc::now().date_naive() - chrono::Duration::days(7)).to_string()
}

/// The staged ids the period's warning points to.
fn left_out_ids(db: &Path, day: &str) -> Vec<i64> {
    let listed = json(&timebridge(
        db,
        &[
            "--json",
            "staged",
            "list",
            "1",
            "time-entries",
            "--left-out-of-payroll",
            day,
            "--page-size",
            "500",
        ],
    ));
    listed["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn payroll_hours_json_carries_the_unimported_staged_count_and_seconds() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = synced_sandbox(&db);

    let report = json(&timebridge(
        &db,
        &["--json", "payroll", "hours", "--period", &day],
    ));

    let left_out = &report["unimported_staged"];
    assert_eq!(
        report["total_seconds"], 0,
        "nothing imported, nothing in the hours"
    );
    assert!(
        left_out["count"].as_i64().is_some_and(|n| n > 0)
            && left_out["seconds"].as_i64().is_some_and(|s| s > 0),
        "the synced time of the period is counted as left out: {left_out}"
    );
    assert_eq!(
        left_out_ids(&db, &day).len() as i64,
        left_out["count"].as_i64().expect("a count"),
        "the review command lists exactly as many entries as counted"
    );
}

#[test]
fn payroll_hours_prints_the_warning_whose_hours_and_how_to_review_them() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = synced_sandbox(&db);
    let left_out = json(&timebridge(
        &db,
        &["--json", "payroll", "hours", "--period", &day],
    ))["unimported_staged"]
        .clone();

    let printed = text(&timebridge(&db, &["payroll", "hours", "--period", &day]));

    let hours = format!(
        "{:.2} h",
        left_out["seconds"].as_i64().expect("seconds") as f64 / 3600.0
    );
    assert!(
        printed.contains(&format!(
            "Not in these hours: {} staged time entries",
            left_out["count"]
        )) && printed.contains(&hours),
        "the warning says how many and how many hours ({hours}):\n{printed}"
    );
    let first = left_out["employees"][0]["name"].as_str().expect("a name");
    assert!(printed.contains(first), "and whose ({first}):\n{printed}");
    assert!(
        printed.contains(&format!(
            "timebridge staged list 1 time-entries --left-out-of-payroll {}",
            left_out_start(&db, &day)
        )),
        "and the command that lists them:\n{printed}"
    );
}

fn left_out_start(db: &Path, day: &str) -> String {
    json(&timebridge(
        db,
        &["--json", "payroll", "hours", "--period", day],
    ))["period"]["start"]
        .as_str()
        .expect("a start")
        .to_owned()
}

#[test]
fn payroll_publish_refuses_to_leave_time_out_unless_confirmed() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = synced_sandbox(&db);
    // Import all of the period but one entry.
    let ids = left_out_ids(&db, &day);
    let rest: Vec<String> = ids[1..].iter().map(i64::to_string).collect();
    json(&timebridge(
        &db,
        &[
            "--json",
            "import",
            "1",
            "time-entries",
            "--ids",
            &rest.join(","),
        ],
    ));
    for (code, item) in [
        ("REG", "Hourly Rate"),
        ("OT", "Overtime Rate"),
        ("DT", "Double-time Rate"),
    ] {
        json(&timebridge(
            &db,
            &["--json", "payroll", "map", "1", code, item],
        ));
    }

    let refused = timebridge(&db, &["payroll", "publish", "--period", &day, "--to", "1"]);
    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(
        !refused.status.success()
            && stderr.contains("1 staged time entry")
            && stderr.contains("--confirm-unimported"),
        "refused, saying what is left out and how to go on: {stderr}"
    );
    let history = json(&timebridge(
        &db,
        &["--json", "payroll", "hours", "--period", &day],
    ));
    assert_eq!(
        history["unimported_staged"]["count"], 1,
        "the one entry is still left out"
    );

    let published = text(&timebridge(
        &db,
        &[
            "payroll",
            "publish",
            "--period",
            &day,
            "--to",
            "1",
            "--confirm-unimported",
        ],
    ));
    assert!(
        published.contains("accepted")
            && published.contains("Left out as confirmed: 1 staged time entry"),
        "confirmed, it publishes and says what it left out:\n{published}"
    );
}
