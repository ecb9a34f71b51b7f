//! `<nng/compat/nanomsg/pipeline.h>`: the nanomsg PUSH/PULL protocol numbers.
//!
//! Protocol numbers are `family * 16 + role`; they are the SP protocol ids
//! and cannot change.

use std::ffi::c_int;

/// The pipeline protocol family.
pub const NN_PROTO_PIPELINE: c_int = 5;
/// The PUSH protocol, for `nn_socket`.
pub const NN_PUSH: c_int = NN_PROTO_PIPELINE * 16;
/// The PULL protocol, for `nn_socket`.
pub const NN_PULL: c_int = NN_PROTO_PIPELINE * 16 + 1;
