//! The operating-system calls of the I/O runtime: epoll, eventfd, sockets,
//! socket options and `getaddrinfo`, each a thin safe wrapper around one
//! `libc` call.
//!
//! This is the only place in the runtime and the transports that calls
//! `libc` for I/O. Every failing call's `-1` becomes the thread's `errno`
//! as an [`io::Error`] in one place (`cvt`), and every `unsafe` block says
//! which precondition of the call holds. Descriptors are [`OwnedFd`]s (closed
//! on drop) or borrowed as [`BorrowedFd`]s, so no wrapper can touch a
//! descriptor its caller does not hold.
//!
//! Everything here is non-blocking except [`resolve`] (a blocking
//! `getaddrinfo`, run on the resolver threads). Sockets are always created
//! with `SOCK_NONBLOCK | SOCK_CLOEXEC`; writes use `MSG_NOSIGNAL`, so a write
//! to a closed peer fails with `EPIPE` on any thread instead of raising
//! `SIGPIPE` in the application.
//!
//! Depends on nothing in the crate.

use std::ffi::CStr;
use std::io::{self, IoSlice};
use std::mem::{self, size_of, MaybeUninit};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

pub mod pollfd;

/// Turns a C `-1`-on-error return into an `io::Result`.
pub(crate) fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// Like [`cvt`] for calls returning `ssize_t`.
fn cvt_size(r: libc::ssize_t) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// Takes ownership of a descriptor a successful call just returned.
fn owned(fd: libc::c_int) -> OwnedFd {
    debug_assert!(fd >= 0);
    // SAFETY: `fd` was just returned by a successful call that creates a
    // descriptor (socket, accept4, epoll_create1, eventfd); nothing else
    // owns it, so the OwnedFd is its only owner and closes it once.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

// ---------------------------------------------------------------------------
// epoll and eventfd

/// `EPOLLIN`
pub const EV_IN: u32 = libc::EPOLLIN as u32;
/// `EPOLLOUT`
pub const EV_OUT: u32 = libc::EPOLLOUT as u32;
/// `EPOLLRDHUP`: the peer shut down its writing side.
pub const EV_RDHUP: u32 = libc::EPOLLRDHUP as u32;
/// `EPOLLHUP`
pub const EV_HUP: u32 = libc::EPOLLHUP as u32;
/// `EPOLLERR`
pub const EV_ERR: u32 = libc::EPOLLERR as u32;
/// `EPOLLET`: edge-triggered.
pub const EV_ET: u32 = libc::EPOLLET as u32;

/// An epoll event as the kernel reports it (events, user data).
pub type EpollEvent = libc::epoll_event;

/// A zeroed event, to size the buffer of [`epoll_wait`].
pub fn epoll_event_zero() -> EpollEvent {
    libc::epoll_event { events: 0, u64: 0 }
}

/// A new epoll instance (`epoll_create1(EPOLL_CLOEXEC)`).
pub fn epoll_create() -> io::Result<OwnedFd> {
    // SAFETY: epoll_create1 takes only a flag and returns a new descriptor.
    let fd = cvt(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
    Ok(owned(fd))
}

/// Adds `fd` to `ep` for `events`, reporting `data` with each event.
pub fn epoll_add(ep: BorrowedFd<'_>, fd: BorrowedFd<'_>, events: u32, data: u64) -> io::Result<()> {
    let mut ev = libc::epoll_event { events, u64: data };
    // SAFETY: both descriptors are open (borrowed from their owners for the
    // call); `ev` is a valid epoll_event the kernel only reads.
    cvt(unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_ADD, fd.as_raw_fd(), &mut ev) })?;
    Ok(())
}

