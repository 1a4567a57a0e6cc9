//! A run of a platform read from a folder of export files.
//!
//! Every export is read first; nothing is written until all of them were
//! read, so a file with the wrong columns fails the run and leaves what was
//! staged before as it was. Then every module is written in one
//! transaction with the run's counts. Time entries missing from the exports
//! are removed at the source only within the days each export covers, so
//! moving exports out of the folder removes nothing; records missing from a
//! whole list (ClockShark's employee, job and task lists) are removed.
//! A CSV files integration reads with the layout its settings name; a file
//! it left out (a bad row) is said in the run's note, the others staged.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use timebridge_connectors::ConnectorError;
use timebridge_connectors::folder::{self, FolderOptions, FolderRead, FolderSource};
use timebridge_core::Store;
use timebridge_core::middleware::runs::{self, ModuleCounts};
use timebridge_core::middleware::{Incoming, Module, Serialized};
use timebridge_core::middleware::{csv_layouts, staged};

use crate::context::{RunContext, blocking};
use crate::error::SyncError;
use crate::progress::{Progress, ProgressPhase};

fn no_folder(platform: &str) -> SyncError {
    SyncError::Connector(folder::problem(format!(
        "This {platform} integration has no export folder. Open its Settings, choose the folder the \
         exports are saved in, and sync again."
    )))
}

fn layout_deleted(name: &str) -> SyncError {
    SyncError::Connector(folder::problem(format!(
        "The layout “{name}” was deleted: open the integration's Settings and choose a layout."
    )))
}

/// Reads every export in the integration's folder, then stages them all;
/// `Some(note)` says the files left out.
pub(crate) async fn sync_folder(
    run: &RunContext<'_>,
    source: &'static dyn FolderSource,
) -> Result<Option<String>, SyncError> {
    let integration = run.integration;
    let platform = run.connector.info().name;
    let folder = integration
        .settings
        .folder
        .clone()
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| no_folder(platform))?;
    run.report(Progress {
        integration_id: integration.id,
        run_id: run.run_id,
        stream: "files".into(),
        module: Module::TimeEntries,
        pages: 0,
        fetched: 0,
        phase: ProgressPhase::Fetching,
    });
    let now = (run.now)();
    let (store, today, pull_from) = (
        run.store.clone(),
        now.date_naive(),
        integration.settings.pull_from,
    );
    let layout_name = integration.settings.csv_layout.clone();
    let (read, files) = blocking("reading the folder", move || {
        let zone = store
            .read(|conn| timebridge_core::payroll::settings::load(conn, today))?
            .zone()?;
        let layout = match &layout_name {
            Some(name) => Some(
                store
                    .read(|conn| csv_layouts::get(conn, name))?
                    .ok_or_else(|| layout_deleted(name))?,
            ),
            None => None,
        };
        let options = FolderOptions {
            zone,
            pull_from,
            layout,
        };
        let files = folder::export_files(source, Path::new(&folder))?;
        Ok((source.read_serialized(&files, &options)?, files.len()))
    })
    .await?;
    if run.cancel.is_cancelled() {
        return Err(ConnectorError::cancelled().into());
    }
    for problem in &read.skipped {
        tracing::warn!(integration = integration.id, %problem, "skipped an export row");
    }
    for problem in &read.files_skipped {
        tracing::warn!(integration = integration.id, %problem, "skipped an export file");
    }
    // Files read with a layout (CSV files) that it left out or skipped are
    // said on the run; ClockShark's files of no kind are only logged.
    let mut said = read.files_left_out.clone();
    if integration.settings.csv_layout.is_some() {
        said.extend(read.files_skipped.iter().cloned());
    }
    // Rows left for their date are said when they are why no time was
    // read, and logged otherwise.
    if read.before_pull.rows > 0 {
        tracing::info!(
            integration = integration.id,
            rows = read.before_pull.rows,
            %pull_from,
            "rows dated before the pull date were not read"
        );
    }
    said.extend(read.before_pull_note(pull_from, integration.id));
    let note = (!said.is_empty()).then(|| said.join(" "));
    let (store, id, run_id) = (run.store.clone(), integration.id, run.run_id);
    let counts = blocking("writing the exports", move || {
        write(&store, id, run_id, read, files, now)
    })
    .await?;
    for (module, counts) in &counts {
        tracing::info!(integration = id, %module, ?counts, "export folder read");
    }
    Ok(note)
}

