//! C API of `<nng/protocol/survey0/survey.h>`: opening surveyor sockets, the
//! protocol's numbers and names, and its option names.
//!
//! The header also defines `nng_surveyor_open`/`nng_surveyor_open_raw` as macros for the
//! functions below (text in `tools/headers/text/surveyor0.h`).

use std::ffi::c_int;

use crate::ffi::guard_rc;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;

/// SP protocol number of surveyor sockets: `NNG_PROTOCOL_NUMBER(6, 2)` (wire value;
/// never changes).
pub const NNG_SURVEYOR0_SELF: u16 = 0x62;
/// SP protocol number of the peers a surveyor socket accepts (respondent).
pub const NNG_SURVEYOR0_PEER: u16 = 0x63;
/// Protocol name of surveyor sockets (`NNG_OPT_PROTONAME`).
pub const NNG_SURVEYOR0_SELF_NAME: &str = "surveyor";
/// Protocol name of the peers of surveyor sockets (`NNG_OPT_PEERNAME`).
pub const NNG_SURVEYOR0_PEER_NAME: &str = "respondent";

/// How long a survey collects responses; later ones are discarded (nng_duration,
/// read/write; socket and context; default 1000).
pub const NNG_OPT_SURVEYOR_SURVEYTIME: &str = "surveyor:survey-time";

/// Opens a surveyor socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_surveyor0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(
            s,
            crate::protocol::surveyor0::Socket::new(false, super::seed()),
        )
    })
}

/// Opens a surveyor socket in raw mode: no protocol state machine; message headers
/// are passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_surveyor0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(
            s,
            crate::protocol::surveyor0::Socket::new(true, super::seed()),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::core::names::proto;

    #[test]
    fn option_names_match_core() {
        assert_eq!(
            super::NNG_OPT_SURVEYOR_SURVEYTIME,
            proto::SURVEYOR_SURVEYTIME
        );
    }
}
