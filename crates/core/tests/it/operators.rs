//! Operators, roles, sign-in and its throttle.

use crate::common;

use chrono::Duration;
use common::now;
use timebridge_core::audit::{self, Actor, AuditAction, AuditQuery};
use timebridge_core::operators::{self, FirstAdministrator, NewOperator, Operator, OperatorUpdate};
use timebridge_core::permissions::Permission;
use timebridge_core::roles::{self, BuiltinRole, RoleDraft};
use timebridge_core::{Error, ErrorCode, Sensitive, Store};

fn first_admin(store: &Store) -> Operator {
    store
        .write(|tx| {
            operators::create_first_administrator(
                tx,
                &FirstAdministrator {
                    username: "ada".into(),
                    display_name: "Ada Admin".into(),
                    password: Sensitive::new("correct horse battery".into()),
                },
                now(),
            )
        })
        .expect("the first administrator is created")
}

fn add_operator(store: &Store, username: &str, role: BuiltinRole) -> Operator {
    store
        .write(|tx| {
            let role_id = roles::builtin_id(tx, role)?;
            operators::create(
                tx,
                &NewOperator {
                    username: username.into(),
                    display_name: username.to_uppercase(),
                    password: Sensitive::new(format!("{username}-password-1")),
                    role_id,
                },
                &Actor::system(),
                now(),
            )
        })
        .expect("operator added")
}

fn sign_in(
    store: &Store,
    username: &str,
    password: &str,
    minutes_later: i64,
) -> Result<Operator, Error> {
    operators::sign_in(
        store,
        username,
        &Sensitive::new(password.to_owned()),
        now() + Duration::minutes(minutes_later),
    )
}

#[test]
fn a_new_database_asks_for_a_first_administrator_exactly_once() {
    let t = common::store();
    let needs = |store: &Store| {
        store
            .read(operators::needs_first_administrator)
            .expect("readable")
    };
    assert!(needs(&t.store), "a new database has no operator");
    let ada = first_admin(&t.store);
    assert_eq!(
        ada.builtin_role,
        Some(BuiltinRole::Administrator),
        "the first operator is an administrator"
    );
    assert!(!needs(&t.store), "after that, first-run setup is over");

    let again = t.store.write(|tx| {
        operators::create_first_administrator(
            tx,
            &FirstAdministrator {
                username: "eve".into(),
                display_name: "Eve".into(),
                password: Sensitive::new("another password".into()),
            },
            now(),
        )
    });
    assert!(
        matches!(again, Err(Error::Conflict(_))),
        "the first-run screen cannot add a second administrator"
    );
}

#[test]
fn the_stored_password_is_an_argon2id_hash_not_the_password() {
    let t = common::store();
    first_admin(&t.store);
    let stored: String = t
        .store
        .read(|conn| Ok(conn.query_row("SELECT password_hash FROM operators", [], |r| r.get(0))?))
        .expect("hash readable");
    assert!(
        stored.starts_with("$argon2id$"),
        "passwords are hashed with argon2id: {stored}"
    );
    assert!(
        !stored.contains("correct horse"),
        "the password itself is never stored"
    );
}

#[test]
fn signing_in_with_the_right_password_works_whatever_the_username_case() {
    let t = common::store();
    first_admin(&t.store);
    let ada =
        sign_in(&t.store, "  ADA ", "correct horse battery", 0).expect("right password signs in");
    assert_eq!(
        ada.username, "ada",
        "usernames match without regard to case or spaces"
    );
    assert!(
        ada.last_sign_in_at.is_some(),
        "the sign-in time is recorded"
    );
}

#[test]
fn a_wrong_password_and_an_unknown_user_get_the_same_plain_message() {
    let t = common::store();
    first_admin(&t.store);
    let wrong_password = sign_in(&t.store, "ada", "incorrect", 0).expect_err("wrong password");
    let unknown_user = sign_in(&t.store, "nobody", "incorrect", 0).expect_err("unknown user");
    assert_eq!(
        wrong_password.code(),
        ErrorCode::AuthFailed,
        "a wrong password is auth_failed"
    );
    assert_eq!(
        wrong_password.to_string(),
        "Wrong username or password.",
        "said plainly"
    );
    assert_eq!(
        unknown_user.to_string(),
        wrong_password.to_string(),
        "the message must not reveal which usernames exist"
    );
}

#[test]
fn repeated_failures_pause_sign_in_even_for_the_right_password() {
    let t = common::store();
    first_admin(&t.store);
    for attempt in 1..operators::FREE_ATTEMPTS {
        let error = sign_in(&t.store, "ada", "guess", 0).expect_err("wrong");
        assert_eq!(
            error.code(),
            ErrorCode::AuthFailed,
            "attempt {attempt} is only a failure"
        );
    }
    let paused =
        sign_in(&t.store, "ada", "guess", 0).expect_err("the fifth failure pauses sign-in");
    assert_eq!(
        paused.code(),
        ErrorCode::RateLimited,
        "the fifth failure pauses sign-in"
    );

    let right_too_soon = sign_in(&t.store, "ada", "correct horse battery", 0).expect_err("paused");
    assert_eq!(
        right_too_soon.code(),
        ErrorCode::RateLimited,
        "while paused, even the right password waits"
    );
    assert!(
        right_too_soon.to_string().contains("Wait"),
        "the message says to wait: {right_too_soon}"
    );

    let later = sign_in(&t.store, "ada", "correct horse battery", 1);
    assert!(
        later.is_ok(),
        "after the 30-second pause the right password works: {later:?}"
    );
}

