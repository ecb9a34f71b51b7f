//! TLS configuration on rustls (the `ring` crypto provider).
//!
//! A [`Config`] collects what the C API sets (`nng_tls_config_*`): server
//! name, CA certificates and revocation lists, own certificate/key pairs,
//! authentication mode and version range. It is shared by `Arc` (the C
//! handle is the `Arc`'s pointer; hold/free move its strong count). The
//! first time a connection is built from it ([`Config::client`] /
//! [`Config::server`]) it becomes read-only: every setter then fails with
//! `NNG_EBUSY`, as upstream.
//!
//! Authentication (upstream semantics, mbedTLS-like):
//! - `REQUIRED`: the peer must present a certificate chaining to one of our
//!   CAs (and, on clients, naming the server); no CA means every handshake
//!   fails.
//! - `OPTIONAL`: on clients, the server's certificate is checked but a
//!   failure does not stop the handshake; on servers, a client certificate
//!   is asked for, and checked if one is presented.
//! - `NONE`: no check.
//!
//! Whether the peer was verified is recomputed after the handshake with
//! [`Config::verify_peer`], so `NNG_OPT_TLS_VERIFIED` is right in every mode.
//!
//! Not supported (`NNG_ENOTSUP`): pre-shared keys (rustls has no TLS PSK
//! cipher suites), keys in OpenSSL's legacy encrypted PEM form (encrypted
//! PKCS#8 keys are fine), TLS 1.0/1.1.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;
use rustls::{
    ClientConfig, DigitallySignedStruct, DistinguishedName, RootCertStore, ServerConfig,
    SignatureScheme,
};

use super::x509;
use crate::core::error::{Error, Result};

/// The engine's name (`nng_tls_engine_name`).
pub const ENGINE_NAME: &str = "rustls";

/// The engine's description (`nng_tls_engine_description`).
pub const ENGINE_DESCRIPTION: &str = "rustls 0.23 (ring crypto provider)";

/// TLS 1.2 as `nng_tls_version`.
pub const TLS_1_2: i32 = 0x303;
/// TLS 1.3 as `nng_tls_version`.
pub const TLS_1_3: i32 = 0x304;

/// Which side of the handshake a configuration is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Client (dialer).
    Client,
    /// Server (listener).
    Server,
}

/// How the peer is authenticated (`nng_tls_auth_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// No verification.
    None,
    /// Verify a presented certificate; do not insist.
    Optional,
    /// Insist on a valid certificate.
    Required,
}

impl AuthMode {
    /// The mode for a C value (`NNG_TLS_AUTH_MODE_*`), `None` if invalid.
    pub fn from_c(v: i32) -> Option<AuthMode> {
        match v {
            0 => Some(AuthMode::None),
            1 => Some(AuthMode::Optional),
            2 => Some(AuthMode::Required),
            _ => None,
        }
    }

    /// The C value.
    pub fn to_c(self) -> i32 {
        match self {
            AuthMode::None => 0,
            AuthMode::Optional => 1,
            AuthMode::Required => 2,
        }
    }
}

/// The process-wide crypto provider.
fn provider() -> &'static Arc<CryptoProvider> {
    static P: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
}

/// What the setters have collected.
struct Settings {
    server_name: Option<String>,
    roots: Vec<CertificateDer<'static>>,
    crls: Vec<CertificateRevocationListDer<'static>>,
    keys: Vec<Arc<CertifiedKey>>,
    auth: AuthMode,
    min: i32,
    max: i32,
}

/// The rustls configuration built on first use.
enum Built {
    Client(Arc<ClientConfig>),
    Server(Arc<ServerConfig>),
}

struct Inner {
    set: Settings,
    built: Option<Built>,
}

/// A TLS configuration (`nng_tls_config`).
pub struct Config {
    mode: Mode,
    inner: Mutex<Inner>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config").field("mode", &self.mode).finish()
    }
}

fn crypto<E>(_: E) -> Error {
    Error::Crypto
}

impl Config {
    /// A new configuration with upstream's defaults: clients require a
    /// verified server, servers do not authenticate clients; TLS 1.2–1.3.
    pub fn new(mode: Mode) -> Arc<Config> {
        Arc::new(Config {
            mode,
            inner: Mutex::new(Inner {
                set: Settings {
                    server_name: None,
                    roots: Vec::new(),
                    crls: Vec::new(),
                    keys: Vec::new(),
                    auth: match mode {
                        Mode::Client => AuthMode::Required,
                        Mode::Server => AuthMode::None,
                    },
                    min: TLS_1_2,
                    max: TLS_1_3,
                },
                built: None,
            }),
        })
    }

