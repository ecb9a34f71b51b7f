//! C API: URLs (`nng_url_parse`, `nng_url_clone`, `nng_url_free`) and socket
//! address display (`nng_str_sockaddr`), plus the conversions other `ffi`
//! files use: [`url_to_c`] for an `nng_url` owned by C or by an endpoint,
//! and [`sockaddr_to_c`] / [`sockaddr_from_c`] for the `nng_sockaddr` union.
//!
//! An `nng_url` and each of its strings come from the C allocator (`malloc`),
//! so `nng_url_free` releases any `nng_url` this library hands out.

use std::ffi::{c_char, c_int, CStr, OsStr};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use super::types::{
    nng_sockaddr, nng_sockaddr_abstract, nng_sockaddr_in, nng_sockaddr_in6, nng_sockaddr_inproc,
    nng_sockaddr_path, nng_sockaddr_storage, nng_sockaddr_zt, nng_url,
};
use super::{c_string_dup, cstr, guard, guard_rc, out};
use crate::core::error::{Error, Result};
use crate::core::sockaddr::{self, SockAddr};
use crate::core::url::Url;

/// Parses `text` into a newly allocated `nng_url`, stored in `*urlp` on
/// success; free it with `nng_url_free`.
///
/// Returns `NNG_EINVAL` when `urlp` or `text` is NULL, `text` is not UTF-8, has
/// no `://` after the scheme, has a `[` without `]` or junk after `]`, a `:`
/// with no port, two `@`, or a bad `%xx` or bad UTF-8 in the path;
/// `NNG_ENOMEM` when memory is short. `*urlp` is untouched on failure.
/// Never blocks.
///
/// # Safety
///
/// `urlp` is NULL or writable; `text` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_url_parse(urlp: *mut *mut nng_url, text: *const c_char) -> c_int {
    guard_rc(|| {
        if urlp.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: per this function's contract.
        let s = unsafe { cstr(text) }?.to_str().map_err(|_| Error::Inval)?;
        let url = Url::parse(s)?;
        let p = url_to_c(&url)?;
        // SAFETY: urlp is non-NULL and writable per the contract.
        unsafe { out(urlp, p) }
    })
}

/// Frees an `nng_url` and all its strings. NULL is a no-op.
///
/// # Safety
///
/// `url` is NULL or came from `nng_url_parse`/`nng_url_clone` and is not used
/// again.
#[no_mangle]
pub unsafe extern "C" fn nng_url_free(url: *mut nng_url) {
    // SAFETY: per this function's contract; freeing cannot panic.
    unsafe { url_free_c(url) }
}

/// Makes a deep copy of `src` in `*dstp`; NULL fields stay NULL. Returns
/// `NNG_EINVAL` if either pointer is NULL, `NNG_ENOMEM` when memory is short
/// (`*dstp` untouched). Never blocks.
///
/// # Safety
///
/// `dstp` is NULL or writable; `src` is NULL or a valid `nng_url` whose
/// fields are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn nng_url_clone(dstp: *mut *mut nng_url, src: *const nng_url) -> c_int {
    guard_rc(|| {
        if dstp.is_null() {
            return Err(Error::Inval);
        }
        // SAFETY: per this function's contract src is NULL or valid.
        let src = unsafe { src.as_ref() }.ok_or(Error::Inval)?;
        let dst = alloc_url()?;
        let mut complete = true;
        {
            // SAFETY: dst is a fresh, zeroed, exclusively owned nng_url.
            let d = unsafe { &mut *dst };
            let copies: [(*mut c_char, &mut *mut c_char); 10] = [
                (src.u_rawurl, &mut d.u_rawurl),
                (src.u_scheme, &mut d.u_scheme),
                (src.u_userinfo, &mut d.u_userinfo),
                (src.u_host, &mut d.u_host),
                (src.u_hostname, &mut d.u_hostname),
                (src.u_port, &mut d.u_port),
                (src.u_path, &mut d.u_path),
                (src.u_query, &mut d.u_query),
                (src.u_fragment, &mut d.u_fragment),
                (src.u_requri, &mut d.u_requri),
            ];
            for (from, to) in copies {
                if from.is_null() {
                    continue;
                }
                // SAFETY: non-NULL fields are NUL-terminated per the contract.
                *to = c_string_dup(unsafe { CStr::from_ptr(from) }.to_bytes());
                if to.is_null() {
                    complete = false;
                    break;
                }
            }
        }
        if !complete {
            // SAFETY: dst is ours, partly filled with our allocations.
            unsafe { url_free_c(dst) };
            return Err(Error::NoMem);
        }
        // SAFETY: dstp is non-NULL and writable per the contract.
        unsafe { out(dstp, dst) }
    })
}

