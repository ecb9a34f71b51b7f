//! nanomsg compat header pipeline.h.
