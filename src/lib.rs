//! nng (nanomsg-next-gen), written anew in Rust and shipped as a drop-in `libnng`.
//!
//! Layers (dependencies point down):
//!
//! - [`ffi`]: every `extern "C"` function of the C API; thin argument checks and
//!   conversions, one call into `core`, `Result` mapped to an `int`.
//! - [`core`]: the object model (messages, aio, sockets, endpoints, pipes,
//!   contexts, options, errors, URLs, socket addresses).
//! - [`protocol`], [`transport`], [`supplemental`]: SP protocols as sans-IO state
//!   machines, transports, and supplemental facilities (logging, id hash, ...).
//! - [`runtime`]: threads, timers, the task queue and the I/O reactor.
//!
//! Only `ffi` deals in raw pointers from C and catches panics.

pub mod core;
pub mod ffi;
pub mod protocol;
pub mod runtime;
pub mod supplemental;
pub mod transport;
