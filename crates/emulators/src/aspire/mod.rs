//! The Aspire External API, emulated.
//!
//! - `POST /Authorization {"ClientId","Secret"}` answers `{"Token",
//!   "RefreshToken"}`; a wrong id or secret is answered **404**, as Aspire
//!   does. `POST /Authorization/RefreshToken {"RefreshToken"}` rotates both.
//! - `GET /Branches`, `/Contacts`, `/Opportunities`, `/WorkTickets`,
//!   `/PayCodes`, `/WorkTicketTimes` with a bearer token (else 401), OData
//!   `$filter` (`eq ne gt ge lt le`, joined by `and`; strings quoted),
//!   `$limit` (1–1,000, else 400) and `$pageNumber` (from 1). Lists are
//!   bare arrays, or OData envelopes when asked for.
//! - Times are branch-local without an offset; the branch's zone is on each.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use crate::serve::{Server, lock, random_token};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Map, Value, json};

/// The API application the emulator accepts.
pub const CLIENT_ID: &str = "aspire-emulator-client";
pub const SECRET: &str = "aspire-emulator-secret";

/// One list of the company: records as Aspire sends them (PascalCase).
#[derive(Debug, Clone, Default)]
pub struct Company {
    pub branches: Vec<Value>,
    pub contacts: Vec<Value>,
    pub opportunities: Vec<Value>,
    pub work_tickets: Vec<Value>,
    pub pay_codes: Vec<Value>,
    pub work_ticket_times: Vec<Value>,
}

/// The size of a generated company.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub employees: usize,
    pub opportunities: usize,
    /// Days of time, ending the day before `today`.
    pub days: i64,
    pub today: NaiveDate,
    /// When the records were last modified.
    pub modified: DateTime<Utc>,
}

const FIRST: [&str; 8] = [
    "Ana", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hugo",
];
const LAST: [&str; 6] = ["Ortiz", "Nguyen", "Brooks", "Kowalski", "Haddad", "Lund"];
const SITES: [&str; 5] = [
    "Maple Court",
    "Cedar Ridge HOA",
    "Riverside Office Park",
    "Pine Hollow",
    "Summit Medical",
];

impl Company {
    /// A landscaping company: employees (and one customer contact, which is
    /// not an employee), opportunities with two work tickets each, pay codes,
    /// and one ticket's time per employee per weekday.
    pub fn generate(spec: &CompanySpec) -> Company {
        let stamp = spec.modified.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let zone = "America/Denver";
        let mut company = Company {
            branches: vec![
                json!({"BranchID": 1, "BranchName": "Denver", "Active": true, "BranchTimeZone": zone}),
            ],
            ..Company::default()
        };
        for i in 0..spec.employees {
            company.contacts.push(json!({
                "ContactID": 100 + i,
                "FirstName": FIRST[i % FIRST.len()],
                "LastName": format!("{}{}", LAST[i % LAST.len()], if i >= FIRST.len() { format!(" {}", i / FIRST.len() + 1) } else { String::new() }),
                "ContactTypeName": "Employee",
                "EmployeeNumber": format!("A{:03}", i + 1),
                "Email": format!("{}.{}@greenscape.example", FIRST[i % FIRST.len()].to_lowercase(), i + 1),
                "MobilePhone": format!("303-555-{:04}", 1000 + i),
                "HireDate": "2024-03-01T00:00:00",
                "Active": true,
                "LastModifiedDateTime": stamp,
            }));
        }
        company.contacts.push(json!({
            "ContactID": 99,
            "FirstName": "Pat",
            "LastName": "Customer",
            "ContactTypeName": "Customer",
            "Active": true,
            "LastModifiedDateTime": stamp,
        }));
        for o in 0..spec.opportunities {
            let site = SITES[o % SITES.len()];
            company.opportunities.push(json!({
                "OpportunityID": 500 + o,
                "OpportunityNumber": 1000 + o,
                "OpportunityName": format!("{site} maintenance {}", 2026 + o / SITES.len()),
                "OpportunityType": "Contract",
                "OpportunityStatus": "Won",
                "PropertyName": site,
                "PropertyAddressLine1": format!("{} Main St", 100 + o),
                "PropertyAddressCity": "Denver",
                "PropertyAddressStateProvinceCode": "CO",
                "BranchName": "Denver",
                "LastModifiedDateTime": stamp,
            }));
            for t in 0..2 {
                company.work_tickets.push(json!({
                    "WorkTicketID": 5000 + o * 2 + t,
                    "WorkTicketNumber": 40000 + o * 2 + t,
                    "OpportunityID": 500 + o,
                    "WorkTicketStatus": "Open",
                    "LastModifiedDateTime": stamp,
                }));
            }
        }
        company.pay_codes = vec![
            json!({"PayCodeID": 1, "PayCodeName": "Regular", "Active": true}),
            json!({"PayCodeID": 2, "PayCodeName": "Overtime", "Active": true}),
            json!({"PayCodeID": 3, "PayCodeName": "Holiday", "Active": true}),
        ];
        let mut id = 90_000;
        for d in (1..=spec.days).rev() {
            let date = spec.today - Duration::days(d);
            if chrono::Datelike::weekday(&date).number_from_monday() > 5 {
                continue;
            }
            for (i, contact) in company.contacts.iter().enumerate() {
                if contact["ContactTypeName"] != "Employee" || company.work_tickets.is_empty() {
                    continue;
                }
                let ticket = &company.work_tickets[(i + d as usize) % company.work_tickets.len()];
                id += 1;
                company.work_ticket_times.push(json!({
                    "WorkTicketTimeID": id,
                    "ContactID": contact["ContactID"],
                    "ContactName": format!("{} {}", contact["FirstName"].as_str().unwrap_or_default(), contact["LastName"].as_str().unwrap_or_default()),
                    "WorkTicketID": ticket["WorkTicketID"],
                    "WorkTicketNumber": ticket["WorkTicketNumber"],
                    "WorkTicketTimeDate": format!("{date}T00:00:00"),
                    "StartTime": format!("{date}T07:00:00"),
                    "EndTime": format!("{date}T15:30:00"),
                    "Hours": 8.5,
                    "OTHours": 0,
                    "PayCodeID": 1,
                    "PayCodeName": "Regular",
                    "BranchID": 1,
                    "BranchTimeZone": zone,
                    "LastModifiedDateTime": stamp,
                }));
            }
        }
        company
    }

