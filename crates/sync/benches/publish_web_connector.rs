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
//! The emulated Web Connector and company file run in a child process
//! (this bench binary again, started with `TIMEBRIDGE_BENCH_WEB_CONNECTOR`
//! set to Timebridge's address, driven one update per line on its stdin),
//! so each side's CPU time and memory are its own process'. Measured, for
//! the publishing update:
//!
//! - the update's wall time, until its sync run has ended, and the wall
//!   time of a second update with nothing to publish (the lists only), so
//!   their difference is what publishing adds;
//! - how the time splits: the Web Connector waits for each answer before
//!   its next call, so the two sides take turns. The emulator's share is
//!   its process' CPU time over the update; Timebridge's share of the wall
//!   time is the rest (it also holds loopback and scheduling delays, so it
//!   is an upper bound, loose on a busy machine), beside Timebridge's own
//!   CPU time (this process', from `/proc`, 10 ms ticks). Of the
//!   emulator's share, the part inside QuickBooks (`Company::answer`) is
//!   the CPU time of replaying the update's qbXML requests, in order, on a
//!   copy of the company file as it was before the update;
//! - qbXML round trips (sendRequestXML / receiveResponseXML pairs), by
//!   request type from the company file's requests;
//! - lines per second: the publication's lines over the publishing
//!   update's wall time;
//! - peak memory, `VmHWM`: Timebridge's process (reset with
//!   `/proc/self/clear_refs` before the update, so it is the update's
//!   peak; the bench's own setup is part of the resident base it starts
//!   from, printed before), and the emulator's process (whose company file
//!   holds every transaction and whose Web Connector keeps a transcript of
//!   every SOAP call and answer).
//!
//! Also timed: `publish` itself, which only queues the publication.
//!
//! `cargo bench -p timebridge-sync --bench publish_web_connector`
//! (EMPLOYEES=N, WEEKS=N for another size; WEEKS sets the pay period).
//! Linux only (the CPU and memory figures read `/proc`).

use std::io::{BufRead, Write};
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
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, WebConnector};
use timebridge_sync::{Engine, EngineOptions};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// CPU seconds (user + system) of this whole process so far.
fn cpu() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").expect("/proc is readable");
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = text[text.rfind(')').expect("a stat line") + 2..]
        .split_whitespace()
        .collect();
    // utime and stime, fields 14 and 15 of the whole line, in USER_HZ (100).
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    ticks as f64 / 100.0
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

/// What the admin does between the first update and publishing: saves a
/// pay period of `weeks` ending last Sunday, imports the lists the
/// update staged, enters the time and maps every pay ID to QuickBooks'
/// Hourly Rate (ListID `hourly`). Returns the period's first day and the
/// lines it makes.
fn prepare(store: &Store, id: i64, hourly: &str, weeks: usize) -> (NaiveDate, usize) {
    let today = Utc::now().date_naive();
    let this_monday =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start = this_monday - chrono::Duration::weeks(weeks as i64);
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
                    item_external_id: Some(hourly.to_owned()),
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

/// The spec of the company file, from the environment.
fn company_spec() -> CompanySpec {
    CompanySpec {
        employees: size("EMPLOYEES", 1_000),
        customers: 1,
        jobs_per_customer: 2,
        service_items: 2,
        ..CompanySpec::default()
    }
}

/// The child process: the emulated Web Connector in front of the company
/// file, calling Timebridge at `url`. Each line on stdin runs one update;
/// its figures come back as one line on stdout (see [`Figures`]).
fn web_connector(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the emulators' runtime");
    let wc = WebConnector::new(url, Company::generate(&company_spec()));
    for _ in std::io::stdin().lines() {
        let before = wc.company.lock().expect("company").clone();
        let cpu_before = cpu();
        let update = runtime
            .block_on(wc.update(USERNAME, PASSWORD))
            .expect("the update runs");
        let cpu_after = cpu();
        let requests =
            wc.company.lock().expect("company").requests[before.requests.len()..].to_vec();
        let mut replay = before;
        let answering = cpu();
        for request in &requests {
            // Only the time matters: the update itself checked the answers.
            let _ = replay.answer(request);
        }
        let figures = Figures {
            round_trips: update.percents.len(),
            cpu: cpu_after - cpu_before,
            answering: cpu() - answering,
            peak_mb: memory_mb("VmHWM"),
            requests: request_kinds(&requests),
        };
        println!("{}", figures.line());
    }
}

/// What the Web Connector's process reports of one update.
struct Figures {
    round_trips: usize,
    /// CPU seconds of the emulator's process over the update.
    cpu: f64,
    /// CPU seconds inside QuickBooks (`Company::answer`), replayed.
    answering: f64,
    peak_mb: f64,
    /// The qbXML request types, counted.
    requests: String,
}

impl Figures {
    fn line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.round_trips, self.cpu, self.answering, self.peak_mb, self.requests
        )
    }

    fn parse(line: &str) -> Figures {
        let fields: Vec<&str> = line.trim_end().splitn(5, '\t').collect();
        let number = |i: usize| fields[i].parse::<f64>().expect("a figure");
        Figures {
            round_trips: number(0) as usize,
            cpu: number(1),
            answering: number(2),
            peak_mb: number(3),
            requests: fields[4].to_owned(),
        }
    }
}

