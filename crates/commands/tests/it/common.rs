//! A real on-disk store behind an [`Api`], with the test kit's pinned
//! clock, and helpers to make operators and sign them in.

use std::sync::Arc;

use serde_json::{Value, json};
use tempfile::TempDir;
use timebridge_commands::{Api, Client};
use timebridge_connectors::secrets::MemorySecrets;
use timebridge_core::ApiError;
use timebridge_core::permissions::Permission;
use timebridge_core::time::ManualClock;
use timebridge_testkit::TestStore;

pub struct Harness {
    pub api: Api,
    pub secrets: Arc<MemorySecrets>,
    /// Runs the syncs; dropped last.
    pub runtime: tokio::runtime::Runtime,
    pub clock: Arc<ManualClock>,
    pub admin: Client,
    pub dir: TempDir,
}

pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// A new database with its first administrator signed in as `admin`.
pub fn harness() -> Harness {
    harness_with(|api, _| api)
}

/// [`harness`], with the API adjusted by `configure` (given the runtime).
pub fn harness_with(configure: impl FnOnce(Api, &tokio::runtime::Handle) -> Api) -> Harness {
    let TestStore { store, dir } = timebridge_testkit::store();
    let clock = timebridge_testkit::pinned_clock();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let secrets = Arc::new(MemorySecrets::default());
    let api = configure(
        Api::new(
            Arc::new(store),
            clock.clone(),
            secrets.clone(),
            runtime.handle().clone(),
        ),
        runtime.handle(),
    );
    let mut admin = Client::new();
    api.call(
        &mut admin,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada Admin", "password": ADMIN_PASSWORD}),
    )
    .expect("first administrator created");
    Harness {
        api,
        secrets,
        runtime,
        clock,
        admin,
        dir,
    }
}

impl Harness {
    /// Checks a refused connection left no integration and no secret.
    pub fn assert_nothing_saved(&mut self) {
        assert_eq!(
            self.admin_call("list_integrations", Value::Null),
            json!([]),
            "nothing was saved"
        );
        assert!(self.secrets.is_empty(), "and no secret was stored");
    }

    /// The status counts of one module of an integration's staged records.
    pub fn staged_counts(&mut self, id: &Value, module: &str) -> Value {
        let modules = self.admin_call("staged_overview", json!({"id": id}));
        modules
            .as_array()
            .expect("array")
            .iter()
            .find(|m| m["module"] == module)
            .map(|m| m["counts"].clone())
            .expect("the module has a tab")
    }

    /// The integration's summary once its sync has ended (10 s at most).
    pub fn wait_until_synced(&mut self, id: &Value) -> Value {
        for _ in 0..400 {
            let summary = self.admin_call("get_integration", json!({"id": id}));
            if summary["health"] != "running" && summary["last_run"].is_object() {
                return summary;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("the sync did not finish in 10 seconds");
    }

    pub fn call(&self, client: &mut Client, name: &str, args: Value) -> Result<Value, ApiError> {
        self.api.call(client, name, args)
    }

    /// Calls as the administrator, returning the error if there is one.
    pub fn admin_try(&mut self, name: &str, args: Value) -> Result<Value, ApiError> {
        self.api.call(&mut self.admin, name, args)
    }

    pub fn admin_call(&mut self, name: &str, args: Value) -> Value {
        self.api
            .call(&mut self.admin, name, args)
            .unwrap_or_else(|e| panic!("{name} as administrator: {e:?}"))
    }

    /// A role granting exactly `permissions`; returns its id.
    pub fn role(&mut self, name: &str, permissions: &[Permission]) -> i64 {
        let role = self.admin_call(
            "create_role",
            json!({"name": name, "description": "", "permissions": permissions}),
        );
        role["id"].as_i64().expect("role id")
    }

    pub fn builtin_role(&mut self, builtin: &str) -> i64 {
        let roles = self.admin_call("list_roles", Value::Null);
        roles
            .as_array()
            .expect("roles array")
            .iter()
            .find(|r| r["builtin"] == builtin)
            .and_then(|r| r["id"].as_i64())
            .expect("built-in role exists")
    }

    /// Creates an operator with `role_id` and returns a client signed in as them.
    pub fn operator(&mut self, username: &str, role_id: i64) -> Client {
        let password = format!("{username}-password-1");
        self.admin_call(
            "create_operator",
            json!({"username": username, "display_name": username, "password": password, "role_id": role_id}),
        );
        let mut client = Client::new();
        self.call(
            &mut client,
            "sign_in",
            json!({"username": username, "password": password}),
        )
        .expect("the new operator can sign in");
        client
    }
}
