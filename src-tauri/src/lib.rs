//! The desktop shell: a window over the command layer.
//!
//! This crate owns what only a desktop app has: the window, the command-line
//! flags the app starts with, and the log file. Everything the UI asks for
//! goes through one Tauri command, [`commands::call`], into
//! `timebridge-commands`, which checks the signed-in operator's permission
//! and runs the core. If the database cannot be opened, the window still
//! opens and every call answers with the reason, so the UI can show it
//! instead of the app vanishing. New versions of the app come through
//! [`updates`], checked in the background after start.

pub mod commands;
pub mod instance;
pub mod logs;
pub mod tray;
pub mod updates;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use timebridge_commands::{Api, Client};
use timebridge_connectors::secrets::{KEYRING_SERVICE, KeyringSecrets};
use timebridge_core::time::SystemClock;
use timebridge_core::{ApiError, Store, paths};

/// What the window's commands share.
pub struct AppState {
    /// The API, or why it could not start (for example a database from a
    /// newer version).
    pub api: Result<Arc<Api>, ApiError>,
    /// The window's session.
    pub client: Mutex<Client>,
    /// Where updates come from (the config's endpoint and key).
    pub update_source: updates::UpdateSource,
}

/// How the app was started.
#[derive(Debug, Default)]
pub struct Options {
    /// `--data-dir DIR`: where the database and logs live.
    pub data_dir: Option<PathBuf>,
}

impl Options {
    /// Reads `--data-dir DIR` (or `--data-dir=DIR`); ignores what it does not
    /// know, such as the flags a WebDriver session adds.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Options {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--data-dir" {
                options.data_dir = args.next().map(PathBuf::from);
            } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
                options.data_dir = Some(PathBuf::from(dir));
            }
        }
        options
    }
}

/// Opens the store in the data folder and builds the app state.
pub fn open_state(options: &Options) -> AppState {
    let api = match paths::data_dir(options.data_dir.as_deref()) {
        Some(dir) => Store::open(&paths::database_path(&dir))
            .map(|store| {
                Arc::new(
                    Api::new(
                        Arc::new(store),
                        Arc::new(SystemClock),
                        Arc::new(KeyringSecrets::new(KEYRING_SERVICE)),
                        tauri::async_runtime::handle().inner().clone(),
                    )
                    .with_browser(open_in_browser),
                )
            })
            .map_err(|error| {
                tracing::error!(%error, "could not open the database");
                ApiError::from(error)
            }),
        None => Err(ApiError::from(timebridge_core::Error::Internal(
            "this computer reports no home folder, so there is nowhere to keep the database; \
             start Timebridge with --data-dir DIR"
                .to_owned(),
        ))),
    };
    AppState {
        api,
        client: Mutex::new(Client::new()),
        update_source: updates::UpdateSource::default(),
    }
}

/// Opens a platform's sign-in page in the system browser.
fn open_in_browser(url: &str) -> bool {
    match open::that_detached(url) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "could not open the system browser");
            false
        }
    }
}

/// The app's state, its one command, sync progress forwarded to the window
/// as events, the sync scheduler and the updater, on a Tauri builder (the
/// real runtime in [`run`], the mock runtime in tests). The last three
/// start with the event loop (Tauri's setup hook); the check for updates
/// runs in the background, so the window never waits on it.
pub fn with_commands<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    let engine = state.api.as_ref().ok().map(|api| api.engine().clone());
    let api = state.api.as_ref().ok().cloned();
    let update_source = state.update_source.clone();
    builder
        .plugin(updates::plugin())
        .manage(state)
        .invoke_handler(tauri::generate_handler![commands::call])
        .on_window_event(tray::hide_on_close)
        .setup(move |app| {
            if let Some(api) = api {
                start_updater(app.handle().clone(), &api, update_source);
            }
            if let Some(engine) = engine {
                forward_progress(app.handle().clone(), &engine);
                tauri::async_runtime::spawn(timebridge_sync::scheduler::run(
                    engine,
                    timebridge_sync::scheduler::PERIOD,
                    "the window",
                    tokio_util::sync::CancellationToken::new(),
                ));
            }
            Ok(())
        })
}

/// Plugs the updater into the API and, when Settings allow, starts the
/// first check in the background. A setting that cannot be read counts as
/// off: no request is made that the office may have turned off.
fn start_updater<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    api: &Api,
    source: updates::UpdateSource,
) {
    use timebridge_commands::Updates;
    let enabled = match api.store().read(timebridge_core::update_settings::load) {
        Ok(settings) => settings.check_for_updates,
        Err(error) => {
            tracing::warn!(%error, "the update settings could not be read; not checking");
            false
        }
    };
    let updater = updates::AppUpdater::new(app, source, enabled);
    api.set_updates(Arc::new(updater.clone()));
    if enabled {
        updater.check();
    }
}

