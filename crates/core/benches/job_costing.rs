//! Job costing at scale: 2,000 jobs of 10 tasks each, budgeted, and
//! 1,000,000 time entries over two years by 400 employees in crews of eight,
//! each with a wage change; the whole costing report, and one job in
//! detail, read from SQLite as the Jobs page asks for them.
//!
//! `cargo bench -p timebridge-core --bench job_costing` (ENTRIES=N, JOBS=N
//! for another size). Target: the report in under 200 ms.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use timebridge_core::Store;
use timebridge_core::costing::{self, CostingQuery};
use timebridge_core::rusqlite::params;

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn size(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let entries = size("ENTRIES", 1_000_000);
    let jobs = size("JOBS", 2_000);
    let employees = 400;
    let tasks_per_job = 10;
    let dir = tempfile::tempdir().expect("temp folder");
    let store = Store::open(&dir.path().join("timebridge.db")).expect("database");
    let first_day = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date");
    let began = Instant::now();
    store
        .write(|tx| {
            let now = "2026-12-01T00:00:00.000Z";
            let mut employee = tx.prepare(
                "INSERT INTO employees (id, first_name, last_name, employee_number, created_at, updated_at, updated_by)
                 VALUES (?1, 'Worker', ?2, ?2, ?3, ?3, 'bench')",
            )?;
            let mut wage = tx.prepare(
                "INSERT INTO employee_wages (employee_id, effective_from, cents_per_hour, source_kind, created_at, updated_by)
                 VALUES (?1, ?2, ?3, 'manual', ?4, 'bench')",
            )?;
            for e in 1..=employees {
                employee.execute(params![e, format!("{e:05}"), now])?;
                wage.execute(params![e, "2024-01-01", 2000 + e, now])?;
                wage.execute(params![e, "2025-07-01", 2200 + e, now])?;
            }
            let mut job = tx.prepare(
                "INSERT INTO jobs (id, name, job_number, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?2, ?3, ?3, 'bench')",
            )?;
            let mut task = tx.prepare(
                "INSERT INTO tasks (id, job_id, code, name, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?4, 'bench')",
            )?;
            let mut budget = tx.prepare(
                "INSERT INTO budgets (job_id, task_id, budget_seconds, amount_cents, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, 'bench')",
            )?;
            let per_job = entries / jobs;
            for j in 1..=jobs {
                job.execute(params![j, format!("Job {j:05}"), now])?;
                // Budgeted near what is worked: some on track, some over.
                let hours = per_job * 8 * (80 + j % 40) / 100;
                budget.execute(params![j, Option::<i64>::None, hours * 3600, hours * 2500, now])?;
                for t in 1..=tasks_per_job {
                    let id = (j - 1) * tasks_per_job + t;
                    task.execute(params![id, j, format!("T{t:02}"), now])?;
                    budget.execute(params![j, id, hours * 360, Option::<i64>::None, now])?;
                }
            }
            let mut entry = tx.prepare(
                "INSERT INTO time_entries (employee_id, job_id, task_id, kind, work_date, duration_seconds, created_at, updated_at, updated_by,
                     wage_cents_per_hour)
                 VALUES (?1, ?2, ?3, 'manual', ?4, ?5, ?6, ?6, 'bench',
                     (SELECT cents_per_hour FROM employee_wages WHERE employee_id = ?1 AND effective_from <= ?4
                      ORDER BY effective_from DESC LIMIT 1))",
            )?;
            for n in 0..entries {
                let j = n % jobs + 1;
                // A crew of eight per job, from the 400.
                let e = ((j * 8) + (n / jobs) % 8) % employees + 1;
                let t = (j - 1) * tasks_per_job + (n / jobs) % tasks_per_job + 1;
                let day = first_day + Duration::days((n * 7) % 730);
                entry.execute(params![e, j, t, day.to_string(), 4 * 3600 + (n % 5) * 1800, now])?;
            }
            Ok(())
        })
        .expect("the company is written");
    println!(
        "job costing: {jobs} jobs, {} tasks, {entries} time entries written in {:.1} s",
        jobs * tasks_per_job,
        began.elapsed().as_secs_f64()
    );

    let mut samples = Vec::new();
    let mut shown = 0;
    for _ in 0..11 {
        let began = Instant::now();
        let report = store
            .read(|conn| costing::report(conn, &CostingQuery::default()))
            .expect("the report reads");
        samples.push(began.elapsed().as_secs_f64() * 1000.0);
        shown = report.jobs.len();
    }
    println!(
        "job costing report: {shown} jobs with their tasks, median of 11: {:.1} ms (target 200 ms)",
        median(samples)
    );

    let mut samples = Vec::new();
    for n in 0..11 {
        let began = Instant::now();
        let detail = store
            .read(|conn| {
                costing::job_detail(
                    conn,
                    n * 97 % jobs + 1,
                    NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date"),
                )
            })
            .expect("the detail reads");
        samples.push(began.elapsed().as_secs_f64() * 1000.0);
        assert!(!detail.weeks.is_empty(), "the job has weeks of time");
    }
    println!(
        "job detail (weeks and workers of one job): median of 11: {:.1} ms",
        median(samples)
    );
}
