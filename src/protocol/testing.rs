//! Test harness for protocol cores (quinn's `Pair`, generalised): any number
//! of nodes wired through in-memory pipes, a virtual clock, and knobs for
//! pipe loss, dropped writes, stalled writes and paused reads.
//!
//! A node is either a protocol core (anything implementing [`Protocol`]) or a
//! *probe*: a raw wire endpoint driven by the test, which reads everything
//! sent to it and can inject arbitrary bytes (malformed messages, hand-made
//! backtraces).
//!
//! The harness plays the socket layer and the transports, and checks the
//! contract of `protocol/mod.rs` as it goes: a `Send` only on an idle pipe,
//! one `Recv` outstanding per pipe, every user operation completed exactly
//! once. Messages travel as wire bytes (header then body), so a receiving
//! core sees what a transport would hand it: the whole payload in the body.
//!
//! Time only moves when the test says so: [`Harness::advance`],
//! [`Harness::drive`] (jumps the clock from timer to timer while user
//! operations are pending) or [`Harness::drive_until`]. A 60 s resend timer
//! takes microseconds.

use std::collections::{HashMap, VecDeque};

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;
use crate::protocol::{Action, Actions, CtxId, OpId, PipeId, Protocol, Time};

/// Index of a node in the harness.
pub type NodeId = usize;

/// How a user operation ended.
#[derive(Debug)]
pub enum Done {
    /// Send completed (message consumed).
    Sent,
    /// Send failed; the message came back.
    SendFailed(Error, Msg),
    /// Receive completed.
    Recv(Result<Msg>),
}

/// The two pipe ids of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Pipe id on the first node.
    pub a: PipeId,
    /// Pipe id on the second node.
    pub b: PipeId,
}

enum Kind {
    Core(Box<dyn Protocol>),
    Probe,
}

struct Node {
    kind: Kind,
    out: Actions,
    next_ctx: CtxId,
    probe_rx: VecDeque<(PipeId, Vec<u8>)>,
}

struct End {
    node: NodeId,
    pipe: PipeId,
    peer: usize,
    open: bool,
    /// The core asked for the next message.
    want_recv: bool,
    /// A write was issued and `pipe_sent` not yet delivered.
    in_flight: bool,
    /// Payloads sent by the peer, not yet read by this end.
    inbox: VecDeque<Vec<u8>>,
    /// Knob: do not hand messages to the core.
    paused: bool,
    /// Knob: writes do not complete (held here).
    stalled: bool,
    held: VecDeque<Vec<u8>>,
    /// Knob: writes complete but vanish.
    drop_writes: bool,
}

enum Event {
    Sent(usize),
    Removed(usize),
}

/// The harness. See the module docs.
pub struct Harness {
    /// The virtual clock (ms).
    pub now: Time,
    nodes: Vec<Node>,
    ends: Vec<End>,
    by_pipe: HashMap<(NodeId, PipeId), usize>,
    events: VecDeque<Event>,
    next_pipe: PipeId,
    next_op: OpId,
    pending: HashMap<OpId, (NodeId, Option<Time>)>,
    done: HashMap<OpId, Done>,
    /// Number of messages written by cores (including dropped ones).
    pub writes: u64,
}

