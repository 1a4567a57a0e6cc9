//! What can go wrong in the sync engine, in the engine's own terms.
//!
//! Every public engine function returns a [`SyncError`]. The command layer
//! (`timebridge_commands::sync_error`) turns it into the code and words the
//! window and the command line show; nothing here speaks the UI's types.
//! The error is cheap to clone, as a run's outcome goes to every caller that
//! joined it and a connection's failure is read each time the dialog asks.

use std::sync::Arc;

use timebridge_connectors::{ConnectorError, ErrorClass};
use timebridge_core::FieldProblem;

/// A failure of the sync engine.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyncError {
    /// The integration (or whatever was asked for) does not exist.
    #[error("{0}")]
    NotFound(String),
    /// What was asked for failed a check; each problem names its field.
    #[error("{}", timebridge_core::Error::Validation(.0.clone()))]
    Invalid(Vec<FieldProblem>),
    /// The change clashes with the data Timebridge holds.
    #[error("{0}")]
    Conflict(String),
    /// Timebridge cannot start this integration's sync: the QuickBooks Web
    /// Connector does, on its own computer. Says how to start an update.
    #[error("{0}")]
    StartedByWebConnector(String),
    /// The sync was stopped before it finished; what it fetched is kept.
    #[error("{}", ConnectorError::cancelled().message)]
    Cancelled,
    /// The platform, its sign-in or the way to it failed; the class says
    /// whether to reconnect, wait or report it.
    #[error("{0}")]
    Connector(ConnectorError),
    /// The local database could not be read or written.
    #[error("{0}")]
    Store(Arc<timebridge_core::Error>),
    /// Something that should not happen did.
    #[error("{}", timebridge_core::Error::Internal(.0.clone()))]
    Internal(String),
}

impl SyncError {
    pub fn is_cancelled(&self) -> bool {
        matches!(self, SyncError::Cancelled)
    }
}

impl From<ConnectorError> for SyncError {
    fn from(error: ConnectorError) -> Self {
        match error.class {
            ErrorClass::Cancelled => SyncError::Cancelled,
            _ => SyncError::Connector(error),
        }
    }
}

impl From<timebridge_core::Error> for SyncError {
    fn from(error: timebridge_core::Error) -> Self {
        use timebridge_core::Error;
        match error {
            Error::NotFound(message) => SyncError::NotFound(message),
            Error::Validation(problems) => SyncError::Invalid(problems),
            Error::Conflict(message) => SyncError::Conflict(message),
            Error::Internal(message) => SyncError::Internal(message),
            other => SyncError::Store(Arc::new(other)),
        }
    }
}

impl From<timebridge_connectors::secrets::SecretError> for SyncError {
    fn from(error: timebridge_connectors::secrets::SecretError) -> Self {
        SyncError::Connector(error.into())
    }
}

/// A single-field problem with what was asked for.
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> SyncError {
    SyncError::Invalid(vec![FieldProblem {
        field: field.to_owned(),
        message: message.into(),
    }])
}
