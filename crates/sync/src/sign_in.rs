//! Trying a sign-in before it is saved: a pasted token, a client ID and
//! secret exchanged at the platform's token endpoint, or a member's
//! username and password (busybusy), checked with one authenticated
//! request; or the lists of a platform read whole, read once.
//! Nothing here touches the keyring or the database.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use timebridge_connectors::http::graphql_errors;
use timebridge_connectors::lists;
use timebridge_connectors::secrets::{Credentials, MemorySecrets, SecretStore, TokenSource};
use timebridge_connectors::{
    Connector, Http, HttpConfig, PageAsk, PlatformInfo, busybusy, client_credentials, connector_for,
};
use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations::IntegrationSettings;
use timebridge_core::platforms::Platform;
use tokio_util::sync::CancellationToken;

use crate::error::{SyncError, invalid};
use crate::lists::check_lists;
use crate::shared::Shared;

/// Checking sign-ins while an integration is connected. Obtained from
/// `Engine::sign_in`.
#[derive(Clone)]
pub struct SignIn {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").finish_non_exhaustive()
    }
}

impl SignIn {
    pub(crate) fn of(shared: Arc<Shared>) -> SignIn {
        SignIn { shared }
    }

    /// Signs in with a client id and secret at the platform's token
    /// endpoint, then tries the sign-in with one request, before anything
    /// is saved. Returns the credentials to save and who the account is.
    pub async fn with_client(
        &self,
        platform: &str,
        base_url: Option<&str>,
        client_id: &str,
        secret: &Sensitive<String>,
    ) -> Result<(Credentials, String), SyncError> {
        let connector = known_connector(platform)?;
        let info = connector.info();
        let token_path = info.token_path.ok_or_else(|| {
            invalid(
                "platform",
                format!(
                    "{} does not sign in with a client ID and secret.",
                    info.name
                ),
            )
        })?;
        let base_url = base_url
            .unwrap_or(info.default_base_url)
            .trim_end_matches('/')
            .to_owned();
        let credentials = client_credentials::sign_in(
            &client_credentials::client()?,
            &format!("{base_url}{token_path}"),
            client_id,
            secret,
            info.name,
            &CancellationToken::new(),
        )
        .await?;
        let account = self
            .check_connection(platform, Some(&base_url), &credentials)
            .await?;
        Ok((credentials, account))
    }

    /// Signs a member in with a username and password (busybusy), then
    /// checks the member is an admin: the `members` list filtered by the
    /// admin permissions answers nobody to anyone else (`BB-AUTH-5`).
    /// Returns the credentials to save (the session token, and the username
    /// and password that sign in again) and who the account is. A member
    /// who is not an admin is refused on the username.
    pub async fn with_password(
        &self,
        platform: &str,
        base_url: Option<&str>,
        username: &str,
        password: &Sensitive<String>,
    ) -> Result<(Credentials, String), SyncError> {
        let connector = known_connector(platform)?;
        let info = connector.info();
        if info.platform != Platform::Busybusy {
            return Err(invalid(
                "platform",
                format!(
                    "{} does not sign in with a username and password.",
                    info.name
                ),
            ));
        }
        let cancel = CancellationToken::new();
        let signed_in = busybusy::sign_in::sign_in(
            &busybusy::sign_in::client()?,
            &busybusy::sign_in_url(base_url),
            username,
            password,
            info.name,
            &cancel,
        )
        .await?;
        let http = self.trial_http(info, base_url, &signed_in.credentials)?;
        let page = PageAsk {
            filters: &[],
            first: 1,
            after: None,
        };
        let request = json!({
            "query": busybusy::queries::MEMBERS,
            "variables": busybusy::queries::variables(busybusy::queries::admin_filter(), page),
        });
        let body = http
            .post_json("/", &request, "the members", &cancel)
            .await?;
        if let Some(error) = graphql_errors(info.name, "members", &body) {
            return Err(error.into());
        }
        let admin = body
            .pointer("/data/members")
            .and_then(|m| m.as_array())
            .is_some_and(|m| !m.is_empty());
        if !admin {
            return Err(invalid(
                "username",
                format!(
                    "{username} is not a {name} admin. Sign in as an owner or admin of the \
                     organization: only they may read every member's time.",
                    name = info.name
                ),
            ));
        }
        Ok((
            signed_in.credentials,
            format!("{} · {}", info.name, signed_in.member),
        ))
    }

    /// An HTTP client trying `credentials` before they are saved: two
    /// attempts, no pacing, a 401 meaning the sign-in.
    fn trial_http(
        &self,
        info: &'static PlatformInfo,
        base_url: Option<&str>,
        credentials: &Credentials,
    ) -> Result<Http, SyncError> {
        let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        credentials.save(secrets.as_ref(), 0)?;
        let tokens = Arc::new(TokenSource::load(secrets, 0, info.name)?);
        let base_url = base_url.unwrap_or(info.default_base_url).to_owned();
        let mut retry = self.shared.options.retry;
        retry.max_attempts = retry.max_attempts.min(2);
        Ok(Http::new(
            HttpConfig {
                base_url,
                platform: info.name,
                policy: retry,
                rate_limit: None,
                rate_limit_window: Duration::from_secs(5),
                request_timeout: Duration::from_secs(20),
                connect_timeout: Duration::from_secs(10),
                // This request is the probe: a 401 here is the sign-in.
                probe_path: None,
            },
            tokens,
        )?)
    }

    /// Tries a sign-in before it is saved: one authenticated request to the
    /// platform. Returns who the platform says the account is.
    pub async fn check_connection(
        &self,
        platform: &str,
        base_url: Option<&str>,
        credentials: &Credentials,
    ) -> Result<String, SyncError> {
        let connector = known_connector(platform)?;
        let info = connector.info();
        let http = self.trial_http(info, base_url, credentials)?;
        let body = http
            .get_json(
                info.probe_path,
                &[],
                "the account",
                &CancellationToken::new(),
            )
            .await?;
        Ok(connector.account_label(&body))
    }

    /// Reads every list of a platform read whole (Sage 300 CRE) at the data
    /// source or folder `settings` name (`password` is the data source's),
    /// before anything is saved. Returns what the lists hold.
    pub async fn check_lists(
        &self,
        platform: &str,
        settings: &IntegrationSettings,
        password: Option<&Sensitive<String>>,
    ) -> Result<String, SyncError> {
        let connector = known_connector(platform)?;
        let reader = connector.lists().ok_or_else(|| {
            invalid(
                "platform",
                format!(
                    "{} is not read from a data source or exported lists.",
                    connector.info().name
                ),
            )
        })?;
        let at = lists::lists_at(connector.info().name, settings, password)?;
        check_lists(reader, at).await
    }
}

/// The connector of a platform an admin is connecting.
fn known_connector(platform: &str) -> Result<&'static dyn Connector, SyncError> {
    connector_for(platform).ok_or_else(|| {
        invalid(
            "platform",
            format!("Timebridge cannot connect to “{platform}”."),
        )
    })
}
