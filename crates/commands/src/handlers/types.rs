//! Argument and result types that exist only at the command boundary.

use serde::{Deserialize, Serialize};
use timebridge_core::Sensitive;
use timebridge_core::operators::Operator;
use timebridge_core::permissions::Permission;
use ts_rs::TS;

/// The signed-in operator and what their role lets them do; the UI shows and
/// hides its controls from `permissions`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionInfo {
    pub operator: Operator,
    pub permissions: Vec<Permission>,
}

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppStatus {
    /// First start: no operator exists yet, so ask for an administrator.
    pub needs_first_administrator: bool,
    pub session: Option<SessionInfo>,
    pub version: String,
    /// Where the database is, for the Settings page and support.
    pub database_path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInArgs {
    pub username: String,
    pub password: Sensitive<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChangePasswordArgs {
    pub current_password: Sensitive<String>,
    pub new_password: Sensitive<String>,
}

/// Edit one record: its id and the whole new draft.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateArgs<D> {
    pub id: i64,
    pub draft: D,
}

/// Deactivate (`false`) or reactivate (`true`) one record.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct SetActiveArgs {
    pub id: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct IdArgs {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResetPasswordArgs {
    pub id: i64,
    pub password: Sensitive<String>,
}
