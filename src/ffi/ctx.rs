//! C API: contexts (`nng_ctx_*`): independent instances of a protocol's state
//! machine on one socket (req, rep, sub, surveyor and respondent only), for
//! concurrent request/reply or survey exchanges without raw sockets.
//!
//! A context is an id passed by value: a zero, stale or closed id gives
//! `NNG_ECLOSED`.

use std::ffi::{c_char, c_int, c_void, CStr};

use std::sync::Arc;

use super::aio::aio_ref;
use super::msg::{msg_from_c, msg_into_c};
use super::options::{get_value, set_value, GetArg, Out, SetArg};
use super::socket::fail_aio;
use super::socket::handle_id;
use super::types::{nng_aio, nng_ctx, nng_duration, nng_msg, nng_socket};
use super::{cstr, guard, guard_rc};
use crate::core::error::Error;
use crate::core::socket::{self, Socket, CTXS};

/// Opens a new context on socket `s`. The context starts with the socket's
/// current `NNG_OPT_RECVTIMEO`, `NNG_OPT_SENDTIMEO` and protocol context
/// options.
///
/// Returns 0 and stores the handle in `*cp`, or `NNG_EINVAL` if `cp` is NULL,
/// `NNG_ENOTSUP` if the protocol has no contexts (or the socket is raw),
/// `NNG_ENOMEM`, or `NNG_ECLOSED` if `s` is not an open socket. Does not
/// block.
///
/// # Safety
///
/// `cp` is NULL or writable as an `nng_ctx`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_open(cp: *mut nng_ctx, s: nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `cp` is NULL or writable (contract).
        let cp = unsafe { Out::new(cp) }?;
        let id = socket::socket(s.id)?.ctx_open()?;
        cp.put(nng_ctx { id });
        Ok(())
    })
}

/// Closes a context. Its pending operations fail with `NNG_ECLOSED`.
///
/// Returns 0, or `NNG_ECLOSED` if `c` is not an open context. Does not block.
#[no_mangle]
pub extern "C" fn nng_ctx_close(c: nng_ctx) -> c_int {
    guard_rc(|| ctx_socket(c)?.ctx_close(c.id))
}

/// Returns the id of a context as a positive number, or -1 if the handle is
/// not valid (id 0, or too large for an `int`). Does not check that the
/// context is open.
#[no_mangle]
pub extern "C" fn nng_ctx_id(c: nng_ctx) -> c_int {
    handle_id(c.id)
}

/// Receives a message on a context asynchronously. On success the aio holds
/// the message (`nng_aio_get_msg`), which the caller then owns.
///
/// The aio completes with `NNG_ECLOSED` if `c` is not an open context, with
/// `NNG_ETIMEDOUT` after the aio's timeout (`NNG_DURATION_DEFAULT` uses the
/// context's `NNG_OPT_RECVTIMEO`), or with the protocol's error (e.g.
/// `NNG_ESTATE` on a req context with no request outstanding). A NULL `aio` is
/// ignored. Does not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_recv(c: nng_ctx, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `aio` is NULL or a live aio (contract).
        let Some(aio) = (unsafe { aio_ref(aio) }) else {
            return;
        };
        match ctx_socket(c) {
            Ok(sock) => sock.recv_aio(c.id, &aio),
            Err(e) => fail_aio(&aio, e),
        }
    })
}

/// Receives a message on a context into `*msgp`; the caller owns it.
///
/// With `NNG_FLAG_NONBLOCK` in `flags` the call fails with `NNG_EAGAIN`
/// instead of waiting; other flag bits are ignored.
///
/// Returns 0, or `NNG_EINVAL` if `msgp` is NULL, `NNG_EAGAIN`,
/// `NNG_ETIMEDOUT` (after the context's `NNG_OPT_RECVTIMEO`), `NNG_ESTATE`,
/// or `NNG_ECLOSED` if `c` is not an open context. `*msgp` is written only on
/// success. Blocks until a message arrives, unless `NNG_FLAG_NONBLOCK` is
/// given.
///
/// # Safety
///
/// `msgp` is NULL or writable as an `nng_msg *`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_recvmsg(
    c: nng_ctx,
    msgp: *mut *mut nng_msg,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `msgp` is NULL or writable (contract).
        let msgp = unsafe { Out::new(msgp) }?;
        let m = ctx_socket(c)?.recv_msg(c.id, flags & NONBLOCK != 0)?;
        msgp.put(msg_into_c(m));
        Ok(())
    })
}

/// Sends the message held by `aio` on a context asynchronously. When the
/// operation completes successfully the library owns the message; on failure
/// it stays in the aio.
///
/// The aio completes with `NNG_EINVAL` if it holds no message, with
/// `NNG_ECLOSED` if `c` is not an open context, with `NNG_ETIMEDOUT` after the
/// aio's timeout (`NNG_DURATION_DEFAULT` uses the context's
/// `NNG_OPT_SENDTIMEO`), or with the protocol's error. A NULL `aio` is
/// ignored. Does not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_send(c: nng_ctx, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `aio` is NULL or a live aio (contract).
        let Some(aio) = (unsafe { aio_ref(aio) }) else {
            return;
        };
        match ctx_socket(c) {
            Ok(sock) => sock.send_aio(c.id, &aio),
            Err(e) => fail_aio(&aio, e),
        }
    })
}

