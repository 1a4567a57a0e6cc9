//! busybusy over real HTTP, against the emulator held to busybusy's
//! contract (`docs/contracts/busybusy.md`): a member's sign-in (admins
//! only), GraphQL lists paged by cursor, incremental reads by `updatedOn`,
//! deletions and archiving, a revoked session signed in again, GraphQL
//! errors as plain messages, and a cut read resumed at its page. Every
//! request the connector sends must be one the contract allows.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use serde_json::Value;
use tempfile::TempDir;
use timebridge_connectors::RetryPolicy;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_core::{ErrorCode, Sensitive, Store};
use timebridge_emulators::busybusy::{
    ADMIN_USERNAME, Emulator, EmulatorOptions, Fault, Organization, OrganizationSpec, PASSWORD,
    WORKER_USERNAME,
};
use timebridge_sync::{Engine, EngineOptions, SyncError};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Eleven members at work (the twelfth archived), over 150 days: more
/// than one page of 1,000 entries.
fn spec() -> OrganizationSpec {
    OrganizationSpec {
        members: 12,
        projects: 3,
        depth: 3,
        cost_codes: 5,
        days: 150,
        today: today(),
        modified: Utc::now() - chrono::Duration::hours(3),
    }
}

fn options() -> EngineOptions {
    EngineOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            max_rate_limited: 3,
        },
        request_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        pace: true,
        rate_limit_window: Some(Duration::from_millis(20)),
        skew: chrono::Duration::seconds(30),
        web_connector_idle: Duration::from_secs(60),
        web_connector_limits: timebridge_connectors::loopback::Limits::WEB_CONNECTOR,
    }
}

fn engine(dir: &TempDir, secrets: Arc<MemorySecrets>) -> (Engine, Arc<Store>) {
    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let engine = Engine::new(
        store.clone(),
        secrets as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        options(),
    );
    (engine, store)
}

struct Setup {
    engine: Engine,
    store: Arc<Store>,
    secrets: Arc<MemorySecrets>,
    integration: i64,
    _dir: TempDir,
}

impl Setup {
    async fn new(emulator: &Emulator) -> Setup {
        let dir = tempfile::tempdir().expect("temp folder");
        let secrets = Arc::new(MemorySecrets::default());
        let (engine, store) = engine(&dir, secrets.clone());
        let (credentials, account) = engine
            .sign_in()
            .with_password(
                "busybusy",
                Some(&emulator.base_url()),
                ADMIN_USERNAME,
                &Sensitive::new(PASSWORD.to_owned()),
            )
            .await
            .expect("the admin signs in");
        assert_eq!(account, "busybusy · Alex Admin", "the member signed in");
        let now = Utc::now();
        let mut settings = IntegrationSettings::defaults(now);
        settings.base_url = Some(emulator.base_url());
        settings.pull_from = today() - chrono::Duration::days(200);
        let integration = store
            .write(|tx| {
                integrations::create(tx, "busybusy", "busybusy", &settings, &Actor::system(), now)
            })
            .expect("integration")
            .id;
        credentials
            .save(secrets.as_ref(), integration)
            .expect("saved");
        Setup {
            engine,
            store,
            secrets,
            integration,
            _dir: dir,
        }
    }

    async fn sync(&self) -> SyncRun {
        self.engine
            .runs()
            .sync(self.integration, RunTrigger::Manual)
            .await
            .expect("a run is recorded")
    }

    /// `column` (an SQL expression) of the staged record `external_id`.
    fn staged<T: rusqlite::types::FromSql>(
        &self,
        module: &str,
        column: &str,
        external_id: &str,
    ) -> T {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    &format!(
                        "SELECT {column} FROM staged_records WHERE module = ?1 AND external_id = ?2"
                    ),
                    [module, external_id],
                    |r| r.get(0),
                )?)
            })
            .unwrap_or_else(|e| panic!("{module} {external_id} is staged: {e}"))
    }

    fn count(&self, module: &str, status: Option<&str>) -> i64 {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM staged_records
                     WHERE integration_id = ?1 AND module = ?2 AND status = coalesce(?3, status)",
                    (self.integration, module, status),
                    |r| r.get(0),
                )?)
            })
            .expect("countable")
    }
}

