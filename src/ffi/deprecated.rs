//! C API: the legacy functions `<nng/nng.h>` declares under
//! `#ifndef NNG_ELIDE_DEPRECATED`: the `*_getopt*`/`*_setopt*` option
//! functions (aliases of the `*_get*`/`*_set*` ones), `nng_msg_getopt`,
//! `nng_closeall`, and three accessors of an address type no option has.
//!
//! Every one is still exported: binaries built against nng 1.5.2 call them.
//! Built with `--cfg nng_elide_deprecated` they are left out, as upstream
//! leaves them out under `NNG_ELIDE_DEPRECATED`.

// The module-level cfg is for rustc; cbindgen reads only item attributes,
// so every item repeats it to land inside `#if !defined(NNG_ELIDE_DEPRECATED)`.
#![cfg(not(nng_elide_deprecated))]

use std::ffi::{c_char, c_int, c_void};

use super::ctx::*;
use super::dialer::*;
use super::listener::*;
use super::options::*;
use super::pipe::*;
use super::stream::stream_set;
use super::types::{
    nng_ctx, nng_dialer, nng_duration, nng_listener, nng_msg, nng_pipe, nng_sockaddr, nng_socket,
    nng_stream,
};
use super::{cstr, guard, guard_rc};
use crate::core::error::Error;

/// Defunct: message options never existed. Always returns `NNG_ENOTSUP`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub extern "C" fn nng_msg_getopt(
    msg: *mut nng_msg,
    opt: c_int,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    let _ = (msg, opt, v, szp);
    Error::NotSup.code()
}

/// Deprecated old name of `nng_socket_get`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get(s, name, v, szp) }
}

/// Deprecated old name of `nng_socket_get_bool`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_bool(
    s: nng_socket,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_bool(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_int`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_int(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_int(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_ms`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_ms(
    s: nng_socket,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_ms(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_size`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_size(
    s: nng_socket,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_size(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_uint64(
    s: nng_socket,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_uint64(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_ptr(
    s: nng_socket,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_ptr(s, name, v) }
}

/// Deprecated old name of `nng_socket_get_string`, which it calls.
///
/// # Safety
///
/// As `nng_socket_get_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_getopt_string(
    s: nng_socket,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_get_string(s, name, v) }
}

/// Deprecated old name of `nng_socket_set`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt(
    s: nng_socket,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set(s, name, v, sz) }
}

/// Deprecated old name of `nng_socket_set_bool`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_bool(s: nng_socket, name: *const c_char, v: bool) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_bool(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_int`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_int(s: nng_socket, name: *const c_char, v: c_int) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_int(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_ms`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_ms(
    s: nng_socket,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_ms(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_size`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_size(s: nng_socket, name: *const c_char, v: usize) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_size(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_uint64(s: nng_socket, name: *const c_char, v: u64) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_uint64(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_string`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_string(
    s: nng_socket,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_string(s, name, v) }
}

/// Deprecated old name of `nng_socket_set_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_socket_set_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_setopt_ptr(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_socket_set_ptr(s, name, v) }
}

/// Deprecated old name of `nng_ctx_get`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_get`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_getopt(
    c: nng_ctx,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_get(c, name, v, szp) }
}

/// Deprecated old name of `nng_ctx_get_bool`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_get_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_getopt_bool(
    c: nng_ctx,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_get_bool(c, name, v) }
}

/// Deprecated old name of `nng_ctx_get_int`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_get_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_getopt_int(
    c: nng_ctx,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_get_int(c, name, v) }
}

/// Deprecated old name of `nng_ctx_get_ms`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_get_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_getopt_ms(
    c: nng_ctx,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_get_ms(c, name, v) }
}

/// Deprecated old name of `nng_ctx_get_size`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_get_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_getopt_size(
    c: nng_ctx,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_get_size(c, name, v) }
}

/// Deprecated old name of `nng_ctx_set`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_set`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_setopt(
    c: nng_ctx,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_set(c, name, v, sz) }
}

/// Deprecated old name of `nng_ctx_set_bool`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_set_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_setopt_bool(c: nng_ctx, name: *const c_char, v: bool) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_set_bool(c, name, v) }
}

/// Deprecated old name of `nng_ctx_set_int`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_set_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_setopt_int(c: nng_ctx, name: *const c_char, v: c_int) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_set_int(c, name, v) }
}

/// Deprecated old name of `nng_ctx_set_ms`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_set_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_setopt_ms(
    c: nng_ctx,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_set_ms(c, name, v) }
}

/// Deprecated old name of `nng_ctx_set_size`, which it calls.
///
/// # Safety
///
/// As `nng_ctx_set_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_setopt_size(c: nng_ctx, name: *const c_char, v: usize) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_ctx_set_size(c, name, v) }
}

/// Deprecated old name of `nng_dialer_get`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get(d, name, v, szp) }
}

