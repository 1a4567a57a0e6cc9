//! Staged data as local drafts, look-alike local records, and the writes
//! to the local records of whichever kind.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::bindings::Staged;
use super::plan::Incoming;
use super::{ImportSummary, Importer, LinkSuggestion, Stop};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::middleware::{Module, StagedPayload};
use crate::records::pay_ids::PayIdDraft;
use crate::records::time_entries::TimeEntryDraft;
use crate::records::{
    self, LocalRecord, NewRecordSource, RecordKind, budgets::BudgetDraft, customers::CustomerDraft,
    employees::EmployeeDraft, jobs::JobDraft, tasks::TaskDraft,
};
use crate::time;

impl<'a> Importer<'a> {
    /// The staged data as a local draft, read as its module's payload, its
    /// references resolved (and imported along when allowed).
    pub(super) fn draft(
        &mut self,
        module: Module,
        data: &Value,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Draft, Stop> {
        Ok(self.incoming(module, data, summary)?.draft)
    }

    /// The staged data as the plan's incoming side: its draft (as
    /// [`Self::draft`]) and whether the source has it active, from one
    /// read of the payload.
    pub(super) fn incoming(
        &mut self,
        module: Module,
        data: &Value,
        summary: &mut ImportSummary,
    ) -> std::result::Result<Incoming, Stop> {
        // Only a time entry's span can fail to read (every other field
        // reads leniently).
        let payload = StagedPayload::read(module, data)
            .map_err(|_| Stop::Skip("Its start, end or duration could not be read.".into()))?;
        let active = payload.is_active();
        // A reference is resolved from the stored data by its payload
        // field's name (checked in this module's tests).
        let draft = match payload {
            StagedPayload::Employee(p) => Draft::Employee(EmployeeDraft {
                employee_number: p.employee_number,
                first_name: p.first_name,
                last_name: p.last_name,
                email: p.email,
                phone: p.phone,
                hire_date: p.hire_date,
            }),
            StagedPayload::Customer(p) => Draft::Customer(CustomerDraft {
                name: p.name,
                email: p.email.sent().cloned().flatten(),
                phone: p.phone.sent().cloned().flatten(),
            }),
            StagedPayload::Job(p) => Draft::Job(JobDraft {
                customer_id: self.reference(
                    Module::Customers,
                    data,
                    reference::CUSTOMER,
                    summary,
                )?,
                name: p.name,
                job_number: p.job_number,
                address: p.address.sent().cloned().flatten(),
            }),
            StagedPayload::Task(p) => Draft::Task(TaskDraft {
                job_id: self.reference(Module::Jobs, data, reference::JOB, summary)?,
                code: p.code,
                name: p.name,
                pay_id: self.reference(Module::PayItems, data, reference::PAY_ITEM, summary)?,
            }),
            StagedPayload::TimeEntry(p) => Draft::TimeEntry(TimeEntryDraft {
                employee_id: self
                    .reference(Module::Employees, data, reference::EMPLOYEE, summary)?
                    .ok_or_else(|| Stop::Skip("It has no employee.".into()))?,
                job_id: self.reference(Module::Jobs, data, reference::JOB, summary)?,
                task_id: self.reference(Module::Tasks, data, reference::TASK, summary)?,
                pay_id: self.reference(Module::PayItems, data, reference::PAY_ITEM, summary)?,
                span: p.span,
                notes: p.notes,
            }),
            StagedPayload::Budget(p) => Draft::Budget(BudgetDraft {
                job_id: self
                    .reference(Module::Jobs, data, reference::JOB, summary)?
                    .ok_or_else(|| Stop::Skip("It has no job.".into()))?,
                task_id: self.reference(Module::Tasks, data, reference::TASK, summary)?,
                budget_seconds: p.budget_seconds,
                amount_cents: p.amount_cents,
                notes: p.notes,
            }),
            StagedPayload::PayItem(p) => Draft::PayItem(PayIdDraft {
                code: p.code,
                name: p.name,
                category: p.category,
                multiplier: p.multiplier.sent().copied().unwrap_or(1.0),
            }),
        };
        Ok(Incoming { draft, active })
    }

    /// A local record of the same kind, not tied to this integration, that
    /// looks like the incoming one.
    pub(super) fn look_alike(
        &self,
        module: Module,
        staged: &Staged,
        draft: &Draft,
    ) -> std::result::Result<Option<LinkSuggestion>, Stop> {
        let not_bound = "(source_kind = 'manual' OR source_integration_id IS NOT ?1)";
        let found: Option<(i64, String, &str)> = match draft {
            Draft::Employee(d) => {
                let mut found = None;
                if let Some(number) = d.employee_number.as_deref().filter(|n| !n.trim().is_empty()) {
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND employee_number = ?2 COLLATE NOCASE"), number)?
                        .map(|(id, name)| (id, name, "employee number"));
                }
                if found.is_none()
                    && let Some(email) = d.email.as_deref().filter(|e| !e.trim().is_empty())
                {
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND email = ?2 COLLATE NOCASE"), email)?
                        .map(|(id, name)| (id, name, "e-mail"));
                }
                if found.is_none() {
                    let name = format!("{} {}", d.first_name.trim(), d.last_name.trim());
                    found = self.find(&format!("SELECT id, first_name || ' ' || last_name FROM employees WHERE {not_bound} AND (first_name || ' ' || last_name) = ?2 COLLATE NOCASE"), &name)?
                        .map(|(id, name)| (id, name, "name"));
                }
                found
            }
            Draft::Customer(d) => self
                .find(&format!("SELECT id, name FROM customers WHERE {not_bound} AND name = ?2 COLLATE NOCASE"), d.name.trim())?
                .map(|(id, name)| (id, name, "name")),
            Draft::PayItem(d) => self
                .find(&format!("SELECT id, code || ' ' || name FROM pay_ids WHERE {not_bound} AND code = ?2 COLLATE NOCASE"), d.code.trim())?
                .map(|(id, name)| (id, name, "code")),
            _ => None,
        };
        let _ = module;
        Ok(
            found.map(|(local_id, local_label, matched_on)| LinkSuggestion {
                staged_id: staged.id,
                label: staged.label.clone(),
                local_id,
                local_label,
                matched_on: matched_on.to_owned(),
            }),
        )
    }

    fn find(&self, sql: &str, value: &str) -> rusqlite::Result<Option<(i64, String)>> {
        self.tx
            .prepare_cached(&format!("{sql} ORDER BY id LIMIT 1"))?
            .query_row(params![self.integration_id, value], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
    }
}

/// The payload fields that name another record by its id at the source.
mod reference {
    pub(super) const CUSTOMER: &str = "customer_external_id";
    pub(super) const EMPLOYEE: &str = "employee_external_id";
    pub(super) const JOB: &str = "job_external_id";
    pub(super) const TASK: &str = "task_external_id";
    pub(super) const PAY_ITEM: &str = "pay_item_external_id";
}

/// A local record's draft, of whichever kind.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Draft {
    Employee(EmployeeDraft),
    Customer(CustomerDraft),
    Job(JobDraft),
    Task(TaskDraft),
    TimeEntry(TimeEntryDraft),
    Budget(BudgetDraft),
    PayItem(PayIdDraft),
}

impl Draft {
    pub(super) fn to_value(&self) -> Value {
        let value = match self {
            Draft::Employee(d) => serde_json::to_value(d),
            Draft::Customer(d) => serde_json::to_value(d),
            Draft::Job(d) => serde_json::to_value(d),
            Draft::Task(d) => serde_json::to_value(d),
            Draft::TimeEntry(d) => serde_json::to_value(d),
            Draft::Budget(d) => serde_json::to_value(d),
            Draft::PayItem(d) => serde_json::to_value(d),
        };
        value.unwrap_or(Value::Null)
    }

