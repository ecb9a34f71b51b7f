//! Transports: inproc, tcp (`tcp`, `tcp4`, `tcp6`), tls (`tls+tcp`, ...),
//! ipc (`ipc`, `unix`, `abstract`), socket (`socket://`, listener only), and
//! websocket ([`ws`]: `ws`, `ws4`, `ws6`, `wss`, `wss4`, `wss6`).
//!
//! The stream transports share their wire codecs ([`sp`]: the SP header and
//! framing, sans-IO) and their connection machinery ([`stream`]: header
//! exchange, framed pipe, dialer and listener halves over the runtime's
//! reactor).
//!
//! A transport turns a URL into dialers and listeners that produce
//! connected pipes ([`TranPipe`]). Transports know nothing of protocols:
//! a pipe moves whole messages (header bytes then body on the wire) and
//! reports what happens through [`PipeEvents`].
//!
//! # Contract of a pipe
//!
//! - Messages travel in wire form: the sender's header bytes go before its
//!   body, and a received message has everything in its body (empty
//!   header); the protocol parses its own header out of the body.
//! - [`TranPipe::send`] is called with at most one message in flight; the
//!   transport calls [`PipeEvents::sent`] once it can take the next one (it
//!   may do so before the bytes reach the peer, e.g. after queueing them).
//! - [`TranPipe::recv`] arms the delivery of exactly one message through
//!   [`PipeEvents::received`]. Without an armed receive the transport stops
//!   reading (back-pressure).
//! - [`PipeEvents::closed`] is called exactly once, after which no other
//!   event comes. [`TranPipe::close`] may be called any number of times.
//! - Events are never called while the transport holds a lock of its own,
//!   and may be called from inside `send`/`recv` (the socket layer copes).
//! - `send` and `recv` may come before [`TranPipe::start`] (the protocol
//!   acts on a pipe as soon as it is added): events due before then are
//!   kept and delivered once `start` has the [`PipeEvents`].

use std::sync::Arc;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;

pub mod bytestream;
pub mod inproc;
pub mod ipc;
pub mod socket;
pub mod sp;
pub mod stream;
pub mod tcp;
pub mod ws;
pub mod ws_codec;
pub mod ws_stream;

/// What a pipe tells the socket layer.
pub trait PipeEvents: Send + Sync {
    /// The last message was taken; the pipe can send another.
    fn sent(&self);
    /// A message arrived (answering one `recv`).
    fn received(&self, msg: Msg);
    /// The connection is gone.
    fn closed(&self);
}

/// What [`TranPipe::queue`] did with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Queued {
    /// The pipe can take another message now, and no `sent` event follows
    /// for this one (else `sent` follows).
    pub ready: bool,
    /// The caller must call [`TranPipe::flush`] once its lock is dropped.
    pub flush: bool,
}

/// A connected transport pipe.
pub trait TranPipe: Send + Sync {
    /// The peer's protocol number, from the connection handshake.
    fn peer(&self) -> u16;
    /// Starts delivering events to `events`.
    fn start(&self, events: Arc<dyn PipeEvents>);
    /// Transmits one message.
    fn send(&self, msg: Msg);
    /// Takes one message for a caller that holds its socket's lock: without
    /// blocking, calling back or making a system call. `Err` gives the
    /// message back when this pipe cannot (the caller then uses `send`).
    fn queue(&self, msg: Msg) -> std::result::Result<Queued, Msg> {
        Err(msg)
    }
    /// Starts the I/O that [`TranPipe::queue`] left to do (a write on this
    /// thread, or waking the poller). Called with no lock held.
    fn flush(&self) {}
    /// Arms delivery of one incoming message.
    fn recv(&self);
    /// Closes the connection.
    fn close(&self);
    /// Reads a transport option of the pipe (`NNG_ENOTSUP` if unknown).
    fn get_option(&self, _name: &str) -> Result<OptValue> {
        Err(Error::NotSup)
    }
}

/// Callback receiving the outcome of a connect or accept.
pub type PipeCallback = Box<dyn FnOnce(Result<Box<dyn TranPipe>>) + Send>;

