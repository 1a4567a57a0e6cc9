//! The bonus arithmetic: validation, the pool, and the largest-remainder split.
//!
//! Every operation is checked; an overflow becomes a validation error (the
//! inputs were too large), never a panic.

use std::cmp::Ordering;
use std::collections::HashSet;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{BonusInput, BonusOutcome, CrewWorker, LossPolicy, SplitMethod, WorkerBonus};
use crate::error::{Error, Result};
use crate::validate::Checks;

const SECONDS_PER_HOUR: i64 = 3600;

/// A job's crew bonus: the pool, the loss carried out, and each worker's part.
///
/// The rules are in the [module documentation](super). Fails with a
/// validation error, naming every bad field, when the input is not valid: a
/// share outside 0–100 %, a negative budget, cap, carried-in loss, seconds or
/// wage, an employee listed twice, no workers, or no hours worked at all; or
/// when the amounts are too large to compute.
pub fn compute(input: &BonusInput) -> Result<BonusOutcome> {
    validate(input)?;
    let plan = &input.plan;

    let mut worked_seconds: i64 = 0;
    let mut wage_seconds = Decimal::ZERO;
    for worker in &input.workers {
        worked_seconds = worked_seconds
            .checked_add(worker.seconds)
            .ok_or_else(too_large)?;
        wage_seconds = add(
            wage_seconds,
            mul(
                Decimal::from(worker.wage_cents_per_hour),
                Decimal::from(worker.seconds),
            )?,
        )?;
    }
    let saved_seconds = input
        .budget_seconds
        .checked_sub(worked_seconds)
        .ok_or_else(too_large)?;

    // One division per amount, from exact products: saved seconds × Σ(wage ×
    // seconds) / (Σ seconds × 3600) is saved hours × the average wage.
    let worked = Decimal::from(worked_seconds);
    let worked_hour_seconds = mul(worked, Decimal::from(SECONDS_PER_HOUR))?;
    let value_numerator = mul(Decimal::from(saved_seconds), wage_seconds)?;
    let average_wage = div(wage_seconds, worked)?;
    let saved_value = div(value_numerator, worked_hour_seconds)?;
    let crew_share = div(
        mul(value_numerator, plan.share_percent)?,
        mul(worked_hour_seconds, Decimal::ONE_HUNDRED)?,
    )?;

    let is_loss = crew_share < Decimal::ZERO;
    let (own, loss_absorbed_cents) = match plan.loss_policy {
        LossPolicy::Absorb if is_loss => (Decimal::ZERO, cents(-crew_share)?),
        _ => (crew_share, 0),
    };
    let net = sub(own, Decimal::from(input.carried_in_loss_cents))?;
    let loss_carried_out_cents = cents((-net).max(Decimal::ZERO))?;
    let pool_before_cap_cents = cents(net.max(Decimal::ZERO))?;
    let (pool_cents, capped) = match plan.cap_cents {
        Some(cap) if pool_before_cap_cents > cap => (cap, true),
        _ => (pool_before_cap_cents, false),
    };

    Ok(BonusOutcome {
        worked_seconds,
        saved_seconds,
        average_wage_cents_per_hour: average_wage.normalize(),
        saved_value_cents: saved_value.normalize(),
        crew_share_cents: crew_share.normalize(),
        after_carried_loss_cents: net.normalize(),
        loss_absorbed_cents,
        pool_before_cap_cents,
        capped,
        pool_cents,
        loss_carried_out_cents,
        workers: split(pool_cents, plan.split, &input.workers)?,
    })
}

/// Every problem with the input at once, so a form can mark them all.
fn validate(input: &BonusInput) -> Result<()> {
    let mut checks = Checks::default();
    let plan = &input.plan;
    if plan.share_percent < Decimal::ZERO || plan.share_percent > Decimal::ONE_HUNDRED {
        checks.problem(
            "plan.share_percent",
            format!(
                "The crew's share must be from 0 to 100 % (it is {} %).",
                plan.share_percent
            ),
        );
    }
    if plan.cap_cents.is_some_and(|cap| cap < 0) {
        checks.problem(
            "plan.cap_cents",
            "The cap cannot be negative. Leave it empty for no cap.",
        );
    }
    if input.budget_seconds < 0 {
        checks.problem("budget_seconds", "Budgeted hours cannot be negative.");
    }
    if input.carried_in_loss_cents < 0 {
        checks.problem(
            "carried_in_loss_cents",
            "A carried-in loss is entered as a positive amount, or 0 for none.",
        );
    }
    if input.workers.is_empty() {
        checks.problem(
            "workers",
            "Add the crew: a bonus needs at least one worker.",
        );
    }
    let mut seen = HashSet::with_capacity(input.workers.len());
    for (n, worker) in input.workers.iter().enumerate() {
        if worker.seconds < 0 {
            checks.problem(
                &format!("workers[{n}].seconds"),
                format!(
                    "Employee {}'s hours cannot be negative.",
                    worker.employee_id
                ),
            );
        }
        if worker.wage_cents_per_hour < 0 {
            checks.problem(
                &format!("workers[{n}].wage_cents_per_hour"),
                format!("Employee {}'s wage cannot be negative.", worker.employee_id),
            );
        }
        if !seen.insert(worker.employee_id) {
            checks.problem(
                &format!("workers[{n}].employee_id"),
                format!(
                    "Employee {} is in the crew twice. List each worker once, with all their hours.",
                    worker.employee_id
                ),
            );
        }
    }
    if !input.workers.is_empty() && input.workers.iter().all(|w| w.seconds <= 0) {
        checks.problem(
            "workers",
            "No worker has hours on this job, so there is nothing to measure against the budget.",
        );
    }
    checks.finish()
}

