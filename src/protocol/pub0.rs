//! The pub0 protocol core (`pub`, 0x20): broadcast to every subscriber.
//!
//! Behaviour (reference WIRE.md §9.5, §10; upstream
//! `src/sp/protocol/pubsub0/pub.c`):
//! - A send never blocks and always succeeds: every connected pipe gets a
//!   copy, straight away when idle, else into that pipe's own queue of
//!   `NNG_OPT_SENDBUF` messages (default 16, 1..8192), whose OLDEST message
//!   is dropped to make room when full. With no subscriber the message is
//!   discarded.
//! - Subscribers never send: a message arriving from a pipe closes it.
//! - Receiving is `NNG_ENOTSUP`. Raw mode behaves identically.

use std::collections::{BTreeMap, VecDeque};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::core::stats::{self, ProtoStat};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of pub v0 (`NNI_PROTO(2, 0)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x20;
/// Peer protocol number (sub v0).
pub const PEER_ID: u16 = 0x21;
/// Protocol name.
pub const PROTO_NAME: &str = "pub";
/// Peer protocol name.
pub const PEER_NAME: &str = "sub";

use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Default and largest per-pipe queue depth.
const DEFAULT_SENDBUF: usize = 16;
const MAX_BUF: i32 = 8192;

static OPTIONS: [OptDesc; 1] = [OptDesc::rw(OPT_SENDBUF, OptType::Int)];

#[derive(Debug, Default)]
struct Pipe {
    /// A `Send` is in flight.
    busy: bool,
    /// Messages waiting behind it (at most `send_cap`).
    queue: VecDeque<Msg>,
}

/// The pub0 core (cooked and raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    pipes: BTreeMap<PipeId, Pipe>,
    /// Per-pipe queue depth.
    send_cap: usize,
    /// Messages dropped for a slow subscriber (statistics).
    drops: u64,
}

impl Socket {
    /// A new pub0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket {
            raw,
            closed: false,
            pipes: BTreeMap::new(),
            send_cap: DEFAULT_SENDBUF,
            drops: 0,
        }
    }
}

impl Protocol for Socket {
    fn uses_clock(&self) -> bool {
        false
    }

    fn proto_stats(&self, out: &mut Vec<ProtoStat>) {
        out.push(ProtoStat {
            name: c"tx_drop",
            desc: c"messages dropped (subscriber too slow)",
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
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Busy);
        }
        self.pipes.insert(pipe, Pipe::default());
        // Read only to notice a misbehaving peer (or the pipe closing).
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        self.pipes.remove(&pipe);
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        let Some(p) = self.pipes.get_mut(&pipe) else {
            return;
        };
        match p.queue.pop_front() {
            Some(msg) => out.push_back(Action::Send { pipe, msg }),
            None => p.busy = false,
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, _msg: Msg, _now: Time, out: &mut Actions) {
        // A subscriber never sends: this peer is broken.
        if self.pipes.contains_key(&pipe) {
            out.push_back(Action::ClosePipe { pipe });
        }
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
        if self.closed {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
        }
        let last = self.pipes.len();
        let mut msg = Some(msg);
        for (i, (&pipe, p)) in self.pipes.iter_mut().enumerate() {
            // The last subscriber gets the caller's message itself.
            let copy = if i + 1 == last {
                msg.take()
            } else {
                msg.as_ref().and_then(|m| m.try_share().ok())
            };
            let Some(copy) = copy else { continue };
            if p.busy {
                if p.queue.len() >= self.send_cap && p.queue.pop_front().is_some() {
                    self.drops += 1;
                }
                p.queue.push_back(copy);
            } else {
                p.busy = true;
                out.push_back(Action::Send { pipe, msg: copy });
            }
        }
        out.push_back(Action::SendDone { op });
    }

    fn recv(&mut self, _ctx: CtxId, op: OpId, _wait: bool, _now: Time, out: &mut Actions) {
        out.push_back(Action::RecvDone {
            op,
            result: Err(Error::NotSup),
        });
    }

    fn cancel(&mut self, _op: OpId, _err: Error, _out: &mut Actions) {
        // Nothing is ever pending.
    }

    fn options(&self) -> &'static [OptDesc] {
        &OPTIONS
    }

    fn set_option(&mut self, _ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        match name {
            OPT_SENDBUF => {
                let cap = check_range(val.as_int()?, 1, MAX_BUF)? as usize;
                self.send_cap = cap;
                // Like upstream's lmq resize: keep the oldest, drop the rest.
                for p in self.pipes.values_mut() {
                    p.queue.truncate(cap);
                }
                Ok(())
            }
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, _ctx: CtxId, name: &str) -> Result<OptValue> {
        match name {
            OPT_SENDBUF => Ok(OptValue::Int(self.send_cap as i32)),
            _ => Err(Error::NotSup),
        }
    }

    fn receives(&self) -> bool {
        false
    }

    fn can_recv(&self) -> bool {
        false
    }

    fn can_send(&self) -> bool {
        true
    }

    fn close(&mut self, _out: &mut Actions) {
        self.closed = true;
        for p in self.pipes.values_mut() {
            p.queue.clear();
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
        fn new() -> T {
            T {
                s: Socket::new(false, 1),
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
            self.take("Recv", |a| matches!(a, Action::Recv { pipe } if *pipe == p));
        }
        fn rm(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_removed(p, now, &mut self.out);
        }
        fn sent(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_sent(p, now, &mut self.out);
        }
        /// Sends and checks that the send completed at once.
        fn publish(&mut self, op: OpId, data: &[u8]) {
            let now = self.tick();
            self.s
                .send(0, op, Msg::from_slice(data), false, now, &mut self.out);
            self.take(
                "SendDone",
                |a| matches!(a, Action::SendDone { op: o } if *o == op),
            );
        }
        fn take(&mut self, what: &str, f: impl Fn(&Action) -> bool) -> Action {
            match self.out.iter().position(f) {
                Some(i) => self.out.remove(i).unwrap(),
                None => panic!("expected {what}, have {:?}", self.out),
            }
        }
        fn tx(&mut self, p: PipeId) -> Vec<u8> {
            match self.take(
                "Send",
                |a| matches!(a, Action::Send { pipe, .. } if *pipe == p),
            ) {
                Action::Send { msg, .. } => msg.body().to_vec(),
                _ => unreachable!(),
            }
        }
        /// Completes sends on `p` until it is idle; returns what it sent.
        fn drain(&mut self, p: PipeId) -> Vec<Vec<u8>> {
            let mut v = Vec::new();
            loop {
                self.sent(p);
                match self
                    .out
                    .iter()
                    .position(|a| matches!(a, Action::Send { pipe, .. } if *pipe == p))
                {
                    Some(_) => v.push(self.tx(p)),
                    None => return v,
                }
            }
        }
        fn idle(&self) {
            assert!(self.out.is_empty(), "unexpected actions {:?}", self.out);
        }
        fn set_buf(&mut self, v: i32) -> Result<()> {
            self.s.set_option(0, OPT_SENDBUF, &OptValue::Int(v))
        }
    }

    #[test]
    fn identity() {
        let i = Socket::new(false, 0).info();
        assert_eq!(
            (i.self_id, i.peer_id, i.self_name, i.peer_name, i.raw),
            (0x20, 0x21, "pub", "sub", false)
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn cannot_receive_and_always_writable() {
        let mut t = T::new();
        t.s.recv(0, 1, true, 0, &mut t.out);
        match t.out.pop_front() {
            Some(Action::RecvDone { op: 1, result }) => {
                assert_eq!(result.unwrap_err(), Error::NotSup)
            }
            other => panic!("{other:?}"),
        }
        assert!(!t.s.can_recv());
        assert!(t.s.can_send());
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn send_with_no_subscribers_succeeds() {
        let mut t = T::new();
        t.publish(1, b"nobody");
        t.idle();
    }

    #[test]
    fn every_subscriber_gets_a_copy() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.join(3);
        t.publish(1, b"news");
        for p in 1..=3 {
            assert_eq!(t.tx(p), b"news");
        }
        t.idle();
    }

    #[test]
    fn copies_keep_the_header() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        let mut m = Msg::from_slice(b"b");
        m.header_append(b"h").unwrap();
        t.s.send(0, 1, m, true, 0, &mut t.out);
        for p in [1, 2] {
            match t.take(
                "Send",
                |a| matches!(a, Action::Send { pipe, .. } if *pipe == p),
            ) {
                Action::Send { msg, .. } => {
                    assert_eq!((msg.header(), msg.body()), (&b"h"[..], &b"b"[..]))
                }
                _ => unreachable!(),
            }
        }
    }

    #[test]
    fn busy_pipe_queues_then_drops_oldest() {
        let mut t = T::new();
        t.set_buf(3).unwrap();
        t.join(1);
        t.join(2);
        t.publish(0, b"0");
        assert_eq!(t.tx(1), b"0");
        assert_eq!(t.tx(2), b"0");
        // Pipe 2 keeps up, pipe 1 does not.
        for i in 1..=5u8 {
            t.publish(u64::from(i), &[b'0' + i]);
            t.sent(2);
            assert_eq!(t.tx(2), [b'0' + i]);
        }
        t.idle();
        // Pipe 1 queued 3 and dropped the oldest two.
        assert_eq!(t.drain(1), [b"3", b"4", b"5"]);
        let mut st = Vec::new();
        t.s.proto_stats(&mut st);
        assert_eq!((st[0].name, st[0].value), (c"tx_drop", 2));
        t.idle();
    }

    #[test]
    fn default_queue_depth_is_sixteen() {
        let mut t = T::new();
        t.join(1);
        for i in 0..20u8 {
            t.publish(u64::from(i), &[i]);
        }
        assert_eq!(t.tx(1), [0]);
        let rest = t.drain(1);
        assert_eq!(rest.len(), 16);
        assert_eq!(rest[0], [4]);
        assert_eq!(rest[15], [19]);
    }

    #[test]
    fn shrinking_queue_keeps_oldest() {
        let mut t = T::new();
        t.join(1);
        for i in 0..5u8 {
            t.publish(u64::from(i), &[i]);
        }
        t.tx(1);
        t.set_buf(2).unwrap();
        assert_eq!(t.drain(1), [[1], [2]]);
    }

    #[test]
    fn message_from_subscriber_closes_pipe() {
        let mut t = T::new();
        t.join(4);
        t.s.pipe_recv(4, Msg::from_slice(b"hi"), 0, &mut t.out);
        t.take("ClosePipe", |a| matches!(a, Action::ClosePipe { pipe: 4 }));
        t.idle();
        t.s.pipe_recv(5, Msg::from_slice(b"hi"), 0, &mut t.out);
        t.idle();
    }

    #[test]
    fn removed_pipe_gets_nothing() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.rm(1);
        t.publish(1, b"x");
        assert_eq!(t.tx(2), b"x");
        t.idle();
        t.sent(1);
        t.idle();
    }

    #[test]
    fn close_fails_later_sends() {
        let mut t = T::new();
        t.join(1);
        t.s.close(&mut t.out);
        t.idle();
        t.s.send(0, 1, Msg::from_slice(b"x"), true, 0, &mut t.out);
        match t.out.pop_front() {
            Some(Action::SendFailed { op: 1, err, .. }) => assert_eq!(err, Error::Closed),
            other => panic!("{other:?}"),
        }
        t.s.cancel(1, Error::Canceled, &mut t.out);
        t.idle();
    }

    #[test]
    fn send_buffer_option() {
        let mut t = T::new();
        let d = t.s.options();
        assert_eq!(d.len(), 1);
        assert!(d[0].name == OPT_SENDBUF && d[0].get && d[0].set && d[0].ty == OptType::Int);
        assert_eq!(t.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(16)));
        assert_eq!(t.set_buf(0), Err(Error::Inval));
        assert_eq!(t.set_buf(-1), Err(Error::Inval));
        assert_eq!(t.set_buf(8193), Err(Error::Inval));
        assert_eq!(
            t.s.set_option(0, OPT_SENDBUF, &OptValue::Bool(true)),
            Err(Error::BadType)
        );
        t.set_buf(1).unwrap();
        t.set_buf(8192).unwrap();
        assert_eq!(t.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(8192)));
        assert_eq!(t.s.get_option(0, "recv-buffer"), Err(Error::NotSup));
    }
}
