//! C API: asynchronous I/O handles (`nng_aio_*`, `nng_sleep_aio`).
//!
//! An `nng_aio *` is a reference to a [`core::aio::Aio`](Aio) made by
//! [`Aio::into_raw`]: one allocation, released by `nng_aio_free` or
//! `nng_aio_reap`. Other ffi modules reach the aio behind a C pointer with
//! [`aio_ref`] (borrow, clone it to keep it).
//!
//! NULL handling: functions returning `int` give `NNG_EINVAL`, `nng_aio_get_*`
//! give NULL/0/false, and the others do nothing (upstream would crash).

use std::ffi::{c_int, c_uint, c_void};
use std::mem::ManuallyDrop;

use super::msg::{msg_from_c, msg_into_c};
use super::types::{nng_aio, nng_aio_cancelfn, nng_duration, nng_iov, nng_msg, nng_time};
use super::{guard, guard_rc, out};
use crate::core::aio::{Aio, CCancelFn, Iov, MsgConv, MAX_IOV};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;

/// How messages cross between an aio and C.
pub static MSG_CONV: MsgConv = MsgConv {
    into_raw: conv_into,
    from_raw: conv_from,
};

fn conv_into(m: Msg) -> *mut c_void {
    msg_into_c(m).cast()
}

/// # Safety
///
/// `p` is NULL or an `nng_msg *` that C gives up.
unsafe fn conv_from(p: *mut c_void) -> Option<Msg> {
    // SAFETY: forwarded contract of MsgConv::from_raw.
    unsafe { msg_from_c(p.cast()) }
}

/// Borrows the aio behind a C pointer; `None` for NULL. Clone the result to
/// keep the aio (providers keep clones of aios in flight).
///
/// # Safety
///
/// `p` is NULL or an `nng_aio *` from `nng_aio_alloc` not yet freed, and
/// stays so while the result is used.
pub unsafe fn aio_ref(p: *mut nng_aio) -> Option<ManuallyDrop<Aio>> {
    // SAFETY: forwarded contract; nng_aio pointers come from Aio::into_raw.
    unsafe { Aio::borrow_raw(p.cast()) }
}

/// Completes an aio with `NNG_ENOTSUP`, for asynchronous functions whose
/// group is not implemented yet (as upstream's builds without that group do).
/// NULL is ignored.
///
/// # Safety
///
/// As for [`aio_ref`].
pub unsafe fn aio_not_supported(p: *mut nng_aio) {
    // SAFETY: forwarded contract.
    if let Some(aio) = unsafe { aio_ref(p) } {
        if aio.begin() {
            aio.finish_err(crate::core::error::Error::NotSup);
        }
    }
}

/// Runs `f` on the aio behind `p`, or returns `default` for NULL.
///
/// # Safety
///
/// As for [`aio_ref`].
unsafe fn with<R>(p: *mut nng_aio, default: R, f: impl FnOnce(&Aio) -> R) -> R {
    // SAFETY: forwarded contract.
    match unsafe { aio_ref(p) } {
        Some(a) => f(&a),
        None => default,
    }
}

fn result_from_code(rv: c_int) -> Result<()> {
    match Error::from_code(rv) {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

/// Allocates an aio. When an operation completes, `callback(arg)` runs on
/// one of the library's task threads (never with a library lock held; it may
/// call nng functions, resubmit the aio, or `nng_aio_reap` it). NULL
/// `callback`: no callback; use `nng_aio_wait`. The timeout starts as
/// `NNG_DURATION_DEFAULT`. Free with `nng_aio_free`.
/// Returns 0, `NNG_EINVAL` (NULL `aiop`) or `NNG_ENOMEM`. Does not block.
///
/// # Safety
///
/// `aiop` is NULL or writable; `callback`, if not NULL, may be called with
/// `arg` from any thread until the aio is freed.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_alloc(
    aiop: *mut *mut nng_aio,
    callback: Option<unsafe extern "C" fn(*mut c_void)>,
    arg: *mut c_void,
) -> c_int {
    guard_rc(|| {
        if aiop.is_null() {
            return Err(Error::Inval);
        }
        crate::runtime::init()?;
        // SAFETY: the caller's contract on callback/arg.
        let aio = unsafe { Aio::with_c_callback(callback, arg) };
        // SAFETY: aiop is non-NULL and writable per the contract.
        unsafe { out(aiop, aio.into_raw().cast()) }
    })
}

/// Frees an aio: stops it (a pending operation is cancelled with
/// `NNG_ECLOSED` and its callback still runs), waits for that, and releases
/// the handle. A message lent to the aio stays the caller's. NULL is a no-op.
/// Blocks until any callback in flight returned (except when called from the
/// aio's own callback, which is allowed).
///
/// # Safety
///
/// `aio` is NULL or from `nng_aio_alloc`, and is not used after this call.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_free(aio: *mut nng_aio) {
    guard(|| {
        if !aio.is_null() {
            // SAFETY: per the contract C gives up this reference.
            unsafe { Aio::from_raw(aio.cast()) }.free();
        }
    })
}

