//! Secrets: credentials and tokens in the operating system's keyring.
//!
//! One keyring entry per integration holds its [`Credentials`] as JSON
//! (Windows Credential Manager, macOS Keychain, the Secret Service on
//! Linux). The [`SecretStore`] trait has the keyring implementation and an
//! in-memory one for tests.
//!
//! [`TokenSource`] hands out an integration's access token and renews it
//! when the platform rejects it. Renewal is single-flight: callers queue on
//! one lock, and a caller whose rejected token was already replaced just
//! takes the new one. The renewed (rotated) tokens are saved to the store
//! *before* anyone uses them, so a crash cannot lose the only valid refresh
//! token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use timebridge_core::{ErrorCode, Sensitive};
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectorError, ErrorClass};

/// The keyring's service name: the app's identifier.
pub const KEYRING_SERVICE: &str = timebridge_core::paths::APP_IDENTIFIER;

/// The keyring entry of an integration.
pub fn integration_key(integration_id: i64) -> String {
    format!("integration-{integration_id}")
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(pub String);

impl From<SecretError> for timebridge_core::Error {
    fn from(error: SecretError) -> Self {
        timebridge_core::Error::Source(error.0)
    }
}

impl From<SecretError> for ConnectorError {
    fn from(error: SecretError) -> Self {
        ConnectorError::new(
            ErrorClass::Configuration,
            ErrorCode::SourceUnavailable,
            error.0,
        )
    }
}

/// Where secrets are kept.
pub trait SecretStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError>;
    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<(), SecretError>;
    /// Deleting a missing entry is fine.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
}

/// Secrets in memory, for tests and for the in-app Sandbox.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    entries: Mutex<HashMap<String, Sensitive<String>>>,
}

impl MemorySecrets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Sensitive<String>>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        Ok(self.lock().get(key).cloned())
    }

    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<(), SecretError> {
        self.lock().insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.lock().remove(key);
        Ok(())
    }
}

/// Secrets in the operating system's keyring.
#[derive(Debug, Clone)]
pub struct KeyringSecrets {
    service: String,
}

impl KeyringSecrets {
    pub fn new(service: impl Into<String>) -> KeyringSecrets {
        KeyringSecrets {
            service: service.into(),
        }
    }

    /// Whether the keyring answers: a Secret Service (or the OS's store)
    /// is running and a lookup gets an answer. False on a server with no
    /// desktop session.
    pub fn reachable(&self) -> bool {
        self.get("timebridge-probe").is_ok()
    }

    fn entry(&self, key: &str) -> Result<keyring_core::Entry, SecretError> {
        platform_store().map_err(unavailable)?;
        keyring_core::Entry::new(&self.service, key).map_err(unavailable)
    }
}

/// Makes the platform's credential store the default, once it can be
/// reached. Unlike a set-up-once-at-first-use store, a keyring that was not
/// running when Timebridge started is picked up as soon as it is.
fn platform_store() -> keyring_core::Result<()> {
    static READY: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut ready = READY.lock().unwrap_or_else(|p| p.into_inner());
    if *ready {
        return Ok(());
    }
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    let store = apple_native_keyring_store::keychain::Store::new()?;
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new()?;
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    let store = zbus_secret_service_keyring_store::Store::new()?;
    #[cfg(any(unix, windows))]
    {
        keyring_core::set_default_store(store);
        *ready = true;
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    Err(keyring_core::Error::NoDefaultStore)
}

fn unavailable(error: keyring_core::Error) -> SecretError {
    SecretError(format!(
        "The system keyring could not be used ({error}). Timebridge keeps sign-ins there, never in its \
         database. On Linux, start a Secret Service such as GNOME Keyring and unlock it, then try again."
    ))
}

impl SecretStore for KeyringSecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    fn set(&self, key: &str, secret: &Sensitive<String>) -> Result<(), SecretError> {
        self.entry(key)?
            .set_password(secret.expose())
            .map_err(unavailable)
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        }
    }
}

/// How a rejected access token is renewed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Renewal {
    /// An OAuth2 `refresh_token` grant, form-encoded to `token_url`.
    #[default]
    OAuthRefresh,
    /// A client id and secret signed in again as JSON at `token_url`, after
    /// trying the refresh token at `token_url/RefreshToken` (Aspire).
    ClientCredentials,
    /// A member's username (`client_id`) and password (`client_secret`)
    /// signed in again at `token_url` (busybusy's `GET /member`); the
    /// session token is sent as `key-authorization`, not as a bearer.
    MemberSignIn,
}

/// An integration's sign-in: a token, and what renews it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_token: Sensitive<String>,
    pub refresh_token: Option<Sensitive<String>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Where to renew the token (the platform's OAuth token endpoint).
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Sensitive<String>>,
    pub renewal: Renewal,
}