/// Deprecated old name of `nng_dialer_get_bool`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_bool(
    d: nng_dialer,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_bool(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_int`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_int(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_int(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_ms`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_ms(
    d: nng_dialer,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_ms(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_size`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_size(
    d: nng_dialer,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_size(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_addr`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_addr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_sockaddr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_addr(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_uint64(
    d: nng_dialer,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_uint64(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_ptr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_ptr(d, name, v) }
}

/// Deprecated old name of `nng_dialer_get_string`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_get_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_getopt_string(
    d: nng_dialer,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_get_string(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt(
    d: nng_dialer,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set(d, name, v, sz) }
}

/// Deprecated old name of `nng_dialer_set_bool`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_bool(
    d: nng_dialer,
    name: *const c_char,
    v: bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_bool(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_int`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_int(
    d: nng_dialer,
    name: *const c_char,
    v: c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_int(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_ms`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_ms(
    d: nng_dialer,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_ms(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_size`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_size(
    d: nng_dialer,
    name: *const c_char,
    v: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_size(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_uint64(
    d: nng_dialer,
    name: *const c_char,
    v: u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_uint64(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_ptr(
    d: nng_dialer,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_ptr(d, name, v) }
}

/// Deprecated old name of `nng_dialer_set_string`, which it calls.
///
/// # Safety
///
/// As `nng_dialer_set_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_dialer_setopt_string(
    d: nng_dialer,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_dialer_set_string(d, name, v) }
}

/// Deprecated old name of `nng_listener_get`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get(l, name, v, szp) }
}

/// Deprecated old name of `nng_listener_get_bool`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_bool(
    l: nng_listener,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_bool(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_int`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_int(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_int(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_ms`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_ms(
    l: nng_listener,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_ms(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_size`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_size(
    l: nng_listener,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_size(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_addr`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_addr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_sockaddr(
    l: nng_listener,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_addr(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_uint64(
    l: nng_listener,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_uint64(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_ptr(
    l: nng_listener,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_ptr(l, name, v) }
}

/// Deprecated old name of `nng_listener_get_string`, which it calls.
///
/// # Safety
///
/// As `nng_listener_get_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_getopt_string(
    l: nng_listener,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_get_string(l, name, v) }
}

/// Deprecated old name of `nng_listener_set`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt(
    l: nng_listener,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set(l, name, v, sz) }
}

/// Deprecated old name of `nng_listener_set_bool`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_bool(
    l: nng_listener,
    name: *const c_char,
    v: bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_bool(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_int`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_int(
    l: nng_listener,
    name: *const c_char,
    v: c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_int(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_ms`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_ms(
    l: nng_listener,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_ms(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_size`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_size(
    l: nng_listener,
    name: *const c_char,
    v: usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_size(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_uint64(
    l: nng_listener,
    name: *const c_char,
    v: u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_uint64(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_ptr(
    l: nng_listener,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_ptr(l, name, v) }
}

/// Deprecated old name of `nng_listener_set_string`, which it calls.
///
/// # Safety
///
/// As `nng_listener_set_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_listener_setopt_string(
    l: nng_listener,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_listener_set_string(l, name, v) }
}

/// Deprecated old name of `nng_pipe_get`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt(
    p: nng_pipe,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get(p, name, v, szp) }
}

/// Deprecated old name of `nng_pipe_get_bool`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_bool`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_bool(
    p: nng_pipe,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_bool(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_int`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_int`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_int(
    p: nng_pipe,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_int(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_ms`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_ms`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_ms(
    p: nng_pipe,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_ms(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_size`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_size`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_size(
    p: nng_pipe,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_size(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_addr`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_addr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_sockaddr(
    p: nng_pipe,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_addr(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_uint64`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_uint64`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_uint64(
    p: nng_pipe,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_uint64(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_ptr`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_ptr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_ptr(
    p: nng_pipe,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_ptr(p, name, v) }
}

/// Deprecated old name of `nng_pipe_get_string`, which it calls.
///
/// # Safety
///
/// As `nng_pipe_get_string`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_pipe_getopt_string(
    p: nng_pipe,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller keeps the contract of the function called.
    unsafe { nng_pipe_get_string(p, name, v) }
}

/// Closes every open socket in the process, as `nng_socket_close` does for
/// each. Deprecated: a library must not call it (it closes the application's
/// sockets too). Blocks until every socket is closed.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub extern "C" fn nng_closeall() {
    guard(|| {
        crate::core::socket::close_all();
    })
}

/// Sets a socket-address option of a byte stream. Deprecated: no stream
/// option has that type, so this fails with `NNG_EBADTYPE` or `NNG_ENOTSUP`
/// (or `NNG_EINVAL` for a NULL argument).
///
/// # Safety
///
/// `s` is NULL or a live stream from this library; `name` is NULL or a
/// NUL-terminated string; `v` is NULL or points at an `nng_sockaddr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_stream_set_addr(
    s: *mut nng_stream,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        // SAFETY: `s` is NULL or a live stream (contract).
        unsafe { stream_set(s, name, v) }
    })
}

/// Gets a socket-address option of a context. Deprecated: no context option
/// has that type, so this fails with `NNG_EBADTYPE` or `NNG_ENOTSUP` (or
/// `NNG_EINVAL` for a NULL argument, `NNG_ECLOSED` for a closed context).
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an
/// `nng_sockaddr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_get_addr(
    c: nng_ctx,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        ctx_get(c, name, v)
    })
}

/// Sets a socket-address option of a context. Deprecated: no context option
/// has that type, so this fails with `NNG_EBADTYPE` or `NNG_ENOTSUP` (or
/// `NNG_EINVAL` for a NULL argument, `NNG_ECLOSED` for a closed context).
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or points at an
/// `nng_sockaddr`.
#[cfg(not(nng_elide_deprecated))]
#[deprecated]
#[no_mangle]
pub unsafe extern "C" fn nng_ctx_set_addr(
    c: nng_ctx,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        ctx_set(c, name, v)
    })
}
