//! C API: socket lifecycle and identity, pipe notifications, and sending and
//! receiving on a socket (`nng_close`, `nng_socket_*`, `nng_pipe_notify`,
//! `nng_send*`, `nng_recv*`, `nng_sock_*`). Socket options are in
//! `options.rs`; sockets are opened by the protocol functions in `proto/`.
//!
//! A socket is an id passed by value: a zero, stale or closed id gives
//! `NNG_ECLOSED`.

use std::ffi::{c_char, c_int, c_void};

use std::ffi::{CStr, CString};
use std::sync::{Arc, Mutex};

use super::aio::aio_ref;
use super::msg::{msg_from_c, msg_into_c};
use super::options::Out;
use super::types::{nng_aio, nng_msg, nng_pipe, nng_pipe_cb, nng_pipe_ev_c, nng_socket};
use super::{bytes, guard, guard_rc};
use crate::core::aio::Aio;
use crate::core::error::Error;
use crate::core::msg::Msg;
use crate::core::socket::{self, Notify, PipeEv};
use crate::protocol::SOCKET_CTX;
use crate::runtime::sync::lock;

/// The rule shared by every `nng_*_id` function: the id as a positive `int`,
/// or -1 for id 0 or an id that does not fit in a positive `int`. No lookup.
pub fn handle_id(id: u32) -> c_int {
    match c_int::try_from(id) {
        Ok(n) if n > 0 => n,
        _ => -1,
    }
}

/// Closes a socket: the old name of `nng_socket_close`, kept (not deprecated)
/// because most programs use it.
///
/// Returns 0, or `NNG_ECLOSED` if `s` is not an open socket. Blocks until the
/// socket's callbacks and pending operations are finished.
#[no_mangle]
pub extern "C" fn nng_close(s: nng_socket) -> c_int {
    nng_socket_close(s)
}

/// Closes a socket, with its dialers, listeners, pipes and contexts. Pending
/// operations on it fail with `NNG_ECLOSED`; queued messages are discarded.
///
/// Returns 0, or `NNG_ECLOSED` if `s` is not an open socket (including one
/// already closed). Blocks until the socket's callbacks and pending operations
/// are finished.
#[no_mangle]
pub extern "C" fn nng_socket_close(s: nng_socket) -> c_int {
    guard_rc(|| socket::socket(s.id)?.close())
}

/// Returns the id of a socket as a positive number, or -1 if the handle is
/// not valid (id 0, or too large for an `int`). Does not check that the socket
/// is open.
#[no_mangle]
pub extern "C" fn nng_socket_id(s: nng_socket) -> c_int {
    handle_id(s.id)
}

/// Stores the socket's own 16-bit SP protocol number (e.g. 0x30 for req) in
/// `*id`.
///
/// Returns 0, or `NNG_EINVAL` if `id` is NULL, or `NNG_ECLOSED` if `s` is not
/// an open socket. Does not block.
///
/// # Safety
///
/// `id` is NULL or writable as a `uint16_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_proto_id(s: nng_socket, id: *mut u16) -> c_int {
    guard_rc(|| {
        // SAFETY: `id` is NULL or writable (contract).
        let id = unsafe { Out::new(id) }?;
        id.put(socket::socket(s.id)?.info().self_id);
        Ok(())
    })
}

/// Stores the 16-bit SP protocol number of the socket's peer (e.g. 0x31 for
/// a req socket) in `*id`.
///
/// Returns 0, or `NNG_EINVAL` if `id` is NULL, or `NNG_ECLOSED` if `s` is not
/// an open socket. Does not block.
///
/// # Safety
///
/// `id` is NULL or writable as a `uint16_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_peer_id(s: nng_socket, id: *mut u16) -> c_int {
    guard_rc(|| {
        // SAFETY: `id` is NULL or writable (contract).
        let id = unsafe { Out::new(id) }?;
        id.put(socket::socket(s.id)?.info().peer_id);
        Ok(())
    })
}

