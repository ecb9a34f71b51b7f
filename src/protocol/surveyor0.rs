//! The surveyor0 protocol core (being written).
