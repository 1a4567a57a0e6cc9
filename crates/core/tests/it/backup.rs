//! Backups and recovery: checked copies, the daily backup and its 14 days,
//! restoring (and what it refuses), a damaged database opened read-only,
//! and a full disk during an import.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use serde_json::json;
use timebridge_core::middleware::import::{self, ImportOptions};
use timebridge_core::middleware::staged::{self, Selection};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::store::backup::{self, BackupKind};
use timebridge_core::store::latest_version;
use timebridge_core::{Error, ErrorCode, Store};
use timebridge_testkit::{TempDb, damage_table};

use crate::common::{admin, employee, integration, now};

const DAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a valid day");

fn employees(store: &Store) -> Vec<String> {
    store
        .read(|conn| {
            let mut statement =
                conn.prepare("SELECT first_name FROM employees ORDER BY first_name")?;
            let names = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(names)
        })
        .expect("the employees are readable")
}

/// A database with `count` employees, each named `Worker N`.
fn database_with(count: usize) -> TempDb {
    let db = TempDb::new();
    let store = db.store();
    for n in 0..count {
        employee(&store, &format!("Worker {n:04}"), "Example", None);
    }
    db
}

/// A copy of a daily backup file for each day in `days`, made from `db`.
fn fake_daily_backups(db: &TempDb, days: impl IntoIterator<Item = NaiveDate>) -> Vec<PathBuf> {
    let store = db.store();
    let first = backup::daily_path(&db.path, DAY - Duration::days(400));
    backup::write_copy(&store, &first).expect("a backup is written");
    let paths: Vec<PathBuf> = days
        .into_iter()
        .map(|day| {
            let path = backup::daily_path(&db.path, day);
            std::fs::copy(&first, &path).expect("the backup is copied");
            path
        })
        .collect();
    std::fs::remove_file(&first).expect("the seed backup is removed");
    paths
}

#[test]
fn a_backup_is_a_checked_copy_holding_every_row() {
    let db = database_with(3);
    let out = db.dir.path().join("elsewhere").join("copy.db");
    let made = backup::write_copy(&db.store(), &out).expect("the backup is written");
    assert_eq!(
        made.path,
        out.display().to_string(),
        "the backup is where it was asked for"
    );
    let copy = Store::open(&out).expect("the copy opens as a database");
    assert_eq!(
        employees(&copy).len(),
        3,
        "a backup must hold every row the database held"
    );
    assert!(
        !db.dir
            .path()
            .join("elsewhere")
            .join("copy.db.partial")
            .exists(),
        "the temporary file a backup is written to is renamed into place, not left behind"
    );
}

#[test]
fn a_backup_cannot_be_written_over_the_database_itself() {
    let db = database_with(1);
    let error = backup::write_copy(&db.store(), &db.path).expect_err("refused");
    assert_eq!(
        error.code(),
        ErrorCode::Validation,
        "writing the backup over the live database would destroy it: {error}"
    );
}

#[test]
fn the_daily_backup_is_made_once_a_day_and_named_by_the_day() {
    let db = database_with(2);
    let store = db.store();
    let made = backup::daily(&store, DAY).expect("the daily backup runs");
    assert_eq!(
        made.map(|m| m.path),
        Some(
            db.dir
                .path()
                .join("backups")
                .join("timebridge-2026-11-02.db")
                .display()
                .to_string()
        ),
        "the first daily backup of a day goes to backups/ beside the database, named by the day"
    );
    assert_eq!(
        backup::daily(&store, DAY).expect("the daily backup runs"),
        None,
        "a second run on the same day keeps the backup already made"
    );
    assert!(
        backup::daily_due(&db.path, DAY + Duration::days(1)),
        "the next day's backup is still to be made"
    );
}

#[test]
fn daily_backups_older_than_fourteen_days_are_deleted() {
    let db = database_with(1);
    let days: Vec<NaiveDate> = (0..20).map(|n| DAY - Duration::days(n)).collect();
    fake_daily_backups(&db, days);
    let deleted = backup::prune(&db.path, DAY).expect("pruning runs");
    assert_eq!(deleted.len(), 6, "20 days of backups less the 14 kept");
    let kept: Vec<NaiveDate> = backup::list(&db.path)
        .expect("listed")
        .into_iter()
        .map(|b| b.day)
        .collect();
    assert!(
        kept.iter().all(|day| *day > DAY - Duration::days(14)),
        "only the last 14 days are kept: {kept:?}"
    );
    assert_eq!(kept.len(), 14, "every one of the last 14 days is kept");
}