/// Like `nng_aio_free`, but done later on the library's reaper thread, so it
/// is safe from the aio's own callback. Does not block. NULL is a no-op.
///
/// # Safety
///
/// As for `nng_aio_free`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_reap(aio: *mut nng_aio) {
    guard(|| {
        if !aio.is_null() {
            // SAFETY: per the contract C gives up this reference.
            let a = unsafe { Aio::from_raw(aio.cast()) };
            crate::runtime::reap::reap(move || a.free());
        }
    })
}

/// Cancels any pending operation with `NNG_ECANCELED`, waits for it and its
/// callback, and marks the aio stopped: later operations on it fail at once
/// with `NNG_ECANCELED` and no callback. Blocks. NULL is a no-op.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_stop(aio: *mut nng_aio) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), Aio::stop) })
}

/// Returns the result of the last operation: 0 or an `NNG_E*` code.
/// `NNG_EINVAL` for NULL.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_result(aio: *mut nng_aio) -> c_int {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, Error::Inval.code(), |a| super::rc(a.result())) })
}

/// Returns the number of bytes transferred by the last operation (0 for
/// NULL).
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_count(aio: *mut nng_aio) -> usize {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, 0, Aio::count) })
}

/// Requests cancellation of the pending operation: it completes with
/// `NNG_ECANCELED` unless it is already completing. Does not wait. NULL is a
/// no-op.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_cancel(aio: *mut nng_aio) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), Aio::cancel) })
}

/// Like `nng_aio_cancel` with the error `err`. NULL is a no-op.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_abort(aio: *mut nng_aio, err: c_int) {
    let e = Error::from_code(err).unwrap_or(Error::Canceled);
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), |a| a.abort(e)) })
}

/// Blocks until the pending operation completed and its callback returned;
/// returns at once if none is pending (or for NULL).
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_wait(aio: *mut nng_aio) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), Aio::wait) })
}

/// Returns true while an operation or its callback is in progress (false
/// for NULL).
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_busy(aio: *mut nng_aio) -> bool {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, false, Aio::busy) })
}

/// Attaches a message for a later send (NULL clears). The message stays
/// the caller's until a send consumes it; a failed send leaves it attached
/// (fetch it with `nng_aio_get_msg`). No-op for a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live aio; `msg` is NULL or a live message, not freed
/// while attached if the aio is then used for a send.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_msg(aio: *mut nng_aio, msg: *mut nng_msg) {
    // SAFETY: the caller's contract; msg is a message pointer MSG_CONV accepts.
    guard(|| unsafe { with(aio, (), |a| a.set_lent_msg(msg.cast(), &MSG_CONV)) })
}

/// Returns the message attached to the aio (after a receive: the received
/// message, now owned by the caller), or NULL. The aio keeps the pointer, so
/// calling again returns the same message.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_get_msg(aio: *mut nng_aio) -> *mut nng_msg {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, std::ptr::null_mut(), |a| a.lend_msg(&MSG_CONV).cast()) })
}

/// Sets input slot `index` (0..3) to `arg`. Returns 0, or `NNG_EINVAL` for
/// an index above 3 or a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_input(
    aio: *mut nng_aio,
    index: c_uint,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    guard(|| unsafe {
        with(aio, Error::Inval.code(), |a| {
            super::rc(a.set_input(index as usize, arg))
        })
    })
}

