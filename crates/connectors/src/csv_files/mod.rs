//! CSV files: time exported by any tracker, read with a saved layout.
//!
//! The admin points at a folder (or one file) of exports. [`preview`] reads
//! a file's first rows and guesses its layout ([`guess`]); the admin
//! confirms or changes it, and saves it under a name
//! (`timebridge_core::middleware::csv_layouts`). Each sync then reads every
//! file with that layout. What a file may hold, and what the reader answers
//! when it does not, is `docs/contracts/csv-files.md`.
//!
//! - [`text`]: a file's bytes as CSV records, the delimiter sniffed.
//! - [`guess`]: a layout from a file's first rows.
//! - [`values`]: dates, times and durations, as the layout writes them.
//! - [`read`]: a row as a time entry, each bad value said by line and column.
//! - [`records`]: the staged records the rows make, under stable ids.
//!
//! A file with a bad row is left out whole (nothing of it is read, what it
//! staged before stays, the run says why); the other files still read. A
//! file without the layout's columns is skipped, named.

mod guess;
mod read;
mod records;
mod text;
mod values;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use timebridge_core::middleware::Serialized;
use timebridge_core::middleware::csv_layouts::{CsvLayout, CsvPreview};
use timebridge_core::platforms::Platform;

use crate::error::ConnectorError;
use crate::folder::{
    self, BeforePull, CheckedFile, FolderOptions, FolderRead, FolderSource, problem,
};
use crate::{Connector, PlatformInfo};
use read::{Columns, Outcome, Reader};
use records::{Collected, FileRows};
use text::file_name;
use values::Formats;

pub struct CsvFiles;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::CsvFiles,
    name: Platform::CsvFiles.name(),
    default_base_url: "",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(1),
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

impl Connector for CsvFiles {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn folder(&self) -> Option<&dyn FolderSource> {
        Some(self)
    }
}

/// How many data rows a preview shows.
const SHOWN_ROWS: usize = 10;
/// How many rows a preview reads with its guess, and problems it lists.
const CHECKED_ROWS: usize = 100;
const SHOWN_PROBLEMS: usize = 10;

/// The first rows of `path` (a file, or a folder's first export file by
/// name) with the layout guessed for them, what the guess could not find,
/// and the first rows that do not read with it.
pub fn preview(path: &Path) -> Result<CsvPreview, ConnectorError> {
    preview_as(path, None)
}

