//! nanomsg compat header survey.h.
