// pub0/sub0 over inproc, end to end from C: identity, one direction only
// (NNG_ENOTSUP), topic filtering, subscribe/unsubscribe through options
// and the nng_sub0_* functions, prefer-new and drop-new queueing, sub
// contexts (each with its own topics and queue), raw sub (xsub), cancel,
// timeouts, close while blocked, buffer options and peer validation
// (behaviour of upstream's pub_test.c, sub_test.c and xsub_test.c).
//
// Where upstream sleeps to let published messages arrive, these tests
// instead publish a last "sync" message that a second context subscribes
// to: once that context has it, every earlier message went through the
// same pipe and was filtered and queued.
//
// nng-ctest: memcheck abi-1.5.2

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>

#include "nuts_proto.h"

#define SECOND 1000

// A context of `sub` subscribed to "sync" only.
static void
sync_open(nng_socket sub, nng_ctx *c)
{
	NUTS_PASS(nng_ctx_open(c, sub));
	NUTS_PASS(nng_ctx_set(*c, NNG_OPT_SUB_SUBSCRIBE, "sync", 4));
}

// Publishes "sync" and waits until the context has it.
static void
sync_wait(nng_socket pub, nng_ctx c)
{
	nng_aio *aio;
	nng_msg *m;

	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 2 * SECOND);
	NUTS_SEND(pub, "sync");
	nng_ctx_recv(c, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	m = nng_aio_get_msg(aio);
	NUTS_MATCH(nng_msg_body(m), "sync");
	nng_msg_free(m);
	nng_aio_free(aio);
}

static void
check_identity(
    nng_socket s, int self, int peer, const char *sn, const char *pn)
{
	int   p;
	char *n;

	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &p));
	NUTS_EQ(p, self);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &p));
	NUTS_EQ(p, peer);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &n));
	NUTS_MATCH(n, sn);
	nng_strfree(n);
	NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &n));
	NUTS_MATCH(n, pn);
	nng_strfree(n);
	NUTS_CLOSE(s);
}

static void
test_identity(void)
{
	nng_socket s;

	NUTS_PASS(nng_pub0_open(&s));
	check_identity(s, NUTS_PROTO(2u, 0u), NUTS_PROTO(2u, 1u), "pub", "sub");
	NUTS_PASS(nng_pub0_open_raw(&s));
	check_identity(s, 0x20, 0x21, "pub", "sub");
	NUTS_PASS(nng_sub0_open(&s));
	check_identity(s, NUTS_PROTO(2u, 1u), NUTS_PROTO(2u, 0u), "sub", "pub");
	NUTS_PASS(nng_sub0_open_raw(&s));
	check_identity(s, 0x21, 0x20, "sub", "pub");
}

