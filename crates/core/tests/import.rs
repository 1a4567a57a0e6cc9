//! Importing staged records into local records over a real database:
//! dependencies, look-alikes, hand edits, removal at the source, and
//! importing twice.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{admin, now};
use serde_json::{Value, json};
use timebridge_core::Store;
use timebridge_core::middleware::import::{
    ImportOptions, ImportSummary, Importer, LinkChoice, Winner,
};
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::planner::StagedStatus;
use timebridge_core::middleware::staged::{self, StagedFilter, StagedQuery};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::records::employees::{self, EmployeeDraft};
use timebridge_core::records::{ListQuery, NewRecordSource, RecordSource};

fn connect(store: &Store) -> i64 {
    store
        .write(|tx| {
            integrations::create(
                tx,
                "sandbox",
                "Sandbox",
                &IntegrationSettings::defaults(now()),
                &admin(),
                now(),
            )
        })
        .expect("integration created")
        .id
}

fn incoming(id: &str, label: &str, data: Value) -> Incoming {
    let record_date = data
        .pointer("/span/date")
        .and_then(Value::as_str)
        .and_then(|d| d.parse().ok());
    Incoming {
        external_id: id.into(),
        data,
        label: label.into(),
        record_date,
    }
}

fn stage(store: &Store, integration: i64, module: Module, records: &[Incoming], at: DateTime<Utc>) {
    store
        .write(|tx| staged::apply_page(tx, integration, module, None, records, at))
        .expect("page staged");
}

fn staged_id(store: &Store, integration: i64, module: Module, external_id: &str) -> i64 {
    store
        .read(|c| staged::list(c, integration, module, &StagedQuery::default()))
        .expect("listed")
        .rows
        .into_iter()
        .find(|r| r.external_id == external_id)
        .expect("staged")
        .id
}

fn status(store: &Store, integration: i64, module: Module, external_id: &str) -> StagedStatus {
    store
        .read(|c| {
            staged::list(
                c,
                integration,
                module,
                &StagedQuery {
                    filter: StagedFilter::default(),
                    ..Default::default()
                },
            )
        })
        .expect("listed")
        .rows
        .into_iter()
        .find(|r| r.external_id == external_id)
        .expect("staged")
        .status
}

fn import_with(
    store: &Store,
    integration: i64,
    module: Module,
    ids: &[i64],
    options: &ImportOptions,
    at: DateTime<Utc>,
) -> ImportSummary {
    store
        .write(|tx| {
            let actor = admin();
            let mut importer = Importer::new(tx, integration, options, &actor, at)?;
            let summary = importer.import(module, ids)?;
            importer.log(module, &summary)?;
            Ok(summary)
        })
        .expect("the import runs")
}

fn import(
    store: &Store,
    integration: i64,
    module: Module,
    ids: &[i64],
    at: DateTime<Utc>,
) -> ImportSummary {
    import_with(
        store,
        integration,
        module,
        ids,
        &ImportOptions::default(),
        at,
    )
}

fn rosa() -> Incoming {
    incoming(
        "u1",
        "Rosa Diaz",
        json!({"first_name": "Rosa", "last_name": "Diaz", "employee_number": "E-7", "email": "rosa@example.com", "phone": null, "hire_date": null, "payroll_id": null, "active": true}),
    )
}

/// A customer, its job, and a manual time entry of Rosa's on that job.
fn company(store: &Store, integration: i64) {
    stage(store, integration, Module::Employees, &[rosa()], now());
    stage(
        store,
        integration,
        Module::Customers,
        &[incoming(
            "c1",
            "Harbor Homes",
            json!({"name": "Harbor Homes", "active": true}),
        )],
        now(),
    );
    stage(
        store,
        integration,
        Module::Jobs,
        &[incoming(
            "j1",
            "Harbor Homes:Deck",
            json!({"name": "Deck", "customer_external_id": "c1", "job_number": "J-100", "active": true}),
        )],
        now(),
    );
    stage(
        store,
        integration,
        Module::TimeEntries,
        &[time_entry("t1", 8 * 3600)],
        now(),
    );
}

fn time_entry(id: &str, seconds: i64) -> Incoming {
    incoming(
        id,
        "Rosa Diaz · 2026-10-30",
        json!({
            "employee_external_id": "u1", "job_external_id": "j1", "task_external_id": null,
            "pay_item_external_id": null, "notes": "",
            "span": {"kind": "manual", "date": "2026-10-30", "duration_seconds": seconds},
        }),
    )
}

