//! Operators: the people who sign in to Timebridge.
//!
//! Passwords are stored as argon2id hashes (PHC strings), never as text.
//! Failed sign-ins are counted per username, known or not, in the database,
//! so a restart does not reset them: after [`FREE_ATTEMPTS`] failures in a
//! row, sign-in for that name pauses for 30 seconds, doubling with each
//! further failure up to 15 minutes. There is always at least one active
//! administrator.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::error::{Error, Result};
use crate::permissions::Permission;
use crate::roles::{self, BuiltinRole};
use crate::sensitive::Sensitive;
use crate::store::Store;
use crate::time;
use crate::validate::Checks;

/// Failed sign-ins allowed in a row before sign-in pauses.
pub const FREE_ATTEMPTS: i64 = 5;
const FIRST_PAUSE_SECONDS: i64 = 30;
const LONGEST_PAUSE_SECONDS: i64 = 15 * 60;
/// A run of failures older than this is forgotten.
pub const FAILURE_MEMORY_SECONDS: i64 = 15 * 60;

/// How long sign-in pauses after `failures` failed attempts in a row:
/// not at all for the first [`FREE_ATTEMPTS`] − 1, then 30 seconds,
/// doubling with each further failure up to 15 minutes. Shared with the
/// QuickBooks Web Connector's sign-ins.
pub fn pause_after(failures: i64) -> Option<Duration> {
    (failures >= FREE_ATTEMPTS).then(|| {
        let doublings = u32::try_from(failures - FREE_ATTEMPTS)
            .unwrap_or(u32::MAX)
            .min(10);
        Duration::seconds((FIRST_PAUSE_SECONDS << doublings).min(LONGEST_PAUSE_SECONDS))
    })
}

pub const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Operator {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role_id: i64,
    pub role_name: String,
    pub builtin_role: Option<BuiltinRole>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl Operator {
    pub fn actor(&self) -> Actor {
        Actor::operator(self.id, &self.username, &self.display_name)
    }

    fn is_admin(&self) -> bool {
        self.builtin_role == Some(BuiltinRole::Administrator)
    }
}

/// A new operator, as the Users page or the CLI supplies it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewOperator {
    pub username: String,
    pub display_name: String,
    pub password: Sensitive<String>,
    pub role_id: i64,
}

/// The first administrator, created on first start.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FirstAdministrator {
    pub username: String,
    pub display_name: String,
    pub password: Sensitive<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct OperatorUpdate {
    pub display_name: String,
    pub role_id: i64,
    pub active: bool,
}

const SELECT: &str = "SELECT o.id, o.username, o.display_name, o.role_id, r.name AS role_name,
        r.builtin, o.active, o.created_at, o.last_sign_in_at
    FROM operators o JOIN roles r ON r.id = o.role_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Operator> {
    let builtin: Option<String> = row.get("builtin")?;
    Ok(Operator {
        id: row.get("id")?,
        username: row.get("username")?,
        display_name: row.get("display_name")?,
        role_id: row.get("role_id")?,
        role_name: row.get("role_name")?,
        builtin_role: match builtin.as_deref() {
            Some("administrator") => Some(BuiltinRole::Administrator),
            Some("payroll_manager") => Some(BuiltinRole::PayrollManager),
            Some("viewer") => Some(BuiltinRole::Viewer),
            _ => None,
        },
        active: row.get("active")?,
        created_at: time::column(row, "created_at")?,
        last_sign_in_at: time::optional_column(row, "last_sign_in_at")?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Operator>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} ORDER BY o.active DESC, o.display_name COLLATE NOCASE"
    ))?;
    let operators = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(operators)
}

pub fn get(conn: &Connection, id: i64) -> Result<Operator> {
    conn.prepare_cached(&format!("{SELECT} WHERE o.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "No operator with id {id} exists. Refresh the list and try again."
            ))
        })
}

/// True until the first administrator has been created.
pub fn needs_first_administrator(conn: &Connection) -> Result<bool> {
    let count: i64 = conn.query_row("SELECT count(*) FROM operators", [], |row| row.get(0))?;
    Ok(count == 0)
}

/// The active operator and what their role lets them do, or `None` if the
/// operator no longer exists or is deactivated.
pub fn active_with_permissions(
    conn: &Connection,
    id: i64,
) -> Result<Option<(Operator, BTreeSet<Permission>)>> {
    let operator = match get(conn, id) {
        Ok(operator) if operator.active => operator,
        Ok(_) | Err(Error::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other),
    };
    let permissions = roles::permissions(conn, operator.role_id)?;
    Ok(Some((operator, permissions)))
}

fn hasher() -> Argon2<'static> {
    // argon2id, version 0x13, m=19 MiB, t=2, p=1: the OWASP recommendation.
    Argon2::default()
}

