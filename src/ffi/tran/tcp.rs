//! C API of the tcp transport header.
