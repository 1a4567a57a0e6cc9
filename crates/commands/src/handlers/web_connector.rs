//! Connecting QuickBooks Desktop through the QuickBooks Web Connector
//! (the work is `timebridge_sync`'s, shared with `timebridge connect`).
//!
//! `connect_web_connector` starts answering the Web Connector, saves the
//! `.qwc` file and returns at once; the window then asks
//! `web_connector_status` until the Web Connector's first update has signed
//! in with the chosen username and password and QuickBooks has answered.
//! A wrong username or password is told to the window while it waits.
//!
//! `set_web_connector_publishing` turns publishing payroll into QuickBooks
//! on or off for a connection and says what to do in the Web Connector.

use std::path::PathBuf;

use timebridge_connectors::connector_of;
use timebridge_core::middleware::integrations::{self, Integration, IntegrationSettings};
use timebridge_core::{Error, Result, Store};
use timebridge_sync::{ConnectState, WebConnectorRequest};

use super::payroll::default_folder;
use super::types::{
    BrowserSignInArgs, BrowserSignInState, ConnectWebConnectorArgs, SaveQwcArgs,
    WebConnectorStarted, WebConnectorStatus,
};
use crate::Ctx;

fn folder_for(store: &Store, chosen: Option<String>) -> Result<PathBuf> {
    match chosen.filter(|f| !f.trim().is_empty()) {
        Some(folder) => Ok(PathBuf::from(folder.trim())),
        None => default_folder(store.path(), "Web Connector"),
    }
}

pub fn connect_web_connector(
    ctx: &mut Ctx<'_>,
    args: ConnectWebConnectorArgs,
) -> Result<WebConnectorStarted> {
    connector_of(args.platform)
        .filter(|c| c.web_connector())
        .ok_or_else(|| {
            Error::invalid(
                "platform",
                "Only QuickBooks Desktop connects through the Web Connector.",
            )
        })?;
    let request = WebConnectorRequest {
        username: args.username,
        password: args.password,
        name: args.name,
        settings: args
            .settings
            .unwrap_or_else(|| IntegrationSettings::defaults(ctx.now)),
        qwc_folder: folder_for(ctx.store(), args.qwc_folder)?,
        actor: ctx.actor()?,
    };
    let engine = ctx.api.engine.clone();
    let wait = ctx
        .api
        .runtime
        .block_on(async move { engine.web_connector().begin_connect(request).await })
        .map_err(crate::sync_error)?;
    Ok(WebConnectorStarted {
        flow: wait.flow,
        qwc_path: wait.qwc_path.display().to_string(),
        app_url: wait.app_url,
        username: wait.username,
    })
}

pub fn web_connector_status(
    ctx: &mut Ctx<'_>,
    args: BrowserSignInArgs,
) -> Result<WebConnectorStatus> {
    let state = ctx
        .api
        .engine
        .web_connector()
        .connect_state(&args.flow)
        .ok_or_else(|| Error::NotFound("That connection has ended. Start it again.".into()))?;
    let mut status = WebConnectorStatus {
        state: BrowserSignInState::Waiting,
        refused: None,
        integration: None,
        error: None,
    };
    match state {
        ConnectState::Waiting { refused } => status.refused = refused,
        ConnectState::Connected(integration) => {
            status.state = BrowserSignInState::Connected;
            status.integration = Some(integration);
        }
        ConnectState::Failed(error) => {
            status.state = BrowserSignInState::Failed;
            status.error = Some(crate::sync_api_error(&error));
        }
        ConnectState::Cancelled => status.state = BrowserSignInState::Cancelled,
    }
    Ok(status)
}

/// Stops waiting; `false` when the connection had already ended.
pub fn cancel_web_connector(ctx: &mut Ctx<'_>, args: BrowserSignInArgs) -> Result<bool> {
    ctx.api
        .engine
        .web_connector()
        .cancel_connect(&args.flow)
        .ok_or_else(|| Error::NotFound("That connection has ended.".into()))
}

/// Saves a connection's `.qwc` file again (lost, or after its address or
/// interval changed); returns where.
pub fn save_web_connector_file(ctx: &mut Ctx<'_>, args: SaveQwcArgs) -> Result<String> {
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    let folder = folder_for(ctx.store(), args.folder)?;
    let path = timebridge_sync::save_qwc_again(&integration, &folder).map_err(crate::sync_error)?;
    Ok(path.display().to_string())
}

/// Which connection, on or off, and where its new `.qwc` file goes
/// (default: Downloads, else the data folder's "Web Connector").
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct SetPublishingArgs {
    pub id: i64,
    pub on: bool,
    #[serde(default)]
    pub folder: Option<String>,
}

/// Publishing turned on or off: the connection, where its new `.qwc` file
/// was saved, and what to do in the Web Connector, in words.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct PublishingChanged {
    pub integration: Integration,
    pub qwc_path: String,
    pub next_step: String,
}

/// Turns publishing payroll into QuickBooks on or off for a connection and
/// saves its `.qwc` file again (read-write access only when on).
pub fn set_web_connector_publishing(
    ctx: &mut Ctx<'_>,
    args: SetPublishingArgs,
) -> Result<PublishingChanged> {
    let folder = folder_for(ctx.store(), args.folder)?;
    let actor = ctx.actor()?;
    let path = ctx
        .api
        .engine
        .web_connector()
        .set_publishing(args.id, args.on, &folder, &actor)
        .map_err(crate::sync_error)?;
    let integration = ctx.store().read(|conn| integrations::get(conn, args.id))?;
    Ok(PublishingChanged {
        next_step: publishing_next_step(&integration, &path),
        qwc_path: path.display().to_string(),
        integration,
    })
}

/// What the admin does in the Web Connector once publishing was turned on
/// or off and the `.qwc` file at `path` saved: the Web Connector reads the
/// access an application asks for only when its `.qwc` is added, and
/// QuickBooks asks its administrator once to allow write access. That
/// adding a file with the same application ids replaces the application
/// (keeping its schedule) is *assumed* from the Web Connector's behaviour,
/// not documented.
pub fn publishing_next_step(integration: &Integration, path: &std::path::Path) -> String {
    let publishing = integration
        .settings
        .web_connector
        .as_ref()
        .is_some_and(|w| w.publishing);
    let app = integration
        .settings
        .web_connector
        .as_ref()
        .map(|w| w.app_name.as_str())
        .filter(|a| !a.is_empty())
        .unwrap_or("Timebridge");
    let file = path.display();
    if publishing {
        format!(
            "Publishing payroll into QuickBooks is on for {name}. On the computer with QuickBooks \
             (the company file open, signed in as its administrator): in the Web Connector, click \
             Add an application and choose {file} (it replaces “{app}”); when QuickBooks asks, \
             allow Timebridge to read and modify the company file; type the password into \
             “{app}”'s Password field if it is empty. Publications are then sent at its next \
             update.",
            name = integration.name
        )
    } else {
        format!(
            "Publishing payroll into QuickBooks is off for {name}: nothing more is sent to it. In \
             the Web Connector on the computer with QuickBooks, click Add an application and \
             choose {file} (it replaces “{app}”), so QuickBooks gives Timebridge read-only \
             access again.",
            name = integration.name
        )
    }
}
