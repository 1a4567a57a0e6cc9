//! The HTTP/1.1 spoken by Timebridge's loopback servers (the OAuth
//! redirect listener and the QuickBooks Web Connector's SOAP server),
//! locked down against what else on the computer can reach them: other
//! programs and users, and web pages in the admin's browser (DNS
//! rebinding, cross-site requests). `docs/security.md` is the threat model.
//!
//! - [`bind`] listens on `127.0.0.1` only, never on a network interface.
//! - A request must name, in its `Host` header, one of the loopback
//!   addresses the server was opened for (`421 Misdirected Request`
//!   otherwise): a page whose own name was rebound to 127.0.0.1 sends its
//!   own name, and is turned away. A request target must be a path.
//! - The head is capped in bytes and in header lines (`431`), the body in
//!   bytes (`413`, before any of it is read), and a body must say its
//!   length (`411`).
//! - A client that sends a request slowly, or half of one and stalls, is
//!   answered `408` and dropped; one that connects and sends nothing is
//!   dropped. Every limit is a [`Limits`] field, so tests can make them
//!   small.
//! - Refusals close the connection; the server goes on serving others.
//!
//! The head is read with `httparse`, the parser hyper uses.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// How long, and how much, a refused client's rest is read before closing.
const LINGER: Duration = Duration::from_millis(500);
const LINGER_BYTES: usize = 256 * 1024;

/// What a loopback server takes from one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Header lines in one request.
    pub max_headers: usize,
    /// The request line and headers, in bytes.
    pub max_head_bytes: usize,
    /// A request's body, in bytes.
    pub max_body_bytes: usize,
    /// How long a request's head may take to arrive, from its first byte.
    pub head_timeout: Duration,
    /// How long a body may go without a byte arriving.
    pub body_timeout: Duration,
    /// How long a connection may wait for its next request before it is
    /// closed (silently: nothing was asked).
    pub idle_timeout: Duration,
}

impl Limits {
    /// The OAuth redirect listener: a browser's GET, no body.
    pub const OAUTH: Limits = Limits {
        max_headers: 64,
        max_head_bytes: 16 * 1024,
        max_body_bytes: 1024,
        head_timeout: Duration::from_secs(10),
        body_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(30),
    };

    /// The Web Connector's SOAP server. QuickBooks answers a whole
    /// employee or payroll item list in one `receiveResponseXML` (those
    /// queries have no iterator): several megabytes for a large company,
    /// hence the large body cap.
    pub const WEB_CONNECTOR: Limits = Limits {
        max_headers: 64,
        max_head_bytes: 16 * 1024,
        max_body_bytes: 512 * 1024 * 1024,
        head_timeout: Duration::from_secs(10),
        body_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_secs(120),
    };
}

/// Listens on `port` (0: any free one) of the loopback interface only.
pub async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// The `Host` values of a server on `port` of 127.0.0.1 reached as
/// `localhost` or `127.0.0.1` (what the Web Connector sends for an
/// `http://localhost:PORT/…` address).
pub fn loopback_hosts(port: u16) -> Vec<String> {
    vec![format!("localhost:{port}"), format!("127.0.0.1:{port}")]
}

/// Equal secrets, compared in time independent of their contents and of
/// where they differ (SHA-256 of each first, so their lengths are not
/// told either).
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    Sha256::digest(a).ct_eq(&Sha256::digest(b)).into()
}

/// One request read whole.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path and query (`/callback?code=…`).
    pub target: String,
    pub body: Vec<u8>,
    /// The client asked to close the connection after the answer.
    pub close: bool,
}

