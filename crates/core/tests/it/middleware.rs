//! The middleware over a real database: statuses, diffs, archiving, removal
//! at the source, and no writes for unchanged records.

use crate::common;

use std::collections::HashSet;

use common::{admin, now};
use serde_json::json;
use timebridge_core::Store;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::planner::StagedStatus;
use timebridge_core::middleware::runs::{self, RunOutcome, RunTrigger};
use timebridge_core::middleware::staged::{
    self, PageCounts, Selection, StagedFilter, StagedQuery, StagedSort,
};
use timebridge_core::middleware::{Incoming, Module};

fn connect(store: &Store, name: &str) -> i64 {
    store
        .write(|tx| {
            integrations::create(
                tx,
                "sandbox",
                name,
                &IntegrationSettings::defaults(now()),
                &admin(),
                now(),
            )
        })
        .expect("integration created")
        .id
}

fn employee(id: &str, first: &str, email: Option<&str>) -> Incoming {
    Incoming {
        external_id: id.into(),
        data: json!({"first_name": first, "last_name": "Diaz", "email": email}),
        label: format!("{first} Diaz"),
        record_date: None,
    }
}

fn apply(store: &Store, integration: i64, records: &[Incoming]) -> PageCounts {
    store
        .write(|tx| staged::apply_page(tx, integration, Module::Employees, None, records, now()))
        .expect("page applied")
}

fn status_of(store: &Store, integration: i64, external_id: &str) -> (StagedStatus, bool) {
    let page = store
        .read(|conn| {
            staged::list(
                conn,
                integration,
                Module::Employees,
                &StagedQuery {
                    filter: StagedFilter {
                        search: Some(external_id.into()),
                        ..Default::default()
                    },
                    ..Default::default()
                },
            )
        })
        .expect("list works");
    let row = page
        .rows
        .into_iter()
        .find(|r| r.external_id == external_id)
        .expect("record staged");
    (row.status, row.removed_at_source)
}

/// Pretends the record was imported with `data` (the import issue writes bindings).
fn bind(store: &Store, integration: i64, record: &Incoming) {
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO bindings (integration_id, module, external_id, local_id, checksum, snapshot, imported_at)
                 VALUES (?1, 'employees', ?2, 1, ?3, ?4, '2026-11-02T00:00:00.000Z')",
                timebridge_core::rusqlite::params![integration, record.external_id, record.checksum(), record.data.to_string()],
            )?;
            Ok(())
        })
        .expect("binding written");
}

#[test]
fn records_seen_for_the_first_time_are_new() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let counts = apply(
        &t.store,
        qb,
        &[employee("1", "Rosa", None), employee("2", "Sam", None)],
    );
    assert_eq!(
        counts,
        PageCounts {
            new: 2,
            updated: 0,
            unchanged: 0
        },
        "two records arrive for the first time"
    );
    assert_eq!(
        status_of(&t.store, qb, "1").0,
        StagedStatus::New,
        "never imported, so New"
    );
}

#[test]
fn a_re_sync_of_unchanged_records_writes_nothing() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let page = [employee("1", "Rosa", None), employee("2", "Sam", None)];
    apply(&t.store, qb, &page);

    let (counts, writes) = t
        .store
        .write(|tx| {
            let before: i64 = tx.query_row("SELECT total_changes()", [], |r| r.get(0))?;
            let counts = staged::apply_page(tx, qb, Module::Employees, None, &page, now())?;
            let after: i64 = tx.query_row("SELECT total_changes()", [], |r| r.get(0))?;
            Ok((counts, after - before))
        })
        .expect("page applied");
    assert_eq!(counts.unchanged, 2, "both records are counted unchanged");
    assert_eq!(writes, 0, "no row may be written when nothing changed");
}

