// Sockets as a C program sees them: handles and identity, stale and zero
// handles, closing (twice, with blocked callers, nng_closeall), blocking and
// non-blocking send/receive with timeouts, NNG_FLAG_ALLOC, message ownership
// on failure, protocols that only send or only receive, and the pollable
// descriptors NNG_OPT_RECVFD / NNG_OPT_SENDFD.
//
// nng-ctest: memcheck

#include <nuts_sock.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

// Is the descriptor readable within `ms`?
static bool
readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	int           n   = poll(&pfd, 1, ms);
	return (n == 1 && (pfd.revents & POLLIN) != 0);
}

// Waits up to NUTS_SOCK_LONG for the descriptor to become readable.
static bool
becomes_readable(int fd)
{
	return (readable(fd, NUTS_SOCK_LONG));
}

static void
test_socket_id_rule(void)
{
	nng_socket s = NNG_SOCKET_INITIALIZER;
	NUTS_TRUE(nng_socket_id(s) < 0);
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_TRUE(nng_socket_id(s) > 0);
	NUTS_EQ(nng_socket_id(s), (int) s.id);
	NUTS_PASS(nng_close(s));
	// The id rule does not look anything up.
	NUTS_EQ(nng_socket_id(s), (int) s.id);
}

static void
test_socket_ids_differ(void)
{
	nng_socket s1, s2;
	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_TRUE(s1.id != s2.id);
	NUTS_PASS(nng_socket_close(s1));
	NUTS_PASS(nng_socket_close(s2));
}

// Every entry point given a socket that is not open: ECLOSED.
static void
check_not_open(nng_socket s)
{
	nng_msg     *msg;
	nng_aio     *aio;
	nng_ctx      ctx;
	nng_dialer   d;
	nng_listener l;
	uint16_t     id;
	const char  *name;
	bool         raw;
	int          v;
	size_t       sz;
	char         buf[8];
	char        *str;

	NUTS_FAIL(nng_close(s), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_close(s), NNG_ECLOSED);
	NUTS_FAIL(nng_send(s, "x", 1, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_send(s, "x", 1, NNG_FLAG_NONBLOCK), NNG_ECLOSED);
	sz = sizeof(buf);
	NUTS_FAIL(nng_recv(s, buf, &sz, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_recvmsg(s, &msg, NNG_FLAG_NONBLOCK), NNG_ECLOSED);

	// The caller keeps the message when the send fails.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "kept", 5));
	NUTS_FAIL(nng_sendmsg(s, msg, 0), NNG_ECLOSED);
	NUTS_EQ(nng_msg_len(msg), 5);
	NUTS_MATCH(nng_msg_body(msg), "kept");

	// Asynchronous operations complete with ECLOSED, message kept.
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_msg(aio, msg);
	nng_sock_send(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	NUTS_TRUE(nng_aio_get_msg(aio) == msg);
	nng_send_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_sock_recv(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_recv_aio(s, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_aio_free(aio);
	nng_msg_free(msg);

	NUTS_FAIL(nng_socket_proto_id(s, &id), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_peer_id(s, &id), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_proto_name(s, &name), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_peer_name(s, &name), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_raw(s, &raw), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVBUF, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RECVBUF, 1), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_get_string(s, NNG_OPT_SOCKNAME, &str),
	    NNG_ECLOSED);
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVFD, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_socket_set_bool(s, "no-such-option", true), NNG_ECLOSED);
	sz = sizeof(buf);
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_SOCKNAME, buf, &sz), NNG_ECLOSED);
	NUTS_FAIL(nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, NULL, NULL),
	    NNG_ECLOSED);
	NUTS_FAIL(nng_dial(s, "inproc://closed", NULL, NNG_FLAG_NONBLOCK),
	    NNG_ECLOSED);
	NUTS_FAIL(nng_listen(s, "inproc://closed", NULL, 0), NNG_ECLOSED);
	NUTS_FAIL(nng_dialer_create(&d, s, "inproc://closed"), NNG_ECLOSED);
	NUTS_FAIL(nng_listener_create(&l, s, "inproc://closed"), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_open(&ctx, s), NNG_ECLOSED);
}

