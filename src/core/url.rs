//! URLs as nng parses them (`nng_url_parse`), and their printed form.
//!
//! nng's URL grammar is narrower than RFC 3986: every URL has a `scheme://`
//! prefix, the "path-only" schemes (`ipc`, `unix`, `abstract`, `inproc`)
//! keep the whole remainder as their path, and everything else is split into
//! an authority (`userinfo@host:port`) and a request URI that is
//! canonicalised (safe `%xx` decoded, `//` collapsed, `.`/`..` removed,
//! UTF-8 checked). The exact rules and the examples in reference ABI.md §3.4
//! are ABI: applications read the fields of `nng_url` directly.
//!
//! Pure string handling; depends only on [`crate::core::error`].

use std::fmt;

use crate::core::error::{Error, Result};

/// A parsed URL. The fields mirror the public C `nng_url` one for one,
/// including which of them are absent (`None` is a NULL field in C).
///
/// The fields are public because C applications may build or edit an
/// `nng_url` themselves; [`Url::parse`] is the normal way to make one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    /// The URL exactly as given.
    pub raw: String,
    /// The scheme, lower-cased (`tcp`, `ws`, `ipc`, ...).
    pub scheme: String,
    /// Text before `@` in the authority.
    pub userinfo: Option<String>,
    /// The authority without userinfo, lower-cased, with `:port` and IPv6
    /// brackets, a leading `*` wildcard removed. `None` for path-only schemes.
    pub host: Option<String>,
    /// The host alone (no brackets, no port); `""` when absent. `None` for
    /// path-only schemes.
    pub hostname: Option<String>,
    /// The port text, else the scheme's default port, else `""`. `None` for
    /// path-only schemes.
    pub port: Option<String>,
    /// The path (`""` if none); for path-only schemes the whole remainder.
    pub path: String,
    /// Text after `?`, without it.
    pub query: Option<String>,
    /// Text after `#`, without it.
    pub fragment: Option<String>,
    /// Canonical path, `?query` and `#fragment`. `None` for path-only schemes.
    pub requri: Option<String>,
}

/// Schemes whose URL is `scheme://` followed by an opaque path or name.
const PATH_ONLY: &[&str] = &["ipc", "unix", "abstract", "inproc"];

/// Schemes with a well-known port, used when a URL gives none. `ws4`, `wss6`
/// and the like (a `4`/`6` suffix restricts the address family, an nng
/// extension) share their base scheme's port.
const DEFAULT_PORTS: &[(&str, &str)] = &[
    ("git", "9418"),
    ("gopher", "70"),
    ("http", "80"),
    ("https", "443"),
    ("ssh", "22"),
    ("telnet", "23"),
    ("ws", "80"),
    ("wss", "443"),
];

/// The default port of a scheme (`"80"` for `ws`, `ws4`, `ws6`, ...), or `""`.
pub fn default_port(scheme: &str) -> &'static str {
    for &(name, port) in DEFAULT_PORTS {
        match scheme.strip_prefix(name) {
            Some("" | "4" | "6") => return port,
            _ => continue,
        }
    }
    ""
}

/// Whether `scheme` takes the whole remainder of the URL as its path.
pub fn is_path_only(scheme: &str) -> bool {
    PATH_ONLY.contains(&scheme)
}

