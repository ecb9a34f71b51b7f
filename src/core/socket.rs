//! Sockets: the object that drives one protocol core over a set of pipes.
//!
//! A [`Socket`] owns a sans-IO protocol core (`crate::protocol::Protocol`)
//! under its lock. Every input (a user send or receive, a pipe event, a
//! timer) runs the core under the lock; the [`Action`]s it emits become
//! effects that run after the lock is dropped: writes to pipes, reads
//! armed on pipes, completions of user operations. Effects run through a
//! per-thread trampoline, so a pipe that completes synchronously (inproc,
//! or a direct write) never recurses into the socket: the work is queued
//! and the outermost caller drains it.
//!
//! User operations complete through a [`Waiter`]: an aio for `nng_*_aio`
//! calls, a parked thread for the blocking `nng_send`/`nng_recv`.
//!
//! Lock order: socket state, then (inside effects, with the socket lock
//! dropped) pipe/transport locks. A waiter is completed with no lock held.

use crate::core::fasthash::FastMap;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use crate::core::aio::{Aio, Cancel};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{self, OptDesc, OptType, OptValue};
use crate::core::stats::{EpStats, ProtoStat, SockStats, Traffic};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, SOCKET_CTX};
use crate::runtime::clock::{now_ms, NEVER};
use crate::runtime::sync::{lock, wait, wait_timeout};
use crate::runtime::sys::pollfd::PollFd;
use crate::runtime::timer::Timer;
use crate::supplemental::idhash::IdRegistry;
use crate::transport::{self, PipeEvents, SockInfo, TranDialer, TranListener, TranPipe};

/// How a user operation ended.
#[derive(Debug)]
pub enum Done {
    /// The message was sent (consumed).
    Sent,
    /// The send failed; the message goes back to the caller.
    SendFailed(Error, Msg),
    /// A receive completed.
    Recv(Result<Msg>),
}

/// Receives the completion of one user operation, exactly once, with no
/// socket lock held.
pub trait Waiter: Send {
    /// The operation ended.
    fn done(self: Box<Self>, d: Done);
}

/// Pipe events for `nng_pipe_notify` (values are ABI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipeEv {
    /// Added, before the protocol sees the pipe.
    AddPre = 0,
    /// Added, after the protocol attached it.
    AddPost = 1,
    /// Removed.
    RemPost = 2,
}

/// A pipe-event callback.
pub type Notify = Arc<dyn Fn(PipeId, PipeEv) + Send + Sync>;

// ---------------------------------------------------------------------------
// Registries: handles are ids looked up here.

/// Open sockets (ids sequential from 1).
pub static SOCKETS: IdRegistry<Socket> = IdRegistry::new(false);
/// Open dialers.
pub static DIALERS: IdRegistry<Dialer> = IdRegistry::new(false);
/// Open listeners.
pub static LISTENERS: IdRegistry<Listener> = IdRegistry::new(false);
/// Live pipes (ids from a random start, as upstream).
pub static PIPES: IdRegistry<Pipe> = IdRegistry::new(true);
/// Open contexts (id -> owning socket).
pub static CTXS: IdRegistry<Socket> = IdRegistry::new(false);

/// Counts sockets leaving [`SOCKETS`]: a thread's last lookup (below) is
/// good only while this has not moved.
static SOCKETS_GONE: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's last socket lookup: (id, [`SOCKETS_GONE`] then, the
    /// socket). Weak: a closed socket is not kept alive by it.
    static LAST_SOCKET: RefCell<(u32, u64, Weak<Socket>)> =
        const { RefCell::new((0, 0, Weak::new())) };
}

/// Looks up a socket; unknown, zero or closed ids give `NNG_ECLOSED`.
///
/// A thread calling on one socket over and over (a send or receive loop)
/// finds it in its last lookup, without the registry's shared lock, whose
/// count every thread would otherwise update on every call. That answer
/// is the registry's as long as no socket left it since: closing removes
/// the id before bumping `SOCKETS_GONE`, so a thread that sees the close
/// done sees the new count and asks the registry.
pub fn socket(id: u32) -> Result<Arc<Socket>> {
    let gone = SOCKETS_GONE.load(Ordering::Acquire);
    let last = LAST_SOCKET
        .try_with(|l| {
            let l = l.borrow();
            (l.0 == id && l.1 == gone).then(|| l.2.upgrade()).flatten()
        })
        .ok()
        .flatten();
    if let Some(s) = last {
        return Ok(s);
    }
    let s = SOCKETS.get(id).ok_or(Error::Closed)?;
    let _ = LAST_SOCKET.try_with(|l| *l.borrow_mut() = (id, gone, Arc::downgrade(&s)));
    Ok(s)
}

/// Closes every open socket (`nng_closeall`, `nng_fini`).
pub fn close_all() {
    for s in SOCKETS.snapshot() {
        let _ = s.close();
    }
}

// ---------------------------------------------------------------------------
// Effects and the per-thread trampoline.

enum Effect {
    Send(Arc<Pipe>, Msg),
    /// The I/O for messages the pipe queued under the lock.
    Flush(Arc<Pipe>),
    Recv(Arc<Pipe>),
    Close(Arc<Pipe>),
    Done(Box<dyn Waiter>, Done),
}

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static QUEUE: RefCell<VecDeque<Effect>> = const { RefCell::new(VecDeque::new()) };
    /// A drained action list kept for its capacity (see [`Socket::drive`]).
    static SPARE: Cell<Actions> = const { Cell::new(VecDeque::new()) };
}

/// Queues an effect on this thread's trampoline (run by [`run_effects`]).
fn push_effect(e: Effect) {
    QUEUE.with(|q| q.borrow_mut().push_back(e));
}

/// Runs the effects queued on this thread, unless an outer frame of this
/// thread is already running them (it will run these too).
fn run_effects() {
    if QUEUE.with(|q| q.borrow().is_empty()) {
        return;
    }
    if RUNNING.with(|r| r.replace(true)) {
        return; // the outer frame on this thread drains the queue
    }
    while let Some(e) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        match e {
            Effect::Send(p, m) => p.tran.send(m),
            Effect::Flush(p) => p.tran.flush(),
            Effect::Recv(p) => p.tran.recv(),
            Effect::Close(p) => p.close(),
            Effect::Done(w, d) => w.done(d),
        }
    }
    RUNNING.with(|r| r.set(false));
}

// ---------------------------------------------------------------------------
// Generic socket options (reference ABI.md §7.1, §7.2).

const GENERIC: &[OptDesc] = &[
    OptDesc::rw("recv-timeout", OptType::Ms),
    OptDesc::rw("send-timeout", OptType::Ms),
    OptDesc::rw("socket-name", OptType::Str),
    OptDesc::ro("raw", OptType::Bool),
    OptDesc::ro("protocol", OptType::Int),
    OptDesc::ro("protocol-name", OptType::Str),
    OptDesc::ro("peer", OptType::Int),
    OptDesc::ro("peer-name", OptType::Str),
    OptDesc::ro("recv-fd", OptType::Int),
    OptDesc::ro("send-fd", OptType::Int),
    OptDesc::rw("recv-buffer", OptType::Int),
    OptDesc::rw("send-buffer", OptType::Int),
];

/// Endpoint options a socket stores and pushes to its dialers and listeners
/// (reference ABI.md §7.2). A stored value reads back; one never set reads
/// as `NNG_ENOTSUP`, as upstream.
const ENDPOINT: &[OptDesc] = &[
    OptDesc::rw("reconnect-time-min", OptType::Ms),
    OptDesc::rw("reconnect-time-max", OptType::Ms),
    OptDesc::rw("recv-size-max", OptType::Size),
    OptDesc::rw("tcp-nodelay", OptType::Bool),
    OptDesc::rw("tcp-keepalive", OptType::Bool),
    OptDesc::rw("ipc:permissions", OptType::Int),
    // TLS options set on a socket (deprecated upstream, still used by e.g.
    // pynng): kept for and pushed to every endpoint, as the others.
    OptDesc::rw("tls-config", OptType::Ptr),
    OptDesc::rw("tls-server-name", OptType::Str),
    OptDesc::rw("tls-ca-file", OptType::Str),
    OptDesc::rw("tls-cert-key-file", OptType::Str),
    OptDesc::rw("tls-authmode", OptType::Int),
];

/// The endpoint options every socket stores when it opens (upstream's
/// defaults), so that each new dialer and listener gets them.
fn endpoint_defaults() -> Vec<(&'static str, OptValue)> {
    vec![
        ("reconnect-time-min", OptValue::Ms(1000)),
        ("reconnect-time-max", OptValue::Ms(0)),
        ("recv-size-max", OptValue::Size(0)),
        ("tcp-nodelay", OptValue::Bool(true)),
        ("tcp-keepalive", OptValue::Bool(false)),
    ]
}

/// Whether `name` is an endpoint option a socket stores for its dialers and
/// listeners. An opaque get of one must give exactly the stored value's
/// size (`NNG_EINVAL` otherwise; reference ABI.md §10).
pub fn is_endpoint_opt(name: &str) -> bool {
    options::find(ENDPOINT, name).is_some()
}

