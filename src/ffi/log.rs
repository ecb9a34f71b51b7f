//! C API: logging (`nng_log_*`, `nng_*_logger`). Reference API.md §14.
//!
//! The variadic `nng_log_err`, `nng_log_warn`, `nng_log_notice`,
//! `nng_log_info`, `nng_log_debug` and `nng_log_auth` cannot be written in
//! stable Rust: they live in `src/ffi/shim.c`, which asks
//! `rsnng_log_filter` whether to format at all, formats into a 512-byte
//! buffer and hands the text to `rsnng_log_deliver`. Those two helpers are
//! hidden from the shared library (the shim declares them with hidden
//! visibility); `src/ffi/shim.map` exports the C functions, and their
//! prototypes reach `<nng/nng.h>` from the `extern` block below.
//!
//! Logic lives in [`crate::supplemental::log`].

use std::ffi::{c_char, c_int, CStr};
use std::sync::Arc;

use super::guard;
use super::types::{nng_log_facility_c, nng_log_level_c, nng_logger};
use crate::supplemental::log;

// The variadic entry points, defined in shim.c. Declaring them here puts
// their prototypes in <nng/nng.h> (cbindgen writes them as `extern`), and
// naming them in KEEP_SHIM below keeps their object file in every link of the
// crate (cdylib, staticlib, tests). shim.map exports them from libnng.so.
extern "C" {
    /// Logs a printf-style message at `NNG_LOG_ERR` with the current
    /// facility, if the level filter lets it through. `msgid` (a short tag
    /// such as "NNG-CONN-FAIL") may be NULL; the formatted text is cut at
    /// 511 bytes; a NULL `msg` logs nothing. The logger runs in the caller's
    /// thread.
    pub fn nng_log_err(msgid: *const c_char, msg: *const c_char, ...);
    /// As `nng_log_err`, at `NNG_LOG_WARN`.
    pub fn nng_log_warn(msgid: *const c_char, msg: *const c_char, ...);
    /// As `nng_log_err`, at `NNG_LOG_NOTICE`.
    pub fn nng_log_notice(msgid: *const c_char, msg: *const c_char, ...);
    /// As `nng_log_err`, at `NNG_LOG_INFO`.
    pub fn nng_log_info(msgid: *const c_char, msg: *const c_char, ...);
    /// As `nng_log_err`, at `NNG_LOG_DEBUG`.
    pub fn nng_log_debug(msgid: *const c_char, msg: *const c_char, ...);
    /// As `nng_log_err`, at the given `level` and with facility
    /// `NNG_LOG_AUTH` (security messages), whatever the current facility.
    pub fn nng_log_auth(level: nng_log_level_c, msgid: *const c_char, msg: *const c_char, ...);
}

type VarLog = unsafe extern "C" fn(*const c_char, *const c_char, ...);
type VarLogAuth = unsafe extern "C" fn(nng_log_level_c, *const c_char, *const c_char, ...);

#[used]
static KEEP_SHIM: (VarLog, VarLog, VarLog, VarLog, VarLog, VarLogAuth) = (
    nng_log_err,
    nng_log_warn,
    nng_log_notice,
    nng_log_info,
    nng_log_debug,
    nng_log_auth,
);

/// Sets the facility used by `nng_log_err` .. `nng_log_debug` (default
/// `NNG_LOG_USER`). Facility 0 drops every such message. Never blocks.
#[no_mangle]
pub extern "C" fn nng_log_set_facility(facility: nng_log_facility_c) {
    guard(|| log::set_facility(facility))
}

/// Sets the most verbose level that is delivered (default `NNG_LOG_NOTICE`;
/// `NNG_LOG_NONE` disables logging). Never blocks.
#[no_mangle]
pub extern "C" fn nng_log_set_level(level: nng_log_level_c) {
    guard(|| log::set_level(level))
}

/// Returns the current log level.
#[no_mangle]
pub extern "C" fn nng_log_get_level() -> nng_log_level_c {
    guard(log::level)
}

/// Installs the function that receives every delivered message; NULL
/// installs `nng_null_logger`. The logger may be called from any thread,
/// concurrently, and must not block for long. `msgid` may be NULL; both
/// strings are valid only during the call.
#[no_mangle]
pub extern "C" fn nng_log_set_logger(logger: nng_logger) {
    guard(|| {
        let Some(f) = logger else {
            return log::set_logger(None);
        };
        type LoggerFn = unsafe extern "C" fn(c_int, c_int, *const c_char, *const c_char);
        let (null, stderr): (LoggerFn, LoggerFn) = (nng_null_logger, nng_stderr_logger);
        let addr = f as usize;
        if addr == null as usize {
            log::set_logger(None);
        } else if addr == stderr as usize {
            log::set_logger(Some(Arc::new(|l, fac, id: Option<&CStr>, m: &CStr| {
                log::stderr_logger(l, fac, id.map(CStr::to_bytes), m.to_bytes())
            })));
        } else {
            log::set_logger(Some(Arc::new(
                move |l, fac, id: Option<&CStr>, m: &CStr| {
                    let id = id.map_or(std::ptr::null(), CStr::as_ptr);
                    // SAFETY: the application installed `f` as an nng_logger;
                    // both strings are NUL-terminated and live for the call.
                    unsafe { f(l, fac, id, m.as_ptr()) }
                },
            )));
        }
    })
}

/// A logger that discards every message (the default).
#[no_mangle]
pub extern "C" fn nng_null_logger(
    level: nng_log_level_c,
    facility: nng_log_facility_c,
    msgid: *const c_char,
    msg: *const c_char,
) {
    let _ = (level, facility, msgid, msg);
}

