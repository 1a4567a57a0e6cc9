//! The Aspire External API, emulated and held to its contract
//! (`docs/contracts/aspire.md`): it refuses what Aspire refuses, with
//! Aspire's status and body.
//!
//! - `POST /Authorization {"ClientId","Secret"}` answers `{"Token",
//!   "RefreshToken"}`; a wrong id or secret is answered **404**, as Aspire
//!   does. `POST /Authorization/RefreshToken {"RefreshToken"}` rotates both;
//!   a refresh token is good once, for a day. Bodies must be JSON of that
//!   shape (else 415 or 400, ASP.NET Core's problem details).
//! - `GET /Branches`, `/Contacts`, `/Properties`, `/Opportunities`,
//!   `/WorkTickets`, `/PayCodes`, `/WorkTicketTimes` need a bearer token
//!   Aspire issued, less than a day old, whose application's scope names
//!   the list (else 401, or 403). Their OData query is checked against the
//!   entity's fields ([`query`], [`schema`]); a bad one is answered 400 with
//!   an OData error body. Lists are bare arrays, or OData envelopes when
//!   asked for.
//! - Other paths are 404, other methods 405. Times are branch-local without
//!   an offset; the branch's zone is on each.
//!
//! Faults can be injected: the next requests answered with a status.

mod company;
mod query;
mod schema;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::serve::{Server, lock, random_token};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

pub use company::{Company, CompanySpec, aspire_time};
use query::ListQuery;

/// The API application the emulator accepts.
pub const CLIENT_ID: &str = "aspire-emulator-client";
pub const SECRET: &str = "aspire-emulator-secret";

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// Answer lists as `{"value": [...]}` instead of a bare array.
    pub odata_envelope: bool,
    /// How long an access token is good for (`ASP-AUTH-7`).
    pub token_life: Duration,
    /// How long a refresh token is good for (`ASP-AUTH-5`).
    pub refresh_life: Duration,
    /// The lists the API application's Scope names (`/Contacts`); all of
    /// them when `None` (`ASP-AUTH-8`).
    pub scope: Option<Vec<String>>,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            odata_envelope: false,
            token_life: Duration::hours(24),
            refresh_life: Duration::hours(24),
            scope: None,
        }
    }
}

/// Tokens issued, with when.
#[derive(Default)]
struct Tokens {
    access: HashMap<String, DateTime<Utc>>,
    refresh: HashMap<String, DateTime<Utc>>,
}

struct Inner {
    company: Mutex<Company>,
    tokens: Mutex<Tokens>,
    /// Statuses the next requests get, in order.
    faults: Mutex<VecDeque<u16>>,
    /// Every request's path and query, in order.
    log: Mutex<Vec<String>>,
    /// How far the emulator's clock runs ahead of the real one.
    ahead: Mutex<Duration>,
    options: EmulatorOptions,
}

impl Inner {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *lock(&self.ahead)
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    inner: Arc<Inner>,
    server: Server,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AspireEmulator")
            .field("addr", &self.server.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Serves `company` on a free port of 127.0.0.1.
    pub async fn start(company: Company, options: EmulatorOptions) -> std::io::Result<Emulator> {
        let inner = Arc::new(Inner {
            company: Mutex::new(company),
            tokens: Mutex::new(Tokens::default()),
            faults: Mutex::new(VecDeque::new()),
            log: Mutex::new(Vec::new()),
            ahead: Mutex::new(Duration::zero()),
            options,
        });
        let router = Router::new().fallback(handle).with_state(inner.clone());
        let server = Server::start(router, "Aspire").await?;
        Ok(Emulator { inner, server })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// Changes the company as if done in Aspire.
    pub fn update<T>(&self, change: impl FnOnce(&mut Company) -> T) -> T {
        change(&mut lock(&self.inner.company))
    }

    /// Every access token stops working (refresh tokens too, when `refresh`).
    pub fn expire_tokens(&self, refresh: bool) {
        let mut tokens = lock(&self.inner.tokens);
        tokens.access.clear();
        if refresh {
            tokens.refresh.clear();
        }
    }

    /// Moves the emulator's clock on, as if `by` had passed: tokens age.
    pub fn advance(&self, by: Duration) {
        *lock(&self.inner.ahead) += by;
    }

    /// The next request is answered with `status`.
    pub fn fail_next(&self, status: u16) {
        lock(&self.inner.faults).push_back(status);
    }

    /// The requests served so far: path and query, in order.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.inner.log).clone()
    }
}

fn text(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain")],
        message.to_owned(),
    )
        .into_response()
}

fn json_response(status: StatusCode, content_type: &'static str, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, content_type)],
        body.to_string(),
    )
        .into_response()
}

