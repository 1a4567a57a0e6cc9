//! Reading one stream of a run, page by page.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use timebridge_connectors::{
    CacheView, Connector, ConnectorError, ErrorClass, Http, Incremental, Output, Paging, Stream,
    lenient, paging::PageGuard,
};
use timebridge_core::middleware::runs::{self, ModuleCounts};
use timebridge_core::middleware::{Incoming, cursors, staged};
use timebridge_core::{ErrorCode, Store};
use tokio_util::sync::CancellationToken;

use crate::engine::{Progress, ProgressPhase};

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
}

/// A failure of a step of the run: at the platform, or in the local database.
#[derive(Debug)]
pub(crate) enum StepError {
    Source(ConnectorError),
    Local(timebridge_core::Error),
}

impl From<ConnectorError> for StepError {
    fn from(error: ConnectorError) -> Self {
        StepError::Source(error)
    }
}

impl From<timebridge_core::Error> for StepError {
    fn from(error: timebridge_core::Error) -> Self {
        StepError::Local(error)
    }
}

/// Everything a stream needs from its run.
pub(crate) struct RunContext<'a> {
    pub store: Arc<Store>,
    pub http: &'a Http,
    pub connector: &'static dyn Connector,
    pub integration_id: i64,
    pub run_id: i64,
    pub pull_from: NaiveDate,
    pub look_back_days: u32,
    pub skew: Duration,
    pub now: &'a (dyn Fn() -> DateTime<Utc> + Send + Sync),
    pub counts: BTreeMap<String, ModuleCounts>,
    pub cancel: CancellationToken,
    pub progress: &'a tokio::sync::broadcast::Sender<Progress>,
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> timebridge_core::Result<T> + Send + 'static,
) -> Result<T, StepError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| {
            StepError::Local(timebridge_core::Error::Internal(format!(
                "a database step stopped: {e}"
            )))
        })?
        .map_err(StepError::Local)
}

fn load_cache(
    store: &Store,
    integration_id: i64,
    streams: &[&str],
) -> timebridge_core::Result<CacheView> {
    let mut view = CacheView::default();
    store.read(|conn| {
        for name in streams {
            view.streams.insert(
                (*name).to_owned(),
                cursors::cache_all(conn, integration_id, name)?,
            );
        }
        Ok(())
    })?;
    Ok(view)
}

/// The first day a look-back pass re-reads: `look_back_days` before
/// `today`, never before the attendance pull date.
fn look_back_from(today: NaiveDate, look_back_days: u32, pull_from: NaiveDate) -> NaiveDate {
    (today - Duration::days(i64::from(look_back_days))).max(pull_from)
}

