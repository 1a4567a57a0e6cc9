//! Staged lists over a real database: full-text search by employee, job,
//! task, notes and id, and keyset paging that shows exactly the pages
//! counted from the start would.

use crate::common;

use common::now;
use serde_json::json;
use timebridge_core::Store;
use timebridge_core::middleware::planner::StagedStatus;
use timebridge_core::middleware::staged::{
    self, Selection, StagedFilter, StagedPage, StagedQuery, StagedSort,
};
use timebridge_core::middleware::{Incoming, Module};

const EMPLOYEES: [(&str, &str); 3] = [
    ("e-1", "Dana Bell"),
    ("e-2", "José Núñez"),
    ("e-3", "Sam Ortiz"),
];
const JOBS: [(&str, &str); 2] = [("j/1", "Maple Roof"), ("j/2", "Cedar Deck")];

fn stage(store: &Store, integration: i64, module: Module, records: &[Incoming]) {
    store
        .write(|tx| staged::apply_page(tx, integration, module, None, records, now()))
        .expect("page applied");
}

fn named(id: &str, name: &str) -> Incoming {
    Incoming {
        external_id: id.into(),
        data: json!({"name": name, "first_name": name}),
        label: name.into(),
        record_date: None,
    }
}

/// Entry `n`: an employee and job in turn, 1 to 3 hours on a day of
/// November (several entries share a day and a length, so ties are
/// broken by id).
fn entry(n: usize) -> Incoming {
    let (employee, who) = EMPLOYEES[n % 3];
    let (job, _) = JOBS[n % 2];
    let day = 1 + n % 9;
    let hours = 1 + n % 3;
    Incoming {
        external_id: format!("ts-{n:03}"),
        data: json!({
            "employee_external_id": employee,
            "job_external_id": job,
            "task_external_id": if n.is_multiple_of(4) { Some("t-9") } else { None },
            "span": {"kind": "clock",
                     "start": format!("2026-11-{day:02}T08:00:00-06:00"),
                     "end": format!("2026-11-{day:02}T{:02}:00:00-06:00", 8 + hours)},
            "notes": if n.is_multiple_of(5) { "Replaced flashing" } else { "" },
        }),
        label: format!("{who} · 2026-11-{day:02}"),
        record_date: chrono::NaiveDate::from_ymd_opt(2026, 11, day as u32),
    }
}

/// A store with 3 employees, 2 jobs, a task and 47 time entries staged.
fn company() -> (common::TestStore, i64) {
    let test = common::store();
    let store = &test.store;
    let integration = common::integration(store, "Field");
    let employees: Vec<Incoming> = EMPLOYEES.iter().map(|(id, n)| named(id, n)).collect();
    stage(store, integration, Module::Employees, &employees);
    let jobs: Vec<Incoming> = JOBS.iter().map(|(id, n)| named(id, n)).collect();
    stage(store, integration, Module::Jobs, &jobs);
    stage(
        store,
        integration,
        Module::Tasks,
        &[named("t-9", "Tear-off")],
    );
    let entries: Vec<Incoming> = (0..47).map(entry).collect();
    stage(store, integration, Module::TimeEntries, &entries);
    (test, integration)
}

fn list(store: &Store, integration: i64, query: &StagedQuery) -> StagedPage {
    store
        .read(|conn| staged::list(conn, integration, Module::TimeEntries, query))
        .expect("listed")
}

fn found(store: &Store, integration: i64, search: &str) -> Vec<String> {
    let query = StagedQuery {
        page_size: 100,
        filter: StagedFilter {
            search: Some(search.into()),
            ..StagedFilter::default()
        },
        sort: StagedSort::ExternalId,
        ..StagedQuery::default()
    };
    let page = list(store, integration, &query);
    assert_eq!(
        page.total as usize,
        page.rows.len(),
        "the total of a search is what it finds"
    );
    page.rows.into_iter().map(|r| r.external_id).collect()
}

fn ids_where(f: impl Fn(usize) -> bool) -> Vec<String> {
    (0..47)
        .filter(|n| f(*n))
        .map(|n| format!("ts-{n:03}"))
        .collect()
}

#[test]
fn a_search_finds_time_entries_by_the_beginning_of_the_employees_name() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "bel"),
        ids_where(|n| n % 3 == 0),
        "\"bel\" begins Dana Bell's name: her entries, and only hers"
    );
}

#[test]
fn a_search_ignores_accents_and_case() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "NUNEZ jose"),
        ids_where(|n| n % 3 == 1),
        "José Núñez is found typed without accents, in any case and order"
    );
}

#[test]
fn a_search_finds_time_entries_by_their_jobs_name() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "maple"),
        ids_where(|n| n % 2 == 0),
        "an entry names its job by id only; the job's name must find it"
    );
}

#[test]
fn a_search_finds_time_entries_by_their_tasks_name() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "tear"),
        ids_where(|n| n % 4 == 0),
        "the task Tear-off finds the entries on it"
    );
}

