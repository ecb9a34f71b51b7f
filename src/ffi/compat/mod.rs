//! The nanomsg compatibility API (`<nng/compat/nanomsg/*.h>`).

pub mod bus;
pub mod inproc;
pub mod ipc;
pub mod nn;
pub mod pair;
pub mod pipeline;
pub mod pubsub;
pub mod reqrep;
pub mod survey;
pub mod tcp;
pub mod ws;
