//! The tray icon: Timebridge keeps syncing on schedule with its window
//! closed. Closing the window hides it to the tray; the tray menu opens it
//! again, syncs everything now, or quits. On a desktop without a tray,
//! closing the window quits as usual (a hidden window could not be reached).

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{App, Manager, Window, WindowEvent};

use crate::AppState;

static TRAY_READY: AtomicBool = AtomicBool::new(false);

pub(crate) fn install(app: &App) {
    match build(app) {
        Ok(()) => {
            TRAY_READY.store(true, Ordering::SeqCst);
            // Creating the tray icon can take the keyboard focus from the
            // window (seen on X11 without a window manager); give it back.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_focus();
            }
        }
        Err(error) => tracing::info!(%error, "no tray icon; closing the window will quit"),
    }
}

fn build(app: &App) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Timebridge", true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", "Sync all now", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Timebridge", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &sync, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Timebridge")
        .menu(&menu);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_menu_event(|app, event| match event.id().as_ref() {
        "open" => {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.show();
                let _ = window.set_focus();
            }
        }
        "sync" => {
            if let Some(Ok(api)) = app.try_state::<AppState>().map(|s| s.api.clone()) {
                let runtime = tauri::async_runtime::handle().inner().clone();
                let started = timebridge_sync::scheduler::start_all(api.engine(), &runtime);
                tracing::info!(count = started.len(), "sync all now, from the tray");
            }
        }
        "quit" => app.exit(0),
        _ => {}
    })
    .build(app)?;
    Ok(())
}

/// What closing the window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnClose {
    /// Hide it: the app keeps running (and syncing) in the tray.
    HideToTray,
    /// Close it and quit: with no tray icon there would be no way back.
    Quit,
}

/// What closing the window does, with or without a tray icon up.
pub fn on_close(tray_ready: bool) -> OnClose {
    if tray_ready {
        OnClose::HideToTray
    } else {
        OnClose::Quit
    }
}

/// Hides the window to the tray instead of closing it, when there is a tray.
pub fn hide_on_close<R: tauri::Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && on_close(TRAY_READY.load(Ordering::SeqCst)) == OnClose::HideToTray
    {
        api.prevent_close();
        let _ = window.hide();
    }
}

#[cfg(test)]
mod tests {
    use super::{OnClose, on_close};

    #[test]
    fn closing_the_window_hides_it_to_the_tray_when_there_is_one_and_quits_otherwise() {
        assert_eq!(
            on_close(true),
            OnClose::HideToTray,
            "with a tray icon the app keeps running, so scheduled syncs go on"
        );
        assert_eq!(
            on_close(false),
            OnClose::Quit,
            "without one a hidden window could not be reached again"
        );
    }
}
