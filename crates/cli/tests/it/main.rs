//! The command line's integration tests, as one test binary: one module per
//! former test file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).

mod backup;
mod cli;
mod common;
mod costing;
mod csv;
mod import;
mod keyring;
mod names;
mod payroll_settings;
mod payroll_unimported;
mod quickbooks_desktop;
mod sage300_cre;
mod secret_file;
mod service;
mod sync;
mod tables;
