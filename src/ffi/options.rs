//! C API: socket options (`nng_socket_set*`, `nng_socket_get*`), and the
//! decoded form of an option call that every object kind shares.
//!
//! Every typed accessor of every object (socket, dialer, listener, pipe,
//! context, stream, stream dialer, stream listener) turns its C arguments into
//! a [`SetArg`] or a [`GetArg`] and hands it, with the option name, to one
//! function per object kind. That function is where the options table of the
//! object decides `NNG_EBADTYPE`, `NNG_EINVAL`, `NNG_EREADONLY`,
//! `NNG_EWRITEONLY` and `NNG_ENOTSUP`, so the typed wrappers stay one-liners.
//!
//! Argument rules (upstream crashes on most NULLs; we answer `NNG_EINVAL`):
//! a NULL option name, a NULL out-pointer, a NULL address to set, or a NULL
//! buffer with a non-zero size give `NNG_EINVAL`. A NULL string to set passes
//! an empty value, as upstream does (the option then rejects it).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

use super::types::{nng_duration, nng_sockaddr, nng_socket};
use super::url::{sockaddr_from_c, sockaddr_to_c};
use super::{bytes, c_string_dup, cstr, guard_rc};
use crate::core::error::Error;
use crate::core::options::{self, OptDesc, OptType, OptValue};
use crate::protocol::SOCKET_CTX;

/// A value to set, decoded from the C arguments of one `*_set*` call.
#[derive(Clone, Copy)]
pub enum SetArg<'a> {
    /// `*_set(obj, name, v, sz)`: untyped bytes; the option checks that `sz`
    /// is its native size (strings: that a NUL lies within the bytes).
    Opaque(&'a [u8]),
    /// `*_set_bool`.
    Bool(bool),
    /// `*_set_int`.
    Int(c_int),
    /// `*_set_size`.
    Size(usize),
    /// `*_set_uint64`.
    Uint64(u64),
    /// `*_set_string`: the string's bytes INCLUDING the terminating NUL
    /// (upstream passes `strlen + 1` bytes); empty when C passed NULL.
    Str(&'a [u8]),
    /// `*_set_ptr`: passed through untouched (may be NULL).
    Ptr(*mut c_void),
    /// `*_set_ms`.
    Ms(nng_duration),
    /// `*_set_addr`.
    Addr(&'a nng_sockaddr),
}

impl<'a> SetArg<'a> {
    /// Decodes the `(v, sz)` pair of an untyped set.
    ///
    /// # Safety
    ///
    /// `v` is NULL or valid for reads of `sz` bytes for `'a`.
    pub unsafe fn opaque(v: *const c_void, sz: usize) -> Result<SetArg<'a>, Error> {
        // SAFETY: forwarded contract.
        Ok(SetArg::Opaque(unsafe { bytes(v, sz) }?))
    }

    /// Decodes the argument of a `*_set_string`: NULL gives an empty value.
    ///
    /// # Safety
    ///
    /// `v` is NULL or a NUL-terminated string that outlives `'a`.
    pub unsafe fn string(v: *const c_char) -> SetArg<'a> {
        if v.is_null() {
            return SetArg::Str(&[]);
        }
        // SAFETY: non-NULL and NUL-terminated per the contract.
        SetArg::Str(unsafe { CStr::from_ptr(v) }.to_bytes_with_nul())
    }

    /// Decodes the argument of a `*_set_addr`; NULL gives `NNG_EINVAL`.
    ///
    /// # Safety
    ///
    /// `v` is NULL or points at an `nng_sockaddr` that outlives `'a`.
    pub unsafe fn addr(v: *const nng_sockaddr) -> Result<SetArg<'a>, Error> {
        // SAFETY: NULL or a valid, aligned nng_sockaddr per the contract.
        unsafe { v.as_ref() }.map(SetArg::Addr).ok_or(Error::Inval)
    }
}

/// An out-parameter from C: non-NULL, possibly uninitialised, written at most
/// once through [`Out::put`].
#[derive(Debug)]
pub struct Out<'a, T> {
    p: NonNull<T>,
    _borrow: PhantomData<&'a mut T>,
}

