//! The sync engine's integration tests, as one test binary: one module per
//! former test file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).

mod aspire;
mod busybusy;
mod child;
mod common;
mod csv_files;
mod full_disk;
mod kill;
mod kill_import;
mod kill_publish;
mod one_source_many_targets;
mod quickbooks_desktop;
mod quickbooks_desktop_publish;
mod quickbooks_time;
mod sage300_cre;
mod sage300_cre_publish;
mod sandbox;
mod scheduler;
mod sync;
mod web_connector_lockdown;
