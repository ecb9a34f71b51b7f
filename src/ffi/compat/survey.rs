//! `<nng/compat/nanomsg/survey.h>`: the nanomsg SURVEYOR/RESPONDENT protocol
//! numbers and SURVEYOR's option number (the option level is `NN_SURVEYOR`).
//!
//! Protocol numbers are `family * 16 + role`; they are the SP protocol ids
//! and cannot change.

use std::ffi::c_int;

/// The survey protocol family.
pub const NN_PROTO_SURVEY: c_int = 6;
/// The SURVEYOR protocol, for `nn_socket`; also SURVEYOR's option level.
pub const NN_SURVEYOR: c_int = NN_PROTO_SURVEY * 16 + 2;
/// The RESPONDENT protocol, for `nn_socket`.
pub const NN_RESPONDENT: c_int = NN_PROTO_SURVEY * 16 + 3;
/// SURVEYOR option: the survey deadline in milliseconds (`int`).
pub const NN_SURVEYOR_DEADLINE: c_int = NN_SURVEYOR * 16 + 1;
