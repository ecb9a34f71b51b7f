//! C API of the ws transport header.
