//! Job costing: each job's hours and labour cost against its budget, held
//! to the rules in `timebridge_core::costing`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use timebridge_core::Store;
use timebridge_core::costing::wages::{self, WageDraft, WageSource};
use timebridge_core::costing::{
    self, CostStatus, CostingQuery, CostingReport, CostingSettings, JobCosting,
};
use timebridge_core::middleware::payloads::WagePeriod;
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::budgets::{self, BudgetDraft};
use timebridge_core::records::tasks::{self, TaskDraft};
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};

use crate::common::{admin, employee, job, now, store};

const HOUR: i64 = 3600;

pub fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

pub fn entry(
    store: &Store,
    employee_id: i64,
    job_id: i64,
    task_id: Option<i64>,
    on: &str,
    hours: i64,
) -> i64 {
    store
        .write(|tx| {
            time_entries::create(
                tx,
                &TimeEntryDraft {
                    employee_id,
                    job_id: Some(job_id),
                    task_id,
                    pay_id: None,
                    span: TimeSpan::Manual {
                        date: day(on),
                        duration_seconds: hours * HOUR,
                    },
                    notes: String::new(),
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a valid entry is created")
        .id
}

pub fn wage(store: &Store, employee_id: i64, from: &str, cents_per_hour: i64) -> i64 {
    store
        .write(|tx| {
            wages::set(
                tx,
                &WageDraft {
                    employee_id,
                    from: day(from),
                    cents_per_hour,
                },
                &admin(),
                now(),
            )
        })
        .expect("a valid wage is set")
        .id
}

pub fn budget(
    store: &Store,
    job_id: i64,
    task_id: Option<i64>,
    hours: Option<i64>,
    cents: Option<i64>,
) {
    store
        .write(|tx| {
            budgets::create(
                tx,
                &BudgetDraft {
                    job_id,
                    task_id,
                    budget_seconds: hours.map(|h| h * HOUR),
                    amount_cents: cents,
                    notes: String::new(),
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a valid budget is created");
}

pub fn task(store: &Store, job_id: i64, code: &str) -> i64 {
    store
        .write(|tx| {
            tasks::create(
                tx,
                &TaskDraft {
                    job_id: Some(job_id),
                    code: code.into(),
                    name: format!("Task {code}"),
                    pay_id: None,
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a valid task is created")
        .id
}

fn report(store: &Store) -> CostingReport {
    store
        .read(|conn| costing::report(conn, &CostingQuery::default()))
        .expect("the report reads")
}

fn costing_of(store: &Store, job_id: i64) -> JobCosting {
    report(store)
        .jobs
        .into_iter()
        .find(|j| j.job_id == job_id)
        .expect("the job is in the report")
}

fn burden(store: &Store, percent: &str) -> timebridge_core::Result<CostingSettings> {
    store.write(|tx| {
        costing::save_settings(
            tx,
            CostingSettings {
                burden_percent: percent.parse().expect("a decimal"),
            },
            &admin(),
            now(),
        )
    })
}

#[test]
fn labour_is_costed_at_each_entrys_wage_on_its_day_with_the_burden() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    wage(store, ana, "2026-01-01", 2000);
    wage(store, ana, "2026-06-01", 2500);
    entry(store, ana, maple, None, "2026-05-31", 8);
    entry(store, ana, maple, None, "2026-06-01", 4);
    let before = costing_of(store, maple).figures;
    assert_eq!(
        before.labour_cents,
        8 * 2000 + 4 * 2500,
        "8 h at the old wage, 4 h at the new one from its day"
    );
    burden(store, "22.5").expect("a burden in range is saved");
    assert_eq!(
        costing_of(store, maple).figures.labour_cents,
        31_850,
        "$260.00 with 22.5 % on top is $318.50"
    );
}

#[test]
fn a_wage_set_after_the_time_recosts_it_and_removing_it_leaves_it_unpriced() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    entry(store, ana, maple, None, "2026-06-02", 5);
    let unpriced = costing_of(store, maple).figures;
    assert_eq!(
        (unpriced.labour_cents, unpriced.unpriced_seconds),
        (0, 5 * HOUR),
        "with no wage the hours count but cost nothing, and are said to be unpriced"
    );
    let id = wage(store, ana, "2026-06-01", 3000);
    let priced = costing_of(store, maple).figures;
    assert_eq!(
        (priced.labour_cents, priced.unpriced_seconds),
        (15_000, 0),
        "the wage set afterwards costs the time already there"
    );
    store
        .write(|tx| wages::remove(tx, id, &admin(), now()))
        .expect("a wage set by hand is removed");
    assert_eq!(
        costing_of(store, maple).figures.unpriced_seconds,
        5 * HOUR,
        "removing the wage leaves the time unpriced again"
    );
}

#[test]
fn voided_time_is_left_out() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    entry(store, ana, maple, None, "2026-06-02", 5);
    let voided = entry(store, ana, maple, None, "2026-06-03", 3);
    store
        .write(|tx| time_entries::set_active(tx, voided, false, &admin(), now()))
        .expect("the entry is voided");
    let figures = costing_of(store, maple).figures;
    assert_eq!(
        (figures.actual_seconds, figures.entries),
        (5 * HOUR, 1),
        "only the entry still standing counts"
    );
}

#[test]
fn status_follows_the_share_of_budgeted_hours_used() {
    let cases = [
        ("79 of 100 h", 79, CostStatus::OnTrack, "79.0"),
        ("80 of 100 h", 80, CostStatus::AtRisk, "80.0"),
        ("100 of 100 h", 100, CostStatus::AtRisk, "100.0"),
        ("101 of 100 h", 101, CostStatus::Over, "101.0"),
    ];
    for (name, hours, status, percent) in cases {
        let test = store();
        let store = &test.store;
        let ana = employee(store, "Ana", "Ortiz", None).id;
        let maple = job(store, "Maple Court").id;
        budget(store, maple, None, Some(100), None);
        // In days of at most 10 hours (an entry is at most a day long).
        for (n, start) in (0..hours).step_by(10).enumerate() {
            let on = day("2026-06-01") + chrono::Duration::days(n as i64);
            entry(
                store,
                ana,
                maple,
                None,
                &on.to_string(),
                (hours - start).min(10),
            );
        }
        let figures = costing_of(store, maple).figures;
        assert_eq!(figures.status, status, "{name}");
        assert_eq!(
            figures.used_percent,
            Some(percent.parse::<Decimal>().expect("a decimal")),
            "{name}: the share used"
        );
        assert_eq!(
            figures.remaining_seconds,
            Some((100 - hours) * HOUR),
            "{name}: what is left (negative when over)"
        );
    }
}

#[test]
fn a_budget_of_cost_only_is_measured_by_labour_cost() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    wage(store, ana, "2026-01-01", 2500);
    budget(store, maple, None, None, Some(10_000));
    entry(store, ana, maple, None, "2026-06-02", 4);
    let figures = costing_of(store, maple).figures;
    assert_eq!(
        (
            figures.used_percent,
            figures.status,
            figures.remaining_cents
        ),
        (Some(Decimal::ONE_HUNDRED), CostStatus::AtRisk, Some(0)),
        "$100.00 of labour against a $100.00 budget is all of it"
    );
}

#[test]
fn a_job_without_its_own_budget_is_measured_against_its_tasks_budgets() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    let mow = task(store, maple, "MOW");
    let edge = task(store, maple, "EDGE");
    budget(store, maple, Some(mow), Some(10), None);
    budget(store, maple, Some(edge), Some(30), None);
    entry(store, ana, maple, Some(mow), "2026-06-02", 9);
    entry(store, ana, maple, None, "2026-06-02", 1);
    let costing = costing_of(store, maple);
    assert_eq!(
        costing.figures.budget_seconds,
        Some(40 * HOUR),
        "the tasks' budgets together"
    );
    let lines: Vec<(Option<&str>, CostStatus)> = costing
        .tasks
        .iter()
        .map(|t| (t.code.as_deref(), t.figures.status))
        .collect();
    assert_eq!(
        lines,
        vec![
            (Some("EDGE"), CostStatus::OnTrack),
            (Some("MOW"), CostStatus::AtRisk),
            (None, CostStatus::NoBudget),
        ],
        "each task against its own budget, a budgeted task not yet worked included, time with \
         no task last"
    );
}

#[test]
fn a_job_wide_budget_is_the_jobs_even_beside_task_budgets() {
    let test = store();
    let store = &test.store;
    let maple = job(store, "Maple Court").id;
    let mow = task(store, maple, "MOW");
    budget(store, maple, None, Some(100), None);
    budget(store, maple, Some(mow), Some(10), None);
    assert_eq!(
        costing_of(store, maple).figures.budget_seconds,
        Some(100 * HOUR),
        "the job-wide budget, not the sum"
    );
}

#[test]
fn jobs_with_neither_budget_nor_time_are_left_out_and_the_counts_say_at_risk_and_over() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let idle = job(store, "Idle").id;
    let risky = job(store, "Risky").id;
    let over = job(store, "Over").id;
    budget(store, risky, None, Some(10), None);
    budget(store, over, None, Some(10), None);
    entry(store, ana, risky, None, "2026-06-02", 9);
    entry(store, ana, over, None, "2026-06-02", 11);
    let report = report(store);
    assert!(
        report.jobs.iter().all(|j| j.job_id != idle),
        "a job with nothing to show is not listed"
    );
    assert_eq!((report.at_risk, report.over), (1, 1), "one of each");
}

#[test]
fn the_job_detail_has_its_weeks_to_date_and_who_worked_it() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let ben = employee(store, "Ben", "Nguyen", None).id;
    let maple = job(store, "Maple Court").id;
    wage(store, ana, "2026-01-01", 2000);
    // 2026-06-01 is a Monday; payroll weeks start on Sunday by default, or as set.
    entry(store, ana, maple, None, "2026-06-01", 8);
    entry(store, ben, maple, None, "2026-06-06", 2);
    entry(store, ana, maple, None, "2026-06-08", 4);
    let detail = store
        .read(|conn| costing::job_detail(conn, maple, day("2026-06-10")))
        .expect("the detail reads");
    let weeks: Vec<(NaiveDate, i64, i64)> = detail
        .weeks
        .iter()
        .map(|w| (w.week_start, w.seconds / HOUR, w.cumulative_seconds / HOUR))
        .collect();
    let start = weeks.first().map(|w| w.0).expect("a first week");
    assert_eq!(weeks.len(), 2, "two payroll weeks hold the time: {weeks:?}");
    assert!(
        start <= day("2026-06-01") && day("2026-06-01") - start < chrono::Duration::days(7),
        "the first week holds June 1: {weeks:?}"
    );
    assert_eq!(
        weeks.last().map(|w| w.2),
        Some(14),
        "the hours to date reach the total"
    );
    let workers: Vec<(&str, i64, i64)> = detail
        .workers
        .iter()
        .map(|w| (w.name.as_str(), w.seconds / HOUR, w.unpriced_seconds / HOUR))
        .collect();
    assert_eq!(
        workers,
        vec![("Ana Ortiz", 12, 0), ("Ben Nguyen", 2, 2)],
        "most hours first; Ben has no wage, so his hours are unpriced"
    );
}

#[test]
fn a_wage_set_by_hand_wins_over_an_imported_one_of_the_same_day() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO employee_wages (employee_id, effective_from, cents_per_hour,
                     source_kind, created_at, updated_by)
                 VALUES (?1, '2026-06-01', 1800, 'imported', '2026-06-01T00:00:00.000Z', 'sync')",
                [ana],
            )?;
            Ok(())
        })
        .expect("an imported wage row");
    wage(store, ana, "2026-06-01", 2100);
    let paid = store
        .read(|conn| wages::on(conn, ana, day("2026-06-15")))
        .expect("the wage reads")
        .expect("a wage is paid");
    assert_eq!(
        (paid.cents_per_hour, paid.source),
        (2100, WageSource::Manual),
        "the admin's wage is the one paid"
    );
    let imported = store
        .read(|conn| wages::list(conn, ana))
        .expect("the wages list")
        .into_iter()
        .find(|w| w.source == WageSource::Imported)
        .expect("the imported wage is still listed");
    let refused = store
        .write(|tx| wages::remove(tx, imported.id, &admin(), now()))
        .expect_err("an imported wage cannot be removed by hand");
    assert!(
        refused.to_string().contains("imported"),
        "says why: {refused}"
    );
}

#[test]
fn a_wage_out_of_range_is_refused_on_its_field() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let refused = store
        .write(|tx| {
            wages::set(
                tx,
                &WageDraft {
                    employee_id: ana,
                    from: day("2026-06-01"),
                    cents_per_hour: -1,
                },
                &admin(),
                now(),
            )
        })
        .expect_err("a negative wage is refused");
    assert_eq!(
        crate::common::problem_fields(&refused),
        vec!["cents_per_hour"],
        "on the wage's field"
    );
}

