//! Timebridge as the QuickBooks Web Connector's SOAP server: it answers on
//! the loopback port of each connection's address and takes each call in
//! turn (sign-in, the next qbXML request, QuickBooks' answer, the end of
//! the update), feeding the run or the connection its ticket belongs to.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use timebridge_connectors::quickbooks_desktop;
use timebridge_connectors::quickbooks_desktop::qbxml::List;
use timebridge_connectors::quickbooks_desktop::session::{Offer, Session, Step};
use timebridge_connectors::quickbooks_desktop::soap::{self, Call, Reply};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::Sensitive;
use timebridge_core::middleware::integrations;
use timebridge_core::middleware::runs::RunTrigger;
use tokio::sync::oneshot;

use super::host::{
    ConnectState, HostState, Purpose, Pushed, Ticket, WebConnectorHost, random, same_secret,
    source_error,
};
use super::publish::Publisher;
use crate::error::{SyncError, invalid};
use crate::history;
use crate::runs::Runs;
use crate::shared::Shared;

/// The largest SOAP call taken. QuickBooks answers a whole employee or
/// payroll item list in one `receiveResponseXML` (those queries have no
/// iterator), several megabytes for a large company: far past axum's
/// default 2 MB.
const MAX_CALL_BYTES: usize = 512 * 1024 * 1024;

/// Where the Web Connector is told to call: `http://localhost:PORT/PATH`.
fn parse_url(url: &str) -> Result<(u16, String), SyncError> {
    let problem = |message: String| invalid("base_url", message);
    let parsed = url::Url::parse(url.trim()).map_err(|_| {
        problem(format!(
            "“{url}” is not a web address. Use one like {}.",
            quickbooks_desktop::DEFAULT_URL
        ))
    })?;
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if parsed.scheme() != "http" || !local {
        return Err(problem(format!(
            "The Web Connector reaches Timebridge on this computer: the address must be http://localhost:PORT/…, like {}.",
            quickbooks_desktop::DEFAULT_URL
        )));
    }
    let port = parsed.port().ok_or_else(|| {
        problem("Give the address a port, like http://localhost:52089/qbwc.".into())
    })?;
    Ok((port, parsed.path().to_owned()))
}

/// Answers the Web Connector at `url`, if not already; returns the
/// address it answers at (the real port, when `url` asked for port 0).
pub(crate) async fn listen(shared: &Arc<Shared>, url: &str) -> Result<String, SyncError> {
    let (port, path) = parse_url(url)?;
    if port != 0 && shared.web_connector.state().servers.contains_key(&port) {
        return Ok(format!("http://localhost:{port}{path}"));
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| {
            invalid(
                "base_url",
                match e.kind() {
                    std::io::ErrorKind::AddrInUse => format!(
                        "Another program on this computer already uses port {port}. Choose another port in the address, like http://localhost:{}/qbwc.",
                        port.saturating_add(1)
                    ),
                    _ => format!("Timebridge could not answer on port {port} ({e})."),
                },
            )
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| SyncError::Internal(format!("the Web Connector port: {e}")))?
        .port();
    let (stop, stopped) = oneshot::channel::<()>();
    let router = Router::new()
        .fallback(answer)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_CALL_BYTES))
        .with_state(Arc::downgrade(shared));
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(error) = served {
            tracing::warn!(%error, port, "the Web Connector server stopped");
        }
    });
    tracing::info!(port, "answering the QuickBooks Web Connector");
    shared.web_connector.state().servers.insert(port, stop);
    Ok(format!("http://localhost:{port}{path}"))
}

/// Every request to the server: SOAP calls by POST, a short page by GET.
async fn answer(
    State(shared): State<Weak<Shared>>,
    method: axum::http::Method,
    body: Bytes,
) -> Response {
    if method != axum::http::Method::POST {
        return (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Timebridge answers the QuickBooks Web Connector here. Add the .qwc file Timebridge saved to the Web Connector (File → Update Web Services → Add an application).",
        )
            .into_response();
    }
    let Some(shared) = shared.upgrade() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let text = String::from_utf8_lossy(&body);
    let (status, xml) = match soap::parse(&text) {
        Ok(call) => {
            let method = call.method().to_owned();
            let reply = answer_call(&shared, call).await;
            (StatusCode::OK, soap::respond(&method, &reply))
        }
        Err(problem) => {
            tracing::warn!(%problem, "a request to the Web Connector server was not SOAP");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                soap::fault(&format!(
                    "Timebridge could not read this request: {problem}"
                )),
            )
        }
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

fn wrong_sign_in(username: &str) -> String {
    format!(
        "The Web Connector signed in as “{username}” with a wrong username or password. In the Web Connector, \
         type the password chosen in Timebridge into the Password field of Timebridge's row, press Enter, \
         and click Update Selected."
    )
}

/// One SOAP call of the Web Connector.
async fn answer_call(shared: &Arc<Shared>, call: Call) -> Reply {
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
                && same_secret(pending.password.expose(), password.expose())
            {
                matched = Some(flow.clone());
            } else if pending.username == username {
                pending.state = ConnectState::Waiting {
                    refused: Some(wrong_sign_in(username)),
                };
                refused = true;
            }
        }
        if let Some(flow) = matched {
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
            let mut state = host.state();
            for pending in state.pending.values_mut() {
                if matches!(pending.state, ConnectState::Waiting { .. }) {
                    pending.state = ConnectState::Waiting {
                        refused: Some(format!(
                            "The Web Connector signed in as “{username}”, which is not the username chosen here. \
                             Remove the old Timebridge application from the Web Connector and add the .qwc file just saved."
                        )),
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
        Ok(Some(credentials)) => same_secret(credentials.access_token.expose(), password.expose()),
        _ => false,
    };
    if !accepted {
        let message = match saved {
            Err(error) => format!(
                "Timebridge could not read this connection's password from the system keyring ({error}). \
                 Unlock the keyring, then click Update Selected in the Web Connector."
            ),
            Ok(_) => wrong_sign_in(username),
        };
        history::record_refused(&shared.store, &integration, message, shared.now());
        return "nvu".into();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_local_http_address_with_a_port_is_accepted() {
        assert_eq!(
            parse_url("http://localhost:52089/qbwc").expect("local"),
            (52089, "/qbwc".to_owned())
        );
        assert!(
            parse_url("https://example.com:443/qbwc").is_err(),
            "not this computer"
        );
        assert!(parse_url("http://localhost/qbwc").is_err(), "no port");
        assert!(parse_url("localhost:80").is_err(), "not an address");
    }
}
