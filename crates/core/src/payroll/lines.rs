//! A period's hours as the lines a target receives (employee, day, job,
//! task, pay ID, hours), named and mapped for that target, and every
//! problem that would stop them or lose something on the way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::HoursReport;
use super::targets::{
    self, Amounts, MatchKind, PayItemBook, RecordMatch, RecordRefs, Target, TargetProfile,
};
use crate::error::Result;

/// One line of payroll, as sent or written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PayrollLine {
    pub employee_id: i64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub job_id: Option<i64>,
    pub task_id: Option<i64>,
    pub pay_id: i64,
    /// May be negative in a correction; 0 on a bonus line.
    pub seconds: i64,
    /// A bonus line's amount in cents (0 on a line of hours); may be
    /// negative in a correction.
    pub cents: i64,
    /// The bonus a line of an amount pays.
    pub bonus_id: Option<i64>,
    /// "First Last".
    pub employee: String,
    pub first_name: String,
    pub last_name: String,
    pub employee_number: Option<String>,
    pub customer: Option<String>,
    pub job: Option<String>,
    pub job_number: Option<String>,
    pub task_code: Option<String>,
    pub task: Option<String>,
    pub pay_code: String,
    /// The target's payroll item, if mapped.
    pub item: Option<String>,
    pub item_external_id: Option<String>,
    /// The target's ids (integration targets only).
    pub employee_ref: Option<String>,
    pub job_ref: Option<String>,
    pub task_ref: Option<String>,
}

impl PayrollLine {
    /// The same for every version of this line: employee, day, job, task
    /// and pay ID (and, for a bonus line, the bonus).
    pub fn key(&self) -> String {
        let key = line_key(
            self.employee_id,
            self.date,
            self.job_id,
            self.task_id,
            self.pay_id,
        );
        match self.bonus_id {
            Some(bonus) => format!("{key}|bonus:{bonus}"),
            None => key,
        }
    }

    /// `Customer:Job`, as QuickBooks names a job.
    pub fn customer_job(&self) -> Option<String> {
        self.job.as_ref().map(|job| match &self.customer {
            Some(customer) => format!("{customer}:{job}"),
            None => job.clone(),
        })
    }

    /// What the target calls the pay ID: its item, else the pay ID's code.
    pub fn item_or_code(&self) -> &str {
        self.item.as_deref().unwrap_or(&self.pay_code)
    }
}

pub fn line_key(
    employee_id: i64,
    date: NaiveDate,
    job_id: Option<i64>,
    task_id: Option<i64>,
    pay_id: i64,
) -> String {
    let or_dash = |id: Option<i64>| id.map_or_else(|| "-".to_owned(), |i| i.to_string());
    format!(
        "{employee_id}|{date}|{}|{}|{pay_id}",
        or_dash(job_id),
        or_dash(task_id)
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Nothing is published or written until it is fixed.
    Blocking,
    /// Published or written anyway, without what it names.
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    PayIdNotMapped,
    EmployeeNotMatched,
    EmployeeNumberMissing,
    NameTooLong,
    JobNumberMissing,
    JobNotMatched,
    TaskNotMatched,
    /// A bonus line's file layout has no column for its amount.
    AmountColumnMissing,
    /// The target takes hours only: a bonus is paid there by hand.
    AmountNotTaken,
}

/// Something wrong with a period's payroll for one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    pub employee_id: Option<i64>,
    pub pay_id: Option<i64>,
    pub job_id: Option<i64>,
    pub task_id: Option<i64>,
    /// The hours it holds up (blocking) or affects (warning).
    pub seconds: i64,
    /// The bonus amounts it holds up or affects.
    pub cents: i64,
}

/// A period's lines for one target, and their problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Prepared {
    pub target: TargetProfile,
    pub lines: Vec<PayrollLine>,
    /// Blocking ones first.
    pub problems: Vec<Problem>,
}

impl Prepared {
    pub fn blocking(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Blocking)
    }

    /// Refuses when anything blocks, naming every blocking problem.
    pub fn ensure_ready(&self) -> Result<()> {
        let blocking: Vec<&Problem> = self.blocking().collect();
        if blocking.is_empty() {
            return Ok(());
        }
        Err(crate::error::Error::Validation(
            blocking
                .iter()
                .map(|p| crate::error::FieldProblem {
                    field: "payroll".into(),
                    message: format!("{} {}", p.message, p.fix),
                })
                .collect(),
        ))
    }
}

fn hours(seconds: i64) -> String {
    format!("{:.2} h", seconds as f64 / 3600.0)
}

