//! `<nng/compat/nanomsg/inproc.h>`: the nanomsg inproc transport's option level.

use std::ffi::c_int;

/// Option level of the inproc transport (it has no options).
pub const NN_INPROC: c_int = -1;
