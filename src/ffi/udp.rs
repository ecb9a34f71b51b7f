//! C API: udp.
