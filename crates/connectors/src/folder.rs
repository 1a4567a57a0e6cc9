//! Platforms without an API, read from the export files an admin saves in a
//! folder (ClockShark's timesheet exports and lists; any tracker's CSV files,
//! from a folder or one file). Each sync reads every file in the folder
//! whole; nothing is written until every file has been read, so a file the
//! source refuses stops the sync (ClockShark) or is left out alone (CSV
//! files) with the records already staged left as they were.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use timebridge_core::ErrorCode;
use timebridge_core::middleware::csv_layouts::CsvLayout;
use timebridge_core::middleware::{Incoming, Module, Serialized};

use crate::error::{ConnectorError, ErrorClass};

/// The rows of time dated before the pull date, which a sync does not
/// read: how many, and the earliest day among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BeforePull {
    pub rows: usize,
    pub earliest: Option<NaiveDate>,
}

impl BeforePull {
    /// One more row, dated `day`.
    pub fn add(&mut self, day: NaiveDate) {
        self.rows += 1;
        self.earliest = Some(self.earliest.map_or(day, |e| e.min(day)));
    }

    /// These and `other`'s rows.
    pub fn merge(&mut self, other: BeforePull) {
        self.rows += other.rows;
        self.earliest = match (self.earliest, other.earliest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// "Nov 2, 2026 (2026-11-02)": a day as an admin reads it, and as the
/// command line takes it.
fn day_said(day: NaiveDate) -> String {
    format!("{} ({day})", day.format("%b %-d, %Y"))
}

/// One file of a folder, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedFile {
    /// An export of this kind ("timesheet export", "job list"), with its
    /// rows (every one, read or not) and those of them dated before the
    /// pull date.
    Read {
        kind: &'static str,
        rows: usize,
        before_pull: BeforePull,
    },
    /// A file of no kind read, and the message naming it.
    Skipped(String),
}

/// What a folder holds, as the connect dialog reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderSummary {
    pub files: usize,
    pub rows: usize,
    /// How many files of each kind, in the order first found.
    pub kinds: Vec<(&'static str, usize)>,
    /// The files skipped, each with why.
    pub skipped: Vec<String>,
    /// The day a sync reads time from.
    pub pull_from: Option<NaiveDate>,
    /// The rows dated before it, which a sync does not read.
    pub before_pull: BeforePull,
}

impl FolderSummary {
    fn add(&mut self, file: CheckedFile) {
        match file {
            CheckedFile::Read {
                kind,
                rows,
                before_pull,
            } => {
                self.files += 1;
                self.rows += rows;
                self.before_pull.merge(before_pull);
                match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => self.kinds.push((kind, 1)),
                }
            }
            CheckedFile::Skipped(why) => self.skipped.push(why),
        }
    }

    /// "3 export files (2 timesheet exports, 1 job list), 1,204 rows", the
    /// kinds said when there is more than one, then each file skipped; or
    /// what to do when there are none.
    pub fn describe(&self) -> String {
        let kinds = match self.kinds.as_slice() {
            [] | [(_, _)] => String::new(),
            kinds => {
                let each: Vec<String> = kinds
                    .iter()
                    .map(|(kind, n)| match n {
                        1 => format!("1 {kind}"),
                        n => format!("{n} {kind}s"),
                    })
                    .collect();
                format!(" ({})", each.join(", "))
            }
        };
        let read = match self.files {
            0 => "no export files yet".to_owned(),
            1 => format!("1 export file{kinds}, {} rows", self.rows),
            n => format!("{n} export files{kinds}, {} rows", self.rows),
        };
        let read = match self.before_pull_said() {
            Some(said) => format!("{read}. {said}"),
            None => read,
        };
        match self.skipped.as_slice() {
            [] => read,
            skipped => format!("{read}. {}", skipped.join(" ")),
        }
    }

    /// What of the rows a sync will not read for their date, and how to
    /// read them; `None` when every row is read.
    fn before_pull_said(&self) -> Option<String> {
        let (Some(pull_from), Some(earliest)) = (self.pull_from, self.before_pull.earliest) else {
            return None;
        };
        let which = match (self.before_pull.rows, self.rows) {
            (1, 1) => "Its one row is".to_owned(),
            (n, all) if n == all => format!("All {n} rows are"),
            (1, all) => format!("1 of the {all} rows is"),
            (n, all) => format!("{n} of the {all} rows are"),
        };
        Some(format!(
            "{which} dated before the pull date, {}, so a sync will not read them; to read them, \
             set the pull date to {} or earlier",
            day_said(pull_from),
            day_said(earliest)
        ))
    }
}

/// Everything the folder's files hold, per module: each record
/// [`Incoming`], or already [`Serialized`] for staging.
#[derive(Debug)]
pub struct FolderRead<R = Incoming> {
    pub modules: Vec<(Module, Vec<R>)>,
    /// Rows that could not be read, with where they are and why.
    pub skipped: Vec<String>,
    /// The first and last day of time each file covers (the days between
    /// two files are covered by neither).
    pub dates: Vec<(NaiveDate, NaiveDate)>,
    /// The modules read from a whole list: a record staged before and not
    /// read is removed at the source.
    pub whole: Vec<Module>,
    /// The files skipped (of no kind read, or of the wrong columns), each
    /// with why.
    pub files_skipped: Vec<String>,
    /// The files left out because rows of them could not be read: nothing
    /// of them was read, and what they staged before stays. Each message
    /// names the file and every bad row's line and column.
    pub files_left_out: Vec<String>,
    /// The rows of time not read because they are dated before the pull
    /// date.
    pub before_pull: BeforePull,
}

impl<R> Default for FolderRead<R> {
    fn default() -> Self {
        FolderRead {
            modules: Vec::new(),
            skipped: Vec::new(),
            dates: Vec::new(),
            whole: Vec::new(),
            files_skipped: Vec::new(),
            files_left_out: Vec::new(),
            before_pull: BeforePull::default(),
        }
    }
}

impl<R> FolderRead<R> {
    /// What a run says of the rows it left out for their date, when they
    /// are why it read no time at all: `pull_from` is the pull date of
    /// integration `id`.
    pub fn before_pull_note(&self, pull_from: NaiveDate, id: i64) -> Option<String> {
        let earliest = self.before_pull.earliest?;
        let read_time = self
            .modules
            .iter()
            .any(|(module, records)| *module == Module::TimeEntries && !records.is_empty());
        if read_time {
            return None;
        }
        let rows = match self.before_pull.rows {
            1 => "the one row of time in the files is".to_owned(),
            n => format!("all {n} rows of time in the files are"),
        };
        Some(format!(
            "No time was read: {rows} dated before the integration's pull date, {}. To read them, \
             set the pull date to {} or earlier in the integration's Settings (on the command \
             line: `timebridge integrations set {id} --pull-from {earliest}`) and sync again.",
            day_said(pull_from),
            day_said(earliest)
        ))
    }
}

impl<R> FolderRead<R> {
    /// The same read with each record made another way.
    pub fn map<S>(self, each: impl Fn(&R) -> S) -> FolderRead<S> {
        FolderRead {
            modules: self
                .modules
                .into_iter()
                .map(|(module, records)| (module, records.iter().map(&each).collect()))
                .collect(),
            skipped: self.skipped,
            dates: self.dates,
            whole: self.whole,
            files_skipped: self.files_skipped,
            files_left_out: self.files_left_out,
            before_pull: self.before_pull,
        }
    }
}

/// What an integration's settings tell its source about reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderOptions {
    /// The zone clock times without an offset are in (the company's).
    pub zone: chrono_tz::Tz,
    /// Time dated before this day is left out.
    pub pull_from: NaiveDate,
    /// The saved layout the files are read with (CSV files).
    pub layout: Option<CsvLayout>,
}

