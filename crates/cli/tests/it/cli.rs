//! The `timebridge` binary, run as a script on an office server would run it.

use std::path::Path;
use std::process::{Command, Output};

fn timebridge(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ADMIN_PW", "long enough password")
        .env_remove("TIMEBRIDGE_DB")
        .output()
        .expect("the binary runs")
}

fn init(db: &Path) -> Output {
    timebridge(
        db,
        &[
            "init",
            "--admin-username",
            "ada",
            "--admin-name",
            "Ada Admin",
            "--admin-password-env",
            "ADMIN_PW",
        ],
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_creates_the_database_and_an_administrator_who_can_sign_in() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("office").join("timebridge.db");

    let output = init(&db);

    assert!(
        output.status.success(),
        "init succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let store = timebridge_core::Store::open(&db).expect("the database exists");
    let signed_in = timebridge_core::operators::sign_in(
        &store,
        "ada",
        &timebridge_core::Sensitive::new("long enough password".into()),
        chrono::Utc::now(),
    );
    assert!(
        signed_in.is_ok(),
        "the administrator made by init can sign in: {signed_in:?}"
    );
}

#[test]
fn init_on_an_initialised_database_fails_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    init(&db);

    let again = init(&db);

    assert_eq!(
        again.status.code(),
        Some(1),
        "a second init is an error, exit code 1"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists"),
        "the message says an administrator exists"
    );
}

#[test]
fn records_list_json_prints_the_page_the_app_would_show() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    init(&db);

    let output = timebridge(
        &db,
        &["records", "list", "pay-ids", "--json", "--sort", "code"],
    );

    assert!(output.status.success(), "listing succeeds");
    let page: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    let codes: Vec<_> = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        ["DT", "HOL", "OT", "PTO", "REG", "SICK"],
        "the built-in pay IDs, sorted by code"
    );
    assert_eq!(
        page["rows"][0]["meta"]["synced_status"], "Manual",
        "with their synced status"
    );
}

#[test]
fn an_unknown_kind_is_refused_with_the_kinds_that_exist() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");

    let output = timebridge(&db, &["records", "list", "widgets"]);

    assert_eq!(output.status.code(), Some(1), "exit code 1");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("time-entries"),
        "the message lists the kinds there are"
    );
}

#[test]
fn errors_are_json_when_json_is_asked_for() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");

    let output = timebridge(
        &db,
        &[
            "--json",
            "records",
            "list",
            "employees",
            "--sort",
            "shoe_size",
        ],
    );

    let error: serde_json::Value =
        serde_json::from_slice(&output.stderr).expect("the error is JSON on stderr");
    assert_eq!(
        error["code"], "validation",
        "a bad sort key is a validation error"
    );
}

#[test]
fn the_password_is_never_accepted_as_a_plain_flag() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");

    let output = timebridge(
        &db,
        &[
            "init",
            "--admin-username",
            "ada",
            "--admin-name",
            "Ada",
            "--admin-password",
            "visible-in-ps",
        ],
    );

    assert_eq!(
        output.status.code(),
        Some(2),
        "clap refuses the unknown flag (usage error)"
    );
    assert!(
        !db.exists() || timebridge_core::Store::open(&db).is_ok(),
        "nothing half-made"
    );
}
