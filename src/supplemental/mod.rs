//! Supplemental facilities: logging, the id hash, platform helpers.

pub mod idhash;
pub mod log;
pub mod platform;
pub mod tls;
pub mod x509;
