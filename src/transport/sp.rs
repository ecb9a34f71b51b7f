//! The SP connection header and message framing of the stream transports
//! (tcp, ipc, abstract, socket), as pure codecs (reference WIRE.md §3, §4).
//!
//! - Connection header: 8 bytes `00 'S' 'P' 00 <proto u16 BE> 00 00`, sent
//!   by both sides at once after connecting; [`header`] builds ours,
//!   [`parse_header`] checks the peer's (`NNG_EPROTO` if malformed) and
//!   gives its protocol number.
//! - Framing: every message is a length prefix, then the payload (the
//!   message header bytes followed by its body). TCP's prefix is the length
//!   as u64 BE; IPC's is a type byte `0x01` then the u64 BE length.
//!   [`Prefix`] encodes one for a vectored write (prefix, header, body);
//!   [`Decoder`] turns arbitrary chunks of the byte stream back into
//!   messages.
//!
//! The byte values are wire format and never change. No I/O, threads or
//! clocks here; the decoder never panics on peer input: a malformed or
//! oversized frame is an error, after which the connection is dropped.
#![forbid(unsafe_code)]

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use std::mem::MaybeUninit;

/// Length of the connection header.
pub const HEADER_LEN: usize = 8;

/// Our connection header for protocol `proto`.
pub const fn header(proto: u16) -> [u8; HEADER_LEN] {
    let p = proto.to_be_bytes();
    [0, b'S', b'P', 0, p[0], p[1], 0, 0]
}

/// Checks a peer's connection header; returns its protocol number, or
/// `NNG_EPROTO` unless bytes 0..4 are `00 'S' 'P' 00` and bytes 6..8 zero.
pub fn parse_header(h: &[u8; HEADER_LEN]) -> Result<u16> {
    if h[0] != 0 || h[1] != b'S' || h[2] != b'P' || h[3] != 0 || h[6] != 0 || h[7] != 0 {
        return Err(Error::Proto);
    }
    Ok(u16::from_be_bytes([h[4], h[5]]))
}

/// The framing of a stream transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// TCP, TLS and `socket://`: u64 BE length.
    Tcp,
    /// IPC, `unix://` and `abstract://`: type byte 0x01, then u64 BE length.
    Ipc,
}

/// The IPC frame type of an in-band message, the only one defined.
pub const IPC_MSG: u8 = 1;

/// Longest frame prefix.
pub const PREFIX_MAX: usize = 9;

impl Framing {
    /// Length of this framing's prefix (8 or 9).
    pub const fn prefix_len(self) -> usize {
        match self {
            Framing::Tcp => 8,
            Framing::Ipc => 9,
        }
    }
}

/// An encoded frame prefix, written before a message's header and body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix {
    buf: [u8; PREFIX_MAX],
    len: u8,
}

impl Prefix {
    /// The prefix of a payload of `payload_len` bytes (header + body).
    pub fn new(framing: Framing, payload_len: u64) -> Prefix {
        let mut buf = [0u8; PREFIX_MAX];
        let len = framing.prefix_len();
        let at = match framing {
            Framing::Tcp => 0,
            Framing::Ipc => {
                buf[0] = IPC_MSG;
                1
            }
        };
        buf[at..at + 8].copy_from_slice(&payload_len.to_be_bytes());
        Prefix {
            buf,
            len: len as u8,
        }
    }

    /// The prefix of `msg` (its header and body lengths together).
    pub fn of(framing: Framing, msg: &Msg) -> Prefix {
        Prefix::new(framing, (msg.header().len() + msg.len()) as u64)
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
}

/// Payloads up to this size are allocated whole when their prefix arrives;
/// a larger one starts at this size and grows as its bytes arrive, so a
/// peer announcing a huge length cannot make us allocate it up front.
pub const ALLOC_STEP: usize = 4 << 20;

/// Turns a byte stream back into messages.
///
/// Feed it bytes as they come ([`Decoder::feed`]): every complete message
/// is handed out, whatever the chunking; a partial frame is kept for the
/// next call. Large bodies can also be read straight into the message
/// being built ([`Decoder::read_direct`]), saving a copy and the zeroing.
///
/// Received messages carry the whole payload in their body (empty header),
/// the wire form the socket layer expects.
#[derive(Debug)]
pub struct Decoder {
    framing: Framing,
    /// `NNG_OPT_RECVMAXSZ`; 0: no limit.
    max: u64,
    /// Prefix bytes so far (`got` of them).
    pre: [u8; PREFIX_MAX],
    got: usize,
    /// The message being received: its body holds the `filled` bytes
    /// received so far (`body.len() == filled`), its spare capacity (not
    /// initialised) takes the next ones; `want` is the payload length.
    body: Option<Msg>,
    filled: usize,
    want: usize,
    /// The announced length of the last frame refused as too large.
    rejected: u64,
    /// The payload length of the last frame started.
    last: usize,
}

impl Decoder {
    /// A decoder for `framing` refusing payloads over `max` bytes (0: no
    /// limit).
    pub fn new(framing: Framing, max: usize) -> Decoder {
        Decoder {
            framing,
            max: max as u64,
            pre: [0; PREFIX_MAX],
            got: 0,
            body: None,
            filled: 0,
            want: 0,
            rejected: 0,
            last: 0,
        }
    }

