//! The pair1 protocol core (being written).
