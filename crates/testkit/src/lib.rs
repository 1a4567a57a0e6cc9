//! What the crates' integration tests share, so each crate's `tests/it/`
//! keeps only its own helpers: a database in a throwaway folder
//! ([`TempDb`], [`store`]), the pinned "now" every test starts from
//! ([`now`], [`pinned_clock`]), the test administrator and the records they
//! make by hand ([`admin`], [`employee`], [`job`]), and, with the
//! `quickbooks-time` feature, the emulated QuickBooks Time company
//! ([`quickbooks_time`]).
//!
//! Layering: the kit sits on the core, and with `quickbooks-time` on the
//! connectors and the emulators, the crates below the sync engine. It never
//! depends on the sync engine, the command layer or the command line, so
//! their tests use it without a test build waiting on a crate above the
//! one under test. The core's tests use it too: a dev-dependency cycle
//! (core's tests → kit → core) that cargo allows for integration tests,
//! which link the one `timebridge-core` library the kit links. The core's
//! unit tests (`--lib`) must not use it: they are built from a second copy
//! of the core, whose types are not the kit's. Helpers that stage records
//! stay in each crate: they follow each module's payload.

mod clock;
mod db;
#[cfg(feature = "quickbooks-time")]
pub mod quickbooks_time;
mod records;

pub use clock::{now, pinned_clock};
pub use db::{TempDb, TestStore, damage_table, store};
pub use records::{admin, employee, job};
