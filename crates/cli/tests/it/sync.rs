//! `timebridge connect`, `sync` and `staged`, run as a script would.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::timebridge;

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "the command succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn the_sandbox_can_be_connected_synced_and_reviewed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    json(&timebridge(&db, &["--json", "connect", "sandbox"]));

    let run = json(&timebridge(&db, &["--json", "sync", "sandbox"]));
    let staged = json(&timebridge(
        &db,
        &[
            "--json",
            "staged",
            "list",
            "sandbox",
            "employees",
            "--status",
            "new",
        ],
    ));

    assert_eq!(run["outcome"], "succeeded", "the sandbox syncs");
    assert_eq!(
        staged["total"], 12,
        "its twelve demo employees are staged as New"
    );
}

#[test]
fn a_busybusy_sandbox_can_be_connected_and_synced_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let connected = json(&timebridge(
        &db,
        &["--json", "connect", "sandbox", "--company", "busybusy"],
    ));

    let run = json(&timebridge(&db, &["--json", "sync", "sandbox"]));
    let staged = |module: &str| {
        json(&timebridge(
            &db,
            &[
                "--json", "staged", "list", "sandbox", module, "--status", "new",
            ],
        ))["total"]
            .clone()
    };

    assert_eq!(
        (
            connected["integration"]["settings"]["sandbox_company"].clone(),
            connected["account"].clone(),
            run["outcome"].clone(),
            staged("employees"),
            staged("tasks"),
            staged("time-entries").as_u64().is_some_and(|n| n > 0),
        ),
        (
            serde_json::json!("busybusy"),
            serde_json::json!("the busybusy demo company"),
            serde_json::json!("succeeded"),
            serde_json::json!(12),
            serde_json::json!(5),
            true,
        ),
        "the Sandbox is a busybusy organization: its twelve members, five cost codes and their time staged as New: {run}"
    );
}

#[test]
fn a_sandbox_is_a_quickbooks_time_company_unless_told() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");

    let connected = json(&timebridge(&db, &["--json", "connect", "sandbox"]));
    let listed = timebridge(&db, &["integrations", "list"]);

    assert_eq!(
        (
            connected["integration"]["settings"]["sandbox_company"].clone(),
            String::from_utf8_lossy(&listed.stdout).contains("sandbox (quickbooks-time)"),
        ),
        (serde_json::json!("quickbooks_time"), true),
        "`connect sandbox` connects the QuickBooks Time demo company, and the list says so"
    );
}

#[test]
fn a_clockshark_export_folder_can_be_connected_and_synced_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp folder");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).expect("folder");
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).format("%m/%d/%Y");
    std::fs::write(
        exports.join("timesheets.csv"),
        format!("Employee,Date,Hours,Job\nAna Ortiz,{yesterday},8,Maple Court\nBen Nguyen,{yesterday},6.5,Maple Court\n"),
    )
    .expect("export");
    let db = dir.path().join("timebridge.db");
    let connected = json(&timebridge(
        &db,
        &[
            "--json",
            "connect",
            "clockshark",
            "--folder",
            &exports.display().to_string(),
        ],
    ));
    assert_eq!(
        connected["account"], "1 export file, 2 rows",
        "the folder was read before saving"
    );

    let run = json(&timebridge(&db, &["--json", "sync", "clockshark"]));
    let staged = json(&timebridge(
        &db,
        &["--json", "staged", "list", "clockshark", "time-entries"],
    ));
    assert_eq!(run["outcome"], "succeeded", "the folder syncs: {run}");
    assert_eq!(staged["total"], 2, "both rows are staged time entries");
}

#[test]
fn archived_records_stay_archived_after_another_sync() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    json(&timebridge(&db, &["--json", "connect", "sandbox"]));
    json(&timebridge(&db, &["--json", "sync", "1"]));
    let archived = timebridge(
        &db,
        &["staged", "archive", "1", "pay-items", "--status", "new"],
    );
    assert!(
        String::from_utf8_lossy(&archived.stdout).contains("Archived 3 records"),
        "the three PTO items are archived"
    );

    json(&timebridge(&db, &["--json", "sync", "1"]));
    let still = json(&timebridge(
        &db,
        &[
            "--json",
            "staged",
            "list",
            "1",
            "pay-items",
            "--status",
            "archived",
        ],
    ));

    assert_eq!(still["total"], 3, "a sync does not undo archiving");
}