fn assert_succeeded(run: &SyncRun, why: &str) {
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "{why}: {:?}",
        run.error_message
    );
}

/// Every request the emulator answered was on its contract.
fn assert_on_contract(emulator: &Emulator) {
    let off: Vec<String> = emulator
        .recorded()
        .iter()
        .filter_map(|r| r.off_contract())
        .collect();
    assert!(off.is_empty(), "requests off the contract: {off:#?}");
}

/// The closed, live entries of the organisation: what a sync stages.
fn closed_entries(emulator: &Emulator) -> usize {
    emulator.update(|org| {
        org.time_entries
            .iter()
            .filter(|e| !e["endTime"].is_null() && e["deletedOn"].is_null())
            .count()
    })
}

async fn emulator() -> Emulator {
    Emulator::start(Organization::generate(&spec()), EmulatorOptions::default())
        .await
        .expect("emulator starts")
}

async fn synced() -> (Emulator, Setup, SyncRun) {
    let emulator = emulator().await;
    let setup = Setup::new(&emulator).await;
    let run = setup.sync().await;
    assert_succeeded(&run, "the first sync succeeds");
    (emulator, setup, run)
}

/// The `timeEntries` requests' variables, in order.
fn time_requests(emulator: &Emulator) -> Vec<Value> {
    emulator
        .recorded()
        .into_iter()
        .filter(|r| {
            r.body["query"]
                .as_str()
                .is_some_and(|q| q.starts_with("query TimeEntries"))
        })
        .map(|r| r.body["variables"].clone())
        .collect()
}

#[tokio::test]
async fn a_first_sync_stages_every_list_over_pages_of_1000_within_the_contract() {
    let (emulator, setup, run) = synced().await;
    let entries = closed_entries(&emulator);
    assert!(
        entries > 1000,
        "the organisation needs two pages: {entries}"
    );
    assert_eq!(
        setup.count("time_entries", Some("new")) as usize,
        entries,
        "every closed entry, the running one left for the next sync"
    );
    assert!(
        run.counts["time_entries"].pages >= 2,
        "more than 1,000 entries take a second page after the first's last cursor"
    );
    assert_eq!(setup.count("employees", None), 12, "every member");
    assert_eq!(
        setup.count("jobs", None),
        9,
        "three projects of three levels"
    );
    assert_eq!(
        setup.count("customers", None),
        3,
        "each top-level project's customer"
    );
    assert_eq!(setup.count("tasks", None), 5, "every cost code");
    assert_eq!(
        setup.count("budgets", None),
        3,
        "the latest budget of each project"
    );
    let second_page = &time_requests(&emulator)[1];
    assert!(
        second_page["after"].is_string(),
        "the second page asks after the first's last cursor: {second_page}"
    );
    assert_on_contract(&emulator);
}

