// pair1 over inproc, end to end from C: monogamous (cooked and raw) and
// polyamorous sockets, the hop-count header, NNG_OPT_MAXTTL, back-pressure,
// timeouts, non-blocking calls, close while blocked, buffer options and
// peer validation, and malformed headers from a peer sent with upstream's
// test hook "pair1_test_inject_header" (behaviour of upstream's
// pair1_test.c and pair1_poly_test.c).
//
// nng-ctest: memcheck abi-1.5.2

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>

#include "nuts_proto.h"

#define SECOND 1000

// The poly open function is deprecated upstream.
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

static void
test_mono_identity(void)
{
	nng_socket  s;
	int         p;
	char       *n;
	uint16_t    id;
	const char *cn;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 1u)); // 17
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 1u)); // 17
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &n));
	NUTS_MATCH(n, "pair1");
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &n));
	NUTS_MATCH(n, "pair1");
	nng_strfree(n);
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_proto_id(s, &id));
	NUTS_EQ(id, NNG_PAIR1_SELF);
	NUTS_PASS(nng_socket_peer_id(s, &id));
	NUTS_EQ(id, NNG_PAIR1_PEER);
	NUTS_PASS(nng_socket_proto_name(s, &cn));
	NUTS_MATCH(cn, NNG_PAIR1_SELF_NAME);
	NUTS_PASS(nng_socket_peer_name(s, &cn));
	NUTS_MATCH(cn, NNG_PAIR1_PEER_NAME);
#else
	(void) id;
	(void) cn;
#endif
	NUTS_CLOSE(s);
}

static void
test_mono_cooked(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;
	nng_pipe   p1, p2;
	uint32_t   hops;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_MARRY_EX(s1, c1, NULL, &p1, &p2);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "ALPHA", strlen("ALPHA") + 1));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_EQ(nng_msg_len(msg), strlen("ALPHA") + 1);
	NUTS_MATCH(nng_msg_body(msg), "ALPHA");
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(msg)), nng_pipe_id(p1));
	// The hop count travels in the header.
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_msg_header_trim_u32(msg, &hops));
	NUTS_EQ(hops, 1);
	nng_msg_free(msg);

	// A header the application left on a cooked message is replaced.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "BETA", strlen("BETA") + 1));
	NUTS_PASS(nng_msg_header_append_u32(msg, 7));
	NUTS_PASS(nng_msg_header_append_u32(msg, 9));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	NUTS_EQ(nng_msg_len(msg), strlen("BETA") + 1);
	NUTS_MATCH(nng_msg_body(msg), "BETA");
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(msg)), nng_pipe_id(p2));
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_msg_header_trim_u32(msg, &hops));
	NUTS_EQ(hops, 1);
	nng_msg_free(msg);

	NUTS_SEND(c1, "gamma");
	NUTS_RECV(s1, "gamma");

	NUTS_CLOSE(c1);
	NUTS_CLOSE(s1);
}

static void
test_mono_faithful(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_socket c2;
	nng_msg   *msg;
	char      *addr;
	nuts_watch w;

	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_PASS(nng_pair1_open(&c2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND / 4));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_int(c2, NNG_OPT_SENDBUF, 2));

	NUTS_MARRY_EX(s1, c1, addr, NULL, NULL);
	nuts_watch_start(&w, s1, c2, NNG_PIPE_EV_REM_POST);
	NUTS_PASS(nng_dial(c2, addr, NULL, 0));
	NUTS_TRUE(nuts_watch_wait(&w, 1, 1, SECOND)); // s1 refused c2
	nuts_watch_stop(&w, s1, c2, NNG_PIPE_EV_REM_POST);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "ONE");
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	CHECK_STR(msg, "ONE");
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "TWO");
	NUTS_PASS(nng_sendmsg(c2, msg, 0));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
	NUTS_CLOSE(c2);
}

