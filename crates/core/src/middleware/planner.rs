//! The planner: a pure function from an incoming record, its staged row and
//! its binding to the status it should have and what to write.
//!
//! - Archived by the admin: stays Archived, whatever arrives.
//! - Never imported (no binding): New.
//! - Imported, and the incoming data is what was imported: Imported.
//! - Imported, and the data changed at the source since: Updated, with the
//!   changed fields from [`diff`].
//!
//! A staged row whose checksum, status and removal flag already match is
//! left alone: re-syncing unchanged data writes nothing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The status of a staged record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StagedStatus {
    New,
    Updated,
    Imported,
    Archived,
}

impl StagedStatus {
    pub const ALL: [StagedStatus; 4] = [
        StagedStatus::New,
        StagedStatus::Updated,
        StagedStatus::Imported,
        StagedStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StagedStatus::New => "new",
            StagedStatus::Updated => "updated",
            StagedStatus::Imported => "imported",
            StagedStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<StagedStatus> {
        StagedStatus::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

/// What the staged row holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedState {
    pub checksum: String,
    pub status: StagedStatus,
    pub archived: bool,
    pub removed_at_source: bool,
}

/// How this sync changed the record, for the run's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Seen for the first time.
    New,
    /// The data differs from what was staged.
    Updated,
    Unchanged,
}

/// What to do with one incoming record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Insert,
    Update,
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub status: StagedStatus,
    pub change: Change,
    pub write: Write,
}

/// The status a record should have, given its archive flag and the checksum
/// of what was last imported.
pub fn status_for(checksum: &str, archived: bool, bound_checksum: Option<&str>) -> StagedStatus {
    match (archived, bound_checksum) {
        (true, _) => StagedStatus::Archived,
        (false, None) => StagedStatus::New,
        (false, Some(bound)) if bound == checksum => StagedStatus::Imported,
        (false, Some(_)) => StagedStatus::Updated,
    }
}

/// Decides the status of an incoming record and what to write.
pub fn plan(checksum: &str, staged: Option<&StagedState>, bound_checksum: Option<&str>) -> Plan {
    let archived = staged.is_some_and(|s| s.archived);
    let status = status_for(checksum, archived, bound_checksum);
    match staged {
        None => Plan {
            status,
            change: Change::New,
            write: Write::Insert,
        },
        Some(row) => {
            let change = if row.checksum == checksum {
                Change::Unchanged
            } else {
                Change::Updated
            };
            let current =
                change == Change::Unchanged && row.status == status && !row.removed_at_source;
            Plan {
                status,
                change,
                write: if current {
                    Write::Nothing
                } else {
                    Write::Update
                },
            }
        }
    }
}

/// One field that differs between what was imported and what arrived.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldChange {
    pub field: String,
    #[ts(type = "unknown")]
    pub imported: serde_json::Value,
    #[ts(type = "unknown")]
    pub incoming: serde_json::Value,
}

/// The fields of `incoming` that differ from `imported` (top-level fields;
/// a field missing on one side reads as null).
pub fn diff(imported: &serde_json::Value, incoming: &serde_json::Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let old = imported.as_object().unwrap_or(&empty);
    let new = incoming.as_object().unwrap_or(&empty);
    let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let (a, b) = (
                old.get(field).unwrap_or(&serde_json::Value::Null),
                new.get(field).unwrap_or(&serde_json::Value::Null),
            );
            (a != b).then(|| FieldChange {
                field: field.clone(),
                imported: a.clone(),
                incoming: b.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(checksum: &str, status: StagedStatus, archived: bool) -> StagedState {
        StagedState {
            checksum: checksum.into(),
            status,
            archived,
            removed_at_source: false,
        }
    }

    #[test]
    fn a_record_never_seen_and_never_imported_is_new_and_inserted() {
        assert_eq!(
            plan("a", None, None),
            Plan {
                status: StagedStatus::New,
                change: Change::New,
                write: Write::Insert
            },
            "first sight of a record inserts it as New"
        );
    }

    #[test]
    fn a_record_that_changed_since_it_was_imported_is_updated() {
        let row = staged("a", StagedStatus::Imported, false);
        let plan = plan("b", Some(&row), Some("a"));
        assert_eq!(
            (plan.status, plan.change, plan.write),
            (StagedStatus::Updated, Change::Updated, Write::Update),
            "new data over an imported record makes it Updated"
        );
    }

    #[test]
    fn a_record_that_changed_back_to_what_was_imported_is_imported_again() {
        let row = staged("b", StagedStatus::Updated, false);
        assert_eq!(
            plan("a", Some(&row), Some("a")).status,
            StagedStatus::Imported,
            "if the source reverts the edit, the local copy is current again"
        );
    }

    #[test]
    fn an_archived_record_stays_archived_but_keeps_its_data_current() {
        let row = staged("a", StagedStatus::Archived, true);
        let plan = plan("b", Some(&row), None);
        assert_eq!(
            (plan.status, plan.write),
            (StagedStatus::Archived, Write::Update),
            "archiving survives syncs; the data is still refreshed for when it is unarchived"
        );
    }

    #[test]
    fn an_unchanged_record_writes_nothing() {
        let row = staged("a", StagedStatus::New, false);
        assert_eq!(
            plan("a", Some(&row), None).write,
            Write::Nothing,
            "a re-sync of unchanged data must not touch the row"
        );
    }

    #[test]
    fn a_record_back_after_removal_at_the_source_is_rewritten() {
        let mut row = staged("a", StagedStatus::New, false);
        row.removed_at_source = true;
        assert_eq!(
            plan("a", Some(&row), None).write,
            Write::Update,
            "it reappeared, so the removed flag must be cleared"
        );
    }

    #[test]
    fn the_diff_lists_only_changed_fields_with_old_beside_new() {
        let imported = serde_json::json!({"first_name": "Rosa", "email": null, "active": true});
        let incoming =
            serde_json::json!({"first_name": "Rosa", "email": "rosa@example.com", "active": true});
        assert_eq!(
            diff(&imported, &incoming),
            vec![FieldChange {
                field: "email".into(),
                imported: serde_json::Value::Null,
                incoming: serde_json::json!("rosa@example.com"),
            }],
            "only the e-mail changed"
        );
    }
}
