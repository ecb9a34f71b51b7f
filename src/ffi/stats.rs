//! C API: stats.
