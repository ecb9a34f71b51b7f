//! The one options mechanism: every option of every object kind is described
//! by an [`OptDesc`] (name, type, access); values travel as [`OptValue`].
//!
//! The typed C accessors (`nng_*_get_int`, `_ms`, ...) and the opaque ones
//! (`nng_*_get`/`_set` with a buffer and size) all reduce to one lookup of
//! the descriptor, then one conversion here, so type, size and access errors
//! (`NNG_EBADTYPE`, `NNG_EINVAL`, `NNG_EREADONLY`, `NNG_EWRITEONLY`,
//! `NNG_ENOTSUP`) are decided in one place. Range checks belong to the
//! setter of the object that owns the option.

use crate::core::error::{Error, Result};
use crate::core::sockaddr::SockAddr;

/// The native C type of an option (reference API.md §0.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptType {
    /// `bool` (1 byte).
    Bool,
    /// `int` (4 bytes).
    Int,
    /// `nng_duration` (4 bytes, milliseconds).
    Ms,
    /// `size_t` (8 bytes).
    Size,
    /// `uint64_t` (8 bytes).
    U64,
    /// NUL-terminated string.
    Str,
    /// `void *` (8 bytes).
    Ptr,
    /// `nng_sockaddr` (136 bytes).
    Addr,
    /// Opaque bytes of any length (e.g. `NNG_OPT_SUB_SUBSCRIBE`).
    Bytes,
}

/// An option value of one of the [`OptType`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum OptValue {
    /// A `bool`.
    Bool(bool),
    /// An `int`.
    Int(i32),
    /// A duration in milliseconds.
    Ms(i32),
    /// A `size_t`.
    Size(usize),
    /// A `uint64_t`.
    U64(u64),
    /// A string (without the NUL).
    Str(String),
    /// A pointer, as an address.
    Ptr(usize),
    /// A socket address.
    Addr(SockAddr),
    /// Opaque bytes.
    Bytes(Vec<u8>),
    /// A list of strings, handed to C as a `malloc`ed NULL-terminated
    /// array of `malloc`ed strings (`NNG_OPT_TLS_PEER_ALT_NAMES`: pointer
    /// type, read only through `_get_ptr`).
    StrList(Vec<String>),
}

impl OptValue {
    /// The type of this value.
    pub fn ty(&self) -> OptType {
        match self {
            OptValue::Bool(_) => OptType::Bool,
            OptValue::Int(_) => OptType::Int,
            OptValue::Ms(_) => OptType::Ms,
            OptValue::Size(_) => OptType::Size,
            OptValue::U64(_) => OptType::U64,
            OptValue::Str(_) => OptType::Str,
            OptValue::Ptr(_) => OptType::Ptr,
            OptValue::Addr(_) => OptType::Addr,
            OptValue::Bytes(_) => OptType::Bytes,
            OptValue::StrList(_) => OptType::Ptr,
        }
    }

    /// The value as a bool, or `NNG_EBADTYPE`.
    pub fn as_bool(&self) -> Result<bool> {
        match self {
            OptValue::Bool(v) => Ok(*v),
            _ => Err(Error::BadType),
        }
    }

    /// The value as an int, or `NNG_EBADTYPE`.
    pub fn as_int(&self) -> Result<i32> {
        match self {
            OptValue::Int(v) => Ok(*v),
            _ => Err(Error::BadType),
        }
    }

    /// The value as a duration, or `NNG_EBADTYPE`.
    pub fn as_ms(&self) -> Result<i32> {
        match self {
            OptValue::Ms(v) => Ok(*v),
            _ => Err(Error::BadType),
        }
    }

    /// The value as a size, or `NNG_EBADTYPE`.
    pub fn as_size(&self) -> Result<usize> {
        match self {
            OptValue::Size(v) => Ok(*v),
            _ => Err(Error::BadType),
        }
    }

    /// The value as bytes (strings give their bytes), or `NNG_EBADTYPE`.
    pub fn as_bytes(&self) -> Result<&[u8]> {
        match self {
            OptValue::Bytes(v) => Ok(v),
            OptValue::Str(s) => Ok(s.as_bytes()),
            _ => Err(Error::BadType),
        }
    }
}

/// Describes one option of an object kind.
#[derive(Debug, Clone, Copy)]
pub struct OptDesc {
    /// The option name (`NNG_OPT_*` string).
    pub name: &'static str,
    /// Its native type.
    pub ty: OptType,
    /// Readable (`NNG_EWRITEONLY` otherwise).
    pub get: bool,
    /// Writable (`NNG_EREADONLY` otherwise).
    pub set: bool,
    /// Also an option of the protocol's contexts (upstream `ctx_options`);
    /// a context has no other protocol option (`NNG_ENOTSUP`).
    pub ctx: bool,
}

