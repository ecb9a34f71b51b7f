//! SP over WebSocket: `ws://`, `ws4://`, `ws6://`, `wss://`, `wss4://`,
//! `wss6://` (WIRE.md §5, §6), and the WebSocket connections behind the
//! byte-stream API for those schemes.
//!
//! # Design
//!
//! A [`WsConn`] is one TCP connection from its connect/accept to its close,
//! driven by the runtime's reactor (one edge-triggered registration) like
//! the tcp transport's connections, with its state under one mutex and
//! every callback (pipe events, dial completions, routing) made after the
//! mutex is released. Its phases: `Connecting` (client), `Handshake`
//! (optional TLS, then the HTTP upgrade), `Routing` (server: the request
//! waits for its listener's verdict), `Open` (frames), `Closed`.
//!
//! Bytes: one input buffer (the HTTP head, then frames, decoded in place by
//! [`super::ws_codec`]) and one output buffer written as far as the socket
//! takes it, the rest on the next writability edge. With TLS the same
//! buffers go through a rustls session. Whole messages (continuation
//! frames reassembled) wait in a queue until an armed receive takes one;
//! reading from the socket stops while one waits (back-pressure).
//!
//! Listeners on one address share one HTTP server ([`Server`]): it accepts,
//! reads each request head, and hands it to the listener registered for
//! the request path (else answers 404). The listener checks the upgrade
//! request as upstream does (status codes in WIRE.md §5.1) and answers 101
//! or an error (the connection then closes after the answer).
//!
//! The WebSocket handshake has [`NEGO_TIMEOUT_MS`] to finish.

use std::collections::VecDeque;
use std::io::{self, IoSlice, Write as _};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::stream::{EpOpts, BACKLOG, FLOOD_GAP_NS, NEGO_TIMEOUT_MS, TX_SOFT_LIMIT};
use super::tcp::{family_of, get_tls_option, set_tls_option};
use super::ws_codec::{self as codec, HttpHead};
use super::{PipeCallback, PipeEvents, SockInfo, TranDialer, TranListener, TranPipe};
use crate::core::aio::Aio;
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::core::url::{self, Url};
use crate::runtime::clock::NEVER;
use crate::runtime::reactor::{
    self, Handler, Interest, Ready, ReadyGuard, ReadyMutex, Registration,
};
use crate::runtime::resolver::{self, Query};
use crate::runtime::sync::lock;
use crate::runtime::sys::{self, Family, RawAddr};
use crate::runtime::taskq;
use crate::runtime::timer::Timer;
use crate::supplemental::platform::random_u32;
use crate::supplemental::tls::{self as tlscfg, Config as TlsConfig, Mode};

/// Default largest frame received (`NNG_OPT_WS_RECVMAXFRAME`).
pub const DEF_MAXRXFRAME: usize = 1 << 20;
/// Default largest frame sent (`NNG_OPT_WS_SENDMAXFRAME`).
pub const DEF_MAXTXFRAME: usize = 1 << 16;
/// Most bytes one read takes from the socket.
const READ_CHUNK: usize = 65536;

/// Messages smaller than this sent in a flood are written by the poller in
/// batches; larger ones by their sender.
const FLOOD_MIN: usize = 16 * 1024;

/// Bytes of randomness drawn at a time for masking keys (64 keys).
const MASK_POOL: usize = 256;

/// Default message limit of a stand-alone WebSocket (`NNG_OPT_RECVMAXSZ`).
pub const DEF_RECVMAX: usize = 1 << 20;

/// The SP protocol name of a protocol number (WIRE.md §1).
pub fn proto_name(p: u16) -> Option<&'static str> {
    Some(match p {
        0x10 => "pair",
        0x11 => "pair1",
        0x20 => "pub",
        0x21 => "sub",
        0x30 => "req",
        0x31 => "rep",
        0x50 => "push",
        0x51 => "pull",
        0x62 => "surveyor",
        0x63 => "respondent",
        0x70 => "bus",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// URLs

/// Parses a ws/wss URL: the address family its scheme allows and whether
/// it is TLS (`NNG_ENOTSUP` for another scheme).
pub fn parse(raw: &str) -> Result<(Url, Family, bool)> {
    let url = Url::parse(raw)?;
    let (family, tls) = match url.scheme.as_str() {
        "ws" => (Family::Any, false),
        "ws4" => (Family::V4, false),
        "ws6" => (Family::V6, false),
        "wss" => (Family::Any, true),
        "wss4" => (Family::V4, true),
        "wss6" => (Family::V6, true),
        _ => return Err(Error::NotSup),
    };
    if url.userinfo.is_some() || url.fragment.is_some() {
        return Err(Error::AddrInval);
    }
    Ok((url, family, tls))
}

/// Parses a ws/wss URL, or a `tls+tcp` one for a plain TLS byte stream:
/// the URL, its address family, whether it is TLS, whether it is raw.
fn parse_any(raw: &str) -> Result<(Url, Family, bool, bool)> {
    let scheme = raw.split_once("://").map_or("", |(s, _)| s);
    if scheme.to_ascii_lowercase().starts_with("tls+tcp") {
        let (url, family, _) = super::tcp::parse(raw)?;
        if url.port_str().is_empty() {
            return Err(Error::AddrInval);
        }
        return Ok((url, family, true, true));
    }
    let (url, family, tls) = parse(raw)?;
    Ok((url, family, tls, false))
}

/// The path a listener serves, normalised (no trailing `/`; `""` for root).
fn norm_path(p: &str) -> &str {
    let p = p.split('?').next().unwrap_or("");
    p.trim_end_matches('/')
}

// ---------------------------------------------------------------------------
// Per-connection settings

/// Settings a connection takes from its endpoint.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest frame received (0: no limit).
    pub maxframe: usize,
    /// Largest frame sent; longer messages are fragmented (0: never).
    pub fragsize: usize,
    /// Largest message received (0: no limit; message mode only).
    pub recvmax: usize,
    /// Message mode (SP) rather than stream mode.
    pub msgmode: bool,
    /// Send TEXT frames.
    pub send_text: bool,
    /// Accept TEXT frames.
    pub recv_text: bool,
    /// A plain TLS byte stream (`tls+tcp` streams): no HTTP, no frames.
    pub raw: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            maxframe: DEF_MAXRXFRAME,
            fragsize: DEF_MAXTXFRAME,
            recvmax: DEF_RECVMAX,
            msgmode: false,
            send_text: false,
            recv_text: false,
            raw: false,
        }
    }
}

// ---------------------------------------------------------------------------
// TLS

/// The TLS session of a connection.
struct Tls {
    conn: rustls::Connection,
    cfg: Arc<TlsConfig>,
    name: rustls::pki_types::ServerName<'static>,
    err: Option<Error>,
}

/// `Read`/`Write` on a borrowed descriptor, for rustls.
struct FdIo<'a>(BorrowedFd<'a>);

impl io::Read for FdIo<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        sys::read(self.0, buf)
    }
}

impl io::Write for FdIo<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        sys::write_vectored(self.0, &[IoSlice::new(buf)])
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn io_err(e: Error) -> io::Error {
    io::Error::other(format!("{e:?}"))
}

fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

impl Tls {
    fn client(cfg: Arc<TlsConfig>, host: &str) -> Result<Tls> {
        let name = cfg.server_name().unwrap_or_else(|| host.to_owned());
        let name = rustls::pki_types::ServerName::try_from(name).map_err(|_| Error::AddrInval)?;
        let conn = rustls::ClientConnection::new(cfg.client()?, name.clone())
            .map_err(|e| tlscfg::map_error(&e))?;
        Ok(Tls {
            conn: conn.into(),
            cfg,
            name,
            err: None,
        })
    }

    fn server(cfg: Arc<TlsConfig>) -> Result<Tls> {
        let conn =
            rustls::ServerConnection::new(cfg.server()?).map_err(|e| tlscfg::map_error(&e))?;
        Ok(Tls {
            conn: conn.into(),
            cfg,
            name: rustls::pki_types::ServerName::try_from("localhost")
                .map_err(|_| Error::Internal)?,
            err: None,
        })
    }

    /// Writes the records rustls holds; `WouldBlock` if some remain.
    fn flush(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        while self.conn.wants_write() {
            self.conn.write_tls(&mut FdIo(fd))?;
        }
        Ok(())
    }

