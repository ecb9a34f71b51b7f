//! The C boundary: every `extern "C"` function of the API, and nothing else.
//!
//! Each exported function follows one shape: enter [`guard`], turn each
//! argument into a Rust value with the helpers below (NULL becomes
//! `NNG_EINVAL`), call one `core` method, map the `Result` to a `c_int` with
//! [`rc`], and write out-parameters only on success.
//!
//! Ownership of every C pointer type is declared once, by implementing
//! [`Castable`] (a `Box` the caller holds, freed by the matching `*_free`).
//! Handles (`nng_socket`, ...) are ids passed by value and never dereferenced.
//!
//! A panic never unwinds into C: [`guard`] turns it into `NNG_EINTERNAL`, NULL,
//! `false` or 0, depending on the return type ([`PanicDefault`]).

use std::ffi::{c_char, c_int, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::core::error::Error;

pub mod aio;
pub mod compat;
pub mod ctx;
pub mod deprecated;
pub mod device;
pub mod dialer;
pub mod http;
pub mod idhash;
pub mod lib;
pub mod listener;
pub mod log;
pub mod msg;
pub mod options;
pub mod optparse;
pub mod pipe;
pub mod platform;
pub mod proto;
pub mod socket;
pub mod stats;
pub mod stream;
pub mod tls;
pub mod tls_engine;
pub mod tran;
pub mod types;
pub mod udp;
pub mod url;

/// What an exported function returns when its body panicked.
pub trait PanicDefault {
    /// The value handed back to C instead of unwinding.
    fn panic_default() -> Self;
}

impl PanicDefault for c_int {
    fn panic_default() -> Self {
        Error::Internal.code()
    }
}

impl PanicDefault for () {
    fn panic_default() -> Self {
        // A void function has no way to report the failure; carrying on
        // would leave callers waiting on something that never happens.
        eprintln!("nng: internal error (panic) in a function returning void; aborting");
        std::process::abort()
    }
}

impl PanicDefault for bool {
    fn panic_default() -> Self {
        false
    }
}

impl<T> PanicDefault for *mut T {
    fn panic_default() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> PanicDefault for *const T {
    fn panic_default() -> Self {
        std::ptr::null()
    }
}

macro_rules! panic_default_zero {
    ($($t:ty),*) => { $(impl PanicDefault for $t { fn panic_default() -> Self { 0 } })* };
}
panic_default_zero!(u8, u16, u32, u64, i64, usize, isize);

/// Runs the body of an exported function, turning a panic into the return
/// type's [`PanicDefault`] value.
pub fn guard<R: PanicDefault>(f: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| R::panic_default())
}

/// Runs a body that yields `Result<(), Error>` and maps it to nng's `int`.
pub fn guard_rc(f: impl FnOnce() -> Result<(), Error>) -> c_int {
    guard(|| rc(f()))
}

/// Maps a result to the C return code: 0 or an `NNG_E*` number.
pub fn rc(r: Result<(), Error>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.code(),
    }
}

/// Ties a C pointer type to the Rust value behind it, held in a `Box`.
///
/// # Safety
///
/// Implementors promise that every non-NULL `*mut Self` handed to C was made
/// by [`into_c`] from a `Box<Self::Rust>` and is released only by [`free_c`].
pub unsafe trait Castable {
    /// The Rust type the C pointer stands for.
    type Rust;
}

/// Gives a boxed value to C as an opaque pointer.
pub fn into_c<C: Castable>(v: Box<C::Rust>) -> *mut C {
    Box::into_raw(v).cast()
}

/// Borrows the value behind a C pointer; NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// `p` is NULL or came from [`into_c`] and has not been freed; no `&mut` to
/// the same value is alive for `'a`.
pub unsafe fn try_ref<'a, C: Castable>(p: *const C) -> Result<&'a C::Rust, Error> {
    // SAFETY: per this function's contract, a non-NULL `p` points at a live
    // `C::Rust` made by `into_c`.
    unsafe { p.cast::<C::Rust>().as_ref() }.ok_or(Error::Inval)
}

/// Mutably borrows the value behind a C pointer; NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// `p` is NULL or came from [`into_c`] and has not been freed; no other
/// reference to the same value is alive for `'a` (C's single-owner rule).
pub unsafe fn try_mut<'a, C: Castable>(p: *mut C) -> Result<&'a mut C::Rust, Error> {
    // SAFETY: per this function's contract, a non-NULL `p` points at a live,
    // unaliased `C::Rust` made by `into_c`.
    unsafe { p.cast::<C::Rust>().as_mut() }.ok_or(Error::Inval)
}

/// Takes back ownership of a value given to C; `None` for NULL.
///
/// # Safety
///
/// `p` is NULL or came from [`into_c`], and C will not use it again.
pub unsafe fn free_c<C: Castable>(p: *mut C) -> Option<Box<C::Rust>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: per this function's contract `p` came from `Box::into_raw` in
    // `into_c` and ownership returns to us here, once.
    Some(unsafe { Box::from_raw(p.cast::<C::Rust>()) })
}

/// Reads a C string argument; NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// `p` is NULL or points at a NUL-terminated string that outlives `'a`.
pub unsafe fn cstr<'a>(p: *const c_char) -> Result<&'a CStr, Error> {
    if p.is_null() {
        return Err(Error::Inval);
    }
    // SAFETY: non-NULL and NUL-terminated per this function's contract.
    Ok(unsafe { CStr::from_ptr(p) })
}

/// Reads a C string argument as UTF-8; NULL or invalid UTF-8 give `NNG_EINVAL`.
///
/// # Safety
///
/// As for [`cstr`].
pub unsafe fn cstr_utf8<'a>(p: *const c_char) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    unsafe { cstr(p) }?.to_str().map_err(|_| Error::Inval)
}

/// Writes an out-parameter; NULL gives `NNG_EINVAL` and writes nothing.
///
/// # Safety
///
/// `p` is NULL or valid for a write of `T` (C's out-parameter contract).
pub unsafe fn out<T>(p: *mut T, v: T) -> Result<(), Error> {
    if p.is_null() {
        return Err(Error::Inval);
    }
    // SAFETY: non-NULL and writable per this function's contract; `write`
    // does not drop the uninitialised old value.
    unsafe { p.write(v) };
    Ok(())
}

/// Borrows `len` bytes at `p` as a slice; NULL is allowed only when `len` is 0.
///
/// # Safety
///
/// `p` is NULL or valid for reads of `len` bytes for `'a`.
pub unsafe fn bytes<'a>(p: *const std::ffi::c_void, len: usize) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::Inval);
    }
    // SAFETY: non-NULL and readable for `len` bytes per this function's contract.
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// Copies a Rust string into memory from [`lib::alloc_copy`], NUL-terminated, for
/// strings that C frees with `nng_strfree`.
pub fn c_string_dup(s: &[u8]) -> *mut c_char {
    lib::alloc_copy(s, true).cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_panic_into_internal_error() {
        let r: c_int = guard(|| panic!("boom"));
        assert_eq!(r, Error::Internal.code());
        let p: *mut u8 = guard(|| panic!("boom"));
        assert!(p.is_null());
    }

    #[test]
    fn out_rejects_null() {
        // SAFETY: NULL is an allowed input.
        let r = unsafe { out::<i32>(std::ptr::null_mut(), 1) };
        assert_eq!(r, Err(Error::Inval));
    }
}