/// Changes the events of `fd` in `ep` (`EPOLL_CTL_MOD`); for an
/// edge-triggered registration this re-arms it: an event comes at once for
/// whatever readiness holds now.
pub fn epoll_mod(ep: BorrowedFd<'_>, fd: BorrowedFd<'_>, events: u32, data: u64) -> io::Result<()> {
    let mut ev = libc::epoll_event { events, u64: data };
    // SAFETY: both descriptors are open (borrowed from their owners for the
    // call); `ev` is a valid epoll_event the kernel only reads.
    cvt(unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_MOD, fd.as_raw_fd(), &mut ev) })?;
    Ok(())
}

/// Removes `fd` from `ep`.
pub fn epoll_del(ep: BorrowedFd<'_>, fd: BorrowedFd<'_>) -> io::Result<()> {
    let mut ev = epoll_event_zero();
    // SAFETY: both descriptors are open; since Linux 2.6.9 the event pointer
    // is ignored for EPOLL_CTL_DEL, but we pass a valid one anyway.
    cvt(unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_DEL, fd.as_raw_fd(), &mut ev) })?;
    Ok(())
}

/// Waits for events on `ep` (`timeout_ms` -1: forever); returns how many
/// entries of `out` were filled.
pub fn epoll_wait(
    ep: BorrowedFd<'_>,
    out: &mut [EpollEvent],
    timeout_ms: i32,
) -> io::Result<usize> {
    let max = out.len().min(i32::MAX as usize) as libc::c_int;
    // SAFETY: `out` is a writable buffer of `max` epoll_events, which the
    // kernel fills from the front; `ep` is an open epoll descriptor.
    let n = cvt(unsafe { libc::epoll_wait(ep.as_raw_fd(), out.as_mut_ptr(), max, timeout_ms) })?;
    Ok(n as usize)
}

/// A non-blocking eventfd (a wake-up channel for a poller).
pub fn eventfd() -> io::Result<OwnedFd> {
    // SAFETY: eventfd takes an initial count and flags, returns a new fd.
    let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) })?;
    Ok(owned(fd))
}

/// Adds one to an eventfd's counter (makes it readable).
pub fn eventfd_signal(fd: BorrowedFd<'_>) {
    let one: u64 = 1;
    // SAFETY: writes the 8 bytes of `one` to an open eventfd. A full counter
    // (EAGAIN) already means "readable", so the result is not needed.
    let _ = unsafe { libc::write(fd.as_raw_fd(), (&one as *const u64).cast(), 8) };
}

/// Resets an eventfd's counter.
pub fn eventfd_drain(fd: BorrowedFd<'_>) {
    let mut v: u64 = 0;
    // SAFETY: reads at most 8 bytes into `v` from an open eventfd; EAGAIN
    // (already drained) is harmless.
    let _ = unsafe { libc::read(fd.as_raw_fd(), (&mut v as *mut u64).cast(), 8) };
}

// ---------------------------------------------------------------------------
// Socket addresses

/// A socket address in the kernel's form (`sockaddr_storage` and length).
#[derive(Clone, Copy)]
pub struct RawAddr {
    ss: libc::sockaddr_storage,
    len: libc::socklen_t,
}

/// What a UNIX-domain address names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnixName {
    /// A filesystem path (without the terminating NUL).
    Path(Vec<u8>),
    /// A Linux abstract name (without the leading NUL); may hold NULs.
    Abstract(Vec<u8>),
    /// No name (an unbound socket).
    Unnamed,
}

/// Longest `sun_path` content, without the terminating NUL (Linux: 107).
pub const SUN_PATH_MAX: usize = 107;

const SUN_PATH_OFFSET: usize = mem::offset_of!(libc::sockaddr_un, sun_path);

impl RawAddr {
    fn zeroed() -> RawAddr {
        RawAddr {
            // SAFETY: sockaddr_storage is plain old data; all-zero is a valid
            // (AF_UNSPEC) value.
            ss: unsafe { mem::zeroed() },
            len: size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        }
    }

