//! The I/O reactor: poller threads waiting on epoll, edge-triggered, and
//! calling back the handler registered for each descriptor.
//!
//! There are [`super::poller_threads`] pollers (`NNG_INIT_NUM_POLLER_THREADS`,
//! default 1), each a thread with its own epoll instance; a registration
//! lands on one of them (round robin) and stays there. The number of
//! threads is fixed whatever the number of connections.
//!
//! # The contract for handlers
//!
//! - A descriptor is registered once, for the readiness it will ever care
//!   about ([`Interest`]), with a [`Handler`] held weakly (the registry never
//!   keeps a handler alive). Registrations are edge-triggered: an event
//!   reports that readiness *changed*, so the handler must remember it
//!   (e.g. a `readable` flag) and drain (read or write until `EAGAIN`, or a
//!   short read or write) before it can expect another event.
//!   Spurious events happen; a handler must cope with a readiness that is
//!   already gone (`EAGAIN`).
//! - [`Handler::ready`] runs on a poller thread with no reactor lock held.
//!   It must not block; it may take its own locks, register and deregister
//!   descriptors, and call into the socket layer (which completes user
//!   operations by handing them to the task threads). State that other
//!   threads hold across slow steps (a read) belongs in a [`ReadyMutex`],
//!   which a poller only tries.
//! - After handling events a poller watches for more for up to `SPIN`
//!   before it sleeps (not on a single-core machine).
//! - [`Registration::deregister`] (or dropping the registration) stops
//!   events before the descriptor is closed. An event the poller already
//!   took may still be delivered once, to a handler that is still alive;
//!   handlers check their own state (closed) under their own lock.
//!
//! Started by runtime init and stopped (threads joined) by runtime fini,
//! after the fini hooks closed every socket. Depends on `runtime::sys` and
//! `core::error` only.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, TryLockError, Weak};
use std::thread::JoinHandle;

use super::sync::lock;
use super::sys;
use crate::core::error::{Error, Result};

/// Readiness reported to a [`Handler`] (a set of epoll event bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ready(u32);

impl Ready {
    /// The descriptor may be read (or accepted from) without blocking; also
    /// set on hang-up and error, so that a read reports them.
    pub fn readable(self) -> bool {
        self.0 & (sys::EV_IN | sys::EV_RDHUP | sys::EV_HUP | sys::EV_ERR) != 0
    }
    /// The descriptor may be written (or its connect finished); also set on
    /// hang-up and error.
    pub fn writable(self) -> bool {
        self.0 & (sys::EV_OUT | sys::EV_HUP | sys::EV_ERR) != 0
    }
    /// The peer ended its stream (`EPOLLRDHUP`), or hang-up or error: the
    /// condition persists, so no further edge will announce it.
    pub fn hup(self) -> bool {
        self.0 & (sys::EV_RDHUP | sys::EV_HUP | sys::EV_ERR) != 0
    }
    /// Every condition at once: what a test hands a handler to stand for
    /// whatever event a poller might deliver.
    #[cfg(test)]
    pub fn all() -> Ready {
        Ready(sys::EV_IN | sys::EV_OUT | sys::EV_RDHUP | sys::EV_HUP | sys::EV_ERR)
    }
}

/// Which readiness a registration reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interest {
    /// Readable only (listening sockets).
    Read,
    /// Readable and writable (connections).
    ReadWrite,
}

/// Receives readiness events for one registered descriptor.
pub trait Handler: Send + Sync {
    /// Readiness changed. Called on a poller thread, with no reactor lock
    /// held; must not block (see the module docs).
    fn ready(self: Arc<Self>, ev: Ready);
}

/// A descriptor registered with a poller. Dropping it deregisters.
pub struct Registration {
    poller: Arc<Poller>,
    fd: RawFd,
    token: u64,
    events: u32,
    live: AtomicBool,
}

