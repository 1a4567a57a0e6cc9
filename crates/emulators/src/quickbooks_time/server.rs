//! The emulator's HTTP server: routing, auth, the contract's parameter
//! rules ([`super::contract`]), paging, filters, the rate limit per token,
//! and faults. Every request is recorded with the status it got, so tests
//! can hold what a connector sent to the contract.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::serve::{Server, lock};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use super::company::Company;
use super::contract;
use super::oauth::{self, Tokens};

/// Something to go wrong with the next matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status and an error body.
    Status(u16),
    /// Answer 429, with `Retry-After` if given (QuickBooks Time sends none).
    TooManyRequests { retry_after: Option<u64> },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Start a normal answer, then drop the connection mid-body.
    CutOff,
    /// Answer 200 with a body that is not JSON.
    Malformed,
    /// Expire every access token now (refresh tokens still work).
    ExpireTokens,
    /// The next sign-in is declined, as if the admin pressed "Deny".
    DeclineSignIn,
}

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// At most this many requests per window and access token, else 429.
    pub rate_limit: Option<(u32, Duration)>,
    /// Send `Retry-After` (seconds) with rate-limit 429s.
    pub retry_after: Option<u64>,
    /// How long an access token works (`expires_in`).
    pub token_lifetime_seconds: i64,
    /// How long a refresh token works.
    pub refresh_token_lifetime_seconds: i64,
}

impl Default for EmulatorOptions {
    /// As documented: 300 requests per 5 minutes per token, no
    /// `Retry-After`, access tokens valid for 10 days; refresh tokens for
    /// 60 days (*assumed*: undocumented).
    fn default() -> Self {
        EmulatorOptions {
            rate_limit: Some((300, Duration::from_secs(300))),
            retry_after: None,
            token_lifetime_seconds: 864_000,
            refresh_token_lifetime_seconds: 60 * 86_400,
        }
    }
}

impl EmulatorOptions {
    /// No rate limit, for benchmarks.
    pub fn unlimited() -> Self {
        EmulatorOptions {
            rate_limit: None,
            ..Default::default()
        }
    }
}

/// One request as the emulator received it, and the status it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// Under `/api/v1`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub status: u16,
}

impl Recorded {
    /// What is wrong with a read of a list, in words: not a GET, not
    /// answered 200, or not allowed by the contract. `None` for a read
    /// the contract allows and that succeeded.
    pub fn off_contract(&self) -> Option<String> {
        let allowed = matches!(contract::check(&self.path, &self.query), Some(Ok(())));
        (self.method != "GET" || self.status != 200 || !allowed).then(|| {
            format!(
                "{} {} {:?} -> {}",
                self.method, self.path, self.query, self.status
            )
        })
    }
}

/// The ids a query matched, kept while the company is unchanged, so paging
/// through a large list costs what a database index would.
#[derive(Default)]
struct QueryCache {
    version: u64,
    key: String,
    ids: Vec<i64>,
}

struct Inner {
    company: Mutex<Company>,
    /// Bumped by every change to the company.
    version: AtomicU64,
    query_cache: Mutex<QueryCache>,
    tokens: Mutex<Tokens>,
    faults: Mutex<VecDeque<(Option<String>, Fault)>>,
    /// Recent requests per access token, for the rate limit.
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
    requests: AtomicU64,
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
        f.debug_struct("Emulator")
            .field("addr", &self.server.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Serves `company` on a free port of 127.0.0.1.
    pub async fn start(company: Company, options: EmulatorOptions) -> std::io::Result<Emulator> {
        let inner = Arc::new(Inner {
            company: Mutex::new(company),
            version: AtomicU64::new(0),
            query_cache: Mutex::new(QueryCache::default()),
            tokens: Mutex::new(Tokens::new(
                seconds(options.token_lifetime_seconds),
                seconds(options.refresh_token_lifetime_seconds),
            )),
            faults: Mutex::new(VecDeque::new()),
            windows: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            recorded: Mutex::new(Vec::new()),
            options,
        });
        let router = Router::new().fallback(handle).with_state(inner.clone());
        let server = Server::start(router, "QuickBooks Time").await?;
        Ok(Emulator { inner, server })
    }

    /// The API's base URL, as a connector is pointed at it.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v1", self.server.addr)
    }

