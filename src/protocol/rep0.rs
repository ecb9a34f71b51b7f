//! The rep0 protocol core: REP v0, cooked (backtrace kept per context,
//! contexts) and raw (xrep). Reference: WIRE.md §9.6, §9.8; upstream
//! `src/sp/protocol/reqrep0/{rep,xrep}.c` (v1.12.0), followed exactly:
//!
//! - Each pipe holds at most one unread request and reads nothing more until
//!   a receiver takes it; pipes with a waiting request are served in arrival
//!   order.
//! - A receive stores the request's backtrace and arrival pipe in the
//!   context; the application sees the body only. More than `ttl-max`
//!   backtrace words: dropped (pipe kept); no word with bit 31: pipe closed.
//! - A reply needs a prior receive on that context (`NNG_ESTATE`), goes to
//!   the arrival pipe only, is discarded (send still succeeds) if that pipe is
//!   gone, and waits for the pipe to finish its current write (one reply in
//!   flight per pipe; others queue per pipe, subject to the send timeout).
//! - Raw (xrep): the header exposes `[arrival pipe id][backtrace]`; on send
//!   the first header word picks the pipe, whose 64-deep queue drops when
//!   full.
//!
//! The respondent0 core is the same machine with two upstream differences
//! (see `Flavor`); `respondent0` builds on the engines here.

use crate::core::error::{Error, Result};
use crate::core::fasthash::FastMap;
use crate::core::msg::Msg;
use crate::core::options::{OptDesc, OptType, OptValue};
use crate::protocol::kit::{
    check_queue, check_ttl, delegate_protocol, header_u32, move_backtrace, Backtrace, OrderedSet,
    PipeQueue, RecvQueue, DEFAULT_RECVBUF, DEFAULT_SENDBUF, DEFAULT_TTL, OPT_MAXTTL, OPT_RECVBUF,
    OPT_SENDBUF,
};
use crate::protocol::{
    Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time, SOCKET_CTX,
};

/// Protocol number of rep v0 (`NNG_REP0_SELF`, 3/1; wire value, never changes).
pub const PROTO_SELF: u16 = 0x31;
/// Protocol number of its peer, req v0 (`NNG_REP0_PEER`).
pub const PROTO_PEER: u16 = 0x30;
/// `NNG_REP0_SELF_NAME`.
pub const SELF_NAME: &str = "rep";
/// `NNG_REP0_PEER_NAME`.
pub const PEER_NAME: &str = "req";

/// Depth of each pipe's reply queue in raw mode (upstream xrep: 64).
pub const RAW_PIPE_QUEUE: usize = 64;

pub(crate) const OPTIONS: &[OptDesc] = &[
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

/// A rep0 socket core (cooked or raw).
pub struct Socket {
    inner: Inner,
}

enum Inner {
    Cooked(Box<Responder>),
    Raw(Box<RawResponder>),
}

impl Socket {
    /// A new core (`seed` is unused: rep allocates no ids).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        let inner = if raw {
            Inner::Raw(Box::new(RawResponder::new(info(true), RAW_PIPE_QUEUE)))
        } else {
            Inner::Cooked(Box::new(Responder::new(info(false), Flavor::Rep)))
        };
        Socket { inner }
    }
}

delegate_protocol!(Socket, Inner { Cooked, Raw });

fn info(raw: bool) -> ProtoInfo {
    ProtoInfo {
        self_id: PROTO_SELF,
        peer_id: PROTO_PEER,
        self_name: SELF_NAME,
        peer_name: PEER_NAME,
        raw,
    }
}

/// Where rep and respondent differ (upstream quirks kept on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// rep0: a reply that must wait for its pipe fails at once when the send
    /// may not wait; taking a request marks the socket writable only if its
    /// pipe is idle.
    Rep,
    /// respondent0: a send that may not wait always fails (`NNG_ETIMEDOUT`),
    /// before any state check; taking a request always marks it writable.
    Respondent,
}

/// Largest stored backtrace: 15 hops + id.
const BTRACE_MAX: usize = 64;

struct Ctx {
    /// Arrival pipe of the last request (0: none).
    pipe_id: PipeId,
    btrace: [u8; BTRACE_MAX],
    btrace_len: usize,
    recv_op: Option<OpId>,
    /// A reply waiting for its pipe: (op, pipe, message).
    send: Option<(OpId, PipeId, Msg)>,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            pipe_id: 0,
            btrace: [0; BTRACE_MAX],
            btrace_len: 0,
            recv_op: None,
            send: None,
        }
    }

    /// Takes the request's backtrace out of its header.
    fn store(&mut self, pipe: PipeId, msg: &mut Msg) {
        let h = msg.header();
        let n = h.len().min(BTRACE_MAX);
        self.btrace[..n].copy_from_slice(&h[..n]);
        self.btrace_len = n;
        self.pipe_id = pipe;
        msg.header_clear();
    }
}

