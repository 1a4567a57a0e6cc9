//! What every emulator shares: serving a router on a free loopback port
//! until dropped, answers cut off mid-body, poison-tolerant locks, and
//! random tokens.

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// `prefix` and 32 random hex digits.
pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    format!(
        "{prefix}{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// An answer that sends the first half of `body` as JSON, then drops the
/// connection: a network cut mid-answer.
pub(crate) fn cut_off(status: StatusCode, body: Vec<u8>) -> Response {
    let half = Bytes::from(body[..body.len() / 2].to_owned());
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "cut off",
        )),
    ];
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "cut off").into_response())
}

/// A router served on a free port of 127.0.0.1. Dropping it stops serving.
pub(crate) struct Server {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    pub async fn start(router: Router, name: &'static str) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(error) = served {
                tracing::warn!(%error, emulator = name, "emulator stopped");
            }
        });
        Ok(Server {
            addr,
            shutdown: Some(tx),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
