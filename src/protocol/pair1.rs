//! The pair1 protocol core (`pair1`, 0x11): monogamous (cooked and raw) and
//! polyamorous.
//!
//! Wire format (reference WIRE.md §9.2, §9.8; upstream
//! `src/sp/protocol/pair1/pair.c`, `pair1_poly.c`): a 4-byte big-endian hop
//! count, then the body. Every sender increments the count on transmit, so a
//! cooked message leaves with hops = 1.
//!
//! Receive (all modes): fewer than 4 bytes or hops > 255 closes the pipe;
//! hops > `NNG_OPT_MAXTTL` drops the message (the pipe is kept); otherwise the
//! 4 hop bytes move from the body to the header.
//!
//! Mono: one peer (a second is refused with `NNG_EBUSY`), blocking send and
//! receive buffers exactly as pair0 (defaults 0). Raw senders supply the
//! 4-byte header themselves (value < 255, else `NNG_EPROTO`).
//!
//! Poly (deprecated upstream): many peers. Behaves like upstream's generic
//! socket queues: sends wait in the socket send buffer (default 0) until the
//! first peer ever connects; after that a send never blocks and goes to the
//! peer named by the message's pipe id (0: the oldest peer), into that
//! peer's 2-deep queue, or is dropped. Received messages from all peers share
//! the socket receive buffer (default 1) with per-pipe back-pressure.

