//! The TCP transport: `tcp://`, `tcp4://` and `tcp6://` (WIRE.md §2, §3).
//!
//! URLs: `tcp://HOST:PORT` with HOST a name, an IPv4 literal or a bracketed
//! IPv6 literal; `tcp4`/`tcp6` restrict resolution to one family. Dialers
//! need HOST and PORT; listeners take an empty or `*` HOST as the wildcard
//! (`0.0.0.0`, or `::` for `tcp6`) and PORT 0 for an ephemeral port (read
//! back with `NNG_OPT_TCP_BOUND_PORT`, `NNG_OPT_LOCADDR` or `NNG_OPT_URL`).
//! The path must be empty or `/`; userinfo, query or fragment are
//! `NNG_EADDRINVAL`. A dialer URL may name a source address before a `;`
//! (`tcp://SRC;HOST:PORT`), as upstream.
//!
//! Dialers resolve the host for every attempt, on a resolver thread;
//! listeners resolve once, when created. Connections get `TCP_NODELAY`
//! (default on) and `SO_KEEPALIVE` (default off) from their endpoint; the
//! connection itself (header exchange, framing) is [`super::stream`].

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex};

use super::stream::{Acceptor, Conn, DialCore, EpOpts, Kind, BACKLOG};
use super::{PipeCallback, SockInfo, TranDialer, TranListener};
use crate::core::error::{Error, Result};
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::core::url::Url;
use crate::runtime::resolver::{self, Query};
use crate::runtime::sync::lock;
use crate::runtime::sys::{self, Family, RawAddr};
use crate::supplemental::tls::{AuthMode, Config as TlsConfig, Mode};

use super::sp::Framing;

/// Parses and checks a tcp (or tls+tcp) URL: the address family its
/// scheme allows, and whether it is TLS.
pub(crate) fn parse(raw: &str) -> Result<(Url, Family, bool)> {
    let url = Url::parse(raw)?;
    let (family, tls) = match url.scheme.as_str() {
        "tcp" => (Family::Any, false),
        "tcp4" => (Family::V4, false),
        "tcp6" => (Family::V6, false),
        "tls+tcp" => (Family::Any, true),
        "tls+tcp4" => (Family::V4, true),
        "tls+tcp6" => (Family::V6, true),
        _ => return Err(Error::NotSup),
    };
    if !(url.path.is_empty() || url.path == "/")
        || url.fragment.is_some()
        || url.userinfo.is_some()
        || url.query.is_some()
    {
        return Err(Error::AddrInval);
    }
    Ok((url, family, tls))
}

