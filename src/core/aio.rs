//! Asynchronous I/O handles (`nng_aio`): the one async primitive that every
//! socket, context, protocol, transport and stream operation completes.
//!
//! # Two sides
//!
//! A *consumer* (the application, or the socket layer on its behalf) owns an
//! [`Aio`], fills in its inputs (message, iov, timeout), hands it to an
//! operation, and learns the outcome from [`Aio::result`] /
//! [`Aio::count`] / [`Aio::take_msg`], either in its completion callback or
//! after [`Aio::wait`].
//!
//! A *provider* (the code implementing the operation) follows upstream's
//! contract, step by step:
//!
//! 1. [`Aio::begin`]: if it returns `false` the aio is stopped; drop the
//!    request at once and touch the aio no more (it has already failed with
//!    `NNG_ECANCELED` and no callback runs).
//! 2. Either finish right away (go to 4), or keep a clone of the aio in the
//!    provider's own pending list and call [`Aio::schedule`] with a
//!    [`Cancel`] object. That arms the timeout (the aio's relative timeout
//!    or absolute expiry; `NNG_DURATION_DEFAULT`/`INFINITE` mean none, so
//!    apply a default first with [`Aio::normalize_timeout`]). If it fails
//!    (zero timeout: `NNG_ETIMEDOUT`; aborted before scheduling: that
//!    error; stopped: `NNG_ECLOSED`), finish with that error. Hold the
//!    provider's own lock across `schedule` and adding the aio to its list:
//!    a canceller can run at once (a deadline already past) and must then
//!    find the aio there.
//! 3. The canceller may be called (timeout, `nng_aio_cancel`/`abort`,
//!    `stop`, `close`, `free`) on any thread, without any aio lock held. If
//!    the aio is still in the provider's list, remove it and finish it with
//!    the given reason; if the provider already took it off to finish it,
//!    do nothing. It is called at most once per [`Aio::schedule`], and never
//!    after the provider finished.
//! 4. Complete exactly once with [`Aio::finish`] (keeps the count set with
//!    [`Aio::set_count`]/[`Aio::add_count`]), [`Aio::finish_err`],
//!    [`Aio::finish_with_count`] or [`Aio::finish_msg`] (receive: the
//!    message becomes the aio's). Never call these while holding a lock the
//!    callback might need: with no callback they wake the waiter directly;
//!    with one, the callback is queued to a task thread (or run in place by
//!    [`Aio::finish_sync`]).
//!
//! # Completion
//!
//! The callback runs on a task thread, never under an internal lock; it may
//! call back into the API: re-submit the aio, read its results, even stop or
//! free it (those then wait for everything but the running callback itself).
//! An aio without callback completes without any thread hop: the provider's
//! thread updates the state and wakes the waiter, so a blocking
//! `nng_send`/`nng_recv` costs no allocation ([`Aio::with_sync`] reuses a
//! per-thread aio) and at most one wake-up.
//!
//! # Messages and C
//!
//! The aio holds an `Option<Msg>`. C programs see `nng_msg *` pointers whose
//! ownership stays with them while attached to an aio (upstream keeps a plain
//! pointer): a message attached by `nng_aio_set_msg` or fetched by
//! `nng_aio_get_msg` is *lent* to C and is never freed by the aio. A provider
//! taking a lent message ([`Aio::take_msg`]) takes ownership of it (as a
//! successful send consumes it); if it hands it back with [`Aio::set_msg`]
//! during the same operation (a failed send), it becomes lent to C again.
//! The conversion functions come from `ffi` as a [`MsgConv`], so `core` never
//! learns the C representation. Pointer identity across such a round trip
//! (`nng_msg_free(m)` on the pointer the program attached) holds when the
//! message type converts to and from C without reallocating.
//!
//! Lock order: the aio lock is a leaf except that it is held while arming or
//! disarming its timer (`runtime::timer` queue lock).

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::mem::{self, ManuallyDrop};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::runtime::clock::{self, NEVER};
use crate::runtime::sync::{lock, wait};
use crate::runtime::taskq::{self, Runnable};
use crate::runtime::timer::{self, Expire, TimerKey};

/// `NNG_DURATION_INFINITE`: no timeout.
pub const DURATION_INFINITE: i32 = -1;
/// `NNG_DURATION_DEFAULT`: the object's default timeout (none if it has none).
pub const DURATION_DEFAULT: i32 = -2;
/// `NNG_DURATION_ZERO`: do not wait (fail with `NNG_ETIMEDOUT` if the
/// operation cannot complete at once).
pub const DURATION_ZERO: i32 = 0;
/// Number of scatter/gather entries an aio holds.
pub const MAX_IOV: usize = 8;
/// Number of input and of output slots.
pub const NUM_SLOTS: usize = 4;

/// A C completion callback (`void (*)(void *)`).
pub type CCallback = unsafe extern "C" fn(*mut c_void);
/// A C cancel function (`nng_aio_cancelfn`): (aio pointer from
/// [`Aio::as_ptr`], argument, reason).
pub type CCancelFn = unsafe extern "C" fn(*mut c_void, *mut c_void, c_int);

/// One scatter/gather element; the same layout as `nng_iov`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Iov {
    /// Start of the buffer (owned by the consumer).
    pub buf: *mut u8,
    /// Length in bytes.
    pub len: usize,
}

// SAFETY: an Iov only describes a buffer; the consumer that set it promises
// the buffer stays valid and unaliased while the operation runs, whatever
// thread the provider uses it on (the C contract of nng_aio_set_iov).
unsafe impl Send for Iov {}
// SAFETY: as for Send; shared access only copies the description.
unsafe impl Sync for Iov {}

impl Iov {
    const EMPTY: Iov = Iov {
        buf: std::ptr::null_mut(),
        len: 0,
    };
}

/// An opaque pointer stored for C (input/output slots, callback arguments).
/// `core` never dereferences it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawPtr(pub *mut c_void);

// SAFETY: the pointer is only stored and handed back to C, never
// dereferenced here; C promises such values are usable from nng's threads.
unsafe impl Send for RawPtr {}
// SAFETY: as above.
unsafe impl Sync for RawPtr {}

impl RawPtr {
    const NULL: RawPtr = RawPtr(std::ptr::null_mut());
}

