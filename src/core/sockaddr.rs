//! Socket addresses of every transport, as one Rust enum, and their printed
//! form (`nng_str_sockaddr`).
//!
//! The C union `nng_sockaddr` is converted to and from [`SockAddr`] in
//! `ffi::url` (this module must not name `ffi` types). The family numbers
//! below are ABI (reference ABI.md §4.1) and never change.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::PathBuf;

/// `NNG_AF_UNSPEC`
pub const AF_UNSPEC: u16 = 0;
/// `NNG_AF_INPROC`
pub const AF_INPROC: u16 = 1;
/// `NNG_AF_IPC`
pub const AF_IPC: u16 = 2;
/// `NNG_AF_INET`
pub const AF_INET: u16 = 3;
/// `NNG_AF_INET6`
pub const AF_INET6: u16 = 4;
/// `NNG_AF_ZT`
pub const AF_ZT: u16 = 5;
/// `NNG_AF_ABSTRACT`
pub const AF_ABSTRACT: u16 = 6;

/// Longest inproc name or IPC path that fits the C address (128 bytes with
/// the NUL).
pub const MAX_PATH_LEN: usize = 127;
/// Longest abstract socket name (without its leading NUL) that fits.
pub const MAX_ABSTRACT_LEN: usize = 107;

/// A socket address of any nng transport.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum SockAddr {
    /// No address (`NNG_AF_UNSPEC`).
    #[default]
    Unspec,
    /// An inproc endpoint: nng stores the whole URL (`inproc://name`).
    Inproc(String),
    /// An IPC (UNIX domain) socket path.
    Ipc(PathBuf),
    /// A Linux abstract socket name, without the leading NUL; may hold NULs.
    /// Empty asks for auto-bind when listening.
    Abstract(Vec<u8>),
    /// An IPv4 address and port.
    Inet(SocketAddrV4),
    /// An IPv6 address, port and scope id (the flow info is not kept).
    Inet6(SocketAddrV6),
    /// A ZeroTier address.
    Zt {
        /// Network id.
        nwid: u64,
        /// Node id.
        nodeid: u64,
        /// 24-bit port.
        port: u32,
    },
}

impl SockAddr {
    /// The `NNG_AF_*` number of this address.
    pub fn family(&self) -> u16 {
        match self {
            SockAddr::Unspec => AF_UNSPEC,
            SockAddr::Inproc(_) => AF_INPROC,
            SockAddr::Ipc(_) => AF_IPC,
            SockAddr::Abstract(_) => AF_ABSTRACT,
            SockAddr::Inet(_) => AF_INET,
            SockAddr::Inet6(_) => AF_INET6,
            SockAddr::Zt { .. } => AF_ZT,
        }
    }

    /// The IP socket address, for `Inet` and `Inet6` only.
    pub fn to_socket_addr(&self) -> Option<SocketAddr> {
        match self {
            SockAddr::Inet(a) => Some(SocketAddr::V4(*a)),
            SockAddr::Inet6(a) => Some(SocketAddr::V6(*a)),
            _ => None,
        }
    }

    /// The printed form as bytes, exactly as `nng_str_sockaddr` writes it
    /// (IPC paths and abstract names need not be UTF-8). `Unspec` gives
    /// `"unknown"`.
    pub fn display_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(48);
        match self {
            SockAddr::Unspec => out.extend_from_slice(b"unknown"),
            SockAddr::Inproc(name) => {
                out.extend_from_slice(b"inproc[");
                out.extend_from_slice(until_nul(name.as_bytes()));
                out.push(b']');
            }
            SockAddr::Ipc(path) => {
                use std::os::unix::ffi::OsStrExt;
                out.extend_from_slice(until_nul(path.as_os_str().as_bytes()));
            }
            SockAddr::Abstract(name) => {
                // Upstream prints the name as a C string: up to its first NUL.
                out.extend_from_slice(b"abstract[");
                out.extend_from_slice(until_nul(name));
                out.push(b']');
            }
            SockAddr::Inet(a) => {
                out.extend_from_slice(format!("{}:{}", a.ip(), a.port()).as_bytes());
            }
            SockAddr::Inet6(a) => {
                out.push(b'[');
                write_ipv6(&a.ip().octets(), &mut out);
                if a.scope_id() != 0 {
                    out.extend_from_slice(format!("%{}", a.scope_id()).as_bytes());
                }
                out.extend_from_slice(format!("]:{}", a.port()).as_bytes());
            }
            SockAddr::Zt { nwid, nodeid, port } => {
                out.extend_from_slice(format!("ZT[{nodeid:x}:{nwid:x}:{port}]").as_bytes());
            }
        }
        out
    }
}

