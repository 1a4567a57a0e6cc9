//! busybusy sync throughput: an organisation with 100,000 time entries
//! (and its members, projects and cost codes) served by the busybusy
//! emulator over GraphQL, paged 1,000 at a time by cursor, signed in as its
//! admin, into an on-disk database. Prints records per second end to end,
//! peak memory, and an immediate re-sync with nothing changed (its time,
//! and how many staged rows it wrote).
//!
//! `cargo bench -p timebridge-sync --bench sync_busybusy` (TIMESHEETS=N for
//! another size).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Duration, Utc, Weekday};
use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::time::SystemClock;
use timebridge_core::{Sensitive, Store};
use timebridge_emulators::busybusy::{
    ADMIN_USERNAME, Emulator, EmulatorOptions, Organization, OrganizationSpec, PASSWORD,
};
use timebridge_sync::{Engine, EngineOptions};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod shared;

/// Members at work each weekday (one more is archived).
const WORKING: usize = 200;

/// The days back that hold `weekdays` weekdays before today.
fn days_for(weekdays: usize, today: chrono::NaiveDate) -> i64 {
    let (mut days, mut found) = (0i64, 0usize);
    while found < weekdays {
        days += 1;
        let day = today - Duration::days(days);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            found += 1;
        }
    }
    days
}

#[tokio::main]
async fn main() {
    let size: usize = std::env::var("TIMESHEETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let now = Utc::now();
    let today = now.date_naive();
    let days = days_for(size.div_ceil(WORKING), today);
    let org = Organization::generate(&OrganizationSpec {
        members: WORKING + 1,
        projects: 40,
        depth: 4,
        cost_codes: 25,
        days,
        today,
        modified: now - Duration::hours(2),
    });
    let (entries_served, members, projects) = (
        org.time_entries.len(),
        org.members.len(),
        org.projects.len(),
    );
    let emulator = Emulator::start(org, EmulatorOptions::default())
        .await
        .expect("emulator starts");
    let (peak_before, rss_before) = shared::memory();

    let dir = tempfile::tempdir().expect("temp folder");
    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let secrets = Arc::new(MemorySecrets::default());
    let engine = Engine::new(
        store.clone(),
        secrets.clone() as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        EngineOptions {
            pace: false,
            ..EngineOptions::default()
        },
    );
    let (credentials, _) = engine
        .sign_in()
        .with_password(
            "busybusy",
            Some(&emulator.base_url()),
            ADMIN_USERNAME,
            &Sensitive::new(PASSWORD.to_owned()),
        )
        .await
        .expect("the admin signs in");
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(emulator.base_url());
    settings.pull_from = today - Duration::days(days + 1);
    let integration = store
        .write(|tx| {
            integrations::create(tx, "busybusy", "busybusy", &settings, &Actor::system(), now)
        })
        .expect("integration")
        .id;
    credentials
        .save(secrets.as_ref(), integration)
        .expect("saved");

    println!(
        "organisation: {entries_served} time entries, {members} members, {projects} projects (GraphQL, pages of 1,000)"
    );
    let started = Instant::now();
    let run = engine
        .runs()
        .sync(integration, RunTrigger::CommandLine)
        .await
        .expect("run");
    let elapsed = started.elapsed().as_secs_f64();
    let entries = shared::staged_rows(&store, "time_entries");
    let all: i64 = run
        .counts
        .values()
        .map(|c| (c.new + c.updated + c.unchanged) as i64)
        .sum();
    let (peak_after, rss_after) = shared::memory();
    let recorded = emulator.recorded();
    let off = recorded
        .iter()
        .filter(|r| r.off_contract().is_some())
        .count();
    println!(
        "first sync:  {:?} in {elapsed:.2} s, {} requests ({off} off the contract)",
        run.outcome,
        recorded.len()
    );
    println!(
        "  time entries staged: {entries} → {:.0} time entries/s end to end (target ≥ 50,000)",
        entries as f64 / elapsed
    );
    println!(
        "  all staged records:  {all} → {:.0} records/s",
        all as f64 / elapsed
    );
    println!(
        "  memory (this process, emulator included): peak {peak_after:.0} MiB (was {peak_before:.0} before the sync); resident {rss_after:.0} MiB (was {rss_before:.0})"
    );

    let resync_started = Instant::now();
    let since = timebridge_core::time::to_db(Utc::now());
    let again = engine
        .runs()
        .sync(integration, RunTrigger::CommandLine)
        .await
        .expect("run");
    let resync = resync_started.elapsed().as_secs_f64();
    let written = shared::written_since(&store, &since);
    let unchanged: u64 = again.counts.values().map(|c| c.unchanged).sum();
    println!(
        "re-sync, nothing changed: {:?} in {resync:.2} s; {unchanged} records read unchanged; staged rows written: {written}",
        again.outcome
    );
}
