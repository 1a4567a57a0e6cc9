//! The log file: written to logs/ in the data folder, and never holding a
//! password. (Its own test binary: the log subscriber is process-wide.)

use std::sync::Arc;

use serde_json::json;
use timebridge_commands::{Api, Client};
use timebridge_core::Store;
use timebridge_core::time::SystemClock;

#[test]
fn commands_are_logged_to_the_data_folder_without_their_passwords() {
    let dir = tempfile::tempdir().expect("temp folder");
    let guard = timebridge_desktop::logs::init(dir.path()).expect("logging starts");
    let store = Store::open(&dir.path().join("timebridge.db")).expect("database opens");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let api = Api::new(
        Arc::new(store),
        Arc::new(SystemClock),
        Arc::new(timebridge_connectors::secrets::MemorySecrets::default()),
        runtime.handle().clone(),
    );
    let mut client = Client::new();
    api.call(
        &mut client,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada", "password": "Admin-Secret-4711"}),
    )
    .expect("created");
    let _ = api.call(
        &mut Client::new(),
        "sign_in",
        json!({"username": "ada", "password": "Guessed-Secret-0815"}),
    );
    drop(guard); // flushes the file

    let logs: String = std::fs::read_dir(dir.path().join("logs"))
        .expect("the logs folder exists")
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
        .collect();
    assert!(
        logs.contains("command refused") && logs.contains("sign_in"),
        "the refused sign-in is in the log: {logs}"
    );
    assert!(
        !logs.contains("Admin-Secret-4711") && !logs.contains("Guessed-Secret-0815"),
        "no password may reach the log file"
    );
}
