//! C API: deprecated.
