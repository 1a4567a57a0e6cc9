//! Times the emulator alone: every page of a 100,000-timesheet company
//! fetched and parsed, nothing written. Tells emulator cost from sync cost
//! when the sync benchmark moves: `cargo run --release -p
//! timebridge-emulators --example fetch_probe`.

use std::time::Instant;
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};
#[tokio::main]
async fn main() {
    let now = chrono::Utc::now();
    let spec = CompanySpec::sized(100_000, now.date_naive());
    let e = Emulator::start(Company::generate(&spec, now), EmulatorOptions::unlimited())
        .await
        .expect("the probe needs a working emulator");
    let token = e.issue_token();
    let client = reqwest::Client::new();
    let t = Instant::now();
    let (mut raw, mut parse) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for page in 1..=500 {
        let t0 = Instant::now();
        let body = client
            .get(format!(
                "{}/timesheets?start_date={}&limit=200&page={page}",
                e.base_url(),
                spec.from
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the probe needs a working emulator")
            .bytes()
            .await
            .expect("the probe needs a working emulator");
        raw += t0.elapsed();
        let t1 = Instant::now();
        let v: serde_json::Value =
            serde_json::from_slice(&body).expect("the probe needs a working emulator");
        std::hint::black_box(v);
        parse += t1.elapsed();
    }
    println!(
        "500 pages: total {:?}, request+emulator {raw:?}, client parse {parse:?}",
        t.elapsed()
    );
}
