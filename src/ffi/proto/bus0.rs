//! C API of the bus0 protocol header.
