//! C API: stream.
