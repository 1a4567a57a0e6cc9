//! CSV files throughput: one export of 100,000 rows (500 employees, 40
//! jobs, clock times, a break on every other row) read with a saved layout
//! and staged end to end into an on-disk database through the engine.
//! Prints rows per second (target: 100,000 or more), then an immediate
//! re-sync of the same file (its time, and how many staged rows it wrote:
//! none). The connector's read alone (no database) is timed first.
//!
//! `cargo bench -p timebridge-sync --bench sync_csv` (ROWS=N for another size).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use timebridge_connectors::csv_files::CsvFiles;
use timebridge_connectors::folder::{FolderOptions, FolderSource};
use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::csv_layouts::{self, CsvColumn, CsvDuration, CsvField, CsvLayout};
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::time::SystemClock;
use timebridge_sync::{Engine, EngineOptions};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod shared;

const HEADER: &str = "Employee,Emp #,Date,Clock In,Clock Out,Break,Job,Cost Code,Notes";

fn layout() -> CsvLayout {
    let fields = [
        CsvField::Employee,
        CsvField::EmployeeNumber,
        CsvField::Date,
        CsvField::Start,
        CsvField::End,
        CsvField::Break,
        CsvField::Job,
        CsvField::Task,
        CsvField::Notes,
    ];
    CsvLayout {
        name: "Bench export".into(),
        columns: HEADER
            .split(',')
            .zip(fields)
            .map(|(header, field)| CsvColumn {
                header: header.into(),
                field: Some(field),
            })
            .collect(),
        has_header: true,
        delimiter: ",".into(),
        date_format: "%m/%d/%Y".into(),
        time_format: "%I:%M %p".into(),
        duration_format: CsvDuration::HoursMinutes,
        time_zone: Some("America/Chicago".into()),
    }
}

/// `rows` shifts: each employee one a day, from `first` on.
fn export(rows: usize, first: NaiveDate) -> String {
    let mut text = String::with_capacity(rows * 90);
    text.push_str(HEADER);
    text.push('\n');
    for i in 0..rows {
        let (employee, day) = (i % 500, i / 500);
        let date = first + Duration::days(day as i64);
        let start = 6 + (i % 4);
        let _ = writeln!(
            text,
            "Worker {employee},E{employee},{},{start}:00 AM,{}:30 PM,{},Job {},Code {},row {i}",
            date.format("%m/%d/%Y"),
            start - 4,
            if i % 2 == 0 { "0:30" } else { "" },
            i % 40,
            i % 12
        );
    }
    text
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::var("ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let now = Utc::now();
    let first = (now - Duration::days(rows.div_ceil(500) as i64 + 1)).date_naive();
    let dir = tempfile::tempdir().expect("temp folder");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).expect("a folder");
    let file = exports.join("time.csv");
    std::fs::write(&file, export(rows, first)).expect("the export is written");
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());

    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let mut settings = IntegrationSettings::defaults(now);
    settings.pull_from = first;
    settings.folder = Some(file.display().to_string());
    settings.csv_layout = Some("Bench export".into());
    let integration = store
        .write(|tx| {
            csv_layouts::save(tx, &layout(), &Actor::system(), now)?;
            integrations::create(tx, "csv_files", "CSV", &settings, &Actor::system(), now)
        })
        .expect("integration")
        .id;
    let engine = Engine::new(
        store.clone(),
        Arc::new(MemorySecrets::default()) as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        EngineOptions::default(),
    );
    println!(
        "export: {rows} rows, {:.1} MiB, one file",
        size as f64 / 1024.0 / 1024.0
    );
    // The connector alone: the file read, each row checked, the records made
    // (their data as the text staged, as a sync reads them).
    let options = FolderOptions {
        zone: "America/Chicago".parse().expect("a zone"),
        pull_from: first,
        layout: Some(layout()),
    };
    let (started, cpu) = (Instant::now(), shared::cpu_seconds());
    let read = CsvFiles
        .read_serialized(std::slice::from_ref(&file), &options)
        .expect("read");
    let alone = started.elapsed().as_secs_f64();
    let alone_cpu = shared::cpu_seconds() - cpu;
    let made: usize = read.modules.iter().map(|(_, r)| r.len()).sum();
    println!(
        "reading alone (no database): {alone:.2} s (cpu {alone_cpu:.2} s) → {:.0} rows/s; {made} records made",
        rows as f64 / alone
    );
    drop(read);
    let (started, cpu) = (Instant::now(), shared::cpu_seconds());
    let run = engine
        .runs()
        .sync(integration, RunTrigger::CommandLine)
        .await
        .expect("run");
    let elapsed = started.elapsed().as_secs_f64();
    let first_cpu = shared::cpu_seconds() - cpu;
    let entries = run.counts.get("time_entries").map_or(0, |c| c.new);
    println!(
        "first sync: {:?} in {elapsed:.2} s (cpu {first_cpu:.2} s); {entries} time entries staged → {:.0} rows/s end to end (target ≥ 100,000)",
        run.outcome,
        entries as f64 / elapsed
    );
    let since = timebridge_core::time::to_db(Utc::now());
    let (started, cpu) = (Instant::now(), shared::cpu_seconds());
    let again = engine
        .runs()
        .sync(integration, RunTrigger::CommandLine)
        .await
        .expect("run");
    let resync = started.elapsed().as_secs_f64();
    let resync_cpu = shared::cpu_seconds() - cpu;
    let written = shared::written_since(&store, &since);
    let unchanged = again.counts.get("time_entries").map_or(0, |c| c.unchanged);
    println!(
        "re-sync of the same file: {:?} in {resync:.2} s (cpu {resync_cpu:.2} s, {:.0} rows/s); {unchanged} entries unchanged; staged rows written: {written}",
        again.outcome,
        rows as f64 / resync
    );
}
