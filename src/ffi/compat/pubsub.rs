//! `<nng/compat/nanomsg/pubsub.h>`: the nanomsg PUB/SUB protocol numbers and
//! SUB's option numbers (the option level is `NN_SUB`).
//!
//! Protocol numbers are `family * 16 + role`; they are the SP protocol ids
//! and cannot change.

use std::ffi::c_int;

/// The publish/subscribe protocol family.
pub const NN_PROTO_PUBSUB: c_int = 2;
/// The PUB protocol, for `nn_socket`.
pub const NN_PUB: c_int = NN_PROTO_PUBSUB * 16;
/// The SUB protocol, for `nn_socket`; also SUB's option level.
pub const NN_SUB: c_int = NN_PROTO_PUBSUB * 16 + 1;
/// SUB option: add a topic prefix (raw bytes).
pub const NN_SUB_SUBSCRIBE: c_int = NN_SUB * 16 + 1;
/// SUB option: remove a topic prefix (raw bytes).
pub const NN_SUB_UNSUBSCRIBE: c_int = NN_SUB * 16 + 2;
