//! C API: byte streams (`nng_stream_*`, `nng_stream_dialer_*`,
//! `nng_stream_listener_*`): the connected byte streams (tcp, ipc, tls,
//! websocket, socket) that the SP transports are built on, for direct use.
//!
//! All three are opaque objects owned by the caller from their creation until
//! the matching `*_free`. Functions returning `int` answer `NNG_EINVAL` for a
//! NULL object; `void` functions ignore one.

use std::ffi::{c_char, c_int, c_void, CStr};

use super::options::{get_value, set_value};
use super::options::{GetArg, Out, SetArg};
use super::types::{
    nng_aio, nng_duration, nng_sockaddr, nng_stream, nng_stream_dialer, nng_stream_listener,
    nng_url,
};
use super::{cstr, free_c, guard, guard_rc, into_c, try_ref, Castable};
use crate::core::aio::Aio;
use crate::core::error::Error;
use crate::core::socket::{endpoint_get_result, endpoint_opt_desc};
use crate::transport::ws_stream::{Dialer, Listener, Stream};

// SAFETY: nng_stream pointers are made only by `deliver` (into_c of a boxed
// Stream) and freed only by nng_stream_free.
unsafe impl Castable for nng_stream {
    type Rust = Stream;
}
// SAFETY: made by nng_stream_dialer_alloc*, freed by nng_stream_dialer_free.
unsafe impl Castable for nng_stream_dialer {
    type Rust = Dialer;
}
// SAFETY: made by nng_stream_listener_alloc*, freed by
// nng_stream_listener_free.
unsafe impl Castable for nng_stream_listener {
    type Rust = Listener;
}

/// Hands a new stream to C as output 0 of `aio` and completes it.
fn deliver(aio: &Aio, s: Stream) {
    let p = into_c::<nng_stream>(Box::new(s));
    let _ = aio.set_output(0, p.cast());
    aio.finish_with_count(Ok(()), 0);
}

/// Runs `f` on the aio behind `aio` (NULL: nothing).
///
/// # Safety
///
/// `aio` is NULL or a live aio.
unsafe fn with_aio(aio: *mut nng_aio, f: impl FnOnce(&Aio)) {
    // SAFETY: forwarded contract.
    if let Some(a) = unsafe { super::aio::aio_ref(aio) } {
        f(&a);
    }
}

/// The URL text of a C `nng_url`.
///
/// # Safety
///
/// `url` is NULL or a valid `nng_url`.
unsafe fn url_text(url: *const nng_url) -> Result<String, Error> {
    if url.is_null() {
        return Err(Error::Inval);
    }
    // SAFETY: forwarded contract.
    Ok(unsafe { super::url::url_from_c(url) }?.to_string())
}

/// Closes a stream if it is open and frees it. NULL is a no-op.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_free(s: *mut nng_stream) {
    guard(|| {
        // SAFETY: `s` is NULL or a live stream given up by the caller.
        drop(unsafe { free_c(s) });
    })
}

/// Closes a stream: pending and later sends and receives fail with
/// `NNG_ECLOSED`. The stream must still be freed with `nng_stream_free`.
/// NULL is a no-op. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_close(s: *mut nng_stream) {
    guard(|| {
        // SAFETY: `s` is NULL or a live stream (contract).
        if let Ok(s) = unsafe { try_ref(s) } {
            s.close();
        }
    })
}

/// Writes the bytes described by the aio's iov (`nng_aio_set_iov`)
/// asynchronously. The aio may complete after only part of the data was
/// written; `nng_aio_count` tells how much.
///
/// The aio completes with `NNG_ECLOSED` once the stream is closed, with
/// `NNG_ECONNSHUT`/`NNG_ECONNRESET` if the peer went away, or with
/// `NNG_ETIMEDOUT` after the aio's timeout. NULL arguments are ignored. Does
/// not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `aio` is NULL or a live
/// aio; the iov buffers stay valid until the aio completes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_send(s: *mut nng_stream, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `s` is NULL or a live stream (contract).
        let Ok(s) = (unsafe { try_ref(s) }) else {
            return;
        };
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { with_aio(aio, |a| s.send(a)) };
    })
}

