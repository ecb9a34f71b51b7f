//! The sub0 protocol core (being written).
