//! C API of the pull0 protocol header.
