//! TODO(foundation): msg (being written).