#[derive(Default)]
struct Pipe {
    busy: bool,
    /// Contexts whose replies wait for this pipe, FIFO.
    sendq: OrderedSet<CtxId>,
    /// A request waiting for a receiver (the pipe reads nothing more).
    held: Option<Msg>,
}

/// The cooked rep/respondent engine (`rep0_sock` / `resp0_sock`).
pub(crate) struct Responder {
    info: ProtoInfo,
    flavor: Flavor,
    closed: bool,
    ttl: i32,
    recvbuf: i32,
    sendbuf: i32,
    ctxs: FastMap<CtxId, Ctx>,
    pipes: FastMap<PipeId, Pipe>,
    /// Pipes holding an unread request, in arrival order.
    recvpipes: OrderedSet<PipeId>,
    /// Contexts waiting for a request, FIFO.
    recvq: OrderedSet<CtxId>,
    ops: FastMap<OpId, CtxId>,
    readable: bool,
    writable: bool,
}

impl Responder {
    pub(crate) fn new(info: ProtoInfo, flavor: Flavor) -> Responder {
        let mut ctxs = FastMap::default();
        ctxs.insert(SOCKET_CTX, Ctx::new());
        Responder {
            info,
            flavor,
            closed: false,
            ttl: DEFAULT_TTL,
            recvbuf: DEFAULT_RECVBUF,
            sendbuf: DEFAULT_SENDBUF,
            ctxs,
            pipes: FastMap::default(),
            recvpipes: OrderedSet::default(),
            recvq: OrderedSet::default(),
            ops: FastMap::default(),
            readable: false,
            writable: false,
        }
    }

    fn master_pipe(&self) -> PipeId {
        self.ctxs.get(&SOCKET_CTX).map_or(0, |c| c.pipe_id)
    }

    /// Fails a context's pending operations (close paths: the reply keeps
    /// its header, as upstream).
    fn fail_ctx(&mut self, c: CtxId, err: Error, out: &mut Actions) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        if let Some((op, pipe, msg)) = ctx.send.take() {
            self.ops.remove(&op);
            if let Some(p) = self.pipes.get_mut(&pipe) {
                p.sendq.remove(c);
            }
            out.push_back(Action::SendFailed { op, err, msg });
        }
        if let Some(op) = ctx.recv_op.take() {
            self.ops.remove(&op);
            self.recvq.remove(c);
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        }
    }
}

impl Protocol for Responder {
    fn uses_clock(&self) -> bool {
        false
    }