impl OptDesc {
    /// A read-write option.
    pub const fn rw(name: &'static str, ty: OptType) -> OptDesc {
        OptDesc {
            name,
            ty,
            get: true,
            set: true,
            ctx: false,
        }
    }
    /// A read-only option.
    pub const fn ro(name: &'static str, ty: OptType) -> OptDesc {
        OptDesc {
            name,
            ty,
            get: true,
            set: false,
            ctx: false,
        }
    }
    /// A write-only option.
    pub const fn wo(name: &'static str, ty: OptType) -> OptDesc {
        OptDesc {
            name,
            ty,
            get: false,
            set: true,
            ctx: false,
        }
    }
    /// The same option, also on the protocol's contexts.
    pub const fn in_ctx(self) -> OptDesc {
        OptDesc { ctx: true, ..self }
    }
}

/// Finds an option by name in a table.
pub fn find(table: &[OptDesc], name: &str) -> Option<OptDesc> {
    table.iter().find(|d| d.name == name).copied()
}

/// Checks a duration option value: `>= -1` (`NNG_DURATION_INFINITE`), else `NNG_EINVAL`.
pub fn check_ms(v: i32) -> Result<i32> {
    if v < -1 {
        Err(Error::Inval)
    } else {
        Ok(v)
    }
}

/// Checks an int option value against an inclusive range, else `NNG_EINVAL`.
pub fn check_range(v: i32, lo: i32, hi: i32) -> Result<i32> {
    if v < lo || v > hi {
        Err(Error::Inval)
    } else {
        Ok(v)
    }
}

/// Decodes an opaque option buffer (`nng_*_set(obj, name, buf, sz)`) into a
/// value of type `ty`: the size must equal the native size (`NNG_EINVAL`
/// otherwise); strings must hold a NUL within `sz` and be UTF-8.
pub fn from_bytes(ty: OptType, buf: &[u8]) -> Result<OptValue> {
    fn arr<const N: usize>(buf: &[u8]) -> Result<[u8; N]> {
        buf.try_into().map_err(|_| Error::Inval)
    }
    Ok(match ty {
        OptType::Bool => match arr::<1>(buf)?[0] {
            0 => OptValue::Bool(false),
            _ => OptValue::Bool(true),
        },
        OptType::Int => OptValue::Int(i32::from_ne_bytes(arr(buf)?)),
        OptType::Ms => OptValue::Ms(i32::from_ne_bytes(arr(buf)?)),
        OptType::Size => OptValue::Size(usize::from_ne_bytes(arr(buf)?)),
        OptType::U64 => OptValue::U64(u64::from_ne_bytes(arr(buf)?)),
        OptType::Ptr => OptValue::Ptr(usize::from_ne_bytes(arr(buf)?)),
        OptType::Str => {
            let nul = buf.iter().position(|&b| b == 0).ok_or(Error::Inval)?;
            let s = std::str::from_utf8(&buf[..nul]).map_err(|_| Error::Inval)?;
            OptValue::Str(s.to_owned())
        }
        OptType::Bytes => OptValue::Bytes(buf.to_vec()),
        // Socket addresses are decoded by the C boundary, which knows the layout.
        OptType::Addr => return Err(Error::BadType),
    })
}

/// Encodes a value as the bytes an opaque get (`nng_*_get(obj, name, buf,
/// &sz)`) copies out: native layout; strings include their NUL.
pub fn to_bytes(v: &OptValue) -> Vec<u8> {
    match v {
        OptValue::Bool(b) => vec![u8::from(*b)],
        OptValue::Int(i) | OptValue::Ms(i) => i.to_ne_bytes().to_vec(),
        OptValue::Size(s) | OptValue::Ptr(s) => s.to_ne_bytes().to_vec(),
        OptValue::U64(u) => u.to_ne_bytes().to_vec(),
        OptValue::Str(s) => {
            let mut b = Vec::with_capacity(s.len() + 1);
            b.extend_from_slice(s.as_bytes());
            b.push(0);
            b
        }
        OptValue::Bytes(b) => b.clone(),
        // Encoded by the C boundary, which knows the nng_sockaddr layout.
        OptValue::Addr(_) => Vec::new(),
        // Only readable as a pointer (the C boundary builds the array).
        OptValue::StrList(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_sizes_must_match_native() {
        assert_eq!(from_bytes(OptType::Int, &[1, 0, 0]), Err(Error::Inval));
        assert_eq!(
            from_bytes(OptType::Int, &7i32.to_ne_bytes()),
            Ok(OptValue::Int(7))
        );
        assert_eq!(from_bytes(OptType::Str, b"abc"), Err(Error::Inval));
        assert_eq!(
            from_bytes(OptType::Str, b"abc\0"),
            Ok(OptValue::Str("abc".into()))
        );
        assert_eq!(to_bytes(&OptValue::Str("ab".into())), b"ab\0".to_vec());
    }
}
