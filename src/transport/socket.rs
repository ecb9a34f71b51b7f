//! The `socket://` transport: SP over stream descriptors the application
//! already connected (WIRE.md §8), e.g. one end of `nng_socket_pair`.
//!
//! Listener only (a dialer is `NNG_ENOTSUP`); its URL is exactly
//! `socket://`. Each `NNG_OPT_SOCKET_FD` set on the listener hands it one
//! descriptor (ownership passes to the listener), which then speaks the TCP
//! mapping: the SP header exchange, with no time limit, then u64-length
//! framing. Descriptors set before the listener starts wait, at most 16
//! (`NNG_ENOSPC` beyond, as upstream). Pipes report no addresses
//! (`NNG_AF_UNSPEC`) and, for UNIX-domain descriptors, the peer's
//! credentials.

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex};

use super::sp::Framing;
use super::stream::{Acceptor, EpOpts, Kind};
use super::{PipeCallback, SockInfo, TranListener};
use crate::core::error::{Error, Result};
use crate::core::options::OptValue;
use crate::core::sockaddr::SockAddr;
use crate::core::url::Url;
use crate::runtime::sync::lock;
use crate::runtime::sys;

/// Descriptors a listener holds before it starts (upstream's queue).
const QUEUE_MAX: usize = 16;

struct State {
    started: bool,
    closed: bool,
    queued: VecDeque<OwnedFd>,
}

/// A `socket://` listener.
pub struct Listener {
    opts: Arc<EpOpts>,
    acc: Arc<Acceptor>,
    st: Mutex<State>,
}

impl Listener {
    /// A listener for `url`, which must be exactly `socket://`
    /// (`NNG_EADDRINVAL` otherwise).
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        let u = Url::parse(url)?;
        if u.scheme != "socket"
            || !u.host.as_deref().unwrap_or("").is_empty()
            || !u.path.is_empty()
            || u.fragment.is_some()
            || u.userinfo.is_some()
            || u.query.is_some()
        {
            return Err(Error::AddrInval);
        }
        let opts = Arc::new(EpOpts::default());
        Ok(Listener {
            acc: Acceptor::new(Framing::Tcp, Kind::Fd, info.proto, opts.clone()),
            opts,
            st: Mutex::new(State {
                started: false,
                closed: false,
                queued: VecDeque::new(),
            }),
        })
    }

    fn add_fd(&self, fd: i32) -> Result<()> {
        let mut st = lock(&self.st);
        if st.closed {
            return Err(Error::Closed);
        }
        if !st.started && st.queued.len() == QUEUE_MAX {
            return Err(Error::NoSpc);
        }
        // SAFETY: setting NNG_OPT_SOCKET_FD hands the descriptor to the
        // listener (its documented C contract); the application must not
        // use or close it afterwards.
        let Ok(fd) = (unsafe { sys::adopt_fd(fd) }) else {
            // As upstream, a descriptor that is not open is accepted and
            // then dropped when its connection fails to start.
            return Ok(());
        };
        if st.started {
            drop(st);
            return self.acc.adopt(fd);
        }
        st.queued.push_back(fd);
        Ok(())
    }
}

impl TranListener for Listener {
    fn bind(&self) -> Result<()> {
        let queued = {
            let mut st = lock(&self.st);
            if st.closed {
                return Err(Error::Closed);
            }
            if st.started {
                return Err(Error::State);
            }
            st.started = true;
            std::mem::take(&mut st.queued)
        };
        for fd in queued {
            self.acc.adopt(fd)?;
        }
        Ok(())
    }

    fn accept(&self, done: PipeCallback) {
        self.acc.accept(done);
    }

    fn close(&self) {
        let queued = {
            let mut st = lock(&self.st);
            st.closed = true;
            std::mem::take(&mut st.queued)
        };
        drop(queued);
        self.acc.close();
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        if self.opts.set(name, val, false)? {
            return Ok(());
        }
        match name {
            "socket:fd" => self.add_fd(val.as_int()?),
            "local-address" | "url" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        if let Some(v) = self.opts.get(name, false) {
            return Ok(v);
        }
        match name {
            "local-address" => Ok(OptValue::Addr(SockAddr::Unspec)),
            "socket:fd" => Err(Error::WriteOnly),
            _ => Err(Error::NotSup),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, IntoRawFd};
    use std::os::unix::net::UnixStream;
    use std::sync::mpsc;
    use std::time::Duration;

    use crate::transport::sp;

    const INFO: SockInfo = SockInfo {
        proto: 0x10,
        peer: 0x10,
    };

    #[test]
    fn only_the_bare_url_is_accepted() {
        assert!(Listener::new("socket://", INFO).is_ok());
        for bad in ["socket://x", "socket:///p", "socket://?q", "socket://#f"] {
            assert_eq!(
                Listener::new(bad, INFO).err(),
                Some(Error::AddrInval),
                "{bad}"
            );
        }
        assert_eq!(
            crate::transport::dialer("socket://", INFO).err(),
            Some(Error::NotSup)
        );
    }

    #[test]
    fn descriptors_queue_until_start_and_run_the_sp_mapping() {
        let l = Listener::new("socket://", INFO).unwrap();
        let (ours, mut theirs) = UnixStream::pair().unwrap();
        l.set_option("socket:fd", &OptValue::Int(ours.into_raw_fd()))
            .unwrap();
        let (tx, rx) = mpsc::channel();
        l.accept(Box::new(move |r| {
            let _ = tx.send(r.map(|p| p.peer()));
        }));
        // Nothing happens before start: our header has not been sent.
        theirs.set_nonblocking(true).unwrap();
        let mut h = [0u8; 8];
        assert!(theirs.read(&mut h).is_err());
        l.bind().unwrap();
        theirs.set_nonblocking(false).unwrap();
        theirs
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        theirs.read_exact(&mut h).unwrap();
        assert_eq!(h, sp::header(0x10));
        theirs.write_all(&sp::header(0x11)).unwrap();
        let peer = rx.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        assert_eq!(peer, 0x11);
        l.close();
    }

    #[test]
    fn at_most_sixteen_descriptors_wait() {
        let l = Listener::new("socket://", INFO).unwrap();
        let mut keep = Vec::new();
        for _ in 0..QUEUE_MAX {
            let (a, b) = UnixStream::pair().unwrap();
            l.set_option("socket:fd", &OptValue::Int(a.into_raw_fd()))
                .unwrap();
            keep.push(b);
        }
        // Refused: the descriptor stays the caller's.
        let (a, _b) = UnixStream::pair().unwrap();
        assert_eq!(
            l.set_option("socket:fd", &OptValue::Int(a.as_raw_fd())),
            Err(Error::NoSpc)
        );
        l.close();
        assert_eq!(
            l.set_option("socket:fd", &OptValue::Int(-1)),
            Err(Error::Closed)
        );
    }
}
