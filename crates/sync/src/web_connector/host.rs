//! What the Web Connector's server keeps between calls: the updates going
//! on (each ticket with its QuickBooks session and the run or connection
//! it feeds), the connections waiting for their first sign-in, and the
//! ports it answers on.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use timebridge_connectors::quickbooks_desktop::qbxml::List;
use timebridge_connectors::quickbooks_desktop::session::{Read, Session};
use timebridge_connectors::{ConnectorError, ErrorClass};
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::{ErrorCode, Sensitive};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;

/// What an update hands its run.
#[derive(Debug)]
pub(crate) enum Pushed {
    /// An answer was read.
    Progress {
        list: Option<List>,
        pages: u64,
        fetched: u64,
    },
    /// Every list was read.
    Done(Read),
    Failed(ConnectorError),
}

/// Where a connection being made is.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "one per connect dialog, read a few times a second"
)]
pub enum ConnectState {
    /// Waiting for the Web Connector. `refused` says what went wrong with
    /// its last sign-in, if it came with a wrong username or password.
    Waiting {
        refused: Option<String>,
    },
    Connected(Integration),
    Failed(SyncError),
    Cancelled,
}

/// Creates the integration once QuickBooks has answered, given the
/// company's name; the same update then reads the lists.
pub type OnConnected = Box<dyn FnOnce(&str) -> Result<Integration, SyncError> + Send>;

pub(super) struct Pending {
    pub(super) username: String,
    pub(super) password: Sensitive<String>,
    pub(super) state: ConnectState,
    pub(super) on_connected: Option<OnConnected>,
}

pub(super) enum Purpose {
    Connect {
        flow: String,
    },
    Run {
        integration_id: i64,
        events: mpsc::UnboundedSender<Pushed>,
        cancel: CancellationToken,
    },
}

pub(super) struct Ticket {
    pub(super) purpose: Purpose,
    pub(super) session: Session,
    /// The publications this update sends before it reads the lists.
    pub(super) publisher: Option<super::publish::Publisher>,
    /// The answer awaited is to a publication's document.
    pub(super) publishing: bool,
    pub(super) last_error: Option<String>,
    /// The lists QuickBooks did not give, told in the Web Connector's log.
    pub(super) note: Option<String>,
    /// The run has been handed its outcome.
    pub(super) ended: bool,
}

#[derive(Default)]
pub(super) struct HostState {
    /// Listening ports, each with what stops it.
    pub(super) servers: HashMap<u16, oneshot::Sender<()>>,
    pub(super) tickets: HashMap<String, Ticket>,
    pub(super) pending: HashMap<String, Pending>,
    /// Failed sign-ins, per username.
    pub(super) throttle: super::throttle::SignInThrottle,
}

/// The Web Connector's server, inside the engine.
#[derive(Default)]
pub(crate) struct WebConnectorHost {
    state: Mutex<HostState>,
    /// Requests being answered now, and a bell rung as each is answered:
    /// a process about to end waits for the last answer to be written.
    answering: std::sync::atomic::AtomicUsize,
    answered: tokio::sync::Notify,
}

/// Held while one request is answered (see [`WebConnectorHost::answering`]).
pub(super) struct Answering<'a>(&'a WebConnectorHost);

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        self.0
            .answering
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        self.0.answered.notify_waiters();
    }
}

impl std::fmt::Debug for WebConnectorHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConnectorHost").finish_non_exhaustive()
    }
}

pub(super) fn random(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    format!(
        "{prefix}{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// A failure on QuickBooks' side of an update, in words for the admin.
pub(super) fn source_error(message: String) -> ConnectorError {
    ConnectorError::new(ErrorClass::Transient, ErrorCode::SourceUnavailable, message)
}

impl WebConnectorHost {
    /// Counts a request as being answered until the guard is dropped.
    pub(super) fn answering(&self) -> Answering<'_> {
        self.answering
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Answering(self)
    }

    /// Waits (up to `within`) until every update has been closed by the
    /// Web Connector (its `closeConnection` answered) and no request is
    /// being answered.
    pub(super) async fn all_answered(&self, within: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let bell = self.answered.notified();
            if self.answering.load(std::sync::atomic::Ordering::SeqCst) == 0
                && self.state().tickets.is_empty()
            {
                return;
            }
            if tokio::time::timeout_at(deadline, bell).await.is_err() {
                return;
            }
        }
    }

    pub(super) fn state(&self) -> MutexGuard<'_, HostState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for the Web Connector to sign in with `username` and
    /// `password`; returns the flow's id.
    pub(crate) fn expect(
        &self,
        username: &str,
        password: Sensitive<String>,
        on_connected: OnConnected,
    ) -> String {
        let flow = random("qbwc-");
        let mut state = self.state();
        // One wait per username: a newer dialog replaces an older one.
        state.pending.retain(|_, p| {
            !(p.username == username && matches!(p.state, ConnectState::Waiting { .. }))
        });
        state.pending.insert(
            flow.clone(),
            Pending {
                username: username.to_owned(),
                password,
                state: ConnectState::Waiting { refused: None },
                on_connected: Some(on_connected),
            },
        );
        flow
    }

    pub(crate) fn connect_state(&self, flow: &str) -> Option<ConnectState> {
        self.state().pending.get(flow).map(|p| p.state.clone())
    }

    /// Stops waiting; `false` when the connection had already ended.
    pub(crate) fn cancel_connect(&self, flow: &str) -> Option<bool> {
        let mut state = self.state();
        let pending = state.pending.get_mut(flow)?;
        let waiting = matches!(pending.state, ConnectState::Waiting { .. });
        if waiting {
            pending.state = ConnectState::Cancelled;
            pending.on_connected = None;
        }
        Some(waiting)
    }

    /// Forgets the ticket of a run that ended without the Web Connector
    /// (it went quiet).
    pub(crate) fn forget_run(&self, integration_id: i64) {
        self.state().tickets.retain(|_, t| {
            !matches!(t.purpose, Purpose::Run { integration_id: id, .. } if id == integration_id)
        });
    }
}
