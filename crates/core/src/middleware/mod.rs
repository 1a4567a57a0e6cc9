//! The middleware: what each integration brought in, staged for review.
//!
//! A connector maps each platform record to Timebridge's shape and hands it
//! over as an [`Incoming`] record. The pure [`planner`] decides, from the
//! incoming checksum, the staged row's state and the binding (what was last
//! imported), the record's status (New, Updated, Imported, Archived) and
//! whether anything needs writing; [`staged::apply_page`] writes that
//! decision, one page per transaction. Unchanged records are not written.
//!
//! What a record holds is its module's [`payloads`] type, one per module.
//!
//! [`integrations`] are the connected platform accounts ([`csv_layouts`] the
//! saved column mappings of CSV exports), [`runs`] the history
//! of sync runs, and [`cursors`] where each stream got to.

mod canonical;
pub mod csv_layouts;
pub mod cursors;
pub mod import;
pub mod integrations;
pub mod payloads;
pub mod planner;
pub mod runs;
pub mod staged;
mod staged_list;
mod staged_missing;
mod staged_search;
mod staged_time;

pub use payloads::{
    PlatformField, StagedBudget, StagedCustomer, StagedEmployee, StagedJob, StagedPayItem,
    StagedPayload, StagedTask, StagedTimeEntry, StagedWage, WagePeriod,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a staged record is: the modules an integration can sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Employees,
    Customers,
    Jobs,
    Tasks,
    TimeEntries,
    Budgets,
    PayItems,
}

impl Module {
    pub const ALL: [Module; 7] = [
        Module::Employees,
        Module::Customers,
        Module::Jobs,
        Module::Tasks,
        Module::TimeEntries,
        Module::Budgets,
        Module::PayItems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Employees => "employees",
            Module::Customers => "customers",
            Module::Jobs => "jobs",
            Module::Tasks => "tasks",
            Module::TimeEntries => "time_entries",
            Module::Budgets => "budgets",
            Module::PayItems => "pay_items",
        }
    }

    pub fn parse(text: &str) -> Option<Module> {
        let normalized = text.replace('-', "_");
        Module::ALL.into_iter().find(|m| m.as_str() == normalized)
    }

    pub fn label(self) -> &'static str {
        match self {
            Module::Employees => "Employees",
            Module::Customers => "Customers",
            Module::Jobs => "Jobs",
            Module::Tasks => "Tasks",
            Module::TimeEntries => "Time entries",
            Module::Budgets => "Budgets",
            Module::PayItems => "Pay items",
        }
    }
}

/// One record as a connector hands it over: already in Timebridge's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub external_id: String,
    /// The mapped record (a [`StagedPayload`] of its module), as the JSON
    /// that is stored and checksummed.
    pub data: serde_json::Value,
    /// What lists show and search: a name, or "employee · date" for time.
    pub label: String,
    /// The record's date, for time entries.
    pub record_date: Option<NaiveDate>,
}

impl Incoming {
    /// A record of `payload`'s module. The payload becomes its JSON once,
    /// here (no text round trip: a sync stages tens of thousands a second).
    pub fn new(
        external_id: impl Into<String>,
        label: impl Into<String>,
        payload: impl Into<StagedPayload>,
        record_date: Option<NaiveDate>,
    ) -> Incoming {
        Incoming {
            external_id: external_id.into(),
            data: payload.into().to_data(),
            label: label.into(),
            record_date,
        }
    }

    /// The checksum of the data: equal data, equal checksum, whatever the
    /// order the platform sent the fields in.
    pub fn checksum(&self) -> String {
        checksum(&self.data)
    }
}

/// A record ready to stage: its data already the JSON text stored and its
/// checksum, made before the writing transaction (and off its thread).
/// [`staged::apply_serialized`] stores exactly what [`staged::apply_page`]
/// stores for the same record.
#[derive(Debug, Clone, PartialEq)]
pub struct Serialized {
    pub external_id: String,
    /// The data as stored: [`StagedPayload::to_text`].
    pub text: String,
    /// [`checksum_of_text`] of the text.
    pub checksum: String,
    pub label: String,
    pub record_date: Option<NaiveDate>,
}

impl Serialized {
    /// A record of `payload`'s module, its JSON written without a value.
    pub fn new(
        external_id: impl Into<String>,
        label: impl Into<String>,
        payload: impl Into<StagedPayload>,
        record_date: Option<NaiveDate>,
    ) -> Serialized {
        Serialized::with_text(
            external_id.into(),
            label.into(),
            payload.into().to_text(),
            record_date,
        )
    }

    /// An incoming record's data as its text.
    pub fn of(record: &Incoming) -> Serialized {
        Serialized::with_text(
            record.external_id.clone(),
            record.label.clone(),
            record.data.to_string(),
            record.record_date,
        )
    }

    fn with_text(
        external_id: String,
        label: String,
        text: String,
        record_date: Option<NaiveDate>,
    ) -> Serialized {
        Serialized {
            checksum: checksum_of_text(&text),
            external_id,
            text,
            label,
            record_date,
        }
    }

    /// The record with its data as a JSON value again.
    pub fn to_incoming(&self) -> Incoming {
        Incoming {
            external_id: self.external_id.clone(),
            data: serde_json::from_str(&self.text).unwrap_or(serde_json::Value::Null),
            label: self.label.clone(),
            record_date: self.record_date,
        }
    }
}

/// A stable hash of a JSON value (keys are sorted by serde_json's map).
pub fn checksum(data: &serde_json::Value) -> String {
    checksum_of_text(&data.to_string())
}

/// [`checksum`] of a value already serialized with `to_string()`.
pub fn checksum_of_text(canonical: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_ignores_the_order_fields_arrive_in() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"first":"Rosa","last":"Diaz"}"#).expect("json");
        let b: serde_json::Value =
            serde_json::from_str(r#"{"last":"Diaz","first":"Rosa"}"#).expect("json");
        assert_eq!(
            checksum(&a),
            checksum(&b),
            "the same record in another field order is unchanged"
        );
    }

    #[test]
    fn module_names_read_back_with_dashes_or_underscores() {
        assert_eq!(
            Module::parse("time-entries"),
            Some(Module::TimeEntries),
            "the CLI uses dashes"
        );
        assert_eq!(
            Module::parse("pay_items"),
            Some(Module::PayItems),
            "the database uses underscores"
        );
    }
}
