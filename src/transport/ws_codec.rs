//! Sans-IO pieces of the WebSocket mapping (RFC 6455, WIRE.md §5): the
//! frame header codec, the opening-handshake key, and a small HTTP/1.1
//! head parser and writer. No I/O here; [`super::ws`] drives it.
//!
//! The codec is written for nng's exact behaviour (its limits, close codes
//! and fragmentation policy), which is why it is ours rather than a
//! general-purpose WebSocket crate's.

use std::fmt::Write as _;

/// Opcode of a continuation frame.
pub const OP_CONT: u8 = 0x0;
/// Opcode of a text frame.
pub const OP_TEXT: u8 = 0x1;
/// Opcode of a binary frame.
pub const OP_BINARY: u8 = 0x2;
/// Opcode of a close frame.
pub const OP_CLOSE: u8 = 0x8;
/// Opcode of a ping frame.
pub const OP_PING: u8 = 0x9;
/// Opcode of a pong frame.
pub const OP_PONG: u8 = 0xA;

/// Close code: normal closure.
pub const CLOSE_NORMAL: u16 = 1000;
/// Close code: protocol error.
pub const CLOSE_PROTOCOL: u16 = 1002;
/// Close code: unsupported data (e.g. text where only binary is taken).
pub const CLOSE_UNSUPPORTED: u16 = 1003;
/// Close code: message too big.
pub const CLOSE_TOO_BIG: u16 = 1009;

/// The GUID appended to the client key (RFC 6455 §1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Final fragment.
    pub fin: bool,
    /// Opcode (low 4 bits of byte 0).
    pub op: u8,
    /// Masking key, if the frame is masked.
    pub mask: Option<[u8; 4]>,
    /// Payload length.
    pub len: u64,
    /// Size of the header itself.
    pub hlen: usize,
}

/// Decodes a frame header from the front of `b`: `Ok(None)` if more bytes
/// are needed, `Err(close code)` for a malformed one (reserved bits set,
/// unknown opcode, non-minimal length, bad control frame).
pub fn parse_head(b: &[u8]) -> Result<Option<Head>, u16> {
    if b.len() < 2 {
        return Ok(None);
    }
    let fin = b[0] & 0x80 != 0;
    if b[0] & 0x70 != 0 {
        return Err(CLOSE_PROTOCOL);
    }
    let op = b[0] & 0x0f;
    match op {
        OP_CONT | OP_TEXT | OP_BINARY => {}
        OP_CLOSE | OP_PING | OP_PONG => {
            if !fin || b[1] & 0x7f > 125 {
                return Err(CLOSE_PROTOCOL);
            }
        }
        _ => return Err(CLOSE_PROTOCOL),
    }
    let masked = b[1] & 0x80 != 0;
    let (len, mut hlen) = match b[1] & 0x7f {
        126 => {
            if b.len() < 4 {
                return Ok(None);
            }
            let l = u64::from(u16::from_be_bytes([b[2], b[3]]));
            if l < 126 {
                return Err(CLOSE_PROTOCOL);
            }
            (l, 4)
        }
        127 => {
            if b.len() < 10 {
                return Ok(None);
            }
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[2..10]);
            let l = u64::from_be_bytes(a);
            if l < 65536 || l >> 63 != 0 {
                return Err(CLOSE_PROTOCOL);
            }
            (l, 10)
        }
        l => (u64::from(l), 2),
    };
    let mask = if masked {
        if b.len() < hlen + 4 {
            return Ok(None);
        }
        let m = [b[hlen], b[hlen + 1], b[hlen + 2], b[hlen + 3]];
        hlen += 4;
        Some(m)
    } else {
        None
    };
    Ok(Some(Head {
        fin,
        op,
        mask,
        len,
        hlen,
    }))
}

/// Appends a frame header to `out`.
pub fn put_head(out: &mut Vec<u8>, fin: bool, op: u8, len: usize, mask: Option<[u8; 4]>) {
    out.push(if fin { 0x80 } else { 0 } | op);
    let m = if mask.is_some() { 0x80 } else { 0 };
    if len < 126 {
        out.push(m | len as u8);
    } else if len < 65536 {
        out.push(m | 126);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(m | 127);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
    if let Some(k) = mask {
        out.extend_from_slice(&k);
    }
}

/// XORs `data` with the mask, `off` bytes into the masked stream.
pub fn apply_mask(data: &mut [u8], mask: [u8; 4], off: usize) {
    // The key rotated so that data[0] pairs with mask[off % 4], eight
    // bytes at a time.
    let k = [
        mask[off & 3],
        mask[(off + 1) & 3],
        mask[(off + 2) & 3],
        mask[(off + 3) & 3],
    ];
    let wide = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let mut chunks = data.chunks_exact_mut(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        c.copy_from_slice(&(u64::from_ne_bytes(w) ^ wide).to_ne_bytes());
    }
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= k[i & 3];
    }
}