/// Formats `sa` for display into `buf` (at most `bufsz` bytes including the
/// NUL, truncating as `snprintf` does) and returns `buf`. Formats:
/// `a.b.c.d:port`, `[v6]:port` or `[v6%scope]:port`, `inproc[name]`, the IPC
/// path, `abstract[name]`, `ZT[node:nwid:port]`. For `NNG_AF_UNSPEC`, an
/// unknown family or a NULL `sa` it returns the static string `"unknown"` and
/// leaves `buf` alone. `NNG_MAXADDRSTRLEN` bytes are always enough.
///
/// # Safety
///
/// `sa` is NULL or a valid `nng_sockaddr`; `buf` is NULL or writable for
/// `bufsz` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_str_sockaddr(
    sa: *const nng_sockaddr,
    buf: *mut c_char,
    bufsz: usize,
) -> *const c_char {
    guard(|| {
        // SAFETY: per this function's contract.
        let Some(sa) = (unsafe { sa.as_ref() }) else {
            return c"unknown".as_ptr();
        };
        let addr = match sockaddr_from_c_display(sa) {
            Some(SockAddr::Unspec) | None => return c"unknown".as_ptr(),
            Some(a) => a,
        };
        let text = addr.display_bytes();
        if !buf.is_null() && bufsz > 0 {
            let n = text.len().min(bufsz - 1);
            // SAFETY: buf is writable for bufsz > n bytes per the contract,
            // and cannot overlap our fresh `text`.
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
                *buf.add(n) = 0;
            }
        }
        buf.cast_const()
    })
}

/// Copies a [`Url`] into a new C `nng_url` (every string `malloc`ed), for
/// C to release with `nng_url_free` (or [`url_free_c`]).
/// `Error::NoMem` when memory is short.
pub fn url_to_c(url: &Url) -> Result<*mut nng_url> {
    let p = alloc_url()?;
    let mut complete = true;
    {
        // SAFETY: p is a fresh, zeroed nng_url that we own exclusively.
        let u = unsafe { &mut *p };
        let fields: [(Option<&str>, &mut *mut c_char); 10] = [
            (Some(&url.raw), &mut u.u_rawurl),
            (Some(&url.scheme), &mut u.u_scheme),
            (url.userinfo.as_deref(), &mut u.u_userinfo),
            (url.host.as_deref(), &mut u.u_host),
            (url.hostname.as_deref(), &mut u.u_hostname),
            (url.port.as_deref(), &mut u.u_port),
            (Some(&url.path), &mut u.u_path),
            (url.query.as_deref(), &mut u.u_query),
            (url.fragment.as_deref(), &mut u.u_fragment),
            (url.requri.as_deref(), &mut u.u_requri),
        ];
        for (s, slot) in fields {
            if let Some(s) = s {
                *slot = c_string_dup(s.as_bytes());
                if slot.is_null() {
                    complete = false;
                    break;
                }
            }
        }
    }
    if !complete {
        // SAFETY: p is ours and holds only our allocations.
        unsafe { url_free_c(p) };
        return Err(Error::NoMem);
    }
    Ok(p)
}

