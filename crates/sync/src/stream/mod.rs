//! Reading one stream of a run over HTTP, page by page, in four steps:
//! plan the read (its cursor, the passes to ask for and how pages are
//! asked for), read the pages, map and stage each page (written with its
//! cursor while the next is fetched), and finish (derived records,
//! removals, the cursor advanced, the counts).

mod plan;
mod write;

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::Value;
use timebridge_connectors::{
    CacheView, ConnectorError, Incremental, Mapper, Output, PageAsk, Stream, http::graphql_errors,
    lenient, paging::PageGuard,
};
use timebridge_core::Store;
use timebridge_core::middleware::cursors;
use timebridge_core::middleware::runs::ModuleCounts;

use self::plan::{Pager, Pending, StreamCursor, Window, floor_of, look_back_from, resume_or_plan};
use self::write::{InFlight, PageWrite, ReadEnd, write_end};
use crate::context::{StreamsRun, blocking};
use crate::error::SyncError;
use crate::progress::{Progress, ProgressPhase};

/// Reads one stream from its cursor to the end, writing as it goes.
pub(crate) async fn sync_stream(
    ctx: &mut StreamsRun<'_>,
    stream: &'static Stream,
) -> Result<(), SyncError> {
    let mut read = plan_read(ctx, stream).await?;
    let pages = read_pages(ctx, &mut read).await?;
    finish_read(ctx, read, pages).await
}

/// A stream's read, planned.
struct StreamRead {
    stream: &'static Stream,
    cursor: StreamCursor,
    /// Where the read is: the pass and page asked for next.
    pending: Pending,
    /// How a record is mapped, for a stream of records.
    mapper: Option<Mapper>,
    pager: Pager,
    /// Records dated before this are kept out.
    floor: Option<NaiveDate>,
}

/// What reading the pages found.
struct PagesRead {
    /// Every record id seen, for removals.
    seen: HashSet<String>,
    /// This run read an OData look-back pass (the second) from its first
    /// page: a complete list of the time dated in its window.
    window_read_whole: bool,
}

/// Plans the read: resumes the read the last run left, or plans the passes
/// of a new one from the last complete read; loads the caches the mapper
/// needs.
async fn plan_read(ctx: &StreamsRun<'_>, stream: &'static Stream) -> Result<StreamRead, SyncError> {
    let run = ctx.run;
    let (store, id) = (run.store.clone(), run.integration_id());
    let stored = blocking("a database step", move || {
        Ok(store.read(|conn| cursors::get(conn, id, stream.name))?)
    })
    .await?;
    let cursor: StreamCursor = stored
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let settings = &run.integration.settings;
    let window = Window {
        pull_from: settings.pull_from,
        look_back_days: settings.look_back_days,
        skew: ctx.skew,
    };
    let pending = resume_or_plan(stream, &cursor, &window, (run.now)());
    let mapper = match stream.output {
        Output::Records(_) => {
            let view = load_cache(&run.store, id, stream.needs_cache).await?;
            Some(run.connector.mapper(stream, &view))
        }
        _ => None,
    };
    let paging = run.connector.paging_of(stream).ok_or_else(|| {
        SyncError::Internal(format!(
            "{} is not read over HTTP",
            run.connector.info().name
        ))
    })?;
    Ok(StreamRead {
        stream,
        cursor,
        pending,
        mapper,
        pager: Pager::of(paging),
        floor: floor_of(stream, settings.pull_from),
    })
}

/// Reads every page of every pass left. One page is written while the next
/// is fetched; writes stay in order, each with its cursor, so a crash still
/// loses at most the page in flight.
async fn read_pages(
    ctx: &mut StreamsRun<'_>,
    read: &mut StreamRead,
) -> Result<PagesRead, SyncError> {
    let stream = read.stream;
    let platform = ctx.run.connector.info().name;
    let mut in_flight = InFlight::default();
    let mut seen = HashSet::new();
    let window_pass = matches!(stream.incremental, Incremental::ODataModifiedSince { .. })
        && read.pending.passes.len() == 2;
    let mut window_read_whole = false;
    while read.pending.pass < read.pending.passes.len() {
        let mut guard = PageGuard::default();
        if window_pass && read.pending.pass == 1 && read.pending.page == 1 {
            window_read_whole = true;
        }
        loop {
            if ctx.run.cancel.is_cancelled() {
                in_flight.settle(ctx, stream).await?;
                return Err(ConnectorError::cancelled().into());
            }
            let body = match fetch_page(ctx, read).await {
                Ok(body) => body,
                Err(error) => {
                    in_flight.settle(ctx, stream).await?;
                    return Err(error.into());
                }
            };
            let page = stage_page(read, body, &mut guard, &mut seen, platform)?;
            let next = read.pending.next(page.more, page.cursor.clone());
            if page.more {
                let token = next.after.clone().unwrap_or_else(|| next.page.to_string());
                guard.next_token(&token, platform, stream.name)?;
            }
            in_flight.settle(ctx, stream).await?;
            read.cursor.pending = Some(next.clone());
            let cursor_json = serde_json::to_value(&read.cursor).unwrap_or_default();
            in_flight.start(ctx, stream, page.counts, page.write, cursor_json);
            read.pending = next;
            if !page.more {
                break;
            }
        }
    }
    in_flight.settle(ctx, stream).await?;
    Ok(PagesRead {
        seen,
        window_read_whole,
    })
}

