//! The sub0 protocol core (`sub`, 0x21): receives what publishers send,
//! filtered by local subscriptions. A subscriber never sends anything.
//!
//! Behaviour (reference WIRE.md §9.5, §10, §11; upstream
//! `src/sp/protocol/pubsub0/sub.c`, `xsub.c`):
//! - Cooked: each context (the socket's own is context 0) has its own
//!   topics, its own queue of `NNG_OPT_RECVBUF` messages (default 128,
//!   1..8192) and its own `NNG_OPT_SUB_PREFNEW` (default true). A message is
//!   accepted by a context when one of its topics is a byte prefix of the
//!   body (an empty topic matches everything; no topic, nothing). Every
//!   accepting context gets its own copy. When a queue is full the oldest
//!   message is dropped (PREFNEW) or the new one is (not PREFNEW).
//!   Unsubscribing purges queued messages that no longer match. New
//!   contexts copy the socket's RECVBUF and PREFNEW.
//! - Raw: no filtering, no contexts, no subscription options; everything
//!   goes into one queue (`NNG_OPT_RECVBUF`, generic, default 1, 0..8192)
//!   and arrivals are dropped when it is full.
//! - Pipes are always read; sending is `NNG_ENOTSUP`.

use crate::core::fasthash::FastSet;
use std::collections::{BTreeMap, VecDeque};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::core::stats::{self, ProtoStat};
use crate::protocol::{
    Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time, SOCKET_CTX,
};

/// Protocol number of sub v0 (`NNI_PROTO(2, 1)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x21;
/// Peer protocol number (pub v0).
pub const PEER_ID: u16 = 0x20;
/// Protocol name.
pub const PROTO_NAME: &str = "sub";
/// Peer protocol name.
pub const PEER_NAME: &str = "pub";

use crate::core::names::proto::SUB_PREFNEW as OPT_SUB_PREFNEW;
use crate::core::names::proto::SUB_SUBSCRIBE as OPT_SUB_SUBSCRIBE;
use crate::core::names::proto::SUB_UNSUBSCRIBE as OPT_SUB_UNSUBSCRIBE;
use crate::core::names::NNG_OPT_RECVBUF as OPT_RECVBUF;

const DEFAULT_RECVBUF: usize = 128;
const DEFAULT_RAW_RECVBUF: usize = 1;
const MAX_BUF: i32 = 8192;

/// Socket and context options of a cooked sub socket.
static COOKED_OPTIONS: [OptDesc; 4] = [
    OptDesc::wo(OPT_SUB_SUBSCRIBE, OptType::Bytes).in_ctx(),
    OptDesc::wo(OPT_SUB_UNSUBSCRIBE, OptType::Bytes).in_ctx(),
    OptDesc::rw(OPT_RECVBUF, OptType::Int).in_ctx(),
    OptDesc::rw(OPT_SUB_PREFNEW, OptType::Bool).in_ctx(),
];

// Upstream raw sub uses the socket's generic receive queue, whose option
// lives in the generic socket table; the core owns that queue here, so it
// owns the option too (same name, type, range and default).
static RAW_OPTIONS: [OptDesc; 1] = [OptDesc::rw(OPT_RECVBUF, OptType::Int)];

/// One context: subscriptions, a queue and waiting receivers.
#[derive(Debug)]
struct Ctx {
    topics: Vec<Vec<u8>>,
    queue: VecDeque<Msg>,
    cap: usize,
    prefer_new: bool,
    waiters: VecDeque<OpId>,
}

impl Ctx {
    fn new(cap: usize, prefer_new: bool) -> Ctx {
        Ctx {
            topics: Vec::new(),
            queue: VecDeque::new(),
            cap,
            prefer_new,
            waiters: VecDeque::new(),
        }
    }

    fn matches(&self, body: &[u8]) -> bool {
        self.topics.iter().any(|t| body.starts_with(t))
    }

    /// Whether a new message could be kept (a full queue that prefers old
    /// messages refuses it).
    fn accepts(&self) -> bool {
        self.prefer_new || self.queue.len() < self.cap || !self.waiters.is_empty()
    }

    /// Hands a message to a waiting receiver or queues it (dropping per
    /// the context's preference when full). Returns whether a message (the
    /// oldest or this one) was dropped.
    fn offer(&mut self, msg: Msg, out: &mut Actions) -> bool {
        if let Some(op) = self.waiters.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
            false
        } else if self.queue.len() < self.cap {
            self.queue.push_back(msg);
            false
        } else if self.prefer_new && self.cap > 0 {
            self.queue.pop_front();
            self.queue.push_back(msg);
            true
        } else {
            true
        }
    }

    fn fail_waiters(&mut self, err: Error, out: &mut Actions) {
        for op in self.waiters.drain(..) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(err),
            });
        }
    }
}