#[test]
fn the_newest_backup_is_kept_however_old_it_is() {
    let db = database_with(1);
    let old = [DAY - Duration::days(40), DAY - Duration::days(30)];
    let paths = fake_daily_backups(&db, old);
    let deleted = backup::prune(&db.path, DAY).expect("pruning runs");
    assert_eq!(
        deleted,
        vec![paths[0].clone()],
        "after a month with the app closed, the newest backup must survive: it may be the only good one"
    );
}

#[test]
fn backups_are_listed_with_their_kind_and_files_not_named_by_timebridge_are_left_out() {
    let db = database_with(1);
    fake_daily_backups(&db, [DAY]);
    std::fs::write(backup::folder(&db.path).join("notes.txt"), "hello").expect("written");
    let listed = backup::list(&db.path).expect("listed");
    assert_eq!(listed.len(), 1, "only backups are listed: {listed:?}");
    assert_eq!(
        listed[0].kind,
        BackupKind::Daily,
        "named by a day alone, it is a daily backup"
    );
    assert_eq!(listed[0].day, DAY, "its day is read from its name");
}

#[test]
fn restore_puts_the_backup_back_and_keeps_the_database_it_replaced() {
    let db = database_with(1);
    let saved = db.dir.path().join("saved.db");
    backup::write_copy(&db.store(), &saved).expect("backed up");
    employee(&db.store(), "Added after", "Example", None);

    let report = backup::restore(&db.path, &saved, now()).expect("the backup is restored");
    assert_eq!(
        employees(&db.store()),
        vec!["Worker 0000"],
        "the database holds what the backup held, and not what came after"
    );
    let kept = report.kept_current.expect("the replaced database was kept");
    assert!(
        kept.contains("before-restore"),
        "the kept copy says what it is: {kept}"
    );
    assert!(
        employees(&Store::open(Path::new(&kept)).expect("the kept copy opens"))
            .contains(&"Added after".to_owned()),
        "the database a restore replaced is kept whole, so a wrong restore can be undone"
    );
    assert_eq!(
        report.to_version,
        latest_version(),
        "a restored backup is migrated as open does"
    );
}

#[test]
fn restore_refuses_a_file_that_is_not_a_database() {
    let db = database_with(1);
    let text = db.dir.path().join("notes.db");
    std::fs::write(
        &text,
        "These are not the pages you are looking for.\n".repeat(200),
    )
    .expect("written");
    let error = backup::restore(&db.path, &text, now()).expect_err("refused");
    assert!(
        error.to_string().contains("is not a Timebridge database"),
        "the refusal says plainly what the file is not: {error}"
    );
    assert_eq!(
        employees(&db.store()).len(),
        1,
        "a refused restore changes nothing"
    );
}

#[test]
fn restore_refuses_an_sqlite_database_that_is_not_timebridge() {
    let db = database_with(1);
    let other = db.dir.path().join("other.db");
    let conn = timebridge_core::rusqlite::Connection::open(&other).expect("created");
    conn.execute_batch("CREATE TABLE recipes (name TEXT); PRAGMA user_version = 3;")
        .expect("another app's database");
    drop(conn);
    let error = backup::restore(&db.path, &other, now()).expect_err("refused");
    assert!(
        error.to_string().contains("none of Timebridge's tables"),
        "another program's database must not replace the company's: {error}"
    );
}

#[test]
fn restore_refuses_a_backup_that_fails_its_integrity_check() {
    let db = database_with(200);
    let damaged = db.dir.path().join("damaged.db");
    backup::write_copy(&db.store(), &damaged).expect("backed up");
    damage_table(&damaged, "employees");
    let error = backup::restore(&db.path, &damaged, now()).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("failed SQLite's integrity check"),
        "a damaged backup must be refused, not restored over a good database: {error}"
    );
    assert_eq!(
        employees(&db.store()).len(),
        200,
        "a refused restore changes nothing"
    );
}

#[test]
fn restore_refuses_a_backup_from_a_newer_version() {
    let db = database_with(1);
    let newer = db.dir.path().join("newer.db");
    backup::write_copy(&db.store(), &newer).expect("backed up");
    let conn = timebridge_core::rusqlite::Connection::open(&newer).expect("opens");
    conn.pragma_update(None, "user_version", latest_version() + 1)
        .expect("the version is raised");
    drop(conn);
    let error = backup::restore(&db.path, &newer, now()).expect_err("refused");
    assert!(
        matches!(error, Error::DatabaseTooNew { .. }),
        "a backup this version cannot read must not replace the database: {error}"
    );
}