/// Sets a TLS option of a `tls+tcp` endpoint (`Ok(false)`: not one).
pub(crate) fn set_tls_option(opts: &EpOpts, name: &str, val: &OptValue) -> Result<bool> {
    let mut g = lock(&opts.tls);
    let Some(cfg) = g.as_ref() else {
        return Ok(false);
    };
    let str_val = || match val {
        OptValue::Str(s) => Ok(s.as_str()),
        _ => Err(Error::BadType),
    };
    match name {
        "tls-config" => {
            let OptValue::Ptr(p) = *val else {
                return Err(Error::BadType);
            };
            // SAFETY: a `tls-config` option value is, by the C API's
            // contract, a `nng_tls_config *` the caller holds a reference on
            // (NULL is refused).
            let new = unsafe { crate::ffi::tls::config_clone(p as *const _) }?;
            if new.mode() != cfg.mode() {
                return Err(Error::Inval);
            }
            *g = Some(new);
        }
        "tls-server-name" => cfg.set_server_name(str_val()?)?,
        "tls-ca-file" => cfg.load_ca_file(std::path::Path::new(str_val()?))?,
        "tls-cert-key-file" => cfg.load_cert_key_file(std::path::Path::new(str_val()?), None)?,
        "tls-authmode" => {
            let OptValue::Int(m) = *val else {
                return Err(Error::BadType);
            };
            cfg.set_auth_mode(AuthMode::from_c(m).ok_or(Error::Inval)?)?
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Reads a TLS option of a `tls+tcp` endpoint (`None`: not one).
pub(crate) fn get_tls_option(opts: &EpOpts, name: &str) -> Option<Result<OptValue>> {
    let g = lock(&opts.tls);
    let cfg = g.as_ref()?;
    Some(match name {
        // The caller gets a reference of its own (upstream's hold), to
        // release with `nng_tls_config_free`.
        "tls-config" => Ok(OptValue::Ptr(
            crate::ffi::tls::config_into_c(cfg.clone()) as usize
        )),
        "tls-server-name" | "tls-ca-file" | "tls-cert-key-file" | "tls-authmode" => {
            Err(Error::WriteOnly)
        }
        _ => return None,
    })
}

/// Endpoint options for a scheme: a default TLS configuration for TLS.
fn ep_opts(tls: bool, mode: Mode) -> Arc<EpOpts> {
    let o = EpOpts::default();
    if tls {
        *lock(&o.tls) = Some(TlsConfig::new(mode));
    }
    Arc::new(o)
}

pub(crate) fn family_of(a: &SocketAddr) -> i32 {
    match a {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

// ---------------------------------------------------------------------------
// Dialer

struct DialerInner {
    core: Arc<DialCore>,
    host: String,
    port: String,
    family: Family,
    /// Local address to bind before connecting (`NNG_OPT_LOCADDR`).
    src: Mutex<Option<SocketAddr>>,
    proto: u16,
}

/// A TCP dialer.
pub struct Dialer(Arc<DialerInner>);

impl Dialer {
    /// A dialer for `url` (`NNG_EADDRINVAL` without host or port).
    pub fn new(url: &str, info: SockInfo) -> Result<Dialer> {
        let (url, family, tls) = parse(url)?;
        let mut host = url.hostname_str().to_owned();
        let mut src = None;
        if let Some((s, h)) = host.split_once(';') {
            let q = Query {
                host: Some(s.to_owned()),
                service: "0".to_owned(),
                family,
                passive: true,
            };
            src = Some(resolver::resolve_now(&q)?);
            host = h.to_owned();
        }
        if host.is_empty() || url.port_str().is_empty() {
            return Err(Error::AddrInval);
        }
        Ok(Dialer(Arc::new(DialerInner {
            core: Arc::new(DialCore::new(ep_opts(tls, Mode::Client))),
            host,
            port: url.port_str().to_owned(),
            family,
            src: Mutex::new(src),
            proto: info.proto,
        })))
    }
}

impl DialerInner {
    fn dial(&self, gen: u64, addr: SocketAddr) {
        match self.connect_socket(&addr) {
            Ok(conn) => self.core.attach(gen, conn),
            Err(e) => self.core.fail(gen, e),
        }
    }

    fn connect_socket(&self, addr: &SocketAddr) -> Result<Arc<Conn>> {
        let fd = sys::stream_socket(family_of(addr))?;
        if let Some(src) = *lock(&self.src) {
            sys::bind(fd.as_fd(), &RawAddr::inet(&src))?;
        }
        let o = &self.core.opts;
        sys::set_tcp_opts(
            fd.as_fd(),
            o.nodelay.load(std::sync::atomic::Ordering::Relaxed),
            o.keepalive.load(std::sync::atomic::Ordering::Relaxed),
        );
        let connecting = match sys::connect(fd.as_fd(), &RawAddr::inet(addr)) {
            Ok(()) => false,
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => true,
            Err(e) => return Err(e.into()),
        };
        let conn = Conn::new(fd, Framing::Tcp, Kind::Tcp, self.proto, connecting);
        let tls = lock(&o.tls).clone();
        if let Some(cfg) = tls {
            conn.use_tls_client(cfg, &self.host)?;
        }
        Ok(conn)
    }
}

impl TranDialer for Dialer {
    fn connect(&self, done: PipeCallback) {
        let Some(gen) = self.0.core.begin(done) else {
            return;
        };
        let q = Query {
            host: Some(self.0.host.clone()),
            service: self.0.port.clone(),
            family: self.0.family,
            passive: false,
        };
        let me = self.0.clone();
        resolver::resolve(
            q,
            Box::new(move |r| match r {
                Ok(a) => me.dial(gen, a),
                Err(e) => me.core.fail(gen, e),
            }),
        );
    }

    fn close(&self) {
        self.0.core.close();
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        if self.0.core.opts.set(name, val, true)? || set_tls_option(&self.0.core.opts, name, val)? {
            return Ok(());
        }
        match name {
            "local-address" => {
                let OptValue::Addr(a) = val else {
                    return Err(Error::BadType);
                };
                let a = a.to_socket_addr().ok_or(Error::AddrInval)?;
                if a.port() != 0 {
                    return Err(Error::AddrInval);
                }
                if self.0.core.is_closed() {
                    return Err(Error::Closed);
                }
                *lock(&self.0.src) = Some(a);
                Ok(())
            }
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        if let Some(v) = self.0.core.opts.get(name, true) {
            return Ok(v);
        }
        if let Some(r) = get_tls_option(&self.0.core.opts, name) {
            return r;
        }
        match name {
            "local-address" => Ok(OptValue::Addr(
                lock(&self.0.src).map_or(SockAddr::Unspec, SockAddr::from),
            )),
            _ => Err(Error::NotSup),
        }
    }
}

// ---------------------------------------------------------------------------
// Listener

struct ListenState {
    closed: bool,
    acc: Option<Arc<Acceptor>>,
}

/// A TCP listener.
pub struct Listener {
    url: Url,
    addr: SocketAddr,
    proto: u16,
    opts: Arc<EpOpts>,
    st: Mutex<ListenState>,
}

impl Listener {
    /// A listener for `url`; resolves its address now (blocking for a
    /// name, as upstream).
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        let (url, family, tls) = parse(url)?;
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
        Ok(Listener {
            url,
            addr,
            proto: info.proto,
            opts: ep_opts(tls, Mode::Server),
            st: Mutex::new(ListenState {
                closed: false,
                acc: None,
            }),
        })
    }

    fn bound(&self) -> Option<SocketAddr> {
        let acc = lock(&self.st).acc.clone()?;
        acc.local_addr().ok()?.to_inet()
    }
}

impl TranListener for Listener {
    fn bind(&self) -> Result<()> {
        let mut st = lock(&self.st);
        if st.closed {
            return Err(Error::Closed);
        }
        if st.acc.is_some() {
            return Err(Error::State);
        }
        let fd = sys::stream_socket(family_of(&self.addr))?;
        sys::set_reuseaddr(fd.as_fd());
        sys::bind(fd.as_fd(), &RawAddr::inet(&self.addr))?;
        sys::listen(fd.as_fd(), BACKLOG)?;
        let acc = Acceptor::start(fd, Framing::Tcp, Kind::Tcp, self.proto, self.opts.clone())?;
        st.acc = Some(acc);
        Ok(())
    }

    fn accept(&self, done: PipeCallback) {
        let (acc, closed) = {
            let st = lock(&self.st);
            (st.acc.clone(), st.closed)
        };
        match acc {
            Some(a) => a.accept(done),
            None if closed => done(Err(Error::Closed)),
            None => done(Err(Error::State)),
        }
    }

    fn close(&self) {
        let acc = {
            let mut st = lock(&self.st);
            st.closed = true;
            st.acc.clone()
        };
        if let Some(a) = acc {
            a.close();
        }
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        if self.opts.set(name, val, true)? || set_tls_option(&self.opts, name, val)? {
            return Ok(());
        }
        match name {
            "local-address" | "tcp-bound-port" | "url" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        if let Some(v) = self.opts.get(name, true) {
            return Ok(v);
        }
        if let Some(r) = get_tls_option(&self.opts, name) {
            return r;
        }
        match name {
            "local-address" => Ok(OptValue::Addr(
                self.bound().map_or(SockAddr::Unspec, SockAddr::from),
            )),
            "tcp-bound-port" => match self.bound() {
                Some(a) => Ok(OptValue::Int(i32::from(a.port()))),
                None => Err(Error::State),
            },
            "url" => Ok(OptValue::Str(
                self.url
                    .to_string_with_port(self.bound().map_or(0, |a| a.port())),
            )),
            _ => Err(Error::NotSup),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.close();
    }
}

impl Drop for Dialer {
    fn drop(&mut self) {
        self.0.core.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: SockInfo = SockInfo {
        proto: 0x10,
        peer: 0x10,
    };

    #[test]
    fn dialer_urls_need_host_and_port() {
        assert!(Dialer::new("tcp://127.0.0.1:80", INFO).is_ok());
        assert!(Dialer::new("tcp6://[::1]:80/", INFO).is_ok());
        for bad in [
            "tcp://127.0.0.1",
            "tcp://:80",
            "tcp://127.0.0.1:80/x",
            "tcp://u@127.0.0.1:80",
            "tcp://127.0.0.1:80?q",
            "tcp://127.0.0.1:80#f",
        ] {
            assert_eq!(
                Dialer::new(bad, INFO).err(),
                Some(Error::AddrInval),
                "{bad}"
            );
        }
    }

    #[test]
    fn listener_urls_resolve_wildcards_and_check_ports() {
        let l = Listener::new("tcp://*:0", INFO).unwrap();
        assert_eq!(l.addr, "0.0.0.0:0".parse().unwrap());
        let l = Listener::new("tcp://:5", INFO).unwrap();
        assert_eq!(l.addr, "0.0.0.0:5".parse().unwrap());
        let l = Listener::new("tcp6://*:0", INFO).unwrap();
        assert_eq!(l.addr, "[::]:0".parse().unwrap());
        assert_eq!(
            Listener::new("tcp://127.0.0.1:65536", INFO).err(),
            Some(Error::AddrInval)
        );
        assert_eq!(
            Listener::new("tcp4://[::1]:1", INFO).err(),
            Some(Error::AddrInval)
        );
    }

    #[test]
    fn source_address_form_sets_the_local_address() {
        let d = Dialer::new("tcp://127.0.0.1;127.0.0.1:80", INFO).unwrap();
        assert_eq!(
            d.get_option("local-address").unwrap(),
            OptValue::Addr(SockAddr::from("127.0.0.1:0".parse::<SocketAddr>().unwrap()))
        );
        let d = Dialer::new("tcp://127.0.0.1:80", INFO).unwrap();
        assert_eq!(
            d.get_option("local-address").unwrap(),
            OptValue::Addr(SockAddr::Unspec)
        );
        let with_port = SockAddr::from("127.0.0.1:1".parse::<SocketAddr>().unwrap());
        assert_eq!(
            d.set_option("local-address", &OptValue::Addr(with_port)),
            Err(Error::AddrInval)
        );
    }

    #[test]
    fn listener_reports_bound_port_and_url() {
        let l = Listener::new("tcp://127.0.0.1:0", INFO).unwrap();
        assert_eq!(l.get_option("tcp-bound-port"), Err(Error::State));
        assert_eq!(
            l.get_option("local-address").unwrap(),
            OptValue::Addr(SockAddr::Unspec)
        );
        l.bind().unwrap();
        let OptValue::Int(port) = l.get_option("tcp-bound-port").unwrap() else {
            panic!("int expected")
        };
        assert!(port > 0);
        assert_eq!(
            l.get_option("url").unwrap(),
            OptValue::Str(format!("tcp://127.0.0.1:{port}"))
        );
        assert_eq!(l.bind(), Err(Error::State));
        // A second listener on the same port fails.
        let l2 = Listener::new(&format!("tcp://127.0.0.1:{port}"), INFO).unwrap();
        assert_eq!(l2.bind(), Err(Error::AddrInUse));
        l.close();
        // The address is free again once closed.
        l2.bind().unwrap();
        l2.close();
    }

    #[test]
    fn wildcard_listener_url_reads_back_without_the_star() {
        let l = Listener::new("tcp://*:0", INFO).unwrap();
        l.bind().unwrap();
        let OptValue::Int(port) = l.get_option("tcp-bound-port").unwrap() else {
            panic!("int expected")
        };
        assert_eq!(
            l.get_option("url").unwrap(),
            OptValue::Str(format!("tcp://:{port}"))
        );
        l.close();
    }
}
