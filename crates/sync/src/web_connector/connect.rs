//! Connecting QuickBooks Desktop: the admin chooses a username and
//! password; Timebridge starts answering the Web Connector at the
//! connection's address, saves a `.qwc` file naming that address and the
//! username, and waits. Only when the Web Connector's first update has
//! signed in with that username and password and QuickBooks has answered
//! the company query is the integration created and the password put in
//! the keyring, so an abandoned connection leaves nothing behind but the
//! `.qwc` file. Shared by the connect dialog and `timebridge connect`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use timebridge_connectors::quickbooks_desktop::{self, qwc};
use timebridge_connectors::secrets::{Credentials, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{
    self, Integration, IntegrationSettings, WebConnectorSettings,
};
use timebridge_core::platforms::Platform;
use timebridge_core::time::Clock;
use timebridge_core::{FieldProblem, Sensitive, Store};

use super::listen;
use crate::error::{SyncError, invalid};
use crate::shared::Shared;

const MIN_PASSWORD: usize = 8;

/// What the admin asked for.
#[derive(Debug)]
pub struct WebConnectorRequest {
    pub username: String,
    pub password: Sensitive<String>,
    /// The integration's name; by default the QuickBooks company's.
    pub name: Option<String>,
    /// `base_url` is where Timebridge answers the Web Connector.
    pub settings: IntegrationSettings,
    /// Where the `.qwc` file is saved.
    pub qwc_folder: PathBuf,
    pub actor: Actor,
}

/// A connection waiting for the Web Connector's first update.
#[derive(Debug, Clone)]
pub struct WebConnectorWait {
    pub flow: String,
    pub qwc_path: PathBuf,
    /// Where Timebridge answers.
    pub app_url: String,
    pub username: String,
}

/// Saves a connection's `.qwc` file in `folder`; returns its path.
fn save_qwc(
    folder: &Path,
    url: &str,
    web_connector: &WebConnectorSettings,
    every_minutes: u32,
) -> Result<PathBuf, SyncError> {
    let name = &web_connector.app_name;
    let text = qwc::Qwc {
        name,
        url,
        username: &web_connector.username,
        owner_id: &web_connector.owner_id,
        file_id: &web_connector.file_id,
        every_minutes: Some(every_minutes),
        read_only: !web_connector.publishing,
    }
    .render();
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_.()".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let unwritable = |e: std::io::Error| {
        invalid(
            "qwc_folder",
            format!(
                "Timebridge could not save the .qwc file in “{}” ({e}). Choose a folder you can write to.",
                folder.display()
            ),
        )
    };
    std::fs::create_dir_all(folder).map_err(unwritable)?;
    let path = folder.join(format!("{}.qwc", safe.trim()));
    std::fs::write(&path, text).map_err(unwritable)?;
    Ok(path)
}

/// Saves an integration's `.qwc` file again (lost, or after its address or
/// interval changed), with the same application ids.
pub fn save_qwc_again(integration: &Integration, folder: &Path) -> Result<PathBuf, SyncError> {
    let web_connector = integration.settings.web_connector.as_ref().ok_or_else(|| {
        invalid(
            "id",
            "This integration does not connect through the Web Connector.",
        )
    })?;
    let url = integration
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| quickbooks_desktop::DEFAULT_URL.to_owned());
    save_qwc(
        folder,
        &url,
        web_connector,
        integration.settings.interval_minutes,
    )
}

/// What finishes the connection once QuickBooks has answered.
struct Finish {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
    actor: Actor,
    name: Option<String>,
    settings: IntegrationSettings,
    password: Sensitive<String>,
}

