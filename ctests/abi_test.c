// ABI facts of nng 1.12 checked against OUR headers: sizes, alignments and
// field offsets of every public struct and union (reference ABI.md §3), the
// value of every enumerator (§4) and #define constant (§5), and the option
// name strings (§5, §7), so that a program compiled against upstream's
// headers runs unchanged on our library and vice versa.
//
// Layout and numeric checks are _Static_assert (a slip fails the build);
// strings are compared at run time. LP64 numbers (x86_64, aarch64) are only
// asserted on LP64; elsewhere the relations between types still are.
//
// Each group below can be switched off while the headers that carry it are
// still being written (1 = checked). Every group must end up enabled.
//
// nng-ctest: memcheck

#ifndef ABI_CORE // <nng/nng.h>: handles, sockaddr, iov, url, enums, numeric #defines
#define ABI_CORE 1
#endif
#ifndef ABI_SPELLING // <nng/nng.h>: upstream's enum tags and unsigned flag literals
#define ABI_SPELLING 1
#endif
#ifndef ABI_OPTIONS // <nng/nng.h>: NNG_OPT_* strings (§7.1-§7.5)
#define ABI_OPTIONS 1
#endif
#ifndef ABI_PROTOCOLS // <nng/protocol/*/*.h>: ids, names, options, open aliases (§5.2)
#define ABI_PROTOCOLS 1
#endif
#ifndef ABI_TRANSPORTS // <nng/transport/*/*.h>: ws aliases, zerotier (§4.11, §5.3)
#define ABI_TRANSPORTS 1
#endif
#ifndef ABI_IDHASH // <nng/supplemental/util/idhash.h> (§5.3)
#define ABI_IDHASH 1
#endif
#ifndef ABI_OPTPARSE // <nng/supplemental/util/options.h> (§3.8)
#define ABI_OPTPARSE 1
#endif
#ifndef ABI_TLS // <nng/supplemental/tls/{tls,engine}.h> (§3.9, §4.10)
#define ABI_TLS 1
#endif
#ifndef ABI_HTTP // <nng/supplemental/http/http.h> (§4.9)
#define ABI_HTTP 1
#endif
#ifndef ABI_COMPAT // <nng/compat/nanomsg/*.h> (§3.10, §5.4)
#define ABI_COMPAT 1
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nuts.h"

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/supplemental/http/http.h>
#include <nng/supplemental/tls/engine.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/idhash.h>
#include <nng/supplemental/util/options.h>
#include <nng/supplemental/util/platform.h>
#include <nng/transport/inproc/inproc.h>
#include <nng/transport/ipc/ipc.h>
#include <nng/transport/tcp/tcp.h>
#include <nng/transport/tls/tls.h>
#include <nng/transport/ws/websocket.h>
#include <nng/transport/zerotier/zerotier.h>

#include <nng/compat/nanomsg/bus.h>
#include <nng/compat/nanomsg/inproc.h>
#include <nng/compat/nanomsg/ipc.h>
#include <nng/compat/nanomsg/nn.h>
#include <nng/compat/nanomsg/pair.h>
#include <nng/compat/nanomsg/pipeline.h>
#include <nng/compat/nanomsg/pubsub.h>
#include <nng/compat/nanomsg/reqrep.h>
#include <nng/compat/nanomsg/survey.h>
#include <nng/compat/nanomsg/tcp.h>
#include <nng/compat/nanomsg/ws.h>

#if defined(__LP64__) || defined(_LP64)
#define ABI_LP64 1
#else
#define ABI_LP64 0
#endif