static void
test_raw_flags(void)
{
	nng_socket s;
	bool       b;

	NUTS_PASS(nng_pub0_open(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pub0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
	NUTS_CLOSE(s);
}

static void
test_one_direction(void)
{
	nng_socket s;
	nng_msg   *m;
	char       buf[4];
	size_t     sz = sizeof(buf);

	NUTS_PASS(nng_pub0_open(&s));
	NUTS_FAIL(nng_recv(s, buf, &sz, 0), NNG_ENOTSUP);
	// The protocol's refusal comes before argument checks, as upstream
	// (which receives first): no size pointer is still NNG_ENOTSUP.
	NUTS_FAIL(nng_recv(s, buf, NULL, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_recvmsg(s, &m, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pub0_open_raw(&s));
	NUTS_FAIL(nng_recv(s, buf, &sz, 0), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open(&s));
	NUTS_FAIL(nng_send(s, "", 0, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_send(s, "", 0, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open_raw(&s));
	NUTS_FAIL(nng_send(s, "", 0, 0), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_sub_context_cannot_send(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_msg   *m;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_msg(aio, m);
	nng_aio_set_timeout(aio, 1000);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ENOTSUP);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	NUTS_PASS(nng_ctx_close(ctx));
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_pub0_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open_raw(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_poll_fd_rules(void)
{
	int        fd;
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_pub0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	// Contexts have no notification descriptors at all.
	NUTS_PASS(nng_ctx_open(&ctx, s));
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(ctx, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(ctx));
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open_raw(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_pub_sub_exchange(void)
{
	nng_socket pub, sub;
	nng_msg   *m;
	nng_pipe   ps;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_MARRY_EX(sub, pub, NULL, &ps, NULL);
	NUTS_SEND(pub, "hello");
	NUTS_PASS(nng_recvmsg(sub, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "hello");
	NUTS_EQ(nng_msg_header_len(m), 0);
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(m)), nng_pipe_id(ps));
	nng_msg_free(m);

	// A cooked pub sends the message as it is (header first).
	NUTS_PASS(nng_msg_alloc(&m, 0));
	APPEND_STR(m, "body");
	NUTS_PASS(nng_msg_header_append(m, "hd", 2));
	NUTS_PASS(nng_sendmsg(pub, m, 0));
	NUTS_PASS(nng_recvmsg(sub, &m, 0));
	CHECK_STR(m, "hdbody");
	nng_msg_free(m);

	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_sub_no_subscription(void)
{
	nng_socket pub, sub;
	nng_msg   *m;

	// With no topic at all, nothing is received.
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 50));
	NUTS_MARRY(sub, pub);
	NUTS_SEND(pub, "hello");
	NUTS_FAIL(nng_recvmsg(sub, &m, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_pub_fanout(void)
{
	nng_socket pub, s1, s2, s3;
	nng_msg   *m;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&s1));
	NUTS_PASS(nng_sub0_open(&s2));
	NUTS_PASS(nng_sub0_open(&s3));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set_ms(s3, NNG_OPT_RECVTIMEO, 50));
	NUTS_PASS(nng_socket_set(s1, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_PASS(nng_socket_set(s2, NNG_OPT_SUB_SUBSCRIBE, "ne", 2));
	NUTS_PASS(nng_socket_set(s3, NNG_OPT_SUB_SUBSCRIBE, "other", 5));
	NUTS_MARRY(pub, s1);
	NUTS_MARRY(pub, s2);
	NUTS_MARRY(pub, s3);
	NUTS_SEND(pub, "news");
	NUTS_RECV(s1, "news");
	NUTS_RECV(s2, "news");
	NUTS_FAIL(nng_recvmsg(s3, &m, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(pub);
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
	NUTS_CLOSE(s3);
}

static void
test_pub_poll_writeable(void)
{
	int        fd;
	nng_socket pub;
	nng_socket sub;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	if (!nuts_poll_fd_get(pub, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(pub);
		NUTS_CLOSE(sub);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}
	// Pub is *always* writeable
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_MARRY(pub, sub);
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_SEND(pub, "abc");
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
check_sub_poll_readable(bool raw)
{
	int        fd;
	nng_socket pub;
	nng_socket sub;
	nng_ctx    sc;

	if (raw) {
		NUTS_PASS(nng_sub0_open_raw(&sub));
	} else {
		NUTS_PASS(nng_sub0_open(&sub));
		NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "a", 1));
	}
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(sub, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(pub);
		NUTS_CLOSE(sub);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}

	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(pub, sub);
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	if (!raw) {
		// A message we did not subscribe to does not count.
		sync_open(sub, &sc);
		NUTS_SEND(pub, "def");
		sync_wait(pub, sc);
		NUTS_TRUE(nuts_poll_fd(fd) == false);
	}

	NUTS_SEND(pub, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_RECV(sub, "abc");
	NUTS_TRUE(nuts_poll_fd(fd) == false);

	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_sub_poll_readable(void)
{
	check_sub_poll_readable(false);
}

static void
test_xsub_poll_readable(void)
{
	check_sub_poll_readable(true);
}

static void
test_pub_send_no_pipes(void)
{
	nng_socket pub;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_SEND(pub, "DROP1");
	NUTS_SEND(pub, "DROP2");
	NUTS_PASS(nng_send(pub, "DROP3", 6, NNG_FLAG_NONBLOCK));
	NUTS_CLOSE(pub);
}

static void
check_validate_peer(nng_socket s1, nng_socket s2)
{
	char      *addr;
	nuts_watch w;
	uint64_t   rejects;

	NUTS_ADDR(addr, "inproc");
	nuts_watch_start(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	NUTS_PASS(nng_listen(s1, addr, NULL, 0));
	NUTS_PASS(nng_dial(s2, addr, NULL, 0));
	NUTS_TRUE(!nuts_watch_wait(&w, 0, 1, 50));
	NUTS_EQ(nuts_watch_count(&w, 1), 0);
	nuts_watch_stop(&w, s1, s2, NNG_PIPE_EV_ADD_POST);
	if (nuts_stat_rejects(s1, &rejects)) {
		NUTS_TRUE(rejects > 0);
	}
	NUTS_CLOSE(s1);
	NUTS_CLOSE(s2);
}

static void
test_validate_peer(void)
{
	nng_socket s1, s2;

	NUTS_PASS(nng_pub0_open(&s1));
	NUTS_PASS(nng_pub0_open(&s2));
	check_validate_peer(s1, s2);
	NUTS_PASS(nng_sub0_open(&s1));
	NUTS_PASS(nng_sub0_open(&s2));
	check_validate_peer(s1, s2);
	NUTS_PASS(nng_sub0_open_raw(&s1));
	NUTS_PASS(nng_sub0_open_raw(&s2));
	check_validate_peer(s1, s2);
}

static void
test_pub_send_queued(void)
{
	nng_socket pub;
	nng_socket sub;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_PASS(nng_socket_set_int(pub, NNG_OPT_SENDBUF, 10));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 10));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
	NUTS_MARRY(pub, sub);
	NUTS_SEND(pub, "first");
	NUTS_SEND(pub, "second");
	NUTS_SEND(pub, "three musketeers");
	NUTS_SEND(pub, "four");
	NUTS_RECV(sub, "first");
	NUTS_RECV(sub, "second");
	NUTS_RECV(sub, "three musketeers");
	NUTS_RECV(sub, "four");

	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_sub_recv_late(void)
{
	nng_socket pub;
	nng_socket sub;
	nng_aio   *aio;
	nng_msg   *msg;

	for (int raw = 0; raw < 2; raw++) {
		if (raw) {
			NUTS_PASS(nng_sub0_open_raw(&sub));
		} else {
			NUTS_PASS(nng_sub0_open(&sub));
			NUTS_PASS(nng_socket_set(
			    sub, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		}
		NUTS_PASS(nng_pub0_open(&pub));
		NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
		NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
		NUTS_MARRY(pub, sub);

		// The receive is waiting when the message comes.
		nng_recv_aio(sub, aio);
		NUTS_SEND(pub, "abc");
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
		msg = nng_aio_get_msg(aio);
		nng_aio_set_msg(aio, NULL);
		NUTS_EQ(nng_msg_len(msg), 4);
		NUTS_MATCH(nng_msg_body(msg), "abc");
		NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(msg)) > 0);

		nng_msg_free(msg);
		nng_aio_free(aio);
		NUTS_CLOSE(pub);
		NUTS_CLOSE(sub);
	}
}

static void
test_sub_recv_ctx_closed(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_ctx_close(ctx));
	NUTS_FAIL(nng_ctx_close(ctx), NNG_ECLOSED);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_set(ctx, NNG_OPT_SUB_SUBSCRIBE, "x", 1), NNG_ECLOSED);
#if NUTS_API_1_12
	NUTS_FAIL(nng_sub0_ctx_subscribe(ctx, "x", 1), NNG_ECLOSED);
#endif
	nng_aio_free(aio);
	NUTS_CLOSE(sub);
}

static void
test_sub_ctx_recv_aio_stopped(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_ctx_open(&ctx, sub));

	nng_aio_stop(aio);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_PASS(nng_ctx_close(ctx));
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_sub_close_context_recv(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 1000);
	nng_ctx_recv(ctx, aio);
	NUTS_PASS(nng_ctx_close(ctx));
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);

	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_sub_close_socket_ctx_recv(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	// Closing the socket fails its contexts' operations too.
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	nng_ctx_recv(ctx, aio);
	NUTS_CLOSE(sub);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_close(ctx), NNG_ECLOSED);
	nng_aio_free(aio);
}

static void
test_sub_ctx_recv_nonblock(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 0); // Instant timeout
	nng_ctx_recv(ctx, aio);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_sub_ctx_recv_timeout(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;
	int        v;

	// A context has its own receive timeout (from the socket's at
	// open), used when the aio has none of its own.
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 20));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_ctx_get_ms(ctx, NNG_OPT_RECVTIMEO, &v));
	NUTS_EQ(v, 20);
	NUTS_PASS(nng_ctx_set_ms(ctx, NNG_OPT_RECVTIMEO, 10));
	NUTS_PASS(nng_ctx_get_ms(ctx, NNG_OPT_RECVTIMEO, &v));
	NUTS_EQ(v, 10);
	NUTS_PASS(nng_socket_get_ms(sub, NNG_OPT_RECVTIMEO, &v));
	NUTS_EQ(v, 20);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, NNG_DURATION_DEFAULT);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_PASS(nng_ctx_close(ctx));
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_sub_ctx_recv_cancel(void)
{
	nng_socket sub;
	nng_ctx    ctx;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_ctx_open(&ctx, sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 1000);
	nng_ctx_recv(ctx, aio);
	nng_aio_abort(aio, NNG_ECANCELED);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_sub_close_blocked(void)
{
	nng_socket   sub, xsub;
	nuts_blocked r1, r2;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_sub0_open_raw(&xsub));
	nuts_blocked_start(&r1, sub, 0);
	nuts_blocked_start(&r2, xsub, 0);
	NUTS_CLOSE(sub);
	NUTS_CLOSE(xsub);
	NUTS_FAIL(nuts_blocked_join(&r1), NNG_ECLOSED);
	NUTS_FAIL(nuts_blocked_join(&r2), NNG_ECLOSED);
}

static void
test_sub_recv_nonblock_timeout(void)
{
	nng_socket sub;
	nng_msg   *m;

	for (int raw = 0; raw < 2; raw++) {
		if (raw) {
			NUTS_PASS(nng_sub0_open_raw(&sub));
		} else {
			NUTS_PASS(nng_sub0_open(&sub));
		}
		NUTS_FAIL(nng_recvmsg(sub, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
		NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 10));
		NUTS_FAIL(nng_recvmsg(sub, &m, 0), NNG_ETIMEDOUT);
		NUTS_CLOSE(sub);
	}
}

static void
test_xsub_recv_closed(void)
{
	nng_socket sub;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_CLOSE(sub);
	nng_recv_aio(sub, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
}

static void
test_xsub_close_recv(void)
{
	nng_socket sub;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 1000);
	nng_recv_aio(sub, aio);
	NUTS_CLOSE(sub);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
}

static void
test_xsub_recv_aio_stopped(void)
{
	nng_socket sub;
	nng_aio   *aio;

	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_stop(aio);
	nng_recv_aio(sub, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(sub);
	nng_aio_free(aio);
}

static void
test_xsub_no_filter(void)
{
	nng_socket pub, sub;
	nng_msg   *m;

	// Raw sub takes everything, and has no subscriptions.
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_FAIL(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "abc", 3),
	    NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set(sub, NNG_OPT_SUB_UNSUBSCRIBE, "abc", 3),
	    NNG_ENOTSUP);
#if NUTS_API_1_12
	NUTS_FAIL(nng_sub0_socket_subscribe(sub, "abc", 3), NNG_ENOTSUP);
	NUTS_FAIL(nng_sub0_socket_unsubscribe(sub, "abc", 3), NNG_ENOTSUP);
#endif
	NUTS_MARRY(pub, sub);
	NUTS_SEND(pub, "anything");
	NUTS_PASS(nng_recvmsg(sub, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "anything");
	NUTS_EQ(nng_msg_header_len(m), 0);
	nng_msg_free(m);
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
check_buf_option(nng_socket s, const char *opt, int def, int lo)
{
	int    v;
	bool   b;
	size_t sz;

	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, def);
	NUTS_PASS(nng_socket_set_int(s, opt, 1));
	if (lo > 0) {
		NUTS_FAIL(nng_socket_set_int(s, opt, 0), NNG_EINVAL);
	} else {
		NUTS_PASS(nng_socket_set_int(s, opt, 0));
	}
	NUTS_FAIL(nng_socket_set_int(s, opt, -1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, 8193), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, opt, 1000000), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, opt, 8192));
	NUTS_PASS(nng_socket_set_int(s, opt, 3));
	NUTS_PASS(nng_socket_get_int(s, opt, &v));
	NUTS_EQ(v, 3);
	v  = 0;
	sz = sizeof(v);
	NUTS_PASS(nng_socket_get(s, opt, &v, &sz));
	NUTS_EQ(v, 3);
	NUTS_EQ(sz, sizeof(v));

	NUTS_FAIL(nng_socket_set(s, opt, "", 1), NNG_EINVAL);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, opt, &v, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s, opt, true), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_get_bool(s, opt, &b), NNG_EBADTYPE);
	NUTS_CLOSE(s);
}

static void
test_pub_send_buf_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_pub0_open(&s));
	check_buf_option(s, NNG_OPT_SENDBUF, 16, 1);
}

static void
test_sub_recv_buf_option(void)
{
	nng_socket s;
	NUTS_PASS(nng_sub0_open(&s));
	check_buf_option(s, NNG_OPT_RECVBUF, 128, 1);
	// Raw sub uses the socket's generic receive queue.
	NUTS_PASS(nng_sub0_open_raw(&s));
	check_buf_option(s, NNG_OPT_RECVBUF, 1, 0);
}

static void
test_sub_ctx_options(void)
{
	nng_socket sub;
	nng_ctx    c;
	int        v;
	bool       b;
	size_t     sz;

	// A context starts with the socket's settings, then has its own.
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 7));
	NUTS_PASS(nng_socket_set_bool(sub, NNG_OPT_SUB_PREFNEW, false));
	NUTS_PASS(nng_ctx_open(&c, sub));
	NUTS_PASS(nng_ctx_get_int(c, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 7);
	NUTS_PASS(nng_ctx_get_bool(c, NNG_OPT_SUB_PREFNEW, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_ctx_set_int(c, NNG_OPT_RECVBUF, 2));
	NUTS_FAIL(nng_ctx_set_int(c, NNG_OPT_RECVBUF, 0), NNG_EINVAL);
	NUTS_PASS(nng_ctx_set_bool(c, NNG_OPT_SUB_PREFNEW, true));
	NUTS_PASS(nng_ctx_get_int(c, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 2);
	NUTS_PASS(nng_socket_get_int(sub, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 7);
	NUTS_PASS(nng_socket_get_bool(sub, NNG_OPT_SUB_PREFNEW, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_ctx_set(c, NNG_OPT_SUB_SUBSCRIBE, "abc", 3));
	sz = sizeof(v);
	NUTS_FAIL(nng_ctx_get(c, NNG_OPT_SUB_SUBSCRIBE, &v, &sz),
	    NNG_EWRITEONLY);
	NUTS_FAIL(nng_ctx_set(c, NNG_OPT_SUB_UNSUBSCRIBE, "abd", 3),
	    NNG_ENOENT);
	NUTS_PASS(nng_ctx_set(c, NNG_OPT_SUB_UNSUBSCRIBE, "abc", 3));
	NUTS_FAIL(nng_ctx_set_int(c, NNG_OPT_SUB_PREFNEW, 1), NNG_EBADTYPE);
	NUTS_PASS(nng_ctx_close(c));
	NUTS_CLOSE(sub);
}

static void
test_sub_subscribe_option(void)
{
	nng_socket  sub;
	size_t      sz;
	int         v;
	const char *opt = NNG_OPT_SUB_SUBSCRIBE;

	NUTS_PASS(nng_sub0_open(&sub));

	NUTS_PASS(nng_socket_set(sub, opt, "abc", 3));
	NUTS_PASS(nng_socket_set(sub, opt, "abc", 3)); // duplicate
	NUTS_PASS(nng_socket_set_bool(sub, opt, false));
	NUTS_PASS(nng_socket_set_int(sub, opt, 32));
	sz = sizeof(v);
	NUTS_FAIL(nng_socket_get(sub, opt, &v, &sz), NNG_EWRITEONLY);
#if NUTS_API_1_12
	NUTS_PASS(nng_sub0_socket_subscribe(sub, "abc", 3));
	NUTS_PASS(nng_sub0_socket_subscribe(sub, "abc", 3));
	NUTS_PASS(nng_sub0_socket_unsubscribe(sub, "abc", 3));
	// A duplicate subscription is one topic.
	NUTS_FAIL(nng_sub0_socket_unsubscribe(sub, "abc", 3), NNG_ENOENT);

	NUTS_CLOSE(sub);
	NUTS_FAIL(nng_sub0_socket_subscribe(sub, "abc", 3), NNG_ECLOSED);
#else
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_UNSUBSCRIBE, "abc", 3));
	NUTS_FAIL(nng_socket_set(sub, NNG_OPT_SUB_UNSUBSCRIBE, "abc", 3),
	    NNG_ENOENT);
	NUTS_CLOSE(sub);
#endif
}

static void
test_sub_functions_wrong_socket(void)
{
	nng_socket pub;

	NUTS_PASS(nng_pub0_open(&pub));
#if NUTS_API_1_12
	NUTS_FAIL(nng_sub0_socket_subscribe(pub, "abc", 3), NNG_ENOTSUP);
	NUTS_FAIL(nng_sub0_socket_unsubscribe(pub, "abc", 3), NNG_ENOTSUP);
#endif
	NUTS_FAIL(nng_socket_set(pub, NNG_OPT_SUB_SUBSCRIBE, "a", 1),
	    NNG_ENOTSUP);
	NUTS_CLOSE(pub);
}

static void
test_sub_unsubscribe_option(void)
{
	nng_socket  sub;
	size_t      sz;
	int         v;
	const char *opt1 = NNG_OPT_SUB_SUBSCRIBE;
	const char *opt2 = NNG_OPT_SUB_UNSUBSCRIBE;

	NUTS_PASS(nng_sub0_open(&sub));

	NUTS_PASS(nng_socket_set(sub, opt1, "abc", 3));
	NUTS_FAIL(nng_socket_set(sub, opt2, "abc123", 6), NNG_ENOENT);
	NUTS_PASS(nng_socket_set(sub, opt2, "abc", 3));
	NUTS_FAIL(nng_socket_set(sub, opt2, "abc", 3), NNG_ENOENT);
	NUTS_PASS(nng_socket_set_int(sub, opt1, 32));
	NUTS_FAIL(nng_socket_set_int(sub, opt2, 23), NNG_ENOENT);
	NUTS_PASS(nng_socket_set_int(sub, opt2, 32));
	sz = sizeof(v);
	NUTS_FAIL(nng_socket_get(sub, opt2, &v, &sz), NNG_EWRITEONLY);

	NUTS_CLOSE(sub);
}

static void
test_sub_prefer_new_option(void)
{
	nng_socket  sub;
	bool        b;
	size_t      sz;
	const char *opt = NNG_OPT_SUB_PREFNEW;

	NUTS_PASS(nng_sub0_open(&sub));

	NUTS_PASS(nng_socket_get_bool(sub, opt, &b));
	NUTS_TRUE(b); // default
	NUTS_PASS(nng_socket_set_bool(sub, opt, true));
	NUTS_PASS(nng_socket_set_bool(sub, opt, false));
	NUTS_PASS(nng_socket_get_bool(sub, opt, &b));
	NUTS_TRUE(b == false);
	sz = sizeof(b);
	b  = true;
	NUTS_PASS(nng_socket_get(sub, opt, &b, &sz));
	NUTS_TRUE(b == false);
	NUTS_EQ(sz, sizeof(bool));

	NUTS_FAIL(nng_socket_set(sub, opt, "abc", 3), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(sub, opt, 1), NNG_EBADTYPE);

	NUTS_CLOSE(sub);
}

static void
check_drop(bool prefer_new)
{
	nng_socket sub;
	nng_socket pub;
	nng_msg   *msg;
	nng_ctx    sc;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 2));
	NUTS_PASS(nng_socket_set_bool(sub, NNG_OPT_SUB_PREFNEW, prefer_new));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "m", 1));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 200));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 1000));
	sync_open(sub, &sc);
	NUTS_MARRY(pub, sub);
	NUTS_SEND(pub, "m-one");
	NUTS_SEND(pub, "m-two");
	NUTS_SEND(pub, "m-three");
	sync_wait(pub, sc);
	if (prefer_new) {
		NUTS_RECV(sub, "m-two");
		NUTS_RECV(sub, "m-three");
	} else {
		NUTS_RECV(sub, "m-one");
		NUTS_RECV(sub, "m-two");
	}
	NUTS_FAIL(nng_recvmsg(sub, &msg, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_sub_drop_new(void)
{
	check_drop(false);
}

static void
test_sub_drop_old(void)
{
	check_drop(true);
}

static void
test_sub_filter(void)
{
	nng_socket sub;
	nng_socket pub;
	char       buf[32];
	size_t     sz;
	nng_ctx    sc;
	nng_msg   *m;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 10));

	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "abc", 3));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "def", 3));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "ghi", 3));
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "jkl", 3));
	sync_open(sub, &sc);

	NUTS_MARRY(pub, sub);

	NUTS_PASS(nng_send(pub, "def", 3, 0));
	NUTS_PASS(nng_send(pub, "de", 2, 0)); // will not go through
	NUTS_PASS(nng_send(pub, "abc123", 6, 0));
	NUTS_PASS(nng_send(pub, "xzy", 3, 0));      // does not match
	NUTS_PASS(nng_send(pub, "ghi-drop", 7, 0)); // dropped by unsub
	NUTS_PASS(nng_send(pub, "jkl-mno", 6, 0));
	sync_wait(pub, sc);

	// Unsubscribing also drops queued messages that no longer match.
	NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_UNSUBSCRIBE, "ghi", 3));
	sz = sizeof(buf);
	NUTS_PASS(nng_recv(sub, buf, &sz, 0));
	NUTS_EQ(sz, 3);
	NUTS_TRUE(memcmp(buf, "def", 3) == 0);

	sz = sizeof(buf);
	NUTS_PASS(nng_recv(sub, buf, &sz, 0));
	NUTS_EQ(sz, 6);
	NUTS_TRUE(memcmp(buf, "abc123", 6) == 0);

	sz = sizeof(buf);
	NUTS_PASS(nng_recv(sub, buf, &sz, 0));
	NUTS_EQ(sz, 6);
	NUTS_TRUE(memcmp(buf, "jkl-mn", 6) == 0);

	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 20));
	NUTS_FAIL(nng_recvmsg(sub, &m, 0), NNG_ETIMEDOUT);

	NUTS_CLOSE(sub);
	NUTS_CLOSE(pub);
}

