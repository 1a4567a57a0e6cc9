//! Killing a sync at random points, then resuming it, loses and duplicates
//! nothing. The sync runs in a child process (this test binary, re-run as
//! `kill::child_sync`), which the test kills mid-sync several times.

use crate::{child, common};

use std::sync::Arc;
use std::time::Duration;

use common::{emulator, generated_at, setup, snapshot, spec};
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::middleware::runs::RunTrigger;
use timebridge_core::time::SystemClock;
use timebridge_emulators::quickbooks_time::{Company, Fault};
use timebridge_sync::Engine;

/// The child: syncs the integration in TB_CHILD_DB with the token in TB_CHILD_TOKEN.
#[tokio::test]
#[ignore = "helper process for a_sync_killed_at_random_points_resumes_to_the_same_result"]
async fn child_sync() {
    let (Ok(db), Ok(token), Ok(id)) = (
        std::env::var("TB_CHILD_DB"),
        std::env::var("TB_CHILD_TOKEN"),
        std::env::var("TB_CHILD_INTEGRATION"),
    ) else {
        return;
    };
    let id: i64 = id.parse().expect("integration id");
    let store = Arc::new(Store::open(std::path::Path::new(&db)).expect("database"));
    let secrets = Arc::new(MemorySecrets::default());
    Credentials::access_token(token)
        .save(secrets.as_ref(), id)
        .expect("saved");
    let engine = Engine::new(
        store,
        secrets as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        common::quick_options(),
    );
    engine
        .runs()
        .sync(id, RunTrigger::CommandLine)
        .await
        .expect("run recorded");
}

fn pages_written(store: &Store) -> i64 {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT coalesce(sum(json_extract(counts, '$.time_entries.pages')), 0) FROM sync_runs",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn a_sync_killed_at_random_points_resumes_to_the_same_result() {
    let mut bigger = spec();
    bigger.employees = 40;
    let company = || Company::generate(&bigger, generated_at());
    let clean = {
        let emulator = emulator(company()).await;
        let s = setup(&emulator);
        s.sync().await;
        snapshot(&s.store)
    };

    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    // Slow every timesheet page down so kills land in the middle.
    for _ in 0..40 {
        emulator.inject(Some("/timesheets"), Fault::Delay(Duration::from_millis(30)));
    }
    let token = emulator.issue_token();
    let db = s.store.path().to_path_buf();
    let mut random =
        child::Seeded::new("a_sync_killed_at_random_points_resumes_to_the_same_result");
    let mut kills = 0;
    for _ in 0..3u64 {
        let target = pages_written(&s.store) + 1 + random.below(2) as i64;
        let mut child = child::spawn(
            "kill::child_sync",
            &[
                ("TB_CHILD_DB", db.display().to_string()),
                ("TB_CHILD_TOKEN", token.clone()),
                ("TB_CHILD_INTEGRATION", s.integration.to_string()),
            ],
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if pages_written(&s.store) >= target {
                tokio::time::sleep(Duration::from_millis(random.below(25))).await;
                let _ = child.kill();
                kills += 1;
                break;
            }
            if child.try_wait().expect("child status").is_some()
                || std::time::Instant::now() > deadline
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = child.wait();
    }
    eprintln!(
        "kills: {kills}, pages written before resuming: {}",
        pages_written(&s.store)
    );
    assert!(
        kills >= 1,
        "at least one sync was killed mid-way, or the test proves nothing"
    );

    let resumed = s.sync().await;

    assert_eq!(
        resumed.outcome,
        timebridge_core::middleware::runs::RunOutcome::Succeeded,
        "resuming finishes: {:?}",
        resumed.error_message
    );
    assert!(
        snapshot(&s.store) == clean,
        "after {kills} kills and a resume, the middleware equals a clean run's (seed {})",
        random.seed
    );
}