impl<'a, T> Out<'a, T> {
    /// Wraps a C out-pointer; NULL gives `NNG_EINVAL`.
    ///
    /// # Safety
    ///
    /// `p` is NULL or valid and aligned for a write of `T` for `'a`.
    pub unsafe fn new(p: *mut T) -> Result<Out<'a, T>, Error> {
        NonNull::new(p)
            .map(|p| Out {
                p,
                _borrow: PhantomData,
            })
            .ok_or(Error::Inval)
    }

    /// Stores the value; the old contents are not read or dropped.
    pub fn put(self, v: T) {
        // SAFETY: `new`'s contract: valid and aligned for a write of T.
        unsafe { self.p.as_ptr().write(v) }
    }
}

/// Where a `*_get*` call wants its value, decoded from the C arguments.
pub enum GetArg<'a> {
    /// `*_get(obj, name, v, szp)`: copy up to `buf.len()` bytes into `buf`,
    /// store the option's full size in `size`; a value longer than the
    /// buffer is truncated and the call fails with `NNG_EINVAL`.
    Opaque {
        /// The caller's buffer (`*szp` bytes at `v`), possibly uninitialised.
        buf: &'a mut [MaybeUninit<u8>],
        /// Where the full size goes.
        size: Out<'a, usize>,
    },
    /// `*_get_bool`.
    Bool(Out<'a, bool>),
    /// `*_get_int`.
    Int(Out<'a, c_int>),
    /// `*_get_size`.
    Size(Out<'a, usize>),
    /// `*_get_uint64`.
    Uint64(Out<'a, u64>),
    /// `*_get_string`: a fresh copy from `nng_alloc` memory (`c_string_dup`),
    /// which the caller frees with `nng_strfree`.
    Str(Out<'a, *mut c_char>),
    /// `*_get_ptr`.
    Ptr(Out<'a, *mut c_void>),
    /// `*_get_ms`.
    Ms(Out<'a, nng_duration>),
    /// `*_get_addr`.
    Addr(Out<'a, nng_sockaddr>),
}

impl<'a> GetArg<'a> {
    /// Decodes the `(v, szp)` pair of an untyped get: `szp` must not be NULL,
    /// and `v` may be NULL only when `*szp` is 0.
    ///
    /// # Safety
    ///
    /// `szp` is NULL or valid for a read and a write of `usize`; `v` is NULL
    /// or valid for writes of `*szp` bytes; both for `'a`, not overlapping.
    pub unsafe fn opaque(v: *mut c_void, szp: *mut usize) -> Result<GetArg<'a>, Error> {
        // SAFETY: forwarded contract for szp.
        let size = unsafe { Out::new(szp) }?;
        // SAFETY: non-NULL and readable per the contract.
        let cap = unsafe { szp.read() };
        let buf: &mut [MaybeUninit<u8>] = if cap == 0 {
            &mut []
        } else if v.is_null() {
            return Err(Error::Inval);
        } else {
            // SAFETY: non-NULL and writable for `cap` bytes per the
            // contract; MaybeUninit<u8> accepts any (or no) contents.
            unsafe { std::slice::from_raw_parts_mut(v.cast(), cap) }
        };
        Ok(GetArg::Opaque { buf, size })
    }
}

/// Sets one option of a socket: the protocol's options, then the generic
/// socket options, then endpoint defaults stored on the socket.
fn socket_set(s: nng_socket, name: &CStr, v: SetArg<'_>) -> Result<(), Error> {
    let sock = crate::core::socket::socket(s.id)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let d = sock.opt_desc(SOCKET_CTX, name)?;
    let val = set_value(&d, v)?;
    sock.set_opt(SOCKET_CTX, name, val)
}

/// Gets one option of a socket (same resolution order as [`socket_set`]).
fn socket_get(s: nng_socket, name: &CStr, v: GetArg<'_>) -> Result<(), Error> {
    let sock = crate::core::socket::socket(s.id)?;
    let name = name.to_str().map_err(|_| Error::NotSup)?;
    let d = sock.opt_desc(SOCKET_CTX, name)?;
    // An opaque get of a stored endpoint option must ask for exactly its
    // size (upstream quirk, reference ABI.md §10).
    let exact = match &v {
        GetArg::Opaque { buf, .. } if crate::core::socket::is_endpoint_opt(name) => Some(buf.len()),
        _ => None,
    };
    get_value(&d, v, || {
        let val = sock.get_opt(SOCKET_CTX, name)?;
        match exact {
            Some(n) if n != options::to_bytes(&val).len() => Err(Error::Inval),
            _ => Ok(val),
        }
    })
}

/// Turns the C form of a set into a value of the option's type: the one
/// place where `NNG_EREADONLY`, `NNG_EBADTYPE` and size errors are decided.
/// Byte-string options (`NNG_OPT_SUB_SUBSCRIBE`) take any typed value as
/// its native bytes, as upstream does.
pub fn set_value(d: &OptDesc, v: SetArg<'_>) -> Result<OptValue, Error> {
    if !d.set {
        return Err(Error::ReadOnly);
    }
    if d.ty == OptType::Bytes {
        return Ok(OptValue::Bytes(match v {
            SetArg::Opaque(b) | SetArg::Str(b) => b.to_vec(),
            SetArg::Bool(b) => vec![u8::from(b)],
            SetArg::Int(i) | SetArg::Ms(i) => i.to_ne_bytes().to_vec(),
            SetArg::Size(z) => z.to_ne_bytes().to_vec(),
            SetArg::Uint64(u) => u.to_ne_bytes().to_vec(),
            SetArg::Ptr(p) => (p as usize).to_ne_bytes().to_vec(),
            SetArg::Addr(_) => return Err(Error::BadType),
        }));
    }
    Ok(match (d.ty, v) {
        (OptType::Addr, SetArg::Opaque(b)) => {
            if b.len() != std::mem::size_of::<nng_sockaddr>() {
                return Err(Error::Inval);
            }
            // SAFETY: b holds exactly size_of::<nng_sockaddr>() bytes; the
            // union is plain old data, read unaligned.
            let sa = unsafe { b.as_ptr().cast::<nng_sockaddr>().read_unaligned() };
            OptValue::Addr(sockaddr_from_c(&sa)?)
        }
        (ty, SetArg::Opaque(b)) => options::from_bytes(ty, b)?,
        (OptType::Bool, SetArg::Bool(b)) => OptValue::Bool(b),
        (OptType::Int, SetArg::Int(i)) => OptValue::Int(i),
        (OptType::Ms, SetArg::Ms(i)) => OptValue::Ms(i),
        (OptType::Size, SetArg::Size(z)) => OptValue::Size(z),
        (OptType::U64, SetArg::Uint64(u)) => OptValue::U64(u),
        (OptType::Ptr, SetArg::Ptr(p)) => OptValue::Ptr(p as usize),
        (OptType::Str, SetArg::Str(b)) => options::from_bytes(OptType::Str, b)?,
        (OptType::Addr, SetArg::Addr(a)) => OptValue::Addr(sockaddr_from_c(a)?),
        _ => return Err(Error::BadType),
    })
}

/// Reads the value with `read`, checks that the C form of the get fits the
/// option, and writes it out (`NNG_EWRITEONLY`, `NNG_EBADTYPE`; an opaque
/// buffer that is too small is filled, and the call fails with
/// `NNG_EINVAL` after storing the full size). The read comes before the
/// type check, as in upstream's getters: an object that lacks the option
/// (a context asked for a socket option, a tcp pipe for an ipc one, a pub
/// socket for `NNG_OPT_RECVFD`) answers `NNG_ENOTSUP` whatever the type.
pub fn get_value(
    d: &OptDesc,
    v: GetArg<'_>,
    read: impl FnOnce() -> Result<OptValue, Error>,
) -> Result<(), Error> {
    if !d.get {
        return Err(Error::WriteOnly);
    }
    let fits = match &v {
        GetArg::Opaque { .. } => true,
        GetArg::Bool(_) => d.ty == OptType::Bool,
        GetArg::Int(_) => d.ty == OptType::Int,
        GetArg::Size(_) => d.ty == OptType::Size,
        GetArg::Uint64(_) => d.ty == OptType::U64,
        GetArg::Str(_) => d.ty == OptType::Str,
        GetArg::Ptr(_) => d.ty == OptType::Ptr,
        GetArg::Ms(_) => d.ty == OptType::Ms,
        GetArg::Addr(_) => d.ty == OptType::Addr,
    };
    let val = read()?;
    if !fits {
        return Err(Error::BadType);
    }
    match (v, val) {
        // A string list is only ever handed out as a malloc'ed array (an
        // opaque copy of it would be meaningless), as upstream.
        (GetArg::Ptr(o), OptValue::StrList(list)) => o.put(c_string_array(&list)?.cast()),
        (_, OptValue::StrList(_)) => return Err(Error::BadType),
        (GetArg::Opaque { buf, size }, val) => {
            let bytes = match &val {
                OptValue::Addr(a) => {
                    let sa = sockaddr_to_c(a);
                    // SAFETY: nng_sockaddr is plain old data; view its bytes.
                    unsafe {
                        std::slice::from_raw_parts(
                            (&sa as *const nng_sockaddr).cast::<u8>(),
                            std::mem::size_of::<nng_sockaddr>(),
                        )
                    }
                    .to_vec()
                }
                other => options::to_bytes(other),
            };
            let n = bytes.len().min(buf.len());
            for (dst, src) in buf.iter_mut().zip(&bytes[..n]) {
                dst.write(*src);
            }
            size.put(bytes.len());
            if n < bytes.len() {
                return Err(Error::Inval);
            }
        }
        (GetArg::Bool(o), OptValue::Bool(b)) => o.put(b),
        (GetArg::Int(o), OptValue::Int(i)) => o.put(i),
        (GetArg::Size(o), OptValue::Size(z)) => o.put(z),
        (GetArg::Uint64(o), OptValue::U64(u)) => o.put(u),
        (GetArg::Ms(o), OptValue::Ms(i)) => o.put(i),
        (GetArg::Ptr(o), OptValue::Ptr(p)) => o.put(p as *mut c_void),
        (GetArg::Str(o), OptValue::Str(s)) => {
            let p = c_string_dup(s.as_bytes());
            if p.is_null() {
                return Err(Error::NoMem);
            }
            o.put(p);
        }
        (GetArg::Addr(o), OptValue::Addr(a)) => o.put(sockaddr_to_c(&a)),
        _ => return Err(Error::BadType),
    }
    Ok(())
}

/// `list` as a NULL-terminated array of NUL-terminated strings, the array
/// and each string allocated with libc `malloc` (the caller frees them with
/// `free`, reference ABI.md A5); NULL for an empty list, as upstream.
fn c_string_array(list: &[String]) -> Result<*mut *mut c_char, Error> {
    if list.is_empty() {
        return Ok(std::ptr::null_mut());
    }
    let n = list.len() + 1;
    // SAFETY: plain allocation of n pointers; checked for NULL below.
    let arr = unsafe { libc::calloc(n, std::mem::size_of::<*mut c_char>()) }.cast::<*mut c_char>();
    if arr.is_null() {
        return Err(Error::NoMem);
    }
    for (i, s) in list.iter().enumerate() {
        // SAFETY: allocation of len + 1 bytes; checked for NULL below.
        let p = unsafe { libc::malloc(s.len() + 1) }.cast::<c_char>();
        if p.is_null() {
            for j in 0..i {
                // SAFETY: arr[j] was allocated by malloc above, j < i < n.
                unsafe { libc::free((*arr.add(j)).cast()) };
            }
            // SAFETY: arr was allocated by calloc above.
            unsafe { libc::free(arr.cast()) };
            return Err(Error::NoMem);
        }
        // SAFETY: p has room for s.len() + 1 bytes; arr has n > i slots.
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), p.cast::<u8>(), s.len());
            *p.add(s.len()) = 0;
            *arr.add(i) = p;
        }
    }
    // arr[n - 1] is NULL from calloc.
    Ok(arr)
}

/// [`set_value`] for an endpoint option: upstream looks the option up in
/// the endpoint's table before it reads the value, so an endpoint without
/// the option reports `NNG_ENOTSUP` even for a malformed value. `probe`
/// reads the option from the endpoint (`NNG_ENOTSUP` if it has none).
pub fn endpoint_set_value(
    d: &OptDesc,
    v: SetArg<'_>,
    probe: impl FnOnce() -> Result<OptValue, Error>,
) -> Result<OptValue, Error> {
    match set_value(d, v) {
        Err(e @ (Error::Inval | Error::BadType)) if d.get => match probe() {
            Err(Error::NotSup) => Err(Error::NotSup),
            _ => Err(e),
        },
        r => r,
    }
}

/// Sets an option of a socket from the `sz` bytes at `v`.
///
/// `sz` must be the option's native size (`int` 4, `bool` 1, `size_t` 8, ...); a
/// string value must contain its NUL. The bytes are copied.
///
/// Returns 0, or `NNG_EINVAL` if the size or the value is wrong or `name` is NULL,
/// `NNG_EREADONLY` if the option cannot be set, `NNG_ENOTSUP` if the socket has no
/// such option, or `NNG_ECLOSED` if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or readable for `sz`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set(
    s: nng_socket,
    name: *const c_char,
    v: *const c_void,
    sz: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or readable for `sz` bytes (contract).
        let v = unsafe { SetArg::opaque(v, sz) }?;
        socket_set(s, name, v)
    })
}

