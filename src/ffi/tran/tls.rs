//! C API of the tls transport header.
