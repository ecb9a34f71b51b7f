//! C API: TLS configuration (`<nng/supplemental/tls/tls.h>`).
//!
//! Upstream 1.12's complete TLS surface with its exact prototypes, on the
//! rustls engine in [`crate::supplemental::tls`]. A `nng_tls_config *` is
//! the pointer of an `Arc<Config>` (`Arc::into_raw`): `nng_tls_config_hold`
//! and `nng_tls_config_free` move its strong count. Not supported
//! (`NNG_ENOTSUP`): pre-shared keys, keys in OpenSSL's legacy encrypted
//! PEM form (encrypted PKCS#8 keys work), TLS < 1.2,
//! and `nng_tls_config_key`/`nng_tls_config_pass` (never implemented by
//! upstream's engines either).
//!
//! The enum types are declared for the header, but C may pass any `int` in
//! an enum-typed parameter, and an out-of-range value in a Rust enum is
//! undefined behaviour. So the functions receive plain `c_int`s through the
//! aliases in [`abi`], which the header generator does not read: the header
//! shows the enum's C name, Rust sees an `int` and validates it.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int};

use std::sync::Arc;

use super::{cstr, cstr_utf8, guard, guard_rc, out};
use crate::core::error::Error;
use crate::supplemental::tls::{AuthMode, Config, Mode};

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

/// Hands a configuration to C, transferring one strong reference.
pub fn config_into_c(cfg: Arc<Config>) -> *mut nng_tls_config {
    Arc::into_raw(cfg).cast_mut().cast()
}

/// Borrows the configuration behind a C handle; NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// `p` is NULL or a handle from [`config_into_c`] whose reference is still
/// held (not yet released by `nng_tls_config_free`) for `'a`.
pub unsafe fn config_ref<'a>(p: *const nng_tls_config) -> Result<&'a Config, Error> {
    if p.is_null() {
        return Err(Error::Inval);
    }
    // SAFETY: per the contract, `p` came from `Arc::into_raw` of an
    // `Arc<Config>` that is still alive for `'a`.
    Ok(unsafe { &*p.cast::<Config>() })
}

/// Takes a new strong reference to the configuration behind a C handle
/// (for a dialer or listener that keeps it); NULL gives `NNG_EINVAL`.
///
/// # Safety
///
/// As for [`config_ref`].
pub unsafe fn config_clone(p: *const nng_tls_config) -> Result<Arc<Config>, Error> {
    if p.is_null() {
        return Err(Error::Inval);
    }
    let p = p.cast::<Config>();
    // SAFETY: `p` came from `Arc::into_raw` and a reference is held, so the
    // count is at least one while we add ours and rebuild the `Arc`.
    unsafe {
        Arc::increment_strong_count(p);
        Ok(Arc::from_raw(p))
    }
}

/// Creates a TLS configuration for client or server `mode`, holding one
/// reference, and stores it in `*cfgp`; release it with `nng_tls_config_free`.
/// Defaults: clients require and verify the server's certificate, servers do
/// not authenticate clients, TLS 1.2 to 1.3.
/// Any `mode` other than `NNG_TLS_MODE_SERVER` makes a client
/// configuration, as upstream's engines do. Returns NNG_EINVAL if `cfgp` is
/// NULL. Does not block.
///
/// # Safety
///
/// `cfgp` is NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_alloc(
    cfgp: *mut *mut nng_tls_config,
    mode: abi::nng_tls_mode,
) -> c_int {
    guard_rc(|| {
        need(cfgp)?;
        let mode = match nng_tls_mode::from_c(mode) {
            Some(nng_tls_mode::NNG_TLS_MODE_SERVER) => Mode::Server,
            _ => Mode::Client,
        };
        // SAFETY: `cfgp` is non-NULL and writable per the contract.
        unsafe { out(cfgp, config_into_c(Config::new(mode))) }
    })
}

/// Adds a reference to `cfg`; drop it with `nng_tls_config_free`.
/// NULL is ignored. Does not block.
///
/// # Safety
///
/// `cfg` is NULL or a configuration on which the caller holds a reference.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_hold(cfg: *mut nng_tls_config) {
    if !cfg.is_null() {
        // SAFETY: `cfg` came from `Arc::into_raw` and is alive (a reference
        // is held by the caller).
        unsafe { Arc::increment_strong_count(cfg.cast_const().cast::<Config>()) };
    }
}

/// Drops a reference to `cfg`, destroying it when none remain.
/// NULL is ignored. Does not block.
///
/// # Safety
///
/// `cfg` is NULL or a configuration on which the caller holds a reference,
/// which this call consumes.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_free(cfg: *mut nng_tls_config) {
    if !cfg.is_null() {
        // SAFETY: `cfg` came from `Arc::into_raw`; the caller gives up the
        // reference it holds, so dropping one strong count is balanced.
        // Dropping a `Config` cannot unwind across the boundary: it only
        // frees memory.
        unsafe { Arc::decrement_strong_count(cfg.cast_const().cast::<Config>()) };
    }
}

