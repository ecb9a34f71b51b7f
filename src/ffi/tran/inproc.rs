//! C API of the inproc transport header.
