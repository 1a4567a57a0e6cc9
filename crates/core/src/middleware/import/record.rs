//! One staged record imported: the facts its plan needs gathered, the
//! plan's action applied inside its savepoint, its outcome counted, and
//! the dependencies it brings along.

use serde_json::Value;

use super::bindings::{Binding, Staged};
use super::drafts::{
    create, kind_of, local_draft, local_updated_at, set_active, set_source, update,
};
use super::plan::{
    Action, Bound, HandEdits, Local, StagedRecord, link_target, plan, plan_without_data,
};
use super::{AlsoImported, HeldBack, ImportSummary, Importer, Outcome, Skipped, Stop};
use crate::error::Result;
use crate::middleware::Module;
use crate::middleware::payloads::StagedWage;
use crate::records::{self, NewRecordSource};

impl<'a> Importer<'a> {
    /// One record, never half-written: its writes are inside a savepoint
    /// that is rolled back if any part of it fails. The savepoint is only
    /// opened ahead of a write a later failure could strand (a dependency
    /// imported along, an update, an activation change): a plain create is
    /// one statement, which SQLite already makes all-or-nothing, and saving
    /// every page it touches for a rollback that cannot come was a tenth
    /// of a large import.
    pub(super) fn import_one(
        &mut self,
        module: Module,
        staged: &Staged,
        as_dependency: bool,
    ) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
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
                    Stop::HeldBack(reason, module, suggestion) => {
                        undone.skipped.push(Skipped {
                            staged_id: staged.id,
                            label: staged.label.clone(),
                            reason,
                        });
                        undone.held_back.push(HeldBack {
                            module,
                            suggestion,
                            staged_ids: vec![staged.id],
                        });
                    }
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

