//! `cargo xtask bundle [--debug]`: the installers, built with the
//! `tauri-bundler` crate (the library the Tauri CLI itself calls), so no npm
//! Tauri CLI is needed. It reads tauri.conf.json's `bundle` section, builds
//! the UI and the binaries, then the packages of this OS: .deb, .rpm and
//! .AppImage on Linux, .msi and NSIS on Windows, .app and .dmg on macOS.

use std::path::{Path, PathBuf};
use std::process::Command;

use tauri_bundler::{
    AppCategory, BundleBinary, BundleSettings, DebianSettings, PackageSettings, PackageType,
    RpmSettings, SettingsBuilder, UpdaterSettings, WindowsSettings,
};
use tauri_utils::config::Config;

use crate::{Result, appimage, run_cmd, setup, target_dir};

/// The packages this OS builds.
pub fn native_packages() -> Vec<PackageType> {
    if cfg!(target_os = "linux") {
        vec![PackageType::Deb, PackageType::Rpm, PackageType::AppImage]
    } else if cfg!(windows) {
        vec![PackageType::WindowsMsi, PackageType::Nsis]
    } else {
        vec![PackageType::MacOsBundle, PackageType::Dmg]
    }
}

/// What to bundle: the profile, and the target triple when it is not the
/// host's (`--target x86_64-apple-darwin` on an arm64 Mac, say).
#[derive(Debug, Clone, Default)]
pub struct Build {
    pub debug: bool,
    pub target: Option<String>,
}

impl Build {
    /// `[--debug] [--target TRIPLE]`.
    pub fn from_args(args: &[String]) -> Build {
        Build {
            debug: args.iter().any(|a| a == "--debug"),
            target: args
                .iter()
                .position(|a| a == "--target")
                .and_then(|i| args.get(i + 1))
                .cloned(),
        }
    }

    /// Where cargo writes this build's binaries.
    fn out(&self, root: &Path) -> PathBuf {
        let profile = if self.debug { "debug" } else { "release" };
        match &self.target {
            Some(target) => target_dir(root).join(target).join(profile),
            None => target_dir(root).join(profile),
        }
    }
}

/// `cargo xtask bundle`: every package of this OS; the paths it wrote.
pub fn all(root: &Path, build: &Build) -> Result<Vec<PathBuf>> {
    setup::app(root)?;
    build_binaries(root, build)?;
    let mut written = Vec::new();
    let mut blocked = Vec::new();
    for package in native_packages() {
        match package_only(root, build, package) {
            Ok(paths) => written.extend(paths),
            Err(why) => blocked.push(why),
        }
    }
    for path in &written {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!(
            "xtask: {} ({:.1} MB)",
            path.display(),
            size as f64 / 1_000_000.0
        );
    }
    if blocked.is_empty() {
        Ok(written)
    } else {
        Err(blocked.join("\n"))
    }
}

/// The app and the `timebridge` command line, release or debug.
pub fn build_binaries(root: &Path, build: &Build) -> Result {
    let mut cargo = Command::new("cargo");
    cargo
        .current_dir(root)
        .args(["build", "-p", "timebridge-desktop", "-p", "timebridge-cli"]);
    if !build.debug {
        cargo.arg("--release");
    }
    if let Some(target) = &build.target {
        cargo.args(["--target", target]);
    }
    run_cmd(&mut cargo)
}

/// One package from binaries already built; the paths it wrote.
pub fn package_only(root: &Path, build: &Build, package: PackageType) -> Result<Vec<PathBuf>> {
    let conf = read_conf(root)?;
    let out = build.out(root);
    let mut settings = SettingsBuilder::new();
    if let Some(target) = &build.target {
        settings = settings.target(target.clone());
    }
    let settings = settings
        .project_out_directory(&out)
        .package_types(vec![package])
        .package_settings(package_settings(&conf))
        .bundle_settings(bundle_settings(root, &conf))
        .binaries(binaries())
        .build()
        .map_err(|e| format!("the bundle settings are wrong: {e}"))?;
    // The bundler resolves the conf's relative paths (icons, files) from here.
    std::env::set_current_dir(root).map_err(|e| format!("cannot enter {}: {e}", root.display()))?;
    match tauri_bundler::bundle_project(&settings) {
        Ok(bundles) => Ok(bundles.into_iter().flat_map(|b| b.bundle_paths).collect()),
        Err(e) if package == PackageType::AppImage => {
            println!(
                "xtask: tauri-bundler's AppImage needs linuxdeploy, which it downloads from \
                 GitHub ({e}); building the AppImage that uses the system's WebKitGTK instead"
            );
            appimage::build(root, &out, env!("CARGO_PKG_VERSION")).map(|path| vec![path])
        }
        Err(e) => Err(format!(
            "the {} package could not be built: {e}",
            package.short_name()
        )),
    }
}