#[test]
fn an_imported_record_changed_at_the_source_is_updated_with_its_diff() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let original = employee("1", "Rosa", None);
    apply(&t.store, qb, std::slice::from_ref(&original));
    bind(&t.store, qb, &original);
    apply(&t.store, qb, std::slice::from_ref(&original));
    assert_eq!(
        status_of(&t.store, qb, "1").0,
        StagedStatus::Imported,
        "same data as imported: Imported"
    );

    let counts = apply(
        &t.store,
        qb,
        &[employee("1", "Rosa", Some("rosa@example.com"))],
    );
    assert_eq!(
        counts.updated, 1,
        "the changed record is counted as updated"
    );
    let id = t
        .store
        .read(|conn| staged::list(conn, qb, Module::Employees, &StagedQuery::default()))
        .expect("list")
        .rows[0]
        .id;
    let detail = t
        .store
        .read(|conn| staged::detail(conn, id))
        .expect("detail");
    assert_eq!(
        detail.record.status,
        StagedStatus::Updated,
        "changed since import: Updated"
    );
    assert_eq!(detail.changes.len(), 1, "one field changed");
    assert_eq!(
        (
            detail.changes[0].field.as_str(),
            &detail.changes[0].imported,
            &detail.changes[0].incoming
        ),
        ("email", &json!(null), &json!("rosa@example.com")),
        "the diff shows the imported value beside the incoming one"
    );
}

#[test]
fn an_archived_record_stays_archived_through_syncs_and_unarchives_to_its_real_status() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    apply(&t.store, qb, &[employee("1", "Rosa", None)]);
    let archived = t
        .store
        .write(|tx| {
            staged::set_archived(
                tx,
                qb,
                Module::Employees,
                &Selection::Matching {
                    filter: StagedFilter {
                        status: Some(StagedStatus::New),
                        ..Default::default()
                    },
                },
                true,
                &admin(),
                now(),
            )
        })
        .expect("archived");
    assert_eq!(archived, 1, "all New records were archived");

    apply(
        &t.store,
        qb,
        &[employee("1", "Rosa", Some("new@example.com"))],
    );
    assert_eq!(
        status_of(&t.store, qb, "1").0,
        StagedStatus::Archived,
        "a sync does not undo archiving"
    );

    t.store
        .write(|tx| {
            staged::set_archived(
                tx,
                qb,
                Module::Employees,
                &Selection::Matching {
                    filter: StagedFilter::default(),
                },
                false,
                &admin(),
                now(),
            )
        })
        .expect("unarchived");
    assert_eq!(
        status_of(&t.store, qb, "1").0,
        StagedStatus::New,
        "never imported, so New again"
    );
}

#[test]
fn a_record_deleted_at_the_source_is_marked_not_dropped_and_clears_if_it_returns() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    apply(
        &t.store,
        qb,
        &[employee("1", "Rosa", None), employee("2", "Sam", None)],
    );
    let marked = t
        .store
        .write(|tx| {
            staged::mark_removed(
                tx,
                qb,
                Module::Employees,
                &["2".into(), "999".into()],
                now(),
            )
        })
        .expect("marked");
    assert_eq!(
        marked, 1,
        "only the staged record is marked; an unknown id is ignored"
    );
    assert!(
        status_of(&t.store, qb, "2").1,
        "the record is kept and says it was removed at the source"
    );

    apply(&t.store, qb, &[employee("2", "Sam", None)]);
    assert!(
        !status_of(&t.store, qb, "2").1,
        "a record that comes back is no longer removed"
    );
}

#[test]
fn records_missing_from_a_full_read_are_marked_removed() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    apply(
        &t.store,
        qb,
        &[employee("1", "Rosa", None), employee("2", "Sam", None)],
    );
    let seen: HashSet<String> = ["1".to_owned()].into();
    let marked = t
        .store
        .write(|tx| staged::mark_missing_removed(tx, qb, Module::Employees, &seen, now()))
        .expect("marked");
    assert_eq!(marked, 1, "Sam was not in the full read");
    assert!(
        status_of(&t.store, qb, "2").1,
        "so Sam is removed at the source"
    );
}

