//! Messages: the owned unit that C callers, protocols and transports move
//! around. May depend on `core::error` only; never on `ffi`.
//!
//! # Layout
//!
//! A [`Msg`] is one pointer to one heap block:
//!
//! ```text
//! +------+------+------------------------------------+------------------------------+
//! | Buf  | slot | Meta: pipe, header len, header[64], | inline data region:          |
//! | refs |      |       body descriptor               | headroom | body | tail room  |
//! | size |      |                                     |                              |
//! +------+------+------------------------------------+------------------------------+
//! ```
//!
//! * A message whose size is known when it is made ([`Msg::new`],
//!   [`Msg::from_slice`], [`Msg::with_capacity`]) costs exactly one
//!   allocation. Handing it to C costs nothing more: the `nng_msg *` *is* the
//!   block address ([`Msg::into_raw`]), and it never changes for the life of
//!   the message, whatever happens to the body.
//! * The body starts [`HEADROOM`] bytes into the data region, so `insert`
//!   (prepending a length or an id) usually moves a pointer instead of the
//!   body.
//! * The header (protocol backtraces, request ids) is a fixed area of
//!   [`HEADER_MAX`] bytes in the metadata, separate from the body, as in nng.
//! * When the body outgrows the inline region it moves to a separate
//!   allocation (a "spilled" buffer) that grows geometrically on `append`.
//! * [`Msg::share`] makes a cheap copy for fan-out: bodies of [`SHARE_MIN`]
//!   bytes or more are shared by reference count and copied by whichever
//!   holder writes first (`body_mut`, `append`, `insert`, `realloc`, ...);
//!   shorter bodies are simply copied.
//!
//! # Invariants (the SAFETY comments below rely on these)
//!
//! 1. `head` of a live `Msg` points at a live block made by
//!    `Msg::with_region`; the block's `Buf` counts one reference for its
//!    owning handle plus one per *other* handle whose body lives in the
//!    block's data region. A spilled buffer's `Buf` counts one reference per
//!    handle whose body lives in it. An allocation is freed when its count
//!    reaches zero.
//! 2. `Meta` is read and written only through its owning handle. A block
//!    whose owner has been dropped keeps only its data region alive.
//! 3. `body.buf` is an allocation on which this handle holds a reference;
//!    `body.base .. body.base + body.cap` is that allocation's data region;
//!    `off + len <= init <= cap`; every byte in `base + off .. base + init` is
//!    initialised.
//! 4. Body bytes are written only while the body's allocation has a
//!    reference count of 1 (checked with `Acquire`, like `Arc::get_mut`):
//!    then no other handle can read them.
//! 5. The `slot` of a block holds a `Msg` pointing at the block itself, so
//!    that a C `nng_msg *` can be borrowed as `&mut Msg` ([`Msg::slot_mut`]).
//!    No code other than that borrow touches the slot after creation, and
//!    references made internally never cover it.

use std::alloc::{self, Layout};
use std::fmt;
use std::mem::{self, offset_of, size_of, MaybeUninit};
use std::ptr::{self, NonNull};
use std::slice;
use std::sync::atomic::{fence, AtomicUsize, Ordering};

use crate::core::error::{Error, Result};

/// Largest header, in bytes: nng's `(NNI_MAX_MAX_TTL + 1) * 4`. Header
/// appends and inserts beyond it fail with [`Error::Inval`], as upstream.
pub const HEADER_MAX: usize = 64;

/// Free bytes kept in front of a new body, so that `insert` of up to this
/// many bytes moves no data.
pub const HEADROOM: usize = 32;

/// Bodies of at least this many bytes are shared (reference counted,
/// copy-on-write) by [`Msg::share`]; shorter bodies are copied, which costs
/// less than a shared count that every holder's drop must touch.
pub const SHARE_MIN: usize = 1024;

/// Spare bytes after a new body (upstream's 32), except for power-of-two
/// bodies of 1024 bytes or more, which upstream leaves exact.
const TAILROOM: usize = 32;

/// Alignment of every allocation, and so of the header and of a new body.
const ALIGN: usize = 16;

/// At and above this size `Msg::new` asks the allocator for zeroed memory
/// (`calloc`, which can skip clearing fresh pages) instead of clearing it.
const CALLOC_MIN: usize = 64 * 1024;

/// The start of every allocation: its reference count and size.
#[repr(C)]
struct Buf {
    refs: AtomicUsize,
    size: usize,
}

/// Where a body lives (invariant 3).
#[derive(Clone, Copy)]
struct Body {
    buf: NonNull<Buf>,
    base: *mut u8,
    cap: usize,
    off: usize,
    len: usize,
    init: usize,
}

/// Per-message data, owned by exactly one handle (invariant 2).
#[repr(C)]
struct Meta {
    pipe: u32,
    hlen: u32,
    header: [u8; HEADER_MAX],
    body: Body,
}

/// The fixed part of a message block; the inline data region follows it.
#[repr(C, align(16))]
struct MsgHead {
    buf: Buf,
    slot: Msg,
    meta: Meta,
}

// The header is handed to C, which may read it as `uint32_t`s.
const _: () = assert!((offset_of!(MsgHead, meta) + offset_of!(Meta, header)) % 8 == 0);
const _: () = assert!(size_of::<MsgHead>() % ALIGN == 0);
const _: () = assert!(size_of::<Buf>() % ALIGN == 0);

/// An owned SP message: a small header (protocol data) and a body.
///
/// `Send` and `Sync`; not `Clone` (use [`Msg::dup`] for a deep copy or
/// [`Msg::share`] for a cheap one).
pub struct Msg {
    head: NonNull<MsgHead>,
}

// SAFETY: a Msg owns its block and its body reference; shared body bytes are
// written only when the writer holds the sole reference (invariant 4, with
// Acquire/Release counting as in Arc), and Meta is reached only through the
// owning handle, so moving a handle to another thread is sound.
unsafe impl Send for Msg {}
// SAFETY: `&Msg` methods only read Meta and body bytes, and `share` only
// increments an atomic count, so concurrent `&Msg` use is sound.
unsafe impl Sync for Msg {}

impl Msg {
    /// A message with `len` zeroed body bytes, an empty header and pipe 0.
    /// Capacity is `len + 32`, or exactly `len` for powers of two from 1024
    /// (as upstream). Fails with [`Error::NoMem`].
    pub fn new(len: usize) -> Result<Msg> {
        let region = HEADROOM
            .checked_add(len)
            .and_then(|n| n.checked_add(tail_for(len)))
            .ok_or(Error::NoMem)?;
        let zeroed = len >= CALLOC_MIN;
        let mut m = Msg::with_region(region, HEADROOM, zeroed)?;
        let b = &mut m.meta_mut().body;
        if !zeroed {
            // SAFETY: HEADROOM + len <= cap, so the range is inside the fresh
            // inline data region, which nothing else references yet.
            unsafe { ptr::write_bytes(b.base.add(HEADROOM), 0, len) };
        }
        b.len = len;
        b.init = if zeroed { b.cap } else { HEADROOM + len };
        Ok(m)
    }

    /// An empty message whose body can grow to `cap` bytes without
    /// allocating: the receive path fills it through
    /// [`Msg::spare_capacity_mut`] and [`Msg::set_len`]. One allocation.
    pub fn with_capacity(cap: usize) -> Result<Msg> {
        let region = HEADROOM.checked_add(cap).ok_or(Error::NoMem)?;
        Msg::with_region(region, HEADROOM, false)
    }

    /// A message whose body is a copy of `data`. One allocation; aborts on
    /// allocation failure like `Vec`.
    pub fn from_slice(data: &[u8]) -> Msg {
        let len = data.len();
        let region = HEADROOM + len + tail_for(len);
        let mut m = Msg::with_region(region, HEADROOM, false).unwrap_or_else(|_| oom());
        let b = &mut m.meta_mut().body;
        // SAFETY: the fresh inline region holds HEADROOM + len bytes and
        // cannot overlap `data`, which the caller borrows from elsewhere.
        unsafe { ptr::copy_nonoverlapping(data.as_ptr(), b.base.add(HEADROOM), len) };
        b.len = len;
        b.init = HEADROOM + len;
        m
    }

    /// Body bytes.
    pub fn body(&self) -> &[u8] {
        let b = &self.meta().body;
        // SAFETY: invariant 3 (in bounds, initialised, allocation kept alive
        // by our reference) and invariant 4 (no writer while we can read).
        unsafe { slice::from_raw_parts(b.base.add(b.off), b.len) }
    }

    /// Body bytes, writable. A shared body is copied first (copy on write);
    /// aborts if that copy cannot be allocated (see [`Msg::try_body_mut`]).
    pub fn body_mut(&mut self) -> &mut [u8] {
        self.try_body_mut().unwrap_or_else(|_| oom())
    }

