//! C API: HTTP client, server and handlers (`<nng/supplemental/http/http.h>`).
//!
//! Declares upstream 1.12's complete HTTP surface with its exact prototypes.
//! The HTTP implementation comes in a later change; until then the library
//! behaves as upstream built without HTTP support: after their required
//! pointers are checked (NULL gives `NNG_EINVAL`), functions returning `int`
//! give `NNG_ENOTSUP`, those returning pointers give NULL, and
//! `nng_http_res_get_status` gives 0.
//!
//! The TLS configuration type appears here as `struct nng_tls_config`
//! (declared, not defined), as upstream has it, so this header does not
//! depend on `<nng/supplemental/tls/tls.h>`: see [`tls_fwd`].

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void};

use super::guard_rc;
use super::tls::need;
use super::types::{nng_aio, nng_sockaddr, nng_url};
use crate::core::error::Error;

/// The forward-declared TLS configuration type.
///
/// The header generator does not read this module, so cbindgen sees an
/// unknown type name, which its rename table turns into
/// `struct nng_tls_config`.
///
/// cbindgen:ignore
pub mod tls_fwd {
    /// `struct nng_tls_config` as named by `http.h`.
    pub type nng_http_tls_config = super::super::tls::nng_tls_config;
}
use tls_fwd::nng_http_tls_config;

