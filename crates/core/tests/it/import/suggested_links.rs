//! Records held back by a look-alike they need (time on the source's pay
//! item `Sick` beside the local `SICK`), counted, and imported whole once
//! every suggested link is taken.

use super::*;
use timebridge_core::records::pay_ids::PayCategory;
use timebridge_core::records::{pay_ids, time_entries};

/// The company of [`company`], with two of Rosa's entries on the source's
/// pay item `Sick` (the built-in local pay ID is `SICK`; the source files it
/// under paid time off, as QuickBooks Time does), and, when `through_task`,
/// that pay item reached through the entries' task.
fn sick_days(store: &Store, integration: i64, through_task: bool) -> Vec<i64> {
    company(store, integration);
    stage(
        store,
        integration,
        Module::PayItems,
        &[incoming(
            "p1",
            "Sick",
            json!({"code": "Sick", "name": "Sick leave", "category": "pto", "multiplier": 1.0, "active": true}),
        )],
        now(),
    );
    if through_task {
        stage(
            store,
            integration,
            Module::Tasks,
            &[incoming(
                "k1",
                "Sick day",
                json!({"job_external_id": null, "code": "SICK-DAY", "name": "Sick day", "pay_item_external_id": "p1", "active": true}),
            )],
            now(),
        );
    }
    let entries: Vec<Incoming> = ["s1", "s2"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut entry = time_entry(id, 8 * 3600);
            entry.data["span"]["date"] = json!(format!("2026-10-2{}", i + 6));
            if through_task {
                entry.data["task_external_id"] = json!("k1");
                entry.data["job_external_id"] = json!(null);
            } else {
                entry.data["pay_item_external_id"] = json!("p1");
            }
            entry
        })
        .collect();
    stage(store, integration, Module::TimeEntries, &entries, now());
    ["s1", "s2"]
        .iter()
        .map(|id| staged_id(store, integration, Module::TimeEntries, id))
        .collect()
}

fn local_sick_pay_id(store: &Store) -> pay_ids::PayId {
    store
        .read(|c| pay_ids::find_by_code(c, "SICK"))
        .expect("read")
        .expect("SICK is built in")
}

fn local_sick(store: &Store) -> i64 {
    local_sick_pay_id(store).id
}

fn suggested() -> ImportOptions {
    ImportOptions {
        link_suggested: true,
        ..ImportOptions::default()
    }
}

#[test]
fn time_on_a_pay_item_that_looks_like_a_local_one_is_held_back_and_counted_with_it() {
    let t = common::store();
    let integration = connect(&t.store);
    let entries = sick_days(&t.store, integration, false);
    let pay_item = staged_id(&t.store, integration, Module::PayItems, "p1");

    let summary = import(&t.store, integration, Module::TimeEntries, &entries, now());

    assert_eq!(
        (summary.created, summary.held_back_count()),
        (0, 2),
        "both entries are held back, nothing half-imported: {summary:?}"
    );
    assert_eq!(
        summary
            .held_back
            .iter()
            .map(|h| (
                h.module,
                h.suggestion.staged_id,
                h.suggestion.local_id,
                h.staged_ids.clone()
            ))
            .collect::<Vec<_>>(),
        [(Module::PayItems, pay_item, local_sick(&t.store), entries)],
        "by one look-alike, named so it can be linked: Sick looks like SICK"
    );
}

#[test]
fn a_look_alike_further_down_holds_back_the_records_that_need_it_through_another() {
    let t = common::store();
    let integration = connect(&t.store);
    let entries = sick_days(&t.store, integration, true);
    let pay_item = staged_id(&t.store, integration, Module::PayItems, "p1");

    let summary = import(&t.store, integration, Module::TimeEntries, &entries, now());

    assert_eq!(
        summary
            .held_back
            .iter()
            .map(|h| (h.suggestion.staged_id, h.staged_ids.len()))
            .collect::<Vec<_>>(),
        [(pay_item, 2)],
        "the entries need the task, which needs the pay item Sick: that is what to link: {summary:?}"
    );
}

#[test]
fn taking_the_suggested_links_imports_the_held_back_time_on_the_local_pay_id() {
    let t = common::store();
    let integration = connect(&t.store);
    let entries = sick_days(&t.store, integration, false);
    let pay_ids_before = t
        .store
        .read(|c| pay_ids::list(c, &ListQuery::default()))
        .expect("listed")
        .total;

    let summary = import_with(
        &t.store,
        integration,
        Module::TimeEntries,
        &entries,
        &suggested(),
        now(),
    );
    let pay_ids_after = t
        .store
        .read(|c| pay_ids::list(c, &ListQuery::default()))
        .expect("listed")
        .total;
    let on_sick: Vec<Option<i64>> = t
        .store
        .read(|c| time_entries::list(c, &ListQuery::default()))
        .expect("listed")
        .rows
        .iter()
        .map(|e| e.pay_id)
        .collect();

    assert_eq!(
        (summary.created, summary.linked, summary.held_back_count()),
        (5, 1, 0),
        "both entries and what they need are created, the pay item linked, none held back: {summary:?}"
    );
    assert_eq!(
        pay_ids_after, pay_ids_before,
        "no second sick pay ID is made"
    );
    assert_eq!(
        on_sick,
        [Some(local_sick(&t.store)); 2],
        "both entries are paid as the local SICK"
    );
    assert_eq!(
        status(&t.store, integration, Module::PayItems, "p1"),
        StagedStatus::Imported,
        "and the source's Sick reads Imported: it is bound to SICK"
    );
    let sick = local_sick_pay_id(&t.store);
    assert_eq!(
        (sick.code.as_str(), sick.category, sick.name.as_str()),
        ("SICK", PayCategory::Sick, "Sick leave"),
        "the built-in SICK keeps its code and category (payroll needs them) and takes the source's name"
    );
}

#[test]
fn taking_the_suggested_links_links_look_alikes_imported_on_their_own() {
    let t = common::store();
    let integration = connect(&t.store);
    sick_days(&t.store, integration, false);
    let pay_item = staged_id(&t.store, integration, Module::PayItems, "p1");

    let summary = import_with(
        &t.store,
        integration,
        Module::PayItems,
        &[pay_item],
        &suggested(),
        now(),
    );

    assert_eq!(
        (summary.linked, summary.needs_link.len()),
        (1, 0),
        "linked to SICK, not offered: {summary:?}"
    );
}

#[test]
fn a_create_new_decision_wins_over_taking_the_suggested_links() {
    let t = common::store();
    let integration = connect(&t.store);
    common::employee(&t.store, "Rosa", "Diaz", None);
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    let options = ImportOptions {
        links: [(id, LinkChoice::CreateNew)].into(),
        ..suggested()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now(),
    );

    assert_eq!(
        (summary.created, summary.linked),
        (1, 0),
        "the admin said this Rosa Diaz is someone else: {summary:?}"
    );
    assert_eq!(local_employees(&t.store).len(), 2, "two employees now");
}
