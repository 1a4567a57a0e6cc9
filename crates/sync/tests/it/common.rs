//! A real database with one QuickBooks Time integration, and an engine
//! with quick retries, for the sync tests; the emulated company comes from
//! the test kit.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tempfile::TempDir;
use timebridge_connectors::RetryPolicy;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::runs::{RunTrigger, SyncRun};
use timebridge_core::time::SystemClock;
use timebridge_emulators::quickbooks_time::Emulator;
use timebridge_sync::{Engine, EngineOptions};
use timebridge_testkit::TestStore;
pub use timebridge_testkit::quickbooks_time::{emulator, generated_at, refreshable, spec};

pub fn quick_options() -> EngineOptions {
    EngineOptions {
        retry: RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            max_rate_limited: 10,
        },
        request_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_secs(2),
        pace: true,
        rate_limit_window: Some(Duration::from_millis(20)),
        skew: chrono::Duration::seconds(30),
        web_connector_idle: Duration::from_secs(60),
        web_connector_limits: timebridge_connectors::loopback::Limits::WEB_CONNECTOR,
    }
}

pub struct Setup {
    pub engine: Engine,
    pub store: Arc<Store>,
    pub secrets: Arc<MemorySecrets>,
    pub integration: i64,
    /// Keeps the database until the test ends.
    _dir: TempDir,
}

/// A database with one QuickBooks Time integration pointed at `emulator`,
/// signed in with `credentials`.
pub fn setup_with(emulator: &Emulator, credentials: Credentials, options: EngineOptions) -> Setup {
    let TestStore { store, dir } = timebridge_testkit::store();
    let store = Arc::new(store);
    let now = Utc::now();
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(emulator.base_url());
    let integration = store
        .write(|tx| {
            integrations::create(
                tx,
                "quickbooks_time",
                "QuickBooks Time",
                &settings,
                &Actor::system(),
                now,
            )
        })
        .expect("integration")
        .id;
    let secrets = Arc::new(MemorySecrets::default());
    credentials
        .save(secrets.as_ref(), integration)
        .expect("saved");
    let engine = Engine::new(
        store.clone(),
        secrets.clone() as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        options,
    );
    Setup {
        engine,
        store,
        secrets,
        integration,
        _dir: dir,
    }
}

pub fn setup(emulator: &Emulator) -> Setup {
    setup_with(
        emulator,
        Credentials::access_token(emulator.issue_token()),
        quick_options(),
    )
}

impl Setup {
    pub async fn sync(&self) -> SyncRun {
        self.engine
            .runs()
            .sync(self.integration, RunTrigger::Manual)
            .await
            .expect("a run is recorded")
    }
}

/// Every staged record: (module, external id, checksum, status, removed).
pub type Snapshot = Vec<(String, String, String, String, bool)>;

pub fn snapshot(store: &Store) -> Snapshot {
    store
        .read(|conn| {
            let mut statement = conn.prepare(
                "SELECT module, external_id, checksum, status, removed_at_source FROM staged_records
                 ORDER BY module, external_id",
            )?;
            let rows = statement
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("staged records readable")
}

pub fn count(store: &Store, module: &str) -> i64 {
    store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM staged_records WHERE module = ?1",
                [module],
                |r| r.get(0),
            )?)
        })
        .expect("countable")
}