/// HTTP status codes (not exhaustive). The names, including the doubled
/// `STATUS_STATUS_MOVED_PERMANENTLY`, are upstream's.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum nng_http_status {
    /// 100 Continue
    NNG_HTTP_STATUS_CONTINUE = 100,
    /// 101 Switching Protocols
    NNG_HTTP_STATUS_SWITCHING = 101,
    /// 102 Processing
    NNG_HTTP_STATUS_PROCESSING = 102,
    /// 200 OK
    NNG_HTTP_STATUS_OK = 200,
    /// 201 Created
    NNG_HTTP_STATUS_CREATED = 201,
    /// 202 Accepted
    NNG_HTTP_STATUS_ACCEPTED = 202,
    /// 203 Non-Authoritative Information
    NNG_HTTP_STATUS_NOT_AUTHORITATIVE = 203,
    /// 204 No Content
    NNG_HTTP_STATUS_NO_CONTENT = 204,
    /// 205 Reset Content
    NNG_HTTP_STATUS_RESET_CONTENT = 205,
    /// 206 Partial Content
    NNG_HTTP_STATUS_PARTIAL_CONTENT = 206,
    /// 207 Multi-Status
    NNG_HTTP_STATUS_MULTI_STATUS = 207,
    /// 208 Already Reported
    NNG_HTTP_STATUS_ALREADY_REPORTED = 208,
    /// 226 IM Used
    NNG_HTTP_STATUS_IM_USED = 226,
    /// 300 Multiple Choices
    NNG_HTTP_STATUS_MULTIPLE_CHOICES = 300,
    /// 301 Moved Permanently
    NNG_HTTP_STATUS_STATUS_MOVED_PERMANENTLY = 301,
    /// 302 Found
    NNG_HTTP_STATUS_FOUND = 302,
    /// 303 See Other
    NNG_HTTP_STATUS_SEE_OTHER = 303,
    /// 304 Not Modified
    NNG_HTTP_STATUS_NOT_MODIFIED = 304,
    /// 305 Use Proxy
    NNG_HTTP_STATUS_USE_PROXY = 305,
    /// 307 Temporary Redirect
    NNG_HTTP_STATUS_TEMPORARY_REDIRECT = 307,
    /// 308 Permanent Redirect
    NNG_HTTP_STATUS_PERMANENT_REDIRECT = 308,
    /// 400 Bad Request
    NNG_HTTP_STATUS_BAD_REQUEST = 400,
    /// 401 Unauthorized
    NNG_HTTP_STATUS_UNAUTHORIZED = 401,
    /// 402 Payment Required
    NNG_HTTP_STATUS_PAYMENT_REQUIRED = 402,
    /// 403 Forbidden
    NNG_HTTP_STATUS_FORBIDDEN = 403,
    /// 404 Not Found
    NNG_HTTP_STATUS_NOT_FOUND = 404,
    /// 405 Method Not Allowed
    NNG_HTTP_STATUS_METHOD_NOT_ALLOWED = 405,
    /// 406 Not Acceptable
    NNG_HTTP_STATUS_NOT_ACCEPTABLE = 406,
    /// 407 Proxy Authentication Required
    NNG_HTTP_STATUS_PROXY_AUTH_REQUIRED = 407,
    /// 408 Request Timeout
    NNG_HTTP_STATUS_REQUEST_TIMEOUT = 408,
    /// 409 Conflict
    NNG_HTTP_STATUS_CONFLICT = 409,
    /// 410 Gone
    NNG_HTTP_STATUS_GONE = 410,
    /// 411 Length Required
    NNG_HTTP_STATUS_LENGTH_REQUIRED = 411,
    /// 412 Precondition Failed
    NNG_HTTP_STATUS_PRECONDITION_FAILED = 412,
    /// 413 Payload Too Large
    NNG_HTTP_STATUS_PAYLOAD_TOO_LARGE = 413,
    /// 414 URI Too Long
    NNG_HTTP_STATUS_ENTITY_TOO_LONG = 414,
    /// 415 Unsupported Media Type
    NNG_HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE = 415,
    /// 416 Range Not Satisfiable
    NNG_HTTP_STATUS_RANGE_NOT_SATISFIABLE = 416,
    /// 417 Expectation Failed
    NNG_HTTP_STATUS_EXPECTATION_FAILED = 417,
    /// 418 I'm a teapot
    NNG_HTTP_STATUS_TEAPOT = 418,
    /// 422 Unprocessable Entity
    NNG_HTTP_STATUS_UNPROCESSABLE_ENTITY = 422,
    /// 423 Locked
    NNG_HTTP_STATUS_LOCKED = 423,
    /// 424 Failed Dependency
    NNG_HTTP_STATUS_FAILED_DEPENDENCY = 424,
    /// 426 Upgrade Required
    NNG_HTTP_STATUS_UPGRADE_REQUIRED = 426,
    /// 428 Precondition Required
    NNG_HTTP_STATUS_PRECONDITION_REQUIRED = 428,
    /// 429 Too Many Requests
    NNG_HTTP_STATUS_TOO_MANY_REQUESTS = 429,
    /// 431 Request Header Fields Too Large
    NNG_HTTP_STATUS_HEADERS_TOO_LARGE = 431,
    /// 451 Unavailable For Legal Reasons
    NNG_HTTP_STATUS_UNAVAIL_LEGAL_REASONS = 451,
    /// 500 Internal Server Error
    NNG_HTTP_STATUS_INTERNAL_SERVER_ERROR = 500,
    /// 501 Not Implemented
    NNG_HTTP_STATUS_NOT_IMPLEMENTED = 501,
    /// 502 Bad Gateway
    NNG_HTTP_STATUS_BAD_GATEWAY = 502,
    /// 503 Service Unavailable
    NNG_HTTP_STATUS_SERVICE_UNAVAILABLE = 503,
    /// 504 Gateway Timeout
    NNG_HTTP_STATUS_GATEWAY_TIMEOUT = 504,
    /// 505 HTTP Version Not Supported
    NNG_HTTP_STATUS_HTTP_VERSION_NOT_SUPP = 505,
    /// 506 Variant Also Negotiates
    NNG_HTTP_STATUS_VARIANT_ALSO_NEGOTIATES = 506,
    /// 507 Insufficient Storage
    NNG_HTTP_STATUS_INSUFFICIENT_STORAGE = 507,
    /// 508 Loop Detected
    NNG_HTTP_STATUS_LOOP_DETECTED = 508,
    /// 510 Not Extended
    NNG_HTTP_STATUS_NOT_EXTENDED = 510,
    /// 511 Network Authentication Required
    NNG_HTTP_STATUS_NETWORK_AUTH_REQUIRED = 511,
}

/// An HTTP request.
pub struct nng_http_req {
    _private: [u8; 0],
}
/// An HTTP response.
pub struct nng_http_res {
    _private: [u8; 0],
}
/// An HTTP connection (over TCP or TLS) used to exchange requests and responses.
pub struct nng_http_conn {
    _private: [u8; 0],
}
/// A server-side handler for requests to one path (or tree of paths).
pub struct nng_http_handler {
    _private: [u8; 0],
}
/// An HTTP server bound to one address.
pub struct nng_http_server {
    _private: [u8; 0],
}
/// An HTTP client for one server URL.
pub struct nng_http_client {
    _private: [u8; 0],
}

/// The result of every `int` function until HTTP is implemented: checks
/// each required pointer, then reports that HTTP is not supported.
fn unsupported(required: &[*const c_void]) -> c_int {
    guard_rc(|| {
        for &p in required {
            need(p)?;
        }
        Err(Error::NotSup)
    })
}

