//! C API: TLS configuration (`<nng/supplemental/tls/tls.h>`).
//!
//! Declares upstream 1.12's complete TLS surface with its exact prototypes.
//! There is no TLS engine yet (the rustls engine comes in a later change), so
//! the library behaves as upstream built without TLS: every configuration
//! call returns `NNG_ENOTSUP` once its required pointers are checked
//! (NULL gives `NNG_EINVAL`), `nng_tls_engine_name` is "none" and
//! `nng_tls_engine_description` is "".
//!
//! The enum types are declared for the header, but C may pass any `int` in
//! an enum-typed parameter, and an out-of-range value in a Rust enum is
//! undefined behaviour. So the functions receive plain `c_int`s through the
//! aliases in [`abi`], which the header generator does not read: the header
//! shows the enum's C name, Rust sees an `int` and validates it.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

use super::guard_rc;
use crate::core::error::Error;

/// The `int`s that C passes in enum-typed parameters (see the module docs).
///
/// cbindgen:ignore
pub mod abi {
    use std::ffi::c_int;

    /// `nng_tls_mode` as passed by C.
    pub type nng_tls_mode = c_int;
    /// `nng_tls_auth_mode` as passed by C.
    pub type nng_tls_auth_mode = c_int;
    /// `nng_tls_version` as passed by C.
    pub type nng_tls_version = c_int;
}

/// A TLS configuration, shared by reference count between the objects that
/// use it. Once in use by a dialer, listener or server it cannot change.
pub struct nng_tls_config {
    _private: [u8; 0],
}

/// Whether a TLS configuration is for the client or the server side.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_tls_mode {
    /// Client (dialer) side.
    NNG_TLS_MODE_CLIENT = 0,
    /// Server (listener) side.
    NNG_TLS_MODE_SERVER = 1,
}

impl nng_tls_mode {
    /// The mode for a C value, `None` if out of range.
    pub fn from_c(v: c_int) -> Option<Self> {
        match v {
            0 => Some(Self::NNG_TLS_MODE_CLIENT),
            1 => Some(Self::NNG_TLS_MODE_SERVER),
            _ => None,
        }
    }
}

/// How a peer is authenticated.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_tls_auth_mode {
    /// No verification is performed (server default).
    NNG_TLS_AUTH_MODE_NONE = 0,
    /// Verify the peer's certificate if it presents one.
    NNG_TLS_AUTH_MODE_OPTIONAL = 1,
    /// Require a valid peer certificate (client default).
    NNG_TLS_AUTH_MODE_REQUIRED = 2,
}

impl nng_tls_auth_mode {
    /// The mode for a C value, `None` if out of range.
    pub fn from_c(v: c_int) -> Option<Self> {
        match v {
            0 => Some(Self::NNG_TLS_AUTH_MODE_NONE),
            1 => Some(Self::NNG_TLS_AUTH_MODE_OPTIONAL),
            2 => Some(Self::NNG_TLS_AUTH_MODE_REQUIRED),
            _ => None,
        }
    }
}

/// TLS protocol versions: major number in the high byte, minor in the low.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum nng_tls_version {
    /// TLS 1.0 (insecure; never negotiated).
    NNG_TLS_1_0 = 0x301,
    /// TLS 1.1 (insecure; never negotiated).
    NNG_TLS_1_1 = 0x302,
    /// TLS 1.2 (the default minimum).
    NNG_TLS_1_2 = 0x303,
    /// TLS 1.3 (the default maximum).
    NNG_TLS_1_3 = 0x304,
}

impl nng_tls_version {
    /// The version for a C value, `None` if out of range.
    pub fn from_c(v: c_int) -> Option<Self> {
        match v {
            0x301 => Some(Self::NNG_TLS_1_0),
            0x302 => Some(Self::NNG_TLS_1_1),
            0x303 => Some(Self::NNG_TLS_1_2),
            0x304 => Some(Self::NNG_TLS_1_3),
            _ => None,
        }
    }
}

/// `Err(NNG_EINVAL)` for a NULL required pointer (shared with the other
/// supplemental stubs).
pub(crate) fn need<T>(p: *const T) -> Result<(), Error> {
    if p.is_null() {
        Err(Error::Inval)
    } else {
        Ok(())
    }
}

/// Creates a TLS configuration for client or server `mode`, holding one
/// reference, and stores it in `*cfgp`; release it with `nng_tls_config_free`.
/// Defaults: clients require and verify the server's certificate, servers do
/// not authenticate clients, TLS 1.2 to 1.3.
/// Returns NNG_EINVAL if `cfgp` is NULL, NNG_ENOTSUP (this build has no TLS
/// engine yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_alloc(
    cfgp: *mut *mut nng_tls_config,
    mode: abi::nng_tls_mode,
) -> c_int {
    guard_rc(|| {
        need(cfgp)?;
        let _ = mode;
        Err(Error::NotSup)
    })
}