/// A request turned away, with the status it is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 400: not HTTP/1.x, no or several `Host` headers, a target that is
    /// not a path, an unreadable `Content-Length`.
    Malformed,
    /// 408: the request did not arrive in time.
    TooSlow,
    /// 411: a body without a `Content-Length` (chunked).
    LengthRequired,
    /// 413: a body over the cap.
    BodyTooLarge,
    /// 421: a `Host` this server was not opened for (DNS rebinding).
    WrongHost,
    /// 431: too many header lines, or too many bytes of them.
    HeadTooLarge,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::Malformed => 400,
            Refusal::TooSlow => 408,
            Refusal::LengthRequired => 411,
            Refusal::BodyTooLarge => 413,
            Refusal::WrongHost => 421,
            Refusal::HeadTooLarge => 431,
        }
    }

    fn message(self) -> &'static str {
        match self {
            Refusal::Malformed => "This request could not be read.",
            Refusal::TooSlow => "The request did not arrive in time.",
            Refusal::LengthRequired => "A request body must give its Content-Length.",
            Refusal::BodyTooLarge => "The request body is larger than this server takes.",
            Refusal::WrongHost => {
                "This Timebridge server answers only requests addressed to this computer's loopback address."
            }
            Refusal::HeadTooLarge => "The request headers are larger than this server takes.",
        }
    }
}

/// The reason phrase of the statuses the loopback servers send.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A client's connection to a loopback server.
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    /// Bytes read past the last request (a pipelined next one).
    buffer: Vec<u8>,
    limits: Limits,
    hosts: Vec<String>,
}

/// What reading from the client gave.
enum Read {
    Bytes,
    Closed,
    TimedOut,
}

impl Connection {
    /// A connection whose requests must name one of `hosts` (`name:port`).
    pub fn new(stream: TcpStream, limits: Limits, hosts: Vec<String>) -> Connection {
        Connection {
            stream,
            buffer: Vec::new(),
            limits,
            hosts,
        }
    }

    async fn read_more(&mut self, until: Instant) -> Read {
        let mut chunk = [0u8; 8192];
        match tokio::time::timeout_at(until, self.stream.read(&mut chunk)).await {
            Err(_) => Read::TimedOut,
            Ok(Ok(0) | Err(_)) => Read::Closed,
            Ok(Ok(read)) => {
                self.buffer.extend_from_slice(&chunk[..read]);
                Read::Bytes
            }
        }
    }

