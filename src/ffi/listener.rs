//! C API: listener.
