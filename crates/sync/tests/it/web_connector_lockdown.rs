//! The Web Connector's SOAP server locked down (`docs/security.md`): over
//! real loopback TCP, each refusal answers as an HTTP server should and
//! leaves the server serving; failed sign-ins are throttled like
//! operators'.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use timebridge_connectors::loopback::Limits;
use timebridge_core::middleware::runs::RunOutcome;
use timebridge_core::operators::FREE_ATTEMPTS;
use timebridge_core::time::{ManualClock, SystemClock};
use timebridge_emulators::quickbooks_desktop::CompanySpec;
use timebridge_emulators::quickbooks_desktop::web_connector::soap_request;
use timebridge_emulators::raw_http::{exchange, stall_after, status, with_headers};

use crate::quickbooks_desktop::{IDLE, PASSWORD, Setup, USERNAME, options};

/// Small limits, so the slow-client tests end quickly.
const LIMITS: Limits = Limits {
    max_headers: 32,
    max_head_bytes: 4 * 1024,
    max_body_bytes: 64 * 1024,
    head_timeout: Duration::from_millis(300),
    body_timeout: Duration::from_millis(300),
    idle_timeout: Duration::from_millis(300),
};

async fn setup() -> (Setup, u16) {
    let mut options = options(IDLE);
    options.web_connector_limits = LIMITS;
    let setup = Setup::with(options, Arc::new(SystemClock)).await;
    let port = port_of(&setup);
    (setup, port)
}

fn port_of(setup: &Setup) -> u16 {
    url::Url::parse(setup.url())
        .expect("an address")
        .port()
        .expect("a port")
}

/// A `serverVersion` call addressed to `host`, as the Web Connector sends it.
fn server_version(host: &str) -> Vec<u8> {
    let body = soap_request("serverVersion", &[]);
    format!(
        "POST /qbwc HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml; charset=utf-8\r\n\
         SOAPAction: \"http://developer.intuit.com/serverVersion\"\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The server still answers a good call after a refusal.
async fn still_serves(port: u16, after: &str) {
    let answer = exchange(port, &server_version(&format!("localhost:{port}"))).await;
    assert!(
        status(&answer) == 200 && answer.contains("Timebridge"),
        "after {after}, the next good call is still answered: {answer}"
    );
}

#[tokio::test]
async fn the_web_connector_is_answered_as_localhost_and_as_127_0_0_1() {
    let (_setup, port) = setup().await;
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let answer = exchange(port, &server_version(&host)).await;
        assert_eq!(
            status(&answer),
            200,
            "the .qwc file's http://localhost address (and the same socket as 127.0.0.1) is served: {host}"
        );
    }
}

#[tokio::test]
async fn a_request_for_another_host_name_is_misdirected() {
    let (_setup, port) = setup().await;
    for host in [
        format!("rebound.example:{port}"),
        format!("localhost.:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_owned(),
    ] {
        let answer = exchange(port, &server_version(&host)).await;
        assert_eq!(
            status(&answer),
            421,
            "a page whose name was rebound to 127.0.0.1 sends its own Host; it must not reach the SOAP server: {host}"
        );
    }
    let no_host = exchange(port, b"GET /qbwc HTTP/1.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(
        status(&no_host),
        400,
        "HTTP/1.1 without a Host is malformed"
    );
    still_serves(port, "a foreign Host").await;
}

#[tokio::test]
async fn too_many_headers_are_refused() {
    let (_setup, port) = setup().await;
    let head = with_headers(
        "GET /qbwc HTTP/1.1",
        &format!("localhost:{port}"),
        LIMITS.max_headers + 1,
    );
    let answer = exchange(port, head.as_bytes()).await;
    assert_eq!(
        status(&answer),
        431,
        "more header lines than the cap are not parsed: {answer}"
    );
    still_serves(port, "too many headers").await;
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let (_setup, port) = setup().await;
    let head = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        LIMITS.max_body_bytes + 1
    );
    let answer = exchange(port, head.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "a body over the cap is refused from its Content-Length, without a 100 Continue: {answer}"
    );
    let chunked = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let answer = exchange(port, chunked.as_bytes()).await;
    assert_eq!(
        status(&answer),
        411,
        "a body of no stated length cannot be capped before it is read"
    );
    still_serves(port, "an oversized body").await;
}

#[tokio::test]
async fn a_client_that_stalls_in_its_head_is_timed_out() {
    let (_setup, port) = setup().await;
    let half = format!("POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Le");
    let answer = stall_after(port, half.as_bytes()).await;
    assert_eq!(
        status(&answer),
        408,
        "half a head and then silence is answered 408 and dropped: {answer}"
    );
    still_serves(port, "a slow head").await;
}

#[tokio::test]
async fn a_client_that_stalls_in_its_body_is_timed_out() {
    let (_setup, port) = setup().await;
    let half = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: 400\r\n\r\n<soap:Envelope"
    );
    let answer = stall_after(port, half.as_bytes()).await;
    assert_eq!(
        status(&answer),
        408,
        "a body that stops arriving is answered 408 and dropped: {answer}"
    );
    still_serves(port, "a slow body").await;
}

#[tokio::test]
async fn failed_sign_ins_pause_sign_in_like_operators() {
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let setup = Setup::with(options(IDLE), clock.clone()).await;
    let id = setup.connected();
    let wc = setup.web_connector(&CompanySpec::default());
    for attempt in 1..=FREE_ATTEMPTS {
        let update = wc
            .update(USERNAME, "wrong-horse-9")
            .await
            .expect("answered");
        assert_eq!(update.auth_status, "nvu", "attempt {attempt} is refused");
    }
    let paused = setup.failure(id).await;
    assert!(
        paused.contains("paused after too many failed attempts"),
        "the admin is told sign-in is paused: {paused}"
    );

    let refused = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(
        refused.auth_status, "nvu",
        "while paused even the right password is refused, so guessing gains nothing"
    );

    clock.advance(chrono::Duration::seconds(31));
    let update = wc.update(USERNAME, PASSWORD).await.expect("answered");
    assert_eq!(
        update.auth_status, "",
        "once the pause is over the right password is accepted"
    );
    assert_eq!(setup.ended_run(id).await.outcome, RunOutcome::Succeeded);
}

#[tokio::test]
async fn the_server_is_not_reachable_from_the_network() {
    let (_setup, port) = setup().await;
    // The address this computer would use towards the network (no packet
    // is sent: a UDP socket only picks its route).
    let network = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    let Some(ip) = network else {
        eprintln!(
            "note: no network interface here; the loopback bind is checked by the connectors' unit test"
        );
        return;
    };
    let connected = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect((ip, port)),
    )
    .await;
    assert!(
        !matches!(connected, Ok(Ok(_))),
        "the Web Connector's server must listen on loopback only, yet {ip}:{port} accepted a connection"
    );
}
