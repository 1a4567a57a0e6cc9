//! What the sync benches measure alike: this process's memory, staged rows
//! counted, and the rows a re-sync wrote. Each bench uses the part it
//! reports.
#![allow(dead_code)]

use timebridge_core::Store;

/// Peak and current resident memory of this process, in MiB.
pub fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The CPU time this process has used, in seconds (user and system, in
/// the kernel's ticks of 1/100 s): on a shared machine, what a phase cost
/// whatever else ran.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime
    // are the 14th and 15th of the line.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}

/// How many records of `module` are staged.
pub fn staged_rows(store: &Store, module: &str) -> i64 {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM staged_records WHERE module = ?1",
                [module],
                |r| r.get(0),
            )?)
        })
        .unwrap_or(0)
}

/// How many staged rows were written at or after `since` (a database
/// timestamp): none, for a re-sync of unchanged data.
pub fn written_since(store: &Store, since: &str) -> i64 {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM staged_records WHERE changed_at >= ?1",
                [since],
                |r| r.get(0),
            )?)
        })
        .expect("readable")
}
