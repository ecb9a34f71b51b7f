//! TODO(foundation): sockaddr (being written).
