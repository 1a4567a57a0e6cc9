//! Updates of the app through Tauri's updater plugin, for real: a loopback
//! server serves a manifest (latest.json) and a package signed with a
//! throwaway minisign key, and the app's updater, given that key's public
//! half and the server's address at run time, finds, refuses or installs
//! them. The mock runtime stands in for the window (no display needed); the
//! plugin's own verification decides every case. The last test goes
//! through the window: started, it checks in the background and shows what
//! it found.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use serde_json::{Value, json};
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use timebridge_commands::UpdateState;
use timebridge_desktop::updates::{self, AppUpdater, UpdateSource};

/// A signing key as the release workflow holds one.
struct ReleaseKey(minisign::KeyPair);

impl ReleaseKey {
    fn new() -> ReleaseKey {
        ReleaseKey(minisign::KeyPair::generate_unencrypted_keypair().expect("a key pair"))
    }

    /// The public key as tauri.conf.json writes it: base64 of the key file.
    fn public(&self) -> String {
        base64(&self.0.pk.to_box().expect("a public key box").to_string())
    }

    /// A package's signature as `tauri signer sign` writes it into
    /// latest.json: base64 of the .sig file, the version in its trusted comment.
    fn sign(&self, package: &[u8], version: &str) -> String {
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            std::io::Cursor::new(package),
            Some(&format!(
                "timestamp:1700000000\tfile:Timebridge.AppImage\tversion:{version}"
            )),
            None,
        )
        .expect("signed");
        base64(&signature.to_string())
    }
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The smallest file the plugin takes for an AppImage (an ELF header).
fn package(marker: &str) -> Vec<u8> {
    let mut bytes = format!("\x7fELF {marker}").into_bytes();
    bytes.resize(64, 0);
    bytes
}

/// A release server on loopback: `/latest.json` and `/package`; counts requests.
struct ReleaseServer {
    address: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl ReleaseServer {
    /// Serves a manifest for `version` whose package is `package`, signed
    /// as `signature` says.
    fn start(version: &str, notes: &str, package: Vec<u8>, signature: String) -> ReleaseServer {
        use axum::routing::get;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let address = listener.local_addr().expect("its address");
        let target = tauri_plugin_updater::target().expect("an OS the updater supports");
        let mut platforms = serde_json::Map::new();
        platforms.insert(
            target,
            json!({ "signature": signature, "url": format!("http://{address}/package") }),
        );
        let manifest = json!({
            "version": version,
            "notes": notes,
            "pub_date": "2026-12-01T09:00:00Z",
            "platforms": platforms,
        });
        let requests = Arc::new(AtomicUsize::new(0));
        let (counted, counted_too) = (requests.clone(), requests.clone());
        let app = axum::Router::new()
            .route(
                "/latest.json",
                get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let manifest = manifest.clone();
                    async move { axum::Json(manifest) }
                }),
            )
            .route(
                "/package",
                get(move || {
                    counted_too.fetch_add(1, Ordering::SeqCst);
                    let package = package.clone();
                    async move { package }
                }),
            );
        tauri::async_runtime::spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            let _ = axum::serve(listener, app).await;
        });
        ReleaseServer { address, requests }
    }

    fn manifest_url(&self) -> url::Url {
        format!("http://{}/latest.json", self.address)
            .parse()
            .expect("a URL")
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The plugin's config as a test app has it: no key or endpoint of its own
/// (the source gives them at run time), plain http allowed for loopback.
pub(crate) fn test_config() -> Value {
    json!({ "pubkey": "", "dangerousInsecureTransportProtocol": true })
}

fn mock_app() -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), test_config());
    mock_builder()
        .plugin(updates::plugin())
        .build(context)
        .expect("the app builds on the mock runtime")
}