fn local_employees(store: &Store) -> Vec<employees::Employee> {
    store
        .read(|c| employees::list(c, &ListQuery::default()))
        .expect("listed")
        .rows
}

#[test]
fn a_time_entry_whose_job_was_never_imported_brings_its_job_customer_and_employee_along() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    let summary = import(&t.store, integration, Module::TimeEntries, &[entry], now());
    let mut along: Vec<_> = summary
        .also_imported
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    along.sort_unstable();

    assert_eq!(
        summary.created, 4,
        "the entry and its three dependencies are created: {summary:?}"
    );
    assert_eq!(
        along,
        ["Harbor Homes", "Harbor Homes:Deck", "Rosa Diaz"],
        "and the summary says what came along"
    );
    assert_eq!(
        status(&t.store, integration, Module::Jobs, "j1"),
        StagedStatus::Imported,
        "the job reads Imported too"
    );
}

#[test]
fn without_dependencies_a_time_entry_whose_job_is_not_imported_is_skipped_whole() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");
    let options = ImportOptions {
        include_dependencies: false,
        ..ImportOptions::default()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::TimeEntries,
        &[entry],
        &options,
        now(),
    );

    assert_eq!(summary.created, 0, "nothing is created: {summary:?}");
    assert!(
        summary.skipped[0].reason.contains("Rosa Diaz"),
        "the reason names the missing dependency: {}",
        summary.skipped[0].reason
    );
    assert!(
        local_employees(&t.store).is_empty(),
        "no half-import: not even the employee"
    );
}

#[test]
fn a_dependency_missing_at_the_source_is_reported_and_nothing_is_written() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    stage(
        &t.store,
        integration,
        Module::TimeEntries,
        &[time_entry("t1", 3600)],
        now(),
    );
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    let summary = import(&t.store, integration, Module::TimeEntries, &[entry], now());

    assert!(
        summary.skipped[0].reason.contains("has not been synced"),
        "the job was never synced: {:?}",
        summary.skipped
    );
    assert!(
        local_employees(&t.store).is_empty(),
        "the employee imported for it is rolled back with it"
    );
}

#[test]
fn importing_twice_changes_nothing() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");
    import(&t.store, integration, Module::TimeEntries, &[entry], now());
    let audit_rows = |s: &Store| -> i64 {
        s.read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
            .expect("counted")
    };
    let before = audit_rows(&t.store);

    let again = import(
        &t.store,
        integration,
        Module::TimeEntries,
        &[entry],
        now() + Duration::hours(1),
    );

    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 1),
        "the second import finds it already imported: {again:?}"
    );
    assert_eq!(
        audit_rows(&t.store),
        before,
        "and writes nothing, not even to the audit log"
    );
}

#[test]
fn imported_records_say_where_they_came_from() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");

    import(&t.store, integration, Module::Employees, &[id], now());
    let employee = &local_employees(&t.store)[0];

    assert_eq!(
        employee.meta.synced_status, "Imported from Sandbox",
        "the Synced status column"
    );
    assert!(
        matches!(&employee.meta.source, RecordSource::Imported { external_id, .. } if external_id == "u1"),
        "and the external id is kept"
    );
}

#[test]
fn an_employee_that_looks_like_an_existing_one_is_offered_as_a_link_then_linked() {
    let t = common::store();
    let integration = connect(&t.store);
    let existing = t
        .store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    employee_number: Some("E-7".into()),
                    first_name: "Rosa".into(),
                    last_name: "Díaz-Ortega".into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("created by hand")
        .id;
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");

    let offered = import(&t.store, integration, Module::Employees, &[id], now());
    let options = ImportOptions {
        links: [(id, LinkChoice::Existing { local_id: existing })].into(),
        ..ImportOptions::default()
    };
    let linked = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now(),
    );
    let all = local_employees(&t.store);

    assert_eq!(
        (
            offered.created,
            offered.needs_link[0].local_id,
            offered.needs_link[0].matched_on.as_str()
        ),
        (0, existing, "employee number"),
        "not created: offered as a link to the employee with the same number"
    );
    assert_eq!(linked.linked, 1, "linked when the admin says so");
    assert_eq!(all.len(), 1, "no duplicate employee");
    assert_eq!(
        all[0].meta.synced_status, "Imported from Sandbox",
        "the existing record is now tied to the integration"
    );
}

