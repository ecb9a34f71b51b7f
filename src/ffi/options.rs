//! C API: options.