    fn read(&mut self, fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match io::Read::read(&mut self.conn.reader(), buf) {
                Ok(n) => return Ok(n),
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
            if self.conn.read_tls(&mut FdIo(fd))? == 0 {
                return Ok(0);
            }
            if let Err(e) = self.conn.process_new_packets() {
                let err = tlscfg::map_error(&e);
                self.err = Some(err);
                let _ = self.flush(fd);
                return Err(io_err(err));
            }
            match self.flush(fd) {
                Ok(()) => {}
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn write(&mut self, fd: BorrowedFd<'_>, data: &[u8]) -> io::Result<usize> {
        loop {
            self.flush(fd)?;
            let n = self.conn.writer().write(data)?;
            match self.flush(fd) {
                Ok(()) => {}
                Err(e) if would_block(&e) && n > 0 => return Ok(n),
                Err(e) => return Err(e),
            }
            if n > 0 || data.is_empty() {
                return Ok(n);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Connections

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Connecting,
    Handshake,
    Routing,
    Open,
    Closed,
}

/// Completion of a client handshake.
type Hook = Box<dyn FnOnce(Result<Arc<WsConn>>) + Send>;

/// What a client sends and checks in its handshake.
struct ClientHs {
    request: Vec<u8>,
    key: String,
    proto: Option<String>,
}

struct St {
    phase: Phase,
    tls: Option<Box<Tls>>,
    inbuf: Vec<u8>,
    tx: Vec<u8>,
    tx_off: usize,
    lim: Limits,
    /// The message being reassembled: opcode and bytes.
    frag: Option<(u8, Msg)>,
    rxq: VecDeque<Msg>,
    /// Bytes of the head message already consumed (stream mode).
    rx_off: usize,
    read_paused: bool,
    /// A close frame was queued.
    close_sent: bool,
    client: Option<ClientHs>,
    hook: Option<Hook>,
    req: Option<HttpHead>,
    res: Option<HttpHead>,
    /// After an HTTP error answer: close once it is written.
    close_after_tx: bool,
    // SP pipe
    events: Option<Arc<dyn PipeEvents>>,
    armed: bool,
    sent_owed: bool,
    closed_owed: bool,
    /// When the last message was queued (ns): sends closer than
    /// [`FLOOD_GAP_NS`] are a flood, written by the poller in batches.
    last_send: u64,
    /// The poller was asked to write the output (a flood).
    flush_sched: bool,
    // stream
    srx: VecDeque<Aio>,
    stx: VecDeque<(Aio, usize)>,
}

/// What to report once the lock is released.
#[derive(Default)]
struct Out {
    sent: bool,
    msgs: Vec<Msg>,
    closed: Option<Arc<dyn PipeEvents>>,
    hook: Option<(Hook, Result<()>)>,
    route: Option<HttpHead>,
    aios: Vec<(Aio, Result<()>, usize)>,
    /// The handshake is over (server: drop it from the pending list).
    forget: bool,
}

/// One WebSocket connection (see the module docs).
pub struct WsConn {
    fd: OwnedFd,
    reg: OnceLock<Registration>,
    st: ReadyMutex<St>,
    timer: OnceLock<Timer>,
    server: Option<Arc<Server>>,
    peer: AtomicU16,
    is_client: bool,
}

impl WsConn {
    fn lock(&self) -> ReadyGuard<'_, St> {
        self.st.lock(&self.reg, self.fd.as_fd())
    }

    fn new(fd: OwnedFd, server: Option<Arc<Server>>, phase: Phase, lim: Limits) -> Arc<WsConn> {
        let is_client = server.is_none();
        Arc::new(WsConn {
            fd,
            reg: OnceLock::new(),
            st: ReadyMutex::new(St {
                phase,
                tls: None,
                inbuf: Vec::new(),
                tx: Vec::new(),
                tx_off: 0,
                lim,
                frag: None,
                rxq: VecDeque::new(),
                rx_off: 0,
                read_paused: false,
                close_sent: false,
                client: None,
                hook: None,
                req: None,
                res: None,
                close_after_tx: false,
                events: None,
                armed: false,
                sent_owed: false,
                closed_owed: false,
                srx: VecDeque::new(),
                last_send: 0,
                flush_sched: false,
                stx: VecDeque::new(),
            }),
            timer: OnceLock::new(),
            server,
            peer: AtomicU16::new(0),
            is_client,
        })
    }

    /// Registers with the reactor and arms the handshake timeout.
    fn start(self: &Arc<Self>) -> Result<()> {
        let me = Arc::downgrade(self);
        let t = Timer::new(move || {
            if let Some(c) = me.upgrade() {
                let phase = c.lock().phase;
                if phase != Phase::Open && phase != Phase::Closed {
                    c.close_with(Error::TimedOut);
                }
            }
        });
        t.schedule_in(NEGO_TIMEOUT_MS);
        let _ = self.timer.set(t);
        let weak: Weak<dyn Handler> = Arc::downgrade(self) as Weak<dyn Handler>;
        let reg = reactor::register(self.fd.as_fd(), Interest::ReadWrite, weak)?;
        let _ = self.reg.set(reg);
        // Anything already readable (server) or a connect already done.
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase == Phase::Handshake {
                self.drive(&mut st, &mut out);
            }
        }
        self.finish(out);
        Ok(())
    }

    fn disarm_timer(&self) {
        if let Some(t) = self.timer.get() {
            t.schedule(NEVER);
        }
    }

    /// Closes with `err`: a pending dial hook gets it; a started pipe gets
    /// `closed`; waiting stream aios get `NNG_ECLOSED`.
    pub fn close_with(self: &Arc<Self>, err: Error) {
        let mut out = Out::default();
        self.close_locked(&mut self.lock(), &mut out, err, codec::CLOSE_NORMAL);
        self.finish(out);
    }

    fn close_locked(&self, st: &mut St, out: &mut Out, err: Error, code: u16) {
        if st.phase == Phase::Closed {
            return;
        }
        if st.phase == Phase::Open && st.lim.raw {
            if let Some(t) = st.tls.as_mut() {
                t.conn.send_close_notify();
            }
            let _ = self.flush(st);
        } else if st.phase == Phase::Open && !st.close_sent {
            self.queue_close(st, code);
            let _ = self.flush(st);
        } else if st.close_after_tx {
            let _ = self.flush(st);
        }
        st.phase = Phase::Closed;
        out.forget = true;
        sys::shutdown(self.fd.as_fd());
        if let Some(r) = self.reg.get() {
            r.deregister(self.fd.as_fd());
        }
        self.disarm_timer();
        if let Some(h) = st.hook.take() {
            out.hook = Some((h, Err(err)));
        }
        match st.events.clone() {
            Some(ev) => out.closed = Some(ev),
            None => st.closed_owed = true,
        }
        let e = if err == Error::ConnShut || err == Error::Closed {
            err
        } else {
            Error::Closed
        };
        for a in st.srx.drain(..) {
            out.aios.push((a, Err(e), 0));
        }
        for (a, _) in st.stx.drain(..) {
            out.aios.push((a, Err(e), 0));
        }
    }

    fn queue_close(&self, st: &mut St, code: u16) {
        st.close_sent = true;
        let mask = self.is_client.then(mask_key);
        codec::put_frame(
            &mut st.tx,
            true,
            codec::OP_CLOSE,
            &[&code.to_be_bytes()],
            mask,
        );
    }

    /// Reports what `out` collected; called without the lock.
    fn finish(self: &Arc<Self>, out: Out) {
        if out.forget {
            if let Some(s) = &self.server {
                s.forget(self);
            }
        }
        if let Some((h, r)) = out.hook {
            let me = self.clone();
            taskq::spawn(move || h(r.map(|()| me)));
        }
        if let Some(req) = out.route {
            if let Some(s) = &self.server {
                s.route(self, req);
            }
        }
        for (a, r, n) in out.aios {
            a.finish_with_count(r, n);
        }
        let ev = self.lock().events.clone();
        if let Some(ev) = ev {
            if out.sent {
                ev.sent();
            }
            for m in out.msgs {
                ev.received(m);
            }
        }
        if let Some(ev) = out.closed {
            taskq::spawn(move || ev.closed());
        }
    }

    // -- I/O ---------------------------------------------------------------

    /// Reads what is available (at most [`READ_CHUNK`] bytes) onto the end
    /// of the input buffer; `Ok(0)` at end of stream.
    fn io_read(&self, st: &mut St) -> io::Result<usize> {
        let fd = self.fd.as_fd();
        let len = st.inbuf.len();
        match st.tls.as_mut() {
            Some(t) => {
                // rustls writes into initialised bytes only.
                st.inbuf.resize(len + READ_CHUNK, 0);
                let r = t.read(fd, &mut st.inbuf[len..]);
                st.inbuf.truncate(len + *r.as_ref().unwrap_or(&0));
                r
            }
            None => {
                st.inbuf.reserve(READ_CHUNK);
                let spare = &mut st.inbuf.spare_capacity_mut()[..READ_CHUNK];
                let n = sys::read_uninit(fd, spare)?.len();
                // SAFETY: the read initialised the first `n` spare bytes,
                // which are within the capacity reserved above.
                unsafe { st.inbuf.set_len(len + n) };
                Ok(n)
            }
        }
    }

    /// Writes queued output as far as the socket takes it.
    fn flush(&self, st: &mut St) -> Result<()> {
        let fd = self.fd.as_fd();
        while st.tx_off < st.tx.len() {
            let data = &st.tx[st.tx_off..];
            let r = match st.tls.as_mut() {
                Some(t) => t.write(fd, data),
                None => sys::write_vectored(fd, &[IoSlice::new(data)]),
            };
            match r {
                Ok(n) => st.tx_off += n,
                Err(e) if would_block(&e) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(tls_error(st, e)),
            }
        }
        if st.tx_off == st.tx.len() {
            st.tx.clear();
            st.tx_off = 0;
        }
        if let Some(t) = st.tls.as_mut() {
            match t.flush(fd) {
                Ok(()) => {}
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(tls_error(st, e)),
            }
        }
        Ok(())
    }

    fn pending_tx(st: &St) -> usize {
        st.tx.len() - st.tx_off
    }

    /// Runs the connection as far as it goes: writes, reads, decodes,
    /// delivers.
    fn drive(&self, st: &mut St, out: &mut Out) {
        if let Err(e) = self.flush(st) {
            self.close_locked(st, out, e, codec::CLOSE_NORMAL);
            return;
        }
        if st.close_after_tx {
            if Self::pending_tx(st) == 0 {
                self.close_locked(st, out, Error::Closed, codec::CLOSE_NORMAL);
            }
            return;
        }
        loop {
            match st.phase {
                Phase::Closed | Phase::Routing | Phase::Connecting => return,
                Phase::Handshake => {
                    if self.handshake_step(st, out) {
                        continue;
                    }
                }
                Phase::Open => {
                    self.decode(st, out);
                    if st.phase != Phase::Open {
                        continue;
                    }
                    self.deliver(st, out);
                    if self.paused(st) {
                        st.read_paused = true;
                        break;
                    }
                }
            }
            match self.io_read(st) {
                Ok(0) => {
                    let e = if st.phase == Phase::Open {
                        Error::Closed
                    } else {
                        Error::ConnShut
                    };
                    self.close_locked(st, out, e, codec::CLOSE_NORMAL);
                    return;
                }
                Ok(_) => {}
                // A plain TLS stream may just have finished its handshake.
                Err(e)
                    if would_block(&e)
                        && st.phase == Phase::Handshake
                        && st.lim.raw
                        && Self::tls_done(st) => {}
                Err(e) if would_block(&e) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let e = tls_error(st, e);
                    self.close_locked(st, out, e, codec::CLOSE_NORMAL);
                    return;
                }
            }
        }
        st.read_paused = st.phase == Phase::Open && self.paused(st);
        if let Err(e) = self.flush(st) {
            self.close_locked(st, out, e, codec::CLOSE_NORMAL);
            return;
        }
        self.tx_progress(st, out);
    }

    /// Reports send progress once the output queue is short enough.
    fn tx_progress(&self, st: &mut St, out: &mut Out) {
        if Self::pending_tx(st) > TX_SOFT_LIMIT {
            return;
        }
        if st.sent_owed && st.events.is_some() {
            st.sent_owed = false;
            out.sent = true;
        }
        for (a, n) in st.stx.drain(..) {
            out.aios.push((a, Ok(()), n));
        }
    }

    fn paused(&self, st: &St) -> bool {
        if st.lim.msgmode {
            !(st.rxq.is_empty() || (st.armed && st.events.is_some()))
        } else {
            !st.rxq.is_empty() && st.srx.is_empty()
        }
    }

    /// Hands queued messages to armed receivers.
    fn deliver(&self, st: &mut St, out: &mut Out) {
        if st.lim.msgmode {
            if st.armed && st.events.is_some() {
                if let Some(m) = st.rxq.pop_front() {
                    st.armed = false;
                    out.msgs.push(m);
                }
            }
            return;
        }
        while !st.srx.is_empty() && !st.rxq.is_empty() {
            let aio = st.srx.pop_front().expect("checked");
            let head = st.rxq.front().expect("checked");
            let src = &head.body()[st.rx_off..];
            let n = aio.with_iov(|iov| {
                let mut done = 0;
                for v in iov {
                    if done == src.len() {
                        break;
                    }
                    let k = v.len.min(src.len() - done);
                    // SAFETY: the aio's owner keeps its iov buffers valid and
                    // writable until the aio completes (after this call);
                    // `k` bytes fit both the buffer and the source.
                    unsafe {
                        std::ptr::copy_nonoverlapping(src[done..].as_ptr(), v.buf, k);
                    }
                    done += k;
                }
                done
            });
            st.rx_off += n;
            if st.rx_off >= head.len() {
                st.rxq.pop_front();
                st.rx_off = 0;
            }
            out.aios.push((aio, Ok(()), n));
        }
    }

    /// Decodes every complete frame in the input buffer.
    fn decode(&self, st: &mut St, out: &mut Out) {
        if st.lim.raw {
            if !st.inbuf.is_empty() {
                st.rxq.push_back(Msg::from_slice(&st.inbuf));
                st.inbuf.clear();
            }
            return;
        }
        let mut pos = 0;
        let r = loop {
            let b = &st.inbuf[pos..];
            let h = match codec::parse_head(b) {
                Ok(Some(h)) => h,
                Ok(None) => break Ok(()),
                Err(code) => break Err(code),
            };
            // Servers take masked frames only, clients unmasked only.
            if h.mask.is_some() == self.is_client {
                break Err(codec::CLOSE_PROTOCOL);
            }
            let len = h.len as usize;
            if h.op < codec::OP_CLOSE {
                if st.lim.maxframe > 0 && h.len > st.lim.maxframe as u64 {
                    break Err(codec::CLOSE_TOO_BIG);
                }
                match (h.op, &st.frag) {
                    (codec::OP_CONT, None) => break Err(codec::CLOSE_PROTOCOL),
                    (codec::OP_TEXT | codec::OP_BINARY, Some(_)) => {
                        break Err(codec::CLOSE_PROTOCOL)
                    }
                    (codec::OP_TEXT, None) if !st.lim.recv_text => {
                        break Err(codec::CLOSE_UNSUPPORTED)
                    }
                    _ => {}
                }
                let have = st.frag.as_ref().map_or(0, |f| f.1.len());
                if st.lim.msgmode
                    && st.lim.recvmax > 0
                    && have as u64 + h.len > st.lim.recvmax as u64
                {
                    break Err(codec::CLOSE_TOO_BIG);
                }
            }
            if b.len() < h.hlen + len {
                break Ok(());
            }
            let data = pos + h.hlen..pos + h.hlen + len;
            pos += h.hlen + len;
            if h.op < codec::OP_CLOSE {
                // Data: straight from the input into the message (one copy),
                // unmasked in place.
                let bytes = &st.inbuf[data];
                let (m, off) = match st.frag.take() {
                    None => (Msg::from_slice(bytes), 0),
                    Some((_, mut m)) => {
                        let off = m.len();
                        if m.append(bytes).is_err() {
                            break Err(codec::CLOSE_TOO_BIG);
                        }
                        (m, off)
                    }
                };
                let mut m = m;
                if let Some(k) = h.mask {
                    codec::apply_mask(&mut m.body_mut()[off..], k, 0);
                }
                if h.fin {
                    st.rxq.push_back(m);
                } else {
                    let op = if off == 0 { h.op } else { codec::OP_BINARY };
                    st.frag = Some((op, m));
                }
                continue;
            }
            let mut payload = st.inbuf[data].to_vec();
            if let Some(k) = h.mask {
                codec::apply_mask(&mut payload, k, 0);
            }
            match h.op {
                codec::OP_PING => {
                    let mask = self.is_client.then(mask_key);
                    codec::put_frame(&mut st.tx, true, codec::OP_PONG, &[&payload], mask);
                }
                codec::OP_PONG => {}
                codec::OP_CLOSE => {
                    st.inbuf.clear();
                    if !st.close_sent {
                        self.queue_close(st, codec::CLOSE_NORMAL);
                    }
                    let _ = self.flush(st);
                    self.close_locked(st, out, Error::Closed, codec::CLOSE_NORMAL);
                    return;
                }
                _ => {}
            }
        };
        st.inbuf.drain(..pos);
        if let Err(code) = r {
            st.inbuf.clear();
            let err = if code == codec::CLOSE_TOO_BIG {
                Error::MsgSize
            } else {
                Error::Proto
            };
            self.close_locked(st, out, err, code);
        }
    }

    /// One handshake step on the buffered input; `true` if the phase moved
    /// on (so the caller processes again before reading).
    fn handshake_step(&self, st: &mut St, out: &mut Out) -> bool {
        if st.lim.raw {
            if !Self::tls_done(st) {
                return false;
            }
            if self.is_client {
                st.client = None;
                st.phase = Phase::Open;
                self.disarm_timer();
                if let Some(hook) = st.hook.take() {
                    out.hook = Some((hook, Ok(())));
                }
            } else {
                st.phase = Phase::Routing;
                out.route = Some(HttpHead::default());
            }
            return true;
        }
        let Some(end) = codec::head_end(&st.inbuf) else {
            if st.inbuf.len() > codec::MAX_HEAD {
                if self.is_client {
                    self.close_locked(st, out, Error::Proto, codec::CLOSE_NORMAL);
                } else {
                    self.reject_locked(st, out, 431);
                }
                return true;
            }
            return false;
        };
        let head = codec::parse_http(&st.inbuf[..end]);
        st.inbuf.drain(..end);
        if !self.is_client {
            match head {
                Some(h) => {
                    st.phase = Phase::Routing;
                    out.route = Some(h);
                }
                None => self.reject_locked(st, out, 400),
            }
            return true;
        }
        let r = match head {
            Some(h) => self.check_response(st, &h).map(|()| h),
            None => Err(Error::Proto),
        };
        match r {
            Ok(h) => {
                st.res = Some(h);
                st.client = None;
                st.phase = Phase::Open;
                self.disarm_timer();
                if let Some(hook) = st.hook.take() {
                    out.hook = Some((hook, Ok(())));
                }
            }
            Err(e) => self.close_locked(st, out, e, codec::CLOSE_PROTOCOL),
        }
        true
    }

    /// Whether the TLS handshake (if any) is over.
    fn tls_done(st: &St) -> bool {
        !st.tls.as_ref().is_some_and(|t| t.conn.is_handshaking())
    }

    fn check_response(&self, st: &St, h: &HttpHead) -> Result<()> {
        let status: u16 = h.second.parse().map_err(|_| Error::Proto)?;
        match status {
            101 => {}
            401 | 403 => return Err(Error::Perm),
            404 | 405 => return Err(Error::ConnRefused),
            _ => return Err(Error::Proto),
        }
        let hs = st.client.as_ref().ok_or(Error::Proto)?;
        let want = codec::accept_key(&hs.key).ok_or(Error::Proto)?;
        if h.get("Sec-WebSocket-Accept") != Some(want.as_str())
            || !h
                .get("Connection")
                .is_some_and(|v| codec::contains_word(v, "upgrade"))
            || !h
                .get("Upgrade")
                .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
        {
            return Err(Error::Proto);
        }
        match (h.get("Sec-WebSocket-Protocol"), hs.proto.as_deref()) {
            (Some(got), Some(ours)) if codec::contains_word(ours, got) => Ok(()),
            (None, None) => Ok(()),
            _ => Err(Error::Proto),
        }
    }

    /// Answers an HTTP error and closes once it is written.
    fn reject_locked(&self, st: &mut St, out: &mut Out, status: u16) {
        st.tx.extend_from_slice(&codec::error_response(status));
        st.close_after_tx = true;
        st.phase = Phase::Handshake;
        let _ = self.flush(st);
        if Self::pending_tx(st) == 0 {
            self.close_locked(st, out, Error::Closed, codec::CLOSE_NORMAL);
        }
    }

    /// Server: answers the routed request with an HTTP error.
    fn reject(self: &Arc<Self>, status: u16) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase == Phase::Routing {
                self.reject_locked(&mut st, &mut out, status);
            }
        }
        self.finish(out);
    }

    /// Server: completes the upgrade with `res` (the 101 answer).
    fn upgrade(self: &Arc<Self>, req: HttpHead, res: HttpHead, lim: Limits, peer: u16) -> bool {
        self.peer.store(peer, Ordering::Relaxed);
        let mut out = Out::default();
        let ok = {
            let mut st = self.lock();
            if st.phase == Phase::Routing {
                if !lim.raw {
                    let mut text = String::from("HTTP/1.1 101 Switching Protocols\r\n");
                    text.push_str(&res.header_text());
                    text.push_str("\r\n");
                    st.tx.extend_from_slice(text.as_bytes());
                }
                st.req = Some(req);
                st.res = Some(res);
                st.lim = lim;
                st.phase = Phase::Open;
                out.forget = true;
                self.disarm_timer();
                self.drive(&mut st, &mut out);
                st.phase == Phase::Open
            } else {
                false
            }
        };
        self.finish(out);
        ok
    }

    fn connect_done(self: &Arc<Self>) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase != Phase::Connecting {
                return;
            }
            match sys::take_error(self.fd.as_fd()) {
                Ok(0) => {
                    st.phase = Phase::Handshake;
                    let req = st.client.as_ref().map(|c| c.request.clone());
                    if let Some(r) = req {
                        st.tx.extend_from_slice(&r);
                    }
                    self.drive(&mut st, &mut out);
                }
                Ok(libc::EINPROGRESS) => {}
                Ok(e) => self.close_locked(&mut st, &mut out, Error::from_errno(e), 0),
                Err(e) => self.close_locked(&mut st, &mut out, e.into(), 0),
            }
        }
        self.finish(out);
    }

    // -- message operations -----------------------------------------------

    /// Queues one message (as one or more frames).
    fn queue_msg(&self, st: &mut St, parts: &[&[u8]], text: bool) {
        if st.lim.raw {
            for p in parts {
                st.tx.extend_from_slice(p);
            }
            return;
        }
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let op = if text {
            codec::OP_TEXT
        } else {
            codec::OP_BINARY
        };
        let frag = if st.lim.fragsize == 0 {
            total.max(1)
        } else {
            st.lim.fragsize
        };
        if total <= frag {
            let mask = self.is_client.then(mask_key);
            codec::put_frame(&mut st.tx, true, op, parts, mask);
            return;
        }
        // Frames of `frag` bytes taken across the parts (no joined copy).
        st.tx.reserve(total + (total / frag + 1) * 14);
        let (mut pi, mut po) = (0usize, 0usize);
        let mut sent = 0;
        while sent < total {
            let n = frag.min(total - sent);
            let fin = sent + n == total;
            let mask = self.is_client.then(mask_key);
            let o = if sent == 0 { op } else { codec::OP_CONT };
            codec::put_head(&mut st.tx, fin, o, n, mask);
            let start = st.tx.len();
            let mut need = n;
            while need > 0 {
                let p = &parts[pi][po..];
                let k = p.len().min(need);
                st.tx.extend_from_slice(&p[..k]);
                need -= k;
                po += k;
                if po == parts[pi].len() {
                    pi += 1;
                    po = 0;
                }
            }
            if let Some(key) = mask {
                codec::apply_mask(&mut st.tx[start..], key, 0);
            }
            sent += n;
        }
    }

    fn pipe_send(self: &Arc<Self>, msg: Msg) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase != Phase::Open {
                return;
            }
            let small = msg.header().len() + msg.body().len() < FLOOD_MIN;
            self.queue_msg(&mut st, &[msg.header(), msg.body()], false);
            st.sent_owed = true;
            drop(msg);
            let now = crate::runtime::clock::now_ns();
            let flood = small && now.wrapping_sub(st.last_send) < FLOOD_GAP_NS;
            st.last_send = now;
            if flood && (st.flush_sched || self.reg.get().is_some_and(|r| r.rearm(self.fd.as_fd())))
            {
                // Sends come faster than one write each: the poller (woken
                // by re-arming the registration) writes them together, many
                // frames (and with TLS one record) per write, while this
                // thread goes on producing.
                st.flush_sched = true;
                self.tx_progress(&mut st, &mut out);
            } else if let Err(e) = self.flush(&mut st) {
                self.close_locked(&mut st, &mut out, e, codec::CLOSE_NORMAL);
            } else {
                self.tx_progress(&mut st, &mut out);
            }
        }
        self.finish(out);
    }

    fn pipe_recv(self: &Arc<Self>) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            st.armed = true;
            if st.phase == Phase::Open && st.events.is_some() {
                self.deliver(&mut st, &mut out);
                if st.read_paused && st.armed {
                    st.read_paused = false;
                    self.drive(&mut st, &mut out);
                }
            }
        }
        self.finish(out);
    }

    fn pipe_start(self: &Arc<Self>, events: Arc<dyn PipeEvents>) {
        let mut out = Out::default();
        {
            let mut st = self.lock();
            st.events = Some(events.clone());
            if st.closed_owed {
                st.closed_owed = false;
                out.closed = Some(events);
            } else if st.phase == Phase::Open {
                self.tx_progress(&mut st, &mut out);
                self.deliver(&mut st, &mut out);
                if st.read_paused && !self.paused(&st) {
                    st.read_paused = false;
                    self.drive(&mut st, &mut out);
                }
            }
        }
        self.finish(out);
    }

    /// Stream receive: copies from the next message into the aio's iov.
    pub fn stream_recv(self: &Arc<Self>, aio: &Aio) {
        if !aio.begin() {
            return;
        }
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase != Phase::Open {
                drop(st);
                aio.finish_err(Error::Closed);
                return;
            }
            if let Err(e) = aio.schedule(self.canceller(false)) {
                drop(st);
                aio.finish_err(e);
                return;
            }
            st.srx.push_back(aio.clone());
            self.deliver(&mut st, &mut out);
            if st.read_paused && !self.paused(&st) {
                st.read_paused = false;
                self.drive(&mut st, &mut out);
            }
        }
        self.finish(out);
    }

    /// Stream send: the aio's iov goes out as one message.
    pub fn stream_send(self: &Arc<Self>, aio: &Aio) {
        if !aio.begin() {
            return;
        }
        let data: Vec<u8> = aio.with_iov(|iov| {
            let mut v = Vec::new();
            for i in iov {
                if i.len > 0 {
                    // SAFETY: the aio's owner keeps its iov buffers valid
                    // until the aio completes (after this call).
                    v.extend_from_slice(unsafe { std::slice::from_raw_parts(i.buf, i.len) });
                }
            }
            v
        });
        let mut out = Out::default();
        {
            let mut st = self.lock();
            if st.phase != Phase::Open {
                drop(st);
                aio.finish_err(Error::Closed);
                return;
            }
            if let Err(e) = aio.schedule(self.canceller(true)) {
                drop(st);
                aio.finish_err(e);
                return;
            }
            let text = st.lim.send_text;
            self.queue_msg(&mut st, &[&data], text);
            st.stx.push_back((aio.clone(), data.len()));
            if let Err(e) = self.flush(&mut st) {
                self.close_locked(&mut st, &mut out, e, codec::CLOSE_NORMAL);
            } else {
                self.tx_progress(&mut st, &mut out);
            }
        }
        self.finish(out);
    }

    fn canceller(self: &Arc<Self>, tx: bool) -> Arc<dyn crate::core::aio::Cancel> {
        let me = Arc::downgrade(self);
        Arc::new(move |a: &Aio, reason: Error| {
            let Some(me) = me.upgrade() else { return };
            let found = {
                let mut st = me.lock();
                if tx {
                    let i = st.stx.iter().position(|x| x.0.ptr_eq(a));
                    i.and_then(|i| st.stx.remove(i)).map(|x| x.0)
                } else {
                    let i = st.srx.iter().position(|x| x.ptr_eq(a));
                    i.and_then(|i| st.srx.remove(i))
                }
            };
            if let Some(a) = found {
                a.finish_err(reason);
            }
        })
    }

    // -- options -------------------------------------------------------------

    /// Reads an option of the connection (pipe or stream).
    pub fn option(&self, name: &str) -> Result<OptValue> {
        let fd = self.fd.as_fd();
        let st = self.lock();
        if st.lim.raw && name.starts_with("ws:") {
            return Err(Error::NotSup);
        }
        let inet = |a: RawAddr| {
            a.to_inet()
                .map(|a| OptValue::Addr(SockAddr::from(a)))
                .ok_or(Error::Inval)
        };
        let hdrs = |h: &Option<HttpHead>| h.as_ref().map(|h| h.header_text()).unwrap_or_default();
        match name {
            "local-address" => inet(sys::local_addr(fd)?),
            "remote-address" => inet(sys::peer_addr(fd)?),
            "tcp-nodelay" => Ok(OptValue::Bool(sys::tcp_nodelay(fd)?)),
            "tcp-keepalive" => Ok(OptValue::Bool(sys::keepalive(fd)?)),
            "ws:request-headers" => Ok(OptValue::Str(hdrs(&st.req))),
            "ws:response-headers" => Ok(OptValue::Str(hdrs(&st.res))),
            "ws:request-uri" => Ok(OptValue::Str(
                st.req
                    .as_ref()
                    .map(|r| r.second.clone())
                    .unwrap_or_default(),
            )),
            "ws:recv-text" => Ok(OptValue::Bool(st.lim.recv_text)),
            "ws:send-text" => Ok(OptValue::Bool(st.lim.send_text)),
            "tls-verified" => {
                let t = st.tls.as_ref().ok_or(Error::NotSup)?;
                let chain = t.conn.peer_certificates().unwrap_or(&[]);
                Ok(OptValue::Bool(t.cfg.verify_peer(chain, &t.name)))
            }
            "tls-peer-cn" => {
                let t = st.tls.as_ref().ok_or(Error::NotSup)?;
                let leaf = t
                    .conn
                    .peer_certificates()
                    .and_then(|c| c.first())
                    .ok_or(Error::NoEnt)?;
                tlscfg::subject_cn(leaf)
                    .map(OptValue::Str)
                    .ok_or(Error::NoEnt)
            }
            _ => {
                if let Some(n) = name.strip_prefix("ws:request-header:") {
                    let h = st.req.as_ref().and_then(|r| r.get(n)).ok_or(Error::NoEnt)?;
                    return Ok(OptValue::Str(h.to_owned()));
                }
                if let Some(n) = name.strip_prefix("ws:response-header:") {
                    let h = st.res.as_ref().and_then(|r| r.get(n)).ok_or(Error::NoEnt)?;
                    return Ok(OptValue::Str(h.to_owned()));
                }
                Err(Error::NotSup)
            }
        }
    }

    /// Sets an option of the connection (stream).
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let fd = self.fd.as_fd();
        match name {
            "tcp-nodelay" => Ok(sys::set_int_opt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                i32::from(val.as_bool()?),
            )?),
            "tcp-keepalive" => Ok(sys::set_int_opt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_KEEPALIVE,
                i32::from(val.as_bool()?),
            )?),
            "local-address"
            | "remote-address"
            | "ws:request-headers"
            | "ws:response-headers"
            | "ws:request-uri"
            | "ws:recv-text"
            | "ws:send-text"
            | "tls-verified"
            | "tls-peer-cn" => Err(Error::ReadOnly),
            n if n.starts_with("ws:request-header:") || n.starts_with("ws:response-header:") => {
                Err(Error::ReadOnly)
            }
            _ => Err(Error::NotSup),
        }
    }
}