/// The binaries a package holds. On Linux the app's binary is the command
/// line too (run as `timebridge`, a link the packages' scripts make), which
/// halves the package; on Windows the app has no console, so the command
/// line is its own `timebridge.exe`, and macOS keeps the two alike.
fn binaries() -> Vec<BundleBinary> {
    let app = BundleBinary::new("timebridge-desktop".to_owned(), true);
    if cfg!(target_os = "linux") {
        vec![app]
    } else {
        vec![app, BundleBinary::new("timebridge".to_owned(), false)]
    }
}

fn read_conf(root: &Path) -> Result<Config> {
    let path = root.join("tauri.conf.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid: {e}", path.display()))
}

/// Name and version: the version is the workspace's, from Cargo.toml.
fn package_settings(conf: &Config) -> PackageSettings {
    PackageSettings {
        product_name: conf
            .product_name
            .clone()
            .unwrap_or_else(|| "Timebridge".to_owned()),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        description: conf.bundle.short_description.clone().unwrap_or_default(),
        homepage: conf.bundle.homepage.clone(),
        authors: None,
        default_run: Some("timebridge-desktop".to_owned()),
    }
}

fn bundle_settings(root: &Path, conf: &Config) -> BundleSettings {
    let bundle = &conf.bundle;
    let deb = &bundle.linux.deb;
    let rpm = &bundle.linux.rpm;
    let windows = WindowsSettings {
        // The release workflow imports the signing certificate and names it.
        certificate_thumbprint: std::env::var("WINDOWS_CERTIFICATE_THUMBPRINT").ok(),
        digest_algorithm: Some("sha256".to_owned()),
        timestamp_url: Some("http://timestamp.digicert.com".to_owned()),
        ..WindowsSettings::default()
    };
    BundleSettings {
        identifier: Some(conf.identifier.clone()),
        publisher: bundle.publisher.clone(),
        homepage: bundle.homepage.clone(),
        icon: Some(
            bundle
                .icon
                .iter()
                .map(|icon| root.join(icon).display().to_string())
                .collect(),
        ),
        category: bundle
            .category
            .as_deref()
            .and_then(|c| c.parse::<AppCategory>().ok()),
        file_associations: bundle.file_associations.clone(),
        short_description: bundle.short_description.clone(),
        long_description: bundle.long_description.clone(),
        deb: DebianSettings {
            depends: deb.depends.clone(),
            files: deb.files.clone(),
            post_install_script: deb.post_install_script.clone(),
            pre_remove_script: deb.pre_remove_script.clone(),
            ..DebianSettings::default()
        },
        rpm: RpmSettings {
            depends: rpm.depends.clone(),
            files: rpm.files.clone(),
            post_install_script: rpm.post_install_script.clone(),
            pre_remove_script: rpm.pre_remove_script.clone(),
            release: rpm.release.clone(),
            ..RpmSettings::default()
        },
        windows,
        updater: updater_settings(conf),
        ..BundleSettings::default()
    }
}

/// With `createUpdaterArtifacts`, the bundler also makes what the updater
/// plugin installs that no package is itself: the macOS `.app.tar.gz` (the
/// AppImage, .deb, .rpm, NSIS and MSI are installed as they are). The
/// release workflow signs them all.
fn updater_settings(conf: &Config) -> Option<UpdaterSettings> {
    use tauri_utils::config::Updater;
    if !matches!(conf.bundle.create_updater_artifacts, Updater::Bool(true)) {
        return None;
    }
    let pubkey = conf
        .plugins
        .0
        .get("updater")
        .and_then(|updater| updater.get("pubkey"))
        .and_then(|key| key.as_str())
        .unwrap_or_default()
        .to_owned();
    Some(UpdaterSettings {
        v1_compatible: false,
        pubkey,
        msiexec_args: &["/passive"],
    })
}
