//! The daily backup, made by whichever process schedules the database's
//! syncs (the window or the background service): once a day, on the
//! computer's own calendar, in the background so syncs never wait on it.
//! The copy, its check and the 14 days kept are the core's
//! ([`timebridge_core::store::backup`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use timebridge_core::Store;
use timebridge_core::store::backup;

/// How long after a failed backup (a full disk, say) the next try waits.
pub const RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// Whether today's backup is made, being made, or waits to be retried.
#[derive(Debug, Default)]
pub struct DailyBackup {
    running: Option<tokio::task::JoinHandle<()>>,
    /// When the last backup started: a day's backup that failed is tried
    /// again [`RETRY_AFTER`] later (one that succeeded is no longer due).
    last_attempt: Option<Instant>,
}

impl DailyBackup {
    /// Starts the backup of `today` in the background when it is due: not
    /// made yet, none running, no try within [`RETRY_AFTER`], and the
    /// database sound. Call it every scheduler period.
    pub fn start_if_due(&mut self, store: &Arc<Store>, today: NaiveDate) {
        if let Some(running) = &self.running {
            if !running.is_finished() {
                return;
            }
            self.running = None;
        }
        if store.damage().is_some() || !backup::daily_due(store.path(), today) {
            return;
        }
        if self
            .last_attempt
            .is_some_and(|tried| tried.elapsed() < RETRY_AFTER)
        {
            return;
        }
        self.last_attempt = Some(Instant::now());
        let store = store.clone();
        self.running = Some(tokio::task::spawn_blocking(move || {
            if let Err(error) = backup::daily(&store, today) {
                tracing::warn!(
                    %error,
                    "the daily backup could not be made; it is tried again in an hour"
                );
            }
        }));
    }
}