/// [`preview`] with the delimiter given instead of sniffed (one of
/// `DELIMITERS`' bytes).
pub fn preview_as(path: &Path, delimiter: Option<u8>) -> Result<CsvPreview, ConnectorError> {
    let file = if path.is_dir() {
        folder::export_files(&CsvFiles, path)?
            .into_iter()
            .next()
            .ok_or_else(|| {
                problem(format!(
                    "The folder “{}” has no CSV files yet. Export the time as CSV into it, or \
                     choose the file itself.",
                    path.display()
                ))
            })?
    } else {
        path.to_path_buf()
    };
    let (lines, delimiter) = text::read(&file, delimiter).map_err(problem)?;
    let stem = file.file_stem().map_or_else(
        || "CSV export".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let guessed = guess::guess(&stem, &lines, delimiter);
    let data = &lines[guessed.first_row.min(lines.len())..];
    let mut problems = guessed.notes;
    if let Ok(columns) = Columns::find(&guessed.layout, &lines) {
        let reader = Reader {
            layout: &guessed.layout,
            columns: &columns,
            zone: chrono_tz::UTC,
            pull_from: NaiveDate::MIN,
            formats: Formats::of(&guessed.layout.date_format, &guessed.layout.time_format),
        };
        let refused = data
            .iter()
            .take(CHECKED_ROWS)
            .filter_map(|(line, row)| reader.row(*line, row).err())
            .flat_map(|r| r.problems);
        problems.extend(refused.take(SHOWN_PROBLEMS));
    }
    Ok(CsvPreview {
        file: file.display().to_string(),
        headers: guessed.headers,
        rows: data
            .iter()
            .take(SHOWN_ROWS)
            .map(|(_, r)| r.clone())
            .collect(),
        row_count: data.len(),
        missing: guessed.layout.missing(),
        guess: guessed.layout,
        problems,
    })
}

/// How many problems a message lists.
const SHOWN: usize = 5;

/// `spans` without the days of `holes`: the days a left-out file covers
/// are not covered by the files read.
fn without(
    spans: Vec<(NaiveDate, NaiveDate)>,
    holes: &[(NaiveDate, NaiveDate)],
) -> Vec<(NaiveDate, NaiveDate)> {
    holes.iter().fold(spans, |spans, &(from, to)| {
        spans
            .into_iter()
            .flat_map(|(a, b)| {
                let before = (a < from).then(|| (a, b.min(from.pred_opt().unwrap_or(from))));
                let after = (b > to).then(|| (a.max(to.succ_opt().unwrap_or(to)), b));
                [before, after].into_iter().flatten()
            })
            .collect()
    })
}

/// One file read with `layout`.
enum FileRead {
    /// Read whole: its rows, the days it covers, the rows of no time, the
    /// rows dated before the pull date.
    Rows(FileRows, Option<(NaiveDate, NaiveDate)>, usize, BeforePull),
    /// Its columns are not the layout's: skipped, with why.
    Skipped(String),
    /// Rows of it are bad: left out, with its days and every problem.
    LeftOut(Option<(NaiveDate, NaiveDate)>, Vec<String>),
    /// It is not CSV text (a workbook, a file that cannot be opened): left
    /// out, with why.
    Unreadable(String),
}

fn read_file(
    path: &Path,
    layout: &CsvLayout,
    options: &FolderOptions,
    zone: chrono_tz::Tz,
) -> FileRead {
    let name = file_name(path);
    let (lines, _) = match text::read(path, layout.delimiter_byte()) {
        Ok(read) => read,
        Err(why) => return FileRead::Unreadable(why),
    };
    if lines.is_empty() {
        return FileRead::Rows(FileRows::default(), None, 0, BeforePull::default());
    }
    let columns = match Columns::find(layout, &lines) {
        Ok(columns) => columns,
        Err(why) => {
            return FileRead::Skipped(format!(
                "“{name}” was skipped: {why}, so it is not a file of the layout “{}”. Choose \
                 another layout for it, or move it out of the folder.",
                layout.name
            ));
        }
    };
    let reader = Reader {
        layout,
        columns: &columns,
        zone,
        pull_from: options.pull_from,
        formats: Formats::of(&layout.date_format, &layout.time_format),
    };
    let body = &lines[columns.first_row.min(lines.len())..];
    let read = read_rows(&reader, body, &name);
    let days = read.first.zip(read.last);
    if read.problems.is_empty() {
        FileRead::Rows(read.rows, days, read.no_time, read.before_pull)
    } else {
        FileRead::LeftOut(days, read.problems)
    }
}

/// Rows read from a run of a file's lines.
#[derive(Default)]
struct RowsRead {
    rows: FileRows,
    problems: Vec<String>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    no_time: usize,
    before_pull: BeforePull,
}

impl RowsRead {
    fn seen(&mut self, day: NaiveDate) {
        self.first = Some(self.first.map_or(day, |f| f.min(day)));
        self.last = Some(self.last.map_or(day, |l| l.max(day)));
    }

    /// These rows, then `next`'s (the lines after them).
    fn then(mut self, next: RowsRead) -> RowsRead {
        self.rows.extend(next.rows);
        self.problems.extend(next.problems);
        for day in next.first.into_iter().chain(next.last) {
            self.seen(day);
        }
        self.no_time += next.no_time;
        self.before_pull.merge(next.before_pull);
        self
    }
}

/// Below this many lines a file is read on one thread.
const PARALLEL_FROM: usize = 8_192;

/// Reads every line of `body`, in order. Rows are read independently of
/// each other, so a large file is read in as many runs as the computer has
/// cores (at most four), and the runs joined in line order: the same rows
/// and problems, in the same order, as one thread reads them.
fn read_rows(reader: &Reader<'_>, body: &[text::Line], name: &str) -> RowsRead {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(4);
    if threads < 2 || body.len() < PARALLEL_FROM {
        return read_run(reader, body, name);
    }
    let run = body.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let runs: Vec<_> = body
            .chunks(run)
            .map(|lines| scope.spawn(move || read_run(reader, lines, name)))
            .collect();
        runs.into_iter()
            .map(|run| {
                run.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .fold(RowsRead::default(), RowsRead::then)
    })
}

fn read_run(reader: &Reader<'_>, lines: &[text::Line], name: &str) -> RowsRead {
    let mut read = RowsRead::default();
    for (line, row) in lines {
        match reader.row(*line, row) {
            Ok(Outcome::Entry(row)) => {
                read.seen(row.date);
                read.rows.push(*row);
            }
            Ok(Outcome::NoTime(day)) => {
                read.seen(day);
                read.no_time += 1;
            }
            Ok(Outcome::BeforePullDate(day)) => read.before_pull.add(day),
            Err(refused) => {
                if let Some(day) = refused.date {
                    read.seen(day);
                }
                read.problems
                    .extend(refused.problems.into_iter().map(|p| format!("{name}, {p}")));
            }
        }
    }
    read
}

/// The first few of `problems`, joined, and how many more there are.
fn listed(problems: &[String]) -> String {
    let more = match problems.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    let shown: Vec<&str> = problems.iter().take(SHOWN).map(String::as_str).collect();
    format!("{}{more}", shown.join("; "))
}

fn counted(problems: &[String]) -> String {
    match problems.len() {
        1 => "1 row that does not read".to_owned(),
        n => format!("{n} problems in its rows"),
    }
}

/// The message of a sync leaving out a file: how many problems, the
/// first few.
fn left_out(name: &str, problems: &[String]) -> String {
    format!(
        "“{name}” was left out: it has {}, so nothing of it was read and what it brought in \
         before is kept. {}. Fix the rows (or the layout) and sync again.",
        counted(problems),
        listed(problems)
    )
}

/// The message of a check refusing a file before it is connected.
fn not_yet(name: &str, problems: &[String]) -> String {
    format!(
        "“{name}” cannot be read with this layout yet: it has {}. {}. Fix the rows (or the \
         layout) and try again.",
        counted(problems),
        listed(problems)
    )
}

fn no_layout() -> ConnectorError {
    problem(
        "This CSV files integration has no layout. Open its Settings, choose a layout (or save one \
         from a file), and sync again.",
    )
}

impl FolderSource for CsvFiles {
    fn is_export(&self, path: &Path) -> bool {
        text::is_export(path)
    }

    fn reads_one_file(&self) -> bool {
        true
    }

    /// The rows of one file as a sync reads them, with the options'
    /// layout and zone; a file with a bad row is refused, naming it.
    fn check_file(
        &self,
        path: &Path,
        options: &FolderOptions,
    ) -> Result<CheckedFile, ConnectorError> {
        let layout = options.layout.as_ref().ok_or_else(no_layout)?;
        let zone = zone_of(layout, options)?;
        match read_file(path, layout, options, zone) {
            FileRead::Rows(rows, _, _, before_pull) => Ok(CheckedFile::Read {
                kind: "time export",
                rows: rows.len() + before_pull.rows,
                before_pull,
            }),
            FileRead::Skipped(why) => Ok(CheckedFile::Skipped(why)),
            FileRead::LeftOut(_, problems) => Err(problem(not_yet(&file_name(path), &problems))),
            FileRead::Unreadable(why) => Err(problem(why)),
        }
    }

    fn read(
        &self,
        files: &[PathBuf],
        options: &FolderOptions,
    ) -> Result<FolderRead, ConnectorError> {
        Ok(self
            .read_serialized(files, options)?
            .map(Serialized::to_incoming))
    }

    fn read_serialized(
        &self,
        files: &[PathBuf],
        options: &FolderOptions,
    ) -> Result<FolderRead<Serialized>, ConnectorError> {
        let layout = options.layout.as_ref().ok_or_else(no_layout)?;
        let zone = zone_of(layout, options)?;
        let mut collected = Collected::default();
        let mut read = FolderRead::default();
        let mut holes = Vec::new();
        let mut days_unknown = false;
        for path in files {
            match read_file(path, layout, options, zone) {
                FileRead::Rows(rows, days, no_time, before_pull) => {
                    read.dates.extend(days);
                    read.before_pull.merge(before_pull);
                    collected.keep(rows);
                    let name = file_name(path);
                    read.skipped.extend(
                        (0..no_time).map(|_| {
                            format!("“{name}”: a row of no time (zero hours) was left out.")
                        }),
                    );
                }
                FileRead::Skipped(why) => read.files_skipped.push(why),
                FileRead::Unreadable(why) => {
                    days_unknown = true;
                    read.files_left_out.push(format!(
                        "{why} It was left out, and what it brought in before is kept."
                    ));
                }
                FileRead::LeftOut(days, problems) => {
                    days_unknown |= days.is_none();
                    holes.extend(days);
                    read.files_left_out
                        .push(left_out(&file_name(path), &problems));
                }
            }
        }
        // A left-out file whose days are not known may cover any day:
        // nothing is removed at the source this time.
        read.dates = if days_unknown {
            Vec::new()
        } else {
            without(read.dates, &holes)
        };
        read.modules = collected.into_modules();
        Ok(read)
    }
}

/// The zone the layout's times are in: its own, else the company's.
fn zone_of(layout: &CsvLayout, options: &FolderOptions) -> Result<chrono_tz::Tz, ConnectorError> {
    match &layout.time_zone {
        None => Ok(options.zone),
        Some(zone) => zone.parse().map_err(|_| {
            problem(format!(
                "The layout “{}” names the time zone “{zone}”, which is not one. Change it in the \
                 layout.",
                layout.name
            ))
        }),
    }
}

#[cfg(test)]
mod tests;