    /// The side this configuration is for.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Runs `f` on the settings unless the configuration is in use
    /// (`NNG_EBUSY`).
    fn edit<T>(&self, f: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if g.built.is_some() {
            return Err(Error::Busy);
        }
        f(&mut g.set)
    }

    /// Whether a connection has been built from this configuration.
    pub fn is_busy(&self) -> bool {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.built.is_some()
    }

    /// Sets the name the server must prove (and the SNI clients send).
    pub fn set_server_name(&self, name: &str) -> Result<()> {
        self.edit(|s| {
            s.server_name = Some(name.to_owned());
            Ok(())
        })
    }

    /// The configured server name.
    pub fn server_name(&self) -> Option<String> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.set.server_name.clone()
    }

    /// The authentication mode.
    pub fn auth_mode(&self) -> AuthMode {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.set.auth
    }

    /// Adds the CA certificates in `pem` (one or more `CERTIFICATE` blocks)
    /// and the revocation lists in `crl`. `NNG_ECRYPTO` if `pem` holds no
    /// usable certificate or `crl` no revocation list; nothing is added then.
    pub fn add_ca_chain(&self, pem: &[u8], crl: Option<&[u8]>) -> Result<()> {
        let certs = parse_certs(pem)?;
        // Check each certificate is acceptable as a trust anchor now, so a
        // bad one is reported here, not at the first handshake.
        let mut probe = RootCertStore::empty();
        for c in &certs {
            probe.add(c.clone()).map_err(crypto)?;
        }
        let crls = match crl {
            Some(p) => {
                let v = CertificateRevocationListDer::pem_slice_iter(p)
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(crypto)?;
                if v.is_empty() {
                    return Err(Error::Crypto);
                }
                v
            }
            None => Vec::new(),
        };
        self.edit(|s| {
            s.roots.extend(certs);
            s.crls.extend(crls);
            Ok(())
        })
    }

    /// Adds an own certificate chain (`cert`, leaf first) and its private
    /// key (`key`, PKCS#8, PKCS#1 or SEC1 PEM, or an encrypted PKCS#8 PEM
    /// key that `pass` decrypts). `NNG_ECRYPTO` for unusable PEM or a wrong
    /// or missing password; `NNG_ENOTSUP` for OpenSSL's legacy PEM
    /// encryption (`Proc-Type`). A key that is not the certificate's is
    /// taken (and logged), as upstream's engine takes it.
    pub fn add_own_cert(&self, cert: &[u8], key: &[u8], pass: Option<&str>) -> Result<()> {
        let der = if contains(key, ENCRYPTED_PKCS8_BEGIN) {
            decrypt_pkcs8(key, pass)?
        } else if contains(key, b"Proc-Type: 4,ENCRYPTED") {
            return Err(Error::NotSup);
        } else {
            PrivateKeyDer::from_pem_slice(key).map_err(crypto)?
        };
        let chain = parse_certs(cert)?;
        let signer = provider()
            .key_provider
            .load_private_key(der)
            .map_err(crypto)?;
        let ck = CertifiedKey::new(chain, signer);
        // Like upstream's engine, a key that is not the certificate's is
        // not refused here (a handshake that needs it fails); it is logged.
        let matching = match ck.keys_match() {
            Ok(()) => true,
            Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => false,
            // webpki could not read the certificate: read it here (one
            // neither can read is refused, as mbedTLS refuses it) and
            // compare the keys.
            Err(_) => {
                let theirs = x509::public_key_info(&ck.cert[0]).ok_or(Error::Crypto)?;
                ck.key
                    .public_key()
                    .map_or(true, |ours| ours.as_ref() == theirs)
            }
        };
        if !matching {
            crate::supplemental::log::warn(
                c"NNG-TLS-CERT",
                format_args!("private key does not match the certificate"),
            );
        }
        self.edit(|s| {
            s.keys.push(Arc::new(ck));
            Ok(())
        })
    }

    /// Adds the CA certificates (and the revocation lists, if it has any)
    /// of the PEM file at `path` (`nng_tls_config_ca_file`).
    pub fn load_ca_file(&self, path: &std::path::Path) -> Result<()> {
        let pem = std::fs::read(path)?;
        let has_crl = contains(&pem, b"-----BEGIN X509 CRL-----");
        self.add_ca_chain(&pem, has_crl.then_some(&pem[..]))
    }

    /// Adds the certificate and key, both in the PEM file at `path`
    /// (`nng_tls_config_cert_key_file`).
    pub fn load_cert_key_file(&self, path: &std::path::Path, pass: Option<&str>) -> Result<()> {
        let pem = std::fs::read(path)?;
        self.add_own_cert(&pem, &pem, pass)
    }

    /// Sets the authentication mode.
    pub fn set_auth_mode(&self, mode: AuthMode) -> Result<()> {
        self.edit(|s| {
            s.auth = mode;
            Ok(())
        })
    }

    /// Restricts the versions to `min..=max` (`nng_tls_version` values).
    /// `NNG_ENOTSUP` if `min > max` or either is not TLS 1.2 or 1.3.
    pub fn set_version(&self, min: i32, max: i32) -> Result<()> {
        let ok = |v: i32| v == TLS_1_2 || v == TLS_1_3;
        if min > max || !ok(min) || !ok(max) {
            return Err(Error::NotSup);
        }
        self.edit(|s| {
            s.min = min;
            s.max = max;
            Ok(())
        })
    }

    /// Pre-shared keys: not supported by rustls. Returns `NNG_EBUSY` once in
    /// use, else `NNG_ENOTSUP`.
    pub fn add_psk(&self, identity: &str, key: &[u8]) -> Result<()> {
        let _ = (identity, key);
        self.edit(|_| Err(Error::NotSup))
    }

    /// The rustls client configuration, built on first call; from then on
    /// the configuration is read-only. `NNG_EINVAL` on a server config.
    pub fn client(&self) -> Result<Arc<ClientConfig>> {
        if self.mode != Mode::Client {
            return Err(Error::Inval);
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(Built::Client(c)) = &g.built {
            return Ok(c.clone());
        }
        let c = Arc::new(build_client(&g.set)?);
        g.built = Some(Built::Client(c.clone()));
        Ok(c)
    }

    /// The rustls server configuration, built on first call; from then on
    /// the configuration is read-only. `NNG_EINVAL` on a client config.
    pub fn server(&self) -> Result<Arc<ServerConfig>> {
        if self.mode != Mode::Server {
            return Err(Error::Inval);
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(Built::Server(c)) = &g.built {
            return Ok(c.clone());
        }
        let c = Arc::new(build_server(&g.set)?);
        g.built = Some(Built::Server(c.clone()));
        Ok(c)
    }

    /// Whether the peer's certificate chain (leaf first) verifies against
    /// our CAs (and, for a client, names `server`). False without CAs or
    /// certificates.
    pub fn verify_peer(&self, chain: &[CertificateDer<'_>], server: &ServerName<'_>) -> bool {
        let (roots, crls) = {
            let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            (g.set.roots.clone(), g.set.crls.clone())
        };
        let Some((leaf, rest)) = chain.split_first() else {
            return false;
        };
        let Ok(checked) = Checked::with(&roots, &crls, false) else {
            return false;
        };
        let now = UnixTime::now();
        match self.mode {
            Mode::Client => checked.server_cert(leaf, rest, server, now).is_ok(),
            Mode::Server => checked.client_cert(leaf, rest, now).is_ok(),
        }
    }
}

const ENCRYPTED_PKCS8_BEGIN: &[u8] = b"-----BEGIN ENCRYPTED PRIVATE KEY-----";
const ENCRYPTED_PKCS8_END: &[u8] = b"-----END ENCRYPTED PRIVATE KEY-----";

/// Decrypts the first encrypted PKCS#8 PEM block in `pem` (PBES2: PBKDF2
/// or scrypt with AES, as `openssl pkcs8 -topk8` writes) with `pass`.
fn decrypt_pkcs8(pem: &[u8], pass: Option<&str>) -> Result<PrivateKeyDer<'static>> {
    let pass = pass.ok_or(Error::Crypto)?;
    let start = find(pem, ENCRYPTED_PKCS8_BEGIN).ok_or(Error::Crypto)?;
    let len = find(&pem[start..], ENCRYPTED_PKCS8_END).ok_or(Error::Crypto)?;
    let block = &pem[start..start + len + ENCRYPTED_PKCS8_END.len()];
    let block = std::str::from_utf8(block).map_err(|_| Error::Crypto)?;
    let (_, doc) = pkcs8::der::Document::from_pem(block).map_err(|_| Error::Crypto)?;
    let info =
        pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes()).map_err(|_| Error::Crypto)?;
    let plain = info.decrypt(pass).map_err(|_| Error::Crypto)?;
    Ok(PrivateKeyDer::Pkcs8(plain.as_bytes().to_vec().into()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn parse_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>> {
    let v = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(crypto)?;
    if v.is_empty() {
        return Err(Error::Crypto);
    }
    Ok(v)
}

/// A root store of `roots`, `None` if empty.
fn root_store(roots: &[CertificateDer<'static>]) -> Option<Arc<RootCertStore>> {
    if roots.is_empty() {
        return None;
    }
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(roots.iter().cloned());
    (added > 0).then(|| Arc::new(store))
}

fn versions(s: &Settings) -> Vec<&'static rustls::SupportedProtocolVersion> {
    let mut v = Vec::with_capacity(2);
    if s.min <= TLS_1_3 && s.max >= TLS_1_3 {
        v.push(&rustls::version::TLS13);
    }
    if s.min <= TLS_1_2 && s.max >= TLS_1_2 {
        v.push(&rustls::version::TLS12);
    }
    v
}

fn build_client(s: &Settings) -> Result<ClientConfig> {
    let verifier: Arc<dyn ServerCertVerifier> = match (s.auth, s.roots.is_empty()) {
        (AuthMode::None, _) | (AuthMode::Optional, true) => Arc::new(Lenient::new(None)),
        (AuthMode::Required, true) => Arc::new(Reject),
        (AuthMode::Required, false) => Arc::new(Checked::new(s)?),
        (AuthMode::Optional, false) => Arc::new(Lenient::new(Some(Checked::new(s)?))),
    };
    let b = ClientConfig::builder_with_provider(provider().clone())
        .with_protocol_versions(&versions(s))
        .map_err(|_| Error::NotSup)?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    Ok(if s.keys.is_empty() {
        b.with_no_client_auth()
    } else {
        b.with_client_cert_resolver(Arc::new(Keys(s.keys.clone())))
    })
}

fn build_server(s: &Settings) -> Result<ServerConfig> {
    let b = ServerConfig::builder_with_provider(provider().clone())
        .with_protocol_versions(&versions(s))
        .map_err(|_| Error::NotSup)?;
    let b = match (s.auth, s.roots.is_empty()) {
        (AuthMode::None, _) | (AuthMode::Optional, true) => b.with_no_client_auth(),
        (AuthMode::Required, true) => b.with_client_cert_verifier(Arc::new(Reject)),
        (_, false) => b.with_client_cert_verifier(Arc::new(Checked::new(s)?)),
    };
    Ok(b.with_cert_resolver(Arc::new(Keys(s.keys.clone()))))
}

/// Own certificates: the first whose key can sign with a scheme the peer
/// offers is used (servers may hold one per key algorithm).
#[derive(Debug)]
struct Keys(Vec<Arc<CertifiedKey>>);

impl Keys {
    fn pick(&self, schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.0
            .iter()
            .find(|k| k.key.choose_scheme(schemes).is_some())
            .cloned()
    }
}

impl ResolvesServerCert for Keys {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.pick(hello.signature_schemes())
    }
}

impl ResolvesClientCert for Keys {
    fn resolve(&self, _hints: &[&[u8]], schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.pick(schemes)
    }

    fn has_certs(&self) -> bool {
        !self.0.is_empty()
    }
}

/// The handshake-signature methods every verifier here shares (both
/// verifier traits have the same three): signatures are always checked,
/// whatever the certificate policy, since they prove key possession.
macro_rules! handshake_signatures {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            sig12(message, cert, dss)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            sig13(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            schemes()
        }
    };
}

fn sig12(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
    let algs = &provider().signature_verification_algorithms;
    rustls::crypto::verify_tls12_signature(message, cert, dss, algs)
        .or_else(|e| raw_signature(e, algs, message, cert, dss))
}

fn sig13(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
    let algs = &provider().signature_verification_algorithms;
    rustls::crypto::verify_tls13_signature(message, cert, dss, algs)
        .or_else(|e| raw_signature(e, algs, message, cert, dss))
}

/// A handshake signature webpki could not check because it cannot parse
/// the certificate (version 1): checked with the certificate's key read by
/// [`x509`]; any other failure stands.
fn raw_signature(
    e: rustls::Error,
    algs: &rustls::crypto::WebPkiSupportedAlgorithms,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
    let unparsable = matches!(
        e,
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::BadEncoding | rustls::CertificateError::Other(_)
        )
    );
    if unparsable && x509::verify_signature(algs, cert, dss.scheme, message, dss.signature()) {
        Ok(HandshakeSignatureValid::assertion())
    } else {
        Err(e)
    }
}