#[test]
fn choosing_create_new_for_a_look_alike_creates_a_second_employee() {
    let t = common::store();
    let integration = connect(&t.store);
    t.store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    first_name: "Rosa".into(),
                    last_name: "Diaz".into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("created by hand");
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    let options = ImportOptions {
        links: [(id, LinkChoice::CreateNew)].into(),
        ..ImportOptions::default()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now(),
    );

    assert_eq!(summary.created, 1, "a different Rosa Diaz is created");
    assert_eq!(local_employees(&t.store).len(), 2, "two employees now");
}

/// Rosa imported, then her phone edited by hand and her e-mail and phone
/// changed at the source.
fn edited_on_both_sides(t: &common::TestStore, integration: i64) -> (i64, i64) {
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    import(&t.store, integration, Module::Employees, &[id], now());
    let local = local_employees(&t.store)[0].clone();
    t.store
        .write(|tx| {
            employees::update(
                tx,
                local.id,
                &EmployeeDraft {
                    phone: Some("555-0100".into()),
                    email: local.email.clone(),
                    employee_number: local.employee_number.clone(),
                    first_name: local.first_name.clone(),
                    last_name: local.last_name.clone(),
                    hire_date: local.hire_date,
                },
                &admin(),
                now() + Duration::hours(1),
            )
        })
        .expect("edited by hand");
    let mut changed = rosa();
    changed.data["email"] = json!("rosa.diaz@example.com");
    changed.data["phone"] = json!("555-0199");
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[changed],
        now() + Duration::hours(2),
    );
    (id, local.id)
}

#[test]
fn a_field_edited_by_hand_and_changed_at_the_source_is_a_conflict_to_settle() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);

    let summary = import(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        now() + Duration::hours(3),
    );
    let fields: Vec<_> = summary.conflicts[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();

    assert_eq!(
        fields,
        ["phone"],
        "only the phone changed on both sides: {summary:?}"
    );
    assert_eq!(
        summary.conflicts[0].fields[0].local,
        json!("555-0100"),
        "the hand-typed value is shown beside the incoming one"
    );
    assert_eq!(
        local_employees(&t.store)[0].email.as_deref(),
        Some("rosa@example.com"),
        "nothing is written until the admin chooses"
    );
}

#[test]
fn keeping_the_local_value_still_takes_the_fields_changed_only_at_the_source() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);
    let options = ImportOptions {
        resolutions: [(id, Winner::Local)].into(),
        ..ImportOptions::default()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now() + Duration::hours(3),
    );
    let rosa = &local_employees(&t.store)[0];

    assert_eq!(summary.updated, 1, "updated: {summary:?}");
    assert_eq!(
        (rosa.phone.as_deref(), rosa.email.as_deref()),
        (Some("555-0100"), Some("rosa.diaz@example.com")),
        "the hand-typed phone stays; the new e-mail from the source is taken"
    );
}

#[test]
fn taking_the_incoming_value_overwrites_the_hand_edit() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);
    let options = ImportOptions {
        resolutions: [(id, Winner::Incoming)].into(),
        ..ImportOptions::default()
    };

    import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now() + Duration::hours(3),
    );

    assert_eq!(
        local_employees(&t.store)[0].phone.as_deref(),
        Some("555-0199"),
        "the source's phone wins"
    );
}

/// The company with its time entry imported, then deleted at the source.
fn imported_then_removed_at_source() -> (common::TestStore, i64, i64) {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");
    import(&t.store, integration, Module::TimeEntries, &[entry], now());
    t.store
        .write(|tx| {
            staged::mark_removed(
                tx,
                integration,
                Module::TimeEntries,
                &["t1".to_owned()],
                now(),
            )
        })
        .expect("removed at the source");
    (t, integration, entry)
}

#[test]
fn a_time_entry_removed_at_the_source_is_voided_not_deleted() {
    let (t, integration, entry) = imported_then_removed_at_source();

    let summary = import(
        &t.store,
        integration,
        Module::TimeEntries,
        &[entry],
        now() + Duration::hours(1),
    );
    let (count, voided): (i64, i64) = t
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*), count(voided_at) FROM time_entries",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .expect("counted");

    assert_eq!(
        summary.deactivated, 1,
        "the removal is imported: {summary:?}"
    );
    assert_eq!((count, voided), (1, 1), "the entry is kept, voided");
}

