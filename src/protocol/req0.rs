//! The req0 protocol core: REQ v0, cooked (request ids, resends, contexts)
//! and raw (xreq). Reference: WIRE.md §9.6, upstream
//! `src/sp/protocol/reqrep0/{req,xreq}.c` (v1.12.0), whose behaviour this
//! follows exactly, quirks included:
//!
//! - A request goes to the first idle pipe (FIFO over pipes, FIFO over
//!   contexts waiting to send); the user's send completes when the request is
//!   handed to a pipe, not when the reply arrives.
//! - Resends are driven by one socket timer that fires every
//!   `req:resend-tick` while any context is on the retry list; a request is
//!   due once `req:resend-time` has passed since it was sent. As upstream
//!   never pushes the deadline forward after a resend, a request that stays
//!   unanswered is then resent on every tick.
//! - Losing the pipe that carried a request re-queues it at once (or, with
//!   resends disabled, fails the pending receive with `NNG_ECONNRESET`,
//!   or makes the next receive return it).
//! - A new send on a context cancels its previous request (`NNG_ECANCELED`);
//!   canceling or timing out a receive aborts the request.
//!
//! Sans-IO: see `protocol/mod.rs` for the contract.

use crate::core::fasthash::{FastMap, FastSet};
use std::collections::BTreeSet;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_ms, OptDesc, OptType, OptValue};
use crate::core::stats::{self, ProtoStat};
use crate::protocol::kit::{
    body_u32, check_queue, check_ttl, delegate_protocol, move_backtrace, Backtrace, IdAlloc,
    OrderedSet, RecvQueue, SendQueue, DEFAULT_RECVBUF, DEFAULT_SENDBUF, DEFAULT_TTL, OPT_MAXTTL,
    OPT_RECVBUF, OPT_SENDBUF,
};
use crate::protocol::{
    Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time, SOCKET_CTX,
};

/// Protocol number of req v0 (`NNG_REQ0_SELF`, 3/0; wire value, never changes).
pub const PROTO_SELF: u16 = 0x30;
/// Protocol number of its peer, rep v0 (`NNG_REQ0_PEER`).
pub const PROTO_PEER: u16 = 0x31;
/// `NNG_REQ0_SELF_NAME`.
pub const SELF_NAME: &str = "req";
/// `NNG_REQ0_PEER_NAME`.
pub const PEER_NAME: &str = "rep";

/// `NNG_OPT_REQ_RESENDTICK` (ms, socket).
pub use crate::core::names::proto::REQ_RESENDTICK as OPT_REQ_RESENDTICK;
/// `NNG_OPT_REQ_RESENDTIME` (ms, socket and context).
pub use crate::core::names::proto::REQ_RESENDTIME as OPT_REQ_RESENDTIME;

/// Default `NNG_OPT_REQ_RESENDTIME`: one minute.
pub const DEFAULT_RESEND_TIME: i32 = 60_000;
/// Default `NNG_OPT_REQ_RESENDTICK`: one second.
pub const DEFAULT_RESEND_TICK: i32 = 1_000;

const COOKED_OPTIONS: &[OptDesc] = &[
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_REQ_RESENDTIME, OptType::Ms).in_ctx(),
    OptDesc::rw(OPT_REQ_RESENDTICK, OptType::Ms),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