fn schemes() -> Vec<SignatureScheme> {
    provider()
        .signature_verification_algorithms
        .supported_schemes()
}

/// Client verifier for `NONE` / `OPTIONAL`: the chain is checked (when
/// there are CAs) only to log the outcome; the handshake proceeds anyway.
/// Handshake signatures are always checked (they prove key possession).
#[derive(Debug)]
struct Lenient {
    inner: Option<Checked>,
}

impl Lenient {
    fn new(inner: Option<Checked>) -> Lenient {
        Lenient { inner }
    }
}

/// Peer certificates checked by webpki against our CAs, with the
/// mbedTLS-compatible fallback of [`x509::verify_fallback`] for what webpki
/// cannot read (never when revocation lists are configured: the fallback
/// does not check them).
#[derive(Debug)]
struct Checked {
    /// `None` when webpki can use none of the CA certificates.
    server: Option<Arc<WebPkiServerVerifier>>,
    client: Option<Arc<dyn ClientCertVerifier>>,
    roots: Vec<CertificateDer<'static>>,
    fallback: bool,
    /// Servers: a client without a certificate is let through.
    optional: bool,
}

impl Checked {
    fn new(s: &Settings) -> Result<Checked> {
        Checked::with(&s.roots, &s.crls, s.auth == AuthMode::Optional)
    }

