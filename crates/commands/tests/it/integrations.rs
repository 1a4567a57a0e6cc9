//! Integrations through the commands: what the Integrations page does.

use crate::common;

use serde_json::{Value, json};
use timebridge_core::ErrorCode;
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};

/// A QuickBooks Time emulator serving the demo company, on the harness's runtime.
fn demo_emulator(h: &common::Harness) -> Emulator {
    let now = chrono::Utc::now();
    h.runtime.block_on(async {
        Emulator::start(
            Company::generate(&CompanySpec::demo(now.date_naive()), now),
            EmulatorOptions::default(),
        )
        .await
        .expect("emulator")
    })
}

#[test]
fn the_overview_lists_every_platform_with_what_it_syncs_and_publishes() {
    let mut h = common::harness();
    let platforms = h.admin_call("list_platforms", Value::Null);
    let qbd = platforms
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["id"] == "quickbooks_desktop")
        .expect("listed");
    assert_eq!(
        (&qbd["auth"], &qbd["available"]),
        (&json!(["username_password"]), &json!(true)),
        "QuickBooks Desktop connects with a username and password (the Web Connector's)"
    );
    let sandbox = platforms
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["id"] == "sandbox")
        .expect("listed");
    assert_eq!(
        (&sandbox["demo"], &sandbox["available"]),
        (&json!(true), &json!(true)),
        "the Sandbox is labelled demo data and can be connected"
    );
    assert_eq!(
        sandbox["publishes_payroll"], true,
        "the Sandbox can receive payroll"
    );
}

#[test]
fn connecting_the_sandbox_and_syncing_now_fills_its_modules_with_new_records() {
    let mut h = common::harness();
    let sandbox = h.admin_call("connect_sandbox", json!({}));
    let started = h.admin_call("sync_now", json!({"id": sandbox["id"]}));
    assert_eq!(started, true, "a sync starts");

    let summary = h.wait_until_synced(&sandbox["id"]);
    assert_eq!(summary["health"], "ok", "the status turns green: {summary}");
    assert_eq!(
        h.staged_counts(&sandbox["id"], "employees")["new"],
        12,
        "the employees tab fills with the demo crew, all New"
    );
}

