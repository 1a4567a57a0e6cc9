//! ClockShark, from its exports. ClockShark has no public API; an admin
//! exports timesheets (TimeSheets → Export, as CSV), and the employee, job
//! and task lists, into a folder, and each sync reads every export in it,
//! each told by its columns (a file of no kind read is skipped, named). What a file must hold, and what
//! the reader answers when it does not, is `docs/contracts/clockshark.md`.
//!
//! - [`file`]: one file, read whole: CSV text in UTF-8, its header, its rows.
//! - [`columns`]: which column holds what, found by its header.
//! - [`values`]: dates, times, clock cells, hours and minutes.
//! - [`lists`]: the employee, job and task lists' rows as records, the
//!   job list's budgets beside its jobs.
//! - [`rows`]: a row as a shift, each value checked, placed in the company's
//!   payroll time zone.
//! - [`records`]: the employees, customers, jobs, tasks, pay items and time
//!   entries the shifts make, each once, and the days each file covers.
//!
//! One file or row the contract refuses refuses the whole read, naming
//! every file and row refused, so nothing is written and what was staged
//! before stays. A shift still running, and unpaid time off, are left out
//! and reported.

mod columns;
mod file;
mod lists;
mod records;
mod rows;
mod values;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use timebridge_core::platforms::Platform;

use crate::error::ConnectorError;
use crate::folder::{CheckedFile, FolderOptions, FolderRead, FolderSource, problem};
use crate::{Connector, PlatformInfo};
use file::Opened;
use records::Collected;
use rows::Context;

pub struct ClockShark;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::ClockShark,
    name: Platform::ClockShark.name(),
    default_base_url: "",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(1),
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

impl Connector for ClockShark {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    /// Never used: there are no streams to page.
    fn folder(&self) -> Option<&dyn FolderSource> {
        Some(self)
    }
}

/// How many problems a message lists.
const SHOWN: usize = 5;

/// The message refusing a read: how many problems, the first few, each
/// with where it is, what is wrong and what to do.
fn refusal(lead: &str, problems: &[String]) -> ConnectorError {
    let count = match problems.len() {
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    };
    let more = match problems.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    let shown: Vec<&str> = problems.iter().take(SHOWN).map(String::as_str).collect();
    problem(format!(
        "{lead}: the exports have {count}. {}{more}",
        shown.join(" ")
    ))
}

impl FolderSource for ClockShark {
    fn is_export(&self, path: &Path) -> bool {
        file::is_export(path)
    }

    /// The same file and row rules as a sync, with the clock times in UTC
    /// (a time the company's zone skips is found by the sync) whatever the
    /// options say; every row is checked, and those dated before the
    /// options' pull date counted.
    fn check_file(
        &self,
        path: &Path,
        options: &FolderOptions,
    ) -> Result<CheckedFile, ConnectorError> {
        let opened = file::read(path).map_err(problem)?;
        let (kind, rows) = match &opened {
            Opened::Skipped(why) => return Ok(CheckedFile::Skipped(why.clone())),
            Opened::Export(export) => (export.layout.kind.name(), export.rows.len()),
        };
        let mut collected = Collected::default();
        let context = Context {
            zone: chrono_tz::UTC,
            pull_from: NaiveDate::MIN,
        };
        collected.opened(&opened, context);
        if !collected.problems.is_empty() {
            return Err(refusal(
                "This folder cannot be used yet",
                &collected.problems,
            ));
        }
        let mut dated = Collected::default();
        dated.opened(
            &opened,
            Context {
                pull_from: options.pull_from,
                ..context
            },
        );
        Ok(CheckedFile::Read {
            kind,
            rows,
            before_pull: dated.before_pull,
        })
    }

    fn read(
        &self,
        files: &[PathBuf],
        options: &FolderOptions,
    ) -> Result<FolderRead, ConnectorError> {
        let context = Context {
            zone: options.zone,
            pull_from: options.pull_from,
        };
        let mut collected = Collected::default();
        for path in files {
            match file::read(path) {
                Ok(opened) => collected.opened(&opened, context),
                Err(why) => collected.problems.push(why),
            }
        }
        if !collected.problems.is_empty() {
            return Err(refusal(
                "Nothing was read from the export folder, and what was synced before is kept",
                &collected.problems,
            ));
        }
        Ok(collected.into_read())
    }
}

#[cfg(test)]
mod tests;
