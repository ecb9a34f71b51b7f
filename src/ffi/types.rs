//! The `#[repr(C)]` types, typedefs and numeric constants of `<nng/nng.h>`.
//!
//! Layouts follow upstream nng 1.12 exactly (reference ABI.md §2-§4); the
//! `const` assertions at the bottom fail the build on any slip. String
//! constants (option names) live in `crate::core::names` and reach the header
//! through the header generator.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void};

/// Major version of this API (`NNG_MAJOR_VERSION`).
pub const NNG_MAJOR_VERSION: c_int = 1;
/// Minor version of this API (`NNG_MINOR_VERSION`).
pub const NNG_MINOR_VERSION: c_int = 12;
/// Patch level (`NNG_PATCH_VERSION`).
pub const NNG_PATCH_VERSION: c_int = 0;

/// Maximum length of a socket address string, including the NUL.
pub const NNG_MAXADDRLEN: c_int = 128;
/// Recommended size of a buffer for `nng_str_sockaddr`.
pub const NNG_MAXADDRSTRLEN: c_int = 144;

/// Flag for `nng_send`/`nng_recv`: the buffer is (or should be) allocated by nng.
pub const NNG_FLAG_ALLOC: u32 = 1u32;
/// Flag for `nng_send`/`nng_recv`/`nng_dial`: do not block.
pub const NNG_FLAG_NONBLOCK: u32 = 2u32;

/// A relative time in milliseconds.
pub type nng_duration = i32;
/// An absolute time in milliseconds since an arbitrary start (see `nng_clock`).
pub type nng_time = u64;
/// Identifies a parameter for `nng_init_set_parameter`.
pub type nng_init_parameter = c_int;
/// A pipe event (`NNG_PIPE_EV_*`), as an `int` so that any value C passes is
/// valid in Rust; the header shows it as the enum `nng_pipe_ev`.
pub type nng_pipe_ev_c = c_int;
/// A log level (`NNG_LOG_*`), as an `int`; the header shows `nng_log_level`.
pub type nng_log_level_c = c_int;
/// A log facility (`NNG_LOG_USER`, ...), as an `int`; the header shows
/// `nng_log_facility`.
pub type nng_log_facility_c = c_int;

/// Handle of a socket; id 0 is no socket.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nng_socket_s {
    /// The socket id.
    pub id: u32,
}
/// Handle of a socket.
pub type nng_socket = nng_socket_s;

/// Handle of a dialer; id 0 is no dialer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nng_dialer_s {
    /// The dialer id.
    pub id: u32,
}
/// Handle of a dialer.
pub type nng_dialer = nng_dialer_s;

/// Handle of a listener; id 0 is no listener.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nng_listener_s {
    /// The listener id.
    pub id: u32,
}
/// Handle of a listener.
pub type nng_listener = nng_listener_s;

/// Handle of a pipe; id 0 is no pipe.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nng_pipe_s {
    /// The pipe id.
    pub id: u32,
}
/// Handle of a pipe.
pub type nng_pipe = nng_pipe_s;

/// Handle of a context; id 0 is no context.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct nng_ctx_s {
    /// The context id.
    pub id: u32,
}
/// Handle of a context.
pub type nng_ctx = nng_ctx_s;

/// Address of an inproc endpoint: the whole URL.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_inproc {
    /// `NNG_AF_INPROC`
    pub sa_family: u16,
    /// NUL-terminated name.
    pub sa_name: [c_char; 128],
}

/// Address of an IPC endpoint: a filesystem path.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_path {
    /// `NNG_AF_IPC`
    pub sa_family: u16,
    /// NUL-terminated path.
    pub sa_path: [c_char; 128],
}
/// Address of an IPC endpoint.
pub type nng_sockaddr_ipc = nng_sockaddr_path;

/// IPv6 address; port and address in network byte order.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_in6 {
    /// `NNG_AF_INET6`
    pub sa_family: u16,
    /// Port, network byte order.
    pub sa_port: u16,
    /// Address bytes, network order.
    pub sa_addr: [u8; 16],
    /// Scope id, host byte order.
    pub sa_scope: u32,
}
/// IPv6 address (udp alias).
pub type nng_sockaddr_udp6 = nng_sockaddr_in6;
/// IPv6 address (tcp alias).
pub type nng_sockaddr_tcp6 = nng_sockaddr_in6;