#[test]
fn a_token_the_platform_refuses_is_marked_on_the_token_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let emulator = demo_emulator(&h);
    let error = h
        .admin_try(
            "connect_with_token",
            json!({"platform": "quickbooks_time", "token": "S.wrong",
                   "settings": {"base_url": emulator.base_url(), "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}}),
        )
        .expect_err("refused");
    assert_eq!(
        error.code,
        ErrorCode::Validation,
        "a wrong token is a form problem"
    );
    assert_eq!(error.fields[0].field, "token", "the token field is marked");
    h.assert_nothing_saved();
}

#[test]
fn a_good_token_is_saved_to_the_secret_store_and_disconnecting_deletes_it() {
    let mut h = common::harness();
    let emulator = demo_emulator(&h);
    let token = emulator.issue_token();
    let connected = h.admin_call(
        "connect_with_token",
        json!({"platform": "quickbooks_time", "token": token,
               "settings": {"base_url": emulator.base_url(), "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}}),
    );
    assert_eq!(h.secrets.len(), 1, "the token is in the secret store");
    let row = h
        .api
        .store()
        .read(|c| {
            Ok(c.query_row("SELECT settings FROM integrations", [], |r| {
                r.get::<_, String>(0)
            })?)
        })
        .expect("row");
    assert!(!row.contains(&token), "and not in the database");

    h.admin_call("disconnect_integration", json!({"id": connected["id"]}));

    assert!(
        h.secrets.is_empty(),
        "removing the integration deleted its secret"
    );
}

#[test]
fn a_background_import_reports_progress_and_its_summary() {
    let mut h = common::harness();
    let sandbox = h.admin_call("connect_sandbox", json!({}));
    let id = sandbox["id"].clone();
    h.runtime
        .block_on(h.api.engine().runs().sync(
            id.as_i64().expect("id"),
            timebridge_core::middleware::runs::RunTrigger::Manual,
        ))
        .expect("synced");

    let started = h.admin_call(
        "start_import",
        json!({"integration_id": id, "module": "employees",
               "selection": {"kind": "matching", "filter": {"status": "new"}}}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        let status = h.admin_call("job_status", json!({"job": started["job"]}));
        if status["state"] != "running" || std::time::Instant::now() > deadline {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };

    assert_eq!(started["total"], 12, "the twelve New employees are picked");
    assert_eq!(status["state"], "finished", "{status}");
    assert_eq!(
        (status["done"].clone(), status["summary"]["created"].clone()),
        (json!(12), json!(12)),
        "all done, all created"
    );
}

/// Syncs integration `id` now and waits for it.
fn sync(h: &common::Harness, id: &Value) {
    h.runtime
        .block_on(h.api.engine().runs().sync(
            id.as_i64().expect("id"),
            timebridge_core::middleware::runs::RunTrigger::Manual,
        ))
        .expect("synced");
}

fn count_of(h: &mut common::Harness, id: &Value, module: &str, filter: Value) -> Value {
    h.admin_call(
        "list_staged",
        json!({"integration_id": id, "module": module, "query": {"filter": filter, "page_size": 1}}),
    )["total"]
        .clone()
}

#[test]
fn simulated_sandbox_activity_arrives_as_updated_and_removed_records_after_import() {
    let mut h = common::harness();
    let id = h.admin_call("connect_sandbox", json!({}))["id"].clone();
    sync(&h, &id);
    for module in ["employees", "time_entries"] {
        h.admin_call(
            "import_staged",
            json!({"integration_id": id, "module": module,
                   "selection": {"kind": "matching", "filter": {"status": "new"}}}),
        );
    }

    let activity = h.admin_call("simulate_sandbox_activity", json!({"id": id}));
    sync(&h, &id);
    let updated_employee = h.admin_call(
        "list_staged",
        json!({"integration_id": id, "module": "employees", "query": {"filter": {"status": "updated"}}}),
    )["rows"][0]["id"]
        .clone();
    let diff = h.admin_call("staged_detail", json!({"id": updated_employee}));

    assert_eq!(activity["round"], 1, "the first round: {activity}");
    assert_eq!(
        count_of(&mut h, &id, "employees", json!({"status": "updated"})),
        1,
        "one employee changed at the source"
    );
    assert_eq!(
        diff["changes"][0]["field"], "email",
        "and its diff shows the e-mail: {diff}"
    );
    assert_eq!(
        count_of(&mut h, &id, "time_entries", json!({"status": "updated"})),
        1,
        "one corrected time entry"
    );
    assert_eq!(
        count_of(
            &mut h,
            &id,
            "time_entries",
            json!({"removed_at_source": true})
        ),
        1,
        "one time entry removed at the source"
    );
}

/// An Aspire emulator with a small landscaping company.
fn aspire_emulator(h: &common::Harness) -> timebridge_emulators::aspire::Emulator {
    use timebridge_emulators::aspire::{Company, CompanySpec, Emulator, EmulatorOptions};
    let now = chrono::Utc::now();
    h.runtime.block_on(async {
        Emulator::start(
            Company::generate(&CompanySpec {
                employees: 5,
                opportunities: 4,
                days: 10,
                today: now.date_naive(),
                modified: now - chrono::Duration::hours(1),
            }),
            EmulatorOptions::default(),
        )
        .await
        .expect("emulator")
    })
}

fn aspire_args(base_url: &str, client_id: &str, secret: &str) -> Value {
    json!({"platform": "aspire", "client_id": client_id, "client_secret": secret,
           "settings": {"base_url": base_url, "pull_from": "2026-11-01", "interval_minutes": 120, "look_back_days": 14}})
}

#[test]
fn a_client_id_and_secret_aspire_refuses_are_marked_on_the_secret_field_and_nothing_is_saved() {
    let mut h = common::harness();
    let emulator = aspire_emulator(&h);
    let error = h
        .admin_try(
            "connect_with_client_credentials",
            aspire_args(
                &emulator.base_url(),
                timebridge_emulators::aspire::CLIENT_ID,
                "wrong-secret",
            ),
        )
        .expect_err("refused");
    assert_eq!(
        (error.code, error.fields[0].field.as_str()),
        (ErrorCode::Validation, "client_secret"),
        "a refused id or secret is a problem on the form's secret field"
    );
    assert!(
        error.fields[0].message.contains("did not accept")
            && !error.message.contains("wrong-secret"),
        "it says plainly what happened, without echoing the secret: {:?}",
        error.fields[0].message
    );
    h.assert_nothing_saved();
}

#[test]
fn an_empty_client_id_and_secret_are_asked_for_before_the_platform_is_contacted() {
    let mut h = common::harness();
    let emulator = aspire_emulator(&h);
    let error = h
        .admin_try(
            "connect_with_client_credentials",
            aspire_args(&emulator.base_url(), "   ", ""),
        )
        .expect_err("refused");
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["client_id", "client_secret"],
        "both empty fields are marked at once"
    );
    assert!(
        emulator.requests().is_empty(),
        "Aspire was not asked with empty credentials"
    );
}

#[test]
fn a_trimmed_client_id_and_secret_connect_aspire_sync_it_and_stay_out_of_the_database() {
    let mut h = common::harness();
    let emulator = aspire_emulator(&h);
    let secret = timebridge_emulators::aspire::SECRET;
    let connected = h.admin_call(
        "connect_with_client_credentials",
        aspire_args(
            &emulator.base_url(),
            &format!("  {}\n", timebridge_emulators::aspire::CLIENT_ID),
            &format!(" {secret} "),
        ),
    );
    assert_eq!(connected["platform"], "aspire", "connected: {connected}");
    assert_eq!(h.secrets.len(), 1, "the sign-in is in the secret store");
    let settings = h
        .api
        .store()
        .read(|c| {
            Ok(c.query_row("SELECT settings FROM integrations", [], |r| {
                r.get::<_, String>(0)
            })?)
        })
        .expect("row");
    assert!(!settings.contains(secret), "and not in the database");

    h.admin_call("sync_now", json!({"id": connected["id"]}));
    let summary = h.wait_until_synced(&connected["id"]);
    assert_eq!(
        summary["health"], "ok",
        "the first sync succeeds: {summary}"
    );
    let modules = h.admin_call("staged_overview", json!({"id": connected["id"]}));
    let employees = modules
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["module"] == "employees")
        .expect("employees tab");
    assert_eq!(
        employees["counts"]["new"], 5,
        "Aspire's five employee contacts arrive as New"
    );
}

#[test]
fn a_connection_of_a_platform_this_version_does_not_know_still_lists_by_its_id() {
    let mut h = common::harness();
    let now = timebridge_core::time::Clock::now(h.clock.as_ref());
    h.api
        .store()
        .write(|tx| {
            timebridge_core::middleware::integrations::create(
                tx,
                "timecard_9000",
                "From a newer version",
                &timebridge_core::middleware::integrations::IntegrationSettings::defaults(now),
                &timebridge_core::audit::Actor::cli(),
                now,
            )
        })
        .expect("saved");

    let listed = h.admin_call("list_integrations", Value::Null);

    assert_eq!(
        (&listed[0]["platform_name"], &listed[0]["demo"]),
        (&json!("timecard_9000"), &json!(false)),
        "the overview still loads, naming the unknown platform by its stored id"
    );
}