#[test]
fn status_counts_add_up_per_status() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let rosa = employee("1", "Rosa", None);
    apply(
        &t.store,
        qb,
        &[
            rosa.clone(),
            employee("2", "Sam", None),
            employee("3", "Ana", None),
        ],
    );
    bind(&t.store, qb, &rosa);
    apply(&t.store, qb, &[rosa]);
    let counts = t
        .store
        .read(|conn| staged::status_counts(conn, qb, Module::Employees))
        .expect("counts");
    assert_eq!(
        (counts.new, counts.imported),
        (2, 1),
        "two never imported, one imported"
    );
}

#[test]
fn making_another_integration_the_sync_source_turns_the_first_ones_sync_off() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let bb = connect(&t.store, "busybusy");
    let first = t
        .store
        .read(|conn| integrations::get(conn, qb))
        .expect("get");
    assert!(
        first.is_sync_source,
        "the first integration connected becomes the sync source"
    );

    t.store
        .write(|tx| integrations::set_sync_source(tx, bb, &admin(), now()))
        .expect("switched");

    let (old, new) = t
        .store
        .read(|conn| Ok((integrations::get(conn, qb)?, integrations::get(conn, bb)?)))
        .expect("get");
    assert!(
        new.is_sync_source && !old.is_sync_source,
        "only one sync source at a time"
    );
    assert!(!old.sync_enabled, "the previous source stops syncing");
}

#[test]
fn a_run_left_running_by_a_stopped_app_is_marked_interrupted() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let run = t
        .store
        .write(|tx| runs::start(tx, qb, RunTrigger::Manual, now()))
        .expect("started");
    let reopened = Store::open(t.store.path()).expect("reopened");
    reopened
        .write(|tx| runs::mark_interrupted(tx, now()))
        .expect("marked");
    let run = reopened.read(|conn| runs::get(conn, run)).expect("run");
    assert_eq!(
        run.outcome,
        RunOutcome::Interrupted,
        "the run says it was interrupted"
    );
    assert!(
        run.error_message
            .unwrap_or_default()
            .contains("continues where this one stopped"),
        "and that nothing was lost"
    );
}

#[test]
fn the_latest_scheduled_run_leaves_out_runs_started_by_hand() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let scheduled = t
        .store
        .write(|tx| runs::start(tx, qb, RunTrigger::Schedule, now()))
        .expect("started");
    t.store
        .write(|tx| runs::start(tx, qb, RunTrigger::Manual, now()))
        .expect("started");
    let latest = t
        .store
        .read(runs::latest_scheduled)
        .expect("readable")
        .map(|run| run.id);
    assert_eq!(
        latest,
        Some(scheduled),
        "`service status` reports what the scheduler ran, not a later Sync now"
    );
}

#[test]
fn the_sync_interval_is_kept_between_15_minutes_and_a_day() {
    let t = common::store();
    let mut settings = IntegrationSettings::defaults(now());
    settings.interval_minutes = 5;
    let error = t
        .store
        .write(|tx| integrations::create(tx, "sandbox", "Too eager", &settings, &admin(), now()))
        .expect_err("5 minutes is too often");
    assert_eq!(
        common::problem_fields(&error),
        ["interval_minutes"],
        "the interval field is marked"
    );
}

/// A staged time entry of `employee` on Nov 2, with this span.
fn entry(id: &str, employee: &str, span: serde_json::Value) -> Incoming {
    Incoming {
        external_id: id.into(),
        data: json!({"employee_external_id": "1", "span": span}),
        label: format!("{employee} · Nov 2"),
        record_date: Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date")),
    }
}

fn labels_sorted(
    store: &Store,
    integration: i64,
    module: Module,
    sort: StagedSort,
    descending: bool,
) -> Vec<String> {
    store
        .read(|conn| {
            staged::list(
                conn,
                integration,
                module,
                &StagedQuery {
                    sort,
                    descending,
                    ..Default::default()
                },
            )
        })
        .expect("listed")
        .rows
        .into_iter()
        .map(|r| r.label)
        .collect()
}

