//! The HTTP client every connector shares.
//!
//! - **Timeouts** on connecting and on each request.
//! - **Retries** with exponential backoff and full jitter for 5xx answers,
//!   timeouts, dropped connections and truncated bodies ([`RetryPolicy`]).
//! - **429** is honoured: the wait is `Retry-After` when the platform sends
//!   it, else the platform's documented rate-limit window.
//! - **Pacing**: requests are spaced to the platform's documented limit
//!   ([`Pacer`]), so a large first sync does not run into 429s at all.
//! - **Tokens** are renewed before they expire ([`TokenSource`]).
//! - **401** triggers one token refresh (if the sign-in can be refreshed).
//!   A 401 that stays is told apart: when the platform still accepts the
//!   sign-in at its probe path, the account lacks permission for that list
//!   (`permission_denied`, "give the account access"); otherwise the sign-in
//!   expired or was revoked (`auth_failed`, "Reconnect").
//! - Every wait can be cancelled.
//!
//! [`decide`] is the one place that says what an answer means; its test
//! sends every status code through it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectorError, ErrorClass};
use crate::secrets::TokenSource;
use timebridge_core::ErrorCode;

/// How often and how patiently to retry transient failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// 429 answers waited out per request before giving up.
    pub max_rate_limited: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_rate_limited: 8,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (1-based): a random time up to
    /// base·2^(attempt-1), capped ("full jitter").
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let fraction = getrandom::u32().unwrap_or(u32::MAX / 2) as f64 / u32::MAX as f64;
        ceiling.mul_f64(fraction.max(0.1))
    }
}

/// A documented rate limit: at most `requests` per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Duration,
}

/// Spaces requests so no `per`-long window holds more than `requests`.
#[derive(Debug)]
pub struct Pacer {
    limit: Option<RateLimit>,
    sent: Mutex<VecDeque<Instant>>,
}

impl Pacer {
    pub fn new(limit: Option<RateLimit>) -> Pacer {
        Pacer {
            limit,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more request fits in the window, then counts it.
    pub async fn wait_turn(&self, cancel: &CancellationToken) -> Result<(), ConnectorError> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= limit.per)
                {
                    sent.pop_front();
                }
                if sent.len() < limit.requests as usize {
                    sent.push_back(now);
                    return Ok(());
                }
                sent.front()
                    .map(|oldest| limit.per.saturating_sub(now.duration_since(*oldest)))
            };
            sleep(wait.unwrap_or_default(), cancel).await?;
        }
    }
}

/// Sleeps unless cancelled first.
pub async fn sleep(duration: Duration, cancel: &CancellationToken) -> Result<(), ConnectorError> {
    tokio::select! {
        () = tokio::time::sleep(duration) => Ok(()),
        () = cancel.cancelled() => Err(ConnectorError::cancelled()),
    }
}

/// What to do with one answer (or failure to get one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    /// Try again after the policy's backoff.
    Retry,
    /// Rate limited: wait this long, then try again.
    WaitThenRetry(Duration),
    /// Refresh the token once, then try again.
    RefreshToken,
    Fail(ErrorClass, ErrorCode),
}

/// The meaning of an HTTP status, in one table.
pub fn decide(status: StatusCode, retry_after: Option<Duration>, window: Duration) -> Decision {
    match status.as_u16() {
        200..=299 => Decision::Accept,
        401 => Decision::RefreshToken,
        429 => Decision::WaitThenRetry(retry_after.unwrap_or(window)),
        408 | 500 | 502 | 503 | 504 => Decision::Retry,
        402 | 403 | 499 => Decision::Fail(ErrorClass::Configuration, ErrorCode::PermissionDenied),
        404 => Decision::Fail(ErrorClass::Configuration, ErrorCode::SourceUnavailable),
        _ => Decision::Fail(ErrorClass::PlatformData, ErrorCode::SourceUnavailable),
    }
}

/// `Retry-After` as seconds (or an HTTP date, read as "a minute").
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    match value.trim().parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => Some(Duration::from_secs(60)),
    }
}

