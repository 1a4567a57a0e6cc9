//! Every command checks its access in the backend, whatever the UI shows.

use crate::common;

use serde_json::Value;
use timebridge_commands::{Access, COMMANDS, Client};
use timebridge_core::ErrorCode;
use timebridge_core::permissions::Permission;

fn all_but(missing: Permission) -> Vec<Permission> {
    Permission::ALL
        .into_iter()
        .filter(|p| *p != missing)
        .collect()
}

#[test]
fn every_command_refuses_a_role_that_lacks_its_permission() {
    let mut h = common::harness();
    let mut checked = 0;
    for permission in Permission::ALL {
        let role = h.role(
            &format!("All but {}", permission.label()),
            &all_but(permission),
        );
        let mut client = h.operator(
            &format!("no-{}", permission.as_str().replace('_', "-")),
            role,
        );
        for command in COMMANDS
            .iter()
            .filter(|c| c.access == Access::Requires(permission))
        {
            let error = h
                .call(&mut client, command.name, Value::Null)
                .expect_err("a role without the permission must be refused");
            assert_eq!(
                error.code,
                ErrorCode::PermissionDenied,
                "{} needs {permission:?}; a role without it must get permission_denied, got {error:?}",
                command.name
            );
            checked += 1;
        }
    }
    let guarded = COMMANDS
        .iter()
        .filter(|c| matches!(c.access, Access::Requires(_)))
        .count();
    assert_eq!(
        checked, guarded,
        "every permission-guarded command was tried"
    );
}

#[test]
fn every_guarded_command_lets_through_a_role_that_has_its_permission() {
    let mut h = common::harness();
    for permission in Permission::ALL {
        let role = h.role(&format!("Only {}", permission.label()), &[permission]);
        let mut client = h.operator(
            &format!("only-{}", permission.as_str().replace('_', "-")),
            role,
        );
        for command in COMMANDS
            .iter()
            .filter(|c| c.access == Access::Requires(permission))
        {
            // The arguments are wrong on purpose; what matters is that the
            // access check let the call through to reading them.
            let result = h.call(&mut client, command.name, Value::Null);
            let code = result.err().map(|e| e.code);
            assert_ne!(
                code,
                Some(ErrorCode::PermissionDenied),
                "{} must let a role with {permission:?} through",
                command.name
            );
        }
    }
}

#[test]
fn every_command_but_the_public_ones_needs_a_session() {
    let h = common::harness();
    for command in COMMANDS.iter().filter(|c| c.access != Access::Public) {
        let error = h
            .call(&mut Client::new(), command.name, Value::Null)
            .expect_err("no session, no access");
        assert_eq!(
            error.code,
            ErrorCode::NotSignedIn,
            "{} must refuse a caller who is not signed in",
            command.name
        );
    }
}

#[test]
fn only_setup_status_sign_in_and_recovery_are_public() {
    let public: Vec<_> = COMMANDS
        .iter()
        .filter(|c| c.access == Access::Public)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        public,
        [
            "app_status",
            "create_first_administrator",
            "sign_in",
            "database_status",
            "restore_backup"
        ],
        "anything else public would be reachable without signing in (restore_backup checks \
         for an administrator itself unless the database is damaged)"
    );
}
