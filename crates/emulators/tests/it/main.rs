//! The emulators' integration tests, as one test binary: one module per
//! former test file (why one binary, and why `it`: `crates/core/tests/it/main.rs`).

mod contracts;
mod quickbooks_time_contract;
mod sandbox_payroll;
