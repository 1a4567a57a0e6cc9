//! Time of employees (jobs, tasks, pay items) deactivated at the source: a
//! terminated employee's last hours are imported and paid; only a new entry
//! typed by hand must pick an active employee.

use super::*;
use timebridge_core::payroll;
use timebridge_core::records::time_entries::{self, TimeEntryDraft, TimeSpan};
use timebridge_core::records::{RecordKind, jobs, pay_ids, tasks};

/// Rosa as the source has her after her last day: deactivated.
fn terminated_rosa() -> Incoming {
    let mut rosa = rosa();
    rosa.data["active"] = json!(false);
    rosa
}

/// A list query that includes deactivated records.
fn everything<S>() -> ListQuery<S> {
    ListQuery {
        include_inactive: true,
        ..ListQuery::default()
    }
}

fn rosa_local(store: &Store) -> employees::Employee {
    store
        .read(|c| employees::list(c, &everything()))
        .expect("listed")
        .rows
        .into_iter()
        .find(|e| e.first_name == "Rosa")
        .expect("Rosa is a local employee")
}

fn live_time_entries(store: &Store) -> Vec<time_entries::TimeEntry> {
    store
        .read(|c| time_entries::list(c, &ListQuery::default()))
        .expect("listed")
        .rows
}

/// Seconds of `employee_id` in the pay period holding 2026-10-30.
fn period_seconds(store: &Store, employee_id: i64) -> Option<i64> {
    let day = "2026-10-30".parse().expect("date");
    store
        .read(|c| payroll::hours_for_day(c, Some(day), now()))
        .expect("hours computed")
        .employees
        .into_iter()
        .find(|e| e.employee_id == employee_id)
        .map(|e| e.hours.total_seconds)
}

#[test]
fn the_time_of_an_employee_new_and_deactivated_at_the_source_imports_and_she_is_created_inactive() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[terminated_rosa()],
        now(),
    );
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    let summary = import(&t.store, integration, Module::TimeEntries, &[entry], now());

    assert_eq!(
        (summary.created, summary.skipped.len()),
        (4, 0),
        "her time entry is imported with her, the job and the customer, none skipped: {summary:?}"
    );
    assert!(
        !rosa_local(&t.store).active,
        "she is created as the source has her: deactivated"
    );
    assert_eq!(
        live_time_entries(&t.store).len(),
        1,
        "her last hours are a live time entry, not a voided one"
    );
}

#[test]
fn the_last_hours_of_an_employee_deactivated_after_her_import_are_imported_and_she_stays_inactive()
{
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let employee = staged_id(&t.store, integration, Module::Employees, "u1");
    import(&t.store, integration, Module::Employees, &[employee], now());
    let later = now() + Duration::hours(1);
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[terminated_rosa()],
        later,
    );
    import(&t.store, integration, Module::Employees, &[employee], later);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");
    let rosa = rosa_local(&t.store);
    assert!(
        !rosa.active,
        "the import of her deactivation deactivated her"
    );

    let summary = import(&t.store, integration, Module::TimeEntries, &[entry], later);

    assert_eq!(
        (summary.created, summary.skipped.len()),
        (3, 0),
        "her final time entry is created (with its job and customer), not skipped: {summary:?}"
    );
    assert!(
        !rosa_local(&t.store).active,
        "importing her time does not reactivate her"
    );
    assert_eq!(
        period_seconds(&t.store, rosa.id),
        Some(8 * 3600),
        "and the pay period's hours include her 8 hours, so her final paycheck is whole"
    );
}

#[test]
fn time_on_a_job_task_and_pay_item_deactivated_at_the_source_is_imported_with_them_inactive() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let closed_job = incoming(
        "j1",
        "Harbor Homes:Deck",
        json!({"name": "Deck", "customer_external_id": "c1", "job_number": "J-100", "active": false}),
    );
    let retired_pay_item = incoming(
        "p1",
        "Bonus hours",
        json!({"code": "BONUS", "name": "Bonus hours", "category": "other", "multiplier": 1.0, "active": false}),
    );
    let retired_task = incoming(
        "k1",
        "Deck:Framing",
        json!({"job_external_id": "j1", "code": "02-200", "name": "Framing", "pay_item_external_id": "p1", "active": false}),
    );
    stage(&t.store, integration, Module::Jobs, &[closed_job], now());
    stage(
        &t.store,
        integration,
        Module::PayItems,
        &[retired_pay_item],
        now(),
    );
    stage(&t.store, integration, Module::Tasks, &[retired_task], now());
    let mut worked = time_entry("t1", 8 * 3600);
    worked.data["task_external_id"] = json!("k1");
    worked.data["pay_item_external_id"] = json!("p1");
    stage(&t.store, integration, Module::TimeEntries, &[worked], now());
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    let summary = import(&t.store, integration, Module::TimeEntries, &[entry], now());
    let (job, task, pay_item) = t
        .store
        .read(|c| {
            Ok((
                jobs::list(c, &everything())?.rows.first().map(|j| j.active),
                tasks::list(c, &everything())?
                    .rows
                    .first()
                    .map(|t| t.active),
                pay_ids::list(c, &everything())?
                    .rows
                    .into_iter()
                    .find(|p| p.code == "BONUS")
                    .map(|p| (p.id, p.active)),
            ))
        })
        .expect("listed");

    assert_eq!(
        (summary.created, summary.skipped.len()),
        (6, 0),
        "the hours were worked: the entry comes in with its employee, customer, job, task and pay item: {summary:?}"
    );
    assert_eq!(
        (job, task, pay_item.map(|(_, active)| active)),
        (Some(false), Some(false), Some(false)),
        "the job, task and pay item are created as the source has them: deactivated"
    );
    assert_eq!(
        live_time_entries(&t.store).first().and_then(|e| e.pay_id),
        pay_item.map(|(id, _)| id),
        "and the entry keeps its pay item, so it is paid as worked"
    );
}

#[test]
fn a_new_time_entry_typed_by_hand_for_a_deactivated_employee_is_still_refused() {
    let t = common::store();
    let integration = connect(&t.store);
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[terminated_rosa()],
        now(),
    );
    let employee = staged_id(&t.store, integration, Module::Employees, "u1");
    import(&t.store, integration, Module::Employees, &[employee], now());
    let rosa = rosa_local(&t.store);

    let typed = t.store.write(|tx| {
        time_entries::create(
            tx,
            &TimeEntryDraft {
                employee_id: rosa.id,
                job_id: None,
                task_id: None,
                pay_id: None,
                span: TimeSpan::Manual {
                    date: "2026-10-30".parse().expect("date"),
                    duration_seconds: 3600,
                },
                notes: String::new(),
            },
            &NewRecordSource::Manual,
            &admin(),
            now(),
        )
    });

    let error = typed.expect_err("a deactivated employee is not someone to enter new time for");
    assert!(
        error.to_string().contains(&format!(
            "That {} is deactivated",
            RecordKind::Employee.label()
        )),
        "the form says why: {error}"
    );
}