    /// An IPv4 or IPv6 address.
    pub fn inet(a: &SocketAddr) -> RawAddr {
        let mut r = RawAddr::zeroed();
        match a {
            SocketAddr::V4(a) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: a.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(a.ip().octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_storage is larger than and aligned for
                // every sockaddr type, so writing a sockaddr_in at its start
                // stays in bounds.
                unsafe {
                    (&mut r.ss as *mut libc::sockaddr_storage)
                        .cast::<libc::sockaddr_in>()
                        .write(sin)
                };
                r.len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
            }
            SocketAddr::V6(a) => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: a.port().to_be(),
                    sin6_flowinfo: a.flowinfo(),
                    sin6_addr: libc::in6_addr {
                        s6_addr: a.ip().octets(),
                    },
                    sin6_scope_id: a.scope_id(),
                };
                // SAFETY: as above, for sockaddr_in6.
                unsafe {
                    (&mut r.ss as *mut libc::sockaddr_storage)
                        .cast::<libc::sockaddr_in6>()
                        .write(sin6)
                };
                r.len = size_of::<libc::sockaddr_in6>() as libc::socklen_t;
            }
        }
        r
    }

    /// A UNIX-domain address: a path (`None` if longer than
    /// [`SUN_PATH_MAX`] or holding a NUL), an abstract name (`None` if
    /// longer than [`SUN_PATH_MAX`]; empty asks for auto-bind: the length
    /// then covers the family only).
    pub fn unix(name: &UnixName) -> Option<RawAddr> {
        let mut r = RawAddr::zeroed();
        let mut path = [0 as libc::c_char; 108];
        let len = match name {
            UnixName::Path(p) => {
                if p.len() > SUN_PATH_MAX || p.is_empty() || p.contains(&0) {
                    return None;
                }
                for (d, s) in path.iter_mut().zip(p.iter()) {
                    *d = *s as libc::c_char;
                }
                SUN_PATH_OFFSET + p.len() + 1
            }
            UnixName::Abstract(n) => {
                if n.len() > SUN_PATH_MAX {
                    return None;
                }
                for (d, s) in path[1..].iter_mut().zip(n.iter()) {
                    *d = *s as libc::c_char;
                }
                if n.is_empty() {
                    SUN_PATH_OFFSET
                } else {
                    SUN_PATH_OFFSET + 1 + n.len()
                }
            }
            UnixName::Unnamed => SUN_PATH_OFFSET,
        };
        let sun = libc::sockaddr_un {
            sun_family: libc::AF_UNIX as libc::sa_family_t,
            sun_path: path,
        };
        // SAFETY: sockaddr_storage is larger than and aligned for
        // sockaddr_un, so the write stays in bounds.
        unsafe {
            (&mut r.ss as *mut libc::sockaddr_storage)
                .cast::<libc::sockaddr_un>()
                .write(sun)
        };
        r.len = len as libc::socklen_t;
        Some(r)
    }

    /// The address family (`AF_INET`, `AF_INET6`, `AF_UNIX`, ...).
    pub fn family(&self) -> i32 {
        i32::from(self.ss.ss_family)
    }

    /// The IP address, for `AF_INET`/`AF_INET6`.
    pub fn to_inet(&self) -> Option<SocketAddr> {
        match self.family() {
            libc::AF_INET if self.len as usize >= size_of::<libc::sockaddr_in>() => {
                // SAFETY: the family says the storage holds a sockaddr_in,
                // and the length covers it; storage is aligned for it.
                let sin = unsafe {
                    &*(&self.ss as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>()
                };
                let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
                Some(SocketAddr::V4(SocketAddrV4::new(
                    ip,
                    u16::from_be(sin.sin_port),
                )))
            }
            libc::AF_INET6 if self.len as usize >= size_of::<libc::sockaddr_in6>() => {
                // SAFETY: as above, for sockaddr_in6.
                let sin6 = unsafe {
                    &*(&self.ss as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>()
                };
                let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                Some(SocketAddr::V6(SocketAddrV6::new(
                    ip,
                    u16::from_be(sin6.sin6_port),
                    sin6.sin6_flowinfo,
                    sin6.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }

    /// The UNIX-domain name, for `AF_UNIX`.
    pub fn to_unix(&self) -> Option<UnixName> {
        if self.family() != libc::AF_UNIX {
            return None;
        }
        let len = (self.len as usize).min(size_of::<libc::sockaddr_un>());
        if len <= SUN_PATH_OFFSET {
            return Some(UnixName::Unnamed);
        }
        // SAFETY: the family says the storage holds a sockaddr_un; storage
        // is aligned and large enough for it.
        let sun =
            unsafe { &*(&self.ss as *const libc::sockaddr_storage).cast::<libc::sockaddr_un>() };
        let bytes: Vec<u8> = sun.sun_path[..len - SUN_PATH_OFFSET]
            .iter()
            .map(|&c| c as u8)
            .collect();
        if bytes[0] == 0 {
            return Some(UnixName::Abstract(bytes[1..].to_vec()));
        }
        let end = bytes.iter().position(|&c| c == 0).unwrap_or(bytes.len());
        Some(UnixName::Path(bytes[..end].to_vec()))
    }

    fn as_ptr(&self) -> *const libc::sockaddr {
        (&self.ss as *const libc::sockaddr_storage).cast()
    }
}

// ---------------------------------------------------------------------------
// Sockets

/// A new non-blocking, close-on-exec stream socket of `family`.
pub fn stream_socket(family: i32) -> io::Result<OwnedFd> {
    let ty = libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: socket takes only integers and returns a new descriptor.
    let fd = cvt(unsafe { libc::socket(family, ty, 0) })?;
    Ok(owned(fd))
}

/// Takes over a descriptor the application handed us (`NNG_OPT_SOCKET_FD`)
/// and makes it non-blocking. Fails with `EBADF` if `fd` is not open.
///
/// # Safety
///
/// The caller owns `fd` and gives it up: nothing else may use or close it
/// afterwards (the C contract of `NNG_OPT_SOCKET_FD`).
pub unsafe fn adopt_fd(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: fcntl on any integer is memory-safe; it fails with EBADF
    // when `fd` is not an open descriptor.
    let fl = cvt(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
    // SAFETY: as above; sets the status flags of an open descriptor.
    cvt(unsafe { libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK) })?;
    // SAFETY: as above; close-on-exec, as for every descriptor we make.
    cvt(unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) })?;
    // SAFETY: `fd` is open (fcntl succeeded) and, per this function's
    // contract, owned by the caller and handed to us alone.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Binds `fd` to `addr`.
pub fn bind(fd: BorrowedFd<'_>, addr: &RawAddr) -> io::Result<()> {
    // SAFETY: `addr` points at `len` initialised bytes of a sockaddr.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), addr.as_ptr(), addr.len) })?;
    Ok(())
}

/// Starts listening with a backlog of `backlog`.
pub fn listen(fd: BorrowedFd<'_>, backlog: i32) -> io::Result<()> {
    // SAFETY: listen takes an open descriptor and an integer.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), backlog) })?;
    Ok(())
}

/// Starts connecting `fd` to `addr`. A non-blocking socket usually fails
/// with `EINPROGRESS` (wait for writability, then read [`take_error`]).
pub fn connect(fd: BorrowedFd<'_>, addr: &RawAddr) -> io::Result<()> {
    // SAFETY: `addr` points at `len` initialised bytes of a sockaddr.
    cvt(unsafe { libc::connect(fd.as_raw_fd(), addr.as_ptr(), addr.len) })?;
    Ok(())
}

/// Accepts one connection as a non-blocking, close-on-exec socket.
pub fn accept(fd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    let flags = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: NULL address pointers ask accept4 not to report the peer.
    let nfd = cvt(unsafe {
        libc::accept4(
            fd.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            flags,
        )
    })?;
    Ok(owned(nfd))
}

/// Reads into `buf`; `Ok(0)` is end of stream.
pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is writable for its length.
    cvt_size(unsafe {
        libc::recv(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_DONTWAIT,
        )
    })
}

/// Reads into possibly uninitialised memory; returns the part of `buf`
/// the kernel filled (now initialised), at its start.
pub fn read_uninit<'a>(
    fd: BorrowedFd<'_>,
    buf: &'a mut [MaybeUninit<u8>],
) -> io::Result<&'a mut [u8]> {
    // SAFETY: `buf` is writable for its length; the kernel only writes.
    let n = cvt_size(unsafe {
        libc::recv(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_DONTWAIT,
        )
    })?;
    // SAFETY: recv wrote n <= buf.len() bytes at the start of `buf`, so they
    // are initialised; the view borrows `buf` mutably for its lifetime.
    Ok(unsafe { std::slice::from_raw_parts_mut(buf.as_mut_ptr().cast::<u8>(), n) })
}

/// Writes the buffers in order, as much as fits without blocking
/// (`sendmsg` with `MSG_NOSIGNAL | MSG_DONTWAIT`).
pub fn write_vectored(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    // SAFETY: sendmsg only reads the msghdr and the iovecs; IoSlice is
    // guaranteed ABI-compatible with `struct iovec` on Unix, and the slices
    // stay borrowed for the call. A zeroed msghdr is valid (no name, no
    // control data).
    unsafe {
        let mut mh: libc::msghdr = mem::zeroed();
        mh.msg_iov = bufs.as_ptr() as *mut libc::iovec;
        mh.msg_iovlen = bufs.len().min(libc::UIO_MAXIOV as usize) as _;
        cvt_size(libc::sendmsg(
            fd.as_raw_fd(),
            &mh,
            libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
        ))
    }
}

/// Reads into the `n` buffers at `iov` in order, as much as is available
/// without blocking (`recvmsg` with `MSG_DONTWAIT`); `Ok(0)` is end of
/// stream.
///
/// # Safety
///
/// `iov` points at `n` `struct iovec`s whose buffers are writable for their
/// lengths during the call.
pub unsafe fn read_iov(fd: BorrowedFd<'_>, iov: *const libc::iovec, n: usize) -> io::Result<usize> {
    // SAFETY: recvmsg writes only into the described buffers (writable per
    // the contract) and reads the msghdr; a zeroed msghdr is valid.
    unsafe {
        let mut mh: libc::msghdr = mem::zeroed();
        mh.msg_iov = iov as *mut libc::iovec;
        mh.msg_iovlen = n.min(libc::UIO_MAXIOV as usize) as _;
        cvt_size(libc::recvmsg(fd.as_raw_fd(), &mut mh, libc::MSG_DONTWAIT))
    }
}

/// Writes the `n` buffers at `iov` in order, as much as fits without
/// blocking (`sendmsg` with `MSG_NOSIGNAL | MSG_DONTWAIT`).
///
/// # Safety
///
/// `iov` points at `n` `struct iovec`s whose buffers are readable for their
/// lengths during the call.
pub unsafe fn write_iov(
    fd: BorrowedFd<'_>,
    iov: *const libc::iovec,
    n: usize,
) -> io::Result<usize> {
    // SAFETY: sendmsg only reads the msghdr and the described buffers
    // (readable per the contract); a zeroed msghdr is valid.
    unsafe {
        let mut mh: libc::msghdr = mem::zeroed();
        mh.msg_iov = iov as *mut libc::iovec;
        mh.msg_iovlen = n.min(libc::UIO_MAXIOV as usize) as _;
        cvt_size(libc::sendmsg(
            fd.as_raw_fd(),
            &mh,
            libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
        ))
    }
}

/// Shuts down both directions (the peer sees end of stream at once, even
/// while our descriptor stays open).
pub fn shutdown(fd: BorrowedFd<'_>) {
    // SAFETY: shutdown takes an open descriptor and a constant; ENOTCONN on
    // a never-connected socket is harmless.
    let _ = unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_RDWR) };
}

