//! Signing in to QuickBooks Time in the browser, back over a loopback
//! redirect, against the emulator's OAuth endpoints. The "browser" here is
//! an HTTP client that follows the emulator's redirect, as a real one would.

use std::time::Duration;

use chrono::Utc;
use timebridge_connectors::error::ConnectorError;
use timebridge_connectors::oauth::{LoopbackSignIn, OAuthApp};
use timebridge_connectors::secrets::Credentials;
use timebridge_core::ErrorCode;
use timebridge_core::Sensitive;
use timebridge_emulators::quickbooks_time::{
    CLIENT_ID, CLIENT_SECRET, Company, CompanySpec, Emulator, EmulatorOptions, Fault,
};
use tokio_util::sync::CancellationToken;

pub(crate) async fn emulator() -> Emulator {
    let now = Utc::now();
    Emulator::start(
        Company::generate(&CompanySpec::demo(now.date_naive()), now),
        EmulatorOptions::default(),
    )
    .await
    .expect("the emulator starts")
}

pub(crate) fn app(client_id: &str, secret: &str) -> OAuthApp {
    OAuthApp {
        client_id: client_id.to_owned(),
        client_secret: Sensitive::new(secret.to_owned()),
    }
}

/// Opens a sign-in on a free port, whose redirect address the admin
/// registered with the QuickBooks Time app (as the connect dialog asks).
pub(crate) async fn start(emulator: &Emulator, app: OAuthApp) -> LoopbackSignIn {
    let base = emulator.base_url();
    let sign_in = LoopbackSignIn::start(
        "QuickBooks Time",
        &format!("{base}/authorize"),
        &format!("{base}/grant"),
        app,
        0,
    )
    .await
    .expect("the loopback listener opens");
    emulator
        .register_redirect_uri(sign_in.redirect_uri())
        .expect("a loopback address can be registered");
    sign_in
}

/// Runs the sign-in while `browse` plays the browser; returns both ends.
pub(crate) async fn sign_in_with<F, Fut>(
    sign_in: LoopbackSignIn,
    cancel: CancellationToken,
    browse: F,
) -> (Result<Credentials, ConnectorError>, String)
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = String>,
{
    let (authorize, redirect) = (
        sign_in.authorize_url().to_owned(),
        sign_in.redirect_uri().to_owned(),
    );
    let waiting = tokio::spawn(async move {
        sign_in
            .finish(&reqwest::Client::new(), Duration::from_secs(20), &cancel)
            .await
    });
    let page = browse(authorize, redirect).await;
    (waiting.await.expect("the sign-in task ends"), page)
}

/// What the browser shows after following the sign-in page's redirect.
pub(crate) async fn browse(url: String) -> String {
    reqwest::get(url)
        .await
        .expect("the browser reaches the listener")
        .text()
        .await
        .expect("a page")
}

#[tokio::test]
async fn the_browser_round_trip_yields_tokens_that_work_and_renew() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET)).await;

    let (result, page) =
        sign_in_with(sign_in, CancellationToken::new(), |url, _| browse(url)).await;
    let credentials = result.expect("signed in");
    let probe = reqwest::Client::new()
        .get(format!("{}/current_user", emulator.base_url()))
        .bearer_auth(credentials.access_token.expose())
        .send()
        .await
        .expect("sent");

    assert!(
        page.contains("You can close this tab"),
        "the browser is told it is done: {page}"
    );
    assert_eq!(
        probe.status(),
        200,
        "the access token is accepted by the platform"
    );
    assert!(
        credentials.refresh_token.is_some()
            && credentials.token_url.is_some()
            && credentials.client_id.as_deref() == Some(CLIENT_ID),
        "what renews the sign-in is kept with it"
    );
}

#[tokio::test]
async fn the_sign_in_page_address_carries_the_client_the_loopback_redirect_and_a_state() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET)).await;

    let url = url::Url::parse(sign_in.authorize_url()).expect("a URL");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();

    assert_eq!(
        query["response_type"], "code",
        "the authorization-code flow"
    );
    assert_eq!(query["client_id"], CLIENT_ID, "Timebridge's platform app");
    assert!(
        query["redirect_uri"].starts_with("http://127.0.0.1:")
            && query["redirect_uri"].ends_with("/callback"),
        "the browser comes back to the loopback interface: {}",
        query["redirect_uri"]
    );
    assert_eq!(query["state"].len(), 64, "a 32-byte random state");
}

