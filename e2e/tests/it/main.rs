//! The real-window tests, as one test binary: one module per former test
//! file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).
//!
//! They need no process of their own: each test starts its own tauri-driver
//! and app on free ports over its own sandbox folder, and `cargo xtask test`
//! runs them one at a time (`--test-threads=1`) as before.

mod bonuses;
mod desktop;
mod integrations;
mod jobs;
mod payroll;
mod recovery;