#define SIZE(T, n) _Static_assert(sizeof(T) == (n), "sizeof(" #T ") == " #n)
#define ALIGN(T, n) _Static_assert(_Alignof(T) == (n), "_Alignof(" #T ") == " #n)
#define OFFSET(T, f, off) \
	_Static_assert(offsetof(T, f) == (off), "offsetof(" #T ", " #f ") == " #off)
#define FSIZE(T, f, n) \
	_Static_assert(sizeof(((T *) 0)->f) == (n), "sizeof(" #T "." #f ") == " #n)
// Field at a fixed offset with a fixed size.
#define FIELD(T, f, off, n) \
	OFFSET(T, f, off);  \
	FSIZE(T, f, n)
#define VAL(c, v) _Static_assert((c) == (v), #c " == " #v)
#define TYPE(e, T) \
	_Static_assert(_Generic((e), T: 1, default: 0), #e " has type " #T)

// ===========================================================================
// §3.1 handles, §2 scalar typedefs and callback types.
#if ABI_CORE
#define HANDLE(T, tag)                 \
	SIZE(T, 4);                    \
	ALIGN(T, 4);                   \
	SIZE(struct tag, 4);           \
	FIELD(T, id, 0, 4);            \
	TYPE(((T *) 0)->id, uint32_t); \
	TYPE((T *) 0, struct tag *)
HANDLE(nng_socket, nng_socket_s);
HANDLE(nng_dialer, nng_dialer_s);
HANDLE(nng_listener, nng_listener_s);
HANDLE(nng_pipe, nng_pipe_s);
HANDLE(nng_ctx, nng_ctx_s);

TYPE((nng_duration) 0, int32_t);
TYPE((nng_time) 0, uint64_t);
TYPE((nng_init_parameter) 0, int);
SIZE(nng_pipe_ev, 4);
SIZE(nng_log_level, 4);
SIZE(nng_log_facility, 4);
TYPE((nng_pipe_cb) 0, void (*)(nng_pipe, nng_pipe_ev, void *));
TYPE((nng_aio_cancelfn) 0, void (*)(nng_aio *, void *, int));
TYPE((nng_logger) 0,
    void (*)(nng_log_level, nng_log_facility, const char *, const char *));

// ---------------------------------------------------------------------------
// §3.2 nng_sockaddr. Offsets hold on every ABI (only 2- and 4-byte members
// before the first 8-byte one); sizes of zt/storage/the union are LP64.
SIZE(nng_sockaddr_inproc, 130);
ALIGN(nng_sockaddr_inproc, 2);
FIELD(nng_sockaddr_inproc, sa_family, 0, 2);
FIELD(nng_sockaddr_inproc, sa_name, 2, 128);
TYPE((struct nng_sockaddr_inproc *) 0, nng_sockaddr_inproc *);

SIZE(nng_sockaddr_path, 130);
ALIGN(nng_sockaddr_path, 2);
FIELD(nng_sockaddr_path, sa_family, 0, 2);
FIELD(nng_sockaddr_path, sa_path, 2, 128);
TYPE((struct nng_sockaddr_path *) 0, nng_sockaddr_path *);
TYPE((nng_sockaddr_ipc *) 0, nng_sockaddr_path *);

SIZE(nng_sockaddr_in6, 24);
ALIGN(nng_sockaddr_in6, 4);
FIELD(nng_sockaddr_in6, sa_family, 0, 2);
FIELD(nng_sockaddr_in6, sa_port, 2, 2);
FIELD(nng_sockaddr_in6, sa_addr, 4, 16);
FIELD(nng_sockaddr_in6, sa_scope, 20, 4);
TYPE((struct nng_sockaddr_in6 *) 0, nng_sockaddr_in6 *);

SIZE(nng_sockaddr_in, 8);
ALIGN(nng_sockaddr_in, 4);
FIELD(nng_sockaddr_in, sa_family, 0, 2);
FIELD(nng_sockaddr_in, sa_port, 2, 2);
FIELD(nng_sockaddr_in, sa_addr, 4, 4);
TYPE(((nng_sockaddr_in *) 0)->sa_addr, uint32_t);
TYPE((struct nng_sockaddr_in *) 0, nng_sockaddr_in *);

FIELD(nng_sockaddr_zt, sa_family, 0, 2);
FSIZE(nng_sockaddr_zt, sa_nwid, 8);
FSIZE(nng_sockaddr_zt, sa_nodeid, 8);
FSIZE(nng_sockaddr_zt, sa_port, 4);
TYPE(((nng_sockaddr_zt *) 0)->sa_nwid, uint64_t);
TYPE((struct nng_sockaddr_zt *) 0, nng_sockaddr_zt *);

SIZE(nng_sockaddr_abstract, 112);
ALIGN(nng_sockaddr_abstract, 2);
FIELD(nng_sockaddr_abstract, sa_family, 0, 2);
FIELD(nng_sockaddr_abstract, sa_len, 2, 2);
FIELD(nng_sockaddr_abstract, sa_name, 4, 107);
TYPE((struct nng_sockaddr_abstract *) 0, nng_sockaddr_abstract *);

FIELD(nng_sockaddr_storage, sa_family, 0, 2);
FSIZE(nng_sockaddr_storage, sa_pad, 128);
TYPE((struct nng_sockaddr_storage *) 0, nng_sockaddr_storage *);

// Every member starts at 0 with the family.
FIELD(nng_sockaddr, s_family, 0, 2);
OFFSET(nng_sockaddr, s_ipc, 0);
OFFSET(nng_sockaddr, s_inproc, 0);
OFFSET(nng_sockaddr, s_in6, 0);
OFFSET(nng_sockaddr, s_in, 0);
OFFSET(nng_sockaddr, s_zt, 0);
OFFSET(nng_sockaddr, s_abstract, 0);
OFFSET(nng_sockaddr, s_storage, 0);
TYPE(((nng_sockaddr *) 0)->s_ipc, nng_sockaddr_ipc);
TYPE(((nng_sockaddr *) 0)->s_inproc, nng_sockaddr_inproc);
TYPE(((nng_sockaddr *) 0)->s_in6, nng_sockaddr_in6);
TYPE(((nng_sockaddr *) 0)->s_in, nng_sockaddr_in);
TYPE(((nng_sockaddr *) 0)->s_zt, nng_sockaddr_zt);
TYPE(((nng_sockaddr *) 0)->s_abstract, nng_sockaddr_abstract);
TYPE(((nng_sockaddr *) 0)->s_storage, nng_sockaddr_storage);
TYPE((union nng_sockaddr *) 0, nng_sockaddr *);
_Static_assert(sizeof(nng_sockaddr) == sizeof(nng_sockaddr_storage),
    "the union is as large as its storage member");
_Static_assert(_Alignof(nng_sockaddr) == _Alignof(uint64_t), "union alignment");
#if ABI_LP64
SIZE(nng_sockaddr_zt, 32);
ALIGN(nng_sockaddr_zt, 8);
OFFSET(nng_sockaddr_zt, sa_nwid, 8);
OFFSET(nng_sockaddr_zt, sa_nodeid, 16);
OFFSET(nng_sockaddr_zt, sa_port, 24);
SIZE(nng_sockaddr_storage, 136);
ALIGN(nng_sockaddr_storage, 8);
OFFSET(nng_sockaddr_storage, sa_pad, 8);
SIZE(nng_sockaddr, 136);
ALIGN(nng_sockaddr, 8);
#endif

// ---------------------------------------------------------------------------
// §3.3 nng_iov, §3.4 nng_url.
_Static_assert(sizeof(nng_iov) == 2 * sizeof(void *), "sizeof(nng_iov)");
OFFSET(nng_iov, iov_buf, 0);
OFFSET(nng_iov, iov_len, sizeof(void *));
TYPE(((nng_iov *) 0)->iov_buf, void *);
TYPE(((nng_iov *) 0)->iov_len, size_t);
TYPE((struct nng_iov *) 0, nng_iov *);

_Static_assert(sizeof(nng_url) == 10 * sizeof(char *), "sizeof(nng_url)");
#define URLF(f, i)                                   \
	OFFSET(nng_url, f, (i) * sizeof(char *)); \
	TYPE(((nng_url *) 0)->f, char *)
URLF(u_rawurl, 0);
URLF(u_scheme, 1);
URLF(u_userinfo, 2);
URLF(u_host, 3);
URLF(u_hostname, 4);
URLF(u_port, 5);
URLF(u_path, 6);
URLF(u_query, 7);
URLF(u_fragment, 8);
URLF(u_requri, 9);
TYPE((struct nng_url *) 0, nng_url *);
#if ABI_LP64
SIZE(nng_iov, 16);
SIZE(nng_url, 80);
#endif

// ---------------------------------------------------------------------------
// §4.1-§4.8 enumerations.
SIZE(enum nng_sockaddr_family, 4);
VAL(NNG_AF_UNSPEC, 0);
VAL(NNG_AF_INPROC, 1);
VAL(NNG_AF_IPC, 2);
VAL(NNG_AF_INET, 3);
VAL(NNG_AF_INET6, 4);
VAL(NNG_AF_ZT, 5);
VAL(NNG_AF_ABSTRACT, 6);

VAL(NNG_PIPE_EV_ADD_PRE, 0);
VAL(NNG_PIPE_EV_ADD_POST, 1);
VAL(NNG_PIPE_EV_REM_POST, 2);
VAL(NNG_PIPE_EV_NUM, 3);

SIZE(enum nng_errno_enum, 4);
VAL(NNG_EINTR, 1);
VAL(NNG_ENOMEM, 2);
VAL(NNG_EINVAL, 3);
VAL(NNG_EBUSY, 4);
VAL(NNG_ETIMEDOUT, 5);
VAL(NNG_ECONNREFUSED, 6);
VAL(NNG_ECLOSED, 7);
VAL(NNG_EAGAIN, 8);
VAL(NNG_ENOTSUP, 9);
VAL(NNG_EADDRINUSE, 10);
VAL(NNG_ESTATE, 11);
VAL(NNG_ENOENT, 12);
VAL(NNG_EPROTO, 13);
VAL(NNG_EUNREACHABLE, 14);
VAL(NNG_EADDRINVAL, 15);
VAL(NNG_EPERM, 16);
VAL(NNG_EMSGSIZE, 17);
VAL(NNG_ECONNABORTED, 18);
VAL(NNG_ECONNRESET, 19);
VAL(NNG_ECANCELED, 20);
VAL(NNG_ENOFILES, 21);
VAL(NNG_ENOSPC, 22);
VAL(NNG_EEXIST, 23);
VAL(NNG_EREADONLY, 24);
VAL(NNG_EWRITEONLY, 25);
VAL(NNG_ECRYPTO, 26);
VAL(NNG_EPEERAUTH, 27);
VAL(NNG_ENOARG, 28);
VAL(NNG_EAMBIGUOUS, 29);
VAL(NNG_EBADTYPE, 30);
VAL(NNG_ECONNSHUT, 31);
VAL(NNG_EINTERNAL, 1000);
VAL(NNG_ESYSERR, 0x10000000);
VAL(NNG_ETRANERR, 0x20000000);

SIZE(enum nng_stat_type_enum, 4);
VAL(NNG_STAT_SCOPE, 0);
VAL(NNG_STAT_LEVEL, 1);
VAL(NNG_STAT_COUNTER, 2);
VAL(NNG_STAT_STRING, 3);
VAL(NNG_STAT_BOOLEAN, 4);
VAL(NNG_STAT_ID, 5);

SIZE(enum nng_unit_enum, 4);
VAL(NNG_UNIT_NONE, 0);
VAL(NNG_UNIT_BYTES, 1);
VAL(NNG_UNIT_MESSAGES, 2);
VAL(NNG_UNIT_MILLIS, 3);
VAL(NNG_UNIT_EVENTS, 4);

VAL(NNG_LOG_NONE, 0);
VAL(NNG_LOG_ERR, 3);
VAL(NNG_LOG_WARN, 4);
VAL(NNG_LOG_NOTICE, 5);
VAL(NNG_LOG_INFO, 6);
VAL(NNG_LOG_DEBUG, 7);

VAL(NNG_LOG_USER, 1);
VAL(NNG_LOG_DAEMON, 3);
VAL(NNG_LOG_AUTH, 10);
VAL(NNG_LOG_LOCAL0, 16);
VAL(NNG_LOG_LOCAL1, 17);
VAL(NNG_LOG_LOCAL2, 18);
VAL(NNG_LOG_LOCAL3, 19);
VAL(NNG_LOG_LOCAL4, 20);
VAL(NNG_LOG_LOCAL5, 21);
VAL(NNG_LOG_LOCAL6, 22);
VAL(NNG_LOG_LOCAL7, 23);

VAL(NNG_INIT_PARAMETER_NONE, 0);
VAL(NNG_INIT_NUM_TASK_THREADS, 1);
VAL(NNG_INIT_NUM_EXPIRE_THREADS, 2);
VAL(NNG_INIT_NUM_POLLER_THREADS, 3);
VAL(NNG_INIT_NUM_RESOLVER_THREADS, 4);
VAL(NNG_INIT_MAX_TASK_THREADS, 5);
VAL(NNG_INIT_MAX_EXPIRE_THREADS, 6);
VAL(NNG_INIT_MAX_POLLER_THREADS, 7);

// ---------------------------------------------------------------------------
// §1, §5.1 numeric #defines of <nng/nng.h>.
VAL(NNG_MAJOR_VERSION, 1);
VAL(NNG_MINOR_VERSION, 12);
VAL(NNG_PATCH_VERSION, 0);
VAL(NNG_MAXADDRLEN, 128);
VAL(NNG_MAXADDRSTRLEN, 144);
VAL(NNG_MAXADDRSTRLEN, NNG_MAXADDRLEN + 16);
VAL(NNG_FLAG_ALLOC, 1u);
VAL(NNG_FLAG_NONBLOCK, 2u);
VAL(NNG_DURATION_INFINITE, -1);
VAL(NNG_DURATION_DEFAULT, -2);
VAL(NNG_DURATION_ZERO, 0);
// Upstream's body names x and y instead of its parameters (ABI.md A2); ours works.
VAL(NNG_PROTOCOL_NUMBER(3, 0), 48);
VAL(NNG_PROTOCOL_NUMBER(6, 3), 99);
// The version and suffix macros are usable in #if and string concatenation.
#if NNG_MAJOR_VERSION != 1 || NNG_MINOR_VERSION < 5
#error "version macros unusable in #if"
#endif
_Static_assert(sizeof("" NNG_RELEASE_SUFFIX) == 1, "release suffix is empty");
#endif // ABI_CORE

// ===========================================================================
// Spelling: the names a C program may write besides the typedefs.
#if ABI_SPELLING
SIZE(enum nng_log_level, 4);
SIZE(enum nng_log_facility, 4);
TYPE((enum nng_log_level) 0, nng_log_level);
TYPE((enum nng_log_facility) 0, nng_log_facility);
// 1u and 2u: unsigned, so flag arithmetic does not mix signedness.
_Static_assert((NNG_FLAG_ALLOC - 2) > 0, "NNG_FLAG_ALLOC is unsigned");
_Static_assert((NNG_FLAG_NONBLOCK - 3) > 0, "NNG_FLAG_NONBLOCK is unsigned");
#endif

// ===========================================================================
// §5.2 protocol headers.
#if ABI_PROTOCOLS
VAL(NNG_BUS0_SELF, 0x70);
VAL(NNG_BUS0_PEER, 0x70);
VAL(NNG_PAIR1_SELF, 0x11);
VAL(NNG_PAIR1_PEER, 0x11);
VAL(NNG_REQ0_SELF, 0x30);
VAL(NNG_REQ0_PEER, 0x31);
VAL(NNG_REP0_SELF, 0x31);
VAL(NNG_REP0_PEER, 0x30);
VAL(NNG_SURVEYOR0_SELF, 0x62);
VAL(NNG_SURVEYOR0_PEER, 0x63);
VAL(NNG_RESPONDENT0_SELF, 0x63);
VAL(NNG_RESPONDENT0_PEER, 0x62);
#endif

// ===========================================================================
// §4.11 ZeroTier status.
#if ABI_TRANSPORTS
SIZE(enum nng_zt_status, 4);
VAL(NNG_ZT_STATUS_UP, 0);
VAL(NNG_ZT_STATUS_CONFIG, 1);
VAL(NNG_ZT_STATUS_DENIED, 2);
VAL(NNG_ZT_STATUS_NOTFOUND, 3);
VAL(NNG_ZT_STATUS_ERROR, 4);
VAL(NNG_ZT_STATUS_OBSOLETE, 5);
VAL(NNG_ZT_STATUS_UNKNOWN, 6);
#endif

// ===========================================================================
// §5.3 idhash.
#if ABI_IDHASH
VAL(NNG_MAP_RANDOM, 1);
TYPE((struct nng_id_map_s *) 0, nng_id_map *);
#endif

// ===========================================================================
// §3.8 nng_optspec.
#if ABI_OPTPARSE
FIELD(nng_optspec, o_short, sizeof(void *), 4);
FIELD(nng_optspec, o_val, sizeof(void *) + 4, 4);
FIELD(nng_optspec, o_arg, sizeof(void *) + 8, 1);
OFFSET(nng_optspec, o_name, 0);
TYPE(((nng_optspec *) 0)->o_name, const char *);
TYPE(((nng_optspec *) 0)->o_short, int);
TYPE(((nng_optspec *) 0)->o_val, int);
TYPE(((nng_optspec *) 0)->o_arg, bool);
TYPE((struct nng_optspec *) 0, nng_optspec *);
#if ABI_LP64
SIZE(nng_optspec, 24);
ALIGN(nng_optspec, 8);
#endif
#endif

// ===========================================================================
// §3.9, §4.10 TLS.
#if ABI_TLS
SIZE(nng_tls_mode, 4);
SIZE(nng_tls_auth_mode, 4);
SIZE(nng_tls_version, 4);
SIZE(nng_tls_engine_version, 4);
TYPE((enum nng_tls_mode) 0, nng_tls_mode);
TYPE((enum nng_tls_auth_mode) 0, nng_tls_auth_mode);
TYPE((enum nng_tls_version) 0, nng_tls_version);
TYPE((enum nng_tls_engine_version_e) 0, nng_tls_engine_version);
VAL(NNG_TLS_MODE_CLIENT, 0);
VAL(NNG_TLS_MODE_SERVER, 1);
VAL(NNG_TLS_AUTH_MODE_NONE, 0);
VAL(NNG_TLS_AUTH_MODE_OPTIONAL, 1);
VAL(NNG_TLS_AUTH_MODE_REQUIRED, 2);
VAL(NNG_TLS_1_0, 0x301);
VAL(NNG_TLS_1_1, 0x302);
VAL(NNG_TLS_1_2, 0x303);
VAL(NNG_TLS_1_3, 0x304);
VAL(NNG_TLS_ENGINE_V0, 0);
VAL(NNG_TLS_ENGINE_V1, 1);
VAL(NNG_TLS_ENGINE_V2, 2);
VAL(NNG_TLS_ENGINE_VERSION, 2);

#define P sizeof(void *)
typedef nng_tls_engine_conn_ops   conn_ops;
typedef nng_tls_engine_config_ops cfg_ops;
typedef nng_tls_engine_conn       tconn;
typedef nng_tls_engine_config     tcfg;
TYPE((struct nng_tls_engine_conn_ops_s *) 0, conn_ops *);
SIZE(conn_ops, 10 * P);
FIELD(conn_ops, size, 0, sizeof(size_t));
OFFSET(conn_ops, init, 1 * P);
OFFSET(conn_ops, fini, 2 * P);
OFFSET(conn_ops, close, 3 * P);
OFFSET(conn_ops, handshake, 4 * P);
OFFSET(conn_ops, recv, 5 * P);
OFFSET(conn_ops, send, 6 * P);
OFFSET(conn_ops, verified, 7 * P);
OFFSET(conn_ops, peer_cn, 8 * P);
OFFSET(conn_ops, peer_alt_names, 9 * P);
TYPE(((conn_ops *) 0)->size, size_t);
TYPE(((conn_ops *) 0)->init, int (*)(tconn *, void *, tcfg *));
TYPE(((conn_ops *) 0)->fini, void (*)(tconn *));
TYPE(((conn_ops *) 0)->close, void (*)(tconn *));
TYPE(((conn_ops *) 0)->handshake, int (*)(tconn *));
TYPE(((conn_ops *) 0)->recv, int (*)(tconn *, uint8_t *, size_t *));
TYPE(((conn_ops *) 0)->send, int (*)(tconn *, const uint8_t *, size_t *));
TYPE(((conn_ops *) 0)->verified, bool (*)(tconn *));
TYPE(((conn_ops *) 0)->peer_cn, char *(*) (tconn *));
TYPE(((conn_ops *) 0)->peer_alt_names, char **(*) (tconn *));

TYPE((struct nng_tls_engine_config_ops_s *) 0, cfg_ops *);
SIZE(cfg_ops, 9 * P);
FIELD(cfg_ops, size, 0, sizeof(size_t));
OFFSET(cfg_ops, init, 1 * P);
OFFSET(cfg_ops, fini, 2 * P);
OFFSET(cfg_ops, server, 3 * P);
OFFSET(cfg_ops, auth, 4 * P);
OFFSET(cfg_ops, ca_chain, 5 * P);
OFFSET(cfg_ops, own_cert, 6 * P);
OFFSET(cfg_ops, psk, 7 * P);
OFFSET(cfg_ops, version, 8 * P);
TYPE(((cfg_ops *) 0)->size, size_t);
TYPE(((cfg_ops *) 0)->init, int (*)(tcfg *, nng_tls_mode));
TYPE(((cfg_ops *) 0)->fini, void (*)(tcfg *));
TYPE(((cfg_ops *) 0)->server, int (*)(tcfg *, const char *));
TYPE(((cfg_ops *) 0)->auth, int (*)(tcfg *, nng_tls_auth_mode));
TYPE(((cfg_ops *) 0)->ca_chain, int (*)(tcfg *, const char *, const char *));
TYPE(((cfg_ops *) 0)->own_cert,
    int (*)(tcfg *, const char *, const char *, const char *));
TYPE(((cfg_ops *) 0)->psk,
    int (*)(tcfg *, const char *, const uint8_t *, size_t));
TYPE(((cfg_ops *) 0)->version,
    int (*)(tcfg *, nng_tls_version, nng_tls_version));

TYPE((struct nng_tls_engine_s *) 0, nng_tls_engine *);
FIELD(nng_tls_engine, version, 0, 4);
OFFSET(nng_tls_engine, config_ops, 1 * P);
OFFSET(nng_tls_engine, conn_ops, 2 * P);
OFFSET(nng_tls_engine, name, 3 * P);
OFFSET(nng_tls_engine, description, 4 * P);
FIELD(nng_tls_engine, fips_mode, 5 * P, 1);
SIZE(nng_tls_engine, 6 * P);
TYPE(((nng_tls_engine *) 0)->version, nng_tls_engine_version);
TYPE(((nng_tls_engine *) 0)->config_ops, cfg_ops *);
TYPE(((nng_tls_engine *) 0)->conn_ops, conn_ops *);
TYPE(((nng_tls_engine *) 0)->name, const char *);
TYPE(((nng_tls_engine *) 0)->description, const char *);
TYPE(((nng_tls_engine *) 0)->fips_mode, bool);
#if ABI_LP64
SIZE(conn_ops, 80);
SIZE(cfg_ops, 72);
OFFSET(cfg_ops, version, 64);
SIZE(nng_tls_engine, 48);
OFFSET(nng_tls_engine, fips_mode, 40);
#endif
#undef P
#endif // ABI_TLS

// ===========================================================================
// §4.9 HTTP status codes.
#if ABI_HTTP
SIZE(enum nng_http_status, 4);
VAL(NNG_HTTP_STATUS_CONTINUE, 100);
VAL(NNG_HTTP_STATUS_SWITCHING, 101);
VAL(NNG_HTTP_STATUS_PROCESSING, 102);
VAL(NNG_HTTP_STATUS_OK, 200);
VAL(NNG_HTTP_STATUS_CREATED, 201);
VAL(NNG_HTTP_STATUS_ACCEPTED, 202);
VAL(NNG_HTTP_STATUS_NOT_AUTHORITATIVE, 203);
VAL(NNG_HTTP_STATUS_NO_CONTENT, 204);
VAL(NNG_HTTP_STATUS_RESET_CONTENT, 205);
VAL(NNG_HTTP_STATUS_PARTIAL_CONTENT, 206);
VAL(NNG_HTTP_STATUS_MULTI_STATUS, 207);
VAL(NNG_HTTP_STATUS_ALREADY_REPORTED, 208);
VAL(NNG_HTTP_STATUS_IM_USED, 226);
VAL(NNG_HTTP_STATUS_MULTIPLE_CHOICES, 300);
VAL(NNG_HTTP_STATUS_STATUS_MOVED_PERMANENTLY, 301); // sic
VAL(NNG_HTTP_STATUS_FOUND, 302);
VAL(NNG_HTTP_STATUS_SEE_OTHER, 303);
VAL(NNG_HTTP_STATUS_NOT_MODIFIED, 304);
VAL(NNG_HTTP_STATUS_USE_PROXY, 305);
VAL(NNG_HTTP_STATUS_TEMPORARY_REDIRECT, 307);
VAL(NNG_HTTP_STATUS_PERMANENT_REDIRECT, 308);
VAL(NNG_HTTP_STATUS_BAD_REQUEST, 400);
VAL(NNG_HTTP_STATUS_UNAUTHORIZED, 401);
VAL(NNG_HTTP_STATUS_PAYMENT_REQUIRED, 402);
VAL(NNG_HTTP_STATUS_FORBIDDEN, 403);
VAL(NNG_HTTP_STATUS_NOT_FOUND, 404);
VAL(NNG_HTTP_STATUS_METHOD_NOT_ALLOWED, 405);
VAL(NNG_HTTP_STATUS_NOT_ACCEPTABLE, 406);
VAL(NNG_HTTP_STATUS_PROXY_AUTH_REQUIRED, 407);
VAL(NNG_HTTP_STATUS_REQUEST_TIMEOUT, 408);
VAL(NNG_HTTP_STATUS_CONFLICT, 409);
VAL(NNG_HTTP_STATUS_GONE, 410);
VAL(NNG_HTTP_STATUS_LENGTH_REQUIRED, 411);
VAL(NNG_HTTP_STATUS_PRECONDITION_FAILED, 412);
VAL(NNG_HTTP_STATUS_PAYLOAD_TOO_LARGE, 413);
VAL(NNG_HTTP_STATUS_ENTITY_TOO_LONG, 414);
VAL(NNG_HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE, 415);
VAL(NNG_HTTP_STATUS_RANGE_NOT_SATISFIABLE, 416);
VAL(NNG_HTTP_STATUS_EXPECTATION_FAILED, 417);
VAL(NNG_HTTP_STATUS_TEAPOT, 418);
VAL(NNG_HTTP_STATUS_UNPROCESSABLE_ENTITY, 422);
VAL(NNG_HTTP_STATUS_LOCKED, 423);
VAL(NNG_HTTP_STATUS_FAILED_DEPENDENCY, 424);
VAL(NNG_HTTP_STATUS_UPGRADE_REQUIRED, 426);
VAL(NNG_HTTP_STATUS_PRECONDITION_REQUIRED, 428);
VAL(NNG_HTTP_STATUS_TOO_MANY_REQUESTS, 429);
VAL(NNG_HTTP_STATUS_HEADERS_TOO_LARGE, 431);
VAL(NNG_HTTP_STATUS_UNAVAIL_LEGAL_REASONS, 451);
VAL(NNG_HTTP_STATUS_INTERNAL_SERVER_ERROR, 500);
VAL(NNG_HTTP_STATUS_NOT_IMPLEMENTED, 501);
VAL(NNG_HTTP_STATUS_BAD_GATEWAY, 502);
VAL(NNG_HTTP_STATUS_SERVICE_UNAVAILABLE, 503);
VAL(NNG_HTTP_STATUS_GATEWAY_TIMEOUT, 504);
VAL(NNG_HTTP_STATUS_HTTP_VERSION_NOT_SUPP, 505);
VAL(NNG_HTTP_STATUS_VARIANT_ALSO_NEGOTIATES, 506);
VAL(NNG_HTTP_STATUS_INSUFFICIENT_STORAGE, 507);
VAL(NNG_HTTP_STATUS_LOOP_DETECTED, 508);
VAL(NNG_HTTP_STATUS_NOT_EXTENDED, 510);
VAL(NNG_HTTP_STATUS_NETWORK_AUTH_REQUIRED, 511);
#endif // ABI_HTTP

// ===========================================================================
// §3.10, §5.4 nanomsg compatibility.
#if ABI_COMPAT
SIZE(struct nn_pollfd, 8);
FIELD(struct nn_pollfd, fd, 0, 4);
FIELD(struct nn_pollfd, events, 4, 2);
FIELD(struct nn_pollfd, revents, 6, 2);
TYPE(((struct nn_pollfd *) 0)->events, uint16_t);

SIZE(struct nn_iovec, 2 * sizeof(void *));
OFFSET(struct nn_iovec, iov_base, 0);
OFFSET(struct nn_iovec, iov_len, sizeof(void *));
TYPE(((struct nn_iovec *) 0)->iov_base, void *);
TYPE(((struct nn_iovec *) 0)->iov_len, size_t);

OFFSET(struct nn_msghdr, msg_iov, 0);
OFFSET(struct nn_msghdr, msg_iovlen, sizeof(void *));
TYPE(((struct nn_msghdr *) 0)->msg_iov, struct nn_iovec *);
TYPE(((struct nn_msghdr *) 0)->msg_iovlen, int);
TYPE(((struct nn_msghdr *) 0)->msg_control, void *);
TYPE(((struct nn_msghdr *) 0)->msg_controllen, size_t);

OFFSET(struct nn_cmsghdr, cmsg_len, 0);
OFFSET(struct nn_cmsghdr, cmsg_level, sizeof(size_t));
OFFSET(struct nn_cmsghdr, cmsg_type, sizeof(size_t) + 4);
TYPE(((struct nn_cmsghdr *) 0)->cmsg_len, size_t);
TYPE(((struct nn_cmsghdr *) 0)->cmsg_level, int);
TYPE(((struct nn_cmsghdr *) 0)->cmsg_type, int);
#if ABI_LP64
SIZE(struct nn_iovec, 16);
SIZE(struct nn_msghdr, 32);
OFFSET(struct nn_msghdr, msg_control, 16);
OFFSET(struct nn_msghdr, msg_controllen, 24);
SIZE(struct nn_cmsghdr, 16);
VAL(NN_CMSG_SPACE(4), 24);
VAL(NN_CMSG_LEN(4), 20);
VAL(NN_CMSG_ALIGN(1), 8);
VAL(NN_CMSG_ALIGN(8), 8);
VAL(NN_CMSG_ALIGN(9), 16);
#endif

VAL(AF_SP, 1);
VAL(AF_SP_RAW, 2);
VAL(NN_SOCKADDR_MAX, 128);
VAL(NN_SOL_SOCKET, 0);
VAL(NN_DONTWAIT, 1);
VAL(PROTO_SP, 1);
VAL(SP_HDR, 1);
VAL(NN_ERRBASE, 0x10000000);
VAL(NN_LINGER, 1);
VAL(NN_SNDBUF, 2);
VAL(NN_RCVBUF, 3);
VAL(NN_SNDTIMEO, 4);
VAL(NN_RCVTIMEO, 5);
VAL(NN_RECONNECT_IVL, 6);
VAL(NN_RECONNECT_IVL_MAX, 7);
VAL(NN_SNDPRIO, 8);
VAL(NN_RCVPRIO, 9);
VAL(NN_SNDFD, 10);
VAL(NN_RCVFD, 11);
VAL(NN_DOMAIN, 12);
VAL(NN_PROTOCOL, 13);
VAL(NN_IPV4ONLY, 14);
VAL(NN_SOCKET_NAME, 15);
VAL(NN_RCVMAXSIZE, 16);
VAL(NN_MAXTTL, 17);
VAL(NN_POLLIN, 1);
VAL(NN_POLLOUT, 2);
VAL(NN_MSG, (size_t) -1);
TYPE(NN_MSG, size_t);
// errno fallbacks nn.h defines where the system lacks them; on Linux the
// system has all but these three (ESOCKNOSPPORT is upstream's spelling).
#ifdef __linux__
VAL(ESOCKNOSPPORT, NN_ERRBASE + 28);
VAL(ETERM, NN_ERRBASE + 29);
VAL(EFSM, NN_ERRBASE + 30);
#endif

VAL(NN_PROTO_BUS, 7);
VAL(NN_BUS, 112);
VAL(NN_INPROC, -1);
VAL(NN_IPC, -2);
VAL(NN_IPC_SEC_ATTR, 1);
VAL(NN_IPC_OUTBUFSZ, 2);
VAL(NN_IPC_INBUFSZ, 3);
VAL(NN_PROTO_PAIR, 1);
VAL(NN_PAIR, 16);
VAL(NN_PAIR_v0, 16); // sic
VAL(NN_PAIR_V1, 17);
VAL(NN_PROTO_PIPELINE, 5);
VAL(NN_PUSH, 80);
VAL(NN_PULL, 81);
VAL(NN_PROTO_PUBSUB, 2);
VAL(NN_PUB, 32);
VAL(NN_SUB, 33);
VAL(NN_SUB_SUBSCRIBE, 529);
VAL(NN_SUB_UNSUBSCRIBE, 530);
VAL(NN_PROTO_REQREP, 3);
VAL(NN_REQ, 48);
VAL(NN_REP, 49);
VAL(NN_REQ_RESEND_IVL, 769);
VAL(NN_PROTO_SURVEY, 6);
VAL(NN_SURVEYOR, 98);
VAL(NN_RESPONDENT, 99);
VAL(NN_SURVEYOR_DEADLINE, 1569);
VAL(NN_TCP, -3);
VAL(NN_TCP_NODELAY, 1);
VAL(NN_WS, -4);
VAL(NN_WS_MSG_TYPE, 1);
VAL(NN_WS_MSG_TYPE_TEXT, 0x1);
VAL(NN_WS_MSG_TYPE_BINARY, 0x2);
#endif // ABI_COMPAT

// ===========================================================================
// Run-time checks: strings.

// A string macro and the value it must expand to. `"" m` compiles only if the
// macro is a string literal.
typedef struct {
	const char *macro;
	const char *got;
	const char *want;
} abi_str;
#define S(m, want) { #m, "" m, want }

static void
check_strings(const abi_str *t, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].got, t[i].want) != 0) {
			fprintf(stderr, "%s is \"%s\", expected \"%s\"\n",
			    t[i].macro, t[i].got, t[i].want);
			bad++;
		}
	}
	NUTS_EQ(bad, 0);
}
#define CHECK_STRINGS(t) check_strings(t, sizeof(t) / sizeof(t[0]))