    /// A valid access token (as a pasted "API add-on" token would be).
    pub fn issue_token(&self) -> String {
        lock(&self.inner.tokens).issue_access(&[])
    }

    /// A valid access token whose user may not read `denied` (paths under
    /// `/api/v1`, e.g. `/timesheets`): those answer 401, as an expired
    /// token does (QBT-AUTH-3).
    pub fn issue_token_without(&self, denied: &[&str]) -> String {
        lock(&self.inner.tokens).issue_access(denied)
    }

    /// A valid access token and the refresh token that renews it.
    pub fn issue_token_pair(&self) -> (String, String) {
        let mut tokens = lock(&self.inner.tokens);
        (tokens.issue_access(&[]), tokens.issue_refresh())
    }

    /// Registers a redirect address for the emulator's OAuth app, as the
    /// admin does in QuickBooks Time's API Add-On. Refused unless HTTPS or
    /// loopback `http`.
    pub fn register_redirect_uri(&self, uri: &str) -> Result<(), String> {
        lock(&self.inner.tokens).register_redirect_uri(uri)
    }

    /// Sign-ins granted at `/grant` so far (codes and refreshes).
    pub fn grants(&self) -> u64 {
        lock(&self.inner.tokens).grants
    }

    /// Every request received so far, in order, with its status.
    pub fn recorded(&self) -> Vec<Recorded> {
        lock(&self.inner.recorded).clone()
    }

    /// The next request (to a path containing `path`, if given) gets `fault`.
    pub fn inject(&self, path: Option<&str>, fault: Fault) {
        lock(&self.inner.faults).push_back((path.map(str::to_owned), fault));
    }

    pub fn pending_faults(&self) -> usize {
        lock(&self.inner.faults).len()
    }

    /// Changes the company (edit, delete, add) as if done in QuickBooks Time.
    pub fn update<T>(&self, change: impl FnOnce(&mut Company) -> T) -> T {
        let result = change(&mut lock(&self.inner.company));
        self.inner.version.fetch_add(1, Ordering::SeqCst);
        result
    }

