//! nanomsg compat header pubsub.h.