/// Returns input slot `index`; NULL if unset, above 3, or for a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_get_input(aio: *mut nng_aio, index: c_uint) -> *mut c_void {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, std::ptr::null_mut(), |a| a.input(index as usize)) })
}

/// Sets output slot `index` (0..3); for providers. Returns 0, or
/// `NNG_EINVAL` for an index above 3 or a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_output(
    aio: *mut nng_aio,
    index: c_uint,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    guard(|| unsafe {
        with(aio, Error::Inval.code(), |a| {
            super::rc(a.set_output(index as usize, arg))
        })
    })
}

/// Returns output slot `index` (set by the last operation); NULL if unset,
/// above 3, or for a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_get_output(aio: *mut nng_aio, index: c_uint) -> *mut c_void {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, std::ptr::null_mut(), |a| a.output(index as usize)) })
}

/// Sets the relative timeout (ms) of later operations: positive,
/// `NNG_DURATION_INFINITE`, `NNG_DURATION_ZERO` (fail at once if the
/// operation cannot complete) or `NNG_DURATION_DEFAULT` (the object's
/// default). No-op for NULL.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_timeout(aio: *mut nng_aio, timeout: nng_duration) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), |a| a.set_timeout(timeout)) })
}

/// Sets an absolute expiry (`nng_clock` base) for the next operation.
/// No-op for NULL.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_expire(aio: *mut nng_aio, expire: nng_time) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), |a| a.set_expire(expire)) })
}

/// Copies `niov` scatter/gather descriptors (at most 8) into the aio; the
/// buffers stay the caller's and must outlive the operation. Returns 0, or
/// `NNG_EINVAL` (more than 8, NULL aio, or NULL `iov` with `niov` > 0).
///
/// # Safety
///
/// `aio` is NULL or a live aio; `iov` is NULL or points at `niov` entries.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_set_iov(
    aio: *mut nng_aio,
    niov: c_uint,
    iov: *const nng_iov,
) -> c_int {
    guard_rc(|| {
        let n = niov as usize;
        if n > MAX_IOV || (n > 0 && iov.is_null()) {
            return Err(Error::Inval);
        }
        let mut v = [Iov {
            buf: std::ptr::null_mut(),
            len: 0,
        }; MAX_IOV];
        for (i, slot) in v.iter_mut().enumerate().take(n) {
            // SAFETY: iov points at niov readable entries per the contract.
            let e = unsafe { *iov.add(i) };
            *slot = Iov {
                buf: e.iov_buf.cast(),
                len: e.iov_len,
            };
        }
        // SAFETY: the caller's contract.
        unsafe { with(aio, Err(Error::Inval), |a| a.set_iov(&v[..n])) }
    })
}

/// Provider side: starts an operation on the aio. Returns false if the aio
/// is stopped (or NULL): the provider must then drop the request without
/// touching the aio (it has failed with `NNG_ECANCELED`, no callback).
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_begin(aio: *mut nng_aio) -> bool {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, false, Aio::begin) })
}

/// Provider side: completes the operation with result `err` (0 or
/// `NNG_E*`), keeping the count. Call exactly once per begun operation.
/// No-op for NULL.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_finish(aio: *mut nng_aio, err: c_int) {
    let r = result_from_code(err);
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), |a| a.finish(r)) })
}

/// Provider side: registers `fn(aio, arg, reason)` as the cancel function
/// and arms the aio's timeout. Like upstream, a failure to schedule (zero
/// timeout, aborted or stopped aio) is not reported: the provider must still
/// call `nng_aio_finish` exactly once. With a NULL `fn` no timeout is armed.
/// No-op for a NULL aio.
///
/// # Safety
///
/// `aio` is NULL or a live, begun aio; `fn`, if not NULL, may be called from
/// any thread with `aio`, `arg` and a reason until the operation finishes.
#[no_mangle]
pub unsafe extern "C" fn nng_aio_defer(
    aio: *mut nng_aio,
    r#fn: nng_aio_cancelfn,
    arg: *mut c_void,
) {
    // The C signature differs from CCancelFn only in the pointee type of
    // the first argument; the function pointers are ABI-identical.
    // SAFETY: same size, same calling convention, same argument classes.
    let f: Option<CCancelFn> = r#fn.map(|f| unsafe { std::mem::transmute(f) });
    guard(|| {
        // SAFETY: the caller's contract; upstream ignores the result (A6).
        unsafe {
            with(aio, (), |a| {
                let _ = a.schedule_c(f, arg);
            })
        }
    })
}