/// Sets the server name: clients check the server's certificate against it
/// and send it as SNI. The string is copied.
/// Returns NNG_EINVAL if `cfg` or `name` is NULL or `name` is not UTF-8,
/// NNG_EBUSY once the configuration is in use. Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; `name` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_server_name(
    cfg: *mut nng_tls_config,
    name: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let (cfg, name) = unsafe { (config_ref(cfg)?, cstr_utf8(name)?) };
        cfg.set_server_name(name)
    })
}

/// Adds CA certificates (PEM, possibly several concatenated) used to verify
/// peers, with an optional PEM revocation list `crl` (may be NULL).
/// Returns NNG_EINVAL if `cfg` or `certs` is NULL, NNG_EBUSY once in use,
/// NNG_ECRYPTO for bad PEM. Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; `certs`, `crl` NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_ca_chain(
    cfg: *mut nng_tls_config,
    certs: *const c_char,
    crl: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let (cfg, certs) = unsafe { (config_ref(cfg)?, cstr(certs)?) };
        let crl = if crl.is_null() {
            None
        } else {
            // SAFETY: non-NULL C string per the contract.
            Some(unsafe { cstr(crl) }?.to_bytes())
        };
        cfg.add_ca_chain(certs.to_bytes(), crl)
    })
}

/// Sets this side's certificate chain and private key (PEM strings), with
/// an optional password `pass` (may be NULL) for an encrypted key. Servers
/// may call it more than once (one key per algorithm).
/// Returns NNG_EINVAL if `cfg`, `cert` or `key` is NULL, NNG_EBUSY once in
/// use, NNG_ECRYPTO for bad PEM or a missing or wrong password for an
/// encrypted PKCS#8 key, NNG_ENOTSUP for a key in OpenSSL's legacy
/// encrypted PEM form. A key that is not the certificate's is taken, as
/// upstream (handshakes needing it fail). Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; the strings NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_own_cert(
    cfg: *mut nng_tls_config,
    cert: *const c_char,
    key: *const c_char,
    pass: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let (cfg, cert, key) = unsafe { (config_ref(cfg)?, cstr(cert)?, cstr(key)?) };
        let pass = if pass.is_null() {
            None
        } else {
            // SAFETY: non-NULL C string per the contract.
            Some(unsafe { cstr_utf8(pass) }?)
        };
        cfg.add_own_cert(cert.to_bytes(), key.to_bytes(), pass)
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
/// Returns NNG_EINVAL if `cfg` is NULL or `mode` is invalid, NNG_EBUSY once
/// in use. Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_auth_mode(
    cfg: *mut nng_tls_config,
    mode: abi::nng_tls_auth_mode,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let cfg = unsafe { config_ref(cfg) }?;
        cfg.set_auth_mode(AuthMode::from_c(mode).ok_or(Error::Inval)?)
    })
}

/// A path argument as a `Path`.
///
/// # Safety
///
/// `path` is NULL or a C string that outlives `'a`.
unsafe fn path_arg<'a>(path: *const c_char) -> Result<&'a std::path::Path, Error> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: caller's contract.
    let path = unsafe { cstr(path) }?;
    Ok(std::path::Path::new(std::ffi::OsStr::from_bytes(
        path.to_bytes(),
    )))
}

/// Loads CA certificates (and a CRL, if the file holds one) from the PEM
/// file at `path`.
/// Returns NNG_EINVAL if `cfg` or `path` is NULL, NNG_ENOENT/NNG_EPERM for
/// file errors, NNG_ECRYPTO for bad PEM, NNG_EBUSY once in use.
/// Reads the file synchronously.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; `path` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_ca_file(
    cfg: *mut nng_tls_config,
    path: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let cfg = unsafe { config_ref(cfg) }?;
        // SAFETY: caller's contract.
        cfg.load_ca_file(unsafe { path_arg(path) }?)
    })
}

/// Loads this side's certificate and private key, both PEM blocks in the
/// file at `path`, with an optional key password `pass` (may be NULL).
/// Returns NNG_EINVAL if `cfg` or `path` is NULL, NNG_ENOENT/NNG_EPERM for
/// file errors, NNG_ECRYPTO for bad PEM or a missing or wrong password,
/// NNG_ENOTSUP for a legacy-encrypted PEM key, NNG_EBUSY once in use. Reads the file synchronously.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; `path`, `pass` NULL or C strings.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_cert_key_file(
    cfg: *mut nng_tls_config,
    path: *const c_char,
    pass: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let cfg = unsafe { config_ref(cfg) }?;
        // SAFETY: caller's contract.
        let path = unsafe { path_arg(path) }?;
        let pass = if pass.is_null() {
            None
        } else {
            // SAFETY: non-NULL C string per the contract.
            Some(unsafe { cstr_utf8(pass) }?)
        };
        cfg.load_cert_key_file(path, pass)
    })
}

