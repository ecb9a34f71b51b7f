//! `<nng/compat/nanomsg/ipc.h>`: the nanomsg IPC transport's option level
//! and option numbers (none of which nng supports).

use std::ffi::c_int;

/// Option level of the IPC transport.
pub const NN_IPC: c_int = -2;
/// Windows security attributes (not supported).
pub const NN_IPC_SEC_ATTR: c_int = 1;
/// Windows output buffer size (not supported).
pub const NN_IPC_OUTBUFSZ: c_int = 2;
/// Windows input buffer size (not supported).
pub const NN_IPC_INBUFSZ: c_int = 3;
