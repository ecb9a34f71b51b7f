// bus0 over inproc, end to end from C: identity, broadcast to every peer
// but never back to the sender, raw mode's pipe-id header (what a device
// relies on), best-effort sends, receive cancel/close/stop, buffer
// options and peer validation (behaviour of upstream's bus_test.c).
//
// nng-ctest: memcheck abi-1.5.2

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>

#include "nuts_proto.h"

#define SECOND 1000

static void
test_bus_identity(void)
{
	nng_socket  s;
	uint16_t    p;
	const char *n;
	int         v;
	char       *str;

	NUTS_PASS(nng_bus0_open(&s));
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_proto_id(s, &p));
	NUTS_EQ(p, NNG_BUS0_SELF);
	NUTS_EQ(p, NUTS_PROTO(7u, 0u)); // 112
	NUTS_PASS(nng_socket_peer_id(s, &p));
	NUTS_EQ(p, NNG_BUS0_PEER);
	NUTS_PASS(nng_socket_proto_name(s, &n));
	NUTS_MATCH(n, NNG_BUS0_SELF_NAME);
	NUTS_PASS(nng_socket_peer_name(s, &n));
	NUTS_MATCH(n, NNG_BUS0_PEER_NAME);
#else
	(void) p;
	(void) n;
#endif
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &v));
	NUTS_EQ(v, 0x70);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &v));
	NUTS_EQ(v, 0x70);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &str));
	NUTS_MATCH(str, "bus");
	nng_strfree(str);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &str));
	NUTS_MATCH(str, "bus");
	nng_strfree(str);
	NUTS_CLOSE(s);
}

static void
test_bus_star(void)
{
	nng_socket s1, s2, s3;
	nng_msg   *m;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_bus0_open(&s3));

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, SECOND));

	NUTS_MARRY(s1, s2);
	NUTS_MARRY(s1, s3);

	NUTS_SEND(s1, "one");
	NUTS_RECV(s2, "one");
	NUTS_RECV(s3, "one");

	NUTS_SEND(s2, "two");
	NUTS_SEND(s1, "one");
	NUTS_RECV(s1, "two");
	NUTS_RECV(s2, "one");
	NUTS_RECV(s3, "one");

	// Not forwarded (s2 and s3 are not connected), and never echoed.
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 50));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, 50));
	NUTS_FAIL(nng_recvmsg(s3, &m, 0), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_recvmsg(s1, &m, 0), NNG_ETIMEDOUT);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
	NUTS_CLOSE(s3);
}

static void
test_bus_cooked_header(void)
{
	nng_socket s1, s2;
	nng_msg   *m;
	nng_pipe   p1;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY_EX(s1, s2, NULL, &p1, NULL);

	// A cooked sender drops any header; the receiver sees none.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	APPEND_STR(m, "body");
	NUTS_PASS(nng_msg_header_append_u32(m, 0x12345678));
	NUTS_PASS(nng_sendmsg(s2, m, 0));
	NUTS_PASS(nng_recvmsg(s1, &m, 0));
	CHECK_STR(m, "body");
	NUTS_EQ(nng_msg_header_len(m), 0);
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(m)), nng_pipe_id(p1));
	nng_msg_free(m);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_bus_raw_forward(void)
{
	nng_socket s1, s2, s3;
	nng_msg   *m;
	nng_pipe   p12, p13;
	uint32_t   id;

	// What a bus device does by hand: a raw socket learns the pipe a
	// message came from (header), and resending it skips that pipe.
	NUTS_PASS(nng_bus0_open_raw(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_bus0_open(&s3));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY_EX(s1, s2, NULL, &p12, NULL);
	NUTS_MARRY_EX(s1, s3, NULL, &p13, NULL);

	NUTS_SEND(s2, "two");
	NUTS_PASS(nng_recvmsg(s1, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), sizeof(uint32_t));
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(m)), nng_pipe_id(p12));
	NUTS_PASS(nng_msg_header_chop_u32(m, &id));
	NUTS_EQ(id, (uint32_t) nng_pipe_id(p12));
	NUTS_PASS(nng_msg_header_append_u32(m, id));
	NUTS_PASS(nng_sendmsg(s1, m, 0));
	NUTS_RECV(s3, "two");
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, 50));
	NUTS_FAIL(nng_recvmsg(s2, &m, 0), NNG_ETIMEDOUT);

	// Without a header a raw send goes to everyone.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	APPEND_STR(m, "all");
	NUTS_PASS(nng_sendmsg(s1, m, 0));
	NUTS_PASS(nng_recvmsg(s2, &m, 0));
	CHECK_STR(m, "all");
	NUTS_EQ(nng_msg_header_len(m), 0);
	nng_msg_free(m);
	NUTS_PASS(nng_recvmsg(s3, &m, 0));
	CHECK_STR(m, "all");
	nng_msg_free(m);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
	NUTS_CLOSE(s3);
}

