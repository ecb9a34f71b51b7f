//! C API: tls.
