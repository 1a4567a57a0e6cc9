//! Importing staged records into local records over a real database:
//! dependencies, look-alikes, hand edits, removal at the source, and
//! importing twice.

mod chunks_and_counts;
use crate::common;
mod dependencies;
mod inactive;
mod look_alikes_and_edits;
mod removal_and_archive;
mod suggested_links;
mod wages;

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