impl Registration {
    /// Stops events for the descriptor (idempotent). Call it before the
    /// descriptor is closed; `fd` must be the registered descriptor.
    pub fn deregister(&self, fd: BorrowedFd<'_>) {
        if !self.live.swap(false, Ordering::AcqRel) {
            return;
        }
        debug_assert_eq!(fd.as_raw_fd(), self.fd, "deregistering another descriptor");
        let _ = sys::epoll_del(self.poller.ep.as_fd(), fd);
        self.poller.slots_remove(self.token);
    }
}

impl Registration {
    /// Asks for an event now (on the poller thread) reporting the
    /// descriptor's current readiness, as if it had just changed: how a
    /// thread hands work to the poller. `false` if deregistered or the
    /// kernel refused.
    pub fn rearm(&self, fd: BorrowedFd<'_>) -> bool {
        if !self.live.load(Ordering::Acquire) {
            return false;
        }
        debug_assert_eq!(fd.as_raw_fd(), self.fd, "re-arming another descriptor");
        sys::epoll_mod(self.poller.ep.as_fd(), fd, self.events, self.token).is_ok()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if self.live.swap(false, Ordering::AcqRel) {
            // The owner dropped us without deregistering, presumably because
            // the descriptor is being closed with us: closing removes it
            // from epoll, so only the slot is left to free.
            self.poller.slots_remove(self.token);
        }
    }
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("fd", &self.fd)
            .field("token", &self.token)
            .finish()
    }
}

/// A handler's state, behind a lock that a poller never waits for.
///
/// A thread that holds a connection's state may be in a long step (a read
/// into a large message on the receiver's thread); a poller that waited for
/// it would stall every other descriptor it serves. So a poller only
/// *tries* the lock ([`ReadyMutex::lock_ready`]): if it is held, it leaves
/// a mark and goes on, and the holder, on unlocking, re-arms the
/// registration, so that epoll reports the descriptor's current readiness
/// again, to the poller. Nothing is lost (an edge that is gone by then
/// needed no work) and no handler step runs on the holder's thread.
pub struct ReadyMutex<T> {
    m: Mutex<T>,
    missed: AtomicBool,
}

/// A locked [`ReadyMutex`]; unlocking (dropping) hands a missed event
/// back to the poller.
pub struct ReadyGuard<'a, T> {
    g: Option<std::sync::MutexGuard<'a, T>>,
    missed: &'a AtomicBool,
    reg: &'a OnceLock<Registration>,
    fd: BorrowedFd<'a>,
}

impl<T> ReadyMutex<T> {
    /// Unlocked state `t`.
    pub fn new(t: T) -> ReadyMutex<T> {
        ReadyMutex {
            m: Mutex::new(t),
            missed: AtomicBool::new(false),
        }
    }

    /// Locks, waiting if needed (any thread but a poller). `reg` and `fd`
    /// are the handler's registration (possibly not made yet) and
    /// descriptor.
    pub fn lock<'a>(
        &'a self,
        reg: &'a OnceLock<Registration>,
        fd: BorrowedFd<'a>,
    ) -> ReadyGuard<'a, T> {
        self.guard(lock(&self.m), reg, fd)
    }

    /// Locks for a readiness event if that needs no waiting; else leaves
    /// the event to the holder (see the type docs) and returns `None`.
    pub fn lock_ready<'a>(
        &'a self,
        reg: &'a OnceLock<Registration>,
        fd: BorrowedFd<'a>,
    ) -> Option<ReadyGuard<'a, T>> {
        let try_once = || match self.m.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        let g = try_once().or_else(|| {
            self.missed.store(true, Ordering::Relaxed);
            // Pairs with the fence in `ReadyGuard::drop`: either this second
            // try finds the lock free or the holder's check sees the mark.
            fence(Ordering::SeqCst);
            try_once()
        })?;
        Some(self.guard(g, reg, fd))
    }

    fn guard<'a>(
        &'a self,
        g: std::sync::MutexGuard<'a, T>,
        reg: &'a OnceLock<Registration>,
        fd: BorrowedFd<'a>,
    ) -> ReadyGuard<'a, T> {
        ReadyGuard {
            g: Some(g),
            missed: &self.missed,
            reg,
            fd,
        }
    }

    /// A poller left an event that the next unlock re-arms.
    #[cfg(test)]
    pub fn has_missed(&self) -> bool {
        self.missed.load(Ordering::Acquire)
    }
}