static void
test_mono_back_pressure(void)
{
	nng_socket   s1;
	nng_socket   c1;
	int          i;
	int          rv;
	nng_msg     *msg;
	nng_duration to = 100;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, to));

	NUTS_MARRY(s1, c1);

	for (i = 0, rv = 0; i < 10; i++) {
		NUTS_PASS(nng_msg_alloc(&msg, 0));
		if ((rv = nng_sendmsg(s1, msg, 0)) != 0) {
			nng_msg_free(msg);
			break;
		}
	}
	NUTS_FAIL(rv, NNG_ETIMEDOUT);
	NUTS_TRUE(i < 10);
	NUTS_TRUE(i >= 1);
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(s1, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(msg);
	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_send_no_peer(void)
{
	nng_socket   s1;
	nng_msg     *msg;
	nng_duration to = 100;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, to));

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(s1, msg, 0), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_sendmsg(s1, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(msg);
	NUTS_CLOSE(s1);
}

static void
test_mono_recv_nonblock(void)
{
	nng_socket s1;
	nng_msg   *msg;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_FAIL(nng_recvmsg(s1, &msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 20));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(s1);
}

static void
test_mono_close_blocked(void)
{
	nng_socket   s1;
	nuts_blocked r, w;

	NUTS_PASS(nng_pair1_open(&s1));
	nuts_blocked_start(&r, s1, 0);
	nuts_blocked_start(&w, s1, 1);
	NUTS_CLOSE(s1);
	NUTS_FAIL(nuts_blocked_join(&r), NNG_ECLOSED);
	NUTS_FAIL(nuts_blocked_join(&w), NNG_ECLOSED);
}

static void
test_mono_raw_exchange(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;
	uint32_t   hops;
	nng_pipe   p = NNG_PIPE_INITIALIZER;

	NUTS_PASS(nng_pair1_open_raw(&s1));
	NUTS_PASS(nng_pair1_open_raw(&c1));

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(s1, c1);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "GAMMA");
	NUTS_PASS(nng_msg_header_append_u32(msg, 1));
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	p = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p) > 0);
	CHECK_STR(msg, "GAMMA");
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_msg_header_trim_u32(msg, &hops));
	NUTS_EQ(hops, 2);
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "EPSILON");
	NUTS_PASS(nng_msg_header_append_u32(msg, 1));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	CHECK_STR(msg, "EPSILON");
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_msg_header_trim_u32(msg, &hops));
	p = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p) > 0);
	NUTS_EQ(hops, 2);
	nng_msg_free(msg);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_mono_raw_header(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;
	uint32_t   v;

	NUTS_PASS(nng_pair1_open_raw(&s1));
	NUTS_PASS(nng_pair1_open_raw(&c1));

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND / 5));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND / 5));
	NUTS_MARRY(s1, c1);

	// Missing bits in the header
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(c1, msg, 0), NNG_EPROTO);
	nng_msg_free(msg);

	// Valid header works
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append_u32(msg, 0xFEEDFACE));
	NUTS_PASS(nng_msg_header_append_u32(msg, 1));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_PASS(nng_msg_trim_u32(msg, &v));
	NUTS_EQ(v, 0xFEEDFACE);
	nng_msg_free(msg);

	// Header with reserved bits set dropped
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u32(msg, 0xDEAD0000));
	NUTS_FAIL(nng_sendmsg(c1, msg, 0), NNG_EPROTO);
	nng_msg_free(msg);

	// Header with no chance to add another hop gets dropped
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u32(msg, 0xff));
	NUTS_FAIL(nng_sendmsg(c1, msg, 0), NNG_EPROTO);
	nng_msg_free(msg);

	// A header of the wrong size too.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u64(msg, 1));
	NUTS_FAIL(nng_sendmsg(c1, msg, 0), NNG_EPROTO);
	nng_msg_free(msg);

	// With the same bits clear it works
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append_u32(msg, 0xFEEDFACE));
	NUTS_PASS(nng_msg_header_append_u32(msg, 1));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_PASS(nng_msg_trim_u32(msg, &v));
	NUTS_EQ(v, 0xFEEDFACE);
	nng_msg_free(msg);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_send_closed_aio(void)
{
	nng_socket s1;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_pair1_open(&s1));
	nng_aio_set_msg(aio, msg);
	nng_aio_stop(aio);
	nng_send_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	nng_msg_free(msg);
	nng_aio_free(aio);
	NUTS_PASS(nng_close(s1));
}

