//! nanomsg compat header bus.h.
