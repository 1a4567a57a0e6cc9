//! Publishing payroll into QuickBooks Desktop through the emulated Web
//! Connector over real HTTP: the publication waits for an update, the
//! update sends it after the company query and before the lists, every
//! line's answer is recorded with its TxnID and EditSequence, and an
//! update cut at any call is finished by the next with nothing twice.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use timebridge_connectors::quickbooks_desktop::time_tracking::{Marker, parse_duration};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::import::{ImportOptions, Importer};
use timebridge_core::payroll::publish::{self, PublicationOutcome};
use timebridge_core::payroll::targets::{self, PayItemMap, Target};
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_emulators::quickbooks_desktop::{CompanySpec, Faults, List, WebConnector};

use crate::quickbooks_desktop::{PASSWORD, Setup, USERNAME};

fn admin() -> Actor {
    Actor {
        operator_id: None,
        name: "Office admin".into(),
    }
}

/// The Monday of last week: every day of that week is in the past.
fn monday() -> NaiveDate {
    let today = Utc::now().date_naive();
    today - Duration::days(i64::from(today.weekday().num_days_from_monday()) + 7)
}

/// A QuickBooks Desktop connection that publishes, its lists synced and
/// imported, and last week's time: each employee 80 minutes on each job
/// every weekday (150 lines, two batches), the pay IDs mapped to
/// QuickBooks' Hourly Rate.
async fn published_company() -> (Setup, i64, WebConnector) {
    let setup = Setup::new().await;
    let id = setup.connected();
    let folder = tempfile::tempdir().expect("a folder for the .qwc");
    let qwc = setup
        .engine
        .web_connector()
        .set_publishing(id, true, folder.path(), &admin())
        .expect("publishing turns on");
    let text = std::fs::read_to_string(&qwc).expect("the .qwc is saved");
    assert!(
        text.contains("<IsReadOnly>false</IsReadOnly>"),
        "publishing asks QuickBooks for write access"
    );
    let wc = setup.web_connector(&CompanySpec::default());
    setup.first_update(&wc, id).await;
    import_everything(&setup, id);
    let items = setup
        .engine
        .payroll()
        .refresh_items(id)
        .await
        .expect("the payroll items synced are the ones to pick from");
    assert!(
        items.iter().any(|i| i.name == "Hourly Rate"),
        "QuickBooks' wage items are offered: {items:?}"
    );
    let hourly = {
        let company = wc.company.lock().expect("company");
        company.list(List::PayrollWageItems)[0]["ListID"]
            .as_str()
            .expect("a ListID")
            .to_owned()
    };
    let now = Utc::now();
    setup
        .store
        .write(|tx| {
            let employees = ids(tx, "SELECT id FROM employees ORDER BY id")?;
            let jobs = ids(tx, "SELECT id FROM jobs ORDER BY id")?;
            let task = ids(tx, "SELECT id FROM tasks ORDER BY id")?[0];
            for day in 0..5 {
                for employee in &employees {
                    for job in &jobs {
                        time_entries::create(
                            tx,
                            &TimeEntryDraft {
                                employee_id: *employee,
                                job_id: Some(*job),
                                task_id: Some(task),
                                pay_id: None,
                                span: TimeSpan::Manual {
                                    date: monday() + Duration::days(day),
                                    duration_seconds: 80 * 60,
                                },
                                notes: String::new(),
                            },
                            &NewRecordSource::Manual,
                            &admin(),
                            now,
                        )?;
                    }
                }
            }
            for pay_id in ids(tx, "SELECT id FROM pay_ids")? {
                targets::set_pay_item(
                    tx,
                    Target::Integration { id },
                    &PayItemMap {
                        pay_id,
                        employee_id: None,
                        item: "Hourly Rate".into(),
                        item_external_id: Some(hourly.clone()),
                    },
                    &admin(),
                    now,
                )?;
            }
            Ok(())
        })
        .expect("time and mapping");
    (setup, id, wc)
}