/// Reads a C `nng_url` back into a [`Url`] (for functions that take a
/// `const nng_url *`); NULL fields become `None`, and a NULL `u_rawurl`,
/// `u_scheme` or `u_path` becomes `""`. Non-UTF-8 text gives `Error::Inval`.
///
/// # Safety
///
/// `p` is NULL (giving `Error::Inval`) or a valid `nng_url` whose fields are
/// NULL or NUL-terminated strings.
pub unsafe fn url_from_c(p: *const nng_url) -> Result<Url> {
    // SAFETY: per this function's contract.
    let u = unsafe { p.as_ref() }.ok_or(Error::Inval)?;
    let field = |f: *mut c_char| -> Result<Option<String>> {
        if f.is_null() {
            return Ok(None);
        }
        // SAFETY: non-NULL fields are NUL-terminated per the contract.
        let s = unsafe { CStr::from_ptr(f) }
            .to_str()
            .map_err(|_| Error::Inval)?;
        Ok(Some(s.to_owned()))
    };
    Ok(Url {
        raw: field(u.u_rawurl)?.unwrap_or_default(),
        scheme: field(u.u_scheme)?.unwrap_or_default(),
        userinfo: field(u.u_userinfo)?,
        host: field(u.u_host)?,
        hostname: field(u.u_hostname)?,
        port: field(u.u_port)?,
        path: field(u.u_path)?.unwrap_or_default(),
        query: field(u.u_query)?,
        fragment: field(u.u_fragment)?,
        requri: field(u.u_requri)?,
    })
}

/// Frees an `nng_url` made by [`url_to_c`] (what `nng_url_free` does).
///
/// # Safety
///
/// `p` is NULL or came from [`url_to_c`]/`nng_url_clone` and is not used again.
pub unsafe fn url_free_c(p: *mut nng_url) {
    if p.is_null() {
        return;
    }
    // SAFETY: per the contract p is a live nng_url from alloc_url, and every
    // non-NULL field came from malloc (c_string_dup); free(NULL) is a no-op.
    unsafe {
        let u = &*p;
        for f in [
            u.u_rawurl,
            u.u_scheme,
            u.u_userinfo,
            u.u_host,
            u.u_hostname,
            u.u_port,
            u.u_path,
            u.u_query,
            u.u_fragment,
            u.u_requri,
        ] {
            libc::free(f.cast());
        }
        libc::free(p.cast());
    }
}

fn alloc_url() -> Result<*mut nng_url> {
    // SAFETY: calloc has no preconditions; all-zero is a valid nng_url (every
    // field NULL).
    let p = unsafe { libc::calloc(1, std::mem::size_of::<nng_url>()) }.cast::<nng_url>();
    if p.is_null() {
        Err(Error::NoMem)
    } else {
        Ok(p)
    }
}

/// Converts a [`SockAddr`] into the C union. Strings too long for their
/// field are cut (127 bytes for inproc names and IPC paths, 107 for abstract
/// names); transports reject such addresses before they get here.
pub fn sockaddr_to_c(sa: &SockAddr) -> nng_sockaddr {
    let mut c = nng_sockaddr {
        s_storage: nng_sockaddr_storage {
            sa_family: 0,
            sa_pad: [0; 16],
        },
    };
    match sa {
        SockAddr::Unspec => {}
        SockAddr::Inproc(name) => {
            let mut s = nng_sockaddr_inproc {
                sa_family: sockaddr::AF_INPROC,
                sa_name: [0; 128],
            };
            copy_c_chars(&mut s.sa_name, name.as_bytes());
            c.s_inproc = s;
        }
        SockAddr::Ipc(path) => {
            let mut s = nng_sockaddr_path {
                sa_family: sockaddr::AF_IPC,
                sa_path: [0; 128],
            };
            copy_c_chars(&mut s.sa_path, path.as_os_str().as_bytes());
            c.s_ipc = s;
        }
        SockAddr::Abstract(name) => {
            let n = name.len().min(sockaddr::MAX_ABSTRACT_LEN);
            let mut s = nng_sockaddr_abstract {
                sa_family: sockaddr::AF_ABSTRACT,
                sa_len: n as u16,
                sa_name: [0; 107],
            };
            s.sa_name[..n].copy_from_slice(&name[..n]);
            c.s_abstract = s;
        }
        SockAddr::Inet(a) => {
            c.s_in = nng_sockaddr_in {
                sa_family: sockaddr::AF_INET,
                sa_port: a.port().to_be(),
                sa_addr: u32::from_ne_bytes(a.ip().octets()),
            };
        }
        SockAddr::Inet6(a) => {
            c.s_in6 = nng_sockaddr_in6 {
                sa_family: sockaddr::AF_INET6,
                sa_port: a.port().to_be(),
                sa_addr: a.ip().octets(),
                sa_scope: a.scope_id(),
            };
        }
        SockAddr::Zt { nwid, nodeid, port } => {
            c.s_zt = nng_sockaddr_zt {
                sa_family: sockaddr::AF_ZT,
                sa_nwid: *nwid,
                sa_nodeid: *nodeid,
                sa_port: *port,
            };
        }
    }
    c
}

