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
//!   existing record or to create a new one.
//! - **Hand edits.** For an Updated record whose local record was edited
//!   by hand since it was imported, the changes are merged field by field:
//!   a field changed only at the source is taken, one changed only by hand
//!   is kept, and one changed on both sides is a conflict the admin settles
//!   (keep the local value, or take the incoming one).
//! - **Removed at the source.** The local record is deactivated (a time
//!   entry is voided, so it leaves the payroll); never deleted.
//! - **Idempotent.** Importing an Imported record changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::Module;
use super::planner::StagedStatus;
use super::staged::Selection;
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::records::pay_ids::{PayCategory, PayIdDraft};
use crate::records::time_entries::{TimeEntryDraft, TimeSpan};
use crate::records::{
    self, LocalRecord, NewRecordSource, RecordKind, budgets::BudgetDraft, customers::CustomerDraft,
    employees::EmployeeDraft, jobs::JobDraft, tasks::TaskDraft,
};
use crate::time;

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
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            include_dependencies: true,
            links: HashMap::new(),
            resolutions: HashMap::new(),
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
}

impl ImportSummary {
    /// Records now imported (created, updated, linked or deactivated).
    pub fn imported(&self) -> u64 {
        self.created + self.updated + self.linked + self.deactivated
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
    }
}

/// One staged row, as the importer reads it.
#[derive(Debug, Clone)]
struct Staged {
    id: i64,
    external_id: String,
    label: String,
    status: StagedStatus,
    removed: bool,
    data: Value,
    /// `data` as stored, kept for the binding's snapshot.
    data_text: String,
    checksum: String,
}

#[derive(Debug, Clone)]
struct Binding {
    local_id: i64,
    snapshot: Value,
    imported_at: DateTime<Utc>,
}

