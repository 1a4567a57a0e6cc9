//! The IIF reader (`payroll::files::parse_iif`), fuzzed as the connectors'
//! parsers are (`docs/fuzzing.md`): the golden IIF timer file with its
//! rows cut, cells swapped, durations and dates made huge or odd, and
//! arbitrary bytes. Every input is read or refused with a message. Cases:
//! `TIMEBRIDGE_FUZZ_CASES` (2,000 unless set).

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use timebridge_core::payroll::files::parse_iif;

fn config() -> Config {
    let cases = std::env::var("TIMEBRIDGE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(2_000);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fuzz_iif-regressions.txt"
        )))),
        ..Config::default()
    }
}

/// The golden file, in Windows-1252 as written.
fn golden() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/payroll.iif"
    ))
    .expect("the golden IIF file is there")
}

fn split<'a>(bytes: &'a [u8], by: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let now = rest?;
        match now.windows(by.len()).position(|w| w == by) {
            Some(at) => {
                rest = Some(&now[at + by.len()..]);
                Some(&now[..at])
            }
            None => {
                rest = None;
                Some(now)
            }
        }
    })
}

const CELLS: &[&str] = &[
    "",
    "TIMEACT",
    "!TIMEACT",
    "TIMERHDR",
    "!TIMERHDR",
    "DURATION",
    "DATE",
    "8:00",
    ":",
    "99999999999999999999:00",
    "153722867280912931:00",
    "-153722867280912930:-99",
    "0:9223372036854775807",
    "11/02/26",
    "02/30/26",
    "13/45/99",
    "Y",
    "255",
    "256",
    "\u{80}",
    "é",
];

/// The golden file, its rows and cells edited.
fn iif() -> impl Strategy<Value = Vec<u8>> {
    let golden = golden();
    let rows: Vec<Vec<Vec<u8>>> = split(&golden, b"\r\n")
        .map(|r| split(r, b"\t").map(<[u8]>::to_vec).collect())
        .collect();
    let edit = (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::sample::select(CELLS),
    );
    let mutated = (Just(rows), prop::collection::vec(edit, 0..8), 0..3usize).prop_map(
        |(mut rows, edits, cut)| {
            for (row, cell, text) in edits {
                let row = row.index(rows.len());
                let cells = &mut rows[row];
                let at = cell.index(cells.len() + 1);
                if at == cells.len() {
                    cells.push(text.as_bytes().to_vec());
                } else {
                    cells[at] = text.as_bytes().to_vec();
                }
            }
            let keep = rows.len().saturating_sub(cut);
            let rows: Vec<Vec<u8>> = rows[..keep].iter().map(|r| r.join(&b'\t')).collect();
            rows.join(&b"\r\n"[..])
        },
    );
    prop_oneof![
        6 => mutated,
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_iif_file_is_read_or_refused_in_words(bytes in iif()) {
        match parse_iif(&bytes) {
            Ok(file) => prop_assert!(
                file.activities.len() <= bytes.len(),
                "no more activities than bytes"
            ),
            Err(error) => prop_assert!(
                !error.to_string().trim().is_empty(),
                "a refusal says what is wrong"
            ),
        }
    }
}

/// The golden file with its first `8:00` duration replaced.
fn with_duration(duration: &str) -> Vec<u8> {
    String::from_utf8_lossy(&golden())
        .replacen("\t8:00\t", &format!("\t{duration}\t"), 1)
        .into_bytes()
}

#[test]
fn a_duration_of_more_minutes_than_can_be_counted_is_refused() {
    // Found by fuzzing: hours times 60 plus the minutes overflowed (a panic).
    for duration in ["1:9223372036854775807", "153722867280912931:00"] {
        let error = parse_iif(&with_duration(duration)).expect_err("a duration out of range");
        assert!(
            error.to_string().contains("is not an H:MM duration"),
            "the row's duration {duration} is refused in words: {error}"
        );
    }
}