/// Reads into the buffers described by the aio's iov asynchronously. The aio
/// completes as soon as at least one byte was read; `nng_aio_count` tells how
/// many.
///
/// The aio completes with `NNG_ECLOSED` once the stream is closed, with
/// `NNG_ECONNSHUT`/`NNG_ECONNRESET` if the peer went away, or with
/// `NNG_ETIMEDOUT` after the aio's timeout. NULL arguments are ignored. Does
/// not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `aio` is NULL or a live
/// aio; the iov buffers stay valid until the aio completes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_recv(s: *mut nng_stream, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `s` is NULL or a live stream (contract).
        let Ok(s) = (unsafe { try_ref(s) }) else {
            return;
        };
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { with_aio(aio, |a| s.recv(a)) };
    })
}

/// Gets an option of a byte stream into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the byte stream has no such option, or `NNG_EINVAL` if
/// `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `szp` is NULL or points at a `size_t`; `v` is NULL or
/// writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a `bool` option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_bool(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets an `int` option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_int(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a duration (`nng_duration`, ms) option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a duration.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_ms(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a `size_t` option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_size(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a `uint64_t` option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_uint64(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a string option of a byte stream: `*v` receives a new copy, which the
/// caller frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `char *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_string(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a pointer option of a byte stream. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `void *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_ptr(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Gets a socket-address option of a byte stream into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the byte stream has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `s` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_get_addr(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_get(s, name, v) }
    })
}

/// Sets an option of a byte stream from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the byte stream
/// has no such option, or `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set(
    s: *mut nng_stream,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a `bool` option of a byte stream.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_bool(
    s: *mut nng_stream,
    name: *const c_char,
    v: bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets an `int` option of a byte stream.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_int(
    s: *mut nng_stream,
    name: *const c_char,
    v: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a duration (`nng_duration`, ms) option of a byte stream.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_ms(
    s: *mut nng_stream,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a `size_t` option of a byte stream.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_size(
    s: *mut nng_stream,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a `uint64_t` option of a byte stream.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_uint64(
    s: *mut nng_stream,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a string option of a byte stream.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_string(
    s: *mut nng_stream,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Sets a pointer option of a byte stream; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the byte stream has no such option, or
/// `NNG_EINVAL` if `s` is NULL. Does not block.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_ptr(
    s: *mut nng_stream,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Creates a stream dialer for `url`. Schemes: `tcp`, `tcp4`, `tcp6`, `ipc`,
/// `unix`, `abstract`, `tls+tcp`, `tls+tcp4`, `tls+tcp6`, `ws`, `ws4`, `ws6`,
/// `wss` and `socket`. Free it with `nng_stream_dialer_free`.
///
/// Returns 0 and stores the dialer in `*dp`, or `NNG_EINVAL` if `dp` or `url`
/// is NULL or `url` is malformed, `NNG_ENOTSUP` for an unknown scheme,
/// `NNG_EADDRINVAL`, or `NNG_ENOMEM`. Does not block (names are resolved when
/// dialing).
///
/// # Safety
///
/// `dp` is NULL or writable as an `nng_stream_dialer *`; `url` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_alloc(
    dp: *mut *mut nng_stream_dialer,
    url: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `dp` is NULL or writable (contract).
        let dp = unsafe { Out::new(dp) }?;
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?;
        let url = url.to_str().map_err(|_| Error::Inval)?;
        dp.put(into_c(Dialer::new(url).map(Box::new)?));
        Ok(())
    })
}

/// Creates a stream dialer from a parsed URL, as `nng_stream_dialer_alloc`
/// does; the URL is copied.
///
/// Returns 0 and stores the dialer in `*dp`, or `NNG_EINVAL` if `dp` or `url`
/// is NULL, `NNG_ENOTSUP` for an unknown scheme, `NNG_EADDRINVAL`, or
/// `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `dp` is NULL or writable as an `nng_stream_dialer *`; `url` is NULL or a
/// valid `nng_url`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_alloc_url(
    dp: *mut *mut nng_stream_dialer,
    url: *const nng_url,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `dp` is NULL or writable (contract).
        let dp = unsafe { Out::new(dp) }?;
        // SAFETY: `url` is NULL or a valid nng_url (contract).
        let url = unsafe { url_text(url) }?;
        dp.put(into_c(Dialer::new(&url).map(Box::new)?));
        Ok(())
    })
}

