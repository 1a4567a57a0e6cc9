//! A Sage 300 CRE integration as a payroll target: its lists as synced
//! (the integration's staged records), the Sage keys each payroll line
//! names, and why a line cannot go to Sage.
//!
//! Staged external ids are Sage's keys joined by [`SEPARATOR`] (the
//! connector builds them with these functions): an employee's is its
//! number; a job's its job, an extra's `job~extra`; a cost code's
//! `job~extra~cost code` (the extra empty when none), a category's the cost
//! code's id `~category`. A line's Sage keys are read back from the ids of
//! the records it is matched to; a line is refused when Sage does not have
//! (or has inactive) its employee, job or extra, the cost code or category
//! for that job, or its pay ID.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};
use serde_json::Value;

use crate::error::Result;

/// What separates Sage's keys in a staged external id.
pub const SEPARATOR: char = '~';

/// The id of job `job`'s extra `extra` (the job's own id when none).
pub fn job_key(job: &str, extra: &str) -> String {
    if extra.is_empty() {
        job.to_owned()
    } else {
        format!("{job}{SEPARATOR}{extra}")
    }
}

/// The id of a cost code of a job (and extra).
pub fn cost_code_key(job: &str, extra: &str, cost_code: &str) -> String {
    format!("{job}{SEPARATOR}{extra}{SEPARATOR}{cost_code}")
}

/// The id of a category of a cost code.
pub fn category_key(job: &str, extra: &str, cost_code: &str, category: &str) -> String {
    format!(
        "{}{SEPARATOR}{category}",
        cost_code_key(job, extra, cost_code)
    )
}

/// The keys of one Import Time line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SageKeys {
    pub employee: String,
    pub job: String,
    pub extra: String,
    pub cost_code: String,
    pub category: String,
    pub pay_id: String,
}

#[derive(Debug, Clone)]
struct Job {
    job: String,
    active: bool,
}

#[derive(Debug, Clone)]
struct Task {
    job_key: String,
    code: String,
    active: bool,
}

/// A Sage 300 CRE integration's lists, as last synced (records removed at
/// the source left out).
#[derive(Debug, Default)]
pub struct SageLists {
    employees: HashMap<String, bool>,
    jobs: HashMap<String, Job>,
    /// Jobs kept by extras.
    with_extras: HashSet<String>,
    tasks: HashMap<String, Task>,
    pay_ids: HashMap<String, bool>,
}