/// Options of dialers, listeners and pipes (reference ABI.md §7.2, §7.3,
/// §7.5). Whether a given endpoint has one is up to it and its transport
/// (`NNG_ENOTSUP` otherwise); this table fixes each name's type.
const ENDPOINT_ALL: &[OptDesc] = &[
    OptDesc::ro("url", OptType::Str),
    OptDesc::rw("reconnect-time-min", OptType::Ms),
    OptDesc::rw("reconnect-time-max", OptType::Ms),
    OptDesc::rw("recv-size-max", OptType::Size),
    OptDesc::rw("tcp-nodelay", OptType::Bool),
    OptDesc::rw("tcp-keepalive", OptType::Bool),
    OptDesc::rw("local-address", OptType::Addr),
    OptDesc::ro("remote-address", OptType::Addr),
    OptDesc::ro("tcp-bound-port", OptType::Int),
    OptDesc::wo("ipc:permissions", OptType::Int),
    OptDesc::ro("ipc:peer-uid", OptType::U64),
    OptDesc::ro("ipc:peer-gid", OptType::U64),
    OptDesc::ro("ipc:peer-pid", OptType::U64),
    OptDesc::ro("ipc:peer-zoneid", OptType::U64),
    OptDesc::rw("tls-config", OptType::Ptr),
    OptDesc::wo("tls-authmode", OptType::Int),
    OptDesc::wo("tls-ca-file", OptType::Str),
    OptDesc::wo("tls-cert-key-file", OptType::Str),
    OptDesc::wo("tls-server-name", OptType::Str),
    OptDesc::ro("tls-verified", OptType::Bool),
    OptDesc::ro("tls-peer-cn", OptType::Str),
    OptDesc::ro("tls-peer-alt-names", OptType::Ptr),
    OptDesc::wo("socket:fd", OptType::Int),
    OptDesc::rw("ws:protocol", OptType::Str),
    OptDesc::rw("ws:txframe-max", OptType::Size),
    OptDesc::rw("ws:rxframe-max", OptType::Size),
    OptDesc::rw("ws:request-headers", OptType::Str),
    OptDesc::rw("ws:response-headers", OptType::Str),
    OptDesc::ro("ws:request-uri", OptType::Str),
    OptDesc::rw("ws:send-text", OptType::Bool),
    OptDesc::rw("ws:recv-text", OptType::Bool),
];

/// Describes an option of a dialer, listener or pipe by name (prefix
/// options `ws:request-header:<name>` are strings); `NNG_ENOTSUP` if no
/// endpoint has an option of that name.
pub fn endpoint_opt_desc(name: &str) -> Result<OptDesc> {
    if let Some(d) = options::find(ENDPOINT_ALL, name) {
        return Ok(d);
    }
    if is_ws_header(name) {
        return Ok(OptDesc::rw("ws:header", OptType::Str));
    }
    Err(Error::NotSup)
}

/// A single header option (`ws:request-header:<name>` or
/// `ws:response-header:<name>`).
fn is_ws_header(name: &str) -> bool {
    name.starts_with("ws:request-header:") || name.starts_with("ws:response-header:")
}

/// What reading endpoint option `name` gives the caller, from the
/// endpoint's answer `r`. An endpoint's single header options can be set
/// but not read: upstream keeps no entry for them, so reading one is
/// `NNG_ENOTSUP`. Endpoints answer `NNG_EWRITEONLY` for them, which is how
/// a set tells them from options an endpoint lacks.
pub fn endpoint_get_result(name: &str, r: Result<OptValue>) -> Result<OptValue> {
    match r {
        Err(Error::WriteOnly) if is_ws_header(name) => Err(Error::NotSup),
        r => r,
    }
}

/// A slot where the C boundary keeps per-object data it must free with the
/// object (e.g. the parsed `nng_url` returned by `nng_dialer_get_url`).
pub type Ext = std::sync::OnceLock<Box<dyn std::any::Any + Send + Sync>>;

struct Generic {
    name: String,
    recv_buffer: i32,
    send_buffer: i32,
    /// Endpoint options set on the socket, pushed to every endpoint.
    endpoint: Vec<(&'static str, OptValue)>,
    /// The reference the socket holds on the TLS configuration whose
    /// pointer `endpoint` stores as `tls-config` (upstream's hold), so that
    /// endpoints made later can still take it.
    tls_config: Option<Arc<crate::supplemental::tls::Config>>,
}

// ---------------------------------------------------------------------------
// The socket.

struct CtxState {
    recv_timeout: i32,
    send_timeout: i32,
}

struct State {
    proto: Box<dyn Protocol>,
    closed: bool,
    pipes: FastMap<PipeId, Arc<Pipe>>,
    ops: FastMap<OpId, Box<dyn Waiter>>,
    next_op: OpId,
    /// The operation a blocking call is starting (0: none): its outcome,
    /// if the protocol answers at once, goes to `now_done` instead of a
    /// waiter ([`Socket::start_now`]).
    now_op: OpId,
    now_done: Option<Done>,
    opts: Generic,
    ctxs: FastMap<CtxId, CtxState>,
    dialers: Vec<Arc<Dialer>>,
    listeners: Vec<Arc<Listener>>,
    notify: [Option<Notify>; 3],
    /// Pipes removed whose `REM_POST` callback has not returned yet.
    rem_pending: usize,
    /// `NNG_OPT_RECVFD`, made on the first request.
    recv_fd: Option<PollFd>,
    /// `NNG_OPT_SENDFD`, made on the first request.
    send_fd: Option<PollFd>,
    /// The deadline the socket timer is armed for (kept here so that
    /// re-arming is checked without the timer's lock).
    timer_at: Option<u64>,
}

impl State {
    /// Hands an operation's outcome to its waiter (an effect, run once the
    /// lock is dropped), or to the blocking call starting it.
    fn complete(&mut self, op: OpId, d: Done) {
        if op == self.now_op {
            self.now_done = Some(d);
        } else if let Some(w) = self.ops.remove(&op) {
            push_effect(Effect::Done(w, d));
        }
    }

    /// Shows the core's readiness on the pollable descriptors, if any were
    /// requested (two branches otherwise). Called after every locked
    /// operation that may change it.
    fn update_ready(&mut self) {
        if let Some(p) = self.recv_fd.as_mut() {
            p.set(self.proto.can_recv());
        }
        if let Some(p) = self.send_fd.as_mut() {
            p.set(self.proto.can_send());
        }
    }

    /// The descriptor of `NNG_OPT_RECVFD` (`recv`) or `NNG_OPT_SENDFD`,
    /// made on first use; `NNG_ENOTSUP` if the protocol never receives
    /// (sends).
    fn poll_fd(&mut self, recv: bool) -> Result<i32> {
        let able = if recv {
            self.proto.receives()
        } else {
            self.proto.sends()
        };
        if !able {
            return Err(Error::NotSup);
        }
        if self.closed {
            return Err(Error::Closed);
        }
        let ready = if recv {
            self.proto.can_recv()
        } else {
            self.proto.can_send()
        };
        let slot = if recv {
            &mut self.recv_fd
        } else {
            &mut self.send_fd
        };
        if slot.is_none() {
            *slot = Some(PollFd::new(ready)?);
        }
        Ok(slot.as_ref().map_or(-1, PollFd::fd))
    }
}

/// An SP socket.
pub struct Socket {
    id: u32,
    info: ProtoInfo,
    /// The protocol receives at all (constant for the core's life).
    receives: bool,
    /// The protocol reads the time it is given (constant for the core's
    /// life): else it gets 0 and the clock is not read per message.
    clock: bool,
    st: Mutex<State>,
    /// Signalled when the last pipe is gone (for `close`).
    idle: Condvar,
    timer: Timer,
    /// Set when `can_recv`/`can_send` readiness changes are wanted.
    me: Weak<Socket>,
    stats: SockStats,
    /// The socket's own receive and send timeouts (ms; the contexts keep
    /// theirs in `CtxState`). Read by every blocking send and receive,
    /// so outside the lock, which the pipes' events of the other thread
    /// contend for; written under it.
    recv_timeout: AtomicI32,
    send_timeout: AtomicI32,
}

impl Socket {
    /// Opens a socket around a protocol core and registers it.
    pub fn open(proto: Box<dyn Protocol>) -> Result<Arc<Socket>> {
        crate::runtime::ensure();
        crate::runtime::register_fini_hook(close_all);
        let info = proto.info();
        let mut made = None;
        SOCKETS.insert_with(|id| {
            let sock = Self::build(id, info, proto);
            made = Some(sock.clone());
            sock
        })?;
        made.ok_or(Error::Internal)
    }

