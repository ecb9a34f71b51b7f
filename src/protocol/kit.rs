//! Building blocks shared by the request/reply and survey cores (req0, rep0,
//! surveyor0, respondent0, cooked and raw).
//!
//! - [`OrderedSet`]: an insertion-ordered set with O(log n) removal, standing
//!   in for nng's intrusive lists (FIFO order matters for fairness: which
//!   pipe gets the next request, which context the next reply).
//! - [`IdAlloc`]: request/survey id allocation exactly like nng's id map
//!   (bit 31 set, random start, incrementing, skipping ids in use).
//! - [`move_backtrace`]: the SP backtrace rule (words up to and including
//!   the first one with bit 31 set move from the body to the header).
//! - [`RecvQueue`] / [`SendQueue`]: models of nng's socket message queues
//!   (`nni_msgq`) that raw sockets use between the application and the pipes,
//!   sized by `NNG_OPT_RECVBUF` / `NNG_OPT_SENDBUF`.
//!
//! Pure data structures: no I/O, no clock, no locks.

use crate::core::fasthash::FastMap;
use std::collections::{BTreeMap, VecDeque};
use std::hash::Hash;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptValue};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId};

/// `NNG_OPT_MAXTTL`.
pub(crate) use crate::core::names::NNG_OPT_MAXTTL as OPT_MAXTTL;
/// `NNG_OPT_RECVBUF`.
pub(crate) use crate::core::names::NNG_OPT_RECVBUF as OPT_RECVBUF;
/// `NNG_OPT_SENDBUF`.
pub(crate) use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Default `NNG_OPT_MAXTTL` (per the SP RFCs).
pub(crate) const DEFAULT_TTL: i32 = 8;
/// Largest `NNG_OPT_MAXTTL` (`NNI_MAX_MAX_TTL`: a 64-byte header holds 15 hops + id).
pub(crate) const MAX_TTL: i32 = 15;
/// Largest socket queue depth (`NNG_OPT_RECVBUF`/`NNG_OPT_SENDBUF`).
pub(crate) const MAX_QUEUE: i32 = 8192;
/// Default `NNG_OPT_RECVBUF` of the generic socket queue.
pub(crate) const DEFAULT_RECVBUF: i32 = 1;
/// Default `NNG_OPT_SENDBUF` of the generic socket queue.
pub(crate) const DEFAULT_SENDBUF: i32 = 0;

/// Bit 31 marks the last word of a backtrace (the request/survey id).
pub(crate) const ID_FLAG: u32 = 0x8000_0000;

/// Validates an `NNG_OPT_MAXTTL` value (1..15, else `NNG_EINVAL`).
pub(crate) fn check_ttl(v: &OptValue) -> Result<i32> {
    check_range(v.as_int()?, 1, MAX_TTL)
}

/// Validates a socket queue depth (0..8192, else `NNG_EINVAL`).
pub(crate) fn check_queue(v: &OptValue) -> Result<i32> {
    check_range(v.as_int()?, 0, MAX_QUEUE)
}