/// Closes a stream dialer and frees it. NULL is a no-op.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_free(d: *mut nng_stream_dialer) {
    guard(|| {
        // SAFETY: `d` is NULL or a live dialer given up by the caller.
        drop(unsafe { free_c(d) });
    })
}

/// Closes a stream dialer: pending dials fail with `NNG_ECLOSED`. Streams
/// already made are not affected. NULL is a no-op. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_close(d: *mut nng_stream_dialer) {
    guard(|| {
        // SAFETY: `d` is NULL or a live dialer (contract).
        if let Ok(d) = unsafe { try_ref(d) } {
            d.close();
        }
    })
}

/// Connects asynchronously. On success output 0 of the aio
/// (`nng_aio_get_output(aio, 0)`) is the new `nng_stream *`, owned by the
/// caller.
///
/// The aio completes with `NNG_ECONNREFUSED`, `NNG_EADDRINVAL`,
/// `NNG_EUNREACHABLE`, `NNG_ETIMEDOUT`, `NNG_ECLOSED` (the dialer was closed),
/// or a TLS or HTTP handshake error. NULL arguments are ignored. Does not
/// block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer; `aio` is NULL or a live aio.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_dial(d: *mut nng_stream_dialer, aio: *mut nng_aio) {
    guard(|| {
        // SAFETY: `d` is NULL or a live dialer (contract).
        let Ok(d) = (unsafe { try_ref(d) }) else {
            return;
        };
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { with_aio(aio, |a| d.dial(a, deliver)) };
    })
}

/// Sets an option of a stream dialer from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the stream dialer
/// has no such option, or `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Gets an option of a stream dialer into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the stream dialer has no such option, or `NNG_EINVAL`
/// if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `szp` is NULL or points at a `size_t`; `v` is NULL or
/// writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a `bool` option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_bool(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets an `int` option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_int(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a duration (`nng_duration`, ms) option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a duration.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_ms(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a `size_t` option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_size(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a `uint64_t` option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_uint64(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a string option of a stream dialer: `*v` receives a new copy, which the
/// caller frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `char *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_string(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a pointer option of a stream dialer. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `void *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_ptr(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Gets a socket-address option of a stream dialer into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream dialer has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `d` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_get_addr(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_get(d, name, v) }
    })
}

/// Sets a `bool` option of a stream dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_bool(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets an `int` option of a stream dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_int(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a duration (`nng_duration`, ms) option of a stream dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_ms(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a `size_t` option of a stream dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_size(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a `uint64_t` option of a stream dialer.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_uint64(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a string option of a stream dialer.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_string(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a pointer option of a stream dialer; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_ptr(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Sets a socket-address option of a stream dialer; `*v` is copied.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` or `v` is NULL, `NNG_EREADONLY` if the
/// option cannot be set, `NNG_ENOTSUP` if the stream dialer has no such option, or
/// `NNG_EINVAL` if `d` is NULL. Does not block.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or points at an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_dialer_set_addr(
    d: *mut nng_stream_dialer,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        // SAFETY: `d` is NULL or a live stream dialer (contract).
        unsafe { stream_dialer_set(d, name, v) }
    })
}

/// Creates a stream listener for `url` (schemes as for
/// `nng_stream_dialer_alloc`). It does not bind until
/// `nng_stream_listener_listen`. Free it with `nng_stream_listener_free`.
///
/// Returns 0 and stores the listener in `*lp`, or `NNG_EINVAL` if `lp` or
/// `url` is NULL or `url` is malformed, `NNG_ENOTSUP` for an unknown scheme,
/// `NNG_EADDRINVAL`, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `lp` is NULL or writable as an `nng_stream_listener *`; `url` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_alloc(
    lp: *mut *mut nng_stream_listener,
    url: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `lp` is NULL or writable (contract).
        let lp = unsafe { Out::new(lp) }?;
        // SAFETY: `url` is NULL or NUL-terminated (contract).
        let url = unsafe { cstr(url) }?;
        let url = url.to_str().map_err(|_| Error::Inval)?;
        lp.put(into_c(Listener::new(url).map(Box::new)?));
        Ok(())
    })
}