#[test]
fn a_burden_out_of_range_is_refused_and_the_saved_one_kept() {
    let test = store();
    let store = &test.store;
    burden(store, "10").expect("10 % is saved");
    for bad in ["-1", "501", "10.125"] {
        let refused = burden(store, bad).expect_err("refused");
        assert_eq!(
            crate::common::problem_fields(&refused),
            vec!["burden_percent"],
            "{bad} is refused on its field"
        );
    }
    assert_eq!(
        store
            .read(costing::load_settings)
            .expect("settings read")
            .burden_percent,
        Decimal::TEN,
        "the saved burden stays"
    );
}

#[test]
fn platform_wages_are_converted_to_an_hourly_wage_in_whole_cents() {
    let cases = [
        ("23.50", WagePeriod::Hour, Some(2350)),
        ("1000", WagePeriod::Week, Some(2500)),
        ("5200", WagePeriod::Month, Some(3000)),
        ("52000", WagePeriod::Year, Some(2500)),
        ("0.005", WagePeriod::Hour, Some(1)),
        ("-3", WagePeriod::Hour, None),
        ("lots", WagePeriod::Hour, None),
    ];
    for (amount, per, cents) in cases {
        assert_eq!(
            wages::hourly_cents(amount, per),
            cents,
            "{amount} per {per:?}: a 40-hour week, 2,080 hours a year, half a cent up"
        );
    }
}

#[test]
fn an_entry_moved_to_another_day_is_costed_at_that_days_wage() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let maple = job(store, "Maple Court").id;
    wage(store, ana, "2026-01-01", 2000);
    wage(store, ana, "2026-06-01", 3000);
    let id = entry(store, ana, maple, None, "2026-05-15", 2);
    let mut draft = store
        .read(|c| time_entries::get(c, id))
        .expect("the entry reads")
        .draft();
    draft.span = TimeSpan::Manual {
        date: day("2026-06-15"),
        duration_seconds: 2 * HOUR,
    };
    store
        .write(|tx| time_entries::update(tx, id, &draft, &admin(), now()))
        .expect("the entry is moved");
    assert_eq!(
        costing_of(store, maple).figures.labour_cents,
        6000,
        "2 h at the June wage of $30.00, not May's $20.00"
    );
}