/// Asks for the page the read is at.
async fn fetch_page(ctx: &StreamsRun<'_>, read: &StreamRead) -> Result<Value, ConnectorError> {
    let (stream, pending) = (read.stream, &read.pending);
    if let Pager::Cursor { first } = read.pager {
        return fetch_graphql_page(ctx, stream, pending, first).await;
    }
    let mut query: Vec<(String, String)> = stream
        .params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    query.extend(pending.passes[pending.pass].iter().cloned());
    query.extend(read.pager.params(pending.page));
    let what = match read.pager {
        Pager::Unpaged => format!("the list of {}", stream.name),
        _ => format!("page {} of {}", pending.page, stream.name),
    };
    ctx.http
        .get_json(stream.path, &query, &what, &ctx.run.cancel)
        .await
}

/// POSTs the connector's GraphQL request for the page the read is at; an
/// answer with `errors` fails with their messages.
async fn fetch_graphql_page(
    ctx: &StreamsRun<'_>,
    stream: &'static Stream,
    pending: &Pending,
    first: u32,
) -> Result<Value, ConnectorError> {
    let connector = ctx.run.connector;
    let ask = PageAsk {
        filters: &pending.passes[pending.pass],
        first,
        after: pending.after.as_deref(),
    };
    let request = connector.page_request(stream, ask).ok_or_else(|| {
        ConnectorError::platform_data(
            connector.info().name,
            &format!("the list of {}", stream.name),
            "Timebridge has no query for it",
        )
    })?;
    let what = format!("page {} of {}", pending.page, stream.name);
    let body = ctx
        .http
        .post_json(stream.path, &request, &what, &ctx.run.cancel)
        .await?;
    match graphql_errors(connector.info().name, stream.name, &body) {
        Some(error) => Err(error),
        None => Ok(body),
    }
}

/// One page, mapped and ready to write.
struct StagedPage {
    write: PageWrite,
    counts: ModuleCounts,
    /// Another page follows.
    more: bool,
    /// The cursor of the page's last record, for a GraphQL read.
    cursor: Option<String>,
}

/// Maps a page's records (or removals) for writing, and checks the platform
/// is not sending the same page again.
fn stage_page(
    read: &StreamRead,
    mut body: Value,
    guard: &mut PageGuard,
    seen: &mut HashSet<String>,
    platform: &'static str,
) -> Result<StagedPage, SyncError> {
    let (stream, pending) = (read.stream, &read.pending);
    let raw_records = lenient::take_records(&mut body, stream.records_at);
    let more = read.pager.more(&body, raw_records.len());
    let cursor = match read.pager {
        Pager::Cursor { .. } => raw_records
            .last()
            .and_then(|last| lenient::text(last.get("cursor"))),
        _ => None,
    };
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
            let map = read.mapper.as_ref().expect("records streams have a mapper");
            for (key, raw) in &keyed {
                match map(raw) {
                    Ok(Some(record))
                        if read
                            .floor
                            .is_some_and(|f| record.record_date.is_some_and(|d| d < f)) => {}
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
        Output::Removals(_) => write.removals = keyed.iter().map(|(k, _)| k.clone()).collect(),
        Output::Derive(_) => {}
    }
    if stream.cache || matches!(stream.output, Output::Derive(_)) {
        write.cache = keyed;
    }
    Ok(StagedPage {
        write,
        counts,
        more,
        cursor,
    })
}

/// Ends a read: derives records from the cache, marks what a full read (or
/// a look-back pass read whole) did not see as removed, and records the
/// read as complete.
async fn finish_read(
    ctx: &mut StreamsRun<'_>,
    read: StreamRead,
    pages: PagesRead,
) -> Result<(), SyncError> {
    let StreamRead {
        stream,
        mut cursor,
        pending,
        ..
    } = read;
    let run = ctx.run;
    let settings = &run.integration.settings;
    let window = pages.window_read_whole.then(|| {
        let from = look_back_from(
            pending.started.date_naive(),
            settings.look_back_days,
            settings.pull_from,
        );
        // Dates compare as text in SQLite: the last four-digit year.
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(from);
        (from, last)
    });
    let derived = match stream.output {
        Output::Derive(modules) if !modules.is_empty() => {
            run.report(Progress {
                integration_id: run.integration_id(),
                run_id: run.run_id,
                stream: stream.name.to_owned(),
                module: stream.counts_as,
                pages: 0,
                fetched: 0,
                phase: ProgressPhase::Deriving,
            });
            let view = load_cache(&run.store, run.integration_id(), stream.needs_cache).await?;
            run.connector.derive(stream, &view)
        }
        _ => Vec::new(),
    };
    cursor.completed_since = Some(pending.started);
    cursor.pending = None;
    let end = ReadEnd {
        derived,
        seen: pages.seen,
        window,
        cursor_json: serde_json::to_value(&cursor).unwrap_or_default(),
    };
    write_end(ctx, stream, end).await
}

/// The cached records of the streams a mapper (or a derivation) needs.
async fn load_cache(
    store: &std::sync::Arc<Store>,
    integration_id: i64,
    streams: &'static [&'static str],
) -> Result<CacheView, SyncError> {
    let store = store.clone();
    blocking("a database step", move || {
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
    })
    .await
}