/// Adds a reference to `cfg`; drop it with `nng_tls_config_free`.
/// NULL is ignored. Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_hold(cfg: *mut nng_tls_config) {
    // No configuration can exist until a TLS engine is built in.
    let _ = cfg;
}

/// Drops a reference to `cfg`, destroying it when none remain.
/// NULL is ignored. Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_free(cfg: *mut nng_tls_config) {
    // No configuration can exist until a TLS engine is built in.
    let _ = cfg;
}

/// Sets the server name: clients check the server's certificate against it
/// and send it as SNI. The string is copied.
/// Returns NNG_EINVAL if `cfg` or `name` is NULL, NNG_EBUSY once the
/// configuration is in use, NNG_ENOTSUP (no TLS engine). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_server_name(
    cfg: *mut nng_tls_config,
    name: *const c_char,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(name)?;
        Err(Error::NotSup)
    })
}

/// Adds CA certificates (PEM, possibly several concatenated) used to verify
/// peers, with an optional PEM revocation list `crl` (may be NULL).
/// Returns NNG_EINVAL if `cfg` or `certs` is NULL, NNG_EBUSY once in use,
/// NNG_ECRYPTO for bad PEM, NNG_ENOTSUP (no TLS engine). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_ca_chain(
    cfg: *mut nng_tls_config,
    certs: *const c_char,
    crl: *const c_char,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(certs)?;
        let _ = crl;
        Err(Error::NotSup)
    })
}

/// Sets this side's certificate chain and private key (PEM strings), with
/// an optional password `pass` (may be NULL) for an encrypted key. Servers
/// may call it more than once (one key per algorithm).
/// Returns NNG_EINVAL if `cfg`, `cert` or `key` is NULL, NNG_EBUSY once in
/// use, NNG_ECRYPTO for bad PEM, NNG_ENOTSUP (no TLS engine). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_own_cert(
    cfg: *mut nng_tls_config,
    cert: *const c_char,
    key: *const c_char,
    pass: *const c_char,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(cert)?;
        need(key)?;
        let _ = pass;
        Err(Error::NotSup)
    })
}

/// Declared by upstream but never implemented with a TLS engine (use
/// `nng_tls_config_own_cert`). Returns NNG_EINVAL if `cfg` is NULL, else
/// NNG_ENOTSUP. Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_key(
    cfg: *mut nng_tls_config,
    key: *const u8,
    size: usize,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        let _ = (key, size);
        Err(Error::NotSup)
    })
}

/// Declared by upstream but never implemented with a TLS engine (pass the
/// password to `nng_tls_config_own_cert`). Returns NNG_EINVAL if `cfg` is
/// NULL, else NNG_ENOTSUP. Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_pass(cfg: *mut nng_tls_config, pass: *const c_char) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        let _ = pass;
        Err(Error::NotSup)
    })
}

/// Sets how the peer is authenticated (`NNG_TLS_AUTH_MODE_*`).
/// Returns NNG_EINVAL if `cfg` is NULL, NNG_EBUSY once in use, NNG_ENOTSUP
/// (no TLS engine). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_auth_mode(
    cfg: *mut nng_tls_config,
    mode: abi::nng_tls_auth_mode,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        let _ = mode;
        Err(Error::NotSup)
    })
}

/// Loads CA certificates (and an optional CRL) from the PEM file at `path`.
/// Returns NNG_EINVAL if `cfg` or `path` is NULL, NNG_ENOENT/NNG_EPERM for
/// file errors, NNG_EBUSY once in use, NNG_ENOTSUP (no TLS engine).
/// Reads the file synchronously.
#[no_mangle]
pub extern "C" fn nng_tls_config_ca_file(cfg: *mut nng_tls_config, path: *const c_char) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(path)?;
        Err(Error::NotSup)
    })
}

/// Loads this side's certificate and private key, both PEM blocks in the
/// file at `path`, with an optional key password `pass` (may be NULL).
/// Returns NNG_EINVAL if `cfg` or `path` is NULL, NNG_ENOENT/NNG_EPERM for
/// file errors, NNG_EBUSY once in use, NNG_ENOTSUP (no TLS engine).
/// Reads the file synchronously.
#[no_mangle]
pub extern "C" fn nng_tls_config_cert_key_file(
    cfg: *mut nng_tls_config,
    path: *const c_char,
    pass: *const c_char,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(path)?;
        let _ = pass;
        Err(Error::NotSup)
    })
}