static void
test_sub_multi_context(void)
{
	nng_socket sub;
	nng_socket pub;
	nng_ctx    c1;
	nng_ctx    c2;
	nng_aio   *aio1;
	nng_aio   *aio2;
	nng_msg   *m;

	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_aio_alloc(&aio1, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&aio2, NULL, NULL));
	NUTS_PASS(nng_ctx_open(&c1, sub));
	NUTS_PASS(nng_ctx_open(&c2, sub));
	NUTS_TRUE(nng_ctx_id(c1) > 0);
	NUTS_TRUE(nng_ctx_id(c1) != nng_ctx_id(c2));

	NUTS_PASS(nng_ctx_set(c1, NNG_OPT_SUB_SUBSCRIBE, "one", 3));
	NUTS_PASS(nng_ctx_set(c1, NNG_OPT_SUB_SUBSCRIBE, "all", 3));

	NUTS_PASS(nng_ctx_set(c2, NNG_OPT_SUB_SUBSCRIBE, "two", 3));
#if NUTS_API_1_12
	NUTS_PASS(nng_sub0_ctx_subscribe(c2, "all", 3));
	NUTS_PASS(nng_sub0_ctx_subscribe(c2, "junk", 4));
	NUTS_PASS(nng_sub0_ctx_unsubscribe(c2, "junk", 4));
	NUTS_FAIL(nng_sub0_ctx_unsubscribe(c2, "junk", 4), NNG_ENOENT);
