//! SP over a connected stream socket, the machinery shared by the tcp and
//! ipc transports: finishing a non-blocking connect, the 8-byte header
//! exchange, and the pipe that frames messages (WIRE.md §3, §4).
//!
//! A [`Conn`] is one connection from its first readiness event to its
//! close: one reactor registration (edge-triggered, read and write) serves
//! every phase (`Connecting`, `Nego`, `Open`, `Closed`). Its state sits
//! under one mutex; no callback (pipe events, endpoint hooks) is ever called
//! with it held: each step collects what to report (an `Out`) and reports
//! it after unlocking.
//!
//! Threads: reads and queued writes run on the poller thread that reports
//! the connection's readiness (or a task thread if the poller cannot be
//! woken); direct writes, and reads started by an armed receive, on the
//! caller's thread. `sent` and `received` are reported from
//! whichever thread made the progress; a new pipe is handed to the socket
//! layer, and a close is reported, on a task thread, because both run
//! pipe-event callbacks (user code that may block) and a poller must not
//! block.
//!
//! Fast paths:
//! - Send: a lone send on an idle pipe is written by the caller's thread
//!   (one non-blocking vectored write of prefix, header and body). Sends
//!   that follow each other closer than `FLOOD_GAP_NS` (10 us: a flood) are only
//!   queued, and the poller (woken once by re-arming the registration) writes
//!   the queue in batches, many frames per write, while the sender goes on
//!   producing; large frames are always written by their sender. Writes run
//!   with the lock dropped (a `writing` flag keeps the frames in order), so
//!   a sender queueing never waits for a write. Whatever the kernel does not
//!   take stays queued for the poller's next writability edge. While the
//!   queue holds at most [`TX_SOFT_LIMIT`] bytes, a queued send is reported
//!   done at once (as if the kernel buffer were that much larger), so the
//!   protocol can hand over the next message and batching happens.
//!   On plain sockets the socket layer queues the frame under its own lock
//!   ([`TranPipe::queue`]: no system call, no callback), so the protocol
//!   learns at once that the pipe takes more, and the write or the
//!   poller's wake-up follows once that lock is dropped
//!   ([`TranPipe::flush`]).
//! - Receive: one read takes what is available (into a per-thread scratch
//!   buffer, or for large bodies straight into the message), and every
//!   complete frame in it is decoded. Messages wait in the pipe until the
//!   socket asks for them (one per armed receive); reading stops while they
//!   wait (back-pressure).
//!
//! [`DialCore`] and [`Acceptor`] are the endpoint halves: a dialer's single
//! pending attempt, and a listener's accept loop with connections
//! negotiating in parallel and finished ones queued until the socket
//! accepts them.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::{self, IoSlice};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::sp::{self, Decoder, Framing, Prefix};
use super::{PipeCallback, PipeEvents, Queued, TranPipe};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::runtime::reactor::{
    self, Handler, Interest, Ready, ReadyGuard, ReadyMutex, Registration,
};
use crate::runtime::sync::lock;
use crate::runtime::timer::Timer;
use crate::runtime::{sys, taskq};
use crate::supplemental::tls::{self as tlscfg, Config as TlsConfig};

/// How long the SP header exchange may take (upstream: 10 s).
pub const NEGO_TIMEOUT_MS: u64 = 10_000;

/// Bytes a pipe may queue beyond the kernel's buffer before a send is no
/// longer reported done at once.
pub const TX_SOFT_LIMIT: usize = 128 * 1024;

/// Bodies of at least this many bytes are read straight into the message
/// instead of through the scratch buffer.
const DIRECT_MIN: usize = 16 * 1024;

/// A unix-socket (ipc) connection that sends a frame of this many bytes or
/// more gets a send buffer of [`UNIX_SNDBUF`] bytes.
const GROW_MIN: usize = 32 * 1024;

/// The send buffer of an ipc connection carrying large frames. The
/// kernel's default (`net.core.wmem_default`, 208 KiB) holds three 64 KiB
/// messages, so the writer and the reader keep waiting for each other;
/// TCP grows its buffers by itself (`tcp_wmem`, up to 4 MiB), unix
/// sockets do not. Connections that carry only small messages keep the
/// default: it bounds how much a slow reader holds back (push/pull
/// balancing).
const UNIX_SNDBUF: i32 = 1 << 20;

/// Size of the per-thread read buffer.
const SCRATCH: usize = 64 * 1024;

/// Buffers per vectored write (three per frame: prefix, header, body).
const MAX_IOV: usize = 256;

/// Size of the per-thread buffer that small frames are copied into for
/// one write ([`gather_staged`]).
const STAGE: usize = 64 * 1024;

/// Frame parts up to this size are copied into the staging buffer.
const STAGE_PART_MAX: usize = 512;

/// Sends closer together than this (ns) are a flood: they are queued and
/// written in batches by a task rather than one write each by the sender.
/// A lone send, or one per round trip, is written at once.
pub const FLOOD_GAP_NS: u64 = 10_000;

/// Backlog of listening sockets (upstream's 128).
pub const BACKLOG: i32 = 128;

/// Options an endpoint hands to its connections.
#[derive(Debug)]
pub struct EpOpts {
    /// `NNG_OPT_RECVMAXSZ` (0: no limit).
    pub rcvmax: AtomicUsize,
    /// `NNG_OPT_TCP_NODELAY` (default true).
    pub nodelay: AtomicBool,
    /// `NNG_OPT_TCP_KEEPALIVE` (default false).
    pub keepalive: AtomicBool,
    /// The TLS configuration of a `tls+tcp` endpoint (`None`: plain).
    pub tls: Mutex<Option<Arc<TlsConfig>>>,
}

impl Default for EpOpts {
    fn default() -> EpOpts {
        EpOpts {
            rcvmax: AtomicUsize::new(0),
            nodelay: AtomicBool::new(true),
            keepalive: AtomicBool::new(false),
            tls: Mutex::new(None),
        }
    }
}

impl EpOpts {
    /// Sets one of the shared options; `Ok(false)` if `name` is not one.
    pub fn set(&self, name: &str, val: &OptValue, tcp: bool) -> Result<bool> {
        match name {
            "recv-size-max" => {
                let v = val.as_size()?;
                if v > 0xffff_ffff {
                    return Err(Error::Inval);
                }
                self.rcvmax.store(v, Ordering::Relaxed);
            }
            "tcp-nodelay" if tcp => self.nodelay.store(val.as_bool()?, Ordering::Relaxed),
            "tcp-keepalive" if tcp => self.keepalive.store(val.as_bool()?, Ordering::Relaxed),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Reads one of the shared options (`None` if `name` is not one).
    pub fn get(&self, name: &str, tcp: bool) -> Option<OptValue> {
        Some(match name {
            "recv-size-max" => OptValue::Size(self.rcvmax.load(Ordering::Relaxed)),
            "tcp-nodelay" if tcp => OptValue::Bool(self.nodelay.load(Ordering::Relaxed)),
            "tcp-keepalive" if tcp => OptValue::Bool(self.keepalive.load(Ordering::Relaxed)),
            _ => return None,
        })
    }
}

/// What kind of socket a connection is, for its options.
#[derive(Clone, Debug)]
pub enum Kind {
    /// TCP: addresses from the socket, `TCP_NODELAY`/`SO_KEEPALIVE`.
    Tcp,
    /// UNIX domain: the endpoint's address (both local and remote, as
    /// upstream), peer credentials.
    Ipc(SockAddr),
    /// A descriptor handed over by the application (`socket://`): no
    /// addresses (`NNG_AF_UNSPEC`, as upstream), peer credentials.
    Fd,
}

/// Called once when a connection's setup ends: `Ok` once the headers were
/// exchanged, else why it failed (the connection is closed then).
pub type Hook = Box<dyn FnOnce(Arc<Conn>, Result<()>) + Send>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Connecting,
    Nego,
    Open,
    Closed,
}

struct TxFrame {
    pre: Prefix,
    msg: Msg,
}

impl TxFrame {
    fn len(&self) -> usize {
        self.pre.as_bytes().len() + self.msg.header().len() + self.msg.len()
    }
}

struct State {
    phase: Phase,
    hook: Option<Hook>,
    timer: Option<Timer>,
    /// Edge-triggered readiness, remembered until `EAGAIN` (or a short
    /// read/write) says it is gone.
    readable: bool,
    writable: bool,
    /// The peer hung up or the socket has an error: keep reading until the
    /// read reports it (no further edge will come).
    hup: bool,
    hdr_out: usize,
    hdr_in: [u8; sp::HEADER_LEN],
    hdr_got: usize,
    peer: u16,
    txq: VecDeque<TxFrame>,
    /// An empty queue kept for its capacity (swapped with `txq` by a
    /// writer taking a batch).
    txspare: VecDeque<TxFrame>,
    /// Bytes of `txq[0]` already written.
    tx_off: usize,
    /// A thread is writing a batch taken from `txq` with the lock dropped:
    /// nobody else writes until it is done (frames keep their order).
    writing: bool,
    /// A flush is asked of the poller (or a task) and has not started yet.
    flush_sched: bool,
    /// Writability edges seen (a writer that hit `EAGAIN` with the lock
    /// dropped re-checks this before waiting for the next edge).
    wr_gen: u64,
    /// When the previous send that found the pipe idle came, or the
    /// poller last wrote queued frames (monotonic ns): to tell a flood of
    /// sends from lone ones.
    last_send: u64,
    /// Unwritten bytes in `txq`.
    tx_bytes: usize,
    /// Where the send buffer stands for large frames (unix sockets).
    sndbuf: SndBuf,
    /// The current send has not been reported done yet.
    sent_owed: bool,
    /// What [`Conn::flush_queued`] is to do for the frames
    /// [`Conn::queue`] took.
    next: Next,
    dec: Decoder,
    rxq: VecDeque<Msg>,
    armed: bool,
    /// The socket layer called `start`: events may be reported. Until
    /// then a completed send stays owed and received messages wait.
    started: bool,
    /// The read side ended (end of stream or error): close once `rxq` is
    /// delivered.
    rx_end: bool,
    /// The TLS session of a `tls+tcp` connection: all bytes pass through it.
    tls: Option<Box<TlsSess>>,
}

/// An ipc connection's send buffer (see [`UNIX_SNDBUF`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SndBuf {
    /// The kernel's default.
    Default,
    /// A large frame was queued: the next writer grows the buffer.
    GrowOwed,
    /// Grown (or being grown by a writer).
    Grown,
}

