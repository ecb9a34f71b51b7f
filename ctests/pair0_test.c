// pair0 over inproc, end to end from C: identity, exchange, the single
// peer rule, back-pressure, timeouts, non-blocking calls, close while
// blocked, raw mode, buffer options, peer validation and the
// notification descriptors (behaviour of upstream's pair0_test.c).
//
// nng-ctest: memcheck abi-1.5.2

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>

#include "nuts_proto.h"

#define SECOND 1000

static void
test_identity(void)
{
	nng_socket  s;
	int         p;
	char       *n;
	uint16_t    id;
	const char *cn;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 0u)); // 16
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &p));
	NUTS_EQ(p, NUTS_PROTO(1u, 0u)); // 16
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &n));
	NUTS_MATCH(n, "pair");
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &n));
	NUTS_MATCH(n, "pair");
	nng_strfree(n);
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_proto_id(s, &id));
	NUTS_EQ(id, 0x10);
	NUTS_PASS(nng_socket_peer_id(s, &id));
	NUTS_EQ(id, 0x10);
	NUTS_PASS(nng_socket_proto_name(s, &cn));
	NUTS_MATCH(cn, "pair");
	NUTS_PASS(nng_socket_peer_name(s, &cn));
	NUTS_MATCH(cn, "pair");
#else
	(void) id;
	(void) cn;
#endif
	NUTS_CLOSE(s);
}

static void
test_cooked(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;
	nng_pipe   p1, p2;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_MARRY_EX(s1, c1, NULL, &p1, &p2);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "ALPHA", strlen("ALPHA") + 1));
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	NUTS_EQ(nng_msg_len(msg), strlen("ALPHA") + 1);
	NUTS_MATCH(nng_msg_body(msg), "ALPHA");
	NUTS_EQ(nng_msg_header_len(msg), 0);
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(msg)), nng_pipe_id(p1));
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "BETA", strlen("BETA") + 1));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	NUTS_EQ(nng_msg_len(msg), strlen("BETA") + 1);
	NUTS_MATCH(nng_msg_body(msg), "BETA");
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(msg)), nng_pipe_id(p2));
	nng_msg_free(msg);

	// The byte-buffer calls too.
	NUTS_SEND(c1, "gamma");
	NUTS_RECV(s1, "gamma");
	NUTS_SEND(s1, "delta");
	NUTS_RECV(c1, "delta");

	NUTS_CLOSE(c1);
	NUTS_CLOSE(s1);
}

static void
test_faithful(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_socket c2;
	nng_msg   *msg;
	char      *addr;
	nuts_watch w;

	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_pair0_open(&c2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND / 4));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_int(c2, NNG_OPT_SENDBUF, 2));

	NUTS_MARRY_EX(s1, c1, addr, NULL, NULL);

	// A second peer connects, but s1 keeps the one it has.
	nuts_watch_start(&w, s1, c2, NNG_PIPE_EV_REM_POST);
	NUTS_PASS(nng_dial(c2, addr, NULL, 0));
	NUTS_TRUE(nuts_watch_wait(&w, 1, 1, SECOND)); // c2 lost its pipe
	nuts_watch_stop(&w, s1, c2, NNG_PIPE_EV_REM_POST);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "ONE");
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	CHECK_STR(msg, "ONE");
	nng_msg_free(msg);

	// c2 buffers its message (no peer), nothing reaches s1.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "TWO");
	NUTS_PASS(nng_sendmsg(c2, msg, 0));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);

	// And the first pair still works both ways.
	NUTS_SEND(s1, "three");
	NUTS_RECV(c1, "three");

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
	NUTS_CLOSE(c2);
}

