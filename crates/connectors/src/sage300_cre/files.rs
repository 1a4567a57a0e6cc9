//! Reading the lists from CSV exports in a folder, for an office without
//! ODBC access: each `.csv` file is one list, recognised by its header (the
//! mapping's column names, in any order, case, spaces and `_` aside). A
//! file of no known kind is named and skipped; every list needs exactly one
//! file, or nothing is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use timebridge_core::payroll::files::from_windows_1252;

use super::tables::{List, TABLES, Table};
use super::{Raw, RawRow};
use crate::error::ConnectorError;
use crate::folder::problem;

/// A header or column name compared loosely: lower case, letters and
/// digits only.
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The table a header is an export of: the one all of whose columns it
/// has, the widest if several (a category list also has a cost code
/// list's columns). Returns where each of the table's columns is.
fn kind_of(headers: &[String]) -> Option<(&'static Table, Vec<usize>)> {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    TABLES
        .iter()
        .filter_map(|table| {
            let at: Option<Vec<usize>> = table
                .columns
                .iter()
                .map(|c| keys.iter().position(|k| *k == key(c.name)))
                .collect();
            at.map(|at| (table, at))
        })
        .max_by_key(|(table, _)| table.columns.len())
}

/// The text of a file: UTF-8 (a byte-order mark dropped), else Windows-1252,
/// which a spreadsheet on Windows saves “CSV” in.
fn text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => from_windows_1252(bytes),
    }
}

/// One file read: its kind and rows, or why it is not a list.
enum Read {
    List(List, Vec<RawRow>),
    Unknown(String),
}

fn read_file(path: &Path) -> Result<Read, String> {
    let name = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| {
        format!("“{name}” could not be read ({e}). Check that no other program has it open.")
    })?;
    let text = text(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("“{name}” could not be read as CSV ({e})."))?
        .iter()
        .map(str::to_owned)
        .collect();
    let Some((table, at)) = kind_of(&headers) else {
        return Ok(Read::Unknown(format!(
            "“{name}” is not one of the Sage 300 CRE lists Timebridge reads (its columns are {}); it \
             was skipped.",
            headers.join(", ")
        )));
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record =
            record.map_err(|e| format!("“{name}” row {row} could not be read as CSV ({e})."))?;
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let values = at
            .iter()
            .map(|&i| record.get(i).unwrap_or("").trim().to_owned())
            .collect();
        rows.push(RawRow {
            at: format!("“{name}” row {row}"),
            values,
        });
    }
    Ok(Read::List(table.list, rows))
}

/// The CSV files of `folder`, in name order.
fn csv_files(folder: &Path) -> Result<Vec<PathBuf>, ConnectorError> {
    let shown = folder.display();
    if !folder.is_absolute() {
        return Err(problem(format!(
            "“{shown}” is not a full folder path. Choose the folder the Sage 300 CRE lists are exported to."
        )));
    }
    let entries = std::fs::read_dir(folder).map_err(|e| {
        problem(format!(
            "The folder “{shown}” could not be read ({e}). Check it exists and your user may read it."
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    Ok(files)
}

/// Every list, from the folder's exports.
pub(super) fn read(folder: &Path) -> Result<Raw, ConnectorError> {
    let mut found: BTreeMap<usize, (String, Vec<RawRow>)> = BTreeMap::new();
    let mut raw = Raw::default();
    let mut problems = Vec::new();
    for path in csv_files(folder)? {
        match read_file(&path) {
            Ok(Read::List(list, rows)) => {
                let name = file_name(&path);
                if let Some((first, _)) = found.get(&(list as usize)) {
                    problems.push(format!(
                        "“{first}” and “{name}” are both lists of {}: Timebridge cannot tell which is \
                         current. Move the older one out of the folder.",
                        list.plural()
                    ));
                } else {
                    found.insert(list as usize, (name, rows));
                }
            }
            Ok(Read::Unknown(why)) => raw.skipped.push(why),
            Err(why) => problems.push(why),
        }
    }
    for table in &TABLES {
        if !found.contains_key(&(table.list as usize)) {
            let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            problems.push(format!(
                "The folder has no list of {} (a CSV file with the columns {}). Export it from Sage \
                 300 CRE into the folder.",
                table.list.plural(),
                columns.join(", ")
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problem(format!(
            "Nothing was read from the folder of Sage 300 CRE lists, and what was synced before is \
             kept: {}",
            problems.join(" ")
        )));
    }
    raw.tables = TABLES
        .iter()
        .filter_map(|t| {
            found
                .remove(&(t.list as usize))
                .map(|(_, rows)| (t.list, rows))
        })
        .collect();
    Ok(raw)
}
