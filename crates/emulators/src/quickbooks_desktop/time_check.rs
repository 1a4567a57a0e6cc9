//! What QuickBooks' schema accepts of the time-tracking requests:
//! `TimeTrackingAddRq`, `TimeTrackingModRq`, `TimeTrackingQueryRq` and
//! `TxnDelRq`, read the way QuickBooks reads them and refused whole (a parse
//! error) when they break Intuit's qbXML 13.0 schema (`qbxmlops130.xsd`
//! `TimeTracking…RqType`, `TxnDelRqType`; `qbxml130.xsd` `TimeTrackingAdd`,
//! `TimeTrackingMod`, group `TimeTrackingTxnQuery`). What a valid request
//! asks of the company file (references that exist, a date after the
//! closing date, the current edit sequence) is judged when it is answered
//! ([`super::time_answer`]). Rules QBD-TT-1, -8, -10 and -12 of
//! `docs/contracts/quickbooks-desktop.md`.

use roxmltree::Node;

use super::check::{Checked, Query, Refusal, elements, max_returned, parse, sequence};

/// The time-tracking requests this module reads.
pub const REQUESTS: [&str; 4] = [
    "TimeTrackingAddRq",
    "TimeTrackingModRq",
    "TimeTrackingQueryRq",
    "TxnDelRq",
];

/// `TxnDelType`'s values (`qbxml130.xsd` element `TxnDelType`).
const TXN_DEL_TYPES: [&str; 25] = [
    "ARRefundCreditCard",
    "Bill",
    "BillPaymentCheck",
    "BillPaymentCreditCard",
    "BuildAssembly",
    "Charge",
    "Check",
    "CreditCardCharge",
    "CreditCardCredit",
    "CreditMemo",
    "Deposit",
    "Estimate",
    "InventoryAdjustment",
    "Invoice",
    "ItemReceipt",
    "JournalEntry",
    "PurchaseOrder",
    "ReceivePayment",
    "SalesOrder",
    "SalesReceipt",
    "SalesTaxPaymentCheck",
    "TimeTracking",
    "TransferInventory",
    "VehicleMileage",
    "VendorCredit",
];

/// A reference to a list record by `ListID`, `FullName` or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reference {
    pub list_id: Option<String>,
    pub full_name: Option<String>,
}

impl Reference {
    /// What names the record, as QuickBooks quotes it in a message.
    pub fn shown(&self) -> &str {
        self.full_name
            .as_deref()
            .or(self.list_id.as_deref())
            .unwrap_or_default()
    }
}

/// The fields of a `TimeTrackingAdd` or `TimeTrackingMod`, as written
/// (values are checked when the request is answered).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeEntry {
    pub txn_date: Option<String>,
    /// The employee (required).
    pub entity: Reference,
    pub customer: Option<Reference>,
    pub service_item: Option<Reference>,
    /// `TIMEINTERVALTYPE`, e.g. `PT8H30M` (required).
    pub duration: String,
    pub class: Option<Reference>,
    pub wage_item: Option<Reference>,
    pub notes: Option<String>,
    pub billable_status: Option<String>,
}

/// Whose time a query asks for (`TimeTrackingEntityFilter`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityFilter {
    ListIds(Vec<String>),
    FullNames(Vec<String>),
}

/// A `From…`/`To…` pair, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Range {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What a `TimeTrackingQueryRq` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeQuery {
    /// `TxnID`+.
    Ids(Vec<String>),
    /// The filter (`TimeTrackingTxnFilter`); every part optional.
    Filter {
        max: Option<u32>,
        modified: Option<Range>,
        txn_dates: Option<Range>,
        entities: Option<EntityFilter>,
    },
}

