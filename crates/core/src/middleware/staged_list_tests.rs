//! How SQLite reads a page of a staged list: from an index in order, or
//! from a narrow filter's own index, never by sorting a million rows.

use chrono::NaiveDate;

use super::*;

/// A million: the size the plans are read for.
const MILLION: i64 = 1_000_000;

/// How SQLite would read a page of `query` when its filter keeps `total`
/// records: "SCAN …" and "SEARCH …" lines, and "USE TEMP B-TREE FOR ORDER
/// BY" when it has to sort the whole filtered set first.
fn plan(conn: &Connection, module: Module, query: &StagedQuery, total: i64) -> String {
    let words =
        search_query(conn, 1, module, query.filter.search.as_deref()).expect("the search is read");
    let read = page_read(conn, 1, module, query, total, words.as_deref())
        .expect("the page query is built");
    let mut statement = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", read.sql))
        .expect("the list query prepares");
    let rows = statement
        .query_map(params_from_iter(&read.args), |r| r.get::<_, String>(3))
        .expect("the plan is read");
    rows.map(|r| r.expect("a plan row"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn with_store(check: impl FnOnce(&Connection)) {
    let dir = tempfile::tempdir().expect("temp folder");
    let store = crate::Store::open(&dir.path().join("plan.db")).expect("database");
    store
        .read(|conn| {
            check(conn);
            Ok(())
        })
        .expect("plans read");
}

const SORTS: [StagedSort; 7] = [
    StagedSort::Label,
    StagedSort::Date,
    StagedSort::Key,
    StagedSort::Key2,
    StagedSort::ExternalId,
    StagedSort::Status,
    StagedSort::ChangedAt,
];

/// The sorts a time-entry list reads from an index in order. By name and
/// by length it sorts the module: an index of either would cost a sync
/// most of its speed (migration 13).
const INDEXED: [StagedSort; 5] = [
    StagedSort::Date,
    StagedSort::Key2,
    StagedSort::ExternalId,
    StagedSort::Status,
    StagedSort::ChangedAt,
];

fn query(filter: StagedFilter, sort: StagedSort, descending: bool) -> StagedQuery {
    StagedQuery {
        page_size: 100,
        filter,
        sort,
        descending,
        ..StagedQuery::default()
    }
}

/// The plan of a page of time entries for each of `sorts`, `filter`
/// keeping `total` of them.
fn plans(
    filter: &StagedFilter,
    sorts: &[StagedSort],
    descending: bool,
    total: i64,
) -> Vec<(StagedSort, String)> {
    let mut plans = Vec::new();
    with_store(|conn| {
        for sort in sorts {
            let query = query(filter.clone(), *sort, descending);
            plans.push((*sort, plan(conn, Module::TimeEntries, &query, total)));
        }
    });
    plans
}

#[test]
fn a_million_time_entries_are_paged_from_an_index_in_every_indexed_order() {
    with_store(|conn| {
        for sort in INDEXED {
            for descending in [false, true] {
                let plan = plan(
                    conn,
                    Module::TimeEntries,
                    &query(StagedFilter::default(), sort, descending),
                    MILLION,
                );
                // Without a second key field, time entries sort by id: the table's order.
                let scan_in_order = sort == StagedSort::Key2 && plan == "SCAN staged_records";
                assert!(
                    !plan.contains("TEMP B-TREE")
                        && (scan_in_order || !plan.contains("SCAN staged_records")),
                    "sorting a million time entries by {sort:?} (descending: {descending}) must read an index in order, not sort them all: {plan}"
                );
            }
        }
    });
}

#[test]
fn a_status_that_keeps_most_records_is_checked_along_the_sorts_index() {
    let new = StagedFilter {
        status: Some(StagedStatus::New),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&new, &INDEXED, true, MILLION) {
        assert!(
            !plan.contains("TEMP B-TREE"),
            "a million New time entries sorted by {sort:?} are read in the sort's order, not sorted: {plan}"
        );
    }
}

#[test]
fn a_status_that_keeps_few_records_is_read_from_the_status_index_and_sorted() {
    let updated = StagedFilter {
        status: Some(StagedStatus::Updated),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&updated, &SORTS, false, 40) {
        assert!(
            plan.contains("USING INDEX staged_records_status"),
            "40 Updated time entries among a million, sorted by {sort:?}, are found by their status, not by walking every entry in order: {plan}"
        );
    }
}

#[test]
fn the_few_records_removed_at_the_source_are_read_from_their_own_index() {
    let removed = StagedFilter {
        removed_at_source: true,
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&removed, &SORTS, false, 12) {
        assert!(
            plan.contains("staged_records_removed"),
            "12 removed time entries sorted by {sort:?} are read from the index of removals: {plan}"
        );
    }
}

#[test]
fn a_search_that_finds_few_records_reads_only_them() {
    let search = StagedFilter {
        search: Some("Bell roof".into()),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&search, &SORTS, false, 300) {
        assert!(
            plan.contains("VIRTUAL TABLE") && !plan.contains("SCAN staged_records"),
            "a search finding 300 time entries, sorted by {sort:?}, reads the full-text index and only the records it finds: {plan}"
        );
    }
}

#[test]
fn a_search_that_finds_many_records_is_checked_along_the_sorts_index() {
    let search = StagedFilter {
        search: Some("2026".into()),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&search, &INDEXED, true, 600_000) {
        assert!(
            !plan.contains("TEMP B-TREE"),
            "600,000 time entries found by a search, sorted by {sort:?}, are read in the sort's order, not sorted: {plan}"
        );
    }
}

#[test]
fn the_page_after_a_record_is_read_from_the_index_at_that_record() {
    with_store(|conn| {
        for sort in INDEXED.into_iter().filter(|s| *s != StagedSort::Key2) {
            let values = sort_values(Module::TimeEntries, sort)
                .iter()
                .map(|_| serde_json::Value::from("2026-11-03"))
                .collect();
            let mut q = query(StagedFilter::default(), sort, false);
            q.page = 5_000;
            q.after = Some(StagedCursor { values, id: 77 });
            let plan = plan(conn, Module::TimeEntries, &q, MILLION);
            assert!(
                [">?", "<?", ">(?", "<(?"]
                    .iter()
                    .any(|seek| plan.contains(seek)),
                "page 5,000 by {sort:?} after a record starts at that record in the index, not 499,900 rows in: {plan}"
            );
            assert!(
                !plan.contains("TEMP B-TREE"),
                "and reads the index in order: {plan}"
            );
        }
    });
}

#[test]
fn the_entries_a_payroll_leaves_out_are_listed_from_a_range_of_dates_in_every_order() {
    let filter = StagedFilter {
        left_out_of_payroll: Some(PayPeriod {
            start: NaiveDate::from_ymd_opt(2026, 10, 26).expect("a date"),
            end: NaiveDate::from_ymd_opt(2026, 11, 8).expect("a date"),
        }),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&filter, &SORTS, true, 2_000) {
        assert!(
            plan.contains("record_date>? AND record_date<?")
                && !plan.contains("SCAN staged_records"),
            "the review of a period's left-out entries, sorted by {sort:?}, reads only the period's dates of a million staged entries: {plan}"
        );
    }
}

#[test]
fn a_reference_token_is_the_fields_letter_and_the_hex_of_the_id() {
    assert_eq!(
        reference_token('j', "J-1"),
        "j4A2D31",
        "the token must be what migration 13 writes: the letter and SQLite's hex() of the id"
    );
}

#[test]
fn search_words_are_quoted_so_nothing_typed_is_query_syntax() {
    assert_eq!(
        phrase("O\"Neil* AND"),
        "\"O\"\"Neil* AND\"*",
        "quotes are doubled inside the phrase, and operators stay words"
    );
}

#[test]
fn a_single_letter_is_searched_as_a_whole_word() {
    assert_eq!(
        phrase("B"),
        "\"B\"",
        "one letter as the beginning of words would find most of a million records"
    );
    assert_eq!(phrase("Be"), "\"Be\"*", "two letters begin words");
}

#[test]
fn many_records_a_filter_keeps_are_read_from_its_index_when_the_sort_has_none() {
    let new = StagedFilter {
        status: Some(StagedStatus::New),
        search: Some("bell".into()),
        ..StagedFilter::default()
    };
    for (sort, plan) in plans(&new, &[StagedSort::Label, StagedSort::Key], false, 40_000) {
        assert!(
            !plan.contains("SCAN staged_records") && plan.contains("VIRTUAL TABLE"),
            "40,000 entries found, sorted by {sort:?} (no index in that order), are read from the search and sorted, not the whole module: {plan}"
        );
    }
}