/// The I/O owed after [`Conn::queue`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Next {
    /// None: a writer (or the poller, at its next edge) takes the frames.
    Nothing,
    /// A flood: have the poller write the queue.
    Kick,
    /// A lone send on an idle pipe: write it on this thread.
    Drain,
}

/// What a locked step found to report once the lock is dropped.
#[derive(Default)]
struct Out {
    hook: Option<(Hook, Result<()>)>,
    timer: Option<Timer>,
    sent: bool,
    msg: Option<Msg>,
    closed: bool,
}

/// One connection (see the module docs).
pub struct Conn {
    fd: OwnedFd,
    framing: Framing,
    kind: Kind,
    /// The header exchange has a time limit (not for `socket://`).
    timed: bool,
    own_hdr: [u8; sp::HEADER_LEN],
    reg: OnceLock<Registration>,
    events: OnceLock<Arc<dyn PipeEvents>>,
    close_reported: AtomicBool,
    st: ReadyMutex<State>,
    me: Weak<Conn>,
}

impl Conn {
    /// A connection over `fd` (non-blocking, connected or connecting),
    /// speaking `framing` for protocol `proto`. Nothing happens until
    /// [`Conn::start`].
    pub fn new(
        fd: OwnedFd,
        framing: Framing,
        kind: Kind,
        proto: u16,
        connecting: bool,
    ) -> Arc<Conn> {
        Conn::build(fd, framing, kind, proto, connecting, true)
    }

    /// Like [`Conn::new`] for a connected descriptor whose header exchange
    /// may take any time (`socket://`, as upstream).
    pub fn untimed(fd: OwnedFd, framing: Framing, kind: Kind, proto: u16) -> Arc<Conn> {
        Conn::build(fd, framing, kind, proto, false, false)
    }

    fn build(
        fd: OwnedFd,
        framing: Framing,
        kind: Kind,
        proto: u16,
        connecting: bool,
        timed: bool,
    ) -> Arc<Conn> {
        Arc::new_cyclic(|me| Conn {
            fd,
            framing,
            kind,
            timed,
            own_hdr: sp::header(proto),
            reg: OnceLock::new(),
            events: OnceLock::new(),
            close_reported: AtomicBool::new(false),
            st: ReadyMutex::new(State {
                phase: if connecting {
                    Phase::Connecting
                } else {
                    Phase::Nego
                },
                hook: None,
                timer: None,
                readable: true,
                writable: !connecting,
                hup: false,
                hdr_out: 0,
                hdr_in: [0; sp::HEADER_LEN],
                hdr_got: 0,
                peer: 0,
                txq: VecDeque::new(),
                txspare: VecDeque::new(),
                tx_off: 0,
                writing: false,
                flush_sched: false,
                wr_gen: 0,
                last_send: 0,
                tx_bytes: 0,
                sndbuf: SndBuf::Default,
                sent_owed: false,
                next: Next::Nothing,
                dec: Decoder::new(framing, 0),
                rxq: VecDeque::new(),
                armed: false,
                started: false,
                rx_end: false,
                tls: None,
            }),
            me: me.clone(),
        })
    }