/// splitmix64: turns the constructor's seed into well-mixed bits.
pub(crate) fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Reads the first 4 body bytes as a big-endian word.
pub(crate) fn body_u32(msg: &Msg) -> Option<u32> {
    let b = msg.body().get(..4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads the first 4 header bytes as a big-endian word.
pub(crate) fn header_u32(msg: &Msg) -> Option<u32> {
    let b = msg.header().get(..4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// An insertion-ordered set: FIFO order, O(1) membership, O(log n) removal
/// anywhere. Re-inserting a member keeps its place.
#[derive(Debug)]
pub(crate) struct OrderedSet<K> {
    pos: FastMap<K, u64>,
    order: BTreeMap<u64, K>,
    next: u64,
}

impl<K: Copy + Eq + Hash> Default for OrderedSet<K> {
    fn default() -> Self {
        OrderedSet {
            pos: FastMap::default(),
            order: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<K: Copy + Eq + Hash> OrderedSet<K> {
    /// True when empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }
    /// Membership.
    pub(crate) fn contains(&self, k: K) -> bool {
        self.pos.contains_key(&k)
    }
    /// Appends `k` unless it is already a member; true if appended.
    pub(crate) fn push_back(&mut self, k: K) -> bool {
        if self.pos.contains_key(&k) {
            return false;
        }
        let seq = self.next;
        self.next += 1;
        self.pos.insert(k, seq);
        self.order.insert(seq, k);
        true
    }
    /// Removes `k`; true if it was a member.
    pub(crate) fn remove(&mut self, k: K) -> bool {
        match self.pos.remove(&k) {
            Some(seq) => {
                self.order.remove(&seq);
                true
            }
            None => false,
        }
    }
    /// The oldest member.
    pub(crate) fn front(&self) -> Option<K> {
        self.order.values().next().copied()
    }
    /// Removes and returns the oldest member.
    pub(crate) fn pop_front(&mut self) -> Option<K> {
        let (_, k) = self.order.pop_first()?;
        self.pos.remove(&k);
        Some(k)
    }
    /// The position key of a member (smaller = older).
    pub(crate) fn seq(&self, k: K) -> Option<u64> {
        self.pos.get(&k).copied()
    }
    /// Members, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = K> + '_ {
        self.order.values().copied()
    }
    /// Removes every member.
    pub(crate) fn clear(&mut self) {
        self.pos.clear();
        self.order.clear();
    }
}

/// Request/survey ids: 0x80000000..=0xffffffff, allocated from a random
/// starting point (drawn on first use), incrementing with wrap-around and
/// skipping ids still in use (upstream `nni_id_alloc32` on a randomized map).
#[derive(Debug)]
pub(crate) struct IdAlloc {
    map: FastMap<u32, CtxId>,
    next: u32,
    seed: u64,
}

impl IdAlloc {
    const LO: u32 = ID_FLAG;
    const HI: u32 = u32::MAX;

    /// A new allocator whose starting point derives from `seed`.
    pub(crate) fn new(seed: u64) -> IdAlloc {
        IdAlloc {
            map: FastMap::default(),
            next: 0,
            seed,
        }
    }

    /// Allocates an id for `ctx` (`NNG_ENOMEM` when all 2^31 are in use).
    pub(crate) fn alloc(&mut self, ctx: CtxId) -> Result<u32> {
        if self.map.len() > (Self::HI - Self::LO) as usize {
            return Err(Error::NoMem);
        }
        if self.next == 0 {
            let span = u64::from(Self::HI - Self::LO) + 1;
            self.next = Self::LO + (mix(self.seed) % span) as u32;
        }
        loop {
            let id = self.next;
            self.next = if self.next == Self::HI {
                Self::LO
            } else {
                self.next + 1
            };
            if let std::collections::hash_map::Entry::Vacant(e) = self.map.entry(id) {
                e.insert(ctx);
                return Ok(id);
            }
        }
    }

    /// The context holding `id`.
    pub(crate) fn get(&self, id: u32) -> Option<CtxId> {
        self.map.get(&id).copied()
    }

    /// Releases `id`.
    pub(crate) fn remove(&mut self, id: u32) {
        self.map.remove(&id);
    }

    /// Number of ids in use.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Outcome of [`move_backtrace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backtrace {
    /// The backtrace is now in the header.
    Moved,
    /// More hops than the TTL allows: drop the message, keep the pipe.
    TooManyHops,
    /// The body ended before a word with bit 31: close the pipe.
    Malformed,
}

/// Moves backtrace words (up to and including the first word with bit 31
/// set) from the front of the body to the end of the header.
///
/// With `ttl`, the hop limit is checked before each word exactly as upstream
/// rep/respondent do: the message is dropped once more than `ttl` words
/// would be needed, even if the body would have turned out malformed.
pub(crate) fn move_backtrace(msg: &mut Msg, ttl: Option<i32>) -> Backtrace {
    let body = msg.body();
    let mut words = 0usize;
    loop {
        if let Some(t) = ttl {
            if words as i64 + 1 > i64::from(t) {
                return Backtrace::TooManyHops;
            }
        }
        let off = words * 4;
        if body.len() < off + 4 {
            return Backtrace::Malformed;
        }
        words += 1;
        if body[off] & 0x80 != 0 {
            break;
        }
    }
    let n = words * 4;
    let mut small = [0u8; 64];
    let moved = if n <= small.len() {
        small[..n].copy_from_slice(&body[..n]);
        msg.header_append(&small[..n])
            .and_then(|()| msg.trim(n))
            .is_ok()
    } else {
        let words = body[..n].to_vec();
        msg.header_append(&words).and_then(|()| msg.trim(n)).is_ok()
    };
    if moved {
        Backtrace::Moved
    } else {
        // Out of memory: upstream drops the message.
        Backtrace::TooManyHops
    }
}

/// The socket receive queue of raw sockets (upstream `nni_msgq` as the
/// socket's upper read queue): up to `cap` messages buffered; a pipe whose
/// message does not fit waits (it reads nothing more from its connection)
/// until a receiver takes the message.
///
/// Exactly like `nni_msgq`, a receiver that empties a buffer slot does not
/// pull a waiting pipe's message into it; the next operation does.
#[derive(Debug)]
pub(crate) struct RecvQueue {
    cap: usize,
    queue: VecDeque<Msg>,
    putters: OrderedSet<PipeId>,
    put_msgs: FastMap<PipeId, Msg>,
    getters: OrderedSet<OpId>,
}

impl RecvQueue {
    /// A queue of depth `cap`.
    pub(crate) fn new(cap: i32) -> RecvQueue {
        RecvQueue {
            cap: cap.max(0) as usize,
            queue: VecDeque::new(),
            putters: OrderedSet::default(),
            put_msgs: FastMap::default(),
            getters: OrderedSet::default(),
        }
    }

    /// The depth.
    pub(crate) fn cap(&self) -> i32 {
        self.cap as i32
    }

    /// A pipe delivers `msg`; once accepted, the pipe is asked for its next
    /// message (`Action::Recv`).
    pub(crate) fn put(&mut self, pipe: PipeId, msg: Msg, out: &mut Actions) {
        if self.putters.push_back(pipe) {
            self.put_msgs.insert(pipe, msg);
        }
        self.run_put(out);
    }

    /// A user receive; with `wait == false` it fails with `NNG_ETIMEDOUT`
    /// when nothing is available.
    pub(crate) fn get(&mut self, op: OpId, wait: bool, out: &mut Actions) {
        if !wait && self.queue.is_empty() && self.putters.is_empty() {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::TimedOut),
            });
            return;
        }
        self.getters.push_back(op);
        self.run_get(out);
    }

    /// Cancels a pending receive; false if `op` is not held here.
    pub(crate) fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) -> bool {
        if !self.getters.remove(op) {
            return false;
        }
        out.push_back(Action::RecvDone {
            op,
            result: Err(err),
        });
        true
    }

    /// A pipe went away: its waiting message is discarded.
    pub(crate) fn pipe_gone(&mut self, pipe: PipeId) {
        if self.putters.remove(pipe) {
            self.put_msgs.remove(&pipe);
        }
    }

    /// Changes the depth; excess messages (beyond `cap + 1`, as upstream
    /// keeps one extra slot) are discarded oldest first.
    pub(crate) fn resize(&mut self, cap: i32) {
        self.cap = cap.max(0) as usize;
        while self.queue.len() > self.cap + 1 {
            self.queue.pop_front();
        }
    }

    /// Fails every pending receive with `NNG_ECLOSED`, discards messages.
    pub(crate) fn close(&mut self, out: &mut Actions) {
        while let Some(op) = self.getters.pop_front() {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        }
        self.queue.clear();
        self.putters.clear();
        self.put_msgs.clear();
    }

    /// A receive would complete now.
    pub(crate) fn readable(&self) -> bool {
        !self.queue.is_empty() || !self.putters.is_empty()
    }

    fn run_put(&mut self, out: &mut Actions) {
        while let Some(pipe) = self.putters.front() {
            if let Some(op) = self.getters.pop_front() {
                self.putters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&pipe) {
                    out.push_back(Action::RecvDone {
                        op,
                        result: Ok(msg),
                    });
                }
                out.push_back(Action::Recv { pipe });
                continue;
            }
            if self.queue.len() < self.cap {
                self.putters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&pipe) {
                    self.queue.push_back(msg);
                }
                out.push_back(Action::Recv { pipe });
                continue;
            }
            break;
        }
    }

    fn run_get(&mut self, out: &mut Actions) {
        while let Some(op) = self.getters.front() {
            if let Some(msg) = self.queue.pop_front() {
                self.getters.pop_front();
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
                continue;
            }
            if let Some(pipe) = self.putters.pop_front() {
                self.getters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&pipe) {
                    out.push_back(Action::RecvDone {
                        op,
                        result: Ok(msg),
                    });
                }
                out.push_back(Action::Recv { pipe });
                continue;
            }
            break;
        }
    }
}