    fn with(
        roots: &[CertificateDer<'static>],
        crls: &[CertificateRevocationListDer<'static>],
        optional: bool,
    ) -> Result<Checked> {
        let store = root_store(roots);
        let server = match &store {
            Some(st) => Some(
                WebPkiServerVerifier::builder_with_provider(st.clone(), provider().clone())
                    .with_crls(crls.to_vec())
                    .build()
                    .map_err(crypto)?,
            ),
            None => None,
        };
        let client = match &store {
            Some(st) => {
                let vb =
                    WebPkiClientVerifier::builder_with_provider(st.clone(), provider().clone())
                        .with_crls(crls.to_vec());
                let vb = if optional {
                    vb.allow_unauthenticated()
                } else {
                    vb
                };
                Some(vb.build().map_err(crypto)?)
            }
            None => None,
        };
        Ok(Checked {
            server,
            client,
            roots: roots.to_vec(),
            fallback: crls.is_empty(),
            optional,
        })
    }

    fn fallback(
        &self,
        e: rustls::Error,
        leaf: &CertificateDer<'_>,
        host: Option<&ServerName<'_>>,
        now: UnixTime,
    ) -> std::result::Result<(), rustls::Error> {
        let algs = &provider().signature_verification_algorithms;
        if self.fallback && x509::verify_fallback(algs, leaf, &self.roots, host, now) {
            Ok(())
        } else {
            Err(e)
        }
    }

    fn server_cert(
        &self,
        leaf: &CertificateDer<'_>,
        rest: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        now: UnixTime,
    ) -> std::result::Result<(), rustls::Error> {
        match &self.server {
            Some(v) => v.verify_server_cert(leaf, rest, name, &[], now).map(|_| ()),
            None => Err(no_ca()),
        }
        .or_else(|e| self.fallback(e, leaf, Some(name), now))
    }

    fn client_cert(
        &self,
        leaf: &CertificateDer<'_>,
        rest: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> std::result::Result<(), rustls::Error> {
        match &self.client {
            Some(v) => v.verify_client_cert(leaf, rest, now).map(|_| ()),
            None => Err(no_ca()),
        }
        .or_else(|e| self.fallback(e, leaf, None, now))
    }
}

impl ServerCertVerifier for Checked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        self.server_cert(end_entity, intermediates, server_name, now)
            .map(|()| ServerCertVerified::assertion())
    }

    handshake_signatures!();
}

impl ClientCertVerifier for Checked {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.client.as_ref().map_or(&[], |c| c.root_hint_subjects())
    }

