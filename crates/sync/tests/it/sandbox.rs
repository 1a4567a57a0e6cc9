//! The in-app Sandbox as either demo company: a busybusy organization read
//! by the real busybusy connector from the emulator the engine starts, and
//! a QuickBooks Time company, as every Sandbox saved before the choice
//! still is.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use timebridge_connectors::secrets::{MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::Module;
use timebridge_core::middleware::integrations::{self, Integration, IntegrationSettings};
use timebridge_core::middleware::runs::{RunOutcome, RunTrigger, SyncRun};
use timebridge_core::platforms::{Platform, SandboxCompany};
use timebridge_core::time::SystemClock;
use timebridge_emulators::busybusy;
use timebridge_sync::Engine;
use timebridge_testkit::TestStore;

use crate::common::quick_options;

struct Sandbox {
    engine: Engine,
    store: Arc<Store>,
    secrets: Arc<MemorySecrets>,
    integration: Integration,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    /// A database holding one Sandbox saved with `settings` (JSON, as the
    /// row stores it).
    fn saved_with(settings: &serde_json::Value) -> Sandbox {
        let TestStore { store, dir } = timebridge_testkit::store();
        let store = Arc::new(store);
        let settings: IntegrationSettings =
            serde_json::from_value(settings.clone()).expect("settings as stored");
        let integration = store
            .write(|tx| {
                integrations::create(
                    tx,
                    Platform::Sandbox.id(),
                    "Sandbox (demo data)",
                    &settings,
                    &Actor::system(),
                    Utc::now(),
                )
            })
            .expect("the sandbox is saved");
        let secrets = Arc::new(MemorySecrets::default());
        let engine = Engine::new(
            store.clone(),
            secrets.clone() as Arc<dyn SecretStore>,
            Arc::new(SystemClock),
            quick_options(),
        );
        Sandbox {
            engine,
            store,
            secrets,
            integration,
            _dir: dir,
        }
    }

    /// A Sandbox connected as `company`, with the default settings.
    fn of(company: SandboxCompany) -> Sandbox {
        let mut settings = IntegrationSettings::defaults(Utc::now());
        settings.sandbox_company = Some(company);
        Sandbox::saved_with(&serde_json::to_value(settings).expect("settings encode"))
    }

    async fn sync(&self) -> SyncRun {
        let run = self
            .engine
            .runs()
            .sync(self.integration.id, RunTrigger::Manual)
            .await
            .expect("a run is recorded");
        assert_eq!(
            run.outcome,
            RunOutcome::Succeeded,
            "the sandbox syncs: {:?}",
            run.error_message
        );
        run
    }

    /// The running busybusy emulator the engine started for it.
    async fn busybusy(&self) -> Arc<busybusy::Emulator> {
        self.engine
            .sandbox()
            .busybusy(self.integration.id, self.integration.created_at, 0)
            .await
            .expect("the sandbox serves a busybusy organization")
    }

    fn count(&self, module: &str, status: &str) -> usize {
        self.store
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM staged_records
                     WHERE integration_id = ?1 AND module = ?2 AND status = ?3",
                    (self.integration.id, module, status),
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .expect("countable") as usize
    }

    /// Every staged row as written: its id, checksum, status and when it
    /// last changed.
    fn staged_rows(&self) -> Vec<String> {
        self.store
            .read(|conn| {
                let mut statement = conn.prepare(
                    "SELECT id || ' ' || checksum || ' ' || status || ' ' || changed_at
                     FROM staged_records WHERE integration_id = ?1 ORDER BY id",
                )?;
                let rows = statement
                    .query_map([self.integration.id], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                Ok(rows)
            })
            .expect("readable")
    }
}

/// The organization a busybusy Sandbox created at `created_at` serves.
fn demo_organization(created_at: DateTime<Utc>) -> busybusy::Organization {
    busybusy::Organization::generate(&busybusy::OrganizationSpec::demo(created_at))
}

/// Its finished, live time entries: what a sync stages.
fn closed_entries(org: &busybusy::Organization) -> usize {
    org.time_entries
        .iter()
        .filter(|e| !e["endTime"].is_null() && e["deletedOn"].is_null())
        .count()
}

#[tokio::test]
async fn a_busybusy_sandbox_first_syncs_its_organization_as_new_records() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);
    let org = demo_organization(sandbox.integration.created_at);

    sandbox.sync().await;

    let staged: Vec<_> = ["employees", "customers", "jobs", "tasks", "time_entries"]
        .into_iter()
        .map(|module| (module, sandbox.count(module, "new")))
        .collect();
    assert_eq!(
        staged,
        [
            ("employees", org.members.len()),
            ("customers", 4),
            ("jobs", org.projects.len()),
            ("tasks", org.cost_codes.len()),
            ("time_entries", closed_entries(&org)),
        ],
        "every member, customer, project, cost code and finished time entry of the demo organization is New"
    );
}

