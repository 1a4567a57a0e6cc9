//! One source, many targets, end to end: QuickBooks Time is synced and
//! imported, and one pay period is published to QuickBooks Desktop
//! (through the emulated Web Connector) and to Sage 300 CRE (an Import
//! Time file, read back as Sage's Import Time reads it), each target with
//! its own matches, pay item mapping and publication history; then one
//! entry is corrected and the period is published to both again, and each
//! receives only the difference.

use crate::common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use timebridge_connectors::quickbooks_desktop::time_tracking::{Marker, parse_duration};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::import::{ImportOptions, Importer};
use timebridge_core::middleware::integrations::{self, IntegrationSettings, WebConnectorSettings};
use timebridge_core::middleware::runs::RunOutcome;
use timebridge_core::payroll::publish::{self, PublicationKind, PublicationOutcome};
use timebridge_core::payroll::targets::{self, MatchKind, PayItemMap, Target};
use timebridge_core::payroll::{self, lines};
use timebridge_emulators::quickbooks_desktop::{self as qbd, List, WebConnector};
use timebridge_emulators::quickbooks_time::Company;
use timebridge_emulators::sage300_cre::{self as sage, DataSource, import_time};

const USERNAME: &str = "office-qb";
/// Sage's Import Time units are hours to two decimals: 36 seconds.
const SAGE_UNIT: i64 = 36;
const PASSWORD: &str = "Payroll-Day-4";

fn admin() -> Actor {
    Actor {
        operator_id: None,
        name: "Office admin".into(),
    }
}

