//! The Linux systemd unit that runs `timebridge service run`: its text
//! (hardened, restarted on failure, the secret key as a systemd credential
//! when one is set up), and installing, removing and asking about it with
//! `systemctl` — a system unit when root, else a user unit.

use std::path::{Path, PathBuf};
use std::process::Command;

use timebridge_core::Error;

/// The unit's file name.
pub(crate) const UNIT: &str = "timebridge.service";

/// Where the unit is installed and which systemd manager runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    User,
    System,
}

/// `--user`/`--system`, else the system manager when root.
pub(crate) fn scope(user: bool, system: bool) -> Scope {
    if system || (!user && is_root()) {
        Scope::System
    } else {
        Scope::User
    }
}

fn is_root() -> bool {
    std::env::var("USER").is_ok_and(|u| u == "root")
        || Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn unit_dir(scope: Scope) -> Result<PathBuf, Error> {
    match scope {
        Scope::System => Ok(PathBuf::from("/etc/systemd/system")),
        Scope::User => std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|c| c.join("systemd/user"))
            .ok_or_else(|| {
                Error::Conflict(
                    "There is no home folder (HOME is not set) to put the user unit in; set \
                     HOME, or install for the whole computer with --system as root."
                        .to_owned(),
                )
            }),
    }
}

/// The unit text. `credential` is the encrypted secret key file made by
/// `systemd-creds encrypt`, when there is one.
pub(crate) fn unit(
    executable: &Path,
    database: &Path,
    scope: Scope,
    credential: Option<&Path>,
) -> String {
    let data_dir = database.parent().unwrap_or(Path::new("/"));
    let mut text = format!(
        "[Unit]\n\
         Description=Timebridge scheduled syncs\n\
         After=network-online.target\n\
         Wants=network-online.target\n\
         \n\
         [Service]\n\
         Type=exec\n\
         ExecStart=\"{}\" --db \"{}\" service run\n\
         Restart=on-failure\n\
         RestartSec=10\n\
         NoNewPrivileges=yes\n\
         PrivateTmp=yes\n\
         ProtectSystem=strict\n\
         ReadWritePaths=\"{}\"\n\
         ProtectKernelTunables=yes\n\
         ProtectControlGroups=yes\n\
         RestrictSUIDSGID=yes\n\
         LockPersonality=yes\n",
        executable.display(),
        database.display(),
        data_dir.display(),
    );
    if let Some(credential) = credential {
        text.push_str(&format!(
            "LoadCredentialEncrypted=timebridge-secret-key:{}\n",
            credential.display()
        ));
    }
    text.push_str("\n[Install]\n");
    text.push_str(match scope {
        Scope::System => "WantedBy=multi-user.target\n",
        Scope::User => "WantedBy=default.target\n",
    });
    text
}

fn systemctl(scope: Scope, args: &[&str]) -> Result<std::process::Output, Error> {
    let mut command = Command::new("systemctl");
    if scope == Scope::User {
        command.arg("--user");
    }
    command
        .args(args)
        .output()
        .map_err(|e| Error::io("Could not run systemctl (is this a systemd computer?)", e))
}

fn checked(scope: Scope, args: &[&str]) -> Result<(), Error> {
    super::succeeded("systemctl", args, &systemctl(scope, args)?)
}

/// The unit's `PrivateTmp=` gives the service its own empty /tmp and
/// /var/tmp: a program or data folder in either is out of its sight.
fn hidden_by_private_tmp(path: &Path) -> bool {
    path.starts_with("/tmp") || path.starts_with("/var/tmp")
}

pub(crate) fn install(executable: &Path, database: &Path, scope: Scope) -> Result<String, Error> {
    for (what, path) in [("program", executable), ("database", database)] {
        if hidden_by_private_tmp(path) {
            return Err(Error::invalid(
                what,
                format!(
                    "The service cannot see {}: it runs with a private /tmp and /var/tmp. Move \
                     the {what} elsewhere (for example the program to /usr/local/bin, the data \
                     folder to your home folder) and install again.",
                    path.display()
                ),
            ));
        }
    }
    let dir = unit_dir(scope)?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("Could not create {}", dir.display()), e))?;
    let credential = database
        .parent()
        .map(|d| d.join("timebridge-secret-key.cred"))
        .filter(|c| c.exists());
    let path = dir.join(UNIT);
    std::fs::write(
        &path,
        unit(executable, database, scope, credential.as_deref()),
    )
    .map_err(|e| Error::io(format!("Could not write {}", path.display()), e))?;
    checked(scope, &["daemon-reload"])?;
    checked(scope, &["enable", "--now", UNIT])?;
    Ok(format!("Installed and started {}.", path.display()))
}

pub(crate) fn uninstall(scope: Scope) -> Result<String, Error> {
    let path = unit_dir(scope)?.join(UNIT);
    if !path.exists() {
        return Ok(super::NOT_INSTALLED.to_owned());
    }
    checked(scope, &["disable", "--now", UNIT])?;
    std::fs::remove_file(&path)
        .map_err(|e| Error::io(format!("Could not remove {}", path.display()), e))?;
    checked(scope, &["daemon-reload"])?;
    Ok(format!("Stopped and removed {}.", path.display()))
}

pub(crate) fn status(scope: Scope) -> Result<String, Error> {
    let path = unit_dir(scope)?.join(UNIT);
    if !path.exists() {
        return Ok(super::NOT_INSTALLED.to_owned());
    }
    let active = systemctl(scope, &["is-active", UNIT])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    Ok(format!("Installed at {}; {active}.", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_or_database_in_a_temp_folder_is_refused_before_anything_is_written() {
        let error = install(
            Path::new("/var/tmp/build/timebridge"),
            Path::new("/srv/tb/timebridge.db"),
            Scope::User,
        )
        .expect_err("the service could not see the program");
        assert!(
            error.to_string().contains("private /tmp"),
            "the refusal says why the program must move: {error}"
        );
    }

    #[test]
    fn unit_runs_the_service_and_may_write_only_the_data_folder() {
        let text = unit(
            Path::new("/usr/bin/timebridge"),
            Path::new("/srv/tb/timebridge.db"),
            Scope::System,
            None,
        );
        assert!(
            text.contains(
                "ExecStart=\"/usr/bin/timebridge\" --db \"/srv/tb/timebridge.db\" service run"
            ),
            "the unit must start `service run` on the database: {text}"
        );
        assert!(
            text.contains("ProtectSystem=strict\nReadWritePaths=\"/srv/tb\""),
            "the service may write only its data folder: {text}"
        );
        assert!(
            !text.contains("LoadCredentialEncrypted"),
            "no credential line without an encrypted key file: {text}"
        );
    }

    #[test]
    fn user_unit_starts_with_the_user_session_and_loads_the_key_credential() {
        let text = unit(
            Path::new("/bin/tb"),
            Path::new("/h/tb.db"),
            Scope::User,
            Some(Path::new("/h/timebridge-secret-key.cred")),
        );
        assert!(
            text.contains("WantedBy=default.target"),
            "a user unit is wanted by the user's default target: {text}"
        );
        assert!(
            text.contains(
                "LoadCredentialEncrypted=timebridge-secret-key:/h/timebridge-secret-key.cred"
            ),
            "the secret store reads $CREDENTIALS_DIRECTORY/timebridge-secret-key: {text}"
        );
    }
}
