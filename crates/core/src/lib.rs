//! Timebridge's core: everything the app knows that is not user interface.
//!
//! It owns the domain types, the SQLite [`store`] and its migrations, the
//! company's own [`records`] (employees, customers, jobs, tasks, time
//! entries, budgets, pay IDs), [`operators`] with their [`roles`] and
//! [`permissions`], the [`audit`] log, whether the app looks for new versions of itself
//! ([`update_settings`]), the [`middleware`] where synced
//! records are staged for review, [`costing`] of jobs against their budgets, and the crew production [`bonus`] rules.
//! Nothing here depends on Tauri: the desktop shell, the command layer and
//! the CLI all call into this crate.

pub mod audit;
pub mod bonus;
pub mod costing;
pub mod error;
pub mod kill_points;
pub mod middleware;
pub mod operators;
pub mod paths;
pub mod payroll;
pub mod permissions;
pub mod platforms;
pub mod records;
pub mod roles;
pub mod sensitive;
pub mod store;
pub mod time;
pub mod update_settings;
mod validate;

pub use error::{ApiError, Error, ErrorCode, FieldProblem, Result};
/// The SQLite binding the store is built on, for callers that read through it.
pub use rusqlite;
pub use sensitive::Sensitive;
pub use store::Store;
