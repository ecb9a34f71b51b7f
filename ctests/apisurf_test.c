// The public API surface of <nng/nng.h> (sockets, options, dialers,
// listeners, pipes, contexts, statistics, devices, streams, UDP, legacy
// functions) and of every protocol and transport header: each function is
// declared with upstream 1.12's prototype and exported, the headers compile
// as C and C++ (with and without NNG_ELIDE_DEPRECATED), their macros have
// upstream's values, and the argument checks that need no live object hold.
//
// Build by hand (C, then C++):
//   gcc -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ictests ctests/apisurf_test.c ...
//   g++ -x c++ -Wall -Wextra -Werror -Iinclude -Ictests ctests/apisurf_test.c ...

#include <nng/nng.h>

#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/transport/inproc/inproc.h>
#include <nng/transport/ipc/ipc.h>
#include <nng/transport/tcp/tcp.h>
#include <nng/transport/tls/tls.h>
#include <nng/transport/ws/websocket.h>
#include <nng/transport/zerotier/zerotier.h>

#include "nuts.h"

static void
test_option_names_have_upstream_strings(void)
{
	NUTS_MATCH(NNG_OPT_SOCKNAME, "socket-name");
	NUTS_MATCH(NNG_OPT_RAW, "raw");
	NUTS_MATCH(NNG_OPT_PROTO, "protocol");
	NUTS_MATCH(NNG_OPT_PROTONAME, "protocol-name");
	NUTS_MATCH(NNG_OPT_PEER, "peer");
	NUTS_MATCH(NNG_OPT_PEERNAME, "peer-name");
	NUTS_MATCH(NNG_OPT_RECVBUF, "recv-buffer");
	NUTS_MATCH(NNG_OPT_SENDBUF, "send-buffer");
	NUTS_MATCH(NNG_OPT_RECVFD, "recv-fd");
	NUTS_MATCH(NNG_OPT_SENDFD, "send-fd");
	NUTS_MATCH(NNG_OPT_RECVTIMEO, "recv-timeout");
	NUTS_MATCH(NNG_OPT_SENDTIMEO, "send-timeout");
	NUTS_MATCH(NNG_OPT_LOCADDR, "local-address");
	NUTS_MATCH(NNG_OPT_REMADDR, "remote-address");
	NUTS_MATCH(NNG_OPT_URL, "url");
	NUTS_MATCH(NNG_OPT_MAXTTL, "ttl-max");
	NUTS_MATCH(NNG_OPT_RECVMAXSZ, "recv-size-max");
	NUTS_MATCH(NNG_OPT_RECONNMINT, "reconnect-time-min");
	NUTS_MATCH(NNG_OPT_RECONNMAXT, "reconnect-time-max");
	NUTS_MATCH(NNG_OPT_TLS_CONFIG, "tls-config");
	NUTS_MATCH(NNG_OPT_TLS_AUTH_MODE, "tls-authmode");
	NUTS_MATCH(NNG_OPT_TLS_CERT_KEY_FILE, "tls-cert-key-file");
	NUTS_MATCH(NNG_OPT_TLS_CA_FILE, "tls-ca-file");
	NUTS_MATCH(NNG_OPT_TLS_SERVER_NAME, "tls-server-name");
	NUTS_MATCH(NNG_OPT_TLS_VERIFIED, "tls-verified");
	NUTS_MATCH(NNG_OPT_TLS_PEER_CN, "tls-peer-cn");
	NUTS_MATCH(NNG_OPT_TLS_PEER_ALT_NAMES, "tls-peer-alt-names");
	NUTS_MATCH(NNG_OPT_TCP_NODELAY, "tcp-nodelay");
	NUTS_MATCH(NNG_OPT_TCP_KEEPALIVE, "tcp-keepalive");
	NUTS_MATCH(NNG_OPT_TCP_BOUND_PORT, "tcp-bound-port");
	NUTS_MATCH(NNG_OPT_IPC_SECURITY_DESCRIPTOR, "ipc:security-descriptor");
	NUTS_MATCH(NNG_OPT_IPC_PERMISSIONS, "ipc:permissions");
	NUTS_MATCH(NNG_OPT_PEER_UID, "ipc:peer-uid");
	NUTS_MATCH(NNG_OPT_IPC_PEER_UID, "ipc:peer-uid");
	NUTS_MATCH(NNG_OPT_PEER_GID, "ipc:peer-gid");
	NUTS_MATCH(NNG_OPT_IPC_PEER_GID, "ipc:peer-gid");
	NUTS_MATCH(NNG_OPT_PEER_PID, "ipc:peer-pid");
	NUTS_MATCH(NNG_OPT_IPC_PEER_PID, "ipc:peer-pid");
	NUTS_MATCH(NNG_OPT_PEER_ZONEID, "ipc:peer-zoneid");
	NUTS_MATCH(NNG_OPT_IPC_PEER_ZONEID, "ipc:peer-zoneid");
	NUTS_MATCH(NNG_OPT_WS_REQUEST_HEADERS, "ws:request-headers");
	NUTS_MATCH(NNG_OPT_WS_RESPONSE_HEADERS, "ws:response-headers");
	NUTS_MATCH(NNG_OPT_WS_RESPONSE_HEADER, "ws:response-header:");
	NUTS_MATCH(NNG_OPT_WS_REQUEST_HEADER, "ws:request-header:");
	NUTS_MATCH(NNG_OPT_WS_REQUEST_URI, "ws:request-uri");
	NUTS_MATCH(NNG_OPT_WS_SENDMAXFRAME, "ws:txframe-max");
	NUTS_MATCH(NNG_OPT_WS_RECVMAXFRAME, "ws:rxframe-max");
	NUTS_MATCH(NNG_OPT_WS_PROTOCOL, "ws:protocol");
	NUTS_MATCH(NNG_OPT_WS_SEND_TEXT, "ws:send-text");
	NUTS_MATCH(NNG_OPT_WS_RECV_TEXT, "ws:recv-text");
	NUTS_MATCH(NNG_OPT_SOCKET_FD, "socket:fd");
	NUTS_MATCH(NNG_OPT_WSS_REQUEST_HEADERS, "ws:request-headers");
	NUTS_MATCH(NNG_OPT_WSS_RESPONSE_HEADERS, "ws:response-headers");
	NUTS_MATCH(NNG_OPT_ZT_HOME, "zt:home");
	NUTS_MATCH(NNG_OPT_ZT_NWID, "zt:nwid");
	NUTS_MATCH(NNG_OPT_ZT_NODE, "zt:node");
	NUTS_MATCH(NNG_OPT_ZT_NETWORK_STATUS, "zt:network-status");
	NUTS_MATCH(NNG_OPT_ZT_NETWORK_NAME, "zt:network-name");
	NUTS_MATCH(NNG_OPT_ZT_PING_TIME, "zt:ping-time");
	NUTS_MATCH(NNG_OPT_ZT_PING_TRIES, "zt:ping-tries");
	NUTS_MATCH(NNG_OPT_ZT_CONN_TIME, "zt:conn-time");
	NUTS_MATCH(NNG_OPT_ZT_CONN_TRIES, "zt:conn-tries");
	NUTS_MATCH(NNG_OPT_ZT_MTU, "zt:mtu");
	NUTS_MATCH(NNG_OPT_ZT_ORBIT, "zt:orbit");
	NUTS_MATCH(NNG_OPT_ZT_DEORBIT, "zt:deorbit");
	NUTS_MATCH(NNG_OPT_ZT_ADD_LOCAL_ADDR, "zt:add-local-addr");
	NUTS_MATCH(NNG_OPT_ZT_CLEAR_LOCAL_ADDRS, "zt:clear-local-addrs");
}