    /// Body bytes, writable; a shared body is copied first, which may fail
    /// with [`Error::NoMem`].
    pub fn try_body_mut(&mut self) -> Result<&mut [u8]> {
        let _retired = self.unshare()?;
        let b = &self.meta_mut().body;
        // SAFETY: invariant 3, and the body is now unique (invariant 4), so
        // this is the only reference to these bytes while `&mut self` lasts.
        Ok(unsafe { slice::from_raw_parts_mut(b.base.add(b.off), b.len) })
    }

    /// Header bytes.
    pub fn header(&self) -> &[u8] {
        let m = self.meta();
        &m.header[..m.hlen as usize]
    }

    /// Header bytes, writable.
    pub fn header_mut(&mut self) -> &mut [u8] {
        let m = self.meta_mut();
        &mut m.header[..m.hlen as usize]
    }

    /// The whole header area ([`HEADER_MAX`] bytes; the header is its first
    /// `header().len()` bytes), for C's `nng_msg_header`.
    pub fn header_area_mut(&mut self) -> &mut [u8; HEADER_MAX] {
        &mut self.meta_mut().header
    }

    /// Body length.
    pub fn len(&self) -> usize {
        self.meta().body.len
    }

    /// True when the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the body can hold from its start without allocating (upstream
    /// `nng_msg_capacity`: length plus tail room).
    pub fn capacity(&self) -> usize {
        let b = &self.meta().body;
        b.cap - b.off
    }

    /// True when the body may be seen by another message, so that a write
    /// will copy it first. Conservative: a body shared *from* a message that
    /// is still alive counts as shared even after that message's own body
    /// moved elsewhere (its block keeps one count for its owner).
    pub fn is_shared(&self) -> bool {
        !self.meta().body.unique()
    }

    /// Ensures [`Msg::capacity`] is at least `cap`; the length is unchanged.
    /// Growing gives exactly `cap` (as upstream). Fails with [`Error::NoMem`].
    pub fn reserve(&mut self, cap: usize) -> Result<()> {
        if cap <= self.capacity() {
            return Ok(());
        }
        let _retired = self.regrow(HEADROOM, cap)?;
        Ok(())
    }

    /// Sets the body length to `len`, keeping the contents. Shrinking only
    /// lowers the length; growing exposes the bytes that were there before
    /// (earlier chopped data, as upstream) or zeros. Fails with
    /// [`Error::NoMem`].
    pub fn realloc(&mut self, len: usize) -> Result<()> {
        let cur = self.len();
        if len <= cur {
            self.meta_mut().body.len = len;
            return Ok(());
        }
        let _retired = self.make_room(len - cur, false)?;
        let b = &mut self.meta_mut().body;
        let end = b.off + len;
        if b.init < end {
            // SAFETY: make_room left the body unique with off + len <= cap;
            // the cleared range lies past every initialised byte, inside the
            // data region.
            unsafe { ptr::write_bytes(b.base.add(b.init), 0, end - b.init) };
            b.init = end;
        }
        b.len = len;
        Ok(())
    }

    /// Appends to the body. Fails with [`Error::NoMem`].
    pub fn append(&mut self, data: &[u8]) -> Result<()> {
        self.append_with(data.len(), |dst| {
            // SAFETY: dst is valid for data.len() bytes of writes (append_with
            // contract); memmove tolerates a source inside our own buffer.
            unsafe { ptr::copy(data.as_ptr(), dst, data.len()) }
        })
    }

    /// Appends `n` zero bytes to the body. Fails with [`Error::NoMem`].
    pub fn append_zeros(&mut self, n: usize) -> Result<()> {
        // SAFETY: dst is valid for n bytes of writes (append_with contract).
        self.append_with(n, |dst| unsafe { ptr::write_bytes(dst, 0, n) })
    }

    /// Prepends to the body, using the headroom when it suffices. Fails with
    /// [`Error::NoMem`].
    pub fn insert(&mut self, data: &[u8]) -> Result<()> {
        self.insert_with(data.len(), |dst| {
            // SAFETY: dst is valid for data.len() bytes of writes (insert_with
            // contract); memmove tolerates a source inside our own buffer.
            unsafe { ptr::copy(data.as_ptr(), dst, data.len()) }
        })
    }

    /// Prepends `n` zero bytes to the body. Fails with [`Error::NoMem`].
    pub fn insert_zeros(&mut self, n: usize) -> Result<()> {
        // SAFETY: dst is valid for n bytes of writes (insert_with contract).
        self.insert_with(n, |dst| unsafe { ptr::write_bytes(dst, 0, n) })
    }

    /// Removes `n` bytes from the front of the body; [`Error::Inval`] if
    /// `n > len()`.
    pub fn trim(&mut self, n: usize) -> Result<()> {
        let b = &mut self.meta_mut().body;
        if n > b.len {
            return Err(Error::Inval);
        }
        b.len -= n;
        // Removing everything keeps the headroom where it was (as upstream).
        if b.len != 0 {
            b.off += n;
        }
        Ok(())
    }

    /// Removes `n` bytes from the end of the body; [`Error::Inval`] if
    /// `n > len()`.
    pub fn chop(&mut self, n: usize) -> Result<()> {
        let b = &mut self.meta_mut().body;
        b.len = b.len.checked_sub(n).ok_or(Error::Inval)?;
        Ok(())
    }

    /// Appends to the header; [`Error::Inval`] beyond [`HEADER_MAX`] bytes.
    pub fn header_append(&mut self, data: &[u8]) -> Result<()> {
        let m = self.meta_mut();
        let h = m.hlen as usize;
        if data.len() > HEADER_MAX - h {
            return Err(Error::Inval);
        }
        m.header[h..h + data.len()].copy_from_slice(data);
        m.hlen += data.len() as u32;
        Ok(())
    }

    /// Prepends to the header; [`Error::Inval`] beyond [`HEADER_MAX`] bytes.
    pub fn header_insert(&mut self, data: &[u8]) -> Result<()> {
        let m = self.meta_mut();
        let (h, n) = (m.hlen as usize, data.len());
        if n > HEADER_MAX - h {
            return Err(Error::Inval);
        }
        m.header.copy_within(..h, n);
        m.header[..n].copy_from_slice(data);
        m.hlen += n as u32;
        Ok(())
    }

    /// Removes `n` bytes from the front of the header; [`Error::Inval`] if
    /// `n` exceeds the header length.
    pub fn header_trim(&mut self, n: usize) -> Result<()> {
        let m = self.meta_mut();
        let h = m.hlen as usize;
        if n > h {
            return Err(Error::Inval);
        }
        m.header.copy_within(n..h, 0);
        m.hlen -= n as u32;
        Ok(())
    }

    /// Removes `n` bytes from the end of the header; [`Error::Inval`] if `n`
    /// exceeds the header length.
    pub fn header_chop(&mut self, n: usize) -> Result<()> {
        let m = self.meta_mut();
        if n > m.hlen as usize {
            return Err(Error::Inval);
        }
        m.hlen -= n as u32;
        Ok(())
    }

    /// Moves the header to the front of the body, leaving the header empty
    /// (upstream's `nni_msg_pull_up`, for transports such as inproc that
    /// deliver one flat message). Usually moves no body bytes (headroom).
    /// Fails with [`Error::NoMem`], leaving the message unchanged.
    pub fn pull_up(&mut self) -> Result<()> {
        let m = self.meta();
        let (header, h) = (m.header, m.hlen as usize);
        self.insert(&header[..h])?;
        self.header_clear();
        Ok(())
    }

    /// Empties the header.
    pub fn header_clear(&mut self) {
        self.meta_mut().hlen = 0;
    }

    /// Empties the body (capacity and headroom are kept).
    pub fn clear(&mut self) {
        self.meta_mut().body.len = 0;
    }

    /// The pipe id recorded on the message (0: none).
    pub fn pipe(&self) -> u32 {
        self.meta().pipe
    }

    /// Records a pipe id on the message.
    pub fn set_pipe(&mut self, id: u32) {
        self.meta_mut().pipe = id;
    }

    /// An independent deep copy: header, body and pipe, with the same
    /// capacity (as upstream). One allocation. Fails with [`Error::NoMem`].
    pub fn dup(&self) -> Result<Msg> {
        let src = self.meta();
        let len = src.body.len;
        let region = HEADROOM.checked_add(self.capacity()).ok_or(Error::NoMem)?;
        let mut d = Msg::with_region(region, HEADROOM, false)?;
        let dm = d.meta_mut();
        dm.pipe = src.pipe;
        dm.hlen = src.hlen;
        dm.header = src.header;
        // SAFETY: the source range is our initialised body (invariant 3); the
        // destination is the fresh block's inline region, which has room for
        // HEADROOM + capacity >= HEADROOM + len bytes and overlaps nothing.
        unsafe {
            ptr::copy_nonoverlapping(
                src.body.base.add(src.body.off),
                dm.body.base.add(HEADROOM),
                len,
            )
        };
        dm.body.len = len;
        dm.body.init = HEADROOM + len;
        Ok(d)
    }