/// Stores a pointer to the socket's protocol name (e.g. "req") in `*name`.
/// The string is static: the caller must not free or modify it.
///
/// Returns 0, or `NNG_EINVAL` if `name` is NULL, or `NNG_ECLOSED` if `s` is
/// not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or writable as a `const char *`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_proto_name(s: nng_socket, name: *mut *const c_char) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or writable (contract).
        let name = unsafe { Out::new(name) }?;
        name.put(static_cstr(socket::socket(s.id)?.info().self_name));
        Ok(())
    })
}

/// Stores a pointer to the protocol name of the socket's peer (e.g. "rep"
/// for a req socket) in `*name`. The string is static: the caller must not
/// free or modify it.
///
/// Returns 0, or `NNG_EINVAL` if `name` is NULL, or `NNG_ECLOSED` if `s` is
/// not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or writable as a `const char *`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_peer_name(s: nng_socket, name: *mut *const c_char) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or writable (contract).
        let name = unsafe { Out::new(name) }?;
        name.put(static_cstr(socket::socket(s.id)?.info().peer_name));
        Ok(())
    })
}

/// Stores in `*raw` whether the socket was opened in raw mode (by a
/// `nng_*_open_raw` function).
///
/// Returns 0, or `NNG_EINVAL` if `raw` is NULL, or `NNG_ECLOSED` if `s` is
/// not an open socket. Does not block.
///
/// # Safety
///
/// `raw` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_raw(s: nng_socket, raw: *mut bool) -> c_int {
    guard_rc(|| {
        // SAFETY: `raw` is NULL or writable (contract).
        let raw = unsafe { Out::new(raw) }?;
        raw.put(socket::socket(s.id)?.info().raw);
        Ok(())
    })
}

/// Registers `cb` (with `arg`) as the socket's callback for pipe event `ev`,
/// replacing any earlier one; a NULL `cb` clears it. Each event has at most
/// one callback; an `ev` that is not an event (`NNG_PIPE_EV_NUM` or larger)
/// is ignored.
///
/// The callback runs on a library thread with no locks held and may call the
/// API; in `NNG_PIPE_EV_ADD_PRE` it may close the pipe to reject it.
///
/// Returns 0, or `NNG_ECLOSED` if `s` is not an open socket. Does not block.
#[no_mangle]
pub extern "C" fn nng_pipe_notify(
    s: nng_socket,
    ev: nng_pipe_ev_c,
    cb: nng_pipe_cb,
    arg: *mut c_void,
) -> c_int {
    guard_rc(|| {
        let sock = socket::socket(s.id)?;
        let ev = match ev {
            0 => PipeEv::AddPre,
            1 => PipeEv::AddPost,
            2 => PipeEv::RemPost,
            _ => return Ok(()),
        };
        let notify: Option<Notify> = cb.map(|f| {
            let arg = SendPtr(arg);
            Arc::new(move |pipe: u32, ev: PipeEv| {
                let a = &arg;
                // SAFETY: the application registered `f` with `arg` for
                // exactly these calls (nng_pipe_notify contract).
                unsafe { f(nng_pipe { id: pipe }, ev as nng_pipe_ev_c, a.0) }
            }) as Notify
        });
        sock.set_notify(ev, notify);
        Ok(())
    })
}

/// Sends the `len` bytes at `buf` as one message (copied into a new message).
///
/// With `NNG_FLAG_ALLOC` in `flags`, `buf` came from `nng_alloc` and is freed
/// with `nng_free(buf, len)` on success (on failure the caller keeps it). With
/// `NNG_FLAG_NONBLOCK` the call fails with `NNG_EAGAIN` instead of waiting.
/// Other flag bits are ignored.
///
/// Returns 0, or `NNG_EAGAIN`, `NNG_ETIMEDOUT` (after `NNG_OPT_SENDTIMEO`),
/// `NNG_ECLOSED`, `NNG_ENOTSUP` (the protocol cannot send), `NNG_ESTATE` (the
/// protocol is not ready to send), `NNG_ENOMEM`, or `NNG_EINVAL` if `buf` is
/// NULL and `len` is not 0. Blocks until the socket accepts the message,
/// unless `NNG_FLAG_NONBLOCK` is given.
///
/// # Safety
///
/// `buf` is NULL or readable for `len` bytes; with `NNG_FLAG_ALLOC` it came
/// from `nng_alloc(len)`.
#[no_mangle]
pub unsafe extern "C" fn nng_send(
    s: nng_socket,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `buf` is NULL or readable for `len` bytes (contract).
        let data = unsafe { bytes(buf, len) }?;
        let sock = socket::socket(s.id)?;
        let msg = Msg::from_slice(data);
        sock.send_msg(SOCKET_CTX, msg, flags & NONBLOCK != 0)
            .map_err(|(e, _)| e)?;
        if flags & ALLOC != 0 {
            // SAFETY: with NNG_FLAG_ALLOC the buffer came from nng_alloc and
            // is ours to free once the send succeeded (contract).
            unsafe { super::lib::nng_free(buf, len) };
        }
        Ok(())
    })
}

