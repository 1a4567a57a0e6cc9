//! The sync engine: brings one integration's data into the middleware.
//!
//! A run reads each of the connector's streams in order. Every page is
//! mapped, planned and written in **one transaction together with the
//! stream's cursor and the run's counts**, so a crash or kill at any point
//! loses nothing and duplicates nothing; the next run resumes at the page
//! after the last one written. Later runs ask only for what changed since
//! the last completed read (less a margin for clock differences) and re-read
//! the look-back window.
//!
//! Platforms without an API are read from a folder of export files
//! instead: every file first, then everything in one transaction; those
//! read whole from their database or exported lists (Sage 300 CRE) too.
//!
//! One run per integration at a time: a second request joins the running
//! one and gets its result. Runs can be cancelled. Progress is broadcast to
//! whoever subscribes (the window, the command line). Every run is recorded
//! with its outcome, counts per module and the error in plain words.
//!
//! Callers take the role they need from the [`Engine`]: [`Runs`],
//! [`WebConnector`], [`Payroll`] or [`SignIn`]. Every failure is a
//! [`SyncError`]; the command layer gives it the code the UI shows.
//!
//! Modules depend downwards only: `error`, `progress`, `sandbox` and
//! `web_connector::host` at the bottom; `shared` and `context` on them;
//! the reads (`stream`, `folder`, `lists`, `web_connector::run`) and `access`,
//! `history` on those; the roles (`runs`, `web_connector`, `publish`,
//! `sign_in`) next; `engine` and `scheduler` on top. No module below
//! `engine` imports it, and none imports one that imports it back (the
//! `layers` test reads every `use` line to check).

mod access;
mod context;
mod engine;
mod error;
mod folder;
mod history;
#[cfg(test)]
mod layers;
mod lists;
mod progress;
mod publish;
mod runs;
mod sandbox;
pub mod scheduler;
mod shared;
mod sign_in;
mod stream;
mod web_connector;

pub use engine::Engine;
pub use error::SyncError;
pub use progress::{Progress, ProgressPhase};
pub use publish::{Payroll, PublishResult};
pub use runs::Runs;
pub use sandbox::{SandboxHost, SandboxServer};
pub use shared::EngineOptions;
pub use sign_in::SignIn;
pub use web_connector::{
    ConnectState, OnConnected, WebConnector, WebConnectorRequest, WebConnectorWait, save_qwc_again,
    web_connector_hint,
};
