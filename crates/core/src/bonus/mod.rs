//! Crew production bonuses: what a crew earns for finishing a job (or a task)
//! in fewer hours than budgeted, and how that splits among its workers.
//!
//! A pure calculation: [`compute`] takes a [`BonusInput`] (the plan, the
//! budget, the crew's hours and wages, and any loss carried in from the plan's
//! previous job) and returns a [`BonusOutcome`]. Nothing is read or written.
//!
//! Units are the codebase's: durations in `i64` seconds, money in `i64` cents,
//! wages in cents per hour. Inside, all arithmetic is exact decimal
//! ([`Decimal`]), checked: an overflow is an error, never a panic.
//!
//! # The rules
//!
//! 1. **Hours saved.** `saved = budget − worked`, in seconds, where `worked`
//!    is the sum of the workers' seconds. Negative when the crew went over the
//!    budget.
//! 2. **Value of the hours saved.** The saved hours are valued at the crew's
//!    *hours-weighted average wage*, `Σ(wageᵢ × hoursᵢ) / Σ hoursᵢ`:
//!    `saved value = saved hours × average wage`. This is the same as "the
//!    budget hours at the crew's average wage, less the crew's actual labour
//!    cost", since that cost is `worked hours × average wage`. Negative when
//!    the crew went over the budget.
//! 3. **The crew's share.** `crew share = saved value × share %`. A negative
//!    crew share is this job's *loss*: the crew's share of what the overrun
//!    cost, not the whole of it.
//! 4. **Losses.** With [`LossPolicy::Absorb`] this job's loss is absorbed (it
//!    counts as 0 and is reported in `loss_absorbed_cents`). With
//!    [`LossPolicy::Carry`] it stays negative and so carries to the next job.
//! 5. **A loss carried in** (`carried_in_loss_cents`, from the plan's previous
//!    job) is then taken off: `net = crew share − carried-in loss`. This
//!    happens under either policy: the policy decides what happens to *this*
//!    job's loss, and a debt carried in is not forgiven by switching the plan to
//!    absorb (pass 0 to forgive it). When `net` is negative, the pool is 0 and
//!    `−net` carries out to the next job (`loss_carried_out_cents`).
//! 6. **The cap** applies last, to the crew pool: `pool = min(net, cap)`. So a
//!    carried-in loss is taken from the full gain, not from the capped one.
//! 7. **Rounding, once.** Every step above is exact; the pool (and the loss
//!    carried out) are rounded once, to whole cents, half a cent away from zero.
//!    The intermediate amounts in the outcome are reported unrounded.
//! 8. **The split.** The pool is shared in proportion to each worker's weight:
//!    [`SplitMethod::ByHours`] weighs seconds worked,
//!    [`SplitMethod::ByWageHours`] weighs wage × seconds (each worker's labour
//!    cost), [`SplitMethod::Equal`] weighs 1 for every worker *with hours*.
//!    So a worker with no hours gets 0 under every method.
//! 9. **Whole cents that sum to the pool** (the largest-remainder method):
//!    each worker first gets their exact quota rounded down; the cents left
//!    over (fewer than the number of workers) go one each to the workers with
//!    the largest fractional parts. Ties go to the smaller employee id, so the
//!    outcome never depends on the order the workers are listed in. The
//!    amounts always add up to the pool exactly, and none is negative.
//!
//! # A worked example
//!
//! A plan of 50 %, split by hours, no cap, losses carried. The job was
//! budgeted 100 h; three workers worked it:
//!
//! ```text
//! worker (employee id)   hours   wage/h    wage × hours
//! 1                       40     $30.00     $1,200.00
//! 2                       40     $20.00       $800.00
//! 3                       10     $25.00       $250.00
//! total                   90                $2,250.00
//!
//! hours saved      100 h − 90 h               = 10 h
//! average wage     $2,250.00 / 90 h           = $25.00/h
//! saved value      10 h × $25.00/h            = $250.00
//! crew share       $250.00 × 50 %             = $125.00  (the pool: no loss carried in, no cap)
//!
//! split by hours   exact quota                 rounded down   remainder   amount
//! 1                $125.00 × 40/90 = $55.5555   $55.55        50/90       $55.56  (ties with 2; smaller id)
//! 2                $125.00 × 40/90 = $55.5555   $55.55        50/90       $55.55
//! 3                $125.00 × 10/90 = $13.8888   $13.88        80/90       $13.89  (largest remainder)
//!                                                 $124.98   2 cents left  $125.00
//! ```
//!
//! Split by wage × hours instead, the same pool gives $66.67, $44.44 and
//! $13.89; split equally, $41.67, $41.67 and $41.66.
//!
//! Had the job been budgeted 80 h instead, the saved value would be
//! −10 h × $25.00 = −$250.00 and the crew's share of that loss $125.00: the
//! pool is 0, and with `Carry` $125.00 carries to the plan's next job, which
//! pays it off from its own crew share before its cap applies (with `Absorb`
//! nothing carries).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod crews;
pub mod pay;
pub mod plans;
mod rules;
pub mod statement;
#[cfg(test)]
mod tests;

