//! C API of the ipc transport header.
