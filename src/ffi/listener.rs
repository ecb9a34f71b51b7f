//! C API: listeners (`nng_listen`, `nng_listener_*`): endpoints that accept
//! connections from dialers, making one pipe per connection.
//!
//! A listener is an id passed by value: a zero, stale or closed id gives
//! `NNG_ENOENT`.

use std::ffi::{c_char, c_int, c_void, CStr};

use super::dialer::endpoint_url;
use super::options::{endpoint_set_value, get_value, GetArg, Out, SetArg};
use super::socket::handle_id;
use super::types::{nng_duration, nng_listener, nng_sockaddr, nng_socket, nng_url};
use super::{cstr, guard_rc};
use crate::core::error::Error;
use crate::core::socket::{self, endpoint_get_result, endpoint_opt_desc, LISTENERS};
use crate::protocol::SOCKET_CTX;

/// Creates a listener for `url` on socket `s` and starts it: the address is
/// bound before the call returns. If `lp` is not NULL it receives the
/// listener's handle. `flags` is ignored.
///
/// Returns 0, or `NNG_EINVAL` if `url` is NULL or malformed, `NNG_ENOTSUP` for
/// an unknown scheme, `NNG_EADDRINUSE`, `NNG_EADDRINVAL`, `NNG_EPERM`, or
/// `NNG_ECLOSED` if `s` is not an open socket (on failure the listener is
/// closed). Blocks while the address is resolved and bound.
///
/// # Safety
///
/// `url` is NULL or a NUL-terminated string; `lp` is NULL or writable as an
/// `nng_listener`.
#[no_mangle]
pub unsafe extern "C" fn nng_listen(
    s: nng_socket,
    url: *const c_char,
    lp: *mut nng_listener,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?.to_str().map_err(|_| Error::Inval)?;
        // SAFETY: `lp` is NULL or writable (contract); NULL is allowed here.
        let lp = unsafe { Out::new(lp) }.ok();
        let _ = flags;
        let l = socket::socket(s.id)?.listener_create(url)?;
        if let Err(e) = l.start() {
            l.close();
            return Err(e);
        }
        if let Some(lp) = lp {
            lp.put(nng_listener { id: l.id() });
        }
        Ok(())
    })
}

/// Creates a listener for `url` on socket `s` without starting it, so that its
/// options can be set first; start it with `nng_listener_start`.
///
/// Returns 0 and stores the handle in `*lp`, or `NNG_EINVAL` if `lp` or `url`
/// is NULL or `url` is malformed, `NNG_ENOTSUP` for an unknown scheme,
/// `NNG_ENOMEM`, or `NNG_ECLOSED` if `s` is not an open socket. Does not
/// block.
///
/// # Safety
///
/// `lp` is NULL or writable as an `nng_listener`; `url` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_create(
    lp: *mut nng_listener,
    s: nng_socket,
    url: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `lp` is NULL or writable (contract).
        let lp = unsafe { Out::new(lp) }?;
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?.to_str().map_err(|_| Error::Inval)?;
        let l = socket::socket(s.id)?.listener_create(url)?;
        lp.put(nng_listener { id: l.id() });
        Ok(())
    })
}

/// Starts a listener created by `nng_listener_create`: binds its address and
/// begins accepting. `flags` is ignored.
///
/// Returns 0, or `NNG_ESTATE` if the listener was already started, a bind
/// error as for `nng_listen`, or `NNG_ENOENT` if `l` is not an open listener.
/// Blocks while the address is resolved and bound.
#[no_mangle]
pub extern "C" fn nng_listener_start(l: nng_listener, flags: c_int) -> c_int {
    guard_rc(|| {
        let _ = flags;
        LISTENERS.get(l.id).ok_or(Error::NoEnt)?.start()
    })
}

/// Closes a listener and every pipe it accepted.
///
/// Returns 0, or `NNG_ENOENT` if `l` is not an open listener. Blocks until
/// the listener's pending operations are finished.
#[no_mangle]
pub extern "C" fn nng_listener_close(l: nng_listener) -> c_int {
    guard_rc(|| {
        LISTENERS.get(l.id).ok_or(Error::NoEnt)?.close();
        Ok(())
    })
}

/// Returns the id of a listener as a positive number, or -1 if the handle is
/// not valid (id 0, or too large for an `int`). Does not check that the
/// listener is open.
#[no_mangle]
pub extern "C" fn nng_listener_id(l: nng_listener) -> c_int {
    handle_id(l.id)
}

