//! The push0 protocol core (being written).
