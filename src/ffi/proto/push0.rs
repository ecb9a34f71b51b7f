//! C API of `<nng/protocol/pipeline0/push.h>`: opening push sockets.
//!
//! The header also defines `nng_push_open`/`nng_push_open_raw` as macros for the
//! functions below (text in `tools/headers/text/push0.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// Opens a push socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_push0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::push0::Socket::new(false, super::seed()))
    })
}

/// Opens a push socket in raw mode: no protocol state machine; message headers are
/// passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_push0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::push0::Socket::new(true, super::seed()))
    })
}
