//! C API: pipes (`nng_pipe_*`): the individual connections of a socket,
//! which an application can inspect (read-only options) and close.
//!
//! A pipe is an id passed by value: a zero, stale or closed id gives
//! `NNG_ENOENT`.

use std::ffi::{c_char, c_int, c_void, CStr};

use super::options::{get_value, GetArg, Out};
use super::socket::handle_id;
use super::types::{nng_dialer, nng_duration, nng_listener, nng_pipe, nng_sockaddr, nng_socket};
use super::{cstr, guard, guard_rc, PanicDefault};
use crate::core::error::Error;
use crate::core::socket::{self, endpoint_opt_desc, PIPES};
use crate::protocol::SOCKET_CTX;

/// Gets an option of a pipe into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the pipe has no such option, or `NNG_ENOENT` if `p` is
/// not an open pipe. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `szp` is NULL or points at a
/// `size_t`; `v` is NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get(
    p: nng_pipe,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        pipe_get(p, name, v)
    })
}

/// Gets a `bool` option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_bool(
    p: nng_pipe,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets an `int` option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_int(
    p: nng_pipe,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a duration (`nng_duration`, ms) option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// duration.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_ms(
    p: nng_pipe,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a `size_t` option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_size(
    p: nng_pipe,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a `uint64_t` option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_uint64(
    p: nng_pipe,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a string option of a pipe: `*v` receives a new copy, which the caller frees
/// with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `char
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_string(
    p: nng_pipe,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a pointer option of a pipe. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `void
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_ptr(
    p: nng_pipe,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Gets a socket-address option of a pipe into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the pipe has no such option, `NNG_EINVAL`
/// if `name` or `v` is NULL, or `NNG_ENOENT` if `p` is not an open pipe. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_get_addr(
    p: nng_pipe,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        pipe_get(p, name, v)
    })
}

/// Closes a pipe (drops the connection). A dialer whose pipe is closed
/// reconnects as usual. May be called from an `NNG_PIPE_EV_ADD_PRE` callback
/// to reject the connection.
///
/// Returns 0, or `NNG_ENOENT` if `p` is not an open pipe. Does not block.
#[no_mangle]
pub extern "C" fn nng_pipe_close(p: nng_pipe) -> c_int {
    guard_rc(|| {
        PIPES.get(p.id).ok_or(Error::NoEnt)?.close();
        Ok(())
    })
}

/// Returns the id of a pipe as a positive number, or -1 if the handle is not
/// valid (id 0, or too large for an `int`). Does not check that the pipe is
/// open.
#[no_mangle]
pub extern "C" fn nng_pipe_id(p: nng_pipe) -> c_int {
    handle_id(p.id)
}

/// Returns the socket a pipe belongs to, or a handle with id 0 if `p` is not
/// an open pipe. Does not block.
#[no_mangle]
pub extern "C" fn nng_pipe_socket(p: nng_pipe) -> nng_socket {
    guard(|| nng_socket {
        id: PIPES.get(p.id).map_or(0, |p| p.socket_id()),
    })
}

/// Returns the dialer that created a pipe, or a handle with id 0 if the pipe
/// was accepted by a listener or `p` is not an open pipe. Does not block.
#[no_mangle]
pub extern "C" fn nng_pipe_dialer(p: nng_pipe) -> nng_dialer {
    guard(|| nng_dialer {
        id: PIPES.get(p.id).map_or(0, |p| p.dialer_id()),
    })
}

/// Returns the listener that accepted a pipe, or a handle with id 0 if the
/// pipe was made by a dialer or `p` is not an open pipe. Does not block.
#[no_mangle]
pub extern "C" fn nng_pipe_listener(p: nng_pipe) -> nng_listener {
    guard(|| nng_listener {
        id: PIPES.get(p.id).map_or(0, |p| p.listener_id()),
    })
}

/// Gets one option of a pipe: the transport's, then its dialer's or
/// listener's (and so the socket's). Pipes have no settable options.
pub(crate) fn pipe_get(p: nng_pipe, name: &CStr, v: GetArg<'_>) -> Result<(), Error> {
    let pipe = PIPES.get(p.id).ok_or(Error::NoEnt)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    match endpoint_opt_desc(name) {
        Ok(desc) => get_value(&desc, v, || pipe.get_opt(name)),
        // Not an endpoint option: the socket's (through the endpoint).
        Err(_) => {
            let sock = socket::socket(pipe.socket_id()).map_err(|_| Error::NotSup)?;
            let desc = sock.opt_desc(SOCKET_CTX, name)?;
            get_value(&desc, v, || sock.get_opt(SOCKET_CTX, name))
        }
    }
}

// A panic in a function returning a handle yields the invalid handle (id 0).
impl PanicDefault for nng_socket {
    fn panic_default() -> Self {
        nng_socket { id: 0 }
    }
}

impl PanicDefault for nng_dialer {
    fn panic_default() -> Self {
        nng_dialer { id: 0 }
    }
}

impl PanicDefault for nng_listener {
    fn panic_default() -> Self {
        nng_listener { id: 0 }
    }
}