/// Matches at an integration target, by local id.
fn settled_refs(
    conn: &Connection,
    target_id: i64,
    kind: MatchKind,
    ids: &BTreeSet<i64>,
) -> Result<HashMap<i64, RecordMatch>> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    Ok(targets::matches(conn, target_id, kind, &ids)?
        .into_iter()
        .map(|m| (m.local_id, m))
        .collect())
}

/// One line before it is named and mapped: hours of the report, or a
/// worker's share of a bonus.
struct Raw {
    employee_id: i64,
    date: NaiveDate,
    job_id: Option<i64>,
    task_id: Option<i64>,
    pay_id: i64,
    seconds: i64,
    cents: i64,
    bonus: Option<(i64, String)>,
}

/// The lines of `report` for `target` (its hours and the bonuses approved
/// in its period), mapped, and their problems.
pub fn prepare(conn: &Connection, report: &HoursReport, target: Target) -> Result<Prepared> {
    let profile = targets::profile(conn, target)?;
    let book: PayItemBook = targets::pay_item_book(conn, target)?;
    let bonuses = crate::bonus::pay::for_period(conn, report.period, &profile.key)?;

    let mut raw: Vec<Raw> = Vec::new();
    for employee in &report.employees {
        raw.extend(employee.hours.lines.iter().map(|line| Raw {
            employee_id: employee.employee_id,
            date: line.date,
            job_id: line.job_id,
            task_id: line.task_id,
            pay_id: line.pay_id,
            seconds: line.seconds,
            cents: 0,
            bonus: None,
        }));
    }
    raw.extend(bonuses.into_iter().map(|b| Raw {
        employee_id: b.employee_id,
        date: b.date,
        job_id: Some(b.job_id),
        task_id: b.task_id,
        pay_id: b.pay_id,
        seconds: 0,
        cents: b.cents,
        bonus: Some((b.bonus_id, b.plan)),
    }));

    let employee_ids: BTreeSet<i64> = raw.iter().map(|l| l.employee_id).collect();
    let names = super::employee_names(conn, &employee_ids)?;
    let job_ids: BTreeSet<i64> = raw.iter().filter_map(|l| l.job_id).collect();
    let task_ids: BTreeSet<i64> = raw.iter().filter_map(|l| l.task_id).collect();
    let pay_ids: BTreeSet<i64> = raw.iter().map(|l| l.pay_id).collect();
    // Bonuses may name jobs, tasks and pay IDs no hours of the period have.
    let jobs = super::job_refs(conn, &job_ids)?;
    let tasks = super::task_refs(conn, &task_ids)?;
    let (_, pay_refs) = super::pay_id_book(conn)?;
    let pay_refs: HashMap<i64, super::PayIdRef> = pay_refs
        .into_iter()
        .filter(|p| pay_ids.contains(&p.id))
        .map(|p| (p.id, p))
        .collect();
    let (employee_refs, job_refs, task_refs) = match target {
        Target::Integration { id } => (
            settled_refs(conn, id, MatchKind::Employee, &employee_ids)?,
            settled_refs(conn, id, MatchKind::Job, &job_ids)?,
            settled_refs(conn, id, MatchKind::Task, &task_ids)?,
        ),
        Target::File { .. } => Default::default(),
    };
    let settled = |refs: &HashMap<i64, RecordMatch>, id: i64| {
        refs.get(&id)
            .filter(|m| m.is_settled())
            .and_then(|m| m.external_id.clone())
    };

    let mut lines = Vec::new();
    // Problems gather their hours and amounts as lines are made.
    let mut problems: BTreeMap<(Severity, ProblemKind, i64, i64), Problem> = BTreeMap::new();
    let mut add = |problem: Problem, line: &Raw, key_id: i64| {
        let entry = problems
            .entry((
                problem.severity,
                problem.kind,
                key_id,
                problem.pay_id.unwrap_or(0),
            ))
            .or_insert(problem);
        entry.seconds += line.seconds.abs();
        entry.cents += line.cents.abs();
    };
    for line in &raw {
        let name = names.get(&line.employee_id);
        let employee_name = name.map_or_else(
            || format!("Employee #{}", line.employee_id),
            super::EmployeeName::full,
        );
        let (first, last) = name
            .map(|n| (n.first.clone(), n.last.clone()))
            .unwrap_or_default();
        let job = line.job_id.and_then(|id| jobs.get(&id));
        let task = line.task_id.and_then(|id| tasks.get(&id));
        let pay = pay_refs.get(&line.pay_id);
        let pay_code = pay.map_or_else(|| format!("#{}", line.pay_id), |p| p.code.clone());
        let mapped = book.item(line.pay_id, line.employee_id);
        let out = PayrollLine {
            employee_id: line.employee_id,
            date: line.date,
            job_id: line.job_id,
            task_id: line.task_id,
            pay_id: line.pay_id,
            seconds: line.seconds,
            cents: line.cents,
            bonus_id: line.bonus.as_ref().map(|(id, _)| *id),
            employee: employee_name.clone(),
            first_name: first.clone(),
            last_name: last.clone(),
            employee_number: name.and_then(|n| n.number.clone()),
            customer: job.and_then(|j| j.parent.clone()),
            job: job.map(|j| j.name.clone()),
            job_number: job.and_then(|j| j.code.clone()),
            task_code: task.and_then(|t| t.code.clone()),
            task: task.map(|t| t.name.clone()),
            pay_code: pay_code.clone(),
            item: mapped.map(|m| m.item.clone()),
            item_external_id: mapped.and_then(|m| m.item_external_id.clone()),
            employee_ref: settled(&employee_refs, line.employee_id),
            job_ref: line.job_id.and_then(|id| settled(&job_refs, id)),
            task_ref: line.task_id.and_then(|id| settled(&task_refs, id)),
        };
        let problem = |severity, kind, message: String, fix: String| Problem {
            severity,
            kind,
            message,
            fix,
            employee_id: Some(line.employee_id),
            pay_id: None,
            job_id: None,
            task_id: None,
            seconds: 0,
            cents: 0,
        };

        if let Some((bonus_id, plan)) = &line.bonus {
            let what = format!(
                "The “{plan}” bonus on {} (bonus {bonus_id})",
                out.job.clone().unwrap_or_default()
            );
            match &profile.amounts {
                Amounts::Taken => {}
                Amounts::NeedsColumn { fix } => {
                    add(
                        Problem {
                            employee_id: None,
                            ..problem(
                                Severity::Blocking,
                                ProblemKind::AmountColumnMissing,
                                format!(
                                    "{} has bonus amounts this period, and its layout has no column for them.",
                                    profile.name
                                ),
                                fix.clone(),
                            )
                        },
                        line,
                        0,
                    );
                }
                Amounts::NotTaken => {
                    add(
                        Problem {
                            employee_id: None,
                            job_id: line.job_id,
                            ..problem(
                                Severity::Warning,
                                ProblemKind::AmountNotTaken,
                                format!(
                                    "{what} is not sent: {} takes hours, not amounts.",
                                    profile.name
                                ),
                                format!(
                                    "Add each worker's share to their paycheck there with payroll item {}, then mark the bonus paid under Bonuses.",
                                    out.item_or_code()
                                ),
                            )
                        },
                        line,
                        *bonus_id,
                    );
                    continue;
                }
            }
        }
        if profile.needs_item && out.item.is_none() {
            let pay_name =
                pay.map_or_else(|| pay_code.clone(), |p| format!("{} ({})", p.code, p.name));
            add(
                Problem {
                    employee_id: None,
                    pay_id: Some(line.pay_id),
                    ..problem(
                        Severity::Blocking,
                        ProblemKind::PayIdNotMapped,
                        format!(
                            "Pay ID {pay_name} is not mapped to a payroll item of {}.",
                            profile.name
                        ),
                        "Pick its payroll item under Pay item mapping.".into(),
                    )
                },
                line,
                0,
            );
        }
        match profile.refs {
            RecordRefs::External => {
                if out.employee_ref.is_none() {
                    let suggestion = employee_refs
                        .get(&line.employee_id)
                        .and_then(|m| m.external_label.clone());
                    add(
                        problem(
                            Severity::Blocking,
                            ProblemKind::EmployeeNotMatched,
                            format!(
                                "{employee_name} has {} but no employee record in {}.",
                                if line.bonus.is_some() {
                                    "a bonus"
                                } else {
                                    "time"
                                },
                                profile.name
                            ),
                            match suggestion {
                                Some(label) => {
                                    format!("Confirm the suggested match “{label}” under Matching.")
                                }
                                None => format!(
                                    "Add {employee_name} in {}, sync it, then match them under Matching.",
                                    profile.name
                                ),
                            },
                        ),
                        line,
                        line.employee_id,
                    );
                }
                if let (Some(job_id), None) = (line.job_id, &out.job_ref) {
                    add(
                        Problem {
                            employee_id: None,
                            job_id: Some(job_id),
                            ..problem(
                                Severity::Warning,
                                ProblemKind::JobNotMatched,
                                format!(
                                    "Job {} is not matched to a job in {}; its hours go without a job.",
                                    out.job.clone().unwrap_or_default(),
                                    profile.name
                                ),
                                "Match it under Matching to send its hours with the job.".into(),
                            )
                        },
                        line,
                        job_id,
                    );
                }
                if let (Some(task_id), None) = (line.task_id, &out.task_ref) {
                    add(
                        Problem {
                            employee_id: None,
                            task_id: Some(task_id),
                            ..problem(
                                Severity::Warning,
                                ProblemKind::TaskNotMatched,
                                format!(
                                    "Task {} is not matched to a task in {}; its hours go without a task.",
                                    out.task.clone().unwrap_or_default(),
                                    profile.name
                                ),
                                "Match it under Matching to send its hours with the task.".into(),
                            )
                        },
                        line,
                        task_id,
                    );
                }
            }
            RecordRefs::Numbers => {
                if out.employee_number.is_none() {
                    add(
                        problem(
                            Severity::Blocking,
                            ProblemKind::EmployeeNumberMissing,
                            format!(
                                "{employee_name} has no employee number, which {} needs.",
                                profile.name
                            ),
                            format!(
                                "Give {employee_name} their employee number under Records › Employees."
                            ),
                        ),
                        line,
                        line.employee_id,
                    );
                }
                if let (Some(job_id), None) = (line.job_id, &out.job_number) {
                    add(
                        Problem {
                            employee_id: None,
                            job_id: Some(job_id),
                            ..problem(
                                Severity::Blocking,
                                ProblemKind::JobNumberMissing,
                                format!(
                                    "Job {} has no job number, which {} needs.",
                                    out.job.clone().unwrap_or_default(),
                                    profile.name
                                ),
                                "Give the job its number under Records › Jobs.".into(),
                            )
                        },
                        line,
                        job_id,
                    );
                }
            }
            RecordRefs::Names => {}
        }
        let limits = profile.limits;
        let too_long =
            |text: &str, max: Option<usize>| max.is_some_and(|max| text.chars().count() > max);
        if profile.refs == RecordRefs::Names {
            let last_first = format!("{last}, {first}");
            if too_long(&last_first, limits.employee) || too_long(&employee_name, limits.employee) {
                add(
                    problem(
                        Severity::Blocking,
                        ProblemKind::NameTooLong,
                        format!(
                            "{employee_name}'s name is longer than the {} characters {} accepts.",
                            limits.employee.unwrap_or_default(),
                            profile.name
                        ),
                        "Shorten it under Records › Employees to the name used there.".into(),
                    ),
                    line,
                    line.employee_id,
                );
            }
            for (label, part, max, kind_id) in [
                ("Customer", out.customer.clone(), limits.job, line.job_id),
                ("Job", out.job.clone(), limits.job, line.job_id),
                ("Task", out.task.clone(), limits.task, line.task_id),
            ] {
                if let Some(part) = part
                    && too_long(&part, max)
                {
                    add(
                        Problem {
                            employee_id: None,
                            job_id: line.job_id,
                            task_id: if label == "Task" { line.task_id } else { None },
                            ..problem(
                                Severity::Blocking,
                                ProblemKind::NameTooLong,
                                format!(
                                    "{label} name “{part}” is longer than the {} characters {} accepts.",
                                    max.unwrap_or_default(),
                                    profile.name
                                ),
                                format!(
                                    "Shorten the {} name under Records to the name used there.",
                                    label.to_lowercase()
                                ),
                            )
                        },
                        line,
                        kind_id.unwrap_or(0),
                    );
                }
            }
        }
        lines.push(out);
    }
    lines.sort_by(|a, b| {
        (
            a.employee.to_lowercase(),
            a.employee_id,
            a.date,
            a.bonus_id,
            a.job_id,
            a.task_id,
            a.pay_id,
        )
            .cmp(&(
                b.employee.to_lowercase(),
                b.employee_id,
                b.date,
                b.bonus_id,
                b.job_id,
                b.task_id,
                b.pay_id,
            ))
    });
    let mut problems: Vec<Problem> = problems.into_values().collect();
    for problem in &mut problems {
        let affected = match (problem.seconds, problem.cents) {
            (seconds, 0) => hours(seconds),
            (0, cents) => crate::bonus::pay::dollars(cents),
            (seconds, cents) => {
                format!("{}, {}", hours(seconds), crate::bonus::pay::dollars(cents))
            }
        };
        problem.message = format!("{} ({affected})", problem.message);
    }
    problems.sort_by_key(|p| (p.severity, p.kind));
    Ok(Prepared {
        target: profile,
        lines,
        problems,
    })
}
