//! Errors: one enum for the core, and the `{code, message}` shape the UI gets.
//!
//! Every error maps to one code from the closed [`ErrorCode`] set; the UI acts
//! on the code and shows the message, which says what happened and what to
//! do. Messages never contain secrets.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::permissions::Permission;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closed set of error codes the UI acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input failed a check; `fields` says which and why.
    Validation,
    /// The record asked for does not exist (any more).
    NotFound,
    /// The change clashes with other data, for example a record still in use.
    Conflict,
    /// No operator is signed in, or the session ended.
    NotSignedIn,
    /// The signed-in operator's role lacks the permission this needs.
    PermissionDenied,
    /// A username and password, or a platform credential, was rejected.
    AuthFailed,
    /// Too many attempts; wait and try again.
    RateLimited,
    /// An outside system could not be reached.
    SourceUnavailable,
    /// The local database could not be opened, read or written.
    Storage,
    /// A bug: something that should not happen did.
    Internal,
}

/// One field that failed validation, named as in the command's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", validation_summary(.0))]
    Validation(Vec<FieldProblem>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("You are not signed in, or your session has ended. Sign in to continue.")]
    NotSignedIn,
    #[error(
        "Your role does not include the “{}” permission. Ask an administrator to add it to your role.",
        .0.label()
    )]
    PermissionDenied(Permission),
    #[error("{0}")]
    AuthFailed(String),
    /// An outside system (a platform an integration connects to) could not
    /// be used; the message says which and what to do.
    #[error("{0}")]
    Source(String),
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_seconds: u64,
    },
    #[error(
        "The database at {path} was written by a newer version of Timebridge (schema version {found}; \
         this version understands up to {supported}). Install the latest Timebridge to open it. \
         The file has not been changed."
    )]
    DatabaseTooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "The file {path} is not a Timebridge database ({reason}). Choose another file, or move it \
         aside so that Timebridge can create a new database."
    )]
    NotADatabase { path: String, reason: String },
    /// The database failed its integrity check when it was opened: it is
    /// read but never written, until a backup is restored.
    #[error("{}", damaged_message(.path, .latest_backup.as_deref()))]
    DatabaseDamaged {
        path: String,
        /// The newest backup that passed its own check, if any.
        latest_backup: Option<String>,
    },
    /// SQLite found a damaged page while it worked (`SQLITE_CORRUPT`).
    #[error(
        "The database file is damaged ({0}), so this change was not saved. Close Timebridge and \
         start it again: it checks the database and offers the latest good backup to restore."
    )]
    DatabaseCorrupt(String),
    /// The disk (or the database's size limit) is full (`SQLITE_FULL`).
    #[error(
        "The disk is full: the database could not grow to save this change, so it was not saved. \
         Free some space on the disk that holds the data folder, then sync or import again. \
         Nothing already saved was lost."
    )]
    DiskFull,
    #[error(
        "The local database reported a problem ({0}). Nothing was changed by this action. \
         If it keeps happening, restart Timebridge; the log file has the details."
    )]
    Database(rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "Something went wrong inside Timebridge ({0}). Please report this; the log file has the details."
    )]
    Internal(String),
}

fn damaged_message(path: &str, latest_backup: Option<&str>) -> String {
    let what = format!(
        "The database {path} is damaged: it failed its integrity check, so Timebridge opened it \
         read-only and will not save anything to it."
    );
    match latest_backup {
        Some(backup) => format!(
            "{what} Restore the latest good backup: in the app, choose Restore on the warning \
             banner; or close the app, stop the background service, and run \
             `timebridge restore \"{backup}\"`."
        ),
        None => format!(
            "{what} No good backup of it was found beside it. Restore a copy you keep elsewhere \
             with `timebridge restore FILE`, after closing the app and stopping the background \
             service."
        ),
    }
}

/// SQLite's errors, with the ones an office can act on named: a full disk,
/// a damaged file. The rest keep SQLite's words.
impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        match &error {
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.code == rusqlite::ErrorCode::DiskFull =>
            {
                Error::DiskFull
            }
            rusqlite::Error::SqliteFailure(failure, message)
                if failure.code == rusqlite::ErrorCode::DatabaseCorrupt =>
            {
                Error::DatabaseCorrupt(
                    message
                        .clone()
                        .unwrap_or_else(|| "database disk image is malformed".to_owned()),
                )
            }
            _ => Error::Database(error),
        }
    }
}

fn validation_summary(problems: &[FieldProblem]) -> String {
    match problems {
        [] => "The input is not valid.".to_owned(),
        [one] => one.message.clone(),
        [first, rest @ ..] => format!(
            "{} (and {} more problem{})",
            first.message,
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

impl Error {
    /// A single-field validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldProblem {
            field: field.into(),
            message: message.into(),
        }])
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::NotSignedIn => ErrorCode::NotSignedIn,
            Error::PermissionDenied(_) => ErrorCode::PermissionDenied,
            Error::AuthFailed(_) => ErrorCode::AuthFailed,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::Source(_) => ErrorCode::SourceUnavailable,
            Error::DatabaseTooNew { .. }
            | Error::NotADatabase { .. }
            | Error::DatabaseDamaged { .. }
            | Error::DatabaseCorrupt(_)
            | Error::DiskFull
            | Error::Database(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Storage,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// What crosses to the UI (and the CLI's `--json` output) when a command fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For `validation`: every field that failed, so a form can mark them all.
    pub fields: Vec<FieldProblem>,
    /// For `rate_limited`: how long to wait, in seconds.
    pub retry_after_seconds: Option<u64>,
}

impl From<&Error> for ApiError {
    fn from(error: &Error) -> Self {
        ApiError {
            code: error.code(),
            message: error.to_string(),
            fields: match error {
                Error::Validation(fields) => fields.clone(),
                _ => Vec::new(),
            },
            retry_after_seconds: match error {
                Error::RateLimited {
                    retry_after_seconds,
                    ..
                } => Some(*retry_after_seconds),
                _ => None,
            },
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        ApiError::from(&error)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
