//! C API of `<nng/supplemental/util/idhash.h>`: a map from 64-bit ids to
//! non-NULL pointers, with id allocation. Reference API.md §19.
//!
//! The map is not thread-safe (as upstream): callers serialise access.
//! Logic lives in [`crate::supplemental::idhash::IdMap`].

#![allow(non_camel_case_types)]

use std::ffi::{c_int, c_void};
use std::ptr::NonNull;

use super::{free_c, guard, guard_rc, into_c, out, try_mut, try_ref, Castable};
use crate::core::error::Error;
use crate::supplemental::idhash::IdMap;

/// Flag for `nng_id_map_alloc`: start allocating ids at a random point of
/// the range instead of at its low end.
pub const NNG_MAP_RANDOM: c_int = 1;

/// An id map (opaque).
pub struct nng_id_map_s {
    _private: [u8; 0],
}
/// An id map (opaque).
pub type nng_id_map = nng_id_map_s;

// SAFETY: every nng_id_map pointer given to C comes from `into_c` in
// nng_id_map_alloc and is released only by nng_id_map_free (via `free_c`).
unsafe impl Castable for nng_id_map_s {
    type Rust = IdMap<NonNull<c_void>>;
}

/// Creates an empty map in `*map` whose `nng_id_alloc` hands out ids in
/// `lo..=hi` (`lo` 0 means 1, `hi` 0 means 0xffffffff), sequentially and
/// wrapping, or from a random start with `NNG_MAP_RANDOM` in `flags`. Free it
/// with `nng_id_map_free`. Returns `NNG_EINVAL` if `map` is NULL. Never
/// blocks. (A range with `hi < lo` allocates nothing: `nng_id_alloc` gives
/// `NNG_ENOMEM`.)
///
/// # Safety
///
/// `map` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_id_map_alloc(
    map: *mut *mut nng_id_map,
    lo: u64,
    hi: u64,
    flags: c_int,
) -> c_int {
    guard_rc(|| {
        if map.is_null() {
            return Err(Error::Inval);
        }
        let m = IdMap::new(lo, hi, flags & NNG_MAP_RANDOM != 0);
        // SAFETY: map is non-NULL and writable per the contract.
        unsafe { out(map, into_c::<nng_id_map>(Box::new(m))) }
    })
}

/// Frees a map; the stored pointers are not touched. NULL is a no-op.
///
/// # Safety
///
/// `map` is NULL or came from `nng_id_map_alloc` and is not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_id_map_free(map: *mut nng_id_map) {
    // SAFETY: per this function's contract.
    guard(|| drop(unsafe { free_c(map) }))
}

/// Returns the pointer stored under `id`, or NULL if there is none (or
/// `map` is NULL).
///
/// # Safety
///
/// `map` is NULL or a live map not used concurrently by another thread.
#[no_mangle]
pub unsafe extern "C" fn nng_id_get(map: *mut nng_id_map, id: u64) -> *mut c_void {
    guard(|| {
        // SAFETY: per this function's contract.
        let Ok(m) = (unsafe { try_ref(map) }) else {
            return std::ptr::null_mut();
        };
        m.get(id).map_or(std::ptr::null_mut(), |p| p.as_ptr())
    })
}

/// Stores `val` under `id`, replacing any previous value; the id need not
/// be in the allocation range. Storing NULL removes the entry (a NULL value
/// cannot be stored). Returns 0, or `NNG_EINVAL` if `map` is NULL.
///
/// # Safety
///
/// `map` is NULL or a live map not used concurrently by another thread.
#[no_mangle]
pub unsafe extern "C" fn nng_id_set(map: *mut nng_id_map, id: u64, val: *mut c_void) -> c_int {
    guard_rc(|| {
        // SAFETY: per this function's contract.
        let m = unsafe { try_mut(map) }?;
        match NonNull::new(val) {
            Some(v) => {
                m.set(id, v);
            }
            None => {
                m.remove(id);
            }
        }
        Ok(())
    })
}

/// Stores `val` under the next free id of the map's range and writes that
/// id to `*id`. Returns `NNG_ENOMEM` when every id of the range is in use,
/// `NNG_EINVAL` if `map` or `id` is NULL. As upstream, a NULL `val` still
/// consumes an id but stores nothing.
///
/// # Safety
///
/// `map` is NULL or a live map not used concurrently by another thread;
/// `id` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_id_alloc(
    map: *mut nng_id_map,
    id: *mut u64,
    val: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: per this function's contract.
        let m = unsafe { try_mut(map) }?;
        if id.is_null() {
            return Err(Error::Inval);
        }
        let new = match NonNull::new(val) {
            Some(v) => m.alloc(v)?,
            None => m.next_free()?,
        };
        // SAFETY: id is non-NULL and writable per the contract.
        unsafe { out(id, new) }
    })
}

