//! Devices (`nng_device`, `nng_device_aio`): forwarders that move every
//! message, unchanged (header and body), between two raw sockets of peer
//! protocols (a proxy), or back out of the socket it came from (a
//! reflector). Reference: WIRE.md §11, upstream `src/core/device.c`.
//!
//! A device is one or two *paths*; a path receives a message on its source
//! socket and sends it on its destination socket, forever. There is one
//! path when both ends are the same socket, or when the second socket
//! cannot receive (pub, push): the first socket is always one that can.
//! Every path step is a socket operation (`Socket::start_recv` /
//! `start_send`) without timeout whose completion ([`Waiter`]) starts the
//! next one on the completing thread: no thread hop, no aio per message.
//!
//! The device stops when a path fails (a socket closed: `NNG_ECLOSED`; a
//! path waits on its source, so a one-way device sees its destination
//! closed only when it next forwards, as upstream's) or
//! when the user's aio is cancelled or times out; the other path is then
//! cancelled with the same error, and once no path runs the user's aio
//! completes with the first error. A message in flight when the device
//! stops is dropped, as upstream.
//!
//! Races between a step that starts the next operation and a stop that
//! cancels the current one are closed with a per-path sequence number: a
//! step records the operation id it started only if no later step has
//! begun, and cancels it itself if the device was stopped meanwhile.

use std::sync::{Arc, Mutex, Weak};

use crate::core::aio::{Aio, Cancel};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::socket::{Done, Socket, Waiter};
use crate::protocol::{OpId, ProtoInfo, SOCKET_CTX};
use crate::runtime::sync::lock;

/// Whether a protocol can receive. Only pub0 and push0 cannot (upstream
/// protocols without `NNI_PROTO_FLAG_RCV`); the numbers are wire values.
fn can_receive(info: ProtoInfo) -> bool {
    const PUB0: u16 = 0x20;
    const PUSH0: u16 = 0x50;
    !matches!(info.self_id, PUB0 | PUSH0)
}

/// Checks that two sockets can be joined by a device and orders them
/// (receiving socket first). `None` on either side means "the other one"
/// (reflector); both `None` is `NNG_EINVAL`.
fn pair(s1: Option<Arc<Socket>>, s2: Option<Arc<Socket>>) -> Result<(Arc<Socket>, Arc<Socket>)> {
    let (a, b) = match (s1, s2) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a.clone(), a),
        (None, Some(b)) => (b.clone(), b),
        (None, None) => return Err(Error::Inval),
    };
    let (ia, ib) = (a.info(), b.info());
    if ia.peer_id != ib.self_id || ib.peer_id != ia.self_id || !ia.raw || !ib.raw {
        return Err(Error::Inval);
    }
    Ok(if can_receive(ia) { (a, b) } else { (b, a) })
}

/// One direction of a device.
struct Path {
    src: Arc<Socket>,
    dst: Arc<Socket>,
    /// Bumped by every step before it starts an operation.
    seq: u64,
    /// The operation in flight (`None` before the first step or when the
    /// step that started it has not recorded it yet), and its socket.
    op: Option<(OpId, bool)>,
    /// The path has ended.
    done: bool,
}

struct State {
    paths: Vec<Path>,
    /// Paths still running.
    running: usize,
    /// Why the device stops (first error wins).
    err: Option<Error>,
    /// The user's aio, until it is completed.
    user: Option<Aio>,
}

/// A running device.
struct Device {
    st: Mutex<State>,
}

/// Cancels the device when the user's aio is cancelled or times out.
struct UserCancel(Weak<Device>);

impl Cancel for UserCancel {
    fn cancel(&self, _aio: &Aio, reason: Error) {
        if let Some(d) = self.0.upgrade() {
            d.stop(reason);
        }
    }
}

/// The completion of one path step.
struct Step {
    dev: Arc<Device>,
    path: usize,
}

impl Waiter for Step {
    fn done(self: Box<Self>, d: Done) {
        match d {
            Done::Recv(Ok(msg)) => self.dev.send(self.path, msg),
            Done::Sent => self.dev.recv(self.path),
            // A failed send's message is dropped, as upstream does.
            Done::SendFailed(e, _) | Done::Recv(Err(e)) => self.dev.path_ended(self.path, e),
        }
    }
}

impl Device {
    /// Starts a step on a path: bumps its sequence number and gives the
    /// socket to use (source or destination), or ends the path if the
    /// device is stopping.
    fn begin_step(&self, path: usize, on_src: bool) -> Option<(u64, Arc<Socket>)> {
        let mut st = lock(&self.st);
        if let Some(e) = st.err {
            drop(st);
            self.path_ended(path, e);
            return None;
        }
        let p = &mut st.paths[path];
        p.seq += 1;
        p.op = None;
        let sock = if on_src { &p.src } else { &p.dst };
        Some((p.seq, sock.clone()))
    }

    /// Records the operation a step started, unless a later step already
    /// began; cancels it if the device stopped in between.
    fn record(&self, path: usize, seq: u64, sock: &Socket, op: OpId, on_src: bool) {
        let mut st = lock(&self.st);
        let err = st.err;
        let p = &mut st.paths[path];
        if p.seq != seq || p.done {
            return;
        }
        p.op = Some((op, on_src));
        if let Some(e) = err {
            drop(st);
            sock.cancel(op, e);
        }
    }

