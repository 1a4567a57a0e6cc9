//! Table-driven tests of the bonus rules: gain, loss carried and absorbed,
//! carried-in losses, the cap, each split, rounding, and invalid input.

use rust_decimal::Decimal;

use super::*;
use crate::error::Error;

const HOUR: i64 = 3600;
const SPLITS: [SplitMethod; 3] = [
    SplitMethod::ByHours,
    SplitMethod::ByWageHours,
    SplitMethod::Equal,
];

fn worker(employee_id: i64, hours: i64, wage_cents_per_hour: i64) -> CrewWorker {
    timed(employee_id, hours * HOUR, wage_cents_per_hour)
}

fn timed(employee_id: i64, seconds: i64, wage_cents_per_hour: i64) -> CrewWorker {
    CrewWorker {
        employee_id,
        seconds,
        wage_cents_per_hour,
    }
}

/// The crew of the module documentation's worked example: 90 h at an
/// average of $25.00/h.
fn crew() -> Vec<CrewWorker> {
    vec![
        worker(1, 40, 3000),
        worker(2, 40, 2000),
        worker(3, 10, 2500),
    ]
}

/// A job of [`crew`] budgeted 100 h under a 50 % plan split by hours, no cap,
/// losses carried, nothing carried in: the pool is $125.00.
fn job() -> BonusInput {
    BonusInput {
        plan: BonusPlan {
            share_percent: Decimal::from(50),
            split: SplitMethod::ByHours,
            cap_cents: None,
            loss_policy: LossPolicy::Carry,
        },
        budget_seconds: 100 * HOUR,
        workers: crew(),
        carried_in_loss_cents: 0,
    }
}

fn with(change: impl FnOnce(&mut BonusInput)) -> BonusInput {
    let mut input = job();
    change(&mut input);
    input
}

fn amounts(outcome: &BonusOutcome) -> Vec<i64> {
    outcome.workers.iter().map(|w| w.amount_cents).collect()
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("a decimal literal in a test")
}

struct Expect {
    pool: i64,
    capped: bool,
    carried_out: i64,
    absorbed: i64,
    amounts: &'static [i64],
}

struct Case {
    name: &'static str,
    why: &'static str,
    input: BonusInput,
    expect: Expect,
}

const fn gain(pool: i64, amounts: &'static [i64]) -> Expect {
    Expect {
        pool,
        capped: false,
        carried_out: 0,
        absorbed: 0,
        amounts,
    }
}

