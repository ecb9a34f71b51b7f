//! C API of `<nng/transport/zerotier/zerotier.h>`: the option names and status
//! values of the ZeroTier transport (`zt://`), and its legacy registration
//! function.
//!
//! The ZeroTier transport is optional upstream and neither Debian nor a
//! default upstream build has it; neither do we. The names exist so that
//! programs mentioning them compile; any use fails: `zt://` URLs give
//! `NNG_ENOTSUP`, and so does `nng_zt_register` (reference ABI.md A3).

#[cfg(not(nng_elide_deprecated))]
use std::ffi::c_int;

#[cfg(not(nng_elide_deprecated))]
use crate::core::error::Error;

/// Directory where the ZeroTier node keeps its state (string).
pub const NNG_OPT_ZT_HOME: &str = "zt:home";
/// The 64-bit ZeroTier network id (uint64_t, read-only).
pub const NNG_OPT_ZT_NWID: &str = "zt:nwid";
/// The 40-bit ZeroTier node id (uint64_t, read-only).
pub const NNG_OPT_ZT_NODE: &str = "zt:node";
/// Status of the network, an `nng_zt_status` value (int, read-only).
pub const NNG_OPT_ZT_NETWORK_STATUS: &str = "zt:network-status";
/// Name of the network (string, read-only).
pub const NNG_OPT_ZT_NETWORK_NAME: &str = "zt:network-name";
/// Interval between keep-alive pings (nng_duration).
pub const NNG_OPT_ZT_PING_TIME: &str = "zt:ping-time";
/// Unanswered pings before a peer is considered gone (int).
pub const NNG_OPT_ZT_PING_TRIES: &str = "zt:ping-tries";
/// Interval between connection attempts (nng_duration).
pub const NNG_OPT_ZT_CONN_TIME: &str = "zt:conn-time";
/// Connection attempts before giving up (int).
pub const NNG_OPT_ZT_CONN_TRIES: &str = "zt:conn-tries";
/// MTU of the virtual network (size_t, read-only).
pub const NNG_OPT_ZT_MTU: &str = "zt:mtu";
/// Joins a moon (federated root) by its id (uint64_t array, write-only).
pub const NNG_OPT_ZT_ORBIT: &str = "zt:orbit";
/// Leaves a moon (uint64_t, write-only).
pub const NNG_OPT_ZT_DEORBIT: &str = "zt:deorbit";
/// Adds a local address the node may use (nng_sockaddr, write-only).
pub const NNG_OPT_ZT_ADD_LOCAL_ADDR: &str = "zt:add-local-addr";
/// Clears the local addresses added before (write-only).
pub const NNG_OPT_ZT_CLEAR_LOCAL_ADDRS: &str = "zt:clear-local-addrs";

/// Status of a ZeroTier network (`NNG_OPT_ZT_NETWORK_STATUS`).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_zt_status {
    /// The network is up.
    NNG_ZT_STATUS_UP = 0,
    /// Waiting for the network's configuration.
    NNG_ZT_STATUS_CONFIG = 1,
    /// Access to the network was denied.
    NNG_ZT_STATUS_DENIED = 2,
    /// The network does not exist.
    NNG_ZT_STATUS_NOTFOUND = 3,
    /// Some other error.
    NNG_ZT_STATUS_ERROR = 4,
    /// The node's software is too old for the network.
    NNG_ZT_STATUS_OBSOLETE = 5,
    /// Status not known.
    NNG_ZT_STATUS_UNKNOWN = 6,
}

/// Registers the ZeroTier transport. This library has no ZeroTier transport,
/// so it always returns `NNG_ENOTSUP`. Does not block.
#[cfg(not(nng_elide_deprecated))]
#[no_mangle]
pub extern "C" fn nng_zt_register() -> c_int {
    Error::NotSup.code()
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(not(nng_elide_deprecated))]
    fn register_is_not_supported() {
        assert_eq!(
            super::nng_zt_register(),
            crate::core::error::Error::NotSup.code()
        );
    }
}