impl Credentials {
    /// A pasted access token, which cannot be renewed.
    pub fn access_token(token: impl Into<String>) -> Credentials {
        Credentials {
            access_token: Sensitive::new(token.into()),
            refresh_token: None,
            expires_at: None,
            token_url: None,
            client_id: None,
            client_secret: None,
            renewal: Renewal::OAuthRefresh,
        }
    }

    /// The keyring form: JSON holding the secrets. This is the one place
    /// secrets are serialized, and its only destination is a [`SecretStore`].
    fn to_secret(&self) -> Sensitive<String> {
        let json = serde_json::json!({
            "access_token": self.access_token.expose(),
            "refresh_token": self.refresh_token.as_ref().map(|t| t.expose().clone()),
            "expires_at": self.expires_at,
            "token_url": self.token_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret.as_ref().map(|t| t.expose().clone()),
            "renewal": match self.renewal {
                Renewal::OAuthRefresh => "oauth_refresh",
                Renewal::ClientCredentials => "client_credentials",
                Renewal::MemberSignIn => "member_sign_in",
            },
        });
        Sensitive::new(json.to_string())
    }

    fn from_secret(secret: &Sensitive<String>) -> Result<Credentials, SecretError> {
        #[derive(Deserialize)]
        struct Stored {
            access_token: String,
            refresh_token: Option<String>,
            expires_at: Option<DateTime<Utc>>,
            token_url: Option<String>,
            client_id: Option<String>,
            client_secret: Option<String>,
            #[serde(default)]
            renewal: Option<String>,
        }
        let stored: Stored = serde_json::from_str(secret.expose()).map_err(|_| {
            SecretError(
                "The saved sign-in in the keyring is damaged. Reconnect the integration.".into(),
            )
        })?;
        Ok(Credentials {
            access_token: Sensitive::new(stored.access_token),
            refresh_token: stored.refresh_token.map(Sensitive::new),
            expires_at: stored.expires_at,
            token_url: stored.token_url,
            client_id: stored.client_id,
            client_secret: stored.client_secret.map(Sensitive::new),
            renewal: match stored.renewal.as_deref() {
                Some("client_credentials") => Renewal::ClientCredentials,
                Some("member_sign_in") => Renewal::MemberSignIn,
                _ => Renewal::OAuthRefresh,
            },
        })
    }

    /// Whether this sign-in can be renewed without the admin.
    pub fn renewable(&self) -> bool {
        match self.renewal {
            Renewal::ClientCredentials | Renewal::MemberSignIn => true,
            Renewal::OAuthRefresh => self.refresh_token.is_some() && self.token_url.is_some(),
        }
    }

    pub fn save(&self, store: &dyn SecretStore, integration_id: i64) -> Result<(), SecretError> {
        store.set(&integration_key(integration_id), &self.to_secret())
    }

    pub fn load(
        store: &dyn SecretStore,
        integration_id: i64,
    ) -> Result<Option<Credentials>, SecretError> {
        store
            .get(&integration_key(integration_id))?
            .map(|secret| Credentials::from_secret(&secret))
            .transpose()
    }
}

/// How long before its expiry an access token is renewed.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::minutes(5);

/// An integration's access token, renewed before it expires and once when
/// rejected.
pub struct TokenSource {
    store: Arc<dyn SecretStore>,
    integration_id: i64,
    platform: &'static str,
    current: tokio::sync::Mutex<Credentials>,
    client: reqwest::Client,
    /// The header the token is sent in, where it is not a bearer token.
    key_header: Option<&'static str>,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("integration_id", &self.integration_id)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

impl TokenSource {
    /// Reads the integration's saved sign-in.
    pub fn load(
        store: Arc<dyn SecretStore>,
        integration_id: i64,
        platform: &'static str,
    ) -> Result<TokenSource, ConnectorError> {
        let credentials = Credentials::load(store.as_ref(), integration_id)?.ok_or_else(|| {
            ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::AuthFailed,
                format!("There is no saved sign-in for this {platform} integration. Reconnect it."),
            )
        })?;
        let key_header =
            (credentials.renewal == Renewal::MemberSignIn).then_some("key-authorization");
        Ok(TokenSource {
            store,
            integration_id,
            platform,
            current: tokio::sync::Mutex::new(credentials),
            client: reqwest::Client::new(),
            key_header,
        })
    }