    fn lock(&self) -> ReadyGuard<'_, State> {
        self.st.lock(&self.reg, self.fd.as_fd())
    }

    /// Registers with the reactor and starts connecting or exchanging
    /// headers; `hook` gets the outcome (possibly before this returns). On
    /// error the hook is dropped uncalled and the connection closed.
    pub fn start(self: &Arc<Self>, hook: Hook) -> Result<()> {
        {
            // Before registering: the first event may come at once.
            let mut st = self.lock();
            st.hook = Some(hook);
            let me = self.me.clone();
            let timer = Timer::new(move || {
                if let Some(c) = me.upgrade() {
                    c.nego_timeout();
                }
            });
            if st.phase == Phase::Nego && self.timed {
                timer.schedule_in(NEGO_TIMEOUT_MS);
            }
            st.timer = Some(timer);
        }
        let weak: Weak<dyn Handler> = self.me.clone();
        match reactor::register(self.fd.as_fd(), Interest::ReadWrite, weak) {
            Ok(reg) => {
                let _ = self.reg.set(reg);
            }
            Err(e) => {
                let (hook, timer) = {
                    let mut st = self.lock();
                    st.phase = Phase::Closed;
                    (st.hook.take(), st.timer.take())
                };
                drop((hook, timer));
                return Err(e);
            }
        }
        let mut out = Out::default();
        {
            let mut st = self.lock();
            match st.phase {
                Phase::Connecting => self.check_connect(&mut st, &mut out),
                Phase::Nego => self.nego(&mut st, &mut out),
                _ => {}
            }
        }
        self.finish(out);
        Ok(())
    }

    /// Makes this (not yet started) connection a TLS client: the handshake
    /// runs before the SP header exchange, within its time limit. `name` is
    /// the server name to verify and send (the configuration's, if it has
    /// one, else the URL host). The configuration becomes read-only.
    pub fn use_tls_client(&self, cfg: Arc<TlsConfig>, name: &str) -> Result<()> {
        let name = cfg.server_name().unwrap_or_else(|| name.to_owned());
        let name = rustls::pki_types::ServerName::try_from(name).map_err(|_| Error::AddrInval)?;
        let conn = rustls::ClientConnection::new(cfg.client()?, name.clone())
            .map_err(|e| tlscfg::map_error(&e))?;
        self.lock().tls = Some(Box::new(TlsSess {
            conn: conn.into(),
            cfg,
            name,
            err: None,
        }));
        Ok(())
    }

    /// Makes this (not yet started) connection a TLS server (see
    /// [`Conn::use_tls_client`]).
    pub fn use_tls_server(&self, cfg: Arc<TlsConfig>) -> Result<()> {
        let conn =
            rustls::ServerConnection::new(cfg.server()?).map_err(|e| tlscfg::map_error(&e))?;
        self.lock().tls = Some(Box::new(TlsSess {
            conn: conn.into(),
            cfg,
            name: rustls::pki_types::ServerName::try_from("localhost")
                .map_err(|_| Error::Internal)?,
            err: None,
        }));
        Ok(())
    }

    /// `NNG_OPT_TLS_VERIFIED` of a TLS connection (`None`: not TLS).
    fn tls_verified(&self) -> Option<bool> {
        let st = self.lock();
        let t = st.tls.as_ref()?;
        let chain = t.conn.peer_certificates().unwrap_or(&[]);
        Some(t.cfg.verify_peer(chain, &t.name))
    }

    /// `NNG_OPT_TLS_PEER_CN`: the common name of the peer's certificate
    /// (`NNG_ENOTSUP` without TLS, `NNG_ENOENT` without a certificate or
    /// common name).
    fn tls_peer_cn(&self) -> Result<OptValue> {
        let st = self.lock();
        let t = st.tls.as_ref().ok_or(Error::NotSup)?;
        let leaf = t
            .conn
            .peer_certificates()
            .and_then(|c| c.first())
            .ok_or(Error::NoEnt)?;
        tlscfg::subject_cn(leaf)
            .map(OptValue::Str)
            .ok_or(Error::NoEnt)
    }

    /// `NNG_OPT_TLS_PEER_ALT_NAMES`: the DNS names of the peer's certificate
    /// (`NNG_ENOTSUP` without TLS; an empty list, NULL in C, without a
    /// certificate or names, as upstream).
    fn tls_peer_alt_names(&self) -> Result<OptValue> {
        let st = self.lock();
        let t = st.tls.as_ref().ok_or(Error::NotSup)?;
        let names = t
            .conn
            .peer_certificates()
            .and_then(|c| c.first())
            .map(|leaf| tlscfg::subject_alt_dns_names(leaf))
            .unwrap_or_default();
        Ok(OptValue::StrList(names))
    }

    /// Sets the receive size limit (from the endpoint, at hand-over).
    pub fn set_recv_max(&self, max: usize) {
        self.lock().dec.set_max(max);
    }

    /// The peer's protocol number (valid once the headers were exchanged).
    pub fn peer(&self) -> u16 {
        self.lock().peer
    }

    /// Closes the connection; reports `closed` to a started pipe, and
    /// `Err(err)` to a hook still waiting.
    pub fn close_with(&self, err: Error) {
        let mut out = Out::default();
        self.close_locked(&mut self.lock(), &mut out, err);
        self.finish(out);
    }

    /// Reads a pipe option of this connection (`NNG_ENOTSUP` if it has no
    /// such option).
    pub fn option(&self, name: &str) -> Result<OptValue> {
        let fd = self.fd.as_fd();
        if name == "tls-verified" {
            return self.tls_verified().map(OptValue::Bool).ok_or(Error::NotSup);
        }
        if name == "tls-peer-cn" {
            return self.tls_peer_cn();
        }
        if name == "tls-peer-alt-names" {
            return self.tls_peer_alt_names();
        }
        match (&self.kind, name) {
            (Kind::Tcp, "local-address") => Ok(OptValue::Addr(inet_addr(sys::local_addr(fd)?)?)),
            (Kind::Tcp, "remote-address") => Ok(OptValue::Addr(inet_addr(sys::peer_addr(fd)?)?)),
            (Kind::Tcp, "tcp-nodelay") => Ok(OptValue::Bool(sys::tcp_nodelay(fd)?)),
            (Kind::Tcp, "tcp-keepalive") => Ok(OptValue::Bool(sys::keepalive(fd)?)),
            (Kind::Ipc(a), "local-address" | "remote-address") => Ok(OptValue::Addr(a.clone())),
            (Kind::Fd, "local-address" | "remote-address") => Ok(OptValue::Addr(SockAddr::Unspec)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-uid") => Ok(OptValue::U64(sys::peer_cred(fd)?.1)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-gid") => Ok(OptValue::U64(sys::peer_cred(fd)?.2)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-pid") => Ok(OptValue::U64(sys::peer_cred(fd)?.0)),
            _ => Err(Error::NotSup),
        }
    }

    // -- pipe operations (TranPipe) --------------------------------------

    fn start_events(&self, events: Arc<dyn PipeEvents>) {
        let _ = self.events.set(events);
        let mut out = Out::default();
        {
            let mut st = self.lock();
            st.started = true;
            if st.phase == Phase::Closed {
                out.closed = true;
            } else {
                // What happened between hand-over and start.
                settle_sent(&mut st, &mut out);
                self.pump_rx(&mut st, &mut out);
            }
        }
        self.finish(out);
    }

    /// Queues `msg` as a frame; true if it is a small one (worth batching
    /// in a flood: large frames gain nothing from it, their sender writes
    /// them).
    fn push_frame(&self, st: &mut State, msg: Msg) -> bool {
        let frame = TxFrame {
            pre: Prefix::of(self.framing, &msg),
            msg,
        };
        let small = frame.len() < DIRECT_MIN;
        if frame.len() >= GROW_MIN
            && st.sndbuf == SndBuf::Default
            && matches!(self.kind, Kind::Ipc(_))
        {
            st.sndbuf = SndBuf::GrowOwed;
        }
        st.tx_bytes += frame.len();
        st.txq.push_back(frame);
        small
    }

    /// Whether a send that finds the pipe idle is part of a flood: a small
    /// frame closer than `FLOOD_GAP_NS` after the previous such send or
    /// the poller's last write of queued ones. Sends that find a write or
    /// a flush under way are batched anyway and do not read the clock.
    fn flood(st: &mut State, small: bool) -> bool {
        let now = crate::runtime::clock::now_ns();
        let flood = small && now.wrapping_sub(st.last_send) < FLOOD_GAP_NS;
        st.last_send = now;
        flood
    }

    fn send(&self, msg: Msg) {
        let mut out = Out::default();
        let mut st = self.lock();
        if st.phase != Phase::Open {
            return;
        }
        let small = self.push_frame(&mut st, msg);
        st.sent_owed = true;
        if st.tls.is_some() {
            // TLS: records are written with the lock held. A lone send is
            // written now; a flood is left to the poller, which writes the
            // queue in one go: one record (and one write) for many small
            // messages instead of one each.
            if st.writable && !Self::flood(&mut st, small) {
                self.pump_tx(&mut st, &mut out);
            } else {
                if st.writable && !st.flush_sched {
                    st.flush_sched = true;
                    self.kick_flush();
                }
                settle_sent(&mut st, &mut out);
            }
            drop(st);
            return self.finish(out);
        }
        if st.writing || !st.writable {
            // The writer, or the poller on the next writability edge,
            // takes the frame with the others.
            settle_sent(&mut st, &mut out);
        } else if st.flush_sched || Self::flood(&mut st, small) {
            // Sends come faster than one write each: let the poller write
            // them in batches while this thread goes on producing (a task
            // if the registration cannot be re-armed).
            if !st.flush_sched {
                st.flush_sched = true;
                self.kick_flush();
            }
            settle_sent(&mut st, &mut out);
        } else {
            // A lone send on an idle pipe: write it on this thread now.
            return self.drain(st, out, false);
        }
        drop(st);
        self.finish(out)
    }

    /// [`TranPipe::queue`]: the first half of [`Conn::send`] (plain
    /// sockets), under the socket's lock; what to do next is left in
    /// `st.next` for [`Conn::flush_queued`].
    fn queue(&self, msg: Msg) -> std::result::Result<Queued, Msg> {
        let mut st = self.lock();
        if st.phase != Phase::Open || st.tls.is_some() || !st.started {
            return Err(msg);
        }
        let small = self.push_frame(&mut st, msg);
        st.next = if st.writing || !st.writable || st.flush_sched {
            Next::Nothing
        } else if Self::flood(&mut st, small) {
            Next::Kick
        } else {
            Next::Drain
        };
        let ready = st.tx_bytes <= TX_SOFT_LIMIT;
        st.sent_owed = !ready;
        Ok(Queued {
            ready,
            flush: st.next != Next::Nothing,
        })
    }

    /// The second half of [`Conn::send`] after [`Conn::queue`]: a lone
    /// send is written on this thread, a flood is left to the poller.
    fn flush_queued(&self) {
        let mut st = self.lock();
        match std::mem::replace(&mut st.next, Next::Nothing) {
            Next::Nothing => {}
            Next::Kick => {
                if st.phase == Phase::Open && !st.flush_sched {
                    st.flush_sched = true;
                    drop(st);
                    self.kick_flush();
                }
            }
            Next::Drain => self.drain(st, Out::default(), false),
        }
    }

    /// Writes the queued frames (plain sockets), in batches of many frames
    /// per vectored write, with the lock dropped during each write; stops
    /// when the queue is empty or the socket is full. Reports what is due
    /// (`out`, and the send being done) with no lock held. `batched`: the
    /// poller (or a task) writes frames that sends left to it, and stamps
    /// the time for [`Conn::flood`].
    fn drain<'a>(&'a self, mut st: ReadyGuard<'a, State>, mut out: Out, batched: bool) {
        let fd = self.fd.as_fd();
        loop {
            if st.phase != Phase::Open || st.writing || !st.writable || st.txq.is_empty() {
                break;
            }
            let spare = std::mem::take(&mut st.txspare);
            let mut batch = std::mem::replace(&mut st.txq, spare);
            let off = std::mem::take(&mut st.tx_off);
            let gen = st.wr_gen;
            st.writing = true;
            let grow = st.sndbuf == SndBuf::GrowOwed;
            if grow {
                st.sndbuf = SndBuf::Grown;
            }
            drop(st);
            if grow {
                // Best effort: the kernel caps it at `net.core.wmem_max`.
                let _ = sys::set_int_opt(fd, libc::SOL_SOCKET, libc::SO_SNDBUF, UNIX_SNDBUF);
            }
            let (r, asked) = STAGE_BUF.with(|stage| {
                let mut stage = stage.borrow_mut();
                let mut iov = [IoSlice::new(&[]); MAX_IOV];
                let (cnt, asked) = gather_staged(&batch, off, &mut stage, &mut iov);
                loop {
                    match sys::write_vectored(fd, &iov[..cnt]) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        r => break (r, asked),
                    }
                }
            });
            st = self.lock();
            st.writing = false;
            if st.phase != Phase::Open {
                // Closed meanwhile: the frames go with the connection.
                break;
            }
            let n = match r {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
                Err(e) => {
                    drop(batch);
                    self.close_locked(&mut st, &mut out, e.into());
                    break;
                }
            };
            st.tx_bytes -= n;
            let off = consume_frames(&mut batch, off, n);
            // Unwritten frames go back before those queued meanwhile.
            batch.append(&mut st.txq);
            let emptied = std::mem::replace(&mut st.txq, batch);
            st.txspare = emptied;
            st.tx_off = off;
            if n < asked && st.wr_gen == gen {
                // The socket is full: the poller goes on at the next edge
                // (unless one came while we were writing: then try again).
                st.writable = false;
            }
            if st.sent_owed && st.tx_bytes <= TX_SOFT_LIMIT && st.started && !st.txq.is_empty() {
                // Let the sender go on while this thread writes the rest.
                settle_sent(&mut st, &mut out);
                drop(st);
                self.finish(std::mem::take(&mut out));
                st = self.lock();
            }
        }
        if batched {
            st.last_send = crate::runtime::clock::now_ns();
        }
        settle_sent(&mut st, &mut out);
        drop(st);
        self.finish(out);
    }

    /// Has the poller write the queue soon (woken by re-arming the
    /// registration, or a task if it cannot be re-armed).
    fn kick_flush(&self) {
        let kicked = self.reg.get().is_some_and(|r| r.rearm(self.fd.as_fd()));
        if !kicked {
            if let Some(me) = self.me.upgrade() {
                taskq::dispatch(me);
            }
        }
    }

    /// A dispatched flush: writes what the sender queued.
    fn flush(&self) {
        let mut st = self.lock();
        st.flush_sched = false;
        if st.tls.is_some() {
            let mut out = Out::default();
            if st.phase == Phase::Open && st.writable {
                self.pump_tx(&mut st, &mut out);
            }
            drop(st);
            return self.finish(out);
        }
        self.drain(st, Out::default(), true);
    }

    fn recv(&self) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase != Phase::Open {
                return;
            }
            st.armed = true;
            self.pump_rx(&mut st, &mut out);
        }
        self.finish(out);
    }

    // -- steps, under the lock -------------------------------------------

    fn check_connect(&self, st: &mut State, out: &mut Out) {
        if !st.writable && !st.hup {
            return;
        }
        match sys::take_error(self.fd.as_fd()) {
            Ok(0) => {
                st.phase = Phase::Nego;
                st.writable = true;
                self.begin_nego(st, out);
            }
            Ok(libc::EINPROGRESS) | Ok(libc::EALREADY) => st.writable = false,
            Ok(e) => self.close_locked(st, out, connect_error(e)),
            Err(e) => self.close_locked(st, out, e.into()),
        }
    }

    /// Connected (after connecting): the header exchange starts, and its
    /// time limit.
    fn begin_nego(&self, st: &mut State, out: &mut Out) {
        if let Some(t) = st.timer.as_ref().filter(|_| self.timed) {
            t.schedule_in(NEGO_TIMEOUT_MS);
        }
        self.nego(st, out);
    }

    fn nego(&self, st: &mut State, out: &mut Out) {
        let fd = self.fd.as_fd();
        if let Some(t) = st.tls.as_mut() {
            // Handshake records still owed to the peer.
            if let Err(e) = t.flush(fd) {
                if e.kind() != io::ErrorKind::WouldBlock {
                    let err = nego_error(tls_error(&mut st.tls, e));
                    return self.close_locked(st, out, err);
                }
            }
        }
        while st.hdr_out < sp::HEADER_LEN {
            let hdr = [IoSlice::new(&self.own_hdr[st.hdr_out..])];
            match io_writev(fd, &mut st.tls, &hdr) {
                Ok(n) => st.hdr_out += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    st.writable = false;
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let err = nego_error(tls_error(&mut st.tls, e));
                    return self.close_locked(st, out, err);
                }
            }
        }
        while st.hdr_got < sp::HEADER_LEN && st.readable {
            let got = st.hdr_got;
            let s = &mut *st;
            match io_read(fd, &mut s.tls, &mut s.hdr_in[got..]) {
                Ok(0) => return self.close_locked(st, out, Error::ConnShut),
                Ok(n) => st.hdr_got += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => st.readable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let err = nego_error(tls_error(&mut st.tls, e));
                    return self.close_locked(st, out, err);
                }
            }
        }
        if st.hdr_got < sp::HEADER_LEN {
            return;
        }
        match sp::parse_header(&st.hdr_in) {
            Ok(peer) => {
                st.peer = peer;
                st.phase = Phase::Open;
                // Frames may follow the header in the same segment.
                st.readable = true;
                out.timer = st.timer.take();
                if let Some(h) = st.hook.take() {
                    out.hook = Some((h, Ok(())));
                }
            }
            Err(e) => self.close_locked(st, out, e),
        }
    }

    fn nego_timeout(&self) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if matches!(st.phase, Phase::Connecting | Phase::Nego) {
                self.close_locked(&mut st, &mut out, Error::TimedOut);
            }
        }
        self.finish(out);
    }

    /// Delivers a waiting message if a receive is armed, else reads while
    /// a receive is armed and data may be there. The end of the stream (or
    /// a bad frame) closes the connection only once a receive asks past
    /// the frames before it: the protocol may hold the last message it got
    /// until its user takes it, and a close now would lose it.
    fn pump_rx(&self, st: &mut State, out: &mut Out) {
        loop {
            if !st.rxq.is_empty() {
                if st.armed && st.started {
                    st.armed = false;
                    out.msg = st.rxq.pop_front();
                }
                return;
            }
            if !st.armed {
                return;
            }
            if st.rx_end {
                return self.close_locked(st, out, Error::Closed);
            }
            if !st.readable {
                return;
            }
            let r = self.read_some(st);
            match r {
                Ok(0) => st.rx_end = true,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => st.readable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => st.rx_end = true,
            }
        }
    }

    /// One read, decoding every complete frame of it into `rxq`. `Ok(0)`:
    /// end of stream; a decoding error counts as an I/O error.
    fn read_some(&self, st: &mut State) -> io::Result<usize> {
        let fd = self.fd.as_fd();
        let s = &mut *st;
        let rxq = &mut s.rxq;
        let mut push = |m: Msg| rxq.push_back(m);
        let hint = s.dec.read_hint(DIRECT_MIN).min(SCRATCH);
        let tls = &mut s.tls;
        let direct = s
            .dec
            .read_direct(DIRECT_MIN, |buf| io_read_uninit(fd, tls, buf), &mut push)
            .map_err(io_err)?;
        let (n, asked) = if let Some(r) = direct {
            r?
        } else {
            let r = SCRATCH_BUF.with(|b| {
                let mut b = b.borrow_mut();
                let n = io_read(fd, &mut s.tls, &mut b[..hint])?;
                let fed = s.dec.feed(&b[..n], &mut push);
                Ok::<_, io::Error>((n, fed))
            })?;
            let (n, fed) = r;
            if let Err(e) = fed {
                self.log_bad_frame(e, &s.dec);
                return Err(io_err(e));
            }
            (n, hint)
        };
        if n > 0 && n < asked && !s.hup && s.tls.is_none() {
            // A short read drained the socket (stream sockets, epoll(7));
            // through TLS only `EAGAIN` tells.
            s.readable = false;
        }
        Ok(n)
    }

    fn log_bad_frame(&self, e: Error, dec: &Decoder) {
        if e != Error::MsgSize {
            return;
        }
        let from = match &self.kind {
            Kind::Tcp => sys::peer_addr(self.fd.as_fd())
                .ok()
                .and_then(|a| a.to_inet())
                .map_or_else(
                    || "TCP unknown".to_owned(),
                    |a| format!("TCP {}", SockAddr::from(a)),
                ),
            Kind::Ipc(_) | Kind::Fd => match sys::peer_cred(self.fd.as_fd()) {
                Ok((pid, _, _)) => format!("IPC from PID {pid}"),
                Err(_) => "IPC".to_owned(),
            },
        };
        crate::supplemental::log::warn(
            c"NNG-RCVMAX",
            format_args!(
                "Oversize message of {} bytes (> {}) from {from}",
                dec.rejected_len(),
                dec.max()
            ),
        );
    }

    /// Writes queued frames while the socket takes them.
    fn pump_tx(&self, st: &mut State, out: &mut Out) {
        while !st.txq.is_empty() {
            let mut iov = [IoSlice::new(&[]); MAX_IOV];
            let (cnt, asked) = gather(&st.txq, st.tx_off, &mut iov);
            match io_writev(self.fd.as_fd(), &mut st.tls, &iov[..cnt]) {
                Ok(n) => {
                    consume(st, n);
                    if n < asked {
                        st.writable = false;
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    st.writable = false;
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let err = tls_error(&mut st.tls, e);
                    return self.close_locked(st, out, err);
                }
            }
        }
        if let Some(t) = st.tls.as_mut() {
            match t.flush(self.fd.as_fd()) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => st.writable = false,
                Err(e) => {
                    let err = tls_error(&mut st.tls, e);
                    return self.close_locked(st, out, err);
                }
            }
        }
        settle_sent(st, out);
    }

    fn close_locked(&self, st: &mut State, out: &mut Out, err: Error) {
        if st.phase == Phase::Closed {
            return;
        }
        st.phase = Phase::Closed;
        if let Some(reg) = self.reg.get() {
            reg.deregister(self.fd.as_fd());
        }
        sys::shutdown(self.fd.as_fd());
        out.timer = st.timer.take();
        if let Some(h) = st.hook.take() {
            out.hook = Some((h, Err(err)));
        }
        st.txq.clear();
        st.rxq.clear();
        st.tx_bytes = 0;
        out.closed = true;
    }

    /// Reports what a step found, with no lock held.
    fn finish(&self, out: Out) {
        drop(out.timer);
        if let Some((hook, r)) = out.hook {
            if let Some(me) = self.me.upgrade() {
                hook(me, r);
            }
        }
        if let Some(ev) = self.events.get() {
            if out.sent {
                ev.sent();
            }
            if let Some(m) = out.msg {
                ev.received(m);
            }
        }
        if out.closed {
            self.report_closed();
        }
    }

    /// Reports the close once. On a task thread: the socket layer runs
    /// pipe-removal callbacks (user code, which may block) from it, and a
    /// poller thread must never block.
    fn report_closed(&self) {
        if let Some(ev) = self.events.get() {
            if !self.close_reported.swap(true, Ordering::AcqRel) {
                let ev = ev.clone();
                taskq::spawn(move || ev.closed());
            }
        }
    }
}

