//! Killing an import at random points loses and half-does nothing: every
//! staged record is either imported whole (its local record, its binding,
//! its Imported status, and counted in the import's audit entry) or
//! untouched, and importing again finishes the work as a clean import
//! would have done it. The import runs in a child process (this test
//! binary, re-run as `kill_import::child_import`), a few records per
//! transaction and slowed between them, so the kills land between and
//! inside committed chunks.

use crate::{child, common};

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::{emulator, generated_at, setup, spec};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::import::{self, ImportOptions};
use timebridge_core::middleware::planner::StagedStatus;
use timebridge_core::middleware::staged::{Selection, StagedFilter};
use timebridge_emulators::quickbooks_time::Company;

/// Records per transaction in the child: small, so an import is many
/// committed steps.
const CHUNK: usize = 15;
/// How long the child waits after each committed chunk.
const PAUSE_MS: u64 = 15;
const ROUNDS: u64 = 6;

fn new_time_entries() -> Selection {
    Selection::Matching {
        filter: StagedFilter {
            status: Some(StagedStatus::New),
            ..StagedFilter::default()
        },
    }
}

/// Everything imports: nothing waits for a look-alike decision.
fn options() -> ImportOptions {
    ImportOptions {
        link_suggested: true,
        ..ImportOptions::default()
    }
}

/// The child: imports every New time entry of TB_CHILD_INTEGRATION in
/// TB_CHILD_DB (with what they need), [`CHUNK`] at a time.
#[test]
#[ignore = "helper process for an_import_killed_at_random_points_is_whole_or_untouched_and_finishes"]
fn child_import() {
    let (Some(db), Some(id)) = (
        child::env("TB_CHILD_DB"),
        child::env("TB_CHILD_INTEGRATION"),
    ) else {
        return;
    };
    let id: i64 = id.parse().expect("integration id");
    let store = Store::open(Path::new(&db)).expect("database");
    let ids = store
        .read(|c| import::selected_ids(c, id, Module::TimeEntries, &new_time_entries()))
        .expect("selected");
    import::run_in_chunks(
        &store,
        id,
        Module::TimeEntries,
        &ids,
        CHUNK,
        &options(),
        &Actor::cli(),
        Utc::now(),
        &mut |_| {
            std::thread::sleep(Duration::from_millis(PAUSE_MS));
            true
        },
    )
    .expect("the import runs");
}

/// The local table of each module's records.
const TABLES: &[(&str, &str)] = &[
    ("employees", "employees"),
    ("customers", "customers"),
    ("jobs", "jobs"),
    ("tasks", "tasks"),
    ("time_entries", "time_entries"),
    ("pay_items", "pay_ids"),
];

fn strings(store: &Store, sql: &str, integration: i64) -> BTreeSet<String> {
    store
        .read(|c| {
            let mut statement = c.prepare(sql)?;
            let rows = statement
                .query_map([integration], |r| r.get::<_, String>(0))?
                .collect::<Result<BTreeSet<_>, _>>()?;
            Ok(rows)
        })
        .expect("readable")
}

/// Why the database is not as a whole number of committed records would
/// leave it, or `None`.
fn half_done(store: &Store, integration: i64) -> Option<String> {
    let imported = strings(
        store,
        "SELECT module || ':' || external_id || ':' || checksum FROM staged_records
         WHERE integration_id = ?1 AND status = 'imported'",
        integration,
    );
    let bound = strings(
        store,
        "SELECT module || ':' || external_id || ':' || checksum FROM bindings WHERE integration_id = ?1",
        integration,
    );
    if imported != bound {
        return Some(format!(
            "staged Imported without a binding: {:?}; bound but not Imported: {:?}",
            imported.difference(&bound).take(3).collect::<Vec<_>>(),
            bound.difference(&imported).take(3).collect::<Vec<_>>()
        ));
    }
    for (module, table) in TABLES {
        let bound = strings(
            store,
            &format!(
                "SELECT b.external_id FROM bindings b WHERE b.integration_id = ?1
                 AND b.module = '{module}' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = b.local_id)"
            ),
            integration,
        );
        if !bound.is_empty() {
            return Some(format!("{module} bound to no local record: {bound:?}"));
        }
        let unbound = strings(
            store,
            &format!(
                "SELECT t.source_external_id FROM {table} t WHERE t.source_integration_id = ?1
                 AND NOT EXISTS (SELECT 1 FROM bindings b WHERE b.integration_id = ?1
                   AND b.module = '{module}' AND b.local_id = t.id)"
            ),
            integration,
        );
        if !unbound.is_empty() {
            return Some(format!("local {table} with no binding: {unbound:?}"));
        }
    }
    let logged = audited(store);
    if logged != bound.len() as i64 {
        return Some(format!(
            "the audit log counts {logged} records imported, {} are",
            bound.len()
        ));
    }
    None
}

