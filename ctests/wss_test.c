// The WebSocket-over-TLS transport (wss://) with our library on both ends:
// exchange with server verification, TLS pipe options, a shared
// nng_tls_config, verification failures, and large (fragmented) messages
// across many TLS records; and plain TLS byte streams (nng_stream_* with
// tls+tcp URLs). Certificates are made at test time with the
// openssl CLI.

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/transport/ws/websocket.h>

#include "nuts.h"
#include "testutil.h"

#define TIMEOUT 10000

static void
make_certs(void)
{
	make_certs_with("wss-test",
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout ca2.key -out ca2.crt -subj /CN=OtherCA -days 30");
}

static void
timeouts(nng_socket s)
{
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT));
	NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, TIMEOUT));
}

// Listens with the server certificate; gives the URL to dial.
static void
listen_wss(nng_socket s, const char *path, char *url, size_t sz)
{
	nng_listener l;
	int          port;
	char         mine[64];
	snprintf(mine, sizeof(mine), "wss://127.0.0.1:0%s", path);
	NUTS_PASS(nng_listener_create(&l, s, mine));
	NUTS_PASS(nng_listener_set_string(
	    l, NNG_OPT_TLS_CERT_KEY_FILE, path_of("both.pem")));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sz, "wss://127.0.0.1:%d%s", port, path);
}

static void
test_reqrep_over_wss(void)
{
	nng_socket rep, req;
	nng_dialer d;
	nng_msg   *m;
	nng_pipe   p;
	bool       b;
	char      *str;
	char       url[64];
	size_t     sz = 300000;
	char      *big;

	make_certs();
	NUTS_PASS(nng_rep0_open(&rep));
	NUTS_PASS(nng_req0_open(&req));
	timeouts(rep);
	timeouts(req);
	listen_wss(rep, "/tls", url, sizeof(url));
	NUTS_PASS(nng_dialer_create(&d, req, url));
	NUTS_PASS(nng_dialer_set_string(d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
	NUTS_PASS(nng_dialer_set_string(d, NNG_OPT_WS_REQUEST_HEADER "X-T", "1"));
	NUTS_PASS(nng_dialer_start(d, 0));

	NUTS_PASS(nng_send(req, "ping", 5, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_WS_REQUEST_HEADER "X-T", &str));
	NUTS_MATCH(str, "1");
	nng_strfree(str);
	// The server did not ask for a client certificate.
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TLS_VERIFIED, &b));
	NUTS_TRUE(!b);
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_MATCH(nng_msg_body(m), "ping");
	p = nng_msg_get_pipe(m);
	NUTS_PASS(nng_pipe_get_bool(p, NNG_OPT_TLS_VERIFIED, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_pipe_get_string(p, NNG_OPT_TLS_PEER_CN, &str));
	NUTS_MATCH(str, "localhost");
	nng_strfree(str);
	nng_msg_free(m);

	big = malloc(sz);
	NUTS_TRUE(big != NULL);
	for (size_t i = 0; i < sz; i++) {
		big[i] = (char) (i * 13);
	}
	NUTS_PASS(nng_send(req, big, sz, 0));
	NUTS_PASS(nng_recvmsg(rep, &m, 0));
	NUTS_EQ(nng_msg_len(m), sz);
	NUTS_TRUE(memcmp(nng_msg_body(m), big, sz) == 0);
	NUTS_PASS(nng_sendmsg(rep, m, 0));
	NUTS_PASS(nng_recvmsg(req, &m, 0));
	NUTS_EQ(nng_msg_len(m), sz);
	NUTS_TRUE(memcmp(nng_msg_body(m), big, sz) == 0);
	nng_msg_free(m);
	free(big);
	NUTS_PASS(nng_close(req));
	NUTS_PASS(nng_close(rep));
}

static void
test_shared_config_and_failures(void)
{
	nng_socket      a, b;
	nng_dialer      d;
	nng_tls_config *c;
	void           *got;
	char            url[64];

	make_certs();
	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	timeouts(a);
	timeouts(b);
	listen_wss(a, "/p", url, sizeof(url));

	// No CA: the server cannot be verified.
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_dialer_close(d));

	// The wrong CA.
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca2.crt")));
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_FAIL(nng_dialer_start(d, 0), NNG_EPEERAUTH);
	NUTS_PASS(nng_dialer_close(d));
	nng_tls_config_free(c);

	// A shared configuration naming the server.
	NUTS_PASS(nng_tls_config_alloc(&c, NNG_TLS_MODE_CLIENT));
	NUTS_PASS(nng_tls_config_ca_file(c, path_of("ca.crt")));
	NUTS_PASS(nng_tls_config_server_name(c, "localhost"));
	NUTS_PASS(nng_dialer_create(&d, b, url));
	NUTS_PASS(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, c));
	NUTS_PASS(nng_dialer_get_ptr(d, NNG_OPT_TLS_CONFIG, &got));
	NUTS_TRUE(got == c);
	nng_tls_config_free(got);
	NUTS_PASS(nng_dialer_start(d, 0));
	NUTS_FAIL(nng_tls_config_server_name(c, "other"), NNG_EBUSY);
	NUTS_PASS(nng_send(b, "hello", 5, 0));
	{
		char  *buf;
		size_t sz;
		NUTS_PASS(nng_recv(a, &buf, &sz, NNG_FLAG_ALLOC));
		NUTS_EQ(sz, 5);
		NUTS_TRUE(memcmp(buf, "hello", 5) == 0);
		nng_free(buf, sz);
	}
	nng_tls_config_free(c);
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