/// IPv4 address; port and address in network byte order.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_in {
    /// `NNG_AF_INET`
    pub sa_family: u16,
    /// Port, network byte order.
    pub sa_port: u16,
    /// Address, network byte order.
    pub sa_addr: u32,
}
/// IPv4 address (udp alias).
pub type nng_sockaddr_udp = nng_sockaddr_in;
/// IPv4 address (tcp alias).
pub type nng_sockaddr_tcp = nng_sockaddr_in;

/// ZeroTier address.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_zt {
    /// `NNG_AF_ZT`
    pub sa_family: u16,
    /// Network id.
    pub sa_nwid: u64,
    /// Node id.
    pub sa_nodeid: u64,
    /// 24-bit port.
    pub sa_port: u32,
}

/// Linux abstract socket address; name without the leading NUL.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_abstract {
    /// `NNG_AF_ABSTRACT`
    pub sa_family: u16,
    /// Length of the name (0 asks for auto-bind).
    pub sa_len: u16,
    /// Name bytes, not NUL-terminated.
    pub sa_name: [u8; 107],
}

/// Opaque storage big enough for any address.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nng_sockaddr_storage {
    /// Address family.
    pub sa_family: u16,
    /// Padding.
    pub sa_pad: [u64; 16],
}

/// Any socket address; `s_family` says which member is valid.
#[repr(C)]
#[derive(Clone, Copy)]
pub union nng_sockaddr {
    /// The family, common to every member.
    pub s_family: u16,
    /// IPC address.
    pub s_ipc: nng_sockaddr_ipc,
    /// inproc address.
    pub s_inproc: nng_sockaddr_inproc,
    /// IPv6 address.
    pub s_in6: nng_sockaddr_in6,
    /// IPv4 address.
    pub s_in: nng_sockaddr_in,
    /// ZeroTier address.
    pub s_zt: nng_sockaddr_zt,
    /// Abstract socket address.
    pub s_abstract: nng_sockaddr_abstract,
    /// Storage.
    pub s_storage: nng_sockaddr_storage,
}

/// Address families of `nng_sockaddr`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_sockaddr_family {
    /// No address.
    NNG_AF_UNSPEC = 0,
    /// inproc.
    NNG_AF_INPROC = 1,
    /// IPC (filesystem path).
    NNG_AF_IPC = 2,
    /// IPv4.
    NNG_AF_INET = 3,
    /// IPv6.
    NNG_AF_INET6 = 4,
    /// ZeroTier.
    NNG_AF_ZT = 5,
    /// Linux abstract socket.
    NNG_AF_ABSTRACT = 6,
}

/// A scatter/gather element.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct nng_iov {
    /// Buffer start.
    pub iov_buf: *mut c_void,
    /// Buffer length.
    pub iov_len: usize,
}

/// A parsed URL (public in nng 1.x; fields may be NULL as documented).
#[repr(C)]
#[derive(Debug)]
pub struct nng_url {
    /// The URL as given.
    pub u_rawurl: *mut c_char,
    /// Scheme, lower-cased.
    pub u_scheme: *mut c_char,
    /// User info, or NULL.
    pub u_userinfo: *mut c_char,
    /// Host including port.
    pub u_host: *mut c_char,
    /// Host name only.
    pub u_hostname: *mut c_char,
    /// Port (or the scheme default).
    pub u_port: *mut c_char,
    /// Path.
    pub u_path: *mut c_char,
    /// Query, or NULL.
    pub u_query: *mut c_char,
    /// Fragment, or NULL.
    pub u_fragment: *mut c_char,
    /// Request URI: path, query and fragment.
    pub u_requri: *mut c_char,
}

/// Pipe events delivered to `nng_pipe_notify` callbacks.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_pipe_ev {
    /// Pipe added, before the protocol sees it (closing it here rejects it).
    NNG_PIPE_EV_ADD_PRE = 0,
    /// Pipe added, after the protocol attached it.
    NNG_PIPE_EV_ADD_POST = 1,
    /// Pipe removed.
    NNG_PIPE_EV_REM_POST = 2,
    /// Number of events; not an event.
    NNG_PIPE_EV_NUM = 3,
}