    /// Requests served so far.
    pub fn requests(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({"error": {"code": status.as_u16(), "message": message}});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn too_many(retry_after: Option<u64>) -> Response {
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

type Query = HashMap<String, String>;

/// Why a request is refused: the status and the message the error body carries.
type Refusal = (StatusCode, String);

fn refuse(status: StatusCode, message: &str) -> Refusal {
    (status, message.to_owned())
}

fn parse_query(uri: &Uri) -> Query {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn seconds(n: i64) -> Duration {
    Duration::from_secs(u64::try_from(n).unwrap_or(0))
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    inner.requests.fetch_add(1, Ordering::Relaxed);
    let path = uri.path().strip_prefix("/api/v1").unwrap_or(uri.path());
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let response = answer(&inner, &method, &uri, &headers, &body).await;
    lock(&inner.recorded).push(Recorded {
        method: method.to_string(),
        path: path.to_owned(),
        query: pairs,
        status: response.status().as_u16(),
    });
    response
}

async fn answer(
    inner: &Arc<Inner>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let Some(path) = uri.path().strip_prefix("/api/v1") else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let path = path.to_owned();
    let query = parse_query(uri);
    match (method, path.as_str()) {
        (&Method::GET, "/authorize") => {
            let declined = {
                let mut faults = lock(&inner.faults);
                let at = faults
                    .iter()
                    .position(|(_, fault)| matches!(fault, Fault::DeclineSignIn));
                at.and_then(|i| faults.remove(i)).is_some()
            };
            return oauth::authorize(&mut lock(&inner.tokens), &query, declined);
        }
        (&Method::POST, "/grant") => return oauth::grant(&mut lock(&inner.tokens), body),
        _ => {}
    }

    let fault = {
        let mut faults = lock(&inner.faults);
        let position = faults.iter().position(|(filter, fault)| {
            !matches!(fault, Fault::DeclineSignIn)
                && filter.as_ref().is_none_or(|f| path.contains(f.as_str()))
        });
        position
            .and_then(|i| faults.remove(i))
            .map(|(_, fault)| fault)
    };
    let mut cut_off = false;
    let mut malformed = false;
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, status.canonical_reason().unwrap_or("Error"));
        }
        Some(Fault::TooManyRequests { retry_after }) => return too_many(retry_after),
        Some(Fault::Delay(wait)) => tokio::time::sleep(wait).await,
        Some(Fault::CutOff) => cut_off = true,
        Some(Fault::Malformed) => malformed = true,
        Some(Fault::ExpireTokens) => lock(&inner.tokens).expire_access(),
        Some(Fault::DeclineSignIn) | None => {}
    }

    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // An expired token, an unknown one and one without permission for the
    // path all get the same 401 (QBT-AUTH-1, -2, -3).
    if lock(&inner.tokens).check(token, &path).is_err() {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    if let Some((requests, per)) = inner.options.rate_limit {
        let mut windows = lock(&inner.windows);
        let window = windows.entry(token.to_owned()).or_default();
        let now = Instant::now();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= per)
        {
            window.pop_front();
        }
        if window.len() >= requests as usize {
            return too_many(inner.options.retry_after);
        }
        window.push_back(now);
    }
    if *method == Method::POST && path == "/payroll_time" {
        let Ok(parsed) = serde_json::from_slice::<Value>(body) else {
            return error(StatusCode::BAD_REQUEST, "The body is not JSON.");
        };
        let answer = {
            let mut company = lock(&inner.company);
            super::payroll::receive(&mut company, &parsed)
        };
        inner.version.fetch_add(1, Ordering::SeqCst);
        return match answer {
            Ok(value) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                value.to_string(),
            )
                .into_response(),
            Err(message) => error(StatusCode::BAD_REQUEST, &message),
        };
    }
    if *method != Method::GET {
        return error(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    if let Some(Err(violation)) = contract::check(&path, &pairs) {
        let status =
            StatusCode::from_u16(violation.status).unwrap_or(StatusCode::EXPECTATION_FAILED);
        return error(status, &violation.message);
    }

    let answer = if path == "/timesheets" {
        let company = lock(&inner.company);
        timesheets(inner, &company, &query)
    } else {
        let company = lock(&inner.company);
        route(&company, &path, &query).map(|value| value.to_string())
    };
    let body = match answer {
        Ok(text) => text,
        Err((status, message)) => return error(status, &message),
    };
    if malformed {
        let cut = body.len().min(40);
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            format!("{}<html>", &body[..cut]),
        )
            .into_response();
    }
    if cut_off {
        return crate::serve::cut_off(StatusCode::OK, body.into_bytes());
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn since(query: &Query, name: &str) -> Result<Option<DateTime<Utc>>, Refusal> {
    match query.get(name) {
        None => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                refuse(
                    StatusCode::EXPECTATION_FAILED,
                    &format!("{name} must be an ISO 8601 date and time"),
                )
            }),
    }
}

fn date(query: &Query, name: &str) -> Result<Option<NaiveDate>, Refusal> {
    match query.get(name) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                refuse(
                    StatusCode::EXPECTATION_FAILED,
                    &format!("{name} must be YYYY-MM-DD"),
                )
            }),
    }
}

/// `active` filter: yes (default), no, both.
fn active_ok(query: &Query, active: bool) -> bool {
    match query.get("active").map(String::as_str) {
        Some("both") => true,
        Some("no") | Some("false") => !active,
        _ => active,
    }
}

