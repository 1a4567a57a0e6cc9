//! Command handlers. Each is a few lines: read or write through the core in
//! one transaction, as the signed-in operator. Access was already checked by
//! the time a handler runs.

pub(crate) mod admin;
pub mod backups;
pub mod bonuses;
pub mod costing;
pub(crate) mod csv_layouts;
pub(crate) mod integrations;
pub mod jobs;
pub mod payroll;
pub(crate) mod records;
pub(crate) mod session;
pub(crate) mod sign_in;
mod tracked;
pub mod types;
pub mod updates;
pub(crate) mod web_connector;