#[test]
fn time_entries_sort_by_their_length_clocked_or_entered_by_hand() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let entries = [
        entry(
            "t1",
            "Eight hours",
            json!({"kind": "clock", "start": "2026-11-02T07:00:00-06:00", "end": "2026-11-02T15:00:00-06:00"}),
        ),
        entry(
            "t2",
            "Two hours",
            json!({"kind": "manual", "date": "2026-11-02", "duration_seconds": 7200}),
        ),
        entry(
            "t3",
            "Half an hour",
            json!({"kind": "clock", "start": "2026-11-02T13:00:00Z", "end": "2026-11-02T07:30:00-06:00"}),
        ),
        entry(
            "t4",
            "Running",
            json!({"kind": "clock", "start": "2026-11-02T09:00:00-06:00", "end": null}),
        ),
    ];
    t.store
        .write(|tx| staged::apply_page(tx, qb, Module::TimeEntries, None, &entries, now()))
        .expect("page applied");
    assert_eq!(
        labels_sorted(&t.store, qb, Module::TimeEntries, StagedSort::Key, false),
        [
            "Running · Nov 2",
            "Half an hour · Nov 2",
            "Two hours · Nov 2",
            "Eight hours · Nov 2"
        ],
        "shortest first, across offsets and manual entries; a running entry has no length yet and comes first"
    );
    assert_eq!(
        labels_sorted(&t.store, qb, Module::TimeEntries, StagedSort::Key, true)[0],
        "Eight hours · Nov 2",
        "longest first when descending"
    );
}

#[test]
fn employees_sort_by_number_and_by_email_ignoring_case() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    let with_number = |id: &str, first: &str, number: &str, email: &str| Incoming {
        external_id: id.into(),
        data: json!({"first_name": first, "last_name": "Diaz", "employee_number": number, "email": email}),
        label: format!("{first} Diaz"),
        record_date: None,
    };
    apply(
        &t.store,
        qb,
        &[
            with_number("1", "Ana", "e200", "zoe@example.com"),
            with_number("2", "Ben", "E100", "Adam@example.com"),
            with_number("3", "Cy", "E300", "mia@example.com"),
        ],
    );
    assert_eq!(
        labels_sorted(&t.store, qb, Module::Employees, StagedSort::Key, false),
        ["Ben Diaz", "Ana Diaz", "Cy Diaz"],
        "E100, e200, E300: employee numbers in order whatever their case"
    );
    assert_eq!(
        labels_sorted(&t.store, qb, Module::Employees, StagedSort::Key2, false),
        ["Ben Diaz", "Cy Diaz", "Ana Diaz"],
        "Adam@, mia@, zoe@: e-mails in order whatever their case"
    );
}

#[test]
fn a_list_sorts_by_the_id_at_the_source() {
    let t = common::store();
    let qb = connect(&t.store, "QuickBooks Time");
    apply(
        &t.store,
        qb,
        &[
            employee("b-2", "Rosa", None),
            employee("a-9", "Sam", None),
            employee("c-1", "Lee", None),
        ],
    );
    assert_eq!(
        labels_sorted(
            &t.store,
            qb,
            Module::Employees,
            StagedSort::ExternalId,
            true
        ),
        ["Lee Diaz", "Rosa Diaz", "Sam Diaz"],
        "c-1, b-2, a-9: descending by id at the source"
    );
}

