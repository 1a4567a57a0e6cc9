//! Scheduled syncs: each integration with scheduled syncing on syncs every
//! interval (two hours by default) while the app runs. A sync that fell due
//! while the app was closed starts soon after launch. Runs left running by
//! a stopped app are marked interrupted at start (the next run resumes them).

use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_core::Store;
use timebridge_core::middleware::integrations;
use timebridge_core::middleware::runs::{self, RunTrigger};
use tokio_util::sync::CancellationToken;

use crate::Engine;
use timebridge_connectors::through_web_connector;

/// Whether Timebridge starts this integration's syncs: QuickBooks Desktop
/// syncs when the Web Connector calls, on the Web Connector's schedule.
fn started_here(integration: &integrations::Integration) -> bool {
    integration.sync_enabled && !through_web_connector(&integration.platform)
}

/// Integrations whose next sync is due at `now`.
pub fn due(store: &Store, now: DateTime<Utc>) -> timebridge_core::Result<Vec<i64>> {
    let all = store.read(integrations::list)?;
    Ok(all
        .into_iter()
        .filter(|i| started_here(i) && i.next_sync_at.is_none_or(|at| at <= now))
        .map(|i| i.id)
        .collect())
}

/// Marks interrupted runs; returns how many there were.
pub fn recover(store: &Store, now: DateTime<Utc>) -> timebridge_core::Result<usize> {
    store.write(|tx| runs::mark_interrupted(tx, now))
}

/// Starts the syncs that are due, in the background on the current Tokio
/// runtime. The first check after launch uses the `Startup` trigger.
pub fn start_due(engine: &Engine, now: DateTime<Utc>, trigger: RunTrigger) -> Vec<i64> {
    let due = match due(engine.store(), now) {
        Ok(due) => due,
        Err(error) => {
            tracing::warn!(%error, "could not read which syncs are due");
            return Vec::new();
        }
    };
    spawn_runs(engine, &tokio::runtime::Handle::current(), &due, trigger);
    due
}

/// Starts a sync of every integration with syncing on, now, on `runtime`
/// ("Sync all now"). Integrations already syncing are left to finish.
pub fn start_all(engine: &Engine, runtime: &tokio::runtime::Handle) -> Vec<i64> {
    let enabled = match engine.store().read(integrations::list) {
        Ok(all) => all
            .into_iter()
            .filter(started_here)
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        Err(error) => {
            tracing::warn!(%error, "could not read the integrations to sync");
            return Vec::new();
        }
    };
    spawn_runs(engine, runtime, &enabled, RunTrigger::Manual);
    enabled
}

fn spawn_runs(engine: &Engine, runtime: &tokio::runtime::Handle, ids: &[i64], trigger: RunTrigger) {
    for &id in ids {
        let runs = engine.runs();
        if runs.is_running(id) {
            continue;
        }
        runtime.spawn(async move {
            if let Err(error) = runs.sync(id, trigger).await {
                tracing::warn!(integration = id, message = %error, "sync could not start");
            }
        });
    }
}

/// Answers the Web Connector for QuickBooks Desktop, then checks every
/// `period` until cancelled: what is due, starts.
pub async fn run(engine: Engine, period: Duration, stop: CancellationToken) {
    let now = Utc::now();
    if let Ok(interrupted) = recover(engine.store(), now)
        && interrupted > 0
    {
        tracing::info!(
            interrupted,
            "marked syncs cut off by the last shutdown as interrupted"
        );
    }
    engine.web_connector().serve_all().await;
    start_due(&engine, now, RunTrigger::Startup);
    loop {
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = stop.cancelled() => return,
        }
        start_due(&engine, Utc::now(), RunTrigger::Schedule);
    }
}
