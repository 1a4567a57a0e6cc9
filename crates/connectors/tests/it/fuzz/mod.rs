//! Fuzzed parsers of outside input (`docs/fuzzing.md`): property tests
//! that feed each parser mutated real inputs and arbitrary bytes, and check
//! it never panics, hangs or grows without bound, and that a refusal says
//! why in words without repeating a secret.
//!
//! Each target runs [`cases`] cases (2,000 unless `TIMEBRIDGE_FUZZ_CASES`
//! says otherwise); a failing input is kept, shrunk, in
//! `tests/it/fuzz/regressions/TARGET.txt` and replayed first on every run.

mod clockshark;
mod csv_files;
mod json_pages;
mod oauth;
mod qbxml;
mod sage300_cre;
mod soap;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};

/// How many cases each target runs: `TIMEBRIDGE_FUZZ_CASES`, else 2,000.
pub fn cases() -> u32 {
    std::env::var("TIMEBRIDGE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(2_000)
}

/// The proptest configuration of one target: [`cases`] cases (divided by
/// `cost` for a target whose every case opens files or sockets), failures
/// kept in `regressions/TARGET.txt`.
pub fn config(target: &str, cost: u32) -> Config {
    let path = format!(
        "{}/tests/it/fuzz/regressions/{target}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    Config {
        cases: (cases() / cost.max(1)).max(1),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(Box::leak(
            path.into_boxed_str(),
        )))),
        max_shrink_iters: 4_000,
        max_shrink_time: 60_000,
        ..Config::default()
    }
}

/// Longest any one parse may take in a debug build on a busy machine: far
/// more than any input of these sizes needs, far less than a hang.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// Runs `parse`, failing the case when it takes longer than [`PATIENCE`].
pub fn timed<T>(what: &str, parse: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = parse();
    let took = started.elapsed();
    assert!(
        took < PATIENCE,
        "{what} took {took:?} on one input: a parse must not hang"
    );
    out
}

/// Checks a refusal's message: in words, and without `secrets`.
#[track_caller]
pub fn assert_refusal(message: &str, secrets: &[&str]) {
    assert!(
        !message.trim().is_empty(),
        "a refusal says what is wrong, never nothing"
    );
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(
            !message.contains(secret),
            "a refusal never repeats a secret ({secret}): {message}"
        );
    }
}

/// One change to an input.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Cut everything from here on.
    Truncate(Index),
    /// XOR one byte.
    Flip(Index, u8),
    /// Insert a piece (a dictionary token, or arbitrary bytes).
    Insert(Index, Vec<u8>),
    /// Remove a stretch.
    Delete(Index, Index),
    /// Copy a stretch of the input elsewhere in it.
    Splice(Index, Index, Index),
    /// Repeat a stretch many times (giant fields, many rows).
    Repeat(Index, Index, u16),
}

/// How the edited text is finally encoded.
#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    AsIs,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    /// Every non-ASCII byte replaced by one invalid in UTF-8.
    BrokenUtf8,
}

/// Interesting pieces every target may insert.
pub const COMMON: &[&str] = &[
    "\0",
    "\r",
    "\n",
    "\r\n",
    "\u{feff}",
    "\u{fffd}",
    "é",
    "日本",
    "\u{202e}",
    "-",
    "0",
    "-0",
    "99999999999999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1e309",
    "NaN",
    "-inf",
    "0.000000000000000000001",
    "2026-02-30",
    "9999-12-31T23:59:59Z",
    "24:00",
    "25:61",
    "\"",
    "'",
    "\\",
    "%00",
    "%ZZ",
];

fn piece(dictionary: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::sample::select(dictionary).prop_map(|s| s.as_bytes().to_vec()),
        2 => proptest::sample::select(COMMON).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 1..16),
    ]
}

pub fn edit(dictionary: &'static [&'static str]) -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Truncate),
        3 => (any::<Index>(), 1..=255u8).prop_map(|(at, x)| Edit::Flip(at, x)),
        4 => (any::<Index>(), piece(dictionary)).prop_map(|(at, p)| Edit::Insert(at, p)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Delete(a, b)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, b, to)| Edit::Splice(a, b, to)),
        1 => (any::<Index>(), any::<Index>(), 2..2_000u16)
            .prop_map(|(a, b, n)| Edit::Repeat(a, b, n)),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        12 => Just(Encoding::AsIs),
        1 => Just(Encoding::Utf8Bom),
        1 => Just(Encoding::Utf16LeBom),
        1 => Just(Encoding::Utf16BeBom),
        1 => Just(Encoding::BrokenUtf8),
    ]
}