    /// A cheap copy for fan-out: header and pipe are copied; a body of
    /// [`SHARE_MIN`] bytes or more is shared (reference counted) and copied by
    /// whichever holder writes to it first; a shorter body is copied now.
    /// Aborts on allocation failure (see [`Msg::try_share`]).
    pub fn share(&self) -> Msg {
        self.try_share().unwrap_or_else(|_| oom())
    }

    /// [`Msg::share`], failing with [`Error::NoMem`] instead of aborting.
    pub fn try_share(&self) -> Result<Msg> {
        if self.len() < SHARE_MIN {
            return self.dup();
        }
        let mut s = Msg::with_region(0, 0, false)?;
        let src = self.meta();
        let old = src.body.refs().fetch_add(1, Ordering::Relaxed);
        if old > isize::MAX as usize {
            // As Arc: a count this high means leaked handles; stop before it wraps.
            std::process::abort();
        }
        let sm = s.meta_mut();
        sm.pipe = src.pipe;
        sm.hlen = src.hlen;
        sm.header = src.header;
        // The new handle now holds the reference taken above (invariant 3).
        sm.body = src.body;
        Ok(s)
    }

    /// The free bytes after the body, for filling in place (the receive
    /// path); commit them with [`Msg::set_len`]. A shared body is copied
    /// first (aborting if that fails, like [`Msg::body_mut`]).
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        drop(self.unshare().unwrap_or_else(|_| oom()));
        let b = &self.meta_mut().body;
        let end = b.off + b.len;
        // SAFETY: base + end .. base + cap is inside the data region of a body
        // allocation we hold the only reference to (unshare), so nobody else
        // reads or writes it; MaybeUninit makes no claim about its contents.
        unsafe { slice::from_raw_parts_mut(b.base.add(end).cast(), b.cap - end) }
    }

    /// Grows the body by bytes `fill` writes into its spare capacity (at
    /// most `max` of them), without clearing that room first: the receive
    /// path reads from the kernel straight into the message. `fill` returns
    /// the part it initialised, which must be a prefix of the slice it was
    /// given (anything else adds nothing). Returns how many bytes were
    /// added, or `fill`'s error.
    pub fn append_uninit<E>(
        &mut self,
        max: usize,
        fill: impl FnOnce(&mut [MaybeUninit<u8>]) -> std::result::Result<&mut [u8], E>,
    ) -> std::result::Result<usize, E> {
        let len = self.len();
        let spare = self.spare_capacity_mut();
        let n = spare.len().min(max);
        let room = &mut spare[..n];
        let start = room.as_ptr().cast::<u8>();
        let done = fill(room)?;
        if done.as_ptr() != start || done.len() > n {
            return Ok(0);
        }
        let added = done.len();
        // SAFETY: `done` is an initialised `&mut [u8]` starting at the first
        // spare byte and no longer than the spare room, so the `added` bytes
        // after the body are initialised.
        unsafe { self.set_len(len + added) };
        Ok(added)
    }

    /// Sets the body length after filling [`Msg::spare_capacity_mut`].
    ///
    /// # Safety
    ///
    /// `len <= capacity()`; if `len > self.len()`, the body has not been
    /// shared since `spare_capacity_mut` was called, and the bytes between
    /// the old and the new length were written through it.
    pub unsafe fn set_len(&mut self, len: usize) {
        debug_assert!(len <= self.capacity());
        let b = &mut self.meta_mut().body;
        debug_assert!(len <= b.len || b.unique());
        b.len = len;
        b.init = b.init.max(b.off + len);
    }

    /// True when `len` bytes at `p` overlap this message's header area or
    /// body buffer. The C boundary copies such input before using it, since
    /// a write could move or overwrite it (`nng_msg_append(m, nng_msg_body(m), n)`).
    pub fn aliases(&self, p: *const u8, len: usize) -> bool {
        if len == 0 {
            return false;
        }
        let m = self.meta();
        let overlaps = |start: *const u8, n: usize| {
            let (a, b) = (p as usize, start as usize);
            a < b.wrapping_add(n) && b < a.wrapping_add(len)
        };
        overlaps(m.header.as_ptr(), HEADER_MAX) || overlaps(m.body.base, m.body.cap)
    }

    /// Gives the message up as a raw pointer (the block address, which is
    /// also what every later [`Msg::from_raw`] / [`Msg::into_raw`] round trip
    /// returns). Allocates nothing.
    pub fn into_raw(self) -> NonNull<u8> {
        let p = self.head.cast();
        mem::forget(self);
        p
    }

    /// Takes back a message given up with [`Msg::into_raw`].
    ///
    /// # Safety
    ///
    /// `p` came from [`Msg::into_raw`] and has not been taken back since.
    pub unsafe fn from_raw(p: NonNull<u8>) -> Msg {
        Msg { head: p.cast() }
    }

    /// Borrows, without taking it back, a message given up with
    /// [`Msg::into_raw`].
    ///
    /// The reference points at a handle stored *inside* the message's own
    /// block: call methods on it, but never assign through it, move out of
    /// it or swap it (`mem::replace`/`take`/`swap`). An assignment leaks the
    /// message instead of freeing it (checked in `Drop`).
    ///
    /// # Safety
    ///
    /// `p` came from [`Msg::into_raw`], has not been taken back, and no other
    /// reference to this message is used while the returned one lives.
    pub unsafe fn slot_mut<'a>(p: NonNull<u8>) -> &'a mut Msg {
        // SAFETY: per the contract p is a live block, whose slot holds a Msg
        // (invariant 5), and we are its only user for 'a.
        let slot = unsafe { &mut *p.as_ptr().add(offset_of!(MsgHead, slot)).cast::<Msg>() };
        debug_assert_eq!(slot.head.cast::<u8>(), p, "msg slot was overwritten");
        slot
    }

    /// Borrows read-only, without taking it back, a message given up with
    /// [`Msg::into_raw`].
    ///
    /// # Safety
    ///
    /// `p` came from [`Msg::into_raw`], has not been taken back, and is not
    /// mutated while the returned reference lives.
    pub unsafe fn slot_ref<'a>(p: NonNull<u8>) -> &'a Msg {
        // SAFETY: per the contract p is a live block whose slot holds a Msg
        // (invariant 5), not mutated for 'a.
        unsafe { &*p.as_ptr().add(offset_of!(MsgHead, slot)).cast::<Msg>() }
    }

    // ---- internals ----

    /// A new block with a `region`-byte inline data region and an empty body
    /// at `off` (off <= region). `zeroed` clears the whole block.
    fn with_region(region: usize, off: usize, zeroed: bool) -> Result<Msg> {
        debug_assert!(off <= region);
        let size = size_of::<MsgHead>()
            .checked_add(region)
            .ok_or(Error::NoMem)?;
        let (p, size) = alloc_block(size, zeroed)?;
        let p = p.cast::<MsgHead>();
        let raw = p.as_ptr();
        // SAFETY: raw is a fresh allocation of `size` >= size_of::<MsgHead>()
        // bytes aligned to ALIGN (>= MsgHead's alignment); the writes
        // initialise the fixed part without reading it, and `base` is the
        // first byte after it, at most one past the end of the allocation.
        unsafe {
            let base = raw.cast::<u8>().add(size_of::<MsgHead>());
            ptr::addr_of_mut!((*raw).buf).write(Buf {
                refs: AtomicUsize::new(1),
                size,
            });
            ptr::addr_of_mut!((*raw).slot).write(Msg { head: p });
            ptr::addr_of_mut!((*raw).meta).write(Meta {
                pipe: 0,
                hlen: 0,
                header: [0; HEADER_MAX],
                body: Body {
                    buf: p.cast(),
                    base,
                    cap: region,
                    off,
                    len: 0,
                    init: off,
                },
            });
        }
        Ok(Msg { head: p })
    }

    fn meta(&self) -> &Meta {
        // SAFETY: invariant 1 (live block) and 2 (Meta belongs to this
        // handle); the reference covers the meta field only, never the slot.
        unsafe { &(*self.head.as_ptr()).meta }
    }

    fn meta_mut(&mut self) -> &mut Meta {
        // SAFETY: as in `meta`, and `&mut self` makes this the only access.
        unsafe { &mut (*self.head.as_ptr()).meta }
    }

    /// Makes the body unique (copying a shared one).
    fn unshare(&mut self) -> Result<Retired> {
        let b = self.meta().body;
        if b.unique() {
            return Ok(Retired(None));
        }
        self.regrow(HEADROOM, b.len + TAILROOM)
    }

    /// Makes the body unique with room for `extra` more bytes after it,
    /// growing geometrically when `amortize` (appends).
    fn make_room(&mut self, extra: usize, amortize: bool) -> Result<Retired> {
        let b = self.meta().body;
        let need = b.len.checked_add(extra).ok_or(Error::NoMem)?;
        let unique = b.unique();
        if unique && need <= b.cap - b.off {
            return Ok(Retired(None));
        }
        let cap = b.cap - b.off;
        let room = if !unique {
            need.saturating_add(TAILROOM)
        } else if amortize {
            need.max(cap.saturating_mul(2))
        } else {
            need.max(cap)
        };
        self.regrow(HEADROOM, room)
    }

    /// Moves the body into a new spilled buffer with `head` bytes before it
    /// and `room` (>= len) bytes from its start. The old buffer is released
    /// when the returned value drops, so input that pointed into it stays
    /// readable until the caller is done.
    fn regrow(&mut self, head: usize, room: usize) -> Result<Retired> {
        let old = self.meta().body;
        debug_assert!(room >= old.len);
        let region = head.checked_add(room).ok_or(Error::NoMem)?;
        let size = size_of::<Buf>().checked_add(region).ok_or(Error::NoMem)?;
        let (p, size) = alloc_block(size, false)?;
        let buf = p.cast::<Buf>();
        // SAFETY: p is a fresh allocation of `size` = 16 + region bytes,
        // aligned to ALIGN; we initialise its Buf and copy the old body
        // (initialised, invariant 3) to offset `head` of its data region,
        // where head + len <= region; the two allocations are distinct.
        let base = unsafe {
            buf.as_ptr().write(Buf {
                refs: AtomicUsize::new(1),
                size,
            });
            let base = p.as_ptr().add(size_of::<Buf>());
            ptr::copy_nonoverlapping(old.base.add(old.off), base.add(head), old.len);
            base
        };
        let own = self.head.cast::<Buf>();
        self.meta_mut().body = Body {
            buf,
            base,
            cap: region,
            off: head,
            len: old.len,
            init: head + old.len,
        };
        // Our own inline region stays allocated with the block; any other
        // buffer loses our reference.
        Ok(Retired((old.buf != own).then_some(old.buf)))
    }

    /// Grows the body by `n` bytes at the end; `fill` writes them.
    fn append_with(&mut self, n: usize, fill: impl FnOnce(*mut u8)) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        let _retired = self.make_room(n, true)?;
        let b = &mut self.meta_mut().body;
        // SAFETY: make_room left the body unique with off + len + n <= cap, so
        // the n bytes after the body are ours to write.
        fill(unsafe { b.base.add(b.off + b.len) });
        b.len += n;
        b.init = b.init.max(b.off + b.len);
        Ok(())
    }

    /// Grows the body by `n` bytes at the front; `fill` writes them.
    fn insert_with(&mut self, n: usize, fill: impl FnOnce(*mut u8)) -> Result<()> {
        if n == 0 {
            return Ok(());
        }
        let b = self.meta().body;
        let unique = b.unique();
        let mut _retired = Retired(None);
        let start = if unique && n <= b.off {
            b.off - n
        } else if unique && n <= b.cap - b.len {
            // Enough room in the buffer, not in front: move the body so that
            // half the remaining free space lands on each side.
            let new_off = ((b.cap - b.len - n) / 2) & !7;
            // SAFETY: source and destination (new_off + n + len <= cap) lie in
            // our unique data region; `copy` allows the overlap.
            unsafe { ptr::copy(b.base.add(b.off), b.base.add(new_off + n), b.len) };
            new_off
        } else {
            let room = if unique {
                b.cap - b.off
            } else {
                b.len + TAILROOM
            };
            let head = HEADROOM.checked_add(n).ok_or(Error::NoMem)?;
            _retired = self.regrow(head, room.max(b.len))?;
            HEADROOM
        };
        let b = &mut self.meta_mut().body;
        // SAFETY: start + n is the (new) body start, and start >= 0; the n
        // bytes before it are in our unique data region.
        fill(unsafe { b.base.add(start) });
        b.off = start;
        b.len += n;
        b.init = b.init.max(start + b.len);
        Ok(())
    }
}

