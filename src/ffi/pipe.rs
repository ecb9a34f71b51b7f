//! C API: pipe.
