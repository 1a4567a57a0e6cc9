//! What QuickBooks' schema accepts: a qbXML request document read the way
//! QuickBooks reads it, refused whole (a parse error, `0x80040400`) when it
//! breaks Intuit's qbXML schema (`qbxmlops130.xsd`, `qbxml130.xsd`) for
//! the requests the emulated company file answers. The rules and their
//! sources are in `docs/contracts/quickbooks-desktop.md` (QBD-DOC, QBD-VER,
//! QBD-CO, QBD-HOST, QBD-EMP, QBD-WAGE, QBD-ATTR, QBD-LIST, QBD-ITER). The
//! time-tracking requests are read by [`super::time_check`] (QBD-TT).

use roxmltree::Node;

use super::time_check::{self, TimeEntry, TimeQuery};
use super::{Edition, List};

/// Why a request document is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// QuickBooks cannot read it against its schema.
    Parse(String),
    /// Valid qbXML the emulator does not emulate (Timebridge never sends it).
    Unemulated(String),
}

pub(super) type Checked<T> = Result<T, Refusal>;

pub(super) fn parse<T>(why: impl Into<String>) -> Checked<T> {
    Err(Refusal::Parse(why.into()))
}

/// Where an iterated read is asked to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Iterator {
    Start,
    Continue(String),
    Stop(String),
}

/// `ActiveStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    ActiveOnly,
    InactiveOnly,
    All,
}

impl Active {
    pub fn keeps(self, record: &serde_json::Value) -> bool {
        let active = record["IsActive"] != "false";
        match self {
            Active::All => true,
            Active::ActiveOnly => active,
            Active::InactiveOnly => !active,
        }
    }
}

/// What one request asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Host,
    Company,
    List {
        list: List,
        iterator: Option<Iterator>,
        max: Option<u32>,
        active: Active,
    },
    /// `TimeTrackingAddRq`: a new time-tracking transaction.
    TimeAdd(TimeEntry),
    /// `TimeTrackingModRq`: a change to one, at the edit sequence read.
    TimeMod {
        txn_id: String,
        edit_sequence: String,
        entry: TimeEntry,
    },
    /// `TimeTrackingQueryRq`.
    TimeQuery(TimeQuery),
    /// `TxnDelRq` with `TxnDelType` `TimeTracking`.
    TxnDel {
        txn_id: String,
    },
}

impl Query {
    /// Whether answering it changes the company file.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Query::TimeAdd(_) | Query::TimeMod { .. } | Query::TxnDel { .. }
        )
    }
}

/// One request of a document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The request's element, e.g. `EmployeeQueryRq`.
    pub name: String,
    pub request_id: Option<String>,
    pub query: Query,
}

/// `QBXMLMsgsRq`'s `onError`: what QuickBooks does with the requests after
/// one that fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// `stopOnError`: the later requests are not run (and not answered).
    Stop,
    /// `continueOnError`: every request runs and is answered.
    Continue,
    /// `rollbackOnError`: like `Stop`, and what the earlier requests changed
    /// is undone.
    Rollback,
}

/// A request document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub version: (u32, u32),
    pub on_error: OnError,
    pub requests: Vec<Request>,
}

/// The requests the emulator answers; the schema's others (`qbxmlops130.xsd`,
/// element `QBXMLMsgsRq`) it refuses as not emulated.
const ANSWERED: [&str; 6] = [
    "HostQueryRq",
    "CompanyQueryRq",
    "EmployeeQueryRq",
    "CustomerQueryRq",
    "ItemServiceQueryRq",
    "PayrollItemWageQueryRq",
];

