//! `timebridge service`: running the sync scheduler unattended, with no
//! window, on the office computer. This module owns the `run` loop (the
//! scheduler until SIGTERM or Ctrl-C) and the commands that install it as
//! a systemd unit (Linux) or a launchd agent (macOS); each system's file
//! text lives in its own module.

pub(crate) mod launchd;
pub(crate) mod systemd;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;
use timebridge_core::middleware::{integrations, runs};
use timebridge_core::{Error, Store};
use timebridge_sync::scheduler::lock;

#[derive(Debug, Subcommand)]
pub(crate) enum ServiceCommand {
    /// Run scheduled syncs with no window until stopped (what the
    /// installed service runs).
    Run,
    /// Write the service file that starts `timebridge service run` at
    /// sign-in or boot, and start it.
    Install {
        /// Install for this user only (the default when not root).
        #[arg(long, conflicts_with = "system")]
        user: bool,
        /// Install for the whole computer (the default when root).
        #[arg(long)]
        system: bool,
    },
    /// Stop the service and remove its file.
    Uninstall {
        #[arg(long, conflicts_with = "system")]
        user: bool,
        #[arg(long)]
        system: bool,
    },
    /// Whether the service is installed and running.
    Status {
        #[arg(long, conflicts_with = "system")]
        user: bool,
        #[arg(long)]
        system: bool,
    },
}

pub(crate) fn run(database: &Path, command: ServiceCommand) -> Result<String, Error> {
    let macos = cfg!(target_os = "macos");
    match command {
        ServiceCommand::Run => run_scheduler(database),
        ServiceCommand::Install { system, .. } if macos => {
            launchd::install(&executable()?, database, system)
        }
        ServiceCommand::Install { user, system } => {
            systemd::install(&executable()?, database, systemd::scope(user, system))
        }
        ServiceCommand::Uninstall { system, .. } if macos => launchd::uninstall(system),
        ServiceCommand::Uninstall { user, system } => {
            systemd::uninstall(systemd::scope(user, system))
        }
        ServiceCommand::Status { user, system } => {
            let service = if macos {
                launchd::status(system)?
            } else {
                systemd::status(systemd::scope(user, system))?
            };
            Ok(format!("{service}\n{}", scheduling(database)))
        }
    }
}

/// Who schedules the database's syncs now, and the last sync the scheduler
/// started, for `status`.
fn scheduling(database: &Path) -> String {
    let holder = match lock::holder(database) {
        Ok(Some(holder)) => format!("Scheduling syncs: {holder}."),
        Ok(None) => {
            "Scheduling syncs: nothing (neither the window nor the service runs on this database)."
                .to_owned()
        }
        Err(error) => format!(
            "Scheduling syncs: unknown, the lock {} could not be read ({error}).",
            lock::path(database).display()
        ),
    };
    if !database.exists() {
        return format!("{holder}\nNo database at {} yet.", database.display());
    }
    let last = Store::open(database).and_then(|store| {
        store.read(|conn| {
            runs::latest_scheduled(conn)?
                .map(|run| {
                    let name = integrations::get(conn, run.integration_id)?.name;
                    Ok(format!(
                        "{name} ({}), started {}, {}",
                        run.trigger.as_str(),
                        run.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                        run.outcome.as_str()
                    ))
                })
                .transpose()
        })
    });
    match last {
        Ok(Some(last)) => format!("{holder}\nLast scheduled sync: {last}."),
        Ok(None) => format!("{holder}\nLast scheduled sync: none yet."),
        Err(error) => format!("{holder}\nLast scheduled sync: unknown ({error})."),
    }
}

/// What `uninstall` and `status` say when there is no service file.
const NOT_INSTALLED: &str = "The service is not installed.";

/// `Ok` when `program args` succeeded, else what it said on stderr.
fn succeeded(
    program: &str,
    args: &[impl AsRef<str>],
    output: &std::process::Output,
) -> Result<(), Error> {
    if output.status.success() {
        return Ok(());
    }
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    Err(Error::Source(format!(
        "{program} {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}

fn executable() -> Result<PathBuf, Error> {
    std::env::current_exe()
        .map_err(|e| Error::io("Could not find this program's own path to start it from", e))
}

/// The scheduler, as the window runs it, until SIGTERM or Ctrl-C; then the
/// scheduler's token is cancelled and it returns once runs in flight end.
fn run_scheduler(database: &Path) -> Result<String, Error> {
    let store = Arc::new(Store::open(database)?);
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Error::io("Could not start the scheduler's runtime", e))?;
    runtime.block_on(async move {
        let engine = crate::integrations::engine(store);
        let stop = tokio_util::sync::CancellationToken::new();
        let scheduler = tokio::spawn(timebridge_sync::scheduler::run(
            engine,
            timebridge_sync::scheduler::PERIOD,
            "the background service",
            stop.clone(),
        ));
        tracing::warn!("timebridge service: scheduling syncs");
        stopped().await;
        tracing::warn!("timebridge service: stopping");
        stop.cancel();
        let _ = scheduler.await;
    });
    Ok("Stopped.".to_owned())
}

#[cfg(unix)]
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn stopped() {
    let _ = tokio::signal::ctrl_c().await;
}
