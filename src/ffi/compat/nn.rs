//! C API: the nanomsg compatibility layer (`<nng/compat/nanomsg/nn.h>`).
//!
//! nanomsg reports errors as -1 with `errno` set; [`errno_for`] is the one
//! place that maps an nng error to that `errno` (reference ABI.md §6.4) and
//! [`nn_strerror`] maps it back. Socket numbers are nng socket ids.
//!
//! Message buffers (`nn_allocmsg`, and `NN_MSG` transfers) are nng messages:
//! the body of the message starts with the message's own `nng_msg *`
//! ([`NN_BUF_HDR`] bytes), and C gets a pointer just past it, so every nn
//! buffer leads back to its message. [`nn_buf_from_msg`], [`nn_buf_msg`] and
//! [`nn_buf_len`] (and `nn_buf_restore`) are the only code that knows this
//! layout. An `NN_MSG` send trims the [`NN_BUF_HDR`] bytes off the front of
//! the body and sends the message itself (no copy); a failed send puts them
//! back, so the caller's buffer stays where it was. A received message
//! keeps its SP header inside the nn buffer, so forwarding a buffer from a
//! raw socket keeps its routing.
//!
//! Sockets (`nn_socket` ... `nn_term`) follow upstream's `nn.c` (v1.12.0):
//! a thin layer over `core::socket` (open, send/receive, options, dialers
//! and listeners) and `core::device`, with upstream's option table
//! (`OPTIONS`) and unit conversions. Differences, all where upstream
//! would crash or act on the wrong object: NULL buffers give EFAULT (as
//! nanomsg did), `nn_shutdown` closes only an endpoint of the socket it is
//! given, a non-SP control message before the SP header is skipped, and a
//! failed `NN_MSG` send drops the SP header it appended.
//!
//! The header's `NN_ERRBASE`, errno fallbacks, `NN_MSG` and `NN_CMSG_*`
//! macros are text (`tools/headers/text/nn_prelude.h`, `nn_trailer.h`); the
//! same values are in [`abi`] for Rust.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void};
use std::mem::size_of;

use std::sync::Arc;

use crate::core::aio::Aio;
use crate::core::device;
use crate::core::error::Error;
use crate::core::msg::Msg;
use crate::core::names::proto as names_proto;
use crate::core::names::{
    NNG_OPT_MAXTTL, NNG_OPT_PROTO, NNG_OPT_RAW, NNG_OPT_RECONNMAXT, NNG_OPT_RECONNMINT,
    NNG_OPT_RECVBUF, NNG_OPT_RECVFD, NNG_OPT_RECVMAXSZ, NNG_OPT_RECVTIMEO, NNG_OPT_SENDBUF,
    NNG_OPT_SENDFD, NNG_OPT_SENDTIMEO, NNG_OPT_SOCKNAME, NNG_OPT_TCP_NODELAY,
};
use crate::core::options::{self, OptValue};
use crate::core::socket::{self, Socket, DIALERS, LISTENERS};
use crate::ffi::lib::nng_strerror;
use crate::ffi::msg::{msg_from_c, msg_into_c, msg_mut};
use crate::ffi::options::{get_value, set_value, GetArg, SetArg};
use crate::ffi::types::nng_msg;
use crate::ffi::{guard, PanicDefault};
use crate::protocol::{Protocol, SOCKET_CTX};

use super::bus::NN_BUS;
use super::pair::NN_PAIR;
use super::pipeline::{NN_PULL, NN_PUSH};
use super::pubsub::{NN_PUB, NN_SUB, NN_SUB_SUBSCRIBE, NN_SUB_UNSUBSCRIBE};
use super::reqrep::{NN_REP, NN_REQ, NN_REQ_RESEND_IVL};
use super::survey::{NN_RESPONDENT, NN_SURVEYOR, NN_SURVEYOR_DEADLINE};
use super::tcp::{NN_TCP, NN_TCP_NODELAY};
use super::ws::{NN_WS, NN_WS_MSG_TYPE, NN_WS_MSG_TYPE_BINARY};

/// Values the header spells as text macros (see the module docs).
///
/// cbindgen:ignore
pub mod abi {
    use std::ffi::c_int;

    /// Base of the errno values nanomsg invents where the system has none.
    pub const NN_ERRBASE: c_int = 0x1000_0000;
    /// "Library is terminating" (no system errno).
    pub const ETERM: c_int = NN_ERRBASE + 29;
    /// "Operation cannot be performed in this state" (no system errno).
    pub const EFSM: c_int = NN_ERRBASE + 30;
    /// Size meaning "the buffer is a message from `nn_allocmsg`".
    pub const NN_MSG: usize = usize::MAX;
    /// Bytes in front of every nn buffer: its `nng_msg *`.
    pub const NN_BUF_HDR: usize = std::mem::size_of::<*mut crate::ffi::types::nng_msg>();
}
pub use abi::NN_BUF_HDR;
use abi::{EFSM, NN_MSG};

/// Socket domain: a normal ("cooked") SP socket.
pub const AF_SP: c_int = 1;
/// Socket domain: a raw SP socket (for devices).
pub const AF_SP_RAW: c_int = 2;
/// Longest address string nanomsg accepted.
pub const NN_SOCKADDR_MAX: c_int = 128;
/// Option level of the generic socket options.
pub const NN_SOL_SOCKET: c_int = 0;
/// Send/receive flag: do not block.
pub const NN_DONTWAIT: c_int = 1;
/// Control-message level of SP headers.
pub const PROTO_SP: c_int = 1;
/// Control-message type of an SP header.
pub const SP_HDR: c_int = 1;

/// Socket option: linger time (ignored; reads as 0).
pub const NN_LINGER: c_int = 1;
/// Socket option: send buffer in bytes (nng keeps messages: bytes / 1024).
pub const NN_SNDBUF: c_int = 2;
/// Socket option: receive buffer in bytes (nng keeps messages: bytes / 1024).
pub const NN_RCVBUF: c_int = 3;
/// Socket option: send timeout, milliseconds.
pub const NN_SNDTIMEO: c_int = 4;
/// Socket option: receive timeout, milliseconds.
pub const NN_RCVTIMEO: c_int = 5;
/// Socket option: initial reconnect interval, milliseconds.
pub const NN_RECONNECT_IVL: c_int = 6;
/// Socket option: maximum reconnect interval, milliseconds.
pub const NN_RECONNECT_IVL_MAX: c_int = 7;
/// Socket option: send priority (not supported).
pub const NN_SNDPRIO: c_int = 8;
/// Socket option: receive priority (not supported).
pub const NN_RCVPRIO: c_int = 9;
/// Socket option: descriptor that polls writable when sending can proceed.
pub const NN_SNDFD: c_int = 10;
/// Socket option: descriptor that polls readable when a message is waiting.
pub const NN_RCVFD: c_int = 11;
/// Socket option: the domain (`AF_SP` or `AF_SP_RAW`), read-only.
pub const NN_DOMAIN: c_int = 12;
/// Socket option: the protocol number, read-only.
pub const NN_PROTOCOL: c_int = 13;
/// Socket option: IPv4 only (not supported).
pub const NN_IPV4ONLY: c_int = 14;
/// Socket option: the socket's name (a string).
pub const NN_SOCKET_NAME: c_int = 15;
/// Socket option: largest message accepted, bytes (-1: no limit).
pub const NN_RCVMAXSIZE: c_int = 16;
/// Socket option: maximum hops through devices.
pub const NN_MAXTTL: c_int = 17;

/// `nn_poll` event: a message can be received.
pub const NN_POLLIN: c_int = 1;
/// `nn_poll` event: a message can be sent.
pub const NN_POLLOUT: c_int = 2;

/// One entry of an `nn_poll` set.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct nn_pollfd {
    /// The socket.
    pub fd: c_int,
    /// Events of interest (`NN_POLLIN`, `NN_POLLOUT`).
    pub events: u16,
    /// Events that occurred.
    pub revents: u16,
}

/// A scatter/gather element of an `nn_msghdr`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nn_iovec {
    /// Buffer start (for an `NN_MSG` length: where the buffer pointer is).
    pub iov_base: *mut c_void,
    /// Buffer length, or `NN_MSG`.
    pub iov_len: usize,
}

/// A message description for `nn_sendmsg`/`nn_recvmsg`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nn_msghdr {
    /// The scatter/gather array.
    pub msg_iov: *mut nn_iovec,
    /// Number of elements in `msg_iov`.
    pub msg_iovlen: c_int,
    /// Control data (the SP header as one `nn_cmsghdr`), or NULL.
    pub msg_control: *mut c_void,
    /// Bytes of control data, or `NN_MSG`.
    pub msg_controllen: usize,
}

/// The header of one control message; its data follows it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nn_cmsghdr {
    /// Header plus data bytes.
    pub cmsg_len: usize,
    /// Level (`PROTO_SP`).
    pub cmsg_level: c_int,
    /// Type (`SP_HDR`).
    pub cmsg_type: c_int,
}

// Layout checks against upstream's ABI (reference ABI.md §3.10).
const _: () = {
    use std::mem::{align_of, offset_of};
    const P: usize = size_of::<usize>();
    assert!(size_of::<nn_pollfd>() == 8 && align_of::<nn_pollfd>() == 4);
    assert!(offset_of!(nn_pollfd, events) == 4 && offset_of!(nn_pollfd, revents) == 6);
    assert!(size_of::<nn_iovec>() == 2 * P && offset_of!(nn_iovec, iov_len) == P);
    assert!(offset_of!(nn_msghdr, msg_iovlen) == P);
    assert!(offset_of!(nn_msghdr, msg_control) == 2 * P);
    assert!(offset_of!(nn_msghdr, msg_controllen) == 3 * P);
    assert!(size_of::<nn_msghdr>() == 4 * P);
    assert!(size_of::<nn_cmsghdr>() == P + 8);
    assert!(offset_of!(nn_cmsghdr, cmsg_level) == P && offset_of!(nn_cmsghdr, cmsg_type) == P + 4);
};

