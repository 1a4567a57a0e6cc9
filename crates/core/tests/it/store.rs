//! The SQLite store: settings, transactions, migrations and refusals.

use crate::common;

use rusqlite::Connection;
use timebridge_core::store::{MIGRATIONS, apply_migrations, latest_version};
use timebridge_core::{Error, ErrorCode, Store};

/// Data a release at each schema version would have held; index = version.
const SEEDS: &[&str] = &[
    "",
    include_str!("../fixtures/seed_v1.sql"),
    include_str!("../fixtures/seed_v2.sql"),
    include_str!("../fixtures/seed_v3.sql"),
    include_str!("../fixtures/seed_v4.sql"),
    include_str!("../fixtures/seed_v5.sql"),
    include_str!("../fixtures/seed_v6.sql"),
    include_str!("../fixtures/seed_v7.sql"),
    include_str!("../fixtures/seed_v8.sql"),
    include_str!("../fixtures/seed_v9.sql"),
    include_str!("../fixtures/seed_v10.sql"),
    include_str!("../fixtures/seed_v11.sql"),
    include_str!("../fixtures/seed_v12.sql"),
];

fn schema(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .expect("sqlite_master is readable");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("query runs")
        .collect::<Result<_, _>>()
        .expect("rows read")
}

fn table_counts(conn: &Connection) -> Vec<(String, i64)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("sqlite_master is readable")
        .query_map([], |row| row.get(0))
        .expect("query runs")
        .collect::<Result<_, _>>()
        .expect("rows read");
    tables
        .into_iter()
        .map(|table| {
            let count = conn
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |row| {
                    row.get(0)
                })
                .expect("a table can be counted");
            (table, count)
        })
        .collect()
}

#[test]
fn every_migration_has_a_seed_of_data_from_that_version() {
    assert_eq!(
        SEEDS.len() as i64,
        latest_version(),
        "add tests/fixtures/seed_vN.sql for each released schema so the upgrade test covers it"
    );
}

#[test]
fn every_earlier_schema_upgrades_to_the_current_one_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("temp folder");
    let fresh = Store::open(&dir.path().join("fresh.db")).expect("fresh database opens");
    let fresh_schema = fresh.read(|conn| Ok(schema(conn))).expect("schema read");

    for version in 0..latest_version() {
        let path = dir.path().join(format!("v{version}.db"));
        let before = {
            let mut conn = Connection::open(&path).expect("old database file opens");
            apply_migrations(&mut conn, version).expect("earlier migrations apply");
            if version > 0 {
                conn.execute_batch(SEEDS[version as usize])
                    .expect("the seed fits the schema of its version");
            }
            table_counts(&conn)
        };

        let (store, report) =
            Store::open_with_report(&path).expect("an older database is upgraded on open");
        assert_eq!(
            (report.from_version, report.to_version),
            (version, latest_version()),
            "opening must apply every migration after version {version}"
        );
        let (upgraded_schema, after) = store
            .read(|conn| Ok((schema(conn), table_counts(conn))))
            .expect("upgraded database is readable");
        assert_eq!(
            upgraded_schema, fresh_schema,
            "a database upgraded from version {version} must have exactly the schema of a new one"
        );
        for (table, rows_before) in before {
            let rows_after = after
                .iter()
                .find(|(name, _)| *name == table)
                .map(|(_, count)| *count);
            assert!(
                rows_after >= Some(rows_before),
                "upgrading from version {version} must keep every row of {table} ({rows_before} before, {rows_after:?} after)"
            );
        }
        assert_eq!(
            report.backup.is_some(),
            version > 0,
            "a database holding data (version {version}) is copied before it is upgraded"
        );
    }
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp folder");
    let path = dir.path().join("future.db");
    {
        let conn = Connection::open(&path).expect("file opens");
        conn.execute_batch("CREATE TABLE from_the_future (x); PRAGMA user_version = 99;")
            .expect("a future schema is written");
    }
    let before = std::fs::read(&path).expect("file readable");

    let error = Store::open(&path).expect_err("a newer schema must be refused");

    assert!(
        matches!(error, Error::DatabaseTooNew { found: 99, .. }),
        "the error must say the database is newer, got {error:?}"
    );
    assert!(
        error.to_string().contains("Install the latest Timebridge"),
        "the message must say what to do: {error}"
    );
    let after = std::fs::read(&path).expect("file readable");
    assert!(
        after == before,
        "refusing must not change a byte of the newer database"
    );
}

#[test]
fn a_file_that_is_not_a_database_gets_a_plain_message() {
    let dir = tempfile::tempdir().expect("temp folder");
    let path = dir.path().join("timebridge.db");
    std::fs::write(&path, "employee,hours\nRosa,8\n".repeat(200)).expect("file written");

    let error = Store::open(&path).expect_err("a CSV file is not a database");

    assert_eq!(error.code(), ErrorCode::Storage, "it is a storage problem");
    assert!(
        error.to_string().contains("is not a Timebridge database"),
        "the message must name the problem in words: {error}"
    );
}

#[test]
fn connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let t = common::store();
    let (journal, foreign_keys, busy): (String, i64, i64) = t
        .store
        .read(|conn| {
            Ok((
                conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?,
            ))
        })
        .expect("pragmas readable");
    assert_eq!(journal, "wal", "WAL lets the UI read while a sync writes");
    assert_eq!(foreign_keys, 1, "foreign keys must be enforced");
    assert!(
        busy >= 5000,
        "a writer waits for another instead of failing at once"
    );
}

#[test]
fn a_write_that_fails_rolls_back_everything_it_did() {
    let t = common::store();
    let result: timebridge_core::Result<()> = t.store.write(|tx| {
        tx.execute(
            "INSERT INTO integrations (platform, name, created_at) VALUES ('x', 'half-done', 'now')",
            [],
        )?;
        Err(Error::Conflict("stop halfway".into()))
    });
    assert!(result.is_err(), "the closure's error is returned");
    let count: i64 = t
        .store
        .read(|conn| Ok(conn.query_row("SELECT count(*) FROM integrations", [], |r| r.get(0))?))
        .expect("count readable");
    assert_eq!(count, 0, "an Err must roll back the insert made before it");
}

#[test]
fn a_write_that_succeeds_is_committed() {
    let t = common::store();
    t.store
        .write(|tx| {
            tx.execute(
                "INSERT INTO integrations (platform, name, created_at) VALUES ('x', 'kept', 'now')",
                [],
            )?;
            Ok(())
        })
        .expect("write succeeds");
    let reopened = Store::open(t.store.path()).expect("database reopens");
    let count: i64 = reopened
        .read(|conn| Ok(conn.query_row("SELECT count(*) FROM integrations", [], |r| r.get(0))?))
        .expect("count readable");
    assert_eq!(
        count, 1,
        "an Ok write must be on disk for the next connection"
    );
}

#[test]
fn migrations_are_embedded_and_each_one_is_applied_once() {
    let t = common::store();
    let version: i64 = t
        .store
        .read(|conn| Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?))
        .expect("version readable");
    assert_eq!(
        version,
        MIGRATIONS.len() as i64,
        "a new database is at the latest version"
    );
    let again = Store::open_with_report(t.store.path()).expect("reopens");
    assert_eq!(
        (again.1.from_version, again.1.backup),
        (version, None),
        "reopening an up-to-date database applies nothing and copies nothing"
    );
}
