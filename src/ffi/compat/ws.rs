//! nanomsg compat header ws.h.
