//! The package test of `cargo xtask test`: the `.deb` built from this tree
//! is installed with `apt-get install ./…deb` as a user installs it, the
//! installed app is driven to its sign-in screen in a real window, both
//! installed commands answer, and after `apt-get purge` nothing the package
//! put outside the data folder is left (the tests' data folders are their
//! own temporary ones). The AppImage is then started the same way, from
//! its file, mounting itself with FUSE as on a user's computer.
//!
//! The package holds the debug binaries the real-window tests already built,
//! so the test adds seconds, not a release build; `cargo xtask bundle` makes
//! the same package from release binaries with the same code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use tauri_bundler::PackageType;

use crate::tally::Tally;
use crate::{Result, bundle, run_cmd, setup};

/// The Debian package's name (tauri.conf.json's product name, lowercased).
const PACKAGE: &str = "timebridge";
/// Where the package puts the app and the command line.
const APP: &str = "/usr/bin/timebridge-desktop";
const CLI: &str = "/usr/bin/timebridge";
/// The real-window tests run against the installed app: the first start
/// (creating the administrator) and the sign-in screen.
const WINDOW_TESTS: &[&str] = &[
    "desktop::first_start_asks_for_an_administrator_and_signs_them_in",
    "desktop::a_wrong_password_is_said_plainly",
];
/// What a package may touch: everything else (home folders, /tmp, /var's
/// caches and logs) is not the package's to leave things in.
const WATCHED: &[&str] = &["/usr", "/etc", "/opt"];

/// Why the package test cannot run here, if it cannot.
fn cannot_run() -> Option<String> {
    if !cfg!(target_os = "linux") || !setup::has_apt() {
        return Some("it installs a .deb with apt (Debian and Ubuntu only)".to_owned());
    }
    if !setup::is_root()
        && !Command::new("sudo")
            .args(["-n", "true"])
            .status()
            .is_ok_and(|s| s.success())
    {
        return Some("installing a package needs root or password-less sudo".to_owned());
    }
    if installed() {
        return Some(format!(
            "a {PACKAGE} package is already installed on this computer; the test would replace \
             and remove it (remove it first with `apt-get remove {PACKAGE}`)"
        ));
    }
    None
}

fn installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", PACKAGE])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
}

/// Every path under the watched folders (not following links).
fn snapshot() -> BTreeSet<PathBuf> {
    let mut paths = BTreeSet::new();
    let mut pending: Vec<PathBuf> = WATCHED.iter().map(PathBuf::from).collect();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(path.clone());
            }
            paths.insert(path);
        }
    }
    paths
}

/// Runs the package tests, counting each step in `tally`.
pub fn packages(root: &Path, tally: &mut Tally) {
    if let Some(why) = cannot_run() {
        println!("xtask: package tests skipped: {why}");
        return;
    }
    if let Err(why) = bundle::build_binaries(root, &debug_build()) {
        return tally.record("package binaries", Err(why));
    }
    if let Some(deb) = built(root, tally, PackageType::Deb, "deb") {
        install_and_remove(root, tally, &deb);
    }
    if let Some(image) = built(root, tally, PackageType::AppImage, "AppImage") {
        tally.cargo_tests(
            "AppImage (real window)",
            window_tests(root).env("TIMEBRIDGE_APP", &image),
        );
    }
}

fn debug_build() -> bundle::Build {
    bundle::Build {
        debug: true,
        target: None,
    }
}

/// The package of this kind, built from the debug binaries.
fn built(root: &Path, tally: &mut Tally, kind: PackageType, extension: &str) -> Option<PathBuf> {
    let name = format!("package build (.{extension})");
    match bundle::package_only(root, &debug_build(), kind) {
        Ok(paths) => {
            let found = paths
                .into_iter()
                .find(|p| p.extension().is_some_and(|e| e == extension));
            if found.is_none() {
                tally.record(&name, Err(format!("the bundler wrote no .{extension}")));
            }
            found
        }
        Err(why) => {
            tally.record(&name, Err(why));
            None
        }
    }
}

/// The real-window tests that reach the sign-in screen.
fn window_tests(root: &Path) -> Command {
    let mut command = crate::e2e_command(root);
    command.args(WINDOW_TESTS).arg("--exact");
    command
}

/// `apt-get install ./….deb`, the installed app and CLI, `apt-get purge`.
fn install_and_remove(root: &Path, tally: &mut Tally, package: &Path) {
    let before = snapshot();
    let install = run_cmd(setup::apt(&["install", "-y", "-q"]).arg(package));
    let ok = install.is_ok();
    tally.record("package install (apt-get install ./….deb)", install);
    if ok {
        tally.record("installed commands answer", commands_answer());
        tally.cargo_tests(
            "installed app (real window)",
            window_tests(root).env("TIMEBRIDGE_APP", APP),
        );
    }
    let purge = run_cmd(&mut setup::apt(&["purge", "-y", "-q", PACKAGE]));
    tally.record(
        "package removal leaves nothing behind",
        purge.and_then(|()| left_behind(&before, &snapshot())),
    );
}

/// The installed app and command line start and say their version.
fn commands_answer() -> Result {
    let version = env!("CARGO_PKG_VERSION");
    let out = Command::new(CLI)
        .arg("--version")
        .output()
        .map_err(|e| format!("could not start the installed {CLI}: {e}"))?;
    let said = String::from_utf8_lossy(&out.stdout);
    if !said.contains(version) {
        return Err(format!(
            "the installed {CLI} --version said {said:?}, not version {version}"
        ));
    }
    if !Path::new(APP).is_file() {
        return Err(format!("the package did not install the app at {APP}"));
    }
    Ok(())
}

/// Paths that exist after removal and did not before installing.
fn left_behind(before: &BTreeSet<PathBuf>, after: &BTreeSet<PathBuf>) -> Result {
    let left: Vec<_> = after.difference(before).collect();
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "apt-get purge left {} path(s) the install added: {}",
            left.len(),
            left.iter()
                .take(20)
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_the_install_added_and_the_removal_left_fails_the_check() {
        let before: BTreeSet<PathBuf> = [PathBuf::from("/usr/bin/sh")].into();
        let mut after = before.clone();
        after.insert(PathBuf::from("/usr/share/mime/application/x-qbwc.xml"));
        let why = left_behind(&before, &after).expect_err("a leftover must fail the check");
        assert!(
            why.contains("x-qbwc.xml"),
            "the failure names what was left: {why}"
        );
    }

    #[test]
    fn paths_that_were_there_before_or_went_away_are_not_leftovers() {
        let before: BTreeSet<PathBuf> = [PathBuf::from("/etc/a"), PathBuf::from("/etc/b")].into();
        let after: BTreeSet<PathBuf> = [PathBuf::from("/etc/a")].into();
        assert_eq!(
            left_behind(&before, &after),
            Ok(()),
            "only paths new since before the install count"
        );
    }
}