#else
	NUTS_PASS(nng_ctx_set(c2, NNG_OPT_SUB_SUBSCRIBE, "all", 3));
#endif

	nng_aio_set_timeout(aio1, 100);
	nng_aio_set_timeout(aio2, 100);

	NUTS_MARRY(pub, sub);

	NUTS_SEND(pub, "one for the money");
	NUTS_SEND(pub, "all dogs go to heaven");
	NUTS_SEND(pub, "nobody likes a snitch");
	NUTS_SEND(pub, "two for the show");

	nng_ctx_recv(c1, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	m = nng_aio_get_msg(aio1);
	NUTS_MATCH(nng_msg_body(m), "one for the money");
	NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(m)) > 0);
	nng_msg_free(m);

	nng_ctx_recv(c1, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	m = nng_aio_get_msg(aio1);
	NUTS_MATCH(nng_msg_body(m), "all dogs go to heaven");
	nng_msg_free(m);

	nng_ctx_recv(c2, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	m = nng_aio_get_msg(aio1);
	NUTS_MATCH(nng_msg_body(m), "all dogs go to heaven");
	nng_msg_free(m);

	nng_ctx_recv(c2, aio1);
	nng_aio_wait(aio1);
	NUTS_PASS(nng_aio_result(aio1));
	m = nng_aio_get_msg(aio1);
	NUTS_MATCH(nng_msg_body(m), "two for the show");
	nng_msg_free(m);

	nng_ctx_recv(c1, aio1);
	nng_ctx_recv(c2, aio2);

	nng_aio_wait(aio1);
	nng_aio_wait(aio2);
	NUTS_FAIL(nng_aio_result(aio1), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_aio_result(aio2), NNG_ETIMEDOUT);

	// The socket's own (default) context subscribed to nothing.
	NUTS_FAIL(nng_recvmsg(sub, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);

	// Pending receives on several contexts are each served.
	nng_aio_set_timeout(aio1, SECOND);
	nng_aio_set_timeout(aio2, SECOND);
	nng_ctx_recv(c1, aio1);
	nng_ctx_recv(c2, aio2);
	NUTS_SEND(pub, "all at once");
	nng_aio_wait(aio1);
	nng_aio_wait(aio2);
	NUTS_PASS(nng_aio_result(aio1));
	NUTS_PASS(nng_aio_result(aio2));
	m = nng_aio_get_msg(aio1);
	NUTS_MATCH(nng_msg_body(m), "all at once");
	nng_msg_free(m);
	m = nng_aio_get_msg(aio2);
	NUTS_MATCH(nng_msg_body(m), "all at once");
	nng_msg_free(m);

	NUTS_CLOSE(sub);
	NUTS_CLOSE(pub);
	nng_aio_free(aio1);
	nng_aio_free(aio2);
}

static void
test_xsub_close_during_recv(void)
{
	nng_socket sub;
	nng_socket pub;

	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(pub, NNG_OPT_SENDBUF, 20));

	NUTS_MARRY(pub, sub);

	// Pub never blocks, whatever the subscriber does.
	for (unsigned i = 0; i < 100; i++) {
		NUTS_PASS(nng_send(pub, "abc", 3, 0));
	}
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub);
}

