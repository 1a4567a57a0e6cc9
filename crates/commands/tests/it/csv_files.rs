//! CSV files through the commands, as the mapping screen uses them: an
//! export previewed and its guess shown, the layout saved (or refused field
//! by field), the folder connected with it and synced, and a layout in use
//! kept from deletion.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;

const EXPORT: &str = "Worker,Work Date,Clock In,Clock Out,Project\n\
Ana Ortiz,11/16/2026,7:00 AM,3:30 PM,Maple Court\n\
Ana Ortiz,11/17/2026,7:00 AM,3:30 PM,Maple Court\n\
Ben Nguyen,11/17/2026,8:00 AM,4:00 PM,Cedar Ridge\n";

/// A temp folder holding `EXPORT` as timesheet.csv.
fn export_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(dir.path().join("timesheet.csv"), EXPORT).expect("export written");
    dir
}

/// A layout of `EXPORT` as the admin would confirm it, named `name`.
fn crew_layout(name: &str) -> Value {
    json!({"name": name, "has_header": true, "delimiter": ",",
           "columns": [{"header": "Worker", "field": "employee"}, {"header": "Work Date", "field": "date"},
                       {"header": "Clock In", "field": "start"}, {"header": "Clock Out", "field": "end"},
                       {"header": "Project", "field": "job"}],
           "date_format": "%m/%d/%Y", "time_format": "%I:%M %p", "duration_format": "decimal_hours",
           "time_zone": null})
}

/// The guessed layout of the export in `dir`, named `name`.
fn guessed_layout(h: &mut common::Harness, dir: &tempfile::TempDir, name: &str) -> Value {
    let preview = h.admin_call("preview_csv", json!({"path": dir.path()}));
    let mut layout = preview["guess"].clone();
    layout["name"] = json!(name);
    layout
}

fn connect_args(dir: &tempfile::TempDir, layout: &str) -> Value {
    json!({"platform": "csv_files", "name": "Crew tracker",
           "settings": {"folder": dir.path(), "csv_layout": layout, "pull_from": "2026-11-01",
                        "interval_minutes": 120, "look_back_days": 14}})
}

/// The refusal of connecting `dir` with the crew layout saved.
fn refused_with_crew_layout(
    h: &mut common::Harness,
    dir: &tempfile::TempDir,
) -> timebridge_core::ApiError {
    h.admin_call(
        "save_csv_layout",
        json!({"layout": crew_layout("Crew tracker")}),
    );
    h.admin_try("connect_folder", connect_args(dir, "Crew tracker"))
        .expect_err("refused")
}

fn fields(error: &timebridge_core::ApiError) -> Vec<&str> {
    error.fields.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn a_preview_shows_the_first_rows_and_guesses_each_column() {
    let mut h = common::harness();
    let dir = export_folder();
    let preview = h.admin_call(
        "preview_csv",
        json!({"path": dir.path().join("timesheet.csv")}),
    );
    let guessed: Vec<&Value> = preview["guess"]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| &c["field"])
        .collect();
    assert_eq!(
        (guessed, preview["rows"].as_array().map(Vec::len)),
        (
            vec![
                &json!("employee"),
                &json!("date"),
                &json!("start"),
                &json!("end"),
                &json!("job")
            ],
            Some(3)
        ),
        "the tracker's headers are read as the fields they name, with the rows shown: {preview}"
    );
}

#[test]
fn a_path_that_does_not_exist_is_a_problem_on_the_path_field() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    let error = h
        .admin_try(
            "preview_csv",
            json!({"path": dir.path().join("missing.csv")}),
        )
        .expect_err("nothing to preview");
    assert_eq!(
        (error.code, fields(&error)),
        (ErrorCode::Validation, vec!["path"]),
        "the preview's refusal is on its path, with the connector's message: {error:?}"
    );
}

#[test]
fn a_saved_layout_is_listed_by_name() {
    let mut h = common::harness();
    let saved = h.admin_call(
        "save_csv_layout",
        json!({"layout": crew_layout(" Crew tracker ")}),
    );
    let listed = h.admin_call("list_csv_layouts", Value::Null);
    assert_eq!(
        listed,
        json!([crew_layout("Crew tracker")]),
        "the layout is listed as it was saved, its name trimmed"
    );
    assert_eq!(saved, listed[0], "saving returns the layout as saved");
}

#[test]
fn a_bad_layout_is_refused_on_each_bad_field_and_not_saved() {
    let mut h = common::harness();
    let mut layout = crew_layout("Crew tracker");
    layout["delimiter"] = json!("::");
    layout["time_zone"] = json!("Mars/Olympus");
    let error = h
        .admin_try("save_csv_layout", json!({"layout": layout}))
        .expect_err("refused");
    assert_eq!(
        (error.code, fields(&error)),
        (ErrorCode::Validation, vec!["delimiter", "time_zone"]),
        "each bad field is named, so the screen marks each: {error:?}"
    );
    assert_eq!(
        h.admin_call("list_csv_layouts", Value::Null),
        json!([]),
        "nothing was saved"
    );
}

