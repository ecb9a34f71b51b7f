//! Library lifecycle, errors, memory and version: `nng_fini`, `nng_strerror`,
//! `nng_alloc`/`nng_free`, `nng_strdup`/`nng_strfree`, `nng_version`,
//! `nng_init_set_parameter`.
//!
//! Memory handed to C comes from the C allocator (`malloc`), so a caller that
//! wrongly uses `free()` on it still works (reference ABI.md §9).

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CString};

use super::guard;
use super::types::nng_init_parameter;
use crate::core::error::{Error, ESYSERR, ETRANERR};

/// Tears down all global state: closes every socket, stops the library's
/// threads and forgets init parameters. The library starts again lazily on
/// next use. Not thread-safe: no other nng call may run concurrently.
#[no_mangle]
pub extern "C" fn nng_fini() {
    guard(|| {
        crate::runtime::fini();
        crate::core::msg::release_cached();
    })
}

/// Sets a tunable (`NNG_INIT_*`) used when the library next initialises.
/// Unknown parameters are ignored. Call before any other nng function.
#[no_mangle]
pub extern "C" fn nng_init_set_parameter(p: nng_init_parameter, value: u64) {
    guard(|| crate::runtime::set_parameter(p, value))
}

thread_local! {
    /// Where the error texts that are not fixed strings are written. Fixed
    /// in place and only overwritten (like upstream's static buffer), so a
    /// pointer handed out stays readable for the thread's life; it shows
    /// the thread's latest such text.
    static ERRBUF: RefCell<[u8; 128]> = const { RefCell::new([0; 128]) };
}

/// Copies `text` (truncated to fit, NUL-terminated) into this thread's
/// error-text buffer and returns the buffer (see `ERRBUF`).
pub(crate) fn thread_error_text(text: &str) -> *const c_char {
    ERRBUF.with(|b| {
        let mut b = b.borrow_mut();
        let n = text.len().min(b.len() - 1);
        b[..n].copy_from_slice(&text.as_bytes()[..n]);
        b[n] = 0;
        b.as_ptr().cast()
    })
}

/// Returns a static, human-readable message for an error number.
///
/// Known `NNG_E*` numbers give upstream's fixed texts; `NNG_ESYSERR | e`
/// gives the C library's `strerror(e)`; `NNG_ETRANERR | n` gives
/// "Transport error #n"; anything else "Unknown error #n". The latter forms
/// are written into a per-thread buffer that stays in place: the next such
/// call overwrites the text, and no pointer handed out ever dangles.
#[no_mangle]
pub extern "C" fn nng_strerror(num: c_int) -> *const c_char {
    guard(|| {
        if num == 0 {
            return c"Hunky dory".as_ptr();
        }
        if let Some(e) = Error::from_table(num) {
            return static_message_ptr(e);
        }
        let text = if num & ESYSERR != 0 {
            sys_strerror(num & !ESYSERR)
        } else if num & ETRANERR != 0 {
            format!("Transport error #{}", num & !ETRANERR)
        } else {
            format!("Unknown error #{num}")
        };
        thread_error_text(&text)
    })
}

fn static_message_ptr(e: Error) -> *const c_char {
    // NUL-terminated copies of the table texts, made once.
    static MESSAGES: std::sync::OnceLock<Vec<(Error, CString)>> = std::sync::OnceLock::new();
    let all = MESSAGES.get_or_init(|| {
        (1..=31)
            .chain([1000])
            .filter_map(Error::from_table)
            .filter_map(|e| Some((e, CString::new(e.static_message()?).ok()?)))
            .collect()
    });
    all.iter()
        .find(|(k, _)| *k == e)
        .map_or(c"Unknown error".as_ptr(), |(_, s)| s.as_ptr())
}

