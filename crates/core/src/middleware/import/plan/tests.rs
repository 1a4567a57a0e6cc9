//! The plan's merge rules, one table row per rule, without a database.

use std::collections::HashMap;

use super::*;
use crate::records::customers::CustomerDraft;

const STAGED_ID: i64 = 1;
const BOUND_ID: i64 = 7;
const LOOK_ALIKE_ID: i64 = 9;

fn customer(name: &str, email: &str) -> Draft {
    Draft::Customer(CustomerDraft {
        name: name.into(),
        email: Some(email.into()),
        phone: None,
    })
}

fn incoming(draft: Draft) -> Incoming {
    Incoming {
        draft,
        active: true,
    }
}

fn bound(active: bool) -> Local {
    Local::Bound {
        record: Bound {
            local_id: BOUND_ID,
            active,
        },
        edits: None,
    }
}

/// Bound to a record edited by hand: `local` is what it holds now,
/// `imported` what was imported into it.
fn edited(local: Draft, imported: Draft) -> Local {
    Local::Bound {
        record: Bound {
            local_id: BOUND_ID,
            active: true,
        },
        edits: Some(HandEdits { local, imported }),
    }
}

fn unbound(look_alike: Option<LinkSuggestion>, link_target_active: Option<bool>) -> Local {
    Local::Unbound {
        look_alike,
        link_target_active,
    }
}

fn suggestion() -> LinkSuggestion {
    LinkSuggestion {
        staged_id: STAGED_ID,
        label: "Acme".into(),
        local_id: LOOK_ALIKE_ID,
        local_label: "ACME".into(),
        matched_on: "name".into(),
    }
}

fn options() -> ImportOptions {
    ImportOptions::default()
}

fn linking(choice: LinkChoice) -> ImportOptions {
    ImportOptions {
        links: HashMap::from([(STAGED_ID, choice)]),
        ..ImportOptions::default()
    }
}

fn settling(winner: Winner) -> ImportOptions {
    ImportOptions {
        resolutions: HashMap::from([(STAGED_ID, winner)]),
        ..ImportOptions::default()
    }
}

fn update(draft: Draft, taken: Taken) -> Action {
    Action::Update {
        local_id: BOUND_ID,
        draft,
        taken,
        set_active: None,
    }
}

fn fields(names: &[&str]) -> Taken {
    Taken::Fields(names.iter().map(|&n| n.to_owned()).collect())
}

fn skip(reason: &str) -> Action {
    Action::Skip(reason.into())
}

/// One merge rule: the record's status, whether the source removed it, the
/// incoming draft, the local side, the options, and the action it gives.
struct Rule {
    why: &'static str,
    status: StagedStatus,
    removed: bool,
    incoming: Incoming,
    local: Local,
    options: ImportOptions,
    expect: Action,
}

