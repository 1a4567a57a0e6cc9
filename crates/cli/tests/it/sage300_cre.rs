//! `timebridge connect sage300-cre`: a data source by name (found through
//! unixODBC's ini files, as on an office computer) or a folder of lists,
//! read once before anything is saved.

use std::path::Path;
use std::process::{Command, Output};

use timebridge_emulators::sage300_cre::{Company, CompanySpec, DataSource};

/// `timebridge` with the environment that finds `source` by its name.
fn timebridge(db: &Path, source: &DataSource, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_timebridge"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIMEBRIDGE_DB");
    for (name, value) in source.env() {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn sage(dir: &Path) -> DataSource {
    let database = dir.join("sage.db");
    let company = Company::generate(&CompanySpec::default());
    company.write_database(&database).expect("database");
    company.write_exports(dir).expect("exports");
    DataSource::create(dir, "SageData", &database).expect("the SQLite3 ODBC driver is installed")
}

#[test]
fn a_data_source_is_connected_by_its_name_then_synced() {
    let dir = tempfile::tempdir().expect("temp folder");
    let source = sage(dir.path());
    let db = dir.path().join("timebridge.db");
    let folder = dir.path().display().to_string();
    let connected = timebridge(
        &db,
        &source,
        &[
            "--json",
            "connect",
            "sage300-cre",
            "--dsn",
            "SageData",
            "--import-folder",
            &folder,
        ],
    );
    let out: serde_json::Value = serde_json::from_slice(&connected.stdout)
        .unwrap_or_else(|_| panic!("connects: {}", String::from_utf8_lossy(&connected.stderr)));
    assert_eq!(
        out["account"], "5 employees, 3 jobs, 2 extras, 8 cost codes, 16 categories, 4 pay IDs",
        "the data source was opened and every list counted before saving"
    );
    let run = timebridge(&db, &source, &["--json", "sync", "sage300-cre"]);
    let run: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(run["outcome"], "succeeded", "the data source syncs: {run}");
}

#[test]
fn a_data_source_that_does_not_exist_is_refused_and_nothing_saved() {
    let dir = tempfile::tempdir().expect("temp folder");
    let source = sage(dir.path());
    let db = dir.path().join("timebridge.db");
    let folder = dir.path().display().to_string();
    let refused = timebridge(
        &db,
        &source,
        &[
            "connect",
            "sage300-cre",
            "--dsn",
            "Timberline",
            "--import-folder",
            &folder,
        ],
    );
    let listed = timebridge(&db, &source, &["--json", "integrations", "list"]);
    assert_eq!(
        (
            refused.status.success(),
            String::from_utf8_lossy(&refused.stderr)
                .contains("There is no ODBC data source “Timberline”"),
            String::from_utf8_lossy(&listed.stdout).trim()
        ),
        (false, true, "[]"),
        "the unknown DSN is said in words and no integration is saved"
    );
}

#[test]
fn lists_exported_into_a_folder_are_connected_instead() {
    let dir = tempfile::tempdir().expect("temp folder");
    let source = sage(dir.path());
    let db = dir.path().join("timebridge.db");
    let folder = dir.path().display().to_string();
    let connected = timebridge(
        &db,
        &source,
        &[
            "--json",
            "connect",
            "sage300-cre",
            "--folder",
            &folder,
            "--import-folder",
            &folder,
        ],
    );
    assert!(
        connected.status.success()
            && String::from_utf8_lossy(&connected.stdout).contains("16 categories"),
        "the exports are read before saving: {}",
        String::from_utf8_lossy(&connected.stderr)
    );
}
