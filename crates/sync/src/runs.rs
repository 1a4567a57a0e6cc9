//! Sync runs: starting one (or joining the one going on), cancelling it,
//! whether one is going on, and the progress of every run. A run resolves
//! its integration's connector once, then reads the platform over HTTP,
//! from its export folder, its database or exported lists, or as the Web Connector's update hands it over,
//! and is recorded with its outcome.

use std::sync::Arc;

use timebridge_connectors::ConnectorError;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::middleware::runs::{RunTrigger, SyncRun};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::access::{connector_of, platform_http};
use crate::context::{RunContext, StreamsRun};
use crate::error::SyncError;
use crate::folder::sync_folder;
use crate::history;
use crate::lists::sync_lists;
use crate::progress::{Progress, ProgressPhase};
use crate::shared::{Outcome, Running, Shared};
use crate::stream::sync_stream;
use crate::web_connector::hint::web_connector_hint;
use crate::web_connector::host::Pushed;
use crate::web_connector::run::{PushedRun, receive_run};

/// Starting, joining and cancelling runs, and their progress. Obtained
/// from `Engine::runs`; cheap to clone.
#[derive(Clone)]
pub struct Runs {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Runs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runs").finish_non_exhaustive()
    }
}

impl Runs {
    pub(crate) fn of(shared: Arc<Shared>) -> Runs {
        Runs { shared }
    }

    /// Progress of every run, as it happens.
    pub fn subscribe(&self) -> broadcast::Receiver<Progress> {
        self.shared.progress.subscribe()
    }

    pub fn is_running(&self, integration_id: i64) -> bool {
        self.shared.running().contains_key(&integration_id)
    }

