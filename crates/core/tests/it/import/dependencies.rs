//! Dependencies imported along, or the record skipped whole.

use super::*;

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
