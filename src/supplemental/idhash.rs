//! TODO(foundation): idhash (being written).