/// Protocol facts a transport needs for its handshake.
#[derive(Debug, Clone, Copy)]
pub struct SockInfo {
    /// Own protocol number.
    pub proto: u16,
    /// Expected peer protocol number.
    pub peer: u16,
}

/// A transport endpoint that connects (one connection at a time).
pub trait TranDialer: Send + Sync {
    /// Starts one connection attempt; `done` is called exactly once.
    fn connect(&self, done: PipeCallback);
    /// Stops: a pending attempt completes with `NNG_ECLOSED`.
    fn close(&self);
    /// Sets a transport option (`NNG_ENOTSUP` if unknown).
    fn set_option(&self, _name: &str, _val: &OptValue) -> Result<()> {
        Err(Error::NotSup)
    }
    /// Reads a transport option (`NNG_ENOTSUP` if unknown).
    fn get_option(&self, _name: &str) -> Result<OptValue> {
        Err(Error::NotSup)
    }
}

/// A transport endpoint that accepts connections.
pub trait TranListener: Send + Sync {
    /// Binds the address (called once, by `nng_listener_start`).
    fn bind(&self) -> Result<()>;
    /// Accepts the next connection; `done` is called exactly once.
    fn accept(&self, done: PipeCallback);
    /// Stops: a pending accept completes with `NNG_ECLOSED`; unbinds.
    fn close(&self);
    /// Sets a transport option (`NNG_ENOTSUP` if unknown).
    fn set_option(&self, _name: &str, _val: &OptValue) -> Result<()> {
        Err(Error::NotSup)
    }
    /// Reads a transport option (`NNG_ENOTSUP` if unknown).
    fn get_option(&self, _name: &str) -> Result<OptValue> {
        Err(Error::NotSup)
    }
}

/// Creates the transport dialer for a URL, by scheme (`NNG_ENOTSUP` for an
/// unknown scheme, `NNG_EADDRINVAL` for a malformed address).
pub fn dialer(url: &str, info: SockInfo) -> Result<Box<dyn TranDialer>> {
    match scheme(url)?.to_ascii_lowercase().as_str() {
        "inproc" => Ok(Box::new(inproc::Dialer::new(url, info)?)),
        "tcp" | "tcp4" | "tcp6" | "tls+tcp" | "tls+tcp4" | "tls+tcp6" => {
            Ok(Box::new(tcp::Dialer::new(url, info)?))
        }
        "ipc" | "unix" | "abstract" => Ok(Box::new(ipc::Dialer::new(url, info)?)),
        "ws" | "ws4" | "ws6" | "wss" | "wss4" | "wss6" => Ok(Box::new(ws::Dialer::new(url, info)?)),
        // socket:// only listens, as upstream.
        _ => Err(Error::NotSup),
    }
}

/// Creates the transport listener for a URL, by scheme.
pub fn listener(url: &str, info: SockInfo) -> Result<Box<dyn TranListener>> {
    match scheme(url)?.to_ascii_lowercase().as_str() {
        "inproc" => Ok(Box::new(inproc::Listener::new(url, info)?)),
        "tcp" | "tcp4" | "tcp6" | "tls+tcp" | "tls+tcp4" | "tls+tcp6" => {
            Ok(Box::new(tcp::Listener::new(url, info)?))
        }
        "ipc" | "unix" | "abstract" => Ok(Box::new(ipc::Listener::new(url, info)?)),
        "socket" => Ok(Box::new(socket::Listener::new(url, info)?)),
        "ws" | "ws4" | "ws6" | "wss" | "wss4" | "wss6" => {
            Ok(Box::new(ws::Listener::new(url, info)?))
        }
        _ => Err(Error::NotSup),
    }
}

/// The scheme of a URL; `NNG_EINVAL` if the URL does not parse (checked
/// before the scheme is looked up, as upstream).
fn scheme(url: &str) -> Result<&str> {
    crate::core::url::Url::parse(url)?;
    url.split_once("://").map(|(s, _)| s).ok_or(Error::Inval)
}