// ---- errors ----

/// nng error -> errno, in upstream's order; [`nn_strerror`] uses the first
/// entry with a given errno (reference ABI.md §6.4).
const ERRNOS: [(Error, c_int); 29] = [
    (Error::Intr, libc::EINTR),
    (Error::NoMem, libc::ENOMEM),
    (Error::Inval, libc::EINVAL),
    (Error::Busy, libc::EBUSY),
    (Error::TimedOut, libc::ETIMEDOUT),
    (Error::ConnRefused, libc::ECONNREFUSED),
    (Error::Closed, libc::EBADF),
    (Error::Again, libc::EAGAIN),
    (Error::NotSup, libc::ENOTSUP),
    (Error::AddrInUse, libc::EADDRINUSE),
    (Error::State, EFSM),
    (Error::NoEnt, libc::ENOENT),
    (Error::Proto, libc::EPROTO),
    (Error::Unreachable, libc::EHOSTUNREACH),
    (Error::AddrInval, libc::EINVAL),
    (Error::Perm, libc::EACCES),
    (Error::MsgSize, libc::EMSGSIZE),
    (Error::ConnAborted, libc::ECONNABORTED),
    (Error::ConnReset, libc::ECONNRESET),
    (Error::Canceled, libc::EBADF),
    (Error::Exist, libc::EEXIST),
    (Error::WriteOnly, libc::EACCES),
    (Error::ReadOnly, libc::EACCES),
    (Error::Crypto, libc::EACCES),
    (Error::PeerAuth, libc::EACCES),
    (Error::BadType, libc::EINVAL),
    (Error::Ambiguous, libc::EINVAL),
    (Error::NoFiles, libc::EMFILE),
    (Error::NoSpc, libc::ENOSPC),
];

/// The `errno` that `nn_*` functions report for an nng error; `EIO` for
/// errors nanomsg has no name for.
pub fn errno_for(e: Error) -> c_int {
    ERRNOS
        .iter()
        .find(|(n, _)| *n == e)
        .map_or(libc::EIO, |&(_, errno)| errno)
}

/// The first nng error that maps to `errno`, if any.
pub fn error_for_errno(errno: c_int) -> Option<Error> {
    ERRNOS.iter().find(|(_, p)| *p == errno).map(|&(e, _)| e)
}

/// An `errno` value an `nn_*` function fails with; nng errors convert
/// through [`errno_for`], so `?` works on nng results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

impl From<Error> for Errno {
    fn from(e: Error) -> Self {
        Errno(errno_for(e))
    }
}

/// The calling thread's `errno`.
pub fn errno() -> c_int {
    // SAFETY: the location is the calling thread's errno, valid for reads.
    unsafe { *errno_location() }
}

/// Sets the calling thread's `errno`.
pub fn set_errno(e: c_int) {
    // SAFETY: the location is the calling thread's errno, valid for writes.
    unsafe { *errno_location() = e }
}

fn errno_location() -> *mut c_int {
    #[cfg(any(target_os = "linux", target_os = "emscripten", target_os = "hurd"))]
    // SAFETY: no preconditions; returns this thread's errno location.
    let p = unsafe { libc::__errno_location() };
    #[cfg(any(target_os = "android", target_os = "netbsd", target_os = "openbsd"))]
    // SAFETY: no preconditions; returns this thread's errno location.
    let p = unsafe { libc::__errno() };
    #[cfg(any(
        target_vendor = "apple",
        target_os = "freebsd",
        target_os = "dragonfly"
    ))]
    // SAFETY: no preconditions; returns this thread's errno location.
    let p = unsafe { libc::__error() };
    p
}

/// A body's result as [`guard`] carries it: a panic becomes
/// `NNG_EINTERNAL`, which reports as `EIO`.
struct NnResult<T>(Result<T, Errno>);

impl<T> PanicDefault for NnResult<T> {
    fn panic_default() -> Self {
        NnResult(Err(Error::Internal.into()))
    }
}

/// Runs the body of an `nn_*` function: its value on success; on failure
/// `errno` is set and `fail` (-1 or NULL) returned.
fn nn_call<T>(fail: T, f: impl FnOnce() -> Result<T, Errno>) -> T {
    match guard(|| NnResult(f())).0 {
        Ok(v) => v,
        Err(Errno(e)) => {
            set_errno(e);
            fail
        }
    }
}

/// Returns the calling thread's `errno`: the error of the last failed
/// `nn_*` call on this thread (as with any errno, later calls into the C
/// library may change it).
#[no_mangle]
pub extern "C" fn nn_errno() -> c_int {
    errno()
}

/// Returns a message for an errno value reported by an `nn_*` function:
/// the `nng_strerror` text of the first nng error that maps to it
/// (`EINVAL` gives "Invalid argument", `EBADF` "Object closed"), "Unknown
/// I/O error" for `EIO`, else "Unknown error N". Static text, except the
/// last form, which lives in a per-thread buffer valid until the thread's
/// next call.
#[no_mangle]
pub extern "C" fn nn_strerror(err: c_int) -> *const c_char {
    guard(|| {
        if let Some(e) = error_for_errno(err) {
            return nng_strerror(e.code());
        }
        if err == libc::EIO {
            return c"Unknown I/O error".as_ptr();
        }
        crate::ffi::lib::thread_error_text(&format!("Unknown error {err}"))
    })
}

// ---- message buffers ----

/// Hands `msg` to C as an nn buffer: puts the message's pointer in front of
/// its body and returns the address just after it. Free with `nn_freemsg`.
pub fn nn_buf_from_msg(mut msg: Msg) -> Result<*mut c_void, Error> {
    msg.insert(&[0; NN_BUF_HDR])?;
    Ok(stash(msg_into_c(msg)))
}

/// Writes `p` into the first [`NN_BUF_HDR`] body bytes of its message and
/// returns the address of the bytes after them.
fn stash(p: *mut nng_msg) -> *mut c_void {
    // SAFETY: p came from msg_into_c and C has not seen it yet.
    let m = unsafe { msg_mut(p) }.expect("msg_into_c never gives NULL");
    let body = m.body_mut();
    body[..NN_BUF_HDR].copy_from_slice(&(p as usize).to_ne_bytes());
    body[NN_BUF_HDR..].as_mut_ptr().cast()
}

/// The message behind an nn buffer.
///
/// # Safety
///
/// `buf` came from [`nn_buf_from_msg`] (or `nn_allocmsg`/`nn_reallocmsg`)
/// and has not been freed or sent.
pub unsafe fn nn_buf_msg(buf: *mut c_void) -> *mut nng_msg {
    // SAFETY: per the contract the NN_BUF_HDR bytes before buf are the
    // message pointer written by `stash`; they may be unaligned.
    unsafe {
        buf.cast::<u8>()
            .sub(NN_BUF_HDR)
            .cast::<*mut nng_msg>()
            .read_unaligned()
    }
}

/// The number of bytes C may use in an nn buffer.
///
/// # Safety
///
/// As for [`nn_buf_msg`].
pub unsafe fn nn_buf_len(buf: *mut c_void) -> usize {
    // SAFETY: forwarded contract: the message is live and not aliased.
    let m = unsafe { msg_mut(nn_buf_msg(buf)) }.expect("nn buffer has a message");
    m.len() - NN_BUF_HDR
}

/// Allocates an nn message buffer of `size` bytes (zeroed), for sending
/// with `NN_MSG` or freeing with `nn_freemsg`. `type` must be 0.
/// Returns the buffer (aligned for any pointer-sized value), or NULL with
/// errno EINVAL (`type` not 0, `size` 0 or too large to describe) or ENOMEM.
/// Does not block.
#[no_mangle]
pub extern "C" fn nn_allocmsg(size: usize, r#type: c_int) -> *mut c_void {
    nn_call(std::ptr::null_mut(), || {
        if r#type != 0 || size < 1 || size.checked_add(NN_BUF_HDR).is_none() {
            return Err(Error::Inval.into());
        }
        if size > isize::MAX as usize - NN_BUF_HDR {
            return Err(Error::NoMem.into());
        }
        let msg = Msg::new(size + NN_BUF_HDR)?;
        Ok(stash(msg_into_c(msg)))
    })
}

/// Resizes an nn message buffer to `len` bytes, keeping its contents (new
/// bytes are zero). The buffer may move: use only the returned pointer.
/// Returns NULL with errno EINVAL (`ptr` NULL, `len` too large) or ENOMEM;
/// the old buffer is then still valid. Does not block.
///
/// # Safety
///
/// `ptr` is NULL or a live buffer from `nn_allocmsg`, `nn_reallocmsg` or an
/// `NN_MSG` receive.
#[no_mangle]
pub unsafe extern "C" fn nn_reallocmsg(ptr: *mut c_void, len: usize) -> *mut c_void {
    nn_call(std::ptr::null_mut(), || {
        if ptr.is_null() || len.checked_add(NN_BUF_HDR).is_none() {
            return Err(Error::Inval.into());
        }
        // SAFETY: per the contract ptr is a live nn buffer, owned by C and
        // not otherwise borrowed during this call.
        let m = unsafe { msg_mut(nn_buf_msg(ptr)) }.ok_or(Error::Inval)?;
        let cur = m.len() - NN_BUF_HDR;
        if len > cur {
            append_zeros(m, len - cur)?;
        } else {
            m.chop(cur - len)?;
        }
        // The pointer in front of the body is unchanged: only the end moved.
        Ok(m.body_mut()[NN_BUF_HDR..].as_mut_ptr().cast())
    })
}

fn append_zeros(m: &mut Msg, n: usize) -> Result<(), Error> {
    static ZEROS: [u8; 1024] = [0; 1024];
    match ZEROS.get(..n) {
        Some(z) => m.append(z),
        None => m.append(&vec![0; n]),
    }
}

