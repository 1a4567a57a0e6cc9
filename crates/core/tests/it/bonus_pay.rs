//! Approved bonuses paid through payroll: a line per worker in the pay
//! period of the approval day, mapped and published like hours, paid once
//! a target holds every share, and never paid twice: not to the same target
//! twice, not to a second target, not after being paid by hand.
//!
//! The bonus: the payroll company's Clinic job, budgeted 20 h, worked 10 h
//! by Marcus ($30/h) and 6 h by Rosa ($20/h). 4 h saved at the $26.25
//! average is $105.00; the crew's half, $52.50, split by hours: Marcus
//! $32.81, Rosa $19.69 (the leftover cent goes to the larger remainder).

use timebridge_core::bonus::LossPolicy;
use timebridge_core::bonus::crews::{self, BonusState};
use timebridge_core::bonus::pay;
use timebridge_core::payroll::files::{CsvColumn, SageColumn};
use timebridge_core::payroll::lines::{self, Prepared, ProblemKind, Severity};
use timebridge_core::payroll::publish::{self, LineResult};
use timebridge_core::payroll::targets::{self, FileFormat, Target};
use timebridge_core::payroll::{self};

use crate::bonuses::{bonus_on, bonus_pay_id, plan};
use crate::common;
use crate::costing::{budget, entry, wage};
use crate::payroll_out::{
    Company, accept_all, begin, export, file_settings, item, map, monday, publishing_company,
    save_file_settings,
};

const MARCUS_CENTS: i64 = 3_281;
const ROSA_CENTS: i64 = 1_969;

/// Approves the Clinic bonus; returns its id.
fn approved_bonus(c: &Company) -> i64 {
    let s = &c.t.store;
    wage(s, c.marcus, "2026-01-01", 3000);
    wage(s, c.rosa, "2026-01-01", 2000);
    budget(s, c.clinic, None, Some(20), None);
    entry(s, c.rosa, c.clinic, None, "2026-11-03", 6);
    let id = bonus_on(s, plan(s, LossPolicy::Carry), c.clinic);
    let approved = s
        .write(|tx| crews::approve(tx, id, &common::admin(), common::now()))
        .expect("the bonus is approved");
    assert_eq!(
        approved.approved_on,
        Some(monday()),
        "approved on Monday, in the company's zone"
    );
    id
}

/// The Sandbox target with the bonus pay ID mapped to its Crew Bonus item.
fn sandbox_with_bonus_item() -> (Company, i64, i64) {
    let (c, target) = publishing_company();
    c.t.store
        .write(|tx| {
            targets::save_items(
                tx,
                target,
                &[
                    item("901", "Hourly Rate"),
                    item("902", "Overtime Rate"),
                    item("903", "Holiday Hourly"),
                    item("904", "Crew Bonus"),
                ],
            )
        })
        .expect("items");
    let bonus_pay = bonus_pay_id(&c.t.store);
    map(
        &c.t.store,
        Target::Integration { id: target },
        bonus_pay,
        None,
        "Crew Bonus",
    );
    let bonus = approved_bonus(&c);
    (c, target, bonus)
}

fn prepare(c: &Company, target: Target) -> Prepared {
    c.t.store
        .read(|conn| {
            let report = payroll::hours_for_day(conn, Some(monday()), common::now())?;
            lines::prepare(conn, &report, target)
        })
        .expect("the lines prepare")
}

fn bonus_lines(prepared: &Prepared) -> Vec<(i64, i64)> {
    prepared
        .lines
        .iter()
        .filter(|l| l.bonus_id.is_some())
        .map(|l| (l.employee_id, l.cents))
        .collect()
}

fn state(c: &Company, id: i64) -> BonusState {
    c.t.store
        .read(|conn| crews::get(conn, id))
        .expect("the bonus reads")
        .state
}

