//! The in-app Sandbox: a QuickBooks Time emulator serving a demo company,
//! started on demand, so a new user can try the whole journey without a
//! vendor account. The company is generated from the sandbox integration's
//! creation date, so it is the same every time the app starts.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
use tokio::sync::Mutex;

/// The sandbox emulators running in this process, by integration.
#[derive(Default)]
pub struct SandboxHost {
    running: Mutex<HashMap<i64, Arc<Emulator>>>,
}

impl std::fmt::Debug for SandboxHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHost").finish_non_exhaustive()
    }
}

impl SandboxHost {
    /// The emulator of sandbox integration `id`, started if it is not, with
    /// the first `rounds` rounds of simulated activity replayed.
    pub async fn emulator(
        &self,
        id: i64,
        created_at: DateTime<Utc>,
        rounds: u32,
    ) -> std::io::Result<Arc<Emulator>> {
        let mut running = self.running.lock().await;
        if let Some(emulator) = running.get(&id) {
            return Ok(emulator.clone());
        }
        let mut company =
            Company::generate(&CompanySpec::demo(created_at.date_naive()), created_at);
        for round in 1..=rounds {
            let at = created_at + chrono::Duration::minutes(i64::from(round));
            company.simulate_activity(round, at);
        }
        let emulator = Arc::new(Emulator::start(company, EmulatorOptions::default()).await?);
        running.insert(id, emulator.clone());
        Ok(emulator)
    }

    /// Makes round `round` of activity happen in a running sandbox (starting
    /// it first). Returns what changed, in words.
    pub async fn simulate(
        &self,
        id: i64,
        created_at: DateTime<Utc>,
        round: u32,
        now: DateTime<Utc>,
    ) -> std::io::Result<Vec<String>> {
        let emulator = self
            .emulator(id, created_at, round.saturating_sub(1))
            .await?;
        Ok(emulator.update(|company| company.simulate_activity(round, now)))
    }

    /// Stops the sandbox of a removed integration.
    pub async fn stop(&self, id: i64) {
        self.running.lock().await.remove(&id);
    }
}
