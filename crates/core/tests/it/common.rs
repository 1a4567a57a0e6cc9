//! Helpers shared by the core's integration tests: a fresh on-disk store in a
//! temporary folder, a fixed "now", and quick record builders.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use tempfile::TempDir;
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::employees::{self, Employee, EmployeeDraft};
use timebridge_core::records::jobs::{self, Job, JobDraft};

pub struct TestStore {
    pub store: Store,
    pub dir: TempDir,
}

/// A new database file in its own temporary folder.
pub fn store() -> TestStore {
    let dir = tempfile::tempdir().expect("a temporary folder can be made");
    let store = Store::open(&dir.path().join("timebridge.db")).expect("a new database opens");
    TestStore { store, dir }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 15, 0, 0)
        .single()
        .expect("a valid instant")
}

/// 2026-11-02 at `hour:minute` in UTC-6 (Central Standard Time).
pub fn central(hour: u32, minute: u32) -> DateTime<FixedOffset> {
    FixedOffset::west_opt(6 * 3600)
        .expect("valid offset")
        .with_ymd_and_hms(2026, 11, 2, hour, minute, 0)
        .single()
        .expect("a valid local time")
}

/// Who makes the changes in these tests. Not an operator row: the audit
/// log's operator column is a foreign key, so a made-up id would be refused.
pub fn admin() -> Actor {
    Actor {
        operator_id: None,
        name: "Test administrator".into(),
    }
}

pub fn employee(store: &Store, first: &str, last: &str, number: Option<&str>) -> Employee {
    store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    first_name: first.into(),
                    last_name: last.into(),
                    employee_number: number.map(str::to_owned),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a valid employee is created")
}

pub fn job(store: &Store, name: &str) -> Job {
    store
        .write(|tx| {
            jobs::create(
                tx,
                &JobDraft {
                    name: name.into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a valid job is created")
}

/// An integration row, as the sync issue will create them.
pub fn integration(store: &Store, name: &str) -> i64 {
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO integrations (platform, name, created_at) VALUES ('sandbox', ?1, '2026-11-01T00:00:00.000Z')",
                [name],
            )?;
            Ok(tx.last_insert_rowid())
        })
        .expect("an integration row is inserted")
}

/// The field names a validation error lists.
pub fn problem_fields(error: &timebridge_core::Error) -> Vec<String> {
    match error {
        timebridge_core::Error::Validation(problems) => {
            problems.iter().map(|p| p.field.clone()).collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}