    /// The next request; `Ok(None)` when the client closed the connection
    /// or went quiet between requests. A refusal is not answered yet: see
    /// [`Connection::refuse`].
    pub async fn next_request(&mut self) -> Result<Option<Request>, Refusal> {
        let limits = self.limits;
        let mut head_deadline = None;
        let head = loop {
            if !self.buffer.is_empty() {
                if let Some(head) = self.parse_head()? {
                    break head;
                }
                head_deadline.get_or_insert_with(|| Instant::now() + limits.head_timeout);
            }
            let until = head_deadline.unwrap_or_else(|| Instant::now() + limits.idle_timeout);
            match self.read_more(until).await {
                Read::Bytes => {}
                Read::Closed => return Ok(None),
                Read::TimedOut if head_deadline.is_none() => return Ok(None),
                Read::TimedOut => return Err(Refusal::TooSlow),
            }
        };
        if !head.target.starts_with('/') {
            return Err(Refusal::Malformed);
        }
        match head.host.as_deref() {
            None => return Err(Refusal::Malformed),
            Some(host) if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) => {
                return Err(Refusal::WrongHost);
            }
            Some(_) => {}
        }
        if head.chunked {
            return Err(Refusal::LengthRequired);
        }
        let length = head.length.unwrap_or(0);
        if length > limits.max_body_bytes {
            return Err(Refusal::BodyTooLarge);
        }
        if head.expects_continue && length > 0 && self.buffer.len() < length {
            let _ = self
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await;
        }
        while self.buffer.len() < length {
            match self.read_more(Instant::now() + limits.body_timeout).await {
                Read::Bytes => {}
                Read::Closed => return Ok(None),
                Read::TimedOut => return Err(Refusal::TooSlow),
            }
        }
        let rest = self.buffer.split_off(length);
        let body = std::mem::replace(&mut self.buffer, rest);
        Ok(Some(Request {
            method: head.method,
            target: head.target,
            body,
            close: head.close,
        }))
    }

    /// The head at the start of the buffer, once it is whole (and taken
    /// out of the buffer).
    fn parse_head(&mut self) -> Result<Option<Head>, Refusal> {
        let mut headers = vec![httparse::EMPTY_HEADER; self.limits.max_headers];
        let mut request = httparse::Request::new(&mut headers);
        let length = match request.parse(&self.buffer) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) => {
                if self.buffer.len() > self.limits.max_head_bytes {
                    return Err(Refusal::HeadTooLarge);
                }
                return Ok(None);
            }
            Err(httparse::Error::TooManyHeaders) => return Err(Refusal::HeadTooLarge),
            Err(_) => return Err(Refusal::Malformed),
        };
        if length > self.limits.max_head_bytes {
            return Err(Refusal::HeadTooLarge);
        }
        let mut head = Head {
            method: request.method.unwrap_or_default().to_owned(),
            target: request.path.unwrap_or_default().to_owned(),
            close: request.version == Some(0),
            ..Head::default()
        };
        let mut hosts = 0;
        for header in request.headers.iter() {
            let value = std::str::from_utf8(header.value)
                .map_err(|_| Refusal::Malformed)?
                .trim();
            let name = header.name;
            if name.eq_ignore_ascii_case("host") {
                hosts += 1;
                head.host = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("content-length") {
                let length = value.parse::<usize>().map_err(|_| Refusal::Malformed)?;
                if head.length.is_some_and(|l| l != length) {
                    return Err(Refusal::Malformed);
                }
                head.length = Some(length);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                head.chunked = true;
            } else if name.eq_ignore_ascii_case("expect") {
                head.expects_continue = value.eq_ignore_ascii_case("100-continue");
            } else if name.eq_ignore_ascii_case("connection") {
                let tokens = value.split(',').map(str::trim);
                for token in tokens {
                    if token.eq_ignore_ascii_case("close") {
                        head.close = true;
                    } else if token.eq_ignore_ascii_case("keep-alive") {
                        head.close = false;
                    }
                }
            }
        }
        if hosts > 1 {
            return Err(Refusal::Malformed);
        }
        self.buffer.drain(..length);
        Ok(Some(head))
    }

    /// Answers a request.
    pub async fn respond(&mut self, status: u16, content_type: &str, body: &[u8], close: bool) {
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n\r\n",
            reason(status),
            body.len(),
            if close { "close" } else { "keep-alive" }
        );
        let _ = self.stream.write_all(head.as_bytes()).await;
        let _ = self.stream.write_all(body).await;
        if close {
            let _ = self.stream.shutdown().await;
        }
    }

    /// Answers a refused request and closes the connection. What the
    /// client is still sending is read and dropped for a moment first
    /// (a lingering close), so that closing on unread bytes does not reset
    /// the connection before the client has read the answer.
    pub async fn refuse(mut self, refusal: Refusal) {
        tracing::info!(
            status = refusal.status(),
            "a loopback server refused a request"
        );
        self.respond(
            refusal.status(),
            "text/plain; charset=utf-8",
            refusal.message().as_bytes(),
            true,
        )
        .await;
        let until = Instant::now() + LINGER;
        let mut drained = 0;
        let mut chunk = [0u8; 8192];
        while drained < LINGER_BYTES {
            match tokio::time::timeout_at(until, self.stream.read(&mut chunk)).await {
                Ok(Ok(read)) if read > 0 => drained += read,
                _ => break,
            }
        }
    }
}

/// What the head of a request says that the servers use.
#[derive(Debug, Default)]
struct Head {
    method: String,
    target: String,
    host: Option<String>,
    length: Option<usize>,
    chunked: bool,
    expects_continue: bool,
    close: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn servers_listen_on_the_loopback_interface_only() {
        let listener = bind(0).await.expect("a free port");
        let address = listener.local_addr().expect("an address");
        assert!(
            address.ip().is_loopback(),
            "a loopback server must not listen on a network interface: {address}"
        );
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"hunter22", b"hunter22"));
        assert!(
            !same_secret(b"hunter22", b"hunter2"),
            "a prefix is not the secret"
        );
        assert!(
            !same_secret(b"hunter22", b"hunter23"),
            "the last byte counts"
        );
        assert!(!same_secret(b"", b"x"), "an empty secret matches nothing");
    }

    #[test]
    fn the_web_connector_is_expected_as_localhost_or_127_0_0_1() {
        assert_eq!(
            loopback_hosts(52089),
            ["localhost:52089", "127.0.0.1:52089"],
            "the .qwc file's AppURL names localhost; 127.0.0.1 is the same socket"
        );
    }
}
