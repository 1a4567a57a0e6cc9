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
//! instead: every file first, then everything in one transaction.
//!
//! One run per integration at a time: a second request joins the running
//! one and gets its result. Runs can be cancelled. Progress is broadcast to
//! whoever subscribes (the window, the command line). Every run is recorded
//! with its outcome, counts per module and the error in plain words.

mod engine;
mod folder;
mod publish;
mod sandbox;
pub mod scheduler;
mod stream;
mod web_connector;

pub use engine::{Engine, EngineOptions, Progress, ProgressPhase, web_connector_hint};
pub use publish::PublishResult;
pub use sandbox::SandboxHost;
pub use web_connector::{
    ConnectState, OnConnected, WebConnectorRequest, WebConnectorWait, save_qwc_again,
};
