//! C API of `<nng/protocol/reqrep0/req.h>`: opening req sockets, the protocol's
//! numbers and names, and its option names.
//!
//! The header also defines `nng_req_open`/`nng_req_open_raw` as macros for the
//! functions below (text in `tools/headers/text/req0.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// SP protocol number of req sockets: `NNG_PROTOCOL_NUMBER(3, 0)` (wire value;
/// never changes).
pub const NNG_REQ0_SELF: u16 = 0x30;
/// SP protocol number of the peers a req socket accepts (rep).
pub const NNG_REQ0_PEER: u16 = 0x31;
/// Protocol name of req sockets (`NNG_OPT_PROTONAME`).
pub const NNG_REQ0_SELF_NAME: &str = "req";
/// Protocol name of the peers of req sockets (`NNG_OPT_PEERNAME`).
pub const NNG_REQ0_PEER_NAME: &str = "rep";

/// Time after which a request with no reply is sent again, 0 or -1 for never
/// (nng_duration, read/write; socket and context; default 60000).
pub const NNG_OPT_REQ_RESENDTIME: &str = "req:resend-time";
/// Granularity of the resend timer (nng_duration, read/write; socket; default
/// 1000).
pub const NNG_OPT_REQ_RESENDTICK: &str = "req:resend-tick";

/// Opens a req socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_req0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::req0::Socket::new(false, super::seed()))
    })
}

/// Opens a req socket in raw mode: no protocol state machine; message headers are
/// passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_req0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::req0::Socket::new(true, super::seed()))
    })
}

#[cfg(test)]
mod tests {
    use crate::core::names::proto;

    #[test]
    fn option_names_match_core() {
        assert_eq!(super::NNG_OPT_REQ_RESENDTIME, proto::REQ_RESENDTIME);
        assert_eq!(super::NNG_OPT_REQ_RESENDTICK, proto::REQ_RESENDTICK);
    }
}
