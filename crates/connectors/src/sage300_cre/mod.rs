//! Sage 300 CRE (Sage 300 Construction and Real Estate, formerly
//! Timberline), read whole on every sync: employees, jobs, extras, cost
//! codes, categories and pay IDs, through Sage's ODBC driver (a Timberline
//! Data Source on the office's computer), or from those lists exported as
//! CSV files into a folder where there is no ODBC access. What is read and
//! what the reader answers is `docs/contracts/sage300-cre.md`.
//!
//! - [`tables`]: the mapping, the one place tables and columns are named.
//! - [`odbc`]: reading the tables through the ODBC driver manager.
//! - [`files`]: reading the same lists from CSV exports.
//! - [`records`]: their rows as staged records, keyed by Sage's keys.
//!
//! Every list must be read, or nothing is: a table or column missing, a
//! missing export, or lists that contradict each other refuse the read,
//! naming what to fix, and what was staged before stays.

mod files;
mod odbc;
mod records;
pub mod tables;

use std::time::Duration;

use timebridge_core::platforms::Platform;

use crate::error::ConnectorError;
use crate::folder::problem;
use crate::lists::{ListReader, ListsAt, ListsRead};
use crate::{Connector, PlatformInfo};

pub struct Sage300Cre;

pub static INFO: PlatformInfo = PlatformInfo {
    platform: Platform::Sage300Cre,
    name: Platform::Sage300Cre.name(),
    default_base_url: "",
    rate_limit: None,
    rate_limit_window: Duration::from_secs(1),
    probe_path: "",
    authorize_path: None,
    token_path: None,
};

impl Connector for Sage300Cre {
    fn info(&self) -> &'static PlatformInfo {
        &INFO
    }

    fn lists(&self) -> Option<ListReader> {
        Some(read)
    }
}

/// One row of a table as read: where it is (for messages) and its values,
/// in the mapping's column order, trimmed.
#[derive(Debug)]
struct RawRow {
    at: String,
    values: Vec<String>,
}

/// Every table, as read from the data source or the folder.
#[derive(Debug, Default)]
struct Raw {
    tables: Vec<(tables::List, Vec<RawRow>)>,
    /// Files skipped (of no known kind).
    skipped: Vec<String>,
}

/// How many problems a message lists.
const SHOWN: usize = 5;

/// Reads every list from where it is, and makes its records.
pub fn read(at: &ListsAt) -> Result<ListsRead, ConnectorError> {
    let raw = match at {
        ListsAt::Odbc { connection, shown } => odbc::read(connection, shown)?,
        ListsAt::Folder(folder) => files::read(folder)?,
    };
    records::records(raw).map_err(|problems| {
        let more = match problems.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let shown: Vec<&str> = problems.iter().take(SHOWN).map(String::as_str).collect();
        problem(format!(
            "Nothing was synced from Sage 300 CRE, and what was synced before is kept: its lists \
             contradict each other. {}{more}",
            shown.join(" ")
        ))
    })
}
