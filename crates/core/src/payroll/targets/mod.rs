//! Where payroll goes: publish targets (integrations that receive payroll,
//! and payroll files), what each accepts, each local pay ID's payroll item
//! there (with per-employee overrides), and which of a target's records a
//! local employee, job or task is.
//!
//! A record imported from the target is that record there. For a target
//! that is not where a record came from, the admin confirms a match,
//! suggested by employee number (or job number, or cost code) and then
//! exact name, and it is remembered.
//!
//! - [`items`]: the target's payroll items and each pay ID's mapping.
//! - [`matching`]: which of the target's records a local record is.
//! - [`sage300_cre`]: a Sage 300 CRE integration's synced lists, and each
//!   line's Sage keys.

mod items;
mod matching;
pub mod sage300_cre;

pub use items::*;
pub use matching::*;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::middleware::integrations::{self, Integration};
use crate::platforms::Platform;

/// A payroll file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Iif,
    #[serde(rename = "sage300_cre")]
    Sage300Cre,
}

impl FileFormat {
    pub const ALL: [FileFormat; 3] = [FileFormat::Csv, FileFormat::Iif, FileFormat::Sage300Cre];

    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Iif => "iif",
            FileFormat::Sage300Cre => "sage300_cre",
        }
    }

    pub fn parse(text: &str) -> Option<FileFormat> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "csv" => Some(FileFormat::Csv),
            "iif" => Some(FileFormat::Iif),
            "sage300_cre" | "sage300cre" | "sage" => Some(FileFormat::Sage300Cre),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV file",
            FileFormat::Iif => "QuickBooks Desktop IIF file",
            FileFormat::Sage300Cre => "Sage 300 CRE Import Time file",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Iif => "iif",
            FileFormat::Sage300Cre => "txt",
        }
    }
}

/// Where a pay period's hours go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A connected integration that receives payroll.
    Integration { id: i64 },
    /// A payroll file for manual upload.
    File { format: FileFormat },
}

impl Target {
    /// As stored: `integration:<id>` or `file:<format>`.
    pub fn key(self) -> String {
        match self {
            Target::Integration { id } => format!("integration:{id}"),
            Target::File { format } => format!("file:{}", format.as_str()),
        }
    }

    pub fn parse_key(key: &str) -> Option<Target> {
        if let Some(id) = key.strip_prefix("integration:") {
            return id.parse().ok().map(|id| Target::Integration { id });
        }
        key.strip_prefix("file:")
            .and_then(FileFormat::parse)
            .map(|format| Target::File { format })
    }

    pub fn integration_id(self) -> Option<i64> {
        match self {
            Target::Integration { id } => Some(id),
            Target::File { .. } => None,
        }
    }
}

/// How a target names employees, jobs and tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordRefs {
    /// By name (CSV, IIF): nothing to match.
    Names,
    /// By employee number, job number and cost code (Sage 300 CRE).
    Numbers,
    /// By the target's own ids: imported from it, or matched.
    External,
}

/// The longest names a target accepts, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct NameLimits {
    pub employee: Option<usize>,
    /// Each level of `Customer:Job`.
    pub job: Option<usize>,
    pub task: Option<usize>,
    pub item: Option<usize>,
}

/// QuickBooks Desktop's list name limits: 41 characters for names
/// (employees, customers, jobs), 31 for items and payroll items.
pub const QUICKBOOKS_LIMITS: NameLimits = NameLimits {
    employee: Some(41),
    job: Some(41),
    task: Some(31),
    item: Some(31),
};

/// Whether a target takes amount lines (bonuses) beside hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Amounts {
    /// Amounts go with the hours.
    Taken,
    /// Taken once its file layout has a column for them; `fix` says where.
    NeedsColumn { fix: String },
    /// The target takes hours only (QuickBooks Desktop's time tracking and
    /// timer files carry no amounts): amounts are entered there by hand.
    NotTaken,
}

/// What a target is and accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TargetProfile {
    pub target: Target,
    /// As stored in mappings and publications: `integration:3`, `file:iif`.
    pub key: String,
    pub name: String,
    pub refs: RecordRefs,
    /// Every pay ID needs an item here (else its code is sent).
    pub needs_item: bool,
    /// The target has a list of payroll items to pick from.
    pub has_item_list: bool,
    pub limits: NameLimits,
    /// Hours can be sent to it (files are written instead).
    pub publishes: bool,
    /// Whether bonus amounts can go with the hours.
    pub amounts: Amounts,
}

