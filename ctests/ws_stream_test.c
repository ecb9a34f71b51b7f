// nng-ctest: memcheck
//
// The byte-stream API over WebSocket (nng_stream_* with ws:// URLs): dial
// and accept, one message per send, partial receives, text mode, the
// subprotocol and header options, a stream talking to an SP socket, and
// close and error codes. Waits are on aios with timeouts.

#include <string.h>

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/transport/ws/websocket.h>

#include "nuts.h"

typedef struct {
	nng_stream_listener *l;
	nng_stream_dialer   *d;
	nng_stream          *a; // accepted
	nng_stream          *c; // dialed
} spair;

// Allocates a listener on `path` (port 0) and a dialer for it, without
// connecting, so options can be set first.
static void
alloc_pair(spair *p, const char *path)
{
	char url[128];
	int  port;
	memset(p, 0, sizeof(*p));
	snprintf(url, sizeof(url), "ws://127.0.0.1:0%s", path);
	NUTS_PASS(nng_stream_listener_alloc(&p->l, url));
	NUTS_PASS(nng_stream_listener_listen(p->l));
	NUTS_PASS(nng_stream_listener_get_int(p->l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d%s", port, path);
	NUTS_PASS(nng_stream_dialer_alloc(&p->d, url));
}

// Connects; gives the dial's result (the accept must succeed when it does).
static int
connect_pair(spair *p)
{
	nng_aio *acc, *dia;
	int      rv;
	NUTS_PASS(nng_aio_alloc(&acc, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&dia, NULL, NULL));
	nng_aio_set_timeout(acc, 5000);
	nng_aio_set_timeout(dia, 5000);
	nng_stream_listener_accept(p->l, acc);
	nng_stream_dialer_dial(p->d, dia);
	nng_aio_wait(dia);
	rv = nng_aio_result(dia);
	if (rv == 0) {
		nng_aio_wait(acc);
		NUTS_PASS(nng_aio_result(acc));
		p->c = nng_aio_get_output(dia, 0);
		p->a = nng_aio_get_output(acc, 0);
		NUTS_TRUE(p->c != NULL && p->a != NULL);
	} else {
		nng_aio_stop(acc);
	}
	nng_aio_free(acc);
	nng_aio_free(dia);
	return (rv);
}

static void
free_pair(spair *p)
{
	nng_stream_free(p->a);
	nng_stream_free(p->c);
	nng_stream_dialer_free(p->d);
	nng_stream_listener_free(p->l);
}

// Sends `n` bytes as one message; gives the aio result.
static int
ssend(nng_stream *s, const void *buf, size_t n)
{
	nng_aio *aio;
	nng_iov  iov = { .iov_buf = (void *) buf, .iov_len = n };
	int      rv;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
	nng_stream_send(s, aio);
	nng_aio_wait(aio);
	rv = nng_aio_result(aio);
	if (rv == 0) {
		NUTS_EQ(nng_aio_count(aio), n);
	}
	nng_aio_free(aio);
	return (rv);
}

// Receives into `n` bytes; gives the result, the count in *got.
static int
srecv(nng_stream *s, void *buf, size_t n, size_t *got)
{
	nng_aio *aio;
	nng_iov  iov = { .iov_buf = buf, .iov_len = n };
	int      rv;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
	nng_stream_recv(s, aio);
	nng_aio_wait(aio);
	rv   = nng_aio_result(aio);
	*got = nng_aio_count(aio);
	nng_aio_free(aio);
	return (rv);
}

static void
test_messages_and_partial_reads(void)
{
	spair  p;
	char   buf[64];
	size_t n;

	alloc_pair(&p, "/s");
	NUTS_PASS(connect_pair(&p));
	NUTS_PASS(ssend(p.c, "hello", 5));
	NUTS_PASS(ssend(p.c, "0123456789", 10));
	// One receive never spans two messages.
	NUTS_PASS(srecv(p.a, buf, sizeof(buf), &n));
	NUTS_EQ(n, 5);
	NUTS_TRUE(memcmp(buf, "hello", 5) == 0);
	NUTS_PASS(srecv(p.a, buf, 4, &n));
	NUTS_EQ(n, 4);
	NUTS_TRUE(memcmp(buf, "0123", 4) == 0);
	NUTS_PASS(srecv(p.a, buf, 4, &n));
	NUTS_TRUE(memcmp(buf, "4567", 4) == 0);
	NUTS_PASS(srecv(p.a, buf, 4, &n));
	NUTS_EQ(n, 2);
	NUTS_TRUE(memcmp(buf, "89", 2) == 0);
	// And back (server frames are unmasked).
	NUTS_PASS(ssend(p.a, "back", 4));
	NUTS_PASS(srecv(p.c, buf, sizeof(buf), &n));
	NUTS_EQ(n, 4);
	NUTS_TRUE(memcmp(buf, "back", 4) == 0);
	// Closing one end fails the other's receive.
	nng_stream_close(p.c);
	NUTS_TRUE(srecv(p.a, buf, sizeof(buf), &n) != 0);
	NUTS_FAIL(ssend(p.c, "x", 1), NNG_ECLOSED);
	free_pair(&p);
}

static void
test_text_mode(void)
{
	spair  p;
	char   buf[64];
	size_t n;
	bool   b;

	alloc_pair(&p, "/text");
	NUTS_PASS(nng_stream_dialer_set_bool(p.d, NNG_OPT_WS_SEND_TEXT, true));
	NUTS_PASS(nng_stream_listener_set_bool(p.l, NNG_OPT_WS_RECV_TEXT, true));
	NUTS_PASS(nng_stream_dialer_get_bool(p.d, NNG_OPT_WS_SEND_TEXT, &b));
	NUTS_TRUE(b);
	NUTS_PASS(connect_pair(&p));
	NUTS_PASS(nng_stream_get_bool(p.c, NNG_OPT_WS_SEND_TEXT, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_stream_get_bool(p.a, NNG_OPT_WS_RECV_TEXT, &b));
	NUTS_TRUE(b);
	NUTS_PASS(ssend(p.c, "text!", 5));
	NUTS_PASS(srecv(p.a, buf, sizeof(buf), &n));
	NUTS_EQ(n, 5);
	NUTS_TRUE(memcmp(buf, "text!", 5) == 0);
	free_pair(&p);

	// Without RECV_TEXT a text message closes the connection.
	alloc_pair(&p, "/notext");
	NUTS_PASS(nng_stream_dialer_set_bool(p.d, NNG_OPT_WS_SEND_TEXT, true));
	NUTS_PASS(connect_pair(&p));
	NUTS_PASS(ssend(p.c, "text!", 5));
	NUTS_TRUE(srecv(p.a, buf, sizeof(buf), &n) != 0);
	free_pair(&p);
}

static void
test_protocol_and_headers(void)
{
	spair  p;
	char  *str;
	nng_stream_dialer *d2;
	nng_aio *aio;

	alloc_pair(&p, "/proto");
	NUTS_PASS(nng_stream_listener_set_string(
	    p.l, NNG_OPT_WS_PROTOCOL, "other, chat"));
	NUTS_PASS(nng_stream_listener_set_string(
	    p.l, NNG_OPT_WS_RESPONSE_HEADER "X-Server", "us"));
	NUTS_PASS(nng_stream_dialer_set_string(p.d, NNG_OPT_WS_PROTOCOL, "chat"));
	NUTS_PASS(nng_stream_dialer_set_string(
	    p.d, NNG_OPT_WS_REQUEST_HEADER "X-Client", "them"));
	NUTS_PASS(nng_stream_dialer_get_string(p.d, NNG_OPT_WS_PROTOCOL, &str));
	NUTS_MATCH(str, "chat");
	nng_strfree(str);
	NUTS_PASS(connect_pair(&p));
	NUTS_PASS(nng_stream_get_string(
	    p.c, NNG_OPT_WS_RESPONSE_HEADER "Sec-WebSocket-Protocol", &str));
	NUTS_MATCH(str, "chat");
	nng_strfree(str);
	NUTS_PASS(nng_stream_get_string(p.c, NNG_OPT_WS_RESPONSE_HEADER "X-Server", &str));
	NUTS_MATCH(str, "us");
	nng_strfree(str);
	NUTS_PASS(nng_stream_get_string(p.a, NNG_OPT_WS_REQUEST_HEADER "X-Client", &str));
	NUTS_MATCH(str, "them");
	nng_strfree(str);
	NUTS_PASS(nng_stream_get_string(p.a, NNG_OPT_WS_REQUEST_URI, &str));
	NUTS_MATCH(str, "/proto");
	nng_strfree(str);
	NUTS_FAIL(nng_stream_set_string(p.a, NNG_OPT_WS_REQUEST_HEADER "X", "y"),
	    NNG_EREADONLY);
	{
		nng_sockaddr sa;
		NUTS_PASS(nng_stream_get_addr(p.a, NNG_OPT_REMADDR, &sa));
		NUTS_EQ(sa.s_family, NNG_AF_INET);
	}

	// A protocol the listener does not serve: 400, NNG_EPROTO.
	{
		char url[128];
		int  port;
		NUTS_PASS(nng_stream_listener_get_int(
		    p.l, NNG_OPT_TCP_BOUND_PORT, &port));
		snprintf(url, sizeof(url), "ws://127.0.0.1:%d/proto", port);
		NUTS_PASS(nng_stream_dialer_alloc(&d2, url));
		NUTS_PASS(nng_stream_dialer_set_string(d2, NNG_OPT_WS_PROTOCOL, "nope"));
		NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
		nng_aio_set_timeout(aio, 5000);
		nng_stream_dialer_dial(d2, aio);
		nng_aio_wait(aio);
		NUTS_FAIL(nng_aio_result(aio), NNG_EPROTO);
		// A path nobody serves: 404, NNG_ECONNREFUSED.
		nng_stream_dialer_free(d2);
		snprintf(url, sizeof(url), "ws://127.0.0.1:%d/none", port);
		NUTS_PASS(nng_stream_dialer_alloc(&d2, url));
		nng_stream_dialer_dial(d2, aio);
		nng_aio_wait(aio);
		NUTS_FAIL(nng_aio_result(aio), NNG_ECONNREFUSED);
		nng_stream_dialer_free(d2);
		nng_aio_free(aio);
	}
	free_pair(&p);
}

// A stream dialer asking for "pair.sp.nanomsg.org" talks to a pair0
// socket: each WebSocket message is one SP message.
static void
test_stream_to_sp_socket(void)
{
	nng_socket         s;
	nng_listener       l;
	nng_stream_dialer *d;
	nng_stream        *c;
	nng_aio           *aio;
	int                port;
	char               url[128];
	char               buf[64];
	size_t             n;
	char              *got;

	NUTS_PASS(nng_pair0_open(&s));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 5000));
	NUTS_PASS(nng_listener_create(&l, s, "ws://127.0.0.1:0/sp"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/sp", port);
	NUTS_PASS(nng_stream_dialer_alloc(&d, url));
	NUTS_PASS(nng_stream_dialer_set_string(
	    d, NNG_OPT_WS_PROTOCOL, "pair.sp.nanomsg.org"));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, 5000);
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_PASS(nng_aio_result(aio));
	c = nng_aio_get_output(aio, 0);
	nng_aio_free(aio);
	NUTS_PASS(ssend(c, "raw sp", 6));
	NUTS_PASS(nng_recv(s, &got, &n, NNG_FLAG_ALLOC));
	NUTS_EQ(n, 6);
	NUTS_TRUE(memcmp(got, "raw sp", 6) == 0);
	nng_free(got, n);
	NUTS_PASS(nng_send(s, "reply", 5, 0));
	NUTS_PASS(srecv(c, buf, sizeof(buf), &n));
	NUTS_EQ(n, 5);
	NUTS_TRUE(memcmp(buf, "reply", 5) == 0);
	nng_stream_free(c);
	nng_stream_dialer_free(d);
	NUTS_PASS(nng_close(s));
}

static void
test_close_and_errors(void)
{
	nng_stream_dialer   *d;
	nng_stream_listener *l;
	nng_aio             *aio;
	int                  port;
	char                 url[128];
	size_t               sz;

	NUTS_FAIL(nng_stream_dialer_alloc(&d, "ws://:80/x"), NNG_EADDRINVAL);
	NUTS_PASS(nng_stream_listener_alloc(&l, "ws://127.0.0.1:0/c"));
	NUTS_FAIL(nng_stream_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port),
	    NNG_ESTATE);
	NUTS_PASS(nng_stream_listener_get_size(l, NNG_OPT_RECVMAXSZ, &sz));
	NUTS_EQ(sz, 1 << 20);
	NUTS_PASS(nng_stream_listener_get_size(l, NNG_OPT_WS_RECVMAXFRAME, &sz));
	NUTS_EQ(sz, 1 << 20);
	NUTS_PASS(nng_stream_listener_listen(l));
	NUTS_FAIL(nng_stream_listener_listen(l), NNG_ESTATE);
	NUTS_PASS(nng_stream_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	// A pending accept fails when the listener closes.
	nng_stream_listener_accept(l, aio);
	nng_stream_listener_close(l);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_stream_listener_free(l);
	// Nobody listens there now.
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/c", port);
	NUTS_PASS(nng_stream_dialer_alloc(&d, url));
	nng_aio_set_timeout(aio, 5000);
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECONNREFUSED);
	nng_stream_dialer_close(d);
	nng_stream_dialer_dial(d, aio);
	nng_aio_wait(aio);
	NUTS_FAIL(nng_aio_result(aio), NNG_ECLOSED);
	nng_stream_dialer_free(d);
	nng_aio_free(aio);
}

NUTS_TESTS = {
	{ "messages and partial reads", test_messages_and_partial_reads },
	{ "text mode", test_text_mode },
	{ "protocol and headers", test_protocol_and_headers },
	{ "stream to sp socket", test_stream_to_sp_socket },
	{ "close and errors", test_close_and_errors },
	{ NULL, NULL },
};