/// Reads `text` as QuickBooks would, for `edition`.
pub fn read(text: &str, edition: &Edition) -> Checked<Document> {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .or_else(|e| parse(format!("not well-formed XML: {e}")))?;
    let version = declared_version(&doc)?;
    if !edition.offers(version) {
        return parse(format!(
            "qbXML {}.{} is not a version this QuickBooks reads (it offers up to {}.{})",
            version.0,
            version.1,
            edition.newest().0,
            edition.newest().1
        ));
    }
    let root = doc.root_element();
    if !is_plain(root, "QBXML") || root.attributes().len() > 0 {
        return parse("the root is not <QBXML>");
    }
    let children = elements(root)?;
    let [messages] = children.as_slice() else {
        return parse("<QBXML> must hold one <QBXMLMsgsRq>");
    };
    if !is_plain(*messages, "QBXMLMsgsRq") {
        return parse(format!("<QBXML> holds <{}>", messages.tag_name().name()));
    }
    let on_error = messages_attributes(*messages)?;
    let mut requests = Vec::new();
    let mut unemulated = None;
    for rq in elements(*messages)? {
        match request(rq, version, edition) {
            Ok(request) => requests.push(request),
            Err(Refusal::Unemulated(what)) => {
                unemulated.get_or_insert(what);
            }
            Err(parse) => return Err(parse),
        }
    }
    // A parse error anywhere refuses the whole document first.
    if let Some(what) = unemulated {
        return Err(Refusal::Unemulated(what));
    }
    Ok(Document {
        version,
        on_error,
        requests,
    })
}

pub(super) fn is_plain(node: Node<'_, '_>, name: &str) -> bool {
    node.tag_name().name() == name && node.tag_name().namespace().is_none()
}

/// The element children of `node`; text other than white space is refused.
pub(super) fn elements<'a, 'i>(node: Node<'a, 'i>) -> Checked<Vec<Node<'a, 'i>>> {
    let mut out = Vec::new();
    for child in node.children() {
        if child.is_element() {
            out.push(child);
        } else if child.is_text() && !child.text().unwrap_or_default().trim().is_empty() {
            return parse(format!("text inside <{}>", node.tag_name().name()));
        }
    }
    Ok(out)
}

/// `<?qbxml version="M.m"?>` before the root (QBD-VER-1).
fn declared_version(doc: &roxmltree::Document<'_>) -> Checked<(u32, u32)> {
    let value = doc
        .root()
        .children()
        .take_while(|n| !n.is_element())
        .find_map(|n| match n.pi() {
            Some(pi) if pi.target == "qbxml" => Some(pi.value.unwrap_or_default()),
            _ => None,
        });
    let Some(value) = value else {
        return parse("no <?qbxml version=\"…\"?> before the root");
    };
    let quoted = value
        .trim()
        .strip_prefix("version")
        .map(str::trim_start)
        .and_then(|v| v.strip_prefix('='))
        .map(str::trim);
    let number = quoted.and_then(|q| {
        q.strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .or_else(|| q.strip_prefix('\'').and_then(|q| q.strip_suffix('\'')))
    });
    number
        .and_then(|n| n.split_once('.'))
        .and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)))
        .map_or_else(|| parse(format!("<?qbxml {value}?> names no version")), Ok)
}

/// `QBXMLMsgsRq`'s attributes (QBD-DOC-2); what to do after an error.
fn messages_attributes(node: Node<'_, '_>) -> Checked<OnError> {
    let mut on_error = None;
    for attribute in node.attributes() {
        if attribute.namespace().is_some() {
            return parse("a namespaced attribute on <QBXMLMsgsRq>");
        }
        match (attribute.name(), attribute.value()) {
            ("onError", "stopOnError") => on_error = Some(OnError::Stop),
            ("onError", "continueOnError") => on_error = Some(OnError::Continue),
            ("onError", "rollbackOnError") => on_error = Some(OnError::Rollback),
            ("responseData", "includeAll" | "includeNone")
            | ("oldMessageSetID" | "newMessageSetID", _) => {}
            (name, value) => {
                return parse(format!(
                    "<QBXMLMsgsRq {name}=\"{value}\"> is not in the schema"
                ));
            }
        }
    }
    on_error.map_or_else(|| parse("<QBXMLMsgsRq> has no onError"), Ok)
}

