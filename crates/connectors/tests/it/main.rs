//! The connectors' integration tests, as one test binary: one module per
//! former test file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).

mod busybusy;
mod clockshark;
mod csv_files;
mod fuzz;
mod oauth;
mod oauth_lockdown;
mod qbd_publishing;
mod qbxml_schema;
mod sage300_cre;
#[cfg(unix)]
mod secret_file;
