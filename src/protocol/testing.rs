//! Test harness for protocol cores: virtual clock, in-memory pipes (being written).