/// One request element (QBD-DOC-3 and the per-request rules).
fn request(rq: Node<'_, '_>, version: (u32, u32), edition: &Edition) -> Checked<Request> {
    let name = rq.tag_name().name();
    if rq.tag_name().namespace().is_some() {
        return parse(format!("<{name}> is in a namespace"));
    }
    if time_check::REQUESTS.contains(&name) {
        return Ok(Request {
            name: name.to_owned(),
            request_id: rq.attribute("requestID").map(str::to_owned),
            query: time_check::request(rq, version)?,
        });
    }
    if !ANSWERED.contains(&name) {
        // The schema's other requests are not emulated (refused, saying
        // so); an element that is no request at all is a parse error.
        return if name.ends_with("Rq") {
            Err(Refusal::Unemulated(format!("<{name}>")))
        } else {
            parse(format!("<{name}> is not a qbXML request"))
        };
    }
    let list = List::of_request(name);
    let mut allowed = vec!["requestID"];
    if list.is_some() {
        allowed.push("metaData");
    }
    let iterates = list.is_some_and(List::iterates) && version >= (5, 0);
    if iterates {
        allowed.extend(["iterator", "iteratorID"]);
    }
    for attribute in rq.attributes() {
        if attribute.namespace().is_some() || !allowed.contains(&attribute.name()) {
            return parse(format!(
                "<{name}> has no attribute {} in qbXML {}.{}",
                attribute.name(),
                version.0,
                version.1
            ));
        }
    }
    match rq.attribute("metaData") {
        None | Some("NoMetaData") => {}
        Some("MetaDataOnly" | "MetaDataAndResponseData") => {
            return Err(Refusal::Unemulated(format!("<{name} metaData>")));
        }
        Some(other) => return parse(format!("metaData=\"{other}\"")),
    }
    let iterator = iterator(rq)?;
    if iterator.is_some() && !edition.is_us() {
        return parse(format!(
            "iterators are not offered by the {} edition",
            edition.country
        ));
    }
    let children = elements(rq)?;
    for child in &children {
        if child.tag_name().namespace().is_some() || child.attributes().len() > 0 {
            return parse(format!(
                "<{}> inside <{name}> carries attributes",
                child.tag_name().name()
            ));
        }
    }
    let query = match (name, list) {
        ("HostQueryRq", _) => {
            sequence(
                &children,
                &[&["IncludeListMetaData"], &["IncludeRetElement"]],
                &[1],
            )?;
            none_emulated(&children)?;
            Query::Host
        }
        ("CompanyQueryRq", _) => {
            sequence(&children, &[&["IncludeRetElement"], &["OwnerID"]], &[0, 1])?;
            none_emulated(&children)?;
            Query::Company
        }
        (_, Some(list)) => list_query(&children, list, iterator)?,
        _ => return parse(format!("<{name}>")),
    };
    Ok(Request {
        name: name.to_owned(),
        request_id: rq.attribute("requestID").map(str::to_owned),
        query,
    })
}

fn iterator(rq: Node<'_, '_>) -> Checked<Option<Iterator>> {
    let id = rq.attribute("iteratorID").unwrap_or_default().to_owned();
    Ok(match rq.attribute("iterator") {
        None => None,
        Some("Start") => Some(Iterator::Start),
        Some("Continue") => Some(Iterator::Continue(id)),
        Some("Stop") => Some(Iterator::Stop(id)),
        Some(other) => return parse(format!("iterator=\"{other}\"")),
    })
}

/// Elements the emulator does not answer by, though the schema allows them.
fn none_emulated(children: &[Node<'_, '_>]) -> Checked<()> {
    match children.first() {
        Some(child) => Err(Refusal::Unemulated(format!(
            "<{}>",
            child.tag_name().name()
        ))),
        None => Ok(()),
    }
}

