//! `<nng/compat/nanomsg/reqrep.h>`: the nanomsg REQ/REP protocol numbers and
//! REQ's option number (the option level is `NN_REQ`).
//!
//! Protocol numbers are `family * 16 + role`; they are the SP protocol ids
//! and cannot change.

use std::ffi::c_int;

/// The request/reply protocol family.
pub const NN_PROTO_REQREP: c_int = 3;
/// The REQ protocol, for `nn_socket`; also REQ's option level.
pub const NN_REQ: c_int = NN_PROTO_REQREP * 16;
/// The REP protocol, for `nn_socket`.
pub const NN_REP: c_int = NN_PROTO_REQREP * 16 + 1;
/// REQ option: the resend interval in milliseconds (`int`).
pub const NN_REQ_RESEND_IVL: c_int = NN_REQ * 16 + 1;
