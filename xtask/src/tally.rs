//! Counting what passed and failed across every kind of test.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Debug, Default)]
pub struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
}

impl Tally {
    pub fn failed(&self) -> u64 {
        self.failed
    }

    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }

    fn fail(&mut self, what: String) {
        self.failed += 1;
        self.failures.push(what);
    }

    /// A whole-step check (formatting, lints, a build) counts as one test.
    pub fn check(&mut self, name: &str, command: &mut Command) {
        println!("xtask: ── {name}");
        match command.status() {
            Ok(status) if status.success() => self.passed += 1,
            Ok(status) => self.fail(format!("{name} ({status})")),
            Err(error) => self.fail(format!("{name} (could not start: {error})")),
        }
    }

    /// A check done in xtask itself counts as one test.
    pub fn record(&mut self, name: &str, result: crate::Result) {
        println!("xtask: ── {name}");
        match result {
            Ok(()) => self.passed += 1,
            Err(why) => {
                println!("xtask: {name} failed: {why}");
                self.fail(format!("{name} ({why})"));
            }
        }
    }

    /// Runs cargo tests, showing their output, and adds up every
    /// `test result:` line.
    pub fn cargo_tests(&mut self, name: &str, command: &mut Command) {
        println!("xtask: ── {name}");
        let child = command.stdout(Stdio::piped()).spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(error) => return self.fail(format!("{name} (could not start: {error})")),
        };
        let (mut passed, mut failed, mut results) = (0, 0, 0);
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some(counts) = line.trim().strip_prefix("test result: ") {
                    results += 1;
                    passed += count(counts, " passed");
                    failed += count(counts, " failed");
                }
                if let Some(test) = line
                    .strip_prefix("test ")
                    .and_then(|l| l.strip_suffix(" ... FAILED"))
                {
                    self.failures.push(format!("{name}: {test}"));
                }
            }
        }
        let status = child.wait();
        self.passed += passed;
        self.failed += failed;
        let ok = status.as_ref().is_ok_and(|s| s.success());
        if !ok && failed == 0 {
            // It failed before running tests (a compile error, say).
            self.fail(format!("{name} did not run ({results} result lines)"));
        }
    }

    /// The UI's vitest suite, counted from its JSON report.
    pub fn vitest(&mut self, root: &Path) {
        println!("xtask: ── UI tests (vitest)");
        let report = root
            .join("ui")
            .join("node_modules")
            .join(".vitest-report.json");
        let _ = std::fs::remove_file(&report);
        let status = Command::new(crate::npm())
            .current_dir(root.join("ui"))
            .args([
                "exec",
                "--",
                "vitest",
                "run",
                "--reporter=default",
                "--reporter=json",
            ])
            .arg(format!("--outputFile.json={}", report.display()))
            .status();
        let parsed = std::fs::read_to_string(&report)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
        match parsed {
            Some(json) => {
                self.passed += json["numPassedTests"].as_u64().unwrap_or(0);
                let failed = json["numFailedTests"].as_u64().unwrap_or(0);
                self.failed += failed;
                if failed > 0 {
                    self.failures.push(format!("UI tests: {failed}"));
                }
                if json["numFailedTestSuites"].as_u64().unwrap_or(0) > 0 && failed == 0 {
                    self.fail("UI tests: a test file failed to load".to_owned());
                }
            }
            None => self.fail(format!("UI tests did not run ({status:?})")),
        }
    }
}

/// The number before `label` in "12 passed; 0 failed; …".
fn count(counts: &str, label: &str) -> u64 {
    counts
        .split([';', '.'])
        .find_map(|part| part.trim().strip_suffix(label.trim()).map(str::trim))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn reads_the_counts_of_a_cargo_test_result_line() {
        let line =
            "ok. 12 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.11s";
        assert_eq!(
            (count(line, " passed"), count(line, " failed")),
            (12, 3),
            "both counts are read"
        );
    }
}
