//! nanomsg compat header tcp.h.