static void
test_protocol_macros_have_upstream_values(void)
{
	NUTS_EQ(NNG_BUS0_SELF, 0x70);
	NUTS_EQ(NNG_BUS0_PEER, 0x70);
	NUTS_MATCH(NNG_BUS0_SELF_NAME, "bus");
	NUTS_MATCH(NNG_BUS0_PEER_NAME, "bus");
	NUTS_EQ(NNG_PAIR1_SELF, 0x11);
	NUTS_EQ(NNG_PAIR1_PEER, 0x11);
	NUTS_MATCH(NNG_PAIR1_SELF_NAME, "pair1");
	NUTS_MATCH(NNG_PAIR1_PEER_NAME, "pair1");
	NUTS_EQ(NNG_REQ0_SELF, 0x30);
	NUTS_EQ(NNG_REQ0_PEER, 0x31);
	NUTS_MATCH(NNG_REQ0_SELF_NAME, "req");
	NUTS_MATCH(NNG_REQ0_PEER_NAME, "rep");
	NUTS_EQ(NNG_REP0_SELF, 0x31);
	NUTS_EQ(NNG_REP0_PEER, 0x30);
	NUTS_MATCH(NNG_REP0_SELF_NAME, "rep");
	NUTS_MATCH(NNG_REP0_PEER_NAME, "req");
	NUTS_EQ(NNG_SURVEYOR0_SELF, 0x62);
	NUTS_EQ(NNG_SURVEYOR0_PEER, 0x63);
	NUTS_MATCH(NNG_SURVEYOR0_SELF_NAME, "surveyor");
	NUTS_MATCH(NNG_SURVEYOR0_PEER_NAME, "respondent");
	NUTS_EQ(NNG_RESPONDENT0_SELF, 0x63);
	NUTS_EQ(NNG_RESPONDENT0_PEER, 0x62);
	NUTS_MATCH(NNG_RESPONDENT0_SELF_NAME, "respondent");
	NUTS_MATCH(NNG_RESPONDENT0_PEER_NAME, "surveyor");
	NUTS_EQ(NNG_PROTOCOL_NUMBER(3, 0), NNG_REQ0_SELF);
	NUTS_MATCH(NNG_OPT_PAIR1_POLY, "pair1:polyamorous");
	NUTS_MATCH(NNG_OPT_SUB_SUBSCRIBE, "sub:subscribe");
	NUTS_MATCH(NNG_OPT_SUB_UNSUBSCRIBE, "sub:unsubscribe");
	NUTS_MATCH(NNG_OPT_SUB_PREFNEW, "sub:prefnew");
	NUTS_MATCH(NNG_OPT_REQ_RESENDTIME, "req:resend-time");
	NUTS_MATCH(NNG_OPT_REQ_RESENDTICK, "req:resend-tick");
	NUTS_MATCH(NNG_OPT_SURVEYOR_SURVEYTIME, "surveyor:survey-time");
	NUTS_EQ(NNG_ZT_STATUS_UP, 0);
	NUTS_EQ(NNG_ZT_STATUS_CONFIG, 1);
	NUTS_EQ(NNG_ZT_STATUS_DENIED, 2);
	NUTS_EQ(NNG_ZT_STATUS_NOTFOUND, 3);
	NUTS_EQ(NNG_ZT_STATUS_ERROR, 4);
	NUTS_EQ(NNG_ZT_STATUS_OBSOLETE, 5);
	NUTS_EQ(NNG_ZT_STATUS_UNKNOWN, 6);
}

