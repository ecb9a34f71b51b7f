//! The runtime: the library's own threads, its clock and its timers.
//!
//! - [`taskq`]: task threads that run aio completion callbacks
//!   (`NNG_INIT_NUM_TASK_THREADS`, default 2 × ncpu capped by
//!   `NNG_INIT_MAX_TASK_THREADS` = 16, at least 2).
//! - [`timer`]: expire threads serving millisecond timers and aio timeouts
//!   (`NNG_INIT_NUM_EXPIRE_THREADS`, default ncpu capped by
//!   `NNG_INIT_MAX_EXPIRE_THREADS` = 8, at least 1).
//! - [`reap`]: one reaper thread for deferred teardown (`nng_aio_reap`).
//! - [`clock`]: the monotonic millisecond clock (`nng_clock`).
//! - [`reactor`]: poller threads waiting on epoll (edge-triggered) for the
//!   network transports (`NNG_INIT_NUM_POLLER_THREADS`, default 1, capped by
//!   `NNG_INIT_MAX_POLLER_THREADS` = 8), see [`poller_threads`].
//! - [`resolver`]: threads running blocking name lookups
//!   (`NNG_INIT_NUM_RESOLVER_THREADS`, default 4), see [`resolver_threads`].
//! - [`sys`]: the operating-system calls of the above and of the transports.
//!
//! Everything starts lazily: the first call that needs the runtime runs
//! [`init`] (cheap to call again: one atomic load). [`fini`] (`nng_fini`) runs
//! the registered fini hooks (the socket layer closes every socket there),
//! stops and joins every thread, and forgets the init parameters; the next
//! use starts the runtime again.
//!
//! May depend on `core::error` only. Never calls user code while holding a
//! runtime lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::core::error::Result;
use sync::lock;

pub mod clock;
pub mod reactor;
pub mod reap;
pub mod resolver;
pub mod sync;
pub mod sys;
pub mod taskq;
pub mod thread;
pub mod timer;

/// `NNG_INIT_NUM_TASK_THREADS`.
pub const NUM_TASK_THREADS: i32 = 1;
/// `NNG_INIT_NUM_EXPIRE_THREADS`.
pub const NUM_EXPIRE_THREADS: i32 = 2;
/// `NNG_INIT_NUM_POLLER_THREADS`.
pub const NUM_POLLER_THREADS: i32 = 3;
/// `NNG_INIT_NUM_RESOLVER_THREADS`.
pub const NUM_RESOLVER_THREADS: i32 = 4;
/// `NNG_INIT_MAX_TASK_THREADS`.
pub const MAX_TASK_THREADS: i32 = 5;
/// `NNG_INIT_MAX_EXPIRE_THREADS`.
pub const MAX_EXPIRE_THREADS: i32 = 6;
/// `NNG_INIT_MAX_POLLER_THREADS`.
pub const MAX_POLLER_THREADS: i32 = 7;

static INITED: AtomicBool = AtomicBool::new(false);

struct InitState {
    /// Values from `nng_init_set_parameter`, for the next init.
    params: Vec<(i32, u64)>,
    /// Values the current run actually uses.
    effective: Vec<(i32, u64)>,
}

static INIT: Mutex<InitState> = Mutex::new(InitState {
    params: Vec::new(),
    effective: Vec::new(),
});

static FINI_HOOKS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Starts the runtime if it is not running; cheap when it is.
pub fn ensure() {
    if !INITED.load(Ordering::Acquire) {
        // A failure here (no threads could be made) shows up again, as an
        // error, at the next call of `init` that reports it.
        let _ = init_slow();
    }
}

/// Starts the runtime if it is not running, reporting failure
/// (`NNG_ENOMEM` if a thread could not be created).
pub fn init() -> Result<()> {
    if INITED.load(Ordering::Acquire) {
        return Ok(());
    }
    init_slow()
}

