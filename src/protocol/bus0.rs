//! The bus0 protocol core (being written).
