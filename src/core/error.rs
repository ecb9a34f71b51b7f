//! The one error type of the library. Its values are nng's error numbers
//! (upstream `enum nng_errno_enum`); they are ABI and never change.
//! Conversion to a C `int` happens in `ffi` through [`Error::code`].

use std::fmt;

/// An nng error. `Sys` wraps an OS `errno` that has no nng equivalent
/// (`NNG_ESYSERR | errno`), `Tran` a transport-specific code
/// (`NNG_ETRANERR | code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Error {
    /// `NNG_EINTR` (1)
    Intr,
    /// `NNG_ENOMEM` (2)
    NoMem,
    /// `NNG_EINVAL` (3)
    Inval,
    /// `NNG_EBUSY` (4)
    Busy,
    /// `NNG_ETIMEDOUT` (5)
    TimedOut,
    /// `NNG_ECONNREFUSED` (6)
    ConnRefused,
    /// `NNG_ECLOSED` (7)
    Closed,
    /// `NNG_EAGAIN` (8)
    Again,
    /// `NNG_ENOTSUP` (9)
    NotSup,
    /// `NNG_EADDRINUSE` (10)
    AddrInUse,
    /// `NNG_ESTATE` (11)
    State,
    /// `NNG_ENOENT` (12)
    NoEnt,
    /// `NNG_EPROTO` (13)
    Proto,
    /// `NNG_EUNREACHABLE` (14)
    Unreachable,
    /// `NNG_EADDRINVAL` (15)
    AddrInval,
    /// `NNG_EPERM` (16)
    Perm,
    /// `NNG_EMSGSIZE` (17)
    MsgSize,
    /// `NNG_ECONNABORTED` (18)
    ConnAborted,
    /// `NNG_ECONNRESET` (19)
    ConnReset,
    /// `NNG_ECANCELED` (20)
    Canceled,
    /// `NNG_ENOFILES` (21)
    NoFiles,
    /// `NNG_ENOSPC` (22)
    NoSpc,
    /// `NNG_EEXIST` (23)
    Exist,
    /// `NNG_EREADONLY` (24)
    ReadOnly,
    /// `NNG_EWRITEONLY` (25)
    WriteOnly,
    /// `NNG_ECRYPTO` (26)
    Crypto,
    /// `NNG_EPEERAUTH` (27)
    PeerAuth,
    /// `NNG_ENOARG` (28)
    NoArg,
    /// `NNG_EAMBIGUOUS` (29)
    Ambiguous,
    /// `NNG_EBADTYPE` (30)
    BadType,
    /// `NNG_ECONNSHUT` (31)
    ConnShut,
    /// `NNG_EINTERNAL` (1000)
    Internal,
    /// `NNG_ESYSERR | errno`: an OS error with no nng equivalent.
    Sys(i32),
    /// `NNG_ETRANERR | code`: a transport-specific error.
    Tran(i32),
}

/// `NNG_ESYSERR`: flag for wrapped OS errors.
pub const ESYSERR: i32 = 0x1000_0000;
/// `NNG_ETRANERR`: flag for wrapped transport errors.
pub const ETRANERR: i32 = 0x2000_0000;

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

const TABLE: [(Error, i32, &str); 32] = [
    (Error::Intr, 1, "Interrupted"),
    (Error::NoMem, 2, "Out of memory"),
    (Error::Inval, 3, "Invalid argument"),
    (Error::Busy, 4, "Resource busy"),
    (Error::TimedOut, 5, "Timed out"),
    (Error::ConnRefused, 6, "Connection refused"),
    (Error::Closed, 7, "Object closed"),
    (Error::Again, 8, "Try again"),
    (Error::NotSup, 9, "Not supported"),
    (Error::AddrInUse, 10, "Address in use"),
    (Error::State, 11, "Incorrect state"),
    (Error::NoEnt, 12, "Entry not found"),
    (Error::Proto, 13, "Protocol error"),
    (Error::Unreachable, 14, "Destination unreachable"),
    (Error::AddrInval, 15, "Address invalid"),
    (Error::Perm, 16, "Permission denied"),
    (Error::MsgSize, 17, "Message too large"),
    (Error::ConnAborted, 18, "Connection aborted"),
    (Error::ConnReset, 19, "Connection reset"),
    (Error::Canceled, 20, "Operation canceled"),
    (Error::NoFiles, 21, "Out of files"),
    (Error::NoSpc, 22, "Out of space"),
    (Error::Exist, 23, "Resource already exists"),
    (Error::ReadOnly, 24, "Read only resource"),
    (Error::WriteOnly, 25, "Write only resource"),
    (Error::Crypto, 26, "Cryptographic error"),
    (Error::PeerAuth, 27, "Peer could not be authenticated"),
    (Error::NoArg, 28, "Option requires argument"),
    (Error::Ambiguous, 29, "Ambiguous option"),
    (Error::BadType, 30, "Incorrect type"),
    (Error::ConnShut, 31, "Connection shutdown"),
    (Error::Internal, 1000, "Internal error detected"),
];