/// Sends every sync progress report to the window as a `sync-progress` event.
fn forward_progress<R: tauri::Runtime>(app: tauri::AppHandle<R>, engine: &timebridge_sync::Engine) {
    use tauri::Emitter;
    let mut progress = engine.runs().subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match progress.recv().await {
                Ok(report) => {
                    if let Err(error) = app.emit(timebridge_commands::SYNC_PROGRESS_EVENT, &report)
                    {
                        tracing::debug!(%error, "progress not delivered");
                    }
                }
                // Slow to read: skip to the newest report.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Starts the desktop app.
pub fn run() {
    let options = Options::from_args(std::env::args().skip(1));
    let data_dir = paths::data_dir(options.data_dir.as_deref());
    let _log_guard = data_dir.as_deref().and_then(logs::init);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = ?data_dir, "Timebridge starting");
    let instance = match data_dir
        .as_deref()
        .map(|dir| instance::claim(dir, &std::env::args().skip(1).collect::<Vec<_>>()))
    {
        Some(Ok(instance::Claim::Second { asked })) => {
            tracing::info!(asked, "another window holds this data folder");
            if asked {
                println!(
                    "Timebridge is already open on this data folder; its window was brought to the front."
                );
            } else {
                println!(
                    "Timebridge is already open on this data folder; switch to its window (it is in the taskbar or the tray)."
                );
            }
            std::process::exit(0);
        }
        Some(Ok(instance::Claim::First(instance))) => Some(instance),
        Some(Err(error)) => {
            tracing::warn!(%error, "could not claim the data folder for this window");
            None
        }
        None => None,
    };
    let state = open_state(&options);

    let result = with_commands(tauri::Builder::default(), state)
        .build(tauri::generate_context!("../tauri.conf.json"))
        .map(|app| {
            tray::install(&app);
            if let Some(instance) = instance {
                bring_to_front_on_request(&app, instance);
            }
            app.run(|_, _| {});
        });
    if let Err(error) = result {
        tracing::error!(%error, "the window system failed");
        eprintln!("Timebridge could not start its window: {error}");
        std::process::exit(1);
    }
}

/// Whether this binary was started as `timebridge`, the command line: the
/// Linux packages ship one binary and link that name to it.
pub fn run_as_command_line(program: Option<&std::ffi::OsStr>) -> bool {
    program
        .map(std::path::Path::new)
        .and_then(std::path::Path::file_stem)
        .is_some_and(|name| name == "timebridge")
}

/// Shows, unminimizes and focuses the window each time a later start on
/// the same data folder asks; the [`instance::Instance`] lives as long as
/// the app.
fn bring_to_front_on_request(app: &tauri::App, instance: instance::Instance) {
    use tauri::Manager;
    let handle = app.handle().clone();
    std::thread::spawn(move || {
        while let Ok(args) = instance.show_requests.recv() {
            tracing::info!(
                ?args,
                "a second start asked this window to come to the front"
            );
            if let Some(window) = handle.get_webview_window("main") {
                let _ = window.show();
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::run_as_command_line;
    use std::ffi::OsStr;

    #[test]
    fn run_by_the_command_line_name_it_is_the_command_line() {
        assert!(
            run_as_command_line(Some(OsStr::new("/usr/bin/timebridge"))),
            "the package's /usr/bin/timebridge link runs the command line"
        );
        assert!(
            run_as_command_line(Some(OsStr::new("timebridge.exe"))),
            "by name alone, and with Windows' extension"
        );
    }

    #[test]
    fn run_by_its_own_name_or_none_it_is_the_app() {
        for program in ["/usr/bin/timebridge-desktop", "Timebridge", "timebridge-x"] {
            assert!(
                !run_as_command_line(Some(OsStr::new(program))),
                "{program} opens the window"
            );
        }
        assert!(
            !run_as_command_line(None),
            "no program name opens the window"
        );
    }

    use super::Options;

    #[test]
    fn the_data_folder_flag_is_read_in_both_forms_and_other_flags_are_ignored() {
        let args = |list: &[&str]| Options::from_args(list.iter().map(|s| (*s).to_owned()));
        assert_eq!(
            args(&["--automation", "--data-dir", "/srv/tb"])
                .data_dir
                .as_deref(),
            Some(std::path::Path::new("/srv/tb")),
            "a WebDriver flag before it must not stop the data folder being read"
        );
        assert_eq!(
            args(&["--data-dir=/srv/x"]).data_dir.as_deref(),
            Some(std::path::Path::new("/srv/x")),
            "the --flag=value form works too"
        );
    }
}
