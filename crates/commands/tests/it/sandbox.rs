//! The Sandbox's demo company through the commands: connected as
//! QuickBooks Time (the default, as every Sandbox was) or busybusy, read
//! with that platform's connector, its modules that platform's.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_emulators::busybusy::{Organization, OrganizationSpec};

/// busybusy's modules, as its Records tabs list them.
const BUSYBUSY_TABS: [&str; 6] = [
    "employees",
    "customers",
    "jobs",
    "tasks",
    "time_entries",
    "budgets",
];

/// Syncs integration `id` now and waits for it; the run, as JSON.
fn sync(h: &common::Harness, id: &Value) -> Value {
    let run = h
        .runtime
        .block_on(h.api.engine().runs().sync(
            id.as_i64().expect("id"),
            timebridge_core::middleware::runs::RunTrigger::Manual,
        ))
        .expect("a run is recorded");
    serde_json::to_value(run).expect("the run encodes")
}

/// The module ids of an integration's Records tabs.
fn tabs(h: &mut common::Harness, id: &Value) -> Vec<String> {
    h.admin_call("staged_overview", json!({"id": id}))
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["module"].as_str().expect("a module id").to_owned())
        .collect()
}

/// A busybusy Sandbox, connected.
fn busybusy_sandbox(h: &mut common::Harness) -> Value {
    h.admin_call("connect_sandbox", json!({"company": "busybusy"}))
}

/// The organization a busybusy Sandbox serves: generated from its
/// creation date.
fn organization_of(sandbox: &Value) -> Organization {
    let created_at =
        serde_json::from_value(sandbox["created_at"].clone()).expect("a creation date");
    Organization::generate(&OrganizationSpec::demo(created_at))
}

#[test]
fn a_busybusy_sandbox_first_syncs_members_projects_cost_codes_and_time_as_new() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);
    let org = organization_of(&sandbox);
    let closed = org
        .time_entries
        .iter()
        .filter(|e| !e["endTime"].is_null())
        .count();

    let run = sync(&h, &sandbox["id"]);

    let new: Vec<_> = ["employees", "jobs", "tasks", "time_entries"]
        .into_iter()
        .map(|module| {
            (
                module,
                h.staged_counts(&sandbox["id"], module)["new"].clone(),
            )
        })
        .collect();
    assert_eq!(
        (run["outcome"].clone(), new),
        (
            json!("succeeded"),
            vec![
                ("employees", json!(org.members.len())),
                ("jobs", json!(org.projects.len())),
                ("tasks", json!(org.cost_codes.len())),
                ("time_entries", json!(closed)),
            ]
        ),
        "the members, projects, cost codes and finished time of the demo organization arrive as New: {run}"
    );
}

#[test]
fn a_busybusy_sandbox_re_synced_unchanged_writes_nothing() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);
    sync(&h, &sandbox["id"]);

    let run = sync(&h, &sandbox["id"]);

    let changed: u64 = run["counts"]
        .as_object()
        .expect("counts per module")
        .values()
        .map(|c| {
            ["new", "updated", "removed"]
                .iter()
                .map(|k| c[k].as_u64().expect("a count"))
                .sum::<u64>()
        })
        .sum();
    assert_eq!(
        (run["outcome"].clone(), changed),
        (json!("succeeded"), 0),
        "a second sync of an unchanged organization finds every record unchanged: {run}"
    );
}

#[test]
fn a_busybusy_sandbox_shows_busybusys_modules_and_names_its_company() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);

    let summary = h.admin_call("get_integration", json!({"id": sandbox["id"]}));

    assert_eq!(
        (
            tabs(&mut h, &sandbox["id"]),
            summary["platform_name"].clone(),
            sandbox["name"].clone(),
            sandbox["settings"]["sandbox_company"].clone(),
        ),
        (
            BUSYBUSY_TABS.map(str::to_owned).to_vec(),
            json!("Sandbox · busybusy"),
            json!("Sandbox (busybusy demo data)"),
            json!("busybusy"),
        ),
        "busybusy's Records tabs (no payroll items), the company in its platform name and default name, stored in its settings"
    );
}

#[test]
fn a_sandbox_connected_without_a_choice_is_the_quickbooks_time_company() {
    let mut h = common::harness();
    let sandbox = h.admin_call("connect_sandbox", json!({}));

    let summary = h.admin_call("get_integration", json!({"id": sandbox["id"]}));

    assert_eq!(
        (
            sandbox["settings"]["sandbox_company"].clone(),
            sandbox["name"].clone(),
            summary["platform_name"].clone(),
            tabs(&mut h, &sandbox["id"]).contains(&"pay_items".to_owned()),
        ),
        (
            json!("quickbooks_time"),
            json!("Sandbox (demo data)"),
            json!("Sandbox · QuickBooks Time"),
            true
        ),
        "the default demo company is QuickBooks Time, named as the Sandbox always was, with its payroll items"
    );
}

