//! The transport headers (legacy `nng_*_register` functions and options).

pub mod inproc;
pub mod ipc;
pub mod tcp;
pub mod tls;
pub mod ws;
pub mod zerotier;