/// Converts the C union into a [`SockAddr`]. Strings end at their first NUL
/// (or the end of the field); an abstract name takes `sa_len` bytes.
/// An unknown family or an `sa_len` over 107 gives `Error::Inval`.
pub fn sockaddr_from_c(sa: &nng_sockaddr) -> Result<SockAddr> {
    // SAFETY: every member of the union is plain data that starts with the
    // family, and any bit pattern is a valid value of each.
    let family = unsafe { sa.s_family };
    // SAFETY (for each union read below): as above; `family` says which
    // member the caller filled in.
    Ok(match family {
        sockaddr::AF_UNSPEC => SockAddr::Unspec,
        sockaddr::AF_INPROC => {
            // SAFETY: see above.
            let name = c_chars(unsafe { &sa.s_inproc.sa_name });
            SockAddr::Inproc(String::from_utf8_lossy(name).into_owned())
        }
        sockaddr::AF_IPC => {
            // SAFETY: see above.
            let path = c_chars(unsafe { &sa.s_ipc.sa_path });
            SockAddr::Ipc(PathBuf::from(OsStr::from_bytes(path)))
        }
        sockaddr::AF_ABSTRACT => {
            // SAFETY: see above.
            let a = unsafe { &sa.s_abstract };
            let n = usize::from(a.sa_len);
            if n > sockaddr::MAX_ABSTRACT_LEN {
                return Err(Error::Inval);
            }
            SockAddr::Abstract(a.sa_name[..n].to_vec())
        }
        sockaddr::AF_INET => {
            // SAFETY: see above.
            let a = unsafe { &sa.s_in };
            let ip = Ipv4Addr::from(a.sa_addr.to_ne_bytes());
            SockAddr::Inet(SocketAddrV4::new(ip, u16::from_be(a.sa_port)))
        }
        sockaddr::AF_INET6 => {
            // SAFETY: see above.
            let a = unsafe { &sa.s_in6 };
            let ip = Ipv6Addr::from(a.sa_addr);
            SockAddr::Inet6(SocketAddrV6::new(
                ip,
                u16::from_be(a.sa_port),
                0,
                a.sa_scope,
            ))
        }
        sockaddr::AF_ZT => {
            // SAFETY: see above.
            let a = unsafe { &sa.s_zt };
            SockAddr::Zt {
                nwid: a.sa_nwid,
                nodeid: a.sa_nodeid,
                port: a.sa_port,
            }
        }
        _ => return Err(Error::Inval),
    })
}

/// The conversion `nng_str_sockaddr` prints from: as [`sockaddr_from_c`],
/// except that an abstract name is read as a C string (up to its first NUL,
/// whatever `sa_len` says), which is what upstream prints.
fn sockaddr_from_c_display(sa: &nng_sockaddr) -> Option<SockAddr> {
    // SAFETY: the family is common to every member; any value is valid.
    if unsafe { sa.s_family } == sockaddr::AF_ABSTRACT {
        // SAFETY: the family says the abstract member is in use; plain data.
        let name = unsafe { &sa.s_abstract.sa_name };
        let n = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        return Some(SockAddr::Abstract(name[..n].to_vec()));
    }
    sockaddr_from_c(sa).ok()
}

/// The bytes of a fixed C char array, up to its first NUL.
fn c_chars(a: &[c_char]) -> &[u8] {
    // SAFETY: c_char and u8 have the same size and alignment, and any byte
    // is a valid u8.
    let b = unsafe { std::slice::from_raw_parts(a.as_ptr().cast::<u8>(), a.len()) };
    b.iter().position(|&c| c == 0).map_or(b, |n| &b[..n])
}

