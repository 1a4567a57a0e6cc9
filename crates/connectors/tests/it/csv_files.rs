//! CSV files against tracker-shaped exports: each fixture's guessed layout
//! and the records it stages, compared with golden JSON
//! (`tests/golden/csv/NAME.json`; `UPDATE_GOLDEN=1` rewrites them).

use std::path::PathBuf;

use serde_json::json;
use timebridge_connectors::csv_files::{CsvFiles, preview};
use timebridge_connectors::folder::{FolderOptions, FolderSource};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

/// Compares `value` with `tests/golden/csv/NAME.json`.
fn golden(name: &str, value: &serde_json::Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/csv")
        .join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(value).expect("JSON") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).expect("the golden file is written");
    }
    let expected = std::fs::read_to_string(&path).expect("the golden file exists");
    assert!(
        expected == text,
        "{name} differs from its golden file:\n--- expected\n{expected}\n--- got\n{text}"
    );
}

/// The fixture's preview and what a sync stages from it with the guess.
fn staged(name: &str) -> serde_json::Value {
    let path = fixture(name);
    let preview = preview(&path).expect("the file previews");
    assert!(
        preview.missing.is_empty(),
        "{name}: every required column is guessed: {:?}",
        preview.missing
    );
    let options = FolderOptions {
        zone: chrono_tz::America::Chicago,
        pull_from: "2026-11-01".parse().expect("a date"),
        layout: Some(preview.guess.clone()),
    };
    let read = CsvFiles
        .read(&[path], &options)
        .expect("the file is read");
    assert!(
        read.files_left_out.is_empty() && read.files_skipped.is_empty(),
        "{name} reads whole: {:?} {:?}",
        read.files_left_out,
        read.files_skipped
    );
    let modules: Vec<serde_json::Value> = read
        .modules
        .iter()
        .map(|(module, records)| {
            json!({
                "module": module.as_str(),
                "records": records.iter().map(|r| json!({
                    "id": r.external_id,
                    "label": r.label,
                    "date": r.record_date,
                    "data": r.data,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "guess": preview.guess,
        "problems": preview.problems,
        "row_count": preview.row_count,
        "dates": read.dates,
        "skipped": read.skipped,
        "modules": modules,
    })
}

#[test]
fn a_us_export_with_12_hour_times_and_hours_and_minutes() {
    golden("us_12h", &staged("us_12h.csv"));
}

#[test]
fn a_european_export_with_semicolons_and_day_first_dates() {
    golden("european", &staged("european.csv"));
}

#[test]
fn an_export_without_a_header() {
    golden("no_header", &staged("no_header.csv"));
}

#[test]
fn an_export_of_hours_per_day_in_windows_1252() {
    golden("daily_hours", &staged("daily_hours.csv"));
}

#[test]
fn a_folder_previews_its_first_export_by_name() {
    let dir = tempfile::tempdir().expect("a folder");
    for name in ["b.csv", "a.csv"] {
        std::fs::copy(fixture("us_12h.csv"), dir.path().join(name)).expect("copied");
    }
    let shown = preview(dir.path()).expect("the folder previews");
    assert!(
        shown.file.ends_with("a.csv"),
        "the first file by name is shown: {}",
        shown.file
    );
}

#[test]
fn a_header_only_file_is_zero_rows() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("empty.csv");
    std::fs::write(&path, "Employee,Date,Hours\n\n").expect("written");
    let preview = preview(&path).expect("it previews");
    let read = CsvFiles
        .read(
            &[path],
            &FolderOptions {
                zone: chrono_tz::UTC,
                pull_from: "2026-01-01".parse().expect("a date"),
                layout: Some(preview.guess.clone()),
            },
        )
        .expect("it reads");
    assert_eq!(
        (preview.row_count, read.modules.iter().map(|(_, r)| r.len()).sum::<usize>()),
        (0, 0),
        "a header is no rows, and not a problem"
    );
}