static void
test_xsub_close_during_pipe_recv(void)
{
	nng_socket sub;
	nng_socket pub;

	NUTS_PASS(nng_sub0_open_raw(&sub));
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(pub, NNG_OPT_SENDTIMEO, 100));
	NUTS_PASS(nng_socket_set_int(sub, NNG_OPT_RECVBUF, 5));
	NUTS_PASS(nng_socket_set_int(pub, NNG_OPT_SENDBUF, 20));

	NUTS_MARRY(pub, sub);

	for (unsigned i = 0; i < 100; i++) {
		NUTS_PASS(nng_send(pub, "abc", 3, 0));
	}
	NUTS_CLOSE(sub);
	NUTS_PASS(nng_send(pub, "abc", 3, 0));
	NUTS_CLOSE(pub);
}

static void
test_sub_peer_leaves(void)
{
	nng_socket pub, sub1, sub2;
	nuts_watch w;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub1));
	NUTS_PASS(nng_sub0_open(&sub2));
	NUTS_PASS(nng_socket_set_ms(sub2, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_PASS(nng_socket_set(sub1, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_PASS(nng_socket_set(sub2, NNG_OPT_SUB_SUBSCRIBE, "", 0));
	NUTS_MARRY(pub, sub1);
	NUTS_MARRY(pub, sub2);
	nuts_watch_start(&w, pub, sub1, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(sub1);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, SECOND));
	nuts_watch_stop(&w, pub, sub1, NNG_PIPE_EV_REM_POST);
	NUTS_SEND(pub, "still");
	NUTS_RECV(sub2, "still");
	NUTS_CLOSE(pub);
	NUTS_CLOSE(sub2);
}

#define FAN_N 1000
#define FAN_SUBS 5

typedef struct {
	nng_socket s;
	int        rv;
	pthread_t  thr;
} fan_sub;

static void *
fan_run(void *arg)
{
	fan_sub *f = arg;
	for (uint32_t i = 0; i < FAN_N && f->rv == 0; i++) {
		nng_msg *m;
		uint32_t v = 0;
		if ((f->rv = nng_recvmsg(f->s, &m, 0)) == 0) {
			f->rv = nng_msg_trim_u32(m, &v);
			nng_msg_free(m);
			if (f->rv == 0 && v != i) {
				f->rv = NNG_EINTERNAL; // lost or reordered
			}
		}
	}
	return (NULL);
}

static void
test_pub_many_subscribers(void)
{
	nng_socket pub;
	fan_sub    f[FAN_SUBS];

	// With room enough in each subscriber, everyone gets everything,
	// in order, while receiving in threads of their own.
	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_socket_set_int(pub, NNG_OPT_SENDBUF, FAN_N));
	for (int i = 0; i < FAN_SUBS; i++) {
		NUTS_PASS(nng_sub0_open(&f[i].s));
		NUTS_PASS(nng_socket_set_int(f[i].s, NNG_OPT_RECVBUF, FAN_N));
		NUTS_PASS(nng_socket_set_ms(f[i].s, NNG_OPT_RECVTIMEO, 5000));
		NUTS_PASS(nng_socket_set(f[i].s, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		NUTS_MARRY(pub, f[i].s);
		f[i].rv = 0;
		NUTS_TRUE(pthread_create(&f[i].thr, NULL, fan_run, &f[i]) == 0);
	}
	for (uint32_t i = 0; i < FAN_N; i++) {
		nng_msg *m;
		NUTS_PASS(nng_msg_alloc(&m, 0));
		NUTS_PASS(nng_msg_append_u32(m, i));
		NUTS_PASS(nng_sendmsg(pub, m, 0));
	}
	for (int i = 0; i < FAN_SUBS; i++) {
		NUTS_TRUE(pthread_join(f[i].thr, NULL) == 0);
		NUTS_PASS(f[i].rv);
		NUTS_CLOSE(f[i].s);
	}
	NUTS_CLOSE(pub);
}

static void
test_generic_buffers(void)
{
	nng_socket s;
	int        v;

	// The direction a protocol does not use still has the socket's
	// generic buffer option (upstream: receive 1, send 0), no TTL.
	NUTS_PASS(nng_pub0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 1);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_MAXTTL, &v), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 0);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_sub0_open_raw(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 0);
	NUTS_CLOSE(s);
}

typedef struct {
	nng_socket s;
	nng_ctx    c;
	int        kind; // 0: send, 1: socket recv, 2: context recv
	int        rv;
	pthread_t  thr;
} loader;

static void *
loader_run(void *arg)
{
	loader  *l = arg;
	nng_aio *aio;
	if ((l->rv = nng_aio_alloc(&aio, NULL, NULL)) != 0) {
		return (NULL);
	}
	for (;;) {
		nng_msg *m;
		if (l->kind == 0) {
			if ((l->rv = nng_send(l->s, "load", 5, 0)) != 0) {
				break;
			}
		} else if (l->kind == 1) {
			if ((l->rv = nng_recvmsg(l->s, &m, 0)) != 0) {
				break;
			}
			nng_msg_free(m);
		} else {
			nng_ctx_recv(l->c, aio);
			nng_aio_wait(aio);
			if ((l->rv = nng_aio_result(aio)) != 0) {
				break;
			}
			nng_msg_free(nng_aio_get_msg(aio));
		}
	}
	nng_aio_free(aio);
	return (NULL);
}

static void
test_close_under_load(void)
{
	// Closing while a publisher and subscribers (socket and context)
	// are busy: every thread ends with NNG_ECLOSED.
	for (int round = 0; round < 10; round++) {
		nng_socket pub, sub;
		loader     l[3];
		NUTS_PASS(nng_pub0_open(&pub));
		NUTS_PASS(nng_sub0_open(&sub));
		NUTS_PASS(nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, "", 0));
		NUTS_PASS(nng_ctx_open(&l[2].c, sub));
		NUTS_PASS(nng_ctx_set(l[2].c, NNG_OPT_SUB_SUBSCRIBE, "l", 1));
		NUTS_MARRY(pub, sub);
		for (int i = 0; i < 3; i++) {
			l[i].s    = i == 0 ? pub : sub;
			l[i].kind = i;
			l[i].rv   = 0;
			NUTS_TRUE(pthread_create(
			              &l[i].thr, NULL, loader_run, &l[i]) == 0);
		}
		if (round % 2) {
			NUTS_CLOSE(sub);
			NUTS_CLOSE(pub);
		} else {
			NUTS_CLOSE(pub);
			NUTS_CLOSE(sub);
		}
		for (int i = 0; i < 3; i++) {
			NUTS_TRUE(pthread_join(l[i].thr, NULL) == 0);
			NUTS_FAIL(l[i].rv, NNG_ECLOSED);
		}
	}
}

