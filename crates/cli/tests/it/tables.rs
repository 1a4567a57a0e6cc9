//! The human tables: nothing cut, columns lined up, and two employees with
//! the same name told apart by their number.

use crate::common;

use chrono::Utc;
use timebridge_core::audit::Actor;
use timebridge_core::records::NewRecordSource;
use timebridge_core::records::pay_ids::{self, PayCategory, PayIdDraft};

/// A pay ID with the longest code there may be.
fn vacation(db: &common::Db) -> i64 {
    db.store()
        .write(|tx| {
            pay_ids::create(
                tx,
                &PayIdDraft {
                    code: "VACATION10".into(),
                    name: "Vacation, ten-year".into(),
                    category: PayCategory::Pto,
                    multiplier: 1.0,
                },
                &NewRecordSource::Manual,
                &Actor::cli(),
                Utc::now(),
            )
        })
        .expect("pay ID created")
        .id
}

/// Where `word` ends in `line`, if it is there as a word of its own.
fn end_of(line: &str, word: &str) -> Option<usize> {
    line.split_whitespace()
        .any(|w| w == word)
        .then(|| line.find(word).map(|at| at + word.len()))
        .flatten()
}

#[test]
fn a_long_pay_id_code_is_printed_whole_in_the_hours_table_with_its_hours_under_it() {
    let db = common::db();
    let vacation = vacation(&db);
    let ana = db.employee("Ana", "Ortiz", Some("E-1"));
    db.time(ana, "2026-10-05", 7, None);
    db.time(ana, "2026-10-06", 8, Some(vacation));

    let printed = db.ok(&["payroll", "hours", "--period", "2026-10-05"]);
    let header = printed
        .lines()
        .find(|l| l.starts_with("Employee"))
        .unwrap_or_default();
    let row = printed
        .lines()
        .find(|l| l.starts_with("Ana Ortiz"))
        .unwrap_or_default();

    assert!(
        end_of(header, "REG").is_some() && end_of(header, "VACATION10").is_some(),
        "REG and VACATION10 are headings of their own, not run together or cut: {printed}"
    );
    assert_eq!(
        end_of(row, "8.00"),
        end_of(header, "VACATION10"),
        "the vacation hours end under the end of their heading: {printed}"
    );
}

#[test]
fn two_employees_with_the_same_name_are_told_apart_by_their_number_in_the_hours() {
    let db = common::db();
    for number in ["E-1", "E-2"] {
        let ana = db.employee("Ana", "Ortiz", Some(number));
        db.time(ana, "2026-10-05", 8, None);
    }

    let printed = db.ok(&["payroll", "hours", "--period", "2026-10-05"]);

    assert!(
        printed.contains("Ana Ortiz (E-1)") && printed.contains("Ana Ortiz (E-2)"),
        "each Ana Ortiz shows with her number: {printed}"
    );
}

#[test]
fn two_employees_with_the_same_name_are_told_apart_in_the_time_entries() {
    let db = common::db();
    let numbered = db.employee("Ana", "Ortiz", Some("E-1"));
    let unnumbered = db.employee("Ana", "Ortiz", None);
    db.time(numbered, "2026-10-05", 8, None);
    db.time(unnumbered, "2026-10-05", 6, None);

    let printed = db.ok(&["records", "list", "time-entries"]);

    assert!(
        printed.contains("Ana Ortiz (E-1)")
            && printed.contains(&format!("Ana Ortiz (#{unnumbered})")),
        "by her number, or by her record's id where she has none: {printed}"
    );
}
