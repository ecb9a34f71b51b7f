// push0/pull0 over inproc, end to end from C: identity, one direction
// only (NNG_ENOTSUP), load balancing, send buffering and back-pressure,
// sends that wait for a peer, timeouts, cancel, close while blocked,
// buffer options and peer validation (behaviour of upstream's
// push_test.c and pull_test.c).
//
// nng-ctest: memcheck abi-1.5.2

#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>

#include "nuts_proto.h"

#define SECOND 1000

static void
check_identity(nng_socket s, int self, int peer, const char *sn,
    const char *pn)
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
test_push_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_push0_open(&s));
	check_identity(s, NUTS_PROTO(5u, 0u), NUTS_PROTO(5u, 1u), "push",
	    "pull");
	NUTS_PASS(nng_push0_open_raw(&s));
	check_identity(s, 0x50, 0x51, "push", "pull");
}

static void
test_pull_identity(void)
{
	nng_socket s;
	NUTS_PASS(nng_pull0_open(&s));
	check_identity(s, NUTS_PROTO(5u, 1u), NUTS_PROTO(5u, 0u), "pull",
	    "push");
	NUTS_PASS(nng_pull0_open_raw(&s));
	check_identity(s, 0x51, 0x50, "pull", "push");
}

static void
test_push_cannot_recv(void)
{
	nng_socket s;
	nng_msg   *m = NULL;
	nng_aio   *aio;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_FAIL(nng_recvmsg(s, &m, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_recvmsg(s, &m, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_recv_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ENOTSUP);
	nng_aio_free(aio);
	NUTS_CLOSE(s);
}

static void
test_pull_cannot_send(void)
{
	nng_socket s;
	nng_msg   *m;
	nng_aio   *aio;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_FAIL(nng_send(s, "", 0, 0), NNG_ENOTSUP);
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_FAIL(nng_sendmsg(s, m, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ENOTSUP);
	NUTS_TRUE(nng_aio_get_msg(aio) == m);
	nng_msg_free(m);
	nng_aio_free(aio);
	NUTS_CLOSE(s);
}

static void
test_no_context(void)
{
	nng_socket s;
	nng_ctx    ctx;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pull0_open(&s));
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_poll_fd_rules(void)
{
	int        fd;
	nng_socket s;

	// push cannot be read, pull cannot be written.
	NUTS_PASS(nng_push0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pull0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_CLOSE(s);
}

static void
test_push_pull_exchange(void)
{
	nng_socket push, pull;
	nng_msg   *m;
	nng_pipe   pp;

	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY_EX(pull, push, NULL, &pp, NULL);
	NUTS_SEND(push, "hello");
	NUTS_PASS(nng_recvmsg(pull, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "hello");
	NUTS_EQ(nng_msg_header_len(m), 0);
	NUTS_EQ(nng_pipe_id(nng_msg_get_pipe(m)), nng_pipe_id(pp));
	nng_msg_free(m);

	// Pipeline has no header of its own: one the application put on
	// the message goes on the wire, and arrives as part of the body.
	NUTS_PASS(nng_msg_alloc(&m, 0));
	APPEND_STR(m, "body");
	NUTS_PASS(nng_msg_header_append_u32(m, 0xdeadbeef));
	NUTS_PASS(nng_sendmsg(push, m, 0));
	NUTS_PASS(nng_recvmsg(pull, &m, 0));
	NUTS_EQ(nng_msg_header_len(m), 0);
	NUTS_EQ(nng_msg_len(m), 8);
	{
		uint32_t v;
		NUTS_PASS(nng_msg_trim_u32(m, &v));
		NUTS_EQ(v, 0xdeadbeef);
	}
	CHECK_STR(m, "body");
	nng_msg_free(m);

	NUTS_CLOSE(push);
	NUTS_CLOSE(pull);
}

static void
test_raw_exchange(void)
{
	nng_socket push, pull;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open_raw(&push));
	NUTS_PASS(nng_pull0_open_raw(&pull));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, SECOND));
	NUTS_MARRY(pull, push);
	NUTS_SEND(push, "raw");
	NUTS_PASS(nng_recvmsg(pull, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "raw");
	NUTS_EQ(nng_msg_header_len(m), 0);
	NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(m)) > 0);
	nng_msg_free(m);
	NUTS_CLOSE(push);
	NUTS_CLOSE(pull);
}

static void
test_push_poll_writable(void)
{
	int        fd;
	nng_socket pull;
	nng_socket push;

	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(push, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(pull);
		NUTS_CLOSE(push);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(pull, push);
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_SEND(push, "abc");
	NUTS_SEND(push, "def");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_RECV(pull, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
}

static void
test_pull_poll_readable(void)
{
	int        fd;
	nng_socket pull;
	nng_socket push;

	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 1000));
	if (!nuts_poll_fd_get(pull, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(pull);
		NUTS_CLOSE(push);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(pull, push);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_SEND(push, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_RECV(pull, "abc");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
}

static void
test_pull_close_pending(void)
{
	int        fd;
	nng_socket pull;
	nng_socket push;
	nng_pipe   p1, p2;
	nuts_watch w;

	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	if (!nuts_poll_fd_get(pull, NNG_OPT_RECVFD, &fd)) {
		NUTS_CLOSE(pull);
		NUTS_CLOSE(push);
		NUTS_SKIP("no NNG_OPT_RECVFD");
	}
	NUTS_MARRY_EX(pull, push, NULL, &p1, &p2);
	NUTS_SEND(push, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	// The message was held by the pipe: it goes with the pipe.
	nuts_watch_start(&w, pull, push, NNG_PIPE_EV_REM_POST);
	NUTS_PASS(nng_pipe_close(p1));
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 1000));
	nuts_watch_stop(&w, pull, push, NNG_PIPE_EV_REM_POST);
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
}

static void
test_push_poll_buffered(void)
{
	int        fd;
	nng_socket pull;
	nng_socket push;

	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 1000));
	NUTS_PASS(nng_socket_set_int(push, NNG_OPT_SENDBUF, 2));
	if (!nuts_poll_fd_get(push, NNG_OPT_SENDFD, &fd)) {
		NUTS_CLOSE(pull);
		NUTS_CLOSE(push);
		NUTS_SKIP("no NNG_OPT_SENDFD");
	}
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_SEND(push, "abc");
	NUTS_TRUE(nuts_poll_fd(fd));
	NUTS_SEND(push, "def");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_MARRY(pull, push);
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_SEND(push, "ghi");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_SEND(push, "jkl");
	NUTS_TRUE(nuts_poll_fd(fd) == false);
	NUTS_RECV(pull, "abc");
	NUTS_TRUE(nuts_poll_fd_wait(fd, 1000));
	NUTS_RECV(pull, "def");
	NUTS_RECV(pull, "ghi");
	NUTS_RECV(pull, "jkl");
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
}

static void
test_push_buffered(void)
{
	nng_socket pull;
	nng_socket push;
	nng_msg   *m;

	// Without a peer, a send buffer takes messages; then the sender
	// blocks. A peer that connects gets them all, in order.
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 50));
	NUTS_PASS(nng_socket_set_int(push, NNG_OPT_SENDBUF, 2));
	NUTS_SEND(push, "abc");
	NUTS_SEND(push, "def");
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_FAIL(nng_sendmsg(push, m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_sendmsg(push, m, 0), NNG_ETIMEDOUT);
	nng_msg_free(m);
	NUTS_MARRY(pull, push);
	NUTS_SEND(push, "ghi");
	NUTS_RECV(pull, "abc");
	NUTS_RECV(pull, "def");
	NUTS_RECV(pull, "ghi");
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
}