#[test]
fn an_approved_bonus_enters_its_approval_period_as_a_mapped_line_per_worker() {
    let (c, target, bonus) = sandbox_with_bonus_item();
    let prepared = prepare(&c, Target::Integration { id: target });
    let mut shares = bonus_lines(&prepared);
    shares.sort();
    assert_eq!(
        shares,
        vec![(c.marcus, MARCUS_CENTS), (c.rosa, ROSA_CENTS)],
        "each worker's frozen share is a line of the period"
    );
    let line = prepared
        .lines
        .iter()
        .find(|l| l.bonus_id == Some(bonus) && l.employee_id == c.marcus)
        .expect("Marcus's share");
    assert_eq!(
        (
            line.date,
            line.job_id,
            line.seconds,
            line.item.as_deref(),
            line.item_external_id.as_deref()
        ),
        (monday(), Some(c.clinic), 0, Some("Crew Bonus"), Some("904")),
        "on the approval day, the bonus's job, no hours, the mapped bonus item"
    );
    assert!(
        prepared.blocking().next().is_none(),
        "nothing blocks: {:?}",
        prepared.problems
    );
}

#[test]
fn an_unmapped_bonus_pay_id_blocks_a_target_that_needs_items() {
    let (c, target) = publishing_company();
    approved_bonus(&c);
    let prepared = prepare(&c, Target::Integration { id: target });
    let blocking: Vec<_> = prepared.blocking().collect();
    assert!(
        blocking.len() == 1
            && blocking[0].kind == ProblemKind::PayIdNotMapped
            && blocking[0].message.contains("BONUS")
            && blocking[0].message.contains("$52.50"),
        "the bonus pay ID is named with the amount it holds up: {blocking:?}"
    );
}

#[test]
fn publishing_the_bonus_pays_it_and_publishing_again_sends_nothing() {
    let (c, target, bonus) = sandbox_with_bonus_item();
    let outgoing = begin(&c, target).expect("the first publish has lines");
    let amounts: Vec<(i64, i64, Option<i64>)> = outgoing
        .lines
        .iter()
        .filter(|l| l.bonus_id.is_some())
        .map(|l| (l.seconds, l.cents, l.bonus_id))
        .collect();
    assert_eq!(
        amounts.iter().map(|a| a.1).sum::<i64>(),
        MARCUS_CENTS + ROSA_CENTS,
        "the publication carries the whole pool: {amounts:?}"
    );
    assert_eq!(
        state(&c, bonus),
        BonusState::Approved,
        "sending is not paying"
    );
    let publication = accept_all(&c, &outgoing);
    assert_eq!(
        publication.accepted_cents,
        MARCUS_CENTS + ROSA_CENTS,
        "the publication says what it paid"
    );
    let paid =
        c.t.store
            .read(|conn| crews::get(conn, bonus))
            .expect("reads");
    assert_eq!(
        (paid.state, paid.publication_id),
        (BonusState::Paid, Some(outgoing.publication_id)),
        "paid by that publication"
    );
    assert!(
        paid.paid_through
            .as_deref()
            .is_some_and(|how| how.contains("Sandbox")),
        "names where: {:?}",
        paid.paid_through
    );
    assert!(
        begin(&c, target).is_none(),
        "the target holds every share: nothing is sent twice"
    );
}

#[test]
fn a_rejected_share_keeps_the_bonus_approved_and_only_that_share_is_sent_again() {
    let (c, target, bonus) = sandbox_with_bonus_item();
    let outgoing = begin(&c, target).expect("lines");
    let results: Vec<LineResult> = outgoing
        .lines
        .iter()
        .map(|l| {
            let reject = l.bonus_id.is_some() && l.cents == ROSA_CENTS;
            LineResult {
                line_no: l.line_no,
                accepted: !reject,
                remote_id: (!reject).then(|| format!("R{}", l.line_no)),
                edit_sequence: None,
                message: reject.then(|| "Rosa is inactive".to_owned()),
            }
        })
        .collect();
    c.t.store
        .write(|tx| {
            publish::finish(
                tx,
                outgoing.publication_id,
                &results,
                None,
                &common::admin(),
                common::now(),
            )
        })
        .expect("answers recorded");
    assert_eq!(
        state(&c, bonus),
        BonusState::Approved,
        "one share is not there yet: not paid"
    );
    let again = begin(&c, target).expect("the rejected share is sent again");
    assert_eq!(
        again
            .lines
            .iter()
            .map(|l| (l.bonus_id, l.cents))
            .collect::<Vec<_>>(),
        vec![(Some(bonus), ROSA_CENTS)],
        "only Rosa's share"
    );
    accept_all(&c, &again);
    assert_eq!(
        state(&c, bonus),
        BonusState::Paid,
        "now every share is held"
    );
}