static void
test_zero_socket_is_closed(void)
{
	nng_socket s = NNG_SOCKET_INITIALIZER;
	check_not_open(s);
}

static void
test_closed_socket_is_closed(void)
{
	nng_socket s;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_close(s));
	check_not_open(s);
}

static void
test_unknown_socket_is_closed(void)
{
	nng_socket s;
	s.id = 0x7ffffff0;
	check_not_open(s);
	s.id = 0xffffffffu;
	check_not_open(s);
}

static void
test_close_twice(void)
{
	nng_socket s;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_close(s), NNG_ECLOSED);
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_close(s));
	NUTS_FAIL(nng_socket_close(s), NNG_ECLOSED);
	NUTS_FAIL(nng_close(s), NNG_ECLOSED);
}

typedef struct {
	int (*open)(nng_socket *);
	uint16_t    self;
	uint16_t    peer;
	const char *self_name;
	const char *peer_name;
	bool        raw;
} identity;

static void
test_socket_identity(void)
{
	identity cases[] = {
		{ nng_pair1_open, 0x11, 0x11, "pair1", "pair1", false },
		{ nng_pair1_open_raw, 0x11, 0x11, "pair1", "pair1", true },
		{ nng_pair1_open_poly, 0x11, 0x11, "pair1", "pair1", false },
		{ nng_req0_open, 0x30, 0x31, "req", "rep", false },
		{ nng_req0_open_raw, 0x30, 0x31, "req", "rep", true },
		{ nng_rep0_open, 0x31, 0x30, "rep", "req", false },
		{ nng_pub0_open, 0x20, 0x21, "pub", "sub", false },
		{ nng_sub0_open_raw, 0x21, 0x20, "sub", "pub", true },
		{ nng_push0_open, 0x50, 0x51, "push", "pull", false },
		{ nng_pull0_open, 0x51, 0x50, "pull", "push", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		identity   *c = &cases[i];
		nng_socket  s;
		uint16_t    id;
		const char *name;
		char       *str;
		bool        raw;
		int         v;

		NUTS_PASS(c->open(&s));
		NUTS_PASS(nng_socket_proto_id(s, &id));
		NUTS_EQ(id, c->self);
		NUTS_PASS(nng_socket_peer_id(s, &id));
		NUTS_EQ(id, c->peer);
		NUTS_PASS(nng_socket_proto_name(s, &name));
		NUTS_MATCH(name, c->self_name);
		NUTS_PASS(nng_socket_peer_name(s, &name));
		NUTS_MATCH(name, c->peer_name);
		NUTS_PASS(nng_socket_raw(s, &raw));
		NUTS_EQ(raw, c->raw);

		// The same facts through the (older) options.
		NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PROTO, &v));
		NUTS_EQ(v, c->self);
		NUTS_PASS(nng_socket_get_int(s, NNG_OPT_PEER, &v));
		NUTS_EQ(v, c->peer);
		NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PROTONAME, &str));
		NUTS_MATCH(str, c->self_name);
		nng_strfree(str);
		NUTS_PASS(nng_socket_get_string(s, NNG_OPT_PEERNAME, &str));
		NUTS_MATCH(str, c->peer_name);
		nng_strfree(str);
		NUTS_PASS(nng_socket_get_bool(s, NNG_OPT_RAW, &raw));
		NUTS_EQ(raw, c->raw);
		NUTS_PASS(nng_close(s));
	}
}