impl From<SocketAddr> for SockAddr {
    fn from(a: SocketAddr) -> SockAddr {
        match a {
            SocketAddr::V4(a) => SockAddr::Inet(a),
            SocketAddr::V6(a) => SockAddr::Inet6(a),
        }
    }
}

impl From<SocketAddrV4> for SockAddr {
    fn from(a: SocketAddrV4) -> SockAddr {
        SockAddr::Inet(a)
    }
}

impl From<SocketAddrV6> for SockAddr {
    fn from(a: SocketAddrV6) -> SockAddr {
        SockAddr::Inet6(a)
    }
}

impl TryFrom<&SockAddr> for SocketAddr {
    type Error = crate::core::error::Error;
    /// `Inet`/`Inet6` convert; anything else is `Error::AddrInval`.
    fn try_from(a: &SockAddr) -> Result<SocketAddr, Self::Error> {
        a.to_socket_addr()
            .ok_or(crate::core::error::Error::AddrInval)
    }
}

/// The `nng_str_sockaddr` form: `a.b.c.d:port`, `[v6%scope]:port`,
/// `inproc[name]`, the IPC path, `abstract[name]`, `ZT[node:nwid:port]`,
/// `unknown`. Non-UTF-8 bytes print as U+FFFD.
impl fmt::Display for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.display_bytes()))
    }
}

/// An IPv4 socket address.
pub fn inet(ip: Ipv4Addr, port: u16) -> SockAddr {
    SockAddr::Inet(SocketAddrV4::new(ip, port))
}

/// An IPv6 socket address with a scope id.
pub fn inet6(ip: Ipv6Addr, port: u16, scope: u32) -> SockAddr {
    SockAddr::Inet6(SocketAddrV6::new(ip, port, 0, scope))
}

fn until_nul(b: &[u8]) -> &[u8] {
    b.iter().position(|&c| c == 0).map_or(b, |n| &b[..n])
}

