//! SP protocols as sans-IO state machines.
//!
//! A protocol core is a plain struct: no threads, locks, sockets, sleeps or
//! clock reads. The socket layer (`core::socket`) owns one core per socket,
//! calls it under the socket lock with inputs (`handle_*`-style methods of
//! [`Protocol`]) and gets back [`Action`]s in an [`Actions`] buffer, which it
//! carries out after dropping the lock: writing to pipes, asking pipes for
//! their next message, completing user operations (aios). Time comes in as
//! `now` (milliseconds, the `nng_clock` base), randomness as a seed given
//! to the constructor.
//!
//! # The contract between the socket layer and a protocol core
//!
//! Pipes:
//! - [`Protocol::pipe_added`] is called once the transport has connected and
//!   the peer's protocol number was checked. Returning an error rejects the
//!   pipe (the socket closes it; e.g. pair0 already has a peer). A core that
//!   accepts the pipe usually emits [`Action::Recv`] for it at once.
//! - A pipe carries one outgoing message at a time: the core emits
//!   [`Action::Send`] only for a pipe that is idle (just added, or
//!   [`Protocol::pipe_sent`] was called since its last `Send`).
//! - A pipe delivers one incoming message per [`Action::Recv`]: the socket
//!   answers each with one [`Protocol::pipe_recv`] call. Not asking again
//!   is how a core applies back-pressure (the transport stops reading).
//! - [`Protocol::pipe_removed`] is called once for every accepted pipe, after
//!   which the core must not name that pipe again (actions for a removed pipe
//!   are ignored by the socket layer, so a race is harmless).
//!
//! User operations:
//! - [`Protocol::send`] and [`Protocol::recv`] start an operation identified
//!   by an [`OpId`] on a context ([`CtxId`] 0 is the socket itself). The core
//!   completes it exactly once with [`Action::SendDone`], [`Action::SendFailed`]
//!   (which hands the message back to the caller, as nng does on failure) or
//!   [`Action::RecvDone`], either at once or later.
//! - `wait == false` (zero timeout or `NNG_FLAG_NONBLOCK`) means the operation
//!   must complete now: if it cannot, fail it with `NNG_ETIMEDOUT` (the socket
//!   layer turns that into `NNG_EAGAIN` for non-blocking calls).
//! - Timeouts and cancellation come in through [`Protocol::cancel`]: if the
//!   core still holds the operation it completes it with the given error;
//!   otherwise it does nothing.
//! - [`Protocol::close`] fails every pending operation with `NNG_ECLOSED`.
//!
//! Timers: after every call the socket layer reads [`Protocol::poll_timeout`]
//! and calls [`Protocol::timeout`] once that time has come.
//!
//! Options: [`Protocol::options`] lists the protocol's options; the socket
//! layer checks name, type and access against it (one mechanism for every
//! option, see `core::options`) before calling [`Protocol::set_option`] or
//! [`Protocol::get_option`] with a value of the declared type. Options not
//! in the table fall through to the socket's generic options.
#![forbid(unsafe_code)]

use std::collections::VecDeque;

pub mod bus0;
pub(crate) mod kit;
pub mod pair0;
pub mod pair1;
pub mod pub0;
pub mod pull0;
pub mod push0;
pub mod rep0;
pub mod req0;
pub mod respondent0;
pub mod sub0;
pub mod surveyor0;
#[cfg(test)]
pub mod testing;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::{OptDesc, OptValue};

/// Milliseconds on the `nng_clock` time base.
pub type Time = u64;
/// A pipe id (1..0x7fffffff).
pub type PipeId = u32;
/// A context id; 0 is the socket's own (default) context.
pub type CtxId = u32;
/// Identifies one pending user operation (an aio), chosen by the socket layer.
pub type OpId = u64;

/// The socket's own context.
pub const SOCKET_CTX: CtxId = 0;

/// What a protocol core asks the socket layer to do.
#[derive(Debug)]
pub enum Action {
    /// Transmit `msg` (header then body) on an idle pipe.
    Send {
        /// Destination pipe.
        pipe: PipeId,
        /// The message; its header bytes go on the wire before the body.
        msg: Msg,
    },
    /// Read the next message from `pipe`.
    Recv {
        /// The pipe to read from.
        pipe: PipeId,
    },
    /// Close a pipe (e.g. malformed data from the peer).
    ClosePipe {
        /// The pipe to close.
        pipe: PipeId,
    },
    /// A user send completed: the message was consumed.
    SendDone {
        /// The operation.
        op: OpId,
    },
    /// A user send failed: the message goes back to the caller.
    SendFailed {
        /// The operation.
        op: OpId,
        /// Why.
        err: Error,
        /// The caller's message.
        msg: Msg,
    },
    /// A user receive completed.
    RecvDone {
        /// The operation.
        op: OpId,
        /// The message, or why there is none.
        result: Result<Msg>,
    },
}

/// The output buffer of a protocol core, drained by the socket layer.
pub type Actions = VecDeque<Action>;

