//! The pull0 protocol core (`pull`, 0x51): the receiving end of a pipeline.
//!
//! Behaviour (reference WIRE.md §9.4, §10; upstream
//! `src/sp/protocol/pipeline0/pull.c`):
//! - Each pipe holds at most one received message and is not read again
//!   until that message is taken (back-pressure to the pusher).
//! - Pipes holding a message are served in arrival order (fair queueing); a
//!   waiting receiver gets the next arrival directly.
//! - `NNG_OPT_RECVBUF` is not used (it stays a generic socket option).
//! - Sending is `NNG_ENOTSUP`. Raw mode behaves identically.

use crate::core::fasthash::FastSet;
use std::collections::VecDeque;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of pull v0 (`NNI_PROTO(5, 1)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x51;
/// Peer protocol number (push v0).
pub const PEER_ID: u16 = 0x50;
/// Protocol name.
pub const PROTO_NAME: &str = "pull";
/// Peer protocol name.
pub const PEER_NAME: &str = "push";

/// The pull0 core (cooked and raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    pipes: FastSet<PipeId>,
    /// Pipes holding a message nobody took yet, in arrival order.
    ready: VecDeque<(PipeId, Msg)>,
    recv_waiters: VecDeque<OpId>,
}

impl Socket {
    /// A new pull0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket {
            raw,
            closed: false,
            pipes: FastSet::default(),
            ready: VecDeque::new(),
            recv_waiters: VecDeque::new(),
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
        out.push_back(Action::Recv { pipe });
        Ok(())
    }

    fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
        if self.pipes.remove(&pipe) {
            self.ready.retain(|(p, _)| *p != pipe);
        }
    }

    fn pipe_sent(&mut self, _pipe: PipeId, _now: Time, _out: &mut Actions) {}

    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, _now: Time, out: &mut Actions) {
        if !self.pipes.contains(&pipe) {
            return;
        }
        match self.recv_waiters.pop_front() {
            Some(op) => {
                out.push_back(Action::Recv { pipe });
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            }
            None => self.ready.push_back((pipe, msg)),
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
        out.push_back(Action::SendFailed {
            op,
            err: Error::NotSup,
            msg,
        });
    }

    fn recv(&mut self, _ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        } else if let Some((pipe, msg)) = self.ready.pop_front() {
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
        }
    }

    fn sends(&self) -> bool {
        false
    }

    fn can_recv(&self) -> bool {
        !self.ready.is_empty()
    }

    fn can_send(&self) -> bool {
        false
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for op in self.recv_waiters.drain(..) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        }
        self.ready.clear();
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
            self.want_recv(p);
        }
        fn rm(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_removed(p, now, &mut self.out);
        }
        fn rx(&mut self, p: PipeId, data: &[u8]) {
            let now = self.tick();
            let mut m = Msg::from_slice(data);
            m.set_pipe(p);
            self.s.pipe_recv(p, m, now, &mut self.out);
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
        fn want_recv(&mut self, p: PipeId) {
            self.take("Recv", |a| matches!(a, Action::Recv { pipe } if *pipe == p));
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
    }

    #[test]
    fn identity() {
        let i = Socket::new(false, 0).info();
        assert_eq!(
            (i.self_id, i.peer_id, i.self_name, i.peer_name, i.raw),
            (0x51, 0x50, "pull", "push", false)
        );
        assert!(Socket::new(true, 0).info().raw);
    }

    #[test]
    fn cannot_send() {
        let mut t = T::new();
        t.s.send(0, 1, Msg::from_slice(b"x"), true, 0, &mut t.out);
        match t.out.pop_front() {
            Some(Action::SendFailed { op: 1, err, msg }) => {
                assert_eq!(err, Error::NotSup);
                assert_eq!(msg.body(), b"x");
            }
            other => panic!("{other:?}"),
        }
        assert!(!t.s.can_send());
        assert!(t.s.options().is_empty());
        assert_eq!(t.s.ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn one_message_per_pipe_until_taken() {
        let mut t = T::new();
        t.join(1);
        assert!(!t.s.can_recv());
        t.rx(1, b"a");
        t.idle();
        assert!(t.s.can_recv());
        t.recv(1, false);
        let m = t.got(1).unwrap();
        assert_eq!((m.body(), m.pipe()), (&b"a"[..], 1));
        t.want_recv(1);
        t.idle();
        assert!(!t.s.can_recv());
    }

    #[test]
    fn pipes_served_in_arrival_order() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.join(3);
        t.rx(2, b"from2");
        t.rx(3, b"from3");
        t.rx(1, b"from1");
        t.idle();
        for (op, (body, pipe)) in [(b"from2", 2), (b"from3", 3), (b"from1", 1)]
            .into_iter()
            .enumerate()
        {
            t.recv(op as OpId, false);
            assert_eq!(t.got_body(op as OpId).unwrap(), body);
            t.want_recv(pipe);
        }
        t.idle();
    }

    #[test]
    fn waiting_receivers_get_arrivals_directly() {
        let mut t = T::new();
        t.join(1);
        t.recv(1, true);
        t.recv(2, true);
        t.idle();
        t.rx(1, b"x");
        assert_eq!(t.got_body(1).unwrap(), b"x");
        t.want_recv(1);
        t.rx(1, b"y");
        assert_eq!(t.got_body(2).unwrap(), b"y");
        t.want_recv(1);
        t.idle();
    }

    #[test]
    fn nonblocking_receive_times_out() {
        let mut t = T::new();
        t.recv(1, false);
        assert_eq!(t.got(1).unwrap_err(), Error::TimedOut);
        t.idle();
    }

    #[test]
    fn removed_pipe_loses_its_message() {
        let mut t = T::new();
        t.join(1);
        t.join(2);
        t.rx(1, b"lost");
        t.rx(2, b"kept");
        t.rm(1);
        t.recv(1, false);
        assert_eq!(t.got_body(1).unwrap(), b"kept");
        t.want_recv(2);
        t.recv(2, false);
        assert_eq!(t.got(2).unwrap_err(), Error::TimedOut);
        // Late arrivals from a removed pipe are ignored.
        t.rx(1, b"late");
        t.idle();
        assert!(!t.s.can_recv());
    }

    #[test]
    fn cancel_and_close() {
        let mut t = T::new();
        t.recv(1, true);
        t.recv(2, true);
        t.s.cancel(1, Error::Canceled, &mut t.out);
        assert_eq!(t.got(1).unwrap_err(), Error::Canceled);
        t.s.cancel(1, Error::Canceled, &mut t.out);
        t.idle();
        t.s.close(&mut t.out);
        assert_eq!(t.got(2).unwrap_err(), Error::Closed);
        t.idle();
        t.recv(3, true);
        assert_eq!(t.got(3).unwrap_err(), Error::Closed);
    }

    #[test]
    fn canceled_receiver_does_not_consume() {
        let mut t = T::new();
        t.join(1);
        t.recv(1, true);
        t.s.cancel(1, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(1).unwrap_err(), Error::TimedOut);
        t.rx(1, b"m");
        t.idle();
        t.recv(2, false);
        assert_eq!(t.got_body(2).unwrap(), b"m");
        t.want_recv(1);
    }
}
