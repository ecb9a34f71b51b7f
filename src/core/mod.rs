//! The object model: errors, messages, aio, and (as they land) sockets,
//! endpoints, pipes, contexts, options, statistics, URLs and addresses.
//!
//! May depend on `runtime` and `supplemental`; never on `ffi`.
//!
//! Lock order (outermost first), to be kept by every module here:
//! socket → endpoint → pipe → aio. No user callback runs while any of these
//! locks is held.

pub mod aio;
pub mod device;
pub mod error;
pub mod fasthash;
pub mod msg;
pub mod names;
pub mod options;
pub mod sockaddr;
pub mod socket;
pub mod stats;
pub mod url;
