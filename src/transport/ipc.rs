//! The IPC transport over UNIX-domain stream sockets: `ipc://` and its
//! alias `unix://` (a filesystem path), and `abstract://` (a Linux abstract
//! name) (WIRE.md §2, §4).
//!
//! - `ipc://PATH`: everything after `://` is the path (relative to the
//!   working directory unless it starts with `/`); empty or longer than 127
//!   bytes is `NNG_EADDRINVAL` at creation, longer than `sun_path` (107)
//!   at bind or connect. A listener whose bind finds the path in use probes
//!   it with a connect: refused means a stale file, which is removed before
//!   binding again. The file is removed when the listener closes, and
//!   `NNG_OPT_IPC_PERMISSIONS` (set before starting) is applied after bind.
//! - `abstract://NAME`: NAME is URL-decoded (`%00` and the like allowed), at
//!   most 107 bytes; the socket address is exactly family + NUL + name (no
//!   padding, for interop). A listener with an empty name auto-binds: the
//!   kernel picks a name, read back with `NNG_OPT_LOCADDR`. Permissions are
//!   accepted and ignored.
//!
//! Pipes report the endpoint's address as both `NNG_OPT_LOCADDR` and
//! `NNG_OPT_REMADDR` (as upstream) and the peer's credentials
//! (`NNG_OPT_PEER_UID`, `_GID`, `_PID`, from `SO_PEERCRED`).

use std::ffi::{OsStr, OsString};
use std::os::fd::AsFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::sp::Framing;
use super::stream::{Acceptor, Conn, DialCore, EpOpts, Kind, BACKLOG};
use super::{PipeCallback, SockInfo, TranDialer, TranListener};
use crate::core::error::{Error, Result};
use crate::core::options::OptValue;
use crate::core::sockaddr::{SockAddr, MAX_PATH_LEN};
use crate::core::url::{self, Url};
use crate::runtime::sync::lock;
use crate::runtime::sys::{self, RawAddr, UnixName, SUN_PATH_MAX};

/// `S_IFMT`: file-type bits, refused in permissions.
const S_IFMT: i32 = 0o170000;

/// Parses an ipc, unix or abstract URL into a socket name and address.
pub(crate) fn parse(raw: &str) -> Result<(UnixName, SockAddr)> {
    let u = Url::parse(raw)?;
    match u.scheme.as_str() {
        "ipc" | "unix" => {
            let p = u.path.as_bytes();
            if p.is_empty() || p.len() > MAX_PATH_LEN {
                return Err(Error::AddrInval);
            }
            let addr = SockAddr::Ipc(PathBuf::from(OsString::from_vec(p.to_vec())));
            Ok((UnixName::Path(p.to_vec()), addr))
        }
        "abstract" => {
            let name = url::decode(&u.path).map_err(|_| Error::AddrInval)?;
            if name.len() > SUN_PATH_MAX {
                return Err(Error::AddrInval);
            }
            Ok((UnixName::Abstract(name.clone()), SockAddr::Abstract(name)))
        }
        _ => Err(Error::NotSup),
    }
}

pub(crate) fn sockaddr_of(n: &UnixName) -> SockAddr {
    match n {
        UnixName::Path(p) => SockAddr::Ipc(PathBuf::from(OsString::from_vec(p.clone()))),
        UnixName::Abstract(a) => SockAddr::Abstract(a.clone()),
        UnixName::Unnamed => SockAddr::Abstract(Vec::new()),
    }
}

// ---------------------------------------------------------------------------
// Dialer

struct DialerInner {
    core: Arc<DialCore>,
    name: UnixName,
    addr: SockAddr,
    proto: u16,
}

/// An IPC (or abstract) dialer.
pub struct Dialer(Arc<DialerInner>);

impl Dialer {
    /// A dialer for `url`.
    pub fn new(url: &str, info: SockInfo) -> Result<Dialer> {
        let (name, addr) = parse(url)?;
        Ok(Dialer(Arc::new(DialerInner {
            core: Arc::new(DialCore::new(Arc::new(EpOpts::default()))),
            name,
            addr,
            proto: info.proto,
        })))
    }
}

impl DialerInner {
    fn connect_socket(&self) -> Result<Arc<Conn>> {
        let raw = RawAddr::unix(&self.name).ok_or(Error::AddrInval)?;
        let fd = sys::stream_socket(libc::AF_UNIX)?;
        let connecting = match sys::connect(fd.as_fd(), &raw) {
            Ok(()) => false,
            Err(e) => match e.raw_os_error() {
                Some(libc::EINPROGRESS) => true,
                // No socket file: nobody listens.
                Some(libc::ENOENT) => return Err(Error::ConnRefused),
                _ => return Err(e.into()),
            },
        };
        let kind = Kind::Ipc(self.addr.clone());
        Ok(Conn::new(fd, Framing::Ipc, kind, self.proto, connecting))
    }
}