impl Url {
    /// Parses `raw` with nng's rules.
    ///
    /// Errors (`Error::Inval`): no `://` after the scheme; a `[` without `]`,
    /// or `]` followed by anything but `:port`; a `:` with no port after it;
    /// a second `@` in the authority; a malformed `%xx` escape or invalid
    /// UTF-8 in the request URI; an embedded NUL (impossible in C strings).
    pub fn parse(raw: &str) -> Result<Url> {
        if raw.contains('\0') {
            return Err(Error::Inval);
        }
        // The scheme runs to the first ':', which must start "://".
        let colon = raw.find(':').ok_or(Error::Inval)?;
        if !raw[colon..].starts_with("://") {
            return Err(Error::Inval);
        }
        let scheme = raw[..colon].to_ascii_lowercase();
        let rest = &raw[colon + 3..];

        if is_path_only(&scheme) {
            // Paths are taken verbatim: not canonicalised, no host or port.
            return Ok(Url {
                raw: raw.to_owned(),
                scheme,
                path: rest.to_owned(),
                ..Url::default()
            });
        }

        let (userinfo, authority, rest) = split_authority(rest)?;
        // A lone "*" host (or "*:port") is the nanomsg-style wildcard and
        // means "no host".
        let authority = if authority == "*" || authority.starts_with("*:") {
            &authority[1..]
        } else {
            authority
        };
        let host = authority.to_ascii_lowercase();

        let requri = canonify(rest)?;
        let path_end = requri.find(['?', '#']).unwrap_or(requri.len());
        let path = requri[..path_end].to_owned();
        let mut tail = &requri[path_end..];
        let mut query = None;
        if let Some(q) = tail.strip_prefix('?') {
            let end = q.find('#').unwrap_or(q.len());
            query = Some(q[..end].to_owned());
            tail = &q[end..];
        }
        let fragment = tail.strip_prefix('#').map(str::to_owned);

        let (hostname, port) = split_host_port(&host)?;
        let port = match port {
            Some(p) => p.to_owned(),
            None => default_port(&scheme).to_owned(),
        };

        Ok(Url {
            raw: raw.to_owned(),
            hostname: Some(hostname.to_owned()),
            port: Some(port),
            host: Some(host),
            scheme,
            userinfo: userinfo.map(str::to_owned),
            path,
            query,
            fragment,
            requri: Some(requri),
        })
    }

    /// The host name, or `""` when absent (path-only schemes, `tcp://:80`).
    pub fn hostname_str(&self) -> &str {
        self.hostname.as_deref().unwrap_or("")
    }

    /// The port text, or `""` when absent.
    pub fn port_str(&self) -> &str {
        self.port.as_deref().unwrap_or("")
    }

    /// The request URI, or `""` when absent.
    pub fn requri_str(&self) -> &str {
        self.requri.as_deref().unwrap_or("")
    }

    /// The printed form with the port replaced by `port` when it is not 0
    /// (how a listener bound to port 0 reports its real address).
    pub fn to_string_with_port(&self, port: u16) -> String {
        let mut s = String::new();
        self.write(&mut s, (port != 0).then(|| port.to_string()).as_deref())
            .expect("writing to a String cannot fail");
        s
    }

    fn write(&self, f: &mut impl fmt::Write, port_override: Option<&str>) -> fmt::Result {
        let scheme = self.scheme.as_str();
        if is_path_only(scheme) || matches!(scheme, "ipc+abstract" | "unix+abstract") {
            return write!(f, "{scheme}://{}", self.path);
        }
        // The default port, or none at all, is left out.
        let port = port_override
            .or(self.port.as_deref())
            .filter(|p| !p.is_empty() && *p != default_port(scheme));
        let host = match self.hostname_str() {
            "*" => "",
            h => h,
        };
        let (open, close) = if host.contains(':') {
            ("[", "]")
        } else {
            ("", "")
        };
        write!(f, "{scheme}://{open}{host}{close}")?;
        if let Some(p) = port {
            write!(f, ":{p}")?;
        }
        f.write_str(self.requri_str())
    }
}

/// Prints the URL in nng's normal form: `scheme://host:port/requri`, with
/// IPv6 hosts bracketed and a default port omitted; `scheme://path` for the
/// path-only schemes.
impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, None)
    }
}

impl std::str::FromStr for Url {
    type Err = Error;
    fn from_str(s: &str) -> Result<Url> {
        Url::parse(s)
    }
}

/// Percent-decodes every `%xx` in `s` (as the abstract-socket transport does
/// for its names). A malformed escape gives `Error::Inval`.
pub fn decode(s: &str) -> Result<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let v = hex_pair(b, i + 1).ok_or(Error::Inval)?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Splits `rest` (after `scheme://`) into userinfo, authority and the
/// remainder that starts at the first `/`, `?` or `#`.
fn split_authority(rest: &str) -> Result<(Option<&str>, &str, &str)> {
    let b = rest.as_bytes();
    let mut start = 0;
    let mut userinfo = None;
    let mut i = 0;
    while i < b.len() && !matches!(b[i], b'/' | b'?' | b'#') {
        if b[i] == b'@' {
            if userinfo.is_some() {
                return Err(Error::Inval);
            }
            userinfo = Some(&rest[start..i]);
            start = i + 1;
            // Upstream resumes its scan one byte past the '@' (its loop
            // increment runs after the reset), so the first byte of the host
            // is never checked for '/', '?', '#' or '@'. Kept for identical
            // results on odd inputs such as "user@/x" or "a@@b".
            i = start + 1;
            continue;
        }
        i += 1;
    }
    let end = i.min(b.len()).max(start);
    Ok((userinfo, &rest[start..end], &rest[end..]))
}