/// A stretch `[a, b)` of `len` bytes, at most `max` long.
fn stretch(a: &Index, b: &Index, len: usize, max: usize) -> (usize, usize) {
    let start = a.index(len + 1);
    let end = (start + b.index(len - start + 1)).min(start + max);
    (start, end)
}

/// The most bytes an edited input may hold: big enough for giant fields,
/// small enough that a case stays quick.
pub const MAX_INPUT: usize = 256 * 1024;

pub fn apply(seed: &[u8], edits: &[Edit], encoding: Encoding) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for edit in edits {
        let len = bytes.len();
        match edit {
            Edit::Truncate(at) => bytes.truncate(at.index(len + 1)),
            Edit::Flip(at, x) if len > 0 => bytes[at.index(len)] ^= x,
            Edit::Flip(..) => {}
            Edit::Insert(at, piece) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, piece.iter().copied());
            }
            Edit::Delete(a, b) => {
                let (start, end) = stretch(a, b, len, 4_096);
                bytes.drain(start..end);
            }
            Edit::Splice(a, b, to) => {
                let (start, end) = stretch(a, b, len, 4_096);
                let copied = bytes[start..end].to_vec();
                let to = to.index(len + 1);
                bytes.splice(to..to, copied);
            }
            Edit::Repeat(a, b, times) => {
                let (start, end) = stretch(a, b, len, 256);
                let copied = bytes[start..end].repeat(usize::from(*times));
                bytes.splice(end..end, copied);
            }
        }
        bytes.truncate(MAX_INPUT);
    }
    encode(bytes, encoding)
}

fn encode(bytes: Vec<u8>, encoding: Encoding) -> Vec<u8> {
    let utf16 = |big: bool| {
        let text = String::from_utf8_lossy(&bytes);
        let mut out = if big {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for unit in text.encode_utf16() {
            out.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    };
    match encoding {
        Encoding::AsIs => bytes,
        Encoding::Utf8Bom => [&[0xef, 0xbb, 0xbf][..], &bytes].concat(),
        Encoding::Utf16LeBom => utf16(false),
        Encoding::Utf16BeBom => utf16(true),
        Encoding::BrokenUtf8 => bytes
            .into_iter()
            .map(|b| if b >= 0x80 { 0xc0 } else { b })
            .collect(),
    }
}

/// Inputs for a parser: one of `seeds` with up to eight edits, or (one
/// case in eight) arbitrary bytes.
pub fn input(
    seeds: Vec<Vec<u8>>,
    dictionary: &'static [&'static str],
) -> impl Strategy<Value = Vec<u8>> {
    let mutated = (
        proptest::sample::select(seeds),
        proptest::collection::vec(edit(dictionary), 0..8),
        encoding(),
    )
        .prop_map(|(seed, edits, encoding)| apply(&seed, &edits, encoding));
    prop_oneof![
        7 => mutated,
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

/// [`input`] as text, the way a caller holding bytes reads it (lossily).
pub fn text_input(
    seeds: Vec<Vec<u8>>,
    dictionary: &'static [&'static str],
) -> impl Strategy<Value = String> {
    input(seeds, dictionary).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[test]
fn the_case_count_defaults_to_two_thousand() {
    if std::env::var_os("TIMEBRIDGE_FUZZ_CASES").is_none() {
        assert_eq!(cases(), 2_000, "CI runs 2,000 cases per target");
    }
}

proptest! {
    #![proptest_config(config("edits", 8))]

    #[test]
    fn an_edited_input_never_grows_past_the_cap(edits in proptest::collection::vec(edit(COMMON), 0..8)) {
        prop_assert!(
            apply(&[b'x'; 100_000], &edits, Encoding::AsIs).len() <= MAX_INPUT,
            "inputs are capped so each case stays quick"
        );
    }
}