/// Error numbers returned by nng functions.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_errno_enum {
    /// Interrupted.
    NNG_EINTR = 1,
    /// Out of memory.
    NNG_ENOMEM = 2,
    /// Invalid argument.
    NNG_EINVAL = 3,
    /// Resource busy.
    NNG_EBUSY = 4,
    /// Timed out.
    NNG_ETIMEDOUT = 5,
    /// Connection refused.
    NNG_ECONNREFUSED = 6,
    /// Object closed.
    NNG_ECLOSED = 7,
    /// Try again.
    NNG_EAGAIN = 8,
    /// Not supported.
    NNG_ENOTSUP = 9,
    /// Address in use.
    NNG_EADDRINUSE = 10,
    /// Incorrect state.
    NNG_ESTATE = 11,
    /// Entry not found.
    NNG_ENOENT = 12,
    /// Protocol error.
    NNG_EPROTO = 13,
    /// Destination unreachable.
    NNG_EUNREACHABLE = 14,
    /// Address invalid.
    NNG_EADDRINVAL = 15,
    /// Permission denied.
    NNG_EPERM = 16,
    /// Message too large.
    NNG_EMSGSIZE = 17,
    /// Connection aborted.
    NNG_ECONNABORTED = 18,
    /// Connection reset.
    NNG_ECONNRESET = 19,
    /// Operation canceled.
    NNG_ECANCELED = 20,
    /// Out of files.
    NNG_ENOFILES = 21,
    /// Out of space.
    NNG_ENOSPC = 22,
    /// Resource already exists.
    NNG_EEXIST = 23,
    /// Read only resource.
    NNG_EREADONLY = 24,
    /// Write only resource.
    NNG_EWRITEONLY = 25,
    /// Cryptographic error.
    NNG_ECRYPTO = 26,
    /// Peer could not be authenticated.
    NNG_EPEERAUTH = 27,
    /// Option requires argument.
    NNG_ENOARG = 28,
    /// Ambiguous option.
    NNG_EAMBIGUOUS = 29,
    /// Incorrect type.
    NNG_EBADTYPE = 30,
    /// Connection shutdown.
    NNG_ECONNSHUT = 31,
    /// Internal error detected.
    NNG_EINTERNAL = 1000,
    /// Flag: an OS error is in the low bits.
    NNG_ESYSERR = 0x1000_0000,
    /// Flag: a transport error is in the low bits.
    NNG_ETRANERR = 0x2000_0000,
}

/// Types of statistics.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_stat_type_enum {
    /// A grouping node.
    NNG_STAT_SCOPE = 0,
    /// A level (may go up and down).
    NNG_STAT_LEVEL = 1,
    /// A counter (only goes up).
    NNG_STAT_COUNTER = 2,
    /// A string.
    NNG_STAT_STRING = 3,
    /// A boolean.
    NNG_STAT_BOOLEAN = 4,
    /// An object id.
    NNG_STAT_ID = 5,
}

/// Units of statistics.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_unit_enum {
    /// No unit.
    NNG_UNIT_NONE = 0,
    /// Bytes.
    NNG_UNIT_BYTES = 1,
    /// Messages.
    NNG_UNIT_MESSAGES = 2,
    /// Milliseconds.
    NNG_UNIT_MILLIS = 3,
    /// Events.
    NNG_UNIT_EVENTS = 4,
}

/// Log levels (RFC 5424 severities).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_log_level {
    /// Disables logging (filter value only).
    NNG_LOG_NONE = 0,
    /// Errors.
    NNG_LOG_ERR = 3,
    /// Warnings.
    NNG_LOG_WARN = 4,
    /// Notices (the default level).
    NNG_LOG_NOTICE = 5,
    /// Information.
    NNG_LOG_INFO = 6,
    /// Debugging.
    NNG_LOG_DEBUG = 7,
}

/// Log facilities (syslog).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_log_facility {
    /// User (the default).
    NNG_LOG_USER = 1,
    /// Daemon.
    NNG_LOG_DAEMON = 3,
    /// Security / authorization.
    NNG_LOG_AUTH = 10,
    /// Local use 0.
    NNG_LOG_LOCAL0 = 16,
    /// Local use 1.
    NNG_LOG_LOCAL1 = 17,
    /// Local use 2.
    NNG_LOG_LOCAL2 = 18,
    /// Local use 3.
    NNG_LOG_LOCAL3 = 19,
    /// Local use 4.
    NNG_LOG_LOCAL4 = 20,
    /// Local use 5.
    NNG_LOG_LOCAL5 = 21,
    /// Local use 6.
    NNG_LOG_LOCAL6 = 22,
    /// Local use 7.
    NNG_LOG_LOCAL7 = 23,
}

