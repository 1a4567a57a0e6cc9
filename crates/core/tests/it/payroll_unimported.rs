//! Payroll never silently leaves hours out: the staged time entries of a
//! pay period that are not imported (New, Updated, held back or skipped at
//! import) are counted with their hours and whose they are, by the
//! company's days, and the staged review lists exactly those.
//!
//! The period is 2026-10-26 to 2026-11-08 (biweekly), in America/Chicago;
//! "now" is 2026-11-02 15:00 UTC.

use crate::common;

use chrono::NaiveDate;
use common::{admin, now};
use serde_json::{Value, json};
use timebridge_core::Store;
use timebridge_core::middleware::import::{ImportOptions, ImportSummary, Importer};
use timebridge_core::middleware::integrations::{self, IntegrationSettings};
use timebridge_core::middleware::staged::{self, Selection, StagedFilter, StagedQuery};
use timebridge_core::middleware::{Incoming, Module};
use timebridge_core::payroll::periods::PayPeriod;
use timebridge_core::payroll::settings::{
    self, OvernightRule, OvertimePolicy, PayFrequency, PayrollSettings, WeekStart,
};
use timebridge_core::payroll::unimported::{self, UnimportedStaged};
use timebridge_core::payroll::{self, HoursReport};
use timebridge_core::records::time_entries::TimeSpan;

const H: i64 = 3600;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn period() -> PayPeriod {
    PayPeriod {
        start: date("2026-10-26"),
        end: date("2026-11-08"),
    }
}

fn payroll_settings(leave_out_open_entries: bool) -> PayrollSettings {
    PayrollSettings {
        time_zone: "America/Chicago".into(),
        week_start: WeekStart::Monday,
        frequency: PayFrequency::Biweekly,
        anchor: date("2026-10-26"),
        overtime: OvertimePolicy::default(),
        overnight: OvernightRule::SplitAtMidnight,
        leave_out_open_entries,
    }
}

fn save_settings(store: &Store, leave_out_open_entries: bool) {
    store
        .write(|tx| {
            settings::save(
                tx,
                &payroll_settings(leave_out_open_entries),
                &admin(),
                now(),
            )
        })
        .expect("payroll settings saved");
}

/// A store with Chicago biweekly payroll settings.
fn company() -> common::TestStore {
    let t = common::store();
    save_settings(&t.store, true);
    t
}

fn connect(store: &Store, name: &str) -> i64 {
    store
        .write(|tx| {
            integrations::create(
                tx,
                "sandbox",
                name,
                &IntegrationSettings::defaults(now()),
                &admin(),
                now(),
            )
        })
        .expect("integration created")
        .id
}

fn stage(store: &Store, integration: i64, module: Module, records: &[Incoming]) {
    store
        .write(|tx| staged::apply_page(tx, integration, module, None, records, now()))
        .expect("page staged");
}

fn employee(id: &str, first: &str, last: &str, number: &str) -> Incoming {
    Incoming {
        external_id: id.into(),
        data: json!({"first_name": first, "last_name": last, "employee_number": number,
                     "email": null, "phone": null, "hire_date": null, "payroll_id": null, "active": true}),
        label: format!("{first} {last}"),
        record_date: None,
    }
}

/// A staged time entry of `employee` (an id at the source), dated as a
/// connector dates it: the start's day in its own offset.
fn entry(id: &str, employee: &str, span: Value) -> Incoming {
    let parsed: TimeSpan = serde_json::from_value(span.clone()).expect("a time span");
    Incoming {
        external_id: id.into(),
        data: json!({"employee_external_id": employee, "job_external_id": null, "task_external_id": null,
                     "pay_item_external_id": null, "notes": "", "span": span}),
        label: format!("{employee} · {}", parsed.work_date()),
        record_date: Some(parsed.work_date()),
    }
}

fn manual(day: &str, hours: i64) -> Value {
    json!({"kind": "manual", "date": day, "duration_seconds": hours * H})
}

