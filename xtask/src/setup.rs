//! Installing what is missing: system packages (apt, on Debian and Ubuntu),
//! Node.js, the UI's npm packages and build, and for tests the real-window
//! tools (Xvfb, WebKitWebDriver, tauri-driver).

use std::path::Path;
use std::process::Command;

use crate::{Result, npm, run_cmd};

/// What the app needs to build on Linux.
const APP_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libsecret-1-dev",
    "libdbus-1-dev",
    // unixODBC, which odbc-api links to (Sage 300 CRE's ODBC driver).
    "unixodbc-dev",
    // mksquashfs, for the AppImage `cargo xtask bundle` builds.
    "squashfs-tools",
];

/// What the real-window tests need on Linux.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus-x11",
    "dbus-daemon",
    "gnome-keyring",
    // xmllint: qbXML requests and answers are validated against Intuit's XSD.
    "libxml2-utils",
    // A real ODBC path for Sage 300 CRE's tests: unixODBC's odbcinst and the
    // SQLite3 ODBC driver over tables shaped like Sage's.
    "odbcinst",
    "libsqliteodbc",
    // FUSE 2, which the AppImage's runtime mounts itself with.
    "libfuse2",
    // A systemd user manager for the background service's test.
    "systemd",
];

const NODE_PACKAGES: &[&str] = &["nodejs", "npm"];

/// Whether the real-window tests can run here.
pub enum RealWindow {
    Ready,
    Skipped(String),
}

pub fn has_apt() -> bool {
    cfg!(target_os = "linux")
        && Path::new("/usr/bin/apt-get").exists()
        && Path::new("/usr/bin/dpkg-query").exists()
}

fn missing_packages(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|package| {
            let status = Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", package])
                .output();
            !status.is_ok_and(|out| {
                String::from_utf8_lossy(&out.stdout).contains("install ok installed")
            })
        })
        .map(|p| (*p).to_owned())
        .collect()
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `apt-get ARGS`, through sudo when not root, never asking questions.
pub fn apt(args: &[&str]) -> Command {
    let mut command = if is_root() {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    command
}

fn apt_install(packages: &[String]) -> Result {
    println!("xtask: installing {}", packages.join(" "));
    run_cmd(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(packages);
    run_cmd(&mut install)
}

fn ensure_packages(packages: &[&str]) -> Result {
    if !has_apt() {
        return Ok(());
    }
    let missing = missing_packages(packages);
    if missing.is_empty() {
        Ok(())
    } else {
        apt_install(&missing)
    }
}

fn node_major() -> Option<u32> {
    let out = Command::new("node").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout);
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

fn ensure_node() -> Result {
    if node_major().is_none() && has_apt() {
        let missing = missing_packages(NODE_PACKAGES);
        if !missing.is_empty() {
            apt_install(&missing)?;
        }
    }
    match node_major() {
        Some(major) if major >= 18 => Ok(()),
        Some(major) => Err(format!(
            "Node.js {major} is too old; the UI needs Node.js 18 or newer (https://nodejs.org)"
        )),
        None => Err(
            "Node.js is not installed; install Node.js 18 or newer (https://nodejs.org)".to_owned(),
        ),
    }
}

fn newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(a), modified(b)) {
        (Some(a), Some(b)) => a > b,
        (_, None) => true,
        _ => false,
    }
}

/// Everything the app needs: system libraries, Node, npm packages, the UI build.
pub fn app(root: &Path) -> Result {
    ensure_packages(APP_PACKAGES)?;
    ensure_node()?;
    let ui = root.join("ui");
    let installed = ui.join("node_modules").join(".package-lock.json");
    if newer(&ui.join("package-lock.json"), &installed) {
        println!("xtask: installing the UI's npm packages");
        run_cmd(
            Command::new(npm())
                .current_dir(&ui)
                .args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    println!("xtask: building the UI");
    run_cmd(Command::new(npm()).current_dir(&ui).args(["run", "build"]))
}

fn on_path(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The real-window tools, on Linux.
pub fn tests(_root: &Path) -> Result<RealWindow> {
    if !cfg!(target_os = "linux") {
        return Ok(RealWindow::Skipped(
            "they drive the app under Xvfb with WebKitWebDriver, which only Linux has".to_owned(),
        ));
    }
    if !has_apt() {
        let missing: Vec<_> = ["xvfb-run", "WebKitWebDriver"]
            .into_iter()
            .filter(|p| !on_path(p))
            .collect();
        if !missing.is_empty() {
            return Ok(RealWindow::Skipped(format!(
                "install {} (not a Debian/Ubuntu system)",
                missing.join(" and ")
            )));
        }
    }
    ensure_packages(TEST_PACKAGES)?;
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    if !cargo_bin.is_some_and(|p| p.exists()) && !on_path("tauri-driver") {
        println!("xtask: installing tauri-driver");
        run_cmd(Command::new("cargo").args(["install", "tauri-driver", "--locked"]))?;
    }
    Ok(RealWindow::Ready)
}