impl TranDialer for Dialer {
    fn connect(&self, done: PipeCallback) {
        let Some(gen) = self.0.core.begin(done) else {
            return;
        };
        match self.0.connect_socket() {
            Ok(conn) => self.0.core.attach(gen, conn),
            Err(e) => self.0.core.fail(gen, e),
        }
    }

    fn close(&self) {
        self.0.core.close();
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        if self.0.core.opts.set(name, val, false)? {
            return Ok(());
        }
        Err(Error::NotSup)
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        self.0.core.opts.get(name, false).ok_or(Error::NotSup)
    }
}

// ---------------------------------------------------------------------------
// Listener

struct ListenState {
    closed: bool,
    /// The address; an auto-bound abstract name is filled in by bind.
    addr: SockAddr,
    /// Mode for the socket file (0: leave it as the umask made it).
    perms: u32,
    acc: Option<Arc<Acceptor>>,
    /// The socket file we created, removed on close.
    path: Option<PathBuf>,
}

/// An IPC (or abstract) listener.
pub struct Listener {
    name: UnixName,
    proto: u16,
    opts: Arc<EpOpts>,
    st: Mutex<ListenState>,
}

impl Listener {
    /// A listener for `url`.
    pub fn new(url: &str, info: SockInfo) -> Result<Listener> {
        let (name, addr) = parse(url)?;
        Ok(Listener {
            name,
            proto: info.proto,
            opts: Arc::new(EpOpts::default()),
            st: Mutex::new(ListenState {
                closed: false,
                addr,
                perms: 0,
                acc: None,
                path: None,
            }),
        })
    }
}

