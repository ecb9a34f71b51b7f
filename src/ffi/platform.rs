//! C API: platform helpers (`nng_clock`, `nng_msleep`, `nng_random`,
//! `nng_socket_pair`, `nng_thread_*`, `nng_mtx_*`, `nng_cv_*`).
//!
//! `nng_mtx`, `nng_cv` and `nng_thread` are boxed
//! [`RawMutex`]/[`RawCondvar`]/[`Thread`] values (see
//! `supplemental::platform` for why raw POSIX primitives). NULL handles make
//! `int` functions return `NNG_EINVAL` and the others do nothing.

use std::ffi::{c_char, c_int, c_void};

use super::types::{nng_cv, nng_duration, nng_mtx, nng_thread, nng_time};
use super::{cstr, free_c, guard, guard_rc, into_c, out, try_ref, Castable};
use crate::core::error::Error;
use crate::runtime::clock;
use crate::supplemental::platform::{self as plat, RawCondvar, RawMutex, Thread};

// SAFETY: every non-NULL nng_mtx pointer handed to C comes from into_c on a
// Box<RawMutex> (nng_mtx_alloc) and is released only by nng_mtx_free.
unsafe impl Castable for nng_mtx {
    type Rust = RawMutex;
}
// SAFETY: likewise, nng_cv_alloc / nng_cv_free.
unsafe impl Castable for nng_cv {
    type Rust = RawCondvar;
}
// SAFETY: likewise, nng_thread_create / nng_thread_destroy.
unsafe impl Castable for nng_thread {
    type Rust = Thread;
}

/// Returns the current time in milliseconds on a monotonic clock with an
/// arbitrary start (the base of `nng_time` values everywhere in the API).
#[no_mangle]
pub extern "C" fn nng_clock() -> nng_time {
    guard(|| {
        crate::runtime::ensure();
        clock::now_ms()
    })
}

/// Sleeps at least `msec` milliseconds (nothing for 0 or less). Blocks.
#[no_mangle]
pub extern "C" fn nng_msleep(msec: nng_duration) {
    guard(|| {
        crate::runtime::ensure();
        plat::msleep(msec)
    })
}

/// Returns a cryptographically strong 32-bit random number.
#[no_mangle]
pub extern "C" fn nng_random() -> u32 {
    guard(|| {
        crate::runtime::ensure();
        plat::random_u32()
    })
}

/// Creates a connected pair of `AF_UNIX` stream sockets in `fds[0]` and
/// `fds[1]`; the caller closes them. Returns 0, `NNG_EINVAL` (NULL `fds`),
/// or the mapped OS error (e.g. `NNG_ENOFILES`).
///
/// # Safety
///
/// `fds` is NULL or points at two writable `int`s.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_pair(fds: *mut c_int) -> c_int {
    guard_rc(|| {
        if fds.is_null() {
            return Err(Error::Inval);
        }
        let pair = plat::socket_pair()?;
        // SAFETY: fds points at two writable ints per the contract.
        unsafe {
            *fds = pair[0];
            *fds.add(1) = pair[1];
        }
        Ok(())
    })
}

/// Starts a thread running `func(arg)` and stores its handle in `*thrp`;
/// join and release it with `nng_thread_destroy`. A NULL `func` starts no
/// thread but still gives a handle. Returns 0, `NNG_EINVAL` (NULL `thrp`)
/// or `NNG_ENOMEM`.
///
/// # Safety
///
/// `thrp` is NULL or writable; `func`, if not NULL, may be called with `arg`
/// on a new thread.
#[no_mangle]
pub unsafe extern "C" fn nng_thread_create(
    thrp: *mut *mut nng_thread,
    func: Option<unsafe extern "C" fn(*mut c_void)>,
    arg: *mut c_void,
) -> c_int {
    guard_rc(|| {
        if thrp.is_null() {
            return Err(Error::Inval);
        }
        crate::runtime::ensure();
        // SAFETY: the caller's contract on func/arg.
        let t = unsafe { Thread::spawn(func, arg) }?;
        // SAFETY: thrp is non-NULL and writable per the contract.
        unsafe { out(thrp, into_c::<nng_thread>(Box::new(t))) }
    })
}

