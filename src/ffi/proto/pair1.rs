//! C API of `<nng/protocol/pair1/pair.h>`: opening pair v1 sockets, the protocol's
//! numbers and names, and its option names.
//!
//! The header also defines `nng_pair_open`/`nng_pair_open_raw` as macros for the
//! functions below (text in `tools/headers/text/pair1.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// SP protocol number of pair v1 sockets: `NNG_PROTOCOL_NUMBER(1, 1)` (wire value;
/// never changes).
pub const NNG_PAIR1_SELF: u16 = 0x11;
/// SP protocol number of the peers a pair v1 socket accepts (pair1).
pub const NNG_PAIR1_PEER: u16 = 0x11;
/// Protocol name of pair v1 sockets (`NNG_OPT_PROTONAME`).
pub const NNG_PAIR1_SELF_NAME: &str = "pair1";
/// Protocol name of the peers of pair v1 sockets (`NNG_OPT_PEERNAME`).
pub const NNG_PAIR1_PEER_NAME: &str = "pair1";

/// Whether a pair1 socket is polyamorous (bool, read-only; only sockets from
/// `nng_pair1_open_poly` have it, and it is true).
pub const NNG_OPT_PAIR1_POLY: &str = "pair1:polyamorous";

/// Opens a pair v1 socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_pair1_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::pair1::Socket::new(false, super::seed()))
    })
}

/// Opens a pair v1 socket in raw mode: no protocol state machine; message headers
/// are passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_pair1_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::pair1::Socket::new(true, super::seed()))
    })
}

/// Opens a pair v1 socket in polyamorous mode: it may have many peers; a received
/// message tells its pipe (`nng_msg_get_pipe`), and a message sent goes to the pipe
/// set with `nng_msg_set_pipe` (or to the first peer if none). Stores its handle in
/// `*s`. Upstream documents the mode as deprecated but still ships it.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_pair1_open_poly(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::pair1::Socket::new_poly(super::seed()))
    })
}

#[cfg(test)]
mod tests {
    use crate::core::names::proto;

    #[test]
    fn option_names_match_core() {
        assert_eq!(super::NNG_OPT_PAIR1_POLY, proto::PAIR1_POLY);
    }
}
