//! C API: dialer.