/// Starts a timer operation on the aio: completes with 0 after `msec`
/// milliseconds, or with `NNG_ETIMEDOUT` when the aio's timeout is shorter.
/// Does not block. No-op for NULL.
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_sleep_aio(msec: nng_duration, aio: *mut nng_aio) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { with(aio, (), |a| a.sleep(msec)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::null_mut;
    use std::sync::atomic::{AtomicUsize, Ordering};

    unsafe extern "C" fn bump(arg: *mut c_void) {
        // SAFETY: tests pass a pointer to a live AtomicUsize.
        unsafe { &*arg.cast::<AtomicUsize>() }.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn null_arguments_are_harmless() {
        // SAFETY: every function accepts NULL.
        unsafe {
            assert_eq!(
                nng_aio_alloc(null_mut(), None, null_mut()),
                Error::Inval.code()
            );
            nng_aio_free(null_mut());
            nng_aio_reap(null_mut());
            nng_aio_stop(null_mut());
            nng_aio_wait(null_mut());
            nng_aio_cancel(null_mut());
            nng_aio_abort(null_mut(), 5);
            nng_aio_set_timeout(null_mut(), 5);
            nng_aio_set_expire(null_mut(), 5);
            nng_aio_set_msg(null_mut(), null_mut());
            nng_aio_finish(null_mut(), 0);
            nng_aio_defer(null_mut(), None, null_mut());
            nng_sleep_aio(0, null_mut());
            assert_eq!(nng_aio_result(null_mut()), Error::Inval.code());
            assert_eq!(nng_aio_count(null_mut()), 0);
            assert!(!nng_aio_busy(null_mut()));
            assert!(!nng_aio_begin(null_mut()));
            assert!(nng_aio_get_msg(null_mut()).is_null());
            assert!(nng_aio_get_input(null_mut(), 0).is_null());
            assert!(nng_aio_get_output(null_mut(), 0).is_null());
            assert_eq!(
                nng_aio_set_input(null_mut(), 0, null_mut()),
                Error::Inval.code()
            );
            assert_eq!(
                nng_aio_set_output(null_mut(), 0, null_mut()),
                Error::Inval.code()
            );
            assert_eq!(
                nng_aio_set_iov(null_mut(), 0, std::ptr::null()),
                Error::Inval.code()
            );
        }
    }

    #[test]
    fn sleep_with_callback_and_free() {
        let n = AtomicUsize::new(0);
        let mut aio: *mut nng_aio = null_mut();
        // SAFETY: n outlives the aio (freed below, which waits).
        unsafe {
            assert_eq!(
                nng_aio_alloc(
                    &mut aio,
                    Some(bump),
                    (&n as *const AtomicUsize).cast_mut().cast()
                ),
                0
            );
            nng_sleep_aio(1, aio);
            nng_aio_wait(aio);
            assert_eq!(nng_aio_result(aio), 0);
            assert_eq!(n.load(Ordering::SeqCst), 1);
            nng_aio_free(aio);
        }
    }

    #[test]
    fn iov_limits() {
        let mut aio: *mut nng_aio = null_mut();
        let iov = [nng_iov {
            iov_buf: null_mut(),
            iov_len: 0,
        }; 9];
        // SAFETY: aio is live until freed; iov has 9 entries.
        unsafe {
            assert_eq!(nng_aio_alloc(&mut aio, None, null_mut()), 0);
            assert_eq!(nng_aio_set_iov(aio, 9, iov.as_ptr()), Error::Inval.code());
            assert_eq!(nng_aio_set_iov(aio, 8, iov.as_ptr()), 0);
            assert_eq!(
                nng_aio_set_iov(aio, 1, std::ptr::null()),
                Error::Inval.code()
            );
            assert_eq!(nng_aio_set_iov(aio, 0, std::ptr::null()), 0);
            nng_aio_free(aio);
        }
    }
}
