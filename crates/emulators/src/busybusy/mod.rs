//! busybusy's APIs, emulated and held to their contract
//! (`docs/contracts/busybusy.md`): it refuses what busybusy refuses, the
//! way busybusy does.
//!
//! - `GET /member?username=U&_version=3.2` with `Authorization: Basic
//!   base64(U:sha256hex(password))` signs a member in, as busybusy's own web
//!   clients do: the answer's `public_key` is a session token. A wrong
//!   username or password is answered 401 (`BB-AUTH-1`, `BB-AUTH-2`).
//! - `POST /` is the GraphQL API. Every request carries `key-authorization`
//!   with a live session token or the organisation's integration key, else
//!   401 (`BB-AUTH-3`, `BB-AUTH-4`). The body is JSON `{query, variables,
//!   operationName}` (`BB-HTTP-1`); the document is parsed and validated
//!   against the schema ([`schema`], [`validate`]), and a document the
//!   schema refuses is answered with GraphQL's `errors` array, HTTP 200 by
//!   default. Lists page by cursor (`first` ≤ 1000, `after`) and filter on
//!   `updatedOn` and the rest ([`execute`]).
//!
//! Faults can be injected: statuses, delays, answers cut off mid-body,
//! bodies that are not JSON, and every session revoked.

mod company;
mod execute;
mod schema;
mod validate;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::serve::{Server, cut_off, lock, random_token};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use company::{
    ADMIN_USERNAME, Account, Organization, OrganizationSpec, PASSWORD, WORKER_USERNAME, busy_time,
    uuid,
};
pub use execute::{DEFAULT_PAGE, MAX_PAGE, encode_cursor};
use validate::Problem;

/// The organisation's integration key (`BB-AUTH-3`): acts as its owner.
pub const INTEGRATION_KEY: &str =
    "9d6c0f3e1b2a4c5d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";

/// Something to go wrong with the next request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status and a text body.
    Status(u16),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Start a normal answer, then drop the connection mid-body.
    CutOff,
    /// Answer 200 with a body that is not JSON.
    Malformed,
    /// Revoke every session now, as a sign-out or password change does.
    RevokeSessions,
    /// Answer normally: queued before another fault, aims it at a later
    /// request (the third page, say).
    Answer,
}

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// The status of a document the schema refuses (`BB-GQL-1`): 200 as
    /// the public clients see; Apollo Server 4 sends 400.
    pub invalid_document_status: u16,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            invalid_document_status: 200,
        }
    }
}

/// One request as the emulator received it, and how it answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The GraphQL body, or the sign-in's query string.
    pub body: Value,
    pub status: u16,
    /// The messages of the answer's `errors`.
    pub errors: Vec<String>,
}

impl Recorded {
    /// What is wrong with a request, in words: not answered 200, or
    /// answered with GraphQL errors. `None` for one the contract allows.
    pub fn off_contract(&self) -> Option<String> {
        (self.status != 200 || !self.errors.is_empty()).then(|| {
            format!(
                "{} {} -> {} {:?}",
                self.method, self.path, self.status, self.errors
            )
        })
    }
}