static void
test_back_pressure(void)
{
	nng_socket   s1;
	nng_socket   c1;
	int          i;
	int          rv;
	nng_msg     *msg;
	nng_duration to = 100;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, 1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, to));

	NUTS_MARRY(s1, c1);

	// c1 never reads: a few messages fit in the buffers, then the
	// sender blocks and times out.
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

	// Non-blocking now fails at once.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(s1, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(msg);

	// Draining the receiver lets the sender go again.
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	nng_msg_free(msg);
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_send_no_peer(void)
{
	nng_socket   s1;
	nng_msg     *msg;
	nng_duration to = 100;
	nng_time     t0;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, to));

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	t0 = nng_clock();
	NUTS_FAIL(nng_sendmsg(s1, msg, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() - t0 >= (nng_time) to - 1);
	NUTS_FAIL(nng_sendmsg(s1, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	nng_msg_free(msg);
	NUTS_FAIL(nng_send(s1, "x", 1, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_CLOSE(s1);
}

static void
test_recv_nonblock_timeout(void)
{
	nng_socket s1;
	nng_msg   *msg;
	char       buf[8];
	size_t     sz = sizeof(buf);

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_FAIL(nng_recvmsg(s1, &msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_recv(s1, buf, &sz, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 50));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);
	// A zero timeout is a non-blocking try that times out.
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 0));
	NUTS_FAIL(nng_recvmsg(s1, &msg, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(s1);
}

static void
test_close_blocked(void)
{
	nng_socket   s1;
	nuts_blocked r, w;

	NUTS_PASS(nng_pair0_open(&s1));
	nuts_blocked_start(&r, s1, 0);
	nuts_blocked_start(&w, s1, 1);
	NUTS_CLOSE(s1);
	NUTS_FAIL(nuts_blocked_join(&r), NNG_ECLOSED);
	NUTS_FAIL(nuts_blocked_join(&w), NNG_ECLOSED);
	NUTS_FAIL(nng_close(s1), NNG_ECLOSED);
	NUTS_FAIL(nng_send(s1, "x", 1, 0), NNG_ECLOSED);
}

static void
test_close_aio(void)
{
	nng_socket s1;
	nng_aio   *raio;
	nng_aio   *saio;
	nng_msg   *msg;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&raio, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&saio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	nng_aio_set_timeout(raio, 5 * SECOND);
	nng_aio_set_timeout(saio, 5 * SECOND);
	nng_aio_set_msg(saio, msg);
	nng_recv_aio(s1, raio);
	nng_send_aio(s1, saio);
	NUTS_CLOSE(s1);
	nng_aio_wait(raio);
	nng_aio_wait(saio);
	NUTS_FAIL(nng_aio_result(raio), NNG_ECLOSED);
	NUTS_FAIL(nng_aio_result(saio), NNG_ECLOSED);
	// A failed send leaves the message with the caller.
	NUTS_TRUE(nng_aio_get_msg(saio) == msg);
	nng_msg_free(msg);

	// Operations on a closed socket fail too.
	nng_recv_aio(s1, raio);
	nng_aio_wait(raio);
	NUTS_FAIL(nng_aio_result(raio), NNG_ECLOSED);
	nng_aio_free(raio);
	nng_aio_free(saio);
}

static void
test_aio_timeout_cancel(void)
{
	nng_socket s1;
	nng_aio   *aio;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 20);
	nng_recv_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	nng_aio_set_timeout(aio, 0);
	nng_recv_aio(s1, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);

	nng_aio_set_timeout(aio, 5 * SECOND);
	nng_recv_aio(s1, aio);
	nng_aio_cancel(aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);

	NUTS_CLOSE(s1);
	nng_aio_free(aio);
}

static void
test_raw_exchange(void)
{
	nng_socket s1;
	nng_socket c1;
	nng_msg   *msg;
	nng_pipe   p = NNG_PIPE_INITIALIZER;

	NUTS_PASS(nng_pair0_open_raw(&s1));
	NUTS_PASS(nng_pair0_open_raw(&c1));

	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(s1, c1);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "GAMMA");
	NUTS_PASS(nng_sendmsg(c1, msg, 0));
	NUTS_PASS(nng_recvmsg(s1, &msg, 0));
	p = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p) > 0);
	CHECK_STR(msg, "GAMMA");
	NUTS_EQ(nng_msg_header_len(msg), 0);
	nng_msg_free(msg);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	APPEND_STR(msg, "EPSILON");
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	NUTS_PASS(nng_recvmsg(c1, &msg, 0));
	CHECK_STR(msg, "EPSILON");
	p = nng_msg_get_pipe(msg);
	NUTS_TRUE(nng_pipe_id(p) > 0);
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
	NUTS_PASS(nng_pair0_open(&s1));
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

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_RAW, &raw));
	NUTS_TRUE(raw == false);
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_raw(s1, &raw));
	NUTS_TRUE(raw == false);
