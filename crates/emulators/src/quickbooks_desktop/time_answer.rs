//! The emulated company file's time-tracking transactions: a
//! `TimeTrackingAddRq`, `TimeTrackingModRq`, `TimeTrackingQueryRq` or
//! `TxnDelRq` read by [`super::time_check`], answered as QuickBooks answers
//! it. What the schema cannot say is judged here and refused with the
//! status QuickBooks gives: a reference that names no record or an
//! inactive one (3140), a date that is not one (3020), a duration that is
//! not one or not more than zero (3035), a payroll item on an employee who
//! does not use time data for paychecks (3180 / 3170), a date in the closed
//! period (3180 / 3170), an unknown `TxnID` (3120) and a stale
//! `EditSequence` (3200). Every `TimeTrackingRet` is written in the
//! schema's order. Rules QBD-TT-2 … QBD-TT-15 of
//! `docs/contracts/quickbooks-desktop.md`.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde_json::{Map, Value, json};

use super::Company;
use super::answer::{Answer, Field, NO_MATCH, REF, group, text, write};
use super::time_check::{EntityFilter, Range, Reference, TimeEntry, TimeQuery};

/// `TimeTrackingRet`: group `TxnCore`, then its own fields (the ones
/// emulated; `Rate` is "not in QBD", `ExternalGUID` is not emulated).
pub const TIME_TRACKING: &[Field] = &[
    text("TxnID"),
    text("TimeCreated"),
    text("TimeModified"),
    text("EditSequence"),
    text("TxnNumber"),
    text("TxnDate"),
    group("EntityRef", REF),
    group("CustomerRef", REF),
    group("ItemServiceRef", REF),
    text("Duration"),
    group("ClassRef", REF),
    group("PayrollItemWageRef", REF),
    text("Notes"),
    text("BillableStatus"),
];

/// What QuickBooks adds after an invalid reference's name.
const NO_RECORD: &str = "Invalid argument. The specified record does not exist in the list.";

/// Which write a status is about; QuickBooks' words and code differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Add,
    Change,
    Delete,
}

impl Write {
    /// 3180 "error when saving" for an add; 3170 for a change or delete.
    fn refused(self, why: &str) -> Answer {
        let (code, verb) = match self {
            Write::Add => (3180, "saving"),
            Write::Change => (3170, "modifying"),
            Write::Delete => (3170, "deleting"),
        };
        Answer::status(
            code,
            format!(
                "There was an error when {verb} a TimeTracking. QuickBooks error message: {why}"
            ),
        )
    }
}

/// The list a reference points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Entity,
    Customer,
    ServiceItem,
    Class,
    WageItem,
}

impl Kind {
    /// The record kind QuickBooks names in a 3140.
    fn label(self) -> &'static str {
        match self {
            Kind::Entity => "Entity",
            Kind::Customer => "Customer",
            Kind::ServiceItem => "Item",
            Kind::Class => "Class",
            Kind::WageItem => "PayrollItemWage",
        }
    }

    /// The field the reference's `FullName` matches (employees and wage
    /// items have only a `Name`; customers' is `Customer:Job`).
    fn name_field(self) -> &'static str {
        match self {
            Kind::Entity | Kind::WageItem => "Name",
            Kind::Customer | Kind::ServiceItem | Kind::Class => "FullName",
        }
    }

    fn records(self, company: &Company) -> &[Value] {
        match self {
            // The emulated file has employees only, no vendors or other
            // names.
            Kind::Entity => &company.employees,
            Kind::Customer => &company.customers,
            Kind::ServiceItem => &company.service_items,
            Kind::Class => &company.classes,
            Kind::WageItem => &company.wage_items,
        }
    }
}

/// The current time as QuickBooks stamps it (`DATETIMETYPE`, local, with
/// its offset).
fn now() -> String {
    Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A `DATETYPE` (`YYYY-MM-DD`, a calendar date), or QuickBooks' 3020.
fn date(value: &str, field: &str) -> Result<NaiveDate, Answer> {
    let shaped = value.len() == 10 && value.as_bytes()[4] == b'-' && value.as_bytes()[7] == b'-';
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| {
            Answer::status(
                3020,
                format!(
                    "There was an error when converting the date value \"{value}\" in the field \"{field}\"."
                ),
            )
        })
}

