//! C API of `<nng/transport/ws/websocket.h>`: the legacy registration functions of
//! the WebSocket transport, and the `NNG_OPT_WSS_*` option aliases.
//!
//! Every transport is built in and registered when the library starts, so
//! registering is a no-op kept for old programs. Left out
//! under `--cfg nng_elide_deprecated`, as upstream leaves it out under
//! `NNG_ELIDE_DEPRECATED` (upstream does not mark it `NNG_DEPRECATED`, so neither
//! do we).

#[cfg(not(nng_elide_deprecated))]
use std::ffi::c_int;

use crate::core::names::{NNG_OPT_WS_REQUEST_HEADERS, NNG_OPT_WS_RESPONSE_HEADERS};

/// Old name of `NNG_OPT_WS_REQUEST_HEADERS`, from when wss had its own options.
pub const NNG_OPT_WSS_REQUEST_HEADERS: &str = NNG_OPT_WS_REQUEST_HEADERS;
/// Old name of `NNG_OPT_WS_RESPONSE_HEADERS`, from when wss had its own options.
pub const NNG_OPT_WSS_RESPONSE_HEADERS: &str = NNG_OPT_WS_RESPONSE_HEADERS;

/// Registers the WebSocket transport: a no-op, since every transport is built in.
/// Returns 0. Does not block.
#[cfg(not(nng_elide_deprecated))]
#[no_mangle]
pub extern "C" fn nng_ws_register() -> c_int {
    0
}

/// Registers the secure WebSocket (wss) transport: a no-op, since every transport
/// is built in. Returns 0. Does not block.
#[cfg(not(nng_elide_deprecated))]
#[no_mangle]
pub extern "C" fn nng_wss_register() -> c_int {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(not(nng_elide_deprecated))]
    fn register_is_a_successful_no_op() {
        assert_eq!(super::nng_ws_register(), 0);
        assert_eq!(super::nng_wss_register(), 0);
    }
}