fn tls_error(st: &mut St, e: io::Error) -> Error {
    st.tls
        .as_mut()
        .and_then(|t| t.err.take())
        .unwrap_or_else(|| match e.raw_os_error() {
            Some(libc::EPIPE) | Some(libc::ECONNRESET) => Error::ConnShut,
            _ => e.into(),
        })
}

/// A client frame's masking key: unpredictable (RFC 6455 §5.3), from the
/// kernel's CSPRNG, drawn in blocks of [`MASK_POOL`] bytes per thread so a
/// flood of small messages does not make one `getrandom(2)` call each.
fn mask_key() -> [u8; 4] {
    thread_local! {
        static POOL: std::cell::RefCell<([u8; MASK_POOL], usize)> =
            const { std::cell::RefCell::new(([0; MASK_POOL], MASK_POOL)) };
    }
    POOL.with(|p| {
        let (pool, used) = &mut *p.borrow_mut();
        if *used + 4 > MASK_POOL {
            let mut got = 0;
            while got < MASK_POOL {
                // SAFETY: the pointer and length describe the unfilled
                // tail of `pool`, which is borrowed mutably here.
                let n =
                    unsafe { libc::getrandom(pool[got..].as_mut_ptr().cast(), MASK_POOL - got, 0) };
                if n > 0 {
                    got += n as usize;
                } else if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    // No entropy source: one key at a time as before
                    // (random_u32 has a fallback).
                    return random_u32().to_ne_bytes();
                }
            }
            *used = 0;
        }
        let k = [
            pool[*used],
            pool[*used + 1],
            pool[*used + 2],
            pool[*used + 3],
        ];
        *used += 4;
        k
    })
}

