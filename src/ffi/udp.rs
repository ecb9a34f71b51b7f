//! C API: UDP sockets (`nng_udp_*`, experimental upstream since 1.9): plain
//! datagram sockets driven by aios, with multicast membership.
//!
//! An `nng_udp *` is owned by the caller from `nng_udp_open` until
//! `nng_udp_close`.

use std::ffi::c_int;

use super::options::Out;
use super::types::{nng_aio, nng_sockaddr, nng_udp};
use super::{guard, guard_rc};
use crate::core::error::Error;

/// Opens a UDP socket bound to `*sa` (an `NNG_AF_INET` or `NNG_AF_INET6`
/// address; port 0 picks a free port, see `nng_udp_sockname`) and stores it
/// in `*udpp`. Close it with `nng_udp_close`.
///
/// Returns 0, or `NNG_EINVAL` if `udpp` or `sa` is NULL, `NNG_EADDRINVAL` for
/// another address family, `NNG_EADDRINUSE`, `NNG_EPERM`, or `NNG_ENOMEM`.
/// Does not block.
///
/// # Safety
///
/// `udpp` is NULL or writable as an `nng_udp *`; `sa` is NULL or points at an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_open(udpp: *mut *mut nng_udp, sa: *mut nng_sockaddr) -> c_int {
    guard_rc(|| {
        // SAFETY: `udpp` is NULL or writable (contract).
        let _udpp = unsafe { Out::new(udpp) }?;
        if sa.is_null() {
            return Err(Error::Inval);
        }
        // TODO(udp): bind the socket.
        Err(Error::NotSup)
    })
}

/// Closes a UDP socket and frees it; pending operations fail with
/// `NNG_ECLOSED`. NULL is a no-op.
///
/// # Safety
///
/// `udp` is NULL or a live socket from `nng_udp_open`, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_close(udp: *mut nng_udp) {
    guard(|| {
        let _ = udp;
        // TODO(udp): close and free the socket.
    })
}

/// Stores the address the socket is bound to (with the real port) in `*sa`.
///
/// Returns 0, or `NNG_EINVAL` if `udp` or `sa` is NULL, or `NNG_ECLOSED`.
/// Does not block.
///
/// # Safety
///
/// `udp` is NULL or a live socket from `nng_udp_open`; `sa` is NULL or
/// writable as an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_sockname(udp: *mut nng_udp, sa: *mut nng_sockaddr) -> c_int {
    guard_rc(|| {
        // SAFETY: `sa` is NULL or writable (contract).
        let _sa = unsafe { Out::new(sa) }?;
        if udp.is_null() {
            return Err(Error::Inval);
        }
        // TODO(udp): read the bound address.
        Err(Error::NotSup)
    })
}

/// Sends one datagram asynchronously: the payload is the aio's iov, the
/// destination the `nng_sockaddr *` in input 0 of the aio.
///
/// The aio completes with `NNG_EADDRINVAL` for a bad destination,
/// `NNG_EMSGSIZE` for a payload too large, `NNG_ECLOSED`, or
/// `NNG_ETIMEDOUT`. NULL arguments are ignored. Does not block.
///
/// # Safety
///
/// `udp` is NULL or a live socket from `nng_udp_open`; `aio` is NULL or a
/// live aio whose buffers stay valid until it completes.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_send(udp: *mut nng_udp, aio: *mut nng_aio) {
    guard(|| {
        let _ = udp;
        // TODO(udp): start the send; until then the aio fails.
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { super::aio::aio_not_supported(aio) };
    })
}

/// Receives one datagram asynchronously into the aio's iov; the sender's
/// address is stored in the `nng_sockaddr *` given as input 0 of the aio.
///
/// The aio completes with `NNG_EMSGSIZE` if the datagram did not fit (it is
/// lost), `NNG_ECLOSED`, or `NNG_ETIMEDOUT`. NULL arguments are ignored. Does
/// not block.
///
/// # Safety
///
/// `udp` is NULL or a live socket from `nng_udp_open`; `aio` is NULL or a
/// live aio whose buffers stay valid until it completes.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_recv(udp: *mut nng_udp, aio: *mut nng_aio) {
    guard(|| {
        let _ = udp;
        // TODO(udp): start the receive; until then the aio fails.
        // SAFETY: `aio` is NULL or a live aio (contract).
        unsafe { super::aio::aio_not_supported(aio) };
    })
}

/// Joins (`join` true) or leaves the multicast group `*sa` on the socket.
///
/// Returns 0, or `NNG_EINVAL` if `udp` or `sa` is NULL, `NNG_EADDRINVAL` if
/// `sa` is not a multicast address of the socket's family, or another error
/// from the system. Does not block.
///
/// # Safety
///
/// `udp` is NULL or a live socket from `nng_udp_open`; `sa` is NULL or points
/// at an `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_udp_multicast_membership(
    udp: *mut nng_udp,
    sa: *mut nng_sockaddr,
    join: bool,
) -> c_int {
    guard_rc(|| {
        if udp.is_null() || sa.is_null() {
            return Err(Error::Inval);
        }
        let _ = join;
        // TODO(udp): join or leave the group.
        Err(Error::NotSup)
    })
}
