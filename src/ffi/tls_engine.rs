//! C API: the pluggable TLS engine interface (`<nng/supplemental/tls/engine.h>`).
//!
//! The three vtable structs are ABI: their layouts match upstream 1.12 (engine
//! ABI version 2) exactly, checked by the `const` assertions at the bottom
//! (reference ABI.md §3.9). `enum nng_tls_engine_version` has two names for
//! one value (`NNG_TLS_ENGINE_VERSION` = `NNG_TLS_ENGINE_V2`), which a Rust
//! enum cannot say, so the header takes it from
//! `tools/headers/text/tls_engine_prelude.h` and Rust uses the constants in
//! [`abi`]. Enum-typed fields and parameters are plain `c_int`s on the Rust
//! side for the reason given in [`super::tls`].
//!
//! There is no TLS framework yet: registering an engine and the engine's
//! I/O callbacks return `NNG_ENOTSUP` after checking their arguments.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void};

use super::guard_rc;
use super::tls::abi::{nng_tls_auth_mode, nng_tls_mode, nng_tls_version};
use crate::core::error::Error;

/// The engine version `int` and its values (the header has them as an enum).
///
/// cbindgen:ignore
pub mod abi {
    use std::ffi::c_int;

    /// `nng_tls_engine_version` as stored by C.
    pub type nng_tls_engine_version = c_int;
    /// No engine interface.
    pub const NNG_TLS_ENGINE_V0: c_int = 0;
    /// Engine ABI of nng 1.5 (FIPS and TLS 1.3 support).
    pub const NNG_TLS_ENGINE_V1: c_int = 1;
    /// Engine ABI of nng 1.9 and later (adds PSK, peer names).
    pub const NNG_TLS_ENGINE_V2: c_int = 2;
    /// The only version `nng_tls_engine_register` accepts.
    pub const NNG_TLS_ENGINE_VERSION: c_int = NNG_TLS_ENGINE_V2;
}

/// An engine's private per-connection state (defined by the engine).
pub struct nng_tls_engine_conn {
    _private: [u8; 0],
}

/// An engine's private per-configuration state (defined by the engine).
pub struct nng_tls_engine_config {
    _private: [u8; 0],
}

/// Operations on TLS connections, supplied by an engine. The framework
/// allocates `size` zeroed, naturally aligned bytes of connection state and
/// calls these from its own threads with the connection's lock held.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nng_tls_engine_conn_ops_s {
    /// Bytes of per-connection state to allocate (usually
    /// `sizeof (struct nng_tls_engine_conn)`).
    pub size: usize,
    /// Initialises a connection: (state, framework context to pass to
    /// `nng_tls_engine_send`/`recv`, configuration). 0 or an nng error.
    pub init: Option<
        unsafe extern "C" fn(
            *mut nng_tls_engine_conn,
            *mut c_void,
            *mut nng_tls_engine_config,
        ) -> c_int,
    >,
    /// Destroys a fully initialised connection; nothing else uses it.
    pub fini: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn)>,
    /// Closes the connection (may send close-notify) without freeing it.
    pub close: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn)>,
    /// Advances the handshake: 0 when done, NNG_EAGAIN if it needs
    /// underlying I/O first, else an error.
    pub handshake: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn) -> c_int>,
    /// Reads decrypted data; `*len` is in/out. 0, NNG_EAGAIN or an error.
    pub recv: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn, *mut u8, *mut usize) -> c_int>,
    /// Writes data to encrypt; `*len` is in/out. 0, NNG_EAGAIN or an error.
    pub send:
        Option<unsafe extern "C" fn(*mut nng_tls_engine_conn, *const u8, *mut usize) -> c_int>,
    /// True if the peer has been verified.
    pub verified: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn) -> bool>,
    /// The peer's common name, `malloc`ed (the caller frees it), or NULL.
    pub peer_cn: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn) -> *mut c_char>,
    /// The peer's subject alternative names: a NULL-terminated `malloc`ed
    /// array of `malloc`ed strings (the caller frees each, then the array).
    pub peer_alt_names: Option<unsafe extern "C" fn(*mut nng_tls_engine_conn) -> *mut *mut c_char>,
}
/// Operations on TLS connections, supplied by an engine.
pub type nng_tls_engine_conn_ops = nng_tls_engine_conn_ops_s;