impl Handler for WsConn {
    fn ready(self: Arc<Self>, ev: Ready) {
        let Some(mut st) = self.st.lock_ready(&self.reg, self.fd.as_fd()) else {
            return;
        };
        if ev.writable() && st.phase == Phase::Connecting {
            drop(st);
            self.connect_done();
            return;
        }
        if st.phase == Phase::Closed {
            return;
        }
        let mut out = Out::default();
        st.flush_sched = false;
        if st.read_paused && !ev.hup() {
            // Only output may progress until a receive is armed.
            if let Err(e) = self.flush(&mut st) {
                self.close_locked(&mut st, &mut out, e, codec::CLOSE_NORMAL);
            } else {
                self.tx_progress(&mut st, &mut out);
            }
        } else {
            self.drive(&mut st, &mut out);
        }
        drop(st);
        self.finish(out);
    }
}

impl Drop for WsConn {
    fn drop(&mut self) {
        if let Some(r) = self.reg.get() {
            r.deregister(self.fd.as_fd());
        }
    }
}

// ---------------------------------------------------------------------------
// Endpoint configuration

/// Settings of a dialer or listener (shared by SP and stream endpoints).
struct EpCfg {
    opts: Arc<EpOpts>,
    proto: Option<String>,
    headers: Vec<(String, String)>,
    maxframe: usize,
    fragsize: usize,
    msgmode: bool,
    send_text: bool,
    recv_text: bool,
    raw: bool,
}