    fn build(id: u32, info: ProtoInfo, proto: Box<dyn Protocol>) -> Arc<Socket> {
        Arc::new_cyclic(|me: &Weak<Socket>| {
            let weak = me.clone();
            Socket {
                id,
                info,
                receives: proto.receives(),
                clock: proto.uses_clock(),
                st: Mutex::new(State {
                    proto,
                    closed: false,
                    pipes: FastMap::default(),
                    ops: FastMap::default(),
                    next_op: 1,
                    now_op: 0,
                    now_done: None,
                    opts: Generic {
                        name: id.to_string(),
                        recv_buffer: 1,
                        send_buffer: 0,
                        endpoint: endpoint_defaults(),
                        tls_config: None,
                    },
                    ctxs: FastMap::default(),
                    dialers: Vec::new(),
                    listeners: Vec::new(),
                    notify: [None, None, None],
                    rem_pending: 0,
                    recv_fd: None,
                    send_fd: None,
                    timer_at: None,
                }),
                idle: Condvar::new(),
                timer: Timer::new(move || {
                    if let Some(s) = weak.upgrade() {
                        s.on_timer();
                    }
                }),
                me: me.clone(),
                stats: SockStats::default(),
                recv_timeout: AtomicI32::new(-1),
                send_timeout: AtomicI32::new(-1),
            }
        })
    }

    /// The socket's counters.
    pub fn stats(&self) -> &SockStats {
        &self.stats
    }

    /// The protocol core's own counters (statistics snapshot).
    pub fn proto_stats(&self) -> Vec<ProtoStat> {
        let mut v = Vec::new();
        lock(&self.st).proto.proto_stats(&mut v);
        v
    }

    /// The socket id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The protocol identity.
    pub fn info(&self) -> ProtoInfo {
        self.info
    }

    /// Runs `f` on the protocol core under the lock, then carries out what
    /// it asked for with the lock dropped.
    fn drive<R>(&self, f: impl FnOnce(&mut State, &mut Actions) -> R) -> R {
        // The action list is reused (no allocation per call); a nested
        // drive on this thread (from an effect) gets a fresh one.
        let mut out = SPARE.take();
        let mut st = lock(&self.st);
        let r = f(&mut st, &mut out);
        self.collect(&mut st, &mut out);
        drop(st);
        SPARE.set(out);
        run_effects();
        r
    }

    /// Turns actions into effects (queued on this thread's trampoline, run
    /// once the lock is dropped) and re-arms the protocol timer.
    fn collect(&self, st: &mut State, out: &mut Actions) {
        while let Some(a) = out.pop_front() {
            match a {
                Action::Send { pipe, msg } => {
                    if let Some(p) = st.pipes.get(&pipe).cloned() {
                        let n = msg.header().len() + msg.len();
                        self.stats.traffic.tx(n);
                        p.stats.tx(n);
                        // Queued under this lock when the transport can:
                        // the protocol hears at once that the pipe takes
                        // more, with no second lock section for `sent`.
                        match p.tran.queue(msg) {
                            Ok(q) => {
                                if q.flush {
                                    push_effect(Effect::Flush(p));
                                }
                                if q.ready {
                                    st.proto.pipe_sent(pipe, self.now(), out);
                                }
                            }
                            Err(msg) => push_effect(Effect::Send(p, msg)),
                        }
                    }
                }
                Action::Recv { pipe } => {
                    if let Some(p) = st.pipes.get(&pipe) {
                        push_effect(Effect::Recv(p.clone()));
                    }
                }
                Action::ClosePipe { pipe } => {
                    if let Some(p) = st.pipes.get(&pipe) {
                        push_effect(Effect::Close(p.clone()));
                    }
                }
                Action::SendDone { op } => st.complete(op, Done::Sent),
                Action::SendFailed { op, err, msg } => {
                    st.complete(op, Done::SendFailed(err, msg));
                }
                Action::RecvDone { op, result } => st.complete(op, Done::Recv(result)),
            }
        }
        st.update_ready();
        let want = st.proto.poll_timeout();
        if want != st.timer_at {
            st.timer_at = want;
            self.timer.schedule(want.unwrap_or(NEVER));
        }
    }

    /// The time for the protocol's calls: the clock if it has timers.
    fn now(&self) -> u64 {
        if self.clock {
            now_ms()
        } else {
            0
        }
    }

    fn on_timer(&self) {
        self.drive(|st, out| {
            // The timer fired: it is no longer armed.
            st.timer_at = None;
            let now = now_ms();
            if st.proto.poll_timeout().is_some_and(|t| t <= now) {
                st.proto.timeout(now, out);
            }
        });
    }

    // -- user operations -------------------------------------------------

    /// Starts a send on a context; the waiter gets the outcome. Returns the
    /// operation id for [`Socket::cancel`].
    pub fn start_send(&self, ctx: CtxId, msg: Msg, wait: bool, w: Box<dyn Waiter>) -> OpId {
        let mut w = Some(w);
        let mut msg = Some(msg);
        let (op, closed) = self.drive(|st, out| {
            if st.closed || (ctx != SOCKET_CTX && !st.ctxs.contains_key(&ctx)) {
                return (0, true);
            }
            let op = st.next_op;
            st.next_op += 1;
            st.ops.insert(op, w.take().expect("waiter present"));
            let m = msg.take().expect("message present");
            st.proto.send(ctx, op, m, wait, self.now(), out);
            (op, false)
        });
        if closed {
            if let (Some(w), Some(m)) = (w, msg) {
                w.done(Done::SendFailed(Error::Closed, m));
            }
        }
        op
    }

    /// Starts a receive on a context; the waiter gets the outcome.
    pub fn start_recv(&self, ctx: CtxId, wait: bool, w: Box<dyn Waiter>) -> OpId {
        let mut w = Some(w);
        let (op, closed) = self.drive(|st, out| {
            if st.closed || (ctx != SOCKET_CTX && !st.ctxs.contains_key(&ctx)) {
                return (0, true);
            }
            let op = st.next_op;
            st.next_op += 1;
            st.ops.insert(op, w.take().expect("waiter present"));
            st.proto.recv(ctx, op, wait, self.now(), out);
            (op, false)
        });
        if closed {
            if let Some(w) = w {
                w.done(Done::Recv(Err(Error::Closed)));
            }
        }
        op
    }

    /// Cancels a pending operation (timeout or `nng_aio_cancel`); a no-op if
    /// it already completed.
    pub fn cancel(&self, op: OpId, err: Error) {
        self.drive(|st, out| {
            if st.ops.contains_key(&op) {
                st.proto.cancel(op, err, out);
            }
        });
    }

    /// Starts a send of the aio's message (`nng_send_aio`, `nng_ctx_send`).
    /// On failure the message stays in the aio; with no message the aio
    /// fails with `NNG_EINVAL`.
    pub fn send_aio(&self, ctx: CtxId, aio: &Aio) {
        if !aio.begin() {
            return;
        }
        let Some(msg) = aio.take_msg() else {
            return aio.finish_err(Error::Inval);
        };
        match self.timeouts(ctx) {
            Ok((_, t)) => aio.normalize_timeout(t),
            Err(e) => {
                aio.set_msg(Some(msg));
                return aio.finish_err(e);
            }
        }
        let wait = aio.timeout() != 0;
        let Some(slot) = self.arm(aio, wait) else {
            aio.set_msg(Some(msg));
            return;
        };
        let op = self.start_send(ctx, msg, wait, Box::new(AioWaiter(aio.clone())));
        slot.started(op);
    }

    /// Starts a receive into the aio (`nng_recv_aio`, `nng_ctx_recv`).
    pub fn recv_aio(&self, ctx: CtxId, aio: &Aio) {
        if !aio.begin() {
            return;
        }
        match self.timeouts(ctx) {
            Ok((t, _)) => aio.normalize_timeout(t),
            Err(e) => return aio.finish_err(e),
        }
        let wait = aio.timeout() != 0;
        let Some(slot) = self.arm(aio, wait) else {
            return;
        };
        let op = self.start_recv(ctx, wait, Box::new(AioWaiter(aio.clone())));
        slot.started(op);
    }

    /// Registers the canceller of an aio operation before it starts (so a
    /// timeout or cancel that comes first is not lost). `None`: the aio
    /// was already failed (aborted or stopped).
    fn arm(&self, aio: &Aio, wait: bool) -> Option<Arc<AioOp>> {
        let slot = Arc::new(AioOp {
            sock: self.me.clone(),
            st: Mutex::new((0, None)),
        });
        if wait {
            if let Err(e) = aio.schedule(slot.clone()) {
                aio.finish_err(e);
                return None;
            }
        }
        Some(slot)
    }

    /// The socket's own timeouts: (receive, send).
    fn socket_timeouts(&self) -> (i32, i32) {
        (
            self.recv_timeout.load(Ordering::Relaxed),
            self.send_timeout.load(Ordering::Relaxed),
        )
    }

    /// The timeouts that apply to a context: (receive, send).
    fn timeouts(&self, ctx: CtxId) -> Result<(i32, i32)> {
        if ctx == SOCKET_CTX {
            return Ok(self.socket_timeouts());
        }
        let st = lock(&self.st);
        let c = st.ctxs.get(&ctx).ok_or(Error::Closed)?;
        Ok((c.recv_timeout, c.send_timeout))
    }