static void
test_identity_null_arguments(void)
{
	nng_socket s;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_socket_proto_id(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_peer_id(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_proto_name(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_peer_name(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_socket_raw(s, NULL), NNG_EINVAL);
	NUTS_FAIL(nng_sendmsg(s, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_recvmsg(s, NULL, 0), NNG_EINVAL);
	NUTS_PASS(nng_close(s));
}

static void
test_recv_timeout(void)
{
	nng_socket s;
	nng_msg   *msg = NULL;
	nng_time   start;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 20));
	start = nng_clock();
	NUTS_FAIL(nng_recvmsg(s, &msg, 0), NNG_ETIMEDOUT);
	NUTS_NULL(msg);
	NUTS_TRUE(nng_clock() >= start + 19);
	NUTS_TRUE(nng_clock() < start + 2000);
	NUTS_PASS(nng_close(s));
}

static void
test_recv_nonblock(void)
{
	nng_socket s;
	nng_msg   *msg = NULL;
	nng_time   start;
	char       buf[4];
	size_t     sz = sizeof(buf);

	NUTS_PASS(nng_pair1_open(&s));
	// Non-blocking ignores the (infinite) timeout.
	start = nng_clock();
	NUTS_FAIL(nng_recvmsg(s, &msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_NULL(msg);
	NUTS_FAIL(nng_recv(s, buf, &sz, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_TRUE(nng_clock() < start + 1000);
	NUTS_PASS(nng_close(s));
}

static void
test_send_timeout(void)
{
	nng_socket s;
	nng_msg   *msg;
	nng_time   start;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "abc", 4));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 20));
	start = nng_clock();
	NUTS_FAIL(nng_sendmsg(s, msg, 0), NNG_ETIMEDOUT);
	NUTS_TRUE(nng_clock() >= start + 19);
	NUTS_TRUE(nng_clock() < start + 2000);
	// Still ours.
	NUTS_EQ(nng_msg_len(msg), 4);
	NUTS_MATCH(nng_msg_body(msg), "abc");
	NUTS_FAIL(nng_send(s, "abc", 4, 0), NNG_ETIMEDOUT);
	nng_msg_free(msg);
	NUTS_PASS(nng_close(s));
}

static void
test_send_nonblock(void)
{
	nng_socket s;
	nng_msg   *msg;
	nng_time   start;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 3000));
	start = nng_clock();
	NUTS_FAIL(nng_sendmsg(s, msg, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_FAIL(nng_send(s, "abc", 4, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_TRUE(nng_clock() < start + 1000);
	// The caller still owns (and can reuse) the message.
	NUTS_PASS(nng_msg_append(msg, "again", 6));
	NUTS_MATCH(nng_msg_body(msg), "again");
	nng_msg_free(msg);
	NUTS_PASS(nng_close(s));
}

static void
test_send_recv(void)
{
	nng_socket s1, s2;
	nng_msg   *msg;
	char       buf[16];
	size_t     sz;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, NUTS_SOCK_LONG));
	nuts_marry(s1, s2);

	NUTS_SEND(s1, "hello");
	NUTS_RECV(s2, "hello");
	NUTS_SEND(s2, "back");
	NUTS_RECV(s1, "back");

	// Messages, both ways; the received message names its pipe.
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "msg", 4));
	NUTS_PASS(nng_sendmsg(s1, msg, 0));
	msg = NULL;
	NUTS_PASS(nng_recvmsg(s2, &msg, 0));
	NUTS_TRUE(msg != NULL);
	NUTS_EQ(nng_msg_len(msg), 4);
	NUTS_MATCH(nng_msg_body(msg), "msg");
	NUTS_TRUE(nng_pipe_id(nng_msg_get_pipe(msg)) > 0);
	nng_msg_free(msg);

	// A longer body is truncated silently; *szp has the full length.
	NUTS_SEND(s1, "0123456789");
	sz = 4;
	memset(buf, 0, sizeof(buf));
	NUTS_PASS(nng_recv(s2, buf, &sz, 0));
	NUTS_EQ(sz, 11);
	NUTS_TRUE(memcmp(buf, "0123", 4) == 0);
	NUTS_EQ(buf[4], 0);

	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

static void
test_send_recv_alloc(void)
{
	nng_socket s1, s2;
	char      *buf;
	size_t     sz;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_SENDTIMEO, NUTS_SOCK_LONG));
	nuts_marry(s1, s2);

	// NNG_FLAG_ALLOC on send: the library frees the buffer on success.
	NUTS_TRUE((buf = nng_alloc(6)) != NULL);
	memcpy(buf, "alloc", 6);
	NUTS_PASS(nng_send(s1, buf, 6, NNG_FLAG_ALLOC));

	// NNG_FLAG_ALLOC on receive: we get a buffer to nng_free.
	buf = NULL;
	sz  = 0;
	NUTS_PASS(nng_recv(s2, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_TRUE(buf != NULL);
	NUTS_EQ(sz, 6);
	NUTS_MATCH(buf, "alloc");
	nng_free(buf, sz);

	// Zero length: no buffer.
	NUTS_PASS(nng_send(s1, "", 0, 0));
	buf = (char *) &sz;
	NUTS_PASS(nng_recv(s2, &buf, &sz, NNG_FLAG_ALLOC));
	NUTS_NULL(buf);
	NUTS_EQ(sz, 0);
	nng_free(buf, sz);

	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));

	// A failed NNG_FLAG_ALLOC send leaves the buffer with the caller.
	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_TRUE((buf = nng_alloc(6)) != NULL);
	memcpy(buf, "owned", 6);
	NUTS_FAIL(nng_send(s1, buf, 6, NNG_FLAG_ALLOC | NNG_FLAG_NONBLOCK),
	    NNG_EAGAIN);
	NUTS_MATCH(buf, "owned");
	nng_free(buf, 6);
	NUTS_PASS(nng_close(s1));
}

