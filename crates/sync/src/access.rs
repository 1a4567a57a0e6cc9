//! The way to an integration's platform: its connector, looked up once, and
//! an HTTP client at its address with its sign-in (the sandbox's own, or the
//! saved one in the keyring), paced to its documented limits.

use std::sync::Arc;

use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore, TokenSource};
use timebridge_connectors::{Connector, Http, HttpConfig, connector_for};
use timebridge_core::middleware::integrations::{self, Integration};

use crate::error::SyncError;
use crate::shared::Shared;

/// The connector of an integration's platform.
pub(crate) fn connector_of(integration: &Integration) -> Result<&'static dyn Connector, SyncError> {
    connector_for(&integration.platform).ok_or_else(|| {
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
    if integration
        .known_platform()
        .is_some_and(timebridge_core::platforms::Platform::demo)
    {
        let rounds = shared
            .store
            .read(|c| integrations::sandbox_rounds(c, integration.id))?;
        let emulator = shared
            .sandbox
            .emulator(integration.id, integration.created_at, rounds)
            .await
            .map_err(|e| SyncError::Internal(format!("the sandbox could not start: {e}")))?;
        let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        Credentials::access_token(emulator.issue_token()).save(secrets.as_ref(), integration.id)?;
        let tokens = TokenSource::load(secrets, integration.id, info.name)?;
        return Ok((emulator.base_url(), tokens));
    }
    let base_url = integration
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| info.default_base_url.to_owned());
    let tokens = TokenSource::load(shared.secrets.clone(), integration.id, info.name)?;
    Ok((base_url, tokens))
}