fn ids(tx: &rusqlite::Transaction<'_>, sql: &str) -> timebridge_core::Result<Vec<i64>> {
    Ok(tx
        .prepare(sql)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// QuickBooks Time synced, and every time entry imported with what it
/// names.
async fn quickbooks_time() -> (
    common::Setup,
    timebridge_emulators::quickbooks_time::Emulator,
) {
    let emulator =
        common::emulator(Company::generate(&common::spec(), common::generated_at())).await;
    let s = common::setup(&emulator);
    let run = s.sync().await;
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    s.store
        .write(|tx| {
            let staged = ids(
                tx,
                &format!(
                    "SELECT id FROM staged_records WHERE integration_id = {} AND module = 'time_entries'",
                    s.integration
                ),
            )?;
            let options = ImportOptions::default();
            let actor = admin();
            let mut importer = Importer::new(tx, s.integration, &options, &actor, Utc::now())?;
            importer.import(Module::TimeEntries, &staged)?;
            Ok(())
        })
        .expect("QuickBooks Time's time imports");
    (s, emulator)
}

/// A day of the last two weeks whose pay period holds hours.
fn worked_day(s: &common::Setup) -> NaiveDate {
    let today = Utc::now().date_naive();
    (1..14)
        .map(|back| today - Duration::days(back))
        .find(|day| {
            s.store
                .read(|c| payroll::hours_for_day(c, Some(*day), Utc::now()))
                .is_ok_and(|r| r.total_seconds > 0)
        })
        .expect("the demo company worked in the last two weeks")
}

/// A QuickBooks Desktop connection that publishes, answered by the same
/// engine, and its company file.
async fn quickbooks_desktop(s: &common::Setup) -> (i64, WebConnector) {
    let url = s
        .engine
        .web_connector()
        .listen("http://localhost:0/qbwc")
        .await
        .expect("a free port");
    let now = Utc::now();
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(url.clone());
    settings.web_connector = Some(WebConnectorSettings {
        username: USERNAME.into(),
        owner_id: "{00000000-0000-4000-8000-0000000000A1}".into(),
        file_id: "{00000000-0000-4000-8000-0000000000A2}".into(),
        app_name: "Timebridge · Books".into(),
        publishing: true,
        class: None,
        billable: None,
    });
    let id = s
        .store
        .write(|tx| {
            integrations::create(tx, "quickbooks_desktop", "Books", &settings, &admin(), now)
        })
        .expect("integration")
        .id;
    Credentials::access_token(PASSWORD)
        .save(s.secrets.as_ref(), id)
        .expect("saved");
    let wc = WebConnector::new(
        &url,
        qbd::Company::generate(&qbd::CompanySpec {
            employees: 40,
            customers: 10,
            jobs_per_customer: 5,
            service_items: 40,
            ..qbd::CompanySpec::default()
        }),
    );
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the first update");
    wait_for_run(s, id).await;
    (id, wc)
}

async fn wait_for_run(s: &common::Setup, id: i64) {
    for _ in 0..200 {
        let run = s
            .store
            .read(|c| timebridge_core::middleware::runs::latest(c, id))
            .expect("readable");
        if run.is_some_and(|r| r.outcome != RunOutcome::Running) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the Web Connector's run never ended");
}

/// Confirms, for each active local employee, job and task, one of the
/// target's records that `usable` accepts, in order (tasks may share one);
/// maps every pay ID to `item` (when `None`, each pay ID the target has to
/// its own code).
fn match_and_map(
    s: &common::Setup,
    target: i64,
    usable: &dyn Fn(MatchKind, &str) -> bool,
    item: Option<(&str, &str)>,
) {
    let now = Utc::now();
    s.store
        .write(|tx| {
            for kind in [MatchKind::Employee, MatchKind::Job, MatchKind::Task] {
                let local = targets::active_ids(tx, kind)?;
                let theirs: Vec<_> = targets::target_records(tx, target, kind)?
                    .into_iter()
                    .filter(|r| usable(kind, &r.external_id))
                    .collect();
                assert!(
                    kind == MatchKind::Task || theirs.len() >= local.len(),
                    "{kind:?}: the target has a record for each local one ({} < {})",
                    theirs.len(),
                    local.len()
                );
                for (local, record) in local.iter().zip(theirs.iter().cycle()) {
                    targets::confirm_match(
                        tx,
                        target,
                        kind,
                        *local,
                        Some(&record.external_id),
                        &admin(),
                        now,
                    )?;
                }
            }
            let pay_ids: Vec<(i64, String)> = tx
                .prepare("SELECT id, code FROM pay_ids")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let theirs = targets::items(tx, target)?;
            for (pay_id, code) in pay_ids {
                if item.is_none() && !theirs.iter().any(|i| i.external_id == code) {
                    // Not one of the target's pay IDs: no hours of it here.
                    continue;
                }
                let (name, external) = item.unwrap_or((&code, &code));
                targets::set_pay_item(
                    tx,
                    Target::Integration { id: target },
                    &PayItemMap {
                        pay_id,
                        employee_id: None,
                        item: name.into(),
                        item_external_id: Some(external.into()),
                    },
                    &admin(),
                    now,
                )?;
            }
            Ok(())
        })
        .expect("matches and mapping");
}

/// What QuickBooks Desktop holds of Timebridge's time, summed per
/// (employee ListID, day).
fn quickbooks_holds(wc: &WebConnector) -> BTreeMap<(String, String), i64> {
    let company = wc.company.lock().expect("company");
    let mut out = BTreeMap::new();
    for txn in &company.time_tracking {
        if Marker::find(txn["Notes"].as_str().unwrap_or_default()).is_none() {
            continue;
        }
        let key = (
            txn["EntityRef"]["ListID"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            txn["TxnDate"].as_str().unwrap_or_default().to_owned(),
        );
        *out.entry(key).or_insert(0) +=
            parse_duration(txn["Duration"].as_str().unwrap_or_default()).unwrap_or(0);
    }
    out
}

/// The period's hours as a target should hold them, per (employee ref,
/// day), each line rounded to `unit` seconds as the target writes it.
fn period_holds(
    s: &common::Setup,
    target: i64,
    day: NaiveDate,
    unit: i64,
) -> BTreeMap<(String, String), i64> {
    let prepared = s
        .store
        .read(|c| {
            let report = payroll::hours_for_day(c, Some(day), Utc::now())?;
            lines::prepare(c, &report, Target::Integration { id: target })
        })
        .expect("the period prepares");
    assert_eq!(
        prepared.blocking().count(),
        0,
        "nothing blocks publishing: {:?}",
        prepared.problems
    );
    let mut out = BTreeMap::new();
    for line in &prepared.lines {
        *out.entry((
            line.employee_ref.clone().unwrap_or_default(),
            line.date.to_string(),
        ))
        .or_insert(0) += (line.seconds as f64 / unit as f64).round() as i64 * unit;
    }
    out
}

#[tokio::test]
async fn one_period_goes_to_quickbooks_desktop_and_sage_and_a_correction_sends_each_only_the_difference()
 {
    let (s, _quickbooks_time) = quickbooks_time().await;
    let day = worked_day(&s);
    let (books, wc) = quickbooks_desktop(&s).await;
    let items = s
        .engine
        .payroll()
        .refresh_items(books)
        .await
        .expect("QuickBooks' payroll items");
    let hourly = items
        .iter()
        .find(|i| i.name == "Hourly Rate")
        .expect("QuickBooks has Hourly Rate")
        .external_id
        .clone();
    let time_data: Vec<String> = {
        let company = wc.company.lock().expect("company");
        company
            .list(List::Employees)
            .iter()
            .filter(|e| {
                e["EmployeePayrollInfo"]["UseTimeDataToCreatePaychecks"] != "DoNotUseTimeData"
            })
            .filter_map(|e| e["ListID"].as_str().map(str::to_owned))
            .collect()
    };
    match_and_map(
        &s,
        books,
        &|kind, id| kind != MatchKind::Employee || time_data.iter().any(|t| t == id),
        Some(("Hourly Rate", &hourly)),
    );
    let (sage_id, sage_dir, sage_company) = sage_300_cre(&s).await;
    s.engine
        .payroll()
        .refresh_items(sage_id)
        .await
        .expect("Sage's pay IDs");
    // A job with extras is matched to one of its extras; a task to a cost
    // code's category.
    match_and_map(
        &s,
        sage_id,
        &|kind, id| match kind {
            MatchKind::Employee => true,
            MatchKind::Job => id.contains('~'),
            MatchKind::Task => id.matches('~').count() == 3,
        },
        None,
    );

    // Publish: it waits for the Web Connector, whose next update sends it.
    let queued = s
        .engine
        .payroll()
        .publish(books, Some(day), &admin())
        .await
        .expect("queued");
    assert_eq!(queued.publications[0].outcome, PublicationOutcome::Sending);
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    // Its run stages the lists after the update; an update while it
    // does is answered "busy".
    wait_for_run(&s, books).await;
    let expected = period_holds(&s, books, day, 1);
    assert_eq!(
        quickbooks_holds(&wc),
        expected,
        "QuickBooks holds the period's hours, per employee and day"
    );
    let to_sage = s
        .engine
        .payroll()
        .publish(sage_id, Some(day), &admin())
        .await
        .expect("the Import Time file is written");
    assert!(
        to_sage.message.contains("Import Time"),
        "the admin is told the next step in Sage: {}",
        to_sage.message
    );
    let files = import_files(sage_dir.path());
    assert_eq!(files.len(), 1, "one file for the publication");
    assert_eq!(
        sage_reads(&sage_company, &files[0]),
        period_holds(&s, sage_id, day, SAGE_UNIT),
        "Sage's Import Time reads the period's hours, per employee and day"
    );

    // Correct one entry of the period: 30 minutes more.
    s.store
        .write(|tx| {
            let period = payroll::hours_for_day(tx, Some(day), Utc::now())?.period;
            let entry = ids(
                tx,
                &format!(
                    // By the day it counts on: the period may hold only its first day.
                    "SELECT id FROM time_entries WHERE voided_at IS NULL AND kind = 'clock'
                     AND work_date BETWEEN '{}' AND '{}' ORDER BY id LIMIT 1",
                    period.start, period.end
                ),
            )?;
            tx.execute(
                "UPDATE time_entries SET end_utc = end_utc + 1800 WHERE id = ?1",
                [entry[0]],
            )?;
            Ok(())
        })
        .expect("a correction");
    let requests_before = wc.company.lock().expect("company").requests.len();
    s.engine
        .payroll()
        .publish(books, Some(day), &admin())
        .await
        .expect("queued");
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    // Its run stages the lists after the update; an update while it
    // does is answered "busy".
    wait_for_run(&s, books).await;
    assert_eq!(
        quickbooks_holds(&wc),
        period_holds(&s, books, day, 1),
        "after the correction QuickBooks holds the corrected hours"
    );
    let sent: Vec<String> =
        wc.company.lock().expect("company").requests[requests_before..].to_vec();
    let count = |tag: &str| sent.iter().map(|r| r.matches(tag).count()).sum::<usize>();
    let writes = count("<TimeTrackingModRq") + count("<TimeTrackingAddRq") + count("<TxnDelRq");
    s.engine
        .payroll()
        .publish(sage_id, Some(day), &admin())
        .await
        .expect("the correction file is written");
    let files = import_files(sage_dir.path());
    assert_eq!(files.len(), 2, "a second file for the correction");
    let correction: i64 = sage_reads(&sage_company, &files[1]).values().sum();
    assert!(
        (correction - 1800).abs() <= SAGE_UNIT,
        "the correction file holds only the 30 minutes added (to Sage's hundredth of an hour): {correction} s"
    );
    let history = s
        .store
        .read(|c| {
            let period = payroll::hours_for_day(c, Some(day), Utc::now())?.period;
            publish::history(c, period)
        })
        .expect("history");
    let to_books: Vec<_> = history
        .iter()
        .filter(|p| p.target == Target::Integration { id: books }.key())
        .collect();
    assert_eq!(to_books.len(), 2, "an original and a correction");
    let to_sage: Vec<_> = history
        .iter()
        .filter(|p| p.target == Target::Integration { id: sage_id }.key())
        .collect();
    assert_eq!(
        (to_sage.len(), to_sage[0].kind),
        (2, PublicationKind::Correction),
        "Sage has its own history: an original and a correction"
    );
    assert!(
        to_sage.iter().all(|p| p
            .message
            .as_deref()
            .is_some_and(|m| m.contains("Import Time"))),
        "each Sage publication keeps the next step in Sage with its file's name"
    );
    assert_eq!(to_books[0].kind, PublicationKind::Correction);
    assert!(
        to_books
            .iter()
            .all(|p| p.outcome == PublicationOutcome::Sent),
        "both went through"
    );
    assert_eq!(
        writes as i64, to_books[0].lines,
        "QuickBooks is sent one change per line of the correction, nothing else"
    );
    assert!(
        to_books[0].lines < to_books[1].lines && to_books[0].lines <= 3,
        "the correction holds only the lines the longer entry changed (its day's regular and \
         overtime): {} of {}",
        to_books[0].lines,
        to_books[1].lines
    );
}

/// A Sage 300 CRE connection read through ODBC (the SQLite ODBC driver over
/// Sage-shaped tables), synced by the same engine; its import folder.
async fn sage_300_cre(s: &common::Setup) -> (i64, tempfile::TempDir, sage::Company) {
    let company = sage::Company::generate(&sage::CompanySpec {
        employees: 30,
        terminated_employees: 0,
        jobs: 20,
        jobs_with_extras: 20,
        closed_jobs: 0,
        cost_codes: 4,
        ..sage::CompanySpec::default()
    });
    let dir = tempfile::tempdir().expect("a folder");
    let database = dir.path().join("sage.db");
    company.write_database(&database).expect("database");
    let source = DataSource::create(dir.path(), "SageData", &database)
        .expect("the SQLite3 ODBC driver is installed (libsqliteodbc)");
    let now = Utc::now();
    let mut settings = IntegrationSettings::defaults(now);
    settings.dsn = Some(source.connection_string());
    settings.import_folder = Some(dir.path().display().to_string());
    let id = s
        .store
        .write(|tx| integrations::create(tx, "sage300_cre", "Sage", &settings, &admin(), now))
        .expect("integration")
        .id;
    let run = s
        .engine
        .runs()
        .sync(id, timebridge_core::middleware::runs::RunTrigger::Manual)
        .await
        .expect("a run");
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    (id, dir, company)
}

/// The Import Time files in `folder`, oldest publication first.
fn import_files(folder: &std::path::Path) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("the import folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort_by_key(|p| {
        p.file_stem()
            .and_then(|n| n.to_str())
            .and_then(|n| n.rsplit('-').next())
            .and_then(|id| id.parse::<i64>().ok())
    });
    files
        .iter()
        .map(|p| std::fs::read(p).expect("readable"))
        .collect()
}

/// An Import Time file as Sage imports it (the default Time Entry View),
/// in seconds per (employee number, day).
fn sage_reads(company: &sage::Company, bytes: &[u8]) -> BTreeMap<(String, String), i64> {
    let view = [
        "Date",
        "Employee",
        "Job",
        "Extra",
        "Cost Code",
        "Pay ID",
        "Units",
    ];
    let (imported, rejected) = import_time(company, &view, bytes);
    assert!(rejected.is_empty(), "Sage takes every line: {rejected:?}");
    let mut out = BTreeMap::new();
    for line in imported {
        let (month, rest) = line.date.split_once('/').expect("m/d/yyyy");
        let (day, year) = rest.split_once('/').expect("m/d/yyyy");
        let date = format!("{year}-{month:0>2}-{day:0>2}");
        *out.entry((line.employee, date)).or_insert(0) += (line.units * 3600.0).round() as i64;
    }
    out
}
