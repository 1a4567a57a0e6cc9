//! A client that writes HTTP by hand, byte by byte if need be, for testing
//! how Timebridge's loopback servers treat what no well-behaved client
//! sends: a foreign `Host`, too many headers, an oversized body, half a
//! request and then silence.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for an answer before it gives up (a guard
/// against a hang, not a measure of speed).
const GUARD: Duration = Duration::from_secs(20);

/// Writes `request` to `127.0.0.1:port` and returns the whole answer
/// (the server closes the connection after it, as after any refusal; ask
/// for `Connection: close` otherwise). Panics if none comes.
pub async fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the server accepts a connection");
    stream
        .write_all(request)
        .await
        .expect("the request is sent");
    read_to_end(stream).await
}

/// Writes the start of `request` and stops, leaving the connection open,
/// as a slow client does; returns what the server answers meanwhile.
pub async fn stall_after(port: u16, partial: &[u8]) -> String {
    exchange(port, partial).await
}

async fn read_to_end(mut stream: TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(GUARD, stream.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the server neither answered nor closed the connection within {GUARD:?}"
    );
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status of an answer's first line; 0 when there was none.
pub fn status(answer: &str) -> u16 {
    answer
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// A request head with `count` extra header lines.
pub fn with_headers(start: &str, host: &str, count: usize) -> String {
    let extra: String = (0..count)
        .map(|n| format!("X-Filler-{n}: {n}\r\n"))
        .collect();
    format!("{start}\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n")
}
