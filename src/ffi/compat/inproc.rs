//! nanomsg compat header inproc.h.