/// Sets a `bool` option of a socket.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_bool(s: nng_socket, name: *const c_char, v: bool) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Bool(v);
        socket_set(s, name, v)
    })
}

/// Sets an `int` option of a socket.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_int(s: nng_socket, name: *const c_char, v: c_int) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Int(v);
        socket_set(s, name, v)
    })
}

/// Sets a `size_t` option of a socket.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_size(
    s: nng_socket,
    name: *const c_char,
    v: usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Size(v);
        socket_set(s, name, v)
    })
}

/// Sets a `uint64_t` option of a socket.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_uint64(
    s: nng_socket,
    name: *const c_char,
    v: u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Uint64(v);
        socket_set(s, name, v)
    })
}

/// Sets a string option of a socket.
///
/// The value passed includes the terminating NUL and is copied; a NULL `v` passes
/// an empty value, which string options reject with `NNG_EINVAL`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or a NUL-terminated
/// string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_string(
    s: nng_socket,
    name: *const c_char,
    v: *const c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or NUL-terminated (contract).
        let v = unsafe { SetArg::string(v) };
        socket_set(s, name, v)
    })
}

/// Sets a pointer option of a socket; the pointer is stored as given.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_ptr(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ptr(v);
        socket_set(s, name, v)
    })
}

/// Sets a duration (`nng_duration`, ms) option of a socket.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` is NULL, `NNG_EREADONLY` if the option
/// cannot be set, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED`
/// if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_ms(
    s: nng_socket,
    name: *const c_char,
    v: nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        let v = SetArg::Ms(v);
        socket_set(s, name, v)
    })
}

