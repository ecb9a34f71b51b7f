//! The surveyor0 protocol core: SURVEYOR v0, cooked (survey ids, deadline,
//! contexts) and raw (xsurveyor). Reference: WIRE.md §9.7, §10; upstream
//! `src/sp/protocol/survey0/{survey,xsurvey}.c` (v1.12.0), followed exactly:
//!
//! - A survey never blocks: it is broadcast to every pipe; a busy pipe queues
//!   it (8 deep), a full queue drops it for that pipe.
//! - Starting a survey on a context cancels the previous one there (pending
//!   receives fail `NNG_ECANCELED`, buffered answers are discarded).
//! - The survey is open for `surveyor:survey-time` from the send. A receive
//!   outside an open survey fails with `NNG_ESTATE`; a pending receive ends
//!   with `NNG_ETIMEDOUT` when the survey ends (upstream clamps every
//!   receive to the survey's end, including zero-timeout ones, which
//!   therefore wait for an answer until then), and that also closes the
//!   survey, as does any receive timeout or cancellation.
//! - Answers carry the survey id as a 4-byte header; each context buffers up
//!   to 128, extra ones and those for unknown ids are dropped; an answer
//!   shorter than 4 bytes closes the pipe.
//! - Raw (xsurveyor): header and body broadcast unchanged (16 deep per pipe);
//!   answers have their backtrace moved to the header and go through the
//!   socket receive queue.

use crate::core::fasthash::FastMap;
use std::collections::{BTreeSet, VecDeque};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_ms, OptDesc, OptType, OptValue};
use crate::core::stats::{self, ProtoStat};
use crate::protocol::kit::{
    body_u32, check_queue, check_ttl, delegate_protocol, move_backtrace, Backtrace, IdAlloc,
    OrderedSet, PipeQueue, RecvQueue, DEFAULT_RECVBUF, DEFAULT_SENDBUF, DEFAULT_TTL, OPT_MAXTTL,
    OPT_RECVBUF, OPT_SENDBUF,
};
use crate::protocol::{
    Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time, SOCKET_CTX,
};

/// Protocol number of surveyor v0 (`NNG_SURVEYOR0_SELF`, 6/2; wire value).
pub const PROTO_SELF: u16 = 0x62;
/// Protocol number of its peer, respondent v0 (`NNG_SURVEYOR0_PEER`).
pub const PROTO_PEER: u16 = 0x63;
/// `NNG_SURVEYOR0_SELF_NAME`.
pub const SELF_NAME: &str = "surveyor";
/// `NNG_SURVEYOR0_PEER_NAME`.
pub const PEER_NAME: &str = "respondent";

/// `NNG_OPT_SURVEYOR_SURVEYTIME` (ms, socket and context).
pub use crate::core::names::proto::SURVEYOR_SURVEYTIME as OPT_SURVEYOR_SURVEYTIME;
/// Default survey time: one second.
pub const DEFAULT_SURVEY_TIME: i32 = 1_000;
/// Answers buffered per context.
pub const CTX_RECV_QUEUE: usize = 128;
/// Surveys queued per busy pipe (cooked).
pub const PIPE_SEND_QUEUE: usize = 8;
/// Surveys queued per busy pipe (raw).
pub const RAW_PIPE_QUEUE: usize = 16;

