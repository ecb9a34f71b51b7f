//! C API of `<nng/protocol/pubsub0/sub.h>`: opening sub sockets, and its option
//! names.
//!
//! The header also defines `nng_sub_open`/`nng_sub_open_raw` as macros for the
//! functions below (text in `tools/headers/text/sub0.h`).

use std::ffi::{c_int, c_void};

use crate::core::error::Error;
use crate::core::options::OptValue;
use crate::ffi::options::Out;
use crate::ffi::types::{nng_ctx, nng_socket};
use crate::ffi::{bytes, guard_rc};
use crate::protocol::SOCKET_CTX;

/// Adds a topic: messages whose body starts with the option's bytes are received
/// (bytes, write-only; socket and context). An empty topic matches everything. Note
/// that `nng_socket_set_string` includes the NUL in the topic.
pub const NNG_OPT_SUB_SUBSCRIBE: &str = "sub:subscribe";
/// Removes a topic added before, byte for byte (bytes, write-only; socket and
/// context).
pub const NNG_OPT_SUB_UNSUBSCRIBE: &str = "sub:unsubscribe";
/// When the receive queue is full, drop the oldest message (true, the default) or
/// the new one (bool, read/write; socket and context).
pub const NNG_OPT_SUB_PREFNEW: &str = "sub:prefnew";

/// Opens a sub socket (cooked mode: the protocol's state machine runs in the
/// library) and stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_open(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::sub0::Socket::new(false, super::seed()))
    })
}

/// Opens a sub socket in raw mode: no protocol state machine; message headers are
/// passed through to and from the application (for devices and custom routing).
/// Stores its handle in `*s`.
///
/// Returns 0, or `NNG_EINVAL` if `s` is NULL, or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `s` is NULL or writable as an `nng_socket`.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_open_raw(s: *mut nng_socket) -> c_int {
    guard_rc(|| {
        // SAFETY: `s` is NULL or writable (contract).
        let s = unsafe { Out::new(s) }?;
        super::open(s, crate::protocol::sub0::Socket::new(true, super::seed()))
    })
}

/// Subscribes the socket's default context to a topic: from now on it receives
/// messages whose body starts with the `sz` bytes at `buf` (no NUL is added; `sz` 0
/// matches everything). Subscribing twice to a topic is the same as once.
///
/// Returns 0, or `NNG_EINVAL` if `buf` is NULL and `sz` is not 0, `NNG_ENOMEM`,
/// `NNG_ENOTSUP` if `s` is not a cooked sub socket, or `NNG_ECLOSED` if `s` is not
/// an open socket. Does not block.
///
/// # Safety
///
/// `buf` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_socket_subscribe(
    s: nng_socket,
    buf: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `buf` is NULL or readable for `sz` bytes (contract).
        let topic = unsafe { bytes(buf, sz) }?;
        let sock = crate::core::socket::socket(s.id)?;
        sock.set_opt(
            SOCKET_CTX,
            NNG_OPT_SUB_SUBSCRIBE,
            OptValue::Bytes(topic.to_vec()),
        )
    })
}

/// Removes the topic of `sz` bytes at `buf` (which must match a subscribed topic
/// exactly) from the socket's default context. Queued messages that no longer match
/// are dropped.
///
/// Returns 0, or `NNG_ENOENT` if there is no such topic, `NNG_EINVAL` if `buf` is
/// NULL and `sz` is not 0, `NNG_ENOTSUP` if `s` is not a cooked sub socket, or
/// `NNG_ECLOSED` if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `buf` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_socket_unsubscribe(
    s: nng_socket,
    buf: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `buf` is NULL or readable for `sz` bytes (contract).
        let topic = unsafe { bytes(buf, sz) }?;
        let sock = crate::core::socket::socket(s.id)?;
        sock.set_opt(
            SOCKET_CTX,
            NNG_OPT_SUB_UNSUBSCRIBE,
            OptValue::Bytes(topic.to_vec()),
        )
    })
}

/// Subscribes a context to a topic: from now on it receives messages whose body
/// starts with the `sz` bytes at `buf` (no NUL is added; `sz` 0 matches
/// everything). Subscribing twice to a topic is the same as once.
///
/// Returns 0, or `NNG_EINVAL` if `buf` is NULL and `sz` is not 0, `NNG_ENOMEM`,
/// `NNG_ENOTSUP` if `c` is not a sub context, or `NNG_ECLOSED` if `c` is not an
/// open context. Does not block.
///
/// # Safety
///
/// `buf` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_ctx_subscribe(
    c: nng_ctx,
    buf: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `buf` is NULL or readable for `sz` bytes (contract).
        let topic = unsafe { bytes(buf, sz) }?;
        let sock = crate::core::socket::CTXS.get(c.id).ok_or(Error::Closed)?;
        sock.set_opt(c.id, NNG_OPT_SUB_SUBSCRIBE, OptValue::Bytes(topic.to_vec()))
    })
}

/// Removes the topic of `sz` bytes at `buf` (which must match a subscribed topic
/// exactly) from a context. Queued messages that no longer match are dropped.
///
/// Returns 0, or `NNG_ENOENT` if there is no such topic, `NNG_EINVAL` if `buf` is
/// NULL and `sz` is not 0, `NNG_ENOTSUP` if `c` is not a sub context, or
/// `NNG_ECLOSED` if `c` is not an open context. Does not block.
///
/// # Safety
///
/// `buf` is NULL or readable for `sz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_sub0_ctx_unsubscribe(
    c: nng_ctx,
    buf: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `buf` is NULL or readable for `sz` bytes (contract).
        let topic = unsafe { bytes(buf, sz) }?;
        let sock = crate::core::socket::CTXS.get(c.id).ok_or(Error::Closed)?;
        sock.set_opt(
            c.id,
            NNG_OPT_SUB_UNSUBSCRIBE,
            OptValue::Bytes(topic.to_vec()),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::core::names::proto;

    #[test]
    fn option_names_match_core() {
        assert_eq!(super::NNG_OPT_SUB_SUBSCRIBE, proto::SUB_SUBSCRIBE);
        assert_eq!(super::NNG_OPT_SUB_UNSUBSCRIBE, proto::SUB_UNSUBSCRIBE);
        assert_eq!(super::NNG_OPT_SUB_PREFNEW, proto::SUB_PREFNEW);
    }
}
