//! The one Tauri command. The UI's generated bindings call it with a command
//! name from the command table and that command's arguments; access checks,
//! argument types and errors are all the command layer's.

use serde_json::Value;
use tauri::State;
use timebridge_core::ApiError;

use crate::AppState;

/// Runs `command` with `args` for the window's signed-in operator, on a
/// blocking thread so database work never stalls the window.
///
/// Calls run at the same time (a page loads several lists at once), so each
/// works on a copy of the window's session and writes it back only when the
/// call changed it (signing in or out).
#[tauri::command]
pub async fn call(
    state: State<'_, AppState>,
    command: String,
    args: Value,
) -> Result<Value, ApiError> {
    let api = state.api.clone()?;
    let before = lock(&state).clone();
    let client = before.clone();
    let (client, result) = tauri::async_runtime::spawn_blocking(move || {
        let mut client = client;
        let result = api.call(&mut client, &command, args);
        (client, result)
    })
    .await
    .map_err(|error| {
        ApiError::from(timebridge_core::Error::Internal(format!(
            "the command stopped unexpectedly: {error}"
        )))
    })?;
    if client != before {
        *lock(&state) = client;
    }
    result
}

fn lock<'a>(
    state: &'a State<'_, AppState>,
) -> std::sync::MutexGuard<'a, timebridge_commands::Client> {
    state
        .client
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
