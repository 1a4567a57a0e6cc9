//! The instant every test starts from: Monday 2 November 2026, 15:00 UTC.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use timebridge_core::time::ManualClock;

/// 2026-11-02 15:00 UTC, the tests' "now".
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 15, 0, 0)
        .single()
        .expect("a valid instant")
}

/// A clock standing at [`now`], moved only by the test.
pub fn pinned_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(now()))
}