#[test]
fn the_sign_in_pause_survives_a_restart() {
    let t = common::store();
    first_admin(&t.store);
    for _ in 0..operators::FREE_ATTEMPTS {
        let _ = sign_in(&t.store, "ada", "guess", 0);
    }
    let reopened = Store::open(t.store.path()).expect("database reopens");
    let error = sign_in(&reopened, "ada", "correct horse battery", 0).expect_err("still paused");
    assert_eq!(
        error.code(),
        ErrorCode::RateLimited,
        "restarting the app must not reset the count"
    );
}

#[test]
fn a_deactivated_operator_cannot_sign_in() {
    let t = common::store();
    let ada = first_admin(&t.store);
    let vic = add_operator(&t.store, "vic", BuiltinRole::Viewer);
    t.store
        .write(|tx| {
            operators::update(
                tx,
                vic.id,
                &OperatorUpdate {
                    display_name: "Vic".into(),
                    role_id: vic.role_id,
                    active: false,
                },
                &ada.actor(),
                now(),
            )
        })
        .expect("deactivated");
    let error = sign_in(&t.store, "vic", "vic-password-1", 0).expect_err("deactivated");
    assert!(
        error.to_string().contains("deactivated"),
        "the message says why: {error}"
    );
}

#[test]
fn the_last_active_administrator_cannot_be_demoted() {
    let t = common::store();
    let ada = first_admin(&t.store);
    let viewer_role = t
        .store
        .read(|conn| roles::builtin_id(conn, BuiltinRole::Viewer))
        .expect("role exists");
    let error = t
        .store
        .write(|tx| {
            operators::update(
                tx,
                ada.id,
                &OperatorUpdate {
                    display_name: "Ada".into(),
                    role_id: viewer_role,
                    active: true,
                },
                &Actor::system(),
                now(),
            )
        })
        .expect_err("Timebridge needs an administrator");
    assert_eq!(error.code(), ErrorCode::Conflict, "refused as a conflict");
}

#[test]
fn built_in_roles_cannot_be_edited_and_custom_roles_can() {
    let t = common::store();
    let ada = first_admin(&t.store);
    let viewer_role = t
        .store
        .read(|conn| roles::builtin_id(conn, BuiltinRole::Viewer))
        .expect("role exists");
    let draft = RoleDraft {
        name: "Foreman".into(),
        description: String::new(),
        permissions: vec![Permission::ViewRecords, Permission::EditRecords],
    };
    let refused = t
        .store
        .write(|tx| roles::update(tx, viewer_role, &draft, &ada.actor(), now()));
    assert!(
        matches!(refused, Err(Error::Conflict(_))),
        "built-in roles are fixed"
    );

    let foreman = t
        .store
        .write(|tx| roles::create(tx, &draft, &ada.actor(), now()))
        .expect("custom role created");
    assert_eq!(
        foreman.permissions,
        [Permission::ViewRecords, Permission::EditRecords],
        "it grants what was picked"
    );
    let role_changes = t
        .store
        .read(|conn| {
            audit::list(
                conn,
                &AuditQuery {
                    action: Some(AuditAction::RoleCreated),
                    ..Default::default()
                },
            )
        })
        .expect("audit readable");
    assert_eq!(
        role_changes.rows[0].actor, "Ada Admin (ada)",
        "the audit log says who created the role"
    );
}

#[test]
fn the_administrator_role_has_every_permission_and_the_viewer_only_views() {
    let t = common::store();
    let (admin, viewer) = t
        .store
        .read(|conn| {
            Ok((
                roles::permissions(conn, roles::builtin_id(conn, BuiltinRole::Administrator)?)?,
                roles::permissions(conn, roles::builtin_id(conn, BuiltinRole::Viewer)?)?,
            ))
        })
        .expect("roles readable");
    assert_eq!(
        admin.len(),
        Permission::ALL.len(),
        "administrators can do everything"
    );
    assert_eq!(
        viewer.into_iter().collect::<Vec<_>>(),
        [Permission::ViewIntegrations, Permission::ViewRecords],
        "a viewer can look but change nothing"
    );
}

#[test]
fn sign_ins_and_failures_are_in_the_audit_log() {
    let t = common::store();
    first_admin(&t.store);
    let _ = sign_in(&t.store, "ada", "guess", 0);
    sign_in(&t.store, "ada", "correct horse battery", 0).expect("signs in");
    let log = t
        .store
        .read(|conn| audit::list(conn, &AuditQuery::default()))
        .expect("readable");
    let actions: Vec<_> = log.rows.iter().filter_map(|e| e.action).collect();
    assert!(
        actions.contains(&AuditAction::SignInFailed),
        "a failed sign-in is logged"
    );
    assert!(
        actions.contains(&AuditAction::SignInSucceeded),
        "a sign-in is logged"
    );
}
