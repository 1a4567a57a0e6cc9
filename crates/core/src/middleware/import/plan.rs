//! What to do with one staged record, decided without the database.
//!
//! From what the staged record says (its status, whether the source removed
//! it, its data as a local draft), the local record it is tied to or may be
//! linked to, the values imported last time and the admin's decisions, the
//! plan picks one [`Action`]: create, update, link, deactivate, leave it
//! unchanged, or hold it back (a look-alike to decide on, a hand-edit
//! conflict, a reason to skip). The importer gathers those facts and applies
//! the action in its transaction (`record.rs`); every merge rule for
//! hand-edited records lives here.

use serde_json::Value;

use super::drafts::{Draft, kind_of};
use super::{ConflictField, ImportConflict, ImportOptions, LinkChoice, LinkSuggestion, Winner};
use crate::error::Result;
use crate::middleware::Module;
use crate::middleware::planner::StagedStatus;

/// The staged record, as far as the plan needs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct StagedRecord<'a> {
    pub(super) id: i64,
    pub(super) label: &'a str,
    pub(super) status: StagedStatus,
    /// Removed at the source.
    pub(super) removed: bool,
}

/// The local record a staged record's binding ties it to, when that record
/// still exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bound {
    pub(super) local_id: i64,
    /// Active now (a time entry: not voided).
    pub(super) active: bool,
}

/// The staged data as a local draft, its references resolved.
#[derive(Debug, Clone)]
pub(super) struct Incoming {
    pub(super) draft: Draft,
    /// Whether the source has it active.
    pub(super) active: bool,
}

/// A bound local record edited by hand since it was imported: what it
/// holds now, and what was imported into it.
#[derive(Debug, Clone)]
pub(super) struct HandEdits {
    pub(super) local: Draft,
    /// The binding's snapshot, as a draft.
    pub(super) imported: Draft,
}

/// The local side of a staged record that is not removed and not settled
/// by its status alone.
#[derive(Debug, Clone)]
pub(super) enum Local {
    /// Tied to it by its binding.
    Bound {
        record: Bound,
        /// `None` when it was not edited since it was imported.
        edits: Option<HandEdits>,
    },
    /// Not tied to it yet.
    Unbound {
        /// The local record it looks like, looked for only when the admin
        /// has not decided how to link it.
        look_alike: Option<LinkSuggestion>,
        /// Whether the record [`link_target`] names is active; `None` when
        /// there is none, or it no longer exists.
        link_target_active: Option<bool>,
    },
}

/// Which incoming values an update takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Taken {
    /// All of them: the local record was not edited since the import.
    Everything,
    /// Only these fields (changed at the source, or settled for it); the
    /// others keep what was typed in Timebridge.
    Fields(Vec<String>),
}

/// What the import does with one staged record.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Action {
    /// Create a local record, deactivated at once if `active` is false.
    Create { draft: Draft, active: bool },
    /// Save `draft` over the bound local record, then set it active or
    /// inactive if `set_active` says so.
    Update {
        local_id: i64,
        draft: Draft,
        taken: Taken,
        set_active: Option<bool>,
    },
    /// Tie the existing local record to it and save the incoming draft over
    /// it, then set it active or inactive if `set_active` says so.
    Link {
        local_id: i64,
        draft: Draft,
        set_active: Option<bool>,
    },
    /// Removed at the source: deactivate the bound record (if it is still
    /// active) and record the removal in its binding.
    Deactivate { local_id: i64, was_active: bool },
    /// Already imported as it is.
    Unchanged,
    /// It looks like an existing local record: the admin decides.
    NeedsLink(LinkSuggestion),
    /// Fields changed both by hand and at the source: the admin decides.
    Conflict(ImportConflict),
    /// Not imported, and why.
    Skip(String),
}

/// The action the staged record's status and binding settle on their own,
/// before its data is read: its references are then only resolved (and
/// the records they need imported along) when it is going to be written.
pub(super) fn plan_without_data(staged: &StagedRecord<'_>, bound: Option<Bound>) -> Option<Action> {
    if staged.status == StagedStatus::Archived {
        return Some(Action::Skip(
            "It is archived. Unarchive it to import it.".into(),
        ));
    }
    if staged.removed {
        return Some(match bound {
            Some(bound) => Action::Deactivate {
                local_id: bound.local_id,
                was_active: bound.active,
            },
            None => Action::Skip(
                "It was removed at the source before it was ever imported: there is nothing to import."
                    .into(),
            ),
        });
    }
    if staged.status == StagedStatus::Imported && bound.is_some() {
        return Some(Action::Unchanged);
    }
    None
}

