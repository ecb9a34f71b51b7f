//! Option names of `<nng/nng.h>`: the strings that select an option in every
//! `nng_*_get*`/`nng_*_set*` call.
//!
//! The strings are part of the ABI (a program built against nng's headers
//! passes these exact bytes) and can never change. The header generator turns
//! each top-level `pub const NNG_*: &str` here into a `#define` in `nng.h`, so
//! every top-level item of this file is public API; the protocol option names
//! in [`proto`] are kept in a nested module so that they reach only their own
//! protocol headers (written from `src/ffi/proto/*.rs`).
//!
//! Depends on nothing.

// Generic socket options.

/// Socket name, a string of at most 63 bytes (socket, read/write). Defaults
/// to the socket id in decimal.
pub const NNG_OPT_SOCKNAME: &str = "socket-name";
/// Whether the socket was opened in raw mode (bool, socket, read-only).
pub const NNG_OPT_RAW: &str = "raw";
/// The socket's own 16-bit SP protocol number (int, socket, read-only).
pub const NNG_OPT_PROTO: &str = "protocol";
/// The socket's protocol name, e.g. "req" (string, socket, read-only).
pub const NNG_OPT_PROTONAME: &str = "protocol-name";
/// The peer's 16-bit SP protocol number (int, socket, read-only).
pub const NNG_OPT_PEER: &str = "peer";
/// The peer's protocol name, e.g. "rep" (string, socket, read-only).
pub const NNG_OPT_PEERNAME: &str = "peer-name";
/// Depth of the receive queue in messages, 0..8192 (int, socket, read/write).
pub const NNG_OPT_RECVBUF: &str = "recv-buffer";
/// Depth of the send queue in messages, 0..8192 (int, socket, read/write).
pub const NNG_OPT_SENDBUF: &str = "send-buffer";
/// A descriptor that polls readable when a receive would not block (int,
/// socket, read-only).
pub const NNG_OPT_RECVFD: &str = "recv-fd";
/// A descriptor that polls readable when a send would not block (int,
/// socket, read-only).
pub const NNG_OPT_SENDFD: &str = "send-fd";
/// Receive timeout (nng_duration, socket and context, read/write); -1 waits
/// forever.
pub const NNG_OPT_RECVTIMEO: &str = "recv-timeout";
/// Send timeout (nng_duration, socket and context, read/write); -1 waits
/// forever.
pub const NNG_OPT_SENDTIMEO: &str = "send-timeout";
/// Local address (nng_sockaddr; listeners, pipes and streams read it, tcp
/// dialers may set it to pick a source address).
pub const NNG_OPT_LOCADDR: &str = "local-address";
/// Remote address (nng_sockaddr, pipes and streams, read-only).
pub const NNG_OPT_REMADDR: &str = "remote-address";
/// The URL of a dialer or listener (string, read-only; pipes report their
/// endpoint's).
pub const NNG_OPT_URL: &str = "url";
/// Maximum hop count, 1..15 (int, socket, read/write; protocols that forward).
pub const NNG_OPT_MAXTTL: &str = "ttl-max";
/// Largest message accepted from a peer in bytes, 0 for no limit (size_t;
/// socket, dialer and listener, read/write).
pub const NNG_OPT_RECVMAXSZ: &str = "recv-size-max";
/// Shortest wait before a dialer reconnects (nng_duration; socket and dialer,
/// read/write).
pub const NNG_OPT_RECONNMINT: &str = "reconnect-time-min";
/// Longest wait before a dialer reconnects, 0 for no back-off (nng_duration;
/// socket and dialer, read/write).
pub const NNG_OPT_RECONNMAXT: &str = "reconnect-time-max";

// TLS options (transports and streams that use TLS).

/// The `nng_tls_config *` of an endpoint (pointer, read/write). Setting it
/// takes a hold on the configuration; reading it takes none.
pub const NNG_OPT_TLS_CONFIG: &str = "tls-config";
/// Peer authentication mode, one of `NNG_TLS_AUTH_MODE_*` (int, write-only).
pub const NNG_OPT_TLS_AUTH_MODE: &str = "tls-authmode";
/// Path of a PEM file holding this endpoint's certificate and unencrypted key
/// (string, write-only).
pub const NNG_OPT_TLS_CERT_KEY_FILE: &str = "tls-cert-key-file";
/// Path of a PEM file of CA certificates (and CRLs) used to verify the peer
/// (string, write-only).
pub const NNG_OPT_TLS_CA_FILE: &str = "tls-ca-file";
/// Name expected in the server's certificate, also sent as SNI (string,
/// write-only; dialers).
pub const NNG_OPT_TLS_SERVER_NAME: &str = "tls-server-name";
/// Whether the peer's certificate was verified (bool, pipes and streams,
/// read-only).
pub const NNG_OPT_TLS_VERIFIED: &str = "tls-verified";
/// Common name of the peer's certificate (string, pipes and streams,
/// read-only).
pub const NNG_OPT_TLS_PEER_CN: &str = "tls-peer-cn";
/// Subject alternative names of the peer's certificate (pointer to a
/// NULL-terminated `char *` array, pipes and streams, read-only).
pub const NNG_OPT_TLS_PEER_ALT_NAMES: &str = "tls-peer-alt-names";

// TCP options (tcp and the transports built on it).

