//! Plain byte streams over tcp and ipc (`nng_stream_*`,
//! `nng_stream_dialer_*`, `nng_stream_listener_*`): connected sockets
//! without SP framing, driven by aios and the reactor.
//!
//! A [`Stream`] keeps its pending receive and send aios in two queues under
//! one mutex. A new aio at the head of an empty queue is tried at once on
//! the caller's thread; the rest are served by the poller thread when the
//! (edge-triggered) registration reports readiness. Each completion moves
//! as many bytes as one `recvmsg`/`sendmsg` over the aio's iov did (a
//! partial count, as upstream). End of stream fails every pending receive
//! with `NNG_ECONNSHUT`. Aios are finished only after the mutex is
//! released.
//!
//! A [`Dialer`] resolves (tcp, on a resolver thread) and connects without
//! blocking; a [`Listener`] binds on `listen` and accepts on readiness into
//! waiting aios. The stream handed over is given to the caller through a
//! [`Deliver`] function (the C boundary turns it into an `nng_stream *`).

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::net::SocketAddr;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::stream::{Kind, BACKLOG};
use super::{ipc, tcp};
use crate::core::aio::Aio;
use crate::core::error::{Error, Result};
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::core::url::Url;
use crate::runtime::reactor::{self, Handler, Interest, Ready, Registration};
use crate::runtime::resolver::{self, Query};
use crate::runtime::sync::lock;
use crate::runtime::sys::{self, Family, RawAddr, UnixName};

/// Hands a new stream to the aio that waited for it (sets its output and
/// finishes it).
pub type Deliver = fn(&Aio, Stream);

/// `S_IFMT`: file-type bits, refused in ipc permissions.
const S_IFMT: i32 = 0o170000;

// ---------------------------------------------------------------------------
// Streams

/// A pending dial: the aio until someone finishes it, and the connecting
/// socket once there is one.
struct DialReq {
    aio: Option<Aio>,
    conn: Option<Arc<Inner>>,
    deliver: Deliver,
}

#[derive(Default)]
struct St {
    closed: bool,
    rx: VecDeque<Aio>,
    tx: VecDeque<Aio>,
    /// Set while a non-blocking connect is in progress.
    connecting: Option<Arc<Mutex<DialReq>>>,
}

struct Inner {
    fd: OwnedFd,
    kind: Kind,
    reg: OnceLock<Registration>,
    st: Mutex<St>,
}

/// A connected byte stream. Dropping it closes it.
pub struct Stream(Arc<Inner>);

impl Inner {
    fn new(fd: OwnedFd, kind: Kind) -> Result<Arc<Inner>> {
        let inner = Inner::unregistered(fd, kind, None);
        inner.register()?;
        Ok(inner)
    }

    fn unregistered(
        fd: OwnedFd,
        kind: Kind,
        connecting: Option<Arc<Mutex<DialReq>>>,
    ) -> Arc<Inner> {
        Arc::new(Inner {
            fd,
            kind,
            reg: OnceLock::new(),
            st: Mutex::new(St {
                connecting,
                ..St::default()
            }),
        })
    }

    fn register(self: &Arc<Self>) -> Result<()> {
        let weak: Weak<dyn Handler> = Arc::downgrade(self) as Weak<dyn Handler>;
        let reg = reactor::register(self.fd.as_fd(), Interest::ReadWrite, weak)?;
        let _ = self.reg.set(reg);
        Ok(())
    }

    fn close(&self, err: Error) {
        let (rx, tx, dial) = {
            let mut st = lock(&self.st);
            if st.closed {
                return;
            }
            st.closed = true;
            (
                std::mem::take(&mut st.rx),
                std::mem::take(&mut st.tx),
                st.connecting.take(),
            )
        };
        sys::shutdown(self.fd.as_fd());
        if let Some(r) = self.reg.get() {
            r.deregister(self.fd.as_fd());
        }
        for a in rx.into_iter().chain(tx) {
            a.finish_err(err);
        }
        if let Some(req) = dial {
            fail_dial(&req, err);
        }
    }