/// Writes "no data" to the out-parameters of the `get_data` functions.
///
/// # Safety
///
/// Each pointer is NULL or valid for a write.
unsafe fn no_data(datap: *mut *mut c_void, lenp: *mut usize) {
    // SAFETY: per the contract each pointer is NULL (skipped by `as_mut`)
    // or writable.
    unsafe {
        if let Some(d) = datap.as_mut() {
            *d = std::ptr::null_mut();
        }
        if let Some(l) = lenp.as_mut() {
            *l = 0;
        }
    }
}

// ---- requests ----

/// Creates a request: GET, HTTP/1.1, and, if `url` is not NULL, its request
/// URI and a Host header (port omitted when it is the scheme's default).
/// Stores it in `*reqp`; free it with `nng_http_req_free`.
/// Returns NNG_EINVAL if `reqp` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_alloc(reqp: *mut *mut nng_http_req, url: *const nng_url) -> c_int {
    let _ = url;
    unsupported(&[reqp.cast()])
}

/// Frees a request and any data it owns. NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_req_free(req: *mut nng_http_req) {
    let _ = req;
}

/// Returns the request method ("GET" by default), owned by the request;
/// NULL if `req` is NULL (and until HTTP is implemented).
#[no_mangle]
pub extern "C" fn nng_http_req_get_method(req: *mut nng_http_req) -> *const c_char {
    let _ = req;
    std::ptr::null()
}

/// Returns the request version ("HTTP/1.1" by default), owned by the
/// request; NULL if `req` is NULL (and until HTTP is implemented).
#[no_mangle]
pub extern "C" fn nng_http_req_get_version(req: *mut nng_http_req) -> *const c_char {
    let _ = req;
    std::ptr::null()
}

/// Returns the request URI (path, query and fragment), owned by the
/// request; NULL if `req` is NULL (and until HTTP is implemented).
#[no_mangle]
pub extern "C" fn nng_http_req_get_uri(req: *mut nng_http_req) -> *const c_char {
    let _ = req;
    std::ptr::null()
}

/// Sets header `key` to `val`, replacing every header of that name
/// (compared without case). Both strings are copied.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_set_header(
    req: *mut nng_http_req,
    key: *const c_char,
    val: *const c_char,
) -> c_int {
    unsupported(&[req.cast(), key.cast(), val.cast()])
}

/// Adds header `key: val`, merged with any existing header of that name.
/// Both strings are copied.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_add_header(
    req: *mut nng_http_req,
    key: *const c_char,
    val: *const c_char,
) -> c_int {
    unsupported(&[req.cast(), key.cast(), val.cast()])
}

/// Removes every header named `key`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOENT if there was none,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_del_header(req: *mut nng_http_req, key: *const c_char) -> c_int {
    unsupported(&[req.cast(), key.cast()])
}

/// Returns the value of header `key` (owned by the request), or NULL if it
/// is absent, an argument is NULL, or HTTP is not implemented yet.
#[no_mangle]
pub extern "C" fn nng_http_req_get_header(
    req: *mut nng_http_req,
    key: *const c_char,
) -> *const c_char {
    let _ = (req, key);
    std::ptr::null()
}

/// Sets the method (upper case, e.g. "POST"); NULL restores "GET". Copied.
/// Returns NNG_EINVAL if `req` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_set_method(req: *mut nng_http_req, method: *const c_char) -> c_int {
    let _ = method;
    unsupported(&[req.cast()])
}

/// Sets the version; NULL restores "HTTP/1.1". Copied.
/// Returns NNG_EINVAL if `req` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_set_version(req: *mut nng_http_req, vers: *const c_char) -> c_int {
    let _ = vers;
    unsupported(&[req.cast()])
}

/// Sets the request URI: a path starting with '/', plus query and fragment
/// (no scheme or host). Copied.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_set_uri(req: *mut nng_http_req, uri: *const c_char) -> c_int {
    unsupported(&[req.cast(), uri.cast()])
}

/// Attaches `sz` body bytes at `data` without copying (they must outlive
/// the request) and sets Content-Length.
/// Returns NNG_EINVAL if `req` is NULL or `data` is NULL with a non-zero
/// `sz`, NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_set_data(
    req: *mut nng_http_req,
    data: *const c_void,
    sz: usize,
) -> c_int {
    let data = if sz == 0 { req.cast() } else { data };
    unsupported(&[req.cast(), data])
}

/// Attaches a private copy of `sz` body bytes at `data` and sets
/// Content-Length.
/// Returns NNG_EINVAL if `req` is NULL or `data` is NULL with a non-zero
/// `sz`, NNG_ENOMEM, NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_req_copy_data(
    req: *mut nng_http_req,
    data: *const c_void,
    sz: usize,
) -> c_int {
    let data = if sz == 0 { req.cast() } else { data };
    unsupported(&[req.cast(), data])
}

