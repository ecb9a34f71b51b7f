//! `<nng/compat/nanomsg/pair.h>`: the nanomsg PAIR protocol numbers.
//!
//! Protocol numbers are `family * 16 + version`; they are the SP protocol
//! ids and cannot change. `NN_PAIR_v0` (lower-case v) is upstream's spelling.

#![allow(non_upper_case_globals)]

use std::ffi::c_int;

/// The PAIR protocol family.
pub const NN_PROTO_PAIR: c_int = 1;
/// The PAIR protocol (version 0), for `nn_socket`.
pub const NN_PAIR: c_int = NN_PROTO_PAIR * 16;
/// PAIR version 0 (same as `NN_PAIR`).
pub const NN_PAIR_v0: c_int = NN_PROTO_PAIR * 16;
/// PAIR version 1 (not available through `nn_socket`).
pub const NN_PAIR_V1: c_int = NN_PROTO_PAIR * 16 + 1;
