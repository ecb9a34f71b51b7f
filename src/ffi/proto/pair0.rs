//! C API of the pair0 protocol header.
