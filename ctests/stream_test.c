// nng-ctest: memcheck
//
// The byte-stream API (nng_stream_*, nng_stream_dialer_*,
// nng_stream_listener_*) over tcp and ipc: dial/accept with aios,
// send/recv with iovs and partial counts, close semantics, options and
// error codes.

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>

#include "nuts.h"

typedef struct {
	nng_stream_listener *l;
	nng_stream_dialer   *d;
	nng_stream          *a; // accepted
	nng_stream          *c; // dialed
} spair;

static void
connect_pair(spair *p, const char *url)
{
	nng_aio *acc;
	nng_aio *dia;
	char     buf[128];
	int      port;

	memset(p, 0, sizeof(*p));
	NUTS_PASS(nng_stream_listener_alloc(&p->l, url));
	NUTS_PASS(nng_stream_listener_listen(p->l));
	if (strncmp(url, "tcp", 3) == 0) {
		NUTS_PASS(nng_stream_listener_get_int(
		    p->l, NNG_OPT_TCP_BOUND_PORT, &port));
		NUTS_TRUE(port > 0);
		snprintf(buf, sizeof(buf), "tcp://127.0.0.1:%d", port);
	} else {
		snprintf(buf, sizeof(buf), "%s", url);
	}
	NUTS_PASS(nng_stream_dialer_alloc(&p->d, buf));
	NUTS_PASS(nng_aio_alloc(&acc, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&dia, NULL, NULL));
	nng_aio_set_timeout(acc, 5000);
	nng_aio_set_timeout(dia, 5000);
	nng_stream_listener_accept(p->l, acc);
	nng_stream_dialer_dial(p->d, dia);
	nng_aio_wait(dia);
	nng_aio_wait(acc);
	NUTS_PASS(nng_aio_result(dia));
	NUTS_PASS(nng_aio_result(acc));
	p->c = nng_aio_get_output(dia, 0);
	p->a = nng_aio_get_output(acc, 0);
	NUTS_TRUE(p->c != NULL);
	NUTS_TRUE(p->a != NULL);
	nng_aio_free(acc);
	nng_aio_free(dia);
}

static void
free_pair(spair *p)
{
	nng_stream_free(p->a);
	nng_stream_free(p->c);
	nng_stream_dialer_free(p->d);
	nng_stream_listener_free(p->l);
}

// Sends all of buf (looping over partial writes).
static void
send_all(nng_stream *s, const void *buf, size_t len)
{
	nng_aio *aio;
	size_t   done = 0;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	while (done < len) {
		nng_iov iov;
		iov.iov_buf = (char *) buf + done;
		iov.iov_len = len - done;
		NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
		nng_stream_send(s, aio);
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
		NUTS_TRUE(nng_aio_count(aio) > 0);
		done += nng_aio_count(aio);
	}
	nng_aio_free(aio);
}

// Receives exactly len bytes (looping over partial reads).
static void
recv_all(nng_stream *s, void *buf, size_t len)
{
	nng_aio *aio;
	size_t   done = 0;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	while (done < len) {
		nng_iov iov;
		iov.iov_buf = (char *) buf + done;
		iov.iov_len = len - done;
		NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
		nng_stream_recv(s, aio);
		nng_aio_wait(aio);
		NUTS_PASS(nng_aio_result(aio));
		NUTS_TRUE(nng_aio_count(aio) > 0);
		done += nng_aio_count(aio);
	}
	nng_aio_free(aio);
}

