//! `<nng/compat/nanomsg/bus.h>`: the nanomsg BUS protocol number.
//!
//! Protocol numbers are `family * 16 + role` (`NN_PROTO_BUS * 16 + 0` for
//! the one BUS role); they are the SP protocol ids and cannot change.

use std::ffi::c_int;

/// The BUS protocol family.
pub const NN_PROTO_BUS: c_int = 7;
/// The BUS protocol, for `nn_socket`.
pub const NN_BUS: c_int = NN_PROTO_BUS * 16;