fn clock(start: &str, end: Option<&str>) -> Value {
    json!({"kind": "clock", "start": start, "end": end})
}

/// "late": 22:00-23:00 on 8 November (the period's last day) in Chicago,
/// staged as 9 November UTC.
fn late_on_the_last_day() -> Incoming {
    entry(
        "late",
        "u1",
        clock(
            "2026-11-09T04:00:00+00:00",
            Some("2026-11-09T05:00:00+00:00"),
        ),
    )
}

/// "early": 22:00-23:00 on 25 October (the day before the period) in
/// Chicago, staged as 26 October UTC.
fn early_the_day_before() -> Incoming {
    entry(
        "early",
        "u1",
        clock(
            "2026-10-26T03:00:00+00:00",
            Some("2026-10-26T04:00:00+00:00"),
        ),
    )
}

fn staged_id(store: &Store, integration: i64, external_id: &str) -> i64 {
    store
        .read(|c| {
            staged::list(
                c,
                integration,
                Module::TimeEntries,
                &StagedQuery {
                    filter: StagedFilter {
                        search: Some(external_id.into()),
                        ..StagedFilter::default()
                    },
                    ..StagedQuery::default()
                },
            )
        })
        .expect("listed")
        .rows
        .into_iter()
        .find(|r| r.external_id == external_id)
        .expect("staged")
        .id
}

fn import(store: &Store, integration: i64, ids: &[i64], options: &ImportOptions) -> ImportSummary {
    store
        .write(|tx| {
            let actor = admin();
            let mut importer = Importer::new(tx, integration, options, &actor, now())?;
            importer.import(Module::TimeEntries, ids)
        })
        .expect("the import runs")
}

fn report(store: &Store) -> HoursReport {
    store
        .read(|c| payroll::hours_for_day(c, Some(date("2026-10-28")), now()))
        .expect("the period's hours")
}

fn left_out(store: &Store) -> UnimportedStaged {
    report(store).unimported_staged
}

/// Rosa (u1) with `entries` staged in integration "Sandbox".
fn rosa_with(t: &common::TestStore, entries: &[Incoming]) -> i64 {
    let sandbox = connect(&t.store, "Sandbox");
    stage(
        &t.store,
        sandbox,
        Module::Employees,
        &[employee("u1", "Rosa", "Diaz", "E-7")],
    );
    stage(&t.store, sandbox, Module::TimeEntries, entries);
    sandbox
}

#[test]
fn new_entries_of_the_period_are_counted_with_their_hours_and_whose_they_are() {
    let t = company();
    rosa_with(
        &t,
        &[
            entry("t1", "u1", manual("2026-10-28", 8)),
            entry(
                "t2",
                "u1",
                clock(
                    "2026-10-29T07:00:00-05:00",
                    Some("2026-10-29T08:30:00-05:00"),
                ),
            ),
        ],
    );

    let found = left_out(&t.store);
    assert_eq!(
        found.count, 2,
        "both New entries of the period are left out"
    );
    assert_eq!(
        found.seconds,
        8 * H + 90 * 60,
        "a manual entry counts its duration, a clocked one its span"
    );
    assert_eq!(found.new.count, 2, "both are New");
    assert_eq!(found.updated.count, 0, "none was imported before");
    assert_eq!(
        found.employees.len(),
        1,
        "one employee's time: {:?}",
        found.employees
    );
    let rosa = &found.employees[0];
    assert_eq!(
        (
            rosa.name.as_str(),
            rosa.employee_number.as_deref(),
            rosa.employee_id
        ),
        ("Rosa Diaz", Some("E-7"), None),
        "named by the staged employee, who is not imported either"
    );
    assert_eq!(
        (found.integrations.len(), found.integrations[0].count),
        (1, 2),
        "where to review them: the Sandbox, with both"
    );
}