#[test]
fn a_bonus_one_target_has_is_left_out_of_every_other() {
    let (c, target, _) = sandbox_with_bonus_item();
    let outgoing = begin(&c, target).expect("lines");
    accept_all(&c, &outgoing);
    let csv = prepare(
        &c,
        Target::File {
            format: FileFormat::Csv,
        },
    );
    assert!(
        bonus_lines(&csv).is_empty(),
        "the CSV file leaves out the bonus the Sandbox paid"
    );
    assert!(
        !csv.lines.is_empty(),
        "while its hours are still in the file"
    );
}

#[test]
fn the_csv_file_has_the_amount_on_bonus_lines_and_hours_on_the_rest() {
    let c = crate::payroll_out::company();
    approved_bonus(&c);
    let file = export(&c.t.store, FileFormat::Csv).expect("the CSV is written");
    let text = String::from_utf8(file.bytes).expect("UTF-8");
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.ends_with("Hours,Amount"),
        "the default layout has an Amount column: {header}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("Marcus Bell,") && l.ends_with(",,32.81")),
        "Marcus's share is an amount with no hours:\n{text}"
    );
    assert_eq!(
        file.cents,
        MARCUS_CENTS + ROSA_CENTS,
        "the file holds the pool"
    );
}

#[test]
fn a_csv_layout_without_an_amount_column_blocks_a_period_with_a_bonus() {
    let c = crate::payroll_out::company();
    approved_bonus(&c);
    let mut settings = file_settings();
    settings.csv.columns.retain(|col| *col != CsvColumn::Amount);
    save_file_settings(&c.t.store, &settings);
    let refused = export(&c.t.store, FileFormat::Csv).expect_err("no place for the amount");
    assert!(
        refused.to_string().contains("Amount column"),
        "says which column to add: {refused}"
    );
}

#[test]
fn the_sage_file_pays_a_bonus_as_an_amount_without_units() {
    let c = crate::payroll_out::company();
    approved_bonus(&c);
    let mut settings = file_settings();
    settings.sage300_cre.time_entry_view = vec![
        SageColumn::Date,
        SageColumn::Employee,
        SageColumn::Job,
        SageColumn::PayId,
        SageColumn::Units,
        SageColumn::Amount,
    ];
    save_file_settings(&c.t.store, &settings);
    let file = export(&c.t.store, FileFormat::Sage300Cre).expect("the Sage file is written");
    let text = String::from_utf8(file.bytes).expect("UTF-8");
    assert!(
        text.lines()
            .any(|l| l == "11/2/2026,E100,26-014,BONUS,,32.81"),
        "Marcus's share: the bonus pay ID, no units, the amount:\n{text}"
    );
    assert!(
        text.lines().any(|l| l == "11/2/2026,E100,26-014,REG,8,"),
        "his hours keep their units and no amount:\n{text}"
    );
}

#[test]
fn a_sage_view_without_an_amount_column_blocks_the_bonus() {
    let c = crate::payroll_out::company();
    approved_bonus(&c);
    save_file_settings(&c.t.store, &file_settings());
    let prepared = prepare(
        &c,
        Target::File {
            format: FileFormat::Sage300Cre,
        },
    );
    assert!(
        prepared
            .blocking()
            .any(|p| p.kind == ProblemKind::AmountColumnMissing && p.fix.contains("Amount")),
        "the view needs an Amount column: {:?}",
        prepared.problems
    );
}