/// Disable Nagle's algorithm (bool, read/write).
pub const NNG_OPT_TCP_NODELAY: &str = "tcp-nodelay";
/// Enable TCP keep-alive probes (bool, read/write).
pub const NNG_OPT_TCP_KEEPALIVE: &str = "tcp-keepalive";
/// The port a listener actually bound, in host byte order (int, read-only).
pub const NNG_OPT_TCP_BOUND_PORT: &str = "tcp-bound-port";

// IPC options.

/// Windows `SECURITY_DESCRIPTOR *` for an IPC listener (pointer, write-only;
/// not supported on POSIX).
pub const NNG_OPT_IPC_SECURITY_DESCRIPTOR: &str = "ipc:security-descriptor";
/// File mode bits of an IPC listener's socket file (int, write-only).
pub const NNG_OPT_IPC_PERMISSIONS: &str = "ipc:permissions";
/// User id of the peer process (uint64_t, pipes and streams, read-only).
pub const NNG_OPT_PEER_UID: &str = "ipc:peer-uid";
/// Old name of `NNG_OPT_PEER_UID`.
pub const NNG_OPT_IPC_PEER_UID: &str = NNG_OPT_PEER_UID;
/// Primary group id of the peer process (uint64_t, pipes and streams,
/// read-only).
pub const NNG_OPT_PEER_GID: &str = "ipc:peer-gid";
/// Old name of `NNG_OPT_PEER_GID`.
pub const NNG_OPT_IPC_PEER_GID: &str = NNG_OPT_PEER_GID;
/// Process id of the peer (uint64_t, pipes and streams, read-only).
pub const NNG_OPT_PEER_PID: &str = "ipc:peer-pid";
/// Old name of `NNG_OPT_PEER_PID`.
pub const NNG_OPT_IPC_PEER_PID: &str = NNG_OPT_PEER_PID;
/// Zone id of the peer (uint64_t, read-only; illumos/Solaris only).
pub const NNG_OPT_PEER_ZONEID: &str = "ipc:peer-zoneid";
/// Old name of `NNG_OPT_PEER_ZONEID`.
pub const NNG_OPT_IPC_PEER_ZONEID: &str = NNG_OPT_PEER_ZONEID;

// WebSocket options.

/// HTTP request headers as CRLF-terminated lines (string; dialers set extra
/// headers, pipes and streams read all of them).
pub const NNG_OPT_WS_REQUEST_HEADERS: &str = "ws:request-headers";
/// HTTP response headers as CRLF-terminated lines (string; listeners set
/// extra headers, pipes and streams read all of them).
pub const NNG_OPT_WS_RESPONSE_HEADERS: &str = "ws:response-headers";
/// Prefix of a per-header option: append a response header name (string).
pub const NNG_OPT_WS_RESPONSE_HEADER: &str = "ws:response-header:";
/// Prefix of a per-header option: append a request header name (string).
pub const NNG_OPT_WS_REQUEST_HEADER: &str = "ws:request-header:";
/// The request URI the client sent (string, pipes and streams, read-only).
pub const NNG_OPT_WS_REQUEST_URI: &str = "ws:request-uri";
/// Largest frame sent before a message is split, 0 for no limit (size_t,
/// read/write).
pub const NNG_OPT_WS_SENDMAXFRAME: &str = "ws:txframe-max";
/// Largest frame accepted from the peer (size_t, read/write).
pub const NNG_OPT_WS_RECVMAXFRAME: &str = "ws:rxframe-max";
/// The WebSocket sub-protocol, `Sec-WebSocket-Protocol` (string, read/write).
pub const NNG_OPT_WS_PROTOCOL: &str = "ws:protocol";
/// Send TEXT frames instead of BINARY (bool; stream use only).
pub const NNG_OPT_WS_SEND_TEXT: &str = "ws:send-text";
/// Accept TEXT frames (bool; stream use only).
pub const NNG_OPT_WS_RECV_TEXT: &str = "ws:recv-text";

// socket:// transport.

/// Hands a connected stream descriptor to a `socket://` listener (int,
/// write-only); each set makes one new connection.
pub const NNG_OPT_SOCKET_FD: &str = "socket:fd";

/// Option names defined by the protocol headers (`<nng/protocol/*/*.h>`), for
/// the protocol implementations. The same strings are declared for C in
/// `src/ffi/proto/*.rs`; a test there checks that the two agree.
pub mod proto {
    /// pair1: whether the socket is polyamorous (bool, read-only).
    pub const PAIR1_POLY: &str = "pair1:polyamorous";
    /// sub0: add a topic prefix (bytes, write-only).
    pub const SUB_SUBSCRIBE: &str = "sub:subscribe";
    /// sub0: remove a topic (bytes, write-only).
    pub const SUB_UNSUBSCRIBE: &str = "sub:unsubscribe";
    /// sub0: on a full queue, drop the oldest message rather than the new one
    /// (bool, read/write).
    pub const SUB_PREFNEW: &str = "sub:prefnew";
    /// req0: time before an unanswered request is sent again (nng_duration).
    pub const REQ_RESENDTIME: &str = "req:resend-time";
    /// req0: granularity of the resend timer (nng_duration).
    pub const REQ_RESENDTICK: &str = "req:resend-tick";
    /// surveyor0: how long a survey collects responses (nng_duration).
    pub const SURVEYOR_SURVEYTIME: &str = "surveyor:survey-time";
}
