//! Updates of Timebridge itself, through Tauri's updater plugin.
//!
//! After each start, if Settings allow, [`AppUpdater`] asks the release
//! endpoint (tauri.conf.json, `plugins.updater`) for its manifest in the
//! background: the window never waits on it, and an office without internet
//! that turned checks off makes no request at all. A newer version is shown
//! with its notes; an administrator's click downloads it, and the plugin
//! installs it only if its minisign signature matches the public key in the
//! config (a bad signature is refused before anything is written), then the
//! app restarts. A manifest whose version is not newer than this one is not
//! an update, so a downgrade is never offered. The plugin's own JavaScript
//! commands are not granted to the window (capabilities/default.json), so
//! an install always goes through `install_update` and its permission check.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use timebridge_commands::{UpdateState, Updates};
use timebridge_core::Error;

/// How long one request (the manifest, or the package) may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The updater plugin, as the app registers it (its settings are in
/// tauri.conf.json's `plugins.updater`).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Where updates come from and go to. The default is the config's release
/// endpoint and key, installed over the running app, which then restarts;
/// tests point it at a loopback server, their own key and a scratch file.
#[derive(Debug, Clone)]
pub struct UpdateSource {
    /// The minisign public key (as the config writes it: base64 of the
    /// public key file); `None` is the config's.
    pub pubkey: Option<String>,
    /// Where the manifest is; `None` is the config's.
    pub endpoints: Option<Vec<url::Url>>,
    /// The app file an update replaces; `None` is the running one.
    pub executable: Option<PathBuf>,
    /// The manifest's platform key to read; `None` lets the plugin choose
    /// from this OS, architecture and package type.
    pub target: Option<String>,
    /// Restart once installed (off in tests).
    pub restart_after_install: bool,
}

impl Default for UpdateSource {
    fn default() -> Self {
        UpdateSource {
            pubkey: None,
            endpoints: None,
            executable: None,
            target: None,
            restart_after_install: true,
        }
    }
}

/// The app's updater: what it last found, and the update to install.
/// Clones share it.
pub struct AppUpdater<R: Runtime>(Arc<Shared<R>>);

impl<R: Runtime> Clone for AppUpdater<R> {
    fn clone(&self) -> Self {
        AppUpdater(self.0.clone())
    }
}

impl<R: Runtime> std::ops::Deref for AppUpdater<R> {
    type Target = Shared<R>;
    fn deref(&self) -> &Shared<R> {
        &self.0
    }
}

/// What the clones of an [`AppUpdater`] share.
pub struct Shared<R: Runtime> {
    app: AppHandle<R>,
    source: UpdateSource,
    enabled: AtomicBool,
    /// Bumped when checks are turned off, so a check already under way
    /// cannot bring its finding back.
    generation: AtomicU64,
    found: Mutex<Found>,
}

struct Found {
    state: UpdateState,
    update: Option<Update>,
}

impl<R: Runtime> AppUpdater<R> {
    pub fn new(app: AppHandle<R>, source: UpdateSource, enabled: bool) -> AppUpdater<R> {
        AppUpdater(Arc::new(Shared {
            app,
            source,
            enabled: AtomicBool::new(enabled),
            generation: AtomicU64::new(0),
            found: Mutex::new(Found {
                state: if enabled {
                    UpdateState::NotChecked
                } else {
                    UpdateState::Off
                },
                update: None,
            }),
        }))
    }
}