#[tokio::test]
async fn a_wrong_token_is_refused_before_anything_is_saved() {
    use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
    let emulator = Emulator::start(
        Company::generate(
            &CompanySpec::demo(chrono::Utc::now().date_naive()),
            chrono::Utc::now(),
        ),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator");
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();

    let output = tokio::task::spawn_blocking(move || {
        timebridge(
            &db,
            &[
                "connect",
                "quickbooks-time",
                "--token",
                "S.not-a-real-token",
                "--base-url",
                &base,
            ],
        )
    })
    .await
    .expect("ran");

    assert_eq!(output.status.code(), Some(1), "connecting fails");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did not accept the saved sign-in"),
        "the message says the sign-in was refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed = timebridge(
        &dir.path().join("timebridge.db"),
        &["--json", "integrations", "list"],
    );
    assert_eq!(
        json(&listed),
        serde_json::json!([]),
        "no integration was saved"
    );
}

#[tokio::test]
async fn an_aspire_secret_from_the_environment_that_aspire_refuses_saves_nothing() {
    use timebridge_emulators::aspire::{
        CLIENT_ID, Company, CompanySpec, Emulator, EmulatorOptions,
    };
    let now = chrono::Utc::now();
    let emulator = Emulator::start(
        Company::generate(&CompanySpec {
            employees: 2,
            opportunities: 1,
            days: 3,
            today: now.date_naive(),
            modified: now,
        }),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator");
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();

    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .arg("--db")
            .arg(&db)
            .args([
                "connect",
                "aspire",
                "--client-id",
                CLIENT_ID,
                "--base-url",
                &base,
            ])
            .env("TIMEBRIDGE_ASPIRE_SECRET", "not-the-secret")
            .env_remove("TIMEBRIDGE_DB")
            .output()
            .expect("the binary runs")
    })
    .await
    .expect("ran");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "connecting fails: {stderr}");
    assert!(
        stderr.contains("did not accept the client ID and secret")
            && !stderr.contains("not-the-secret"),
        "the message says the id or secret was refused, without the secret: {stderr}"
    );
    assert_eq!(
        emulator.requests(),
        ["/Authorization"],
        "only the sign-in was tried"
    );
    let listed = timebridge(
        &dir.path().join("timebridge.db"),
        &["--json", "integrations", "list"],
    );
    assert_eq!(
        json(&listed),
        serde_json::json!([]),
        "no integration was saved"
    );
}

