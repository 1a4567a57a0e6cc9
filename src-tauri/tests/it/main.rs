//! The desktop shell's integration tests, as one test binary (why one
//! binary, and why `it`: `crates/core/tests/it/main.rs`).

mod csp;
mod shell;
mod updates;