/// Sets the OS-visible name of a thread (NULL `thr`: the calling thread).
/// Best effort: Linux keeps the first 15 bytes; a NULL `name` does nothing.
///
/// # Safety
///
/// `thr` is NULL or a live handle from `nng_thread_create`; `name` is NULL
/// or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_thread_set_name(thr: *mut nng_thread, name: *const c_char) {
    guard(|| {
        // SAFETY: name is NULL or NUL-terminated per the contract.
        let Ok(name) = (unsafe { cstr(name) }) else {
            return;
        };
        // SAFETY: thr is NULL or a live Thread per the contract.
        match unsafe { try_ref(thr) } {
            Ok(t) => t.set_name(name),
            Err(_) => plat::set_current_thread_name(name),
        }
    })
}

/// Waits for the thread to end, then releases its handle. NULL is a no-op.
/// Blocks.
///
/// # Safety
///
/// `thr` is NULL or a handle from `nng_thread_create`, not used afterwards
/// (and not the calling thread's own).
#[no_mangle]
pub unsafe extern "C" fn nng_thread_destroy(thr: *mut nng_thread) {
    guard(|| {
        // SAFETY: per the contract C gives the handle up.
        if let Some(t) = unsafe { free_c(thr) } {
            t.join();
        }
    })
}

/// Allocates a mutex into `*mpp`. Returns 0, or `NNG_EINVAL` for NULL `mpp`.
///
/// # Safety
///
/// `mpp` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn nng_mtx_alloc(mpp: *mut *mut nng_mtx) -> c_int {
    guard_rc(|| {
        if mpp.is_null() {
            return Err(Error::Inval);
        }
        crate::runtime::ensure();
        // SAFETY: mpp is non-NULL and writable per the contract.
        unsafe { out(mpp, into_c::<nng_mtx>(RawMutex::new())) }
    })
}

/// Frees a mutex (it must be unlocked and have no condition variable still
/// using it). NULL is a no-op.
///
/// # Safety
///
/// `mp` is NULL or from `nng_mtx_alloc`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nng_mtx_free(mp: *mut nng_mtx) {
    // SAFETY: per the contract C gives the mutex up.
    guard(|| drop(unsafe { free_c(mp) }))
}

/// Locks the mutex, blocking. Relocking from the owner aborts the process
/// (upstream does the same). NULL is a no-op.
///
/// # Safety
///
/// `mp` is NULL or a live mutex from `nng_mtx_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_mtx_lock(mp: *mut nng_mtx) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { try_ref(mp) }.map_or((), |m| m.lock()))
}

/// Unlocks the mutex; the caller must hold it (else the process aborts, as
/// upstream). NULL is a no-op.
///
/// # Safety
///
/// `mp` is NULL or a live mutex from `nng_mtx_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_mtx_unlock(mp: *mut nng_mtx) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { try_ref(mp) }.map_or((), |m| m.unlock()))
}

/// Allocates a condition variable bound to `mtx` into `*cvp`. Returns 0, or
/// `NNG_EINVAL` for NULL `cvp` or `mtx`.
///
/// # Safety
///
/// `cvp` is NULL or writable; `mtx` is NULL or a live mutex that outlives
/// the condition variable.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_alloc(cvp: *mut *mut nng_cv, mtx: *mut nng_mtx) -> c_int {
    guard_rc(|| {
        if cvp.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: the caller's contract on mtx.
        let m = unsafe { try_ref(mtx) }?;
        // SAFETY: the caller promises mtx outlives the condition variable.
        let cv = unsafe { RawCondvar::new(m) };
        // SAFETY: cvp is non-NULL and writable per the contract.
        unsafe { out(cvp, into_c::<nng_cv>(cv)) }
    })
}

/// Frees a condition variable (no thread may be waiting on it). NULL is a
/// no-op.
///
/// # Safety
///
/// `cv` is NULL or from `nng_cv_alloc`, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_free(cv: *mut nng_cv) {
    // SAFETY: per the contract C gives the condition variable up.
    guard(|| drop(unsafe { free_c(cv) }))
}

