//! C API: dialers (`nng_dial`, `nng_dialer_*`): endpoints that connect to a
//! listener and keep one connection, reconnecting when it drops.
//!
//! A dialer is an id passed by value: a zero, stale or closed id gives
//! `NNG_ENOENT`.

use std::ffi::{c_char, c_int, c_void, CStr};

use super::options::{endpoint_set_value, get_value, GetArg, Out, SetArg};
use super::socket::handle_id;
use super::types::{nng_dialer, nng_duration, nng_sockaddr, nng_socket, nng_url};
use super::url::{url_free_c, url_to_c};
use super::{cstr, guard_rc};
use crate::core::error::Error;
use crate::core::socket::{self, endpoint_get_result, endpoint_opt_desc, Ext, DIALERS};
use crate::core::url::Url;
use crate::protocol::SOCKET_CTX;

/// Creates a dialer for `url` on socket `s` and starts it.
///
/// Without `NNG_FLAG_NONBLOCK` in `flags` the first connection attempt is made
/// before returning, and its failure is returned (the dialer is then closed).
/// With it, the call returns at once and the dialer keeps trying in the
/// background. Either way a lost connection is re-dialed after
/// `NNG_OPT_RECONNMINT`. If `dp` is not NULL it receives the dialer's handle.
///
/// Returns 0, or `NNG_EINVAL` if `url` is NULL or malformed, `NNG_ENOTSUP` for
/// an unknown scheme, `NNG_EADDRINVAL`, `NNG_ECONNREFUSED`, `NNG_EUNREACHABLE`,
/// `NNG_ETIMEDOUT`, `NNG_EPROTO` (the peer speaks another protocol), or
/// `NNG_ECLOSED` if `s` is not an open socket. Blocks for the first attempt
/// unless `NNG_FLAG_NONBLOCK` is given.
///
/// # Safety
///
/// `url` is NULL or a NUL-terminated string; `dp` is NULL or writable as an
/// `nng_dialer`.
#[no_mangle]
pub unsafe extern "C" fn nng_dial(
    s: nng_socket,
    url: *const c_char,
    dp: *mut nng_dialer,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?.to_str().map_err(|_| Error::Inval)?;
        // SAFETY: `dp` is NULL or writable (contract); NULL is allowed here.
        let dp = unsafe { Out::new(dp) }.ok();
        let d = socket::socket(s.id)?.dialer_create(url)?;
        if let Err(e) = d.start(flags & NONBLOCK != 0) {
            d.close();
            return Err(e);
        }
        if let Some(dp) = dp {
            dp.put(nng_dialer { id: d.id() });
        }
        Ok(())
    })
}

/// Creates a dialer for `url` on socket `s` without starting it, so that its
/// options can be set first; start it with `nng_dialer_start`.
///
/// Returns 0 and stores the handle in `*dp`, or `NNG_EINVAL` if `dp` or `url`
/// is NULL or `url` is malformed, `NNG_ENOTSUP` for an unknown scheme,
/// `NNG_ENOMEM`, or `NNG_ECLOSED` if `s` is not an open socket. Does not
/// block.
///
/// # Safety
///
/// `dp` is NULL or writable as an `nng_dialer`; `url` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_create(
    dp: *mut nng_dialer,
    s: nng_socket,
    url: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `dp` is NULL or writable (contract).
        let dp = unsafe { Out::new(dp) }?;
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?.to_str().map_err(|_| Error::Inval)?;
        let d = socket::socket(s.id)?.dialer_create(url)?;
        dp.put(nng_dialer { id: d.id() });
        Ok(())
    })
}

/// Starts a dialer created by `nng_dialer_create`. `flags` may hold
/// `NNG_FLAG_NONBLOCK`, with the meaning it has for `nng_dial`.
///
/// Returns 0, or `NNG_ESTATE` if the dialer was already started, a connection
/// error as for `nng_dial`, or `NNG_ENOENT` if `d` is not an open dialer.
/// Blocks for the first attempt unless `NNG_FLAG_NONBLOCK` is given.
#[no_mangle]
pub extern "C" fn nng_dialer_start(d: nng_dialer, flags: c_int) -> c_int {
    guard_rc(|| {
        let dialer = DIALERS.get(d.id).ok_or(Error::NoEnt)?;
        dialer.start(flags & NONBLOCK != 0)
    })
}

/// Closes a dialer and every pipe it created.
///
/// Returns 0, or `NNG_ENOENT` if `d` is not an open dialer. Blocks until the
/// dialer's pending operations are finished.
#[no_mangle]
pub extern "C" fn nng_dialer_close(d: nng_dialer) -> c_int {
    guard_rc(|| {
        DIALERS.get(d.id).ok_or(Error::NoEnt)?.close();
        Ok(())
    })
}

/// Returns the id of a dialer as a positive number, or -1 if the handle is
/// not valid (id 0, or too large for an `int`). Does not check that the
/// dialer is open.
#[no_mangle]
pub extern "C" fn nng_dialer_id(d: nng_dialer) -> c_int {
    handle_id(d.id)
}

/// Stores in `*urlp` a pointer to the dialer's parsed URL. The URL belongs to
/// the dialer and stays valid until it is closed; the caller must not free or
/// modify it.
///
/// Returns 0, or `NNG_EINVAL` if `urlp` is NULL, or `NNG_ENOENT` if `d` is not
/// an open dialer. Does not block.
///
/// # Safety
///
/// `urlp` is NULL or writable as a `const nng_url *`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_url(d: nng_dialer, urlp: *mut *const nng_url) -> c_int {
    guard_rc(|| {
        // SAFETY: `urlp` is NULL or writable (contract).
        let urlp = unsafe { Out::new(urlp) }?;
        let dialer = DIALERS.get(d.id).ok_or(Error::NoEnt)?;
        urlp.put(endpoint_url(&dialer.ext, dialer.url())?);
        Ok(())
    })
}