/// Sets an `int` socket option.
pub fn set_int_opt(fd: BorrowedFd<'_>, level: i32, name: i32, val: i32) -> io::Result<()> {
    // SAFETY: passes a pointer to a live int and its exact size.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&val as *const i32).cast(),
            size_of::<i32>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// Reads an `int` socket option.
pub fn int_opt(fd: BorrowedFd<'_>, level: i32, name: i32) -> io::Result<i32> {
    let mut val: i32 = 0;
    let mut len = size_of::<i32>() as libc::socklen_t;
    // SAFETY: `val` and `len` are live and writable; `len` holds val's size.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut val as *mut i32).cast(),
            &mut len,
        )
    })?;
    Ok(val)
}

/// The pending error of a socket (`SO_ERROR`), cleared by reading; 0: none.
pub fn take_error(fd: BorrowedFd<'_>) -> io::Result<i32> {
    int_opt(fd, libc::SOL_SOCKET, libc::SO_ERROR)
}

/// `TCP_NODELAY` and `SO_KEEPALIVE` in one call (what a new TCP connection
/// gets from its endpoint). Errors are ignored, as upstream does.
pub fn set_tcp_opts(fd: BorrowedFd<'_>, nodelay: bool, keepalive: bool) {
    let _ = set_int_opt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, i32::from(nodelay));
    let _ = set_int_opt(
        fd,
        libc::SOL_SOCKET,
        libc::SO_KEEPALIVE,
        i32::from(keepalive),
    );
}

