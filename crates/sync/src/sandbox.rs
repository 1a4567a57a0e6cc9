//! The in-app Sandbox: an emulator serving a demo company, started on
//! demand, so a new user can try the whole journey without a vendor
//! account. The company is the one the Sandbox was connected as
//! ([`SandboxCompany`]): a QuickBooks Time company (the QuickBooks Time
//! emulator), or a busybusy organization (the busybusy emulator). Either is
//! generated from the sandbox integration's creation date, so it is the same
//! every time the app starts, and replays the rounds of simulated activity
//! asked of it so far.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use timebridge_core::platforms::SandboxCompany;
use timebridge_emulators::{busybusy, quickbooks_time};
use tokio::sync::Mutex;

/// A running sandbox emulator: the demo company's platform's.
#[derive(Debug, Clone)]
pub enum SandboxServer {
    QuickBooksTime(Arc<quickbooks_time::Emulator>),
    Busybusy(Arc<busybusy::Emulator>),
}

impl SandboxServer {
    /// The company it serves.
    pub fn company(&self) -> SandboxCompany {
        match self {
            SandboxServer::QuickBooksTime(_) => SandboxCompany::QuickBooksTime,
            SandboxServer::Busybusy(_) => SandboxCompany::Busybusy,
        }
    }

    /// The address its API is served at, on 127.0.0.1.
    pub fn base_url(&self) -> String {
        match self {
            SandboxServer::QuickBooksTime(emulator) => emulator.base_url(),
            SandboxServer::Busybusy(emulator) => emulator.base_url(),
        }
    }

    /// Round `round` of everyday changes, made at `now`; what changed, in
    /// words.
    fn simulate(&self, round: u32, now: DateTime<Utc>) -> Vec<String> {
        match self {
            SandboxServer::QuickBooksTime(emulator) => {
                emulator.update(|company| company.simulate_activity(round, now))
            }
            SandboxServer::Busybusy(emulator) => {
                emulator.update(|org| org.simulate_activity(round, now))
            }
        }
    }
}

/// The sandbox emulators running in this process, by integration.
#[derive(Default)]
pub struct SandboxHost {
    running: Mutex<HashMap<i64, SandboxServer>>,
}

impl std::fmt::Debug for SandboxHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHost").finish_non_exhaustive()
    }
}

/// When replayed round `round` of activity happened: a minute apart from
/// the sandbox's creation, so a restart replays the same company.
fn replayed_at(created_at: DateTime<Utc>, round: u32) -> DateTime<Utc> {
    created_at + chrono::Duration::minutes(i64::from(round))
}

impl SandboxHost {
    /// The emulator of sandbox integration `id`, serving `company`, started
    /// if it is not, with the first `rounds` rounds of simulated activity
    /// replayed. A sandbox running as another company is refused: its
    /// company is fixed when it is connected.
    pub async fn serve(
        &self,
        id: i64,
        company: SandboxCompany,
        created_at: DateTime<Utc>,
        rounds: u32,
    ) -> std::io::Result<SandboxServer> {
        let mut running = self.running.lock().await;
        if let Some(server) = running.get(&id) {
            return if server.company() == company {
                Ok(server.clone())
            } else {
                Err(not_served(id, company))
            };
        }
        let server = match company {
            SandboxCompany::QuickBooksTime => {
                let spec = quickbooks_time::CompanySpec::demo(created_at.date_naive());
                let mut demo = quickbooks_time::Company::generate(&spec, created_at);
                for round in 1..=rounds {
                    demo.simulate_activity(round, replayed_at(created_at, round));
                }
                let options = quickbooks_time::EmulatorOptions::default();
                SandboxServer::QuickBooksTime(Arc::new(
                    quickbooks_time::Emulator::start(demo, options).await?,
                ))
            }
            SandboxCompany::Busybusy => {
                let spec = busybusy::OrganizationSpec::demo(created_at);
                let mut demo = busybusy::Organization::generate(&spec);
                for round in 1..=rounds {
                    demo.simulate_activity(round, replayed_at(created_at, round));
                }
                let options = busybusy::EmulatorOptions::default();
                SandboxServer::Busybusy(Arc::new(busybusy::Emulator::start(demo, options).await?))
            }
        };
        running.insert(id, server.clone());
        Ok(server)
    }

    /// The QuickBooks Time emulator of sandbox integration `id` (a
    /// QuickBooks Time demo company), started if it is not, with the first
    /// `rounds` rounds of simulated activity replayed.
    pub async fn emulator(
        &self,
        id: i64,
        created_at: DateTime<Utc>,
        rounds: u32,
    ) -> std::io::Result<Arc<quickbooks_time::Emulator>> {
        match self
            .serve(id, SandboxCompany::QuickBooksTime, created_at, rounds)
            .await?
        {
            SandboxServer::QuickBooksTime(emulator) => Ok(emulator),
            SandboxServer::Busybusy(_) => Err(not_served(id, SandboxCompany::QuickBooksTime)),
        }
    }

    /// The busybusy emulator of sandbox integration `id` (a busybusy demo
    /// organization), started if it is not, with the first `rounds` rounds
    /// of simulated activity replayed.
    pub async fn busybusy(
        &self,
        id: i64,
        created_at: DateTime<Utc>,
        rounds: u32,
    ) -> std::io::Result<Arc<busybusy::Emulator>> {
        match self
            .serve(id, SandboxCompany::Busybusy, created_at, rounds)
            .await?
        {
            SandboxServer::Busybusy(emulator) => Ok(emulator),
            SandboxServer::QuickBooksTime(_) => Err(not_served(id, SandboxCompany::Busybusy)),
        }
    }

    /// Makes round `round` of activity happen in a running sandbox of
    /// `company` (starting it first). Returns what changed, in words.
    pub async fn simulate(
        &self,
        id: i64,
        company: SandboxCompany,
        created_at: DateTime<Utc>,
        round: u32,
        now: DateTime<Utc>,
    ) -> std::io::Result<Vec<String>> {
        let server = self
            .serve(id, company, created_at, round.saturating_sub(1))
            .await?;
        Ok(server.simulate(round, now))
    }

    /// Stops the sandbox of a removed integration.
    pub async fn stop(&self, id: i64) {
        self.running.lock().await.remove(&id);
    }
}

fn not_served(id: i64, company: SandboxCompany) -> std::io::Error {
    std::io::Error::other(format!(
        "sandbox #{id} does not serve a {} company",
        company.name()
    ))
}
