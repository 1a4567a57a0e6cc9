//! Timebridge as the QuickBooks Web Connector's SOAP server: it takes each
//! call [`super::listen`] hands it in turn (sign-in, the next qbXML
//! request, QuickBooks' answer, the end of the update), feeding the run or
//! the connection its ticket belongs to. Failed sign-ins are throttled
//! ([`super::throttle`]); passwords are compared in constant time.

use std::sync::Arc;

use timebridge_connectors::loopback::same_secret;
use timebridge_connectors::quickbooks_desktop::qbxml::List;
use timebridge_connectors::quickbooks_desktop::session::{Offer, Session, Step};
use timebridge_connectors::quickbooks_desktop::soap::{Call, Reply};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations;
use timebridge_core::middleware::runs::RunTrigger;

use super::host::{
    ConnectState, HostState, Purpose, Pushed, Ticket, WebConnectorHost, random, source_error,
};
use super::publish::Publisher;
use super::throttle::paused_message;
use crate::history;
use crate::runs::Runs;
use crate::shared::Shared;

fn wrong_sign_in(username: &str) -> String {
    format!(
        "The Web Connector signed in as “{username}” with a wrong username or password. In the Web Connector, \
         type the password chosen in Timebridge into the Password field of Timebridge's row, press Enter, \
         and click Update Selected."
    )
}

/// One SOAP call of the Web Connector.
pub(super) async fn answer_call(shared: &Arc<Shared>, call: Call) -> Reply {
    let host = &shared.web_connector;
    match call {
        Call::ServerVersion => Reply::Text(format!("Timebridge {}", env!("CARGO_PKG_VERSION"))),
        // Any Web Connector 2.x is fine.
        Call::ClientVersion { .. } => Reply::Text(String::new()),
        Call::Authenticate { username, password } => {
            let ticket = random("");
            let status = authenticate(shared, &ticket, username.trim(), &password).await;
            Reply::Strings(vec![ticket, status])
        }
        Call::SendRequestXml {
            ticket,
            hcp_response,
            country,
            major,
            minor,
            ..
        } => {
            let mut state = host.state();
            let Some(t) = state.tickets.get_mut(&ticket) else {
                return Reply::Text(String::new());
            };
            if let Purpose::Run { cancel, .. } = &t.purpose
                && cancel.is_cancelled()
            {
                t.last_error = Some("The update was stopped in Timebridge.".into());
                return Reply::Text(String::new());
            }
            let offer = Offer {
                country: &country,
                major,
                minor,
                hcp_response: &hcp_response,
            };
            if let Err(too_old) = t.session.offered(&offer) {
                drop(state);
                tracing::warn!("the Web Connector's QuickBooks is older than Timebridge reads");
                end_ticket(host, &ticket, Err(too_old));
                return Reply::Text(String::new());
            }
            // The company first (it chooses the version); then the
            // publications waiting; then the lists.
            if let (Some(version), Some(_), Some(publisher)) = (
                t.session.version(),
                t.session.company(),
                t.publisher.as_mut(),
            ) && let Some(document) = publisher.next_request(shared, version)
            {
                t.publishing = true;
                return Reply::Text(document);
            }
            Reply::Text(t.session.next_request().unwrap_or_default())
        }
        Call::ReceiveResponseXml {
            ticket,
            response,
            hresult,
            message,
        } => Reply::Number(receive(shared, &ticket, &response, &hresult, &message)),
        Call::GetLastError { ticket } => Reply::Text(
            host.state()
                .tickets
                .get(&ticket)
                .and_then(|t| t.last_error.clone())
                .unwrap_or_else(|| {
                    "Timebridge does not know this update (it may have restarted). Click Update Selected again.".into()
                }),
        ),
        Call::ConnectionError {
            ticket,
            hresult,
            message,
        } => {
            let error = format!(
                "The Web Connector could not open QuickBooks ({}, {hresult}). Open the company file in \
                 QuickBooks on that computer, then click Update Selected in the Web Connector.",
                message.trim().trim_end_matches('.')
            );
            end_ticket(host, &ticket, Err(error));
            Reply::Text("done".into())
        }
        Call::CloseConnection { ticket } => {
            if let Some(publisher) = host
                .state()
                .tickets
                .get_mut(&ticket)
                .and_then(|t| t.publisher.as_mut())
                .filter(|p| p.is_active())
            {
                publisher.stop(shared);
            }
            let unfinished = host.state().tickets.get(&ticket).is_some_and(|t| !t.ended);
            if unfinished {
                end_ticket(
                    host,
                    &ticket,
                    Err("The Web Connector ended the update before every list was read. \
                         Nothing from it was saved; click Update Selected to read them again."
                        .into()),
                );
            }
            let message = match host.state().tickets.remove(&ticket) {
                None => "Timebridge: nothing to do.".to_owned(),
                Some(t) => match (t.last_error, t.note) {
                    (Some(error), _) => format!("Timebridge: {error}"),
                    (None, Some(note)) => format!("Timebridge: update complete. {note}"),
                    (None, None) => "Timebridge: update complete.".into(),
                },
            };
            Reply::Text(message)
        }
        Call::Other { method } => {
            tracing::info!(%method, "the Web Connector called a method Timebridge does not use");
            Reply::Text(String::new())
        }
    }
}