impl<R: Runtime> Shared<R> {
    /// Asks the endpoint for its manifest and keeps what it offers. Makes
    /// no request when checks are off.
    pub async fn check_now(&self) -> UpdateState {
        if !self.enabled.load(Ordering::SeqCst) {
            return self.set(UpdateState::Off, None);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        self.set(UpdateState::Checking, None);
        let found = match self.updater() {
            Ok(updater) => updater.check().await,
            Err(error) => Err(error),
        };
        let (state, update) = match found {
            Ok(Some(update)) => (
                UpdateState::Available {
                    version: update.version.clone(),
                    notes: update.body.clone().filter(|notes| !notes.trim().is_empty()),
                    // As the manifest wrote it (RFC 3339; the plugin checked it parses).
                    published: update
                        .raw_json
                        .get("pub_date")
                        .and_then(|date| date.as_str())
                        .map(str::to_owned),
                },
                Some(update),
            ),
            Ok(None) => (
                UpdateState::UpToDate {
                    checked_at: chrono::Utc::now(),
                },
                None,
            ),
            Err(error) => {
                tracing::warn!(%error, "the check for updates failed");
                (
                    UpdateState::Failed {
                        message: format!(
                            "Could not check for updates: {error}. Check this computer's internet connection, or turn checking for updates off in Settings."
                        ),
                    },
                    None,
                )
            }
        };
        if generation != self.generation.load(Ordering::SeqCst)
            || !self.enabled.load(Ordering::SeqCst)
        {
            return self.set(UpdateState::Off, None);
        }
        if let UpdateState::Available { version, .. } = &state {
            tracing::info!(%version, "a new version is available");
        }
        self.set(state, update)
    }

    /// Downloads the update found, has the plugin check its signature and
    /// install it, then restarts (unless the source says not to). A package
    /// whose signature does not match is refused and nothing is replaced.
    pub async fn install_now(&self) -> UpdateState {
        let Some(update) = self.lock().update.clone() else {
            return self.state();
        };
        let version = update.version.clone();
        self.set(
            UpdateState::Installing {
                version: version.clone(),
            },
            Some(update.clone()),
        );
        match update.download_and_install(|_, _| {}, || {}).await {
            Ok(()) => {
                tracing::info!(%version, "the update was installed");
                let state = self.set(UpdateState::Installed { version }, None);
                if self.source.restart_after_install {
                    self.app.restart();
                }
                state
            }
            Err(error) => {
                tracing::warn!(%version, %error, "the update was not installed");
                self.set(
                    UpdateState::Failed {
                        message: install_failure(&version, &error),
                    },
                    None,
                )
            }
        }
    }

    /// What the updater knows now.
    pub fn state(&self) -> UpdateState {
        self.lock().state.clone()
    }

    fn updater(&self) -> tauri_plugin_updater::Result<tauri_plugin_updater::Updater> {
        let mut builder = self.app.updater_builder().timeout(REQUEST_TIMEOUT);
        if let Some(pubkey) = &self.source.pubkey {
            builder = builder.pubkey(pubkey.clone());
        }
        if let Some(endpoints) = &self.source.endpoints {
            builder = builder.endpoints(endpoints.clone())?;
        }
        if let Some(executable) = &self.source.executable {
            builder = builder.executable_path(executable);
        }
        if let Some(target) = &self.source.target {
            builder = builder.target(target.clone());
        }
        builder.build()
    }

    fn set(&self, state: UpdateState, update: Option<Update>) -> UpdateState {
        let mut found = self.lock();
        found.state = state.clone();
        found.update = update;
        state
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Found> {
        self.found
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Why an install failed, in the admin's words: a signature that does not
/// match is said to be refused, so it is not mistaken for a network hiccup.
fn install_failure(version: &str, error: &tauri_plugin_updater::Error) -> String {
    use tauri_plugin_updater::Error as Plugin;
    match error {
        Plugin::Minisign(_)
        | Plugin::SignedVersionMismatch { .. }
        | Plugin::MissingSignedVersion => {
            format!(
                "The update to version {version} was refused: its signature does not match Timebridge's release key, so it may not come from Timebridge. Nothing was installed."
            )
        }
        other => format!(
            "Could not install version {version}: {other}. This version stays installed; try again later."
        ),
    }
}

/// Every command-layer call returns at once: checks and installs run on
/// the async runtime and the status reports them.
impl<R: Runtime> Updates for AppUpdater<R> {
    fn state(&self) -> UpdateState {
        Shared::state(self)
    }

    fn set_enabled(&self, enabled: bool) {
        let was = self.enabled.swap(enabled, Ordering::SeqCst);
        if enabled && !was {
            self.set(UpdateState::NotChecked, None);
            Updates::check(self);
        } else if !enabled {
            self.generation.fetch_add(1, Ordering::SeqCst);
            self.set(UpdateState::Off, None);
        }
    }

    fn check(&self) {
        let updater = self.clone();
        tauri::async_runtime::spawn(async move {
            updater.check_now().await;
        });
    }

    fn install(&self) -> timebridge_core::Result<()> {
        match Shared::state(self) {
            UpdateState::Available { .. } => {}
            UpdateState::Installing { .. } => {
                return Err(Error::Conflict(
                    "The update is already being installed.".into(),
                ));
            }
            _ => {
                return Err(Error::Conflict(
                    "There is no update to install; check for updates first.".into(),
                ));
            }
        }
        let updater = self.clone();
        tauri::async_runtime::spawn(async move {
            updater.install_now().await;
        });
        Ok(())
    }
}
