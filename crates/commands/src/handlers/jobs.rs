//! Long actions that run in the background with progress and can be
//! cancelled: importing thousands of staged records. The window starts one,
//! asks how it is going (`job_status`) until it ends, and may cancel it; a
//! cancelled import keeps what it committed, each chunk whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use timebridge_core::middleware::import::{self, ImportSummary};
use timebridge_core::{ApiError, Error, Result};
use ts_rs::TS;

use super::tracked::{Finished, Tracked};
use super::types::ImportArgs;
use crate::Ctx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Finished,
    Cancelled,
    Failed,
}

/// Where a background job stands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct JobStatus {
    pub state: JobState,
    /// Records handled so far, of `total`.
    pub done: u64,
    pub total: u64,
    /// What was done: set once it ends (also when cancelled).
    pub summary: Option<ImportSummary>,
    pub error: Option<ApiError>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct JobArgs {
    pub job: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct JobStarted {
    pub job: String,
    pub total: u64,
}

pub(crate) struct Job {
    status: JobStatus,
    cancel: Arc<AtomicBool>,
}

impl Finished for Job {
    fn finished(&self) -> bool {
        self.status.state != JobState::Running
    }
}

pub(crate) type Jobs = Tracked<Job>;

/// Starts importing in the background; see [`job_status`].
pub fn start_import(ctx: &mut Ctx<'_>, args: ImportArgs) -> Result<JobStarted> {
    let (actor, now) = (ctx.actor()?, ctx.now);
    let ids = ctx
        .store()
        .read(|c| import::selected_ids(c, args.integration_id, args.module, &args.selection))?;
    let total = ids.len() as u64;
    let cancel = Arc::new(AtomicBool::new(false));
    let id = ctx.api.jobs.add(
        Job {
            status: JobStatus {
                state: JobState::Running,
                done: 0,
                total,
                summary: None,
                error: None,
            },
            cancel: cancel.clone(),
        },
        now,
    );
    let jobs = ctx.api.jobs.clone();
    let store = ctx.api.store.clone();
    let job = id.clone();
    let options = args.options.unwrap_or_default();
    ctx.api.runtime.spawn_blocking(move || {
        let mut progress = |done: u64| {
            jobs.with(&job, |j| j.status.done = done);
            !cancel.load(Ordering::SeqCst)
        };
        let result = import::run_ids(
            &store,
            args.integration_id,
            args.module,
            &ids,
            &options,
            &actor,
            now,
            &mut progress,
        );
        let cancelled = cancel.load(Ordering::SeqCst);
        jobs.with(&job, |j| match result {
            Ok(summary) => {
                j.status.state = if cancelled {
                    JobState::Cancelled
                } else {
                    JobState::Finished
                };
                j.status.summary = Some(summary);
            }
            Err(error) => {
                tracing::error!(%error, "an import failed");
                j.status.state = JobState::Failed;
                j.status.error = Some(ApiError::from(error));
            }
        });
    });
    Ok(JobStarted { job: id, total })
}

pub fn job_status(ctx: &mut Ctx<'_>, args: JobArgs) -> Result<JobStatus> {
    ctx.api
        .jobs
        .with(&args.job, |j| j.status.clone())
        .ok_or_else(|| Error::NotFound("That action has ended and is no longer tracked.".into()))
}

/// Asks a running job to stop after the chunk it is on; `false` when it had
/// already ended.
pub fn cancel_job(ctx: &mut Ctx<'_>, args: JobArgs) -> Result<bool> {
    ctx.api
        .jobs
        .with(&args.job, |j| {
            j.cancel.store(true, Ordering::SeqCst);
            !j.finished()
        })
        .ok_or_else(|| Error::NotFound("That action has ended.".into()))
}
