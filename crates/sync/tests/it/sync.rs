//! Syncing the emulated QuickBooks Time company into the middleware.

use crate::common;

use chrono::{Duration, Utc};
use common::{count, emulator, generated_at, setup, setup_with, snapshot, spec};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger};
use timebridge_emulators::quickbooks_time::{Company, Fault};

fn company() -> Company {
    Company::generate(&spec(), generated_at())
}

#[tokio::test]
async fn a_first_sync_brings_every_module_in_as_new() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "the run succeeds: {:?}",
        run.error_message
    );
    assert_eq!(
        count(&s.store, "employees"),
        12,
        "every user arrives as an employee"
    );
    assert_eq!(
        count(&s.store, "customers"),
        4,
        "top-level jobcodes with children are customers"
    );
    assert_eq!(count(&s.store, "jobs"), 12, "their children are jobs");
    assert_eq!(count(&s.store, "tasks"), 36, "grandchildren are tasks");
    assert_eq!(
        count(&s.store, "pay_items"),
        3,
        "PTO jobcodes are pay items"
    );
    assert_eq!(
        count(&s.store, "budgets"),
        12,
        "each project estimate is a budget"
    );
    let statuses = snapshot(&s.store)
        .into_iter()
        .filter(|r| r.3 != "new")
        .count();
    assert_eq!(
        statuses, 0,
        "nothing was imported yet, so everything is New"
    );
}

#[tokio::test]
async fn the_first_sync_reads_time_from_the_attendance_pull_date() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    let pull_from = s
        .store
        .read(|c| timebridge_core::middleware::integrations::get(c, s.integration))
        .expect("get")
        .settings
        .pull_from;
    let expected = emulator.update(|c| {
        c.timesheets
            .values()
            .filter(|t| t.date >= pull_from)
            .count()
    }) as i64;
    let before = emulator.update(|c| c.timesheets.len()) as i64;

    s.sync().await;

    assert!(
        expected < before,
        "the company has time before the pull date, so the test means something"
    );
    assert_eq!(
        count(&s.store, "time_entries"),
        expected,
        "only time from the pull date on is staged"
    );
}

#[tokio::test]
async fn a_re_sync_with_nothing_changed_writes_no_staged_rows() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    let changed_at = |s: &common::Setup| -> Vec<String> {
        s.store
            .read(|c| {
                let mut st = c.prepare("SELECT changed_at FROM staged_records ORDER BY id")?;
                let rows = st
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                Ok(rows)
            })
            .expect("read")
    };
    let before = changed_at(&s);

    let run = s.sync().await;

    let counts = run
        .counts
        .values()
        .fold((0, 0), |acc, c| (acc.0 + c.new, acc.1 + c.updated));
    assert_eq!(
        counts,
        (0, 0),
        "nothing is new or updated on an unchanged re-sync"
    );
    assert_eq!(changed_at(&s), before, "no staged row was rewritten");
}

#[tokio::test]
async fn edits_deletions_archivals_and_additions_between_runs_arrive() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    let now = Utc::now();
    let (edited, deleted, archived) = emulator.update(|c| {
        let today = now.date_naive();
        let mut ids = c
            .timesheets
            .values()
            .filter(|t| t.date >= today - Duration::days(5))
            .map(|t| t.id);
        let (edited, deleted) = (
            ids.next().expect("recent time"),
            ids.next().expect("more recent time"),
        );
        let sheet = c.timesheets.get_mut(&edited).expect("exists");
        sheet.notes = "corrected in QuickBooks Time".into();
        sheet.last_modified = now;
        c.delete_timesheet(deleted, now);
        let user = c.users.values_mut().next().expect("a user");
        user.active = false;
        user.last_modified = now;
        let archived = user.id;
        let mut added = c.timesheets[&edited].clone();
        added.id = c.next_id();
        added.start = added.start.map(|t| t - Duration::hours(12));
        added.end = added.end.map(|t| t - Duration::hours(11));
        added.last_modified = now;
        c.timesheets.insert(added.id, added);
        (edited, deleted, archived)
    });

    let run = s.sync().await;

    let time = run.counts.get("time_entries").copied().unwrap_or_default();
    assert_eq!(
        (time.new, time.updated, time.removed),
        (1, 1, 1),
        "one added, one edited, one deleted: {time:?}"
    );
    assert_eq!(
        run.counts["employees"].updated, 1,
        "the archived user arrives as a change"
    );
    let snap = snapshot(&s.store);
    let find = |module: &str, id: i64| {
        snap.iter()
            .find(|r| r.0 == module && r.1 == id.to_string())
            .cloned()
    };
    assert!(
        find("time_entries", deleted).is_some_and(|r| r.4),
        "the deleted timesheet is marked removed, not dropped"
    );
    assert!(
        find("time_entries", edited).is_some(),
        "the edited one is still there"
    );
    let staged_user = s
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT data FROM staged_records WHERE module='employees' AND external_id=?1",
                [archived.to_string()],
                |r| r.get::<_, String>(0),
            )?)
        })
        .expect("user staged");
    assert!(
        staged_user.contains("\"active\":false"),
        "archival at the source arrives because active=both is asked for"
    );
}

