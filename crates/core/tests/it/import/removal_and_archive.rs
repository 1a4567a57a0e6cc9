//! Records removed at the source, archived ones, and updates.

use super::*;

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
