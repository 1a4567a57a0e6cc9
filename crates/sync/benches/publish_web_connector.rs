//! Publishing a pay period into QuickBooks Desktop through the Web
//! Connector: 1,000 employees, two weeks (one biweekly period), each
//! employee 4 hours on each of two jobs every weekday, so 20,000
//! `TimeTrackingAdd` lines. The publication is queued, then one update of
//! the emulated Web Connector over loopback sends it (after the company
//! query, before the lists) as the real one does, one qbXML document per
//! SOAP round trip.
//!
//! Every sixth employee of the generated company file is salaried (does
//! not use time data for paychecks), so QuickBooks refuses their lines
//! with a payroll item: they are still sent and answered, and the bench
//! reports accepted and refused lines separately rather than mapping
//! around them.
//!
//! What is measured, for the publishing update:
//!
//! - the update's wall time, until its sync run has ended, and the wall
//!   time of a second update with nothing to publish (the lists only), so
//!   their difference is what publishing adds;
//! - how the time splits. Timebridge (its SOAP server and engine) runs on
//!   its own Tokio runtime, on threads named `timebridge`; the emulated
//!   Web Connector and the emulated company file run on this main thread
//!   alone (a current-thread runtime, calling `127.0.0.1` so no resolver
//!   thread starts). The Web Connector waits for each answer before its
//!   next call, so the two sides take turns: the emulator's share is the
//!   main thread's CPU time over the update, Timebridge's share of the
//!   wall time is the rest (it also holds loopback and scheduling delays,
//!   so it is an upper bound), and Timebridge's CPU time is the process'
//!   CPU time less the main thread's (`/proc`, 10 ms ticks). Of the
//!   emulator's share, the part inside QuickBooks (`Company::answer`) is
//!   timed by replaying the update's qbXML requests, in order, on a copy
//!   of the company file as it was before the update;
//! - qbXML round trips (sendRequestXML / receiveResponseXML pairs), by
//!   request type from the company file's requests;
//! - lines per second: lines answered over the publishing update's wall
//!   time;
//! - peak memory: `VmHWM`, reset (`/proc/self/clear_refs`) before the
//!   update. It is the whole process, the emulator included: the company
//!   file's 20,000 transactions and the Web Connector's transcript of every
//!   SOAP call and answer live in it too.
//!
//! Also timed: `publish` itself, which only queues the publication.
//!
//! `cargo bench -p timebridge-sync --bench publish_web_connector`
//! (EMPLOYEES=N, WEEKS=N for another size; WEEKS sets the pay period).
//! Linux only (the CPU and memory figures read `/proc`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Utc};
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::import::{ImportOptions, Importer};
use timebridge_core::middleware::integrations::{self, IntegrationSettings, WebConnectorSettings};
use timebridge_core::middleware::runs::{self, RunOutcome};
use timebridge_core::payroll::publish;
use timebridge_core::payroll::settings::{self, PayFrequency, PayrollSettings};
use timebridge_core::payroll::targets::{self, PayItemMap, Target};
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_core::time::SystemClock;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, List, WebConnector};
use timebridge_sync::{Engine, EngineOptions};

const USERNAME: &str = "bench";
const PASSWORD: &str = "bench-password";
/// Each line: one employee, one weekday, one job.
const LINE_SECONDS: i64 = 4 * 3600;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn admin() -> Actor {
    Actor {
        operator_id: None,
        name: "Office admin".into(),
    }
}

/// CPU seconds (user + system) in a `/proc/…/stat` file.
fn cpu_seconds(stat: &str) -> f64 {
    let text = std::fs::read_to_string(stat).expect("/proc is readable");
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = text[text.rfind(')').expect("a stat line") + 2..]
        .split_whitespace()
        .collect();
    // utime and stime, fields 14 and 15 of the whole line, in USER_HZ (100).
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    ticks as f64 / 100.0
}

/// CPU seconds of the whole process, and of the calling thread.
fn cpu() -> (f64, f64) {
    (
        cpu_seconds("/proc/self/stat"),
        cpu_seconds("/proc/thread-self/stat"),
    )
}