static void
test_open_name_macros_pick_the_first_header(void)
{
	// pair0/pair.h is included before pair1/pair.h, so it wins.
	int (*volatile pair)(nng_socket *) = nng_pair_open;
	int (*volatile pair0)(nng_socket *) = nng_pair0_open;
	int (*volatile req)(nng_socket *)   = nng_req_open_raw;
	int (*volatile req0)(nng_socket *)  = nng_req0_open_raw;
	NUTS_TRUE(pair == pair0);
	NUTS_TRUE(req == req0);
}

static void
test_handle_ids_follow_upstream_rule(void)
{
	nng_socket   s0 = NNG_SOCKET_INITIALIZER;
	nng_dialer   d0 = NNG_DIALER_INITIALIZER;
	nng_listener l0 = NNG_LISTENER_INITIALIZER;
	nng_pipe     p0 = NNG_PIPE_INITIALIZER;
	nng_ctx      c0 = NNG_CTX_INITIALIZER;
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	nng_pipe     p;
	nng_ctx      c;

	NUTS_EQ(nng_socket_id(s0), -1);
	NUTS_EQ(nng_dialer_id(d0), -1);
	NUTS_EQ(nng_listener_id(l0), -1);
	NUTS_EQ(nng_pipe_id(p0), -1);
	NUTS_EQ(nng_ctx_id(c0), -1);
	s.id = 42;
	d.id = 43;
	l.id = 44;
	p.id = 0x7fffffff;
	c.id = 1;
	NUTS_EQ(nng_socket_id(s), 42);
	NUTS_EQ(nng_dialer_id(d), 43);
	NUTS_EQ(nng_listener_id(l), 44);
	NUTS_EQ(nng_pipe_id(p), 0x7fffffff);
	NUTS_EQ(nng_ctx_id(c), 1);
	s.id = 0x80000000u;
	p.id = 0xffffffffu;
	NUTS_EQ(nng_socket_id(s), -1);
	NUTS_EQ(nng_pipe_id(p), -1);
}