fn outcome_cases() -> Vec<Case> {
    use LossPolicy::*;
    use SplitMethod::*;
    vec![
        // Gains and the splits.
        Case {
            name: "gain split by hours",
            why: "10 h saved at the $25.00 average is $250.00, half of it the pool; of the 2 cents \
                  left after rounding down, one goes to the largest remainder (id 3), one to the \
                  smaller id of the tied 1 and 2",
            input: job(),
            expect: gain(12500, &[5556, 5555, 1389]),
        },
        Case {
            name: "gain split by wage × hours",
            why: "weights $1,200 : $800 : $250 give 66.67 / 44.44 / 13.89 (remainders .67, .89 get the cents)",
            input: with(|i| i.plan.split = ByWageHours),
            expect: gain(12500, &[6667, 4444, 1389]),
        },
        Case {
            name: "gain split equally",
            why: "12500 / 3 is 4166 r 2; the two cents go to the smaller ids",
            input: with(|i| i.plan.split = Equal),
            expect: gain(12500, &[4167, 4167, 4166]),
        },
        Case {
            name: "share of 100 %",
            why: "the whole $250.00 saved value is the pool",
            input: with(|i| i.plan.share_percent = Decimal::ONE_HUNDRED),
            expect: gain(25000, &[11111, 11111, 2778]),
        },
        Case {
            name: "share of 0 %",
            why: "a 0 % share leaves nothing to split",
            input: with(|i| i.plan.share_percent = Decimal::ZERO),
            expect: gain(0, &[0, 0, 0]),
        },
        Case {
            name: "fractional share of 33.5 %",
            why: "$250.00 × 33.5 % is $83.75 exactly",
            input: with(|i| i.plan.share_percent = dec("33.5")),
            expect: gain(8375, &[3722, 3722, 931]),
        },
        Case {
            name: "budget exactly met",
            why: "no hours saved and none over: no bonus and no loss",
            input: with(|i| i.budget_seconds = 90 * HOUR),
            expect: gain(0, &[0, 0, 0]),
        },
        // The cap.
        Case {
            name: "cap lowers the pool",
            why: "the $125.00 pool is capped at $100.00",
            input: with(|i| i.plan.cap_cents = Some(10000)),
            expect: Expect {
                capped: true,
                ..gain(10000, &[4445, 4444, 1111])
            },
        },
        Case {
            name: "cap above the pool changes nothing",
            why: "a $200.00 cap does not touch a $125.00 pool",
            input: with(|i| i.plan.cap_cents = Some(20000)),
            expect: gain(12500, &[5556, 5555, 1389]),
        },
        Case {
            name: "cap of zero",
            why: "a $0 cap pays nothing, but no loss carries either",
            input: with(|i| i.plan.cap_cents = Some(0)),
            expect: Expect {
                capped: true,
                ..gain(0, &[0, 0, 0])
            },
        },
        // Losses.
        Case {
            name: "loss carried",
            why: "10 h over budget at $25.00 is a $250.00 loss; the crew's half carries out",
            input: with(|i| i.budget_seconds = 80 * HOUR),
            expect: Expect {
                carried_out: 12500,
                ..gain(0, &[0, 0, 0])
            },
        },
        Case {
            name: "loss absorbed",
            why: "with Absorb the crew's $125.00 share of the loss is absorbed and nothing carries",
            input: with(|i| {
                i.budget_seconds = 80 * HOUR;
                i.plan.loss_policy = Absorb;
            }),
            expect: Expect {
                absorbed: 12500,
                ..gain(0, &[0, 0, 0])
            },
        },
        Case {
            name: "carried-in loss paid off in full",
            why: "$50.00 carried in is taken from the $125.00 share, leaving $75.00 (all three \
                  remainders tie, so the one cent goes to id 1)",
            input: with(|i| i.carried_in_loss_cents = 5000),
            expect: gain(7500, &[3334, 3333, 833]),
        },
        Case {
            name: "carried-in loss paid off in part",
            why: "$200.00 carried in, $125.00 paid off: $75.00 carries on and the pool is 0",
            input: with(|i| i.carried_in_loss_cents = 20000),
            expect: Expect {
                carried_out: 7500,
                ..gain(0, &[0, 0, 0])
            },
        },
        Case {
            name: "carried-in loss equal to the gain",
            why: "the gain pays the carried-in loss exactly: no pool, nothing carries",
            input: with(|i| i.carried_in_loss_cents = 12500),
            expect: gain(0, &[0, 0, 0]),
        },
        Case {
            name: "a new loss adds to the carried-in loss",
            why: "with Carry this job's $125.00 loss joins the $10.00 carried in",
            input: with(|i| {
                i.budget_seconds = 80 * HOUR;
                i.carried_in_loss_cents = 1000;
            }),
            expect: Expect {
                carried_out: 13500,
                ..gain(0, &[0, 0, 0])
            },
        },
        Case {
            name: "absorb does not forgive a carried-in loss",
            why: "Absorb absorbs this job's loss only; the $10.00 carried in still carries on",
            input: with(|i| {
                i.budget_seconds = 80 * HOUR;
                i.carried_in_loss_cents = 1000;
                i.plan.loss_policy = Absorb;
            }),
            expect: Expect {
                carried_out: 1000,
                absorbed: 12500,
                ..gain(0, &[0, 0, 0])
            },
        },
        Case {
            name: "absorb pays a carried-in loss from a gain",
            why: "under Absorb a gain pays off a carried-in loss as under Carry",
            input: with(|i| {
                i.carried_in_loss_cents = 5000;
                i.plan.loss_policy = Absorb;
            }),
            expect: gain(7500, &[3334, 3333, 833]),
        },
        Case {
            name: "carried-in loss is taken before the cap",
            why: "$125.00 − $20.00 = $105.00, then capped at $100.00 (not $100.00 − $20.00)",
            input: with(|i| {
                i.carried_in_loss_cents = 2000;
                i.plan.cap_cents = Some(10000);
            }),
            expect: Expect {
                capped: true,
                ..gain(10000, &[4445, 4444, 1111])
            },
        },
        // Workers without hours, and a crew of one.
        Case {
            name: "zero-hours worker split by hours",
            why: "a worker with no hours weighs nothing and does not move the average wage",
            input: with(|i| i.workers.push(worker(4, 0, 4000))),
            expect: gain(12500, &[5556, 5555, 1389, 0]),
        },
        Case {
            name: "zero-hours worker split by wage × hours",
            why: "wage × 0 hours is 0",
            input: with(|i| {
                i.workers.push(worker(4, 0, 4000));
                i.plan.split = ByWageHours;
            }),
            expect: gain(12500, &[6667, 4444, 1389, 0]),
        },
        Case {
            name: "zero-hours worker split equally",
            why: "Equal shares among the workers with hours only",
            input: with(|i| {
                i.workers.push(worker(4, 0, 4000));
                i.plan.split = Equal;
            }),
            expect: gain(12500, &[4167, 4167, 4166, 0]),
        },
        Case {
            name: "single worker",
            why: "10 h saved at $20.00 is $200.00; the one worker gets the whole half",
            input: with(|i| {
                i.workers = vec![worker(7, 30, 2000)];
                i.budget_seconds = 40 * HOUR;
            }),
            expect: gain(10000, &[10000]),
        },
        Case {
            name: "zero wages",
            why: "hours saved at a $0 wage are worth nothing; a carried-in loss carries on",
            input: with(|i| {
                i.workers = vec![worker(1, 10, 0), worker(2, 20, 0)];
                i.plan.split = ByWageHours;
                i.carried_in_loss_cents = 500;
            }),
            expect: Expect {
                carried_out: 500,
                ..gain(0, &[0, 0])
            },
        },
        // Rounding.
        Case {
            name: "three equal workers share $100.00",
            why: "33.34 / 33.33 / 33.33: the extra cent goes to the smallest employee id, \
                  wherever it is listed",
            input: with(|i| {
                i.workers = vec![
                    worker(3, 10, 1000),
                    worker(1, 10, 1000),
                    worker(2, 10, 1000),
                ];
                i.budget_seconds = 40 * HOUR;
                i.plan.share_percent = Decimal::ONE_HUNDRED;
                i.plan.split = Equal;
            }),
            expect: gain(10000, &[3333, 3334, 3333]),
        },
        Case {
            name: "half a cent rounds up",
            why: "1 h saved at 1 ¢/h, half of it: 0.5 ¢ rounds away from zero, to 1 ¢",
            input: with(|i| {
                i.workers = vec![worker(1, 1, 1)];
                i.budget_seconds = 2 * HOUR;
            }),
            expect: gain(1, &[1]),
        },
        Case {
            name: "less than half a cent rounds down",
            why: "40 % of 1 ¢ is 0.4 ¢, which rounds to 0",
            input: with(|i| {
                i.workers = vec![worker(1, 1, 1)];
                i.budget_seconds = 2 * HOUR;
                i.plan.share_percent = Decimal::from(40);
            }),
            expect: gain(0, &[0]),
        },
        Case {
            name: "an average wage that does not terminate",
            why: "1 h saved at $50.00 / 3 h = $16.666…/h is rounded once, at the pool, to $16.67",
            input: with(|i| {
                i.workers = vec![worker(1, 1, 1000), worker(2, 2, 2000)];
                i.budget_seconds = 4 * HOUR;
                i.plan.share_percent = Decimal::ONE_HUNDRED;
            }),
            expect: gain(1667, &[556, 1111]),
        },
        Case {
            name: "the average wage is not rounded on the way",
            why: "300 h × $16.666…/h is exactly $5,000.00; rounding the average to $16.67 first \
                  would pay $5,001.00",
            input: with(|i| {
                i.workers = vec![worker(1, 1, 1000), worker(2, 2, 2000)];
                i.budget_seconds = 303 * HOUR;
                i.plan.share_percent = Decimal::ONE_HUNDRED;
            }),
            expect: gain(500000, &[166667, 333333]),
        },
    ]
}

