//! Failed Web Connector sign-ins, counted per username and paused the way
//! operators' are ([`operators::pause_after`]: five free attempts, then 30
//! seconds doubling up to 15 minutes; a run of failures is forgotten after
//! 15 quiet minutes). While paused, even the right password is refused, so
//! a program on this computer cannot guess a connection's password at the
//! speed of loopback.
//!
//! Kept in memory, not in `sign_in_throttle`: that table is keyed by
//! operator username, and a Web Connector username may be an operator's
//! too. A restart forgets the count, which a local attacker cannot cause
//! (the server does not fall over on bad input) without the rights to
//! stop Timebridge anyway.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use timebridge_core::operators;

/// Usernames remembered at most (failures with unknown names count too).
const MAX_REMEMBERED: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: i64,
    last_at: DateTime<Utc>,
    paused_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub(super) struct SignInThrottle {
    by_username: HashMap<String, Failures>,
}

fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

fn forgotten(failures: &Failures, now: DateTime<Utc>) -> bool {
    now - failures.last_at >= Duration::seconds(operators::FAILURE_MEMORY_SECONDS)
}

impl SignInThrottle {
    /// Until when sign-in as `username` is paused, if it is.
    pub(super) fn paused_until(&self, username: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.by_username
            .get(&key(username))
            .and_then(|f| f.paused_until)
            .filter(|until| *until > now)
    }

    /// Counts a failed sign-in; returns until when sign-in is now paused.
    pub(super) fn failed(&mut self, username: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.by_username.len() >= MAX_REMEMBERED {
            self.by_username.retain(|_, f| !forgotten(f, now));
        }
        if self.by_username.len() >= MAX_REMEMBERED
            && let Some(oldest) = self
                .by_username
                .iter()
                .min_by_key(|(_, f)| f.last_at)
                .map(|(name, _)| name.clone())
        {
            self.by_username.remove(&oldest);
        }
        let earlier = self
            .by_username
            .get(&key(username))
            .filter(|f| !forgotten(f, now))
            .map_or(0, |f| f.count);
        let count = earlier + 1;
        let paused_until = operators::pause_after(count).map(|pause| now + pause);
        self.by_username.insert(
            key(username),
            Failures {
                count,
                last_at: now,
                paused_until,
            },
        );
        paused_until
    }

    /// A right password: the count starts again.
    pub(super) fn succeeded(&mut self, username: &str) {
        self.by_username.remove(&key(username));
    }
}

/// What the admin is told about a paused sign-in.
pub(super) fn paused_message(username: &str, until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (until - now).num_seconds().max(1);
    let wait = if seconds < 120 {
        format!("{seconds} seconds")
    } else {
        format!("{} minutes", (seconds + 59) / 60)
    };
    format!(
        "Sign-in for the Web Connector's “{username}” is paused after too many failed attempts. Wait {wait}, \
         check the password in the Web Connector's Password field, then click Update Selected."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_follows_the_operators_policy_and_ends() {
        let now = Utc::now();
        let mut throttle = SignInThrottle::default();
        for attempt in 1..operators::FREE_ATTEMPTS {
            assert_eq!(
                throttle.failed("Office", now),
                None,
                "attempt {attempt} is free"
            );
        }
        let until = throttle
            .failed("office", now)
            .expect("the fifth failure in a row pauses sign-in");
        assert_eq!(
            throttle.paused_until("OFFICE ", now),
            Some(until),
            "usernames differing only in case or spaces share a count"
        );
        assert_eq!(
            throttle.paused_until("office", until),
            None,
            "the pause ends"
        );
        throttle.succeeded("office");
        assert_eq!(
            throttle.failed("office", until),
            None,
            "a right password starts the count again"
        );
    }

    #[test]
    fn unknown_usernames_cannot_grow_the_memory_without_bound() {
        let now = Utc::now();
        let mut throttle = SignInThrottle::default();
        for n in 0..(MAX_REMEMBERED * 2) {
            throttle.failed(&format!("guess-{n}"), now);
        }
        assert!(
            throttle.by_username.len() <= MAX_REMEMBERED,
            "at most {MAX_REMEMBERED} usernames are remembered: {}",
            throttle.by_username.len()
        );
    }
}
