//! Planning a stream's read: where the last read got to (its cursor), the
//! passes of a new read (what changed since the last complete one, then the
//! look-back window), and how its pages are asked for.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use timebridge_connectors::{Incremental, Paging, Stream, lenient};

/// Where a stream got to, stored as its cursor.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct StreamCursor {
    /// When the last complete read started; the next read asks for what
    /// changed since then (less the clock margin).
    #[serde(default)]
    pub completed_since: Option<DateTime<Utc>>,
    /// A read in progress: resumed at `pass`, `page` by the next run.
    #[serde(default)]
    pub pending: Option<Pending>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Pending {
    pub started: DateTime<Utc>,
    /// Each pass's own query parameters (modified since; the look-back window).
    pub passes: Vec<Vec<(String, String)>>,
    pub pass: usize,
    pub page: u32,
    /// A GraphQL read's cursor: the page asked for next starts after the
    /// node it names (none on a pass's first page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl Pending {
    /// Where the read goes after the current page: its next page (after
    /// `cursor`, for a GraphQL read), or the next pass's first.
    pub fn next(&self, more: bool, cursor: Option<String>) -> Pending {
        if more {
            Pending {
                page: self.page + 1,
                after: cursor,
                ..self.clone()
            }
        } else {
            Pending {
                pass: self.pass + 1,
                page: 1,
                after: None,
                ..self.clone()
            }
        }
    }
}

/// What a stream's read asks the platform for.
pub(crate) struct Window {
    pub pull_from: NaiveDate,
    pub look_back_days: u32,
    pub skew: Duration,
}

/// The first day a look-back pass re-reads: `look_back_days` before
/// `today`, never before the attendance pull date.
pub(crate) fn look_back_from(
    today: NaiveDate,
    look_back_days: u32,
    pull_from: NaiveDate,
) -> NaiveDate {
    (today - Duration::days(i64::from(look_back_days))).max(pull_from)
}

/// Where a read of `stream` starts: the read the last run left pending, or
/// a new one planned from the last completed read.
pub(crate) fn resume_or_plan(
    stream: &Stream,
    cursor: &StreamCursor,
    window: &Window,
    now: DateTime<Utc>,
) -> Pending {
    match cursor.pending.clone() {
        // A full read cut off midway starts over, so "missing" means removed.
        Some(mut p) if matches!(stream.incremental, Incremental::FullRefresh) => {
            p.pass = 0;
            p.page = 1;
            p.after = None;
            p
        }
        Some(p) => p,
        None => Pending {
            started: now,
            passes: plan_passes(stream, cursor.completed_since, window, now.date_naive()),
            pass: 0,
            page: 1,
            after: None,
        },
    }
}

/// The passes of a new read of `stream`, from its last completed read.
fn plan_passes(
    stream: &Stream,
    completed_since: Option<DateTime<Utc>>,
    window: &Window,
    today: NaiveDate,
) -> Vec<Vec<(String, String)>> {
    let Window {
        pull_from,
        look_back_days,
        skew,
    } = *window;
    match (stream.incremental, completed_since) {
        (Incremental::FullRefresh, _) => vec![vec![]],
        (
            Incremental::ModifiedSince {
                first_sync_from,
                first_sync_to,
                ..
            },
            None,
        ) => {
            let mut first = Vec::new();
            if let Some(from) = first_sync_from {
                first.push((from.to_owned(), pull_from.to_string()));
                // Tomorrow covers today in every time zone.
                if let Some(to) = first_sync_to {
                    first.push((to.to_owned(), (today + Duration::days(1)).to_string()));
                }
            }
            vec![first]
        }
        (
            Incremental::ModifiedSince {
                param,
                look_back_param,
                first_sync_from,
                first_sync_to,
            },
            Some(since),
        ) => {
            let since = (since - skew).format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
            let mut modified = vec![(param.to_owned(), since)];
            // Time edited now but dated before the attendance pull date stays
            // out, where the platform takes the floor alone (else the floor is
            // applied to what comes back).
            if let (Some(floor), None) = (first_sync_from, first_sync_to) {
                modified.push((floor.to_owned(), pull_from.to_string()));
            }
            let mut passes = vec![modified];
            if let Some(look_back) = look_back_param {
                let from = look_back_from(today, look_back_days, pull_from);
                passes.push(vec![(look_back.to_owned(), from.to_string())]);
            }
            passes
        }
        (
            Incremental::ODataModifiedSince {
                modified_field,
                date_field,
            },
            since,
        ) => {
            let floor = format!("{date_field} ge {pull_from}");
            let Some(since) = since else {
                return vec![vec![("$filter".to_owned(), floor)]];
            };
            let since = (since - skew).format("%Y-%m-%dT%H:%M:%SZ");
            let from = look_back_from(today, look_back_days, pull_from);
            vec![
                vec![(
                    "$filter".to_owned(),
                    format!("{modified_field} ge {since} and {floor}"),
                )],
                vec![("$filter".to_owned(), format!("{date_field} ge {from}"))],
            ]
        }
    }
}

/// The first day a stream's records are kept from: streams read from the
/// pull date keep anything dated before it out.
pub(crate) fn floor_of(stream: &Stream, pull_from: NaiveDate) -> Option<NaiveDate> {
    match stream.incremental {
        Incremental::ModifiedSince {
            first_sync_from: Some(_),
            ..
        } => Some(pull_from),
        Incremental::ODataModifiedSince { .. } => Some(pull_from),
        _ => None,
    }
}

/// How a stream's pages are asked for and when they end.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pager {
    Unpaged,
    /// Until `more_at` says false, or (without it) a short page.
    Pages {
        page_param: &'static str,
        limit_param: &'static str,
        limit: u32,
        more_at: Option<&'static str>,
    },
    /// GraphQL: `first` records a page after the last node's cursor, until
    /// a short page.
    Cursor {
        first: u32,
    },
}

impl Pager {
    pub fn of(paging: Paging) -> Pager {
        match paging {
            Paging::Unpaged => Pager::Unpaged,
            Paging::PageNumber {
                page_param,
                limit_param,
                limit,
                more_at,
            } => Pager::Pages {
                page_param,
                limit_param,
                limit,
                more_at: Some(more_at),
            },
            Paging::PageNumberUntilShort {
                page_param,
                limit_param,
                limit,
            } => Pager::Pages {
                page_param,
                limit_param,
                limit,
                more_at: None,
            },
            Paging::GraphQlCursor { first } => Pager::Cursor { first },
        }
    }

    /// The page parameters of page `page`.
    pub fn params(&self, page: u32) -> Vec<(String, String)> {
        match self {
            Pager::Unpaged | Pager::Cursor { .. } => Vec::new(),
            Pager::Pages {
                page_param,
                limit_param,
                limit,
                ..
            } => vec![
                ((*page_param).to_owned(), page.to_string()),
                ((*limit_param).to_owned(), limit.to_string()),
            ],
        }
    }

    /// Whether another page follows one that held `records`.
    pub fn more(&self, body: &Value, records: usize) -> bool {
        match self {
            Pager::Unpaged => false,
            Pager::Pages {
                more_at: Some(at), ..
            } => body
                .pointer(at)
                .is_some_and(|m| lenient::boolean(Some(m), false)),
            Pager::Pages {
                limit,
                more_at: None,
                ..
            } => records >= *limit as usize,
            Pager::Cursor { first } => records >= *first as usize,
        }
    }
}
