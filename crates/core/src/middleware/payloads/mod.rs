//! The staged payloads: for each module, the one type a connector fills,
//! the middleware stores (as JSON, in `staged_records.data`), the importer
//! reads back and the UI shows (through the generated bindings).
//!
//! The stored JSON is these types' serialization, field for field, so its
//! checksum is the one stored before they existed. Two rules keep it so:
//! - a field some platforms have and others do not is a [`PlatformField`]:
//!   left out of the JSON (absent, not null) for a platform without it;
//! - numbers keep their kind: counts and seconds are integers, a pay item's
//!   multiplier a float (`1.0`, not `1`).
//!
//! Reading stored JSON back is lenient, as the importer always was: a
//! missing key takes its default, a value of another JSON type reads as
//! none, an external id reads from a string or a number, `active` is true
//! unless it is `false`. Only a time entry's span must be readable.

mod read;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use ts_rs::TS;

use super::Module;
use crate::records::pay_ids::PayCategory;
use crate::records::time_entries::TimeSpan;

/// A field only some platforms have: QuickBooks Time's payroll ID, a job's
/// address on QuickBooks Desktop and Aspire. A platform without it leaves
/// the key out of the staged data; one with it sends its value, which may
/// be empty (`Sent(None)` is stored as `null`). Absent and null checksum
/// differently, so the two never mix.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum PlatformField<T> {
    /// The platform has no such field: the key is absent.
    #[default]
    NotOnPlatform,
    /// The platform has the field, and sent this.
    Sent(T),
}

impl<T> PlatformField<T> {
    /// Whether the platform has no such field (the key is left out).
    pub fn is_not_on_platform(&self) -> bool {
        matches!(self, PlatformField::NotOnPlatform)
    }

    /// What the platform sent, if it has the field.
    pub fn sent(&self) -> Option<&T> {
        match self {
            PlatformField::NotOnPlatform => None,
            PlatformField::Sent(value) => Some(value),
        }
    }
}

impl<T: Serialize> Serialize for PlatformField<T> {
    /// The value sent. A field not on the platform is skipped by its
    /// struct (`skip_serializing_if`); serialized alone it is a null.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PlatformField::NotOnPlatform => serializer.serialize_none(),
            PlatformField::Sent(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PlatformField<T> {
    /// A key that is present was sent (its struct defaults a missing one).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(PlatformField::Sent)
    }
}

/// A staged employee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedEmployee {
    /// Given name; empty when the platform has none.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub first_name: String,
    /// Family name; empty when the platform has none.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub last_name: String,
    /// The employee number the company uses (payroll's key to the person).
    #[serde(default, deserialize_with = "read::text")]
    pub employee_number: Option<String>,
    /// The work e-mail address.
    #[serde(default, deserialize_with = "read::text")]
    pub email: Option<String>,
    /// A mobile number where the platform has one, else another phone.
    #[serde(default, deserialize_with = "read::text")]
    pub phone: Option<String>,
    /// The first day of work, where the platform knows it.
    #[serde(default, deserialize_with = "read::date")]
    pub hire_date: Option<NaiveDate>,
    /// The payroll system's id for the person (QuickBooks Time only).
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub payroll_id: PlatformField<Option<String>>,
    /// Still employed; a terminated employee is imported inactive.
    #[serde(default = "read::yes", deserialize_with = "read::flag")]
    pub active: bool,
    /// The wages the platform pays the person, oldest first, where it
    /// keeps a wage history (busybusy); empty elsewhere, and then left out
    /// of the payload so the other platforms' records read as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<StagedWage>>", optional)]
    pub wages: Vec<StagedWage>,
}

/// A wage paid from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StagedWage {
    /// The first day it is paid.
    pub from: NaiveDate,
    /// The amount as the platform states it, in the company's currency
    /// ("23.50"): text, so no cent is lost to floating point.
    pub amount: String,
    /// What the amount is paid per.
    pub per: WagePeriod,
}

/// What a wage is paid per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WagePeriod {
    Hour,
    Week,
    Month,
    Year,
}