/// A logger that writes `[LEVEL ]: HH:MM:SS.mmm: MSGID: message` lines to
/// stderr, in colour when stderr is a terminal with a non-empty `TERM` and
/// neither `NNG_LOG_NO_COLOR` nor `NO_COLOR` is set. `msgid` may be NULL; a
/// NULL `msg` prints nothing.
///
/// # Safety
///
/// `msgid` and `msg` are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn nng_stderr_logger(
    level: nng_log_level_c,
    facility: nng_log_facility_c,
    msgid: *const c_char,
    msg: *const c_char,
) {
    guard(|| {
        // SAFETY: per this function's contract.
        let (Some(id), Ok(m)) = (unsafe { opt_cstr(msgid) }, unsafe { super::cstr(msg) }) else {
            return;
        };
        log::stderr_logger(level, facility, id.map(CStr::to_bytes), m.to_bytes())
    })
}

/// A logger that forwards to syslog(3): `"msgid: msg"` (or `msg` when
/// `msgid` is NULL) at the matching syslog priority and facility. A NULL
/// `msg` logs nothing.
///
/// # Safety
///
/// `msgid` and `msg` are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn nng_system_logger(
    level: nng_log_level_c,
    facility: nng_log_facility_c,
    msgid: *const c_char,
    msg: *const c_char,
) {
    guard(|| {
        // SAFETY: per this function's contract.
        let (Some(id), Ok(m)) = (unsafe { opt_cstr(msgid) }, unsafe { super::cstr(msg) }) else {
            return;
        };
        log::system_logger(level, facility, id, m)
    })
}

/// cbindgen:ignore
///
/// For shim.c: whether a message of `level` is to be formatted. `facility`
/// -1 stands for the current facility. Returns the facility to deliver
/// with, or 0 to drop the message. Not exported (hidden in shim.c).
#[no_mangle]
extern "C" fn rsnng_log_filter(level: c_int, facility: c_int) -> c_int {
    guard(|| {
        let facility = if facility < 0 {
            log::facility()
        } else {
            facility
        };
        if log::enabled(level, facility) {
            facility
        } else {
            0
        }
    })
}

/// cbindgen:ignore
///
/// For shim.c: delivers a formatted message. Not exported.
///
/// # Safety
///
/// `msgid` is NULL or NUL-terminated; `msg` is NUL-terminated.
#[no_mangle]
unsafe extern "C" fn rsnng_log_deliver(
    level: c_int,
    facility: c_int,
    msgid: *const c_char,
    msg: *const c_char,
) {
    guard(|| {
        // SAFETY: per this function's contract.
        let (Some(id), Ok(m)) = (unsafe { opt_cstr(msgid) }, unsafe { super::cstr(msg) }) else {
            return;
        };
        log::deliver(level, facility, id, m)
    })
}

/// `Some(None)` for NULL, `Some(Some(s))` for a string. (Never `None`; the
/// shape lets callers destructure it together with a required string.)
///
/// # Safety
///
/// `p` is NULL or NUL-terminated and outlives `'a`.
unsafe fn opt_cstr<'a>(p: *const c_char) -> Option<Option<&'a CStr>> {
    if p.is_null() {
        Some(None)
    } else {
        // SAFETY: non-NULL and NUL-terminated per the contract.
        Some(Some(unsafe { CStr::from_ptr(p) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    type Entry = (i32, i32, Option<String>, String);
    static SEEN: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

    unsafe extern "C" fn record(l: c_int, f: c_int, id: *const c_char, m: *const c_char) {
        // SAFETY: the library passes NULL or valid strings.
        let id = unsafe { opt_cstr(id) }
            .flatten()
            .map(|s| s.to_string_lossy().into_owned());
        // SAFETY: as above; msg is never NULL.
        let m = unsafe { CStr::from_ptr(m) }.to_string_lossy().into_owned();
        SEEN.lock().unwrap().push((l, f, id, m));
    }

    #[test]
    fn variadic_shim_formats_and_filters() {
        let _serial = log::TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let long = std::ffi::CString::new("x".repeat(600)).unwrap();
        nng_log_set_logger(Some(record));
        nng_log_set_facility(1);
        nng_log_set_level(4);
        assert_eq!(nng_log_get_level(), 4);
        // SAFETY: format strings match their arguments.
        unsafe {
            nng_log_err(
                c"E1".as_ptr(),
                c"n=%d s=%s".as_ptr(),
                42 as c_int,
                c"str".as_ptr(),
            );
            nng_log_info(c"I".as_ptr(), c"filtered".as_ptr());
            nng_log_warn(std::ptr::null(), c"%05.1f".as_ptr(), 2.5f64);
            nng_log_auth(3, c"AU".as_ptr(), c"%c".as_ptr(), b'x' as c_int);
            nng_log_set_level(7);
            nng_log_debug(c"D".as_ptr(), c"%s".as_ptr(), long.as_ptr());
            nng_log_notice(c"N".as_ptr(), std::ptr::null());
        }
        nng_log_set_logger(None);
        nng_log_set_level(5);
        let seen = SEEN.lock().unwrap();
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[0], (3, 1, Some("E1".into()), "n=42 s=str".into()));
        assert_eq!(seen[1], (4, 1, None, "002.5".into()));
        assert_eq!(seen[2], (3, 10, Some("AU".into()), "x".into()));
        assert_eq!(seen[3].3.len(), 511);
    }
}
