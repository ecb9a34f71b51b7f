//! The bus0 protocol core (`bus`, 0x70): every node talks to its direct
//! peers; nothing is forwarded.
//!
//! Behaviour (reference WIRE.md §9.3, §10, §11; upstream
//! `src/sp/protocol/bus0/bus.c`):
//! - A send never blocks and always succeeds: each connected pipe gets a
//!   copy, straight away when idle, else into its own queue of
//!   `NNG_OPT_SENDBUF` messages (default 16, 1..8192); when that queue is
//!   full the NEW message is dropped for that pipe.
//! - Receive: one socket queue of `NNG_OPT_RECVBUF` messages (default 16,
//!   1..8192); arrivals are dropped when it is full; pipes are always read.
//! - Cooked: no header on the wire; a send strips any header.
//! - Raw: a received message carries a 4-byte header, the id of the pipe it
//!   came from; on send, a header of at least 4 bytes names (in its first
//!   word) a pipe to skip, so a device does not echo back to the source;
//!   that word is removed and any remaining header bytes are sent.

use std::collections::{BTreeMap, VecDeque};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{check_range, OptDesc, OptType, OptValue};
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, ProtoInfo, Protocol, Time};

/// Protocol number of bus v0 (`NNI_PROTO(7, 0)`; wire value, never changes).
pub const PROTO_ID: u16 = 0x70;
/// Peer protocol number (bus v0 again).
pub const PEER_ID: u16 = 0x70;
/// Protocol name.
pub const PROTO_NAME: &str = "bus";
/// Peer protocol name.
pub const PEER_NAME: &str = "bus";

use crate::core::names::NNG_OPT_RECVBUF as OPT_RECVBUF;
use crate::core::names::NNG_OPT_SENDBUF as OPT_SENDBUF;

/// Default and largest queue depths.
const DEFAULT_BUF: usize = 16;
const MAX_BUF: i32 = 8192;

static OPTIONS: [OptDesc; 2] = [
    OptDesc::rw(OPT_RECVBUF, OptType::Int),
    OptDesc::rw(OPT_SENDBUF, OptType::Int),
];

#[derive(Debug, Default)]
struct Pipe {
    /// A `Send` is in flight.
    busy: bool,
    /// Messages waiting behind it (at most `send_cap`).
    queue: VecDeque<Msg>,
}

/// The bus0 core (cooked and raw).
#[derive(Debug)]
pub struct Socket {
    raw: bool,
    closed: bool,
    pipes: BTreeMap<PipeId, Pipe>,
    /// Per-pipe send queue depth.
    send_cap: usize,
    recvq: VecDeque<Msg>,
    recv_cap: usize,
    recv_waiters: VecDeque<OpId>,
}