    pub(super) fn from_value(module: Module, value: Value) -> Result<Draft> {
        let bad = |e: serde_json::Error| {
            Error::Internal(format!("a merged record could not be read back: {e}"))
        };
        Ok(match module {
            Module::Employees => Draft::Employee(serde_json::from_value(value).map_err(bad)?),
            Module::Customers => Draft::Customer(serde_json::from_value(value).map_err(bad)?),
            Module::Jobs => Draft::Job(serde_json::from_value(value).map_err(bad)?),
            Module::Tasks => Draft::Task(serde_json::from_value(value).map_err(bad)?),
            Module::TimeEntries => Draft::TimeEntry(serde_json::from_value(value).map_err(bad)?),
            Module::Budgets => Draft::Budget(serde_json::from_value(value).map_err(bad)?),
            Module::PayItems => Draft::PayItem(serde_json::from_value(value).map_err(bad)?),
        })
    }
}

pub(super) fn kind_of(module: Module) -> RecordKind {
    match module {
        Module::Employees => RecordKind::Employee,
        Module::Customers => RecordKind::Customer,
        Module::Jobs => RecordKind::Job,
        Module::Tasks => RecordKind::Task,
        Module::TimeEntries => RecordKind::TimeEntry,
        Module::Budgets => RecordKind::Budget,
        Module::PayItems => RecordKind::PayId,
    }
}

pub(super) fn create(
    tx: &Transaction<'_>,
    module: Module,
    draft: &Draft,
    source: &NewRecordSource,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64> {
    use records::insert_record as insert;
    use records::{budgets, customers, employees, jobs, pay_ids, tasks, time_entries};
    let _ = module;
    // Checked like a record made by hand; logged once for the whole import.
    match draft {
        Draft::Employee(d) => insert::<employees::Employees>(tx, d, source, actor, now),
        Draft::Customer(d) => insert::<customers::Customers>(tx, d, source, actor, now),
        Draft::Job(d) => insert::<jobs::Jobs>(tx, d, source, actor, now),
        Draft::Task(d) => insert::<tasks::Tasks>(tx, d, source, actor, now),
        Draft::TimeEntry(d) => insert::<time_entries::TimeEntries>(tx, d, source, actor, now),
        Draft::Budget(d) => insert::<budgets::Budgets>(tx, d, source, actor, now),
        Draft::PayItem(d) => insert::<pay_ids::PayIds>(tx, d, source, actor, now),
    }
}

pub(super) fn update(
    tx: &Transaction<'_>,
    module: Module,
    id: i64,
    draft: &Draft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let _ = module;
    match draft {
        Draft::Employee(d) => drop(records::employees::update(tx, id, d, actor, now)?),
        Draft::Customer(d) => drop(records::customers::update(tx, id, d, actor, now)?),
        Draft::Job(d) => drop(records::jobs::update(tx, id, d, actor, now)?),
        Draft::Task(d) => drop(records::tasks::update(tx, id, d, actor, now)?),
        Draft::TimeEntry(d) => drop(records::time_entries::update(tx, id, d, actor, now)?),
        Draft::Budget(d) => drop(records::budgets::update(tx, id, d, actor, now)?),
        Draft::PayItem(d) => {
            // A built-in pay ID (the local SICK a source's Sick is linked
            // to) keeps its code and category: payroll relies on them.
            let local = records::pay_ids::get(tx, id)?;
            let draft = if local.builtin {
                PayIdDraft {
                    code: local.code,
                    category: local.category,
                    ..d.clone()
                }
            } else {
                d.clone()
            };
            drop(records::pay_ids::update(tx, id, &draft, actor, now)?)
        }
    }
    Ok(())
}

pub(super) fn set_active(
    tx: &Transaction<'_>,
    module: Module,
    id: i64,
    active: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    match module {
        Module::Employees => drop(records::employees::set_active(tx, id, active, actor, now)?),
        Module::Customers => drop(records::customers::set_active(tx, id, active, actor, now)?),
        Module::Jobs => drop(records::jobs::set_active(tx, id, active, actor, now)?),
        Module::Tasks => drop(records::tasks::set_active(tx, id, active, actor, now)?),
        Module::TimeEntries => drop(records::time_entries::set_active(
            tx, id, active, actor, now,
        )?),
        Module::Budgets => drop(records::budgets::set_active(tx, id, active, actor, now)?),
        Module::PayItems => drop(records::pay_ids::set_active(tx, id, active, actor, now)?),
    }
    Ok(())
}

pub(super) fn local_draft(tx: &Transaction<'_>, module: Module, id: i64) -> Result<Draft> {
    use records::{budgets, customers, employees, jobs, pay_ids, tasks, time_entries};
    Ok(match module {
        Module::Employees => {
            Draft::Employee(employees::Employees::draft_of(&employees::get(tx, id)?))
        }
        Module::Customers => {
            Draft::Customer(customers::Customers::draft_of(&customers::get(tx, id)?))
        }
        Module::Jobs => Draft::Job(jobs::Jobs::draft_of(&jobs::get(tx, id)?)),
        Module::Tasks => Draft::Task(tasks::Tasks::draft_of(&tasks::get(tx, id)?)),
        Module::TimeEntries => Draft::TimeEntry(time_entries::TimeEntries::draft_of(
            &time_entries::get(tx, id)?,
        )),
        Module::Budgets => Draft::Budget(budgets::Budgets::draft_of(&budgets::get(tx, id)?)),
        Module::PayItems => Draft::PayItem(pay_ids::PayIds::draft_of(&pay_ids::get(tx, id)?)),
    })
}

pub(super) fn local_updated_at(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
) -> rusqlite::Result<DateTime<Utc>> {
    tx.prepare_cached(&format!(
        "SELECT updated_at FROM {} WHERE id = ?1",
        kind.table()
    ))?
    .query_row([id], |r| time::column(r, "updated_at"))
}

/// Ties a local record to the integration record it was linked with.
pub(super) fn set_source(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: i64,
    integration_id: i64,
    external_id: &str,
) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE {} SET source_kind = 'imported', source_integration_id = ?2, source_external_id = ?3 WHERE id = ?1",
            kind.table()
        ),
        params![id, integration_id, external_id],
    )
    .map_err(|e| records::map_unique(e, "link"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_reference_the_draft_resolves_is_a_field_of_its_payload() {
        let references = [
            (Module::Jobs, reference::CUSTOMER),
            (Module::Tasks, reference::JOB),
            (Module::Tasks, reference::PAY_ITEM),
            (Module::TimeEntries, reference::EMPLOYEE),
            (Module::TimeEntries, reference::JOB),
            (Module::TimeEntries, reference::TASK),
            (Module::TimeEntries, reference::PAY_ITEM),
            (Module::Budgets, reference::JOB),
            (Module::Budgets, reference::TASK),
        ];
        let span = json!({"kind": "manual", "date": "2026-11-02", "duration_seconds": 3600});
        for (module, field) in references {
            let data = json!({field: "x-1", "span": span});
            let payload = StagedPayload::read(module, &data).expect("readable");
            assert_eq!(
                payload.to_data()[field],
                "x-1",
                "{module:?} resolves `{field}`, which its payload must keep: a renamed field would import no reference"
            );
        }
    }
}
