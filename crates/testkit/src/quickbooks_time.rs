//! The emulated QuickBooks Time company: the demo company as of today, its
//! emulator on a free port, and sign-ins it accepts.

use chrono::{DateTime, Utc};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::Sensitive;
use timebridge_emulators::quickbooks_time::{
    Company, CompanySpec, Emulator, EmulatorOptions, server_client_id, server_client_secret,
};

/// When the emulated company's records were last modified: three hours
/// ago, well before any sync in a test, so "modified since" reads see only
/// later edits.
pub fn generated_at() -> DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(3)
}

/// The demo company's shape (12 people, 4 customers, two weeks of time)
/// as of today.
pub fn spec() -> CompanySpec {
    CompanySpec::demo(Utc::now().date_naive())
}

/// `company` served with the emulator's default options.
pub async fn emulator(company: Company) -> Emulator {
    Emulator::start(company, EmulatorOptions::default())
        .await
        .expect("emulator starts")
}

/// Credentials that can be renewed at the emulator's `/grant`.
pub fn refreshable(emulator: &Emulator) -> Credentials {
    let (access, refresh) = emulator.issue_token_pair();
    Credentials {
        access_token: Sensitive::new(access),
        refresh_token: Some(Sensitive::new(refresh)),
        expires_at: None,
        token_url: Some(format!("{}/grant", emulator.base_url())),
        client_id: Some(server_client_id().to_owned()),
        client_secret: Some(Sensitive::new(server_client_secret().to_owned())),
        renewal: Default::default(),
    }
}