/// Writes an IPv6 address the way nng does: lower-case hex groups, the
/// first longest run of zero groups (even a single one) shown as `::`, and
/// `::ffff:a.b.c.d` for IPv4-mapped addresses. (This differs from RFC 5952
/// and from `Ipv6Addr`'s `Display` in the single-group case.)
pub fn write_ipv6(addr: &[u8; 16], out: &mut Vec<u8>) {
    if addr[..12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
        let v4 = Ipv4Addr::new(addr[12], addr[13], addr[14], addr[15]);
        out.extend_from_slice(format!("::ffff:{v4}").as_bytes());
        return;
    }
    let groups: [u16; 8] =
        std::array::from_fn(|i| u16::from_be_bytes([addr[2 * i], addr[2 * i + 1]]));

    // First longest run of zero groups, as (start, length).
    let (mut best, mut run) = (None::<(usize, usize)>, None::<(usize, usize)>);
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            let r = run.map_or((i, 1), |(s, n)| (s, n + 1));
            run = Some(r);
            if best.map_or(true, |(_, n)| n < r.1) {
                best = Some(r);
            }
        } else {
            run = None;
        }
    }

    let mut sep = false;
    for (i, &g) in groups.iter().enumerate() {
        match best {
            Some((s, _)) if i == s => {
                out.extend_from_slice(b"::");
                sep = false;
            }
            Some((s, n)) if i > s && i < s + n => {}
            _ => {
                if sep {
                    out.push(b':');
                }
                out.extend_from_slice(format!("{g:x}").as_bytes());
                sep = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(sa: &SockAddr) -> String {
        sa.to_string()
    }

    fn v6(a: [u8; 16], port: u16, scope: u32) -> SockAddr {
        inet6(Ipv6Addr::from(a), port, scope)
    }

    #[test]
    fn formats_match_upstream() {
        assert_eq!(
            show(&SockAddr::Ipc("/tmp/something".into())),
            "/tmp/something"
        );
        assert_eq!(
            show(&SockAddr::Abstract(b"something".to_vec())),
            "abstract[something]"
        );
        assert_eq!(show(&SockAddr::Abstract(b"a\0b".to_vec())), "abstract[a]");
        assert_eq!(
            show(&SockAddr::Inproc("something".into())),
            "inproc[something]"
        );
        assert_eq!(show(&inet(Ipv4Addr::new(127, 0, 0, 1), 80)), "127.0.0.1:80");
        let mut a = [0u8; 16];
        a[15] = 1;
        assert_eq!(show(&v6(a, 80, 0)), "[::1]:80");
        assert_eq!(show(&v6([0; 16], 80, 0)), "[::]:80");
        let mut a = [0u8; 16];
        a[10] = 0xff;
        a[11] = 0xff;
        a[12..].copy_from_slice(&[192, 168, 1, 100]);
        assert_eq!(show(&v6(a, 80, 0)), "[::ffff:192.168.1.100]:80");
        let mut a = [0u8; 16];
        a[0] = 0xfe;
        a[1] = 0x80;
        a[15] = 4;
        assert_eq!(show(&v6(a, 80, 2)), "[fe80::4%2]:80");
        let mut a = [0u8; 16];
        a[0] = 0xfc;
        assert_eq!(show(&v6(a, 80, 0)), "[fc00::]:80");
        let z = SockAddr::Zt {
            nwid: 0xb,
            nodeid: 0xa,
            port: 1 << 20,
        };
        assert_eq!(show(&z), "ZT[a:b:1048576]");
        assert_eq!(show(&SockAddr::Unspec), "unknown");
    }

    #[test]
    fn ipv6_zero_runs() {
        let s = |g: [u16; 8]| {
            let mut b = [0u8; 16];
            for (i, v) in g.iter().enumerate() {
                b[2 * i..2 * i + 2].copy_from_slice(&v.to_be_bytes());
            }
            let mut out = Vec::new();
            write_ipv6(&b, &mut out);
            String::from_utf8(out).unwrap()
        };
        // A single zero group is compressed too (unlike RFC 5952).
        assert_eq!(s([1, 0, 2, 3, 4, 5, 6, 7]), "1::2:3:4:5:6:7");
        // The first of two equally long runs wins.
        assert_eq!(s([1, 0, 0, 2, 0, 0, 3, 4]), "1::2:0:0:3:4");
        assert_eq!(s([1, 0, 0, 2, 0, 0, 0, 4]), "1:0:0:2::4");
        assert_eq!(s([1, 2, 3, 4, 5, 6, 7, 0xabcd]), "1:2:3:4:5:6:7:abcd");
        assert_eq!(s([1, 2, 3, 4, 5, 6, 7, 0]), "1:2:3:4:5:6:7::");
        assert_eq!(s([0, 0, 0, 0, 0, 0, 0x0102, 0x0304]), "::102:304");
    }

    #[test]
    fn socket_addr_round_trip() {
        let a: SocketAddr = "[fe80::1%3]:99".parse().unwrap();
        let s = SockAddr::from(a);
        assert_eq!(s.family(), AF_INET6);
        assert_eq!(s.to_socket_addr(), Some(a));
        let b: SocketAddr = "10.1.2.3:7".parse().unwrap();
        assert_eq!(SocketAddr::try_from(&SockAddr::from(b)), Ok(b));
        assert!(SocketAddr::try_from(&SockAddr::Unspec).is_err());
    }
}