fn rules() -> Vec<Rule> {
    use StagedStatus::{Archived, Imported, New, Updated};
    let acme = || customer("Acme", "a@acme.test");
    vec![
        Rule {
            why: "an archived record is skipped until it is unarchived",
            status: Archived,
            removed: false,
            incoming: incoming(acme()),
            local: bound(true),
            options: options(),
            expect: skip("It is archived. Unarchive it to import it."),
        },
        Rule {
            why: "a record removed before it was ever imported has nothing to import",
            status: Updated,
            removed: true,
            incoming: incoming(acme()),
            local: unbound(None, None),
            options: options(),
            expect: skip(
                "It was removed at the source before it was ever imported: there is nothing to import.",
            ),
        },
        Rule {
            why: "a bound record removed at the source is deactivated, never deleted",
            status: Updated,
            removed: true,
            incoming: incoming(acme()),
            local: bound(true),
            options: options(),
            expect: Action::Deactivate {
                local_id: BOUND_ID,
                was_active: true,
            },
        },
        Rule {
            why: "a removal of a record already inactive only records the removal",
            status: Updated,
            removed: true,
            incoming: incoming(acme()),
            local: bound(false),
            options: options(),
            expect: Action::Deactivate {
                local_id: BOUND_ID,
                was_active: false,
            },
        },
        Rule {
            why: "importing an Imported, bound record changes nothing",
            status: Imported,
            removed: false,
            incoming: incoming(acme()),
            local: bound(true),
            options: options(),
            expect: Action::Unchanged,
        },
        Rule {
            why: "an Imported record whose local record is gone is created again",
            status: Imported,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(None, None),
            options: options(),
            expect: Action::Create {
                draft: acme(),
                active: true,
            },
        },
        Rule {
            why: "a bound record not edited by hand takes every incoming value",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme Inc", "a@acme.test")),
            local: bound(true),
            options: options(),
            expect: update(customer("Acme Inc", "a@acme.test"), Taken::Everything),
        },
        Rule {
            why: "a field changed only at the source is taken, the hand edit elsewhere kept",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme Inc", "a@acme.test")),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: options(),
            expect: update(customer("Acme Inc", "b@acme.test"), fields(&["name"])),
        },
        Rule {
            why: "a field changed only by hand is kept",
            status: Updated,
            removed: false,
            incoming: incoming(acme()),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: options(),
            expect: update(customer("Acme", "b@acme.test"), fields(&[])),
        },
        Rule {
            why: "a field changed on both sides to the same value is no conflict",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme", "b@acme.test")),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: options(),
            expect: update(customer("Acme", "b@acme.test"), fields(&[])),
        },
        Rule {
            why: "a field changed on both sides differently is a conflict for the admin",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme", "c@acme.test")),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: options(),
            expect: Action::Conflict(ImportConflict {
                staged_id: STAGED_ID,
                label: "Acme".into(),
                local_id: BOUND_ID,
                fields: vec![ConflictField {
                    field: "email".into(),
                    imported: "a@acme.test".into(),
                    local: "b@acme.test".into(),
                    incoming: "c@acme.test".into(),
                }],
            }),
        },
        Rule {
            why: "a conflict settled for the source takes the incoming value",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme", "c@acme.test")),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: settling(Winner::Incoming),
            expect: update(customer("Acme", "c@acme.test"), fields(&["email"])),
        },
        Rule {
            why: "a conflict settled for Timebridge keeps the hand edit",
            status: Updated,
            removed: false,
            incoming: incoming(customer("Acme", "c@acme.test")),
            local: edited(customer("Acme", "b@acme.test"), acme()),
            options: settling(Winner::Local),
            expect: update(customer("Acme", "b@acme.test"), fields(&[])),
        },
        Rule {
            why: "linking to the chosen existing record saves the incoming values over it",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(None, Some(true)),
            options: linking(LinkChoice::Existing { local_id: 3 }),
            expect: Action::Link {
                local_id: 3,
                draft: acme(),
                set_active: None,
            },
        },
        Rule {
            why: "a link to a record that no longer exists is skipped",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(None, None),
            options: linking(LinkChoice::Existing { local_id: 3 }),
            expect: skip("The customer chosen to link to no longer exists."),
        },
        Rule {
            why: "choosing to create a new record creates it, look-alike or not",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(Some(suggestion()), None),
            options: linking(LinkChoice::CreateNew),
            expect: Action::Create {
                draft: acme(),
                active: true,
            },
        },
        Rule {
            why: "asked to take suggested links, a look-alike is linked to",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(Some(suggestion()), Some(true)),
            options: ImportOptions {
                link_suggested: true,
                ..ImportOptions::default()
            },
            expect: Action::Link {
                local_id: LOOK_ALIKE_ID,
                draft: acme(),
                set_active: None,
            },
        },
        Rule {
            why: "a look-alike without a decision waits for the admin",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(Some(suggestion()), None),
            options: options(),
            expect: Action::NeedsLink(suggestion()),
        },
        Rule {
            why: "a new record like no local one is created",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(None, None),
            options: options(),
            expect: Action::Create {
                draft: acme(),
                active: true,
            },
        },
        Rule {
            why: "a record inactive at the source is created, then deactivated",
            status: New,
            removed: false,
            incoming: Incoming {
                draft: acme(),
                active: false,
            },
            local: unbound(None, None),
            options: options(),
            expect: Action::Create {
                draft: acme(),
                active: false,
            },
        },
        Rule {
            why: "an update follows the source's deactivation",
            status: Updated,
            removed: false,
            incoming: Incoming {
                draft: acme(),
                active: false,
            },
            local: bound(true),
            options: options(),
            expect: Action::Update {
                local_id: BOUND_ID,
                draft: acme(),
                taken: Taken::Everything,
                set_active: Some(false),
            },
        },
        Rule {
            why: "an update follows the source's reactivation",
            status: Updated,
            removed: false,
            incoming: incoming(acme()),
            local: bound(false),
            options: options(),
            expect: Action::Update {
                local_id: BOUND_ID,
                draft: acme(),
                taken: Taken::Everything,
                set_active: Some(true),
            },
        },
        Rule {
            why: "a link reactivates an inactive record the source has active",
            status: New,
            removed: false,
            incoming: incoming(acme()),
            local: unbound(None, Some(false)),
            options: linking(LinkChoice::Existing { local_id: 3 }),
            expect: Action::Link {
                local_id: 3,
                draft: acme(),
                set_active: Some(true),
            },
        },
    ]
}

#[test]
fn every_merge_rule_gives_its_action() {
    for rule in rules() {
        let staged = StagedRecord {
            id: STAGED_ID,
            label: "Acme",
            status: rule.status,
            removed: rule.removed,
        };
        let action = plan(
            Module::Customers,
            &staged,
            rule.incoming,
            rule.local,
            &rule.options,
        )
        .expect("the plan reads the merged record back");
        assert_eq!(action, rule.expect, "{}", rule.why);
    }
}

#[test]
fn a_record_to_write_is_not_settled_before_its_data_is_read() {
    let staged = StagedRecord {
        id: STAGED_ID,
        label: "Acme",
        status: StagedStatus::Updated,
        removed: false,
    };
    let bound = Bound {
        local_id: BOUND_ID,
        active: true,
    };
    assert_eq!(
        plan_without_data(&staged, Some(bound)),
        None,
        "an Updated record needs its references resolved and its values merged"
    );
}
