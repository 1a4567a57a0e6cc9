//! Starting, joining, cancelling and recording sync runs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore, TokenSource};
use timebridge_connectors::{
    ConnectorError, ErrorClass, Http, HttpConfig, RetryPolicy, connector_for,
};
use timebridge_core::middleware::Module;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::Clock;
use timebridge_core::{ApiError, Error, ErrorCode, Store};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::sandbox::SandboxHost;
use crate::stream::{RunContext, StepError, sync_stream};
use crate::web_connector::{Pushed, PushedRun, WebConnectorHost};

/// What a run is doing, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub integration_id: i64,
    pub run_id: i64,
    pub stream: String,
    pub module: Module,
    /// Pages and records of this stream fetched so far by this run.
    pub pages: u64,
    pub fetched: u64,
    pub phase: ProgressPhase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProgressPhase {
    Fetching,
    Deriving,
    Finished,
}

#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub retry: RetryPolicy,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Pace requests to each platform's documented limit (off only for
    /// benchmarks against an unlimited emulator).
    pub pace: bool,
    /// How long a 429 without `Retry-After` is waited out; `None` uses the
    /// platform's documented window.
    pub rate_limit_window: Option<Duration>,
    /// The margin for clock differences on "modified since" reads.
    pub skew: chrono::Duration,
    /// How long a QuickBooks Desktop update may wait for the Web
    /// Connector's next call before it is given up.
    pub web_connector_idle: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            pace: true,
            rate_limit_window: None,
            skew: chrono::Duration::minutes(5),
            web_connector_idle: Duration::from_secs(10 * 60),
        }
    }
}

type Outcome = Option<Result<SyncRun, ApiError>>;

struct Running {
    cancel: CancellationToken,
    done: watch::Receiver<Outcome>,
}

pub(crate) struct Inner {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    pub(crate) clock: Arc<dyn Clock>,
    options: EngineOptions,
    running: Mutex<HashMap<i64, Running>>,
    progress: broadcast::Sender<Progress>,
    sandbox: SandboxHost,
    pub(crate) web_connector: WebConnectorHost,
}