/// Copies `src` into a fixed C char array, cut to leave room for the NUL.
fn copy_c_chars(dst: &mut [c_char], src: &[u8]) {
    let n = src.len().min(dst.len() - 1);
    for (d, &s) in dst.iter_mut().zip(&src[..n]) {
        *d = s as c_char;
    }
    dst[n] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(p: *mut c_char) -> Option<String> {
        if p.is_null() {
            return None;
        }
        // SAFETY: non-NULL fields are NUL-terminated strings we made.
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }

    #[test]
    fn parse_clone_free() {
        let mut u: *mut nng_url = std::ptr::null_mut();
        // SAFETY: valid out-pointer and literal string; freed below.
        unsafe {
            assert_eq!(nng_url_parse(&mut u, c"ws://Host:8080/a?b#c".as_ptr()), 0);
            let r = &*u;
            assert_eq!(field(r.u_host).as_deref(), Some("host:8080"));
            assert_eq!(field(r.u_userinfo), None);
            assert_eq!(field(r.u_requri).as_deref(), Some("/a?b#c"));
            let mut v: *mut nng_url = std::ptr::null_mut();
            assert_eq!(nng_url_clone(&mut v, u), 0);
            assert_ne!(v, u);
            assert_eq!(url_from_c(v), url_from_c(u));
            assert_eq!(
                url_from_c(u).unwrap(),
                Url::parse("ws://Host:8080/a?b#c").unwrap()
            );
            nng_url_free(u);
            nng_url_free(v);
            nng_url_free(std::ptr::null_mut());
        }
    }

    #[test]
    fn parse_rejects_bad_input_and_keeps_out_param() {
        let mut u: *mut nng_url = std::ptr::null_mut();
        // SAFETY: valid out-pointer; NULL/literal strings.
        unsafe {
            assert_eq!(
                nng_url_parse(&mut u, c"tcp:/x".as_ptr()),
                Error::Inval.code()
            );
            assert!(u.is_null());
            assert_eq!(nng_url_parse(&mut u, std::ptr::null()), Error::Inval.code());
            assert_eq!(
                nng_url_parse(std::ptr::null_mut(), c"tcp://x:1".as_ptr()),
                Error::Inval.code()
            );
            assert_eq!(
                nng_url_parse(&mut u, c"tcp://\xff".as_ptr()),
                Error::Inval.code()
            );
            assert_eq!(nng_url_clone(&mut u, std::ptr::null()), Error::Inval.code());
            assert!(u.is_null());
        }
    }

    #[test]
    fn sockaddr_round_trips_through_c() {
        let cases = [
            SockAddr::Unspec,
            SockAddr::Inproc("inproc://x".into()),
            SockAddr::Ipc("/tmp/x.sock".into()),
            SockAddr::Abstract(b"a\0b".to_vec()),
            "127.0.0.1:80"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
            sockaddr::inet6(Ipv6Addr::LOCALHOST, 9000, 3),
            SockAddr::Zt {
                nwid: 1,
                nodeid: 2,
                port: 3,
            },
        ];
        for sa in cases {
            assert_eq!(
                sockaddr_from_c(&sockaddr_to_c(&sa)),
                Ok(sa.clone()),
                "{sa:?}"
            );
        }
        let c = sockaddr_to_c(
            &"1.2.3.4:258"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        );
        // SAFETY: we just wrote the s_in member.
        let raw = unsafe { c.s_in };
        assert_eq!(raw.sa_port.to_ne_bytes(), [1, 2]);
        assert_eq!(raw.sa_addr.to_ne_bytes(), [1, 2, 3, 4]);
        let mut bad = sockaddr_to_c(&SockAddr::Unspec);
        bad.s_family = 99;
        assert_eq!(sockaddr_from_c(&bad), Err(Error::Inval));
    }

    #[test]
    fn str_sockaddr_truncates_like_snprintf() {
        let c = sockaddr_to_c(
            &"127.0.0.1:80"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        );
        let mut buf = [0x55 as c_char; 8];
        // SAFETY: buf is writable for its length.
        let p = unsafe { nng_str_sockaddr(&c, buf.as_mut_ptr(), buf.len()) };
        assert_eq!(p, buf.as_ptr());
        // SAFETY: the result is NUL-terminated within buf.
        assert_eq!(unsafe { CStr::from_ptr(p) }.to_bytes(), b"127.0.0");
        let u = sockaddr_to_c(&SockAddr::Unspec);
        // SAFETY: as above; the result is the static "unknown".
        let text = unsafe { CStr::from_ptr(nng_str_sockaddr(&u, buf.as_mut_ptr(), buf.len())) };
        assert_eq!(text.to_bytes(), b"unknown");
        assert_eq!(buf[7], 0);
    }
}