#[test]
fn a_record_removed_before_it_was_ever_imported_is_skipped_with_the_reason() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    t.store
        .write(|tx| {
            staged::mark_removed(
                tx,
                integration,
                Module::Employees,
                &["u1".to_owned()],
                now(),
            )
        })
        .expect("removed at the source");
    let id = staged_id(&t.store, integration, Module::Employees, "u1");

    let summary = import(&t.store, integration, Module::Employees, &[id], now());

    assert!(
        summary.skipped[0].reason.contains("removed at the source"),
        "{:?}",
        summary.skipped
    );
    assert!(local_employees(&t.store).is_empty(), "nothing is created");
}

#[test]
fn an_updated_record_not_edited_by_hand_takes_the_new_values() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    import(&t.store, integration, Module::Employees, &[id], now());
    let mut changed = rosa();
    changed.data["last_name"] = json!("Diaz-Ortega");
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[changed],
        now() + Duration::hours(1),
    );

    let summary = import(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        now() + Duration::hours(2),
    );

    assert_eq!(summary.updated, 1, "updated: {summary:?}");
    assert_eq!(
        local_employees(&t.store)[0].last_name,
        "Diaz-Ortega",
        "the new name is imported"
    );
    assert_eq!(
        status(&t.store, integration, Module::Employees, "u1"),
        StagedStatus::Imported,
        "and the staged record reads Imported again"
    );
}

#[test]
fn an_archived_record_is_not_imported() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    t.store
        .write(|tx| {
            staged::set_archived(
                tx,
                integration,
                Module::Employees,
                &staged::Selection::Ids { ids: vec![id] },
                true,
                &admin(),
                now(),
            )
        })
        .expect("archived");

    let summary = import(&t.store, integration, Module::Employees, &[id], now());

    assert!(
        summary.skipped[0].reason.contains("archived"),
        "{:?}",
        summary.skipped
    );
}

#[test]
fn a_stopped_import_keeps_whole_chunks_and_nothing_half_done() {
    let t = common::store();
    let integration = connect(&t.store);
    let chunk = timebridge_core::middleware::import::CHUNK;
    let people: Vec<Incoming> = (0..chunk * 2 + 200)
        .map(|i| {
            incoming(
                &format!("u{i}"),
                &format!("Worker {i}"),
                json!({"first_name": "Worker", "last_name": format!("{i}"), "active": true}),
            )
        })
        .collect();
    stage(&t.store, integration, Module::Employees, &people, now());
    let ids = t
        .store
        .read(|c| {
            timebridge_core::middleware::import::selected_ids(
                c,
                integration,
                Module::Employees,
                &staged::Selection::Matching {
                    filter: StagedFilter::default(),
                },
            )
        })
        .expect("selected");
    let mut reports = Vec::new();

    let summary = timebridge_core::middleware::import::run_ids(
        &t.store,
        integration,
        Module::Employees,
        &ids,
        &ImportOptions::default(),
        &admin(),
        now(),
        &mut |done| {
            reports.push(done);
            false // the admin pressed Cancel during the first chunk
        },
    )
    .expect("stops cleanly");
    let imported_staged = t
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM staged_records WHERE status = 'imported'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .expect("counted");

    assert_eq!(
        reports,
        [chunk as u64],
        "progress was reported after the first chunk"
    );
    assert_eq!(
        summary.created, chunk as u64,
        "one chunk was imported: {}",
        summary.created
    );
    assert_eq!(
        (local_employees_count(&t.store), imported_staged),
        (chunk as i64, chunk as i64),
        "local records and staged statuses agree: nothing half-done"
    );
}

fn local_employees_count(store: &Store) -> i64 {
    store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM employees", [], |r| r.get(0))?))
        .expect("counted")
}

#[test]
fn hours_per_day_sum_manual_and_clocked_time_of_the_filtered_set() {
    let t = common::store();
    let integration = connect(&t.store);
    let clocked = incoming(
        "t9",
        "Rosa Diaz · 2026-10-30",
        json!({"employee_external_id": "u1", "span": {"kind": "clock",
               "start": "2026-10-30T07:00:00-06:00", "end": "2026-10-30T15:30:00-06:00"}}),
    );
    let clocked = Incoming {
        record_date: "2026-10-30".parse().ok(),
        ..clocked
    };
    stage(
        &t.store,
        integration,
        Module::TimeEntries,
        &[time_entry("t1", 3600), clocked, {
            let mut other = time_entry("t2", 1800);
            other.data["span"]["date"] = json!("2026-10-29");
            other.record_date = "2026-10-29".parse().ok();
            other
        }],
        now(),
    );

    let days = t
        .store
        .read(|c| staged::hours_per_day(c, integration, &StagedFilter::default()))
        .expect("summed");
    let summary: Vec<(String, i64, i64)> = days
        .iter()
        .map(|d| (d.date.to_string(), d.seconds, d.entries))
        .collect();

    assert_eq!(
        summary,
        [
            ("2026-10-29".to_owned(), 1800, 1),
            ("2026-10-30".to_owned(), 3600 + 8 * 3600 + 1800, 2)
        ],
        "an hour by hand plus 8.5 clocked hours on the 30th; half an hour on the 29th"
    );
}

