//! The way to an integration's platform: its connector, looked up once, and
//! an HTTP client at its address with its sign-in (the sandbox's own, or the
//! saved one in the keyring), paced to its documented limits.

use std::sync::Arc;

use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore, TokenSource};
use timebridge_connectors::{Connector, Http, HttpConfig, busybusy, integration_connector};
use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations::{self, Integration};
use timebridge_core::platforms::SandboxCompany;
use timebridge_emulators::busybusy::{ADMIN_USERNAME, PASSWORD};
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;
use crate::sandbox::SandboxServer;
use crate::shared::Shared;

/// The connector an integration is read with: its platform's, or a
/// Sandbox's demo company's (`Integration::read_as` decides).
pub(crate) fn connector_of(integration: &Integration) -> Result<&'static dyn Connector, SyncError> {
    integration_connector(integration).ok_or_else(|| {
        SyncError::Internal(format!(
            "no connector for the platform {}",
            integration.platform
        ))
    })
}

/// An HTTP client for `integration`'s platform, signed in.
pub(crate) async fn platform_http(
    shared: &Shared,
    integration: &Integration,
    connector: &'static dyn Connector,
) -> Result<Http, SyncError> {
    let (base_url, tokens) = sign_in(shared, integration, connector).await?;
    let info = connector.info();
    let options = &shared.options;
    Ok(Http::new(
        HttpConfig {
            base_url,
            platform: info.name,
            policy: options.retry,
            rate_limit: if options.pace { info.rate_limit } else { None },
            rate_limit_window: options.rate_limit_window.unwrap_or(info.rate_limit_window),
            request_timeout: options.request_timeout,
            connect_timeout: options.connect_timeout,
            probe_path: Some(info.probe_path),
        },
        Arc::new(tokens),
    )?)
}

/// The address and sign-in a run uses: the sandbox's own, or the saved ones.
async fn sign_in(
    shared: &Shared,
    integration: &Integration,
    connector: &'static dyn Connector,
) -> Result<(String, TokenSource), SyncError> {
    let info = connector.info();
    if let Some(company) = integration.sandbox_company() {
        return sandbox_sign_in(shared, integration, company, info.name).await;
    }
    let base_url = integration
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| info.default_base_url.to_owned());
    let tokens = TokenSource::load(shared.secrets.clone(), integration.id, info.name)?;
    Ok((base_url, tokens))
}

/// A Sandbox's address and sign-in: its emulator, started if it is not,
/// signed in to with the demo company's built-in sign-in (a token the
/// QuickBooks Time emulator issues, or busybusy's admin member signed in
/// over its sign-in API), held in memory only: nothing in the keyring.
async fn sandbox_sign_in(
    shared: &Shared,
    integration: &Integration,
    company: SandboxCompany,
    platform: &'static str,
) -> Result<(String, TokenSource), SyncError> {
    let rounds = shared
        .store
        .read(|c| integrations::sandbox_rounds(c, integration.id))?;
    let server = shared
        .sandbox
        .serve(integration.id, company, integration.created_at, rounds)
        .await
        .map_err(|e| SyncError::Internal(format!("the sandbox could not start: {e}")))?;
    let base_url = server.base_url();
    let credentials = match &server {
        SandboxServer::QuickBooksTime(emulator) => {
            Credentials::access_token(emulator.issue_token())
        }
        SandboxServer::Busybusy(_) => {
            busybusy::sign_in::sign_in(
                &busybusy::sign_in::client()?,
                &busybusy::sign_in_url(Some(&base_url)),
                ADMIN_USERNAME,
                &Sensitive::new(PASSWORD.to_owned()),
                platform,
                &CancellationToken::new(),
            )
            .await?
            .credentials
        }
    };
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    credentials.save(secrets.as_ref(), integration.id)?;
    let tokens = TokenSource::load(secrets, integration.id, platform)?;
    Ok((base_url, tokens))
}
