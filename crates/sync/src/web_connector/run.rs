//! A run of QuickBooks Desktop: it waits while the Web Connector's update
//! hands over QuickBooks' answers, then stages what was read whole, in one
//! transaction. A list QuickBooks withheld is not staged (nor marked
//! removed); the run says which.

use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_connectors::quickbooks_desktop::modules_of;
use timebridge_connectors::quickbooks_desktop::qbxml::List;
use timebridge_core::Error;
use timebridge_core::middleware::integrations::Integration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{PLATFORM, Pushed, source_error};
use crate::engine::{Engine, Progress, ProgressPhase};
use crate::stream::StepError;
use timebridge_connectors::ConnectorError;

/// What a run of QuickBooks Desktop does: wait for the update's answers,
/// then stage what it read whole.
pub(crate) struct PushedRun<'a> {
    pub engine: &'a Engine,
    pub integration: &'a Integration,
    pub run_id: i64,
    pub events: mpsc::UnboundedReceiver<Pushed>,
    pub cancel: CancellationToken,
    pub idle: Duration,
    pub now: &'a (dyn Fn() -> DateTime<Utc> + Send + Sync),
}

/// Returns, when every list was staged but QuickBooks withheld some, what
/// the run says about them.
pub(crate) async fn receive_run(mut run: PushedRun<'_>) -> Result<Option<String>, StepError> {
    let id = run.integration.id;
    let progress = |list: Option<List>, pages: u64, fetched: u64, phase: ProgressPhase| {
        let module = list
            .map(|l| modules_of(l)[0])
            .unwrap_or(timebridge_core::middleware::Module::Employees);
        let _ = run.engine.progress_sender().send(Progress {
            integration_id: id,
            run_id: run.run_id,
            stream: list.map_or("company", List::describe).to_owned(),
            module,
            pages,
            fetched,
            phase,
        });
    };
    progress(None, 0, 0, ProgressPhase::Fetching);
    let read = loop {
        let event = tokio::select! {
            event = tokio::time::timeout(run.idle, run.events.recv()) => event,
            // The ticket stays, so the Web Connector's next call is told
            // the update was stopped here.
            () = run.cancel.cancelled() => return Err(ConnectorError::cancelled().into()),
        };
        match event {
            Ok(Some(Pushed::Progress {
                list,
                pages,
                fetched,
            })) => progress(list, pages, fetched, ProgressPhase::Fetching),
            Ok(Some(Pushed::Done(read))) => break read,
            Ok(Some(Pushed::Failed(error))) => return Err(error.into()),
            Ok(None) | Err(_) => {
                run.engine.inner.web_connector.forget_run(id);
                return Err(source_error(format!(
                    "The Web Connector stopped calling in the middle of the update (it was closed, or the \
                     computer with QuickBooks lost its connection to this one). Nothing from this update was \
                     saved. Click Update Selected in the Web Connector to read {PLATFORM} again."
                ))
                .into());
            }
        }
    };
    progress(None, read.pages, 0, ProgressPhase::Deriving);
    let note = read.note();
    let (store, run_id, now) = (run.engine.store().clone(), run.run_id, (run.now)());
    let counts = tokio::task::spawn_blocking(move || {
        crate::folder::stage_whole(
            &store,
            (id, run_id),
            &read.modules,
            read.pages,
            (
                timebridge_core::middleware::Module::Employees,
                read.skipped as u64,
            ),
            |_| crate::folder::Missing::Removed,
            now,
        )
    })
    .await
    .map_err(|e| StepError::Local(Error::Internal(format!("staging the update stopped: {e}"))))??;
    for (module, counts) in &counts {
        tracing::info!(integration = id, %module, ?counts, "QuickBooks Desktop list read");
    }
    if let Some(note) = &note {
        tracing::info!(integration = id, %note, "QuickBooks Desktop withheld a list");
    }
    Ok(note)
}