#[test]
fn an_iif_file_leaves_the_bonus_out_with_a_warning_saying_how_to_pay_it() {
    let c = crate::payroll_out::company();
    approved_bonus(&c);
    let iif = Target::File {
        format: FileFormat::Iif,
    };
    for (pay, name) in [
        ("REG", "Hourly Rate"),
        ("OT", "Overtime Rate"),
        ("HOL", "Holiday Hourly"),
    ] {
        map(&c.t.store, iif, c.pay[pay], None, name);
    }
    map(
        &c.t.store,
        iif,
        bonus_pay_id(&c.t.store),
        None,
        "Crew Bonus",
    );
    save_file_settings(&c.t.store, &file_settings());
    let prepared = prepare(&c, iif);
    let warning = prepared
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::AmountNotTaken)
        .expect("a warning about the bonus");
    assert!(
        warning.severity == Severity::Warning
            && warning.fix.contains("Crew Bonus")
            && warning.message.contains("$52.50"),
        "a warning naming the amount and the item to pay it with: {warning:?}"
    );
    assert!(
        bonus_lines(&prepared).is_empty(),
        "a timer file carries no amounts"
    );
    let file = export(&c.t.store, FileFormat::Iif).expect("the hours are still written");
    assert_eq!(file.cents, 0, "no amount in the file");
}

#[test]
fn a_bonus_marked_paid_by_hand_reaches_no_target() {
    let (c, target, bonus) = sandbox_with_bonus_item();
    let marked =
        c.t.store
            .write(|tx| {
                pay::mark_paid(
                    tx,
                    bonus,
                    "Added to the Nov 6 paychecks in QuickBooks",
                    &common::admin(),
                    common::now(),
                )
            })
            .expect("an approved bonus no target has is marked paid");
    assert!(
        marked.state == BonusState::Paid
            && marked
                .paid_through
                .as_deref()
                .is_some_and(|how| how.contains("Nov 6 paychecks")),
        "paid, with the note: {:?}",
        marked.paid_through
    );
    let prepared = prepare(&c, Target::Integration { id: target });
    assert!(
        bonus_lines(&prepared).is_empty(),
        "the Sandbox does not receive a bonus paid by hand"
    );
}

#[test]
fn a_bonus_a_target_has_part_of_is_not_marked_paid_by_hand() {
    let (c, target, bonus) = sandbox_with_bonus_item();
    let outgoing = begin(&c, target).expect("lines");
    let refused =
        c.t.store
            .write(|tx| pay::mark_paid(tx, bonus, "by hand", &common::admin(), common::now()))
            .expect_err("the Sandbox is being sent it");
    assert!(
        refused.to_string().contains("Sandbox"),
        "names the target that pays it: {refused}"
    );
    accept_all(&c, &outgoing);
}

#[test]
fn an_open_bonus_is_not_paid() {
    let c = crate::payroll_out::company();
    let s = &c.t.store;
    budget(s, c.clinic, None, Some(20), None);
    let id = bonus_on(s, plan(s, LossPolicy::Carry), c.clinic);
    let refused = s
        .write(|tx| pay::mark_paid(tx, id, "by hand", &common::admin(), common::now()))
        .expect_err("not approved");
    assert!(
        refused.to_string().contains("not approved"),
        "says so: {refused}"
    );
    let csv = prepare(
        &c,
        Target::File {
            format: FileFormat::Csv,
        },
    );
    assert!(
        bonus_lines(&csv).is_empty(),
        "an open bonus is a projection, not pay"
    );
}

#[test]
fn paying_a_bonus_is_logged_with_its_amount_and_target() {
    let (c, target, _) = sandbox_with_bonus_item();
    let outgoing = begin(&c, target).expect("lines");
    accept_all(&c, &outgoing);
    let logged =
        c.t.store
            .read(|conn| {
                timebridge_core::audit::list(
                    conn,
                    &timebridge_core::audit::AuditQuery {
                        page: 1,
                        page_size: 10,
                        action: Some(timebridge_core::audit::AuditAction::BonusPaid),
                        ..Default::default()
                    },
                )
            })
            .expect("the log reads");
    assert!(
        logged
            .rows
            .iter()
            .any(|e| e.summary.contains("$52.50") && e.summary.contains("Sandbox")),
        "the payment is in the log: {:?}",
        logged.rows.iter().map(|e| &e.summary).collect::<Vec<_>>()
    );
}