#[tokio::test]
async fn a_busybusy_sandbox_is_read_with_the_busybusy_connector_within_its_contract() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);

    sandbox.sync().await;

    let recorded = sandbox.busybusy().await.recorded();
    let off: Vec<String> = recorded.iter().filter_map(|r| r.off_contract()).collect();
    assert!(
        recorded.first().is_some_and(|r| r.path == "/member") && off.is_empty(),
        "the admin signs in at /member, then every GraphQL request is one busybusy's contract allows: {off:#?}"
    );
}

#[tokio::test]
async fn a_busybusy_sandbox_keeps_no_sign_in_in_the_keyring() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);

    sandbox.sync().await;

    assert!(
        sandbox.secrets.is_empty(),
        "the sandbox's built-in sign-in is held in memory for the run, never saved"
    );
}

#[tokio::test]
async fn a_busybusy_sandbox_re_synced_with_nothing_changed_writes_nothing() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);
    sandbox.sync().await;
    let before = sandbox.staged_rows();

    let run = sandbox.sync().await;

    let changed = run.counts.values().fold((0, 0, 0), |acc, c| {
        (acc.0 + c.new, acc.1 + c.updated, acc.2 + c.removed)
    });
    assert_eq!(
        changed,
        (0, 0, 0),
        "nothing is new, updated or removed when the organization did not change: {:?}",
        run.counts
    );
    assert_eq!(sandbox.staged_rows(), before, "no staged row was rewritten");
}

#[tokio::test]
async fn a_busybusy_sandbox_serves_the_same_organization_after_a_restart() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);
    sandbox.sync().await;
    let before = sandbox.staged_rows();

    // The app starts again: a new engine, the sandbox's emulator with it.
    let restarted = Engine::new(
        sandbox.store.clone(),
        sandbox.secrets.clone() as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        quick_options(),
    );
    let run = restarted
        .runs()
        .sync(sandbox.integration.id, RunTrigger::Manual)
        .await
        .expect("a run is recorded");

    assert_eq!(
        (run.outcome, sandbox.staged_rows()),
        (RunOutcome::Succeeded, before),
        "the organization is generated from the sandbox's creation date, so a restart finds every record unchanged"
    );
}

#[tokio::test]
async fn simulated_activity_in_a_busybusy_sandbox_reaches_the_next_sync() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);
    sandbox.sync().await;
    let (id, created_at) = (sandbox.integration.id, sandbox.integration.created_at);

    let changes = sandbox
        .engine
        .sandbox()
        .simulate(id, SandboxCompany::Busybusy, created_at, 1, Utc::now())
        .await
        .expect("the organization changes");
    let run = sandbox.sync().await;

    let seen = |module: &str| {
        run.counts
            .get(module)
            .map(|c| (c.updated, c.removed))
            .unwrap_or_default()
    };
    assert_eq!(
        (changes.len(), seen("employees"), seen("time_entries")),
        (3, (1, 0), (1, 1)),
        "a member's e-mail changed, one entry corrected and another deleted, all read by the next sync: {changes:?} {:?}",
        run.counts
    );
}

#[tokio::test]
async fn a_sandbox_saved_before_the_choice_still_reads_as_quickbooks_time() {
    // A row as an earlier version wrote it: no demo company in its settings.
    let pull_from = (Utc::now() - chrono::Duration::days(14)).date_naive();
    let sandbox = Sandbox::saved_with(&serde_json::json!({
        "base_url": null,
        "pull_from": pull_from,
        "interval_minutes": 120,
        "look_back_days": 14,
    }));
    let integration = sandbox
        .store
        .read(|conn| integrations::get(conn, sandbox.integration.id))
        .expect("the sandbox reads back");

    sandbox.sync().await;

    assert_eq!(
        (
            integration.read_as(),
            integration.modules().contains(&Module::PayItems),
            sandbox.count("employees", "new"),
            sandbox.count("pay_items", "new") > 0,
        ),
        (Some(Platform::QuickBooksTime), true, 12, true),
        "an old Sandbox is the QuickBooks Time demo company: its twelve users and its payroll items"
    );
}

#[tokio::test]
async fn a_busybusy_sandbox_syncs_busybusys_modules_and_takes_no_payroll() {
    let sandbox = Sandbox::of(SandboxCompany::Busybusy);

    assert_eq!(
        (
            sandbox.integration.read_as(),
            sandbox.integration.modules(),
            sandbox.integration.publishes_payroll(),
        ),
        (
            Some(Platform::Busybusy),
            Platform::Busybusy.modules(),
            false
        ),
        "read as busybusy, with busybusy's modules; busybusy's emulator has no payroll to publish to"
    );
}
