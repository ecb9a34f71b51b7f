//! C API of the sub0 protocol header.
