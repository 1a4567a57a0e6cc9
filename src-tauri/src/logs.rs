//! The log file: `logs/timebridge.log.YYYY-MM-DD` in the data folder, a new
//! file each day, the last 14 kept. `RUST_LOG` changes the level (default
//! `info` for Timebridge's crates, `warn` for the rest). Secrets never reach
//! it: they are `Sensitive` and print as `<redacted>`.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

const DEFAULT_FILTER: &str =
    "warn,timebridge_core=info,timebridge_commands=info,timebridge_desktop=info";

/// Starts logging to the data folder's `logs/`. Returns the guard that
/// flushes the file when dropped, or `None` if the folder cannot be used
/// (the app then runs without a log file rather than not at all).
pub fn init(data_dir: &std::path::Path) -> Option<WorkerGuard> {
    let dir = timebridge_core::paths::log_dir(data_dir);
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("timebridge.log")
        .max_log_files(14)
        .build(&dir)
        .map_err(|error| eprintln!("Timebridge: no log file in {}: {error}", dir.display()))
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