/// Stores the request body (owned by the request) in `*datap` and its
/// length in `*lenp`; NULL and 0 when there is none (always, until HTTP is
/// implemented). NULL out-pointers are skipped.
///
/// # Safety
///
/// `datap` and `lenp` are each NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nng_http_req_get_data(
    req: *mut nng_http_req,
    datap: *mut *mut c_void,
    lenp: *mut usize,
) {
    let _ = req;
    // SAFETY: forwarded contract.
    unsafe { no_data(datap, lenp) }
}

// ---- responses ----

/// Creates a response: HTTP/1.1 200 OK. Stores it in `*resp`; free it with
/// `nng_http_res_free`.
/// Returns NNG_EINVAL if `resp` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_alloc(resp: *mut *mut nng_http_res) -> c_int {
    unsupported(&[resp.cast()])
}

/// Creates an error response with status `status` and a generic HTML page
/// as body. Stores it in `*resp`; free it with `nng_http_res_free`.
/// Returns NNG_EINVAL if `resp` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_alloc_error(resp: *mut *mut nng_http_res, status: u16) -> c_int {
    let _ = status;
    unsupported(&[resp.cast()])
}

/// Frees a response and any data it owns. NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_res_free(res: *mut nng_http_res) {
    let _ = res;
}

/// Returns the status code; 0 if `res` is NULL (and until HTTP is
/// implemented).
#[no_mangle]
pub extern "C" fn nng_http_res_get_status(res: *mut nng_http_res) -> u16 {
    let _ = res;
    0
}

/// Sets the status code.
/// Returns NNG_EINVAL if `res` is NULL, NNG_ENOTSUP (no HTTP support yet).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_set_status(res: *mut nng_http_res, status: u16) -> c_int {
    let _ = status;
    unsupported(&[res.cast()])
}

/// Returns the reason phrase (owned by the response), or NULL if `res` is
/// NULL (and until HTTP is implemented).
#[no_mangle]
pub extern "C" fn nng_http_res_get_reason(res: *mut nng_http_res) -> *const c_char {
    let _ = res;
    std::ptr::null()
}

/// Sets the reason phrase; NULL uses the status code's standard phrase.
/// Copied. Returns NNG_EINVAL if `res` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_set_reason(res: *mut nng_http_res, reason: *const c_char) -> c_int {
    let _ = reason;
    unsupported(&[res.cast()])
}

/// Sets header `key` to `val`, replacing every header of that name
/// (compared without case). Both strings are copied.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_set_header(
    res: *mut nng_http_res,
    key: *const c_char,
    val: *const c_char,
) -> c_int {
    unsupported(&[res.cast(), key.cast(), val.cast()])
}

/// Adds header `key: val`, merged with any existing header of that name.
/// Both strings are copied.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no
/// HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_add_header(
    res: *mut nng_http_res,
    key: *const c_char,
    val: *const c_char,
) -> c_int {
    unsupported(&[res.cast(), key.cast(), val.cast()])
}

/// Removes every header named `key`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOENT if there was none,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_del_header(res: *mut nng_http_res, key: *const c_char) -> c_int {
    unsupported(&[res.cast(), key.cast()])
}

/// Returns the value of header `key` (owned by the response), or NULL if it
/// is absent, an argument is NULL, or HTTP is not implemented yet.
#[no_mangle]
pub extern "C" fn nng_http_res_get_header(
    res: *mut nng_http_res,
    key: *const c_char,
) -> *const c_char {
    let _ = (res, key);
    std::ptr::null()
}

/// Sets the version; NULL restores "HTTP/1.1". Copied.
/// Returns NNG_EINVAL if `res` is NULL, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_set_version(res: *mut nng_http_res, vers: *const c_char) -> c_int {
    let _ = vers;
    unsupported(&[res.cast()])
}

/// Returns the response version ("HTTP/1.1" by default), owned by the
/// response; NULL if `res` is NULL (and until HTTP is implemented).
#[no_mangle]
pub extern "C" fn nng_http_res_get_version(res: *mut nng_http_res) -> *const c_char {
    let _ = res;
    std::ptr::null()
}

/// Stores the response body (owned by the response) in `*datap` and its
/// length in `*lenp`; NULL and 0 when there is none (always, until HTTP is
/// implemented). NULL out-pointers are skipped.
///
/// # Safety
///
/// `datap` and `lenp` are each NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nng_http_res_get_data(
    res: *mut nng_http_res,
    datap: *mut *mut c_void,
    lenp: *mut usize,
) {
    let _ = res;
    // SAFETY: forwarded contract.
    unsafe { no_data(datap, lenp) }
}