#[test]
fn a_sandbox_saved_before_the_choice_still_reads_as_quickbooks_time() {
    let mut h = common::harness();
    // The row as an earlier version saved it: no demo company in its settings.
    let id: i64 = h
        .api
        .store()
        .write(|tx| {
            tx.execute(
                "INSERT INTO integrations (platform, name, created_at, settings, is_sync_source, next_sync_at)
                 VALUES ('sandbox', 'Sandbox (demo data)', '2026-10-26T09:00:00.000Z',
                         '{\"base_url\":null,\"pull_from\":\"2026-10-12\",\"interval_minutes\":120,\"look_back_days\":14}', 1, NULL)",
                [],
            )?;
            Ok(tx.last_insert_rowid())
        })
        .expect("an old row");

    let run = sync(&h, &json!(id));

    assert_eq!(
        (
            run["outcome"].clone(),
            h.staged_counts(&json!(id), "employees")["new"].clone(),
            tabs(&mut h, &json!(id)).contains(&"pay_items".to_owned()),
        ),
        (json!("succeeded"), json!(12), true),
        "the old Sandbox is read from the QuickBooks Time emulator: its twelve users, and a payroll items tab: {run}"
    );
}

#[test]
fn a_sandboxs_demo_company_cannot_be_changed_in_its_settings() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);
    let mut draft = sandbox["settings"].clone();
    draft["sandbox_company"] = json!("quickbooks_time");

    let error = h
        .admin_try(
            "update_integration_settings",
            json!({"id": sandbox["id"], "draft": draft}),
        )
        .expect_err("refused");

    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "sandbox_company"),
        "its staged records are the busybusy organization's: the company field is refused"
    );
}

#[test]
fn settings_saved_without_the_demo_company_keep_it() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);
    let mut draft = sandbox["settings"].clone();
    draft
        .as_object_mut()
        .expect("settings object")
        .remove("sandbox_company");
    draft["interval_minutes"] = json!(60);

    let saved = h.admin_call(
        "update_integration_settings",
        json!({"id": sandbox["id"], "draft": draft}),
    );

    assert_eq!(
        (
            saved["settings"]["interval_minutes"].clone(),
            saved["settings"]["sandbox_company"].clone()
        ),
        (json!(60), json!("busybusy")),
        "the interval changes; the Sandbox stays a busybusy organization"
    );
}

#[test]
fn only_a_sandbox_is_connected_with_a_demo_company() {
    let mut h = common::harness();

    let error = h
        .admin_try(
            "connect_with_token",
            json!({"platform": "quickbooks_time", "token": "S.anything",
                   "settings": {"base_url": "http://127.0.0.1:9", "pull_from": "2026-03-01",
                                "interval_minutes": 120, "look_back_days": 14, "sandbox_company": "busybusy"}}),
        )
        .expect_err("refused");

    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "sandbox_company"),
        "a real platform serves no demo company: refused before it is contacted"
    );
}

#[test]
fn simulated_activity_in_a_busybusy_sandbox_arrives_at_the_next_sync() {
    let mut h = common::harness();
    let sandbox = busybusy_sandbox(&mut h);
    sync(&h, &sandbox["id"]);
    h.admin_call(
        "import_staged",
        json!({"integration_id": sandbox["id"], "module": "employees",
               "selection": {"kind": "matching", "filter": {"status": "new"}}}),
    );

    let activity = h.admin_call("simulate_sandbox_activity", json!({"id": sandbox["id"]}));
    let run = sync(&h, &sandbox["id"]);

    assert_eq!(
        (
            activity["round"].clone(),
            h.staged_counts(&sandbox["id"], "employees")["updated"].clone(),
            run["counts"]["time_entries"]["removed"].clone(),
        ),
        (json!(1), json!(1), json!(1)),
        "the e-mail changed in busybusy makes an imported employee Updated, and the deleted entry is removed: {activity}"
    );
}

#[test]
fn a_busybusy_sandbox_is_not_offered_as_a_payroll_target() {
    let mut h = common::harness();
    let quickbooks = h.admin_call("connect_sandbox", json!({}));
    let busybusy = busybusy_sandbox(&mut h);

    let targets = h.admin_call("payroll_targets", Value::Null);

    let integrations: Vec<Value> = targets
        .as_array()
        .expect("array")
        .iter()
        .filter(|t| t["target"]["kind"] == "integration")
        .map(|t| t["target"]["id"].clone())
        .collect();
    assert_eq!(
        (integrations, busybusy["id"] != quickbooks["id"]),
        (vec![quickbooks["id"].clone()], true),
        "payroll goes to the QuickBooks Time Sandbox; the busybusy one, like busybusy, takes none"
    );
}