    fn client_auth_mandatory(&self) -> bool {
        !self.optional
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        self.client_cert(end_entity, intermediates, now)
            .map(|()| ClientCertVerified::assertion())
    }

    handshake_signatures!();
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Some(v) = &self.inner {
            if let Err(e) = v.server_cert(end_entity, intermediates, server_name, now) {
                crate::supplemental::log::warn(
                    c"NNG-TLS-VERIFY",
                    format_args!("TLS peer not verified (optional): {e}"),
                );
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    handshake_signatures!();
}

/// Verifier for `REQUIRED` without any CA: nothing can be verified, so
/// every peer certificate is rejected (as upstream's "CA chain required").
#[derive(Debug)]
struct Reject;

fn no_ca() -> rustls::Error {
    rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
}

impl ServerCertVerifier for Reject {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Err(no_ca())
    }

    handshake_signatures!();
}

impl ClientCertVerifier for Reject {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        Err(no_ca())
    }

    handshake_signatures!();
}

pub use super::x509::{subject_alt_dns_names, subject_cn};

/// Maps a rustls failure to upstream's error: certificate and handshake
/// failures are `NNG_EPEERAUTH`, anything else `NNG_ECRYPTO`.
pub fn map_error(e: &rustls::Error) -> Error {
    use rustls::Error as E;
    match e {
        E::InvalidCertificate(_)
        | E::NoCertificatesPresented
        | E::UnsupportedNameType
        | E::PeerIncompatible(_)
        | E::AlertReceived(_) => Error::PeerAuth,
        _ => Error::Crypto,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rustls::{ClientConnection, ServerConnection};
    use std::process::Command;

    /// A CA and a server/client certificate it signed (CN and DNS SAN
    /// `localhost`, IP SAN 127.0.0.1), made with the openssl CLI in a fresh
    /// directory. Returns `(ca_pem, cert_pem, key_pem)`.
    pub(crate) fn make_certs(tag: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let script = r#"set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -subj "/CN=Test CA" -days 30
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n" > ext
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj "/CN=localhost"
openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 30 -extfile ext
"#;
        let mut f = openssl(tag, script, &["ca.crt", "srv.crt", "srv.key"]).into_iter();
        let mut next = || f.next().unwrap_or_default();
        (next(), next(), next())
    }

    /// Runs a handshake in memory; the first error either side reports.
    fn handshake(c: &mut ClientConnection, s: &mut ServerConnection) -> Result<()> {
        for _ in 0..20 {
            let mut buf = Vec::new();
            while c.wants_write() {
                c.write_tls(&mut buf).unwrap();
            }
            let mut rd = &buf[..];
            while !rd.is_empty() {
                s.read_tls(&mut rd).unwrap();
            }
            s.process_new_packets().map_err(|e| map_error(&e))?;
            let mut buf = Vec::new();
            while s.wants_write() {
                s.write_tls(&mut buf).unwrap();
            }
            let mut rd = &buf[..];
            while !rd.is_empty() {
                c.read_tls(&mut rd).unwrap();
            }
            c.process_new_packets().map_err(|e| map_error(&e))?;
            if !c.is_handshaking() && !s.is_handshaking() {
                return Ok(());
            }
        }
        Err(Error::TimedOut)
    }

    fn pair(cc: &Config, sc: &Config, name: &str) -> Result<()> {
        let mut c =
            ClientConnection::new(cc.client()?, ServerName::try_from(name.to_owned()).unwrap())
                .unwrap();
        let mut s = ServerConnection::new(sc.server()?).unwrap();
        handshake(&mut c, &mut s)
    }

    #[test]
    fn verified_handshake_and_failures() {
        let (ca, cert, key) = make_certs("a");
        let (ca2, _, _) = make_certs("b");
        let srv = Config::new(Mode::Server);
        srv.add_own_cert(&cert, &key, None).unwrap();

        // Right CA and name: verified.
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(&ca, None).unwrap();
        pair(&cli, &srv, "localhost").unwrap();
        let chain = parse_certs(&cert).unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        assert!(cli.verify_peer(&chain, &name));
        assert!(!cli.verify_peer(&chain, &ServerName::try_from("other").unwrap()));
        // Read-only once used.
        assert_eq!(cli.set_server_name("x"), Err(Error::Busy));
        assert_eq!(srv.set_auth_mode(AuthMode::Required), Err(Error::Busy));

        // Wrong name, wrong CA, no CA: peer authentication fails.
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(&ca, None).unwrap();
        assert_eq!(pair(&cli, &srv, "example.com"), Err(Error::PeerAuth));
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(&ca2, None).unwrap();
        assert_eq!(pair(&cli, &srv, "localhost"), Err(Error::PeerAuth));
        assert!(!cli.verify_peer(&chain, &name));
        let cli = Config::new(Mode::Client);
        assert_eq!(pair(&cli, &srv, "localhost"), Err(Error::PeerAuth));

        // Optional and none: the handshake goes through regardless.
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(&ca2, None).unwrap();
        cli.set_auth_mode(AuthMode::Optional).unwrap();
        pair(&cli, &srv, "localhost").unwrap();
        let cli = Config::new(Mode::Client);
        cli.set_auth_mode(AuthMode::None).unwrap();
        pair(&cli, &srv, "localhost").unwrap();
    }

    #[test]
    fn client_certificates_and_versions() {
        let (ca, cert, key) = make_certs("c");
        // Server requires a client certificate.
        let srv = Config::new(Mode::Server);
        srv.add_own_cert(&cert, &key, None).unwrap();
        srv.add_ca_chain(&ca, None).unwrap();
        srv.set_auth_mode(AuthMode::Required).unwrap();
        srv.set_version(TLS_1_2, TLS_1_2).unwrap();

        let anon = Config::new(Mode::Client);
        anon.add_ca_chain(&ca, None).unwrap();
        assert_eq!(pair(&anon, &srv, "localhost"), Err(Error::PeerAuth));

        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(&ca, None).unwrap();
        cli.add_own_cert(&cert, &key, None).unwrap();
        pair(&cli, &srv, "127.0.0.1").unwrap();

        // A 1.3-only client cannot talk to a 1.2-only server.
        let v13 = Config::new(Mode::Client);
        v13.add_ca_chain(&ca, None).unwrap();
        v13.add_own_cert(&cert, &key, None).unwrap();
        v13.set_version(TLS_1_3, TLS_1_3).unwrap();
        assert!(pair(&v13, &srv, "localhost").is_err());
    }

    #[test]
    fn subject_common_name() {
        let (ca, cert, _) = make_certs("f");
        let leaf = parse_certs(&cert).unwrap();
        assert_eq!(subject_cn(&leaf[0]).as_deref(), Some("localhost"));
        let ca = parse_certs(&ca).unwrap();
        assert_eq!(subject_cn(&ca[0]).as_deref(), Some("Test CA"));
        assert_eq!(subject_cn(b"\x30\x03\x30\x01"), None);
        assert_eq!(subject_cn(b""), None);
    }

    /// Runs `script` with `sh` in a fresh directory and returns the named
    /// files' contents.
    fn openssl(tag: &str, script: &str, files: &[&str]) -> Vec<Vec<u8>> {
        let dir = std::env::temp_dir().join(format!("nng-tls-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let st = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .output()
            .expect("openssl CLI");
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        let out = files
            .iter()
            .map(|f| std::fs::read(dir.join(f)).unwrap())
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    fn b64(data: &[u8]) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in data.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn version_1_certificates_as_mbedtls_accepts_them() {
        // A self-signed version 1 certificate (no extensions, CN only),
        // pinned as the client's CA, as upstream's own tests do; and a
        // version 1 leaf signed by a version 1 CA.
        let f = openssl(
            "v1",
            r#"set -e
openssl genrsa -out self.key 2048
openssl req -new -key self.key -subj /CN=localhost -out self.csr
openssl x509 -req -in self.csr -signkey self.key -days 30 -out self.crt
openssl genrsa -out ca.key 2048
openssl req -new -key ca.key -subj /CN=TestCA -out ca.csr
openssl x509 -req -in ca.csr -signkey ca.key -days 30 -out ca.crt
openssl genrsa -out leaf.key 2048
openssl req -new -key leaf.key -subj /CN=localhost -out leaf.csr
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -out leaf.crt
"#,
            &["self.crt", "self.key", "ca.crt", "leaf.crt", "leaf.key"],
        );
        let (selfc, selfk, ca, leaf, leafk) = (&f[0], &f[1], &f[2], &f[3], &f[4]);
        for c in [selfc, ca, leaf] {
            // Version 1: the to-be-signed part has no [0] version field.
            let der = &parse_certs(c).unwrap()[0];
            let (_, body, _) = x509::der(der).unwrap();
            let (_, tbs, _) = x509::der(body).unwrap();
            assert_ne!(tbs[0], 0xa0);
        }
        for (cert, key, anchor) in [(selfc, selfk, selfc), (leaf, leafk, ca)] {
            let srv = Config::new(Mode::Server);
            srv.add_own_cert(cert, key, None).unwrap();
            let cli = Config::new(Mode::Client);
            cli.add_ca_chain(anchor, None).unwrap();
            pair(&cli, &srv, "localhost").unwrap();
            let chain = parse_certs(cert).unwrap();
            assert!(cli.verify_peer(&chain, &ServerName::try_from("localhost").unwrap()));
            // The common name is checked (there is no other name).
            let cli = Config::new(Mode::Client);
            cli.add_ca_chain(anchor, None).unwrap();
            assert_eq!(pair(&cli, &srv, "example.com"), Err(Error::PeerAuth));
        }
        // Another anchor does not verify them.
        let srv = Config::new(Mode::Server);
        srv.add_own_cert(leaf, leafk, None).unwrap();
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(selfc, None).unwrap();
        assert_eq!(pair(&cli, &srv, "localhost"), Err(Error::PeerAuth));
        // A certificate whose validity dates are garbage parses for no one.
        let mut bad = parse_certs(selfc).unwrap()[0].to_vec();
        let at = bad.windows(2).position(|w| w == [0x17, 0x0d]).unwrap() + 2;
        bad[at] = b'x';
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            b64(&bad)
        );
        let c = Config::new(Mode::Server);
        assert_eq!(
            c.add_own_cert(pem.as_bytes(), selfk, None),
            Err(Error::Crypto)
        );
        // A key that is not the certificate's is taken (and logged), as
        // upstream; the handshake then fails.
        let srv = Config::new(Mode::Server);
        srv.add_own_cert(selfc, leafk, None).unwrap();
        let cli = Config::new(Mode::Client);
        cli.add_ca_chain(selfc, None).unwrap();
        assert!(pair(&cli, &srv, "localhost").is_err());
    }

    #[test]
    fn encrypted_pkcs8_keys() {
        let (_, cert, key) = make_certs("h");
        let dir = std::env::temp_dir().join(format!("nng-tls-{}-enc", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("k.pem"), &key).unwrap();
        let st = Command::new("openssl")
            .args([
                "pkcs8",
                "-topk8",
                "-in",
                "k.pem",
                "-out",
                "enc.pem",
                "-passout",
                "pass:secret",
            ])
            .current_dir(&dir)
            .output()
            .expect("openssl CLI");
        assert!(st.status.success());
        let enc = std::fs::read(dir.join("enc.pem")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let c = Config::new(Mode::Server);
        assert_eq!(c.add_own_cert(&cert, &enc, None), Err(Error::Crypto));
        assert_eq!(
            c.add_own_cert(&cert, &enc, Some("wrong")),
            Err(Error::Crypto)
        );
        c.add_own_cert(&cert, &enc, Some("secret")).unwrap();
        // Certificate and encrypted key in one file.
        let mut both = cert.clone();
        both.extend_from_slice(&enc);
        c.add_own_cert(&both, &both, Some("secret")).unwrap();
    }

    #[test]
    fn subject_alt_names() {
        let (ca, cert, _) = make_certs("g");
        let leaf = parse_certs(&cert).unwrap();
        // DNS:localhost and IP:127.0.0.1: only the DNS name, as upstream.
        assert_eq!(
            subject_alt_dns_names(&leaf[0]),
            vec!["localhost".to_owned()]
        );
        let ca = parse_certs(&ca).unwrap();
        assert!(subject_alt_dns_names(&ca[0]).is_empty());
        assert!(subject_alt_dns_names(b"\x30\x03\x30\x01").is_empty());
        assert!(subject_alt_dns_names(b"").is_empty());
        // Truncations of a real certificate never panic.
        for n in 0..leaf[0].len() {
            let _ = subject_alt_dns_names(&leaf[0][..n]);
            let _ = subject_cn(&leaf[0][..n]);
        }
    }

    #[test]
    fn bad_inputs() {
        let (ca, cert, key) = make_certs("d");
        let c = Config::new(Mode::Client);
        assert_eq!(c.add_ca_chain(b"nothing", None), Err(Error::Crypto));
        assert_eq!(c.add_ca_chain(&ca, Some(b"no crl")), Err(Error::Crypto));
        assert_eq!(c.add_own_cert(&cert, b"nokey", None), Err(Error::Crypto));
        assert_eq!(c.add_own_cert(&key, &key, None), Err(Error::Crypto));
        // A key that does not belong to the certificate is taken, as
        // upstream's engine takes it (only a handshake would fail).
        let (_, _, other) = make_certs("e");
        c.add_own_cert(&cert, &other, None).unwrap();
        let enc =
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(c.add_own_cert(&cert, enc, Some("pw")), Err(Error::Crypto));
        let legacy = b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(
            c.add_own_cert(&cert, legacy, Some("pw")),
            Err(Error::NotSup)
        );
        assert_eq!(c.add_psk("id", b"k"), Err(Error::NotSup));
        assert_eq!(c.set_version(0x301, TLS_1_3), Err(Error::NotSup));
        assert_eq!(c.set_version(TLS_1_3, TLS_1_2), Err(Error::NotSup));
        assert_eq!(c.server().err(), Some(Error::Inval));
        // Both in one file (cert_key_file).
        let mut both = cert.clone();
        both.extend_from_slice(&key);
        c.add_own_cert(&both, &both, None).unwrap();
    }
}