/// The socket send queue of raw req (upstream `nni_msgq` as the socket's
/// upper write queue): idle pipes wait for messages in FIFO order, up to
/// `cap` messages are buffered when no pipe is idle, further senders wait.
#[derive(Debug)]
pub(crate) struct SendQueue {
    cap: usize,
    queue: VecDeque<Msg>,
    putters: OrderedSet<OpId>,
    put_msgs: FastMap<OpId, Msg>,
    getters: OrderedSet<PipeId>,
}

impl SendQueue {
    /// A queue of depth `cap`.
    pub(crate) fn new(cap: i32) -> SendQueue {
        SendQueue {
            cap: cap.max(0) as usize,
            queue: VecDeque::new(),
            putters: OrderedSet::default(),
            put_msgs: FastMap::default(),
            getters: OrderedSet::default(),
        }
    }

    /// The depth.
    pub(crate) fn cap(&self) -> i32 {
        self.cap as i32
    }

    /// A user send; with `wait == false` it fails with `NNG_ETIMEDOUT` when
    /// no pipe is idle and the buffer is full.
    pub(crate) fn put(&mut self, op: OpId, msg: Msg, wait: bool, out: &mut Actions) {
        if !wait && self.queue.len() >= self.cap && self.getters.is_empty() {
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
            return;
        }
        if self.putters.push_back(op) {
            self.put_msgs.insert(op, msg);
        }
        self.run_put(out);
    }