/// Reads a time-tracking request of qbXML `version`.
pub fn request(rq: Node<'_, '_>, version: (u32, u32)) -> Checked<Query> {
    let name = rq.tag_name().name();
    let querying = name == "TimeTrackingQueryRq";
    for attribute in rq.attributes() {
        let known = attribute.name() == "requestID"
            || (querying && ["metaData", "iterator", "iteratorID"].contains(&attribute.name()));
        if attribute.namespace().is_some() || !known {
            return parse(format!("<{name}> has no attribute {}", attribute.name()));
        }
    }
    if querying {
        query_attributes(rq)?;
    }
    inner_attributes(rq)?;
    let children = elements(rq)?;
    match name {
        "TimeTrackingAddRq" | "TimeTrackingModRq" => {
            let body = if name == "TimeTrackingAddRq" {
                "TimeTrackingAdd"
            } else {
                "TimeTrackingMod"
            };
            let taken = sequence(&children, &[&[body], &["IncludeRetElement"]], &[1])?;
            if taken.first() != Some(&0) {
                return parse(format!("<{name}> needs <{body}>"));
            }
            if children.len() > 1 {
                return Err(Refusal::Unemulated(format!(
                    "<IncludeRetElement> in <{name}>"
                )));
            }
            let fields = elements(children[0])?;
            if body == "TimeTrackingAdd" {
                Ok(Query::TimeAdd(entry(&fields, false, version)?.2))
            } else {
                let (txn_id, edit_sequence, entry) = entry(&fields, true, version)?;
                Ok(Query::TimeMod {
                    txn_id,
                    edit_sequence,
                    entry,
                })
            }
        }
        "TimeTrackingQueryRq" => Ok(Query::TimeQuery(query(&children)?)),
        _ => txn_del(&children),
    }
}

/// `metaData`, `iterator`, `iteratorID` of `TimeTrackingQueryRq`: the
/// schema's values are valid, and not emulated (Timebridge reads a
/// publication's few lines without them).
fn query_attributes(rq: Node<'_, '_>) -> Checked<()> {
    match rq.attribute("metaData") {
        None | Some("NoMetaData") => {}
        Some("MetaDataOnly" | "MetaDataAndResponseData") => {
            return Err(Refusal::Unemulated(
                "<TimeTrackingQueryRq metaData>".to_owned(),
            ));
        }
        Some(other) => return parse(format!("metaData=\"{other}\"")),
    }
    match rq.attribute("iterator") {
        None if rq.attribute("iteratorID").is_none() => Ok(()),
        None | Some("Start" | "Continue" | "Stop") => Err(Refusal::Unemulated(
            "an iterator on <TimeTrackingQueryRq>".to_owned(),
        )),
        Some(other) => parse(format!("iterator=\"{other}\"")),
    }
}

/// No element inside the request carries an attribute, but for
/// `TimeTrackingAdd`'s `defMacro` (valid, not emulated).
fn inner_attributes(rq: Node<'_, '_>) -> Checked<()> {
    for node in rq.descendants().skip(1).filter(Node::is_element) {
        let tag = node.tag_name().name();
        if node.tag_name().namespace().is_some() {
            return parse(format!("<{tag}> is in a namespace"));
        }
        if let Some(attribute) = node.attributes().next() {
            let def_macro = tag == "TimeTrackingAdd"
                && node.attributes().len() == 1
                && attribute.name() == "defMacro"
                && attribute.namespace().is_none();
            return if def_macro {
                Err(Refusal::Unemulated("defMacro".to_owned()))
            } else {
                parse(format!("<{tag}> carries {}", attribute.name()))
            };
        }
    }
    Ok(())
}

/// The text of a value element; elements inside it are refused.
fn text_of(node: Node<'_, '_>) -> Checked<String> {
    if node.children().any(|c| c.is_element()) {
        return parse(format!("<{}> holds elements", node.tag_name().name()));
    }
    Ok(node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect::<String>())
}

/// Text no longer than `max` characters (the schema's `maxLength`).
fn bounded(node: Node<'_, '_>, max: usize) -> Checked<String> {
    let text = text_of(node)?;
    if text.chars().count() > max {
        return parse(format!(
            "<{}> is longer than {max} characters",
            node.tag_name().name()
        ));
    }
    Ok(text)
}