/// A `Vm…` figure of `/proc/self/status`, in MB.
fn memory_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc is readable");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn ids(tx: &rusqlite::Transaction<'_>, sql: &str) -> timebridge_core::Result<Vec<i64>> {
    Ok(tx
        .prepare(sql)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Waits for integration `id`'s last run to end.
fn ended_run(store: &Store, id: i64) -> RunOutcome {
    loop {
        let run = store
            .read(|c| runs::latest(c, id))
            .expect("readable")
            .expect("a run");
        if run.outcome != RunOutcome::Running {
            return run.outcome;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The setup as the admin leaves it before publishing: a connection that
/// publishes, its lists synced and imported, a biweekly period of time,
/// every pay ID mapped to QuickBooks' Hourly Rate. Returns the pay
/// period's first day and the lines it makes.
fn prepare(store: &Store, id: i64, wc: &WebConnector, weeks: usize) -> (NaiveDate, usize) {
    let today = Utc::now().date_naive();
    let this_monday =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start = this_monday - chrono::Duration::weeks(weeks as i64);
    let hourly = {
        let company = wc.company.lock().expect("company");
        company.list(List::PayrollWageItems)[0]["ListID"]
            .as_str()
            .expect("a ListID")
            .to_owned()
    };
    let now = Utc::now();
    let actor = admin();
    let lines = store
        .write(|tx| {
            let mut payroll = PayrollSettings::defaults(today);
            payroll.time_zone = "UTC".into();
            payroll.frequency = if weeks == 1 {
                PayFrequency::Weekly
            } else {
                PayFrequency::Biweekly
            };
            payroll.anchor = start;
            settings::save(tx, &payroll, &actor, now)?;
            for module in [
                Module::Employees,
                Module::Customers,
                Module::Jobs,
                Module::Tasks,
                Module::PayItems,
            ] {
                let staged = ids(
                    tx,
                    &format!(
                        "SELECT id FROM staged_records WHERE integration_id = {id} AND module = '{}'",
                        module.as_str()
                    ),
                )?;
                Importer::new(tx, id, &ImportOptions::default(), &actor, now)?
                    .import(module, &staged)?;
            }
            let employees = ids(tx, "SELECT id FROM employees ORDER BY id")?;
            let jobs = ids(tx, "SELECT id FROM jobs ORDER BY id")?;
            let task = ids(tx, "SELECT id FROM tasks ORDER BY id")?[0];
            let weekdays = (0..weeks as i64 * 7)
                .map(|d| start + chrono::Duration::days(d))
                .filter(|d| d.weekday().num_days_from_monday() < 5);
            let mut lines = 0;
            for date in weekdays {
                for employee in &employees {
                    for job in &jobs {
                        let draft = TimeEntryDraft {
                            employee_id: *employee,
                            job_id: Some(*job),
                            task_id: Some(task),
                            pay_id: None,
                            span: TimeSpan::Manual {
                                date,
                                duration_seconds: LINE_SECONDS,
                            },
                            notes: String::new(),
                        };
                        time_entries::create(tx, &draft, &NewRecordSource::Manual, &actor, now)?;
                        lines += 1;
                    }
                }
            }
            for pay_id in ids(tx, "SELECT id FROM pay_ids")? {
                let map = PayItemMap {
                    pay_id,
                    employee_id: None,
                    item: "Hourly Rate".into(),
                    item_external_id: Some(hourly.clone()),
                };
                targets::set_pay_item(tx, Target::Integration { id }, &map, &actor, now)?;
            }
            Ok(lines)
        })
        .expect("time and mapping");
    (start, lines)
}

/// The qbXML request types of `requests`, each with how many documents
/// carried it.
fn request_kinds(requests: &[String]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for request in requests {
        let kind = [
            "TimeTrackingAddRq",
            "TimeTrackingModRq",
            "TxnDelRq",
            "TimeTrackingQueryRq",
            "CompanyQueryRq",
            "EmployeeQueryRq",
            "CustomerQueryRq",
            "ItemServiceQueryRq",
            "PayrollItemWageQueryRq",
        ]
        .into_iter()
        .find(|k| request.contains(&format!("<{k}")))
        .unwrap_or("other");
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds
        .iter()
        .map(|(k, n)| format!("{n} × {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let employees = size("EMPLOYEES", 1_000);
    let weeks = size("WEEKS", 2).max(1);
    // Timebridge on threads of its own; the emulators on this one.
    let timebridge = tokio::runtime::Builder::new_multi_thread()
        .thread_name("timebridge")
        .thread_keep_alive(Duration::from_secs(3600))
        .enable_all()
        .build()
        .expect("Timebridge's runtime");
    let emulator = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the emulators' runtime");

    let dir = tempfile::tempdir().expect("temp folder");
    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let secrets = Arc::new(MemorySecrets::default());
    let (engine, url) = timebridge.block_on(async {
        let engine = Engine::new(
            store.clone(),
            secrets.clone() as Arc<dyn SecretStore>,
            Arc::new(SystemClock),
            EngineOptions::default(),
        );
        let url = engine
            .web_connector()
            .listen("http://127.0.0.1:0/qbwc")
            .await
            .expect("a loopback port");
        (engine, url)
    });
    let now = Utc::now();
    let mut integration = IntegrationSettings::defaults(now);
    integration.base_url = Some(url.clone());
    integration.web_connector = Some(WebConnectorSettings {
        username: USERNAME.into(),
        owner_id: "{o}".into(),
        file_id: "{f}".into(),
        app_name: "Timebridge · bench".into(),
        publishing: true,
    });
    let id = store
        .write(|tx| {
            integrations::create(
                tx,
                "quickbooks_desktop",
                "bench",
                &integration,
                &admin(),
                now,
            )
        })
        .expect("integration")
        .id;
    Credentials::access_token(PASSWORD)
        .save(secrets.as_ref(), id)
        .expect("saved");
    let spec = CompanySpec {
        employees,
        customers: 1,
        jobs_per_customer: 2,
        service_items: 2,
        ..CompanySpec::default()
    };
    let wc = WebConnector::new(&url, Company::generate(&spec));
    emulator
        .block_on(wc.update(USERNAME, PASSWORD))
        .expect("the first update");
    assert_eq!(
        ended_run(&store, id),
        RunOutcome::Succeeded,
        "the lists are read"
    );
    timebridge
        .block_on(engine.payroll().refresh_items(id))
        .expect("the payroll items");
    let (start, lines) = prepare(&store, id, &wc, weeks);
    println!(
        "company file: {employees} employees (every 6th salaried), 1 customer with 2 jobs; \
         {weeks} weeks from {start}: {lines} lines"
    );

    let queued = Instant::now();
    let result = timebridge
        .block_on(engine.payroll().publish(id, Some(start), &admin()))
        .expect("the publication is queued");
    let queued = queued.elapsed().as_secs_f64();
    let publication = result.publications.last().expect("a publication").id;
    println!("publish (queueing {lines} lines): {queued:.2} s");

    let before = wc.company.lock().expect("company").clone();
    let asked_before = before.requests.len();
    println!(
        "memory before the update: VmHWM {:.0} MB, VmRSS {:.0} MB",
        memory_mb("VmHWM"),
        memory_mb("VmRSS")
    );
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak is reset");
    let (process_before, emulator_before) = cpu();
    let started = Instant::now();
    let update = emulator
        .block_on(wc.update(USERNAME, PASSWORD))
        .expect("the publishing update");
    let outcome = ended_run(&store, id);
    let wall = started.elapsed().as_secs_f64();
    let (process_after, emulator_after) = cpu();
    let peak = memory_mb("VmHWM");
    let emulator_cpu = emulator_after - emulator_before;
    let timebridge_cpu = (process_after - process_before) - emulator_cpu;

    let sent = store
        .read(|c| publish::publication(c, publication))
        .expect("readable");
    let requests: Vec<String> =
        wc.company.lock().expect("company").requests[asked_before..].to_vec();
    let mut replay = before;
    let answering = Instant::now();
    for request in &requests {
        // Only the time matters here: the answers were checked by the update.
        let _ = replay.answer(request);
    }
    let answering = answering.elapsed().as_secs_f64();

    let second = Instant::now();
    emulator
        .block_on(wc.update(USERNAME, PASSWORD))
        .expect("the second update");
    let lists_outcome = ended_run(&store, id);
    let lists_only = second.elapsed().as_secs_f64();

    println!(
        "publishing update: run {outcome:?}, publication {:?} ({} lines: {} accepted, {} refused \
         (salaried employees), {:.0} h accepted)",
        sent.outcome,
        sent.lines,
        sent.accepted_lines,
        sent.rejected_lines,
        sent.accepted_seconds as f64 / 3600.0
    );
    println!(
        "  wall {wall:.2} s, {} qbXML round trips ({})",
        update.percents.len(),
        request_kinds(&requests)
    );
    println!(
        "  emulated Web Connector + QuickBooks: {emulator_cpu:.2} s CPU, of which \
         QuickBooks answering {answering:.2} s"
    );
    println!(
        "  Timebridge: {:.2} s of the wall time (wall − emulator), {timebridge_cpu:.2} s CPU",
        wall - emulator_cpu
    );
    println!(
        "  {:.0} lines/s end to end; peak memory (VmHWM, whole process, emulator included) {peak:.0} MB",
        sent.lines as f64 / wall
    );
    println!(
        "update with nothing to publish (lists only): run {lists_outcome:?} in {lists_only:.2} s; \
         publishing added {:.2} s",
        wall - lists_only
    );
}
