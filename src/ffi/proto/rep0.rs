//! C API of `<nng/protocol/reqrep0/rep.h>`: opening rep sockets, the protocol's
//! numbers and names.
//!
//! The header also defines `nng_rep_open`/`nng_rep_open_raw` as macros for the
//! functions below (text in `tools/headers/text/rep0.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// SP protocol number of rep sockets: `NNG_PROTOCOL_NUMBER(3, 1)` (wire value;
/// never changes).
pub const NNG_REP0_SELF: u16 = 0x31;
/// SP protocol number of the peers a rep socket accepts (req).
pub const NNG_REP0_PEER: u16 = 0x30;
/// Protocol name of rep sockets (`NNG_OPT_PROTONAME`).
pub const NNG_REP0_SELF_NAME: &str = "rep";
/// Protocol name of the peers of rep sockets (`NNG_OPT_PEERNAME`).
pub const NNG_REP0_PEER_NAME: &str = "req";

/// Opens a rep socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_rep0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::rep0::Socket::new(false, super::seed()))
    })
}

/// Opens a rep socket in raw mode: no protocol state machine; message headers are
/// passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_rep0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::rep0::Socket::new(true, super::seed()))
    })
}