fn text(data: &Value, field: &str) -> String {
    data.get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The lists synced from integration `id`.
pub fn lists(conn: &Connection, id: i64) -> Result<SageLists> {
    let mut statement = conn.prepare_cached(
        "SELECT module, external_id, data FROM staged_records
         WHERE integration_id = ?1 AND removed_at_source = 0
           AND module IN ('employees', 'jobs', 'tasks', 'pay_items')",
    )?;
    let rows = statement.query_map(params![id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut lists = SageLists::default();
    for row in rows {
        let (module, external_id, data) = row?;
        let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
        let active = data.get("active") != Some(&Value::Bool(false));
        match module.as_str() {
            "employees" => drop(lists.employees.insert(external_id, active)),
            "jobs" => {
                let job = text(&data, "job_number");
                if external_id != job {
                    lists.with_extras.insert(job.clone());
                }
                lists.jobs.insert(external_id, Job { job, active });
            }
            "tasks" => drop(lists.tasks.insert(
                external_id,
                Task {
                    job_key: text(&data, "job_external_id"),
                    code: text(&data, "code"),
                    active,
                },
            )),
            _ => drop(lists.pay_ids.insert(external_id, active)),
        }
    }
    Ok(lists)
}

impl SageLists {
    /// Nothing was synced from the integration yet.
    pub fn is_empty(&self) -> bool {
        self.employees.is_empty() && self.jobs.is_empty()
    }

    /// The Sage keys of a line matched to these records (`employee`, `job`,
    /// `task`: the staged ids; `pay_id`: the Sage pay ID it is sent as), or
    /// what Sage lacks and what to do, in words.
    pub fn keys(
        &self,
        employee: Option<&str>,
        job: Option<&str>,
        task: Option<&str>,
        pay_id: &str,
    ) -> std::result::Result<SageKeys, String> {
        let sync = "then sync Sage 300 CRE and publish again";
        let mut keys = SageKeys {
            pay_id: pay_id.to_owned(),
            ..SageKeys::default()
        };
        let employee = employee.ok_or_else(|| {
            "the employee is not matched to a Sage employee: match them under Matching".to_owned()
        })?;
        match self.employees.get(employee) {
            None => {
                return Err(format!(
                    "Sage 300 CRE has no employee {employee}: add them in Sage (Payroll → Employees), {sync}"
                ));
            }
            Some(false) => {
                return Err(format!(
                    "employee {employee} is inactive in Sage 300 CRE: make them active in Sage, {sync}"
                ));
            }
            Some(true) => keys.employee = employee.to_owned(),
        }
        match self.pay_ids.get(pay_id) {
            None => {
                return Err(format!(
                    "Sage 300 CRE has no pay ID {pay_id}: map the pay ID to one of Sage's under Pay item mapping"
                ));
            }
            Some(false) => {
                return Err(format!(
                    "pay ID {pay_id} is inactive in Sage 300 CRE: map the pay ID to another under Pay item mapping"
                ));
            }
            Some(true) => {}
        }
        let job_key = match job {
            None if task.is_some() => {
                return Err(
                    "it has a cost code but no job, and Sage posts a cost code to a job: match its job under Matching"
                        .to_owned(),
                );
            }
            None => return Ok(keys),
            Some(key) => key,
        };
        let found = self.jobs.get(job_key).ok_or_else(|| {
            format!("Sage 300 CRE has no job (or extra) {job_key}: add it in Job Cost, {sync}")
        })?;
        if !found.active {
            return Err(format!(
                "job {} is closed in Sage 300 CRE: reopen it in Job Cost, or match the job to another",
                found.job
            ));
        }
        if job_key == found.job && self.with_extras.contains(&found.job) {
            return Err(format!(
                "job {} keeps its time by extra in Sage 300 CRE: match the job to one of its extras under Matching",
                found.job
            ));
        }
        keys.job = found.job.clone();
        keys.extra = job_key
            .strip_prefix(&format!("{}{SEPARATOR}", found.job))
            .unwrap_or_default()
            .to_owned();
        let Some(task_key) = task else {
            return Ok(keys);
        };
        let matched = self.tasks.get(task_key).ok_or_else(|| {
            format!("Sage 300 CRE has no cost code {task_key}: add it in Job Cost, {sync}")
        })?;
        // The matched record's category, if it is one; the line's own job
        // then says which job's cost code (and category) it is.
        let category = task_key
            .strip_prefix(&format!("{}{SEPARATOR}{}", matched.job_key, matched.code))
            .and_then(|rest| rest.strip_prefix(SEPARATOR))
            .unwrap_or_default();
        let key = if category.is_empty() {
            cost_code_key(&keys.job, &keys.extra, &matched.code)
        } else {
            category_key(&keys.job, &keys.extra, &matched.code, category)
        };
        let named = if category.is_empty() {
            format!("cost code {}", matched.code)
        } else {
            format!("cost code {} category {category}", matched.code)
        };
        match self.tasks.get(&key) {
            None => Err(format!(
                "job {job_key} has no {named} in Sage 300 CRE: add it to the job in Job Cost, {sync}"
            )),
            Some(task) if !task.active => Err(format!(
                "{named} of job {job_key} is inactive in Sage 300 CRE: reopen the job, or match the task to another"
            )),
            Some(_) => {
                keys.cost_code = matched.code.clone();
                keys.category = category.to_owned();
                Ok(keys)
            }
        }
    }
}