    /// Queues `aio` on the receive (`tx` false) or send queue.
    fn submit(self: &Arc<Self>, aio: &Aio, tx: bool) {
        if !aio.begin() {
            return;
        }
        if aio.iov_len() == 0 {
            aio.finish_err(Error::Inval);
            return;
        }
        let first = {
            let mut st = lock(&self.st);
            if st.closed {
                drop(st);
                aio.finish_err(Error::Closed);
                return;
            }
            let me = Arc::downgrade(self);
            let cancel = move |a: &Aio, reason: Error| {
                let Some(me) = me.upgrade() else { return };
                let found = {
                    let mut st = lock(&me.st);
                    let q = if tx { &mut st.tx } else { &mut st.rx };
                    match q.iter().position(|x| x.ptr_eq(a)) {
                        Some(i) => q.remove(i),
                        None => None,
                    }
                };
                if let Some(a) = found {
                    a.finish_err(reason);
                }
            };
            if let Err(e) = aio.schedule(Arc::new(cancel)) {
                drop(st);
                aio.finish_err(e);
                return;
            }
            let q = if tx { &mut st.tx } else { &mut st.rx };
            q.push_back(aio.clone());
            q.len() == 1 && st.connecting.is_none()
        };
        if first {
            if tx {
                self.pump_tx();
            } else {
                self.pump_rx();
            }
        }
    }

