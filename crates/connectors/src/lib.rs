//! Timebridge's connectors: what each platform is, and the shared parts that
//! fetch from it.
//!
//! A connector is declarative. It names its platform ([`PlatformInfo`]: the
//! platform, whose capabilities `timebridge_core::platforms` declares, and
//! its address, probe and rate limit), lists its
//! [`Stream`]s (path, where the records sit in the answer, the record key,
//! fixed and incremental query parameters, what the records become), and
//! maps a platform record to a Timebridge one. Paging, cursors, retries,
//! pacing, token renewal and error classification are shared: [`http`],
//! [`paging`], [`secrets`], and the sync engine that drives the streams.
//! Every connector can be pointed at another base URL (its emulator, a
//! sandbox account, a proxy).

pub mod aspire;
pub mod busybusy;
pub mod catalog;
pub mod client_credentials;
pub mod clockshark;
pub mod csv_files;
pub mod error;
pub mod folder;
pub mod http;
pub mod lenient;
pub mod lists;
pub mod loopback;
pub mod oauth;
pub mod paging;
pub mod payroll;
pub mod quickbooks_desktop;
pub mod quickbooks_time;
pub mod sage300_cre;
pub mod secret_file;
pub mod secrets;
#[cfg(test)]
mod staged_checksums;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use timebridge_core::middleware::integrations::Integration;
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::platforms::Platform;

pub use error::{ConnectorError, ErrorClass};
pub use http::{Http, HttpConfig, RateLimit, RetryPolicy};
/// Declared with the platforms, in the core.
pub use timebridge_core::platforms::AuthKind;

/// What a connector reads: its platform (whose name, sign-ins and modules
/// are in the platform table) and how its API is reached.
#[derive(Debug)]
pub struct PlatformInfo {
    pub platform: Platform,
    /// The platform's name, for messages (from the table).
    pub name: &'static str,
    pub default_base_url: &'static str,
    /// The documented limit; requests are paced to it.
    pub rate_limit: Option<RateLimit>,
    /// How long a 429 without `Retry-After` is waited out.
    pub rate_limit_window: Duration,
    /// A cheap authenticated GET that proves a sign-in works.
    pub probe_path: &'static str,
    /// The OAuth sign-in page, relative to the base URL.
    pub authorize_path: Option<&'static str>,
    /// The OAuth token endpoint, relative to the base URL.
    pub token_path: Option<&'static str>,
}

/// How a stream is read again on later syncs.
#[derive(Debug, Clone, Copy)]
pub enum Incremental {
    /// Every sync reads everything; records missing from a complete read
    /// were removed at the source.
    FullRefresh,
    /// Later syncs ask only for what changed since the last one (minus a
    /// safety margin for clock differences).
    ModifiedSince {
        param: &'static str,
        /// The first sync reads everything, or everything dated from the
        /// attendance pull date (this parameter).
        first_sync_from: Option<&'static str>,
        /// With `first_sync_from`, the parameter that closes the first
        /// sync's dates (at tomorrow), for a platform that takes the two
        /// only together. Later syncs then send no dates beside the
        /// modified-since instant.
        first_sync_to: Option<&'static str>,
        /// Also re-read everything dated in the look-back window on every
        /// sync (this parameter), to catch back-dated edits.
        look_back_param: Option<&'static str>,
    },
    /// The same, as one OData `$filter`: the first sync reads what is dated
    /// from the attendance pull date (`date_field ge <day>`); later syncs
    /// read what was modified since the last one (`modified_field ge
    /// <instant>`, still no earlier than the pull date) and everything
    /// dated in the look-back window. For a platform without a deletion
    /// feed, records of the window missing from a whole read of it were
    /// removed at the source.
    ODataModifiedSince {
        modified_field: &'static str,
        date_field: &'static str,
    },
}

/// What a stream's records become.
#[derive(Debug, Clone, Copy)]
pub enum Output {
    /// Staged records of a module, mapped one by one.
    Records(Module),
    /// Ids of records of a module deleted at the source.
    Removals(Module),
    /// Kept raw in the source cache; after the stream completes, the
    /// connector derives these modules' records from the whole cache.
    Derive(&'static [Module]),
}

/// One list a connector reads.
#[derive(Debug)]
pub struct Stream {
    /// The cursor's name, and the cache's.
    pub name: &'static str,
    pub path: &'static str,
    /// JSON pointer to the records in an answer.
    pub records_at: &'static str,
    pub record_key: &'static str,
    /// Query parameters sent on every request of the stream.
    pub params: &'static [(&'static str, &'static str)],
    pub incremental: Incremental,
    pub output: Output,
    /// Also keep the raw records in the source cache (for other streams).
    pub cache: bool,
    /// Cached streams the mapper or derivation reads.
    pub needs_cache: &'static [&'static str],
    /// The module the run's page and record counts go to.
    pub counts_as: Module,
}

/// How a platform pages.
#[derive(Debug, Clone, Copy)]
pub enum Paging {
    /// One request answers the whole list (no page parameters are sent).
    Unpaged,
    /// `page=1,2,…` and `limit=N` until `more_at` is false.
    PageNumber {
        page_param: &'static str,
        limit_param: &'static str,
        limit: u32,
        more_at: &'static str,
    },
    /// `page=1,2,…` and `limit=N` until a page holds fewer than N records
    /// (OData-style APIs with no "more" flag).
    PageNumberUntilShort {
        page_param: &'static str,
        limit_param: &'static str,
        limit: u32,
    },
    /// GraphQL: every page is a `POST` of the connector's
    /// [`Connector::page_request`], asking `first` records `after` the
    /// `cursor` of the previous page's last node, until a page holds fewer
    /// than `first`. A page whose answer carries GraphQL `errors` fails with
    /// their messages.
    GraphQlCursor { first: u32 },
}

