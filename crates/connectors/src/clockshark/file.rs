//! One export file, read whole: which files are exports (`CSK-FILE-1`),
//! that it is CSV text and not a workbook (`CSK-FILE-2`), in UTF-8 with or
//! without a byte-order mark (`CSK-FILE-3`, `CSK-FILE-4`), not empty
//! (`CSK-FILE-5`), comma-separated (`CSK-FILE-6`), its header and its rows,
//! each as wide as the header (`CSK-FILE-7`); a file of no kind read is
//! skipped (`CSK-KIND-2`).

use std::path::Path;

use super::columns::{self, Layout};

/// Workbooks an admin may save instead of the CSV export.
const WORKBOOKS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// The file's name as the admin sees it in the folder.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn extension_is(path: &Path, names: &[&str]) -> bool {
    path.extension()
        .is_some_and(|e| names.iter().any(|n| e.eq_ignore_ascii_case(n)))
}

/// Files the reader looks at: CSV exports, and workbooks (to refuse them
/// by name rather than pass them over).
pub(super) fn is_export(path: &Path) -> bool {
    extension_is(path, &["csv"]) || extension_is(path, &WORKBOOKS)
}

/// An export's header and rows.
pub(super) struct Export {
    pub name: String,
    pub layout: Layout,
    /// The rows with a value, numbered as a spreadsheet shows them (the
    /// header is row 1).
    pub rows: Vec<(usize, Vec<String>)>,
    /// Rows refused before their values are read.
    pub problems: Vec<String>,
}

/// A file of the folder, opened.
pub(super) enum Opened {
    Export(Export),
    /// Of no kind Timebridge reads: skipped, with the message naming it.
    Skipped(String),
}

/// The text of an export, or why it is not one.
fn text(name: &str, path: &Path, bytes: &[u8]) -> Result<String, String> {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if zip || ole || extension_is(path, &WORKBOOKS) {
        return Err(format!(
            "“{name}” is an Excel workbook, not a CSV file. Timebridge reads ClockShark's CSV \
             export: export the timesheets again as CSV (or open this file and save it as \
             “CSV UTF-8”), then move the workbook out of the folder."
        ));
    }
    let not_utf8 = |detail: String| {
        format!(
            "“{name}” is not UTF-8 text ({detail}). Save it as “CSV UTF-8”, or export the \
             timesheets again from ClockShark."
        )
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(not_utf8(
            "it is UTF-16, as spreadsheets save “Unicode Text”".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        not_utf8(format!(
            "line {line} has bytes that are not UTF-8; a spreadsheet saved it in another encoding"
        ))
    })?;
    if text.trim().is_empty() {
        return Err(format!(
            "“{name}” is empty. Export the timesheets again from ClockShark, or move this file out \
             of the folder."
        ));
    }
    Ok(text.to_owned())
}

/// Reads `path` whole; `Err` is the message refusing the file.
pub(super) fn read(path: &Path) -> Result<Opened, String> {
    let name = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "“{name}” could not be read ({e}). Check that no other program has it open and that \
             your user may read it."
        )
    })?;
    let text = text(&name, path, &bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("“{name}” could not be read as CSV ({e})."))?
        .iter()
        .map(str::to_owned)
        .collect();
    let Some(layout) = Layout::of(&name, &headers)? else {
        return Ok(Opened::Skipped(columns::unknown(&name, &headers)));
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!(
                    "“{name}” row {row} could not be read as CSV ({e}). Export the timesheets \
                     again from ClockShark, or fix the row."
                ));
                continue;
            }
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != layout.width {
            problems.push(format!(
                "“{name}” row {row} has {} values but the header has {}: a value holding a comma \
                 must be in double quotes. Export the timesheets again from ClockShark, or fix the row.",
                record.len(),
                layout.width
            ));
            continue;
        }
        rows.push((row, record.iter().map(str::to_owned).collect()));
    }
    Ok(Opened::Export(Export {
        name,
        layout,
        rows,
        problems,
    }))
}
