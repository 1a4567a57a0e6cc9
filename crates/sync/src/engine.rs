//! The sync engine: the shared state, and the roles callers take from it —
//! [`Runs`] (sync, cancel, progress), [`WebConnector`] (answering the
//! QuickBooks Web Connector and connecting through it), [`Payroll`]
//! (publishing hours) and [`SignIn`] (checking a sign-in before it is
//! saved). The schedule is `crate::scheduler`'s.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use timebridge_connectors::secrets::SecretStore;
use timebridge_core::Store;
use timebridge_core::time::Clock;

use crate::publish::Payroll;
use crate::runs::Runs;
use crate::sandbox::SandboxHost;
use crate::shared::{EngineOptions, Shared};
use crate::sign_in::SignIn;
use crate::web_connector::WebConnector;

/// The sync engine. Cheap to clone; needs a Tokio runtime.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(
        store: Arc<Store>,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        options: EngineOptions,
    ) -> Engine {
        Engine {
            shared: Arc::new(Shared::new(store, secrets, clock, options)),
        }
    }

    /// Starting, joining and cancelling syncs, and their progress.
    pub fn runs(&self) -> Runs {
        Runs::of(self.shared.clone())
    }

    /// Answering the QuickBooks Web Connector, and connecting through it.
    pub fn web_connector(&self) -> WebConnector {
        WebConnector::of(self.shared.clone())
    }

    /// Publishing payroll, and reading the targets' payroll items.
    pub fn payroll(&self) -> Payroll {
        Payroll::of(self.shared.clone())
    }

    /// Checking a sign-in before it is saved.
    pub fn sign_in(&self) -> SignIn {
        SignIn::of(self.shared.clone())
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.shared.store
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.shared.secrets
    }

    pub fn sandbox(&self) -> &SandboxHost {
        &self.shared.sandbox
    }

    /// Whether another process (the window, or the background service)
    /// schedules this database's syncs: then `crate::scheduler::sync_now`
    /// passes a sync asked for here on to it instead of running it here.
    pub fn scheduled_elsewhere(&self) -> bool {
        self.shared.scheduled_elsewhere.load(Ordering::Relaxed)
    }

    pub(crate) fn set_scheduled_elsewhere(&self, elsewhere: bool) {
        self.shared
            .scheduled_elsewhere
            .store(elsewhere, Ordering::Relaxed);
    }
}