static void
test_raw(void)
{
	nng_socket s1;
	bool       raw;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_RAW, &raw));
	NUTS_TRUE(raw == false);
	NUTS_FAIL(nng_socket_set_bool(s1, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_PASS(nng_close(s1));

	NUTS_PASS(nng_pair1_open_raw(&s1));
	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_RAW, &raw));
	NUTS_TRUE(raw == true);
	NUTS_FAIL(nng_socket_set_bool(s1, NNG_OPT_RAW, false), NNG_EREADONLY);
	NUTS_PASS(nng_close(s1));

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_RAW, &raw));
	NUTS_TRUE(raw == false);
	NUTS_PASS(nng_close(s1));
}

static void
check_ttl(nng_socket s1, nng_socket c1)
{
	nng_msg *msg;
	uint32_t val;
	int      ttl;

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND / 5));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND / 5));

	// Default, and no insane values.
	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_MAXTTL, &ttl));
	NUTS_EQ(ttl, 8);
	NUTS_FAIL(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 16), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 1000), NNG_EINVAL);
	ttl = 8;
	NUTS_FAIL(nng_socket_set(s1, NNG_OPT_MAXTTL, &ttl, 1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s1, NNG_OPT_MAXTTL, true), NNG_EBADTYPE);

	NUTS_MARRY(s1, c1);

	// Let's check enforcement of TTL
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 4));
	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_MAXTTL, &ttl));
	NUTS_EQ(ttl, 4);

	// Bad TTL bounces
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u32(msg, 4));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);

	// Good TTL passes
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append_u32(msg, 0xFEEDFACE));
	NUTS_PASS(nng_msg_header_append_u32(msg, 3));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_PASS(nng_msg_trim_u32(msg, &val));
	NUTS_EQ(val, 0xFEEDFACE);
	NUTS_PASS(nng_msg_header_trim_u32(msg, &val));
	NUTS_EQ(val, 4);
	nng_msg_free(msg);

	// Large TTL passes
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 15));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append_u32(msg, 1234));
	NUTS_PASS(nng_msg_header_append_u32(msg, 14));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_PASS(nng_msg_trim_u32(msg, &val));
	NUTS_EQ(val, 1234);
	NUTS_PASS(nng_msg_header_trim_u32(msg, &val));
	NUTS_EQ(val, 15);
	nng_msg_free(msg);

	// Max TTL fails
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_MAXTTL, 15));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u32(msg, 15));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);

	// The pipe survived the drops.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_header_append_u32(msg, 1));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	nng_msg_free(msg);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_mono_ttl(void)
{
	nng_socket s1;
	nng_socket c1;

	NUTS_PASS(nng_pair1_open_raw(&s1));
	NUTS_PASS(nng_pair1_open_raw(&c1));
	check_ttl(s1, c1);
}

static void
test_mono_cooked_ttl(void)
{
	nng_socket s1;
	nng_socket c1;

	// The cooked receiver applies the same limit.
	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open_raw(&c1));
	check_ttl(s1, c1);
}

static void
check_validate_peer(nng_socket s1, nng_socket s2)
{
	char      *addr;
	nuts_watch w;
	uint64_t   rejects;

	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 50));
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	NUTS_PASS(nng_listen(s1, addr, NULL, 0));
	NUTS_PASS(nng_dial(s2, addr, NULL, 0));
	NUTS_TRUE(!nuts_watch_wait(&w, 0, 1, 50));
	NUTS_EQ(nuts_watch_count(&w, 1), 0);
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	NUTS_FAIL(nng_send(s2, "x", 1, 0), NNG_ETIMEDOUT);
	if (nuts_stat_rejects(s1, &rejects)) {
		NUTS_TRUE(rejects > 0);
	}
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_mono_validate_peer(void)
{
	nng_socket s1, s2;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	check_validate_peer(s1, s2);
}