/// Waits until woken; the bound mutex must be held and is held again on
/// return. Spurious wake-ups happen. Blocks. NULL is a no-op.
///
/// # Safety
///
/// `cv` is NULL or a live condition variable whose mutex the caller holds.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_wait(cv: *mut nng_cv) {
    guard(|| {
        // SAFETY: the caller's contract: live cv, its mutex held.
        if let Ok(c) = unsafe { try_ref(cv) } {
            // SAFETY: as above.
            unsafe { c.wait() }
        }
    })
}

/// Waits until woken or until the absolute time `when` (`nng_clock` base);
/// the bound mutex must be held. Returns 0 if woken (possibly spuriously),
/// `NNG_ETIMEDOUT` once `when` passed, `NNG_EAGAIN` at once for `when` = 0,
/// `NNG_EINVAL` for NULL. Blocks.
///
/// # Safety
///
/// `cv` is NULL or a live condition variable whose mutex the caller holds.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_until(cv: *mut nng_cv, when: nng_time) -> c_int {
    guard_rc(|| {
        // SAFETY: the caller's contract: live cv, its mutex held.
        let c = unsafe { try_ref(cv) }?;
        // SAFETY: as above.
        unsafe { c.until(when) }
    })
}

/// Wakes every thread waiting on the condition variable. NULL is a no-op.
///
/// # Safety
///
/// `cv` is NULL or a live condition variable from `nng_cv_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_wake(cv: *mut nng_cv) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { try_ref(cv) }.map_or((), |c| c.wake()))
}

/// Wakes one thread waiting on the condition variable. NULL is a no-op.
///
/// # Safety
///
/// `cv` is NULL or a live condition variable from `nng_cv_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_cv_wake1(cv: *mut nng_cv) {
    // SAFETY: the caller's contract.
    guard(|| unsafe { try_ref(cv) }.map_or((), |c| c.wake1()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::null_mut;

    #[test]
    fn null_handles_are_harmless() {
        // SAFETY: every function accepts NULL.
        unsafe {
            assert_eq!(nng_mtx_alloc(null_mut()), Error::Inval.code());
            let mut cv: *mut nng_cv = null_mut();
            assert_eq!(nng_cv_alloc(&mut cv, null_mut()), Error::Inval.code());
            assert!(cv.is_null());
            assert_eq!(nng_cv_until(null_mut(), 1), Error::Inval.code());
            assert_eq!(
                nng_thread_create(null_mut(), None, null_mut()),
                Error::Inval.code()
            );
            assert_eq!(nng_socket_pair(null_mut()), Error::Inval.code());
            nng_mtx_free(null_mut());
            nng_mtx_lock(null_mut());
            nng_mtx_unlock(null_mut());
            nng_cv_free(null_mut());
            nng_cv_wait(null_mut());
            nng_cv_wake(null_mut());
            nng_cv_wake1(null_mut());
            nng_thread_destroy(null_mut());
            nng_thread_set_name(null_mut(), std::ptr::null());
        }
    }

    #[test]
    fn cv_until_special_times() {
        let mut m: *mut nng_mtx = null_mut();
        let mut cv: *mut nng_cv = null_mut();
        // SAFETY: handles are live until freed at the end.
        unsafe {
            assert_eq!(nng_mtx_alloc(&mut m), 0);
            assert_eq!(nng_cv_alloc(&mut cv, m), 0);
            nng_mtx_lock(m);
            assert_eq!(nng_cv_until(cv, 0), Error::Again.code());
            let until = nng_clock() + 5;
            let mut r = nng_cv_until(cv, until);
            while r == 0 && nng_clock() < until {
                r = nng_cv_until(cv, until); // spurious wake-up
            }
            assert_eq!(r, Error::TimedOut.code());
            nng_mtx_unlock(m);
            nng_cv_free(cv);
            nng_mtx_free(m);
        }
    }
}
