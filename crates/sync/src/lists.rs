//! A run of a platform read whole, list by list, from its database over
//! ODBC or from exported lists in a folder (Sage 300 CRE).
//!
//! Every list is read first (on a blocking thread: ODBC is synchronous);
//! nothing is written unless all of them were. Then every module is staged
//! in one transaction with the run's counts, and each record missing from
//! its list is marked removed at the source: every read is whole.

use std::sync::Arc;

use timebridge_connectors::ConnectorError;
use timebridge_connectors::lists::{self, ListReader, ListsAt};
use timebridge_connectors::secrets::{Credentials, SecretStore};
use timebridge_core::middleware::Module;
use timebridge_core::middleware::integrations::IntegrationSettings;

use crate::context::{RunContext, blocking};
use crate::error::SyncError;
use crate::folder::{Missing, serialized, stage_whole};
use crate::progress::{Progress, ProgressPhase};

/// Where the integration's lists are: its data source, with the password
/// kept in the keyring, else its folder. A keyring that cannot be read is
/// not yet a failure (most data sources need no password): it is returned
/// beside, to be told if the data source then refuses.
pub(crate) fn saved_lists_at(
    secrets: &dyn SecretStore,
    integration_id: i64,
    platform: &str,
    settings: &IntegrationSettings,
) -> Result<(ListsAt, Option<String>), SyncError> {
    let (password, keyring) = match settings.dsn.as_deref().map(str::trim) {
        Some(dsn) if !dsn.is_empty() => match Credentials::load(secrets, integration_id) {
            Ok(saved) => (saved.map(|c| c.access_token), None),
            Err(error) => (None, Some(error.0)),
        },
        _ => (None, None),
    };
    Ok((
        lists::lists_at(platform, settings, password.as_ref())?,
        keyring,
    ))
}

/// Reads every list, then stages them all.
pub(crate) async fn sync_lists(
    run: &RunContext<'_>,
    reader: ListReader,
    secrets: &Arc<dyn SecretStore>,
) -> Result<(), SyncError> {
    let integration = run.integration;
    let platform = run.connector.info().name;
    let (at, keyring) = saved_lists_at(
        secrets.as_ref(),
        integration.id,
        platform,
        &integration.settings,
    )?;
    run.report(Progress {
        integration_id: integration.id,
        run_id: run.run_id,
        stream: match &at {
            ListsAt::Odbc { .. } => "tables".into(),
            ListsAt::Folder(_) => "files".into(),
        },
        module: Module::Employees,
        pages: 0,
        fetched: 0,
        phase: ProgressPhase::Fetching,
    });
    let read = blocking("reading the lists", move || Ok(reader(&at)?))
        .await
        .map_err(|error| match (error, keyring) {
            (SyncError::Connector(mut error), Some(keyring)) => {
                error.message = format!(
                    "{} The data source's password could not be read from the keyring: {keyring}",
                    error.message
                );
                SyncError::Connector(error)
            }
            (error, _) => error,
        })?;
    if run.cancel.is_cancelled() {
        return Err(ConnectorError::cancelled().into());
    }
    for problem in &read.skipped {
        tracing::warn!(integration = integration.id, %problem, "left out of the lists");
    }
    let (store, id, run_id, now) = (run.store.clone(), integration.id, run.run_id, (run.now)());
    let counts = blocking("writing the lists", move || {
        stage_whole(
            &store,
            (id, run_id),
            serialized(&read.modules),
            read.sources as u64,
            (Module::Employees, 0),
            |_| Missing::Removed,
            now,
        )
    })
    .await?;
    for (module, counts) in &counts {
        tracing::info!(integration = id, %module, ?counts, "lists read");
    }
    Ok(())
}

/// Reads every list at `at` to check it before it is saved, and says what
/// it holds (“42 employees, 12 jobs, …”).
pub(crate) async fn check_lists(reader: ListReader, at: ListsAt) -> Result<String, SyncError> {
    blocking("checking the lists", move || Ok(reader(&at)?.describe())).await
}