#[test]
fn csv_files_connect_with_a_saved_layout_and_sync_their_rows_as_new() {
    let mut h = common::harness();
    let dir = export_folder();
    let layout = guessed_layout(&mut h, &dir, "Crew tracker");
    h.admin_call("save_csv_layout", json!({"layout": layout}));
    let connected = h.admin_call("connect_folder", connect_args(&dir, "Crew tracker"));
    h.admin_call("sync_now", json!({"id": connected["id"]}));
    let summary = h.wait_until_synced(&connected["id"]);
    assert_eq!(summary["health"], "ok", "the export reads: {summary}");
    assert_eq!(
        h.staged_counts(&connected["id"], "time_entries")["new"],
        3,
        "three rows, three New time entries"
    );
}

#[test]
fn connecting_without_a_layout_is_refused_on_the_layout_field() {
    let mut h = common::harness();
    let dir = export_folder();
    let mut args = connect_args(&dir, "");
    args["settings"]
        .as_object_mut()
        .expect("settings")
        .remove("csv_layout");
    let error = h.admin_try("connect_folder", args).expect_err("refused");
    assert_eq!(
        (error.code, fields(&error)),
        (ErrorCode::Validation, vec!["csv_layout"]),
        "the screen marks the layout to choose: {error:?}"
    );
    h.assert_nothing_saved();
}

#[test]
fn a_layout_an_integration_reads_with_cannot_be_deleted_until_it_is_disconnected() {
    let mut h = common::harness();
    let dir = export_folder();
    h.admin_call(
        "save_csv_layout",
        json!({"layout": crew_layout("Crew tracker")}),
    );
    let connected = h.admin_call("connect_folder", connect_args(&dir, "Crew tracker"));

    let error = h
        .admin_try("delete_csv_layout", json!({"name": "crew tracker"}))
        .expect_err("in use");
    assert!(
        error.code == ErrorCode::Conflict && error.message.contains("“Crew tracker”"),
        "the refusal names the integration using it: {error:?}"
    );

    h.admin_call("disconnect_integration", json!({"id": connected["id"]}));
    h.admin_call("delete_csv_layout", json!({"name": "Crew tracker"}));
    assert_eq!(
        h.admin_call("list_csv_layouts", Value::Null),
        json!([]),
        "once nothing reads with it, it is deleted"
    );
}

#[test]
fn an_export_with_a_bad_row_is_refused_on_the_folder_field_by_file_line_and_column() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(
        dir.path().join("timesheet.csv"),
        EXPORT.replace("4:00 PM", "25:10 PM"),
    )
    .expect("an export with a bad time");
    let error = refused_with_crew_layout(&mut h, &dir);
    let message = error.fields.first().map_or("", |f| f.message.as_str());
    assert!(
        fields(&error) == vec!["folder"]
            && message.contains("timesheet.csv")
            && message.contains("line 4")
            && message.contains("Clock Out"),
        "the path field says which file, line and column do not read: {error:?}"
    );
    h.assert_nothing_saved();
}

#[test]
fn a_single_export_file_connects_as_well_as_its_folder() {
    let mut h = common::harness();
    let dir = export_folder();
    h.admin_call(
        "save_csv_layout",
        json!({"layout": crew_layout("Crew tracker")}),
    );
    let mut args = connect_args(&dir, "Crew tracker");
    args["settings"]["folder"] = json!(dir.path().join("timesheet.csv"));
    let connected = h.admin_call("connect_folder", args);
    assert_eq!(
        connected["settings"]["csv_layout"], "Crew tracker",
        "the file connects, reading with the layout named: {connected}"
    );
}

#[test]
fn a_folder_whose_files_all_have_other_columns_is_refused_naming_the_layout() {
    let mut h = common::harness();
    let dir = tempfile::tempdir().expect("temp folder");
    std::fs::write(
        dir.path().join("payroll.csv"),
        "Account,Amount\nWages,1200.00\n",
    )
    .expect("a file of another kind");
    let error = refused_with_crew_layout(&mut h, &dir);
    let message = error.fields.first().map_or("", |f| f.message.as_str());
    assert!(
        fields(&error) == vec!["folder"]
            && message.contains("Crew tracker")
            && message.contains("payroll.csv"),
        "a folder none of whose files the layout reads is not connected, and says which: {error:?}"
    );
    h.assert_nothing_saved();
}