/// Frees an nn message buffer (from `nn_allocmsg`, `nn_reallocmsg` or an
/// `NN_MSG` receive). Returns 0, or -1 with errno EFAULT if `ptr` is NULL.
///
/// # Safety
///
/// `ptr` is NULL or a live nn buffer, not used again.
#[no_mangle]
pub unsafe extern "C" fn nn_freemsg(ptr: *mut c_void) -> c_int {
    nn_call(-1, || {
        if ptr.is_null() {
            return Err(Errno(libc::EFAULT));
        }
        // SAFETY: per the contract ptr is a live nn buffer that C gives up.
        drop(unsafe { msg_from_c(nn_buf_msg(ptr)) });
        Ok(0)
    })
}

/// Returns the control message after `first` in `mh`'s control data, or
/// the first one when `first` is NULL; NULL when there is no (further)
/// complete header. Only the SP header is ever stored, so any non-NULL
/// `first` gives NULL. `msg_controllen` may be `NN_MSG` (the control data is
/// then an nn buffer whose pointer is at `msg_control`). NULL `mh` gives
/// NULL.
///
/// # Safety
///
/// `mh` is NULL or a valid `nn_msghdr` whose control data is readable for
/// `msg_controllen` bytes (or, with `NN_MSG`, holds a live nn buffer's
/// pointer).
#[no_mangle]
pub unsafe extern "C" fn nn_cmsg_next(
    mh: *mut nn_msghdr,
    first: *mut nn_cmsghdr,
) -> *mut nn_cmsghdr {
    guard(|| {
        // SAFETY: per the contract mh is NULL or valid for reads.
        let Some(mh) = (unsafe { mh.as_ref() }) else {
            return std::ptr::null_mut();
        };
        if !first.is_null() || mh.msg_control.is_null() {
            return std::ptr::null_mut();
        }
        let (data, len) = if mh.msg_controllen == NN_MSG {
            // SAFETY: with NN_MSG, msg_control points at an nn buffer pointer.
            let buf = unsafe { mh.msg_control.cast::<*mut c_void>().read_unaligned() };
            if buf.is_null() {
                return std::ptr::null_mut();
            }
            // SAFETY: per the contract buf is a live nn buffer.
            (buf, unsafe { nn_buf_len(buf) })
        } else {
            (mh.msg_control, mh.msg_controllen)
        };
        if len < size_of::<nn_cmsghdr>() {
            return std::ptr::null_mut();
        }
        data.cast()
    })
}

/// Statistics are not supported: always returns 0.
#[no_mangle]
pub extern "C" fn nn_get_statistic(s: c_int, stat: c_int) -> u64 {
    let _ = (s, stat);
    0
}

// ---- sockets ----
//
// Behaviour follows upstream's src/compat/nanomsg/nn.c (v1.12.0): socket
// numbers are nng socket ids, endpoint ids are dialer/listener ids, options
// map onto nng options through [`OPTIONS`]. Where upstream crashes on a bad
// pointer we fail with EFAULT (nanomsg's answer) instead.

/// Checks nanomsg send/receive flags: 0 or `NN_DONTWAIT`, else EINVAL.
/// Returns whether the operation must not block.
fn nn_flags(flags: c_int) -> Result<bool, Errno> {
    match flags {
        0 => Ok(false),
        NN_DONTWAIT => Ok(true),
        _ => Err(Error::Inval.into()),
    }
}

/// The open socket numbered `s` (EBADF if there is none).
fn nn_sock(s: c_int) -> Result<Arc<Socket>, Errno> {
    Ok(socket::socket(s as u32)?)
}

/// EFAULT, nanomsg's error for a NULL buffer.
const EFAULT: Errno = Errno(libc::EFAULT);

/// A protocol core for an `NN_*` protocol number (ENOTSUP if unknown).
fn nn_core(protocol: c_int, raw: bool) -> Result<Box<dyn Protocol>, Errno> {
    use crate::protocol as p;
    let seed = crate::ffi::proto::seed();
    Ok(match protocol {
        NN_BUS => Box::new(p::bus0::Socket::new(raw, seed)),
        NN_PAIR => Box::new(p::pair0::Socket::new(raw, seed)),
        NN_PULL => Box::new(p::pull0::Socket::new(raw, seed)),
        NN_PUSH => Box::new(p::push0::Socket::new(raw, seed)),
        NN_PUB => Box::new(p::pub0::Socket::new(raw, seed)),
        NN_SUB => Box::new(p::sub0::Socket::new(raw, seed)),
        NN_REQ => Box::new(p::req0::Socket::new(raw, seed)),
        NN_REP => Box::new(p::rep0::Socket::new(raw, seed)),
        NN_SURVEYOR => Box::new(p::surveyor0::Socket::new(raw, seed)),
        NN_RESPONDENT => Box::new(p::respondent0::Socket::new(raw, seed)),
        _ => return Err(Error::NotSup.into()),
    })
}

/// Opens a socket of `protocol` (an `NN_*` protocol number; version 0 of
/// each protocol) in `domain` (`AF_SP`, or `AF_SP_RAW` for devices) and
/// returns its number (the nng socket id, usable with `nng_*` calls as
/// `(nng_socket){ .id = s }`). `NN_TCP_NODELAY` starts at 0 (upstream
/// sets `NNG_OPT_TCP_NODELAY` false on every nn socket). Fails with -1 and
/// errno EAFNOSUPPORT (bad domain), ENOTSUP (unknown protocol) or ENOMEM.
/// Does not block.
#[no_mangle]
pub extern "C" fn nn_socket(domain: c_int, protocol: c_int) -> c_int {
    nn_call(-1, || {
        if domain != AF_SP && domain != AF_SP_RAW {
            return Err(Errno(libc::EAFNOSUPPORT));
        }
        let s = Socket::open(nn_core(protocol, domain == AF_SP_RAW)?)?;
        // As upstream (whose comment says "Nagle disabled", the value
        // says enabled, and its tests expect NN_TCP_NODELAY 0).
        let _ = s.set_opt(SOCKET_CTX, NNG_OPT_TCP_NODELAY, OptValue::Bool(false));
        Ok(s.id() as c_int)
    })
}

/// Closes socket `s`: its endpoints close and calls blocked on it fail
/// with EBADF. Returns 0, or -1 with errno EBADF (no such socket). Blocks
/// until the socket's pipes are gone.
#[no_mangle]
pub extern "C" fn nn_close(s: c_int) -> c_int {
    nn_call(-1, || {
        nn_sock(s)?.close()?;
        Ok(0)
    })
}

/// The URL string of `nn_bind`/`nn_connect` (EINVAL for NULL or non-UTF-8).
///
/// # Safety
///
/// `addr` is NULL or a NUL-terminated string that outlives the call.
unsafe fn nn_url<'a>(addr: *const c_char) -> Result<&'a str, Errno> {
    // SAFETY: forwarded contract.
    let url = unsafe { crate::ffi::cstr(addr) }?;
    Ok(url.to_str().map_err(|_| Error::Inval)?)
}

/// Listens on `addr` (an nng URL: `tcp://*:5555` or `tcp://127.0.0.1:5555`,
/// `ipc:///path`, `inproc://name`, `ws://...`) and returns the endpoint
/// id (the listener id) for `nn_shutdown`. nanomsg's `tcp://iface;addr`
/// form is not understood (EINVAL here; `nn_connect` accepts it but never
/// connects), as upstream. Fails with -1 and errno EBADF (no such
/// socket), EINVAL (NULL or bad address), EADDRINUSE, ENOTSUP (unknown
/// scheme), EACCES, ... Does not block.
///
/// # Safety
///
/// `addr` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nn_bind(s: c_int, addr: *const c_char) -> c_int {
    nn_call(-1, || {
        let sock = nn_sock(s)?;
        // SAFETY: per the contract addr is NULL or NUL-terminated.
        let l = sock.listener_create(unsafe { nn_url(addr) }?)?;
        if let Err(e) = l.start() {
            l.close();
            return Err(e.into());
        }
        Ok(l.id() as c_int)
    })
}

/// Connects to `addr` (an nng URL, as for `nn_bind`) in the background,
/// reconnecting as needed, and returns the endpoint id (the dialer id) for
/// `nn_shutdown`. Fails with -1 and errno EBADF (no such socket), EINVAL
/// (NULL or bad address), ENOTSUP (unknown scheme), ... Does not block.
///
/// # Safety
///
/// `addr` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nn_connect(s: c_int, addr: *const c_char) -> c_int {
    nn_call(-1, || {
        let sock = nn_sock(s)?;
        // SAFETY: per the contract addr is NULL or NUL-terminated.
        let d = sock.dialer_create(unsafe { nn_url(addr) }?)?;
        if let Err(e) = d.start(true) {
            d.close();
            return Err(e.into());
        }
        Ok(d.id() as c_int)
    })
}

/// Closes endpoint `ep` of socket `s` (an id from `nn_bind` or
/// `nn_connect` on `s`), with its connections. Returns 0, or -1 with errno
/// ENOENT (`s` has no such endpoint). Does not block.
///
/// Upstream ignores `s` and closes the dialer numbered `ep`, else the
/// listener: as dialer and listener ids are separate sequences, that can
/// be another socket's endpoint; here only an endpoint of `s` is closed.
#[no_mangle]
pub extern "C" fn nn_shutdown(s: c_int, ep: c_int) -> c_int {
    nn_call(-1, || {
        let (s, ep) = (s as u32, ep as u32);
        if let Some(d) = DIALERS.get(ep).filter(|d| d.socket_id() == s) {
            d.close();
        } else if let Some(l) = LISTENERS.get(ep).filter(|l| l.socket_id() == s) {
            l.close();
        } else {
            return Err(Error::NoEnt.into());
        }
        Ok(0)
    })
}

