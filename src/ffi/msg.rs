//! C API: messages (`nng_msg_*`), and the conversion helpers other ffi
//! modules use to pass messages across the boundary.
//!
//! An `nng_msg *` is the address of the message's single heap block
//! ([`Msg::into_raw`]); it stays the same for the life of the message, however
//! the body grows, and converting to and from it allocates nothing.
//!
//! NULL handling (upstream crashes on all of these): a NULL message gives
//! `NNG_EINVAL` from functions returning `int`, NULL or 0 from getters, and
//! nothing from `void` functions. A NULL out-pointer gives `NNG_EINVAL` and
//! leaves the message unchanged. None of these functions blocks.

use std::ffi::{c_int, c_void};
use std::ptr::{self, NonNull};
use std::slice;

use super::types::{nng_msg, nng_pipe};
use super::{guard, guard_rc, out};
use crate::core::error::Error;
use crate::core::msg::Msg;

/// Hands a message to C as an `nng_msg *` (C now owns it). Allocates
/// nothing; `msg_into_c(msg_from_c(p))` gives back `p`.
pub fn msg_into_c(m: Msg) -> *mut nng_msg {
    m.into_raw().as_ptr().cast()
}

/// Takes a message back from C; `None` for NULL.
///
/// # Safety
///
/// `p` is NULL or an `nng_msg *` from [`msg_into_c`] that C gives up.
pub unsafe fn msg_from_c(p: *mut nng_msg) -> Option<Msg> {
    // SAFETY: per the contract a non-NULL p came from msg_into_c (into_raw)
    // and ownership comes back here once.
    NonNull::new(p).map(|p| unsafe { Msg::from_raw(p.cast()) })
}

/// Borrows the message behind an `nng_msg *`; `None` for NULL.
///
/// Use the reference to call `Msg` methods only: do not assign through it or
/// move out of it (`mem::replace`/`take`/`swap`), since it refers to a handle
/// stored inside the message itself ([`Msg::slot_mut`]).
///
/// # Safety
///
/// `p` is NULL or a live `nng_msg *` from [`msg_into_c`], not aliased for `'a`.
pub unsafe fn msg_mut<'a>(p: *mut nng_msg) -> Option<&'a mut Msg> {
    // SAFETY: per the contract a non-NULL p is a live, unaliased message.
    NonNull::new(p).map(|p| unsafe { Msg::slot_mut(p.cast()) })
}

/// Read-only [`msg_mut`].
///
/// # Safety
///
/// `p` is NULL or a live `nng_msg *` from [`msg_into_c`], not mutated for `'a`.
unsafe fn msg_ref<'a>(p: *const nng_msg) -> Option<&'a Msg> {
    // SAFETY: per the contract a non-NULL p is a live message.
    NonNull::new(p.cast_mut()).map(|p| unsafe { Msg::slot_ref(p.cast()) })
}

/// [`msg_mut`] for an argument: NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// As for [`msg_mut`].
unsafe fn arg<'a>(p: *mut nng_msg) -> Result<&'a mut Msg, Error> {
    // SAFETY: forwarded contract.
    unsafe { msg_mut(p) }.ok_or(Error::Inval)
}

/// Allocates a message with a body of `size` zero bytes, an empty header and
/// no pipe, and stores it in `*msgp`; the caller owns it (free with
/// `nng_msg_free` or give it to a send). Returns `NNG_EINVAL` if `msgp` is
/// NULL, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msgp` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_alloc(msgp: *mut *mut nng_msg, size: usize) -> c_int {
    guard_rc(|| {
        if msgp.is_null() {
            return Err(Error::Inval);
        }
        let m = Msg::new(size)?;
        // SAFETY: msgp is non-NULL and writable per the contract.
        unsafe { out(msgp, msg_into_c(m)) }
    })
}

/// Frees a message (or drops this holder's share of a shared body). NULL is
/// a no-op.
///
/// # Safety
///
/// `msg` is NULL or a message the caller owns and does not use again.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_free(msg: *mut nng_msg) {
    // SAFETY: per the contract the caller gives the message up.
    guard(|| drop(unsafe { msg_from_c(msg) }))
}

