//! C API of the req0 protocol header.
