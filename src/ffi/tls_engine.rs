//! C API: tls_engine.
