//! The command layer's integration tests, as one test binary: one module per
//! former test file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).

mod backups;
mod bindings;
mod bonus_publish;
mod bonuses;
mod browser_sign_in;
mod busybusy;
mod clockshark;
mod common;
mod csv_files;
mod import;
mod integrations;
mod payroll;
mod payroll_publish;
mod permissions;
mod records;
mod sage300_cre;
mod sandbox;
mod sessions;
mod updates;
mod web_connector;
mod web_connector_publish;