fn sys_strerror(e: i32) -> String {
    let mut buf = [0 as c_char; 256];
    // SAFETY: buf is writable for its length; the GNU `strerror_r` returns a
    // pointer to a NUL-terminated string (in buf or static) that we copy at once.
    let p = unsafe { libc::strerror_r(e, buf.as_mut_ptr(), buf.len()) };
    if p != 0 {
        return format!("Unknown error {e}");
    }
    // SAFETY: strerror_r (XSI) succeeded, so buf holds a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// Returns the library version, "1.12.0". The string is static.
#[no_mangle]
pub extern "C" fn nng_version() -> *const c_char {
    c"1.12.0".as_ptr()
}

/// Allocates `size` bytes for use with `NNG_FLAG_ALLOC` and `nng_free`.
/// Returns NULL on failure, and for a size of 0 (as upstream). The memory
/// is not initialised.
#[no_mangle]
pub extern "C" fn nng_alloc(size: usize) -> *mut c_void {
    if size == 0 {
        return std::ptr::null_mut();
    }
    // SAFETY: malloc has no preconditions.
    guard(|| unsafe { libc::malloc(size) })
}

/// Frees memory from `nng_alloc` (or an `NNG_FLAG_ALLOC` receive). The size is
/// ignored. NULL is a no-op.
///
/// # Safety
///
/// `ptr` is NULL or came from `nng_alloc`/an nng allocation and is not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_free(ptr: *mut c_void, _size: usize) {
    // SAFETY: per the contract, ptr is NULL or came from malloc via nng_alloc.
    unsafe { libc::free(ptr) }
}

/// Duplicates a C string into memory from `nng_alloc`; free it with
/// `nng_strfree`. Returns NULL if `src` is NULL or memory is short.
///
/// # Safety
///
/// `src` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_strdup(src: *const c_char) -> *mut c_char {
    guard(|| {
        // SAFETY: per the contract src is NULL or NUL-terminated.
        match unsafe { super::cstr(src) } {
            Ok(s) => alloc_copy(s.to_bytes(), true).cast(),
            Err(_) => std::ptr::null_mut(),
        }
    })
}

/// Frees a string from `nng_strdup` or any `*_get_string` call. NULL is a no-op.
///
/// # Safety
///
/// `s` is NULL or a string allocated by this library, not used again.
#[no_mangle]
pub unsafe extern "C" fn nng_strfree(s: *mut c_char) {
    // SAFETY: per the contract, s is NULL or came from malloc in this library.
    unsafe { libc::free(s.cast()) }
}

/// Copies `data` into a fresh `malloc` block (with a trailing NUL if asked),
/// for memory that C releases with `nng_free`/`nng_strfree`. NULL on failure.
pub fn alloc_copy(data: &[u8], nul: bool) -> *mut c_void {
    let len = data.len() + usize::from(nul);
    // SAFETY: malloc has no preconditions; we ask for at least one byte.
    let p = unsafe { libc::malloc(len.max(1)) }.cast::<u8>();
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: p is a fresh block of at least `len` bytes, disjoint from data.
    unsafe {
        std::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len());
        if nul {
            *p.add(data.len()) = 0;
        }
    }
    p.cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn err(n: c_int) -> String {
        // SAFETY: nng_strerror returns a valid NUL-terminated string.
        unsafe { CStr::from_ptr(nng_strerror(n)) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn strerror_matches_upstream() {
        assert_eq!(err(0), "Hunky dory");
        assert_eq!(err(7), "Object closed");
        assert_eq!(err(1000), "Internal error detected");
        assert_eq!(err(32), "Unknown error #32");
        assert_eq!(err(0x2000_0005), "Transport error #5");
        assert_eq!(err(0x1000_0002), "No such file or directory");
    }

    #[test]
    fn strerror_texts_share_one_buffer_that_is_never_freed() {
        let first = nng_strerror(999);
        let second = nng_strerror(0x2000_0001);
        // The same storage, overwritten in place: the first pointer still
        // reads a valid string (the latest text), never freed memory.
        assert_eq!(first, second);
        // SAFETY: both point at this thread's NUL-terminated buffer.
        let text = unsafe { CStr::from_ptr(first) };
        assert_eq!(text.to_bytes(), b"Transport error #1");
        assert_eq!(err(1001), "Unknown error #1001");
    }

    #[test]
    fn alloc_of_nothing_is_null_and_free_takes_it() {
        assert!(nng_alloc(0).is_null());
        let p = nng_alloc(16);
        assert!(!p.is_null());
        // SAFETY: NULL, and a block from nng_alloc used no more.
        unsafe {
            nng_free(std::ptr::null_mut(), 0);
            nng_free(p, 16);
        }
    }

    #[test]
    fn strdup_copies_and_null_is_null() {
        // SAFETY: a literal C string; result freed with nng_strfree.
        unsafe {
            let p = nng_strdup(c"abc".as_ptr());
            assert_eq!(CStr::from_ptr(p).to_bytes(), b"abc");
            nng_strfree(p);
            assert!(nng_strdup(std::ptr::null()).is_null());
        }
    }
}
