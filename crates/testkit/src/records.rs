//! The test administrator, and the records they make by hand.

use chrono::{DateTime, Utc};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::employees::{self, Employee, EmployeeDraft};
use timebridge_core::records::jobs::{self, Job, JobDraft};

/// Who makes the changes in the tests. Not an operator row: the audit
/// log's operator column is a foreign key, so a made-up id would be refused.
pub fn admin() -> Actor {
    Actor {
        operator_id: None,
        name: "Test administrator".into(),
    }
}

/// An employee entered by hand by `by` at `at`, with only a name and an
/// optional employee number.
pub fn employee(
    store: &Store,
    first: &str,
    last: &str,
    number: Option<&str>,
    by: &Actor,
    at: DateTime<Utc>,
) -> Employee {
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
                by,
                at,
            )
        })
        .expect("a valid employee is created")
}

/// A job entered by hand by `by` at `at`, with only a name.
pub fn job(store: &Store, name: &str, by: &Actor, at: DateTime<Utc>) -> Job {
    store
        .write(|tx| {
            jobs::create(
                tx,
                &JobDraft {
                    name: name.into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                by,
                at,
            )
        })
        .expect("a valid job is created")
}
