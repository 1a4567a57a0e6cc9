//! `timebridge connect csv` and `csv-layout`, against real export files.

use std::path::{Path, PathBuf};

use crate::common;

fn yesterday(format: &str) -> String {
    (chrono::Utc::now() - chrono::Duration::days(1))
        .format(format)
        .to_string()
}

/// A folder holding `text` as `time.csv`; the file's path.
fn export(dir: &Path, text: &str) -> PathBuf {
    let folder = dir.join("exports");
    std::fs::create_dir_all(&folder).expect("a folder");
    let file = folder.join("time.csv");
    std::fs::write(&file, text).expect("the export is written");
    file
}

#[test]
fn connecting_without_a_layout_prints_the_guess_saves_it_and_syncs() {
    let db = common::db();
    let day = yesterday("%m/%d/%Y");
    let file = export(
        db.dir.path(),
        &format!(
            "Employee,Date,Clock In,Clock Out,Job\nAna Ortiz,{day},7:00 AM,3:30 PM,Maple Court\n\
             Ben Nguyen,{day},10:00 PM,6:00 AM,Cedar Ridge\n"
        ),
    );
    let folder = file.parent().expect("its folder").display().to_string();
    let said = db.ok(&["connect", "csv", "--folder", &folder, "--name", "Crew"]);
    assert!(
        said.contains("Clock Out") && said.contains("End time") && said.contains("%I:%M %p"),
        "the guessed mapping is printed: {said}"
    );
    let layout = db.json(&["csv-layout", "show", "Crew"]);
    assert_eq!(
        layout["name"], "Crew",
        "the guess is saved under the integration's name"
    );
    let run = db.json(&["sync", "csv"]);
    assert_eq!(run["outcome"], "succeeded", "the folder syncs: {run}");
    let staged = db.json(&["staged", "list", "csv", "time-entries"]);
    assert_eq!(staged["total"], 2, "both rows are staged time entries");
}

#[test]
fn a_file_whose_required_columns_cannot_be_guessed_is_refused_saying_how_to_map_them() {
    let db = common::db();
    let file = export(db.dir.path(), "Who,When,Amount\nAna,yesterday,lots\n");
    let said = db.fails(&["connect", "csv", "--file", &file.display().to_string()]);
    assert!(
        said.contains("could not find") && said.contains("csv-layout save"),
        "what is missing and how to give it: {said}"
    );
    assert_eq!(
        db.json(&["integrations", "list"]),
        serde_json::json!([]),
        "nothing is connected"
    );
}

#[test]
fn a_layout_saved_with_overrides_is_used_by_name() {
    let db = common::db();
    let day = yesterday("%d.%m.%Y");
    let file = export(
        db.dir.path(),
        &format!("Who;When;Amount\nAna Ortiz;{day};7,5\n"),
    );
    let file = file.display().to_string();
    let saved = db.json(&[
        "csv-layout",
        "save",
        "Crew",
        "--from",
        &file,
        "--map",
        "Who=employee",
        "--map",
        "When=date",
        "--map",
        "Amount=hours",
        "--date-format",
        "%d.%m.%Y",
        "--duration",
        "decimal-hours",
    ]);
    assert_eq!(
        (
            saved["delimiter"].as_str(),
            saved["columns"][2]["field"].as_str()
        ),
        (Some(";"), Some("hours")),
        "the sniffed delimiter, and the mapping given"
    );
    let listed = db.json(&["csv-layout", "list"]);
    assert_eq!(listed[0]["name"], "Crew", "the layout is listed");
    db.ok(&["connect", "csv", "--file", &file, "--layout", "Crew"]);
    let run = db.json(&["sync", "csv"]);
    assert_eq!(
        run["outcome"], "succeeded",
        "the file syncs with the layout: {run}"
    );
    let staged = db.json(&["staged", "list", "csv", "time-entries"]);
    assert_eq!(staged["total"], 1, "its row is staged");
}

#[test]
fn a_mapping_of_a_column_the_file_lacks_is_refused() {
    let db = common::db();
    let file = export(db.dir.path(), "Employee,Date,Hours\nAna,11/02/2026,8\n");
    let said = db.fails(&[
        "csv-layout",
        "save",
        "Crew",
        "--from",
        &file.display().to_string(),
        "--map",
        "Clock In=start",
    ]);
    assert!(
        said.contains("no column “Clock In”") && said.contains("Employee, Date, Hours"),
        "the columns it has are named: {said}"
    );
}

#[test]
fn rows_older_than_the_pull_date_are_said_at_connect_and_sync_and_read_once_it_is_moved() {
    let db = common::db();
    let old = (chrono::Utc::now() - chrono::Duration::days(40)).date_naive();
    let file = export(
        db.dir.path(),
        &format!(
            "Employee,Date,Clock In,Clock Out,Job\nAna Ortiz,{},7:00 AM,3:30 PM,Maple Court\n",
            old.format("%m/%d/%Y")
        ),
    );
    let said = db.ok(&["connect", "csv", "--folder", &file.display().to_string()]);
    assert!(
        said.contains("dated before the pull date") && said.contains(&old.to_string()),
        "connect says the row will not be read, and the date that would read it: {said}"
    );
    let run = db.json(&["sync", "csv"]);
    let note = run["error_message"].as_str().unwrap_or_default();
    assert!(
        note.contains("No time was read")
            && note.contains(&format!("integrations set 1 --pull-from {old}")),
        "a sync that reads no time says why and how to read it: {run}"
    );
    let moved = db.ok(&[
        "integrations",
        "set",
        "csv",
        "--pull-from",
        &old.to_string(),
    ]);
    assert!(
        moved.contains(&format!("from {old}")) && !moved.contains("dated before"),
        "the new pull date is said, and nothing is left before it: {moved}"
    );
    let run = db.json(&["sync", "csv"]);
    assert_eq!(
        run["counts"]["time_entries"]["new"], 1,
        "with the pull date moved the row is read: {run}"
    );
    assert!(
        run["error_message"].is_null(),
        "nothing is left to say: {run}"
    );
}

#[test]
fn integrations_set_with_nothing_to_change_is_refused_and_changes_nothing() {
    let db = common::db();
    let file = export(
        db.dir.path(),
        &format!(
            "Employee,Date,Hours\nAna Ortiz,{},8\n",
            yesterday("%m/%d/%Y")
        ),
    );
    db.ok(&["connect", "csv", "--folder", &file.display().to_string()]);
    let before = db.json(&["integrations", "list"]);
    let said = db.fails(&["integrations", "set", "csv"]);
    assert!(
        said.contains("Nothing to change"),
        "says what could be given: {said}"
    );
    let refused = db.fails(&["integrations", "set", "csv", "--interval", "5"]);
    assert!(
        refused.contains("15"),
        "an interval below the minimum is refused with the range: {refused}"
    );
    assert_eq!(
        db.json(&["integrations", "list"]),
        before,
        "a refused change leaves the settings as they were"
    );
}
