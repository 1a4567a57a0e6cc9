//! Timebridge as the QuickBooks Web Connector's SOAP server.
//!
//! The Web Connector calls on its own schedule (the `.qwc` file's
//! interval) or when the admin clicks *Update Selected*. Each call that
//! signs in with a connection's username and password starts a sync run;
//! the run then waits while the Web Connector asks for qbXML requests and
//! hands back QuickBooks' answers. When every list has been read, the run
//! stages everything in one transaction. A failure on the way (QuickBooks
//! closed, a request refused, an answer cut off, the Web Connector gone
//! quiet) fails the run with what to do and writes nothing, so what was
//! staged before stays as it was.
//!
//! Connecting works the same way, before the integration exists: the
//! connect dialog registers the username and password it is waiting for;
//! the Web Connector's first sign-in with them and QuickBooks' answer to
//! the company query create the integration, and the same update goes on
//! to read the lists. A wrong username or password is answered `nvu` and
//! told to the dialog (or, for a saved connection, recorded as a failed
//! run) in plain words.

use std::sync::Arc;

use timebridge_connectors::quickbooks_desktop;
use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations;

use crate::error::SyncError;
use crate::shared::Shared;

mod connect;
pub(crate) mod hint;
pub(crate) mod host;
mod listen;
pub(crate) mod publish;
pub(crate) mod run;
mod server;
mod throttle;

pub use connect::{WebConnectorRequest, WebConnectorWait, save_qwc_again};
pub use hint::web_connector_hint;
pub use host::{ConnectState, OnConnected};

/// The Web Connector's side of the engine: answering it, and connecting
/// QuickBooks Desktop through it. Obtained from `Engine::web_connector`.
#[derive(Clone)]
pub struct WebConnector {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for WebConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConnector").finish_non_exhaustive()
    }
}

impl WebConnector {
    pub(crate) fn of(shared: Arc<Shared>) -> WebConnector {
        WebConnector { shared }
    }

    /// Answers the Web Connector at `url`, if not already; returns the
    /// address it answers at (the real port, when `url` asked for port 0).
    pub async fn listen(&self, url: &str) -> Result<String, SyncError> {
        listen::listen(&self.shared, url).await
    }

    /// Waits (up to `within`) for the answers being written to reach the
    /// Web Connector: a process that ends when an update ends calls this
    /// first, so the update's last call is answered.
    pub async fn all_answered(&self, within: std::time::Duration) {
        self.shared.web_connector.all_answered(within).await;
    }

    /// Turns publishing payroll into QuickBooks on or off for connection
    /// `id`, and saves its `.qwc` file again in `folder` (asking for
    /// read-write access only when on); returns where. The admin adds the
    /// new file to the Web Connector, and QuickBooks asks once to allow it.
    pub fn set_publishing(
        &self,
        id: i64,
        on: bool,
        folder: &std::path::Path,
        actor: &timebridge_core::audit::Actor,
    ) -> Result<std::path::PathBuf, SyncError> {
        let now = self.shared.now();
        let integration = self.shared.store.write(|tx| {
            let mut integration = integrations::get(tx, id)?;
            let Some(web_connector) = integration.settings.web_connector.as_mut() else {
                return Err(timebridge_core::Error::invalid(
                    "id",
                    format!(
                        "{} does not connect through the Web Connector.",
                        integration.name
                    ),
                ));
            };
            web_connector.publishing = on;
            integrations::update_settings(tx, id, &integration.settings, actor, now)
        })?;
        save_qwc_again(&integration, folder)
    }

    /// Answers the Web Connector for every QuickBooks Desktop connection.
    pub async fn serve_all(&self) {
        let all = match self.shared.store.read(integrations::list) {
            Ok(all) => all,
            Err(error) => {
                tracing::warn!(%error, "could not read the connections to serve");
                return;
            }
        };
        for integration in all
            .into_iter()
            .filter(|i| timebridge_connectors::through_web_connector(&i.platform))
        {
            let url = integration
                .settings
                .base_url
                .clone()
                .unwrap_or_else(|| quickbooks_desktop::DEFAULT_URL.to_owned());
            if let Err(error) = self.listen(&url).await {
                tracing::warn!(integration = integration.id, %error, "cannot answer the Web Connector");
            }
        }
    }

    /// Waits for the Web Connector to sign in with `username` and
    /// `password` (see [`ConnectState`]); returns the flow's id.
    pub fn expect(
        &self,
        username: &str,
        password: Sensitive<String>,
        on_connected: OnConnected,
    ) -> String {
        self.shared
            .web_connector
            .expect(username, password, on_connected)
    }

    /// Where the connection `flow` is; `None` once it is forgotten.
    pub fn connect_state(&self, flow: &str) -> Option<ConnectState> {
        self.shared.web_connector.connect_state(flow)
    }

    /// Stops waiting; `false` when the connection had already ended.
    pub fn cancel_connect(&self, flow: &str) -> Option<bool> {
        self.shared.web_connector.cancel_connect(flow)
    }

    /// Checks the username and password, answers the Web Connector at the
    /// settings' address, saves the `.qwc` file and waits for the Web
    /// Connector's first update (see [`ConnectState`]).
    pub async fn begin_connect(
        &self,
        request: WebConnectorRequest,
    ) -> Result<WebConnectorWait, SyncError> {
        connect::begin(&self.shared, request).await
    }
}
