//! Crew bonuses on the command line: `timebridge bonus plans|plan-save|add|
//! list|show|approve|mark-paid|statement`.

use std::str::FromStr;

use chrono::Utc;
use clap::{Args, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use timebridge_core::audit::Actor;
use timebridge_core::bonus::crews::{self, Bonus, BonusState, NewBonus};
use timebridge_core::bonus::plans::{self, PlanDraft};
use timebridge_core::bonus::statement::{self, dollars};
use timebridge_core::bonus::{BonusPlan, LossPolicy, SplitMethod};
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::pay_ids::{self, PayCategory, PayIdDraft};
use timebridge_core::rusqlite::{Connection, OptionalExtension};
use timebridge_core::{Error, Store};

use crate::costing::find_job;
use crate::integrations::to_json;
use crate::table::Table;

#[derive(Debug, Subcommand)]
pub enum BonusCommand {
    /// The bonus plans.
    Plans,
    /// Save a bonus plan (a new one, or new rules for the plan of that name).
    PlanSave(PlanArgs),
    /// Set up a bonus of a plan on a job (or one of its tasks).
    Add(AddArgs),
    /// Every bonus: open ones projected from the time so far, then approved
    /// and paid.
    List,
    /// One bonus with its working and each worker's share.
    Show { id: i64 },
    /// Approve an open bonus: its figures are frozen, to be paid with the
    /// pay period of today.
    Approve { id: i64 },
    /// Mark an approved bonus paid outside Timebridge: entered by hand on
    /// the paychecks of a payroll that takes no amounts (QuickBooks
    /// Desktop). No payroll target receives it after this.
    MarkPaid {
        id: i64,
        /// Where it was paid, e.g. "Added to the Dec 12 paychecks in QuickBooks".
        #[arg(long)]
        note: String,
    },
    /// Each worker's statement as a PDF, a page each.
    Statement {
        id: i64,
        /// The PDF to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// One employee's statement only (their id or employee number).
        #[arg(long)]
        employee: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Split {
    ByHours,
    ByWageHours,
    Equal,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Loss {
    Carry,
    Absorb,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    name: String,
    /// The crew's share of the saved value, in percent (0 to 100).
    #[arg(long)]
    share: String,
    #[arg(long, value_enum, default_value = "by-hours")]
    split: Split,
    /// The most the crew pool can be, in dollars.
    #[arg(long)]
    cap: Option<String>,
    /// What a job over budget does: carry the crew's share of the loss to
    /// the plan's next job, or absorb it.
    #[arg(long, value_enum, default_value = "absorb")]
    loss: Loss,
    /// The pay ID the bonuses are paid as (its code, e.g. BONUS); made as an
    /// "other" pay ID if there is none of that code.
    #[arg(long)]
    pay_id: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The plan, by name.
    #[arg(long)]
    plan: String,
    /// The job: its id, job number or name.
    #[arg(long)]
    job: String,
    /// One task of the job, by its code.
    #[arg(long)]
    task: Option<String>,
    /// The hours it is measured against (default: the job's budget).
    #[arg(long)]
    budget_hours: Option<String>,
}

fn decimal(field: &str, text: &str, what: &str) -> Result<Decimal, Error> {
    Decimal::from_str(text.trim().trim_start_matches('$').trim_end_matches('%'))
        .map_err(|_| Error::invalid(field, format!("“{text}” is not {what}.")))
}

fn cents(field: &str, text: &str) -> Result<i64, Error> {
    let amount = decimal(field, text, "an amount of dollars, such as 500 or 499.99")?;
    i64::try_from((amount * Decimal::ONE_HUNDRED).round())
        .map_err(|_| Error::invalid(field, format!("“{text}” is too large.")))
}

fn task_of(conn: &Connection, job_id: i64, code: &str) -> Result<i64, Error> {
    conn.query_row(
        "SELECT id FROM tasks WHERE code = ?1 COLLATE NOCASE AND (job_id = ?2 OR job_id IS NULL)
         ORDER BY job_id IS NULL LIMIT 1",
        (code.trim(), job_id),
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("The job has no task with the code “{code}”.")))
}

fn state(s: BonusState) -> &'static str {
    match s {
        BonusState::Open => "open",
        BonusState::Approved => "approved",
        BonusState::Paid => "paid",
    }
}

fn hours(seconds: i64) -> String {
    format!("{:.2}", seconds as f64 / 3600.0)
}

fn shown(bonus: &Bonus) -> String {
    let mut out = format!(
        "Bonus {} ({}): “{}” on {}{}\n",
        bonus.id,
        state(bonus.state),
        bonus.plan,
        bonus.job,
        bonus
            .task
            .as_deref()
            .map(|t| format!(", {t}"))
            .unwrap_or_default()
    );
    if let Some(o) = &bonus.outcome {
        out.push_str(&format!(
            "Budget {} h, worked {} h, saved {} h; crew pool {}{}{}\n",
            hours(bonus.budget_seconds.unwrap_or_default()),
            hours(o.worked_seconds),
            hours(o.saved_seconds),
            dollars(o.pool_cents),
            if o.capped { " (capped)" } else { "" },
            if o.loss_carried_out_cents > 0 {
                format!(
                    "; {} loss carries to the next job",
                    dollars(o.loss_carried_out_cents)
                )
            } else {
                String::new()
            }
        ));
    }
    if let Some(problem) = &bonus.problem {
        out.push_str(problem);
        out.push('\n');
    }
    match (bonus.state, bonus.approved_on, &bonus.paid_through) {
        (BonusState::Approved, Some(day), _) => out.push_str(&format!(
            "Approved {day}: paid with the pay period of that day when it is published.\n"
        )),
        (BonusState::Paid, _, Some(how)) => out.push_str(&format!("Paid. {how}.\n")),
        _ => {}
    }
    let mut table = Table::new(["Employee", "Hours", "Wage", "Bonus"]).numbers_from(1);
    for w in &bonus.workers {
        table.row([
            w.name.clone(),
            hours(w.seconds),
            format!("{}/h", dollars(w.wage_cents_per_hour)),
            dollars(w.amount_cents),
        ]);
    }
    out.push_str(&table.render());
    out
}

pub fn run(store: &Store, command: BonusCommand, json: bool) -> Result<String, Error> {
    let (actor, now) = (Actor::cli(), Utc::now());
    match command {
        BonusCommand::Plans => {
            let all = store.read(plans::list)?;
            if json {
                return to_json(all);
            }
            if all.is_empty() {
                return Ok(
                    "No bonus plans yet. Save one with `timebridge bonus plan-save NAME \
                           --share 50 --pay-id BONUS`."
                        .into(),
                );
            }
            let mut table = Table::new(["ID", "Plan", "Share", "Split", "Cap", "Loss", "Pay ID"]);
            for p in all {
                table.row([
                    p.id.to_string(),
                    p.name,
                    format!("{} %", p.rules.share_percent),
                    format!("{:?}", p.rules.split),
                    p.rules.cap_cents.map(dollars).unwrap_or_default(),
                    format!("{:?}", p.rules.loss_policy),
                    p.pay_code,
                ]);
            }
            Ok(table.render())
        }
        BonusCommand::PlanSave(args) => {
            let saved = store.write(|tx| {
                // A pay ID of that code, made (as "other" pay) if the company
                // has none yet.
                let pay = match pay_ids::find_by_code(tx, &args.pay_id)? {
                    Some(pay) => pay,
                    None => pay_ids::create(
                        tx,
                        &PayIdDraft {
                            code: args.pay_id.trim().to_uppercase(),
                            name: "Production bonus".into(),
                            category: PayCategory::Other,
                            multiplier: 1.0,
                        },
                        &NewRecordSource::Manual,
                        &actor,
                        now,
                    )?,
                };
                let draft = PlanDraft {
                    id: plans::find(tx, &args.name)?.map(|p| p.id),
                    name: args.name.clone(),
                    rules: BonusPlan {
                        share_percent: decimal("share_percent", &args.share, "a percentage")?,
                        split: match args.split {
                            Split::ByHours => SplitMethod::ByHours,
                            Split::ByWageHours => SplitMethod::ByWageHours,
                            Split::Equal => SplitMethod::Equal,
                        },
                        cap_cents: args
                            .cap
                            .as_deref()
                            .map(|c| cents("cap_cents", c))
                            .transpose()?,
                        loss_policy: match args.loss {
                            Loss::Carry => LossPolicy::Carry,
                            Loss::Absorb => LossPolicy::Absorb,
                        },
                    },
                    pay_id: pay.id,
                };
                plans::save(tx, &draft, &actor, now)
            })?;
            if json {
                return to_json(saved);
            }
            Ok(format!(
                "Saved the bonus plan “{}” (id {}): {} % of the saved value to the crew, paid as {}.",
                saved.name, saved.id, saved.rules.share_percent, saved.pay_code
            ))
        }
        BonusCommand::Add(args) => {
            let bonus = store.write(|tx| {
                let plan = plans::find(tx, &args.plan)?.ok_or_else(|| {
                    Error::NotFound(format!(
                        "No bonus plan is called “{}”. `timebridge bonus plans` lists them.",
                        args.plan
                    ))
                })?;
                let job_id = find_job(tx, &args.job)?;
                let task_id = args
                    .task
                    .as_deref()
                    .map(|code| task_of(tx, job_id, code))
                    .transpose()?;
                let budget_seconds = args
                    .budget_hours
                    .as_deref()
                    .map(|h| {
                        let hours = decimal("budget_seconds", h, "a number of hours")?;
                        i64::try_from((hours * Decimal::from(3600)).round()).map_err(|_| {
                            Error::invalid("budget_seconds", format!("“{h}” is too large."))
                        })
                    })
                    .transpose()?;
                crews::create(
                    tx,
                    &NewBonus {
                        plan_id: plan.id,
                        job_id,
                        task_id,
                        budget_seconds,
                    },
                    &actor,
                    now,
                )
            })?;
            if json {
                return to_json(bonus);
            }
            Ok(shown(&bonus))
        }
        BonusCommand::List => {
            let all = store.read(crews::list)?;
            if json {
                return to_json(all);
            }
            if all.is_empty() {
                return Ok(
                    "No bonuses yet. Set one up with `timebridge bonus add --plan P \
                           --job J`."
                        .into(),
                );
            }
            let mut table =
                Table::new(["ID", "State", "Plan", "Job", "Budget h", "Worked h", "Pool"])
                    .numbers_from(4);
            for b in all {
                table.row([
                    b.id.to_string(),
                    state(b.state).to_owned(),
                    b.plan,
                    b.job,
                    b.budget_seconds.map(hours).unwrap_or_default(),
                    b.outcome
                        .as_ref()
                        .map(|o| hours(o.worked_seconds))
                        .unwrap_or_default(),
                    b.outcome
                        .as_ref()
                        .map(|o| dollars(o.pool_cents))
                        .unwrap_or_else(|| "-".into()),
                ]);
            }
            Ok(table.render())
        }
        BonusCommand::Show { id } => {
            let bonus = store.read(|conn| crews::get(conn, id))?;
            if json {
                return to_json(bonus);
            }
            Ok(shown(&bonus))
        }
        BonusCommand::Approve { id } => {
            let bonus = store.write(|tx| crews::approve(tx, id, &actor, now))?;
            if json {
                return to_json(bonus);
            }
            Ok(format!(
                "Approved. {}\nIt is paid with the pay period of {}.",
                shown(&bonus),
                bonus.approved_on.map(|d| d.to_string()).unwrap_or_default()
            ))
        }
        BonusCommand::MarkPaid { id, note } => {
            let bonus = store
                .write(|tx| timebridge_core::bonus::pay::mark_paid(tx, id, &note, &actor, now))?;
            if json {
                return to_json(bonus);
            }
            Ok(format!("Marked paid. {}", shown(&bonus)))
        }
        BonusCommand::Statement { id, out, employee } => {
            let pages = store.read(|conn| {
                let employee_id = employee
                    .as_deref()
                    .map(|e| crate::costing::find_employee(conn, e))
                    .transpose()?;
                let bonus = crews::get(conn, id)?;
                let rules = plans::get(conn, bonus.plan_id)?.rules;
                statement::statements(&bonus, rules.share_percent, rules.split, employee_id)
            })?;
            let path = if out.is_absolute() {
                out
            } else {
                std::env::current_dir()
                    .map_err(|e| Error::io("finding the current folder", e))?
                    .join(out)
            };
            timebridge_core::payroll::files::save_to(&path, &statement::pdf(&pages))?;
            Ok(format!(
                "Wrote {} statement{} to {}.",
                pages.len(),
                if pages.len() == 1 { "" } else { "s" },
                path.display()
            ))
        }
    }
}
