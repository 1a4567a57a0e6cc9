//! The record of every run: started with its trigger, finished with its
//! outcome, the code and words of what stopped it, and when the next
//! scheduled sync is due. A Web Connector sign-in with a wrong password is
//! recorded as a failed run too, so the overview shows it.

use chrono::{DateTime, Utc};
use timebridge_connectors::ConnectorError;
use timebridge_core::ErrorCode;
use timebridge_core::Store;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger, SyncRun};

use crate::error::SyncError;

/// Records a run as started; returns its id.
pub(crate) fn start(
    store: &Store,
    integration_id: i64,
    trigger: RunTrigger,
    now: DateTime<Utc>,
) -> Result<i64, SyncError> {
    Ok(store.write(|tx| runs::start(tx, integration_id, trigger, now))?)
}

/// Records how a run ended (`Ok(Some(note))`: everything was staged but the
/// platform withheld a part, which the note says) and when the
/// integration's next scheduled sync is due; returns the run as recorded.
pub(crate) fn finish(
    store: &Store,
    integration: &Integration,
    run_id: i64,
    result: &Result<Option<String>, SyncError>,
    finished: DateTime<Utc>,
) -> Result<SyncRun, SyncError> {
    let (outcome, error) = match result {
        Ok(None) => (RunOutcome::Succeeded, None),
        Ok(Some(note)) => (
            RunOutcome::Succeeded,
            Some((code_name(ErrorCode::SourceUnavailable), note.clone())),
        ),
        Err(e) if e.is_cancelled() => (
            RunOutcome::Cancelled,
            Some((recorded_code(e), e.to_string())),
        ),
        Err(e) => (RunOutcome::Failed, Some((recorded_code(e), e.to_string()))),
    };
    if outcome != RunOutcome::Succeeded
        && let Some((code, message)) = &error
    {
        tracing::warn!(integration = integration.id, run = run_id, code, %message, "sync did not finish");
    }
    let next =
        finished + chrono::Duration::minutes(i64::from(integration.settings.interval_minutes));
    store.write(|tx| {
        let error = error
            .as_ref()
            .map(|(code, message)| (*code, message.as_str()));
        runs::finish(tx, run_id, outcome, error, finished)?;
        integrations::set_next_sync(tx, integration.id, Some(next))
    })?;
    Ok(store.read(|conn| runs::get(conn, run_id))?)
}

/// Records a sign-in the Web Connector got wrong as a failed run, so the
/// overview shows it in red with what to do.
pub(crate) fn record_refused(
    store: &Store,
    integration: &Integration,
    message: String,
    now: DateTime<Utc>,
) {
    let recorded = store.write(|tx| {
        let run_id = runs::start(tx, integration.id, RunTrigger::WebConnector, now)?;
        runs::finish(
            tx,
            run_id,
            RunOutcome::Failed,
            Some(("auth_failed", &message)),
            now,
        )
    });
    if let Err(error) = recorded {
        tracing::warn!(%error, "could not record a refused Web Connector sign-in");
    }
    tracing::warn!(
        integration = integration.id,
        "the Web Connector signed in with a wrong password"
    );
}

/// The code a run's record keeps for what stopped it.
fn recorded_code(error: &SyncError) -> &'static str {
    match error {
        SyncError::Cancelled => "cancelled",
        SyncError::Connector(ConnectorError { code, .. }) => code_name(*code),
        SyncError::Invalid(_) => "validation",
        SyncError::Conflict(_) | SyncError::StartedByWebConnector(_) => "conflict",
        SyncError::Store(e) => code_name(e.code()),
        SyncError::NotFound(_) | SyncError::Internal(_) => "internal",
    }
}

fn code_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::AuthFailed => "auth_failed",
        ErrorCode::RateLimited => "rate_limited",
        ErrorCode::SourceUnavailable => "source_unavailable",
        ErrorCode::PermissionDenied => "permission_denied",
        ErrorCode::Storage => "storage",
        ErrorCode::Conflict => "conflict",
        ErrorCode::Validation => "validation",
        _ => "internal",
    }
}
