//! The background service under a real systemd user manager: installed,
//! started, a scheduled sync runs against the QuickBooks Time emulator with
//! the sign-in in the encrypted file (a service has no keyring), `status`
//! reports it, and `uninstall` stops and removes it. `cargo xtask test`
//! runs it inside `xtask/scripts/with-systemd-user.sh`; a plain `cargo
//! test` skips it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use timebridge_core::Store;
use timebridge_core::middleware::runs::{self, RunOutcome};

use crate::common::{connect_quickbooks_time, demo_quickbooks_time};

const PATIENCE: Duration = Duration::from_secs(120);

/// Runs `program args` off the async runtime (the emulator serves on it).
async fn run(program: PathBuf, args: Vec<String>) -> Output {
    run_in(program, args, None).await
}

/// As [`run`], with `runtime` as XDG_RUNTIME_DIR when given.
async fn run_in(program: PathBuf, args: Vec<String>, runtime: Option<PathBuf>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(&program);
        if let Some(runtime) = runtime {
            command.env("XDG_RUNTIME_DIR", runtime);
        }
        command
            .args(&args)
            .env_remove("TIMEBRIDGE_DB")
            .env_remove("TIMEBRIDGE_SECRET_KEY")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("CREDENTIALS_DIRECTORY")
            .output()
            .expect("the program runs")
    })
    .await
    .expect("ran")
}

fn with_db(db: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--db".to_owned(), db.display().to_string()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    all
}

/// `timebridge --db DB ARGS` with the installed copy of the program.
async fn timebridge(program: &Path, db: &Path, args: &[&str]) -> Output {
    run(program.to_path_buf(), with_db(db, args)).await
}

async fn systemctl(args: &[&str]) -> Output {
    let mut all = vec!["--user".to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    run(PathBuf::from("systemctl"), all).await
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn is_active() -> String {
    said(&systemctl(&["is-active", "timebridge.service"]).await)
        .trim()
        .to_owned()
}

/// What the unit's manager says of it, for a failure message.
async fn unit_status() -> String {
    said(&systemctl(&["status", "--no-pager", "timebridge.service"]).await)
}

/// The last scheduled run, once it has ended.
fn ended_scheduled_run(db: &Path) -> Option<runs::SyncRun> {
    Store::open(db)
        .ok()?
        .read(runs::latest_scheduled)
        .ok()?
        .filter(|run| run.outcome != RunOutcome::Running)
}

#[tokio::test]
#[ignore = "needs a systemd user manager: run by cargo xtask test inside xtask/scripts/with-systemd-user.sh"]
async fn the_installed_service_runs_a_scheduled_sync_and_uninstall_stops_it() {
    let home = std::env::var_os("HOME").map(PathBuf::from).expect("HOME");
    assert!(
        systemctl(&["is-system-running"]).await.status.success(),
        "a systemd user manager must answer: run this test inside xtask/scripts/with-systemd-user.sh"
    );
    // Out of /tmp and /var/tmp, which the unit's PrivateTmp= hides.
    let dir = tempfile::tempdir_in(&home).expect("a folder in the home folder");
    let program = dir.path().join("timebridge");
    std::fs::copy(env!("CARGO_BIN_EXE_timebridge"), &program).expect("the program copied");
    let db = dir.path().join("data").join("timebridge.db");
    let emulator = demo_quickbooks_time().await;
    let (token, base) = (emulator.issue_token(), emulator.base_url());
    // Connected as on a server with no desktop session: no D-Bus at all
    // (a runtime folder with no bus in it), so the sign-in is sealed in the
    // data folder. The user manager's own runtime folder has a D-Bus that
    // may start a locked keyring on demand; the service must not use it.
    let no_bus = dir.path().join("runtime");
    std::fs::create_dir_all(&no_bus).expect("a runtime folder");
    let connect = run_in(
        program.clone(),
        with_db(&db, &connect_quickbooks_time(&token, &base)),
        Some(no_bus),
    )
    .await;
    assert!(
        connect.status.success() && said(&connect).contains("encrypted file"),
        "with no D-Bus session the sign-in goes to the encrypted file the service can read: {}",
        said(&connect)
    );

    let install = timebridge(&program, &db, &["service", "install", "--user"]).await;
    assert!(
        install.status.success(),
        "install writes the unit and starts it: {}",
        said(&install)
    );
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while is_active().await != "active" {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the service becomes active: {}",
            unit_status().await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let run = loop {
        if let Some(run) = ended_scheduled_run(&db) {
            break run;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the service starts the due sync on its own: {}",
            unit_status().await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        run.outcome,
        RunOutcome::Succeeded,
        "the scheduled sync, run by the service with the sealed sign-in, succeeds: {run:?}"
    );

    let status = timebridge(&program, &db, &["service", "status", "--user"]).await;
    let status = said(&status);
    assert!(
        status.contains("; active.")
            && status.contains("Scheduling syncs: the background service")
            && status.contains("(startup), started")
            && status.contains("succeeded"),
        "status says the service runs, holds the scheduler and how its last sync went: {status}"
    );

    let uninstall = timebridge(&program, &db, &["service", "uninstall", "--user"]).await;
    assert!(
        uninstall.status.success(),
        "uninstall stops and removes the unit: {}",
        said(&uninstall)
    );
    let unit = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"))
        .join("systemd/user/timebridge.service");
    assert!(
        !unit.exists() && is_active().await != "active",
        "after uninstall the unit is gone and nothing runs: {}",
        unit_status().await
    );
    assert_eq!(
        timebridge_sync::scheduler::lock::holder(&db).expect("the lock file is readable"),
        None,
        "the stopped service no longer holds the scheduler"
    );
}