static void
exchange(spair *p)
{
	char     in[64];
	nng_aio *aio;
	nng_iov  iov[2];
	char     a[3] = { 'a', 'b', 'c' };
	char     b[4] = { 'd', 'e', 'f', 'g' };

	// Scatter-gather send, one read.
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	iov[0].iov_buf = a;
	iov[0].iov_len = 3;
	iov[1].iov_buf = b;
	iov[1].iov_len = 4;
	NUTS_PASS(nng_aio_set_iov(aio, 2, iov));
	nng_stream_send(p->c, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	NUTS_EQ(nng_aio_count(aio), 7);
	nng_aio_free(aio);
	recv_all(p->a, in, 7);
	NUTS_TRUE(memcmp(in, "abcdefg", 7) == 0);

	// The other direction, a large buffer in pieces.
	size_t big = 8 * 1024 * 1024;
	char  *src = malloc(big);
	char  *dst = malloc(big);
	NUTS_TRUE(src != NULL && dst != NULL);
	for (size_t i = 0; i < big; i++) {
		src[i] = (char) (i * 7);
	}
	nng_aio *raio;
	NUTS_PASS(nng_aio_alloc(&raio, NULL, NULL));
	// Send from a thread-free path: start the receive loop after the
	// send is queued; partial sends complete as the reader drains.
	size_t   sent = 0, got = 0;
	nng_aio *saio;
	NUTS_PASS(nng_aio_alloc(&saio, NULL, NULL));
	nng_aio_set_timeout(saio, 5000);
	nng_aio_set_timeout(raio, 5000);
	// The send runs asynchronously while this thread reads; each
	// completion may be partial, and the rest is sent again.
	nng_iov siov = { .iov_buf = src, .iov_len = big };
	NUTS_PASS(nng_aio_set_iov(saio, 1, &siov));
	nng_stream_send(p->a, saio);
	int sends = 1;
	while (got < big) {
		nng_iov riov = { .iov_buf = dst + got, .iov_len = big - got };
		NUTS_PASS(nng_aio_set_iov(raio, 1, &riov));
		nng_stream_recv(p->c, raio);
		nng_aio_wait(raio);
		NUTS_PASS(nng_aio_result(raio));
		NUTS_TRUE(nng_aio_count(raio) > 0);
		got += nng_aio_count(raio);
		if (sent < big && !nng_aio_busy(saio)) {
			NUTS_PASS(nng_aio_result(saio));
			sent += nng_aio_count(saio);
			if (sent < big) {
				siov.iov_buf = src + sent;
				siov.iov_len = big - sent;
				NUTS_PASS(nng_aio_set_iov(saio, 1, &siov));
				nng_stream_send(p->a, saio);
				sends++;
			}
		}
	}
	nng_aio_wait(saio);
	NUTS_EQ(got, big);
	// 8 MiB does not fit a socket buffer at once: partial sends happened.
	NUTS_TRUE(sends > 1);
	NUTS_TRUE(memcmp(src, dst, big) == 0);
	nng_aio_free(raio);
	nng_aio_free(saio);
	free(src);
	free(dst);
}

static void
test_tcp_exchange(void)
{
	spair p;
	connect_pair(&p, "tcp://127.0.0.1:0");
	exchange(&p);
	free_pair(&p);
}

static void
test_ipc_exchange(void)
{
	spair p;
	char  url[64];
	snprintf(url, sizeof(url), "ipc:///tmp/nng_stream_test_%d", getpid());
	connect_pair(&p, url);
	exchange(&p);
	free_pair(&p);
}

static void
test_abstract_exchange(void)
{
	spair p;
	char  url[64];
	snprintf(url, sizeof(url), "abstract://nng_stream_test_%d", getpid());
	connect_pair(&p, url);
	exchange(&p);
	free_pair(&p);
}

static void
test_tcp_options(void)
{
	spair        p;
	bool         b;
	nng_sockaddr la, ra, pa;
	int          port;

	connect_pair(&p, "tcp://127.0.0.1:0");
	NUTS_PASS(nng_stream_get_bool(p.c, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_stream_set_bool(p.c, NNG_OPT_TCP_NODELAY, false));
	NUTS_PASS(nng_stream_get_bool(p.c, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_stream_get_bool(p.c, NNG_OPT_TCP_KEEPALIVE, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_stream_set_bool(p.c, NNG_OPT_TCP_KEEPALIVE, true));
	NUTS_PASS(nng_stream_get_bool(p.c, NNG_OPT_TCP_KEEPALIVE, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_stream_get_addr(p.c, NNG_OPT_REMADDR, &ra));
	NUTS_PASS(nng_stream_get_addr(p.a, NNG_OPT_LOCADDR, &la));
	NUTS_EQ(ra.s_in.sa_family, NNG_AF_INET);
	NUTS_EQ(ra.s_in.sa_port, la.s_in.sa_port);
	NUTS_EQ(ra.s_in.sa_addr, la.s_in.sa_addr);
	NUTS_PASS(nng_stream_get_addr(p.a, NNG_OPT_REMADDR, &pa));
	NUTS_PASS(nng_stream_get_addr(p.c, NNG_OPT_LOCADDR, &la));
	NUTS_EQ(pa.s_in.sa_port, la.s_in.sa_port);
	NUTS_PASS(nng_stream_listener_get_int(
	    p.l, NNG_OPT_TCP_BOUND_PORT, &port));
	NUTS_EQ(ra.s_in.sa_port, htons((uint16_t) port));
	NUTS_FAIL(nng_stream_set_int(p.c, NNG_OPT_TCP_BOUND_PORT, 1), NNG_ENOTSUP);
	NUTS_FAIL(nng_stream_get_bool(p.c, "no-such-option", &b), NNG_ENOTSUP);
	NUTS_FAIL(nng_stream_get_int(p.c, NNG_OPT_TCP_NODELAY, &port),
	    NNG_EBADTYPE);
	NUTS_FAIL(nng_stream_get_bool(NULL, NNG_OPT_TCP_NODELAY, &b),
	    NNG_EINVAL);
	// Dialer and listener options.
	NUTS_PASS(nng_stream_dialer_set_bool(p.d, NNG_OPT_TCP_NODELAY, false));
	NUTS_PASS(nng_stream_dialer_get_bool(p.d, NNG_OPT_TCP_NODELAY, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(
	    nng_stream_listener_set_bool(p.l, NNG_OPT_TCP_KEEPALIVE, true));
	NUTS_PASS(
	    nng_stream_listener_get_bool(p.l, NNG_OPT_TCP_KEEPALIVE, &b));
	NUTS_TRUE(b);
	NUTS_FAIL(nng_stream_listener_set_int(p.l, NNG_OPT_TCP_BOUND_PORT, 1),
	    NNG_EREADONLY);
	free_pair(&p);
}

static void
test_ipc_peer_ids(void)
{
	spair    p;
	uint64_t id;
	char     url[64];
	snprintf(url, sizeof(url), "ipc:///tmp/nng_stream_peer_%d", getpid());
	connect_pair(&p, url);
	NUTS_PASS(nng_stream_get_uint64(p.a, NNG_OPT_PEER_PID, &id));
	NUTS_EQ(id, (uint64_t) getpid());
	NUTS_PASS(nng_stream_get_uint64(p.c, NNG_OPT_PEER_UID, &id));
	NUTS_EQ(id, (uint64_t) getuid());
	NUTS_PASS(nng_stream_get_uint64(p.c, NNG_OPT_PEER_GID, &id));
	NUTS_EQ(id, (uint64_t) getgid());
	free_pair(&p);
}

static void
test_close_and_shutdown(void)
{
	spair    p;
	nng_aio *aio;
	char     buf[8];
	nng_iov  iov = { .iov_buf = buf, .iov_len = sizeof(buf) };

	connect_pair(&p, "tcp://127.0.0.1:0");
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
	nng_aio_set_timeout(aio, 5000);

	// A pending receive fails with ECLOSED when its stream closes.
	nng_stream_recv(p.a, aio);
	nng_stream_close(p.a);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_stream_recv(p.a, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);

	// The peer sees end of stream.
	nng_stream_recv(p.c, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNSHUT);

	// Timeouts.
	nng_stream_free(p.c);
	p.c = NULL;
	free_pair(&p);
	nng_aio_free(aio);
}

static void
test_recv_timeout_and_cancel(void)
{
	spair    p;
	nng_aio *aio;
	char     buf[8];
	nng_iov  iov = { .iov_buf = buf, .iov_len = sizeof(buf) };

	connect_pair(&p, "tcp://127.0.0.1:0");
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
	nng_aio_set_timeout(aio, 50);
	nng_stream_recv(p.a, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ETIMEDOUT);
	nng_aio_set_timeout(aio, NNG_DURATION_INFINITE);
	nng_stream_recv(p.a, aio);
	nng_aio_cancel(aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECANCELED);
	// The stream still works after that.
	send_all(p.c, "hi", 2);
	recv_all(p.a, buf, 2);
	NUTS_TRUE(memcmp(buf, "hi", 2) == 0);
	nng_aio_free(aio);
	free_pair(&p);
}

static void
test_errors(void)
{
	nng_stream_dialer   *d;
	nng_stream_listener *l;
	nng_stream_listener *l2;
	nng_aio             *aio;
	int                  port;
	char                 url[64];
	nng_url             *u;

	NUTS_FAIL(nng_stream_dialer_alloc(&d, "bogus://x"), NNG_ENOTSUP);
	NUTS_FAIL(nng_stream_dialer_alloc(&d, "not a url"), NNG_EINVAL);
	NUTS_FAIL(nng_stream_dialer_alloc(&d, "tcp://127.0.0.1"), NNG_EADDRINVAL);
	NUTS_FAIL(nng_stream_dialer_alloc(NULL, "tcp://127.0.0.1:1"), NNG_EINVAL);
	NUTS_FAIL(nng_stream_listener_alloc(&l, NULL), NNG_EINVAL);

	// Listen, then a second listener on the same port is in use.
	NUTS_PASS(nng_url_parse(&u, "tcp://127.0.0.1:0"));
	NUTS_PASS(nng_stream_listener_alloc_url(&l, u));
	nng_url_free(u);
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	nng_stream_listener_accept(l, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ESTATE);
	NUTS_PASS(nng_stream_listener_listen(l));
	NUTS_FAIL(nng_stream_listener_listen(l), NNG_ESTATE);
	NUTS_PASS(nng_stream_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_stream_listener_alloc(&l2, url));
	NUTS_FAIL(nng_stream_listener_listen(l2), NNG_EADDRINUSE);
	nng_stream_listener_free(l2);

	// A pending accept fails with ECLOSED on close.
	nng_stream_listener_accept(l, aio);
	nng_stream_listener_close(l);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_stream_listener_free(l);

	// Nobody listens there now: refused.
	NUTS_PASS(nng_stream_dialer_alloc(&d, url));
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNREFUSED);
	nng_stream_dialer_close(d);
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_stream_dialer_free(d);

	// ipc with no socket file: refused too.
	NUTS_PASS(nng_stream_dialer_alloc(&d, "ipc:///tmp/nng_no_such_socket"));
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNREFUSED);
	nng_stream_dialer_free(d);

	// ipc permissions: set before listening, file-type bits refused,
	// ignored on abstract sockets.
	NUTS_PASS(nng_stream_listener_alloc(&l, "ipc:///tmp/nng_stream_perms"));
	NUTS_FAIL(nng_stream_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS,
	              0100600),
	    NNG_EINVAL);
	NUTS_PASS(nng_stream_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, 0600));
	NUTS_PASS(nng_stream_listener_listen(l));
	NUTS_FAIL(nng_stream_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, 0600),
	    NNG_EBUSY);
	nng_stream_listener_free(l);
	NUTS_TRUE(access("/tmp/nng_stream_perms", F_OK) != 0);
	NUTS_PASS(nng_stream_listener_alloc(&l, "abstract://nng_stream_perms"));
	NUTS_PASS(nng_stream_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, 0600));
	nng_stream_listener_free(l);

	// NULL objects are ignored or EINVAL.
	nng_stream_free(NULL);
	nng_stream_close(NULL);
	nng_stream_dialer_free(NULL);
	nng_stream_listener_free(NULL);
	NUTS_FAIL(nng_stream_listener_listen(NULL), NNG_EINVAL);
	nng_aio_free(aio);
}

NUTS_TESTS = {
	{ "tcp exchange", test_tcp_exchange },
	{ "ipc exchange", test_ipc_exchange },
	{ "abstract exchange", test_abstract_exchange },
	{ "tcp options", test_tcp_options },
	{ "ipc peer ids", test_ipc_peer_ids },
	{ "close and shutdown", test_close_and_shutdown },
	{ "recv timeout and cancel", test_recv_timeout_and_cancel },
	{ "errors", test_errors },
	{ NULL, NULL },
};
