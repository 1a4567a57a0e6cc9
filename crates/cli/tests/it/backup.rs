//! `timebridge backup` and `timebridge restore`, run as the real binary:
//! checked copies, the backups listed, restoring (and what is refused), and
//! a damaged database that refuses writes and names the backup to restore.

use std::path::Path;

use timebridge_core::Store;
use timebridge_core::store::backup;
use timebridge_sync::scheduler::lock;
use timebridge_testkit::damage_table;

use crate::common::{Db, db};

fn employee_count(path: &Path) -> i64 {
    Store::open(path)
        .expect("the database opens")
        .read(|c| Ok(c.query_row("SELECT count(*) FROM employees", [], |r| r.get(0))?))
        .expect("countable")
}

/// A database with `count` employees.
fn with_employees(count: usize) -> Db {
    let db = db();
    for n in 0..count {
        db.employee(&format!("Worker{n}"), "Example", None);
    }
    db
}

#[test]
fn backup_out_writes_a_checked_copy_of_the_database() {
    let db = with_employees(2);
    let out = db.dir.path().join("copy.db");
    let said = db.ok(&["backup", "--out", out.to_str().expect("utf-8")]);
    assert!(
        said.contains("Saved a checked backup"),
        "the command says what it did: {said}"
    );
    assert_eq!(employee_count(&out), 2, "the backup holds every employee");
}

#[test]
fn backup_alone_makes_todays_backup_and_backup_list_shows_it() {
    let db = with_employees(1);
    db.ok(&["backup"]);
    let again = db.ok(&["backup"]);
    assert!(
        again.contains("already made"),
        "a second backup on the same day keeps the first: {again}"
    );
    let listed = db.json(&["backup", "list"]);
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "one daily backup is kept: {listed:?}");
    assert_eq!(listed[0]["kind"], "daily", "it is listed as a daily backup");
}

#[test]
fn restore_with_yes_puts_the_backup_back() {
    let db = with_employees(1);
    let saved = db.dir.path().join("saved.db");
    db.ok(&["backup", "--out", saved.to_str().expect("utf-8")]);
    db.employee("Later", "Example", None);

    let said = db.ok(&["restore", saved.to_str().expect("utf-8"), "--yes"]);
    assert!(
        said.contains("was kept as"),
        "the command says where the replaced database went: {said}"
    );
    assert_eq!(
        employee_count(&db.path),
        1,
        "the database holds what the backup held"
    );
}

#[test]
fn restore_refuses_a_file_that_is_not_a_timebridge_database() {
    let db = with_employees(1);
    let text = db.dir.path().join("notes.db");
    std::fs::write(&text, "not a database\n".repeat(100)).expect("written");
    let error = db.fails(&["restore", text.to_str().expect("utf-8"), "--yes"]);
    assert!(
        error.contains("is not a Timebridge database"),
        "the refusal says what is wrong with the file: {error}"
    );
    assert_eq!(
        employee_count(&db.path),
        1,
        "a refused restore changes nothing"
    );
}

#[test]
fn restore_without_yes_and_no_terminal_to_ask_on_is_refused() {
    let db = with_employees(1);
    let saved = db.dir.path().join("saved.db");
    db.ok(&["backup", "--out", saved.to_str().expect("utf-8")]);
    db.employee("Later", "Example", None);
    let error = db.fails(&["restore", saved.to_str().expect("utf-8")]);
    assert!(
        error.contains("--yes"),
        "a script must confirm a restore explicitly: {error}"
    );
    assert_eq!(
        employee_count(&db.path),
        2,
        "an unconfirmed restore changes nothing"
    );
}

#[test]
fn restore_is_refused_while_the_service_runs_on_the_database() {
    let db = with_employees(1);
    let saved = db.dir.path().join("saved.db");
    db.ok(&["backup", "--out", saved.to_str().expect("utf-8")]);
    let _service = lock::try_take(&db.path, "the background service")
        .expect("the lock file is writable")
        .expect("the lock is free");
    let error = db.fails(&["restore", saved.to_str().expect("utf-8"), "--yes"]);
    assert!(
        error.contains("the background service") && error.contains("stop the background service"),
        "replacing the file under a running service would lose its writes: {error}"
    );
}

#[test]
fn a_damaged_database_refuses_writes_and_names_the_backup_to_restore() {
    let db = with_employees(200);
    db.ok(&["backup"]);
    damage_table(&db.path, "employees");
    let today = chrono::Local::now().date_naive();
    let latest = backup::daily_path(&db.path, today);

    let error = db.fails(&["jobs", "burden", "50"]);
    assert!(
        error.contains("is damaged")
            && error.contains(&format!("timebridge restore \"{}\"", latest.display())),
        "a write is refused with the restore to run: {error}"
    );

    db.ok(&["restore", latest.to_str().expect("utf-8"), "--yes"]);
    db.ok(&["jobs", "burden", "50"]);
    assert_eq!(
        employee_count(&db.path),
        200,
        "after restoring the latest backup the database is whole and writable"
    );
}
