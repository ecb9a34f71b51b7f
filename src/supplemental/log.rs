//! TODO(foundation): log (being written).
