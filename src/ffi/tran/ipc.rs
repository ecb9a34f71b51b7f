//! C API of `<nng/transport/ipc/ipc.h>`: the legacy registration function of the
//! IPC transport.
//!
//! Every transport is built in and registered when the library starts, so
//! registering is a no-op kept for old programs. Left out
//! under `--cfg nng_elide_deprecated`, as upstream leaves it out under
//! `NNG_ELIDE_DEPRECATED` (upstream does not mark it `NNG_DEPRECATED`, so neither
//! do we).

#[cfg(not(nng_elide_deprecated))]
use std::ffi::c_int;

/// Registers the IPC transport: a no-op, since every transport is built in. Returns
/// 0. Does not block.
#[cfg(not(nng_elide_deprecated))]
#[no_mangle]
pub extern "C" fn nng_ipc_register() -> c_int {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(not(nng_elide_deprecated))]
    fn register_is_a_successful_no_op() {
        assert_eq!(super::nng_ipc_register(), 0);
    }
}