#[test]
fn entries_just_outside_the_period_are_not_counted() {
    let t = company();
    rosa_with(
        &t,
        &[
            entry("before", "u1", manual("2026-10-25", 8)),
            entry("first", "u1", manual("2026-10-26", 1)),
            entry("last", "u1", manual("2026-11-08", 2)),
            entry("after", "u1", manual("2026-11-09", 8)),
        ],
    );

    let found = left_out(&t.store);
    assert_eq!(
        (found.count, found.seconds),
        (2, 3 * H),
        "only the period's first and last days count, not the days either side"
    );
}

#[test]
fn days_are_the_payroll_time_zone_days_not_the_entries_own_offset() {
    let t = company();
    rosa_with(&t, &[late_on_the_last_day(), early_the_day_before()]);

    let found = left_out(&t.store);
    assert_eq!(
        (found.count, found.seconds),
        (1, H),
        "the entry worked on the period's last Chicago day counts and the one worked the day before the period does not, whatever their UTC dates"
    );
}

#[test]
fn a_shift_over_the_periods_end_counts_only_its_part_inside() {
    let t = company();
    rosa_with(
        &t,
        &[entry(
            "overnight",
            "u1",
            clock(
                "2026-11-08T22:00:00-06:00",
                Some("2026-11-09T02:00:00-06:00"),
            ),
        )],
    );

    let found = left_out(&t.store);
    assert_eq!(
        (found.count, found.seconds),
        (1, 2 * H),
        "split at midnight as payroll splits it: the two hours before midnight are this period's"
    );
}

#[test]
fn imported_archived_and_removed_entries_are_not_counted() {
    let t = company();
    let sandbox = rosa_with(
        &t,
        &[
            entry("imported", "u1", manual("2026-10-27", 8)),
            entry("archived", "u1", manual("2026-10-28", 8)),
            entry("removed", "u1", manual("2026-10-29", 8)),
            entry("new", "u1", manual("2026-10-30", 4)),
        ],
    );
    let imported = staged_id(&t.store, sandbox, "imported");
    let summary = import(&t.store, sandbox, &[imported], &ImportOptions::default());
    assert_eq!(
        summary.created, 2,
        "the entry and its employee: {summary:?}"
    );
    t.store
        .write(|tx| {
            staged::set_archived(
                tx,
                sandbox,
                Module::TimeEntries,
                &Selection::Ids {
                    ids: vec![staged_id(&t.store, sandbox, "archived")],
                },
                true,
                &admin(),
                now(),
            )?;
            staged::mark_removed(
                tx,
                sandbox,
                Module::TimeEntries,
                &["removed".to_owned()],
                now(),
            )
        })
        .expect("archived and removed");

    let report = report(&t.store);
    assert_eq!(report.total_seconds, 8 * H, "the imported entry is paid");
    assert_eq!(
        (
            report.unimported_staged.count,
            report.unimported_staged.seconds
        ),
        (1, 4 * H),
        "only the New entry is left out: not the imported one (paid), the archived one (set aside) or the one removed at the source before it was imported (nothing to import)"
    );
}

#[test]
fn an_updated_entry_counts_its_newer_version_and_the_payroll_its_imported_copy() {
    let t = company();
    let sandbox = rosa_with(&t, &[entry("t1", "u1", manual("2026-10-28", 8))]);
    import(
        &t.store,
        sandbox,
        &[staged_id(&t.store, sandbox, "t1")],
        &ImportOptions::default(),
    );
    // Corrected at the source: nine hours, not eight.
    stage(
        &t.store,
        sandbox,
        Module::TimeEntries,
        &[entry("t1", "u1", manual("2026-10-28", 9))],
    );

    let report = report(&t.store);
    let found = &report.unimported_staged;
    assert_eq!(
        report.total_seconds,
        8 * H,
        "the payroll pays the imported copy"
    );
    assert_eq!(
        (found.count, found.updated.count, found.new.count),
        (1, 1, 0),
        "the corrected entry is left out as Updated"
    );
    assert_eq!(
        (found.updated.seconds, found.updated.imported_seconds),
        (9 * H, 8 * H),
        "it says the difference: the newer nine hours are not counted, the imported eight are"
    );
    assert!(
        found.employees[0].employee_id.is_some(),
        "named by the local employee Rosa was imported as: {:?}",
        found.employees
    );
    assert!(
        found.describe().contains(
            "the payroll counts its imported copy (8.00 h), not the newer version (9.00 h)"
        ),
        "the words say how the payroll differs: {}",
        found.describe()
    );
}

