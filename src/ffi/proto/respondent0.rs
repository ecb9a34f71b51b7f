//! C API of `<nng/protocol/survey0/respond.h>`: opening respondent sockets, the
//! protocol's numbers and names.
//!
//! The header also defines `nng_respondent_open`/`nng_respondent_open_raw` as macros for the
//! functions below (text in `tools/headers/text/respondent0.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// SP protocol number of respondent sockets: `NNG_PROTOCOL_NUMBER(6, 3)` (wire
/// value; never changes).
pub const NNG_RESPONDENT0_SELF: u16 = 0x63;
/// SP protocol number of the peers a respondent socket accepts (surveyor).
pub const NNG_RESPONDENT0_PEER: u16 = 0x62;
/// Protocol name of respondent sockets (`NNG_OPT_PROTONAME`).
pub const NNG_RESPONDENT0_SELF_NAME: &str = "respondent";
/// Protocol name of the peers of respondent sockets (`NNG_OPT_PEERNAME`).
pub const NNG_RESPONDENT0_PEER_NAME: &str = "surveyor";

/// Opens a respondent socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_respondent0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(
            s,
            crate::protocol::respondent0::Socket::new(false, super::seed()),
        )
    })
}

/// Opens a respondent socket in raw mode: no protocol state machine; message
/// headers are passed through to and from the application (for devices and custom
/// routing). Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_respondent0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(
            s,
            crate::protocol::respondent0::Socket::new(true, super::seed()),
        )
    })
}