/// Creates a stream listener from a parsed URL, as
/// `nng_stream_listener_alloc` does; the URL is copied.
///
/// Returns 0 and stores the listener in `*lp`, or `NNG_EINVAL` if `lp` or
/// `url` is NULL, `NNG_ENOTSUP` for an unknown scheme, `NNG_EADDRINVAL`, or
/// `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `lp` is NULL or writable as an `nng_stream_listener *`; `url` is NULL or a
/// valid `nng_url`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_alloc_url(
    lp: *mut *mut nng_stream_listener,
    url: *const nng_url,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `lp` is NULL or writable (contract).
        let lp = unsafe { Out::new(lp) }?;
        // SAFETY: `url` is NULL or a valid nng_url (contract).
        let url = unsafe { url_text(url) }?;
        lp.put(into_c(Listener::new(&url).map(Box::new)?));
        Ok(())
    })
}

/// Closes a stream listener and frees it. NULL is a no-op.
///
/// # Safety
///
/// `l` is NULL or a live stream listener, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_free(l: *mut nng_stream_listener) {
    guard(|| {
        // SAFETY: `l` is NULL or a live listener given up by the caller.
        drop(unsafe { free_c(l) });
    })
}

/// Closes a stream listener: it stops listening and pending accepts fail with
/// `NNG_ECLOSED`. Streams already accepted are not affected. NULL is a no-op.
/// Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_close(l: *mut nng_stream_listener) {
    guard(|| {
        // SAFETY: `l` is NULL or a live listener (contract).
        if let Ok(l) = unsafe { try_ref(l) } {
            l.close();
        }
    })
}

/// Binds the listener's address and starts listening, so that options such
/// as `NNG_OPT_TCP_BOUND_PORT` and `NNG_OPT_LOCADDR` report the real address.
///
/// Returns 0, or `NNG_EINVAL` if `l` is NULL, `NNG_EADDRINUSE`,
/// `NNG_EADDRINVAL`, `NNG_EPERM`, `NNG_ESTATE` (already listening), or
/// `NNG_ECLOSED`. Blocks while the address is resolved and bound.
///
/// # Safety
///
/// `l` is NULL or a live stream listener.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_listen(l: *mut nng_stream_listener) -> c_int {
    guard_rc(|| {
        // SAFETY: `l` is NULL or a live listener (contract).
        unsafe { try_ref(l) }?.listen()
    })
}

/// Accepts a connection asynchronously. On success output 0 of the aio
/// (`nng_aio_get_output(aio, 0)`) is the new `nng_stream *`, owned by the
/// caller.
///
/// The aio completes with `NNG_ESTATE` if the listener is not listening,
/// `NNG_ECLOSED` once it is closed, `NNG_ETIMEDOUT`, or a TLS or HTTP
/// handshake error. NULL arguments are ignored. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener; `aio` is NULL or a live aio.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_accept(
    l: *mut nng_stream_listener,
    aio: *mut nng_aio,
) {
    guard(|| {
        // SAFETY: `l` is NULL or a live listener (contract).
        let Ok(l) = (unsafe { try_ref(l) }) else {
            return;
        };
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { with_aio(aio, |a| l.accept(a, deliver)) };
    })
}

/// Sets an option of a stream listener from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the stream
/// listener has no such option, or `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Gets an option of a stream listener into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `szp` is NULL or points at a `size_t`; `v` is NULL or
/// writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a `bool` option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_bool(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets an `int` option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_int(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a duration (`nng_duration`, ms) option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a duration.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_ms(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a `size_t` option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_size(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a `uint64_t` option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_uint64(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a string option of a stream listener: `*v` receives a new copy, which the
/// caller frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `char *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_string(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a pointer option of a stream listener. No hold is taken on what it points
/// at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as a `void *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_ptr(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Gets a socket-address option of a stream listener into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the stream listener has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_EINVAL` if `l` is NULL. `*v` is
/// written only on success. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or writable as an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_get_addr(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_get(l, name, v) }
    })
}