// A plain ws dialer talking to a wss listener fails; so does a dialer to
// a wss listener without a certificate.
static void
test_mismatches(void)
{
	nng_socket   a, b;
	nng_listener l;
	char         url[64];
	int          port;

	make_certs();
	NUTS_PASS(nng_pair1_open(&a));
	NUTS_PASS(nng_pair1_open(&b));
	listen_wss(a, "/m", url, sizeof(url));
	port = atoi(strrchr(url, ':') + 1);
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/m", port);
	NUTS_TRUE(nng_dial(b, url, NULL, 0) != 0);
	// ws and wss cannot share a port.
	NUTS_FAIL(nng_listen(b, url, NULL, 0), NNG_EADDRINUSE);
	// Without a certificate the listener starts, but no handshake
	// succeeds.
	NUTS_PASS(nng_listener_create(&l, b, "wss://127.0.0.1:0/nocert"));
	NUTS_PASS(nng_listener_start(l, 0));
	NUTS_PASS(nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	{
		nng_dialer d;
		snprintf(url, sizeof(url), "wss://127.0.0.1:%d/nocert", port);
		NUTS_PASS(nng_dialer_create(&d, a, url));
		NUTS_PASS(nng_dialer_set_string(
		    d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
		NUTS_TRUE(nng_dialer_start(d, 0) != 0);
	}
	NUTS_PASS(nng_close(a));
	NUTS_PASS(nng_close(b));
}

static int
aio_run(nng_aio *aio)
{
	nng_aio_wait(aio);
	return (nng_aio_result(aio));
}

static int
st_send(nng_stream *s, const void *buf, size_t n)
{
	nng_aio *aio;
	nng_iov  iov = { .iov_buf = (void *) buf, .iov_len = n };
	int      rv;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, TIMEOUT);
	NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
	nng_stream_send(s, aio);
	rv = aio_run(aio);
	if (rv == 0) {
		NUTS_EQ(nng_aio_count(aio), n);
	}
	nng_aio_free(aio);
	return (rv);
}

// Receives exactly `n` bytes (several receives if need be).
static int
st_recv_all(nng_stream *s, char *buf, size_t n)
{
	nng_aio *aio;
	size_t   got = 0;
	int      rv  = 0;
	NUTS_PASS(nng_aio_alloc(&aio, NULL, NULL));
	nng_aio_set_timeout(aio, TIMEOUT);
	while (got < n) {
		nng_iov iov = { .iov_buf = buf + got, .iov_len = n - got };
		NUTS_PASS(nng_aio_set_iov(aio, 1, &iov));
		nng_stream_recv(s, aio);
		if ((rv = aio_run(aio)) != 0) {
			break;
		}
		got += nng_aio_count(aio);
	}
	nng_aio_free(aio);
	return (rv);
}

// Plain TLS byte streams (nng_stream_* with tls+tcp URLs): dial, accept,
// bytes both ways, TLS options, and the SP tls+tcp transport as the peer
// (the 8-byte SP header over a stream).
static void
test_tls_streams(void)
{
	nng_stream_listener *l;
	nng_stream_dialer   *d;
	nng_stream          *a, *c;
	nng_aio             *acc, *dia;
	int                  port;
	char                 url[64];
	char                 buf[64];
	bool                 b;
	char                *str;
	size_t               sz = 200000;
	char                *big, *got;

	make_certs();
	NUTS_PASS(nng_stream_listener_alloc(&l, "tls+tcp://127.0.0.1:0"));
	NUTS_PASS(nng_stream_listener_set_string(
	    l, NNG_OPT_TLS_CERT_KEY_FILE, path_of("both.pem")));
	NUTS_PASS(nng_stream_listener_listen(l));
	NUTS_PASS(nng_stream_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port));
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
	NUTS_PASS(nng_stream_dialer_alloc(&d, url));
	NUTS_FAIL(nng_stream_dialer_get_bool(d, NNG_OPT_WS_SEND_TEXT, &b),
	    NNG_ENOTSUP);
	NUTS_PASS(nng_stream_dialer_set_string(d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
	NUTS_PASS(nng_aio_alloc(&acc, NULL, NULL));
	NUTS_PASS(nng_aio_alloc(&dia, NULL, NULL));
	nng_aio_set_timeout(acc, TIMEOUT);
	nng_aio_set_timeout(dia, TIMEOUT);
	nng_stream_listener_accept(l, acc);
	nng_stream_dialer_dial(d, dia);
	NUTS_PASS(aio_run(dia));
	NUTS_PASS(aio_run(acc));
	c = nng_aio_get_output(dia, 0);
	a = nng_aio_get_output(acc, 0);
	NUTS_PASS(nng_stream_get_bool(c, NNG_OPT_TLS_VERIFIED, &b));
	NUTS_TRUE(b);
	NUTS_PASS(nng_stream_get_string(c, NNG_OPT_TLS_PEER_CN, &str));
	NUTS_MATCH(str, "localhost");
	nng_strfree(str);
	NUTS_FAIL(nng_stream_get_string(c, NNG_OPT_WS_REQUEST_URI, &str),
	    NNG_ENOTSUP);

	NUTS_PASS(st_send(c, "hello", 5));
	NUTS_PASS(st_recv_all(a, buf, 5));
	NUTS_TRUE(memcmp(buf, "hello", 5) == 0);
	big = malloc(sz);
	got = malloc(sz);
	NUTS_TRUE(big != NULL && got != NULL);
	for (size_t i = 0; i < sz; i++) {
		big[i] = (char) (i * 3);
	}
	NUTS_PASS(st_send(a, big, sz));
	NUTS_PASS(st_recv_all(c, got, sz));
	NUTS_TRUE(memcmp(big, got, sz) == 0);
	free(big);
	free(got);
	nng_stream_free(c);
	nng_stream_free(a);

	// Wrong CA: the dial fails with NNG_EPEERAUTH.
	nng_stream_dialer_free(d);
	NUTS_PASS(nng_stream_dialer_alloc(&d, url));
	NUTS_PASS(nng_stream_dialer_set_string(d, NNG_OPT_TLS_CA_FILE, path_of("ca2.crt")));
	nng_stream_listener_accept(l, acc);
	nng_stream_dialer_dial(d, dia);
	NUTS_FAIL(aio_run(dia), NNG_EPEERAUTH);
	nng_stream_listener_close(l);
	NUTS_TRUE(aio_run(acc) != 0);
	nng_stream_dialer_free(d);
	nng_stream_listener_free(l);

	// A stream talking to an SP tls+tcp listener: the header exchange.
	{
		nng_socket   s;
		nng_listener sl;
		const char   hdr[8] = { 0, 'S', 'P', 0, 0, 0x10, 0, 0 };
		NUTS_PASS(nng_pair0_open(&s));
		NUTS_PASS(nng_listener_create(&sl, s, "tls+tcp://127.0.0.1:0"));
		NUTS_PASS(nng_listener_set_string(
		    sl, NNG_OPT_TLS_CERT_KEY_FILE, path_of("both.pem")));
		NUTS_PASS(nng_listener_start(sl, 0));
		NUTS_PASS(nng_listener_get_int(sl, NNG_OPT_TCP_BOUND_PORT, &port));
		snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);
		NUTS_PASS(nng_stream_dialer_alloc(&d, url));
		NUTS_PASS(nng_stream_dialer_set_string(
		    d, NNG_OPT_TLS_CA_FILE, path_of("ca.crt")));
		nng_stream_dialer_dial(d, dia);
		NUTS_PASS(aio_run(dia));
		c = nng_aio_get_output(dia, 0);
		NUTS_PASS(st_send(c, hdr, 8));
		NUTS_PASS(st_recv_all(c, buf, 8));
		NUTS_TRUE(memcmp(buf, hdr, 8) == 0);
		// One framed message: 8-byte length, then the body.
		NUTS_PASS(st_send(c, "\0\0\0\0\0\0\0\3abc", 11));
		{
			char  *m;
			size_t n;
			NUTS_PASS(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, TIMEOUT));
			NUTS_PASS(nng_recv(s, &m, &n, NNG_FLAG_ALLOC));
			NUTS_EQ(n, 3);
			NUTS_TRUE(memcmp(m, "abc", 3) == 0);
			nng_free(m, n);
		}
		nng_stream_free(c);
		nng_stream_dialer_free(d);
		NUTS_PASS(nng_close(s));
	}
	nng_aio_free(acc);
	nng_aio_free(dia);
}

static void
test_cleanup(void)
{
	remove_certs();
}

NUTS_TESTS = {
	{ "reqrep over wss", test_reqrep_over_wss },
	{ "shared config and failures", test_shared_config_and_failures },
	{ "mismatches", test_mismatches },
	{ "tls streams", test_tls_streams },
	{ "cleanup", test_cleanup },
	{ NULL, NULL },
};