/// Removes the socket file at `path` if nobody listens on it (a connect is
/// refused), as upstream does before a second bind attempt.
pub(crate) fn remove_stale(path: &[u8]) {
    let Ok(fd) = sys::stream_socket(libc::AF_UNIX) else {
        return;
    };
    let Some(raw) = RawAddr::unix(&UnixName::Path(path.to_vec())) else {
        return;
    };
    if let Err(e) = sys::connect(fd.as_fd(), &raw) {
        if e.raw_os_error() == Some(libc::ECONNREFUSED) {
            let _ = std::fs::remove_file(OsStr::from_bytes(path));
        }
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
        let raw = RawAddr::unix(&self.name).ok_or(Error::AddrInval)?;
        let fd = sys::stream_socket(libc::AF_UNIX)?;
        let path = match &self.name {
            UnixName::Path(p) => Some(p.as_slice()),
            _ => None,
        };
        if let Err(e) = sys::bind(fd.as_fd(), &raw) {
            let in_use = matches!(e.raw_os_error(), Some(libc::EADDRINUSE | libc::EEXIST));
            match path {
                Some(p) if in_use => {
                    remove_stale(p);
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
        if self.name == UnixName::Abstract(Vec::new()) {
            // Auto-bound: learn the name the kernel chose.
            if let Some(n) = sys::local_addr(fd.as_fd()).ok().and_then(|a| a.to_unix()) {
                st.addr = sockaddr_of(&n);
            }
        }
        let kind = Kind::Ipc(st.addr.clone());
        let acc = Acceptor::start(fd, Framing::Ipc, kind, self.proto, self.opts.clone())
            .map_err(unlink)?;
        st.acc = Some(acc);
        st.path = path.map(|p| PathBuf::from(OsStr::from_bytes(p)));
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
        let (acc, path) = {
            let mut st = lock(&self.st);
            st.closed = true;
            (st.acc.clone(), st.path.take())
        };
        if let Some(a) = acc {
            a.close();
        }
        if let Some(p) = path {
            let _ = std::fs::remove_file(p);
        }
    }

    fn set_option(&self, name: &str, val: &OptValue) -> Result<()> {
        if self.opts.set(name, val, false)? {
            return Ok(());
        }
        match name {
            "ipc:permissions" => {
                let mode = val.as_int()?;
                if !(0..=S_IFMT).contains(&mode) {
                    return Err(Error::Inval);
                }
                if matches!(self.name, UnixName::Abstract(_)) {
                    // No file to apply them to: accepted and ignored.
                    return Ok(());
                }
                if mode & S_IFMT != 0 {
                    return Err(Error::Inval);
                }
                let mut st = lock(&self.st);
                if st.acc.is_some() {
                    return Err(Error::Busy);
                }
                st.perms = mode as u32;
                Ok(())
            }
            "local-address" | "url" => Err(Error::ReadOnly),
            _ => Err(Error::NotSup),
        }
    }

    fn get_option(&self, name: &str) -> Result<OptValue> {
        if let Some(v) = self.opts.get(name, false) {
            return Ok(v);
        }
        match name {
            "local-address" => Ok(OptValue::Addr(lock(&self.st).addr.clone())),
            "ipc:permissions" => Err(Error::WriteOnly),
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
    fn urls_map_to_paths_and_abstract_names() {
        let (n, a) = parse("ipc:///tmp/x").unwrap();
        assert_eq!(n, UnixName::Path(b"/tmp/x".to_vec()));
        assert_eq!(a, SockAddr::Ipc("/tmp/x".into()));
        let (n, _) = parse("unix://rel").unwrap();
        assert_eq!(n, UnixName::Path(b"rel".to_vec()));
        let (n, a) = parse("abstract://a%00b").unwrap();
        assert_eq!(n, UnixName::Abstract(b"a\0b".to_vec()));
        assert_eq!(a, SockAddr::Abstract(b"a\0b".to_vec()));
        assert_eq!(parse("ipc://").err(), Some(Error::AddrInval));
        assert_eq!(
            parse(&format!("ipc://{}", "x".repeat(128))).err(),
            Some(Error::AddrInval)
        );
        assert_eq!(parse("abstract://%zz").err(), Some(Error::AddrInval));
        assert_eq!(
            parse(&format!("abstract://{}", "y".repeat(108))).err(),
            Some(Error::AddrInval)
        );
    }

    #[test]
    fn long_paths_fail_at_bind() {
        let l = Listener::new(&format!("ipc:///tmp/{}", "z".repeat(110)), INFO).unwrap();
        assert_eq!(l.bind(), Err(Error::AddrInval));
    }

    #[test]
    fn abstract_listener_auto_binds() {
        let l = Listener::new("abstract://", INFO).unwrap();
        l.bind().unwrap();
        let OptValue::Addr(SockAddr::Abstract(name)) = l.get_option("local-address").unwrap()
        else {
            panic!("abstract address expected")
        };
        assert!(!name.is_empty());
        // Permissions are accepted and ignored on abstract sockets.
        assert_eq!(
            l.set_option("ipc:permissions", &OptValue::Int(0o600)),
            Ok(())
        );
        l.close();
    }

    #[test]
    fn stale_socket_files_are_replaced_and_removed_on_close() {
        let dir = std::env::temp_dir().join(format!("nng-ipc-stale-{}", std::process::id()));
        let _ = std::fs::create_dir(&dir);
        let path = dir.join("s");
        // A stale socket file: bound, then its socket closed.
        {
            let fd = sys::stream_socket(libc::AF_UNIX).unwrap();
            let raw = RawAddr::unix(&UnixName::Path(path.as_os_str().as_bytes().to_vec())).unwrap();
            sys::bind(fd.as_fd(), &raw).unwrap();
        }
        assert!(path.exists());
        let url = format!("ipc://{}", path.display());
        let l = Listener::new(&url, INFO).unwrap();
        l.set_option("ipc:permissions", &OptValue::Int(0o600))
            .unwrap();
        l.bind().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            l.set_option("ipc:permissions", &OptValue::Int(0o600)),
            Err(Error::Busy)
        );
        // A live listener is not stale: a second one fails.
        let l2 = Listener::new(&url, INFO).unwrap();
        assert_eq!(l2.bind(), Err(Error::AddrInUse));
        drop(l2);
        assert!(path.exists(), "a failed bind must not remove the live file");
        l.close();
        assert!(!path.exists());
        let _ = std::fs::remove_dir(&dir);
    }

    #[test]
    fn permissions_refuse_file_type_bits() {
        let l = Listener::new("ipc:///tmp/nng-perm-check", INFO).unwrap();
        assert_eq!(
            l.set_option("ipc:permissions", &OptValue::Int(0o100644)),
            Err(Error::Inval)
        );
        assert_eq!(
            l.set_option("ipc:permissions", &OptValue::Int(-1)),
            Err(Error::Inval)
        );
        assert_eq!(
            l.set_option("ipc:permissions", &OptValue::Int(0o644)),
            Ok(())
        );
    }
}