/// The shared client for one integration.
pub struct Http {
    client: reqwest::Client,
    base_url: String,
    platform: &'static str,
    policy: RetryPolicy,
    rate_limit_window: Duration,
    pacer: Pacer,
    tokens: Arc<TokenSource>,
    probe_path: Option<&'static str>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// How an [`Http`] is set up.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub base_url: String,
    pub platform: &'static str,
    pub policy: RetryPolicy,
    pub rate_limit: Option<RateLimit>,
    /// The wait after a 429 without `Retry-After`.
    pub rate_limit_window: Duration,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// A cheap authenticated GET that answers while the sign-in works: it
    /// tells a lost sign-in from missing permission after a 401.
    pub probe_path: Option<&'static str>,
}

/// An HTTP client that names Timebridge and gives up on a silent platform.
pub fn client(
    connect_timeout: Duration,
    request_timeout: Duration,
) -> Result<reqwest::Client, ConnectorError> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(request_timeout)
        .user_agent(concat!("Timebridge/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            ConnectorError::new(
                ErrorClass::Configuration,
                ErrorCode::Internal,
                format!("HTTP client: {e}"),
            )
        })
}

impl Http {
    pub fn new(config: HttpConfig, tokens: Arc<TokenSource>) -> Result<Http, ConnectorError> {
        let client = client(config.connect_timeout, config.request_timeout)?;
        Ok(Http {
            client,
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            platform: config.platform,
            policy: config.policy,
            rate_limit_window: config.rate_limit_window,
            pacer: Pacer::new(config.rate_limit),
            tokens,
            probe_path: config.probe_path.filter(|p| !p.is_empty()),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// GETs `path` with `query` and returns the JSON body, retrying as the
    /// policy says. `what` names the page in messages ("page 3 of users").
    pub async fn get_json(
        &self,
        path: &str,
        query: &[(String, String)],
        what: &str,
        cancel: &CancellationToken,
    ) -> Result<serde_json::Value, ConnectorError> {
        self.send_json(path, query, None, what, cancel).await
    }

    /// POSTs `body` as JSON to `path` and returns the JSON answer, retrying
    /// as [`Http::get_json`] does. Only for requests the platform
    /// recognises when repeated (each line carries its idempotency key, or
    /// it is a GraphQL query, which reads), as a retry after a timeout may
    /// repeat one it already took.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        what: &str,
        cancel: &CancellationToken,
    ) -> Result<serde_json::Value, ConnectorError> {
        self.send_json(path, &[], Some(body), what, cancel).await
    }

    async fn send_json(
        &self,
        path: &str,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
        what: &str,
        cancel: &CancellationToken,
    ) -> Result<serde_json::Value, ConnectorError> {
        let url = format!("{}{path}", self.base_url);
        let mut attempt = 0u32;
        let mut rate_limited = 0u32;
        let mut refreshed = false;
        loop {
            if cancel.is_cancelled() {
                return Err(ConnectorError::cancelled());
            }
            attempt += 1;
            self.pacer.wait_turn(cancel).await?;
            let token = self.tokens.access_token(cancel).await?;
            let request = match body {
                None => self.client.get(&url).query(query),
                Some(body) => self.client.post(&url).query(query).json(body),
            };
            let request = match self.tokens.key_header() {
                Some(header) => request.header(header, token.expose().as_str()),
                None => request.bearer_auth(token.expose()),
            }
            .send();
            let sent = tokio::select! {
                result = request => result,
                () = cancel.cancelled() => return Err(ConnectorError::cancelled()),
            };
            let failure = match sent {
                Err(error) => {
                    tracing::warn!(%url, attempt, error = %error, "request failed");
                    error_summary(&error).to_owned()
                }
                Ok(response) => {
                    let status = response.status();
                    let wait = retry_after(&response);
                    match decide(status, wait, self.rate_limit_window) {
                        Decision::Accept => match response.bytes().await {
                            Ok(body) => match serde_json::from_slice(&body) {
                                Ok(json) => return Ok(json),
                                Err(error) if attempt < self.policy.max_attempts.min(3) => {
                                    tracing::warn!(%url, attempt, %error, "unreadable page; asking again");
                                    format!("unreadable JSON: {error}")
                                }
                                Err(error) => {
                                    return Err(ConnectorError::platform_data(
                                        self.platform,
                                        what,
                                        error,
                                    ));
                                }
                            },
                            Err(error) => {
                                format!("the answer was cut off ({})", error_summary(&error))
                            }
                        },
                        Decision::RefreshToken if !refreshed => {
                            refreshed = true;
                            attempt -= 1;
                            if self.tokens.refresh_rejected(&token, cancel).await? {
                                continue;
                            }
                            return Err(self.unauthorized(path, what, cancel).await);
                        }
                        Decision::RefreshToken => {
                            return Err(self.unauthorized(path, what, cancel).await);
                        }
                        Decision::WaitThenRetry(wait) => {
                            rate_limited += 1;
                            attempt -= 1;
                            if rate_limited > self.policy.max_rate_limited {
                                return Err(ConnectorError::new(
                                    ErrorClass::Transient,
                                    ErrorCode::RateLimited,
                                    format!(
                                        "{} kept answering “too many requests” while reading {what}. The records \
                                         synced so far are kept; the next sync continues from here.",
                                        self.platform
                                    ),
                                ));
                            }
                            tracing::info!(%url, seconds = wait.as_secs_f64(), "rate limited; waiting");
                            sleep(wait, cancel).await?;
                            continue;
                        }
                        Decision::Retry => format!("{} answered {status}", self.platform),
                        Decision::Fail(class, code) => {
                            let body = response.text().await.unwrap_or_default();
                            return Err(self.failure(class, code, status, what, &body));
                        }
                    }
                }
            };
            if attempt >= self.policy.max_attempts {
                return Err(ConnectorError::new(
                    ErrorClass::Transient,
                    ErrorCode::SourceUnavailable,
                    format!(
                        "Could not reach {} while reading {what} ({failure}), after {attempt} tries. Check the \
                         internet connection. Everything synced so far is kept; the next sync continues from here.",
                        self.platform
                    ),
                ));
            }
            sleep(self.policy.backoff(attempt), cancel).await?;
        }
    }

    /// A 401 that renewing did not cure: the sign-in is gone, or (when the
    /// probe path still answers with the same token) the account may not
    /// read `what`.
    async fn unauthorized(
        &self,
        path: &str,
        what: &str,
        cancel: &CancellationToken,
    ) -> ConnectorError {
        let platform = self.platform;
        let Some(probe) = self.probe_path.filter(|p| *p != path) else {
            return ConnectorError::auth(platform);
        };
        let Ok(token) = self.tokens.access_token(cancel).await else {
            return ConnectorError::auth(platform);
        };
        let url = format!("{}{probe}", self.base_url);
        let answered = tokio::select! {
            sent = self.client.get(&url).bearer_auth(token.expose()).send() => sent,
            () = cancel.cancelled() => return ConnectorError::cancelled(),
        };
        match answered {
            Ok(response) if response.status().is_success() => {
                tracing::warn!(%path, "401 on one list while the sign-in works: missing permission");
                ConnectorError::new(
                    ErrorClass::Configuration,
                    ErrorCode::PermissionDenied,
                    format!(
                        "{platform} refused {what}: the account Timebridge signed in with is not \
                         permitted to read it (the sign-in itself still works). Ask a {platform} \
                         administrator to give that account access, or reconnect as an \
                         administrator, then sync again."
                    ),
                )
            }
            _ => ConnectorError::auth(platform),
        }
    }

    fn failure(
        &self,
        class: ErrorClass,
        code: ErrorCode,
        status: StatusCode,
        what: &str,
        body: &str,
    ) -> ConnectorError {
        let detail = platform_message(body).unwrap_or_else(|| status.to_string());
        let platform = self.platform;
        let message = match status.as_u16() {
            403 => format!(
                "{platform} refused access to {what} ({detail}). Ask the {platform} administrator to give this account access, then sync again."
            ),
            402 => format!(
                "{platform} says the account's billing is not current ({detail}). Bring the {platform} subscription up to date, then sync again."
            ),
            499 => format!(
                "{platform} blocked this computer's address ({detail}). Allow it in {platform}'s IP settings, then sync again."
            ),
            404 => format!(
                "{platform} has no {what} at {} ({detail}). Check the integration's address in its settings.",
                self.base_url
            ),
            _ => format!(
                "{platform} rejected the request for {what} ({detail}). This is likely a Timebridge problem; send the log file to support."
            ),
        };
        ConnectorError::new(class, code, message)
    }
}

/// The `errors` of a GraphQL answer (sent with HTTP 200), as a plain
/// message naming the list; none when the answer has none.
pub fn graphql_errors(
    platform: &str,
    list: &str,
    body: &serde_json::Value,
) -> Option<ConnectorError> {
    let errors = body.get("errors")?.as_array().filter(|e| !e.is_empty())?;
    let said: Vec<String> = errors
        .iter()
        .take(3)
        .map(|e| {
            e.get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("an error without a message")
                .chars()
                .take(200)
                .collect()
        })
        .collect();
    Some(ConnectorError::new(
        ErrorClass::PlatformData,
        ErrorCode::SourceUnavailable,
        format!(
            "{platform} refused the request for the list of {} ({}). The records synced before it \
             are kept. Sync again later; if it keeps happening, send the log file to support.",
            list.replace('_', " "),
            said.join("; ")
        ),
    ))
}

/// A short reason for a transport failure, without URLs or credentials.
pub(crate) fn error_summary(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the connection dropped mid-answer"
    } else {
        "the connection failed"
    }
}

/// The platform's own error message, from `{"error":{"message":…}}`,
/// `{"error_description":…}` or GraphQL's `{"errors":[{"message":…}]}`
/// bodies.
fn platform_message(body: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    json.pointer("/error/message")
        .or_else(|| json.pointer("/errors/0/message"))
        .or_else(|| json.get("error_description"))
        .or_else(|| json.get("message"))
        .and_then(|v| v.as_str())
        .map(|s| s.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_code_has_the_intended_meaning() {
        let window = Duration::from_secs(300);
        let table: Vec<(u16, Decision)> = (100..600)
            .filter_map(|code| StatusCode::from_u16(code).ok())
            .map(|status| (status.as_u16(), decide(status, None, window)))
            .collect();
        for (code, decision) in &table {
            let expected = match code {
                200..=299 => Decision::Accept,
                401 => Decision::RefreshToken,
                429 => Decision::WaitThenRetry(window),
                408 | 500 | 502 | 503 | 504 => Decision::Retry,
                402 | 403 | 499 => {
                    Decision::Fail(ErrorClass::Configuration, ErrorCode::PermissionDenied)
                }
                404 => Decision::Fail(ErrorClass::Configuration, ErrorCode::SourceUnavailable),
                _ => Decision::Fail(ErrorClass::PlatformData, ErrorCode::SourceUnavailable),
            };
            assert_eq!(
                decision, &expected,
                "status {code} must be classified once, here"
            );
        }
    }

    #[test]
    fn graphql_errors_in_an_answer_become_a_plain_message_naming_the_list() {
        let body =
            serde_json::json!({"errors": [{"message": "Invalid cursor: abc"}], "data": null});
        let error = graphql_errors("busybusy", "time_entries", &body).expect("an error");
        assert!(
            error
                .message
                .contains("the list of time entries (Invalid cursor: abc)")
                && error.concerns_one_request(),
            "the list and busybusy's words, the other lists still read: {}",
            error.message
        );
        assert!(
            graphql_errors("busybusy", "members", &serde_json::json!({"data": {}})).is_none(),
            "an answer without errors is no error"
        );
    }

    #[test]
    fn a_retry_after_header_wins_over_the_documented_window() {
        assert_eq!(
            decide(
                StatusCode::TOO_MANY_REQUESTS,
                Some(Duration::from_secs(7)),
                Duration::from_secs(300)
            ),
            Decision::WaitThenRetry(Duration::from_secs(7)),
            "the platform's own wait is used when it says one"
        );
    }

    #[test]
    fn backoff_grows_but_never_past_the_cap() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            ..Default::default()
        };
        for attempt in 1..20 {
            let wait = policy.backoff(attempt);
            let ceiling = Duration::from_millis(100)
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(Duration::from_secs(2));
            assert!(
                wait <= ceiling,
                "attempt {attempt}: {wait:?} must not exceed {ceiling:?}"
            );
        }
    }

    #[tokio::test]
    async fn the_pacer_never_lets_more_requests_into_a_window_than_the_limit() {
        let pacer = Pacer::new(Some(RateLimit {
            requests: 3,
            per: Duration::from_millis(300),
        }));
        let cancel = CancellationToken::new();
        let start = Instant::now();
        for _ in 0..7 {
            pacer.wait_turn(&cancel).await.expect("not cancelled");
        }
        assert!(
            start.elapsed() >= Duration::from_millis(600),
            "7 requests at 3 per 300 ms need at least two full windows of waiting, took {:?}",
            start.elapsed()
        );
    }
}
