//! Two schedulers on one database, as the window and the background service
//! on one data folder: only the holder of the scheduler lock recovers and
//! schedules, the other takes over when the holder stops, and a "Sync now"
//! asked of the other is run by the holder.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use timebridge_core::Store;
use timebridge_core::middleware::integrations;
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger};
use timebridge_core::store::backup;
use timebridge_core::time::SystemClock;
use timebridge_emulators::quickbooks_time::Company;
use timebridge_sync::scheduler::{self, SyncNow, lock};
use timebridge_sync::{Engine, ProgressPhase};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::common::{Setup, emulator, generated_at, quick_options, setup, spec};

/// Quick checks, so the tests do not wait on the app's period.
const PERIOD: Duration = Duration::from_millis(50);
/// How long a condition may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(30);

/// A scheduler running on `engine`, and the token that stops it.
struct Running {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

fn start(engine: &Engine, holder: &'static str) -> Running {
    let stop = CancellationToken::new();
    let task = tokio::spawn(scheduler::run(engine.clone(), PERIOD, holder, stop.clone()));
    Running { stop, task }
}

impl Running {
    async fn stop(self) {
        self.stop.cancel();
        self.task.await.expect("the scheduler ends when cancelled");
    }
}

/// A second engine on the same database file, as another process opens it.
fn other_process(s: &Setup) -> Engine {
    Engine::new(
        Arc::new(Store::open(s.store.path()).expect("the database opens twice")),
        s.secrets.clone(),
        Arc::new(SystemClock),
        quick_options(),
    )
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn holder(s: &Setup) -> String {
    lock::holder(s.store.path())
        .expect("the lock file is readable")
        .unwrap_or_default()
}

/// The holder `first`, and `second` on the other engine, each scheduling.
struct Two {
    first: Running,
    engine: Engine,
    second: Running,
}

impl Two {
    async fn stop(self) {
        self.second.stop().await;
        self.first.stop().await;
    }
}

async fn holder_started(s: &Setup) -> Running {
    let first = start(&s.engine, "first");
    eventually("the first scheduler takes the lock", || {
        holder(s).starts_with("first")
    })
    .await;
    first
}

async fn other_started(s: &Setup, first: Running) -> Two {
    let engine = other_process(s);
    let second = start(&engine, "second");
    eventually("the second scheduler sees the lock taken", || {
        engine.scheduled_elsewhere()
    })
    .await;
    Two {
        first,
        engine,
        second,
    }
}

async fn two_schedulers(s: &Setup) -> Two {
    let first = holder_started(s).await;
    other_started(s, first).await
}

async fn quickbooks_time() -> (timebridge_emulators::quickbooks_time::Emulator, Setup) {
    let emulator = emulator(Company::generate(&spec(), generated_at())).await;
    let s = setup(&emulator);
    // Not due for a day: the schedulers start no sync of their own.
    let later = Utc::now() + chrono::Duration::days(1);
    s.store
        .write(|tx| integrations::set_next_sync(tx, s.integration, Some(later)))
        .expect("scheduled later");
    (emulator, s)
}

fn latest(s: &Setup) -> Option<runs::SyncRun> {
    s.store
        .read(|c| runs::latest(c, s.integration))
        .expect("runs readable")
}

#[tokio::test]
async fn a_second_scheduler_leaves_the_holders_running_sync_alone() {
    let (_emulator, s) = quickbooks_time().await;
    let first = holder_started(&s).await;
    // A sync the holder has going, as its record shows it.
    let live = s
        .store
        .write(|tx| runs::start(tx, s.integration, RunTrigger::Schedule, Utc::now()))
        .expect("a run recorded");

    let two = other_started(&s, first).await;

    let outcome = s
        .store
        .read(|c| runs::get(c, live))
        .expect("the run is readable")
        .outcome;
    assert_eq!(
        outcome,
        RunOutcome::Running,
        "only the holder recovers: the other must not mark the holder's live run interrupted"
    );
    two.stop().await;
}

#[tokio::test]
async fn the_other_scheduler_takes_over_when_the_holder_stops() {
    let (_emulator, s) = quickbooks_time().await;
    let two = two_schedulers(&s).await;

    two.first.stop().await;

    eventually("the second scheduler takes over", || {
        holder(&s).starts_with("second") && !two.engine.scheduled_elsewhere()
    })
    .await;
    two.second.stop().await;
}

#[tokio::test]
async fn sync_now_asked_of_the_other_process_is_run_by_the_holder() {
    let (_emulator, s) = quickbooks_time().await;
    let mut holders_progress = s.engine.runs().subscribe();
    let two = two_schedulers(&s).await;

    let asked = scheduler::sync_now(
        &two.engine,
        &tokio::runtime::Handle::current(),
        s.integration,
    )
    .expect("the request is recorded");

    assert_eq!(
        asked,
        SyncNow::Passed,
        "the process that does not schedule passes Sync now on"
    );
    let ended = tokio::time::timeout(PATIENCE, async {
        loop {
            let report = holders_progress.recv().await.expect("the holder reports");
            if report.phase == ProgressPhase::Finished && report.integration_id == s.integration {
                return report.run_id;
            }
        }
    })
    .await
    .expect("the holder runs the sync asked for within the time allowed");
    assert_eq!(
        latest(&s).map(|r| (r.id, r.outcome)),
        Some((ended, RunOutcome::Succeeded)),
        "the holder's run is the one recorded, and it synced"
    );
    two.stop().await;
}

#[tokio::test]
async fn the_other_process_hears_when_the_holders_sync_ends() {
    let (_emulator, s) = quickbooks_time().await;
    let two = two_schedulers(&s).await;
    let mut others_progress = two.engine.runs().subscribe();

    let started = scheduler::sync_now(&s.engine, &tokio::runtime::Handle::current(), s.integration)
        .expect("the holder starts it");

    assert_eq!(started, SyncNow::Started, "the holder syncs at once");
    let report = tokio::time::timeout(PATIENCE, others_progress.recv())
        .await
        .expect("the other process announces the run's end within the time allowed")
        .expect("a report");
    assert_eq!(
        (report.integration_id, report.phase),
        (s.integration, ProgressPhase::Finished),
        "the window beside the service reloads a run the service ended"
    );
    two.stop().await;
}

#[tokio::test]
async fn the_scheduling_process_makes_the_daily_backup() {
    let (_emulator, s) = quickbooks_time().await;
    let today = chrono::Local::now().date_naive();
    assert!(
        backup::daily_due(s.store.path(), today),
        "a new database has no backup yet"
    );
    let running = holder_started(&s).await;
    eventually("the holder makes today's backup", || {
        !backup::daily_due(s.store.path(), today)
    })
    .await;
    running.stop().await;
    backup::verify(&backup::daily_path(s.store.path(), today))
        .expect("the daily backup is a sound Timebridge database");
}
