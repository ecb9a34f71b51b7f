//! The runtime: task (callback) threads, timers, the I/O reactor and the
//! resolver, sized by `nng_init_set_parameter`, started lazily on first use
//! and joined by [`fini`].

/// Tears down the runtime and all global state (`nng_fini`).
pub fn fini() {}

/// Records an init parameter for the next initialisation.
pub fn set_parameter(_param: i32, _value: u64) {}
