//! What the crash tests share: a seeded random source, whose seed each test
//! prints so a failure can be replayed (`TIMEBRIDGE_KILL_SEED=<seed>`), and
//! a child process to kill: this test binary, re-run as one of its ignored
//! helper tests.

use std::process::{Child, Command, Stdio};

/// splitmix64 over a seed from `TIMEBRIDGE_KILL_SEED`, or the clock.
pub struct Seeded {
    pub seed: u64,
    state: u64,
}

impl Seeded {
    /// The seed to use, printed with `test`'s name.
    pub fn new(test: &str) -> Seeded {
        let seed = std::env::var("TIMEBRIDGE_KILL_SEED")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(clock_entropy);
        eprintln!("{test}: replay with TIMEBRIDGE_KILL_SEED={seed}");
        Seeded { seed, state: seed }
    }

    pub fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Some bits that differ from run to run.
fn clock_entropy() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7)
}

/// Starts the ignored test `helper` (its full path, e.g.
/// `kill::child_sync`) of this binary, with `env`.
pub fn spawn(helper: &str, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args([helper, "--exact", "--ignored", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("child starts")
}

/// The value of `name`, set by the parent; `None` when this helper test
/// was not started as a child (it then does nothing).
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
