//! The byte-stream objects behind `nng_stream_*`: the plain tcp/ipc
//! streams of [`super::bytestream`], or the WebSocket streams (`ws`, `ws4`,
//! `ws6`, `wss`, `wss4`, `wss6`) and plain TLS streams (`tls+tcp`,
//! `tls+tcp4`, `tls+tcp6`) of [`super::ws`], behind one API.
//!
//! A TLS stream moves bytes as they come (a receive takes what has been
//! decrypted, up to the iov's size); its dial or accept completes once the
//! TLS handshake is done.
//!
//! A WebSocket stream sends each `nng_stream_send` as one WebSocket message
//! (BINARY frames, or TEXT with `NNG_OPT_WS_SEND_TEXT`, fragmented at
//! `NNG_OPT_WS_SENDMAXFRAME`), and a receive takes as much of the next
//! message as fits the iov (the rest stays for the next receive). TEXT
//! frames are accepted only with `NNG_OPT_WS_RECV_TEXT`. No subprotocol is
//! asked for or served unless `NNG_OPT_WS_PROTOCOL` is set.

use std::sync::{Arc, Mutex, OnceLock};

use super::bytestream;
use super::ws::{WsConn, WsDialer, WsListener};
use crate::core::aio::Aio;
use crate::core::error::{Error, Result};
use crate::core::options::OptValue;
use crate::runtime::sync::lock;

/// Hands a new stream to the aio that waited for it.
pub type Deliver = fn(&Aio, Stream);

/// The C boundary's deliver function, for plain streams (whose dialers and
/// listeners take a plain function of their own stream type).
static DELIVER: OnceLock<Deliver> = OnceLock::new();

fn deliver_plain(aio: &Aio, s: bytestream::Stream) {
    match DELIVER.get() {
        Some(d) => d(aio, Stream::Plain(s)),
        None => aio.finish_err(Error::Internal),
    }
}

fn is_ws(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(s, _)| s);
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "ws" | "ws4" | "ws6" | "wss" | "wss4" | "wss6" | "tls+tcp" | "tls+tcp4" | "tls+tcp6"
    )
}

/// A connected byte stream. Dropping it closes it.
pub enum Stream {
    /// tcp, ipc, tls.
    Plain(bytestream::Stream),
    /// WebSocket.
    Ws(Arc<WsConn>),
}

impl Stream {
    /// Receives into the aio's iov.
    pub fn recv(&self, aio: &Aio) {
        match self {
            Stream::Plain(s) => s.recv(aio),
            Stream::Ws(c) => c.stream_recv(aio),
        }
    }

    /// Sends the aio's iov.
    pub fn send(&self, aio: &Aio) {
        match self {
            Stream::Plain(s) => s.send(aio),
            Stream::Ws(c) => c.stream_send(aio),
        }
    }

    /// Closes the stream.
    pub fn close(&self) {
        match self {
            Stream::Plain(s) => s.close(),
            Stream::Ws(c) => c.close_with(Error::Closed),
        }
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        match self {
            Stream::Plain(s) => s.get_option(name),
            Stream::Ws(c) => c.option(name),
        }
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        match self {
            Stream::Plain(s) => s.set_option(name, val),
            Stream::Ws(c) => c.set_option(name, val),
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if let Stream::Ws(c) = self {
            c.close_with(Error::Closed);
        }
    }
}

/// A pending WebSocket dial: its aio until finished, and the connection
/// once it exists (closed to cancel).
#[derive(Default)]
pub struct Pending {
    aio: Option<Aio>,
    conn: Option<Arc<WsConn>>,
}

/// A stream dialer.
pub enum Dialer {
    /// tcp, ipc, tls.
    Plain(bytestream::Dialer),
    /// WebSocket.
    Ws(Arc<WsDialer>, Mutex<Vec<Arc<Mutex<Pending>>>>),
}

impl Dialer {
    /// A dialer for `url`.
    pub fn new(url: &str) -> Result<Dialer> {
        if is_ws(url) {
            Ok(Dialer::Ws(
                Arc::new(WsDialer::new(url, false)?),
                Mutex::new(Vec::new()),
            ))
        } else {
            bytestream::Dialer::new(url).map(Dialer::Plain)
        }
    }