#define XSTR_(x) #x
#define XSTR(x) XSTR_(x)

#if ABI_CORE
static void
test_version(void)
{
	char want[32];
	snprintf(want, sizeof(want), "%d.%d.%d%s", NNG_MAJOR_VERSION,
	    NNG_MINOR_VERSION, NNG_PATCH_VERSION, NNG_RELEASE_SUFFIX);
	NUTS_MATCH(want, "1.12.0");
	NUTS_MATCH(nng_version(), want);
	static const abi_str suffix[] = { S(NNG_RELEASE_SUFFIX, "") };
	CHECK_STRINGS(suffix);
	// A static string: the same pointer every time.
	NUTS_TRUE(nng_version() == nng_version());
}
#endif

#if ABI_CORE
static void
test_initializers(void)
{
	nng_socket   s = NNG_SOCKET_INITIALIZER;
	nng_dialer   d = NNG_DIALER_INITIALIZER;
	nng_listener l = NNG_LISTENER_INITIALIZER;
	nng_pipe     p = NNG_PIPE_INITIALIZER;
	nng_ctx      c = NNG_CTX_INITIALIZER;
	NUTS_EQ(s.id, 0);
	NUTS_EQ(d.id, 0);
	NUTS_EQ(l.id, 0);
	NUTS_EQ(p.id, 0);
	NUTS_EQ(c.id, 0);

	// The union's members overlay: the family is shared.
	nng_sockaddr sa;
	memset(&sa, 0, sizeof(sa));
	sa.s_in6.sa_family = NNG_AF_INET6;
	NUTS_EQ(sa.s_family, NNG_AF_INET6);
	NUTS_EQ(sa.s_storage.sa_family, NNG_AF_INET6);
}
#endif