static void
test_push_truncate(void)
{
	nng_socket pull;
	nng_socket push;
	nuts_watch w;

	// Shrinking the send buffer drops what no longer fits.
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 1000));
	NUTS_PASS(nng_socket_set_int(push, NNG_OPT_SENDBUF, 3));
	NUTS_SEND(push, "abc");
	NUTS_SEND(push, "def");
	NUTS_PASS(nng_socket_set_int(push, NNG_OPT_SENDBUF, 1));

	NUTS_MARRY(pull, push);
	NUTS_RECV(pull, "abc");
	// def got dropped
	NUTS_SEND(push, "ghi");
	NUTS_RECV(pull, "ghi");

	nuts_watch_start(&w, push, pull, NNG_PIPE_EV_REM_POST);
	NUTS_CLOSE(pull);
	NUTS_TRUE(nuts_watch_wait(&w, 0, 1, 1000));
	nuts_watch_stop(&w, push, pull, NNG_PIPE_EV_REM_POST);

	// We have a buffer of one.
	NUTS_SEND(push, "jkl");
	// Resize to 0 (unbuffered)
	NUTS_PASS(nng_socket_set_int(push, NNG_OPT_SENDBUF, 0));

	// reopen the pull socket and connect it
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_MARRY(push, pull);

	// jkl got dropped.
	NUTS_SEND(push, "mno");
	NUTS_RECV(pull, "mno");

	NUTS_CLOSE(pull);
	NUTS_CLOSE(push);
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
test_push_validate_peer(void)
{
	nng_socket s1, s2;
	NUTS_PASS(nng_push0_open(&s1));
	NUTS_PASS(nng_push0_open(&s2));
	check_validate_peer(s1, s2);
}

