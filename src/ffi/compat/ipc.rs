//! nanomsg compat header ipc.h.
