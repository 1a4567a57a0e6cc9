//! A run of QuickBooks Desktop: it waits while the Web Connector's update
//! hands over QuickBooks' answers, then stages what was read whole, in one
//! transaction. A list QuickBooks withheld is not staged (nor marked
//! removed); the run says which.

use std::time::Duration;

use timebridge_connectors::ConnectorError;
use timebridge_connectors::quickbooks_desktop::modules_of;
use timebridge_connectors::quickbooks_desktop::qbxml::List;
use timebridge_core::middleware::Module;
use tokio::sync::mpsc;

use super::host::{Pushed, WebConnectorHost, source_error};
use crate::context::{RunContext, blocking};
use crate::error::SyncError;
use crate::folder::{Missing, serialized, stage_whole};
use crate::progress::{Progress, ProgressPhase};

const PLATFORM: &str = "QuickBooks Desktop";

/// What a run of QuickBooks Desktop waits on: the update's answers, from
/// the Web Connector's server, until it goes quiet for `idle`.
pub(crate) struct PushedRun<'a> {
    pub host: &'a WebConnectorHost,
    pub events: mpsc::UnboundedReceiver<Pushed>,
    pub idle: Duration,
}

/// Returns, when every list was staged but QuickBooks withheld some, what
/// the run says about them.
pub(crate) async fn receive_run(
    run: &RunContext<'_>,
    mut pushed: PushedRun<'_>,
) -> Result<Option<String>, SyncError> {
    let id = run.integration_id();
    let progress = |list: Option<List>, pages: u64, fetched: u64, phase: ProgressPhase| {
        let module = list.map(|l| modules_of(l)[0]).unwrap_or(Module::Employees);
        run.report(Progress {
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
            event = tokio::time::timeout(pushed.idle, pushed.events.recv()) => event,
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
                pushed.host.forget_run(id);
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
    let (store, run_id, now) = (run.store.clone(), run.run_id, (run.now)());
    let counts = blocking("staging the update", move || {
        stage_whole(
            &store,
            (id, run_id),
            serialized(&read.modules),
            read.pages,
            (Module::Employees, read.skipped as u64),
            |_| Missing::Removed,
            now,
        )
    })
    .await?;
    for (module, counts) in &counts {
        tracing::info!(integration = id, %module, ?counts, "QuickBooks Desktop list read");
    }
    if let Some(note) = &note {
        tracing::info!(integration = id, %note, "QuickBooks Desktop withheld a list");
    }
    Ok(note)
}
