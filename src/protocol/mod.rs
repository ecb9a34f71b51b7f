//! SP protocols as sans-IO state machines (no threads, locks, sockets, sleeps
//! or clock reads; time and randomness come in as arguments).
#![forbid(unsafe_code)]
