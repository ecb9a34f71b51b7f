//! C API of the push0 protocol header.
