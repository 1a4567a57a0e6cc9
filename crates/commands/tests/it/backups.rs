//! The database's health and restoring a backup, as the window asks for
//! them: a damaged database offers its latest good backup and restores it
//! without a session; a sound one only for an administrator, and only from
//! the backups Timebridge keeps.

use std::sync::Arc;

use serde_json::{Value, json};
use timebridge_commands::{Api, Client};
use timebridge_connectors::secrets::MemorySecrets;
use timebridge_core::ErrorCode;
use timebridge_core::Store;
use timebridge_core::permissions::Permission;
use timebridge_core::store::backup;
use timebridge_testkit::{TempDb, damage_table, now};

use crate::common;

#[test]
fn a_sound_database_is_not_damaged_and_lists_its_backups() {
    let mut h = common::harness();
    backup::daily(h.api.store(), now().date_naive()).expect("backed up");
    let status = h.admin_call("database_status", Value::Null);
    assert_eq!(
        status["damaged"], false,
        "a sound database is not reported damaged"
    );
    assert_eq!(
        status["backups"].as_array().map(Vec::len),
        Some(1),
        "the daily backup is listed: {status}"
    );
}

#[test]
fn restoring_over_a_sound_database_needs_an_administrator() {
    let mut h = common::harness();
    let made = backup::daily(h.api.store(), now().date_naive())
        .expect("backed up")
        .expect("made");
    let args = json!({ "path": made.path });
    let role = h.role("Payroll only", &[Permission::ManagePayroll]);
    let mut clerk = h.operator("clerk", role);
    let refused = h
        .call(&mut clerk, "restore_backup", args.clone())
        .expect_err("refused");
    assert_eq!(
        refused.code,
        ErrorCode::PermissionDenied,
        "replacing a sound database is an administrator's: {refused:?}"
    );
    let refused = h
        .call(&mut Client::new(), "restore_backup", args)
        .expect_err("refused");
    assert_eq!(
        refused.code,
        ErrorCode::NotSignedIn,
        "without a session a sound database cannot be replaced: {refused:?}"
    );
}

#[test]
fn only_a_kept_backup_can_be_restored_from_the_window() {
    let mut h = common::harness();
    let elsewhere = h.dir.path().join("elsewhere.db");
    backup::write_copy(h.api.store(), &elsewhere).expect("copied");
    let refused = h
        .admin_try(
            "restore_backup",
            json!({ "path": elsewhere.display().to_string() }),
        )
        .expect_err("refused");
    assert_eq!(
        refused.code,
        ErrorCode::Validation,
        "the window restores only the backups Timebridge lists: {refused:?}"
    );
}

#[test]
fn a_damaged_database_offers_its_latest_good_backup_and_restores_it_without_a_session() {
    let db = TempDb::new();
    {
        let store = db.store();
        for n in 0..200 {
            timebridge_testkit::employee(
                &store,
                &format!("Worker{n}"),
                "Example",
                None,
                &timebridge_testkit::admin(),
                now(),
            );
        }
        backup::daily(&store, now().date_naive()).expect("backed up");
    }
    damage_table(&db.path, "employees");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let api = Api::new(
        Arc::new(Store::open(&db.path).expect("opens read-only")),
        timebridge_testkit::pinned_clock(),
        Arc::new(MemorySecrets::default()),
        runtime.handle().clone(),
    );
    let mut nobody = Client::new();

    let status = api
        .call(&mut nobody, "database_status", Value::Null)
        .expect("the status answers without a session");
    assert_eq!(status["damaged"], true, "the damage is reported: {status}");
    let latest = status["latest_good_backup"]["path"]
        .as_str()
        .expect("a good backup is offered")
        .to_owned();

    api.call(&mut nobody, "restore_backup", json!({ "path": latest }))
        .expect("restored without a session: signing in may be impossible");
    let status = api
        .call(&mut nobody, "database_status", Value::Null)
        .expect("answers");
    assert_eq!(
        status["damaged"], false,
        "after the restore the database is sound and writable"
    );
    assert_eq!(
        api.store()
            .read(
                |c| Ok(c.query_row("SELECT count(*) FROM employees", [], |r| r.get::<_, i64>(0))?)
            )
            .expect("readable"),
        200,
        "the restored database holds the backup's employees"
    );
}