#[test]
fn bonus_rules_table() {
    for Case {
        name,
        why,
        input,
        expect,
    } in outcome_cases()
    {
        let outcome = compute(&input).unwrap_or_else(|e| panic!("{name}: must compute ({e})"));
        assert_eq!(outcome.pool_cents, expect.pool, "{name}: pool: {why}");
        assert_eq!(outcome.capped, expect.capped, "{name}: capped: {why}");
        assert_eq!(
            outcome.loss_carried_out_cents, expect.carried_out,
            "{name}: loss carried out: {why}"
        );
        assert_eq!(
            outcome.loss_absorbed_cents, expect.absorbed,
            "{name}: loss absorbed: {why}"
        );
        assert_eq!(amounts(&outcome), expect.amounts, "{name}: amounts: {why}");
        assert_eq!(
            amounts(&outcome).iter().sum::<i64>(),
            outcome.pool_cents,
            "{name}: the workers' amounts must add up to the pool exactly"
        );
        let ids: Vec<i64> = outcome.workers.iter().map(|w| w.employee_id).collect();
        let given: Vec<i64> = input.workers.iter().map(|w| w.employee_id).collect();
        assert_eq!(ids, given, "{name}: workers come back in the order given");
    }
}

#[test]
fn the_outcome_shows_its_working() {
    // (name, input, saved hours, [average wage, saved value, crew share,
    // after the carried loss] in cents, pool before the cap, why)
    let cases = [
        (
            "the worked example",
            job(),
            10,
            ["2500", "25000", "12500", "12500"],
            12500,
            "$2,250.00 of wages over 90 h is $25.00/h; 10 h saved at that is $250.00, half of it the pool",
        ),
        (
            "a loss carried",
            with(|i| i.budget_seconds = 80 * HOUR),
            -10,
            ["2500", "-25000", "-12500", "-12500"],
            0,
            "10 h over at $25.00/h; under Carry the crew's half of the loss stays negative",
        ),
        (
            "a loss absorbed, with a loss carried in",
            with(|i| {
                i.budget_seconds = 80 * HOUR;
                i.plan.loss_policy = LossPolicy::Absorb;
                i.carried_in_loss_cents = 700;
            }),
            -10,
            ["2500", "-25000", "-12500", "-700"],
            0,
            "Absorb counts this job's loss as 0, so only the carried-in loss is left",
        ),
    ];
    for (name, input, saved_hours, working, pool_before_cap, why) in cases {
        let outcome = compute(&input).unwrap_or_else(|e| panic!("{name}: must compute ({e})"));
        assert_eq!(
            outcome.worked_seconds,
            90 * HOUR,
            "{name}: 40 h + 40 h + 10 h"
        );
        assert_eq!(outcome.saved_seconds, saved_hours * HOUR, "{name}: {why}");
        let shown = [
            outcome.average_wage_cents_per_hour,
            outcome.saved_value_cents,
            outcome.crew_share_cents,
            outcome.after_carried_loss_cents,
        ];
        assert_eq!(shown, working.map(dec), "{name}: {why}");
        assert_eq!(
            outcome.pool_before_cap_cents, pool_before_cap,
            "{name}: {why}"
        );
        let weights: Vec<Decimal> = outcome.workers.iter().map(|w| w.weight).collect();
        assert_eq!(
            weights,
            [40, 40, 10].map(|h| Decimal::from(h * HOUR)),
            "{name}: split by hours weighs seconds"
        );
        let fractions: Decimal = outcome.workers.iter().map(|w| w.fraction).sum();
        assert!(
            (fractions - Decimal::ONE).abs() < dec("0.000000000000000000001"),
            "{name}: the fractions add up to 1 (to Decimal's precision), got {fractions}"
        );
        let json = serde_json::to_value(&outcome).expect("serialises");
        assert_eq!(
            json["saved_value_cents"], working[1],
            "{name}: decimals cross as strings, without trailing zeros"
        );
        assert_eq!(
            json["pool_cents"], outcome.pool_cents,
            "{name}: whole cents cross as numbers"
        );
    }
}