/// Appends one whole frame (header and, if `mask`, masked payload).
pub fn put_frame(out: &mut Vec<u8>, fin: bool, op: u8, parts: &[&[u8]], mask: Option<[u8; 4]>) {
    let len = parts.iter().map(|p| p.len()).sum();
    put_head(out, fin, op, len, mask);
    let start = out.len();
    for p in parts {
        out.extend_from_slice(p);
    }
    if let Some(k) = mask {
        apply_mask(&mut out[start..], k, 0);
    }
}

/// `Sec-WebSocket-Accept` for a client key, or `None` if the key is not
/// the base64 of 16 bytes (as upstream checks).
pub fn accept_key(key: &str) -> Option<String> {
    let k = key.trim();
    if k.len() != 24 || !k.ends_with("==") {
        return None;
    }
    let mut s = String::with_capacity(60);
    s.push_str(k);
    s.push_str(GUID);
    Some(base64(&sha1(s.as_bytes())))
}

/// Standard base64 with padding.
pub fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        s.push(T[(n >> 18) as usize & 63] as char);
        s.push(T[(n >> 12) as usize & 63] as char);
        s.push(if c.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if c.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

/// SHA-1 (FIPS 180-4), needed only for the handshake's accept key.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6u32),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// Whether the comma/space separated list `list` holds `word`
/// (case-insensitive), as upstream's `ws_contains_word`.
pub fn contains_word(list: &str, word: &str) -> bool {
    list.split([',', ' ', '\t'])
        .any(|w| !w.is_empty() && w.eq_ignore_ascii_case(word))
}

/// An HTTP/1.x request or response head.
#[derive(Debug, Default, Clone)]
pub struct HttpHead {
    /// Request: method; response: version.
    pub first: String,
    /// Request: target URI; response: status code text.
    pub second: String,
    /// Request: version; response: reason phrase.
    pub third: String,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
}

impl HttpHead {
    /// The first value of header `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All headers as `Name: value\r\n` lines (upstream's header dump).
    pub fn header_text(&self) -> String {
        let mut s = String::new();
        for (n, v) in &self.headers {
            let _ = write!(s, "{n}: {v}\r\n");
        }
        s
    }
}

/// The largest request or response head accepted.
pub const MAX_HEAD: usize = 8192;

/// Finds the end of an HTTP head in `b` (the offset after the blank line).
pub fn head_end(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// Parses an HTTP head (start line and header lines, the blank line
/// excluded). `None` if it is malformed.
pub fn parse_http(b: &[u8]) -> Option<HttpHead> {
    let text = std::str::from_utf8(b).ok()?;
    let mut lines = text.split("\r\n");
    let start = lines.next()?;
    let mut parts = start.splitn(3, ' ');
    let first = parts.next()?.to_owned();
    let second = parts.next()?.to_owned();
    let third = parts.next().unwrap_or("").to_owned();
    if first.is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    for l in lines {
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':')?;
        if n.is_empty() || n.contains([' ', '\t']) {
            return None;
        }
        headers.push((n.to_owned(), v.trim().to_owned()));
    }
    Some(HttpHead {
        first,
        second,
        third,
        headers,
    })
}

/// Parses `Name: value` lines (upstream's `ws_set_headers`): each line
/// with a colon gives one header, value trimmed; lines without one are
/// ignored.
pub fn parse_header_lines(s: &str) -> Vec<(String, String)> {
    s.split('\n')
        .filter_map(|l| {
            let l = l.trim_end_matches('\r');
            let (n, v) = l.split_once(':')?;
            let n = n.trim();
            (!n.is_empty()).then(|| (n.to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// Sets `name` in a header list, replacing an existing one
/// (case-insensitive), else appending.
pub fn set_header(list: &mut Vec<(String, String)>, name: &str, val: &str) {
    match list.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(h) => h.1 = val.to_owned(),
        None => list.push((name.to_owned(), val.to_owned())),
    }
}

/// The reason phrase of an HTTP status.
pub fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// An error response as upstream's HTTP server sends it: a small HTML body
/// naming the status.
pub fn error_response(status: u16) -> Vec<u8> {
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>{status} {r}</title>\n\
         <style>body {{ font-family: Arial, sans serif; text-align: center }}\n\
         h1 {{ font-size: 36px; }} span {{ background-color: gray; color: white; padding: 7px; \
         border-radius: 5px }}h2 {{ font-size: 24px; }} p {{ font-size: 20px; }}</style>\
         </head><body><p>&nbsp;</p><h1><span>{status}</span></h1><h2>{r}</h2><p></p></body></html>",
        r = reason(status)
    );
    let mut s = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\nContent-Type: text/html; charset=UTF-8\r\n\
         Content-Length: {}\r\n\r\n",
        reason(status),
        body.len()
    );
    s.push_str(&body);
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_matches_rfc_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ==").as_deref(),
            Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        );
        assert_eq!(accept_key("short"), None);
    }

    #[test]
    fn sha1_and_base64_known_values() {
        assert_eq!(base64(&sha1(b"abc")), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        // Two blocks of padding.
        let long = vec![b'a'; 100];
        assert_eq!(base64(&sha1(&long)), "f5AAJXpJGNcHJlXqRoVAzcvULgw=");
    }

    #[test]
    fn heads_round_trip_and_reject_bad_forms() {
        for len in [0usize, 5, 125, 126, 65535, 65536, 1 << 20] {
            let mut v = Vec::new();
            put_head(&mut v, true, OP_BINARY, len, Some([1, 2, 3, 4]));
            let h = parse_head(&v).unwrap().unwrap();
            assert_eq!(h.len, len as u64);
            assert_eq!(h.hlen, v.len());
            assert_eq!(h.mask, Some([1, 2, 3, 4]));
            assert!(h.fin);
            assert_eq!(parse_head(&v[..v.len() - 1]), Ok(None));
        }
        // Non-minimal 16-bit length.
        assert_eq!(parse_head(&[0x82, 126, 0, 5]), Err(CLOSE_PROTOCOL));
        // Reserved bit.
        assert_eq!(parse_head(&[0xc2, 0]), Err(CLOSE_PROTOCOL));
        // Unknown opcode.
        assert_eq!(parse_head(&[0x83, 0]), Err(CLOSE_PROTOCOL));
        // Fragmented or long control frames.
        assert_eq!(parse_head(&[0x09, 0]), Err(CLOSE_PROTOCOL));
        assert_eq!(parse_head(&[0x89, 126, 0, 200]), Err(CLOSE_PROTOCOL));
    }

    #[test]
    fn wide_mask_matches_bytewise() {
        let mask = [0x12, 0x34, 0x56, 0x78];
        for off in 0..4 {
            for len in [0usize, 3, 8, 13, 64, 77] {
                let data: Vec<u8> = (0..len).map(|i| (i * 31) as u8).collect();
                let mut a = data.clone();
                apply_mask(&mut a, mask, off);
                let b: Vec<u8> = data
                    .iter()
                    .enumerate()
                    .map(|(i, x)| x ^ mask[(off + i) & 3])
                    .collect();
                assert_eq!(a, b, "off {off} len {len}");
            }
        }
    }

    #[test]
    fn masked_frames_unmask() {
        let mut v = Vec::new();
        put_frame(
            &mut v,
            true,
            OP_BINARY,
            &[b"he", b"llo"],
            Some([9, 8, 7, 6]),
        );
        let h = parse_head(&v).unwrap().unwrap();
        let mut p = v[h.hlen..].to_vec();
        apply_mask(&mut p, h.mask.unwrap(), 0);
        assert_eq!(p, b"hello");
    }

    #[test]
    fn http_heads_parse() {
        let r = b"GET /x HTTP/1.1\r\nHost: a\r\nUpgrade:  websocket \r\n\r\n";
        let end = head_end(r).unwrap();
        assert_eq!(end, r.len());
        let h = parse_http(&r[..end]).unwrap();
        assert_eq!(h.first, "GET");
        assert_eq!(h.second, "/x");
        assert_eq!(h.third, "HTTP/1.1");
        assert_eq!(h.get("upgrade"), Some("websocket"));
        assert!(parse_http(b"GET / HTTP/1.1\r\nbad line\r\n").is_none());
        assert!(contains_word("keep-alive, Upgrade", "upgrade"));
        assert!(!contains_word("a.b", "a"));
        let l = parse_header_lines("A: 1\r\nB:2\r\nbare\r\n");
        assert_eq!(l, vec![("A".into(), "1".into()), ("B".into(), "2".into())]);
    }
}