#[test]
fn each_word_of_a_search_must_match_somewhere() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "ortiz cedar"),
        ids_where(|n| n % 3 == 2 && n % 2 == 1),
        "Sam Ortiz's entries on Cedar Deck: the employee by the label, the job by reference"
    );
}

#[test]
fn a_search_finds_time_entries_by_their_notes_and_their_id() {
    let (test, integration) = company();
    let store = &test.store;
    assert_eq!(
        found(store, integration, "flashing"),
        ids_where(|n| n % 5 == 0),
        "a word of the notes finds the entry"
    );
    assert_eq!(
        found(store, integration, "ts-017"),
        vec!["ts-017".to_owned()],
        "the id at the source finds the entry"
    );
}

#[test]
fn a_job_renamed_at_the_source_finds_its_entries_by_the_new_name() {
    let (test, integration) = company();
    let store = &test.store;
    stage(
        store,
        integration,
        Module::Jobs,
        &[named("j/1", "Birch Roof")],
    );
    assert_eq!(
        found(store, integration, "birch"),
        ids_where(|n| n % 2 == 0),
        "the job's new name finds the entries synced before the rename"
    );
    assert!(
        found(store, integration, "maple").is_empty(),
        "and its old name no longer does"
    );
}

#[test]
fn query_syntax_typed_in_the_search_box_is_searched_as_words() {
    let (test, integration) = company();
    let store = &test.store;
    for text in [
        "\"",
        "bell\" OR \"",
        "NOT",
        "ortiz AND",
        "*",
        "(maple",
        "-",
        "NEAR(a b)",
    ] {
        let result = store.read(|conn| {
            staged::list(
                conn,
                integration,
                Module::TimeEntries,
                &StagedQuery {
                    filter: StagedFilter {
                        search: Some(text.into()),
                        ..StagedFilter::default()
                    },
                    ..StagedQuery::default()
                },
            )
        });
        assert!(
            result.is_ok(),
            "searching {text:?} must list what matches, not fail: {result:?}"
        );
    }
    assert!(
        found(store, integration, "bell OR ortiz").is_empty(),
        "OR is a word to find, not an operator: no entry has it"
    );
}

#[test]
fn archiving_everything_a_search_finds_archives_exactly_those() {
    let (test, integration) = company();
    let store = &test.store;
    let archived = store
        .write(|tx| {
            staged::set_archived(
                tx,
                integration,
                Module::TimeEntries,
                &Selection::Matching {
                    filter: StagedFilter {
                        search: Some("cedar".into()),
                        ..StagedFilter::default()
                    },
                },
                true,
                &common::admin(),
                now(),
            )
        })
        .expect("archived");
    assert_eq!(
        archived as usize,
        ids_where(|n| n % 2 == 1).len(),
        "the entries on Cedar Deck, found by the job's name, are archived"
    );
}

const SORTS: [StagedSort; 6] = [
    StagedSort::Label,
    StagedSort::Date,
    StagedSort::Key,
    StagedSort::ExternalId,
    StagedSort::Status,
    StagedSort::ChangedAt,
];

fn ids(page: &StagedPage) -> Vec<i64> {
    page.rows.iter().map(|r| r.id).collect()
}

/// Pages of 5 of `filter`'s entries, counted from the start.
fn by_offset(
    store: &Store,
    integration: i64,
    filter: &StagedFilter,
    sort: StagedSort,
    descending: bool,
) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    for page in 1.. {
        let rows = ids(&list(
            store,
            integration,
            &StagedQuery {
                page,
                page_size: 5,
                filter: filter.clone(),
                sort,
                descending,
                ..StagedQuery::default()
            },
        ));
        if rows.is_empty() {
            break;
        }
        pages.push(rows);
    }
    pages
}

/// Makes entries differ in status, so a sort by status has ties across
/// and within statuses.
fn vary_statuses(store: &Store, integration: i64) {
    store
        .write(|tx| {
            tx.execute(
                "UPDATE staged_records SET status = 'archived', archived = 1
                 WHERE integration_id = ?1 AND module = 'time_entries' AND id % 3 = 0",
                [integration],
            )?;
            Ok(())
        })
        .expect("statuses varied");
}

#[test]
fn the_next_page_read_after_a_record_is_the_page_counted_from_the_start() {
    let (test, integration) = company();
    let store = &test.store;
    vary_statuses(store, integration);
    for sort in SORTS {
        for descending in [false, true] {
            let filter = StagedFilter::default();
            let expected = by_offset(store, integration, &filter, sort, descending);
            assert_eq!(expected.concat().len(), 47, "every entry is on some page");
            let mut query = StagedQuery {
                page: 1,
                page_size: 5,
                sort,
                descending,
                ..StagedQuery::default()
            };
            let mut walked = Vec::new();
            loop {
                let page = list(store, integration, &query);
                if page.rows.is_empty() {
                    break;
                }
                walked.push(ids(&page));
                assert!(page.last.is_some(), "a page by {sort:?} says where it ends");
                query.page += 1;
                query.after = page.last;
            }
            assert_eq!(
                walked, expected,
                "by {sort:?} (descending: {descending}), reading on from each page's last record shows the same pages"
            );
        }
    }
}

