//! A QuickBooks Time sync held to the platform's contract
//! (`docs/contracts/quickbooks-time.md`): every request it sends is one the
//! contract allows, tokens are renewed before they expire, and a list the
//! platform refuses fails alone.

use crate::common;

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use common::{count, emulator, generated_at, setup, setup_with, spec};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::middleware::runs::RunOutcome;
use timebridge_emulators::quickbooks_time::{Company, Emulator, Fault, Recorded};

fn company() -> Company {
    Company::generate(&spec(), generated_at())
}

/// Requests the contract refuses, or that were not answered 200.
fn off_contract(recorded: &[Recorded]) -> Vec<String> {
    recorded.iter().filter_map(Recorded::off_contract).collect()
}

/// The requests the emulator received for `path`, in order.
fn requests_to(emulator: &Emulator, path: &str) -> Vec<Recorded> {
    emulator
        .recorded()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn paths(recorded: &[Recorded]) -> BTreeSet<String> {
    recorded.iter().map(|r| r.path.clone()).collect()
}

const LISTS: [&str; 7] = [
    "/users",
    "/jobcodes",
    "/timesheets",
    "/timesheets_deleted",
    "/projects",
    "/estimates",
    "/estimate_items",
];

#[tokio::test]
async fn a_first_sync_and_the_next_send_only_requests_the_contract_allows() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);

    let first = s.sync().await;
    assert_eq!(
        first.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        first.error_message
    );
    let after_first = emulator.recorded();
    assert_eq!(
        off_contract(&after_first),
        Vec::<String>::new(),
        "every request of the first sync follows the contract"
    );
    assert!(
        LISTS.iter().all(|p| paths(&after_first).contains(*p)),
        "the first sync read every list: {:?}",
        paths(&after_first)
    );

    emulator.update(|c| c.simulate_activity(1, Utc::now()));
    let second = s.sync().await;
    assert_eq!(
        second.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        second.error_message
    );
    let later = &emulator.recorded()[after_first.len()..];
    assert_eq!(
        off_contract(later),
        Vec::<String>::new(),
        "the incremental sync's modified_since and look-back passes follow it too"
    );
    assert!(
        later.iter().any(|r| r.path == "/timesheets_deleted"
            && r.query.iter().any(|(k, _)| k == "modified_since")),
        "later syncs ask for deletions since the last one"
    );
}

#[tokio::test]
async fn the_first_sync_asks_for_deleted_timesheets_over_a_whole_date_range() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);

    s.sync().await;

    let deleted = requests_to(&emulator, "/timesheets_deleted");
    assert!(!deleted.is_empty(), "deletions are read");
    for request in &deleted {
        let has = |k: &str| request.query.iter().any(|(q, _)| q == k);
        assert!(
            has("start_date") && has("end_date"),
            "start_date comes with end_date (QBT-TSD-2): {:?}",
            request.query
        );
    }
}

#[tokio::test]
async fn projects_are_read_in_one_request_without_paging() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);

    s.sync().await;

    let projects = requests_to(&emulator, "/projects");
    assert_eq!(projects.len(), 1, "one answer holds every project");
    assert_eq!(
        projects[0].query,
        vec![("active".to_owned(), "both".to_owned())],
        "only a parameter /projects takes (QBT-PRJ-1)"
    );
    assert_eq!(
        count(&s.store, "budgets"),
        12,
        "and every estimate still becomes a budget"
    );
}

#[tokio::test]
async fn a_token_about_to_expire_is_renewed_before_quickbooks_time_refuses_it() {
    // contract: QBT-AUTH-4
    let emulator = emulator(company()).await;
    let credentials = Credentials {
        expires_at: Some(Utc::now() + Duration::seconds(60)),
        ..common::refreshable(&emulator)
    };
    let s = setup_with(&emulator, credentials, common::quick_options());

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    assert_eq!(
        emulator.grants(),
        1,
        "renewed once, before the first request"
    );
    assert!(
        emulator.recorded().iter().all(|r| r.status != 401),
        "no request was sent with the expiring token and refused"
    );
    let saved = Credentials::load(s.secrets.as_ref(), s.integration)
        .expect("readable")
        .expect("saved");
    assert!(
        saved
            .expires_at
            .is_some_and(|at| at > Utc::now() + Duration::days(9)),
        "the renewed token's 10-day expiry is saved: {:?}",
        saved.expires_at
    );
}

