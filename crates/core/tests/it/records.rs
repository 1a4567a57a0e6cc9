//! Local records: validation, sources, listing, deactivation, audit.

use crate::common;

use chrono::{Duration, NaiveDate};
use common::{admin, central, employee, integration, job, now, problem_fields};
use timebridge_core::audit::{self, AuditAction, AuditQuery};
use timebridge_core::records::budgets::{self, BudgetDraft};
use timebridge_core::records::employees::{self, EmployeeDraft, EmployeeSort};
use timebridge_core::records::pay_ids::{self, PayCategory, PayIdDraft};
use timebridge_core::records::tasks::{self, TaskDraft};
use timebridge_core::records::time_entries::{self, TimeEntry, TimeEntryDraft, TimeSpan};
use timebridge_core::records::{ListQuery, NewRecordSource, RecordSource, SourceFilter};
use timebridge_core::{Error, ErrorCode};

fn clocked(
    employee_id: i64,
    job_id: Option<i64>,
    start: (u32, u32),
    end: (u32, u32),
) -> TimeEntryDraft {
    TimeEntryDraft {
        employee_id,
        job_id,
        task_id: None,
        pay_id: None,
        span: TimeSpan::Clock {
            start: central(start.0, start.1),
            end: Some(central(end.0, end.1)),
        },
        notes: String::new(),
    }
}

/// Saves a new manual time entry.
fn save_entry(store: &timebridge_core::Store, draft: &TimeEntryDraft) -> Result<TimeEntry, Error> {
    store.write(|tx| time_entries::create(tx, draft, &NewRecordSource::Manual, &admin(), now()))
}

#[test]
fn a_manual_employee_is_listed_with_synced_status_manual() {
    let t = common::store();
    employee(&t.store, "Rosa", "Diaz", Some("104"));

    let page = t
        .store
        .read(|conn| employees::list(conn, &ListQuery::default()))
        .expect("list works");

    assert_eq!(page.total, 1, "the new employee is listed");
    assert_eq!(
        page.rows[0].meta.synced_status, "Manual",
        "a record created by hand shows Synced status Manual"
    );
}

#[test]
fn a_duplicate_employee_number_is_refused_naming_who_has_it() {
    let t = common::store();
    employee(&t.store, "Rosa", "Diaz", Some("104"));

    let error = t
        .store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    first_name: "Sam".into(),
                    last_name: "Lee".into(),
                    employee_number: Some(" 104 ".into()),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect_err("a second employee 104 must be refused");

    assert_eq!(
        problem_fields(&error),
        ["employee_number"],
        "the number field is marked"
    );
    assert!(
        error.to_string().contains("Rosa Diaz"),
        "the message says who already has the number: {error}"
    );
}

#[test]
fn a_time_entry_ending_before_it_starts_is_refused() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);

    let error = save_entry(&t.store, &clocked(rosa.id, None, (15, 0), (7, 0)))
        .expect_err("an end before the start must be refused");

    assert_eq!(problem_fields(&error), ["end"], "the end field is marked");
    assert!(
        error.to_string().contains("before the start"),
        "the message says why: {error}"
    );
}

#[test]
fn a_time_entry_for_an_unknown_job_is_refused() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);

    let error = save_entry(&t.store, &clocked(rosa.id, Some(4242), (7, 0), (15, 0)))
        .expect_err("job 4242 does not exist");

    assert_eq!(
        problem_fields(&error),
        ["job_id"],
        "the job field is marked"
    );
    assert!(
        error.to_string().contains("no job with id 4242"),
        "the message names the job: {error}"
    );
}