/// Work-loop bound; exceeding it means a core never goes idle.
const STEP_LIMIT: usize = 10_000_000;

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    /// An empty harness at time 1000 (so `now - x` never underflows in tests).
    pub fn new() -> Harness {
        Harness {
            now: 1000,
            nodes: Vec::new(),
            ends: Vec::new(),
            by_pipe: HashMap::new(),
            events: VecDeque::new(),
            next_pipe: 1,
            next_op: 1,
            pending: HashMap::new(),
            done: HashMap::new(),
            writes: 0,
        }
    }

    /// Adds a protocol core.
    pub fn add(&mut self, core: impl Protocol) -> NodeId {
        self.nodes.push(Node {
            kind: Kind::Core(Box::new(core)),
            out: Actions::new(),
            next_ctx: 1,
            probe_rx: VecDeque::new(),
        });
        self.nodes.len() - 1
    }

    /// Adds a probe: a raw wire endpoint driven by the test.
    pub fn add_probe(&mut self) -> NodeId {
        self.nodes.push(Node {
            kind: Kind::Probe,
            out: Actions::new(),
            next_ctx: 1,
            probe_rx: VecDeque::new(),
        });
        self.nodes.len() - 1
    }

    /// The core of a node (panics for probes).
    pub fn core(&mut self, n: NodeId) -> &mut dyn Protocol {
        match &mut self.nodes[n].kind {
            Kind::Core(c) => c.as_mut(),
            Kind::Probe => panic!("node {n} is a probe"),
        }
    }

    /// Connects two nodes; both cores get `pipe_added`. If either rejects the
    /// pipe, the connection is closed again and the error returned.
    pub fn connect(&mut self, a: NodeId, b: NodeId) -> Result<Link> {
        let pa = self.next_pipe;
        let pb = self.next_pipe + 1;
        self.next_pipe += 2;
        let ea = self.ends.len();
        let eb = ea + 1;
        for (node, pipe, peer) in [(a, pa, eb), (b, pb, ea)] {
            self.ends.push(End {
                node,
                pipe,
                peer,
                open: true,
                want_recv: false,
                in_flight: false,
                inbox: VecDeque::new(),
                paused: false,
                stalled: false,
                held: VecDeque::new(),
                drop_writes: false,
            });
            self.by_pipe.insert((node, pipe), self.ends.len() - 1);
        }
        let now = self.now;
        let mut result = Ok(());
        let mut accepted = Vec::new();
        for (e, node, pipe) in [(ea, a, pa), (eb, b, pb)] {
            let n = &mut self.nodes[node];
            match &mut n.kind {
                Kind::Core(c) => match c.pipe_added(pipe, now, &mut n.out) {
                    Ok(()) => accepted.push(e),
                    Err(err) => {
                        result = Err(err);
                        break;
                    }
                },
                Kind::Probe => accepted.push(e),
            }
        }
        if result.is_err() {
            self.ends[ea].open = false;
            self.ends[eb].open = false;
            for e in accepted {
                if self.is_core(self.ends[e].node) {
                    self.events.push_back(Event::Removed(e));
                }
            }
        }
        self.settle();
        result.map(|()| Link { a: pa, b: pb })
    }

    /// Closes a connection (pipe loss): both sides see `pipe_removed`.
    pub fn close_pipe(&mut self, n: NodeId, pipe: PipeId) {
        let e = self.end(n, pipe);
        self.close_end(e);
        self.settle();
    }

    /// Knob: stop (true) or resume handing messages on this pipe end to its core.
    pub fn pause(&mut self, n: NodeId, pipe: PipeId, on: bool) {
        let e = self.end(n, pipe);
        self.ends[e].paused = on;
        self.settle();
    }

    /// Knob: writes on this pipe end do not complete (true) until released.
    pub fn stall(&mut self, n: NodeId, pipe: PipeId, on: bool) {
        let e = self.end(n, pipe);
        self.ends[e].stalled = on;
        if !on {
            while let Some(bytes) = self.ends[e].held.pop_front() {
                self.complete_write(e, bytes);
            }
        }
        self.settle();
    }

    /// Knob: writes on this pipe end complete but never arrive.
    pub fn drop_writes(&mut self, n: NodeId, pipe: PipeId, on: bool) {
        let e = self.end(n, pipe);
        self.ends[e].drop_writes = on;
    }

    /// The open pipes of a node, oldest first.
    pub fn pipes(&self, n: NodeId) -> Vec<PipeId> {
        self.ends
            .iter()
            .filter(|e| e.node == n && e.open)
            .map(|e| e.pipe)
            .collect()
    }

    /// A probe writes raw wire bytes on one of its pipes.
    pub fn inject(&mut self, probe: NodeId, pipe: PipeId, bytes: &[u8]) {
        assert!(!self.is_core(probe), "inject is for probes");
        let e = self.end(probe, pipe);
        if self.ends[e].open {
            let peer = self.ends[e].peer;
            self.ends[peer].inbox.push_back(bytes.to_vec());
        }
        self.settle();
    }

    /// The next wire message a probe received: (its pipe, payload bytes).
    pub fn probe_recv(&mut self, probe: NodeId) -> Option<(PipeId, Vec<u8>)> {
        self.nodes[probe].probe_rx.pop_front()
    }

    /// Opens a context on a node.
    pub fn ctx_open(&mut self, n: NodeId) -> Result<CtxId> {
        let id = self.nodes[n].next_ctx;
        self.core(n).ctx_open(id)?;
        self.nodes[n].next_ctx += 1;
        Ok(id)
    }

    /// Closes a context.
    pub fn ctx_close(&mut self, n: NodeId, ctx: CtxId) {
        let node = &mut self.nodes[n];
        if let Kind::Core(c) = &mut node.kind {
            c.ctx_close(ctx, &mut node.out);
        }
        self.settle();
    }

    /// Closes a node's socket (pending operations fail with `NNG_ECLOSED`).
    pub fn close(&mut self, n: NodeId) {
        let node = &mut self.nodes[n];
        if let Kind::Core(c) = &mut node.kind {
            c.close(&mut node.out);
        }
        self.settle();
    }

    /// Sets an option (socket: ctx 0).
    pub fn set_opt(&mut self, n: NodeId, ctx: CtxId, name: &str, v: OptValue) -> Result<()> {
        self.core(n).set_option(ctx, name, &v)
    }

    /// Reads an option (socket: ctx 0).
    pub fn get_opt(&mut self, n: NodeId, ctx: CtxId, name: &str) -> Result<OptValue> {
        self.core(n).get_option(ctx, name)
    }

    /// A blocking send with no timeout.
    pub fn send(&mut self, n: NodeId, ctx: CtxId, body: &[u8]) -> OpId {
        self.send_msg(n, ctx, Msg::from_slice(body), true, None)
    }

    /// A non-blocking send (must complete at once).
    pub fn send_nb(&mut self, n: NodeId, ctx: CtxId, body: &[u8]) -> OpId {
        self.send_msg(n, ctx, Msg::from_slice(body), false, None)
    }

    /// A send with a timeout enforced by the harness (as the socket layer
    /// would: `cancel(op, NNG_ETIMEDOUT)` when it expires).
    pub fn send_timeout(&mut self, n: NodeId, ctx: CtxId, body: &[u8], ms: u64) -> OpId {
        self.send_msg(n, ctx, Msg::from_slice(body), true, Some(self.now + ms))
    }

    /// The general send: any message, wait flag and optional deadline.
    pub fn send_msg(
        &mut self,
        n: NodeId,
        ctx: CtxId,
        msg: Msg,
        wait: bool,
        deadline: Option<Time>,
    ) -> OpId {
        let op = self.new_op(n, deadline);
        let now = self.now;
        let node = &mut self.nodes[n];
        match &mut node.kind {
            Kind::Core(c) => c.send(ctx, op, msg, wait, now, &mut node.out),
            Kind::Probe => panic!("send on a probe"),
        }
        self.settle();
        op
    }

    /// A blocking receive with no timeout.
    pub fn recv(&mut self, n: NodeId, ctx: CtxId) -> OpId {
        self.recv_op(n, ctx, true, None)
    }

    /// A non-blocking receive.
    pub fn recv_nb(&mut self, n: NodeId, ctx: CtxId) -> OpId {
        self.recv_op(n, ctx, false, None)
    }

    /// A receive with a harness-enforced timeout.
    pub fn recv_timeout(&mut self, n: NodeId, ctx: CtxId, ms: u64) -> OpId {
        let deadline = self.now + ms;
        self.recv_op(n, ctx, true, Some(deadline))
    }

    /// The general receive.
    pub fn recv_op(&mut self, n: NodeId, ctx: CtxId, wait: bool, deadline: Option<Time>) -> OpId {
        let op = self.new_op(n, deadline);
        let now = self.now;
        let node = &mut self.nodes[n];
        match &mut node.kind {
            Kind::Core(c) => c.recv(ctx, op, wait, now, &mut node.out),
            Kind::Probe => panic!("recv on a probe"),
        }
        self.settle();
        op
    }

    /// Cancels an operation (as `nng_aio_cancel` / a timeout would).
    pub fn cancel(&mut self, n: NodeId, op: OpId, err: Error) {
        let node = &mut self.nodes[n];
        if let Kind::Core(c) = &mut node.kind {
            c.cancel(op, err, &mut node.out);
        }
        self.settle();
    }

    /// True while an operation has not completed.
    pub fn is_pending(&self, op: OpId) -> bool {
        self.pending.contains_key(&op)
    }

    /// Number of pending operations.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Takes the outcome of a completed operation (panics if pending).
    pub fn take(&mut self, op: OpId) -> Done {
        match self.done.remove(&op) {
            Some(d) => d,
            None if self.is_pending(op) => panic!("op {op} still pending"),
            None => panic!("op {op} unknown or already taken"),
        }
    }

    /// The message of a successful receive (panics otherwise).
    pub fn msg(&mut self, op: OpId) -> Msg {
        match self.take(op) {
            Done::Recv(Ok(m)) => m,
            other => panic!("op {op}: expected a message, got {other:?}"),
        }
    }

    /// The body of a successful receive.
    pub fn body(&mut self, op: OpId) -> Vec<u8> {
        self.msg(op).body().to_vec()
    }

    /// Asserts a send completed successfully.
    pub fn sent(&mut self, op: OpId) {
        match self.take(op) {
            Done::Sent => {}
            other => panic!("op {op}: expected Sent, got {other:?}"),
        }
    }

    /// The error of a failed operation (send or receive).
    pub fn err(&mut self, op: OpId) -> Error {
        match self.take(op) {
            Done::SendFailed(e, _) => e,
            Done::Recv(Err(e)) => e,
            other => panic!("op {op}: expected an error, got {other:?}"),
        }
    }

    /// The error and returned message of a failed send.
    pub fn send_failed(&mut self, op: OpId) -> (Error, Msg) {
        match self.take(op) {
            Done::SendFailed(e, m) => (e, m),
            other => panic!("op {op}: expected SendFailed, got {other:?}"),
        }
    }

    /// Runs until no core has work left, without moving the clock.
    pub fn settle(&mut self) {
        let mut steps = 0;
        loop {
            let mut progress = false;
            for n in 0..self.nodes.len() {
                while let Some(a) = self.nodes[n].out.pop_front() {
                    self.apply(n, a);
                    progress = true;
                }
            }
            if let Some(ev) = self.events.pop_front() {
                self.handle(ev);
                progress = true;
            }
            for e in 0..self.ends.len() {
                progress |= self.deliver(e);
            }
            if !progress {
                break;
            }
            steps += 1;
            assert!(steps < STEP_LIMIT, "cores never went idle");
        }
    }

    /// The next time a timer (a core's or an operation deadline) fires.
    pub fn next_timer(&self) -> Option<Time> {
        let cores = self.nodes.iter().filter_map(|n| match &n.kind {
            Kind::Core(c) => c.poll_timeout(),
            Kind::Probe => None,
        });
        let ops = self.pending.values().filter_map(|(_, d)| *d);
        cores.chain(ops).min()
    }

    /// Moves the clock forward by `ms`, firing every timer on the way.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now + ms;
        self.drive_until(target);
    }

    /// Fires timers in order until the clock reaches `target`.
    pub fn drive_until(&mut self, target: Time) {
        self.settle();
        let mut steps = 0;
        while let Some(t) = self.next_timer() {
            if t > target {
                break;
            }
            self.fire(t);
            steps += 1;
            assert!(steps < STEP_LIMIT, "timers never settle");
        }
        self.now = self.now.max(target);
    }

    /// Runs until no user operation is pending, jumping the clock from timer
    /// to timer; stops early when nothing is scheduled. Returns the time.
    pub fn drive(&mut self) -> Time {
        self.settle();
        let mut steps = 0;
        while !self.pending.is_empty() {
            let Some(t) = self.next_timer() else { break };
            self.fire(t);
            steps += 1;
            assert!(steps < STEP_LIMIT, "drive never finished");
        }
        self.now
    }

    /// Like [`Harness::drive`], but stops once `op` has completed.
    pub fn drive_op(&mut self, op: OpId) -> Time {
        self.settle();
        let mut steps = 0;
        while self.pending.contains_key(&op) {
            let Some(t) = self.next_timer() else { break };
            self.fire(t);
            steps += 1;
            assert!(steps < STEP_LIMIT, "drive never finished");
        }
        self.now
    }

    fn fire(&mut self, t: Time) {
        self.now = self.now.max(t);
        let now = self.now;
        for n in 0..self.nodes.len() {
            let node = &mut self.nodes[n];
            if let Kind::Core(c) = &mut node.kind {
                if c.poll_timeout().is_some_and(|d| d <= now) {
                    c.timeout(now, &mut node.out);
                }
            }
        }
        let mut expired: Vec<(OpId, NodeId)> = self
            .pending
            .iter()
            .filter(|(_, (_, d))| d.is_some_and(|d| d <= now))
            .map(|(op, (n, _))| (*op, *n))
            .collect();
        expired.sort_unstable();
        for (op, n) in expired {
            if let Some(p) = self.pending.get_mut(&op) {
                p.1 = None;
            }
            let node = &mut self.nodes[n];
            if let Kind::Core(c) = &mut node.kind {
                c.cancel(op, Error::TimedOut, &mut node.out);
            }
        }
        self.settle();
    }

    fn new_op(&mut self, n: NodeId, deadline: Option<Time>) -> OpId {
        let op = self.next_op;
        self.next_op += 1;
        self.pending.insert(op, (n, deadline));
        op
    }

    fn is_core(&self, n: NodeId) -> bool {
        matches!(self.nodes[n].kind, Kind::Core(_))
    }

    fn end(&self, n: NodeId, pipe: PipeId) -> usize {
        *self
            .by_pipe
            .get(&(n, pipe))
            .unwrap_or_else(|| panic!("node {n} has no pipe {pipe}"))
    }

    fn close_end(&mut self, e: usize) {
        let peer = self.ends[e].peer;
        for x in [e, peer] {
            if self.ends[x].open {
                self.ends[x].open = false;
                self.ends[x].inbox.clear();
                self.ends[x].held.clear();
                if self.is_core(self.ends[x].node) {
                    self.events.push_back(Event::Removed(x));
                }
            }
        }
    }

    fn complete_write(&mut self, e: usize, bytes: Vec<u8>) {
        if !self.ends[e].open {
            return;
        }
        if !self.ends[e].drop_writes {
            let peer = self.ends[e].peer;
            if self.ends[peer].open {
                self.ends[peer].inbox.push_back(bytes);
            }
        }
        self.events.push_back(Event::Sent(e));
    }

    fn record(&mut self, n: NodeId, op: OpId, d: Done) {
        match self.pending.remove(&op) {
            Some((owner, _)) => assert_eq!(owner, n, "op {op} completed by the wrong node"),
            None => panic!("op {op} completed twice or never started: {d:?}"),
        }
        self.done.insert(op, d);
    }

    fn apply(&mut self, n: NodeId, a: Action) {
        match a {
            Action::Send { pipe, msg } => {
                let Some(&e) = self.by_pipe.get(&(n, pipe)) else {
                    return;
                };
                if !self.ends[e].open {
                    return;
                }
                assert!(
                    !self.ends[e].in_flight,
                    "node {n}: Send on busy pipe {pipe}"
                );
                self.ends[e].in_flight = true;
                self.writes += 1;
                let mut bytes = msg.header().to_vec();
                bytes.extend_from_slice(msg.body());
                if self.ends[e].stalled {
                    self.ends[e].held.push_back(bytes);
                } else {
                    self.complete_write(e, bytes);
                }
            }
            Action::Recv { pipe } => {
                let Some(&e) = self.by_pipe.get(&(n, pipe)) else {
                    return;
                };
                if !self.ends[e].open {
                    return;
                }
                assert!(
                    !self.ends[e].want_recv,
                    "node {n}: second Recv outstanding on pipe {pipe}"
                );
                self.ends[e].want_recv = true;
            }
            Action::ClosePipe { pipe } => {
                if let Some(&e) = self.by_pipe.get(&(n, pipe)) {
                    self.close_end(e);
                }
            }
            Action::SendDone { op } => self.record(n, op, Done::Sent),
            Action::SendFailed { op, err, msg } => self.record(n, op, Done::SendFailed(err, msg)),
            Action::RecvDone { op, result } => self.record(n, op, Done::Recv(result)),
        }
    }

    fn handle(&mut self, ev: Event) {
        let now = self.now;
        match ev {
            Event::Sent(e) => {
                let end = &mut self.ends[e];
                end.in_flight = false;
                if !end.open {
                    return;
                }
                let (n, pipe) = (end.node, end.pipe);
                let node = &mut self.nodes[n];
                if let Kind::Core(c) = &mut node.kind {
                    c.pipe_sent(pipe, now, &mut node.out);
                }
            }
            Event::Removed(e) => {
                let (n, pipe) = (self.ends[e].node, self.ends[e].pipe);
                self.ends[e].want_recv = false;
                let node = &mut self.nodes[n];
                if let Kind::Core(c) = &mut node.kind {
                    c.pipe_removed(pipe, now, &mut node.out);
                }
            }
        }
    }

    fn deliver(&mut self, e: usize) -> bool {
        let end = &mut self.ends[e];
        if !end.open || end.inbox.is_empty() {
            return false;
        }
        let (n, pipe) = (end.node, end.pipe);
        if !matches!(self.nodes[n].kind, Kind::Core(_)) {
            while let Some(b) = self.ends[e].inbox.pop_front() {
                self.nodes[n].probe_rx.push_back((pipe, b));
            }
            return true;
        }
        if !end.want_recv || end.paused {
            return false;
        }
        end.want_recv = false;
        let bytes = end.inbox.pop_front().unwrap_or_default();
        let mut msg = Msg::from_slice(&bytes);
        msg.set_pipe(pipe);
        let now = self.now;
        let node = &mut self.nodes[n];
        if let Kind::Core(c) = &mut node.kind {
            c.pipe_recv(pipe, msg, now, &mut node.out);
        }
        true
    }
}