static void
test_unknown_pipe_has_no_owner(void)
{
	nng_pipe p;
	p.id = 12345;
	NUTS_EQ(nng_pipe_socket(p).id, 0);
	NUTS_EQ(nng_pipe_dialer(p).id, 0);
	NUTS_EQ(nng_pipe_listener(p).id, 0);
}

static void
test_null_arguments_give_einval(void)
{
	nng_socket   s;
	nng_dialer   d;
	nng_listener l;
	nng_pipe     p;
	nng_ctx      c;
	int          i;
	size_t       sz = 4;

	s.id = 1;
	d.id = 1;
	l.id = 1;
	p.id = 1;
	c.id = 1;

	// Option names.
	NUTS_FAIL(nng_socket_set_int(s, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_int(s, NULL, &i), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_set_ms(d, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_listener_get_bool(l, NULL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_pipe_get_string(p, NULL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_set_size(c, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_stream_set_bool(NULL, NULL, true), NNG_EINVAL);

	// Out-pointers of typed gets.
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVBUF, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_ms(s, NNG_OPT_RECVTIMEO, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_get_addr(d, NNG_OPT_LOCADDR, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_listener_get_string(l, NNG_OPT_URL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_pipe_get_uint64(p, NNG_OPT_PEER_UID, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, NULL), NNG_EINVAL);

	// Untyped get: a size is required; a buffer only if the size is not 0.
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_SOCKNAME, &i, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_SOCKNAME, NULL, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_pipe_get(p, NNG_OPT_URL, NULL, &sz), NNG_EINVAL);

	// Untyped set: a buffer is required unless the size is 0; an address
	// to set must be given.
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_RECVBUF, NULL, 4), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_set_addr(d, NNG_OPT_LOCADDR, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_listener_set_addr(l, NNG_OPT_LOCADDR, NULL), NNG_EINVAL);

	// Object-creating functions.
	NUTS_FAIL(nng_pair0_open(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_pair1_open_poly(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_req0_open_raw(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_open(NULL, s), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_create(NULL, s, "inproc://x"), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_create(&d, s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_listener_create(NULL, s, "inproc://x"), NNG_EINVAL);
	NUTS_FAIL(nng_dial(s, NULL, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_listen(s, NULL, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_stream_dialer_alloc(NULL, "tcp://127.0.0.1:1"), NNG_EINVAL);
	NUTS_FAIL(nng_stream_listener_alloc_url(NULL, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_stats_get(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_udp_open(NULL, NULL), NNG_EINVAL);

	// Identity and messages.
	NUTS_FAIL(nng_socket_proto_id(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_peer_name(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_raw(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_dialer_get_url(d, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_listener_get_url(l, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_sendmsg(s, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_recvmsg(s, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_sendmsg(c, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_ctx_recvmsg(c, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_send(s, NULL, 1, 0), NNG_EINVAL);
	// nng_recv receives before it uses its arguments (as upstream): the
	// socket here is no socket, which it reports first.
	NUTS_FAIL(nng_recv(s, &i, NULL, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_recv(s, NULL, &sz, NNG_FLAG_ALLOC), NNG_ECLOSED);
	NUTS_FAIL(nng_sub0_socket_subscribe(s, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_sub0_ctx_unsubscribe(c, NULL, 1), NNG_EINVAL);
	NUTS_FAIL(nng_stream_listener_listen(NULL), NNG_EINVAL);
	NUTS_FAIL(nng_udp_sockname(NULL, NULL), NNG_EINVAL);
}

static void
test_null_objects_are_ignored(void)
{
	// Functions that cannot report an error do nothing for NULL.
	nng_stream_free(NULL);
	nng_stream_close(NULL);
	nng_stream_dialer_free(NULL);
	nng_stream_dialer_close(NULL);
	nng_stream_listener_free(NULL);
	nng_stream_listener_close(NULL);
	nng_stats_free(NULL);
	nng_udp_close(NULL);
	NUTS_NULL(nng_stat_find(NULL, "socket"));
	NUTS_NULL(nng_stat_child(NULL));
	NUTS_NULL(nng_stat_next(NULL));
}

static void
test_legacy_functions_keep_upstream_results(void)
{
#ifndef NNG_ELIDE_DEPRECATED
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
	nng_socket s;
	size_t     sz = 0;
	s.id          = 1;
	NUTS_FAIL(nng_msg_getopt(NULL, 0, NULL, &sz), NNG_ENOTSUP);
	NUTS_FAIL(nng_getopt_int(s, NNG_OPT_RECVBUF, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_setopt(s, NULL, NULL, 0), NNG_EINVAL);
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
	NUTS_PASS(nng_inproc_register());
	NUTS_PASS(nng_ipc_register());
	NUTS_PASS(nng_tcp_register());
	NUTS_PASS(nng_tls_register());
	NUTS_PASS(nng_ws_register());
	NUTS_PASS(nng_wss_register());
	NUTS_FAIL(nng_zt_register(), NNG_ENOTSUP);
#endif
}

static void
test_every_function_is_declared_and_exported(void)
{
	// Each line takes the address of one function through a pointer of
	// upstream's exact prototype: a name, return type or parameter type that
	// differs fails to compile (C++) or warns (C, -Werror), and a function
	// that is not exported fails to link.
	{ int (*volatile p)(nng_socket) = nng_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket) = nng_socket_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket) = nng_socket_id; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, const void *, size_t) = nng_socket_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, bool) = nng_socket_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, int) = nng_socket_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, size_t) = nng_socket_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, uint64_t) = nng_socket_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, const char *) = nng_socket_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void *) = nng_socket_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_duration) = nng_socket_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, const nng_sockaddr *) = nng_socket_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void *, size_t *) = nng_socket_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, bool *) = nng_socket_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, int *) = nng_socket_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, size_t *) = nng_socket_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, uint64_t *) = nng_socket_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, char **) = nng_socket_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void **) = nng_socket_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_duration *) = nng_socket_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_sockaddr *) = nng_socket_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, uint16_t *) = nng_socket_proto_id; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, uint16_t *) = nng_socket_peer_id; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, const char **) = nng_socket_proto_name; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, const char **) = nng_socket_peer_name; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, bool *) = nng_socket_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, nng_pipe_ev, nng_pipe_cb, void *) = nng_pipe_notify; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_listener *, int) = nng_listen; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_dialer *, int) = nng_dial; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer *, nng_socket, const char *) = nng_dialer_create; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener *, nng_socket, const char *) = nng_listener_create; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, int) = nng_dialer_start; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, int) = nng_listener_start; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer) = nng_dialer_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener) = nng_listener_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer) = nng_dialer_id; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener) = nng_listener_id; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, const void *, size_t) = nng_dialer_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, bool) = nng_dialer_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, int) = nng_dialer_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, size_t) = nng_dialer_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, uint64_t) = nng_dialer_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, const char *) = nng_dialer_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void *) = nng_dialer_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_duration) = nng_dialer_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, const nng_sockaddr *) = nng_dialer_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void *, size_t *) = nng_dialer_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, bool *) = nng_dialer_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, int *) = nng_dialer_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, size_t *) = nng_dialer_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, uint64_t *) = nng_dialer_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, char **) = nng_dialer_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void **) = nng_dialer_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_duration *) = nng_dialer_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_sockaddr *) = nng_dialer_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, const void *, size_t) = nng_listener_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, bool) = nng_listener_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, int) = nng_listener_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, size_t) = nng_listener_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, uint64_t) = nng_listener_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, const char *) = nng_listener_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void *) = nng_listener_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_duration) = nng_listener_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, const nng_sockaddr *) = nng_listener_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void *, size_t *) = nng_listener_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, bool *) = nng_listener_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, int *) = nng_listener_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, size_t *) = nng_listener_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, uint64_t *) = nng_listener_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, char **) = nng_listener_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void **) = nng_listener_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_duration *) = nng_listener_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_sockaddr *) = nng_listener_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, void *, size_t, int) = nng_send; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, void *, size_t *, int) = nng_recv; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, nng_msg *, int) = nng_sendmsg; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, nng_msg **, int) = nng_recvmsg; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_socket, nng_aio *) = nng_sock_send; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_socket, nng_aio *) = nng_send_aio; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_socket, nng_aio *) = nng_sock_recv; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_socket, nng_aio *) = nng_recv_aio; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx *, nng_socket) = nng_ctx_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx) = nng_ctx_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx) = nng_ctx_id; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_ctx, nng_aio *) = nng_ctx_recv; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, nng_msg **, int) = nng_ctx_recvmsg; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_ctx, nng_aio *) = nng_ctx_send; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, nng_msg *, int) = nng_ctx_sendmsg; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, void *, size_t *) = nng_ctx_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, bool *) = nng_ctx_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, int *) = nng_ctx_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, size_t *) = nng_ctx_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, uint64_t *) = nng_ctx_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, char **) = nng_ctx_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, void **) = nng_ctx_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, nng_duration *) = nng_ctx_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, const void *, size_t) = nng_ctx_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, bool) = nng_ctx_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, int) = nng_ctx_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, size_t) = nng_ctx_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, uint64_t) = nng_ctx_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, const char *) = nng_ctx_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, void *) = nng_ctx_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, nng_duration) = nng_ctx_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, void *, size_t *) = nng_pipe_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, bool *) = nng_pipe_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, int *) = nng_pipe_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, nng_duration *) = nng_pipe_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, size_t *) = nng_pipe_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, uint64_t *) = nng_pipe_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, char **) = nng_pipe_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, void **) = nng_pipe_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, nng_sockaddr *) = nng_pipe_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe) = nng_pipe_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe) = nng_pipe_id; NUTS_TRUE(p != NULL); }
	{ nng_socket (*volatile p)(nng_pipe) = nng_pipe_socket; NUTS_TRUE(p != NULL); }
	{ nng_dialer (*volatile p)(nng_pipe) = nng_pipe_dialer; NUTS_TRUE(p != NULL); }
	{ nng_listener (*volatile p)(nng_pipe) = nng_pipe_listener; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stat **) = nng_stats_get; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stat *) = nng_stats_free; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stat *) = nng_stats_dump; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *) = nng_stat_next; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *) = nng_stat_child; NUTS_TRUE(p != NULL); }
	{ const char * (*volatile p)(nng_stat *) = nng_stat_name; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stat *) = nng_stat_type; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *, const char *) = nng_stat_find; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *, nng_socket) = nng_stat_find_socket; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *, nng_dialer) = nng_stat_find_dialer; NUTS_TRUE(p != NULL); }
	{ nng_stat * (*volatile p)(nng_stat *, nng_listener) = nng_stat_find_listener; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stat *) = nng_stat_unit; NUTS_TRUE(p != NULL); }
	{ uint64_t (*volatile p)(nng_stat *) = nng_stat_value; NUTS_TRUE(p != NULL); }
	{ bool (*volatile p)(nng_stat *) = nng_stat_bool; NUTS_TRUE(p != NULL); }
	{ const char * (*volatile p)(nng_stat *) = nng_stat_string; NUTS_TRUE(p != NULL); }
	{ const char * (*volatile p)(nng_stat *) = nng_stat_desc; NUTS_TRUE(p != NULL); }
	{ uint64_t (*volatile p)(nng_stat *) = nng_stat_timestamp; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, nng_socket) = nng_device; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_aio *, nng_socket, nng_socket) = nng_device_aio; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream *) = nng_stream_free; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream *) = nng_stream_close; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream *, nng_aio *) = nng_stream_send; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream *, nng_aio *) = nng_stream_recv; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, void *, size_t *) = nng_stream_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, bool *) = nng_stream_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, int *) = nng_stream_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, nng_duration *) = nng_stream_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, size_t *) = nng_stream_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, uint64_t *) = nng_stream_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, char **) = nng_stream_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, void **) = nng_stream_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, nng_sockaddr *) = nng_stream_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, const void *, size_t) = nng_stream_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, bool) = nng_stream_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, int) = nng_stream_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, nng_duration) = nng_stream_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, size_t) = nng_stream_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, uint64_t) = nng_stream_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, const char *) = nng_stream_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, void *) = nng_stream_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer **, const char *) = nng_stream_dialer_alloc; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer **, const nng_url *) = nng_stream_dialer_alloc_url; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_dialer *) = nng_stream_dialer_free; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_dialer *) = nng_stream_dialer_close; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_dialer *, nng_aio *) = nng_stream_dialer_dial; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, const void *, size_t) = nng_stream_dialer_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, void *, size_t *) = nng_stream_dialer_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, bool *) = nng_stream_dialer_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, int *) = nng_stream_dialer_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, nng_duration *) = nng_stream_dialer_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, size_t *) = nng_stream_dialer_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, uint64_t *) = nng_stream_dialer_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, char **) = nng_stream_dialer_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, void **) = nng_stream_dialer_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, nng_sockaddr *) = nng_stream_dialer_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, bool) = nng_stream_dialer_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, int) = nng_stream_dialer_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, nng_duration) = nng_stream_dialer_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, size_t) = nng_stream_dialer_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, uint64_t) = nng_stream_dialer_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, const char *) = nng_stream_dialer_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, void *) = nng_stream_dialer_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_dialer *, const char *, const nng_sockaddr *) = nng_stream_dialer_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener **, const char *) = nng_stream_listener_alloc; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener **, const nng_url *) = nng_stream_listener_alloc_url; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_listener *) = nng_stream_listener_free; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_listener *) = nng_stream_listener_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *) = nng_stream_listener_listen; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_stream_listener *, nng_aio *) = nng_stream_listener_accept; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, const void *, size_t) = nng_stream_listener_set; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, void *, size_t *) = nng_stream_listener_get; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, bool *) = nng_stream_listener_get_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, int *) = nng_stream_listener_get_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, nng_duration *) = nng_stream_listener_get_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, size_t *) = nng_stream_listener_get_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, uint64_t *) = nng_stream_listener_get_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, char **) = nng_stream_listener_get_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, void **) = nng_stream_listener_get_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, nng_sockaddr *) = nng_stream_listener_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, bool) = nng_stream_listener_set_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, int) = nng_stream_listener_set_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, nng_duration) = nng_stream_listener_set_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, size_t) = nng_stream_listener_set_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, uint64_t) = nng_stream_listener_set_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, const char *) = nng_stream_listener_set_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, void *) = nng_stream_listener_set_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream_listener *, const char *, const nng_sockaddr *) = nng_stream_listener_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_udp **udpp, nng_sockaddr *sa) = nng_udp_open; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_udp *udp) = nng_udp_close; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_udp *udp, nng_sockaddr *sa) = nng_udp_sockname; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_udp *udp, nng_aio *aio) = nng_udp_send; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(nng_udp *udp, nng_aio *aio) = nng_udp_recv; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_udp *udp, nng_sockaddr *sa, bool join) = nng_udp_multicast_membership; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const nng_url **) = nng_dialer_get_url; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const nng_url **) = nng_listener_get_url; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_bus0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_bus0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pair0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pair0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pair1_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pair1_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pair1_open_poly; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pull0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pull0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_push0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_push0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pub0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_pub0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_sub0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_sub0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, const void *buf, size_t sz) = nng_sub0_socket_subscribe; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket id, const void *buf, size_t sz) = nng_sub0_socket_unsubscribe; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx id, const void *buf, size_t sz) = nng_sub0_ctx_subscribe; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx id, const void *buf, size_t sz) = nng_sub0_ctx_unsubscribe; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_rep0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_rep0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_req0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_req0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_respondent0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_respondent0_open_raw; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_surveyor0_open; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket *) = nng_surveyor0_open_raw; NUTS_TRUE(p != NULL); }