/// Sends `len` bytes from `buf`; with `len` `NN_MSG`, `buf` points at an nn
/// buffer pointer (from `nn_allocmsg` or an `NN_MSG` receive) whose message
/// is sent without a copy and freed on success (on failure the caller still
/// owns it). `flags` is 0 or `NN_DONTWAIT`. Returns the bytes sent, or -1
/// with errno EAGAIN (`NN_DONTWAIT` and it cannot be sent now), ETIMEDOUT
/// (send timeout), EBADF (no such socket, or closed while waiting), EFSM
/// (the protocol cannot send now), ENOTSUP (it never sends), EINVAL (bad
/// flags), EFAULT (NULL `buf`, or a NULL buffer pointer with `NN_MSG`).
/// Blocks unless `NN_DONTWAIT` (up to the send timeout).
///
/// # Safety
///
/// `buf` is readable for `len` bytes (or, with `NN_MSG`, holds a live nn
/// buffer's pointer).
#[no_mangle]
pub unsafe extern "C" fn nn_send(s: c_int, buf: *const c_void, len: usize, flags: c_int) -> c_int {
    let mut iov = nn_iovec {
        iov_base: buf.cast_mut(),
        iov_len: len,
    };
    let hdr = nn_msghdr {
        msg_iov: &mut iov,
        msg_iovlen: 1,
        msg_control: std::ptr::null_mut(),
        msg_controllen: 0,
    };
    // SAFETY: hdr describes the caller's buffer under the caller's contract.
    unsafe { nn_sendmsg(s, &hdr, flags) }
}

/// Receives a message into `buf`, copying at most `len` bytes of it; with
/// `len` `NN_MSG`, stores a new nn buffer holding the whole message in
/// `*(void **) buf` instead (free it with `nn_freemsg`, or send it with
/// `NN_MSG`). `flags` is 0 or `NN_DONTWAIT`. Returns the message length
/// (which may exceed `len`: the rest is lost), or -1 with errno EAGAIN
/// (`NN_DONTWAIT` and nothing waiting), ETIMEDOUT (receive timeout), EBADF
/// (no such socket, or closed while waiting), EFSM (the protocol cannot
/// receive now), ENOTSUP (it never receives), EINVAL (bad flags), EFAULT
/// (NULL `buf`). Blocks unless `NN_DONTWAIT` (up to the receive timeout).
///
/// # Safety
///
/// `buf` is writable for `len` bytes (or, with `NN_MSG`, for a pointer).
#[no_mangle]
pub unsafe extern "C" fn nn_recv(s: c_int, buf: *mut c_void, len: usize, flags: c_int) -> c_int {
    let mut iov = nn_iovec {
        iov_base: buf,
        iov_len: len,
    };
    let mut hdr = nn_msghdr {
        msg_iov: &mut iov,
        msg_iovlen: 1,
        msg_control: std::ptr::null_mut(),
        msg_controllen: 0,
    };
    // SAFETY: hdr describes the caller's buffer under the caller's contract.
    unsafe { nn_recvmsg(s, &mut hdr, flags) }
}

/// The scatter/gather array of `mh` (EFAULT for a NULL array).
///
/// # Safety
///
/// `mh.msg_iov` is NULL or valid for `mh.msg_iovlen` (>= 0) elements.
unsafe fn nn_iovs<'a>(mh: &nn_msghdr) -> Result<&'a [nn_iovec], Errno> {
    let n = usize::try_from(mh.msg_iovlen).map_err(|_| Error::MsgSize)?;
    if n == 0 {
        return Ok(&[]);
    }
    if mh.msg_iov.is_null() {
        return Err(EFAULT);
    }
    // SAFETY: non-NULL and valid for n elements per the contract.
    Ok(unsafe { std::slice::from_raw_parts(mh.msg_iov, n) })
}

/// Bytes of an `nn_cmsghdr` rounded up as `NN_CMSG_ALIGN` does: where the
/// data of a control message starts.
const CMSG_HDR: usize = cmsg_align(size_of::<nn_cmsghdr>());

/// `NN_CMSG_ALIGN`: rounds up to a multiple of `size_t`.
const fn cmsg_align(n: usize) -> usize {
    (n + size_of::<usize>() - 1) & !(size_of::<usize>() - 1)
}

/// The SP header carried by the control data of `mh`, as upstream reads
/// it: the first `PROTO_SP`/`SP_HDR` message whose data (a `size_t` length,
/// then that many header bytes) fits in it. Control messages of other
/// kinds are skipped.
///
/// # Safety
///
/// As for `nn_sendmsg`'s control data.
unsafe fn nn_sp_header<'a>(mh: &nn_msghdr) -> Option<&'a [u8]> {
    if mh.msg_control.is_null() {
        return None;
    }
    let (data, clen) = if mh.msg_controllen == NN_MSG {
        // SAFETY: with NN_MSG, msg_control points at an nn buffer pointer.
        let buf = unsafe { mh.msg_control.cast::<*mut c_void>().read_unaligned() };
        if buf.is_null() {
            return None;
        }
        // SAFETY: per the contract buf is a live nn buffer.
        (buf.cast::<u8>(), unsafe { nn_buf_len(buf) })
    } else {
        (mh.msg_control.cast::<u8>(), mh.msg_controllen)
    };
    let w = size_of::<usize>();
    let mut offs = 0usize;
    while offs.checked_add(w)? < clen {
        if clen - offs < size_of::<nn_cmsghdr>() {
            return None;
        }
        // SAFETY: the header lies within the clen readable bytes.
        let h = unsafe { data.add(offs).cast::<nn_cmsghdr>().read_unaligned() };
        let next = offs.checked_add(h.cmsg_len.max(1))?;
        if h.cmsg_level != PROTO_SP || h.cmsg_type != SP_HDR || h.cmsg_len < w {
            offs = next;
            continue;
        }
        let fits = |n: usize| n <= clen - offs;
        if !fits(CMSG_HDR + w) {
            return None;
        }
        // SAFETY: the length word lies within the clen readable bytes.
        let spsz = unsafe { data.add(offs + CMSG_HDR).cast::<usize>().read_unaligned() };
        let whole = spsz.checked_add(CMSG_HDR + w);
        if spsz.checked_add(w).map_or(true, |n| n > h.cmsg_len) || !whole.is_some_and(fits) {
            // A truncated header: ignored, as upstream.
            offs = next;
            continue;
        }
        // SAFETY: the spsz header bytes lie within the clen readable bytes
        // and stay unchanged for the call (contract).
        return Some(unsafe { std::slice::from_raw_parts(data.add(offs + CMSG_HDR + w), spsz) });
    }
    None
}

/// Puts a message taken out of nn buffer `buf` (its [`NN_BUF_HDR`] bytes
/// trimmed off) back into that same buffer, after a failed send.
fn nn_buf_restore(mut m: Msg, buf: *mut c_void) {
    let at = m.body().as_ptr();
    // An emptied body kept its start (at the buffer's prefix); any other
    // body starts at the buffer, with the prefix in its headroom.
    let r = if m.is_empty() && at == buf.cast::<u8>().wrapping_sub(NN_BUF_HDR) {
        m.append(&[0; NN_BUF_HDR])
    } else {
        m.insert(&[0; NN_BUF_HDR])
    };
    debug_assert!(r.is_ok(), "restoring an nn buffer uses its own room");
    let back = stash(msg_into_c(m));
    debug_assert_eq!(back, buf, "an nn buffer stays in place");
}

/// Sends the concatenation of `mh`'s buffers, or, when `mh` has one element
/// of length `NN_MSG`, the nn buffer whose pointer that element holds
/// (without a copy; freed on success, still the caller's on failure). An
/// SP header (`PROTO_SP`/`SP_HDR` control message: a `size_t` length, then
/// the header bytes, as `nn_recvmsg` gives it) is appended to the message's
/// header, for raw sockets; a control buffer passed as `NN_MSG` is freed on
/// success. Returns the body bytes sent, or -1 with errno as for
/// `nn_send`, EINVAL for NULL `mh`, bad flags, `NN_MSG` among several
/// elements or an SP header over 64 bytes, EMSGSIZE for a negative
/// `msg_iovlen`, EFAULT for NULL buffers. Blocks unless `NN_DONTWAIT`.
///
/// # Safety
///
/// `mh` is NULL or a valid `nn_msghdr` whose buffers are readable (and nn
/// buffers live, where `NN_MSG` says so).
#[no_mangle]
pub unsafe extern "C" fn nn_sendmsg(s: c_int, mh: *const nn_msghdr, flags: c_int) -> c_int {
    nn_call(-1, || {
        let nonblock = nn_flags(flags)?;
        // SAFETY: per the contract mh is NULL or valid for reads.
        let mh = unsafe { mh.as_ref() }.ok_or(Error::Inval)?;
        if mh.msg_iovlen < 0 {
            return Err(Error::MsgSize.into());
        }
        // SAFETY: per the contract the array is valid.
        let iovs = unsafe { nn_iovs(mh) }?;
        // SAFETY: per the contract the control data is readable.
        let sp = unsafe { nn_sp_header(mh) };
        let sent = if let [nn_iovec {
            iov_base,
            iov_len: NN_MSG,
        }] = *iovs
        {
            if iov_base.is_null() {
                return Err(EFAULT);
            }
            // SAFETY: with NN_MSG the element holds an nn buffer pointer.
            let buf = unsafe { iov_base.cast::<*mut c_void>().read_unaligned() };
            if buf.is_null() {
                return Err(EFAULT);
            }
            // SAFETY: per the contract buf is a live nn buffer that C owns
            // and does not touch during the call.
            let p = unsafe { nn_buf_msg(buf) };
            let hlen = {
                // SAFETY: as above; the borrow ends before the message moves.
                let m = unsafe { msg_mut(p) }.ok_or(EFAULT)?;
                let hlen = m.header().len();
                if let Some(h) = sp {
                    m.header_append(h)?;
                }
                hlen
            };
            let fail = |e: Error, m: &mut Msg| {
                let extra = m.header().len() - hlen;
                let _ = m.header_chop(extra);
                e
            };
            let sock = match nn_sock(s) {
                Ok(sock) => sock,
                Err(e) => {
                    // SAFETY: as above.
                    if let Some(m) = unsafe { msg_mut(p) } {
                        fail(Error::Closed, m);
                    }
                    return Err(e);
                }
            };
            // SAFETY: C hands the message over for the send; it gets the
            // same buffer back below if the send fails.
            let mut m = unsafe { msg_from_c(p) }.ok_or(EFAULT)?;
            m.trim(NN_BUF_HDR)?;
            let n = m.len();
            if let Err((e, mut m)) = sock.send_msg(SOCKET_CTX, m, nonblock) {
                let e = fail(e, &mut m);
                nn_buf_restore(m, buf);
                return Err(e.into());
            }
            n
        } else {
            let mut total = 0usize;
            for v in iovs {
                if v.iov_len == NN_MSG {
                    return Err(Error::Inval.into());
                }
                if v.iov_base.is_null() && v.iov_len != 0 {
                    return Err(EFAULT);
                }
                total = total.checked_add(v.iov_len).ok_or(Error::Inval)?;
            }
            let mut m = Msg::with_capacity(total)?;
            for v in iovs.iter().filter(|v| v.iov_len != 0) {
                // SAFETY: non-NULL and readable for iov_len bytes (contract).
                m.append(unsafe { std::slice::from_raw_parts(v.iov_base.cast(), v.iov_len) })?;
            }
            if let Some(h) = sp {
                m.header_append(h)?;
            }
            let n = m.len();
            nn_sock(s)?
                .send_msg(SOCKET_CTX, m, nonblock)
                .map_err(|(e, _)| e)?;
            n
        };
        if mh.msg_controllen == NN_MSG && !mh.msg_control.is_null() {
            // SAFETY: with NN_MSG, msg_control holds an nn buffer pointer,
            // which the successful send consumes.
            unsafe {
                let cbuf = mh.msg_control.cast::<*mut c_void>().read_unaligned();
                if !cbuf.is_null() {
                    drop(msg_from_c(nn_buf_msg(cbuf)));
                }
            }
        }
        Ok(sent as c_int)
    })
}

