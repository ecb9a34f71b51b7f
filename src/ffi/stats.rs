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
use crate::core::stats::{self, Node, SCOPE};

/// The node behind a C pointer.
///
/// # Safety
///
/// `stat` is NULL or a node of a live snapshot (it points into the arena
/// `nng_stats_get` made, which lives until `nng_stats_free`).
unsafe fn node<'a>(stat: *mut nng_stat) -> Option<&'a Node> {
    // SAFETY: NULL or a live node (contract).
    unsafe { stat.cast::<Node>().cast_const().as_ref() }
}

/// The whole arena a node belongs to, and the node's index in it.
///
/// # Safety
///
/// As [`node`].
unsafe fn arena<'a>(stat: *mut nng_stat) -> Option<(&'a [Node], usize)> {
    // SAFETY: as our contract.
    let n = unsafe { node(stat) }?;
    let i = n.index();
    // SAFETY: the node is element `i` of its arena; stepping back `i`
    // elements stays in that allocation and reaches element 0, the root,
    // which records the arena's length.
    let root = unsafe { stat.cast::<Node>().cast_const().sub(i) };
    // SAFETY: `root` is element 0 of a live arena.
    let len = unsafe { &*root }.count();
    // SAFETY: the arena is `len` initialised nodes from `root`, immutable
    // and alive until `nng_stats_free`.
    Some((unsafe { std::slice::from_raw_parts(root, len) }, i))
}

/// A C pointer to node `i` of `nodes`.
fn ptr(nodes: &[Node], i: usize) -> *mut nng_stat {
    match nodes.get(i) {
        Some(n) => std::ptr::from_ref(n).cast_mut().cast(),
        None => std::ptr::null_mut(),
    }
}

/// Finds a scope named `name` with object id `id` under `stat`.
///
/// # Safety
///
/// As [`node`].
unsafe fn find_scope(stat: *mut nng_stat, name: &str, id: u32) -> *mut nng_stat {
    // SAFETY: as our contract.
    let Some((nodes, i)) = (unsafe { arena(stat) }) else {
        return std::ptr::null_mut();
    };
    let hit = stats::find(nodes, i, &|n: &Node| {
        n.kind() == SCOPE && n.value() == u64::from(id) && n.name().to_bytes() == name.as_bytes()
    });
    hit.map_or(std::ptr::null_mut(), |k| ptr(nodes, k))
}

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
        let statp = unsafe { Out::new(statp) }?;
        crate::runtime::ensure();
        let nodes = stats::snapshot().into_nodes();
        let root = Box::into_raw(nodes).cast::<Node>();
        statp.put(root.cast::<nng_stat>());
        Ok(())
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
        // SAFETY: NULL or a live root (contract).
        let Some((nodes, i)) = (unsafe { arena(stat) }) else {
            return;
        };
        if i != 0 {
            return; // not a root: upstream would corrupt memory; we ignore it
        }
        let len = nodes.len();
        let raw = std::ptr::slice_from_raw_parts_mut(stat.cast::<Node>(), len);
        // SAFETY: the root and `len` are those of the boxed slice
        // `nng_stats_get` leaked; the caller gives it back exactly once.
        drop(unsafe { Box::from_raw(raw) });
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
        // SAFETY: NULL or a live node (contract).
        let Some((nodes, i)) = (unsafe { arena(stat) }) else {
            return;
        };
        let mut text = String::new();
        stats::dump(nodes, i, "", &mut text);
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
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
        // SAFETY: NULL or a live node (contract).
        let Some((nodes, i)) = (unsafe { arena(stat) }) else {
            return std::ptr::null_mut();
        };
        nodes[i]
            .next()
            .map_or(std::ptr::null_mut(), |k| ptr(nodes, k))
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
        // SAFETY: NULL or a live node (contract).
        let Some((nodes, i)) = (unsafe { arena(stat) }) else {
            return std::ptr::null_mut();
        };
        nodes[i]
            .child()
            .map_or(std::ptr::null_mut(), |k| ptr(nodes, k))
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(std::ptr::null(), |n| n.name().as_ptr())
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(0, Node::kind)
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
        let Ok(name) = (unsafe { cstr(name) }) else {
            return std::ptr::null_mut();
        };
        // SAFETY: NULL or a live node (contract).
        let Some((nodes, i)) = (unsafe { arena(stat) }) else {
            return std::ptr::null_mut();
        };
        let want = name.to_bytes();
        let hit = stats::find(nodes, i, &|n: &Node| n.name().to_bytes() == want);
        hit.map_or(std::ptr::null_mut(), |k| ptr(nodes, k))
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
        // SAFETY: NULL or a live node (contract).
        unsafe { find_scope(stat, "socket", s.id) }
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
        // SAFETY: NULL or a live node (contract).
        unsafe { find_scope(stat, "dialer", d.id) }
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
        // SAFETY: NULL or a live node (contract).
        unsafe { find_scope(stat, "listener", l.id) }
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(0, Node::unit)
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(0, Node::value)
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.is_some_and(Node::boolean)
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(std::ptr::null(), |n| n.string().as_ptr())
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(std::ptr::null(), |n| n.desc().as_ptr())
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
        // SAFETY: NULL or a live node (contract).
        unsafe { node(stat) }.map_or(0, Node::timestamp)
    })
}