/// Sets the body length to `size`, keeping the contents (shrinks from the
/// end; growing exposes earlier chopped bytes or zeros). Returns
/// `NNG_EINVAL` for a NULL message, `NNG_ENOMEM` if memory is short.
/// Pointers from `nng_msg_body` may be invalidated.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_realloc(msg: *mut nng_msg, size: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.realloc(size))
}

/// Ensures the body can grow to `capacity` bytes without further allocation;
/// the length is unchanged. Returns `NNG_EINVAL` for a NULL message,
/// `NNG_ENOMEM` if memory is short. Pointers from `nng_msg_body` may be
/// invalidated.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_reserve(msg: *mut nng_msg, capacity: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.reserve(capacity))
}

/// Returns the body capacity: the length plus the free space after the body.
/// 0 for a NULL message.
///
/// # Safety
///
/// `msg` is NULL or a live message.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_capacity(msg: *mut nng_msg) -> usize {
    // SAFETY: per the contract msg is NULL or live.
    guard(|| unsafe { msg_ref(msg) }.map_or(0, Msg::capacity))
}

/// Returns a writable pointer to the header area (64 bytes; the header is
/// its first `nng_msg_header_len` bytes). Valid until the message is freed.
/// NULL for a NULL message.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header(msg: *mut nng_msg) -> *mut c_void {
    guard(|| {
        // SAFETY: per the contract msg is NULL or live and ours.
        match unsafe { msg_mut(msg) } {
            Some(m) => m.header_area_mut().as_mut_ptr().cast(),
            None => ptr::null_mut(),
        }
    })
}

/// Returns the header length in bytes; 0 for a NULL message.
///
/// # Safety
///
/// `msg` is NULL or a live message.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_len(msg: *const nng_msg) -> usize {
    // SAFETY: per the contract msg is NULL or live.
    guard(|| unsafe { msg_ref(msg) }.map_or(0, |m| m.header().len()))
}

/// Returns a writable pointer to the body, valid until the message is freed
/// or its body changes size. A body shared with other messages is copied
/// first. NULL for a NULL message, or if that copy cannot be allocated.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_body(msg: *mut nng_msg) -> *mut c_void {
    guard(|| {
        // SAFETY: per the contract msg is NULL or live and ours.
        match unsafe { msg_mut(msg) }.map(Msg::try_body_mut) {
            Some(Ok(b)) => b.as_mut_ptr().cast(),
            _ => ptr::null_mut(),
        }
    })
}

/// Returns the body length in bytes; 0 for a NULL message.
///
/// # Safety
///
/// `msg` is NULL or a live message.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_len(msg: *const nng_msg) -> usize {
    // SAFETY: per the contract msg is NULL or live.
    guard(|| unsafe { msg_ref(msg) }.map_or(0, Msg::len))
}

/// Appends `size` bytes from `data` to the body (`data` NULL: `size` zero
/// bytes, as upstream extends without copying). Returns `NNG_EINVAL` for a
/// NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `data` is NULL or
/// readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_append(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { add_body(msg, data, size, Msg::append, Msg::append_zeros) })
}

/// Prepends `size` bytes from `data` to the body, using free space in front
/// of it when there is enough (`data` NULL: `size` zero bytes). Returns
/// `NNG_EINVAL` for a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `data` is NULL or
/// readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_insert(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { add_body(msg, data, size, Msg::insert, Msg::insert_zeros) })
}

/// Removes `size` bytes from the front of the body. Returns `NNG_EINVAL` for
/// a NULL message or if `size` exceeds the body length (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_trim(msg: *mut nng_msg, size: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.trim(size))
}

/// Removes `size` bytes from the end of the body. Returns `NNG_EINVAL` for a
/// NULL message or if `size` exceeds the body length (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_chop(msg: *mut nng_msg, size: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.chop(size))
}

/// Appends `size` bytes from `data` to the header. Returns `NNG_EINVAL` for
/// a NULL message, for NULL `data` with a non-zero `size`, or if the header
/// would exceed 64 bytes (nothing appended).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `data` is NULL or
/// readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_append(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { add_header(msg, data, size, Msg::header_append) })
}

