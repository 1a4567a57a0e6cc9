//! An imported employee's wage history (busybusy keeps one) becomes the
//! wages job costing reads; a re-import of the same wages writes nothing.

use super::*;
use timebridge_core::costing::wages::{self, WageSource};

fn rosa_paid(wages: Value) -> Incoming {
    let mut rosa = rosa();
    rosa.data["wages"] = wages;
    rosa
}

fn rosa_id(store: &Store) -> i64 {
    store
        .read(|c| employees::list(c, &ListQuery::default()))
        .expect("listed")
        .rows
        .into_iter()
        .find(|e| e.first_name == "Rosa")
        .expect("Rosa is imported")
        .id
}

fn imported_wages(store: &Store) -> Vec<(String, i64, WageSource)> {
    store
        .read(|c| wages::list(c, rosa_id(store)))
        .expect("the wages list")
        .into_iter()
        .map(|w| (w.from.to_string(), w.cents_per_hour, w.source))
        .collect()
}

fn import_rosa(store: &Store, integration: i64, rosa: Incoming, at: DateTime<Utc>) {
    stage(store, integration, Module::Employees, &[rosa], at);
    let id = staged_id(store, integration, Module::Employees, "u1");
    import(store, integration, Module::Employees, &[id], at);
}

#[test]
fn an_imported_wage_history_becomes_the_employees_dated_wages() {
    let store = common::store();
    let integration = connect(&store.store);
    import_rosa(
        &store.store,
        integration,
        rosa_paid(json!([
            {"from": "2026-01-05", "amount": "21.00", "per": "hour"},
            {"from": "2026-07-01", "amount": "1000", "per": "week"}
        ])),
        now(),
    );
    assert_eq!(
        imported_wages(&store.store),
        vec![
            ("2026-07-01".into(), 2500, WageSource::Imported),
            ("2026-01-05".into(), 2100, WageSource::Imported),
        ],
        "newest first; the weekly wage over a 40-hour week"
    );
}

#[test]
fn a_changed_wage_history_replaces_the_imported_wages_and_keeps_those_set_by_hand() {
    let store = common::store();
    let integration = connect(&store.store);
    import_rosa(
        &store.store,
        integration,
        rosa_paid(json!([{"from": "2026-01-05", "amount": "21.00", "per": "hour"}])),
        now(),
    );
    store
        .store
        .write(|tx| {
            wages::set(
                tx,
                &wages::WageDraft {
                    employee_id: rosa_id(&store.store),
                    from: "2026-03-01".parse().expect("a date"),
                    cents_per_hour: 2300,
                },
                &admin(),
                now(),
            )
        })
        .expect("a wage set by hand");
    import_rosa(
        &store.store,
        integration,
        rosa_paid(json!([{"from": "2026-01-05", "amount": "22.00", "per": "hour"}])),
        now() + Duration::minutes(5),
    );
    assert_eq!(
        imported_wages(&store.store),
        vec![
            ("2026-03-01".into(), 2300, WageSource::Manual),
            ("2026-01-05".into(), 2200, WageSource::Imported),
        ],
        "the platform's new wage replaces its old one; the admin's stays"
    );
}

#[test]
fn an_employee_from_a_platform_without_wages_keeps_the_wages_it_has() {
    let store = common::store();
    let integration = connect(&store.store);
    import_rosa(
        &store.store,
        integration,
        rosa_paid(json!([{"from": "2026-01-05", "amount": "21.00", "per": "hour"}])),
        now(),
    );
    let mut renamed = rosa();
    renamed.data["email"] = json!("rosa.diaz@example.com");
    import_rosa(
        &store.store,
        integration,
        renamed,
        now() + Duration::minutes(5),
    );
    assert_eq!(
        imported_wages(&store.store).len(),
        1,
        "a payload with no wage history says nothing of wages"
    );
}