    /// `pipe` is idle and takes the next message.
    pub(crate) fn pipe_ready(&mut self, pipe: PipeId, out: &mut Actions) {
        self.getters.push_back(pipe);
        self.run_get(out);
    }

    /// Cancels a pending send, handing its message back; false if `op` is
    /// not held here.
    pub(crate) fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) -> bool {
        if !self.putters.remove(op) {
            return false;
        }
        if let Some(msg) = self.put_msgs.remove(&op) {
            out.push_back(Action::SendFailed { op, err, msg });
        }
        true
    }

    /// A pipe went away.
    pub(crate) fn pipe_gone(&mut self, pipe: PipeId) {
        self.getters.remove(pipe);
    }

    /// Changes the depth (excess beyond `cap + 1` discarded, oldest first).
    pub(crate) fn resize(&mut self, cap: i32) {
        self.cap = cap.max(0) as usize;
        while self.queue.len() > self.cap + 1 {
            self.queue.pop_front();
        }
    }

    /// Fails every pending send with `NNG_ECLOSED`, discards messages.
    pub(crate) fn close(&mut self, out: &mut Actions) {
        while let Some(op) = self.putters.pop_front() {
            if let Some(msg) = self.put_msgs.remove(&op) {
                out.push_back(Action::SendFailed {
                    op,
                    err: Error::Closed,
                    msg,
                });
            }
        }
        self.queue.clear();
        self.getters.clear();
    }

    /// A send would complete now.
    pub(crate) fn writable(&self) -> bool {
        self.queue.len() < self.cap || !self.getters.is_empty()
    }

    fn run_put(&mut self, out: &mut Actions) {
        while let Some(op) = self.putters.front() {
            if let Some(pipe) = self.getters.pop_front() {
                self.putters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&op) {
                    out.push_back(Action::Send { pipe, msg });
                }
                out.push_back(Action::SendDone { op });
                continue;
            }
            if self.queue.len() < self.cap {
                self.putters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&op) {
                    self.queue.push_back(msg);
                }
                out.push_back(Action::SendDone { op });
                continue;
            }
            break;
        }
    }

    fn run_get(&mut self, out: &mut Actions) {
        while let Some(pipe) = self.getters.front() {
            if let Some(msg) = self.queue.pop_front() {
                self.getters.pop_front();
                out.push_back(Action::Send { pipe, msg });
                continue;
            }
            if let Some(op) = self.putters.pop_front() {
                self.getters.pop_front();
                if let Some(msg) = self.put_msgs.remove(&op) {
                    out.push_back(Action::Send { pipe, msg });
                }
                out.push_back(Action::SendDone { op });
                continue;
            }
            break;
        }
    }
}

