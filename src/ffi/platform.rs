//! C API: platform.