static void
test_bus_device(void)
{
#if !NUTS_API_1_12
	NUTS_SKIP("nng_device_aio is newer than these headers");
#else
	nng_socket s1, s2, s3;
	nng_socket none = NNG_SOCKET_INITIALIZER;
	nng_aio   *aio;

	NUTS_PASS(nng_bus0_open_raw(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_bus0_open(&s3));
	// Probe: a device needs raw sockets (cooked s2: NNG_EINVAL).
	if (nng_device(s2, none) == NNG_ENOTSUP) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_CLOSE(s3);
		NUTS_SKIP("no devices");
	}
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, SECOND));

	NUTS_MARRY(s1, s2);
	NUTS_MARRY(s1, s3);

	nng_device_aio(aio, s1, none);

	NUTS_SEND(s2, "two");
	NUTS_SEND(s3, "three");
	NUTS_RECV(s2, "three");
	NUTS_RECV(s3, "two");

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
	NUTS_CLOSE(s3);
	nng_aio_wait(aio);
	nng_aio_free(aio);
#endif
}

static void
test_bus_validate_peer(void)
{
	nng_socket s1, s2;
	char      *addr;
	nuts_watch w;
	uint64_t   rejects;

	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
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
test_bus_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_bus0_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_bus_recv_cancel(void)
{
	nng_socket s1;
	nng_aio   *aio;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, SECOND);
	nng_recv_aio(s1, aio);
	nng_aio_abort(aio, NNG_ECANCELED);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(s1);
	nng_aio_free(aio);
}

static void
test_bus_recv_timeout_nonblock(void)
{
	nng_socket s1;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 10);
	nng_recv_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	nng_aio_set_timeout(aio, 0);
	nng_recv_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	NUTS_FAIL(nng_recvmsg(s1, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 10));
	NUTS_FAIL(nng_recvmsg(s1, &m, 0), NNG_ETIMEDOUT);

	NUTS_CLOSE(s1);
	nng_aio_free(aio);
}

static void
test_bus_close_recv_abort(void)
{
	nng_socket s1;
	nng_aio   *aio;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, SECOND);
	nng_recv_aio(s1, aio);
	NUTS_CLOSE(s1);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
}

static void
test_bus_close_blocked(void)
{
	nng_socket   s1;
	nuts_blocked r;

	NUTS_PASS(nng_bus0_open(&s1));
	nuts_blocked_start(&r, s1, 0);
	NUTS_CLOSE(s1);
	NUTS_FAIL(nuts_blocked_join(&r), NNG_ECLOSED);
}

static void
test_bus_aio_stopped(void)
{
	nng_socket s1;
	nng_aio   *aio;
	nng_msg   *msg;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_stop(aio);

	nng_recv_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);

	nng_aio_set_msg(aio, msg);
	nng_send_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);

	nng_aio_free(aio);
	nng_msg_free(msg);
	NUTS_CLOSE(s1);
}

static void
test_bus_send_no_pipes(void)
{
	nng_socket s1;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_SEND(s1, "DROP1");
	NUTS_SEND(s1, "DROP2");
	// Best effort: never blocks, even non-blocking.
	NUTS_PASS(nng_send(s1, "DROP3", 6, NNG_FLAG_NONBLOCK));
	NUTS_CLOSE(s1);
}

