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
//! [`nn_buf_len`] are the only code that knows this layout. Before sending
//! such a message, trim the [`NN_BUF_HDR`] bytes off the front of the body.
//!
//! Implemented now: errors, message buffers, `nn_cmsg_next`,
//! `nn_get_statistic`. Functions that need sockets check what they can and
//! then fail with `ENOTSUP` until the socket layer exists.
//!
//! The header's `NN_ERRBASE`, errno fallbacks, `NN_MSG` and `NN_CMSG_*`
//! macros are text (`tools/headers/text/nn_prelude.h`, `nn_trailer.h`); the
//! same values are in [`abi`] for Rust.

#![allow(non_camel_case_types)]

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void};
use std::mem::size_of;

use crate::core::error::Error;
use crate::core::msg::Msg;
use crate::ffi::lib::nng_strerror;
use crate::ffi::msg::{msg_from_c, msg_into_c, msg_mut};
use crate::ffi::types::nng_msg;
use crate::ffi::{guard, PanicDefault};

use super::bus::NN_BUS;
use super::pair::NN_PAIR;
use super::pipeline::{NN_PULL, NN_PUSH};
use super::pubsub::{NN_PUB, NN_SUB};
use super::reqrep::{NN_REP, NN_REQ};
use super::survey::{NN_RESPONDENT, NN_SURVEYOR};

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

thread_local! {
    static UNKNOWN: RefCell<[u8; 32]> = const { RefCell::new([0; 32]) };
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
        UNKNOWN.with(|b| {
            let mut b = b.borrow_mut();
            let text = format!("Unknown error {err}");
            let n = text.len().min(b.len() - 1);
            b[..n].copy_from_slice(&text.as_bytes()[..n]);
            b[n] = 0;
            b.as_ptr().cast()
        })
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

// ---- sockets (not yet implemented) ----
//
// TODO(socket): the functions below need the socket layer; each checks the
// arguments it can check without it (as upstream does first) and then fails
// with ENOTSUP. Upstream's src/compat/nanomsg/nn.c has the behaviour to
// match, and API.md §25 the option table.

/// Checks nanomsg send/receive flags: 0 or `NN_DONTWAIT`, else EINVAL.
/// Returns the nng flags.
fn nn_flags(flags: c_int) -> Result<c_int, Errno> {
    match flags {
        0 => Ok(0),
        NN_DONTWAIT => Ok(2), // NNG_FLAG_NONBLOCK
        _ => Err(Error::Inval.into()),
    }
}

/// Opens a socket of `protocol` (an `NN_*` protocol number) in `domain`
/// (`AF_SP`, or `AF_SP_RAW` for devices) and returns its number (the nng
/// socket id). Fails with -1 and errno EAFNOSUPPORT (bad domain), ENOTSUP
/// (unknown protocol; for now, always), ENOMEM. Does not block.
#[no_mangle]
pub extern "C" fn nn_socket(domain: c_int, protocol: c_int) -> c_int {
    nn_call(-1, || {
        if domain != AF_SP && domain != AF_SP_RAW {
            return Err(Errno(libc::EAFNOSUPPORT));
        }
        const KNOWN: [c_int; 10] = [
            NN_BUS,
            NN_PAIR,
            NN_PULL,
            NN_PUSH,
            NN_PUB,
            NN_SUB,
            NN_REQ,
            NN_REP,
            NN_SURVEYOR,
            NN_RESPONDENT,
        ];
        if !KNOWN.contains(&protocol) {
            return Err(Error::NotSup.into());
        }
        Err(Error::NotSup.into())
    })
}

/// Closes socket `s`. Returns 0, or -1 with errno EBADF (no such socket;
/// for now ENOTSUP). May block while messages drain (linger).
#[no_mangle]
pub extern "C" fn nn_close(s: c_int) -> c_int {
    nn_call(-1, || {
        let _ = s;
        Err(Error::NotSup.into())
    })
}

/// Listens on `addr` (a URL) and returns the endpoint id for
/// `nn_shutdown`. Fails with -1 and errno EBADF, EINVAL, EADDRINUSE, ...
/// (for now ENOTSUP). Does not block.
///
/// # Safety
///
/// `addr` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nn_bind(s: c_int, addr: *const c_char) -> c_int {
    nn_call(-1, || {
        let _ = s;
        if addr.is_null() {
            return Err(Error::Inval.into());
        }
        Err(Error::NotSup.into())
    })
}

/// Dials `addr` (a URL) in the background and returns the endpoint id for
/// `nn_shutdown`. Fails with -1 and errno EBADF, EINVAL, ... (for now
/// ENOTSUP). Does not block.
///
/// # Safety
///
/// `addr` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nn_connect(s: c_int, addr: *const c_char) -> c_int {
    nn_call(-1, || {
        let _ = s;
        if addr.is_null() {
            return Err(Error::Inval.into());
        }
        Err(Error::NotSup.into())
    })
}

/// Closes endpoint `ep` (a dialer or listener id; `s` is ignored).
/// Returns 0, or -1 with errno ENOENT (for now ENOTSUP). Does not block.
#[no_mangle]
pub extern "C" fn nn_shutdown(s: c_int, ep: c_int) -> c_int {
    nn_call(-1, || {
        let _ = (s, ep);
        Err(Error::NotSup.into())
    })
}

