//! Sage 300 CRE through the commands, as the connect dialog does it: the
//! data source opened and every list read before anything is saved, its
//! password in the keyring only, a refusal marked on its field.

use crate::common;

use serde_json::{Value, json};
use timebridge_connectors::secrets::{Credentials, integration_key};
use timebridge_core::ErrorCode;
use timebridge_emulators::sage300_cre::{Company, CompanySpec, DataSource};

fn data_source(dir: &std::path::Path) -> DataSource {
    let database = dir.join("sage.db");
    Company::generate(&CompanySpec::default())
        .write_database(&database)
        .expect("database");
    DataSource::create(dir, "SageData", &database).expect("the SQLite3 ODBC driver is installed")
}

fn args(dsn: &str, import_folder: &std::path::Path, password: Option<&str>) -> Value {
    json!({"platform": "sage300_cre", "password": password,
           "settings": {"dsn": dsn, "import_folder": import_folder, "pull_from": "2026-11-01",
                        "interval_minutes": 120, "look_back_days": 14}})
}

#[test]
fn a_data_sources_password_goes_to_the_keyring_and_never_into_the_settings() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let source = data_source(dir.path());
    let connected = h.admin_call(
        "connect_data_source",
        args(&source.connection_string(), dir.path(), Some("s3cret;pw")),
    );
    let id = connected["id"].as_i64().expect("id");
    let saved = Credentials::load(h.secrets.as_ref(), id).expect("keyring readable");
    assert_eq!(
        (
            saved.map(|c| c.access_token.expose().clone()),
            connected["settings"].to_string().contains("s3cret")
        ),
        (Some("s3cret;pw".to_owned()), false),
        "the password is in the keyring under {} and nowhere in the settings",
        integration_key(id)
    );
}

#[test]
fn a_data_source_that_does_not_exist_is_marked_on_its_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let error = h
        .admin_try(
            "connect_data_source",
            args("NoSuchSageData", dir.path(), None),
        )
        .expect_err("refused");
    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "dsn"),
        "the refusal is on the data source field: {}",
        error.fields[0].message
    );
    assert!(
        error.fields[0]
            .message
            .starts_with("There is no ODBC data source “NoSuchSageData”"),
        "in words: {}",
        error.fields[0].message
    );
    h.assert_nothing_saved();
}

#[test]
fn an_import_folder_that_does_not_exist_is_marked_before_the_data_source_is_opened() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let source = data_source(dir.path());
    let error = h
        .admin_try(
            "connect_data_source",
            args(&source.connection_string(), &dir.path().join("nope"), None),
        )
        .expect_err("refused");
    assert_eq!(
        error.fields[0].field, "import_folder",
        "payroll files need a folder to go to: {}",
        error.fields[0].message
    );
    h.assert_nothing_saved();
}
