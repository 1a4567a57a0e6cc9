//! Background work the window follows by id (browser sign-ins, imports): a
//! map from a random id to the work's state, shared with the task doing it.
//! Finished entries are forgotten an hour after they started.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

/// How long a finished entry can still be asked about.
const KEEP_FINISHED: chrono::Duration = chrono::Duration::hours(1);

/// Whether a piece of tracked work has ended.
pub(crate) trait Finished {
    fn finished(&self) -> bool;
}

struct Entry<T> {
    value: T,
    started: DateTime<Utc>,
}

/// Tracked work by id. Cloning shares the same map.
pub(crate) struct Tracked<T> {
    entries: Arc<Mutex<HashMap<String, Entry<T>>>>,
}

impl<T> Default for Tracked<T> {
    fn default() -> Self {
        Tracked {
            entries: Arc::default(),
        }
    }
}

impl<T> Clone for Tracked<T> {
    fn clone(&self) -> Self {
        Tracked {
            entries: self.entries.clone(),
        }
    }
}

impl<T: Finished> Tracked<T> {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry<T>>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tracks `value` under a new id (forgetting old finished work).
    pub(crate) fn add(&self, value: T, now: DateTime<Utc>) -> String {
        let id = random_id();
        let mut entries = self.lock();
        entries.retain(|_, e| !e.value.finished() || now - e.started < KEEP_FINISHED);
        entries.insert(
            id.clone(),
            Entry {
                value,
                started: now,
            },
        );
        id
    }

    /// Runs `f` on the work `id`; `None` when it is not (or no longer) tracked.
    pub(crate) fn with<R>(&self, id: &str, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.lock().get_mut(id).map(|e| f(&mut e.value))
    }

    /// Runs `f` on every piece of tracked work.
    pub(crate) fn each(&self, mut f: impl FnMut(&T)) {
        self.lock().values().for_each(|e| f(&e.value));
    }
}

/// 16 random bytes, hex.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
