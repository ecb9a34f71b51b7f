//! Name resolution off the caller's thread: resolver threads running the
//! blocking `getaddrinfo` (upstream `nni_resolv_ip`).
//!
//! [`resolve`] answers at once, on the caller's thread, when no lookup is
//! needed (an IP literal or the wildcard with a numeric port); otherwise it
//! queues the query for one of the [`super::resolver_threads`] threads
//! (`NNG_INIT_NUM_RESOLVER_THREADS`, default 4), which calls `done` when the
//! lookup ends. [`resolve_now`] does the same lookup on the caller's thread
//! (listeners resolve their address when they are created, as upstream).
//!
//! Errors follow upstream: an unknown name or service, or a port outside
//! 0..65535, is `NNG_EADDRINVAL`; `EAI_AGAIN` is `NNG_EAGAIN`; `EAI_MEMORY`
//! `NNG_ENOMEM`; `EAI_SYSTEM` the mapped `errno`.
//!
//! Depends on `runtime::sys` and `core::error` only.

use std::collections::VecDeque;
use std::ffi::CString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;

use super::sync::{lock, wait};
use super::sys::{self, eai, Family};
use crate::core::error::{Error, Result};

/// One lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Host name or IP literal (brackets removed); `None` or empty: the
    /// wildcard address (with `passive`).
    pub host: Option<String>,
    /// Port number or service name; empty means port 0.
    pub service: String,
    /// Family restriction (`tcp4://`, `tcp6://`).
    pub family: Family,
    /// For binding (wildcard host allowed).
    pub passive: bool,
}

/// Receives the outcome of a lookup, exactly once.
pub type Done = Box<dyn FnOnce(Result<SocketAddr>) + Send>;

/// Resolves `q`, calling `done` with the first address of the right
/// family: at once when no lookup is needed, else later on a resolver
/// thread. Never blocks.
pub fn resolve(q: Query, done: Done) {
    match quick(&q) {
        Some(r) => done(r),
        None => {
            super::ensure();
            let mut st = lock(&STATE);
            if !st.run {
                drop(st);
                return done(lookup(&q));
            }
            st.jobs.push_back((q, done));
            drop(st);
            WORK.notify_one();
        }
    }
}

/// Resolves `q` on the caller's thread (blocks for a name lookup).
pub fn resolve_now(q: &Query) -> Result<SocketAddr> {
    quick(q).unwrap_or_else(|| lookup(q))
}