#[test]
fn a_time_entry_with_a_task_of_another_job_is_refused() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let main_st = job(&t.store, "Main St");
    let oak_ave = job(&t.store, "Oak Ave");
    let framing = t
        .store
        .write(|tx| {
            tasks::create(
                tx,
                &TaskDraft {
                    job_id: Some(oak_ave.id),
                    code: "100".into(),
                    name: "Framing".into(),
                    pay_id: None,
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("task created");
    let mut draft = clocked(rosa.id, Some(main_st.id), (7, 0), (15, 0));
    draft.task_id = Some(framing.id);

    let error = save_entry(&t.store, &draft).expect_err("Oak Ave's task cannot be used on Main St");

    assert_eq!(
        problem_fields(&error),
        ["task_id"],
        "the task field is marked"
    );
}

#[test]
fn overlapping_clocked_entries_of_one_employee_are_refused() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let first =
        save_entry(&t.store, &clocked(rosa.id, None, (7, 0), (12, 0))).expect("first entry saved");

    let error = save_entry(&t.store, &clocked(rosa.id, None, (11, 30), (15, 0)))
        .expect_err("11:30-15:00 overlaps 07:00-12:00");

    assert!(
        error.to_string().contains(&format!("#{}", first.id)),
        "the message names the entry it overlaps: {error}"
    );
}

#[test]
fn back_to_back_entries_do_not_count_as_overlapping() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    save_entry(&t.store, &clocked(rosa.id, None, (7, 0), (12, 0))).expect("morning saved");

    let afternoon = save_entry(&t.store, &clocked(rosa.id, None, (12, 0), (15, 0)));

    assert!(
        afternoon.is_ok(),
        "an entry starting when the last one ended is fine: {afternoon:?}"
    );
}

#[test]
fn a_clocked_entry_keeps_its_offset_and_counts_on_its_local_date() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let late = TimeEntryDraft {
        span: TimeSpan::Clock {
            start: central(20, 0),
            end: Some(central(20, 0) + Duration::hours(5)),
        },
        ..clocked(rosa.id, None, (0, 0), (0, 0))
    };

    let entry = save_entry(&t.store, &late).expect("an overnight entry is valid");

    let TimeSpan::Clock {
        start,
        end: Some(end),
    } = entry.span
    else {
        panic!("a clocked entry reads back as clocked");
    };
    assert_eq!(
        start.offset().local_minus_utc(),
        -6 * 3600,
        "the UTC-6 offset is kept"
    );
    assert_eq!(
        end.to_rfc3339(),
        "2026-11-03T01:00:00-06:00",
        "the end reads back exactly"
    );
    assert_eq!(
        entry.work_date,
        NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"),
        "it counts on the local date it started, not the UTC date (Nov 3 02:00Z)"
    );
    assert_eq!(
        entry.duration_seconds,
        Some(5 * 3600),
        "duration is end minus start"
    );
}

#[test]
fn a_manual_entry_stores_a_date_and_a_duration() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let date = NaiveDate::from_ymd_opt(2026, 11, 3).expect("date");

    let entry = save_entry(
        &t.store,
        &TimeEntryDraft {
            span: TimeSpan::Manual {
                date,
                duration_seconds: 8 * 3600,
            },
            ..clocked(rosa.id, None, (0, 0), (0, 0))
        },
    )
    .expect("a manual entry is valid");

    assert_eq!(
        (entry.work_date, entry.duration_seconds),
        (date, Some(8 * 3600)),
        "a manual entry is a date and a duration"
    );
}

#[test]
fn a_running_entry_has_no_duration_and_only_one_may_run() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let running = TimeEntryDraft {
        span: TimeSpan::Clock {
            start: central(7, 0),
            end: None,
        },
        ..clocked(rosa.id, None, (0, 0), (0, 0))
    };
    let first = save_entry(&t.store, &running).expect("a running entry is valid");
    assert_eq!(
        first.duration_seconds, None,
        "a running entry has no duration yet"
    );

    let second = TimeEntryDraft {
        span: TimeSpan::Clock {
            start: central(9, 0),
            end: None,
        },
        ..running
    };
    let error =
        save_entry(&t.store, &second).expect_err("a second running entry overlaps the first");
    assert_eq!(
        error.code(),
        ErrorCode::Validation,
        "it is a validation problem"
    );
}