impl Finish {
    /// Creates the integration, named as asked or after the company (with
    /// a number if that name is taken), and puts the password in the
    /// keyring; undoes the first if the second fails.
    fn connect(self, company: &str) -> Result<Integration, SyncError> {
        let base = self
            .name
            .clone()
            .unwrap_or_else(|| company.chars().take(50).collect());
        let now = self.clock.now();
        let mut attempt = 1;
        let integration = loop {
            let name = match attempt {
                1 => base.clone(),
                n => format!("{base} ({n})"),
            };
            let created = self.store.write(|tx| {
                integrations::create(
                    tx,
                    Platform::QuickBooksDesktop.id(),
                    &name,
                    &self.settings,
                    &self.actor,
                    now,
                )
            });
            match created {
                Err(timebridge_core::Error::Validation(problems))
                    if attempt < 20 && problems.iter().any(|p| p.field == "name") =>
                {
                    attempt += 1;
                }
                other => break other?,
            }
        };
        let saved = Credentials::access_token(self.password.into_inner())
            .save(self.secrets.as_ref(), integration.id);
        if let Err(error) = saved {
            self.store
                .write(|tx| integrations::remove(tx, integration.id, &self.actor, now))?;
            return Err(error.into());
        }
        tracing::info!(integration = integration.id, "QuickBooks Desktop connected");
        Ok(integration)
    }
}

/// Checks the username and password, answers the Web Connector at the
/// settings' address, saves the `.qwc` file and waits for the Web
/// Connector's first update.
pub(super) async fn begin(
    shared: &Arc<Shared>,
    request: WebConnectorRequest,
) -> Result<WebConnectorWait, SyncError> {
    let username = request.username.trim().to_owned();
    let password = request.password.expose().trim().to_owned();
    let mut problems = Vec::new();
    if username.is_empty() {
        problems.push(FieldProblem {
            field: "username".into(),
            message: "Choose a username for the Web Connector to sign in with.".into(),
        });
    }
    if password.chars().count() < MIN_PASSWORD {
        problems.push(FieldProblem {
            field: "password".into(),
            message: format!(
                "Choose a password of at least {MIN_PASSWORD} characters. You will type it into the Web Connector once."
            ),
        });
    }
    let taken = shared.store.read(integrations::list)?.into_iter().any(|i| {
        i.settings
            .web_connector
            .as_ref()
            .is_some_and(|w| w.username.eq_ignore_ascii_case(&username))
    });
    if taken && !username.is_empty() {
        problems.push(FieldProblem {
            field: "username".into(),
            message: format!(
                "Another QuickBooks Desktop connection signs in as “{username}”. Choose another username for this company file."
            ),
        });
    }
    if !problems.is_empty() {
        return Err(SyncError::Invalid(problems));
    }
    let mut settings = request.settings;
    settings.check(shared.now())?;
    settings.folder = None;
    let wanted = settings
        .base_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| quickbooks_desktop::DEFAULT_URL.to_owned());
    let url = listen::listen(shared, &wanted).await?;
    settings.base_url = Some(url.clone());
    let name = request
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let web_connector = WebConnectorSettings {
        username: username.clone(),
        owner_id: qwc::new_guid(),
        file_id: qwc::new_guid(),
        app_name: format!(
            "Timebridge · {}",
            name.as_deref().unwrap_or(quickbooks_desktop::INFO.name)
        ),
        publishing: false,
        class: None,
        billable: None,
    };
    settings.web_connector = Some(web_connector.clone());
    let qwc_path = save_qwc(
        &request.qwc_folder,
        &url,
        &web_connector,
        settings.interval_minutes,
    )?;
    let finish = Finish {
        store: shared.store.clone(),
        secrets: shared.secrets.clone(),
        clock: shared.clock.clone(),
        actor: request.actor,
        name,
        settings,
        password: Sensitive::new(password.clone()),
    };
    let flow = shared.web_connector.expect(
        &username,
        Sensitive::new(password),
        Box::new(move |company: &str| finish.connect(company)),
    );
    tracing::info!(path = %qwc_path.display(), "saved a .qwc file; waiting for the Web Connector");
    Ok(WebConnectorWait {
        flow,
        qwc_path,
        app_url: url,
        username,
    })
}
