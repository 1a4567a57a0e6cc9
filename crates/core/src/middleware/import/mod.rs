//! Import: turning staged records into local records.
//!
//! Each chosen staged record becomes a local record (created, or updated
//! through its binding), and its binding records what was imported: the
//! local id, the checksum and a snapshot of the data. The staged record
//! then reads Imported.
//!
//! - **Dependencies.** A job needs its customer, a task its job, a time
//!   entry its employee, job, task and pay item. A dependency not imported
//!   yet is imported along (and reported), or, when that is turned off or it
//!   cannot be, the record is skipped with the reason. Never half-imported:
//!   every record is written inside a savepoint that is rolled back if any
//!   part of it fails.
//! - **Look-alikes.** A New employee, customer or pay item that looks like
//!   a local record not tied to this integration (same employee number,
//!   e-mail, or name) is not created: the admin is asked to link it to the
//!   existing record or to create a new one. The records that need such a
//!   look-alike (time entries on the source's pay item `Sick` beside the
//!   local `SICK`) are held back with it, and counted. Asked to, the import
//!   takes every suggested link instead (`timebridge import
//!   --link-suggested`), so a run with no one to ask imports everything.
//! - **Deactivated at the source.** A record the source has deactivated is
//!   imported deactivated, and records that refer to it still import: a
//!   terminated employee's last hours are paid.
//! - **Hand edits.** For an Updated record whose local record was edited
//!   by hand since it was imported, the changes are merged field by field:
//!   a field changed only at the source is taken, one changed only by hand
//!   is kept, and one changed on both sides is a conflict the admin settles
//!   (keep the local value, or take the incoming one).
//! - **Removed at the source.** The local record is deactivated (a time
//!   entry is voided, so it leaves the payroll); never deleted.
//! - **Idempotent.** Importing an Imported record changes nothing.
//!
//! What to do with each record is decided by a pure plan (`plan`: the rules
//! above, without the database); `record` gathers the facts it needs and
//! applies its action.

mod bindings;
mod drafts;
mod plan;
mod record;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::Module;
use super::staged::Selection;
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use drafts::kind_of;

/// How a hand-edited field changed at the source too is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Winner {
    /// Keep what was typed in Timebridge.
    Local,
    /// Take the value from the integration.
    Incoming,
}

/// For a staged record that looks like an existing local one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkChoice {
    /// It is that local record: tie them together.
    Existing { local_id: i64 },
    /// It is someone else: create a new local record.
    CreateNew,
}

/// What to import and how.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ImportOptions {
    /// Import missing dependencies along (default), or skip the record.
    pub include_dependencies: bool,
    /// Decisions on look-alikes, by staged record id.
    pub links: HashMap<i64, LinkChoice>,
    /// Decisions on hand-edit conflicts, by staged record id.
    pub resolutions: HashMap<i64, Winner>,
    /// Link every look-alike without a decision in `links` to the local
    /// record it looks like, instead of holding it back. The command
    /// line's `--link-suggested`; the window asks about each one.
    #[ts(skip)]
    pub link_suggested: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            include_dependencies: true,
            links: HashMap::new(),
            resolutions: HashMap::new(),
            link_suggested: false,
        }
    }
}

/// A record imported along because another needed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AlsoImported {
    pub module: Module,
    pub label: String,
}

/// A record left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Skipped {
    pub staged_id: i64,
    pub label: String,
    pub reason: String,
}

/// A staged record that looks like an existing local record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LinkSuggestion {
    pub staged_id: i64,
    pub label: String,
    pub local_id: i64,
    pub local_label: String,
    /// "employee number", "e-mail" or "name".
    pub matched_on: String,
}

/// A record imported along that looks like an existing local record, and
/// how many of the records being imported wait for that decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldBack {
    /// The look-alike's module (for example pay items).
    pub module: Module,
    pub suggestion: LinkSuggestion,
    /// The staged records of this import it holds back (in `skipped`
    /// too, with the reason).
    pub staged_ids: Vec<i64>,
}