#[test]
fn the_split_does_not_depend_on_the_order_of_the_workers() {
    for split in SPLITS {
        let by_id = |input: BonusInput| {
            let mut parts: Vec<(i64, i64)> = compute(&input)
                .expect("valid")
                .workers
                .iter()
                .map(|w| (w.employee_id, w.amount_cents))
                .collect();
            parts.sort_unstable();
            parts
        };
        let forward = by_id(with(|i| i.plan.split = split));
        let backward = by_id(with(|i| {
            i.plan.split = split;
            i.workers.reverse();
        }));
        assert_eq!(
            forward, backward,
            "{split:?}: ties go by employee id, not by position, so listing the crew \
             backwards must pay each worker the same"
        );
    }
}

/// 50 workers with varied hours and wages, over budget by none of them.
fn fifty_workers() -> Vec<CrewWorker> {
    (1..=50)
        .map(|n| {
            let seconds = HOUR * (20 + n % 23) + 60 * (n * 7 % 60) + n % 11;
            timed(1000 + (n * 37) % 50, seconds, 1800 + 137 * (n % 17))
        })
        .collect()
}

#[test]
fn a_fifty_worker_crew_sums_exactly() {
    for split in SPLITS {
        let input = with(|i| {
            i.workers = fifty_workers();
            i.budget_seconds = 2000 * HOUR;
            i.plan.split = split;
            i.plan.share_percent = dec("37.5");
        });
        let outcome = compute(&input).expect("a 50-worker crew is valid");
        assert!(
            outcome.pool_cents > 0,
            "{split:?}: the crew is under budget"
        );
        assert_eq!(
            amounts(&outcome).iter().sum::<i64>(),
            outcome.pool_cents,
            "{split:?}: the 50 amounts must add up to the pool exactly"
        );
        let total: Decimal = outcome.workers.iter().map(|w| w.weight).sum();
        for part in &outcome.workers {
            let quota = Decimal::from(outcome.pool_cents) * part.weight / total;
            let extra = Decimal::from(part.amount_cents) - quota.floor();
            assert!(
                extra == Decimal::ZERO || extra == Decimal::ONE,
                "{split:?}: employee {} gets {} for a quota of {quota}: each amount is its \
                 quota rounded down, plus at most one cent",
                part.employee_id,
                part.amount_cents
            );
        }
        assert_eq!(
            compute(&input).expect("valid"),
            outcome,
            "{split:?}: the same input gives the same outcome"
        );
    }
}

