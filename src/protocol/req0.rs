//! The req0 protocol core (being written).