/// Sets a `bool` option of a stream listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_bool(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets an `int` option of a stream listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_int(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a duration (`nng_duration`, ms) option of a stream listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_ms(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a `size_t` option of a stream listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_size(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a `uint64_t` option of a stream listener.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_uint64(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a string option of a stream listener.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_string(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a pointer option of a stream listener; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the stream listener has no such option, or
/// `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_ptr(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets a socket-address option of a stream listener; `*v` is copied.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` or `v` is NULL, `NNG_EREADONLY` if the
/// option cannot be set, `NNG_ENOTSUP` if the stream listener has no such option,
/// or `NNG_EINVAL` if `l` is NULL. Does not block.
///
/// # Safety
///
/// `l` is NULL or a live stream listener from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or points at an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_stream_listener_set_addr(
    l: *mut nng_stream_listener,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        // SAFETY: `l` is NULL or a live stream listener (contract).
        unsafe { stream_listener_set(l, name, v) }
    })
}

/// Sets one option of a stream (the stream's own table: tcp, ipc, tls, ws).
///
/// # Safety
///
/// `s` is NULL or a live stream from this library.
pub(crate) unsafe fn stream_set(
    s: *mut nng_stream,
    name: &CStr,
    v: SetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `s` is NULL or live (contract).
    let obj = unsafe { try_ref(s) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    // An option this object lacks is NNG_ENOTSUP, even one that is
    // read-only elsewhere (as upstream's per-object tables).
    if obj.get_option(name) == Err(Error::NotSup) {
        return Err(Error::NotSup);
    }
    let val = set_value(&endpoint_opt_desc(name)?, v)?;
    obj.set_option(name, &val)
}

/// Gets one option of a stream.
///
/// # Safety
///
/// `s` is NULL or a live stream from this library.
pub(crate) unsafe fn stream_get(
    s: *mut nng_stream,
    name: &CStr,
    v: GetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `s` is NULL or live (contract).
    let obj = unsafe { try_ref(s) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    get_value(&endpoint_opt_desc(name)?, v, || obj.get_option(name))
}

/// Sets one option of a stream dialer.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer.
pub(crate) unsafe fn stream_dialer_set(
    d: *mut nng_stream_dialer,
    name: &CStr,
    v: SetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `d` is NULL or live (contract).
    let obj = unsafe { try_ref(d) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    // An option this object lacks is NNG_ENOTSUP, even one that is
    // read-only elsewhere (as upstream's per-object tables).
    if obj.get_option(name) == Err(Error::NotSup) {
        return Err(Error::NotSup);
    }
    let val = set_value(&endpoint_opt_desc(name)?, v)?;
    obj.set_option(name, &val)
}

/// Gets one option of a stream dialer.
///
/// # Safety
///
/// `d` is NULL or a live stream dialer.
pub(crate) unsafe fn stream_dialer_get(
    d: *mut nng_stream_dialer,
    name: &CStr,
    v: GetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `d` is NULL or live (contract).
    let obj = unsafe { try_ref(d) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    get_value(&endpoint_opt_desc(name)?, v, || {
        endpoint_get_result(name, obj.get_option(name))
    })
}

/// Sets one option of a stream listener.
///
/// # Safety
///
/// `l` is NULL or a live stream listener.
pub(crate) unsafe fn stream_listener_set(
    l: *mut nng_stream_listener,
    name: &CStr,
    v: SetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `l` is NULL or live (contract).
    let obj = unsafe { try_ref(l) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    // An option this object lacks is NNG_ENOTSUP, even one that is
    // read-only elsewhere (as upstream's per-object tables).
    if obj.get_option(name) == Err(Error::NotSup) {
        return Err(Error::NotSup);
    }
    let val = set_value(&endpoint_opt_desc(name)?, v)?;
    obj.set_option(name, &val)
}

/// Gets one option of a stream listener.
///
/// # Safety
///
/// `l` is NULL or a live stream listener.
pub(crate) unsafe fn stream_listener_get(
    l: *mut nng_stream_listener,
    name: &CStr,
    v: GetArg<'_>,
) -> Result<(), Error> {
    // SAFETY: `l` is NULL or live (contract).
    let obj = unsafe { try_ref(l) }?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    get_value(&endpoint_opt_desc(name)?, v, || {
        endpoint_get_result(name, obj.get_option(name))
    })
}