/// How a message crosses to and from C; supplied by `ffi`.
#[derive(Debug)]
pub struct MsgConv {
    /// Gives a message to C as an `nng_msg *`.
    pub into_raw: fn(Msg) -> *mut c_void,
    /// Takes a message back from C.
    ///
    /// Safety: the pointer came from `into_raw` or from C (`nng_msg_alloc`),
    /// is live, and C gives it up.
    pub from_raw: unsafe fn(*mut c_void) -> Option<Msg>,
}

/// A provider's cancellation hook (see the module docs, step 3).
pub trait Cancel: Send + Sync {
    /// Cancels the operation on `aio` with `reason` (`NNG_ETIMEDOUT` on
    /// timeout, `NNG_ECANCELED` from cancel/stop, `NNG_ECLOSED` from
    /// close/free, or the code given to abort). Called without any aio lock
    /// held, on any thread; must not block on the aio.
    fn cancel(&self, aio: &Aio, reason: Error);
}

impl<F: Fn(&Aio, Error) + Send + Sync> Cancel for F {
    fn cancel(&self, aio: &Aio, reason: Error) {
        self(aio, reason)
    }
}

/// An asynchronous operation handle. Cloning is cheap (an `Arc`); clones
/// refer to the same aio. Dropping a clone never cancels anything: owners
/// end an aio with [`Aio::stop`] or [`Aio::free`].
#[derive(Clone)]
pub struct Aio(Arc<Inner>);

struct Inner {
    st: Mutex<State>,
    cv: Condvar,
    cb: Callback,
}

enum Callback {
    None,
    Rust(Box<dyn Fn(&Aio) + Send + Sync>),
    C(CCallback, RawPtr),
}

enum CancelSlot {
    None,
    Rust(Arc<dyn Cancel>),
    C(Option<CCancelFn>, RawPtr),
    Sleep,
}

impl CancelSlot {
    /// Whether an expiry can actively end the operation.
    fn can_cancel(&self) -> bool {
        !matches!(self, CancelSlot::None | CancelSlot::C(None, _))
    }
}

enum MsgSlot {
    Empty,
    Owned(Msg),
    /// A pointer C holds and owns (see the module docs).
    Lent(RawPtr, &'static MsgConv),
}

struct State {
    /// Operations and callbacks not yet over (upstream task busy count).
    busy: u32,
    /// `begin` counted an operation that has not finished yet.
    prep: bool,
    /// No new operation may start (stop, close, free).
    stopped: bool,
    /// Freed by its C owner: completions no longer call back.
    freed: bool,
    /// Aborted before the provider scheduled: `schedule` fails with this.
    abort: Option<Error>,
    /// An expire thread is running the canceller.
    expiring: bool,
    waiters: u32,
    cancel: CancelSlot,
    timer: Option<TimerKey>,
    result: Result<()>,
    count: usize,
    timeout: i32,
    expire: u64,
    use_expire: bool,
    sleep: bool,
    expire_ok: bool,
    msg: MsgSlot,
    /// The provider took a lent message during this operation.
    msg_origin: Option<&'static MsgConv>,
    iov: [Iov; MAX_IOV],
    nio: usize,
    inputs: [RawPtr; NUM_SLOTS],
    outputs: [RawPtr; NUM_SLOTS],
}

thread_local! {
    /// The aio whose callback this thread is running, if any.
    static CURRENT: Cell<*const Inner> = const { Cell::new(std::ptr::null()) };
    /// A callback-less aio kept for blocking operations ([`Aio::with_sync`]).
    static SYNC_AIO: Cell<Option<Aio>> = const { Cell::new(None) };
}

impl Default for Aio {
    fn default() -> Self {
        Aio::new()
    }
}

impl std::fmt::Debug for Aio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock();
        f.debug_struct("Aio")
            .field("ptr", &Arc::as_ptr(&self.0))
            .field("busy", &st.busy)
            .field("result", &st.result)
            .field("count", &st.count)
            .field("stopped", &st.stopped)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Creation and the C pointer form.

impl Aio {
    /// An aio without callback; its timeout is infinite (upstream
    /// `nni_aio_init`). Starts the runtime if needed.
    pub fn new() -> Aio {
        Aio::make(Callback::None, DURATION_INFINITE)
    }

    /// An aio whose completions run `cb` on a task thread. The callback owns
    /// what it captures: capture a `Weak` to the owner of the aio, or the two
    /// keep each other alive.
    pub fn with_callback(cb: impl Fn(&Aio) + Send + Sync + 'static) -> Aio {
        Aio::make(Callback::Rust(Box::new(cb)), DURATION_INFINITE)
    }

    /// An aio for C (`nng_aio_alloc`): completions call `cb(arg)` on a task
    /// thread; the timeout starts as `NNG_DURATION_DEFAULT`.
    ///
    /// # Safety
    ///
    /// `cb`, if any, must be safe to call with `arg` on any thread until the
    /// aio is freed (the C contract of `nng_aio_alloc`).
    pub unsafe fn with_c_callback(cb: Option<CCallback>, arg: *mut c_void) -> Aio {
        let cb = match cb {
            Some(f) => Callback::C(f, RawPtr(arg)),
            None => Callback::None,
        };
        Aio::make(cb, DURATION_DEFAULT)
    }

    fn make(cb: Callback, timeout: i32) -> Aio {
        crate::runtime::ensure();
        Aio(Arc::new(Inner {
            st: Mutex::new(State {
                busy: 0,
                prep: false,
                stopped: false,
                freed: false,
                abort: None,
                expiring: false,
                waiters: 0,
                cancel: CancelSlot::None,
                timer: None,
                result: Ok(()),
                count: 0,
                timeout,
                expire: NEVER,
                use_expire: false,
                sleep: false,
                expire_ok: false,
                msg: MsgSlot::Empty,
                msg_origin: None,
                iov: [Iov::EMPTY; MAX_IOV],
                nio: 0,
                inputs: [RawPtr::NULL; NUM_SLOTS],
                outputs: [RawPtr::NULL; NUM_SLOTS],
            }),
            cv: Condvar::new(),
            cb,
        }))
    }

    /// Gives this reference to C as an opaque pointer (the `nng_aio *`).
    pub fn into_raw(self) -> *mut c_void {
        Arc::into_raw(self.0) as *mut c_void
    }

    /// Takes back a reference given to C by [`Aio::into_raw`].
    ///
    /// # Safety
    ///
    /// `p` came from [`Aio::into_raw`] and C gives it up (each `into_raw`
    /// is matched by one `from_raw`).
    pub unsafe fn from_raw(p: *mut c_void) -> Aio {
        // SAFETY: per the contract p came from Arc::into_raw on an Inner.
        Aio(unsafe { Arc::from_raw(p as *const Inner) })
    }