    fn pump_rx(&self) {
        loop {
            let mut st = lock(&self.st);
            if st.connecting.is_some() {
                return;
            }
            let Some(aio) = st.rx.front().cloned() else {
                return;
            };
            let fd = self.fd.as_fd();
            let r = aio.with_iov(|iov| {
                // SAFETY: `Iov` has the layout of `struct iovec`; the
                // consumer keeps the buffers valid and writable until the aio
                // completes, which happens only after this call.
                unsafe { sys::read_iov(fd, iov.as_ptr().cast(), iov.len()) }
            });
            match r {
                Ok(0) => {
                    let all = std::mem::take(&mut st.rx);
                    drop(st);
                    for a in all {
                        a.finish_err(Error::ConnShut);
                    }
                    return;
                }
                Ok(n) => {
                    st.rx.pop_front();
                    drop(st);
                    aio.finish_with_count(Ok(()), n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    st.rx.pop_front();
                    drop(st);
                    aio.finish_err(e.into());
                }
            }
        }
    }

    fn pump_tx(&self) {
        loop {
            let mut st = lock(&self.st);
            if st.connecting.is_some() {
                return;
            }
            let Some(aio) = st.tx.front().cloned() else {
                return;
            };
            let fd = self.fd.as_fd();
            let r = aio.with_iov(|iov| {
                // SAFETY: `Iov` has the layout of `struct iovec`; the
                // consumer keeps the buffers valid until the aio completes,
                // which happens only after this call.
                unsafe { sys::write_iov(fd, iov.as_ptr().cast(), iov.len()) }
            });
            match r {
                Ok(n) => {
                    st.tx.pop_front();
                    drop(st);
                    aio.finish_with_count(Ok(()), n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    st.tx.pop_front();
                    drop(st);
                    let err = match e.raw_os_error() {
                        Some(libc::EPIPE) => Error::ConnShut,
                        _ => e.into(),
                    };
                    aio.finish_err(err);
                }
            }
        }
    }

    /// A connect in progress reported writability: deliver or fail.
    fn finish_connect(self: &Arc<Self>) {
        let req = {
            let mut st = lock(&self.st);
            match st.connecting.take() {
                Some(r) => r,
                None => return,
            }
        };
        match sys::take_error(self.fd.as_fd()) {
            Ok(0) => deliver_dial(&req),
            Ok(libc::EINPROGRESS) => {
                lock(&self.st).connecting = Some(req);
            }
            Ok(e) => {
                fail_dial(&req, connect_error(e));
                self.close(Error::Closed);
            }
            Err(e) => {
                fail_dial(&req, e.into());
                self.close(Error::Closed);
            }
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        let fd = self.fd.as_fd();
        let inet = |a: RawAddr| {
            a.to_inet()
                .map(|a| OptValue::Addr(SockAddr::from(a)))
                .ok_or(Error::Inval)
        };
        match (&self.kind, name) {
            (Kind::Tcp, "local-address") => inet(sys::local_addr(fd)?),
            (Kind::Tcp, "remote-address") => inet(sys::peer_addr(fd)?),
            (Kind::Tcp, "tcp-nodelay") => Ok(OptValue::Bool(sys::tcp_nodelay(fd)?)),
            (Kind::Tcp, "tcp-keepalive") => Ok(OptValue::Bool(sys::keepalive(fd)?)),
            (Kind::Ipc(a), "local-address" | "remote-address") => Ok(OptValue::Addr(a.clone())),
            (Kind::Fd, "local-address" | "remote-address") => Ok(OptValue::Addr(SockAddr::Unspec)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-uid") => Ok(OptValue::U64(sys::peer_cred(fd)?.1)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-gid") => Ok(OptValue::U64(sys::peer_cred(fd)?.2)),
            (Kind::Ipc(_) | Kind::Fd, "ipc:peer-pid") => Ok(OptValue::U64(sys::peer_cred(fd)?.0)),
            _ => Err(Error::NotSup),
        }
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let fd = self.fd.as_fd();
        match (&self.kind, name) {
            (Kind::Tcp, "tcp-nodelay") => Ok(sys::set_int_opt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                i32::from(val.as_bool()?),
            )?),
            (Kind::Tcp, "tcp-keepalive") => Ok(sys::set_int_opt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_KEEPALIVE,
                i32::from(val.as_bool()?),
            )?),
            (
                _,
                "local-address" | "remote-address" | "ipc:peer-uid" | "ipc:peer-gid"
                | "ipc:peer-pid",
            ) => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }
}

impl Handler for Inner {
    fn ready(self: Arc<Self>, ev: Ready) {
        let connecting = lock(&self.st).connecting.is_some();
        if connecting {
            if ev.writable() || ev.hup() {
                self.finish_connect();
            }
            return;
        }
        if ev.readable() || ev.hup() {
            self.pump_rx();
        }
        if ev.writable() || ev.hup() {
            self.pump_tx();
        }
    }
}

fn connect_error(errno: i32) -> Error {
    match errno {
        libc::ENOENT => Error::ConnRefused,
        e => Error::from_errno(e),
    }
}

fn fail_dial(req: &Mutex<DialReq>, err: Error) {
    let (aio, conn) = {
        let mut r = lock(req);
        (r.aio.take(), r.conn.take())
    };
    if let Some(c) = conn {
        c.close(Error::Closed);
    }
    if let Some(a) = aio {
        a.finish_err(err);
    }
}

fn deliver_dial(req: &Mutex<DialReq>) {
    let (aio, conn, deliver) = {
        let mut r = lock(req);
        (r.aio.take(), r.conn.take(), r.deliver)
    };
    match (aio, conn) {
        (Some(a), Some(c)) => {
            deliver(&a, Stream(c.clone()));
            // A receive queued meanwhile may have data waiting already.
            c.pump_rx();
        }
        (Some(a), None) => a.finish_err(Error::Closed),
        (None, Some(c)) => c.close(Error::Closed),
        (None, None) => {}
    }
}

impl Stream {
    /// Wraps an already connected descriptor of `kind`.
    pub fn from_fd(fd: OwnedFd, kind: Kind) -> Result<Stream> {
        Ok(Stream(Inner::new(fd, kind)?))
    }

    /// Starts a receive into the aio's iov.
    pub fn recv(&self, aio: &Aio) {
        self.0.submit(aio, false);
    }

    /// Starts a send from the aio's iov.
    pub fn send(&self, aio: &Aio) {
        self.0.submit(aio, true);
    }

    /// Closes the stream: pending and later operations fail with
    /// `NNG_ECLOSED`.
    pub fn close(&self) {
        self.0.close(Error::Closed);
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        self.0.get_option(name)
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        self.0.set_option(name, val)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.0.close(Error::Closed);
    }
}

// ---------------------------------------------------------------------------
// Dialers

enum DialSpec {
    Tcp {
        host: String,
        port: String,
        family: Family,
    },
    Ipc {
        name: UnixName,
        addr: SockAddr,
    },
}

struct DialInner {
    spec: DialSpec,
    nodelay: AtomicBool,
    keepalive: AtomicBool,
    src: Mutex<Option<SocketAddr>>,
    closed: AtomicBool,
    pending: Mutex<Vec<Weak<Mutex<DialReq>>>>,
}

/// A stream dialer. Dropping it closes it.
pub struct Dialer(Arc<DialInner>);

/// Whether `scheme` is one of the plain stream schemes served here.
fn scheme_of(url: &str) -> Result<bool> {
    let u = Url::parse(url)?;
    match u.scheme.as_str() {
        "tcp" | "tcp4" | "tcp6" => Ok(true),
        "ipc" | "unix" | "abstract" => Ok(false),
        _ => Err(Error::NotSup),
    }
}

impl Dialer {
    /// A dialer for `url` (tcp, tcp4, tcp6, ipc, unix, abstract; other
    /// schemes are `NNG_ENOTSUP`).
    pub fn new(url: &str) -> Result<Dialer> {
        let spec = if scheme_of(url)? {
            let (u, family, _tls) = tcp::parse(url)?;
            if u.hostname_str().is_empty() || u.port_str().is_empty() {
                return Err(Error::AddrInval);
            }
            DialSpec::Tcp {
                host: u.hostname_str().to_owned(),
                port: u.port_str().to_owned(),
                family,
            }
        } else {
            let (name, addr) = ipc::parse(url)?;
            DialSpec::Ipc { name, addr }
        };
        Ok(Dialer(Arc::new(DialInner {
            spec,
            nodelay: AtomicBool::new(true),
            keepalive: AtomicBool::new(false),
            src: Mutex::new(None),
            closed: AtomicBool::new(false),
            pending: Mutex::new(Vec::new()),
        })))
    }

    /// Starts a connection; `deliver` hands the stream to `aio`.
    pub fn dial(&self, aio: &Aio, deliver: Deliver) {
        if !aio.begin() {
            return;
        }
        let req = Arc::new(Mutex::new(DialReq {
            aio: Some(aio.clone()),
            conn: None,
            deliver,
        }));
        {
            let mut pending = lock(&self.0.pending);
            if self.0.closed.load(Ordering::Acquire) {
                drop(pending);
                lock(&req).aio = None;
                aio.finish_err(Error::Closed);
                return;
            }
            let r2 = Arc::downgrade(&req);
            let cancel = move |_a: &Aio, reason: Error| {
                if let Some(r) = r2.upgrade() {
                    fail_dial(&r, reason);
                }
            };
            if let Err(e) = aio.schedule(Arc::new(cancel)) {
                drop(pending);
                lock(&req).aio = None;
                aio.finish_err(e);
                return;
            }
            pending.retain(|w| w.strong_count() > 0);
            pending.push(Arc::downgrade(&req));
        }
        match &self.0.spec {
            DialSpec::Tcp { host, port, family } => {
                let q = Query {
                    host: Some(host.clone()),
                    service: port.clone(),
                    family: *family,
                    passive: false,
                };
                let me = self.0.clone();
                resolver::resolve(
                    q,
                    Box::new(move |r| match r {
                        Ok(a) => me.connect(req, RawAddr::inet(&a), Some(a)),
                        Err(e) => fail_dial(&req, e),
                    }),
                );
            }
            DialSpec::Ipc { name, .. } => match RawAddr::unix(name) {
                Some(raw) => self.0.connect(req, raw, None),
                None => fail_dial(&req, Error::AddrInval),
            },
        }
    }

    /// Closes the dialer: pending dials fail with `NNG_ECLOSED`.
    pub fn close(&self) {
        self.0.closed.store(true, Ordering::Release);
        let pending = std::mem::take(&mut *lock(&self.0.pending));
        for r in pending.iter().filter_map(Weak::upgrade) {
            fail_dial(&r, Error::Closed);
        }
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        let tcp = matches!(self.0.spec, DialSpec::Tcp { .. });
        match name {
            "tcp-nodelay" if tcp => Ok(OptValue::Bool(self.0.nodelay.load(Ordering::Relaxed))),
            "tcp-keepalive" if tcp => Ok(OptValue::Bool(self.0.keepalive.load(Ordering::Relaxed))),
            "local-address" if tcp => Ok(OptValue::Addr(
                lock(&self.0.src).map_or(SockAddr::Unspec, SockAddr::from),
            )),
            "remote-address" => match &self.0.spec {
                DialSpec::Ipc { addr, .. } => Ok(OptValue::Addr(addr.clone())),
                DialSpec::Tcp { .. } => Err(Error::NotSup),
            },
            _ => Err(Error::NotSup),
        }
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let tcp = matches!(self.0.spec, DialSpec::Tcp { .. });
        match name {
            "tcp-nodelay" if tcp => self.0.nodelay.store(val.as_bool()?, Ordering::Relaxed),
            "tcp-keepalive" if tcp => self.0.keepalive.store(val.as_bool()?, Ordering::Relaxed),
            "local-address" if tcp => {
                let OptValue::Addr(a) = val else {
                    return Err(Error::BadType);
                };
                let a = a.to_socket_addr().ok_or(Error::AddrInval)?;
                if a.port() != 0 {
                    return Err(Error::AddrInval);
                }
                *lock(&self.0.src) = Some(a);
            }
            "remote-address" => return Err(Error::ReadOnly),
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }
}

impl DialInner {
    fn connect(&self, req: Arc<Mutex<DialReq>>, raw: RawAddr, inet: Option<SocketAddr>) {
        match self.try_connect(&req, &raw, inet) {
            Ok(None) => {}
            Ok(Some(())) => deliver_dial(&req),
            Err(e) => fail_dial(&req, e),
        }
    }

    /// `Ok(Some(()))`: connected at once; `Ok(None)`: in progress (the
    /// stream finishes the dial).
    fn try_connect(
        &self,
        req: &Arc<Mutex<DialReq>>,
        raw: &RawAddr,
        inet: Option<SocketAddr>,
    ) -> Result<Option<()>> {
        if lock(req).aio.is_none() {
            return Ok(None);
        }
        let (fd, kind) = match (&self.spec, inet) {
            (DialSpec::Tcp { .. }, Some(a)) => {
                let fd = sys::stream_socket(tcp::family_of(&a))?;
                if let Some(src) = *lock(&self.src) {
                    sys::bind(fd.as_fd(), &RawAddr::inet(&src))?;
                }
                sys::set_tcp_opts(
                    fd.as_fd(),
                    self.nodelay.load(Ordering::Relaxed),
                    self.keepalive.load(Ordering::Relaxed),
                );
                (fd, Kind::Tcp)
            }
            (DialSpec::Ipc { addr, .. }, _) => {
                (sys::stream_socket(libc::AF_UNIX)?, Kind::Ipc(addr.clone()))
            }
            (DialSpec::Tcp { .. }, None) => return Err(Error::AddrInval),
        };
        let pending = match sys::connect(fd.as_fd(), raw) {
            Ok(()) => false,
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => true,
            Err(e) => return Err(connect_error(e.raw_os_error().unwrap_or(0))),
        };
        // The stream knows its dial before it is registered, so the first
        // readiness event finds it.
        let inner = Inner::unregistered(fd, kind, pending.then(|| req.clone()));
        {
            let mut r = lock(req);
            if r.aio.is_none() {
                return Ok(None);
            }
            r.conn = Some(inner.clone());
        }
        inner.register()?;
        Ok((!pending).then_some(()))
    }
}

impl Drop for Dialer {
    fn drop(&mut self) {
        self.close();
    }
}

// ---------------------------------------------------------------------------
// Listeners

enum ListenSpec {
    Tcp { url: Box<Url>, addr: SocketAddr },
    Ipc { name: UnixName },
}

#[derive(Default)]
struct LSt {
    closed: bool,
    fd: Option<OwnedFd>,
    waiting: VecDeque<(Aio, Deliver)>,
    perms: u32,
    /// ipc: the address streams report (learned after an auto-bind).
    addr: Option<SockAddr>,
    /// ipc: the socket file we made, removed on close.
    path: Option<PathBuf>,
}

struct ListenInner {
    spec: ListenSpec,
    nodelay: AtomicBool,
    keepalive: AtomicBool,
    reg: OnceLock<Registration>,
    st: Mutex<LSt>,
}

/// A stream listener. Dropping it closes it.
pub struct Listener(Arc<ListenInner>);

impl Listener {
    /// A listener for `url`; a tcp host name is resolved now (blocking).
    pub fn new(url: &str) -> Result<Listener> {
        let (spec, addr) = if scheme_of(url)? {
            let (u, family, _tls) = tcp::parse(url)?;
            let host = match u.hostname_str() {
                "" | "*" => None,
                h => Some(h.to_owned()),
            };
            let q = Query {
                host,
                service: u.port_str().to_owned(),
                family,
                passive: true,
            };
            let addr = resolver::resolve_now(&q)?;
            (
                ListenSpec::Tcp {
                    url: Box::new(u),
                    addr,
                },
                None,
            )
        } else {
            let (name, addr) = ipc::parse(url)?;
            (ListenSpec::Ipc { name }, Some(addr))
        };
        Ok(Listener(Arc::new(ListenInner {
            spec,
            nodelay: AtomicBool::new(true),
            keepalive: AtomicBool::new(false),
            reg: OnceLock::new(),
            st: Mutex::new(LSt {
                addr,
                ..LSt::default()
            }),
        })))
    }

    /// Binds and listens (`NNG_ESTATE` if already listening, `NNG_ECLOSED`
    /// once closed).
    pub fn listen(&self) -> Result<()> {
        let me = &self.0;
        let mut st = lock(&me.st);
        if st.closed {
            return Err(Error::Closed);
        }
        if st.fd.is_some() {
            return Err(Error::State);
        }
        let fd = match &me.spec {
            ListenSpec::Tcp { addr, .. } => {
                let fd = sys::stream_socket(tcp::family_of(addr))?;
                sys::set_reuseaddr(fd.as_fd());
                sys::bind(fd.as_fd(), &RawAddr::inet(addr))?;
                sys::listen(fd.as_fd(), BACKLOG)?;
                fd
            }
            ListenSpec::Ipc { name } => {
                let raw = RawAddr::unix(name).ok_or(Error::AddrInval)?;
                let fd = sys::stream_socket(libc::AF_UNIX)?;
                let path = match name {
                    UnixName::Path(p) => Some(p.as_slice()),
                    _ => None,
                };
                if let Err(e) = sys::bind(fd.as_fd(), &raw) {
                    let in_use = matches!(e.raw_os_error(), Some(libc::EADDRINUSE | libc::EEXIST));
                    match path {
                        Some(p) if in_use => {
                            ipc::remove_stale(p);
                            sys::bind(fd.as_fd(), &raw)?;
                        }
                        _ => return Err(e.into()),
                    }
                }
                let unlink = |r: Error| {
                    if let Some(p) = path {
                        let _ = std::fs::remove_file(OsStr::from_bytes(p));
                    }
                    r
                };
                if let (Some(p), perms) = (path, st.perms) {
                    if perms != 0 {
                        let mode = std::fs::Permissions::from_mode(perms & 0o7777);
                        std::fs::set_permissions(OsStr::from_bytes(p), mode)
                            .map_err(|e| unlink(e.into()))?;
                    }
                }
                sys::listen(fd.as_fd(), BACKLOG).map_err(|e| unlink(e.into()))?;
                if *name == UnixName::Abstract(Vec::new()) {
                    if let Some(n) = sys::local_addr(fd.as_fd()).ok().and_then(|a| a.to_unix()) {
                        st.addr = Some(ipc::sockaddr_of(&n));
                    }
                }
                st.path = path.map(|p| PathBuf::from(OsStr::from_bytes(p)));
                fd
            }
        };
        if me.reg.get().is_none() {
            let weak: Weak<dyn Handler> = Arc::downgrade(me) as Weak<dyn Handler>;
            let reg = reactor::register(fd.as_fd(), Interest::Read, weak)?;
            let _ = me.reg.set(reg);
        }
        st.fd = Some(fd);
        Ok(())
    }

    /// Accepts one connection into `aio` (`NNG_ESTATE` if not listening).
    pub fn accept(&self, aio: &Aio, deliver: Deliver) {
        if !aio.begin() {
            return;
        }
        {
            let mut st = lock(&self.0.st);
            if st.closed {
                drop(st);
                aio.finish_err(Error::Closed);
                return;
            }
            if st.fd.is_none() {
                drop(st);
                aio.finish_err(Error::State);
                return;
            }
            let me = Arc::downgrade(&self.0);
            let cancel = move |a: &Aio, reason: Error| {
                let Some(me) = me.upgrade() else { return };
                let found = {
                    let mut st = lock(&me.st);
                    match st.waiting.iter().position(|(x, _)| x.ptr_eq(a)) {
                        Some(i) => st.waiting.remove(i),
                        None => None,
                    }
                };
                if let Some((a, _)) = found {
                    a.finish_err(reason);
                }
            };
            if let Err(e) = aio.schedule(Arc::new(cancel)) {
                drop(st);
                aio.finish_err(e);
                return;
            }
            st.waiting.push_back((aio.clone(), deliver));
        }
        self.0.accept_all();
    }

    /// Closes the listener: pending accepts fail with `NNG_ECLOSED`.
    pub fn close(&self) {
        let (waiting, fd, path) = {
            let mut st = lock(&self.0.st);
            st.closed = true;
            (
                std::mem::take(&mut st.waiting),
                st.fd.take(),
                st.path.take(),
            )
        };
        if let Some(fd) = fd {
            if let Some(r) = self.0.reg.get() {
                r.deregister(fd.as_fd());
            }
        }
        if let Some(p) = path {
            let _ = std::fs::remove_file(p);
        }
        for (a, _) in waiting {
            a.finish_err(Error::Closed);
        }
    }

    fn bound(&self) -> Option<SocketAddr> {
        let st = lock(&self.0.st);
        sys::local_addr(st.fd.as_ref()?.as_fd()).ok()?.to_inet()
    }

    /// Reads an option.
    pub fn get_option(&self, name: &str) -> Result<OptValue> {
        let me = &self.0;
        match (&me.spec, name) {
            (ListenSpec::Tcp { .. }, "tcp-nodelay") => {
                Ok(OptValue::Bool(me.nodelay.load(Ordering::Relaxed)))
            }
            (ListenSpec::Tcp { .. }, "tcp-keepalive") => {
                Ok(OptValue::Bool(me.keepalive.load(Ordering::Relaxed)))
            }
            (ListenSpec::Tcp { addr, .. }, "local-address") => Ok(OptValue::Addr(SockAddr::from(
                self.bound().unwrap_or(*addr),
            ))),
            (ListenSpec::Tcp { .. }, "tcp-bound-port") => match self.bound() {
                Some(a) => Ok(OptValue::Int(i32::from(a.port()))),
                None => Err(Error::State),
            },
            (ListenSpec::Tcp { url, .. }, "url") => Ok(OptValue::Str(
                url.to_string_with_port(self.bound().map_or(0, |a| a.port())),
            )),
            (ListenSpec::Ipc { .. }, "local-address") => Ok(OptValue::Addr(
                lock(&me.st).addr.clone().unwrap_or(SockAddr::Unspec),
            )),
            (ListenSpec::Ipc { .. }, "ipc:permissions") => Err(Error::WriteOnly),
            _ => Err(Error::NotSup),
        }
    }

    /// Sets an option.
    pub fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        let me = &self.0;
        match (&me.spec, name) {
            (ListenSpec::Tcp { .. }, "tcp-nodelay") => {
                me.nodelay.store(val.as_bool()?, Ordering::Relaxed)
            }
            (ListenSpec::Tcp { .. }, "tcp-keepalive") => {
                me.keepalive.store(val.as_bool()?, Ordering::Relaxed)
            }
            (ListenSpec::Ipc { name }, "ipc:permissions") => {
                let v = val.as_int()?;
                if matches!(name, UnixName::Abstract(_)) {
                    // Accepted and ignored on abstract sockets (upstream).
                    return Ok(());
                }
                if v < 0 || v & S_IFMT != 0 {
                    return Err(Error::Inval);
                }
                let mut st = lock(&me.st);
                if st.fd.is_some() {
                    return Err(Error::Busy);
                }
                st.perms = v as u32;
            }
            (_, "local-address" | "tcp-bound-port" | "url") => return Err(Error::ReadOnly),
            _ => return Err(Error::NotSup),
        }
        Ok(())
    }
}

impl ListenInner {
    fn accept_all(&self) {
        loop {
            let mut st = lock(&self.st);
            if st.waiting.is_empty() {
                return;
            }
            let Some(lfd) = st.fd.as_ref() else { return };
            match sys::accept(lfd.as_fd()) {
                Ok(nfd) => {
                    let kind = match &self.spec {
                        ListenSpec::Tcp { .. } => {
                            sys::set_tcp_opts(
                                nfd.as_fd(),
                                self.nodelay.load(Ordering::Relaxed),
                                self.keepalive.load(Ordering::Relaxed),
                            );
                            Kind::Tcp
                        }
                        ListenSpec::Ipc { .. } => {
                            Kind::Ipc(st.addr.clone().unwrap_or(SockAddr::Unspec))
                        }
                    };
                    let Some((aio, deliver)) = st.waiting.pop_front() else {
                        return;
                    };
                    drop(st);
                    match Inner::new(nfd, kind) {
                        Ok(inner) => deliver(&aio, Stream(inner)),
                        Err(e) => aio.finish_err(e),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e)
                    if matches!(
                        e.raw_os_error(),
                        Some(libc::EINTR | libc::ECONNABORTED | libc::EPROTO)
                    ) => {}
                Err(e) => {
                    let Some((aio, _)) = st.waiting.pop_front() else {
                        return;
                    };
                    drop(st);
                    aio.finish_err(e.into());
                }
            }
        }
    }
}

impl Handler for ListenInner {
    fn ready(self: Arc<Self>, _ev: Ready) {
        self.accept_all();
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.close();
    }
}