#endif
	NUTS_FAIL(nng_socket_set_bool(s1, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_PASS(nng_close(s1));

	NUTS_PASS(nng_pair0_open_raw(&s1));
	NUTS_PASS(nng_socket_get_bool(s1, NNG_OPT_RAW, &raw));
	NUTS_TRUE(raw == true);
#if NUTS_API_1_12
	NUTS_PASS(nng_socket_raw(s1, &raw));
	NUTS_TRUE(raw == true);
#endif
	NUTS_FAIL(nng_socket_set_bool(s1, NNG_OPT_RAW, false), NNG_EREADONLY);
	NUTS_PASS(nng_close(s1));
}

static void
test_validate_peer(void)
{
	nng_socket s1, s2;
	char      *addr;
	nuts_watch w;
	uint64_t   rejects;

	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 50));

	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	NUTS_PASS(nng_listen(s1, addr, NULL, 0));
	// The connection is made; the sockets then refuse the pipe.
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
test_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
check_buffer_option(const char *opt)
{
	nng_socket s;
	int        v;
	bool       b;
	size_t     sz;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, 0);
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
	NUTS_PASS(nng_socket_set_int(s, opt, 8192));
	v  = 0;
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s, opt, &v, &sz));
	NUTS_EQ(v, 8192);
	NUTS_EQ(sz, sizeof(v));
	NUTS_FAIL(nng_socket_set_int(s, opt, 8193), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, opt, 0));
	NUTS_CLOSE(s);
}

static void
test_send_buffer(void)
{
	check_buffer_option(NNG_OPT_SENDBUF);
}

static void
test_recv_buffer(void)
{
	check_buffer_option(NNG_OPT_RECVBUF);
}

static void
test_buffered_exchange(void)
{
	nng_socket s1;
	nng_socket c1;

	// With buffers, a burst goes out without a reader, in order.
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 8));
	NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, 8));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(s1, c1);
	for (int i = 0; i < 10; i++) {
		char buf[8];
		(void) snprintf(buf, sizeof(buf), "m%d", i);
		NUTS_PASS(nng_send(s1, buf, strlen(buf) + 1, 0));
	}
	for (int i = 0; i < 10; i++) {
		char buf[8];
		(void) snprintf(buf, sizeof(buf), "m%d", i);
		NUTS_RECV(c1, buf);
	}
	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_reconnect_new_peer(void)
{
	nng_socket s1, c1, c2;
	nng_pipe   p1, p2;
	nuts_watch w;

	// Once the peer goes, a new one is accepted.
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_pair0_open(&c2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(c2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY_EX(s1, c1, NULL, &p1, NULL);
	nuts_watch_start(&w, s1, c1, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(c1);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, SECOND));
	nuts_watch_stop(&w, s1, c1, NNG_PIPE_EV_REM_POST);
	NUTS_MARRY_EX(s1, c2, NULL, &p2, NULL);
	NUTS_TRUE(nng_pipe_id(p1) != nng_pipe_id(p2));
	NUTS_SEND(c2, "hello");
	NUTS_RECV(s1, "hello");
	NUTS_SEND(s1, "again");
	NUTS_RECV(c2, "again");
	NUTS_CLOSE(s1);
	NUTS_CLOSE(c2);
}

static void
test_poll_readable(void)
{
	int        fd;
	nng_socket s1;
	nng_socket s2;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(s1, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}

	// Not readable if not connected, nor after connect.
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(s1, s2);
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	// Readable once a message is there.
	NUTS_SEND(s2, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));

	// Receiving makes it no longer ready.
	NUTS_RECV(s1, "abc");
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	// Shrinking the buffer drops what it held.
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 1));
	NUTS_SEND(s2, "def");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 0));
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	// Growing does not make it readable either.
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_RECVBUF, 10));
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_poll_writable(void)
{
	int        fd;
	nng_socket s1;
	nng_socket s2;
	nuts_watch w;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(s1, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(s1);
		NUTS_CLOSE(s2);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}

	// Not writable if not connected, but writable after.
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(s1, s2);
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));

	// Unbuffered: one in the receiver, one on the pipe, then full.
	NUTS_SEND(s1, "abc");
	NUTS_SEND(s1, "def");
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	// Receiving makes room.
	NUTS_RECV(s2, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));

	// Without a peer it is not writable...
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(s2);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 1000));
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_REM_POST);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	// ...unless there is buffer space.
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 1));
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 0));
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	NUTS_CLOSE(s1);
}