    /// Gathers what the plan needs (the binding, the incoming draft, the
    /// hand edits, a look-alike), plans the record and applies the plan.
    /// Its references are resolved only when the plan cannot settle it
    /// without its data.
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
        let record = StagedRecord {
            id: staged.id,
            label: &staged.label,
            status: staged.status,
            removed: staged.removed,
        };
        let bound_now = bound.as_ref().map(|(binding, active)| Bound {
            local_id: binding.local_id,
            active: *active,
        });
        if let Some(action) = plan_without_data(&record, bound_now) {
            let outcome = self.apply(module, staged, action)?;
            self.import_wages(module, staged, outcome)?;
            return Ok(outcome);
        }
        let incoming = self.incoming(module, &staged.data, summary)?;
        let local = match bound {
            Some((binding, active)) => Local::Bound {
                record: Bound {
                    local_id: binding.local_id,
                    active,
                },
                edits: self.hand_edits(module, &binding, summary)?,
            },
            None => {
                let look_alike = if self.options.links.contains_key(&staged.id) {
                    None
                } else {
                    self.look_alike(module, staged, &incoming.draft)?
                };
                let link_target_active =
                    match link_target(staged.id, self.options, look_alike.as_ref()) {
                        Some(local_id) => records::is_active(self.tx, kind, local_id)?,
                        None => None,
                    };
                Local::Unbound {
                    look_alike,
                    link_target_active,
                }
            }
        };
        let action = plan(module, &record, incoming, local, self.options)?;
        let outcome = self.apply(module, staged, action)?;
        self.import_wages(module, staged, outcome)?;
        Ok(outcome)
    }

    /// An imported employee's wage history (busybusy's), made the wages
    /// job costing reads; a platform that sends none leaves them be, and so
    /// does an employee removed at the source.
    fn import_wages(
        &mut self,
        module: Module,
        staged: &Staged,
        outcome: Outcome,
    ) -> std::result::Result<(), Stop> {
        if module != Module::Employees || outcome == Outcome::Deactivated {
            return Ok(());
        }
        let Some(sent) = staged.data.get("wages") else {
            return Ok(());
        };
        let Ok(wages) = serde_json::from_value::<Vec<StagedWage>>(sent.clone()) else {
            return Ok(());
        };
        let Some(binding) = self.binding(module, &staged.external_id)? else {
            return Ok(());
        };
        if crate::costing::wages::replace_imported(
            self.tx,
            binding.local_id,
            self.integration_id,
            &wages,
            self.actor,
            self.now,
        )? {
            self.wages_changed.push(binding.local_id);
        }
        Ok(())
    }

    /// The bound local record's hand edits since it was imported, if it
    /// was edited: what it holds now and its binding's snapshot, both as
    /// drafts (the snapshot's references resolved like the incoming ones).
    fn hand_edits(
        &mut self,
        module: Module,
        binding: &Binding,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Option<HandEdits>, Stop> {
        if local_updated_at(self.tx, kind_of(module), binding.local_id)? <= binding.imported_at {
            return Ok(None);
        }
        let local = local_draft(self.tx, module, binding.local_id)?;
        let imported = self.draft(module, &binding.snapshot, summary)?;
        Ok(Some(HandEdits { local, imported }))
    }

    /// Performs the plan's action. The savepoint is opened ahead of the
    /// writes a later failure could strand: everything but a create of an
    /// active record, which is one statement.
    fn apply(
        &mut self,
        module: Module,
        staged: &Staged,
        action: Action,
    ) -> std::result::Result<Outcome, Stop> {
        let (local_id, outcome, set_active_to) = match action {
            Action::Skip(reason) => return Err(Stop::Skip(reason)),
            Action::NeedsLink(suggestion) => return Err(Stop::NeedsLink(suggestion)),
            Action::Conflict(conflict) => return Err(Stop::Conflict(conflict)),
            Action::Unchanged => return Ok(Outcome::Unchanged),
            Action::Deactivate {
                local_id,
                was_active,
            } => {
                self.savepoint()?;
                if was_active {
                    set_active(self.tx, module, local_id, false, self.actor, self.now)?;
                }
                self.bind(module, staged, local_id)?;
                return Ok(Outcome::Deactivated);
            }
            Action::Update {
                local_id,
                draft,
                set_active,
                taken: _,
            } => {
                self.savepoint()?;
                update(self.tx, module, local_id, &draft, self.actor, self.now)?;
                (local_id, Outcome::Updated, set_active)
            }
            Action::Link {
                local_id,
                draft,
                set_active,
            } => {
                self.savepoint()?;
                update(self.tx, module, local_id, &draft, self.actor, self.now)?;
                set_source(
                    self.tx,
                    kind_of(module),
                    local_id,
                    self.integration_id,
                    &staged.external_id,
                )?;
                (local_id, Outcome::Linked, set_active)
            }
            Action::Create { draft, active } => {
                if !active {
                    self.savepoint()?; // deactivated once created
                }
                let source = NewRecordSource::Imported {
                    integration_id: self.integration_id,
                    external_id: staged.external_id.clone(),
                };
                let id = create(self.tx, module, &draft, &source, self.actor, self.now)?;
                (id, Outcome::Created, (!active).then_some(false))
            }
        };
        if let Some(active) = set_active_to {
            set_active(self.tx, module, local_id, active, self.actor, self.now)?;
        }
        self.bind(module, staged, local_id)?;
        Ok(outcome)
    }

    /// The local id of the record `data[field]` refers to in `module`.
    pub(super) fn reference(
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
            let reason = format!(
                "Its {what} \"{}\" could not be imported: {why}",
                staged.label
            );
            // A look-alike holds this record back, itself or further down.
            let look_alike = dependency
                .needs_link
                .into_iter()
                .next()
                .map(|suggestion| (module, suggestion))
                .or_else(|| {
                    dependency
                        .held_back
                        .into_iter()
                        .next()
                        .map(|h| (h.module, h.suggestion))
                });
            return Err(match look_alike {
                Some((module, suggestion)) => Stop::HeldBack(reason, module, suggestion),
                None => Stop::Skip(reason),
            });
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
}
