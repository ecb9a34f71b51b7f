//! C API: log.