    /// Asks a running sync to stop; it stops at its next request or page.
    pub fn cancel(&self, integration_id: i64) -> bool {
        match self.shared.running().get(&integration_id) {
            Some(run) => {
                run.cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Syncs an integration, or joins its sync already running. Returns the
    /// recorded run (whose outcome may be failed or cancelled); an error
    /// only when no run could be started.
    ///
    /// QuickBooks Desktop cannot be asked: it syncs when the Web Connector
    /// calls, so unless an update is going this says how to start one.
    /// The future owns what it needs, so it can be spawned, joined or
    /// pinned without keeping this handle.
    pub fn sync(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
    ) -> impl Future<Output = Result<SyncRun, SyncError>> + Send + 'static {
        let runs = self.clone();
        async move { runs.start_or_join(integration_id, trigger).await }
    }

    async fn start_or_join(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
    ) -> Result<SyncRun, SyncError> {
        let joined = self.joined(integration_id);
        let mut done = match joined {
            Some(done) => done,
            None => {
                let integration = self
                    .shared
                    .store
                    .read(|conn| integrations::get(conn, integration_id))?;
                if let Some(hint) = web_connector_hint(&integration) {
                    return Err(SyncError::StartedByWebConnector(hint));
                }
                match self.start(integration_id, trigger, None) {
                    Some(done) => done,
                    None => self
                        .joined(integration_id)
                        .ok_or_else(|| SyncError::Internal("the sync could not start".into()))?,
                }
            }
        };
        loop {
            if let Some(outcome) = done.borrow().clone() {
                return outcome;
            }
            if done.changed().await.is_err() {
                return Err(SyncError::Internal(
                    "the sync stopped without a result".into(),
                ));
            }
        }
    }

    /// The end of the run going on for an integration, if one is.
    fn joined(&self, integration_id: i64) -> Option<watch::Receiver<Outcome>> {
        self.shared
            .running()
            .get(&integration_id)
            .map(|r| r.done.clone())
    }

    /// Starts a run in the background; `None` when one is already running.
    fn start(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
        pushed: Option<(mpsc::UnboundedReceiver<Pushed>, CancellationToken)>,
    ) -> Option<watch::Receiver<Outcome>> {
        let mut running = self.shared.running();
        if running.contains_key(&integration_id) {
            return None;
        }
        let (tx, rx) = watch::channel(None);
        let cancel = pushed
            .as_ref()
            .map_or_else(CancellationToken::new, |(_, c)| c.clone());
        running.insert(
            integration_id,
            Running {
                cancel: cancel.clone(),
                done: rx.clone(),
            },
        );
        let runs = self.clone();
        tokio::spawn(async move {
            let events = pushed.map(|(events, _)| events);
            let outcome = runs.execute(integration_id, trigger, cancel, events).await;
            runs.shared.running().remove(&integration_id);
            let _ = tx.send(Some(outcome));
        });
        Some(rx)
    }

    /// Starts a run fed by a Web Connector update; `None` when one is
    /// already running.
    pub(crate) fn start_pushed(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
    ) -> Option<(mpsc::UnboundedSender<Pushed>, CancellationToken)> {
        let (events, received) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        self.start(integration_id, trigger, Some((received, cancel.clone())))?;
        Some((events, cancel))
    }

    /// Tells the progress listeners that a run has ended (one of this
    /// process's, or one the scheduler saw another process record), so the
    /// window reloads what it shows.
    pub(crate) fn announce_finished(&self, integration_id: i64, run_id: i64) {
        let _ = self.shared.progress.send(Progress {
            integration_id,
            run_id,
            stream: String::new(),
            module: Module::Employees,
            pages: 0,
            fetched: 0,
            phase: ProgressPhase::Finished,
        });
    }

    /// One run, from its record's start to its end.
    async fn execute(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
        cancel: CancellationToken,
        pushed: Option<mpsc::UnboundedReceiver<Pushed>>,
    ) -> Result<SyncRun, SyncError> {
        let shared = &self.shared;
        let integration = shared
            .store
            .read(|conn| integrations::get(conn, integration_id))?;
        let run_id = history::start(&shared.store, integration_id, trigger, shared.now())?;
        tracing::info!(
            integration = integration_id,
            run = run_id,
            ?trigger,
            "sync started"
        );
        let result = self.read(&integration, run_id, cancel, pushed).await;
        let run = history::finish(&shared.store, &integration, run_id, &result, shared.now())?;
        self.announce_finished(integration_id, run_id);
        tracing::info!(integration = integration_id, run = run_id, outcome = ?run.outcome, "sync ended");
        Ok(run)
    }

    /// Reads the platform the way it is read: pushed by the Web Connector,
    /// from a folder, or over HTTP. `Ok(Some(note))`: everything was staged
    /// but the platform withheld a part, which the note says.
    async fn read(
        &self,
        integration: &Integration,
        run_id: i64,
        cancel: CancellationToken,
        pushed: Option<mpsc::UnboundedReceiver<Pushed>>,
    ) -> Result<Option<String>, SyncError> {
        let shared = &self.shared;
        let connector = connector_of(integration)?;
        let clock = shared.clock.clone();
        let now = move || clock.now();
        let run = RunContext {
            store: shared.store.clone(),
            integration,
            connector,
            run_id,
            now: &now,
            cancel,
            progress: &shared.progress,
        };
        if let Some(events) = pushed {
            let pushed = PushedRun {
                host: &shared.web_connector,
                events,
                idle: shared.options.web_connector_idle,
            };
            return receive_run(&run, pushed).await;
        }
        if let Some(source) = connector.folder() {
            return sync_folder(&run, source).await;
        }
        if let Some(reader) = connector.lists() {
            return sync_lists(&run, reader, &shared.secrets)
                .await
                .map(|()| None);
        }
        self.read_streams(&run).await.map(|()| None)
    }

    /// Reads every stream of the connector over HTTP, in order.
    async fn read_streams(&self, run: &RunContext<'_>) -> Result<(), SyncError> {
        let http = platform_http(&self.shared, run.integration, run.connector).await?;
        let mut context = StreamsRun {
            run,
            http: &http,
            skew: self.shared.options.skew,
            counts: Default::default(),
        };
        // A list the platform refuses (or sends unreadable) fails alone: the
        // other lists are still read, so one refused request cannot starve
        // them run after run. Lists that need a failed one's records wait.
        let streams = run.connector.streams();
        let mut failed: Vec<(&'static str, ConnectorError)> = Vec::new();
        for stream in streams {
            if let Some((needed, _)) = failed
                .iter()
                .find(|(name, _)| *name != stream.name && stream.needs_cache.contains(name))
            {
                tracing::warn!(
                    stream = stream.name,
                    needs = needed,
                    "skipped: a list it needs failed"
                );
                continue;
            }
            match sync_stream(&mut context, stream).await {
                Ok(()) => {}
                Err(SyncError::Connector(error)) if error.concerns_one_request() => {
                    tracing::warn!(stream = stream.name, %error, "a list failed; reading the others");
                    failed.push((stream.name, error));
                }
                Err(error) => return Err(error),
            }
        }
        let read_all = failed.len() == streams.len();
        match failed.len() {
            0 => Ok(()),
            1 if read_all => Err(SyncError::Connector(failed.remove(0).1)),
            1 => {
                let (_, error) = failed.remove(0);
                let message = format!("{} The other lists were synced.", error.message);
                Err(SyncError::Connector(ConnectorError::new(
                    error.class,
                    error.code,
                    message,
                )))
            }
            n => {
                let (_, first) = &failed[0];
                let names: Vec<&str> = failed.iter().map(|(name, _)| *name).collect();
                Err(SyncError::Connector(ConnectorError::new(
                    first.class,
                    first.code,
                    format!(
                        "{n} lists could not be synced ({}); the others were. The first: {}",
                        names.join(", "),
                        first.message
                    ),
                )))
            }
        }
    }
}