impl taskq::Runnable for Conn {
    fn run(self: Arc<Self>) {
        self.flush();
    }
}

impl Handler for Conn {
    fn ready(self: Arc<Self>, ev: Ready) {
        let mut out = Out::default();
        {
            let Some(mut st) = self.st.lock_ready(&self.reg, self.fd.as_fd()) else {
                return;
            };
            if ev.readable() {
                st.readable = true;
            }
            if ev.writable() {
                st.writable = true;
                st.wr_gen += 1;
            }
            if ev.hup() {
                st.hup = true;
            }
            match st.phase {
                Phase::Connecting => self.check_connect(&mut st, &mut out),
                Phase::Nego => self.nego(&mut st, &mut out),
                Phase::Open if st.tls.is_some() => {
                    st.flush_sched = false;
                    let tls_owed = st.tls.as_ref().is_some_and(|t| t.conn.wants_write());
                    if st.writable && (!st.txq.is_empty() || tls_owed) {
                        self.pump_tx(&mut st, &mut out);
                    }
                    self.pump_rx(&mut st, &mut out);
                }
                Phase::Open => {
                    st.flush_sched = false;
                    self.pump_rx(&mut st, &mut out);
                    if st.writable && !st.writing && !st.txq.is_empty() {
                        return self.drain(st, out, true);
                    }
                }
                Phase::Closed => {}
            }
        }
        self.finish(out);
    }
}

