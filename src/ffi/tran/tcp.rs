//! C API of `<nng/transport/tcp/tcp.h>`: the legacy registration function of the
//! TCP transport.
//!
//! Every transport is built in and registered when the library starts, so
//! registering is a no-op kept for old programs. Left out
//! under `--cfg nng_elide_deprecated`, as upstream leaves it out under
//! `NNG_ELIDE_DEPRECATED` (upstream does not mark it `NNG_DEPRECATED`, so neither
//! do we).

#[cfg(not(nng_elide_deprecated))]
use std::ffi::c_int;

/// Registers the TCP transport: a no-op, since every transport is built in. Returns
/// 0. Does not block.
#[cfg(not(nng_elide_deprecated))]
#[no_mangle]
pub extern "C" fn nng_tcp_register() -> c_int {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(not(nng_elide_deprecated))]
    fn register_is_a_successful_no_op() {
        assert_eq!(super::nng_tcp_register(), 0);
    }
}