#[test]
fn an_entry_held_back_at_import_is_counted() {
    let t = company();
    // A local Rosa with the same number: the staged one is held back until
    // the admin links or creates it, and her time with it.
    common::employee(&t.store, "Rosa", "Diaz", Some("E-7"));
    let sandbox = rosa_with(&t, &[entry("t1", "u1", manual("2026-10-28", 8))]);
    let summary = import(
        &t.store,
        sandbox,
        &[staged_id(&t.store, sandbox, "t1")],
        &ImportOptions::default(),
    );
    assert_eq!(
        summary.skipped.len(),
        1,
        "the entry waits for its employee: {summary:?}"
    );

    let found = left_out(&t.store);
    assert_eq!(
        (found.count, found.seconds),
        (1, 8 * H),
        "the held-back entry is still left out, and said so"
    );
    assert_eq!(
        found.employees[0].name, "Rosa Diaz",
        "named by the staged employee"
    );
}

#[test]
fn an_entry_skipped_at_import_is_counted_and_named_by_its_id_at_the_source() {
    let t = company();
    let sandbox = connect(&t.store, "Sandbox");
    // Its employee was never synced: the import skips it.
    stage(
        &t.store,
        sandbox,
        Module::TimeEntries,
        &[entry("t1", "u404", manual("2026-10-28", 8))],
    );
    let summary = import(
        &t.store,
        sandbox,
        &[staged_id(&t.store, sandbox, "t1")],
        &ImportOptions::default(),
    );
    assert_eq!(summary.skipped.len(), 1, "skipped: {summary:?}");

    let found = left_out(&t.store);
    assert_eq!(found.count, 1, "the skipped entry is left out, and said so");
    assert_eq!(
        found.employees[0].name, "Employee u404 at the source",
        "an employee known only by the source's id"
    );
}

#[test]
fn a_running_entry_is_counted_only_when_the_payroll_counts_running_entries() {
    let t = company();
    rosa_with(
        &t,
        &[entry(
            "running",
            "u1",
            clock("2026-11-02T07:00:00-06:00", None),
        )],
    );
    assert_eq!(
        left_out(&t.store).count,
        0,
        "running entries are left out of payroll even when imported: not counted as unimported"
    );

    save_settings(&t.store, false);
    let found = left_out(&t.store);
    assert_eq!(
        (found.count, found.seconds),
        (1, 2 * H),
        "counted up to now (15:00 UTC is 09:00 in Chicago) when the payroll counts running entries"
    );
}

#[test]
fn every_integrations_entries_are_counted_and_employees_are_merged_by_local_employee() {
    let t = company();
    let sandbox = rosa_with(&t, &[entry("t1", "u1", manual("2026-10-28", 8))]);
    let other = connect(&t.store, "ClockShark");
    stage(
        &t.store,
        other,
        Module::Employees,
        &[employee("9", "Sam", "Lee", "E-9")],
    );
    stage(
        &t.store,
        other,
        Module::TimeEntries,
        &[entry("c1", "9", manual("2026-10-29", 3))],
    );

    let found = left_out(&t.store);
    assert_eq!(
        found
            .integrations
            .iter()
            .map(|i| (i.integration_id, i.count, i.seconds))
            .collect::<Vec<_>>(),
        vec![(sandbox, 1, 8 * H), (other, 1, 3 * H)],
        "each integration's share, where it can be reviewed"
    );
    assert_eq!(
        found
            .employees
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Rosa Diaz", "Sam Lee"],
        "whose, by name"
    );
}