thread_local! {
    static SCRATCH_BUF: RefCell<Box<[u8]>> = RefCell::new(vec![0u8; SCRATCH].into_boxed_slice());
    static STAGE_BUF: RefCell<Box<[u8]>> = RefCell::new(vec![0u8; STAGE].into_boxed_slice());
}

/// Where a slice of a staged write comes from.
#[derive(Clone, Copy)]
enum Seg<'a> {
    /// Bytes `start..end` of the staging buffer.
    Staged(usize, usize),
    /// A large body, written from the message itself.
    Own(&'a [u8]),
}

/// [`gather`] for plain sockets: prefixes, headers and bodies of up to
/// [`STAGE_PART_MAX`] bytes are copied, in order, into `stage`, so a flood
/// of small frames goes out as one contiguous slice (the kernel's copy
/// pays per slice, about as much as copying a small body here); larger
/// bodies are written from the message. Returns (slices used, bytes).
fn gather_staged<'a>(
    txq: &'a VecDeque<TxFrame>,
    off: usize,
    stage: &'a mut [u8],
    iov: &mut [IoSlice<'a>; MAX_IOV],
) -> (usize, usize) {
    let mut segs = [Seg::Staged(0, 0); MAX_IOV];
    let mut cnt = 0;
    let mut used = 0;
    let mut bytes = 0;
    for p in unwritten(txq, off) {
        if p.len() <= STAGE_PART_MAX {
            if p.len() > stage.len() - used {
                // The stage is full: enough for one write.
                break;
            }
            stage[used..used + p.len()].copy_from_slice(p);
            match segs[..cnt].last_mut() {
                Some(Seg::Staged(_, end)) if *end == used => *end += p.len(),
                _ if cnt == MAX_IOV => break,
                _ => {
                    segs[cnt] = Seg::Staged(used, used + p.len());
                    cnt += 1;
                }
            }
            used += p.len();
        } else if cnt == MAX_IOV {
            break;
        } else {
            segs[cnt] = Seg::Own(p);
            cnt += 1;
        }
        bytes += p.len();
    }
    let stage: &'a [u8] = stage;
    for (v, seg) in iov.iter_mut().zip(&segs[..cnt]) {
        *v = IoSlice::new(match *seg {
            Seg::Staged(a, b) => &stage[a..b],
            Seg::Own(p) => p,
        });
    }
    (cnt, bytes)
}

/// Fills `iov` with the unwritten bytes of the queued frames, skipping
/// `off` bytes of the first; returns (slices used, bytes). For TLS, whose
/// session copies the slices into records itself; plain sockets use
/// [`gather_staged`].
fn gather<'a>(
    txq: &'a VecDeque<TxFrame>,
    off: usize,
    iov: &mut [IoSlice<'a>; MAX_IOV],
) -> (usize, usize) {
    let mut cnt = 0;
    let mut bytes = 0;
    for p in unwritten(txq, off).take(MAX_IOV) {
        iov[cnt] = IoSlice::new(p);
        cnt += 1;
        bytes += p.len();
    }
    (cnt, bytes)
}

/// The unwritten bytes of the queued frames, part by part (prefix,
/// header, body; empty parts left out), skipping `off` bytes of the first.
fn unwritten(txq: &VecDeque<TxFrame>, mut off: usize) -> impl Iterator<Item = &[u8]> {
    txq.iter()
        .flat_map(|f| [f.pre.as_bytes(), f.msg.header(), f.msg.body()])
        .filter_map(move |part| {
            if off >= part.len() {
                off -= part.len();
                None
            } else {
                let p = &part[off..];
                off = 0;
                Some(p)
            }
        })
}

/// Drops the frames (and part of one) that `n` written bytes covered.
fn consume(st: &mut State, mut n: usize) {
    st.tx_bytes -= n;
    while n > 0 {
        let Some(f) = st.txq.front() else { break };
        let left = f.len() - st.tx_off;
        if n >= left {
            n -= left;
            st.tx_off = 0;
            st.txq.pop_front();
        } else {
            st.tx_off += n;
            n = 0;
        }
    }
}

/// Drops from `batch` the frames (and part of one) that `n` bytes written
/// from offset `off` of its first frame covered; returns the offset into
/// the (new) first frame.
fn consume_frames(batch: &mut VecDeque<TxFrame>, mut off: usize, mut n: usize) -> usize {
    while n > 0 {
        let Some(f) = batch.front() else { break };
        let left = f.len() - off;
        if n >= left {
            n -= left;
            off = 0;
            batch.pop_front();
        } else {
            off += n;
            n = 0;
        }
    }
    off
}

/// Reports the current send done if it is owed and the queue is within
/// its soft limit (and the socket layer started the pipe).
fn settle_sent(st: &mut State, out: &mut Out) {
    if st.sent_owed && st.tx_bytes <= TX_SOFT_LIMIT && st.started {
        st.sent_owed = false;
        out.sent = true;
    }
}

/// Gives a connected pipe to the socket layer, on a task thread: adding a
/// pipe runs pipe-event callbacks (user code, which may block), which a
/// poller thread must never do; and an accept answered at once cannot
/// recurse into the next one.
fn hand_over(conn: Arc<Conn>, done: PipeCallback) {
    taskq::spawn(move || done(Ok(Box::new(Pipe(conn)))));
}

/// The TLS session of a connection.
struct TlsSess {
    conn: rustls::Connection,
    cfg: Arc<TlsConfig>,
    /// The server name verified (clients).
    name: rustls::pki_types::ServerName<'static>,
    /// Why the session failed, for the close (`NNG_EPEERAUTH`, ...).
    err: Option<Error>,
}

/// `Read`/`Write` on a borrowed descriptor, for rustls.
struct FdIo<'a>(std::os::fd::BorrowedFd<'a>);

impl io::Read for FdIo<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        sys::read(self.0, buf)
    }
}

impl io::Write for FdIo<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        sys::write_vectored(self.0, &[IoSlice::new(buf)])
    }
    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        sys::write_vectored(self.0, bufs)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TlsSess {
    /// Writes the records rustls holds; `WouldBlock` if some remain.
    fn flush(&mut self, fd: std::os::fd::BorrowedFd<'_>) -> io::Result<()> {
        while self.conn.wants_write() {
            self.conn.write_tls(&mut FdIo(fd))?;
        }
        Ok(())
    }

    /// Reads plaintext, feeding rustls from the socket as needed. `Ok(0)`:
    /// end of stream; `WouldBlock`: nothing more until the next edge.
    fn read(&mut self, fd: std::os::fd::BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match io::Read::read(&mut self.conn.reader(), buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
            if self.conn.read_tls(&mut FdIo(fd))? == 0 {
                return Ok(0);
            }
            if let Err(e) = self.conn.process_new_packets() {
                self.err = Some(tlscfg::map_error(&e));
                // Tell the peer why (an alert), if the socket takes it.
                let _ = self.flush(fd);
                return Err(io_err(tlscfg::map_error(&e)));
            }
            match self.flush(fd) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Takes plaintext (as much as rustls buffers) and writes records out;
    /// `WouldBlock` while earlier records are still unwritten. The slices
    /// go to rustls together, so many small messages share one record (up
    /// to 16 KiB of plaintext) instead of two records each (header, body).
    fn writev(
        &mut self,
        fd: std::os::fd::BorrowedFd<'_>,
        bufs: &[IoSlice<'_>],
    ) -> io::Result<usize> {
        self.flush(fd)?;
        let mut total = 0;
        // bufs[i][off..] is the first byte not taken yet.
        let (mut i, mut off) = (0, 0);
        let mut rest = [IoSlice::new(&[]); MAX_IOV];
        loop {
            while i < bufs.len() && off == bufs[i].len() {
                i += 1;
                off = 0;
            }
            if i == bufs.len() {
                break;
            }
            let cnt = (bufs.len() - i).min(MAX_IOV);
            rest[0] = IoSlice::new(&bufs[i][off..]);
            rest[1..cnt].copy_from_slice(&bufs[i + 1..i + cnt]);
            let mut n = io::Write::write_vectored(&mut self.conn.writer(), &rest[..cnt])?;
            if n == 0 {
                // Nothing taken even after a flush (rustls holds plaintext
                // until its handshake ends): wait for the next edge.
                break;
            }
            total += n;
            while n > 0 {
                let take = n.min(bufs[i].len() - off);
                off += take;
                n -= take;
                if off == bufs[i].len() {
                    i += 1;
                    off = 0;
                }
            }
            if i == bufs.len() {
                break;
            }
            // rustls's buffer is full: make room. Only `EAGAIN` may stop
            // us (the edge-triggered reactor reports writability again
            // only after it).
            match self.flush(fd) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && total > 0 => return Ok(total),
                Err(e) => return Err(e),
            }
        }
        match self.flush(fd) {
            Ok(()) => Ok(total),
            // The rest goes out on the next writability edge.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(total),
            Err(e) => Err(e),
        }
    }
}

/// A read from the connection, through TLS if it has a session.
fn io_read(
    fd: std::os::fd::BorrowedFd<'_>,
    tls: &mut Option<Box<TlsSess>>,
    buf: &mut [u8],
) -> io::Result<usize> {
    match tls {
        Some(t) => t.read(fd, buf),
        None => sys::read(fd, buf),
    }
}

/// Reads from the connection (through TLS if it has a session) into room
/// that is not initialised yet; returns the part filled. Plain sockets read
/// straight into it; a TLS session needs initialised bytes, so the room is
/// zeroed first.
fn io_read_uninit<'a>(
    fd: std::os::fd::BorrowedFd<'_>,
    tls: &mut Option<Box<TlsSess>>,
    buf: &'a mut [std::mem::MaybeUninit<u8>],
) -> io::Result<&'a mut [u8]> {
    match tls {
        None => sys::read_uninit(fd, buf),
        Some(t) => {
            for b in buf.iter_mut() {
                b.write(0);
            }
            // SAFETY: every byte of `buf` was just initialised above, and
            // MaybeUninit<u8> has the layout of u8.
            let init: &'a mut [u8] =
                unsafe { &mut *(buf as *mut [std::mem::MaybeUninit<u8>] as *mut [u8]) };
            let n = t.read(fd, init)?;
            Ok(&mut init[..n])
        }
    }
}