/// Splits a (lower-cased) host into host name and explicit port.
fn split_host_port(host: &str) -> Result<(&str, Option<&str>)> {
    let (name, after) = if let Some(inner) = host.strip_prefix('[') {
        let close = inner.find(']').ok_or(Error::Inval)?;
        let after = &inner[close + 1..];
        if !(after.is_empty() || after.starts_with(':')) {
            return Err(Error::Inval);
        }
        (&inner[..close], after)
    } else {
        let colon = host.find(':').unwrap_or(host.len());
        (&host[..colon], &host[colon..])
    };
    match after.strip_prefix(':') {
        Some("") => Err(Error::Inval),
        Some(port) => Ok((name, Some(port))),
        None => Ok((name, None)),
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The byte encoded by the two hex digits at `b[i..i + 2]`.
fn hex_pair(b: &[u8], i: usize) -> Option<u8> {
    let hi = hex_val(*b.get(i)?)?;
    let lo = hex_val(*b.get(i + 1)?)?;
    Some(hi << 4 | lo)
}

/// Whether a request-URI segment boundary follows: end, `/`, `?` or `#`.
fn at_boundary(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b'/' | b'?' | b'#'))
}

/// Canonicalises a request URI (path, query and fragment) in three passes,
/// then checks that the result is UTF-8.
fn canonify(input: &str) -> Result<String> {
    let b = input.as_bytes();

    // 1. Decode %xx of unreserved characters and of high bytes (so UTF-8
    //    can be checked below); re-emit the rest with upper-case digits.
    let mut s = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            s.push(b[i]);
            i += 1;
            continue;
        }
        let c = hex_pair(b, i + 1).ok_or(Error::Inval)?;
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'~' | b'_' | b'-') || c >= 0x80 {
            s.push(c);
        } else {
            s.extend_from_slice(&[
                b'%',
                b[i + 1].to_ascii_uppercase(),
                b[i + 2].to_ascii_uppercase(),
            ]);
        }
        i += 3;
    }

    // 2. Collapse runs of '/' in the path (not in the query or fragment).
    let mut t = Vec::with_capacity(s.len());
    let mut in_path = true;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'/' && in_path {
            t.push(b'/');
            while s.get(i) == Some(&b'/') {
                i += 1;
            }
            continue;
        }
        if c == b'?' || c == b'#' {
            in_path = false;
        }
        t.push(c);
        i += 1;
    }

    // 3. Remove "/." segments and resolve "/.." against the output so far.
    let mut out: Vec<u8> = Vec::with_capacity(t.len());
    let mut in_path = true;
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        if c == b'/' && in_path {
            if t[i..].starts_with(b"/..") && at_boundary(&t, i + 3) {
                // Drop the last segment: back up to the previous '/'.
                let mut d = out.len();
                if d > 0 {
                    loop {
                        d -= 1;
                        if d == 0 || out[d] == b'/' {
                            break;
                        }
                    }
                }
                out.truncate(d);
                i += 3;
                continue;
            }
            if t[i..].starts_with(b"/.") && at_boundary(&t, i + 2) {
                i += 2;
                continue;
            }
            out.push(b'/');
            i += 1;
            continue;
        }
        if c == b'?' || c == b'#' {
            in_path = false;
        }
        out.push(c);
        i += 1;
    }

    // Valid UTF-8 only: guards against overlong and other tricky encodings
    // of '/' and '.' slipping past the passes above.
    String::from_utf8(out).map_err(|_| Error::Inval)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, scheme, host, hostname, port, path, requri); `None` is NULL.
    type Row = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
    );

    /// The examples table of reference ABI.md §3.4, verbatim.
    const TABLE: &[Row] = &[
        (
            "tcp://127.0.0.1:5555",
            "tcp",
            Some("127.0.0.1:5555"),
            Some("127.0.0.1"),
            Some("5555"),
            "",
            Some(""),
        ),
        (
            "tcp://*:5555",
            "tcp",
            Some(":5555"),
            Some(""),
            Some("5555"),
            "",
            Some(""),
        ),
        (
            "tcp://:5555",
            "tcp",
            Some(":5555"),
            Some(""),
            Some("5555"),
            "",
            Some(""),
        ),
        (
            "tcp://localhost",
            "tcp",
            Some("localhost"),
            Some("localhost"),
            Some(""),
            "",
            Some(""),
        ),
        (
            "tcp6://[::1]:80",
            "tcp6",
            Some("[::1]:80"),
            Some("::1"),
            Some("80"),
            "",
            Some(""),
        ),
        (
            "tcp://10.0.0.1;10.0.0.2:99",
            "tcp",
            Some("10.0.0.1;10.0.0.2:99"),
            Some("10.0.0.1;10.0.0.2"),
            Some("99"),
            "",
            Some(""),
        ),
        (
            "TCP://X:1",
            "tcp",
            Some("x:1"),
            Some("x"),
            Some("1"),
            "",
            Some(""),
        ),
        (
            "ws://host",
            "ws",
            Some("host"),
            Some("host"),
            Some("80"),
            "",
            Some(""),
        ),
        (
            "ws://host:8080/a/b?x=1#f",
            "ws",
            Some("host:8080"),
            Some("host"),
            Some("8080"),
            "/a/b",
            Some("/a/b?x=1#f"),
        ),
        (
            "wss://h/",
            "wss",
            Some("h"),
            Some("h"),
            Some("443"),
            "/",
            Some("/"),
        ),
        (
            "ipc:///tmp/sock",
            "ipc",
            None,
            None,
            None,
            "/tmp/sock",
            None,
        ),
        (
            "abstract://foo%00bar",
            "abstract",
            None,
            None,
            None,
            "foo%00bar",
            None,
        ),
        ("inproc://name", "inproc", None, None, None, "name", None),
        (
            "socket://",
            "socket",
            Some(""),
            Some(""),
            Some(""),
            "",
            Some(""),
        ),
    ];

    #[test]
    fn abi_example_table() {
        for &(input, scheme, host, hostname, port, path, requri) in TABLE {
            let u = Url::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(u.raw, input);
            assert_eq!(u.scheme, scheme, "{input}");
            assert_eq!(u.host.as_deref(), host, "{input}");
            assert_eq!(u.hostname.as_deref(), hostname, "{input}");
            assert_eq!(u.port.as_deref(), port, "{input}");
            assert_eq!(u.path, path, "{input}");
            assert_eq!(u.requri.as_deref(), requri, "{input}");
        }
        let u = Url::parse("ws://host:8080/a/b?x=1#f").unwrap();
        assert_eq!(u.query.as_deref(), Some("x=1"));
        assert_eq!(u.fragment.as_deref(), Some("f"));
        assert_eq!(Url::parse("tcp://[::1]:"), Err(Error::Inval));
        assert_eq!(Url::parse("tcp:/x"), Err(Error::Inval));
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "www.google.com",
            "http:www.google.com",
            "http://[::1",
            "http://[::1]bogus",
            "tcp://host:",
            "http://a@b@c/",
            "http://x/%zz",
            "http://x/%4",
            "http://x.com/x%80x",
            "http://x.com/x%c0%81",
            "tcp://a\0b",
        ] {
            assert_eq!(Url::parse(bad), Err(Error::Inval), "{bad:?}");
        }
    }

    #[test]
    fn userinfo_and_fields() {
        let u = Url::parse("http://garrett@www.google.com:1234/somewhere").unwrap();
        assert_eq!(u.userinfo.as_deref(), Some("garrett"));
        assert_eq!(u.host.as_deref(), Some("www.google.com:1234"));
        assert_eq!(u.path, "/somewhere");
        let u = Url::parse("ssh://user@host.example.com").unwrap();
        assert_eq!(u.port.as_deref(), Some("22"));
        assert_eq!(u.userinfo.as_deref(), Some("user"));
        let u = Url::parse("http://www.google.com#chapter3").unwrap();
        assert_eq!(u.requri.as_deref(), Some("#chapter3"));
        assert_eq!(u.fragment.as_deref(), Some("chapter3"));
        assert_eq!(u.query, None);
        let u = Url::parse("http://www.google.com?color=red").unwrap();
        assert_eq!(u.requri.as_deref(), Some("?color=red"));
        assert_eq!(u.query.as_deref(), Some("color=red"));
        let u = Url::parse("ws://").unwrap();
        assert_eq!(
            (u.host.as_deref(), u.port.as_deref()),
            (Some(""), Some("80"))
        );
    }

    #[test]
    fn upstream_quirks_are_kept() {
        // The byte right after '@' is not scanned (see split_authority).
        let u = Url::parse("http://a@@b/x").unwrap();
        assert_eq!(u.userinfo.as_deref(), Some("a"));
        assert_eq!(u.host.as_deref(), Some("@b"));
        let u = Url::parse("http://user@/x/y").unwrap();
        assert_eq!(u.host.as_deref(), Some("/x"));
        assert_eq!(u.path, "/y");
        let u = Url::parse("http://user@").unwrap();
        assert_eq!(u.host.as_deref(), Some(""));
        // Everything after the first ':' of an unbracketed host is the port.
        let u = Url::parse("tcp://a:b:c").unwrap();
        assert_eq!((u.hostname_str(), u.port_str()), ("a", "b:c"));
        // Only a lone '*' or "*:" is a wildcard.
        assert_eq!(Url::parse("tcp://*").unwrap().host.as_deref(), Some(""));
        assert_eq!(Url::parse("tcp://*x:1").unwrap().hostname_str(), "*x");
    }

    #[test]
    fn canonicalisation() {
        let u = Url::parse("hTTp://www.EXAMPLE.com/bogus/.%2e/%7egarrett").unwrap();
        assert_eq!(u.scheme, "http");
        assert_eq!(u.hostname_str(), "www.example.com");
        assert_eq!(u.path, "/~garrett");
        let u = Url::parse("http://www.x.com//abc/def/./x/..///./../y").unwrap();
        assert_eq!(u.path, "/abc/y");
        let u = Url::parse("http://www.x.com/?/abc/def/./x/.././../y").unwrap();
        assert_eq!(u.path, "/");
        assert_eq!(u.query.as_deref(), Some("/abc/def/./x/.././../y"));
        let u = Url::parse("http://www.x.com/%c2%a2_cents").unwrap();
        assert_eq!(u.path, "/\u{a2}_cents");
        // Reserved characters stay escaped, with upper-case digits.
        let u = Url::parse("http://x/a%2fb%3f?q=%2a").unwrap();
        assert_eq!(u.requri.as_deref(), Some("/a%2Fb%3F?q=%2A"));
        let u = Url::parse("http://x/a/..").unwrap();
        assert_eq!(u.requri.as_deref(), Some(""));
        let u = Url::parse("http://x/../a//b?x//y#..").unwrap();
        assert_eq!(u.requri.as_deref(), Some("/a/b?x//y#.."));
    }

    #[test]
    fn default_ports() {
        assert_eq!(default_port("ws"), "80");
        assert_eq!(default_port("ws4"), "80");
        assert_eq!(default_port("wss6"), "443");
        assert_eq!(default_port("https"), "443");
        assert_eq!(default_port("http6"), "80");
        assert_eq!(default_port("git"), "9418");
        assert_eq!(default_port("gopher"), "70");
        assert_eq!(default_port("telnet"), "23");
        assert_eq!(default_port("ws46"), "");
        assert_eq!(default_port("tcp"), "");
    }

    #[test]
    fn printed_form() {
        let p = |s: &str| Url::parse(s).unwrap().to_string();
        assert_eq!(p("ws://host:80/x?y"), "ws://host/x?y");
        assert_eq!(p("tcp://[::1]:5555"), "tcp://[::1]:5555");
        assert_eq!(p("tcp://*:5555"), "tcp://:5555");
        assert_eq!(p("ipc:///tmp/x"), "ipc:///tmp/x");
        assert_eq!(p("inproc://a"), "inproc://a");
        assert_eq!(p("abstract://a%00"), "abstract://a%00");
        let u = Url::parse("tcp://127.0.0.1:0").unwrap();
        assert_eq!(u.to_string_with_port(4242), "tcp://127.0.0.1:4242");
        assert_eq!(u.to_string_with_port(0), "tcp://127.0.0.1:0");
    }

    #[test]
    fn percent_decode() {
        assert_eq!(decode("abc").unwrap(), b"abc");
        assert_eq!(decode("x%00y").unwrap(), b"x\0y");
        assert_eq!(decode("%3987").unwrap(), b"987");
        assert_eq!(decode("").unwrap(), b"");
        for bad in ["78%", "78%xy", "78%1$", "%%20"] {
            assert_eq!(decode(bad), Err(Error::Inval), "{bad}");
        }
    }
}
