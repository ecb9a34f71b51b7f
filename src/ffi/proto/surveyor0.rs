//! C API of the surveyor0 protocol header.
