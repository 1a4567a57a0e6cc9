//! Connector errors, classified once.
//!
//! - *Configuration*: the saved sign-in or the account's access is wrong;
//!   retrying will not help, the admin must act ("Reconnect").
//! - *Transient*: the network or the platform is having a bad moment; the
//!   HTTP layer retries these before giving up.
//! - *Platform data*: the platform answered with something unreadable.
//! - *Cancelled*: the admin stopped the sync.
//!
//! Each error carries a message for the admin: what happened and what to do.

use timebridge_core::{Error, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    Configuration,
    Transient,
    PlatformData,
    Cancelled,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ConnectorError {
    pub class: ErrorClass,
    pub code: ErrorCode,
    pub message: String,
}

impl ConnectorError {
    pub fn new(class: ErrorClass, code: ErrorCode, message: impl Into<String>) -> Self {
        ConnectorError {
            class,
            code,
            message: message.into(),
        }
    }

    pub fn auth(platform: &str) -> Self {
        Self::new(
            ErrorClass::Configuration,
            ErrorCode::AuthFailed,
            format!(
                "{platform} did not accept the saved sign-in: it has expired or was revoked. \
                 Reconnect the integration (Integrations → Reconnect) and sync again."
            ),
        )
    }

    pub fn cancelled() -> Self {
        Self::new(
            ErrorClass::Cancelled,
            ErrorCode::Conflict,
            "The sync was cancelled. Everything fetched before that is kept.",
        )
    }

    pub fn platform_data(platform: &str, what: &str, detail: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorClass::PlatformData,
            ErrorCode::SourceUnavailable,
            format!(
                "{platform} sent {what} that Timebridge could not read ({detail}). The records synced \
                 before it are kept. Sync again later; if it keeps happening, send the log file to support."
            ),
        )
    }

    pub fn is_cancelled(&self) -> bool {
        self.class == ErrorClass::Cancelled
    }

    /// Whether the failure belongs to the one request that got it (the
    /// platform refused that list, or sent it unreadable), so the other
    /// lists of a sync can still be read. A lost sign-in, a network down,
    /// a rate limit or a cancel concern them all.
    pub fn concerns_one_request(&self) -> bool {
        match self.class {
            ErrorClass::PlatformData => true,
            ErrorClass::Configuration => !matches!(self.code, ErrorCode::AuthFailed),
            ErrorClass::Transient | ErrorClass::Cancelled => false,
        }
    }
}

impl From<ConnectorError> for Error {
    fn from(error: ConnectorError) -> Self {
        match error.code {
            ErrorCode::AuthFailed => Error::AuthFailed(error.message),
            ErrorCode::Conflict => Error::Conflict(error.message),
            ErrorCode::RateLimited => Error::RateLimited {
                message: error.message,
                retry_after_seconds: 60,
            },
            ErrorCode::PermissionDenied | ErrorCode::SourceUnavailable | ErrorCode::Validation => {
                Error::Source(error.message)
            }
            _ => Error::Internal(error.message),
        }
    }
}