    /// Connects; the new stream goes to `deliver`.
    pub fn dial(&self, aio: &Aio, deliver: Deliver) {
        let _ = DELIVER.set(deliver);
        let (d, all) = match self {
            Dialer::Plain(d) => return d.dial(aio, deliver_plain),
            Dialer::Ws(d, all) => (d, all),
        };
        if !aio.begin() {
            return;
        }
        let p = Arc::new(Mutex::new(Pending {
            aio: Some(aio.clone()),
            conn: None,
        }));
        let pc = p.clone();
        let cancel = move |a: &Aio, reason: Error| {
            let (aio, conn) = {
                let mut g = lock(&pc);
                match &g.aio {
                    Some(x) if x.ptr_eq(a) => (g.aio.take(), g.conn.take()),
                    _ => (None, None),
                }
            };
            if let Some(c) = conn {
                c.close_with(Error::Closed);
            }
            if let Some(a) = aio {
                a.finish_err(reason);
            }
        };
        if let Err(e) = aio.schedule(Arc::new(cancel)) {
            aio.finish_err(e);
            return;
        }
        {
            let mut v = lock(all);
            v.retain(|x| lock(x).aio.is_some());
            v.push(p.clone());
        }
        let p1 = p.clone();
        let p2 = p;
        d.dial_hook(
            Box::new(move |r| {
                let aio = {
                    let mut g = lock(&p1);
                    g.conn = None;
                    g.aio.take()
                };
                match (aio, r) {
                    (Some(a), Ok(c)) => deliver(&a, Stream::Ws(c)),
                    (Some(a), Err(e)) => a.finish_err(e),
                    (None, Ok(c)) => c.close_with(Error::Closed),
                    (None, Err(_)) => {}
                }
            }),
            Box::new(move |c| {
                let mut g = lock(&p2);
                if g.aio.is_some() {
                    g.conn = Some(c);
                } else {
                    drop(g);
                    c.close_with(Error::Closed);
                }
            }),
        );
    }

    /// Closes: pending dials fail with `NNG_ECLOSED`.
    pub fn close(&self) {
        match self {
            Dialer::Plain(d) => d.close(),
            Dialer::Ws(d, all) => {
                d.close();
                let v = std::mem::take(&mut *lock(all));
                for p in v {
                    let (aio, conn) = {
                        let mut g = lock(&p);
                        (g.aio.take(), g.conn.take())
                    };
                    if let Some(c) = conn {
                        c.close_with(Error::Closed);
                    }
                    if let Some(a) = aio {
                        a.finish_err(Error::Closed);
                    }
                }
            }
        }
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        match self {
            Dialer::Plain(d) => d.get_option(name),
            Dialer::Ws(d, _) => d.get_option(name),
        }
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        match self {
            Dialer::Plain(d) => d.set_option(name, val),
            Dialer::Ws(d, _) => d.set_option(name, val),
        }
    }
}

impl Drop for Dialer {
    fn drop(&mut self) {
        if let Dialer::Ws(..) = self {
            self.close();
        }
    }
}

/// A stream listener.
pub enum Listener {
    /// tcp, ipc, tls.
    Plain(bytestream::Listener),
    /// WebSocket.
    Ws(Arc<WsListener>),
}

impl Listener {
    /// A listener for `url`.
    pub fn new(url: &str) -> Result<Listener> {
        if is_ws(url) {
            WsListener::new(url, false).map(Listener::Ws)
        } else {
            bytestream::Listener::new(url).map(Listener::Plain)
        }
    }

    /// Binds.
    pub fn listen(&self) -> Result<()> {
        match self {
            Listener::Plain(l) => l.listen(),
            Listener::Ws(l) => l.listen(),
        }
    }

    /// Accepts one stream; it goes to `deliver`.
    pub fn accept(&self, aio: &Aio, deliver: Deliver) {
        let _ = DELIVER.set(deliver);
        let l = match self {
            Listener::Plain(l) => return l.accept(aio, deliver_plain),
            Listener::Ws(l) => l,
        };
        if !aio.begin() {
            return;
        }
        let slot: Arc<Mutex<Option<Aio>>> = Arc::new(Mutex::new(Some(aio.clone())));
        let s1 = slot.clone();
        let cancel = move |a: &Aio, reason: Error| {
            let taken = {
                let mut g = lock(&s1);
                match &*g {
                    Some(x) if x.ptr_eq(a) => g.take(),
                    _ => None,
                }
            };
            if let Some(a) = taken {
                a.finish_err(reason);
            }
        };
        if let Err(e) = aio.schedule(Arc::new(cancel)) {
            aio.finish_err(e);
            return;
        }
        l.accept(Box::new(move |r| {
            let aio = lock(&slot).take();
            match (aio, r) {
                (Some(a), Ok(c)) => deliver(&a, Stream::Ws(c)),
                (Some(a), Err(e)) => a.finish_err(e),
                (None, Ok(c)) => c.close_with(Error::Closed),
                (None, Err(_)) => {}
            }
        }));
    }

    /// Closes.
    pub fn close(&self) {
        match self {
            Listener::Plain(l) => l.close(),
            Listener::Ws(l) => l.close(),
        }
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        match self {
            Listener::Plain(l) => l.get_option(name),
            Listener::Ws(l) => l.get_option(name),
        }
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        match self {
            Listener::Plain(l) => l.set_option(name, val),
            Listener::Ws(l) => l.set_option(name, val),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Listener::Ws(l) = self {
            l.close();
        }
    }
}