/// Attaches `sz` body bytes at `data` without copying (they must outlive
/// the response) and sets Content-Length.
/// Returns NNG_EINVAL if `res` is NULL or `data` is NULL with a non-zero
/// `sz`, NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_set_data(
    res: *mut nng_http_res,
    data: *const c_void,
    sz: usize,
) -> c_int {
    let data = if sz == 0 { res.cast() } else { data };
    unsupported(&[res.cast(), data])
}

/// Attaches a private copy of `sz` body bytes at `data` and sets
/// Content-Length.
/// Returns NNG_EINVAL if `res` is NULL or `data` is NULL with a non-zero
/// `sz`, NNG_ENOMEM, NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_res_copy_data(
    res: *mut nng_http_res,
    data: *const c_void,
    sz: usize,
) -> c_int {
    let data = if sz == 0 { res.cast() } else { data };
    unsupported(&[res.cast(), data])
}

// ---- connections ----
//
// TODO(http): until HTTP is implemented, each asynchronous function below
// completes its aio with NNG_ENOTSUP (as upstream's no-HTTP build does).

/// Closes the connection and frees it; do not use it afterwards. NULL is
/// ignored.
#[no_mangle]
pub extern "C" fn nng_http_conn_close(conn: *mut nng_http_conn) {
    let _ = conn;
}

/// Reads at least one byte into the aio's iov; completes with the count
/// read. Asynchronous. (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_read(conn: *mut nng_http_conn, aio: *mut nng_aio) {
    let _ = conn;
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Reads until the aio's iov is full or an error occurs. Asynchronous.
/// (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_read_all(conn: *mut nng_http_conn, aio: *mut nng_aio) {
    let _ = conn;
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Writes at least one byte from the aio's iov; completes with the count
/// written. Asynchronous. (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_write(conn: *mut nng_http_conn, aio: *mut nng_aio) {
    let _ = conn;
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Writes the whole of the aio's iov or fails. Asynchronous.
/// (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_write_all(conn: *mut nng_http_conn, aio: *mut nng_aio) {
    let _ = conn;
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Writes a whole request, including any attached body. Asynchronous.
/// (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_write_req(
    conn: *mut nng_http_conn,
    req: *mut nng_http_req,
    aio: *mut nng_aio,
) {
    let _ = (conn, req);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Writes a whole response, including any attached body. Asynchronous.
/// (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_write_res(
    conn: *mut nng_http_conn,
    res: *mut nng_http_res,
    aio: *mut nng_aio,
) {
    let _ = (conn, res);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Reads a request's start line and headers (not its body) into `req`.
/// Asynchronous. (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_read_req(
    conn: *mut nng_http_conn,
    req: *mut nng_http_req,
    aio: *mut nng_aio,
) {
    let _ = (conn, req);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Reads a response's status line and headers (not its body) into `res`.
/// Asynchronous. (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_read_res(
    conn: *mut nng_http_conn,
    res: *mut nng_http_res,
    aio: *mut nng_aio,
) {
    let _ = (conn, res);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Resets a request to its freshly allocated state. NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_req_reset(req: *mut nng_http_req) {
    let _ = req;
}

/// Resets a response to its freshly allocated state. NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_res_reset(res: *mut nng_http_res) {
    let _ = res;
}

// ---- handlers ----

/// Creates a handler for requests to `path` (exact match; GET and HEAD by
/// default) that calls `cb` with an aio whose inputs are the request, the
/// handler and the connection; the callback sets output 0 to a response
/// (or sends one itself) and finishes the aio. Stores it in `*hp`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_alloc(
    hp: *mut *mut nng_http_handler,
    path: *const c_char,
    cb: Option<unsafe extern "C" fn(*mut nng_aio)>,
) -> c_int {
    guard_rc(|| {
        need(hp)?;
        need(path)?;
        cb.ok_or(Error::Inval)?;
        Err(Error::NotSup)
    })
}

/// Drops a reference to a handler (a server holds one while it is
/// registered). NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_handler_free(h: *mut nng_http_handler) {
    let _ = h;
}

/// Creates a handler serving the file at `file` for `path`, with a content
/// type guessed from the file name. Stores it in `*hp`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_alloc_file(
    hp: *mut *mut nng_http_handler,
    path: *const c_char,
    file: *const c_char,
) -> c_int {
    unsupported(&[hp.cast(), path.cast(), file.cast()])
}