/// Receives a message into `mh`'s buffers in order (the rest of a longer
/// message is lost), or, when `mh` has one element of length `NN_MSG`,
/// stores a new nn buffer holding it in `*(void **) iov_base`. When
/// `msg_control` is set, the message's SP header is stored there as one
/// `PROTO_SP`/`SP_HDR` control message (data: a `size_t` length, then the
/// header bytes), if it fits in `msg_controllen` bytes (the first bytes are
/// zeroed otherwise); with `msg_controllen` `NN_MSG`, a new nn buffer
/// holding it is stored in `*(void **) msg_control`. Returns the message
/// length, or -1 with errno as for `nn_recv`, EINVAL for NULL `mh`, bad
/// flags or `NN_MSG` among several elements (the message is then
/// dropped), EMSGSIZE for a negative `msg_iovlen`, EFAULT for NULL
/// buffers. Blocks unless `NN_DONTWAIT`.
///
/// # Safety
///
/// `mh` is NULL or a valid `nn_msghdr` whose buffers are writable.
#[no_mangle]
pub unsafe extern "C" fn nn_recvmsg(s: c_int, mh: *mut nn_msghdr, flags: c_int) -> c_int {
    nn_call(-1, || {
        let nonblock = nn_flags(flags)?;
        // SAFETY: per the contract mh is NULL or valid for reads.
        let mh = unsafe { mh.as_ref() }.ok_or(Error::Inval)?;
        if mh.msg_iovlen < 0 {
            return Err(Error::MsgSize.into());
        }
        // SAFETY: per the contract the array is valid.
        let iovs = unsafe { nn_iovs(mh) }?;
        let zero_copy = match *iovs {
            [nn_iovec {
                iov_base,
                iov_len: NN_MSG,
            }] if iov_base.is_null() => return Err(EFAULT),
            [nn_iovec {
                iov_base,
                iov_len: NN_MSG,
            }] => Some(iov_base.cast::<*mut c_void>()),
            _ => None,
        };
        if zero_copy.is_none() && iovs.iter().any(|v| v.iov_base.is_null() && v.iov_len != 0) {
            return Err(EFAULT);
        }
        let msg = nn_sock(s)?.recv_msg(SOCKET_CTX, nonblock)?;
        let len = msg.len();

        // The SP header as a control message: built before the body is
        // handed over, so that no failure follows that.
        let mut hdr = [0u8; crate::core::msg::HEADER_MAX];
        let spsz = msg.header().len();
        hdr[..spsz].copy_from_slice(msg.header());
        let clen = cmsg_align(size_of::<usize>() + spsz) + CMSG_HDR;
        let ctl = match (mh.msg_control.is_null(), mh.msg_controllen) {
            (true, _) => None,
            (false, NN_MSG) => Some((nn_buf_from_msg(Msg::new(clen)?)?, clen, true)),
            (false, n) => Some((mh.msg_control, n, false)),
        };

        match zero_copy {
            Some(out) => match nn_buf_from_msg(msg) {
                // SAFETY: with NN_MSG the element is writable for a pointer.
                Ok(buf) => unsafe { out.write_unaligned(buf) },
                Err(e) => {
                    if let Some((cbuf, _, true)) = ctl {
                        // SAFETY: cbuf was made above and not handed out.
                        unsafe { nn_freemsg(cbuf) };
                    }
                    return Err(e.into());
                }
            },
            None => {
                if iovs.iter().any(|v| v.iov_len == NN_MSG) {
                    if let Some((cbuf, _, true)) = ctl {
                        // SAFETY: cbuf was made above and not handed out.
                        unsafe { nn_freemsg(cbuf) };
                    }
                    return Err(Error::Inval.into());
                }
                let mut rest = msg.body();
                for v in iovs {
                    let n = v.iov_len.min(rest.len());
                    if n > 0 {
                        // SAFETY: iov_base is non-NULL (checked) and
                        // writable for iov_len >= n bytes (contract).
                        unsafe {
                            std::ptr::copy_nonoverlapping(rest.as_ptr(), v.iov_base.cast(), n)
                        };
                    }
                    rest = &rest[n..];
                }
            }
        }

        if let Some((cdata, tlen, fresh)) = ctl {
            if fresh {
                // SAFETY: with NN_MSG, msg_control is writable for a pointer.
                unsafe { mh.msg_control.cast::<*mut c_void>().write_unaligned(cdata) };
            } else {
                // SAFETY: the caller's control buffer is writable for
                // msg_controllen bytes (contract).
                unsafe {
                    std::ptr::write_bytes(cdata.cast::<u8>(), 0, tlen.min(size_of::<nn_cmsghdr>()))
                };
            }
            if clen <= tlen {
                let h = nn_cmsghdr {
                    cmsg_len: clen,
                    cmsg_level: PROTO_SP,
                    cmsg_type: SP_HDR,
                };
                let d = cdata.cast::<u8>();
                // SAFETY: clen <= tlen writable bytes hold the header, the
                // length word and the spsz header bytes.
                unsafe {
                    d.cast::<nn_cmsghdr>().write_unaligned(h);
                    d.add(CMSG_HDR).cast::<usize>().write_unaligned(spsz);
                    std::ptr::copy_nonoverlapping(
                        hdr.as_ptr(),
                        d.add(CMSG_HDR + size_of::<usize>()),
                        spsz,
                    );
                }
            }
        }
        Ok(len as c_int)
    })
}

// ---- options ----

/// A custom option reader: `(socket, val, szp)`.
type NnGet = unsafe fn(c_int, *mut c_void, *mut usize) -> Result<(), Errno>;
/// A custom option writer: `(socket, val, sz)`.
type NnSet = unsafe fn(c_int, *const c_void, usize) -> Result<(), Errno>;

/// One row of the option table: an nng option name, or custom accessors.
struct NnOpt {
    level: c_int,
    opt: c_int,
    name: Option<&'static str>,
    get: Option<NnGet>,
    set: Option<NnSet>,
}

const fn by_name(level: c_int, opt: c_int, name: &'static str) -> NnOpt {
    NnOpt {
        level,
        opt,
        name: Some(name),
        get: None,
        set: None,
    }
}

/// upstream's option table: `NN_SNDPRIO`, `NN_RCVPRIO` and `NN_IPV4ONLY`
/// are not in it (ENOPROTOOPT), nor any IPC option.
static OPTIONS: [NnOpt; 20] = [
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_LINGER,
        name: None,
        get: Some(get_zero),
        set: Some(set_ignore),
    },
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_DOMAIN,
        name: None,
        get: Some(get_domain),
        set: None,
    },
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_RCVBUF,
        name: None,
        get: Some(get_rcvbuf),
        set: Some(set_rcvbuf),
    },
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_SNDBUF,
        name: None,
        get: Some(get_sndbuf),
        set: Some(set_sndbuf),
    },
    by_name(NN_SOL_SOCKET, NN_RECONNECT_IVL, NNG_OPT_RECONNMINT),
    by_name(NN_SOL_SOCKET, NN_RECONNECT_IVL_MAX, NNG_OPT_RECONNMAXT),
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_SNDFD,
        name: Some(NNG_OPT_SENDFD),
        get: Some(get_sndfd),
        set: None,
    },
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_RCVFD,
        name: Some(NNG_OPT_RECVFD),
        get: Some(get_rcvfd),
        set: None,
    },
    NnOpt {
        level: NN_SOL_SOCKET,
        opt: NN_RCVMAXSIZE,
        name: None,
        get: Some(get_rcvmaxsz),
        set: Some(set_rcvmaxsz),
    },
    by_name(NN_SOL_SOCKET, NN_MAXTTL, NNG_OPT_MAXTTL),
    by_name(NN_SOL_SOCKET, NN_RCVTIMEO, NNG_OPT_RECVTIMEO),
    by_name(NN_SOL_SOCKET, NN_SNDTIMEO, NNG_OPT_SENDTIMEO),
    by_name(NN_SOL_SOCKET, NN_PROTOCOL, NNG_OPT_PROTO),
    by_name(NN_SOL_SOCKET, NN_SOCKET_NAME, NNG_OPT_SOCKNAME),
    by_name(NN_REQ, NN_REQ_RESEND_IVL, names_proto::REQ_RESENDTIME),
    by_name(NN_SUB, NN_SUB_SUBSCRIBE, names_proto::SUB_SUBSCRIBE),
    by_name(NN_SUB, NN_SUB_UNSUBSCRIBE, names_proto::SUB_UNSUBSCRIBE),
    by_name(
        NN_SURVEYOR,
        NN_SURVEYOR_DEADLINE,
        names_proto::SURVEYOR_SURVEYTIME,
    ),
    NnOpt {
        level: NN_TCP,
        opt: NN_TCP_NODELAY,
        name: None,
        get: Some(get_nodelay),
        set: Some(set_nodelay),
    },
    NnOpt {
        level: NN_WS,
        opt: NN_WS_MSG_TYPE,
        name: None,
        get: Some(get_wsmsgtype),
        set: Some(set_wsmsgtype),
    },
];

