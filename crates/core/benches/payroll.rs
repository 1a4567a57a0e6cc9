//! Payroll hours at scale: 1,000 employees over a biweekly period (about
//! 20,000 time entries), daily and weekly overtime on, read from SQLite and
//! split, as the payroll page asks for them.
//!
//! Then each payroll file of that period (CSV, IIF, Sage 300 CRE), from the
//! database to the file's bytes, as the export command writes them.
//!
//! `cargo bench -p timebridge-core --bench payroll` (EMPLOYEES=N for another size).

use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use timebridge_core::Store;
use timebridge_core::payroll::settings::{PayFrequency, PayrollSettings};
use timebridge_core::payroll::{self, periods};
use timebridge_core::rusqlite::params;

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn local(zone: Tz, day: NaiveDate, hour: u32, minute: u32) -> DateTime<Tz> {
    let time = day.and_hms_opt(hour, minute, 0).expect("a time of day");
    zone.from_local_datetime(&time)
        .earliest()
        .expect("exists in the zone")
}

fn main() {
    let employees: i64 = std::env::var("EMPLOYEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let dir = tempfile::tempdir().expect("temp folder");
    let store = Store::open(&dir.path().join("timebridge.db")).expect("database");
    let zone = chrono_tz::America::Chicago;
    let monday = NaiveDate::from_ymd_opt(2026, 10, 26).expect("a date");
    let mut settings = PayrollSettings::defaults(monday);
    settings.time_zone = "America/Chicago".into();
    settings.frequency = PayFrequency::Biweekly;
    settings.anchor = monday;
    settings.overtime.daily_after_seconds = Some(8 * 3600);
    settings.overtime.daily_double_after_seconds = Some(12 * 3600);
    let period = periods::containing(&settings, monday);

    // Ten working days, two entries a day on two jobs; every third day runs
    // late into daily overtime and double time, so weeks pass 40 hours too.
    // 1 November (a Sunday here) is the DST change.
    let began = Instant::now();
    let entries = store
        .write(|tx| {
            let now = "2026-11-10T00:00:00.000Z";
            for job in 1..=50 {
                tx.execute(
                    "INSERT INTO jobs (name, job_number, created_at, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?3, 'bench')",
                    params![format!("Job {job}"), format!("26-{job:03}"), now],
                )?;
            }
            let mut employee = tx.prepare(
                "INSERT INTO employees (first_name, last_name, employee_number, created_at, updated_at, updated_by)
                 VALUES ('Worker', ?1, ?1, ?2, ?2, 'bench')",
            )?;
            let mut entry = tx.prepare(
                "INSERT INTO time_entries (employee_id, job_id, kind, start_utc, start_offset, end_utc,
                   end_offset, work_date, duration_seconds, created_at, updated_at, updated_by)
                 VALUES (?1, ?2, 'clock', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 'bench')",
            )?;
            let mut count = 0u64;
            for e in 1..=employees {
                employee.execute(params![format!("{e:05}"), now])?;
                let employee_id = tx.last_insert_rowid();
                for (n, day) in period.days().enumerate() {
                    if day.weekday().number_from_monday() > 5 {
                        continue;
                    }
                    let late = (e + n as i64) % 3 == 0;
                    let spans = [
                        ((6, 30), (11, 0), e % 50 + 1),
                        ((11, 0), (if late { 19 } else { 15 }, 0), (e + 7) % 50 + 1),
                    ];
                    for ((h1, m1), (h2, m2), job) in spans {
                        let s = local(zone, day, h1, m1);
                        let f = local(zone, day, h2, m2);
                        entry.execute(params![
                            employee_id,
                            job,
                            s.timestamp(),
                            s.offset().fix().local_minus_utc(),
                            f.timestamp(),
                            f.offset().fix().local_minus_utc(),
                            day.to_string(),
                            (f - s).num_seconds(),
                            now
                        ])?;
                        count += 1;
                    }
                }
            }
            Ok(count)
        })
        .expect("company written");
    println!(
        "company: {employees} employees, {entries} time entries from {} to {} (written in {:.1} s)",
        period.start,
        period.end,
        began.elapsed().as_secs_f64()
    );

    let now = Utc.with_ymd_and_hms(2026, 11, 10, 12, 0, 0).unwrap();
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..11 {
        let began = Instant::now();
        let report = store
            .read(|conn| payroll::hours_for_period(conn, &settings, period, now))
            .expect("hours");
        samples.push(began.elapsed().as_secs_f64() * 1000.0);
        last = Some(report);
    }
    let report = last.expect("ran");
    let totals: Vec<String> = report
        .totals
        .iter()
        .map(|t| {
            let code = report.pay_id(t.pay_id).map_or("?", |p| p.code.as_str());
            format!("{code} {:.0} h", t.seconds as f64 / 3600.0)
        })
        .collect();
    println!(
        "payroll hours: {} employees, {} lines ({}), median of 11: {:.1} ms (target 300 ms)",
        report.employees.len(),
        report
            .employees
            .iter()
            .map(|e| e.hours.lines.len())
            .sum::<usize>(),
        totals.join(", "),
        median(samples)
    );

    // The files: settings saved, the pay IDs mapped for QuickBooks.
    let admin = timebridge_core::audit::Actor::cli();
    store
        .write(|tx| {
            payroll::settings::save(tx, &settings, &admin, now)?;
            let mut files = payroll::files::FileSettings::default();
            files.iif.company_name = "Bench Builders LLC".into();
            files.iif.company_create_time = "1132784478".into();
            payroll::files::save(tx, &files, &admin, now)?;
            for (code, item) in [
                ("REG", "Hourly Rate"),
                ("OT", "Overtime Rate"),
                ("DT", "Double-time Rate"),
            ] {
                let pay_id: i64 =
                    tx.query_row("SELECT id FROM pay_ids WHERE code = ?1", [code], |r| {
                        r.get(0)
                    })?;
                payroll::targets::set_pay_item(
                    tx,
                    payroll::targets::Target::File {
                        format: payroll::targets::FileFormat::Iif,
                    },
                    &payroll::targets::PayItemMap {
                        pay_id,
                        employee_id: None,
                        item: item.into(),
                        item_external_id: None,
                    },
                    &admin,
                    now,
                )?;
            }
            Ok(())
        })
        .expect("file settings saved");
    for format in payroll::targets::FileFormat::ALL {
        let mut samples = Vec::new();
        let mut size = (0, 0);
        for _ in 0..7 {
            let began = Instant::now();
            let file = store
                .read(|conn| payroll::export(conn, Some(monday), format, now))
                .expect("the file is written");
            samples.push(began.elapsed().as_secs_f64() * 1000.0);
            size = (file.lines, file.bytes.len());
        }
        println!(
            "payroll file {:<32} {} lines, {} KiB, median of 7: {:.1} ms (target 1000 ms)",
            format.label(),
            size.0,
            size.1 / 1024,
            median(samples)
        );
    }
}