/// The sub0 core (cooked with contexts, or raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    pipes: FastSet<PipeId>,
    /// Context 0 (the socket) first, then contexts by id.
    ctxs: BTreeMap<CtxId, Ctx>,
    /// Queue depth and preference that new contexts copy.
    ctx_cap: usize,
    ctx_prefer_new: bool,
    /// Messages dropped for a full receive queue (statistics).
    drops: u64,
}

impl Socket {
    /// A new sub0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        let (cap, prefer_new) = if raw {
            (DEFAULT_RAW_RECVBUF, false)
        } else {
            (DEFAULT_RECVBUF, true)
        };
        let mut ctxs = BTreeMap::new();
        ctxs.insert(SOCKET_CTX, Ctx::new(cap, prefer_new));
        Socket {
            raw,
            closed: false,
            pipes: FastSet::default(),
            ctxs,
            ctx_cap: cap,
            ctx_prefer_new: prefer_new,
            drops: 0,
        }
    }

    /// Subscribes context `ctx` to `topic` (a duplicate is a no-op), as
    /// `nng_sub0_socket_subscribe`/`nng_sub0_ctx_subscribe`.
    pub fn subscribe(&mut self, ctx: CtxId, topic: &[u8]) -> Result<()> {
        let c = self.cooked_ctx(ctx)?;
        if !c.topics.iter().any(|t| t == topic) {
            c.topics.push(topic.to_vec());
        }
        Ok(())
    }

    /// Removes `topic` from context `ctx` (`NNG_ENOENT` if it was not
    /// subscribed) and drops queued messages that no longer match.
    pub fn unsubscribe(&mut self, ctx: CtxId, topic: &[u8]) -> Result<()> {
        let c = self.cooked_ctx(ctx)?;
        let i = c
            .topics
            .iter()
            .position(|t| t == topic)
            .ok_or(Error::NoEnt)?;
        c.topics.remove(i);
        let Ctx { topics, queue, .. } = c;
        queue.retain(|m| topics.iter().any(|t| m.body().starts_with(t)));
        Ok(())
    }

    fn cooked_ctx(&mut self, ctx: CtxId) -> Result<&mut Ctx> {
        if self.raw {
            return Err(Error::NotSup);
        }
        self.ctxs.get_mut(&ctx).ok_or(Error::Closed)
    }
}

/// The bytes of a subscription option value. Upstream copies the caller's
/// buffer whatever its type, so `nng_socket_set_int(s, "sub:subscribe", 32)`
/// subscribes to the 4 bytes of the int, and a string includes its NUL.
fn topic_bytes(val: &OptValue) -> Result<Vec<u8>> {
    Ok(match val {
        OptValue::Bytes(b) => b.clone(),
        OptValue::Str(s) => {
            let mut v = Vec::with_capacity(s.len() + 1);
            v.extend_from_slice(s.as_bytes());
            v.push(0);
            v
        }
        OptValue::Bool(b) => vec![u8::from(*b)],
        OptValue::Int(i) | OptValue::Ms(i) => i.to_ne_bytes().to_vec(),
        OptValue::Size(n) => n.to_ne_bytes().to_vec(),
        OptValue::Ptr(n) => n.to_ne_bytes().to_vec(),
        OptValue::U64(n) => n.to_ne_bytes().to_vec(),
        OptValue::Addr(_) | OptValue::StrList(_) => return Err(Error::BadType),
    })
}

impl Protocol for Socket {
    fn uses_clock(&self) -> bool {
        false
    }

    fn proto_stats(&self, out: &mut Vec<ProtoStat>) {
        out.push(ProtoStat {
            name: c"rx_drop",
            desc: c"messages dropped (receive queue full)",
            kind: stats::COUNTER,
            unit: stats::UNIT_MESSAGES,
            value: self.drops,
        });
    }

    fn info(&self) -> ProtoInfo {
        ProtoInfo {
            self_id: PROTO_ID,
            peer_id: PEER_ID,
            self_name: PROTO_NAME,
            peer_name: PEER_NAME,
            raw: self.raw,
        }
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if !self.pipes.insert(pipe) {
            return Err(Error::Busy);
        }
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        self.pipes.remove(&pipe);
    }