#[test]
fn a_damaged_database_opens_read_only_and_refuses_writes_naming_the_latest_backup() {
    let db = database_with(200);
    let daily = backup::daily(&db.store(), DAY)
        .expect("backed up")
        .expect("made");
    damage_table(&db.path, "employees");

    let store = Store::open(&db.path).expect("a damaged database still opens, read-only");
    let damage = store.damage().expect("the damage is reported");
    assert!(!damage.problems.is_empty(), "the check says what it found");
    assert_eq!(
        damage.latest_backup.map(|p| p.display().to_string()),
        Some(daily.path.clone()),
        "the latest good backup is offered"
    );
    let error = store
        .write(|tx| Ok(tx.execute("DELETE FROM integrations", [])?))
        .expect_err("refused");
    assert!(
        matches!(error, Error::DatabaseDamaged { .. })
            && error
                .to_string()
                .contains(&format!("timebridge restore \"{}\"", daily.path)),
        "a write to a damaged database is refused with the restore to run: {error}"
    );
}

#[test]
fn a_damaged_database_is_not_backed_up() {
    let db = database_with(200);
    damage_table(&db.path, "employees");
    let store = Store::open(&db.path).expect("opens read-only");
    let error = backup::daily(&store, DAY).expect_err("refused");
    assert!(
        matches!(error, Error::DatabaseDamaged { .. }),
        "a copy of a damaged database would be damaged too: {error}"
    );
    assert!(
        backup::daily_due(&db.path, DAY),
        "no daily backup file is left for the day"
    );
}

#[test]
fn restoring_under_an_open_damaged_store_makes_it_writable_again() {
    let db = database_with(200);
    backup::daily(&db.store(), DAY).expect("backed up");
    damage_table(&db.path, "employees");
    let store = Store::open(&db.path).expect("opens read-only");
    let latest = store
        .damage()
        .and_then(|d| d.latest_backup)
        .expect("a backup");

    store
        .restore(&latest, now())
        .expect("restored under the open store");
    assert_eq!(store.damage(), None, "after a restore the store is healthy");
    employee(&store, "After restore", "Example", None);
    assert_eq!(
        employees(&store).len(),
        201,
        "the restored database is written to through the same store"
    );
}

fn staged_employees(range: std::ops::Range<usize>) -> Vec<Incoming> {
    range
        .map(|n| Incoming {
            external_id: format!("u{n}"),
            label: format!("Staged {n:05} Example"),
            data: json!({"first_name": format!("Staged {n:05}"), "last_name": "Example",
                "employee_number": format!("E-{n}"), "email": null, "phone": null,
                "hire_date": null, "payroll_id": null, "active": true}),
            record_date: None,
        })
        .collect()
}

#[test]
fn a_full_disk_fails_an_import_plainly_and_keeps_what_was_imported_before() {
    let db = TempDb::new();
    let store = db.store();
    let integration = integration(&store, "Sandbox");
    store
        .write(|tx| {
            staged::apply_page(
                tx,
                integration,
                Module::Employees,
                None,
                &staged_employees(0..3000),
                now(),
            )
        })
        .expect("staged");
    let ids = store
        .read(|c| {
            import::selected_ids(
                c,
                integration,
                Module::Employees,
                &Selection::Matching {
                    filter: Default::default(),
                },
            )
        })
        .expect("selected");
    let (first, rest) = ids.split_at(100);
    let run = |ids: &[i64]| {
        import::run(
            &store,
            integration,
            Module::Employees,
            &Selection::Ids { ids: ids.to_vec() },
            &ImportOptions::default(),
            &admin(),
            now(),
        )
    };
    run(first).expect("the first import fits on the disk");
    let pages: i64 = store
        .read(|c| Ok(c.query_row("PRAGMA page_count", [], |row| row.get(0))?))
        .expect("page count");
    store
        .set_page_limit(Some(pages as u64 + 2))
        .expect("capped");

    let error = run(rest).expect_err("the disk fills up");
    assert!(
        matches!(error, Error::DiskFull),
        "SQLITE_FULL is named as a full disk: {error}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("The disk is full")
            && message.contains("Free some space")
            && message.contains("Nothing already saved was lost"),
        "the message says what happened and what to do: {message}"
    );
    store.set_page_limit(None).expect("uncapped");
    assert_eq!(
        employees(&store).len(),
        100,
        "the import committed before the disk filled keeps every record, and the failed one \
         leaves nothing half written"
    );
}