#[tokio::test]
async fn an_answer_with_another_state_is_turned_away_and_the_real_one_still_works() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET)).await;

    let (result, stale_page) = sign_in_with(
        sign_in,
        CancellationToken::new(),
        |url, redirect| async move {
            let stale = browse(format!("{redirect}?code=forged&state=not-this-one")).await;
            let _ = browse(format!(
                "{}/favicon.ico",
                redirect.trim_end_matches("/callback")
            ))
            .await;
            browse(url).await;
            stale
        },
    )
    .await;

    assert!(
        stale_page.contains("another sign-in"),
        "the stale answer is told why: {stale_page}"
    );
    assert!(
        result.is_ok(),
        "the listener kept waiting and the real answer signed in: {result:?}"
    );
}

#[tokio::test]
async fn a_declined_sign_in_says_so() {
    let emulator = emulator().await;
    emulator.inject(None, Fault::DeclineSignIn);
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET)).await;

    let (result, page) =
        sign_in_with(sign_in, CancellationToken::new(), |url, _| browse(url)).await;
    let error = result.expect_err("declined");

    assert_eq!(error.code, ErrorCode::AuthFailed, "not signed in");
    assert!(
        error.message.contains("declined") && page.contains("declined"),
        "the app and the browser both say it was declined: {} / {page}",
        error.message
    );
}

#[tokio::test]
async fn an_unknown_client_id_points_at_the_client_id() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app("not-registered", CLIENT_SECRET)).await;

    let (result, _) = sign_in_with(sign_in, CancellationToken::new(), |url, _| browse(url)).await;
    let error = result.expect_err("refused");

    assert!(
        error.message.contains("client ID"),
        "the message says what to check: {}",
        error.message
    );
}

#[tokio::test]
async fn a_wrong_client_secret_fails_at_the_token_exchange_without_showing_the_secret() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, "wrong-secret-value")).await;

    let (result, _) = sign_in_with(sign_in, CancellationToken::new(), |url, _| browse(url)).await;
    let error = result.expect_err("refused");

    assert_eq!(error.code, ErrorCode::AuthFailed, "not signed in");
    assert!(
        error.message.contains("client ID and secret")
            && !error.message.contains("wrong-secret-value"),
        "says what to check, never the secret itself: {}",
        error.message
    );
}

#[tokio::test]
async fn cancelling_stops_the_wait_and_frees_the_port() {
    let emulator = emulator().await;
    let sign_in = start(&emulator, app(CLIENT_ID, CLIENT_SECRET)).await;
    let port = url::Url::parse(sign_in.redirect_uri())
        .expect("a URL")
        .port()
        .expect("a port");
    let cancel = CancellationToken::new();

    let stop = cancel.clone();
    let client = reqwest::Client::new();
    let (result, ()) = tokio::join!(
        sign_in.finish(&client, Duration::from_secs(20), &cancel),
        async move { stop.cancel() }
    );

    assert!(
        result.expect_err("cancelled").is_cancelled(),
        "the sign-in ends as cancelled"
    );
    assert!(
        tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .is_ok(),
        "the loopback port is free again"
    );
}

#[tokio::test]
async fn a_port_in_use_is_explained() {
    let emulator = emulator().await;
    let taken = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a port");
    let port = taken.local_addr().expect("address").port();

    let error = LoopbackSignIn::start(
        "QuickBooks Time",
        &format!("{}/authorize", emulator.base_url()),
        &format!("{}/grant", emulator.base_url()),
        app(CLIENT_ID, CLIENT_SECRET),
        port,
    )
    .await
    .expect_err("the port is taken");

    assert!(
        error.message.contains(&format!("port {port}"))
            && error.message.contains("Another program"),
        "says which port and what to do: {}",
        error.message
    );
}
