//! C API: optparse.