pub use rules::compute;

/// How the crew pool is shared among the workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SplitMethod {
    /// In proportion to the seconds each worked.
    ByHours,
    /// In proportion to wage × seconds: each worker's labour cost on the job.
    ByWageHours,
    /// The same for every worker with hours on the job.
    Equal,
}

/// What happens when the crew goes over the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LossPolicy {
    /// The crew's share of the loss is taken from the plan's next job.
    Carry,
    /// The company absorbs the loss; the crew just gets no bonus.
    Absorb,
}

/// A crew bonus plan, as set up for a job or a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BonusPlan {
    /// The crew's share of the saved value, in percent (50 means 50 %),
    /// from 0 to 100.
    #[ts(type = "string")]
    pub share_percent: Decimal,
    pub split: SplitMethod,
    /// The most the crew pool can be, in cents; `None` for no cap.
    pub cap_cents: Option<i64>,
    pub loss_policy: LossPolicy,
}

/// One worker's time on the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrewWorker {
    pub employee_id: i64,
    /// Seconds worked on the job (or task), 0 or more.
    pub seconds: i64,
    /// The worker's wage, in cents per hour, 0 or more.
    pub wage_cents_per_hour: i64,
}

/// Everything one job's bonus is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BonusInput {
    pub plan: BonusPlan,
    /// The hours the job (or task) was budgeted, in seconds.
    pub budget_seconds: i64,
    /// The crew: at least one worker, each employee once.
    pub workers: Vec<CrewWorker>,
    /// The loss the plan's previous job carried out, in cents (0 or more).
    pub carried_in_loss_cents: i64,
}

/// A job's bonus, with the working that led to it.
///
/// The `Decimal` amounts are exact and unrounded (cents, with a fraction);
/// the `i64` ones are whole cents, each rounded once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BonusOutcome {
    /// The crew's seconds on the job.
    pub worked_seconds: i64,
    /// Budget − worked, in seconds; negative when over the budget.
    pub saved_seconds: i64,
    /// Σ(wage × hours) / Σ hours, in cents per hour.
    #[ts(type = "string")]
    pub average_wage_cents_per_hour: Decimal,
    /// The saved hours at the average wage, in cents; negative for a loss.
    #[ts(type = "string")]
    pub saved_value_cents: Decimal,
    /// The saved value × the plan's share, in cents; negative for a loss.
    #[ts(type = "string")]
    pub crew_share_cents: Decimal,
    /// The crew share (0 if it was a loss the plan absorbs) less the loss
    /// carried in, in cents; negative when a loss carries out.
    #[ts(type = "string")]
    pub after_carried_loss_cents: Decimal,
    /// The crew's share of this job's loss that the plan absorbed (`Absorb`).
    pub loss_absorbed_cents: i64,
    /// The pool before the cap, in cents (0 when there is a loss).
    pub pool_before_cap_cents: i64,
    /// Whether the cap lowered the pool.
    pub capped: bool,
    /// The crew pool, in cents: what the workers' amounts add up to.
    pub pool_cents: i64,
    /// The loss the plan's next job starts from, in cents (0 or more).
    pub loss_carried_out_cents: i64,
    /// Each worker's part, in the order the workers were given.
    pub workers: Vec<WorkerBonus>,
}

/// One worker's part of the crew pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkerBonus {
    pub employee_id: i64,
    pub seconds: i64,
    pub wage_cents_per_hour: i64,
    /// What the split weighs: seconds (`ByHours`), wage × seconds in
    /// cent-seconds per hour (`ByWageHours`), or 1 or 0 (`Equal`).
    #[ts(type = "string")]
    pub weight: Decimal,
    /// This worker's weight over the crew's, from 0 to 1.
    #[ts(type = "string")]
    pub fraction: Decimal,
    /// The worker's bonus, in cents.
    pub amount_cents: i64,
}
