//! The pair0 protocol core (`pair`, 0x10): one peer at a time, no header.
//!
//! Behaviour (reference WIRE.md §9.1, §10, §11; upstream
//! `src/sp/protocol/pair0/pair.c`):
//! - A second pipe is refused with `NNG_EBUSY` while one is connected.
//! - Send: straight to the peer when it is idle, else into the socket send
//!   buffer (`NNG_OPT_SENDBUF`, default 0), else the sender waits. With no
//!   peer, sends wait. Nothing is ever dropped.
//! - Receive: the peer's pipe holds one message that nobody took, plus the
//!   socket receive buffer (`NNG_OPT_RECVBUF`, default 0); while both are
//!   full the pipe is not read (transport back-pressure).
//! - Raw mode behaves identically.
//!
//! Buffered messages survive the loss of the peer and go to the next one; the
//! message the lost pipe was holding is dropped, as upstream does.

use std::collections::VecDeque;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of pair v0 (`NNI_PROTO(1, 0)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x10;
/// Peer protocol number (pair v0 again).
pub const PEER_ID: u16 = 0x10;
/// Protocol name.
pub const PROTO_NAME: &str = "pair";
/// Peer protocol name.
pub const PEER_NAME: &str = "pair";

use crate::core::names::NNG_OPT_RECVBUF as OPT_RECVBUF;
use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Largest `NNG_OPT_RECVBUF`/`NNG_OPT_SENDBUF` value.
const MAX_BUF: i32 = 8192;

static OPTIONS: [OptDesc; 2] = [
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
];

/// The pair0 core (cooked and raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    /// The one connected peer.
    peer: Option<PipeId>,
    /// The peer's pipe is idle (upstream `wr_ready`).
    peer_idle: bool,
    /// A message the peer's pipe delivered that found no room (upstream
    /// `rd_ready`): the pipe is not read again until it is taken.
    held: Option<Msg>,
    sendq: VecDeque<Msg>,
    send_cap: usize,
    recvq: VecDeque<Msg>,
    recv_cap: usize,
    send_waiters: VecDeque<(OpId, Msg)>,
    recv_waiters: VecDeque<OpId>,
}

impl Socket {
    /// A new pair0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket {
            raw,
            closed: false,
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

    /// The peer became idle (just connected or finished a send): give it
    /// the next buffered message, refilling the buffer from a waiting sender.
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

    fn transmit(&mut self, pipe: PipeId, msg: Msg, out: &mut Actions) {
        self.peer_idle = false;
        out.push_back(Action::Send { pipe, msg });
    }
}

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
            raw: self.raw,
        }
    }

    fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
        if self.peer.is_some() {
            // NNG-PAIR-BUSY: already paired.
            return Err(Error::Busy);
        }
        self.peer = Some(pipe);
        self.held = None;
        self.send_sched(out);
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.peer == Some(pipe) {
            self.peer = None;
            self.peer_idle = false;
            self.held = None;
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if self.peer == Some(pipe) {
            self.send_sched(out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, _now: Time, out: &mut Actions) {
        if self.peer != Some(pipe) {
            return;
        }
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

    fn send(&mut self, _ctx: CtxId, op: OpId, msg: Msg, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
            return;
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

    fn recv(&mut self, _ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
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
            // The held message moves into the freed slot; read on.
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

    fn options(&self) -> &'static [OptDesc] {
        &OPTIONS
    }

    fn set_option(&mut self, _ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        match name {
            OPT_SENDBUF => {
                let cap = check_range(val.as_int()?, 0, MAX_BUF)? as usize;
                // Like upstream's lmq resize: keep the oldest, drop the rest.
                self.sendq.truncate(cap);
                self.send_cap = cap;
                Ok(())
            }
            OPT_RECVBUF => {
                let cap = check_range(val.as_int()?, 0, MAX_BUF)? as usize;
                self.recvq.truncate(cap);
                self.recv_cap = cap;
                Ok(())
            }
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, _ctx: CtxId, name: &str) -> Result<OptValue> {
        match name {
            OPT_SENDBUF => Ok(OptValue::Int(self.send_cap as i32)),
            OPT_RECVBUF => Ok(OptValue::Int(self.recv_cap as i32)),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        !self.recvq.is_empty() || self.held.is_some()
    }

    fn can_send(&self) -> bool {
        self.peer_idle || self.sendq.len() < self.send_cap
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
        fn add(&mut self, p: PipeId) -> Result<()> {
            let now = self.tick();
            self.s.pipe_added(p, now, &mut self.out)
        }
        fn rm(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_removed(p, now, &mut self.out);
        }
        fn sent(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_sent(p, now, &mut self.out);
        }
        fn rx(&mut self, p: PipeId, data: &[u8]) {
            let now = self.tick();
            let mut m = Msg::from_slice(data);
            m.set_pipe(p);
            self.s.pipe_recv(p, m, now, &mut self.out);
        }
        fn send(&mut self, op: OpId, data: &[u8], wait: bool) {
            let now = self.tick();
            self.s
                .send(0, op, Msg::from_slice(data), wait, now, &mut self.out);
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
        /// Expects a `Send` on `p`; returns its body.
        fn tx(&mut self, p: PipeId) -> Vec<u8> {
            match self.take(
                "Send",
                |a| matches!(a, Action::Send { pipe, .. } if *pipe == p),
            ) {
                Action::Send { msg, .. } => msg.body().to_vec(),
                _ => unreachable!(),
            }
        }
        fn want_recv(&mut self, p: PipeId) {
            self.take("Recv", |a| matches!(a, Action::Recv { pipe } if *pipe == p));
        }
        fn done(&mut self, o: OpId) {
            self.take(
                "SendDone",
                |a| matches!(a, Action::SendDone { op } if *op == o),
            );
        }
        fn failed(&mut self, o: OpId) -> (Error, Vec<u8>) {
            match self.take(
                "SendFailed",
                |a| matches!(a, Action::SendFailed { op, .. } if *op == o),
            ) {
                Action::SendFailed { err, msg, .. } => (err, msg.body().to_vec()),
                _ => unreachable!(),
            }
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
        fn idle(&self) {
            assert!(self.out.is_empty(), "unexpected actions {:?}", self.out);
        }
        fn set_int(&mut self, name: &str, v: i32) -> Result<()> {
            self.s.set_option(0, name, &OptValue::Int(v))
        }
    }

    #[test]
    fn identity() {
        for raw in [false, true] {
            let t = T::new(raw);
            let i = t.s.info();
            assert_eq!((i.self_id, i.peer_id), (0x10, 0x10));
            assert_eq!((i.self_name, i.peer_name), ("pair", "pair"));
            assert_eq!(i.raw, raw);
        }
    }

    #[test]
    fn second_peer_is_refused_until_first_leaves() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        assert_eq!(t.add(2), Err(Error::Busy));
        t.idle();
        t.rm(1);
        t.add(2).unwrap();
        t.want_recv(2);
        t.idle();
    }

    #[test]
    fn exchange_both_ways() {
        let mut t = T::new(false);
        t.add(7).unwrap();
        t.want_recv(7);
        t.send(1, b"ping", true);
        assert_eq!(t.tx(7), b"ping");
        t.done(1);
        t.rx(7, b"pong");
        t.recv(2, false);
        assert_eq!(t.got(2).unwrap(), b"pong");
        t.want_recv(7);
        t.idle();
    }

    #[test]
    fn send_without_peer_blocks_then_goes_to_new_peer() {
        let mut t = T::new(false);
        t.send(1, b"a", false);
        assert_eq!(t.failed(1), (Error::TimedOut, b"a".to_vec()));
        t.send(2, b"b", true);
        t.send(3, b"c", true);
        t.idle();
        assert!(!t.s.can_send());
        t.add(4).unwrap();
        assert_eq!(t.tx(4), b"b");
        t.done(2);
        t.want_recv(4);
        t.idle();
        t.sent(4);
        assert_eq!(t.tx(4), b"c");
        t.done(3);
        t.idle();
        t.sent(4);
        t.idle();
        assert!(t.s.can_send());
    }

    #[test]
    fn one_write_in_flight_per_pipe() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        t.send(1, b"x", true);
        t.tx(1);
        t.done(1);
        // Busy pipe, no buffer: the sender waits (or fails at once).
        t.send(2, b"y", false);
        assert_eq!(t.failed(2).0, Error::TimedOut);
        t.send(3, b"z", true);
        t.idle();
        t.sent(1);
        assert_eq!(t.tx(1), b"z");
        t.done(3);
        t.idle();
    }

    #[test]
    fn send_buffer_queues_and_keeps_order() {
        let mut t = T::new(false);
        t.set_int(OPT_SENDBUF, 2).unwrap();
        assert!(t.s.can_send());
        t.send(1, b"1", false);
        t.done(1);
        t.send(2, b"2", false);
        t.done(2);
        assert!(!t.s.can_send());
        t.send(3, b"3", true);
        t.idle();
        t.add(9).unwrap();
        assert_eq!(t.tx(9), b"1");
        // The waiting sender's message moves into the freed slot.
        t.done(3);
        t.want_recv(9);
        t.idle();
        t.sent(9);
        assert_eq!(t.tx(9), b"2");
        t.sent(9);
        assert_eq!(t.tx(9), b"3");
        t.sent(9);
        t.idle();
    }

    #[test]
    fn buffered_messages_survive_peer_loss() {
        let mut t = T::new(false);
        t.set_int(OPT_SENDBUF, 4).unwrap();
        t.add(1).unwrap();
        t.want_recv(1);
        t.send(1, b"a", true);
        t.tx(1);
        t.done(1);
        t.send(2, b"b", true);
        t.done(2);
        t.rm(1);
        t.idle();
        t.add(2).unwrap();
        assert_eq!(t.tx(2), b"b");
        t.want_recv(2);
        t.idle();
    }

    #[test]
    fn shrinking_send_buffer_keeps_oldest() {
        let mut t = T::new(false);
        t.set_int(OPT_SENDBUF, 3).unwrap();
        t.send(1, b"abc", true);
        t.send(2, b"def", true);
        t.done(1);
        t.done(2);
        t.set_int(OPT_SENDBUF, 1).unwrap();
        assert!(!t.s.can_send());
        t.add(1).unwrap();
        assert_eq!(t.tx(1), b"abc");
        t.want_recv(1);
        t.sent(1);
        t.idle();
    }

    #[test]
    fn receive_back_pressure_unbuffered() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        assert!(!t.s.can_recv());
        t.rx(1, b"one");
        // Held in the pipe: no further read until someone takes it.
        t.idle();
        assert!(t.s.can_recv());
        t.recv(1, false);
        assert_eq!(t.got(1).unwrap(), b"one");
        t.want_recv(1);
        t.idle();
        assert!(!t.s.can_recv());
        t.recv(2, false);
        assert_eq!(t.got(2), Err(Error::TimedOut));
    }

    #[test]
    fn receive_buffer_then_held_message() {
        let mut t = T::new(false);
        t.set_int(OPT_RECVBUF, 2).unwrap();
        t.add(1).unwrap();
        t.want_recv(1);
        t.rx(1, b"1");
        t.want_recv(1);
        t.rx(1, b"2");
        t.want_recv(1);
        t.rx(1, b"3");
        t.idle();
        t.recv(1, false);
        assert_eq!(t.got(1).unwrap(), b"1");
        // "3" moved from the pipe into the buffer; the pipe reads again.
        t.want_recv(1);
        t.idle();
        t.recv(2, false);
        assert_eq!(t.got(2).unwrap(), b"2");
        t.recv(3, false);
        assert_eq!(t.got(3).unwrap(), b"3");
        t.idle();
    }

    #[test]
    fn waiting_receiver_gets_message_directly() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        t.recv(5, true);
        t.recv(6, true);
        t.idle();
        t.rx(1, b"x");
        assert_eq!(t.got(5).unwrap(), b"x");
        t.want_recv(1);
        t.rx(1, b"y");
        assert_eq!(t.got(6).unwrap(), b"y");
        t.want_recv(1);
        t.idle();
    }

    #[test]
    fn held_message_dropped_with_its_pipe() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        t.rx(1, b"lost");
        assert!(t.s.can_recv());
        t.rm(1);
        assert!(!t.s.can_recv());
        t.recv(1, false);
        assert_eq!(t.got(1), Err(Error::TimedOut));
    }

    #[test]
    fn messages_from_unknown_pipes_are_ignored() {
        let mut t = T::new(false);
        t.add(1).unwrap();
        t.want_recv(1);
        t.rx(2, b"stray");
        t.idle();
        assert!(!t.s.can_recv());
        t.sent(2);
        t.idle();
    }

    #[test]
    fn cancel_fails_pending_operations() {
        let mut t = T::new(false);
        t.recv(1, true);
        t.send(2, b"keep", true);
        t.idle();
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(1), Err(Error::TimedOut));
        t.s.cancel(2, Error::Canceled, &mut t.out);
        assert_eq!(t.failed(2), (Error::Canceled, b"keep".to_vec()));
        // Unknown or finished operations: nothing happens.
        t.s.cancel(2, Error::Canceled, &mut t.out);
        t.s.cancel(99, Error::Canceled, &mut t.out);
        t.idle();
        // A cancelled sender no longer feeds a new peer.
        t.add(1).unwrap();
        t.want_recv(1);
        t.idle();
    }

    #[test]
    fn close_fails_everything_pending() {
        let mut t = T::new(true);
        t.recv(1, true);
        t.send(2, b"m", true);
        t.s.close(&mut t.out);
        assert_eq!(t.got(1), Err(Error::Closed));
        assert_eq!(t.failed(2), (Error::Closed, b"m".to_vec()));
        t.idle();
        t.recv(3, true);
        assert_eq!(t.got(3), Err(Error::Closed));
        t.send(4, b"n", true);
        assert_eq!(t.failed(4).0, Error::Closed);
    }

    #[test]
    fn raw_behaves_like_cooked_and_keeps_headers() {
        let mut t = T::new(true);
        t.add(1).unwrap();
        t.want_recv(1);
        let mut m = Msg::from_slice(b"body");
        m.header_append(b"hd").unwrap();
        t.s.send(0, 1, m, true, 5, &mut t.out);
        match t.take("Send", |a| matches!(a, Action::Send { .. })) {
            Action::Send { msg, .. } => {
                assert_eq!(msg.header(), b"hd");
                assert_eq!(msg.body(), b"body");
            }
            _ => unreachable!(),
        }
        t.done(1);
    }

    #[test]
    fn buffer_options_types_ranges_defaults() {
        let mut t = T::new(false);
        let names: Vec<_> = t.s.options().iter().map(|d| d.name).collect();
        assert_eq!(names, [OPT_SENDBUF, OPT_RECVBUF]);
        assert!(t
            .s
            .options()
            .iter()
            .all(|d| d.get && d.set && d.ty == OptType::Int));
        for name in [OPT_SENDBUF, OPT_RECVBUF] {
            assert_eq!(t.s.get_option(0, name), Ok(OptValue::Int(0)));
            assert_eq!(t.set_int(name, -1), Err(Error::Inval));
            assert_eq!(t.set_int(name, 8193), Err(Error::Inval));
            assert_eq!(
                t.s.set_option(0, name, &OptValue::Bool(true)),
                Err(Error::BadType)
            );
            t.set_int(name, 8192).unwrap();
            t.set_int(name, 0).unwrap();
            t.set_int(name, 7).unwrap();
            assert_eq!(t.s.get_option(0, name), Ok(OptValue::Int(7)));
        }
        assert_eq!(t.s.get_option(0, "ttl-max"), Err(Error::NotSup));
        assert_eq!(t.set_int("ttl-max", 3), Err(Error::NotSup));
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn writable_tracks_peer_and_buffer() {
        let mut t = T::new(false);
        assert!(!t.s.can_send());
        t.add(1).unwrap();
        assert!(t.s.can_send());
        t.send(1, b"a", true);
        assert!(!t.s.can_send());
        t.sent(1);
        assert!(t.s.can_send());
        t.rm(1);
        assert!(!t.s.can_send());
    }
}
