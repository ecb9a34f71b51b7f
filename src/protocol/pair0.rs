//! The pair0 protocol core (being written).