/// Prepends `size` bytes from `data` to the header. Returns `NNG_EINVAL` for
/// a NULL message, for NULL `data` with a non-zero `size`, or if the header
/// would exceed 64 bytes (nothing inserted).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `data` is NULL or
/// readable for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_insert(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { add_header(msg, data, size, Msg::header_insert) })
}

/// Removes `size` bytes from the front of the header. Returns `NNG_EINVAL`
/// for a NULL message or if `size` exceeds the header length.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_trim(msg: *mut nng_msg, size: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_trim(size))
}

/// Removes `size` bytes from the end of the header. Returns `NNG_EINVAL` for
/// a NULL message or if `size` exceeds the header length.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_chop(msg: *mut nng_msg, size: usize) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_chop(size))
}

/// Appends `val` to the header as 2 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_append_u16(msg: *mut nng_msg, val: u16) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_append_u16(val))
}

/// Appends `val` to the header as 4 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_append_u32(msg: *mut nng_msg, val: u32) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_append_u32(val))
}

/// Appends `val` to the header as 8 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_append_u64(msg: *mut nng_msg, val: u64) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_append_u64(val))
}

/// Prepends `val` to the header as 2 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_insert_u16(msg: *mut nng_msg, val: u16) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_insert_u16(val))
}

/// Prepends `val` to the header as 4 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_insert_u32(msg: *mut nng_msg, val: u32) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_insert_u32(val))
}

/// Prepends `val` to the header as 8 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message or if the header would exceed 64 bytes.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_insert_u64(msg: *mut nng_msg, val: u64) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.header_insert_u64(val))
}

/// Removes the last 2 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_chop_u16(msg: *mut nng_msg, val: *mut u16) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_chop_u16) })
}

/// Removes the last 4 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_chop_u32(msg: *mut nng_msg, val: *mut u32) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_chop_u32) })
}

/// Removes the last 8 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_chop_u64(msg: *mut nng_msg, val: *mut u64) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_chop_u64) })
}

/// Removes the first 2 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_trim_u16(msg: *mut nng_msg, val: *mut u16) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_trim_u16) })
}

/// Removes the first 4 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_trim_u32(msg: *mut nng_msg, val: *mut u32) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_trim_u32) })
}

/// Removes the first 8 header bytes and stores them, decoded as big-endian,
/// in `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the
/// header is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_trim_u64(msg: *mut nng_msg, val: *mut u64) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::header_trim_u64) })
}

/// Appends `val` to the body as 2 big-endian bytes. Returns `NNG_EINVAL` for
/// a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_append_u16(msg: *mut nng_msg, val: u16) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.append_u16(val))
}

/// Appends `val` to the body as 4 big-endian bytes. Returns `NNG_EINVAL` for
/// a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_append_u32(msg: *mut nng_msg, val: u32) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.append_u32(val))
}

/// Appends `val` to the body as 8 big-endian bytes. Returns `NNG_EINVAL` for
/// a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_append_u64(msg: *mut nng_msg, val: u64) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.append_u64(val))
}

/// Prepends `val` to the body as 2 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_insert_u16(msg: *mut nng_msg, val: u16) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.insert_u16(val))
}

/// Prepends `val` to the body as 4 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_insert_u32(msg: *mut nng_msg, val: u32) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.insert_u32(val))
}

/// Prepends `val` to the body as 8 big-endian bytes. Returns `NNG_EINVAL`
/// for a NULL message, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_insert_u64(msg: *mut nng_msg, val: u64) -> c_int {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard_rc(|| unsafe { arg(msg) }?.insert_u64(val))
}

/// Removes the last 2 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_chop_u16(msg: *mut nng_msg, val: *mut u16) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::chop_u16) })
}

/// Removes the last 4 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_chop_u32(msg: *mut nng_msg, val: *mut u32) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::chop_u32) })
}

/// Removes the last 8 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_chop_u64(msg: *mut nng_msg, val: *mut u64) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::chop_u64) })
}

/// Removes the first 2 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_trim_u16(msg: *mut nng_msg, val: *mut u16) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::trim_u16) })
}

/// Removes the first 4 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_trim_u32(msg: *mut nng_msg, val: *mut u32) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::trim_u32) })
}