/// One field changed both by hand and at the source.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConflictField {
    pub field: String,
    #[ts(type = "unknown")]
    pub imported: Value,
    #[ts(type = "unknown")]
    pub local: Value,
    #[ts(type = "unknown")]
    pub incoming: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportConflict {
    pub staged_id: i64,
    pub label: String,
    pub local_id: i64,
    pub fields: Vec<ConflictField>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct ImportSummary {
    pub created: u64,
    pub updated: u64,
    pub linked: u64,
    /// Local records deactivated (time voided) because removed at the source.
    pub deactivated: u64,
    /// Already imported as they are: nothing to do.
    pub unchanged: u64,
    pub also_imported: Vec<AlsoImported>,
    pub skipped: Vec<Skipped>,
    /// Look-alikes waiting for a link-or-create decision (not imported yet).
    pub needs_link: Vec<LinkSuggestion>,
    /// Hand-edit conflicts waiting for a decision (not imported yet).
    pub conflicts: Vec<ImportConflict>,
    /// Look-alikes among the records imported along, each with the records
    /// it holds back (those are in `skipped` too). Linking or creating the
    /// look-alike (`links`, by its staged id) lets them import.
    #[ts(skip)]
    pub held_back: Vec<HeldBack>,
}

impl ImportSummary {
    /// Records now imported (created, updated, linked or deactivated).
    pub fn imported(&self) -> u64 {
        self.created + self.updated + self.linked + self.deactivated
    }

    /// Records not imported because they, or a record they need, look like
    /// an existing local record.
    pub fn held_back_count(&self) -> u64 {
        let behind: usize = self.held_back.iter().map(|h| h.staged_ids.len()).sum();
        (self.needs_link.len() + behind) as u64
    }

    fn absorb(&mut self, other: ImportSummary) {
        self.created += other.created;
        self.updated += other.updated;
        self.linked += other.linked;
        self.deactivated += other.deactivated;
        self.unchanged += other.unchanged;
        self.also_imported.extend(other.also_imported);
        self.skipped.extend(other.skipped);
        self.needs_link.extend(other.needs_link);
        self.conflicts.extend(other.conflicts);
        for held in other.held_back {
            match self
                .held_back
                .iter_mut()
                .find(|h| h.suggestion.staged_id == held.suggestion.staged_id)
            {
                Some(same) => same.staged_ids.extend(held.staged_ids),
                None => self.held_back.push(held),
            }
        }
    }
}

/// Why one record could not be imported (its savepoint is rolled back).
enum Stop {
    Skip(String),
    NeedsLink(LinkSuggestion),
    /// Skipped (the reason) because a record it needs looks like an
    /// existing one (the look-alike's module and the suggestion).
    HeldBack(String, Module, LinkSuggestion),
    Conflict(ImportConflict),
    /// Something beyond this record (the database): ends the import.
    Fail(Error),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        match error {
            Error::Validation(_) | Error::Conflict(_) | Error::NotFound(_) => {
                Stop::Skip(error.to_string())
            }
            other => Stop::Fail(other),
        }
    }
}

impl From<rusqlite::Error> for Stop {
    fn from(error: rusqlite::Error) -> Self {
        Stop::Fail(error.into())
    }
}

/// The staged record ids `selection` picks in one module, in id order.
pub fn selected_ids(
    conn: &rusqlite::Connection,
    integration_id: i64,
    module: Module,
    selection: &Selection,
) -> Result<Vec<i64>> {
    super::staged::selected_ids(conn, integration_id, module, selection)
}

/// How many staged records one transaction imports: Cancel and progress
/// answer within a chunk (a fifth of a second or so), and fewer, larger
/// commits write each touched index page fewer times (5,000 a chunk
/// imported 100,000 time entries a tenth faster than 2,000; 10,000 gained
/// nothing more).
pub const CHUNK: usize = 5_000;