impl EpCfg {
    fn new(tls: bool, mode: Mode, msgmode: bool) -> EpCfg {
        let opts = EpOpts::default();
        if tls {
            *lock(&opts.tls) = Some(TlsConfig::new(mode));
        }
        opts.rcvmax
            .store(if msgmode { 0 } else { DEF_RECVMAX }, Ordering::Relaxed);
        EpCfg {
            opts: Arc::new(opts),
            proto: None,
            headers: Vec::new(),
            maxframe: DEF_MAXRXFRAME,
            fragsize: DEF_MAXTXFRAME,
            msgmode,
            send_text: false,
            recv_text: false,
            raw: false,
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            maxframe: self.maxframe,
            fragsize: self.fragsize,
            recvmax: self.opts.rcvmax.load(Ordering::Relaxed),
            msgmode: self.msgmode,
            send_text: self.send_text,
            recv_text: self.recv_text,
            raw: self.raw,
        }
    }

    /// Sets a WebSocket option; `Ok(false)` if `name` is not one.
    /// `hdr_prefix`/`hdrs_name` name the header options this side sets.
    fn set(&mut self, name: &str, val: &OptValue, client: bool) -> Result<bool> {
        if self.raw && name.starts_with("ws:") {
            return Ok(false);
        }
        let (hdrs_name, hdr_prefix) = if client {
            ("ws:request-headers", "ws:request-header:")
        } else {
            ("ws:response-headers", "ws:response-header:")
        };
        let s = || match val {
            OptValue::Str(s) => Ok(s.clone()),
            _ => Err(Error::BadType),
        };
        match name {
            "ws:rxframe-max" => self.maxframe = val.as_size()?,
            "ws:txframe-max" => self.fragsize = val.as_size()?,
            "ws:protocol" => self.proto = Some(s()?),
            "ws:send-text" => self.send_text = val.as_bool()?,
            "ws:recv-text" => self.recv_text = val.as_bool()?,
            n if n == hdrs_name => {
                for (k, v) in codec::parse_header_lines(&s()?) {
                    codec::set_header(&mut self.headers, &k, &v);
                }
            }
            n if n.starts_with(hdr_prefix) => {
                let v = s()?;
                codec::set_header(&mut self.headers, &n[hdr_prefix.len()..], &v);
            }
            _ => return self.opts.set(name, val, true),
        }
        Ok(true)
    }