fn ids(query: &Query) -> Option<HashSet<i64>> {
    query.get("ids").map(|list| {
        list.split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    })
}

fn modified_ok(
    t: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
) -> bool {
    after.is_none_or(|a| t >= a) && before.is_none_or(|b| t <= b)
}

/// One page of the matching `items` as `{"results":{name:{id:…}},"more":…}`.
/// Stops reading once it knows whether there is a next page, and turns only
/// the records on the page into JSON.
fn page<T>(
    name: &str,
    items: impl Iterator<Item = T>,
    id: impl Fn(&T) -> i64,
    to_json: impl Fn(&T) -> Value,
    query: &Query,
) -> Result<Value, Refusal> {
    let (limit, page) = limit_and_page(query)?;
    let start = (page - 1).saturating_mul(limit);
    let mut window: Vec<T> = items.skip(start).take(limit + 1).collect();
    let more = window.len() > limit;
    window.truncate(limit);
    let chunk: serde_json::Map<String, Value> = window
        .iter()
        .map(|item| (id(item).to_string(), to_json(item)))
        .collect();
    let results = if chunk.is_empty() {
        json!([])
    } else {
        Value::Object(chunk)
    };
    Ok(json!({"results": {name: results}, "more": more, "supplemental_data": []}))
}

/// `limit` and `page` of a query, validated as QuickBooks Time does.
fn limit_and_page(query: &Query) -> Result<(usize, usize), Refusal> {
    let limit: usize = match query.get("limit") {
        None => 200,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => {
                return Err(refuse(
                    StatusCode::EXPECTATION_FAILED,
                    "limit must be between 1 and 200",
                ));
            }
        },
    };
    let page: usize = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    Ok((limit, page))
}