#[tokio::test]
async fn sub_projects_are_jobs_named_by_their_path_and_budgets_hold_hours_and_cost() {
    let (emulator, setup, _) = synced().await;
    let (deepest, top) = emulator.update(|org| {
        let deepest = org
            .projects
            .iter()
            .find(|p| p["depth"] == 3)
            .expect("a third level");
        (
            deepest["id"].as_str().unwrap_or_default().to_owned(),
            org.projects[0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    });
    let name: String = setup.staged("jobs", "json_extract(data, '$.name')", &deepest);
    assert_eq!(
        name, "Harbor Dental 100 / Phase 1 / Building 2",
        "a sub-project is named by its path"
    );
    let customer: String = setup.staged(
        "jobs",
        "json_extract(data, '$.customer_external_id')",
        &deepest,
    );
    assert_eq!(
        customer, "customer:Harbor Dental",
        "its customer is its top-level project's"
    );
    let seconds: i64 = setup.staged(
        "budgets",
        "json_extract(data, '$.budget_seconds')",
        &format!("{top}::"),
    );
    let cents: i64 = setup.staged(
        "budgets",
        "json_extract(data, '$.amount_cents')",
        &format!("{top}::"),
    );
    assert_eq!(
        (seconds, cents),
        (400 * 3600, 400 * 45 * 100),
        "the latest budget's hours and cost"
    );
}

#[tokio::test]
async fn a_resync_writes_nothing_and_an_edit_is_updated() {
    let (emulator, setup, _) = synced().await;
    let again = setup.sync().await;
    assert_succeeded(&again, "the second sync succeeds");
    let changed: u64 = again
        .counts
        .values()
        .map(|c| c.new + c.updated + c.removed)
        .sum();
    assert_eq!(
        changed, 0,
        "nothing changed in busybusy, nothing changes staged: {:?}",
        again.counts
    );
    let edited = emulator.update(|org| {
        let entry = org
            .time_entries
            .iter_mut()
            .rev()
            .find(|e| e["breaks"].as_array().is_some_and(Vec::is_empty) && !e["endTime"].is_null())
            .expect("an entry without a break");
        let day = entry["startTime"].as_str().unwrap_or_default()[..10].to_owned();
        entry["endTime"] = format!("{day}T23:00:00.000Z").into();
        entry["updatedOn"] = timebridge_emulators::busybusy::busy_time(Utc::now()).into();
        entry["id"].as_str().unwrap_or_default().to_owned()
    });
    let third = setup.sync().await;
    assert_succeeded(&third, "the third sync succeeds");
    assert_eq!(
        third.counts["time_entries"].updated, 1,
        "exactly the edited entry changed"
    );
    let end: String = setup.staged("time_entries", "json_extract(data, '$.span.end')", &edited);
    assert!(
        end.contains("T23:00:00"),
        "the staged entry ends at 23:00: {end}"
    );
    let last = time_requests(&emulator).last().cloned().unwrap_or_default();
    assert!(
        time_requests(&emulator)
            .iter()
            .any(|v| v["filter"]["updatedOn"]["greaterThanOrEqual"].is_string()),
        "later syncs read what was updated since: {last}"
    );
    assert_on_contract(&emulator);
}

#[tokio::test]
async fn a_deleted_entry_and_an_archived_member_are_marked_at_the_source() {
    let (emulator, setup, _) = synced().await;
    let (entry, member) = emulator.update(|org| {
        let entry = org.time_entries[5]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let member = org.members[3]["id"].as_str().unwrap_or_default().to_owned();
        assert!(org.delete_time_entry(&entry, Utc::now()));
        assert!(org.archive(&member, Utc::now()));
        (entry, member)
    });
    let run = setup.sync().await;
    assert_succeeded(&run, "the sync succeeds");
    let removed: bool = setup.staged("time_entries", "removed_at_source", &entry);
    assert!(
        removed,
        "an entry deleted in busybusy is removed at the source"
    );
    let active: bool = setup.staged("employees", "json_extract(data, '$.active')", &member);
    assert!(!active, "an archived member is inactive");
    assert_on_contract(&emulator);
}

#[tokio::test]
async fn a_revoked_session_signs_in_again_with_the_kept_password() {
    let (emulator, setup, _) = synced().await;
    let before = Credentials::load(setup.secrets.as_ref(), setup.integration)
        .expect("readable")
        .expect("saved");
    emulator.revoke_sessions();
    let run = setup.sync().await;
    assert_succeeded(&run, "a 401 signs the member in again once");
    let after = Credentials::load(setup.secrets.as_ref(), setup.integration)
        .expect("readable")
        .expect("saved");
    assert_ne!(
        after.access_token, before.access_token,
        "the new session is kept for the next run"
    );
}

#[tokio::test]
async fn a_revoked_session_whose_password_changed_asks_to_sign_in_again() {
    let (emulator, setup, _) = synced().await;
    emulator.update(|org| org.accounts[0].password = "changed".into());
    emulator.revoke_sessions();
    let run = setup.sync().await;
    assert_eq!(run.outcome, RunOutcome::Failed, "the sync cannot go on");
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("Reconnect"),
        "the admin is asked to sign in again: {message}"
    );
    assert!(!message.contains(PASSWORD), "no password in a message");
}

#[tokio::test]
async fn a_wrong_password_and_a_worker_are_refused_on_their_fields() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().expect("temp folder");
    let (engine, _) = engine(&dir, Arc::new(MemorySecrets::default()));
    let wrong = engine
        .sign_in()
        .with_password(
            "busybusy",
            Some(&emulator.base_url()),
            ADMIN_USERNAME,
            &Sensitive::new("nope".into()),
        )
        .await;
    let Err(SyncError::Connector(error)) = wrong else {
        panic!("a wrong password is refused: {wrong:?}");
    };
    assert_eq!(
        error.code,
        ErrorCode::AuthFailed,
        "a refused sign-in (BB-AUTH-1)"
    );
    let worker = engine
        .sign_in()
        .with_password(
            "busybusy",
            Some(&emulator.base_url()),
            WORKER_USERNAME,
            &Sensitive::new(PASSWORD.into()),
        )
        .await;
    let Err(SyncError::Invalid(problems)) = worker else {
        panic!("a worker is refused: {worker:?}");
    };
    assert_eq!(
        problems[0].field, "username",
        "the refusal is on the username"
    );
    assert!(
        problems[0].message.contains("not a busybusy admin"),
        "{}",
        problems[0].message
    );
}

