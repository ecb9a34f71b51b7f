//! nanomsg compat header reqrep.h.
