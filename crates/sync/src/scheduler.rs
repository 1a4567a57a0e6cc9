//! Scheduled syncs: each integration with scheduled syncing on syncs every
//! interval (two hours by default) while the app runs. A sync that fell due
//! while the app was closed starts soon after launch. Runs left running by
//! a stopped app are marked interrupted at start (the next run resumes them).
//!
//! One process per database schedules: the one holding its scheduler lock
//! (see [`lock`]), the window or the background service, whichever started
//! first. Only the holder recovers interrupted runs, answers the Web
//! Connector and starts syncs. The other checks every period whether it may
//! take over (the holder stopped), tells its listeners when a run the
//! holder recorded ends (so the window reloads it), and passes a "Sync now"
//! on through the database: the integration is made due at once, and the
//! holder starts it at its next check ([`PERIOD`]).
//!
//! The holder also makes the daily backup ([`daily_backup`]). While the
//! database is damaged (it failed its check at open) it starts nothing:
//! no sync, no backup, until a backup is restored.

pub mod daily_backup;
pub mod lock;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_core::Store;
use timebridge_core::middleware::integrations;
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger};
use tokio_util::sync::CancellationToken;

use crate::Engine;
use timebridge_connectors::through_web_connector;

/// How often the scheduler checks what is due (a "Sync now" passed on by
/// another process is due at once, so this is how soon it starts), whether
/// it may take over scheduling, and which of the holder's runs ended.
pub const PERIOD: Duration = Duration::from_secs(5);

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
/// ("Sync all now"). Integrations already syncing are left to finish. When
/// another process schedules, each is passed on to it instead.
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
    if engine.scheduled_elsewhere() {
        if let Err(error) = request(engine.store(), &enabled, Utc::now()) {
            tracing::warn!(%error, "could not pass Sync all now on to the scheduling process");
            return Vec::new();
        }
    } else {
        spawn_runs(engine, runtime, &enabled, RunTrigger::Manual);
    }
    enabled
}

/// What a "Sync now" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncNow {
    /// A sync started here.
    Started,
    /// One was already running here; it goes on.
    AlreadyRunning,
    /// Another process schedules this database: the integration is due now,
    /// and that process starts its sync within [`PERIOD`].
    Passed,
}

/// Syncs an integration now, in the background on `runtime`, or passes the
/// request on to the process that schedules (so two processes never sync
/// one integration at once).
pub fn sync_now(
    engine: &Engine,
    runtime: &tokio::runtime::Handle,
    integration_id: i64,
) -> timebridge_core::Result<SyncNow> {
    if engine.scheduled_elsewhere() {
        request(engine.store(), &[integration_id], Utc::now())?;
        return Ok(SyncNow::Passed);
    }
    if engine.runs().is_running(integration_id) {
        return Ok(SyncNow::AlreadyRunning);
    }
    let runs = engine.runs();
    runtime.spawn(async move {
        if let Err(error) = runs.sync(integration_id, RunTrigger::Manual).await {
            tracing::warn!(integration = integration_id, message = %error, "sync could not start");
        }
    });
    Ok(SyncNow::Started)
}

/// Makes integrations due at `now`, for the scheduling process to start.
fn request(store: &Store, ids: &[i64], now: DateTime<Utc>) -> timebridge_core::Result<()> {
    store.write(|tx| {
        ids.iter()
            .try_for_each(|&id| integrations::set_next_sync(tx, id, Some(now)))
    })
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

/// Schedules this database's syncs while this process holds its scheduler
/// lock (taken in the name of `holder`, such as "the window"), checking
/// every `period` until cancelled; while another process holds it, checks
/// every `period` whether it may take over and announces the runs that
/// process ends.
pub async fn run(engine: Engine, period: Duration, holder: &'static str, stop: CancellationToken) {
    let database = engine.store().path().to_path_buf();
    let mut trigger = RunTrigger::Startup;
    let mut others = OtherRuns::default();
    let mut lock_failed = false;
    loop {
        match lock::try_take(&database, holder) {
            Ok(Some(lock)) => {
                engine.set_scheduled_elsewhere(false);
                tracing::info!(holder, "this process schedules the syncs");
                return schedule(&engine, period, trigger, &stop, lock).await;
            }
            Ok(None) => {
                if !engine.scheduled_elsewhere() {
                    tracing::info!(
                        "another process schedules this database's syncs; this one shows its \
                         runs and passes Sync now on to it"
                    );
                }
                engine.set_scheduled_elsewhere(true);
                others.announce_ended(&engine);
            }
            Err(error) => {
                if !lock_failed {
                    tracing::warn!(
                        %error,
                        lock = %lock::path(&database).display(),
                        "could not open the scheduler lock next to the database, so no syncs \
                         are scheduled; check that the data folder is writable"
                    );
                }
                lock_failed = true;
            }
        }
        trigger = RunTrigger::Schedule;
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = stop.cancelled() => return,
        }
    }
}

/// The holder's part: answers the Web Connector for QuickBooks Desktop,
/// recovers interrupted runs, then every `period` starts what is due and
/// the daily backup, until cancelled. Nothing starts while the database
/// is damaged; once a backup is restored it starts as at launch.
async fn schedule(
    engine: &Engine,
    period: Duration,
    first: RunTrigger,
    stop: &CancellationToken,
    _lock: lock::SchedulerLock,
) {
    engine.web_connector().serve_all().await;
    let mut trigger = Some(first);
    let mut backups = daily_backup::DailyBackup::default();
    let mut said_damaged = false;
    loop {
        if engine.store().damage().is_some() {
            if !said_damaged {
                tracing::error!(
                    "the database is damaged: no syncs or backups start until a backup is restored"
                );
                said_damaged = true;
            }
        } else {
            said_damaged = false;
            let now = Utc::now();
            if let Some(first) = trigger.take() {
                if let Ok(interrupted) = recover(engine.store(), now)
                    && interrupted > 0
                {
                    tracing::info!(
                        interrupted,
                        "marked syncs cut off by the last shutdown as interrupted"
                    );
                }
                start_due(engine, now, first);
            } else {
                start_due(engine, now, RunTrigger::Schedule);
            }
            backups.start_if_due(engine.store(), chrono::Local::now().date_naive());
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            () = stop.cancelled() => return,
        }
    }
}

/// The latest run of each integration, as last seen by a process that does
/// not schedule, to tell when one the scheduling process recorded ends.
#[derive(Debug, Default)]
struct OtherRuns {
    seen: Option<HashMap<i64, (i64, RunOutcome)>>,
}

impl OtherRuns {
    /// Announces each integration's latest run that has ended since the
    /// last look (nothing at the first look: those ended before).
    fn announce_ended(&mut self, engine: &Engine) {
        let latest = engine.store().read(|conn| {
            let mut latest = HashMap::new();
            for integration in integrations::list(conn)? {
                if let Some(run) = runs::latest(conn, integration.id)? {
                    latest.insert(integration.id, (run.id, run.outcome));
                }
            }
            Ok(latest)
        });
        let latest = match latest {
            Ok(latest) => latest,
            Err(error) => {
                tracing::warn!(%error, "could not read the other process's runs");
                return;
            }
        };
        if let Some(seen) = &self.seen {
            for (&integration, &(run, outcome)) in &latest {
                if outcome != RunOutcome::Running && seen.get(&integration) != Some(&(run, outcome))
                {
                    engine.runs().announce_finished(integration, run);
                }
            }
        }
        self.seen = Some(latest);
    }
}