static void
test_recv_bad_arguments(void)
{
	nng_socket s;
	size_t     sz = 4;
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_recv(s, NULL, NULL, 0), NNG_EINVAL);
	NUTS_FAIL(nng_recv(s, NULL, &sz, 0), NNG_EINVAL);
	NUTS_FAIL(nng_recv(s, NULL, &sz, NNG_FLAG_ALLOC), NNG_EINVAL);
	NUTS_FAIL(nng_send(s, NULL, 4, 0), NNG_EINVAL);
	NUTS_PASS(nng_close(s));
}

static void
test_aio_send_recv(void)
{
	nng_socket s1, s2;
	nng_aio   *tx, *rx;
	nng_msg   *msg;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_aio_alloc(&tx, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&rx, NULL, NULL));
	nng_aio_set_timeout(tx, NUTS_SOCK_LONG);
	nng_aio_set_timeout(rx, NUTS_SOCK_LONG);

	// No message in the aio.
	nng_sock_send(s1, tx);
	nng_aio_wait(tx);
	NUTS_FAIL(nng_aio_result(tx), NNG_EINVAL);

	nuts_marry(s1, s2);
	nng_sock_recv(s2, rx);
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_PASS(nng_msg_append(msg, "aio", 4));
	nng_aio_set_msg(tx, msg);
	nng_sock_send(s1, tx);
	nng_aio_wait(tx);
	NUTS_PASS(nng_aio_result(tx));
	nng_aio_wait(rx);
	NUTS_PASS(nng_aio_result(rx));
	msg = nng_aio_get_msg(rx);
	NUTS_TRUE(msg != NULL);
	NUTS_MATCH(nng_msg_body(msg), "aio");
	nng_msg_free(msg);

	// A receive times out after the aio's timeout.
	nng_aio_set_timeout(rx, 10);
	nng_recv_aio(s2, rx);
	nng_aio_wait(rx);
	NUTS_FAIL(nng_aio_result(rx), NNG_ETIMEDOUT);

	// A pending receive is aborted by close.
	nng_aio_set_timeout(rx, NNG_DURATION_INFINITE);
	nng_recv_aio(s2, rx);
	NUTS_PASS(nng_close(s2));
	nng_aio_wait(rx);
	NUTS_FAIL(nng_aio_result(rx), NNG_ECLOSED);

	nng_aio_free(tx);
	nng_aio_free(rx);
	NUTS_PASS(nng_close(s1));
}

