//! Operating-system calls of the runtime, meant to become the one place with
//! `libc::` calls (DESIGN.md; a few older modules still make their own).
//! Each call site checks its result through `cvt`, the one place where a
//! `-1` return and `errno` become an `io::Error`.
//!
//! May depend on `std` and `libc` only; knows nothing of sockets, protocols
//! or transports.

use std::io;

pub mod pollfd;

/// Turns the `-1`/`errno` convention of a libc call into an `io::Result`.
pub(crate) fn cvt<T: From<i8> + PartialEq>(rv: T) -> io::Result<T> {
    if rv == T::from(-1) {
        Err(io::Error::last_os_error())
    } else {
        Ok(rv)
    }
}