#if ABI_OPTIONS
static void
test_option_names(void)
{
	static const abi_str names[] = {
		// §7.1 generic socket options
		S(NNG_OPT_SOCKNAME, "socket-name"),
		S(NNG_OPT_RAW, "raw"),
		S(NNG_OPT_PROTO, "protocol"),
		S(NNG_OPT_PROTONAME, "protocol-name"),
		S(NNG_OPT_PEER, "peer"),
		S(NNG_OPT_PEERNAME, "peer-name"),
		S(NNG_OPT_RECVTIMEO, "recv-timeout"),
		S(NNG_OPT_SENDTIMEO, "send-timeout"),
		S(NNG_OPT_RECVBUF, "recv-buffer"),
		S(NNG_OPT_SENDBUF, "send-buffer"),
		S(NNG_OPT_RECVFD, "recv-fd"),
		S(NNG_OPT_SENDFD, "send-fd"),
		S(NNG_OPT_MAXTTL, "ttl-max"),
		// §7.2 endpoint options
		S(NNG_OPT_RECONNMINT, "reconnect-time-min"),
		S(NNG_OPT_RECONNMAXT, "reconnect-time-max"),
		S(NNG_OPT_RECVMAXSZ, "recv-size-max"),
		S(NNG_OPT_TCP_NODELAY, "tcp-nodelay"),
		S(NNG_OPT_TCP_KEEPALIVE, "tcp-keepalive"),
		S(NNG_OPT_TLS_CONFIG, "tls-config"),
		S(NNG_OPT_TLS_AUTH_MODE, "tls-authmode"),
		S(NNG_OPT_TLS_CA_FILE, "tls-ca-file"),
		S(NNG_OPT_TLS_CERT_KEY_FILE, "tls-cert-key-file"),
		S(NNG_OPT_TLS_SERVER_NAME, "tls-server-name"),
		S(NNG_OPT_IPC_PERMISSIONS, "ipc:permissions"),
		S(NNG_OPT_IPC_SECURITY_DESCRIPTOR, "ipc:security-descriptor"),
		// §7.3 address and identity options
		S(NNG_OPT_URL, "url"),
		S(NNG_OPT_LOCADDR, "local-address"),
		S(NNG_OPT_REMADDR, "remote-address"),
		S(NNG_OPT_TCP_BOUND_PORT, "tcp-bound-port"),
		S(NNG_OPT_PEER_UID, "ipc:peer-uid"),
		S(NNG_OPT_PEER_GID, "ipc:peer-gid"),
		S(NNG_OPT_PEER_PID, "ipc:peer-pid"),
		S(NNG_OPT_PEER_ZONEID, "ipc:peer-zoneid"),
		S(NNG_OPT_IPC_PEER_UID, "ipc:peer-uid"),
		S(NNG_OPT_IPC_PEER_GID, "ipc:peer-gid"),
		S(NNG_OPT_IPC_PEER_PID, "ipc:peer-pid"),
		S(NNG_OPT_IPC_PEER_ZONEID, "ipc:peer-zoneid"),
		S(NNG_OPT_TLS_VERIFIED, "tls-verified"),
		S(NNG_OPT_TLS_PEER_CN, "tls-peer-cn"),
		S(NNG_OPT_TLS_PEER_ALT_NAMES, "tls-peer-alt-names"),
		S(NNG_OPT_SOCKET_FD, "socket:fd"),
		// §7.5 WebSocket options (declared in nng.h)
		S(NNG_OPT_WS_PROTOCOL, "ws:protocol"),
		S(NNG_OPT_WS_SENDMAXFRAME, "ws:txframe-max"),
		S(NNG_OPT_WS_RECVMAXFRAME, "ws:rxframe-max"),
		S(NNG_OPT_WS_REQUEST_HEADERS, "ws:request-headers"),
		S(NNG_OPT_WS_RESPONSE_HEADERS, "ws:response-headers"),
		S(NNG_OPT_WS_REQUEST_HEADER, "ws:request-header:"),
		S(NNG_OPT_WS_RESPONSE_HEADER, "ws:response-header:"),
		S(NNG_OPT_WS_REQUEST_URI, "ws:request-uri"),
		S(NNG_OPT_WS_SEND_TEXT, "ws:send-text"),
		S(NNG_OPT_WS_RECV_TEXT, "ws:recv-text"),
	};
	CHECK_STRINGS(names);
}
#endif

