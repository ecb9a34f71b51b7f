//! C API: socket lifecycle and identity, pipe notifications, and sending and
//! receiving on a socket (`nng_close`, `nng_socket_*`, `nng_pipe_notify`,
//! `nng_send*`, `nng_recv*`, `nng_sock_*`). Socket options are in
//! `options.rs`; sockets are opened by the protocol functions in `proto/`.
//!
//! A socket is an id passed by value: a zero, stale or closed id gives
//! `NNG_ECLOSED`.

use std::ffi::{c_char, c_int, c_void};

use super::options::Out;
use super::types::{nng_aio, nng_msg, nng_pipe_cb, nng_pipe_ev, nng_socket};
use super::{bytes, guard, guard_rc};
use crate::core::error::Error;

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
    guard_rc(|| {
        let _ = s;
        // TODO(sockets): look the socket up (NNG_ECLOSED) and close it.
        Err(Error::NotSup)
    })
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
        let _id = unsafe { Out::new(id) }?;
        let _ = s;
        // TODO(sockets): look the socket up and store its protocol number.
        Err(Error::NotSup)
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
        let _id = unsafe { Out::new(id) }?;
        let _ = s;
        // TODO(sockets): look the socket up and store its peer's number.
        Err(Error::NotSup)
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
        let _name = unsafe { Out::new(name) }?;
        let _ = s;
        // TODO(sockets): look the socket up and store its static name.
        Err(Error::NotSup)
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
        let _name = unsafe { Out::new(name) }?;
        let _ = s;
        // TODO(sockets): look the socket up and store its peer's static name.
        Err(Error::NotSup)
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
        let _raw = unsafe { Out::new(raw) }?;
        let _ = s;
        // TODO(sockets): look the socket up and store its raw flag.
        Err(Error::NotSup)
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
    ev: nng_pipe_ev,
    cb: nng_pipe_cb,
    arg: *mut c_void,
) -> c_int {
    guard_rc(|| {
        let _ = (s, ev, cb, arg);
        // TODO(sockets): look the socket up and store the callback.
        Err(Error::NotSup)
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
        let _data = unsafe { bytes(buf, len) }?;
        let _ = (s, flags);
        // TODO(sockets): copy into a message and send it as nng_sendmsg does;
        // free `buf` with nng_free on success under NNG_FLAG_ALLOC.
        Err(Error::NotSup)
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
        if szp.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: `szp` is non-NULL and points at a size_t (contract).
        let cap = unsafe { szp.read() };
        if buf.is_null() && (flags & ALLOC != 0 || cap != 0) {
            return Err(Error::Inval);
        }
        let _ = s;
        // TODO(sockets): receive as nng_recvmsg does, then copy out.
        Err(Error::NotSup)
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
        let _ = (s, flags);
        // TODO(sockets): send, taking `msg` only on success.
        Err(Error::NotSup)
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
        let _msgp = unsafe { Out::new(msgp) }?;
        let _ = (s, flags);
        // TODO(sockets): receive and store the message.
        Err(Error::NotSup)
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
        let _ = (s, aio);
        // TODO(sockets): start the send; until sockets exist the aio must be
        // completed with NNG_ENOTSUP through core::aio (not yet available).
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
        let _ = (s, aio);
        // TODO(sockets): start the receive; see nng_sock_send.
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
            assert_eq!(
                nng_recv(s, std::ptr::null_mut(), std::ptr::null_mut(), 0),
                inval
            );
            let mut sz = 4usize;
            assert_eq!(nng_recv(s, std::ptr::null_mut(), &mut sz, 0), inval);
            assert_eq!(nng_recv(s, std::ptr::null_mut(), &mut sz, ALLOC), inval);
            assert_eq!(nng_sendmsg(s, std::ptr::null_mut(), 0), inval);
            assert_eq!(nng_recvmsg(s, std::ptr::null_mut(), 0), inval);
        }
    }
}
