//! Millisecond timers, served by the expire threads (upstream
//! `nni_aio_expire_q`).
//!
//! There is one queue per expire thread (`NNG_INIT_NUM_EXPIRE_THREADS`), each
//! a `BTreeMap` ordered by deadline with its own lock and condition variable.
//! A target always lands on the same queue (chosen from its address), so the
//! expirations of one target never run concurrently with each other.
//!
//! Two users:
//! - [`Timer`]: a re-armable one-shot timer with a fixed callback, for
//!   protocols (req resend, surveyor deadline) and endpoints (reconnect
//!   back-off).
//! - `core::aio`, through the crate-internal [`insert`]/[`remove`] pair, for
//!   operation timeouts.
//!
//! Callbacks run on an expire thread with no timer lock held. They must not
//! block (they hold up every other timer on that thread); they may take
//! locks, arm timers (their own included) and complete aios. Heavy work goes
//! to [`super::taskq::spawn`].
//!
//! Lock order: a target's own lock (aio state, timer state) before a queue
//! lock; an expire thread never holds its queue lock while it calls a target.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::clock::{self, NEVER};
use super::sync::{lock, wait, wait_timeout};
use crate::core::error::{Error, Result};

/// Upper bound on expire queues (and threads), whatever the parameters ask.
pub const MAX_QUEUES: usize = 64;

/// Identifies one armed expiration (a queue, a deadline, a unique id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerKey {
    q: usize,
    deadline: u64,
    id: u64,
}

impl TimerKey {
    /// The absolute deadline (ms, `nng_clock` base).
    pub fn deadline(&self) -> u64 {
        self.deadline
    }
}

/// Something an expire thread can call back when its deadline comes.
pub trait Expire: Send + Sync {
    /// The deadline of `key` has come. Called on an expire thread, without
    /// any timer lock held. The target must check that `key` is still its
    /// current one: an expiration may race with a concurrent re-arm.
    fn expire(self: Arc<Self>, key: TimerKey);
}

struct QState {
    entries: BTreeMap<(u64, u64), Arc<dyn Expire>>,
    next_id: u64,
    /// Deadline the thread sleeps until (`NEVER`: no deadline); 0 while awake.
    wake_at: u64,
    exit: bool,
    thread: Option<JoinHandle<()>>,
}

struct Queue {
    st: Mutex<QState>,
    cv: Condvar,
}

static QUEUES: [Queue; MAX_QUEUES] = [const {
    Queue {
        st: Mutex::new(QState {
            entries: BTreeMap::new(),
            next_id: 1,
            wake_at: 0,
            exit: false,
            thread: None,
        }),
        cv: Condvar::new(),
    }
}; MAX_QUEUES];

