//! Killing a publication at random points loses and doubles nothing: the
//! publication history always agrees with what the target holds, and the
//! next publish finishes the period. The target is Sage 300 CRE (the
//! company of `sage300_cre_publish`), whose Import Time files outlive the
//! process that writes them; each round edits Monday's hours and a child
//! process (this test binary, re-run as `kill_publish::child_publish`)
//! publishes the correction, pausing at each step (`kill_points`) so the
//! kill lands after the publication is recorded, with its file half
//! written, with the file written but the answers not yet recorded, or
//! after.

use crate::{child, common};

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::time::SystemClock;
use timebridge_sync::Engine;

use crate::sage300_cre_publish::{Published, day, imported, published_company};

const PAUSE_MS: u64 = 40;
/// Where the child is killed: once the publication is recorded, once its
/// file is written under a temporary name, once it is written.
const POINTS: [&str; 3] = ["publish.recorded", "publish.file_partial", "publish.sent"];
const ROUNDS: i64 = 2 * POINTS.len() as i64;

/// Pauses at each point, after marking it in TB_CHILD_MARKS.
fn pause(point: &'static str) {
    if let Some(marks) = child::env("TB_CHILD_MARKS") {
        let _ = std::fs::write(Path::new(&marks).join(point), b"");
    }
    std::thread::sleep(Duration::from_millis(PAUSE_MS));
}

/// The child: publishes the period of 2 November 2026 of TB_CHILD_INTEGRATION
/// in TB_CHILD_DB, pausing at each kill point.
#[tokio::test]
#[ignore = "helper process for a_publication_killed_at_random_points_agrees_with_the_target_and_finishes"]
async fn child_publish() {
    let (Some(db), Some(id)) = (
        child::env("TB_CHILD_DB"),
        child::env("TB_CHILD_INTEGRATION"),
    ) else {
        return;
    };
    timebridge_core::kill_points::set_hook(pause);
    let store = Arc::new(Store::open(Path::new(&db)).expect("database"));
    let engine = Engine::new(
        store,
        Arc::new(MemorySecrets::default()) as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        common::quick_options(),
    );
    let _ = engine
        .payroll()
        .publish(id.parse().expect("id"), Some(day(2)), &Actor::system())
        .await;
}

