//! The respondent0 protocol core (being written).