    fn pipe_sent(&mut self, _pipe: PipeId, _now: Time, _out: &mut Actions) {}

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, _now: Time, out: &mut Actions) {
        if !self.pipes.contains(&pipe) {
            return;
        }
        if self.raw {
            if let Some(c) = self.ctxs.get_mut(&SOCKET_CTX) {
                self.drops += u64::from(c.offer(msg, out));
            }
        } else if self.ctxs.len() == 1 {
            // The common case: one context, no copy.
            if let Some(c) = self.ctxs.get_mut(&SOCKET_CTX) {
                if c.matches(msg.body()) {
                    self.drops += u64::from(c.offer(msg, out));
                }
            }
        } else {
            for c in self.ctxs.values_mut() {
                if !c.matches(msg.body()) {
                    continue;
                }
                if !c.accepts() {
                    self.drops += 1;
                } else if let Ok(copy) = msg.try_share() {
                    self.drops += u64::from(c.offer(copy, out));
                }
            }
        }
        out.push_back(Action::Recv { pipe });
    }

    fn send(
        &mut self,
        _ctx: CtxId,
        op: OpId,
        msg: Msg,
        _wait: bool,
        _now: Time,
        out: &mut Actions,
    ) {
        out.push_back(Action::SendFailed {
            op,
            err: Error::NotSup,
            msg,
        });
    }

    fn recv(&mut self, ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        let c = match self.ctxs.get_mut(&ctx) {
            Some(c) if !self.closed => c,
            _ => {
                out.push_back(Action::RecvDone {
                    op,
                    result: Err(Error::Closed),
                });
                return;
            }
        };
        if let Some(msg) = c.queue.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Ok(msg),
            });
        } else if !wait {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::TimedOut),
            });
        } else {
            c.waiters.push_back(op);
        }
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        for c in self.ctxs.values_mut() {
            if let Some(i) = c.waiters.iter().position(|&o| o == op) {
                c.waiters.remove(i);
                out.push_back(Action::RecvDone {
                    op,
                    result: Err(err),
                });
                return;
            }
        }
    }

    fn ctx_open(&mut self, ctx: CtxId) -> Result<()> {
        if self.raw {
            return Err(Error::NotSup);
        }
        if self.closed {
            return Err(Error::Closed);
        }
        if self.ctxs.contains_key(&ctx) {
            return Err(Error::Exist);
        }
        self.ctxs
            .insert(ctx, Ctx::new(self.ctx_cap, self.ctx_prefer_new));
        Ok(())
    }

    fn ctx_close(&mut self, ctx: CtxId, out: &mut Actions) {
        if ctx == SOCKET_CTX {
            if let Some(c) = self.ctxs.get_mut(&ctx) {
                c.fail_waiters(Error::Closed, out);
            }
        } else if let Some(mut c) = self.ctxs.remove(&ctx) {
            c.fail_waiters(Error::Closed, out);
        }
    }

    fn options(&self) -> &'static [OptDesc] {
        if self.raw {
            &RAW_OPTIONS
        } else {
            &COOKED_OPTIONS
        }
    }

    fn set_option(&mut self, ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        if self.raw {
            if name != OPT_RECVBUF {
                return Err(Error::NotSup);
            }
            let cap = check_range(val.as_int()?, 0, MAX_BUF)? as usize;
            let c = self.ctxs.get_mut(&SOCKET_CTX).ok_or(Error::Closed)?;
            c.cap = cap;
            // Upstream's generic queue shrinks by dropping the oldest, and
            // may keep one message beyond the capacity.
            while c.queue.len() > cap + 1 {
                c.queue.pop_front();
            }
            return Ok(());
        }
        match name {
            OPT_SUB_SUBSCRIBE => self.subscribe(ctx, &topic_bytes(val)?),
            OPT_SUB_UNSUBSCRIBE => self.unsubscribe(ctx, &topic_bytes(val)?),
            OPT_RECVBUF => {
                let cap = check_range(val.as_int()?, 1, MAX_BUF)? as usize;
                let c = self.cooked_ctx(ctx)?;
                c.cap = cap;
                // Like upstream's lmq resize: keep the oldest, drop the rest.
                c.queue.truncate(cap);
                if ctx == SOCKET_CTX {
                    self.ctx_cap = cap;
                }
                Ok(())
            }
            OPT_SUB_PREFNEW => {
                let v = val.as_bool()?;
                self.cooked_ctx(ctx)?.prefer_new = v;
                if ctx == SOCKET_CTX {
                    self.ctx_prefer_new = v;
                }
                Ok(())
            }
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, ctx: CtxId, name: &str) -> Result<OptValue> {
        let c = self.ctxs.get(&ctx).ok_or(Error::Closed)?;
        match name {
            OPT_RECVBUF => Ok(OptValue::Int(c.cap as i32)),
            OPT_SUB_PREFNEW if !self.raw => Ok(OptValue::Bool(c.prefer_new)),
            OPT_SUB_SUBSCRIBE | OPT_SUB_UNSUBSCRIBE if !self.raw => Err(Error::WriteOnly),
            _ => Err(Error::NotSup),
        }
    }

    fn sends(&self) -> bool {
        false
    }

    fn can_recv(&self) -> bool {
        self.ctxs
            .get(&SOCKET_CTX)
            .is_some_and(|c| !c.queue.is_empty())
    }

    fn can_send(&self) -> bool {
        false
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for c in self.ctxs.values_mut() {
            c.fail_waiters(Error::Closed, out);
            c.queue.clear();
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

    impl T {
        fn new(raw: bool) -> T {
            T {
                s: Socket::new(raw, 1),
                out: Actions::new(),
                now: 1_000,
            }
        }
        fn tick(&mut self) -> Time {
            self.now += 1;
            self.now
        }
        fn join(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_added(p, now, &mut self.out).unwrap();
            self.want_recv(p);
        }
        /// A message arrives on `p`; the pipe is always read again.
        fn rx(&mut self, p: PipeId, data: &[u8]) {
            let now = self.tick();
            let mut m = Msg::from_slice(data);
            m.set_pipe(p);
            self.s.pipe_recv(p, m, now, &mut self.out);
            self.want_recv(p);
        }
        fn recv_on(&mut self, ctx: CtxId, op: OpId, wait: bool) {
            let now = self.tick();
            self.s.recv(ctx, op, wait, now, &mut self.out);
        }
        fn take(&mut self, what: &str, f: impl Fn(&Action) -> bool) -> Action {
            match self.out.iter().position(f) {
                Some(i) => self.out.remove(i).unwrap(),
                None => panic!("expected {what}, have {:?}", self.out),
            }
        }
        fn want_recv(&mut self, p: PipeId) {
            self.take("Recv", |a| matches!(a, Action::Recv { pipe } if *pipe == p));
        }
        fn got(&mut self, o: OpId) -> Result<Vec<u8>> {
            match self.take(
                "RecvDone",
                |a| matches!(a, Action::RecvDone { op, .. } if *op == o),
            ) {
                Action::RecvDone { result, .. } => result.map(|m| m.body().to_vec()),
                _ => unreachable!(),
            }
        }
        /// Receives everything queued on `ctx` without waiting.
        fn drain(&mut self, ctx: CtxId) -> Vec<Vec<u8>> {
            let mut v = Vec::new();
            loop {
                self.recv_on(ctx, 999, false);
                match self.got(999) {
                    Ok(b) => v.push(b),
                    Err(e) => {
                        assert_eq!(e, Error::TimedOut);
                        return v;
                    }
                }
            }
        }
        fn idle(&self) {
            assert!(self.out.is_empty(), "unexpected actions {:?}", self.out);
        }
        fn sub(&mut self, ctx: CtxId, topic: &[u8]) {
            self.s
                .set_option(ctx, OPT_SUB_SUBSCRIBE, &OptValue::Bytes(topic.to_vec()))
                .unwrap();
        }
        fn unsub(&mut self, ctx: CtxId, topic: &[u8]) -> Result<()> {
            self.s
                .set_option(ctx, OPT_SUB_UNSUBSCRIBE, &OptValue::Bytes(topic.to_vec()))
        }
        fn set(&mut self, ctx: CtxId, name: &str, v: OptValue) -> Result<()> {
            self.s.set_option(ctx, name, &v)
        }
    }

    #[test]
    fn identity() {
        let i = Socket::new(false, 0).info();
        assert_eq!(
            (i.self_id, i.peer_id, i.self_name, i.peer_name, i.raw),
            (0x21, 0x20, "sub", "pub", false)
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn cannot_send_on_socket_or_context() {
        let mut t = T::new(false);
        t.s.ctx_open(5).unwrap();
        for ctx in [0, 5] {
            t.s.send(ctx, 1, Msg::from_slice(b"x"), true, 0, &mut t.out);
            match t.out.pop_front() {
                Some(Action::SendFailed { op: 1, err, msg }) => {
                    assert_eq!(err, Error::NotSup);
                    assert_eq!(msg.body(), b"x");
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(!t.s.can_send());
    }

    #[test]
    fn no_subscription_receives_nothing() {
        let mut t = T::new(false);
        t.join(1);
        t.rx(1, b"anything");
        t.idle();
        assert!(!t.s.can_recv());
    }

    #[test]
    fn filter_by_prefix() {
        let mut t = T::new(false);
        t.set(0, OPT_RECVBUF, OptValue::Int(10)).unwrap();
        for topic in [b"abc", b"def", b"ghi", b"jkl"] {
            t.sub(0, topic);
        }
        t.join(1);
        for m in [
            &b"def"[..],
            b"de",
            b"abc123",
            b"xzy",
            b"ghi-drop",
            b"jkl-mno",
        ] {
            t.rx(1, m);
        }
        t.idle();
        t.unsub(0, b"ghi").unwrap();
        assert_eq!(t.drain(0), [&b"def"[..], b"abc123", b"jkl-mno"]);
    }

    #[test]
    fn empty_topic_matches_all_including_empty_body() {
        let mut t = T::new(false);
        t.sub(0, b"");
        t.join(1);
        t.rx(1, b"");
        t.rx(1, b"x");
        assert_eq!(t.drain(0), [&b""[..], b"x"]);
    }

    #[test]
    fn topics_are_case_sensitive_and_need_full_length() {
        let mut t = T::new(false);
        t.sub(0, b"Hello");
        t.join(1);
        t.rx(1, b"hello world");
        t.rx(1, b"Hell");
        t.rx(1, b"Hello");
        assert_eq!(t.drain(0), [b"Hello"]);
    }

    #[test]
    fn waiting_receiver_gets_match_directly() {
        let mut t = T::new(false);
        t.sub(0, b"t");
        t.join(1);
        t.recv_on(0, 1, true);
        t.idle();
        t.rx(1, b"nope");
        t.idle();
        t.rx(1, b"topic");
        assert_eq!(t.got(1).unwrap(), b"topic");
        t.idle();
    }

    #[test]
    fn full_queue_drops_oldest_by_default() {
        let mut t = T::new(false);
        t.set(0, OPT_RECVBUF, OptValue::Int(2)).unwrap();
        t.sub(0, b"");
        t.join(1);
        for m in [b"one", b"two", b"333"] {
            t.rx(1, m);
        }
        assert_eq!(t.drain(0), [b"two", b"333"]);
        assert_eq!(t.s.drops, 1);
    }

    #[test]
    fn full_queue_drops_new_without_prefnew() {
        let mut t = T::new(false);
        t.set(0, OPT_RECVBUF, OptValue::Int(2)).unwrap();
        t.set(0, OPT_SUB_PREFNEW, OptValue::Bool(false)).unwrap();
        t.sub(0, b"");
        t.join(1);
        for m in [b"one", b"two", b"333"] {
            t.rx(1, m);
        }
        assert_eq!(t.drain(0), [b"one", b"two"]);
        let mut st = Vec::new();
        t.s.proto_stats(&mut st);
        assert_eq!((st[0].name, st[0].value), (c"rx_drop", 1));
    }

    #[test]
    fn default_queue_depth_is_128() {
        let mut t = T::new(false);
        t.sub(0, b"");
        t.join(1);
        for i in 0..200u32 {
            t.rx(1, &i.to_be_bytes());
        }
        let got = t.drain(0);
        assert_eq!(got.len(), 128);
        assert_eq!(got[0], 72u32.to_be_bytes());
    }

    #[test]
    fn unsubscribe_purges_only_unmatched() {
        let mut t = T::new(false);
        t.sub(0, b"a");
        t.sub(0, b"ab");
        t.join(1);
        t.rx(1, b"abc");
        t.rx(1, b"ax");
        t.unsub(0, b"a").unwrap();
        assert_eq!(t.drain(0), [b"abc"]);
    }

    #[test]
    fn subscribe_and_unsubscribe_rules() {
        let mut t = T::new(false);
        t.sub(0, b"abc");
        t.sub(0, b"abc");
        assert_eq!(t.unsub(0, b"abc123"), Err(Error::NoEnt));
        t.unsub(0, b"abc").unwrap();
        // A duplicate subscribe was a no-op: one unsubscribe removes it.
        assert_eq!(t.unsub(0, b"abc"), Err(Error::NoEnt));
        // Any value type subscribes to its bytes, as upstream.
        t.set(0, OPT_SUB_SUBSCRIBE, OptValue::Int(32)).unwrap();
        assert_eq!(
            t.set(0, OPT_SUB_UNSUBSCRIBE, OptValue::Int(23)),
            Err(Error::NoEnt)
        );
        t.set(0, OPT_SUB_UNSUBSCRIBE, OptValue::Int(32)).unwrap();
        t.set(0, OPT_SUB_SUBSCRIBE, OptValue::Bool(false)).unwrap();
        t.unsub(0, &[0]).unwrap();
        // A string includes its NUL.
        t.set(0, OPT_SUB_SUBSCRIBE, OptValue::Str("a".into()))
            .unwrap();
        t.unsub(0, b"a\0").unwrap();
        // The direct calls do the same.
        t.s.subscribe(0, b"xyz").unwrap();
        t.s.unsubscribe(0, b"xyz").unwrap();
        assert_eq!(t.s.unsubscribe(0, b"xyz"), Err(Error::NoEnt));
        assert_eq!(t.s.get_option(0, OPT_SUB_SUBSCRIBE), Err(Error::WriteOnly));
        assert_eq!(
            t.s.get_option(0, OPT_SUB_UNSUBSCRIBE),
            Err(Error::WriteOnly)
        );
    }

    #[test]
    fn options_table_and_ranges() {
        let mut t = T::new(false);
        let d = t.s.options();
        let find = |n: &str| *d.iter().find(|x| x.name == n).unwrap();
        assert!(!find(OPT_SUB_SUBSCRIBE).get && find(OPT_SUB_SUBSCRIBE).set);
        assert_eq!(find(OPT_SUB_SUBSCRIBE).ty, OptType::Bytes);
        assert!(!find(OPT_SUB_UNSUBSCRIBE).get && find(OPT_SUB_UNSUBSCRIBE).set);
        assert!(
            find(OPT_RECVBUF).get && find(OPT_RECVBUF).set && find(OPT_RECVBUF).ty == OptType::Int
        );
        assert!(find(OPT_SUB_PREFNEW).get && find(OPT_SUB_PREFNEW).ty == OptType::Bool);
        assert_eq!(d.len(), 4);

        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(128)));
        assert_eq!(t.s.get_option(0, OPT_SUB_PREFNEW), Ok(OptValue::Bool(true)));
        assert_eq!(t.set(0, OPT_RECVBUF, OptValue::Int(0)), Err(Error::Inval));
        assert_eq!(t.set(0, OPT_RECVBUF, OptValue::Int(-1)), Err(Error::Inval));
        assert_eq!(
            t.set(0, OPT_RECVBUF, OptValue::Int(1_000_000)),
            Err(Error::Inval)
        );
        assert_eq!(
            t.set(0, OPT_RECVBUF, OptValue::Bool(true)),
            Err(Error::BadType)
        );
        assert_eq!(
            t.set(0, OPT_SUB_PREFNEW, OptValue::Int(1)),
            Err(Error::BadType)
        );
        t.set(0, OPT_RECVBUF, OptValue::Int(1)).unwrap();
        t.set(0, OPT_RECVBUF, OptValue::Int(8192)).unwrap();
        t.set(0, OPT_RECVBUF, OptValue::Int(3)).unwrap();
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(3)));
        t.set(0, OPT_SUB_PREFNEW, OptValue::Bool(false)).unwrap();
        assert_eq!(
            t.s.get_option(0, OPT_SUB_PREFNEW),
            Ok(OptValue::Bool(false))
        );
        assert_eq!(t.set(0, "ttl-max", OptValue::Int(2)), Err(Error::NotSup));
        assert_eq!(t.s.get_option(0, "send-buffer"), Err(Error::NotSup));
    }

    #[test]
    fn contexts_copy_socket_settings_at_creation() {
        let mut t = T::new(false);
        t.set(0, OPT_RECVBUF, OptValue::Int(5)).unwrap();
        t.set(0, OPT_SUB_PREFNEW, OptValue::Bool(false)).unwrap();
        t.sub(0, b"sock-only");
        t.s.ctx_open(1).unwrap();
        assert_eq!(t.s.get_option(1, OPT_RECVBUF), Ok(OptValue::Int(5)));
        assert_eq!(
            t.s.get_option(1, OPT_SUB_PREFNEW),
            Ok(OptValue::Bool(false))
        );
        // Changing a context leaves the socket alone, and vice versa.
        t.set(1, OPT_RECVBUF, OptValue::Int(7)).unwrap();
        t.set(1, OPT_SUB_PREFNEW, OptValue::Bool(true)).unwrap();
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(5)));
        assert_eq!(
            t.s.get_option(0, OPT_SUB_PREFNEW),
            Ok(OptValue::Bool(false))
        );
        t.set(0, OPT_RECVBUF, OptValue::Int(9)).unwrap();
        assert_eq!(t.s.get_option(1, OPT_RECVBUF), Ok(OptValue::Int(7)));
        t.s.ctx_open(2).unwrap();
        assert_eq!(t.s.get_option(2, OPT_RECVBUF), Ok(OptValue::Int(9)));
        // Subscriptions are not copied.
        t.join(1);
        t.rx(1, b"sock-only");
        t.recv_on(2, 1, false);
        assert_eq!(t.got(1), Err(Error::TimedOut));
        assert_eq!(t.s.ctx_open(2), Err(Error::Exist));
    }

    #[test]
    fn each_context_gets_its_own_copy() {
        let mut t = T::new(false);
        t.s.ctx_open(1).unwrap();
        t.s.ctx_open(2).unwrap();
        t.sub(0, b"");
        t.sub(1, b"a");
        t.sub(2, b"b");
        t.join(9);
        t.recv_on(1, 10, true);
        t.rx(9, b"apple");
        t.rx(9, b"banana");
        assert_eq!(t.got(10).unwrap(), b"apple");
        t.idle();
        assert_eq!(t.drain(0), [&b"apple"[..], b"banana"]);
        assert_eq!(t.drain(1), Vec::<Vec<u8>>::new());
        assert_eq!(t.drain(2), [b"banana"]);
    }

    #[test]
    fn context_queues_drop_independently() {
        let mut t = T::new(false);
        t.s.ctx_open(1).unwrap();
        for c in [0, 1] {
            t.sub(c, b"");
            t.set(c, OPT_RECVBUF, OptValue::Int(1)).unwrap();
        }
        t.set(1, OPT_SUB_PREFNEW, OptValue::Bool(false)).unwrap();
        t.join(1);
        t.rx(1, b"old");
        t.rx(1, b"new");
        assert_eq!(t.drain(0), [b"new"]);
        assert_eq!(t.drain(1), [b"old"]);
    }

    #[test]
    fn only_the_socket_context_makes_it_readable() {
        let mut t = T::new(false);
        t.s.ctx_open(1).unwrap();
        t.sub(1, b"");
        t.join(1);
        t.rx(1, b"m");
        assert!(!t.s.can_recv());
        t.sub(0, b"");
        t.rx(1, b"n");
        assert!(t.s.can_recv());
        t.drain(0);
        assert!(!t.s.can_recv());
    }

    #[test]
    fn context_recv_nonblock_cancel_and_close() {
        let mut t = T::new(false);
        t.s.ctx_open(3).unwrap();
        t.recv_on(3, 1, false);
        assert_eq!(t.got(1), Err(Error::TimedOut));
        t.recv_on(3, 2, true);
        t.recv_on(3, 3, true);
        t.recv_on(0, 4, true);
        t.idle();
        t.s.cancel(2, Error::Canceled, &mut t.out);
        assert_eq!(t.got(2), Err(Error::Canceled));
        t.s.cancel(2, Error::Canceled, &mut t.out);
        t.idle();
        t.s.ctx_close(3, &mut t.out);
        assert_eq!(t.got(3), Err(Error::Closed));
        t.idle();
        // The closed context is gone.
        t.recv_on(3, 5, true);
        assert_eq!(t.got(5), Err(Error::Closed));
        assert_eq!(
            t.set(3, OPT_SUB_PREFNEW, OptValue::Bool(true)),
            Err(Error::Closed)
        );
        // Closing the socket fails what is left.
        t.s.close(&mut t.out);
        assert_eq!(t.got(4), Err(Error::Closed));
        t.idle();
        t.recv_on(0, 6, true);
        assert_eq!(t.got(6), Err(Error::Closed));
        assert_eq!(t.s.ctx_open(4), Err(Error::Closed));
    }

    #[test]
    fn close_fails_receivers_on_every_context() {
        let mut t = T::new(false);
        t.s.ctx_open(1).unwrap();
        t.recv_on(0, 1, true);
        t.recv_on(1, 2, true);
        t.s.close(&mut t.out);
        assert_eq!(t.got(1), Err(Error::Closed));
        assert_eq!(t.got(2), Err(Error::Closed));
        t.idle();
    }

    #[test]
    fn closing_socket_context_keeps_it() {
        let mut t = T::new(false);
        t.recv_on(0, 1, true);
        t.s.ctx_close(0, &mut t.out);
        assert_eq!(t.got(1), Err(Error::Closed));
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(128)));
    }

    #[test]
    fn shrinking_queue_keeps_oldest() {
        let mut t = T::new(false);
        t.sub(0, b"");
        t.join(1);
        for m in [b"1", b"2", b"3"] {
            t.rx(1, m);
        }
        t.set(0, OPT_RECVBUF, OptValue::Int(2)).unwrap();
        assert_eq!(t.drain(0), [b"1", b"2"]);
    }

    #[test]
    fn removed_pipe_is_ignored() {
        let mut t = T::new(false);
        t.sub(0, b"");
        t.join(1);
        t.s.pipe_removed(1, 0, &mut t.out);
        t.s.pipe_recv(1, Msg::from_slice(b"late"), 0, &mut t.out);
        t.s.pipe_sent(1, 0, &mut t.out);
        t.idle();
        assert!(!t.s.can_recv());
    }

    // ---- raw

    #[test]
    fn raw_has_no_filter_options_or_contexts() {
        let mut t = T::new(true);
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
        let names: Vec<_> = t.s.options().iter().map(|d| d.name).collect();
        assert_eq!(names, [OPT_RECVBUF]);
        assert_eq!(
            t.set(0, OPT_SUB_SUBSCRIBE, OptValue::Bytes(b"abc".to_vec())),
            Err(Error::NotSup)
        );
        assert_eq!(
            t.set(0, OPT_SUB_UNSUBSCRIBE, OptValue::Bytes(b"abc".to_vec())),
            Err(Error::NotSup)
        );
        assert_eq!(t.s.get_option(0, OPT_SUB_PREFNEW), Err(Error::NotSup));
        assert_eq!(t.s.subscribe(0, b"x"), Err(Error::NotSup));
        assert_eq!(t.s.unsubscribe(0, b"x"), Err(Error::NotSup));
    }

    #[test]
    fn raw_receives_everything_and_drops_new_when_full() {
        let mut t = T::new(true);
        t.join(1);
        t.rx(1, b"first");
        t.rx(1, b"second");
        assert!(t.s.can_recv());
        assert_eq!(t.drain(0), [b"first"]);
        t.recv_on(0, 1, true);
        t.rx(1, b"third");
        assert_eq!(t.got(1).unwrap(), b"third");
        t.idle();
    }

    #[test]
    fn raw_recv_buffer_option() {
        let mut t = T::new(true);
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(1)));
        assert_eq!(t.set(0, OPT_RECVBUF, OptValue::Int(-1)), Err(Error::Inval));
        assert_eq!(
            t.set(0, OPT_RECVBUF, OptValue::Int(1_000_000)),
            Err(Error::Inval)
        );
        assert_eq!(
            t.set(0, OPT_RECVBUF, OptValue::Bool(true)),
            Err(Error::BadType)
        );
        t.set(0, OPT_RECVBUF, OptValue::Int(3)).unwrap();
        assert_eq!(t.s.get_option(0, OPT_RECVBUF), Ok(OptValue::Int(3)));
        t.join(1);
        for m in [b"1", b"2", b"3", b"4"] {
            t.rx(1, m);
        }
        assert_eq!(t.drain(0), [b"1", b"2", b"3"]);
        // Unbuffered: only a waiting receiver gets anything.
        t.set(0, OPT_RECVBUF, OptValue::Int(0)).unwrap();
        t.rx(1, b"lost");
        assert!(!t.s.can_recv());
        t.recv_on(0, 1, true);
        t.rx(1, b"taken");
        assert_eq!(t.got(1).unwrap(), b"taken");
    }

    #[test]
    fn raw_shrink_drops_oldest_keeping_one_extra() {
        let mut t = T::new(true);
        t.set(0, OPT_RECVBUF, OptValue::Int(4)).unwrap();
        t.join(1);
        for m in [b"1", b"2", b"3", b"4"] {
            t.rx(1, m);
        }
        t.set(0, OPT_RECVBUF, OptValue::Int(1)).unwrap();
        assert_eq!(t.drain(0), [b"3", b"4"]);
    }

    #[test]
    fn raw_close_and_cancel() {
        let mut t = T::new(true);
        t.recv_on(0, 1, true);
        t.recv_on(0, 2, true);
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(1), Err(Error::TimedOut));
        t.s.close(&mut t.out);
        assert_eq!(t.got(2), Err(Error::Closed));
        t.idle();
    }
}