/// A small deterministic generator (64-bit LCG), so the sweep needs no
/// dependency and every run checks the same cases.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        i64::try_from((self.0 >> 33) % bound).expect("below 2^31")
    }
}

#[test]
fn a_seeded_sweep_always_sums_to_the_pool() {
    let mut rng = Lcg(0x7469_6d65_6272_6964);
    for case in 0..256 {
        let count = 1 + rng.below(60);
        let workers: Vec<CrewWorker> = (0..count)
            .map(|n| CrewWorker {
                employee_id: n * 3 + rng.below(3),
                // Some workers without hours, but never the whole crew.
                seconds: if n > 0 && rng.below(5) == 0 {
                    0
                } else {
                    1 + rng.below(80 * HOUR as u64)
                },
                wage_cents_per_hour: rng.below(12_000),
            })
            .collect();
        let worked: i64 = workers.iter().map(|w| w.seconds).sum();
        let input = BonusInput {
            plan: BonusPlan {
                share_percent: Decimal::new(rng.below(1001), 1),
                split: SPLITS[usize::try_from(rng.below(3)).expect("small")],
                cap_cents: (rng.below(2) == 0).then(|| rng.below(2_000_000)),
                loss_policy: if rng.below(2) == 0 {
                    LossPolicy::Carry
                } else {
                    LossPolicy::Absorb
                },
            },
            budget_seconds: rng.below(u64::try_from(worked * 2).expect("positive")),
            workers,
            carried_in_loss_cents: if rng.below(3) == 0 {
                rng.below(500_000)
            } else {
                0
            },
        };
        let outcome = compute(&input)
            .unwrap_or_else(|e| panic!("case {case}: must compute ({e}): {input:?}"));
        assert_eq!(
            amounts(&outcome).iter().sum::<i64>(),
            outcome.pool_cents,
            "case {case}: the amounts must add up to the pool: {input:?}"
        );
        assert!(
            outcome.workers.iter().all(|w| w.amount_cents >= 0),
            "case {case}: no amount is negative: {input:?}"
        );
        assert!(
            outcome
                .workers
                .iter()
                .all(|w| w.seconds > 0 || w.amount_cents == 0),
            "case {case}: a worker without hours gets nothing: {input:?}"
        );
        assert!(
            input
                .plan
                .cap_cents
                .is_none_or(|cap| outcome.pool_cents <= cap),
            "case {case}: the pool never passes the cap: {input:?}"
        );
        assert!(
            outcome.pool_cents == 0 || outcome.loss_carried_out_cents == 0,
            "case {case}: a job either pays a pool or carries a loss, never both: {input:?}"
        );
    }
}