#[test]
fn lists_page_sort_and_search_in_the_database() {
    let t = common::store();
    for (first, last, number) in [
        ("Ann", "Zimmer", "3"),
        ("Bob", "Young", "1"),
        ("Cy", "Xu", "2"),
        ("Dee", "Young", "4"),
    ] {
        employee(&t.store, first, last, Some(number));
    }

    let by_number = t
        .store
        .read(|conn| {
            employees::list(
                conn,
                &ListQuery {
                    sort: Some(EmployeeSort::EmployeeNumber),
                    descending: true,
                    page: 2,
                    page_size: 2,
                    ..Default::default()
                },
            )
        })
        .expect("list works");
    let numbers: Vec<_> = by_number
        .rows
        .iter()
        .filter_map(|e| e.employee_number.as_deref())
        .collect();
    assert_eq!(numbers, ["2", "1"], "page 2 of 2, numbers descending");
    assert_eq!(
        by_number.total, 4,
        "the total counts every match, not only the page"
    );

    let young = t
        .store
        .read(|conn| {
            employees::list(
                conn,
                &ListQuery {
                    search: Some("young d".into()),
                    ..Default::default()
                },
            )
        })
        .expect("search works");
    let names: Vec<_> = young.rows.iter().map(|e| e.display_name.as_str()).collect();
    assert_eq!(names, ["Dee Young"], "every word must match some column");
}

#[test]
fn the_source_filter_separates_manual_and_imported_records() {
    let t = common::store();
    let qb = integration(&t.store, "QuickBooks Time");
    employee(&t.store, "Rosa", "Diaz", None);
    t.store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    first_name: "Sam".into(),
                    last_name: "Lee".into(),
                    ..Default::default()
                },
                &NewRecordSource::Imported {
                    integration_id: qb,
                    external_id: "933849".into(),
                },
                &admin(),
                now(),
            )
        })
        .expect("imported employee created");

    let list = |source| {
        t.store
            .read(|conn| {
                employees::list(
                    conn,
                    &ListQuery {
                        source,
                        ..Default::default()
                    },
                )
            })
            .expect("list works")
    };
    let imported = list(SourceFilter::Integration { integration_id: qb });
    assert_eq!(
        imported.rows.len(),
        1,
        "one employee came from QuickBooks Time"
    );
    assert_eq!(
        imported.rows[0].meta.source,
        RecordSource::Imported {
            integration_id: Some(qb),
            integration_name: Some("QuickBooks Time".into()),
            external_id: "933849".into()
        },
        "the source names the integration and the external id"
    );
    assert_eq!(
        imported.rows[0].meta.synced_status, "Imported from QuickBooks Time",
        "as the column shows it"
    );
    assert_eq!(
        list(SourceFilter::Manual).rows[0].display_name,
        "Rosa Diaz",
        "the manual one is Rosa"
    );
}

#[test]
fn a_deactivated_record_leaves_the_default_list_but_is_kept() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    t.store
        .write(|tx| employees::set_active(tx, rosa.id, false, &admin(), now()))
        .expect("deactivation works");

    let (active, all) = t
        .store
        .read(|conn| {
            Ok((
                employees::list(conn, &ListQuery::default())?.total,
                employees::list(
                    conn,
                    &ListQuery {
                        include_inactive: true,
                        ..Default::default()
                    },
                )?
                .total,
            ))
        })
        .expect("lists work");
    assert_eq!(
        (active, all),
        (0, 1),
        "deactivated records are hidden by default, never deleted"
    );
}

#[test]
fn time_entries_are_listed_by_job_and_a_kind_without_jobs_refuses_the_filter() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let main_st = job(&t.store, "Main St");
    let oak_ave = job(&t.store, "Oak Ave");
    save_entry(
        &t.store,
        &clocked(rosa.id, Some(main_st.id), (7, 0), (11, 0)),
    )
    .expect("saved");
    save_entry(
        &t.store,
        &clocked(rosa.id, Some(oak_ave.id), (12, 0), (15, 0)),
    )
    .expect("saved");
    save_entry(&t.store, &clocked(rosa.id, None, (16, 0), (17, 0))).expect("saved");

    let on_main_st = t
        .store
        .read(|conn| {
            time_entries::list(
                conn,
                &ListQuery {
                    job_id: Some(main_st.id),
                    ..Default::default()
                },
            )
        })
        .expect("list works");
    let jobs: Vec<_> = on_main_st.rows.iter().map(|e| e.job_id).collect();
    assert_eq!(
        (jobs, on_main_st.total),
        (vec![Some(main_st.id)], 1),
        "only the time on Main St, counted as such"
    );

    let error = t
        .store
        .read(|conn| {
            employees::list(
                conn,
                &ListQuery {
                    job_id: Some(main_st.id),
                    ..Default::default()
                },
            )
        })
        .expect_err("employees have no job");
    assert_eq!(
        problem_fields(&error),
        ["job_id"],
        "a job filter on a kind without jobs is refused, not ignored"
    );
}

