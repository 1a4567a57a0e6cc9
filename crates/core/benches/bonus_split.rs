//! A crew production bonus for a 50-worker crew: validation, the pool and the
//! largest-remainder split, timed one computation at a time for each split
//! method, with the median and the 99th percentile (target: under 1 ms).
//!
//! `cargo bench -p timebridge-core --bench bonus_split` (WORKERS=N for another
//! crew size, ITERATIONS=N for more or fewer samples).

use std::hint::black_box;
use std::time::Instant;

use timebridge_core::bonus::{self, BonusInput, BonusPlan, CrewWorker, LossPolicy, SplitMethod};

/// The app's allocator (see src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The sample at `quantile` (0 to 1) of sorted samples.
fn at(sorted: &[f64], quantile: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * quantile).round() as usize;
    sorted[index]
}

fn main() {
    let workers = env_or("WORKERS", 50) as i64;
    let iterations = env_or("ITERATIONS", 20_000);
    // Varied hours (with odd minutes and seconds) and wages, so the split
    // has remainders to hand out; a loss carried in and a cap, so every
    // rule runs.
    let crew: Vec<CrewWorker> = (1..=workers)
        .map(|n| CrewWorker {
            employee_id: 10_000 + n,
            seconds: 3600 * (20 + n % 23) + 60 * (n * 7 % 60) + n % 11,
            wage_cents_per_hour: 1800 + 137 * (n % 17),
        })
        .collect();
    let worked: i64 = crew.iter().map(|w| w.seconds).sum();

    for split in [
        SplitMethod::ByHours,
        SplitMethod::ByWageHours,
        SplitMethod::Equal,
    ] {
        let input = BonusInput {
            plan: BonusPlan {
                share_percent: "37.5".parse().expect("a decimal"),
                split,
                cap_cents: Some(5_000_000),
                loss_policy: LossPolicy::Carry,
            },
            budget_seconds: worked + worked / 5,
            workers: crew.clone(),
            carried_in_loss_cents: 12_345,
        };
        let outcome = bonus::compute(&input).expect("a valid crew");
        assert_eq!(
            outcome.workers.iter().map(|w| w.amount_cents).sum::<i64>(),
            outcome.pool_cents,
            "the split sums to the pool"
        );

        // Warm up, then time each computation on its own.
        for _ in 0..iterations / 10 {
            black_box(bonus::compute(black_box(&input)).expect("computes"));
        }
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let began = Instant::now();
            let outcome = bonus::compute(black_box(&input)).expect("computes");
            samples.push(began.elapsed().as_secs_f64() * 1e6);
            black_box(outcome);
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "bonus split {:<13} {workers} workers, pool {} cents, {iterations} runs: \
             median {:.2} µs, p99 {:.2} µs (target 1000 µs)",
            format!("{split:?}"),
            outcome.pool_cents,
            at(&samples, 0.5),
            at(&samples, 0.99),
        );
    }
}
