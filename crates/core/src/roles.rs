//! Roles: named sets of [`Permission`]s that operators are given.
//!
//! Three roles are built in and cannot be changed: Administrator (every
//! permission, including ones added by later versions), Payroll Manager and
//! Viewer. Administrators create further roles from the permission list.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::permissions::Permission;
use crate::time;
use crate::validate::Checks;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    Administrator,
    PayrollManager,
    Viewer,
}

impl BuiltinRole {
    pub fn as_str(self) -> &'static str {
        match self {
            BuiltinRole::Administrator => "administrator",
            BuiltinRole::PayrollManager => "payroll_manager",
            BuiltinRole::Viewer => "viewer",
        }
    }

    fn parse(stored: &str) -> Option<BuiltinRole> {
        [
            BuiltinRole::Administrator,
            BuiltinRole::PayrollManager,
            BuiltinRole::Viewer,
        ]
        .into_iter()
        .find(|r| r.as_str() == stored)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Role {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Set for the three built-in roles, which cannot be edited or deleted.
    pub builtin: Option<BuiltinRole>,
    pub permissions: Vec<Permission>,
    /// Operators (active or not) who have this role.
    pub operator_count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RoleDraft {
    pub name: String,
    pub description: String,
    pub permissions: Vec<Permission>,
}

const SELECT: &str = "SELECT r.id, r.name, r.description, r.builtin,
        (SELECT count(*) FROM operators o WHERE o.role_id = r.id) AS operator_count
    FROM roles r";

fn from_row(conn: &Connection, row: &Row<'_>) -> Result<Role> {
    let id: i64 = row.get("id")?;
    let builtin: Option<String> = row.get("builtin")?;
    let builtin = builtin.as_deref().and_then(BuiltinRole::parse);
    Ok(Role {
        id,
        name: row.get("name")?,
        description: row.get("description")?,
        permissions: permissions_of(conn, id, builtin)?.into_iter().collect(),
        builtin,
        operator_count: row.get("operator_count")?,
    })
}

fn permissions_of(
    conn: &Connection,
    role_id: i64,
    builtin: Option<BuiltinRole>,
) -> Result<BTreeSet<Permission>> {
    if builtin == Some(BuiltinRole::Administrator) {
        return Ok(Permission::ALL.into_iter().collect());
    }
    let mut statement =
        conn.prepare_cached("SELECT permission FROM role_permissions WHERE role_id = ?1")?;
    let stored = statement
        .query_map([role_id], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A permission name this version does not know (written by a newer
    // version) grants nothing here.
    Ok(stored.iter().filter_map(|p| Permission::parse(p)).collect())
}

/// The permissions a role grants.
pub fn permissions(conn: &Connection, role_id: i64) -> Result<BTreeSet<Permission>> {
    Ok(get(conn, role_id)?.permissions.into_iter().collect())
}

pub fn list(conn: &Connection) -> Result<Vec<Role>> {
    let mut statement =
        conn.prepare_cached(&format!("{SELECT} ORDER BY r.builtin IS NULL, r.id"))?;
    let mut rows = statement.query([])?;
    let mut roles = Vec::new();
    while let Some(row) = rows.next()? {
        roles.push(from_row(conn, row)?);
    }
    Ok(roles)
}

pub fn get(conn: &Connection, id: i64) -> Result<Role> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?;
    let mut rows = statement.query([id])?;
    match rows.next()? {
        Some(row) => from_row(conn, row),
        None => Err(Error::NotFound(format!(
            "No role with id {id} exists; it may have been deleted. Refresh and try again."
        ))),
    }
}

/// The id of a built-in role.
pub fn builtin_id(conn: &Connection, role: BuiltinRole) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM roles WHERE builtin = ?1")?
        .query_row([role.as_str()], |row| row.get(0))
        .optional()?
        .ok_or_else(|| Error::Internal(format!("the built-in role {} is missing", role.as_str())))
}

fn clean(conn: &Connection, draft: &RoleDraft, id: Option<i64>) -> Result<RoleDraft> {
    let mut checks = Checks::default();
    let name = checks.required("name", "a name for the role", &draft.name, 60);
    if !name.is_empty() {
        let taken = conn
            .prepare_cached("SELECT 1 FROM roles WHERE name = ?1 AND id IS NOT ?2")?
            .query_row(params![name, id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            checks.problem("name", format!("A role named “{name}” already exists."));
        }
    }
    let description = checks
        .optional(
            "description",
            "the description",
            Some(&draft.description),
            300,
        )
        .unwrap_or_default();
    if draft.permissions.is_empty() {
        checks.problem("permissions", "Give the role at least one permission.");
    }
    checks.finish()?;
    let permissions: BTreeSet<_> = draft.permissions.iter().copied().collect();
    Ok(RoleDraft {
        name,
        description,
        permissions: permissions.into_iter().collect(),
    })
}

fn refuse_builtin(role: &Role, verb: &str) -> Result<()> {
    if role.builtin.is_some() {
        return Err(Error::Conflict(format!(
            "“{}” is a built-in role and cannot be {verb}. Create a new role instead.",
            role.name
        )));
    }
    Ok(())
}

fn write_permissions(tx: &Transaction<'_>, role_id: i64, permissions: &[Permission]) -> Result<()> {
    tx.execute("DELETE FROM role_permissions WHERE role_id = ?1", [role_id])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO role_permissions (role_id, permission) VALUES (?1, ?2)")?;
    for permission in permissions {
        insert.execute(params![role_id, permission.as_str()])?;
    }
    Ok(())
}

fn labels(permissions: &[Permission]) -> Vec<&'static str> {
    permissions.iter().map(|p| p.label()).collect()
}

pub fn create(
    tx: &Transaction<'_>,
    draft: &RoleDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Role> {
    let draft = clean(tx, draft, None)?;
    let stamp = time::to_db(now);
    tx.execute(
        "INSERT INTO roles (name, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![draft.name, draft.description, stamp],
    )?;
    let id = tx.last_insert_rowid();
    write_permissions(tx, id, &draft.permissions)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::RoleCreated,
            format!("Created role {}", draft.name),
        )
        .target(format!("role #{id}"))
        .details(serde_json::json!({ "permissions": labels(&draft.permissions) })),
        now,
    )?;
    get(tx, id)
}

pub fn update(
    tx: &Transaction<'_>,
    id: i64,
    draft: &RoleDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Role> {
    let before = get(tx, id)?;
    refuse_builtin(&before, "edited")?;
    let draft = clean(tx, draft, Some(id))?;
    tx.execute(
        "UPDATE roles SET name = ?1, description = ?2, updated_at = ?3 WHERE id = ?4",
        params![draft.name, draft.description, time::to_db(now), id],
    )?;
    write_permissions(tx, id, &draft.permissions)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::RoleUpdated,
            format!("Edited role {}", draft.name),
        )
        .target(format!("role #{id}"))
        .details(serde_json::json!({
            "name": { "from": before.name, "to": draft.name },
            "permissions": {
                "from": labels(&before.permissions),
                "to": labels(&draft.permissions),
            },
        })),
        now,
    )?;
    get(tx, id)
}

/// Deletes a role no operator has.
pub fn delete(tx: &Transaction<'_>, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    let role = get(tx, id)?;
    refuse_builtin(&role, "deleted")?;
    if role.operator_count > 0 {
        return Err(Error::Conflict(format!(
            "{} operator{} still {} the role “{}”. Give them another role first.",
            role.operator_count,
            if role.operator_count == 1 { "" } else { "s" },
            if role.operator_count == 1 {
                "has"
            } else {
                "have"
            },
            role.name
        )));
    }
    tx.execute("DELETE FROM roles WHERE id = ?1", [id])?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::RoleDeleted,
            format!("Deleted role {}", role.name),
        )
        .target(format!("role #{id}")),
        now,
    )
}