static void
test_send_only_and_recv_only(void)
{
	nng_socket pub, sub, push, pull;
	nng_msg   *msg;
	char       buf[4];
	size_t     sz = sizeof(buf);
	nng_aio   *aio;

	NUTS_PASS(nng_pub0_open(&pub));
	NUTS_PASS(nng_sub0_open(&sub));
	NUTS_PASS(nng_push0_open(&push));
	NUTS_PASS(nng_pull0_open(&pull));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));

	NUTS_FAIL(nng_recv(pub, buf, &sz, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_recv(push, buf, &sz, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_recvmsg(pub, &msg, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);
	NUTS_FAIL(nng_send(sub, "x", 1, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_send(pull, "x", 1, NNG_FLAG_NONBLOCK), NNG_ENOTSUP);

	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_sendmsg(sub, msg, 0), NNG_ENOTSUP);
	NUTS_FAIL(nng_sendmsg(pull, msg, 0), NNG_ENOTSUP);
	nng_aio_set_msg(aio, msg);
	nng_send_aio(pull, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ENOTSUP);
	NUTS_TRUE(nng_aio_get_msg(aio) == msg);
	nng_recv_aio(push, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ENOTSUP);
	nng_msg_free(msg);

	nng_aio_free(aio);
	NUTS_PASS(nng_close(pub));
	NUTS_PASS(nng_close(sub));
	NUTS_PASS(nng_close(push));
	NUTS_PASS(nng_close(pull));
}

// A thread blocked in a send or receive.
typedef struct {
	nng_socket s;
	bool       send;
	int        rv;
	nng_time   done;
} blocked;

static void
blocked_main(void *arg)
{
	blocked *b = arg;
	if (b->send) {
		b->rv = nng_send(b->s, "blocked", 8, 0);
	} else {
		char  *buf;
		size_t sz;
		b->rv = nng_recv(b->s, &buf, &sz, NNG_FLAG_ALLOC);
		if (b->rv == 0) {
			nng_free(buf, sz);
		}
	}
	b->done = nng_clock();
}

static void
test_close_unblocks_callers(void)
{
	nng_socket  s;
	blocked     b[4];
	nng_thread *t[4];
	nng_time    closed;

	// No peer: pair1 sends and receives both block (infinite timeouts).
	NUTS_PASS(nng_pair1_open(&s));
	for (int i = 0; i < 4; i++) {
		b[i].s    = s;
		b[i].send = (i % 2) == 1;
		b[i].rv   = -1;
		NUTS_PASS(nng_thread_create(&t[i], blocked_main, &b[i]));
	}
	// Not needed for correctness (a call made after the close fails with
	// ECLOSED as well); gives the threads time to block first.
	nng_msleep(50);
	closed = nng_clock();
	NUTS_PASS(nng_close(s));
	for (int i = 0; i < 4; i++) {
		nng_thread_destroy(t[i]); // joins
		NUTS_FAIL(b[i].rv, NNG_ECLOSED);
		NUTS_TRUE(b[i].done < closed + 1000);
	}
}

static void
test_close_unblocks_connected_callers(void)
{
	nng_socket  s1, s2;
	blocked     b;
	nng_thread *t;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	nuts_marry(s1, s2);
	b.s    = s1;
	b.send = false;
	b.rv   = -1;
	NUTS_PASS(nng_thread_create(&t, blocked_main, &b));
	nng_msleep(20); // see test_close_unblocks_callers
	NUTS_PASS(nng_close(s1));
	nng_thread_destroy(t);
	NUTS_FAIL(b.rv, NNG_ECLOSED);
	NUTS_PASS(nng_close(s2));
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static void
test_closeall(void)
{
	nng_socket  s[3];
	blocked     b;
	nng_thread *t;

	for (int i = 0; i < 3; i++) {
		NUTS_PASS(nng_pair1_open(&s[i]));
	}
	nuts_marry(s[0], s[1]);
	b.s    = s[2];
	b.send = false;
	b.rv   = -1;
	NUTS_PASS(nng_thread_create(&t, blocked_main, &b));
	nng_closeall();
	nng_thread_destroy(t);
	NUTS_FAIL(b.rv, NNG_ECLOSED);
	for (int i = 0; i < 3; i++) {
		NUTS_FAIL(nng_close(s[i]), NNG_ECLOSED);
	}
	// Harmless with nothing open; sockets can be opened again after.
	nng_closeall();
	NUTS_PASS(nng_pair1_open(&s[0]));
	NUTS_PASS(nng_close(s[0]));
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

static void
test_ctx_handles(void)
{
	nng_socket s;
	nng_ctx    c = NNG_CTX_INITIALIZER;
	nng_msg   *msg;
	int        v;

	NUTS_TRUE(nng_ctx_id(c) < 0);
	NUTS_FAIL(nng_ctx_close(c), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_set_ms(c, NNG_OPT_RECVTIMEO, 1), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_recvmsg(c, &msg, 0), NNG_ECLOSED);

	// No contexts on pair1.
	NUTS_PASS(nng_pair1_open(&s));
	NUTS_FAIL(nng_ctx_open(&c, s), NNG_ENOTSUP);
	NUTS_PASS(nng_close(s));

	// A context dies with its socket.
	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_TRUE(nng_ctx_id(c) > 0);
	NUTS_PASS(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &v));
	NUTS_PASS(nng_close(s));
	NUTS_FAIL(nng_ctx_get_ms(c, NNG_OPT_RECVTIMEO, &v), NNG_ECLOSED);
	NUTS_FAIL(nng_ctx_close(c), NNG_ECLOSED);

	// Closing a context twice.
	NUTS_PASS(nng_req0_open(&s));
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_PASS(nng_ctx_close(c));
	NUTS_FAIL(nng_ctx_close(c), NNG_ECLOSED);
	NUTS_PASS(nng_msg_alloc(&msg, 0));
	NUTS_FAIL(nng_ctx_sendmsg(c, msg, 0), NNG_ECLOSED);
	nng_msg_free(msg);
	NUTS_PASS(nng_close(s));
}

// -- NNG_OPT_RECVFD / NNG_OPT_SENDFD --------------------------------------

static void
test_recv_fd(void)
{
	nng_socket s1, s2;
	int        fd, fd2;
	size_t     sz;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s1, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_SENDTIMEO, NUTS_SOCK_LONG));

	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_RECVFD, &fd));
	NUTS_TRUE(fd >= 0);
	// Always the same descriptor, by any accessor.
	sz = sizeof(fd2);
	NUTS_PASS(nng_socket_get(s1, NNG_OPT_RECVFD, &fd2, &sz));
	NUTS_EQ(sz, sizeof(int));
	NUTS_EQ(fd2, fd);
	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_RECVFD, &fd2));
	NUTS_EQ(fd2, fd);

	// Not readable with no peer, nor once connected with nothing queued.
	NUTS_TRUE(!readable(fd, 0));
	nuts_marry(s1, s2);
	NUTS_TRUE(!readable(fd, 0));

	// Readable once a message waits, until it is received.
	NUTS_SEND(s2, "abc");
	NUTS_TRUE(becomes_readable(fd));
	NUTS_TRUE(readable(fd, 0)); // level, not edge
	NUTS_RECV(s1, "abc");
	NUTS_TRUE(!readable(fd, 0));

	// Again, received as a message this time, asynchronously.
	NUTS_SEND(s2, "def");
	NUTS_TRUE(becomes_readable(fd));
	{
		nng_aio *aio;
		nng_msg *msg;
		NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
		nng_recv_aio(s1, aio);
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
		msg = nng_aio_get_msg(aio);
		NUTS_MATCH(nng_msg_body(msg), "def");
		nng_msg_free(msg);
		nng_aio_free(aio);
	}
	NUTS_TRUE(!readable(fd, 0));

	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