static void
test_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pair1_open_poly(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
check_buffer_option(nng_socket s, const char *opt, int def)
{
	int    v;
	bool   b;
	size_t sz;

	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, def);
	NUTS_FAIL(nng_socket_get_bool(s, opt, &b), NNG_EBADTYPE);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, opt, &b, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, -1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, 100000), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s, opt, false), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set(s, opt, &b, 1), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, opt, 100));
	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, 100);
	NUTS_PASS(nng_socket_set_int(s, opt, 0));
	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, 0);
	NUTS_CLOSE(s);
}

static void
test_send_buffer(void)
{
	nng_socket s;
	NUTS_PASS(nng_pair1_open(&s));
	check_buffer_option(s, NNG_OPT_SENDBUF, 0);
	NUTS_PASS(nng_pair1_open_poly(&s));
	check_buffer_option(s, NNG_OPT_SENDBUF, 0);
}

static void
test_recv_buffer(void)
{
	nng_socket s;
	NUTS_PASS(nng_pair1_open(&s));
	check_buffer_option(s, NNG_OPT_RECVBUF, 0);
	// Poly uses the socket's generic receive queue (one deep).
	NUTS_PASS(nng_pair1_open_poly(&s));
	check_buffer_option(s, NNG_OPT_RECVBUF, 1);
}

static void
test_poly_option(void)
{
	nng_socket s;
	bool       v;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_socket_get_bool(s, NNG_OPT_PAIR1_POLY, &v), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pair1_open_poly(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_PAIR1_POLY, &v));
	NUTS_TRUE(v);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_PAIR1_POLY, false),
	    NNG_EREADONLY);
	NUTS_CLOSE(s);
}

static void
test_mono_poll_readable(void)
{
	int        fd;
	nng_socket s1;
	nng_socket s2;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(s1, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(s1, s2);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_SEND(s2, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_RECV(s1, "abc");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 1));
	NUTS_SEND(s2, "def");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 0));
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 10));
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_mono_poll_writable(void)
{
	int        fd;
	nng_socket s1;
	nng_socket s2;
	nuts_watch w;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(s1, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(s1, s2);
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_SEND(s1, "abc");
	NUTS_SEND(s1, "def");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_RECV(s2, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(s2);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 1000));
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 0));
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_CLOSE(s1);
}

// -- polyamorous ------------------------------------------------------------

static void
test_poly_identity(void)
{
	nng_socket s;
	int        p;
	char      *n;

	NUTS_PASS(nng_pair1_open_poly(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 1u));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 1u));
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &n));
	NUTS_MATCH(n, "pair1");
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &n));
	NUTS_MATCH(n, "pair1");
	nng_strfree(n);
	NUTS_CLOSE(s);
}

