//! One command line: modules and kinds of record in either spelling, and
//! integrations found by id, name or platform, ambiguity refused.

use crate::common;

use serde_json::json;
use timebridge_core::middleware::Module;
use timebridge_core::records::RecordKind;

#[test]
fn records_list_accepts_every_kind_with_hyphens_or_underscores() {
    let db = common::db();

    for kind in RecordKind::ALL {
        let hyphens = kind.plural_slug();
        let underscores = hyphens.replace('-', "_");
        for spelling in [hyphens, underscores.as_str()] {
            let output = db.run(&["--json", "records", "list", spelling]);
            assert!(
                output.status.success(),
                "`records list {spelling}` lists {hyphens}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn staged_list_accepts_every_module_with_hyphens_or_underscores() {
    let db = common::db();
    db.integration("sandbox", "Sandbox");

    for module in Module::ALL {
        let underscores = module.as_str();
        let hyphens = underscores.replace('_', "-");
        for spelling in [hyphens.as_str(), underscores] {
            let output = db.run(&["--json", "staged", "list", "sandbox", spelling]);
            assert!(
                output.status.success(),
                "`staged list sandbox {spelling}` lists {underscores}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn import_accepts_a_module_with_hyphens_or_underscores() {
    let db = common::db();
    let integration = db.integration("sandbox", "Sandbox");
    db.stage(
        integration,
        Module::Employees,
        &[common::staged_employee("u1", "Rosa", "Diaz")],
    );
    db.stage(
        integration,
        Module::TimeEntries,
        &[
            common::time_entry("t1", "u1", "2026-10-01", 8, None),
            common::time_entry("t2", "u1", "2026-10-02", 8, None),
        ],
    );
    let ids: Vec<String> = db.json(&["staged", "list", "sandbox", "time-entries"])["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].to_string())
        .collect();

    let first = db.json(&["import", "sandbox", "time_entries", "--ids", &ids[0]]);
    let second = db.json(&["import", "sandbox", "Time-Entries", "--ids", &ids[1]]);

    assert_eq!(
        (first["created"].clone(), second["created"].clone()),
        (json!(2), json!(1)),
        "both spellings import time entries (the first brings Rosa along)"
    );
}

#[test]
fn an_integration_is_found_by_its_platform_in_either_spelling_when_it_is_the_only_one() {
    let db = common::db();
    let id = db.integration("quickbooks_time", "Field crew");

    for which in [
        "quickbooks-time",
        "quickbooks_time",
        "QuickBooks-Time",
        "field crew",
        &id.to_string(),
    ] {
        let found = db.json(&["staged", "list", which, "employees"]);
        assert_eq!(
            found["total"],
            json!(0),
            "`{which}` finds the one QuickBooks Time connection: {found}"
        );
    }
}

#[test]
fn two_integrations_of_one_platform_are_refused_by_platform_with_both_listed() {
    let db = common::db();
    let east = db.integration("quickbooks_time", "East crew");
    let west = db.integration("quickbooks_time", "West crew");

    let refused = db.fails(&["sync", "quickbooks-time"]);

    assert!(
        refused.contains(&format!("{east} (“East crew”)"))
            && refused.contains(&format!("{west} (“West crew”)")),
        "the message lists the candidates to choose from: {refused}"
    );
    assert_eq!(
        db.json(&["staged", "list", "West crew", "employees"])["total"],
        json!(0),
        "and each is still found by its name"
    );
}