static void
test_recv_truncate_alloc(void)
{
	nng_socket s1, c1;
	char       buf[5];
	size_t     sz;
	char      *abuf;
	void      *out;

	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(s1, c1);

	// A short buffer gets the start; the size says how long it was.
	NUTS_SEND(c1, "hello world");
	sz = sizeof(buf);
	NUTS_PASS(nng_recv(s1, buf, &sz, 0));
	NUTS_EQ(sz, 12);
	NUTS_TRUE(memcmp(buf, "hello", 5) == 0);

	// NNG_FLAG_ALLOC both ways: the library takes / gives the buffer.
	NUTS_TRUE((abuf = nng_alloc(6)) != NULL);
	memcpy(abuf, "alloc", 6);
	NUTS_PASS(nng_send(c1, abuf, 6, NNG_FLAG_ALLOC));
	NUTS_PASS(nng_recv(s1, &out, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, 6);
	NUTS_MATCH(out, "alloc");
	nng_free(out, sz);

	// An empty message comes back as NULL, 0.
	NUTS_PASS(nng_send(c1, "", 0, 0));
	out = &sz;
	NUTS_PASS(nng_recv(s1, &out, &sz, NNG_FLAG_ALLOC));
	NUTS_EQ(sz, 0);
	NUTS_NULL(out);

	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

#define CONC_N 2000

typedef struct {
	nng_socket s;
	int        rv;
	pthread_t  thr;
} conc_arg;

static void *
conc_send(void *arg)
{
	conc_arg *a = arg;
	for (uint32_t i = 0; i < CONC_N && a->rv == 0; i++) {
		nng_msg *m;
		if ((a->rv = nng_msg_alloc(&m, 0)) == 0 &&
		    (a->rv = nng_msg_append_u32(m, i)) == 0 &&
		    (a->rv = nng_sendmsg(a->s, m, 0)) != 0) {
			nng_msg_free(m);
		}
	}
	return (NULL);
}

static void *
conc_recv(void *arg)
{
	conc_arg *a = arg;
	for (uint32_t i = 0; i < CONC_N && a->rv == 0; i++) {
		nng_msg *m;
		uint32_t v = 0;
		if ((a->rv = nng_recvmsg(a->s, &m, 0)) == 0) {
			a->rv = nng_msg_trim_u32(m, &v);
			nng_msg_free(m);
			if (a->rv == 0 && v != i) {
				a->rv = NNG_EINTERNAL; // out of order
			}
		}
	}
	return (NULL);
}

static void
test_concurrent_both_ways(void)
{
	nng_socket s1, c1;
	conc_arg   a[4];

	// Four threads: each side sends and receives at once, in order,
	// nothing lost, nothing duplicated.
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, 4));
	NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, 2));
	for (int i = 0; i < 4; i++) {
		nng_socket s = (i % 2) ? c1 : s1;
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 10 * SECOND));
		NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 10 * SECOND));
	}
	NUTS_MARRY(s1, c1);
	a[0].s = s1;
	a[1].s = c1;
	a[2].s = s1;
	a[3].s = c1;
	for (int i = 0; i < 4; i++) {
		a[i].rv = 0;
		NUTS_TRUE(pthread_create(&a[i].thr, NULL,
		              i < 2 ? conc_send : conc_recv, &a[i]) == 0);
	}
	for (int i = 0; i < 4; i++) {
		NUTS_TRUE(pthread_join(a[i].thr, NULL) == 0);
		NUTS_PASS(a[i].rv);
	}
	NUTS_CLOSE(s1);
	NUTS_CLOSE(c1);
}

static void
test_close_blocked_with_peer(void)
{
	nng_socket   s1, c1;
	nng_msg     *m;
	nuts_blocked w;

	// The peer never reads: the pipe holds one message, the next send
	// blocks until the socket is closed under it.
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_MARRY(s1, c1);
	// Fill until a send times out: then everything is stuck.
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, 50));
	for (;;) {
		NUTS_PASS(nng_msg_alloc(&m, 0));
		int rv = nng_sendmsg(s1, m, 0);
		if (rv != 0) {
			NUTS_FAIL(rv, NNG_ETIMEDOUT);
			nng_msg_free(m);
			break;
		}
	}
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, -1));
	nuts_blocked_start(&w, s1, 1);
	NUTS_CLOSE(s1);
	NUTS_FAIL(nuts_blocked_join(&w), NNG_ECLOSED);
	NUTS_CLOSE(c1);
}

