//! Local emulators of the platforms Timebridge connects to.
//!
//! Each emulator is an HTTP server on 127.0.0.1 (a free port) that serves a
//! generated company through the platform's documented API: its envelope,
//! paging, filters, OAuth endpoints and rate limit. It can inject faults on
//! demand: 429 storms, 5xx answers, slow answers, connections cut
//! mid-answer, malformed pages, expired tokens. Tests and benchmarks use
//! them, and the in-app Sandbox integration runs one with a demo company.
//! Sage 300 CRE has no API: its emulator is a database behind a real ODBC
//! driver, CSV exports, and its Import Time reader.

pub mod aspire;
pub mod busybusy;
pub mod quickbooks_desktop;
pub mod quickbooks_time;
pub mod raw_http;
pub mod sage300_cre;
mod serve;
