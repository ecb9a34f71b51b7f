//! The push0 protocol core (`push`, 0x50): the sending end of a pipeline.
//!
//! Behaviour (reference WIRE.md §9.4, §10; upstream
//! `src/sp/protocol/pipeline0/push.c`):
//! - Idle pipes wait in a FIFO "ready" list. A send goes to the first ready
//!   pipe; a pipe that finishes a write takes the next buffered message or
//!   rejoins the end of the list, which gives round robin across the peers
//!   that keep up.
//! - With no ready pipe the message goes into the socket send buffer
//!   (`NNG_OPT_SENDBUF`, default 0, 0..8192); when that is full the sender
//!   waits. Nothing is dropped (except buffered messages cut by shrinking
//!   the buffer, as upstream).
//! - Anything a pull peer sends is discarded; the pipe is read only to
//!   notice it closing.
//! - Receiving is `NNG_ENOTSUP`. Raw mode behaves identically.

use crate::core::fasthash::FastSet;
use std::collections::VecDeque;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of push v0 (`NNI_PROTO(5, 0)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x50;
/// Peer protocol number (pull v0).
pub const PEER_ID: u16 = 0x51;
/// Protocol name.
pub const PROTO_NAME: &str = "push";
/// Peer protocol name.
pub const PEER_NAME: &str = "pull";

use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Largest `NNG_OPT_SENDBUF` value.
const MAX_BUF: i32 = 8192;

static OPTIONS: [OptDesc; 1] = [OptDesc::rw(OPT_SENDBUF, OptType::Int)];

/// The push0 core (cooked and raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    /// Every connected pipe.
    pipes: FastSet<PipeId>,
    /// Idle pipes, longest idle first.
    ready: VecDeque<PipeId>,
    sendq: VecDeque<Msg>,
    send_cap: usize,
    send_waiters: VecDeque<(OpId, Msg)>,
}

impl Socket {
    /// A new push0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket {
            raw,
            closed: false,
            pipes: FastSet::default(),
            ready: VecDeque::new(),
            sendq: VecDeque::new(),
            send_cap: 0,
            send_waiters: VecDeque::new(),
        }
    }

    /// `pipe` is idle: give it the next message or put it on the ready list.
    fn pipe_ready(&mut self, pipe: PipeId, out: &mut Actions) {
        if let Some(msg) = self.sendq.pop_front() {
            out.push_back(Action::Send { pipe, msg });
            if let Some((op, msg)) = self.send_waiters.pop_front() {
                self.sendq.push_back(msg);
                out.push_back(Action::SendDone { op });
            }
        } else if let Some((op, msg)) = self.send_waiters.pop_front() {
            out.push_back(Action::Send { pipe, msg });
            out.push_back(Action::SendDone { op });
        } else {
            self.ready.push_back(pipe);
        }
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
        if !self.pipes.insert(pipe) {
            return Err(Error::Busy);
        }
        // Read only to notice the pipe closing; data is discarded.
        out.push_back(Action::Recv { pipe });
        self.pipe_ready(pipe, out);
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.pipes.remove(&pipe) {
            self.ready.retain(|&p| p != pipe);
        }
    }

    fn pipe_sent(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) {
        if self.pipes.contains(&pipe) {
            self.pipe_ready(pipe, out);
        }
    }

    fn pipe_recv(&mut self, pipe: PipeId, _msg: Msg, _now: Time, out: &mut Actions) {
        if self.pipes.contains(&pipe) {
            out.push_back(Action::Recv { pipe });
        }
    }

    fn send(&mut self, _ctx: CtxId, op: OpId, msg: Msg, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
        } else if let Some(pipe) = self.ready.pop_front() {
            out.push_back(Action::Send { pipe, msg });
            out.push_back(Action::SendDone { op });
        } else if self.sendq.len() < self.send_cap {
            self.sendq.push_back(msg);
            out.push_back(Action::SendDone { op });
        } else if !wait {
            out.push_back(Action::SendFailed {
                op,
                err: Error::TimedOut,
                msg,
            });
        } else {
            self.send_waiters.push_back((op, msg));
        }
    }

    fn recv(&mut self, _ctx: CtxId, op: OpId, _wait: bool, _now: Time, out: &mut Actions) {
        out.push_back(Action::RecvDone {
            op,
            result: Err(Error::NotSup),
        });
    }

    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
        if let Some(i) = self.send_waiters.iter().position(|(o, _)| *o == op) {
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
        !self.ready.is_empty() || self.sendq.len() < self.send_cap
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for (op, msg) in self.send_waiters.drain(..) {
            out.push_back(Action::SendFailed {
                op,
                err: Error::Closed,
                msg,
            });
        }
        self.sendq.clear();
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
        /// Adds a pipe and consumes the `Recv` it asks for.
        fn join(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_added(p, now, &mut self.out).unwrap();
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
        fn rx(&mut self, p: PipeId, data: &[u8]) {
            let now = self.tick();
            self.s
                .pipe_recv(p, Msg::from_slice(data), now, &mut self.out);
        }
        fn send(&mut self, op: OpId, data: &[u8], wait: bool) {
            let now = self.tick();
            self.s
                .send(0, op, Msg::from_slice(data), wait, now, &mut self.out);
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
            (0x50, 0x51, "push", "pull", false)
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn cannot_receive() {
        let mut t = T::new();
        t.s.recv(0, 1, true, 0, &mut t.out);
        match t.out.pop_front() {
            Some(Action::RecvDone { op: 1, result }) => {
                assert_eq!(result.unwrap_err(), Error::NotSup)
            }
            other => panic!("{other:?}"),
        }
        assert!(!t.s.can_recv());
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn round_robin_across_ready_pipes() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.join(3);
        t.send(1, b"one", true);
        assert_eq!(t.tx(1), b"one");
        t.done(1);
        t.send(2, b"two", true);
        assert_eq!(t.tx(2), b"two");
        t.done(2);
        t.sent(1);
        t.send(3, b"three", true);
        assert_eq!(t.tx(3), b"three");
        t.done(3);
        t.send(4, b"four", true);
        assert_eq!(t.tx(1), b"four");
        t.done(4);
        t.idle();
    }

    #[test]
    fn busy_peers_block_unbuffered_sender() {
        let mut t = T::new();
        assert!(!t.s.can_send());
        t.send(1, b"nb", false);
        assert_eq!(t.failed(1), (Error::TimedOut, b"nb".to_vec()));
        t.send(2, b"late", true);
        t.idle();
        // A pipe arriving later takes the waiting message.
        t.join(7);
        assert_eq!(t.tx(7), b"late");
        t.done(2);
        t.idle();
        assert!(!t.s.can_send());
        t.send(3, b"x", true);
        t.idle();
        t.sent(7);
        assert_eq!(t.tx(7), b"x");
        t.done(3);
        t.sent(7);
        assert!(t.s.can_send());
        t.idle();
    }

    #[test]
    fn buffered_send_and_late_peer() {
        let mut t = T::new();
        t.set_buf(2).unwrap();
        t.send(1, b"123", false);
        t.done(1);
        t.send(2, b"456", false);
        t.done(2);
        assert!(!t.s.can_send());
        t.send(3, b"789", true);
        t.idle();
        t.join(1);
        assert_eq!(t.tx(1), b"123");
        t.done(3);
        t.idle();
        t.sent(1);
        assert_eq!(t.tx(1), b"456");
        t.sent(1);
        assert_eq!(t.tx(1), b"789");
        t.sent(1);
        t.idle();
        assert!(t.s.can_send());
    }

    #[test]
    fn load_balance_buffered() {
        let mut t = T::new();
        t.set_buf(4).unwrap();
        t.join(1);
        t.join(2);
        t.join(3);
        t.send(1, b"one", true);
        t.send(2, b"two", true);
        t.send(3, b"three", true);
        assert_eq!(t.tx(1), b"one");
        assert_eq!(t.tx(2), b"two");
        assert_eq!(t.tx(3), b"three");
        t.done(1);
        t.done(2);
        t.done(3);
        // Now all busy: the buffer takes four, then senders wait.
        for op in 4..8 {
            t.send(op, &[op as u8], false);
            t.done(op);
        }
        t.send(8, b"x", false);
        assert_eq!(t.failed(8).0, Error::TimedOut);
        t.sent(2);
        assert_eq!(t.tx(2), [4]);
        t.idle();
    }

    #[test]
    fn truncating_buffer_drops_newest() {
        let mut t = T::new();
        t.set_buf(3).unwrap();
        t.send(1, b"abc", true);
        t.send(2, b"def", true);
        t.done(1);
        t.done(2);
        assert!(t.s.can_send());
        t.set_buf(1).unwrap();
        assert!(!t.s.can_send());
        t.join(1);
        assert_eq!(t.tx(1), b"abc");
        t.idle();
        t.sent(1);
        t.send(3, b"ghi", true);
        assert_eq!(t.tx(1), b"ghi");
        t.done(3);
        // Pipe gone, one buffered, then the buffer is removed.
        t.rm(1);
        t.send(4, b"jkl", true);
        t.done(4);
        t.set_buf(0).unwrap();
        t.join(2);
        t.idle();
        t.send(5, b"mno", true);
        assert_eq!(t.tx(2), b"mno");
        t.done(5);
    }

    #[test]
    fn removed_pipe_leaves_ready_list() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.rm(1);
        t.send(1, b"a", true);
        assert_eq!(t.tx(2), b"a");
        t.done(1);
        t.rm(2);
        assert!(!t.s.can_send());
        // Late completions for removed pipes are ignored.
        t.sent(2);
        t.idle();
        assert!(!t.s.can_send());
    }

    #[test]
    fn data_from_pull_is_discarded() {
        let mut t = T::new();
        t.join(1);
        t.rx(1, b"junk");
        t.want_recv(1);
        t.idle();
        t.rx(9, b"stray");
        t.idle();
    }

    #[test]
    fn cancel_and_close() {
        let mut t = T::new();
        t.send(1, b"a", true);
        t.send(2, b"b", true);
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        assert_eq!(t.failed(1), (Error::TimedOut, b"a".to_vec()));
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        t.idle();
        t.s.close(&mut t.out);
        assert_eq!(t.failed(2), (Error::Closed, b"b".to_vec()));
        t.idle();
        t.send(3, b"c", false);
        assert_eq!(t.failed(3).0, Error::Closed);
    }

    #[test]
    fn send_buffer_option() {
        let mut t = T::new();
        let d = t.s.options();
        assert_eq!(d.len(), 1);
        assert!(d[0].name == OPT_SENDBUF && d[0].get && d[0].set && d[0].ty == OptType::Int);
        assert_eq!(t.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(0)));
        assert_eq!(t.set_buf(-1), Err(Error::Inval));
        assert_eq!(t.set_buf(8193), Err(Error::Inval));
        assert_eq!(
            t.s.set_option(0, OPT_SENDBUF, &OptValue::Bool(true)),
            Err(Error::BadType)
        );
        t.set_buf(8192).unwrap();
        t.set_buf(100).unwrap();
        assert_eq!(t.s.get_option(0, OPT_SENDBUF), Ok(OptValue::Int(100)));
        assert_eq!(t.s.get_option(0, "recv-buffer"), Err(Error::NotSup));
        assert_eq!(t.s.get_option(0, "ttl-max"), Err(Error::NotSup));
    }
}