#[test]
fn the_previous_page_read_before_a_record_is_the_page_counted_from_the_start() {
    let (test, integration) = company();
    let store = &test.store;
    vary_statuses(store, integration);
    for sort in SORTS {
        for descending in [false, true] {
            let expected = by_offset(
                store,
                integration,
                &StagedFilter::default(),
                sort,
                descending,
            );
            let last = expected.len() as u32;
            let mut page = list(
                store,
                integration,
                &StagedQuery {
                    page: last,
                    page_size: 5,
                    sort,
                    descending,
                    ..StagedQuery::default()
                },
            );
            let mut walked = vec![ids(&page)];
            for number in (1..last).rev() {
                page = list(
                    store,
                    integration,
                    &StagedQuery {
                        page: number,
                        page_size: 5,
                        sort,
                        descending,
                        before: page.first.clone(),
                        ..StagedQuery::default()
                    },
                );
                walked.push(ids(&page));
            }
            walked.reverse();
            assert_eq!(
                walked, expected,
                "by {sort:?} (descending: {descending}), reading back from each page's first record shows the same pages"
            );
        }
    }
}

#[test]
fn pages_of_a_filtered_list_read_on_from_a_record_keep_to_the_filter() {
    let (test, integration) = company();
    let store = &test.store;
    vary_statuses(store, integration);
    let filter = StagedFilter {
        status: Some(StagedStatus::New),
        search: Some("bell".into()),
        ..StagedFilter::default()
    };
    let expected = by_offset(store, integration, &filter, StagedSort::Label, false);
    let mut query = StagedQuery {
        page: 1,
        page_size: 5,
        filter,
        sort: StagedSort::Label,
        ..StagedQuery::default()
    };
    let mut walked = Vec::new();
    loop {
        let page = list(store, integration, &query);
        if page.rows.is_empty() {
            break;
        }
        walked.push(ids(&page));
        query.page += 1;
        query.after = page.last;
    }
    assert!(!expected.is_empty(), "some of Dana Bell's entries are New");
    assert_eq!(
        walked, expected,
        "the New entries of Dana Bell, page after page"
    );
}

#[test]
fn a_page_near_the_end_is_the_same_counted_from_either_end() {
    let (test, integration) = company();
    let store = &test.store;
    let all: Vec<i64> = by_offset(
        store,
        integration,
        &StagedFilter::default(),
        StagedSort::Date,
        true,
    )
    .concat();
    // Page 9 of 10 (of 5 rows): past the middle, read from the end.
    let page = list(
        store,
        integration,
        &StagedQuery {
            page: 9,
            page_size: 5,
            sort: StagedSort::Date,
            descending: true,
            ..StagedQuery::default()
        },
    );
    assert_eq!(
        ids(&page),
        all[40..45].to_vec(),
        "page 9 holds entries 41 to 45"
    );
    let last = list(
        store,
        integration,
        &StagedQuery {
            page: 10,
            page_size: 5,
            sort: StagedSort::Date,
            descending: true,
            ..StagedQuery::default()
        },
    );
    assert_eq!(
        ids(&last),
        all[45..].to_vec(),
        "the last page holds the last 2"
    );
}

#[test]
fn a_list_sorted_by_values_some_records_lack_is_paged_by_counting() {
    let (test, integration) = company();
    let store = &test.store;
    // Employees have no date: a sort by date cannot read on from a record.
    let page = store
        .read(|conn| {
            staged::list(
                conn,
                integration,
                Module::Employees,
                &StagedQuery {
                    page_size: 2,
                    sort: StagedSort::Date,
                    ..StagedQuery::default()
                },
            )
        })
        .expect("listed");
    assert_eq!(page.rows.len(), 2, "a page of employees by date");
    assert!(
        page.last.is_none(),
        "without values to read on from, the next page is counted from the start"
    );
}

#[test]
fn records_staged_before_the_search_index_are_found_after_the_upgrade() {
    let dir = tempfile::tempdir().expect("temp folder");
    let path = dir.path().join("v12.db");
    {
        let mut conn = timebridge_core::rusqlite::Connection::open(&path).expect("database file");
        timebridge_core::store::apply_migrations(&mut conn, 12).expect("schema 12");
        conn.execute_batch(include_str!("../fixtures/seed_v12.sql"))
            .expect("data of schema 12");
    }
    let store = Store::open(&path).expect("upgraded");
    for word in ["riverside", "marcus", "footing", "5001"] {
        assert_eq!(
            found(&store, 3, word),
            vec!["5001".to_owned()],
            "the time entry staged under schema 12 is found by {word:?} once upgraded"
        );
    }
}