/// Removes the first 8 body bytes and stores them, decoded as big-endian, in
/// `*val`. Returns `NNG_EINVAL` for a NULL message or `val`, or if the body
/// is shorter (nothing removed).
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller; `val` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_trim_u64(msg: *mut nng_msg, val: *mut u64) -> c_int {
    // SAFETY: forwarded contract.
    guard_rc(|| unsafe { take(msg, val, Msg::trim_u64) })
}

/// Makes an independent deep copy of `src` (header, body, pipe) and stores it
/// in `*dup`; the caller owns the copy. Returns `NNG_EINVAL` if either
/// pointer is NULL, `NNG_ENOMEM` if memory is short.
///
/// # Safety
///
/// `dup` is NULL or writable; `src` is NULL or a live message.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_dup(dup: *mut *mut nng_msg, src: *const nng_msg) -> c_int {
    guard_rc(|| {
        if dup.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: per the contract src is NULL or live.
        let m = unsafe { msg_ref(src) }.ok_or(Error::Inval)?.dup()?;
        // SAFETY: dup is non-NULL and writable per the contract.
        unsafe { out(dup, msg_into_c(m)) }
    })
}

/// Empties the body; the header is untouched. NULL is a no-op.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_clear(msg: *mut nng_msg) {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard(|| unsafe { msg_mut(msg) }.map_or((), Msg::clear))
}

/// Empties the header; the body is untouched. NULL is a no-op.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_header_clear(msg: *mut nng_msg) {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard(|| unsafe { msg_mut(msg) }.map_or((), Msg::header_clear))
}

/// Returns the pipe the message was received on (or was set with
/// `nng_msg_set_pipe`); id 0 if none or for a NULL message.
///
/// # Safety
///
/// `msg` is NULL or a live message.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_get_pipe(msg: *const nng_msg) -> nng_pipe {
    // SAFETY: per the contract msg is NULL or live.
    let id = guard(|| unsafe { msg_ref(msg) }.map_or(0, Msg::pipe));
    nng_pipe { id }
}

/// Records a pipe on the message (e.g. to choose the destination with
/// pair1 polyamorous mode). NULL is a no-op.
///
/// # Safety
///
/// `msg` is NULL or a live message owned by the caller.
#[no_mangle]
pub unsafe extern "C" fn nng_msg_set_pipe(msg: *mut nng_msg, p: nng_pipe) {
    // SAFETY: per the contract msg is NULL or live and ours.
    guard(|| unsafe { msg_mut(msg) }.map_or((), |m| m.set_pipe(p.id)))
}

// ---- helpers ----

