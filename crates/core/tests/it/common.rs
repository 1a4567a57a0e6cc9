//! The core's own test helpers: a Central time on the pinned day, an
//! integration row, a validation error's fields. The shared ones (a fresh
//! store, the pinned "now", the test administrator, records made by hand)
//! come from the test kit.

use chrono::{DateTime, FixedOffset, TimeZone};
use timebridge_core::Store;
use timebridge_core::records::employees::Employee;
use timebridge_core::records::jobs::Job;
pub use timebridge_testkit::{TestStore, admin, now, store};

/// 2026-11-02 at `hour:minute` in UTC-6 (Central Standard Time).
pub fn central(hour: u32, minute: u32) -> DateTime<FixedOffset> {
    FixedOffset::west_opt(6 * 3600)
        .expect("valid offset")
        .with_ymd_and_hms(2026, 11, 2, hour, minute, 0)
        .single()
        .expect("a valid local time")
}

/// An employee the test administrator entered by hand at [`now`].
pub fn employee(store: &Store, first: &str, last: &str, number: Option<&str>) -> Employee {
    timebridge_testkit::employee(store, first, last, number, &admin(), now())
}

/// A job the test administrator entered by hand at [`now`].
pub fn job(store: &Store, name: &str) -> Job {
    timebridge_testkit::job(store, name, &admin(), now())
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
