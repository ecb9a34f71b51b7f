//! C API of the pair1 protocol header.
