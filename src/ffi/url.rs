//! C API: url.