/// Sets an option of a dialer from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the dialer has no
/// such option, or `NNG_ENOENT` if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or readable for `sz`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set(
    d: nng_dialer,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        dialer_set(d, name, v)
    })
}

/// Sets a `bool` option of a dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_bool(d: nng_dialer, name: *const c_char, v: bool) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        dialer_set(d, name, v)
    })
}

/// Sets an `int` option of a dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_int(d: nng_dialer, name: *const c_char, v: c_int) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        dialer_set(d, name, v)
    })
}

/// Sets a `size_t` option of a dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_size(
    d: nng_dialer,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        dialer_set(d, name, v)
    })
}

/// Sets a `uint64_t` option of a dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_uint64(
    d: nng_dialer,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        dialer_set(d, name, v)
    })
}

/// Sets a string option of a dialer.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or a NUL-terminated
/// string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_string(
    d: nng_dialer,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        dialer_set(d, name, v)
    })
}

/// Sets a pointer option of a dialer; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_ptr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        dialer_set(d, name, v)
    })
}

/// Sets a duration (`nng_duration`, ms) option of a dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT`
/// if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_ms(
    d: nng_dialer,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        dialer_set(d, name, v)
    })
}

/// Sets a socket-address option of a dialer; `*v` is copied.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` or `v` is NULL, `NNG_EREADONLY` if the
/// option cannot be set, `NNG_ENOTSUP` if the dialer has no such option, or
/// `NNG_ENOENT` if `d` is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or points at an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_set_addr(
    d: nng_dialer,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        dialer_set(d, name, v)
    })
}

/// Gets an option of a dialer into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the dialer has no such option, or `NNG_ENOENT` if `d`
/// is not an open dialer. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `szp` is NULL or points at a
/// `size_t`; `v` is NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        dialer_get(d, name, v)
    })
}

/// Gets a `bool` option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_bool(
    d: nng_dialer,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets an `int` option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_int(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a `size_t` option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_size(
    d: nng_dialer,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a `uint64_t` option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_uint64(
    d: nng_dialer,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a string option of a dialer: `*v` receives a new copy, which the caller
/// frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `char
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_string(
    d: nng_dialer,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a pointer option of a dialer. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `void
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_ptr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a duration (`nng_duration`, ms) option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// duration.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_ms(
    d: nng_dialer,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Gets a socket-address option of a dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ENOENT` if `d` is not an open
/// dialer. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_get_addr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        dialer_get(d, name, v)
    })
}

/// Sets one option of a dialer: its own (reconnect times), the transport's,
/// then `NNG_OPT_URL` (read-only).
pub(crate) fn dialer_set(d: nng_dialer, name: &CStr, v: SetArg<'_>) -> Result<(), Error> {
    let dialer = DIALERS.get(d.id).ok_or(Error::NoEnt)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let val = endpoint_set_value(&endpoint_opt_desc(name)?, v, || dialer.get_opt(name))?;
    dialer.set_opt(name, val)
}

/// Gets one option of a dialer: its own, the transport's, `NNG_OPT_URL`, then
/// the socket's.
pub(crate) fn dialer_get(d: nng_dialer, name: &CStr, v: GetArg<'_>) -> Result<(), Error> {
    let dialer = DIALERS.get(d.id).ok_or(Error::NoEnt)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    match endpoint_opt_desc(name) {
        Ok(desc) => get_value(&desc, v, || endpoint_get_result(name, dialer.get_opt(name))),
        // Not an endpoint option: the socket's (as upstream's fallback).
        Err(_) => {
            let sock = socket::socket(dialer.socket_id()).map_err(|_| Error::NotSup)?;
            let desc = sock.opt_desc(SOCKET_CTX, name)?;
            get_value(&desc, v, || sock.get_opt(SOCKET_CTX, name))
        }
    }
}

/// `NNG_FLAG_NONBLOCK` as the `int` the flag arguments are.
pub(crate) const NONBLOCK: c_int = super::types::NNG_FLAG_NONBLOCK as c_int;

/// A parsed URL lent to C by `nng_dialer_get_url`/`nng_listener_get_url`;
/// freed with its endpoint.
struct CUrl(*mut nng_url);
// SAFETY: the nng_url is immutable once built and freed only on drop.
unsafe impl Send for CUrl {}
// SAFETY: as above.
unsafe impl Sync for CUrl {}

impl Drop for CUrl {
    fn drop(&mut self) {
        // SAFETY: the pointer came from url_to_c and is freed once, here.
        unsafe { url_free_c(self.0) }
    }
}

/// The endpoint's URL as an `nng_url` that lives as long as the endpoint.
pub(crate) fn endpoint_url(ext: &Ext, url: &str) -> Result<*const nng_url, Error> {
    if ext.get().is_none() {
        let p = url_to_c(&Url::parse(url)?)?;
        // Losing a race to another thread just drops (frees) our copy.
        let _ = ext.set(Box::new(CUrl(p)));
    }
    ext.get()
        .and_then(|b| b.downcast_ref::<CUrl>())
        .map(|c| c.0.cast_const())
        .ok_or(Error::Internal)
}
