//! Just enough X.509 for what the TLS engine needs beyond webpki: the
//! peer's common name and DNS names (`NNG_OPT_TLS_PEER_CN`,
//! `NNG_OPT_TLS_PEER_ALT_NAMES`), and the certificates webpki refuses but
//! upstream's mbedTLS engine accepts, so that configurations that work
//! with real nng work here:
//!
//! - version 1 certificates (no extensions; upstream's own test
//!   certificates are such), and
//! - a peer certificate that is itself one of the trusted certificates (a
//!   pinned self-signed certificate).
//!
//! [`verify_fallback`] checks such a certificate as mbedTLS does: it must
//! be one of the trusted certificates or be signed by one, be within its
//! validity period, and (for a server) name the host in a DNS subject
//! alternative name or, without any, in its common name.
//! [`verify_signature`] checks a handshake signature with the key of a
//! certificate webpki cannot parse.
//!
//! A small DER reader, no allocation beyond the results; it never panics on
//! malformed input (every access is checked, a malformed certificate just
//! fails to parse).

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm, UnixTime};
use rustls::SignatureScheme;

/// One DER element: (tag, contents, what follows).
pub(crate) fn der(buf: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = buf.split_first()?;
    let (&b, rest) = rest.split_first()?;
    let (len, rest) = if b < 0x80 {
        (usize::from(b), rest)
    } else {
        let n = usize::from(b & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, &x| (a << 8) | usize::from(x));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The parts of a certificate used here.
struct Cert<'a> {
    /// The whole to-be-signed element (tag and length included): what the
    /// issuer signed.
    tbs: &'a [u8],
    /// The outer signature algorithm (contents of the AlgorithmIdentifier).
    sig_alg: &'a [u8],
    /// The signature (the BIT STRING's bytes).
    sig: &'a [u8],
    /// Issuer and subject names, whole elements (for comparison).
    issuer: &'a [u8],
    subject: &'a [u8],
    /// Subject names' contents.
    subject_body: &'a [u8],
    /// notBefore and notAfter, as Unix seconds.
    not_before: i64,
    not_after: i64,
    /// The whole SubjectPublicKeyInfo element.
    spki: &'a [u8],
    /// The public key's algorithm (AlgorithmIdentifier contents) and key
    /// (the BIT STRING's bytes).
    key_alg: &'a [u8],
    key: &'a [u8],
    /// Contents of the `[3]` extensions element, if any.
    extensions: Option<&'a [u8]>,
}

/// A whole DER element at the head of `buf` (tag and length included).
fn whole(buf: &[u8]) -> Option<&[u8]> {
    let (_, _, rest) = der(buf)?;
    Some(&buf[..buf.len() - rest.len()])
}

/// A BIT STRING's bytes (no unused bits allowed).
fn bits(body: &[u8]) -> Option<&[u8]> {
    match body.split_first() {
        Some((0, b)) => Some(b),
        _ => None,
    }
}

fn parse(cert: &[u8]) -> Option<Cert<'_>> {
    let (_, body, _) = der(cert)?;
    let tbs = whole(body)?;
    let (_, mut t, rest) = der(body)?;
    let (_, sig_alg, rest) = der(rest)?;
    let (_, sig, _) = der(rest)?;
    if t.first() == Some(&0xa0) {
        t = der(t)?.2;
    }
    let (_, _serial, t) = der(t)?;
    let (_, _sig_inner, t) = der(t)?;
    let issuer = whole(t)?;
    let (_, _, t) = der(t)?;
    let (_, validity, t) = der(t)?;
    let subject = whole(t)?;
    let (_, subject_body, t) = der(t)?;
    let spki_whole = whole(t)?;
    let (_, spki, mut t) = der(t)?;
    let (_, key_alg, k) = der(spki)?;
    let (_, key, _) = der(k)?;
    let mut extensions = None;
    while let Some((tag, b, rest)) = der(t) {
        if tag == 0xa3 {
            extensions = Some(der(b)?.1);
        }
        t = rest;
    }
    let (nb_tag, nb, v) = der(validity)?;
    let (na_tag, na, _) = der(v)?;
    Some(Cert {
        tbs,
        sig_alg,
        sig: bits(sig)?,
        issuer,
        subject,
        subject_body,
        not_before: time(nb_tag, nb)?,
        not_after: time(na_tag, na)?,
        spki: spki_whole,
        key_alg,
        key: bits(key)?,
        extensions,
    })
}

