//! The macOS launchd agent that runs `timebridge service run`: its plist
//! (~/Library/LaunchAgents/app.timebridge.service.plist, started at sign-in
//! and again if it exits with an error), and loading, unloading and asking
//! about it with `launchctl bootstrap | bootout | print` in the user's
//! `gui/<uid>` domain. The `launchctl` arguments and the reading of its
//! answer are plain functions, so they are tested on every system.

use std::path::{Path, PathBuf};
use std::process::Command;

use timebridge_core::Error;

/// The agent's label, also its file name.
pub(crate) const LABEL: &str = "app.timebridge.service";

/// The plist text for this binary and database. The service's messages go
/// to `service.log` in the data folder.
pub(crate) fn plist(executable: &Path, database: &Path) -> String {
    let log = database
        .parent()
        .unwrap_or(Path::new("/tmp"))
        .join("service.log");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>{LABEL}</string>
  <key>ProgramArguments</key>
  <array>
    <string>{}</string>
    <string>--db</string>
    <string>{}</string>
    <string>service</string>
    <string>run</string>
  </array>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>StandardErrorPath</key><string>{}</string>
</dict>
</plist>
"#,
        escape(&executable.display().to_string()),
        escape(&database.display().to_string()),
        escape(&log.display().to_string()),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The user's launchd domain, `gui/<uid>`.
fn domain(uid: &str) -> String {
    format!("gui/{uid}")
}

/// `launchctl` arguments that load the agent's plist.
pub(crate) fn bootstrap_args(uid: &str, plist: &Path) -> Vec<String> {
    vec![
        "bootstrap".to_owned(),
        domain(uid),
        plist.display().to_string(),
    ]
}

/// `launchctl` arguments that stop and unload the agent.
pub(crate) fn bootout_args(uid: &str) -> Vec<String> {
    vec!["bootout".to_owned(), format!("{}/{LABEL}", domain(uid))]
}

/// `launchctl` arguments that describe the loaded agent.
pub(crate) fn print_args(uid: &str) -> Vec<String> {
    vec!["print".to_owned(), format!("{}/{LABEL}", domain(uid))]
}

/// The `state = …` line of `launchctl print` (`running`, `waiting`, …).
pub(crate) fn state(print_output: &str) -> Option<&str> {
    print_output
        .lines()
        .filter_map(|line| line.trim().strip_prefix("state = "))
        .map(str::trim)
        .next()
}

fn plist_path() -> Result<PathBuf, Error> {
    std::env::var_os("HOME")
        .map(|home| {
            PathBuf::from(home)
                .join("Library/LaunchAgents")
                .join(format!("{LABEL}.plist"))
        })
        .ok_or_else(|| {
            Error::Conflict(
                "HOME is not set, so there is no LaunchAgents folder to put the agent in; run \
                 the command as the user who works with Timebridge."
                    .to_owned(),
            )
        })
}

fn uid() -> Result<String, Error> {
    let output = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| Error::io("Could not run `id -u` to find this user's id", e))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn launchctl(args: &[String]) -> Result<std::process::Output, Error> {
    Command::new("launchctl")
        .args(args)
        .output()
        .map_err(|e| Error::io("Could not run launchctl", e))
}

fn checked(args: &[String]) -> Result<(), Error> {
    super::succeeded("launchctl", args, &launchctl(args)?)
}

/// `--system` is refused: the agent runs in the user's session, where the
/// QuickBooks company file and the sign-ins are.
fn agent_only(system: bool) -> Result<(), Error> {
    if system {
        return Err(Error::invalid(
            "system",
            "On macOS Timebridge installs a launchd agent for this user only; run the command \
             without --system, as the user who works with Timebridge.",
        ));
    }
    Ok(())
}

pub(crate) fn install(executable: &Path, database: &Path, system: bool) -> Result<String, Error> {
    agent_only(system)?;
    let path = plist_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("Could not create {}", dir.display()), e))?;
    }
    std::fs::write(&path, plist(executable, database))
        .map_err(|e| Error::io(format!("Could not write {}", path.display()), e))?;
    let uid = uid()?;
    // Reinstalling: the agent loaded before must go first, or bootstrap
    // refuses. Not loaded is fine.
    let _ = launchctl(&bootout_args(&uid));
    checked(&bootstrap_args(&uid, &path))?;
    Ok(format!("Installed and started {}.", path.display()))
}

/// The agent's plist, when it is installed.
fn installed(system: bool) -> Result<Option<PathBuf>, Error> {
    agent_only(system)?;
    Ok(Some(plist_path()?).filter(|path| path.exists()))
}

pub(crate) fn uninstall(system: bool) -> Result<String, Error> {
    let Some(path) = installed(system)? else {
        return Ok(super::NOT_INSTALLED.to_owned());
    };
    // Not loaded (already stopped) is fine: the file still goes.
    let _ = launchctl(&bootout_args(&uid()?));
    std::fs::remove_file(&path)
        .map_err(|e| Error::io(format!("Could not remove {}", path.display()), e))?;
    Ok(format!("Stopped and removed {}.", path.display()))
}

pub(crate) fn status(system: bool) -> Result<String, Error> {
    let Some(path) = installed(system)? else {
        return Ok(super::NOT_INSTALLED.to_owned());
    };
    let output = launchctl(&print_args(&uid()?))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let state = if output.status.success() {
        state(&text).unwrap_or("loaded").to_owned()
    } else {
        "not loaded".to_owned()
    };
    Ok(format!("Installed at {}; {state}.", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plist_runs_the_service_with_the_database_escaped() {
        let text = plist(Path::new("/opt/tb/timebridge"), Path::new("/data/a&b.db"));
        assert!(
            text.contains("<string>/data/a&amp;b.db</string>"),
            "an & in a path must be escaped or launchd refuses the plist: {text}"
        );
        assert!(
            text.contains("<string>service</string>\n    <string>run</string>"),
            "the agent must run `service run`: {text}"
        );
    }

    #[test]
    fn the_agent_is_loaded_and_unloaded_in_the_users_gui_domain() {
        assert_eq!(
            bootstrap_args("501", Path::new("/Users/a/Library/LaunchAgents/x.plist")),
            [
                "bootstrap",
                "gui/501",
                "/Users/a/Library/LaunchAgents/x.plist"
            ],
            "bootstrap takes the domain and the plist's path"
        );
        assert_eq!(
            bootout_args("501"),
            ["bootout", "gui/501/app.timebridge.service"],
            "bootout names the service in the domain by its label"
        );
    }

    #[test]
    fn the_agents_state_is_read_from_launchctl_print() {
        let printed = "gui/501/app.timebridge.service = {\n\tactive count = 1\n\tstate = running\n\tprogram = /opt/tb\n}";
        assert_eq!(
            state(printed),
            Some("running"),
            "status reports launchd's own word for the agent's state"
        );
    }
}
