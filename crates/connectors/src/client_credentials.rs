//! Signing in with a client id and secret, as Aspire does: `POST
//! /Authorization {"ClientId", "Secret"}` answers `{"Token",
//! "RefreshToken"}`. A rejected token is renewed with the refresh token
//! (`POST /Authorization/RefreshToken {"RefreshToken"}`), and when that is
//! refused too, by signing in again with the id and secret, which stay in
//! the keyring for that. A wrong id or secret is answered 404 by Aspire (not
//! 401), so every 4xx from the sign-in means "not accepted".

use std::time::Duration;

use serde_json::{Value, json};
use timebridge_core::{ErrorCode, Sensitive};
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectorError, ErrorClass};
use crate::lenient;
use crate::secrets::{Credentials, Renewal};

/// How long a sign-in request may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An HTTP client for signing in.
pub fn client() -> Result<reqwest::Client, ConnectorError> {
    crate::http::client(Duration::from_secs(10), TIMEOUT)
}

/// Sends a sign-in `request` and reads its JSON answer; `None` when the
/// platform refused it (any 4xx but 429: Aspire answers a wrong secret
/// 404). Unreachable, cancelled or failing at the platform are errors.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    platform: &str,
    cancel: &CancellationToken,
) -> Result<Option<Value>, ConnectorError> {
    let sent = tokio::select! {
        result = request.timeout(TIMEOUT).send() => result,
        () = cancel.cancelled() => return Err(ConnectorError::cancelled()),
    };
    let unreachable = || {
        ConnectorError::new(
            ErrorClass::Transient,
            ErrorCode::SourceUnavailable,
            format!(
                "Could not reach {platform} to sign in. Check the internet connection and the server \
                 address, then try again."
            ),
        )
    };
    let response = sent.map_err(|error| {
        tracing::warn!(error = %crate::http::error_summary(&error), "the sign-in request failed");
        unreachable()
    })?;
    let status = response.status();
    if status.is_client_error() && status.as_u16() != 429 {
        tracing::warn!(%status, "the sign-in was refused");
        return Ok(None);
    }
    if !status.is_success() {
        tracing::warn!(%status, "the sign-in failed at the platform");
        return Err(unreachable());
    }
    let body: Value = response
        .json()
        .await
        .map_err(|e| ConnectorError::platform_data(platform, "its answer to the sign-in", e))?;
    Ok(Some(body))
}

/// The tokens of a sign-in answer, read in PascalCase or camelCase.
fn tokens(body: &Value, platform: &str) -> Result<(String, Option<String>), ConnectorError> {
    let field = |pascal: &str, camel: &str| {
        lenient::text(body.get(pascal)).or_else(|| lenient::text(body.get(camel)))
    };
    let token = field("Token", "token").ok_or_else(|| {
        ConnectorError::platform_data(platform, "its answer to the sign-in", "it held no token")
    })?;
    Ok((token, field("RefreshToken", "refreshToken")))
}

/// The admin's id and secret were not accepted.
pub fn refused(platform: &str) -> ConnectorError {
    ConnectorError::new(
        ErrorClass::Configuration,
        ErrorCode::AuthFailed,
        format!(
            "{platform} did not accept the client ID and secret. Check both were copied whole and that \
             the API application is still active in {platform}, then reconnect the integration."
        ),
    )
}

/// Signs in at `token_url` with a client id and secret.
pub async fn sign_in(
    client: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    secret: &Sensitive<String>,
    platform: &str,
    cancel: &CancellationToken,
) -> Result<Credentials, ConnectorError> {
    let body = json!({"ClientId": client_id, "Secret": secret.expose()});
    match send(client.post(token_url).json(&body), platform, cancel).await? {
        None => Err(refused(platform)),
        Some(answer) => {
            let (token, refresh) = tokens(&answer, platform)?;
            Ok(Credentials {
                access_token: Sensitive::new(token),
                refresh_token: refresh.map(Sensitive::new),
                expires_at: None,
                token_url: Some(token_url.to_owned()),
                client_id: Some(client_id.to_owned()),
                client_secret: Some(secret.clone()),
                renewal: Renewal::ClientCredentials,
            })
        }
    }
}

/// Fresh credentials after `current`'s token was rejected: by its refresh
/// token, else by its id and secret. `None` when neither is accepted any
/// more (the admin must reconnect).
pub(crate) async fn renew(
    client: &reqwest::Client,
    current: &Credentials,
    platform: &str,
    cancel: &CancellationToken,
) -> Result<Option<Credentials>, ConnectorError> {
    let Some(token_url) = current.token_url.as_deref() else {
        return Ok(None);
    };
    if let Some(refresh) = &current.refresh_token {
        let url = format!("{}/RefreshToken", token_url.trim_end_matches('/'));
        let body = json!({"RefreshToken": refresh.expose()});
        if let Some(answer) = send(client.post(&url).json(&body), platform, cancel).await? {
            let (token, next_refresh) = tokens(&answer, platform)?;
            return Ok(Some(Credentials {
                access_token: Sensitive::new(token),
                refresh_token: next_refresh.map(Sensitive::new).or(Some(refresh.clone())),
                ..current.clone()
            }));
        }
    }
    let (Some(id), Some(secret)) = (&current.client_id, &current.client_secret) else {
        return Ok(None);
    };
    match sign_in(client, token_url, id, secret, platform, cancel).await {
        Ok(next) => Ok(Some(next)),
        Err(error) if error.code == ErrorCode::AuthFailed => Ok(None),
        Err(error) => Err(error),
    }
}