/// UTCTime (0x17, `YYMMDDHHMMSSZ`) or GeneralizedTime (0x18,
/// `YYYYMMDDHHMMSSZ`) as Unix seconds.
fn time(tag: u8, v: &[u8]) -> Option<i64> {
    let digits = |s: &[u8]| -> Option<i64> {
        s.iter().try_fold(0i64, |a, &c| {
            c.is_ascii_digit().then(|| a * 10 + i64::from(c - b'0'))
        })
    };
    let (year, rest) = match tag {
        0x17 if v.len() == 13 => {
            let y = digits(&v[..2])?;
            (if y >= 50 { 1900 + y } else { 2000 + y }, &v[2..])
        }
        0x18 if v.len() == 15 => (digits(&v[..4])?, &v[4..]),
        _ => return None,
    };
    if rest[10] != b'Z' {
        return None;
    }
    let (mo, d, h, mi, s) = (
        digits(&rest[0..2])?,
        digits(&rest[2..4])?,
        digits(&rest[4..6])?,
        digits(&rest[6..8])?,
        digits(&rest[8..10])?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

/// The SubjectPublicKeyInfo of a certificate (whole DER element).
pub fn public_key_info(cert: &[u8]) -> Option<&[u8]> {
    parse(cert).map(|c| c.spki)
}

/// The first common name (OID 2.5.4.3) of a certificate's subject
/// (`NNG_OPT_TLS_PEER_CN`), `None` if it has none or does not parse.
pub fn subject_cn(cert: &[u8]) -> Option<String> {
    let c = parse(cert)?;
    let mut subject = c.subject_body;
    while let Some((_, set, rest)) = der(subject) {
        subject = rest;
        let mut set = set;
        while let Some((_, atv, more)) = der(set) {
            set = more;
            let (_, oid, val) = der(atv)?;
            if oid == [0x55, 0x04, 0x03] {
                let (_, v, _) = der(val)?;
                return Some(String::from_utf8_lossy(v).into_owned());
            }
        }
    }
    None
}

/// The DNS names (`dNSName` entries of the subject alternative name
/// extension, OID 2.5.29.17) of a certificate, in order
/// (`NNG_OPT_TLS_PEER_ALT_NAMES`; like upstream's mbedTLS engine, other
/// name types are left out). Empty if it has none or does not parse.
pub fn subject_alt_dns_names(cert: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let Some(mut exts) = parse(cert).and_then(|c| c.extensions) else {
        return names;
    };
    while let Some((_, ext, rest)) = der(exts) {
        exts = rest;
        let Some((_, oid, mut ext)) = der(ext) else {
            break;
        };
        if oid != [0x55, 0x1d, 0x11] {
            continue;
        }
        // Skip the optional `critical` BOOLEAN; then the OCTET STRING
        // holding the GeneralNames SEQUENCE.
        if ext.first() == Some(&0x01) {
            match der(ext) {
                Some((_, _, rest)) => ext = rest,
                None => break,
            }
        }
        let Some((_, value, _)) = der(ext) else {
            break;
        };
        let Some((_, mut gns, _)) = der(value) else {
            break;
        };
        while let Some((tag, name, rest)) = der(gns) {
            gns = rest;
            if tag == 0x82 {
                names.push(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    names
}

/// Whether `host` matches the certificate's names the way mbedTLS 2.28
/// checks them: its DNS subject alternative names if it has any, else its
/// common name; ASCII case-insensitive, with a leading `*.` matching
/// exactly one label.
fn names_host(cert: &[u8], host: &str) -> bool {
    let mut names = subject_alt_dns_names(cert);
    if names.is_empty() {
        names.extend(subject_cn(cert));
    }
    names.iter().any(|n| host_matches(n, host))
}

fn host_matches(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((label, rest))) => {
            !label.is_empty() && !suffix.is_empty() && suffix.eq_ignore_ascii_case(rest)
        }
        _ => false,
    }
}

/// Verifies `sig` over `msg` with the public key `(key_alg, key)`, trying
/// the algorithms of `candidates` for that key type.
fn verify_with(
    candidates: &[&dyn SignatureVerificationAlgorithm],
    key_alg: &[u8],
    key: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> bool {
    candidates.iter().any(|a| {
        a.public_key_alg_id().as_ref() == key_alg && a.verify_signature(key, msg, sig).is_ok()
    })
}

/// Whether `issuer` signed `cert` (the signature algorithm must be one
/// `algs` supports).
fn signed_by(algs: &WebPkiSupportedAlgorithms, cert: &Cert<'_>, issuer: &Cert<'_>) -> bool {
    let candidates: Vec<_> = algs
        .all
        .iter()
        .copied()
        .filter(|a| a.signature_alg_id().as_ref() == cert.sig_alg)
        .collect();
    cert.issuer == issuer.subject
        && verify_with(&candidates, issuer.key_alg, issuer.key, cert.tbs, cert.sig)
}

/// Checks `leaf` against the trusted certificates `roots` as mbedTLS would
/// where webpki cannot (see the module docs): `leaf` is one of `roots` or
/// signed by one, is valid at `now`, and (when `host` is given) names it.
/// `Ok` if so; otherwise the caller keeps webpki's verdict.
pub fn verify_fallback(
    algs: &WebPkiSupportedAlgorithms,
    leaf: &CertificateDer<'_>,
    roots: &[CertificateDer<'static>],
    host: Option<&ServerName<'_>>,
    now: UnixTime,
) -> bool {
    let Some(cert) = parse(leaf) else {
        return false;
    };
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    if now < cert.not_before || now > cert.not_after {
        return false;
    }
    if let Some(host) = host {
        let host = match host {
            ServerName::DnsName(d) => d.as_ref().to_owned(),
            ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
            _ => return false,
        };
        if !names_host(leaf, &host) {
            return false;
        }
    }
    roots.iter().any(|r| {
        r.as_ref() == leaf.as_ref() || parse(r).is_some_and(|root| signed_by(algs, &cert, &root))
    })
}

/// Verifies a handshake signature `sig` (scheme `scheme`) over `msg` with
/// the key of `cert`, for certificates webpki cannot parse.
pub fn verify_signature(
    algs: &WebPkiSupportedAlgorithms,
    cert: &CertificateDer<'_>,
    scheme: SignatureScheme,
    msg: &[u8],
    sig: &[u8],
) -> bool {
    let Some(c) = parse(cert) else {
        return false;
    };
    algs.mapping
        .iter()
        .filter(|(s, _)| *s == scheme)
        .any(|(_, candidates)| verify_with(candidates, c.key_alg, c.key, msg, sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time(0x17, b"700101000000Z"), Some(0));
        assert_eq!(time(0x17, b"000301000000Z"), Some(951_868_800));
        assert_eq!(time(0x18, b"21200429233119Z"), Some(4_743_876_679));
        assert_eq!(time(0x18, b"2120042923311Z"), None);
        assert_eq!(time(0x17, b"701301000000Z"), None);
        assert_eq!(time(0x17, b"70010100000aZ"), None);
        assert_eq!(time(0x05, b""), None);
    }

    #[test]
    fn host_patterns() {
        assert!(host_matches("localhost", "LOCALHOST"));
        assert!(host_matches("*.example.com", "a.example.com"));
        assert!(!host_matches("*.example.com", "a.b.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(!host_matches("*.", "a."));
        assert!(!host_matches("other", "localhost"));
    }

    #[test]
    fn garbage_never_parses() {
        for input in [
            &b""[..],
            b"\x30",
            b"\x30\x03\x30\x01",
            b"\x30\x84\xff\xff\xff\xff",
        ] {
            assert!(parse(input).is_none());
            assert!(subject_cn(input).is_none());
            assert!(subject_alt_dns_names(input).is_empty());
        }
    }
}
