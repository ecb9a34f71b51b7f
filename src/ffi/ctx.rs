//! C API: ctx.
