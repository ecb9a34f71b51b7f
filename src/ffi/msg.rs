//! C API: msg.