/// `TCP_NODELAY` of a socket.
pub fn tcp_nodelay(fd: BorrowedFd<'_>) -> io::Result<bool> {
    Ok(int_opt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY)? != 0)
}

/// `SO_KEEPALIVE` of a socket.
pub fn keepalive(fd: BorrowedFd<'_>) -> io::Result<bool> {
    Ok(int_opt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE)? != 0)
}

/// `SO_REUSEADDR` on (listeners, as upstream: a restarted server can bind
/// while old connections linger in TIME_WAIT).
pub fn set_reuseaddr(fd: BorrowedFd<'_>) {
    let _ = set_int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
}

/// The peer's credentials of a UNIX-domain socket (`SO_PEERCRED`):
/// (pid, uid, gid).
pub fn peer_cred(fd: BorrowedFd<'_>) -> io::Result<(u64, u64, u64)> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are live and writable; `len` holds the size.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    })?;
    Ok((cred.pid as u64, u64::from(cred.uid), u64::from(cred.gid)))
}

/// The local address of a socket (`getsockname`).
pub fn local_addr(fd: BorrowedFd<'_>) -> io::Result<RawAddr> {
    let mut r = RawAddr::zeroed();
    // SAFETY: `r.ss` is writable for `r.len` bytes; the kernel updates len.
    cvt(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut r.ss as *mut libc::sockaddr_storage).cast(),
            &mut r.len,
        )
    })?;
    Ok(r)
}