impl Socket {
    /// A new bus0 core; `seed` is unused (no randomness).
    pub fn new(raw: bool, _seed: u64) -> Socket {
        Socket {
            raw,
            closed: false,
            pipes: BTreeMap::new(),
            send_cap: DEFAULT_BUF,
            recvq: VecDeque::new(),
            recv_cap: DEFAULT_BUF,
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
        if self.pipes.contains_key(&pipe) {
            return Err(Error::Busy);
        }
        self.pipes.insert(pipe, Pipe::default());
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

    fn pipe_recv(&mut self, pipe: PipeId, mut msg: Msg, _now: Time, out: &mut Actions) {
        if !self.pipes.contains_key(&pipe) {
            return;
        }
        // A raw receiver learns the origin from the header (for devices);
        // should the header not grow, the message is dropped.
        let ok = !self.raw || msg.header_append(&pipe.to_be_bytes()).is_ok();
        if ok {
            if let Some(op) = self.recv_waiters.pop_front() {
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg),
                });
            } else if self.recvq.len() < self.recv_cap {
                self.recvq.push_back(msg);
            }
        }
        out.push_back(Action::Recv { pipe });
    }

    fn send(
        &mut self,
        _ctx: CtxId,
        op: OpId,
        mut msg: Msg,
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
        let mut skip = None;
        if self.raw {
            if let Some(w) = msg.header().get(..4) {
                skip = Some(u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
                // Cannot fail: the header has at least 4 bytes.
                let _ = msg.header_trim(4);
            }
        } else {
            msg.header_clear();
        }
        // Recipients: idle pipes, and busy ones with room in their queue.
        let cap = self.send_cap;
        let wants =
            |(id, p): &(&PipeId, &mut Pipe)| Some(**id) != skip && (!p.busy || p.queue.len() < cap);
        let last = self.pipes.iter_mut().filter(wants).count();
        let mut msg = Some(msg);
        for (i, (&pipe, p)) in self.pipes.iter_mut().filter(wants).enumerate() {
            // The last recipient gets the caller's message itself.
            let copy = if i + 1 == last {
                msg.take()
            } else {
                msg.as_ref().and_then(|m| m.try_share().ok())
            };
            let Some(copy) = copy else { continue };
            if p.busy {
                p.queue.push_back(copy);
            } else {
                p.busy = true;
                out.push_back(Action::Send { pipe, msg: copy });
            }
        }
        out.push_back(Action::SendDone { op });
    }

    fn recv(&mut self, _ctx: CtxId, op: OpId, wait: bool, _now: Time, out: &mut Actions) {
        if self.closed {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        } else if let Some(msg) = self.recvq.pop_front() {
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

    fn options(&self) -> &'static [OptDesc] {
        &OPTIONS
    }

    fn set_option(&mut self, _ctx: CtxId, name: &str, val: &OptValue) -> Result<()> {
        let cap = match name {
            OPT_RECVBUF | OPT_SENDBUF => check_range(val.as_int()?, 1, MAX_BUF)? as usize,
            _ => return Err(Error::NotSup),
        };
        // Like upstream's lmq resize: keep the oldest, drop the rest.
        if name == OPT_RECVBUF {
            self.recv_cap = cap;
            self.recvq.truncate(cap);
        } else {
            self.send_cap = cap;
            for p in self.pipes.values_mut() {
                p.queue.truncate(cap);
            }
        }
        Ok(())
    }

    fn get_option(&self, _ctx: CtxId, name: &str) -> Result<OptValue> {
        match name {
            OPT_RECVBUF => Ok(OptValue::Int(self.recv_cap as i32)),
            OPT_SENDBUF => Ok(OptValue::Int(self.send_cap as i32)),
            _ => Err(Error::NotSup),
        }
    }

    fn can_recv(&self) -> bool {
        !self.recvq.is_empty()
    }

    fn can_send(&self) -> bool {
        true
    }

    fn close(&mut self, out: &mut Actions) {
        self.closed = true;
        for op in self.recv_waiters.drain(..) {
            out.push_back(Action::RecvDone {
                op,
                result: Err(Error::Closed),
            });
        }
        self.recvq.clear();
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
        fn rm(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_removed(p, now, &mut self.out);
        }
        fn sent(&mut self, p: PipeId) {
            let now = self.tick();
            self.s.pipe_sent(p, now, &mut self.out);
        }
        /// A message arrives on `p`; the pipe is read again at once.
        fn rx(&mut self, p: PipeId, data: &[u8]) {
            let now = self.tick();
            let mut m = Msg::from_slice(data);
            m.set_pipe(p);
            self.s.pipe_recv(p, m, now, &mut self.out);
            self.want_recv(p);
        }
        /// Sends and checks that the send completed at once.
        fn bcast(&mut self, op: OpId, m: Msg) {
            let now = self.tick();
            self.s.send(0, op, m, false, now, &mut self.out);
            self.take(
                "SendDone",
                |a| matches!(a, Action::SendDone { op: o } if *o == op),
            );
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
        fn got(&mut self, o: OpId) -> Result<Msg> {
            match self.take(
                "RecvDone",
                |a| matches!(a, Action::RecvDone { op, .. } if *op == o),
            ) {
                Action::RecvDone { result, .. } => result,
                _ => unreachable!(),
            }
        }
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
        fn set_int(&mut self, name: &str, v: i32) -> Result<()> {
            self.s.set_option(0, name, &OptValue::Int(v))
        }
    }

    fn msg_with_header(header: &[u8], body: &[u8]) -> Msg {
        let mut m = Msg::from_slice(body);
        m.header_append(header).unwrap();
        m
    }

    #[test]
    fn identity() {
        let i = Socket::new(false, 0).info();
        assert_eq!(
            (i.self_id, i.peer_id, i.self_name, i.peer_name, i.raw),
            (0x70, 0x70, "bus", "bus", false)
        );
        assert!(Socket::new(true, 0).info().raw);
        assert_eq!(Socket::new(false, 0).ctx_open(1), Err(Error::NotSup));
    }

    #[test]
    fn send_with_no_pipes_succeeds() {
        let mut t = T::new(false);
        assert!(t.s.can_send());
        t.bcast(1, Msg::from_slice(b"void"));
        t.idle();
    }

    #[test]
    fn cooked_send_reaches_all_peers_without_header() {
        let mut t = T::new(false);
        t.join(1);
        t.join(2);
        t.bcast(1, msg_with_header(b"hdr!", b"all"));
        assert_eq!(t.tx(1), b"all");
        assert_eq!(t.tx(2), b"all");
        t.idle();
    }

    #[test]
    fn cooked_receive_has_no_header() {
        let mut t = T::new(false);
        t.join(3);
        t.rx(3, b"hello");
        assert!(t.s.can_recv());
        t.recv(1, false);
        let m = t.got(1).unwrap();
        assert_eq!(
            (m.header(), m.body(), m.pipe()),
            (&b""[..], &b"hello"[..], 3)
        );
        assert!(!t.s.can_recv());
    }

    #[test]
    fn raw_receive_header_is_pipe_id() {
        let mut t = T::new(true);
        t.join(0x1234_5678);
        t.rx(0x1234_5678, b"x");
        t.recv(1, false);
        let m = t.got(1).unwrap();
        assert_eq!(m.header(), &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(m.body(), b"x");
    }

    #[test]
    fn raw_send_skips_the_named_pipe_and_keeps_rest_of_header() {
        let mut t = T::new(true);
        t.join(1);
        t.join(2);
        t.join(3);
        t.bcast(1, msg_with_header(&[0, 0, 0, 2, 0xaa], b"dev"));
        assert_eq!(t.tx(1), [0xaa, b'd', b'e', b'v']);
        assert_eq!(t.tx(3), [0xaa, b'd', b'e', b'v']);
        t.idle();
        t.sent(1);
        t.sent(3);
        // A short header is sent as is, to everyone.
        t.bcast(2, msg_with_header(&[9, 9], b"s"));
        for p in 1..=3 {
            assert_eq!(t.tx(p), [9, 9, b's']);
        }
        t.idle();
    }

    #[test]
    fn raw_device_reflects_without_echo() {
        let mut t = T::new(true);
        t.join(1);
        t.join(2);
        t.rx(1, b"from1");
        t.recv(1, false);
        let m = t.got(1).unwrap();
        t.bcast(2, m);
        assert_eq!(t.tx(2), b"from1");
        t.idle();
    }

    #[test]
    fn busy_pipe_queues_then_drops_newest() {
        let mut t = T::new(false);
        t.set_int(OPT_SENDBUF, 2).unwrap();
        t.join(1);
        t.join(2);
        t.bcast(0, Msg::from_slice(b"0"));
        t.tx(1);
        t.tx(2);
        for i in 1..=4u8 {
            t.bcast(u64::from(i), Msg::from_slice(&[b'0' + i]));
            t.sent(2);
            assert_eq!(t.tx(2), [b'0' + i]);
        }
        t.idle();
        assert_eq!(t.drain(1), [b"1", b"2"]);
    }

    #[test]
    fn default_send_queue_is_sixteen() {
        let mut t = T::new(false);
        t.join(1);
        for i in 0..30u8 {
            t.bcast(u64::from(i), Msg::from_slice(&[i]));
        }
        assert_eq!(t.tx(1), [0]);
        let rest = t.drain(1);
        assert_eq!(rest.len(), 16);
        assert_eq!((rest[0][0], rest[15][0]), (1, 16));
    }

    #[test]
    fn receive_queue_drops_new_when_full() {
        let mut t = T::new(false);
        t.set_int(OPT_RECVBUF, 2).unwrap();
        t.join(1);
        t.rx(1, b"a");
        t.rx(1, b"b");
        t.rx(1, b"c");
        t.idle();
        for (op, want) in [(1, b"a"), (2, b"b")] {
            t.recv(op, false);
            assert_eq!(t.got(op).unwrap().body(), want);
        }
        t.recv(3, false);
        assert_eq!(t.got(3).unwrap_err(), Error::TimedOut);
    }

    #[test]
    fn waiting_receivers_served_in_order() {
        let mut t = T::new(false);
        t.join(1);
        t.recv(1, true);
        t.recv(2, true);
        t.idle();
        t.rx(1, b"x");
        assert_eq!(t.got(1).unwrap().body(), b"x");
        t.rx(1, b"y");
        assert_eq!(t.got(2).unwrap().body(), b"y");
        t.idle();
    }

    #[test]
    fn shrinking_receive_queue_keeps_oldest() {
        let mut t = T::new(false);
        t.join(1);
        for b in [b"1", b"2", b"3"] {
            t.rx(1, b);
        }
        t.set_int(OPT_RECVBUF, 1).unwrap();
        t.recv(1, false);
        assert_eq!(t.got(1).unwrap().body(), b"1");
        t.recv(2, false);
        assert_eq!(t.got(2).unwrap_err(), Error::TimedOut);
    }

    #[test]
    fn removed_pipe_is_forgotten() {
        let mut t = T::new(false);
        t.join(1);
        t.join(2);
        t.rm(2);
        t.bcast(1, Msg::from_slice(b"m"));
        assert_eq!(t.tx(1), b"m");
        t.idle();
        t.sent(2);
        t.s.pipe_recv(2, Msg::from_slice(b"late"), 0, &mut t.out);
        t.idle();
        assert!(!t.s.can_recv());
    }

    #[test]
    fn cancel_and_close() {
        let mut t = T::new(false);
        t.recv(1, true);
        t.recv(2, true);
        t.s.cancel(2, Error::TimedOut, &mut t.out);
        assert_eq!(t.got(2).unwrap_err(), Error::TimedOut);
        t.s.cancel(2, Error::TimedOut, &mut t.out);
        t.idle();
        t.s.close(&mut t.out);
        assert_eq!(t.got(1).unwrap_err(), Error::Closed);
        t.idle();
        t.recv(3, true);
        assert_eq!(t.got(3).unwrap_err(), Error::Closed);
    }

    #[test]
    fn buffer_options() {
        let mut t = T::new(false);
        let names: Vec<_> = t.s.options().iter().map(|d| d.name).collect();
        assert_eq!(names, [OPT_RECVBUF, OPT_SENDBUF]);
        assert!(t
            .s
            .options()
            .iter()
            .all(|d| d.get && d.set && d.ty == OptType::Int));
        for name in [OPT_RECVBUF, OPT_SENDBUF] {
            assert_eq!(t.s.get_option(0, name), Ok(OptValue::Int(16)));
            assert_eq!(t.set_int(name, 0), Err(Error::Inval));
            assert_eq!(t.set_int(name, 8193), Err(Error::Inval));
            assert_eq!(
                t.s.set_option(0, name, &OptValue::Bool(true)),
                Err(Error::BadType)
            );
            t.set_int(name, 1).unwrap();
            t.set_int(name, 8192).unwrap();
            assert_eq!(t.s.get_option(0, name), Ok(OptValue::Int(8192)));
        }
        assert_eq!(t.set_int("ttl-max", 3), Err(Error::NotSup));
    }
}
