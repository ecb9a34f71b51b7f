//! `<nng/compat/nanomsg/tcp.h>`: the nanomsg TCP transport's option level and
//! option number.

use std::ffi::c_int;

/// Option level of the TCP transport.
pub const NN_TCP: c_int = -3;
/// TCP option: disable Nagle's algorithm (`int`, 0 or 1).
pub const NN_TCP_NODELAY: c_int = 1;