    fn get(&self, name: &str, client: bool) -> Option<Result<OptValue>> {
        if self.raw && name.starts_with("ws:") {
            return None;
        }
        let hdrs_name = if client {
            "ws:request-headers"
        } else {
            "ws:response-headers"
        };
        Some(Ok(match name {
            "ws:rxframe-max" => OptValue::Size(self.maxframe),
            "ws:txframe-max" => OptValue::Size(self.fragsize),
            "ws:protocol" => OptValue::Str(self.proto.clone().unwrap_or_default()),
            "ws:send-text" => OptValue::Bool(self.send_text),
            "ws:recv-text" => OptValue::Bool(self.recv_text),
            n if n == hdrs_name => return Some(Err(Error::WriteOnly)),
            n if n.starts_with(if client {
                "ws:request-header:"
            } else {
                "ws:response-header:"
            }) =>
            {
                return Some(Err(Error::WriteOnly))
            }
            _ => return self.opts.get(name, true).map(Ok),
        }))
    }
}

// ---------------------------------------------------------------------------
// Dialing

/// The client side of a ws/wss endpoint: makes connections.
pub struct WsDialer {
    url: Url,
    family: Family,
    cfg: Mutex<EpCfg>,
    /// Local address to bind before connecting (`NNG_OPT_LOCADDR`).
    src: Mutex<Option<SocketAddr>>,
    closed: AtomicBool,
}

impl WsDialer {
    /// A dialer for `url`; `msgmode` for SP use.
    pub fn new(raw: &str, msgmode: bool) -> Result<WsDialer> {
        let (url, family, tls, rawmode) = parse_any(raw)?;
        if url.hostname_str().is_empty() {
            return Err(Error::AddrInval);
        }
        let mut cfg = EpCfg::new(tls, Mode::Client, msgmode);
        cfg.raw = rawmode;
        Ok(WsDialer {
            url,
            family,
            cfg: Mutex::new(cfg),
            src: Mutex::new(None),
            closed: AtomicBool::new(false),
        })
    }

    fn request(&self, cfg: &EpCfg, key: &str) -> Vec<u8> {
        let mut target = self.url.requri_str().to_owned();
        if target.is_empty() {
            target.push('/');
        }
        let host = self.url.host.clone().unwrap_or_default();
        let host = match host.rsplit_once(':') {
            Some((h, p))
                if !h.is_empty()
                    && !p.contains(']')
                    && p == url::default_port(&self.url.scheme) =>
            {
                h.to_owned()
            }
            _ => host,
        };
        let mut s = format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        );
        if let Some(p) = &cfg.proto {
            s.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
        }
        for (n, v) in &cfg.headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s.into_bytes()
    }

    /// Marks the dialer closed: later dials fail with `NNG_ECLOSED` (the
    /// owner closes connections in progress).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Starts one connection: `done` gets the open connection or the
    /// error; `track` gets the connection as soon as it exists, so the
    /// owner can close it to cancel the attempt.
    pub fn dial_hook(
        self: &Arc<Self>,
        done: Box<dyn FnOnce(Result<Arc<WsConn>>) + Send>,
        track: Box<dyn FnOnce(Arc<WsConn>) + Send>,
    ) {
        if self.closed.load(Ordering::Acquire) {
            done(Err(Error::Closed));
            return;
        }
        let q = Query {
            host: Some(self.url.hostname_str().to_owned()),
            service: self.url.port_str().to_owned(),
            family: self.family,
            passive: false,
        };
        let me = self.clone();
        resolver::resolve(
            q,
            Box::new(move |r| match r.and_then(|a| me.connect(a)) {
                Ok(c) => {
                    c.lock().hook = Some(done);
                    track(c.clone());
                    if let Err(e) = c.start() {
                        c.close_with(e);
                    }
                }
                Err(e) => done(Err(e)),
            }),
        );
    }

    fn connect(&self, addr: SocketAddr) -> Result<Arc<WsConn>> {
        let fd = sys::stream_socket(family_of(&addr))?;
        if let Some(src) = *lock(&self.src) {
            sys::bind(fd.as_fd(), &RawAddr::inet(&src))?;
        }
        let cfg = lock(&self.cfg);
        sys::set_tcp_opts(
            fd.as_fd(),
            cfg.opts.nodelay.load(Ordering::Relaxed),
            cfg.opts.keepalive.load(Ordering::Relaxed),
        );
        let connecting = match sys::connect(fd.as_fd(), &RawAddr::inet(&addr)) {
            Ok(()) => false,
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => true,
            Err(e) => return Err(e.into()),
        };
        let mut raw = [0u8; 16];
        for c in raw.chunks_mut(4) {
            c.copy_from_slice(&random_u32().to_ne_bytes());
        }
        let key = codec::base64(&raw);
        let request = if cfg.raw {
            Vec::new()
        } else {
            self.request(&cfg, &key)
        };
        let conn = WsConn::new(fd, None, Phase::Connecting, cfg.limits());
        {
            let mut st = conn.lock();
            if let Some(t) = lock(&cfg.opts.tls).clone() {
                st.tls = Some(Box::new(Tls::client(t, self.url.hostname_str())?));
            }
            if !connecting {
                st.phase = Phase::Handshake;
                st.tx.extend_from_slice(&request);
            }
            st.client = Some(ClientHs {
                request,
                key,
                proto: cfg.proto.clone(),
            });
        }
        Ok(conn)
    }

    /// Sets an option (`NNG_ENOTSUP` if unknown).
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let mut cfg = lock(&self.cfg);
        if cfg.set(name, val, true)? || set_tls_option(&cfg.opts, name, val)? {
            return Ok(());
        }
        match name {
            "local-address" => {
                let OptValue::Addr(a) = val else {
                    return Err(Error::BadType);
                };
                let a = a.to_socket_addr().ok_or(Error::AddrInval)?;
                *lock(&self.src) = Some(a);
                Ok(())
            }
            "url" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    /// Reads an option (`NNG_ENOTSUP` if unknown).
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        let cfg = lock(&self.cfg);
        if let Some(r) = cfg.get(name, true) {
            return r;
        }
        if let Some(r) = get_tls_option(&cfg.opts, name) {
            return r;
        }
        match name {
            "url" => Ok(OptValue::Str(self.url.raw.clone())),
            "local-address" => Ok(OptValue::Addr(
                lock(&self.src).map_or(SockAddr::Unspec, SockAddr::from),
            )),
            _ => Err(Error::NotSup),
        }
    }
}

// ---------------------------------------------------------------------------
// SP pipe, dialer, listener

/// A WebSocket connection as an SP pipe.
pub struct WsPipe(Arc<WsConn>);

impl TranPipe for WsPipe {
    fn peer(&self) -> u16 {
        self.0.peer.load(Ordering::Relaxed)
    }
    fn start(&self, events: Arc<dyn PipeEvents>) {
        self.0.pipe_start(events);
    }
    fn send(&self, msg: Msg) {
        self.0.pipe_send(msg);
    }
    fn recv(&self) {
        self.0.pipe_recv();
    }
    fn close(&self) {
        self.0.close_with(Error::Closed);
    }
    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.0.option(name)
    }
}

impl Drop for WsPipe {
    fn drop(&mut self) {
        self.0.close_with(Error::Closed);
    }
}

struct SpDialState {
    closed: bool,
    gen: u64,
    done: Option<PipeCallback>,
    conn: Option<Arc<WsConn>>,
}

/// An SP dialer over ws/wss.
pub struct Dialer {
    ws: Arc<WsDialer>,
    peer: u16,
    st: Arc<Mutex<SpDialState>>,
}

impl Dialer {
    /// A dialer for `url`; asks for the peer's protocol.
    pub fn new(url: &str, info: SockInfo) -> Result<Dialer> {
        let ws = WsDialer::new(url, true)?;
        let name = proto_name(info.peer).ok_or(Error::NotSup)?;
        lock(&ws.cfg).proto = Some(format!("{name}.sp.nanomsg.org"));
        Ok(Dialer {
            ws: Arc::new(ws),
            peer: info.peer,
            st: Arc::new(Mutex::new(SpDialState {
                closed: false,
                gen: 0,
                done: None,
                conn: None,
            })),
        })
    }
}

