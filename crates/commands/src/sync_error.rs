//! The one place a sync engine failure ([`SyncError`]) gets the code and
//! words the window and the command line show. The engine speaks its own
//! terms; this boundary keeps every code as it was (a conflict stays a
//! conflict, a refused sign-in stays `auth_failed`) and every message
//! word for word.

use std::sync::Arc;

use timebridge_core::{ApiError, Error};
use timebridge_sync::SyncError;

/// The error a command returns for a failure of the sync engine.
pub fn sync_error(error: SyncError) -> Error {
    match error {
        SyncError::NotFound(message) => Error::NotFound(message),
        SyncError::Invalid(problems) => Error::Validation(problems),
        SyncError::Conflict(message) | SyncError::StartedByWebConnector(message) => {
            Error::Conflict(message)
        }
        cancelled @ SyncError::Cancelled => Error::Conflict(cancelled.to_string()),
        SyncError::Connector(error) => Error::from(error),
        // A store failure is shared only by the callers that joined one run
        // (and by a connection's state, read with `sync_api_error`); those
        // keep its words.
        SyncError::Store(error) => {
            Arc::try_unwrap(error).unwrap_or_else(|shared| Error::Internal(shared.to_string()))
        }
        SyncError::Internal(message) => Error::Internal(message),
    }
}

/// The error the window shows for a sync failure it is handed as it is
/// (a connection that failed), however often it is read.
pub fn sync_api_error(error: &SyncError) -> ApiError {
    match error {
        SyncError::Store(stored) => ApiError::from(&**stored),
        other => ApiError::from(sync_error(other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use timebridge_connectors::{ConnectorError, ErrorClass};
    use timebridge_core::{ErrorCode, FieldProblem};

    use super::*;

    fn every_kind() -> Vec<SyncError> {
        vec![
            SyncError::NotFound("No integration 7.".into()),
            SyncError::Invalid(vec![FieldProblem {
                field: "username".into(),
                message: "Choose a username.".into(),
            }]),
            SyncError::Conflict("Still in use.".into()),
            SyncError::StartedByWebConnector("Click Update Selected.".into()),
            SyncError::Cancelled,
            SyncError::Connector(ConnectorError::auth("Aspire")),
            SyncError::Store(Arc::new(Error::Source("The keyring is locked.".into()))),
            SyncError::Internal("the sync could not start".into()),
        ]
    }

    #[test]
    fn the_window_reads_the_engines_own_words() {
        for error in every_kind() {
            assert_eq!(
                sync_api_error(&error).message,
                error.to_string(),
                "the command line prints the engine's words, the window shows the same: {error:?}"
            );
        }
    }

    #[test]
    fn a_conflict_stays_a_conflict() {
        let codes: Vec<ErrorCode> = every_kind()
            .iter()
            .map(|e| sync_api_error(e).code)
            .collect();
        assert_eq!(
            codes,
            [
                ErrorCode::NotFound,
                ErrorCode::Validation,
                ErrorCode::Conflict,
                ErrorCode::Conflict,
                ErrorCode::Conflict,
                ErrorCode::AuthFailed,
                ErrorCode::SourceUnavailable,
                ErrorCode::Internal,
            ],
            "each failure keeps the code the window acts on"
        );
    }

    #[test]
    fn a_rate_limit_still_says_how_long_to_wait() {
        let error = SyncError::Connector(ConnectorError::new(
            ErrorClass::Configuration,
            ErrorCode::RateLimited,
            "Wait a minute.",
        ));
        assert_eq!(
            sync_api_error(&error).retry_after_seconds,
            Some(60),
            "a rate limit still says how long to wait"
        );
    }
}