#[tokio::test]
async fn a_list_the_account_may_not_read_says_permission_not_reconnect() {
    let emulator = emulator(company()).await;
    let token = emulator.issue_token_without(&["/timesheets"]);
    let s = setup_with(
        &emulator,
        Credentials::access_token(token),
        common::quick_options(),
    );

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Failed,
        "one list could not be read"
    );
    assert_eq!(
        run.error_code.as_deref(),
        Some("permission_denied"),
        "the sign-in works, so it is permission, not a lost sign-in"
    );
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("not permitted") && !message.contains("Reconnect the integration"),
        "the message says to give the account access: {message}"
    );
    assert_eq!(
        count(&s.store, "employees"),
        12,
        "the lists it may read were synced"
    );
}

#[tokio::test]
async fn a_lost_sign_in_still_says_reconnect() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    emulator.inject(Some("/users"), Fault::ExpireTokens);

    let run = s.sync().await;

    assert_eq!(
        run.error_code.as_deref(),
        Some("auth_failed"),
        "/current_user is refused too, so the sign-in is gone: {:?}",
        run.error_message
    );
}

fn refused_once(emulator: &Emulator, path: &str) {
    emulator.inject(Some(path), Fault::Status(417));
}

#[tokio::test]
async fn a_refused_list_fails_alone_and_the_lists_after_it_are_still_read() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    refused_once(&emulator, "/timesheets_deleted");

    let run = s.sync().await;

    assert_eq!(run.outcome, RunOutcome::Failed, "the refusal is reported");
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("timesheets_deleted") && message.contains("other lists were synced"),
        "the message names the list and says the others were read: {message}"
    );
    assert_eq!(
        count(&s.store, "budgets"),
        12,
        "projects and estimates, read after it, arrived anyway"
    );
    let next = s.sync().await;
    assert_eq!(
        next.outcome,
        RunOutcome::Succeeded,
        "the next sync reads the refused list again and completes: {:?}",
        next.error_message
    );
}

#[tokio::test]
async fn lists_that_need_a_refused_list_wait_for_it() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    refused_once(&emulator, "/jobcodes");

    let run = s.sync().await;

    assert_eq!(run.outcome, RunOutcome::Failed, "the refusal is reported");
    assert_eq!(
        count(&s.store, "time_entries"),
        0,
        "timesheets are placed on the jobcode tree, so they wait for it"
    );
    assert_eq!(
        count(&s.store, "employees"),
        12,
        "users do not need jobcodes"
    );
    assert_eq!(count(&s.store, "budgets"), 12, "nor do budgets");
}

#[tokio::test]
async fn a_project_gone_from_quickbooks_time_takes_its_budget_with_it() {
    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;
    let removed_before = common::snapshot(&s.store)
        .into_iter()
        .filter(|r| r.0 == "budgets" && r.4)
        .count();
    emulator.update(|c| {
        let first = *c.projects.keys().next().expect("a project");
        c.projects.remove(&first);
    });

    let run = s.sync().await;

    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{:?}",
        run.error_message
    );
    let removed = common::snapshot(&s.store)
        .into_iter()
        .filter(|r| r.0 == "budgets" && r.4)
        .count();
    assert_eq!(
        (removed_before, removed),
        (0, 1),
        "/projects is read whole each time, so a project missing from it is gone and its budget is removed at the source"
    );
}

#[tokio::test]
async fn after_a_sync_a_search_finds_each_workers_time_by_name() {
    use timebridge_core::middleware::Module;
    use timebridge_core::middleware::staged::{self, StagedFilter, StagedQuery};

    let emulator = emulator(company()).await;
    let s = setup(&emulator);
    s.sync().await;

    let (name, external_id, entries, queued): (String, String, i64, i64) = s
        .store
        .read(|c| {
            let (name, id): (String, String) = c.query_row(
                "SELECT json_extract(data, '$.last_name'), external_id FROM staged_records
                 WHERE module = 'employees' ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let entries = c.query_row(
                "SELECT count(*) FROM staged_records WHERE module = 'time_entries'
                 AND json_extract(data, '$.employee_external_id') = ?1",
                [&id],
                |r| r.get(0),
            )?;
            let queued =
                c.query_row("SELECT count(*) FROM staged_search_queue", [], |r| r.get(0))?;
            Ok((name, id, entries, queued))
        })
        .expect("read");
    assert_eq!(
        queued, 0,
        "the sync's pages are indexed once their lists are read"
    );
    assert!(entries > 0, "the first worker has time");
    let page = s
        .store
        .read(|c| {
            staged::list(
                c,
                s.integration,
                Module::TimeEntries,
                &StagedQuery {
                    filter: StagedFilter {
                        search: Some(name.clone()),
                        ..StagedFilter::default()
                    },
                    ..StagedQuery::default()
                },
            )
        })
        .expect("listed");
    assert!(
        page.total >= entries,
        "searching {name:?} finds all {entries} time entries of worker {external_id} written page by page, found {}",
        page.total
    );
}