static void
test_pull_validate_peer(void)
{
	nng_socket s1, s2;
	NUTS_PASS(nng_pull0_open(&s1));
	NUTS_PASS(nng_pull0_open(&s2));
	check_validate_peer(s1, s2);
}

static void
test_push_send_aio_stopped(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 0));

	nng_aio_set_msg(aio, m);
	nng_aio_stop(aio);
	nng_send_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_pull_recv_aio_stopped(void)
{
	nng_socket s;
	nng_aio   *aio;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_stop(aio);
	nng_recv_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
}

static void
test_push_close_send(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 0));
	nng_aio_set_timeout(aio, 1000);
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);
	NUTS_PASS(nng_close(s));
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);

	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_pull_close_recv(void)
{
	nng_socket s;
	nng_aio   *aio;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 1000);
	nng_recv_aio(s, aio);
	NUTS_PASS(nng_close(s));
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);

	nng_aio_free(aio);
}

static void
test_close_blocked(void)
{
	nng_socket   push, pull;
	nuts_blocked w, r;

	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_pull0_open(&pull));
	nuts_blocked_start(&w, push, 1);
	nuts_blocked_start(&r, pull, 0);
	NUTS_CLOSE(push);
	NUTS_CLOSE(pull);
	NUTS_FAIL(nuts_blocked_join(&w), NNG_ECLOSED);
	NUTS_FAIL(nuts_blocked_join(&r), NNG_ECLOSED);
}

static void
test_push_send_nonblock(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 0));

	nng_aio_set_timeout(aio, 0); // Instant timeout
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_sendmsg(s, m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_send(s, "x", 1, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_pull_recv_nonblock(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 0); // Instant timeout
	nng_recv_aio(s, aio);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_FAIL(nng_recvmsg(s, &m, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
}

static void
test_push_send_timeout(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 0));

	nng_aio_set_timeout(aio, 10);
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 10));
	NUTS_FAIL(nng_sendmsg(s, m, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_pull_recv_timeout(void)
{
	nng_socket s;
	nng_msg   *m;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 10));
	NUTS_FAIL(nng_recvmsg(s, &m, 0), NNG_ETIMEDOUT);
	NUTS_CLOSE(s);
}

static void
test_push_send_cancel(void)
{
	nng_socket s;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_msg_alloc(&m, 0));

	nng_aio_set_timeout(aio, 1000);
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);
	nng_aio_abort(aio, NNG_ECANCELED);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
	nng_msg_free(m);
}

static void
test_pull_recv_cancel(void)
{
	nng_socket s;
	nng_aio   *aio;

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	nng_aio_set_timeout(aio, 1000);
	nng_recv_aio(s, aio);
	nng_aio_abort(aio, NNG_ECANCELED);

	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	NUTS_CLOSE(s);
	nng_aio_free(aio);
}

