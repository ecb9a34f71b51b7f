//! TODO(foundation): url (being written).