/// The running version, one newer and one older.
fn versions(app: &tauri::App<MockRuntime>) -> (String, String, String) {
    let current = app.package_info().version.to_string();
    let mut parts = current
        .split('.')
        .map(|part| part.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let newer = format!("{major}.{}.0", minor + 1);
    let older = if major > 0 {
        format!("{}.0.0", major - 1)
    } else {
        "0.0.1".to_owned()
    };
    assert_ne!(
        older, current,
        "the test needs a version older than {current}"
    );
    (current, newer, older)
}

/// The installed app: a file the update replaces.
fn installed_app(dir: &Path) -> PathBuf {
    let path = dir.join("Timebridge.AppImage");
    std::fs::write(&path, package("installed")).expect("the installed app");
    path
}

/// Where the app's updates come from in a test: the loopback server, the
/// release key's public half, and the scratch app file.
fn source(key: &ReleaseKey, manifest: url::Url, installed: &Path) -> UpdateSource {
    UpdateSource {
        pubkey: Some(key.public()),
        endpoints: Some(vec![manifest]),
        executable: Some(installed.to_path_buf()),
        target: tauri_plugin_updater::target(),
        restart_after_install: false,
    }
}

/// One test's world: a mock app whose updater trusts `key`, and a server
/// offering `version` as a package signed by `signer`.
struct Release {
    /// The version offered.
    version: String,
    _app: tauri::App<MockRuntime>,
    _dir: tempfile::TempDir,
    installed: PathBuf,
    server: ReleaseServer,
    updater: AppUpdater<MockRuntime>,
}

impl Release {
    fn offer(
        app: tauri::App<MockRuntime>,
        version: &str,
        signer: &ReleaseKey,
        key: &ReleaseKey,
        checks_on: bool,
    ) -> Release {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let installed = installed_app(dir.path());
        let package = package("new");
        let signature = signer.sign(&package, version);
        let server = ReleaseServer::start(version, "Faster syncs.", package, signature);
        let updater = AppUpdater::new(
            app.handle().clone(),
            source(key, server.manifest_url(), &installed),
            checks_on,
        );
        Release {
            version: version.to_owned(),
            _app: app,
            _dir: dir,
            installed,
            server,
            updater,
        }
    }

    /// A newer version, signed with the key the app trusts.
    fn newer_signed() -> Release {
        let (app, key) = (mock_app(), ReleaseKey::new());
        let (_, newer, _) = versions(&app);
        Release::offer(app, &newer, &key, &key, true)
    }

    fn check(&self) -> UpdateState {
        tauri::async_runtime::block_on(self.updater.check_now())
    }

    fn install(&self) -> UpdateState {
        tauri::async_runtime::block_on(self.updater.install_now())
    }

    fn installed_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.installed).expect("the app file")
    }
}

#[test]
fn a_newer_version_signed_with_the_release_key_is_offered_with_its_notes() {
    let release = Release::newer_signed();

    let state = release.check();

    let UpdateState::Available {
        version,
        notes,
        published,
    } = &state
    else {
        panic!("a newer signed version must be offered: {state:?}");
    };
    assert_eq!(
        (version.as_str(), notes.as_deref(), published.as_deref()),
        (
            release.version.as_str(),
            Some("Faster syncs."),
            Some("2026-12-01T09:00:00Z")
        ),
        "the manifest's newer version is offered with what is new"
    );
}

#[test]
fn installing_a_correctly_signed_update_replaces_the_app() {
    let release = Release::newer_signed();
    release.check();

    let state = release.install();

    assert!(
        matches!(state, UpdateState::Installed { .. }),
        "the signature matched, so it installs: {state:?}"
    );
    assert_eq!(
        release.installed_bytes(),
        package("new"),
        "the app file is now the new version"
    );
}

#[test]
fn a_package_signed_by_another_key_is_refused_and_nothing_is_replaced() {
    let (app, trusted, forger) = (mock_app(), ReleaseKey::new(), ReleaseKey::new());
    let (_, newer, _) = versions(&app);
    let release = Release::offer(app, &newer, &forger, &trusted, true);
    release.check();

    let state = release.install();

    let UpdateState::Failed { message } = &state else {
        panic!("a package the release key did not sign must not install: {state:?}");
    };
    assert!(
        message.contains("refused") && message.contains("Nothing was installed"),
        "the admin is told it was refused as unsigned, not a network hiccup: {message}"
    );
    assert_eq!(
        release.installed_bytes(),
        package("installed"),
        "the installed app is untouched"
    );
}

