//! Named points between the committed steps of a multi-step write (a
//! publication recorded, its file written, its answers recorded), where
//! the crash tests pause a process to kill it there. Nothing pauses unless
//! a hook is set, and only those tests set one.

use std::sync::OnceLock;

static HOOK: OnceLock<fn(&'static str)> = OnceLock::new();

/// Calls `hook` with each point's name from now on, in this process. Set
/// once; a second hook is ignored.
pub fn set_hook(hook: fn(&'static str)) {
    let _ = HOOK.set(hook);
}

/// The process reached `point`.
pub fn reached(point: &'static str) {
    if let Some(hook) = HOOK.get() {
        hook(point);
    }
}
