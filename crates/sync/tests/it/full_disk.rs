//! A disk that fills up during a sync (simulated with SQLite's
//! `max_page_count`): the run fails with a plain message, the pages it
//! committed before are kept whole, and the next sync finishes the work
//! without losing or duplicating a record.

use chrono::Duration;
use timebridge_core::Store;
use timebridge_core::middleware::runs::RunOutcome;
use timebridge_emulators::quickbooks_time::{Company, CompanySpec};

use crate::common::{emulator, generated_at, setup, snapshot};

/// A company big enough that its first sync spans many pages of writes.
fn big_company() -> Company {
    let today = generated_at().date_naive();
    let spec = CompanySpec {
        employees: 400,
        customers: 20,
        jobs_per_customer: 5,
        tasks_per_job: 4,
        from: today - Duration::days(10),
        days: 10,
        entries_per_day: 2,
        seed: 11,
    };
    Company::generate(&spec, generated_at())
}

fn page_count(store: &Store) -> u64 {
    let pages: i64 = store
        .read(|c| Ok(c.query_row("PRAGMA page_count", [], |row| row.get(0))?))
        .expect("the page count is readable");
    pages as u64
}

fn integrity(store: &Store) -> String {
    store
        .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |row| row.get(0))?))
        .expect("the check runs")
}

#[tokio::test]
async fn a_full_disk_fails_the_sync_plainly_and_the_next_sync_finishes_losing_nothing() {
    let emulator = emulator(big_company()).await;
    let clean = setup(&emulator);
    let empty = page_count(&clean.store);
    clean.sync().await;
    let needed = page_count(&clean.store) - empty;
    let s = setup(&emulator);
    // Room for about half of what the sync writes.
    s.store
        .set_page_limit(Some(page_count(&s.store) + needed / 2))
        .expect("the database is capped");

    let failed = s.sync().await;

    assert_eq!(
        failed.outcome,
        RunOutcome::Failed,
        "a sync that cannot save its pages fails: {:?}",
        failed.error_message
    );
    let message = failed.error_message.clone().unwrap_or_default();
    assert!(
        message.starts_with("The disk is full")
            && message.contains("Free some space")
            && message.contains("Nothing already saved was lost"),
        "the run says plainly what happened and what to do: {message}"
    );
    let committed = snapshot(&s.store);
    assert!(
        !committed.is_empty(),
        "the pages written before the disk filled are kept (else this test proves nothing)"
    );
    assert_eq!(
        integrity(&s.store),
        "ok",
        "a write cut off by a full disk leaves the file sound"
    );

    s.store.set_page_limit(None).expect("space is freed");
    let finished = s.sync().await;
    assert_eq!(
        finished.outcome,
        RunOutcome::Succeeded,
        "with space again the next sync succeeds: {:?}",
        finished.error_message
    );
    let after = snapshot(&s.store);
    let missing: Vec<_> = committed.iter().filter(|r| !after.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "nothing committed before the disk filled is lost or changed: {missing:?}"
    );

    assert_eq!(
        after,
        snapshot(&clean.store),
        "the resumed sync ends exactly as a sync that never ran out of space"
    );
}
