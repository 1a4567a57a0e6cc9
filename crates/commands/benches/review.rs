//! Review and import at scale, measured from the commands the UI calls:
//!
//! 1. Import of the New time entries of a synced 100,000-timesheet company
//!    (from the QuickBooks Time emulator) with their employees and jobs,
//!    through `import_staged`.
//! 2. Pages of 1,000,000 staged time entries through `list_staged`: a
//!    search by an employee's name, a job's name and a word of the notes;
//!    each sortable column both ways, its first page, the next one read on
//!    from the last record, page 5,000 jumped to and the one after it; a
//!    status filter that keeps most, and one that keeps a tenth. Figures
//!    the code before the review's indexes also measured are printed
//!    beside ("before").
//!
//! `cargo bench -p timebridge-commands --bench review` (TIMESHEETS=N and
//! STAGED=N for other sizes; STAGED=0 times the import alone; REPS=N calls
//! per figure instead of 25).

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use serde_json::json;
use timebridge_commands::{Api, Client};
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::middleware::staged;
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
    let last_synced: i64 = store
        .read(|c| Ok(c.query_row("SELECT max(id) FROM staged_records", [], |r| r.get(0))?))
        .expect("the last row");
    let grow = Instant::now();
    store
        .write(|tx| {
            for n in 1..copies {
                tx.execute(
                    "INSERT INTO staged_records (integration_id, module, external_id, data, checksum, status, label, record_date, changed_at)
                     SELECT integration_id, module, external_id || '-' || ?1,
                            CASE WHEN id % 50 = 0 THEN json_set(data, '$.notes', 'Replaced flashing on the north side') ELSE data END,
                            checksum, 'new', label,
                            date(record_date, '-' || (?1 * 400) || ' days'), changed_at
                     FROM staged_records WHERE module = 'time_entries' AND instr(external_id, '-') = 0",
                    rusqlite::params![n],
                )?;
            }
            // Rows added behind the sync's back: index and count them as it would.
            staged::index_for_search_after(tx, last_synced)?;
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

    let mut bench = Bench {
        api: &api,
        admin: &mut admin,
        integration,
    };
    let entries = |filter: serde_json::Value, sort: &str, descending: bool| json!({"filter": filter, "sort": sort, "descending": descending, "page_size": 100});
    let all = json!({});

    println!(
        "\nlist_staged, one page of 100 time entries, median of {} calls; before: the same figure measured at commit c331d00, before the review's indexes (2026-12-08, this machine, 2 cores, under load):",
        env("REPS", 25)
    );
    let job = job_word(&mut bench);
    for (what, word) in [
        ("search by an employee's name", "Bell".to_owned()),
        ("search by a job's name", job),
        ("search by a word of the notes", "flashing".to_owned()),
        ("search by one letter, as typing begins", "B".to_owned()),
        ("search by two letters", "Be".to_owned()),
    ] {
        let (ms, found) = bench.median(&entries(json!({"search": word}), "date", true));
        report(
            what,
            &format!("{word:?}, {found} found; first page, newest first"),
            ms,
        );
    }
    let (ms, found) = bench.median(&entries(
        json!({"search": "Bell", "status": "new"}),
        "label",
        false,
    ));
    report(
        "search among the New, by name",
        &format!("\"Bell\", {found} found; first page"),
        ms,
    );

    for sort in [
        "label",
        "date",
        "key",
        "external_id",
        "status",
        "changed_at",
    ] {
        for descending in [false, true] {
            let order = format!("{sort}{}", if descending { " descending" } else { "" });
            let base = entries(all.clone(), sort, descending);
            let first = bench.page(&base, 1, None);
            let deep = bench.page(&base, 5_000, None);
            for (what, page, after) in [
                ("first page", 1, None),
                (
                    "next page, read on from the last record",
                    2,
                    first.get("last"),
                ),
                ("page 5,000 jumped to", 5_000, None),
                (
                    "page 5,001, read on from page 5,000",
                    5_001,
                    deep.get("last"),
                ),
            ] {
                let ms = bench.median(&at(&base, page, after)).0;
                report(&format!("by {order}: {what}"), "", ms);
            }
        }
    }
    for (status, sort) in [
        ("new", "label"),
        ("imported", "label"),
        ("imported", "changed_at"),
    ] {
        let base = entries(json!({"status": status}), sort, false);
        let (ms, found) = bench.median(&at(&base, 1, None));
        report(
            &format!("status {status}, by {sort}: first page"),
            &format!("{found} records"),
            ms,
        );
        let middle = (found / 200).max(1) as u32;
        let ms = bench.median(&at(&base, middle, None)).0;
        report(
            &format!("status {status}, by {sort}: the middle page jumped to"),
            &format!("page {middle}"),
            ms,
        );
    }
}

/// Each figure as the code before the review's indexes gave it: the same
/// bench at commit c331d00 (its searches read only the label and the id at
/// the source, so a job's name and the notes found nothing).
const BEFORE: &[(&str, f64)] = &[
    ("search by an employee's name", 535.3),
    ("search by a job's name", 1305.3),
    ("search by a word of the notes", 1231.7),
    ("search among the New, by name", 995.1),
    ("by label: first page", 848.6),
    ("by label: next page, read on from the last record", 839.7),
    ("by label: page 5,000 jumped to", 4204.0),
    ("by label: page 5,001, read on from page 5,000", 5054.6),
    ("by label descending: first page", 889.9),
    (
        "by label descending: next page, read on from the last record",
        869.5,
    ),
    ("by label descending: page 5,000 jumped to", 4515.5),
    (
        "by label descending: page 5,001, read on from page 5,000",
        4489.7,
    ),
    ("by date: first page", 0.5),
    ("by date: next page, read on from the last record", 0.5),
    ("by date: page 5,000 jumped to", 30.6),
    ("by date: page 5,001, read on from page 5,000", 46.0),
    ("by date descending: first page", 0.5),
    (
        "by date descending: next page, read on from the last record",
        0.5,
    ),
    ("by date descending: page 5,000 jumped to", 39.3),
    (
        "by date descending: page 5,001, read on from page 5,000",
        42.7,
    ),
    ("by key: first page", 1474.5),
    ("by key: next page, read on from the last record", 1613.8),
    ("by key: page 5,000 jumped to", 7193.7),
    ("by key: page 5,001, read on from page 5,000", 8798.4),
    ("by key descending: first page", 1637.4),
    (
        "by key descending: next page, read on from the last record",
        1507.3,
    ),
    ("by key descending: page 5,000 jumped to", 12796.5),
    (
        "by key descending: page 5,001, read on from page 5,000",
        12552.0,
    ),
    ("by external_id: first page", 0.5),
    (
        "by external_id: next page, read on from the last record",
        0.6,
    ),
    ("by external_id: page 5,000 jumped to", 44.6),
    ("by external_id: page 5,001, read on from page 5,000", 46.6),
    ("by external_id descending: first page", 0.5),
    (
        "by external_id descending: next page, read on from the last record",
        0.5,
    ),
    ("by external_id descending: page 5,000 jumped to", 46.7),
    (
        "by external_id descending: page 5,001, read on from page 5,000",
        45.8,
    ),
    ("by status: first page", 0.5),
    ("by status: next page, read on from the last record", 0.5),
    ("by status: page 5,000 jumped to", 51.3),
    ("by status: page 5,001, read on from page 5,000", 50.0),
    ("by status descending: first page", 0.5),
    (
        "by status descending: next page, read on from the last record",
        0.6,
    ),
    ("by status descending: page 5,000 jumped to", 50.9),
    (
        "by status descending: page 5,001, read on from page 5,000",
        50.6,
    ),
    ("by changed_at: first page", 876.2),
    (
        "by changed_at: next page, read on from the last record",
        868.7,
    ),
    ("by changed_at: page 5,000 jumped to", 2345.6),
    ("by changed_at: page 5,001, read on from page 5,000", 2339.7),
    ("by changed_at descending: first page", 892.0),
    (
        "by changed_at descending: next page, read on from the last record",
        895.3,
    ),
    ("by changed_at descending: page 5,000 jumped to", 4114.9),
    (
        "by changed_at descending: page 5,001, read on from page 5,000",
        4114.5,
    ),
    ("status new, by label: first page", 477.8),
    ("status new, by label: the middle page jumped to", 5413.0),
    ("status imported, by label: first page", 52.9),
    (
        "status imported, by label: the middle page jumped to",
        380.6,
    ),
    ("status imported, by changed_at: first page", 61.5),
    (
        "status imported, by changed_at: the middle page jumped to",
        103.6,
    ),
];

fn report(what: &str, detail: &str, ms: f64) {
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    let before = BEFORE
        .iter()
        .find(|(w, _)| *w == what)
        .map_or_else(String::new, |(_, b)| format!("   before: {b:.1} ms"));
    println!("  {what}{detail}: {ms:.1} ms{before}");
}

/// `query` for page `page`, read on after `after` when given.
fn at(
    query: &serde_json::Value,
    page: u32,
    after: Option<&serde_json::Value>,
) -> serde_json::Value {
    let mut q = query.clone();
    q["page"] = page.into();
    if let Some(after) = after {
        q["after"] = after.clone();
    }
    q
}

struct Bench<'a> {
    api: &'a Api,
    admin: &'a mut Client,
    integration: i64,
}

