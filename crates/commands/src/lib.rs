//! Timebridge's commands: everything the UI can ask the backend to do, with
//! no dependency on Tauri.
//!
//! [`Api`] holds the store, the clock and the signed-in sessions. A
//! [`Client`] is one caller (the app's window, or a test's user) and carries
//! its session. [`Api::call`] runs a command by name with JSON arguments: it
//! checks the caller's session and the command's required permission first
//! (before even reading the arguments), then runs the handler, and turns any
//! failure into an [`ApiError`] `{code, message, …}`.
//!
//! The command table in [`registry`] is the single list of commands: it
//! gives each its [`Access`], argument and result types, and handler. The
//! permission test walks it, and the TypeScript bindings are generated from
//! it, so a new command cannot skip either.

mod bindings;
pub mod connect;
mod handlers;
pub mod registry;
mod session;
mod sync_error;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use timebridge_connectors::secrets::SecretStore;
use timebridge_core::audit::Actor;
use timebridge_core::operators::Operator;
use timebridge_core::permissions::Permission;
use timebridge_core::time::Clock;
use timebridge_core::{ApiError, Error, Result, Store};
use timebridge_sync::{Engine, EngineOptions};

pub use bindings::{BINDINGS_PATH, SYNC_PROGRESS_EVENT, typescript_bindings};
pub use handlers::types;
pub use handlers::updates::{UpdateState, UpdateStatus, Updates};
pub use handlers::web_connector::publishing_next_step;
pub use registry::{COMMANDS, CommandSpec};
pub use session::Client;
pub use sync_error::{sync_api_error, sync_error};

/// Who may run a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (first-run setup, sign-in).
    Public,
    /// Any signed-in operator.
    SignedIn,
    /// A signed-in operator whose role grants this permission.
    Requires(Permission),
}

/// The backend as the UI sees it.
pub struct Api {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    sessions: session::Sessions,
    engine: Engine,
    runtime: tokio::runtime::Handle,
    sign_ins: handlers::sign_in::SignIns,
    jobs: handlers::jobs::Jobs,
    browser: handlers::sign_in::OpenBrowser,
    /// The shell's updater, once it has plugged one in.
    updates: std::sync::OnceLock<handlers::updates::SharedUpdates>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// What a handler gets: the store, the time of the call, the caller and, for
/// commands that need a session, the signed-in operator.
pub struct Ctx<'a> {
    pub api: &'a Api,
    pub client: &'a mut Client,
    pub now: DateTime<Utc>,
    signed_in: Option<session::SignedIn>,
}

impl Ctx<'_> {
    pub fn store(&self) -> &Store {
        &self.api.store
    }

    /// The signed-in operator; every non-public command has one.
    pub fn operator(&self) -> Result<&Operator> {
        self.signed_in
            .as_ref()
            .map(|s| &s.operator)
            .ok_or(Error::NotSignedIn)
    }

    pub fn permissions(&self) -> Vec<Permission> {
        self.signed_in
            .as_ref()
            .map(|s| s.permissions.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Who the audit log should name for changes made by this call.
    pub fn actor(&self) -> Result<Actor> {
        Ok(self.operator()?.actor())
    }
}

impl Api {
    /// The API over `store`, keeping sign-ins in `secrets`, with syncs
    /// running on `runtime`.
    pub fn new(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        secrets: Arc<dyn SecretStore>,
        runtime: tokio::runtime::Handle,
    ) -> Api {
        let engine = Engine::new(
            store.clone(),
            secrets,
            clock.clone(),
            EngineOptions::default(),
        );
        Api::with_engine(store, clock, engine, runtime)
    }

    /// The API with an engine set up by the caller (tests shorten retries).
    pub fn with_engine(
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
        engine: Engine,
        runtime: tokio::runtime::Handle,
    ) -> Api {
        Api {
            store,
            clock,
            sessions: session::Sessions::default(),
            engine,
            runtime,
            sign_ins: handlers::sign_in::SignIns::default(),
            jobs: handlers::jobs::Jobs::default(),
            // Until the shell says how, the window shows the link to open.
            browser: Arc::new(|_: &str| false),
            updates: std::sync::OnceLock::new(),
        }
    }

    /// How to open a web address in the system browser (browser sign-ins).
    pub fn with_browser(mut self, open: impl Fn(&str) -> bool + Send + Sync + 'static) -> Api {
        self.browser = Arc::new(open);
        self
    }

    /// Plugs in the shell's updater (once; later calls are ignored). The
    /// shell can only build it once its window system runs, after the API.
    pub fn set_updates(&self, updates: Arc<dyn Updates>) {
        if self.updates.set(updates).is_err() {
            tracing::warn!("the updater was already set");
        }
    }

    pub(crate) fn updates(&self) -> &dyn Updates {
        match self.updates.get() {
            Some(updates) => updates.as_ref(),
            None => &handlers::updates::NoUpdater,
        }
    }

    /// The sync engine, for the scheduler and progress events.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs the command `name` for `client` with JSON `args`.
    pub fn call(
        &self,
        client: &mut Client,
        name: &str,
        args: serde_json::Value,
    ) -> std::result::Result<serde_json::Value, ApiError> {
        let started = std::time::Instant::now();
        let result = registry::dispatch(self, client, name, args);
        let elapsed_ms = started.elapsed().as_millis();
        match &result {
            Ok(_) => tracing::debug!(command = name, elapsed_ms, "command succeeded"),
            Err(error) if error.code == timebridge_core::ErrorCode::Internal => {
                tracing::error!(command = name, elapsed_ms, code = ?error.code, message = %error.message, "command failed")
            }
            Err(error) => {
                tracing::info!(command = name, elapsed_ms, code = ?error.code, message = %error.message, "command refused")
            }
        }
        result
    }

    /// Checks access, decodes the arguments and runs one handler.
    fn run<A: DeserializeOwned, O: Serialize>(
        &self,
        client: &mut Client,
        access: Access,
        args: serde_json::Value,
        handler: fn(&mut Ctx<'_>, A) -> Result<O>,
    ) -> std::result::Result<serde_json::Value, ApiError> {
        let now = self.clock.now();
        let signed_in = self.sessions.authorize(&self.store, client, access, now)?;
        let args: A = serde_json::from_value(args).map_err(|error| {
            Error::Internal(format!(
                "the UI sent arguments this version does not understand ({error})"
            ))
        })?;
        let mut ctx = Ctx {
            api: self,
            client,
            now,
            signed_in,
        };
        let output = handler(&mut ctx, args)?;
        serde_json::to_value(output).map_err(|error| {
            Error::Internal(format!("could not encode the result: {error}")).into()
        })
    }
}