/// Creates a handler serving a copy of `sz` bytes at `data` for `path`, with
/// content type `ctype` (NULL: "application/octet-stream"). Stores it in
/// `*hp`.
/// Returns NNG_EINVAL for a NULL required argument, NNG_ENOMEM, NNG_ENOTSUP
/// (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_alloc_static(
    hp: *mut *mut nng_http_handler,
    path: *const c_char,
    data: *const c_void,
    sz: usize,
    ctype: *const c_char,
) -> c_int {
    let _ = ctype;
    let data = if sz == 0 { path.cast() } else { data };
    unsupported(&[hp.cast(), path.cast(), data])
}

/// Creates a handler answering requests to `path` with a redirect to
/// `location` with `status` (0: 301). Stores it in `*hp`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_alloc_redirect(
    hp: *mut *mut nng_http_handler,
    path: *const c_char,
    status: u16,
    location: *const c_char,
) -> c_int {
    let _ = status;
    unsupported(&[hp.cast(), path.cast(), location.cast()])
}

/// Creates a handler serving the tree under directory `dir` at `path`
/// (index.html or index.htm for directories). Stores it in `*hp`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_alloc_directory(
    hp: *mut *mut nng_http_handler,
    path: *const c_char,
    dir: *const c_char,
) -> c_int {
    unsupported(&[hp.cast(), path.cast(), dir.cast()])
}

/// Sets the method the handler answers (default "GET"); NULL: any method.
/// Returns NNG_EINVAL if `h` is NULL, NNG_EBUSY while registered, NNG_ENOMEM,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_set_method(
    h: *mut nng_http_handler,
    method: *const c_char,
) -> c_int {
    let _ = method;
    unsupported(&[h.cast()])
}

/// Restricts the handler to requests whose Host header is `host` (compared
/// without case); NULL (the default): any host.
/// Returns NNG_EINVAL if `h` is NULL, NNG_EBUSY while registered, NNG_ENOMEM,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_set_host(
    h: *mut nng_http_handler,
    host: *const c_char,
) -> c_int {
    let _ = host;
    unsupported(&[h.cast()])
}

/// Has the server read request bodies (`want`) of up to `maxsz` bytes
/// (default 1 MiB; `(size_t)-1`: no limit; larger bodies get 400).
/// Returns NNG_EINVAL if `h` is NULL, NNG_ENOTSUP (no HTTP support yet).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_collect_body(
    h: *mut nng_http_handler,
    want: bool,
    maxsz: usize,
) -> c_int {
    let _ = (want, maxsz);
    unsupported(&[h.cast()])
}

/// Makes the handler answer its path and every path below it.
/// Returns NNG_EINVAL if `h` is NULL, NNG_EBUSY while registered,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_set_tree(h: *mut nng_http_handler) -> c_int {
    unsupported(&[h.cast()])
}

/// Like `nng_http_handler_set_tree`, but registering another handler under
/// the tree then fails with NNG_EADDRINUSE.
/// Returns NNG_EINVAL if `h` is NULL, NNG_EBUSY while registered,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_set_tree_exclusive(h: *mut nng_http_handler) -> c_int {
    unsupported(&[h.cast()])
}

/// Attaches user data, and an optional destructor `dtor` called with it
/// when the handler is freed.
/// Returns NNG_EINVAL if `h` is NULL, NNG_ENOTSUP (no HTTP support yet).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_http_handler_set_data(
    h: *mut nng_http_handler,
    data: *mut c_void,
    dtor: Option<unsafe extern "C" fn(*mut c_void)>,
) -> c_int {
    let _ = (data, dtor);
    unsupported(&[h.cast()])
}

/// Returns the handler's user data; NULL if none, if `h` is NULL, or until
/// HTTP is implemented.
#[no_mangle]
pub extern "C" fn nng_http_handler_get_data(h: *mut nng_http_handler) -> *mut c_void {
    let _ = h;
    std::ptr::null_mut()
}

// ---- servers ----

/// Finds the server for `url`'s address (http or https) and adds a
/// reference to it, or creates it; stores it in `*srvp`. Release it with
/// `nng_http_server_release`.
/// Returns NNG_EINVAL for a NULL argument, NNG_EADDRINVAL, NNG_ENOMEM,
/// NNG_ENOTSUP (no HTTP support yet). May block resolving the host name.
#[no_mangle]
pub extern "C" fn nng_http_server_hold(
    srvp: *mut *mut nng_http_server,
    url: *const nng_url,
) -> c_int {
    unsupported(&[srvp.cast(), url.cast()])
}

/// Drops a reference to a server; the last one stops and frees it. NULL is
/// ignored.
#[no_mangle]
pub extern "C" fn nng_http_server_release(srv: *mut nng_http_server) {
    let _ = srv;
}

