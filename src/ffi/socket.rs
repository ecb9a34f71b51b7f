//! C API: socket.
