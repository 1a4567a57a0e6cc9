//! Platforms read whole, list by list, from their own database over ODBC
//! or from lists exported into a folder (Sage 300 CRE): where the lists
//! are, what a read of them brought, and the connection string an ODBC
//! data source is opened with.
//!
//! Every read is of every list, whole: nothing is staged unless each list
//! was read, and a record missing from a list was removed at the source.
//! The password of a data source comes from the keyring and goes only into
//! the connection string handed to the driver manager; it is never part of
//! a message.

use std::path::PathBuf;

use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations::IntegrationSettings;
use timebridge_core::middleware::{Incoming, Module};

use crate::error::ConnectorError;
use crate::folder::problem;

/// Where a platform's lists are read from.
#[derive(Debug)]
pub enum ListsAt {
    /// An ODBC data source: its connection string, password included.
    Odbc {
        connection: Sensitive<String>,
        /// The DSN's name (or the connection string without its password),
        /// for messages.
        shown: String,
    },
    /// A folder of exported CSV lists.
    Folder(PathBuf),
}

/// What a read of every list brought.
#[derive(Debug, Default)]
pub struct ListsRead {
    pub modules: Vec<(Module, Vec<Incoming>)>,
    /// How many tables (or files) were read, and the records of each, in
    /// the words the connect dialog shows (“42 employees”).
    pub counts: Vec<String>,
    /// Rows left out, with where they are and why.
    pub skipped: Vec<String>,
    /// Tables or files read.
    pub sources: usize,
}

impl ListsRead {
    /// "42 employees, 12 jobs, …": what the connect dialog reports.
    pub fn describe(&self) -> String {
        self.counts.join(", ")
    }
}

/// Reads every list of a platform from where it is.
pub type ListReader = fn(&ListsAt) -> Result<ListsRead, ConnectorError>;

/// Where `settings` say the lists are: the data source (with `password`
/// from the keyring), else the folder of exported lists.
pub fn lists_at(
    platform: &str,
    settings: &IntegrationSettings,
    password: Option<&Sensitive<String>>,
) -> Result<ListsAt, ConnectorError> {
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(dsn) = given(&settings.dsn) {
        return Ok(ListsAt::Odbc {
            connection: connection_string(&dsn, password),
            shown: dsn,
        });
    }
    if let Some(folder) = given(&settings.folder) {
        return Ok(ListsAt::Folder(PathBuf::from(folder)));
    }
    Err(problem(format!(
        "This {platform} integration has neither an ODBC data source nor a folder of exported \
         lists. Open its Settings, enter the data source (DSN) or choose the folder, and sync again."
    )))
}

/// The connection string for `dsn`: a DSN's name becomes `DSN=name;`, a
/// whole connection string (it holds `=`) is kept; a password is added as
/// `PWD={…};`, braced so that any `;` or `}` in it stays part of it.
pub fn connection_string(dsn: &str, password: Option<&Sensitive<String>>) -> Sensitive<String> {
    let dsn = dsn.trim();
    let mut text = if dsn.contains('=') {
        let mut text = dsn.to_owned();
        if !text.ends_with(';') {
            text.push(';');
        }
        text
    } else {
        format!("DSN={dsn};")
    };
    if let Some(password) = password.filter(|p| !p.expose().is_empty()) {
        text.push_str(&format!(
            "PWD={{{}}};",
            password.expose().replace('}', "}}")
        ));
    }
    Sensitive::new(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsn_name_becomes_a_connection_string() {
        assert_eq!(
            connection_string(" SageData ", None).expose(),
            "DSN=SageData;",
            "a bare name is a DSN"
        );
    }

    #[test]
    fn a_password_is_braced_so_its_semicolons_stay_in_it() {
        let password = Sensitive::new("a;b}c".to_owned());
        assert_eq!(
            connection_string("DSN=Sage;UID=odbc", Some(&password)).expose(),
            "DSN=Sage;UID=odbc;PWD={a;b}}c};",
            "the connection string is kept and the password braced, its brace doubled"
        );
    }
}