/// Starts listening and serving; TLS settings are frozen from now on.
/// Returns NNG_EINVAL if `srv` is NULL, NNG_EADDRINUSE, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_start(srv: *mut nng_http_server) -> c_int {
    unsupported(&[srv.cast()])
}

/// Stops accepting connections; the server cannot be restarted. NULL is
/// ignored.
#[no_mangle]
pub extern "C" fn nng_http_server_stop(srv: *mut nng_http_server) {
    let _ = srv;
}

/// Registers a handler; the server holds a reference to it.
/// Returns NNG_EINVAL for a NULL argument, NNG_EADDRINUSE if a handler with
/// the same host, method and path exists, NNG_ENOTSUP (no HTTP support
/// yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_add_handler(
    srv: *mut nng_http_server,
    h: *mut nng_http_handler,
) -> c_int {
    unsupported(&[srv.cast(), h.cast()])
}

/// Unregisters a handler; the caller must then free it.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOENT if it was not
/// registered, NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_del_handler(
    srv: *mut nng_http_server,
    h: *mut nng_http_handler,
) -> c_int {
    unsupported(&[srv.cast(), h.cast()])
}

/// Replaces the server's TLS configuration (the server holds a reference).
/// Returns NNG_EINVAL for a NULL argument, NNG_EBUSY once started,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_set_tls(
    srv: *mut nng_http_server,
    cfg: *mut nng_http_tls_config,
) -> c_int {
    unsupported(&[srv.cast(), cfg.cast()])
}

/// Stores the server's TLS configuration (still owned by the server) in
/// `*cfgp`.
/// Returns NNG_EINVAL for a NULL argument or if the server has no TLS,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_get_tls(
    srv: *mut nng_http_server,
    cfgp: *mut *mut nng_http_tls_config,
) -> c_int {
    unsupported(&[srv.cast(), cfgp.cast()])
}

/// Stores the address the server is bound to (to learn an ephemeral port)
/// in `*addr`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOTSUP (no HTTP support
/// yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_get_addr(
    srv: *mut nng_http_server,
    addr: *mut nng_sockaddr,
) -> c_int {
    unsupported(&[srv.cast(), addr.cast()])
}

/// Sets the HTML body (copied) sent for error `status` when the server
/// generates the error or the handler returned an error response.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_set_error_page(
    srv: *mut nng_http_server,
    status: u16,
    html: *const c_char,
) -> c_int {
    let _ = status;
    unsupported(&[srv.cast(), html.cast()])
}

/// Like `nng_http_server_set_error_page`, with the body read now from the
/// file at `path`.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOENT/NNG_EPERM for file
/// errors, NNG_ENOMEM, NNG_ENOTSUP (no HTTP support yet). Reads the file
/// synchronously.
#[no_mangle]
pub extern "C" fn nng_http_server_set_error_file(
    srv: *mut nng_http_server,
    status: u16,
    path: *const c_char,
) -> c_int {
    let _ = status;
    unsupported(&[srv.cast(), path.cast()])
}

/// Replaces the body of `res` with the server's error page for the
/// response's status.
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOMEM, NNG_ENOTSUP (no HTTP
/// support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_server_res_error(
    srv: *mut nng_http_server,
    res: *mut nng_http_res,
) -> c_int {
    unsupported(&[srv.cast(), res.cast()])
}

/// Called by a handler to take the connection away from the server (e.g.
/// for a websocket upgrade); the caller then owns the connection and the
/// request and must send any reply itself.
/// Returns NNG_EINVAL if `conn` is NULL, NNG_ENOTSUP (no HTTP support yet).
/// Does not block.
#[no_mangle]
pub extern "C" fn nng_http_hijack(conn: *mut nng_http_conn) -> c_int {
    unsupported(&[conn.cast()])
}

// ---- clients ----

/// Creates a client for the server at `url` (http or https); stores it in
/// `*clip`. Free it with `nng_http_client_free`.
/// Returns NNG_EINVAL for a NULL argument, NNG_EADDRINVAL, NNG_ENOMEM,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_client_alloc(
    clip: *mut *mut nng_http_client,
    url: *const nng_url,
) -> c_int {
    unsupported(&[clip.cast(), url.cast()])
}

/// Frees a client; connections it made stay open. NULL is ignored.
#[no_mangle]
pub extern "C" fn nng_http_client_free(cli: *mut nng_http_client) {
    let _ = cli;
}