/// Static identity of a protocol (reference WIRE.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtoInfo {
    /// Own protocol number, `major * 16 + minor` (e.g. 0x30 for req0).
    pub self_id: u16,
    /// Peer protocol number.
    pub peer_id: u16,
    /// Own protocol name (e.g. "req").
    pub self_name: &'static str,
    /// Peer protocol name (e.g. "rep").
    pub peer_name: &'static str,
    /// Raw mode.
    pub raw: bool,
}

/// A sans-IO protocol core. See the module docs for the contract.
///
/// Every method is called with the socket lock held: none may block, and
/// none can call back into the socket (they only append to `out`).
pub trait Protocol: Send + 'static {
    /// The protocol's identity.
    fn info(&self) -> ProtoInfo;

    /// Appends the core's own counters to the statistics snapshot of its
    /// socket (`nng_stats_get`). Default: none.
    fn proto_stats(&self, _out: &mut Vec<crate::core::stats::ProtoStat>) {}

    /// A pipe was connected; return an error to reject it.
    fn pipe_added(&mut self, pipe: PipeId, now: Time, out: &mut Actions) -> Result<()>;
    /// A pipe is gone (closed by either side).
    fn pipe_removed(&mut self, pipe: PipeId, now: Time, out: &mut Actions);
    /// The pipe finished the last `Send` and is idle again.
    fn pipe_sent(&mut self, pipe: PipeId, now: Time, out: &mut Actions);
    /// A message arrived on a pipe (answering an `Action::Recv`). The socket
    /// layer has recorded the pipe id on the message (`Msg::pipe`).
    fn pipe_recv(&mut self, pipe: PipeId, msg: Msg, now: Time, out: &mut Actions);

    /// Starts a user send of `msg` on context `ctx`.
    fn send(&mut self, ctx: CtxId, op: OpId, msg: Msg, wait: bool, now: Time, out: &mut Actions);
    /// Starts a user receive on context `ctx`.
    fn recv(&mut self, ctx: CtxId, op: OpId, wait: bool, now: Time, out: &mut Actions);
    /// Cancels a pending operation with `err` (timeout, `nng_aio_cancel`).
    fn cancel(&mut self, op: OpId, err: Error, out: &mut Actions);

    /// The next time [`Protocol::timeout`] must be called, if any.
    fn poll_timeout(&self) -> Option<Time> {
        None
    }
    /// Time has reached the deadline from [`Protocol::poll_timeout`].
    fn timeout(&mut self, _now: Time, _out: &mut Actions) {}

    /// Opens a context (`NNG_ENOTSUP` for protocols without contexts).
    fn ctx_open(&mut self, _ctx: CtxId) -> Result<()> {
        Err(Error::NotSup)
    }
    /// Closes a context: its pending operations fail with `NNG_ECLOSED`.
    fn ctx_close(&mut self, _ctx: CtxId, _out: &mut Actions) {}

    /// The protocol's own options (socket and context).
    fn options(&self) -> &'static [OptDesc] {
        &[]
    }
    /// Sets an option from [`Protocol::options`]; the value has the declared type.
    fn set_option(&mut self, _ctx: CtxId, _name: &str, _val: &OptValue) -> Result<()> {
        Err(Error::NotSup)
    }
    /// Reads an option from [`Protocol::options`].
    fn get_option(&self, _ctx: CtxId, _name: &str) -> Result<OptValue> {
        Err(Error::NotSup)
    }

    /// Whether the core reads the `now` argument of its calls (it has
    /// timers). `false` lets the socket skip reading the clock for every
    /// message. Constant for the life of the core.
    fn uses_clock(&self) -> bool {
        true
    }

    /// Whether the protocol receives at all (upstream's `NNI_PROTO_FLAG_RCV`).
    /// `false` (pub, push): receives fail with `NNG_ENOTSUP`, and so does
    /// `NNG_OPT_RECVFD`. Constant for the life of the core.
    fn receives(&self) -> bool {
        true
    }
    /// Whether the protocol sends at all (upstream's `NNI_PROTO_FLAG_SND`).
    /// `false` (sub, pull): sends fail with `NNG_ENOTSUP`, and so does
    /// `NNG_OPT_SENDFD`. Constant for the life of the core.
    fn sends(&self) -> bool {
        true
    }

    /// Whether a receive on the socket would complete now (`NNG_OPT_RECVFD`).
    fn can_recv(&self) -> bool;
    /// Whether a send on the socket would complete now (`NNG_OPT_SENDFD`).
    fn can_send(&self) -> bool;

    /// The socket is closing: fail every pending operation with `NNG_ECLOSED`.
    fn close(&mut self, out: &mut Actions);
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn only_protocols_without_timers_skip_the_clock() {
        // Resends and survey deadlines need the time they are given.
        assert!(req0::Socket::new(false, 1).uses_clock());
        assert!(surveyor0::Socket::new(false, 1).uses_clock());
        // Pipelines, pairs and fan-out never look at it.
        assert!(!pair1::Socket::new(false, 1).uses_clock());
        assert!(!pair1::Socket::new_poly(1).uses_clock());
        assert!(!push0::Socket::new(false, 1).uses_clock());
        assert!(!pull0::Socket::new(false, 1).uses_clock());
        assert!(!rep0::Socket::new(false, 1).uses_clock());
    }
}