    /// The size limit (0: none).
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The announced length of the last frame refused with `NNG_EMSGSIZE`
    /// (for the log message).
    pub fn rejected_len(&self) -> u64 {
        self.rejected
    }

    /// Changes the size limit (applies from the next frame on).
    pub fn set_max(&mut self, max: usize) {
        self.max = max as u64;
    }

    /// True when no partial frame is held (a frame boundary).
    pub fn is_idle(&self) -> bool {
        self.got == 0 && self.body.is_none()
    }

    /// Decodes `data`, handing every completed message to `out`, in order.
    ///
    /// Errors (the connection must then be dropped; messages completed
    /// before the bad frame were handed out already):
    /// - `NNG_EPROTO`: an IPC frame of a type other than 0x01;
    /// - `NNG_EMSGSIZE`: a payload longer than the limit (nothing of it is
    ///   allocated);
    /// - `NNG_ENOMEM`: a payload too long for this machine's memory, or an
    ///   allocation failure.
    pub fn feed(&mut self, mut data: &[u8], out: &mut impl FnMut(Msg)) -> Result<()> {
        while !data.is_empty() {
            if self.body.is_none() {
                let plen = self.framing.prefix_len();
                let n = (plen - self.got).min(data.len());
                self.pre[self.got..self.got + n].copy_from_slice(&data[..n]);
                self.got += n;
                data = &data[n..];
                if self.got < plen {
                    break;
                }
                self.start_body(out)?;
                continue;
            }
            let n = self.room()?.min(data.len());
            if let Some(m) = self.body.as_mut() {
                m.append(&data[..n])?;
            }
            data = &data[n..];
            self.advance(n, out);
        }
        Ok(())
    }

    /// While the body of a frame of at least `min` bytes is expected, reads
    /// the next part of it, however small, straight into the message (the
    /// rest of a large body read through a scratch buffer would cost a
    /// copy of its own, and with it a copy of the next frame's start):
    /// `read` gets the allocated, not yet initialised room (at most the
    /// rest of the payload)
    /// and returns the part it filled. Returns `None` when no such body is
    /// expected (read into a scratch buffer and [`Decoder::feed`] it),
    /// otherwise `read`'s outcome: (bytes read, bytes asked for). A
    /// completed message goes to `out`.
    pub fn read_direct<E>(
        &mut self,
        min: usize,
        read: impl FnOnce(&mut [MaybeUninit<u8>]) -> std::result::Result<&mut [u8], E>,
        out: &mut impl FnMut(Msg),
    ) -> Result<Option<std::result::Result<(usize, usize), E>>> {
        if self.body.is_none() || self.want < min.max(1) {
            return Ok(None);
        }
        let asked = self.room()?;
        let Some(m) = self.body.as_mut() else {
            return Ok(None);
        };
        match m.append_uninit(asked, read) {
            Ok(n) => {
                self.advance(n, out);
                Ok(Some(Ok((n, asked))))
            }
            Err(e) => Ok(Some(Err(e))),
        }
    }

    /// Records that `n` more bytes are in the body; hands out the message
    /// if complete.
    fn advance(&mut self, n: usize, out: &mut impl FnMut(Msg)) {
        debug_assert!(self
            .body
            .as_ref()
            .is_some_and(|b| b.len() == self.filled + n));
        self.filled += n;
        if self.filled == self.want {
            if let Some(m) = self.body.take() {
                out(m);
            }
            self.filled = 0;
            self.want = 0;
        }
    }

    /// A full prefix arrived: check it and set up the body.
    fn start_body(&mut self, out: &mut impl FnMut(Msg)) -> Result<()> {
        let at = match self.framing {
            Framing::Tcp => 0,
            Framing::Ipc => {
                if self.pre[0] != IPC_MSG {
                    return Err(Error::Proto);
                }
                1
            }
        };
        let mut lenb = [0u8; 8];
        lenb.copy_from_slice(&self.pre[at..at + 8]);
        let len = u64::from_be_bytes(lenb);
        self.got = 0;
        if self.max > 0 && len > self.max {
            self.rejected = len;
            return Err(Error::MsgSize);
        }
        if len > isize::MAX as u64 {
            return Err(Error::NoMem);
        }
        let len = len as usize;
        self.last = len;
        let m = Msg::with_capacity(len.min(ALLOC_STEP))?;
        if len == 0 {
            out(m);
            return Ok(());
        }
        self.body = Some(m);
        self.filled = 0;
        self.want = len;
        Ok(())
    }