impl TranDialer for Dialer {
    fn connect(&self, done: PipeCallback) {
        let gen = {
            let mut st = lock(&self.st);
            if st.closed {
                drop(st);
                done(Err(Error::Closed));
                return;
            }
            st.gen += 1;
            st.done = Some(done);
            st.gen
        };
        let peer = self.peer;
        let s1 = self.st.clone();
        let s2 = self.st.clone();
        self.ws.dial_hook(
            Box::new(move |r| {
                let done = {
                    let mut st = lock(&s1);
                    if st.gen != gen {
                        None
                    } else {
                        st.conn = None;
                        st.done.take()
                    }
                };
                match (done, r) {
                    (Some(d), Ok(c)) => {
                        c.peer.store(peer, Ordering::Relaxed);
                        d(Ok(Box::new(WsPipe(c))));
                    }
                    (Some(d), Err(e)) => d(Err(e)),
                    (None, Ok(c)) => c.close_with(Error::Closed),
                    (None, Err(_)) => {}
                }
            }),
            Box::new(move |c| {
                let mut st = lock(&s2);
                if st.gen == gen && st.done.is_some() && !st.closed {
                    st.conn = Some(c);
                } else {
                    drop(st);
                    c.close_with(Error::Closed);
                }
            }),
        );
    }

    fn close(&self) {
        let (done, conn) = {
            let mut st = lock(&self.st);
            st.closed = true;
            (st.done.take(), st.conn.take())
        };
        if let Some(c) = conn {
            c.close_with(Error::Closed);
        }
        if let Some(d) = done {
            d(Err(Error::Closed));
        }
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        self.ws.set_option(name, val)
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.ws.get_option(name)
    }
}

impl Drop for Dialer {
    fn drop(&mut self) {
        self.close();
    }
}

// ---------------------------------------------------------------------------
// Servers and listeners

/// A connection waiting for an accept.
type AcceptCb = Box<dyn FnOnce(Result<Arc<WsConn>>) + Send>;

struct LState {
    closed: bool,
    bound: bool,
    ready: VecDeque<Arc<WsConn>>,
    waiting: VecDeque<AcceptCb>,
    server: Option<Arc<Server>>,
}

/// The server side of a ws/wss endpoint: one path on a shared server.
pub struct WsListener {
    url: Url,
    addr: SocketAddr,
    tls: bool,
    raw: bool,
    peer: u16,
    cfg: Mutex<EpCfg>,
    st: Mutex<LState>,
}

impl WsListener {
    /// A listener for `url` (resolves the address now).
    pub fn new(raw: &str, msgmode: bool) -> Result<Arc<WsListener>> {
        let (url, family, tls, rawmode) = parse_any(raw)?;
        let host = match url.hostname_str() {
            "" | "*" => None,
            h => Some(h.to_owned()),
        };
        let q = Query {
            host,
            service: url.port_str().to_owned(),
            family,
            passive: true,
        };
        let addr = resolver::resolve_now(&q)?;
        let mut cfg = EpCfg::new(tls, Mode::Server, msgmode);
        cfg.raw = rawmode;
        Ok(Arc::new(WsListener {
            url,
            addr,
            tls,
            raw: rawmode,
            peer: 0,
            cfg: Mutex::new(cfg),
            st: Mutex::new(LState {
                closed: false,
                bound: false,
                ready: VecDeque::new(),
                waiting: VecDeque::new(),
                server: None,
            }),
        }))
    }

    fn path(&self) -> &str {
        norm_path(&self.url.path)
    }

    /// Binds (joins or starts the server for the address).
    pub fn listen(self: &Arc<Self>) -> Result<()> {
        {
            let st = lock(&self.st);
            if st.closed {
                return Err(Error::Closed);
            }
            if st.bound {
                return Err(Error::State);
            }
        }
        let server = Server::join(self)?;
        let mut st = lock(&self.st);
        st.bound = true;
        st.server = Some(server);
        Ok(())
    }

    /// Accepts the next upgraded connection.
    pub fn accept(&self, cb: AcceptCb) {
        let mut st = lock(&self.st);
        if st.closed {
            drop(st);
            cb(Err(Error::Closed));
            return;
        }
        if !st.bound {
            drop(st);
            cb(Err(Error::State));
            return;
        }
        match st.ready.pop_front() {
            Some(c) => {
                drop(st);
                cb(Ok(c));
            }
            None => st.waiting.push_back(cb),
        }
    }

    /// Closes: pending accepts fail with `NNG_ECLOSED`; leaves the server.
    pub fn close(self: &Arc<Self>) {
        let (waiting, ready, server) = {
            let mut st = lock(&self.st);
            if st.closed {
                return;
            }
            st.closed = true;
            (
                std::mem::take(&mut st.waiting),
                std::mem::take(&mut st.ready),
                st.server.take(),
            )
        };
        if let Some(s) = server {
            s.leave(self);
        }
        for c in ready {
            c.close_with(Error::Closed);
        }
        for w in waiting {
            w(Err(Error::Closed));
        }
    }

    /// Checks an upgrade request routed here and answers it.
    fn handle(self: &Arc<Self>, conn: &Arc<WsConn>, req: HttpHead) {
        let cfg = lock(&self.cfg);
        let status = self.check(&cfg, &req);
        let (res, lim) = match status {
            Ok(key) => {
                let mut res = HttpHead::default();
                let h = &mut res.headers;
                h.push(("Connection".into(), "Upgrade".into()));
                h.push(("Upgrade".into(), "websocket".into()));
                h.push(("Sec-WebSocket-Accept".into(), key));
                if let Some(p) = req.get("Sec-WebSocket-Protocol") {
                    h.push(("Sec-WebSocket-Protocol".into(), p.to_owned()));
                }
                for (n, v) in &cfg.headers {
                    codec::set_header(h, n, v);
                }
                (res, cfg.limits())
            }
            Err(code) => {
                drop(cfg);
                conn.reject(code);
                return;
            }
        };
        drop(cfg);
        if conn.upgrade(req, res, lim, self.peer) {
            self.hand_over(conn);
        }
    }

    /// A plain TLS stream finished its handshake: it is ready.
    fn handle_raw(self: &Arc<Self>, conn: &Arc<WsConn>) {
        let lim = lock(&self.cfg).limits();
        if conn.upgrade(HttpHead::default(), HttpHead::default(), lim, self.peer) {
            self.hand_over(conn);
        }
    }

    /// Gives an open connection to a waiting accept, else queues it.
    fn hand_over(&self, conn: &Arc<WsConn>) {
        let mut st = lock(&self.st);
        if st.closed {
            drop(st);
            conn.close_with(Error::Closed);
            return;
        }
        match st.waiting.pop_front() {
            Some(cb) => {
                drop(st);
                cb(Ok(conn.clone()));
            }
            None => st.ready.push_back(conn.clone()),
        }
    }

    /// The upgrade checks, in upstream's order: `Ok(accept key)` or the
    /// HTTP status to answer.
    fn check(&self, cfg: &EpCfg, req: &HttpHead) -> std::result::Result<String, u16> {
        if lock(&self.st).closed {
            return Err(503);
        }
        if req.first == "HEAD" {
            return Err(400);
        }
        if req.first != "GET" {
            return Err(405);
        }
        if req.third != "HTTP/1.1" {
            return Err(505);
        }
        if req
            .get("Content-Length")
            .is_some_and(|v| v.trim().parse::<i64>().unwrap_or(0) > 0)
            || req
                .get("Transfer-Encoding")
                .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        {
            return Err(413);
        }
        let has = |n: &str, w: &str| req.get(n).is_some_and(|v| codec::contains_word(v, w));
        if !has("Upgrade", "websocket")
            || !has("Connection", "upgrade")
            || req.get("Sec-WebSocket-Version") != Some("13")
        {
            return Err(400);
        }
        let key = req
            .get("Sec-WebSocket-Key")
            .and_then(codec::accept_key)
            .ok_or(400u16)?;
        match (req.get("Sec-WebSocket-Protocol"), cfg.proto.as_deref()) {
            (None, Some(_)) => return Err(400),
            (Some(p), ours) if !ours.is_some_and(|o| codec::contains_word(o, p)) => {
                return Err(400)
            }
            _ => {}
        }
        Ok(key)
    }

    fn bound_addr(&self) -> Option<SocketAddr> {
        lock(&self.st).server.as_ref().map(|s| s.local)
    }

    /// Sets an option (`NNG_ENOTSUP` if unknown).
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let mut cfg = lock(&self.cfg);
        if cfg.set(name, val, false)? || set_tls_option(&cfg.opts, name, val)? {
            return Ok(());
        }
        match name {
            "local-address" | "tcp-bound-port" | "url" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    /// Reads an option (`NNG_ENOTSUP` if unknown).
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        {
            let cfg = lock(&self.cfg);
            if let Some(r) = cfg.get(name, false) {
                return r;
            }
            if let Some(r) = get_tls_option(&cfg.opts, name) {
                return r;
            }
        }
        let bound = self.bound_addr();
        match name {
            "local-address" => Ok(OptValue::Addr(
                bound.map_or(SockAddr::Unspec, SockAddr::from),
            )),
            "tcp-bound-port" => match bound {
                Some(a) => Ok(OptValue::Int(i32::from(a.port()))),
                None => Err(Error::State),
            },
            "url" => Ok(OptValue::Str(
                self.url.to_string_with_port(bound.map_or(0, |a| a.port())),
            )),
            _ => Err(Error::NotSup),
        }
    }
}

