//! Lock helpers for the runtime and core: one place that recovers from
//! poisoned mutexes.
//!
//! A panic on a runtime thread aborts the process (see [`super::thread`]), and
//! a panic in an exported function is caught at the C boundary. In the latter
//! case a lock may be poisoned although the data it guards is consistent
//! (every critical section here is short and leaves its data valid at each
//! step), so the poison flag is ignored rather than turned into a second panic.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Locks `m`, ignoring poisoning.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `cv` with `g` held, ignoring poisoning. Spurious wake-ups happen:
/// callers re-check their condition in a loop. On a task thread, first hands
/// queued tasks to an idle task thread ([`super::taskq::before_blocking`]).
pub fn wait<'a, T>(cv: &Condvar, g: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    super::taskq::before_blocking();
    cv.wait(g).unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `cv` for at most `d`, ignoring poisoning (and, like [`wait`],
/// hands queued tasks on first).
pub fn wait_timeout<'a, T>(cv: &Condvar, g: MutexGuard<'a, T>, d: Duration) -> MutexGuard<'a, T> {
    super::taskq::before_blocking();
    match cv.wait_timeout(g, d) {
        Ok((g, _)) => g,
        Err(p) => p.into_inner().0,
    }
}
