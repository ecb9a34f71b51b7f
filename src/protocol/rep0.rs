//! The rep0 protocol core (being written).