static void
check_send_late(int buf)
{
	nng_socket s;
	nng_socket pull;
	nng_aio   *aio;
	nng_msg   *m;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_SENDBUF, buf));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_msg_alloc(&m, 0));
	NUTS_PASS(nng_msg_append(m, "123\0", 4));

	nng_aio_set_timeout(aio, 1000);
	nng_aio_set_msg(aio, m);
	nng_send_aio(s, aio);

	NUTS_MARRY(s, pull);

	NUTS_RECV(pull, "123");

	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	NUTS_CLOSE(s);
	NUTS_CLOSE(pull);
	nng_aio_free(aio);
}

static void
test_push_send_late_unbuffered(void)
{
	check_send_late(0);
}

static void
test_push_send_late_buffered(void)
{
	check_send_late(2);
}

static void
test_cooked(void)
{
	nng_socket s;
	bool       b;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_RAW, true), NNG_EREADONLY);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(!b);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_push0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pull0_open_raw(&s));
	NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &b));
	NUTS_TRUE(b);
	NUTS_CLOSE(s);
}

static void
check_load_balance(int buf)
{
	nng_socket s;
	nng_socket pull1;
	nng_socket pull2;
	nng_socket pull3;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_pull0_open(&pull1));
	NUTS_PASS(nng_pull0_open(&pull2));
	NUTS_PASS(nng_pull0_open(&pull3));
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_SENDBUF, buf));
	NUTS_PASS(nng_socket_set_ms(pull1, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(pull2, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_ms(pull3, NNG_OPT_RECVTIMEO, 1000));
	NUTS_MARRY(s, pull1);
	NUTS_MARRY(s, pull2);
	NUTS_MARRY(s, pull3);
	NUTS_SEND(s, "one");
	NUTS_SEND(s, "two");
	NUTS_SEND(s, "three");
	NUTS_RECV(pull1, "one");
	NUTS_RECV(pull2, "two");
	NUTS_RECV(pull3, "three");
	NUTS_CLOSE(s);
	NUTS_CLOSE(pull1);
	NUTS_CLOSE(pull2);
	NUTS_CLOSE(pull3);
}

static void
test_push_load_balance_buffered(void)
{
	check_load_balance(4);
}

static void
test_push_load_balance_unbuffered(void)
{
	check_load_balance(0);
}

static void
test_push_back_pressure(void)
{
	nng_socket push, pull;
	int        i, rv;

	// The puller never reads: the pipe and the puller's buffer fill,
	// then sends time out; reading frees the way again.
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 50));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_MARRY(pull, push);
	for (i = 0, rv = 0; i < 100; i++) {
		if ((rv = nng_send(push, "x", 2, 0)) != 0) {
			break;
		}
	}
	NUTS_FAIL(rv, NNG_ETIMEDOUT);
	NUTS_TRUE(i >= 1 && i < 100);
	NUTS_RECV(pull, "x");
	NUTS_PASS(nng_send(push, "y", 2, 0));
	NUTS_CLOSE(push);
	NUTS_CLOSE(pull);
}

static void
test_pull_fair_queue(void)
{
	nng_socket pull, push1, push2;
	int        n1 = 0, n2 = 0;

	// Two pushers, both keep sending: the puller serves both.
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_push0_open(&push1));
	NUTS_PASS(nng_push0_open(&push2));
	NUTS_PASS(nng_socket_set_ms(pull, NNG_OPT_RECVTIMEO, 1000));
	NUTS_PASS(nng_socket_set_int(push1, NNG_OPT_SENDBUF, 8));
	NUTS_PASS(nng_socket_set_int(push2, NNG_OPT_SENDBUF, 8));
	NUTS_MARRY(pull, push1);
	NUTS_MARRY(pull, push2);
	for (int i = 0; i < 4; i++) {
		NUTS_SEND(push1, "1");
		NUTS_SEND(push2, "2");
	}
	for (int i = 0; i < 8; i++) {
		char   buf[4];
		size_t sz = sizeof(buf);
		NUTS_PASS(nng_recv(pull, buf, &sz, 0));
		NUTS_EQ(sz, 2);
		if (buf[0] == '1') {
			n1++;
		} else {
			n2++;
		}
	}
	NUTS_EQ(n1, 4);
	NUTS_EQ(n2, 4);
	NUTS_CLOSE(pull);
	NUTS_CLOSE(push1);
	NUTS_CLOSE(push2);
}