#[test]
fn records_a_read_did_not_return_are_found_by_row_as_by_external_id() {
    use chrono::NaiveDate;
    use timebridge_core::middleware::Serialized;
    let t = common::store();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).expect("a day");
    let records: Vec<Serialized> = (1..=12u32)
        .map(|i| {
            let mut record = Serialized::of(&entry(
                &format!("t{i}"),
                "1",
                json!({"kind": "manual", "date": day(i).to_string(), "duration_seconds": 3600}),
            ));
            record.record_date = (i != 12).then(|| day(i));
            record
        })
        .collect();
    let seen = |i: u32| !i.is_multiple_of(3);
    let dates = (day(2), day(10));
    let mut results = Vec::new();
    for by_row in [false, true] {
        let id = connect(&t.store, if by_row { "by row" } else { "by id" });
        let marked = t
            .store
            .write(|tx| {
                let mut staging = staged::Staging::begin(tx, id, Module::TimeEntries)?;
                staged::apply_serialized(
                    tx,
                    id,
                    Module::TimeEntries,
                    None,
                    &records,
                    now(),
                    &mut staging,
                )?;
                let rows = staging.rows;
                // One already removed, before this read.
                staged::mark_removed(tx, id, Module::TimeEntries, &["t6".to_owned()], now())?;
                let (mut seen_ids, mut seen_rows) = (HashSet::new(), HashSet::new());
                for (i, (record, row)) in (1..).zip(records.iter().zip(&rows)) {
                    if seen(i) {
                        seen_ids.insert(record.external_id.clone());
                        seen_rows.insert(*row);
                    }
                }
                let module = Module::TimeEntries;
                if by_row {
                    Ok(
                        staged::mark_unseen_removed(
                            tx,
                            id,
                            module,
                            &seen_rows,
                            Some(dates),
                            now(),
                        )? + staged::mark_unseen_removed(
                            tx,
                            id,
                            Module::Jobs,
                            &seen_rows,
                            None,
                            now(),
                        )?,
                    )
                } else {
                    Ok(staged::mark_missing_removed_between(
                        tx,
                        id,
                        module,
                        &seen_ids,
                        dates,
                        now(),
                    )? + staged::mark_missing_removed(tx, id, Module::Jobs, &seen_ids, now())?)
                }
            })
            .expect("marked");
        let removed: Vec<bool> = t
            .store
            .read(|conn| {
                let mut statement = conn.prepare(
                    "SELECT removed_at_source FROM staged_records WHERE integration_id = ?1 ORDER BY external_id",
                )?;
                let rows = statement.query_map([id], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<bool>>>()?)
            })
            .expect("read");
        results.push((marked, removed));
    }
    assert_eq!(
        results[0].0, 2,
        "t3 and t9: unseen within the days, not removed before"
    );
    assert_eq!(
        results[0], results[1],
        "the same records marked, the same count"
    );
}

#[test]
fn pages_of_a_first_read_stage_what_pages_applied_one_by_one_stage() {
    use timebridge_core::middleware::Serialized;
    let t = common::store();
    let pages: Vec<Vec<Serialized>> = vec![
        vec![employee("1", "Rosa", None), employee("2", "Sam", None)],
        vec![employee("2", "Samuel", None), employee("3", "Ana", None)],
        vec![employee("3", "Ana", None)],
    ]
    .into_iter()
    .map(|page| page.iter().map(Serialized::of).collect())
    .collect();
    let mut staged_by = Vec::new();
    for fresh in [false, true] {
        let id = connect(&t.store, if fresh { "fresh" } else { "page by page" });
        let counts = t
            .store
            .write(|tx| {
                let mut staging = if fresh {
                    staged::Staging::begin(tx, id, Module::Employees)?
                } else {
                    staged::Staging::default()
                };
                let mut counts = Vec::new();
                for page in &pages {
                    counts.push(staged::apply_serialized(
                        tx,
                        id,
                        Module::Employees,
                        None,
                        page,
                        now(),
                        &mut staging,
                    )?);
                }
                Ok(counts)
            })
            .expect("staged");
        let rows: Vec<(String, String, StagedStatus)> = t
            .store
            .read(|conn| {
                let mut statement = conn.prepare(
                    "SELECT external_id, data, status FROM staged_records WHERE integration_id = ?1 ORDER BY external_id",
                )?;
                let rows = statement.query_map([id], |r| {
                    let status: String = r.get(2)?;
                    Ok((r.get(0)?, r.get(1)?, StagedStatus::parse(&status).expect("a status")))
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .expect("read");
        staged_by.push((counts, rows));
    }
    assert_eq!(
        staged_by[0], staged_by[1],
        "the same counts and rows, looked up or not"
    );
    assert_eq!(
        staged_by[1].0[1].updated, 1,
        "Sam renamed in the second page"
    );
}