impl<T> std::ops::Deref for ReadyGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.g.as_deref().expect("held until dropped")
    }
}

impl<T> std::ops::DerefMut for ReadyGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.g.as_deref_mut().expect("held until dropped")
    }
}

impl<T> Drop for ReadyGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.g.take());
        // Pairs with the fence in `lock_ready`.
        fence(Ordering::SeqCst);
        if self.missed.load(Ordering::Relaxed) && self.missed.swap(false, Ordering::AcqRel) {
            if let Some(r) = self.reg.get() {
                r.rearm(self.fd);
            }
        }
    }
}

/// Registers `fd` for `interest`, edge-triggered, with `handler` (held
/// weakly). Starts the runtime if needed. Fails with `NNG_ENOMEM` when no
/// poller runs, or with the epoll error.
pub fn register(
    fd: BorrowedFd<'_>,
    interest: Interest,
    handler: Weak<dyn Handler>,
) -> Result<Registration> {
    super::ensure();
    let poller = {
        let ps = lock(&POLLERS);
        if ps.pollers.is_empty() {
            return Err(Error::NoMem);
        }
        let i = NEXT.fetch_add(1, Ordering::Relaxed) % ps.pollers.len();
        ps.pollers[i].clone()
    };
    let token = poller.slots_insert(handler);
    let mut events = sys::EV_IN | sys::EV_RDHUP | sys::EV_ET;
    if interest == Interest::ReadWrite {
        events |= sys::EV_OUT;
    }
    if let Err(e) = sys::epoll_add(poller.ep.as_fd(), fd, events, token) {
        poller.slots_remove(token);
        return Err(e.into());
    }
    Ok(Registration {
        poller,
        fd: fd.as_raw_fd(),
        token,
        events,
        live: AtomicBool::new(true),
    })
}

/// Number of running poller threads (0 while the runtime is down).
pub fn pollers() -> usize {
    lock(&POLLERS).pollers.len()
}

// ---------------------------------------------------------------------------

/// How long a poller watches for the next event before it sleeps. Waking
/// a sleeping poller costs 5-10 us on this project's machines, about as
/// much as the rest of a 64 B round trip over ipc or tcp; watching brought
/// the one-way latency from 11.1 to 9.0 us (pair1 ipc) and from 17.5 to
/// 12.1 us (push/pull tcp), medians of 6 runs (10, 30 and 50 us did about
/// as well as 20). The cost: a poller that just handled an event spends up
/// to this much CPU before it sleeps.
const SPIN: std::time::Duration = std::time::Duration::from_micros(20);

/// The token of the wake-up eventfd.
const WAKE: u64 = u64::MAX;

/// Events taken per `epoll_wait`.
const BATCH: usize = 256;

struct Slot {
    gen: u32,
    handler: Option<Weak<dyn Handler>>,
}

#[derive(Default)]
struct Slots {
    entries: Vec<Slot>,
    free: Vec<u32>,
}

struct Poller {
    ep: OwnedFd,
    wake: OwnedFd,
    stop: AtomicBool,
    slots: Mutex<Slots>,
}

impl Poller {
    fn new() -> Result<Poller> {
        let ep = sys::epoll_create()?;
        let wake = sys::eventfd()?;
        sys::epoll_add(ep.as_fd(), wake.as_fd(), sys::EV_IN | sys::EV_ET, WAKE)?;
        Ok(Poller {
            ep,
            wake,
            stop: AtomicBool::new(false),
            slots: Mutex::new(Slots::default()),
        })
    }

    /// A token is the slot index (low 32 bits) and its generation (high 32
    /// bits), so an event for a freed and reused slot is recognised as stale.
    fn slots_insert(&self, h: Weak<dyn Handler>) -> u64 {
        let mut s = lock(&self.slots);
        let idx = match s.free.pop() {
            Some(i) => i,
            None => {
                s.entries.push(Slot {
                    gen: 0,
                    handler: None,
                });
                (s.entries.len() - 1) as u32
            }
        };
        let slot = &mut s.entries[idx as usize];
        slot.handler = Some(h);
        (u64::from(slot.gen) << 32) | u64::from(idx)
    }

