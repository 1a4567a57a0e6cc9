//! Sign-ins on a computer with no system keyring: with no D-Bus session at
//! all, the command line keeps them in the encrypted secrets file, says so
//! at connect, and reads them back to sync.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{connect_quickbooks_time, demo_quickbooks_time};
use timebridge_emulators::quickbooks_time::Emulator;

/// `timebridge --db DB ARGS` with no D-Bus session to find (no address,
/// and a runtime folder holding no bus), and `key` as the secret key.
fn without_dbus(db: &Path, key: Option<&str>, args: &[String]) -> Output {
    let runtime = db.parent().expect("a folder").join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_timebridge"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIMEBRIDGE_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("CREDENTIALS_DIRECTORY")
        .env("XDG_RUNTIME_DIR", &runtime);
    match key {
        Some(key) => command.env("TIMEBRIDGE_SECRET_KEY", key),
        None => command.env_remove("TIMEBRIDGE_SECRET_KEY"),
    };
    command.output().expect("the binary runs")
}

async fn run(db: &Path, key: Option<&str>, args: &[&str]) -> Output {
    let (db, key) = (db.to_path_buf(), key.map(str::to_owned));
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || without_dbus(&db, key.as_deref(), &args))
        .await
        .expect("ran")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A QuickBooks Time connection made with no D-Bus session, `key` as the
/// secret key, in a fresh data folder.
struct Connecting {
    _emulator: Emulator,
    dir: tempfile::TempDir,
    db: PathBuf,
    token: String,
    output: Output,
}

async fn connect(key: Option<&str>) -> Connecting {
    let emulator = demo_quickbooks_time().await;
    let (token, base) = (emulator.issue_token(), emulator.base_url());
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let output = run(&db, key, &connect_quickbooks_time(&token, &base)).await;
    Connecting {
        _emulator: emulator,
        dir,
        db,
        token,
        output,
    }
}

#[tokio::test]
async fn with_no_keyring_a_token_is_sealed_in_the_secrets_file_said_at_connect_and_read_to_sync() {
    let c = connect(None).await;
    let connect = said(&c.output);
    assert!(
        c.output.status.success()
            && connect.contains("kept in an encrypted file")
            && connect.contains("secret.key"),
        "connect says the sign-in went to the encrypted file and where its key is: {connect}"
    );
    let sealed = std::fs::read_to_string(c.dir.path().join("secrets.enc")).expect("the file");
    let database = std::fs::read(&c.db).expect("the database");
    assert!(
        !sealed.contains(&c.token) && !String::from_utf8_lossy(&database).contains(&c.token),
        "the token is in neither the secrets file's text nor the database"
    );
    let sync = run(&c.db, None, &["sync", "1"]).await;
    assert!(
        sync.status.success(),
        "the sync opens the sealed token with the key file: {}",
        said(&sync)
    );
}

#[tokio::test]
async fn a_key_from_the_environment_seals_the_file_and_another_key_cannot_sync_with_it() {
    let c = connect(Some(&"7f".repeat(32))).await;
    assert!(
        c.output.status.success() && said(&c.output).contains("TIMEBRIDGE_SECRET_KEY"),
        "connect names the environment variable as the key: {}",
        said(&c.output)
    );
    assert!(
        !c.dir.path().join("secret.key").exists(),
        "a key given in the environment makes no key file"
    );
    let sync = run(&c.db, Some(&"01".repeat(32)), &["sync", "1"]).await;
    assert!(
        !sync.status.success() && said(&sync).contains("does not open"),
        "another key fails the sync saying the key is not the one the sign-in was saved with: {}",
        said(&sync)
    );
}

#[tokio::test]
async fn a_key_that_is_not_64_hex_digits_is_refused_saying_what_a_key_is() {
    let c = connect(Some("hunter2")).await;
    let connect = said(&c.output);
    assert!(
        !c.output.status.success() && connect.contains("64 hex digits"),
        "a malformed key stops the connection with what a key must be: {connect}"
    );
    assert!(
        !connect.contains(&c.token),
        "and the token is not shown back"
    );
}
