//! The core's integration tests, as one test binary.
//!
//! Every crate keeps its integration tests in `tests/it/`, one module per
//! former test file, so each crate links one test binary instead of one per
//! file (linking against the whole dependency graph is most of a test
//! build's time). `it` is short and the same in every crate:
//! `cargo test -p CRATE --test it MODULE::` runs one file's tests.
//! Fixtures and golden files stay beside `it/`, in `tests/fixtures/` and
//! `tests/golden/`.

mod backup;
mod bonus_pay;
mod bonuses;
mod common;
mod costing;
mod csv_layouts;
mod fuzz_iif;
mod import;
mod middleware;
mod operators;
mod payroll_hours;
mod payroll_out;
mod payroll_targets;
mod payroll_unimported;
mod records;
mod staged_list;
mod store;