/// Cuts the first sync after the first page of time: members, cost codes,
/// projects and that page answer; the second page fails every try.
async fn cut_after_the_first_page_of_time(emulator: &Emulator, setup: &Setup) {
    for _ in 0..4 {
        emulator.inject(Fault::Answer);
    }
    for _ in 0..3 {
        emulator.inject(Fault::Status(503));
    }
    let cut = setup.sync().await;
    assert_eq!(cut.outcome, RunOutcome::Failed, "the cut run fails");
}

#[tokio::test]
async fn a_graphql_error_is_a_plain_message_naming_the_list_and_keeps_what_was_synced() {
    let emulator = emulator().await;
    let setup = Setup::new(&emulator).await;
    cut_after_the_first_page_of_time(&emulator, &setup).await;
    let kept = setup.count("time_entries", None);
    // The read resumes after a cursor busybusy does not know: it answers
    // 200 with GraphQL errors (BB-PAGE-2).
    setup
        .store
        .write(|tx| {
            tx.execute(
                "UPDATE sync_cursors SET cursor = json_set(cursor, '$.pending.after', 'not-a-cursor')
                 WHERE stream = 'time_entries'",
                [],
            )?;
            Ok(())
        })
        .expect("cursor changed");
    let run = setup.sync().await;
    assert_ne!(
        run.outcome,
        RunOutcome::Succeeded,
        "a refused list is reported"
    );
    let message = run.error_message.unwrap_or_default();
    assert!(
        message.contains("the list of time entries") && message.contains("Invalid cursor"),
        "the message names the list and says busybusy's words: {message}"
    );
    assert_eq!(
        setup.count("time_entries", None),
        kept,
        "nothing synced before is lost"
    );
}

#[tokio::test]
async fn a_read_cut_mid_list_resumes_at_its_page() {
    let emulator = emulator().await;
    let setup = Setup::new(&emulator).await;
    cut_after_the_first_page_of_time(&emulator, &setup).await;
    let kept = setup.count("time_entries", None);
    assert_eq!(kept, 1000, "the first page is kept");
    let asked_before = time_requests(&emulator).len();
    let resumed = setup.sync().await;
    assert_succeeded(&resumed, "the next run resumes");
    let resumed_first = &time_requests(&emulator)[asked_before];
    assert!(
        resumed_first["after"].is_string(),
        "the next run asks after the cursor it stopped at: {resumed_first}"
    );
    assert_eq!(
        setup.count("time_entries", None) as usize,
        closed_entries(&emulator),
        "every entry, once"
    );
    assert_on_contract(&emulator);
}