/// `/timesheets`, the high-volume list: ids from the query cache, and the
/// page written straight into the answer.
fn timesheets(inner: &Inner, company: &Company, query: &Query) -> Result<String, Refusal> {
    let after = since(query, "modified_since")?;
    let before = since(query, "modified_before")?;
    let from = date(query, "start_date")?;
    let to = date(query, "end_date")?;
    let wanted = ids(query);
    // The contract (QBT-TS-2) already refused a request without a filter.
    let (limit, page) = limit_and_page(query)?;
    let mut key: Vec<(&String, &String)> = query
        .iter()
        .filter(|(k, _)| *k != "page" && *k != "limit")
        .collect();
    key.sort();
    let key = format!("{key:?}");
    let version = inner.version.load(Ordering::SeqCst);
    let mut cache = lock(&inner.query_cache);
    if cache.key != key || cache.version != version {
        let ids = company
            .timesheets
            .values()
            .filter(|t| wanted.as_ref().is_none_or(|set| set.contains(&t.id)))
            .filter(|t| from.is_none_or(|f| t.date >= f) && to.is_none_or(|e| t.date <= e))
            .filter(|t| modified_ok(t.last_modified, after, before))
            .map(|t| t.id)
            .collect();
        *cache = QueryCache { version, key, ids };
    }
    let start = (page - 1).saturating_mul(limit).min(cache.ids.len());
    let end = start.saturating_add(limit).min(cache.ids.len());
    let more = cache.ids.len() > end;
    let mut out = String::with_capacity(64 + (end - start) * 420);
    out.push_str(r#"{"results":{"timesheets":"#);
    if start == end {
        out.push_str("[]");
    } else {
        out.push('{');
        for (n, id) in cache.ids[start..end].iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&format!("\"{id}\":"));
            if let Some(sheet) = company.timesheets.get(id) {
                sheet.write_json(&mut out);
            } else {
                out.push_str("{}");
            }
        }
        out.push('}');
    }
    out.push_str(&format!(r#"}},"more":{more},"supplemental_data":[]}}"#));
    Ok(out)
}

fn route(company: &Company, path: &str, query: &Query) -> Result<Value, Refusal> {
    let after = since(query, "modified_since")?;
    let before = since(query, "modified_before")?;
    let ids = ids(query);
    let id_ok = |id: i64| ids.as_ref().is_none_or(|set| set.contains(&id));
    match path {
        "/payroll_items" => Ok(super::payroll::items_json(company)),
        "/current_user" => {
            let user = company
                .users
                .values()
                .next()
                .map(|u| u.to_json())
                .unwrap_or(json!({"id": 1}));
            Ok(json!({"results": {"users": {user["id"].to_string(): user}}, "more": false}))
        }
        "/users" => page(
            "users",
            company.users.values().filter(|u| {
                id_ok(u.id)
                    && active_ok(query, u.active)
                    && modified_ok(u.last_modified, after, before)
            }),
            |u| u.id,
            |u| u.to_json(),
            query,
        ),
        "/jobcodes" => {
            let wanted = query.get("type").map(String::as_str).unwrap_or("regular");
            let parents: HashSet<i64> = company.jobcodes.values().map(|j| j.parent_id).collect();
            page(
                "jobcodes",
                company
                    .jobcodes
                    .values()
                    .filter(|j| id_ok(j.id) && (wanted == "all" || j.kind == wanted))
                    .filter(|j| {
                        active_ok(query, j.active) && modified_ok(j.last_modified, after, before)
                    }),
                |j| j.id,
                |j| j.to_json(parents.contains(&j.id)),
                query,
            )
        }
        "/timesheets_deleted" => {
            let from = date(query, "start_date")?;
            let to = date(query, "end_date")?;
            page(
                "timesheets_deleted",
                company.deleted.iter().filter(|(id, (day, when))| {
                    id_ok(**id)
                        && from.is_none_or(|f| *day >= f)
                        && to.is_none_or(|e| *day <= e)
                        && modified_ok(*when, after, before)
                }),
                |(id, _)| **id,
                |(id, (day, when))| json!({"id": id, "date": day.to_string(), "active": "0", "last_modified": when.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()}),
                query,
            )
        }
        // Every matching project in one answer, without `more` (QBT-PRJ-1).
        "/projects" => {
            let projects: serde_json::Map<String, Value> = company
                .projects
                .values()
                .filter(|p| id_ok(p.id) && active_ok(query, p.active))
                .map(|p| (p.id.to_string(), p.to_json()))
                .collect();
            let results = if projects.is_empty() {
                json!([])
            } else {
                Value::Object(projects)
            };
            Ok(json!({"results": {"projects": results}, "supplemental_data": []}))
        }
        "/estimates" => page(
            "estimates",
            company.estimates.values().filter(|e| {
                id_ok(e.id)
                    && active_ok(query, e.active)
                    && modified_ok(e.last_modified, after, before)
            }),
            |e| e.id,
            |e| e.to_json(),
            query,
        ),
        "/estimate_items" => page(
            "estimate_items",
            company.estimate_items.values().filter(|e| {
                id_ok(e.id)
                    && active_ok(query, e.active)
                    && modified_ok(e.last_modified, after, before)
            }),
            |e| e.id,
            |e| e.to_json(),
            query,
        ),
        "/last_modified_timestamps" => {
            let latest = |times: Vec<DateTime<Utc>>| {
                times
                    .into_iter()
                    .max()
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
            };
            Ok(json!({"results": {"last_modified_timestamps": {
                "users": latest(company.users.values().map(|u| u.last_modified).collect()),
                "jobcodes": latest(company.jobcodes.values().map(|j| j.last_modified).collect()),
                "timesheets": latest(company.timesheets.values().map(|t| t.last_modified).collect()),
                "timesheets_deleted": latest(company.deleted.values().map(|d| d.1).collect()),
            }}}))
        }
        _ => Err(refuse(StatusCode::NOT_FOUND, "Not Found")),
    }
}

#[cfg(test)]
mod tests;