/// A vectored write to the connection, through TLS if it has a session.
fn io_writev(
    fd: std::os::fd::BorrowedFd<'_>,
    tls: &mut Option<Box<TlsSess>>,
    bufs: &[IoSlice<'_>],
) -> io::Result<usize> {
    match tls {
        Some(t) => t.writev(fd, bufs),
        None => sys::write_vectored(fd, bufs),
    }
}

/// The error an I/O failure closes the connection with: the TLS session's
/// own reason if it failed, else the I/O error's.
fn tls_error(tls: &mut Option<Box<TlsSess>>, e: io::Error) -> Error {
    tls.as_mut()
        .and_then(|t| t.err.take())
        .unwrap_or_else(|| e.into())
}

fn io_err(e: Error) -> io::Error {
    io::Error::other(format!("{e:?}"))
}

fn connect_error(errno: i32) -> Error {
    match errno {
        // No socket file: nobody listens (ipc), as upstream.
        libc::ENOENT => Error::ConnRefused,
        e => Error::from_errno(e),
    }
}

/// During the header exchange a closed connection is `NNG_ECONNSHUT`.
fn nego_error(e: Error) -> Error {
    if e == Error::Closed {
        Error::ConnShut
    } else {
        e
    }
}

fn inet_addr(a: sys::RawAddr) -> Result<SockAddr> {
    a.to_inet().map(SockAddr::from).ok_or(Error::AddrInval)
}

/// A connection handed to the socket layer.
pub struct Pipe(pub Arc<Conn>);

impl TranPipe for Pipe {
    fn peer(&self) -> u16 {
        self.0.peer()
    }
    fn start(&self, events: Arc<dyn PipeEvents>) {
        self.0.start_events(events);
    }
    fn send(&self, msg: Msg) {
        self.0.send(msg);
    }
    fn queue(&self, msg: Msg) -> std::result::Result<Queued, Msg> {
        self.0.queue(msg)
    }
    fn flush(&self) {
        self.0.flush_queued();
    }
    fn recv(&self) {
        self.0.recv();
    }
    fn close(&self) {
        self.0.close_with(Error::Closed);
    }
    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.0.option(name)
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.0.close_with(Error::Closed);
    }
}

// ---------------------------------------------------------------------------
// Dialer side

struct DialState {
    closed: bool,
    gen: u64,
    done: Option<PipeCallback>,
    conn: Option<Arc<Conn>>,
}

/// The pending connection attempt of a dialer (at most one, as upstream:
/// a second `connect` while one runs fails with `NNG_EBUSY`).
pub struct DialCore {
    st: Mutex<DialState>,
    /// Options handed to new connections.
    pub opts: Arc<EpOpts>,
}

impl DialCore {
    /// An idle dialer core.
    pub fn new(opts: Arc<EpOpts>) -> DialCore {
        DialCore {
            st: Mutex::new(DialState {
                closed: false,
                gen: 0,
                done: None,
                conn: None,
            }),
            opts,
        }
    }

    /// Starts an attempt; returns its number, or `None` after completing
    /// `done` with `NNG_ECLOSED` (closed) or `NNG_EBUSY` (one is running).
    pub fn begin(&self, done: PipeCallback) -> Option<u64> {
        let mut st = lock(&self.st);
        let err = if st.closed {
            Error::Closed
        } else if st.done.is_some() {
            Error::Busy
        } else {
            st.gen += 1;
            st.done = Some(done);
            return Some(st.gen);
        };
        drop(st);
        done(Err(err));
        None
    }

    /// Ends attempt `gen` with `err` (if it is still the current one).
    pub fn fail(&self, gen: u64, err: Error) {
        let done = {
            let mut st = lock(&self.st);
            if st.gen != gen {
                return;
            }
            st.conn = None;
            st.done.take()
        };
        if let Some(done) = done {
            done(Err(err));
        }
    }

    /// Runs attempt `gen` over a new socket: starts `conn` (connecting or
    /// connected) with a hook that completes the attempt.
    pub fn attach(self: &Arc<Self>, gen: u64, conn: Arc<Conn>) {
        {
            let mut st = lock(&self.st);
            if st.closed || st.gen != gen || st.done.is_none() {
                drop(st);
                return conn.close_with(Error::Closed);
            }
            st.conn = Some(conn.clone());
        }
        let me = self.clone();
        let hook: Hook = Box::new(move |c, r| me.finish(gen, c, r));
        if let Err(e) = conn.start(hook) {
            self.fail(gen, e);
        }
    }

    fn finish(&self, gen: u64, conn: Arc<Conn>, r: Result<()>) {
        let done = {
            let mut st = lock(&self.st);
            if st.gen != gen {
                None
            } else {
                st.conn = None;
                st.done.take()
            }
        };
        let Some(done) = done else {
            return conn.close_with(Error::Closed);
        };
        match r {
            Ok(()) => {
                conn.set_recv_max(self.opts.rcvmax.load(Ordering::Relaxed));
                hand_over(conn, done);
            }
            Err(e) => done(Err(e)),
        }
    }

    /// Closes: a pending attempt completes with `NNG_ECLOSED`; later ones
    /// fail the same way.
    pub fn close(&self) {
        let (done, conn) = {
            let mut st = lock(&self.st);
            st.closed = true;
            st.gen += 1;
            (st.done.take(), st.conn.take())
        };
        if let Some(c) = conn {
            c.close_with(Error::Closed);
        }
        if let Some(done) = done {
            done(Err(Error::Closed));
        }
    }

    /// Whether the dialer was closed.
    pub fn is_closed(&self) -> bool {
        lock(&self.st).closed
    }
}

// ---------------------------------------------------------------------------
// Listener side

struct AccState {
    closed: bool,
    lfd: Option<OwnedFd>,
    reg: Option<Registration>,
    waiting: Option<PipeCallback>,
    ready: VecDeque<Arc<Conn>>,
    nego: HashMap<usize, Arc<Conn>>,
}

/// Accepts connections on a bound, listening socket and negotiates them.
pub struct Acceptor {
    st: Mutex<AccState>,
    framing: Framing,
    kind: Kind,
    proto: u16,
    opts: Arc<EpOpts>,
    retry: Timer,
    me: Weak<Acceptor>,
}

/// Pause after running out of descriptors or memory (upstream: 10 ms).
const ACCEPT_RETRY_MS: u64 = 10;

impl Acceptor {
    /// Starts accepting on `lfd` (listening, non-blocking). Connections
    /// speak `framing` for protocol `proto`; TCP ones get the endpoint's
    /// `TCP_NODELAY`/`SO_KEEPALIVE`.
    pub fn start(
        lfd: OwnedFd,
        framing: Framing,
        kind: Kind,
        proto: u16,
        opts: Arc<EpOpts>,
    ) -> Result<Arc<Acceptor>> {
        let a = Acceptor::new(framing, kind, proto, opts);
        let weak: Weak<dyn Handler> = a.me.clone();
        let reg = reactor::register(lfd.as_fd(), Interest::Read, weak)?;
        {
            let mut st = lock(&a.st);
            st.lfd = Some(lfd);
            st.reg = Some(reg);
        }
        a.accept_all();
        Ok(a)
    }

    /// An acceptor with no listening socket: connections come from
    /// [`Acceptor::adopt`].
    pub fn new(framing: Framing, kind: Kind, proto: u16, opts: Arc<EpOpts>) -> Arc<Acceptor> {
        Arc::new_cyclic(|me: &Weak<Acceptor>| {
            let weak = me.clone();
            Acceptor {
                st: Mutex::new(AccState {
                    closed: false,
                    lfd: None,
                    reg: None,
                    waiting: None,
                    ready: VecDeque::new(),
                    nego: HashMap::new(),
                }),
                framing,
                kind,
                proto,
                opts,
                retry: Timer::new(move || {
                    if let Some(a) = weak.upgrade() {
                        a.accept_all();
                    }
                }),
                me: me.clone(),
            }
        })
    }

    /// Runs the header exchange (without time limit) on a connected,
    /// non-blocking descriptor; the pipe is then accepted like any other.
    /// `NNG_ECLOSED` once closed (the descriptor is closed).
    pub fn adopt(&self, fd: OwnedFd) -> Result<()> {
        let c = Conn::untimed(fd, self.framing, self.kind.clone(), self.proto);
        {
            let mut st = lock(&self.st);
            if st.closed {
                return Err(Error::Closed);
            }
            st.nego.insert(Arc::as_ptr(&c) as usize, c.clone());
        }
        self.negotiate(c);
        Ok(())
    }

    /// The listening socket's local address.
    pub fn local_addr(&self) -> Result<sys::RawAddr> {
        let st = lock(&self.st);
        let fd = st.lfd.as_ref().ok_or(Error::Closed)?;
        Ok(sys::local_addr(fd.as_fd())?)
    }

    /// Hands the next negotiated connection to `done` (now or when one
    /// comes). `NNG_ECLOSED` once closed, `NNG_EBUSY` if an accept waits.
    pub fn accept(&self, done: PipeCallback) {
        let mut st = lock(&self.st);
        if st.closed {
            drop(st);
            return done(Err(Error::Closed));
        }
        if st.waiting.is_some() {
            drop(st);
            return done(Err(Error::Busy));
        }
        match st.ready.pop_front() {
            Some(c) => {
                drop(st);
                self.hand_over(c, done);
            }
            None => st.waiting = Some(done),
        }
    }

