//! C API: aio.