/// Builds wire bytes: big-endian words followed by a body.
pub fn wire(words: &[u32], body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(words.len() * 4 + body.len());
    for w in words {
        v.extend_from_slice(&w.to_be_bytes());
    }
    v.extend_from_slice(body);
    v
}

/// Splits wire bytes into the leading words up to and including the first
/// with bit 31 set, and the rest.
pub fn split_backtrace(bytes: &[u8]) -> (Vec<u32>, Vec<u8>) {
    let mut words = Vec::new();
    let mut off = 0;
    while off + 4 <= bytes.len() {
        let w = u32::from_be_bytes([bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]]);
        words.push(w);
        off += 4;
        if w & 0x8000_0000 != 0 {
            break;
        }
    }
    (words, bytes[off..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtoInfo;

    /// A trivial core for testing the harness: echoes every message back on
    /// the pipe it came from, and delivers a copy to a pending receive.
    #[derive(Default)]
    struct Echo {
        busy: HashMap<PipeId, VecDeque<Msg>>,
        recv: VecDeque<OpId>,
        ticks: u32,
        deadline: Option<Time>,
    }

    impl Protocol for Echo {
        fn info(&self) -> ProtoInfo {
            ProtoInfo {
                self_id: 0,
                peer_id: 0,
                self_name: "echo",
                peer_name: "echo",
                raw: false,
            }
        }
        fn pipe_added(&mut self, pipe: PipeId, _now: Time, out: &mut Actions) -> Result<()> {
            self.busy.insert(pipe, VecDeque::new());
            out.push_back(Action::Recv { pipe });
            Ok(())
        }
        fn pipe_removed(&mut self, pipe: PipeId, _now: Time, _out: &mut Actions) {
            self.busy.remove(&pipe);
        }
        fn pipe_sent(&mut self, _pipe: PipeId, _now: Time, _out: &mut Actions) {}
        fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, _now: Time, out: &mut Actions) {
            if let Some(op) = self.recv.pop_front() {
                out.push_back(Action::RecvDone {
                    op,
                    result: Ok(msg.dup().unwrap()),
                });
            }
            out.push_back(Action::Send { pipe, msg });
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
        fn recv(&mut self, _ctx: CtxId, op: OpId, _wait: bool, now: Time, _out: &mut Actions) {
            self.recv.push_back(op);
            self.deadline = Some(now + 500);
        }
        fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions) {
            if let Some(i) = self.recv.iter().position(|&o| o == op) {
                self.recv.remove(i);
                out.push_back(Action::RecvDone {
                    op,
                    result: Err(err),
                });
            }
        }
        fn poll_timeout(&self) -> Option<Time> {
            self.deadline
        }
        fn timeout(&mut self, _now: Time, _out: &mut Actions) {
            self.ticks += 1;
            self.deadline = None;
        }
        fn can_recv(&self) -> bool {
            false
        }
        fn can_send(&self) -> bool {
            false
        }
        fn close(&mut self, out: &mut Actions) {
            while let Some(op) = self.recv.pop_front() {
                out.push_back(Action::RecvDone {
                    op,
                    result: Err(Error::Closed),
                });
            }
        }
    }

    #[test]
    fn probe_round_trip_through_core() {
        let mut h = Harness::new();
        let e = h.add(Echo::default());
        let p = h.add_probe();
        let link = h.connect(e, p).unwrap();
        let op = h.recv(e, 0);
        h.inject(p, link.b, b"hello");
        assert_eq!(h.probe_recv(p), Some((link.b, b"hello".to_vec())));
        let m = h.msg(op);
        assert_eq!(m.body(), b"hello");
        assert_eq!(m.pipe(), link.a);
    }

    #[test]
    fn timers_and_deadlines_move_the_virtual_clock() {
        let mut h = Harness::new();
        let e = h.add(Echo::default());
        let start = h.now;
        let op = h.recv_timeout(e, 0, 2000);
        assert_eq!(h.next_timer(), Some(start + 500));
        let t = h.drive();
        assert_eq!(t, start + 2000);
        assert_eq!(h.err(op), Error::TimedOut);
    }

    #[test]
    fn pipe_loss_and_paused_reads() {
        let mut h = Harness::new();
        let e = h.add(Echo::default());
        let p = h.add_probe();
        let link = h.connect(e, p).unwrap();
        h.pause(e, link.a, true);
        h.inject(p, link.b, b"x");
        assert_eq!(h.probe_recv(p), None);
        h.pause(e, link.a, false);
        assert_eq!(h.probe_recv(p).map(|x| x.1), Some(b"x".to_vec()));
        h.close_pipe(p, link.b);
        assert!(h.pipes(e).is_empty());
        h.inject(p, link.b, b"lost");
        assert_eq!(h.probe_recv(p), None);
    }

    #[test]
    fn close_fails_pending_ops() {
        let mut h = Harness::new();
        let e = h.add(Echo::default());
        let op = h.recv(e, 0);
        h.close(e);
        assert_eq!(h.err(op), Error::Closed);
        assert_eq!(h.pending_count(), 0);
    }

    #[test]
    fn wire_helpers_round_trip() {
        let b = wire(&[5, 0x8000_0002], b"zz");
        assert_eq!(split_backtrace(&b), (vec![5, 0x8000_0002], b"zz".to_vec()));
    }
}