/// The peer address of a connected socket (`getpeername`).
pub fn peer_addr(fd: BorrowedFd<'_>) -> io::Result<RawAddr> {
    let mut r = RawAddr::zeroed();
    // SAFETY: as in `local_addr`.
    cvt(unsafe {
        libc::getpeername(
            fd.as_raw_fd(),
            (&mut r.ss as *mut libc::sockaddr_storage).cast(),
            &mut r.len,
        )
    })?;
    Ok(r)
}

// ---------------------------------------------------------------------------
// Name resolution

/// Which address family a lookup may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// IPv4 or IPv6.
    Any,
    /// IPv4 only.
    V4,
    /// IPv6 only.
    V6,
}

/// Why a lookup failed: a `getaddrinfo` code (`EAI_*`), with `errno` for
/// `EAI_SYSTEM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaiError {
    /// The `EAI_*` code.
    pub code: i32,
    /// `errno`, meaningful for `EAI_SYSTEM`.
    pub errno: i32,
}

/// `EAI_*` codes the caller maps to nng errors.
pub mod eai {
    /// `EAI_MEMORY`
    pub const MEMORY: i32 = libc::EAI_MEMORY;
    /// `EAI_SYSTEM`
    pub const SYSTEM: i32 = libc::EAI_SYSTEM;
    /// `EAI_NONAME`
    pub const NONAME: i32 = libc::EAI_NONAME;
    /// `EAI_NODATA`
    pub const NODATA: i32 = libc::EAI_NODATA;
    /// `EAI_SERVICE`
    pub const SERVICE: i32 = libc::EAI_SERVICE;
    /// `EAI_BADFLAGS`
    pub const BADFLAGS: i32 = libc::EAI_BADFLAGS;
    /// `EAI_SOCKTYPE`
    pub const SOCKTYPE: i32 = libc::EAI_SOCKTYPE;
    /// `EAI_AGAIN`
    pub const AGAIN: i32 = libc::EAI_AGAIN;
    /// `EAI_FAMILY`
    pub const FAMILY: i32 = libc::EAI_FAMILY;
    /// `EAI_ADDRFAMILY` (a GNU extension the libc crate does not export:
    /// glibc's `<netdb.h>` value).
    pub const ADDRFAMILY: i32 = -9;
}

