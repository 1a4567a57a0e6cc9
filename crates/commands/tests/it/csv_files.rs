//! CSV files through the commands: the connect check reads the files with
//! the layout the settings name, and refuses settings without one.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::csv_layouts::{self, CsvColumn, CsvDuration, CsvField, CsvLayout};

fn args(folder: &std::path::Path, layout: Option<&str>) -> Value {
    json!({"platform": "csv_files",
           "settings": {"folder": folder, "csv_layout": layout, "pull_from": "2026-11-01",
                        "interval_minutes": 120, "look_back_days": 14}})
}

fn save_layout(h: &common::Harness) {
    let column = |header: &str, field| CsvColumn {
        header: header.into(),
        field: Some(field),
    };
    let layout = CsvLayout {
        name: "Crew".into(),
        columns: vec![
            column("Employee", CsvField::Employee),
            column("Date", CsvField::Date),
            column("Hours", CsvField::Hours),
        ],
        has_header: true,
        delimiter: ",".into(),
        date_format: "%m/%d/%Y".into(),
        time_format: "%I:%M %p".into(),
        duration_format: CsvDuration::DecimalHours,
        time_zone: None,
    };
    h.api
        .store()
        .write(|tx| csv_layouts::save(tx, &layout, &Actor::system(), chrono::Utc::now()))
        .expect("the layout saves");
}

#[test]
fn settings_without_a_layout_are_refused_on_the_layout_field() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let error = h
        .admin_try("connect_folder", args(dir.path(), None))
        .expect_err("refused");
    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "csv_layout"),
        "the layout is what is missing"
    );
    h.assert_nothing_saved();
}

#[test]
fn a_file_is_checked_with_the_layout_before_it_is_saved() {
    let mut h = common::harness();
    save_layout(&h);
    let dir = tempfile::tempdir().expect("temp folder");
    let file = dir.path().join("week.csv");
    std::fs::write(
        &file,
        "Employee,Date,Hours\nAna,11/02/2026,8\nBen,11/02/2026,x\n",
    )
    .expect("written");
    let error = h
        .admin_try("connect_folder", args(&file, Some("Crew")))
        .expect_err("a bad row is refused");
    assert!(
        error.fields[0]
            .message
            .contains("week.csv, line 3, column “Hours”"),
        "the row is named: {}",
        error.fields[0].message
    );
    std::fs::write(
        &file,
        "Employee,Date,Hours\nAna,11/02/2026,8\nBen,11/02/2026,7.5\n",
    )
    .expect("fixed");
    let connected = h.admin_call("connect_folder", args(&file, Some("Crew")));
    assert_eq!(
        connected["settings"]["csv_layout"], "Crew",
        "one file, read with its layout, connects: {connected}"
    );
}
