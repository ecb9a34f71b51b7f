//! nanomsg compat header nn.h.