/// Checks a sign-in; returns `authenticate`'s status.
async fn authenticate(
    shared: &Arc<Shared>,
    ticket: &str,
    username: &str,
    password: &Sensitive<String>,
) -> String {
    let host = &shared.web_connector;
    let now = shared.now();
    // Too many failures in a row: refused, even with the right password.
    {
        let mut state = host.state();
        if let Some(until) = state.throttle.paused_until(username, now) {
            let message = paused_message(username, until, now);
            for pending in state.pending.values_mut() {
                if pending.username == username
                    && matches!(pending.state, ConnectState::Waiting { .. })
                {
                    pending.state = ConnectState::Waiting {
                        refused: Some(message.clone()),
                    };
                }
            }
            tracing::warn!("a Web Connector sign-in was refused: too many failed attempts");
            return "nvu".into();
        }
    }
    // Counts a failure; returns what the admin is told.
    let failed = |told: String| -> String {
        match host.state().throttle.failed(username, now) {
            Some(until) => format!("{told} {}", paused_message(username, until, now)),
            None => told,
        }
    };
    // A connection being made.
    {
        let mut state = host.state();
        let mut refused = false;
        let mut matched = None;
        for (flow, pending) in state.pending.iter_mut() {
            if !matches!(pending.state, ConnectState::Waiting { .. }) {
                continue;
            }
            if pending.username == username
                && same_secret(
                    pending.password.expose().as_bytes(),
                    password.expose().as_bytes(),
                )
            {
                matched = Some(flow.clone());
            } else if pending.username == username {
                refused = true;
            }
        }
        if let Some(flow) = matched {
            state.throttle.succeeded(username);
            state.tickets.insert(
                ticket.to_owned(),
                Ticket {
                    purpose: Purpose::Connect { flow },
                    session: Session::new(&[]),
                    publisher: None,
                    publishing: false,
                    last_error: None,
                    note: None,
                    ended: false,
                },
            );
            return String::new();
        }
        if refused {
            drop(state);
            let message = failed(wrong_sign_in(username));
            let mut state = host.state();
            for pending in state.pending.values_mut() {
                if pending.username == username
                    && matches!(pending.state, ConnectState::Waiting { .. })
                {
                    pending.state = ConnectState::Waiting {
                        refused: Some(message.clone()),
                    };
                }
            }
            return "nvu".into();
        }
    }
    // A saved connection.
    let found = shared.store.read(integrations::list).map(|all| {
        all.into_iter().find(|i| {
            timebridge_connectors::through_web_connector(&i.platform)
                && i.settings
                    .web_connector
                    .as_ref()
                    .is_some_and(|w| w.username == username)
        })
    });
    let integration = match found {
        Ok(Some(integration)) => integration,
        Ok(None) => {
            // Maybe a dialog is waiting under another username (an old
            // .qwc file): say so there.
            let message = failed(format!(
                "The Web Connector signed in as “{username}”, which is not the username chosen here. \
                 Remove the old Timebridge application from the Web Connector and add the .qwc file just saved."
            ));
            let mut state = host.state();
            for pending in state.pending.values_mut() {
                if matches!(pending.state, ConnectState::Waiting { .. }) {
                    pending.state = ConnectState::Waiting {
                        refused: Some(message.clone()),
                    };
                }
            }
            tracing::warn!("the Web Connector signed in with an unknown username");
            return "nvu".into();
        }
        Err(error) => {
            tracing::warn!(%error, "could not read the connections for a Web Connector sign-in");
            return "busy".into();
        }
    };
    let saved = Credentials::load(shared.secrets.as_ref(), integration.id);
    let accepted = match &saved {
        Ok(Some(credentials)) => same_secret(
            credentials.access_token.expose().as_bytes(),
            password.expose().as_bytes(),
        ),
        _ => false,
    };
    if !accepted {
        let message = match saved {
            Err(error) => format!(
                "Timebridge could not read this connection's password from the system keyring ({error}). \
                 Unlock the keyring, then click Update Selected in the Web Connector."
            ),
            Ok(_) => failed(wrong_sign_in(username)),
        };
        history::record_refused(&shared.store, &integration, message, shared.now());
        return "nvu".into();
    }
    host.state().throttle.succeeded(username);
    match Runs::of(shared.clone()).start_pushed(integration.id, RunTrigger::WebConnector) {
        Some((events, cancel)) => {
            let publisher = Publisher::waiting(shared, &integration);
            host.state().tickets.insert(
                ticket.to_owned(),
                Ticket {
                    purpose: Purpose::Run {
                        integration_id: integration.id,
                        events,
                        cancel,
                    },
                    session: Session::new(&List::ALL),
                    publisher,
                    publishing: false,
                    last_error: None,
                    note: None,
                    ended: false,
                },
            );
            String::new()
        }
        None => "busy".into(),
    }
}