fn ids(tx: &rusqlite::Transaction<'_>, sql: &str) -> timebridge_core::Result<Vec<i64>> {
    Ok(tx
        .prepare(sql)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn import_everything(setup: &Setup, id: i64) {
    setup
        .store
        .write(|tx| {
            let options = ImportOptions::default();
            let actor = admin();
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
                let mut importer = Importer::new(tx, id, &options, &actor, Utc::now())?;
                importer.import(module, &staged)?;
            }
            Ok(())
        })
        .expect("everything imports");
}

/// Queues last week for the Web Connector; returns the publication's id.
async fn publish(setup: &Setup, id: i64) -> i64 {
    let result = setup
        .engine
        .payroll()
        .publish(id, Some(monday()), &admin())
        .await
        .expect("the publication is queued");
    let publication = result.publications.last().expect("a publication");
    assert_eq!(
        publication.outcome,
        PublicationOutcome::Sending,
        "it waits for the Web Connector: {}",
        result.message
    );
    publication.id
}

/// Publication `id` as the Payroll page reads it.
fn publication_of(setup: &Setup, id: i64) -> publish::Publication {
    setup
        .store
        .read(|c| publish::publication(c, id))
        .expect("readable")
}

/// Publication `id`'s lines with their answers.
fn lines_of(setup: &Setup, id: i64) -> Vec<publish::PublishedLine> {
    setup
        .store
        .read(|c| publish::publication_lines(c, id))
        .expect("readable")
}

/// Timebridge's transactions in the company file: seconds by marker.
fn held(wc: &WebConnector) -> BTreeMap<Marker, Vec<i64>> {
    let company = wc.company.lock().expect("company");
    let mut out: BTreeMap<Marker, Vec<i64>> = BTreeMap::new();
    for txn in &company.time_tracking {
        if let Some(marker) = Marker::find(txn["Notes"].as_str().unwrap_or_default()) {
            out.entry(marker)
                .or_default()
                .push(parse_duration(txn["Duration"].as_str().unwrap_or_default()).unwrap_or(0));
        }
    }
    out
}

#[tokio::test]
async fn a_publication_waits_for_the_web_connector_and_its_next_update_sends_it() {
    let (setup, id, wc) = published_company().await;
    let publication = publish(&setup, id).await;
    let waiting = publication_of(&setup, publication);
    assert_eq!(waiting.attempts, 0, "not handed to QuickBooks yet");
    assert!(
        waiting.through_web_connector,
        "it waits for the Web Connector rather than being interrupted"
    );
    assert!(
        waiting
            .message
            .as_deref()
            .is_some_and(|m| m.contains("Update Selected")),
        "the admin is told it waits for the Web Connector: {:?}",
        waiting.message
    );
    let update = wc
        .update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    assert_eq!(update.percents.last(), Some(&100), "{update:?}");
    let sent = publication_of(&setup, publication);
    assert_eq!(
        sent.outcome,
        PublicationOutcome::Sent,
        "{:?}",
        setup
            .store
            .read(|c| publish::publication_lines(c, publication))
    );
    assert_eq!(sent.lines, 150, "each employee, weekday and job");
    let lines = lines_of(&setup, publication);
    assert!(
        lines
            .iter()
            .all(|l| l.remote_id.is_some() && l.edit_sequence.is_some()),
        "every line keeps its TxnID and EditSequence"
    );
    let held = held(&wc);
    assert_eq!(held.len(), 150, "one transaction per line");
    assert!(
        held.values().all(|v| v == &vec![80 * 60]),
        "each holds its 80 minutes once"
    );
    assert_eq!(
        setup.ended_run(id).await.outcome,
        timebridge_core::middleware::runs::RunOutcome::Succeeded,
        "the same update read the lists after publishing"
    );
    let again = setup
        .engine
        .payroll()
        .publish(id, Some(monday()), &admin())
        .await
        .expect("publish again");
    assert!(
        again.nothing_to_send,
        "QuickBooks has every hour: {again:?}"
    );
}

#[tokio::test]
async fn an_update_cut_at_any_call_is_finished_by_the_next_with_nothing_twice() {
    // The calls of a publishing update: the company query, two batches;
    // then the four lists. A cut after QuickBooks ran a call and before
    // its answer arrived, at each call that carries time.
    let cuts = (1..=3).flat_map(|n| {
        [
            // QuickBooks ran call n; the Web Connector vanished before
            // handing its answer over.
            Faults {
                vanish_after: Some(n),
                ..Faults::default()
            },
            // QuickBooks could not run call n.
            Faults {
                fail_request: Some((n, "0x80040408".into(), "QuickBooks stopped.".into())),
                ..Faults::default()
            },
            // Call n's answer arrived cut off.
            Faults {
                garble_answer: Some(n),
                ..Faults::default()
            },
            // The admin stopped the update after call n's answer.
            Faults {
                close_after: Some(n),
                ..Faults::default()
            },
        ]
    });
    for faults in cuts {
        let cut = format!("{faults:?}");
        let (setup, id, wc) = published_company().await;
        let publication = publish(&setup, id).await;
        wc.set_faults(faults);
        wc.update(USERNAME, PASSWORD)
            .await
            .expect("the update runs");
        // The run ends (or gives up on the Web Connector) before the next
        // update.
        setup.ended_run(id).await;
        wc.set_faults(Faults::default());
        wc.update(USERNAME, PASSWORD)
            .await
            .expect("the next update runs");
        let sent = publication_of(&setup, publication);
        assert_eq!(
            sent.outcome,
            PublicationOutcome::Sent,
            "{cut}: the next update finishes it: {:?}",
            sent.message
        );
        let held = held(&wc);
        assert_eq!(held.len(), 150, "{cut}: every line is there");
        assert!(
            held.values().all(|v| v.len() == 1),
            "{cut}: no line is in QuickBooks twice"
        );
    }
}

#[tokio::test]
async fn a_correction_changes_and_deletes_what_changed_and_nothing_else() {
    let (setup, id, wc) = published_company().await;
    publish(&setup, id).await;
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    setup.ended_run(id).await;
    let before: Vec<serde_json::Value> = wc.company.lock().expect("company").time_tracking.clone();
    // One entry longer, one voided.
    setup
        .store
        .write(|tx| {
            let entries = ids(tx, "SELECT id FROM time_entries ORDER BY id LIMIT 2")?;
            tx.execute(
                "UPDATE time_entries SET duration_seconds = duration_seconds + 1800 WHERE id = ?1",
                [entries[0]],
            )?;
            tx.execute(
                "UPDATE time_entries SET voided_at = '2026-12-01T00:00:00Z' WHERE id = ?1",
                [entries[1]],
            )?;
            Ok(())
        })
        .expect("edits");
    let correction = publish(&setup, id).await;
    let requests_before = wc.company.lock().expect("company").requests.len();
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    let company = wc.company.lock().expect("company");
    let sent: Vec<&String> = company.requests[requests_before..].iter().collect();
    let count = |tag: &str| sent.iter().filter(|r| r.contains(tag)).count();
    assert_eq!(count("<TimeTrackingModRq"), 1, "one line changed");
    assert_eq!(count("<TxnDelRq"), 1, "one line removed");
    assert_eq!(count("<TimeTrackingAddRq"), 0, "nothing added");
    assert_eq!(
        company.time_tracking.len(),
        before.len() - 1,
        "one transaction fewer"
    );
    let unchanged = company
        .time_tracking
        .iter()
        .filter(|t| before.contains(t))
        .count();
    assert_eq!(
        unchanged,
        before.len() - 2,
        "the other 148 are as they were"
    );
    drop(company);
    let publication = publication_of(&setup, correction);
    assert_eq!(publication.outcome, PublicationOutcome::Sent);
    assert_eq!(
        publication.lines, 2,
        "the correction holds only what changed"
    );
}

/// Changes the connection's Web Connector settings.
fn set_writes(setup: &Setup, id: i64, class: Option<&str>, billable: Option<bool>) {
    setup
        .store
        .write(|tx| {
            let mut integration = timebridge_core::middleware::integrations::get(tx, id)?;
            let w = integration
                .settings
                .web_connector
                .as_mut()
                .expect("a Web Connector connection");
            w.class = class.map(str::to_owned);
            w.billable = billable;
            timebridge_core::middleware::integrations::update_settings(
                tx,
                id,
                &integration.settings,
                &admin(),
                Utc::now(),
            )
        })
        .expect("settings save");
}

#[tokio::test]
async fn time_is_written_with_the_connections_class_and_billable_status() {
    let (setup, id, wc) = published_company().await;
    set_writes(&setup, id, Some("Residential"), Some(false));
    publish(&setup, id).await;
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    let company = wc.company.lock().expect("company");
    assert_eq!(company.time_tracking.len(), 150, "every line went in");
    assert!(
        company
            .time_tracking
            .iter()
            .all(|t| t["ClassRef"]["FullName"] == "Residential"
                && t["BillableStatus"] == "NotBillable"),
        "each transaction carries the class and billable status chosen: {}",
        company.time_tracking[0]
    );
}

#[tokio::test]
async fn a_web_connector_still_reading_only_is_told_on_every_line() {
    let (setup, id, wc) = published_company().await;
    // The Web Connector still has the .qwc saved before publishing was
    // turned on: QuickBooks gave Timebridge read-only access.
    wc.update_company(|c| c.read_only = true);
    let publication = publish(&setup, id).await;
    wc.update(USERNAME, PASSWORD)
        .await
        .expect("the update runs");
    let failed = publication_of(&setup, publication);
    assert_eq!(
        failed.outcome,
        PublicationOutcome::Failed,
        "QuickBooks took none of it"
    );
    let lines = lines_of(&setup, publication);
    assert!(
        lines.iter().all(|l| l.accepted == Some(false)
            && l.message.as_deref().is_some_and(|m| m.contains(".qwc"))),
        "each line says to add the new .qwc file: {:?}",
        lines[0].message
    );
    assert!(
        wc.company.lock().expect("company").time_tracking.is_empty(),
        "nothing was added"
    );
}