/// Sets a socket-address option of a socket; `*v` is copied.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EINVAL` if
/// the value is out of range or `name` or `v` is NULL, `NNG_EREADONLY` if the
/// option cannot be set, `NNG_ENOTSUP` if the socket has no such option, or
/// `NNG_ECLOSED` if `s` is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or points at an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_set_addr(
    s: nng_socket,
    name: *const c_char,
    v: *const nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or points at an nng_sockaddr (contract).
        let v = unsafe { SetArg::addr(v) }?;
        socket_set(s, name, v)
    })
}

/// Gets an option of a socket into the `*szp` bytes at `v`.
///
/// On return `*szp` holds the option's full size (a string's includes its NUL). A
/// value that does not fit is truncated and `NNG_EINVAL` is returned.
///
/// Returns 0, or `NNG_EINVAL` if the buffer is too small or `name` or `szp` is NULL
/// (`v` may be NULL only when `*szp` is 0), `NNG_EWRITEONLY` if the option cannot
/// be read, `NNG_ENOTSUP` if the socket has no such option, or `NNG_ECLOSED` if `s`
/// is not an open socket. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `szp` is NULL or points at a
/// `size_t`; `v` is NULL or writable for `*szp` bytes.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_void,
    szp: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `szp` and `v` are NULL or writable as documented (contract).
        let v = unsafe { GetArg::opaque(v, szp) }?;
        socket_get(s, name, v)
    })
}