    /// Stops accepting, closes the listening socket (freeing the address)
    /// and every connection not yet handed over; a waiting accept completes
    /// with `NNG_ECLOSED`.
    pub fn close(&self) {
        let (waiting, conns, lfd) = {
            let mut st = lock(&self.st);
            if st.closed {
                return;
            }
            st.closed = true;
            if let (Some(reg), Some(fd)) = (&st.reg, &st.lfd) {
                reg.deregister(fd.as_fd());
            }
            let mut conns: Vec<Arc<Conn>> = st.ready.drain(..).collect();
            conns.extend(st.nego.drain().map(|(_, c)| c));
            (st.waiting.take(), conns, st.lfd.take())
        };
        drop(lfd);
        self.retry.cancel();
        for c in conns {
            c.close_with(Error::Closed);
        }
        if let Some(done) = waiting {
            done(Err(Error::Closed));
        }
    }

    fn hand_over(&self, c: Arc<Conn>, done: PipeCallback) {
        c.set_recv_max(self.opts.rcvmax.load(Ordering::Relaxed));
        hand_over(c, done);
    }

    fn accept_all(&self) {
        loop {
            let conn = {
                let mut st = lock(&self.st);
                if st.closed {
                    return;
                }
                let Some(lfd) = st.lfd.as_ref() else { return };
                match sys::accept(lfd.as_fd()) {
                    Ok(fd) => {
                        if self.kind_is_tcp() {
                            sys::set_tcp_opts(
                                fd.as_fd(),
                                self.opts.nodelay.load(Ordering::Relaxed),
                                self.opts.keepalive.load(Ordering::Relaxed),
                            );
                        }
                        let c = Conn::new(fd, self.framing, self.kind.clone(), self.proto, false);
                        let tls = lock(&self.opts.tls).clone();
                        if let Some(cfg) = tls {
                            if let Err(e) = c.use_tls_server(cfg) {
                                c.close_with(e);
                                continue;
                            }
                        }
                        st.nego.insert(Arc::as_ptr(&c) as usize, c.clone());
                        c
                    }
                    Err(e) => match e.raw_os_error() {
                        Some(libc::EAGAIN) => return,
                        Some(
                            libc::ECONNABORTED | libc::ECONNRESET | libc::EINTR | libc::EPROTO,
                        ) => continue,
                        Some(libc::EMFILE | libc::ENFILE | libc::ENOMEM | libc::ENOBUFS) => {
                            drop(st);
                            self.retry.schedule_in(ACCEPT_RETRY_MS);
                            return;
                        }
                        _ => return,
                    },
                }
            };
            self.negotiate(conn);
        }
    }

    /// Starts the header exchange of a connection already in `nego`.
    fn negotiate(&self, conn: Arc<Conn>) {
        let me = self.me.clone();
        let hook: Hook = Box::new(move |c, r| {
            if let Some(a) = me.upgrade() {
                a.negotiated(c, r);
            }
        });
        if conn.start(hook).is_err() {
            lock(&self.st).nego.remove(&(Arc::as_ptr(&conn) as usize));
        }
    }

    fn kind_is_tcp(&self) -> bool {
        matches!(self.kind, Kind::Tcp)
    }

    fn negotiated(&self, c: Arc<Conn>, r: Result<()>) {
        let mut st = lock(&self.st);
        st.nego.remove(&(Arc::as_ptr(&c) as usize));
        if r.is_err() {
            return;
        }
        if st.closed {
            drop(st);
            return c.close_with(Error::Closed);
        }
        match st.waiting.take() {
            Some(done) => {
                drop(st);
                self.hand_over(c, done);
            }
            None => st.ready.push_back(c),
        }
    }
}

impl Handler for Acceptor {
    fn ready(self: Arc<Self>, _ev: Ready) {
        self.accept_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A connection over one end of a socket pair (the other end is the
    /// test's), its hook reporting to a channel.
    fn conn_pair() -> (Arc<Conn>, UnixStream, mpsc::Receiver<Result<()>>) {
        let (a, b) = UnixStream::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        let c = Conn::new(
            OwnedFd::from(a),
            Framing::Ipc,
            Kind::Ipc(SockAddr::Unspec),
            0x10,
            false,
        );
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        c.start(Box::new(move |_, r| {
            let _ = lock(&tx).send(r);
        }))
        .unwrap();
        (c, b, rx)
    }

    fn our_header(peer: &mut UnixStream) {
        let mut h = [0u8; 8];
        peer.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        peer.read_exact(&mut h).unwrap();
        assert_eq!(h, sp::header(0x10));
    }

    #[test]
    fn header_exchange_reports_the_peer_protocol() {
        let (c, mut peer, rx) = conn_pair();
        our_header(&mut peer);
        peer.write_all(&sp::header(0x11)).unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), Ok(()));
        assert_eq!(c.peer(), 0x11);
    }

    #[test]
    fn peer_closing_during_the_header_exchange_is_connshut() {
        let (_c, mut peer, rx) = conn_pair();
        our_header(&mut peer);
        peer.write_all(&[0, b'S']).unwrap();
        drop(peer);
        let r = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(r, Err(Error::ConnShut));
    }