static void
test_bus_send_flood(void)
{
	nng_socket s1, s2;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_socket_set_int(s2, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, SECOND));

	NUTS_MARRY(s1, s2);

	// Nobody reads: the excess is dropped, the sender never blocks.
	for (int i = 0; i < 1000; i++) {
		NUTS_SEND(s2, "one thousand");
	}
	// s1 kept its (default 16) buffered messages.
	NUTS_RECV(s1, "one thousand");

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_bus_poll_readable(void)
{
	int        fd;
	nng_socket s1, s2;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(s1, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(s2, s1);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_SEND(s2, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_RECV(s1, "abc");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_CLOSE(s2);
	NUTS_CLOSE(s1);
}

static void
test_bus_poll_writeable(void)
{
	int        fd;
	nng_socket s1, s2;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_socket_set_int(s2, NNG_OPT_SENDBUF, 1));
	if (!nuts_poll_fd_get(s2, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}
	// Bus is *always* writeable.
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_MARRY(s1, s2);
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_SEND(s2, "abc");
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
check_buf_option(const char *opt)
{
	nng_socket s1, s2;
	int        v;
	bool       b;
	size_t     sz;

	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_MARRY(s1, s2);

	NUTS_PASS(nng_socket_get_int(s1, opt, &v));
	NUTS_EQ(v, 16);
	NUTS_PASS(nng_socket_set_int(s1, opt, 1));
	NUTS_FAIL(nng_socket_set_int(s1, opt, 0), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s1, opt, -1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s1, opt, 8193), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s1, opt, 1000000), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s1, opt, 8192));
	NUTS_PASS(nng_socket_set_int(s1, opt, 3));
	NUTS_PASS(nng_socket_get_int(s1, opt, &v));
	NUTS_EQ(v, 3);
	v  = 0;
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s1, opt, &v, &sz));
	NUTS_EQ(v, 3);
	NUTS_EQ(sz, sizeof(v));

	NUTS_FAIL(nng_socket_set(s1, opt, "", 1), NNG_EINVAL);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s1, opt, &v, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s1, opt, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_bool(s1, opt, &b), NNG_EBADTYPE);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_bus_recv_buf_option(void)
{
	check_buf_option(NNG_OPT_RECVBUF);
}

static void
test_bus_send_buf_option(void)
{
	check_buf_option(NNG_OPT_SENDBUF);
}

static void
test_bus_cooked(void)
{
	nng_socket s;
	bool       b;

	NUTS_PASS(nng_bus0_open(&s));
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_raw(s, &b));
	NUTS_TRUE(!b);
#endif
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_bus0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_raw(s, &b));
	NUTS_TRUE(b);
#endif
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RAW, false), NNG_EREADONLY);
	NUTS_CLOSE(s);
}

static void
test_bus_listen_twice(void)
{
	nng_socket bus1, bus2;
	char      *addr;

	// Upstream's bug1247 (over tcp there; the rule is the same).
	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_bus0_open(&bus1));
	NUTS_PASS(nng_bus0_open(&bus2));
	NUTS_PASS(nng_listen(bus1, addr, NULL, 0));
	NUTS_FAIL(nng_listen(bus2, addr, NULL, 0), NNG_EADDRINUSE);
	NUTS_CLOSE(bus2);
	NUTS_CLOSE(bus1);
}

static void
test_bus_peer_leaves(void)
{
	nng_socket s1, s2, s3;
	nuts_watch w;

	// Losing one peer does not disturb the others.
	NUTS_PASS(nng_bus0_open(&s1));
	NUTS_PASS(nng_bus0_open(&s2));
	NUTS_PASS(nng_bus0_open(&s3));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(s1, s2);
	NUTS_MARRY(s1, s3);
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(s2);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, SECOND));
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_SEND(s1, "still");
	NUTS_RECV(s3, "still");
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s3);
}

NUTS_TESTS = {
	{ "bus identity", test_bus_identity },
	{ "bus star", test_bus_star },
	{ "bus cooked header", test_bus_cooked_header },
	{ "bus raw forward", test_bus_raw_forward },
	{ "bus device", test_bus_device },
	{ "bus validate peer", test_bus_validate_peer },
	{ "bus no context", test_bus_no_context },
	{ "bus poll read", test_bus_poll_readable },
	{ "bus poll write", test_bus_poll_writeable },
	{ "bus send no pipes", test_bus_send_no_pipes },
	{ "bus send flood", test_bus_send_flood },
	{ "bus recv cancel", test_bus_recv_cancel },
	{ "bus recv timeout nonblock", test_bus_recv_timeout_nonblock },
	{ "bus close recv abort", test_bus_close_recv_abort },
	{ "bus close blocked", test_bus_close_blocked },
	{ "bus aio stopped", test_bus_aio_stopped },
	{ "bus recv buf option", test_bus_recv_buf_option },
	{ "bus send buf option", test_bus_send_buf_option },
	{ "bus cooked", test_bus_cooked },
	{ "bus listen twice", test_bus_listen_twice },
	{ "bus peer leaves", test_bus_peer_leaves },
	{ NULL, NULL },
};