    fn info(&self) -> ProtoInfo {
        self.info
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Inval);
        }
        self.pipes.insert(pipe, Pipe::default());
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        let Some(p) = self.pipes.remove(&pipe) else {
            return;
        };
        self.recvpipes.remove(pipe);
        // Replies waiting for this pipe "succeed": the peer lost interest.
        for c in p.sendq.iter() {
            if let Some((op, _, _)) = self.ctxs.get_mut(&c).and_then(|x| x.send.take()) {
                self.ops.remove(&op);
                out.push_back(Action::SendDone { op });
            }
        }
        if pipe == self.master_pipe() {
            self.writable = true;
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        let master = self.master_pipe();
        let Some(p) = self.pipes.get_mut(&pipe) else {
            return;
        };
        p.busy = false;
        while let Some(c) = p.sendq.pop_front() {
            let Some((op, _, msg)) = self.ctxs.get_mut(&c).and_then(|x| x.send.take()) else {
                continue;
            };
            self.ops.remove(&op);
            p.busy = true;
            out.push_back(Action::Send { pipe, msg });
            out.push_back(Action::SendDone { op });
            return;
        }
        if pipe == master {
            self.writable = true;
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        let Some(p) = self.pipes.get_mut(&pipe) else {
            return;
        };
        match move_backtrace(&mut msg, Some(self.ttl)) {
            Backtrace::Moved => {}
            Backtrace::TooManyHops => {
                out.push_back(Action::Recv { pipe });
                return;
            }
            Backtrace::Malformed => {
                out.push_back(Action::ClosePipe { pipe });
                return;
            }
        }
        let Some(c) = self.recvq.pop_front() else {
            // Nobody waiting: hold it, read nothing more from this pipe.
            p.held = Some(msg);
            self.recvpipes.push_back(pipe);
            self.readable = true;
            return;
        };
        let busy = p.busy;
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        let Some(op) = ctx.recv_op.take() else {
            return;
        };
        self.ops.remove(&op);
        if c == SOCKET_CTX && !busy {
            self.writable = true;
        }
        out.push_back(Action::Recv { pipe });
        ctx.store(pipe, &mut msg);
        out.push_back(Action::RecvDone {
            op,
            result: Ok(msg),
        });
    }

    fn send(
        &mut self,
        ctx: CtxId,
        op: OpId,
        mut msg: Msg,
        wait: bool,
        _now: Time,
        out: &mut Actions,
    ) {
        msg.header_clear();
        let closed = self.closed;
        let Some(c) = self.ctxs.get_mut(&ctx).filter(|_| !closed) else {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        };
        if ctx == SOCKET_CTX {
            // One reply per request: whatever happens, the socket is no
            // longer writable.
            self.writable = false;
        }
        if self.flavor == Flavor::Respondent && !wait {
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
            return;
        }
        let len = c.btrace_len;
        let pipe = c.pipe_id;
        c.btrace_len = 0;
        c.pipe_id = 0;
        if len == 0 || c.send.is_some() {
            out.push_back(Action::SendFailed {
                op,
                err: Error::State,
                msg,
            });
            return;
        }
        if let Err(err) = msg.header_append(&c.btrace[..len]) {
            out.push_back(Action::SendFailed { op, err, msg });
            return;
        }
        let Some(p) = self.pipes.get_mut(&pipe) else {
            // The requester is gone: discard the reply, report success.
            out.push_back(Action::SendDone { op });
            return;
        };
        if !p.busy {
            p.busy = true;
            out.push_back(Action::Send { pipe, msg });
            out.push_back(Action::SendDone { op });
            return;
        }
        if !wait {
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
            return;
        }
        c.send = Some((op, pipe, msg));
        p.sendq.push_back(ctx);
        self.ops.insert(op, ctx);
    }

    fn recv(&mut self, ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        let closed = self.closed;
        let Some(c) = self.ctxs.get_mut(&ctx).filter(|_| !closed) else {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
            return;
        };
        let Some(pipe) = self.recvpipes.pop_front() else {
            let err = if !wait {
                Error::TimedOut
            } else if c.recv_op.is_some() {
                // Only one receive per context at a time.
                Error::State
            } else {
                c.recv_op = Some(op);
                self.recvq.push_back(ctx);
                self.ops.insert(op, ctx);
                return;
            };
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
            return;
        };
        if self.recvpipes.is_empty() {
            self.readable = false;
        }
        let Some(p) = self.pipes.get_mut(&pipe) else {
            return;
        };
        let Some(mut msg) = p.held.take() else {
            return;
        };
        out.push_back(Action::Recv { pipe });
        if ctx == SOCKET_CTX && (self.flavor == Flavor::Respondent || !p.busy) {
            self.writable = true;
        }
        c.store(pipe, &mut msg);
        out.push_back(Action::RecvDone {
            op,
            result: Ok(msg),
        });
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        let Some(&c) = self.ops.get(&op) else {
            return;
        };
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        if ctx.recv_op == Some(op) {
            ctx.recv_op = None;
            self.recvq.remove(c);
            self.ops.remove(&op);
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        } else if ctx.send.as_ref().is_some_and(|s| s.0 == op) {
            if let Some((op, pipe, mut msg)) = ctx.send.take() {
                self.ops.remove(&op);
                if let Some(p) = self.pipes.get_mut(&pipe) {
                    p.sendq.remove(c);
                }
                msg.header_clear();
                out.push_back(Action::SendFailed { op, err, msg });
            }
        }
    }

    fn ctx_open(&mut self, ctx: CtxId) -> Result<()> {
        if self.closed {
            return Err(Error::Closed);
        }
        if self.ctxs.contains_key(&ctx) {
            return Err(Error::Busy);
        }
        self.ctxs.insert(ctx, Ctx::new());
        Ok(())
    }

    fn ctx_close(&mut self, ctx: CtxId, out: &mut Actions) {
        self.fail_ctx(ctx, Error::Closed, out);
        if ctx != SOCKET_CTX {
            self.ctxs.remove(&ctx);
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        OPTIONS
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_MAXTTL => self.ttl = check_ttl(val)?,
            OPT_RECVBUF => self.recvbuf = check_queue(val)?,
            OPT_SENDBUF => self.sendbuf = check_queue(val)?,
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }

    fn get_option(&self, ctx: CtxId, name: &str) -> Result<OptValue> {
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_MAXTTL => Ok(OptValue::Int(self.ttl)),
            OPT_RECVBUF => Ok(OptValue::Int(self.recvbuf)),
            OPT_SENDBUF => Ok(OptValue::Int(self.sendbuf)),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        self.readable
    }

    fn can_send(&self) -> bool {
        self.writable
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        let mut ids: Vec<CtxId> = self.ctxs.keys().copied().collect();
        ids.sort_unstable();
        for c in ids {
            self.fail_ctx(c, Error::Closed, out);
        }
    }
}

/// The raw rep/respondent engine (`xrep0` / `xresp0`): stateless; the
/// header carries `[arrival pipe id][backtrace]` both ways.
pub(crate) struct RawResponder {
    info: ProtoInfo,
    closed: bool,
    ttl: i32,
    sendbuf: i32,
    /// Depth of each pipe's reply queue.
    depth: usize,
    pipes: FastMap<PipeId, PipeQueue>,
    urq: RecvQueue,
}

impl RawResponder {
    pub(crate) fn new(info: ProtoInfo, depth: usize) -> RawResponder {
        RawResponder {
            info,
            closed: false,
            ttl: DEFAULT_TTL,
            sendbuf: DEFAULT_SENDBUF,
            depth,
            pipes: FastMap::default(),
            urq: RecvQueue::new(DEFAULT_RECVBUF),
        }
    }
}

impl Protocol for RawResponder {
    fn uses_clock(&self) -> bool {
        false
    }

    fn info(&self) -> ProtoInfo {
        self.info
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Inval);
        }
        self.pipes.insert(pipe, PipeQueue::new());
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.pipes.remove(&pipe).is_some() {
            self.urq.pipe_gone(pipe);
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if let Some(p) = self.pipes.get_mut(&pipe) {
            p.sent(pipe, out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        if self.closed || !self.pipes.contains_key(&pipe) {
            return;
        }
        if msg.header_append(&pipe.to_be_bytes()).is_err() {
            out.push_back(Action::Recv { pipe });
            return;
        }
        match move_backtrace(&mut msg, Some(self.ttl)) {
            Backtrace::Moved => self.urq.put(pipe, msg, out),
            Backtrace::TooManyHops => out.push_back(Action::Recv { pipe }),
            Backtrace::Malformed => out.push_back(Action::ClosePipe { pipe }),
        }
    }

    fn send(
        &mut self,
        ctx: CtxId,
        op: OpId,
        mut msg: Msg,
        _wait: bool,
        _now: Time,
        out: &mut Actions,
    ) {
        if self.closed || ctx != SOCKET_CTX {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        // Never blocks: undeliverable replies are dropped silently.
        out.push_back(Action::SendDone { op });
        let Some(pipe) = header_u32(&msg) else {
            return;
        };
        if msg.header_trim(4).is_err() {
            return;
        }
        if let Some(p) = self.pipes.get_mut(&pipe) {
            p.try_send(pipe, msg, self.depth, out);
        }
    }

    fn recv(&mut self, ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed || ctx != SOCKET_CTX {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
            return;
        }
        self.urq.get(op, wait, out);
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        self.urq.cancel(op, err, out);
    }

    fn options(&self) -> &'static [OptDesc] {
        OPTIONS
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_MAXTTL => self.ttl = check_ttl(val)?,
            OPT_RECVBUF => self.urq.resize(check_queue(val)?),
            OPT_SENDBUF => self.sendbuf = check_queue(val)?,
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }

    fn get_option(&self, ctx: CtxId, name: &str) -> Result<OptValue> {
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_MAXTTL => Ok(OptValue::Int(self.ttl)),
            OPT_RECVBUF => Ok(OptValue::Int(self.urq.cap())),
            OPT_SENDBUF => Ok(OptValue::Int(self.sendbuf)),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        self.urq.readable()
    }

    fn can_send(&self) -> bool {
        true
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        self.urq.close(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::req0;
    use crate::protocol::testing::{wire, Harness, NodeId};

    const ID: u32 = 0x8000_1234;

    fn rep_and_probe() -> (Harness, NodeId, NodeId, PipeId) {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        (h, r, p, l.b)
    }

    fn int(v: i32) -> OptValue {
        OptValue::Int(v)
    }

    #[test]
    fn identity() {
        let s = Socket::new(false, 0);
        assert_eq!((s.info().self_id, s.info().peer_id), (0x31, 0x30));
        assert_eq!((s.info().self_name, s.info().peer_name), ("rep", "req"));
        assert!(!s.info().raw);
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn request_body_delivered_and_reply_carries_backtrace() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rx = h.recv(r, 0);
        h.inject(p, pp, &wire(&[ID], b"ping"));
        let m = h.msg(rx);
        assert_eq!(m.body(), b"ping");
        assert!(m.header().is_empty());
        assert_eq!(m.pipe(), h.pipes(r)[0]);
        let mut reply = Msg::from_slice(b"pong");
        reply.header_append(b"junk").unwrap();
        let tx = h.send_msg(r, 0, reply, true, None);
        h.sent(tx);
        assert_eq!(h.probe_recv(p), Some((pp, wire(&[ID], b"pong"))));
    }

    #[test]
    fn multi_hop_backtrace_is_returned_verbatim() {
        let (mut h, r, p, pp) = rep_and_probe();
        h.inject(p, pp, &wire(&[3, 4, ID], b"deep"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"deep");
        h.send(r, 0, b"back");
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&[3, 4, ID], b"back"));
    }

    #[test]
    fn send_without_request_is_estate() {
        let (mut h, r, p, pp) = rep_and_probe();
        let tx = h.send(r, 0, b"x");
        let (e, m) = h.send_failed(tx);
        assert_eq!(e, Error::State);
        assert_eq!(m.body(), b"x");
        h.inject(p, pp, &wire(&[ID], b"q"));
        let rx = h.recv(r, 0);
        h.take(rx);
        let tx = h.send(r, 0, b"a");
        h.sent(tx);
        let tx = h.send(r, 0, b"b");
        assert_eq!(h.err(tx), Error::State, "one reply per request");
    }

    #[test]
    fn ttl_drop_keeps_the_pipe() {
        // upstream "rep ttl drop", MAXTTL 3.
        let (mut h, r, p, pp) = rep_and_probe();
        h.set_opt(r, 0, OPT_MAXTTL, int(3)).unwrap();
        h.inject(p, pp, &wire(&[1, 0x8000_0001], b"PASS1"));
        h.inject(p, pp, &wire(&[1, 2, 3, 0x8000_0002], b"FAIL2"));
        h.inject(p, pp, &wire(&[1, 2, 0x8000_0003], b"PASS3"));
        h.inject(p, pp, &wire(&[1, 2, 3, 0x8000_0003], b"FAIL4"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"PASS1");
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"PASS3");
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        assert_eq!(h.pipes(r).len(), 1);
    }

    #[test]
    fn ttl_at_fifteen_accepts_fifteen_words() {
        let (mut h, r, p, pp) = rep_and_probe();
        h.set_opt(r, 0, OPT_MAXTTL, int(15)).unwrap();
        let mut words: Vec<u32> = (1..15).collect();
        words.push(ID);
        h.inject(p, pp, &wire(&words, b"ok"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"ok");
        h.send(r, 0, b"r");
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&words, b"r"));
    }

    #[test]
    fn malformed_requests_close_the_pipe() {
        for bad in [vec![0x80, 0, 0], wire(&[1], b""), wire(&[1, 2, 3], b"ab")] {
            let (mut h, r, p, pp) = rep_and_probe();
            h.inject(p, pp, &bad);
            assert!(h.pipes(r).is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn reply_goes_to_the_arrival_pipe() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let p1 = h.add_probe();
        let p2 = h.add_probe();
        let _l1 = h.connect(r, p1).unwrap();
        let l2 = h.connect(r, p2).unwrap();
        h.inject(p2, l2.b, &wire(&[ID], b"from2"));
        let rx = h.recv(r, 0);
        assert_eq!(h.msg(rx).pipe(), l2.a);
        h.send(r, 0, b"to2");
        assert_eq!(h.probe_recv(p1), None);
        assert_eq!(h.probe_recv(p2), Some((l2.b, wire(&[ID], b"to2"))));
    }

    #[test]
    fn reply_to_vanished_pipe_is_discarded_but_succeeds() {
        let (mut h, r, p, pp) = rep_and_probe();
        h.inject(p, pp, &wire(&[ID], b"q"));
        let rx = h.recv(r, 0);
        h.take(rx);
        h.close_pipe(p, pp);
        assert!(
            h.core(r).can_send(),
            "writable: the reply will be discarded"
        );
        let tx = h.send(r, 0, b"lost");
        h.sent(tx);
        assert!(!h.core(r).can_send());
    }

    #[test]
    fn reply_waits_for_its_pipe_to_be_free() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        let c1 = h.ctx_open(r).unwrap();
        let c2 = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 1], b"q2"));
        let r1 = h.recv(r, c1);
        let r2 = h.recv(r, c2);
        assert_eq!(h.body(r1), b"q1");
        assert_eq!(h.body(r2), b"q2");
        h.stall(r, rpipe, true);
        let t1 = h.send(r, c1, b"a1");
        h.sent(t1);
        let t2 = h.send(r, c2, b"a2");
        assert!(h.is_pending(t2), "the pipe is still writing a1");
        h.stall(r, rpipe, false);
        h.sent(t2);
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&[ID], b"a1"));
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&[ID + 1], b"a2"));
    }

    #[test]
    fn reply_that_cannot_wait_fails_and_loses_the_request() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        let c1 = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 1], b"q2"));
        let r1 = h.recv(r, 0);
        let r2 = h.recv(r, c1);
        h.take(r1);
        h.take(r2);
        h.stall(r, rpipe, true);
        let t = h.send(r, 0, b"a1");
        h.sent(t);
        let t = h.send_nb(r, c1, b"a2");
        let (e, m) = h.send_failed(t);
        assert_eq!(e, Error::TimedOut);
        assert_eq!(
            m.header(),
            wire(&[ID + 1], b"").as_slice(),
            "upstream keeps the header"
        );
        let t = h.send(r, c1, b"again");
        assert_eq!(h.err(t), Error::State);
    }

    #[test]
    fn queued_reply_timeout_returns_message_with_clean_header() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        let c1 = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 1], b"q2"));
        let r1 = h.recv(r, 0);
        let r2 = h.recv(r, c1);
        h.take(r1);
        h.take(r2);
        h.stall(r, rpipe, true);
        let t = h.send(r, 0, b"a1");
        h.sent(t);
        let t = h.send_timeout(r, c1, b"a2", 200);
        h.drive();
        let (e, m) = h.send_failed(t);
        assert_eq!(e, Error::TimedOut);
        assert!(m.header().is_empty());
        assert_eq!(m.body(), b"a2");
    }

    #[test]
    fn queued_reply_completes_when_pipe_closes() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        let c1 = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 1], b"q2"));
        let r1 = h.recv(r, 0);
        let r2 = h.recv(r, c1);
        h.take(r1);
        h.take(r2);
        h.stall(r, rpipe, true);
        let t = h.send(r, 0, b"a1");
        h.sent(t);
        let t = h.send(r, c1, b"a2");
        assert!(h.is_pending(t));
        h.close_pipe(p, pp);
        h.sent(t);
    }

    #[test]
    fn each_pipe_holds_one_request_and_pipes_are_served_in_order() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        let p1 = h.add_probe();
        let p2 = h.add_probe();
        let l1 = h.connect(r, p1).unwrap();
        let l2 = h.connect(r, p2).unwrap();
        assert!(!h.core(r).can_recv());
        h.inject(p1, l1.b, &wire(&[ID], b"1a"));
        h.inject(p1, l1.b, &wire(&[ID], b"1b"));
        h.inject(p2, l2.b, &wire(&[ID], b"2a"));
        assert!(h.core(r).can_recv());
        let order: Vec<Vec<u8>> = (0..3)
            .map(|_| {
                let rx = h.recv_nb(r, 0);
                h.body(rx)
            })
            .collect();
        // 1b is read from p1 only after 1a was taken, so 2a comes first.
        assert_eq!(order, vec![b"1a".to_vec(), b"2a".to_vec(), b"1b".to_vec()]);
        assert!(!h.core(r).can_recv());
    }

    #[test]
    fn receive_rules() {
        let (mut h, r, _, _) = rep_and_probe();
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        let r1 = h.recv(r, 0);
        let r2 = h.recv(r, 0);
        assert_eq!(h.err(r2), Error::State);
        let r3 = h.recv_nb(r, 0);
        assert_eq!(h.err(r3), Error::TimedOut, "checked before the state");
        h.cancel(r, r1, Error::Canceled);
        assert_eq!(h.err(r1), Error::Canceled);
        let r4 = h.recv_timeout(r, 0, 50);
        h.drive();
        assert_eq!(h.err(r4), Error::TimedOut);
    }

    #[test]
    fn a_second_receive_replaces_the_backtrace() {
        let (mut h, r, p, pp) = rep_and_probe();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 5], b"q2"));
        let rx = h.recv(r, 0);
        h.take(rx);
        let rx = h.recv(r, 0);
        h.take(rx);
        h.send(r, 0, b"a");
        assert_eq!(h.probe_recv(p).unwrap().1, wire(&[ID + 5], b"a"));
    }

    #[test]
    fn writable_follows_upstream_pollable() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        assert!(!h.core(r).can_send());
        h.inject(p, pp, &wire(&[ID], b"q"));
        assert!(!h.core(r).can_send());
        let rx = h.recv(r, 0);
        h.take(rx);
        assert!(h.core(r).can_send());
        h.stall(r, rpipe, true);
        h.send(r, 0, b"a");
        assert!(!h.core(r).can_send(), "cleared by the send");
        // A request taken while its pipe is busy does not make the socket
        // writable until that pipe finishes writing.
        h.inject(p, pp, &wire(&[ID], b"q"));
        let rx = h.recv(r, 0);
        h.take(rx);
        assert!(!h.core(r).can_send());
        h.stall(r, rpipe, false);
        assert!(h.core(r).can_send());
        h.send(r, 0, b"b");
        assert!(!h.core(r).can_send());
    }

    #[test]
    fn close_paths() {
        let (mut h, r, p, pp) = rep_and_probe();
        let rpipe = h.pipes(r)[0];
        let c1 = h.ctx_open(r).unwrap();
        let c2 = h.ctx_open(r).unwrap();
        h.inject(p, pp, &wire(&[ID], b"q1"));
        h.inject(p, pp, &wire(&[ID + 1], b"q2"));
        let r1 = h.recv(r, c1);
        let r2 = h.recv(r, 0);
        h.take(r1);
        h.take(r2);
        h.stall(r, rpipe, true);
        let t0 = h.send(r, 0, b"a0");
        h.sent(t0);
        let t1 = h.send(r, c1, b"a1");
        let rx2 = h.recv(r, c2);
        h.ctx_close(r, c1);
        let (e, m) = h.send_failed(t1);
        assert_eq!((e, m.body()), (Error::Closed, &b"a1"[..]));
        let rx0 = h.recv(r, 0);
        h.close(r);
        assert_eq!(h.err(rx2), Error::Closed);
        assert_eq!(h.err(rx0), Error::Closed);
        let t = h.send(r, 0, b"x");
        assert_eq!(h.err(t), Error::Closed);
        assert_eq!(h.pending_count(), 0);
    }

    #[test]
    fn options() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 0));
        assert_eq!(h.get_opt(r, 0, OPT_MAXTTL), Ok(int(8)));
        assert_eq!(h.set_opt(r, 0, OPT_MAXTTL, int(0)), Err(Error::Inval));
        assert_eq!(h.set_opt(r, 0, OPT_MAXTTL, int(16)), Err(Error::Inval));
        h.set_opt(r, 0, OPT_MAXTTL, int(3)).unwrap();
        assert_eq!(h.get_opt(r, 0, OPT_MAXTTL), Ok(int(3)));
        assert_eq!(h.get_opt(r, 0, OPT_RECVBUF), Ok(int(1)));
        let c = h.ctx_open(r).unwrap();
        assert_eq!(h.get_opt(r, c, OPT_MAXTTL), Err(Error::NotSup));
        assert_eq!(h.get_opt(r, 0, "req:resend-time"), Err(Error::NotSup));
    }

    #[test]
    fn req_and_rep_cores_exchange_with_a_thousand_contexts() {
        let mut h = Harness::new();
        let q = h.add(req0::Socket::new(false, 99));
        let r = h.add(Socket::new(false, 0));
        h.connect(q, r).unwrap();
        let qc: Vec<CtxId> = (0..1000).map(|_| h.ctx_open(q).unwrap()).collect();
        let rc: Vec<CtxId> = (0..1000).map(|_| h.ctx_open(r).unwrap()).collect();
        let rrx: Vec<OpId> = rc.iter().map(|&c| h.recv(r, c)).collect();
        let mut qrx = Vec::new();
        for (i, &c) in qc.iter().enumerate() {
            let tx = h.send(q, c, format!("{i}").as_bytes());
            h.sent(tx);
            qrx.push(h.recv(q, c));
        }
        // Each rep context got one request; answer from the last one first.
        let got: Vec<Vec<u8>> = rrx.into_iter().map(|op| h.body(op)).collect();
        for (i, &c) in rc.iter().enumerate().rev() {
            let mut a = b"re:".to_vec();
            a.extend_from_slice(&got[i]);
            let tx = h.send(r, c, &a);
            h.sent(tx);
        }
        for (i, op) in qrx.into_iter().enumerate() {
            assert_eq!(h.body(op), format!("re:{i}").as_bytes());
        }
    }

    #[test]
    fn req_resends_to_another_rep_when_its_rep_goes_away() {
        let mut h = Harness::new();
        let q = h.add(req0::Socket::new(false, 5));
        let r1 = h.add(Socket::new(false, 0));
        let r2 = h.add(Socket::new(false, 0));
        let l1 = h.connect(q, r1).unwrap();
        h.send(q, 0, b"ping");
        let rx1 = h.recv(r1, 0);
        assert_eq!(h.body(rx1), b"ping");
        let qrx = h.recv(q, 0);
        h.connect(q, r2).unwrap();
        h.close_pipe(q, l1.a);
        let rx2 = h.recv(r2, 0);
        assert_eq!(h.body(rx2), b"ping");
        h.send(r2, 0, b"rep2");
        assert_eq!(h.body(qrx), b"rep2");
        // rep1's late answer has nowhere to go.
        let t = h.send(r1, 0, b"rep1");
        h.sent(t);
    }

    #[test]
    fn lost_request_is_resent_and_duplicate_reply_dropped() {
        let mut h = Harness::new();
        let q = h.add(req0::Socket::new(false, 5));
        let r = h.add(Socket::new(false, 0));
        let l = h.connect(q, r).unwrap();
        let c1 = h.ctx_open(r).unwrap();
        h.drop_writes(q, l.a, true);
        h.send(q, 0, b"ping");
        h.drop_writes(q, l.a, false);
        let qrx = h.recv(q, 0);
        let rrx = h.recv(r, 0);
        h.advance(59_999);
        assert!(h.is_pending(rrx), "the first copy was lost");
        h.advance(1);
        assert_eq!(h.body(rrx), b"ping");
        // rep is slow; req sends again on the next tick.
        let rrx2 = h.recv(r, c1);
        h.advance(1000);
        assert_eq!(h.body(rrx2), b"ping");
        h.send(r, 0, b"one");
        assert_eq!(h.body(qrx), b"one");
        let t = h.send(r, c1, b"two");
        h.sent(t);
        let qrx = h.recv(q, 0);
        assert_eq!(h.err(qrx), Error::State, "the duplicate answer was dropped");
    }

    #[test]
    fn raw_header_exposes_pipe_id_and_backtrace() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 0));
        assert_eq!(h.ctx_open(r), Err(Error::NotSup));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        h.inject(p, l.b, &wire(&[7, ID], b"raw"));
        let rx = h.recv(r, 0);
        let m = h.msg(rx);
        assert_eq!(m.header(), wire(&[l.a, 7, ID], b"").as_slice());
        assert_eq!(m.body(), b"raw");
        // Echo it back: the first header word routes, the rest goes out.
        let tx = h.send_msg(r, 0, m, true, None);
        h.sent(tx);
        assert_eq!(h.probe_recv(p), Some((l.b, wire(&[7, ID], b"raw"))));
    }

    #[test]
    fn raw_ttl_does_not_count_the_pipe_word() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 0));
        h.set_opt(r, 0, OPT_MAXTTL, int(2)).unwrap();
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        h.inject(p, l.b, &wire(&[1, 2, ID], b"drop"));
        h.inject(p, l.b, &wire(&[1, ID], b"keep"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"keep");
        h.inject(p, l.b, &wire(&[1], b""));
        assert!(h.pipes(r).is_empty(), "malformed closes");
    }

    #[test]
    fn raw_send_drops_unroutable_and_overflowing_replies() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 0));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        assert!(h.core(r).can_send());
        // No header, short header, unknown pipe: dropped, send succeeds.
        let t = h.send(r, 0, b"nohdr");
        h.sent(t);
        let mut m = Msg::from_slice(b"short");
        m.header_append(&[0, 0, 1]).unwrap();
        let t = h.send_msg(r, 0, m, false, None);
        h.sent(t);
        let mut m = Msg::from_slice(b"nobody");
        m.header_append(&wire(&[0x7fff_0000, ID], b"")).unwrap();
        let t = h.send_msg(r, 0, m, false, None);
        h.sent(t);
        assert_eq!(h.probe_recv(p), None);
        // One in flight + 64 queued; the 66th is dropped.
        h.stall(r, l.a, true);
        for i in 0..66u32 {
            let mut m = Msg::from_slice(&i.to_be_bytes());
            m.header_append(&wire(&[l.a, ID], b"")).unwrap();
            let t = h.send_msg(r, 0, m, false, None);
            h.sent(t);
        }
        h.stall(r, l.a, false);
        let mut n = 0u32;
        while let Some((_, bytes)) = h.probe_recv(p) {
            assert_eq!(bytes, wire(&[ID, n], b""));
            n += 1;
        }
        assert_eq!(n, 65);
    }

    #[test]
    fn raw_receive_backpressure_and_recvbuf() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 0));
        h.set_opt(r, 0, OPT_RECVBUF, int(0)).unwrap();
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        h.inject(p, l.b, &wire(&[ID], b"a"));
        h.inject(p, l.b, &wire(&[ID], b"b"));
        assert!(h.core(r).can_recv());
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.body(rx), b"a");
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.body(rx), b"b");
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        assert_eq!(h.get_opt(r, 0, OPT_RECVBUF), Ok(int(0)));
    }

    #[test]
    fn device_chain_req_xrep_xreq_rep() {
        // req -> [xrep | xreq] -> rep, with the test moving messages across
        // the device; the reply finds its way back by the pushed pipe id.
        let mut h = Harness::new();
        let q = h.add(req0::Socket::new(false, 11));
        let xrep = h.add(Socket::new(true, 0));
        let xreq = h.add(req0::Socket::new(true, 0));
        let r = h.add(Socket::new(false, 0));
        h.connect(q, xrep).unwrap();
        h.connect(xreq, r).unwrap();
        h.send(q, 0, b"hello");
        let qrx = h.recv(q, 0);
        let up = h.recv(xrep, 0);
        let m = h.msg(up);
        assert_eq!(m.header().len(), 8, "pipe id + request id");
        let t = h.send_msg(xreq, 0, m, true, None);
        h.sent(t);
        let rrx = h.recv(r, 0);
        assert_eq!(h.body(rrx), b"hello");
        h.send(r, 0, b"world");
        let down = h.recv(xreq, 0);
        let m = h.msg(down);
        assert_eq!(m.header().len(), 8);
        let t = h.send_msg(xrep, 0, m, true, None);
        h.sent(t);
        assert_eq!(h.body(qrx), b"world");
    }
}