    /// Starts the operation of a blocking call: `call` hands it to the
    /// protocol (it is not called if the socket or the context is closed).
    /// If the protocol answers at once (a message was waiting, the pipe
    /// took the send), that is the outcome, with no waiter made; else a
    /// parking slot is made and registered for it, in the same lock
    /// section.
    fn start_now(&self, ctx: CtxId, call: impl FnOnce(&mut State, OpId, &mut Actions)) -> Started {
        // As `drive`, with the outcome looked at before the lock is dropped.
        let mut out = SPARE.take();
        let mut st = lock(&self.st);
        let r = if st.closed || (ctx != SOCKET_CTX && !st.ctxs.contains_key(&ctx)) {
            Started::Closed
        } else {
            let op = st.next_op;
            st.next_op += 1;
            st.now_op = op;
            call(&mut st, op, &mut out);
            self.collect(&mut st, &mut out);
            st.now_op = 0;
            match st.now_done.take() {
                Some(d) => Started::Now(d),
                None => {
                    let park = Park::new();
                    st.ops.insert(op, Box::new(park.clone()));
                    Started::Wait(park, op)
                }
            }
        };
        drop(st);
        SPARE.set(out);
        run_effects();
        r
    }

    /// Blocking send (`nng_sendmsg`): waits up to the send timeout. On
    /// failure the message comes back. A non-blocking send that cannot
    /// complete at once fails with `NNG_EAGAIN`.
    pub fn send_msg(
        &self,
        ctx: CtxId,
        msg: Msg,
        nonblock: bool,
    ) -> std::result::Result<(), (Error, Msg)> {
        let timeout = match self.timeouts(ctx) {
            Ok((_, t)) => t,
            Err(e) => return Err((e, msg)),
        };
        let wait = !nonblock && timeout != 0;
        let mut msg = Some(msg);
        let started = self.start_now(ctx, |st, op, out| {
            let m = msg.take().expect("message present");
            st.proto.send(ctx, op, m, wait, self.now(), out);
        });
        let done = match started {
            Started::Closed => {
                let m = msg.take().expect("not handed to the protocol");
                Done::SendFailed(Error::Closed, m)
            }
            Started::Now(d) => d,
            Started::Wait(park, op) => self.park(&park, op, wait, timeout),
        };
        match done {
            Done::Sent => {
                SENT.with(|c| c.set(true));
                Ok(())
            }
            Done::SendFailed(Error::TimedOut, m) if nonblock => Err((Error::Again, m)),
            Done::SendFailed(e, m) => Err((e, m)),
            Done::Recv(_) => Err((Error::Internal, Msg::default())),
        }
    }

    /// Whether the protocol receives at all (pub and push do not).
    pub fn receives(&self) -> bool {
        self.receives
    }

    /// Blocking receive (`nng_recvmsg`): waits up to the receive timeout.
    pub fn recv_msg(&self, ctx: CtxId, nonblock: bool) -> Result<Msg> {
        let (timeout, _) = self.timeouts(ctx)?;
        let wait = !nonblock && timeout != 0;
        let awaiting = Awaiting::take();
        let started = self.start_now(ctx, |st, op, out| {
            st.proto.recv(ctx, op, wait, self.now(), out)
        });
        let done = match started {
            Started::Closed => Done::Recv(Err(Error::Closed)),
            Started::Now(d) => d,
            Started::Wait(park, op) => {
                if wait {
                    // A receive is answered by a peer (or a poller) on
                    // another core, often within microseconds: watch before
                    // sleeping. (Not for sends: a sender waits on a full
                    // queue, where sleeping lets the consumer drain it in
                    // one batch.)
                    park.spin(awaiting);
                }
                self.park(&park, op, wait, timeout)
            }
        };
        match done {
            Done::Recv(Err(Error::TimedOut)) if nonblock => Err(Error::Again),
            Done::Recv(r) => r,
            _ => Err(Error::Internal),
        }
    }

    fn park(&self, park: &Park, op: OpId, wait: bool, timeout: i32) -> Done {
        if wait && timeout > 0 {
            let deadline = std::time::Instant::now() + Duration::from_millis(timeout as u64);
            if let Some(d) = park.wait_until(deadline) {
                return d;
            }
            self.cancel(op, Error::TimedOut);
        }
        park.wait()
    }

    // -- contexts --------------------------------------------------------

    /// Opens a context (`NNG_ENOTSUP` for protocols without contexts).
    pub fn ctx_open(&self) -> Result<u32> {
        let me = self.me.upgrade().ok_or(Error::Closed)?;
        let id = CTXS.insert(me)?;
        let mut st = lock(&self.st);
        let r = if st.closed {
            Err(Error::Closed)
        } else {
            st.proto.ctx_open(id)
        };
        if let Err(e) = r {
            drop(st);
            CTXS.remove(id);
            return Err(e);
        }
        let (r, s) = self.socket_timeouts();
        st.ctxs.insert(
            id,
            CtxState {
                recv_timeout: r,
                send_timeout: s,
            },
        );
        Ok(id)
    }

    /// Closes a context: its pending operations fail with `NNG_ECLOSED`.
    pub fn ctx_close(&self, ctx: CtxId) -> Result<()> {
        CTXS.remove(ctx).ok_or(Error::Closed)?;
        self.drive(|st, out| {
            if st.ctxs.remove(&ctx).is_some() {
                st.proto.ctx_close(ctx, out);
            }
        });
        Ok(())
    }

    // -- options ---------------------------------------------------------

    /// Describes an option of the socket (or of context `ctx`), protocol
    /// options first; `NNG_ENOTSUP` if there is none of that name.
    pub fn opt_desc(&self, ctx: CtxId, name: &str) -> Result<OptDesc> {
        let st = lock(&self.st);
        if let Some(d) = options::find(st.proto.options(), name) {
            return if ctx == SOCKET_CTX || d.ctx {
                Ok(d)
            } else {
                Err(Error::NotSup)
            };
        }
        if ctx != SOCKET_CTX {
            return match name {
                "recv-timeout" | "send-timeout" => Ok(OptDesc::rw("x", OptType::Ms)),
                _ => Err(Error::NotSup),
            };
        }
        options::find(GENERIC, name)
            .or_else(|| options::find(ENDPOINT, name))
            .ok_or(Error::NotSup)
    }