    /// How many more body bytes fit without growing (at most the rest of
    /// the payload); grows the body's capacity when it is used up.
    fn room(&mut self) -> Result<usize> {
        let (filled, want) = (self.filled, self.want);
        let Some(m) = self.body.as_mut() else {
            return Ok(0);
        };
        if m.capacity() == filled {
            let grown = filled.saturating_mul(2).max(ALLOC_STEP).min(want);
            m.reserve(grown)?;
        }
        Ok((m.capacity() - filled).min(want - filled))
    }

    /// How many bytes the next read outside a body should ask for at most:
    /// after a frame of `big` bytes or more, just the rest of the next
    /// prefix, so that a large body is then read straight into its message
    /// ([`Decoder::read_direct`]) instead of through the scratch buffer; after
    /// small frames, as much as comes (several frames per read).
    pub fn read_hint(&self, big: usize) -> usize {
        if self.body.is_none() && self.last >= big {
            self.framing.prefix_len() - self.got
        } else {
            usize::MAX
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::msg::copy_to_uninit;

    fn frame(framing: Framing, payload: &[u8]) -> Vec<u8> {
        let mut v = Prefix::new(framing, payload.len() as u64)
            .as_bytes()
            .to_vec();
        v.extend_from_slice(payload);
        v
    }

    fn payloads() -> Vec<Vec<u8>> {
        vec![
            b"hello".to_vec(),
            Vec::new(),
            vec![0xa5; 1],
            (0..=255u8).collect(),
            vec![7; 3000],
            Vec::new(),
            b"last".to_vec(),
        ]
    }

    fn stream(framing: Framing) -> Vec<u8> {
        payloads().iter().flat_map(|p| frame(framing, p)).collect()
    }

    /// Feeds `data` in the chunks `sizes` gives (cycled), collecting bodies.
    fn decode(framing: Framing, data: &[u8], sizes: &[usize]) -> Vec<Vec<u8>> {
        let mut d = Decoder::new(framing, 0);
        let mut got = Vec::new();
        let mut at = 0;
        let mut i = 0;
        while at < data.len() {
            let n = sizes[i % sizes.len()].max(1).min(data.len() - at);
            d.feed(&data[at..at + n], &mut |m: Msg| {
                assert!(m.header().is_empty());
                got.push(m.body().to_vec())
            })
            .unwrap();
            at += n;
            i += 1;
        }
        assert!(d.is_idle());
        got
    }

    #[test]
    fn header_is_the_documented_bytes() {
        assert_eq!(header(0x30), [0, 0x53, 0x50, 0, 0, 0x30, 0, 0]);
        assert_eq!(header(0x11), [0, b'S', b'P', 0, 0x00, 0x11, 0, 0]);
        assert_eq!(parse_header(&header(0x1234)), Ok(0x1234));
    }

    #[test]
    fn malformed_headers_are_protocol_errors() {
        let good = header(0x31);
        for i in [0, 1, 2, 3, 6, 7] {
            let mut h = good;
            h[i] ^= 0x40;
            assert_eq!(parse_header(&h), Err(Error::Proto), "byte {i}");
        }
        // Bytes 4 and 5 are the protocol number: any value is well formed.
        let mut h = good;
        h[4] = 0xff;
        assert_eq!(parse_header(&h), Ok(0xff31));
    }

    #[test]
    fn prefixes_match_the_captured_wire_bytes() {
        assert_eq!(
            Prefix::new(Framing::Tcp, 9).as_bytes(),
            [0, 0, 0, 0, 0, 0, 0, 9]
        );
        assert_eq!(
            Prefix::new(Framing::Ipc, 0x0102).as_bytes(),
            [1, 0, 0, 0, 0, 0, 0, 1, 2]
        );
        let mut m = Msg::from_slice(b"hello");
        m.header_append(&[0, 0, 0, 1]).unwrap();
        assert_eq!(
            Prefix::of(Framing::Tcp, &m).as_bytes(),
            [0, 0, 0, 0, 0, 0, 0, 9]
        );
    }

    #[test]
    fn every_chunking_yields_the_same_messages() {
        for framing in [Framing::Tcp, Framing::Ipc] {
            let data = stream(framing);
            let want = payloads();
            // All at once, byte by byte, and assorted sizes.
            assert_eq!(decode(framing, &data, &[data.len()]), want);
            assert_eq!(decode(framing, &data, &[1]), want);
            for sizes in [&[2][..], &[3, 5], &[7, 1, 13], &[8], &[9], &[4096, 1]] {
                assert_eq!(decode(framing, &data, sizes), want, "{sizes:?}");
            }
            // Every single split point (straddling every boundary).
            for cut in 1..data.len() {
                assert_eq!(
                    decode(framing, &data, &[cut, data.len()]),
                    want,
                    "cut {cut}"
                );
            }
        }
    }

    #[test]
    fn one_read_holding_many_frames_decodes_them_all() {
        let mut d = Decoder::new(Framing::Tcp, 0);
        let data: Vec<u8> = (0..100u8)
            .flat_map(|i| frame(Framing::Tcp, &[i; 3]))
            .collect();
        let mut n = 0;
        d.feed(&data, &mut |m: Msg| {
            assert_eq!(m.body(), [n as u8; 3]);
            n += 1;
        })
        .unwrap();
        assert_eq!(n, 100);
    }

    #[test]
    fn oversized_payloads_fail_before_allocating() {
        let mut d = Decoder::new(Framing::Tcp, 4);
        let mut got = Vec::new();
        let mut data = frame(Framing::Tcp, b"1234");
        data.extend(frame(Framing::Tcp, b"12345"));
        let r = d.feed(&data, &mut |m: Msg| got.push(m.body().to_vec()));
        assert_eq!(r, Err(Error::MsgSize));
        assert_eq!(got, vec![b"1234".to_vec()]);
        // Limits apply to the IPC framing too, and can change.
        let mut d = Decoder::new(Framing::Ipc, 0);
        d.set_max(2);
        assert_eq!(
            d.feed(&frame(Framing::Ipc, b"abc"), &mut |_| {}),
            Err(Error::MsgSize)
        );
    }

    #[test]
    fn a_length_of_two_to_the_63_does_not_allocate() {
        let mut d = Decoder::new(Framing::Tcp, 0);
        let pre = Prefix::new(Framing::Tcp, 1 << 63);
        assert_eq!(
            d.feed(pre.as_bytes(), &mut |_| panic!("no message")),
            Err(Error::NoMem)
        );
        assert!(d.body.is_none());
    }

    #[test]
    fn huge_announced_lengths_allocate_only_a_step() {
        let mut d = Decoder::new(Framing::Tcp, 0);
        let pre = Prefix::new(Framing::Tcp, 1 << 40);
        d.feed(pre.as_bytes(), &mut |_| panic!("no message"))
            .unwrap();
        assert_eq!(d.body.as_ref().unwrap().capacity(), ALLOC_STEP);
        d.feed(&[1, 2, 3], &mut |_| panic!("no message")).unwrap();
        assert_eq!(d.filled, 3);
    }

    #[test]
    fn bodies_larger_than_a_step_grow_as_they_arrive() {
        let payload: Vec<u8> = (0..ALLOC_STEP * 2 + 5).map(|i| (i % 251) as u8).collect();
        let data = frame(Framing::Tcp, &payload);
        let mut got = Vec::new();
        let mut d = Decoder::new(Framing::Tcp, 0);
        for chunk in data.chunks(1 << 20) {
            d.feed(chunk, &mut |m: Msg| got.push(m)).unwrap();
        }
        assert_eq!(got.len(), 1);
        assert!(got[0].body() == payload.as_slice());
    }

    #[test]
    fn bad_ipc_frame_types_are_protocol_errors() {
        let mut d = Decoder::new(Framing::Ipc, 0);
        let mut data = frame(Framing::Ipc, b"ok");
        let mut bad = frame(Framing::Ipc, b"no");
        bad[0] = 2;
        data.extend(bad);
        let mut n = 0;
        assert_eq!(d.feed(&data, &mut |_| n += 1), Err(Error::Proto));
        assert_eq!(n, 1);
    }

    #[test]
    fn direct_reads_fill_the_message_in_place() {
        let payload: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
        let data = frame(Framing::Tcp, &payload);
        let mut d = Decoder::new(Framing::Tcp, 0);
        let mut got = Vec::new();
        // Prefix plus a little through feed, the rest directly.
        d.feed(&data[..20], &mut |m: Msg| got.push(m)).unwrap();
        assert!(
            d.read_direct(1 << 20, |_| Ok::<&mut [u8], ()>(&mut []), &mut |_| {})
                .unwrap()
                .is_none(),
            "below the minimum"
        );
        let mut at = 20;
        while at < data.len() {
            let src = &data[at..];
            // The frame is large enough; its rest, however small, is read
            // in place too.
            let r = d.read_direct(
                payload.len(),
                |buf| Ok::<_, ()>(copy_to_uninit(buf, &src[..src.len().min(1000)])),
                &mut |m: Msg| got.push(m),
            );
            let (n, _) = r.unwrap().expect("body expected").unwrap();
            at += n;
        }
        assert!(d
            .read_direct(1, |_| Ok::<&mut [u8], ()>(&mut []), &mut |_| {})
            .unwrap()
            .is_none());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].body(), payload.as_slice());
    }
}