static void
test_push_send_buffer(void)
{
	nng_socket s;
	int        v;
	bool       b;
	size_t     sz;

	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 0);
	NUTS_FAIL(nng_socket_get_bool(s, NNG_OPT_SENDBUF, &b), NNG_EBADTYPE);
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_SENDBUF, &b, &sz), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_SENDBUF, -1), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_SENDBUF, 100000), NNG_EINVAL);
	NUTS_FAIL(nng_socket_set_bool(s, NNG_OPT_SENDBUF, false), NNG_EBADTYPE);
	NUTS_FAIL(nng_socket_set(s, NNG_OPT_SENDBUF, &b, 1), NNG_EINVAL);
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_SENDBUF, 100));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 100);
	NUTS_CLOSE(s);
}

#define CHAIN_N 500

typedef struct {
	nng_socket s;
	nng_aio   *aio;
	nng_mtx   *mx;
	nng_cv    *cv;
	int        count;
	int        err;
	bool       done;
} chain;

// Completion callback that re-arms the receive from inside itself, the
// usual way to drive a socket asynchronously.
static void
chain_cb(void *arg)
{
	chain *c  = arg;
	int    rv = nng_aio_result(c->aio);
	nng_mtx_lock(c->mx);
	if (rv != 0) {
		c->err  = rv;
		c->done = true;
		nng_cv_wake(c->cv);
		nng_mtx_unlock(c->mx);
		return;
	}
	nng_msg_free(nng_aio_get_msg(c->aio));
	nng_aio_set_msg(c->aio, NULL);
	if (++c->count == CHAIN_N) {
		c->done = true;
		nng_cv_wake(c->cv);
		nng_mtx_unlock(c->mx);
		return;
	}
	nng_mtx_unlock(c->mx);
	nng_recv_aio(c->s, c->aio);
}

static void
test_pull_aio_callback_chain(void)
{
	nng_socket push, pull;
	chain      c;
	nng_time   deadline;

	memset(&c, 0, sizeof(c));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 5 * SECOND));
	NUTS_PASS(nng_mtx_alloc(&c.mx));
	NUTS_PASS(nng_cv_alloc(&c.cv, c.mx));
	NUTS_PASS(nng_aio_alloc(&c.aio, chain_cb, &c));
	c.s = pull;
	NUTS_MARRY(pull, push);
	nng_recv_aio(pull, c.aio);
	for (int i = 0; i < CHAIN_N; i++) {
		NUTS_SEND(push, "chain");
	}
	deadline = nng_clock() + 5 * SECOND;
	nng_mtx_lock(c.mx);
	while (!c.done) {
		if (nng_cv_until(c.cv, deadline) != 0) {
			break;
		}
	}
	nng_mtx_unlock(c.mx);
	NUTS_TRUE(c.done);
	NUTS_PASS(c.err);
	NUTS_EQ(c.count, CHAIN_N);

	// One more receive, failed by the close.
	c.done = false;
	nng_recv_aio(pull, c.aio);
	NUTS_CLOSE(pull);
	nng_aio_wait(c.aio);
	NUTS_FAIL(c.err, NNG_ECLOSED);
	NUTS_CLOSE(push);
	nng_aio_free(c.aio);
	nng_cv_free(c.cv);
	nng_mtx_free(c.mx);
}

typedef struct {
	nng_socket s;
	int        count;
	int        rv;
	pthread_t  thr;
} puller;

static void *
puller_run(void *arg)
{
	puller *p = arg;
	for (;;) {
		nng_msg *m;
		if ((p->rv = nng_recvmsg(p->s, &m, 0)) != 0) {
			return (NULL);
		}
		nng_msg_free(m);
		p->count++;
	}
}

