//! OAuth 2 sign-in for a desktop app, as RFC 8252 describes it: the
//! platform's sign-in page opens in the system browser (where the admin's
//! password manager and single sign-on work, and Timebridge never sees the
//! password), and the browser comes back to a one-shot HTTP listener on the
//! loopback interface with an authorization code, which is traded for tokens.
//!
//! - The listener binds `127.0.0.1` only, on the port the platform app was
//!   registered with ([`DEFAULT_LOOPBACK_PORT`] unless told otherwise), and
//!   speaks [`crate::loopback`]'s locked-down HTTP: only requests addressed
//!   to `127.0.0.1:PORT` (what the redirect address names), with capped
//!   heads and bodies, from clients that send them in time. Several
//!   browser connections are read at once, so one that stalls (a
//!   preconnect, a slow client) holds up no other.
//! - A random `state` ties the answer to this sign-in; an answer with
//!   another state (a stale tab, another program) is turned away and the
//!   listener keeps waiting. The state is compared in constant time.
//! - The browser gets a plain page saying what happened; anything other than
//!   the callback path gets a 404.
//! - The code is traded at the token endpoint with the client id and secret
//!   in the form body (QuickBooks Time's documented way).

use std::time::Duration;

use chrono::Utc;
use serde::Deserialize;
use timebridge_core::ErrorCode;
use timebridge_core::Sensitive;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectorError, ErrorClass};
use crate::loopback::{self, Connection, Limits, Refusal, Request};
use crate::secrets::Credentials;

/// The loopback port Timebridge asks admins to register with the platform.
pub const DEFAULT_LOOPBACK_PORT: u16 = 47_290;

/// The path the browser comes back to.
pub const CALLBACK_PATH: &str = "/callback";

/// How long a sign-in waits for the browser before giving up.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Browser connections read at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 16;

/// The platform application Timebridge signs in as.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: Sensitive<String>,
}

/// A sign-in waiting for the browser to come back.
#[derive(Debug)]
pub struct LoopbackSignIn {
    listener: TcpListener,
    platform: String,
    app: OAuthApp,
    token_url: String,
    redirect_uri: String,
    authorize_url: String,
    state: String,
    limits: Limits,
}