/// Receives one message and copies its body to the caller.
///
/// Without `NNG_FLAG_ALLOC`, up to `*szp` bytes are copied into `buf` and
/// `*szp` is set to the full body length (a longer body is silently
/// truncated). With `NNG_FLAG_ALLOC`, `buf` is really a `void **`: it receives
/// a new buffer from `nng_alloc` holding the body (NULL for an empty body),
/// which the caller frees with `nng_free(*buf, *szp)`. With
/// `NNG_FLAG_NONBLOCK` the call fails with `NNG_EAGAIN` instead of waiting.
///
/// Returns 0, or `NNG_EAGAIN`, `NNG_ETIMEDOUT` (after `NNG_OPT_RECVTIMEO`),
/// `NNG_ECLOSED`, `NNG_ENOTSUP` (the protocol cannot receive), `NNG_ESTATE`,
/// `NNG_ENOMEM`, or `NNG_EINVAL` if `szp` is NULL, or `buf` is NULL while
/// `NNG_FLAG_ALLOC` is given or `*szp` is not 0. Blocks until a message
/// arrives, unless `NNG_FLAG_NONBLOCK` is given.
///
/// # Safety
///
/// `szp` is NULL or points at a `size_t`; `buf` is NULL or writable for `*szp`
/// bytes (with `NNG_FLAG_ALLOC`: writable as a `void *`).
#[no_mangle]
pub unsafe extern "C" fn nng_recv(
    s: nng_socket,
    buf: *mut c_void,
    szp: *mut usize,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // Upstream receives first and only then uses the arguments, so a
        // closed socket or one that never receives reports that before
        // bad arguments do (which are checked before anything is taken).
        let sock = socket::socket(s.id)?;
        if !sock.receives() {
            return Err(Error::NotSup);
        }
        if szp.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: `szp` is non-NULL and points at a size_t (contract).
        let cap = unsafe { szp.read() };
        if buf.is_null() && (flags & ALLOC != 0 || cap != 0) {
            return Err(Error::Inval);
        }
        let msg = sock.recv_msg(SOCKET_CTX, flags & NONBLOCK != 0)?;
        let body = msg.body();
        if flags & ALLOC != 0 {
            let p = if body.is_empty() {
                std::ptr::null_mut()
            } else {
                let p = super::lib::alloc_copy(body, false);
                if p.is_null() {
                    return Err(Error::NoMem);
                }
                p
            };
            // SAFETY: with NNG_FLAG_ALLOC `buf` is really a `void **`
            // (contract), checked non-NULL above.
            unsafe { buf.cast::<*mut c_void>().write(p) };
        } else {
            let n = cap.min(body.len());
            // SAFETY: `buf` is writable for `cap` bytes (contract) and does
            // not overlap the message we own.
            unsafe { std::ptr::copy_nonoverlapping(body.as_ptr(), buf.cast::<u8>(), n) };
        }
        // SAFETY: `szp` is non-NULL and writable (contract).
        unsafe { szp.write(body.len()) };
        Ok(())
    })
}

