//! The shell's one command, through Tauri's IPC on the mock runtime (no
//! display needed): the window keeps its session between calls, and a
//! database that cannot be opened is reported, not crashed on.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use timebridge_desktop::updates::UpdateSource;
use timebridge_desktop::{Options, open_state, with_commands};

fn window(data_dir: &std::path::Path) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    window_with_updates(data_dir, UpdateSource::default())
}

/// A window whose updates come from `source`.
pub(crate) fn window_with_updates(
    data_dir: &std::path::Path,
    source: UpdateSource,
) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    let mut state = open_state(&Options {
        data_dir: Some(data_dir.to_path_buf()),
    });
    state.update_source = source;
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), crate::updates::test_config());
    let mut app = with_commands(mock_builder(), state)
        .build(context)
        .expect("the app builds on the mock runtime");
    // One turn of the event loop runs the setup hook (progress, scheduler).
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a mock window opens")
}

pub(crate) fn call(
    window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    command: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: "call".into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a valid URL"),
        body: InvokeBody::Json(json!({ "command": command, "args": args })),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request)
        .map(|body| body.deserialize::<Value>().expect("the response is JSON"))
}

#[test]
fn the_window_keeps_its_session_between_calls_until_it_signs_out() {
    let dir = tempfile::tempdir().expect("temp folder");
    let window = window(dir.path());
    call(
        &window,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada", "password": "long enough pw"}),
    )
    .expect("the first administrator is created and signed in");

    let listed = call(&window, "list_employees", json!({}));
    assert!(
        listed.is_ok(),
        "the next call runs as the signed-in administrator: {listed:?}"
    );

    call(&window, "sign_out", Value::Null).expect("signs out");
    let refused = call(&window, "list_employees", json!({})).expect_err("signed out");
    assert_eq!(
        refused["code"], "not_signed_in",
        "after sign-out the window has no session"
    );
}

#[test]
fn calls_made_at_the_same_time_all_run_as_the_signed_in_operator() {
    let dir = tempfile::tempdir().expect("temp folder");
    let window = window(dir.path());
    call(
        &window,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada", "password": "long enough pw"}),
    )
    .expect("the first administrator is created and signed in");

    // A page loads several things at once; none may find the window signed out.
    let refused: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..6)
            .map(|_| {
                let window = window.clone();
                scope.spawn(move || {
                    (0..15)
                        .filter(|_| call(&window, "list_employees", json!({})).is_err())
                        .count()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("the worker finished"))
            .sum()
    });

    assert_eq!(refused, 0, "every concurrent call ran signed in");
    assert!(
        call(&window, "list_employees", json!({})).is_ok(),
        "and the window is still signed in afterwards"
    );
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_on_every_call() {
    let dir = tempfile::tempdir().expect("temp folder");
    let db = timebridge_core::paths::database_path(dir.path());
    std::fs::write(&db, "not a database, just text ".repeat(100)).expect("file written");
    let window = window(dir.path());

    let error = call(&window, "app_status", Value::Null).expect_err("the database is broken");

    assert_eq!(
        error["code"], "storage",
        "reported as a storage problem: {error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("is not a Timebridge database"),
        "the message says what is wrong: {error}"
    );
}

#[test]
fn a_sync_reports_its_progress_to_the_window_as_events() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;

    let dir = tempfile::tempdir().expect("temp folder");
    let window = window(dir.path());
    let phases = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = phases.clone();
    window.listen_any(timebridge_commands::SYNC_PROGRESS_EVENT, move |event| {
        let progress: Value = serde_json::from_str(event.payload()).unwrap_or_default();
        seen.lock()
            .expect("lock")
            .push(progress["phase"].as_str().unwrap_or_default().to_owned());
    });
    call(
        &window,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada", "password": "long enough pw"}),
    )
    .expect("signed in");
    let sandbox = call(&window, "connect_sandbox", json!({})).expect("connected");

    call(&window, "sync_now", json!({"id": sandbox["id"]})).expect("started");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !phases.lock().expect("lock").iter().any(|p| p == "finished") {
        if std::time::Instant::now() > deadline {
            let status = call(&window, "get_integration", json!({"id": sandbox["id"]}));
            panic!(
                "the finished event never came; integration: {status:?}; phases {:?}",
                phases.lock().expect("lock")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let phases = phases.lock().expect("lock");
    assert!(
        phases.iter().any(|p| p == "fetching"),
        "pages were reported as they arrived: {phases:?}"
    );
}