#if ABI_PROTOCOLS
static void
test_protocol_names(void)
{
	static const abi_str names[] = {
		S(NNG_BUS0_SELF_NAME, "bus"),
		S(NNG_BUS0_PEER_NAME, "bus"),
		S(NNG_PAIR1_SELF_NAME, "pair1"),
		S(NNG_PAIR1_PEER_NAME, "pair1"),
		S(NNG_REQ0_SELF_NAME, "req"),
		S(NNG_REQ0_PEER_NAME, "rep"),
		S(NNG_REP0_SELF_NAME, "rep"),
		S(NNG_REP0_PEER_NAME, "req"),
		S(NNG_SURVEYOR0_SELF_NAME, "surveyor"),
		S(NNG_SURVEYOR0_PEER_NAME, "respondent"),
		S(NNG_RESPONDENT0_SELF_NAME, "respondent"),
		S(NNG_RESPONDENT0_PEER_NAME, "surveyor"),
		S(NNG_OPT_PAIR1_POLY, "pair1:polyamorous"),
		S(NNG_OPT_SUB_SUBSCRIBE, "sub:subscribe"),
		S(NNG_OPT_SUB_UNSUBSCRIBE, "sub:unsubscribe"),
		S(NNG_OPT_SUB_PREFNEW, "sub:prefnew"),
		S(NNG_OPT_REQ_RESENDTIME, "req:resend-time"),
		S(NNG_OPT_REQ_RESENDTICK, "req:resend-tick"),
		S(NNG_OPT_SURVEYOR_SURVEYTIME, "surveyor:survey-time"),
	};
	CHECK_STRINGS(names);

	// The version-less open names are macros for the versioned functions.
	// pair0/pair.h is not included here: both pair headers define
	// nng_pair_open, the first one included wins (checked in pair1 terms).
	static const abi_str aliases[] = {
		{ "nng_bus_open", XSTR(nng_bus_open), "nng_bus0_open" },
		{ "nng_bus_open_raw", XSTR(nng_bus_open_raw),
		    "nng_bus0_open_raw" },
		{ "nng_pair_open", XSTR(nng_pair_open), "nng_pair1_open" },
		{ "nng_pair_open_raw", XSTR(nng_pair_open_raw),
		    "nng_pair1_open_raw" },
		{ "nng_pub_open", XSTR(nng_pub_open), "nng_pub0_open" },
		{ "nng_pub_open_raw", XSTR(nng_pub_open_raw),
		    "nng_pub0_open_raw" },
		{ "nng_sub_open", XSTR(nng_sub_open), "nng_sub0_open" },
		{ "nng_sub_open_raw", XSTR(nng_sub_open_raw),
		    "nng_sub0_open_raw" },
		{ "nng_push_open", XSTR(nng_push_open), "nng_push0_open" },
		{ "nng_push_open_raw", XSTR(nng_push_open_raw),
		    "nng_push0_open_raw" },
		{ "nng_pull_open", XSTR(nng_pull_open), "nng_pull0_open" },
		{ "nng_pull_open_raw", XSTR(nng_pull_open_raw),
		    "nng_pull0_open_raw" },
		{ "nng_req_open", XSTR(nng_req_open), "nng_req0_open" },
		{ "nng_req_open_raw", XSTR(nng_req_open_raw),
		    "nng_req0_open_raw" },
		{ "nng_rep_open", XSTR(nng_rep_open), "nng_rep0_open" },
		{ "nng_rep_open_raw", XSTR(nng_rep_open_raw),
		    "nng_rep0_open_raw" },
		{ "nng_surveyor_open", XSTR(nng_surveyor_open),
		    "nng_surveyor0_open" },
		{ "nng_surveyor_open_raw", XSTR(nng_surveyor_open_raw),
		    "nng_surveyor0_open_raw" },
		{ "nng_respondent_open", XSTR(nng_respondent_open),
		    "nng_respondent0_open" },
		{ "nng_respondent_open_raw", XSTR(nng_respondent_open_raw),
		    "nng_respondent0_open_raw" },
	};
	CHECK_STRINGS(aliases);
}
#endif

