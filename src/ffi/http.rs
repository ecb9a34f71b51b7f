//! C API: http.
