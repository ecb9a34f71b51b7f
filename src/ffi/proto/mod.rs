//! The protocol headers' functions (`nng_req0_open`, ...), one file per header.

pub mod bus0;
pub mod pair0;
pub mod pair1;
pub mod pub0;
pub mod pull0;
pub mod push0;
pub mod rep0;
pub mod req0;
pub mod respondent0;
pub mod sub0;
pub mod surveyor0;

use crate::core::error::Error;
use crate::core::socket::Socket;
use crate::ffi::options::Out;
use crate::ffi::types::nng_socket;
use crate::protocol::Protocol;

/// Opens a socket around a protocol core and stores its handle.
pub fn open(out: Out<'_, nng_socket>, core: impl Protocol) -> Result<(), Error> {
    let s = Socket::open(Box::new(core))?;
    out.put(nng_socket { id: s.id() });
    Ok(())
}

/// A seed for a protocol core's randomness (request and survey ids).
pub fn seed() -> u64 {
    let r = crate::supplemental::platform::random_u32;
    (u64::from(r()) << 32) | u64::from(r())
}