/// Sends a message on a context. On success the library owns `msg`; on
/// failure the caller still owns it.
///
/// With `NNG_FLAG_NONBLOCK` in `flags` the call fails with `NNG_EAGAIN`
/// instead of waiting; other flag bits are ignored.
///
/// Returns 0, or `NNG_EINVAL` if `msg` is NULL, `NNG_EAGAIN`,
/// `NNG_ETIMEDOUT` (after the context's `NNG_OPT_SENDTIMEO`), `NNG_ESTATE`,
/// or `NNG_ECLOSED` if `c` is not an open context. Blocks until the context
/// accepts the message, unless `NNG_FLAG_NONBLOCK` is given.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_sendmsg(c: nng_ctx, msg: *mut nng_msg, flags: c_int) -> c_int {
    guard_rc(|| {
        if msg.is_null() {
            return Err(Error::Inval);
        }
        let sock = ctx_socket(c)?;
        // SAFETY: `msg` is a live message owned by the caller (contract);
        // on failure it goes back with msg_into_c (same pointer).
        let m = unsafe { msg_from_c(msg) }.ok_or(Error::Inval)?;
        sock.send_msg(c.id, m, flags & NONBLOCK != 0)
            .map_err(|(e, m)| {
                let _ = msg_into_c(m);
                e
            })
    })
}

/// Gets an option of a context into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED` if
/// `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `szp` is NULL or points at a
/// `size_t`; `v` is NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get(
    c: nng_ctx,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        ctx_get(c, name, v)
    })
}

/// Gets a `bool` option of a context into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_bool(c: nng_ctx, name: *const c_char, v: *mut bool) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets an `int` option of a context into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_int(c: nng_ctx, name: *const c_char, v: *mut c_int) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets a `size_t` option of a context into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_size(c: nng_ctx, name: *const c_char, v: *mut usize) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets a `uint64_t` option of a context into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_uint64(c: nng_ctx, name: *const c_char, v: *mut u64) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets a string option of a context: `*v` receives a new copy, which the caller
/// frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `char
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_string(
    c: nng_ctx,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets a pointer option of a context. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `void
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_ptr(
    c: nng_ctx,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Gets a duration (`nng_duration`, ms) option of a context into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the context has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `c` is not an open
/// context. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// duration.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_ms(
    c: nng_ctx,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Sets an option of a context from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the context has no
/// such option, or `NNG_ECLOSED` if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or readable for `sz`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set(
    c: nng_ctx,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        ctx_set(c, name, v)
    })
}

/// Sets a `bool` option of a context.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_bool(c: nng_ctx, name: *const c_char, v: bool) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        ctx_set(c, name, v)
    })
}

/// Sets an `int` option of a context.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_int(c: nng_ctx, name: *const c_char, v: c_int) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        ctx_set(c, name, v)
    })
}

/// Sets a `size_t` option of a context.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_size(c: nng_ctx, name: *const c_char, v: usize) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        ctx_set(c, name, v)
    })
}

/// Sets a `uint64_t` option of a context.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_uint64(c: nng_ctx, name: *const c_char, v: u64) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        ctx_set(c, name, v)
    })
}

/// Sets a string option of a context.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or a NUL-terminated
/// string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_string(
    c: nng_ctx,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        ctx_set(c, name, v)
    })
}

/// Sets a pointer option of a context; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_ptr(c: nng_ctx, name: *const c_char, v: *mut c_void) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        ctx_set(c, name, v)
    })
}

/// Sets a duration (`nng_duration`, ms) option of a context.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the context has no such option, or `NNG_ECLOSED`
/// if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_ms(c: nng_ctx, name: *const c_char, v: nng_duration) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        ctx_set(c, name, v)
    })
}

/// Sets one option of a context: `NNG_OPT_RECVTIMEO`/`NNG_OPT_SENDTIMEO`,
/// then the protocol's context options.
pub(crate) fn ctx_set(c: nng_ctx, name: &CStr, v: SetArg<'_>) -> Result<(), Error> {
    let sock = ctx_socket(c)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let d = sock.opt_desc(c.id, name)?;
    sock.set_opt(c.id, name, set_value(&d, v)?)
}

/// Gets one option of a context (same order as [`ctx_set`]).
pub(crate) fn ctx_get(c: nng_ctx, name: &CStr, v: GetArg<'_>) -> Result<(), Error> {
    let sock = ctx_socket(c)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let d = sock.opt_desc(c.id, name)?;
    get_value(&d, v, || sock.get_opt(c.id, name))
}

/// The socket of an open context; `NNG_ECLOSED` otherwise.
fn ctx_socket(c: nng_ctx) -> Result<Arc<Socket>, Error> {
    CTXS.get(c.id).ok_or(Error::Closed)
}

/// `NNG_FLAG_NONBLOCK` as the `int` the flag arguments are.
const NONBLOCK: c_int = super::types::NNG_FLAG_NONBLOCK as c_int;