/// Operations on TLS configurations, supplied by an engine. The framework
/// allocates `size` zeroed, 8-aligned bytes of configuration state.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nng_tls_engine_config_ops_s {
    /// Bytes of per-configuration state to allocate.
    pub size: usize,
    /// Initialises a configuration for client or server mode. 0 or an error.
    pub init: Option<unsafe extern "C" fn(*mut nng_tls_engine_config, nng_tls_mode) -> c_int>,
    /// Destroys an initialised configuration.
    pub fini: Option<unsafe extern "C" fn(*mut nng_tls_engine_config)>,
    /// Sets the server name (SNI, and the name clients verify).
    pub server: Option<unsafe extern "C" fn(*mut nng_tls_engine_config, *const c_char) -> c_int>,
    /// Sets the peer authentication mode.
    pub auth: Option<unsafe extern "C" fn(*mut nng_tls_engine_config, nng_tls_auth_mode) -> c_int>,
    /// Adds CA certificates (PEM) and an optional CRL (PEM or NULL).
    pub ca_chain: Option<
        unsafe extern "C" fn(*mut nng_tls_engine_config, *const c_char, *const c_char) -> c_int,
    >,
    /// Sets our certificate, private key and optional key password (PEM).
    pub own_cert: Option<
        unsafe extern "C" fn(
            *mut nng_tls_engine_config,
            *const c_char,
            *const c_char,
            *const c_char,
        ) -> c_int,
    >,
    /// Adds a PSK identity and key.
    pub psk: Option<
        unsafe extern "C" fn(*mut nng_tls_engine_config, *const c_char, *const u8, usize) -> c_int,
    >,
    /// Restricts the protocol versions to [min, max]; NNG_ENOTSUP if none fit.
    pub version: Option<
        unsafe extern "C" fn(*mut nng_tls_engine_config, nng_tls_version, nng_tls_version) -> c_int,
    >,
}
/// Operations on TLS configurations, supplied by an engine.
pub type nng_tls_engine_config_ops = nng_tls_engine_config_ops_s;

/// A TLS engine: its version, operation tables and identity.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nng_tls_engine_s {
    /// Must be `NNG_TLS_ENGINE_VERSION`, else registration fails.
    pub version: abi::nng_tls_engine_version,
    /// Operations on configurations.
    pub config_ops: *mut nng_tls_engine_config_ops,
    /// Operations on connections.
    pub conn_ops: *mut nng_tls_engine_conn_ops,
    /// Engine name, e.g. "wolfSSL" (a version may be appended).
    pub name: *const c_char,
    /// Human-readable description, e.g. "mbed TLS v2.7".
    pub description: *const c_char,
    /// True if the engine runs in FIPS mode (fixed at registration).
    pub fips_mode: bool,
}
/// A TLS engine: its version, operation tables and identity.
pub type nng_tls_engine = nng_tls_engine_s;

/// Installs `engine` as the library's TLS engine; the engine and its tables
/// must stay valid until the library is finished.
/// Returns NNG_EINVAL if `engine` is NULL, NNG_ENOTSUP if its version is not
/// `NNG_TLS_ENGINE_VERSION` (and, for now, always: this build has no TLS
/// framework to plug an engine into). Does not block.
///
/// # Safety
///
/// `engine` is NULL or points at a valid `nng_tls_engine`.
#[no_mangle]
pub unsafe extern "C" fn nng_tls_engine_register(engine: *const nng_tls_engine) -> c_int {
    guard_rc(|| {
        // SAFETY: per the contract engine is NULL or valid for reads.
        let engine = unsafe { engine.as_ref() }.ok_or(Error::Inval)?;
        if engine.version != abi::NNG_TLS_ENGINE_VERSION {
            return Err(Error::NotSup);
        }
        Err(Error::NotSup)
    })
}

/// Called by an engine to write ciphertext to the underlying connection.
/// `arg` is the context the framework passed to the engine's `init`; `*szp`
/// holds the bytes offered and, on success, the bytes taken.
/// Returns 0, NNG_EAGAIN when the transport cannot take more yet,
/// NNG_ECLOSED, NNG_EINVAL for NULL arguments, or NNG_ENOTSUP (no TLS
/// framework yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_engine_send(arg: *mut c_void, buf: *const u8, szp: *mut usize) -> c_int {
    guard_rc(|| {
        if arg.is_null() || buf.is_null() || szp.is_null() {
            return Err(Error::Inval);
        }
        Err(Error::NotSup)
    })
}