/// Records the import entries of the audit log say were imported.
fn audited(store: &Store) -> i64 {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT coalesce(sum(json_extract(details, '$.created') + json_extract(details, '$.updated')
                   + json_extract(details, '$.linked') + json_extract(details, '$.deactivated')), 0)
                 FROM audit_log WHERE action = 'staged.imported'",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("readable")
}

/// What an import leaves: every binding with what it imported, and the
/// local records of each table.
fn imported_records(store: &Store, integration: i64) -> (BTreeSet<String>, Vec<i64>) {
    let bindings = strings(
        store,
        "SELECT module || ':' || external_id || ':' || checksum || ':' || snapshot FROM bindings
         WHERE integration_id = ?1",
        integration,
    );
    let counts = TABLES
        .iter()
        .map(|(_, table)| {
            store
                .read(|c| {
                    Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
                })
                .expect("countable")
        })
        .collect();
    (bindings, counts)
}

fn staged_imported(store: &Store, integration: i64) -> usize {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM staged_records WHERE integration_id = ?1 AND status = 'imported'",
                [integration],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .expect("countable") as usize
}

fn import_the_rest(store: &Store, integration: i64) -> import::ImportSummary {
    import::run(
        store,
        integration,
        Module::TimeEntries,
        &new_time_entries(),
        &options(),
        &Actor::cli(),
        Utc::now(),
    )
    .expect("the import runs")
}

#[tokio::test]
async fn an_import_killed_at_random_points_is_whole_or_untouched_and_finishes() {
    let company = || Company::generate(&spec(), generated_at());
    let clean = {
        let emulator = emulator(company()).await;
        let s = setup(&emulator);
        s.sync().await;
        import_the_rest(&s.store, s.integration);
        imported_records(&s.store, s.integration)
    };
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    // Records a whole import imports (time entries and what they need).
    let all = clean.0.len();
    let mut random = child::Seeded::new("an_import_killed_at_random_points");
    let seed = random.seed;

    let mut kills = 0;
    for round in 0..ROUNDS {
        let before = staged_imported(&s.store, s.integration);
        // Kill once a random number of chunks (0 to 3) has committed, a
        // random moment later: inside a chunk or in the pause after one.
        let chunks = random.below(4) as usize;
        let after = Duration::from_millis(random.below(PAUSE_MS * 2));
        let mut child = child::spawn(
            "kill_import::child_import",
            &[
                ("TB_CHILD_DB", s.store.path().display().to_string()),
                ("TB_CHILD_INTEGRATION", s.integration.to_string()),
            ],
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if staged_imported(&s.store, s.integration) >= before + chunks * CHUNK {
                tokio::time::sleep(after).await;
                if child.try_wait().expect("child status").is_none() {
                    let _ = child.kill();
                    kills += 1;
                }
                break;
            }
            if child.try_wait().expect("child status").is_some() || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = child.wait();
        if let Some(why) = half_done(&s.store, s.integration) {
            panic!(
                "seed {seed}, round {round}: killed mid-import, the database is half-done: {why}"
            );
        }
    }
    let partly = staged_imported(&s.store, s.integration);
    eprintln!("kills: {kills}; {partly} of {all} records imported before finishing");
    assert!(
        kills >= ROUNDS as usize / 2,
        "seed {seed}: most children were killed mid-import ({kills} of {ROUNDS}), or the test proves little"
    );
    assert!(
        partly > 0 && partly < all,
        "seed {seed}: the kills left the import part-way ({partly} of {all}), or nothing was resumed"
    );

    let finished = import_the_rest(&s.store, s.integration);

    assert!(
        finished.skipped.is_empty() && finished.needs_link.is_empty(),
        "seed {seed}: importing again imports everything left: {:?}",
        finished.skipped
    );
    assert_eq!(
        half_done(&s.store, s.integration),
        None,
        "seed {seed}: after finishing, records, bindings and the audit log agree"
    );
    assert!(
        imported_records(&s.store, s.integration) == clean,
        "seed {seed}: after {kills} kills and a finishing import, the records equal a clean import's"
    );
}