#[tokio::test]
async fn the_look_back_window_catches_an_edit_the_modified_feed_missed() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    // A back-dated correction whose last_modified the platform did not bump.
    emulator.update(|c| {
        let recent = c
            .timesheets
            .values_mut()
            .rev()
            .find(|t| t.date < Utc::now().date_naive())
            .expect("recent time");
        recent.notes = "fixed silently".into();
    });

    let run = s.sync().await;

    assert_eq!(
        run.counts["time_entries"].updated, 1,
        "re-reading the look-back window finds it"
    );
}

#[tokio::test]
async fn faults_are_survived_and_leave_the_middleware_as_a_clean_run_would() {
    let clean = {
        let emulator = emulator(company()).await;
        let s = setup(&emulator);
        s.sync().await;
        snapshot(&s.store)
    };
    /// A fault and the path it hits.
    type Aimed = (Option<&'static str>, Fault);
    let faults: Vec<(&str, Vec<Aimed>)> = vec![
        (
            "a 429 storm",
            (0..6)
                .map(|_| {
                    (
                        Some("/timesheets"),
                        Fault::TooManyRequests { retry_after: None },
                    )
                })
                .collect(),
        ),
        (
            "5xx answers",
            vec![
                (Some("/users"), Fault::Status(500)),
                (Some("/timesheets"), Fault::Status(503)),
                (Some("/jobcodes"), Fault::Status(502)),
            ],
        ),
        (
            "a timeout",
            vec![(
                Some("/timesheets"),
                Fault::Delay(std::time::Duration::from_secs(2)),
            )],
        ),
        (
            "a connection cut off mid-page",
            vec![
                (Some("/timesheets"), Fault::CutOff),
                (Some("/jobcodes"), Fault::CutOff),
            ],
        ),
        ("a malformed page", vec![(Some("/users"), Fault::Malformed)]),
    ];
    for (name, injected) in faults {
        let emulator = emulator(company()).await;
        let s = setup(&emulator);
        for (path, fault) in injected {
            emulator.inject(path, fault);
        }

        let run = s.sync().await;

        assert_eq!(
            run.outcome,
            RunOutcome::Succeeded,
            "{name}: the run succeeds: {:?}",
            run.error_message
        );
        assert_eq!(emulator.pending_faults(), 0, "{name}: every fault was hit");
        assert!(
            snapshot(&s.store) == clean,
            "{name}: the middleware matches a clean run"
        );
    }
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_rotated_token_is_saved() {
    let emulator = emulator(company()).await;
    let credentials = common::refreshable(&emulator);
    let s = setup_with(&emulator, credentials.clone(), common::quick_options());
    emulator.inject(Some("/timesheets"), Fault::ExpireTokens);

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "the run renews its sign-in and goes on: {:?}",
        run.error_message
    );
    let saved = Credentials::load(s.secrets.as_ref(), s.integration)
        .expect("readable")
        .expect("saved");
    assert_ne!(
        saved.refresh_token, credentials.refresh_token,
        "the rotated refresh token replaced the used one in the store"
    );
}

#[tokio::test]
async fn a_token_that_cannot_be_renewed_fails_the_run_with_reconnect() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    emulator.inject(None, Fault::ExpireTokens);

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Failed,
        "a pasted token cannot be renewed"
    );
    assert_eq!(
        run.error_code.as_deref(),
        Some("auth_failed"),
        "it is a sign-in problem"
    );
    assert!(
        run.error_message.unwrap_or_default().contains("Reconnect"),
        "the message says what to do"
    );
}

#[tokio::test]
async fn a_second_request_joins_the_running_sync() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    emulator.inject(
        Some("/users"),
        Fault::Delay(std::time::Duration::from_millis(300)),
    );

    let (a, b) = tokio::join!(
        s.engine.runs().sync(s.integration, RunTrigger::Manual),
        s.engine.runs().sync(s.integration, RunTrigger::Schedule)
    );

    assert_eq!(
        a.expect("run").id,
        b.expect("run").id,
        "both callers get the one run"
    );
}