macro_rules! int_ops {
    ($t:ty, $n:literal, $append:ident, $insert:ident, $trim:ident, $chop:ident,
     $happend:ident, $hinsert:ident, $htrim:ident, $hchop:ident) => {
        impl Msg {
            #[doc = concat!("Appends a big-endian `", stringify!($t), "` to the body.")]
            pub fn $append(&mut self, v: $t) -> Result<()> {
                self.append(&v.to_be_bytes())
            }
            #[doc = concat!("Prepends a big-endian `", stringify!($t), "` to the body.")]
            pub fn $insert(&mut self, v: $t) -> Result<()> {
                self.insert(&v.to_be_bytes())
            }
            #[doc = concat!("Removes and decodes a big-endian `", stringify!($t),
                "` from the front of the body; [`Error::Inval`] if too short.")]
            pub fn $trim(&mut self) -> Result<$t> {
                let v = <$t>::from_be_bytes(*self.body().first_chunk::<$n>().ok_or(Error::Inval)?);
                self.trim($n)?;
                Ok(v)
            }
            #[doc = concat!("Removes and decodes a big-endian `", stringify!($t),
                "` from the end of the body; [`Error::Inval`] if too short.")]
            pub fn $chop(&mut self) -> Result<$t> {
                let v = <$t>::from_be_bytes(*self.body().last_chunk::<$n>().ok_or(Error::Inval)?);
                self.chop($n)?;
                Ok(v)
            }
            #[doc = concat!("Appends a big-endian `", stringify!($t),
                "` to the header; [`Error::Inval`] if the header would exceed [`HEADER_MAX`].")]
            pub fn $happend(&mut self, v: $t) -> Result<()> {
                self.header_append(&v.to_be_bytes())
            }
            #[doc = concat!("Prepends a big-endian `", stringify!($t),
                "` to the header; [`Error::Inval`] if the header would exceed [`HEADER_MAX`].")]
            pub fn $hinsert(&mut self, v: $t) -> Result<()> {
                self.header_insert(&v.to_be_bytes())
            }
            #[doc = concat!("Removes and decodes a big-endian `", stringify!($t),
                "` from the front of the header; [`Error::Inval`] if too short.")]
            pub fn $htrim(&mut self) -> Result<$t> {
                let v = <$t>::from_be_bytes(*self.header().first_chunk::<$n>().ok_or(Error::Inval)?);
                self.header_trim($n)?;
                Ok(v)
            }
            #[doc = concat!("Removes and decodes a big-endian `", stringify!($t),
                "` from the end of the header; [`Error::Inval`] if too short.")]
            pub fn $hchop(&mut self) -> Result<$t> {
                let v = <$t>::from_be_bytes(*self.header().last_chunk::<$n>().ok_or(Error::Inval)?);
                self.header_chop($n)?;
                Ok(v)
            }
        }
    };
}

int_ops!(
    u16,
    2,
    append_u16,
    insert_u16,
    trim_u16,
    chop_u16,
    header_append_u16,
    header_insert_u16,
    header_trim_u16,
    header_chop_u16
);
int_ops!(
    u32,
    4,
    append_u32,
    insert_u32,
    trim_u32,
    chop_u32,
    header_append_u32,
    header_insert_u32,
    header_trim_u32,
    header_chop_u32
);
int_ops!(
    u64,
    8,
    append_u64,
    insert_u64,
    trim_u64,
    chop_u64,
    header_append_u64,
    header_insert_u64,
    header_trim_u64,
    header_chop_u64
);

impl Drop for Msg {
    fn drop(&mut self) {
        // The handle stored in a block's own slot is only lent out (see
        // `slot_mut`); if it is dropped, someone assigned through that
        // borrow. Leak rather than free a block that C still points at.
        let slot = self
            .head
            .as_ptr()
            .cast::<u8>()
            .wrapping_add(offset_of!(MsgHead, slot));
        if ptr::eq((self as *const Msg).cast::<u8>(), slot) {
            return;
        }
        let own = self.head.cast::<Buf>();
        let body = self.meta().body.buf;
        // SAFETY: we own one reference on our block and one on the body's
        // buffer when it is another allocation (invariants 1, 3); neither is
        // used after this.
        unsafe {
            if body != own {
                release(body);
            }
            release(own);
        }
    }
}

impl Default for Msg {
    /// An empty message; aborts on allocation failure.
    fn default() -> Msg {
        Msg::new(0).unwrap_or_else(|_| oom())
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Msg")
            .field("header", &self.header())
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("shared", &self.is_shared())
            .field("pipe", &self.pipe())
            .finish()
    }
}

impl Body {
    fn refs(&self) -> &AtomicUsize {
        // SAFETY: invariant 3: we hold a reference, so the Buf is alive; only
        // its atomic count is borrowed.
        unsafe { &(*self.buf.as_ptr()).refs }
    }

    /// True when no other handle can see the body (invariant 4).
    fn unique(&self) -> bool {
        self.refs().load(Ordering::Acquire) == 1
    }
}

/// A body buffer that lost its last use by this handle; dropping it releases
/// the reference.
#[must_use]
struct Retired(Option<NonNull<Buf>>);