/// What one page of a GraphQL stream asks for.
#[derive(Debug, Clone, Copy)]
pub struct PageAsk<'a> {
    /// The pass's filters, as `(field, lower bound)`: the bound an instant
    /// (modified since) or a day (dated from).
    pub filters: &'a [(String, String)],
    pub first: u32,
    /// The cursor of the previous page's last node; none for the first page.
    pub after: Option<&'a str>,
}

/// Raw records of cached streams, by stream name.
#[derive(Debug, Default)]
pub struct CacheView {
    pub streams: HashMap<String, Vec<(String, Value)>>,
}

impl CacheView {
    pub fn records(&self, stream: &str) -> &[(String, Value)] {
        self.streams.get(stream).map_or(&[], Vec::as_slice)
    }
}

/// Maps one raw record; `Ok(None)` skips it (a break, a running entry).
pub type Mapper = Box<dyn Fn(&Value) -> Result<Option<Incoming>, String> + Send + Sync>;

/// One platform.
pub trait Connector: Send + Sync {
    fn info(&self) -> &'static PlatformInfo;
    /// In the order they must be read (a stream's `needs_cache` comes first).
    /// None for a platform read from a folder.
    fn streams(&self) -> &'static [Stream] {
        &[]
    }
    /// How its HTTP streams page; none for a platform not read over HTTP.
    fn paging(&self) -> Option<Paging> {
        None
    }
    /// How one stream pages, where an endpoint differs from the rest.
    fn paging_of(&self, _stream: &Stream) -> Option<Paging> {
        self.paging()
    }
    /// The request body of one page of a stream read by
    /// [`Paging::GraphQlCursor`]: its query document and variables. None
    /// for a stream not read that way.
    fn page_request(&self, _stream: &Stream, _page: PageAsk<'_>) -> Option<Value> {
        None
    }
    /// The mapper for a `Records` stream, given the caches it needs.
    fn mapper(&self, stream: &Stream, _cache: &CacheView) -> Mapper {
        let name = stream.name.to_owned();
        Box::new(move |_| Err(format!("the {name} stream has no mapper")))
    }
    /// The records a `Derive` stream's cache yields, per module. They are
    /// the whole set: staged records of those modules missing from it were
    /// removed at the source.
    fn derive(&self, _stream: &Stream, _cache: &CacheView) -> Vec<(Module, Vec<Incoming>)> {
        Vec::new()
    }
    /// The platform is read from export files in a folder, not over HTTP.
    fn folder(&self) -> Option<&dyn folder::FolderSource> {
        None
    }
    /// The platform is read whole, list by list, from its database over
    /// ODBC or from lists exported into a folder (Sage 300 CRE): the
    /// function reading them. None for the others.
    fn lists(&self) -> Option<lists::ListReader> {
        None
    }
    /// The platform calls Timebridge (the QuickBooks Web Connector) instead
    /// of being called: a sync runs when it calls.
    fn web_connector(&self) -> bool {
        false
    }
    /// Who the account is, from the answer to `probe_path`.
    fn account_label(&self, _probe: &Value) -> String {
        self.info().name.to_owned()
    }
}

/// Whether the platform syncs when the QuickBooks Web Connector calls.
pub fn through_web_connector(platform: &str) -> bool {
    connector_for(platform).is_some_and(|c| c.web_connector())
}

/// The connector for a stored platform id; none for a platform this
/// version cannot connect to (or does not know).
pub fn connector_for(platform: &str) -> Option<&'static dyn Connector> {
    Platform::from_id(platform).and_then(connector_of)
}

/// The connector that reads a platform: its own, or the one of the
/// platform it is read as (the Sandbox's default company is QuickBooks
/// Time, served by the in-app emulator). A connected integration is read
/// with [`integration_connector`].
pub fn connector_of(platform: Platform) -> Option<&'static dyn Connector> {
    platform.capabilities().read_as.and_then(speaking)
}

/// The connector a connected integration is read with: the one of the
/// platform it is read as ([`Integration::read_as`]), so a Sandbox's is its
/// demo company's. `None`: this version cannot read it.
pub fn integration_connector(integration: &Integration) -> Option<&'static dyn Connector> {
    integration.read_as().and_then(speaking)
}

/// The connector speaking `platform`'s API.
fn speaking(platform: Platform) -> Option<&'static dyn Connector> {
    Some(match platform {
        Platform::QuickBooksTime => &quickbooks_time::QuickBooksTime,
        Platform::Aspire => &aspire::Aspire,
        Platform::ClockShark => &clockshark::ClockShark,
        Platform::QuickBooksDesktop => &quickbooks_desktop::QuickBooksDesktop,
        Platform::Sage300Cre => &sage300_cre::Sage300Cre,
        Platform::CsvFiles => &csv_files::CsvFiles,
        Platform::Busybusy => &busybusy::Busybusy,
        Platform::Sandbox => return None,
    })
}