/// A staged customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedCustomer {
    /// The name the company knows the customer by.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub name: String,
    /// The customer's e-mail address; not on QuickBooks Time, whose
    /// customers are jobcodes.
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub email: PlatformField<Option<String>>,
    /// The customer's phone number; not on QuickBooks Time either.
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub phone: PlatformField<Option<String>>,
    /// Still a customer; an inactive one is imported inactive.
    #[serde(default = "read::yes", deserialize_with = "read::flag")]
    pub active: bool,
}

/// A staged job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedJob {
    /// The job's name (QuickBooks Desktop: the sub-customer's own name).
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub name: String,
    /// The customer's id at the source; none for a job of no customer.
    #[serde(default, deserialize_with = "read::external_id")]
    pub customer_external_id: Option<String>,
    /// The number the company gives the job.
    #[serde(default, deserialize_with = "read::text")]
    pub job_number: Option<String>,
    /// Where the work is, on one line (QuickBooks Desktop, Aspire).
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub address: PlatformField<Option<String>>,
    /// The site's name (Aspire's property).
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub property: PlatformField<Option<String>>,
    /// The platform's own word for where the job stands (QuickBooks
    /// Desktop, Aspire), shown as sent.
    #[serde(
        default,
        deserialize_with = "read::sent_text",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub status: PlatformField<Option<String>>,
    /// Open; a closed, lost or canceled job is imported inactive.
    #[serde(default = "read::yes", deserialize_with = "read::flag")]
    pub active: bool,
}

/// A staged task (a cost code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedTask {
    /// The cost code, else the task's name.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub code: String,
    /// What the task is called (a description where the platform has one).
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub name: String,
    /// The job's id at the source; none for a task of any job.
    #[serde(default, deserialize_with = "read::external_id")]
    pub job_external_id: Option<String>,
    /// The pay item the task's hours are paid as. No connector sends it
    /// yet; the importer reads it where it is stored.
    #[serde(
        default,
        deserialize_with = "read::sent_external_id",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<Option<String>>", optional)]
    pub pay_item_external_id: PlatformField<Option<String>>,
    /// Still in use; an inactive task is imported inactive.
    #[serde(default = "read::yes", deserialize_with = "read::flag")]
    pub active: bool,
}

/// A staged time entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedTimeEntry {
    /// The employee's id at the source.
    #[serde(default, deserialize_with = "read::external_id_or_empty")]
    pub employee_external_id: String,
    /// The job worked on, by its id at the source.
    #[serde(default, deserialize_with = "read::external_id")]
    pub job_external_id: Option<String>,
    /// The task worked on, by its id at the source.
    #[serde(default, deserialize_with = "read::external_id")]
    pub task_external_id: Option<String>,
    /// The pay item (time off, say) where the platform names one.
    #[serde(default, deserialize_with = "read::external_id")]
    pub pay_item_external_id: Option<String>,
    /// When it was worked: clocked in and out, or hours on a day.
    pub span: TimeSpan,
    /// The worker's notes, and what the connector adds (a work ticket).
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub notes: String,
}

/// A staged budget: the time (or money) planned for a job or its task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedBudget {
    /// The job budgeted, by its id at the source; a budget needs one.
    #[serde(default, deserialize_with = "read::external_id")]
    pub job_external_id: Option<String>,
    /// The task budgeted, where the budget is for one task of the job.
    #[serde(default, deserialize_with = "read::external_id")]
    pub task_external_id: Option<String>,
    /// The hours planned, in seconds.
    #[serde(default, deserialize_with = "read::integer")]
    pub budget_seconds: Option<i64>,
    /// The money planned, in cents.
    #[serde(default, deserialize_with = "read::integer")]
    pub amount_cents: Option<i64>,
    /// What the budget is (QuickBooks Time: its project's name).
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub notes: String,
}