/// Writes an `int` option value as upstream's custom readers do: as many
/// of its bytes as fit in `*szp`, then `*szp` = `sizeof(int)`.
///
/// # Safety
///
/// `szp` is valid; `val` is writable for `*szp` bytes (both checked for
/// NULL by `nn_getsockopt`).
unsafe fn put_int(val: *mut c_void, szp: *mut usize, v: c_int) -> Result<(), Errno> {
    let b = v.to_ne_bytes();
    // SAFETY: szp is valid (contract).
    let n = unsafe { *szp }.min(b.len());
    // SAFETY: val is writable for *szp >= n bytes (contract).
    unsafe {
        std::ptr::copy_nonoverlapping(b.as_ptr(), val.cast::<u8>(), n);
        *szp = b.len();
    }
    Ok(())
}

/// Reads the `int` of a custom writer: EINVAL unless `sz` is `sizeof(int)`.
///
/// # Safety
///
/// `val` is readable for `sz` bytes (checked for NULL by `nn_setsockopt`).
unsafe fn take_int(val: *const c_void, sz: usize) -> Result<c_int, Errno> {
    if sz != size_of::<c_int>() {
        return Err(Error::Inval.into());
    }
    // SAFETY: readable for sz == sizeof(int) bytes (contract).
    Ok(unsafe { val.cast::<c_int>().read_unaligned() })
}

fn get_int_opt(s: c_int, name: &str) -> Result<c_int, Errno> {
    match nn_sock(s)?.get_opt(SOCKET_CTX, name)? {
        OptValue::Int(i) => Ok(i),
        _ => Err(Error::BadType.into()),
    }
}

unsafe fn get_zero(_: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, 0) }
}

unsafe fn set_ignore(_: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    unsafe { take_int(val, sz) }.map(drop)
}

unsafe fn get_domain(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    let raw = nn_sock(s)?.get_opt(SOCKET_CTX, NNG_OPT_RAW)?;
    let d = if raw == OptValue::Bool(true) {
        AF_SP_RAW
    } else {
        AF_SP
    };
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, d) }
}

unsafe fn get_sndfd(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    let fd = get_int_opt(s, NNG_OPT_SENDFD)?;
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, fd) }
}

unsafe fn get_rcvfd(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    let fd = get_int_opt(s, NNG_OPT_RECVFD)?;
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, fd) }
}

/// Buffer sizes: nanomsg counts bytes, nng messages; upstream assumes 1 kB
/// messages (bytes = messages * 1024).
fn get_buf(s: c_int, val: *mut c_void, szp: *mut usize, name: &str) -> Result<(), Errno> {
    let n = get_int_opt(s, name)?.wrapping_mul(1024);
    // SAFETY: nn_getsockopt's checks and contract (val, szp).
    unsafe { put_int(val, szp, n) }
}

/// Bytes round up to whole kilobytes (C division: toward zero).
///
/// # Safety
///
/// As for [`take_int`].
unsafe fn set_buf(s: c_int, val: *const c_void, sz: usize, name: &str) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    let n = unsafe { take_int(val, sz) }?.wrapping_add(1023) / 1024;
    Ok(nn_sock(s)?.set_opt(SOCKET_CTX, name, OptValue::Int(n))?)
}

unsafe fn get_rcvbuf(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    get_buf(s, val, szp, NNG_OPT_RECVBUF)
}

unsafe fn set_rcvbuf(s: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    unsafe { set_buf(s, val, sz, NNG_OPT_RECVBUF) }
}

unsafe fn get_sndbuf(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    get_buf(s, val, szp, NNG_OPT_SENDBUF)
}

unsafe fn set_sndbuf(s: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    unsafe { set_buf(s, val, sz, NNG_OPT_SENDBUF) }
}

/// nanomsg's -1 (no limit) is nng's 0; 0 also means no limit in nng.
unsafe fn set_rcvmaxsz(s: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    let v = match unsafe { take_int(val, sz) }? {
        -1 => 0,
        v => usize::try_from(v).map_err(|_| Error::Inval)?,
    };
    Ok(nn_sock(s)?.set_opt(SOCKET_CTX, NNG_OPT_RECVMAXSZ, OptValue::Size(v))?)
}

/// No limit (0) and limits beyond 2 GB read as -1.
unsafe fn get_rcvmaxsz(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    let v = match nn_sock(s)?.get_opt(SOCKET_CTX, NNG_OPT_RECVMAXSZ)? {
        OptValue::Size(v) => v,
        _ => return Err(Error::BadType.into()),
    };
    let v = match c_int::try_from(v) {
        Ok(n) if n > 0 => n,
        _ => -1,
    };
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, v) }
}

unsafe fn get_nodelay(s: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    let on = nn_sock(s)?.get_opt(SOCKET_CTX, NNG_OPT_TCP_NODELAY)? == OptValue::Bool(true);
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, c_int::from(on)) }
}

unsafe fn set_nodelay(s: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    let on = match unsafe { take_int(val, sz) }? {
        0 => false,
        1 => true,
        _ => return Err(Error::Inval.into()),
    };
    let sock = nn_sock(s)?;
    Ok(sock.set_opt(SOCKET_CTX, NNG_OPT_TCP_NODELAY, OptValue::Bool(on))?)
}

unsafe fn get_wsmsgtype(_: c_int, val: *mut c_void, szp: *mut usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    unsafe { put_int(val, szp, NN_WS_MSG_TYPE_BINARY) }
}

unsafe fn set_wsmsgtype(_: c_int, val: *const c_void, sz: usize) -> Result<(), Errno> {
    // SAFETY: forwarded contract.
    match unsafe { take_int(val, sz) }? {
        NN_WS_MSG_TYPE_BINARY => Ok(()),
        _ => Err(Error::Inval.into()),
    }
}

fn nn_option(level: c_int, opt: c_int) -> Result<&'static NnOpt, Errno> {
    OPTIONS
        .iter()
        .find(|o| o.level == level && o.opt == opt)
        .ok_or(Errno(libc::ENOPROTOOPT))
}

/// Sets option `opt` at `level` from `sz` bytes at `val` (an `int` for all
/// but `NN_SOCKET_NAME`, a string, and the `NN_SUB_*` topics, raw bytes).
/// `NN_SOL_SOCKET` options: `NN_LINGER` (accepted, ignored),
/// `NN_SNDBUF`/`NN_RCVBUF` (bytes, kept as messages of 1 kB: rounded up to
/// whole kB; 0 to 8192 kB), `NN_SNDTIMEO`/`NN_RCVTIMEO` (ms, -1 forever),
/// `NN_RECONNECT_IVL`/`NN_RECONNECT_IVL_MAX` (ms), `NN_RCVMAXSIZE` (bytes,
/// -1 or 0: no limit), `NN_MAXTTL` (1 to 15), `NN_SOCKET_NAME` (include
/// the NUL); `NN_REQ_RESEND_IVL` (ms; the resend timer then ticks every 10
/// ms), `NN_SUB_SUBSCRIBE`/`NN_SUB_UNSUBSCRIBE`, `NN_SURVEYOR_DEADLINE`
/// (ms), `NN_TCP_NODELAY` (0 or 1), `NN_WS_MSG_TYPE` (only
/// `NN_WS_MSG_TYPE_BINARY`). Returns 0, or -1 with errno ENOPROTOOPT
/// (unknown option, or read-only `NN_DOMAIN`), EACCES (other read-only
/// options), EINVAL (bad size or value), ENOTSUP (not an option of this
/// socket's protocol), EBADF (no such socket), EFAULT (NULL `val` with a
/// size). Does not block.
///
/// # Safety
///
/// `val` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nn_setsockopt(
    s: c_int,
    level: c_int,
    opt: c_int,
    val: *const c_void,
    sz: usize,
) -> c_int {
    nn_call(-1, || {
        let o = nn_option(level, opt)?;
        if val.is_null() && sz != 0 {
            return Err(EFAULT);
        }
        if let Some(set) = o.set {
            // SAFETY: val is readable for sz bytes (contract, checked).
            unsafe { set(s, val, sz) }?;
            return Ok(0);
        }
        let name = o.name.ok_or(Errno(libc::ENOPROTOOPT))?;
        let sock = nn_sock(s)?;
        let d = sock.opt_desc(SOCKET_CTX, name)?;
        // SAFETY: val is NULL (size 0) or readable for sz bytes (contract).
        let v = set_value(&d, unsafe { SetArg::opaque(val, sz) }?)?;
        sock.set_opt(SOCKET_CTX, name, v)?;
        if level == NN_REQ && opt == NN_REQ_RESEND_IVL {
            // One context: a fast tick costs little and avoids surprises.
            let _ = sock.set_opt(SOCKET_CTX, names_proto::REQ_RESENDTICK, OptValue::Ms(10));
        }
        Ok(0)
    })
}