impl Bench<'_> {
    fn call(&mut self, module: &str, query: &serde_json::Value) -> serde_json::Value {
        self.api
            .call(
                self.admin,
                "list_staged",
                json!({"integration_id": self.integration, "module": module, "query": query}),
            )
            .expect("listed")
    }

    fn page(
        &mut self,
        query: &serde_json::Value,
        page: u32,
        after: Option<&serde_json::Value>,
    ) -> serde_json::Value {
        self.call("time_entries", &at(query, page, after))
    }

    /// The median of REPS calls (25), and how many records the filter keeps.
    fn median(&mut self, query: &serde_json::Value) -> (f64, u64) {
        let mut samples = Vec::new();
        let mut total = 0;
        for _ in 0..env("REPS", 25) {
            let started = Instant::now();
            let result = self.call("time_entries", query);
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            total = result["total"].as_u64().unwrap_or(0);
        }
        (median(samples), total)
    }
}

/// A word of a job's name that is not every job's.
fn job_word(bench: &mut Bench<'_>) -> String {
    let jobs = bench.call("jobs", &json!({"page_size": 50}));
    let labels: Vec<String> = jobs["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r["label"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let words: Vec<&str> = labels
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|w| w.len() >= 4)
        .collect();
    words
        .iter()
        .find(|w| words.iter().filter(|x| x == w).count() < labels.len() / 4)
        .map_or_else(|| "Roof".to_owned(), |w| w.to_string())
}