/// Sends a message. On success the library owns `msg`; on failure the caller
/// still owns it (and must free or resend it).
///
/// With `NNG_FLAG_NONBLOCK` in `flags` the call fails with `NNG_EAGAIN`
/// instead of waiting; other flag bits are ignored.
///
/// Returns 0, or `NNG_EINVAL` if `msg` is NULL, `NNG_EAGAIN`, `NNG_ETIMEDOUT`
/// (after `NNG_OPT_SENDTIMEO`), `NNG_ECLOSED`, `NNG_ENOTSUP` (the protocol
/// cannot send), or `NNG_ESTATE`. Blocks until the socket accepts the message,
/// unless `NNG_FLAG_NONBLOCK` is given.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_sendmsg(s: nng_socket, msg: *mut nng_msg, flags: c_int) -> c_int {
    guard_rc(|| {
        if msg.is_null() {
            return Err(Error::Inval);
        }
        let sock = socket::socket(s.id)?;
        // SAFETY: `msg` is a live message owned by the caller (contract);
        // we give it back with msg_into_c if the send fails, so the caller
        // keeps the same pointer.
        let m = unsafe { msg_from_c(msg) }.ok_or(Error::Inval)?;
        sock.send_msg(SOCKET_CTX, m, flags & NONBLOCK != 0)
            .map_err(|(e, m)| {
                let _ = msg_into_c(m);
                e
            })
    })
}

/// Receives a message into `*msgp`; the caller owns it and frees it with
/// `nng_msg_free` (or sends it on).
///
/// With `NNG_FLAG_NONBLOCK` in `flags` the call fails with `NNG_EAGAIN`
/// instead of waiting; other flag bits are ignored.
///
/// Returns 0, or `NNG_EINVAL` if `msgp` is NULL, `NNG_EAGAIN`,
/// `NNG_ETIMEDOUT` (after `NNG_OPT_RECVTIMEO`), `NNG_ECLOSED`, `NNG_ENOTSUP`
/// (the protocol cannot receive), or `NNG_ESTATE`. `*msgp` is written only on
/// success. Blocks until a message arrives, unless `NNG_FLAG_NONBLOCK` is
/// given.
///
/// # Safety
///
/// `msgp` is NULL or writable as an `nng_msg *`.
#[no_mangle]
pub unsafe extern "C" fn nng_recvmsg(
    s: nng_socket,
    msgp: *mut *mut nng_msg,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `msgp` is NULL or writable (contract).
        let msgp = unsafe { Out::new(msgp) }?;
        let sock = socket::socket(s.id)?;
        let m = sock.recv_msg(SOCKET_CTX, flags & NONBLOCK != 0)?;
        msgp.put(msg_into_c(m));
        Ok(())
    })
}

/// Sends the message held by `aio` asynchronously. When the operation
/// completes successfully the library owns the message; on failure it stays
/// in the aio (the caller gets it back with `nng_aio_get_msg`).
///
/// The aio completes with `NNG_EINVAL` if it holds no message, with
/// `NNG_ECLOSED` if `s` is not an open socket, with `NNG_ETIMEDOUT` after the
/// aio's timeout (`NNG_DURATION_DEFAULT` uses `NNG_OPT_SENDTIMEO`), or with
/// the protocol's error. A NULL `aio` is ignored. Does not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_sock_send(s: nng_socket, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `aio` is NULL or a live aio (contract).
        let Some(aio) = (unsafe { aio_ref(aio) }) else {
            return;
        };
        match socket::socket(s.id) {
            Ok(sock) => sock.send_aio(SOCKET_CTX, &aio),
            Err(e) => fail_aio(&aio, e),
        }
    })
}

/// Old name of `nng_sock_send`, with the same behaviour.
///
/// # Safety
///
/// As `nng_sock_send`.
#[no_mangle]
pub unsafe extern "C" fn nng_send_aio(s: nng_socket, aio: *mut nng_aio) {
    // SAFETY: same contract.
    unsafe { nng_sock_send(s, aio) }
}

/// Receives a message asynchronously. On success the aio holds the message
/// (`nng_aio_get_msg`), which the caller then owns.
///
/// The aio completes with `NNG_ECLOSED` if `s` is not an open socket, with
/// `NNG_ETIMEDOUT` after the aio's timeout (`NNG_DURATION_DEFAULT` uses
/// `NNG_OPT_RECVTIMEO`), or with the protocol's error. A NULL `aio` is
/// ignored. Does not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_sock_recv(s: nng_socket, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `aio` is NULL or a live aio (contract).
        let Some(aio) = (unsafe { aio_ref(aio) }) else {
            return;
        };
        match socket::socket(s.id) {
            Ok(sock) => sock.recv_aio(SOCKET_CTX, &aio),
            Err(e) => fail_aio(&aio, e),
        }
    })
}