/// The existing local record an unbound staged record is to be linked to:
/// the one the admin chose, or, when asked to take suggested links, the
/// one it looks like.
pub(super) fn link_target(
    staged_id: i64,
    options: &ImportOptions,
    look_alike: Option<&LinkSuggestion>,
) -> Option<i64> {
    match options.links.get(&staged_id) {
        Some(LinkChoice::Existing { local_id }) => Some(*local_id),
        Some(LinkChoice::CreateNew) => None,
        None => look_alike
            .filter(|_| options.link_suggested)
            .map(|suggestion| suggestion.local_id),
    }
}

/// What to do with one staged record.
pub(super) fn plan(
    module: Module,
    staged: &StagedRecord<'_>,
    incoming: Incoming,
    local: Local,
    options: &ImportOptions,
) -> Result<Action> {
    let bound = match &local {
        Local::Bound { record, .. } => Some(*record),
        Local::Unbound { .. } => None,
    };
    if let Some(action) = plan_without_data(staged, bound) {
        return Ok(action);
    }
    let change = |active_now: bool| (active_now != incoming.active).then_some(incoming.active);
    match local {
        Local::Bound { record, edits } => {
            let set_active = change(record.active);
            match edits {
                None => Ok(Action::Update {
                    local_id: record.local_id,
                    draft: incoming.draft,
                    taken: Taken::Everything,
                    set_active,
                }),
                Some(edits) => merge(
                    module,
                    staged,
                    record.local_id,
                    &incoming.draft,
                    edits,
                    options,
                )
                .map(|merged| match merged {
                    Merged::Taken(draft, taken) => Action::Update {
                        local_id: record.local_id,
                        draft,
                        taken,
                        set_active,
                    },
                    Merged::Conflict(conflict) => Action::Conflict(conflict),
                }),
            }
        }
        Local::Unbound {
            look_alike,
            link_target_active,
        } => {
            if let Some(local_id) = link_target(staged.id, options, look_alike.as_ref()) {
                let Some(active_now) = link_target_active else {
                    return Ok(Action::Skip(format!(
                        "The {} chosen to link to no longer exists.",
                        kind_of(module).label()
                    )));
                };
                return Ok(Action::Link {
                    local_id,
                    set_active: change(active_now),
                    draft: incoming.draft,
                });
            }
            match look_alike {
                Some(suggestion) if !options.links.contains_key(&staged.id) => {
                    Ok(Action::NeedsLink(suggestion))
                }
                _ => Ok(Action::Create {
                    draft: incoming.draft,
                    active: incoming.active,
                }),
            }
        }
    }
}

/// What merging hand edits with the incoming values gives.
enum Merged {
    Taken(Draft, Taken),
    Conflict(ImportConflict),
}

/// The incoming draft merged field by field with the hand edits: a field
/// changed only at the source is taken, one changed only by hand is kept,
/// one changed on both sides (to different values) is a conflict unless
/// the admin settled it.
fn merge(
    module: Module,
    staged: &StagedRecord<'_>,
    local_id: i64,
    incoming: &Draft,
    edits: HandEdits,
    options: &ImportOptions,
) -> Result<Merged> {
    let (local_v, imported_v, incoming_v) = (
        edits.local.to_value(),
        edits.imported.to_value(),
        incoming.to_value(),
    );
    let mut merged = local_v.clone();
    let mut taken = Vec::new();
    let mut conflicts = Vec::new();
    if let (Some(merged), Some(incoming_map)) = (merged.as_object_mut(), incoming_v.as_object()) {
        for (field, new) in incoming_map {
            let old = imported_v.get(field).unwrap_or(&Value::Null);
            let mine = local_v.get(field).unwrap_or(&Value::Null);
            if new == old || new == mine {
                continue; // unchanged at the source, or both agree
            }
            if mine == old {
                merged.insert(field.clone(), new.clone());
                taken.push(field.clone());
                continue; // changed only at the source
            }
            match options.resolutions.get(&staged.id) {
                Some(Winner::Incoming) => {
                    merged.insert(field.clone(), new.clone());
                    taken.push(field.clone());
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
        return Ok(Merged::Conflict(ImportConflict {
            staged_id: staged.id,
            label: staged.label.to_owned(),
            local_id,
            fields: conflicts,
        }));
    }
    Ok(Merged::Taken(
        Draft::from_value(module, merged)?,
        Taken::Fields(taken),
    ))
}

#[cfg(test)]
mod tests;
