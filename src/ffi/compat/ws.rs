//! `<nng/compat/nanomsg/ws.h>`: the nanomsg WebSocket transport's option
//! level, option number and message types.

use std::ffi::c_int;

/// Option level of the WebSocket transport.
pub const NN_WS: c_int = -4;
/// WebSocket option: the message type (`int`; only binary is supported).
pub const NN_WS_MSG_TYPE: c_int = 1;
/// WebSocket text frames (not supported).
pub const NN_WS_MSG_TYPE_TEXT: c_int = 0x1;
/// WebSocket binary frames.
pub const NN_WS_MSG_TYPE_BINARY: c_int = 0x2;
