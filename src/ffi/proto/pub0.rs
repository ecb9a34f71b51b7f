//! C API of the pub0 protocol header.