/// Takes QuickBooks' answer; returns the percentage done, or −1.
fn receive(
    shared: &Arc<Shared>,
    ticket: &str,
    response: &str,
    hresult: &str,
    message: &str,
) -> i32 {
    let host = &shared.web_connector;
    let mut state = host.state();
    let Some(t) = state.tickets.get_mut(ticket) else {
        return -1;
    };
    let step = t.session.step();
    let what = match step {
        _ if t.publishing => "the time sent",
        Some(Step::List(list)) => list.describe(),
        _ => "the company",
    };
    if !hresult.trim().is_empty() {
        if t.publishing
            && let Some(publisher) = t.publisher.as_mut()
        {
            t.publishing = false;
            publisher.stop(shared);
        }
        let error = format!(
            "QuickBooks could not answer Timebridge's request for {what} ({}, {}). Check QuickBooks is open \
             and not showing a message, then click Update Selected in the Web Connector.",
            message.trim().trim_end_matches('.'),
            hresult.trim()
        );
        drop(state);
        end_ticket(host, ticket, Err(error));
        return -1;
    }
    if t.publishing {
        t.publishing = false;
        if let Some(publisher) = t.publisher.as_mut() {
            publisher.receive(shared, response);
            if publisher.is_active() {
                return (publisher.percent() / 2).clamp(1, 49);
            }
            t.note = publisher.note();
        }
        return 50;
    }
    let publishes = t.publisher.is_some();
    match t.session.receive(response) {
        Err(error) => {
            drop(state);
            end_ticket(
                host,
                ticket,
                Err(format!(
                    "{error}. Nothing from this update was saved; click Update Selected to try again."
                )),
            );
            -1
        }
        Ok(percent) => {
            if let (Purpose::Run { events, .. }, Some(Step::List(list))) = (&t.purpose, step) {
                let _ = events.send(Pushed::Progress {
                    list: Some(list),
                    pages: t.session.pages(),
                    fetched: t.session.fetched(list) as u64,
                });
            }
            if percent < 100 {
                return if publishes { 50 + percent / 2 } else { percent };
            }
            if let Purpose::Connect { flow } = &t.purpose {
                let flow = flow.clone();
                let company = t.session.company().unwrap_or_default().to_owned();
                drop(state);
                return connected(shared, ticket, &flow, &company);
            }
            drop(state);
            end_ticket(host, ticket, Ok(()));
            100
        }
    }
}

