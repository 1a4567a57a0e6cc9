//! Signing a busybusy member in, as busybusy's own web clients do
//! (`docs/contracts/busybusy.md` §Signing in): `GET /member?username=U&
//! _version=3.2` with `Authorization: Basic base64(U:sha256hex(password))`
//! answers the member and a session token (`public_key`), sent as
//! `key-authorization` from then on. A session busybusy revoked is answered
//! 401 (`BB-AUTH-4`): the member is signed in again once with the username
//! and password kept in the keyring beside the token.

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use timebridge_core::{ErrorCode, Sensitive};
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectorError, ErrorClass};
use crate::lenient;
use crate::secrets::{Credentials, Renewal};

/// An HTTP client for signing in, as for a client-id sign-in.
pub use crate::client_credentials::client;

/// A signed-in member: the credentials to keep, and who it is.
#[derive(Debug)]
pub struct SignedIn {
    pub credentials: Credentials,
    /// The member's name, as busybusy answered it.
    pub member: String,
}

/// The username and password were not accepted (`BB-AUTH-1`).
pub fn refused(platform: &str) -> ConnectorError {
    ConnectorError::new(
        ErrorClass::Configuration,
        ErrorCode::AuthFailed,
        format!(
            "{platform} did not accept the username and password. Check both, then sign in again \
             (Integrations → Reconnect)."
        ),
    )
}

/// The `Authorization` header of a sign-in: the password's SHA-256 digest,
/// never the password itself, goes over the wire.
fn basic(username: &str, password: &Sensitive<String>) -> Sensitive<String> {
    let digest = Sha256::digest(password.expose().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let pair = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{hex}"));
    Sensitive::new(format!("Basic {pair}"))
}

/// Signs `username` in at `sign_in_url` (busybusy's `/member`).
pub async fn sign_in(
    client: &reqwest::Client,
    sign_in_url: &str,
    username: &str,
    password: &Sensitive<String>,
    platform: &str,
    cancel: &CancellationToken,
) -> Result<SignedIn, ConnectorError> {
    let request = client
        .get(sign_in_url)
        .query(&[("username", username), ("_version", "3.2")])
        .header(
            reqwest::header::AUTHORIZATION,
            basic(username, password).expose().as_str(),
        );
    let Some(body) = crate::client_credentials::send(request, platform, cancel).await? else {
        return Err(refused(platform));
    };
    if body.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(refused(platform));
    }
    let token = lenient::text(body.get("public_key")).ok_or_else(|| {
        ConnectorError::platform_data(
            platform,
            "its answer to the sign-in",
            "it held no session token",
        )
    })?;
    let member = body.pointer("/data/0");
    // The REST API writes snake_case (`first_name`).
    let field = |snake: &str, camel: &str| {
        member.and_then(|m| lenient::text(m.get(snake)).or_else(|| lenient::text(m.get(camel))))
    };
    let name = [
        field("first_name", "firstName"),
        field("last_name", "lastName"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(SignedIn {
        credentials: Credentials {
            access_token: Sensitive::new(token),
            refresh_token: None,
            expires_at: None,
            token_url: Some(sign_in_url.to_owned()),
            client_id: Some(username.to_owned()),
            client_secret: Some(password.clone()),
            renewal: Renewal::MemberSignIn,
        },
        member: if name.is_empty() {
            username.to_owned()
        } else {
            name
        },
    })
}

/// A fresh session after `current`'s was revoked: the member signed in
/// again with the kept username and password. `None` when busybusy no
/// longer accepts them (the admin must sign in again).
pub(crate) async fn renew(
    client: &reqwest::Client,
    current: &Credentials,
    platform: &str,
    cancel: &CancellationToken,
) -> Result<Option<Credentials>, ConnectorError> {
    let (Some(url), Some(username), Some(password)) = (
        current.token_url.as_deref(),
        current.client_id.as_deref(),
        current.client_secret.as_ref(),
    ) else {
        return Ok(None);
    };
    match sign_in(client, url, username, password, platform, cancel).await {
        Ok(signed_in) => Ok(Some(signed_in.credentials)),
        Err(error) if error.code == ErrorCode::AuthFailed => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_sends_the_sha256_hex_of_the_password_not_the_password() {
        let header = basic("alex", &Sensitive::new("secret".into()));
        let encoded = header.expose().trim_start_matches("Basic ");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64");
        assert_eq!(
            String::from_utf8(decoded).expect("text"),
            "alex:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
            "busybusy's clients send username:sha256hex(password) (BB-AUTH-1)"
        );
    }
}