#[tokio::test]
async fn a_busybusy_password_from_standard_input_that_busybusy_refuses_saves_nothing() {
    use std::io::Write;
    use timebridge_emulators::busybusy::{
        ADMIN_USERNAME, Emulator, EmulatorOptions, Organization, OrganizationSpec,
    };
    let now = chrono::Utc::now();
    let emulator = Emulator::start(
        Organization::generate(&OrganizationSpec {
            members: 2,
            projects: 1,
            depth: 1,
            cost_codes: 1,
            days: 3,
            today: now.date_naive(),
            modified: now,
        }),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator");
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();
    let db2 = db.clone();
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .arg("--db")
            .arg(&db2)
            .args([
                "connect",
                "busybusy",
                "--username",
                ADMIN_USERNAME,
                "--base-url",
                &base,
            ])
            .env_remove("TIMEBRIDGE_BUSYBUSY_PASSWORD")
            .env_remove("TIMEBRIDGE_DB")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"not-the-password\n")
            .expect("written");
        child.wait_with_output().expect("ends")
    })
    .await
    .expect("ran");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "connecting fails: {stderr}");
    assert!(
        stderr.contains("did not accept the username and password")
            && !stderr.contains("not-the-password"),
        "the message says the sign-in was refused, without the password: {stderr}"
    );
    let paths: Vec<String> = emulator.recorded().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/member"], "only the sign-in was tried");
    let listed = timebridge(&db, &["--json", "integrations", "list"]);
    assert_eq!(
        json(&listed),
        serde_json::json!([]),
        "no integration was saved"
    );
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_sign_in_that_cannot_be_kept_is_explained_and_the_connection_is_not_saved() {
    use std::os::unix::fs::PermissionsExt as _;
    let emulator = crate::common::demo_quickbooks_time().await;
    let (token, base) = (emulator.issue_token(), emulator.base_url());
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let db2 = db.clone();
    // No Secret Service on this session bus, and a key file other users
    // may read: neither store may keep the token.
    let key_file = dir.path().join("secret.key");
    std::fs::write(&key_file, "ab".repeat(32)).expect("key file");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let connect = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .arg("--db")
            .arg(&db2)
            .args(crate::common::connect_quickbooks_time(&token, &base))
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env_remove("TIMEBRIDGE_SECRET_KEY")
            .env_remove("CREDENTIALS_DIRECTORY")
            .env_remove("TIMEBRIDGE_DB")
            .output()
            .expect("the binary runs")
    })
    .await
    .expect("ran");
    let stderr = String::from_utf8_lossy(&connect.stderr);
    let listed = tokio::task::spawn_blocking(move || {
        json(&timebridge(&db, &["--json", "integrations", "list"]))
    })
    .await
    .expect("ran");

    assert!(!connect.status.success(), "connecting fails");
    assert!(
        stderr.contains("may be read by other users") && stderr.contains("chmod 600"),
        "the message says what is wrong and what to do: {stderr}"
    );
    assert_eq!(
        listed,
        serde_json::json!([]),
        "no integration is left without its sign-in"
    );
}

#[test]
fn importing_from_the_command_line_reports_what_was_created_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    json(&timebridge(&db, &["--json", "connect", "sandbox"]));
    json(&timebridge(&db, &["--json", "sync", "1"]));
    let new_entries = json(&timebridge(
        &db,
        &[
            "--json",
            "staged",
            "list",
            "1",
            "time-entries",
            "--status",
            "new",
        ],
    ))["total"]
        .as_u64()
        .expect("a count");

    let first = json(&timebridge(
        &db,
        &["--json", "import", "1", "time-entries", "--status", "new"],
    ));
    let second = json(&timebridge(
        &db,
        &[
            "--json",
            "import",
            "1",
            "time-entries",
            "--status",
            "imported",
        ],
    ));
    let employees = json(&timebridge(
        &db,
        &["--json", "records", "list", "employees"],
    ));

    let along = first["also_imported"].as_array().expect("a list");
    assert!(new_entries > 0, "the sandbox has new time to import");
    assert_eq!(
        first["created"].as_u64().expect("a count"),
        new_entries + along.len() as u64,
        "every New entry is created, plus what they needed: {first}"
    );
    assert!(
        along.iter().any(|a| a["module"] == "employees"),
        "their employees came along"
    );
    assert_eq!(
        (second["created"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(new_entries)),
        "importing them again finds every one already imported: {second}"
    );
    assert_eq!(
        employees["rows"][0]["meta"]["synced_status"], "Imported from Sandbox (demo data)",
        "the records say where they came from"
    );
}

#[test]
fn payroll_hours_of_imported_sandbox_time_are_printed_as_json() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    json(&timebridge(&db, &["--json", "connect", "sandbox"]));
    json(&timebridge(&db, &["--json", "sync", "1"]));
    json(&timebridge(
        &db,
        &["--json", "import", "1", "time-entries", "--status", "new"],
    ));
    // A week back: its period has past working days whatever today is, all
    // after the attendance pull date (two weeks back).
    let day = (chrono::Utc::now().date_naive() - chrono::Duration::days(7)).to_string();

    let report = json(&timebridge(
        &db,
        &["--json", "payroll", "hours", "--period", &day],
    ));

    let period = &report["period"];
    let summed: i64 = report["employees"]
        .as_array()
        .expect("employees")
        .iter()
        .map(|e| e["hours"]["total_seconds"].as_i64().expect("seconds"))
        .sum();
    assert!(
        period["start"].as_str() <= Some(day.as_str())
            && Some(day.as_str()) <= period["end"].as_str(),
        "the period contains the day asked for: {period}"
    );
    assert!(
        summed > 0 && summed == report["total_seconds"].as_i64().expect("total"),
        "the Sandbox's imported time this period is counted, and the employees add up to the total"
    );
}