#if ABI_TRANSPORTS
static void
test_transport_names(void)
{
	static const abi_str names[] = {
		S(NNG_OPT_WSS_REQUEST_HEADERS, "ws:request-headers"),
		S(NNG_OPT_WSS_RESPONSE_HEADERS, "ws:response-headers"),
		S(NNG_OPT_ZT_HOME, "zt:home"),
		S(NNG_OPT_ZT_NWID, "zt:nwid"),
		S(NNG_OPT_ZT_NODE, "zt:node"),
		S(NNG_OPT_ZT_NETWORK_STATUS, "zt:network-status"),
		S(NNG_OPT_ZT_NETWORK_NAME, "zt:network-name"),
		S(NNG_OPT_ZT_PING_TIME, "zt:ping-time"),
		S(NNG_OPT_ZT_PING_TRIES, "zt:ping-tries"),
		S(NNG_OPT_ZT_CONN_TIME, "zt:conn-time"),
		S(NNG_OPT_ZT_CONN_TRIES, "zt:conn-tries"),
		S(NNG_OPT_ZT_MTU, "zt:mtu"),
		S(NNG_OPT_ZT_ORBIT, "zt:orbit"),
		S(NNG_OPT_ZT_DEORBIT, "zt:deorbit"),
		S(NNG_OPT_ZT_ADD_LOCAL_ADDR, "zt:add-local-addr"),
		S(NNG_OPT_ZT_CLEAR_LOCAL_ADDRS, "zt:clear-local-addrs"),
	};
	CHECK_STRINGS(names);
}
#endif

