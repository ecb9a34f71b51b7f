//! C API: devices (`nng_device`, `nng_device_aio`): forwarders that move
//! every message between two raw sockets (a proxy), or back out of one raw
//! socket (a reflector). The forwarding itself is `core::device`.

use std::ffi::c_int;
use std::sync::Arc;

use super::aio::aio_ref;
use super::socket::fail_aio;
use super::types::{nng_aio, nng_socket};
use super::{guard, guard_rc};
use crate::core::aio::Aio;
use crate::core::device;
use crate::core::error::Result;
use crate::core::socket::{self, Socket};

/// The socket behind a device argument: `None` for the ids that mean "no
/// socket" (0 and `(uint32_t) -1`, as upstream), `NNG_ECLOSED` for a
/// socket that is not open.
fn lookup(s: nng_socket) -> Result<Option<Arc<Socket>>> {
    if s.id == 0 || s.id == u32::MAX {
        return Ok(None);
    }
    socket::socket(s.id).map(Some)
}

fn start(aio: &Aio, s1: nng_socket, s2: nng_socket) {
    let a = match lookup(s1) {
        Ok(a) => a,
        Err(e) => return fail_aio(aio, e),
    };
    // The same socket twice is a reflector, as one socket and no other.
    let b = if s2.id == s1.id {
        None
    } else {
        match lookup(s2) {
            Ok(b) => b,
            Err(e) => return fail_aio(aio, e),
        }
    };
    device::start(aio, a, b);
}

/// Forwards messages between raw sockets `s1` and `s2` until either is
/// closed. The two must speak peer protocols (e.g. raw req and raw rep);
/// messages go both ways, or one way when one side cannot receive (pub,
/// push). With only one socket (the other id 0, or the same socket twice)
/// the device is a reflector: what the socket receives it sends back out.
/// The caller still closes the sockets.
///
/// Returns `NNG_EINVAL` if a socket is not raw, the protocols are not
/// peers, or neither socket is given; `NNG_ECLOSED` if a socket is not
/// open, or once one is closed while forwarding (a one-way device waits on
/// its receiving socket only: it sees the other one closed when it next
/// forwards, as upstream). Blocks until the device stops.
#[no_mangle]
pub extern "C" fn nng_device(s1: nng_socket, s2: nng_socket) -> c_int {
    guard_rc(|| {
        let aio = Aio::new();
        start(&aio, s1, s2);
        aio.wait();
        aio.result()
    })
}

/// Starts a device (see `nng_device`) in the background. The aio completes
/// when the device stops: with `NNG_ECLOSED` once a socket is closed, with
/// the reason when the aio is cancelled (`nng_aio_cancel`, `nng_aio_abort`)
/// or times out (a timeout set on the aio applies to the whole device), or
/// at once with the setup error (`NNG_EINVAL`, `NNG_ECLOSED`). A message in
/// flight when the device stops is dropped. A NULL `aio` is ignored. Does
/// not block.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_device_aio(aio: *mut nng_aio, s1: nng_socket, s2: nng_socket) {
    guard(|| {
        // SAFETY: `aio` is NULL or a live aio (contract).
        let Some(aio) = (unsafe { aio_ref(aio) }) else {
            return;
        };
        start(&aio, s1, s2);
    })
}
