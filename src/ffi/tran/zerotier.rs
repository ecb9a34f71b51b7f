//! C API of the zerotier transport header.