fn hash_password(password: &str) -> Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("could not hash a password: {e}")))
}

fn password_matches(password: &str, stored_hash: &str) -> bool {
    hasher()
        .verify_password(password.as_bytes(), stored_hash)
        .is_ok()
}

/// A hash of a password nobody has, verified against when the username is
/// unknown, so a wrong username takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("no operator has this password").unwrap_or_default())
}

fn check_password(checks: &mut Checks, field: &str, password: &str, username: &str) {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        checks.problem(
            field,
            format!("Use at least {MIN_PASSWORD_CHARS} characters for the password."),
        );
    } else if length > MAX_PASSWORD_CHARS {
        checks.problem(
            field,
            format!("Use at most {MAX_PASSWORD_CHARS} characters for the password."),
        );
    } else if password.trim().eq_ignore_ascii_case(username.trim()) {
        checks.problem(field, "The password cannot be the same as the username.");
    }
}

fn check_username(conn: &Connection, checks: &mut Checks, username: &str) -> Result<String> {
    let username = checks.required("username", "a username", username, 64);
    if !username.is_empty()
        && !username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        checks.problem(
            "username",
            "Use only letters, digits, and . _ - @ in a username (no spaces).",
        );
    }
    let taken = conn
        .prepare_cached("SELECT 1 FROM operators WHERE username = ?1")?
        .query_row([&username], |_| Ok(()))
        .optional()?
        .is_some();
    if taken {
        checks.problem("username", format!("The username “{username}” is taken."));
    }
    Ok(username)
}

fn insert(
    tx: &Transaction<'_>,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let stamp = time::to_db(now);
    tx.execute(
        "INSERT INTO operators (username, display_name, password_hash, role_id, created_at,
             updated_at, password_changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)",
        params![username, display_name, password_hash, role_id, stamp],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Creates the first administrator. Refused once any operator exists, so the
/// first-start screen cannot be used to add a second administrator.
pub fn create_first_administrator(
    tx: &Transaction<'_>,
    admin: &FirstAdministrator,
    now: DateTime<Utc>,
) -> Result<Operator> {
    if !needs_first_administrator(tx)? {
        return Err(Error::Conflict(
            "An administrator already exists. Sign in, or ask an administrator for an account."
                .to_owned(),
        ));
    }
    let mut checks = Checks::default();
    let username = check_username(tx, &mut checks, &admin.username)?;
    let display_name = checks.required("display_name", "your name", &admin.display_name, 100);
    check_password(&mut checks, "password", admin.password.expose(), &username);
    checks.finish()?;
    let role_id = roles::builtin_id(tx, BuiltinRole::Administrator)?;
    let hash = hash_password(admin.password.expose())?;
    let id = insert(tx, &username, &display_name, &hash, role_id, now)?;
    let operator = get(tx, id)?;
    audit::record(
        tx,
        &Actor::system(),
        AuditEvent::new(
            AuditAction::OperatorCreated,
            format!("Created the first administrator, {display_name} ({username})"),
        )
        .target(format!("operator #{id}")),
        now,
    )?;
    Ok(operator)
}

pub fn create(
    tx: &Transaction<'_>,
    new: &NewOperator,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Operator> {
    let mut checks = Checks::default();
    let username = check_username(tx, &mut checks, &new.username)?;
    let display_name = checks.required("display_name", "a display name", &new.display_name, 100);
    check_password(&mut checks, "password", new.password.expose(), &username);
    if roles::get(tx, new.role_id).is_err() {
        checks.problem("role_id", "Pick a role for the new operator.");
    }
    checks.finish()?;
    let hash = hash_password(new.password.expose())?;
    let id = insert(tx, &username, &display_name, &hash, new.role_id, now)?;
    let operator = get(tx, id)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::OperatorCreated,
            format!(
                "Added operator {display_name} ({username}) as {}",
                operator.role_name
            ),
        )
        .target(format!("operator #{id}")),
        now,
    )?;
    Ok(operator)
}