use crate::core::fasthash::FastMap;
use std::collections::VecDeque;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::core::stats::ProtoStat;
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of pair v1 (`NNI_PROTO(1, 1)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x11;
/// Peer protocol number (pair v1 again).
pub const PEER_ID: u16 = 0x11;
/// Protocol name.
pub const PROTO_NAME: &str = "pair1";
/// Peer protocol name.
pub const PEER_NAME: &str = "pair1";

use crate::core::names::proto::PAIR1_POLY as OPT_PAIR1_POLY;
use crate::core::names::NNG_OPT_MAXTTL as OPT_MAXTTL;
use crate::core::names::NNG_OPT_RECVBUF as OPT_RECVBUF;
use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Largest `NNG_OPT_RECVBUF`/`NNG_OPT_SENDBUF` value.
const MAX_BUF: i32 = 8192;
/// Default and largest `NNG_OPT_MAXTTL`.
const DEFAULT_TTL: i32 = 8;
const MAX_TTL: i32 = 15;
/// A hop count above this is malformed.
const MAX_HOPS: u32 = 0xff;
/// Messages a poly pipe queues behind the one it is sending.
const POLY_PIPE_QUEUE: usize = 2;

/// Upstream's test hook (`pair1_test_inject_header`, in its test builds):
/// a monogamous socket with it set sends messages exactly as given, header
/// included or not, with no hop count added or checked, so that tests can
/// feed a peer malformed headers. Write-only, as upstream.
const OPT_INJECT_HEADER: &str = "pair1_test_inject_header";

static MONO_OPTIONS: [OptDesc; 4] = [
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::wo(OPT_INJECT_HEADER, OptType::Bool),
];

// Upstream poly uses the socket's generic queues, whose options live in the
// generic socket table; the core owns those queues here, so it owns the
// options too (same names, types, ranges and defaults).
static POLY_OPTIONS: [OptDesc; 4] = [
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::ro(OPT_PAIR1_POLY, OptType::Bool),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
];

/// Counters kept by the core (upstream's pair1 socket statistics).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Pipes refused because a peer was already connected (mono).
    pub already: u64,
    /// Messages dropped for too many hops.
    pub ttl_drop: u64,
    /// Messages dropped as undeliverable (poly).
    pub tx_drop: u64,
    /// Malformed messages received (their pipes were closed).
    pub rx_malformed: u64,
    /// Raw sends refused for a bad header.
    pub tx_malformed: u64,
}

/// The pair1 core: mono cooked, mono raw or poly.
#[derive(Debug)]
pub struct Socket(Mode);

#[derive(Debug)]
enum Mode {
    Mono(Mono),
    Poly(Poly),
}

impl Socket {
    /// A monogamous pair1 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket(Mode::Mono(Mono::new(raw)))
    }

    /// A polyamorous (cooked) pair1 core, as `nng_pair1_open_poly`.
    pub fn new_poly(_seed: u64) -> Socket {
        Socket(Mode::Poly(Poly::new()))
    }

    /// Whether this is a polyamorous core.
    pub fn is_poly(&self) -> bool {
        matches!(self.0, Mode::Poly(_))
    }

    /// The core's counters.
    pub fn stats(&self) -> Stats {
        match &self.0 {
            Mode::Mono(m) => m.stats,
            Mode::Poly(p) => p.stats,
        }
    }
}

/// What to do with a message that arrived from a pipe.
enum Inbound {
    /// Deliver it (hop count now in the header).
    Deliver(Msg),
    /// Too many hops: drop it, keep reading.
    TtlDrop,
    /// Malformed: close the pipe.
    Malformed,
}

/// Moves the hop count from the body to the header and checks it.
fn inbound(mut msg: Msg, ttl: i32) -> Inbound {
    let Some(word) = msg.body().get(..4) else {
        return Inbound::Malformed;
    };
    let hops = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
    if hops > MAX_HOPS {
        return Inbound::Malformed;
    }
    if hops > ttl as u32 {
        return Inbound::TtlDrop;
    }
    if msg.trim(4).is_err() || msg.header_append(&hops.to_be_bytes()).is_err() {
        return Inbound::TtlDrop;
    }
    Inbound::Deliver(msg)
}

/// The hop count of a message header, if it is exactly 4 bytes.
fn header_hops(msg: &Msg) -> Option<u32> {
    let h = msg.header();
    (h.len() == 4).then(|| u32::from_be_bytes([h[0], h[1], h[2], h[3]]))
}

/// Replaces the header with the given hop count.
fn set_hops(msg: &mut Msg, hops: u32) {
    msg.header_clear();
    // Appending 4 bytes to an empty header cannot fail in practice; if it
    // did, the message would go out without a header and the peer would
    // drop it as malformed.
    let _ = msg.header_append(&hops.to_be_bytes());
}

fn set_ttl(val: &OptValue) -> Result<i32> {
    check_range(val.as_int()?, 1, MAX_TTL)
}

fn buf_size(val: &OptValue) -> Result<usize> {
    Ok(check_range(val.as_int()?, 0, MAX_BUF)? as usize)
}

// ---------------------------------------------------------------------------
// Monogamous mode.

#[derive(Debug)]
struct Mono {
    raw: bool,
    closed: bool,
    ttl: i32,
    /// [`OPT_INJECT_HEADER`]: messages go out untouched.
    inject: bool,
    stats: Stats,
    peer: Option<PipeId>,
    /// The peer's pipe is idle (upstream `wr_ready`).
    peer_idle: bool,
    /// Message the pipe delivered that found no room (upstream `rd_ready`).
    held: Option<Msg>,
    sendq: VecDeque<Msg>,
    send_cap: usize,
    recvq: VecDeque<Msg>,
    recv_cap: usize,
    send_waiters: VecDeque<(OpId, Msg)>,
    recv_waiters: VecDeque<OpId>,
}

impl Mono {
    fn new(raw: bool) -> Mono {
        Mono {
            raw,
            closed: false,
            ttl: DEFAULT_TTL,
            inject: false,
            stats: Stats::default(),
            peer: None,
            peer_idle: false,
            held: None,
            sendq: VecDeque::new(),
            send_cap: 0,
            recvq: VecDeque::new(),
            recv_cap: 0,
            send_waiters: VecDeque::new(),
            recv_waiters: VecDeque::new(),
        }
    }

    fn send_sched(&mut self, out: &mut Actions) {
        let Some(pipe) = self.peer else { return };
        self.peer_idle = true;
        if let Some(msg) = self.sendq.pop_front() {
            self.transmit(pipe, msg, out);
            if let Some((op, msg)) = self.send_waiters.pop_front() {
                self.sendq.push_back(msg);
                out.push_back(Action::SendDone { op });
            }
        } else if let Some((op, msg)) = self.send_waiters.pop_front() {
            self.transmit(pipe, msg, out);
            out.push_back(Action::SendDone { op });
        }
    }

    /// Hands a message to the idle peer, adding our hop.
    fn transmit(&mut self, pipe: PipeId, mut msg: Msg, out: &mut Actions) {
        if !self.inject {
            let hops = header_hops(&msg).unwrap_or(0);
            set_hops(&mut msg, hops.wrapping_add(1));
        }
        self.peer_idle = false;
        out.push_back(Action::Send { pipe, msg });
    }

    fn pipe_added(&mut self, pipe: PipeId, out: &mut Actions) -> Result<()> {
        if self.peer.is_some() {
            self.stats.already += 1;
            return Err(Error::Busy);
        }
        self.peer = Some(pipe);
        self.held = None;
        self.send_sched(out);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId) {
        if self.peer == Some(pipe) {
            self.peer = None;
            self.peer_idle = false;
            self.held = None;
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, out: &mut Actions) {
        if self.peer == Some(pipe) {
            self.send_sched(out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, out: &mut Actions) {
        if self.peer != Some(pipe) {
            return;
        }
        let msg = match inbound(msg, self.ttl) {
            Inbound::Deliver(msg) => msg,
            Inbound::TtlDrop => {
                self.stats.ttl_drop += 1;
                out.push_back(Action::Recv { pipe });
                return;
            }
            Inbound::Malformed => {
                self.stats.rx_malformed += 1;
                out.push_back(Action::ClosePipe { pipe });
                return;
            }
        };
        if let Some(op) = self.recv_waiters.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
            out.push_back(Action::Recv { pipe });
        } else if self.recvq.len() < self.recv_cap {
            self.recvq.push_back(msg);
            out.push_back(Action::Recv { pipe });
        } else {
            self.held = Some(msg);
        }
    }

    fn send(&mut self, op: OpId, mut msg: Msg, wait: bool, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        if self.inject {
            // Sent as given (see OPT_INJECT_HEADER).
        } else if self.raw {
            match header_hops(&msg) {
                Some(h) if h < MAX_HOPS => {}
                _ => {
                    self.stats.tx_malformed += 1;
                    out.push_back(Action::SendFailed {
                        op,
                        err: Error::Proto,
                        msg,
                    });
                    return;
                }
            }
        } else {
            // Replace any previous header (e.g. replying to a message).
            set_hops(&mut msg, 0);
        }
        match self.peer {
            Some(pipe) if self.peer_idle => {
                self.transmit(pipe, msg, out);
                out.push_back(Action::SendDone { op });
            }
            _ if self.sendq.len() < self.send_cap => {
                self.sendq.push_back(msg);
                out.push_back(Action::SendDone { op });
            }
            _ if !wait => {
                out.push_back(Action::SendFailed {
                    op,
                    err: Error::TimedOut,
                    msg,
                });
            }
            _ => self.send_waiters.push_back((op, msg)),
        }
    }

    fn recv(&mut self, op: OpId, wait: bool, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
            return;
        }
        if let Some(msg) = self.recvq.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
            if let (Some(held), Some(pipe)) = (self.held.take(), self.peer) {
                self.recvq.push_back(held);
                out.push_back(Action::Recv { pipe });
            }
        } else if let (Some(held), Some(pipe)) = (self.held.take(), self.peer) {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(held),
            });
            out.push_back(Action::Recv { pipe });
        } else if !wait {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::TimedOut),
            });
        } else {
            self.recv_waiters.push_back(op);
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        if let Some(i) = self.recv_waiters.iter().position(|&o| o == op) {
            self.recv_waiters.remove(i);
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        } else if let Some(i) = self.send_waiters.iter().position(|(o, _)| *o == op) {
            if let Some((op, msg)) = self.send_waiters.remove(i) {
                out.push_back(Action::SendFailed { op, err, msg });
            }
        }
    }

    fn set_option(&mut self, name: &str, val: &OptValue) -> Result<()> {
        match name {
            OPT_MAXTTL => self.ttl = set_ttl(val)?,
            OPT_SENDBUF => {
                let cap = buf_size(val)?;
                // Like upstream's lmq resize: keep the oldest, drop the rest.
                self.sendq.truncate(cap);
                self.send_cap = cap;
            }
            OPT_RECVBUF => {
                let cap = buf_size(val)?;
                self.recvq.truncate(cap);
                self.recv_cap = cap;
            }
            OPT_INJECT_HEADER => self.inject = val.as_bool()?,
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        match name {
            OPT_MAXTTL => Ok(OptValue::Int(self.ttl)),
            OPT_SENDBUF => Ok(OptValue::Int(self.send_cap as i32)),
            OPT_RECVBUF => Ok(OptValue::Int(self.recv_cap as i32)),
            _ => Err(Error::NotSup),
        }
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for op in self.recv_waiters.drain(..) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        }
        for (op, msg) in self.send_waiters.drain(..) {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
        }
        self.recvq.clear();
        self.sendq.clear();
        self.held = None;
    }
}

// ---------------------------------------------------------------------------
// Polyamorous mode.

#[derive(Debug, Default)]
struct PolyPipe {
    /// A `Send` is in flight.
    busy: bool,
    /// Up to [`POLY_PIPE_QUEUE`] messages behind it.
    queue: VecDeque<Msg>,
}

#[derive(Debug)]
struct Poly {
    closed: bool,
    ttl: i32,
    stats: Stats,
    /// A peer has connected at least once: sends no longer wait.
    started: bool,
    pipes: FastMap<PipeId, PolyPipe>,
    /// Pipe ids in connection order (the first is the default peer).
    order: Vec<PipeId>,
    /// Socket send buffer, used only before the first peer connects.
    sendq: VecDeque<Msg>,
    send_cap: usize,
    send_waiters: VecDeque<(OpId, Msg)>,
    /// Socket receive buffer.
    recvq: VecDeque<Msg>,
    recv_cap: usize,
    /// Pipes waiting to put a message into `recvq` (each stops reading
    /// until its message is taken), in arrival order.
    puts: VecDeque<(PipeId, Msg)>,
    recv_waiters: VecDeque<OpId>,
}

impl Poly {
    fn new() -> Poly {
        Poly {
            closed: false,
            ttl: DEFAULT_TTL,
            stats: Stats::default(),
            started: false,
            pipes: FastMap::default(),
            order: Vec::new(),
            sendq: VecDeque::new(),
            send_cap: 0,
            send_waiters: VecDeque::new(),
            recvq: VecDeque::new(),
            recv_cap: 1,
            puts: VecDeque::new(),
            recv_waiters: VecDeque::new(),
        }
    }

    /// Routes one message to its peer, best effort.
    fn distribute(&mut self, mut msg: Msg, out: &mut Actions) {
        let id = match msg.pipe() {
            0 => self.order.first().copied(),
            id => Some(id),
        };
        let Some((id, p)) = id.and_then(|id| self.pipes.get_mut(&id).map(|p| (id, p))) else {
            self.stats.tx_drop += 1;
            return;
        };
        if !p.busy {
            p.busy = true;
            set_hops(&mut msg, 1);
            out.push_back(Action::Send { pipe: id, msg });
        } else if p.queue.len() < POLY_PIPE_QUEUE {
            p.queue.push_back(msg);
        } else {
            self.stats.tx_drop += 1;
        }
    }

    /// Moves waiting pipe messages to waiting receivers or into the buffer.
    fn run_puts(&mut self, out: &mut Actions) {
        while let Some((pipe, msg)) = self.puts.pop_front() {
            if let Some(op) = self.recv_waiters.pop_front() {
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            } else if self.recvq.len() < self.recv_cap {
                self.recvq.push_back(msg);
            } else {
                self.puts.push_front((pipe, msg));
                break;
            }
            out.push_back(Action::Recv { pipe });
        }
    }

    fn pipe_added(&mut self, pipe: PipeId, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Busy);
        }
        self.pipes.insert(pipe, PolyPipe::default());
        self.order.push(pipe);
        if !self.started {
            self.started = true;
            // Everything that waited for a first peer goes out now, in order.
            while let Some(msg) = self.sendq.pop_front() {
                self.distribute(msg, out);
            }
            while let Some((op, msg)) = self.send_waiters.pop_front() {
                out.push_back(Action::SendDone { op });
                self.distribute(msg, out);
            }
        }
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId) {
        if self.pipes.remove(&pipe).is_some() {
            self.order.retain(|&p| p != pipe);
            self.puts.retain(|(p, _)| *p != pipe);
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, out: &mut Actions) {
        let Some(p) = self.pipes.get_mut(&pipe) else {
            return;
        };
        match p.queue.pop_front() {
            Some(mut msg) => {
                set_hops(&mut msg, 1);
                out.push_back(Action::Send { pipe, msg });
            }
            None => p.busy = false,
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, out: &mut Actions) {
        if !self.pipes.contains_key(&pipe) {
            return;
        }
        match inbound(msg, self.ttl) {
            Inbound::Deliver(msg) => {
                self.puts.push_back((pipe, msg));
                self.run_puts(out);
            }
            Inbound::TtlDrop => {
                self.stats.ttl_drop += 1;
                out.push_back(Action::Recv { pipe });
            }
            Inbound::Malformed => {
                self.stats.rx_malformed += 1;
                out.push_back(Action::ClosePipe { pipe });
            }
        }
    }

    fn send(&mut self, op: OpId, msg: Msg, wait: bool, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
        } else if self.started {
            out.push_back(Action::SendDone { op });
            self.distribute(msg, out);
        } else if !wait && self.sendq.len() >= self.send_cap {
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
        } else {
            // Senders enter the buffer in arrival order (older waiters first,
            // which matters after the buffer grew).
            self.send_waiters.push_back((op, msg));
            while self.sendq.len() < self.send_cap {
                let Some((op, msg)) = self.send_waiters.pop_front() else {
                    break;
                };
                self.sendq.push_back(msg);
                out.push_back(Action::SendDone { op });
            }
            if !wait {
                self.cancel(op, Error::TimedOut, out);
            }
        }
    }

    fn recv(&mut self, op: OpId, wait: bool, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        } else if let Some(msg) = self.recvq.pop_front() {
            // Like upstream's message queue, a waiting pipe message is not
            // pulled into the freed slot until the next arrival or receive.
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
        } else if let Some((pipe, msg)) = self.puts.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
            out.push_back(Action::Recv { pipe });
        } else if !wait {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::TimedOut),
            });
        } else {
            self.recv_waiters.push_back(op);
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        if let Some(i) = self.recv_waiters.iter().position(|&o| o == op) {
            self.recv_waiters.remove(i);
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        } else if let Some(i) = self.send_waiters.iter().position(|(o, _)| *o == op) {
            if let Some((op, msg)) = self.send_waiters.remove(i) {
                out.push_back(Action::SendFailed { op, err, msg });
            }
        }
    }

    fn set_option(&mut self, name: &str, val: &OptValue) -> Result<()> {
        match name {
            OPT_MAXTTL => self.ttl = set_ttl(val)?,
            OPT_SENDBUF => {
                self.send_cap = buf_size(val)?;
                trim_generic(&mut self.sendq, self.send_cap);
            }
            OPT_RECVBUF => {
                self.recv_cap = buf_size(val)?;
                trim_generic(&mut self.recvq, self.recv_cap);
            }
            OPT_PAIR1_POLY => return Err(Error::ReadOnly),
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        match name {
            OPT_MAXTTL => Ok(OptValue::Int(self.ttl)),
            OPT_PAIR1_POLY => Ok(OptValue::Bool(true)),
            OPT_SENDBUF => Ok(OptValue::Int(self.send_cap as i32)),
            OPT_RECVBUF => Ok(OptValue::Int(self.recv_cap as i32)),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        !self.recvq.is_empty() || !self.puts.is_empty()
    }

    fn can_send(&self) -> bool {
        self.started || self.sendq.len() < self.send_cap
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for op in self.recv_waiters.drain(..) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        }
        for (op, msg) in self.send_waiters.drain(..) {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
        }
        self.recvq.clear();
        self.sendq.clear();
        self.puts.clear();
        for p in self.pipes.values_mut() {
            p.queue.clear();
        }
    }
}

/// Shrinks a generic socket queue as upstream's `nni_msgq_resize` does: the
/// oldest messages go, and one message beyond the capacity may stay.
fn trim_generic(q: &mut VecDeque<Msg>, cap: usize) {
    while q.len() > cap + 1 {
        q.pop_front();
    }
}

// ---------------------------------------------------------------------------

impl Protocol for Socket {
    fn uses_clock(&self) -> bool {
        false
    }

    fn info(&self) -> ProtoInfo {
        ProtoInfo {
            self_id: PROTO_ID,
            peer_id: PEER_ID,
            self_name: PROTO_NAME,
            peer_name: PEER_NAME,
            raw: matches!(&self.0, Mode::Mono(m) if m.raw),
        }
    }

    fn proto_stats(&self, out: &mut Vec<ProtoStat>) {
        use crate::core::stats::{BOOLEAN, COUNTER, UNIT_MESSAGES, UNIT_NONE};
        let st = self.stats();
        let raw = matches!(&self.0, Mode::Mono(m) if m.raw);
        let mut add = |name, desc, kind, unit, value| {
            out.push(ProtoStat {
                name,
                desc,
                kind,
                unit,
                value,
            });
        };
        add(
            c"poly",
            c"polyamorous mode?",
            BOOLEAN,
            UNIT_NONE,
            u64::from(self.is_poly()),
        );
        add(c"raw", c"raw mode?", BOOLEAN, UNIT_NONE, u64::from(raw));
        // The socket layer refuses a wrong peer before the core sees it
        // (counted in the socket's "reject"), so this stays 0.
        add(
            c"mismatch",
            c"pipes rejected (protocol mismatch)",
            COUNTER,
            UNIT_NONE,
            0,
        );
        add(
            c"already",
            c"pipes rejected (already connected)",
            COUNTER,
            UNIT_NONE,
            st.already,
        );
        add(
            c"ttl_drop",
            c"messages dropped due to too many hops",
            COUNTER,
            UNIT_MESSAGES,
            st.ttl_drop,
        );
        add(
            c"tx_drop",
            c"messages dropped undeliverable",
            COUNTER,
            UNIT_MESSAGES,
            st.tx_drop,
        );
        add(
            c"rx_malformed",
            c"malformed messages received",
            COUNTER,
            UNIT_MESSAGES,
            st.rx_malformed,
        );
        if raw {
            add(
                c"tx_malformed",
                c"malformed messages not sent",
                COUNTER,
                UNIT_MESSAGES,
                st.tx_malformed,
            );
        }
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        match &mut self.0 {
            Mode::Mono(m) => m.pipe_added(pipe, out),
            Mode::Poly(p) => p.pipe_added(pipe, out),
        }
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.pipe_removed(pipe),
            Mode::Poly(p) => p.pipe_removed(pipe),
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.pipe_sent(pipe, out),
            Mode::Poly(p) => p.pipe_sent(pipe, out),
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, _now: Time, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.pipe_recv(pipe, msg, out),
            Mode::Poly(p) => p.pipe_recv(pipe, msg, out),
        }
    }

    fn send(&mut self, _ctx: CtxId, op: OpId, msg: Msg, wait: bool, _now: Time, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.send(op, msg, wait, out),
            Mode::Poly(p) => p.send(op, msg, wait, out),
        }
    }

    fn recv(&mut self, _ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.recv(op, wait, out),
            Mode::Poly(p) => p.recv(op, wait, out),
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.cancel(op, err, out),
            Mode::Poly(p) => p.cancel(op, err, out),
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        match self.0 {
            Mode::Mono(_) => &MONO_OPTIONS,
            Mode::Poly(_) => &POLY_OPTIONS,
        }
    }

    fn set_option(&mut self, _ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        match &mut self.0 {
            Mode::Mono(m) => m.set_option(name, val),
            Mode::Poly(p) => p.set_option(name, val),
        }
    }

    fn get_option(&self, _ctx: CtxId, name: &str) -> Result<OptValue> {
        match &self.0 {
            Mode::Mono(m) => m.get_option(name),
            Mode::Poly(p) => p.get_option(name),
        }
    }

    fn can_recv(&self) -> bool {
        match &self.0 {
            Mode::Mono(m) => !m.recvq.is_empty() || m.held.is_some(),
            Mode::Poly(p) => p.can_recv(),
        }
    }

    fn can_send(&self) -> bool {
        match &self.0 {
            Mode::Mono(m) => m.peer_idle || m.sendq.len() < m.send_cap,
            Mode::Poly(p) => p.can_send(),
        }
    }

    fn close(&mut self, out: &mut Actions) {
        match &mut self.0 {
            Mode::Mono(m) => m.close(out),
            Mode::Poly(p) => p.close(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives one core with a virtual clock and checks the actions it emits.
    struct T {
        s: Socket,
        out: Actions,
        now: Time,
    }

    fn wire(hops: u32, body: &[u8]) -> Vec<u8> {
        let mut v = hops.to_be_bytes().to_vec();
        v.extend_from_slice(body);
        v
    }

    impl T {
        fn mono(raw: bool) -> T {
            T::with(Socket::new(raw, 1))
        }
        fn poly() -> T {
            T::with(Socket::new_poly(1))
        }
        fn with(s: Socket) -> T {
            T {
                s,
                out: Actions::new(),
                now: 1_000,
            }
        }
        fn tick(&mut self) -> Time {
            self.now += 1;
            self.now
        }
        fn add(&mut self, p: PipeId) -> Result<()> {
            let now = self.tick();
            self.s.pipe_added(p, now, &mut self.out)
        }
        /// Adds a pipe and consumes the `Recv` it asks for.
        fn join(&mut self, p: PipeId) {
            self.add(p).unwrap();
            self.want_recv(p);
        }
        fn rm(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_removed(p, now, &mut self.out);
        }
        fn sent(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_sent(p, now, &mut self.out);
        }
        /// A message with these wire bytes arrives on `p`.
        fn rx(&mut self, p: PipeId, bytes: &[u8]) {
            let now = self.tick();
            let mut m = Msg::from_slice(bytes);
            m.set_pipe(p);
            self.s.pipe_recv(p, m, now, &mut self.out);
        }
        fn send_msg(&mut self, op: OpId, m: Msg, wait: bool) {
            let now = self.tick();
            self.s.send(0, op, m, wait, now, &mut self.out);
        }
        fn send(&mut self, op: OpId, data: &[u8], wait: bool) {
            self.send_msg(op, Msg::from_slice(data), wait);
        }
        /// Sends a message addressed to pipe `to` (poly).
        fn send_to(&mut self, op: OpId, to: PipeId, data: &[u8]) {
            let mut m = Msg::from_slice(data);
            m.set_pipe(to);
            self.send_msg(op, m, true);
        }
        fn recv(&mut self, op: OpId, wait: bool) {
            let now = self.tick();
            self.s.recv(0, op, wait, now, &mut self.out);
        }
        fn take(&mut self, what: &str, f: impl Fn(&Action) -> bool) -> Action {
            match self.out.iter().position(f) {
                Some(i) => self.out.remove(i).unwrap(),
                None => panic!("expected {what}, have {:?}", self.out),
            }
        }
        /// Expects a `Send` on `p`; returns header + body as on the wire.
        fn tx(&mut self, p: PipeId) -> Vec<u8> {
            match self.take(
                "Send",
                |a| matches!(a, Action::Send { pipe, .. } if *pipe == p),
            ) {
                Action::Send { msg, .. } => [msg.header(), msg.body()].concat(),
                _ => unreachable!(),
            }
        }
        fn want_recv(&mut self, p: PipeId) {
            self.take("Recv", |a| matches!(a, Action::Recv { pipe } if *pipe == p));
        }
        fn want_close(&mut self, p: PipeId) {
            self.take(
                "ClosePipe",
                |a| matches!(a, Action::ClosePipe { pipe } if *pipe == p),
            );
        }
        fn done(&mut self, o: OpId) {
            self.take(
                "SendDone",
                |a| matches!(a, Action::SendDone { op } if *op == o),
            );
        }
        fn failed(&mut self, o: OpId) -> (Error, Msg) {
            match self.take(
                "SendFailed",
                |a| matches!(a, Action::SendFailed { op, .. } if *op == o),
            ) {
                Action::SendFailed { err, msg, .. } => (err, msg),
                _ => unreachable!(),
            }
        }
        fn got(&mut self, o: OpId) -> Result<Msg> {
            match self.take(
                "RecvDone",
                |a| matches!(a, Action::RecvDone { op, .. } if *op == o),
            ) {
                Action::RecvDone { result, .. } => result,
                _ => unreachable!(),
            }
        }
        fn got_body(&mut self, o: OpId) -> Result<Vec<u8>> {
            self.got(o).map(|m| m.body().to_vec())
        }
        fn idle(&self) {
            assert!(self.out.is_empty(), "unexpected actions {:?}", self.out);
        }
        fn set_int(&mut self, name: &str, v: i32) -> Result<()> {
            self.s.set_option(0, name, &OptValue::Int(v))
        }
    }

    fn raw_msg(hops: u32, body: &[u8]) -> Msg {
        let mut m = Msg::from_slice(body);
        m.header_append(&hops.to_be_bytes()).unwrap();
        m
    }

    #[test]
    fn identity() {
        let i = T::mono(false).s.info();
        assert_eq!(
            (i.self_id, i.peer_id, i.self_name, i.peer_name),
            (0x11, 0x11, "pair1", "pair1")
        );
        assert!(!i.raw);
        assert!(T::mono(true).s.info().raw);
        let p = T::poly().s;
        assert!(!p.info().raw);
        assert!(p.is_poly());
        assert!(!T::mono(false).s.is_poly());
    }

    #[test]
    fn mono_cooked_adds_one_hop_and_replaces_header() {
        let mut t = T::mono(false);
        t.join(1);
        let mut m = raw_msg(77, b"hi");
        m.header_append(b"junk").unwrap();
        t.send_msg(1, m, true);
        assert_eq!(t.tx(1), wire(1, b"hi"));
        t.done(1);
        t.idle();
    }

    #[test]
    fn mono_with_the_inject_hook_sends_messages_untouched() {
        let mut t = T::mono(false);
        t.s.set_option(0, OPT_INJECT_HEADER, &OptValue::Bool(true))
            .unwrap();
        t.join(1);
        // No header at all, and a hop count no peer accepts: both go out
        // as given.
        t.send(1, b"", true);
        assert_eq!(t.tx(1), b"");
        t.done(1);
        t.sent(1);
        t.send_msg(2, raw_msg(0x1000, b"x"), true);
        assert_eq!(t.tx(1), wire(0x1000, b"x"));
        t.done(2);
        // Turned off, cooked sends get their hop count again.
        t.s.set_option(0, OPT_INJECT_HEADER, &OptValue::Bool(false))
            .unwrap();
        t.sent(1);
        t.send(3, b"y", true);
        assert_eq!(t.tx(1), wire(1, b"y"));
    }

    #[test]
    fn mono_receive_moves_hops_to_header() {
        let mut t = T::mono(false);
        t.join(1);
        t.rx(1, &wire(1, b"data"));
        t.recv(1, false);
        let m = t.got(1).unwrap();
        assert_eq!(m.header(), &[0, 0, 0, 1]);
        assert_eq!(m.body(), b"data");
        assert_eq!(m.pipe(), 1);
        t.want_recv(1);
        t.idle();
    }

    #[test]
    fn mono_second_peer_refused() {
        let mut t = T::mono(false);
        t.join(1);
        assert_eq!(t.add(2), Err(Error::Busy));
        assert_eq!(t.s.stats().already, 1);
        t.idle();
    }

    #[test]
    fn mono_back_pressure_and_blocking_send() {
        let mut t = T::mono(false);
        t.send(1, b"early", false);
        assert_eq!(t.failed(1).0, Error::TimedOut);
        t.send(2, b"a", true);
        t.idle();
        t.join(3);
        assert_eq!(t.tx(3), wire(1, b"a"));
        t.done(2);
        t.send(3, b"b", true);
        t.idle();
        t.sent(3);
        assert_eq!(t.tx(3), wire(1, b"b"));
        t.done(3);
        // Receive side: one message held in the pipe, no further read.
        t.rx(3, &wire(1, b"x"));
        t.idle();
        assert!(t.s.can_recv());
        t.recv(4, true);
        assert_eq!(t.got_body(4).unwrap(), b"x");
        t.want_recv(3);
        t.idle();
    }

    #[test]
    fn mono_buffers() {
        let mut t = T::mono(false);
        t.set_int(OPT_SENDBUF, 1).unwrap();
        t.set_int(OPT_RECVBUF, 1).unwrap();
        t.send(1, b"q", false);
        t.done(1);
        t.send(2, b"r", false);
        assert_eq!(t.failed(2).0, Error::TimedOut);
        t.join(5);
        assert_eq!(t.tx(5), wire(1, b"q"));
        t.rx(5, &wire(2, b"in1"));
        t.want_recv(5);
        t.rx(5, &wire(2, b"in2"));
        t.idle();
        t.recv(1, false);
        assert_eq!(t.got_body(1).unwrap(), b"in1");
        t.want_recv(5);
        t.recv(2, false);
        assert_eq!(t.got_body(2).unwrap(), b"in2");
        t.idle();
    }

    #[test]
    fn mono_raw_header_rules() {
        let mut t = T::mono(true);
        t.join(1);
        // No header.
        t.send(1, b"", true);
        assert_eq!(t.failed(1).0, Error::Proto);
        // Reserved bits set.
        t.send_msg(2, raw_msg(0xDEAD_0000, b""), true);
        assert_eq!(t.failed(2).0, Error::Proto);
        // No room for another hop.
        t.send_msg(3, raw_msg(0xff, b""), true);
        assert_eq!(t.failed(3).0, Error::Proto);
        // Wrong header length.
        let mut m = raw_msg(1, b"");
        m.header_append(b"x").unwrap();
        t.send_msg(4, m, true);
        let (err, back) = t.failed(4);
        assert_eq!(err, Error::Proto);
        assert_eq!(back.header().len(), 5);
        assert_eq!(t.s.stats().tx_malformed, 4);
        t.idle();
        // A good header is incremented on the way out.
        t.send_msg(5, raw_msg(0xfe, b"ok"), true);
        assert_eq!(t.tx(1), wire(0xff, b"ok"));
        t.done(5);
        t.idle();
    }

    #[test]
    fn mono_raw_receive_keeps_hop_header() {
        let mut t = T::mono(true);
        t.join(1);
        t.recv(1, true);
        t.rx(1, &wire(3, b"fwd"));
        let m = t.got(1).unwrap();
        assert_eq!(m.header(), &3u32.to_be_bytes());
        t.want_recv(1);
        // A device forwards it: header 3 leaves as 4.
        t.send_msg(2, m, true);
        assert_eq!(t.tx(1), wire(4, b"fwd"));
        t.done(2);
    }

    #[test]
    fn ttl_enforced_on_receive() {
        for mut t in [T::mono(false), T::mono(true), T::poly()] {
            t.join(1);
            t.set_int(OPT_MAXTTL, 4).unwrap();
            assert_eq!(t.s.get_option(0, OPT_MAXTTL), Ok(OptValue::Int(4)));
            // hops 5 > 4: dropped, pipe read again.
            t.rx(1, &wire(5, b"far"));
            t.want_recv(1);
            t.idle();
            assert_eq!(t.s.stats().ttl_drop, 1);
            assert!(!t.s.can_recv());
            // hops 4 passes.
            t.rx(1, &wire(4, b"near"));
            t.recv(1, false);
            let m = t.got(1).unwrap();
            assert_eq!(m.header(), &4u32.to_be_bytes());
            assert_eq!(m.body(), b"near");
            t.want_recv(1);
            // Largest TTL.
            t.set_int(OPT_MAXTTL, 15).unwrap();
            t.rx(1, &wire(15, b"edge"));
            t.recv(2, false);
            assert_eq!(t.got_body(2).unwrap(), b"edge");
            t.want_recv(1);
            t.rx(1, &wire(16, b"over"));
            t.want_recv(1);
            t.idle();
        }
    }

    #[test]
    fn malformed_input_closes_pipe() {
        for mut t in [T::mono(false), T::mono(true), T::poly()] {
            t.join(1);
            t.rx(1, b"abc");
            t.want_close(1);
            t.idle();
            t.rx(1, &wire(0x100, b""));
            t.want_close(1);
            t.rx(1, &wire(0x1000, b"x"));
            t.want_close(1);
            t.idle();
            assert_eq!(t.s.stats().rx_malformed, 3);
            assert!(!t.s.can_recv());
            // 0xff is not malformed, merely over the TTL.
            t.rx(1, &wire(0xff, b""));
            t.want_recv(1);
            t.idle();
        }
    }

    #[test]
    fn ttl_option_range_and_type() {
        for mut t in [T::mono(false), T::mono(true), T::poly()] {
            assert_eq!(t.s.get_option(0, OPT_MAXTTL), Ok(OptValue::Int(8)));
            assert_eq!(t.set_int(OPT_MAXTTL, 0), Err(Error::Inval));
            assert_eq!(t.set_int(OPT_MAXTTL, 16), Err(Error::Inval));
            assert_eq!(t.set_int(OPT_MAXTTL, 1000), Err(Error::Inval));
            assert_eq!(
                t.s.set_option(0, OPT_MAXTTL, &OptValue::Bool(true)),
                Err(Error::BadType)
            );
            t.set_int(OPT_MAXTTL, 1).unwrap();
            t.set_int(OPT_MAXTTL, 15).unwrap();
            assert_eq!(t.s.get_option(0, OPT_MAXTTL), Ok(OptValue::Int(15)));
            let d = t.s.options().iter().find(|d| d.name == OPT_MAXTTL).unwrap();
            assert!(d.get && d.set && d.ty == OptType::Int);
        }
    }

    #[test]
    fn option_tables() {
        let mono: Vec<_> = T::mono(false).s.options().iter().map(|d| d.name).collect();
        assert_eq!(
            mono,
            [OPT_MAXTTL, OPT_SENDBUF, OPT_RECVBUF, OPT_INJECT_HEADER]
        );
        let d = MONO_OPTIONS[3];
        assert!(!d.get && d.set && d.ty == OptType::Bool);
        assert!(!POLY_OPTIONS.iter().any(|d| d.name == OPT_INJECT_HEADER));
        assert_eq!(
            T::mono(false).s.get_option(0, OPT_PAIR1_POLY),
            Err(Error::NotSup)
        );
        let mut t = T::poly();
        let d =
            t.s.options()
                .iter()
                .find(|d| d.name == OPT_PAIR1_POLY)
                .unwrap();
        assert!(d.get && !d.set && d.ty == OptType::Bool);
        assert_eq!(t.s.get_option(0, OPT_PAIR1_POLY), Ok(OptValue::Bool(true)));
        assert_eq!(
            t.s.set_option(0, OPT_PAIR1_POLY, &OptValue::Bool(false)),
            Err(Error::ReadOnly)
        );
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(1)));
        assert_eq!(t.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(0)));
        let mut m = T::mono(false);
        assert_eq!(m.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(0)));
        assert_eq!(m.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(0)));
        for name in [OPT_RECVBUF, OPT_SENDBUF] {
            for t in [&mut t, &mut m] {
                assert_eq!(t.set_int(name, -1), Err(Error::Inval));
                assert_eq!(t.set_int(name, 8193), Err(Error::Inval));
                t.set_int(name, 0).unwrap();
                t.set_int(name, 8192).unwrap();
                assert_eq!(t.s.get_option(0, name), Ok(OptValue::Int(8192)));
            }
        }
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
        assert_eq!(m.s.ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn mono_cancel_and_close() {
        let mut t = T::mono(false);
        t.recv(1, true);
        t.send(2, b"s", true);
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(1).unwrap_err(), Error::TimedOut);
        t.recv(3, true);
        t.s.close(&mut t.out);
        assert_eq!(t.got(3).unwrap_err(), Error::Closed);
        let (err, m) = t.failed(2);
        assert_eq!(err, Error::Closed);
        assert_eq!(m.body(), b"s");
        t.idle();
    }

    #[test]
    fn mono_peer_loss_drops_held_message() {
        let mut t = T::mono(false);
        t.join(1);
        t.rx(1, &wire(1, b"x"));
        assert!(t.s.can_recv());
        assert!(t.s.can_send());
        t.rm(1);
        assert!(!t.s.can_recv());
        assert!(!t.s.can_send());
        t.join(2);
        assert!(t.s.can_send());
    }

    // ---- poly

    #[test]
    fn poly_sends_wait_for_first_peer_only() {
        let mut t = T::poly();
        assert!(!t.s.can_send());
        t.send(1, b"early", false);
        assert_eq!(t.failed(1).0, Error::TimedOut);
        t.send(2, b"waiting", true);
        t.idle();
        t.add(10).unwrap();
        t.done(2);
        assert_eq!(t.tx(10), wire(1, b"waiting"));
        t.want_recv(10);
        t.idle();
        assert!(t.s.can_send());
        // Once started, sends never wait, even with no peer left.
        t.rm(10);
        t.send(3, b"void", false);
        t.done(3);
        t.idle();
        assert_eq!(t.s.stats().tx_drop, 1);
        assert!(t.s.can_send());
    }

    #[test]
    fn poly_send_buffer_before_first_peer() {
        let mut t = T::poly();
        t.set_int(OPT_SENDBUF, 5).unwrap();
        assert!(t.s.can_send());
        for (op, b) in [(1, b"1"), (2, b"2"), (3, b"3"), (4, b"4"), (5, b"5")] {
            t.send(op, b, false);
            t.done(op);
        }
        assert!(!t.s.can_send());
        t.send(6, b"6", true);
        t.idle();
        t.add(1).unwrap();
        // One goes out, two queue on the pipe, the rest are dropped.
        t.done(6);
        assert_eq!(t.tx(1), wire(1, b"1"));
        t.want_recv(1);
        t.idle();
        assert_eq!(t.s.stats().tx_drop, 3);
        t.sent(1);
        assert_eq!(t.tx(1), wire(1, b"2"));
        t.sent(1);
        assert_eq!(t.tx(1), wire(1, b"3"));
        t.sent(1);
        t.idle();
    }

    #[test]
    fn poly_grown_send_buffer_takes_older_waiters_first() {
        let mut t = T::poly();
        t.send(1, b"w1", true);
        t.send(2, b"w2", true);
        t.idle();
        t.set_int(OPT_SENDBUF, 1).unwrap();
        // Growing the buffer alone does not move waiters (as upstream).
        t.idle();
        // A non-blocking send lets the oldest waiter in first, then fails.
        t.send(3, b"nb", false);
        t.done(1);
        assert_eq!(t.failed(3).0, Error::TimedOut);
        t.idle();
        t.add(1).unwrap();
        t.done(2);
        assert_eq!(t.tx(1), wire(1, b"w1"));
        t.want_recv(1);
        t.sent(1);
        assert_eq!(t.tx(1), wire(1, b"w2"));
        t.idle();
    }

    #[test]
    fn poly_routes_by_pipe_id_and_defaults_to_oldest() {
        let mut t = T::poly();
        t.join(5);
        t.join(6);
        t.send_to(1, 6, b"for6");
        t.done(1);
        assert_eq!(t.tx(6), wire(1, b"for6"));
        t.send(2, b"any", true);
        t.done(2);
        assert_eq!(t.tx(5), wire(1, b"any"));
        t.send_to(3, 99, b"nobody");
        t.done(3);
        t.idle();
        assert_eq!(t.s.stats().tx_drop, 1);
        // The oldest goes away: the next one becomes the default.
        t.rm(5);
        t.sent(6);
        t.send(4, b"again", true);
        t.done(4);
        assert_eq!(t.tx(6), wire(1, b"again"));
        t.idle();
    }

    #[test]
    fn poly_pipe_queue_is_two_deep_then_drops() {
        let mut t = T::poly();
        t.join(1);
        for op in 1..=5u64 {
            t.send(op, &[op as u8], false);
            t.done(op);
        }
        assert_eq!(t.tx(1), wire(1, &[1]));
        t.idle();
        assert_eq!(t.s.stats().tx_drop, 2);
        t.sent(1);
        assert_eq!(t.tx(1), wire(1, &[2]));
        t.sent(1);
        assert_eq!(t.tx(1), wire(1, &[3]));
        t.sent(1);
        t.idle();
    }

    #[test]
    fn poly_header_forced_to_one_hop() {
        let mut t = T::poly();
        t.join(1);
        t.send_msg(1, raw_msg(9, b"x"), true);
        t.done(1);
        assert_eq!(t.tx(1), wire(1, b"x"));
    }

    #[test]
    fn poly_receive_queue_and_per_pipe_back_pressure() {
        let mut t = T::poly();
        t.join(1);
        t.join(2);
        assert!(!t.s.can_recv());
        // RECVBUF 1: the first message is buffered and pipe 1 reads on.
        t.rx(1, &wire(1, b"a"));
        t.want_recv(1);
        // The next ones wait in their pipes.
        t.rx(2, &wire(1, b"b"));
        t.rx(1, &wire(1, b"c"));
        t.idle();
        assert!(t.s.can_recv());
        t.recv(1, false);
        let m = t.got(1).unwrap();
        assert_eq!((m.body(), m.pipe()), (&b"a"[..], 1));
        t.idle();
        t.recv(2, false);
        let m = t.got(2).unwrap();
        assert_eq!((m.body(), m.pipe()), (&b"b"[..], 2));
        t.want_recv(2);
        t.recv(3, false);
        assert_eq!(t.got_body(3).unwrap(), b"c");
        t.want_recv(1);
        t.recv(4, false);
        assert_eq!(t.got(4).unwrap_err(), Error::TimedOut);
        t.idle();
        // A waiting receiver gets the next message directly.
        t.recv(5, true);
        t.idle();
        t.rx(2, &wire(1, b"d"));
        assert_eq!(t.got_body(5).unwrap(), b"d");
        t.want_recv(2);
        t.idle();
    }

    #[test]
    fn poly_pipe_loss_drops_its_waiting_message() {
        let mut t = T::poly();
        t.set_int(OPT_RECVBUF, 0).unwrap();
        t.join(1);
        t.rx(1, &wire(1, b"gone"));
        t.idle();
        assert!(t.s.can_recv());
        t.rm(1);
        assert!(!t.s.can_recv());
        t.recv(1, false);
        assert_eq!(t.got(1).unwrap_err(), Error::TimedOut);
    }

    #[test]
    fn poly_recv_buffer_shrink_keeps_one_extra() {
        let mut t = T::poly();
        t.set_int(OPT_RECVBUF, 4).unwrap();
        t.join(1);
        for b in [b"1", b"2", b"3", b"4"] {
            t.rx(1, &wire(1, b));
            t.want_recv(1);
        }
        t.set_int(OPT_RECVBUF, 1).unwrap();
        t.recv(1, false);
        assert_eq!(t.got_body(1).unwrap(), b"3");
        t.recv(2, false);
        assert_eq!(t.got_body(2).unwrap(), b"4");
        t.recv(3, false);
        assert_eq!(t.got(3).unwrap_err(), Error::TimedOut);
    }

    #[test]
    fn poly_cancel_and_close() {
        let mut t = T::poly();
        t.send(1, b"w", true);
        t.recv(2, true);
        t.recv(3, true);
        t.s.cancel(1, Error::Canceled, &mut t.out);
        assert_eq!(t.failed(1).0, Error::Canceled);
        t.s.cancel(2, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(2).unwrap_err(), Error::TimedOut);
        t.idle();
        t.send(4, b"x", true);
        t.s.close(&mut t.out);
        assert_eq!(t.got(3).unwrap_err(), Error::Closed);
        assert_eq!(t.failed(4).0, Error::Closed);
        t.idle();
        t.send(5, b"y", true);
        assert_eq!(t.failed(5).0, Error::Closed);
    }

    #[test]
    fn poly_sent_and_recv_for_unknown_pipes_ignored() {
        let mut t = T::poly();
        t.join(1);
        t.sent(9);
        t.rx(9, &wire(1, b"x"));
        t.rm(9);
        t.idle();
        assert!(!t.s.can_recv());
    }
}
