//! QuickBooks Desktop update throughput: an emulated Web Connector in front
//! of a large company file calls Timebridge over loopback, as the real one
//! does (one qbXML request per SOAP round trip: employees and payroll items
//! in one answer each, customers and service items in iterator pages of
//! 100), and the update is staged in one transaction. Prints the update's time, the
//! round trips, and records per second end to end.
//!
//! `cargo bench -p timebridge-sync --bench web_connector` (EMPLOYEES=N,
//! CUSTOMERS=N for another size).

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore};
use timebridge_core::Store;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{self, IntegrationSettings, WebConnectorSettings};
use timebridge_core::middleware::runs;
use timebridge_core::time::SystemClock;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, WebConnector};
use timebridge_sync::{Engine, EngineOptions};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let spec = CompanySpec {
        employees: size("EMPLOYEES", 5_000),
        customers: size("CUSTOMERS", 2_000),
        jobs_per_customer: 3,
        service_items: 300,
        ..CompanySpec::default()
    };
    let dir = tempfile::tempdir().expect("temp folder");
    let store = Arc::new(Store::open(&dir.path().join("timebridge.db")).expect("database"));
    let secrets = Arc::new(MemorySecrets::default());
    let engine = Engine::new(
        store.clone(),
        secrets.clone() as Arc<dyn SecretStore>,
        Arc::new(SystemClock),
        EngineOptions::default(),
    );
    let url = engine
        .web_connector()
        .listen("http://localhost:0/qbwc")
        .await
        .expect("a loopback port");
    let now = Utc::now();
    let mut settings = IntegrationSettings::defaults(now);
    settings.base_url = Some(url.clone());
    settings.web_connector = Some(WebConnectorSettings {
        username: "bench".into(),
        owner_id: "{o}".into(),
        file_id: "{f}".into(),
        app_name: "Timebridge · bench".into(),
        publishing: true,
        class: None,
        billable: None,
    });
    let id = store
        .write(|tx| {
            integrations::create(
                tx,
                "quickbooks_desktop",
                "bench",
                &settings,
                &Actor::system(),
                now,
            )
        })
        .expect("integration")
        .id;
    Credentials::access_token("bench-password")
        .save(secrets.as_ref(), id)
        .expect("saved");
    let wc = WebConnector::new(&url, Company::generate(&spec));
    println!(
        "company file: {} employees, {} customers with {} jobs each, {} service items",
        spec.employees, spec.customers, spec.jobs_per_customer, spec.service_items
    );

    for label in ["first update", "second update (nothing changed)"] {
        let started = Instant::now();
        let update = wc.update("bench", "bench-password").await.expect("update");
        let run = loop {
            let run = store
                .read(|c| runs::latest(c, id))
                .expect("readable")
                .expect("a run");
            if run.outcome != runs::RunOutcome::Running {
                break run;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        };
        let elapsed = started.elapsed().as_secs_f64();
        let records: u64 = run
            .counts
            .values()
            .map(|c| c.new + c.updated + c.unchanged)
            .sum();
        println!(
            "{label}: {:?} in {elapsed:.2} s, {} qbXML round trips, {records} records → {:.0} records/s",
            run.outcome,
            update.percents.len(),
            records as f64 / elapsed
        );
    }
}
