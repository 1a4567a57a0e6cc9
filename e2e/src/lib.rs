//! The real-window test harness: starts the built desktop app under the
//! current X display (Xvfb in CI) through `tauri-driver` and
//! WebKitWebDriver, each app in its own throwaway data folder, and drives
//! it as a user would.
//!
//! Environment: `TIMEBRIDGE_APP` names the app binary (default: the debug
//! build in the target folder), `TAURI_DRIVER` the driver (default:
//! `tauri-driver` on the PATH or in ~/.cargo/bin). Screenshots go to
//! `e2e/artifacts/`, and also to `docs/screenshots/` when
//! `TIMEBRIDGE_UPDATE_SCREENSHOTS` is set.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use timebridge_core::audit::Actor;
use timebridge_core::operators::{self, FirstAdministrator, NewOperator};
use timebridge_core::roles::{self, BuiltinRole};
use timebridge_core::{Sensitive, Store};

mod seed;

pub const ADMIN_USER: &str = "ada";
pub const ADMIN_PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(15);

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TIMEBRIDGE_APP") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    target.join("debug").join("timebridge-desktop")
}

fn driver_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    match in_cargo_home {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A throwaway home for one app: its data folder and XDG folders.
pub struct Sandbox {
    pub root: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Result<Sandbox> {
        let root = tempfile::tempdir()?;
        for dir in ["data", "config", "cache", "share", "runtime"] {
            std::fs::create_dir_all(root.path().join(dir))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                root.path().join("runtime"),
                std::fs::Permissions::from_mode(0o700),
            )?;
        }
        Ok(Sandbox { root })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The app's database, opened directly to seed or inspect it.
    pub fn store(&self) -> Result<Store> {
        Ok(Store::open(&timebridge_core::paths::database_path(
            &self.data_dir(),
        ))?)
    }

    /// Starts the app binary again on this data folder, as an admin
    /// double-clicking it a second time, and returns its output once it
    /// exits; an error if it is still running after the usual wait (it
    /// opened a second window instead).
    pub fn start_again(&self) -> Result<std::process::Output> {
        let root = self.root.path();
        let mut child = Command::new(app_binary())
            .args(["--data-dir".as_ref(), self.data_dir().as_os_str()])
            .env("NO_AT_BRIDGE", "1")
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("XDG_DATA_HOME", root.join("share"))
            .env("XDG_RUNTIME_DIR", root.join("runtime"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let deadline = Instant::now() + WAIT;
        while child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the second start was still running: it opened a second window".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(child.wait_with_output()?)
    }

    /// Creates the first administrator (ada) without the window.
    pub fn seed_admin(&self) -> Result {
        self.store()?.write(|tx| {
            operators::create_first_administrator(
                tx,
                &FirstAdministrator {
                    username: ADMIN_USER.into(),
                    display_name: "Ada Admin".into(),
                    password: Sensitive::new(ADMIN_PASSWORD.into()),
                },
                chrono::Utc::now(),
            )
        })?;
        Ok(())
    }

    /// Adds an operator with a built-in role; their password is `USERNAME-password`.
    pub fn seed_operator(&self, username: &str, display_name: &str, role: BuiltinRole) -> Result {
        self.store()?.write(|tx| {
            let role_id = roles::builtin_id(tx, role)?;
            operators::create(
                tx,
                &NewOperator {
                    username: username.into(),
                    display_name: display_name.into(),
                    password: Sensitive::new(format!("{username}-password")),
                    role_id,
                },
                &Actor::system(),
                chrono::Utc::now(),
            )
        })?;
        Ok(())
    }
}

/// One running app and the WebDriver session driving it.
pub struct App {
    pub client: Client,
    driver: Child,
    /// When the session asked for the app to start (the driver launches it).
    pub started: Instant,
    /// The tauri-driver process, whose descendants are the app and WebKit.
    pub driver_pid: u32,
    /// What the driver, WebKitWebDriver and the app printed; shown when a
    /// test ends without quitting (it failed), to tell why.
    driver_log: PathBuf,
    quit: bool,
}

impl App {
    /// Starts the app on `sandbox` and waits for its window.
    pub async fn launch(sandbox: &Sandbox) -> Result<App> {
        if std::env::var_os("DISPLAY").is_none() {
            return Err(
                "no X display: run the real-window tests under xvfb-run (cargo xtask test does)"
                    .into(),
            );
        }
        let binary = app_binary();
        if !binary.exists() {
            return Err(format!(
                "the app is not built at {}; run cargo xtask test",
                binary.display()
            )
            .into());
        }
        let port = free_port()?;
        let mut native_port = free_port()?;
        while native_port == port {
            native_port = free_port()?;
        }
        let root = sandbox.root.path();
        let driver = Command::new(driver_binary())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("NO_AT_BRIDGE", "1")
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("XDG_DATA_HOME", root.join("share"))
            .env("XDG_RUNTIME_DIR", root.join("runtime"))
            .env("TIMEBRIDGE_DATA_DIR", sandbox.data_dir())
            // An office in the US: dates, hours and dollars as its admin
            // reads them (a bare CI machine's C locale would say "$ 1286.25").
            .env("LANG", "en_US.UTF-8")
            .env("LC_ALL", "en_US.UTF-8")
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(root.join("driver.log"))
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
            )
            .spawn()
            .map_err(|e| {
                format!("could not start tauri-driver ({e}); cargo xtask test installs it")
            })?;
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": {
                "application": binary,
                "args": ["--data-dir", sandbox.data_dir()],
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let started = Instant::now();
        // Now and then the new-session request is dropped mid-answer
        // ("IncompleteMessage") while tauri-driver brings WebKitWebDriver
        // up; no window exists yet then, so asking again is safe.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::rustls()?
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(error) if attempt < 3 => {
                    eprintln!("e2e: the WebDriver session did not open ({error}); asking again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(error) => return Err(error.into()),
            }
        };
        let driver_pid = driver.id();
        Ok(App {
            client,
            driver,
            started,
            driver_pid,
            driver_log: root.join("driver.log"),
            quit: false,
        })
    }

    /// Starts the app and signs in through the sign-in screen.
    pub async fn launch_signed_in(
        sandbox: &Sandbox,
        username: &str,
        password: &str,
    ) -> Result<App> {
        let app = App::launch(sandbox).await?;
        app.sign_in(username, password).await?;
        Ok(app)
    }

    /// Opens a section from the main navigation ("records", "settings", …).
    pub async fn goto(&self, section: &str) -> Result {
        let css = format!("[data-nav='{section}']");
        self.wait_css(&css).await?.click().await?;
        Ok(())
    }

    /// Ends the session (closing the app) and stops the driver.
    pub async fn quit(mut self) -> Result {
        self.quit = true;
        let client = self.client.clone();
        let _ = client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        Ok(())
    }

    pub async fn wait_css(&self, css: &str) -> Result<Element> {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => Ok(element),
            Err(error) => Err(format!(
                "the window never showed {css:?} ({error}); it shows:\n{}",
                self.page_text().await.unwrap_or_default()
            )
            .into()),
        }
    }

    /// Clicks the first element matching `css`, finding it again if the
    /// page re-rendered it in between (a list reloading after a sync).
    pub async fn click_css(&self, css: &str) -> Result {
        self.click_when_ready(Locator::Css(css), css).await
    }

    /// Finds the element at `locator` and clicks it as a person would:
    /// waiting while it is re-rendered under the pointer (stale) or
    /// something passes over it (a toast, a layout settling), up to
    /// [`WAIT`]. A click still intercepted then fails, naming what covered it.
    pub async fn click_when_ready(&self, locator: Locator<'_>, what: &str) -> Result {
        let deadline = Instant::now() + WAIT;
        loop {
            let element = match self.client.wait().at_most(WAIT).for_element(locator).await {
                Ok(element) => element,
                Err(error) => {
                    return Err(format!(
                        "the window never showed {what:?} ({error}); it shows:\n{}",
                        self.page_text().await.unwrap_or_default()
                    )
                    .into());
                }
            };
            let retry = match element.click().await {
                Ok(()) => return Ok(()),
                Err(e) if e.is_stale_element_reference() => true,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted =>
                {
                    if Instant::now() > deadline {
                        return Err(format!("clicking {what:?}: {}", e.message).into());
                    }
                    true
                }
                Err(e) => return Err(e.into()),
            };
            if retry && Instant::now() > deadline {
                return Err(format!("{what:?} kept being re-rendered under the click").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the page shows `text` somewhere.
    pub async fn wait_text(&self, text: &str) -> Result {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.page_text().await?.contains(text) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the window never showed {text:?}; it shows:\n{}",
                    self.page_text().await?
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> Result<String> {
        Ok(self.wait_css(css).await?.text().await?)
    }

    /// Waits until `script` (a JavaScript expression) is true in the page;
    /// `what` names it when it never is.
    pub async fn wait_until(&self, script: &str, what: &str) -> Result {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let value = self
                .client
                .execute(&format!("return Boolean({script});"), vec![])
                .await?;
            if value.as_bool() == Some(true) {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(format!(
                    "the window never reached: {what}; it shows:\n{}",
                    self.page_text().await?
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn page_text(&self) -> Result<String> {
        let text = self
            .client
            .execute("return document.body.innerText;", vec![])
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// The text of the table row whose cell reads exactly `cell`.
    pub async fn row_text(&self, cell: &str) -> Result<String> {
        let xpath = format!("//tr[td[normalize-space(.)='{cell}']]");
        let row = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await?;
        let text = self
            .client
            .execute(
                "return arguments[0].innerText;",
                vec![serde_json::to_value(&row)?],
            )
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// The form control whose label starts with `label`.
    pub async fn field(&self, label: &str) -> Result<Element> {
        let xpath = format!("//label[starts-with(normalize-space(.), '{label}')]");
        let label_element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await?;
        let id = label_element
            .attr("for")
            .await?
            .ok_or("the label is not tied to a control")?;
        Ok(self.client.find(Locator::Id(&id)).await?)
    }

    /// Types `text` into the field labelled `label`. WebKitWebDriver under
    /// a loaded Xvfb now and then loses a keystroke; the value is checked
    /// and, if short, set the way typing would.
    pub async fn fill(&self, label: &str, text: &str) -> Result {
        let field = self.field(label).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        // Key events can still be arriving: wait for the value to settle.
        let mut typed = String::new();
        for _ in 0..20 {
            let now = field.prop("value").await?.unwrap_or_default();
            if now == text || (now == typed && !now.is_empty()) {
                typed = now;
                break;
            }
            typed = now;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if typed != text {
            eprintln!(
                "e2e: {label:?} held {} of {} typed characters; setting it",
                typed.len(),
                text.len()
            );
            self.set_value(&field, text).await?;
        }
        Ok(())
    }

    /// Clicks the button whose visible text is exactly `text`.
    /// Picks a record in the lookup labelled `label`: types `typed` and
    /// clicks the offered option that contains `option`.
    pub async fn pick(&self, label: &str, typed: &str, option: &str) -> Result {
        let field = self.field(label).await?;
        field.click().await?;
        field.send_keys(typed).await?;
        let xpath = format!("//li[@role='option'][contains(., '{option}')]");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await?;
        self.click_when_ready(Locator::XPath(&xpath), option).await
    }

    pub async fn click_button(&self, text: &str) -> Result {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        self.click_when_ready(Locator::XPath(&xpath), text).await
    }

    pub async fn button(&self, text: &str) -> Result<Element> {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        Ok(self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await?)
    }

    /// How many buttons have exactly this text (0 when none are shown).
    pub async fn count_buttons(&self, text: &str) -> Result<usize> {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        Ok(self.client.find_all(Locator::XPath(&xpath)).await?.len())
    }

    pub async fn click_link(&self, text: &str) -> Result {
        let xpath = format!("//a[normalize-space(.)='{text}']");
        self.click_when_ready(Locator::XPath(&xpath), text).await
    }

    /// Signs in through the sign-in screen.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result {
        self.fill("Username", username).await?;
        self.fill("Password", password).await?;
        // Under load, late keystrokes of one field can land in the other:
        // check both before submitting.
        for (label, text) in [("Username", username), ("Password", password)] {
            let field = self.field(label).await?;
            if field.prop("value").await?.unwrap_or_default() != text {
                eprintln!("e2e: {label:?} changed after it was typed; setting it");
                self.set_value(&field, text).await?;
            }
        }
        self.click_button("Sign in").await?;
        self.wait_css("nav[aria-label='Main']").await?;
        Ok(())
    }

    /// Calls a backend command from inside the page, as the UI would:
    /// `Ok(result)` or `Err(ApiError as JSON)`.
    pub async fn invoke(
        &self,
        command: &str,
        args: Value,
    ) -> Result<std::result::Result<Value, Value>> {
        let script = "const [command, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke('call', { command, args })
              .then((value) => done({ ok: value }), (error) => done({ err: error }));";
        let outcome = self
            .client
            .execute_async(script, vec![json!(command), args])
            .await?;
        Ok(match outcome.get("ok") {
            Some(value) => Ok(value.clone()),
            None => Err(outcome.get("err").cloned().unwrap_or(Value::Null)),
        })
    }

    /// Sets an input's value the way typing would (for date and time inputs,
    /// which WebDriver cannot type into reliably).
    pub async fn set_value(&self, element: &Element, value: &str) -> Result {
        self.client
            .execute(
                "const [el, value] = arguments; el.value = value;
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![serde_json::to_value(element)?, json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Saves a PNG of the window, after letting a frame paint. Confirmation
    /// toasts are dismissed first so they do not cover the page.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        for toast in self.client.find_all(Locator::Css(".toast button")).await? {
            let _ = toast.click().await;
        }
        self.client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let png = self.client.screenshot().await?;
        let artifacts = workspace().join("e2e").join("artifacts");
        std::fs::create_dir_all(&artifacts)?;
        let path = artifacts.join(format!("{name}.png"));
        std::fs::write(&path, &png)?;
        if std::env::var_os("TIMEBRIDGE_UPDATE_SCREENSHOTS").is_some() {
            let docs = workspace().join("docs").join("screenshots");
            std::fs::create_dir_all(&docs)?;
            std::fs::write(docs.join(format!("{name}.png")), &png)?;
        }
        Ok(path)
    }
}

/// Integrations, as a user works them: connect, sync, import.
impl App {
    /// Clicks Connect on a platform's row of the Available integrations table.
    pub async fn connect_platform(&self, platform: &str) -> Result {
        let xpath =
            format!("//tr[@data-platform='{platform}']//button[normalize-space(.)='Connect']");
        self.click_when_ready(Locator::XPath(&xpath), &format!("Connect {platform}"))
            .await
    }

    /// Connects the Sandbox from the Integrations page and syncs it once.
    pub async fn connect_sandbox_and_sync(&self) -> Result {
        self.goto("integrations").await?;
        self.connect_platform("sandbox").await?;
        self.click_css("dialog[open] button[form='connect-form']")
            .await?;
        self.first_sync().await
    }

    /// On a newly connected integration's page: its first sync, whether
    /// the scheduler started it (a new integration is due at once, and the
    /// scheduler checks every few seconds) or it waits for Sync now.
    pub async fn first_sync(&self) -> Result {
        let text = "document.body.innerText";
        self.wait_until(
            &format!(
                "{text}.includes('Not synced yet') || {text}.includes('Cancel sync') || {text}.includes('last sync')"
            ),
            "the new integration's page",
        )
        .await?;
        if self.page_text().await?.contains("Not synced yet") {
            // The scheduler may still start it first: then Sync now is
            // "Cancel sync" a moment, and this sync follows that one.
            return self.sync_and_wait().await;
        }
        self.wait_until(
            &format!(
                "document.querySelectorAll(\"[data-health='ok']\").length === 1 && !{text}.includes('Cancel sync')"
            ),
            "the end of the first sync the scheduler started",
        )
        .await
    }

    /// How many sync progress reports the integration page has received.
    async fn progress_events(&self) -> Result<u64> {
        let value = self
            .client
            .execute(
                "return Number(document.querySelector('[data-progress-events]').dataset.progressEvents);",
                vec![],
            )
            .await?;
        Ok(value.as_u64().unwrap_or(0))
    }

    /// Presses Sync now on an integration's page and waits for that sync to end.
    pub async fn sync_and_wait(&self) -> Result {
        let before = self.progress_events().await?;
        self.click_button("Sync now").await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let finished = self
                .client
                .find_all(Locator::Css("[data-health='ok']"))
                .await?
                .len()
                == 1;
            if self.progress_events().await? > before && finished {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err("the sync did not finish".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Selects every row on the page (and, when offered, everything
    /// matching), imports it, and closes the summary.
    pub async fn import_all(&self) -> Result {
        self.wait_css("tbody tr[data-row]").await?;
        self.click_css("[data-select-page]").await?;
        if let Ok(all) = self
            .client
            .find(Locator::XPath(
                "//button[starts-with(normalize-space(.), 'Select all')]",
            ))
            .await
        {
            all.click().await?;
        }
        self.click_button("Import").await?;
        self.wait_css("dialog[open] [data-import-summary]").await?;
        self.click_button("Close").await?;
        Ok(())
    }

    /// Opens an integration's module tab ("Time entries") and waits for its rows.
    pub async fn open_module_tab(&self, label: &str) -> Result {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&format!(
                "//nav[@aria-label='Modules']//a[starts-with(normalize-space(.), '{label} ·')]"
            )))
            .await?
            .click()
            .await?;
        self.wait_css("tbody tr[data-row]").await?;
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if !self.quit {
            let log = std::fs::read_to_string(&self.driver_log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            eprintln!(
                "e2e: the test ended early; the driver and app printed (last 40 lines):\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
    }
}
