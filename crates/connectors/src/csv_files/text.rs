//! One file as CSV records: its bytes decoded (UTF-8 with or without a
//! byte-order mark, UTF-16 with one, else Windows-1252), the delimiter
//! sniffed, and its records with the line each starts on. Quoting is RFC
//! 4180's, as the `csv` crate reads it; empty lines are skipped.

use std::path::Path;

use timebridge_core::middleware::csv_layouts::DELIMITERS;

/// A record of the file: the line it starts on (1-based) and its values.
pub(super) type Line = (usize, Vec<String>);

/// The file's name as the admin sees it in the folder.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Files a folder's reader looks at: `.csv`, `.txt` and `.tsv`.
pub(super) fn is_export(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["csv", "txt", "tsv"]
            .iter()
            .any(|n| e.eq_ignore_ascii_case(n))
    })
}

/// The text of the file's bytes, or why they are not text.
pub(super) fn decode(name: &str, bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(format!(
            "“{name}” is a spreadsheet workbook, not a CSV file. Open it and save it as CSV, or \
             export the time again as CSV."
        ));
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!(
                "“{name}” starts as {} text but has bytes that are not. Save it again as “CSV UTF-8”.",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        // Not UTF-8: what spreadsheets on Windows save as plain "CSV".
        Err(_) => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()),
    }
}

/// How many times `delimiter` separates values on `line`, outside quotes.
fn separators(line: &str, delimiter: char) -> usize {
    let mut quoted = false;
    line.chars()
        .filter(|c| {
            if *c == '"' {
                quoted = !quoted;
            }
            !quoted && *c == delimiter
        })
        .count()
}

/// The delimiter of the first lines: of `,` `;` tab `|`, the one found on
/// every one of them the same number of times, most often; a comma when
/// none is.
pub(super) fn sniff(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let mut best = (0, b',');
    for delimiter in DELIMITERS {
        let c = delimiter.chars().next().unwrap_or(',');
        let counts: Vec<usize> = lines.iter().map(|l| separators(l, c)).collect();
        let Some(first) = counts.first().copied() else {
            continue;
        };
        if first > best.0 && counts.iter().all(|n| *n == first) {
            best = (first, delimiter.as_bytes()[0]);
        }
    }
    best.1
}

/// Every record with a value, each with its line.
pub(super) fn records(name: &str, text: &str, delimiter: u8) -> Result<Vec<Line>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!(
                "“{name}”, line {line}: it could not be read as CSV ({e}). A value holding the \
                 delimiter or a quote must be in double quotes."
            )
        })?;
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        lines.push((line, record.iter().map(|v| v.trim().to_owned()).collect()));
    }
    Ok(lines)
}

/// Reads `path` whole into its records, with the delimiter given (or
/// sniffed when `None`) and the one used.
pub(super) fn read(path: &Path, delimiter: Option<u8>) -> Result<(Vec<Line>, u8), String> {
    let name = file_name(path);
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "“{name}” could not be read ({e}). Check that no other program has it open and that \
             your user may read it."
        )
    })?;
    let text = decode(&name, &bytes)?;
    let delimiter = delimiter.unwrap_or_else(|| sniff(&text));
    Ok((records(&name, &text, delimiter)?, delimiter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_with_decimal_commas_is_semicolon_delimited() {
        let text = "Name;Date;Hours\nAna;03.11.2026;7,5\nBen;04.11.2026;8\n";
        assert_eq!(sniff(text), b';', "the commas vary by line, the semicolons do not");
    }

    #[test]
    fn windows_1252_text_is_read_when_it_is_not_utf8() {
        let bytes = b"Employee\nJos\xe9 Pe\xf1a\n";
        assert_eq!(
            decode("t.csv", bytes).expect("decoded"),
            "Employee\nJosé Peña\n",
            "a spreadsheet's plain CSV on Windows is Windows-1252"
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_header() {
        let bytes = b"\xEF\xBB\xBFEmployee,Hours\n";
        assert_eq!(
            decode("t.csv", bytes).expect("decoded"),
            "Employee,Hours\n",
            "Excel's CSV UTF-8 starts with a BOM"
        );
    }
}
