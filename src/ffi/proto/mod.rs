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