/// The emulated Web Connector's process, driven from Timebridge's.
struct Emulator {
    child: std::process::Child,
    answers: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Emulator {
    fn start(url: &str) -> Emulator {
        let mut child = std::process::Command::new(std::env::current_exe().expect("this bench"))
            .env(CHILD, url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the Web Connector's process starts");
        let stdout = child.stdout.take().expect("its stdout");
        Emulator {
            child,
            answers: std::io::BufReader::new(stdout).lines(),
        }
    }

    /// One update, as *Update Selected* runs it.
    fn update(&mut self) -> Figures {
        let stdin = self.child.stdin.as_mut().expect("its stdin");
        writeln!(stdin, "update").expect("the Web Connector is told");
        let line = self
            .answers
            .next()
            .expect("the update is answered")
            .expect("readable");
        Figures::parse(&line)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Its stdin closes: it ends.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Set in the child process to the address of Timebridge's SOAP server.
const CHILD: &str = "TIMEBRIDGE_BENCH_WEB_CONNECTOR";

fn main() {
    if let Ok(url) = std::env::var(CHILD) {
        return web_connector(&url);
    }
    let weeks = size("WEEKS", 2).max(1);
    let timebridge = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("Timebridge's runtime");
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
        class: None,
        billable: None,
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
    let mut emulator = Emulator::start(&url);
    emulator.update();
    assert_eq!(
        ended_run(&store, id),
        RunOutcome::Succeeded,
        "the lists are read"
    );
    let items = timebridge
        .block_on(engine.payroll().refresh_items(id))
        .expect("the payroll items");
    let hourly = items
        .iter()
        .find(|i| i.name == "Hourly Rate")
        .expect("QuickBooks' Hourly Rate")
        .external_id
        .clone();
    let (start, lines) = prepare(&store, id, &hourly, weeks);
    println!(
        "company file: {} employees (every 6th salaried), 1 customer with 2 jobs; \
         {weeks} weeks from {start}: {lines} lines",
        company_spec().employees
    );

    let queued = Instant::now();
    let result = timebridge
        .block_on(engine.payroll().publish(id, Some(start), &admin()))
        .expect("the publication is queued");
    let queued = queued.elapsed().as_secs_f64();
    let publication = result.publications.last().expect("a publication").id;
    println!("publish (queueing {lines} lines): {queued:.2} s");

    println!(
        "Timebridge's memory before the update: VmHWM {:.0} MB, VmRSS {:.0} MB",
        memory_mb("VmHWM"),
        memory_mb("VmRSS")
    );
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak is reset");
    let cpu_before = cpu();
    let started = Instant::now();
    let web = emulator.update();
    let outcome = ended_run(&store, id);
    let wall = started.elapsed().as_secs_f64();
    let cpu_after = cpu();
    let peak = memory_mb("VmHWM");
    let sent = store
        .read(|c| publish::publication(c, publication))
        .expect("readable");

    let second = Instant::now();
    emulator.update();
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
        web.round_trips, web.requests
    );
    println!(
        "  emulated Web Connector + QuickBooks: {:.2} s CPU, of which QuickBooks answering \
         {:.2} s; its process' peak memory (VmHWM) {:.0} MB",
        web.cpu, web.answering, web.peak_mb
    );
    println!(
        "  Timebridge: {:.2} s of the wall time (wall − emulator), {:.2} s CPU; peak memory \
         (VmHWM) {peak:.0} MB",
        wall - web.cpu,
        cpu_after - cpu_before
    );
    println!("  {:.0} lines/s end to end", sent.lines as f64 / wall);
    println!(
        "update with nothing to publish (lists only): run {lists_outcome:?} in {lists_only:.2} s; \
         publishing added {:.2} s",
        wall - lists_only
    );
}