/// Changes an operator's name, role or active flag. Refuses to leave
/// Timebridge without an active administrator, and refuses an operator
/// deactivating themselves.
pub fn update(
    tx: &Transaction<'_>,
    id: i64,
    update: &OperatorUpdate,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Operator> {
    let before = get(tx, id)?;
    let mut checks = Checks::default();
    let display_name = checks.required("display_name", "a display name", &update.display_name, 100);
    let role = roles::get(tx, update.role_id);
    if role.is_err() {
        checks.problem("role_id", "Pick a role.");
    }
    if actor.operator_id == Some(id) && !update.active {
        checks.problem("active", "You cannot deactivate your own account.");
    }
    checks.finish()?;
    let stays_admin =
        update.active && role.is_ok_and(|role| role.builtin == Some(BuiltinRole::Administrator));
    if before.is_admin() && before.active && !stays_admin && active_admin_count(tx)? <= 1 {
        return Err(Error::Conflict(
            "Timebridge needs at least one active administrator. Make another operator an \
             administrator first."
                .to_owned(),
        ));
    }
    tx.execute(
        "UPDATE operators SET display_name = ?1, role_id = ?2, active = ?3, updated_at = ?4
         WHERE id = ?5",
        params![
            display_name,
            update.role_id,
            update.active,
            time::to_db(now),
            id
        ],
    )?;
    let after = get(tx, id)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::OperatorUpdated,
            format!(
                "Edited operator {} ({})",
                after.display_name, after.username
            ),
        )
        .target(format!("operator #{id}"))
        .details(serde_json::json!({
            "display_name": { "from": before.display_name, "to": after.display_name },
            "role": { "from": before.role_name, "to": after.role_name },
            "active": { "from": before.active, "to": after.active },
        })),
        now,
    )?;
    Ok(after)
}

fn active_admin_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM operators o JOIN roles r ON r.id = o.role_id
         WHERE o.active = 1 AND r.builtin = 'administrator'",
        [],
        |row| row.get(0),
    )?)
}

fn set_password_hash(tx: &Transaction<'_>, id: i64, hash: &str, now: DateTime<Utc>) -> Result<()> {
    let stamp = time::to_db(now);
    tx.execute(
        "UPDATE operators SET password_hash = ?1, password_changed_at = ?2, updated_at = ?2
         WHERE id = ?3",
        params![hash, stamp, id],
    )?;
    // A new password also lifts any sign-in pause for the name.
    tx.execute(
        "DELETE FROM sign_in_throttle WHERE username = (SELECT username FROM operators WHERE id = ?1)",
        [id],
    )?;
    Ok(())
}

/// An administrator sets a new password for an operator.
pub fn reset_password(
    tx: &Transaction<'_>,
    id: i64,
    password: &Sensitive<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let operator = get(tx, id)?;
    let mut checks = Checks::default();
    check_password(
        &mut checks,
        "password",
        password.expose(),
        &operator.username,
    );
    checks.finish()?;
    set_password_hash(tx, id, &hash_password(password.expose())?, now)?;
    audit::record(
        tx,
        actor,
        AuditEvent::new(
            AuditAction::OperatorPasswordReset,
            format!(
                "Reset the password of {} ({})",
                operator.display_name, operator.username
            ),
        )
        .target(format!("operator #{id}")),
        now,
    )
}

/// An operator changes their own password, proving they know the current one.
pub fn change_own_password(
    tx: &Transaction<'_>,
    id: i64,
    current: &Sensitive<String>,
    new: &Sensitive<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    let operator = get(tx, id)?;
    let stored: String = tx.query_row(
        "SELECT password_hash FROM operators WHERE id = ?1",
        [id],
        |row| row.get(0),
    )?;
    let mut checks = Checks::default();
    if !password_matches(current.expose(), &stored) {
        checks.problem("current_password", "The current password is not right.");
    }
    check_password(
        &mut checks,
        "new_password",
        new.expose(),
        &operator.username,
    );
    checks.finish()?;
    set_password_hash(tx, id, &hash_password(new.expose())?, now)?;
    audit::record(
        tx,
        &operator.actor(),
        AuditEvent::new(
            AuditAction::OperatorPasswordChanged,
            "Changed their own password",
        )
        .target(format!("operator #{id}")),
        now,
    )
}

struct Throttle {
    failures: i64,
    last_failure_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
}

fn throttle(conn: &Connection, username: &str) -> Result<Option<Throttle>> {
    Ok(conn
        .prepare_cached(
            "SELECT failures, last_failure_at, locked_until FROM sign_in_throttle WHERE username = ?1",
        )?
        .query_row([username], |row| {
            Ok(Throttle {
                failures: row.get(0)?,
                last_failure_at: time::column(row, "last_failure_at")?,
                locked_until: time::optional_column(row, "locked_until")?,
            })
        })
        .optional()?)
}

fn paused_error(username: &str, until: DateTime<Utc>, now: DateTime<Utc>, wrong: bool) -> Error {
    let seconds = (until - now).num_seconds().max(1);
    let wait = if seconds < 120 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", (seconds + 59) / 60)
    };
    let lead = if wrong {
        "Wrong username or password. "
    } else {
        ""
    };
    Error::RateLimited {
        message: format!(
            "{lead}Sign-in for “{username}” is paused after too many failed attempts. Wait {wait} \
             and try again, or ask an administrator to reset the password."
        ),
        retry_after_seconds: u64::try_from(seconds).unwrap_or(1),
    }
}