    /// Sets an option; `val` must have the option's type (`NNG_EBADTYPE`).
    pub fn set_opt(&self, ctx: CtxId, name: &str, val: OptValue) -> Result<()> {
        let d = self.opt_desc(ctx, name)?;
        if !d.set {
            return Err(Error::ReadOnly);
        }
        if d.ty != val.ty() {
            return Err(Error::BadType);
        }
        let mut st = lock(&self.st);
        if options::find(st.proto.options(), name).is_some() {
            let r = st.proto.set_option(ctx, name, &val);
            st.update_ready();
            return r;
        }
        if ctx != SOCKET_CTX {
            let v = options::check_ms(val.as_ms()?)?;
            let c = st.ctxs.get_mut(&ctx).ok_or(Error::Closed)?;
            match name {
                "recv-timeout" => c.recv_timeout = v,
                _ => c.send_timeout = v,
            }
            return Ok(());
        }
        match name {
            "recv-timeout" => {
                let v = options::check_ms(val.as_ms()?)?;
                self.recv_timeout.store(v, Ordering::Relaxed);
            }
            "send-timeout" => {
                let v = options::check_ms(val.as_ms()?)?;
                self.send_timeout.store(v, Ordering::Relaxed);
            }
            "recv-buffer" => st.opts.recv_buffer = options::check_range(val.as_int()?, 0, 8192)?,
            "send-buffer" => st.opts.send_buffer = options::check_range(val.as_int()?, 0, 8192)?,
            "socket-name" => {
                let OptValue::Str(s) = val else {
                    return Err(Error::BadType);
                };
                if s.len() >= 64 {
                    return Err(Error::Inval);
                }
                st.opts.name = s;
            }
            _ => {
                let (key, val) = check_endpoint_opt(name, val)?;
                if let OptValue::Ptr(p) = val {
                    // SAFETY: the value of `tls-config` (the only pointer
                    // option here) is, by the C API's contract, a
                    // `nng_tls_config *` the caller holds a reference on;
                    // NULL is refused (NNG_EINVAL).
                    let cfg = unsafe { crate::ffi::tls::config_clone(p as *const _) }?;
                    st.opts.tls_config = Some(cfg);
                }
                let (dialers, listeners) = (st.dialers.clone(), st.listeners.clone());
                match st.opts.endpoint.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = val.clone(),
                    None => st.opts.endpoint.push((key, val.clone())),
                }
                drop(st);
                for d in dialers {
                    match d.set_opt(key, val.clone()) {
                        Ok(()) | Err(Error::NotSup) => {}
                        Err(e) => return Err(e),
                    }
                }
                for l in listeners {
                    match l.set_opt(key, val.clone()) {
                        Ok(()) | Err(Error::NotSup) | Err(Error::Busy) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads an option.
    pub fn get_opt(&self, ctx: CtxId, name: &str) -> Result<OptValue> {
        let d = self.opt_desc(ctx, name)?;
        if !d.get {
            return Err(Error::WriteOnly);
        }
        let mut st = lock(&self.st);
        if options::find(st.proto.options(), name).is_some() {
            return st.proto.get_option(ctx, name);
        }
        if ctx != SOCKET_CTX {
            let c = st.ctxs.get(&ctx).ok_or(Error::Closed)?;
            return Ok(OptValue::Ms(match name {
                "recv-timeout" => c.recv_timeout,
                _ => c.send_timeout,
            }));
        }
        Ok(match name {
            "recv-timeout" => OptValue::Ms(self.recv_timeout.load(Ordering::Relaxed)),
            "send-timeout" => OptValue::Ms(self.send_timeout.load(Ordering::Relaxed)),
            "recv-buffer" => OptValue::Int(st.opts.recv_buffer),
            "send-buffer" => OptValue::Int(st.opts.send_buffer),
            "socket-name" => OptValue::Str(st.opts.name.clone()),
            "raw" => OptValue::Bool(self.info.raw),
            "protocol" => OptValue::Int(i32::from(self.info.self_id)),
            "protocol-name" => OptValue::Str(self.info.self_name.into()),
            "peer" => OptValue::Int(i32::from(self.info.peer_id)),
            "peer-name" => OptValue::Str(self.info.peer_name.into()),
            "recv-fd" => OptValue::Int(st.poll_fd(true)?),
            "send-fd" => OptValue::Int(st.poll_fd(false)?),
            _ => match st.opts.endpoint.iter().find(|(k, _)| *k == name) {
                Some((_, v)) => v.clone(),
                None => return Err(Error::NotSup),
            },
        })
    }

    // -- pipes -----------------------------------------------------------

    /// Registers a pipe-event callback (`None` removes it).
    pub fn set_notify(&self, ev: PipeEv, cb: Option<Notify>) {
        lock(&self.st).notify[ev as usize] = cb;
    }

    fn notify(&self, ev: PipeEv, pipe: PipeId) {
        let cb = lock(&self.st).notify[ev as usize].clone();
        if let Some(cb) = cb {
            let outer = IN_NOTIFY.with(|c| c.replace(self.id));
            cb(pipe, ev);
            IN_NOTIFY.with(|c| c.set(outer));
        }
    }

    /// Attaches a connected transport pipe. Returns the pipe id, or an error
    /// if the pipe was refused (wrong peer protocol, rejected by the
    /// protocol or by an `ADD_PRE` callback, socket closed).
    pub fn add_pipe(&self, tran: Box<dyn TranPipe>, dialer: u32, listener: u32) -> Result<PipeId> {
        let mut made = None;
        let id = PIPES.insert_with(|id| {
            let p = Arc::new(Pipe {
                id,
                sock: self.me.clone(),
                tran,
                dialer,
                listener,
                closing: AtomicBool::new(false),
                added: AtomicBool::new(false),
                stats: Traffic::default(),
            });
            made = Some(p.clone());
            p
        })?;
        let pipe = made.ok_or(Error::Internal)?;
        // As upstream, the callbacks see every pipe, also one the protocol
        // then refuses (the peer check is part of attaching it).
        self.notify(PipeEv::AddPre, id);
        let right_peer = pipe.tran.peer() == self.info.peer_id;
        let accepted = right_peer
            && !pipe.closing.load(Ordering::Acquire)
            && self.drive(|st, out| {
                if st.closed {
                    return false;
                }
                if st.proto.pipe_added(id, self.now(), out).is_err() {
                    return false;
                }
                st.pipes.insert(id, pipe.clone());
                pipe.added.store(true, Ordering::Release);
                true
            });
        if !accepted {
            self.stats.reject();
            if let Some(d) = DIALERS.get(dialer) {
                d.stats.reject();
            } else if let Some(l) = LISTENERS.get(listener) {
                l.stats.reject();
            }
            pipe.closing.store(true, Ordering::Release);
            pipe.tran.close();
            self.notify(PipeEv::RemPost, id);
            PIPES.remove(id);
            return Err(if right_peer {
                Error::Closed
            } else {
                Error::Proto
            });
        }
        // The transport may have been asked to read or write already (the
        // protocol's first actions); it holds those until it starts.
        pipe.tran.start(Arc::new(Hook {
            pipe: Arc::downgrade(&pipe),
        }));
        self.notify(PipeEv::AddPost, id);
        Ok(id)
    }

    fn pipe_sent(&self, id: PipeId) {
        self.drive(|st, out| {
            if st.pipes.contains_key(&id) {
                st.proto.pipe_sent(id, self.now(), out);
            }
        });
    }

    fn pipe_recv(&self, id: PipeId, mut msg: Msg) {
        msg.set_pipe(id);
        self.drive(|st, out| {
            if let Some(p) = st.pipes.get(&id) {
                let n = msg.header().len() + msg.len();
                self.stats.traffic.rx(n);
                p.stats.rx(n);
                st.proto.pipe_recv(id, msg, self.now(), out);
            }
        });
    }

    fn pipe_closed(&self, pipe: &Pipe) {
        let removed = self.drive(|st, out| {
            let removed = st.pipes.remove(&pipe.id).is_some();
            if removed {
                st.proto.pipe_removed(pipe.id, self.now(), out);
                st.rem_pending += 1;
            }
            removed
        });
        // As upstream, the pipe can still be looked up (nng_pipe_socket,
        // options) from its REM_POST callback.
        if removed {
            self.notify(PipeEv::RemPost, pipe.id);
            let mut st = lock(&self.st);
            st.rem_pending -= 1;
            if st.pipes.is_empty() && st.rem_pending == 0 {
                self.idle.notify_all();
            }
        }
        PIPES.remove(pipe.id);
        if removed && pipe.dialer != 0 {
            if let Some(d) = DIALERS.get(pipe.dialer) {
                d.pipe_gone();
            }
        }
    }

    // -- endpoints ---------------------------------------------------------

    fn sock_info(&self) -> SockInfo {
        SockInfo {
            proto: self.info.self_id,
            peer: self.info.peer_id,
        }
    }

    /// Creates a dialer (not started).
    pub fn dialer_create(&self, url: &str) -> Result<Arc<Dialer>> {
        let tran = transport::dialer(url, self.sock_info())?;
        let mut made = None;
        let id = DIALERS.insert_with(|id| {
            let d = self.build_dialer(id, url, tran);
            made = Some(d.clone());
            d
        })?;
        let d = made.ok_or(Error::Internal)?;
        let endpoint_opts = {
            let mut st = lock(&self.st);
            if st.closed {
                drop(st);
                DIALERS.remove(id);
                return Err(Error::Closed);
            }
            st.dialers.push(d.clone());
            st.opts.endpoint.clone()
        };
        for (k, v) in endpoint_opts {
            let _ = d.set_opt(k, v);
        }
        Ok(d)
    }

    fn build_dialer(&self, id: u32, url: &str, tran: Box<dyn TranDialer>) -> Arc<Dialer> {
        Arc::new_cyclic(|me: &Weak<Dialer>| {
            let weak = me.clone();
            Dialer {
                id,
                sock: self.me.clone(),
                url: url.to_owned(),
                tran,
                st: Mutex::new(DialerState {
                    started: false,
                    closed: false,
                    min: 1000,
                    max: 0,
                    cur: 0,
                    waiting: false,
                    outcome: None,
                }),
                cv: Condvar::new(),
                timer: Timer::new(move || {
                    if let Some(d) = weak.upgrade() {
                        d.connect();
                    }
                }),
                me: me.clone(),
                ext: Ext::new(),
                stats: EpStats::default(),
            }
        })
    }

    /// Creates a listener (not started).
    pub fn listener_create(&self, url: &str) -> Result<Arc<Listener>> {
        let tran = transport::listener(url, self.sock_info())?;
        let mut made = None;
        let id = LISTENERS.insert_with(|id| {
            let l = Arc::new(Listener {
                id,
                sock: self.me.clone(),
                url: url.to_owned(),
                tran,
                st: Mutex::new(ListenerState {
                    started: false,
                    closed: false,
                }),
                ext: Ext::new(),
                stats: EpStats::default(),
            });
            made = Some(l.clone());
            l
        })?;
        let l = made.ok_or(Error::Internal)?;
        let endpoint_opts = {
            let mut st = lock(&self.st);
            if st.closed {
                drop(st);
                LISTENERS.remove(id);
                return Err(Error::Closed);
            }
            st.listeners.push(l.clone());
            st.opts.endpoint.clone()
        };
        for (k, v) in endpoint_opts {
            let _ = l.set_opt(k, v);
        }
        Ok(l)
    }

    fn forget_dialer(&self, id: u32) {
        lock(&self.st).dialers.retain(|d| d.id != id);
    }

    fn forget_listener(&self, id: u32) {
        lock(&self.st).listeners.retain(|l| l.id != id);
    }

    // -- closing -----------------------------------------------------------

    /// Closes the socket: pending operations fail with `NNG_ECLOSED`,
    /// endpoints and pipes close, the id becomes invalid. A second close
    /// gives `NNG_ECLOSED`.
    pub fn close(&self) -> Result<()> {
        SOCKETS.remove(self.id).ok_or(Error::Closed)?;
        SOCKETS_GONE.fetch_add(1, Ordering::Release);
        let (pipes, dialers, listeners, ctxs) = self.drive(|st, out| {
            st.closed = true;
            st.proto.close(out);
            let pipes: Vec<_> = st.pipes.values().cloned().collect();
            let ctxs: Vec<_> = st.ctxs.keys().copied().collect();
            (
                pipes,
                std::mem::take(&mut st.dialers),
                std::mem::take(&mut st.listeners),
                ctxs,
            )
        });
        self.timer.cancel();
        for c in ctxs {
            CTXS.remove(c);
        }
        for d in dialers {
            d.close();
        }
        for l in listeners {
            l.close();
        }
        for p in pipes {
            p.close();
        }
        self.wait_pipes_gone();
        // The pollable descriptors close with the socket.
        let fds = {
            let mut st = lock(&self.st);
            (st.recv_fd.take(), st.send_fd.take())
        };
        drop(fds);
        Ok(())
    }
}

thread_local! {
    /// The socket whose pipe callback this thread is running (0: none).
    static IN_NOTIFY: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl Socket {
    /// As upstream, `close` returns only once every pipe is gone and its
    /// `REM_POST` callback has returned (transports may report a close from
    /// another thread). Not when called from this socket's own pipe
    /// callback, which would wait for itself; bounded in any case.
    fn wait_pipes_gone(&self) {
        if IN_NOTIFY.with(|c| c.get()) == self.id {
            return;
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut st = lock(&self.st);
        while !(st.pipes.is_empty() && st.rem_pending == 0) {
            let now = std::time::Instant::now();
            if now >= deadline {
                return;
            }
            st = wait_timeout(&self.idle, st, deadline - now);
        }
    }
}

fn check_endpoint_opt(name: &str, val: OptValue) -> Result<(&'static str, OptValue)> {
    let d = options::find(ENDPOINT, name).ok_or(Error::NotSup)?;
    match &val {
        OptValue::Ms(v) => {
            options::check_ms(*v)?;
        }
        OptValue::Size(v) if *v > 0xffff_ffff => return Err(Error::Inval),
        OptValue::Int(v) if d.name == "ipc:permissions" && (*v & !0o7777) != 0 => {
            return Err(Error::Inval)
        }
        OptValue::Int(v) if d.name == "tls-authmode" && !(0..=2).contains(v) => {
            return Err(Error::Inval)
        }
        _ => {}
    }
    Ok((d.name, val))
}

// ---------------------------------------------------------------------------
// Operations driven by an aio.

/// The canceller of one aio operation: holds the operation id once the
/// socket assigned it, or the reason of a cancel that came first.
struct AioOp {
    sock: Weak<Socket>,
    st: Mutex<(OpId, Option<Error>)>,
}

impl AioOp {
    fn started(&self, op: OpId) {
        let early = {
            let mut g = lock(&self.st);
            g.0 = op;
            g.1.take()
        };
        if let (Some(e), Some(s)) = (early, self.sock.upgrade()) {
            s.cancel(op, e);
        }
    }
}

impl Cancel for AioOp {
    fn cancel(&self, _aio: &Aio, reason: Error) {
        let op = {
            let mut g = lock(&self.st);
            if g.0 == 0 {
                g.1 = Some(reason);
                return;
            }
            g.0
        };
        if let Some(s) = self.sock.upgrade() {
            s.cancel(op, reason);
        }
    }
}

struct AioWaiter(Aio);

impl Waiter for AioWaiter {
    fn done(self: Box<Self>, d: Done) {
        match d {
            Done::Sent => self.0.finish(Ok(())),
            Done::SendFailed(e, m) => {
                self.0.set_msg(Some(m));
                self.0.finish_err(e);
            }
            Done::Recv(Ok(m)) => self.0.finish_msg(m),
            Done::Recv(Err(e)) => self.0.finish_err(e),
        }
    }
}

// ---------------------------------------------------------------------------
// Parking a thread on an operation.

/// How long a blocked receive watches for its completion before it
/// sleeps ([`Park::spin`]).
const SPIN: Duration = Duration::from_micros(50);
/// Checks between two yields while spinning.
const SPIN_BATCH: u32 = 64;
/// A yield that kept a watching stream receiver away this long gave its
/// core to another thread (a yield that finds nobody waiting for the core
/// returns within a microsecond or two).
const YIELD_SWITCHED: Duration = Duration::from_micros(10);
/// Stream receives that sleep at once after a yield gave the core away.
const CALM_WAITS: u32 = 64;

thread_local! {
    /// This thread sent a message since its last blocking receive.
    static SENT: Cell<bool> = const { Cell::new(false) };
    /// Stream receives of this thread that are still to sleep at once.
    static CALM: Cell<u32> = const { Cell::new(0) };
}

/// What a blocking receive waits for, which decides how it watches
/// ([`Park::spin`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Awaiting {
    /// An answer: the thread sent since its last receive (ping-pong,
    /// request and reply). The wait is a round trip, and a wake-up saved is
    /// latency saved.
    Answer,
    /// The next message of a stream the thread only drains.
    Stream,
}

impl Awaiting {
    /// What this thread's receive awaits; starts the next conversation.
    fn take() -> Awaiting {
        if SENT.with(|s| s.replace(false)) {
            Awaiting::Answer
        } else {
            Awaiting::Stream
        }
    }
}

/// The calling thread, parked until its operation completes. Completing
/// signals the condition variable only if the thread actually sleeps on it
/// (a notify is a system call even with nobody waiting): an operation that
/// completes at once, as most receives from a full queue do, costs no
/// wake-up.
#[derive(Clone)]
struct Park(Arc<ParkSlot>);

/// How [`Socket::start_now`] left a blocking call's operation.
enum Started {
    /// The socket or the context is closed; the protocol was not called.
    Closed,
    /// The protocol answered at once.
    Now(Done),
    /// The call waits on the slot for the operation.
    Wait(Park, OpId),
}

struct ParkSlot {
    st: Mutex<ParkState>,
    cv: Condvar,
    /// `st.done` is set: read without the lock by [`Park::spin`].
    done: AtomicBool,
}

impl ParkSlot {
    fn new() -> ParkSlot {
        ParkSlot {
            st: Mutex::new(ParkState::default()),
            cv: Condvar::new(),
            done: AtomicBool::new(false),
        }
    }
}

#[derive(Default)]
struct ParkState {
    done: Option<Done>,
    /// The waiter sleeps on the condition variable.
    sleeping: bool,
}

impl Park {
    /// A parking slot for one operation of this thread: the thread's cached
    /// one when nothing else holds it any more (its last operation's waiter
    /// is gone, so no late completion can reach it), else a new one.
    fn new() -> Park {
        thread_local! {
            static CACHED: RefCell<Option<Park>> = const { RefCell::new(None) };
        }
        CACHED.with(|c| {
            let mut c = c.borrow_mut();
            if let Some(p) = c.as_ref().filter(|p| Arc::strong_count(&p.0) == 1) {
                *lock(&p.0.st) = ParkState::default();
                p.0.done.store(false, Ordering::Relaxed);
                return p.clone();
            }
            let p = Park(Arc::new(ParkSlot::new()));
            *c = Some(p.clone());
            p
        })
    }

    /// Watches for the completion for up to [`SPIN`] before the thread
    /// sleeps: an answer that comes within a few microseconds (a peer on
    /// another core, a reply over inproc or from the poller) then costs no
    /// sleep and wake-up, which on an idle machine takes tens of
    /// microseconds.
    /// Every [`SPIN_BATCH`] checks the thread yields, so a runnable thread
    /// (the producer, a poller) is not kept from this core. Not on a
    /// single-core machine, where the answer cannot come while we spin.
    ///
    /// A stream's receiver stops watching once a yield gave its core away,
    /// and sleeps at once for its next [`CALM_WAITS`] stream receives: the
    /// cores are then busy with the stream's own work (over tcp the
    /// sender's thread carries the loopback's delivery too), and a watcher
    /// that keeps taking a core back costs the pipeline more than a sleeping
    /// receiver, which then finds messages queued and drains them without
    /// waits. Measured on pair1 over tcp at 64 KiB: 92% of the raw floor
    /// watching always, 103% this way; ipc, where yields seldom give the
    /// core away, keeps its watching (docs/PERFORMANCE.md, round 15).
    fn spin(&self, awaiting: Awaiting) {
        if crate::runtime::cores() < 2 {
            return;
        }
        if awaiting == Awaiting::Stream
            && CALM.with(|c| {
                let n = c.get();
                c.set(n.saturating_sub(1));
                n > 0
            })
        {
            return;
        }
        // The clock is read only once the first batch saw nothing (most
        // answers in a flood are there by then).
        let mut start = None;
        loop {
            for _ in 0..SPIN_BATCH {
                if self.0.done.load(Ordering::Acquire) {
                    return;
                }
                std::hint::spin_loop();
            }
            let now = std::time::Instant::now();
            if now - *start.get_or_insert(now) >= SPIN {
                return;
            }
            std::thread::yield_now();
            if awaiting == Awaiting::Stream && now.elapsed() >= YIELD_SWITCHED {
                CALM.with(|c| c.set(CALM_WAITS));
                return;
            }
        }
    }

    fn wait_until(&self, deadline: std::time::Instant) -> Option<Done> {
        let mut g = lock(&self.0.st);
        loop {
            if let Some(d) = g.done.take() {
                return Some(d);
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return None;
            }
            g.sleeping = true;
            g = wait_timeout(&self.0.cv, g, deadline - now);
            g.sleeping = false;
        }
    }

    fn wait(&self) -> Done {
        let mut g = lock(&self.0.st);
        loop {
            if let Some(d) = g.done.take() {
                return d;
            }
            g.sleeping = true;
            g = wait(&self.0.cv, g);
            g.sleeping = false;
        }
    }
}

impl Waiter for Park {
    fn done(self: Box<Self>, d: Done) {
        let sleeping = {
            let mut g = lock(&self.0.st);
            g.done = Some(d);
            self.0.done.store(true, Ordering::Release);
            g.sleeping
        };
        if sleeping {
            self.0.cv.notify_one();
        }
    }
}

// ---------------------------------------------------------------------------
// Pipes.

/// A connected pipe of a socket.
pub struct Pipe {
    id: PipeId,
    sock: Weak<Socket>,
    tran: Box<dyn TranPipe>,
    dialer: u32,
    listener: u32,
    closing: AtomicBool,
    added: AtomicBool,
    stats: Traffic,
}

impl Pipe {
    /// The pipe id.
    pub fn id(&self) -> PipeId {
        self.id
    }
    /// The owning socket's id (0 if it is gone).
    pub fn socket_id(&self) -> u32 {
        self.sock.upgrade().map_or(0, |s| s.id)
    }
    /// The dialer that made the pipe (0: none).
    pub fn dialer_id(&self) -> u32 {
        self.dialer
    }
    /// The listener that accepted the pipe (0: none).
    pub fn listener_id(&self) -> u32 {
        self.listener
    }
    /// The pipe's traffic counters.
    pub fn stats(&self) -> &Traffic {
        &self.stats
    }
    /// The owning socket's id, for statistics (0 if it is gone).
    pub fn stat_socket(&self) -> u32 {
        self.socket_id()
    }
    /// Whether the socket accepted the pipe and it is not closing.
    pub fn is_attached(&self) -> bool {
        self.added.load(Ordering::Acquire) && !self.closing.load(Ordering::Acquire)
    }
    /// Closes the pipe.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Release);
        self.tran.close();
    }
    /// Reads a pipe option: the transport's, then the endpoint's.
    pub fn get_opt(&self, name: &str) -> Result<OptValue> {
        match self.tran.get_option(name) {
            Err(Error::NotSup) => {}
            r => return r,
        }
        if let Some(d) = DIALERS.get(self.dialer) {
            return d.get_opt(name);
        }
        if let Some(l) = LISTENERS.get(self.listener) {
            return l.get_opt(name);
        }
        Err(Error::NotSup)
    }
}

struct Hook {
    pipe: Weak<Pipe>,
}

impl PipeEvents for Hook {
    fn sent(&self) {
        if let Some(p) = self.pipe.upgrade() {
            if let Some(s) = p.sock.upgrade() {
                s.pipe_sent(p.id);
            }
        }
    }

    fn received(&self, msg: Msg) {
        if let Some(p) = self.pipe.upgrade() {
            if let Some(s) = p.sock.upgrade() {
                s.pipe_recv(p.id, msg);
            }
        }
    }

    fn closed(&self) {
        if let Some(p) = self.pipe.upgrade() {
            p.closing.store(true, Ordering::Release);
            match p.sock.upgrade() {
                Some(s) => s.pipe_closed(&p),
                None => {
                    PIPES.remove(p.id);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Dialers.

struct DialerState {
    started: bool,
    closed: bool,
    min: i32,
    max: i32,
    /// Current back-off (ms); 0 before the first failure.
    cur: i32,
    /// A blocking start waits for the outcome of its connection attempt.
    waiting: bool,
    /// That outcome, for the waiting start.
    outcome: Option<Result<()>>,
}

/// A dialer: keeps one connection to its URL, reconnecting with back-off.
pub struct Dialer {
    id: u32,
    sock: Weak<Socket>,
    url: String,
    tran: Box<dyn TranDialer>,
    st: Mutex<DialerState>,
    cv: Condvar,
    timer: Timer,
    me: Weak<Dialer>,
    /// Data the C boundary attaches to the dialer.
    pub ext: Ext,
    stats: EpStats,
}

impl Dialer {
    /// The dialer id.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// The URL as given.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The owning socket's id (0 if gone).
    pub fn socket_id(&self) -> u32 {
        self.sock.upgrade().map_or(0, |s| s.id)
    }
    /// The endpoint's counters.
    pub fn stats(&self) -> &EpStats {
        &self.stats
    }

    /// Starts connecting. Blocking (`nonblock == false`): waits for the
    /// first attempt and returns its error; the dialer is then idle again
    /// (it may be started anew, or closed, as `nng_dial` does). Non-blocking:
    /// returns at once and keeps retrying in the background. `NNG_ESTATE`
    /// if it is already started.
    pub fn start(&self, nonblock: bool) -> Result<()> {
        {
            let mut st = lock(&self.st);
            if st.closed {
                return Err(Error::Closed);
            }
            if st.started {
                return Err(Error::State);
            }
            st.started = true;
            st.waiting = !nonblock;
            st.outcome = None;
        }
        self.connect();
        if nonblock {
            return Ok(());
        }
        let mut st = lock(&self.st);
        loop {
            if let Some(r) = st.outcome.take() {
                return r;
            }
            st = wait(&self.cv, st);
        }
    }

    fn connect(&self) {
        if lock(&self.st).closed {
            return;
        }
        let me = self.me.clone();
        self.tran.connect(Box::new(move |r| {
            if let Some(d) = me.upgrade() {
                d.connected(r);
            }
        }));
    }

    /// The outcome of a connection attempt. As upstream, the attempt
    /// succeeded once the transport connected, even if the socket then
    /// refuses the pipe (wrong peer protocol, rejected by an `ADD_PRE`
    /// callback): that only makes the dialer try again later.
    fn connected(&self, r: Result<Box<dyn TranPipe>>) {
        let (connected, accepted) = match r {
            Ok(p) => {
                self.stats.connected();
                let accepted = match self.sock.upgrade() {
                    Some(s) => s.add_pipe(p, self.id, 0).is_ok(),
                    None => {
                        p.close();
                        false
                    }
                };
                (Ok(()), accepted)
            }
            Err(e) => {
                self.stats.failed(e);
                (Err(e), false)
            }
        };
        let mut st = lock(&self.st);
        if st.waiting {
            st.waiting = false;
            st.outcome = Some(connected);
            self.cv.notify_all();
            if connected.is_err() {
                // A failed blocking start leaves the dialer idle.
                st.started = false;
                return;
            }
        }
        if st.closed {
            return;
        }
        if accepted {
            st.cur = 0;
        } else {
            self.backoff(&mut st);
        }
    }

    /// Schedules the next attempt after a random delay in [0, cur), where
    /// cur starts at the minimum and doubles up to the maximum.
    fn backoff(&self, st: &mut DialerState) {
        let min = st.min.max(0);
        st.cur = if st.cur == 0 {
            min
        } else if st.max > 0 {
            (st.cur.saturating_mul(2)).min(st.max)
        } else {
            min
        };
        let wait = if st.cur > 0 {
            u64::from(rand32()) % st.cur as u64
        } else {
            0
        };
        self.timer.schedule(now_ms() + wait);
    }

    fn pipe_gone(&self) {
        let mut st = lock(&self.st);
        if !st.closed {
            self.backoff(&mut st);
        }
    }

    /// Sets a dialer option (generic endpoint ones, then the transport's).
    pub fn set_opt(&self, name: &str, val: OptValue) -> Result<()> {
        match name {
            "reconnect-time-min" | "reconnect-time-max" => {
                let v = options::check_ms(val.as_ms()?)?;
                let mut st = lock(&self.st);
                if name == "reconnect-time-min" {
                    st.min = v;
                } else {
                    st.max = v;
                }
                Ok(())
            }
            "url" => Err(Error::ReadOnly),
            _ => self.tran.set_option(name, &val),
        }
    }

    /// Reads a dialer option: generic ones, then the transport's.
    pub fn get_opt(&self, name: &str) -> Result<OptValue> {
        match name {
            "reconnect-time-min" => Ok(OptValue::Ms(lock(&self.st).min)),
            "reconnect-time-max" => Ok(OptValue::Ms(lock(&self.st).max)),
            "url" => Ok(OptValue::Str(self.url.clone())),
            _ => match self.tran.get_option(name) {
                Err(Error::NotSup) => match self.sock.upgrade() {
                    Some(s) => s.get_opt(SOCKET_CTX, name),
                    None => Err(Error::NotSup),
                },
                r => r,
            },
        }
    }

    /// Closes the dialer and its pipe.
    pub fn close(&self) {
        {
            let mut st = lock(&self.st);
            if st.closed {
                return;
            }
            st.closed = true;
            if st.waiting {
                st.waiting = false;
                st.outcome = Some(Err(Error::Closed));
                self.cv.notify_all();
            }
        }
        DIALERS.remove(self.id);
        self.timer.cancel();
        self.tran.close();
        if let Some(s) = self.sock.upgrade() {
            s.forget_dialer(self.id);
        }
        for p in PIPES.snapshot() {
            if p.dialer == self.id {
                p.close();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Listeners.

struct ListenerState {
    started: bool,
    closed: bool,
}

/// A listener: accepts connections for its socket.
pub struct Listener {
    id: u32,
    sock: Weak<Socket>,
    url: String,
    tran: Box<dyn TranListener>,
    st: Mutex<ListenerState>,
    /// Data the C boundary attaches to the listener.
    pub ext: Ext,
    stats: EpStats,
}

impl Listener {
    /// The listener id.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// The URL as given.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The owning socket's id (0 if gone).
    pub fn socket_id(&self) -> u32 {
        self.sock.upgrade().map_or(0, |s| s.id)
    }
    /// The endpoint's counters.
    pub fn stats(&self) -> &EpStats {
        &self.stats
    }

    /// Binds and starts accepting.
    pub fn start(self: &Arc<Self>) -> Result<()> {
        {
            let mut st = lock(&self.st);
            if st.closed {
                return Err(Error::Closed);
            }
            if st.started {
                return Err(Error::State);
            }
            self.tran.bind()?;
            st.started = true;
        }
        self.accept();
        Ok(())
    }

    fn accept(self: &Arc<Self>) {
        let me = Arc::downgrade(self);
        self.tran.accept(Box::new(move |r| {
            let Some(l) = me.upgrade() else { return };
            match r {
                Ok(p) => {
                    l.stats.connected();
                    if let Some(s) = l.sock.upgrade() {
                        let _ = s.add_pipe(p, 0, l.id);
                    } else {
                        p.close();
                    }
                    l.accept();
                }
                Err(Error::Closed) => {}
                Err(e) => {
                    l.stats.failed(e);
                    if !lock(&l.st).closed {
                        l.accept();
                    }
                }
            }
        }));
    }

    /// Sets a listener option (the transport's).
    pub fn set_opt(&self, name: &str, val: OptValue) -> Result<()> {
        match name {
            "url" => Err(Error::ReadOnly),
            "reconnect-time-min" | "reconnect-time-max" => Err(Error::NotSup),
            _ => self.tran.set_option(name, &val),
        }
    }

    /// Reads a listener option: the transport's, then the socket's.
    pub fn get_opt(&self, name: &str) -> Result<OptValue> {
        match name {
            // The transport may know better (tcp: the bound port filled in).
            "url" => match self.tran.get_option("url") {
                Ok(v) => Ok(v),
                Err(_) => Ok(OptValue::Str(self.url.clone())),
            },
            _ => match self.tran.get_option(name) {
                Err(Error::NotSup) => match self.sock.upgrade() {
                    Some(s) => s.get_opt(SOCKET_CTX, name),
                    None => Err(Error::NotSup),
                },
                r => r,
            },
        }
    }

    /// Closes the listener and the pipes it accepted.
    pub fn close(&self) {
        {
            let mut st = lock(&self.st);
            if st.closed {
                return;
            }
            st.closed = true;
        }
        LISTENERS.remove(self.id);
        self.tran.close();
        if let Some(s) = self.sock.upgrade() {
            s.forget_listener(self.id);
        }
        for p in PIPES.snapshot() {
            if p.listener == self.id {
                p.close();
            }
        }
    }
}

fn rand32() -> u32 {
    crate::supplemental::platform::random_u32()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_after(p: &Park, delay: Duration) -> std::thread::JoinHandle<()> {
        let w: Box<dyn Waiter> = Box::new(p.clone());
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            w.done(Done::Sent);
        })
    }

    /// Two pair0 sockets, `a` listening on `url` and `b` dialing it.
    fn pair0_connected(url: &str) -> (Arc<Socket>, Arc<Socket>) {
        let open =
            || Socket::open(Box::new(crate::protocol::pair0::Socket::new(false, 1))).unwrap();
        let (a, b) = (open(), open());
        a.listener_create(url).unwrap().start().unwrap();
        b.dialer_create(url).unwrap().start(false).unwrap();
        (a, b)
    }

    #[test]
    fn park_sees_a_completion_during_the_spin_and_after_it() {
        // Within the spin window: the spin ends early and no sleep is needed.
        let p = Park::new();
        let t = complete_after(&p, Duration::ZERO);
        p.spin(Awaiting::Answer);
        t.join().unwrap();
        assert!(matches!(p.wait(), Done::Sent));
        // Long after the window: the thread sleeps and is woken.
        let p = Park(Arc::new(ParkSlot::new()));
        let t = complete_after(&p, SPIN * 20);
        let start = std::time::Instant::now();
        p.spin(Awaiting::Answer);
        assert!(start.elapsed() >= SPIN || p.0.done.load(Ordering::Acquire));
        assert!(matches!(p.wait(), Done::Sent));
        t.join().unwrap();
    }

    #[test]
    fn a_receive_awaits_an_answer_only_after_a_send() {
        // On a thread of its own: the flags are the thread's.
        std::thread::spawn(|| {
            let (a, b) = pair0_connected("inproc://awaiting");
            assert_eq!(Awaiting::take(), Awaiting::Stream);
            b.send_msg(SOCKET_CTX, Msg::from_slice(b"x"), false)
                .map_err(|(e, _)| e)
                .unwrap();
            assert_eq!(Awaiting::take(), Awaiting::Answer);
            assert_eq!(Awaiting::take(), Awaiting::Stream, "one answer per send");
            // A receive takes the flag; a failed send sets none.
            b.send_msg(SOCKET_CTX, Msg::from_slice(b"y"), false)
                .map_err(|(e, _)| e)
                .unwrap();
            assert_eq!(a.recv_msg(SOCKET_CTX, false).unwrap().body(), b"x");
            assert_eq!(Awaiting::take(), Awaiting::Stream);
            b.close().unwrap();
            assert!(b
                .send_msg(SOCKET_CTX, Msg::from_slice(b"z"), false)
                .is_err());
            assert_eq!(Awaiting::take(), Awaiting::Stream);
            a.close().unwrap();
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_calm_stream_receiver_sleeps_without_watching() {
        std::thread::spawn(|| {
            CALM.with(|c| c.set(2));
            let p = Park(Arc::new(ParkSlot::new()));
            p.spin(Awaiting::Stream);
            assert!(!p.0.done.load(Ordering::Acquire), "nothing completed it");
            assert_eq!(CALM.with(Cell::get), 1);
            // An answer is watched for whatever the stream did.
            let t = complete_after(&p, Duration::ZERO);
            p.spin(Awaiting::Answer);
            t.join().unwrap();
            assert_eq!(CALM.with(Cell::get), 1);
            assert!(matches!(p.wait(), Done::Sent));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn blocking_calls_answered_at_once_leave_no_waiter_behind() {
        use crate::core::options::OptValue;
        let (a, b) = pair0_connected("inproc://now-ops");
        let idle = |s: &Socket| {
            let st = lock(&s.st);
            st.ops.is_empty() && st.now_op == 0 && st.now_done.is_none()
        };
        // Each receive finds its message or waits for it; either way no
        // waiter is left registered.
        for i in 0..3u8 {
            b.send_msg(SOCKET_CTX, Msg::from_slice(&[i]), false)
                .map_err(|(e, _)| e)
                .unwrap();
            assert_eq!(a.recv_msg(SOCKET_CTX, false).unwrap().body(), &[i]);
        }
        assert!(idle(&a) && idle(&b));
        assert_eq!(a.recv_msg(SOCKET_CTX, true).unwrap_err(), Error::Again);
        a.set_opt(SOCKET_CTX, "recv-timeout", OptValue::Ms(1))
            .unwrap();
        assert_eq!(a.recv_msg(SOCKET_CTX, false).unwrap_err(), Error::TimedOut);
        assert!(idle(&a));
        // A send on a closed socket gives its message back.
        a.close().unwrap();
        let (e, m) = a
            .send_msg(SOCKET_CTX, Msg::from_slice(b"kept"), false)
            .unwrap_err();
        assert_eq!((e, m.body()), (Error::Closed, &b"kept"[..]));
        assert_eq!(a.recv_msg(SOCKET_CTX, false).unwrap_err(), Error::Closed);
    }

    #[test]
    fn a_threads_last_lookup_never_outlives_a_close() {
        let open =
            || Socket::open(Box::new(crate::protocol::pair0::Socket::new(false, 1))).unwrap();
        let (a, b) = (open(), open());
        // Found twice (the second time from the thread's last lookup).
        assert!(Arc::ptr_eq(&socket(a.id()).unwrap(), &a));
        assert!(Arc::ptr_eq(&socket(a.id()).unwrap(), &a));
        // Another thread closes `a`: this thread's next lookup of `a`
        // fails although `a` is still alive here and was its last lookup.
        let id = a.id();
        std::thread::spawn(move || socket(id).unwrap().close().unwrap())
            .join()
            .unwrap();
        assert!(matches!(socket(a.id()), Err(Error::Closed)));
        assert!(matches!(a.close(), Err(Error::Closed)));
        // Other sockets are still found, and cached in turn.
        assert!(Arc::ptr_eq(&socket(b.id()).unwrap(), &b));
        assert!(Arc::ptr_eq(&socket(b.id()).unwrap(), &b));
        b.close().unwrap();
        assert!(matches!(socket(b.id()), Err(Error::Closed)));
        assert!(matches!(socket(0), Err(Error::Closed)));
    }
}