/// Parameters for `nng_init_set_parameter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_init_parameter_enum {
    /// Placeholder.
    NNG_INIT_PARAMETER_NONE = 0,
    /// Number of task (callback) threads.
    NNG_INIT_NUM_TASK_THREADS = 1,
    /// Number of expire (timer) threads.
    NNG_INIT_NUM_EXPIRE_THREADS = 2,
    /// Number of I/O poller threads.
    NNG_INIT_NUM_POLLER_THREADS = 3,
    /// Number of resolver threads.
    NNG_INIT_NUM_RESOLVER_THREADS = 4,
    /// Cap on task threads (0: none).
    NNG_INIT_MAX_TASK_THREADS = 5,
    /// Cap on expire threads (0: none).
    NNG_INIT_MAX_EXPIRE_THREADS = 6,
    /// Cap on poller threads (0: none).
    NNG_INIT_MAX_POLLER_THREADS = 7,
}

/// A message (opaque).
pub struct nng_msg {
    _private: [u8; 0],
}
/// A statistic or a node of the statistics tree (opaque).
pub struct nng_stat {
    _private: [u8; 0],
}
/// An asynchronous I/O handle (opaque).
pub struct nng_aio {
    _private: [u8; 0],
}
/// A byte stream (opaque).
pub struct nng_stream {
    _private: [u8; 0],
}
/// A byte-stream dialer (opaque).
pub struct nng_stream_dialer {
    _private: [u8; 0],
}
/// A byte-stream listener (opaque).
pub struct nng_stream_listener {
    _private: [u8; 0],
}
/// A UDP socket (opaque).
pub struct nng_udp {
    _private: [u8; 0],
}
/// A thread (opaque).
pub struct nng_thread {
    _private: [u8; 0],
}
/// A mutex (opaque).
pub struct nng_mtx {
    _private: [u8; 0],
}
/// A condition variable (opaque).
pub struct nng_cv {
    _private: [u8; 0],
}

/// Pipe event callback.
pub type nng_pipe_cb = Option<unsafe extern "C" fn(nng_pipe, nng_pipe_ev_c, *mut c_void)>;
/// Cancellation callback of an aio provider: (aio, arg, reason).
pub type nng_aio_cancelfn = Option<unsafe extern "C" fn(*mut nng_aio, *mut c_void, c_int)>;
/// A logger: (level, facility, msgid, message).
pub type nng_logger =
    Option<unsafe extern "C" fn(nng_log_level_c, nng_log_facility_c, *const c_char, *const c_char)>;

// Layout checks against upstream's LP64 ABI (reference ABI.md §3).
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<nng_socket>() == 4 && align_of::<nng_socket>() == 4);
    assert!(size_of::<nng_ctx>() == 4);
    assert!(size_of::<nng_sockaddr>() == 136 && align_of::<nng_sockaddr>() == 8);
    assert!(size_of::<nng_sockaddr_inproc>() == 130);
    assert!(size_of::<nng_sockaddr_path>() == 130);
    assert!(size_of::<nng_sockaddr_in6>() == 24 && offset_of!(nng_sockaddr_in6, sa_scope) == 20);
    assert!(size_of::<nng_sockaddr_in>() == 8 && offset_of!(nng_sockaddr_in, sa_addr) == 4);
    assert!(size_of::<nng_sockaddr_abstract>() == 112);
    assert!(offset_of!(nng_sockaddr_abstract, sa_name) == 4);
    assert!(size_of::<nng_iov>() == 2 * size_of::<usize>());
    assert!(size_of::<nng_url>() == 10 * size_of::<usize>());
    assert!(size_of::<nng_sockaddr_family>() == 4);
    assert!(size_of::<nng_errno_enum>() == 4);
};
#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<nng_sockaddr_zt>() == 32 && offset_of!(nng_sockaddr_zt, sa_port) == 24);
    assert!(size_of::<nng_sockaddr_storage>() == 136);
    assert!(offset_of!(nng_url, u_requri) == 72);
};