impl Error {
    /// The C error number (`NNG_E*`, or a wrapped system/transport error).
    pub fn code(self) -> i32 {
        match self {
            Error::Sys(e) => ESYSERR | e,
            Error::Tran(e) => ETRANERR | e,
            other => TABLE
                .iter()
                .find(|(e, _, _)| *e == other)
                .map(|&(_, n, _)| n)
                .unwrap_or(1000),
        }
    }

    /// The error for a C error number; `None` for 0 (success).
    pub fn from_code(code: i32) -> Option<Error> {
        if code == 0 {
            return None;
        }
        if let Some(&(e, _, _)) = TABLE.iter().find(|(_, n, _)| *n == code) {
            return Some(e);
        }
        if code & ESYSERR != 0 {
            Some(Error::Sys(code & !ESYSERR))
        } else if code & ETRANERR != 0 {
            Some(Error::Tran(code & !ETRANERR))
        } else {
            Some(Error::Internal)
        }
    }

    /// The table error with exactly this number, if any (no `Sys`/`Tran`).
    pub fn from_table(code: i32) -> Option<Error> {
        TABLE
            .iter()
            .find(|(_, n, _)| *n == code)
            .map(|&(e, _, _)| e)
    }

    /// Upstream's fixed message for a table error; `None` for `Sys`/`Tran`.
    pub fn static_message(self) -> Option<&'static str> {
        TABLE
            .iter()
            .find(|(e, _, _)| *e == self)
            .map(|&(_, _, s)| s)
    }

    /// Maps an OS `errno` to nng's error as upstream's POSIX layer does.
    pub fn from_errno(errno: i32) -> Error {
        match errno {
            libc::EINTR => Error::Intr,
            libc::EINVAL | libc::ENAMETOOLONG => Error::Inval,
            libc::ENOMEM | libc::ENOBUFS => Error::NoMem,
            libc::EACCES | libc::EPERM => Error::Perm,
            libc::EADDRINUSE => Error::AddrInUse,
            libc::EADDRNOTAVAIL => Error::AddrInval,
            libc::EAFNOSUPPORT
            | libc::ENOPROTOOPT
            | libc::ENOSYS
            | libc::ENOTSUP
            | libc::EPROTONOSUPPORT => Error::NotSup,
            libc::EAGAIN => Error::Again,
            libc::EBADF | libc::EPIPE => Error::Closed,
            libc::EBUSY => Error::Busy,
            libc::ECONNABORTED => Error::ConnAborted,
            libc::ECONNREFUSED => Error::ConnRefused,
            libc::ECONNRESET => Error::ConnReset,
            libc::EHOSTUNREACH | libc::ENETUNREACH => Error::Unreachable,
            libc::EPROTO => Error::Proto,
            libc::ETIME | libc::ETIMEDOUT => Error::TimedOut,
            libc::ENOSPC | libc::EFBIG | libc::EDQUOT => Error::NoSpc,
            libc::ENFILE | libc::EMFILE => Error::NoFiles,
            libc::EEXIST => Error::Exist,
            libc::ENOENT => Error::NoEnt,
            e => Error::Sys(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        match e.raw_os_error() {
            Some(errno) => Error::from_errno(errno),
            None => match e.kind() {
                std::io::ErrorKind::WouldBlock => Error::Again,
                std::io::ErrorKind::TimedOut => Error::TimedOut,
                std::io::ErrorKind::OutOfMemory => Error::NoMem,
                std::io::ErrorKind::InvalidInput => Error::Inval,
                _ => Error::Internal,
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.static_message(), self) {
            (Some(s), _) => f.write_str(s),
            (None, Error::Tran(n)) => write!(f, "Transport error #{n}"),
            (None, Error::Sys(n)) => {
                f.write_str(&std::io::Error::from_raw_os_error(*n).to_string())
            }
            (None, _) => write!(f, "Unknown error #{}", self.code()),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &(e, n, _) in TABLE.iter() {
            assert_eq!(e.code(), n);
            assert_eq!(Error::from_code(n), Some(e));
        }
        assert_eq!(Error::Sys(2).code(), 0x1000_0002);
        assert_eq!(Error::from_code(0x2000_0005), Some(Error::Tran(5)));
        assert_eq!(Error::from_code(0), None);
    }

    #[test]
    fn errno_maps_as_upstream() {
        assert_eq!(Error::from_errno(libc::ECONNREFUSED), Error::ConnRefused);
        assert_eq!(Error::from_errno(libc::EPIPE), Error::Closed);
        assert_eq!(Error::from_errno(libc::EIO), Error::Sys(libc::EIO));
    }
}