/// A `DATETIMETYPE` (a date, optionally with a time and an offset); a
/// time without offset is the company's local time. `end` reads a date
/// alone as the end of that day (a `To…` bound), else as its start.
fn instant(value: &str, field: &str, end: bool) -> Result<DateTime<FixedOffset>, Answer> {
    let local = |naive: NaiveDateTime| {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.fixed_offset())
    };
    let parsed = DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%:z")
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
                .and_then(local)
        })
        .or_else(|| {
            let day = date(value, field).ok()?;
            let time = if end {
                NaiveTime::from_hms_opt(23, 59, 59)?
            } else {
                NaiveTime::MIN
            };
            local(day.and_time(time))
        });
    parsed.ok_or_else(|| {
        Answer::status(
            3020,
            format!(
                "There was an error when converting the date value \"{value}\" in the field \"{field}\"."
            ),
        )
    })
}

/// The seconds of a `TIMEINTERVALTYPE` (`[+-]PT#H#M#S`, each part
/// optional, at least one, in that order), or `None`.
fn seconds(value: &str) -> Option<i64> {
    let (sign, rest) = match value.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value.strip_prefix('+').unwrap_or(value)),
    };
    let mut rest = rest.strip_prefix("PT")?;
    if rest.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    for (unit, scale) in [('H', 3600), ('M', 60), ('S', 1)] {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(unit) {
            let part: i64 = rest[..digits].parse().ok()?;
            total = total.checked_add(part.checked_mul(scale)?)?;
            rest = &rest[digits + 1..];
        }
    }
    rest.is_empty().then_some(sign * total)
}

/// `Duration` checked (QBD-TT-4) and written as QuickBooks answers it,
/// `PT#H#M#S`.
fn duration(value: &str) -> Result<String, Answer> {
    match seconds(value) {
        None => Err(Answer::status(
            3035,
            format!(
                "There was an error when converting the time interval value \"{value}\" in the field \"Duration\"."
            ),
        )),
        Some(s) if s <= 0 => Err(Answer::status(
            3035,
            format!(
                "The time interval value \"{value}\" in the field \"Duration\" is not more than zero; QuickBooks' timesheets hold no empty or negative time."
            ),
        )),
        Some(s) => Ok(format!("PT{}H{}M{}S", s / 3600, s % 3600 / 60, s % 60)),
    }
}

fn invalid_reference(kind: Kind, shown: &str, why: &str) -> Answer {
    Answer::status(
        3140,
        format!(
            "There is an invalid reference to QuickBooks {} \"{shown}\" in the TimeTracking. QuickBooks error message: {why}",
            kind.label()
        ),
    )
}

fn not_found(txn_id: &str) -> Answer {
    Answer::status(
        3120,
        format!("Object \"{txn_id}\" specified in the request cannot be found."),
    )
}

/// One `TimeTrackingRet`.
fn ret(record: &Value) -> String {
    let mut out = String::from("<TimeTrackingRet>");
    write(&mut out, record, TIME_TRACKING);
    out.push_str("</TimeTrackingRet>");
    out
}

fn answered(records: String) -> Answer {
    Answer {
        records,
        ..Answer::status(0, "Status OK")
    }
}

impl Company {
    /// The record a reference names (QBD-TT-2, -3): by `ListID`, by
    /// `FullName` (exactly), or by both when they name the same record;
    /// it must be active. Answers the reference as QuickBooks writes it.
    fn resolve(&self, kind: Kind, reference: &Reference) -> Result<Value, Answer> {
        let records = kind.records(self);
        let field = kind.name_field();
        let find = |key: &str, value: &str| records.iter().find(|r| r[key] == value);
        let by_id = reference.list_id.as_deref().map(|id| find("ListID", id));
        let by_name = reference.full_name.as_deref().map(|n| find(field, n));
        let record = match (by_id, by_name) {
            (Some(Some(a)), Some(Some(b))) if a["ListID"] == b["ListID"] => a,
            (Some(Some(a)), None) | (None, Some(Some(a))) => a,
            _ => return Err(invalid_reference(kind, reference.shown(), NO_RECORD)),
        };
        if record["IsActive"] == "false" {
            let name = record[field].as_str().unwrap_or_default();
            return Err(invalid_reference(
                kind,
                reference.shown(),
                &format!("The name \"{name}\" is inactive."),
            ));
        }
        Ok(json!({"ListID": record["ListID"], "FullName": record[field]}))
    }

    /// The fields an add or change gives, checked and in QuickBooks' form.
    fn checked_fields(&self, entry: &TimeEntry) -> Result<Map<String, Value>, Answer> {
        let mut fields = Map::new();
        if let Some(day) = &entry.txn_date {
            fields.insert("TxnDate".into(), json!(date(day, "TxnDate")?.to_string()));
        }
        fields.insert("Duration".into(), json!(duration(&entry.duration)?));
        fields.insert(
            "EntityRef".into(),
            self.resolve(Kind::Entity, &entry.entity)?,
        );
        for (name, kind, reference) in [
            ("CustomerRef", Kind::Customer, &entry.customer),
            ("ItemServiceRef", Kind::ServiceItem, &entry.service_item),
            ("ClassRef", Kind::Class, &entry.class),
            ("PayrollItemWageRef", Kind::WageItem, &entry.wage_item),
        ] {
            if let Some(reference) = reference {
                fields.insert(name.into(), self.resolve(kind, reference)?);
            }
        }
        if let Some(notes) = &entry.notes {
            fields.insert("Notes".into(), json!(notes));
        }
        if let Some(status) = &entry.billable_status {
            fields.insert("BillableStatus".into(), json!(status));
        }
        Ok(fields)
    }