    /// Borrows the aio behind a C pointer without taking C's reference;
    /// `None` for NULL. Clone the result to keep the aio beyond the call.
    ///
    /// # Safety
    ///
    /// `p` is NULL or came from [`Aio::into_raw`] and stays live (C has not
    /// freed it) while the result is used.
    pub unsafe fn borrow_raw(p: *mut c_void) -> Option<ManuallyDrop<Aio>> {
        if p.is_null() {
            return None;
        }
        // SAFETY: per the contract p is a live Arc<Inner> pointer; the
        // ManuallyDrop never releases the reference C holds.
        Some(ManuallyDrop::new(unsafe { Aio::from_raw(p) }))
    }

    /// The pointer C knows this aio by (as given to C cancel functions).
    pub fn as_ptr(&self) -> *mut c_void {
        Arc::as_ptr(&self.0) as *mut c_void
    }

    /// Whether two handles refer to the same aio.
    pub fn ptr_eq(&self, other: &Aio) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.0.st)
    }
}

// ---------------------------------------------------------------------------
// Consumer side.

impl Aio {
    /// Sets the relative timeout (ms) for later operations: > 0,
    /// [`DURATION_INFINITE`], [`DURATION_ZERO`] or [`DURATION_DEFAULT`].
    /// Replaces an absolute expiry set before.
    pub fn set_timeout(&self, ms: i32) {
        let mut st = self.lock();
        st.timeout = ms;
        st.use_expire = false;
    }

    /// Sets an absolute expiry (ms, `nng_clock` base) for the next
    /// operation; it applies once, then the relative timeout is used again.
    pub fn set_expire(&self, at: u64) {
        let mut st = self.lock();
        st.expire = at;
        st.use_expire = true;
    }

    /// The relative timeout.
    pub fn timeout(&self) -> i32 {
        self.lock().timeout
    }

    /// The outcome of the last operation (`Ok` or its error).
    pub fn result(&self) -> Result<()> {
        self.lock().result
    }

    /// Bytes moved by the last operation (message length for messages).
    pub fn count(&self) -> usize {
        self.lock().count
    }

    /// Whether an operation or its callback is still in progress.
    pub fn busy(&self) -> bool {
        self.lock().busy > 0
    }

    /// Blocks until the current operation completed and its callback
    /// returned; returns at once if the aio is idle. Called from the aio's
    /// own callback, it does not wait for that callback.
    pub fn wait(&self) {
        let own = self.own_callback();
        drop(self.wait_idle(self.lock(), own));
    }

    /// Cancels the current operation with `err` (`nng_aio_abort`). If the
    /// provider has begun but not scheduled yet, its `schedule` will fail
    /// with `err` (and the result reads `err` meanwhile, as upstream).
    ///
    /// Upstream also overwrites the result of an aio that is idle or has
    /// just completed; we do not, so a cancel racing with a completion never
    /// turns a delivered message into a reported failure.
    pub fn abort(&self, err: Error) {
        let c = {
            let mut st = self.lock();
            disarm(&mut st);
            let c = mem::replace(&mut st.cancel, CancelSlot::None);
            if !c.can_cancel() && st.prep {
                st.abort = Some(err);
                st.result = Err(err);
            }
            c
        };
        self.run_cancel(c, Err(err));
    }

    /// [`Aio::abort`] with `NNG_ECANCELED` (`nng_aio_cancel`).
    pub fn cancel(&self) {
        self.abort(Error::Canceled);
    }

    /// Cancels any operation with `NNG_ECANCELED`, waits for it and its
    /// callback, and marks the aio stopped: later operations fail at once
    /// with `NNG_ECANCELED` and no callback.
    pub fn stop(&self) {
        let c = {
            let mut st = self.lock();
            disarm(&mut st);
            st.stopped = true;
            mem::replace(&mut st.cancel, CancelSlot::None)
        };
        self.run_cancel(c, Err(Error::Canceled));
        self.wait();
    }

    /// Like [`Aio::stop`] with `NNG_ECLOSED`, but does not wait.
    pub fn close(&self) {
        let c = {
            let mut st = self.lock();
            disarm(&mut st);
            st.stopped = true;
            mem::replace(&mut st.cancel, CancelSlot::None)
        };
        self.run_cancel(c, Err(Error::Closed));
    }

    /// Ends the aio for its owner (`nng_aio_free`): stops it, cancels a
    /// pending operation with `NNG_ECLOSED` (its callback still runs, with
    /// that result), waits for it, and turns later completions into no-ops.
    /// Other clones keep the memory alive but the aio is dead.
    pub fn free(self) {
        let own = self.own_callback();
        let c = {
            let mut st = self.lock();
            st.stopped = true;
            while st.expiring {
                st.waiters += 1;
                st = wait(&self.0.cv, st);
                st.waiters -= 1;
            }
            disarm(&mut st);
            let c = mem::replace(&mut st.cancel, CancelSlot::None);
            if !c.can_cancel() && st.prep {
                // Begun but never scheduled: nothing can complete it now.
                st.prep = false;
                st.busy -= 1;
            }
            c
        };
        self.run_cancel(c, Err(Error::Closed));
        self.wait_idle(self.lock(), own).freed = true;
    }

    /// Starts a sleep (`nng_sleep_aio`): completes with `Ok` after `ms`, or
    /// early with `NNG_ETIMEDOUT` if the aio's timeout is shorter.
    pub fn sleep(&self, ms: i32) {
        let mut st = self.lock();
        if !begin_locked(&mut st) {
            return;
        }
        st.expire_ok = true;
        st.sleep = true;
        let mut ms = ms;
        if st.timeout != DURATION_DEFAULT && st.timeout != DURATION_INFINITE && ms > st.timeout {
            st.expire_ok = false;
            ms = st.timeout;
        }
        let now = clock::now_ms();
        st.expire = now.saturating_add_signed(i64::from(ms));
        if st.expire <= now {
            // Already due: complete here rather than through a timer thread.
            let r = if st.expire_ok {
                Ok(())
            } else {
                Err(Error::TimedOut)
            };
            drop(st);
            self.finish_impl(r, Some(0), None, false);
            return;
        }
        if let Err(e) = self.schedule_locked(&mut st, CancelSlot::Sleep) {
            drop(st);
            self.finish_impl(Err(e), Some(0), None, false);
        }
    }

