//! What a run reports while it goes, for the window's progress bar and the
//! command line's stream lines.

use serde::Serialize;
use timebridge_core::middleware::Module;
use ts_rs::TS;

/// What a run is doing, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub integration_id: i64,
    pub run_id: i64,
    pub stream: String,
    pub module: Module,
    /// Pages and records of this stream fetched so far by this run.
    pub pages: u64,
    pub fetched: u64,
    pub phase: ProgressPhase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProgressPhase {
    Fetching,
    Deriving,
    Finished,
}

/// Where every run's progress is broadcast.
pub(crate) type ProgressSender = tokio::sync::broadcast::Sender<Progress>;
