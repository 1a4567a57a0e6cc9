//! One run of one integration: what every step of it reads, whichever way
//! the platform is read (over HTTP, from a folder, or pushed by the Web
//! Connector). The connector is looked up once, when the run starts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use timebridge_connectors::{Connector, Http};
use timebridge_core::Store;
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::middleware::runs::ModuleCounts;
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;
use crate::progress::{Progress, ProgressSender};

pub(crate) type Now<'a> = &'a (dyn Fn() -> DateTime<Utc> + Send + Sync);

pub(crate) struct RunContext<'a> {
    pub store: Arc<Store>,
    pub integration: &'a Integration,
    pub connector: &'static dyn Connector,
    pub run_id: i64,
    pub now: Now<'a>,
    pub cancel: CancellationToken,
    pub progress: &'a ProgressSender,
}

impl RunContext<'_> {
    pub fn integration_id(&self) -> i64 {
        self.integration.id
    }

    /// Tells whoever listens where the run is; nobody listening is fine.
    pub fn report(&self, progress: Progress) {
        let _ = self.progress.send(progress);
    }
}

/// What a run's reads over HTTP share: the run, the signed-in client, the
/// clock margin and the counts so far.
pub(crate) struct StreamsRun<'a> {
    pub run: &'a RunContext<'a>,
    pub http: &'a Http,
    pub skew: chrono::Duration,
    pub counts: BTreeMap<String, ModuleCounts>,
}

/// Runs `work` (database or file work) on a blocking thread; `what` names
/// it if the thread stops.
pub(crate) async fn blocking<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SyncError::Internal(format!("{what} stopped: {e}")))?
}