    /// Attaches a message (or clears it). A message the aio owned is
    /// dropped; one lent to C is left to C. During an operation whose lent
    /// message the provider took, the message is lent to C again.
    pub fn set_msg(&self, m: Option<Msg>) {
        let old = {
            let mut st = self.lock();
            let new = match (m, st.msg_origin.take()) {
                (None, _) => MsgSlot::Empty,
                (Some(m), None) => MsgSlot::Owned(m),
                (Some(m), Some(conv)) => MsgSlot::Lent(RawPtr((conv.into_raw)(m)), conv),
            };
            mem::replace(&mut st.msg, new)
        };
        drop(old);
    }

    /// Takes the attached message. Taking a message lent to C takes it from
    /// C (a send consumes it); see the module docs.
    pub fn take_msg(&self) -> Option<Msg> {
        let mut st = self.lock();
        match mem::replace(&mut st.msg, MsgSlot::Empty) {
            MsgSlot::Empty => None,
            MsgSlot::Owned(m) => Some(m),
            MsgSlot::Lent(p, conv) => {
                st.msg_origin = Some(conv);
                // SAFETY: p was attached by C through `lend_msg`/
                // `set_lent_msg`, whose contract keeps it live until taken.
                unsafe { (conv.from_raw)(p.0) }
            }
        }
    }

    /// Whether a message is attached.
    pub fn has_msg(&self) -> bool {
        !matches!(self.lock().msg, MsgSlot::Empty)
    }

    /// Runs `f` on the attached message if the aio owns one (not for
    /// messages lent to C).
    pub fn with_msg<R>(&self, f: impl FnOnce(Option<&mut Msg>) -> R) -> R {
        let mut st = self.lock();
        match &mut st.msg {
            MsgSlot::Owned(m) => f(Some(m)),
            _ => f(None),
        }
    }

    /// Attaches a message pointer C owns (`nng_aio_set_msg`); NULL clears.
    ///
    /// # Safety
    ///
    /// `p` is NULL or an `nng_msg *` that `conv.from_raw` accepts, live until
    /// C frees it; C must not free it while it is attached and then submit
    /// the aio (the upstream contract).
    pub unsafe fn set_lent_msg(&self, p: *mut c_void, conv: &'static MsgConv) {
        let old = {
            let mut st = self.lock();
            st.msg_origin = None;
            let new = if p.is_null() {
                MsgSlot::Empty
            } else {
                MsgSlot::Lent(RawPtr(p), conv)
            };
            mem::replace(&mut st.msg, new)
        };
        drop(old);
    }

    /// The attached message as a C pointer (`nng_aio_get_msg`), NULL if none.
    /// An owned message is lent to C from now on: C owns it, the aio keeps
    /// the pointer (asking again returns the same one).
    pub fn lend_msg(&self, conv: &'static MsgConv) -> *mut c_void {
        let mut st = self.lock();
        match mem::replace(&mut st.msg, MsgSlot::Empty) {
            MsgSlot::Empty => std::ptr::null_mut(),
            MsgSlot::Lent(p, c) => {
                st.msg = MsgSlot::Lent(p, c);
                p.0
            }
            MsgSlot::Owned(m) => {
                let p = (conv.into_raw)(m);
                st.msg = MsgSlot::Lent(RawPtr(p), conv);
                p
            }
        }
    }

    /// Copies up to [`MAX_IOV`] scatter/gather entries; more is `NNG_EINVAL`.
    pub fn set_iov(&self, iov: &[Iov]) -> Result<()> {
        if iov.len() > MAX_IOV {
            return Err(Error::Inval);
        }
        let mut st = self.lock();
        st.iov[..iov.len()].copy_from_slice(iov);
        st.nio = iov.len();
        Ok(())
    }

    /// Sets input slot `i` (< 4, else `NNG_EINVAL`).
    pub fn set_input(&self, i: usize, p: *mut c_void) -> Result<()> {
        *self.lock().inputs.get_mut(i).ok_or(Error::Inval)? = RawPtr(p);
        Ok(())
    }

    /// Input slot `i`; NULL if unset or out of range.
    pub fn input(&self, i: usize) -> *mut c_void {
        self.lock()
            .inputs
            .get(i)
            .map_or(std::ptr::null_mut(), |p| p.0)
    }

    /// Output slot `i`; NULL if unset or out of range.
    pub fn output(&self, i: usize) -> *mut c_void {
        self.lock()
            .outputs
            .get(i)
            .map_or(std::ptr::null_mut(), |p| p.0)
    }

    /// Runs `f` with a callback-less aio for a blocking operation, reusing
    /// one per thread (no allocation in the common case). The aio comes
    /// with timeout [`DURATION_DEFAULT`], no message, no iov; `f` submits,
    /// [`Aio::wait`]s and reads the outcome. Nested use gets a fresh aio.
    pub fn with_sync<R>(f: impl FnOnce(&Aio) -> R) -> R {
        let aio = SYNC_AIO
            .with(|c| c.take())
            .unwrap_or_else(|| Aio::make(Callback::None, DURATION_DEFAULT));
        {
            let mut st = aio.lock();
            st.timeout = DURATION_DEFAULT;
            st.use_expire = false;
            st.result = Ok(());
            st.count = 0;
            st.nio = 0;
            st.msg_origin = None;
            st.msg = MsgSlot::Empty;
        }
        let r = f(&aio);
        let reusable = Arc::strong_count(&aio.0) == 1 && {
            let st = aio.lock();
            st.busy == 0 && !st.stopped
        };
        if reusable {
            SYNC_AIO.with(|c| c.set(Some(aio)));
        }
        r
    }
}

// ---------------------------------------------------------------------------
// Provider side.

impl Aio {
    /// Marks the start of an operation. `false`: the aio is stopped; the
    /// provider must drop the request (the result is `NNG_ECANCELED`, no
    /// callback runs).
    pub fn begin(&self) -> bool {
        begin_locked(&mut self.lock())
    }

    /// Registers the canceller and arms the timeout (module docs, step 2).
    pub fn schedule(&self, cancel: Arc<dyn Cancel>) -> Result<()> {
        self.schedule_locked(&mut self.lock(), CancelSlot::Rust(cancel))
    }

