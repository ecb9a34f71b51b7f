//! C API: messages (`nng_msg_*`). PLACEHOLDER: only the conversion helpers
//! other ffi modules use; the msg work fills in every `nng_msg_*` function.

use super::types::nng_msg;
use crate::core::msg::Msg;

/// Hands a message to C as an `nng_msg *` (C now owns it).
pub fn msg_into_c(m: Msg) -> *mut nng_msg {
    Box::into_raw(Box::new(m)).cast()
}

/// Takes a message back from C; `None` for NULL.
///
/// # Safety
///
/// `p` is NULL or an `nng_msg *` from [`msg_into_c`] that C gives up.
pub unsafe fn msg_from_c(p: *mut nng_msg) -> Option<Msg> {
    if p.is_null() {
        return None;
    }
    // SAFETY: per the contract p came from Box::into_raw in msg_into_c.
    Some(*unsafe { Box::from_raw(p.cast::<Msg>()) })
}

/// Borrows the message behind an `nng_msg *`; `None` for NULL.
///
/// # Safety
///
/// `p` is NULL or a live `nng_msg *` from [`msg_into_c`], not aliased for `'a`.
pub unsafe fn msg_mut<'a>(p: *mut nng_msg) -> Option<&'a mut Msg> {
    // SAFETY: per the contract p is NULL or a live, unaliased Msg.
    unsafe { p.cast::<Msg>().as_mut() }
}