static void
test_recv_fd_first_asked_when_ready(void)
{
	nng_socket s1, s2;
	int        fd;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	nuts_marry(s1, s2);
	NUTS_SEND(s2, "early");
	// Nothing tells us the message arrived but the descriptor, which is
	// made now: it must start out readable once the message is in.
	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_RECVFD, &fd));
	NUTS_TRUE(becomes_readable(fd));
	NUTS_RECV(s1, "early");
	NUTS_TRUE(!readable(fd, 0));
	NUTS_PASS(nng_close(s1));
	NUTS_PASS(nng_close(s2));
}

static void
test_send_fd(void)
{
	nng_socket s1, s2;
	int        fd;
	int        sent = 0;
	int        rv;

	NUTS_PASS(nng_pair1_open(&s1));
	NUTS_PASS(nng_pair1_open(&s2));
	NUTS_PASS(nng_socket_set_ms(s2, NNG_OPT_RECVTIMEO, NUTS_SOCK_LONG));
	NUTS_PASS(nng_socket_get_int(s1, NNG_OPT_SENDFD, &fd));
	NUTS_TRUE(fd >= 0);

	// No peer, no buffer: a send would block.
	NUTS_TRUE(!readable(fd, 0));
	NUTS_FAIL(nng_send(s1, "x", 2, NNG_FLAG_NONBLOCK), NNG_EAGAIN);

	// Connected: sendable until the pipeline fills up.
	nuts_marry(s1, s2);
	NUTS_TRUE(becomes_readable(fd));
	// Exactly when a send would not block, it is readable (nothing else
	// happens on these sockets meanwhile).
	for (;;) {
		bool ready = readable(fd, 0);
		NUTS_TRUE(sent < 100);
		rv = nng_send(s1, "x", 2, NNG_FLAG_NONBLOCK);
		if (!ready) {
			NUTS_FAIL(rv, NNG_EAGAIN);
			break;
		}
		NUTS_PASS(rv);
		sent++;
	}
	NUTS_TRUE(sent >= 1);
	NUTS_TRUE(!readable(fd, 0));

	// Receiving on the peer makes room.
	NUTS_RECV(s2, "x");
	NUTS_TRUE(becomes_readable(fd));
	NUTS_PASS(nng_send(s1, "x", 2, NNG_FLAG_NONBLOCK));

	// The peer going away takes the room with it.
	NUTS_PASS(nng_close(s2));
	for (int i = 0; i < 100 && readable(fd, 0); i++) {
		if (nng_send(s1, "x", 2, NNG_FLAG_NONBLOCK) != 0) {
			break;
		}
	}
	NUTS_FAIL(nng_send(s1, "x", 2, NNG_FLAG_NONBLOCK), NNG_EAGAIN);
	NUTS_TRUE(!readable(fd, 0));
	NUTS_PASS(nng_close(s1));
}