/// Gets a `bool` option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `bool`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_bool(
    s: nng_socket,
    name: *const c_char,
    v: *mut bool,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Bool(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets an `int` option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_int(
    s: nng_socket,
    name: *const c_char,
    v: *mut c_int,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Int(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a `size_t` option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_size(
    s: nng_socket,
    name: *const c_char,
    v: *mut usize,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Size(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a `uint64_t` option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_uint64(
    s: nng_socket,
    name: *const c_char,
    v: *mut u64,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Uint64(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a string option of a socket: `*v` receives a new copy, which the caller
/// frees with `nng_strfree`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `char
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_string(
    s: nng_socket,
    name: *const c_char,
    v: *mut *mut c_char,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Str(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a pointer option of a socket. No hold is taken on what it points at.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a `void
/// *`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_ptr(
    s: nng_socket,
    name: *const c_char,
    v: *mut *mut c_void,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ptr(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a duration (`nng_duration`, ms) option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as a
/// duration.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_ms(
    s: nng_socket,
    name: *const c_char,
    v: *mut nng_duration,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Ms(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

/// Gets a socket-address option of a socket into `*v`.
///
/// Returns 0, or `NNG_EBADTYPE` if the option is not of this type, `NNG_EWRITEONLY`
/// if it cannot be read, `NNG_ENOTSUP` if the socket has no such option,
/// `NNG_EINVAL` if `name` or `v` is NULL, or `NNG_ECLOSED` if `s` is not an open
/// socket. `*v` is written only on success. Does not block.
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `v` is NULL or writable as an
/// `nng_sockaddr`.
#[no_mangle]
pub unsafe extern "C" fn nng_socket_get_addr(
    s: nng_socket,
    name: *const c_char,
    v: *mut nng_sockaddr,
) -> c_int {
    guard_rc(|| {
        // SAFETY: `name` is NULL or NUL-terminated (contract).
        let name = unsafe { cstr(name) }?;
        // SAFETY: `v` is NULL or writable (contract).
        let v = GetArg::Addr(unsafe { Out::new(v) }?);
        socket_get(s, name, v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    #[test]
    fn set_string_includes_the_nul_and_null_is_empty() {
        // SAFETY: a literal C string, and NULL.
        let (v, n) = unsafe { (SetArg::string(c"ab".as_ptr()), SetArg::string(null())) };
        assert!(matches!(v, SetArg::Str(b"ab\0")));
        assert!(matches!(n, SetArg::Str(b"")));
    }

    #[test]
    fn set_opaque_and_addr_reject_null() {
        // SAFETY: NULL pointers with the sizes under test.
        unsafe {
            assert!(matches!(SetArg::opaque(null(), 0), Ok(SetArg::Opaque(b""))));
            assert!(matches!(SetArg::opaque(null(), 4), Err(Error::Inval)));
            assert!(matches!(SetArg::addr(null()), Err(Error::Inval)));
        }
    }

    #[test]
    fn get_opaque_needs_a_size_and_a_buffer_unless_empty() {
        let mut sz = 0usize;
        let mut buf = [0u8; 4];
        // SAFETY: every pointer is NULL or points at a live local.
        unsafe {
            assert!(matches!(
                GetArg::opaque(null_mut(), null_mut()),
                Err(Error::Inval)
            ));
            assert!(GetArg::opaque(null_mut(), &mut sz).is_ok());
            sz = 4;
            assert!(matches!(
                GetArg::opaque(null_mut(), &mut sz),
                Err(Error::Inval)
            ));
            match GetArg::opaque(buf.as_mut_ptr().cast(), &mut sz) {
                Ok(GetArg::Opaque { buf, size }) => {
                    assert_eq!(buf.len(), 4);
                    size.put(9);
                }
                _ => panic!("expected an opaque destination"),
            }
        }
        assert_eq!(sz, 9);
    }

    #[test]
    fn out_writes_once_and_rejects_null() {
        let mut v = 0u64;
        // SAFETY: NULL, then a live local.
        unsafe {
            assert!(matches!(Out::<u64>::new(null_mut()), Err(Error::Inval)));
            Out::new(&mut v).unwrap().put(7);
        }
        assert_eq!(v, 7);
    }

    #[test]
    fn socket_options_check_arguments_first() {
        let s = nng_socket { id: 1 };
        let inval = Error::Inval.code();
        // SAFETY: NULL or live locals, as each function allows.
        unsafe {
            assert_eq!(nng_socket_set_int(s, null(), 1), inval);
            assert_eq!(
                nng_socket_get_int(s, c"recv-buffer".as_ptr(), null_mut()),
                inval
            );
            assert_eq!(
                nng_socket_set_addr(s, c"local-address".as_ptr(), null()),
                inval
            );
            assert_eq!(nng_socket_set(s, c"raw".as_ptr(), null(), 1), inval);
        }
    }
}
