//! `timebridge service`: running the sync scheduler unattended, with no
//! window, on the office computer. This module owns the `run` loop (the
//! scheduler until SIGTERM, Ctrl-C or the Windows service manager's stop)
//! and the commands that install it as a systemd unit (Linux), a launchd
//! agent (macOS) or a Windows service; each system's part lives in its own
//! module. The systemd and launchd parts compile everywhere (their text and
//! arguments are tested everywhere); the Windows part only on Windows.

// Windows installs through its own module; the others' text is still tested.
#[cfg_attr(windows, allow(dead_code))]
pub(crate) mod launchd;
#[cfg_attr(windows, allow(dead_code))]
pub(crate) mod systemd;
#[cfg(windows)]
mod windows;

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
    match command {
        ServiceCommand::Run => run_service(database),
        ServiceCommand::Install { user, system } => install(&executable()?, database, user, system),
        ServiceCommand::Uninstall { user, system } => uninstall(user, system),
        ServiceCommand::Status { user, system } => Ok(format!(
            "{}\n{}",
            status(user, system)?,
            scheduling(database)
        )),
    }
}

#[cfg(not(windows))]
fn run_service(database: &Path) -> Result<String, Error> {
    run_scheduler(database, stopped())
}

#[cfg(windows)]
fn run_service(database: &Path) -> Result<String, Error> {
    windows::run(database)
}

#[cfg(not(windows))]
fn install(executable: &Path, database: &Path, user: bool, system: bool) -> Result<String, Error> {
    if cfg!(target_os = "macos") {
        launchd::install(executable, database, system)
    } else {
        systemd::install(executable, database, systemd::scope(user, system))
    }
}

#[cfg(not(windows))]
fn uninstall(user: bool, system: bool) -> Result<String, Error> {
    if cfg!(target_os = "macos") {
        launchd::uninstall(system)
    } else {
        systemd::uninstall(systemd::scope(user, system))
    }
}

#[cfg(not(windows))]
fn status(user: bool, system: bool) -> Result<String, Error> {
    if cfg!(target_os = "macos") {
        launchd::status(system)
    } else {
        systemd::status(systemd::scope(user, system))
    }
}

/// A Windows service runs for the whole computer: `--user` is refused.
#[cfg(windows)]
fn whole_computer(user: bool) -> Result<(), Error> {
    if user {
        return Err(Error::invalid(
            "user",
            "On Windows the service runs for the whole computer; run the command without --user, \
             from a terminal opened as administrator.",
        ));
    }
    Ok(())
}

#[cfg(windows)]
fn install(executable: &Path, database: &Path, user: bool, _system: bool) -> Result<String, Error> {
    whole_computer(user)?;
    windows::install(executable, database)
}

#[cfg(windows)]
fn uninstall(user: bool, _system: bool) -> Result<String, Error> {
    whole_computer(user)?;
    windows::uninstall()
}

#[cfg(windows)]
fn status(user: bool, _system: bool) -> Result<String, Error> {
    whole_computer(user)?;
    windows::status()
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

/// The program the service file starts: this one, by the command line's
/// name. Run through the Linux packages' `timebridge` link, the running
/// binary is the app's (`timebridge-desktop`, which the OS reports with the
/// link resolved); the service must start the link, or it would open a
/// window.
fn executable() -> Result<PathBuf, Error> {
    let running = std::env::current_exe()
        .map_err(|e| Error::io("Could not find this program's own path to start it from", e))?;
    Ok(command_line_beside(&running).unwrap_or(running))
}

/// `timebridge` next to `running` when `running` is another binary.
fn command_line_beside(running: &Path) -> Option<PathBuf> {
    let name = running.file_stem()?;
    if name == "timebridge" {
        return None;
    }
    let link = running.with_file_name(format!("timebridge{}", std::env::consts::EXE_SUFFIX));
    link.exists().then_some(link)
}

/// The scheduler, as the window runs it, until `stopped` ends; then the
/// scheduler's token is cancelled and it returns once runs in flight end.
fn run_scheduler(database: &Path, stopped: impl Future<Output = ()>) -> Result<String, Error> {
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
        stopped.await;
        tracing::warn!("timebridge service: stopping");
        stop.cancel();
        let _ = scheduler.await;
    });
    Ok("Stopped.".to_owned())
}

/// SIGTERM (what systemd and launchd send) or Ctrl-C.
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

/// Ctrl-C: `service run` started from a terminal, not by the service manager.
#[cfg(not(unix))]
async fn stopped() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_service_starts_the_command_line_name_not_the_app_it_links_to() {
        let dir = tempfile::tempdir().expect("a temp folder");
        let app = dir.path().join("timebridge-desktop");
        std::fs::write(&app, b"").expect("a stand-in app binary");
        assert_eq!(
            super::command_line_beside(&app),
            None,
            "with no timebridge beside the app there is nothing else to start"
        );
        let cli = dir
            .path()
            .join(format!("timebridge{}", std::env::consts::EXE_SUFFIX));
        std::fs::write(&cli, b"").expect("a stand-in link");
        assert_eq!(
            super::command_line_beside(&app),
            Some(cli.clone()),
            "run through the packages' link, the unit must start the link"
        );
        assert_eq!(
            super::command_line_beside(&cli),
            None,
            "the command line's own binary starts itself"
        );
    }
}