/// The integration payroll would go to.
pub(crate) fn integration_row(conn: &Connection, id: i64) -> Result<Integration> {
    integrations::get(conn, id).map_err(|error| match error {
        Error::NotFound(_) => {
            Error::NotFound(format!("Integration #{id} is not connected any more."))
        }
        other => other,
    })
}

/// Whether integrations of the platform stored as `platform` receive
/// payroll (the platform table's answer; an unknown platform does not).
/// One integration's answer is [`Integration::publishes_payroll`]: a
/// Sandbox serving busybusy takes none.
pub fn platform_publishes(platform: &str) -> bool {
    Platform::from_id(platform).is_some_and(Platform::publishes_payroll)
}

pub fn profile(conn: &Connection, target: Target) -> Result<TargetProfile> {
    let key = target.key();
    Ok(match target {
        Target::Integration { id } => {
            let integration = integration_row(conn, id)?;
            let (platform, name) = (integration.platform.as_str(), integration.name.clone());
            if !integration.publishes_payroll() {
                return Err(Error::invalid(
                    "target",
                    format!(
                        "{name} does not receive payroll. Publish to another target, or export a payroll file."
                    ),
                ));
            }
            // Sage 300 CRE takes a pay ID by its code: an unmapped pay ID
            // goes as its own code, checked against Sage's pay IDs.
            let sage = platform == Platform::Sage300Cre.id();
            let amounts = if sage {
                sage_amounts(conn)?
            } else if platform == Platform::QuickBooksDesktop.id() {
                Amounts::NotTaken
            } else {
                // The Sandbox's receiver takes amounts on its bonus items.
                Amounts::Taken
            };
            TargetProfile {
                target,
                key,
                name,
                refs: RecordRefs::External,
                needs_item: !sage,
                has_item_list: true,
                // The Sandbox receives payroll as QuickBooks Desktop does;
                // Sage is named by its keys.
                limits: if sage {
                    NameLimits::default()
                } else {
                    QUICKBOOKS_LIMITS
                },
                publishes: true,
                amounts,
            }
        }
        Target::File { format } => TargetProfile {
            target,
            key,
            name: format.label().to_owned(),
            refs: match format {
                FileFormat::Csv | FileFormat::Iif => RecordRefs::Names,
                FileFormat::Sage300Cre => RecordRefs::Numbers,
            },
            needs_item: format == FileFormat::Iif,
            has_item_list: false,
            limits: if format == FileFormat::Iif {
                QUICKBOOKS_LIMITS
            } else {
                NameLimits::default()
            },
            publishes: false,
            amounts: match format {
                FileFormat::Csv => {
                    let csv = super::files::load(conn)?.csv;
                    if csv.columns.contains(&super::files::CsvColumn::Amount) {
                        Amounts::Taken
                    } else {
                        Amounts::NeedsColumn {
                            fix: "Add the Amount column to the CSV file under File layouts.".into(),
                        }
                    }
                }
                FileFormat::Iif => Amounts::NotTaken,
                FileFormat::Sage300Cre => sage_amounts(conn)?,
            },
        },
    })
}

/// Sage 300 CRE's Import Time takes an amount in the Amount column of the
/// Time Entry View, where the view has one.
fn sage_amounts(conn: &Connection) -> Result<Amounts> {
    let view = super::files::load(conn)?.sage300_cre.time_entry_view;
    Ok(if view.contains(&super::files::SageColumn::Amount) {
        Amounts::Taken
    } else {
        Amounts::NeedsColumn {
            fix: "Add an Amount column to the Time Entry View, in Sage (Payroll › Tools › \
                  Customize Time Entry) and under File layouts here."
                .into(),
        }
    })
}

/// Every target payroll can go to: each connected integration that
/// receives payroll, then the file formats.
pub fn all(conn: &Connection) -> Result<Vec<TargetProfile>> {
    let mut connected = integrations::list(conn)?;
    connected.sort_by_key(|i| i.id);
    let mut out = Vec::new();
    for integration in connected {
        if integration.publishes_payroll() {
            out.push(profile(conn, Target::Integration { id: integration.id })?);
        }
    }
    for format in FileFormat::ALL {
        out.push(profile(conn, Target::File { format })?);
    }
    Ok(out)
}
