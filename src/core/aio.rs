//! TODO(foundation): aio (being written).