/// Imports what `selection` picks of one module, and logs it.
pub fn run(
    store: &crate::Store,
    integration_id: i64,
    module: Module,
    selection: &Selection,
    options: &ImportOptions,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ImportSummary> {
    let ids = store.read(|c| selected_ids(c, integration_id, module, selection))?;
    run_ids(
        store,
        integration_id,
        module,
        &ids,
        options,
        actor,
        now,
        &mut |_| true,
    )
}

/// Imports the staged records `ids` of one module, [`CHUNK`] records per
/// transaction, telling `progress` how many are done after each; it returns
/// `false` to stop. A stopped import keeps the chunks already committed,
/// each whole (a record and the dependencies it brought are in one chunk).
#[allow(clippy::too_many_arguments)]
pub fn run_ids(
    store: &crate::Store,
    integration_id: i64,
    module: Module,
    ids: &[i64],
    options: &ImportOptions,
    actor: &Actor,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<ImportSummary> {
    run_in_chunks(
        store,
        integration_id,
        module,
        ids,
        CHUNK,
        options,
        actor,
        now,
        progress,
    )
}

/// [`run_ids`], `chunk` records per transaction.
///
/// The import's audit entry is written with the first chunk that imports
/// anything and brought up to date with each later one, in that chunk's
/// transaction: whenever the import stops (cancelled, failed, or the
/// process killed), the log says exactly what the committed chunks did.
#[allow(clippy::too_many_arguments)]
pub fn run_in_chunks(
    store: &crate::Store,
    integration_id: i64,
    module: Module,
    ids: &[i64],
    chunk: usize,
    options: &ImportOptions,
    actor: &Actor,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut done = 0u64;
    // The run's audit entry, once written.
    let mut entry = None;
    // References resolved by committed chunks stay resolved: local records
    // are never deleted, and a chunk that fails ends the import.
    let mut resolved = HashMap::new();
    for chunk in ids.chunks(chunk.max(1)) {
        store.write(|tx| {
            let mut importer = Importer::new(tx, integration_id, options, actor, now)?;
            importer.resolved = std::mem::take(&mut resolved);
            let part = importer.import(module, chunk)?;
            // The closure runs once; a failure ends the run, so the
            // summary absorbing a part rolled back is never returned.
            summary.absorb(part);
            entry = importer.log_run(module, &summary, entry)?;
            resolved = importer.resolved;
            Ok(())
        })?;
        done += chunk.len() as u64;
        if !progress(done) {
            break;
        }
    }
    Ok(summary)
}

/// The importer over one transaction.
pub struct Importer<'a> {
    tx: &'a Transaction<'a>,
    integration_id: i64,
    integration_name: String,
    options: &'a ImportOptions,
    actor: &'a Actor,
    now: DateTime<Utc>,
    /// (module, external id) being imported, to stop dependency cycles.
    in_progress: HashSet<(Module, String)>,
    /// References already resolved to local ids (a thousand time entries
    /// share a dozen employees). Cleared whenever a savepoint is rolled
    /// back, since what it imported is gone.
    resolved: HashMap<(Module, String), i64>,
    /// One entry per record being imported (a dependency nests inside the
    /// record that needs it): once its savepoint is open, how many staged
    /// records were waiting to be marked Imported when it opened.
    savepoints: Vec<Option<usize>>,
    /// Staged records imported in this transaction, marked Imported in one
    /// statement by [`Importer::finish`] (one UPDATE per record, with its
    /// count trigger and statement journal, was a fifth of the import).
    imported: Vec<i64>,
    /// Employees whose imported wages changed: their time is re-costed in
    /// one pass by [`Importer::finish`].
    wages_changed: Vec<i64>,
}

impl<'a> Importer<'a> {
    pub fn new(
        tx: &'a Transaction<'a>,
        integration_id: i64,
        options: &'a ImportOptions,
        actor: &'a Actor,
        now: DateTime<Utc>,
    ) -> Result<Importer<'a>> {
        let integration_name = tx
            .query_row(
                "SELECT name FROM integrations WHERE id = ?1",
                [integration_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound("That integration is no longer connected.".into()))?;
        Ok(Importer {
            tx,
            integration_id,
            integration_name,
            options,
            actor,
            now,
            in_progress: HashSet::new(),
            resolved: HashMap::new(),
            savepoints: Vec::new(),
            imported: Vec::new(),
            wages_changed: Vec::new(),
        })
    }

    /// Imports the staged records `ids` of `module`.
    pub fn import(&mut self, module: Module, ids: &[i64]) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut staged = self.staged_by_ids(module, ids)?;
        for id in ids {
            let Some(staged) = staged.remove(id) else {
                continue;
            };
            summary.absorb(self.import_one(module, &staged, false)?);
        }
        self.finish()?;
        Ok(summary)
    }

    /// Marks the staged records imported so far Imported, and re-costs the
    /// time of employees whose wages changed.
    fn finish(&mut self) -> Result<()> {
        crate::costing::wages::recost(self.tx, &self.wages_changed)?;
        self.wages_changed.clear();
        if self.imported.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&self.imported)
            .map_err(|e| Error::Internal(format!("staged ids could not be listed: {e}")))?;
        // `changed_at` stays: it says when the source last changed it.
        self.tx
            .prepare_cached(
                "UPDATE staged_records SET status = 'imported'
                 WHERE id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([ids])?;
        self.imported.clear();
        Ok(())
    }

    /// Writes the audit entry for a finished import.
    pub fn log(&self, module: Module, summary: &ImportSummary) -> Result<()> {
        self.log_run(module, summary, None).map(|_| ())
    }

    /// Writes the audit entry of an import that did `summary` so far, or
    /// brings `entry` (written by an earlier chunk) up to it; the entry's
    /// id, `None` while nothing was imported.
    fn log_run(
        &self,
        module: Module,
        summary: &ImportSummary,
        entry: Option<i64>,
    ) -> Result<Option<i64>> {
        if summary.imported() == 0 {
            return Ok(entry);
        }
        let event = AuditEvent {
            action: AuditAction::StagedImported,
            target: Some(format!("integration:{}", self.integration_id)),
            summary: {
                let along = summary.also_imported.len() as u64;
                let main = summary.imported().saturating_sub(along);
                let what = if main == 1 {
                    kind_of(module).label().to_owned()
                } else {
                    module.label().to_lowercase()
                };
                let mut text = format!("Imported {main} {what} from {}", self.integration_name);
                if along > 0 {
                    text.push_str(&format!(
                        ", and {along} record{} they needed",
                        if along == 1 { "" } else { "s" }
                    ));
                }
                text
            },
            details: Some(serde_json::json!({
                "created": summary.created, "updated": summary.updated,
                "linked": summary.linked, "deactivated": summary.deactivated,
                "skipped": summary.skipped.len(),
            })),
        };
        match entry {
            Some(id) => {
                audit::amend(self.tx, id, &event)?;
                Ok(Some(id))
            }
            None => {
                audit::record(self.tx, self.actor, event, self.now)?;
                Ok(Some(self.tx.last_insert_rowid()))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Linked,
    Deactivated,
    Unchanged,
}
