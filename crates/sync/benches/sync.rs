//! Sync throughput: a 100,000-timesheet company (with its users and
//! jobcodes) from the QuickBooks Time emulator, rate limit off, into an
//! on-disk database. Prints records per second end to end, peak memory,
//! an immediate re-sync with nothing changed (its time, and how many staged
//! rows it wrote), and the raw SQLite insert rate of the same rows in the
//! same run for comparison.
//!
//! `cargo bench -p timebridge-sync --bench sync` (TIMESHEETS=N for another size).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::time::SystemClock;
use timebridge_core::{Store, rusqlite};
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
use timebridge_sync::{Engine, EngineOptions};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod shared;

#[tokio::main]
async fn main() {
    let size: usize = std::env::var("TIMESHEETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let now = Utc::now();
    let spec = CompanySpec::sized(size, now.date_naive());
    let company = Company::generate(&spec, now - Duration::hours(2));
    let (timesheets, users, jobcodes) = (
        company.timesheets.len(),
        company.users.len(),
        company.jobcodes.len(),
    );
    let emulator = Emulator::start(company, EmulatorOptions::unlimited())
        .await
        .expect("emulator starts");
    let (peak_before, rss_before) = shared::memory();

    let dir = tempfile::tempdir().expect("temp folder");
    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(emulator.base_url());
    settings.pull_from = spec.from;
    let integration = store
        .write(|tx| {
            integrations::create(
                tx,
                "quickbooks_time",
                "QuickBooks Time",
                &settings,
                &Actor::system(),
                now,
            )
        })
        .expect("integration")
        .id;
    let secrets = Arc::new(MemorySecrets::default());
    Credentials::access_token(emulator.issue_token())
        .save(secrets.as_ref(), integration)
        .expect("saved");
    let options = EngineOptions {
        pace: false,
        ..EngineOptions::default()
    };
    let engine = Engine::new(
        store.clone(),
        secrets as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        options,
    );

    println!(
        "company: {timesheets} timesheets, {users} users, {jobcodes} jobcodes (emulator rate limit off)"
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
    println!(
        "first sync:  {:?} in {elapsed:.2} s, {requests} requests",
        run.outcome,
        requests = emulator.requests()
    );
    println!(
        "  time entries staged: {entries} → {:.0} time entries/s end to end",
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

    // The same rows straight into SQLite: the ceiling for the write side.
    let rows: Vec<(String, String, String, String, Option<String>)> = store
        .read(|c| {
            let mut s = c.prepare("SELECT external_id, data, checksum, label, record_date FROM staged_records WHERE module = 'time_entries'")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("rows");
    let raw = Store::open(&dir.path().join("raw.db")).expect("raw database");
    raw.write(|tx| {
        tx.execute(
            "INSERT INTO integrations (platform, name, created_at) VALUES ('x', 'raw', 'now')",
            [],
        )?;
        Ok(())
    })
    .expect("integration");
    let started = Instant::now();
    raw.write(|tx| {
        let mut insert = tx.prepare(
            "INSERT INTO staged_records (integration_id, module, external_id, data, checksum, status, label, record_date, changed_at)
             VALUES (1, 'time_entries', ?1, ?2, ?3, 'new', ?4, ?5, '2026-01-01T00:00:00.000Z')",
        )?;
        for (id, data, checksum, label, date) in &rows {
            insert.execute(rusqlite::params![id, data, checksum, label, date])?;
        }
        Ok(())
    })
    .expect("raw insert");
    let raw_elapsed = started.elapsed().as_secs_f64();
    let raw_rate = rows.len() as f64 / raw_elapsed;
    println!(
        "raw SQLite insert of the same {} rows (one transaction, same table and indexes): {raw_elapsed:.2} s → {raw_rate:.0} rows/s",
        rows.len()
    );
    println!(
        "end-to-end sync runs at {:.0}% of the raw insert rate",
        100.0 * (entries as f64 / elapsed) / raw_rate
    );
}