static void
test_dialer_redials(void)
{
	nng_socket s1, s2, c1;
	char      *addr;
	nuts_watch w;

	// The dialer's peer goes away and a new listener takes the address:
	// the dialer connects to it by itself.
	NUTS_ADDR(addr, "inproc");
	NUTS_PASS(nng_pair0_open(&s1));
	NUTS_PASS(nng_pair0_open(&s2));
	NUTS_PASS(nng_pair0_open(&c1));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECONNMINT, 10));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECONNMAXT, 10));
	NUTS_PASS(nng_socket_set_ms(c1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY_EX(s1, c1, addr, NULL, NULL);
	NUTS_CLOSE(s1);

	nuts_watch_start(&w, s2, c1, NNG_PIPE_EV_ADD_POST);
	NUTS_PASS(nng_listen(s2, addr, NULL, 0));
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 2 * SECOND));
	NUTS_TRUE(nuts_watch_wait(&w, 1, 1, 2 * SECOND));
	nuts_watch_stop(&w, s2, c1, NNG_PIPE_EV_ADD_POST);
	NUTS_SEND(c1, "back");
	NUTS_RECV(s2, "back");
	NUTS_SEND(s2, "again");
	NUTS_RECV(c1, "again");
	NUTS_CLOSE(s2);
	NUTS_CLOSE(c1);
}

typedef struct {
	nng_socket s;
	int        send;
	int        rv;
	pthread_t  thr;
} loader;

static void *
loader_run(void *arg)
{
	loader *l = arg;
	for (;;) {
		nng_msg *m;
		if (l->send) {
			if ((l->rv = nng_msg_alloc(&m, 8)) != 0) {
				return (NULL);
			}
			if ((l->rv = nng_sendmsg(l->s, m, 0)) != 0) {
				nng_msg_free(m);
				return (NULL);
			}
		} else {
			if ((l->rv = nng_recvmsg(l->s, &m, 0)) != 0) {
				return (NULL);
			}
			nng_msg_free(m);
		}
	}
}

static void
test_close_under_load(void)
{
	// Closing sockets while threads hammer them: every thread ends
	// with NNG_ECLOSED, nothing hangs or leaks.
	for (int round = 0; round < 20; round++) {
		nng_socket s1, c1;
		loader     l[4];
		NUTS_PASS(nng_pair0_open(&s1));
		NUTS_PASS(nng_pair0_open(&c1));
		NUTS_PASS(nng_socket_set_int(s1, NNG_OPT_SENDBUF, round % 3));
		NUTS_PASS(nng_socket_set_int(c1, NNG_OPT_RECVBUF, round % 2));
		NUTS_MARRY(s1, c1);
		for (int i = 0; i < 4; i++) {
			l[i].s    = (i % 2) ? c1 : s1;
			l[i].send = i < 2;
			l[i].rv   = 0;
			NUTS_TRUE(pthread_create(
			              &l[i].thr, NULL, loader_run, &l[i]) == 0);
		}
		NUTS_SEND(s1, "go"); // at least one message moved
		if (round % 2) {
			NUTS_CLOSE(s1);
			NUTS_CLOSE(c1);
		} else {
			NUTS_CLOSE(c1);
			NUTS_CLOSE(s1);
		}
		for (int i = 0; i < 4; i++) {
			NUTS_TRUE(pthread_join(l[i].thr, NULL) == 0);
			NUTS_FAIL(l[i].rv, NNG_ECLOSED);
		}
	}
}

NUTS_TESTS = {
	{ "pair0 identity", test_identity },
	{ "pair0 cooked", test_cooked },
	{ "pair0 faithful", test_faithful },
	{ "pair0 back pressure", test_back_pressure },
	{ "pair0 send no peer", test_send_no_peer },
	{ "pair0 recv nonblock timeout", test_recv_nonblock_timeout },
	{ "pair0 close blocked", test_close_blocked },
	{ "pair0 close aio", test_close_aio },
	{ "pair0 aio timeout cancel", test_aio_timeout_cancel },
	{ "pair0 raw exchange", test_raw_exchange },
	{ "pair0 send closed aio", test_send_closed_aio },
	{ "pair0 raw", test_raw },
	{ "pair0 validate peer", test_validate_peer },
	{ "pair0 no context", test_no_context },
	{ "pair0 send buffer", test_send_buffer },
	{ "pair0 recv buffer", test_recv_buffer },
	{ "pair0 buffered exchange", test_buffered_exchange },
	{ "pair0 reconnect new peer", test_reconnect_new_peer },
	{ "pair0 recv truncate alloc", test_recv_truncate_alloc },
	{ "pair0 concurrent both ways", test_concurrent_both_ways },
	{ "pair0 close blocked with peer", test_close_blocked_with_peer },
	{ "pair0 dialer redials", test_dialer_redials },
	{ "pair0 close under load", test_close_under_load },
	{ "pair0 poll readable", test_poll_readable },
	{ "pair0 poll writable", test_poll_writable },
	{ NULL, NULL },
};
