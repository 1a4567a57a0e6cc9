//! Writing a stream's pages: each page with its cursor and the run's counts
//! in one transaction, on a blocking thread, one page in flight while the
//! next is fetched; then the read's end in one more.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value;
use timebridge_connectors::{Incremental, Output, Stream};
use timebridge_core::middleware::runs::{self, ModuleCounts};
use timebridge_core::middleware::{Incoming, cursors, staged};

use crate::context::{StreamsRun, blocking};
use crate::error::SyncError;
use crate::progress::{Progress, ProgressPhase};

/// The records of one page, as written.
pub(super) struct PageWrite {
    pub incoming: Vec<Incoming>,
    pub removals: Vec<String>,
    pub cache: Vec<(String, Value)>,
    /// The first page of a full read: the stream's cache starts afresh.
    pub clear_cache: bool,
}

type WriteHandle = tokio::task::JoinHandle<timebridge_core::Result<ModuleCounts>>;

/// The page being written, and the stream's pages and records written so
/// far by this run.
#[derive(Default)]
pub(super) struct InFlight {
    handle: Option<WriteHandle>,
    pages: u64,
    fetched: u64,
}

impl InFlight {
    /// Waits for the page being written, then counts it and reports progress.
    pub async fn settle(
        &mut self,
        ctx: &mut StreamsRun<'_>,
        stream: &'static Stream,
    ) -> Result<(), SyncError> {
        let Some(handle) = self.handle.take() else {
            return Ok(());
        };
        let counts = handle
            .await
            .map_err(|e| SyncError::Internal(format!("a page write stopped: {e}")))??;
        ctx.counts
            .entry(stream.counts_as.as_str().to_owned())
            .or_default()
            .add(&counts);
        self.pages += 1;
        self.fetched += counts.fetched;
        ctx.run.report(Progress {
            integration_id: ctx.run.integration_id(),
            run_id: ctx.run.run_id,
            stream: stream.name.to_owned(),
            module: stream.counts_as,
            pages: self.pages,
            fetched: self.fetched,
            phase: ProgressPhase::Fetching,
        });
        Ok(())
    }

    /// Writes one page, its cursor and the run's counts in one
    /// transaction, on a blocking thread. The page before must be settled.
    pub fn start(
        &mut self,
        ctx: &StreamsRun<'_>,
        stream: &'static Stream,
        counts: ModuleCounts,
        write: PageWrite,
        cursor_json: Value,
    ) {
        debug_assert!(self.handle.is_none(), "one page in flight");
        let (store, id, run_id, now) = (
            ctx.run.store.clone(),
            ctx.run.integration_id(),
            ctx.run.run_id,
            (ctx.run.now)(),
        );
        let module_key = stream.counts_as.as_str().to_owned();
        let mut all_counts = ctx.counts.clone();
        self.handle = Some(tokio::task::spawn_blocking(move || {
            store.write(|tx| {
                let mut counts = counts;
                match stream.output {
                    Output::Records(module) => {
                        // Indexed for search when the read ends (write_end).
                        let applied = staged::apply_page_queued(
                            tx,
                            id,
                            module,
                            Some(run_id),
                            &write.incoming,
                            now,
                        )?;
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
        }));
    }
}

/// What ends a read, written in one transaction with the read's cursor
/// marked complete.
pub(super) struct ReadEnd {
    /// Records derived from the stream's cache, by module.
    pub derived: Vec<(timebridge_core::middleware::Module, Vec<Incoming>)>,
    /// Every record this run's read saw.
    pub seen: HashSet<String>,
    /// The days a look-back pass read whole covers: what it did not see
    /// within them was removed at the source.
    pub window: Option<(NaiveDate, NaiveDate)>,
    pub cursor_json: Value,
}

/// Stages the derived records, marks what the read did not see as
/// removed (all of it for a full read, within the window for a look-back
/// pass read whole), records the read as complete and adds the counts.
pub(super) async fn write_end(
    ctx: &mut StreamsRun<'_>,
    stream: &'static Stream,
    end: ReadEnd,
) -> Result<(), SyncError> {
    let (id, run_id) = (ctx.run.integration_id(), ctx.run.run_id);
    let store = ctx.run.store.clone();
    let full_read = matches!(stream.incremental, Incremental::FullRefresh);
    let records_module = match stream.output {
        Output::Records(module) => Some(module),
        _ => None,
    };
    let mut all_counts = ctx.counts.clone();
    let now = (ctx.run.now)();
    let totals = blocking("a database step", move || {
        let ReadEnd {
            derived,
            seen,
            window,
            cursor_json,
        } = end;
        Ok(store.write(|tx| {
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
            // What the read's pages wrote (and what a run stopped before its
            // read ended left queued) is indexed for search in one go.
            staged::index_queued(tx)?;
            Ok(per_module)
        })?)
    })
    .await?;
    for (module, counts) in totals {
        ctx.counts.entry(module).or_default().add(&counts);
    }
    Ok(())
}