impl FolderOptions {
    /// Clock times in UTC, every date read, no layout: what a folder is
    /// checked with before it is saved.
    pub fn any() -> FolderOptions {
        FolderOptions {
            zone: chrono_tz::UTC,
            pull_from: NaiveDate::MIN,
            layout: None,
        }
    }
}

/// A platform read from export files.
pub trait FolderSource: Send + Sync {
    /// Which files of the folder are exports ("*.csv").
    fn is_export(&self, path: &Path) -> bool;
    /// The setting may name one export file instead of a folder.
    fn reads_one_file(&self) -> bool {
        false
    }
    /// Checks one file's layout and rows: its kind and how many rows, or
    /// that it is skipped.
    fn check_file(
        &self,
        path: &Path,
        options: &FolderOptions,
    ) -> Result<CheckedFile, ConnectorError>;
    /// Reads every export in `files` as `options` say: clock times placed
    /// in its zone, time dated before its pull date left out.
    fn read(
        &self,
        files: &[PathBuf],
        options: &FolderOptions,
    ) -> Result<FolderRead, ConnectorError>;
    /// [`read`](Self::read) with each record's data already the text a
    /// sync stages (and its checksum).
    fn read_serialized(
        &self,
        files: &[PathBuf],
        options: &FolderOptions,
    ) -> Result<FolderRead<Serialized>, ConnectorError> {
        Ok(self.read(files, options)?.map(Serialized::of))
    }
}

/// A problem with the folder or a file: the admin must act.
pub fn problem(message: impl Into<String>) -> ConnectorError {
    ConnectorError::new(
        ErrorClass::Configuration,
        ErrorCode::Validation,
        message.into(),
    )
}

/// The export files in `folder`, in name order; for a source that reads
/// one file, `folder` may be that file.
pub fn export_files(
    source: &dyn FolderSource,
    folder: &Path,
) -> Result<Vec<PathBuf>, ConnectorError> {
    let shown = folder.display();
    if source.reads_one_file() && folder.is_absolute() && folder.is_file() {
        return Ok(vec![folder.to_path_buf()]);
    }
    if !folder.is_absolute() {
        return Err(problem(format!(
            "“{shown}” is not a full folder path. Choose the folder the exports are saved in, e.g. C:\\Exports\\ClockShark."
        )));
    }
    let entries = std::fs::read_dir(folder).map_err(|e| {
        problem(match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "The folder “{shown}” does not exist. Create it, or choose the folder the exports are saved in."
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "Timebridge may not read the folder “{shown}”. Give your user read access to it, or choose another."
            ),
            _ => format!("The folder “{shown}” could not be read ({e}). Check it is a folder on this computer."),
        })
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && source.is_export(path))
        .collect();
    files.sort();
    Ok(files)
}

/// Checks a folder before it is saved: it exists, can be read, and every
/// export in it has the columns Timebridge needs.
pub fn check(
    source: &dyn FolderSource,
    folder: &Path,
    options: &FolderOptions,
) -> Result<FolderSummary, ConnectorError> {
    let mut summary = FolderSummary {
        pull_from: Some(options.pull_from).filter(|d| *d != NaiveDate::MIN),
        ..FolderSummary::default()
    };
    for file in &export_files(source, folder)? {
        summary.add(source.check_file(file, options)?);
    }
    Ok(summary)
}