    fn recv(self: &Arc<Self>, path: usize) {
        let Some((seq, src)) = self.begin_step(path, true) else {
            return;
        };
        let step = Box::new(Step {
            dev: self.clone(),
            path,
        });
        let op = src.start_recv(SOCKET_CTX, true, step);
        self.record(path, seq, &src, op, true);
    }

    fn send(self: &Arc<Self>, path: usize, msg: Msg) {
        let Some((seq, dst)) = self.begin_step(path, false) else {
            return; // the message is dropped
        };
        let step = Box::new(Step {
            dev: self.clone(),
            path,
        });
        let op = dst.start_send(SOCKET_CTX, msg, true, step);
        self.record(path, seq, &dst, op, false);
    }

    /// Stops every path (the first reason given is the device's result).
    fn stop(&self, err: Error) {
        let (err, ops) = {
            let mut st = lock(&self.st);
            let err = *st.err.get_or_insert(err);
            let ops: Vec<(Arc<Socket>, OpId)> = st
                .paths
                .iter()
                .filter(|p| !p.done)
                .filter_map(|p| {
                    let (op, on_src) = p.op?;
                    Some((if on_src { &p.src } else { &p.dst }.clone(), op))
                })
                .collect();
            (err, ops)
        };
        for (s, op) in ops {
            s.cancel(op, err);
        }
    }

    /// A path failed or saw the stop: stop the others; the last one out
    /// completes the user's aio with the device's first error.
    fn path_ended(&self, path: usize, err: Error) {
        let finish = {
            let mut st = lock(&self.st);
            let p = &mut st.paths[path];
            if p.done {
                return;
            }
            p.done = true;
            p.op = None;
            st.running -= 1;
            let first = *st.err.get_or_insert(err);
            if st.running > 0 {
                None
            } else {
                Some(st.user.take().map(|a| (a, first)))
            }
        };
        match finish {
            None => self.stop(err),
            Some(Some((aio, e))) => aio.finish_err(e),
            Some(None) => {}
        }
    }
}

/// Runs a device between `s1` and `s2` in the background; `aio` completes
/// when it stops (see the module docs), at once with `NNG_EINVAL` if the
/// sockets cannot be joined. Cancelling `aio` stops the device.
pub fn start(aio: &Aio, s1: Option<Arc<Socket>>, s2: Option<Arc<Socket>>) {
    if !aio.begin() {
        return;
    }
    let (a, b) = match pair(s1, s2) {
        Ok(p) => p,
        Err(e) => return aio.finish_err(e),
    };
    let mut paths = vec![Path {
        src: a.clone(),
        dst: b.clone(),
        seq: 0,
        op: None,
        done: false,
    }];
    if !Arc::ptr_eq(&a, &b) && can_receive(b.info()) {
        paths.push(Path {
            src: b,
            dst: a,
            seq: 0,
            op: None,
            done: false,
        });
    }
    let n = paths.len();
    let dev = Arc::new(Device {
        st: Mutex::new(State {
            paths,
            running: n,
            err: None,
            user: None,
        }),
    });
    {
        // Schedule under the device lock: a cancel that comes at once
        // (from another thread) then finds the aio recorded.
        let mut st = lock(&dev.st);
        if let Err(e) = aio.schedule(Arc::new(UserCancel(Arc::downgrade(&dev)))) {
            drop(st);
            return aio.finish_err(e);
        }
        st.user = Some(aio.clone());
    }
    for path in 0..n {
        dev.recv(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{bus0, pair1, rep0, req0};

    fn open(p: impl crate::protocol::Protocol) -> Arc<Socket> {
        Socket::open(Box::new(p)).unwrap()
    }

    #[test]
    fn rejects_cooked_and_mismatched_sockets() {
        let cooked = open(pair1::Socket::new(false, 1));
        let raw_req = open(req0::Socket::new(true, 1));
        let raw_rep = open(rep0::Socket::new(true, 1));
        let raw_bus = open(bus0::Socket::new(true, 1));
        for (x, y) in [
            (Some(cooked.clone()), Some(cooked.clone())),
            (Some(raw_req.clone()), Some(raw_req.clone())),
            (Some(raw_req.clone()), Some(raw_bus.clone())),
            (None, None),
        ] {
            let aio = Aio::new();
            start(&aio, x, y);
            aio.wait();
            assert_eq!(aio.result(), Err(Error::Inval));
        }
        for s in [cooked, raw_req, raw_rep, raw_bus] {
            s.close().unwrap();
        }
    }

    #[test]
    fn stops_on_close_and_on_cancel() {
        let req = open(req0::Socket::new(true, 1));
        let rep = open(rep0::Socket::new(true, 1));
        let aio = Aio::new();
        start(&aio, Some(req.clone()), Some(rep.clone()));
        assert!(aio.busy());
        rep.close().unwrap();
        aio.wait();
        assert_eq!(aio.result(), Err(Error::Closed));

        let bus = open(bus0::Socket::new(true, 1));
        let aio = Aio::new();
        start(&aio, Some(bus.clone()), None);
        assert!(aio.busy());
        aio.cancel();
        aio.wait();
        assert_eq!(aio.result(), Err(Error::Canceled));
        // The socket is still usable afterwards.
        let aio = Aio::new();
        start(&aio, None, Some(bus.clone()));
        aio.abort(Error::TimedOut);
        aio.wait();
        assert_eq!(aio.result(), Err(Error::TimedOut));
        bus.close().unwrap();
        req.close().unwrap();
    }
}
