//! The OAuth redirect listener locked down (`docs/security.md`): over real
//! loopback TCP, each refusal answers as an HTTP server should, and the
//! browser's real answer still signs in afterwards.

use std::time::Duration;

use timebridge_connectors::loopback::Limits;
use timebridge_connectors::oauth::LoopbackSignIn;
use timebridge_emulators::quickbooks_time::{CLIENT_ID, CLIENT_SECRET};
use timebridge_emulators::raw_http::{exchange, status, with_headers};
use tokio_util::sync::CancellationToken;

use crate::oauth::{app, browse, emulator, sign_in_with, start};

/// Small limits, so the slow-client test ends quickly.
const LIMITS: Limits = Limits {
    max_headers: 32,
    max_head_bytes: 4 * 1024,
    max_body_bytes: 256,
    head_timeout: Duration::from_millis(300),
    body_timeout: Duration::from_millis(300),
    idle_timeout: Duration::from_millis(300),
};

fn port_of(sign_in: &LoopbackSignIn) -> u16 {
    url::Url::parse(sign_in.redirect_uri())
        .expect("a URL")
        .port()
        .expect("a port")
}

/// Sends `bad` (given the listener's port) to the listener and waits for
/// its answer (or its close) before the browser comes back; returns that
/// answer, after checking that the sign-in still finished.
async fn refused_then_signed_in(bad: impl FnOnce(u16) -> Vec<u8> + Send + 'static) -> String {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET))
        .await
        .with_limits(LIMITS);
    let port = port_of(&sign_in);
    let (result, answer) = sign_in_with(
        sign_in,
        CancellationToken::new(),
        move |url, _| async move {
            let answer = exchange(port, &bad(port)).await;
            browse(url).await;
            answer
        },
    )
    .await;
    assert!(
        result.is_ok(),
        "after the refusal the listener kept waiting and the browser's answer signed in: {result:?}"
    );
    answer
}

#[tokio::test]
async fn a_request_for_another_host_name_is_misdirected() {
    for host in ["rebound.example", "localhost"] {
        let answer = refused_then_signed_in(move |port| {
            format!(
                "GET /callback?code=forged&state=guess HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
            )
            .into_bytes()
        })
        .await;
        assert_eq!(
            status(&answer),
            421,
            "the listener was opened for 127.0.0.1 (the redirect address); a page rebound to it sends another Host: {host}"
        );
    }
}

#[tokio::test]
async fn too_many_headers_are_refused() {
    let answer = refused_then_signed_in(|port| {
        with_headers(
            "GET /callback HTTP/1.1",
            &format!("127.0.0.1:{port}"),
            LIMITS.max_headers + 1,
        )
        .into_bytes()
    })
    .await;
    assert_eq!(
        status(&answer),
        431,
        "more header lines than the cap are not parsed: {answer}"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let answer = refused_then_signed_in(|port| {
        format!(
            "GET /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n\r\n",
            LIMITS.max_body_bytes + 1
        )
        .into_bytes()
    })
    .await;
    assert_eq!(
        status(&answer),
        413,
        "the redirect is a GET; a body over the cap is refused unread: {answer}"
    );
}

#[tokio::test]
async fn a_client_that_stalls_is_timed_out() {
    let answer = refused_then_signed_in(|port| {
        format!("GET /callback?code=x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAcc").into_bytes()
    })
    .await;
    assert_eq!(
        status(&answer),
        408,
        "half a request and then silence is answered 408 and dropped: {answer}"
    );
}
