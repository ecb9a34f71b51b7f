//! TODO(foundation): platform (being written).