/// The sync engine. Cheap to clone; needs a Tokio runtime.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(
        store: Arc<Store>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        options: EngineOptions,
    ) -> Engine {
        let (progress, _) = broadcast::channel(256);
        Engine {
            inner: Arc::new(Inner {
                store,
                secrets,
                clock,
                options,
                running: Mutex::new(HashMap::new()),
                progress,
                sandbox: SandboxHost::default(),
                web_connector: WebConnectorHost::default(),
            }),
        }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.inner.secrets
    }

    pub fn sandbox(&self) -> &SandboxHost {
        &self.inner.sandbox
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    pub(crate) fn progress_sender(&self) -> &broadcast::Sender<Progress> {
        &self.inner.progress
    }

    /// Progress of every run, as it happens.
    pub fn subscribe(&self) -> broadcast::Receiver<Progress> {
        self.inner.progress.subscribe()
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Running>> {
        self.inner.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_running(&self, integration_id: i64) -> bool {
        self.running().contains_key(&integration_id)
    }

    /// Asks a running sync to stop; it stops at its next request or page.
    pub fn cancel(&self, integration_id: i64) -> bool {
        match self.running().get(&integration_id) {
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
    pub async fn sync(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
    ) -> Result<SyncRun, ApiError> {
        let joined = self.running().get(&integration_id).map(|r| r.done.clone());
        let mut done = match joined {
            Some(done) => done,
            None => {
                let integration = self
                    .inner
                    .store
                    .read(|conn| integrations::get(conn, integration_id))?;
                if let Some(hint) = web_connector_hint(&integration) {
                    return Err(ApiError::from(Error::Conflict(hint)));
                }
                match self.start(integration_id, trigger, None) {
                    Some(done) => done,
                    None => self
                        .running()
                        .get(&integration_id)
                        .map(|r| r.done.clone())
                        .ok_or_else(|| {
                            ApiError::from(Error::Internal("the sync could not start".into()))
                        })?,
                }
            }
        };
        loop {
            if let Some(outcome) = done.borrow().clone() {
                return outcome;
            }
            if done.changed().await.is_err() {
                return Err(ApiError::from(Error::Internal(
                    "the sync stopped without a result".into(),
                )));
            }
        }
    }

    /// Starts a run in the background; `None` when one is already running.
    fn start(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
        pushed: Option<(mpsc::UnboundedReceiver<Pushed>, CancellationToken)>,
    ) -> Option<watch::Receiver<Outcome>> {
        let mut running = self.running();
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
        let engine = self.clone();
        tokio::spawn(async move {
            let events = pushed.map(|(events, _)| events);
            let outcome = engine
                .execute(integration_id, trigger, cancel, events)
                .await;
            engine.running().remove(&integration_id);
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

    /// Records a sign-in the Web Connector got wrong as a failed run, so
    /// the overview shows it in red with what to do.
    pub(crate) fn record_refused(&self, integration: &Integration, message: String) {
        let now = self.now();
        let recorded = self.inner.store.write(|tx| {
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

    /// The sign-in and address a run uses: the sandbox's own, or the saved ones.
    pub(crate) async fn access(
        &self,
        integration: &Integration,
    ) -> Result<(String, Arc<TokenSource>), StepError> {
        let connector = connector_for(&integration.platform).ok_or_else(|| {
            StepError::Local(Error::Internal(format!(
                "no connector for the platform {}",
                integration.platform
            )))
        })?;
        let info = connector.info();
        if integration
            .known_platform()
            .is_some_and(timebridge_core::platforms::Platform::demo)
        {
            let emulator = self
                .inner
                .sandbox
                .emulator(
                    integration.id,
                    integration.created_at,
                    self.inner
                        .store
                        .read(|c| integrations::sandbox_rounds(c, integration.id))
                        .map_err(StepError::Local)?,
                )
                .await
                .map_err(|e| {
                    StepError::Local(Error::Internal(format!("the sandbox could not start: {e}")))
                })?;
            let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
            Credentials::access_token(emulator.issue_token())
                .save(secrets.as_ref(), integration.id)
                .map_err(ConnectorError::from)?;
            let tokens = TokenSource::load(secrets, integration.id, info.name)?;
            return Ok((emulator.base_url(), Arc::new(tokens)));
        }
        let base_url = integration
            .settings
            .base_url
            .clone()
            .unwrap_or_else(|| info.default_base_url.to_owned());
        let tokens = TokenSource::load(self.inner.secrets.clone(), integration.id, info.name)?;
        Ok((base_url, Arc::new(tokens)))
    }

    pub(crate) fn http(
        &self,
        platform: &str,
        base_url: String,
        tokens: Arc<TokenSource>,
    ) -> Result<Http, ConnectorError> {
        let info = connector_for(platform).map(|c| c.info()).ok_or_else(|| {
            ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::Internal,
                format!("unknown platform {platform}"),
            )
        })?;
        let options = &self.inner.options;
        Http::new(
            HttpConfig {
                base_url,
                platform: info.name,
                policy: options.retry,
                rate_limit: if options.pace { info.rate_limit } else { None },
                rate_limit_window: options.rate_limit_window.unwrap_or(info.rate_limit_window),
                request_timeout: options.request_timeout,
                connect_timeout: options.connect_timeout,
                probe_path: Some(info.probe_path),
            },
            tokens,
        )
    }

    async fn execute(
        &self,
        integration_id: i64,
        trigger: RunTrigger,
        cancel: CancellationToken,
        pushed: Option<mpsc::UnboundedReceiver<Pushed>>,
    ) -> Result<SyncRun, ApiError> {
        let store = self.inner.store.clone();
        let clock = self.inner.clock.clone();
        let integration = store.read(|conn| integrations::get(conn, integration_id))?;
        let started = clock.now();
        let run_id = store.write(|tx| runs::start(tx, integration_id, trigger, started))?;
        tracing::info!(
            integration = integration_id,
            run = run_id,
            ?trigger,
            "sync started"
        );

        let result = match pushed {
            Some(events) => {
                let clock = clock.clone();
                let now = move || clock.now();
                crate::web_connector::receive_run(PushedRun {
                    engine: self,
                    integration: &integration,
                    run_id,
                    events,
                    cancel,
                    idle: self.inner.options.web_connector_idle,
                    now: &now,
                })
                .await
            }
            None => self
                .run_streams(&integration, run_id, cancel)
                .await
                .map(|()| None),
        };
        let finished = clock.now();
        let (outcome, error) = match &result {
            Ok(None) => (RunOutcome::Succeeded, None),
            // Everything was staged but the platform withheld a part: the
            // run says which, in its message.
            Ok(Some(note)) => (
                RunOutcome::Succeeded,
                Some((ErrorCode::SourceUnavailable, note.clone())),
            ),
            Err(e) if e.is_cancelled() => (RunOutcome::Cancelled, Some(e.code_and_message())),
            Err(e) => (RunOutcome::Failed, Some(e.code_and_message())),
        };
        if outcome != RunOutcome::Succeeded
            && let Some((code, message)) = &error
        {
            tracing::warn!(integration = integration_id, run = run_id, ?code, %message, "sync did not finish");
        }
        let next =
            finished + chrono::Duration::minutes(i64::from(integration.settings.interval_minutes));
        store.write(|tx| {
            let error = error
                .as_ref()
                .map(|(code, message)| (code_name(*code), message.as_str()));
            runs::finish(tx, run_id, outcome, error, finished)?;
            integrations::set_next_sync(tx, integration_id, Some(next))
        })?;
        let run = store.read(|conn| runs::get(conn, run_id))?;
        let _ = self.inner.progress.send(Progress {
            integration_id,
            run_id,
            stream: String::new(),
            module: Module::Employees,
            pages: 0,
            fetched: 0,
            phase: ProgressPhase::Finished,
        });
        tracing::info!(integration = integration_id, run = run_id, outcome = ?run.outcome, "sync ended");
        Ok(run)
    }

    async fn run_streams(
        &self,
        integration: &Integration,
        run_id: i64,
        cancel: CancellationToken,
    ) -> Result<(), StepError> {
        let connector = connector_for(&integration.platform).ok_or_else(|| {
            StepError::Local(Error::Internal(format!(
                "no connector for the platform {}",
                integration.platform
            )))
        })?;
        if let Some(source) = connector.folder() {
            let run = crate::folder::FolderRun {
                store: self.inner.store.clone(),
                integration,
                run_id,
                now: self.now(),
                cancel,
                progress: &self.inner.progress,
            };
            return crate::folder::sync_folder(run, connector.info().name, source).await;
        }
        let (base_url, tokens) = self.access(integration).await?;
        let http = self.http(&integration.platform, base_url, tokens)?;
        let clock = self.inner.clock.clone();
        let now = move || clock.now();
        let mut context = RunContext {
            store: self.inner.store.clone(),
            http: &http,
            connector,
            integration_id: integration.id,
            run_id,
            pull_from: integration.settings.pull_from,
            look_back_days: integration.settings.look_back_days,
            skew: self.inner.options.skew,
            now: &now,
            counts: Default::default(),
            cancel,
            progress: &self.inner.progress,
        };
        // A list the platform refuses (or sends unreadable) fails alone: the
        // other lists are still read, so one refused request cannot starve
        // them run after run. Lists that need a failed one's records wait.
        let mut failed: Vec<(&'static str, ConnectorError)> = Vec::new();
        for stream in connector.streams() {
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
                Err(StepError::Source(error)) if error.concerns_one_request() => {
                    tracing::warn!(stream = stream.name, %error, "a list failed; reading the others");
                    failed.push((stream.name, error));
                }
                Err(error) => return Err(error),
            }
        }
        let read_all = failed.len() == connector.streams().len();
        match failed.len() {
            0 => Ok(()),
            1 if read_all => Err(StepError::Source(failed.remove(0).1)),
            1 => {
                let (_, error) = failed.remove(0);
                let message = format!("{} The other lists were synced.", error.message);
                Err(StepError::Source(ConnectorError::new(
                    error.class,
                    error.code,
                    message,
                )))
            }
            n => {
                let (_, first) = &failed[0];
                let names: Vec<&str> = failed.iter().map(|(name, _)| *name).collect();
                Err(StepError::Source(ConnectorError::new(
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

    /// Signs in with a client id and secret at the platform's token endpoint,
    /// then tries the sign-in with one request, before anything is saved.
    /// Returns the credentials to save and who the account is.
    pub async fn sign_in_with_client(
        &self,
        platform: &str,
        base_url: Option<&str>,
        client_id: &str,
        secret: &timebridge_core::Sensitive<String>,
    ) -> Result<(Credentials, String), ApiError> {
        let connector = known_connector(platform)?;
        let info = connector.info();
        let token_path = info.token_path.ok_or_else(|| {
            ApiError::from(Error::invalid(
                "platform",
                format!(
                    "{} does not sign in with a client ID and secret.",
                    info.name
                ),
            ))
        })?;
        let base_url = base_url
            .unwrap_or(info.default_base_url)
            .trim_end_matches('/')
            .to_owned();
        let credentials = timebridge_connectors::client_credentials::sign_in(
            &timebridge_connectors::client_credentials::client().map_err(to_api)?,
            &format!("{base_url}{token_path}"),
            client_id,
            secret,
            info.name,
            &CancellationToken::new(),
        )
        .await
        .map_err(to_api)?;
        let account = self
            .check_connection(platform, Some(&base_url), &credentials)
            .await?;
        Ok((credentials, account))
    }

    /// Tries a sign-in before it is saved: one authenticated request to the
    /// platform. Returns who the platform says the account is.
    pub async fn check_connection(
        &self,
        platform: &str,
        base_url: Option<&str>,
        credentials: &Credentials,
    ) -> Result<String, ApiError> {
        let connector = known_connector(platform)?;
        let info = connector.info();
        let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        credentials
            .save(secrets.as_ref(), 0)
            .map_err(|e| ApiError::from(Error::from(e)))?;
        let tokens = Arc::new(TokenSource::load(secrets, 0, info.name).map_err(to_api)?);
        let base_url = base_url.unwrap_or(info.default_base_url).to_owned();
        let mut options = self.inner.options.clone();
        options.retry.max_attempts = options.retry.max_attempts.min(2);
        let http = Http::new(
            HttpConfig {
                base_url,
                platform: info.name,
                policy: options.retry,
                rate_limit: None,
                rate_limit_window: Duration::from_secs(5),
                request_timeout: Duration::from_secs(20),
                connect_timeout: Duration::from_secs(10),
                // This request is the probe: a 401 here is the sign-in.
                probe_path: None,
            },
            tokens,
        )
        .map_err(to_api)?;
        let body = http
            .get_json(
                info.probe_path,
                &[],
                "the account",
                &CancellationToken::new(),
            )
            .await
            .map_err(to_api)?;
        Ok(connector.account_label(&body))
    }
}

/// For an integration synced by the QuickBooks Web Connector, which
/// Timebridge cannot call: how to start an update.
pub fn web_connector_hint(integration: &Integration) -> Option<String> {
    timebridge_connectors::through_web_connector(&integration.platform).then(|| {
        let app = integration
            .settings
            .web_connector
            .as_ref()
            .map(|w| w.app_name.clone())
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "Timebridge".into());
        format!(
            "{} syncs when the QuickBooks Web Connector calls Timebridge. On the computer with \
                 QuickBooks, open the Web Connector, tick “{app}” and click Update Selected; \
                 it also updates on its own every {} minutes.",
            integration.name, integration.settings.interval_minutes,
        )
    })
}

/// The connector of a platform an admin is connecting.
fn known_connector(
    platform: &str,
) -> Result<&'static dyn timebridge_connectors::Connector, ApiError> {
    connector_for(platform).ok_or_else(|| {
        ApiError::from(Error::invalid(
            "platform",
            format!("Timebridge cannot connect to “{platform}”."),
        ))
    })
}

fn to_api(error: ConnectorError) -> ApiError {
    ApiError::from(Error::from(error))
}

fn code_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::AuthFailed => "auth_failed",
        ErrorCode::RateLimited => "rate_limited",
        ErrorCode::SourceUnavailable => "source_unavailable",
        ErrorCode::PermissionDenied => "permission_denied",
        ErrorCode::Storage => "storage",
        ErrorCode::Conflict => "cancelled",
        ErrorCode::Validation => "validation",
        _ => "internal",
    }
}