    /// [`Aio::schedule`] for a C provider (`nng_aio_defer`). Without a cancel
    /// function no timeout is armed (as upstream).
    ///
    /// # Safety
    ///
    /// `f`, if any, must be safe to call with this aio's pointer, `arg` and a
    /// reason on any thread until the operation finishes.
    pub unsafe fn schedule_c(&self, f: Option<CCancelFn>, arg: *mut c_void) -> Result<()> {
        self.schedule_locked(&mut self.lock(), CancelSlot::C(f, RawPtr(arg)))
    }

    /// Applies `default_ms` if the timeout is [`DURATION_DEFAULT`]
    /// (upstream changes the aio's timeout for good, and so do we).
    pub fn normalize_timeout(&self, default_ms: i32) {
        let mut st = self.lock();
        if st.timeout == DURATION_DEFAULT {
            st.timeout = default_ms;
        }
    }

    /// Completes the operation with `r`, keeping the count set so far.
    pub fn finish(&self, r: Result<()>) {
        self.finish_impl(r, None, None, false);
    }

    /// Completes the operation with `r` and byte count `count`.
    pub fn finish_with_count(&self, r: Result<()>, count: usize) {
        self.finish_impl(r, Some(count), None, false);
    }

    /// Completes the operation with an error (count 0).
    pub fn finish_err(&self, e: Error) {
        self.finish_impl(Err(e), Some(0), None, false);
    }

    /// Completes a receive: the aio now owns `m`; the count is its length.
    pub fn finish_msg(&self, m: Msg) {
        let n = m.len();
        self.finish_impl(Ok(()), Some(n), Some(m), false);
    }

    /// Completes like [`Aio::finish_with_count`] but runs the callback on the
    /// calling thread. Only for callers holding no lock at all.
    pub fn finish_sync(&self, r: Result<()>, count: usize) {
        self.finish_impl(r, Some(count), None, true);
    }

    /// Sets the byte count reported by the next completion.
    pub fn set_count(&self, n: usize) {
        self.lock().count = n;
    }

    /// Adds to the byte count.
    pub fn add_count(&self, n: usize) {
        let mut st = self.lock();
        st.count = st.count.saturating_add(n);
    }

    /// Sets output slot `i` (< 4, else `NNG_EINVAL`).
    pub fn set_output(&self, i: usize, p: *mut c_void) -> Result<()> {
        *self.lock().outputs.get_mut(i).ok_or(Error::Inval)? = RawPtr(p);
        Ok(())
    }

    /// Runs `f` on the current scatter/gather list. Do not call into the aio
    /// from `f` (its lock is held).
    pub fn with_iov<R>(&self, f: impl FnOnce(&[Iov]) -> R) -> R {
        let st = self.lock();
        f(&st.iov[..st.nio])
    }

    /// Total bytes described by the scatter/gather list.
    pub fn iov_len(&self) -> usize {
        let st = self.lock();
        st.iov[..st.nio].iter().map(|v| v.len).sum()
    }

    /// Consumes `n` bytes from the front of the list (after a partial
    /// transfer); returns how many of `n` were beyond its end.
    pub fn iov_advance(&self, mut n: usize) -> usize {
        let mut st = self.lock();
        while n > 0 && st.nio > 0 {
            if st.iov[0].len > n {
                st.iov[0].len -= n;
                st.iov[0].buf = st.iov[0].buf.wrapping_add(n);
                return 0;
            }
            n -= st.iov[0].len;
            let nio = st.nio;
            st.iov.copy_within(1..nio, 0);
            st.nio -= 1;
        }
        n
    }
}

// ---------------------------------------------------------------------------
// Internals.

fn begin_locked(st: &mut State) -> bool {
    debug_assert!(
        matches!(st.cancel, CancelSlot::None),
        "aio begun while scheduled"
    );
    st.outputs = [RawPtr::NULL; NUM_SLOTS];
    st.result = Ok(());
    st.count = 0;
    st.abort = None;
    st.msg_origin = None;
    if st.stopped {
        st.result = Err(Error::Canceled);
        st.expire = NEVER;
        st.sleep = false;
        st.expire_ok = false;
        return false;
    }
    st.busy += 1;
    st.prep = true;
    true
}

/// Disarms the aio's timer, if armed.
fn disarm(st: &mut State) {
    if let Some(k) = st.timer.take() {
        timer::remove(k);
    }
}

impl Aio {
    fn own_callback(&self) -> u32 {
        let me = Arc::as_ptr(&self.0);
        u32::from(CURRENT.with(|c| c.get()) == me)
    }

    fn wait_idle<'a>(&'a self, mut st: MutexGuard<'a, State>, own: u32) -> MutexGuard<'a, State> {
        while st.busy > own {
            st.waiters += 1;
            st = wait(&self.0.cv, st);
            st.waiters -= 1;
        }
        st
    }

    fn schedule_locked(&self, st: &mut State, c: CancelSlot) -> Result<()> {
        if !st.sleep && !st.use_expire {
            st.expire = match st.timeout {
                DURATION_ZERO => return Err(Error::TimedOut),
                DURATION_INFINITE | DURATION_DEFAULT => NEVER,
                t => clock::after_ms(i64::from(t)),
            };
        }
        if let Some(e) = st.abort {
            return Err(e);
        }
        if st.stopped {
            return Err(Error::Closed);
        }
        let arm = st.expire != NEVER && c.can_cancel();
        st.cancel = c;
        if arm {
            let hint = Arc::as_ptr(&self.0) as usize;
            st.timer = Some(timer::insert(st.expire, hint, self.0.clone()));
        }
        Ok(())
    }

    fn finish_impl(&self, r: Result<()>, count: Option<usize>, msg: Option<Msg>, sync: bool) {
        let mut st = self.lock();
        disarm(&mut st);
        st.result = r;
        if let Some(n) = count {
            st.count = n;
        }
        let old_cancel = mem::replace(&mut st.cancel, CancelSlot::None);
        let old_msg = match msg {
            Some(m) => {
                st.msg_origin = None;
                Some(mem::replace(&mut st.msg, MsgSlot::Owned(m)))
            }
            None => None,
        };
        st.expire = NEVER;
        st.sleep = false;
        st.use_expire = false;
        if st.freed {
            drop(st);
            drop((old_cancel, old_msg));
            return;
        }
        if st.prep {
            st.prep = false;
        } else {
            st.busy += 1;
        }
        if matches!(self.0.cb, Callback::None) {
            st.busy -= 1;
            let wake = st.busy == 0 && st.waiters > 0;
            drop(st);
            if wake {
                self.0.cv.notify_all();
            }
        } else {
            drop(st);
            if sync {
                self.run_callback();
            } else {
                taskq::dispatch(self.0.clone());
            }
        }
        drop((old_cancel, old_msg));
    }