/// The number of cores this process may run on (1 if unknown), read once.
/// Waiting by watching (a receiver, a poller) is pointless on one core:
/// the awaited thread cannot run meanwhile.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether the runtime is running.
pub fn is_initialized() -> bool {
    INITED.load(Ordering::Acquire)
}

fn init_slow() -> Result<()> {
    let mut st = lock(&INIT);
    if INITED.load(Ordering::Acquire) {
        return Ok(());
    }
    let ncpu = cores() as u64;
    let tasks = resolve(
        &st.params,
        NUM_TASK_THREADS,
        2 * ncpu,
        MAX_TASK_THREADS,
        16,
        2,
    );
    let expire = resolve(
        &st.params,
        NUM_EXPIRE_THREADS,
        ncpu,
        MAX_EXPIRE_THREADS,
        8,
        1,
    );
    taskq::start(tasks)?;
    if let Err(e) = reap::start() {
        taskq::stop();
        return Err(e);
    }
    let expire = match timer::start(expire) {
        Ok(n) => n,
        Err(e) => {
            reap::stop();
            taskq::stop();
            return Err(e);
        }
    };
    let pollers = poller_threads_from(&st.params);
    let resolvers = resolver_threads_from(&st.params);
    let started = reactor::start(pollers)
        .and_then(|()| resolver::start(resolvers).inspect_err(|_| reactor::stop()));
    if let Err(e) = started {
        timer::stop();
        reap::stop();
        taskq::stop();
        return Err(e);
    }
    st.effective = vec![
        (NUM_TASK_THREADS, tasks as u64),
        (NUM_EXPIRE_THREADS, expire as u64),
        (NUM_POLLER_THREADS, pollers as u64),
        (NUM_RESOLVER_THREADS, resolvers as u64),
    ];
    INITED.store(true, Ordering::Release);
    Ok(())
}

/// Tears down the runtime and all global state (`nng_fini`).
///
/// Runs the fini hooks (newest first), stops the resolver and poller
/// threads, waits for pending reaps, stops the expire threads (after they fired every armed expiration, as upstream), the
/// task threads (after they ran every queued callback) and the reaper, then
/// forgets the init parameters. Not thread-safe: no other nng call may run
/// concurrently. The runtime starts again on next use.
pub fn fini() {
    if !INITED.load(Ordering::Acquire) {
        lock(&INIT).params.clear();
        return;
    }
    let hooks: Vec<fn()> = lock(&FINI_HOOKS).clone();
    for h in hooks.iter().rev() {
        h();
    }
    // Every socket is closed: no descriptor needs the pollers any more, and
    // no lookup result is awaited.
    resolver::stop();
    reactor::stop();
    reap::drain();
    timer::stop();
    reap::drain();
    taskq::stop();
    reap::stop();
    let mut st = lock(&INIT);
    st.params.clear();
    st.effective.clear();
    INITED.store(false, Ordering::Release);
}

/// Registers `f` to run at the start of every [`fini`] (once, however often
/// it is registered). The socket layer closes all sockets here.
pub fn register_fini_hook(f: fn()) {
    let mut hooks = lock(&FINI_HOOKS);
    if !hooks.iter().any(|&h| h as usize == f as usize) {
        hooks.push(f);
    }
}

/// Records an init parameter (`nng_init_set_parameter`) for the next
/// initialisation. Ignored while the runtime runs (as upstream); unknown
/// parameters are kept and never used.
pub fn set_parameter(param: i32, value: u64) {
    if INITED.load(Ordering::Acquire) {
        return;
    }
    let mut st = lock(&INIT);
    match st.params.iter_mut().find(|(p, _)| *p == param) {
        Some(e) => e.1 = value,
        None => st.params.push((param, value)),
    }
}

/// The value the running runtime uses for a `NUM_*` parameter (thread
/// counts), or `None` while it is down.
pub fn effective(param: i32) -> Option<u64> {
    lock(&INIT)
        .effective
        .iter()
        .find(|(p, _)| *p == param)
        .map(|&(_, v)| v)
}