NUTS_TESTS = {
	{ "pubsub identity", test_identity },
	{ "pubsub raw flags", test_raw_flags },
	{ "pubsub one direction", test_one_direction },
	{ "sub context cannot send", test_sub_context_cannot_send },
	{ "pubsub no context", test_no_context },
	{ "pubsub poll fd rules", test_poll_fd_rules },
	{ "pub sub exchange", test_pub_sub_exchange },
	{ "sub no subscription", test_sub_no_subscription },
	{ "pub fanout", test_pub_fanout },
	{ "pub poll writeable", test_pub_poll_writeable },
	{ "sub poll readable", test_sub_poll_readable },
	{ "xsub poll readable", test_xsub_poll_readable },
	{ "pub send no pipes", test_pub_send_no_pipes },
	{ "pubsub validate peer", test_validate_peer },
	{ "pub send queued", test_pub_send_queued },
	{ "sub recv late", test_sub_recv_late },
	{ "sub recv ctx closed", test_sub_recv_ctx_closed },
	{ "sub recv aio ctx stopped", test_sub_ctx_recv_aio_stopped },
	{ "sub close context recv", test_sub_close_context_recv },
	{ "sub close socket ctx recv", test_sub_close_socket_ctx_recv },
	{ "sub context recv nonblock", test_sub_ctx_recv_nonblock },
	{ "sub context recv timeout", test_sub_ctx_recv_timeout },
	{ "sub context recv cancel", test_sub_ctx_recv_cancel },
	{ "sub close blocked", test_sub_close_blocked },
	{ "sub recv nonblock timeout", test_sub_recv_nonblock_timeout },
	{ "xsub recv closed", test_xsub_recv_closed },
	{ "xsub close recv", test_xsub_close_recv },
	{ "xsub recv aio stopped", test_xsub_recv_aio_stopped },
	{ "xsub no filter", test_xsub_no_filter },
	{ "pub send buf option", test_pub_send_buf_option },
	{ "pubsub generic buffers", test_generic_buffers },
	{ "sub recv buf option", test_sub_recv_buf_option },
	{ "sub context options", test_sub_ctx_options },
	{ "sub subscribe option", test_sub_subscribe_option },
	{ "sub functions wrong socket", test_sub_functions_wrong_socket },
	{ "sub unsubscribe option", test_sub_unsubscribe_option },
	{ "sub prefer new option", test_sub_prefer_new_option },
	{ "sub drop new", test_sub_drop_new },
	{ "sub drop old", test_sub_drop_old },
	{ "sub filter", test_sub_filter },
	{ "sub multi context", test_sub_multi_context },
	{ "xsub close during recv", test_xsub_close_during_recv },
	{ "xsub close during pipe recv", test_xsub_close_during_pipe_recv },
	{ "sub peer leaves", test_sub_peer_leaves },
	{ "pub many subscribers", test_pub_many_subscribers },
	{ "pubsub close under load", test_close_under_load },
	{ NULL, NULL },
};