    fn slots_remove(&self, token: u64) {
        let (idx, gen) = ((token & 0xffff_ffff) as usize, (token >> 32) as u32);
        let old = {
            let mut s = lock(&self.slots);
            let Some(slot) = s.entries.get_mut(idx) else {
                return;
            };
            if slot.gen != gen || slot.handler.is_none() {
                return;
            }
            slot.gen = slot.gen.wrapping_add(1);
            let old = slot.handler.take();
            s.free.push(idx as u32);
            old
        };
        drop(old);
    }

    /// Waits for events: first by watching for up to [`SPIN`] (polling
    /// without sleeping, and yielding the core between polls), then by
    /// sleeping in `epoll_wait`.
    fn wait(&self, events: &mut [sys::EpollEvent], spin: bool) -> std::io::Result<usize> {
        if spin {
            let start = std::time::Instant::now();
            loop {
                match sys::epoll_wait(self.ep.as_fd(), events, 0) {
                    Ok(0) => {}
                    r => return r,
                }
                if start.elapsed() >= SPIN {
                    break;
                }
                std::thread::yield_now();
            }
        }
        sys::epoll_wait(self.ep.as_fd(), events, -1)
    }

    fn run(self: Arc<Self>) {
        let mut events = vec![sys::epoll_event_zero(); BATCH];
        let mut batch: Vec<(Arc<dyn Handler>, Ready)> = Vec::with_capacity(BATCH);
        let spin = super::cores() > 1;
        loop {
            let n = match self.wait(&mut events, spin) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    eprintln!("nng: epoll_wait failed: {e}");
                    return;
                }
            };
            {
                let s = lock(&self.slots);
                for ev in &events[..n] {
                    let (token, bits) = (ev.u64, ev.events);
                    if token == WAKE {
                        sys::eventfd_drain(self.wake.as_fd());
                        continue;
                    }
                    let (idx, gen) = ((token & 0xffff_ffff) as usize, (token >> 32) as u32);
                    if let Some(Slot {
                        gen: g,
                        handler: Some(h),
                    }) = s.entries.get(idx)
                    {
                        if *g == gen {
                            if let Some(h) = h.upgrade() {
                                batch.push((h, Ready(bits)));
                            }
                        }
                    }
                }
            }
            for (h, r) in batch.drain(..) {
                h.ready(r);
            }
            if self.stop.load(Ordering::Acquire) {
                return;
            }
        }
    }
}

struct Pollers {
    pollers: Vec<Arc<Poller>>,
    threads: Vec<JoinHandle<()>>,
}

static POLLERS: Mutex<Pollers> = Mutex::new(Pollers {
    pollers: Vec::new(),
    threads: Vec::new(),
});
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Starts `n` poller threads (runtime init).
pub(super) fn start(n: usize) -> Result<()> {
    let mut ps = lock(&POLLERS);
    for i in 0..n.max(1) {
        let p = match Poller::new() {
            Ok(p) => Arc::new(p),
            Err(e) => {
                drop(ps);
                stop();
                return Err(e);
            }
        };
        let run = p.clone();
        match super::thread::spawn(&format!("nng:poll{i}"), move || {
            POLLER_INDEX.with(|x| x.set(Some(i)));
            run.run()
        }) {
            Ok(h) => {
                ps.pollers.push(p);
                ps.threads.push(h);
            }
            Err(_) => {
                drop(ps);
                stop();
                return Err(Error::NoMem);
            }
        }
    }
    Ok(())
}

/// Stops and joins the poller threads (runtime fini). Registrations that
/// are still alive get no more events; their descriptors stay valid.
pub(super) fn stop() {
    let (pollers, threads) = {
        let mut ps = lock(&POLLERS);
        (
            std::mem::take(&mut ps.pollers),
            std::mem::take(&mut ps.threads),
        )
    };
    for p in &pollers {
        p.stop.store(true, Ordering::Release);
        sys::eventfd_signal(p.wake.as_fd());
    }
    // Not `thread::current()`: on a thread std did not start (a C
    // program's main thread) it allocates a handle that is never freed.
    let me = POLLER_INDEX.with(|x| x.get());
    for (i, h) in threads.into_iter().enumerate() {
        // fini from a poller thread (a callback calling nng_fini) cannot
        // join itself; that thread exits once its handler returns.
        if me != Some(i) {
            let _ = h.join();
        }
    }
}

