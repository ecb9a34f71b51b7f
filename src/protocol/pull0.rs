//! The pull0 protocol core (being written).
