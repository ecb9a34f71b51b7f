//! nanomsg compat header pair.h.