static void
test_poll_fd_not_supported(void)
{
	nng_socket s;
	int        fd;
	size_t     sz = sizeof(fd);
	size_t     z;

	NUTS_PASS(nng_pub0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	// Not a type error either, and still read-only (as upstream).
	NUTS_FAIL(nng_socket_get_size(s, NNG_OPT_RECVFD, &z), NNG_ENOTSUP);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RECVFD, 1), NNG_EREADONLY);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd));
	NUTS_TRUE(readable(fd, 0)); // pub never blocks
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_push0_open(&s));
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECVFD, &fd, &sz), NNG_ENOTSUP);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd));
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_sub0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVFD, &fd));
	NUTS_PASS(nng_close(s));

	NUTS_PASS(nng_pull0_open(&s));
	NUTS_FAIL(nng_socket_get_int(s, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVFD, &fd));
	NUTS_PASS(nng_close(s));
}

static void
test_poll_fd_options(void)
{
	nng_socket s;
	nng_ctx    c;
	int        fd;
	size_t     sz;
	char       buf[128];
	bool       b;

	NUTS_PASS(nng_req0_open(&s));
	// Read-only, int-typed.
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_RECVFD, 0), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_set_int(s, NNG_OPT_SENDFD, 0), NNG_EREADONLY);
	NUTS_FAIL(nng_socket_get_bool(s, NNG_OPT_RECVFD, &b), NNG_EBADTYPE);
	// Opaque gets need room for an int.
	sz = 1;
	NUTS_FAIL(nng_socket_get(s, NNG_OPT_RECVFD, &fd, &sz), NNG_EINVAL);
	NUTS_EQ(sz, sizeof(int));
	sz = sizeof(buf);
	NUTS_PASS(nng_socket_get(s, NNG_OPT_SENDFD, buf, &sz));
	NUTS_EQ(sz, sizeof(int));
	// Not on contexts.
	NUTS_PASS(nng_ctx_open(&c, s));
	NUTS_FAIL(nng_ctx_get_int(c, NNG_OPT_RECVFD, &fd), NNG_ENOTSUP);
	NUTS_FAIL(nng_ctx_get_int(c, NNG_OPT_SENDFD, &fd), NNG_ENOTSUP);
	NUTS_PASS(nng_ctx_close(c));
	NUTS_PASS(nng_close(s));
}