/// A `ListID`? `FullName`? reference; `FullName` at most `max_name`
/// characters (`CustomerListRef` 209, `ListRef` 159, `SimpleListRef` 31).
fn reference(node: Node<'_, '_>, max_name: usize) -> Checked<Reference> {
    let children = elements(node)?;
    sequence(&children, &[&["ListID"], &["FullName"]], &[])?;
    let mut out = Reference::default();
    for child in children {
        if child.tag_name().name() == "ListID" {
            out.list_id = Some(bounded(child, 36)?);
        } else {
            out.full_name = Some(bounded(child, max_name)?);
        }
    }
    Ok(out)
}

/// The fields of a `TimeTrackingAdd` (or, `modifying`, a `TimeTrackingMod`
/// and its `TxnID` and `EditSequence`), in the schema's order.
fn entry(
    fields: &[Node<'_, '_>],
    modifying: bool,
    version: (u32, u32),
) -> Checked<(String, String, TimeEntry)> {
    let mut slots: Vec<&[&str]> = Vec::new();
    if modifying {
        slots.extend([&["TxnID"][..], &["EditSequence"]]);
    }
    slots.extend([
        &["TxnDate"][..],
        &["EntityRef"],
        &["CustomerRef"],
        &["ItemServiceRef"],
        &["Rate"],
        &["Duration"],
        &["ClassRef"],
        &["PayrollItemWageRef"],
        &["Notes"],
        &["BillableStatus"],
    ]);
    if !modifying {
        slots.push(&["ExternalGUID"]);
    }
    sequence(fields, &slots, &[])?;
    let names: Vec<&str> = fields.iter().map(|f| f.tag_name().name()).collect();
    let required: &[&str] = if modifying {
        &["TxnID", "EditSequence", "EntityRef", "Duration"]
    } else {
        &["EntityRef", "Duration"]
    };
    if let Some(missing) = required.iter().find(|r| !names.contains(r)) {
        return parse(format!("<{missing}> is required"));
    }
    let (mut txn_id, mut edit_sequence) = (String::new(), String::new());
    let mut entry = TimeEntry::default();
    let mut unemulated = None;
    for field in fields {
        let name = field.tag_name().name();
        match name {
            "TxnID" => txn_id = bounded(*field, 36)?,
            "EditSequence" => edit_sequence = bounded(*field, 16)?,
            "TxnDate" => entry.txn_date = Some(text_of(*field)?),
            "EntityRef" => entry.entity = reference(*field, 209)?,
            "CustomerRef" => entry.customer = Some(reference(*field, 209)?),
            "ItemServiceRef" => entry.service_item = Some(reference(*field, 159)?),
            "Duration" => entry.duration = text_of(*field)?,
            "ClassRef" => entry.class = Some(reference(*field, 159)?),
            "PayrollItemWageRef" => entry.wage_item = Some(reference(*field, 31)?),
            "Notes" => entry.notes = Some(bounded(*field, 4095)?),
            "BillableStatus" => {
                let value = text_of(*field)?;
                if version < (6, 0) {
                    return parse("BillableStatus arrived in qbXML 6.0");
                }
                if !["Billable", "NotBillable", "HasBeenBilled"].contains(&value.as_str()) {
                    return parse(format!("BillableStatus “{value}”"));
                }
                entry.billable_status = Some(value);
            }
            // `Rate` is "not in QBD" (OSR); `ExternalGUID` (9.0) is valid
            // but not emulated. Neither is sent by Timebridge.
            _ => {
                if name == "ExternalGUID" && version < (9, 0) {
                    return parse("ExternalGUID arrived in qbXML 9.0");
                }
                text_of(*field)?;
                unemulated.get_or_insert_with(|| format!("<{name}>"));
            }
        }
    }
    match unemulated {
        Some(what) => Err(Refusal::Unemulated(what)),
        None => Ok((txn_id, edit_sequence, entry)),
    }
}

