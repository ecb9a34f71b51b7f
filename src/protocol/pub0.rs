//! The pub0 protocol core (being written).
