//! C API of the rep0 protocol header.
