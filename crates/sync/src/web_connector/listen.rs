//! Where the Web Connector calls: a loopback-only HTTP server
//! ([`timebridge_connectors::loopback`]) on the port of each connection's
//! address. It answers only requests addressed to `localhost:PORT` or
//! `127.0.0.1:PORT` (what the Web Connector sends for the `.qwc` file's
//! `http://localhost:PORT/…` address; it takes plain http only for
//! `localhost`), within [`EngineOptions::web_connector_limits`], and
//! hands each SOAP call to [`server`].
//!
//! [`EngineOptions::web_connector_limits`]: crate::EngineOptions

use std::sync::{Arc, Weak};

use timebridge_connectors::loopback::{self, Connection, Request};
use timebridge_connectors::quickbooks_desktop;
use timebridge_connectors::quickbooks_desktop::soap;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

use super::server;
use crate::error::{SyncError, invalid};
use crate::shared::Shared;

/// Web Connector connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 32;

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
    let listener = loopback::bind(port).await.map_err(|e| {
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
    tokio::spawn(serve(listener, port, Arc::downgrade(shared), stopped));
    tracing::info!(port, "answering the QuickBooks Web Connector");
    shared.web_connector.state().servers.insert(port, stop);
    Ok(format!("http://localhost:{port}{path}"))
}

/// Accepts connections until told to stop (or the engine is gone).
async fn serve(
    listener: TcpListener,
    port: u16,
    shared: Weak<Shared>,
    mut stopped: oneshot::Receiver<()>,
) {
    let Some(limits) = shared.upgrade().map(|s| s.options.web_connector_limits) else {
        return;
    };
    let hosts = loopback::loopback_hosts(port);
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit,
            _ = &mut stopped => break,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, port, "the Web Connector server could not accept a connection");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let connection = Connection::new(stream, limits, hosts.clone());
        let shared = shared.clone();
        tokio::spawn(async move {
            converse(connection, &shared).await;
            drop(permit);
        });
    }
    tracing::info!(port, "stopped answering the QuickBooks Web Connector");
}

/// Answers one connection's requests in turn (the Web Connector keeps
/// its connection open through an update).
async fn converse(mut connection: Connection, shared: &Weak<Shared>) {
    loop {
        match connection.next_request().await {
            Ok(None) => return,
            Err(refusal) => return connection.refuse(refusal).await,
            Ok(Some(request)) => {
                let Some(alive) = shared.upgrade() else {
                    return;
                };
                // Counted until its answer is written, so a process ending
                // with the update (the CLI) still sends the last answer.
                let answering = alive.web_connector.answering();
                let (status, content_type, body) = answer(shared, &request).await;
                connection
                    .respond(status, content_type, body.as_bytes(), request.close)
                    .await;
                drop(answering);
                drop(alive);
                if request.close {
                    return;
                }
            }
        }
    }
}

/// Every request to the server: SOAP calls by POST, a short page otherwise.
async fn answer(shared: &Weak<Shared>, request: &Request) -> (u16, &'static str, String) {
    if request.method != "POST" {
        return (
            200,
            "text/plain; charset=utf-8",
            "Timebridge answers the QuickBooks Web Connector here. Add the .qwc file Timebridge saved to the Web Connector (File → Update Web Services → Add an application).".into(),
        );
    }
    let Some(shared) = shared.upgrade() else {
        return (
            503,
            "text/plain; charset=utf-8",
            "Timebridge is closing.".into(),
        );
    };
    let text = String::from_utf8_lossy(&request.body);
    let (status, xml) = match soap::parse(&text) {
        Ok(call) => {
            let method = call.method().to_owned();
            let reply = server::answer_call(&shared, call).await;
            (200, soap::respond(&method, &reply))
        }
        Err(problem) => {
            tracing::warn!(%problem, "a request to the Web Connector server was not SOAP");
            (
                500,
                soap::fault(&format!(
                    "Timebridge could not read this request: {problem}"
                )),
            )
        }
    };
    (status, "text/xml; charset=utf-8", xml)
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