/// The answer when no lookup is needed: a numeric port (checked for
/// range) with an IP literal or the wildcard.
fn quick(q: &Query) -> Option<Result<SocketAddr>> {
    let port = match numeric_port(&q.service)? {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    let host = q.host.as_deref().unwrap_or("");
    let ip: IpAddr = if host.is_empty() {
        if !q.passive {
            return Some(Err(Error::AddrInval));
        }
        match q.family {
            Family::V6 => Ipv6Addr::UNSPECIFIED.into(),
            _ => Ipv4Addr::UNSPECIFIED.into(),
        }
    } else {
        match host.parse::<IpAddr>() {
            Ok(ip) => ip,
            // Scoped IPv6 literals ("fe80::1%eth0") and names need getaddrinfo.
            Err(_) => return None,
        }
    };
    let ok = !matches!(
        (q.family, ip),
        (Family::V4, IpAddr::V6(_)) | (Family::V6, IpAddr::V4(_))
    );
    Some(if ok {
        Ok(SocketAddr::new(ip, port))
    } else {
        Err(Error::AddrInval)
    })
}

/// `Some(Ok(port))` for a decimal port in range, `Some(Err)` for a number
/// out of range, `None` for a service name. Empty is port 0 (as C's
/// `strtol` sees it upstream).
fn numeric_port(s: &str) -> Option<Result<u16>> {
    if s.is_empty() {
        return Some(Ok(0));
    }
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.starts_with('-') {
        return Some(Err(Error::AddrInval));
    }
    Some(digits.parse::<u16>().map_err(|_| Error::AddrInval))
}

fn lookup(q: &Query) -> Result<SocketAddr> {
    let numeric = match numeric_port(&q.service) {
        Some(Err(e)) => return Err(e),
        Some(Ok(_)) => true,
        None => false,
    };
    let service = if q.service.is_empty() {
        "0"
    } else {
        q.service.as_str()
    };
    let service = CString::new(service).map_err(|_| Error::AddrInval)?;
    let host = match q.host.as_deref() {
        None | Some("") => None,
        Some(h) => Some(CString::new(h).map_err(|_| Error::AddrInval)?),
    };
    match sys::resolve(host.as_deref(), &service, q.family, q.passive, numeric) {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(Error::AddrInval),
        Err(e) => Err(gai_error(e)),
    }
}

fn gai_error(e: sys::GaiError) -> Error {
    match e.code {
        eai::MEMORY => Error::NoMem,
        eai::SYSTEM => Error::from_errno(e.errno),
        eai::NONAME | eai::NODATA | eai::SERVICE | eai::FAMILY | eai::ADDRFAMILY => {
            Error::AddrInval
        }
        eai::BADFLAGS => Error::Inval,
        eai::SOCKTYPE => Error::NotSup,
        eai::AGAIN => Error::Again,
        c => Error::Sys(c.abs()),
    }
}

struct State {
    jobs: VecDeque<(Query, Done)>,
    run: bool,
    threads: Vec<JoinHandle<()>>,
}

static STATE: Mutex<State> = Mutex::new(State {
    jobs: VecDeque::new(),
    run: false,
    threads: Vec::new(),
});
static WORK: Condvar = Condvar::new();

/// Starts `n` resolver threads (runtime init).
pub(super) fn start(n: usize) -> Result<()> {
    let mut st = lock(&STATE);
    st.run = true;
    for i in 0..n.max(1) {
        match super::thread::spawn(&format!("nng:resolv{i}"), worker) {
            Ok(h) => st.threads.push(h),
            Err(_) => {
                drop(st);
                stop();
                return Err(Error::NoMem);
            }
        }
    }
    Ok(())
}

/// Stops the resolver threads after the queued lookups ran (runtime fini).
pub(super) fn stop() {
    let threads = {
        let mut st = lock(&STATE);
        st.run = false;
        std::mem::take(&mut st.threads)
    };
    WORK.notify_all();
    for h in threads {
        let _ = h.join();
    }
}

fn worker() {
    let mut st = lock(&STATE);
    loop {
        if let Some((q, done)) = st.jobs.pop_front() {
            drop(st);
            done(lookup(&q));
            st = lock(&STATE);
            continue;
        }
        if !st.run {
            return;
        }
        st = wait(&WORK, st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn q(host: &str, service: &str, family: Family, passive: bool) -> Query {
        Query {
            host: Some(host.to_owned()),
            service: service.to_owned(),
            family,
            passive,
        }
    }

    #[test]
    fn literals_and_wildcards_resolve_without_a_lookup() {
        let a = quick(&q("127.0.0.1", "80", Family::Any, false)).unwrap();
        assert_eq!(a, Ok("127.0.0.1:80".parse().unwrap()));
        let a = quick(&q("::1", "65535", Family::V6, false)).unwrap();
        assert_eq!(a, Ok("[::1]:65535".parse().unwrap()));
        let a = quick(&q("", "", Family::Any, true)).unwrap();
        assert_eq!(a, Ok("0.0.0.0:0".parse().unwrap()));
        let a = quick(&q("", "5", Family::V6, true)).unwrap();
        assert_eq!(a, Ok("[::]:5".parse().unwrap()));
        assert_eq!(
            quick(&q("::1", "1", Family::V4, false)),
            Some(Err(Error::AddrInval))
        );
        assert_eq!(
            quick(&q("1.2.3.4", "1", Family::V6, false)),
            Some(Err(Error::AddrInval))
        );
        assert_eq!(
            quick(&q("", "1", Family::Any, false)),
            Some(Err(Error::AddrInval))
        );
        assert!(quick(&q("localhost", "1", Family::Any, false)).is_none());
    }

    #[test]
    fn ports_out_of_range_are_invalid_addresses() {
        assert_eq!(numeric_port("65536"), Some(Err(Error::AddrInval)));
        assert_eq!(numeric_port("-1"), Some(Err(Error::AddrInval)));
        assert_eq!(numeric_port("0"), Some(Ok(0)));
        assert_eq!(numeric_port("http"), None);
        assert_eq!(
            resolve_now(&q("127.0.0.1", "99999", Family::Any, false)),
            Err(Error::AddrInval)
        );
    }

    #[test]
    fn names_resolve_on_a_resolver_thread() {
        let (tx, rx) = mpsc::channel();
        resolve(
            q("localhost", "1234", Family::V4, false),
            Box::new(move |r| {
                let name = std::thread::current().name().map(str::to_owned);
                tx.send((r, name)).unwrap();
            }),
        );
        let (r, name) = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(r, Ok("127.0.0.1:1234".parse().unwrap()));
        assert!(name.unwrap_or_default().starts_with("nng:resolv"));
    }
}