/// Number of queues with a running thread (0 while the runtime is down).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// Arms an expiration of `target` at `deadline`; `hint` picks the queue (use
/// the target's address so it always lands on the same one).
pub fn insert(deadline: u64, hint: usize, target: Arc<dyn Expire>) -> TimerKey {
    let mut n = ACTIVE.load(Ordering::Acquire);
    if n == 0 {
        super::ensure();
        n = ACTIVE.load(Ordering::Acquire).max(1);
    }
    // Fibonacci hashing spreads aligned addresses over the queues.
    let qi = ((hint as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize % n;
    let q = &QUEUES[qi];
    let mut st = lock(&q.st);
    let id = st.next_id;
    st.next_id += 1;
    st.entries.insert((deadline, id), target);
    let wake = deadline < st.wake_at;
    drop(st);
    if wake {
        q.cv.notify_one();
    }
    TimerKey {
        q: qi,
        deadline,
        id,
    }
}

/// Disarms `key`; a no-op if it already fired or was removed.
pub fn remove(key: TimerKey) {
    let removed = lock(&QUEUES[key.q].st)
        .entries
        .remove(&(key.deadline, key.id));
    // Dropped here, outside the queue lock.
    drop(removed);
}

/// Starts `n` expire threads (called by runtime init). A queue beyond `n`
/// that still holds entries from an earlier run gets a thread too.
pub(super) fn start(n: usize) -> Result<usize> {
    let mut n = n.clamp(1, MAX_QUEUES);
    for (i, q) in QUEUES.iter().enumerate().skip(n) {
        if !lock(&q.st).entries.is_empty() {
            n = i + 1;
        }
    }
    for (i, q) in QUEUES.iter().enumerate().take(n) {
        let mut st = lock(&q.st);
        st.exit = false;
        match super::thread::spawn(&format!("nng:expire{i}"), move || expire_loop(i)) {
            Ok(h) => st.thread = Some(h),
            Err(_) => {
                drop(st);
                ACTIVE.store(i, Ordering::Release);
                stop();
                return Err(Error::NoMem);
            }
        }
    }
    ACTIVE.store(n, Ordering::Release);
    Ok(n)
}

/// Stops the expire threads. Like upstream, each first waits out and fires
/// every expiration still armed on its queue (called by runtime fini).
pub(super) fn stop() {
    for q in QUEUES.iter() {
        let h = {
            let mut st = lock(&q.st);
            st.exit = true;
            st.thread.take()
        };
        if let Some(h) = h {
            q.cv.notify_one();
            let _ = h.join();
        }
    }
    ACTIVE.store(0, Ordering::Release);
}

fn expire_loop(qi: usize) {
    let q = &QUEUES[qi];
    let mut batch: Vec<(TimerKey, Arc<dyn Expire>)> = Vec::with_capacity(16);
    let mut st = lock(&q.st);
    loop {
        let now = clock::now_ms();
        while batch.len() < 64 {
            match st.entries.first_entry() {
                Some(e) if e.key().0 <= now => {
                    let ((deadline, id), t) = e.remove_entry();
                    batch.push((
                        TimerKey {
                            q: qi,
                            deadline,
                            id,
                        },
                        t,
                    ));
                }
                _ => break,
            }
        }
        if !batch.is_empty() {
            drop(st);
            for (k, t) in batch.drain(..) {
                t.expire(k);
            }
            st = lock(&q.st);
            continue;
        }
        let next = st.entries.first_key_value().map(|(k, _)| k.0);
        match next {
            None if st.exit => return,
            None => {
                st.wake_at = NEVER;
                st = wait(&q.cv, st);
            }
            Some(d) => {
                st.wake_at = d;
                let ns = d.saturating_mul(1_000_000).saturating_sub(clock::now_ns());
                st = wait_timeout(&q.cv, st, Duration::from_nanos(ns));
            }
        }
        st.wake_at = 0;
    }
}

/// A re-armable one-shot timer with a fixed callback.
///
/// [`Timer::schedule`] arms it for an absolute deadline (replacing any earlier
/// one); when the deadline comes the callback runs once on an expire thread.
/// [`Timer::cancel`] disarms it and waits for a callback already running
/// (unless called from that callback). Dropping the timer cancels it.
///
/// The callback must not block; see the module docs. It is owned by the
/// timer: to reach the object that owns the timer, capture a `Weak`, or the
/// two keep each other alive.
pub struct Timer {
    inner: Arc<TimerInner>,
}

struct TimerInner {
    st: Mutex<TState>,
    cv: Condvar,
    cb: Box<dyn Fn() + Send + Sync>,
}

struct TState {
    key: Option<TimerKey>,
    /// The thread running the callback (`thread_key`).
    runner: Option<usize>,
    waiters: u32,
}

impl Timer {
    /// A disarmed timer that will run `cb` at each deadline it is armed for.
    pub fn new(cb: impl Fn() + Send + Sync + 'static) -> Timer {
        Timer {
            inner: Arc::new(TimerInner {
                st: Mutex::new(TState {
                    key: None,
                    runner: None,
                    waiters: 0,
                }),
                cv: Condvar::new(),
                cb: Box::new(cb),
            }),
        }
    }

    /// Arms the timer for `deadline` (ms, [`clock::now_ms`] base), replacing
    /// any pending deadline. A deadline in the past fires at once (on an
    /// expire thread); [`NEVER`] just disarms. Does not block.
    pub fn schedule(&self, deadline: u64) {
        let mut st = lock(&self.inner.st);
        if let Some(k) = st.key.take() {
            remove(k);
        }
        if deadline != NEVER {
            let hint = Arc::as_ptr(&self.inner) as usize;
            st.key = Some(insert(deadline, hint, self.inner.clone()));
        }
    }

    /// Arms the timer for `ms` milliseconds from now.
    pub fn schedule_in(&self, ms: u64) {
        self.schedule(clock::now_ms().saturating_add(ms));
    }

    /// Disarms the timer. If its callback is running on another thread, waits
    /// for it to return; called from the callback itself, returns at once.
    pub fn cancel(&self) {
        let me = thread_key();
        let mut st = lock(&self.inner.st);
        if let Some(k) = st.key.take() {
            remove(k);
        }
        while st.runner.is_some() && st.runner != Some(me) {
            st.waiters += 1;
            st = wait(&self.inner.cv, st);
            st.waiters -= 1;
        }
    }

    /// The pending deadline, if armed.
    pub fn deadline(&self) -> Option<u64> {
        lock(&self.inner.st).key.map(|k| k.deadline)
    }
}

/// Identifies the calling thread among live threads (the address of a
/// thread-local). `std::thread::current()` would do, but on a thread std
/// did not start (a C program's main thread) it allocates a handle that is
/// never freed, which valgrind reports.
fn thread_key() -> usize {
    thread_local! {
        static KEY: u8 = const { 0 };
    }
    KEY.with(|k| k as *const u8 as usize)
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl std::fmt::Debug for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timer")
            .field("deadline", &self.deadline())
            .finish()
    }
}

impl Expire for TimerInner {
    fn expire(self: Arc<Self>, key: TimerKey) {
        let mut st = lock(&self.st);
        if st.key != Some(key) {
            return;
        }
        st.key = None;
        st.runner = Some(thread_key());
        drop(st);
        (self.cb)();
        let mut st = lock(&self.st);
        st.runner = None;
        let wake = st.waiters > 0;
        drop(st);
        if wake {
            self.cv.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::sync::mpsc;

    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn timer_fires_once_after_its_deadline() {
        let (tx, rx) = mpsc::channel();
        let start = clock::now_ms();
        let t = Timer::new(move || tx.send(clock::now_ms()).unwrap());
        t.schedule(start + 30);
        let fired = rx.recv_timeout(LONG).unwrap();
        assert!(
            fired >= start + 30,
            "fired early: {} < {}",
            fired,
            start + 30
        );
        assert!(t.deadline().is_none());
        assert!(rx.recv_timeout(Duration::from_millis(50)).is_err());
    }

    #[test]
    fn rescheduling_replaces_the_deadline() {
        let (tx, rx) = mpsc::channel();
        let t = Timer::new(move || tx.send(clock::now_ms()).unwrap());
        let start = clock::now_ms();
        t.schedule(start + 60_000);
        t.schedule(start + 10);
        let fired = rx.recv_timeout(LONG).unwrap();
        assert!(fired >= start + 10);
        assert!(fired < start + 60_000);
    }

    #[test]
    fn cancelled_timer_does_not_fire() {
        let n = Arc::new(AtomicU32::new(0));
        let n2 = n.clone();
        let (tx, rx) = mpsc::channel::<()>();
        let t = Timer::new(move || {
            n2.fetch_add(1, Ordering::SeqCst);
        });
        t.schedule_in(20);
        t.cancel();
        // A second timer with a later deadline on any queue: once it fired,
        // the first one's deadline has long passed.
        let probe = Timer::new(move || tx.send(()).unwrap());
        probe.schedule_in(60);
        rx.recv_timeout(LONG).unwrap();
        assert_eq!(n.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn past_deadline_fires_promptly() {
        let (tx, rx) = mpsc::channel();
        let t = Timer::new(move || tx.send(()).unwrap());
        t.schedule(0);
        rx.recv_timeout(LONG).unwrap();
    }

    #[test]
    fn cancel_waits_for_a_running_callback() {
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let done = Arc::new(AtomicU32::new(0));
        let done2 = done.clone();
        let release_rx = Mutex::new(release_rx);
        let t = Arc::new(Timer::new(move || {
            started_tx.send(()).unwrap();
            lock(&release_rx).recv_timeout(LONG).unwrap();
            done2.store(1, Ordering::SeqCst);
        }));
        t.schedule(0);
        started_rx.recv_timeout(LONG).unwrap();
        let t2 = t.clone();
        let canceller = std::thread::spawn(move || {
            t2.cancel();
            // The callback must have finished before cancel returned.
            done.load(Ordering::SeqCst)
        });
        release_tx.send(()).unwrap();
        assert_eq!(canceller.join().unwrap(), 1);
    }

    #[test]
    fn callback_may_rearm_and_cancel_its_own_timer() {
        let (tx, rx) = mpsc::channel();
        let slot: Arc<Mutex<Option<Arc<Timer>>>> = Arc::new(Mutex::new(None));
        let slot2 = Arc::downgrade(&slot);
        let count = Arc::new(AtomicU32::new(0));
        let count2 = count.clone();
        let t = Arc::new(Timer::new(move || {
            let n = count2.fetch_add(1, Ordering::SeqCst) + 1;
            let Some(slot) = slot2.upgrade() else { return };
            let t = lock(&slot).clone().unwrap();
            if n < 3 {
                t.schedule_in(1);
            } else {
                t.cancel(); // from its own callback: must not deadlock
                tx.send(n).unwrap();
            }
        }));
        *lock(&slot) = Some(t.clone());
        t.schedule_in(1);
        assert_eq!(rx.recv_timeout(LONG).unwrap(), 3);
        *lock(&slot) = None;
    }

    #[test]
    fn many_timers_fire_in_deadline_order_per_queue() {
        let (tx, rx) = mpsc::channel();
        let base = clock::now_ms() + 20;
        let timers: Vec<Timer> = (0..50u64)
            .map(|i| {
                let tx = tx.clone();
                let t = Timer::new(move || tx.send((i, clock::now_ms())).unwrap());
                t.schedule(base + i % 5);
                t
            })
            .collect();
        for _ in 0..50 {
            let (i, at) = rx.recv_timeout(LONG).unwrap();
            assert!(at >= base + i % 5);
        }
        drop(timers);
    }
}