/// Reads option `opt` at `level` (see `nn_setsockopt`; also readable:
/// `NN_DOMAIN`, `NN_PROTOCOL`, and `NN_SNDFD`/`NN_RCVFD`, descriptors
/// that poll readable when the socket can send / has a message) into
/// `val`, which has room for `*szp` bytes; `*szp` is set to the option's
/// size. `int` options are truncated silently to a smaller buffer; others
/// fail with EINVAL after copying what fits. Returns 0, or -1 with errno
/// ENOPROTOOPT (unknown option), ENOTSUP (not an option of this socket,
/// e.g. `NN_RCVFD` of a PUB socket), EBADF (no such socket), EINVAL,
/// EFAULT (NULL `szp`, or NULL `val` with room). Does not block.
///
/// # Safety
///
/// `szp` is NULL or valid, and `val` NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nn_getsockopt(
    s: c_int,
    level: c_int,
    opt: c_int,
    val: *mut c_void,
    szp: *mut usize,
) -> c_int {
    nn_call(-1, || {
        let o = nn_option(level, opt)?;
        // SAFETY: szp is NULL or valid (contract).
        let room = unsafe { szp.as_ref() }.copied().ok_or(EFAULT)?;
        if val.is_null() && room != 0 {
            return Err(EFAULT);
        }
        if let Some(get) = o.get {
            // SAFETY: szp valid, val writable for *szp bytes (checked).
            unsafe { get(s, val, szp) }?;
            return Ok(0);
        }
        let name = o.name.ok_or(Errno(libc::ENOPROTOOPT))?;
        let sock = nn_sock(s)?;
        let d = sock.opt_desc(SOCKET_CTX, name)?;
        // SAFETY: as above.
        let arg = unsafe { GetArg::opaque(val, szp) }?;
        get_value(&d, arg, || {
            let v = sock.get_opt(SOCKET_CTX, name)?;
            // As nng_socket_get: a stored endpoint option must be asked
            // for with exactly its size (reference ABI.md §10).
            if socket::is_endpoint_opt(name) && room != options::to_bytes(&v).len() {
                return Err(Error::Inval);
            }
            Ok(v)
        })?;
        Ok(0)
    })
}

// ---- polling, devices, termination ----

/// Waits up to `timeout` ms (negative: forever) until one of the `nfds`
/// sockets in `fds` is ready for its `events` (`NN_POLLIN`: a message can
/// be received; `NN_POLLOUT`: one can be sent), using the sockets'
/// `NN_RCVFD`/`NN_SNDFD` descriptors and poll(2). Sets every `revents`.
/// Returns the number of ready entries (0 on timeout), or -1 with errno
/// ENOMEM (`nfds` not positive, as upstream), EFAULT (NULL `fds`), EBADF
/// (no such socket), ENOTSUP (an event the socket's protocol never has),
/// EINTR. Blocks.
///
/// # Safety
///
/// `fds` is NULL or valid for `nfds` entries.
#[no_mangle]
pub unsafe extern "C" fn nn_poll(fds: *mut nn_pollfd, nfds: c_int, timeout: c_int) -> c_int {
    nn_call(-1, || {
        // Upstream allocates nfds * 2 entries, which fails for 0 or less.
        let n = usize::try_from(nfds)
            .ok()
            .filter(|&n| n > 0)
            .ok_or(Errno(libc::ENOMEM))?;
        if fds.is_null() {
            return Err(EFAULT);
        }
        // SAFETY: non-NULL and valid for nfds entries (contract).
        let fds = unsafe { std::slice::from_raw_parts_mut(fds, n) };
        let mut pfd = Vec::with_capacity(2 * n);
        for f in fds.iter() {
            let want = c_int::from(f.events);
            for (ev, name) in [(NN_POLLIN, NNG_OPT_RECVFD), (NN_POLLOUT, NNG_OPT_SENDFD)] {
                if want & ev != 0 {
                    pfd.push(libc::pollfd {
                        fd: get_int_opt(f.fd, name)?,
                        events: libc::POLLIN,
                        revents: 0,
                    });
                }
            }
        }
        // SAFETY: pfd is a live array of pfd.len() pollfd entries.
        let rv = unsafe { libc::poll(pfd.as_mut_ptr(), pfd.len() as libc::nfds_t, timeout) };
        if rv < 0 {
            return Err(Errno(errno()));
        }
        let mut ready = 0;
        let mut it = pfd.iter();
        for f in fds.iter_mut() {
            let want = c_int::from(f.events);
            f.revents = 0;
            for ev in [NN_POLLIN, NN_POLLOUT] {
                if want & ev != 0 && it.next().is_some_and(|p| p.revents & libc::POLLIN != 0) {
                    f.revents |= ev as u16;
                }
            }
            if f.revents != 0 {
                ready += 1;
            }
        }
        Ok(ready)
    })
}

/// Forwards messages between raw sockets `s1` and `s2` (both ways where
/// the protocols allow), or, with -1 (or `s1`) for `s2`, back out of `s1`
/// (a loopback device), until a socket is closed (`nn_close`, `nn_term`).
/// Always returns -1, with errno EBADF once a socket is closed (or if one
/// is not open), or EINVAL (a socket not raw, protocols not peers). Blocks.
#[no_mangle]
pub extern "C" fn nn_device(s1: c_int, s2: c_int) -> c_int {
    nn_call(-1, || {
        let lookup = |s: c_int| match s as u32 {
            0 | u32::MAX => Ok(None),
            id => socket::socket(id).map(Some),
        };
        let a = lookup(s1)?;
        let b = if s2 == s1 { None } else { lookup(s2)? };
        let aio = Aio::new();
        device::start(&aio, a, b);
        aio.wait();
        // A device only ever stops with an error; upstream maps "none" to EIO.
        aio.result()?;
        Err(Errno(libc::EIO))
    })
}