/// Stores in `*urlp` a pointer to the listener's parsed URL, as it was given
/// (a wildcard host or port 0 is not replaced by the bound address; use
/// `NNG_OPT_TCP_BOUND_PORT`). The URL belongs to the listener and stays valid
/// until it is closed; the caller must not free or modify it.
///
/// Returns 0, or `NNG_EINVAL` if `urlp` is NULL, or `NNG_ENOENT` if `l` is not
/// an open listener. Does not block.
///
/// # Safety
///
/// `urlp` is NULL or writable as a `const nng_url *`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_url(l: nng_listener, urlp: *mut *const nng_url) -> c_int {
    guard_rc(|| {
        // SAFETY: `urlp` is NULL or writable (contract).
        let urlp = unsafe { Out::new(urlp) }?;
        let listener = LISTENERS.get(l.id).ok_or(Error::NoEnt)?;
        urlp.put(endpoint_url(&listener.ext, listener.url())?);
        Ok(())
    })
}

/// Sets an option of a listener from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the listener has
/// no such option, or `NNG_ENOENT` if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or readable for `sz`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set(
    l: nng_listener,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        listener_set(l, name, v)
    })
}

/// Sets a `bool` option of a listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_bool(
    l: nng_listener,
    name: *const c_char,
    v: bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        listener_set(l, name, v)
    })
}

/// Sets an `int` option of a listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_int(
    l: nng_listener,
    name: *const c_char,
    v: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        listener_set(l, name, v)
    })
}

/// Sets a `size_t` option of a listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_size(
    l: nng_listener,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        listener_set(l, name, v)
    })
}

/// Sets a `uint64_t` option of a listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_uint64(
    l: nng_listener,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        listener_set(l, name, v)
    })
}

/// Sets a string option of a listener.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or a NUL-terminated
/// string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_string(
    l: nng_listener,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        listener_set(l, name, v)
    })
}

/// Sets a pointer option of a listener; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_ptr(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        listener_set(l, name, v)
    })
}

/// Sets a duration (`nng_duration`, ms) option of a listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT`
/// if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_ms(
    l: nng_listener,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        listener_set(l, name, v)
    })
}

/// Sets a socket-address option of a listener; `*v` is copied.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` or `v` is NULL, `NNG_EREADONLY` if the
/// option cannot be set, `NNG_ENOTSUP` if the listener has no such option, or
/// `NNG_ENOENT` if `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or points at an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_set_addr(
    l: nng_listener,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        listener_set(l, name, v)
    })
}

/// Gets an option of a listener into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the listener has no such option, or `NNG_ENOENT` if
/// `l` is not an open listener. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `szp` is NULL or points at a
/// `size_t`; `v` is NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        listener_get(l, name, v)
    })
}

/// Gets a `bool` option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_bool(
    l: nng_listener,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets an `int` option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_int(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a `size_t` option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_size(
    l: nng_listener,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a `uint64_t` option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_uint64(
    l: nng_listener,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a string option of a listener: `*v` receives a new copy, which the caller
/// frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `char
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_string(
    l: nng_listener,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a pointer option of a listener. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `void
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_ptr(
    l: nng_listener,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a duration (`nng_duration`, ms) option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// duration.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_ms(
    l: nng_listener,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Gets a socket-address option of a listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `l` is not an open
/// listener. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_listener_get_addr(
    l: nng_listener,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        listener_get(l, name, v)
    })
}

/// Sets one option of a listener: the transport's, then `NNG_OPT_URL`
/// (read-only).
pub(crate) fn listener_set(l: nng_listener, name: &CStr, v: SetArg<'_>) -> Result<(), Error> {
    let listener = LISTENERS.get(l.id).ok_or(Error::NoEnt)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let val = endpoint_set_value(&endpoint_opt_desc(name)?, v, || listener.get_opt(name))?;
    listener.set_opt(name, val)
}

/// Gets one option of a listener: the transport's, `NNG_OPT_URL`, then the
/// socket's.
pub(crate) fn listener_get(l: nng_listener, name: &CStr, v: GetArg<'_>) -> Result<(), Error> {
    let listener = LISTENERS.get(l.id).ok_or(Error::NoEnt)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    match endpoint_opt_desc(name) {
        Ok(desc) => get_value(&desc, v, || {
            endpoint_get_result(name, listener.get_opt(name))
        }),
        // Not an endpoint option: the socket's (as upstream's fallback).
        Err(_) => {
            let sock = socket::socket(listener.socket_id()).map_err(|_| Error::NotSup)?;
            let desc = sock.opt_desc(SOCKET_CTX, name)?;
            get_value(&desc, v, || sock.get_opt(SOCKET_CTX, name))
        }
    }
}
