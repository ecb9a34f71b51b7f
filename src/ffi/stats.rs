//! C API: statistics (`nng_stats_*`, `nng_stat_*`): a snapshot tree of
//! counters and levels for every socket, dialer, listener and pipe.
//!
//! A snapshot belongs to the caller from `nng_stats_get` until
//! `nng_stats_free`; every `nng_stat *` in it (and every string one returns)
//! stays valid until then. The tree's names and layout are informational
//! (reference ABI.md §8). The accessors take a node of a live snapshot; they
//! treat NULL as "no node" (NULL, 0 or false) where upstream would crash.

use std::ffi::{c_char, c_int};

use super::options::Out;
use super::types::{nng_dialer, nng_listener, nng_socket, nng_stat};
use super::{cstr, guard, guard_rc};
use crate::core::error::Error;

/// Takes a snapshot of all statistics and stores its root in `*statp`: a
/// `NNG_STAT_SCOPE` node named "" whose children are one scope per socket,
/// dialer, listener and pipe. Free it with `nng_stats_free`.
///
/// Returns 0, or `NNG_EINVAL` if `statp` is NULL, `NNG_ENOMEM`, or
/// `NNG_ENOTSUP` if statistics are not available. Does not block (beyond
/// briefly locking each object).
///
/// # Safety
///
/// `statp` is NULL or writable as an `nng_stat *`.
#[no_mangle]
pub unsafe extern "C" fn nng_stats_get(statp: *mut *mut nng_stat) -> c_int {
    guard_rc(|| {
        // SAFETY: `statp` is NULL or writable (contract).
        let _statp = unsafe { Out::new(statp) }?;
        // TODO(stats): snapshot the statistics tree.
        Err(Error::NotSup)
    })
}

/// Frees a snapshot. Call it on the root returned by `nng_stats_get`; every
/// node and string of the tree becomes invalid. NULL is a no-op.
///
/// # Safety
///
/// `stat` is NULL or the root of a live snapshot, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_stats_free(stat: *mut nng_stat) {
    guard(|| {
        let _ = stat;
        // TODO(stats): free the snapshot.
    })
}

/// Prints a snapshot (sub)tree to standard output, for debugging. The format
/// is not specified. NULL is a no-op.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stats_dump(stat: *mut nng_stat) {
    guard(|| {
        let _ = stat;
        // TODO(stats): print the tree.
    })
}

/// Returns the next sibling of a node, or NULL if it is the last one (or the
/// root, or NULL).
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_next(stat: *mut nng_stat) -> *mut nng_stat {
    guard(|| {
        let _ = stat;
        // TODO(stats): walk the snapshot.
        std::ptr::null_mut()
    })
}

/// Returns the first child of a node, or NULL if it has none (or is NULL).
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_child(stat: *mut nng_stat) -> *mut nng_stat {
    guard(|| {
        let _ = stat;
        // TODO(stats): walk the snapshot.
        std::ptr::null_mut()
    })
}

/// Returns the name of a node (e.g. "socket", "tx_msgs"); static. NULL for a
/// NULL node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_name(stat: *mut nng_stat) -> *const c_char {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        std::ptr::null()
    })
}

/// Returns the type of a node, an `NNG_STAT_*` value of `nng_stat_type_enum`
/// (0, `NNG_STAT_SCOPE`, for a NULL node).
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_type(stat: *mut nng_stat) -> c_int {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        0
    })
}

/// Searches a (sub)tree depth-first, starting with `stat` itself, for a node
/// named `name`; returns it, or NULL if there is none (or either argument is
/// NULL).
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot; `name` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_find(stat: *mut nng_stat, name: *const c_char) -> *mut nng_stat {
    guard(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let Ok(_name) = (unsafe { cstr(name) }) else {
            return std::ptr::null_mut();
        };
        let _ = stat;
        // TODO(stats): search the snapshot.
        std::ptr::null_mut()
    })
}

/// Finds the scope node of socket `s` (a `NNG_STAT_SCOPE` named "socket"
/// whose value is the socket's id) in a (sub)tree; NULL if there is none.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_find_socket(stat: *mut nng_stat, s: nng_socket) -> *mut nng_stat {
    guard(|| {
        let _ = (stat, s);
        // TODO(stats): search the snapshot for scope "socket" with this id.
        std::ptr::null_mut()
    })
}

/// Finds the scope node of dialer `d` (a `NNG_STAT_SCOPE` named "dialer"
/// whose value is the dialer's id) in a (sub)tree; NULL if there is none.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_find_dialer(stat: *mut nng_stat, d: nng_dialer) -> *mut nng_stat {
    guard(|| {
        let _ = (stat, d);
        // TODO(stats): search the snapshot for scope "dialer" with this id.
        std::ptr::null_mut()
    })
}

/// Finds the scope node of listener `l` (a `NNG_STAT_SCOPE` named
/// "listener" whose value is the listener's id) in a (sub)tree; NULL if there
/// is none.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_find_listener(
    stat: *mut nng_stat,
    l: nng_listener,
) -> *mut nng_stat {
    guard(|| {
        let _ = (stat, l);
        // TODO(stats): search the snapshot for scope "listener" with this id.
        std::ptr::null_mut()
    })
}

/// Returns the unit of a node's value, an `NNG_UNIT_*` value of
/// `nng_unit_enum` (0, `NNG_UNIT_NONE`, for a NULL node).
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_unit(stat: *mut nng_stat) -> c_int {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        0
    })
}

/// Returns the numeric value of a node (counter, level, id, or a scope's
/// object id) as it was when the snapshot was taken; 0 for a NULL node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_value(stat: *mut nng_stat) -> u64 {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        0
    })
}

/// Returns the value of a `NNG_STAT_BOOLEAN` node; false for a NULL node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_bool(stat: *mut nng_stat) -> bool {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        false
    })
}

/// Returns the value of a `NNG_STAT_STRING` node, or "" for a node of any
/// other type. The string belongs to the snapshot. NULL for a NULL node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_string(stat: *mut nng_stat) -> *const c_char {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        std::ptr::null()
    })
}

/// Returns a static, human-readable description of a node; NULL for a NULL
/// node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_desc(stat: *mut nng_stat) -> *const c_char {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        std::ptr::null()
    })
}

/// Returns when the node's value was captured, in milliseconds on the
/// `nng_clock` time base; 0 for a NULL node.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot.
#[no_mangle]
pub unsafe extern "C" fn nng_stat_timestamp(stat: *mut nng_stat) -> u64 {
    guard(|| {
        let _ = stat;
        // TODO(stats): read the node.
        0
    })
}