/// ASP.NET Core's problem details: a 400 of model validation, or a 415.
fn problem(status: StatusCode, title: &str, errors: Option<Value>) -> Response {
    let mut body = json!({
        "type": format!("https://tools.ietf.org/html/rfc9110#section-15.5.{}", match status.as_u16() {
            415 => 16,
            _ => 1,
        }),
        "title": title,
        "status": status.as_u16(),
        "traceId": random_token("00-"),
    });
    if let Some(errors) = errors {
        body["errors"] = errors;
    }
    json_response(status, "application/problem+json; charset=utf-8", &body)
}

/// An OData error body, for a query Aspire cannot answer.
fn odata_error(message: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        "application/json; charset=utf-8",
        &json!({"error": {"code": "", "message": message}}),
    )
}

/// A bare status, as ASP.NET Core answers an unrouted path or a refused
/// sign-in.
fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// A 401 from the JWT bearer handler; `expired` adds its reason.
fn unauthorized(expired: bool) -> Response {
    let challenge = if expired {
        "Bearer error=\"invalid_token\", error_description=\"The token expired\""
    } else {
        "Bearer"
    };
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

fn issue(inner: &Inner) -> Value {
    let (token, refresh) = (random_token("eyJ.aspire."), random_token("rt_"));
    let now = inner.now();
    let mut tokens = lock(&inner.tokens);
    tokens.access.insert(token.clone(), now);
    tokens.refresh.insert(refresh.clone(), now);
    json!({"Token": token, "RefreshToken": refresh})
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_end_matches('/').to_owned();
    lock(&inner.log).push(
        uri.path_and_query()
            .map_or_else(|| path.clone(), |p| p.to_string()),
    );
    if let Some(status) = lock(&inner.faults).pop_front() {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return text(status, "Injected failure");
    }
    match path.as_str() {
        "/Authorization" | "/Authorization/RefreshToken" if method != Method::POST => {
            empty(StatusCode::METHOD_NOT_ALLOWED)
        }
        "/Authorization" => sign_in(&inner, &headers, &body, false),
        "/Authorization/RefreshToken" => sign_in(&inner, &headers, &body, true),
        list_path if schema::entity(list_path).is_some() => {
            if method != Method::GET {
                return empty(StatusCode::METHOD_NOT_ALLOWED);
            }
            list(&inner, &headers, list_path, uri.query().unwrap_or_default())
        }
        _ => empty(StatusCode::NOT_FOUND),
    }
}

/// The sign-in endpoints: the body's media type and shape, then the
/// credentials or the refresh token.
fn sign_in(inner: &Inner, headers: &HeaderMap, body: &[u8], refresh: bool) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json_body {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            None,
        );
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "One or more validation errors occurred.",
            Some(json!({"$": ["The JSON value could not be converted to an object."]})),
        );
    };
    let required: &[&str] = if refresh {
        &["RefreshToken"]
    } else {
        &["ClientId", "Secret"]
    };
    let missing: serde_json::Map<String, Value> = required
        .iter()
        .filter(|f| !fields.get(**f).is_some_and(Value::is_string))
        .map(|f| {
            (
                (*f).to_owned(),
                json!([format!("The {f} field is required.")]),
            )
        })
        .collect();
    if !missing.is_empty() {
        return problem(
            StatusCode::BAD_REQUEST,
            "One or more validation errors occurred.",
            Some(Value::Object(missing)),
        );
    }
    if !refresh {
        return if fields["ClientId"] == CLIENT_ID && fields["Secret"] == SECRET {
            Json(issue(inner)).into_response()
        } else {
            empty(StatusCode::NOT_FOUND)
        };
    }
    let now = inner.now();
    let issued = fields["RefreshToken"]
        .as_str()
        .and_then(|r| lock(&inner.tokens).refresh.remove(r));
    match issued {
        Some(at) if now - at < inner.options.refresh_life => Json(issue(inner)).into_response(),
        _ => empty(StatusCode::NOT_FOUND),
    }
}

/// A list: the bearer token, the scope, the query, then the page.
fn list(inner: &Inner, headers: &HeaderMap, path: &str, query: &str) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let Some(issued) = lock(&inner.tokens).access.get(token).copied() else {
        return unauthorized(false);
    };
    if inner.now() - issued >= inner.options.token_life {
        return unauthorized(true);
    }
    if let Some(scope) = &inner.options.scope
        && !scope.iter().any(|s| s == path)
    {
        return empty(StatusCode::FORBIDDEN);
    }
    let Some(entity) = schema::entity(path) else {
        return empty(StatusCode::NOT_FOUND);
    };
    let query = match ListQuery::parse(query, entity) {
        Ok(query) => query,
        Err(problem) => return odata_error(&problem),
    };
    let company = lock(&inner.company);
    let page = query.answer(company.list(path).unwrap_or_default(), entity);
    if inner.options.odata_envelope {
        Json(json!({"@odata.context": format!("$metadata#{}", path.trim_start_matches('/')), "value": page})).into_response()
    } else {
        Json(Value::Array(page)).into_response()
    }
}

struct Json(Value);

impl IntoResponse for Json {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, "application/json; charset=utf-8", &self.0)
    }
}

#[cfg(test)]
mod tests;
