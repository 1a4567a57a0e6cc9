//! The one test against the real system keyring (the Secret Service on
//! Linux). `cargo xtask test` runs it inside a D-Bus session with an
//! unlocked GNOME Keyring; a plain `cargo test` skips it.

use std::path::Path;
use std::process::{Command, Output};

use timebridge_connectors::secrets::{
    KEYRING_SERVICE, KeyringSecrets, SecretStore, integration_key,
};
use timebridge_emulators::quickbooks_time::{Company, CompanySpec, Emulator, EmulatorOptions};

fn timebridge(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TIMEBRIDGE_DB")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
async fn a_token_lives_in_the_system_keyring_and_leaves_with_the_integration() {
    let now = chrono::Utc::now();
    let emulator = Emulator::start(
        Company::generate(&CompanySpec::demo(now.date_naive()), now),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator");
    let token = emulator.issue_token();
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();
    let (db2, token2) = (db.clone(), token.clone());

    let connect = tokio::task::spawn_blocking(move || {
        timebridge(
            &db2,
            &[
                "connect",
                "quickbooks-time",
                "--token",
                &token2,
                "--base-url",
                &base,
            ],
        )
    })
    .await
    .expect("ran");
    assert!(
        connect.status.success(),
        "connects: {}",
        String::from_utf8_lossy(&connect.stderr)
    );
    let keyring = KeyringSecrets::new(KEYRING_SERVICE);
    let saved = keyring
        .get(&integration_key(1))
        .expect("the keyring answers")
        .expect("an entry exists");
    assert!(
        saved.expose().contains(&token),
        "the token is in the keyring"
    );
    let in_db = std::fs::read(&db).expect("database readable");
    assert!(
        !String::from_utf8_lossy(&in_db).contains(&token),
        "and never in the database file"
    );

    let db3 = db.clone();
    let sync = tokio::task::spawn_blocking(move || timebridge(&db3, &["sync", "1"]))
        .await
        .expect("ran");
    assert!(
        sync.status.success(),
        "the sync reads the token from the keyring: {}",
        String::from_utf8_lossy(&sync.stderr)
    );

    let db4 = db.clone();
    let gone = tokio::task::spawn_blocking(move || timebridge(&db4, &["disconnect", "1"]))
        .await
        .expect("ran");
    assert!(gone.status.success(), "disconnects");
    assert_eq!(
        keyring
            .get(&integration_key(1))
            .expect("the keyring answers"),
        None,
        "removing the integration deleted its secret"
    );
}