/// Pre-shared keys are not supported by the rustls engine.
/// Returns NNG_EINVAL if `cfg` or `identity` is NULL or `key` is NULL with
/// a non-zero `len`, NNG_EBUSY once in use, else NNG_ENOTSUP.
/// Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`; `identity` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_psk(
    cfg: *mut nng_tls_config,
    identity: *const c_char,
    key: *const u8,
    len: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let cfg = unsafe { config_ref(cfg) }?;
        need(identity)?;
        if len > 0 {
            need(key)?;
        }
        cfg.add_psk("", &[])
    })
}

/// Restricts the negotiated protocol to versions `min_ver`..=`max_ver`.
/// Returns NNG_EINVAL if `cfg` is NULL, NNG_ENOTSUP if `min_ver > max_ver`
/// or either is not TLS 1.2 or 1.3 (older versions are not supported),
/// NNG_EBUSY once in use. Does not block.
///
/// # Safety
///
/// `cfg` as for `nng_tls_config_hold`.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_config_version(
    cfg: *mut nng_tls_config,
    min_ver: abi::nng_tls_version,
    max_ver: abi::nng_tls_version,
) -> c_int {
    guard_rc(|| {
        // SAFETY: caller's contract.
        let cfg = unsafe { config_ref(cfg) }?;
        cfg.set_version(min_ver, max_ver)
    })
}

/// Returns the name of the TLS engine, "rustls". The string is static.
#[no_mangle]
pub extern "C" fn nng_tls_engine_name() -> *const c_char {
    c"rustls".as_ptr()
}

/// Returns a description of the TLS engine. The string is static.
#[no_mangle]
pub extern "C" fn nng_tls_engine_description() -> *const c_char {
    c"rustls 0.23 (ring crypto provider)".as_ptr()
}

/// Returns true if the TLS engine runs in FIPS 140-2 mode (false: the ring
/// provider is not FIPS validated).
#[no_mangle]
pub extern "C" fn nng_tls_engine_fips_mode() -> bool {
    guard(|| false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr::{null, null_mut};

    #[test]
    fn alloc_hold_free_and_bad_arguments() {
        let mut cfg = null_mut();
        // SAFETY: valid out-pointer; the handle is used while held.
        unsafe {
            assert_eq!(nng_tls_config_alloc(null_mut(), 1), Error::Inval.code());
            // Any mode but the server's is a client (upstream).
            assert_eq!(nng_tls_config_alloc(&mut cfg, 2), 0);
            nng_tls_config_free(cfg);
            assert_eq!(nng_tls_config_alloc(&mut cfg, 0), 0);
            assert!(!cfg.is_null());
            nng_tls_config_hold(cfg);
            nng_tls_config_free(cfg);
            assert_eq!(nng_tls_config_server_name(cfg, c"x".as_ptr()), 0);
            assert_eq!(nng_tls_config_server_name(null_mut(), c"x".as_ptr()), 3);
            assert_eq!(nng_tls_config_server_name(cfg, null()), 3);
            assert_eq!(nng_tls_config_psk(cfg, c"id".as_ptr(), null(), 4), 3);
            assert_eq!(nng_tls_config_psk(cfg, c"id".as_ptr(), null(), 0), 9);
            assert_eq!(nng_tls_config_version(cfg, 0x303, 0x304), 0);
            assert_eq!(nng_tls_config_version(cfg, 0x304, 0x303), 9);
            assert_eq!(nng_tls_config_version(cfg, 0x301, 0x304), 9);
            assert_eq!(nng_tls_config_auth_mode(cfg, 3), 3);
            assert_eq!(nng_tls_config_auth_mode(cfg, 1), 0);
            assert_eq!(
                nng_tls_config_ca_chain(cfg, c"junk".as_ptr(), null()),
                Error::Crypto.code()
            );
            assert_eq!(
                nng_tls_config_ca_file(cfg, c"/nonexistent/ca.pem".as_ptr()),
                Error::NoEnt.code()
            );
            assert_eq!(nng_tls_config_key(null_mut(), null(), 0), 3);
            assert_eq!(nng_tls_config_pass(cfg, null()), 9);
            // Using it makes it read-only.
            assert!(config_ref(cfg).unwrap().client().is_ok());
            assert_eq!(nng_tls_config_server_name(cfg, c"y".as_ptr()), 4);
            assert_eq!(nng_tls_config_auth_mode(cfg, 2), 4);
            assert_eq!(nng_tls_config_version(cfg, 0x303, 0x303), 4);
            nng_tls_config_free(cfg);
            nng_tls_config_hold(null_mut());
            nng_tls_config_free(null_mut());
        }
    }

    #[test]
    fn engine_identity() {
        // SAFETY: the functions return static NUL-terminated strings.
        let (name, desc) = unsafe {
            (
                CStr::from_ptr(nng_tls_engine_name()),
                CStr::from_ptr(nng_tls_engine_description()),
            )
        };
        assert_eq!(name.to_bytes(), b"rustls");
        assert!(!desc.to_bytes().is_empty());
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