/// Removes the entry for `id`. Returns `NNG_ENOENT` if there is none,
/// `NNG_EINVAL` if `map` is NULL.
///
/// # Safety
///
/// `map` is NULL or a live map not used concurrently by another thread.
#[no_mangle]
pub unsafe extern "C" fn nng_id_remove(map: *mut nng_id_map, id: u64) -> c_int {
    guard_rc(|| {
        // SAFETY: per this function's contract.
        let m = unsafe { try_mut(map) }?;
        m.remove(id).map(|_| ()).ok_or(Error::NoEnt)
    })
}

/// Iterates over the map: with `*cursor` 0 at the start, each call writes
/// the next entry's id to `*id` and value to `*valp` (either may be NULL),
/// advances `*cursor` and returns true; it returns false when no entries
/// remain (or `map`/`cursor` is NULL). The order is unspecified; entries
/// added or removed during the walk may be missed.
///
/// # Safety
///
/// `map` is NULL or a live map not used concurrently by another thread;
/// `id`, `valp` and `cursor` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_id_visit(
    map: *mut nng_id_map,
    id: *mut u64,
    valp: *mut *mut c_void,
    cursor: *mut u32,
) -> bool {
    guard(|| {
        // SAFETY: per this function's contract.
        let (Ok(m), Some(cur)) = (unsafe { try_ref(map) }, unsafe { cursor.as_mut() }) else {
            return false;
        };
        let Some((k, v)) = m.visit(cur) else {
            return false;
        };
        // SAFETY: each is NULL (skipped) or writable per the contract.
        unsafe {
            let _ = out(id, k);
            let _ = out(valp, v.as_ptr());
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_map_basics_and_null_arguments() {
        let mut m: *mut nng_id_map = std::ptr::null_mut();
        let mut x = 5u8;
        let px = std::ptr::addr_of_mut!(x).cast::<c_void>();
        // SAFETY: valid out-pointers; the map is freed at the end.
        unsafe {
            assert_eq!(nng_id_map_alloc(&mut m, 10, 11, 0), 0);
            let mut id = 0u64;
            assert_eq!(nng_id_alloc(m, &mut id, px), 0);
            assert_eq!(id, 10);
            // NULL value: consumes id 11, stores nothing.
            assert_eq!(nng_id_alloc(m, &mut id, std::ptr::null_mut()), 0);
            assert_eq!(id, 11);
            assert!(nng_id_get(m, 11).is_null());
            assert_eq!(nng_id_alloc(m, &mut id, px), 0);
            assert_eq!(id, 11);
            assert_eq!(nng_id_alloc(m, &mut id, px), Error::NoMem.code());
            assert_eq!(nng_id_set(m, 100, px), 0);
            assert_eq!(nng_id_get(m, 100), px);
            assert_eq!(nng_id_set(m, 100, std::ptr::null_mut()), 0);
            assert!(nng_id_get(m, 100).is_null());
            assert_eq!(nng_id_remove(m, 100), Error::NoEnt.code());
            assert_eq!(nng_id_remove(m, 10), 0);
            let mut cursor = 0u32;
            assert!(nng_id_visit(
                m,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut cursor
            ));
            assert!(!nng_id_visit(m, &mut id, std::ptr::null_mut(), &mut cursor));
            let null = std::ptr::null_mut();
            assert_eq!(
                nng_id_map_alloc(std::ptr::null_mut(), 0, 0, 0),
                Error::Inval.code()
            );
            assert!(nng_id_get(null, 1).is_null());
            assert_eq!(nng_id_set(null, 1, px), Error::Inval.code());
            assert_eq!(nng_id_alloc(null, &mut id, px), Error::Inval.code());
            assert_eq!(
                nng_id_alloc(m, std::ptr::null_mut(), px),
                Error::Inval.code()
            );
            assert_eq!(nng_id_remove(null, 1), Error::Inval.code());
            assert!(!nng_id_visit(
                null,
                &mut id,
                std::ptr::null_mut(),
                &mut cursor
            ));
            assert!(!nng_id_visit(
                m,
                &mut id,
                std::ptr::null_mut(),
                std::ptr::null_mut()
            ));
            nng_id_map_free(m);
            nng_id_map_free(null);
        }
    }
}