impl LoopbackSignIn {
    /// Opens the loopback listener on `port` (0: any free port) and builds
    /// the address of the platform's sign-in page.
    pub async fn start(
        platform: &str,
        authorize_url: &str,
        token_url: &str,
        app: OAuthApp,
        port: u16,
    ) -> Result<LoopbackSignIn, ConnectorError> {
        let listener = loopback::bind(port).await.map_err(|e| {
            ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::Validation,
                format!(
                    "Timebridge could not listen on port {port} of this computer for the \
                         {platform} sign-in ({e}). Another program may be using it: close it and \
                         try again."
                ),
            )
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| {
                ConnectorError::new(
                    ErrorClass::Configuration,
                    ErrorCode::Internal,
                    e.to_string(),
                )
            })?
            .port();
        let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
        let state = random_state();
        let mut url = url::Url::parse(authorize_url).map_err(|_| {
            ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::Validation,
                format!("The {platform} address is not a valid web address."),
            )
        })?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("state", &state);
        Ok(LoopbackSignIn {
            listener,
            platform: platform.to_owned(),
            app,
            token_url: token_url.to_owned(),
            redirect_uri,
            authorize_url: url.into(),
            state,
            limits: Limits::OAUTH,
        })
    }

    /// The same sign-in, its listener taking at most `limits` from each
    /// client (tests make them small).
    pub fn with_limits(self, limits: Limits) -> LoopbackSignIn {
        LoopbackSignIn { limits, ..self }
    }

    /// The platform's sign-in page, to open in the system browser.
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// Where the browser comes back (registered with the platform app).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the browser to come back, then trades the code for tokens.
    pub async fn finish(
        self,
        client: &reqwest::Client,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<Credentials, ConnectorError> {
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let port = self
            .listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default();
        let hosts = vec![format!("127.0.0.1:{port}")];
        let mut reading: JoinSet<(Connection, Result<Option<Request>, Refusal>)> = JoinSet::new();
        let code = loop {
            tokio::select! {
                accepted = self.listener.accept(), if reading.len() < MAX_CONNECTIONS => {
                    let Ok((stream, _)) = accepted else { continue };
                    let mut connection = Connection::new(stream, self.limits, hosts.clone());
                    reading.spawn(async move {
                        let request = connection.next_request().await;
                        (connection, request)
                    });
                }
                Some(read) = reading.join_next() => {
                    let Ok((connection, request)) = read else { continue };
                    let request = match request {
                        Ok(Some(request)) => request,
                        Ok(None) => continue,
                        Err(refusal) => {
                            tokio::spawn(connection.refuse(refusal));
                            continue;
                        }
                    };
                    match self.answer(connection, &request).await {
                        Callback::Ignored => {}
                        Callback::Code(code) => break code,
                        Callback::Refused(message) => {
                            return Err(ConnectorError::new(
                                ErrorClass::Configuration,
                                ErrorCode::AuthFailed,
                                message,
                            ));
                        }
                    }
                }
                () = &mut deadline => return Err(ConnectorError::new(
                    ErrorClass::Configuration,
                    ErrorCode::AuthFailed,
                    format!("The {} sign-in was not finished in the browser within {}. Start it again.", self.platform, minutes_or_seconds(timeout)),
                )),
                () = cancel.cancelled() => return Err(ConnectorError::cancelled()),
            }
        };
        drop(reading);
        self.exchange(client, code, cancel).await
    }

    /// Answers one browser request.
    async fn answer(&self, mut stream: Connection, request: &Request) -> Callback {
        let url = Some(&request.target)
            .filter(|_| request.method == "GET")
            .and_then(|target| url::Url::parse(&format!("http://127.0.0.1{target}")).ok());
        let Some(url) = url else {
            respond(
                &mut stream,
                400,
                "Not understood",
                "Timebridge could not read this request.",
            )
            .await;
            return Callback::Ignored;
        };
        if url.path() != CALLBACK_PATH {
            respond(
                &mut stream,
                404,
                "Not found",
                "This is Timebridge's sign-in listener.",
            )
            .await;
            return Callback::Ignored;
        }
        let query: std::collections::HashMap<String, String> =
            url.query_pairs().into_owned().collect();
        let state_matches = query
            .get("state")
            .is_some_and(|state| loopback::same_secret(state.as_bytes(), self.state.as_bytes()));
        if !state_matches {
            respond(
                &mut stream,
                400,
                "Out-of-date sign-in",
                "This answer belongs to another sign-in. Go back to Timebridge and use the sign-in it opened.",
            )
            .await;
            return Callback::Ignored;
        }
        if let Some(error) = query.get("error") {
            let why = query
                .get("error_description")
                .filter(|d| !d.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| error.replace('_', " "));
            let message = if error == "access_denied" {
                format!(
                    "The {} sign-in was declined in the browser. Start it again to connect.",
                    self.platform
                )
            } else {
                format!(
                    "{} did not complete the sign-in: {why}. Check the client ID and the redirect address registered with {}, then try again.",
                    self.platform, self.platform
                )
            };
            respond(&mut stream, 200, "Sign-in not completed", &message).await;
            return Callback::Refused(message);
        }
        match query.get("code").filter(|c| !c.is_empty()) {
            Some(code) => {
                respond(
                    &mut stream,
                    200,
                    "Signed in",
                    &format!("Timebridge is now connected to {}. You can close this tab and return to Timebridge.", self.platform),
                )
                .await;
                Callback::Code(Sensitive::new(code.clone()))
            }
            None => {
                respond(
                    &mut stream,
                    400,
                    "Not understood",
                    "The sign-in answer had no code.",
                )
                .await;
                Callback::Ignored
            }
        }
    }

    async fn exchange(
        self,
        client: &reqwest::Client,
        code: Sensitive<String>,
        cancel: &CancellationToken,
    ) -> Result<Credentials, ConnectorError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", self.app.client_id.as_str()),
            ("client_secret", self.app.client_secret.expose().as_str()),
            ("code", code.expose().as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
        ];
        let sent = tokio::select! {
            sent = client.post(&self.token_url).form(&form).send() => sent,
            () = cancel.cancelled() => return Err(ConnectorError::cancelled()),
        };
        let response = sent.map_err(|_| {
            ConnectorError::new(
                ErrorClass::Transient,
                ErrorCode::SourceUnavailable,
                format!("Could not reach {} to finish the sign-in. Check the internet connection and try again.", self.platform),
            )
        })?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            let detail = serde_json::from_str::<OAuthError>(&body)
                .ok()
                .and_then(|e| e.error_description.or(e.error))
                .unwrap_or_else(|| format!("HTTP {status}"));
            tracing::warn!(%status, "the authorization code was refused");
            return Err(ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::AuthFailed,
                format!(
                    "{} refused to finish the sign-in ({detail}). Check the client ID and secret, then start the sign-in again.",
                    self.platform
                ),
            ));
        }
        let tokens: Tokens = serde_json::from_str(&body)
            .map_err(|e| ConnectorError::platform_data(&self.platform, "the sign-in tokens", e))?;
        Ok(Credentials {
            access_token: Sensitive::new(tokens.access_token),
            refresh_token: tokens.refresh_token.map(Sensitive::new),
            expires_at: tokens
                .expires_in
                .map(|s| Utc::now() + chrono::Duration::seconds(s)),
            token_url: Some(self.token_url),
            client_id: Some(self.app.client_id),
            client_secret: Some(self.app.client_secret),
            renewal: crate::secrets::Renewal::OAuthRefresh,
        })
    }
}

/// "10 minutes", or "20 seconds" for a wait under a minute.
fn minutes_or_seconds(wait: Duration) -> String {
    match wait.as_secs() {
        s if s >= 60 && s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

enum Callback {
    /// Not the answer (a favicon request, a stale tab): keep waiting.
    Ignored,
    Code(Sensitive<String>),
    /// The platform or the admin said no.
    Refused(String),
}

#[derive(Deserialize)]
struct Tokens {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

/// 32 random bytes, hex.
fn random_state() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness is vanishingly rare; fall back to the clock and
        // the process, which still differ per sign-in.
        let seed = format!("{:?}{}", Utc::now(), std::process::id());
        return seed.bytes().map(|b| format!("{b:02x}")).collect();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn respond(stream: &mut Connection, status: u16, title: &str, message: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} · Timebridge</title>\
         <style>body{{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}}\
         h1{{font-size:1.4rem}}</style></head><body><h1>{title}</h1><p>{}</p></body></html>",
        escape(message)
    );
    stream
        .respond(status, "text/html; charset=utf-8", body.as_bytes(), true)
        .await;
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