/// A staged pay item (a pay code, a payroll item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedPayItem {
    /// The payroll system's code, else the name.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub code: String,
    /// What the pay item is called.
    #[serde(default, deserialize_with = "read::text_or_empty")]
    pub name: String,
    /// What kind of pay it is; unknown or missing reads as Other.
    #[serde(default = "read::other", deserialize_with = "read::category")]
    pub category: PayCategory,
    /// Times the base rate (1.5 for time and a half), where the platform
    /// says (Aspire, QuickBooks Desktop); the importer takes 1.0 otherwise.
    #[serde(
        default,
        deserialize_with = "read::sent_decimal",
        skip_serializing_if = "PlatformField::is_not_on_platform"
    )]
    #[ts(as = "Option<f64>", optional)]
    pub multiplier: PlatformField<f64>,
    /// Still paid; an inactive pay item is imported inactive.
    #[serde(default = "read::yes", deserialize_with = "read::flag")]
    pub active: bool,
}

/// A staged payload of whichever module. It serializes as its module's
/// type alone (no tag): the module is stored beside it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum StagedPayload {
    Employee(StagedEmployee),
    Customer(StagedCustomer),
    Job(StagedJob),
    Task(StagedTask),
    TimeEntry(StagedTimeEntry),
    Budget(StagedBudget),
    PayItem(StagedPayItem),
}

impl StagedPayload {
    /// Stored staged data of `module`, read leniently (see the module's
    /// doc); data that is not an object reads as an empty one. Fails only
    /// for a time entry whose span cannot be read.
    pub fn read(module: Module, data: &Value) -> Result<StagedPayload, serde_json::Error> {
        let empty = Value::Object(serde_json::Map::new());
        let data = if data.is_object() { data } else { &empty };
        Ok(match module {
            Module::Employees => StagedPayload::Employee(Deserialize::deserialize(data)?),
            Module::Customers => StagedPayload::Customer(Deserialize::deserialize(data)?),
            Module::Jobs => StagedPayload::Job(Deserialize::deserialize(data)?),
            Module::Tasks => StagedPayload::Task(Deserialize::deserialize(data)?),
            Module::TimeEntries => StagedPayload::TimeEntry(Deserialize::deserialize(data)?),
            Module::Budgets => StagedPayload::Budget(Deserialize::deserialize(data)?),
            Module::PayItems => StagedPayload::PayItem(Deserialize::deserialize(data)?),
        })
    }

    /// The module this payload is staged in.
    pub fn module(&self) -> Module {
        match self {
            StagedPayload::Employee(_) => Module::Employees,
            StagedPayload::Customer(_) => Module::Customers,
            StagedPayload::Job(_) => Module::Jobs,
            StagedPayload::Task(_) => Module::Tasks,
            StagedPayload::TimeEntry(_) => Module::TimeEntries,
            StagedPayload::Budget(_) => Module::Budgets,
            StagedPayload::PayItem(_) => Module::PayItems,
        }
    }

    /// Whether the record is active at the source; time entries and
    /// budgets have no such field and always are.
    pub fn is_active(&self) -> bool {
        match self {
            StagedPayload::Employee(p) => p.active,
            StagedPayload::Customer(p) => p.active,
            StagedPayload::Job(p) => p.active,
            StagedPayload::Task(p) => p.active,
            StagedPayload::PayItem(p) => p.active,
            StagedPayload::TimeEntry(_) | StagedPayload::Budget(_) => true,
        }
    }

    /// The payload as the JSON the middleware stores and checksums.
    pub fn to_data(&self) -> Value {
        // Plain structs with string keys: serializing into a JSON value
        // cannot fail.
        serde_json::to_value(self).expect("a staged payload serializes to JSON")
    }

    /// The payload as the JSON text the middleware stores and checksums:
    /// `to_data().to_string()`, written without building the value.
    pub fn to_text(&self) -> String {
        super::canonical::text(self).unwrap_or_else(|| self.to_data().to_string())
    }
}

macro_rules! payload_of {
    ($($variant:ident($type:ty)),* $(,)?) => {$(
        impl From<$type> for StagedPayload {
            fn from(payload: $type) -> StagedPayload {
                StagedPayload::$variant(payload)
            }
        }
    )*};
}

payload_of!(
    Employee(StagedEmployee),
    Customer(StagedCustomer),
    Job(StagedJob),
    Task(StagedTask),
    TimeEntry(StagedTimeEntry),
    Budget(StagedBudget),
    PayItem(StagedPayItem),
);