struct Inner {
    org: Mutex<Organization>,
    /// Bumped by every change to the organisation.
    version: AtomicU64,
    matches: Mutex<execute::Matches>,
    /// Session token → the member it signed in.
    sessions: Mutex<HashMap<String, String>>,
    faults: Mutex<VecDeque<Fault>>,
    recorded: Mutex<Vec<Recorded>>,
    options: EmulatorOptions,
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    inner: Arc<Inner>,
    server: Server,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BusybusyEmulator")
            .field("addr", &self.server.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Serves `org` on a free port of 127.0.0.1.
    pub async fn start(org: Organization, options: EmulatorOptions) -> std::io::Result<Emulator> {
        let inner = Arc::new(Inner {
            org: Mutex::new(org),
            version: AtomicU64::new(0),
            matches: Mutex::new(execute::Matches::default()),
            sessions: Mutex::new(HashMap::new()),
            faults: Mutex::new(VecDeque::new()),
            recorded: Mutex::new(Vec::new()),
            options,
        });
        let router = Router::new().fallback(handle).with_state(inner.clone());
        let server = Server::start(router, "busybusy").await?;
        Ok(Emulator { inner, server })
    }

    /// Both APIs' base: the GraphQL endpoint is `/`, the sign-in `/member`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// Changes the organisation as if done in busybusy.
    pub fn update<T>(&self, change: impl FnOnce(&mut Organization) -> T) -> T {
        let out = change(&mut lock(&self.inner.org));
        self.inner.version.fetch_add(1, Ordering::Relaxed);
        out
    }

    /// Signs `username` in as busybusy would, for tests: the session token.
    pub fn sign_in(&self, username: &str) -> Option<String> {
        let member = lock(&self.inner.org)
            .accounts
            .iter()
            .find(|a| a.username == username)?
            .member_id
            .clone();
        let token = random_token("");
        lock(&self.inner.sessions).insert(token.clone(), member);
        Some(token)
    }

    /// Every session stops working (`BB-AUTH-4`); the integration key still
    /// works.
    pub fn revoke_sessions(&self) {
        lock(&self.inner.sessions).clear();
    }

    /// The next request goes wrong this way.
    pub fn inject(&self, fault: Fault) {
        lock(&self.inner.faults).push_back(fault);
    }

    /// The requests served so far, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        lock(&self.inner.recorded).clone()
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// GraphQL's error shape: each problem with its location and a code.
fn errors(problems: &[Problem], code: &str, path: Option<&str>) -> Value {
    let list: Vec<Value> = problems
        .iter()
        .map(|p| {
            let mut error = json!({"message": p.message, "extensions": {"code": code}});
            if let Some(at) = p.at {
                error["locations"] = json!([{"line": at.line, "column": at.column}]);
            }
            if let Some(path) = path {
                error["path"] = json!([path]);
            }
            error
        })
        .collect();
    json!({"errors": list})
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fault = lock(&inner.faults).pop_front();
    let mut garble = None;
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, "Injected failure").into_response();
        }
        Some(Fault::Delay(wait)) => tokio::time::sleep(wait).await,
        Some(Fault::RevokeSessions) => lock(&inner.sessions).clear(),
        Some(Fault::Answer) | None => {}
        Some(other) => garble = Some(other),
    }
    let (recorded_body, status, answer) = if uri.path() == "/member" {
        let query = uri.query().unwrap_or_default().to_owned();
        let (status, answer) = sign_in(&inner, &method, &query, &headers);
        (Value::String(query), status, answer)
    } else {
        let recorded_body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (status, answer) = graphql(&inner, &method, &uri, &headers, &body);
        (recorded_body, status, answer)
    };
    let messages = answer["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    lock(&inner.recorded).push(Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        body: recorded_body,
        status: status.as_u16(),
        errors: messages,
    });
    match garble {
        Some(Fault::CutOff) => cut_off(status, answer.to_string().into_bytes()),
        Some(Fault::Malformed) => (status, "<html>Bad gateway</html>").into_response(),
        _ => json_response(status, &answer),
    }
}