/// A per-pipe outgoing queue of raw sockets (upstream's per-pipe `nni_msgq`
/// with `tryput`): one message in flight plus `cap` waiting; when full, new
/// messages are dropped.
#[derive(Debug)]
pub(crate) struct PipeQueue {
    busy: bool,
    queue: VecDeque<Msg>,
}

impl PipeQueue {
    /// An idle pipe with an empty queue.
    pub(crate) fn new() -> PipeQueue {
        PipeQueue {
            busy: false,
            queue: VecDeque::new(),
        }
    }

    /// Offers `msg` without blocking: sent at once if the pipe is idle,
    /// queued if fewer than `cap` wait, else dropped (returns false).
    pub(crate) fn try_send(
        &mut self,
        pipe: PipeId,
        msg: Msg,
        cap: usize,
        out: &mut Actions,
    ) -> bool {
        if !self.busy {
            self.busy = true;
            out.push_back(Action::Send { pipe, msg });
            true
        } else if self.queue.len() < cap {
            self.queue.push_back(msg);
            true
        } else {
            false
        }
    }

    /// The pipe finished a write: send the next queued message, if any.
    pub(crate) fn sent(&mut self, pipe: PipeId, out: &mut Actions) {
        match self.queue.pop_front() {
            Some(msg) => out.push_back(Action::Send { pipe, msg }),
            None => self.busy = false,
        }
    }
}