#[test]
fn a_manifest_offering_an_older_or_the_same_version_is_no_update() {
    let (current, _, older) = versions(&mock_app());
    for version in [older, current] {
        let key = ReleaseKey::new();
        let release = Release::offer(mock_app(), &version, &key, &key, true);

        let state = release.check();

        assert!(
            matches!(state, UpdateState::UpToDate { .. }),
            "version {version} is not newer, so it is never offered (no downgrade): {state:?}"
        );
    }
}

#[test]
fn with_checks_off_no_request_is_made() {
    let (app, key) = (mock_app(), ReleaseKey::new());
    let (_, newer, _) = versions(&app);
    let release = Release::offer(app, &newer, &key, &key, false);

    let state = release.check();

    assert_eq!(state, UpdateState::Off, "checks are off");
    assert_eq!(
        release.server.requests(),
        0,
        "an office that turned checks off is never contacted"
    );
}

#[test]
fn an_unreachable_release_server_is_reported_plainly() {
    let (app, key, dir) = (
        mock_app(),
        ReleaseKey::new(),
        tempfile::tempdir().expect("dir"),
    );
    // A port that was free a moment ago: nothing answers there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a port")
        .local_addr()
        .expect("its address");
    let manifest = format!("http://{closed}/latest.json")
        .parse()
        .expect("a URL");
    let updater = AppUpdater::new(
        app.handle().clone(),
        source(&key, manifest, &installed_app(dir.path())),
        true,
    );

    let state = tauri::async_runtime::block_on(updater.check_now());

    let UpdateState::Failed { message } = &state else {
        panic!("an offline check fails: {state:?}");
    };
    assert!(
        message.starts_with("Could not check for updates: "),
        "the message says what failed: {message}"
    );
}

#[test]
fn the_window_shows_the_newer_version_its_background_check_found() {
    let (key, dir) = (ReleaseKey::new(), tempfile::tempdir().expect("dir"));
    let newer = "99.0.0";
    let package = package("new");
    let server = ReleaseServer::start(
        newer,
        "Payroll exports.",
        package.clone(),
        key.sign(&package, newer),
    );
    let source = source(&key, server.manifest_url(), &installed_app(dir.path()));
    let window = crate::shell::window_with_updates(dir.path(), source);
    crate::shell::call(
        &window,
        "create_first_administrator",
        json!({"username": "ada", "display_name": "Ada", "password": "long enough pw"}),
    )
    .expect("signed in");

    // The check started with the app, in the background; wait for its finding.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        let status = crate::shell::call(&window, "update_status", Value::Null).expect("the status");
        if !matches!(
            status["update"]["state"].as_str(),
            Some("not_checked" | "checking")
        ) {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the check never finished: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };

    assert_eq!(
        (
            &status["update"]["state"],
            &status["update"]["version"],
            &status["update"]["notes"]
        ),
        (
            &json!("available"),
            &json!(newer),
            &json!("Payroll exports.")
        ),
        "the Settings page gets the version and its notes: {status}"
    );
}

#[test]
fn the_config_names_the_release_key_and_an_https_release_endpoint() {
    let config: Value = serde_json::from_str(include_str!("../../../tauri.conf.json"))
        .expect("tauri.conf.json is JSON");
    let updater = &config["plugins"]["updater"];

    let parsed: tauri_plugin_updater::Config =
        serde_json::from_value(updater.clone()).expect("the plugin reads its config section");
    let key_file = base64::engine::general_purpose::STANDARD
        .decode(&parsed.pubkey)
        .expect("the public key is base64, as the plugin decodes it");
    let key_file = String::from_utf8(key_file).expect("a minisign key file is text");

    assert!(
        minisign::PublicKeyBox::from_string(&key_file)
            .and_then(|key| key.into_public_key())
            .is_ok(),
        "the public key is a minisign public key: {key_file}"
    );
    assert!(
        !parsed.endpoints.is_empty()
            && parsed.endpoints.iter().all(|url| url.scheme() == "https"
                && url
                    .path()
                    .ends_with("/releases/latest/download/latest.json")),
        "the app asks the latest published release over https: {:?}",
        parsed.endpoints
    );
}
