//! Schema migrations, embedded in the binary and applied in order.
//!
//! The schema version is SQLite's `user_version`. Each migration runs in its
//! own transaction together with the version bump, so a crash mid-upgrade
//! leaves the database at the last whole version. Before upgrading a database
//! that already holds data, a copy is saved next to it. A database whose
//! version is newer than this build knows is refused untouched.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::OpenReport;
use crate::error::{Error, Result};

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Versions are 1, 2, 3, … with no gaps; a
/// migration, once released, is never edited.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "local records",
        sql: include_str!("../../migrations/0001_local_records.sql"),
    },
    Migration {
        version: 2,
        name: "operators, roles and audit log",
        sql: include_str!("../../migrations/0002_operators_and_audit.sql"),
    },
    Migration {
        version: 3,
        name: "middleware: integrations, staged records, bindings, cursors, sync runs",
        sql: include_str!("../../migrations/0003_middleware.sql"),
    },
    Migration {
        version: 4,
        name: "review at scale: staged counts, time-entry overlap indexes; sandbox activity",
        sql: include_str!("../../migrations/0004_review_at_scale.sql"),
    },
    Migration {
        version: 5,
        name: "payroll settings",
        sql: include_str!("../../migrations/0005_payroll_settings.sql"),
    },
    Migration {
        version: 6,
        name: "payroll out: task pay IDs, pay item mapping, target matches, publications",
        sql: include_str!("../../migrations/0006_payroll_out.sql"),
    },
    Migration {
        version: 7,
        name: "import speed: drop the time-entry indexes no query reads",
        sql: include_str!("../../migrations/0007_import_speed.sql"),
    },
    Migration {
        version: 8,
        name: "publishing through the Web Connector: each line's record at the target",
        sql: include_str!("../../migrations/0008_publish_through_web_connector.sql"),
    },
    Migration {
        version: 9,
        name: "CSV layouts: named column mappings of tracker exports",
        sql: include_str!("../../migrations/0009_csv_layouts.sql"),
    },
    Migration {
        version: 10,
        name: "job costing: dated wages, each time entry's wage",
        sql: include_str!("../../migrations/0010_job_costing.sql"),
    },
    Migration {
        version: 11,
        name: "crew bonuses: plans, bonuses and each worker's share",
        sql: include_str!("../../migrations/0011_crew_bonuses.sql"),
    },
    Migration {
        version: 12,
        name: "bonuses through payroll: amount lines, and who paid a bonus",
        sql: include_str!("../../migrations/0012_bonus_pay.sql"),
    },
    Migration {
        version: 13,
        name: "review at a million rows: full-text search of staged records, an index per sort",
        sql: include_str!("../../migrations/0013_review_at_a_million.sql"),
    },
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// Applies every migration above the current version up to `target`, each in
/// its own transaction. Used by [`migrate`], and by tests that build the
/// schema of an earlier release.
pub fn apply_migrations(conn: &mut Connection, target: i64) -> Result<i64> {
    let current = schema_version(conn)?;
    for migration in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(migration.sql).map_err(|error| {
            Error::Internal(format!(
                "migration {} ({}) failed: {error}",
                migration.version, migration.name
            ))
        })?;
        tx.pragma_update(None, "user_version", migration.version)?;
        tx.commit()?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
    }
    schema_version(conn)
}

/// Brings the database to the latest schema, refusing one that is newer.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<OpenReport> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|error| super::not_a_database(path, error))?;
    let supported = latest_version();
    if found > supported {
        return Err(Error::DatabaseTooNew {
            path: path.display().to_string(),
            found,
            supported,
        });
    }
    conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
        row.get::<_, String>(0)
    })?;
    let backup = if found > 0 && found < supported {
        Some(backup_before_upgrade(conn, path, found)?)
    } else {
        None
    };
    let to_version = apply_migrations(conn, supported)?;
    Ok(OpenReport {
        from_version: found,
        to_version,
        backup,
    })
}

/// Saves a consistent copy of the database before an upgrade, next to it,
/// as the backups are made ([`super::backup`]).
fn backup_before_upgrade(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "timebridge.db".into());
    name.push(format!(".v{version}.backup"));
    let backup = path.with_file_name(name);
    if backup.exists() {
        std::fs::remove_file(&backup).map_err(|source| {
            Error::io(
                format!("Could not replace the old backup {}", backup.display()),
                source,
            )
        })?;
    }
    super::backup::online_copy(conn, &backup)?;
    tracing::info!(backup = %backup.display(), version, "saved a copy of the database before upgrading it");
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_run_one_two_three_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                migration.version,
                index as i64 + 1,
                "migration {} must be numbered by its position so none is skipped",
                migration.name
            );
        }
    }
}