    fn list(&self, path: &str) -> Option<&[Value]> {
        Some(match path {
            "/Branches" => &self.branches,
            "/Contacts" => &self.contacts,
            "/Opportunities" => &self.opportunities,
            "/WorkTickets" => &self.work_tickets,
            "/PayCodes" => &self.pay_codes,
            "/WorkTicketTimes" => &self.work_ticket_times,
            _ => return None,
        })
    }

    /// Changes a work ticket time as if edited in Aspire at `at`.
    pub fn edit_time(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> bool {
        let Some(Value::Object(time)) = self
            .work_ticket_times
            .iter_mut()
            .find(|t| t["WorkTicketTimeID"] == id)
        else {
            return false;
        };
        change(time);
        time.insert(
            "LastModifiedDateTime".into(),
            json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        );
        true
    }
}

#[derive(Debug, Clone, Default)]
pub struct EmulatorOptions {
    /// Answer lists as `{"value": [...]}` instead of a bare array.
    pub odata_envelope: bool,
}

#[derive(Default)]
struct Tokens {
    access: HashSet<String>,
    refresh: HashSet<String>,
}

struct Inner {
    company: Mutex<Company>,
    tokens: Mutex<Tokens>,
    /// Statuses the next requests get, in order.
    faults: Mutex<VecDeque<u16>>,
    /// Every request's path and query, in order.
    log: Mutex<Vec<String>>,
    options: EmulatorOptions,
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

fn issue(inner: &Inner) -> Value {
    let (token, refresh) = (random_token("eyJ.aspire."), random_token("rt_"));
    let mut tokens = lock(&inner.tokens);
    tokens.access.insert(token.clone());
    tokens.refresh.insert(refresh.clone());
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
    let json_body = || serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    match (method, path.as_str()) {
        (Method::POST, "/Authorization") => {
            let body = json_body();
            if body["ClientId"] == CLIENT_ID && body["Secret"] == SECRET {
                Json(issue(&inner)).into_response()
            } else {
                text(StatusCode::NOT_FOUND, "Not Found")
            }
        }
        (Method::POST, "/Authorization/RefreshToken") => {
            let body = json_body();
            let known = body["RefreshToken"]
                .as_str()
                .is_some_and(|r| lock(&inner.tokens).refresh.remove(r));
            if known {
                Json(issue(&inner)).into_response()
            } else {
                text(StatusCode::UNAUTHORIZED, "Invalid refresh token")
            }
        }
        (Method::GET, path) => {
            let token = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            if !lock(&inner.tokens).access.contains(token) {
                return text(StatusCode::UNAUTHORIZED, "Unauthorized");
            }
            list(&inner, path, uri.query().unwrap_or_default())
        }
        _ => text(StatusCode::NOT_FOUND, "Not Found"),
    }
}

struct Json(Value);

impl IntoResponse for Json {
    fn into_response(self) -> Response {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            self.0.to_string(),
        )
            .into_response()
    }
}

fn list(inner: &Inner, path: &str, query: &str) -> Response {
    let mut filter = None;
    let (mut limit, mut page) = (25usize, 1usize);
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "$filter" => filter = Some(value.into_owned()),
            "$limit" => match value.parse::<usize>() {
                Ok(n @ 1..=1000) => limit = n,
                _ => return text(StatusCode::BAD_REQUEST, "$limit must be between 1 and 1000"),
            },
            "$pageNumber" => match value.parse::<usize>() {
                Ok(n @ 1..) => page = n,
                _ => return text(StatusCode::BAD_REQUEST, "$pageNumber must be 1 or more"),
            },
            _ => {}
        }
    }
    let clauses = match filter.as_deref().map(parse_filter).transpose() {
        Ok(clauses) => clauses.unwrap_or_default(),
        Err(problem) => return text(StatusCode::BAD_REQUEST, &problem),
    };
    let company = lock(&inner.company);
    let Some(records) = company.list(path) else {
        return text(StatusCode::NOT_FOUND, "Not Found");
    };
    let mut matched = Vec::new();
    for record in records {
        let mut keep = true;
        for clause in &clauses {
            match clause.test(record) {
                Ok(true) => {}
                Ok(false) => keep = false,
                Err(problem) => return text(StatusCode::BAD_REQUEST, &problem),
            }
        }
        if keep {
            matched.push(record.clone());
        }
    }
    let page: Vec<Value> = matched
        .into_iter()
        .skip((page - 1) * limit)
        .take(limit)
        .collect();
    if inner.options.odata_envelope {
        Json(json!({"@odata.context": format!("$metadata#{}", path.trim_start_matches('/')), "value": page})).into_response()
    } else {
        Json(Value::Array(page)).into_response()
    }
}

