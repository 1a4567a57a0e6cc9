//! One staged record imported: its savepoint, its outcome, hand edits
//! merged, and the dependencies it brings along.

use serde_json::Value;

use super::bindings::{Binding, Staged};
use super::drafts::{
    Draft, create, kind_of, local_draft, local_updated_at, set_active, set_source, update,
};
use super::{
    AlsoImported, ConflictField, HeldBack, ImportConflict, ImportSummary, Importer, LinkChoice,
    Outcome, Skipped, Stop, Winner,
};
use crate::error::Result;
use crate::middleware::Module;
use crate::middleware::planner::StagedStatus;
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
            None => {
                let choice = match self.options.links.get(&staged.id) {
                    Some(choice) => Some(*choice),
                    None => match self.look_alike(module, staged, &incoming)? {
                        Some(suggestion) if self.options.link_suggested => {
                            Some(LinkChoice::Existing {
                                local_id: suggestion.local_id,
                            })
                        }
                        Some(suggestion) => return Err(Stop::NeedsLink(suggestion)),
                        None => None,
                    },
                };
                match choice {
                    Some(LinkChoice::Existing { local_id }) => {
                        let Some(active_now) = records::is_active(self.tx, kind, local_id)? else {
                            return Err(Stop::Skip(format!(
                                "The {} chosen to link to no longer exists.",
                                kind.label()
                            )));
                        };
                        self.savepoint()?;
                        update(self.tx, module, local_id, &incoming, self.actor, self.now)?;
                        set_source(
                            self.tx,
                            kind,
                            local_id,
                            self.integration_id,
                            &staged.external_id,
                        )?;
                        (local_id, Outcome::Linked, active_now)
                    }
                    Some(LinkChoice::CreateNew) | None => {
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
                }
            }
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