/// QuickBooks answered a connection's company query: the integration
/// is created, and the update goes on as its first sync.
fn connected(shared: &Arc<Shared>, ticket: &str, flow: &str, company: &str) -> i32 {
    let host = &shared.web_connector;
    let on_connected = {
        let mut state = host.state();
        match state.pending.get_mut(flow) {
            Some(p) if matches!(p.state, ConnectState::Waiting { .. }) => p.on_connected.take(),
            _ => None,
        }
    };
    let Some(on_connected) = on_connected else {
        let mut state = host.state();
        if let Some(t) = state.tickets.get_mut(ticket) {
            t.last_error = Some("The connection was cancelled in Timebridge.".into());
            t.ended = true;
        }
        return -1;
    };
    let outcome = on_connected(company);
    let mut state = host.state();
    let integration = match outcome {
        Ok(integration) => integration,
        Err(error) => {
            if let Some(p) = state.pending.get_mut(flow) {
                p.state = ConnectState::Failed(error.clone());
            }
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.last_error = Some(error.to_string());
                t.ended = true;
            }
            return -1;
        }
    };
    if let Some(p) = state.pending.get_mut(flow) {
        p.state = ConnectState::Connected(integration.clone());
    }
    drop(state);
    let Some((events, cancel)) =
        Runs::of(shared.clone()).start_pushed(integration.id, RunTrigger::WebConnector)
    else {
        return 100;
    };
    let mut state = host.state();
    let Some(t) = state.tickets.get_mut(ticket) else {
        return 100;
    };
    t.purpose = Purpose::Run {
        integration_id: integration.id,
        events,
        cancel,
    };
    t.session.then_read(&List::ALL);
    t.session.percent()
}

/// Ends a ticket's update: a run gets its outcome once.
fn end_ticket(host: &WebConnectorHost, ticket: &str, outcome: Result<(), String>) {
    let mut guard = host.state();
    let HostState {
        tickets, pending, ..
    } = &mut *guard;
    let Some(t) = tickets.get_mut(ticket) else {
        return;
    };
    if t.ended {
        return;
    }
    if let Err(error) = &outcome {
        t.last_error = Some(error.clone());
    }
    t.ended = true;
    match &t.purpose {
        Purpose::Run { events, .. } => {
            let event = match outcome {
                Ok(()) => {
                    let read = std::mem::replace(&mut t.session, Session::new(&[])).into_read();
                    let published = t.publisher.as_ref().and_then(|p| p.note());
                    t.note = match (published, read.note()) {
                        (Some(a), Some(b)) => Some(format!("{a} {b}")),
                        (a, b) => a.or(b),
                    };
                    Pushed::Done(read)
                }
                Err(error) => Pushed::Failed(source_error(error)),
            };
            let _ = events.send(event);
        }
        Purpose::Connect { flow } => {
            if let (Err(error), Some(p)) = (outcome, pending.get_mut(flow)) {
                p.state = ConnectState::Waiting {
                    refused: Some(error),
                };
            }
        }
    }
}