    #[test]
    fn a_bad_header_is_a_protocol_error() {
        let (_c, mut peer, rx) = conn_pair();
        our_header(&mut peer);
        peer.write_all(b"\0SP\x01\0\x10\0\0").unwrap();
        let r = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(r, Err(Error::Proto));
        // We closed our end.
        let mut rest = Vec::new();
        peer.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty());
    }

    #[test]
    fn the_header_exchange_is_timed_out() {
        let (c, mut peer, rx) = conn_pair();
        our_header(&mut peer);
        // The time limit is armed for NEGO_TIMEOUT_MS from the start...
        let deadline = c.lock().timer.as_ref().and_then(Timer::deadline).unwrap();
        let now = crate::runtime::clock::now_ms();
        assert!(deadline > now + NEGO_TIMEOUT_MS - 1000 && deadline <= now + NEGO_TIMEOUT_MS);
        assert!(rx.try_recv().is_err());
        // ... and its expiry fails the exchange with NNG_ETIMEDOUT.
        c.nego_timeout();
        let r = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(r, Err(Error::TimedOut));
    }

    /// Counts the pipe events of a started connection.
    #[derive(Default)]
    struct Counts {
        sent: AtomicUsize,
        received: AtomicUsize,
        closed: AtomicUsize,
    }

    impl PipeEvents for Counts {
        fn sent(&self) {
            self.sent.fetch_add(1, Ordering::AcqRel);
        }
        fn received(&self, _msg: Msg) {
            self.received.fetch_add(1, Ordering::AcqRel);
        }
        fn closed(&self) {
            self.closed.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// An open connection (headers exchanged) with counted events.
    fn open_pipe() -> (Arc<Conn>, UnixStream, Arc<Counts>) {
        let (c, mut peer, rx) = conn_pair();
        our_header(&mut peer);
        peer.write_all(&sp::header(0x11)).unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), Ok(()));
        let ev = Arc::new(Counts::default());
        c.start_events(ev.clone());
        (c, peer, ev)
    }

    /// Waits until `n` sends were reported done.
    fn wait_sent(ev: &Counts, n: usize) {
        wait_until("sends not done", || ev.sent.load(Ordering::Acquire) >= n);
    }

    /// Waits until `f` holds (or fails the test after 10 s).
    fn wait_until(what: &str, f: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !f() {
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::yield_now();
        }
    }

    fn ipc_frame(body: &[u8]) -> Vec<u8> {
        let mut f = vec![1u8];
        f.extend_from_slice(&(body.len() as u64).to_be_bytes());
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn the_poller_never_waits_for_a_held_connection() {
        // Two connections on the tests' one poller thread. While the
        // first's state is held (as by a caller's read), the poller leaves
        // its readiness to the holder and serves the second; unlocking
        // hands the event back and the frame is read.
        let (a, mut pa, ea) = open_pipe();
        let (b, mut pb, eb) = open_pipe();
        assert_eq!(reactor::pollers(), 1);
        a.recv();
        b.recv();
        let held = a.lock();
        pa.write_all(&ipc_frame(b"to a")).unwrap();
        wait_until("poller left a's event", || a.st.has_missed());
        pb.write_all(&ipc_frame(b"to b")).unwrap();
        wait_until("b served while a is held", || {
            eb.received.load(Ordering::Acquire) == 1
        });
        assert_eq!(ea.received.load(Ordering::Acquire), 0);
        drop(held);
        wait_until("a's frame read after unlock", || {
            ea.received.load(Ordering::Acquire) == 1
        });
        assert!(!a.st.has_missed());
        drop(b);
    }

    /// Reads `n` ipc frames from `peer`; checks frame `i` carries `body(i)`.
    fn read_frames(peer: &mut UnixStream, n: usize, body: impl Fn(usize) -> Vec<u8>) {
        for i in 0..n {
            let mut pre = [0u8; 9];
            peer.read_exact(&mut pre).unwrap();
            assert_eq!(pre[0], 1);
            let len = u64::from_be_bytes(pre[1..].try_into().unwrap()) as usize;
            let mut b = vec![0u8; len];
            peer.read_exact(&mut b).unwrap();
            assert_eq!(b, body(i), "frame {i}");
        }
    }

    #[test]
    fn a_flood_of_sends_arrives_whole_and_in_order() {
        // Back-to-back sends take the batched path (queued, written by the
        // poller); the peer reads slowly enough for the queue to pass its
        // soft limit, so sends are also reported late.
        let (c, mut peer, ev) = open_pipe();
        let n = 20_000;
        let body = |i: usize| {
            let mut b = (i as u32).to_le_bytes().to_vec();
            b.resize(4 + i % 200, 0xa5);
            b
        };
        let reader = std::thread::spawn(move || {
            read_frames(&mut peer, n, body);
            peer
        });
        for i in 0..n {
            // One message in flight at a time (the pipe contract).
            wait_sent(&ev, i);
            c.send(Msg::from_slice(&body(i)));
        }
        wait_sent(&ev, n);
        let _peer = reader.join().unwrap();
        // The peer has every byte, but the writer that took the last batch
        // may not have taken the lock back yet to account for it.
        wait_until("the last write accounted", || !c.lock().writing);
        let st = c.lock();
        assert!(st.txq.is_empty());
        assert_eq!(st.tx_bytes, 0);
    }

    #[test]
    fn a_bad_frame_after_a_good_one_closes_only_when_the_next_is_asked() {
        // Both frames come in one read: the good one is delivered, the
        // oversized one ends the stream. The protocol may hold the good
        // message until its user takes it, so the connection stays up
        // through any event until the protocol asks for the next message.
        let (c, mut peer, ev) = open_pipe();
        c.set_recv_max(4);
        c.recv();
        let mut wire = ipc_frame(b"ABC\0");
        wire.extend_from_slice(&ipc_frame(b"012345"));
        peer.write_all(&wire).unwrap();
        drop(peer);
        wait_until("the good frame delivered", || {
            ev.received.load(Ordering::Acquire) == 1
        });
        c.clone().ready(Ready::all());
        assert_eq!(c.lock().phase, Phase::Open);
        c.recv();
        assert_eq!(c.lock().phase, Phase::Closed);
        wait_until("the close reported", || {
            ev.closed.load(Ordering::Acquire) == 1
        });
        assert_eq!(ev.received.load(Ordering::Acquire), 1);
    }

    #[test]
    fn lone_and_large_sends_are_written_by_the_sender() {
        let (c, mut peer, ev) = open_pipe();
        c.send(Msg::from_slice(b"one"));
        // Written on this thread: nothing left queued, reported done.
        assert!(c.lock().txq.is_empty());
        assert_eq!(ev.sent.load(Ordering::Acquire), 1);
        read_frames(&mut peer, 1, |_| b"one".to_vec());
        let big = vec![7u8; 3 * TX_SOFT_LIMIT];
        c.send(Msg::from_slice(&big));
        let reader = std::thread::spawn(move || {
            read_frames(&mut peer, 1, |_| vec![7u8; 3 * TX_SOFT_LIMIT]);
            peer
        });
        // Past the soft limit: done only once the poller wrote enough.
        wait_sent(&ev, 2);
        let _peer = reader.join().unwrap();
    }

    #[test]
    fn an_ipc_connection_carrying_large_frames_gets_a_larger_send_buffer() {
        let (c, mut peer, ev) = open_pipe();
        let sndbuf = || sys::int_opt(c.fd.as_fd(), libc::SOL_SOCKET, libc::SO_SNDBUF).unwrap();
        let before = sndbuf();
        c.send(Msg::from_slice(&[1u8; 100]));
        read_frames(&mut peer, 1, |_| vec![1u8; 100]);
        wait_sent(&ev, 1);
        assert_eq!(sndbuf(), before, "small frames keep the default");
        let big = vec![2u8; GROW_MIN];
        c.send(Msg::from_slice(&big));
        read_frames(&mut peer, 1, |_| vec![2u8; GROW_MIN]);
        wait_sent(&ev, 2);
        assert!(sndbuf() > before, "{} not above {before}", sndbuf());
    }

    #[test]
    fn queued_sends_are_ready_at_once_and_written_by_the_flush() {
        let (c, mut peer, ev) = open_pipe();
        // Under the soft limit: ready now, no `sent` event to follow, and
        // nothing written until the flush (the socket's lock is held).
        let q = c.queue(Msg::from_slice(b"one")).unwrap();
        assert_eq!(
            q,
            Queued {
                ready: true,
                flush: true
            }
        );
        assert_eq!(c.lock().txq.len(), 1);
        c.flush_queued();
        assert!(c.lock().txq.is_empty());
        read_frames(&mut peer, 1, |_| b"one".to_vec());
        assert_eq!(ev.sent.load(Ordering::Acquire), 0);
        // Past the soft limit: `sent` follows once enough is written.
        let big = vec![9u8; 3 * TX_SOFT_LIMIT];
        let q = c.queue(Msg::from_slice(&big)).unwrap();
        assert!(!q.ready);
        let reader = std::thread::spawn(move || {
            read_frames(&mut peer, 1, |_| vec![9u8; 3 * TX_SOFT_LIMIT]);
            peer
        });
        c.flush_queued();
        wait_sent(&ev, 1);
        let _peer = reader.join().unwrap();
        // A closed pipe gives the message back.
        c.close_with(Error::Closed);
        assert!(c.queue(Msg::from_slice(b"late")).is_err());
    }

    fn frames(n: usize, size: usize) -> VecDeque<TxFrame> {
        (0..n)
            .map(|i| {
                let mut msg = Msg::from_slice(&vec![i as u8; size]);
                msg.header_append(&[0xff; 4]).unwrap();
                TxFrame {
                    pre: Prefix::of(Framing::Tcp, &msg),
                    msg,
                }
            })
            .collect()
    }

    #[test]
    fn gather_skips_written_bytes_and_caps_slices() {
        let q = frames(MAX_IOV, 10);
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        let (cnt, bytes) = gather(&q, 0, &mut iov);
        assert_eq!(cnt, MAX_IOV);
        assert_eq!(bytes, iov[..cnt].iter().map(|s| s.len()).sum::<usize>());
        // Skipping into the header of the first frame.
        let (cnt, bytes) = gather(&q, 10, &mut iov);
        assert_eq!(&*iov[0], &[0xff, 0xff]);
        assert_eq!(cnt, MAX_IOV);
        assert!(bytes > 0);
    }

    /// The bytes `q` puts on the wire, from `off` on.
    fn wire(q: &VecDeque<TxFrame>, off: usize) -> Vec<u8> {
        let mut w = Vec::new();
        for f in q {
            w.extend_from_slice(f.pre.as_bytes());
            w.extend_from_slice(f.msg.header());
            w.extend_from_slice(f.msg.body());
        }
        w.split_off(off)
    }

    #[test]
    fn staged_gather_joins_small_frames_and_leaves_large_bodies_in_place() {
        let mut q = frames(3, 10);
        q.extend(frames(1, STAGE_PART_MAX + 1));
        q.extend(frames(2, 20));
        let mut stage = vec![0u8; STAGE];
        for off in [0, 5, 9, 13] {
            let mut iov = [IoSlice::new(&[]); MAX_IOV];
            let (cnt, bytes) = gather_staged(&q, off, &mut stage, &mut iov);
            let got: Vec<u8> = iov[..cnt].iter().flat_map(|s| s.iter().copied()).collect();
            assert_eq!(got, wire(&q, off), "from offset {off}");
            assert_eq!(bytes, got.len());
            // Small frames and the large one's prefix and header, the large
            // body, then the small frames after it.
            assert_eq!(cnt, 3);
            assert_eq!(iov[1].len(), STAGE_PART_MAX + 1);
            assert_eq!(iov[1].as_ptr(), q[3].msg.body().as_ptr());
        }
    }

    #[test]
    fn staged_gather_stops_at_a_full_stage_or_iov() {
        // More small frames than the stage holds: it takes what fits,
        // whole parts only, and the bytes match the wire.
        let q = frames(STAGE / 100 + 10, 100);
        let mut stage = vec![0u8; STAGE];
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        let (cnt, bytes) = gather_staged(&q, 0, &mut stage, &mut iov);
        assert_eq!(cnt, 1);
        assert!(bytes <= STAGE && bytes > STAGE - 200);
        assert_eq!(&*iov[0], &wire(&q, 0)[..bytes]);
        // Large bodies only: one slice of staged prefix and header, one
        // body, in turn, until the slices run out.
        let q = frames(MAX_IOV, STAGE_PART_MAX + 1);
        let mut stage = vec![0u8; STAGE];
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        let (cnt, bytes) = gather_staged(&q, 0, &mut stage, &mut iov);
        assert_eq!(cnt, MAX_IOV);
        let got: Vec<u8> = iov[..cnt].iter().flat_map(|s| s.iter().copied()).collect();
        assert_eq!(got, wire(&q, 0)[..bytes]);
        assert_eq!(bytes, q[0].len() * MAX_IOV / 2);
    }

    #[test]
    fn consume_drops_whole_frames_and_tracks_the_partial_one() {
        let q = frames(3, 10);
        let per = q[0].len();
        let mut st = State {
            phase: Phase::Open,
            hook: None,
            timer: None,
            readable: false,
            writable: false,
            hup: false,
            hdr_out: 0,
            hdr_in: [0; 8],
            hdr_got: 0,
            peer: 0,
            tx_bytes: per * 3,
            sndbuf: SndBuf::Default,
            txq: q,
            txspare: VecDeque::new(),
            tx_off: 0,
            writing: false,
            flush_sched: false,
            wr_gen: 0,
            last_send: 0,
            sent_owed: false,
            next: Next::Nothing,
            dec: Decoder::new(Framing::Tcp, 0),
            rxq: VecDeque::new(),
            armed: false,
            started: false,
            rx_end: false,
            tls: None,
        };
        consume(&mut st, per + 5);
        assert_eq!(st.txq.len(), 2);
        assert_eq!(st.tx_off, 5);
        consume(&mut st, per - 5);
        assert_eq!(st.txq.len(), 1);
        assert_eq!(st.tx_off, 0);
        assert_eq!(st.tx_bytes, per);
    }
}