/// Adds a pre-shared key: an `identity` string and `len` key bytes (both
/// copied). Clients take one; servers may take several.
/// Returns NNG_EINVAL if `cfg` or `identity` is NULL or `key` is NULL with
/// a non-zero `len`, NNG_EBUSY once in use, NNG_ENOTSUP (no TLS engine).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_psk(
    cfg: *mut nng_tls_config,
    identity: *const c_char,
    key: *const u8,
    len: usize,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        need(identity)?;
        if len > 0 {
            need(key)?;
        }
        Err(Error::NotSup)
    })
}

/// Restricts the negotiated protocol to versions `min_ver`..=`max_ver`.
/// Returns NNG_EINVAL if `cfg` is NULL, NNG_ENOTSUP if the engine supports
/// no version in the range (and always, until a TLS engine is built in),
/// NNG_EBUSY once in use. Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_config_version(
    cfg: *mut nng_tls_config,
    min_ver: abi::nng_tls_version,
    max_ver: abi::nng_tls_version,
) -> c_int {
    guard_rc(|| {
        need(cfg)?;
        let _ = (min_ver, max_ver);
        Err(Error::NotSup)
    })
}

/// Returns the name of the TLS engine, "none" when there is none (as now).
/// The string is static.
#[no_mangle]
pub extern "C" fn nng_tls_engine_name() -> *const c_char {
    c"none".as_ptr()
}

/// Returns a description of the TLS engine, "" when there is none (as now).
/// The string is static.
#[no_mangle]
pub extern "C" fn nng_tls_engine_description() -> *const c_char {
    c"".as_ptr()
}

/// Returns true if the TLS engine runs in FIPS 140-2 mode (false: no engine).
#[no_mangle]
pub extern "C" fn nng_tls_engine_fips_mode() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr::{null, null_mut};

    #[test]
    fn config_alloc_is_not_supported_without_engine() {
        let mut cfg = null_mut();
        assert_eq!(nng_tls_config_alloc(&mut cfg, 0), Error::NotSup.code());
        assert!(cfg.is_null());
        assert_eq!(nng_tls_config_alloc(null_mut(), 1), Error::Inval.code());
    }

    #[test]
    fn setters_check_null_then_report_not_supported() {
        let fake = std::ptr::NonNull::<nng_tls_config>::dangling().as_ptr();
        assert_eq!(nng_tls_config_server_name(null_mut(), c"x".as_ptr()), 3);
        assert_eq!(nng_tls_config_server_name(fake, null()), 3);
        assert_eq!(nng_tls_config_server_name(fake, c"x".as_ptr()), 9);
        assert_eq!(nng_tls_config_psk(fake, c"id".as_ptr(), null(), 4), 3);
        assert_eq!(nng_tls_config_psk(fake, c"id".as_ptr(), null(), 0), 9);
        assert_eq!(nng_tls_config_version(fake, 0x303, 0x304), 9);
        assert_eq!(nng_tls_config_key(null_mut(), null(), 0), 3);
        assert_eq!(nng_tls_config_pass(fake, null()), 9);
        nng_tls_config_hold(null_mut());
        nng_tls_config_free(null_mut());
    }

    #[test]
    fn engine_identity_without_engine() {
        // SAFETY: the functions return static NUL-terminated strings.
        let (name, desc) = unsafe {
            (
                CStr::from_ptr(nng_tls_engine_name()),
                CStr::from_ptr(nng_tls_engine_description()),
            )
        };
        assert_eq!(name.to_bytes(), b"none");
        assert_eq!(desc.to_bytes(), b"");
        assert!(!nng_tls_engine_fips_mode());
    }

    #[test]
    fn enum_values_match_upstream() {
        assert_eq!(
            nng_tls_mode::from_c(1),
            Some(nng_tls_mode::NNG_TLS_MODE_SERVER)
        );
        assert_eq!(nng_tls_mode::from_c(2), None);
        assert_eq!(nng_tls_auth_mode::NNG_TLS_AUTH_MODE_REQUIRED as c_int, 2);
        assert_eq!(nng_tls_auth_mode::from_c(-1), None);
        assert_eq!(nng_tls_version::NNG_TLS_1_3 as c_int, 0x304);
        assert_eq!(
            nng_tls_version::from_c(0x303),
            Some(nng_tls_version::NNG_TLS_1_2)
        );
        assert_eq!(nng_tls_version::from_c(0x300), None);
    }
}