#[test]
fn a_rejected_record_takes_the_dependency_it_brought_with_it_and_the_next_one_brings_it_again() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    // 30 hours in a day: refused by validation, after its employee, job
    // and task were imported for it (the task looked its job up again).
    stage(
        &t.store,
        integration,
        Module::Tasks,
        &[incoming(
            "k1",
            "02-200 Framing",
            json!({"code": "02-200", "name": "Framing", "job_external_id": "j1", "active": true}),
        )],
        now(),
    );
    let mut bad_entry = time_entry("t0", 30 * 3600);
    bad_entry.data["task_external_id"] = json!("k1");
    stage(
        &t.store,
        integration,
        Module::TimeEntries,
        &[bad_entry],
        now(),
    );
    let bad = staged_id(&t.store, integration, Module::TimeEntries, "t0");
    let good = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    let summary = import(
        &t.store,
        integration,
        Module::TimeEntries,
        &[bad, good],
        now(),
    );

    assert_eq!(
        summary.skipped.len(),
        1,
        "the 30-hour entry is refused: {summary:?}"
    );
    assert_eq!(
        (summary.created, local_employees(&t.store).len()),
        (4, 1),
        "the good entry and its three dependencies are created once, whole"
    );
}

#[test]
fn the_dependencies_of_a_rejected_record_stay_new_at_the_source() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    stage(
        &t.store,
        integration,
        Module::TimeEntries,
        &[time_entry("t0", 30 * 3600)],
        now(),
    );
    let bad = staged_id(&t.store, integration, Module::TimeEntries, "t0");

    import(&t.store, integration, Module::TimeEntries, &[bad], now());

    assert_eq!(
        (
            status(&t.store, integration, Module::Employees, "u1"),
            status(&t.store, integration, Module::Jobs, "j1"),
            status(&t.store, integration, Module::Customers, "c1"),
        ),
        (StagedStatus::New, StagedStatus::New, StagedStatus::New),
        "the employee, job and customer brought along were taken back out, so they are still New"
    );
}

#[test]
fn the_kept_counts_agree_with_the_rows_after_staging_importing_removing_and_archiving() {
    let (t, integration, _) = imported_then_removed_at_source();
    let customer = staged_id(&t.store, integration, Module::Customers, "c1");
    t.store
        .write(|tx| {
            staged::set_archived(
                tx,
                integration,
                Module::Customers,
                &staged::Selection::Ids {
                    ids: vec![customer],
                },
                true,
                &admin(),
                now(),
            )
        })
        .expect("archived");

    type Groups = Vec<(String, String, i64, i64)>;
    let (kept, counted): (Groups, Groups) = t
        .store
        .read(|c| {
            let rows = |sql: &str| -> timebridge_core::Result<Groups> {
                let mut s = c.prepare(sql)?;
                let v = s
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(v)
            };
            Ok((
                rows("SELECT module, status, removed_at_source, n FROM staged_counts WHERE n > 0 ORDER BY 1, 2, 3")?,
                rows("SELECT module, status, removed_at_source, count(*) FROM staged_records GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")?,
            ))
        })
        .expect("read");

    assert_eq!(kept, counted, "the trigger-kept counts match a real count");
}

#[test]
fn an_import_is_one_entry_in_the_activity_log_with_its_counts() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    import(&t.store, integration, Module::TimeEntries, &[entry], now());
    let entries: Vec<(String, String)> = t
        .store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT action, summary FROM audit_log WHERE action LIKE 'record.%' OR action = 'staged.imported'",
            )?;
            let rows = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("read");

    assert_eq!(
        entries,
        [(
            "staged.imported".to_owned(),
            "Imported 1 time entry from Sandbox, and 3 records they needed".to_owned()
        )],
        "one readable entry, not one per record"
    );
}