/// Old name of `nng_sock_recv`, with the same behaviour.
///
/// # Safety
///
/// As `nng_sock_recv`.
#[no_mangle]
pub unsafe extern "C" fn nng_recv_aio(s: nng_socket, aio: *mut nng_aio) {
    // SAFETY: same contract.
    unsafe { nng_sock_recv(s, aio) }
}

/// `NNG_FLAG_ALLOC` as the `int` the flag arguments are.
const ALLOC: c_int = super::types::NNG_FLAG_ALLOC as c_int;
/// `NNG_FLAG_NONBLOCK` as the `int` the flag arguments are.
const NONBLOCK: c_int = super::types::NNG_FLAG_NONBLOCK as c_int;

/// Completes an aio operation that could not start (unknown socket ...).
pub fn fail_aio(aio: &Aio, e: Error) {
    if aio.begin() {
        aio.finish_err(e);
    }
}

/// A static protocol name as a C string. Protocol names are static
/// literals; their C copies are made once and live for the process.
pub fn static_cstr(s: &'static str) -> *const c_char {
    static NAMES: Mutex<Vec<(&'static str, &'static CStr)>> = Mutex::new(Vec::new());
    let mut names = lock(&NAMES);
    if let Some((_, c)) = names.iter().find(|(n, _)| *n == s) {
        return c.as_ptr();
    }
    let c: &'static CStr = Box::leak(CString::new(s).unwrap_or_default().into_boxed_c_str());
    names.push((s, c));
    c.as_ptr()
}

/// A C pointer argument carried into a callback on another thread.
struct SendPtr(*mut c_void);
// SAFETY: the pointer is only handed back to the application's own
// callback, which nng's contract allows on any thread.
unsafe impl Send for SendPtr {}
// SAFETY: as above; we never dereference it.
unsafe impl Sync for SendPtr {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_upstream_rule() {
        assert_eq!(nng_socket_id(nng_socket { id: 0 }), -1);
        assert_eq!(nng_socket_id(nng_socket { id: 1 }), 1);
        assert_eq!(nng_socket_id(nng_socket { id: 0x7fff_ffff }), 0x7fff_ffff);
        assert_eq!(nng_socket_id(nng_socket { id: 0x8000_0000 }), -1);
        assert_eq!(nng_socket_id(nng_socket { id: u32::MAX }), -1);
    }

    #[test]
    fn null_arguments_are_einval() {
        let s = nng_socket { id: 1 };
        let inval = Error::Inval.code();
        // SAFETY: NULL is an allowed input for every pointer below.
        unsafe {
            assert_eq!(nng_socket_proto_id(s, std::ptr::null_mut()), inval);
            assert_eq!(nng_socket_peer_id(s, std::ptr::null_mut()), inval);
            assert_eq!(nng_socket_proto_name(s, std::ptr::null_mut()), inval);
            assert_eq!(nng_socket_peer_name(s, std::ptr::null_mut()), inval);
            assert_eq!(nng_socket_raw(s, std::ptr::null_mut()), inval);
            assert_eq!(nng_send(s, std::ptr::null_mut(), 1, 0), inval);
            // nng_recv looks at the socket first, as upstream (which
            // receives before it uses its arguments): no such socket.
            let closed = Error::Closed.code();
            assert_eq!(
                nng_recv(s, std::ptr::null_mut(), std::ptr::null_mut(), 0),
                closed
            );
            let mut sz = 4usize;
            assert_eq!(nng_recv(s, std::ptr::null_mut(), &mut sz, 0), closed);
            assert_eq!(nng_recv(s, std::ptr::null_mut(), &mut sz, ALLOC), closed);
            assert_eq!(nng_sendmsg(s, std::ptr::null_mut(), 0), inval);
            assert_eq!(nng_recvmsg(s, std::ptr::null_mut(), 0), inval);
        }
    }
}