/// Why one record could not be imported (its savepoint is rolled back).
enum Stop {
    Skip(String),
    NeedsLink(LinkSuggestion),
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
    let mut summary = ImportSummary::default();
    let mut done = 0u64;
    // References resolved by committed chunks stay resolved: local records
    // are never deleted, and a chunk that fails ends the import.
    let mut resolved = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let part = store.write(|tx| {
            let mut importer = Importer::new(tx, integration_id, options, actor, now)?;
            importer.resolved = std::mem::take(&mut resolved);
            let part = importer.import(module, chunk)?;
            resolved = importer.resolved;
            Ok(part)
        })?;
        summary.absorb(part);
        done += chunk.len() as u64;
        if !progress(done) {
            break;
        }
    }
    store.write(|tx| {
        let importer = Importer::new(tx, integration_id, options, actor, now)?;
        importer.log(module, &summary)
    })?;
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

    /// Marks the staged records imported so far Imported.
    fn finish(&mut self) -> Result<()> {
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
        if summary.imported() == 0 {
            return Ok(());
        }
        audit::record(
            self.tx,
            self.actor,
            AuditEvent {
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
            },
            self.now,
        )
    }

    /// One record, never half-written: its writes are inside a savepoint
    /// that is rolled back if any part of it fails. The savepoint is only
    /// opened ahead of a write a later failure could strand (a dependency
    /// imported along, an update, an activation change): a plain create is
    /// one statement, which SQLite already makes all-or-nothing, and saving
    /// every page it touches for a rollback that cannot come was a tenth
    /// of a large import.
    fn import_one(
        &mut self,
        module: Module,
        staged: &Staged,
        as_dependency: bool,
    ) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        if staged.status == StagedStatus::Archived {
            summary.skipped.push(Skipped {
                staged_id: staged.id,
                label: staged.label.clone(),
                reason: "It is archived. Unarchive it to import it.".into(),
            });
            return Ok(summary);
        }
        let key = (module, staged.external_id.clone());
        if !self.in_progress.insert(key.clone()) {
            summary.skipped.push(Skipped {
                staged_id: staged.id,
                label: staged.label.clone(),
                reason: "It depends on itself at the source.".into(),
            });
            return Ok(summary);
        }
        self.savepoints.push(None);
        let result = self.write_one(module, staged, &mut summary);
        let opened = self.savepoints.pop().flatten();
        self.in_progress.remove(&key);
        match result {
            Ok(outcome) => {
                if opened.is_some() {
                    self.tx
                        .prepare_cached("RELEASE import_record")?
                        .execute([])?;
                }
                match outcome {
                    Outcome::Created => summary.created += 1,
                    Outcome::Updated => summary.updated += 1,
                    Outcome::Linked => summary.linked += 1,
                    Outcome::Deactivated => summary.deactivated += 1,
                    Outcome::Unchanged => summary.unchanged += 1,
                }
                if as_dependency && outcome != Outcome::Unchanged {
                    summary.also_imported.push(AlsoImported {
                        module,
                        label: staged.label.clone(),
                    });
                }
                Ok(summary)
            }
            Err(stop) => {
                if let Some(waiting) = opened {
                    self.tx
                        .execute_batch("ROLLBACK TO import_record; RELEASE import_record")?;
                    self.resolved.clear();
                    self.imported.truncate(waiting);
                }
                // What dependencies did inside the savepoint is undone too.
                let mut undone = ImportSummary::default();
                match stop {
                    Stop::Skip(reason) => undone.skipped.push(Skipped {
                        staged_id: staged.id,
                        label: staged.label.clone(),
                        reason,
                    }),
                    Stop::NeedsLink(suggestion) => undone.needs_link.push(suggestion),
                    Stop::Conflict(conflict) => undone.conflicts.push(conflict),
                    Stop::Fail(error) => return Err(error),
                }
                Ok(undone)
            }
        }
    }

    /// Opens the current record's savepoint, if it is not open yet.
    fn savepoint(&mut self) -> rusqlite::Result<()> {
        if let Some(open @ None) = self.savepoints.last_mut() {
            self.tx
                .prepare_cached("SAVEPOINT import_record")?
                .execute([])?;
            *open = Some(self.imported.len());
        }
        Ok(())
    }

    fn write_one(
        &mut self,
        module: Module,
        staged: &Staged,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Outcome, Stop> {
        let kind = kind_of(module);
        // The binding, if its local record still exists, and whether that
        // record is active now.
        let bound = match self.binding(module, &staged.external_id)? {
            Some(b) => records::is_active(self.tx, kind, b.local_id)?.map(|active| (b, active)),
            None => None,
        };

        if staged.removed {
            let Some((binding, active_now)) = bound else {
                return Err(Stop::Skip(
                    "It was removed at the source before it was ever imported: there is nothing to import."
                        .into(),
                ));
            };
            self.savepoint()?;
            if active_now {
                set_active(
                    self.tx,
                    module,
                    binding.local_id,
                    false,
                    self.actor,
                    self.now,
                )?;
            }
            self.bind(module, staged, binding.local_id)?;
            return Ok(Outcome::Deactivated);
        }

        if staged.status == StagedStatus::Imported && bound.is_some() {
            return Ok(Outcome::Unchanged);
        }

        let incoming = self.draft(module, &staged.data, summary)?;
        let active = staged
            .data
            .get("active")
            .and_then(Value::as_bool)
            .unwrap_or(true);

        let (local_id, outcome, active_now) = match bound {
            Some((binding, active_now)) => {
                let draft = self.merged(module, staged, &binding, incoming, summary)?;
                self.savepoint()?;
                update(
                    self.tx,
                    module,
                    binding.local_id,
                    &draft,
                    self.actor,
                    self.now,
                )?;
                (binding.local_id, Outcome::Updated, active_now)
            }
            None => match self.options.links.get(&staged.id) {
                Some(LinkChoice::Existing { local_id }) => {
                    let Some(active_now) = records::is_active(self.tx, kind, *local_id)? else {
                        return Err(Stop::Skip(format!(
                            "The {} chosen to link to no longer exists.",
                            kind.label()
                        )));
                    };
                    self.savepoint()?;
                    update(self.tx, module, *local_id, &incoming, self.actor, self.now)?;
                    set_source(
                        self.tx,
                        kind,
                        *local_id,
                        self.integration_id,
                        &staged.external_id,
                    )?;
                    (*local_id, Outcome::Linked, active_now)
                }
                choice => {
                    if choice.is_none()
                        && let Some(suggestion) = self.look_alike(module, staged, &incoming)?
                    {
                        return Err(Stop::NeedsLink(suggestion));
                    }
                    if !active {
                        self.savepoint()?; // deactivated once created
                    }
                    let source = NewRecordSource::Imported {
                        integration_id: self.integration_id,
                        external_id: staged.external_id.clone(),
                    };
                    let id = create(self.tx, module, &incoming, &source, self.actor, self.now)?;
                    (id, Outcome::Created, true)
                }
            },
        };
        if active_now != active {
            set_active(self.tx, module, local_id, active, self.actor, self.now)?;
        }
        self.bind(module, staged, local_id)?;
        Ok(outcome)
    }

    /// The incoming draft merged with hand edits made since the import.
    fn merged(
        &mut self,
        module: Module,
        staged: &Staged,
        binding: &Binding,
        incoming: Draft,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Draft, Stop> {
        let kind = kind_of(module);
        if local_updated_at(self.tx, kind, binding.local_id)? <= binding.imported_at {
            return Ok(incoming);
        }
        let local = local_draft(self.tx, module, binding.local_id)?;
        let imported = self.draft(module, &binding.snapshot, summary)?;
        let (local_v, imported_v, incoming_v) =
            (local.to_value(), imported.to_value(), incoming.to_value());
        let mut merged = local_v.clone();
        let mut conflicts = Vec::new();
        if let (Some(merged), Some(incoming_map)) = (merged.as_object_mut(), incoming_v.as_object())
        {
            for (field, new) in incoming_map {
                let old = imported_v.get(field).unwrap_or(&Value::Null);
                let mine = local_v.get(field).unwrap_or(&Value::Null);
                if new == old || new == mine {
                    continue; // unchanged at the source, or both agree
                }
                if mine == old {
                    merged.insert(field.clone(), new.clone());
                    continue; // changed only at the source
                }
                match self.options.resolutions.get(&staged.id) {
                    Some(Winner::Incoming) => {
                        merged.insert(field.clone(), new.clone());
                    }
                    Some(Winner::Local) => {}
                    None => conflicts.push(ConflictField {
                        field: field.clone(),
                        imported: old.clone(),
                        local: mine.clone(),
                        incoming: new.clone(),
                    }),
                }
            }
        }
        if !conflicts.is_empty() {
            return Err(Stop::Conflict(ImportConflict {
                staged_id: staged.id,
                label: staged.label.clone(),
                local_id: binding.local_id,
                fields: conflicts,
            }));
        }
        Draft::from_value(module, merged).map_err(Stop::Fail)
    }

    /// The staged data as a local draft, its references resolved (and
    /// imported along when allowed).
    fn draft(
        &mut self,
        module: Module,
        data: &Value,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Draft, Stop> {
        let text = |field: &str| data.get(field).and_then(Value::as_str).map(str::to_owned);
        Ok(match module {
            Module::Employees => Draft::Employee(EmployeeDraft {
                employee_number: text("employee_number"),
                first_name: text("first_name").unwrap_or_default(),
                last_name: text("last_name").unwrap_or_default(),
                email: text("email"),
                phone: text("phone"),
                hire_date: text("hire_date").and_then(|d| d.parse().ok()),
            }),
            Module::Customers => Draft::Customer(CustomerDraft {
                name: text("name").unwrap_or_default(),
                email: text("email"),
                phone: text("phone"),
            }),
            Module::Jobs => Draft::Job(JobDraft {
                customer_id: self.reference(
                    Module::Customers,
                    data,
                    "customer_external_id",
                    summary,
                )?,
                name: text("name").unwrap_or_default(),
                job_number: text("job_number"),
                address: text("address"),
            }),
            Module::Tasks => Draft::Task(TaskDraft {
                job_id: self.reference(Module::Jobs, data, "job_external_id", summary)?,
                code: text("code").unwrap_or_default(),
                name: text("name").unwrap_or_default(),
                pay_id: self.reference(Module::PayItems, data, "pay_item_external_id", summary)?,
            }),
            Module::TimeEntries => {
                let span: TimeSpan =
                    serde_json::from_value(data.get("span").cloned().unwrap_or(Value::Null))
                        .map_err(|_| {
                            Stop::Skip("Its start, end or duration could not be read.".into())
                        })?;
                Draft::TimeEntry(TimeEntryDraft {
                    employee_id: self
                        .reference(Module::Employees, data, "employee_external_id", summary)?
                        .ok_or_else(|| Stop::Skip("It has no employee.".into()))?,
                    job_id: self.reference(Module::Jobs, data, "job_external_id", summary)?,
                    task_id: self.reference(Module::Tasks, data, "task_external_id", summary)?,
                    pay_id: self.reference(
                        Module::PayItems,
                        data,
                        "pay_item_external_id",
                        summary,
                    )?,
                    span,
                    notes: text("notes").unwrap_or_default(),
                })
            }
            Module::Budgets => Draft::Budget(BudgetDraft {
                job_id: self
                    .reference(Module::Jobs, data, "job_external_id", summary)?
                    .ok_or_else(|| Stop::Skip("It has no job.".into()))?,
                task_id: self.reference(Module::Tasks, data, "task_external_id", summary)?,
                budget_seconds: data.get("budget_seconds").and_then(Value::as_i64),
                amount_cents: data.get("amount_cents").and_then(Value::as_i64),
                notes: text("notes").unwrap_or_default(),
            }),
            Module::PayItems => Draft::PayItem(PayIdDraft {
                code: text("code").unwrap_or_default(),
                name: text("name").unwrap_or_default(),
                category: text("category")
                    .and_then(|c| serde_json::from_value(Value::String(c)).ok())
                    .unwrap_or(PayCategory::Other),
                multiplier: data
                    .get("multiplier")
                    .and_then(Value::as_f64)
                    .unwrap_or(1.0),
            }),
        })
    }

    /// The local id of the record `data[field]` refers to in `module`.
    fn reference(
        &mut self,
        module: Module,
        data: &Value,
        field: &str,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Option<i64>, Stop> {
        let Some(external_id) = data.get(field).and_then(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }) else {
            return Ok(None);
        };
        let key = (module, external_id.clone());
        if let Some(&id) = self.resolved.get(&key) {
            return Ok(Some(id));
        }
        if let Some(binding) = self.binding(module, &external_id)?
            && records::is_active(self.tx, kind_of(module), binding.local_id)?.is_some()
        {
            self.resolved.insert(key, binding.local_id);
            return Ok(Some(binding.local_id));
        }
        let what = kind_of(module).label();
        let Some(staged) = self.staged_by_external_id(module, &external_id)? else {
            return Err(Stop::Skip(format!(
                "Its {what} ({external_id} at the source) has not been synced. Sync again, then import."
            )));
        };
        if !self.options.include_dependencies {
            return Err(Stop::Skip(format!(
                "Its {what} \"{}\" is not imported yet. Import it first, or import with its dependencies.",
                staged.label
            )));
        }
        self.savepoint()?; // so this record's failure takes its dependency back out
        let dependency = self.import_one(module, &staged, true).map_err(Stop::Fail)?;
        let blocked = dependency
            .skipped
            .first()
            .map(|s| s.reason.clone())
            .or_else(|| {
                dependency.needs_link.first().map(|l| {
                    format!(
                        "it looks like the existing {} \"{}\"; choose to link or create it first",
                        what, l.local_label
                    )
                })
            })
            .or_else(|| {
                dependency.conflicts.first().map(|_| {
                    "it has changes that conflict with edits made in Timebridge".to_owned()
                })
            });
        if let Some(why) = blocked {
            return Err(Stop::Skip(format!(
                "Its {what} \"{}\" could not be imported: {why}",
                staged.label
            )));
        }
        summary.absorb(ImportSummary {
            also_imported: dependency.also_imported,
            created: dependency.created,
            updated: dependency.updated,
            linked: dependency.linked,
            deactivated: dependency.deactivated,
            ..ImportSummary::default()
        });
        let binding = self.binding(module, &external_id)?.ok_or_else(|| {
            Stop::Skip(format!(
                "Its {what} \"{}\" could not be imported.",
                staged.label
            ))
        })?;
        Ok(Some(binding.local_id))
    }

    /// A local record of the same kind, not tied to this integration, that
    /// looks like the incoming one.
    fn look_alike(
        &self,
        module: Module,
        staged: &Staged,
        draft: &Draft,
    ) -> std::result::Result<Option<LinkSuggestion>, Stop> {
        let not_bound = "(source_kind = 'manual' OR source_integration_id IS NOT ?1)";
        let found: Option<(i64, String, &str)> = match draft {
            Draft::Employee(d) => {
                let mut found = None;
                if let Some(number) = d.employee_number.as_deref().filter(|n| !n.trim().is_empty()) {
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND employee_number = ?2 COLLATE NOCASE"), number)?
                        .map(|(id, name)| (id, name, "employee number"));
                }
                if found.is_none()
                    && let Some(email) = d.email.as_deref().filter(|e| !e.trim().is_empty())
                {
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND email = ?2 COLLATE NOCASE"), email)?
                        .map(|(id, name)| (id, name, "e-mail"));
                }
                if found.is_none() {
                    let name = format!("{} {}", d.first_name.trim(), d.last_name.trim());
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND (first_name || ' ' || last_name) = ?2 COLLATE NOCASE"), &name)?
                        .map(|(id, name)| (id, name, "name"));
                }
                found
            }
            Draft::Customer(d) => self
                .find(&format!("SELECT id, name FROM customers WHERE {not_bound} AND name = ?2 COLLATE NOCASE"), d.name.trim())?
                .map(|(id, name)| (id, name, "name")),
            Draft::PayItem(d) => self
                .find(&format!("SELECT id, code || ' ' || name FROM pay_ids WHERE {not_bound} AND code = ?2 COLLATE NOCASE"), d.code.trim())?
                .map(|(id, name)| (id, name, "code")),
            _ => None,
        };
        let _ = module;
        Ok(
            found.map(|(local_id, local_label, matched_on)| LinkSuggestion {
                staged_id: staged.id,
                label: staged.label.clone(),
                local_id,
                local_label,
                matched_on: matched_on.to_owned(),
            }),
        )
    }

    fn find(&self, sql: &str, value: &str) -> rusqlite::Result<Option<(i64, String)>> {
        self.tx
            .prepare_cached(&format!("{sql} ORDER BY id LIMIT 1"))?
            .query_row(params![self.integration_id, value], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
    }

    fn binding(&self, module: Module, external_id: &str) -> rusqlite::Result<Option<Binding>> {
        self.tx
            .prepare_cached(
                "SELECT local_id, snapshot, imported_at FROM bindings
                 WHERE integration_id = ?1 AND module = ?2 AND external_id = ?3",
            )?
            .query_row(
                params![self.integration_id, module.as_str(), external_id],
                |r| {
                    let snapshot: String = r.get(1)?;
                    Ok(Binding {
                        local_id: r.get(0)?,
                        snapshot: serde_json::from_str(&snapshot).unwrap_or(Value::Null),
                        imported_at: time::column(r, "imported_at")?,
                    })
                },
            )
            .optional()
    }

    /// Records what was imported; the staged record is marked Imported with
    /// the rest of the transaction's.
    fn bind(&mut self, module: Module, staged: &Staged, local_id: i64) -> rusqlite::Result<()> {
        let now = time::to_db(self.now);
        self.tx
            .prepare_cached(
                "INSERT INTO bindings (integration_id, module, external_id, local_id, checksum, snapshot, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (integration_id, module, external_id) DO UPDATE SET
                   local_id = excluded.local_id, checksum = excluded.checksum,
                   snapshot = excluded.snapshot, imported_at = excluded.imported_at",
            )?
            .execute(params![
                self.integration_id,
                module.as_str(),
                staged.external_id,
                local_id,
                staged.checksum,
                staged.data_text,
                now
            ])?;
        self.imported.push(staged.id);
        Ok(())
    }

    /// The staged records `ids` of `module`, read in one statement (one
    /// query per record was a twelfth of a large import).
    fn staged_by_ids(&self, module: Module, ids: &[i64]) -> Result<HashMap<i64, Staged>> {
        let list = serde_json::to_string(ids)
            .map_err(|e| Error::Internal(format!("staged ids could not be listed: {e}")))?;
        let mut statement = self.tx.prepare_cached(
            "SELECT s.id, s.external_id, s.label, s.status, s.removed_at_source, s.data, s.checksum
             FROM json_each(?3) AS wanted CROSS JOIN staged_records AS s ON s.id = wanted.value
             WHERE s.integration_id = ?1 AND s.module = ?2",
        )?;
        let rows = statement.query_map(
            params![self.integration_id, module.as_str(), list],
            staged_row,
        )?;
        let mut staged = HashMap::with_capacity(ids.len());
        for row in rows {
            let row = row?;
            staged.insert(row.id, row);
        }
        Ok(staged)
    }

    fn staged_by_external_id(
        &self,
        module: Module,
        external_id: &str,
    ) -> rusqlite::Result<Option<Staged>> {
        self.staged_where(
            "SELECT id, external_id, label, status, removed_at_source, data, checksum
             FROM staged_records WHERE integration_id = ?1 AND module = ?2 AND external_id = ?3",
            module,
            external_id,
        )
    }

    /// One staged record, by `sql` over (integration, module, `value`).
    fn staged_where(
        &self,
        sql: &'static str,
        module: Module,
        value: impl rusqlite::ToSql,
    ) -> rusqlite::Result<Option<Staged>> {
        self.tx
            .prepare_cached(sql)?
            .query_row(
                params![self.integration_id, module.as_str(), value],
                staged_row,
            )
            .optional()
    }
}

/// A staged record from `SELECT id, external_id, label, status,
/// removed_at_source, data, checksum`.
fn staged_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Staged> {
    let status: String = r.get(3)?;
    let data: String = r.get(5)?;
    Ok(Staged {
        id: r.get(0)?,
        external_id: r.get(1)?,
        label: r.get(2)?,
        status: StagedStatus::parse(&status).unwrap_or(StagedStatus::New),
        removed: r.get(4)?,
        data: serde_json::from_str(&data).unwrap_or(Value::Null),
        data_text: data,
        checksum: r.get(6)?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Linked,
    Deactivated,
    Unchanged,
}

/// A local record's draft, of whichever kind.
#[derive(Debug, Clone)]
enum Draft {
    Employee(EmployeeDraft),
    Customer(CustomerDraft),
    Job(JobDraft),
    Task(TaskDraft),
    TimeEntry(TimeEntryDraft),
    Budget(BudgetDraft),
    PayItem(PayIdDraft),
}

impl Draft {
    fn to_value(&self) -> Value {
        let value = match self {
            Draft::Employee(d) => serde_json::to_value(d),
            Draft::Customer(d) => serde_json::to_value(d),
            Draft::Job(d) => serde_json::to_value(d),
            Draft::Task(d) => serde_json::to_value(d),
            Draft::TimeEntry(d) => serde_json::to_value(d),
            Draft::Budget(d) => serde_json::to_value(d),
            Draft::PayItem(d) => serde_json::to_value(d),
        };
        value.unwrap_or(Value::Null)
    }

    fn from_value(module: Module, value: Value) -> Result<Draft> {
        let bad = |e: serde_json::Error| {
            Error::Internal(format!("a merged record could not be read back: {e}"))
        };
        Ok(match module {
            Module::Employees => Draft::Employee(serde_json::from_value(value).map_err(bad)?),
            Module::Customers => Draft::Customer(serde_json::from_value(value).map_err(bad)?),
            Module::Jobs => Draft::Job(serde_json::from_value(value).map_err(bad)?),
            Module::Tasks => Draft::Task(serde_json::from_value(value).map_err(bad)?),
            Module::TimeEntries => Draft::TimeEntry(serde_json::from_value(value).map_err(bad)?),
            Module::Budgets => Draft::Budget(serde_json::from_value(value).map_err(bad)?),
            Module::PayItems => Draft::PayItem(serde_json::from_value(value).map_err(bad)?),
        })
    }
}

fn kind_of(module: Module) -> RecordKind {
    match module {
        Module::Employees => RecordKind::Employee,
        Module::Customers => RecordKind::Customer,
        Module::Jobs => RecordKind::Job,
        Module::Tasks => RecordKind::Task,
        Module::TimeEntries => RecordKind::TimeEntry,
        Module::Budgets => RecordKind::Budget,
        Module::PayItems => RecordKind::PayId,
    }
}

fn create(
    tx: &Transaction<'_>,
    module: Module,
    draft: &Draft,
    source: &NewRecordSource,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64> {
    use records::insert_record as insert;
    use records::{budgets, customers, employees, jobs, pay_ids, tasks, time_entries};
    let _ = module;
    // Checked like a record made by hand; logged once for the whole import.
    match draft {
        Draft::Employee(d) => insert::<employees::Employees>(tx, d, source, actor, now),
        Draft::Customer(d) => insert::<customers::Customers>(tx, d, source, actor, now),
        Draft::Job(d) => insert::<jobs::Jobs>(tx, d, source, actor, now),
        Draft::Task(d) => insert::<tasks::Tasks>(tx, d, source, actor, now),
        Draft::TimeEntry(d) => insert::<time_entries::TimeEntries>(tx, d, source, actor, now),
        Draft::Budget(d) => insert::<budgets::Budgets>(tx, d, source, actor, now),
        Draft::PayItem(d) => insert::<pay_ids::PayIds>(tx, d, source, actor, now),
    }
}

fn update(
    tx: &Transaction<'_>,
    module: Module,
    id: i64,
    draft: &Draft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let _ = module;
    match draft {
        Draft::Employee(d) => drop(records::employees::update(tx, id, d, actor, now)?),
        Draft::Customer(d) => drop(records::customers::update(tx, id, d, actor, now)?),
        Draft::Job(d) => drop(records::jobs::update(tx, id, d, actor, now)?),
        Draft::Task(d) => drop(records::tasks::update(tx, id, d, actor, now)?),
        Draft::TimeEntry(d) => drop(records::time_entries::update(tx, id, d, actor, now)?),
        Draft::Budget(d) => drop(records::budgets::update(tx, id, d, actor, now)?),
        Draft::PayItem(d) => drop(records::pay_ids::update(tx, id, d, actor, now)?),
    }
    Ok(())
}

fn set_active(
    tx: &Transaction<'_>,
    module: Module,
    id: i64,
    active: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    match module {
        Module::Employees => drop(records::employees::set_active(tx, id, active, actor, now)?),
        Module::Customers => drop(records::customers::set_active(tx, id, active, actor, now)?),
        Module::Jobs => drop(records::jobs::set_active(tx, id, active, actor, now)?),
        Module::Tasks => drop(records::tasks::set_active(tx, id, active, actor, now)?),
        Module::TimeEntries => drop(records::time_entries::set_active(
            tx, id, active, actor, now,
        )?),
        Module::Budgets => drop(records::budgets::set_active(tx, id, active, actor, now)?),
        Module::PayItems => drop(records::pay_ids::set_active(tx, id, active, actor, now)?),
    }
    Ok(())
}

fn local_draft(tx: &Transaction<'_>, module: Module, id: i64) -> Result<Draft> {
    use records::{budgets, customers, employees, jobs, pay_ids, tasks, time_entries};
    Ok(match module {
        Module::Employees => {
            Draft::Employee(employees::Employees::draft_of(&employees::get(tx, id)?))
        }
        Module::Customers => {
            Draft::Customer(customers::Customers::draft_of(&customers::get(tx, id)?))
        }
        Module::Jobs => Draft::Job(jobs::Jobs::draft_of(&jobs::get(tx, id)?)),
        Module::Tasks => Draft::Task(tasks::Tasks::draft_of(&tasks::get(tx, id)?)),
        Module::TimeEntries => Draft::TimeEntry(time_entries::TimeEntries::draft_of(
            &time_entries::get(tx, id)?,
        )),
        Module::Budgets => Draft::Budget(budgets::Budgets::draft_of(&budgets::get(tx, id)?)),
        Module::PayItems => Draft::PayItem(pay_ids::PayIds::draft_of(&pay_ids::get(tx, id)?)),
    })
}

fn local_updated_at(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
) -> rusqlite::Result<DateTime<Utc>> {
    tx.prepare_cached(&format!(
        "SELECT updated_at FROM {} WHERE id = ?1",
        kind.table()
    ))?
    .query_row([id], |r| time::column(r, "updated_at"))
}

/// Ties a local record to the integration record it was linked with.
fn set_source(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
    integration_id: i64,
    external_id: &str,
) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE {} SET source_kind = 'imported', source_integration_id = ?2, source_external_id = ?3 WHERE id = ?1",
            kind.table()
        ),
        params![id, integration_id, external_id],
    )
    .map_err(|e| records::map_unique(e, "link"))?;
    Ok(())
}