struct Clause {
    field: String,
    op: String,
    value: String,
}

fn parse_filter(filter: &str) -> Result<Vec<Clause>, String> {
    filter
        .split(" and ")
        .map(|part| {
            let mut words = part.trim().splitn(3, ' ');
            let (Some(field), Some(op), Some(value)) = (words.next(), words.next(), words.next())
            else {
                return Err(format!("The $filter clause “{part}” is not understood."));
            };
            if !["eq", "ne", "gt", "ge", "lt", "le"].contains(&op) {
                return Err(format!("The $filter operator “{op}” is not supported."));
            }
            Ok(Clause {
                field: field.to_owned(),
                op: op.to_owned(),
                value: value.trim().trim_matches('\'').to_owned(),
            })
        })
        .collect()
}

impl Clause {
    fn test(&self, record: &Value) -> Result<bool, String> {
        let Some(Value::Object(fields)) = Some(record) else {
            return Ok(false);
        };
        let Some(have) = fields.get(&self.field) else {
            return Err(format!(
                "Could not find a property named '{}' on this list.",
                self.field
            ));
        };
        let have = match have {
            Value::String(s) => s.clone(),
            Value::Null => return Ok(self.op == "ne"),
            other => other.to_string(),
        };
        let ordering = match (have.parse::<f64>(), self.value.parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
            // ISO dates and instants compare as text; a bare date is the start of its day.
            _ => have.as_str().cmp(self.value.as_str()),
        };
        use std::cmp::Ordering::*;
        Ok(match self.op.as_str() {
            "eq" => ordering == Equal,
            "ne" => ordering != Equal,
            "gt" => ordering == Greater,
            "ge" => ordering != Less,
            "lt" => ordering == Less,
            _ => ordering != Greater,
        })
    }
}