static void
test_poly_best_effort(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair1_open(&c1));

	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, SECOND));

	NUTS_MARRY(s1, c1);

	// Nobody reads, yet sends never block: the excess is dropped.
	for (int i = 0; i < 10; i++) {
		NUTS_PASS(nng_msg_alloc(&msg, 0));
		NUTS_PASS(nng_sendmsg(s1, msg, 0));
	}

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_poly_cooked(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_socket c2;
	nng_msg   *msg;
	bool       v;
	nng_pipe   p1;
	nng_pipe   p2;
	nuts_watch w;
	uint32_t   hops;

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_PASS(nng_pair1_open(&c2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND / 10));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND / 10));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_RECVTIMEO, SECOND / 10));

	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_PAIR1_POLY, &v));
	NUTS_TRUE(v);

	NUTS_MARRY(s1, c1);
	NUTS_MARRY(s1, c2);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "ONE");
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	CHECK_STR(msg, "ONE");
	p1 = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p1) > 0);
	NUTS_EQ(nng_msg_header_len(msg), sizeof(uint32_t));
	NUTS_PASS(nng_msg_header_trim_u32(msg, &hops));
	NUTS_EQ(hops, 1);
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "TWO");
	NUTS_PASS(nng_sendmsg(c2, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	CHECK_STR(msg, "TWO");
	p2 = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p2) > 0);
	nng_msg_free(msg);

	NUTS_TRUE(nng_pipe_id(p1) != nng_pipe_id(p2));

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_msg_set_pipe(msg, p1);
	APPEND_STR(msg, "UNO");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	CHECK_STR(msg, "UNO");
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_msg_set_pipe(msg, p2);
	APPEND_STR(msg, "DOS");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c2, &msg, 0));
	CHECK_STR(msg, "DOS");
	nng_msg_free(msg);

	// A reply on the pipe a message came from.
	NUTS_SEND(c2, "ping");
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(msg)), nng_pipe_id(p2));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_RECV(c2, "ping");
	NUTS_FAIL(nng_recvmsg(c1, &msg, 0), NNG_ETIMEDOUT);

	nuts_watch_start(&w, s1, c1, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(c1);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, SECOND));
	nuts_watch_stop(&w, s1, c1, NNG_PIPE_EV_REM_POST);

	// To a pipe that is gone: dropped, not sent elsewhere.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_msg_set_pipe(msg, p1);
	APPEND_STR(msg, "EIN");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_FAIL(nng_recvmsg(c2, &msg, 0), NNG_ETIMEDOUT);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c2);
}

static void
test_poly_default(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_socket c2;
	nng_msg   *msg;
	nuts_watch w;

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_PASS(nng_pair1_open(&c2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_SENDTIMEO, SECOND));

	NUTS_MARRY(s1, c1);
	NUTS_MARRY(s1, c2);

	// Without a pipe id, the first suitor gets it.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "YES");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	CHECK_STR(msg, "YES");
	nng_msg_free(msg);

	nuts_watch_start(&w, s1, c1, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(c1);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, SECOND));
	nuts_watch_stop(&w, s1, c1, NNG_PIPE_EV_REM_POST);

	// Then the next one.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "AGAIN");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c2, &msg, 0));
	CHECK_STR(msg, "AGAIN");
	nng_msg_free(msg);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c2);
}

static void
test_poly_send_before_peer(void)
{
	nng_socket s1, c1;
	nng_msg   *msg;

	// Before the first peer, sends wait in the socket (default
	// send buffer 0: blocking, so a non-blocking one fails).
	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair1_open(&c1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, 50));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(s1, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_sendmsg(s1, msg, 0), NNG_ETIMEDOUT);
	nng_msg_free(msg);
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_SEND(s1, "early");
	NUTS_MARRY(s1, c1);
	NUTS_RECV(c1, "early");
	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_poly_close_abort(void)
{
	nng_socket s;
	nng_socket c;

	NUTS_PASS(nng_pair1_open_poly(&s));
	NUTS_PASS(nng_pair1_open(&c));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 100));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 200));
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(c, NNG_OPT_SENDBUF, 20));

	NUTS_MARRY(c, s);

	for (int i = 0; i < 20; i++) {
		NUTS_SEND(c, "TEST");
	}

	NUTS_CLOSE(s);
	NUTS_CLOSE(c);
}

static void
test_poly_recv_close_blocked(void)
{
	nng_socket   s;
	nuts_blocked r;

	NUTS_PASS(nng_pair1_open_poly(&s));
	nuts_blocked_start(&r, s, 0);
	NUTS_CLOSE(s);
	NUTS_FAIL(nuts_blocked_join(&r), NNG_ECLOSED);
}

static void
test_poly_ttl(void)
{
	nng_socket s1;
	nng_socket c1;

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair1_open_raw(&c1));
	check_ttl(s1, c1);
}