/// Checks a username and password. On success, records the sign-in and
/// returns the operator; on failure, records the failure (committed, even
/// though an error is returned) and says plainly what was wrong.
pub fn sign_in(
    store: &Store,
    username: &str,
    password: &Sensitive<String>,
    now: DateTime<Utc>,
) -> Result<Operator> {
    let username = username.trim().to_owned();
    if username.is_empty() || password.expose().is_empty() {
        return Err(Error::AuthFailed(
            "Enter your username and password.".to_owned(),
        ));
    }
    let (throttled, account) = store.read(|conn| {
        let account: Option<(i64, String, bool)> = conn
            .prepare_cached("SELECT id, password_hash, active FROM operators WHERE username = ?1")?
            .query_row([&username], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        Ok((throttle(conn, &username)?, account))
    })?;
    if let Some(until) = throttled.as_ref().and_then(|t| t.locked_until)
        && until > now
    {
        return Err(paused_error(&username, until, now, false));
    }

    // Verify outside any transaction: hashing is deliberately slow.
    let matches = match &account {
        Some((_, hash, _)) => password_matches(password.expose(), hash),
        None => {
            password_matches(password.expose(), decoy_hash());
            false
        }
    };

    match account {
        Some((id, _, true)) if matches => store.write(|tx| {
            tx.execute(
                "DELETE FROM sign_in_throttle WHERE username = ?1",
                [&username],
            )?;
            tx.execute(
                "UPDATE operators SET last_sign_in_at = ?1 WHERE id = ?2",
                params![time::to_db(now), id],
            )?;
            let operator = get(tx, id)?;
            audit::record(
                tx,
                &operator.actor(),
                AuditEvent::new(AuditAction::SignInSucceeded, "Signed in")
                    .target(format!("operator #{id}")),
                now,
            )?;
            Ok(operator)
        }),
        Some((id, _, false)) if matches => {
            store.write(|tx| {
                audit::record(
                    tx,
                    &Actor {
                        operator_id: Some(id),
                        name: username.clone(),
                    },
                    AuditEvent::new(
                        AuditAction::SignInFailed,
                        "Sign-in refused: account deactivated",
                    )
                    .target(format!("operator #{id}")),
                    now,
                )
            })?;
            Err(Error::AuthFailed(
                "This account has been deactivated. Ask an administrator to reactivate it."
                    .to_owned(),
            ))
        }
        _ => {
            let locked_until = store.write(|tx| record_failure(tx, &username, throttled, now))?;
            match locked_until {
                Some(until) => Err(paused_error(&username, until, now, true)),
                None => Err(Error::AuthFailed("Wrong username or password.".to_owned())),
            }
        }
    }
}

/// Counts a failed sign-in; returns when sign-in is paused until, if it is.
fn record_failure(
    tx: &Transaction<'_>,
    username: &str,
    previous: Option<Throttle>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let earlier_failures = previous
        .filter(|t| (now - t.last_failure_at).num_seconds() < FAILURE_MEMORY_SECONDS)
        .map_or(0, |t| t.failures);
    let failures = earlier_failures + 1;
    let locked_until = pause_after(failures).map(|pause| now + pause);
    tx.execute(
        "INSERT INTO sign_in_throttle (username, failures, last_failure_at, locked_until)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,
             last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
        params![
            username,
            failures,
            time::to_db(now),
            locked_until.map(time::to_db)
        ],
    )?;
    let operator_id: Option<i64> = tx
        .prepare_cached("SELECT id FROM operators WHERE username = ?1")?
        .query_row([username], |row| row.get(0))
        .optional()?;
    let actor = Actor {
        operator_id,
        name: username.to_owned(),
    };
    audit::record(
        tx,
        &actor,
        AuditEvent::new(
            AuditAction::SignInFailed,
            format!("Failed sign-in as “{username}” (attempt {failures})"),
        ),
        now,
    )?;
    if let Some(until) = locked_until {
        audit::record(
            tx,
            &actor,
            AuditEvent::new(
                AuditAction::SignInLocked,
                format!(
                    "Sign-in for “{username}” paused until {} after {failures} failed attempts",
                    until.format("%H:%M:%S UTC")
                ),
            ),
            now,
        )?;
    }
    Ok(locked_until)
}

/// Records a sign-out.
pub fn record_sign_out(
    tx: &Transaction<'_>,
    operator: &Operator,
    now: DateTime<Utc>,
) -> Result<()> {
    audit::record(
        tx,
        &operator.actor(),
        AuditEvent::new(AuditAction::SignOut, "Signed out")
            .target(format!("operator #{}", operator.id)),
        now,
    )
}