/// Implements [`crate::protocol::Protocol`] for a wrapper struct with a field
/// `inner` of an enum type whose variants (listed) all implement it.
macro_rules! delegate_protocol {
    ($outer:ty, $inner:ident { $($variant:ident),+ }) => {
        impl $crate::protocol::Protocol for $outer {
            fn info(&self) -> $crate::protocol::ProtoInfo {
                match &self.inner { $($inner::$variant(s) => s.info(),)+ }
            }
            fn uses_clock(&self) -> bool {
                match &self.inner { $($inner::$variant(s) => s.uses_clock(),)+ }
            }
            fn proto_stats(&self, out: &mut Vec<$crate::core::stats::ProtoStat>) {
                match &self.inner { $($inner::$variant(s) => s.proto_stats(out),)+ }
            }
            fn pipe_added(
                &mut self,
                pipe: $crate::protocol::PipeId,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) -> $crate::core::error::Result<()> {
                match &mut self.inner { $($inner::$variant(s) => s.pipe_added(pipe, now, out),)+ }
            }
            fn pipe_removed(
                &mut self,
                pipe: $crate::protocol::PipeId,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.pipe_removed(pipe, now, out),)+ }
            }
            fn pipe_sent(
                &mut self,
                pipe: $crate::protocol::PipeId,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.pipe_sent(pipe, now, out),)+ }
            }
            fn pipe_recv(
                &mut self,
                pipe: $crate::protocol::PipeId,
                msg: $crate::core::msg::Msg,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.pipe_recv(pipe, msg, now, out),)+ }
            }
            fn send(
                &mut self,
                ctx: $crate::protocol::CtxId,
                op: $crate::protocol::OpId,
                msg: $crate::core::msg::Msg,
                wait: bool,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.send(ctx, op, msg, wait, now, out),)+ }
            }
            fn recv(
                &mut self,
                ctx: $crate::protocol::CtxId,
                op: $crate::protocol::OpId,
                wait: bool,
                now: $crate::protocol::Time,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.recv(ctx, op, wait, now, out),)+ }
            }
            fn cancel(
                &mut self,
                op: $crate::protocol::OpId,
                err: $crate::core::error::Error,
                out: &mut $crate::protocol::Actions,
            ) {
                match &mut self.inner { $($inner::$variant(s) => s.cancel(op, err, out),)+ }
            }
            fn poll_timeout(&self) -> Option<$crate::protocol::Time> {
                match &self.inner { $($inner::$variant(s) => s.poll_timeout(),)+ }
            }
            fn timeout(&mut self, now: $crate::protocol::Time, out: &mut $crate::protocol::Actions) {
                match &mut self.inner { $($inner::$variant(s) => s.timeout(now, out),)+ }
            }
            fn ctx_open(&mut self, ctx: $crate::protocol::CtxId) -> $crate::core::error::Result<()> {
                match &mut self.inner { $($inner::$variant(s) => s.ctx_open(ctx),)+ }
            }
            fn ctx_close(&mut self, ctx: $crate::protocol::CtxId, out: &mut $crate::protocol::Actions) {
                match &mut self.inner { $($inner::$variant(s) => s.ctx_close(ctx, out),)+ }
            }
            fn options(&self) -> &'static [$crate::core::options::OptDesc] {
                match &self.inner { $($inner::$variant(s) => s.options(),)+ }
            }
            fn set_option(
                &mut self,
                ctx: $crate::protocol::CtxId,
                name: &str,
                val: &$crate::core::options::OptValue,
            ) -> $crate::core::error::Result<()> {
                match &mut self.inner { $($inner::$variant(s) => s.set_option(ctx, name, val),)+ }
            }
            fn get_option(
                &self,
                ctx: $crate::protocol::CtxId,
                name: &str,
            ) -> $crate::core::error::Result<$crate::core::options::OptValue> {
                match &self.inner { $($inner::$variant(s) => s.get_option(ctx, name),)+ }
            }
            fn can_recv(&self) -> bool {
                match &self.inner { $($inner::$variant(s) => s.can_recv(),)+ }
            }
            fn can_send(&self) -> bool {
                match &self.inner { $($inner::$variant(s) => s.can_send(),)+ }
            }
            fn close(&mut self, out: &mut $crate::protocol::Actions) {
                match &mut self.inner { $($inner::$variant(s) => s.close(out),)+ }
            }
        }
    };
}
pub(crate) use delegate_protocol;

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[u32], tail: &[u8]) -> Msg {
        let mut m = Msg::from_slice(&[]);
        for w in ws {
            m.append(&w.to_be_bytes()).unwrap();
        }
        m.append(tail).unwrap();
        m
    }

    #[test]
    fn ordered_set_keeps_fifo_order_and_removes_anywhere() {
        let mut s = OrderedSet::default();
        assert!(s.push_back(3u32));
        assert!(s.push_back(1));
        assert!(s.push_back(2));
        assert!(!s.push_back(3));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![3, 1, 2]);
        assert!(s.remove(1));
        assert!(!s.remove(1));
        assert_eq!(s.front(), Some(3));
        assert_eq!(s.pop_front(), Some(3));
        assert_eq!(s.pop_front(), Some(2));
        assert!(s.is_empty());
        assert_eq!(s.pop_front(), None);
    }

    #[test]
    fn ids_have_bit31_increment_and_skip_used() {
        let mut a = IdAlloc::new(42);
        let first = a.alloc(1).unwrap();
        assert!(first & ID_FLAG != 0);
        let second = a.alloc(2).unwrap();
        assert_eq!(
            second,
            if first == u32::MAX {
                ID_FLAG
            } else {
                first + 1
            }
        );
        assert_eq!(a.get(first), Some(1));
        a.remove(first);
        assert_eq!(a.get(first), None);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn ids_wrap_to_bit31_floor() {
        let mut a = IdAlloc::new(0);
        a.next = u32::MAX;
        assert_eq!(a.alloc(1).unwrap(), u32::MAX);
        assert_eq!(a.alloc(2).unwrap(), ID_FLAG);
        // Skips ids in use after wrapping around again.
        a.next = u32::MAX;
        assert_eq!(a.alloc(3).unwrap(), ID_FLAG + 1);
    }

    #[test]
    fn ids_start_depends_on_seed() {
        let x = IdAlloc::new(1).alloc(1).unwrap();
        let y = IdAlloc::new(2).alloc(1).unwrap();
        assert_ne!(x, y);
    }

    #[test]
    fn backtrace_moves_words_until_bit31() {
        let mut m = words(&[7, 0x8000_0001], b"hi");
        assert_eq!(move_backtrace(&mut m, None), Backtrace::Moved);
        assert_eq!(m.header(), &[0, 0, 0, 7, 0x80, 0, 0, 1]);
        assert_eq!(m.body(), b"hi");
    }

    #[test]
    fn backtrace_malformed_without_bit31_or_short() {
        let mut m = words(&[7, 8], b"");
        assert_eq!(move_backtrace(&mut m, None), Backtrace::Malformed);
        let mut m = Msg::from_slice(&[0x80, 0, 0]);
        assert_eq!(move_backtrace(&mut m, Some(8)), Backtrace::Malformed);
    }

    #[test]
    fn backtrace_ttl_counts_the_id_word() {
        let mut m = words(&[1, 2, 0x8000_0003], b"");
        assert_eq!(move_backtrace(&mut m, Some(3)), Backtrace::Moved);
        let mut m = words(&[1, 2, 3, 0x8000_0003], b"");
        assert_eq!(move_backtrace(&mut m, Some(3)), Backtrace::TooManyHops);
        // The TTL check comes first: a too-long garbage body is dropped, not fatal.
        let mut m = words(&[1, 2], b"");
        assert_eq!(move_backtrace(&mut m, Some(1)), Backtrace::TooManyHops);
    }

    #[test]
    fn backtrace_longer_than_the_header_area_is_dropped() {
        // The header area holds 64 bytes (15 hops + id), as upstream's; a
        // raw chain that does not fit is dropped like upstream's failed
        // header append (the pipe keeps reading).
        let mut ws: Vec<u32> = (1..16).collect();
        ws.push(0x8000_0000);
        let mut m = words(&ws, b"x");
        assert_eq!(move_backtrace(&mut m, None), Backtrace::Moved);
        assert_eq!(m.header().len(), 64);
        let mut ws: Vec<u32> = (1..40).collect();
        ws.push(0x8000_0000);
        let mut m = words(&ws, b"x");
        assert_eq!(move_backtrace(&mut m, None), Backtrace::TooManyHops);
    }

    #[test]
    fn recv_queue_buffers_then_backpressures() {
        let mut q = RecvQueue::new(1);
        let mut out = Actions::new();
        q.put(5, Msg::from_slice(b"a"), &mut out);
        assert!(matches!(out.pop_front(), Some(Action::Recv { pipe: 5 })));
        q.put(5, Msg::from_slice(b"b"), &mut out);
        assert!(out.is_empty(), "second message waits in the pipe");
        assert!(q.readable());
        q.get(1, true, &mut out);
        match out.pop_front() {
            Some(Action::RecvDone {
                op: 1,
                result: Ok(m),
            }) => assert_eq!(m.body(), b"a"),
            other => panic!("{other:?}"),
        }
        // Like nni_msgq, the waiting pipe is not pulled in yet.
        assert!(out.is_empty());
        q.get(2, false, &mut out);
        match out.pop_front() {
            Some(Action::RecvDone {
                op: 2,
                result: Ok(m),
            }) => assert_eq!(m.body(), b"b"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(out.pop_front(), Some(Action::Recv { pipe: 5 })));
        q.get(3, false, &mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::RecvDone {
                op: 3,
                result: Err(Error::TimedOut)
            })
        ));
        q.get(4, true, &mut out);
        assert!(out.is_empty());
        assert!(q.cancel(4, Error::Canceled, &mut out));
        assert!(!q.cancel(4, Error::Canceled, &mut out));
    }

    #[test]
    fn recv_queue_zero_depth_hands_over_directly() {
        let mut q = RecvQueue::new(0);
        let mut out = Actions::new();
        q.put(9, Msg::from_slice(b"a"), &mut out);
        assert!(out.is_empty());
        q.pipe_gone(9);
        assert!(!q.readable());
        q.get(1, true, &mut out);
        assert!(out.is_empty());
        q.put(8, Msg::from_slice(b"b"), &mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::RecvDone {
                op: 1,
                result: Ok(_)
            })
        ));
        assert!(matches!(out.pop_front(), Some(Action::Recv { pipe: 8 })));
    }

    #[test]
    fn recv_queue_resize_keeps_one_extra() {
        let mut q = RecvQueue::new(4);
        let mut out = Actions::new();
        for i in 0..4u8 {
            q.put(1, Msg::from_slice(&[i]), &mut out);
        }
        q.resize(1);
        assert_eq!(q.queue.len(), 2);
        assert_eq!(q.queue[0].body(), &[2]);
        q.close(&mut out);
        assert!(!q.readable());
    }

    #[test]
    fn send_queue_blocks_without_idle_pipe() {
        let mut q = SendQueue::new(0);
        let mut out = Actions::new();
        q.put(1, Msg::from_slice(b"a"), false, &mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::SendFailed {
                op: 1,
                err: Error::TimedOut,
                ..
            })
        ));
        q.put(2, Msg::from_slice(b"b"), true, &mut out);
        assert!(out.is_empty());
        assert!(!q.writable());
        q.pipe_ready(7, &mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::Send { pipe: 7, .. })
        ));
        assert!(matches!(out.pop_front(), Some(Action::SendDone { op: 2 })));
        q.pipe_ready(7, &mut out);
        assert!(q.writable());
        q.put(3, Msg::from_slice(b"c"), false, &mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::Send { pipe: 7, .. })
        ));
        assert!(matches!(out.pop_front(), Some(Action::SendDone { op: 3 })));
        q.put(4, Msg::from_slice(b"d"), true, &mut out);
        assert!(q.cancel(4, Error::TimedOut, &mut out));
        assert!(matches!(
            out.pop_front(),
            Some(Action::SendFailed {
                op: 4,
                err: Error::TimedOut,
                ..
            })
        ));
    }

    #[test]
    fn send_queue_buffers_up_to_depth() {
        let mut q = SendQueue::new(2);
        let mut out = Actions::new();
        q.put(1, Msg::from_slice(b"a"), false, &mut out);
        q.put(2, Msg::from_slice(b"b"), false, &mut out);
        assert!(matches!(out.pop_front(), Some(Action::SendDone { op: 1 })));
        assert!(matches!(out.pop_front(), Some(Action::SendDone { op: 2 })));
        q.put(3, Msg::from_slice(b"c"), true, &mut out);
        assert!(out.is_empty());
        q.pipe_ready(4, &mut out);
        match out.pop_front() {
            Some(Action::Send { pipe: 4, msg }) => assert_eq!(msg.body(), b"a"),
            other => panic!("{other:?}"),
        }
        q.close(&mut out);
        assert!(matches!(
            out.pop_front(),
            Some(Action::SendFailed {
                op: 3,
                err: Error::Closed,
                ..
            })
        ));
    }

    #[test]
    fn pipe_queue_drops_when_full() {
        let mut p = PipeQueue::new();
        let mut out = Actions::new();
        assert!(p.try_send(1, Msg::from_slice(b"a"), 1, &mut out));
        assert!(p.try_send(1, Msg::from_slice(b"b"), 1, &mut out));
        assert!(!p.try_send(1, Msg::from_slice(b"c"), 1, &mut out));
        assert_eq!(out.len(), 1);
        p.sent(1, &mut out);
        assert_eq!(out.len(), 2);
        p.sent(1, &mut out);
        assert_eq!(out.len(), 2);
        assert!(p.try_send(1, Msg::from_slice(b"d"), 0, &mut out));
    }
}