const RAW_OPTIONS: &[OptDesc] = &[
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

/// A req0 socket core (cooked or raw).
pub struct Socket {
    inner: Inner,
}

enum Inner {
    Cooked(Box<Req>),
    Raw(Box<XReq>),
}

impl Socket {
    /// A new core; `seed` picks the first request id.
    pub fn new(raw: bool, seed: u64) -> Socket {
        let inner = if raw {
            Inner::Raw(Box::new(XReq::new()))
        } else {
            Inner::Cooked(Box::new(Req::new(seed)))
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

/// Per-context state (`req0_ctx`).
struct Ctx {
    /// Outstanding request id (bit 31 set), 0 when none.
    request_id: u32,
    recv_op: Option<OpId>,
    send_op: Option<OpId>,
    /// The request, kept for resends (header = id).
    req_msg: Option<Msg>,
    /// A reply that arrived before the receive.
    rep_msg: Option<Msg>,
    /// `req:resend-time` of this context.
    retry: i32,
    /// When the request becomes due for a resend.
    retry_time: Time,
    /// The pipe carrying the request closed with resends disabled.
    conn_reset: bool,
    /// The pipe this context's request went out on (membership in its list).
    pipe: Option<PipeId>,
    /// Key of this context in the due index, if present.
    due: Option<Time>,
}

impl Ctx {
    fn new(retry: i32) -> Ctx {
        Ctx {
            request_id: 0,
            recv_op: None,
            send_op: None,
            req_msg: None,
            rep_msg: None,
            retry,
            retry_time: 0,
            conn_reset: false,
            pipe: None,
            due: None,
        }
    }
}

/// Per-pipe state: the contexts whose requests it carried.
#[derive(Default)]
struct Pipe {
    contexts: OrderedSet<CtxId>,
}

/// The cooked req core (`req0_sock`).
struct Req {
    closed: bool,
    ttl: i32,
    recvbuf: i32,
    sendbuf: i32,
    /// `req:resend-time` copied into new contexts.
    retry: i32,
    /// `req:resend-tick`.
    tick: i32,
    ctxs: FastMap<CtxId, Ctx>,
    pipes: FastMap<PipeId, Pipe>,
    /// Idle pipes, FIFO; pipes not in here are busy writing.
    ready: OrderedSet<PipeId>,
    /// Contexts waiting for an idle pipe, FIFO.
    send_queue: OrderedSet<CtxId>,
    /// Contexts watched by the resend timer, in upstream's list order.
    retry_queue: OrderedSet<CtxId>,
    /// (retry_time, ctx) of retry-list members that hold a request: finds the
    /// due ones without scanning every context.
    due: BTreeSet<(Time, CtxId)>,
    retry_active: bool,
    retry_next: Time,
    requests: IdAlloc,
    ops: FastMap<OpId, CtxId>,
    /// The socket context has a reply waiting (`NNG_OPT_RECVFD`).
    readable: bool,
    /// Requests sent again (resend timer or pipe loss), for statistics.
    resends: u64,
}

impl Req {
    fn new(seed: u64) -> Req {
        let mut ctxs = FastMap::default();
        ctxs.insert(SOCKET_CTX, Ctx::new(DEFAULT_RESEND_TIME));
        Req {
            closed: false,
            ttl: DEFAULT_TTL,
            recvbuf: DEFAULT_RECVBUF,
            sendbuf: DEFAULT_SENDBUF,
            retry: DEFAULT_RESEND_TIME,
            tick: DEFAULT_RESEND_TICK,
            ctxs,
            pipes: FastMap::default(),
            ready: OrderedSet::default(),
            send_queue: OrderedSet::default(),
            retry_queue: OrderedSet::default(),
            due: BTreeSet::new(),
            retry_active: false,
            retry_next: 0,
            requests: IdAlloc::new(seed),
            ops: FastMap::default(),
            readable: false,
            resends: 0,
        }
    }

    /// The timer period; a tick of 0 or less makes upstream rescan
    /// continuously, which we approximate with 1 ms.
    fn tick_ms(&self) -> u64 {
        self.tick.max(1) as u64
    }

    /// Brings the due index in line with the context's state.
    fn due_sync(&mut self, c: CtxId) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        let want = if self.retry_queue.contains(c) && ctx.req_msg.is_some() {
            Some(ctx.retry_time)
        } else {
            None
        };
        if ctx.due != want {
            if let Some(t) = ctx.due {
                self.due.remove(&(t, c));
            }
            if let Some(t) = want {
                self.due.insert((t, c));
            }
            ctx.due = want;
        }
    }

    /// Forgets the context's request and reply (`req0_ctx_reset`).
    fn reset(&mut self, c: CtxId) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        self.retry_queue.remove(c);
        if let Some(p) = ctx.pipe.take() {
            if let Some(pipe) = self.pipes.get_mut(&p) {
                pipe.contexts.remove(c);
            }
        }
        self.send_queue.remove(c);
        if ctx.request_id != 0 {
            self.requests.remove(ctx.request_id);
            ctx.request_id = 0;
        }
        ctx.req_msg = None;
        ctx.rep_msg = None;
        ctx.conn_reset = false;
        self.due_sync(c);
    }

    /// Fails a pending send, handing the request back (header cleared when
    /// `clear_header`, as upstream does for cancellation).
    fn fail_send(&mut self, c: CtxId, err: Error, clear_header: bool, out: &mut Actions) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        let Some(op) = ctx.send_op.take() else {
            return;
        };
        self.ops.remove(&op);
        let mut msg = ctx.req_msg.take().unwrap_or_default();
        if clear_header {
            msg.header_clear();
        }
        self.send_queue.remove(c);
        self.due_sync(c);
        out.push_back(Action::SendFailed { op, err, msg });
    }

    fn fail_recv(&mut self, c: CtxId, err: Error, out: &mut Actions) -> bool {
        let Some(op) = self.ctxs.get_mut(&c).and_then(|x| x.recv_op.take()) else {
            return false;
        };
        self.ops.remove(&op);
        out.push_back(Action::RecvDone {
            op,
            result: Err(err),
        });
        true
    }

    /// Hands queued requests to idle pipes (`req0_run_send_queue`).
    fn run_send_queue(&mut self, out: &mut Actions) {
        while let Some(c) = self.send_queue.front() {
            let Some(p) = self.ready.front() else {
                return;
            };
            let Some(ctx) = self.ctxs.get_mut(&c) else {
                self.send_queue.pop_front();
                continue;
            };
            let Some(msg) = ctx.req_msg.as_ref().and_then(|m| m.try_share().ok()) else {
                // Nothing to send (or no memory to copy it): leave it to the
                // resend timer, as upstream does for lost sends.
                self.send_queue.pop_front();
                continue;
            };
            self.send_queue.pop_front();
            if ctx.retry > 0 {
                self.retry_queue.remove(c);
                self.retry_queue.push_back(c);
            }
            if let Some(old) = ctx.pipe.replace(p) {
                if let Some(pipe) = self.pipes.get_mut(&old) {
                    pipe.contexts.remove(c);
                }
            }
            if let Some(pipe) = self.pipes.get_mut(&p) {
                pipe.contexts.push_back(c);
            }
            self.ready.pop_front();
            if let Some(op) = ctx.send_op.take() {
                self.ops.remove(&op);
                out.push_back(Action::SendDone { op });
            }
            out.push_back(Action::Send { pipe: p, msg });
            self.due_sync(c);
        }
    }

    fn set_ctx_resend(&mut self, c: CtxId, v: &OptValue) -> Result<()> {
        let ms = check_ms(v.as_ms()?)?;
        let ctx = self.ctxs.get_mut(&c).ok_or(Error::Closed)?;
        ctx.retry = ms;
        if c == SOCKET_CTX {
            self.retry = ms;
        }
        Ok(())
    }
}

impl Protocol for Req {
    fn info(&self) -> ProtoInfo {
        info(false)
    }

    fn proto_stats(&self, out: &mut Vec<ProtoStat>) {
        out.push(ProtoStat {
            name: c"resend",
            desc: c"requests sent again (timeout or lost pipe)",
            kind: stats::COUNTER,
            unit: stats::UNIT_MESSAGES,
            value: self.resends,
        });
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Inval);
        }
        self.pipes.insert(pipe, Pipe::default());
        self.ready.push_back(pipe);
        self.run_send_queue(out);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, now: Time, out: &mut Actions) {
        let Some(p) = self.pipes.remove(&pipe) else {
            return;
        };
        self.ready.remove(pipe);
        for c in p.contexts.iter() {
            let Some(ctx) = self.ctxs.get_mut(&c) else {
                continue;
            };
            ctx.pipe = None;
            if ctx.retry <= 0 {
                // No resends: the request is lost with its pipe.
                if self.fail_recv(c, Error::ConnReset, out) {
                    self.reset(c);
                } else {
                    self.reset(c);
                    if let Some(ctx) = self.ctxs.get_mut(&c) {
                        ctx.conn_reset = true;
                    }
                }
            } else if ctx.req_msg.is_some() {
                ctx.retry_time = now + ctx.retry as u64;
                self.due_sync(c);
                self.resends += 1;
                if self.send_queue.push_back(c) {
                    self.run_send_queue(out);
                }
            }
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if self.closed || !self.pipes.contains_key(&pipe) {
            return;
        }
        self.ready.push_back(pipe);
        self.run_send_queue(out);
    }

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        if !self.pipes.contains_key(&pipe) {
            return;
        }
        let Some(id) = body_u32(&msg) else {
            // Shorter than a request id: the peer speaks garbage.
            out.push_back(Action::ClosePipe { pipe });
            return;
        };
        if msg.trim(4).is_err() {
            out.push_back(Action::ClosePipe { pipe });
            return;
        }
        out.push_back(Action::Recv { pipe });
        let Some(c) = self.requests.get(id) else {
            return;
        };
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        if ctx.send_op.is_some() || ctx.rep_msg.is_some() {
            // Not written yet (this is a reply to an earlier incarnation),
            // or a reply is already waiting: discard.
            return;
        }
        self.requests.remove(id);
        ctx.request_id = 0;
        ctx.req_msg = None;
        self.send_queue.remove(c);
        match ctx.recv_op.take() {
            Some(op) => {
                self.ops.remove(&op);
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            }
            None => {
                ctx.rep_msg = Some(msg);
                if c == SOCKET_CTX {
                    self.readable = true;
                }
            }
        }
        self.due_sync(c);
    }

    fn send(
        &mut self,
        ctx: CtxId,
        op: OpId,
        mut msg: Msg,
        wait: bool,
        now: Time,
        out: &mut Actions,
    ) {
        if self.closed || !self.ctxs.contains_key(&ctx) {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        // A new request cancels the previous one, reply included.
        self.fail_recv(ctx, Error::Canceled, out);
        self.fail_send(ctx, Error::Canceled, true, out);
        self.reset(ctx);

        let id = match self.requests.alloc(ctx) {
            Ok(id) => id,
            Err(err) => {
                out.push_back(Action::SendFailed { op, err, msg });
                return;
            }
        };
        msg.header_clear();
        if let Err(err) = msg.header_append(&id.to_be_bytes()) {
            self.requests.remove(id);
            out.push_back(Action::SendFailed { op, err, msg });
            return;
        }
        if !wait && self.ready.is_empty() {
            self.requests.remove(id);
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
            return;
        }
        let tick = self.tick_ms();
        let Some(c) = self.ctxs.get_mut(&ctx) else {
            return;
        };
        c.request_id = id;
        c.req_msg = Some(msg);
        c.send_op = Some(op);
        self.ops.insert(op, ctx);
        if c.retry > 0 {
            c.retry_time = now + c.retry as u64;
            self.retry_queue.push_back(ctx);
            if !self.retry_active {
                self.retry_active = true;
                self.retry_next = now + tick;
            }
        }
        self.due_sync(ctx);
        self.send_queue.push_back(ctx);
        self.run_send_queue(out);
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
        if c.recv_op.is_some() || (c.req_msg.is_none() && c.rep_msg.is_none()) {
            let err = if c.conn_reset {
                c.conn_reset = false;
                Error::ConnReset
            } else {
                Error::State
            };
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
            return;
        }
        match c.rep_msg.take() {
            Some(msg) => {
                if ctx == SOCKET_CTX {
                    self.readable = false;
                }
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            }
            None if !wait => out.push_back(Action::RecvDone {
                op,
                result: Err(Error::TimedOut),
            }),
            None => {
                c.recv_op = Some(op);
                self.ops.insert(op, ctx);
            }
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        let Some(&c) = self.ops.get(&op) else {
            return;
        };
        let Some(ctx) = self.ctxs.get(&c) else {
            return;
        };
        if ctx.recv_op == Some(op) {
            // A receive given up aborts the whole request; a send still
            // waiting for a pipe comes back to the user.
            self.fail_send(c, Error::Canceled, true, out);
            self.fail_recv(c, err, out);
            self.reset(c);
        } else if ctx.send_op == Some(op) {
            self.fail_send(c, err, true, out);
            self.reset(c);
        }
    }

    fn poll_timeout(&self) -> Option<Time> {
        self.retry_active.then_some(self.retry_next)
    }

    fn timeout(&mut self, now: Time, out: &mut Actions) {
        if !self.retry_active || now < self.retry_next {
            return;
        }
        if self.closed {
            self.retry_active = false;
            return;
        }
        let mut due: Vec<CtxId> = self
            .due
            .range(..=(now, CtxId::MAX))
            .map(|&(_, c)| c)
            .collect();
        due.sort_unstable_by_key(|&c| self.retry_queue.seq(c));
        let resend = !due.is_empty();
        self.resends += due.len() as u64;
        for c in due {
            self.send_queue.push_back(c);
        }
        if self.retry_queue.is_empty() {
            self.retry_active = false;
        } else {
            self.retry_next = now + self.tick_ms();
        }
        if resend {
            self.run_send_queue(out);
        }
    }

    fn ctx_open(&mut self, ctx: CtxId) -> Result<()> {
        if self.closed {
            return Err(Error::Closed);
        }
        if self.ctxs.contains_key(&ctx) {
            return Err(Error::Busy);
        }
        self.ctxs.insert(ctx, Ctx::new(self.retry));
        Ok(())
    }

    fn ctx_close(&mut self, ctx: CtxId, out: &mut Actions) {
        if !self.ctxs.contains_key(&ctx) {
            return;
        }
        self.fail_recv(ctx, Error::Closed, out);
        self.fail_send(ctx, Error::Closed, false, out);
        self.reset(ctx);
        if ctx != SOCKET_CTX {
            self.ctxs.remove(&ctx);
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        COOKED_OPTIONS
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if name == OPT_REQ_RESENDTIME {
            return self.set_ctx_resend(ctx, val);
        }
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_REQ_RESENDTICK => self.tick = check_ms(val.as_ms()?)?,
            OPT_MAXTTL => self.ttl = check_ttl(val)?,
            OPT_RECVBUF => self.recvbuf = check_queue(val)?,
            OPT_SENDBUF => self.sendbuf = check_queue(val)?,
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }

    fn get_option(&self, ctx: CtxId, name: &str) -> Result<OptValue> {
        if name == OPT_REQ_RESENDTIME {
            let c = self.ctxs.get(&ctx).ok_or(Error::Closed)?;
            return Ok(OptValue::Ms(c.retry));
        }
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_REQ_RESENDTICK => Ok(OptValue::Ms(self.tick)),
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
        !self.ready.is_empty()
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        self.retry_active = false;
        let mut ids: Vec<CtxId> = self.ctxs.keys().copied().collect();
        ids.sort_unstable();
        for c in ids {
            self.fail_recv(c, Error::Closed, out);
            self.fail_send(c, Error::Closed, false, out);
            self.reset(c);
        }
        self.readable = false;
    }
}

/// The raw req core (`xreq0`): header and body go out unchanged through the
/// socket send queue; replies come back through the socket receive queue with
/// their backtrace moved to the header.
struct XReq {
    closed: bool,
    ttl: i32,
    pipes: FastSet<PipeId>,
    uwq: SendQueue,
    urq: RecvQueue,
}

impl XReq {
    fn new() -> XReq {
        XReq {
            closed: false,
            ttl: DEFAULT_TTL,
            pipes: FastSet::default(),
            uwq: SendQueue::new(DEFAULT_SENDBUF),
            urq: RecvQueue::new(DEFAULT_RECVBUF),
        }
    }
}

impl Protocol for XReq {
    fn info(&self) -> ProtoInfo {
        info(true)
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if !self.pipes.insert(pipe) {
            return Err(Error::Inval);
        }
        self.uwq.pipe_ready(pipe, out);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.pipes.remove(&pipe) {
            self.uwq.pipe_gone(pipe);
            self.urq.pipe_gone(pipe);
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if !self.closed && self.pipes.contains(&pipe) {
            self.uwq.pipe_ready(pipe, out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        if self.closed || !self.pipes.contains(&pipe) {
            return;
        }
        match move_backtrace(&mut msg, None) {
            Backtrace::Moved => self.urq.put(pipe, msg, out),
            Backtrace::Malformed | Backtrace::TooManyHops => {
                out.push_back(Action::ClosePipe { pipe });
            }
        }
    }

    fn send(&mut self, ctx: CtxId, op: OpId, msg: Msg, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed || ctx != SOCKET_CTX {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        self.uwq.put(op, msg, wait, out);
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
        if !self.uwq.cancel(op, err, out) {
            self.urq.cancel(op, err, out);
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        RAW_OPTIONS
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if ctx != SOCKET_CTX {
            return Err(Error::NotSup);
        }
        match name {
            OPT_MAXTTL => self.ttl = check_ttl(val)?,
            OPT_RECVBUF => self.urq.resize(check_queue(val)?),
            OPT_SENDBUF => self.uwq.resize(check_queue(val)?),
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
            OPT_SENDBUF => Ok(OptValue::Int(self.uwq.cap())),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        self.urq.readable()
    }

    fn can_send(&self) -> bool {
        self.uwq.writable()
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        self.uwq.close(out);
        self.urq.close(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{split_backtrace, wire, Harness, NodeId};

    /// A req core wired to one probe playing rep.
    fn req_and_probe() -> (Harness, NodeId, NodeId, PipeId) {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 7));
        let p = h.add_probe();
        let link = h.connect(r, p).unwrap();
        (h, r, p, link.b)
    }

    /// The next request a probe saw: (probe pipe, request id, body).
    fn next_request(h: &mut Harness, p: NodeId) -> (PipeId, u32, Vec<u8>) {
        let (pipe, bytes) = h.probe_recv(p).expect("a request on the wire");
        let (words, body) = split_backtrace(&bytes);
        assert_eq!(words.len(), 1, "a direct request carries only its id");
        (pipe, words[0], body)
    }

    fn ms(v: i32) -> OptValue {
        OptValue::Ms(v)
    }

    #[test]
    fn identity() {
        let s = Socket::new(false, 0);
        assert_eq!(s.info(), info(false));
        assert_eq!(s.info().self_id, 0x30);
        assert_eq!(s.info().peer_id, 0x31);
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn request_carries_id_with_bit31_and_send_completes_on_handoff() {
        let (mut h, r, p, _) = req_and_probe();
        let op = h.send(r, 0, b"ping");
        h.sent(op);
        let (_, id, body) = next_request(&mut h, p);
        assert!(id & 0x8000_0000 != 0);
        assert_eq!(body, b"ping");
    }

    #[test]
    fn ids_increment_per_request() {
        let (mut h, r, p, _) = req_and_probe();
        let c1 = h.ctx_open(r).unwrap();
        let c2 = h.ctx_open(r).unwrap();
        h.send(r, c1, b"a");
        let (_, id1, _) = next_request(&mut h, p);
        h.send(r, c2, b"b");
        let (_, id2, _) = next_request(&mut h, p);
        let expect = if id1 == u32::MAX {
            0x8000_0000
        } else {
            id1 + 1
        };
        assert_eq!(id2, expect);
    }

    #[test]
    fn reply_is_routed_by_id_with_empty_header() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        let rx = h.recv(r, 0);
        assert!(h.is_pending(rx));
        h.inject(p, pp, &wire(&[id], b"pong"));
        let m = h.msg(rx);
        assert_eq!(m.body(), b"pong");
        assert!(m.header().is_empty());
        // The exchange is over: another receive is out of state.
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State);
    }

    #[test]
    fn reply_before_receive_is_kept_and_marks_readable() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        assert!(!h.core(r).can_recv());
        h.inject(p, pp, &wire(&[id], b"pong"));
        assert!(h.core(r).can_recv());
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.body(rx), b"pong");
        assert!(!h.core(r).can_recv());
    }

    #[test]
    fn recv_before_send_and_double_recv_are_estate() {
        let (mut h, r, _, _) = req_and_probe();
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State);
        h.send(r, 0, b"ping");
        let rx1 = h.recv(r, 0);
        let rx2 = h.recv(r, 0);
        assert_eq!(h.err(rx2), Error::State);
        assert!(h.is_pending(rx1));
    }

    #[test]
    fn nonblocking_recv_without_reply_times_out_and_keeps_request() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        h.inject(p, pp, &wire(&[id], b"pong"));
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.body(rx), b"pong");
    }

    #[test]
    fn resends_after_default_resend_time_without_real_waiting() {
        let (mut h, r, p, pp) = req_and_probe();
        let t0 = h.now;
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        let rx = h.recv(r, 0);
        h.drive_until(t0 + 59_999);
        assert_eq!(h.probe_recv(p), None, "no resend before 60 s");
        h.drive_until(t0 + 60_000);
        let (_, id2, body) = next_request(&mut h, p);
        assert_eq!(
            (id2, body.as_slice()),
            (id, &b"ping"[..]),
            "same id, same body"
        );
        // Upstream never pushes the deadline forward: still unanswered, it
        // goes again on the next tick.
        h.drive_until(t0 + 60_999);
        assert_eq!(h.probe_recv(p), None);
        h.drive_until(t0 + 61_000);
        assert_eq!(next_request(&mut h, p).1, id);
        h.inject(p, pp, &wire(&[id], b"pong"));
        assert_eq!(h.body(rx), b"pong");
        let mut st = Vec::new();
        h.core(r).proto_stats(&mut st);
        assert_eq!((st[0].name, st[0].value), (c"resend", 2));
        // Answered: no more resends, and the timer stops once idle.
        h.advance(10_000);
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn resend_waits_for_the_next_tick() {
        let (mut h, r, p, _) = req_and_probe();
        let t0 = h.now;
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(1500)).unwrap();
        h.send(r, 0, b"x");
        next_request(&mut h, p);
        assert_eq!(h.core(r).poll_timeout(), Some(t0 + 1000));
        h.drive_until(t0 + 1999);
        assert_eq!(h.probe_recv(p), None);
        h.drive_until(t0 + 2000);
        assert!(h.probe_recv(p).is_some());
    }

    #[test]
    fn resend_with_short_tick_matches_upstream_test() {
        // upstream req_test "req resend": resend-time 100, tick 10.
        let (mut h, r, p, _) = req_and_probe();
        let t0 = h.now;
        h.set_opt(r, 0, OPT_REQ_RESENDTICK, ms(10)).unwrap();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(100)).unwrap();
        h.send(r, 0, b"ping");
        h.drive_until(t0 + 120);
        let mut n = 0;
        while h.probe_recv(p).is_some() {
            n += 1;
        }
        assert_eq!(n, 4, "at 0, 100, 110 and 120 ms");
    }

    #[test]
    fn resend_disabled_never_resends() {
        let (mut h, r, p, _) = req_and_probe();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(0)).unwrap();
        h.send(r, 0, b"ping");
        next_request(&mut h, p);
        assert_eq!(h.core(r).poll_timeout(), None);
        h.advance(3_600_000);
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn resends_at_once_on_pipe_loss() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let p1 = h.add_probe();
        let p2 = h.add_probe();
        let l1 = h.connect(r, p1).unwrap();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p1);
        let rx = h.recv(r, 0);
        let l2 = h.connect(r, p2).unwrap();
        assert_eq!(h.probe_recv(p2), None);
        h.close_pipe(p1, l1.b);
        let (_, id2, body) = next_request(&mut h, p2);
        assert_eq!((id2, body.as_slice()), (id, &b"ping"[..]));
        h.inject(p2, l2.b, &wire(&[id], b"rep2"));
        assert_eq!(h.body(rx), b"rep2");
    }

    #[test]
    fn request_lost_with_pipe_waits_for_a_new_one() {
        // upstream "req resend reconnect": the only peer goes away before
        // replying; the request goes to the next peer that shows up.
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        h.close_pipe(p, pp);
        let p2 = h.add_probe();
        h.connect(r, p2).unwrap();
        assert_eq!(next_request(&mut h, p2).1, id);
    }

    #[test]
    fn pipe_loss_without_resend_fails_pending_recv_with_connreset() {
        let (mut h, r, p, pp) = req_and_probe();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(0)).unwrap();
        h.send(r, 0, b"ping");
        next_request(&mut h, p);
        let rx = h.recv(r, 0);
        h.close_pipe(p, pp);
        assert_eq!(h.err(rx), Error::ConnReset);
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State);
    }

    #[test]
    fn pipe_loss_without_resend_makes_next_recv_connreset() {
        let (mut h, r, p, pp) = req_and_probe();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(-1)).unwrap();
        h.send(r, 0, b"ping");
        next_request(&mut h, p);
        h.close_pipe(p, pp);
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::ConnReset);
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State);
    }

    #[test]
    fn pipe_loss_without_resend_discards_unread_reply() {
        // Upstream quirk: the context stays on the pipe's list after the
        // reply arrives, so losing the pipe resets it.
        let (mut h, r, p, pp) = req_and_probe();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(0)).unwrap();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        h.inject(p, pp, &wire(&[id], b"pong"));
        h.close_pipe(p, pp);
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::ConnReset);
    }

    #[test]
    fn second_send_cancels_first_and_late_reply_is_dropped() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"one");
        let (_, id1, _) = next_request(&mut h, p);
        let rx1 = h.recv(r, 0);
        let tx2 = h.send(r, 0, b"two");
        assert_eq!(h.err(rx1), Error::Canceled);
        h.sent(tx2);
        let (_, id2, body) = next_request(&mut h, p);
        assert_ne!(id1, id2);
        assert_eq!(body, b"two");
        let rx2 = h.recv(r, 0);
        h.inject(p, pp, &wire(&[id1], b"late"));
        assert!(h.is_pending(rx2), "reply to the old request is dropped");
        h.inject(p, pp, &wire(&[id2], b"fresh"));
        assert_eq!(h.body(rx2), b"fresh");
    }

    #[test]
    fn second_send_cancels_a_send_still_waiting_for_a_pipe() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let tx1 = h.send(r, 0, b"one");
        assert!(h.is_pending(tx1));
        let tx2 = h.send(r, 0, b"two");
        let (e, m) = h.send_failed(tx1);
        assert_eq!(e, Error::Canceled);
        assert_eq!(m.body(), b"one");
        assert!(m.header().is_empty(), "header cleared on cancel");
        let p = h.add_probe();
        h.connect(r, p).unwrap();
        h.sent(tx2);
        assert_eq!(next_request(&mut h, p).2, b"two");
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn duplicate_and_stale_replies_are_dropped() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        h.inject(p, pp, &wire(&[id], b"first"));
        h.inject(p, pp, &wire(&[id], b"second"));
        let rx = h.recv(r, 0);
        assert_eq!(h.body(rx), b"first");
        // Unknown ids and ids without bit 31 are dropped; the pipe stays.
        h.send(r, 0, b"again");
        let (_, id2, _) = next_request(&mut h, p);
        let rx = h.recv(r, 0);
        h.inject(p, pp, &wire(&[id2 & 0x7fff_ffff], b"no bit"));
        h.inject(p, pp, &wire(&[id], b"stale"));
        assert!(h.is_pending(rx));
        assert_eq!(h.pipes(r).len(), 1);
        h.inject(p, pp, &wire(&[id2], b"ok"));
        assert_eq!(h.body(rx), b"ok");
    }

    #[test]
    fn reply_to_unwritten_request_is_dropped() {
        // A reply for an id whose request is still waiting for a pipe (here:
        // the resend after the original pipe was lost) is discarded.
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 3));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        let c = h.ctx_open(r).unwrap();
        h.stall(r, l.a, true);
        h.send(r, 0, b"first");
        let tx = h.send(r, c, b"second");
        assert!(h.is_pending(tx), "the only pipe is busy");
        // Guess the second id: ids are sequential.
        h.stall(r, l.a, false);
        let (_, id1, _) = next_request(&mut h, p);
        let (_, id2, _) = next_request(&mut h, p);
        assert_eq!(
            id2,
            if id1 == u32::MAX {
                0x8000_0000
            } else {
                id1 + 1
            }
        );
        h.sent(tx);
    }

    #[test]
    fn malformed_reply_closes_the_pipe() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        next_request(&mut h, p);
        h.inject(p, pp, &[0x80, 0, 0]);
        assert!(h.pipes(r).is_empty());
        assert!(h.pipes(p).is_empty());
    }

    #[test]
    fn nonblocking_send_without_pipe_fails_with_timedout() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        assert!(!h.core(r).can_send());
        let tx = h.send_nb(r, 0, b"x");
        let (e, m) = h.send_failed(tx);
        assert_eq!(e, Error::TimedOut);
        assert_eq!(m.body(), b"x");
        // The context is reset: no request outstanding.
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State);
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        assert!(h.core(r).can_send());
        h.stall(r, l.a, true);
        let tx = h.send_nb(r, 0, b"y");
        h.sent(tx);
        assert!(!h.core(r).can_send(), "the only pipe is busy until written");
        let tx = h.send_nb(r, 0, b"z");
        assert_eq!(h.err(tx), Error::TimedOut);
        h.stall(r, l.a, false);
        assert!(h.core(r).can_send());
    }

    #[test]
    fn blocking_send_waits_for_a_pipe_then_completes() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let tx = h.send(r, 0, b"x");
        assert!(h.is_pending(tx));
        let p = h.add_probe();
        h.connect(r, p).unwrap();
        h.sent(tx);
        assert_eq!(next_request(&mut h, p).2, b"x");
    }

    #[test]
    fn send_timeout_hands_message_back() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let tx = h.send_timeout(r, 0, b"x", 100);
        h.drive();
        let (e, m) = h.send_failed(tx);
        assert_eq!(e, Error::TimedOut);
        assert!(m.header().is_empty());
        assert_eq!(
            h.core(r).poll_timeout(),
            Some(1000 + 1000),
            "timer still armed"
        );
    }

    #[test]
    fn busy_pipes_are_used_round_robin() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let p1 = h.add_probe();
        let p2 = h.add_probe();
        let l1 = h.connect(r, p1).unwrap();
        let l2 = h.connect(r, p2).unwrap();
        h.stall(r, l1.a, true);
        h.stall(r, l2.a, true);
        let c: Vec<CtxId> = (0..3).map(|_| h.ctx_open(r).unwrap()).collect();
        let t0 = h.send(r, c[0], b"0");
        let t1 = h.send(r, c[1], b"1");
        let t2 = h.send(r, c[2], b"2");
        h.sent(t0);
        h.sent(t1);
        assert!(h.is_pending(t2), "both pipes busy");
        h.stall(r, l2.a, false);
        h.sent(t2);
        assert_eq!(next_request(&mut h, p2).2, b"1");
        assert_eq!(next_request(&mut h, p2).2, b"2");
        h.stall(r, l1.a, false);
        assert_eq!(next_request(&mut h, p1).2, b"0");
    }

    #[test]
    fn canceling_recv_aborts_request_and_drops_late_reply() {
        let (mut h, r, p, pp) = req_and_probe();
        h.send(r, 0, b"ping");
        let (_, id, _) = next_request(&mut h, p);
        let rx = h.recv(r, 0);
        h.cancel(r, rx, Error::Canceled);
        assert_eq!(h.err(rx), Error::Canceled);
        h.inject(p, pp, &wire(&[id], b"late"));
        let rx = h.recv(r, 0);
        assert_eq!(h.err(rx), Error::State, "request aborted, reply dropped");
        // The resend timer notices at its next tick that nothing is left.
        assert!(h.core(r).poll_timeout().is_some());
        h.advance(1000);
        assert_eq!(h.core(r).poll_timeout(), None);
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn recv_timeout_with_send_pending_cancels_both() {
        // upstream "req ctx send recv abort".
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let c = h.ctx_open(r).unwrap();
        let tx = h.send(r, c, b"");
        let rx = h.recv_timeout(r, c, 100);
        h.drive();
        let (e, m) = h.send_failed(tx);
        assert_eq!(e, Error::Canceled);
        assert_eq!(m.len(), 0);
        assert!(m.header().is_empty());
        assert_eq!(h.err(rx), Error::TimedOut);
    }

    #[test]
    fn cancel_of_unknown_op_is_ignored() {
        let (mut h, r, _, _) = req_and_probe();
        let tx = h.send(r, 0, b"x");
        h.sent(tx);
        h.cancel(r, tx, Error::Canceled);
        h.cancel(r, 999_999, Error::Canceled);
        assert_eq!(h.pending_count(), 0);
    }

    #[test]
    fn context_close_and_socket_close_fail_pending_ops() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        let c = h.ctx_open(r).unwrap();
        let tx = h.send(r, c, b"q");
        let rx = h.recv(r, c);
        h.ctx_close(r, c);
        assert_eq!(h.err(rx), Error::Closed);
        let (e, m) = h.send_failed(tx);
        assert_eq!(e, Error::Closed);
        assert_eq!(m.body(), b"q");
        let tx = h.send(r, c, b"again");
        assert_eq!(h.err(tx), Error::Closed);

        let tx = h.send(r, 0, b"s");
        let rx = h.recv(r, 0);
        h.close(r);
        assert_eq!(h.err(tx), Error::Closed);
        assert_eq!(h.err(rx), Error::Closed);
        let tx = h.send(r, 0, b"late");
        assert_eq!(h.err(tx), Error::Closed);
        assert_eq!(h.core(r).ctx_open(99), Err(Error::Closed));
    }

    #[test]
    fn options_ranges_and_scopes() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(false, 1));
        assert_eq!(h.get_opt(r, 0, OPT_MAXTTL), Ok(OptValue::Int(8)));
        for bad in [0, -1, 16, 256] {
            assert_eq!(
                h.set_opt(r, 0, OPT_MAXTTL, OptValue::Int(bad)),
                Err(Error::Inval)
            );
        }
        h.set_opt(r, 0, OPT_MAXTTL, OptValue::Int(15)).unwrap();
        assert_eq!(
            h.set_opt(r, 0, OPT_MAXTTL, OptValue::Bool(true)),
            Err(Error::BadType)
        );
        assert_eq!(h.get_opt(r, 0, OPT_REQ_RESENDTIME), Ok(ms(60_000)));
        assert_eq!(h.get_opt(r, 0, OPT_REQ_RESENDTICK), Ok(ms(1000)));
        assert_eq!(
            h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(-2)),
            Err(Error::Inval)
        );
        assert_eq!(h.get_opt(r, 0, OPT_RECVBUF), Ok(OptValue::Int(1)));
        assert_eq!(h.get_opt(r, 0, OPT_SENDBUF), Ok(OptValue::Int(0)));
        assert_eq!(
            h.set_opt(r, 0, OPT_RECVBUF, OptValue::Int(8193)),
            Err(Error::Inval)
        );
        h.set_opt(r, 0, OPT_SENDBUF, OptValue::Int(8192)).unwrap();

        // Contexts copy the socket's resend time at creation.
        let c1 = h.ctx_open(r).unwrap();
        h.set_opt(r, 0, OPT_REQ_RESENDTIME, ms(500)).unwrap();
        let c2 = h.ctx_open(r).unwrap();
        assert_eq!(h.get_opt(r, c1, OPT_REQ_RESENDTIME), Ok(ms(60_000)));
        assert_eq!(h.get_opt(r, c2, OPT_REQ_RESENDTIME), Ok(ms(500)));
        h.set_opt(r, c2, OPT_REQ_RESENDTIME, ms(700)).unwrap();
        assert_eq!(h.get_opt(r, 0, OPT_REQ_RESENDTIME), Ok(ms(500)));
        // Socket-only options are not context options.
        assert_eq!(h.get_opt(r, c1, OPT_REQ_RESENDTICK), Err(Error::NotSup));
        assert_eq!(
            h.set_opt(r, c1, OPT_MAXTTL, OptValue::Int(2)),
            Err(Error::NotSup)
        );
        assert_eq!(h.get_opt(r, 0, "bogus"), Err(Error::NotSup));
        assert!(h
            .core(r)
            .options()
            .iter()
            .any(|d| d.name == OPT_REQ_RESENDTICK));
    }

    #[test]
    fn per_context_resend_time_is_used() {
        let (mut h, r, p, _) = req_and_probe();
        let t0 = h.now;
        h.set_opt(r, 0, OPT_REQ_RESENDTICK, ms(100)).unwrap();
        let c = h.ctx_open(r).unwrap();
        h.set_opt(r, c, OPT_REQ_RESENDTIME, ms(300)).unwrap();
        h.send(r, c, b"ctx");
        h.send(r, 0, b"sock");
        assert_eq!(next_request(&mut h, p).2, b"ctx");
        // The pipe is busy with "ctx" until written; the harness completes
        // writes at once, so "sock" follows.
        assert_eq!(next_request(&mut h, p).2, b"sock");
        h.drive_until(t0 + 300);
        assert_eq!(next_request(&mut h, p).2, b"ctx");
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn thousand_contexts_in_flight() {
        let (mut h, r, p, pp) = req_and_probe();
        let ctxs: Vec<CtxId> = (0..1000).map(|_| h.ctx_open(r).unwrap()).collect();
        let mut rx = Vec::new();
        for (i, &c) in ctxs.iter().enumerate() {
            let tx = h.send(r, c, format!("q{i}").as_bytes());
            h.sent(tx);
            rx.push(h.recv(r, c));
        }
        let mut reqs = Vec::new();
        while let Some((_, bytes)) = h.probe_recv(p) {
            reqs.push(split_backtrace(&bytes));
        }
        assert_eq!(reqs.len(), 1000);
        // Answer in reverse order; each reply must reach its own context.
        for (words, body) in reqs.iter().rev() {
            let mut reply = b"r".to_vec();
            reply.extend_from_slice(body);
            h.inject(p, pp, &wire(words, &reply));
        }
        for (i, op) in rx.into_iter().enumerate() {
            assert_eq!(h.body(op), format!("rq{i}").as_bytes());
        }
    }

    #[test]
    fn raw_sends_header_and_body_unchanged() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 1));
        assert_eq!(h.ctx_open(r), Err(Error::NotSup));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        let mut m = Msg::from_slice(b"body");
        m.header_append(&[0x80, 0, 0, 9]).unwrap();
        let tx = h.send_msg(r, 0, m, true, None);
        h.sent(tx);
        assert_eq!(h.probe_recv(p), Some((l.b, wire(&[0x8000_0009], b"body"))));
        // No resend machinery in raw mode.
        assert_eq!(h.core(r).poll_timeout(), None);
    }

    #[test]
    fn raw_receive_moves_backtrace_to_header_without_ttl() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 1));
        h.set_opt(r, 0, OPT_MAXTTL, OptValue::Int(1)).unwrap();
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        h.inject(p, l.b, &wire(&[1, 2, 3, 0x8000_0004], b"deep"));
        let rx = h.recv(r, 0);
        let m = h.msg(rx);
        assert_eq!(m.header(), wire(&[1, 2, 3, 0x8000_0004], b"").as_slice());
        assert_eq!(m.body(), b"deep");
        assert_eq!(m.pipe(), l.a);
        // Malformed: no word with bit 31.
        h.inject(p, l.b, &wire(&[1, 2], b""));
        assert!(h.pipes(r).is_empty());
    }

    #[test]
    fn raw_send_blocks_on_zero_sendbuf_and_queues_with_sendbuf() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 1));
        assert!(!h.core(r).can_send());
        let tx = h.send_nb(r, 0, b"x");
        assert_eq!(h.err(tx), Error::TimedOut);
        let tx = h.send(r, 0, b"x");
        assert!(h.is_pending(tx));
        let p = h.add_probe();
        h.connect(r, p).unwrap();
        h.sent(tx);
        assert!(h.probe_recv(p).is_some());
        h.close_pipe(p, h.pipes(p)[0]);
        h.set_opt(r, 0, OPT_SENDBUF, OptValue::Int(2)).unwrap();
        let a = h.send_nb(r, 0, b"a");
        let b = h.send_nb(r, 0, b"b");
        let c = h.send_nb(r, 0, b"c");
        h.sent(a);
        h.sent(b);
        assert_eq!(h.err(c), Error::TimedOut);
    }

    #[test]
    fn raw_receive_queue_applies_backpressure() {
        let mut h = Harness::new();
        let r = h.add(Socket::new(true, 1));
        let p = h.add_probe();
        let l = h.connect(r, p).unwrap();
        for i in 0..3u8 {
            h.inject(p, l.b, &wire(&[0x8000_0000], &[i]));
        }
        assert!(h.core(r).can_recv());
        for i in 0..3u8 {
            let rx = h.recv_nb(r, 0);
            assert_eq!(h.body(rx), [i]);
        }
        let rx = h.recv_nb(r, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        let rx = h.recv(r, 0);
        h.close(r);
        assert_eq!(h.err(rx), Error::Closed);
    }
}
