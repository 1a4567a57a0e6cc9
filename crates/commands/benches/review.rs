//! Review and import at scale, measured from the commands the UI calls:
//!
//! 1. Import of the New time entries of a synced 100,000-timesheet company
//!    (from the QuickBooks Time emulator) with their employees and jobs,
//!    through `import_staged`.
//! 2. The staged-record page query (filter by status, sort by date, a page
//!    of 100) over 1,000,000 staged time entries, through `list_staged`.
//!
//! `cargo bench -p timebridge-commands --bench review` (TIMESHEETS=N and
//! STAGED=N for other sizes; STAGED=0 times the import alone).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use serde_json::json;
use timebridge_commands::{Api, Client};
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::time::SystemClock;
use timebridge_core::{Store, rusqlite};
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
use timebridge_sync::{Engine, EngineOptions};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let size = env("TIMESHEETS", 100_000);
    let staged_target = env("STAGED", 1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = Utc::now();
    let spec = CompanySpec::sized(size, now.date_naive());
    let company = Company::generate(&spec, now - Duration::hours(2));
    let emulator = runtime
        .block_on(Emulator::start(company, EmulatorOptions::unlimited()))
        .expect("emulator starts");

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
    let engine = Engine::new(
        store.clone(),
        secrets as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        EngineOptions {
            pace: false,
            ..EngineOptions::default()
        },
    );
    runtime
        .block_on(engine.runs().sync(integration, RunTrigger::CommandLine))
        .expect("synced");
    let api = Api::with_engine(
        store.clone(),
        Arc::new(SystemClock),
        engine,
        runtime.handle().clone(),
    );
    let mut admin = Client::new();
    api.call(
        &mut admin,
        "create_first_administrator",
        json!({"username": "bench", "display_name": "Bench", "password": "a long bench password"}),
    )
    .expect("signed in");

    // 1. Import every New time entry, employees and jobs along.
    let new_entries = api
        .call(
            &mut admin,
            "list_staged",
            json!({"integration_id": integration, "module": "time_entries",
                   "query": {"filter": {"status": "new"}, "page_size": 1}}),
        )
        .expect("listed")["total"]
        .as_u64()
        .unwrap_or(0);
    println!("company: {size} timesheets synced; {new_entries} New time entries staged");
    let started = Instant::now();
    let summary = api
        .call(
            &mut admin,
            "import_staged",
            json!({"integration_id": integration, "module": "time_entries",
                   "selection": {"kind": "matching", "filter": {"status": "new"}}}),
        )
        .expect("imported");
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "import_staged: {} created ({} of them employees, jobs, customers and tasks brought along), {} skipped in {elapsed:.2} s → {:.0} time entries/s",
        summary["created"],
        summary["also_imported"].as_array().map_or(0, Vec::len),
        summary["skipped"].as_array().map_or(0, Vec::len),
        new_entries as f64 / elapsed
    );

    if staged_target == 0 {
        return; // STAGED=0: the import alone.
    }

    // 2. Grow the staged time entries to STAGED rows (copies, dated earlier,
    // all New), then page through them as the UI does.
    let staged_entries = || -> i64 {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM staged_records WHERE module = 'time_entries'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .expect("counted")
    };
    let have = staged_entries();
    // The original and copies-1 copies: at least STAGED rows.
    let copies = ((staged_target as i64 + have - 1) / have.max(1)).max(1);
    let grow = Instant::now();
    store
        .write(|tx| {
            for n in 1..copies {
                tx.execute(
                    "INSERT INTO staged_records (integration_id, module, external_id, data, checksum, status, label, record_date, changed_at)
                     SELECT integration_id, module, external_id || '-' || ?1, data, checksum, 'new', label,
                            date(record_date, '-' || (?1 * 400) || ' days'), changed_at
                     FROM staged_records WHERE module = 'time_entries' AND instr(external_id, '-') = 0",
                    rusqlite::params![n],
                )?;
            }
            // Rows added behind the sync's back: count them as it would.
            tx.execute_batch(
                "DELETE FROM staged_counts;
                 INSERT INTO staged_counts (integration_id, module, status, removed_at_source, n)
                 SELECT integration_id, module, status, removed_at_source, count(*)
                 FROM staged_records GROUP BY 1, 2, 3, 4;
                 ANALYZE;",
            )?;
            Ok(())
        })
        .expect("grown");
    let total = staged_entries();
    println!(
        "staged time entries: {total} (grown in {:.1} s)",
        grow.elapsed().as_secs_f64()
    );

    // The median of 25 calls of `list_staged` for one page of 100.
    let mut page_query =
        |status: Option<&str>, sort: &str, descending: bool, page: u32, search: Option<&str>| {
            let mut samples = Vec::new();
            for _ in 0..25 {
                let started = Instant::now();
                let result = api
                    .call(
                        &mut admin,
                        "list_staged",
                        json!({"integration_id": integration, "module": "time_entries",
                           "query": {"filter": {"status": status, "search": search}, "sort": sort,
                                     "descending": descending, "page": page, "page_size": 100}}),
                    )
                    .expect("listed");
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(
                    result["rows"].as_array().map_or(0, Vec::len),
                    100,
                    "a full page"
                );
            }
            median(samples)
        };
    println!(
        "list_staged (status New, newest first, 100 rows), median of 25: first page {:.1} ms; page 10 {:.1} ms; page 1,000 {:.1} ms",
        page_query(Some("new"), "date", true, 1, None),
        page_query(Some("new"), "date", true, 10, None),
        page_query(Some("new"), "date", true, 1_000, None),
    );
    println!(
        "  with a search word as well (\"Bell\"): first page {:.1} ms",
        page_query(Some("new"), "date", true, 1, Some("Bell"))
    );
    // Every column the list can sort by, first page, all statuses.
    let sorts = [
        "label",
        "date",
        "key",
        "external_id",
        "status",
        "changed_at",
    ];
    let each = sorts
        .iter()
        .map(|sort| format!("{sort} {:.1} ms", page_query(None, sort, false, 1, None)))
        .collect::<Vec<_>>()
        .join("; ");
    println!("  first page sorted by each column: {each}");
}