thread_local! {
    /// On a poller thread, its index in the pollers' list.
    static POLLER_INDEX: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    struct Probe(Mutex<mpsc::Sender<Ready>>);

    impl Handler for Probe {
        fn ready(self: Arc<Self>, ev: Ready) {
            let _ = lock(&self.0).send(ev);
        }
    }

    #[test]
    fn eventfd_readiness_reaches_the_handler_on_a_poller_thread() {
        crate::runtime::init().unwrap();
        assert!(pollers() >= 1);
        let fd = sys::eventfd().unwrap();
        let (tx, rx) = mpsc::channel();
        let probe = Arc::new(Probe(Mutex::new(tx)));
        let weak: Weak<dyn Handler> = Arc::downgrade(&probe) as Weak<dyn Handler>;
        let reg = register(fd.as_fd(), Interest::Read, weak).unwrap();
        sys::eventfd_signal(fd.as_fd());
        let ev = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(ev.readable());
        // Edge-triggered: nothing more until the state changes again.
        sys::eventfd_drain(fd.as_fd());
        sys::eventfd_signal(fd.as_fd());
        let ev = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(ev.readable());
        reg.deregister(fd.as_fd());
        sys::eventfd_drain(fd.as_fd());
        sys::eventfd_signal(fd.as_fd());
        // After deregistering no event comes; prove it by registering a
        // second descriptor and seeing only its event.
        let fd2 = sys::eventfd().unwrap();
        let reg2 = register(
            fd2.as_fd(),
            Interest::Read,
            Arc::downgrade(&probe) as Weak<dyn Handler>,
        )
        .unwrap();
        sys::eventfd_signal(fd2.as_fd());
        let ev = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(ev.readable());
        assert!(rx.try_recv().is_err());
        drop(reg2);
    }

    #[test]
    fn slots_reject_stale_tokens() {
        let p = Poller::new().unwrap();
        let (tx, _rx) = mpsc::channel();
        let probe: Arc<dyn Handler> = Arc::new(Probe(Mutex::new(tx)));
        let t1 = p.slots_insert(Arc::downgrade(&probe));
        p.slots_remove(t1);
        let t2 = p.slots_insert(Arc::downgrade(&probe));
        assert_eq!(t1 & 0xffff_ffff, t2 & 0xffff_ffff);
        assert_ne!(t1, t2);
        // Removing the stale token leaves the new registration alone.
        p.slots_remove(t1);
        assert!(lock(&p.slots).entries[0].handler.is_some());
    }

    /// The scheduler state of thread `tid` of this process ('R', 'S', ...).
    fn thread_state(tid: i32) -> char {
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
        // After the parenthesised command name.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        rest.chars().next().unwrap()
    }

    #[test]
    fn a_watching_poller_sleeps_when_nothing_comes_and_wakes_for_an_event() {
        let p = Arc::new(Poller::new().unwrap());
        let (tx, rx) = mpsc::channel();
        let waiter = {
            let p = p.clone();
            std::thread::spawn(move || {
                // SAFETY: gettid has no preconditions.
                tx.send(unsafe { libc::gettid() }).unwrap();
                let mut events = vec![sys::epoll_event_zero(); 4];
                p.wait(&mut events, true).unwrap()
            })
        };
        let tid = rx.recv().unwrap();
        // Watching ends after SPIN: the thread then sleeps in epoll_wait
        // (while watching it polls and yields, never sleeping).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while thread_state(tid) != 'S' {
            assert!(std::time::Instant::now() < deadline, "poller never slept");
            std::thread::yield_now();
        }
        sys::eventfd_signal(p.wake.as_fd());
        assert_eq!(waiter.join().unwrap(), 1);
    }
}