    /// The header the token goes in (busybusy's `key-authorization`); none
    /// for a bearer token.
    pub fn key_header(&self) -> Option<&'static str> {
        self.key_header
    }

    /// The access token to send. One that expires within
    /// [`RENEW_BEFORE_EXPIRY`] is renewed first, as the platforms ask
    /// (QuickBooks Time: "before the current one expires"); when renewal
    /// cannot happen now, the current token is used while it lasts.
    pub async fn access_token(
        &self,
        cancel: &CancellationToken,
    ) -> Result<Sensitive<String>, ConnectorError> {
        let mut current = self.current.lock().await;
        let expiring = current
            .expires_at
            .is_some_and(|at| at - RENEW_BEFORE_EXPIRY <= Utc::now());
        if expiring && current.renewable() {
            match self.renew(&mut current, cancel).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(
                        integration = self.integration_id,
                        "the sign-in could not be renewed before it expires"
                    );
                }
                Err(error) if error.is_cancelled() => return Err(error),
                Err(error) => {
                    tracing::warn!(integration = self.integration_id, %error, "renewing before expiry failed; using the current token");
                }
            }
        }
        Ok(current.access_token.clone())
    }

    /// Called when the platform rejected `rejected`. Returns `true` when a
    /// fresh token is ready (renewed here, or already by another caller),
    /// `false` when the sign-in cannot be renewed (the admin must reconnect).
    pub async fn refresh_rejected(
        &self,
        rejected: &Sensitive<String>,
        cancel: &CancellationToken,
    ) -> Result<bool, ConnectorError> {
        let mut current = self.current.lock().await;
        if current.access_token != *rejected {
            return Ok(true);
        }
        self.renew(&mut current, cancel).await
    }

    /// Renews `current` (held locked by the caller, so renewal is single
    /// flight) and saves the result before anyone uses it.
    async fn renew(
        &self,
        current: &mut Credentials,
        cancel: &CancellationToken,
    ) -> Result<bool, ConnectorError> {
        let before = current.access_token.clone();
        // Another process (the CLI, say) may have renewed it meanwhile.
        if let Some(saved) = Credentials::load(self.store.as_ref(), self.integration_id)?
            && saved.access_token != before
        {
            *current = saved;
            return Ok(true);
        }
        if matches!(
            current.renewal,
            Renewal::ClientCredentials | Renewal::MemberSignIn
        ) {
            let renewed = if current.renewal == Renewal::MemberSignIn {
                crate::busybusy::sign_in::renew(&self.client, current, self.platform, cancel)
                    .await?
            } else {
                crate::client_credentials::renew(&self.client, current, self.platform, cancel)
                    .await?
            };
            let Some(next) = renewed else {
                return Ok(false);
            };
            next.save(self.store.as_ref(), self.integration_id)?;
            *current = next;
            tracing::info!(integration = self.integration_id, "signed in again");
            return Ok(true);
        }
        let (Some(refresh_token), Some(url)) =
            (current.refresh_token.clone(), current.token_url.clone())
        else {
            return Ok(false);
        };
        let mut form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh_token.expose().clone()),
        ];
        if let Some(id) = &current.client_id {
            form.push(("client_id", id.clone()));
        }
        if let Some(secret) = &current.client_secret {
            form.push(("client_secret", secret.expose().clone()));
        }
        let sent = tokio::select! {
            result = self.client.post(&url).form(&form).send() => result,
            () = cancel.cancelled() => return Err(ConnectorError::cancelled()),
        };
        let response = sent.map_err(|_| {
            ConnectorError::new(
                ErrorClass::Transient,
                ErrorCode::SourceUnavailable,
                format!("Could not reach {} to renew the sign-in. Check the internet connection; the next sync tries again.", self.platform),
            )
        })?;
        if response.status().is_client_error() {
            tracing::warn!(status = %response.status(), "the refresh token was rejected");
            return Ok(false);
        }
        let renewed: TokenResponse = response
            .json()
            .await
            .map_err(|e| ConnectorError::platform_data(self.platform, "a renewed sign-in", e))?;
        let next = Credentials {
            access_token: Sensitive::new(renewed.access_token),
            refresh_token: renewed
                .refresh_token
                .map(Sensitive::new)
                .or(current.refresh_token.clone()),
            expires_at: renewed
                .expires_in
                .map(|s| Utc::now() + Duration::seconds(s)),
            ..current.clone()
        };
        // Saved before it is used: a rotated refresh token must never exist
        // only in memory.
        next.save(self.store.as_ref(), self.integration_id)?;
        *current = next;
        tracing::info!(integration = self.integration_id, "renewed the sign-in");
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_round_trip_through_a_store_without_showing_in_debug() {
        let store = MemorySecrets::default();
        let mut credentials = Credentials::access_token("S.18__secret-token");
        credentials.refresh_token = Some(Sensitive::new("refresh-secret".into()));
        credentials.save(&store, 7).expect("saved");
        let loaded = Credentials::load(&store, 7)
            .expect("readable")
            .expect("present");
        assert_eq!(loaded, credentials, "what is saved is what is loaded");
        let printed = format!("{loaded:?}");
        assert!(
            !printed.contains("secret-token") && !printed.contains("refresh-secret"),
            "a logged Credentials must not show its tokens: {printed}"
        );
    }

    #[test]
    fn deleting_a_missing_secret_is_not_an_error() {
        assert!(
            MemorySecrets::default().delete("integration-9").is_ok(),
            "removing twice must be harmless"
        );
    }
}