/// Sends `len` bytes from `buf`; with `len` `NN_MSG`, `buf` points at an nn
/// buffer pointer whose message is sent and consumed on success. `flags` is
/// 0 or `NN_DONTWAIT`. Returns the bytes sent, or -1 with errno (EAGAIN,
/// ETIMEDOUT, EBADF, EINVAL, ...; for now ENOTSUP). Blocks unless
/// `NN_DONTWAIT` (up to the send timeout).
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

/// Receives into `buf` (up to `len` bytes; with `len` `NN_MSG`, stores a new
/// nn buffer's pointer in `*(void **) buf`, to free with `nn_freemsg`).
/// `flags` is 0 or `NN_DONTWAIT`. Returns the message length (which may
/// exceed `len`), or -1 with errno (EAGAIN, ETIMEDOUT, EBADF, ...; for now
/// ENOTSUP). Blocks unless `NN_DONTWAIT` (up to the receive timeout).
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

/// Sends the concatenation of `mh`'s buffers (or, with one `NN_MSG` element,
/// that nn buffer's message, consumed on success), with the SP header taken
/// from an `SP_HDR` control message if present. Returns the body bytes
/// sent, or -1 with errno (EINVAL for NULL `mh` or bad flags, EMSGSIZE for
/// a negative `msg_iovlen`; for now ENOTSUP). Blocks unless `NN_DONTWAIT`.
///
/// # Safety
///
/// `mh` is NULL or a valid `nn_msghdr` whose buffers are readable.
#[no_mangle]
pub unsafe extern "C" fn nn_sendmsg(s: c_int, mh: *const nn_msghdr, flags: c_int) -> c_int {
    nn_call(-1, || {
        let _ = s;
        nn_flags(flags)?;
        // SAFETY: per the contract mh is NULL or valid for reads.
        let mh = unsafe { mh.as_ref() }.ok_or(Error::Inval)?;
        if mh.msg_iovlen < 0 {
            return Err(Error::MsgSize.into());
        }
        Err(Error::NotSup.into())
    })
}

/// Receives a message into `mh`'s buffers (or, with one `NN_MSG` element, as
/// a new nn buffer), and its SP header as an `SP_HDR` control message if
/// `msg_control` is set. Returns the message length, or -1 with errno
/// (EINVAL for NULL `mh` or bad flags, EMSGSIZE for a negative
/// `msg_iovlen`; for now ENOTSUP). Blocks unless `NN_DONTWAIT`.
///
/// # Safety
///
/// `mh` is NULL or a valid `nn_msghdr` whose buffers are writable.
#[no_mangle]
pub unsafe extern "C" fn nn_recvmsg(s: c_int, mh: *mut nn_msghdr, flags: c_int) -> c_int {
    nn_call(-1, || {
        let _ = s;
        nn_flags(flags)?;
        // SAFETY: per the contract mh is NULL or valid for reads.
        let mh = unsafe { mh.as_ref() }.ok_or(Error::Inval)?;
        if mh.msg_iovlen < 0 {
            return Err(Error::MsgSize.into());
        }
        Err(Error::NotSup.into())
    })
}

/// Sets option `opt` at `level` (`NN_SOL_SOCKET`, a protocol, or a
/// transport) from `sz` bytes at `val`. Returns 0, or -1 with errno
/// (ENOPROTOOPT for unknown options, EINVAL, EBADF; for now ENOTSUP).
/// Does not block.
///
/// # Safety
///
/// `val` is readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nn_setsockopt(
    s: c_int,
    level: c_int,
    opt: c_int,
    val: *const c_void,
    sz: usize,
) -> c_int {
    nn_call(-1, || {
        let _ = (s, level, opt, val, sz);
        Err(Error::NotSup.into())
    })
}

/// Reads option `opt` at `level` into `val`, whose size is `*szp` (set to
/// the option's size). Returns 0, or -1 with errno (ENOPROTOOPT for
/// unknown options, EINVAL, EBADF; for now ENOTSUP). Does not block.
///
/// # Safety
///
/// `szp` is valid and `val` writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nn_getsockopt(
    s: c_int,
    level: c_int,
    opt: c_int,
    val: *mut c_void,
    szp: *mut usize,
) -> c_int {
    nn_call(-1, || {
        let _ = (s, level, opt, val, szp);
        Err(Error::NotSup.into())
    })
}

/// Waits up to `timeout` ms (negative: forever) until one of the `nfds`
/// sockets in `fds` is ready for its `events`; sets each `revents`.
/// Returns the number of ready entries (0 on timeout), or -1 with errno
/// (EBADF, ENOMEM; for now ENOTSUP). Blocks.
///
/// # Safety
///
/// `fds` is valid for `nfds` entries.
#[no_mangle]
pub unsafe extern "C" fn nn_poll(fds: *mut nn_pollfd, nfds: c_int, timeout: c_int) -> c_int {
    nn_call(-1, || {
        let _ = (fds, nfds, timeout);
        Err(Error::NotSup.into())
    })
}

/// Forwards messages between raw sockets `s1` and `s2` (or reflects on
/// one, with -1 for the other) until one closes. Blocks; always returns -1
/// with errno set from the reason it stopped (for now ENOTSUP).
#[no_mangle]
pub extern "C" fn nn_device(s1: c_int, s2: c_int) -> c_int {
    nn_call(-1, || {
        let _ = (s1, s2);
        Err(Error::NotSup.into())
    })
}

/// Closes every open socket, for use at exit only (not thread-safe with
/// other calls); the library stays usable. (Nothing to close yet.)
#[no_mangle]
pub extern "C" fn nn_term() {}

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
}