    /// Runs the completion callback, then ends the operation's busy count.
    fn run_callback(&self) {
        let me = Arc::as_ptr(&self.0);
        let prev = CURRENT.with(|c| c.replace(me));
        match &self.0.cb {
            Callback::None => {}
            Callback::Rust(f) => f(self),
            // SAFETY: the C contract of nng_aio_alloc: cb may be called
            // with arg on any nng thread until the aio is freed, and a freed
            // aio never gets here (finish_impl checks `freed`).
            Callback::C(f, arg) => unsafe { f(arg.0) },
        }
        CURRENT.with(|c| c.set(prev));
        let mut st = self.lock();
        st.busy -= 1;
        let wake = st.busy == 0 && st.waiters > 0;
        drop(st);
        if wake {
            self.0.cv.notify_all();
        }
    }

    fn run_cancel(&self, c: CancelSlot, r: Result<()>) {
        let reason = r.err().unwrap_or(Error::TimedOut);
        match c {
            CancelSlot::None | CancelSlot::C(None, _) => {}
            CancelSlot::Rust(c) => c.cancel(self, reason),
            // SAFETY: the contract of schedule_c: f may be called with this
            // aio's pointer and arg until the operation finishes, which it
            // has not (we took the canceller under the lock, before finish).
            CancelSlot::C(Some(f), arg) => unsafe { f(self.as_ptr(), arg.0, code(r)) },
            CancelSlot::Sleep => self.sleep_cancel(r),
        }
    }

    fn sleep_cancel(&self, r: Result<()>) {
        {
            let mut st = self.lock();
            if !st.sleep {
                return;
            }
            st.sleep = false;
            disarm(&mut st);
        }
        self.finish_impl(r, Some(0), None, false);
    }

    fn on_expire(&self, key: TimerKey) {
        let (c, r) = {
            let mut st = self.lock();
            if st.timer != Some(key) {
                return;
            }
            st.timer = None;
            let r = if st.expire_ok {
                Ok(())
            } else {
                Err(Error::TimedOut)
            };
            let c = mem::replace(&mut st.cancel, CancelSlot::None);
            st.expiring = true;
            (c, r)
        };
        self.run_cancel(c, r);
        let mut st = self.lock();
        st.expiring = false;
        let wake = st.waiters > 0;
        drop(st);
        if wake {
            self.0.cv.notify_all();
        }
    }
}

fn code(r: Result<()>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.code(),
    }
}

impl Runnable for Inner {
    fn run(self: Arc<Self>) {
        Aio(self).run_callback();
    }
}

impl Expire for Inner {
    fn expire(self: Arc<Self>, key: TimerKey) {
        Aio(self).on_expire(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    const LONG: Duration = Duration::from_secs(10);

    /// A minimal provider: pending aios wait in a list until completed or
    /// cancelled.
    #[derive(Default)]
    struct Pending {
        list: Mutex<Vec<Aio>>,
    }

    impl Cancel for Pending {
        fn cancel(&self, aio: &Aio, reason: Error) {
            let mut l = lock(&self.list);
            if let Some(i) = l.iter().position(|a| a.ptr_eq(aio)) {
                let a = l.swap_remove(i);
                drop(l);
                a.finish_err(reason);
            }
        }
    }

    impl Pending {
        fn submit(self: &Arc<Self>, aio: &Aio) {
            if !aio.begin() {
                return;
            }
            let mut l = lock(&self.list);
            if let Err(e) = aio.schedule(self.clone()) {
                drop(l);
                aio.finish_err(e);
                return;
            }
            l.push(aio.clone());
        }

        fn complete(&self, r: Result<()>) -> bool {
            let a = lock(&self.list).pop();
            match a {
                Some(a) => {
                    a.finish_with_count(r, 7);
                    true
                }
                None => false,
            }
        }

        fn len(&self) -> usize {
            lock(&self.list).len()
        }
    }

    fn counting_aio() -> (Aio, Arc<AtomicUsize>) {
        let n = Arc::new(AtomicUsize::new(0));
        let n2 = n.clone();
        let aio = Aio::with_callback(move |_| {
            n2.fetch_add(1, Ordering::SeqCst);
        });
        (aio, n)
    }

    #[test]
    fn wait_on_an_aio_never_started_returns_at_once() {
        let aio = Aio::new();
        aio.wait();
        assert!(!aio.busy());
        assert_eq!(aio.result(), Ok(()));
    }

    #[test]
    fn zero_sleep_without_callback_completes_in_place() {
        let aio = Aio::new();
        aio.sleep(0);
        assert!(!aio.busy());
        aio.wait();
        assert_eq!(aio.result(), Ok(()));
    }

    #[test]
    fn sleep_lasts_at_least_its_duration() {
        let aio = Aio::new();
        let start = clock::now_ms();
        aio.sleep(30);
        assert!(aio.busy());
        aio.wait();
        assert_eq!(aio.result(), Ok(()));
        assert!(clock::now_ms() >= start + 30);
    }

    #[test]
    fn sleep_longer_than_timeout_times_out() {
        let aio = Aio::new();
        aio.set_timeout(10);
        let start = clock::now_ms();
        aio.sleep(10_000);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::TimedOut));
        let took = clock::now_ms() - start;
        assert!((10..5_000).contains(&took), "took {took} ms");
    }

    #[test]
    fn callback_runs_on_a_task_thread_before_wait_returns() {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let aio = Aio::with_callback(move |a| {
            let name = std::thread::current().name().map(str::to_owned);
            lock(&tx).send((name, a.result())).unwrap();
        });
        aio.sleep(1);
        aio.wait();
        let (name, r) = rx.try_recv().expect("callback ran before wait returned");
        assert!(name.unwrap().starts_with("nng:task"));
        assert_eq!(r, Ok(()));
    }