impl Drop for Retired {
    fn drop(&mut self) {
        if let Some(buf) = self.0 {
            // SAFETY: regrow handed us the reference the handle held on the
            // old buffer; nothing uses it after this.
            unsafe { release(buf) }
        }
    }
}

fn tail_for(len: usize) -> usize {
    if len < 1024 || !len.is_power_of_two() {
        TAILROOM
    } else {
        0
    }
}

/// Allocates a block of at least `size` bytes (zeroed if asked); returns
/// it and its real size, which its `Buf` must record for [`release`]. A
/// large block may come from [`large`]'s cache.
fn alloc_block(size: usize, zeroed: bool) -> Result<(NonNull<u8>, usize)> {
    debug_assert!(size >= size_of::<Buf>());
    let (cached, size_kept) = if let Some((class, csize)) = small::class(size) {
        (small::take(class), csize)
    } else if let Some((class, csize)) = large::class(size) {
        (large::take(class), csize)
    } else {
        (None, size)
    };
    match cached {
        Some(p) => {
            if zeroed {
                // SAFETY: a cached block is a live allocation of
                // `size_kept` >= size bytes that nothing references any more.
                unsafe { ptr::write_bytes(p.as_ptr(), 0, size) };
            }
            Ok((p, size_kept))
        }
        None => alloc_fresh(size_kept, zeroed),
    }
}

/// A block of exactly `size` bytes from the C allocator.
fn alloc_fresh(size: usize, zeroed: bool) -> Result<(NonNull<u8>, usize)> {
    let layout = Layout::from_size_align(size, ALIGN).map_err(|_| Error::NoMem)?;
    // SAFETY: the layout has a non-zero size (every block starts with a Buf).
    let p = unsafe {
        if zeroed {
            alloc::alloc_zeroed(layout)
        } else {
            alloc::alloc(layout)
        }
    };
    NonNull::new(p).map(|p| (p, size)).ok_or(Error::NoMem)
}

/// Frees a block made by [`alloc_block`] (of the real size it returned),
/// or keeps a large one for reuse.
///
/// # Safety
///
/// `p` is such a block of `size` bytes, and nothing uses it afterwards.
unsafe fn free_block(p: NonNull<u8>, size: usize) {
    let kept = match (small::class(size), large::class(size)) {
        (Some((class, csize)), _) => csize == size && small::keep(class, p),
        (_, Some((class, csize))) => csize == size && large::keep(class, p, size),
        _ => false,
    };
    if kept {
        return;
    }
    // SAFETY: per the contract, a live block of `size` bytes.
    unsafe { dealloc_block(p, size) }
}

/// Frees a block of `size` bytes to the C allocator.
///
/// # Safety
///
/// `p` is a live block of `size` bytes made with [`ALIGN`] by the C
/// allocator, and nothing uses it afterwards.
unsafe fn dealloc_block(p: NonNull<u8>, size: usize) {
    // SAFETY: per the contract.
    unsafe { alloc::dealloc(p.as_ptr(), Layout::from_size_align_unchecked(size, ALIGN)) }
}

/// The cache of small blocks (a message of up to about 1.8 KiB of body is
/// one of these). A stream of messages allocated on one thread and freed on
/// another (a sender and a receiver, a poller and a consumer) is the C
/// allocator's worst case: the freeing thread's own cache fills at once,
/// so each free and each allocation takes the allocator's shared lock, and
/// on two busy cores the threads end up sleeping on that lock in turn (a
/// 64 B push/pull flood over inproc fell from 2.2 M to 0.8 M msg/s in a
/// third of its runs, with half of all its context switches in
/// `__lll_lock_wait_private`). Here each thread keeps up to [`MAG`] free
/// blocks per size class and trades [`MAG`]` / 2` of them at a time with a
/// shared stack of at most [`SHARED`] per class: one short lock per
/// [`MAG`]` / 2` messages instead of one per message.
mod small {
    use std::cell::UnsafeCell;
    use std::ptr::NonNull;
    use std::sync::Mutex;

    // A panic cannot leave a stack half-updated (push/pop only).
    use crate::runtime::sync::lock;

    /// Class size step and largest block kept.
    const STEP: usize = 128;
    pub const MAX: usize = 2048;
    const CLASSES: usize = MAX / STEP;
    /// Cache slots: one per class, and one more that only the tests use
    /// (no block size maps to it), so that they see no other test's blocks.
    const SLOTS: usize = CLASSES + 1;
    /// Blocks a thread keeps per class.
    pub const MAG: usize = 32;
    /// Blocks the shared stack keeps per class.
    pub const SHARED: usize = 256;

    /// The class of a block of `size` bytes and the size it is rounded up
    /// to, if blocks of that size are kept.
    pub fn class(size: usize) -> Option<(usize, usize)> {
        if size == 0 || size > MAX {
            return None;
        }
        let class = (size - 1) / STEP;
        Some((class, class_size(class)))
    }

    fn class_size(class: usize) -> usize {
        (class + 1) * STEP
    }

    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    static STACKS: [Mutex<Vec<usize>>; SLOTS] = [EMPTY; SLOTS];

    /// One thread's free blocks: per class, addresses in `blocks[..n]`.
    struct Local {
        blocks: [[usize; MAG]; SLOTS],
        n: [usize; SLOTS],
    }

    impl Local {
        /// Frees every block this thread keeps.
        fn free_all(&mut self) {
            for class in 0..SLOTS {
                for &p in &self.blocks[class][..self.n[class]] {
                    free(p, class);
                }
                self.n[class] = 0;
            }
        }
    }

    impl Drop for Local {
        fn drop(&mut self) {
            self.free_all();
        }
    }

    thread_local! {
        static LOCAL: UnsafeCell<Local> = const {
            UnsafeCell::new(Local {
                blocks: [[0; MAG]; SLOTS],
                n: [0; SLOTS],
            })
        };
    }

    /// Runs `f` on this thread's cache; `None` once the thread is being
    /// torn down (its cache is gone: callers use the C allocator).
    fn with_local<R>(f: impl FnOnce(&mut Local) -> R) -> Option<R> {
        // SAFETY: the cache is reached only through this function, whose
        // callers (take, keep, clear) neither re-enter it nor let the
        // reference escape, so this is the only reference to it while `f`
        // runs.
        LOCAL.try_with(|l| f(unsafe { &mut *l.get() })).ok()
    }

    /// A kept block of `class`, if any.
    pub fn take(class: usize) -> Option<NonNull<u8>> {
        with_local(|l| {
            if l.n[class] == 0 {
                // Refill half a magazine from the shared stack.
                let mut s = lock(&STACKS[class]);
                let k = s.len().min(MAG / 2);
                let from = s.len() - k;
                l.blocks[class][..k].copy_from_slice(&s[from..]);
                s.truncate(from);
                l.n[class] = k;
            }
            if l.n[class] == 0 {
                return None;
            }
            l.n[class] -= 1;
            NonNull::new(l.blocks[class][l.n[class]] as *mut u8)
        })
        .flatten()
    }

    /// Keeps a free block of `class` (of exactly its class size); false
    /// when the caller is to free it.
    pub fn keep(class: usize, p: NonNull<u8>) -> bool {
        with_local(|l| {
            if l.n[class] == MAG {
                // Hand half a magazine to the shared stack, or free it if
                // that is full.
                let from = MAG / 2;
                let mut s = lock(&STACKS[class]);
                if s.len() + (MAG - from) <= SHARED {
                    s.extend_from_slice(&l.blocks[class][from..]);
                    drop(s);
                } else {
                    drop(s);
                    for &q in &l.blocks[class][from..] {
                        free(q, class);
                    }
                }
                l.n[class] = from;
            }
            l.blocks[class][l.n[class]] = p.as_ptr() as usize;
            l.n[class] += 1;
        })
        .is_some()
    }

    fn free(p: usize, class: usize) {
        if let Some(p) = NonNull::new(p as *mut u8) {
            // SAFETY: a kept block is a live allocation of its class size
            // from the C allocator that nothing references.
            unsafe { super::dealloc_block(p, class_size(class)) }
        }
    }