static void
test_poly_validate_peer(void)
{
	nng_socket s1, s2;

	NUTS_PASS(nng_pair1_open_poly(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	check_validate_peer(s1, s2);
}

// A peer whose messages carry no hop count, or an impossible one (sent
// with the test hook that turns off the sender's header handling), is
// dropped by a receiving mono or poly socket: nothing is received.
static void
check_malformed_from_peer(nng_socket s, uint32_t *hops)
{
	nng_socket c;
	nng_msg   *m;
	bool       b;

	NUTS_PASS(nng_pair1_open(&c));
	NUTS_PASS(nng_socket_set_bool(c, "pair1_test_inject_header", true));
	NUTS_FAIL(nng_socket_get_bool(c, "pair1_test_inject_header", &b),
	    NNG_EWRITEONLY);
	NUTS_FAIL(nng_socket_set_int(c, "pair1_test_inject_header", 1),
	    NNG_EBADTYPE);
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 100));
	NUTS_PASS(nng_socket_set_ms(c, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_MARRY(c, s);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	if (hops != NULL) {
		NUTS_PASS(nng_msg_header_append_u32(m, *hops));
	}
	NUTS_PASS(nng_sendmsg(c, m, 0));
	NUTS_FAIL(nng_recvmsg(s, &m, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(c);
	NUTS_CLOSE(s);
}

static void
test_recv_malformed(void)
{
	nng_socket s;
	uint32_t   big = 0x1000;

	NUTS_PASS(nng_pair1_open(&s));
	check_malformed_from_peer(s, NULL);
	NUTS_PASS(nng_pair1_open(&s));
	check_malformed_from_peer(s, &big);
	NUTS_PASS(nng_pair1_open_poly(&s));
	check_malformed_from_peer(s, NULL);
	NUTS_PASS(nng_pair1_open_poly(&s));
	check_malformed_from_peer(s, &big);
	// The hook is the monogamous socket's only.
	NUTS_PASS(nng_pair1_open_poly(&s));
	NUTS_FAIL(nng_socket_set_bool(s, "pair1_test_inject_header", true),
	    NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

NUTS_TESTS = {
	{ "pair1 mono identity", test_mono_identity },
	{ "pair1 mono cooked", test_mono_cooked },
	{ "pair1 mono faithful", test_mono_faithful },
	{ "pair1 mono back pressure", test_mono_back_pressure },
	{ "pair1 send no peer", test_send_no_peer },
	{ "pair1 mono recv nonblock", test_mono_recv_nonblock },
	{ "pair1 mono close blocked", test_mono_close_blocked },
	{ "pair1 mono raw exchange", test_mono_raw_exchange },
	{ "pair1 mono raw header", test_mono_raw_header },
	{ "pair1 send closed aio", test_send_closed_aio },
	{ "pair1 raw", test_raw },
	{ "pair1 ttl", test_mono_ttl },
	{ "pair1 cooked ttl", test_mono_cooked_ttl },
	{ "pair1 validate peer", test_mono_validate_peer },
	{ "pair1 no context", test_no_context },
	{ "pair1 send buffer", test_send_buffer },
	{ "pair1 recv buffer", test_recv_buffer },
	{ "pair1 poly option", test_poly_option },
	{ "pair1 poll readable", test_mono_poll_readable },
	{ "pair1 poll writable", test_mono_poll_writable },
	{ "pair1 poly identity", test_poly_identity },
	{ "pair1 poly best effort", test_poly_best_effort },
	{ "pair1 poly cooked", test_poly_cooked },
	{ "pair1 poly default", test_poly_default },
	{ "pair1 poly send before peer", test_poly_send_before_peer },
	{ "pair1 poly close abort", test_poly_close_abort },
	{ "pair1 poly recv close blocked", test_poly_recv_close_blocked },
	{ "pair1 poly ttl", test_poly_ttl },
	{ "pair1 poly validate peer", test_poly_validate_peer },
	{ "pair1 recv malformed", test_recv_malformed },
	{ NULL, NULL },
};