/// The pool in whole cents, by the largest-remainder method (see the module
/// documentation): the amounts sum to `pool_cents` exactly.
fn split(pool_cents: i64, method: SplitMethod, workers: &[CrewWorker]) -> Result<Vec<WorkerBonus>> {
    let weights = workers
        .iter()
        .map(|worker| weight(method, worker))
        .collect::<Result<Vec<_>>>()?;
    let total = weights
        .iter()
        .try_fold(Decimal::ZERO, |sum, weight| add(sum, *weight))?;
    let mut parts = Vec::with_capacity(workers.len());
    if total.is_zero() {
        // Only when every weight is 0 (wages of 0 under `ByWageHours`); the
        // saved value, and so the pool, is 0 then too.
        if pool_cents != 0 {
            return Err(Error::Internal(format!(
                "a bonus pool of {pool_cents} cents had no one to go to"
            )));
        }
        for (worker, weight) in workers.iter().zip(weights) {
            parts.push(part(worker, weight, Decimal::ZERO, 0));
        }
        return Ok(parts);
    }

    let pool = Decimal::from(pool_cents);
    // (remainder, employee id, index): all remainders are over `total`, so
    // comparing them compares the fractional parts exactly.
    let mut remainders = Vec::with_capacity(workers.len());
    let mut handed_out: i64 = 0;
    for (index, (worker, weight)) in workers.iter().zip(weights).enumerate() {
        let quota = mul(pool, weight)?;
        let remainder = quota.checked_rem(total).ok_or_else(too_large)?;
        // Exact: quota − remainder is a multiple of total.
        let floor = whole_cents(div(sub(quota, remainder)?, total)?)?;
        handed_out = handed_out.checked_add(floor).ok_or_else(too_large)?;
        if !remainder.is_zero() {
            remainders.push((remainder, worker.employee_id, index));
        }
        parts.push(part(worker, weight, div(weight, total)?.normalize(), floor));
    }

    let left = pool_cents.checked_sub(handed_out).ok_or_else(too_large)?;
    let left = usize::try_from(left)
        .ok()
        .filter(|left| *left <= remainders.len())
        .ok_or_else(|| {
            Error::Internal(format!(
                "splitting {pool_cents} cents left {left} over for {} workers",
                remainders.len()
            ))
        })?;
    remainders.sort_unstable_by(|a, b| match b.0.cmp(&a.0) {
        Ordering::Equal => a.1.cmp(&b.1),
        larger_first => larger_first,
    });
    for &(_, _, index) in remainders.iter().take(left) {
        if let Some(part) = parts.get_mut(index) {
            part.amount_cents += 1;
        }
    }
    Ok(parts)
}

fn weight(method: SplitMethod, worker: &CrewWorker) -> Result<Decimal> {
    let seconds = Decimal::from(worker.seconds);
    Ok(match method {
        SplitMethod::ByHours => seconds,
        SplitMethod::ByWageHours => mul(Decimal::from(worker.wage_cents_per_hour), seconds)?,
        SplitMethod::Equal if worker.seconds > 0 => Decimal::ONE,
        SplitMethod::Equal => Decimal::ZERO,
    })
}

fn part(worker: &CrewWorker, weight: Decimal, fraction: Decimal, amount_cents: i64) -> WorkerBonus {
    WorkerBonus {
        employee_id: worker.employee_id,
        seconds: worker.seconds,
        wage_cents_per_hour: worker.wage_cents_per_hour,
        weight,
        fraction,
        amount_cents,
    }
}

/// An exact amount rounded once to whole cents, half a cent away from zero.
fn cents(amount: Decimal) -> Result<i64> {
    whole_cents(amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
}

fn whole_cents(amount: Decimal) -> Result<i64> {
    i64::try_from(amount).map_err(|_| too_large())
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(too_large)
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(too_large)
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(too_large)
}

/// Division; the divisors here are never 0 (validation sees to that), so
/// `None` means an overflow.
fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_div(b).ok_or_else(too_large)
}

fn too_large() -> Error {
    Error::invalid(
        "workers",
        "These hours, wages or amounts are too large to compute a bonus from. \
         Check the budget, the crew's hours and wages, and the carried-in loss for a mistyped value.",
    )
}