/// Each publication: (id, outcome, accepted lines, lines).
fn history(store: &Store) -> Vec<(i64, String, i64, i64)> {
    store
        .read(|c| {
            let mut statement = c.prepare(
                "SELECT p.id, p.outcome, count(*) FILTER (WHERE l.result = 'accepted'), count(*)
                 FROM publications p JOIN publication_lines l ON l.publication_id = p.id
                 GROUP BY p.id ORDER BY p.id",
            )?;
            let rows = statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("readable")
}

fn file_of(id: i64) -> String {
    format!("payroll-2026-11-02-to-2026-11-08-publication-{id}.txt")
}

/// Why the history and the import folder disagree, or `None`: a
/// publication recorded sent has its file, every file is a publication's
/// that is sent or still being sent (resumed, it is not written again),
/// and a publication is accepted whole or not at all.
fn disagreement(p: &Published) -> Option<String> {
    let files: Vec<String> = p.files().into_iter().map(|(name, _)| name).collect();
    let history = history(&p.sage.store);
    for (id, outcome, accepted, lines) in &history {
        let written = files.contains(&file_of(*id));
        match outcome.as_str() {
            "sent" if !written || accepted != lines => {
                return Some(format!(
                    "publication {id} is recorded sent ({accepted} of {lines} lines) without its file"
                ));
            }
            "sending" if *accepted != 0 => {
                return Some(format!(
                    "publication {id} has {accepted} lines accepted while still sending"
                ));
            }
            "failed" | "partly_sent" if written => {
                return Some(format!(
                    "publication {id} is recorded {outcome}, yet its file is in the folder: its hours would be sent again"
                ));
            }
            _ => {}
        }
    }
    files
        .iter()
        .find(|f| !history.iter().any(|(id, ..)| file_of(*id) == **f))
        .map(|stray| format!("{stray} belongs to no publication"))
}

/// Hours per (date, employee, job, pay ID) that Sage imports from every
/// file in the folder.
fn sage_holds(p: &Published) -> BTreeMap<(String, String, String, String), f64> {
    let mut out = BTreeMap::new();
    for (_, bytes) in p.files() {
        for line in imported(p, &bytes) {
            *out.entry((line.date, line.employee, line.job, line.pay_id))
                .or_insert(0.0) += line.units;
        }
    }
    out.retain(|_, hours| hours.abs() > 1e-9);
    out
}

#[tokio::test]
async fn a_publication_killed_at_random_points_agrees_with_the_target_and_finishes() {
    let p = published_company().await;
    let marks = tempfile::tempdir().expect("a folder for the marks");
    let mut random = child::Seeded::new("a_publication_killed_at_random_points");
    let seed = random.seed;
    let mut kills = 0;
    // Each point twice, in an order of the seed's.
    let mut order: Vec<&str> = POINTS.iter().chain(POINTS.iter()).copied().collect();
    for i in (1..order.len()).rev() {
        order.swap(i, random.below(i as u64 + 1) as usize);
    }
    for (round, point) in order.into_iter().enumerate() {
        // Each round corrects Monday's hours, so there is something to send.
        p.set_monday(5 + round as i64);
        for mark in POINTS {
            let _ = std::fs::remove_file(marks.path().join(mark));
        }
        let marked = marks.path().join(point);
        // Somewhere in the pause at that point.
        let after = Duration::from_millis(random.below(PAUSE_MS));
        let mut child = child::spawn(
            "kill_publish::child_publish",
            &[
                ("TB_CHILD_DB", p.sage.store.path().display().to_string()),
                ("TB_CHILD_INTEGRATION", p.sage.integration.to_string()),
                ("TB_CHILD_MARKS", marks.path().display().to_string()),
            ],
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while !marked.exists()
            && child.try_wait().expect("child status").is_none()
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(after).await;
        if child.try_wait().expect("child status").is_none() {
            let _ = child.kill();
            kills += 1;
        }
        let _ = child.wait();
        if let Some(why) = disagreement(&p) {
            panic!("seed {seed}, round {round}: killed at {point}, {why}");
        }
    }
    eprintln!(
        "kills: {kills}; publications before finishing: {:?}",
        history(&p.sage.store)
    );
    assert!(
        kills >= ROUNDS as usize / 2,
        "seed {seed}: most children were killed mid-publication ({kills} of {ROUNDS}), or the test proves little"
    );

    let finished = p.publish().await.expect("publishing again runs");

    let history = history(&p.sage.store);
    assert!(
        history.iter().all(|(_, outcome, ..)| outcome == "sent"),
        "seed {seed}: one more publish finishes every publication: {history:?} ({})",
        finished.message
    );
    assert_eq!(
        disagreement(&p),
        None,
        "seed {seed}: the history agrees with the folder"
    );
    let partial = std::fs::read_dir(p.sage.dir.path())
        .expect("the folder")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "partial"))
        .count();
    assert_eq!(
        partial, 0,
        "seed {seed}: no half-written file is left in Sage's import folder"
    );
    let last = (5 + ROUNDS - 1) as f64;
    let key = |date: &str| {
        (
            date.to_owned(),
            "101".to_owned(),
            "03-001".to_owned(),
            "REG".to_owned(),
        )
    };
    assert_eq!(
        sage_holds(&p),
        BTreeMap::from([(key("11/2/2026"), last), (key("11/3/2026"), 6.0)]),
        "seed {seed}: Sage imports each hour exactly once: Monday's last hours and Tuesday's 6, as a clean publish"
    );
}