    /// A transaction dated on or before the closing date is refused
    /// (QBD-TT-7).
    fn open_period(&self, record: &Value, write: Write) -> Result<(), Answer> {
        let day = record["TxnDate"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        match (day, self.closing_date) {
            (Some(day), Some(closing)) if day <= closing => Err(write.refused(&format!(
                "The transaction date {} is on or before the closing date {} of this company file.",
                day.format("%m/%d/%Y"),
                closing.format("%m/%d/%Y")
            ))),
            _ => Ok(()),
        }
    }

    /// A payroll item only on time of an employee set to use time data to
    /// create paychecks (QBD-TT-6).
    fn payable(&self, record: &Value, write: Write) -> Result<(), Answer> {
        if record.get("PayrollItemWageRef").is_none() {
            return Ok(());
        }
        let entity = &record["EntityRef"]["ListID"];
        let employee = self.employees.iter().find(|e| e["ListID"] == *entity);
        let uses = employee.is_some_and(|e| {
            e["EmployeePayrollInfo"]["UseTimeDataToCreatePaychecks"] == "UseTimeData"
        });
        if uses {
            return Ok(());
        }
        let name = record["EntityRef"]["FullName"].as_str().unwrap_or_default();
        Err(write.refused(&format!(
            "The employee \"{name}\" is not set to use time data to create paychecks, so this time cannot name a payroll item."
        )))
    }

    fn next_txn(&mut self) -> u64 {
        self.next_txn += 1;
        self.next_txn
    }

    /// A new edit sequence: it changes on every write.
    fn edit_sequence(&mut self) -> String {
        (1_700_000_000 + self.next_txn()).to_string()
    }

    /// `TimeTrackingAddRq`: a new transaction; `TxnDate` defaults to today.
    pub(super) fn add_time(&mut self, entry: &TimeEntry) -> Answer {
        let mut fields = match self.checked_fields(entry) {
            Ok(fields) => fields,
            Err(refused) => return refused,
        };
        fields
            .entry("TxnDate")
            .or_insert_with(|| json!(Local::now().date_naive().to_string()));
        let mut record = Value::Object(fields);
        if let Err(refused) = self
            .payable(&record, Write::Add)
            .and_then(|()| self.open_period(&record, Write::Add))
        {
            return refused;
        }
        let number = self.time_tracking.len() + 1;
        let id = format!("{:X}-{}", 0x10000 + self.next_txn(), 1_700_000_000);
        let stamp = now();
        record["TxnID"] = json!(id);
        record["TimeCreated"] = json!(stamp);
        record["TimeModified"] = json!(stamp);
        record["EditSequence"] = json!(self.edit_sequence());
        record["TxnNumber"] = json!(number.to_string());
        let out = ret(&record);
        self.time_tracking.push(record);
        answered(out)
    }

    /// `TimeTrackingModRq`: the elements given replace the transaction's;
    /// the optional ones left out keep their values; an empty `Notes`
    /// clears it.
    pub(super) fn modify_time(
        &mut self,
        txn_id: &str,
        edit_sequence: &str,
        entry: &TimeEntry,
    ) -> Answer {
        let Some(at) = self.time_tracking.iter().position(|t| t["TxnID"] == txn_id) else {
            return not_found(txn_id);
        };
        let current = &self.time_tracking[at];
        if current["EditSequence"] != edit_sequence {
            return Answer::status(
                3200,
                format!("The provided edit sequence \"{edit_sequence}\" is out-of-date."),
            );
        }
        let mut record = current.clone();
        let checked = self.open_period(&record, Write::Change).and_then(|()| {
            let fields = self.checked_fields(entry)?;
            for (key, value) in fields {
                record[key] = value;
            }
            if entry.notes.as_deref() == Some("")
                && let Some(fields) = record.as_object_mut()
            {
                fields.remove("Notes");
            }
            self.payable(&record, Write::Change)?;
            self.open_period(&record, Write::Change)
        });
        if let Err(refused) = checked {
            return refused;
        }
        record["TimeModified"] = json!(now());
        record["EditSequence"] = json!(self.edit_sequence());
        let out = ret(&record);
        self.time_tracking[at] = record;
        answered(out)
    }

    /// `TxnDelRq` of a `TimeTracking`.
    pub(super) fn delete_time(&mut self, txn_id: &str) -> Answer {
        let Some(at) = self.time_tracking.iter().position(|t| t["TxnID"] == txn_id) else {
            return not_found(txn_id);
        };
        if let Err(refused) = self.open_period(&self.time_tracking[at], Write::Delete) {
            return refused;
        }
        self.time_tracking.remove(at);
        answered(format!(
            "<TxnDelType>TimeTracking</TxnDelType><TxnID>{}</TxnID><TimeDeleted>{}</TimeDeleted>",
            super::escape(txn_id),
            now()
        ))
    }

    /// `TimeTrackingQueryRq` (QBD-TT-13).
    pub(super) fn query_time(&self, query: &TimeQuery) -> Answer {
        match query {
            TimeQuery::Ids(ids) => {
                let mut records = String::new();
                let mut missing = None;
                for id in ids {
                    match self
                        .time_tracking
                        .iter()
                        .find(|t| t["TxnID"] == id.as_str())
                    {
                        Some(record) => records.push_str(&ret(record)),
                        None => {
                            missing.get_or_insert(id);
                        }
                    }
                }
                match missing {
                    None => answered(records),
                    Some(id) => Answer {
                        records,
                        ..Answer::status(
                            500,
                            format!(
                                "The query request has not been fully completed. There was a required element (\"{id}\") that could not be found in QuickBooks."
                            ),
                        )
                    },
                }
            }
            TimeQuery::Filter {
                max,
                modified,
                txn_dates,
                entities,
            } => self
                .filtered(
                    *max,
                    modified.as_ref(),
                    txn_dates.as_ref(),
                    entities.as_ref(),
                )
                .unwrap_or_else(|refused| refused),
        }
    }

    fn filtered(
        &self,
        max: Option<u32>,
        modified: Option<&Range>,
        txn_dates: Option<&Range>,
        entities: Option<&EntityFilter>,
    ) -> Result<Answer, Answer> {
        let bounds = |range: Option<&Range>, from: &str, to: &str| {
            let Some(range) = range else {
                return Ok((None, None));
            };
            let low = range
                .from
                .as_deref()
                .map(|v| instant(v, from, false))
                .transpose()?;
            let high = range
                .to
                .as_deref()
                .map(|v| instant(v, to, true))
                .transpose()?;
            if let (Some(low), Some(high)) = (low, high)
                && low > high
            {
                return Err(Answer::status(
                    3030,
                    "Invalid date range: From date is greater than To date.",
                ));
            }
            Ok((low, high))
        };
        let (modified_from, modified_to) = bounds(modified, "FromModifiedDate", "ToModifiedDate")?;
        let (date_from, date_to) = match txn_dates {
            None => (None, None),
            Some(range) => {
                let from = range
                    .from
                    .as_deref()
                    .map(|d| date(d, "FromTxnDate"))
                    .transpose()?;
                let to = range
                    .to
                    .as_deref()
                    .map(|d| date(d, "ToTxnDate"))
                    .transpose()?;
                if let (Some(from), Some(to)) = (from, to)
                    && from > to
                {
                    return Err(Answer::status(
                        3030,
                        "Invalid date range: From date is greater than To date.",
                    ));
                }
                (from, to)
            }
        };
        let keeps = |record: &&Value| {
            let day = record["TxnDate"]
                .as_str()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let changed = record["TimeModified"]
                .as_str()
                .and_then(|t| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%:z").ok());

            let whose = match entities {
                None => true,
                Some(EntityFilter::ListIds(ids)) => ids
                    .iter()
                    .any(|id| record["EntityRef"]["ListID"] == id.as_str()),
                Some(EntityFilter::FullNames(names)) => names
                    .iter()
                    .any(|name| record["EntityRef"]["FullName"] == name.as_str()),
            };
            let dated = day.is_some_and(|day| {
                date_from.is_none_or(|from| day >= from) && date_to.is_none_or(|to| day <= to)
            });
            let touched = changed.is_some_and(|at| {
                modified_from.is_none_or(|from| at >= from) && modified_to.is_none_or(|to| at <= to)
            });
            whose && dated && touched
        };
        let limit = max.map_or(usize::MAX, |m| m as usize);
        let records: String = self
            .time_tracking
            .iter()
            .filter(keeps)
            .take(limit)
            .map(ret)
            .collect();
        Ok(if records.is_empty() {
            Answer::status(1, NO_MATCH)
        } else {
            answered(records)
        })
    }
}