#[tokio::test]
async fn a_cancelled_sync_stops_and_the_next_one_completes_it() {
    let clean = {
        let emulator = emulator(company()).await;
        let s = setup(&emulator);
        s.sync().await;
        snapshot(&s.store)
    };
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    for _ in 0..3 {
        emulator.inject(
            Some("/timesheets"),
            Fault::Delay(std::time::Duration::from_millis(400)),
        );
    }
    let engine = s.engine.clone();
    let integration = s.integration;
    let running =
        tokio::spawn(async move { engine.runs().sync(integration, RunTrigger::Manual).await });
    while !s.engine.runs().is_running(s.integration) {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    assert!(
        s.engine.runs().cancel(s.integration),
        "the running sync can be cancelled"
    );
    let cancelled = running.await.expect("joined").expect("a run is recorded");
    assert_eq!(
        cancelled.outcome,
        RunOutcome::Cancelled,
        "the run says it was cancelled"
    );

    let resumed = s.sync().await;

    assert_eq!(
        resumed.outcome,
        RunOutcome::Succeeded,
        "the next run finishes"
    );
    assert!(
        snapshot(&s.store) == clean,
        "and the middleware is as a clean run leaves it"
    );
}

#[tokio::test]
async fn time_dated_before_the_pull_date_stays_out_even_when_edited_later() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    let before = count(&s.store, "time_entries");
    let pull_from = s
        .store
        .read(|c| timebridge_core::middleware::integrations::get(c, s.integration))
        .expect("get")
        .settings
        .pull_from;
    emulator.update(|c| {
        let old = c
            .timesheets
            .values_mut()
            .find(|t| t.date < pull_from)
            .expect("time before the pull date");
        old.notes = "edited long after".into();
        old.last_modified = Utc::now();
    });

    s.sync().await;

    assert_eq!(
        count(&s.store, "time_entries"),
        before,
        "the attendance pull date is a floor for every sync, not only the first"
    );
}

#[tokio::test]
async fn an_integration_is_due_again_one_interval_after_its_sync() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    assert_eq!(
        timebridge_sync::scheduler::due(&s.store, Utc::now()).expect("readable"),
        vec![s.integration],
        "a new integration is due at once"
    );

    s.sync().await;

    let interval = s
        .store
        .read(|c| timebridge_core::middleware::integrations::get(c, s.integration))
        .expect("get")
        .settings
        .interval_minutes;
    let soon = Utc::now() + Duration::minutes(i64::from(interval) - 1);
    let later = Utc::now() + Duration::minutes(i64::from(interval) + 1);
    assert!(
        timebridge_sync::scheduler::due(&s.store, soon)
            .expect("readable")
            .is_empty(),
        "not due before the interval has passed"
    );
    assert_eq!(
        timebridge_sync::scheduler::due(&s.store, later).expect("readable"),
        vec![s.integration],
        "due once it has, so a launch after a long close syncs soon"
    );
}

#[tokio::test]
async fn a_former_sync_source_is_no_longer_scheduled() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    let other = s
        .store
        .write(|tx| {
            timebridge_core::middleware::integrations::create(
                tx,
                "sandbox",
                "Sandbox",
                &timebridge_core::middleware::integrations::IntegrationSettings::defaults(
                    Utc::now(),
                ),
                &timebridge_core::audit::Actor::system(),
                Utc::now(),
            )
        })
        .expect("created")
        .id;
    s.store
        .write(|tx| {
            timebridge_core::middleware::integrations::set_sync_source(
                tx,
                other,
                &timebridge_core::audit::Actor::system(),
                Utc::now(),
            )
        })
        .expect("switched");

    let due = timebridge_sync::scheduler::due(&s.store, Utc::now()).expect("readable");

    assert_eq!(
        due,
        vec![other],
        "only the new sync source is scheduled; the old one's sync is off"
    );
}

#[tokio::test]
async fn sync_all_now_runs_every_integration_with_syncing_on() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    let mut progress = s.engine.runs().subscribe();

    let started =
        timebridge_sync::scheduler::start_all(&s.engine, &tokio::runtime::Handle::current());
    // Wait for the run to finish: its last report says so.
    while let Ok(report) = progress.recv().await {
        if report.phase == timebridge_sync::ProgressPhase::Finished {
            break;
        }
    }
    let latest = s
        .store
        .read(|c| timebridge_core::middleware::runs::latest(c, s.integration))
        .expect("readable")
        .expect("a run was recorded");

    assert_eq!(
        started,
        vec![s.integration],
        "the one integration is started"
    );
    assert_eq!(
        (latest.trigger, latest.outcome),
        (RunTrigger::Manual, RunOutcome::Succeeded),
        "a manual run synced it"
    );
}