#if ABI_COMPAT
static void
test_compat_cmsg(void)
{
	// The data follows the header directly; SPACE/LEN round as nanomsg does.
	struct nn_cmsghdr hdr[4];
	memset(hdr, 0, sizeof(hdr));
	NUTS_TRUE(NN_CMSG_DATA(&hdr[0]) == (unsigned char *) &hdr[1]);
	NUTS_EQ(NN_CMSG_LEN(0), NN_CMSG_ALIGN(sizeof(struct nn_cmsghdr)));
	NUTS_EQ(NN_CMSG_SPACE(0), NN_CMSG_ALIGN(sizeof(struct nn_cmsghdr)));
	NUTS_EQ(NN_CMSG_SPACE(1), NN_CMSG_LEN(0) + sizeof(size_t));
}
#endif

NUTS_TESTS = {
#if ABI_CORE
	{ "abi version", test_version },
	{ "abi initializers", test_initializers },
#endif
#if ABI_OPTIONS
	{ "abi option names", test_option_names },
#endif
#if ABI_PROTOCOLS
	{ "abi protocol names", test_protocol_names },
#endif
#if ABI_TRANSPORTS
	{ "abi transport names", test_transport_names },
#endif
#if ABI_COMPAT
	{ "abi compat cmsg", test_compat_cmsg },
#endif
	{ NULL, NULL },
};
