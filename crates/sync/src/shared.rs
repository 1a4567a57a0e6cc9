//! The state every role of the engine shares: the database, the keyring,
//! the clock, the options, the runs going on, the progress channel, the
//! sandbox emulators and the Web Connector's server. Each role (runs, the
//! Web Connector, payroll, sign-in checks) holds it behind one `Arc`.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use timebridge_connectors::RetryPolicy;
use timebridge_connectors::secrets::SecretStore;
use timebridge_core::Store;
use timebridge_core::middleware::runs::SyncRun;
use timebridge_core::time::Clock;
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;
use crate::progress::ProgressSender;
use crate::sandbox::SandboxHost;
use crate::web_connector::host::WebConnectorHost;

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
    /// What the Web Connector's loopback server takes from one client:
    /// header and body caps, and how long a slow client is waited for.
    pub web_connector_limits: timebridge_connectors::loopback::Limits,
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
            web_connector_limits: timebridge_connectors::loopback::Limits::WEB_CONNECTOR,
        }
    }
}

/// How a run ended, once it has: every caller that joined it gets this.
pub(crate) type Outcome = Option<Result<SyncRun, SyncError>>;

/// A run going on.
pub(crate) struct Running {
    pub cancel: CancellationToken,
    pub done: watch::Receiver<Outcome>,
}

pub(crate) struct Shared {
    pub store: Arc<Store>,
    pub secrets: Arc<dyn SecretStore>,
    pub clock: Arc<dyn Clock>,
    pub options: EngineOptions,
    running: Mutex<HashMap<i64, Running>>,
    pub progress: ProgressSender,
    pub sandbox: SandboxHost,
    pub web_connector: WebConnectorHost,
    /// Another process holds this database's scheduler lock.
    pub scheduled_elsewhere: AtomicBool,
}

impl Shared {
    pub fn new(
        store: Arc<Store>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        options: EngineOptions,
    ) -> Shared {
        let (progress, _) = broadcast::channel(256);
        Shared {
            store,
            secrets,
            clock,
            options,
            running: Mutex::new(HashMap::new()),
            progress,
            sandbox: SandboxHost::default(),
            web_connector: WebConnectorHost::default(),
            scheduled_elsewhere: AtomicBool::new(false),
        }
    }

    /// The runs going on, by integration.
    pub fn running(&self) -> MutexGuard<'_, HashMap<i64, Running>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
