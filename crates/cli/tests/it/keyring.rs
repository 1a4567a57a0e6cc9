//! The tests against the real system keyring (the Secret Service on
//! Linux), one at a time. `cargo xtask test` runs it inside a D-Bus session with an
//! unlocked GNOME Keyring; a plain `cargo test` skips it.

mod quickbooks_desktop;

use crate::common;

use std::process::Command;

use common::{demo_quickbooks_time, timebridge};

use timebridge_connectors::secrets::{
    KEYRING_SERVICE, KeyringSecrets, SecretStore, integration_key,
};

#[tokio::test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
async fn a_token_lives_in_the_system_keyring_and_leaves_with_the_integration() {
    let emulator = demo_quickbooks_time().await;
    let token = emulator.issue_token();
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();
    let (db2, token2) = (db.clone(), token.clone());

    let connect = tokio::task::spawn_blocking(move || {
        timebridge(&db2, &common::connect_quickbooks_time(&token2, &base))
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

#[tokio::test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
async fn quickbooks_desktop_connects_when_the_web_connector_first_updates() {
    use std::io::BufRead;
    use timebridge_emulators::quickbooks_desktop as qbd;

    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .arg("--db")
        .arg(&db)
        .args([
            "--json",
            "connect",
            "quickbooks-desktop",
            "--username",
            "office",
        ])
        .args(["--url", "http://localhost:0/qbwc", "--wait-minutes", "1"])
        .arg("--qwc-folder")
        .arg(dir.path())
        .env("TIMEBRIDGE_QBD_PASSWORD", "Yard-Office-2026")
        .env_remove("TIMEBRIDGE_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Read stderr to its end (a closed pipe would stop the binary), and
    // hand over the address it prints.
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.strip_prefix("Timebridge answers the Web Connector at ") {
                let _ = tx.send(url.to_owned());
            }
        }
    });
    let url =
        tokio::task::spawn_blocking(move || rx.recv_timeout(std::time::Duration::from_secs(30)))
            .await
            .expect("read")
            .expect("the address is printed before waiting");

    let wc = qbd::WebConnector::new(&url, qbd::Company::generate(&qbd::CompanySpec::default()));
    let update = wc
        .update("office", "Yard-Office-2026")
        .await
        .expect("reaches Timebridge");
    assert_eq!(
        update.percents.last(),
        Some(&100),
        "the first update completes"
    );
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("ran")
        .expect("exits");
    assert!(
        output.status.success(),
        "connect ends once the lists were read"
    );
    let printed: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(printed["run"]["outcome"], "succeeded");
    assert_eq!(printed["run"]["counts"]["employees"]["new"], 5);
    let keyring = KeyringSecrets::new(KEYRING_SERVICE);
    let id = printed["integration"]["id"].as_i64().expect("an id");
    let saved = keyring
        .get(&integration_key(id))
        .expect("the keyring answers");
    assert!(
        saved
            .as_ref()
            .is_some_and(|s| s.expose().contains("Yard-Office-2026")),
        "the Web Connector's password is in the keyring"
    );
    keyring.delete(&integration_key(id)).expect("cleaned up");
}

#[tokio::test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
async fn a_first_quickbooks_time_sync_from_the_command_line_sends_only_what_the_contract_allows() {
    use timebridge_emulators::quickbooks_time::contract;

    let emulator = demo_quickbooks_time().await;
    let token = emulator.issue_token();
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();

    // As a new customer would: connect with the defaults, then sync.
    let db2 = db.clone();
    let (connect, sync) = tokio::task::spawn_blocking(move || {
        let connect = timebridge(&db2, &common::connect_quickbooks_time(&token, &base));
        (
            connect,
            timebridge(&db2, &["--json", "sync", "quickbooks-time"]),
        )
    })
    .await
    .expect("ran");
    assert!(
        connect.status.success(),
        "connects: {}",
        String::from_utf8_lossy(&connect.stderr)
    );
    let run: serde_json::Value = serde_json::from_slice(&sync.stdout).unwrap_or_default();
    assert_eq!(
        run["outcome"],
        "succeeded",
        "the first sync succeeds: {}",
        String::from_utf8_lossy(&sync.stderr)
    );

    let recorded = emulator.recorded();
    let refused: Vec<String> = recorded
        .iter()
        .filter_map(timebridge_emulators::quickbooks_time::Recorded::off_contract)
        .collect();
    assert!(
        refused.is_empty(),
        "every request of the first sync is one the contract allows: {refused:#?}"
    );
    let read: std::collections::BTreeSet<&str> = recorded.iter().map(|r| r.path.as_str()).collect();
    for list in contract::ENDPOINTS {
        assert!(read.contains(list.path), "{} was read: {read:?}", list.path);
    }
    let db3 = db.clone();
    tokio::task::spawn_blocking(move || timebridge(&db3, &["disconnect", "1"]))
        .await
        .expect("ran");
}

#[tokio::test]
#[ignore = "needs a Secret Service: run by cargo xtask test in a D-Bus session with GNOME Keyring"]
async fn busybusy_connects_with_a_password_from_the_environment_and_syncs_within_its_contract() {
    use timebridge_emulators::busybusy::{
        ADMIN_USERNAME, Emulator, EmulatorOptions, Organization, OrganizationSpec, PASSWORD,
    };
    let now = chrono::Utc::now();
    let emulator = Emulator::start(
        Organization::generate(&OrganizationSpec {
            members: 4,
            projects: 2,
            depth: 2,
            cost_codes: 3,
            days: 10,
            today: now.date_naive(),
            modified: now - chrono::Duration::hours(1),
        }),
        EmulatorOptions::default(),
    )
    .await
    .expect("emulator");
    let dir = tempfile::tempdir().expect("temp folder");
    let db = dir.path().join("timebridge.db");
    let base = emulator.base_url();
    let db2 = db.clone();
    let (connect, sync) = tokio::task::spawn_blocking(move || {
        let connect = Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .arg("--db")
            .arg(&db2)
            .args([
                "connect",
                "busybusy",
                "--username",
                ADMIN_USERNAME,
                "--base-url",
                &base,
            ])
            .env("TIMEBRIDGE_BUSYBUSY_PASSWORD", PASSWORD)
            .env_remove("TIMEBRIDGE_DB")
            .output()
            .expect("the binary runs");
        (connect, timebridge(&db2, &["--json", "sync", "busybusy"]))
    })
    .await
    .expect("ran");
    assert!(
        connect.status.success(),
        "connects: {}",
        String::from_utf8_lossy(&connect.stderr)
    );
    let run: serde_json::Value = serde_json::from_slice(&sync.stdout).unwrap_or_default();
    assert_eq!(
        run["outcome"],
        "succeeded",
        "the first sync succeeds: {}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let off: Vec<String> = emulator
        .recorded()
        .iter()
        .filter_map(timebridge_emulators::busybusy::Recorded::off_contract)
        .collect();
    assert!(off.is_empty(), "every request is on the contract: {off:#?}");
    tokio::task::spawn_blocking(move || timebridge(&db, &["disconnect", "1"]))
        .await
        .expect("ran");
}