/// Called by an engine to read ciphertext from the underlying connection.
/// `arg` is the context the framework passed to the engine's `init`; `*szp`
/// holds the room in `buf` and, on success, the bytes read.
/// Returns 0, NNG_EAGAIN when no data is available yet, NNG_ECLOSED,
/// NNG_EINVAL for NULL arguments, or NNG_ENOTSUP (no TLS framework yet).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_tls_engine_recv(arg: *mut c_void, buf: *mut u8, szp: *mut usize) -> c_int {
    guard_rc(|| {
        if arg.is_null() || buf.is_null() || szp.is_null() {
            return Err(Error::Inval);
        }
        Err(Error::NotSup)
    })
}

// Layout checks against upstream's ABI (reference ABI.md §3.9).
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    const P: usize = size_of::<usize>();
    assert!(size_of::<abi::nng_tls_engine_version>() == 4);
    assert!(size_of::<nng_tls_engine_conn_ops>() == 10 * P);
    assert!(align_of::<nng_tls_engine_conn_ops>() == P);
    assert!(offset_of!(nng_tls_engine_conn_ops, init) == P);
    assert!(offset_of!(nng_tls_engine_conn_ops, fini) == 2 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, close) == 3 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, handshake) == 4 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, recv) == 5 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, send) == 6 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, verified) == 7 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, peer_cn) == 8 * P);
    assert!(offset_of!(nng_tls_engine_conn_ops, peer_alt_names) == 9 * P);
    assert!(size_of::<nng_tls_engine_config_ops>() == 9 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, init) == P);
    assert!(offset_of!(nng_tls_engine_config_ops, fini) == 2 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, server) == 3 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, auth) == 4 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, ca_chain) == 5 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, own_cert) == 6 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, psk) == 7 * P);
    assert!(offset_of!(nng_tls_engine_config_ops, version) == 8 * P);
    assert!(offset_of!(nng_tls_engine, version) == 0);
    assert!(offset_of!(nng_tls_engine, config_ops) == P);
    assert!(offset_of!(nng_tls_engine, conn_ops) == 2 * P);
    assert!(offset_of!(nng_tls_engine, name) == 3 * P);
    assert!(offset_of!(nng_tls_engine, description) == 4 * P);
    assert!(offset_of!(nng_tls_engine, fips_mode) == 5 * P);
    assert!(size_of::<nng_tls_engine>() == 6 * P);
};
// The exact LP64 numbers of ABI.md §3.9.
#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<nng_tls_engine_conn_ops>() == 80);
    assert!(offset_of!(nng_tls_engine_conn_ops, peer_alt_names) == 72);
    assert!(size_of::<nng_tls_engine_config_ops>() == 72);
    assert!(offset_of!(nng_tls_engine_config_ops, psk) == 56);
    assert!(offset_of!(nng_tls_engine_config_ops, version) == 64);
    assert!(size_of::<nng_tls_engine>() == 48);
    assert!(offset_of!(nng_tls_engine, config_ops) == 8);
    assert!(offset_of!(nng_tls_engine, fips_mode) == 40);
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    fn engine(version: c_int) -> nng_tls_engine {
        nng_tls_engine {
            version,
            config_ops: null_mut(),
            conn_ops: null_mut(),
            name: c"test".as_ptr(),
            description: c"test engine".as_ptr(),
            fips_mode: false,
        }
    }

    #[test]
    fn register_checks_arguments() {
        // SAFETY: NULL and pointers to live engines are allowed inputs.
        unsafe {
            assert_eq!(nng_tls_engine_register(null()), Error::Inval.code());
            assert_eq!(nng_tls_engine_register(&engine(1)), Error::NotSup.code());
            assert_eq!(
                nng_tls_engine_register(&engine(abi::NNG_TLS_ENGINE_VERSION)),
                Error::NotSup.code()
            );
        }
    }

    #[test]
    fn engine_io_checks_arguments() {
        let mut buf = [0u8; 4];
        let mut n = buf.len();
        let ctx = buf.as_mut_ptr().cast::<c_void>();
        assert_eq!(nng_tls_engine_send(null_mut(), buf.as_ptr(), &mut n), 3);
        assert_eq!(nng_tls_engine_recv(ctx, buf.as_mut_ptr(), null_mut()), 3);
        assert_eq!(nng_tls_engine_recv(ctx, buf.as_mut_ptr(), &mut n), 9);
    }
}