/// Number of poller threads the reactor should start: upstream's POSIX
/// default (1), or `NNG_INIT_NUM_POLLER_THREADS` capped by
/// `NNG_INIT_MAX_POLLER_THREADS` (default 8), at least 1.
pub fn poller_threads() -> usize {
    poller_threads_from(&lock(&INIT).params)
}

/// Number of resolver threads: `NNG_INIT_NUM_RESOLVER_THREADS`, default 4,
/// at least 1.
pub fn resolver_threads() -> usize {
    resolver_threads_from(&lock(&INIT).params)
}

fn poller_threads_from(params: &[(i32, u64)]) -> usize {
    resolve(params, NUM_POLLER_THREADS, 1, MAX_POLLER_THREADS, 8, 1)
}

fn resolver_threads_from(params: &[(i32, u64)]) -> usize {
    let n = get(params, NUM_RESOLVER_THREADS, 4) as i32;
    n.max(1) as usize
}

fn get(params: &[(i32, u64)], p: i32, default: u64) -> u64 {
    params
        .iter()
        .find(|(k, _)| *k == p)
        .map_or(default, |&(_, v)| v)
}

/// Upstream's rule: values are read as C `int`; a positive maximum caps the
/// count; the result is at least `min`.
fn resolve(
    params: &[(i32, u64)],
    num: i32,
    num_default: u64,
    max: i32,
    max_default: u64,
    min: i32,
) -> usize {
    let max = get(params, max, max_default) as i32;
    let mut n = get(params, num, num_default) as i32;
    if max > 0 && n > max {
        n = max;
    }
    n.max(min) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts_follow_upstream_rules() {
        let p = |v: &[(i32, u64)]| v.to_vec();
        // Defaults: 2 x ncpu capped at 16, at least 2.
        assert_eq!(
            resolve(&[], NUM_TASK_THREADS, 2, MAX_TASK_THREADS, 16, 2),
            2
        );
        assert_eq!(
            resolve(&[], NUM_TASK_THREADS, 64, MAX_TASK_THREADS, 16, 2),
            16
        );
        // Explicit values, caps and minimums.
        let v = p(&[(NUM_TASK_THREADS, 1)]);
        assert_eq!(resolve(&v, NUM_TASK_THREADS, 8, MAX_TASK_THREADS, 16, 2), 2);
        let v = p(&[(NUM_TASK_THREADS, 40), (MAX_TASK_THREADS, 0)]);
        assert_eq!(
            resolve(&v, NUM_TASK_THREADS, 8, MAX_TASK_THREADS, 16, 2),
            40
        );
        let v = p(&[(NUM_EXPIRE_THREADS, 12), (MAX_EXPIRE_THREADS, 3)]);
        assert_eq!(
            resolve(&v, NUM_EXPIRE_THREADS, 2, MAX_EXPIRE_THREADS, 8, 1),
            3
        );
        let v = p(&[(NUM_EXPIRE_THREADS, 0)]);
        assert_eq!(
            resolve(&v, NUM_EXPIRE_THREADS, 2, MAX_EXPIRE_THREADS, 8, 1),
            1
        );
        assert_eq!(resolver_threads_from(&[]), 4);
        assert_eq!(poller_threads_from(&[]), 1);
    }

    #[test]
    fn fini_hooks_register_once() {
        fn hook() {}
        let hook: fn() = hook;
        register_fini_hook(hook);
        register_fini_hook(hook);
        let n = lock(&FINI_HOOKS)
            .iter()
            .filter(|&&h| h as usize == hook as usize)
            .count();
        assert_eq!(n, 1);
        lock(&FINI_HOOKS).retain(|&h| h as usize != hook as usize);
    }

    #[test]
    fn runtime_reports_effective_counts_once_running() {
        init().unwrap();
        assert!(is_initialized());
        assert!(effective(NUM_TASK_THREADS).unwrap() >= 2);
        assert!(effective(NUM_EXPIRE_THREADS).unwrap() >= 1);
    }
}