/// The REST sign-in (`BB-AUTH-1`, `BB-AUTH-2`).
fn sign_in(
    inner: &Inner,
    method: &Method,
    query: &str,
    headers: &HeaderMap,
) -> (StatusCode, Value) {
    let refused = |status: StatusCode, code: u32| {
        (
            status,
            json!({"success": false, "code": [code], "data": [], "public_key": null}),
        )
    };
    if method != Method::GET {
        return refused(StatusCode::METHOD_NOT_ALLOWED, 405);
    }
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|v| {
            base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .ok()
        })
        .and_then(|v| String::from_utf8(v).ok());
    let Some((username, digest)) = basic.as_deref().and_then(|b| b.split_once(':')) else {
        return refused(StatusCode::UNAUTHORIZED, 1001);
    };
    if params.get("_version").map(String::as_str) != Some("3.2")
        || params.get("username").map(String::as_str) != Some(username)
    {
        return refused(StatusCode::BAD_REQUEST, 400);
    }
    let org = lock(&inner.org);
    let account = org
        .accounts
        .iter()
        .find(|a| a.username.eq_ignore_ascii_case(username) && sha256_hex(&a.password) == digest);
    let Some(account) = account else {
        return refused(StatusCode::UNAUTHORIZED, 1001);
    };
    let member = org
        .members
        .iter()
        .find(|m| m["id"] == account.member_id.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    let token = random_token("");
    lock(&inner.sessions).insert(token.clone(), account.member_id.clone());
    (
        StatusCode::OK,
        json!({
            "success": true,
            "code": [],
            "data": [{
                "id": account.member_id,
                "username": account.username,
                "first_name": member["firstName"],
                "last_name": member["lastName"],
            }],
            "public_key": token,
        }),
    )
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The GraphQL endpoint: method and path, the key, the body, the document,
/// then the query.
fn graphql(
    inner: &Inner,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, Value) {
    let bad = |message: &str| {
        (
            StatusCode::BAD_REQUEST,
            errors(&[Problem::new(message, None)], "BAD_REQUEST", None),
        )
    };
    if uri.path() != "/" {
        return (
            StatusCode::NOT_FOUND,
            json!({"errors": [{"message": "Not Found"}]}),
        );
    }
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"errors": [{"message": "Method Not Allowed"}]}),
        );
    }
    let key = headers
        .get("key-authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let admin = if key == INTEGRATION_KEY {
        true
    } else {
        let Some(member) = lock(&inner.sessions).get(key).cloned() else {
            return (
                StatusCode::UNAUTHORIZED,
                errors(
                    &[Problem::new("Unauthorized", None)],
                    "UNAUTHENTICATED",
                    None,
                ),
            );
        };
        lock(&inner.org)
            .accounts
            .iter()
            .any(|a| a.member_id == member && a.admin)
    };
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json_body {
        return bad("POST body must be JSON, sent as Content-Type: application/json.");
    }
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(body) else {
        return bad("POST body is not a JSON object.");
    };
    let Some(query) = request.get("query").and_then(Value::as_str) else {
        return bad("POST body must have a \"query\" string.");
    };
    let variables = match request.get("variables") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(variables)) => variables.clone(),
        Some(_) => return bad("\"variables\" must be a JSON object."),
    };
    let operation_name = match request.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.as_str()),
        Some(_) => return bad("\"operationName\" must be a string."),
    };
    let refused =
        StatusCode::from_u16(inner.options.invalid_document_status).unwrap_or(StatusCode::OK);
    let document = match async_graphql_parser::parse_query(query) {
        Ok(document) => document,
        Err(error) => {
            let at = error.positions().next();
            let problem = Problem::new(format!("Syntax Error: {error}"), at);
            return (refused, errors(&[problem], "GRAPHQL_PARSE_FAILED", None));
        }
    };
    let checked = match validate::check(&document, operation_name, &variables) {
        Ok(checked) => checked,
        Err(problems) => {
            return (
                refused,
                errors(&problems, "GRAPHQL_VALIDATION_FAILED", None),
            );
        }
    };
    let org = lock(&inner.org);
    let run = execute::Run {
        org: &org,
        document: &document,
        variables: &checked.variables,
        asking: execute::Asking { admin },
        version: inner.version.load(Ordering::Relaxed),
    };
    let mut matches = lock(&inner.matches);
    match run.query(&checked.operation.selection_set.node, &mut matches) {
        Ok(data) => (StatusCode::OK, json!({"data": data})),
        Err(failure) => {
            let mut answer = errors(&[failure.problem], "BAD_USER_INPUT", Some(&failure.path));
            answer["data"] = Value::Null;
            (StatusCode::OK, answer)
        }
    }
}

#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod tests;