#ifndef NNG_ELIDE_DEPRECATED
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
	{ int (*volatile p)(nng_msg *, int, void *, size_t *) = nng_msg_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void *, size_t *) = nng_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, bool *) = nng_getopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, int *) = nng_getopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_duration *) = nng_getopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, size_t *) = nng_getopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, uint64_t *) = nng_getopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void **) = nng_getopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, char **) = nng_getopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, const void *, size_t) = nng_setopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, bool) = nng_setopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, int) = nng_setopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, nng_duration) = nng_setopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, size_t) = nng_setopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, uint64_t) = nng_setopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, const char *) = nng_setopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_socket, const char *, void *) = nng_setopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, void *, size_t *) = nng_ctx_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, bool *) = nng_ctx_getopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, int *) = nng_ctx_getopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, nng_duration *) = nng_ctx_getopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, size_t *) = nng_ctx_getopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, const void *, size_t) = nng_ctx_setopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, bool) = nng_ctx_setopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, int) = nng_ctx_setopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, nng_duration) = nng_ctx_setopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, size_t) = nng_ctx_setopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void *, size_t *) = nng_dialer_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, bool *) = nng_dialer_getopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, int *) = nng_dialer_getopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_duration *) = nng_dialer_getopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, size_t *) = nng_dialer_getopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_sockaddr *) = nng_dialer_getopt_sockaddr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, uint64_t *) = nng_dialer_getopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void **) = nng_dialer_getopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, char **) = nng_dialer_getopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, const void *, size_t) = nng_dialer_setopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, bool) = nng_dialer_setopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, int) = nng_dialer_setopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, nng_duration) = nng_dialer_setopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, size_t) = nng_dialer_setopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, uint64_t) = nng_dialer_setopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, void *) = nng_dialer_setopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_dialer, const char *, const char *) = nng_dialer_setopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void *, size_t *) = nng_listener_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, bool *) = nng_listener_getopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, int *) = nng_listener_getopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_duration *) = nng_listener_getopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, size_t *) = nng_listener_getopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_sockaddr *) = nng_listener_getopt_sockaddr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, uint64_t *) = nng_listener_getopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void **) = nng_listener_getopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, char **) = nng_listener_getopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, const void *, size_t) = nng_listener_setopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, bool) = nng_listener_setopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, int) = nng_listener_setopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, nng_duration) = nng_listener_setopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, size_t) = nng_listener_setopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, uint64_t) = nng_listener_setopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, void *) = nng_listener_setopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_listener, const char *, const char *) = nng_listener_setopt_string; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, void *, size_t *) = nng_pipe_getopt; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, bool *) = nng_pipe_getopt_bool; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, int *) = nng_pipe_getopt_int; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, nng_duration *) = nng_pipe_getopt_ms; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, size_t *) = nng_pipe_getopt_size; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, nng_sockaddr *) = nng_pipe_getopt_sockaddr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, uint64_t *) = nng_pipe_getopt_uint64; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, void **) = nng_pipe_getopt_ptr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_pipe, const char *, char **) = nng_pipe_getopt_string; NUTS_TRUE(p != NULL); }
	{ void (*volatile p)(void) = nng_closeall; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_stream *, const char *, const nng_sockaddr *) = nng_stream_set_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, nng_sockaddr *) = nng_ctx_get_addr; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(nng_ctx, const char *, const nng_sockaddr *) = nng_ctx_set_addr; NUTS_TRUE(p != NULL); }
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
	// Legacy but not marked deprecated upstream: must not warn.
	{ int (*volatile p)(void) = nng_inproc_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_ipc_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_tcp_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_tls_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_ws_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_wss_register; NUTS_TRUE(p != NULL); }
	{ int (*volatile p)(void) = nng_zt_register; NUTS_TRUE(p != NULL); }
#endif // NNG_ELIDE_DEPRECATED
}

NUTS_TESTS = {
	{ "every function is declared and exported",
	    test_every_function_is_declared_and_exported },
	{ "option names have upstream strings",
	    test_option_names_have_upstream_strings },
	{ "protocol macros have upstream values",
	    test_protocol_macros_have_upstream_values },
	{ "open name macros pick the first header",
	    test_open_name_macros_pick_the_first_header },
	{ "handle ids follow upstream rule",
	    test_handle_ids_follow_upstream_rule },
	{ "unknown pipe has no owner", test_unknown_pipe_has_no_owner },
	{ "null arguments give einval", test_null_arguments_give_einval },
	{ "null objects are ignored", test_null_objects_are_ignored },
	{ "legacy functions keep upstream results",
	    test_legacy_functions_keep_upstream_results },
	{ NULL, NULL },
};
