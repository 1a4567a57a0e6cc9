//! The emulator's sign-in: the OAuth `authorize` and `grant` endpoints, and
//! the tokens they hand out, held to the contract's QBT-AUTH and QBT-OAUTH
//! rules (`docs/contracts/quickbooks-time.md`).
//!
//! - Access tokens work for their lifetime, on every endpoint unless issued
//!   without permission for some (a 401 like an expired one).
//! - `authorize` redirects only to a registered address (HTTPS, or `http`
//!   on the loopback interface), needs `response_type=code`, the client and
//!   a `state`, and echoes the `state`.
//! - A code works once, within 10 minutes, with the redirect address it was
//!   issued for. Refresh tokens rotate and expire.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::serve::random_token;

/// The OAuth client the emulator accepts.
pub const CLIENT_ID: &str = "timebridge-emulator";
pub const CLIENT_SECRET: &str = "emulator-client-secret";

/// The redirect address registered for the emulator's app by default:
/// Timebridge's own loopback default.
pub const DEFAULT_REDIRECT_URI: &str = "http://127.0.0.1:47290/callback";

/// How long an authorization code works (QBT-OAUTH-6).
const CODE_LIFETIME: Duration = Duration::from_secs(600);

#[derive(Debug)]
struct AccessToken {
    expires: Instant,
    /// Paths this token is not permitted to read (QBT-AUTH-3).
    denied: Vec<String>,
}

#[derive(Debug)]
struct Code {
    redirect_uri: String,
    expires: Instant,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Unknown,
    Expired,
    NotPermitted,
}

/// Every token and code the emulator handed out.
#[derive(Debug)]
pub struct Tokens {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, Instant>,
    codes: HashMap<String, Code>,
    redirect_uris: HashSet<String>,
    pub access_lifetime: Duration,
    pub refresh_lifetime: Duration,
    /// Sign-ins granted at `/grant`, by code or refresh.
    pub grants: u64,
}

impl Tokens {
    pub fn new(access_lifetime: Duration, refresh_lifetime: Duration) -> Tokens {
        Tokens {
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            redirect_uris: HashSet::from([DEFAULT_REDIRECT_URI.to_owned()]),
            access_lifetime,
            refresh_lifetime,
            grants: 0,
        }
    }

    /// A new access token, refused on the `denied` paths.
    pub fn issue_access(&mut self, denied: &[&str]) -> String {
        let token = random_token("S.emu__");
        self.access.insert(
            token.clone(),
            AccessToken {
                expires: Instant::now() + self.access_lifetime,
                denied: denied.iter().map(|p| (*p).to_owned()).collect(),
            },
        );
        token
    }

    pub fn issue_refresh(&mut self) -> String {
        let token = random_token("refresh_");
        self.refresh
            .insert(token.clone(), Instant::now() + self.refresh_lifetime);
        token
    }

    /// Every access token stops working now (refresh tokens still work).
    pub fn expire_access(&mut self) {
        for token in self.access.values_mut() {
            token.expires = Instant::now();
        }
    }

    /// Whether `token` may read `path` now.
    pub fn check(&self, token: &str, path: &str) -> Result<(), Refused> {
        let Some(access) = self.access.get(token) else {
            return Err(Refused::Unknown);
        };
        if Instant::now() >= access.expires {
            return Err(Refused::Expired);
        }
        if access.denied.iter().any(|d| d == path) {
            return Err(Refused::NotPermitted);
        }
        Ok(())
    }

    /// Registers a redirect address for the app, as the admin does in the
    /// API Add-On: HTTPS, or plain `http` on the loopback interface
    /// (QBT-OAUTH-3).
    pub fn register_redirect_uri(&mut self, uri: &str) -> Result<(), String> {
        if !redirect_allowed(uri) {
            return Err(format!(
                "{uri} cannot be a redirect address: it must be HTTPS, or http on localhost or 127.0.0.1"
            ));
        }
        self.redirect_uris.insert(uri.to_owned());
        Ok(())
    }
}

fn redirect_allowed(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    match url.scheme() {
        "https" => url.host().is_some(),
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

fn page(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<html><body><h1>QuickBooks Time</h1><p>{text}</p></body></html>"),
    )
        .into_response()
}

fn redirect(location: String) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap_or_else(|_| page(StatusCode::INTERNAL_SERVER_ERROR, "redirect"))
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = match url::Url::parse(base) {
        Ok(url) => url,
        Err(_) => return base.to_owned(),
    };
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in pairs {
            query.append_pair(k, v);
        }
    }
    url.into()
}

/// `GET /authorize`: the sign-in page, answered as if the admin signed in
/// and pressed Allow (or Deny, when `declined`).
pub fn authorize(tokens: &mut Tokens, query: &HashMap<String, String>, declined: bool) -> Response {
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let redirect_uri = get("redirect_uri");
    if redirect_uri.is_empty() || !tokens.redirect_uris.contains(redirect_uri) {
        return page(
            StatusCode::BAD_REQUEST,
            "The redirect_uri is not the OAuth Redirect URI registered for this application.",
        );
    }
    let state = get("state");
    let error = if get("client_id") != CLIENT_ID {
        Some(("invalid_client", "Unknown client"))
    } else if get("response_type") != "code" {
        Some(("invalid_request", "response_type must be code"))
    } else if state.is_empty() {
        Some(("invalid_request", "state is required"))
    } else if declined {
        Some(("access_denied", "The user denied access"))
    } else {
        None
    };
    if let Some((error, description)) = error {
        return redirect(with_query(
            redirect_uri,
            &[
                ("error", error),
                ("error_description", description),
                ("state", state),
            ],
        ));
    }
    let code = random_token("code_");
    tokens.codes.insert(
        code.clone(),
        Code {
            redirect_uri: redirect_uri.to_owned(),
            expires: Instant::now() + CODE_LIFETIME,
        },
    );
    redirect(with_query(
        redirect_uri,
        &[("code", &code), ("state", state)],
    ))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"error": error, "error_description": description}).to_string(),
    )
        .into_response()
}

/// `POST /grant`: a code or a refresh token traded for tokens.
pub fn grant(tokens: &mut Tokens, body: &Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    if get("client_id") != CLIENT_ID || get("client_secret") != CLIENT_SECRET {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        );
    }
    let now = Instant::now();
    let refused =
        |description: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description);
    match get("grant_type") {
        "authorization_code" => {
            // A code is spent by any attempt to use it.
            let Some(code) = tokens.codes.remove(get("code")) else {
                return refused("The authorization code is invalid or was already used");
            };
            if now >= code.expires {
                return refused("The authorization code has expired");
            }
            if code.redirect_uri != get("redirect_uri") {
                return refused("redirect_uri does not match the one the code was issued for");
            }
        }
        "refresh_token" => match tokens.refresh.remove(get("refresh_token")) {
            None => return refused("The refresh token is invalid or was already used"),
            Some(expires) if now >= expires => return refused("The refresh token has expired"),
            Some(_) => {}
        },
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token",
            );
        }
    }
    let access = tokens.issue_access(&[]);
    let refresh = tokens.issue_refresh();
    tokens.grants += 1;
    let body = json!({
        "access_token": access,
        "expires_in": tokens.access_lifetime.as_secs(),
        "token_type": "bearer",
        "scope": "",
        "refresh_token": refresh,
        "user_id": "1",
        "company_id": "1",
        "client_url": "emulated",
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
