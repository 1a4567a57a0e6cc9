//! Where Timebridge keeps its files.
//!
//! Everything lives in one data folder: the database `timebridge.db`, its
//! daily backups in `backups/` ([`crate::store::backup`]) and the `logs/`
//! folder. By default that is the operating system's app-data folder
//! (`~/.local/share/app.timebridge.desktop` on Linux, `~/Library/Application
//! Support/app.timebridge.desktop` on macOS, `%APPDATA%\app.timebridge.desktop`
//! on Windows: the same place Tauri uses for the app's identifier). The
//! `TIMEBRIDGE_DATA_DIR` environment variable, or a `--data-dir` flag, moves
//! it, for tests and portable installs.

use std::path::{Path, PathBuf};

/// The app's identifier, as in `tauri.conf.json`.
pub const APP_IDENTIFIER: &str = "app.timebridge.desktop";

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "TIMEBRIDGE_DATA_DIR";

pub const DATABASE_FILE: &str = "timebridge.db";
pub const LOG_DIR: &str = "logs";

/// The data folder: the explicit choice if given, else `TIMEBRIDGE_DATA_DIR`,
/// else the OS app-data folder. `None` only when the OS has no home folder.
pub fn data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|value| !value.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join(APP_IDENTIFIER))
}

pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DATABASE_FILE)
}

pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOG_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_folder_wins_over_everything() {
        let chosen = Path::new("/tmp/portable-timebridge");
        assert_eq!(
            data_dir(Some(chosen)).as_deref(),
            Some(chosen),
            "a --data-dir flag must override the environment and the OS default"
        );
    }
}