/// Adds C bytes to the body with `add`, or `size` zeros with `zeros` when
/// `data` is NULL. Input inside the message itself is copied out first.
///
/// # Safety
///
/// `msg` is NULL or live and ours; `data` is NULL or readable for `size` bytes.
unsafe fn add_body(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
    add: fn(&mut Msg, &[u8]) -> Result<(), Error>,
    zeros: fn(&mut Msg, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    // SAFETY: forwarded contract.
    let m = unsafe { arg(msg) }?;
    if data.is_null() {
        return zeros(m, size);
    }
    // SAFETY: forwarded contract.
    unsafe { add_bytes(m, data.cast(), size, add) }
}

/// Adds C bytes to the header with `add`; NULL `data` with a non-zero size
/// gives `NNG_EINVAL`.
///
/// # Safety
///
/// `msg` is NULL or live and ours; `data` is NULL or readable for `size` bytes.
unsafe fn add_header(
    msg: *mut nng_msg,
    data: *const c_void,
    size: usize,
    add: fn(&mut Msg, &[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    // SAFETY: forwarded contract.
    let m = unsafe { arg(msg) }?;
    if data.is_null() {
        return if size == 0 { Ok(()) } else { Err(Error::Inval) };
    }
    // SAFETY: forwarded contract.
    unsafe { add_bytes(m, data.cast(), size, add) }
}

/// # Safety
///
/// `data` is non-NULL and readable for `size` bytes.
unsafe fn add_bytes(
    m: &mut Msg,
    data: *const u8,
    size: usize,
    add: fn(&mut Msg, &[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    if size == 0 {
        return Ok(());
    }
    // SAFETY: readable for size bytes per the contract; the slice is only
    // read, and when it lies inside the message it is copied before `add`
    // takes `&mut`.
    let bytes = unsafe { slice::from_raw_parts(data, size) };
    if m.aliases(data, size) {
        let copy = bytes.to_vec();
        add(m, &copy)
    } else {
        add(m, bytes)
    }
}

/// Runs a decode-and-remove `op` and stores its value in `*val`; a NULL
/// `val` gives `NNG_EINVAL` with the message unchanged.
///
/// # Safety
///
/// `msg` is NULL or live and ours; `val` is NULL or writable.
unsafe fn take<T>(
    msg: *mut nng_msg,
    val: *mut T,
    op: fn(&mut Msg) -> Result<T, Error>,
) -> Result<(), Error> {
    // SAFETY: forwarded contract.
    let m = unsafe { arg(msg) }?;
    if val.is_null() {
        return Err(Error::Inval);
    }
    let v = op(m)?;
    // SAFETY: val is non-NULL and writable per the contract.
    unsafe { out(val, v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EINVAL: c_int = 3;

    #[test]
    fn null_message_is_rejected_everywhere() {
        let n = ptr::null_mut::<nng_msg>();
        let mut v16 = 0u16;
        let mut v32 = 0u32;
        let mut v64 = 0u64;
        // SAFETY: NULL is an allowed input for every function; the other
        // pointers are valid locals.
        unsafe {
            assert_eq!(nng_msg_alloc(ptr::null_mut(), 0), EINVAL);
            nng_msg_free(n);
            assert_eq!(nng_msg_realloc(n, 1), EINVAL);
            assert_eq!(nng_msg_reserve(n, 1), EINVAL);
            assert_eq!(nng_msg_capacity(n), 0);
            assert!(nng_msg_header(n).is_null());
            assert_eq!(nng_msg_header_len(n), 0);
            assert!(nng_msg_body(n).is_null());
            assert_eq!(nng_msg_len(n), 0);
            assert_eq!(nng_msg_append(n, b"x".as_ptr().cast(), 1), EINVAL);
            assert_eq!(nng_msg_insert(n, b"x".as_ptr().cast(), 1), EINVAL);
            assert_eq!(nng_msg_trim(n, 0), EINVAL);
            assert_eq!(nng_msg_chop(n, 0), EINVAL);
            assert_eq!(nng_msg_header_append(n, b"x".as_ptr().cast(), 1), EINVAL);
            assert_eq!(nng_msg_header_insert(n, b"x".as_ptr().cast(), 1), EINVAL);
            assert_eq!(nng_msg_header_trim(n, 0), EINVAL);
            assert_eq!(nng_msg_header_chop(n, 0), EINVAL);
            assert_eq!(nng_msg_header_append_u16(n, 1), EINVAL);
            assert_eq!(nng_msg_header_append_u32(n, 1), EINVAL);
            assert_eq!(nng_msg_header_append_u64(n, 1), EINVAL);
            assert_eq!(nng_msg_header_insert_u16(n, 1), EINVAL);
            assert_eq!(nng_msg_header_insert_u32(n, 1), EINVAL);
            assert_eq!(nng_msg_header_insert_u64(n, 1), EINVAL);
            assert_eq!(nng_msg_header_chop_u16(n, &mut v16), EINVAL);
            assert_eq!(nng_msg_header_chop_u32(n, &mut v32), EINVAL);
            assert_eq!(nng_msg_header_chop_u64(n, &mut v64), EINVAL);
            assert_eq!(nng_msg_header_trim_u16(n, &mut v16), EINVAL);
            assert_eq!(nng_msg_header_trim_u32(n, &mut v32), EINVAL);
            assert_eq!(nng_msg_header_trim_u64(n, &mut v64), EINVAL);
            assert_eq!(nng_msg_append_u16(n, 1), EINVAL);
            assert_eq!(nng_msg_append_u32(n, 1), EINVAL);
            assert_eq!(nng_msg_append_u64(n, 1), EINVAL);
            assert_eq!(nng_msg_insert_u16(n, 1), EINVAL);
            assert_eq!(nng_msg_insert_u32(n, 1), EINVAL);
            assert_eq!(nng_msg_insert_u64(n, 1), EINVAL);
            assert_eq!(nng_msg_chop_u16(n, &mut v16), EINVAL);
            assert_eq!(nng_msg_chop_u32(n, &mut v32), EINVAL);
            assert_eq!(nng_msg_chop_u64(n, &mut v64), EINVAL);
            assert_eq!(nng_msg_trim_u16(n, &mut v16), EINVAL);
            assert_eq!(nng_msg_trim_u32(n, &mut v32), EINVAL);
            assert_eq!(nng_msg_trim_u64(n, &mut v64), EINVAL);
            let mut d = ptr::null_mut();
            assert_eq!(nng_msg_dup(&mut d, n), EINVAL);
            assert!(d.is_null());
            nng_msg_clear(n);
            nng_msg_header_clear(n);
            assert_eq!(nng_msg_get_pipe(n).id, 0);
            nng_msg_set_pipe(n, nng_pipe { id: 1 });
        }
    }

    #[test]
    fn null_out_pointers_leave_the_message_alone() {
        let mut m = ptr::null_mut();
        // SAFETY: m is a valid out-pointer; the message is freed at the end.
        unsafe {
            assert_eq!(nng_msg_alloc(&mut m, 8), 0);
            assert_eq!(nng_msg_header_append_u64(m, 1), 0);
            assert_eq!(nng_msg_trim_u32(m, ptr::null_mut()), EINVAL);
            assert_eq!(nng_msg_chop_u64(m, ptr::null_mut()), EINVAL);
            assert_eq!(nng_msg_header_trim_u16(m, ptr::null_mut()), EINVAL);
            assert_eq!(nng_msg_len(m), 8);
            assert_eq!(nng_msg_header_len(m), 8);
            assert_eq!(nng_msg_dup(ptr::null_mut(), m), EINVAL);
            assert_eq!(nng_msg_header_append(m, ptr::null(), 1), EINVAL);
            assert_eq!(nng_msg_header_append(m, ptr::null(), 0), 0);
            // NULL body data extends with zeros, as upstream extends uncopied.
            assert_eq!(nng_msg_append(m, ptr::null(), 4), 0);
            assert_eq!(nng_msg_insert(m, ptr::null(), 2), 0);
            assert_eq!(nng_msg_len(m), 14);
            nng_msg_free(m);
        }
    }

    #[test]
    fn pointer_is_stable_and_self_append_works() {
        let mut m = ptr::null_mut();
        // SAFETY: m is a valid out-pointer; body pointers are used while valid
        // (the appended source points into the message, which we support).
        unsafe {
            assert_eq!(nng_msg_alloc(&mut m, 0), 0);
            let p = m;
            assert_eq!(nng_msg_append(m, b"abcd".as_ptr().cast(), 4), 0);
            for _ in 0..12 {
                let len = nng_msg_len(m);
                assert_eq!(nng_msg_append(m, nng_msg_body(m), len), 0);
            }
            assert_eq!(m, p);
            assert_eq!(nng_msg_len(m), 4 << 12);
            let body = slice::from_raw_parts(nng_msg_body(m).cast::<u8>(), nng_msg_len(m));
            assert!(body.chunks(4).all(|c| c == b"abcd"));
            assert_eq!(nng_msg_insert(m, nng_msg_body(m), 3), 0);
            assert_eq!(
                slice::from_raw_parts(nng_msg_body(m).cast::<u8>(), 5),
                b"abcab"
            );
            let h = nng_msg_header(m);
            assert_eq!(nng_msg_header_append(m, b"xy".as_ptr().cast(), 2), 0);
            assert_eq!(nng_msg_header_insert(m, h, 2), 0);
            assert_eq!(slice::from_raw_parts(h.cast::<u8>(), 4), b"xyxy");
            // Round trip through the helpers keeps the pointer.
            let owned = msg_from_c(m).unwrap();
            assert_eq!(msg_into_c(owned), p);
            nng_msg_free(m);
        }
    }
}
