//! The permissions a role can grant. Every command names the one it needs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewIntegrations,
    SetupIntegrations,
    IntegrationActions,
    ViewRecords,
    EditRecords,
    ManagePayroll,
    PublishPayroll,
    ApproveBonuses,
    ManageUsersAndRoles,
}

/// A permission as the role editor shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PermissionInfo {
    pub permission: Permission,
    pub label: String,
    pub description: String,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::ViewIntegrations,
        Permission::SetupIntegrations,
        Permission::IntegrationActions,
        Permission::ViewRecords,
        Permission::EditRecords,
        Permission::ManagePayroll,
        Permission::PublishPayroll,
        Permission::ApproveBonuses,
        Permission::ManageUsersAndRoles,
    ];

    /// The stored name, as in `role_permissions.permission`.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewIntegrations => "view_integrations",
            Permission::SetupIntegrations => "setup_integrations",
            Permission::IntegrationActions => "integration_actions",
            Permission::ViewRecords => "view_records",
            Permission::EditRecords => "edit_records",
            Permission::ManagePayroll => "manage_payroll",
            Permission::PublishPayroll => "publish_payroll",
            Permission::ApproveBonuses => "approve_bonuses",
            Permission::ManageUsersAndRoles => "manage_users_and_roles",
        }
    }

    pub fn parse(stored: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewIntegrations => "View Integrations",
            Permission::SetupIntegrations => "Setup Integrations",
            Permission::IntegrationActions => "Integration Actions",
            Permission::ViewRecords => "View Records",
            Permission::EditRecords => "Edit Records",
            Permission::ManagePayroll => "Manage Payroll",
            Permission::PublishPayroll => "Publish Payroll",
            Permission::ApproveBonuses => "Approve Bonuses",
            Permission::ManageUsersAndRoles => "Manage Users and Roles",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Permission::ViewIntegrations => {
                "See the integrations, their status, run history and synced records."
            }
            Permission::SetupIntegrations => {
                "Connect, configure and disconnect integrations, and enter their credentials."
            }
            Permission::IntegrationActions => {
                "Sync now, import synced records, archive and unarchive them."
            }
            Permission::ViewRecords => {
                "See employees, customers, jobs, tasks, time entries, budgets and pay IDs."
            }
            Permission::EditRecords => "Create, edit and deactivate those records by hand.",
            Permission::ManagePayroll => {
                "Compute pay periods, map pay items and review payroll problems."
            }
            Permission::PublishPayroll => {
                "Publish payroll to a target, export payroll files, publish corrections."
            }
            Permission::ApproveBonuses => {
                "Approve crews' production bonuses, freezing their figures for payroll."
            }
            Permission::ManageUsersAndRoles => {
                "Add operators, reset passwords, edit roles, and read the activity log."
            }
        }
    }

    pub fn info(self) -> PermissionInfo {
        PermissionInfo {
            permission: self,
            label: self.label().to_owned(),
            description: self.description().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_match_the_serialized_names_the_ui_sees() {
        for permission in Permission::ALL {
            let json = serde_json::to_value(permission).expect("an enum serializes");
            assert_eq!(
                json.as_str(),
                Some(permission.as_str()),
                "the database and the UI must use one name for {permission:?}"
            );
            assert_eq!(
                Permission::parse(permission.as_str()),
                Some(permission),
                "a stored name must read back as the same permission"
            );
        }
    }
}