/// The body of a `TimeTrackingQueryRq` (group `TimeTrackingTxnQuery`).
fn query(children: &[Node<'_, '_>]) -> Checked<TimeQuery> {
    const ID: usize = 0;
    const INCLUDE: usize = 4;
    let taken = sequence(
        children,
        &[
            &["TxnID"],
            &["MaxReturned"],
            &["ModifiedDateRangeFilter", "TxnDateRangeFilter"],
            &["TimeTrackingEntityFilter"],
            &["IncludeRetElement"],
        ],
        &[ID, INCLUDE],
    )?;
    let by_id = taken.contains(&ID);
    if by_id && taken.iter().any(|s| (1..INCLUDE).contains(s)) {
        return parse("TxnID and the filter are alternatives");
    }
    let mut ids = Vec::new();
    let (mut max, mut modified, mut txn_dates, mut entities) = (None, None, None, None);
    let mut include = false;
    for child in children {
        match child.tag_name().name() {
            "TxnID" => ids.push(bounded(*child, 36)?),
            "MaxReturned" => max = Some(max_returned(&text_of(*child)?)?),
            "ModifiedDateRangeFilter" => {
                modified = Some(range(*child, "FromModifiedDate", "ToModifiedDate")?);
            }
            "TxnDateRangeFilter" => txn_dates = Some(txn_date_range(*child)?),
            "TimeTrackingEntityFilter" => entities = Some(entity_filter(*child)?),
            _ => {
                text_of(*child)?;
                include = true;
            }
        }
    }
    if include {
        return Err(Refusal::Unemulated(
            "<IncludeRetElement> in <TimeTrackingQueryRq>".to_owned(),
        ));
    }
    Ok(if by_id {
        TimeQuery::Ids(ids)
    } else {
        TimeQuery::Filter {
            max,
            modified,
            txn_dates,
            entities,
        }
    })
}

/// `from`? `to`? inside `node`.
fn range(node: Node<'_, '_>, from: &str, to: &str) -> Checked<Range> {
    let children = elements(node)?;
    sequence(&children, &[&[from], &[to]], &[])?;
    let mut out = Range::default();
    for child in children {
        let text = text_of(child)?;
        if child.tag_name().name() == from {
            out.from = Some(text);
        } else {
            out.to = Some(text);
        }
    }
    Ok(out)
}

/// `TxnDateRangeFilter`: (`FromTxnDate`? `ToTxnDate`?) or `DateMacro`.
fn txn_date_range(node: Node<'_, '_>) -> Checked<Range> {
    let children = elements(node)?;
    let macros = children
        .iter()
        .filter(|c| c.tag_name().name() == "DateMacro")
        .count();
    if macros > 0 {
        if children.len() > 1 {
            return parse("FromTxnDate/ToTxnDate and DateMacro are alternatives");
        }
        text_of(children[0])?;
        return Err(Refusal::Unemulated("<DateMacro>".to_owned()));
    }
    range(node, "FromTxnDate", "ToTxnDate")
}

/// `TimeTrackingEntityFilter`: `ListID`+ or `FullName`+.
fn entity_filter(node: Node<'_, '_>) -> Checked<EntityFilter> {
    let children = elements(node)?;
    let taken = sequence(&children, &[&["ListID"], &["FullName"]], &[0, 1])?;
    if taken.is_empty() || (taken.contains(&0) && taken.contains(&1)) {
        return parse("TimeTrackingEntityFilter holds ListID+ or FullName+");
    }
    let values = children
        .iter()
        .map(|c| bounded(*c, if taken[0] == 0 { 36 } else { 209 }))
        .collect::<Checked<Vec<String>>>()?;
    Ok(if taken[0] == 0 {
        EntityFilter::ListIds(values)
    } else {
        EntityFilter::FullNames(values)
    })
}

/// The body of a `TxnDelRq` (group `TxnDel`): `TxnDelType` then `TxnID`.
fn txn_del(children: &[Node<'_, '_>]) -> Checked<Query> {
    let taken = sequence(children, &[&["TxnDelType"], &["TxnID"]], &[])?;
    if taken != [0, 1] {
        return parse("<TxnDelRq> holds TxnDelType then TxnID");
    }
    let kind = text_of(children[0])?;
    if !TXN_DEL_TYPES.contains(&kind.as_str()) {
        return parse(format!("TxnDelType “{kind}”"));
    }
    let txn_id = bounded(children[1], 36)?;
    if kind != "TimeTracking" {
        return Err(Refusal::Unemulated(format!("deleting a {kind}")));
    }
    Ok(Query::TxnDel { txn_id })
}
