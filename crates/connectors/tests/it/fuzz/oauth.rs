//! The OAuth redirect: what the loopback listener reads of a browser's
//! request (its request line, path and query). The request parsing is
//! private to the listener, so it is fuzzed over a socket, as anything on
//! the computer could send it. Seeds: the redirects a platform sends
//! (a code, a refusal with its description), mutated.

use std::time::Duration;

use proptest::prelude::*;
use timebridge_connectors::oauth::{LoopbackSignIn, OAuthApp};
use timebridge_core::Sensitive;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use super::{assert_refusal, config, input};

const SECRET: &str = "client-S3CRET-value";
const CODE: &str = "C0DE-only-for-this-sign-in";

const HTTP: &[&str] = &[
    "GET ",
    "POST ",
    " HTTP/1.1\r\n",
    "\r\n\r\n",
    "/callback",
    "/callback/",
    "//evil.example/callback",
    "?",
    "&",
    "=",
    "#",
    "%",
    "%2",
    "%C3%28",
    "%00",
    "+",
    "code=",
    "state=",
    "error=access_denied",
    "error=server_error&error_description=",
    "Host: 127.0.0.1\r\n",
    "Host: evil.example\r\n",
    "Content-Length: 99999999999999999999\r\n",
    "Transfer-Encoding: chunked\r\n",
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "GET /callback?code=abc123&state=0123456789abcdef&realmId=9 HTTP/1.1\r\nHost: 127.0.0.1:47290\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\n\r\n",
        "GET /callback?error=access_denied&state=0123456789abcdef HTTP/1.1\r\nHost: 127.0.0.1:47290\r\n\r\n",
        "GET /callback?error=invalid_request&error_description=The+redirect_uri+is+not+registered&state=x HTTP/1.1\r\n\r\n",
        "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:47290\r\n\r\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// The query a platform appends after the right state, mutated.
fn query_seeds() -> Vec<Vec<u8>> {
    [
        "realmId=9",
        "error=access_denied",
        "error=server_error&error_description=Something+went+wrong",
        "error=invalid_client&error_description=",
        "",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

async fn sign_in() -> LoopbackSignIn {
    LoopbackSignIn::start(
        "QuickBooks Time",
        "http://127.0.0.1:9/authorize",
        // Nothing listens there: a code is traded for nothing, quickly.
        "http://127.0.0.1:9/grant",
        OAuthApp {
            client_id: "client".into(),
            client_secret: Sensitive::new(SECRET.into()),
        },
        0,
    )
    .await
    .expect("the loopback listener opens")
}

/// Sends `request` to the listener at `redirect`; what it answered.
async fn send(redirect: &str, request: &[u8]) -> Vec<u8> {
    let address = redirect
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host:port")
        .to_owned();
    let mut stream = TcpStream::connect(address)
        .await
        .expect("the listener accepts");
    // The listener may answer and close before all of a long request is sent.
    let _ = stream.write_all(request).await;
    let _ = stream.shutdown().await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the listener answers or closes within 5 s, never hangs"
    );
    answer
}

#[track_caller]
fn assert_http(answer: &[u8]) {
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
        "the listener answers in HTTP or closes: {:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(80)])
    );
}

#[test]
fn no_request_from_a_stranger_ends_or_breaks_the_sign_in() {
    let runtime = runtime();
    let cancel = CancellationToken::new();
    let (redirect, waiting) = runtime.block_on(async {
        let sign_in = sign_in().await;
        let redirect = sign_in.redirect_uri().to_owned();
        let cancel = cancel.clone();
        let waiting = tokio::spawn(async move {
            sign_in
                .finish(&reqwest::Client::new(), Duration::from_secs(3_600), &cancel)
                .await
        });
        (redirect, waiting)
    });
    let mut runner = proptest::test_runner::TestRunner::new(config("oauth_redirect", 2));
    let result = runner.run(&input(seeds(), HTTP), |request| {
        let answer = runtime.block_on(send(&redirect, &request));
        assert_http(&answer);
        prop_assert!(
            !waiting.is_finished(),
            "a request without the sign-in's state neither finishes nor breaks it"
        );
        Ok(())
    });
    cancel.cancel();
    let ended = runtime.block_on(waiting).expect("the sign-in never panics");
    assert!(result.is_ok(), "{result:?}");
    let error = ended.expect_err("cancelled");
    assert_refusal(&error.message, &[SECRET]);
}

proptest! {
    #![proptest_config(config("oauth_redirect_answer", 4))]

    #[test]
    fn any_answer_with_the_right_state_ends_in_words_without_secrets(
        query in input(query_seeds(), HTTP),
        with_code in any::<bool>(),
    ) {
        let runtime = runtime();
        runtime.block_on(async {
            let sign_in = sign_in().await;
            let redirect = sign_in.redirect_uri().to_owned();
            let state = url::Url::parse(sign_in.authorize_url())
                .expect("a URL")
                .query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.into_owned())
                .expect("the sign-in page is sent a state");
            let cancel = CancellationToken::new();
            let finishing = cancel.clone();
            let waiting = tokio::spawn(async move {
                sign_in
                    .finish(&reqwest::Client::new(), Duration::from_secs(60), &finishing)
                    .await
            });
            let code = if with_code { format!("&code={CODE}") } else { String::new() };
            let mut request = format!("GET /callback?state={state}&").into_bytes();
            request.extend(query.iter().filter(|b| !b" \r\n".contains(b)));
            let host = redirect.trim_start_matches("http://").split('/').next().unwrap_or_default();
            request.extend(format!("{code} HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes());
            let answer = send(&redirect, &request).await;
            assert_http(&answer);
            prop_assert!(
                !String::from_utf8_lossy(&answer).contains(CODE),
                "the page never shows the code"
            );
            cancel.cancel();
            let ended = tokio::time::timeout(Duration::from_secs(10), waiting)
                .await
                .expect("the sign-in ends once cancelled")
                .expect("the sign-in never panics");
            if let Err(error) = ended {
                assert_refusal(&error.message, &[SECRET, CODE]);
            }
            Ok(())
        })?;
    }
}