/// Replaces the client's TLS configuration (the client holds a reference).
/// Returns NNG_EINVAL for a NULL argument, NNG_ENOTSUP (no HTTP support
/// yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_client_set_tls(
    cli: *mut nng_http_client,
    cfg: *mut nng_http_tls_config,
) -> c_int {
    unsupported(&[cli.cast(), cfg.cast()])
}

/// Stores the client's TLS configuration (still owned by the client) in
/// `*cfgp`.
/// Returns NNG_EINVAL for a NULL argument or if the client has no TLS,
/// NNG_ENOTSUP (no HTTP support yet). Does not block.
#[no_mangle]
pub extern "C" fn nng_http_client_get_tls(
    cli: *mut nng_http_client,
    cfgp: *mut *mut nng_http_tls_config,
) -> c_int {
    unsupported(&[cli.cast(), cfgp.cast()])
}

/// Connects to the client's server; on success output 0 of the aio is the
/// new `nng_http_conn *` (the caller closes it). Asynchronous.
/// (Not supported yet: HTTP is not implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_client_connect(cli: *mut nng_http_client, aio: *mut nng_aio) {
    let _ = cli;
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Sends `req` on `conn` and reads the whole response, body included, into
/// `res`. The connection stays open unless a serious error occurs; close
/// it if the aio fails. Asynchronous. (Not supported yet: HTTP is not
/// implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_conn_transact(
    conn: *mut nng_http_conn,
    req: *mut nng_http_req,
    res: *mut nng_http_res,
    aio: *mut nng_aio,
) {
    let _ = (conn, req, res);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

/// Connects, sends `req`, reads the whole response into `res` and closes
/// the connection. Asynchronous. (Not supported yet: HTTP is not
/// implemented.)
///
/// # Safety
///
/// `aio` is NULL or a live aio from `nng_aio_alloc`.
#[no_mangle]
pub unsafe extern "C" fn nng_http_client_transact(
    cli: *mut nng_http_client,
    req: *mut nng_http_req,
    res: *mut nng_http_res,
    aio: *mut nng_aio,
) {
    let _ = (cli, req, res);
    // SAFETY: `aio` is NULL or a live aio (nng_aio contract).
    unsafe { super::aio::aio_not_supported(aio) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    #[test]
    fn allocators_check_out_pointer_then_report_not_supported() {
        let mut req = null_mut();
        assert_eq!(nng_http_req_alloc(&mut req, null()), Error::NotSup.code());
        assert!(req.is_null());
        assert_eq!(nng_http_req_alloc(null_mut(), null()), Error::Inval.code());
        let mut res = null_mut();
        assert_eq!(nng_http_res_alloc(&mut res), Error::NotSup.code());
        assert_eq!(
            nng_http_res_alloc_error(null_mut(), 404),
            Error::Inval.code()
        );
        let mut h = null_mut();
        assert_eq!(
            nng_http_handler_alloc(&mut h, c"/".as_ptr(), None),
            Error::Inval.code()
        );
        assert_eq!(
            nng_http_handler_alloc_static(&mut h, c"/".as_ptr(), null(), 0, null()),
            Error::NotSup.code()
        );
        assert_eq!(
            nng_http_handler_alloc_static(&mut h, c"/".as_ptr(), null(), 3, null()),
            Error::Inval.code()
        );
    }

    #[test]
    fn getters_give_null_zero_and_empty_data() {
        assert!(nng_http_req_get_method(null_mut()).is_null());
        assert!(nng_http_res_get_header(null_mut(), c"Host".as_ptr()).is_null());
        assert_eq!(nng_http_res_get_status(null_mut()), 0);
        assert!(nng_http_handler_get_data(null_mut()).is_null());
        let mut data = 1usize as *mut c_void;
        let mut len = 7usize;
        // SAFETY: both out-pointers are valid locals.
        unsafe { nng_http_res_get_data(null_mut(), &mut data, &mut len) };
        assert!(data.is_null());
        assert_eq!(len, 0);
        // SAFETY: NULL out-pointers are skipped.
        unsafe { nng_http_req_get_data(null_mut(), null_mut(), null_mut()) };
    }

    #[test]
    fn status_values_match_upstream() {
        assert_eq!(
            nng_http_status::NNG_HTTP_STATUS_STATUS_MOVED_PERMANENTLY as c_int,
            301
        );
        assert_eq!(nng_http_status::NNG_HTTP_STATUS_TEAPOT as c_int, 418);
        assert_eq!(
            nng_http_status::NNG_HTTP_STATUS_NETWORK_AUTH_REQUIRED as c_int,
            511
        );
        assert_eq!(std::mem::size_of::<nng_http_status>(), 4);
    }
}