/// Closes every open socket, as `nn_close` on each (including sockets
/// opened with the nng API): calls blocked on them fail with EBADF and
/// devices stop. For use at exit; the library stays usable and new
/// sockets can be opened afterwards (upstream does not make later calls
/// fail with ETERM). Blocks until the sockets are closed.
#[no_mangle]
pub extern "C" fn nn_term() {
    guard(socket::close_all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr::{null, null_mut};

    fn text(p: *const c_char) -> String {
        // SAFETY: nn_strerror returns a NUL-terminated string.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
    }

    #[test]
    fn errno_mapping_follows_upstream_table() {
        assert_eq!(errno_for(Error::Closed), libc::EBADF);
        assert_eq!(errno_for(Error::Canceled), libc::EBADF);
        assert_eq!(errno_for(Error::State), 0x1000_0000 + 30);
        assert_eq!(errno_for(Error::Unreachable), libc::EHOSTUNREACH);
        assert_eq!(errno_for(Error::ReadOnly), libc::EACCES);
        assert_eq!(errno_for(Error::NoFiles), libc::EMFILE);
        assert_eq!(errno_for(Error::ConnShut), libc::EIO);
        assert_eq!(errno_for(Error::Internal), libc::EIO);
        assert_eq!(errno_for(Error::Sys(libc::EPIPE)), libc::EIO);
        assert_eq!(error_for_errno(libc::EINVAL), Some(Error::Inval));
        assert_eq!(error_for_errno(libc::EACCES), Some(Error::Perm));
        assert_eq!(error_for_errno(libc::EIO), None);
    }

    #[test]
    fn strerror_names_first_matching_nng_error() {
        assert_eq!(text(nn_strerror(libc::EINVAL)), "Invalid argument");
        assert_eq!(text(nn_strerror(libc::EBADF)), "Object closed");
        assert_eq!(text(nn_strerror(libc::EACCES)), "Permission denied");
        assert_eq!(text(nn_strerror(EFSM)), "Incorrect state");
        assert_eq!(text(nn_strerror(libc::ENOTSUP)), "Not supported");
        assert_eq!(text(nn_strerror(libc::EIO)), "Unknown I/O error");
        assert_eq!(text(nn_strerror(0)), "Unknown error 0");
        assert_eq!(text(nn_strerror(-12345)), "Unknown error -12345");
    }

    #[test]
    fn failing_call_sets_errno() {
        set_errno(0);
        assert_eq!(nn_socket(99, NN_PAIR), -1);
        assert_eq!(nn_errno(), libc::EAFNOSUPPORT);
        assert_eq!(nn_socket(AF_SP, 4242), -1);
        assert_eq!(nn_errno(), libc::ENOTSUP);
        // SAFETY: NULL header is an allowed input.
        assert_eq!(unsafe { nn_sendmsg(1, null(), 7) }, -1);
        assert_eq!(nn_errno(), libc::EINVAL);
    }

    #[test]
    fn allocmsg_round_trip_keeps_contents() {
        assert!(nn_allocmsg(0, 0).is_null());
        assert_eq!(nn_errno(), libc::EINVAL);
        assert!(nn_allocmsg(8, 1).is_null());
        assert_eq!(nn_errno(), libc::EINVAL);
        assert!(nn_allocmsg(usize::MAX - 4, 0).is_null());
        assert_eq!(nn_errno(), libc::EINVAL);
        assert!(nn_allocmsg(usize::MAX / 2, 0).is_null());
        assert_eq!(nn_errno(), libc::ENOMEM);

        let p = nn_allocmsg(5, 0).cast::<u8>();
        assert!(!p.is_null());
        // SAFETY: p is a live 5-byte nn buffer until freed below; the
        // grown buffer q is live for 3000 bytes, r for 2.
        unsafe {
            assert_eq!(nn_buf_len(p.cast()), 5);
            assert_eq!(std::slice::from_raw_parts(p, 5), &[0; 5]);
            p.copy_from(b"hello".as_ptr(), 5);
            let q = nn_reallocmsg(p.cast(), 3000).cast::<u8>();
            assert!(!q.is_null());
            assert_eq!(nn_buf_len(q.cast()), 3000);
            assert_eq!(std::slice::from_raw_parts(q, 5), b"hello");
            assert!(std::slice::from_raw_parts(q.add(5), 2995)
                .iter()
                .all(|&b| b == 0));
            let r = nn_reallocmsg(q.cast(), 2).cast::<u8>();
            assert_eq!(std::slice::from_raw_parts(r, 2), b"he");
            assert!(nn_reallocmsg(r.cast(), usize::MAX).is_null());
            assert_eq!(nn_errno(), libc::EINVAL);
            assert_eq!(nn_freemsg(r.cast()), 0);
            assert!(nn_reallocmsg(null_mut(), 3).is_null());
            assert_eq!(nn_freemsg(null_mut()), -1);
            assert_eq!(nn_errno(), libc::EFAULT);
        }
    }

    #[test]
    fn nn_buffer_leads_back_to_its_message() {
        let buf = nn_buf_from_msg(Msg::from_slice(b"abc")).unwrap();
        // SAFETY: buf is a live nn buffer of 3 bytes until taken back below.
        unsafe {
            assert_eq!(nn_buf_len(buf), 3);
            let m = msg_mut(nn_buf_msg(buf)).unwrap();
            assert_eq!(&m.body()[NN_BUF_HDR..], b"abc");
            assert_eq!(buf.cast::<u8>(), m.body_mut()[NN_BUF_HDR..].as_mut_ptr());
            let mut m = msg_from_c(nn_buf_msg(buf)).unwrap();
            m.trim(NN_BUF_HDR).unwrap();
            assert_eq!(m.body(), b"abc");
        }
    }

    #[test]
    fn cmsg_next_finds_the_one_header() {
        #[repr(C, align(8))]
        struct Ctl([u8; 32]);
        let mut ctl = Ctl([0; 32]);
        let mut mh = nn_msghdr {
            msg_iov: null_mut(),
            msg_iovlen: 0,
            msg_control: ctl.0.as_mut_ptr().cast(),
            msg_controllen: 32,
        };
        // SAFETY: mh describes the live 32-byte ctl buffer.
        unsafe {
            let first = nn_cmsg_next(&mut mh, null_mut());
            assert_eq!(first.cast::<u8>(), ctl.0.as_mut_ptr());
            assert!(nn_cmsg_next(&mut mh, first).is_null());
            mh.msg_controllen = 15;
            assert!(nn_cmsg_next(&mut mh, null_mut()).is_null());
            assert!(nn_cmsg_next(null_mut(), null_mut()).is_null());

            let mut buf = nn_allocmsg(24, 0);
            mh.msg_control = (&mut buf as *mut *mut c_void).cast();
            mh.msg_controllen = NN_MSG;
            assert_eq!(nn_cmsg_next(&mut mh, null_mut()).cast::<c_void>(), buf);
            assert_eq!(nn_freemsg(buf), 0);
        }
    }

    #[test]
    fn statistics_are_zero() {
        assert_eq!(nn_get_statistic(1, 2), 0);
    }

    /// One control message: header, `size_t` length, header bytes.
    fn cmsg(level: c_int, ty: c_int, hdr: &[u8]) -> Vec<u8> {
        let len = cmsg_align(size_of::<usize>() + hdr.len()) + CMSG_HDR;
        let mut v = vec![0u8; len];
        v[..size_of::<usize>()].copy_from_slice(&len.to_ne_bytes());
        let p = size_of::<usize>();
        v[p..p + 4].copy_from_slice(&level.to_ne_bytes());
        v[p + 4..p + 8].copy_from_slice(&ty.to_ne_bytes());
        v[CMSG_HDR..CMSG_HDR + size_of::<usize>()].copy_from_slice(&hdr.len().to_ne_bytes());
        v[CMSG_HDR + size_of::<usize>()..][..hdr.len()].copy_from_slice(hdr);
        v
    }

    fn sp_header_of(ctl: &mut [u8]) -> Option<Vec<u8>> {
        let mh = nn_msghdr {
            msg_iov: null_mut(),
            msg_iovlen: 0,
            msg_control: ctl.as_mut_ptr().cast(),
            msg_controllen: ctl.len(),
        };
        // SAFETY: mh describes the live ctl buffer.
        unsafe { nn_sp_header(&mh) }.map(<[u8]>::to_vec)
    }

    #[test]
    fn sp_header_is_found_skipping_other_control_messages() {
        let mut one = cmsg(PROTO_SP, SP_HDR, &[1, 2, 3, 4, 0x80, 0, 0, 1]);
        assert_eq!(sp_header_of(&mut one).unwrap(), [1, 2, 3, 4, 0x80, 0, 0, 1]);
        assert_eq!(one.len(), CMSG_HDR + 16);

        let mut two = cmsg(42, 7, b"other");
        two.extend(cmsg(PROTO_SP, SP_HDR, b"abc"));
        assert_eq!(sp_header_of(&mut two).unwrap(), b"abc");

        // A length beyond the message or the buffer: ignored.
        let mut bad = cmsg(PROTO_SP, SP_HDR, b"abcd");
        bad[CMSG_HDR..CMSG_HDR + 8].copy_from_slice(&100usize.to_ne_bytes());
        assert_eq!(sp_header_of(&mut bad), None);
        let mut cut = cmsg(PROTO_SP, SP_HDR, b"abcdefgh");
        let n = cut.len() - 4;
        assert_eq!(sp_header_of(&mut cut[..n]), None);
        // A zero length does not loop forever; too short for a header.
        let mut zero = vec![0u8; 64];
        assert_eq!(sp_header_of(&mut zero), None);
        assert_eq!(sp_header_of(&mut one[..8]), None);
        // No control data at all.
        let mh = nn_msghdr {
            msg_iov: null_mut(),
            msg_iovlen: 0,
            msg_control: null_mut(),
            msg_controllen: 99,
        };
        // SAFETY: NULL control data is allowed.
        assert!(unsafe { nn_sp_header(&mh) }.is_none());
    }

    #[test]
    fn failed_send_restores_the_buffer_in_place() {
        for size in [5usize, 0, 3000] {
            let mut buf = nn_allocmsg(8, 0);
            // SAFETY: buf is a live nn buffer; resized, then taken out
            // and put back exactly as nn_sendmsg does, then freed.
            unsafe {
                buf = nn_reallocmsg(buf, size);
                assert!(!buf.is_null());
                let mut m = msg_from_c(nn_buf_msg(buf)).unwrap();
                m.trim(NN_BUF_HDR).unwrap();
                assert_eq!(m.len(), size);
                nn_buf_restore(m, buf);
                assert_eq!(nn_buf_len(buf), size);
                assert_eq!(nn_freemsg(buf), 0);
            }
        }
    }

    #[test]
    fn options_table_and_conversions() {
        let s = nn_socket(AF_SP, NN_PAIR);
        assert!(s > 0);
        let mut v: c_int = 0;
        let mut sz = size_of::<c_int>();
        let vp = (&mut v as *mut c_int).cast::<c_void>();
        // SAFETY: v and sz are live locals of the sizes given.
        unsafe {
            assert_eq!(nn_getsockopt(s, NN_SOL_SOCKET, 999, vp, &mut sz), -1);
            assert_eq!(nn_errno(), libc::ENOPROTOOPT);
            assert_eq!(nn_getsockopt(s, NN_SOL_SOCKET, NN_DOMAIN, vp, &mut sz), 0);
            assert_eq!(vp.cast::<c_int>().read(), AF_SP);
            vp.cast::<c_int>().write(1025);
            assert_eq!(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVBUF, vp, 4), 0);
            assert_eq!(nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVBUF, vp, &mut sz), 0);
            assert_eq!(vp.cast::<c_int>().read(), 2048);
            assert_eq!(
                nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, vp, &mut sz),
                0
            );
            assert_eq!(vp.cast::<c_int>().read(), -1); // no limit by default, as upstream
            vp.cast::<c_int>().write(7);
            assert_eq!(nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, vp, 4), 0);
            vp.cast::<c_int>().write(0);
            assert_eq!(nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, vp, &mut sz), 0);
            assert_eq!(vp.cast::<c_int>().read(), 7);
            assert_eq!(
                nn_getsockopt(s, NN_SOL_SOCKET, NN_LINGER, vp, null_mut()),
                -1
            );
            assert_eq!(nn_errno(), libc::EFAULT);
        }
        assert_eq!(nn_close(s), 0);
        assert_eq!(nn_close(s), -1);
        assert_eq!(nn_errno(), libc::EBADF);
    }

    #[test]
    fn pair_exchange_over_inproc() {
        let (a, b) = (nn_socket(AF_SP, NN_PAIR), nn_socket(AF_SP_RAW, NN_PAIR));
        let url = c"inproc://nn-rust-unit-pair";
        // SAFETY: url is NUL-terminated; buffers are live locals.
        unsafe {
            assert!(nn_bind(a, url.as_ptr()) > 0);
            assert!(nn_connect(b, url.as_ptr()) > 0);
            let t: c_int = 5000;
            let tp = (&t as *const c_int).cast();
            assert_eq!(nn_setsockopt(a, NN_SOL_SOCKET, NN_RCVTIMEO, tp, 4), 0);
            assert_eq!(nn_setsockopt(b, NN_SOL_SOCKET, NN_SNDTIMEO, tp, 4), 0);
            assert_eq!(nn_send(b, b"hey".as_ptr().cast(), 3, 0), 3);
            let mut got: *mut c_void = null_mut();
            let gp = (&mut got as *mut *mut c_void).cast();
            assert_eq!(nn_recv(a, gp, NN_MSG, 0), 3);
            assert_eq!(std::slice::from_raw_parts(got.cast::<u8>(), 3), b"hey");
            assert_eq!(nn_freemsg(got), 0);
        }
        assert_eq!(nn_close(a), 0);
        assert_eq!(nn_close(b), 0);
    }
}