static void
test_push_many_pullers(void)
{
	nng_socket push;
	puller     p[3];
	int        total = 0;

	// Pullers in their own threads share the work; nothing is lost
	// or delivered twice. Each stops at its receive timeout once the
	// work is done.
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_socket_set_ms(push, NNG_OPT_SENDTIMEO, 5 * SECOND));
	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_pull0_open(&p[i].s));
		NUTS_PASS(nng_socket_set_ms(p[i].s, NNG_OPT_RECVTIMEO, 200));
		NUTS_MARRY(push, p[i].s);
		p[i].count = 0;
		NUTS_TRUE(pthread_create(&p[i].thr, NULL, puller_run, &p[i]) == 0);
	}
	for (int i = 0; i < 3000; i++) {
		NUTS_SEND(push, "work");
	}
	for (int i = 0; i < 3; i++) {
		NUTS_TRUE(pthread_join(p[i].thr, NULL) == 0);
		NUTS_FAIL(p[i].rv, NNG_ETIMEDOUT);
		NUTS_TRUE(p[i].count > 0);
		total += p[i].count;
		NUTS_CLOSE(p[i].s);
	}
	NUTS_EQ(total, 3000);
	NUTS_CLOSE(push);
}

static void
test_generic_buffers(void)
{
	nng_socket s;
	int        v;

	// The direction a protocol does not use still has the socket's
	// generic buffer option (upstream: receive 1, send 0), no TTL.
	NUTS_PASS(nng_push0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 1);
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_RECVBUF, 0));
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RECVBUF, 8193), NNG_EINVAL);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_MAXTTL, &v), NNG_ENOTSUP);
	NUTS_CLOSE(s);
	NUTS_PASS(nng_pull0_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 0);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVBUF, &v));
	NUTS_EQ(v, 1);
	NUTS_PASS(nng_socket_set_int(s, NNG_OPT_SENDBUF, 5));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDBUF, &v));
	NUTS_EQ(v, 5);
	NUTS_CLOSE(s);
}

NUTS_TESTS = {
	{ "push identity", test_push_identity },
	{ "pull identity", test_pull_identity },
	{ "push cannot recv", test_push_cannot_recv },
	{ "pull cannot send", test_pull_cannot_send },
	{ "pipeline no context", test_no_context },
	{ "pipeline poll fd rules", test_poll_fd_rules },
	{ "push pull exchange", test_push_pull_exchange },
	{ "push pull raw exchange", test_raw_exchange },
	{ "push poll writable", test_push_poll_writable },
	{ "pull poll readable", test_pull_poll_readable },
	{ "pull close pending", test_pull_close_pending },
	{ "push poll buffered", test_push_poll_buffered },
	{ "push buffered", test_push_buffered },
	{ "push truncate", test_push_truncate },
	{ "push validate peer", test_push_validate_peer },
	{ "pull validate peer", test_pull_validate_peer },
	{ "push send aio stopped", test_push_send_aio_stopped },
	{ "pull recv aio stopped", test_pull_recv_aio_stopped },
	{ "push close send", test_push_close_send },
	{ "pull close recv", test_pull_close_recv },
	{ "pipeline close blocked", test_close_blocked },
	{ "push send nonblock", test_push_send_nonblock },
	{ "pull recv nonblock", test_pull_recv_nonblock },
	{ "push send timeout", test_push_send_timeout },
	{ "pull recv timeout", test_pull_recv_timeout },
	{ "push send cancel", test_push_send_cancel },
	{ "pull recv cancel", test_pull_recv_cancel },
	{ "push send late unbuffered", test_push_send_late_unbuffered },
	{ "push send late buffered", test_push_send_late_buffered },
	{ "pipeline cooked", test_cooked },
	{ "push load balance buffered", test_push_load_balance_buffered },
	{ "push load balance unbuffered", test_push_load_balance_unbuffered },
	{ "push back pressure", test_push_back_pressure },
	{ "pull fair queue", test_pull_fair_queue },
	{ "push send buffer", test_push_send_buffer },
	{ "pipeline generic buffers", test_generic_buffers },
	{ "pull aio callback chain", test_pull_aio_callback_chain },
	{ "push many pullers", test_push_many_pullers },
	{ NULL, NULL },
};