/// Matches `children` against a sequence of optional slots, in order; a
/// slot is one of its names, repeatable when its index is in `repeatable`.
/// Returns the slot each child took.
pub(super) fn sequence(
    children: &[Node<'_, '_>],
    slots: &[&[&str]],
    repeatable: &[usize],
) -> Checked<Vec<usize>> {
    let mut taken = Vec::with_capacity(children.len());
    let mut slot = 0;
    let mut used = false;
    for child in children {
        let name = child.tag_name().name();
        loop {
            let Some(names) = slots.get(slot) else {
                return parse(format!("<{name}> is not allowed here (order matters)"));
            };
            let fits = names.contains(&name) && (!used || repeatable.contains(&slot));
            if fits {
                taken.push(slot);
                used = true;
                break;
            }
            slot += 1;
            used = false;
        }
    }
    Ok(taken)
}

/// The body of a list query (QBD-LIST-1, -2, -3).
fn list_query(children: &[Node<'_, '_>], list: List, iterator: Option<Iterator>) -> Checked<Query> {
    const ID: usize = 0;
    const NAME: usize = 1;
    const MAX: usize = 2;
    const ACTIVE: usize = 3;
    let mut slots: Vec<&[&str]> = vec![
        &["ListID"],
        &["FullName"],
        &["MaxReturned"],
        &["ActiveStatus"],
        &["FromModifiedDate"],
        &["ToModifiedDate"],
        &["NameFilter", "NameRangeFilter"],
    ];
    match list {
        List::ServiceItems => slots.push(&["ClassFilter"]),
        List::Customers => {
            slots.extend([
                &["TotalBalanceFilter"][..],
                &["CurrencyFilter"],
                &["ClassFilter"],
            ]);
        }
        List::Employees | List::PayrollWageItems => {}
    }
    let include = slots.len();
    slots.push(&["IncludeRetElement"]);
    if list != List::PayrollWageItems {
        slots.push(&["OwnerID"]);
    }
    let owner = slots.len() - 1;
    let taken = sequence(children, &slots, &[ID, NAME, include, owner])?;
    // ListID+, FullName+ and the filter exclude one another.
    let by_id = taken.contains(&ID);
    let by_name = taken.contains(&NAME);
    let filtered = taken.iter().any(|s| (MAX..include).contains(s));
    if usize::from(by_id) + usize::from(by_name) + usize::from(filtered) > 1 {
        return parse("ListID, FullName and the filter are alternatives");
    }
    let mut max = None;
    let mut active = Active::ActiveOnly;
    for (child, slot) in children.iter().zip(&taken) {
        if matches!(*slot, MAX | ACTIVE) && child.children().any(|c| c.is_element()) {
            return parse(format!("<{}> holds elements", child.tag_name().name()));
        }
        let text = child.text().unwrap_or_default();
        match *slot {
            MAX => max = Some(max_returned(text)?),
            ACTIVE => {
                active = match text {
                    "ActiveOnly" => Active::ActiveOnly,
                    "InactiveOnly" => Active::InactiveOnly,
                    "All" => Active::All,
                    _ => return parse(format!("ActiveStatus “{text}”")),
                }
            }
            _ => {}
        }
    }
    if let Some(child) = children
        .iter()
        .zip(&taken)
        .find(|(_, slot)| !matches!(**slot, MAX | ACTIVE))
        .map(|(child, _)| child)
    {
        return Err(Refusal::Unemulated(format!(
            "<{}>",
            child.tag_name().name()
        )));
    }
    Ok(Query::List {
        list,
        iterator,
        max,
        active,
    })
}

/// `MaxReturned` (QBD-LIST-2): a whole number from 1 (`INTTYPE`,
/// `minInclusive 1`), at most 2147483647.
pub(super) fn max_returned(text: &str) -> Checked<u32> {
    match text.trim().trim_start_matches('+').parse::<i64>() {
        Ok(n) if (1..=i64::from(i32::MAX)).contains(&n) => {
            u32::try_from(n).or_else(|_| parse("MaxReturned out of range"))
        }
        _ => parse(format!("MaxReturned “{text}” is not a whole number from 1")),
    }
}
