//! C API: idhash.