#[test]
fn an_edit_is_logged_with_the_fields_it_changed_and_an_unchanged_save_is_not() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", Some("104"));
    let mut draft = rosa.draft();
    draft.email = Some("rosa@example.com".into());
    t.store
        .write(|tx| employees::update(tx, rosa.id, &draft, &admin(), now()))
        .expect("edit saved");
    t.store
        .write(|tx| employees::update(tx, rosa.id, &draft, &admin(), now() + Duration::minutes(5)))
        .expect("the same save again");

    let edits = t
        .store
        .read(|conn| {
            audit::list(
                conn,
                &AuditQuery {
                    action: Some(AuditAction::RecordUpdated),
                    ..Default::default()
                },
            )
        })
        .expect("audit readable");
    assert_eq!(
        edits.total, 1,
        "saving without changes writes no audit entry"
    );
    let details = edits.rows[0].details.clone().expect("an edit has details");
    assert_eq!(
        details["email"]["to"], "rosa@example.com",
        "the log says which field changed and to what"
    );
    assert!(
        details.get("first_name").is_none(),
        "unchanged fields are left out"
    );
}

#[test]
fn the_six_built_in_pay_ids_are_preloaded() {
    let t = common::store();
    let page = t
        .store
        .read(|conn| pay_ids::list(conn, &ListQuery::default()))
        .expect("list works");
    let mut codes: Vec<_> = page.rows.iter().map(|p| p.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        ["DT", "HOL", "OT", "PTO", "REG", "SICK"],
        "payroll needs these from the start"
    );
}

#[test]
fn regular_time_cannot_be_deactivated_but_a_new_pay_id_can_be_added() {
    let t = common::store();
    let reg = t
        .store
        .read(|conn| pay_ids::find_by_code(conn, "reg"))
        .expect("lookup works")
        .expect("REG exists");
    let refused = t
        .store
        .write(|tx| pay_ids::set_active(tx, reg.id, false, &admin(), now()))
        .expect_err("payroll needs REG");
    assert_eq!(
        refused.code(),
        ErrorCode::Conflict,
        "refused as a conflict with payroll"
    );

    let per_diem = t
        .store
        .write(|tx| {
            pay_ids::create(
                tx,
                &PayIdDraft {
                    code: "pd".into(),
                    name: "Per diem".into(),
                    category: PayCategory::Other,
                    multiplier: 1.0,
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("a new pay ID can be added");
    assert_eq!(
        per_diem.code, "PD",
        "codes are stored upper-case, as payroll files expect"
    );
}

#[test]
fn a_budget_needs_hours_or_an_amount() {
    let t = common::store();
    let main_st = job(&t.store, "Main St");
    let error = t
        .store
        .write(|tx| {
            budgets::create(
                tx,
                &BudgetDraft {
                    job_id: main_st.id,
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect_err("an empty budget says nothing");
    assert_eq!(
        problem_fields(&error),
        ["budget_seconds"],
        "the hours field is marked"
    );
}

#[test]
fn a_voided_time_entry_is_kept_and_restoring_it_rechecks_overlaps() {
    let t = common::store();
    let rosa = employee(&t.store, "Rosa", "Diaz", None);
    let first = save_entry(&t.store, &clocked(rosa.id, None, (7, 0), (12, 0))).expect("saved");
    t.store
        .write(|tx| time_entries::set_active(tx, first.id, false, &admin(), now()))
        .expect("voided");
    save_entry(&t.store, &clocked(rosa.id, None, (8, 0), (11, 0)))
        .expect("a voided entry does not block the replacement");

    let error = t
        .store
        .write(|tx| time_entries::set_active(tx, first.id, true, &admin(), now()))
        .expect_err("restoring would overlap the replacement");
    assert!(
        matches!(error, Error::Validation(_)),
        "refused with the overlap explained: {error}"
    );
}