fn problem_fields(input: &BonusInput) -> Vec<String> {
    match compute(input) {
        Err(Error::Validation(problems)) => problems.into_iter().map(|p| p.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn invalid_input_is_refused_field_by_field() {
    let cases: Vec<(&str, &str, BonusInput, &[&str])> = vec![
        (
            "share above 100 %",
            "a crew cannot get more than all of the saved value",
            with(|i| i.plan.share_percent = dec("100.01")),
            &["plan.share_percent"],
        ),
        (
            "negative share",
            "a share below 0 % would take money from the crew",
            with(|i| i.plan.share_percent = dec("-1")),
            &["plan.share_percent"],
        ),
        (
            "negative cap",
            "a cap below 0 makes no sense; no cap is None",
            with(|i| i.plan.cap_cents = Some(-1)),
            &["plan.cap_cents"],
        ),
        (
            "negative budget",
            "budgeted hours cannot be negative",
            with(|i| i.budget_seconds = -1),
            &["budget_seconds"],
        ),
        (
            "negative carried-in loss",
            "a carried-in loss is a positive amount; a negative one would be a gain",
            with(|i| i.carried_in_loss_cents = -1),
            &["carried_in_loss_cents"],
        ),
        (
            "no workers",
            "there is no crew to measure or pay",
            with(|i| i.workers.clear()),
            &["workers"],
        ),
        (
            "no hours at all",
            "without hours worked there is no average wage and nothing to split by",
            with(|i| i.workers = vec![worker(1, 0, 2000), worker(2, 0, 2000)]),
            &["workers"],
        ),
        (
            "negative seconds",
            "hours worked cannot be negative",
            with(|i| i.workers[1].seconds = -1),
            &["workers[1].seconds"],
        ),
        (
            "negative wage",
            "a wage cannot be negative",
            with(|i| i.workers[2].wage_cents_per_hour = -1),
            &["workers[2].wage_cents_per_hour"],
        ),
        (
            "duplicate employee",
            "an employee listed twice would be paid twice; the second listing is marked",
            with(|i| i.workers.push(worker(2, 5, 2000))),
            &["workers[3].employee_id"],
        ),
        (
            "every problem at once",
            "a form marks all its bad fields together",
            with(|i| {
                i.plan.share_percent = dec("150");
                i.plan.cap_cents = Some(-5);
                i.budget_seconds = -1;
                i.carried_in_loss_cents = -1;
                i.workers[0].seconds = -1;
                i.workers[0].wage_cents_per_hour = -1;
            }),
            &[
                "plan.share_percent",
                "plan.cap_cents",
                "budget_seconds",
                "carried_in_loss_cents",
                "workers[0].seconds",
                "workers[0].wage_cents_per_hour",
            ],
        ),
    ];
    for (name, why, input, fields) in cases {
        assert_eq!(problem_fields(&input), fields, "{name}: {why}");
    }
}

#[test]
fn amounts_too_large_are_an_error_not_a_panic() {
    let cases: Vec<(&str, BonusInput)> = vec![
        (
            "the crew's seconds overflow i64",
            with(|i| i.workers = vec![worker(1, 1, 1), timed(2, i64::MAX, 1)]),
        ),
        (
            "wage × seconds overflows a decimal",
            with(|i| i.workers = vec![timed(1, i64::MAX, i64::MAX)]),
        ),
        (
            "the loss carried out overflows i64 cents",
            with(|i| {
                i.budget_seconds = 0;
                i.carried_in_loss_cents = i64::MAX;
            }),
        ),
        (
            "the pool overflows i64 cents",
            with(|i| {
                i.workers = vec![timed(1, 1, i64::MAX)];
                i.budget_seconds = i64::MAX;
            }),
        ),
    ];
    for (name, input) in cases {
        match compute(&input) {
            Err(Error::Validation(problems)) => assert!(
                problems.iter().any(|p| p.message.contains("too large")),
                "{name}: the error must say the amounts are too large, got {problems:?}"
            ),
            other => panic!("{name}: an overflow must be a validation error, got {other:?}"),
        }
    }
}

#[test]
fn a_plan_reads_from_json() {
    let plan: BonusPlan = serde_json::from_str(
        r#"{"share_percent": "33.5", "split": "by_wage_hours", "cap_cents": 50000, "loss_policy": "absorb"}"#,
    )
    .expect("a plan in the UI's shape");
    assert_eq!(
        plan,
        BonusPlan {
            share_percent: dec("33.5"),
            split: SplitMethod::ByWageHours,
            cap_cents: Some(50000),
            loss_policy: LossPolicy::Absorb,
        },
        "the share is a decimal string, the enums snake_case"
    );
    let from_number: BonusPlan = serde_json::from_str(
        r#"{"share_percent": 50, "split": "equal", "cap_cents": null, "loss_policy": "carry"}"#,
    )
    .expect("a whole-number share may also come as a number");
    assert_eq!(
        from_number.share_percent,
        Decimal::from(50),
        "50 as a number is 50 %"
    );
}