static void
test_poll_fd_closed_with_socket(void)
{
	nng_socket s;
	int        rfd, sfd;

	NUTS_PASS(nng_pair1_open(&s));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_RECVFD, &rfd));
	NUTS_PASS(nng_socket_get_int(s, NNG_OPT_SENDFD, &sfd));
	NUTS_TRUE(rfd != sfd);
	NUTS_TRUE(fcntl(rfd, F_GETFD) != -1);
	NUTS_PASS(nng_close(s));
	NUTS_TRUE(fcntl(rfd, F_GETFD) == -1 && errno == EBADF);
	NUTS_TRUE(fcntl(sfd, F_GETFD) == -1 && errno == EBADF);
}

NUTS_TESTS = {
	{ "socket id rule", test_socket_id_rule },
	{ "socket ids differ", test_socket_ids_differ },
	{ "zero socket is closed", test_zero_socket_is_closed },
	{ "closed socket is closed", test_closed_socket_is_closed },
	{ "unknown socket is closed", test_unknown_socket_is_closed },
	{ "close twice", test_close_twice },
	{ "socket identity", test_socket_identity },
	{ "identity null arguments", test_identity_null_arguments },
	{ "recv timeout", test_recv_timeout },
	{ "recv nonblock", test_recv_nonblock },
	{ "send timeout", test_send_timeout },
	{ "send nonblock", test_send_nonblock },
	{ "send recv", test_send_recv },
	{ "send recv alloc", test_send_recv_alloc },
	{ "recv bad arguments", test_recv_bad_arguments },
	{ "aio send recv", test_aio_send_recv },
	{ "send only and recv only", test_send_only_and_recv_only },
	{ "close unblocks callers", test_close_unblocks_callers },
	{ "close unblocks connected callers",
	    test_close_unblocks_connected_callers },
	{ "closeall", test_closeall },
	{ "ctx handles", test_ctx_handles },
	{ "recv fd", test_recv_fd },
	{ "recv fd first asked when ready",
	    test_recv_fd_first_asked_when_ready },
	{ "send fd", test_send_fd },
	{ "poll fd not supported", test_poll_fd_not_supported },
	{ "poll fd options", test_poll_fd_options },
	{ "poll fd closed with socket", test_poll_fd_closed_with_socket },
	{ NULL, NULL },
};