/// Looks up `host` (`None`: the wildcard, with `passive`) and `service` (a
/// port number when `numeric_service`, else a service name) with
/// `getaddrinfo` (`AI_ADDRCONFIG`, stream sockets), returning the first
/// IPv4 or IPv6 result of the requested family. Blocks.
pub fn resolve(
    host: Option<&CStr>,
    service: &CStr,
    family: Family,
    passive: bool,
    numeric_service: bool,
) -> Result<Option<SocketAddr>, GaiError> {
    // SAFETY: addrinfo is plain old data; zero is the documented "no
    // hints" value for every field.
    let mut hints: libc::addrinfo = unsafe { mem::zeroed() };
    hints.ai_family = match family {
        Family::Any => libc::AF_UNSPEC,
        Family::V4 => libc::AF_INET,
        Family::V6 => libc::AF_INET6,
    };
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_flags = libc::AI_ADDRCONFIG;
    if passive {
        hints.ai_flags |= libc::AI_PASSIVE;
    }
    if numeric_service {
        hints.ai_flags |= libc::AI_NUMERICSERV;
    }
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let host_ptr = host.map_or(std::ptr::null(), CStr::as_ptr);
    // SAFETY: host (or NULL) and service are NUL-terminated strings that
    // outlive the call; hints is initialised; res receives a list we free
    // below with freeaddrinfo.
    let rv = unsafe { libc::getaddrinfo(host_ptr, service.as_ptr(), &hints, &mut res) };
    if rv != 0 {
        return Err(GaiError {
            code: rv,
            errno: io::Error::last_os_error().raw_os_error().unwrap_or(0),
        });
    }
    let mut found = None;
    let mut p = res;
    while !p.is_null() {
        // SAFETY: p is a node of the list getaddrinfo returned, not yet freed.
        let ai = unsafe { &*p };
        let fam = ai.ai_family;
        if (fam == libc::AF_INET || fam == libc::AF_INET6)
            && !ai.ai_addr.is_null()
            && ai.ai_addrlen as usize <= size_of::<libc::sockaddr_storage>()
        {
            let mut r = RawAddr::zeroed();
            // SAFETY: ai_addr points at ai_addrlen bytes of a sockaddr, and
            // that fits the storage (checked above).
            unsafe {
                std::ptr::copy_nonoverlapping(
                    ai.ai_addr.cast::<u8>(),
                    (&mut r.ss as *mut libc::sockaddr_storage).cast::<u8>(),
                    ai.ai_addrlen as usize,
                )
            };
            r.len = ai.ai_addrlen;
            found = r.to_inet();
            if found.is_some() {
                break;
            }
        }
        p = ai.ai_next;
    }
    // SAFETY: res came from a successful getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn inet_addresses_round_trip() {
        for a in ["127.0.0.1:80", "[::1]:65535", "[fe80::1%3]:1", "0.0.0.0:0"] {
            let sa: SocketAddr = a.parse().unwrap();
            assert_eq!(RawAddr::inet(&sa).to_inet(), Some(sa), "{a}");
        }
    }

    #[test]
    fn unix_addresses_round_trip_with_exact_lengths() {
        let p = UnixName::Path(b"/tmp/x".to_vec());
        let r = RawAddr::unix(&p).unwrap();
        assert_eq!(r.len as usize, SUN_PATH_OFFSET + 7);
        assert_eq!(r.to_unix(), Some(p));
        let a = UnixName::Abstract(b"a\0b".to_vec());
        let r = RawAddr::unix(&a).unwrap();
        assert_eq!(r.len as usize, SUN_PATH_OFFSET + 1 + 3);
        assert_eq!(r.to_unix(), Some(a));
        let auto = RawAddr::unix(&UnixName::Abstract(Vec::new())).unwrap();
        assert_eq!(auto.len as usize, SUN_PATH_OFFSET);
        assert!(RawAddr::unix(&UnixName::Path(vec![b'a'; 108])).is_none());
        assert!(RawAddr::unix(&UnixName::Path(vec![b'a'; 107])).is_some());
        assert!(RawAddr::unix(&UnixName::Abstract(vec![b'a'; 108])).is_none());
    }

    #[test]
    fn loopback_socket_connects_and_moves_bytes() {
        let l = stream_socket(libc::AF_INET).unwrap();
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        bind(l.as_fd(), &RawAddr::inet(&any)).unwrap();
        listen(l.as_fd(), 4).unwrap();
        let at = local_addr(l.as_fd()).unwrap().to_inet().unwrap();
        assert_ne!(at.port(), 0);
        let c = stream_socket(libc::AF_INET).unwrap();
        match connect(c.as_fd(), &RawAddr::inet(&at)) {
            Ok(()) => {}
            Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EINPROGRESS)),
        }
        // Blocking-free wait: poll the listener with epoll.
        let ep = epoll_create().unwrap();
        epoll_add(ep.as_fd(), l.as_fd(), EV_IN, 7).unwrap();
        let mut evs = [epoll_event_zero(); 4];
        let n = epoll_wait(ep.as_fd(), &mut evs, 10_000).unwrap();
        assert_eq!(n, 1);
        let s = accept(l.as_fd()).unwrap();
        assert_eq!(take_error(c.as_fd()).unwrap(), 0);
        let n = write_vectored(c.as_fd(), &[IoSlice::new(b"ab"), IoSlice::new(b"cd")]).unwrap();
        assert_eq!(n, 4);
        epoll_add(ep.as_fd(), s.as_fd(), EV_IN, 8).unwrap();
        let mut buf = [0u8; 8];
        loop {
            match read(s.as_fd(), &mut buf) {
                Ok(n) => {
                    assert_eq!(&buf[..n], b"abcd");
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    epoll_wait(ep.as_fd(), &mut evs, 10_000).unwrap();
                }
                Err(e) => panic!("{e}"),
            }
        }
        set_tcp_opts(s.as_fd(), true, true);
        assert!(tcp_nodelay(s.as_fd()).unwrap());
        assert!(keepalive(s.as_fd()).unwrap());
        assert_eq!(
            peer_addr(s.as_fd()).unwrap().to_inet().unwrap().ip(),
            at.ip()
        );
    }

    #[test]
    fn resolver_finds_numeric_and_local_names() {
        let a = resolve(Some(c"127.0.0.1"), c"80", Family::V4, false, true).unwrap();
        assert_eq!(a, Some("127.0.0.1:80".parse().unwrap()));
        let a = resolve(None, c"0", Family::V4, true, true).unwrap();
        assert_eq!(a, Some("0.0.0.0:0".parse().unwrap()));
    }
}
