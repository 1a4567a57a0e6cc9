//! Crew bonuses over a real database: plans, a bonus open and projected as
//! time comes in, approved with its figures frozen, losses carried to the
//! plan's next job, and each worker's statement as a PDF.

use rust_decimal::Decimal;
use timebridge_core::Store;
use timebridge_core::audit::{self, AuditAction, AuditQuery};
use timebridge_core::bonus::crews::{self, BonusState, NewBonus};
use timebridge_core::bonus::plans::{self, PlanDraft};
use timebridge_core::bonus::statement;
use timebridge_core::bonus::{BonusPlan, LossPolicy, SplitMethod};
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::pay_ids::{self, PayCategory, PayIdDraft};

use crate::common::{admin, employee, job, now, problem_fields, store};
use crate::costing::{budget, entry, wage};

const HOUR: i64 = 3600;

pub(crate) fn bonus_pay_id(store: &Store) -> i64 {
    if let Some(made) = store
        .read(|c| pay_ids::find_by_code(c, "BONUS"))
        .expect("pay IDs read")
    {
        return made.id;
    }
    store
        .write(|tx| {
            pay_ids::create(
                tx,
                &PayIdDraft {
                    code: "BONUS".into(),
                    name: "Production bonus".into(),
                    category: PayCategory::Other,
                    multiplier: 1.0,
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a pay ID")
        .id
}

pub(crate) fn plan(store: &Store, loss_policy: LossPolicy) -> i64 {
    let pay_id = bonus_pay_id(store);
    store
        .write(|tx| {
            plans::save(
                tx,
                &PlanDraft {
                    id: None,
                    name: "Crew half".into(),
                    rules: BonusPlan {
                        share_percent: Decimal::from(50),
                        split: SplitMethod::ByHours,
                        cap_cents: None,
                        loss_policy,
                    },
                    pay_id,
                },
                &admin(),
                now(),
            )
        })
        .expect("a valid plan is saved")
        .id
}

pub(crate) fn bonus_on(store: &Store, plan_id: i64, job_id: i64) -> i64 {
    store
        .write(|tx| {
            crews::create(
                tx,
                &NewBonus {
                    plan_id,
                    job_id,
                    task_id: None,
                    budget_seconds: None,
                },
                &admin(),
                now(),
            )
        })
        .expect("a bonus is set up")
        .id
}

/// A 100-hour job worked 40 h each by Ana ($30/h) and Ben ($20/h): 20 h
/// saved at the $25/h average.
fn crew_job(store: &Store, name: &str) -> (i64, i64, i64) {
    let ana = employee(store, "Ana", &format!("Ortiz {name}"), None).id;
    let ben = employee(store, "Ben", &format!("Nguyen {name}"), None).id;
    let site = job(store, name).id;
    wage(store, ana, "2026-01-01", 3000);
    wage(store, ben, "2026-01-01", 2000);
    budget(store, site, None, Some(100), None);
    for day in 1..=4 {
        let on = format!("2026-06-0{day}");
        entry(store, ana, site, None, &on, 10);
        entry(store, ben, site, None, &on, 10);
    }
    (site, ana, ben)
}

#[test]
fn an_open_bonus_is_projected_from_the_time_so_far() {
    let test = store();
    let store = &test.store;
    let (site, ana, ben) = crew_job(store, "Maple");
    let id = bonus_on(store, plan(store, LossPolicy::Carry), site);
    let bonus = store.read(|c| crews::get(c, id)).expect("the bonus reads");
    let outcome = bonus.outcome.expect("computed");
    assert_eq!(
        (bonus.state, outcome.saved_seconds, outcome.pool_cents),
        (BonusState::Open, 20 * HOUR, 25_000),
        "20 h saved at the $25/h average is $500; half of it is the pool"
    );
    let amounts: Vec<(i64, i64)> = bonus
        .workers
        .iter()
        .map(|w| (w.employee_id, w.amount_cents))
        .collect();
    assert!(
        amounts.contains(&(ana, 12_500)) && amounts.contains(&(ben, 12_500)),
        "by hours, equal hours share equally: {amounts:?}"
    );
    entry(store, ana, site, None, "2026-06-05", 10);
    let later = store.read(|c| crews::get(c, id)).expect("reads");
    assert_eq!(
        later.outcome.expect("computed").pool_cents,
        12_778,
        "10 more hours of Ana's: 10 h saved at the $25.56 average ($2,300 / 90 h) is $255.56, \
         half of it $127.78: the projection follows the time"
    );
}

#[test]
fn approval_freezes_the_figures_and_is_logged_with_them() {
    let test = store();
    let store = &test.store;
    let (site, ana, _) = crew_job(store, "Maple");
    let id = bonus_on(store, plan(store, LossPolicy::Carry), site);
    let approved = store
        .write(|tx| crews::approve(tx, id, &admin(), now()))
        .expect("an open bonus with a budget and time is approved");
    assert_eq!(
        (approved.state, approved.approved_on.is_some()),
        (BonusState::Approved, true),
        "approved, dated for its pay period"
    );
    entry(store, ana, site, None, "2026-06-05", 10);
    let after = store.read(|c| crews::get(c, id)).expect("reads");
    assert_eq!(
        after.outcome.expect("frozen").pool_cents,
        25_000,
        "time added after approval changes nothing"
    );
    let again = store
        .write(|tx| crews::approve(tx, id, &admin(), now()))
        .expect_err("a bonus is approved once");
    assert!(
        again.to_string().contains("approved already"),
        "says so: {again}"
    );
    let logged = store
        .read(|c| {
            audit::list(
                c,
                &AuditQuery {
                    page: 1,
                    page_size: 10,
                    action: Some(AuditAction::BonusApproved),
                    ..AuditQuery::default()
                },
            )
        })
        .expect("the log reads");
    assert!(
        logged.rows.iter().any(|e| e.summary.contains("$250.00")),
        "the approval is in the log with its pool"
    );
}

#[test]
fn a_loss_carries_to_the_plans_next_approved_job() {
    let test = store();
    let store = &test.store;
    let plan_id = plan(store, LossPolicy::Carry);
    // 110 h on a 100 h budget at the $25/h average: $250 over, the crew's
    // half is $125.
    let (over, ana, ben) = crew_job(store, "Over");
    entry(store, ana, over, None, "2026-06-08", 15);
    entry(store, ben, over, None, "2026-06-08", 15);
    let first = bonus_on(store, plan_id, over);
    let lost = store
        .write(|tx| crews::approve(tx, first, &admin(), now()))
        .expect("a loss is approved too");
    assert_eq!(
        lost.outcome
            .as_ref()
            .map(|o| (o.pool_cents, o.loss_carried_out_cents)),
        Some((0, 12_500)),
        "no pool; the crew's half of the $250 overrun carries out"
    );
    let (next, _, _) = crew_job(store, "Next");
    let second = bonus_on(store, plan_id, next);
    let carried = store.read(|c| crews::get(c, second)).expect("reads");
    assert_eq!(
        (
            carried.carried_in_loss_cents,
            carried.outcome.map(|o| o.pool_cents)
        ),
        (12_500, Some(12_500)),
        "the next job's $250.00 pool is less the $125.00 carried in"
    );
}

#[test]
fn a_bonus_on_a_job_without_a_budget_says_so_and_is_not_approved() {
    let test = store();
    let store = &test.store;
    let ana = employee(store, "Ana", "Ortiz", None).id;
    let site = job(store, "Unbudgeted").id;
    entry(store, ana, site, None, "2026-06-01", 8);
    let id = bonus_on(store, plan(store, LossPolicy::Absorb), site);
    let bonus = store.read(|c| crews::get(c, id)).expect("reads");
    assert!(
        bonus.outcome.is_none()
            && bonus
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("budget")),
        "no figures, and why: {:?}",
        bonus.problem
    );
    let refused = store
        .write(|tx| crews::approve(tx, id, &admin(), now()))
        .expect_err("nothing to approve");
    assert!(
        refused.to_string().contains("budget"),
        "the reason: {refused}"
    );
}

#[test]
fn a_plan_with_a_share_out_of_range_and_no_pay_id_is_refused_field_by_field() {
    let test = store();
    let store = &test.store;
    let refused = store
        .write(|tx| {
            plans::save(
                tx,
                &PlanDraft {
                    id: None,
                    name: " ".into(),
                    rules: BonusPlan {
                        share_percent: Decimal::from(150),
                        split: SplitMethod::Equal,
                        cap_cents: Some(-1),
                        loss_policy: LossPolicy::Absorb,
                    },
                    pay_id: 999,
                },
                &admin(),
                now(),
            )
        })
        .expect_err("refused");
    let mut fields = problem_fields(&refused);
    fields.sort();
    assert_eq!(
        fields,
        vec!["cap_cents", "name", "pay_id", "share_percent"],
        "every bad field at once"
    );
}

#[test]
fn each_worker_gets_a_statement_page_with_their_share() {
    let test = store();
    let store = &test.store;
    let (site, _, _) = crew_job(store, "Maple");
    let plan_id = plan(store, LossPolicy::Carry);
    let id = bonus_on(store, plan_id, site);
    let bonus = store
        .write(|tx| crews::approve(tx, id, &admin(), now()))
        .expect("approved");
    let rules = store
        .read(|c| plans::get(c, plan_id))
        .expect("the plan")
        .rules;
    let pages =
        statement::statements(&bonus, rules.share_percent, rules.split, None).expect("statements");
    let bytes = statement::pdf(&pages);
    let document = lopdf::Document::load_mem(&bytes).expect("the PDF parses");
    assert_eq!(document.get_pages().len(), 2, "a page per worker");
    let text = document.extract_text(&[1]).expect("page 1's text");
    assert!(
        text.contains("Your bonus") && text.contains("$125.00") && text.contains("Maple"),
        "the first page names the job and the worker's share: {text}"
    );
}