fn write(
    store: &Store,
    id: i64,
    run_id: i64,
    read: FolderRead<Serialized>,
    files: usize,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, ModuleCounts>, SyncError> {
    let missing = |module: Module| match module {
        Module::TimeEntries => Missing::RemovedWithin(read.dates.clone()),
        module if read.whole.contains(&module) => Missing::Removed,
        _ => Missing::Kept,
    };
    let skipped = (Module::TimeEntries, read.skipped.len() as u64);
    stage_whole(
        store,
        (id, run_id),
        read.modules,
        files as u64,
        skipped,
        missing,
        now,
    )
}

/// What records a whole read did not return are.
#[derive(Debug, Clone)]
pub(crate) enum Missing {
    /// Deleted at the source: the read was the whole list.
    Removed,
    /// Deleted at the source if dated within one of these spans of days
    /// (the days each file of the read covers).
    RemovedWithin(Vec<(NaiveDate, NaiveDate)>),
    /// Not known: the read was not the whole list.
    Kept,
}

/// Each module's records with their data as text, for [`stage_whole`].
pub(crate) fn serialized(modules: &[(Module, Vec<Incoming>)]) -> Vec<(Module, Vec<Serialized>)> {
    modules
        .iter()
        .map(|(module, records)| (*module, records.iter().map(Serialized::of).collect()))
        .collect()
}

/// Stages every module of a whole read in one transaction with the run's
/// counts: all or nothing.
pub(crate) fn stage_whole(
    store: &Store,
    (id, run_id): (i64, i64),
    modules: Vec<(Module, Vec<Serialized>)>,
    pages: u64,
    (skipped_in, skipped): (Module, u64),
    missing: impl Fn(Module) -> Missing,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, ModuleCounts>, SyncError> {
    let counts = store.write_bulk(|tx| {
        let mut all = BTreeMap::new();
        for (module, mut records) in modules {
            let mut counts = ModuleCounts {
                pages,
                fetched: records.len() as u64,
                ..Default::default()
            };
            by_date(&mut records);
            let mut staging = staged::Staging::begin(tx, id, module)?;
            for chunk in records.chunks(1000) {
                let applied = staged::apply_serialized(
                    tx,
                    id,
                    module,
                    Some(run_id),
                    chunk,
                    now,
                    &mut staging,
                )?;
                counts.new += applied.new;
                counts.updated += applied.updated;
                counts.unchanged += applied.unchanged;
            }
            if module == skipped_in {
                counts.skipped = skipped;
            }
            let seen = || -> HashSet<i64> { staging.rows.iter().copied().collect() };
            counts.removed = match missing(module) {
                Missing::Removed => {
                    staged::mark_unseen_removed(tx, id, module, &seen(), None, now)?
                }
                Missing::RemovedWithin(spans) => {
                    let seen = seen();
                    let mut removed = 0;
                    for dates in spans {
                        removed +=
                            staged::mark_unseen_removed(tx, id, module, &seen, Some(dates), now)?;
                    }
                    removed
                }
                Missing::Kept => 0,
            };
            all.insert(module.as_str().to_owned(), counts);
        }
        runs::save_counts(tx, run_id, &all)?;
        Ok(all)
    })?;
    Ok(counts)
}

/// Puts records in date order, so the staged rows' indexes by date grow at
/// their end as they are written; records of one external id stay in the
/// order they came (the last one is the one staged).
fn by_date(records: &mut [Serialized]) {
    let mut ids = HashSet::with_capacity(records.len());
    if records.iter().all(|r| ids.insert(r.external_id.as_str())) {
        records.sort_by_key(|r| r.record_date);
    }
}
