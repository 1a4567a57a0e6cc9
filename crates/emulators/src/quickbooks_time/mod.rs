//! The QuickBooks Time (TSheets) REST API v1, emulated.
//!
//! Served under `/api/v1`: `current_user`, `users`, `jobcodes`,
//! `timesheets`, `timesheets_deleted`, `projects`, `estimates`,
//! `estimate_items`, `last_modified_timestamps`, and the OAuth `authorize`
//! and `grant` endpoints. Results are objects keyed by id (`[]` when empty),
//! pages are `page`/`limit` (at most 200) with `more`, `active` defaults to
//! `yes`, `timesheets` needs `ids`, `start_date` or `modified_since`, and
//! errors are `{"error":{"code":…,"message":…}}`. Refresh tokens rotate.
//! The Sandbox's payroll receiver (`payroll_items`, `payroll_time`) is
//! served beside them; see [`payroll`].

mod company;
pub mod payroll;
mod server;

pub use company::{
    Company, CompanySpec, Estimate, EstimateItem, Jobcode, Project, Timesheet, User,
};
pub use server::{CLIENT_ID, CLIENT_SECRET, Emulator, EmulatorOptions, Fault};

/// The OAuth client id the emulator accepts.
pub fn server_client_id() -> &'static str {
    CLIENT_ID
}

/// The OAuth client secret the emulator accepts.
pub fn server_client_secret() -> &'static str {
    CLIENT_SECRET
}