const COOKED_OPTIONS: &[OptDesc] = &[
    OptDesc::rw(OPT_SURVEYOR_SURVEYTIME, OptType::Ms).in_ctx(),
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

const RAW_OPTIONS: &[OptDesc] = &[
    OptDesc::rw(OPT_MAXTTL, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

/// A surveyor0 socket core (cooked or raw).
pub struct Socket {
    inner: Inner,
}

enum Inner {
    Cooked(Box<Surveyor>),
    Raw(Box<XSurveyor>),
}

impl Socket {
    /// A new core; `seed` picks the first survey id.
    pub fn new(raw: bool, seed: u64) -> Socket {
        let inner = if raw {
            Inner::Raw(Box::new(XSurveyor::new()))
        } else {
            Inner::Cooked(Box::new(Surveyor::new(seed)))
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

/// Broadcasts copies of `msg` to every pipe, in connection order.
fn broadcast(
    order: &OrderedSet<PipeId>,
    pipes: &mut FastMap<PipeId, PipeQueue>,
    msg: &Msg,
    depth: usize,
    out: &mut Actions,
) {
    for pipe in order.iter() {
        let (Some(p), Ok(copy)) = (pipes.get_mut(&pipe), msg.try_share()) else {
            continue;
        };
        p.try_send(pipe, copy, depth, out);
    }
}

struct Ctx {
    /// The open survey's id (0: none).
    survey_id: u32,
    answers: VecDeque<Msg>,
    recv_ops: OrderedSet<OpId>,
    survey_time: i32,
    /// When the current survey ends.
    expire: Time,
    /// Key in the deadline index while receives are pending.
    deadline: Option<Time>,
}

impl Ctx {
    fn new(survey_time: i32) -> Ctx {
        Ctx {
            survey_id: 0,
            answers: VecDeque::new(),
            recv_ops: OrderedSet::default(),
            survey_time,
            expire: 0,
            deadline: None,
        }
    }
}

/// The cooked surveyor core (`surv0_sock`).
struct Surveyor {
    closed: bool,
    ttl: i32,
    recvbuf: i32,
    sendbuf: i32,
    ctxs: FastMap<CtxId, Ctx>,
    order: OrderedSet<PipeId>,
    pipes: FastMap<PipeId, PipeQueue>,
    surveys: IdAlloc,
    ops: FastMap<OpId, CtxId>,
    /// (survey end, ctx) of contexts with pending receives.
    deadlines: BTreeSet<(Time, CtxId)>,
    readable: bool,
    /// Receives ended by the survey timer (statistics).
    timeouts: u64,
}

impl Surveyor {
    fn new(seed: u64) -> Surveyor {
        let mut ctxs = FastMap::default();
        ctxs.insert(SOCKET_CTX, Ctx::new(DEFAULT_SURVEY_TIME));
        Surveyor {
            closed: false,
            ttl: DEFAULT_TTL,
            recvbuf: DEFAULT_RECVBUF,
            sendbuf: DEFAULT_SENDBUF,
            ctxs,
            order: OrderedSet::default(),
            pipes: FastMap::default(),
            surveys: IdAlloc::new(seed),
            ops: FastMap::default(),
            deadlines: BTreeSet::new(),
            readable: false,
            timeouts: 0,
        }
    }

    fn sync_deadline(&mut self, c: CtxId) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        let want = (!ctx.recv_ops.is_empty()).then_some(ctx.expire);
        if ctx.deadline != want {
            if let Some(t) = ctx.deadline {
                self.deadlines.remove(&(t, c));
            }
            if let Some(t) = want {
                self.deadlines.insert((t, c));
            }
            ctx.deadline = want;
        }
    }

    /// Closes the context's survey without touching its pending receives.
    fn end_survey(&mut self, c: CtxId) {
        if let Some(ctx) = self.ctxs.get_mut(&c) {
            if ctx.survey_id != 0 {
                self.surveys.remove(ctx.survey_id);
                ctx.survey_id = 0;
            }
        }
    }

    /// Fails every pending receive, discards answers, ends the survey
    /// (`surv0_ctx_abort`).
    fn abort(&mut self, c: CtxId, err: Error, out: &mut Actions) {
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        while let Some(op) = ctx.recv_ops.pop_front() {
            self.ops.remove(&op);
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        }
        ctx.answers.clear();
        self.end_survey(c);
        if c == SOCKET_CTX {
            self.readable = false;
        }
        self.sync_deadline(c);
    }
}

impl Protocol for Surveyor {
    fn proto_stats(&self, out: &mut Vec<ProtoStat>) {
        out.push(ProtoStat {
            name: c"survey_timeout",
            desc: c"receives ended by the survey time",
            kind: stats::COUNTER,
            unit: stats::UNIT_NONE,
            value: self.timeouts,
        });
    }

    fn info(&self) -> ProtoInfo {
        info(false)
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Inval);
        }
        self.pipes.insert(pipe, PipeQueue::new());
        self.order.push_back(pipe);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        self.pipes.remove(&pipe);
        self.order.remove(pipe);
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if let Some(p) = self.pipes.get_mut(&pipe) {
            p.sent(pipe, out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        if !self.pipes.contains_key(&pipe) {
            return;
        }
        let Some(id) = body_u32(&msg) else {
            out.push_back(Action::ClosePipe { pipe });
            return;
        };
        if msg.trim(4).is_err() || msg.header_append(&id.to_be_bytes()).is_err() {
            out.push_back(Action::Recv { pipe });
            return;
        }
        out.push_back(Action::Recv { pipe });
        let Some(c) = self.surveys.get(id) else {
            return;
        };
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        if ctx.answers.len() >= CTX_RECV_QUEUE {
            return;
        }
        match ctx.recv_ops.pop_front() {
            Some(op) => {
                self.ops.remove(&op);
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
                self.sync_deadline(c);
            }
            None => {
                ctx.answers.push_back(msg);
                if c == SOCKET_CTX {
                    self.readable = true;
                }
            }
        }
    }

    fn send(
        &mut self,
        ctx: CtxId,
        op: OpId,
        mut msg: Msg,
        _wait: bool,
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
        self.abort(ctx, Error::Canceled, out);
        let id = match self.surveys.alloc(ctx) {
            Ok(id) => id,
            Err(err) => {
                out.push_back(Action::SendFailed { op, err, msg });
                return;
            }
        };
        msg.header_clear();
        if let Err(err) = msg.header_append(&id.to_be_bytes()) {
            self.surveys.remove(id);
            out.push_back(Action::SendFailed { op, err, msg });
            return;
        }
        // Committed: sent to whoever is connected (possibly nobody).
        broadcast(&self.order, &mut self.pipes, &msg, PIPE_SEND_QUEUE, out);
        if let Some(c) = self.ctxs.get_mut(&ctx) {
            c.survey_id = id;
            c.expire = now.wrapping_add_signed(i64::from(c.survey_time));
        }
        out.push_back(Action::SendDone { op });
    }

    fn recv(&mut self, ctx: CtxId, op: OpId, _wait: bool, now: Time, out: &mut Actions) {
        let closed = self.closed;
        let Some(c) = self.ctxs.get_mut(&ctx).filter(|_| !closed) else {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
            return;
        };
        if c.survey_id == 0 || now >= c.expire {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::State),
            });
            return;
        }
        match c.answers.pop_front() {
            Some(msg) => {
                if ctx == SOCKET_CTX && c.answers.is_empty() {
                    self.readable = false;
                }
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            }
            None => {
                // Even a receive that may not wait stays pending until an
                // answer or the survey's end (upstream clamps its expiry).
                c.recv_ops.push_back(op);
                self.ops.insert(op, ctx);
                self.sync_deadline(ctx);
            }
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        let Some(c) = self.ops.remove(&op) else {
            return;
        };
        let Some(ctx) = self.ctxs.get_mut(&c) else {
            return;
        };
        if ctx.recv_ops.remove(op) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        }
        // Giving up on a receive ends the survey.
        self.end_survey(c);
        self.sync_deadline(c);
    }

    fn poll_timeout(&self) -> Option<Time> {
        self.deadlines.first().map(|&(t, _)| t)
    }

    fn timeout(&mut self, now: Time, out: &mut Actions) {
        let due: Vec<CtxId> = self
            .deadlines
            .range(..=(now, CtxId::MAX))
            .map(|&(_, c)| c)
            .collect();
        for c in due {
            let Some(ctx) = self.ctxs.get_mut(&c) else {
                continue;
            };
            while let Some(op) = ctx.recv_ops.pop_front() {
                self.ops.remove(&op);
                self.timeouts += 1;
                out.push_back(Action::RecvDone {
                    op,
                    result: Err(Error::TimedOut),
                });
            }
            self.end_survey(c);
            self.sync_deadline(c);
        }
    }

    fn ctx_open(&mut self, ctx: CtxId) -> Result<()> {
        if self.closed {
            return Err(Error::Closed);
        }
        if self.ctxs.contains_key(&ctx) {
            return Err(Error::Busy);
        }
        let st = self
            .ctxs
            .get(&SOCKET_CTX)
            .map_or(DEFAULT_SURVEY_TIME, |c| c.survey_time);
        self.ctxs.insert(ctx, Ctx::new(st));
        Ok(())
    }

    fn ctx_close(&mut self, ctx: CtxId, out: &mut Actions) {
        self.abort(ctx, Error::Closed, out);
        if ctx != SOCKET_CTX {
            self.ctxs.remove(&ctx);
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        COOKED_OPTIONS
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if name == OPT_SURVEYOR_SURVEYTIME {
            let ms = check_ms(val.as_ms()?)?;
            self.ctxs.get_mut(&ctx).ok_or(Error::Closed)?.survey_time = ms;
            return Ok(());
        }
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
        if name == OPT_SURVEYOR_SURVEYTIME {
            let c = self.ctxs.get(&ctx).ok_or(Error::Closed)?;
            return Ok(OptValue::Ms(c.survey_time));
        }
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
        true
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        let mut ids: Vec<CtxId> = self.ctxs.keys().copied().collect();
        ids.sort_unstable();
        for c in ids {
            self.abort(c, Error::Closed, out);
        }
    }
}

/// The raw surveyor core (`xsurv0`).
struct XSurveyor {
    closed: bool,
    ttl: i32,
    sendbuf: i32,
    order: OrderedSet<PipeId>,
    pipes: FastMap<PipeId, PipeQueue>,
    urq: RecvQueue,
}

impl XSurveyor {
    fn new() -> XSurveyor {
        XSurveyor {
            closed: false,
            ttl: DEFAULT_TTL,
            sendbuf: DEFAULT_SENDBUF,
            order: OrderedSet::default(),
            pipes: FastMap::default(),
            urq: RecvQueue::new(DEFAULT_RECVBUF),
        }
    }
}

impl Protocol for XSurveyor {
    fn info(&self) -> ProtoInfo {
        info(true)
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Inval);
        }
        self.pipes.insert(pipe, PipeQueue::new());
        self.order.push_back(pipe);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.pipes.remove(&pipe).is_some() {
            self.order.remove(pipe);
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
        match move_backtrace(&mut msg, None) {
            Backtrace::Moved => self.urq.put(pipe, msg, out),
            Backtrace::Malformed | Backtrace::TooManyHops => {
                out.push_back(Action::ClosePipe { pipe });
            }
        }
    }

    fn send(&mut self, ctx: CtxId, op: OpId, msg: Msg, _wait: bool, _now: Time, out: &mut Actions) {
        if self.closed || ctx != SOCKET_CTX {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        broadcast(&self.order, &mut self.pipes, &msg, RAW_PIPE_QUEUE, out);
        out.push_back(Action::SendDone { op });
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
        RAW_OPTIONS
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
    use crate::protocol::respondent0;
    use crate::protocol::testing::{split_backtrace, wire, Harness, NodeId};

    fn surv_and_probes(n: usize) -> (Harness, NodeId, Vec<(NodeId, PipeId)>) {
        let mut h = Harness::new();
        let s = h.add(Socket::new(false, 3));
        let probes = (0..n)
            .map(|_| {
                let p = h.add_probe();
                let l = h.connect(s, p).unwrap();
                (p, l.b)
            })
            .collect();
        (h, s, probes)
    }

    /// The survey id a probe saw next.
    fn survey_id(h: &mut Harness, p: NodeId) -> u32 {
        let (_, bytes) = h.probe_recv(p).expect("a survey");
        let (words, _) = split_backtrace(&bytes);
        assert_eq!(words.len(), 1);
        words[0]
    }

    fn ms(v: i32) -> OptValue {
        OptValue::Ms(v)
    }

    #[test]
    fn identity() {
        let s = Socket::new(false, 0);
        assert_eq!((s.info().self_id, s.info().peer_id), (0x62, 0x63));
        assert_eq!(
            (s.info().self_name, s.info().peer_name),
            ("surveyor", "respondent")
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn survey_is_broadcast_with_bit31_id_and_never_blocks() {
        let (mut h, s, probes) = surv_and_probes(3);
        assert!(h.core(s).can_send());
        let t = h.send_nb(s, 0, b"who");
        h.sent(t);
        let mut ids = Vec::new();
        for &(p, _) in &probes {
            let (_, bytes) = h.probe_recv(p).unwrap();
            let (words, body) = split_backtrace(&bytes);
            assert_eq!(body, b"who");
            ids.push(words[0]);
        }
        assert!(ids[0] & 0x8000_0000 != 0);
        assert!(ids.iter().all(|&i| i == ids[0]));
        // No pipes at all: still succeeds.
        let mut h = Harness::new();
        let s = h.add(Socket::new(false, 3));
        let t = h.send_nb(s, 0, b"anyone?");
        h.sent(t);
    }

    #[test]
    fn answers_carry_the_survey_id_in_the_header() {
        let (mut h, s, probes) = surv_and_probes(2);
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, probes[0].0);
        survey_id(&mut h, probes[1].0);
        for (i, &(p, pp)) in probes.iter().enumerate() {
            h.inject(p, pp, &wire(&[id], &[b'a', i as u8]));
        }
        assert!(h.core(s).can_recv());
        for i in 0..2u8 {
            let rx = h.recv(s, 0);
            let m = h.msg(rx);
            assert_eq!(m.header(), id.to_be_bytes());
            assert_eq!(m.body(), &[b'a', i]);
        }
        assert!(!h.core(s).can_recv());
    }

    #[test]
    fn pending_receive_ends_with_timedout_at_survey_end() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        let t0 = h.now;
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        let rx = h.recv(s, 0);
        assert_eq!(h.next_timer(), Some(t0 + 1000));
        assert_eq!(h.drive(), t0 + 1000);
        assert_eq!(h.err(rx), Error::TimedOut);
        let mut st = Vec::new();
        h.core(s).proto_stats(&mut st);
        assert_eq!((st[0].name, st[0].value), (c"survey_timeout", 1));
        // The survey is over: late answers vanish, receives are out of state.
        h.inject(p, pp, &wire(&[id], b"late"));
        let rx = h.recv(s, 0);
        assert_eq!(h.err(rx), Error::State);
    }

    #[test]
    fn receive_outside_a_survey_is_estate() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        let rx = h.recv(s, 0);
        assert_eq!(h.err(rx), Error::State);
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        h.inject(p, pp, &wire(&[id], b"buffered"));
        h.advance(1000);
        let rx = h.recv(s, 0);
        assert_eq!(
            h.err(rx),
            Error::State,
            "expired, even with answers buffered"
        );
    }

    #[test]
    fn receive_timeout_shorter_than_survey_ends_the_survey() {
        // upstream: survey time 50... here the receive's own timeout is shorter.
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        let rx = h.recv_timeout(s, 0, 100);
        h.drive();
        assert_eq!(h.err(rx), Error::TimedOut);
        h.inject(p, pp, &wire(&[id], b"late"));
        let rx = h.recv(s, 0);
        assert_eq!(h.err(rx), Error::State);
        assert_eq!(h.core(s).poll_timeout(), None);
    }

    #[test]
    fn nonblocking_receive_waits_for_an_answer_or_the_survey_end() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        let t0 = h.now;
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        let rx = h.recv_nb(s, 0);
        assert!(
            h.is_pending(rx),
            "upstream clamps the zero timeout to the survey end"
        );
        h.inject(p, pp, &wire(&[id], b"a"));
        assert_eq!(h.body(rx), b"a");
        let rx = h.recv_nb(s, 0);
        assert_eq!(h.drive(), t0 + 1000);
        assert_eq!(h.err(rx), Error::TimedOut);
    }

    #[test]
    fn new_survey_cancels_the_previous_one() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        h.send(s, 0, b"one");
        let id1 = survey_id(&mut h, p);
        h.inject(p, pp, &wire(&[id1], b"old-buffered"));
        let c = h.ctx_open(s).unwrap();
        h.send(s, c, b"ctx");
        let idc = survey_id(&mut h, p);
        let rxc = h.recv(s, c);
        h.send(s, 0, b"two");
        let id2 = survey_id(&mut h, p);
        assert_ne!(id1, id2);
        h.inject(p, pp, &wire(&[id1], b"old"));
        h.inject(p, pp, &wire(&[id2], b"new"));
        let rx = h.recv(s, 0);
        assert_eq!(h.body(rx), b"new", "old answers discarded");
        // Other contexts are untouched.
        assert!(h.is_pending(rxc));
        let rx0 = h.recv(s, 0);
        h.send(s, 0, b"three");
        assert_eq!(h.err(rx0), Error::Canceled);
        h.inject(p, pp, &wire(&[idc], b"for ctx"));
        assert_eq!(h.body(rxc), b"for ctx");
    }

    #[test]
    fn unknown_ids_dropped_and_short_answers_close_the_pipe() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        let rx = h.recv(s, 0);
        h.inject(p, pp, &wire(&[id ^ 1], b"wrong"));
        h.inject(p, pp, &wire(&[id & 0x7fff_ffff], b"no bit"));
        assert!(h.is_pending(rx));
        h.inject(p, pp, &[1, 2, 3]);
        assert!(h.pipes(s).is_empty());
    }

    #[test]
    fn a_context_buffers_128_answers() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, pp) = probes[0];
        h.send(s, 0, b"q");
        let id = survey_id(&mut h, p);
        for i in 0..130u32 {
            h.inject(p, pp, &wire(&[id, i], b""));
        }
        let mut n = 0u32;
        loop {
            let rx = h.recv_op(s, 0, true, None);
            if h.is_pending(rx) {
                h.cancel(s, rx, Error::Canceled);
                h.take(rx);
                break;
            }
            assert_eq!(h.body(rx), n.to_be_bytes());
            n += 1;
        }
        assert_eq!(n, 128);
    }

    #[test]
    fn busy_pipes_queue_eight_surveys_then_drop() {
        let (mut h, s, probes) = surv_and_probes(1);
        let (p, _) = probes[0];
        let spipe = h.pipes(s)[0];
        let ctxs: Vec<CtxId> = (0..10).map(|_| h.ctx_open(s).unwrap()).collect();
        h.stall(s, spipe, true);
        for (i, &c) in ctxs.iter().enumerate() {
            let t = h.send(s, c, &[i as u8]);
            h.sent(t);
        }
        h.stall(s, spipe, false);
        let bodies: Vec<Vec<u8>> = std::iter::from_fn(|| h.probe_recv(p))
            .map(|(_, b)| split_backtrace(&b).1)
            .collect();
        assert_eq!(bodies, (0..9u8).map(|i| vec![i]).collect::<Vec<_>>());
    }

    #[test]
    fn survey_time_zero_or_infinite_closes_at_once() {
        for st in [0, -1] {
            let (mut h, s, _) = surv_and_probes(1);
            h.set_opt(s, 0, OPT_SURVEYOR_SURVEYTIME, ms(st)).unwrap();
            h.send(s, 0, b"q");
            let rx = h.recv(s, 0);
            assert_eq!(h.err(rx), Error::State, "survey time {st}");
        }
    }

    #[test]
    fn options_and_context_copies() {
        let mut h = Harness::new();
        let s = h.add(Socket::new(false, 3));
        assert_eq!(h.get_opt(s, 0, OPT_SURVEYOR_SURVEYTIME), Ok(ms(1000)));
        assert_eq!(
            h.set_opt(s, 0, OPT_SURVEYOR_SURVEYTIME, ms(-2)),
            Err(Error::Inval)
        );
        assert_eq!(
            h.set_opt(s, 0, OPT_SURVEYOR_SURVEYTIME, OptValue::Int(5)),
            Err(Error::BadType)
        );
        let c1 = h.ctx_open(s).unwrap();
        h.set_opt(s, 0, OPT_SURVEYOR_SURVEYTIME, ms(200)).unwrap();
        let c2 = h.ctx_open(s).unwrap();
        assert_eq!(h.get_opt(s, c1, OPT_SURVEYOR_SURVEYTIME), Ok(ms(1000)));
        assert_eq!(h.get_opt(s, c2, OPT_SURVEYOR_SURVEYTIME), Ok(ms(200)));
        h.set_opt(s, c1, OPT_SURVEYOR_SURVEYTIME, ms(50)).unwrap();
        assert_eq!(h.get_opt(s, 0, OPT_SURVEYOR_SURVEYTIME), Ok(ms(200)));
        assert_eq!(h.get_opt(s, 0, OPT_MAXTTL), Ok(OptValue::Int(8)));
        assert_eq!(
            h.set_opt(s, 0, OPT_MAXTTL, OptValue::Int(16)),
            Err(Error::Inval)
        );
        assert_eq!(h.get_opt(s, c1, OPT_MAXTTL), Err(Error::NotSup));
        assert_eq!(
            h.set_opt(s, c1, OPT_RECVBUF, OptValue::Int(3)),
            Err(Error::NotSup)
        );
        // Each context's own survey time bounds its receives.
        let t0 = h.now;
        h.send(s, c1, b"a");
        h.send(s, c2, b"b");
        let r1 = h.recv(s, c1);
        let r2 = h.recv(s, c2);
        h.drive_until(t0 + 50);
        assert_eq!(h.err(r1), Error::TimedOut);
        assert!(h.is_pending(r2));
        h.drive_until(t0 + 200);
        assert_eq!(h.err(r2), Error::TimedOut);
    }

    #[test]
    fn close_and_ctx_close_fail_receives() {
        let (mut h, s, _) = surv_and_probes(1);
        let c = h.ctx_open(s).unwrap();
        h.send(s, c, b"a");
        h.send(s, 0, b"b");
        let rc = h.recv(s, c);
        let r0 = h.recv(s, 0);
        h.ctx_close(s, c);
        assert_eq!(h.err(rc), Error::Closed);
        h.close(s);
        assert_eq!(h.err(r0), Error::Closed);
        let t = h.send(s, 0, b"x");
        assert_eq!(h.err(t), Error::Closed);
        assert_eq!(h.core(s).poll_timeout(), None);
    }

    #[test]
    fn surveyor_and_respondents_with_a_thousand_contexts() {
        let mut h = Harness::new();
        let s = h.add(Socket::new(false, 17));
        let r1 = h.add(respondent0::Socket::new(false, 0));
        let r2 = h.add(respondent0::Socket::new(false, 0));
        h.connect(s, r1).unwrap();
        h.connect(s, r2).unwrap();
        let ctxs: Vec<CtxId> = (0..1000).map(|_| h.ctx_open(s).unwrap()).collect();
        for (i, &c) in ctxs.iter().enumerate() {
            let t = h.send(s, c, &(i as u32).to_be_bytes());
            h.sent(t);
        }
        // Both respondents answer every survey, echoing it.
        for r in [r1, r2] {
            for _ in 0..1000 {
                let rx = h.recv(r, 0);
                let mut m = h.msg(rx);
                m.append(&[r as u8]).unwrap();
                let t = h.send_msg(r, 0, m, true, None);
                h.sent(t);
            }
        }
        for (i, &c) in ctxs.iter().enumerate() {
            let mut from = Vec::new();
            for _ in 0..2 {
                let rx = h.recv(s, c);
                let body = h.body(rx);
                assert_eq!(body[..4], (i as u32).to_be_bytes());
                from.push(body[4]);
            }
            from.sort_unstable();
            assert_eq!(from, vec![r1 as u8, r2 as u8]);
        }
    }

    #[test]
    fn raw_broadcasts_unchanged_and_exposes_backtrace() {
        let mut h = Harness::new();
        let s = h.add(Socket::new(true, 0));
        assert_eq!(h.ctx_open(s), Err(Error::NotSup));
        let p = h.add_probe();
        let l = h.connect(s, p).unwrap();
        let mut m = Msg::from_slice(b"raw");
        m.header_append(&0x8000_0042u32.to_be_bytes()).unwrap();
        let t = h.send_msg(s, 0, m, false, None);
        h.sent(t);
        assert_eq!(h.probe_recv(p), Some((l.b, wire(&[0x8000_0042], b"raw"))));
        assert_eq!(h.core(s).poll_timeout(), None);
        h.inject(p, l.b, &wire(&[5, 0x8000_0042], b"ans"));
        let rx = h.recv(s, 0);
        let m = h.msg(rx);
        assert_eq!(m.header(), wire(&[5, 0x8000_0042], b"").as_slice());
        assert_eq!(m.body(), b"ans");
        let rx = h.recv_nb(s, 0);
        assert_eq!(h.err(rx), Error::TimedOut);
        h.inject(p, l.b, &wire(&[5], b""));
        assert!(h.pipes(s).is_empty());
    }

    #[test]
    fn raw_busy_pipe_queues_sixteen() {
        let mut h = Harness::new();
        let s = h.add(Socket::new(true, 0));
        let p = h.add_probe();
        let l = h.connect(s, p).unwrap();
        h.stall(s, l.a, true);
        for i in 0..20u8 {
            let t = h.send(s, 0, &[i]);
            h.sent(t);
        }
        h.stall(s, l.a, false);
        let n = std::iter::from_fn(|| h.probe_recv(p)).count();
        assert_eq!(n, 17);
    }
}