#[test]
fn payroll_hours_with_a_bad_date_says_how_to_write_one() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");

    let output = timebridge(&db, &["payroll", "hours", "--period", "11/02/2026"]);

    assert!(
        !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("YYYY-MM-DD"),
        "refused, with the format to use: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The Sandbox connected, synced and its time imported, with weekly
/// payroll; returns a day a week back (its period has imported time).
fn sandbox_payroll(db: &Path) -> String {
    json(&timebridge(db, &["--json", "connect", "sandbox"]));
    json(&timebridge(db, &["--json", "sync", "1"]));
    json(&timebridge(
        db,
        &["--json", "import", "1", "time-entries", "--status", "new"],
    ));
    (chrono::Utc::now().date_naive() - chrono::Duration::days(7)).to_string()
}

#[test]
fn payroll_publish_refuses_unmapped_pay_ids_then_sends_once() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = sandbox_payroll(&db);

    let refused = timebridge(&db, &["payroll", "publish", "--period", &day, "--to", "1"]);
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
    let first = json(&timebridge(
        &db,
        &[
            "--json", "payroll", "publish", "--period", &day, "--to", "1",
        ],
    ));
    let second = json(&timebridge(
        &db,
        &[
            "--json", "payroll", "publish", "--period", &day, "--to", "1",
        ],
    ));

    assert!(
        !refused.status.success()
            && String::from_utf8_lossy(&refused.stderr).contains("is not mapped to a payroll item"),
        "an unmapped pay ID is named: {}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(first["publications"][0]["outcome"], "sent", "{first}");
    assert_eq!(
        second["nothing_to_send"], true,
        "the same lines are not sent twice: {second}"
    );
}

#[test]
fn payroll_export_writes_the_csv_file() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = sandbox_payroll(&db);
    let out = dir.path().join("payroll.csv");

    let summary = json(&timebridge(
        &db,
        &[
            "--json",
            "payroll",
            "export",
            "--period",
            &day,
            "--format",
            "csv",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    ));
    let text = std::fs::read_to_string(&out).expect("the file was written");

    assert_eq!(
        text.lines().next(),
        Some("Employee,Employee number,Date,Job,Task,Pay item,Hours,Amount"),
        "the default columns, Amount (for bonuses) last"
    );
    assert_eq!(
        text.lines().count() as u64 - 1,
        summary["lines"].as_u64().expect("lines"),
        "one row per line, as the summary says"
    );
}

#[test]
fn payroll_export_to_iif_without_a_company_name_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let day = sandbox_payroll(&db);
    let out = dir.path().join("payroll.iif");

    let output = timebridge(
        &db,
        &[
            "payroll",
            "export",
            "--period",
            &day,
            "--format",
            "iif",
            "--out",
            out.to_str().expect("utf-8 path"),
        ],
    );

    assert!(
        !output.status.success()
            && String::from_utf8_lossy(&output.stderr).contains("company name"),
        "refused, saying what is missing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.exists(), "no file is left behind");
}

#[test]
fn a_sync_prints_one_progress_line_per_stream_not_one_per_page() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    json(&timebridge(&db, &["--json", "connect", "sandbox"]));

    let output = timebridge(&db, &["sync", "sandbox"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let timesheets: Vec<&str> = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("timesheets "))
        .collect();

    let words: Vec<&str> = timesheets
        .first()
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    let staged = json(&timebridge(
        &db,
        &["--json", "staged", "list", "sandbox", "time-entries"],
    ));

    assert!(output.status.success(), "the sandbox syncs: {stderr}");
    assert_eq!(
        timesheets.len(),
        1,
        "the Sandbox's timesheets come in several pages but make one line: {stderr}"
    );
    assert!(
        words.get(1).and_then(|n| n.parse::<u64>().ok()) > Some(1)
            && words.get(3).map(|n| n.to_string()) == Some(staged["total"].to_string()),
        "the line totals every page and every record: {words:?}, {} staged",
        staged["total"]
    );
}
