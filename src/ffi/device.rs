//! C API: devices (`nng_device`, `nng_device_aio`): forwarders that move
//! every message between two raw sockets (a proxy), or back out of one raw
//! socket (a reflector).

use std::ffi::c_int;

use super::types::{nng_aio, nng_socket};
use super::{guard, guard_rc};
use crate::core::error::Error;

/// Forwards messages between raw sockets `s1` and `s2` until either is
/// closed. The two must speak peer protocols (e.g. raw req and raw rep). If
/// one of them is an invalid handle (id 0), the other is a reflector: what
/// it receives it sends back out. The caller still closes the sockets.
///
/// Returns `NNG_EINVAL` if a socket is not raw or the protocols do not match,
/// `NNG_ECLOSED` if a socket is not open or is closed while forwarding, or
/// another error that stopped the device. Blocks until the device stops.
#[no_mangle]
pub extern "C" fn nng_device(s1: nng_socket, s2: nng_socket) -> c_int {
    guard_rc(|| {
        let _ = (s1, s2);
        // TODO(device): run nng_device_aio and wait for it.
        Err(Error::NotSup)
    })
}

/// Starts a device (see `nng_device`) in the background. The aio completes
/// when the device stops: with `NNG_ECLOSED` once a socket is closed, or at
/// once with the setup error (`NNG_EINVAL`, `NNG_ECLOSED`). Cancelling the
/// aio stops the device. A NULL `aio` is ignored. Does not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_device_aio(aio: *mut nng_aio, s1: nng_socket, s2: nng_socket) {
    guard(|| {
        let _ = (aio, s1, s2);
        // TODO(device): start the forwarder; until sockets exist the aio must
        // be completed with NNG_ENOTSUP through core::aio (not yet available).
    })
}