    /// Frees the blocks of the shared stacks and of this thread's cache
    /// (`nng_fini`; other threads free theirs when they end).
    pub fn clear() {
        with_local(Local::free_all);
        for (class, stack) in STACKS.iter().enumerate() {
            let blocks = std::mem::take(&mut *lock(stack));
            for p in blocks {
                free(p, class);
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn classes_round_up_to_the_step_and_stop_at_max() {
            assert_eq!(class(0), None);
            assert_eq!(class(1), Some((0, STEP)));
            assert_eq!(class(STEP), Some((0, STEP)));
            assert_eq!(class(STEP + 1), Some((1, 2 * STEP)));
            assert_eq!(class(MAX), Some((CLASSES - 1, MAX)));
            assert_eq!(class(MAX + 1), None);
        }

        #[test]
        fn blocks_freed_on_one_thread_are_reused_by_another() {
            let class = SLOTS - 1;
            let size = class_size(class);
            // One thread frees a magazine and a half: the cache keeps one
            // magazine and hands half of one to the shared stack.
            let freed: Vec<usize> = std::thread::spawn(move || {
                let blocks: Vec<_> = (0..MAG + MAG / 2)
                    .map(|_| super::super::alloc_fresh(size, false).unwrap().0)
                    .collect();
                let addrs = blocks.iter().map(|p| p.as_ptr() as usize).collect();
                for p in blocks {
                    assert!(keep(class, p));
                }
                with_local(|l| assert_eq!(l.n[class], MAG)).unwrap();
                assert_eq!(lock(&STACKS[class]).len(), MAG / 2);
                addrs
            })
            .join()
            .unwrap();
            // That thread's own magazine was freed as it ended; another
            // thread takes from the shared stack, half a magazine at once.
            let got = std::thread::spawn(move || {
                let p = take(class).expect("a block from the shared stack");
                with_local(|l| assert_eq!(l.n[class], MAG / 2 - 1)).unwrap();
                let a = p.as_ptr() as usize;
                assert!(keep(class, p));
                a
            })
            .join()
            .unwrap();
            assert!(freed.contains(&got));
            assert!(lock(&STACKS[class]).is_empty());
        }
    }
}

/// The cache of large blocks. Freeing and allocating tens of KiB or more
/// through the C allocator costs page faults whenever it hands the memory
/// back to the kernel in between (glibc trims its heap above a threshold
/// that a few large messages in flight exceed), and a message stream of
/// one size does exactly that: each new message faults in and clears every
/// page of its block. Blocks from [`MIN`] to [`MAX`] bytes are therefore
/// rounded up to one of eight size classes per doubling (at most 1/8
/// waste), and a freed one is kept (at most [`PER_CLASS`] per class and
/// [`BUDGET`] bytes in all) for the next allocation of its class.
mod large {
    use std::ptr::NonNull;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    // A panic cannot leave a stack half-updated (plain stores only).
    use crate::runtime::sync::lock;

    /// Smallest block kept (2^15).
    pub const MIN: usize = 32 * 1024;
    /// Largest block kept (2^24).
    pub const MAX: usize = 16 << 20;
    /// Blocks kept per class.
    pub const PER_CLASS: usize = 8;
    /// Bytes kept in all.
    pub const BUDGET: usize = 32 << 20;
    const CLASSES: usize = (24 - 15) * 8 + 1;

    /// Addresses of free blocks of one class.
    struct Stack {
        blocks: [usize; PER_CLASS],
        n: usize,
    }

    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Mutex<Stack> = Mutex::new(Stack {
        blocks: [0; PER_CLASS],
        n: 0,
    });
    static STACKS: [Mutex<Stack>; CLASSES] = [EMPTY; CLASSES];
    static KEPT: AtomicUsize = AtomicUsize::new(0);

    /// The class of a block of `size` bytes and the size it is rounded up
    /// to, if blocks of that size are kept.
    pub fn class(size: usize) -> Option<(usize, usize)> {
        if !(MIN..=MAX).contains(&size) {
            return None;
        }
        let step = 1usize << (size.ilog2() - 3);
        let csize = (size + step - 1) & !(step - 1);
        let p = csize.ilog2();
        let class = (p as usize - 15) * 8 + (csize >> (p - 3)) - 8;
        (csize <= MAX).then_some((class, csize))
    }

    /// A kept block of `class`, if any.
    pub fn take(class: usize) -> Option<NonNull<u8>> {
        let mut s = lock(&STACKS[class]);
        if s.n == 0 {
            return None;
        }
        s.n -= 1;
        let p = s.blocks[s.n];
        drop(s);
        let size = class_size(class);
        KEPT.fetch_sub(size, Ordering::Relaxed);
        NonNull::new(p as *mut u8)
    }

    /// Keeps a free block of `class` (of `size` bytes) if there is room.
    pub fn keep(class: usize, p: NonNull<u8>, size: usize) -> bool {
        if KEPT.fetch_add(size, Ordering::Relaxed) + size > BUDGET {
            KEPT.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        let mut s = lock(&STACKS[class]);
        if s.n == PER_CLASS {
            drop(s);
            KEPT.fetch_sub(size, Ordering::Relaxed);
            return false;
        }
        let n = s.n;
        s.blocks[n] = p.as_ptr() as usize;
        s.n += 1;
        true
    }

    fn class_size(class: usize) -> usize {
        let (p, k) = (class / 8 + 15, class % 8);
        (8 + k) << (p - 3)
    }

    /// Frees every kept block (`nng_fini`).
    pub fn clear() {
        for (class, stack) in STACKS.iter().enumerate() {
            let mut s = lock(stack);
            let size = class_size(class);
            while s.n > 0 {
                s.n -= 1;
                let p = s.blocks[s.n] as *mut u8;
                KEPT.fetch_sub(size, Ordering::Relaxed);
                if let Some(p) = NonNull::new(p) {
                    // SAFETY: a kept block is a live allocation of its class
                    // size from the C allocator that nothing references.
                    unsafe { super::dealloc_block(p, size) }
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn classes_round_up_by_at_most_an_eighth_and_cover_min_to_max() {
            assert_eq!(class(MIN - 1), None);
            assert_eq!(class(MIN), Some((0, MIN)));
            assert_eq!(class(MIN + 1), Some((1, MIN + MIN / 8)));
            assert_eq!(class(MAX), Some((CLASSES - 1, MAX)));
            assert_eq!(class(MAX + 1), None);
            let mut last = 0;
            for size in (MIN..=MAX).step_by(4093) {
                let (c, cs) = class(size).unwrap();
                assert!(cs >= size && cs - size <= size / 8, "{size} -> {cs}");
                assert_eq!(class_size(c), cs);
                assert_eq!(class(cs), Some((c, cs)));
                assert!(c >= last);
                last = c;
            }
        }
    }
}

/// Frees the large blocks kept for reuse (`nng_fini`).
pub fn release_cached() {
    small::clear();
    large::clear();
}

/// Drops one reference on an allocation, freeing it with the last one.
///
/// # Safety
///
/// `buf` starts a live allocation on which the caller owns a reference, and
/// the caller uses neither `buf` nor the allocation afterwards.
unsafe fn release(buf: NonNull<Buf>) {
    // SAFETY: per the contract the Buf is alive while we hold our reference.
    let b = unsafe { buf.as_ref() };
    // Sole holder (the common case): nobody can take a new reference (that
    // needs one already), so skip the read-modify-write.
    if b.refs.load(Ordering::Acquire) != 1 {
        if b.refs.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        fence(Ordering::Acquire);
    }
    let size = b.size;
    // SAFETY: the count reached zero, so this is the last use; the block was
    // made by alloc_block, which returned this size.
    unsafe { free_block(buf.cast(), size) }
}

#[cold]
fn oom() -> ! {
    alloc::handle_alloc_error(Layout::new::<MsgHead>())
}

/// Copies as much of `src` as fits to the start of `dst` and returns that
/// part of `dst`, now initialised (for [`Msg::append_uninit`] fillers).
pub fn copy_to_uninit<'a>(dst: &'a mut [MaybeUninit<u8>], src: &[u8]) -> &'a mut [u8] {
    let n = dst.len().min(src.len());
    let dst = &mut dst[..n];
    // SAFETY: `dst` and `src` are valid for n bytes and cannot overlap (one
    // is borrowed mutably, the other shared); after the copy the n bytes
    // are initialised, so viewing them as `[u8]` for `dst`'s lifetime is
    // sound.
    unsafe {
        ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().cast::<u8>(), n);
        slice::from_raw_parts_mut(dst.as_mut_ptr().cast::<u8>(), n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_uninit_adds_only_the_filled_prefix() {
        let mut m = Msg::with_capacity(16).unwrap();
        m.append(b"ab").unwrap();
        let n = m
            .append_uninit(4, |room| {
                assert_eq!(room.len(), 4);
                Ok::<_, ()>(copy_to_uninit(room, b"cdefgh"))
            })
            .unwrap();
        assert_eq!(n, 4);
        assert_eq!(m.body(), b"abcdef");
        // A slice that is not a prefix of the room adds nothing.
        let other: &'static mut [u8] = Box::leak(Box::new([0u8; 2]));
        let n = m.append_uninit(8, |_| Ok::<_, ()>(other)).unwrap();
        assert_eq!(n, 0);
        assert_eq!(m.body(), b"abcdef");
        assert_eq!(m.append_uninit(8, |_| Err::<&mut [u8], _>(7)), Err(7));
    }

    #[test]
    fn new_is_zeroed_with_upstream_capacity() {
        let m = Msg::new(100).unwrap();
        assert_eq!(m.body(), &[0u8; 100][..]);
        assert_eq!(m.capacity(), 132);
        assert_eq!(Msg::new(0).unwrap().capacity(), 32);
        assert_eq!(Msg::new(1024).unwrap().capacity(), 1024);
        assert_eq!(Msg::new(1000).unwrap().capacity(), 1032);
        let big = Msg::new(CALLOC_MIN).unwrap();
        assert!(big.body().iter().all(|&b| b == 0));
        assert!(m.header().is_empty());
        assert_eq!(m.pipe(), 0);
    }

    #[test]
    fn large_blocks_are_reused_cleared_and_with_their_own_capacity() {
        for len in [40_000, 65_536, 100_000, 1 << 20] {
            let mut m = Msg::new(len).unwrap();
            m.body_mut().fill(0xa5);
            let cap = m.capacity();
            drop(m);
            // The same class: usually the block just freed (other tests may
            // take it first), always zeroed and as large as asked.
            let m = Msg::new(len).unwrap();
            assert!(m.body().iter().all(|&b| b == 0), "len {len}");
            assert_eq!(m.capacity(), cap);
            let mut c = Msg::with_capacity(len).unwrap();
            assert_eq!(c.capacity(), len);
            c.append(&vec![7u8; len]).unwrap();
            assert_eq!(c.dup().unwrap().body(), c.body());
        }
    }

    #[test]
    fn huge_sizes_fail_with_nomem() {
        assert_eq!(Msg::new(usize::MAX).unwrap_err(), Error::NoMem);
        assert_eq!(Msg::new(usize::MAX / 2).unwrap_err(), Error::NoMem);
        let mut m = Msg::new(1).unwrap();
        assert_eq!(m.reserve(usize::MAX).unwrap_err(), Error::NoMem);
        assert_eq!(m.realloc(usize::MAX).unwrap_err(), Error::NoMem);
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn append_within_capacity_does_not_move() {
        let mut m = Msg::new(0).unwrap();
        m.append(b"abc\0").unwrap();
        let p = m.body().as_ptr();
        m.append(&[7; 28]).unwrap();
        assert_eq!(m.body().as_ptr(), p);
        assert_eq!(m.capacity(), 32);
    }

    #[test]
    fn growth_spills_and_keeps_contents() {
        let mut m = Msg::new(0).unwrap();
        m.append(b"abc\0").unwrap();
        let p = m.body().as_ptr();
        m.append(&[9; 64]).unwrap();
        assert_ne!(m.body().as_ptr(), p);
        assert_eq!(m.len(), 68);
        assert!(m.capacity() >= 68);
        assert_eq!(&m.body()[..4], b"abc\0");
        // Geometric growth: many appends, few moves.
        let mut moves = 0;
        for i in 0..10_000u32 {
            let p = m.body().as_ptr();
            m.append_u32(i).unwrap();
            moves += usize::from(p != m.body().as_ptr());
        }
        assert!(moves < 20, "{moves} moves");
        assert_eq!(m.chop_u32().unwrap(), 9999);
    }

    #[test]
    fn insert_uses_headroom_without_moving_the_body() {
        let mut m = Msg::from_slice(b"body");
        let end = m.body().as_ptr_range().end;
        m.insert(&[1; HEADROOM]).unwrap();
        assert_eq!(m.body().as_ptr_range().end, end);
        assert_eq!(&m.body()[HEADROOM..], b"body");
        // Beyond the headroom the body moves, and the result is still right.
        m.insert(b"xyz").unwrap();
        assert_eq!(&m.body()[..3], b"xyz");
        assert_eq!(&m.body()[3..3 + HEADROOM], &[1; HEADROOM]);
        assert_eq!(&m.body()[3 + HEADROOM..], b"body");
    }

    #[test]
    fn insert_shifts_inside_the_buffer() {
        // Upstream 1.12 overwrote the old body in this case; we keep it.
        let mut m = Msg::new(0).unwrap();
        m.append(b"abcd").unwrap();
        m.insert(&[b'X'; 40]).unwrap();
        // Moved within the 64-byte inline region: the body now starts at 8.
        assert_eq!(m.capacity(), 56);
        assert_eq!(m.len(), 44);
        assert_eq!(&m.body()[..40], &[b'X'; 40]);
        assert_eq!(&m.body()[40..], b"abcd");
    }

    #[test]
    fn insert_stress_matches_a_vec() {
        for j in [0usize, 1, 31, 32, 33, 100, 1024] {
            for i in [0usize, 1, 8, 31, 32, 33, 63, 64, 65, 500, 1023] {
                let mut m = Msg::new(j).unwrap();
                let data: Vec<u8> = (0..i).map(|k| k as u8).collect();
                m.insert(&data).unwrap();
                let mut want = data.clone();
                want.extend(std::iter::repeat(0).take(j));
                assert_eq!(m.body(), &want[..], "j={j} i={i}");
                m.insert(&data).unwrap();
                let mut want2 = data.clone();
                want2.extend(want);
                assert_eq!(m.body(), &want2[..], "j={j} i={i} twice");
            }
        }
    }

    #[test]
    fn trim_and_chop() {
        let mut m = Msg::from_slice(b"uvwxyz\0");
        m.trim(2).unwrap();
        assert_eq!(m.body(), b"wxyz\0");
        assert_eq!(m.trim(10), Err(Error::Inval));
        m.chop(1).unwrap();
        assert_eq!(m.body(), b"wxyz");
        assert_eq!(m.chop(5), Err(Error::Inval));
        assert_eq!(m.body(), b"wxyz");
        let cap = m.capacity();
        m.trim(4).unwrap();
        assert!(m.is_empty());
        // Trimming everything keeps the position (and so the capacity).
        assert_eq!(m.capacity(), cap);
    }

    #[test]
    fn realloc_keeps_contents_and_reexposes_chopped_bytes() {
        let mut m = Msg::new(0).unwrap();
        m.append(b"abc\0").unwrap();
        m.realloc(1500).unwrap();
        assert_eq!(m.len(), 1500);
        assert_eq!(&m.body()[..4], b"abc\0");
        assert!(m.body()[4..].iter().all(|&b| b == 0));
        m.realloc(2).unwrap();
        assert_eq!(m.body(), b"ab");
        m.realloc(3).unwrap();
        assert_eq!(m.body(), b"abc");
        m.append(b"CDEF\0").unwrap();
        assert_eq!(m.body(), b"abcCDEF\0");
    }

    #[test]
    fn reserve_gives_exact_capacity() {
        let mut m = Msg::new(0).unwrap();
        m.append(b"abc\0").unwrap();
        let p = m.body().as_ptr();
        m.reserve(16).unwrap();
        assert_eq!(m.capacity(), 32);
        assert_eq!(m.body().as_ptr(), p);
        m.reserve(64).unwrap();
        assert_eq!(m.capacity(), 64);
        assert_eq!(m.len(), 4);
        assert_ne!(m.body().as_ptr(), p);
        assert_eq!(m.body(), b"abc\0");
    }

    #[test]
    fn with_capacity_and_spare_capacity() {
        let mut m = Msg::with_capacity(100).unwrap();
        assert_eq!(m.capacity(), 100);
        assert!(m.is_empty());
        let spare = m.spare_capacity_mut();
        assert_eq!(spare.len(), 100);
        for (i, b) in spare[..10].iter_mut().enumerate() {
            b.write(i as u8);
        }
        // SAFETY: 10 <= capacity, bytes written just above, body unshared.
        unsafe { m.set_len(10) };
        assert_eq!(m.body(), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        // realloc past what was written exposes zeros, never garbage.
        m.realloc(20).unwrap();
        assert_eq!(&m.body()[10..], &[0; 10]);
    }

    #[test]
    fn header_limits_and_ops() {
        let mut m = Msg::new(0).unwrap();
        assert_eq!(m.header_append(&[0; 65]), Err(Error::Inval));
        m.header_append(b"def\0").unwrap();
        m.header_insert(b"abc").unwrap();
        assert_eq!(m.header(), b"abcdef\0");
        m.header_trim(2).unwrap();
        assert_eq!(m.header(), b"cdef\0");
        assert_eq!(m.header_trim(10), Err(Error::Inval));
        m.header_chop(3).unwrap();
        assert_eq!(m.header(), b"cd");
        assert_eq!(m.header_chop(3), Err(Error::Inval));
        m.header_clear();
        m.header_append(&[1; 60]).unwrap();
        m.header_append_u32(7).unwrap();
        assert_eq!(m.header().len(), 64);
        assert_eq!(m.header_append(b"x"), Err(Error::Inval));
        assert_eq!(m.header_insert(b"x"), Err(Error::Inval));
        assert_eq!(m.header_append_u16(1), Err(Error::Inval));
        assert_eq!(m.header().len(), 64);
        m.header_mut()[0] = 9;
        assert_eq!(m.header_trim_u16().unwrap(), 0x0901);
        assert_eq!(m.header_chop_u32().unwrap(), 7);
        // The header area is 8-aligned for C readers of uint32_t.
        assert_eq!(m.header_area_mut().as_ptr() as usize % 8, 0);
    }

    #[test]
    fn integers_are_big_endian() {
        let mut m = Msg::new(0).unwrap();
        m.append_u16(0x0102).unwrap();
        m.append_u32(0x0304_0506).unwrap();
        m.append_u64(0x0708_090a_0b0c_0d0e).unwrap();
        m.insert_u16(0xfffe).unwrap();
        assert_eq!(
            m.body(),
            &[0xff, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
        );
        assert_eq!(m.trim_u16().unwrap(), 0xfffe);
        assert_eq!(m.chop_u64().unwrap(), 0x0708_090a_0b0c_0d0e);
        assert_eq!(m.chop_u32().unwrap(), 0x0304_0506);
        assert_eq!(m.trim_u32(), Err(Error::Inval));
        assert_eq!(m.chop_u64(), Err(Error::Inval));
        assert_eq!(m.len(), 2, "failed decodes change nothing");
        assert_eq!(m.trim_u16().unwrap(), 0x0102);
        assert_eq!(m.trim_u16(), Err(Error::Inval));

        m.header_append_u64(1).unwrap();
        m.header_insert_u32(2).unwrap();
        m.header_insert_u16(3).unwrap();
        assert_eq!(m.header(), &[0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(m.header_chop_u64().unwrap(), 1);
        assert_eq!(m.header_trim_u16().unwrap(), 3);
        assert_eq!(m.header_trim_u64(), Err(Error::Inval));
        assert_eq!(m.header_trim_u32().unwrap(), 2);
        assert_eq!(m.header_chop_u16(), Err(Error::Inval));
    }

    #[test]
    fn dup_is_deep_and_keeps_pipe_and_capacity() {
        let mut m = Msg::from_slice(b"back\0");
        m.header_append(b"front\0").unwrap();
        m.set_pipe(0x2222_2222);
        let mut d = m.dup().unwrap();
        assert_eq!(d.body(), m.body());
        assert_eq!(d.header(), m.header());
        assert_eq!(d.pipe(), 0x2222_2222);
        assert_eq!(d.capacity(), m.capacity());
        m.insert(b"way").unwrap();
        d.chop(1).unwrap();
        d.append(b"2basics\0").unwrap();
        assert_eq!(m.body(), b"wayback\0");
        assert_eq!(d.body(), b"back2basics\0");
    }

    #[test]
    fn share_small_copies() {
        let m = Msg::from_slice(b"tiny");
        let s = m.share();
        assert!(!m.is_shared() && !s.is_shared());
        assert_ne!(s.body().as_ptr(), m.body().as_ptr());
        assert_eq!(s.body(), b"tiny");
    }

    #[test]
    fn share_large_is_copy_on_write() {
        let data: Vec<u8> = (0..SHARE_MIN * 4).map(|i| i as u8).collect();
        let mut a = Msg::from_slice(&data);
        a.header_append_u32(42).unwrap();
        a.set_pipe(5);
        let mut b = a.share();
        let c = b.share();
        assert!(a.is_shared() && b.is_shared() && c.is_shared());
        assert_eq!(b.body().as_ptr(), a.body().as_ptr());
        assert_eq!(c.body().as_ptr(), a.body().as_ptr());
        assert_eq!(b.header(), a.header());
        assert_eq!(b.pipe(), 5);
        // Header and trim/chop are per message and never copy the body.
        b.header_clear();
        b.trim(1).unwrap();
        assert_eq!(a.header(), &42u32.to_be_bytes());
        assert_eq!(b.body().as_ptr(), a.body()[1..].as_ptr());
        // The first write copies; the others still see the original.
        b.body_mut()[0] = 0xee;
        assert_ne!(b.body().as_ptr(), a.body()[1..].as_ptr());
        assert_eq!(b.body()[0], 0xee);
        assert_eq!(a.body(), &data[..]);
        assert_eq!(c.body(), &data[..]);
        assert!(!b.is_shared());
        // Dropping the owner keeps the body alive for the other sharer.
        drop(a);
        assert_eq!(c.body(), &data[..]);
        assert!(!c.is_shared());
        let mut c = c;
        let p = c.body().as_ptr();
        c.body_mut()[0] = 1; // sole holder now: written in place
        assert_eq!(c.body().as_ptr(), p);
    }

    #[test]
    fn owner_writes_copy_when_shared() {
        let mut a = Msg::new(SHARE_MIN).unwrap();
        let b = a.share();
        a.append(b"x").unwrap();
        a.insert(b"y").unwrap();
        assert_eq!(a.len(), SHARE_MIN + 2);
        assert_eq!(b.len(), SHARE_MIN);
        assert!(b.body().iter().all(|&x| x == 0));
        assert!(!a.is_shared());
        // b still lives in a's block, which counts a while a lives.
        assert!(b.is_shared());
        drop(a);
        assert!(!b.is_shared());
        let mut b = b;
        let p = b.body().as_ptr();
        b.body_mut()[0] = 1;
        assert_eq!(b.body().as_ptr(), p, "sole holder writes in place");
        b.realloc(SHARE_MIN + 8).unwrap();
        assert!(b.body()[1..].iter().all(|&x| x == 0));
    }

    #[test]
    fn share_across_threads() {
        let a = Msg::new(SHARE_MIN * 2).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let mut s = a.share();
                std::thread::spawn(move || {
                    if i % 2 == 0 {
                        s.body_mut()[0] = i as u8;
                        assert_eq!(s.body()[0], i as u8);
                    }
                    s.len()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), SHARE_MIN * 2);
        }
        assert!(a.body().iter().all(|&x| x == 0));
        assert!(!a.is_shared());
    }

    #[test]
    fn raw_round_trip_keeps_the_pointer() {
        let mut m = Msg::from_slice(b"x");
        m.set_pipe(3);
        let p = m.into_raw();
        // SAFETY: p came from into_raw just above and is used by nobody else.
        let r = unsafe { Msg::slot_mut(p) };
        r.append(&[0; 10_000]).unwrap();
        r.insert(&[0; 1000]).unwrap();
        // SAFETY: as above; r is no longer used.
        assert_eq!(unsafe { Msg::slot_ref(p) }.len(), 11_001);
        // SAFETY: p came from into_raw and is taken back once.
        let m = unsafe { Msg::from_raw(p) };
        assert_eq!(m.pipe(), 3);
        assert_eq!(m.into_raw(), p);
        // SAFETY: taken back once more, then dropped.
        drop(unsafe { Msg::from_raw(p) });
    }

    #[test]
    fn assigning_through_the_slot_leaks_instead_of_freeing() {
        let p = Msg::from_slice(b"x").into_raw();
        // SAFETY: p is live; the assignment is the documented misuse.
        unsafe { *Msg::slot_mut(p) = Msg::from_slice(b"y") };
        // The slot now holds the only handle to "y": take it out by copy
        // (the slot itself is never dropped) so the test does not leak.
        // SAFETY: p's block is live and its slot holds an initialised Msg.
        let y = unsafe { ptr::read(Msg::slot_ref(p)) };
        assert_eq!(y.body(), b"y");
        drop(y);
        // SAFETY: p is still live: the misuse did not free it.
        let m = unsafe { Msg::from_raw(p) };
        assert_eq!(m.body(), b"x");
    }

    #[test]
    fn aliases_detects_own_buffers() {
        let mut m = Msg::from_slice(b"abcd");
        let body = m.body().as_ptr();
        assert!(m.aliases(body, 2));
        let h = m.header_area_mut().as_ptr();
        assert!(m.aliases(h, 1));
        let other = [0u8; 4];
        assert!(!m.aliases(other.as_ptr(), 4));
        assert!(!m.aliases(body, 0));
    }

    #[test]
    fn clear_keeps_header_and_header_clear_keeps_body() {
        let mut m = Msg::from_slice(b"body\0");
        m.header_append(b"header\0").unwrap();
        m.clear();
        assert!(m.is_empty());
        assert_eq!(m.header(), b"header\0");
        m.append(b"b").unwrap();
        m.header_clear();
        assert_eq!(m.body(), b"b");
        assert!(m.header().is_empty());
    }

    #[test]
    fn pull_up_moves_the_header_into_the_body() {
        let mut m = Msg::from_slice(b"body");
        m.header_append_u32(0x8000_0001).unwrap();
        let end = m.body().as_ptr_range().end;
        m.pull_up().unwrap();
        assert!(m.header().is_empty());
        assert_eq!(m.body(), b"\x80\0\0\x01body");
        assert_eq!(m.body().as_ptr_range().end, end);
        m.pull_up().unwrap();
        assert_eq!(m.len(), 8);
    }

    #[test]
    fn default_and_debug() {
        let m = Msg::default();
        assert!(m.is_empty());
        assert!(format!("{m:?}").contains("len: 0"));
    }
}
