//! The QuickBooks Time (TSheets) REST API v1, emulated.
//!
//! Served under `/api/v1`: `current_user`, `users`, `jobcodes`,
//! `timesheets`, `timesheets_deleted`, `projects`, `estimates`,
//! `estimate_items`, `last_modified_timestamps`, and the OAuth `authorize`
//! and `grant` endpoints, held to the contract in
//! `docs/contracts/quickbooks-time.md` ([`contract`] is its parameter
//! table): a parameter the reference does not list, a missing required
//! filter, a malformed date or a page size over 200 is refused with 417 as
//! QuickBooks Time does. Results are objects keyed by id (`[]` when empty),
//! pages are `page`/`limit` with `more`, `active` defaults to `yes`, errors
//! are `{"error":{"code":…,"message":…}}`. Tokens expire; refresh tokens
//! rotate and expire; `authorize` redirects only to a registered address.
//! The Sandbox's payroll receiver (`payroll_items`, `payroll_time`) is
//! served beside them; see [`payroll`].

mod company;
pub mod contract;
mod oauth;
pub mod payroll;
mod server;

pub use company::{
    Company, CompanySpec, Estimate, EstimateItem, Jobcode, Project, Timesheet, User,
};
pub use oauth::{CLIENT_ID, CLIENT_SECRET, DEFAULT_REDIRECT_URI};
pub use server::{Emulator, EmulatorOptions, Fault, Recorded};

/// The OAuth client id the emulator accepts.
pub fn server_client_id() -> &'static str {
    CLIENT_ID
}

/// The OAuth client secret the emulator accepts.
pub fn server_client_secret() -> &'static str {
    CLIENT_SECRET
}