    #[test]
    fn provider_completion_reports_result_and_count() {
        let p = Arc::new(Pending::default());
        let (aio, n) = counting_aio();
        p.submit(&aio);
        assert!(aio.busy());
        assert!(p.complete(Err(Error::ConnReset)));
        aio.wait();
        assert_eq!(aio.result(), Err(Error::ConnReset));
        assert_eq!(aio.count(), 7);
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn cancel_calls_the_provider_with_ecanceled() {
        let p = Arc::new(Pending::default());
        let (aio, n) = counting_aio();
        p.submit(&aio);
        aio.cancel();
        aio.wait();
        assert_eq!(aio.result(), Err(Error::Canceled));
        assert_eq!(p.len(), 0);
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn abort_passes_its_error() {
        let p = Arc::new(Pending::default());
        let aio = Aio::new();
        p.submit(&aio);
        aio.abort(Error::ConnShut);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::ConnShut));
    }

    #[test]
    fn timeout_cancels_with_etimedout() {
        let p = Arc::new(Pending::default());
        let aio = Aio::new();
        aio.set_timeout(15);
        let start = clock::now_ms();
        p.submit(&aio);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::TimedOut));
        assert!(clock::now_ms() >= start + 15);
        assert_eq!(p.len(), 0);
    }

    #[test]
    fn expire_applies_once_then_timeout_again() {
        let p = Arc::new(Pending::default());
        let aio = Aio::new();
        aio.set_expire(clock::now_ms() + 10);
        p.submit(&aio);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::TimedOut));
        // The expiry was used up; the infinite timeout is back.
        p.submit(&aio);
        assert!(aio.busy());
        assert!(p.complete(Ok(())));
        aio.wait();
        assert_eq!(aio.result(), Ok(()));
    }

    #[test]
    fn zero_timeout_fails_schedule() {
        let p = Arc::new(Pending::default());
        let aio = Aio::new();
        aio.set_timeout(DURATION_ZERO);
        p.submit(&aio);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::TimedOut));
        assert_eq!(p.len(), 0);
    }

    #[test]
    fn default_timeout_is_normalized_by_the_provider() {
        let aio = Aio::new();
        aio.set_timeout(DURATION_DEFAULT);
        aio.normalize_timeout(25);
        assert_eq!(aio.timeout(), 25);
        aio.normalize_timeout(50);
        assert_eq!(aio.timeout(), 25);
    }

    #[test]
    fn abort_between_begin_and_schedule_fails_the_schedule() {
        let aio = Aio::new();
        assert!(aio.begin());
        aio.abort(Error::Proto);
        assert_eq!(aio.result(), Err(Error::Proto));
        let r = aio.schedule(Arc::new(|_: &Aio, _| {}));
        assert_eq!(r, Err(Error::Proto));
        aio.finish_err(Error::Proto);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::Proto));
    }

    #[test]
    fn stop_cancels_waits_and_refuses_later_operations() {
        let p = Arc::new(Pending::default());
        let (aio, n) = counting_aio();
        p.submit(&aio);
        aio.stop();
        assert!(!aio.busy());
        assert_eq!(aio.result(), Err(Error::Canceled));
        assert_eq!(n.load(Ordering::SeqCst), 1);
        // Later operations fail at once, without a callback.
        p.submit(&aio);
        aio.sleep(10);
        assert!(!aio.busy());
        assert_eq!(aio.result(), Err(Error::Canceled));
        assert_eq!(p.len(), 0);
        assert_eq!(n.load(Ordering::SeqCst), 1);
        assert!(!aio.begin());
    }

    #[test]
    fn close_refuses_later_operations_without_waiting() {
        let p = Arc::new(Pending::default());
        let aio = Aio::new();
        p.submit(&aio);
        aio.close();
        aio.wait();
        assert_eq!(aio.result(), Err(Error::Closed));
        assert!(!aio.begin());
    }

    #[test]
    fn free_cancels_with_eclosed_and_runs_the_callback() {
        let p = Arc::new(Pending::default());
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let aio = Aio::with_callback(move |a| lock(&tx).send(a.result()).unwrap());
        p.submit(&aio);
        let keep = aio.clone();
        aio.free();
        assert_eq!(rx.try_recv().unwrap(), Err(Error::Closed));
        // A late completion of a freed aio calls nothing.
        keep.finish(Ok(()));
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn callback_may_resubmit_and_wait_sees_the_whole_chain() {
        let n = Arc::new(AtomicUsize::new(0));
        let n2 = n.clone();
        let aio = Aio::with_callback(move |a| {
            if n2.fetch_add(1, Ordering::SeqCst) < 4 {
                a.sleep(2);
            }
        });
        aio.sleep(2);
        // The chain ends with the fifth callback; wait covers re-submission
        // because each new operation begins before the callback returns.
        aio.wait();
        assert_eq!(n.load(Ordering::SeqCst), 5);
    }

    #[test]
    fn callback_may_free_or_stop_its_own_aio() {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let aio = Aio::with_callback(move |a| {
            a.stop();
            a.clone().free();
            lock(&tx).send(()).unwrap();
        });
        aio.sleep(1);
        rx.recv_timeout(LONG).unwrap();
        aio.wait();
        assert!(!aio.begin());
    }

    #[test]
    fn completion_races_with_cancel_complete_exactly_once() {
        let p = Arc::new(Pending::default());
        for i in 0..500 {
            let (aio, n) = counting_aio();
            p.submit(&aio);
            let p2 = p.clone();
            let finisher = std::thread::spawn(move || p2.complete(Ok(())));
            if i % 2 == 0 {
                aio.cancel();
            } else {
                aio.abort(Error::ConnReset);
            }
            let by_provider = finisher.join().unwrap();
            aio.wait();
            assert_eq!(n.load(Ordering::SeqCst), 1);
            let r = aio.result();
            if by_provider {
                assert_eq!(r, Ok(()));
            } else {
                assert!(r == Err(Error::Canceled) || r == Err(Error::ConnReset));
            }
            assert_eq!(p.len(), 0);
        }
    }

    #[test]
    fn completion_races_with_timeout_complete_exactly_once() {
        let p = Arc::new(Pending::default());
        let aios: Vec<_> = (0..200)
            .map(|_| {
                let (aio, n) = counting_aio();
                aio.set_timeout(1);
                p.submit(&aio);
                (aio, n)
            })
            .collect();
        while p.complete(Ok(())) {}
        for (aio, n) in &aios {
            aio.wait();
            assert_eq!(n.load(Ordering::SeqCst), 1);
            let r = aio.result();
            assert!(r == Ok(()) || r == Err(Error::TimedOut), "{r:?}");
        }
    }

    #[test]
    fn stop_races_with_completion() {
        let p = Arc::new(Pending::default());
        for _ in 0..300 {
            let (aio, n) = counting_aio();
            p.submit(&aio);
            let p2 = p.clone();
            let finisher = std::thread::spawn(move || p2.complete(Ok(())));
            aio.stop();
            finisher.join().unwrap();
            assert!(!aio.busy());
            assert_eq!(n.load(Ordering::SeqCst), 1);
            assert_eq!(p.len(), 0);
        }
    }

    #[test]
    fn with_sync_reuses_one_aio_per_thread() {
        let a = Aio::with_sync(|a| {
            a.sleep(0);
            a.wait();
            a.as_ptr()
        });
        let b = Aio::with_sync(|a| {
            assert_eq!(a.timeout(), DURATION_DEFAULT);
            a.as_ptr()
        });
        assert_eq!(a, b);
        let nested = Aio::with_sync(|outer| Aio::with_sync(|inner| inner.ptr_eq(outer)));
        assert!(!nested);
    }

    #[test]
    fn messages_are_owned_or_taken() {
        let aio = Aio::new();
        assert!(!aio.has_msg());
        aio.set_msg(Some(Msg::from_slice(b"abc")));
        assert!(aio.has_msg());
        assert_eq!(aio.with_msg(|m| m.map(|m| m.len())), Some(3));
        assert_eq!(aio.take_msg().unwrap().body(), b"abc");
        assert!(aio.take_msg().is_none());
        // finish_msg delivers a received message and its length.
        assert!(aio.begin());
        aio.finish_msg(Msg::from_slice(b"hello"));
        aio.wait();
        assert_eq!(aio.count(), 5);
        assert_eq!(aio.take_msg().unwrap().body(), b"hello");
    }

    fn test_into(m: Msg) -> *mut c_void {
        Box::into_raw(Box::new(m)).cast()
    }

    /// Safety: p came from `test_into`.
    unsafe fn test_from(p: *mut c_void) -> Option<Msg> {
        // SAFETY: per the contract p came from Box::into_raw in test_into.
        Some(*unsafe { Box::from_raw(p.cast::<Msg>()) })
    }

    static TEST_CONV: MsgConv = MsgConv {
        into_raw: test_into,
        from_raw: test_from,
    };

    #[test]
    fn lent_messages_stay_with_c() {
        let aio = Aio::new();
        assert!(aio.lend_msg(&TEST_CONV).is_null());
        // A received message fetched by C is lent: same pointer each time.
        assert!(aio.begin());
        aio.finish_msg(Msg::from_slice(b"xy"));
        let p = aio.lend_msg(&TEST_CONV);
        assert!(!p.is_null());
        assert_eq!(aio.lend_msg(&TEST_CONV), p);
        // Clearing forgets it without freeing; C frees it.
        aio.set_msg(None);
        // SAFETY: p came from test_into and the aio forgot it.
        let m = unsafe { test_from(p) }.unwrap();
        assert_eq!(m.body(), b"xy");

        // A send that fails hands a lent message back to C.
        let p = test_into(Msg::from_slice(b"send"));
        // SAFETY: p is a live message from test_into.
        unsafe { aio.set_lent_msg(p, &TEST_CONV) };
        assert!(aio.begin());
        let m = aio.take_msg().unwrap();
        aio.set_msg(Some(m));
        aio.finish_err(Error::Again);
        let back = aio.lend_msg(&TEST_CONV);
        assert!(!back.is_null());
        aio.free();
        // SAFETY: the freed aio left the lent message to us.
        assert_eq!(unsafe { test_from(back) }.unwrap().body(), b"send");
    }

    #[test]
    fn iov_is_bounded_and_advances() {
        let aio = Aio::new();
        let mut a = [0u8; 4];
        let mut b = [0u8; 6];
        let v = [
            Iov {
                buf: a.as_mut_ptr(),
                len: a.len(),
            },
            Iov {
                buf: b.as_mut_ptr(),
                len: b.len(),
            },
        ];
        assert_eq!(aio.set_iov(&[v[0]; 9]), Err(Error::Inval));
        aio.set_iov(&v).unwrap();
        assert_eq!(aio.iov_len(), 10);
        assert_eq!(aio.iov_advance(5), 0);
        assert_eq!(aio.iov_len(), 5);
        aio.with_iov(|v| {
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].buf, b.as_mut_ptr().wrapping_add(1));
        });
        assert_eq!(aio.iov_advance(8), 3);
        assert_eq!(aio.iov_len(), 0);
    }

    #[test]
    fn slots_are_bounded_and_outputs_reset_at_begin() {
        let aio = Aio::new();
        let mut x = 1u8;
        let p: *mut c_void = (&mut x as *mut u8).cast();
        assert_eq!(aio.set_input(4, p), Err(Error::Inval));
        assert_eq!(aio.set_output(4, p), Err(Error::Inval));
        aio.set_input(3, p).unwrap();
        aio.set_output(2, p).unwrap();
        assert_eq!(aio.input(3), p);
        assert_eq!(aio.output(2), p);
        assert!(aio.input(9).is_null());
        assert!(aio.begin());
        assert!(aio.output(2).is_null());
        assert_eq!(aio.input(3), p);
        aio.finish(Ok(()));
    }

    #[test]
    fn finish_without_begin_still_calls_back() {
        let (aio, n) = counting_aio();
        aio.finish(Err(Error::Again));
        aio.wait();
        assert_eq!(n.load(Ordering::SeqCst), 1);
        assert_eq!(aio.result(), Err(Error::Again));
    }

    #[test]
    fn cancel_after_completion_keeps_the_result() {
        let aio = Aio::new();
        aio.cancel();
        assert_eq!(aio.result(), Ok(()));
        assert!(aio.begin());
        aio.finish_msg(Msg::from_slice(b"m"));
        aio.cancel();
        assert_eq!(aio.result(), Ok(()));
        assert!(aio.has_msg());
    }

    #[test]
    fn raw_pointer_round_trip() {
        let aio = Aio::new();
        let p = aio.clone().into_raw();
        // SAFETY: p came from into_raw just above and is live.
        let b = unsafe { Aio::borrow_raw(p) }.unwrap();
        assert!(b.ptr_eq(&aio));
        assert_eq!(b.as_ptr(), p);
        // SAFETY: p came from into_raw; we give up the C reference.
        let back = unsafe { Aio::from_raw(p) };
        assert!(back.ptr_eq(&aio));
        // SAFETY: NULL is allowed.
        assert!(unsafe { Aio::borrow_raw(std::ptr::null_mut()) }.is_none());
    }
}