/// The passes of a new read of `stream`, from its last completed read.
fn plan_passes(
    stream: &Stream,
    completed_since: Option<DateTime<Utc>>,
    pull_from: NaiveDate,
    look_back_days: u32,
    skew: Duration,
    today: NaiveDate,
) -> Vec<Vec<(String, String)>> {
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

/// How a stream's pages are asked for and when they end.
#[derive(Debug, Clone, Copy)]
enum Pager {
    Unpaged,
    /// Until `more_at` says false, or (without it) a short page.
    Pages {
        page_param: &'static str,
        limit_param: &'static str,
        limit: u32,
        more_at: Option<&'static str>,
    },
}

impl Pager {
    fn of(paging: Paging) -> Pager {
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
        }
    }

    /// The page parameters of page `page`.
    fn params(&self, page: u32) -> Vec<(String, String)> {
        match self {
            Pager::Unpaged => Vec::new(),
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
    fn more(&self, body: &Value, records: usize) -> bool {
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
        }
    }
}

/// The records of one page, as written.
struct PageWrite {
    incoming: Vec<Incoming>,
    removals: Vec<String>,
    cache: Vec<(String, Value)>,
    /// The first page of a full read: the stream's cache starts afresh.
    clear_cache: bool,
}

/// Reads one stream from its cursor to the end, writing as it goes.
pub(crate) async fn sync_stream(
    ctx: &mut RunContext<'_>,
    stream: &'static Stream,
) -> Result<(), StepError> {
    let platform = ctx.connector.info().name;
    let store = ctx.store.clone();
    let id = ctx.integration_id;
    let stored = {
        let store = store.clone();
        blocking(move || store.read(|conn| cursors::get(conn, id, stream.name))).await?
    };
    let mut cursor: StreamCursor = stored
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let mut pending = match cursor.pending.clone() {
        // A full read cut off midway starts over, so "missing" means removed.
        Some(mut p) if matches!(stream.incremental, Incremental::FullRefresh) => {
            p.pass = 0;
            p.page = 1;
            p
        }
        Some(p) => p,
        None => {
            let started = (ctx.now)();
            Pending {
                started,
                passes: plan_passes(
                    stream,
                    cursor.completed_since,
                    ctx.pull_from,
                    ctx.look_back_days,
                    ctx.skew,
                    started.date_naive(),
                ),
                pass: 0,
                page: 1,
            }
        }
    };
    let mapper = match stream.output {
        Output::Records(_) => {
            let view = {
                let store = store.clone();
                let needs = stream.needs_cache;
                blocking(move || load_cache(&store, id, needs)).await?
            };
            Some(ctx.connector.mapper(stream, &view))
        }
        _ => None,
    };
    let paging = ctx.connector.paging_of(stream).ok_or_else(|| {
        StepError::Local(timebridge_core::Error::Internal(format!(
            "{} is not read over HTTP",
            ctx.connector.info().name
        )))
    })?;
    let pager = Pager::of(paging);
    let module_key = stream.counts_as.as_str().to_owned();
    let mut seen: HashSet<String> = HashSet::new();
    // Streams read from the pull date keep anything dated before it out.
    let floor = match stream.incremental {
        Incremental::ModifiedSince {
            first_sync_from: Some(_),
            ..
        } => Some(ctx.pull_from),
        Incremental::ODataModifiedSince { .. } => Some(ctx.pull_from),
        _ => None,
    };
    let (mut stream_pages, mut stream_fetched) = (0u64, 0u64);

    // One page is written while the next is fetched; writes stay in order,
    // each with its cursor, so a crash still loses at most the page in flight.
    let mut in_flight: Option<WriteHandle> = None;
    // An OData look-back pass (the second) read whole by this run is a
    // complete list of the time dated in its window.
    let window_pass = matches!(stream.incremental, Incremental::ODataModifiedSince { .. })
        && pending.passes.len() == 2;
    let mut window_read_whole = false;
    while pending.pass < pending.passes.len() {
        let mut guard = PageGuard::default();
        if window_pass && pending.pass == 1 && pending.page == 1 {
            window_read_whole = true;
        }
        loop {
            if ctx.cancel.is_cancelled() {
                settle(
                    ctx,
                    stream,
                    in_flight.take(),
                    &mut stream_pages,
                    &mut stream_fetched,
                )
                .await?;
                return Err(ConnectorError::cancelled().into());
            }
            let mut query: Vec<(String, String)> = stream
                .params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            query.extend(pending.passes[pending.pass].iter().cloned());
            query.extend(pager.params(pending.page));
            let what = match pager {
                Pager::Unpaged => format!("the list of {}", stream.name),
                _ => format!("page {} of {}", pending.page, stream.name),
            };
            let fetched = ctx
                .http
                .get_json(stream.path, &query, &what, &ctx.cancel)
                .await;
            let mut body = match fetched {
                Ok(body) => body,
                Err(error) => {
                    settle(
                        ctx,
                        stream,
                        in_flight.take(),
                        &mut stream_pages,
                        &mut stream_fetched,
                    )
                    .await?;
                    return Err(error.into());
                }
            };
            let raw_records = lenient::take_records(&mut body, stream.records_at);
            let more = pager.more(&body, raw_records.len());
            let keyed: Vec<(String, Value)> = raw_records
                .into_iter()
                .filter_map(|raw| lenient::id(raw.get(stream.record_key)).map(|k| (k, raw)))
                .collect();
            let ids: Vec<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
            guard.page(&ids, platform, stream.name)?;

            let mut counts = ModuleCounts {
                pages: 1,
                fetched: keyed.len() as u64,
                ..Default::default()
            };
            let mut write = PageWrite {
                incoming: Vec::new(),
                removals: Vec::new(),
                cache: Vec::new(),
                clear_cache: matches!(stream.incremental, Incremental::FullRefresh)
                    && pending.pass == 0
                    && pending.page == 1,
            };
            match stream.output {
                Output::Records(_) => {
                    let map = mapper.as_ref().expect("records streams have a mapper");
                    for (key, raw) in &keyed {
                        match map(raw) {
                            Ok(Some(record))
                                if floor
                                    .is_some_and(|f| record.record_date.is_some_and(|d| d < f)) => {
                            }
                            Ok(Some(record)) => {
                                seen.insert(record.external_id.clone());
                                write.incoming.push(record);
                            }
                            Ok(None) => {}
                            Err(problem) => {
                                counts.skipped += 1;
                                tracing::warn!(stream = stream.name, record = %key, %problem, "skipped a record that could not be read");
                            }
                        }
                    }
                }
                Output::Removals(_) => {
                    write.removals = keyed.iter().map(|(k, _)| k.clone()).collect()
                }
                Output::Derive(_) => {}
            }
            if stream.cache || matches!(stream.output, Output::Derive(_)) {
                write.cache = keyed;
            }

            let next = if more {
                Pending {
                    page: pending.page + 1,
                    ..pending.clone()
                }
            } else {
                Pending {
                    pass: pending.pass + 1,
                    page: 1,
                    ..pending.clone()
                }
            };
            if more {
                guard.next_token(&next.page.to_string(), platform, stream.name)?;
            }
            settle(
                ctx,
                stream,
                in_flight.take(),
                &mut stream_pages,
                &mut stream_fetched,
            )
            .await?;
            cursor.pending = Some(next.clone());
            let cursor_json = serde_json::to_value(&cursor).unwrap_or_default();
            in_flight = Some(spawn_write(
                ctx,
                stream,
                module_key.clone(),
                counts,
                write,
                cursor_json,
            ));
            pending = next;
            if !more {
                break;
            }
        }
    }
    settle(
        ctx,
        stream,
        in_flight.take(),
        &mut stream_pages,
        &mut stream_fetched,
    )
    .await?;
    let window = window_read_whole.then(|| {
        let from = look_back_from(
            pending.started.date_naive(),
            ctx.look_back_days,
            ctx.pull_from,
        );
        // Dates compare as text in SQLite: the last four-digit year.
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(from);
        (from, last)
    });
    finish_stream(ctx, stream, &mut cursor, &pending, seen, window).await
}

type WriteHandle = tokio::task::JoinHandle<timebridge_core::Result<ModuleCounts>>;

/// Writes one page, its cursor and the run's counts in one transaction, on a
/// blocking thread.
fn spawn_write(
    ctx: &RunContext<'_>,
    stream: &'static Stream,
    module_key: String,
    counts: ModuleCounts,
    write: PageWrite,
    cursor_json: Value,
) -> WriteHandle {
    let (store, id, run_id, now) = (
        ctx.store.clone(),
        ctx.integration_id,
        ctx.run_id,
        (ctx.now)(),
    );
    let mut all_counts = ctx.counts.clone();
    tokio::task::spawn_blocking(move || {
        store.write(|tx| {
            let mut counts = counts;
            match stream.output {
                Output::Records(module) => {
                    let applied =
                        staged::apply_page(tx, id, module, Some(run_id), &write.incoming, now)?;
                    counts.new = applied.new;
                    counts.updated = applied.updated;
                    counts.unchanged = applied.unchanged;
                }
                Output::Removals(module) => {
                    counts.removed = staged::mark_removed(tx, id, module, &write.removals, now)?
                }
                Output::Derive(_) => {}
            }
            if write.clear_cache {
                cursors::cache_clear(tx, id, stream.name)?;
            }
            if !write.cache.is_empty() {
                cursors::cache_put(tx, id, stream.name, &write.cache)?;
            }
            cursors::set(tx, id, stream.name, &cursor_json, now)?;
            all_counts.entry(module_key).or_default().add(&counts);
            runs::save_counts(tx, run_id, &all_counts)?;
            Ok(counts)
        })
    })
}

/// Waits for a page write, then counts it and reports progress.
async fn settle(
    ctx: &mut RunContext<'_>,
    stream: &'static Stream,
    handle: Option<WriteHandle>,
    pages: &mut u64,
    fetched: &mut u64,
) -> Result<(), StepError> {
    let Some(handle) = handle else { return Ok(()) };
    let counts = handle.await.map_err(|e| {
        StepError::Local(timebridge_core::Error::Internal(format!(
            "a page write stopped: {e}"
        )))
    })??;
    ctx.counts
        .entry(stream.counts_as.as_str().to_owned())
        .or_default()
        .add(&counts);
    *pages += 1;
    *fetched += counts.fetched;
    let _ = ctx.progress.send(Progress {
        integration_id: ctx.integration_id,
        run_id: ctx.run_id,
        stream: stream.name.to_owned(),
        module: stream.counts_as,
        pages: *pages,
        fetched: *fetched,
        phase: ProgressPhase::Fetching,
    });
    Ok(())
}

/// Ends a read: derives records from the cache, marks what a full read did
/// not see as removed, and records the read as complete.
async fn finish_stream(
    ctx: &mut RunContext<'_>,
    stream: &'static Stream,
    cursor: &mut StreamCursor,
    pending: &Pending,
    seen: HashSet<String>,
    window: Option<(NaiveDate, NaiveDate)>,
) -> Result<(), StepError> {
    let id = ctx.integration_id;
    let run_id = ctx.run_id;
    let store = ctx.store.clone();
    let derived = match stream.output {
        Output::Derive(modules) if !modules.is_empty() => {
            let _ = ctx.progress.send(Progress {
                integration_id: id,
                run_id,
                stream: stream.name.to_owned(),
                module: stream.counts_as,
                pages: 0,
                fetched: 0,
                phase: ProgressPhase::Deriving,
            });
            let view = {
                let store = store.clone();
                let needs = stream.needs_cache;
                blocking(move || load_cache(&store, id, needs)).await?
            };
            ctx.connector.derive(stream, &view)
        }
        _ => Vec::new(),
    };
    let full_read = matches!(stream.incremental, Incremental::FullRefresh);
    let records_module = match stream.output {
        Output::Records(module) => Some(module),
        _ => None,
    };
    cursor.completed_since = Some(pending.started);
    cursor.pending = None;
    let cursor_json = serde_json::to_value(&*cursor).unwrap_or_default();
    let mut all_counts = ctx.counts.clone();
    let now = (ctx.now)();
    let totals = blocking(move || {
        store.write(|tx| {
            let mut per_module: BTreeMap<String, ModuleCounts> = BTreeMap::new();
            for (module, records) in &derived {
                let mut counts = ModuleCounts::default();
                let mut keys = HashSet::with_capacity(records.len());
                for chunk in records.chunks(1000) {
                    let applied = staged::apply_page(tx, id, *module, Some(run_id), chunk, now)?;
                    counts.new += applied.new;
                    counts.updated += applied.updated;
                    counts.unchanged += applied.unchanged;
                    keys.extend(chunk.iter().map(|r| r.external_id.clone()));
                }
                counts.removed = staged::mark_missing_removed(tx, id, *module, &keys, now)?;
                per_module.insert(module.as_str().to_owned(), counts);
            }
            if let (Some((from, to)), Some(module)) = (window, records_module) {
                let removed =
                    staged::mark_missing_removed_between(tx, id, module, &seen, (from, to), now)?;
                per_module
                    .entry(module.as_str().to_owned())
                    .or_default()
                    .removed += removed;
            }
            if full_read && let Some(module) = records_module {
                let removed = staged::mark_missing_removed(tx, id, module, &seen, now)?;
                per_module
                    .entry(module.as_str().to_owned())
                    .or_default()
                    .removed += removed;
            }
            for (module, counts) in &per_module {
                all_counts.entry(module.clone()).or_default().add(counts);
            }
            cursors::set(tx, id, stream.name, &cursor_json, now)?;
            runs::save_counts(tx, run_id, &all_counts)?;
            Ok(per_module)
        })
    })
    .await?;
    for (module, counts) in totals {
        ctx.counts.entry(module).or_default().add(&counts);
    }
    Ok(())
}

impl StepError {
    pub(crate) fn is_cancelled(&self) -> bool {
        matches!(self, StepError::Source(e) if e.class == ErrorClass::Cancelled)
    }

    pub(crate) fn code_and_message(&self) -> (ErrorCode, String) {
        match self {
            StepError::Source(e) => (e.code, e.message.clone()),
            StepError::Local(e) => (e.code(), e.to_string()),
        }
    }
}