/// One HTTP server: a listening socket shared by the listeners of its
/// address, each serving one path.
pub struct Server {
    fd: OwnedFd,
    local: SocketAddr,
    key: (SocketAddr, bool),
    reg: OnceLock<Registration>,
    tls: Option<Arc<TlsConfig>>,
    nodelay: AtomicBool,
    keepalive: AtomicBool,
    paths: Mutex<Vec<Weak<WsListener>>>,
    /// Serves plain TLS streams (no HTTP).
    raw: bool,
    /// Connections still in their handshake (kept alive here).
    pending: Mutex<Vec<Arc<WsConn>>>,
    closed: AtomicBool,
}

/// Live servers, by requested address and TLS-ness.
static SERVERS: Mutex<Vec<Weak<Server>>> = Mutex::new(Vec::new());

impl Server {
    fn join(l: &Arc<WsListener>) -> Result<Arc<Server>> {
        let key = (l.addr, l.tls);
        let mut all = lock(&SERVERS);
        all.retain(|w| w.strong_count() > 0);
        // Raw TLS listeners never share (there is no path to tell them
        // apart).
        if l.addr.port() != 0 && !l.raw {
            let found = all
                .iter()
                .filter_map(Weak::upgrade)
                .find(|s| s.local == l.addr && !s.closed.load(Ordering::Acquire));
            if let Some(s) = found {
                if s.key.1 != l.tls {
                    return Err(Error::AddrInUse);
                }
                let mut paths = lock(&s.paths);
                paths.retain(|w| w.strong_count() > 0);
                if paths
                    .iter()
                    .filter_map(Weak::upgrade)
                    .any(|o| o.path() == l.path())
                {
                    return Err(Error::AddrInUse);
                }
                paths.push(Arc::downgrade(l));
                drop(paths);
                return Ok(s);
            }
        }
        let cfg = lock(&l.cfg);
        let tls = lock(&cfg.opts.tls).clone();
        if let Some(t) = &tls {
            // Fails now (as upstream's bind does) without a usable
            // certificate.
            t.server()?;
        }
        let fd = sys::stream_socket(family_of(&l.addr))?;
        sys::set_reuseaddr(fd.as_fd());
        sys::bind(fd.as_fd(), &RawAddr::inet(&l.addr))?;
        sys::listen(fd.as_fd(), BACKLOG)?;
        let local = sys::local_addr(fd.as_fd())?
            .to_inet()
            .ok_or(Error::AddrInval)?;
        let s = Arc::new(Server {
            fd,
            local,
            key,
            reg: OnceLock::new(),
            tls,
            nodelay: AtomicBool::new(cfg.opts.nodelay.load(Ordering::Relaxed)),
            keepalive: AtomicBool::new(cfg.opts.keepalive.load(Ordering::Relaxed)),
            paths: Mutex::new(vec![Arc::downgrade(l)]),
            raw: l.raw,
            pending: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        });
        let weak: Weak<dyn Handler> = Arc::downgrade(&s) as Weak<dyn Handler>;
        let reg = reactor::register(s.fd.as_fd(), Interest::Read, weak)?;
        let _ = s.reg.set(reg);
        all.push(Arc::downgrade(&s));
        Ok(s)
    }

    fn leave(&self, l: &Arc<WsListener>) {
        // Under the registry lock (as `join`), so no listener joins a
        // server that is closing.
        let pending = {
            let _all = lock(&SERVERS);
            let mut paths = lock(&self.paths);
            paths.retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), Arc::as_ptr(l)));
            if !paths.is_empty() {
                return;
            }
            self.closed.store(true, Ordering::Release);
            if let Some(r) = self.reg.get() {
                r.deregister(self.fd.as_fd());
            }
            sys::shutdown(self.fd.as_fd());
            std::mem::take(&mut *lock(&self.pending))
        };
        for c in pending {
            c.close_with(Error::Closed);
        }
    }

    fn forget(&self, c: &Arc<WsConn>) {
        lock(&self.pending).retain(|x| !Arc::ptr_eq(x, c));
    }

    fn route(&self, conn: &Arc<WsConn>, req: HttpHead) {
        if self.raw {
            let l = lock(&self.paths).iter().find_map(Weak::upgrade);
            match l {
                Some(l) => l.handle_raw(conn),
                None => conn.close_with(Error::Closed),
            }
            return;
        }
        let path = norm_path(&req.second).to_owned();
        let l = {
            let paths = lock(&self.paths);
            paths
                .iter()
                .filter_map(Weak::upgrade)
                .find(|l| l.path() == path)
        };
        match l {
            Some(l) => l.handle(conn, req),
            None => conn.reject(404),
        }
    }

    fn accept_all(self: &Arc<Self>) {
        loop {
            if self.closed.load(Ordering::Acquire) {
                return;
            }
            let fd = match sys::accept(self.fd.as_fd()) {
                Ok(fd) => fd,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if would_block(&e) => return,
                Err(e) if e.raw_os_error() == Some(libc::ECONNABORTED) => continue,
                Err(_) => return,
            };
            sys::set_tcp_opts(
                fd.as_fd(),
                self.nodelay.load(Ordering::Relaxed),
                self.keepalive.load(Ordering::Relaxed),
            );
            let lim = Limits {
                raw: self.raw,
                ..Limits::default()
            };
            let conn = WsConn::new(fd, Some(self.clone()), Phase::Handshake, lim);
            if let Some(t) = &self.tls {
                match Tls::server(t.clone()) {
                    Ok(s) => conn.lock().tls = Some(Box::new(s)),
                    Err(_) => continue,
                }
            }
            lock(&self.pending).push(conn.clone());
            if conn.start().is_err() {
                conn.close_with(Error::Closed);
            }
        }
    }
}

impl Handler for Server {
    fn ready(self: Arc<Self>, _ev: Ready) {
        self.accept_all();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(r) = self.reg.get() {
            r.deregister(self.fd.as_fd());
        }
    }
}

/// An SP listener over ws/wss.
pub struct Listener(Arc<WsListener>);

impl Listener {
    /// A listener for `url`, serving the socket's own protocol.
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        let mut l = WsListener::new(url, true)?;
        let name = proto_name(info.proto).ok_or(Error::NotSup)?;
        let m = Arc::get_mut(&mut l).ok_or(Error::Internal)?;
        m.peer = info.peer;
        lock(&m.cfg).proto = Some(format!("{name}.sp.nanomsg.org"));
        Ok(Listener(l))
    }
}

impl TranListener for Listener {
    fn bind(&self) -> Result<()> {
        self.0.listen()
    }

    fn accept(&self, done: PipeCallback) {
        let peer = self.0.peer;
        self.0.accept(Box::new(move |r| match r {
            Ok(c) => {
                c.peer.store(peer, Ordering::Relaxed);
                taskq::spawn(move || done(Ok(Box::new(WsPipe(c)))));
            }
            Err(e) => done(Err(e)),
        }));
    }

    fn close(&self) {
        self.0.close();
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        self.0.set_option(name, val)
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.0.get_option(name)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keys_do_not_repeat_across_pool_refills() {
        let keys: Vec<[u8; 4]> = (0..10 * MASK_POOL / 4).map(|_| mask_key()).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        // 640 random 32-bit keys: a repeat is a one-in-ten-thousand event,
        // more than a few means the pool hands out the same bytes again.
        assert!(sorted.len() >= keys.len() - 2, "{} distinct", sorted.len());
        assert!(keys.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn urls() {
        assert!(parse("ws://a:1/x").is_ok());
        assert_eq!(parse("tcp://a:1").err(), Some(Error::NotSup));
        assert_eq!(
            WsDialer::new("ws://:80/x", true).err(),
            Some(Error::AddrInval)
        );
        assert_eq!(norm_path("/a/"), "/a");
        assert_eq!(norm_path("/"), "");
        assert_eq!(norm_path(""), "");
        assert_eq!(norm_path("/a?x=1"), "/a");
    }

    #[test]
    fn request_format() {
        let d = WsDialer::new("ws://127.0.0.1:80/p?q=1", true).unwrap();
        lock(&d.cfg).proto = Some("rep.sp.nanomsg.org".into());
        let cfg = lock(&d.cfg);
        let r = String::from_utf8(d.request(&cfg, "K")).unwrap();
        assert_eq!(
            r,
            "GET /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: K\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n"
        );
        let d = WsDialer::new("ws://[::1]:9000", true).unwrap();
        let cfg = lock(&d.cfg);
        let r = String::from_utf8(d.request(&cfg, "K")).unwrap();
        assert!(
            r.starts_with("GET / HTTP/1.1\r\nHost: [::1]:9000\r\n"),
            "{r}"
        );
    }
}