#[test]
fn the_review_filter_lists_exactly_the_entries_the_payroll_leaves_out() {
    let t = company();
    let sandbox = rosa_with(
        &t,
        &[
            entry("in", "u1", manual("2026-10-28", 8)),
            entry("after", "u1", manual("2026-11-09", 8)),
            early_the_day_before(),
            late_on_the_last_day(),
            entry("imported", "u1", manual("2026-10-27", 8)),
        ],
    );
    import(
        &t.store,
        sandbox,
        &[staged_id(&t.store, sandbox, "imported")],
        &ImportOptions::default(),
    );
    let filter = StagedFilter {
        left_out_of_payroll: Some(period()),
        ..StagedFilter::default()
    };
    let page = t
        .store
        .read(|c| {
            staged::list(
                c,
                sandbox,
                Module::TimeEntries,
                &StagedQuery {
                    filter: filter.clone(),
                    ..StagedQuery::default()
                },
            )
        })
        .expect("listed");
    let mut listed: Vec<&str> = page.rows.iter().map(|r| r.external_id.as_str()).collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        vec!["in", "late"],
        "the list shows exactly the entries counted, by the company's days"
    );
    assert_eq!(
        page.total,
        left_out(&t.store).count,
        "the list's total is the count the payroll page shows"
    );

    let selected = t
        .store
        .read(|c| {
            staged::selected_ids(
                c,
                sandbox,
                Module::TimeEntries,
                &Selection::Matching {
                    filter: filter.clone(),
                },
            )
        })
        .expect("selected");
    let mut expected = vec![
        staged_id(&t.store, sandbox, "in"),
        staged_id(&t.store, sandbox, "late"),
    ];
    expected.sort_unstable();
    assert_eq!(
        selected, expected,
        "\"import all matching\" imports exactly those (in id order)"
    );
    let employees = t
        .store
        .read(|c| {
            staged::list(
                c,
                sandbox,
                Module::Employees,
                &StagedQuery {
                    filter,
                    ..StagedQuery::default()
                },
            )
        })
        .expect("listed");
    assert_eq!(
        employees.total, 0,
        "only time entries are left out of a payroll"
    );
}

#[test]
fn publishing_is_refused_until_the_admin_confirms_leaving_them_out() {
    let t = company();
    rosa_with(&t, &[entry("t1", "u1", manual("2026-10-28", 8))]);
    let found = left_out(&t.store);

    let refused = unimported::check_publish(&found, false, "confirm to publish without them")
        .expect_err("unconfirmed, publishing stops");
    let text = refused.to_string();
    assert!(
        text.contains("1 staged time entry")
            && text.contains("8.00 h")
            && text.contains("Rosa Diaz"),
        "the refusal says how many, how many hours and whose: {text}"
    );
    assert!(
        unimported::check_publish(&found, true, "").is_ok(),
        "once confirmed, publishing goes on"
    );
    assert!(
        unimported::check_publish(&UnimportedStaged::default(), false, "").is_ok(),
        "nothing left out, nothing to confirm"
    );
}

#[test]
fn nothing_staged_nothing_left_out() {
    let t = company();
    let found = left_out(&t.store);
    assert!(
        found.is_empty(),
        "no staged time, nothing to say: {found:?}"
    );
    let json = serde_json::to_value(report(&t.store)).expect("the report serializes");
    assert_eq!(
        json["unimported_staged"]["count"],
        json!(0),
        "`payroll hours --json` carries unimported_staged.count"
    );
    assert_eq!(
        json["unimported_staged"]["seconds"],
        json!(0),
        "and unimported_staged.seconds"
    );
}
