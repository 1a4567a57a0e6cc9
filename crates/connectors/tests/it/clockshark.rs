//! ClockShark's export files held to `docs/contracts/clockshark.md`: one
//! test (or a few) per rule, each showing the reader refusing a file that
//! breaks it, or reading one that follows it, through the reader's own
//! entry points (the folder check and the sync's read).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};
use tempfile::TempDir;
use timebridge_connectors::clockshark::ClockShark;
use timebridge_connectors::folder::{self, FolderOptions, FolderRead, FolderSource};
use timebridge_core::middleware::{Incoming, Module};

mod columns;
mod duplicates;
mod files;
mod lists;
mod pull_date;
mod reads;
mod records;
mod rows;

/// The pull date of every read here.
const PULL_FROM: &str = "2026-06-01";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn denver() -> chrono_tz::Tz {
    "America/Denver".parse().expect("a zone")
}

fn folder_with(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("written");
    }
    dir
}

/// What a sync reads from the folder.
fn read_folder(dir: &Path) -> Result<FolderRead, String> {
    let files: Vec<PathBuf> = folder::export_files(&ClockShark, dir).map_err(|e| e.message)?;
    ClockShark
        .read(
            &files,
            &FolderOptions {
                zone: denver(),
                pull_from: day(PULL_FROM),
                layout: None,
            },
        )
        .map_err(|e| e.message)
}

/// One export, `timesheets.csv`, read as a sync reads it.
fn read_one(text: &str) -> Result<FolderRead, String> {
    read_folder(folder_with(&[("timesheets.csv", text.as_bytes())]).path())
}

fn read(text: &str) -> FolderRead {
    read_one(text).unwrap_or_else(|e| panic!("the export is read: {e}"))
}

fn refused(text: &str) -> String {
    read_one(text).expect_err("the export is refused")
}

/// What the folder check (the connect dialog) answers.
fn check(files: &[(&str, &[u8])]) -> Result<String, String> {
    let dir = folder_with(files);
    folder::check(&ClockShark, dir.path(), &FolderOptions::any())
        .map(|summary| summary.describe())
        .map_err(|e| e.message)
}

fn records(read: &FolderRead, module: Module) -> &[Incoming] {
    read.modules
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[], |(_, r)| r.as_slice())
}

fn entries(read: &FolderRead) -> &[Incoming] {
    records(read, Module::TimeEntries)
}

fn only_entry(read: &FolderRead) -> &Incoming {
    let [entry] = entries(read) else {
        panic!("one time entry, not {}", entries(read).len());
    };
    entry
}

fn span(read: &FolderRead) -> Value {
    only_entry(read).data["span"].clone()
}

fn fixture() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clockshark/timesheet-export.csv");
    std::fs::read(path).expect("the fixture export")
}

const CLOCKED: &str = "Employee,Employee ID,Date,Clock In,Clock Out,Job,Task\n";
