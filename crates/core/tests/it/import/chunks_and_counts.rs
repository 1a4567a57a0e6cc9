//! Chunked imports, the kept counts, hours per day and the activity log.

use super::*;

#[test]
fn a_stopped_import_keeps_whole_chunks_and_nothing_half_done() {
    let t = common::store();
    let integration = connect(&t.store);
    let chunk = timebridge_core::middleware::import::CHUNK;
    let people: Vec<Incoming> = (0..chunk * 2 + 200)
        .map(|i| {
            incoming(
                &format!("u{i}"),
                &format!("Worker {i}"),
                json!({"first_name": "Worker", "last_name": format!("{i}"), "active": true}),
            )
        })
        .collect();
    stage(&t.store, integration, Module::Employees, &people, now());
    let ids = t
        .store
        .read(|c| {
            timebridge_core::middleware::import::selected_ids(
                c,
                integration,
                Module::Employees,
                &staged::Selection::Matching {
                    filter: StagedFilter::default(),
                },
            )
        })
        .expect("selected");
    let mut reports = Vec::new();

    let summary = timebridge_core::middleware::import::run_ids(
        &t.store,
        integration,
        Module::Employees,
        &ids,
        &ImportOptions::default(),
        &admin(),
        now(),
        &mut |done| {
            reports.push(done);
            false // the admin pressed Cancel during the first chunk
        },
    )
    .expect("stops cleanly");
    let imported_staged = t
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM staged_records WHERE status = 'imported'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .expect("counted");

    assert_eq!(
        reports,
        [chunk as u64],
        "progress was reported after the first chunk"
    );
    assert_eq!(
        summary.created, chunk as u64,
        "one chunk was imported: {}",
        summary.created
    );
    assert_eq!(
        (local_employees_count(&t.store), imported_staged),
        (chunk as i64, chunk as i64),
        "local records and staged statuses agree: nothing half-done"
    );
}

fn local_employees_count(store: &Store) -> i64 {
    store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM employees", [], |r| r.get(0))?))
        .expect("counted")
}

#[test]
fn hours_per_day_sum_manual_and_clocked_time_of_the_filtered_set() {
    let t = common::store();
    let integration = connect(&t.store);
    let clocked = incoming(
        "t9",
        "Rosa Diaz · 2026-10-30",
        json!({"employee_external_id": "u1", "span": {"kind": "clock",
               "start": "2026-10-30T07:00:00-06:00", "end": "2026-10-30T15:30:00-06:00"}}),
    );
    let clocked = Incoming {
        record_date: "2026-10-30".parse().ok(),
        ..clocked
    };
    stage(
        &t.store,
        integration,
        Module::TimeEntries,
        &[time_entry("t1", 3600), clocked, {
            let mut other = time_entry("t2", 1800);
            other.data["span"]["date"] = json!("2026-10-29");
            other.record_date = "2026-10-29".parse().ok();
            other
        }],
        now(),
    );

    let days = t
        .store
        .read(|c| staged::hours_per_day(c, integration, &StagedFilter::default()))
        .expect("summed");
    let summary: Vec<(String, i64, i64)> = days
        .iter()
        .map(|d| (d.date.to_string(), d.seconds, d.entries))
        .collect();

    assert_eq!(
        summary,
        [
            ("2026-10-29".to_owned(), 1800, 1),
            ("2026-10-30".to_owned(), 3600 + 8 * 3600 + 1800, 2)
        ],
        "an hour by hand plus 8.5 clocked hours on the 30th; half an hour on the 29th"
    );
}

#[test]
fn the_kept_counts_agree_with_the_rows_after_staging_importing_removing_and_archiving() {
    let (t, integration, _) = imported_then_removed_at_source();
    let customer = staged_id(&t.store, integration, Module::Customers, "c1");
    t.store
        .write(|tx| {
            staged::set_archived(
                tx,
                integration,
                Module::Customers,
                &staged::Selection::Ids {
                    ids: vec![customer],
                },
                true,
                &admin(),
                now(),
            )
        })
        .expect("archived");

    type Groups = Vec<(String, String, i64, i64)>;
    let (kept, counted): (Groups, Groups) = t
        .store
        .read(|c| {
            let rows = |sql: &str| -> timebridge_core::Result<Groups> {
                let mut s = c.prepare(sql)?;
                let v = s
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(v)
            };
            Ok((
                rows("SELECT module, status, removed_at_source, n FROM staged_counts WHERE n > 0 ORDER BY 1, 2, 3")?,
                rows("SELECT module, status, removed_at_source, count(*) FROM staged_records GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")?,
            ))
        })
        .expect("read");

    assert_eq!(kept, counted, "the trigger-kept counts match a real count");
}

#[test]
fn an_import_is_one_entry_in_the_activity_log_with_its_counts() {
    let t = common::store();
    let integration = connect(&t.store);
    company(&t.store, integration);
    let entry = staged_id(&t.store, integration, Module::TimeEntries, "t1");

    import(&t.store, integration, Module::TimeEntries, &[entry], now());
    let entries: Vec<(String, String)> = t
        .store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT action, summary FROM audit_log WHERE action LIKE 'record.%' OR action = 'staged.imported'",
            )?;
            let rows = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .expect("read");

    assert_eq!(
        entries,
        [(
            "staged.imported".to_owned(),
            "Imported 1 time entry from Sandbox, and 3 records they needed".to_owned()
        )],
        "one readable entry, not one per record"
    );
}
